//! Importing a case file (the model's TOML format) as a new patient: every fact of the file is
//! appended in one transaction, so a file is imported whole or not at all.

use axum::http::StatusCode;
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
