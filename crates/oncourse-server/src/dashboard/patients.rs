//! The patient list (with open alerts) and the patient page.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use std::sync::Arc;

use oncourse_engine::Assessment;
use oncourse_model::Record;
use oncourse_report::case_report::{Section, section_html};
use oncourse_store::{Actor, Patient};

use super::inbox::InboxRow;
use super::session::BrowserSession;
use super::{Chrome, DashboardError, render};
use crate::AppState;
use crate::access::{ReadView, read_view, require_decide};
use crate::deidentify::shift_date_text;
use crate::service::assessment::{
    Assessed, AssessmentQuery, assess_patient, assess_record, record_of,
};
use crate::service::recommendations::recommendations;

/// Grades at or above this are alerts while the episode is ongoing (CTCAE v5.0: grade 3 is
/// "severe or medically significant").
const ALERT_GRADE: u8 = 3;

/// A patient as the viewer may see it: researchers get a pseudonym and shifted dates.
struct PatientLabel {
    id: String,
    label: String,
    created: String,
}

fn patient_label(patient: Patient, view: ReadView, shift_days: i64) -> PatientLabel {
    match view {
        ReadView::Identified => PatientLabel {
            label: patient.display_name,
            created: patient.created_at,
            id: patient.id,
        },
        ReadView::Deidentified => PatientLabel {
            label: format!("Patient {}", patient.id),
            created: shift_date_text(&patient.created_at, shift_days).unwrap_or(patient.created_at),
            id: patient.id,
        },
    }
}

/// An assessment: the server's cached one (identified readers), or one of the de-identified
/// record (researchers, whose dates are shifted before the engine sees them).
enum Viewed {
    Shared(Arc<Assessed>),
    Own(Box<Assessment>),
}

impl Viewed {
    fn get(&self) -> &Assessment {
        match self {
            Viewed::Shared(assessed) => &assessed.assessment,
            Viewed::Own(assessment) => assessment,
        }
    }
}

/// A patient's record and its assessment (as of the last fact's date, with the server's
/// protocols) as `actor` may see them; none when the patient has no facts yet.
async fn assessed(
    state: &AppState,
    actor: &Actor,
    patient_id: &str,
) -> Result<Option<(Record, Viewed)>, DashboardError> {
    let view = read_view(actor);
    let shift_days = match view {
        ReadView::Deidentified => state.store.research_date_shift_days(patient_id).await?,
        ReadView::Identified => 0,
    };
    let events = state.store.facts_as_of(patient_id, None).await?;
    let record = record_of(&events, view, shift_days)?;
    if record.last_date().is_none() {
        return Ok(None);
    }
    let assessment = match view {
        ReadView::Identified => {
            Viewed::Shared(assess_patient(state, patient_id, &AssessmentQuery::default()).await?)
        }
        ReadView::Deidentified => Viewed::Own(Box::new(assess_record(
            &record,
            None,
            state.options.protocols.to_vec(),
            patient_id,
        )?)),
    };
    Ok(Some((record, assessment)))
}

/// The inbox of a patient: every recommendation with its status, in the reader's view.
async fn inbox(
    state: &AppState,
    view: ReadView,
    patient_id: &str,
    shift_days: i64,
) -> Result<Vec<InboxRow>, DashboardError> {
    Ok(recommendations(state, patient_id)
        .await?
        .into_iter()
        .map(|item| InboxRow::new(item, view, shift_days))
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
        let assessment = assessed(&state, &session.actor, &patient.id).await?;
        let (as_of, open_recommendations, severe_ongoing) = match &assessment {
            Some((_, a)) => (
                a.get().as_of.to_string(),
                inbox(&state, view, &patient.id, shift)
                    .await?
                    .iter()
                    .filter(|row| row.status == "open")
                    .count(),
                a.get()
                    .adverse_events
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
    let assessment = assessed(&state, &session.actor, &patient_id).await?;
    let fragment = |section| {
        assessment
            .as_ref()
            .map(|(record, a)| section_html(section, record, a.get()))
            .unwrap_or_default()
    };
    let recommendations = match &assessment {
        Some(_) => inbox(&state, view, &patient_id, shift).await?,
        None => Vec::new(),
    };
    Ok(render(&PatientPage {
        chrome: Chrome::new(&session, "patients"),
        deidentified: view == ReadView::Deidentified,
        as_of: assessment
            .as_ref()
            .map_or("no facts yet".to_owned(), |(_, a)| {
                a.get().as_of.to_string()
            }),
        timeline: fragment(Section::Timeline),
        labs: fragment(Section::Labs),
        adverse_events: fragment(Section::AdverseEvents),
        radiotherapy: fragment(Section::Radiotherapy),
        tumour_size: fragment(Section::TumourSize),
        response: fragment(Section::Response),
        protocols: assessment
            .as_ref()
            .map(|(_, a)| a.get().protocols.join(", "))
            .unwrap_or_default(),
        recommendations,
        csrf_token: session.csrf_token.clone(),
        can_decide: require_decide(&session.actor).is_ok(),
        patient_id: patient.id.clone(),
        patient: patient_label(patient, view, shift),
    }))
}
