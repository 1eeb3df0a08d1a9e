//! The `oncourse dvh` command-line contract (issue 6): the exact JSON shape, structures without
//! contours listed with a note, agreement with the planning system's DVH on the example plan,
//! and the voxel-wise EQD2 sum of two phases on the seed course's fractionation.

mod common;

use common::{data, json, oncourse};

use std::path::PathBuf;

use oncourse_dose::{ContourPlane, DoseGrid, GridGeometry, Roi, RtDoseHeader, StructureSet};
use serde_json::Value;

fn number(value: &Value) -> f64 {
    value.as_f64().expect("a number")
}

#[test]
fn json_shape_and_values_on_the_example_plan() {
    let rtss = data("dicompyler-example/rtss.dcm");
    let rtdose = data("dicompyler-example/rtdose.dcm");
    let output = json(&[
        "dvh",
        "--rtstruct",
        &rtss,
        "--rtdose",
        &rtdose,
        "--structure",
        "Areola",
        "--structure",
        "tumor bed",
        "--json",
    ]);
    let structures = output["structures"].as_array().expect("structures");
    assert_eq!(output.as_object().unwrap().len(), 1);
    assert_eq!(structures.len(), 2);

    let areola = &structures[0];
    assert_eq!(areola["name"], "Areola");
    assert_eq!(areola["note"], "no contours: nothing to compute");
    assert!(areola["mean_gy"].is_null());

    let bed = &structures[1];
    let mut keys: Vec<&str> = bed
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "d2_gy",
            "d50_gy",
            "d5_gy",
            "d95_gy",
            "d98_gy",
            "dvh",
            "max_gy",
            "mean_gy",
            "min_gy",
            "name",
            "volume_cc"
        ]
    );
    assert_eq!(bed["name"], "Tumor Bed");
    // The planning system's DVH of this ROI (tests/data/dvh/example_reference.csv): 12.8092 cm³,
    // mean 14.2858 Gy, D95 14.14 Gy, D2 14.47 Gy.
    assert!((number(&bed["volume_cc"]) - 12.8092).abs() / 12.8092 < 0.01);
    assert!((number(&bed["mean_gy"]) - 14.2858).abs() < 0.03);
    assert!((number(&bed["d95_gy"]) - 14.14).abs() < 0.03);
    assert!((number(&bed["d2_gy"]) - 14.47).abs() < 0.03);
    let dose = bed["dvh"]["dose_gy"].as_array().unwrap();
    let volume = bed["dvh"]["volume_pct"].as_array().unwrap();
    assert_eq!(dose.len(), volume.len());
    assert_eq!(number(&dose[1]), 0.01);
    assert_eq!(number(&volume[0]), 100.0);
    assert_eq!(number(volume.last().unwrap()), 0.0);
}

/// Writes a uniform-dose phantom pair and a 20 mm cube ROI into a temporary folder.
fn seed_phantoms() -> (PathBuf, [String; 3]) {
    let folder = std::env::temp_dir().join(format!("oncourse-dvh-contract-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let frame = "1.2.826.0.1.3680043.2.1125.9";
    let uniform = |dose_gy: f32, spacing: f64, origin: f64| {
        let size = (60.0 / spacing) as usize + 1;
        let z: Vec<f64> = (0..size).map(|k| origin + k as f64 * spacing).collect();
        let geometry =
            GridGeometry::new([origin, origin], [spacing, spacing], [size, size], z).unwrap();
        DoseGrid::new(geometry, vec![dose_gy; size * size * size]).unwrap()
    };
    let header = RtDoseHeader {
        frame_of_reference_uid: frame.to_owned(),
        sop_instance_uid: "1.2.3.4".to_owned(),
        dose_type: "PHYSICAL".to_owned(),
        summation_type: "PLAN".to_owned(),
        description: "uniform phantom".to_owned(),
    };
    // Phase 1: 40 Gy on a 2.5 mm grid; phase 2: 21 Gy on a different 2 mm grid.
    let phase1 = oncourse_dose::write_rtdose(&uniform(40.0, 2.5, -30.0), &header).unwrap();
    let phase2 = oncourse_dose::write_rtdose(&uniform(21.0, 2.0, -29.0), &header).unwrap();
    let square = vec![vec![
        [-10.0, -10.0],
        [10.0, -10.0],
        [10.0, 10.0],
        [-10.0, 10.0],
    ]];
    let cube = Roi {
        number: 1,
        name: "Skin".to_owned(),
        interpreted_type: Some("ORGAN".to_owned()),
        frame_of_reference_uid: Some(frame.to_owned()),
        planes: (0..=10)
            .map(|k| ContourPlane {
                z_mm: -10.0 + 2.0 * k as f64,
                slab_z_mm: [-11.0 + 2.0 * k as f64, -9.0 + 2.0 * k as f64],
                polygons: square.clone(),
            })
            .collect(),
        notes: Vec::new(),
    };
    let set = StructureSet {
        frame_of_reference_uid: Some(frame.to_owned()),
        nominal_plane_spacing_mm: Some(2.0),
        rois: vec![cube],
    };
    let rtss = oncourse_dose::write_rtstruct(&set, frame, "1.2.3.5").unwrap();
    let paths =
        [("rs.dcm", rtss), ("rd1.dcm", phase1), ("rd2.dcm", phase2)].map(|(name, bytes)| {
            let path = folder.join(name);
            std::fs::write(&path, bytes).unwrap();
            path.display().to_string()
        });
    (folder, paths)
}

#[test]
fn eqd2_sum_of_the_seed_course_phases() {
    let (folder, [rtss, rd1, rd2]) = seed_phantoms();
    let phase1 = format!("{rd1}:10");
    let phase2 = format!("{rd2}:3");
    let eqd2 = json(&[
        "dvh",
        "--rtstruct",
        &rtss,
        "--phase",
        &phase1,
        "--phase",
        &phase2,
        "--alpha-beta",
        "3",
        "--eqd2",
        "--json",
    ]);
    let physical = json(&[
        "dvh",
        "--rtstruct",
        &rtss,
        "--phase",
        &phase1,
        "--phase",
        &phase2,
        "--json",
    ]);
    let tissue_map = folder.join("map.toml");
    std::fs::write(&tissue_map, "default = \"bone-rib-fracture\"\n").unwrap();
    let tissue_map = tissue_map.display().to_string();
    let mapped = oncourse(&[
        "dvh",
        "--rtstruct",
        &rtss,
        "--phase",
        &phase1,
        "--phase",
        &phase2,
        "--tissue-map",
        &tissue_map,
        "--eqd2",
        "--json",
    ]);
    let missing = oncourse(&[
        "dvh",
        "--rtstruct",
        &rtss,
        "--phase",
        &phase1,
        "--phase",
        &phase2,
        "--eqd2",
        "--json",
    ]);
    std::fs::remove_dir_all(&folder).unwrap();

    // 4 Gy × 10 + 7 Gy × 3 at α/β 3 Gy: 98.0 Gy EQD2, 61 Gy physical (DOMAIN.md, the seed
    // course, hand-checked: 40·(4+3)/5 + 21·(7+3)/5 = 56 + 42).
    let skin = &eqd2["structures"][0];
    assert_eq!(skin["alpha_beta_gy"], 3.0);
    for metric in ["min_gy", "mean_gy", "max_gy", "d95_gy", "d2_gy"] {
        assert!(
            (number(&skin[metric]) - 98.0).abs() < 1e-3,
            "{metric}: {skin}"
        );
        assert!((number(&physical["structures"][0][metric]) - 61.0).abs() < 1e-3);
    }
    // The 20 mm cube: 8 cm³ (contours on z = −10 … 10 mm).
    assert!((number(&skin["volume_cc"]) - 8.0).abs() < 1e-6);
    // The map's tissue decides α/β; without any α/β the error names the structure.
    assert!(
        mapped.status.success(),
        "{}",
        String::from_utf8_lossy(&mapped.stderr)
    );
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        !missing.status.success() && stderr.contains("structure \"Skin\": no α/β"),
        "{stderr}"
    );
}

#[test]
fn errors_name_the_problem() {
    let rtss = data("dicompyler-example/rtss.dcm");
    let rtdose = data("dicompyler-example/rtdose.dcm");
    let unknown = oncourse(&[
        "dvh",
        "--rtstruct",
        &rtss,
        "--rtdose",
        &rtdose,
        "--structure",
        "Femur",
    ]);
    assert!(
        String::from_utf8_lossy(&unknown.stderr)
            .contains("--structure: no ROI named \"Femur\"; the structure set has [\"BODY\"")
    );
    let no_fractions = oncourse(&["dvh", "--rtstruct", &rtss, "--phase", &rtdose]);
    assert!(String::from_utf8_lossy(&no_fractions.stderr).contains("expected RD.dcm:N"));
    let swapped = oncourse(&["dvh", "--rtstruct", &rtdose, "--rtdose", &rtss]);
    assert!(
        String::from_utf8_lossy(&swapped.stderr)
            .contains("Modality (0008,0060): expected RTSTRUCT, got RTDOSE")
    );
}

#[test]
fn constraints_report_pass_fail_margin_and_source() {
    let rtss = data("dicompyler-example/rtss.dcm");
    let rtdose = data("dicompyler-example/rtdose.dcm");
    let report = json(&[
        "constraints",
        "--rtstruct",
        &rtss,
        "--rtdose",
        &rtdose,
        "--set",
        "quantec-thorax-conventional",
        "--json",
    ]);
    assert!(
        report["source"]
            .as_str()
            .unwrap()
            .starts_with("Marks LB et al.")
    );
    let results = report["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    // Lt Lung mean dose: the planning system's DVH gives 0.9044 Gy (tests/data/dvh), limit 20 Gy.
    let lung_mean = &results[1];
    assert_eq!(lung_mean["roi"], "Lt Lung");
    assert_eq!(lung_mean["passed"], true);
    assert!((number(&lung_mean["value"]) - 0.9044).abs() < 0.01);
    assert!((number(&lung_mean["margin"]) - (20.0 - 0.9044)).abs() < 0.01);
    assert_eq!(lung_mean["source"], "Table 1 (QUANTEC summary), lung row");
    let femur = json(&[
        "constraints",
        "--rtstruct",
        &rtss,
        "--rtdose",
        &rtdose,
        "--set",
        "extremity-sarcoma-femur",
        "--json",
    ]);
    for result in femur["results"].as_array().unwrap() {
        assert!(
            result["passed"].is_null()
                && result["note"]
                    .as_str()
                    .unwrap()
                    .starts_with("no ROI named any of")
        );
    }
}
