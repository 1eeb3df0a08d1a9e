//! Reading a case file from disk: the IO around `oncourse_model::case_file`, shared by the
//! subcommands that take a case file.

use std::path::Path;

use anyhow::{Context, Result};
use oncourse_model::case_file::{CaseFileErrors, parse_case_file};
use oncourse_model::record::Record;

/// Reads and parses a case file. `Ok(Err(errors))` is a file that was read but is invalid.
pub fn read(path: &Path) -> Result<Result<Record, CaseFileErrors>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read the case file", path.display()))?;
    Ok(parse_case_file(&path.display().to_string(), &text))
}

/// Prints every error of an invalid file on its own line to stderr and exits with status 1.
pub fn fail_with(errors: &CaseFileErrors) -> ! {
    for error in &errors.0 {
        eprintln!("{error}");
    }
    std::process::exit(1)
}
