//! `oncourse grade`: the CTCAE v5.0 grade of one measured value, or the grade definitions a
//! clinician chooses from when CTCAE grades the term clinically.

use anyhow::{Context, Result};
use clap::Args as ClapArgs;
use oncourse_tox::grading::{GradeOutcome, ValueSi};
use oncourse_tox::{Quantity, Reading, References, grade};

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
        return parse::print_json(&outcome);
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
            println!(
                "{} (MedDRA {}): grade {}",
                graded.term, graded.meddra_code, graded.grade
            );
            println!("  value: {value}");
            match &graded.criterion {
                Some(band) => println!("  criterion: grade {} \"{}\"", band.grade, band.text),
                None => println!("  criterion: within normal limits by every numeric criterion"),
            }
            println!("  source: {}", graded.source);
            for note in &graded.notes {
                println!("  note: {note}");
            }
        }
        GradeOutcome::ClinicianGradeRequired(required) => {
            println!(
                "{} (MedDRA {}): clinician grade required — CTCAE grades this term clinically",
                required.term, required.meddra_code
            );
            for definition in &required.grades {
                println!("  grade {}: {}", definition.grade, definition.text);
            }
            println!("  source: {}", required.source);
        }
    }
    Ok(())
}

/// A reference value: "value unit", or a bare number taking the measured value's unit.
fn reference_quantity(text: &str, value_unit: Option<&str>) -> Result<Quantity> {
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
