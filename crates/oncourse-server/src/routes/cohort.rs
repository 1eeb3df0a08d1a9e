//! `GET /api/cohort/survival?endpoint=pfs|ttp`: Kaplan–Meier over the stored patients (see
//! [`crate::service::cohort`]); every role may read it (it holds no name or date).

use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;

use crate::extract::Caller;
use crate::service::cohort::{CohortSurvival, Endpoint, survival};
use crate::{ApiError, AppState};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurvivalQuery {
    endpoint: Option<String>,
}

pub async fn survival_curve(
    State(state): State<AppState>,
    Caller(_): Caller,
    Query(query): Query<SurvivalQuery>,
) -> Result<Json<CohortSurvival>, ApiError> {
    let endpoint = Endpoint::parse(query.endpoint.as_deref().unwrap_or("pfs"))?;
    Ok(Json(survival(&state, endpoint).await?))
}
