//! `oncourse plot`: SVG figures — Kaplan–Meier from a cohort CSV; swimmer, waterfall and
//! spider plots from per-patient RECIST files (the patient label is the file name).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use oncourse_outcome::response::{RecistAssessment, Response};
use oncourse_outcome::survival::{KaplanMeierOptions, SurvivalData, kaplan_meier, logrank};
use oncourse_report::{kaplan_meier as km_chart, spider, swimmer, waterfall};

use crate::recist_file::assess_file;
use crate::table::{Table, dense_indices};

/// Arguments of `oncourse plot`.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  oncourse plot km cohort.csv --time months --event progressed --group arm -o km.svg
  oncourse plot waterfall patients/*.json -o waterfall.svg
  oncourse plot swimmer patients/*.json -o swimmer.svg
  oncourse plot spider patients/*.json -o spider.svg")]
pub struct Args {
    #[command(subcommand)]
    chart: Chart,
}

#[derive(clap::Subcommand)]
enum Chart {
    /// Kaplan–Meier curves with confidence bands, censor ticks and numbers at risk.
    Km(KmArgs),
    /// Swimmer plot: time on study per patient with timepoint responses.
    Swimmer(ResponseArgs),
    /// Waterfall plot of each patient's best % change of the sum of diameters.
    Waterfall(ResponseArgs),
    /// Spider plot of % change of the sum of diameters over time.
    Spider(ResponseArgs),
}

#[derive(clap::Args)]
struct KmArgs {
    /// The cohort CSV (header row; see `oncourse survival`).
    file: PathBuf,
    /// Column of follow-up times.
    #[arg(long, value_name = "COL")]
    time: String,
    /// Column of event flags (1/0, true/false).
    #[arg(long, value_name = "COL")]
    event: String,
    /// Column of group labels: one curve per group, and the log-rank p.
    #[arg(long, value_name = "COL")]
    group: Option<String>,
    /// Time-axis title.
    #[arg(long, default_value = "Time")]
    time_label: String,
    /// Survival-axis title.
    #[arg(long, default_value = "Survival probability")]
    survival_label: String,
    /// Figure title.
    #[arg(long, default_value = "")]
    title: String,
    /// Leave out the confidence bands.
    #[arg(long)]
    no_ci: bool,
    /// Output SVG file.
    #[arg(short, long, value_name = "FILE.svg")]
    output: PathBuf,
}

#[derive(clap::Args)]
struct ResponseArgs {
    /// Per-patient RECIST files (the format of `oncourse recist`).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Figure title.
    #[arg(long)]
    title: Option<String>,
    /// Output SVG file.
    #[arg(short, long, value_name = "FILE.svg")]
    output: PathBuf,
}

/// Runs `oncourse plot`.
pub fn run(args: Args) -> Result<()> {
    let (svg, output) = match args.chart {
        Chart::Km(km) => (kaplan_meier_svg(&km)?, km.output),
        Chart::Swimmer(r) => {
            let lanes = patients(&r.files)?
                .iter()
                .map(swimmer_lane)
                .collect::<Vec<_>>();
            (
                swimmer::render(
                    &lanes,
                    r.title.as_deref().unwrap_or("Time on study and response"),
                ),
                r.output,
            )
        }
        Chart::Waterfall(r) => {
            let bars = patients(&r.files)?
                .iter()
                .filter_map(waterfall_bar)
                .collect::<Vec<_>>();
            (
                waterfall::render(
                    &bars,
                    r.title.as_deref().unwrap_or("Best change in tumour size"),
                ),
                r.output,
            )
        }
        Chart::Spider(r) => {
            let lines = patients(&r.files)?
                .iter()
                .map(spider_line)
                .collect::<Vec<_>>();
            (
                spider::render(
                    &lines,
                    r.title
                        .as_deref()
                        .unwrap_or("Change in tumour size over time"),
                ),
                r.output,
            )
        }
    };
    std::fs::write(&output, svg).with_context(|| format!("{}: cannot write", output.display()))
}

fn kaplan_meier_svg(args: &KmArgs) -> Result<String> {
    let table = Table::read(&args.file)?;
    let time_column = table.column(&args.time)?;
    let event_column = table.column(&args.event)?;
    let group_column = args.group.as_deref().map(|g| table.column(g)).transpose()?;
    let used: Vec<usize> = [time_column, event_column]
        .into_iter()
        .chain(group_column)
        .collect();
    let rows = table.complete(&used).rows;
    let data = SurvivalData::new(
        table.times(time_column, &rows)?,
        table.events(event_column, &rows)?,
    )?;
    let options = KaplanMeierOptions::default();
    let (fits, labels, annotation) = match group_column {
        Some(column) => {
            let (group, labels) = dense_indices(&table.labels(column, &rows));
            let fits = (0..labels.len())
                .map(|g| {
                    let members: Vec<usize> = (0..group.len()).filter(|i| group[*i] == g).collect();
                    let subset = SurvivalData::new(
                        members.iter().map(|i| data.time()[*i]).collect(),
                        members.iter().map(|i| data.event()[*i]).collect(),
                    )?;
                    Ok(kaplan_meier(&subset, &options))
                })
                .collect::<Result<Vec<_>>>()?;
            let p = logrank(&data, &group)
                .ok()
                .map(|t| format!("log-rank p = {}", format_p(t.p_value)));
            (fits, labels, p)
        }
        None => (
            vec![kaplan_meier(&data, &options)],
            vec!["All".to_string()],
            None,
        ),
    };
    let curves: Vec<km_chart::Curve> = labels
        .iter()
        .zip(&fits)
        .map(|(label, fit)| km_chart::Curve { label, fit })
        .collect();
    Ok(km_chart::render(
        &curves,
        &km_chart::Options {
            title: args.title.clone(),
            time_label: args.time_label.clone(),
            survival_label: args.survival_label.clone(),
            annotation,
            confidence_bands: !args.no_ci,
        },
    ))
}

/// A p-value as journals print it: three significant digits, "< 0.001" below that.
fn format_p(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".into()
    } else {
        format!("{p:.3}")
    }
}

fn patients(files: &[PathBuf]) -> Result<Vec<(String, RecistAssessment)>> {
    files
        .iter()
        .map(|path| Ok((patient_label(path), assess_file(path)?)))
        .collect()
}

fn patient_label(path: &Path) -> String {
    path.file_stem().map_or_else(
        || path.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

fn days_from_baseline(assessment: &RecistAssessment) -> Vec<f64> {
    let baseline = assessment.timepoints[0].date;
    assessment
        .timepoints
        .iter()
        .map(|t| (t.date - baseline).num_days() as f64)
        .collect()
}

fn swimmer_lane((id, assessment): &(String, RecistAssessment)) -> swimmer::Lane {
    let days = days_from_baseline(assessment);
    let responses: Vec<(f64, Response)> = assessment
        .timepoints
        .iter()
        .zip(&days)
        .filter_map(|(t, d)| t.response.map(|r| (*d, r)))
        .collect();
    swimmer::Lane {
        id: id.clone(),
        duration_days: days.last().copied().unwrap_or(0.0),
        ongoing: !responses
            .iter()
            .any(|(_, r)| *r == Response::ProgressiveDisease),
        responses,
    }
}

fn waterfall_bar((id, assessment): &(String, RecistAssessment)) -> Option<waterfall::Bar> {
    let best = assessment.timepoints[1..]
        .iter()
        .filter_map(|t| t.change_from_baseline_pct)
        .min_by(f64::total_cmp)?;
    Some(waterfall::Bar {
        id: id.clone(),
        best_change_pct: best,
        best_overall_response: assessment.best_overall_response,
    })
}

fn spider_line((id, assessment): &(String, RecistAssessment)) -> spider::Trajectory {
    let days = days_from_baseline(assessment);
    spider::Trajectory {
        id: id.clone(),
        points: assessment
            .timepoints
            .iter()
            .zip(&days)
            .filter_map(|(t, d)| t.change_from_baseline_pct.map(|p| (*d, p)))
            .collect(),
        best_overall_response: assessment.best_overall_response,
    }
}
