//! `GET /api/patients/{id}/assessment?as_of=YYYY-MM-DD&known_at=RFC3339`: the engine's
//! assessment of the stored record with the server's protocols, as the JSON of `oncourse
//! assess --protocol … --json`.
//!
//! Two times: `known_at` cuts the event log (what the store knew then; default now), `as_of`
//! is the engine's clinical date (facts dated later are invisible; default the last fact's
//! date, as in the CLI).

use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use oncourse_store::Timestamp;
use serde::Deserialize;

use crate::extract::Caller;
use crate::service::assessment::{AssessmentQuery, assessment_json};
use crate::{ApiError, AppState};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessmentParams {
    as_of: Option<String>,
    known_at: Option<String>,
}

pub async fn assessment(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(patient_id): Path<String>,
    Query(params): Query<AssessmentParams>,
) -> Result<Response, ApiError> {
    let known_at = params
        .known_at
        .as_deref()
        .map(|text| Timestamp::parse("known_at", text))
        .transpose()?;
    let as_of = params
        .as_of
        .as_deref()
        .map(|text| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
                ApiError::bad_field(
                    "as_of",
                    format!("as_of: expected a date YYYY-MM-DD, got {text:?}"),
                )
            })
        })
        .transpose()?;
    let json = assessment_json(
        &state,
        &actor,
        &patient_id,
        &AssessmentQuery { as_of, known_at },
    )
    .await?;
    Ok(([(CONTENT_TYPE, "application/json")], json).into_response())
}
