//! Protocol recommendations and deviations as JSON.

use chrono::NaiveDate;
use oncourse_tox::protocol::{Deviation, Recommendation, Source};
use serde::Serialize;

/// A protocol recommendation as JSON (shared by `oncourse protocol --events`, `assess` and the API).
#[derive(Serialize)]
pub struct RecommendationView {
    /// The id of the protocol whose rule fired.
    pub protocol: String,
    /// The day it applies to.
    pub date: NaiveDate,
    /// The action, snake case (e.g. `hold`, `resume`, `discontinue`).
    pub action: String,
    /// The drug, or `radiotherapy`.
    pub target: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The dose to continue or resume at, where the action sets one.
    pub dose_mg: Option<f64>,
    /// The facts and grades that made the rule fire.
    pub reason: String,
    /// The protocol rule that fired.
    pub rule_id: String,
    /// The rule's published source, or `local`.
    pub source: String,
    /// Whether the rule rests only on local practice.
    pub local: bool,
}

/// A deviation from a protocol as JSON (shared by `oncourse protocol --events`, `assess` and the API).
#[derive(Serialize)]
pub struct DeviationView {
    /// The day it applies to.
    pub date: NaiveDate,
    /// What kind of deviation, snake case.
    pub kind: String,
    /// What was done and what the protocol said.
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The rule involved, if one.
    pub rule_id: Option<String>,
}

/// The snake-case serde name of a unit enum variant.
pub fn snake_case_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl From<&Recommendation> for RecommendationView {
    fn from(recommendation: &Recommendation) -> Self {
        RecommendationView {
            protocol: recommendation.protocol.clone(),
            date: recommendation.date,
            action: snake_case_name(&recommendation.action),
            target: recommendation.target.clone(),
            dose_mg: recommendation.dose_mg,
            reason: recommendation.reason.clone(),
            rule_id: recommendation.rule_id.clone(),
            source: recommendation.source.to_string(),
            local: recommendation.source == Source::Local,
        }
    }
}

impl From<&Deviation> for DeviationView {
    fn from(deviation: &Deviation) -> Self {
        DeviationView {
            date: deviation.date,
            kind: snake_case_name(&deviation.kind),
            description: deviation.description.clone(),
            rule_id: deviation.rule_id.clone(),
        }
    }
}
