//! The dose grid in one canonical layout: columns along +x, rows along +y, frames along +z
//! (patient coordinates, mm), voxel values in Gy. Readers reorder whatever the file had into
//! this layout, so interpolation and rasterisation never deal with flipped axes.

use std::ops::Range;

use crate::error::{DoseError, Result};

/// Geometry of a canonical dose grid: voxel centres at
/// `x = x0 + i·dx`, `y = y0 + j·dy`, `z = frame_z_mm[k]` with `dx, dy > 0` and `frame_z_mm` increasing.
#[derive(Debug, Clone, PartialEq)]
pub struct GridGeometry {
    /// Centre of voxel (0, 0) in the first frame, x and y in mm.
    pub origin_xy_mm: [f64; 2],
    /// Distance between voxel centres along x (columns) and y (rows), mm, both positive.
    pub spacing_xy_mm: [f64; 2],
    /// Number of columns (x) and rows (y).
    pub size_xy: [usize; 2],
    /// The z of each frame, mm, strictly increasing.
    pub frame_z_mm: Vec<f64>,
}

impl GridGeometry {
    /// Checks the invariants: positive finite spacing, non-empty sizes, strictly increasing z.
    pub fn new(
        origin_xy_mm: [f64; 2],
        spacing_xy_mm: [f64; 2],
        size_xy: [usize; 2],
        frame_z_mm: Vec<f64>,
    ) -> Result<Self> {
        let invalid = |argument: &str, expected: &str, got: String| DoseError::InvalidArgument {
            argument: argument.to_owned(),
            expected: expected.to_owned(),
            got,
        };
        if !spacing_xy_mm
            .iter()
            .all(|spacing| spacing.is_finite() && *spacing > 0.0)
        {
            return Err(invalid(
                "grid spacing",
                "positive finite mm",
                format!("{spacing_xy_mm:?}"),
            ));
        }
        if !origin_xy_mm.iter().all(|value| value.is_finite()) {
            return Err(invalid(
                "grid origin",
                "finite mm",
                format!("{origin_xy_mm:?}"),
            ));
        }
        if size_xy[0] == 0 || size_xy[1] == 0 || frame_z_mm.is_empty() {
            return Err(invalid(
                "grid size",
                "at least one column, row and frame",
                format!("{size_xy:?} x {}", frame_z_mm.len()),
            ));
        }
        if !frame_z_mm.iter().all(|z| z.is_finite())
            || frame_z_mm.windows(2).any(|pair| pair[1] <= pair[0])
        {
            return Err(invalid(
                "frame z positions",
                "strictly increasing finite mm",
                format!("{frame_z_mm:?}"),
            ));
        }
        Ok(GridGeometry {
            origin_xy_mm,
            spacing_xy_mm,
            size_xy,
            frame_z_mm,
        })
    }

    /// Number of voxels in one frame.
    pub fn voxels_per_frame(&self) -> usize {
        self.size_xy[0] * self.size_xy[1]
    }

    /// Total number of voxels.
    pub fn voxel_count(&self) -> usize {
        self.voxels_per_frame() * self.frame_z_mm.len()
    }

    /// The x, y of the centre of voxel (column, row).
    pub fn voxel_centre_xy(&self, column: usize, row: usize) -> [f64; 2] {
        [
            self.origin_xy_mm[0] + column as f64 * self.spacing_xy_mm[0],
            self.origin_xy_mm[1] + row as f64 * self.spacing_xy_mm[1],
        ]
    }

    /// Where `z` falls between frames: the lower frame index and the weight of the upper one.
    /// Within half a frame gap beyond the first or last frame the nearest frame is used
    /// (the grid's voxels extend that far); further out the point is outside (`None`).
    pub fn locate_z(&self, z: f64) -> Option<(usize, f64)> {
        let frames = &self.frame_z_mm;
        let last = frames.len() - 1;
        let half_gap = |index: usize| {
            if last == 0 {
                0.5 * self.spacing_xy_mm[0].min(self.spacing_xy_mm[1])
            } else {
                0.5 * (frames[index.min(last - 1) + 1] - frames[index.min(last - 1)])
            }
        };
        if z < frames[0] {
            return (frames[0] - z <= half_gap(0) + 1e-9).then_some((0, 0.0));
        }
        if z >= frames[last] {
            return (z - frames[last] <= half_gap(last) + 1e-9).then_some((last, 0.0));
        }
        let upper = frames.partition_point(|frame_z| *frame_z <= z);
        let lower = upper - 1;
        Some((lower, (z - frames[lower]) / (frames[upper] - frames[lower])))
    }

    /// The fractional column and row of a point, clamped to the grid when within half a voxel
    /// outside the outermost centres; `None` further out.
    pub fn locate_xy(&self, x: f64, y: f64) -> Option<[f64; 2]> {
        Some([self.locate_axis(0, x)?, self.locate_axis(1, y)?])
    }

    /// The fractional index of `value` along `axis` (0: columns, x; 1: rows, y), as
    /// [`GridGeometry::locate_xy`] clamps it.
    #[inline]
    pub(crate) fn locate_axis(&self, axis: usize, value: f64) -> Option<f64> {
        let position = (value - self.origin_xy_mm[axis]) / self.spacing_xy_mm[axis];
        // (Sizes and indices go through i64, whose conversions to and from f64 are one
        // instruction each on x86-64; usize's are several, and this is the voxel hot path.)
        let last = (self.size_xy[axis] as i64 - 1) as f64;
        if !(-0.5..=last + 0.5).contains(&position) {
            return None;
        }
        Some(position.clamp(0.0, last))
    }

    /// The two rows around the row `y` falls on, for interpolating many points along it.
    #[inline]
    pub(crate) fn row_weights(&self, y: f64) -> Option<RowWeights> {
        Some(RowWeights::at(self.locate_axis(1, y)?, self.size_xy))
    }
}

/// Two neighbouring rows of a frame and the weight of the upper one: the y half of bilinear
/// interpolation, computed once per sample row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RowWeights {
    lower_start: usize,
    upper_start: usize,
    upper_weight: f64,
}

impl RowWeights {
    /// For a fractional row already clamped to the grid.
    #[inline]
    fn at(row: f64, size_xy: [usize; 2]) -> Self {
        let [columns, rows] = size_xy;
        // Truncation is the floor here: the row is clamped to the grid, so non-negative.
        let lower = (row as i64 as usize).min(rows - 1);
        let upper = (lower + 1).min(rows - 1);
        RowWeights {
            lower_start: lower * columns,
            upper_start: upper * columns,
            upper_weight: row - lower as i64 as f64,
        }
    }

    /// The frame's dose along this row (the two rows blended), one value per column of
    /// `columns` (a range of the grid's columns).
    fn blend(&self, frame: &[f32], columns: Range<usize>) -> impl Iterator<Item = f64> {
        let lower = &frame[self.lower_start + columns.start..self.lower_start + columns.end];
        let upper = &frame[self.upper_start + columns.start..self.upper_start + columns.end];
        lower.iter().zip(upper).map(|(low, high)| {
            let low = f64::from(*low);
            low + (f64::from(*high) - low) * self.upper_weight
        })
    }

    /// Bilinear interpolation at a fractional column already clamped to the grid.
    #[inline]
    pub(crate) fn interpolate(&self, frame: &[f32], columns: usize, column: f64) -> f64 {
        let column0 = (column as i64 as usize).min(columns - 1);
        let column1 = (column0 + 1).min(columns - 1);
        let fx = column - column0 as i64 as f64;
        let along = |start: usize| {
            let left = f64::from(frame[start + column0]);
            left + (f64::from(frame[start + column1]) - left) * fx
        };
        let bottom = along(self.lower_start);
        let top = along(self.upper_start);
        bottom + (top - bottom) * self.upper_weight
    }
}

/// A point of a row profile (see [`DoseGrid::row_profile_into`]): the two entries around it
/// and the weight of the upper one, for linear interpolation along the row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ProfilePoint {
    lower: usize,
    upper: usize,
    upper_weight: f64,
}

impl ProfilePoint {
    /// At a fractional column (counted from the profile's first column) already clamped to a
    /// profile of `len` entries.
    #[inline]
    pub(crate) fn new(column: f64, len: usize) -> Self {
        let last = len - 1;
        let lower = (column as i64 as usize).min(last);
        ProfilePoint {
            lower,
            upper: (lower + 1).min(last),
            upper_weight: column - lower as i64 as f64,
        }
    }

    /// The profile's dose at this point.
    #[inline]
    pub(crate) fn dose(&self, profile: &[f64]) -> f64 {
        let lower = profile[self.lower];
        lower + (profile[self.upper] - lower) * self.upper_weight
    }
}

/// A dose distribution on a canonical grid, Gy per voxel.
#[derive(Debug, Clone, PartialEq)]
pub struct DoseGrid {
    geometry: GridGeometry,
    /// Index `(frame · rows + row) · columns + column`.
    dose_gy: Vec<f32>,
}

impl DoseGrid {
    /// Builds a grid; `dose_gy` must hold one finite, non-negative value per voxel.
    pub fn new(geometry: GridGeometry, dose_gy: Vec<f32>) -> Result<Self> {
        if dose_gy.len() != geometry.voxel_count() {
            return Err(DoseError::InvalidArgument {
                argument: "dose values".to_owned(),
                expected: format!("{} values (one per voxel)", geometry.voxel_count()),
                got: format!("{} values", dose_gy.len()),
            });
        }
        // (A branch-free pass over all voxels first, which vectorises; the search only on
        // failure. NaN fails both comparisons.)
        let valid = |dose: &f32| *dose >= 0.0 && *dose <= f32::MAX;
        let all_valid = dose_gy.iter().fold(true, |ok, dose| ok & valid(dose));
        if let Some(bad) = dose_gy.iter().find(|dose| !all_valid && !valid(dose)) {
            return Err(DoseError::InvalidArgument {
                argument: "dose values".to_owned(),
                expected: "finite, non-negative Gy".to_owned(),
                got: bad.to_string(),
            });
        }
        Ok(DoseGrid { geometry, dose_gy })
    }

    /// The grid geometry.
    pub fn geometry(&self) -> &GridGeometry {
        &self.geometry
    }

    /// All voxel doses, Gy, index `(frame · rows + row) · columns + column`.
    pub fn dose_gy(&self) -> &[f32] {
        &self.dose_gy
    }

    /// The highest voxel dose, Gy.
    pub fn max_dose_gy(&self) -> f64 {
        f64::from(self.dose_gy.iter().copied().fold(0.0_f32, f32::max))
    }

    /// The dose along one row of the plane at a height located by [`GridGeometry::locate_z`]
    /// (`(lower frame, weight of the upper one)`), one value per column of `columns`, into
    /// `profile`: the y and z parts of the trilinear interpolation, so that points along the
    /// row need only [`ProfilePoint::dose`].
    pub(crate) fn row_profile_into(
        &self,
        (lower, upper_weight): (usize, f64),
        row: &RowWeights,
        columns: Range<usize>,
        profile: &mut Vec<f64>,
    ) {
        let per_frame = self.geometry.voxels_per_frame();
        let frame = |index: usize| &self.dose_gy[index * per_frame..(index + 1) * per_frame];
        profile.clear();
        profile.extend(row.blend(frame(lower), columns.clone()));
        if upper_weight > 0.0 {
            for (value, upper) in profile.iter_mut().zip(row.blend(frame(lower + 1), columns)) {
                *value += (upper - *value) * upper_weight;
            }
        }
    }

    /// Trilinear dose at a point, Gy; `None` outside the grid.
    pub fn dose_at(&self, point_mm: [f64; 3]) -> Option<f64> {
        let (lower, upper_weight) = self.geometry.locate_z(point_mm[2])?;
        let [column, row] = self.geometry.locate_xy(point_mm[0], point_mm[1])?;
        let per_frame = self.geometry.voxels_per_frame();
        let lower_dose = bilinear(
            &self.dose_gy[lower * per_frame..(lower + 1) * per_frame],
            self.geometry.size_xy,
            column,
            row,
        );
        if upper_weight == 0.0 {
            return Some(lower_dose);
        }
        let upper_dose = bilinear(
            &self.dose_gy[(lower + 1) * per_frame..(lower + 2) * per_frame],
            self.geometry.size_xy,
            column,
            row,
        );
        Some(lower_dose + (upper_dose - lower_dose) * upper_weight)
    }

    /// This distribution resampled (trilinear) onto another geometry; voxels outside this
    /// grid get 0 Gy and are counted in the returned number.
    pub fn resampled_onto(&self, target: &GridGeometry) -> (DoseGrid, usize) {
        let mut outside = 0;
        let mut dose_gy = Vec::with_capacity(target.voxel_count());
        for z in &target.frame_z_mm {
            for row in 0..target.size_xy[1] {
                for column in 0..target.size_xy[0] {
                    let [x, y] = target.voxel_centre_xy(column, row);
                    match self.dose_at([x, y, *z]) {
                        Some(dose) => dose_gy.push(dose as f32),
                        None => {
                            outside += 1;
                            dose_gy.push(0.0);
                        }
                    }
                }
            }
        }
        (
            DoseGrid {
                geometry: target.clone(),
                dose_gy,
            },
            outside,
        )
    }

    /// A new grid with `transform` applied to every voxel dose.
    pub fn map(&self, transform: impl Fn(f64) -> f64) -> DoseGrid {
        DoseGrid {
            geometry: self.geometry.clone(),
            dose_gy: self
                .dose_gy
                .iter()
                .map(|dose| transform(f64::from(*dose)) as f32)
                .collect(),
        }
    }
}

/// Bilinear interpolation in one frame at fractional (column, row) already clamped to the grid.
pub(crate) fn bilinear(frame: &[f32], size_xy: [usize; 2], column: f64, row: f64) -> f64 {
    RowWeights::at(row, size_xy).interpolate(frame, size_xy[0], column)
}
