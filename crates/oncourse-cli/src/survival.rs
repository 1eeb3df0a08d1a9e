//! `oncourse survival`: Kaplan–Meier, log-rank and Cox proportional hazards on a cohort CSV.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, bail};
use oncourse_outcome::survival::{
    ConfidenceTransform, CoxFit, CoxOptions, KaplanMeier, KaplanMeierOptions, LogRankTest,
    SurvivalData, Ties, cox_proportional_hazards, kaplan_meier, logrank, logrank_stratified,
};
use serde::Serialize;

use crate::parse;
use crate::table::{Table, dense_indices};

/// Arguments of `oncourse survival`.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  oncourse survival cohort.csv --time months --event progressed --at 6,12,24
  oncourse survival cohort.csv --time days --event died --group arm --json
  oncourse survival cohort.csv --time days --event died --covariates age,ecog --ties breslow
Rows with a missing value (empty, NA, NaN, .) in a column used are dropped and counted.")]
pub struct Args {
    /// The cohort, one subject per row, with a header row.
    file: PathBuf,

    /// Column of follow-up times (any unit, >= 0).
    #[arg(long, value_name = "COL")]
    time: String,

    /// Column of event flags: 1/true = event observed, 0/false = censored.
    #[arg(long, value_name = "COL")]
    event: String,

    /// Column of group labels: per-group Kaplan–Meier and the log-rank test.
    #[arg(long, value_name = "COL")]
    group: Option<String>,

    /// Column of strata for a stratified log-rank test (with --group).
    #[arg(long, value_name = "COL", requires = "group")]
    strata: Option<String>,

    /// Comma-separated numeric columns for a Cox model.
    #[arg(long, value_name = "A,B,C", value_delimiter = ',')]
    covariates: Vec<String>,

    /// Tie handling of the Cox model.
    #[arg(long, value_enum, default_value = "efron")]
    ties: TiesArg,

    /// Comma-separated times at which to report survival.
    #[arg(
        long,
        value_name = "T1,T2",
        value_delimiter = ',',
        allow_hyphen_values = true
    )]
    at: Vec<f64>,

    /// Confidence-interval transform of the Kaplan–Meier estimate.
    #[arg(long, value_enum, default_value = "log-log")]
    conf_type: ConfTypeArg,

    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum TiesArg {
    Efron,
    Breslow,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ConfTypeArg {
    LogLog,
    Log,
    Plain,
}

#[derive(Serialize)]
struct Output {
    n: usize,
    events: usize,
    dropped_missing: usize,
    km: KmOutput,
    #[serde(skip_serializing_if = "Option::is_none")]
    groups: Option<BTreeMap<String, GroupOutput>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    logrank: Option<LogRankOutput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cox: Option<CoxOutput>,
}

#[derive(Serialize)]
struct KmOutput {
    median: Option<f64>,
    median_ci: [Option<f64>; 2],
    at: Vec<AtOutput>,
}

#[derive(Serialize)]
struct AtOutput {
    t: f64,
    s: f64,
    lower: Option<f64>,
    upper: Option<f64>,
}

#[derive(Serialize)]
struct GroupOutput {
    km: KmOutput,
}

#[derive(Serialize)]
struct LogRankOutput {
    statistic: f64,
    df: usize,
    p: f64,
}

#[derive(Serialize)]
struct CoxOutput {
    coef: BTreeMap<String, f64>,
    se: BTreeMap<String, f64>,
    hr: BTreeMap<String, f64>,
    hr_lower: BTreeMap<String, f64>,
    hr_upper: BTreeMap<String, f64>,
    p: BTreeMap<String, f64>,
    log_likelihood: f64,
    lr_statistic: f64,
    lr_p: f64,
    concordance: f64,
}

/// Runs `oncourse survival`.
pub fn run(args: Args) -> Result<()> {
    let table = Table::read(&args.file)?;
    let time_column = table.column(&args.time)?;
    let event_column = table.column(&args.event)?;
    let group_column = args.group.as_deref().map(|g| table.column(g)).transpose()?;
    let strata_column = args
        .strata
        .as_deref()
        .map(|s| table.column(s))
        .transpose()?;
    let covariate_columns = args
        .covariates
        .iter()
        .map(|c| table.column(c))
        .collect::<Result<Vec<_>>>()?;
    let used: Vec<usize> = [time_column, event_column]
        .into_iter()
        .chain(group_column)
        .chain(strata_column)
        .chain(covariate_columns.iter().copied())
        .collect();
    let complete = table.complete(&used);
    if complete.rows.is_empty() {
        bail!(
            "{}: no row has a value in every column used ({} dropped for missing values)",
            args.file.display(),
            complete.dropped
        );
    }
    let rows = &complete.rows;
    let data = SurvivalData::new(
        table.times(time_column, rows)?,
        table.events(event_column, rows)?,
    )?;
    let km_options = KaplanMeierOptions {
        confidence_level: 0.95,
        transform: match args.conf_type {
            ConfTypeArg::LogLog => ConfidenceTransform::LogLog,
            ConfTypeArg::Log => ConfidenceTransform::Log,
            ConfTypeArg::Plain => ConfidenceTransform::Plain,
        },
    };
    let km = km_output(&kaplan_meier(&data, &km_options), &args.at);
    let (groups, logrank_output) = match group_column {
        Some(column) => {
            let (group, labels) = dense_indices(&table.labels(column, rows));
            let per_group = labels
                .iter()
                .enumerate()
                .map(|(g, label)| {
                    let members: Vec<usize> = (0..group.len()).filter(|i| group[*i] == g).collect();
                    let subset = SurvivalData::new(
                        members.iter().map(|i| data.time()[*i]).collect(),
                        members.iter().map(|i| data.event()[*i]).collect(),
                    )?;
                    let km = km_output(&kaplan_meier(&subset, &km_options), &args.at);
                    Ok((label.clone(), GroupOutput { km }))
                })
                .collect::<Result<BTreeMap<_, _>>>()?;
            let test = match strata_column {
                Some(s) => {
                    logrank_stratified(&data, &group, &dense_indices(&table.labels(s, rows)).0)?
                }
                None => logrank(&data, &group)?,
            };
            (Some(per_group), Some(logrank_result(&test)))
        }
        None => (None, None),
    };
    let cox = if covariate_columns.is_empty() {
        None
    } else {
        let covariates = args
            .covariates
            .iter()
            .zip(&covariate_columns)
            .map(|(name, &column)| Ok((name.clone(), table.numbers(column, rows)?)))
            .collect::<Result<Vec<_>>>()?;
        let options = CoxOptions {
            ties: match args.ties {
                TiesArg::Efron => Ties::Efron,
                TiesArg::Breslow => Ties::Breslow,
            },
            ..CoxOptions::default()
        };
        Some(cox_output(&cox_proportional_hazards(
            &data,
            &covariates,
            &options,
        )?))
    };
    let output = Output {
        n: data.len(),
        events: data.n_events(),
        dropped_missing: complete.dropped,
        km,
        groups,
        logrank: logrank_output,
        cox,
    };
    if args.json {
        parse::print_json(&output)
    } else {
        print_text(&output, &args)?;
        Ok(())
    }
}

fn km_output(fit: &KaplanMeier, at: &[f64]) -> KmOutput {
    let median = fit.median();
    KmOutput {
        median: median.estimate,
        median_ci: [median.lower, median.upper],
        at: at
            .iter()
            .map(|&t| {
                let s = fit.survival_at(t);
                AtOutput {
                    t,
                    s: s.survival,
                    lower: s.lower,
                    upper: s.upper,
                }
            })
            .collect(),
    }
}

fn logrank_result(test: &LogRankTest) -> LogRankOutput {
    LogRankOutput {
        statistic: test.statistic,
        df: test.df,
        p: test.p_value,
    }
}

fn cox_output(fit: &CoxFit) -> CoxOutput {
    let by_name = |values: &[f64]| -> BTreeMap<String, f64> {
        fit.names
            .iter()
            .cloned()
            .zip(values.iter().copied())
            .collect()
    };
    CoxOutput {
        coef: by_name(&fit.coef),
        se: by_name(&fit.se),
        hr: by_name(&fit.hazard_ratio),
        hr_lower: by_name(&fit.hazard_ratio_lower),
        hr_upper: by_name(&fit.hazard_ratio_upper),
        p: by_name(&fit.p_value),
        log_likelihood: fit.log_likelihood,
        lr_statistic: fit.lr_statistic,
        lr_p: fit.lr_p_value,
        concordance: fit.concordance,
    }
}

fn print_text(output: &Output, args: &Args) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    let value = |v: Option<f64>| v.map_or("not reached".to_string(), |v| format!("{v:.4}"));
    writeln!(
        out,
        "{} subjects, {} events, {} rows dropped for missing values",
        output.n, output.events, output.dropped_missing
    )?;
    let print_km = |out: &mut std::io::StdoutLock, name: &str, km: &KmOutput| {
        writeln!(
            out,
            "{name}: median {} (95 % CI {} – {})",
            value(km.median),
            value(km.median_ci[0]),
            value(km.median_ci[1])
        )?;
        for at in &km.at {
            writeln!(
                out,
                "  S({}) = {:.4} (95 % CI {} – {})",
                at.t,
                at.s,
                value(at.lower),
                value(at.upper)
            )?;
        }
        std::io::Result::Ok(())
    };
    print_km(&mut out, "all", &output.km)?;
    for (label, group) in output.groups.iter().flatten() {
        print_km(
            &mut out,
            &format!("{} = {label}", args.group.as_deref().unwrap_or("group")),
            &group.km,
        )?;
    }
    if let Some(test) = &output.logrank {
        writeln!(
            out,
            "log-rank{}: χ² = {:.4}, df = {}, p = {:.4e}",
            if args.strata.is_some() {
                " (stratified)"
            } else {
                ""
            },
            test.statistic,
            test.df,
            test.p
        )?;
    }
    if let Some(cox) = &output.cox {
        writeln!(
            out,
            "Cox PH ({} ties):",
            if matches!(args.ties, TiesArg::Breslow) {
                "Breslow"
            } else {
                "Efron"
            }
        )?;
        writeln!(
            out,
            "  {:<16} {:>10} {:>10} {:>10} {:>21} {:>10}",
            "covariate", "coef", "se", "HR", "95 % CI", "p"
        )?;
        for name in &args.covariates {
            writeln!(
                out,
                "  {:<16} {:>10.5} {:>10.5} {:>10.4} {:>10.4} – {:<8.4} {:>10.3e}",
                name,
                cox.coef[name],
                cox.se[name],
                cox.hr[name],
                cox.hr_lower[name],
                cox.hr_upper[name],
                cox.p[name]
            )?;
        }
        writeln!(
            out,
            "  log-likelihood {:.4}; LR χ² = {:.4} (p = {:.3e}); concordance {:.4}",
            cox.log_likelihood, cox.lr_statistic, cox.lr_p, cox.concordance
        )?;
    }
    Ok(())
}
