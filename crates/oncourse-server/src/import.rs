//! Importing a case file (the model's TOML format) or an HL7 FHIR R4 / mCODE Bundle as a new
//! patient: every fact is appended in one transaction, so a file is imported whole or not at all.

use axum::http::StatusCode;
use oncourse_fhir::{ImportError, ImportErrors, Warning};
use oncourse_model::Record;
use oncourse_model::case_file::{CaseFileErrors, parse_case_file};
use oncourse_store::{Actor, NewFact, NewPatient, Patient, Store, Timestamp, ValidTime};
use serde_json::json;

use crate::ApiError;
use crate::wire::StoredFact;

/// Parses a case file and stores it as a new patient named `display_name`.
pub async fn import_case_file(
    store: &Store,
    actor: &Actor,
    display_name: &str,
    file_name: &str,
    text: &str,
    now: Timestamp,
) -> Result<Patient, ApiError> {
    let record = parse_case_file(file_name, text).map_err(case_file_error)?;
    import_record(store, actor, display_name, &record, now).await
}

/// Reads a FHIR Bundle (or one resource) as `oncourse fhir import` does and stores it as a new
/// patient named `display_name`; returns the patient and what the import skipped. The record
/// must also be a valid case file (the CLI refuses to write one that is not), so what the API
/// stores can always be exported and read back.
pub async fn import_fhir_bundle(
    store: &Store,
    actor: &Actor,
    display_name: &str,
    text: &str,
    now: Timestamp,
) -> Result<(Patient, Vec<Warning>), ApiError> {
    let imported = oncourse_fhir::import_json(text).map_err(fhir_error)?;
    let (_, record) = imported.as_case_file().map_err(case_file_error)?;
    let patient = import_record(store, actor, display_name, &record, now).await?;
    Ok((patient, imported.warnings))
}

async fn import_record(
    store: &Store,
    actor: &Actor,
    display_name: &str,
    record: &Record,
    now: Timestamp,
) -> Result<Patient, ApiError> {
    let mut facts = Vec::with_capacity(record.facts().len());
    for fact in record.facts() {
        let stored = StoredFact {
            date: fact.date,
            illustrative: fact.illustrative,
            note: fact.note.clone(),
            supersedes: fact.supersedes.clone(),
            body: fact.body.clone(),
        };
        facts.push(NewFact {
            fact_id: Some(fact.id.0.clone()),
            fact_kind: fact.body.kind_name().to_owned(),
            valid_time: ValidTime::Date(fact.date),
            payload: stored.to_payload()?,
            idempotency_key: None,
        });
    }
    let patient = store
        .create_patient(
            actor,
            &NewPatient {
                display_name,
                identifier: None,
            },
            now,
        )
        .await?;
    store.append_facts(actor, &patient.id, facts, now).await?;
    Ok(patient)
}

/// A 400 listing every error of the file, each with its line, column and field path.
fn case_file_error(errors: CaseFileErrors) -> ApiError {
    let list = errors
        .0
        .iter()
        .map(|e| json!({"line": e.line, "column": e.column, "field": e.path, "message": e.message}))
        .collect();
    let field = errors.0.first().map(|e| e.path.clone());
    ApiError::new(StatusCode::BAD_REQUEST, field, errors.to_string()).with_errors(list)
}

/// A 400 listing every problem of the bundle, each located by line and column (malformed JSON)
/// or by `Type/id.element` (a resource oncourse cannot read).
fn fhir_error(errors: ImportErrors) -> ApiError {
    let list = errors
        .0
        .iter()
        .map(|error| match error {
            ImportError::Json { line, column, .. } => {
                json!({"line": line, "column": column, "message": error.to_string()})
            }
            ImportError::Element { location, .. } => {
                json!({"field": location, "message": error.to_string()})
            }
        })
        .collect();
    let field = errors.0.iter().find_map(|error| match error {
        ImportError::Element { location, .. } => Some(location.clone()),
        ImportError::Json { .. } => None,
    });
    ApiError::new(
        StatusCode::BAD_REQUEST,
        field,
        format!("FHIR bundle: {errors}"),
    )
    .with_errors(list)
}
