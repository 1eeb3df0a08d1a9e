//! Protocol evaluation over plain inputs: given a protocol and a time-ordered stream of graded
//! adverse events, cycle starts, administrations and radiotherapy fractions, derive each day's
//! drug status, the recommendations the protocol makes (each with the facts and grades used, the
//! rule and its source) and the deviations from it.
//!
//! Pure: the evaluation date (`through`) is a parameter, never the clock. Same-day events are
//! taken in a fixed order — graded events, then cycle starts, then administrations, then
//! radiotherapy fractions — so a result known on a day governs that day's dosing.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::model::{Action, AfterTimeLimit, LimitKind, Protocol, ResumeAt, Rule, Source};

/// One dated input fact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProtocolEvent {
    /// The day it happened.
    pub date: NaiveDate,
    /// What happened.
    pub kind: EventKind,
}

/// The kinds of input fact.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventKind {
    /// A CTCAE grade for a term, from automatic grading or a clinician.
    Graded {
        /// CTCAE term, as in the catalogue.
        term: String,
        /// Grade 0–5.
        grade: u8,
        /// The facts behind the grade, for the recommendation's reason (e.g. "platelets 45 10*9/L").
        facts: String,
    },
    /// A drug cycle started.
    CycleStart {
        /// Cycle number (1-based).
        cycle: u32,
    },
    /// A dose of the protocol's drug was given.
    Administration {
        /// Daily dose in mg.
        dose_mg: f64,
    },
    /// A radiotherapy fraction was delivered.
    RadiotherapyFraction,
}

impl EventKind {
    /// A total order for events of one day, so the result does not depend on input order:
    /// graded events first (by term, then grade), then cycle starts, administrations and
    /// radiotherapy fractions.
    fn same_day_cmp(&self, other: &EventKind) -> std::cmp::Ordering {
        let rank = |kind: &EventKind| match kind {
            EventKind::Graded { .. } => 0,
            EventKind::CycleStart { .. } => 1,
            EventKind::Administration { .. } => 2,
            EventKind::RadiotherapyFraction => 3,
        };
        rank(self)
            .cmp(&rank(other))
            .then_with(|| match (self, other) {
                (
                    EventKind::Graded { term, grade, facts },
                    EventKind::Graded {
                        term: other_term,
                        grade: other_grade,
                        facts: other_facts,
                    },
                ) => (term, grade, facts).cmp(&(other_term, other_grade, other_facts)),
                (EventKind::CycleStart { cycle }, EventKind::CycleStart { cycle: other_cycle }) => {
                    cycle.cmp(other_cycle)
                }
                (
                    EventKind::Administration { dose_mg },
                    EventKind::Administration {
                        dose_mg: other_dose,
                    },
                ) => dose_mg.total_cmp(other_dose),
                _ => std::cmp::Ordering::Equal,
            })
    }
}

/// What the protocol says to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecommendedAction {
    /// Continue at the current level.
    Continue,
    /// Hold the drug.
    Hold,
    /// Resume the drug (at `dose_mg`).
    Resume,
    /// Stop the drug for good.
    Discontinue,
    /// Interrupt radiotherapy.
    RadiotherapyBreak,
    /// Resume radiotherapy.
    ResumeRadiotherapy,
    /// Tell someone.
    Notify,
    /// Offer supportive care.
    SupportiveCare,
}

/// A recommendation, explained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    /// The id of the protocol whose rule fired.
    pub protocol: String,
    /// The day it applies from.
    pub date: NaiveDate,
    /// The action.
    pub action: RecommendedAction,
    /// The drug, or `radiotherapy`.
    pub target: String,
    /// The dose level in mg the action leads to, where it sets one.
    pub dose_mg: Option<f64>,
    /// The facts and grades used, and what the rule says.
    pub reason: String,
    /// The rule (or limit) that fired.
    pub rule_id: String,
    /// The rule's source; `local` rules are shown as such.
    pub source: Source,
    /// The rule's note, if any.
    pub note: Option<String>,
}

/// The kinds of deviation from the protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviationKind {
    /// A dose was given while a hold applied.
    DosingWhileHeld,
    /// A dose was given after the drug was discontinued.
    DosingAfterDiscontinuation,
    /// A dose above the current dose level was given.
    DoseAboveCurrentLevel,
    /// A cycle started without a required pre-cycle value.
    CycleStartedWithoutPreCycleValue,
    /// A cycle started although a pre-cycle value was above its limit.
    CycleStartedWithPreCycleValueOutOfRange,
    /// A radiotherapy fraction was given during a recommended break.
    RadiotherapyDuringBreak,
}

/// A difference between what was done and what the protocol says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deviation {
    /// The day.
    pub date: NaiveDate,
    /// What kind.
    pub kind: DeviationKind,
    /// What was done and what applied.
    pub description: String,
    /// The rule or requirement involved.
    pub rule_id: Option<String>,
}

/// The drug's state on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DrugState {
    /// No cycle has started yet.
    NotStarted,
    /// Being given at the current level.
    Active,
    /// Held until a condition is met.
    Held,
    /// Stopped for good.
    Discontinued,
}

/// One day of the drug calendar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayStatus {
    /// The day.
    pub date: NaiveDate,
    /// The drug's state.
    pub state: DrugState,
    /// The current dose level in mg (kept while held; `None` once discontinued).
    pub dose_level_mg: Option<f64>,
    /// The current cycle and its day (1-based), if a cycle has started.
    pub cycle: Option<(u32, u32)>,
    /// Whether the schedule calls for a dose today (active, on a dosing day of the cycle).
    pub dosing_day: bool,
    /// Whether a radiotherapy break applies.
    pub radiotherapy_on_break: bool,
}

/// The result of evaluating a protocol.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// One entry per day from the first event to `through`.
    pub days: Vec<DayStatus>,
    /// Recommendations in date order.
    pub recommendations: Vec<Recommendation>,
    /// Deviations in date order.
    pub deviations: Vec<Deviation>,
}

/// A hold waiting for its condition.
#[derive(Debug, Clone)]
struct PendingHold {
    rule: Rule,
    term: String,
    resume_when_grade_at_most: u8,
    resume_at: ResumeAt,
    deadline: Option<NaiveDate>,
}

/// A radiotherapy break waiting for its condition.
#[derive(Debug, Clone)]
struct PendingBreak {
    rule: Rule,
    term: String,
    resume_when_grade_at_most: u8,
}

struct State<'p> {
    protocol: &'p Protocol,
    level_index: usize,
    started: bool,
    discontinued: bool,
    holds: Vec<PendingHold>,
    lower_on_resume: bool,
    breaks: Vec<PendingBreak>,
    cycle: Option<(u32, NaiveDate)>,
    grades: Vec<(NaiveDate, String, u8)>,
    recommendations: Vec<Recommendation>,
    deviations: Vec<Deviation>,
}

/// Evaluates `protocol` over `events` (any order; sorted here by date) up to `through`.
pub fn evaluate(protocol: &Protocol, events: &[ProtocolEvent], through: NaiveDate) -> Evaluation {
    let mut by_day: BTreeMap<NaiveDate, Vec<&ProtocolEvent>> = BTreeMap::new();
    for event in events {
        by_day.entry(event.date).or_default().push(event);
    }
    for day_events in by_day.values_mut() {
        day_events.sort_by(|a, b| a.kind.same_day_cmp(&b.kind));
    }
    let mut state = State {
        protocol,
        level_index: 0,
        started: false,
        discontinued: false,
        holds: Vec::new(),
        lower_on_resume: false,
        breaks: Vec::new(),
        cycle: None,
        grades: Vec::new(),
        recommendations: Vec::new(),
        deviations: Vec::new(),
    };
    let mut days = Vec::new();
    let Some(first) = by_day.keys().next().copied() else {
        return Evaluation {
            days,
            recommendations: Vec::new(),
            deviations: Vec::new(),
        };
    };
    let mut date = first;
    while date <= through {
        state.expire_holds(date);
        for event in by_day.get(&date).into_iter().flatten() {
            state.apply(event);
        }
        days.push(state.day_status(date));
        let Some(next) = date.succ_opt() else { break };
        date = next;
    }
    Evaluation {
        days,
        recommendations: state.recommendations,
        deviations: state.deviations,
    }
}

impl State<'_> {
    fn drug(&self) -> String {
        self.protocol.treatment.clone()
    }

    fn current_dose_mg(&self) -> Option<f64> {
        if self.discontinued {
            return None;
        }
        match &self.protocol.dose_levels {
            Some(ladder) => ladder.levels_mg.get(self.level_index).copied(),
            None => self
                .protocol
                .schedule
                .as_ref()
                .map(|schedule| schedule.dose_mg),
        }
    }

    fn is_lowest_level(&self) -> bool {
        self.protocol
            .dose_levels
            .as_ref()
            .is_none_or(|ladder| self.level_index + 1 >= ladder.levels_mg.len())
    }

    fn recommend(
        &mut self,
        date: NaiveDate,
        action: RecommendedAction,
        target: String,
        reason: String,
        rule: &Rule,
    ) {
        let dose_mg = match action {
            RecommendedAction::Resume | RecommendedAction::Continue => self.current_dose_mg(),
            _ => None,
        };
        self.recommendations.push(Recommendation {
            protocol: self.protocol.id.clone(),
            date,
            action,
            target,
            dose_mg,
            reason,
            rule_id: rule.id.clone(),
            source: rule.source.clone(),
            note: rule.note.clone(),
        });
    }

    fn discontinue(
        &mut self,
        date: NaiveDate,
        reason: String,
        rule_id: String,
        source: Source,
        note: Option<String>,
    ) {
        if self.discontinued {
            return;
        }
        self.discontinued = true;
        self.holds.clear();
        self.recommendations.push(Recommendation {
            protocol: self.protocol.id.clone(),
            date,
            action: RecommendedAction::Discontinue,
            target: self.drug(),
            dose_mg: None,
            reason,
            rule_id,
            source,
            note,
        });
    }

    fn expire_holds(&mut self, date: NaiveDate) {
        let expired: Vec<PendingHold> = self
            .holds
            .iter()
            .filter(|hold| hold.deadline.is_some_and(|deadline| date > deadline))
            .cloned()
            .collect();
        for hold in expired {
            if !discontinues_after_time_limit(&hold) {
                continue;
            }
            let days = hold_days(&hold.rule);
            let reason = format!(
                "{} not back to grade <= {} within {days} days of the hold",
                hold.term, hold.resume_when_grade_at_most
            );
            self.discontinue(
                date,
                reason,
                hold.rule.id.clone(),
                hold.rule.source.clone(),
                hold.rule.note.clone(),
            );
        }
    }

    fn apply(&mut self, event: &ProtocolEvent) {
        let date = event.date;
        match &event.kind {
            EventKind::Graded { term, grade, facts } => self.graded(date, term, *grade, facts),
            EventKind::CycleStart { cycle } => self.cycle_start(date, *cycle),
            EventKind::Administration { dose_mg } => self.administration(date, *dose_mg),
            EventKind::RadiotherapyFraction => {
                if let Some(pending) = self.breaks.first() {
                    self.deviations.push(Deviation {
                        date,
                        kind: DeviationKind::RadiotherapyDuringBreak,
                        description: format!(
                            "radiotherapy fraction given during a break for {} (resume at grade <= {})",
                            pending.term, pending.resume_when_grade_at_most
                        ),
                        rule_id: Some(pending.rule.id.clone()),
                    });
                }
            }
        }
    }

    fn graded(&mut self, date: NaiveDate, term: &str, grade: u8, facts: &str) {
        self.grades.push((date, term.to_owned(), grade));
        let observed = format!("{facts}: {term} grade {grade}");
        self.recover(date, term, grade, &observed);
        let rules: Vec<Rule> = self
            .protocol
            .rules
            .iter()
            .filter(|rule| {
                rule.terms.iter().any(|name| name == term) && rule.grades.contains(&grade)
            })
            .cloned()
            .collect();
        for rule in rules {
            self.fire(date, &rule, term, &observed);
        }
    }

    /// Lifts holds and breaks whose condition the new grade meets.
    fn recover(&mut self, date: NaiveDate, term: &str, grade: u8, observed: &str) {
        let was_held = !self.holds.is_empty();
        let (met, pending): (Vec<PendingHold>, Vec<PendingHold>) = std::mem::take(&mut self.holds)
            .into_iter()
            .partition(|hold| hold.term == term && grade <= hold.resume_when_grade_at_most);
        self.holds = pending;
        if was_held
            && self.holds.is_empty()
            && !self.discontinued
            && let Some(last) = met.last()
        {
            // Without a limit, a hold at the lowest level resumes there (the ladder has no lower step).
            let lowest_index = self
                .protocol
                .dose_levels
                .as_ref()
                .map_or(0, |ladder| ladder.levels_mg.len() - 1);
            if self.lower_on_resume {
                self.level_index = (self.level_index + 1).min(lowest_index);
            }
            self.lower_on_resume = false;
            let reason = format!(
                "{observed} (<= {}): resume{}",
                last.resume_when_grade_at_most,
                if matches!(last.resume_at, ResumeAt::NextLowerLevel) {
                    " one dose level lower"
                } else {
                    " at the same level"
                }
            );
            let rule = last.rule.clone();
            self.recommend(date, RecommendedAction::Resume, self.drug(), reason, &rule);
        }
        let (met, pending): (Vec<PendingBreak>, Vec<PendingBreak>) =
            std::mem::take(&mut self.breaks)
                .into_iter()
                .partition(|pending| {
                    pending.term == term && grade <= pending.resume_when_grade_at_most
                });
        self.breaks = pending;
        if self.breaks.is_empty()
            && let Some(last) = met.last()
        {
            let reason = format!(
                "{observed} (<= {}): resume radiotherapy",
                last.resume_when_grade_at_most
            );
            let rule = last.rule.clone();
            self.recommend(
                date,
                RecommendedAction::ResumeRadiotherapy,
                "radiotherapy".to_owned(),
                reason,
                &rule,
            );
        }
    }

    fn fire(&mut self, date: NaiveDate, rule: &Rule, term: &str, observed: &str) {
        match &rule.action {
            Action::Continue => {
                if !self.discontinued && self.holds.is_empty() {
                    self.recommend(
                        date,
                        RecommendedAction::Continue,
                        self.drug(),
                        format!("{observed}: continue at the current level"),
                        rule,
                    );
                }
            }
            Action::Discontinue => {
                self.discontinue(
                    date,
                    format!("{observed}: discontinue"),
                    rule.id.clone(),
                    rule.source.clone(),
                    rule.note.clone(),
                );
            }
            Action::Hold(hold) => {
                if self.discontinued
                    || self
                        .holds
                        .iter()
                        .any(|pending| pending.rule.id == rule.id && pending.term == term)
                {
                    return;
                }
                if hold.resume_at == ResumeAt::NextLowerLevel
                    && self.is_lowest_level()
                    && let Some(limit) = self.protocol.limits.iter().find(|limit| {
                        limit.kind == LimitKind::DiscontinueWhenLowestLevelNotTolerated
                    })
                {
                    let lowest = self.current_dose_mg().unwrap_or_default();
                    let reason = format!(
                        "{observed} at the lowest dose level ({lowest} mg): rule {} calls for a lower level, and the lowest level is not tolerated",
                        rule.id
                    );
                    self.discontinue(date, reason, limit.id.clone(), limit.source.clone(), None);
                    return;
                }
                let deadline = hold
                    .time_limit_days
                    .and_then(|days| date.checked_add_days(chrono::Days::new(u64::from(days))));
                self.lower_on_resume |= hold.resume_at == ResumeAt::NextLowerLevel;
                self.holds.push(PendingHold {
                    rule: rule.clone(),
                    term: term.to_owned(),
                    resume_when_grade_at_most: hold.resume_when_grade_at_most,
                    resume_at: hold.resume_at,
                    deadline,
                });
                let limit = match (hold.time_limit_days, deadline) {
                    (Some(days), Some(deadline)) => {
                        format!(" within {days} days (by {deadline}), otherwise discontinue")
                    }
                    _ => String::new(),
                };
                let level = match hold.resume_at {
                    ResumeAt::SameLevel => "at the same level",
                    ResumeAt::NextLowerLevel => "one dose level lower",
                };
                let reason = format!(
                    "{observed}: hold until grade <= {}{limit}, then resume {level}",
                    hold.resume_when_grade_at_most
                );
                self.recommend(date, RecommendedAction::Hold, self.drug(), reason, rule);
            }
            Action::RadiotherapyBreak(pause) => {
                if self
                    .breaks
                    .iter()
                    .any(|pending| pending.rule.id == rule.id && pending.term == term)
                {
                    return;
                }
                self.breaks.push(PendingBreak {
                    rule: rule.clone(),
                    term: term.to_owned(),
                    resume_when_grade_at_most: pause.resume_when_grade_at_most,
                });
                let reason = format!(
                    "{observed}: interrupt radiotherapy until grade <= {}",
                    pause.resume_when_grade_at_most
                );
                self.recommend(
                    date,
                    RecommendedAction::RadiotherapyBreak,
                    "radiotherapy".to_owned(),
                    reason,
                    rule,
                );
            }
            Action::Notify { whom } => {
                let reason = format!("{observed}: notify {whom}");
                self.recommend(
                    date,
                    RecommendedAction::Notify,
                    self.protocol.treatment.clone(),
                    reason,
                    rule,
                );
            }
            Action::SupportiveCare { care } => {
                let reason = format!("{observed}: {care}");
                self.recommend(
                    date,
                    RecommendedAction::SupportiveCare,
                    self.protocol.treatment.clone(),
                    reason,
                    rule,
                );
            }
        }
    }

    fn cycle_start(&mut self, date: NaiveDate, cycle: u32) {
        self.started = true;
        self.cycle = Some((cycle, date));
        for requirement in &self.protocol.pre_cycle {
            let window_start = date
                .checked_sub_days(chrono::Days::new(u64::from(requirement.within_days)))
                .unwrap_or(date);
            let latest = self.grades.iter().rev().find(|(when, term, _)| {
                *term == requirement.term && *when >= window_start && *when <= date
            });
            match latest {
                None => self.deviations.push(Deviation {
                    date,
                    kind: DeviationKind::CycleStartedWithoutPreCycleValue,
                    description: format!(
                        "cycle {cycle} started without a {} value in the {} days before it",
                        requirement.term, requirement.within_days
                    ),
                    rule_id: Some(requirement.id.clone()),
                }),
                Some((when, _, grade)) if *grade > requirement.max_grade => self.deviations.push(Deviation {
                    date,
                    kind: DeviationKind::CycleStartedWithPreCycleValueOutOfRange,
                    description: format!(
                        "cycle {cycle} started with {} grade {grade} on {when} (required <= {})",
                        requirement.term, requirement.max_grade
                    ),
                    rule_id: Some(requirement.id.clone()),
                }),
                Some(_) => {}
            }
        }
    }

    fn administration(&mut self, date: NaiveDate, dose_mg: f64) {
        self.started = true;
        let deviation = if self.discontinued {
            Some((
                DeviationKind::DosingAfterDiscontinuation,
                format!("{dose_mg} mg given after {} was discontinued", self.drug()),
                None,
            ))
        } else if let Some(hold) = self.holds.first() {
            Some((
                DeviationKind::DosingWhileHeld,
                format!(
                    "{dose_mg} mg given while held for {} (resume at grade <= {})",
                    hold.term, hold.resume_when_grade_at_most
                ),
                Some(hold.rule.id.clone()),
            ))
        } else {
            self.current_dose_mg()
                .filter(|level| dose_mg > level + 1e-9)
                .map(|level| {
                    (
                        DeviationKind::DoseAboveCurrentLevel,
                        format!("{dose_mg} mg given above the current level of {level} mg"),
                        None,
                    )
                })
        };
        if let Some((kind, description, rule_id)) = deviation {
            self.deviations.push(Deviation {
                date,
                kind,
                description,
                rule_id,
            });
        }
    }

    fn day_status(&self, date: NaiveDate) -> DayStatus {
        let state = if self.discontinued {
            DrugState::Discontinued
        } else if !self.holds.is_empty() {
            DrugState::Held
        } else if self.started {
            DrugState::Active
        } else {
            DrugState::NotStarted
        };
        let cycle = self.cycle.and_then(|(number, start)| {
            let day = u32::try_from((date - start).num_days()).ok()? + 1;
            Some((number, day))
        });
        let dosing_day = state == DrugState::Active
            && match (&self.protocol.schedule, cycle) {
                (Some(schedule), Some((_, day))) => {
                    day >= schedule.days_on.0 && day <= schedule.days_on.1
                }
                _ => false,
            };
        DayStatus {
            date,
            state,
            dose_level_mg: self.current_dose_mg(),
            cycle,
            dosing_day,
            radiotherapy_on_break: !self.breaks.is_empty(),
        }
    }
}

fn discontinues_after_time_limit(hold: &PendingHold) -> bool {
    matches!(
        &hold.rule.action,
        Action::Hold(action) if action.after_time_limit == Some(AfterTimeLimit::Discontinue)
    )
}

fn hold_days(rule: &Rule) -> u32 {
    match &rule.action {
        Action::Hold(action) => action.time_limit_days.unwrap_or_default(),
        _ => 0,
    }
}
