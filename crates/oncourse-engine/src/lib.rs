//! Replays a course [`Record`] as of a date into an [`Assessment`]: the radiotherapy calendar
//! with physical, BED and EQD2 dose per tissue, the drug calendar with cycles, holds, dose
//! levels and relative dose intensity, the AJCC stage and FNCLCC grade, and an ordered
//! timeline of what happened; with dose-modification protocols, the adverse-event episodes
//! graded from the record and the protocols' recommendations and deviations
//! ([`surveillance`], through `oncourse-tox`); tumour response and PFS/TTP from the imaging and
//! disease events ([`response`], through `oncourse-outcome`).
//!
//! This crate is pure: no files, clock, network or environment. The as-of date is a parameter;
//! a fact dated after it is invisible.

pub mod drug_calendar;
pub mod response;
pub mod rt_calendar;
pub mod staging;
pub mod surveillance;
pub mod timeline;

use chrono::NaiveDate;
use serde::Serialize;

use oncourse_model::Dimension;
use oncourse_model::fact::{FactBody, FactId};
use oncourse_model::patient::Sex;
use oncourse_model::record::Record;
use oncourse_radbio::tissues::{self, Tissue};
use oncourse_tox::protocol::Protocol;

pub use drug_calendar::{Cycle, DrugCalendar, Hold, RegimenEvents, drug_calendar};
pub use oncourse_tox::protocol::{
    Deviation, DeviationKind, Recommendation, RecommendedAction, Source as RuleSource,
};
pub use response::ResponseSummary;
pub use rt_calendar::{PhaseEvents, PhaseSummary, RtCalendar, TissueDose, rt_calendar};
pub use staging::{GradeAssessment, StageAssessment};
pub use surveillance::{AdverseEventEpisode, GradeSource, GradingInput, Surveillance};
pub use timeline::TimelineEntry;

/// Why a record could not be assessed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EngineError {
    /// A radiobiology computation rejected its input.
    #[error(transparent)]
    Radbio(#[from] oncourse_radbio::RadbioError),
}

/// Tissues reported by default for a course in an extremity: the tumour (leiomyosarcoma, whose
/// α/β is an in-vitro placeholder, and the generic α/β 10 convention), skin (acute and late),
/// subcutaneous tissue, peripheral nerve, large vessels, muscle and long bone, the structures
/// in or next to a popliteal target. Every value and its source comes from `oncourse-radbio`.
pub const DEFAULT_TISSUES: &[&str] = &[
    "leiomyosarcoma",
    "generic-early",
    "skin-acute-desquamation",
    "skin-late-telangiectasia",
    "subcutaneous-fibrosis",
    "peripheral-nerve-brachial-plexus",
    "large-vessels",
    "muscle",
    "bone-femur-fracture",
];

/// What to assess.
#[derive(Clone, Debug, PartialEq)]
pub struct AssessOptions {
    /// Facts dated after this day are invisible.
    pub as_of: NaiveDate,
    /// Ids of the radbio tissues to report EQD2 for.
    pub tissue_ids: Vec<String>,
    /// Dose-modification protocols to evaluate the record against, already parsed.
    pub protocols: Vec<Protocol>,
}

impl AssessOptions {
    /// Options with the default tissue list.
    pub fn new(as_of: NaiveDate) -> Self {
        AssessOptions {
            as_of,
            tissue_ids: DEFAULT_TISSUES.iter().map(|t| (*t).to_string()).collect(),
            protocols: Vec::new(),
        }
    }
}

/// Patient summary.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PatientSummary {
    /// Sex.
    pub sex: Sex,
    /// Age in years at the patient fact's date, given or from the birth date.
    pub age_years: Option<u32>,
}

/// The latest ECOG performance status.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EcogSummary {
    /// ECOG score 0–5.
    pub score: u8,
    /// When it was assessed.
    pub date: NaiveDate,
}

/// The state of a course as of a date.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Assessment {
    /// The as-of date.
    pub as_of: NaiveDate,
    /// Demographics.
    pub patient: Option<PatientSummary>,
    /// The latest ECOG performance status.
    pub ecog: Option<EcogSummary>,
    /// Histological grade.
    pub grade: Option<GradeAssessment>,
    /// AJCC stage.
    pub stage: Option<StageAssessment>,
    /// Radiotherapy, if any phase is known.
    pub radiotherapy: Option<RtCalendar>,
    /// The most recently started drug regimen.
    pub drug: Option<DrugCalendar>,
    /// Every drug regimen, in start order.
    pub drugs: Vec<DrugCalendar>,
    /// Every effective fact, in date order.
    pub timeline: Vec<TimelineEntry>,
    /// Adverse-event episodes graded from observations and clinician-recorded adverse events.
    pub adverse_events: Vec<AdverseEventEpisode>,
    /// Ids of the protocols evaluated (empty when none was given).
    pub protocols: Vec<String>,
    /// What the protocols recommend, in date order, each with its reason, rule and source.
    pub recommendations: Vec<Recommendation>,
    /// Where what was done differs from what the protocols say, in date order.
    pub deviations: Vec<Deviation>,
    /// Tumour response (RECIST 1.1 from the imaging) and PFS/TTP, when imaging measured a
    /// lesion.
    pub response: Option<ResponseSummary>,
    /// Caveats the reader must see (e.g. why a stage could not be computed).
    pub notes: Vec<String>,
}

/// Assesses `record` as of `options.as_of`.
pub fn assess(record: &Record, options: &AssessOptions) -> Result<Assessment, EngineError> {
    let known = record.as_of(options.as_of);
    let mut notes = Vec::new();
    let tissues: Vec<&Tissue> = options
        .tissue_ids
        .iter()
        .map(|id| tissues::get(id))
        .collect::<Result<_, _>>()?;
    let patient = known.patient().map(|(fact, patient)| PatientSummary {
        sex: patient.sex,
        age_years: patient.age_years.or_else(|| {
            patient
                .birth_date
                .and_then(|birth| fact.date.years_since(birth))
        }),
    });
    let ecog = known.effective().rev().find_map(|fact| match &fact.body {
        FactBody::PerformanceStatus(status) => Some(EcogSummary {
            score: status.ecog,
            date: fact.date,
        }),
        _ => None,
    });
    let (grade, stage) = match known.diagnosis() {
        Some((_, diagnosis)) => staging::assess(diagnosis, &mut notes),
        None => (None, None),
    };
    let phases = collect_phases(&known);
    let radiotherapy = if phases.is_empty() {
        None
    } else {
        Some(rt_calendar(&phases, &tissues)?)
    };
    let drugs: Vec<DrugCalendar> = collect_regimens(&known)
        .iter()
        .map(|events| drug_calendar(events, options.as_of))
        .collect();
    let surveillance = surveillance::surveil(
        &known,
        &drugs,
        &options.protocols,
        options.as_of,
        &mut notes,
    );
    Ok(Assessment {
        as_of: options.as_of,
        patient,
        ecog,
        grade,
        stage,
        radiotherapy,
        drug: drugs.last().cloned(),
        drugs,
        timeline: timeline::timeline(&known),
        adverse_events: surveillance.adverse_events,
        protocols: surveillance.protocols,
        recommendations: surveillance.recommendations,
        deviations: surveillance.deviations,
        response: response::response(&known, &mut notes),
        notes,
    })
}

fn collect_phases(record: &Record) -> Vec<PhaseEvents> {
    let mut phases: Vec<PhaseEvents> = record
        .effective()
        .filter_map(|fact| match &fact.body {
            FactBody::RtPhase(phase) => Some(PhaseEvents {
                id: fact.id.clone(),
                start: fact.date,
                phase: phase.clone(),
                fractions: Vec::new(),
            }),
            _ => None,
        })
        .collect();
    for fact in record.effective() {
        if let FactBody::RtFraction(fraction) = &fact.body
            && let Some(phase) = phases.iter_mut().find(|p| p.id == fraction.phase)
        {
            phase.fractions.push((fact.date, fraction.clone()));
        }
    }
    phases
}

fn collect_regimens(record: &Record) -> Vec<RegimenEvents> {
    let mut regimens: Vec<RegimenEvents> = record
        .effective()
        .filter_map(|fact| match &fact.body {
            FactBody::DrugRegimen(regimen) => Some(RegimenEvents {
                id: fact.id.clone(),
                start: fact.date,
                regimen: regimen.clone(),
                holds: Vec::new(),
                dose_changes: Vec::new(),
                stop: None,
            }),
            _ => None,
        })
        .collect();
    let find = |regimens: &mut Vec<RegimenEvents>, id: &FactId| -> Option<usize> {
        regimens.iter().position(|r| &r.id == id)
    };
    for fact in record.effective() {
        match &fact.body {
            FactBody::DrugHold(hold) => {
                if let Some(i) = find(&mut regimens, &hold.regimen) {
                    regimens[i].holds.push(Hold {
                        from: fact.date,
                        resume: hold.resume,
                    });
                }
            }
            FactBody::DoseChange(change) => {
                if let (Some(i), Ok(mg)) = (
                    find(&mut regimens, &change.regimen),
                    change.dose.canonical(Dimension::Mass),
                ) {
                    regimens[i].dose_changes.push((fact.date, mg));
                }
            }
            FactBody::DrugStop(stop) => {
                if let Some(i) = find(&mut regimens, &stop.regimen) {
                    let earliest = regimens[i].stop.map_or(fact.date, |s| s.min(fact.date));
                    regimens[i].stop = Some(earliest);
                }
            }
            _ => {}
        }
    }
    regimens
}
