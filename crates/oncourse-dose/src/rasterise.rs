//! Partial-volume rasterisation of a contour plane: the plane's slab is cut into square
//! columns of side `spacing_mm`, one sample row per `spacing_mm` in y; along each row the
//! polygons' even-odd inside intervals are computed exactly, so every sample carries the exact
//! part of the row inside the structure within its cell (exact in x, midpoint rule in y).
//!
//! Even-odd means a contour inside another is a hole and a contour inside a hole is an island,
//! whatever the winding, which is how DICOM RT structure sets encode them (and how
//! dicompyler-core and plastimatch read them). Overlapping separate contours cancel where they
//! overlap; planning systems do not write those.
//!
//! Written by hand: no crate rasterises polygons with exact partial-pixel coverage onto a
//! caller-chosen lattice and hands back weights (image crates fill whole pixels).

use crate::rtstruct::ContourPlane;

/// One sample of a plane: the part of a lattice cell's row segment inside the structure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Where the covered part of the row starts and ends inside the cell, mm.
    pub x_range_mm: [f64; 2],
    /// The row's y (cell centre), mm.
    pub y_mm: f64,
    /// Volume of the structure inside the cell's slab, mm³.
    pub volume_mm3: f64,
}

/// Calls `visit` for every cell of the lattice (origin `lattice_origin_mm`, pitch `spacing_mm`)
/// that the plane's polygons cover, with the covered volume. `crossings` is scratch space.
pub fn for_each_sample(
    plane: &ContourPlane,
    lattice_origin_mm: [f64; 2],
    spacing_mm: f64,
    crossings: &mut Vec<f64>,
    mut visit: impl FnMut(Sample),
) {
    let Some([_, min_y, _, max_y]) = bounds(plane) else {
        return;
    };
    let first_row = ((min_y - lattice_origin_mm[1]) / spacing_mm).floor() as i64;
    let last_row = ((max_y - lattice_origin_mm[1]) / spacing_mm).floor() as i64;
    let slab_area_factor = spacing_mm * plane.thickness_mm();
    for row in first_row..=last_row {
        let y = lattice_origin_mm[1] + (row as f64 + 0.5) * spacing_mm;
        crossings.clear();
        for polygon in &plane.polygons {
            row_crossings(polygon, y, crossings);
        }
        if crossings.len() < 2 {
            continue;
        }
        crossings.sort_by(f64::total_cmp);
        for pair in crossings.chunks_exact(2) {
            let (start, end) = (pair[0], pair[1]);
            let first_cell = ((start - lattice_origin_mm[0]) / spacing_mm).floor() as i64;
            let last_cell = ((end - lattice_origin_mm[0]) / spacing_mm).floor() as i64;
            for cell in first_cell..=last_cell {
                let cell_low = lattice_origin_mm[0] + cell as f64 * spacing_mm;
                let covered_start = start.max(cell_low);
                let covered_end = end.min(cell_low + spacing_mm);
                if covered_end > covered_start {
                    visit(Sample {
                        x_range_mm: [covered_start, covered_end],
                        y_mm: y,
                        volume_mm3: (covered_end - covered_start) * slab_area_factor,
                    });
                }
            }
        }
    }
}

/// The x where each edge of a closed polygon crosses the horizontal line `y` (half-open rule:
/// an edge counts when one end is strictly below and the other at or above, so a vertex on the
/// line is counted once).
fn row_crossings(polygon: &[[f64; 2]], y: f64, crossings: &mut Vec<f64>) {
    let Some(mut previous) = polygon.last().copied() else {
        return;
    };
    for &current in polygon {
        if (previous[1] <= y) != (current[1] <= y) {
            let t = (y - previous[1]) / (current[1] - previous[1]);
            crossings.push(previous[0] + t * (current[0] - previous[0]));
        }
        previous = current;
    }
}

/// The bounding box `[min x, min y, max x, max y]` of all polygons of a plane.
pub fn bounds(plane: &ContourPlane) -> Option<[f64; 4]> {
    let mut points = plane.polygons.iter().flatten().peekable();
    points.peek()?;
    Some(points.fold(EMPTY_BOUNDS, |b, p| enclose(b, [p[0], p[1], p[0], p[1]])))
}

/// The bounding box of nothing: [`enclose`] with it gives the other box.
pub const EMPTY_BOUNDS: [f64; 4] = [
    f64::INFINITY,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NEG_INFINITY,
];

/// The smallest box `[min x, min y, max x, max y]` holding both boxes.
pub fn enclose(a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}
