//! The recommendation inbox of the patient page: the protocols' recommendations with their
//! status.

use oncourse_engine::Recommendation;
use oncourse_report::case_report::number;

/// One recommendation as the inbox shows it.
pub struct InboxRow {
    /// The stable key (empty where no decision can be taken on it).
    pub key: String,
    /// The day it applies to.
    pub date: String,
    /// What to do, e.g. `hold anlotinib`.
    pub action: String,
    /// The values and grades that made the rule fire.
    pub reason: String,
    /// The rule's id.
    pub rule: String,
    /// The rule's published source.
    pub source: String,
    /// An institutional rule without a published source.
    pub local: bool,
    /// `open`, `acknowledged` or `overridden`.
    pub status: &'static str,
    /// Who decided and when.
    pub decided: String,
    /// The override's reason.
    pub decision_reason: String,
    /// Why the last decision was refused.
    pub error: String,
}

impl InboxRow {
    /// A recommendation no one has decided on.
    pub fn undecided(r: &Recommendation) -> InboxRow {
        InboxRow {
            key: String::new(),
            date: r.date.to_string(),
            action: match r.dose_mg {
                Some(mg) => format!("{:?} {} at {} mg", r.action, r.target, number(mg, 2)),
                None => format!("{:?} {}", r.action, r.target),
            },
            reason: r.reason.clone(),
            rule: r.rule_id.clone(),
            source: r.source.to_string(),
            local: r.source == oncourse_engine::RuleSource::Local,
            status: "open",
            decided: String::new(),
            decision_reason: String::new(),
            error: String::new(),
        }
    }
}
