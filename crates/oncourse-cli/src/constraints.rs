//! `oncourse constraints`: a built-in constraint set (QUANTEC, AAPM TG-101, extremity-sarcoma
//! femur limits) checked against the DVHs of a plan, with the margin and the source of each.

use anyhow::Result;
use oncourse_dose::constraints::{ConstraintResult, evaluate, find_set, matching_roi};
use oncourse_dose::{DoseQuantity, DvhOptions, structure_dvh};
use serde::Serialize;
use std::io::Write;

use crate::dvh::DoseInputs;
use crate::parse;

/// Arguments of `oncourse constraints`.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  oncourse constraints --rtstruct RS.dcm --rtdose RD.dcm --set extremity-sarcoma-femur
  oncourse constraints --rtstruct RS.dcm --rtdose RD.dcm --set tg101-3fx --json
Sets: extremity-sarcoma-femur, tg101-3fx, tg101-5fx, quantec-thorax-conventional.")]
pub struct Args {
    #[command(flatten)]
    inputs: DoseInputs,

    /// The constraint set to check.
    #[arg(long, value_name = "NAME")]
    set: String,

    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Report<'a> {
    set: &'a str,
    description: &'a str,
    fractionation: &'a str,
    source: &'a str,
    verified: &'a str,
    results: Vec<ConstraintResult>,
}

/// Runs `oncourse constraints`.
pub fn run(args: Args) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let set = find_set(&args.set)?;
    let loaded = args.inputs.load()?;
    let phases = loaded.engine_phases();
    let names: Vec<String> = loaded
        .structures
        .rois
        .iter()
        .map(|roi| roi.name.clone())
        .collect();
    let mut results = Vec::new();
    for constraint in &set.constraints {
        let roi = matching_roi(constraint, &names).and_then(|name| loaded.structures.find(name));
        let result = match roi {
            None => evaluate(constraint, None),
            Some(roi) => {
                let dvh =
                    structure_dvh(roi, &phases, DoseQuantity::Physical, &DvhOptions::default())?
                        .dvh;
                evaluate(constraint, Some((&roi.name, dvh.as_ref())))
            }
        };
        results.push(result);
    }
    let report = Report {
        set: &set.name,
        description: &set.description,
        fractionation: &set.fractionation,
        source: &set.source,
        verified: &set.verified,
        results,
    };
    if args.json {
        return parse::print_json(&report);
    }
    writeln!(
        out,
        "{} — {}\nsource: {}\n",
        report.set, report.description, report.source
    )?;
    for result in &report.results {
        let verdict = match result.passed {
            Some(true) => "pass",
            Some(false) => "FAIL",
            None => "not evaluated",
        };
        let detail = match (result.value, result.margin) {
            (Some(value), Some(margin)) => {
                format!("{value:.2} {} (margin {margin:+.2})", result.unit)
            }
            _ => result.note.clone().unwrap_or_default(),
        };
        writeln!(
            out,
            "{:<14} {:<8} < {:>6.2} {:<3} {:<14} {}   [{}; {}]",
            result.roi.as_deref().unwrap_or(&result.structure),
            result.metric,
            result.limit,
            result.unit,
            verdict,
            detail,
            result.endpoint,
            result.source
        )?;
    }
    Ok(())
}
