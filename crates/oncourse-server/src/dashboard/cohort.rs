//! `GET /cohort?endpoint=pfs|ttp`: the Kaplan–Meier estimate of progression-free survival (or
//! time to progression) over the stored patients, from `service::cohort`, drawn with
//! `oncourse-report`'s Kaplan–Meier figure, with its steps as a table (the figure's text
//! alternative). Times are days from each patient's first treatment, so the estimate is the
//! same for every role; patients are named as in the patient list (clinicians: name and MRN,
//! researchers: a pseudonym).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use oncourse_outcome::survival::MedianSurvival;
use oncourse_report::case_report::number;
use oncourse_report::kaplan_meier::{self, Curve};
use serde::Deserialize;

use super::patients::{PatientLabel, patient_label};
use super::session::BrowserSession;
use super::{Chrome, DashboardError, render};
use crate::AppState;
use crate::access::read_view;
use crate::service::cohort::{Endpoint, survival};

#[derive(Deserialize)]
pub struct CohortQuery {
    endpoint: Option<String>,
}

struct SubjectRow {
    patient: PatientLabel,
    days: i64,
    outcome: &'static str,
}

/// One step of the estimate, as the table under the figure shows it.
struct StepRow {
    days: String,
    at_risk: usize,
    events: usize,
    censored: usize,
    survival: String,
    interval: String,
}

#[derive(Template)]
#[template(path = "cohort.html")]
struct CohortPage {
    chrome: Chrome,
    pfs: bool,
    endpoint_name: &'static str,
    /// The figure (SVG written and escaped by `oncourse-report`); empty without subjects.
    figure: String,
    steps: Vec<StepRow>,
    median: String,
    subjects: Vec<SubjectRow>,
    excluded: usize,
}

/// `GET /cohort`.
pub async fn page(
    State(state): State<AppState>,
    session: BrowserSession,
    Query(query): Query<CohortQuery>,
) -> Result<Response, DashboardError> {
    let endpoint = Endpoint::parse(query.endpoint.as_deref().unwrap_or("pfs"))?;
    let endpoint_name = match endpoint {
        Endpoint::Pfs => "Progression-free survival",
        Endpoint::Ttp => "Time to progression",
    };
    let cohort = survival(&state, endpoint).await?;
    let view = read_view(&session.actor);
    let mut labels = HashMap::new();
    for patient in state.store.patients().await? {
        let shift = state.store.research_date_shift_days(&patient.id).await?;
        labels.insert(patient.id.clone(), patient_label(patient, view, shift));
    }
    let figure = cohort
        .fit
        .as_ref()
        .map(|fit| {
            kaplan_meier::render(
                &[Curve {
                    label: "All patients",
                    fit,
                }],
                &kaplan_meier::Options {
                    title: format!("{endpoint_name} of the stored patients"),
                    time_label: "Days since the first treatment".to_owned(),
                    survival_label: endpoint_name.to_owned(),
                    annotation: None,
                    confidence_bands: true,
                },
            )
        })
        .unwrap_or_default();
    Ok(render(&CohortPage {
        chrome: Chrome::new(&session, "cohort"),
        pfs: endpoint == Endpoint::Pfs,
        endpoint_name,
        figure,
        median: cohort.median.map(median_text).unwrap_or_default(),
        steps: cohort
            .steps
            .iter()
            .map(|step| StepRow {
                days: number(step.time, 1),
                at_risk: step.n_at_risk,
                events: step.n_events,
                censored: step.n_censored,
                survival: percent(Some(step.survival)),
                interval: format!("{}–{}", percent(step.lower), percent(step.upper)),
            })
            .collect(),
        subjects: cohort
            .subjects
            .into_iter()
            .map(|s| SubjectRow {
                patient: labels.remove(&s.patient_id).unwrap_or(PatientLabel {
                    label: format!("Patient {}", s.patient_id),
                    identifier: String::new(),
                    created: String::new(),
                    id: s.patient_id,
                }),
                days: s.days,
                outcome: if s.event { "event" } else { "censored" },
            })
            .collect(),
        excluded: cohort.excluded,
    }))
}

/// A survival probability in per cent with one decimal, `NA` when undefined.
fn percent(value: Option<f64>) -> String {
    value.map_or("NA".to_owned(), |p| format!("{} %", number(p * 100.0, 1)))
}

/// `not reached`, or `D days (95 % CI L–U)` with `NA` for an undefined limit.
fn median_text(median: MedianSurvival) -> String {
    let days = |value: Option<f64>| value.map_or("NA".to_owned(), |d| number(d, 1));
    match median.estimate {
        None => "not reached".to_owned(),
        Some(estimate) => format!(
            "{} days (95 % CI {}–{})",
            number(estimate, 1),
            days(median.lower),
            days(median.upper)
        ),
    }
}
