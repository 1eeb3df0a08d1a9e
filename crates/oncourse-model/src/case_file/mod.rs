//! The TOML case-file format (documented in `docs/case-file.md`).
//!
//! [`parse_case_file`] turns a file's text into a [`Record`] or into every error of the file,
//! each located at `file:line:column` with its field path, the bad value and what was expected.
//! It does no IO: the caller reads the file and passes its name and text.

mod diagnostics;
mod reader;
mod sections;
mod writer;

use std::collections::HashMap;

pub use diagnostics::{CaseFileError, CaseFileErrors};
pub use writer::{write_case_file, write_facts};

use diagnostics::Diagnostics;
use reader::Table;
use sections::{Collected, read_sections};

use crate::fact::{FactBody, FactId};
use crate::quantity::Dimension;
use crate::record::Record;

/// The format identifier every case file starts with.
pub const FORMAT: &str = "oncourse-case/1";

/// Parses a case file. `file_name` is used only in error locations.
pub fn parse_case_file(file_name: &str, text: &str) -> Result<Record, CaseFileErrors> {
    let mut d = Diagnostics::new(file_name, text);
    let (document, syntax_errors) = toml::de::DeTable::parse_recoverable(text);
    for error in &syntax_errors {
        let message = error.message().trim().replace('\n', " ");
        d.error(
            error.span().unwrap_or(0..0),
            "(syntax)",
            message.to_lowercase(),
        );
    }
    if !syntax_errors.is_empty() {
        return Err(CaseFileErrors(d.finish()));
    }
    let mut root = Table::root(&document);
    root.required(&mut d, "format", &format!("{FORMAT:?}"), |n, d| {
        let format = n.string(d)?;
        if format != FORMAT {
            d.error(
                n.span(),
                n.path,
                format!("expected {FORMAT:?}, got {format:?}"),
            );
        }
        Some(())
    });
    let mut c = Collected::default();
    read_sections(&mut d, &mut c, &mut root, sections::SECTIONS);
    root.finish(&mut d);
    check_ids(&mut d, &c);
    let errors = d.finish();
    if errors.is_empty() {
        Ok(Record::new(
            c.facts.into_iter().map(|(fact, _, _)| fact).collect(),
        ))
    } else {
        Err(CaseFileErrors(errors))
    }
}

/// Unique ids, references to facts of the right kind, doses on their regimen's ladder.
fn check_ids(d: &mut Diagnostics<'_>, c: &Collected) {
    let mut by_id: HashMap<&FactId, (&FactBody, usize)> = HashMap::new();
    for (fact, path, span) in &c.facts {
        if let Some((_, first)) = by_id.get(&fact.id) {
            let line = d.line_of(*first);
            d.error(
                span.clone(),
                path,
                format!(
                    "expected a unique id, got {:?} which is already used on line {line}",
                    fact.id.0
                ),
            );
        } else {
            by_id.insert(&fact.id, (&fact.body, span.start));
        }
    }
    for reference in &c.references {
        match by_id.get(&reference.target) {
            Some((body, _)) if reference.kind.is_none_or(|kind| body.kind_name() == kind) => {}
            _ => {
                let expected = match reference.kind {
                    None => "the id of a fact in this file".to_string(),
                    Some(kind) => format!("the id of a fact of kind {kind}"),
                };
                d.error(
                    reference.span.clone(),
                    &reference.path,
                    format!("expected {expected}, got {:?}", reference.target.0),
                );
            }
        }
    }
    for check in &c.ladder_checks {
        if let Some((FactBody::DrugRegimen(regimen), _)) = by_id.get(&check.regimen) {
            // Compared in mg with a relative tolerance, so "0.01 g" matches "10 mg".
            let dose = check.dose.canonical(Dimension::Mass).unwrap_or(f64::NAN);
            let on_ladder = regimen.dose_levels.iter().any(|level| {
                level
                    .canonical(Dimension::Mass)
                    .is_ok_and(|mg| (mg - dose).abs() <= 1e-9 * mg.abs())
            });
            if !on_ladder {
                let levels: Vec<String> = regimen
                    .dose_levels
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                d.error(
                    check.span.clone(),
                    &check.path,
                    format!(
                        "expected one of the regimen's dose levels ({}), got \"{}\"",
                        levels.join(", "),
                        check.dose
                    ),
                );
            }
        }
    }
}
