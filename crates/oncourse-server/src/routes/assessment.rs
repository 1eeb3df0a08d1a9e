//! `GET /api/patients/{id}/assessment?as_of=YYYY-MM-DD&known_at=RFC3339`: the engine's
//! assessment of the stored record with the server's protocols, as the JSON of `oncourse
//! assess --protocol … --json`, gzip-compressed when the client accepts it.
//!
//! Two times: `known_at` cuts the event log (what the store knew then; default now), `as_of`
//! is the engine's clinical date (facts dated later are invisible; default the last fact's
//! date, as in the CLI).

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::http::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE, VARY};
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
    headers: HeaderMap,
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
    let document = assessment_json(
        &state,
        &actor,
        &patient_id,
        &AssessmentQuery { as_of, known_at },
    )
    .await?;
    let json = [
        (CONTENT_TYPE, "application/json"),
        (VARY, "accept-encoding"),
    ];
    if accepts_gzip(&headers) {
        return Ok((json, [(CONTENT_ENCODING, "gzip")], document.gzip).into_response());
    }
    Ok((json, document.json).into_response())
}

/// Whether the client takes a gzip body (`Accept-Encoding: gzip`, not refused with `q=0`).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            parts
                .next()
                .is_some_and(|name| name.eq_ignore_ascii_case("gzip"))
                && !parts.any(|param| param.replace(' ', "") == "q=0")
        })
}
