//! `oncourse report FILE -o report.html [--as-of YYYY-MM-DD] [--protocol FILE]...`: the
//! self-contained HTML case report of a case file, with the protocols' recommendations.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use oncourse_engine::{AssessOptions, assess};
use oncourse_report::case_report::{case_report_html, default_title};

use crate::case_file;
use crate::protocol;

/// Arguments of `oncourse report`.
#[derive(clap::Args)]
pub struct Args {
    /// The case file (TOML, see docs/case-file.md).
    file: PathBuf,

    /// Where to write the HTML.
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,

    /// What was known on this date (YYYY-MM-DD). Defaults to the date of the last fact.
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<NaiveDate>,

    /// Title of the report. Defaults to "Case report: SITE" (the diagnosis site).
    #[arg(long)]
    title: Option<String>,

    /// A dose-modification protocol whose recommendations the report shows (repeatable).
    #[arg(long = "protocol", value_name = "FILE")]
    protocols: Vec<PathBuf>,
}

/// Runs `oncourse report`.
pub fn run(args: Args) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let record = match case_file::read(&args.file)? {
        Ok(record) => record,
        Err(errors) => case_file::fail_with(&errors),
    };
    let Some(as_of) = args.as_of.or_else(|| record.last_date()) else {
        anyhow::bail!("{}: the case file has no facts", args.file.display());
    };
    let mut options = AssessOptions::new(as_of);
    options.protocols = args
        .protocols
        .iter()
        .map(|path| protocol::read_protocol(path))
        .collect::<Result<_>>()?;
    let assessment = assess(&record, &options)?;
    let title = args.title.unwrap_or_else(|| default_title(&record));
    let html = case_report_html(&title, &record, &assessment);
    std::fs::write(&args.output, html)
        .with_context(|| format!("{}: cannot write the report", args.output.display()))?;
    writeln!(out, "{}: case report as of {as_of}", args.output.display())?;
    Ok(())
}
