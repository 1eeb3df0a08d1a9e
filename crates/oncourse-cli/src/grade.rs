//! `oncourse grade`: the CTCAE v5.0 grade of one measured value, or the grade definitions a
//! clinician chooses from when CTCAE grades the term clinically.

use anyhow::{Context, Result};
use clap::Args as ClapArgs;
use oncourse_tox::grading::{GradeOutcome, GradedValue, ValueSi};
use oncourse_tox::{Quantity, Reading, References, grade};
use serde::Serialize;
use std::io::Write;

use crate::parse;

/// Arguments of `oncourse grade`.
#[derive(ClapArgs)]
pub struct Args {
    /// The CTCAE v5.0 term (case-insensitive) or its MedDRA code.
    #[arg(long)]
    term: String,

    /// The measured value: a number (45000), a blood pressure (165/95) or a dipstick reading
    /// (negative, trace, 1+ … 4+).
    #[arg(long, allow_hyphen_values = true)]
    value: String,

    /// The UCUM unit of the value (/uL, 10*9/L, g/dL, mmol/L, U/L, umol/L, mg/dL, `mm[Hg]`, ms,
    /// g/(24.h), /d, kg). Required for numbers and blood pressures.
    #[arg(long)]
    unit: Option<String>,

    /// Lower limit of normal: "150 10*9/L", or a number in the value's unit.
    #[arg(long)]
    lln: Option<String>,

    /// Upper limit of normal: "40 U/L", or a number in the value's unit.
    #[arg(long)]
    uln: Option<String>,

    /// The patient's baseline: "80 kg", or a number in the value's unit.
    #[arg(long)]
    baseline: Option<String>,

    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs `oncourse grade`.
pub fn run(args: Args) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let reading = Reading::parse(&args.value, args.unit.as_deref()).context("--value/--unit")?;
    let reference = |flag: &str, text: &Option<String>| -> Result<Option<Quantity>> {
        text.as_deref()
            .map(|text| {
                reference_quantity(text, args.unit.as_deref()).with_context(|| flag.to_owned())
            })
            .transpose()
    };
    let references = References {
        lln: reference("--lln", &args.lln)?,
        uln: reference("--uln", &args.uln)?,
        baseline: reference("--baseline", &args.baseline)?,
    };
    let outcome = grade(&args.term, &reading, &references)?;
    if args.json {
        return parse::print_json(&GradeView::from(&outcome));
    }
    match outcome {
        GradeOutcome::Graded(graded) => {
            let value = match &graded.value_si {
                ValueSi::Number(number) => format!("{number} {}", graded.unit_si),
                ValueSi::BloodPressure {
                    systolic,
                    diastolic,
                } => {
                    format!("{systolic}/{diastolic} {}", graded.unit_si)
                }
                ValueSi::Dipstick(label) => format!("dipstick {label}"),
            };
            writeln!(
                out,
                "{} (MedDRA {}): grade {}",
                graded.term, graded.meddra_code, graded.grade
            )?;
            writeln!(out, "  value: {value}")?;
            match &graded.criterion {
                Some(band) => writeln!(out, "  criterion: grade {} \"{}\"", band.grade, band.text)?,
                None => writeln!(
                    out,
                    "  criterion: within normal limits by every numeric criterion"
                )?,
            }
            writeln!(out, "  source: {}", graded.source)?;
            for note in &graded.notes {
                writeln!(out, "  note: {note}")?;
            }
        }
        GradeOutcome::ClinicianGradeRequired(required) => {
            writeln!(
                out,
                "{} (MedDRA {}): clinician grade required — CTCAE grades this term clinically",
                required.term, required.meddra_code
            )?;
            for definition in &required.grades {
                writeln!(out, "  grade {}: {}", definition.grade, definition.text)?;
            }
            writeln!(out, "  source: {}", required.source)?;
        }
    }
    Ok(())
}

/// A reference value: "value unit", or a bare number taking the measured value's unit.
pub(crate) fn reference_quantity(text: &str, value_unit: Option<&str>) -> Result<Quantity> {
    let text = text.trim();
    let (number, unit) = match text.split_once(char::is_whitespace) {
        Some((number, unit)) => (number, Some(unit.trim())),
        None => (text, value_unit),
    };
    let number: f64 = number
        .parse()
        .with_context(|| format!("expected a number with an optional UCUM unit, got {text:?}"))?;
    let unit = unit.with_context(|| format!("{text:?} has no unit and --unit is not given"))?;
    Ok(Quantity::new(number, unit)?)
}

/// The JSON of `oncourse grade` (a wire format: kept here, converted from the library's types).
#[derive(Serialize)]
struct GradeView {
    status: &'static str,
    term: String,
    meddra_code: u32,
    /// `None` when a clinician must choose.
    grade: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value_si: Option<ValueSiView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit_si: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    criterion: Option<CriterionView>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    definitions: Vec<DefinitionView>,
    source: String,
    notes: Vec<String>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ValueSiView {
    Number(f64),
    BloodPressure { systolic: f64, diastolic: f64 },
    Dipstick(String),
}

#[derive(Serialize)]
struct CriterionView {
    grade: u8,
    text: String,
    measure: &'static str,
    measure_value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    measure_unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    interpretation: Option<String>,
}

#[derive(Serialize)]
struct DefinitionView {
    grade: u8,
    text: String,
}

impl From<&GradeOutcome> for GradeView {
    fn from(outcome: &GradeOutcome) -> Self {
        match outcome {
            GradeOutcome::Graded(graded) => GradeView::graded(graded),
            GradeOutcome::ClinicianGradeRequired(required) => GradeView {
                status: "clinician_grade_required",
                term: required.term.clone(),
                meddra_code: required.meddra_code,
                grade: None,
                value_si: None,
                unit_si: None,
                criterion: None,
                definitions: required
                    .grades
                    .iter()
                    .map(|definition| DefinitionView {
                        grade: definition.grade,
                        text: definition.text.clone(),
                    })
                    .collect(),
                source: required.source.clone(),
                notes: vec![
                    "CTCAE grades this term clinically: choose a grade from the definitions"
                        .to_owned(),
                ],
            },
        }
    }
}

impl GradeView {
    fn graded(graded: &GradedValue) -> Self {
        let value_si = match &graded.value_si {
            ValueSi::Number(number) => ValueSiView::Number(*number),
            ValueSi::BloodPressure {
                systolic,
                diastolic,
            } => ValueSiView::BloodPressure {
                systolic: *systolic,
                diastolic: *diastolic,
            },
            ValueSi::Dipstick(label) => ValueSiView::Dipstick(label.clone()),
        };
        GradeView {
            status: "graded",
            term: graded.term.clone(),
            meddra_code: graded.meddra_code,
            grade: Some(graded.grade),
            value_si: Some(value_si),
            unit_si: Some(graded.unit_si.clone()),
            criterion: graded.criterion.as_ref().map(|band| CriterionView {
                grade: band.grade,
                text: band.text.clone(),
                measure: band.measure.name(),
                measure_value: band.measure_value,
                measure_unit: band.measure_unit.clone(),
                interpretation: band.interpretation.clone(),
            }),
            definitions: Vec::new(),
            source: graded.source.clone(),
            notes: graded.notes.clone(),
        }
    }
}
