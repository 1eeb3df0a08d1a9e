//! `oncourse eqd2`: BED, EQD2 and EQDx of a course of phases, or the inverse solve for a target.

use anyhow::{Result, bail};
use oncourse_radbio::regimen::{self, Classification, Delivery, RegimenInput};
use oncourse_radbio::tissues::Tissue;
use oncourse_radbio::{
    AlphaBeta, CourseOptions, DoseResponseModel, Phase, Repopulation, TimeCorrection,
    evaluate_course,
};
use serde::Serialize;
use std::io::Write;

use crate::parse::{self, AlphaBetaArgs, PhaseArg};

/// Arguments of `oncourse eqd2`.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  oncourse eqd2 --phase 4x10:imrt --phase 7x3:sbrt --alpha-beta 4
  oncourse eqd2 --phase 4x10 --phase 7x3 --tissue skin-late-telangiectasia --json
  oncourse eqd2 --target-eqd2 50 --fractions 5 --alpha-beta 10
  oncourse eqd2 --phase 2x35 --tissue head-neck-scc --overall-time-days 46")]
pub struct Args {
    /// A phase as DOSExFRACTIONS, optionally :TECHNIQUE (3dcrt, imrt, vmat, sbrt, srt, srs,
    /// brachy), e.g. 4x10:imrt. Repeat for a course of several phases.
    #[arg(long, value_name = "DxN[:TECHNIQUE]", value_parser = parse::phase, allow_hyphen_values = true, required_unless_present_any = ["target_eqd2", "target_bed"])]
    phase: Vec<PhaseArg>,

    #[command(flatten)]
    alpha_beta: AlphaBetaArgs,

    /// Use the LQ-L model above this transition dose per fraction (Gy) instead of plain LQ.
    #[arg(long, value_name = "GY", value_parser = parse::positive_dose_gy)]
    lql_transition: Option<f64>,

    /// Also report EQDx for this reference dose per fraction (Gy).
    #[arg(long, value_name = "GY", value_parser = parse::positive_dose_gy)]
    eqdx: Option<f64>,

    /// Correct for repopulation over this overall treatment time (days from first to last
    /// fraction). Needs a tissue with published parameters, or --kickoff-days with
    /// --bed-loss-per-day (or --alpha-per-gy and --tpot-days).
    #[arg(long, value_name = "DAYS")]
    overall_time_days: Option<f64>,

    /// Repopulation kick-off time Tk in days (with --overall-time-days).
    #[arg(long, value_name = "DAYS", requires = "overall_time_days")]
    kickoff_days: Option<f64>,

    /// BED lost per day after kick-off, K, in Gy/day.
    #[arg(long, value_name = "GY", requires = "kickoff_days", conflicts_with_all = ["alpha_per_gy", "tpot_days"])]
    bed_loss_per_day: Option<f64>,

    /// α in 1/Gy, with --tpot-days: K = ln 2 / (α·Tpot).
    #[arg(long, value_name = "PER_GY", requires_all = ["kickoff_days", "tpot_days"])]
    alpha_per_gy: Option<f64>,

    /// Potential doubling time Tpot in days, with --alpha-per-gy.
    #[arg(long, value_name = "DAYS", requires_all = ["kickoff_days", "alpha_per_gy"])]
    tpot_days: Option<f64>,

    /// Largest tumour diameter in cm: adds a note where a regimen's source suggests it for
    /// smaller tumours.
    #[arg(long, value_name = "CM")]
    tumour_size_cm: Option<f64>,

    /// Inverse solve: the EQD2 (Gy) to reach, with --fractions or --dose-per-fraction.
    #[arg(long, value_name = "GY", value_parser = parse::dose_gy, conflicts_with_all = ["phase", "target_bed"])]
    target_eqd2: Option<f64>,

    /// Inverse solve: the BED (Gy) to reach, with --fractions or --dose-per-fraction.
    #[arg(long, value_name = "GY", value_parser = parse::dose_gy, conflicts_with = "phase")]
    target_bed: Option<f64>,

    /// Inverse solve: the number of fractions to use.
    #[arg(long, value_name = "N", value_parser = parse::fractions, conflicts_with = "dose_per_fraction")]
    fractions: Option<u32>,

    /// Inverse solve: the dose per fraction (Gy) to use.
    #[arg(long, value_name = "GY", value_parser = parse::positive_dose_gy)]
    dose_per_fraction: Option<f64>,

    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs `oncourse eqd2`.
pub fn run(args: Args) -> Result<()> {
    let alpha_beta = args.alpha_beta.resolve()?;
    let model = match args.lql_transition {
        Some(gy) => DoseResponseModel::lql(gy)?,
        None => DoseResponseModel::Lq,
    };
    if args.target_eqd2.is_some() || args.target_bed.is_some() {
        return inverse(&args, alpha_beta, model);
    }
    let options = CourseOptions {
        model,
        time_correction: time_correction(&args)?,
    };
    let phases: Vec<Phase> = args.phase.iter().map(|p| p.phase).collect();
    let course = evaluate_course(&phases, alpha_beta, &options)?;
    let output = CourseOutput {
        alpha_beta_gy: alpha_beta.gy(),
        tissue: args.alpha_beta.tissue.map(TissueOutput::from),
        model: model.label(),
        phases: args
            .phase
            .iter()
            .zip(&course.phases)
            .map(|(arg, dose)| PhaseOutput {
                dose_per_fraction_gy: dose.phase.dose_per_fraction_gy(),
                fractions: dose.phase.n_fractions(),
                technique: arg.technique.map(|t| t.name()),
                physical_gy: dose.physical_gy,
                bed_gy: dose.bed_gy,
                eqd2_gy: dose.eqd2_gy,
                regimen: classify(arg, args.tumour_size_cm).map(RegimenOutput::from),
            })
            .collect(),
        total: TotalOutput {
            physical_gy: course.physical_gy,
            bed_gy: course.bed_gy,
            eqd2_gy: course.eqd2_gy,
            eqdx: args.eqdx.map(|x| EqdxOutput {
                reference_dose_per_fraction_gy: x,
                eqdx_gy: course.eqdx_gy(x),
            }),
            repopulation_bed_loss_gy: course.repopulation_bed_loss_gy,
            overall_time_days: options.time_correction.map(|c| c.overall_time_days),
        },
    };
    if args.json {
        parse::print_json(&output)
    } else {
        print_course(&output)?;
        Ok(())
    }
}

fn time_correction(args: &Args) -> Result<Option<TimeCorrection>> {
    let Some(overall_time_days) = args.overall_time_days else {
        return Ok(None);
    };
    let repopulation = match (
        args.kickoff_days,
        args.bed_loss_per_day,
        args.alpha_per_gy,
        args.tpot_days,
    ) {
        (Some(tk), Some(k), _, _) => Repopulation::from_daily_bed_loss(tk, k)?,
        (Some(tk), None, Some(alpha), Some(tpot)) => {
            Repopulation::from_alpha_and_tpot(tk, alpha, tpot)?
        }
        (Some(_), None, _, _) => {
            bail!(
                "--kickoff-days: also give --bed-loss-per-day, or --alpha-per-gy with --tpot-days"
            )
        }
        (None, ..) => match args.alpha_beta.tissue.and_then(|t| t.repopulation.as_ref()) {
            Some(published) => published.parameters,
            None => bail!(
                "--overall-time-days {overall_time_days}: tissue {:?} has no published repopulation parameters; give --tissue with published ones or --kickoff-days and --bed-loss-per-day",
                args.alpha_beta
                    .tissue
                    .map(|t| t.id.as_str())
                    .unwrap_or("(none: --alpha-beta given)")
            ),
        },
    };
    Ok(Some(TimeCorrection {
        repopulation,
        overall_time_days,
    }))
}

fn classify(arg: &PhaseArg, tumour_size_cm: Option<f64>) -> Option<Classification> {
    let input = RegimenInput {
        dose_per_fraction_gy: arg.phase.dose_per_fraction_gy(),
        n_fractions: arg.phase.n_fractions(),
        delivery: arg
            .technique
            .map_or(Delivery::ExternalBeam, |t| t.delivery()),
        overall_days: None,
    };
    regimen::classify(&input, tumour_size_cm)
}

fn inverse(args: &Args, alpha_beta: AlphaBeta, model: DoseResponseModel) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let (target_name, target_gy, as_bed) = match (args.target_eqd2, args.target_bed) {
        (Some(eqd2), _) => ("eqd2", eqd2, false),
        (None, Some(bed)) => ("bed", bed, true),
        (None, None) => bail!("--target-eqd2 or --target-bed: one of them is needed"),
    };
    let (dose_per_fraction_gy, fractions, fractions_exact) =
        match (args.fractions, args.dose_per_fraction) {
            (Some(n), None) => {
                let d = if as_bed {
                    oncourse_radbio::dose_per_fraction_for_bed(target_gy, n, alpha_beta, model)?
                } else {
                    oncourse_radbio::dose_per_fraction_for_eqd2(target_gy, n, alpha_beta, model)?
                };
                (d, n, None)
            }
            (None, Some(d)) => {
                let solution = if as_bed {
                    oncourse_radbio::fractions_for_bed(target_gy, d, alpha_beta, model)?
                } else {
                    oncourse_radbio::fractions_for_eqd2(target_gy, d, alpha_beta, model)?
                };
                (d, solution.whole_at_least, Some(solution.exact))
            }
            _ => bail!("--target-{target_name}: also give --fractions N or --dose-per-fraction GY"),
        };
    let phase = Phase::new(dose_per_fraction_gy, fractions)?;
    let course = evaluate_course(
        &[phase],
        alpha_beta,
        &CourseOptions {
            model,
            time_correction: None,
        },
    )?;
    let output = InverseOutput {
        alpha_beta_gy: alpha_beta.gy(),
        tissue: args.alpha_beta.tissue.map(TissueOutput::from),
        model: model.label(),
        target_eqd2_gy: args.target_eqd2,
        target_bed_gy: args.target_bed,
        dose_per_fraction_gy,
        fractions,
        fractions_exact,
        physical_gy: course.physical_gy,
        bed_gy: course.bed_gy,
        eqd2_gy: course.eqd2_gy,
    };
    if args.json {
        parse::print_json(&output)
    } else {
        writeln!(out, "α/β {} Gy, {}", output.alpha_beta_gy, output.model)?;
        match output.fractions_exact {
            None => writeln!(
                out,
                "{} fractions of {:.4} Gy reach the target: physical {:.2} Gy, BED {:.2} Gy, EQD2 {:.2} Gy",
                output.fractions,
                output.dose_per_fraction_gy,
                output.physical_gy,
                output.bed_gy,
                output.eqd2_gy
            )?,
            Some(exact) => writeln!(
                out,
                "{exact:.3} fractions of {} Gy reach the target; {} whole fractions give physical {:.2} Gy, BED {:.2} Gy, EQD2 {:.2} Gy",
                output.dose_per_fraction_gy,
                output.fractions,
                output.physical_gy,
                output.bed_gy,
                output.eqd2_gy
            )?,
        }
        Ok(())
    }
}

fn print_course(output: &CourseOutput) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match &output.tissue {
        Some(tissue) => writeln!(
            out,
            "{} (α/β {} Gy; source: {})",
            tissue.name, output.alpha_beta_gy, tissue.source
        )?,
        None => writeln!(out, "α/β {} Gy", output.alpha_beta_gy)?,
    }
    writeln!(out, "model: {}", output.model)?;
    writeln!(
        out,
        "{:<18} {:>10} {:>10} {:>10}  regimen",
        "phase", "physical", "BED", "EQD2"
    )?;
    for phase in &output.phases {
        let label = format!(
            "{} Gy × {}{}",
            phase.dose_per_fraction_gy,
            phase.fractions,
            phase.technique.map(|t| format!(" {t}")).unwrap_or_default()
        );
        writeln!(
            out,
            "{label:<18} {:>7.2} Gy {:>7.2} Gy {:>7.2} Gy  {}",
            phase.physical_gy,
            phase.bed_gy,
            phase.eqd2_gy,
            phase.regimen.as_ref().map_or("", |r| r.name)
        )?;
    }
    let total = &output.total;
    writeln!(
        out,
        "{:<18} {:>7.2} Gy {:>7.2} Gy {:>7.2} Gy",
        "total", total.physical_gy, total.bed_gy, total.eqd2_gy
    )?;
    if let (Some(loss), Some(days)) = (total.repopulation_bed_loss_gy, total.overall_time_days) {
        writeln!(
            out,
            "repopulation over {days} days removed {loss:.2} Gy of BED"
        )?;
    }
    if let Some(eqdx) = &total.eqdx {
        writeln!(
            out,
            "EQD{}: {:.2} Gy",
            eqdx.reference_dose_per_fraction_gy, eqdx.eqdx_gy
        )?;
    }
    for note in output
        .phases
        .iter()
        .flat_map(|p| p.regimen.iter().flat_map(|r| &r.notes))
    {
        writeln!(out, "note: {note}")?;
    }
    Ok(())
}

#[derive(Serialize)]
struct CourseOutput {
    alpha_beta_gy: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    tissue: Option<TissueOutput>,
    model: String,
    phases: Vec<PhaseOutput>,
    total: TotalOutput,
}

#[derive(Serialize)]
struct TissueOutput {
    id: &'static str,
    name: &'static str,
    source: &'static str,
}

impl From<&'static Tissue> for TissueOutput {
    fn from(tissue: &'static Tissue) -> Self {
        Self {
            id: &tissue.id,
            name: &tissue.name,
            source: &tissue.source,
        }
    }
}

#[derive(Serialize)]
struct PhaseOutput {
    dose_per_fraction_gy: f64,
    fractions: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    technique: Option<&'static str>,
    physical_gy: f64,
    bed_gy: f64,
    eqd2_gy: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    regimen: Option<RegimenOutput>,
}

#[derive(Serialize)]
struct RegimenOutput {
    id: &'static str,
    name: &'static str,
    also_meets: Vec<&'static str>,
    source: &'static str,
    notes: Vec<String>,
}

impl From<Classification> for RegimenOutput {
    fn from(classification: Classification) -> Self {
        Self {
            id: &classification.class.id,
            name: &classification.class.name,
            also_meets: classification
                .also_meets
                .iter()
                .map(|r| r.id.as_str())
                .collect(),
            source: &classification.class.source,
            notes: classification.notes,
        }
    }
}

#[derive(Serialize)]
struct TotalOutput {
    physical_gy: f64,
    bed_gy: f64,
    eqd2_gy: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    eqdx: Option<EqdxOutput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repopulation_bed_loss_gy: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    overall_time_days: Option<f64>,
}

#[derive(Serialize)]
struct EqdxOutput {
    reference_dose_per_fraction_gy: f64,
    eqdx_gy: f64,
}

#[derive(Serialize)]
struct InverseOutput {
    alpha_beta_gy: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    tissue: Option<TissueOutput>,
    model: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_eqd2_gy: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_bed_gy: Option<f64>,
    dose_per_fraction_gy: f64,
    fractions: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    fractions_exact: Option<f64>,
    physical_gy: f64,
    bed_gy: f64,
    eqd2_gy: f64,
}
