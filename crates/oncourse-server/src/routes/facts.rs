//! Facts of a patient: as-of reads, append (one or a batch), history, correct, retract.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use oncourse_model::FactId;
use oncourse_store::{
    Actor, Appended, Correction, Event, NewFact, Retraction, Timestamp, ValidTime,
};
use serde::Deserialize;
use serde_json::json;

use crate::access::{read_view, require_write_fact};
use crate::extract::{Caller, JsonBody, JsonBytes, parse_json, request_key};
use crate::service::recommendations::DECISION_KIND;
use crate::wire::{CorrectionIn, EventOut, FactIn, RetractionIn, StoredFact};
use crate::{ApiError, AppState};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// RFC 3339: the facts as they were known then.
    as_of: Option<String>,
    /// Page size: at most this many facts (1 to [`MAX_PAGE`], default [`DEFAULT_PAGE`]).
    limit: Option<u32>,
    /// The `next` of the previous page: the facts after that event.
    after: Option<i64>,
}

/// The largest page.
const MAX_PAGE: u32 = 10_000;

/// The page size when none is asked: a large record is never sent whole by default (10 000
/// facts took seconds per request at 32 clients; bench/server).
const DEFAULT_PAGE: u32 = 1000;

/// The facts, one page at a time (`limit`, default [`DEFAULT_PAGE`]) with the `next` cursor
/// (null after the last page; `after` asks for the page that follows).
pub async fn list(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(patient_id): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let as_of = query
        .as_of
        .as_deref()
        .map(|text| Timestamp::parse("as_of", text))
        .transpose()?;
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::bad_field(
            "limit",
            format!("limit: expected 1 to {MAX_PAGE}, got {limit}"),
        ));
    }
    // One more than asked tells whether another page follows.
    let mut events = state
        .store
        .facts_page(&patient_id, as_of, query.after, limit + 1)
        .await?;
    let more = events.len() > limit as usize;
    events.truncate(limit as usize);
    let next = events.last().filter(|_| more).map(|event| event.seq);
    let out = present(&state, &actor, &patient_id, events).await?;
    Ok(Json(json!({ "facts": out, "next": next })))
}

pub async fn history(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((patient_id, fact_id)): Path<(String, String)>,
) -> Result<Json<serde_json::Value>, ApiError> {
    state.store.patient(&patient_id).await?;
    let events = state.store.fact_history(&patient_id, &fact_id).await?;
    let out = present(&state, &actor, &patient_id, events).await?;
    Ok(Json(json!({ "events": out })))
}

/// Appends one fact (a JSON object) or a batch (a JSON array, written all or nothing).
pub async fn append(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(patient_id): Path<String>,
    headers: HeaderMap,
    JsonBytes(bytes): JsonBytes,
) -> Result<Response, ApiError> {
    let is_batch = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    let request_key = request_key(
        &headers,
        &format!("POST /api/patients/{patient_id}/facts"),
        &bytes,
    )?;
    let facts: Vec<FactIn> = if is_batch {
        parse_json(&bytes)?
    } else {
        vec![parse_json(&bytes)?]
    };
    if facts.is_empty() {
        return Err(ApiError::bad_field(
            "[]",
            "request body: expected at least one fact".into(),
        ));
    }
    let mut new_facts = Vec::with_capacity(facts.len());
    for fact in facts {
        let kind = fact.body.kind_name();
        require_write_fact(&actor, kind)?;
        let stored = StoredFact {
            date: fact.date,
            illustrative: fact.illustrative,
            note: fact.note,
            supersedes: fact.supersedes.map(FactId),
            body: fact.body,
        };
        new_facts.push(NewFact {
            fact_id: fact.id,
            fact_kind: kind.to_owned(),
            valid_time: ValidTime::Date(fact.date),
            payload: stored.to_payload()?,
            idempotency_key: fact.idempotency_key,
        });
    }
    let now = state.clock.now();
    let appended = state
        .store
        .append_facts_keyed(&actor, &patient_id, new_facts, request_key, now)
        .await?;
    if is_batch {
        let status = created_or_replayed(&appended);
        let events = present_appended(&state, &actor, &patient_id, appended).await?;
        return Ok((status, Json(json!({ "events": events }))).into_response());
    }
    single_response(&state, &actor, &patient_id, appended).await
}

pub async fn correct(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((patient_id, fact_id)): Path<(String, String)>,
    JsonBody(body): JsonBody<CorrectionIn>,
) -> Result<Response, ApiError> {
    let kind = current_kind(&state, &patient_id, &fact_id).await?;
    require_write_fact(&actor, &kind)?;
    if body.body.kind_name() != kind {
        return Err(ApiError::bad_field(
            "body.kind",
            format!(
                "body.kind: expected {kind:?} (the fact's kind), got {:?}",
                body.body.kind_name()
            ),
        ));
    }
    let stored = StoredFact {
        date: body.date,
        illustrative: body.illustrative,
        note: body.note,
        supersedes: None,
        body: body.body,
    };
    let correction = Correction {
        fact_id,
        supersedes: body.supersedes,
        valid_time: ValidTime::Date(body.date),
        payload: stored.to_payload()?,
        reason: body.reason,
        idempotency_key: None,
    };
    let appended = state
        .store
        .correct_fact(&actor, &patient_id, correction, state.clock.now())
        .await?;
    single_response(&state, &actor, &patient_id, vec![appended]).await
}

pub async fn retract(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((patient_id, fact_id)): Path<(String, String)>,
    JsonBody(body): JsonBody<RetractionIn>,
) -> Result<Response, ApiError> {
    let kind = current_kind(&state, &patient_id, &fact_id).await?;
    require_write_fact(&actor, &kind)?;
    let retraction = Retraction {
        fact_id,
        supersedes: body.supersedes,
        reason: body.reason,
        idempotency_key: None,
    };
    let appended = state
        .store
        .retract_fact(&actor, &patient_id, retraction, state.clock.now())
        .await?;
    single_response(&state, &actor, &patient_id, vec![appended]).await
}

/// The kind of an existing fact that the fact routes may change: 404 when there is none,
/// 409 for a decision on a recommendation.
async fn current_kind(
    state: &AppState,
    patient_id: &str,
    fact_id: &str,
) -> Result<String, ApiError> {
    state.store.patient(patient_id).await?;
    let history = state.store.fact_history(patient_id, fact_id).await?;
    let kind = history
        .first()
        .map(|e| e.fact_kind.clone())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                Some("fact_id".to_owned()),
                format!("fact_id: no fact {fact_id:?} for patient {patient_id:?}"),
            )
        })?;
    if kind == DECISION_KIND {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            Some("fact_id".to_owned()),
            format!(
                "fact_id: {fact_id:?} is a decision on a recommendation; a new decision \
                 (POST …/recommendations/{{key}}/acknowledgement or /override) supersedes it"
            ),
        ));
    }
    Ok(kind)
}

/// 201 with the event, or 200 when it answers a retried request.
async fn single_response(
    state: &AppState,
    actor: &Actor,
    patient_id: &str,
    appended: Vec<Appended>,
) -> Result<Response, ApiError> {
    let status = created_or_replayed(&appended);
    let mut events = present_appended(state, actor, patient_id, appended).await?;
    Ok((status, Json(events.remove(0))).into_response())
}

/// 201 for a write, 200 when every event answers a retried request (nothing was written).
pub(crate) fn created_or_replayed(appended: &[Appended]) -> StatusCode {
    if appended.iter().all(|a| a.replayed) {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    }
}

async fn present_appended(
    state: &AppState,
    actor: &Actor,
    patient_id: &str,
    appended: Vec<Appended>,
) -> Result<Vec<EventOut>, ApiError> {
    let view = read_view(actor);
    let shift = state.store.research_date_shift_days(patient_id).await?;
    Ok(appended
        .into_iter()
        .map(|a| EventOut::new(a.event, view, shift, a.replayed))
        .collect())
}

async fn present(
    state: &AppState,
    actor: &Actor,
    patient_id: &str,
    events: Vec<Event>,
) -> Result<Vec<EventOut>, ApiError> {
    let view = read_view(actor);
    let shift = state.store.research_date_shift_days(patient_id).await?;
    Ok(events
        .into_iter()
        .map(|event| EventOut::new(event, view, shift, false))
        .collect())
}
