//! `oncourse tissues`: the tissue table with every row's source.

use anyhow::Result;
use oncourse_radbio::tissues::{self, Category, Evidence, Tissue};
use serde::Serialize;
use std::io::Write;

use crate::parse;

/// Arguments of `oncourse tissues`.
#[derive(clap::Args)]
pub struct Args {
    /// Also print each row's notes (caveats, what was and was not verified).
    #[arg(long)]
    notes: bool,

    /// Print JSON instead of text (always with notes).
    #[arg(long)]
    json: bool,
}

/// Runs `oncourse tissues`.
pub fn run(args: Args) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let rows: Vec<TissueRow> = tissues::all().iter().map(TissueRow::from).collect();
    if args.json {
        return parse::print_json(&rows);
    }
    for row in &rows {
        let range = row
            .alpha_beta_range_gy
            .map(|[lo, hi]| format!(" ({lo}–{hi})"))
            .unwrap_or_default();
        writeln!(
            out,
            "{:<34} α/β {:>5} Gy{range:<12} {} [{}]",
            row.id, row.alpha_beta_gy, row.name, row.evidence
        )?;
        writeln!(out, "{:<34} source: {}", "", row.source)?;
        if let Some(repopulation) = &row.repopulation {
            writeln!(
                out,
                "{:<34} repopulation: Tk {} d, K {:.3} Gy/d (source: {})",
                "",
                repopulation.kickoff_days,
                repopulation.bed_loss_gy_per_day,
                repopulation.source
            )?;
        }
        if let Some(note) = row.note.filter(|_| args.notes) {
            writeln!(out, "{:<34} note: {note}", "")?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct TissueRow {
    id: &'static str,
    name: &'static str,
    category: &'static str,
    alpha_beta_gy: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    alpha_beta_range_gy: Option<[f64; 2]>,
    endpoint: &'static str,
    evidence: &'static str,
    source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    doi: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repopulation: Option<RepopulationRow>,
}

#[derive(Serialize)]
struct RepopulationRow {
    kickoff_days: f64,
    bed_loss_gy_per_day: f64,
    source: &'static str,
}

impl From<&'static Tissue> for TissueRow {
    fn from(tissue: &'static Tissue) -> Self {
        Self {
            id: &tissue.id,
            name: &tissue.name,
            category: match tissue.category {
                Category::Tumour => "tumour",
                Category::Early => "early",
                Category::Late => "late",
            },
            alpha_beta_gy: tissue.alpha_beta.gy(),
            alpha_beta_range_gy: tissue.alpha_beta_range_gy.map(|(lo, hi)| [lo, hi]),
            endpoint: &tissue.endpoint,
            evidence: match tissue.evidence {
                Evidence::Clinical => "clinical",
                Evidence::Experimental => "experimental",
                Evidence::InVitro => "in-vitro",
                Evidence::Convention => "convention",
            },
            source: &tissue.source,
            doi: tissue.doi.as_deref(),
            note: tissue.note.as_deref(),
            repopulation: tissue.repopulation.as_ref().map(|r| RepopulationRow {
                kickoff_days: r.parameters.kickoff_days(),
                bed_loss_gy_per_day: r.parameters.bed_loss_gy_per_day(),
                source: &r.source,
            }),
        }
    }
}
