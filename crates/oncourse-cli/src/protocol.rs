//! `oncourse protocol`: validate a dose-modification protocol file and list its rules with their
//! sources (local rules marked as such). Every problem of the file is reported at once, as
//! `file:line:col: field.path: message`.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Args as ClapArgs;
use oncourse_tox::protocol::{Action, Protocol, Source, parse_protocol};
use serde::Serialize;

use crate::parse;

/// Arguments of `oncourse protocol`.
#[derive(ClapArgs)]
pub struct Args {
    /// The protocol file (TOML), e.g. protocols/anlotinib.toml.
    file: PathBuf,

    /// Print the validated protocol as JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs `oncourse protocol`.
pub fn run(args: Args) -> Result<()> {
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let protocol = match parse_protocol(&args.file.display().to_string(), &text) {
        Ok(protocol) => protocol,
        Err(errors) => bail!("{} problem(s):\n{errors}", errors.problems.len()),
    };
    if args.json {
        return parse::print_json(&ProtocolView::from(&protocol));
    }
    print_text(&protocol);
    Ok(())
}

fn print_text(protocol: &Protocol) {
    println!(
        "{} — {} (treatment: {})",
        protocol.id, protocol.title, protocol.treatment
    );
    if let Some(schedule) = &protocol.schedule {
        println!(
            "  schedule: {} mg daily, days {}-{} of {}-day cycles [{}]",
            schedule.dose_mg,
            schedule.days_on.0,
            schedule.days_on.1,
            schedule.cycle_length_days,
            schedule.source
        );
    }
    if let Some(ladder) = &protocol.dose_levels {
        println!(
            "  dose levels (mg): {:?} [{}]",
            ladder.levels_mg, ladder.source
        );
    }
    for requirement in &protocol.pre_cycle {
        println!(
            "  before each cycle: {} grade <= {} within {} days [{}]",
            requirement.term, requirement.max_grade, requirement.within_days, requirement.source
        );
    }
    for rule in &protocol.rules {
        let terms = if rule.terms.len() > 3 {
            format!(
                "{} and {} more terms",
                rule.terms[..2].join(", "),
                rule.terms.len() - 2
            )
        } else {
            rule.terms.join(", ")
        };
        let marker = if rule.source == Source::Local {
            "LOCAL "
        } else {
            ""
        };
        println!(
            "  {marker}{}: {terms} grade {:?} -> {} [{}]",
            rule.id,
            rule.grades,
            describe(&rule.action),
            rule.source
        );
    }
}

fn describe(action: &Action) -> String {
    match action {
        Action::Continue => "continue".to_owned(),
        Action::Discontinue => "discontinue".to_owned(),
        Action::Hold(hold) => format!(
            "hold until grade <= {}, resume {:?}{}",
            hold.resume_when_grade_at_most,
            hold.resume_at,
            hold.time_limit_days
                .map(|days| format!(", within {days} days or discontinue"))
                .unwrap_or_default()
        ),
        Action::RadiotherapyBreak(pause) => {
            format!(
                "radiotherapy break until grade <= {}",
                pause.resume_when_grade_at_most
            )
        }
        Action::Notify { whom } => format!("notify {whom}"),
        Action::SupportiveCare { care } => format!("supportive care: {care}"),
    }
}

/// The JSON of `oncourse protocol` (a wire format, kept in the binary).
#[derive(Serialize)]
struct ProtocolView {
    id: String,
    title: String,
    treatment: String,
    dose_levels_mg: Vec<f64>,
    rules: Vec<RuleView>,
}

#[derive(Serialize)]
struct RuleView {
    id: String,
    terms: Vec<String>,
    grades: Vec<u8>,
    action: String,
    source: String,
    local: bool,
}

impl From<&Protocol> for ProtocolView {
    fn from(protocol: &Protocol) -> Self {
        ProtocolView {
            id: protocol.id.clone(),
            title: protocol.title.clone(),
            treatment: protocol.treatment.clone(),
            dose_levels_mg: protocol
                .dose_levels
                .as_ref()
                .map(|ladder| ladder.levels_mg.clone())
                .unwrap_or_default(),
            rules: protocol
                .rules
                .iter()
                .map(|rule| RuleView {
                    id: rule.id.clone(),
                    terms: rule.terms.clone(),
                    grades: rule.grades.clone(),
                    action: describe(&rule.action),
                    source: rule.source.to_string(),
                    local: rule.source == Source::Local,
                })
                .collect(),
        }
    }
}
