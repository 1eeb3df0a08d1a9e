//! The validated form of a dose-modification protocol: what the TOML file says, in types.

use serde::Serialize;

/// Where a rule comes from: a published citation, or the institution's own practice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "citation", rename_all = "snake_case")]
pub enum Source {
    /// A published source (label, guideline, consensus, paper), cited in full.
    Citation(String),
    /// The institution's own practice (`source = "local"`), shown as such wherever it fires.
    Local,
}

impl std::fmt::Display for Source {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Citation(citation) => formatter.write_str(citation),
            Source::Local => {
                formatter.write_str("local rule (institutional practice, no published source)")
            }
        }
    }
}

/// A validated protocol.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Protocol {
    /// Short identifier (`anlotinib`).
    pub id: String,
    /// Human-readable title.
    pub title: String,
    /// What the protocol governs: a drug name, or `radiotherapy`.
    pub treatment: String,
    /// The drug's cycle schedule, for drug protocols.
    pub schedule: Option<Schedule>,
    /// The dose-level ladder, highest first.
    pub dose_levels: Option<DoseLadder>,
    /// Limits such as "discontinue when the lowest level is not tolerated".
    pub limits: Vec<Limit>,
    /// Values required before a cycle starts.
    pub pre_cycle: Vec<PreCycleRequirement>,
    /// Per-adverse-event rules.
    pub rules: Vec<Rule>,
}

/// A cyclic dosing schedule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Schedule {
    /// Starting daily dose in mg.
    pub dose_mg: f64,
    /// First and last dosing day of each cycle (1-based, inclusive).
    pub days_on: (u32, u32),
    /// Cycle length in days.
    pub cycle_length_days: u32,
    /// Citation.
    pub source: Source,
}

/// Dose levels in mg, from the starting level down.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DoseLadder {
    /// Daily doses in mg, strictly decreasing; index 0 is the starting level.
    pub levels_mg: Vec<f64>,
    /// Citation.
    pub source: Source,
}

/// A protocol-wide limit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Limit {
    /// Identifier.
    pub id: String,
    /// What the limit says.
    pub kind: LimitKind,
    /// Citation.
    pub source: Source,
}

/// The kinds of limit the language knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitKind {
    /// A toxicity that calls for a lower level while at the lowest level means discontinuation.
    DiscontinueWhenLowestLevelNotTolerated,
}

/// A value that must be known, and graded at most `max_grade`, before a cycle starts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreCycleRequirement {
    /// Identifier.
    pub id: String,
    /// The CTCAE term whose grade is required.
    pub term: String,
    /// Highest acceptable grade.
    pub max_grade: u8,
    /// How many days before the cycle start (inclusive) the value may be.
    pub within_days: u32,
    /// Citation.
    pub source: Source,
}

/// A per-adverse-event rule: when a listed term reaches one of the grades, do the action.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    /// Identifier, unique in the protocol.
    pub id: String,
    /// The CTCAE terms the rule covers (exact catalogue names, expanded from `term_contains`).
    pub terms: Vec<String>,
    /// The grades the rule fires on.
    pub grades: Vec<u8>,
    /// What to do.
    pub action: Action,
    /// Citation.
    pub source: Source,
    /// Free-text remark shown with the recommendation.
    pub note: Option<String>,
}

/// What a rule recommends.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Continue at the current level.
    Continue,
    /// Hold the drug until the term is at most a grade, then resume.
    Hold(HoldAction),
    /// Stop the drug for good.
    Discontinue,
    /// Interrupt radiotherapy until the term is at most a grade.
    RadiotherapyBreak(BreakAction),
    /// Tell someone.
    Notify {
        /// Whom to tell.
        whom: String,
    },
    /// Supportive care to offer.
    SupportiveCare {
        /// The care, as the protocol words it.
        care: String,
    },
}

/// The details of a hold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HoldAction {
    /// Resume once the held term is at most this grade.
    pub resume_when_grade_at_most: u8,
    /// At which level to resume.
    pub resume_at: ResumeAt,
    /// If the term has not recovered within this many days, `after_time_limit` applies.
    pub time_limit_days: Option<u32>,
    /// What happens after the time limit.
    pub after_time_limit: Option<AfterTimeLimit>,
}

/// The details of a radiotherapy break.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BreakAction {
    /// Resume once the term is at most this grade.
    pub resume_when_grade_at_most: u8,
}

/// The level a held drug resumes at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResumeAt {
    /// The level it was held at.
    SameLevel,
    /// One level lower on the ladder.
    NextLowerLevel,
}

/// What happens when a hold's time limit passes without recovery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AfterTimeLimit {
    /// Discontinue the drug.
    Discontinue,
}
