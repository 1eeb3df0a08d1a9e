//! A dated clinical fact: an id, a valid time, an optional superseded fact and a typed body.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::adverse_event::AdverseEvent;
use crate::diagnosis::Diagnosis;
use crate::disease_event::DiseaseEvent;
use crate::drug::{Administration, DoseChange, DrugHold, DrugRegimen, DrugStop};
use crate::imaging::ImagingAssessment;
use crate::observation::Observation;
use crate::patient::{Comorbidity, Patient, PerformanceStatus};
use crate::procedure::Procedure;
use crate::radiotherapy::{RtFraction, RtPhase};

/// The identifier of a fact, unique within a record.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FactId(pub String);

impl fmt::Display for FactId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One dated fact of a course.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    /// Unique id within the record.
    pub id: FactId,
    /// Valid time: the date the fact happened (onset, start, or measurement date).
    pub date: NaiveDate,
    /// The fact this one corrects, if any; the corrected fact stays in the record.
    pub supersedes: Option<FactId>,
    /// True when the entry is illustrative (the source gave no date or value).
    pub illustrative: bool,
    /// Free-text note.
    pub note: Option<String>,
    /// What happened.
    pub body: FactBody,
}

/// The typed content of a fact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FactBody {
    /// Demographics, dated at admission.
    Patient(Patient),
    /// A coexisting condition.
    Comorbidity(Comorbidity),
    /// The cancer diagnosis (histology, site, size, grade, IHC, N and M).
    Diagnosis(Diagnosis),
    /// An ECOG performance status.
    PerformanceStatus(PerformanceStatus),
    /// A radiotherapy prescription phase.
    RtPhase(RtPhase),
    /// One delivered radiotherapy fraction.
    RtFraction(RtFraction),
    /// A drug regimen starting on the fact's date.
    DrugRegimen(DrugRegimen),
    /// A single recorded drug administration.
    Administration(Administration),
    /// A hold (interruption) of a regimen.
    DrugHold(DrugHold),
    /// A change of dose level within a regimen.
    DoseChange(DoseChange),
    /// Permanent discontinuation of a regimen.
    DrugStop(DrugStop),
    /// A laboratory or vital-sign observation.
    Observation(Observation),
    /// An adverse event.
    AdverseEvent(AdverseEvent),
    /// A procedure (surgery, debridement, biopsy, ...).
    Procedure(Procedure),
    /// An imaging assessment with lesion measurements.
    Imaging(ImagingAssessment),
    /// Progression, recurrence, death or last contact.
    DiseaseEvent(DiseaseEvent),
}

impl FactBody {
    /// The snake-case kind name, as used in serialised output.
    pub fn kind_name(&self) -> &'static str {
        match self {
            FactBody::Patient(_) => "patient",
            FactBody::Comorbidity(_) => "comorbidity",
            FactBody::Diagnosis(_) => "diagnosis",
            FactBody::PerformanceStatus(_) => "performance_status",
            FactBody::RtPhase(_) => "rt_phase",
            FactBody::RtFraction(_) => "rt_fraction",
            FactBody::DrugRegimen(_) => "drug_regimen",
            FactBody::Administration(_) => "administration",
            FactBody::DrugHold(_) => "drug_hold",
            FactBody::DoseChange(_) => "dose_change",
            FactBody::DrugStop(_) => "drug_stop",
            FactBody::Observation(_) => "observation",
            FactBody::AdverseEvent(_) => "adverse_event",
            FactBody::Procedure(_) => "procedure",
            FactBody::Imaging(_) => "imaging",
            FactBody::DiseaseEvent(_) => "disease_event",
        }
    }
}
