//! `oncourse reirradiation`: the EQD2 a tissue may still receive below a cumulative limit.

use anyhow::Result;
use oncourse_radbio::{
    CourseOptions, DoseResponseModel, Phase, evaluate_course, reirradiation_headroom,
};
use serde::Serialize;
use std::io::Write;

use crate::parse::{self, AlphaBetaArgs, PhaseArg};

/// Arguments of `oncourse reirradiation`.
#[derive(clap::Args)]
#[command(after_help = "Example:
  oncourse reirradiation --prior 2x25 --limit-eqd2 50 --alpha-beta 2 --recovery 0.25 --fractions 5")]
pub struct Args {
    /// An earlier phase as DOSExFRACTIONS (repeatable).
    #[arg(long, value_name = "DxN", value_parser = parse::phase, allow_hyphen_values = true, required_unless_present = "prior_eqd2")]
    prior: Vec<PhaseArg>,

    /// The earlier courses' EQD2 for this tissue in Gy, when the phases are not known.
    #[arg(long, value_name = "GY", value_parser = parse::dose_gy, conflicts_with = "prior")]
    prior_eqd2: Option<f64>,

    /// The cumulative EQD2 limit of the tissue in Gy.
    #[arg(long, value_name = "GY", value_parser = parse::dose_gy)]
    limit_eqd2: f64,

    #[command(flatten)]
    alpha_beta: AlphaBetaArgs,

    /// Share of the earlier dose assumed recovered, from 0 (none, the default) up to 1.
    #[arg(long, value_name = "FRACTION", default_value_t = 0.0)]
    recovery: f64,

    /// Also give the dose per fraction that uses the headroom in this many fractions.
    #[arg(long, value_name = "N", value_parser = parse::fractions)]
    fractions: Option<u32>,

    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Output {
    alpha_beta_gy: f64,
    prior_eqd2_gy: f64,
    recovery_fraction: f64,
    counted_prior_eqd2_gy: f64,
    limit_eqd2_gy: f64,
    remaining_eqd2_gy: f64,
    remaining_bed_gy: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    fractions: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dose_per_fraction_gy: Option<f64>,
}

/// Runs `oncourse reirradiation`.
pub fn run(args: Args) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let alpha_beta = args.alpha_beta.resolve()?;
    let prior_eqd2_gy = match args.prior_eqd2 {
        Some(gy) => gy,
        None => {
            let phases: Vec<Phase> = args.prior.iter().map(|p| p.phase).collect();
            evaluate_course(&phases, alpha_beta, &CourseOptions::default())?.eqd2_gy
        }
    };
    let headroom =
        reirradiation_headroom(prior_eqd2_gy, args.limit_eqd2, args.recovery, alpha_beta)
            .map_err(|e| anyhow::anyhow!("--recovery/--limit-eqd2: {e}"))?;
    let dose_per_fraction_gy = match args.fractions {
        Some(n) => headroom.dose_per_fraction_gy(n, alpha_beta, DoseResponseModel::Lq)?,
        None => None,
    };
    let output = Output {
        alpha_beta_gy: alpha_beta.gy(),
        prior_eqd2_gy: headroom.prior_eqd2_gy,
        recovery_fraction: args.recovery,
        counted_prior_eqd2_gy: headroom.counted_prior_eqd2_gy,
        limit_eqd2_gy: headroom.limit_eqd2_gy,
        remaining_eqd2_gy: headroom.remaining_eqd2_gy,
        remaining_bed_gy: headroom.remaining_bed_gy,
        fractions: args.fractions,
        dose_per_fraction_gy,
    };
    if args.json {
        return parse::print_json(&output);
    }
    writeln!(
        out,
        "earlier EQD2 {:.2} Gy, counted {:.2} Gy after {:.0} % recovery; limit {:.2} Gy (α/β {} Gy)",
        output.prior_eqd2_gy,
        output.counted_prior_eqd2_gy,
        output.recovery_fraction * 100.0,
        output.limit_eqd2_gy,
        output.alpha_beta_gy
    )?;
    if output.remaining_eqd2_gy <= 0.0 {
        writeln!(
            out,
            "no headroom: the limit is passed by {:.2} Gy EQD2",
            -output.remaining_eqd2_gy
        )?;
    } else {
        writeln!(
            out,
            "remaining: {:.2} Gy EQD2 ({:.2} Gy BED)",
            output.remaining_eqd2_gy, output.remaining_bed_gy
        )?;
    }
    if let (Some(n), Some(d)) = (output.fractions, output.dose_per_fraction_gy) {
        writeln!(out, "in {n} fractions: at most {d:.3} Gy per fraction")?;
    }
    Ok(())
}
