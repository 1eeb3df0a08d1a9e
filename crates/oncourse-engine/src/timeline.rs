//! An ordered timeline of the record's effective facts, each with a one-line label.

use chrono::NaiveDate;
use serde::Serialize;

use oncourse_model::adverse_event::Attribution;
use oncourse_model::disease_event::DiseaseEventKind;
use oncourse_model::fact::{FactBody, FactId};
use oncourse_model::record::Record;

/// One line of the timeline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimelineEntry {
    /// Date of the fact.
    pub date: NaiveDate,
    /// End of the span, for holds (resume) and adverse events (resolution).
    pub end: Option<NaiveDate>,
    /// Fact kind.
    pub kind: &'static str,
    /// Fact id.
    pub id: FactId,
    /// What happened, in a few words.
    pub label: String,
    /// True if the source did not give this entry's date or value.
    pub illustrative: bool,
}

/// The timeline of a record's effective facts in date order.
pub fn timeline(record: &Record) -> Vec<TimelineEntry> {
    let name_of = |id: &FactId| -> String {
        match record.find(id).map(|f| &f.body) {
            Some(FactBody::RtPhase(phase)) => phase.name.clone(),
            Some(FactBody::DrugRegimen(regimen)) => regimen.agent.clone(),
            _ => id.0.clone(),
        }
    };
    record
        .effective()
        .map(|fact| {
            let (label, end) = match &fact.body {
                FactBody::Patient(p) => (
                    format!(
                        "admission: {:?}{}",
                        p.sex,
                        p.age_years
                            .map(|a| format!(", {a} years"))
                            .unwrap_or_default()
                    )
                    .to_lowercase(),
                    None,
                ),
                FactBody::Comorbidity(c) => (format!("comorbidity: {}", c.name), None),
                FactBody::Diagnosis(d) => (format!("diagnosis: {}", d.histology), None),
                FactBody::PerformanceStatus(p) => (format!("ECOG {}", p.ecog), None),
                FactBody::RtPhase(p) => (
                    format!(
                        "{} planned: {} x {}",
                        p.name, p.dose_per_fraction, p.n_fractions
                    ),
                    None,
                ),
                FactBody::RtFraction(f) => (
                    format!(
                        "{} fraction{}",
                        name_of(&f.phase),
                        f.dose
                            .as_ref()
                            .map(|d| format!(" ({d})"))
                            .unwrap_or_default()
                    ),
                    None,
                ),
                FactBody::DrugRegimen(r) => (
                    format!(
                        "{} started: {} d1-{} q{}d",
                        r.agent,
                        r.dose_levels
                            .first()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                        r.days_on,
                        r.cycle_length_days
                    ),
                    None,
                ),
                FactBody::Administration(a) => {
                    (format!("{} given: {}", name_of(&a.regimen), a.dose), None)
                }
                FactBody::DrugHold(h) => (
                    format!("{} held: {}", name_of(&h.regimen), h.reason),
                    h.resume,
                ),
                FactBody::DoseChange(c) => (
                    format!("{} dose {}: {}", name_of(&c.regimen), c.dose, c.reason),
                    None,
                ),
                FactBody::DrugStop(s) => (
                    format!("{} stopped: {}", name_of(&s.regimen), s.reason),
                    None,
                ),
                FactBody::Observation(o) => {
                    // The case-file reader guarantees the range is in the value's unit.
                    let value = o.value.as_quantity().map(oncourse_model::Quantity::value);
                    let flag = match (value, &o.reference_low, &o.reference_high) {
                        (Some(value), Some(low), _) if value < low.value() => " (below range)",
                        (Some(value), _, Some(high)) if value > high.value() => " (above range)",
                        _ => "",
                    };
                    (format!("{} {}{flag}", o.name, o.value), None)
                }
                FactBody::AdverseEvent(e) => (
                    format!(
                        "{} grade {} ({})",
                        e.term,
                        e.grade,
                        attribution(e.attribution)
                    ),
                    e.resolved,
                ),
                FactBody::Procedure(p) => (p.name.clone(), None),
                FactBody::Imaging(i) => {
                    let lesions: Vec<String> = i
                        .lesions
                        .iter()
                        .map(|l| {
                            let d: Vec<String> =
                                l.diameters.iter().map(ToString::to_string).collect();
                            format!("{} {}", l.name, d.join(" x "))
                        })
                        .collect();
                    (format!("{}: {}", i.modality, lesions.join("; ")), None)
                }
                FactBody::DiseaseEvent(e) => (
                    format!(
                        "{}{}",
                        event_kind(e.kind),
                        e.status
                            .as_ref()
                            .map(|s| format!(": {s}"))
                            .unwrap_or_default()
                    ),
                    None,
                ),
            };
            TimelineEntry {
                date: fact.date,
                end,
                kind: fact.body.kind_name(),
                id: fact.id.clone(),
                label,
                illustrative: fact.illustrative,
            }
        })
        .collect()
}

fn attribution(attribution: Attribution) -> &'static str {
    match attribution {
        Attribution::Radiotherapy => "radiotherapy",
        Attribution::Drug => "drug",
        Attribution::Both => "radiotherapy and drug",
        Attribution::Unrelated => "unrelated",
    }
}

fn event_kind(kind: DiseaseEventKind) -> &'static str {
    match kind {
        DiseaseEventKind::Progression => "progression",
        DiseaseEventKind::Recurrence => "recurrence",
        DiseaseEventKind::Death => "death",
        DiseaseEventKind::LastContact => "last contact",
    }
}
