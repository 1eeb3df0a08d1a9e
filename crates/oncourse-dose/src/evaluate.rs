//! DVHs of structures in physical dose, BED or EQD2, from one dose grid or the voxel-wise sum
//! of several phases, each with its own number of fractions and possibly its own grid.
//!
//! Each phase is interpolated at the structure's own sample points (bilinear in-plane, linear
//! between frames), converted with the structure's α/β, and the phases are summed there: the
//! biological conversion is applied to each phase's physical dose at the same point before
//! adding, as the LQ model requires, and grids that differ need no common resampling.
//! A sample outside every phase's grid counts as volume outside the dose grid and is left out
//! of the DVH; a phase whose grid does not reach a sample contributes 0 Gy there.

use oncourse_radbio::{AlphaBeta, bed_gy, eqd2_gy};
use rayon::prelude::*;

use crate::dvh::{Dvh, Histogram};
use crate::error::{DoseError, Result};
use crate::grid::{DoseGrid, GridGeometry};
use crate::plane_dvh::{Coverage, Sampling, Scratch, add_plane};
use crate::rasterise::{EMPTY_BOUNDS, bounds, enclose};
use crate::rtstruct::Roi;

/// How many contour planes one parallel task rasterises (in order, into one histogram).
const PLANES_PER_TASK: usize = 4;

/// Which dose quantity a DVH is computed in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DoseQuantity {
    /// Physical dose, Gy (phases are summed as they are).
    Physical,
    /// Biologically effective dose with this α/β, Gy.
    Bed(AlphaBeta),
    /// Equivalent dose in 2-Gy fractions with this α/β, Gy.
    Eqd2(AlphaBeta),
}

impl DoseQuantity {
    /// Converts the physical dose of a phase given in `n_fractions` fractions.
    #[inline]
    pub fn convert(self, total_dose_gy: f64, n_fractions: u32) -> f64 {
        match self {
            DoseQuantity::Physical => total_dose_gy,
            DoseQuantity::Bed(alpha_beta) => bed_gy(total_dose_gy, n_fractions, alpha_beta),
            DoseQuantity::Eqd2(alpha_beta) => eqd2_gy(total_dose_gy, n_fractions, alpha_beta),
        }
    }
}

/// One treatment phase: a dose grid holding the dose of all its fractions.
#[derive(Debug, Clone, Copy)]
pub struct Phase<'a> {
    /// The phase's total physical dose, Gy.
    pub grid: &'a DoseGrid,
    /// How many fractions delivered that dose (at least one).
    pub n_fractions: u32,
}

/// How finely structures are sampled and binned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DvhOptions {
    /// DVH bin width, Gy.
    pub bin_width_gy: f64,
    /// At least this many sample rows (y) across the structure's smaller in-plane extent
    /// (along x every row is cut exactly at the dose grid's voxel centres).
    pub samples_across: f64,
    /// Never put sample rows closer than this, mm.
    pub min_sample_spacing_mm: f64,
}

impl Default for DvhOptions {
    fn default() -> Self {
        DvhOptions {
            bin_width_gy: crate::dvh::DEFAULT_BIN_WIDTH_GY,
            samples_across: 64.0,
            min_sample_spacing_mm: 0.05,
        }
    }
}

/// The DVH of one structure with what was left out.
#[derive(Debug, Clone, PartialEq)]
pub struct StructureDvh {
    /// The DVH over the part of the structure inside the dose grid; `None` when no part is.
    pub dvh: Option<Dvh>,
    /// The whole structure's volume from its contours, cm³.
    pub volume_cc: f64,
    /// The part of the structure outside every phase's dose grid, cm³.
    pub volume_outside_grid_cc: f64,
    /// The distance between sample rows (y) used, mm; along x every row is cut at the dose
    /// grid's voxel centres.
    pub row_spacing_mm: f64,
}

/// Computes the DVH of `roi` in `quantity` over the voxel-wise sum of `phases`.
pub fn structure_dvh(
    roi: &Roi,
    phases: &[Phase],
    quantity: DoseQuantity,
    options: &DvhOptions,
) -> Result<StructureDvh> {
    check_inputs(phases, options)?;
    let row_spacing_mm = row_spacing(roi, phases, options);
    let reference = phases[0].grid.geometry();
    let frame_gap_mm = phases
        .iter()
        .flat_map(|phase| {
            phase
                .grid
                .geometry()
                .frame_z_mm
                .windows(2)
                .map(|pair| pair[1] - pair[0])
        })
        .fold(f64::INFINITY, f64::min)
        .min(f64::MAX);
    let sampling = Sampling {
        phases,
        quantity,
        row_spacing_mm,
        row_origin_mm: reference.origin_xy_mm[1] - 0.5 * reference.spacing_xy_mm[1],
        frame_gap_mm,
        coverage: Coverage::new(phases),
    };
    // Fixed groups of planes, each summed in order, then the groups merged in order: the same
    // input gives the same bits whatever the threads did (rayon's fold would group planes by
    // scheduling, and floating-point sums depend on the grouping).
    let (histogram, outside_mm3) = roi
        .planes
        .par_chunks(PLANES_PER_TASK)
        .map_init(Scratch::default, |scratch, planes| {
            let mut histogram = Histogram::new(options.bin_width_gy);
            let outside_mm3: f64 = planes
                .iter()
                .map(|plane| add_plane(&sampling, plane, &mut histogram, scratch))
                .sum();
            (histogram, outside_mm3)
        })
        .collect::<Vec<_>>()
        .into_iter()
        .fold(
            (Histogram::new(options.bin_width_gy), 0.0),
            |(histogram, outside_mm3), (group, group_outside_mm3)| {
                (histogram.merge(group), outside_mm3 + group_outside_mm3)
            },
        );
    let dvh = histogram.finish();
    let inside_cc = dvh.as_ref().map_or(0.0, |dvh| dvh.volume_cc);
    Ok(StructureDvh {
        dvh,
        volume_cc: inside_cc + outside_mm3 / 1000.0,
        volume_outside_grid_cc: outside_mm3 / 1000.0,
        row_spacing_mm,
    })
}

fn check_inputs(phases: &[Phase], options: &DvhOptions) -> Result<()> {
    let invalid = |argument: &str, expected: &str, got: String| {
        Err(DoseError::InvalidArgument {
            argument: argument.to_owned(),
            expected: expected.to_owned(),
            got,
        })
    };
    if phases.is_empty() {
        return invalid("phases", "at least one dose grid", "none".to_owned());
    }
    if let Some(phase) = phases.iter().find(|phase| phase.n_fractions == 0) {
        return invalid(
            "phase fractions",
            "at least one fraction",
            phase.n_fractions.to_string(),
        );
    }
    if !(options.bin_width_gy.is_finite() && options.bin_width_gy > 0.0) {
        return invalid(
            "bin width",
            "a positive number of Gy",
            options.bin_width_gy.to_string(),
        );
    }
    if !(options.samples_across >= 1.0 && options.min_sample_spacing_mm > 0.0) {
        return invalid(
            "sampling",
            "samples_across ≥ 1 and a positive minimum spacing",
            format!("{options:?}"),
        );
    }
    Ok(())
}

/// The dose grid's row pitch divided by a whole number, for structures small against the grid,
/// so that at least `samples_across` rows cross them (the y direction is sampled by the
/// midpoint rule; x is exact, see [`crate::plane_dvh`]).
fn row_spacing(roi: &Roi, phases: &[Phase], options: &DvhOptions) -> f64 {
    let pitch_y = phases[0].grid.geometry().spacing_xy_mm[1];
    let extent = roi
        .planes
        .iter()
        .filter_map(bounds)
        .fold(EMPTY_BOUNDS, enclose);
    let smaller_extent = (extent[2] - extent[0]).min(extent[3] - extent[1]);
    let mut wanted = pitch_y;
    if smaller_extent.is_finite() {
        wanted = wanted
            .min((smaller_extent / options.samples_across).max(options.min_sample_spacing_mm));
    }
    pitch_y / (pitch_y / wanted).ceil().max(1.0)
}

/// The voxel-wise sum of `phases` in `quantity` on `target` (trilinear resampling of each phase
/// onto the target's voxel centres, conversion, then the sum), e.g. an EQD2 plan sum for export.
pub fn summed_grid(
    phases: &[Phase],
    quantity: DoseQuantity,
    target: &GridGeometry,
) -> Result<DoseGrid> {
    check_inputs(phases, &DvhOptions::default())?;
    let per_frame = target.voxels_per_frame();
    let mut dose_gy = vec![0.0_f32; target.voxel_count()];
    dose_gy
        .par_chunks_mut(per_frame)
        .zip(target.frame_z_mm.par_iter())
        .for_each(|(frame, z)| {
            for row in 0..target.size_xy[1] {
                for column in 0..target.size_xy[0] {
                    let [x, y] = target.voxel_centre_xy(column, row);
                    let total: f64 = phases
                        .iter()
                        .filter_map(|phase| {
                            phase
                                .grid
                                .dose_at([x, y, *z])
                                .map(|dose| quantity.convert(dose, phase.n_fractions))
                        })
                        .sum();
                    frame[row * target.size_xy[0] + column] = total as f32;
                }
            }
        });
    DoseGrid::new(target.clone(), dose_gy)
}

/// Checks that a structure set and a dose share a frame of reference, so their coordinates
/// mean the same points in the patient. A structure set that names none is accepted.
pub fn check_same_frame_of_reference(
    structures_source: &str,
    structures: &crate::StructureSet,
    dose_source: &str,
    dose: &crate::RtDose,
) -> Result<()> {
    match &structures.frame_of_reference_uid {
        Some(uid) if *uid != dose.frame_of_reference_uid => {
            Err(DoseError::FrameOfReferenceMismatch {
                first_source: structures_source.to_owned(),
                first_uid: uid.clone(),
                second_source: dose_source.to_owned(),
                second_uid: dose.frame_of_reference_uid.clone(),
            })
        }
        _ => Ok(()),
    }
}
