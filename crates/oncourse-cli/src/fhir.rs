//! `oncourse fhir export FILE.toml > bundle.json` and `oncourse fhir import bundle.json -o
//! case.toml`: a case as an HL7 FHIR R4 / mCODE STU4 Bundle and back.
//!
//! Import prints what it skipped as `warning: Type/id: message` lines on stderr; malformed input
//! exits 1 with every error as `FILE: Type/id.element: message`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use oncourse_fhir::{BundleKind, ExportOptions};

use crate::case_file;

/// Arguments of `oncourse fhir`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Write a case file as a FHIR R4 Bundle (JSON) on stdout.
    Export {
        /// The case file (TOML, see docs/case-file.md).
        file: PathBuf,
        /// Write a `transaction` bundle (PUT Type/id per entry) instead of a `collection`.
        #[arg(long)]
        transaction: bool,
    },
    /// Read a FHIR R4 Bundle (or one resource) and write it as a case file.
    Import {
        /// The bundle (JSON).
        file: PathBuf,
        /// Where to write the case file; stdout when absent.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

/// Runs `oncourse fhir`.
pub fn run(args: Args) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match args.action {
        Action::Export { file, transaction } => {
            let record = match case_file::read(&file)? {
                Ok(record) => record,
                Err(errors) => case_file::fail_with(&errors),
            };
            let options = ExportOptions {
                bundle_kind: if transaction {
                    BundleKind::Transaction
                } else {
                    BundleKind::Collection
                },
            };
            write!(out, "{}", oncourse_fhir::export_json(&record, &options))?;
            Ok(())
        }
        Action::Import { file, output } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("{}: cannot read the bundle", file.display()))?;
            let imported = match oncourse_fhir::import_json(&text) {
                Ok(imported) => imported,
                Err(errors) => {
                    for error in &errors.0 {
                        eprintln!("{}: {error}", file.display());
                    }
                    std::process::exit(1);
                }
            };
            for warning in &imported.warnings {
                eprintln!("warning: {}: {warning}", file.display());
            }
            let toml = match imported.as_case_file() {
                Ok((toml, _)) => toml,
                Err(errors) => {
                    for error in &errors.0 {
                        eprintln!(
                            "{}: the imported case is not a valid case file: {error}",
                            file.display()
                        );
                    }
                    std::process::exit(1);
                }
            };
            match output {
                Some(path) => std::fs::write(&path, toml)
                    .with_context(|| format!("{}: cannot write the case file", path.display()))?,
                None => write!(out, "{toml}")?,
            }
            Ok(())
        }
    }
}
