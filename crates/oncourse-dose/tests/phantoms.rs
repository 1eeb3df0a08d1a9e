//! Analytic phantoms written as DICOM by the test and read back: spheres and a spherical shell
//! in linear and Gaussian dose fields, whose DVHs are known in closed form, and the EQD2 sum of
//! two phases on different grids. Everything agrees with the analytic values to ≤ 1 %.
//!
//! Contours are regular 360-gons on planes at half-integer multiples of the plane spacing, so
//! the contoured solid is within 0.1 % of the true sphere; any contour-based tool inherits
//! whatever a coarser contouring loses, and that is not what these tests measure.

mod support;

use std::f64::consts::PI;

use oncourse_dose::{
    DoseQuantity, Dvh, DvhOptions, Phase, StructureDvh, structure_dvh, summed_grid,
};
use oncourse_radbio::AlphaBeta;
use support::{circle, grid_from_fn, roi, round_trip_dose, round_trip_structures};

/// Planes through a sphere-or-shell centred at the origin: every plane with an outer circle,
/// and an inner circle (a hole, even-odd) where the plane cuts the inner sphere.
fn shell_planes(
    outer_mm: f64,
    inner_mm: f64,
    plane_spacing_mm: f64,
) -> Vec<(f64, Vec<Vec<[f64; 2]>>)> {
    let half_count = (outer_mm / plane_spacing_mm).floor() as i64;
    (-half_count..half_count)
        .map(|k| (k as f64 + 0.5) * plane_spacing_mm)
        .filter(|z| z.abs() < outer_mm)
        .map(|z| {
            let mut polygons = vec![circle(
                [0.0, 0.0],
                (outer_mm * outer_mm - z * z).sqrt(),
                360,
            )];
            if z.abs() < inner_mm {
                polygons.push(circle(
                    [0.0, 0.0],
                    (inner_mm * inner_mm - z * z).sqrt(),
                    360,
                ));
            }
            (z, polygons)
        })
        .collect()
}

fn dvh_of(
    planes: Vec<(f64, Vec<Vec<[f64; 2]>>)>,
    grid: &oncourse_dose::DoseGrid,
) -> (StructureDvh, Dvh) {
    let structures = round_trip_structures(vec![roi(1, "phantom", planes)]);
    let result = structure_dvh(
        &structures.rois[0],
        &[Phase {
            grid,
            n_fractions: 1,
        }],
        DoseQuantity::Physical,
        &DvhOptions::default(),
    )
    .unwrap();
    let dvh = result.dvh.clone().expect("inside the grid");
    (result, dvh)
}

fn assert_within_one_percent(what: &str, got: f64, expected: f64, scale: f64) {
    assert!(
        (got - expected).abs() <= 0.01 * scale,
        "{what}: got {got}, expected {expected} (±1 % of {scale})"
    );
}

/// Solves `f(x) = target` for increasing `f` on [low, high] by bisection.
fn solve(f: impl Fn(f64) -> f64, target: f64, mut low: f64, mut high: f64) -> f64 {
    for _ in 0..200 {
        let middle = 0.5 * (low + high);
        if f(middle) < target {
            low = middle
        } else {
            high = middle
        }
    }
    0.5 * (low + high)
}

#[test]
fn sphere_in_a_linear_field() {
    // D = 50 + 0.8·z Gy on a 2 mm grid; sphere R = 25 mm at the origin.
    let radius = 25.0;
    let grid = round_trip_dose(&grid_from_fn(
        [-30.0, -30.0, -30.0],
        [2.0, 2.0, 2.0],
        [31, 31, 31],
        |_, _, z| 50.0 + 0.8 * z,
    ));
    let (result, dvh) = dvh_of(shell_planes(radius, 0.0, 1.0), &grid);
    let volume_cc = 4.0 / 3.0 * PI * radius.powi(3) / 1000.0;
    assert_within_one_percent("volume", result.volume_cc, volume_cc, volume_cc);
    assert_within_one_percent("mean", dvh.mean_gy, 50.0, 50.0);
    // Dose tolerances are 1 % of the centre dose. The outermost contour planes sit 0.5 mm inside
    // the poles, so the contoured solid's extremes are the doses there: 50 ± 0.8·24.5 Gy.
    assert_within_one_percent("max", dvh.max_gy, 69.6, 50.0);
    assert_within_one_percent("min", dvh.min_gy, 30.4, 50.0);
    // Fraction of the sphere above height t: a cap of height R − t.
    let fraction_above = |t: f64| {
        let h = (radius - t).clamp(0.0, 2.0 * radius);
        PI * h * h * (3.0 * radius - h) / 3.0 / (4.0 / 3.0 * PI * radius.powi(3))
    };
    for percent in [98.0, 95.0, 50.0, 5.0, 2.0] {
        let t = solve(|t| -fraction_above(t), -percent / 100.0, -radius, radius);
        assert_within_one_percent(
            &format!("D{percent}%"),
            dvh.dose_covering_pct(percent),
            50.0 + 0.8 * t,
            50.0,
        );
    }
    for dose in [35.0, 45.0, 50.0, 60.0, 66.0] {
        let expected = 100.0 * fraction_above((dose - 50.0) / 0.8);
        assert_within_one_percent(
            &format!("V{dose}Gy"),
            dvh.volume_at_least_pct(dose),
            expected,
            100.0,
        );
    }
}

#[test]
fn shell_with_a_hole_in_a_gaussian_field() {
    // D = 60·exp(−r²/(2·20²)) Gy on a 2 mm grid; shell between r = 15 and 25 mm.
    let (inner, outer, sigma, peak) = (15.0, 25.0, 20.0, 60.0);
    let dose = |r: f64| peak * (-r * r / (2.0 * sigma * sigma)).exp();
    let grid = round_trip_dose(&grid_from_fn(
        [-30.0, -30.0, -30.0],
        [2.0, 2.0, 2.0],
        [31, 31, 31],
        |x, y, z| dose((x * x + y * y + z * z).sqrt()),
    ));
    // Fine planes (0.25 mm): each plane's slab extrudes its contour, and near the poles of the
    // hole a coarser extrusion reaches visibly closer to the hot centre than the true sphere.
    let (result, dvh) = dvh_of(shell_planes(outer, inner, 0.25), &grid);
    let volume_cc = 4.0 / 3.0 * PI * (outer.powi(3) - inner.powi(3)) / 1000.0;
    assert_within_one_percent("volume", result.volume_cc, volume_cc, volume_cc);
    // Mean by Simpson's rule over r of D(r)·4πr².
    let steps = 2000;
    let h = (outer - inner) / steps as f64;
    let integral: f64 = (0..=steps)
        .map(|i| {
            let r = inner + i as f64 * h;
            let weight = if i == 0 || i == steps {
                1.0
            } else if i % 2 == 1 {
                4.0
            } else {
                2.0
            };
            weight * dose(r) * 4.0 * PI * r * r
        })
        .sum::<f64>()
        * h
        / 3.0;
    let mean = integral / (volume_cc * 1000.0);
    assert_within_one_percent("mean", dvh.mean_gy, mean, mean);
    assert_within_one_percent("max", dvh.max_gy, dose(inner), dose(inner));
    assert_within_one_percent("min", dvh.min_gy, dose(outer), dose(outer));
    // The hottest x % lies innermost: r_x³ = R_in³ + x·(R_out³ − R_in³).
    for percent in [98.0, 95.0, 50.0, 5.0, 2.0] {
        let r = (inner.powi(3) + percent / 100.0 * (outer.powi(3) - inner.powi(3))).cbrt();
        assert_within_one_percent(
            &format!("D{percent}%"),
            dvh.dose_covering_pct(percent),
            dose(r),
            dose(r),
        );
    }
}

#[test]
fn small_sphere_on_a_coarse_grid() {
    // R = 5 mm (0.52 cm³) on a 3 mm dose grid, D = 20 + 1.5·x Gy: the grid is coarser than the
    // structure; in-plane interpolation must still give the analytic DVH.
    let radius = 5.0;
    let grid = round_trip_dose(&grid_from_fn(
        [-9.0, -9.0, -9.0],
        [3.0, 3.0, 3.0],
        [7, 7, 7],
        |x, _, _| 20.0 + 1.5 * x,
    ));
    let (result, dvh) = dvh_of(shell_planes(radius, 0.0, 0.25), &grid);
    let volume_cc = 4.0 / 3.0 * PI * radius.powi(3) / 1000.0;
    assert_within_one_percent("volume", result.volume_cc, volume_cc, volume_cc);
    assert_within_one_percent("mean", dvh.mean_gy, 20.0, 20.0);
    assert_within_one_percent("max", dvh.max_gy, 27.5, 27.5);
    assert_within_one_percent(
        "D0.03cc",
        dvh.dose_covering_cc(0.03),
        20.0 + 1.5
            * solve(
                |t| -PI * (radius - t).powi(2) * (2.0 * radius + t) / 3.0,
                -30.0,
                -radius,
                radius,
            ),
        20.0,
    );
}

#[test]
fn eqd2_sum_of_two_phases_on_different_grids() {
    // Phase 1: 4 Gy × 10 uniform on a 2.5 mm grid; phase 2: 7 Gy × 3 uniform on a 2 mm grid
    // offset by 1 mm. At α/β 3 the sum is 98.0 Gy EQD2 everywhere (DOMAIN.md, seed course),
    // at α/β 10 it is 76.42 Gy.
    let phase1 = grid_from_fn(
        [-20.0, -20.0, -20.0],
        [2.5, 2.5, 2.5],
        [17, 17, 17],
        |_, _, _| 40.0,
    );
    let phase2 = grid_from_fn(
        [-19.0, -19.0, -19.0],
        [2.0, 2.0, 2.0],
        [20, 20, 20],
        |_, _, _| 21.0,
    );
    let phases = [
        Phase {
            grid: &phase1,
            n_fractions: 10,
        },
        Phase {
            grid: &phase2,
            n_fractions: 3,
        },
    ];
    for (alpha_beta, expected) in [(3.0, 98.0), (10.0, 76.42)] {
        let quantity = DoseQuantity::Eqd2(AlphaBeta::new(alpha_beta).unwrap());
        let summed = summed_grid(&phases, quantity, phase1.geometry()).unwrap();
        // Voxels of phase 1's grid inside phase 2's grid (x, y, z in [−19.5, 18.5]) get both phases.
        let centre = summed.dose_at([0.0, 0.0, 0.0]).unwrap();
        assert!(
            (centre - expected).abs() < 0.01,
            "α/β {alpha_beta}: {centre}"
        );
        let planes = shell_planes(10.0, 0.0, 1.0);
        let structures = round_trip_structures(vec![roi(1, "ball", planes)]);
        let dvh = structure_dvh(
            &structures.rois[0],
            &phases,
            quantity,
            &DvhOptions::default(),
        )
        .unwrap()
        .dvh
        .unwrap();
        assert!((dvh.min_gy - expected).abs() < 0.01 && (dvh.max_gy - expected).abs() < 0.01);
    }
}

/// Planes of a box `[x0, x1] × [y0, y1]` at z = −4.5, −3.5, …, 4.5 mm (9 mm of slab in all:
/// the outer planes do not extend outward).
fn box_planes([x0, x1]: [f64; 2], [y0, y1]: [f64; 2]) -> Vec<(f64, Vec<Vec<[f64; 2]>>)> {
    box_planes_at([x0, x1], [y0, y1], (0..10).map(|k| -4.5 + k as f64))
}

/// Planes of a box `[x0, x1] × [y0, y1]` at the given z.
fn box_planes_at(
    [x0, x1]: [f64; 2],
    [y0, y1]: [f64; 2],
    z: impl Iterator<Item = f64>,
) -> Vec<(f64, Vec<Vec<[f64; 2]>>)> {
    z.map(|z| (z, vec![vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]]]))
        .collect()
}

#[test]
fn contour_planes_coarser_than_the_dose_frames() {
    // Planes 5 mm apart through a box from z = 0 to 40 mm, dose frames 1 mm apart with
    // 10 + 0.5 Gy/mm · z: each slab is cut into five sub-slabs, and the dose over the box is
    // uniform on [10, 30] Gy (mean and D50 20 Gy, V15Gy 75 %).
    let grid = grid_from_fn(
        [-20.0, -20.0, -2.0],
        [2.5, 2.5, 1.0],
        [17, 17, 45],
        |_, _, z| 10.0 + 0.5 * z,
    );
    let planes = box_planes_at([-10.0, 10.0], [-10.0, 10.0], (0..9).map(|k| 5.0 * k as f64));
    let (result, dvh) = dvh_of(planes, &grid);
    let box_cc = 20.0 * 20.0 * 40.0 / 1000.0;
    assert_within_one_percent("volume", result.volume_cc, box_cc, box_cc);
    assert_within_one_percent("mean", dvh.mean_gy, 20.0, 20.0);
    assert_within_one_percent("D50", dvh.dose_covering_pct(50.0), 20.0, 20.0);
    assert_within_one_percent("V15Gy", dvh.volume_at_least_pct(15.0), 75.0, 100.0);
    assert_within_one_percent("min", dvh.min_gy, 10.0, 20.0);
    assert_within_one_percent("max", dvh.max_gy, 30.0, 20.0);
}

#[test]
fn structures_reaching_beyond_the_dose_grids() {
    // A 60 × 10 × 9 mm box, x from 30 to 90 mm. Phase 1 (4 Gy × 10) covers x up to its last
    // voxel's edge at 51.25 mm, phase 2 (7 Gy × 3) up to 81 mm, nothing beyond. At α/β 3:
    // 98.0 Gy EQD2 where both reach, 21 × (7 + 3) / (2 + 3) = 42.0 Gy where only phase 2 does,
    // and 9 mm of the 60 outside every grid.
    let phase1 = grid_from_fn(
        [0.0, -20.0, -20.0],
        [2.5, 2.5, 2.5],
        [21, 17, 17],
        |_, _, _| 40.0,
    );
    let phase2 = grid_from_fn(
        [0.0, -20.0, -20.0],
        [2.0, 2.0, 2.0],
        [41, 21, 21],
        |_, _, _| 21.0,
    );
    let structures =
        round_trip_structures(vec![roi(1, "box", box_planes([30.0, 90.0], [-5.0, 5.0]))]);
    let box_cc = 60.0 * 10.0 * 9.0 / 1000.0;
    let phases = [
        Phase {
            grid: &phase1,
            n_fractions: 10,
        },
        Phase {
            grid: &phase2,
            n_fractions: 3,
        },
    ];
    let quantity = DoseQuantity::Eqd2(AlphaBeta::new(3.0).unwrap());
    let result = structure_dvh(
        &structures.rois[0],
        &phases,
        quantity,
        &DvhOptions::default(),
    )
    .unwrap();
    let dvh = result.dvh.expect("inside the grids");
    assert_within_one_percent("volume", result.volume_cc, box_cc, box_cc);
    let outside_cc = box_cc * 9.0 / 60.0;
    assert_within_one_percent("outside", result.volume_outside_grid_cc, outside_cc, box_cc);
    let both_cc = box_cc * 21.25 / 60.0;
    assert_within_one_percent("V97.9Gy", dvh.volume_at_least_cc(97.9), both_cc, box_cc);
    assert_within_one_percent(
        "V41.9Gy",
        dvh.volume_at_least_cc(41.9),
        box_cc - outside_cc,
        box_cc,
    );
    let mean = (21.25 * 98.0 + 29.75 * 42.0) / 51.0;
    assert_within_one_percent("mean", dvh.mean_gy, mean, mean);
    assert_within_one_percent("max", dvh.max_gy, 98.0, 98.0);
    assert_within_one_percent("min", dvh.min_gy, 42.0, 42.0);

    // Phase 1 alone: everything beyond 51.25 mm is outside.
    let alone = structure_dvh(
        &structures.rois[0],
        &phases[..1],
        DoseQuantity::Physical,
        &DvhOptions::default(),
    )
    .unwrap();
    let outside_cc = box_cc * (90.0 - 51.25) / 60.0;
    assert_within_one_percent("outside", alone.volume_outside_grid_cc, outside_cc, box_cc);
    let dvh = alone.dvh.expect("partly inside");
    assert!((dvh.min_gy - 40.0).abs() < 1e-6 && (dvh.max_gy - 40.0).abs() < 1e-6);
}
