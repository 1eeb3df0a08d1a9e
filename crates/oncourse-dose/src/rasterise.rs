//! Partial-volume rasterisation of a contour plane, one sample row at a time: the plane's slab
//! is cut into rows `spacing_mm` apart in y, and along each row the polygons' even-odd inside
//! intervals are computed exactly. The caller cuts the intervals at the dose grid's columns,
//! so every piece of a row carries the exact part of the row inside the structure (exact in x,
//! midpoint rule in y).
//!
//! Even-odd means a contour inside another is a hole and a contour inside a hole is an island,
//! whatever the winding, which is how DICOM RT structure sets encode them (and how
//! dicompyler-core and plastimatch read them). Overlapping separate contours cancel where they
//! overlap; planning systems do not write those.
//!
//! The rows are swept upwards with an active-edge list (the classic scan-line fill), so each
//! row costs the edges it crosses, not every edge of the plane: a body contour has hundreds of
//! vertices and is crossed by two or four of them per row.
//!
//! Written by hand: no crate rasterises polygons with exact partial-pixel coverage onto a
//! caller-chosen lattice and hands back the covered intervals (image crates fill whole pixels).

use crate::rtstruct::ContourPlane;

/// A polygon edge that is not horizontal, from its lower end up.
#[derive(Debug, Clone, Copy)]
struct Edge {
    y_low: f64,
    y_high: f64,
    x_at_low: f64,
    /// dx/dy.
    slope: f64,
}

/// Scratch space for [`for_each_row`], reused from plane to plane.
#[derive(Debug, Default)]
pub struct RowScratch {
    edges: Vec<Edge>,
    active: Vec<Edge>,
    crossings: Vec<f64>,
}

/// Calls `visit(y, intervals)` for every row `y = y_origin_mm + (r + ½)·spacing_mm` (r an
/// integer) that crosses the plane's polygons, with the row's inside intervals as sorted
/// `[start, end, start, end, …]` x values in mm. An edge counts on the rows with
/// `y_low ≤ y < y_high` (half-open, so a vertex on a row is counted once).
pub fn for_each_row(
    plane: &ContourPlane,
    y_origin_mm: f64,
    spacing_mm: f64,
    scratch: &mut RowScratch,
    mut visit: impl FnMut(f64, &[f64]),
) {
    let RowScratch {
        edges,
        active,
        crossings,
    } = scratch;
    edges.clear();
    active.clear();
    for polygon in &plane.polygons {
        let Some(mut previous) = polygon.last().copied() else {
            continue;
        };
        for &current in polygon {
            let (low, high) = if previous[1] <= current[1] {
                (previous, current)
            } else {
                (current, previous)
            };
            if low[1] < high[1] {
                edges.push(Edge {
                    y_low: low[1],
                    y_high: high[1],
                    x_at_low: low[0],
                    slope: (high[0] - low[0]) / (high[1] - low[1]),
                });
            }
            previous = current;
        }
    }
    let Some(min_y) = edges.iter().map(|edge| edge.y_low).reduce(f64::min) else {
        return;
    };
    let max_y = edges.iter().map(|edge| edge.y_high).fold(min_y, f64::max);
    edges.sort_by(|a, b| a.y_low.total_cmp(&b.y_low));
    let first_row = ((min_y - y_origin_mm) / spacing_mm).floor() as i64;
    let last_row = ((max_y - y_origin_mm) / spacing_mm).floor() as i64;
    let mut next_edge = 0;
    for row in first_row..=last_row {
        let y = y_origin_mm + (row as f64 + 0.5) * spacing_mm;
        while let Some(edge) = edges.get(next_edge).filter(|edge| edge.y_low <= y) {
            active.push(*edge);
            next_edge += 1;
        }
        active.retain(|edge| edge.y_high > y);
        if active.len() < 2 {
            continue;
        }
        crossings.clear();
        crossings.extend(
            active
                .iter()
                .map(|edge| edge.x_at_low + (y - edge.y_low) * edge.slope),
        );
        crossings.sort_by(f64::total_cmp);
        visit(y, crossings);
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
