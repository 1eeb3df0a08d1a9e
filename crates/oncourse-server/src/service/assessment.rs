//! The engine's assessment of a stored record, cached.
//!
//! An assessment is a pure function of the patient's events, the as-of date, the recorded
//! time cut (`known_at`) and the server's protocols. The log is append-only, so the events
//! a patient had when its latest event was number N never change: an entry keyed by
//! (patient, latest event seq, as_of, known_at) never goes stale, and a new event simply makes
//! a new key. Old entries leave the bounded cache as it fills. Concurrent requests for the same
//! key wait for one computation. The JSON of each read view is made once per entry.

use std::io::Write;
use std::sync::{Arc, OnceLock};

use super::log_cache::LogCache;

use axum::body::Bytes;
use axum::http::StatusCode;
use chrono::NaiveDate;
use flate2::Compression;
use flate2::write::GzEncoder;
use oncourse_engine::{AssessOptions, Assessment, assess};
use oncourse_model::Record;
use oncourse_store::{Actor, Event, Timestamp};
use oncourse_tox::protocol::Protocol;
use oncourse_wire::assessment as assess_json;

use crate::access::{ReadView, read_view};
use crate::deidentify::deidentify_json;
use crate::service::recommendations::DECISION_KIND;
use crate::wire::model_fact_seen;
use crate::{ApiError, AppState};

/// Which assessment: the clinical date and what the store knew.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct AssessmentQuery {
    /// The engine's clinical date: facts dated later are invisible. Default: the date of the
    /// record's last fact, as in `oncourse assess`.
    pub as_of: Option<NaiveDate>,
    /// The recorded-time cut of the event log: what the store knew then. Default: now.
    pub known_at: Option<Timestamp>,
}

/// An assessment of a stored record, with its JSON documents made on first use.
#[derive(Debug)]
pub struct Assessed {
    /// The engine's output.
    pub assessment: Assessment,
    identified: OnceLock<JsonDocument>,
    deidentified: OnceLock<JsonDocument>,
}

/// A JSON document, plain and gzip-compressed: a large assessment (megabytes for a record of
/// thousands of facts) is compressed once, when it enters the cache, not on every request.
#[derive(Clone, Debug)]
pub struct JsonDocument {
    /// The JSON text.
    pub json: Bytes,
    /// The same, gzip-compressed (for `Accept-Encoding: gzip`).
    pub gzip: Bytes,
}

impl JsonDocument {
    fn new(json: Vec<u8>) -> Result<JsonDocument, ApiError> {
        let mut encoder = GzEncoder::new(Vec::with_capacity(json.len() / 8), Compression::fast());
        encoder
            .write_all(&json)
            .map_err(|_| ApiError::internal("cannot compress the assessment"))?;
        let gzip = encoder
            .finish()
            .map_err(|_| ApiError::internal("cannot compress the assessment"))?;
        Ok(JsonDocument {
            json: Bytes::from(json),
            gzip: Bytes::from(gzip),
        })
    }
}

/// The bounded cache of assessments, per assessment query.
pub(crate) type AssessmentCache = LogCache<AssessmentQuery, Assessed>;

/// The assessment of a patient's stored record (identified: for clinical use), from the cache
/// when the patient's log has not changed since it was computed.
pub async fn assess_patient(
    state: &AppState,
    patient_id: &str,
    query: &AssessmentQuery,
) -> Result<Arc<Assessed>, ApiError> {
    state
        .assessments
        .get_or_compute(
            &state.store,
            patient_id,
            query.clone(),
            compute(state, patient_id, query),
        )
        .await
}

/// The assessment as the JSON of `oncourse assess --json`, in the caller's read view
/// (researchers: de-identified).
pub async fn assessment_json(
    state: &AppState,
    actor: &Actor,
    patient_id: &str,
    query: &AssessmentQuery,
) -> Result<JsonDocument, ApiError> {
    let assessed = assess_patient(state, patient_id, query).await?;
    let view = read_view(actor);
    let cell = match view {
        ReadView::Identified => &assessed.identified,
        ReadView::Deidentified => &assessed.deidentified,
    };
    if let Some(json) = cell.get() {
        return Ok(json.clone());
    }
    let mut json = serde_json::to_value(assess_json::to_json(&assessed.assessment))
        .map_err(|_| ApiError::internal("cannot serialise the assessment"))?;
    if view == ReadView::Deidentified {
        let shift = state.store.research_date_shift_days(patient_id).await?;
        deidentify_json(&mut json, shift);
    }
    let bytes = serde_json::to_vec(&json)
        .map_err(|_| ApiError::internal("cannot serialise the assessment"))?;
    let document = tokio::task::spawn_blocking(move || JsonDocument::new(bytes))
        .await
        .map_err(|_| ApiError::internal("internal error: the compression task failed"))??;
    Ok(cell.get_or_init(|| document).clone())
}

/// The record of a patient's events as a reader with `view` sees it (researchers: dates moved
/// by `shift_days`, free text withheld). Decisions on recommendations live in the same log but
/// are not facts of the course, so they are left out.
pub fn record_of(events: &[Event], view: ReadView, shift_days: i64) -> Result<Record, ApiError> {
    let mut facts = Vec::with_capacity(events.len());
    for event in events.iter().filter(|e| e.fact_kind != DECISION_KIND) {
        facts.extend(model_fact_seen(event, view, shift_days)?);
    }
    Ok(Record::new(facts))
}

/// The engine's assessment of `record` as of `as_of` (default: its last fact's date) with
/// `protocols`; 422 when the record has no facts or the engine refuses it.
pub fn assess_record(
    record: &Record,
    as_of: Option<NaiveDate>,
    protocols: Vec<Protocol>,
    patient_id: &str,
) -> Result<Assessment, ApiError> {
    let Some(as_of) = as_of.or_else(|| record.last_date()) else {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            format!("patient {patient_id:?} has no facts to assess"),
        ));
    };
    let mut options = AssessOptions::new(as_of);
    options.protocols = protocols;
    assess(record, &options)
        .map_err(|error| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, None, error.to_string()))
}

async fn compute(
    state: &AppState,
    patient_id: &str,
    query: &AssessmentQuery,
) -> Result<Assessed, ApiError> {
    let events = state.store.facts_as_of(patient_id, query.known_at).await?;
    let protocols = state.options.protocols.to_vec();
    let as_of = query.as_of;
    let patient = patient_id.to_owned();
    // Parsing the payloads and replaying the record is CPU work: off the async workers.
    let assessment = tokio::task::spawn_blocking(move || {
        let record = record_of(&events, ReadView::Identified, 0)?;
        assess_record(&record, as_of, protocols, &patient)
    })
    .await
    .map_err(|_| ApiError::internal("internal error: the assessment task failed"))??;
    Ok(Assessed {
        assessment,
        identified: OnceLock::new(),
        deidentified: OnceLock::new(),
    })
}
