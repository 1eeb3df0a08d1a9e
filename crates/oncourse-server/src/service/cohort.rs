//! Cohort survival: a Kaplan–Meier estimate of PFS or TTP over every stored patient whose
//! record has measured imaging (each patient's endpoint from the engine's response, see
//! `oncourse_engine::response`), through `oncourse-outcome`. Times are days from each patient's
//! first treatment, so the estimate carries no calendar date and is the same for researchers;
//! patients appear by their opaque id only.

use axum::http::StatusCode;
use oncourse_outcome::response::TimeToEvent;
use oncourse_outcome::survival::{
    KaplanMeier, KaplanMeierOptions, KaplanMeierStep, MedianSurvival, SurvivalData, kaplan_meier,
};
use serde::Serialize;

use crate::service::assessment::{AssessmentQuery, assess_patient};
use crate::{ApiError, AppState};

/// Which time to event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    /// Progression-free survival.
    Pfs,
    /// Time to progression.
    Ttp,
}

impl Endpoint {
    /// Parses `pfs` or `ttp`.
    pub fn parse(text: &str) -> Result<Endpoint, ApiError> {
        match text {
            "pfs" => Ok(Endpoint::Pfs),
            "ttp" => Ok(Endpoint::Ttp),
            other => Err(ApiError::bad_field(
                "endpoint",
                format!("endpoint: expected pfs or ttp, got {other:?}"),
            )),
        }
    }
}

/// One patient's time to event.
#[derive(Debug, Serialize)]
pub struct Subject {
    /// The patient's id.
    pub patient_id: String,
    /// Days from the first treatment.
    pub days: i64,
    /// True for an event, false for censoring.
    pub event: bool,
}

/// The Kaplan–Meier estimate of a cohort.
#[derive(Debug, Serialize)]
pub struct CohortSurvival {
    /// The endpoint.
    pub endpoint: Endpoint,
    /// The unit of every time.
    pub time_unit: &'static str,
    /// Patients with the endpoint.
    pub subjects: Vec<Subject>,
    /// Patients left out: no measured imaging (or no facts) to derive the endpoint from.
    pub excluded: usize,
    /// The estimate's steps (log-log 95 % intervals); empty without subjects.
    pub steps: Vec<KaplanMeierStep>,
    /// The median and its interval, in days; `None` without subjects.
    pub median: Option<MedianSurvival>,
    /// The fitted estimate (what `steps` and `median` come from), for drawing; `None` without
    /// subjects.
    #[serde(skip)]
    pub fit: Option<KaplanMeier>,
}

/// The cohort's Kaplan–Meier estimate of `endpoint` over every stored patient.
pub async fn survival(state: &AppState, endpoint: Endpoint) -> Result<CohortSurvival, ApiError> {
    let mut subjects = Vec::new();
    let mut excluded = 0;
    for patient in state.store.patients().await? {
        let assessed = match assess_patient(state, &patient.id, &AssessmentQuery::default()).await {
            Ok(assessed) => assessed,
            // A patient without facts has nothing to assess.
            Err(error) if error.status() == StatusCode::UNPROCESSABLE_ENTITY => {
                excluded += 1;
                continue;
            }
            Err(error) => return Err(error),
        };
        let Some(response) = &assessed.assessment.response else {
            excluded += 1;
            continue;
        };
        let time: &TimeToEvent = match endpoint {
            Endpoint::Pfs => &response.progression_free_survival,
            Endpoint::Ttp => &response.time_to_progression,
        };
        subjects.push(Subject {
            patient_id: patient.id,
            days: time.days,
            event: time.event,
        });
    }
    let fit = if subjects.is_empty() {
        None
    } else {
        let data = SurvivalData::new(
            subjects.iter().map(|s| s.days as f64).collect(),
            subjects.iter().map(|s| s.event).collect(),
        )
        .map_err(|error| ApiError::internal(&format!("survival data: {error}")))?;
        Some(kaplan_meier(&data, &KaplanMeierOptions::default()))
    };
    Ok(CohortSurvival {
        endpoint,
        time_unit: "days",
        subjects,
        excluded,
        steps: fit.as_ref().map(|f| f.steps().to_vec()).unwrap_or_default(),
        median: fit.as_ref().map(KaplanMeier::median),
        fit,
    })
}
