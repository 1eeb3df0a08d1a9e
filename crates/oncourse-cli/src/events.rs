//! The interim event-stream file of `oncourse protocol --events`: dated labs (graded here with
//! CTCAE), clinician grades, cycle starts, doses and radiotherapy fractions, as plain TOML.
//! It stands in until case files and the `Record` (issue: course record) feed the engine.

use anyhow::{Context, Result, anyhow, bail};
use chrono::NaiveDate;
use oncourse_tox::grading::GradeOutcome;
use oncourse_tox::protocol::{EventKind, ProtocolEvent};
use oncourse_tox::{Reading, References, grade};
use serde::Deserialize;

use crate::grade::reference_quantity;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventsFile {
    event: Vec<EventRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, tag = "kind", rename_all = "snake_case")]
enum EventRow {
    /// A measured value, graded here.
    Lab {
        date: String,
        term: String,
        value: String,
        unit: Option<String>,
        lln: Option<String>,
        uln: Option<String>,
        baseline: Option<String>,
    },
    /// A clinician's grade for a clinically graded term.
    Grade {
        date: String,
        term: String,
        grade: u8,
        facts: String,
    },
    /// A drug cycle started.
    CycleStart { date: String, cycle: u32 },
    /// A dose was given.
    Dose { date: String, dose_mg: f64 },
    /// A radiotherapy fraction was delivered.
    RadiotherapyFraction { date: String },
}

/// Reads an events file into protocol events, grading every lab with CTCAE v5.0.
pub fn read_events(file: &str, text: &str) -> Result<Vec<ProtocolEvent>> {
    let parsed: EventsFile = toml::from_str(text).map_err(|error| anyhow!("{file}: {error}"))?;
    parsed
        .event
        .into_iter()
        .enumerate()
        .map(|(index, row)| event(row).with_context(|| format!("{file}: event[{index}]")))
        .collect()
}

fn date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .with_context(|| format!("date: expected YYYY-MM-DD, got {text:?}"))
}

fn event(row: EventRow) -> Result<ProtocolEvent> {
    let (when, kind) = match row {
        EventRow::Lab {
            date: when,
            term,
            value,
            unit,
            lln,
            uln,
            baseline,
        } => {
            let reading = Reading::parse(&value, unit.as_deref())?;
            let reference = |text: Option<String>| {
                text.map(|text| reference_quantity(&text, unit.as_deref()))
                    .transpose()
            };
            let references = References {
                lln: reference(lln)?,
                uln: reference(uln)?,
                baseline: reference(baseline)?,
            };
            let GradeOutcome::Graded(graded) = grade(&term, &reading, &references)? else {
                bail!(
                    "{term}: CTCAE grades this term clinically: use kind = \"grade\" with the clinician's grade"
                );
            };
            let facts = format!(
                "{} {}",
                reading.describe(),
                graded
                    .criterion
                    .map(|band| format!("(CTCAE \"{}\")", band.text))
                    .unwrap_or_default()
            );
            (
                when,
                EventKind::Graded {
                    term: graded.term,
                    grade: graded.grade,
                    facts: facts.trim().to_owned(),
                },
            )
        }
        EventRow::Grade {
            date: when,
            term,
            grade,
            facts,
        } => {
            let known = oncourse_tox::catalogue()
                .by_name(&term)
                .with_context(|| format!("term: {term:?} is not a CTCAE v5.0 term"))?;
            if grade > 5 {
                bail!("grade: expected 0 to 5, got {grade}");
            }
            (
                when,
                EventKind::Graded {
                    term: known.name.clone(),
                    grade,
                    facts,
                },
            )
        }
        EventRow::CycleStart { date: when, cycle } => (when, EventKind::CycleStart { cycle }),
        EventRow::Dose {
            date: when,
            dose_mg,
        } => (when, EventKind::Administration { dose_mg }),
        EventRow::RadiotherapyFraction { date: when } => (when, EventKind::RadiotherapyFraction),
    };
    Ok(ProtocolEvent {
        date: date(&when)?,
        kind,
    })
}
