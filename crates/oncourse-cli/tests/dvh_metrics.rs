//! `oncourse dvh --metric/--prescription/--differential` (issue 6 item 3): V(x Gy), V(x %) and
//! D(x cc) on the example plan against dicompyler-core 0.5.6's DVH statistics, homogeneity and
//! conformity indices on an analytic phantom, and the errors of bad specs.

mod common;

use std::f64::consts::PI;

use common::{check_error, data, json};
use oncourse_dose::{ContourPlane, DoseGrid, GridGeometry, Roi, RtDoseHeader, StructureSet};
use serde_json::Value;

fn number(value: &Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("a number, got {value}"))
}

/// The metrics of tests/data/dvh/example_metrics.csv and the prescription they assume.
const METRICS: [&str; 8] = [
    "V5Gy", "V10Gy", "V13Gy", "V95%", "V100%", "D0.03cc", "D2cc", "D10cc",
];
const PRESCRIPTION_GY: f64 = 14.0;

#[test]
fn example_plan_metrics_agree_with_dicompyler_core() {
    let rtss = data("dicompyler-example/rtss.dcm");
    let rtdose = data("dicompyler-example/rtdose.dcm");
    let prescription = PRESCRIPTION_GY.to_string();
    let mut args = vec![
        "dvh",
        "--rtstruct",
        &rtss,
        "--rtdose",
        &rtdose,
        "--prescription",
        &prescription,
        "--json",
    ];
    for metric in METRICS {
        args.extend(["--metric", metric]);
    }
    let output = json(&args);
    let structures = output["structures"].as_array().unwrap();
    let reference = std::fs::read_to_string(data("dvh/example_metrics.csv")).unwrap();
    let mut compared = 0;
    for line in reference
        .lines()
        .filter(|line| !line.starts_with('#'))
        .skip(1)
    {
        let fields: Vec<&str> = line.split(',').collect();
        let [
            _,
            name,
            source,
            reference_volume,
            metric,
            volume_cc,
            volume_pct,
            dose_gy,
        ] = fields[..]
        else {
            panic!("example_metrics.csv: 8 fields expected in {line:?}");
        };
        let structure = structures
            .iter()
            .find(|structure| structure["name"] == name)
            .unwrap_or_else(|| panic!("{name} in the output"));
        let ours_volume = number(&structure["volume_cc"]);
        // dicompyler-core's own calculation overestimates small structures' volumes by 60 %
        // and more (crates/oncourse-dose/tests/example_plan.rs); below 1 cm³ neither tool's
        // metrics say much about the other's.
        if ours_volume < 1.0 {
            continue;
        }
        let value = structure["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|value| value["metric"] == metric)
            .unwrap_or_else(|| panic!("{name}: {metric} in the output"));
        let what = format!("{name} {metric} against {source}: ours {value}, theirs {line}");
        if metric.starts_with('D') {
            let cc: f64 = metric[1..metric.len() - 2].parse().unwrap();
            // For x cm³ beyond the structure dicompyler-core answers 0 Gy, we Dmin.
            if cc >= ours_volume.min(reference_volume.parse().unwrap()) {
                continue;
            }
            // dicompyler-core reads doses at 0.01 Gy bins without interpolation and samples
            // voxel centres; in the steep edge of this plan's fields its hottest cm³ sit up to
            // 0.1 Gy off ours (Lt Lung D0.03cc). 1 % of the prescription.
            let theirs: f64 = dose_gy.parse().unwrap();
            assert!(
                (number(&value["dose_gy"]) - theirs).abs() <= 0.01 * PRESCRIPTION_GY,
                "{what}"
            );
        } else {
            // Volumes: relative to each tool's own structure volume, within 2.5 percentage
            // points (dicompyler-core's voxel-centre test moves whole 2.5 mm voxels across the
            // isodose: Tumor Bed Block V100% is 90.9 % there, 88.9 % here, 90.0 % in the
            // planning system's DVH); in cm³, 7 % of theirs or 0.2 cm³.
            let theirs_pct: f64 = volume_pct.parse().unwrap();
            let theirs_cc: f64 = volume_cc.parse().unwrap();
            assert!(
                (number(&value["volume_pct"]) - theirs_pct).abs() <= 2.5,
                "{what}"
            );
            assert!(
                (number(&value["volume_cc"]) - theirs_cc).abs() <= (0.07 * theirs_cc).max(0.2),
                "{what}"
            );
        }
        compared += 1;
    }
    // Six structures of 1 cm³ or more, both sources, 5 volume metrics and 3 dose metrics.
    assert_eq!(compared, 6 * 2 * 8);
}

const FRAME: &str = "1.2.826.0.1.3680043.2.1125.77";

/// Planes 1 mm apart at half-integer z through a sphere of `radius` mm centred on the x axis at
/// `centre_x`, each a regular 360-gon (within 0.005 % of the circle's area).
fn sphere(number: i64, name: &str, kind: &str, centre_x: f64, radius: f64) -> Roi {
    let planes = (-(radius as i64)..radius as i64)
        .map(|k| k as f64 + 0.5)
        .map(|z| {
            let r = (radius * radius - z * z).sqrt();
            let circle = (0..360)
                .map(|step| {
                    let angle = 2.0 * PI * step as f64 / 360.0;
                    [centre_x + r * angle.cos(), r * angle.sin()]
                })
                .collect();
            (z, vec![circle])
        })
        .collect();
    roi(number, name, kind, planes)
}

fn roi(number: i64, name: &str, kind: &str, planes: Vec<(f64, Vec<Vec<[f64; 2]>>)>) -> Roi {
    Roi {
        number,
        name: name.to_owned(),
        interpreted_type: Some(kind.to_owned()),
        frame_of_reference_uid: Some(FRAME.to_owned()),
        planes: planes
            .into_iter()
            .map(|(z_mm, polygons)| ContourPlane {
                z_mm,
                slab_z_mm: [z_mm - 0.5, z_mm + 0.5],
                polygons,
            })
            .collect(),
        notes: Vec::new(),
    }
}

/// Gaussian field D = 30 Gy · exp(−r² / 2s²) with its 20 Gy isodose at R_p = 20 mm.
const PEAK_GY: f64 = 30.0;
const PRESCRIPTION_RADIUS_MM: f64 = 20.0;
fn sigma_mm() -> f64 {
    PRESCRIPTION_RADIUS_MM / (2.0 * (PEAK_GY / 20.0_f64).ln()).sqrt()
}
fn field_gy(r_mm: f64) -> f64 {
    PEAK_GY * (-r_mm * r_mm / (2.0 * sigma_mm() * sigma_mm())).exp()
}

/// Writes the phantom: the field on a 2 mm grid over ±40 mm, a centred PTV (R 15 mm), a GTV
/// (R 15 mm) 10 mm off the field centre, an organ, and with `external` a 72 mm EXTERNAL box.
fn write_phantom(folder: &std::path::Path, external: bool) -> [String; 2] {
    let size = 41;
    let z: Vec<f64> = (0..size).map(|k| -40.0 + 2.0 * k as f64).collect();
    let geometry = GridGeometry::new([-40.0, -40.0], [2.0, 2.0], [size, size], z.clone()).unwrap();
    let mut dose = Vec::with_capacity(size * size * size);
    for z in &z {
        for j in 0..size {
            for i in 0..size {
                let (x, y) = (-40.0 + 2.0 * i as f64, -40.0 + 2.0 * j as f64);
                dose.push(field_gy((x * x + y * y + z * z).sqrt()) as f32);
            }
        }
    }
    let header = RtDoseHeader {
        frame_of_reference_uid: FRAME.to_owned(),
        sop_instance_uid: "1.2.3.4.7".to_owned(),
        dose_type: "PHYSICAL".to_owned(),
        summation_type: "PLAN".to_owned(),
        description: "Gaussian phantom".to_owned(),
    };
    let rtdose =
        oncourse_dose::write_rtdose(&DoseGrid::new(geometry, dose).unwrap(), &header).unwrap();
    let mut rois = vec![
        sphere(1, "PTV centred", "PTV", 0.0, 15.0),
        sphere(2, "GTV offset", "GTV", 10.0, 15.0),
        sphere(3, "Organ", "ORGAN", 0.0, 10.0),
    ];
    if external {
        let square = vec![vec![
            [-36.0, -36.0],
            [36.0, -36.0],
            [36.0, 36.0],
            [-36.0, 36.0],
        ]];
        let planes = (-36..36)
            .map(|k| (k as f64 + 0.5, square.clone()))
            .collect();
        rois.push(roi(4, "Body", "EXTERNAL", planes));
    }
    let set = StructureSet {
        frame_of_reference_uid: Some(FRAME.to_owned()),
        nominal_plane_spacing_mm: Some(1.0),
        rois,
    };
    let rtss = oncourse_dose::write_rtstruct(&set, FRAME, "1.2.3.5.7").unwrap();
    [("rs.dcm", rtss), ("rd.dcm", rtdose)].map(|(name, bytes)| {
        let path = folder.join(name);
        std::fs::write(&path, bytes).unwrap();
        path.display().to_string()
    })
}

/// Writes the phantom (with or without the EXTERNAL box) to a temporary folder and returns
/// `oncourse dvh --json` on it with `options`.
fn phantom_dvh(external: bool, options: &[&str]) -> Value {
    let folder = std::env::temp_dir().join(format!(
        "oncourse-dvh-metrics-{external}-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&folder).unwrap();
    let [rtss, rtdose] = write_phantom(&folder, external);
    let mut args = vec!["dvh", "--rtstruct", &rtss, "--rtdose", &rtdose, "--json"];
    args.extend(options);
    let output = json(&args);
    std::fs::remove_dir_all(&folder).unwrap();
    output
}

fn within(what: &str, got: f64, expected: f64, relative: f64) {
    assert!(
        (got - expected).abs() <= relative * expected.abs(),
        "{what}: got {got}, expected {expected} (±{} %)",
        relative * 100.0
    );
}

/// Checks a target's TV_PIV (±1 %), Paddick TV_PIV²/(TV·PIV) and RTOG PIV/TV (±2 %) against
/// the analytic volumes, cm³.
fn check_conformity(target: &str, conformity: &Value, tv: f64, tv_piv: f64, piv: f64) {
    let covered = number(&conformity["target_covered_cc"]);
    within(&format!("{target} TV_PIV"), covered, tv_piv, 0.01);
    let paddick = tv_piv * tv_piv / (tv * piv);
    within(
        &format!("{target} Paddick"),
        number(&conformity["paddick"]),
        paddick,
        0.02,
    );
    within(
        &format!("{target} RTOG"),
        number(&conformity["rtog"]),
        piv / tv,
        0.02,
    );
}

#[test]
fn homogeneity_and_conformity_on_an_analytic_phantom() {
    let output = phantom_dvh(
        true,
        &[
            "--structure",
            "PTV centred",
            "--structure",
            "GTV offset",
            "--structure",
            "Organ",
            "--prescription",
            "20",
            "--metric",
            "V130%",
            "--differential",
        ],
    );
    let [ptv, gtv, organ] = [0, 1, 2].map(|index| &output["structures"][index]);

    let ball = |radius: f64| 4.0 / 3.0 * PI * radius.powi(3) / 1000.0;
    let (r_t, r_p, c) = (15.0_f64, PRESCRIPTION_RADIUS_MM, 10.0_f64);
    let piv = ball(r_p);
    let tv = ball(r_t);

    // Centred PTV in a radial field: the hottest x % is the ball of radius R_t·(x/100)^(1/3),
    // so D_x% = D(R_t·(x/100)^(1/3)); HI = (D2% − D98%) / D50% (ICRU 83).
    let d = |percent: f64| field_gy(r_t * (percent / 100.0_f64).cbrt());
    let hi = (d(2.0) - d(98.0)) / d(50.0);
    within("PTV HI", number(&ptv["homogeneity_index"]), hi, 0.02);
    within(
        "PIV",
        number(&ptv["conformity"]["prescription_isodose_cc"]),
        piv,
        0.01,
    );
    // Wholly inside the 20 Gy sphere: TV_PIV = TV, so Paddick is TV/PIV = (15/20)³.
    check_conformity("PTV", &ptv["conformity"], tv, tv, piv);
    // The offset GTV: TV_PIV is the lens where the two spheres intersect.
    let lens = PI
        * (r_t + r_p - c).powi(2)
        * (c * c + 2.0 * c * r_p - 3.0 * r_p * r_p + 2.0 * c * r_t + 6.0 * r_p * r_t
            - 3.0 * r_t * r_t)
        / (12.0 * c)
        / 1000.0;
    check_conformity("GTV", &gtv["conformity"], tv, lens, piv);
    assert!(gtv["homogeneity_index"].is_number());

    // V130% of the PTV: 26 Gy inside r = s·sqrt(2 ln(30/26)) ≈ 11.9 mm, a ball within the PTV
    // (measured 1.8 % small: the grid's interpolation near the peak, see the differential below).
    let r_130 = sigma_mm() * (2.0 * (PEAK_GY / 26.0_f64).ln()).sqrt();
    let v130 = &ptv["metrics"][0];
    assert_eq!(v130["metric"], "V130%");
    within(
        "PTV V130% cc",
        number(&v130["volume_cc"]),
        ball(r_130),
        0.02,
    );
    within(
        "PTV V130% %",
        number(&v130["volume_pct"]),
        100.0 * (r_130 / r_t).powi(3),
        0.02,
    );

    // Not a target: no indices.
    assert!(organ.get("homogeneity_index").is_none() && organ.get("conformity").is_none());
    // The PTV's differential DVH: bin lower edges, and the bins from a dose on hold the ball
    // inside that dose's isodose, r = s·sqrt(2 ln(30/D)) (14.8, 13.4, 11.9 mm: inside the PTV).
    // Not nearer the peak: there trilinear interpolation of the 2 mm grid lowers the dose by
    // about 3 · h²/8 · |D''| ≈ 0.08 Gy where the gradient is only 0.5 Gy/mm, so the 28 Gy ball
    // (8.3 mm) comes out ~5 % small; that is the grid, not the DVH.
    let differential = &ptv["differential"];
    let edges = differential["dose_gy"].as_array().unwrap();
    let volumes = differential["volume_cc"].as_array().unwrap();
    assert_eq!(edges.len(), volumes.len());
    assert_eq!(number(&edges[1]), 0.01);
    let total: f64 = volumes.iter().map(number).sum();
    within("PTV differential total", total, tv, 0.01);
    for dose in [24.0, 25.0, 26.0] {
        let hotter: f64 = edges
            .iter()
            .zip(volumes)
            .filter(|(edge, _)| number(edge) >= dose - 1e-9)
            .map(|(_, volume)| number(volume))
            .sum();
        let radius = sigma_mm() * (2.0 * (PEAK_GY / dose).ln()).sqrt();
        within(&format!("PTV ≥ {dose} Gy"), hotter, ball(radius), 0.02);
    }
}

#[test]
fn conformity_without_an_external_roi_is_a_note() {
    let output = phantom_dvh(
        false,
        &["--structure", "PTV centred", "--prescription", "20"],
    );
    let ptv = &output["structures"][0];
    assert!(ptv["homogeneity_index"].is_number());
    assert!(ptv.get("conformity").is_none());
    assert!(
        ptv["note"]
            .as_str()
            .unwrap()
            .starts_with("conformity needs an ROI of type EXTERNAL")
    );
}

#[test]
fn bad_metric_specs_are_named() {
    let rtss = data("dicompyler-example/rtss.dcm");
    let rtdose = data("dicompyler-example/rtdose.dcm");
    let base = ["dvh", "--rtstruct", &rtss, "--rtdose", &rtdose];
    let with = |extra: &[&'static str]| {
        let mut args = base.to_vec();
        args.extend(extra);
        args
    };
    check_error(
        &with(&["--metric", "Dmean"]),
        &[
            "--metric <SPEC>",
            "Dmean",
            "expected Dxcc (e.g. D0.03cc), Dx% (D95%), VxGy (V20Gy) or Vx%",
        ],
    );
    check_error(
        &with(&["--metric", "D150%"]),
        &["--metric <SPEC>", "D150%", "between 0 and 100"],
    );
    check_error(
        &with(&["--metric", "V95%"]),
        &[
            "--metric V95%: a Vx% metric (volume at a percentage of the prescription) needs --prescription GY",
        ],
    );
    check_error(
        &with(&["--metric", "V20Gy", "--prescription", "0"]),
        &["--prescription"],
    );
}
