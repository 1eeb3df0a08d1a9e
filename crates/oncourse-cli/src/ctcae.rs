//! `oncourse ctcae`: a CTCAE v5.0 term's definition and grade texts, or the terms matching a word.

use anyhow::{Result, bail};
use clap::Args as ClapArgs;
use oncourse_tox::criteria::criterion_for;
use oncourse_tox::{CTCAE_V5_SOURCE, GradeDefinition, catalogue};
use serde::Serialize;
use std::io::Write;

use crate::parse;

/// Arguments of `oncourse ctcae`.
#[derive(ClapArgs)]
pub struct Args {
    /// A CTCAE v5.0 term (case-insensitive) or MedDRA code; with --search, a word to look for.
    term: String,

    /// List the terms whose name contains TERM instead.
    #[arg(long)]
    search: bool,

    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct TermView {
    term: String,
    meddra_code: u32,
    system_organ_class: String,
    definition: Option<String>,
    navigational_note: Option<String>,
    grades: Vec<GradeDefinition>,
    graded_automatically: bool,
    source: &'static str,
}

/// Runs `oncourse ctcae`.
pub fn run(args: Args) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if args.search {
        let word = args.term.to_lowercase();
        let names: Vec<&str> = catalogue()
            .terms()
            .iter()
            .filter(|term| term.name.to_lowercase().contains(&word))
            .map(|term| term.name.as_str())
            .collect();
        if args.json {
            return parse::print_json(&names);
        }
        for name in &names {
            writeln!(out, "{name}")?;
        }
        return Ok(());
    }
    let Some(term) = catalogue().lookup(&args.term) else {
        bail!(
            "{:?} is not a CTCAE v5.0 term name or MedDRA code (try `oncourse ctcae --search WORD`)",
            args.term
        );
    };
    let view = TermView {
        term: term.name.clone(),
        meddra_code: term.meddra_code,
        system_organ_class: term.system_organ_class.clone(),
        definition: term.definition.clone(),
        navigational_note: term.navigational_note.clone(),
        grades: term.grade_definitions(),
        graded_automatically: criterion_for(&term.name).is_some(),
        source: CTCAE_V5_SOURCE,
    };
    if args.json {
        return parse::print_json(&view);
    }
    writeln!(
        out,
        "{} (MedDRA {}) — {}",
        view.term, view.meddra_code, view.system_organ_class
    )?;
    if let Some(definition) = &view.definition {
        writeln!(out, "  definition: {definition}")?;
    }
    for grade in &view.grades {
        writeln!(
            out,
            "  grade {}: {}",
            grade.grade,
            grade.text.replace('\n', " ")
        )?;
    }
    if let Some(note) = &view.navigational_note {
        writeln!(out, "  note: {note}")?;
    }
    writeln!(
        out,
        "  grading: {}",
        if view.graded_automatically {
            "automatic from a measured value (oncourse grade)"
        } else {
            "clinical: a clinician chooses the grade"
        }
    )?;
    writeln!(out, "  source: {}", view.source)?;
    Ok(())
}
