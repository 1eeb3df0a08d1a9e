//! The patient list (with open alerts) and the patient page.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::NaiveDate;
use oncourse_report::case_report::{Section, day_zero, section_html};
use oncourse_store::Patient;

use super::inbox::InboxRow;
use super::session::BrowserSession;
use super::views::patient_view;
use super::{Chrome, DashboardError, render};
use crate::AppState;
use crate::access::{ReadView, read_view, require_decide};
use crate::deidentify::shift_date_text;
use crate::service::recommendations::recommendations;

/// Grades at or above this are alerts while the episode is ongoing (CTCAE v5.0: grade 3 is
/// "severe or medically significant").
const ALERT_GRADE: u8 = 3;

/// A patient as the viewer may see it: clinicians the name and hospital identifier (MRN),
/// researchers a pseudonym and shifted dates.
pub(super) struct PatientLabel {
    /// The opaque id (the page's address).
    pub id: String,
    /// The display name, or `Patient ID` for researchers.
    pub label: String,
    /// The hospital identifier; empty when there is none or for researchers.
    pub identifier: String,
    /// When the record was created (researchers: shifted).
    pub created: String,
}

/// The label of `patient` in `view`.
pub(super) fn patient_label(patient: Patient, view: ReadView, shift_days: i64) -> PatientLabel {
    match view {
        ReadView::Identified => PatientLabel {
            label: patient.display_name,
            identifier: patient.identifier.unwrap_or_default(),
            created: patient.created_at,
            id: patient.id,
        },
        ReadView::Deidentified => PatientLabel {
            label: format!("Patient {}", patient.id),
            identifier: String::new(),
            created: shift_date_text(&patient.created_at, shift_days).unwrap_or(patient.created_at),
            id: patient.id,
        },
    }
}

/// The inbox of a patient: every recommendation with its status, in the reader's view.
async fn inbox(
    state: &AppState,
    view: ReadView,
    patient_id: &str,
    shift_days: i64,
    day_zero: Option<NaiveDate>,
) -> Result<Vec<InboxRow>, DashboardError> {
    Ok(recommendations(state, patient_id)
        .await?
        .into_iter()
        .map(|item| InboxRow::new(item, view, shift_days, day_zero))
        .collect())
}

/// One row of the patient list.
struct PatientRow {
    patient: PatientLabel,
    as_of: String,
    open_recommendations: usize,
    severe_ongoing: Vec<String>,
}

#[derive(Template)]
#[template(path = "patients.html")]
struct PatientList {
    chrome: Chrome,
    deidentified: bool,
    rows: Vec<PatientRow>,
}

/// `GET /patients`.
pub async fn list(
    State(state): State<AppState>,
    session: BrowserSession,
) -> Result<Response, DashboardError> {
    let view = read_view(&session.actor);
    let mut rows = Vec::new();
    for patient in state.store.patients().await? {
        let shift = state.store.research_date_shift_days(&patient.id).await?;
        let viewed = patient_view(&state, &session.actor, &patient.id).await?;
        let (as_of, open_recommendations, severe_ongoing) = match viewed.assessment() {
            Some(a) => (
                a.as_of.to_string(),
                inbox(&state, view, &patient.id, shift, None)
                    .await?
                    .iter()
                    .filter(|row| row.status == "open")
                    .count(),
                a.adverse_events
                    .iter()
                    .filter(|e| e.resolved.is_none() && e.worst_grade >= ALERT_GRADE)
                    .map(|e| format!("{} (grade {}, since {})", e.term, e.worst_grade, e.onset))
                    .collect(),
            ),
            None => ("no facts yet".to_owned(), 0, Vec::new()),
        };
        rows.push(PatientRow {
            patient: patient_label(patient, view, shift),
            as_of,
            open_recommendations,
            severe_ongoing,
        });
    }
    Ok(render(&PatientList {
        chrome: Chrome::new(&session, "patients"),
        deidentified: view == ReadView::Deidentified,
        rows,
    }))
}

#[derive(Template)]
#[template(path = "patient.html")]
struct PatientPage {
    chrome: Chrome,
    deidentified: bool,
    patient: PatientLabel,
    as_of: String,
    /// HTML fragments of the case report (escaped there); empty without facts.
    timeline: String,
    labs: String,
    adverse_events: String,
    radiotherapy: String,
    tumour_size: String,
    response: String,
    chronology: String,
    protocols: String,
    recommendations: Vec<InboxRow>,
    /// The patient's id, for the inbox's forms.
    patient_id: String,
    /// The session's CSRF token, for the inbox's forms.
    csrf_token: String,
    /// Whether the reader may decide on recommendations (clinicians).
    can_decide: bool,
}

/// `GET /patients/{id}`.
pub async fn page(
    State(state): State<AppState>,
    session: BrowserSession,
    Path(patient_id): Path<String>,
) -> Result<Response, DashboardError> {
    let view = read_view(&session.actor);
    let patient = state.store.patient(&patient_id).await?;
    let shift = state.store.research_date_shift_days(&patient.id).await?;
    let viewed = patient_view(&state, &session.actor, &patient_id).await?;
    let assessment = viewed.assessment();
    let fragment = |section| {
        assessment
            .map(|a| section_html(section, &viewed.record, a))
            .unwrap_or_default()
    };
    let recommendations = match assessment {
        Some(a) => inbox(&state, view, &patient_id, shift, day_zero(a)).await?,
        None => Vec::new(),
    };
    Ok(render(&PatientPage {
        chrome: Chrome::new(&session, "patients"),
        deidentified: view == ReadView::Deidentified,
        as_of: assessment.map_or("no facts yet".to_owned(), |a| a.as_of.to_string()),
        timeline: fragment(Section::Timeline),
        labs: fragment(Section::Labs),
        adverse_events: fragment(Section::AdverseEvents),
        radiotherapy: fragment(Section::Radiotherapy),
        tumour_size: fragment(Section::TumourSize),
        response: fragment(Section::Response),
        chronology: fragment(Section::Chronology),
        protocols: assessment
            .map(|a| a.protocols.join(", "))
            .unwrap_or_default(),
        recommendations,
        csrf_token: session.csrf_token.clone(),
        can_decide: require_decide(&session.actor).is_ok(),
        patient_id: patient.id.clone(),
        patient: patient_label(patient, view, shift),
    }))
}
