//! The API's JSON shapes (a compatibility promise: change them only with a new version), and
//! their conversion from and to the store's and the model's types.
//!
//! A fact travels as the domain model's [`oncourse_model::Fact`] JSON: `{"id", "date",
//! "illustrative", "note", "supersedes", "body": {"kind": …}}`. The store keeps it without the
//! id (the event's `fact_id` is the id), so a fact id the store makes up is never written twice.

use chrono::NaiveDate;
use oncourse_model::{FactBody, FactId};
use oncourse_store::{Event, EventAction, Patient};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ApiError;
use crate::access::ReadView;
use crate::deidentify::{deidentify_fact_json, deidentify_json, shift_date_text};

/// `POST /api/login`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginIn {
    /// User name.
    pub name: String,
    /// Password.
    pub password: String,
}

/// `POST /api/patients` with JSON.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatientIn {
    /// The patient's name (identifying).
    pub name: String,
    /// A hospital identifier (identifying).
    pub identifier: Option<String>,
}

/// A patient as the API shows it; researchers get no name or identifier.
#[derive(Serialize)]
pub struct PatientOut {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    pub created_at: String,
}

impl PatientOut {
    pub fn new(patient: Patient, view: ReadView, shift_days: i64) -> PatientOut {
        match view {
            ReadView::Identified => PatientOut {
                id: patient.id,
                name: Some(patient.display_name),
                identifier: patient.identifier,
                created_at: patient.created_at,
            },
            ReadView::Deidentified => PatientOut {
                id: patient.id,
                name: None,
                identifier: None,
                created_at: shift_date_text(&patient.created_at, shift_days)
                    .unwrap_or(patient.created_at),
            },
        }
    }
}

/// A fact to append (`POST /api/patients/{id}/facts`, alone or in an array).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactIn {
    /// The fact's id; the store makes one up when absent.
    pub id: Option<String>,
    /// The valid time: the date it happened.
    pub date: NaiveDate,
    /// True when the entry is illustrative.
    #[serde(default)]
    pub illustrative: bool,
    /// Free text.
    pub note: Option<String>,
    /// A fact (another id) this one replaces, in the model's sense.
    pub supersedes: Option<String>,
    /// What happened.
    pub body: FactBody,
    /// Makes a retried request return the first result (alternatively the `Idempotency-Key`
    /// header, for a single fact).
    pub idempotency_key: Option<String>,
}

/// A correction (`POST …/facts/{fact_id}/corrections`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectionIn {
    /// The event id of the version being corrected (the latest).
    pub supersedes: String,
    /// The corrected valid time.
    pub date: NaiveDate,
    /// True when the entry is illustrative.
    #[serde(default)]
    pub illustrative: bool,
    /// Free text.
    pub note: Option<String>,
    /// The corrected content; its kind must be the fact's kind.
    pub body: FactBody,
    /// Why.
    pub reason: String,
}

/// A retraction (`POST …/facts/{fact_id}/retractions`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetractionIn {
    /// The event id of the latest version.
    pub supersedes: String,
    /// Why.
    pub reason: String,
}

/// The stored payload: a model fact without its id.
#[derive(Serialize, Deserialize)]
pub struct StoredFact {
    pub date: NaiveDate,
    #[serde(default)]
    pub illustrative: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<FactId>,
    pub body: FactBody,
}

impl StoredFact {
    /// The payload text.
    pub fn to_payload(&self) -> Result<String, ApiError> {
        serde_json::to_string(self).map_err(|_| ApiError::internal("cannot serialise a fact"))
    }
}

/// The model fact an event carries (none for a retraction) as a reader with `view` sees it:
/// for a researcher, dates moved by `shift_days` and free text withheld, before the engine sees
/// it. For everyone else the payload is read straight into the model's types (no intermediate
/// JSON tree): the assessment reads every event of a record.
pub fn model_fact_seen(
    event: &Event,
    view: ReadView,
    shift_days: i64,
) -> Result<Option<oncourse_model::Fact>, ApiError> {
    let Some(payload) = event.payload.as_deref() else {
        return Ok(None);
    };
    let stored: Result<StoredFact, serde_json::Error> = match view {
        ReadView::Identified => serde_json::from_str(payload),
        ReadView::Deidentified => serde_json::from_str::<Value>(payload).and_then(|mut value| {
            deidentify_fact_json(&mut value, shift_days);
            serde_json::from_value(value)
        }),
    };
    let stored = stored.map_err(|error| {
        eprintln!(
            "error: event {}: the stored fact does not parse: {error}",
            event.event_id
        );
        ApiError::internal("internal error: a stored fact does not parse; see the server log")
    })?;
    Ok(Some(oncourse_model::Fact {
        id: FactId(event.fact_id.clone()),
        date: stored.date,
        supersedes: stored.supersedes,
        illustrative: stored.illustrative,
        note: stored.note,
        body: stored.body,
    }))
}

/// The event's fact as JSON with its id, or none for a retraction.
fn fact_json(event: &Event) -> Option<Value> {
    let payload = event.payload.as_deref()?;
    let mut value: Value = serde_json::from_str(payload).ok()?;
    if let Value::Object(map) = &mut value {
        map.insert("id".to_owned(), Value::String(event.fact_id.clone()));
    }
    Some(value)
}

/// An event as the API shows it.
#[derive(Serialize)]
pub struct EventOut {
    pub event_id: String,
    pub seq: i64,
    pub fact_id: String,
    pub action: &'static str,
    pub kind: String,
    pub valid_time: String,
    pub recorded_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The fact (the model's JSON); null for a retraction.
    pub fact: Option<Value>,
    /// True when this answers a retried request (nothing was added).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub replayed: bool,
}

impl EventOut {
    pub fn new(event: Event, view: ReadView, shift_days: i64, replayed: bool) -> EventOut {
        let mut fact = fact_json(&event);
        let action = match event.action {
            EventAction::Assert => "assert",
            EventAction::Correct => "correct",
            EventAction::Retract => "retract",
        };
        let out = EventOut {
            event_id: event.event_id,
            seq: event.seq,
            fact_id: event.fact_id,
            action,
            kind: event.fact_kind,
            valid_time: event.valid_time,
            recorded_at: event.recorded_at,
            author: Some(event.author),
            supersedes: event.supersedes,
            reason: event.reason,
            fact: None,
            replayed,
        };
        match view {
            ReadView::Identified => EventOut { fact, ..out },
            ReadView::Deidentified => {
                if let Some(fact) = &mut fact {
                    deidentify_json(fact, shift_days);
                }
                let shift = |text: String| shift_date_text(&text, shift_days).unwrap_or(text);
                EventOut {
                    valid_time: shift(out.valid_time),
                    recorded_at: shift(out.recorded_at),
                    author: None,
                    reason: None,
                    fact,
                    ..out
                }
            }
        }
    }
}
