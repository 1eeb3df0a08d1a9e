//! Tumour response and progression from a [`Record`]'s imaging and disease events, through
//! `oncourse-outcome` (RECIST 1.1 and the FDA 2018 PFS/TTP conventions live there; this module
//! only adapts the record).
//!
//! The adaptation, each choice stated:
//! - Timepoints are the effective imaging facts with at least one measured lesion, in date
//!   order; the first is the baseline. Every baseline lesion is a target lesion (the record
//!   does not say which lesions a radiologist chose, nor which are nodes: none is treated as a
//!   node); its size is its longest recorded diameter, in mm.
//! - A lesion named later but not at baseline is a new lesion (unequivocal new disease). A
//!   baseline lesion missing later is not evaluated at that timepoint.
//! - A progression or recurrence disease event is a PD assessment on its date; a death event
//!   is the date of death.
//! - Best overall response uses `ResponseRules::default()` (no confirmation, SD counts from 42
//!   days after baseline).
//! - PFS and TTP start on the first treatment: the first radiotherapy fraction or drug regimen
//!   start, whichever is earlier (the baseline imaging date when there is no treatment).

use chrono::NaiveDate;
use oncourse_model::Dimension;
use oncourse_model::disease_event::DiseaseEventKind;
use oncourse_model::fact::FactBody;
use oncourse_model::record::Record;
use oncourse_outcome::response::{
    EndpointRules, RecistAssessment, RecistTimepoint, Response, ResponseRules, TimeToEvent,
    assess_recist, progression_free_survival, time_to_progression,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Response and progression of a course.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResponseSummary {
    /// RECIST 1.1 per imaging timepoint (baseline first) and the best overall response.
    pub recist: RecistAssessment,
    /// The start of PFS and TTP (the first treatment).
    pub start: NaiveDate,
    /// Progression-free survival (FDA 2018 censoring).
    pub progression_free_survival: TimeToEvent,
    /// Time to progression (a death without progression is censored).
    pub time_to_progression: TimeToEvent,
}

/// The response of the record (already cut at the as-of date), or none when it has no
/// measured imaging; a record RECIST cannot assess is explained in `notes`.
pub fn response(record: &Record, notes: &mut Vec<String>) -> Option<ResponseSummary> {
    let mut timepoints: Vec<(NaiveDate, BTreeMap<String, f64>)> = Vec::new();
    let mut progression: Vec<NaiveDate> = Vec::new();
    let mut death = None;
    let mut first_treatment: Option<NaiveDate> = None;
    for fact in record.effective() {
        match &fact.body {
            FactBody::Imaging(imaging) if !imaging.lesions.is_empty() => {
                let mut sizes = BTreeMap::new();
                for lesion in &imaging.lesions {
                    let mut longest: Option<f64> = None;
                    for diameter in &lesion.diameters {
                        match diameter.canonical(Dimension::Length) {
                            Ok(mm) => longest = Some(longest.map_or(mm, |l: f64| l.max(mm))),
                            Err(error) => {
                                notes.push(format!(
                                    "imaging {} lesion {:?}: {error}; response not assessed",
                                    fact.id, lesion.name
                                ));
                                return None;
                            }
                        }
                    }
                    if let Some(mm) = longest {
                        sizes.insert(lesion.name.clone(), mm);
                    }
                }
                timepoints.push((fact.date, sizes));
            }
            FactBody::DiseaseEvent(event) => match event.kind {
                DiseaseEventKind::Progression | DiseaseEventKind::Recurrence => {
                    progression.push(fact.date);
                }
                DiseaseEventKind::Death => death = death.or(Some(fact.date)),
                DiseaseEventKind::LastContact => {}
            },
            FactBody::RtFraction(_) | FactBody::DrugRegimen(_) => {
                first_treatment = Some(first_treatment.map_or(fact.date, |d| d.min(fact.date)));
            }
            _ => {}
        }
    }
    let (baseline_date, baseline) = timepoints.first()?.clone();
    let series: Vec<RecistTimepoint> = timepoints
        .iter()
        .map(|(date, sizes)| RecistTimepoint {
            date: *date,
            targets_mm: sizes
                .iter()
                .filter(|(name, _)| baseline.contains_key(*name))
                .map(|(name, mm)| (name.clone(), *mm))
                .collect(),
            non_targets: BTreeMap::new(),
            new_lesions: sizes.keys().any(|name| !baseline.contains_key(name)),
        })
        .collect();
    let recist = match assess_recist(&series, &BTreeSet::new(), &ResponseRules::default()) {
        Ok(recist) => recist,
        Err(error) => {
            notes.push(format!("response not assessed: {error}"));
            return None;
        }
    };
    let mut assessments: Vec<(NaiveDate, Response)> = recist
        .timepoints
        .iter()
        .filter_map(|timepoint| timepoint.response.map(|r| (timepoint.date, r)))
        .collect();
    assessments.extend(
        progression
            .iter()
            .map(|date| (*date, Response::ProgressiveDisease)),
    );
    assessments.sort_by_key(|(date, _)| *date);
    let start = first_treatment.unwrap_or(baseline_date);
    // Assessments before the start (e.g. during a run-in) do not count for PFS.
    assessments.retain(|(date, _)| *date > start);
    let rules = EndpointRules {
        death,
        ..EndpointRules::default()
    };
    Some(ResponseSummary {
        progression_free_survival: progression_free_survival(start, &assessments, &rules),
        time_to_progression: time_to_progression(start, &assessments, &rules),
        recist,
        start,
    })
}
