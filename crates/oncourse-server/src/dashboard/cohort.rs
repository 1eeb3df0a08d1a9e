//! `GET /cohort?endpoint=pfs|ttp`: the Kaplan–Meier estimate of progression-free survival (or
//! time to progression) over the stored patients, from `service::cohort`, drawn with
//! `oncourse-report`'s Kaplan–Meier figure. Times are days from each patient's first
//! treatment and patients appear by their opaque id, so every role sees the same page.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use oncourse_outcome::survival::MedianSurvival;
use oncourse_report::case_report::number;
use oncourse_report::kaplan_meier::{self, Curve};
use serde::Deserialize;

use super::session::BrowserSession;
use super::{Chrome, DashboardError, render};
use crate::AppState;
use crate::service::cohort::{Endpoint, survival};

#[derive(Deserialize)]
pub struct CohortQuery {
    endpoint: Option<String>,
}

struct SubjectRow {
    patient_id: String,
    days: i64,
    outcome: &'static str,
}

#[derive(Template)]
#[template(path = "cohort.html")]
struct CohortPage {
    chrome: Chrome,
    pfs: bool,
    endpoint_name: &'static str,
    /// The figure (SVG written and escaped by `oncourse-report`); empty without subjects.
    figure: String,
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
        subjects: cohort
            .subjects
            .into_iter()
            .map(|s| SubjectRow {
                patient_id: s.patient_id,
                days: s.days,
                outcome: if s.event { "event" } else { "censored" },
            })
            .collect(),
        excluded: cohort.excluded,
    }))
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
