//! `oncourse assess FILE [--as-of YYYY-MM-DD] [--protocol FILE]... [--json]`: replay a case file
//! as of a date into an assessment (stage, radiotherapy and drug calendars, timeline, graded
//! adverse events and, with protocols, their recommendations and deviations).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use chrono::NaiveDate;
use oncourse_engine::{AssessOptions, Assessment, assess};

use crate::case_file;
use crate::parse;
use crate::protocol;
use oncourse_wire::assessment as assess_json;

/// Arguments of `oncourse assess`.
#[derive(clap::Args)]
pub struct Args {
    /// The case file (TOML, see docs/case-file.md).
    file: PathBuf,

    /// What was known on this date (YYYY-MM-DD); later facts are invisible. Defaults to the
    /// date of the file's last fact.
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<NaiveDate>,

    /// A radbio tissue id to report EQD2 for (repeatable; see `oncourse tissues`). Defaults to
    /// the tumour and the normal tissues of an extremity field.
    #[arg(long = "tissue", value_name = "ID")]
    tissues: Vec<String>,

    /// A dose-modification protocol to evaluate the course against (repeatable), e.g.
    /// protocols/anlotinib.toml.
    #[arg(long = "protocol", value_name = "FILE")]
    protocols: Vec<PathBuf>,

    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs `oncourse assess`.
pub fn run(args: Args) -> Result<()> {
    let record = match case_file::read(&args.file)? {
        Ok(record) => record,
        Err(errors) => case_file::fail_with(&errors),
    };
    let Some(as_of) = args.as_of.or_else(|| record.last_date()) else {
        anyhow::bail!("{}: the case file has no facts", args.file.display());
    };
    let mut options = AssessOptions::new(as_of);
    if !args.tissues.is_empty() {
        options.tissue_ids = args.tissues.clone();
    }
    options.protocols = args
        .protocols
        .iter()
        .map(|path| protocol::read_protocol(path))
        .collect::<Result<_>>()?;
    let assessment = assess(&record, &options)?;
    if args.json {
        return parse::print_json(&assess_json::to_json(&assessment));
    }
    print_text(&assessment)?;
    Ok(())
}

fn print_text(a: &Assessment) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "as of {}", a.as_of)?;
    if let Some(p) = &a.patient {
        let age = p
            .age_years
            .map(|y| format!(", {y} years"))
            .unwrap_or_default();
        writeln!(
            out,
            "patient: {}{age}",
            format!("{:?}", p.sex).to_lowercase()
        )?;
    }
    if let Some(e) = &a.ecog {
        writeln!(out, "ECOG: {} ({})", e.score, e.date)?;
    }
    if let Some(s) = &a.stage {
        let grade = s.grade.map_or("GX".to_string(), |g| format!("G{g}"));
        writeln!(
            out,
            "stage: {:?} {:?} {:?} {grade} -> {} ({}; greatest dimension {} mm)",
            s.t, s.n, s.m, s.group, s.system, s.greatest_dimension_mm
        )?;
    }
    if let Some(rt) = &a.radiotherapy {
        writeln!(
            out,
            "radiotherapy: {}/{} fractions, {} of {} Gy, {} to {}, overall time {} days",
            rt.fractions_delivered,
            rt.fractions_planned,
            rt.physical_gy,
            rt.physical_gy_planned,
            rt.first_fraction.map_or("-".into(), |d| d.to_string()),
            rt.last_fraction.map_or("-".into(), |d| d.to_string()),
            rt.overall_treatment_time_days
                .map_or("-".into(), |d| d.to_string()),
        )?;
        for p in &rt.phases {
            let breaks: Vec<String> = p.interruptions.iter().map(ToString::to_string).collect();
            writeln!(
                out,
                "  {:<12} {} Gy x {}/{} = {} Gy{}{}",
                p.name,
                p.dose_per_fraction_gy,
                p.fractions_delivered,
                p.fractions_planned,
                p.physical_gy,
                if breaks.is_empty() {
                    String::new()
                } else {
                    format!("; weekdays without a fraction: {}", breaks.join(", "))
                },
                p.prolongation_days
                    .filter(|days| *days > 0)
                    .map(|days| format!("; finished {days} days later than planned"))
                    .unwrap_or_default()
            )?;
        }
        writeln!(
            out,
            "  {:<34} {:>6} {:>8} {:>8} {:>13}",
            "tissue", "a/b Gy", "BED Gy", "EQD2 Gy", "planned EQD2"
        )?;
        for t in &rt.tissues {
            writeln!(
                out,
                "  {:<34} {:>6} {:>8.2} {:>8.2} {:>13.2}",
                t.tissue, t.alpha_beta_gy, t.bed_gy, t.eqd2_gy, t.eqd2_gy_planned
            )?;
        }
        writeln!(out, "  model: {}, no time correction", rt.model)?;
    }
    for drug in &a.drugs {
        writeln!(
            out,
            "drug: {} {}, {} cycles, {} mg delivered, relative dose intensity {}",
            drug.agent,
            drug.schedule,
            drug.cycles.len(),
            drug.total_delivered_mg,
            drug.relative_dose_intensity
                .map_or("- (no completed cycle)".into(), |r| format!("{r:.3}")),
        )?;
        writeln!(out, "  cycle start       dose  level dosed held delayed")?;
        for c in &drug.cycles {
            writeln!(
                out,
                "  {:>5} {} {:>5} {:>6} {:>5} {:>4} {:>7}{}",
                c.cycle,
                c.start,
                c.dose_mg,
                c.dose_level.map_or("-".into(), |l| l.to_string()),
                c.dosed_days,
                c.held_days,
                c.delayed_days,
                if c.complete { "" } else { "  (in progress)" }
            )?;
        }
    }
    writeln!(out, "timeline:")?;
    for e in &a.timeline {
        let end = e.end.map(|d| format!(" to {d}")).unwrap_or_default();
        let mark = if e.illustrative {
            " [illustrative]"
        } else {
            ""
        };
        writeln!(out, "  {}{end}  {}{mark}", e.date, e.label)?;
    }
    print_adverse_events(a)?;
    if !a.protocols.is_empty() {
        writeln!(out, "protocols: {}", a.protocols.join(", "))?;
        protocol::print_recommendations(&a.recommendations, &a.deviations)?;
    }
    for note in &a.notes {
        writeln!(out, "note: {note}")?;
    }
    Ok(())
}

fn print_adverse_events(a: &Assessment) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    if a.adverse_events.is_empty() {
        return Ok(());
    }
    writeln!(out, "adverse events (CTCAE v5.0):")?;
    for e in &a.adverse_events {
        let resolved = e
            .resolved
            .map_or("ongoing".to_owned(), |date| format!("resolved {date}"));
        let attribution = e
            .attribution
            .map(|a| format!(", attributed to {}", format!("{a:?}").to_lowercase()))
            .unwrap_or_default();
        writeln!(
            out,
            "  {}: onset {}, worst grade {} on {}, {resolved}{attribution}",
            e.term, e.onset, e.worst_grade, e.worst_on
        )?;
        for input in &e.inputs {
            writeln!(
                out,
                "      {} grade {}: {}",
                input.date, input.grade, input.facts
            )?;
        }
    }
    Ok(())
}
