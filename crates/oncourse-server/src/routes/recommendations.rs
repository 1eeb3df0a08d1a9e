//! `GET /api/patients/{id}/recommendations` and the decisions on one:
//! `POST …/recommendations/{key}/acknowledgement` (body optional: `{"reason": …}`) and
//! `POST …/recommendations/{key}/override` (`{"reason": …}`, required). See
//! [`crate::service::recommendations`] for the key and the decision events.

use axum::Json;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::extract::{Caller, JsonBytes, parse_json};
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
    Path((patient_id, key)): Path<(String, String)>,
    request: Request,
) -> Result<(StatusCode, Json<RecommendationStatus>), ApiError> {
    // The body is optional: none at all, or JSON.
    let body = if request.headers().contains_key(CONTENT_TYPE) {
        let JsonBytes(bytes) = JsonBytes::from_request(request, &state).await?;
        parse_json(&bytes)?
    } else {
        DecisionIn::default()
    };
    let status = decide(
        &state,
        &actor,
        &patient_id,
        &key,
        Decision::Acknowledged,
        body.reason,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(status)))
}

pub async fn override_(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path((patient_id, key)): Path<(String, String)>,
    JsonBytes(bytes): JsonBytes,
) -> Result<(StatusCode, Json<RecommendationStatus>), ApiError> {
    let body: DecisionIn = parse_json(&bytes)?;
    let status = decide(
        &state,
        &actor,
        &patient_id,
        &key,
        Decision::Overridden,
        body.reason,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(status)))
}
