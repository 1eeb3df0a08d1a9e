//! One contour plane's share of a DVH: the plane's slab is cut into sample rows (y) and
//! sub-slabs (z), each row's inside intervals are cut at the reference dose grid's voxel
//! centres (x), and every piece is spread over the histogram as a rectangle in x and z whose
//! corner doses come from the phases' grids.
//!
//! The pieces are cut at the voxel centres because bilinear interpolation is linear in x
//! between two of them: along a piece the reference phase's dose is exactly linear, which is
//! what [`Histogram::add_rectangle`] assumes. The dose at every voxel centre a row needs is
//! computed once per row and level (the `lattice`), so a piece costs a few multiplications;
//! only pieces at the edge of a phase's grid are evaluated point by point.

use std::ops::Range;

use crate::dvh::Histogram;
use crate::evaluate::{DoseQuantity, Phase};
use crate::grid::{GridGeometry, ProfilePoint};
use crate::rasterise::{RowScratch, bounds, for_each_row};
use crate::rtstruct::ContourPlane;

/// What every plane of one structure is sampled with.
pub(crate) struct Sampling<'a> {
    /// The phases; the first one's grid is the reference whose columns cut the rows.
    pub phases: &'a [Phase<'a>],
    /// The dose quantity each phase is converted to before summing.
    pub quantity: DoseQuantity,
    /// Distance between sample rows, mm.
    pub row_spacing_mm: f64,
    /// Where row 0's lower edge is, mm (rows are centred half a spacing above).
    pub row_origin_mm: f64,
    /// The finest frame gap of all phases: no sub-slab is thicker, so the dose is linear in z.
    pub frame_gap_mm: f64,
    /// Which phases' grids reach where along x.
    pub coverage: Coverage,
}

/// Buffers reused from plane to plane by one thread.
#[derive(Default)]
pub(crate) struct Scratch {
    rows: RowScratch,
    /// Per level and phase (index `level · phases + phase`), the dose along the current row
    /// over the phase's column range; empty where the phase's grid does not reach.
    profiles: Vec<Vec<f64>>,
    /// Per level, the summed converted dose at each lattice point of the current row
    /// (index `level · points + point`); NaN where no phase's grid reaches.
    lattice: Vec<f64>,
}

/// Where one phase's grid meets the plane: the columns its row profiles cover and where in
/// the profile (clamped to the grid) each lattice point is.
struct PhaseColumns {
    columns: Range<usize>,
    lattice_points: Vec<ProfilePoint>,
    /// Whether lattice point `i` is exactly profile entry `i` (the reference grid's columns
    /// inside the grid): the lattice is then the profile itself.
    identity: bool,
}

/// The reference grid's voxel centres along x that a plane's rows are cut at:
/// point `i` at `first_x_mm + i · pitch_mm`, cell `i` between points `i` and `i + 1`.
struct Lattice {
    first_x_mm: f64,
    pitch_mm: f64,
    inverse_pitch: f64,
    points: usize,
}

impl Lattice {
    fn x(&self, point: usize) -> f64 {
        self.first_x_mm + point as f64 * self.pitch_mm
    }

    /// The cell holding `x` (clamped to the lattice: rounding may put a crossing a hair
    /// beyond the plane's bounds).
    fn cell(&self, x: f64) -> usize {
        (((x - self.first_x_mm) * self.inverse_pitch).max(0.0) as usize).min(self.points - 2)
    }
}

/// Which phases' grids reach each stretch of x: `edges` are the grids' x extents sorted, and
/// `reaching[r]` says, per phase, whether its grid covers the stretch before `edges[r]`
/// (after the last edge for the last entry).
pub(crate) struct Coverage {
    edges: Vec<f64>,
    reaching: Vec<Vec<bool>>,
}

impl Coverage {
    pub(crate) fn new(phases: &[Phase]) -> Self {
        let extents: Vec<[f64; 2]> = phases
            .iter()
            .map(|phase| {
                let geometry = phase.grid.geometry();
                let half_voxel = 0.5 * geometry.spacing_xy_mm[0];
                let last = (geometry.size_xy[0] - 1) as f64;
                [
                    geometry.origin_xy_mm[0] - half_voxel,
                    geometry.origin_xy_mm[0] + last * geometry.spacing_xy_mm[0] + half_voxel,
                ]
            })
            .collect();
        let mut edges: Vec<f64> = extents.iter().flatten().copied().collect();
        edges.sort_by(f64::total_cmp);
        let reaching = (0..=edges.len())
            .map(|stretch| {
                // A point inside the stretch (the stretches beyond the outer edges are outside
                // every grid).
                let inside = match (stretch.checked_sub(1), edges.get(stretch)) {
                    (Some(below), Some(above)) => 0.5 * (edges[below] + above),
                    _ => f64::NAN,
                };
                extents
                    .iter()
                    .map(|[low, high]| *low <= inside && inside <= *high)
                    .collect()
            })
            .collect();
        Coverage { edges, reaching }
    }

    /// The phases reaching the stretch that holds `x`.
    fn at(&self, x: f64) -> &[bool] {
        &self.reaching[self.edges.partition_point(|edge| *edge <= x)]
    }
}

/// Adds the plane's volume to `histogram`; returns the volume that lies outside every phase's
/// grid, mm³.
pub(crate) fn add_plane(
    sampling: &Sampling,
    plane: &ContourPlane,
    histogram: &mut Histogram,
    scratch: &mut Scratch,
) -> f64 {
    let Some([min_x, _, max_x, _]) = bounds(plane) else {
        return 0.0;
    };
    let phases = sampling.phases;
    let reference = phases[0].grid.geometry();
    let pitch_mm = reference.spacing_xy_mm[0];
    let inverse_pitch = 1.0 / pitch_mm;
    // The reference columns around the plane (possibly outside the grid).
    let first_column = ((min_x - reference.origin_xy_mm[0]) * inverse_pitch).floor();
    let last_column = ((max_x - reference.origin_xy_mm[0]) * inverse_pitch).floor() + 1.0;
    let lattice = Lattice {
        first_x_mm: reference.origin_xy_mm[0] + first_column * pitch_mm,
        pitch_mm,
        inverse_pitch,
        points: (last_column - first_column) as usize + 1,
    };
    let phase_columns: Vec<PhaseColumns> = phases
        .iter()
        .map(|phase| {
            let geometry = phase.grid.geometry();
            let column = |x: f64| clamped_column(geometry, x);
            let first = column(lattice.x(0)).floor();
            let end = column(lattice.x(lattice.points - 1)).ceil() as usize + 1;
            let len = end - first as usize;
            let profile_columns: Vec<f64> = (0..lattice.points)
                .map(|point| column(lattice.x(point)) - first)
                .collect();
            PhaseColumns {
                columns: first as usize..end,
                identity: len == lattice.points
                    && profile_columns
                        .iter()
                        .enumerate()
                        .all(|(point, column)| *column == point as f64),
                lattice_points: profile_columns
                    .into_iter()
                    .map(|column| ProfilePoint::new(column, len))
                    .collect(),
            }
        })
        .collect();

    // The slab is cut into sub-slabs no thicker than the finest frame gap, so the dose is
    // linear in z inside each; the contour is the same in all. (A slab as thick as the frame
    // gap, to rounding, is one sub-slab.)
    let [slab_low, slab_high] = plane.slab_z_mm;
    let sub_slabs = ((slab_high - slab_low) / sampling.frame_gap_mm - 1e-6)
        .ceil()
        .max(1.0) as usize;
    let sub_thickness = (slab_high - slab_low) / sub_slabs as f64;
    let levels = sub_slabs + 1;
    // Each level's height in each phase's grid (`None` outside it).
    let heights: Vec<Option<(usize, f64)>> = (0..levels)
        .flat_map(|level| {
            let z = slab_low + level as f64 * sub_thickness;
            phases
                .iter()
                .map(move |phase| phase.grid.geometry().locate_z(z))
        })
        .collect();
    let segment = Segment {
        lattice: &lattice,
        volume_per_mm: sampling.row_spacing_mm * sub_thickness,
    };

    let Scratch {
        rows,
        profiles,
        lattice: lattice_doses,
    } = scratch;
    profiles.resize_with(heights.len(), Vec::new);
    lattice_doses.resize(levels * lattice.points, f64::NAN);
    let mut outside_mm3 = 0.0;
    for_each_row(
        plane,
        sampling.row_origin_mm,
        sampling.row_spacing_mm,
        rows,
        |y, intervals| {
            for ((profile, height), (phase, columns)) in profiles
                .iter_mut()
                .zip(&heights)
                .zip(phases.iter().zip(&phase_columns).cycle())
            {
                match (height, phase.grid.geometry().row_weights(y)) {
                    (Some(height), Some(row)) => {
                        phase
                            .grid
                            .row_profile_into(*height, &row, columns.columns.clone(), profile)
                    }
                    _ => profile.clear(),
                }
            }
            for (level, doses) in lattice_doses.chunks_exact_mut(lattice.points).enumerate() {
                let level_profiles = &profiles[level * phases.len()..][..phases.len()];
                let mut reached = false;
                for ((profile, columns), phase) in
                    level_profiles.iter().zip(&phase_columns).zip(phases)
                {
                    if profile.is_empty() {
                        continue;
                    }
                    let convert =
                        |physical: f64| sampling.quantity.convert(physical, phase.n_fractions);
                    if columns.identity {
                        fill(doses, profile.iter().copied(), convert, reached);
                    } else {
                        let points = columns.lattice_points.iter();
                        fill(
                            doses,
                            points.map(|point| point.dose(profile)),
                            convert,
                            reached,
                        );
                    }
                    reached = true;
                }
                if !reached {
                    doses.fill(f64::NAN);
                }
            }
            for interval in intervals.chunks_exact(2) {
                let [start, end] = [interval[0], interval[1]];
                let mut from = start;
                let cuts = sampling
                    .coverage
                    .edges
                    .iter()
                    .filter(|edge| start < **edge && **edge < end);
                for &to in cuts.chain([&end]) {
                    let reaching = sampling.coverage.at(0.5 * (from + to));
                    if reaching.iter().all(|reaches| *reaches) {
                        // Every phase reaches: the doses from the lattice, linear in x.
                        for sub_slab in 0..sub_slabs {
                            let below =
                                &lattice_doses[sub_slab * lattice.points..][..lattice.points];
                            let above =
                                &lattice_doses[(sub_slab + 1) * lattice.points..][..lattice.points];
                            segment.for_each_piece([from, to], |cell, fractions, _, volume_mm3| {
                                let along = |doses: &[f64], fraction: f64| {
                                    let left = doses[cell];
                                    left + (doses[cell + 1] - left) * fraction
                                };
                                let corners = [
                                    along(below, fractions[0]),
                                    along(below, fractions[1]),
                                    along(above, fractions[0]),
                                    along(above, fractions[1]),
                                ];
                                outside_mm3 += add_corners(histogram, corners, volume_mm3);
                            });
                        }
                    } else if reaching.iter().any(|reaches| *reaches) {
                        // The edge of some phase's grid: the reaching phases, point by point.
                        let doses = |level: usize, x: f64| {
                            let level_profiles = &profiles[level * phases.len()..][..phases.len()];
                            point_dose(sampling, &phase_columns, level_profiles, reaching, x)
                        };
                        segment.for_each_piece([from, to], |_, _, [start, end], volume_mm3| {
                            let mut below = [doses(0, start), doses(0, end)];
                            for level in 1..levels {
                                let above = [doses(level, start), doses(level, end)];
                                let corners = [below[0], below[1], above[0], above[1]];
                                outside_mm3 += add_corners(histogram, corners, volume_mm3);
                                below = above;
                            }
                        });
                    } else {
                        outside_mm3 += (to - from) * segment.volume_per_mm * sub_slabs as f64;
                    }
                    from = to;
                }
            }
        },
    );
    outside_mm3
}

/// Writes each converted physical dose into `doses`, or adds it when `add`.
#[inline]
fn fill(
    doses: &mut [f64],
    physical: impl Iterator<Item = f64>,
    convert: impl Fn(f64) -> f64,
    add: bool,
) {
    if add {
        doses
            .iter_mut()
            .zip(physical)
            .for_each(|(dose, value)| *dose += convert(value));
    } else {
        doses
            .iter_mut()
            .zip(physical)
            .for_each(|(dose, value)| *dose = convert(value));
    }
}

/// The summed converted dose at `x` on one level from the phases marked in `reaching` (NaN
/// when none of them reaches the level).
fn point_dose(
    sampling: &Sampling,
    phase_columns: &[PhaseColumns],
    level_profiles: &[Vec<f64>],
    reaching: &[bool],
    x: f64,
) -> f64 {
    let mut sum = f64::NAN;
    for (((phase, columns), profile), reaches) in sampling
        .phases
        .iter()
        .zip(phase_columns)
        .zip(level_profiles)
        .zip(reaching)
    {
        if *reaches && !profile.is_empty() {
            let column = clamped_column(phase.grid.geometry(), x) - columns.columns.start as f64;
            let dose = ProfilePoint::new(column, profile.len()).dose(profile);
            let converted = sampling.quantity.convert(dose, phase.n_fractions);
            sum = if sum.is_nan() {
                converted
            } else {
                sum + converted
            };
        }
    }
    sum
}

/// The fractional column of `x` in a grid, clamped to its first and last column.
fn clamped_column(geometry: &GridGeometry, x: f64) -> f64 {
    let last = (geometry.size_xy[0] - 1) as f64;
    ((x - geometry.origin_xy_mm[0]) / geometry.spacing_xy_mm[0]).clamp(0.0, last)
}

/// How the pieces of one row segment are spread over the histogram.
struct Segment<'a> {
    lattice: &'a Lattice,
    /// Volume per mm of row in one sub-slab, mm³.
    volume_per_mm: f64,
}

impl Segment<'_> {
    /// Cuts `[from, to]` at the lattice points and calls `visit(cell, fractions of the cell at
    /// the piece's ends, the piece's ends in mm, the piece's volume in one sub-slab in mm³)`.
    #[inline]
    fn for_each_piece(
        &self,
        [from, to]: [f64; 2],
        mut visit: impl FnMut(usize, [f64; 2], [f64; 2], f64),
    ) {
        let lattice = self.lattice;
        for cell in lattice.cell(from)..=lattice.cell(to) {
            let low = lattice.x(cell);
            let (start, end) = (from.max(low), to.min(low + lattice.pitch_mm));
            if end > start {
                let fractions = [
                    (start - low) * lattice.inverse_pitch,
                    (end - low) * lattice.inverse_pitch,
                ];
                visit(
                    cell,
                    fractions,
                    [start, end],
                    (end - start) * self.volume_per_mm,
                );
            }
        }
    }
}

/// Spreads a rectangle over the histogram; a corner that no phase reaches (NaN) leaves the
/// dose of the part that is reached (`max` skips NaN), or, with none reached, the volume
/// outside every grid, which is returned (mm³).
#[inline]
fn add_corners(histogram: &mut Histogram, corners: [f64; 4], volume_mm3: f64) -> f64 {
    if !(corners[0] + corners[1] + corners[2] + corners[3]).is_nan() {
        histogram.add_bilinear(corners, volume_mm3);
        return 0.0;
    }
    match corners.iter().copied().fold(f64::NAN, f64::max) {
        dose if dose.is_nan() => volume_mm3,
        dose => {
            histogram.add(dose, volume_mm3);
            0.0
        }
    }
}
