//! The protocols' recommendations for a patient and clinicians' decisions on them.
//!
//! A decision (acknowledged, or overridden with a reason) is a clinical fact: an event of kind
//! [`DECISION_KIND`] in the patient's append-only log, audited, authored by the clinician. Its
//! fact id is `decision:KEY`, so each recommendation has one chain of decisions: the first
//! decision asserts it, a later one is a correction that supersedes it (201 each time; the
//! earlier decision stays in the fact's history). Two decisions racing on the same
//! recommendation: one wins, the other is refused with 409 and may be repeated.
//!
//! The recommendation key is [`recommendation_key`]: `PROTOCOL.RULE.DATE.TARGET`, each part
//! lowercased with every character other than `a-z`, `0-9`, `-` and `_` written `-`, e.g.
//! `anlotinib.platelets-g3-4-hold.2022-08-22.anlotinib`. It is derived from what identifies a
//! recommendation — which protocol's rule fired, on which day, for which drug or treatment —
//! so it is the same in every assessment that makes that recommendation.

use std::collections::HashMap;

use axum::http::StatusCode;
use oncourse_store::{Actor, Event, NewFact, PutFact, RequestKey, ValidTime};
use oncourse_tox::protocol::Recommendation;
use oncourse_wire::protocol::RecommendationView;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::access::{ReadView, read_view, require_decide};
use crate::deidentify::deidentify_json;
use crate::service::assessment::{AssessmentQuery, assess_patient};
use crate::{ApiError, AppState};

/// The event kind of a decision on a recommendation.
pub const DECISION_KIND: &str = "recommendation_decision";

/// What a clinician decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Seen and to be followed.
    Acknowledged,
    /// Seen and not followed, for a stated reason.
    Overridden,
}

/// Where a recommendation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// No decision yet.
    Open,
    /// Acknowledged by a clinician.
    Acknowledged,
    /// Overridden by a clinician.
    Overridden,
}

impl From<Decision> for Status {
    fn from(decision: Decision) -> Status {
        match decision {
            Decision::Acknowledged => Status::Acknowledged,
            Decision::Overridden => Status::Overridden,
        }
    }
}

/// The stored payload of a decision.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionFact {
    recommendation: String,
    decision: Decision,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

/// The decision in force on a recommendation.
#[derive(Debug, Serialize)]
pub struct DecisionOut {
    /// What was decided.
    pub decision: Decision,
    /// The clinician's user name.
    pub by: String,
    /// When it was recorded (RFC 3339).
    pub at: String,
    /// Why (required for an override).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The decision's event.
    pub event_id: String,
}

/// A recommendation with its key and status.
#[derive(Serialize)]
pub struct RecommendationStatus {
    /// The stable key (see the module documentation).
    pub key: String,
    /// The recommendation, as in the assessment's JSON.
    #[serde(flatten)]
    pub recommendation: RecommendationView,
    /// Open, acknowledged or overridden.
    pub status: Status,
    /// The decision in force, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionOut>,
}

/// The key of a recommendation: `PROTOCOL.RULE.DATE.TARGET` (see the module documentation).
pub fn recommendation_key(recommendation: &Recommendation) -> String {
    let part = |text: &str| -> String {
        text.chars()
            .map(|c| match c.to_ascii_lowercase() {
                c @ ('a'..='z' | '0'..='9' | '-' | '_') => c,
                _ => '-',
            })
            .collect()
    };
    format!(
        "{}.{}.{}.{}",
        part(&recommendation.protocol),
        part(&recommendation.rule_id),
        recommendation.date.format("%Y-%m-%d"),
        part(&recommendation.target)
    )
}

/// The patient's recommendations (of the assessment as of its last fact, known now), in date
/// order, each with its status and the decision in force.
pub async fn recommendations(
    state: &AppState,
    patient_id: &str,
) -> Result<Vec<RecommendationStatus>, ApiError> {
    let assessed = assess_patient(state, patient_id, &AssessmentQuery::default()).await?;
    let events = state
        .store
        .facts_of_kind_as_of(patient_id, DECISION_KIND, None)
        .await?;
    let names: HashMap<String, String> = state
        .store
        .users()
        .await?
        .into_iter()
        .map(|user| (user.id, user.name))
        .collect();
    let mut decisions = HashMap::new();
    for event in events {
        let (key, decision) = decision_out(event, &names)?;
        decisions.insert(key, decision);
    }
    Ok(assessed
        .assessment
        .recommendations
        .iter()
        .map(|recommendation| {
            let key = recommendation_key(recommendation);
            let decision = decisions.remove(&key);
            RecommendationStatus {
                status: decision
                    .as_ref()
                    .map_or(Status::Open, |d| d.decision.into()),
                recommendation: RecommendationView::from(recommendation),
                decision,
                key,
            }
        })
        .collect())
}

/// The recommendations as JSON in the caller's read view: researchers get no key (it holds
/// a real date), no decider, no free text, and shifted dates.
pub async fn recommendations_json(
    state: &AppState,
    actor: &Actor,
    patient_id: &str,
) -> Result<Value, ApiError> {
    let list = recommendations(state, patient_id).await?;
    let mut json = serde_json::to_value(&list)
        .map_err(|_| ApiError::internal("cannot serialise the recommendations"))?;
    if read_view(actor) == ReadView::Deidentified {
        for item in json.as_array_mut().into_iter().flatten() {
            if let Value::Object(map) = item {
                map.remove("key");
                if let Some(Value::Object(decision)) = map.get_mut("decision") {
                    decision.remove("by");
                }
            }
        }
        let shift = state.store.research_date_shift_days(patient_id).await?;
        deidentify_json(&mut json, shift);
    }
    Ok(json)
}

/// Records a clinician's decision on the recommendation `key`; an override needs a reason.
/// Returns the recommendation with the new decision in force, and whether this was a retry:
/// with the caller's idempotency key, a retry of the same request records nothing and
/// answers with the first decision (the flag is true).
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    patient_id: &str,
    key: &str,
    decision: Decision,
    reason: Option<String>,
    request_key: Option<RequestKey>,
) -> Result<(RecommendationStatus, bool), ApiError> {
    require_decide(actor)?;
    let reason = reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    if decision == Decision::Overridden && reason.is_none() {
        return Err(ApiError::bad_field(
            "reason",
            "reason: an override needs a reason, got none".to_owned(),
        ));
    }
    let current = recommendations(state, patient_id).await?;
    let Some(found) = current.into_iter().find(|r| r.key == key) else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            Some("key".to_owned()),
            format!(
                "key: patient {patient_id:?} has no recommendation {key:?}; see GET /api/patients/{patient_id}/recommendations"
            ),
        ));
    };
    let payload = serde_json::to_string(&DecisionFact {
        recommendation: key.to_owned(),
        decision,
        reason: reason.clone(),
    })
    .map_err(|_| ApiError::internal("cannot serialise a decision"))?;
    let now = state.clock.now();
    let audit_action = match decision {
        Decision::Acknowledged => "recommendation.acknowledge",
        Decision::Overridden => "recommendation.override",
    };
    let appended = state
        .store
        .put_fact(
            actor,
            patient_id,
            PutFact {
                fact: NewFact {
                    fact_id: Some(format!("decision:{key}")),
                    fact_kind: DECISION_KIND.to_owned(),
                    valid_time: ValidTime::Instant(now),
                    payload,
                    idempotency_key: None,
                },
                reason: "a new decision supersedes the earlier one".to_owned(),
                audit_action,
                request_key,
            },
            now,
        )
        .await?;
    // A replay answers with the decision the first request recorded.
    let names = HashMap::from([(actor.user_id.clone(), actor.name.clone())]);
    let (_, decided) = decision_out(appended.event, &names)?;
    let status = RecommendationStatus {
        status: decided.decision.into(),
        decision: Some(decided),
        ..found
    };
    Ok((status, appended.replayed))
}

/// A stored decision: its recommendation key and the decision as shown.
fn decision_out(
    event: Event,
    names: &HashMap<String, String>,
) -> Result<(String, DecisionOut), ApiError> {
    let fact: DecisionFact = event
        .payload
        .as_deref()
        .and_then(|payload| serde_json::from_str(payload).ok())
        .ok_or_else(|| {
            eprintln!(
                "error: event {}: the stored decision does not parse",
                event.event_id
            );
            ApiError::internal(
                "internal error: a stored decision does not parse; see the server log",
            )
        })?;
    let by = names
        .get(&event.author)
        .cloned()
        .unwrap_or_else(|| event.author.clone());
    Ok((
        fact.recommendation,
        DecisionOut {
            decision: fact.decision,
            by,
            at: event.recorded_at,
            reason: fact.reason,
            event_id: event.event_id,
        },
    ))
}
