//! `oncourse labs import FEED --into case.toml [--patient ID] [--dry-run]`: merge a lab feed
//! (a FHIR Bundle of Observations, `.json`, or a CSV export, `.csv`; format in
//! `oncourse_fhir::labs`) into a case file, idempotently.
//!
//! New results are appended to the case file as `[[observation]]` blocks, so its comments and
//! layout stay as they are; the result is parsed again before it is written. Re-sending the
//! same feed adds nothing.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use oncourse_fhir::labs;
use oncourse_model::case_file::{parse_case_file, write_facts};

use crate::case_file;

/// Arguments of `oncourse labs`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Merge a lab feed (FHIR Bundle .json or CSV .csv) into a case file.
    Import {
        /// The feed.
        feed: PathBuf,
        /// The case file to add the results to (rewritten in place).
        #[arg(long)]
        into: PathBuf,
        /// Keep only results of this patient id (CSV `patient_id`, FHIR `subject`).
        #[arg(long)]
        patient: Option<String>,
        /// Report what would be added without writing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// Runs `oncourse labs`.
pub fn run(args: Args) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let Action::Import {
        feed,
        into,
        patient,
        dry_run,
    } = args.action;
    let feed_text = std::fs::read_to_string(&feed)
        .with_context(|| format!("{}: cannot read the feed", feed.display()))?;
    let feed_name = feed.display().to_string();
    let parsed = match feed.extension().and_then(|e| e.to_str()) {
        Some("csv") => labs::read_csv(&feed_name, &feed_text, patient.as_deref()),
        Some("json") => labs::read_fhir(&feed_text, patient.as_deref()),
        _ => bail!("{feed_name}: expected a .csv or .json (FHIR Bundle) feed"),
    };
    let parsed = match parsed {
        Ok(parsed) => parsed,
        Err(errors) => {
            for error in &errors.0 {
                if feed_name.ends_with(".csv") {
                    eprintln!("{error}");
                } else {
                    eprintln!("{feed_name}: {error}");
                }
            }
            std::process::exit(1);
        }
    };
    for warning in &parsed.warnings {
        eprintln!("warning: {feed_name}: {warning}");
    }
    let record = match case_file::read(&into)? {
        Ok(record) => record,
        Err(errors) => case_file::fail_with(&errors),
    };
    let merged = labs::merge(&record, &parsed);
    writeln!(
        out,
        "{}: {} new results, {} already present",
        into.display(),
        merged.added.len(),
        merged.already_present
    )?;
    if merged.added.is_empty() || dry_run {
        return Ok(());
    }
    let mut text = std::fs::read_to_string(&into)
        .with_context(|| format!("{}: cannot read the case file", into.display()))?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&write_facts(&merged.added));
    if let Err(errors) = parse_case_file(&into.display().to_string(), &text) {
        bail!("the merged case file would not be valid (nothing written):\n{errors}");
    }
    std::fs::write(&into, text)
        .with_context(|| format!("{}: cannot write the case file", into.display()))?;
    Ok(())
}
