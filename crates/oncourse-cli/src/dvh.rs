//! `oncourse dvh`: DVHs and metrics of the structures of an RT Structure Set in one RT Dose
//! (physical dose), or in the voxel-wise BED/EQD2 sum of several RT Dose phases.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use oncourse_dose::{
    DoseQuantity, Dvh, DvhOptions, Phase, Roi, RtDose, StructureDvh, StructureSet,
    check_same_frame_of_reference, read_rtdose_file, read_rtstruct_file, structure_dvh,
};
use oncourse_radbio::AlphaBeta;
use rayon::prelude::*;
use serde::Serialize;

use crate::dvh_metrics::{self, Conformity, Differential, MetricSpec, MetricValue};
use crate::parse;

/// Arguments of `oncourse dvh`.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  oncourse dvh --rtstruct RS.dcm --rtdose RD.dcm --json
  oncourse dvh --rtstruct RS.dcm --rtdose RD.dcm --structure PTV --structure Femur
  oncourse dvh --rtstruct RS.dcm --rtdose RD.dcm --metric D0.03cc --metric V20Gy --metric V95% --prescription 60
  oncourse dvh --rtstruct RS.dcm --phase RD1.dcm:10 --phase RD2.dcm:3 --alpha-beta 3 --eqd2
  oncourse dvh --rtstruct RS.dcm --phase RD1.dcm:10 --phase RD2.dcm:3 --alpha-beta 10 --alpha-beta Skin=3 --eqd2
  oncourse dvh --rtstruct RS.dcm --phase RD1.dcm:10 --phase RD2.dcm:3 --tissue-map tissues.toml --eqd2")]
pub struct Args {
    #[command(flatten)]
    pub inputs: DoseInputs,

    /// Only these structures (by ROI name, case-insensitive); repeat for several. Default: all.
    #[arg(long, value_name = "NAME")]
    pub structure: Vec<String>,

    /// α/β in Gy for BED/EQD2: a number for every structure, or NAME=VALUE for one structure
    /// (repeat; a plain number is then the default for the others).
    #[arg(long, value_name = "GY|NAME=GY", conflicts_with = "tissue_map")]
    pub alpha_beta: Vec<String>,

    /// A TOML file mapping ROI names to tissue ids of `oncourse tissues`, e.g. `"Skin" = "skin-late-telangiectasia"`;
    /// the key `default` applies to unlisted structures.
    #[arg(long, value_name = "FILE")]
    pub tissue_map: Option<PathBuf>,

    /// Report EQD2 (voxel-wise, each phase with its own number of fractions).
    #[arg(long, conflicts_with = "bed")]
    pub eqd2: bool,

    /// Report BED (voxel-wise, each phase with its own number of fractions).
    #[arg(long)]
    pub bed: bool,

    /// DVH bin width in Gy.
    #[arg(long, value_name = "GY", default_value_t = oncourse_dose::dvh::DEFAULT_BIN_WIDTH_GY, value_parser = parse::positive_dose_gy)]
    pub bin_width: f64,

    /// An extra DVH metric per structure; repeat for several: Dxcc (minimum dose of the hottest
    /// x cm³, e.g. D0.03cc), Dx% (D95%), VxGy (volume receiving ≥ x Gy, in cm³ and %, e.g.
    /// V20Gy), Vx% (volume receiving ≥ x % of --prescription, e.g. V95%). With --eqd2/--bed the
    /// doses are EQD2/BED Gy.
    #[arg(long, value_name = "SPEC", value_parser = dvh_metrics::metric_spec)]
    pub metric: Vec<MetricSpec>,

    /// The prescription dose in Gy (EQD2/BED Gy with --eqd2/--bed): used by Vx% metrics, and
    /// adds the homogeneity index (ICRU 83) to every PTV/CTV/GTV structure and, when the
    /// structure set has an EXTERNAL ROI, their Paddick and RTOG conformity indices.
    #[arg(long, value_name = "GY", value_parser = parse::positive_dose_gy)]
    pub prescription: Option<f64>,

    /// Add each structure's differential DVH (volume per dose bin).
    #[arg(long)]
    pub differential: bool,

    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// The structure set and dose files shared by `dvh` and `constraints`.
#[derive(clap::Args)]
pub struct DoseInputs {
    /// The RT Structure Set.
    #[arg(long, value_name = "RS.dcm")]
    pub rtstruct: PathBuf,

    /// One RT Dose holding the whole plan's physical dose.
    #[arg(
        long,
        value_name = "RD.dcm",
        required_unless_present = "phase",
        conflicts_with = "phase"
    )]
    pub rtdose: Option<PathBuf>,

    /// A phase as RD.dcm:N — an RT Dose holding the dose of all its N fractions. Repeat for
    /// several phases; their grids may differ.
    #[arg(long, value_name = "RD.dcm:N", value_parser = phase_arg)]
    pub phase: Vec<(PathBuf, u32)>,
}

fn phase_arg(text: &str) -> Result<(PathBuf, u32), String> {
    let (path, fractions) = text.rsplit_once(':').ok_or_else(|| {
        format!("expected RD.dcm:N (an RT Dose file and its number of fractions), got {text:?}")
    })?;
    Ok((
        PathBuf::from(path),
        parse::fractions(fractions).map_err(|error| format!("{error} in {text:?}"))?,
    ))
}

/// Structures and dose grids read and checked against each other.
pub struct LoadedDose {
    /// The structure set.
    pub structures: StructureSet,
    /// Each phase's dose and number of fractions (one phase with 1 fraction for `--rtdose`).
    pub phases: Vec<(RtDose, u32)>,
}

impl DoseInputs {
    /// Reads every file and checks that they share a frame of reference.
    /// The files are independent, so they are read in parallel.
    pub fn load(&self) -> Result<LoadedDose> {
        let files: Vec<(PathBuf, u32)> = match &self.rtdose {
            Some(path) => vec![(path.clone(), 1)],
            None => self.phase.clone(),
        };
        let (structures, doses) = rayon::join(
            || read_rtstruct_file(&self.rtstruct),
            || {
                files
                    .par_iter()
                    .map(|(path, _)| read_rtdose_file(path))
                    .collect::<Vec<_>>()
            },
        );
        let structures = structures?;
        let mut phases = Vec::new();
        for ((path, fractions), dose) in files.iter().zip(doses) {
            let dose = dose?;
            check_same_frame_of_reference(
                &display(&self.rtstruct),
                &structures,
                &display(path),
                &dose,
            )?;
            phases.push((dose, *fractions));
        }
        Ok(LoadedDose { structures, phases })
    }
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

impl LoadedDose {
    /// The phases as the dose engine takes them.
    pub fn engine_phases(&self) -> Vec<Phase<'_>> {
        self.phases
            .iter()
            .map(|(dose, fractions)| Phase {
                grid: &dose.grid,
                n_fractions: *fractions,
            })
            .collect()
    }

    /// The ROIs named (case-insensitive), in the order given; all ROIs when `names` is empty.
    pub fn select(&self, names: &[String]) -> Result<Vec<&Roi>> {
        if names.is_empty() {
            return Ok(self.structures.rois.iter().collect());
        }
        names
            .iter()
            .map(|name| {
                self.structures.find(name).with_context(|| {
                    let known: Vec<&str> = self
                        .structures
                        .rois
                        .iter()
                        .map(|roi| roi.name.as_str())
                        .collect();
                    format!("--structure: no ROI named {name:?}; the structure set has {known:?}")
                })
            })
            .collect()
    }
}

/// One structure in the output.
#[derive(Serialize)]
pub struct StructureReport {
    name: String,
    volume_cc: f64,
    min_gy: Option<f64>,
    max_gy: Option<f64>,
    mean_gy: Option<f64>,
    d98_gy: Option<f64>,
    d95_gy: Option<f64>,
    d50_gy: Option<f64>,
    d5_gy: Option<f64>,
    d2_gy: Option<f64>,
    dvh: Curve,
    #[serde(skip_serializing_if = "Option::is_none")]
    alpha_beta_gy: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metrics: Option<Vec<MetricValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    homogeneity_index: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    conformity: Option<Conformity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    differential: Option<Differential>,
}

/// A cumulative DVH: volume receiving at least each dose.
#[derive(Serialize)]
struct Curve {
    dose_gy: Vec<f64>,
    volume_pct: Vec<f64>,
}

#[derive(Serialize)]
struct Report {
    structures: Vec<StructureReport>,
}

/// Turns an engine result into the output row, with a note for what is missing or partial.
pub fn structure_report(
    roi: &Roi,
    result: &StructureDvh,
    alpha_beta: Option<AlphaBeta>,
) -> StructureReport {
    let mut notes: Vec<String> = roi.notes.clone();
    if roi.planes.is_empty() {
        notes.push("no contours: nothing to compute".to_owned());
    } else if result.volume_outside_grid_cc > 0.0 {
        notes.push(format!(
            "{:.3} cm³ of {:.3} cm³ lies outside the dose grid and is left out of the DVH",
            result.volume_outside_grid_cc, result.volume_cc
        ));
    }
    let metric = |f: &dyn Fn(&Dvh) -> f64| result.dvh.as_ref().map(|dvh| round(f(dvh)));
    let (dose_gy, volume_pct) = result
        .dvh
        .as_ref()
        .map(|dvh| dvh.cumulative_pct_points())
        .unwrap_or_default();
    StructureReport {
        name: roi.name.clone(),
        volume_cc: round(result.volume_cc),
        min_gy: metric(&|dvh| dvh.min_gy),
        max_gy: metric(&|dvh| dvh.max_gy),
        mean_gy: metric(&|dvh| dvh.mean_gy),
        d98_gy: metric(&|dvh| dvh.dose_covering_pct(98.0)),
        d95_gy: metric(&|dvh| dvh.dose_covering_pct(95.0)),
        d50_gy: metric(&|dvh| dvh.dose_covering_pct(50.0)),
        d5_gy: metric(&|dvh| dvh.dose_covering_pct(5.0)),
        d2_gy: metric(&|dvh| dvh.dose_covering_pct(2.0)),
        dvh: Curve {
            dose_gy: dose_gy.into_iter().map(round).collect(),
            volume_pct: volume_pct.into_iter().map(round).collect(),
        },
        alpha_beta_gy: alpha_beta.map(AlphaBeta::gy),
        note: (!notes.is_empty()).then(|| notes.join("; ")),
        metrics: None,
        homogeneity_index: None,
        conformity: None,
        differential: None,
    }
}

/// The extras a run asks for beyond the contract's fixed fields.
struct Extras<'a> {
    metrics: &'a [MetricSpec],
    prescription_gy: Option<f64>,
    differential: bool,
    /// The EXTERNAL ROI's DVH in each dose quantity a target is reported in (empty without
    /// --prescription, an EXTERNAL ROI or targets).
    externals: Vec<(DoseQuantity, Dvh)>,
}

impl Extras<'_> {
    /// Adds the requested metrics, indices and differential DVH to `report`, the structure's
    /// DVH computed in `quantity`.
    fn add(
        &self,
        report: &mut StructureReport,
        roi: &Roi,
        result: &StructureDvh,
        quantity: DoseQuantity,
    ) {
        let dvh = result.dvh.as_ref();
        if !self.metrics.is_empty() {
            report.metrics = Some(
                self.metrics
                    .iter()
                    .map(|spec| dvh_metrics::evaluate(*spec, dvh, self.prescription_gy, round))
                    .collect(),
            );
        }
        if self.differential {
            report.differential = dvh.map(|dvh| dvh_metrics::differential(dvh, round));
        }
        let (Some(prescription_gy), Some(dvh)) = (self.prescription_gy, dvh) else {
            return;
        };
        if !dvh_metrics::is_target(roi) {
            return;
        }
        report.homogeneity_index = Some(round(dvh.homogeneity_index()));
        let external = self
            .externals
            .iter()
            .find(|(external_quantity, _)| *external_quantity == quantity);
        match external {
            Some((_, external)) => {
                report.conformity = Some(dvh_metrics::conformity(
                    dvh,
                    external,
                    prescription_gy,
                    round,
                ))
            }
            None => {
                let note = "conformity needs an ROI of type EXTERNAL with dose (the prescription isodose volume is its volume receiving the prescription)";
                report.note = Some(match report.note.take() {
                    Some(note_before) => format!("{note_before}; {note}"),
                    None => note.to_owned(),
                });
            }
        }
    }
}

/// The EXTERNAL ROI's DVH in every quantity a selected target is reported in, once each; none
/// without a prescription or an EXTERNAL ROI with dose.
fn external_dvhs(
    structures: &StructureSet,
    jobs: &[(&Roi, DoseQuantity, Option<AlphaBeta>)],
    prescription_gy: Option<f64>,
    phases: &[Phase<'_>],
    options: &DvhOptions,
) -> Result<Vec<(DoseQuantity, Dvh)>> {
    let external = structures
        .rois
        .iter()
        .find(|roi| dvh_metrics::is_external(roi));
    let (Some(_), Some(external)) = (prescription_gy, external) else {
        return Ok(Vec::new());
    };
    let mut quantities: Vec<DoseQuantity> = Vec::new();
    for (roi, quantity, _) in jobs {
        if dvh_metrics::is_target(roi) && !quantities.contains(quantity) {
            quantities.push(*quantity);
        }
    }
    let dvhs = quantities
        .par_iter()
        .map(|quantity| {
            structure_dvh(external, phases, *quantity, options)
                .map(|result| result.dvh.map(|dvh| (*quantity, dvh)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(dvhs.into_iter().flatten().collect())
}

/// The homogeneity and conformity indices of a table row, when computed.
fn indices(row: &StructureReport) -> String {
    let mut text = String::new();
    if let Some(index) = row.homogeneity_index {
        text.push_str(&format!("   HI {index:.3}"));
    }
    if let Some(conformity) = &row.conformity {
        text.push_str(&format!(
            "   Paddick CI {:.3}   RTOG CI {:.3}",
            conformity.paddick, conformity.rtog
        ));
    }
    text
}

/// Six decimals: µGy and 0.001 mm³, far below any clinical resolution, keeps the JSON small.
fn round(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

/// Where each structure's α/β comes from.
enum AlphaBetaSource {
    None,
    Given {
        default: Option<AlphaBeta>,
        by_name: HashMap<String, AlphaBeta>,
    },
}

impl AlphaBetaSource {
    fn from_args(args: &Args) -> Result<Self> {
        if let Some(path) = &args.tissue_map {
            return tissue_map(path);
        }
        if args.alpha_beta.is_empty() {
            return Ok(AlphaBetaSource::None);
        }
        let mut default = None;
        let mut by_name = HashMap::new();
        for text in &args.alpha_beta {
            match text.rsplit_once('=') {
                Some((name, value)) => {
                    let alpha_beta = parse::alpha_beta(value.trim())
                        .map_err(|error| anyhow::anyhow!("--alpha-beta {text:?}: {error}"))?;
                    by_name.insert(name.trim().to_lowercase(), alpha_beta);
                }
                None if default.is_none() => {
                    default = Some(
                        parse::alpha_beta(text.trim())
                            .map_err(|error| anyhow::anyhow!("--alpha-beta {text:?}: {error}"))?,
                    );
                }
                None => bail!(
                    "--alpha-beta {text:?}: a second default value; give NAME=VALUE for single structures"
                ),
            }
        }
        Ok(AlphaBetaSource::Given { default, by_name })
    }

    fn for_structure(&self, name: &str) -> Option<AlphaBeta> {
        match self {
            AlphaBetaSource::None => None,
            AlphaBetaSource::Given { default, by_name } => {
                by_name.get(&name.to_lowercase()).copied().or(*default)
            }
        }
    }
}

fn tissue_map(path: &Path) -> Result<AlphaBetaSource> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let table: HashMap<String, String> = toml::from_str(&text).with_context(|| {
        format!(
            "{}: expected a TOML table of \"ROI name\" = \"tissue-id\" lines",
            path.display()
        )
    })?;
    let mut default = None;
    let mut by_name = HashMap::new();
    for (name, tissue_id) in table {
        let tissue = parse::tissue(&tissue_id)
            .map_err(|error| anyhow::anyhow!("{}: {name:?}: {error}", path.display()))?;
        if name == "default" {
            default = Some(tissue.alpha_beta);
        } else {
            by_name.insert(name.to_lowercase(), tissue.alpha_beta);
        }
    }
    Ok(AlphaBetaSource::Given { default, by_name })
}

/// Runs `oncourse dvh`.
pub fn run(args: Args) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let loaded = args.inputs.load()?;
    let rois = loaded.select(&args.structure)?;
    let alpha_betas = AlphaBetaSource::from_args(&args)?;
    let biological = args.eqd2 || args.bed;
    if biological && args.inputs.rtdose.is_some() {
        bail!(
            "--eqd2/--bed: give the dose as --phase RD.dcm:N so the number of fractions is known"
        );
    }
    if !biological && !matches!(alpha_betas, AlphaBetaSource::None) {
        bail!("--alpha-beta/--tissue-map: only used with --eqd2 or --bed");
    }
    if args.prescription.is_none()
        && let Some(spec) = args.metric.iter().find(|spec| spec.needs_prescription())
    {
        bail!(
            "--metric {}: a Vx% metric (volume at a percentage of the prescription) needs --prescription GY",
            dvh_metrics::metric_name(*spec)
        );
    }
    let phases = loaded.engine_phases();
    let options = DvhOptions {
        bin_width_gy: args.bin_width,
        ..DvhOptions::default()
    };
    let mut jobs = Vec::new();
    for roi in rois {
        let alpha_beta = alpha_betas.for_structure(&roi.name);
        let quantity = match (biological, alpha_beta) {
            (false, _) => DoseQuantity::Physical,
            (true, None) => bail!(
                "structure {:?}: no α/β; give --alpha-beta GY (all), --alpha-beta {:?}=GY, or a tissue map with a default",
                roi.name,
                roi.name
            ),
            (true, Some(alpha_beta)) if args.eqd2 => DoseQuantity::Eqd2(alpha_beta),
            (true, Some(alpha_beta)) => DoseQuantity::Bed(alpha_beta),
        };
        jobs.push((roi, quantity, biological.then_some(alpha_beta).flatten()));
    }
    let extras = Extras {
        metrics: &args.metric,
        prescription_gy: args.prescription,
        differential: args.differential,
        externals: external_dvhs(
            &loaded.structures,
            &jobs,
            args.prescription,
            &phases,
            &options,
        )?,
    };
    // Structures in parallel (each also splits its planes); memory per structure is one
    // histogram and a few dose planes, so it grows with the grid, not with the structure count.
    let structures = jobs
        .par_iter()
        .map(|(roi, quantity, alpha_beta)| {
            let result = structure_dvh(roi, &phases, *quantity, &options)?;
            let mut report = structure_report(roi, &result, *alpha_beta);
            extras.add(&mut report, roi, &result, *quantity);
            Ok(report)
        })
        .collect::<Result<Vec<_>>>()?;
    let report = Report { structures };
    if args.json {
        return parse::print_json(&report);
    }
    let unit = if args.eqd2 {
        "Gy EQD2"
    } else if args.bed {
        "Gy BED"
    } else {
        "Gy"
    };
    let metric_names: String = args
        .metric
        .iter()
        .map(|spec| format!(" {:>18}", dvh_metrics::metric_name(*spec)))
        .collect();
    writeln!(
        out,
        "{:<24} {:>11} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}{metric_names}   ({unit})",
        "structure", "volume cm³", "min", "mean", "max", "D98%", "D95%", "D50%", "D5%", "D2%"
    )?;
    for row in &report.structures {
        let show = |value: Option<f64>| value.map_or("-".to_owned(), |value| format!("{value:.2}"));
        writeln!(
            out,
            "{:<24} {:>11.2} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}{}{}{}",
            row.name,
            row.volume_cc,
            show(row.min_gy),
            show(row.mean_gy),
            show(row.max_gy),
            show(row.d98_gy),
            show(row.d95_gy),
            show(row.d50_gy),
            show(row.d5_gy),
            show(row.d2_gy),
            row.metrics
                .iter()
                .flatten()
                .map(|value| format!(" {:>18}", value.cell()))
                .collect::<String>(),
            indices(row),
            row.note
                .as_deref()
                .map(|note| format!("   note: {note}"))
                .unwrap_or_default(),
        )?;
    }
    Ok(())
}
