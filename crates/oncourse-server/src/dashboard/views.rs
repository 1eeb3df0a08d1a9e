//! What the dashboard draws a patient's pages from: the record and its assessment as one reader
//! may see them, cached.
//!
//! Identified readers share the service's cached assessment; a researcher's view is the engine
//! over the de-identified record (dates shifted before the engine sees them), which costs as
//! much as the clinician's. Both are kept in the service's log-keyed cache, per read view (the dashboard always
//! shows what the store knows now, as of the record's last fact).

use std::sync::Arc;

use oncourse_engine::Assessment;
use oncourse_model::Record;
use oncourse_store::Actor;

use super::DashboardError;
use crate::access::{ReadView, read_view};
use crate::service::assessment::{
    Assessed, AssessmentQuery, assess_patient, assess_record, record_of,
};
use crate::service::log_cache::LogCache;
use crate::{ApiError, AppState};

/// The bounded cache of patient views, per read view.
pub(crate) type ViewCache = LogCache<ReadView, PatientView>;

/// An assessment: the service's shared one (identified readers), or the dashboard's own of the
/// de-identified record (researchers).
enum Viewed {
    Shared(Arc<Assessed>),
    Own(Box<Assessment>),
}

/// A patient's record and its assessment as one reader may see them.
pub struct PatientView {
    /// The record (researchers: dates shifted, free text withheld).
    pub record: Record,
    /// As of the record's last fact, with the server's protocols; none without facts.
    assessment: Option<Viewed>,
}

impl PatientView {
    /// The assessment; none when the record has no facts.
    pub fn assessment(&self) -> Option<&Assessment> {
        self.assessment.as_ref().map(|viewed| match viewed {
            Viewed::Shared(assessed) => &assessed.assessment,
            Viewed::Own(assessment) => assessment,
        })
    }
}

/// The view of `patient_id` that `actor` may see, from the cache when the patient's log has
/// not changed since it was made.
pub async fn patient_view(
    state: &AppState,
    actor: &Actor,
    patient_id: &str,
) -> Result<Arc<PatientView>, DashboardError> {
    let view = read_view(actor);
    state
        .dashboard_views
        .get_or_compute(
            &state.store,
            patient_id,
            view,
            compute(state, view, patient_id),
        )
        .await
}

async fn compute(
    state: &AppState,
    view: ReadView,
    patient_id: &str,
) -> Result<PatientView, DashboardError> {
    let shift_days = match view {
        ReadView::Deidentified => state.store.research_date_shift_days(patient_id).await?,
        ReadView::Identified => 0,
    };
    let events = state.store.facts_as_of(patient_id, None).await?;
    let protocols = state.options.protocols.to_vec();
    let patient = patient_id.to_owned();
    // Parsing the payloads and replaying the record is CPU work: off the async workers.
    let (record, own) = tokio::task::spawn_blocking(move || {
        let record = record_of(&events, view, shift_days)?;
        let own = match view {
            ReadView::Deidentified if record.last_date().is_some() => {
                Some(assess_record(&record, None, protocols, &patient)?)
            }
            ReadView::Deidentified | ReadView::Identified => None,
        };
        Ok::<_, ApiError>((record, own))
    })
    .await
    .map_err(|_| ApiError::internal("internal error: the assessment task failed"))??;
    let assessment = match own {
        Some(assessment) => Some(Viewed::Own(Box::new(assessment))),
        None if record.last_date().is_none() => None,
        None => Some(Viewed::Shared(
            assess_patient(state, patient_id, &AssessmentQuery::default()).await?,
        )),
    };
    Ok(PatientView { record, assessment })
}
