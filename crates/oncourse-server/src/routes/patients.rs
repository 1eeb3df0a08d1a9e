//! `GET/POST /api/patients`, `GET /api/patients/{id}`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::StatusCode;
use oncourse_store::NewPatient;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::access::{read_view, require_create_patient};
use crate::extract::{Caller, JsonBody, media_type};
use crate::import::{import_case_file, import_fhir_bundle};
use crate::wire::{PatientIn, PatientOut};
use crate::{ApiError, AppState};

pub async fn list(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> Result<Json<Value>, ApiError> {
    let view = read_view(&actor);
    let mut patients = Vec::new();
    for patient in state.store.patients().await? {
        let shift = state.store.research_date_shift_days(&patient.id).await?;
        patients.push(PatientOut::new(patient, view, shift));
    }
    Ok(Json(json!({ "patients": patients })))
}

pub async fn show(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(patient_id): Path<String>,
) -> Result<Json<PatientOut>, ApiError> {
    let patient = state.store.patient(&patient_id).await?;
    let shift = state.store.research_date_shift_days(&patient.id).await?;
    Ok(Json(PatientOut::new(patient, read_view(&actor), shift)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateQuery {
    /// The patient's name, for a case file (which carries none).
    name: Option<String>,
}

/// Creates a patient from JSON `{name, identifier}`, or imports a case file sent as
/// `application/toml`.
pub async fn create(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Query(query): Query<CreateQuery>,
    request: Request,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    require_create_patient(&actor)?;
    if media_type(&request).as_deref() == Some("application/toml") {
        let text = utf8_body(request, &state, "a case file").await?;
        let name = query.name.as_deref().unwrap_or("imported case file");
        let patient = import_case_file(
            &state.store,
            &actor,
            name,
            "request body",
            &text,
            state.clock.now(),
        )
        .await?;
        return Ok((StatusCode::CREATED, Json(json!({ "id": patient.id }))));
    }
    if media_type(&request).as_deref() == Some("application/fhir+json") {
        let text = utf8_body(request, &state, "a FHIR Bundle").await?;
        let name = query.name.as_deref().unwrap_or("imported FHIR bundle");
        let (patient, warnings) =
            import_fhir_bundle(&state.store, &actor, name, &text, state.clock.now()).await?;
        let warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        return Ok((
            StatusCode::CREATED,
            Json(json!({ "id": patient.id, "warnings": warnings })),
        ));
    }
    let JsonBody(body) = JsonBody::<PatientIn>::from_request(request, &state).await?;
    let patient = state
        .store
        .create_patient(
            &actor,
            &NewPatient {
                display_name: &body.name,
                identifier: body.identifier.as_deref(),
            },
            state.clock.now(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": patient.id }))))
}

/// The request body as UTF-8 text (`what` names the expected content in the error).
async fn utf8_body(request: Request, state: &AppState, what: &str) -> Result<String, ApiError> {
    let bytes = Bytes::from_request(request, state)
        .await
        .map_err(|rejection| ApiError::new(rejection.status(), None, rejection.body_text()))?;
    String::from_utf8(bytes.to_vec())
        .map_err(|_| ApiError::bad_field("body", format!("request body: expected {what} in UTF-8")))
}
