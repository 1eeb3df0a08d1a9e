//! `oncourse protocol`: validate a dose-modification protocol file and list its rules with their
//! sources (local rules marked as such). Every problem of the file is reported at once, as
//! `file:line:col: field.path: message`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::Args as ClapArgs;
use oncourse_tox::episodes::{Episode, episodes};
use oncourse_tox::protocol::{
    Action, Deviation, Evaluation, Protocol, Recommendation, Source, evaluate, parse_protocol,
};
use serde::Serialize;

use oncourse_wire::protocol::{DeviationView, RecommendationView};

use crate::{events, parse};

/// Arguments of `oncourse protocol`.
#[derive(ClapArgs)]
pub struct Args {
    /// The protocol file (TOML), e.g. protocols/anlotinib.toml.
    file: PathBuf,

    /// Evaluate the protocol over a dated event stream (TOML: labs, clinician grades, cycle
    /// starts, doses, radiotherapy fractions) and print recommendations and deviations.
    #[arg(long)]
    events: Option<PathBuf>,

    /// Last day of the evaluation (YYYY-MM-DD); required with --events.
    #[arg(long, requires = "events")]
    through: Option<NaiveDate>,

    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs `oncourse protocol`.
pub fn run(args: Args) -> Result<()> {
    let protocol = read_protocol(&args.file)?;
    if let Some(events_file) = &args.events {
        let through = args
            .through
            .context("--through YYYY-MM-DD is required with --events")?;
        let text = std::fs::read_to_string(events_file)
            .with_context(|| format!("cannot read {}", events_file.display()))?;
        let events = events::read_events(&events_file.display().to_string(), &text)?;
        let evaluation = evaluate(&protocol, &events, through);
        let adverse_events = episodes(&events);
        if args.json {
            let mut view = EvaluationView::from(&evaluation);
            view.adverse_events = adverse_events.iter().map(EpisodeView::from).collect();
            return parse::print_json(&view);
        }
        print_episodes(&adverse_events)?;
        print_recommendations(&evaluation.recommendations, &evaluation.deviations)?;
        return Ok(());
    }
    if args.json {
        return parse::print_json(&ProtocolView::from(&protocol));
    }
    print_text(&protocol)?;
    Ok(())
}

/// Reads and validates a protocol file; every problem of the file is reported at once.
pub fn read_protocol(path: &Path) -> Result<Protocol> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    match parse_protocol(&path.display().to_string(), &text) {
        Ok(protocol) => Ok(protocol),
        Err(errors) => bail!("{} problem(s):\n{errors}", errors.problems.len()),
    }
}

fn print_episodes(adverse_events: &[Episode]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "adverse events:")?;
    for episode in adverse_events {
        let resolved = episode
            .resolved
            .map_or("ongoing".to_owned(), |date| format!("resolved {date}"));
        writeln!(
            out,
            "  {}: onset {}, worst grade {} on {}, {resolved}",
            episode.term, episode.onset, episode.worst_grade, episode.worst_on
        )?;
    }
    Ok(())
}

/// Prints recommendations (local rules marked `LOCAL`) and deviations as text.
pub fn print_recommendations(
    recommendations: &[Recommendation],
    deviations: &[Deviation],
) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "recommendations (for the treating physician to confirm):"
    )?;
    for recommendation in recommendations {
        let view = RecommendationView::from(recommendation);
        let dose = view
            .dose_mg
            .map(|dose| format!(" at {dose} mg"))
            .unwrap_or_default();
        let marker = if view.local { "LOCAL " } else { "" };
        writeln!(
            out,
            "  {} {}{} {}{dose}: {}",
            view.date, marker, view.action, view.target, view.reason
        )?;
        writeln!(out, "      rule {} [{}]", view.rule_id, view.source)?;
    }
    if deviations.is_empty() {
        writeln!(out, "deviations: none")?;
    } else {
        writeln!(out, "deviations:")?;
        for deviation in deviations {
            writeln!(out, "  {} {}", deviation.date, deviation.description)?;
        }
    }
    Ok(())
}

fn print_text(protocol: &Protocol) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} — {} (treatment: {})",
        protocol.id, protocol.title, protocol.treatment
    )?;
    if let Some(schedule) = &protocol.schedule {
        writeln!(
            out,
            "  schedule: {} mg daily, days {}-{} of {}-day cycles [{}]",
            schedule.dose_mg,
            schedule.days_on.0,
            schedule.days_on.1,
            schedule.cycle_length_days,
            schedule.source
        )?;
    }
    if let Some(ladder) = &protocol.dose_levels {
        writeln!(
            out,
            "  dose levels (mg): {:?} [{}]",
            ladder.levels_mg, ladder.source
        )?;
    }
    for requirement in &protocol.pre_cycle {
        writeln!(
            out,
            "  before each cycle: {} grade <= {} within {} days [{}]",
            requirement.term, requirement.max_grade, requirement.within_days, requirement.source
        )?;
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
        writeln!(
            out,
            "  {marker}{}: {terms} grade {:?} -> {} [{}]",
            rule.id,
            rule.grades,
            describe(&rule.action),
            rule.source
        )?;
    }
    Ok(())
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

/// The JSON of `oncourse protocol --events`.
#[derive(Serialize)]
struct EvaluationView {
    adverse_events: Vec<EpisodeView>,
    recommendations: Vec<RecommendationView>,
    deviations: Vec<DeviationView>,
}

#[derive(Serialize)]
struct EpisodeView {
    term: String,
    onset: NaiveDate,
    worst_grade: u8,
    worst_on: NaiveDate,
    resolved: Option<NaiveDate>,
}

impl From<&Episode> for EpisodeView {
    fn from(episode: &Episode) -> Self {
        EpisodeView {
            term: episode.term.clone(),
            onset: episode.onset,
            worst_grade: episode.worst_grade,
            worst_on: episode.worst_on,
            resolved: episode.resolved,
        }
    }
}

impl From<&Evaluation> for EvaluationView {
    fn from(evaluation: &Evaluation) -> Self {
        EvaluationView {
            adverse_events: Vec::new(),
            recommendations: evaluation
                .recommendations
                .iter()
                .map(RecommendationView::from)
                .collect(),
            deviations: evaluation
                .deviations
                .iter()
                .map(DeviationView::from)
                .collect(),
        }
    }
}
