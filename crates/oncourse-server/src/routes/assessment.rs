//! `GET /api/patients/{id}/assessment?as_of=YYYY-MM-DD&known_at=RFC3339`: the engine's
//! assessment of the stored record, as the JSON of `oncourse assess --json`.
//!
//! Two times: `known_at` cuts the event log (what the store knew then; default now), `as_of`
//! is the engine's clinical date (facts dated later are invisible; default the last fact's
//! date, as in the CLI).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use oncourse_engine::{AssessOptions, assess};
use oncourse_model::Record;
use oncourse_store::Timestamp;
use serde::Deserialize;
use serde_json::Value;

use crate::access::{ReadView, read_view};
use crate::deidentify::deidentify_json;
use crate::extract::Caller;
use crate::wire::model_fact;
use crate::{ApiError, AppState};
use oncourse_wire::assessment as assess_json;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessmentQuery {
    as_of: Option<String>,
    known_at: Option<String>,
}

pub async fn assessment(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(patient_id): Path<String>,
    Query(query): Query<AssessmentQuery>,
) -> Result<Json<Value>, ApiError> {
    let known_at = query
        .known_at
        .as_deref()
        .map(|text| Timestamp::parse("known_at", text))
        .transpose()?;
    let as_of = query
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
    let events = state.store.facts_as_of(&patient_id, known_at).await?;
    let mut facts = Vec::with_capacity(events.len());
    for event in &events {
        facts.extend(model_fact(event)?);
    }
    let record = Record::new(facts);
    let Some(as_of) = as_of.or_else(|| record.last_date()) else {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            format!("patient {patient_id:?} has no facts to assess"),
        ));
    };
    let assessment = assess(&record, &AssessOptions::new(as_of)).map_err(|error| {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, None, error.to_string())
    })?;
    let mut json = serde_json::to_value(assess_json::to_json(&assessment))
        .map_err(|_| ApiError::internal("cannot serialise the assessment"))?;
    if read_view(&actor) == ReadView::Deidentified {
        let shift = state.store.research_date_shift_days(&patient_id).await?;
        deidentify_json(&mut json, shift);
    }
    Ok(Json(json))
}
