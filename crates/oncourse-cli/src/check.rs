//! `oncourse check FILE`: validate a case file. Exit 0 with a one-line summary, or exit 1 with
//! every error on its own line as `FILE:LINE:COL: field.path: message`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use serde::Serialize;

use crate::case_file;
use crate::parse;

/// Arguments of `oncourse check`.
#[derive(clap::Args)]
pub struct Args {
    /// The case file (TOML, see docs/case-file.md).
    file: PathBuf,

    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Summary {
    file: String,
    facts: usize,
    first_date: Option<String>,
    last_date: Option<String>,
    by_kind: BTreeMap<&'static str, usize>,
    illustrative: usize,
}

/// Runs `oncourse check`.
pub fn run(args: Args) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let record = match case_file::read(&args.file)? {
        Ok(record) => record,
        Err(errors) => case_file::fail_with(&errors),
    };
    let mut by_kind = BTreeMap::new();
    for fact in record.facts() {
        *by_kind.entry(fact.body.kind_name()).or_insert(0) += 1;
    }
    let summary = Summary {
        file: args.file.display().to_string(),
        facts: record.facts().len(),
        first_date: record.facts().first().map(|f| f.date.to_string()),
        last_date: record.last_date().map(|d| d.to_string()),
        illustrative: record.facts().iter().filter(|f| f.illustrative).count(),
        by_kind,
    };
    if args.json {
        return parse::print_json(&summary);
    }
    let kinds: Vec<String> = summary
        .by_kind
        .iter()
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect();
    writeln!(
        out,
        "{}: ok, {} facts from {} to {} ({}; {} illustrative)",
        summary.file,
        summary.facts,
        summary.first_date.as_deref().unwrap_or("-"),
        summary.last_date.as_deref().unwrap_or("-"),
        kinds.join(", "),
        summary.illustrative
    )?;
    Ok(())
}
