//! Toxicity surveillance over a [`Record`]: the record is turned into `oncourse-tox`'s dated
//! event stream — observations graded with CTCAE v5.0 (the observation's unit, its reference
//! range as LLN/ULN, and the first value of the same test as baseline), clinician-graded
//! adverse events (a grade 0 on their resolution date), cycle starts and dosed days from the
//! drug calendar, and delivered radiotherapy fractions — and each protocol is evaluated over it.
//! Where a clinician's grade restates a measured one (same term, same day), the protocols see
//! the measured grade only ([`surveil`]).
//!
//! Grading, episodes and protocol evaluation are `oncourse-tox`'s; this module only adapts the
//! record. Protocols arrive parsed: reading their files is the binary's job.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use oncourse_model::adverse_event::Attribution;
use oncourse_model::fact::{Fact, FactBody, FactId};
use oncourse_model::observation::{Dipstick, Observation, ObservationValue};
use oncourse_model::record::Record;
use oncourse_tox::episodes::episodes;
use oncourse_tox::protocol::{
    Deviation, EventKind, Protocol, ProtocolEvent, Recommendation, evaluate,
};
use oncourse_tox::reading::{BloodPressure as ToxBloodPressure, DipstickReading};
use oncourse_tox::{GradeOutcome, Quantity, Reading, References, grade, term_for_loinc};

use crate::drug_calendar::DrugCalendar;

/// Where a grade came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GradeSource {
    /// Graded automatically from a measured observation.
    Observation,
    /// A clinician's grade recorded as an adverse event.
    Clinician,
    /// The resolution date of a clinician-recorded adverse event (grade 0).
    Resolution,
}

/// One grade that went into an adverse-event episode, with what it was based on.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GradingInput {
    /// The day.
    pub date: NaiveDate,
    /// The fact graded.
    pub fact: FactId,
    /// Where the grade came from.
    pub source: GradeSource,
    /// The CTCAE grade.
    pub grade: u8,
    /// The value, references and CTCAE band used (or the clinician's entry).
    pub facts: String,
}

/// An adverse-event episode: one CTCAE term from its first grade ≥ 1 to its first later grade 0.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AdverseEventEpisode {
    /// CTCAE v5.0 term.
    pub term: String,
    /// First day graded ≥ 1.
    pub onset: NaiveDate,
    /// Highest grade.
    pub worst_grade: u8,
    /// First day of the highest grade.
    pub worst_on: NaiveDate,
    /// First later day graded 0; `None` while ongoing.
    pub resolved: Option<NaiveDate>,
    /// The clinician's attribution, where an adverse-event fact of the episode gives one.
    pub attribution: Option<Attribution>,
    /// The grades of the episode, in date order.
    pub inputs: Vec<GradingInput>,
}

/// Adverse events, and what the protocols say about them.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Surveillance {
    /// Episodes by term, then onset.
    pub adverse_events: Vec<AdverseEventEpisode>,
    /// The protocols' recommendations in date order.
    pub recommendations: Vec<Recommendation>,
    /// Differences between what was done and what the protocols say, in date order.
    pub deviations: Vec<Deviation>,
    /// Ids of the protocols evaluated.
    pub protocols: Vec<String>,
}

/// Grades the record, builds episodes and evaluates every protocol through `as_of`. `record` is
/// already cut at `as_of`; `drugs` are its drug calendars. Observations that cannot be graded
/// and protocols that govern nothing in the record are explained in `notes`.
pub fn surveil(
    record: &Record,
    drugs: &[DrugCalendar],
    protocols: &[Protocol],
    as_of: NaiveDate,
    notes: &mut Vec<String>,
) -> Surveillance {
    let graded = graded_events(record, as_of, notes);
    let all_grades: Vec<ProtocolEvent> = graded.iter().map(|(event, _)| event.clone()).collect();
    let attributions: HashMap<&FactId, Attribution> = record
        .facts()
        .iter()
        .filter_map(|fact| match &fact.body {
            FactBody::AdverseEvent(event) => Some((&fact.id, event.attribution)),
            _ => None,
        })
        .collect();
    let adverse_events = episodes(&all_grades)
        .into_iter()
        .map(|episode| {
            let end = episode.resolved.unwrap_or(as_of);
            let inputs: Vec<GradingInput> = graded
                .iter()
                .filter(|(event, input)| {
                    term_of(event) == Some(episode.term.as_str())
                        && input.date >= episode.onset
                        && input.date <= end
                })
                .map(|(_, input)| input.clone())
                .collect();
            let attribution = inputs
                .iter()
                .find_map(|input| attributions.get(&input.fact).copied());
            AdverseEventEpisode {
                term: episode.term,
                onset: episode.onset,
                worst_grade: episode.worst_grade,
                worst_on: episode.worst_on,
                resolved: episode.resolved,
                attribution,
                inputs,
            }
        })
        .collect();
    let fractions: Vec<ProtocolEvent> = record
        .effective()
        .filter(|fact| matches!(fact.body, FactBody::RtFraction(_)))
        .map(|fact| ProtocolEvent {
            date: fact.date,
            kind: EventKind::RadiotherapyFraction,
        })
        .collect();
    let events = protocol_grades(&graded);
    let mut surveillance = Surveillance {
        adverse_events,
        ..Surveillance::default()
    };
    for protocol in protocols {
        let mut stream = events.clone();
        if protocol.treatment.eq_ignore_ascii_case("radiotherapy") {
            if fractions.is_empty() {
                notes.push(format!(
                    "protocol {}: the record has no radiotherapy fraction; evaluated on grades only",
                    protocol.id
                ));
            }
        } else {
            let treated: Vec<&DrugCalendar> = drugs
                .iter()
                .filter(|drug| drug.agent.eq_ignore_ascii_case(&protocol.treatment))
                .collect();
            if treated.is_empty() {
                notes.push(format!(
                    "protocol {}: the record has no {} regimen; not evaluated",
                    protocol.id, protocol.treatment
                ));
                continue;
            }
            stream.extend(treated.into_iter().flat_map(drug_events));
        }
        stream.extend(fractions.iter().cloned());
        let evaluation = evaluate(protocol, &stream, as_of);
        surveillance
            .recommendations
            .extend(evaluation.recommendations);
        surveillance.deviations.extend(evaluation.deviations);
        surveillance.protocols.push(protocol.id.clone());
    }
    // Stable sorts keep each protocol's own order within a day.
    surveillance.recommendations.sort_by_key(|r| r.date);
    surveillance.deviations.sort_by_key(|d| d.date);
    surveillance
}

/// The grades the protocols see: where a term was graded from a measured observation on a day,
/// a clinician's grade or resolution of the same term that day restates it and is left out (so a
/// rule fires once, explained by the measured value); elsewhere the clinician's grade stands.
/// Episodes keep every grade, so a clinician's resolution still closes an episode.
fn protocol_grades(graded: &[(ProtocolEvent, GradingInput)]) -> Vec<ProtocolEvent> {
    let measured = |date: NaiveDate, term: &str| {
        graded.iter().any(|(event, input)| {
            input.source == GradeSource::Observation
                && input.date == date
                && term_of(event) == Some(term)
        })
    };
    graded
        .iter()
        .filter(|(event, input)| {
            input.source == GradeSource::Observation
                || !term_of(event).is_some_and(|term| measured(input.date, term))
        })
        .map(|(event, _)| event.clone())
        .collect()
}

fn term_of(event: &ProtocolEvent) -> Option<&str> {
    match &event.kind {
        EventKind::Graded { term, .. } => Some(term),
        _ => None,
    }
}

/// Cycle starts and dosed days of one regimen, as the calendar derives them from the record's
/// regimen, holds, dose changes and stop.
fn drug_events(drug: &DrugCalendar) -> Vec<ProtocolEvent> {
    let starts = drug.cycles.iter().map(|cycle| ProtocolEvent {
        date: cycle.start,
        kind: EventKind::CycleStart { cycle: cycle.cycle },
    });
    let doses = drug.dosed_days.iter().map(|(date, mg)| ProtocolEvent {
        date: *date,
        kind: EventKind::Administration { dose_mg: *mg },
    });
    starts.chain(doses).collect()
}

/// Every grade the record yields, with its provenance.
fn graded_events(
    record: &Record,
    as_of: NaiveDate,
    notes: &mut Vec<String>,
) -> Vec<(ProtocolEvent, GradingInput)> {
    let mut graded = Vec::new();
    let mut baselines: Vec<(&str, &Observation)> = Vec::new();
    let mut not_graded = NotGraded::default();
    for fact in record.effective() {
        match &fact.body {
            FactBody::Observation(observation) => {
                let Some(term) = observation_term(observation) else {
                    continue;
                };
                let code = observation.loinc.as_deref().unwrap_or_default();
                let baseline = baselines
                    .iter()
                    .find(|(known, _)| *known == code)
                    .map(|(_, first)| *first);
                match grade_observation(fact, observation, term, baseline) {
                    Ok(item) => graded.push(item),
                    Err(message) => not_graded.add(observation, fact, message),
                }
                if baseline.is_none() {
                    baselines.push((code, observation));
                }
            }
            FactBody::AdverseEvent(event) => {
                let Some(known) = oncourse_tox::catalogue().by_name(&event.term) else {
                    notes.push(format!(
                        "adverse event {} on {}: {:?} is not a CTCAE v5.0 term; not evaluated",
                        fact.id, fact.date, event.term
                    ));
                    continue;
                };
                let facts = format!("clinician grade {} (fact {})", event.grade, fact.id);
                graded.push(graded_item(
                    fact.date,
                    &fact.id,
                    &known.name,
                    event.grade,
                    GradeSource::Clinician,
                    facts,
                ));
                if let Some(resolved) = event.resolved.filter(|day| *day <= as_of) {
                    let facts = format!("resolved (fact {})", fact.id);
                    graded.push(graded_item(
                        resolved,
                        &fact.id,
                        &known.name,
                        0,
                        GradeSource::Resolution,
                        facts,
                    ));
                }
            }
            _ => {}
        }
    }
    not_graded.explain(notes);
    graded.sort_by_key(|(event, _)| event.date);
    graded
}

/// Observations that could not be graded, grouped by test and reason: a lab feed without
/// reference ranges gives the same reason for every value, and one note per test says it
/// (with the first facts named) where thousands of identical notes would hide the others.
#[derive(Default)]
struct NotGraded<'a> {
    /// (test name, reason) → the facts, in record order.
    groups: Vec<((&'a str, String), Vec<&'a Fact>)>,
}

impl<'a> NotGraded<'a> {
    /// How many fact ids a grouped note names.
    const FACTS_NAMED: usize = 3;

    fn add(&mut self, observation: &'a Observation, fact: &'a Fact, reason: String) {
        let key = (observation.name.as_str(), reason);
        match self.groups.iter_mut().find(|(known, _)| *known == key) {
            Some((_, facts)) => facts.push(fact),
            None => self.groups.push((key, vec![fact])),
        }
    }

    fn explain(self, notes: &mut Vec<String>) {
        for ((name, reason), facts) in self.groups {
            if let [fact] = facts.as_slice() {
                notes.push(format!(
                    "observation {} ({name} on {}): not graded: {reason}",
                    fact.id, fact.date
                ));
                continue;
            }
            let first = facts.iter().map(|fact| fact.date).min();
            let last = facts.iter().map(|fact| fact.date).max();
            let named: Vec<String> = facts
                .iter()
                .take(Self::FACTS_NAMED)
                .map(|fact| fact.id.to_string())
                .collect();
            let more = if facts.len() > Self::FACTS_NAMED {
                ", …"
            } else {
                ""
            };
            notes.push(format!(
                "{} observations of {name} ({} to {}; facts {}{more}): not graded: {reason}",
                facts.len(),
                first.unwrap_or_default(),
                last.unwrap_or_default(),
                named.join(", ")
            ));
        }
    }
}

fn graded_item(
    date: NaiveDate,
    fact: &FactId,
    term: &str,
    grade: u8,
    source: GradeSource,
    facts: String,
) -> (ProtocolEvent, GradingInput) {
    let event = ProtocolEvent {
        date,
        kind: EventKind::Graded {
            term: term.to_owned(),
            grade,
            facts: facts.clone(),
        },
    };
    let input = GradingInput {
        date,
        fact: fact.clone(),
        source,
        grade,
        facts,
    };
    (event, input)
}

/// The CTCAE term of an observation's test (`oncourse-tox`'s `data/loinc_terms.toml`).
fn observation_term(observation: &Observation) -> Option<&'static str> {
    let code = observation.loinc.as_deref()?;
    term_for_loinc(code).map(|row| row.term.as_str())
}

/// The observation's value as `oncourse-tox` grades it.
fn reading(value: &ObservationValue) -> Result<Reading, String> {
    Ok(match value {
        ObservationValue::Quantity(quantity) => Reading::Quantity(tox_quantity(quantity)?),
        ObservationValue::BloodPressure(pressure) => Reading::BloodPressure(ToxBloodPressure {
            systolic: pressure.systolic(),
            diastolic: pressure.diastolic(),
            unit: pressure.unit().to_owned(),
        }),
        ObservationValue::Dipstick(reading) => Reading::Dipstick(match reading.dipstick {
            Dipstick::Negative => DipstickReading::Negative,
            Dipstick::Trace => DipstickReading::Trace,
            Dipstick::Plus1 => DipstickReading::Plus(1),
            Dipstick::Plus2 => DipstickReading::Plus(2),
            Dipstick::Plus3 => DipstickReading::Plus(3),
            Dipstick::Plus4 => DipstickReading::Plus(4),
        }),
    })
}

fn tox_quantity(quantity: &oncourse_model::Quantity) -> Result<Quantity, String> {
    Quantity::new(quantity.value(), quantity.unit()).map_err(|error| error.to_string())
}

fn grade_observation(
    fact: &Fact,
    observation: &Observation,
    term: &str,
    baseline: Option<&Observation>,
) -> Result<(ProtocolEvent, GradingInput), String> {
    let references = References {
        lln: observation
            .reference_low
            .as_ref()
            .map(tox_quantity)
            .transpose()?,
        uln: observation
            .reference_high
            .as_ref()
            .map(tox_quantity)
            .transpose()?,
        baseline: baseline
            .and_then(|first| first.value.as_quantity())
            .map(tox_quantity)
            .transpose()?,
    };
    let reading = reading(&observation.value)?;
    let GradeOutcome::Graded(graded) =
        grade(term, &reading, &references).map_err(|error| error.to_string())?
    else {
        return Err(format!("CTCAE grades {term} clinically"));
    };
    let mut facts = format!("{} {}", observation.name, observation.value);
    let limits: Vec<String> = [("LLN", &references.lln), ("ULN", &references.uln)]
        .into_iter()
        .filter_map(|(name, limit)| {
            limit
                .as_ref()
                .map(|limit| format!("{name} {} {}", limit.value, limit.unit))
        })
        .collect();
    if !limits.is_empty() {
        facts.push_str(&format!(" ({})", limits.join(", ")));
    }
    if let Some(band) = &graded.criterion {
        facts.push_str(&format!(" CTCAE \"{}\"", band.text));
    }
    facts.push_str(&format!(" (fact {})", fact.id));
    Ok(graded_item(
        fact.date,
        &fact.id,
        &graded.term,
        graded.grade,
        GradeSource::Observation,
        facts,
    ))
}
