//! `GET /api/patients/{id}/recommendations` and the decisions on one:
//! `POST …/recommendations/{key}/acknowledgement` (body optional: `{"reason": …}`) and
//! `POST …/recommendations/{key}/override` (`{"reason": …}`, required). See
//! [`crate::service::recommendations`] for the key and the decision events.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use oncourse_store::Actor;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::extract::{Caller, JsonBytes, parse_json, request_key};
use crate::service::recommendations::{
    Decision, RecommendationStatus, decide, recommendations_json,
};
use crate::{ApiError, AppState};

/// The body of a decision.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct DecisionIn {
    reason: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(patient_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let list = recommendations_json(&state, &actor, &patient_id).await?;
    Ok(Json(json!({ "recommendations": list })))
}

pub async fn acknowledge(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(target): Path<(String, String)>,
    request: Request,
) -> Result<(StatusCode, Json<RecommendationStatus>), ApiError> {
    let headers = request.headers().clone();
    // The body is optional: none at all, or JSON.
    let body = if headers.contains_key(CONTENT_TYPE) {
        let JsonBytes(bytes) = JsonBytes::from_request(request, &state).await?;
        Some(bytes)
    } else {
        None
    };
    decide_request(
        &state,
        &actor,
        target,
        Decision::Acknowledged,
        &headers,
        body,
    )
    .await
}

pub async fn override_(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(target): Path<(String, String)>,
    headers: HeaderMap,
    JsonBytes(bytes): JsonBytes,
) -> Result<(StatusCode, Json<RecommendationStatus>), ApiError> {
    decide_request(
        &state,
        &actor,
        target,
        Decision::Overridden,
        &headers,
        Some(bytes),
    )
    .await
}

/// Records the decision a request asks for on (patient, recommendation key): 201, or 200 when
/// its `Idempotency-Key` answers a retry with the first decision.
async fn decide_request(
    state: &AppState,
    actor: &Actor,
    (patient_id, key): (String, String),
    decision: Decision,
    headers: &HeaderMap,
    body: Option<Bytes>,
) -> Result<(StatusCode, Json<RecommendationStatus>), ApiError> {
    let (bytes, body) = match body {
        Some(bytes) => {
            let body: DecisionIn = parse_json(&bytes)?;
            (bytes, body)
        }
        None => (Bytes::new(), DecisionIn::default()),
    };
    let route = match decision {
        Decision::Acknowledged => "acknowledgement",
        Decision::Overridden => "override",
    };
    let path = format!("POST /api/patients/{patient_id}/recommendations/{key}/{route}");
    let request_key = request_key(headers, &path, &bytes)?;
    let (status, replayed) = decide(
        state,
        actor,
        &patient_id,
        &key,
        decision,
        body.reason,
        request_key,
    )
    .await?;
    let code = if replayed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((code, Json(status)))
}
