//! The routes, one module per resource.

mod assessment;
mod audit;
mod cohort;
mod facts;
mod health;
mod login;
mod openapi;
mod patients;
mod recommendations;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

pub use openapi::OPENAPI_JSON;

/// Every route of the API. `openapi.json` documents each one (a test checks it).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/api/openapi.json", get(openapi::openapi))
        .route("/api/login", post(login::login))
        .route("/api/patients", get(patients::list).post(patients::create))
        .route("/api/patients/{patient_id}", get(patients::show))
        .route(
            "/api/patients/{patient_id}/assessment",
            get(assessment::assessment),
        )
        .route(
            "/api/patients/{patient_id}/facts",
            get(facts::list).post(facts::append),
        )
        .route(
            "/api/patients/{patient_id}/facts/{fact_id}/history",
            get(facts::history),
        )
        .route(
            "/api/patients/{patient_id}/facts/{fact_id}/corrections",
            post(facts::correct),
        )
        .route(
            "/api/patients/{patient_id}/facts/{fact_id}/retractions",
            post(facts::retract),
        )
        .route(
            "/api/patients/{patient_id}/recommendations",
            get(recommendations::list),
        )
        .route(
            "/api/patients/{patient_id}/recommendations/{key}/acknowledgement",
            post(recommendations::acknowledge),
        )
        .route(
            "/api/patients/{patient_id}/recommendations/{key}/override",
            post(recommendations::override_),
        )
        .route("/api/cohort/survival", get(cohort::survival_curve))
        .route("/api/audit", get(audit::list))
}
