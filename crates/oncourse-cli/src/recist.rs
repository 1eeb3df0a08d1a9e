//! `oncourse recist`: RECIST 1.1 timepoint responses and best overall response of one
//! patient's assessments.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use chrono::NaiveDate;
use oncourse_outcome::response::{RecistAssessment, Response};
use serde::Serialize;

use crate::parse;
use crate::recist_file::assess_file;

/// Arguments of `oncourse recist`.
#[derive(clap::Args)]
#[command(after_help = "FILE.json:
  {\"timepoints\": [{\"date\": \"2024-01-02\", \"targets\": {\"L1\": 42.0, \"N1\": 18.0},
                   \"non_targets\": {\"NT1\": \"present\"}, \"new_lesions\": false}, ...],
   \"nodal\": [\"N1\"], \"organs\": {\"L1\": \"liver\", \"N1\": \"node\"},
   \"confirm\": {\"min_interval_days\": 28}, \"min_sd_duration_days\": 42}
  Diameters in mm (short axis for nodes). The first timepoint is baseline. Non-target status:
  present, absent, progressed or not_evaluated. \"organs\" (optional) checks at most two
  targets per organ (five in all are always checked). Without \"confirm\" responses need no
  confirmation; SD counts from min_sd_duration_days after baseline (default 42).")]
pub struct Args {
    /// The patient's assessments (JSON).
    file: PathBuf,

    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Output {
    timepoints: Vec<TimepointOutput>,
    best_overall_response: Response,
}

#[derive(Serialize)]
struct TimepointOutput {
    date: NaiveDate,
    sum_mm: Option<f64>,
    change_from_baseline_pct: Option<f64>,
    change_from_nadir_pct: Option<f64>,
    response: Option<Response>,
}

/// Runs `oncourse recist`.
pub fn run(args: Args) -> Result<()> {
    let assessment = assess_file(&args.file)?;
    if args.json {
        parse::print_json(&output(&assessment))
    } else {
        print_text(&assessment)?;
        Ok(())
    }
}

fn output(assessment: &RecistAssessment) -> Output {
    Output {
        timepoints: assessment
            .timepoints
            .iter()
            .map(|t| TimepointOutput {
                date: t.date,
                sum_mm: t.sum_mm,
                change_from_baseline_pct: t.change_from_baseline_pct,
                change_from_nadir_pct: t.change_from_nadir_pct,
                response: t.response,
            })
            .collect(),
        best_overall_response: assessment.best_overall_response,
    }
}

fn print_text(assessment: &RecistAssessment) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    let number =
        |v: Option<f64>, unit: &str| v.map_or("—".to_string(), |v| format!("{v:+.1}{unit}"));
    writeln!(
        out,
        "{:<12} {:>9} {:>13} {:>11}  {:<14} {:<14} response",
        "date", "sum mm", "vs baseline", "vs nadir", "targets", "non-targets"
    )?;
    for t in &assessment.timepoints {
        let label = |r: Option<Response>| r.map_or("—", Response::abbreviation);
        writeln!(
            out,
            "{:<12} {:>9} {:>13} {:>11}  {:<14} {:<14} {}",
            t.date.to_string(),
            t.sum_mm.map_or("—".to_string(), |v| format!("{v:.1}")),
            number(t.change_from_baseline_pct, " %"),
            number(t.change_from_nadir_pct, " %"),
            label(t.target_response),
            label(t.non_target_response),
            t.response.map_or("baseline", Response::abbreviation),
        )?;
    }
    writeln!(
        out,
        "best overall response: {} (RECIST 1.1, Eisenhauer et al. 2009)",
        assessment.best_overall_response.abbreviation()
    )?;
    Ok(())
}
