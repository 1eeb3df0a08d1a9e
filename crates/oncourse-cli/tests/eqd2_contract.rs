//! The `oncourse eqd2`, `tissues` and `reirradiation` command-line contract (issue 2): JSON
//! shapes, the seed course's numbers, and errors that name the argument and the value.

mod common;

use common::{check_error, json};

use serde_json::Value;

fn close(value: &Value, expected: f64) -> bool {
    (value.as_f64().expect("a number") - expected).abs() < 1e-9
}

#[test]
fn seed_course_at_alpha_beta_4() {
    let out = json(&[
        "eqd2",
        "--phase",
        "4x10",
        "--phase",
        "7x3",
        "--alpha-beta",
        "4",
        "--json",
    ]);
    assert!(close(&out["alpha_beta_gy"], 4.0));
    let first = &out["phases"][0];
    assert!(close(&first["dose_per_fraction_gy"], 4.0));
    assert_eq!(first["fractions"], 10);
    assert!(close(&first["physical_gy"], 40.0));
    assert!(close(&first["bed_gy"], 80.0));
    assert!(close(&first["eqd2_gy"], 160.0 / 3.0));
    assert!(close(&out["total"]["physical_gy"], 61.0));
    assert!(close(&out["total"]["bed_gy"], 137.75));
    assert!(close(&out["total"]["eqd2_gy"], 137.75 / 1.5));
}

#[test]
fn tissue_echoes_name_and_source() {
    let out = json(&[
        "eqd2",
        "--phase",
        "4x10",
        "--phase",
        "7x3",
        "--tissue",
        "generic-late",
        "--json",
    ]);
    assert!(close(&out["alpha_beta_gy"], 3.0));
    assert_eq!(out["tissue"]["id"], "generic-late");
    assert!(!out["tissue"]["source"].as_str().unwrap().is_empty());
    assert!(close(&out["total"]["eqd2_gy"], 98.0));
}

#[test]
fn inverse_dose_per_fraction() {
    // 5 fractions to EQD2 50 Gy at α/β 10: BED 60 → 12 Gy per fraction of BED; d² /10 + d − 12 = 0.
    let out = json(&[
        "eqd2",
        "--target-eqd2",
        "50",
        "--fractions",
        "5",
        "--alpha-beta",
        "10",
        "--json",
    ]);
    let d = (-10.0 + (100.0f64 + 480.0).sqrt()) / 2.0;
    assert!(close(&out["dose_per_fraction_gy"], d));
    assert!(close(&out["physical_gy"], 5.0 * d));
    assert!(close(&out["eqd2_gy"], 50.0));
    assert_eq!(out["fractions"], 5);
}

#[test]
fn stereotactic_boost_notes_the_seed_tumour_size() {
    let out = json(&[
        "eqd2",
        "--phase",
        "4x10:imrt",
        "--phase",
        "7x3:sbrt",
        "--alpha-beta",
        "10",
        "--tumour-size-cm",
        "8",
        "--json",
    ]);
    assert_eq!(
        out["phases"][0]["regimen"]["id"],
        "moderate-hypofractionation"
    );
    assert_eq!(out["phases"][1]["regimen"]["id"], "sbrt");
    assert_eq!(out["phases"][1]["regimen"]["also_meets"][0], "short-course");
    let note = out["phases"][1]["regimen"]["notes"][0].as_str().unwrap();
    assert!(
        note.contains("less than 3 cm") && note.contains("8 cm"),
        "{note}"
    );
}

#[test]
fn lql_is_labelled_a_model_choice() {
    let out = json(&[
        "eqd2",
        "--phase",
        "10x1",
        "--alpha-beta",
        "3",
        "--lql-transition",
        "6",
        "--json",
    ]);
    assert!(close(&out["total"]["bed_gy"], 38.0));
    assert!(out["model"].as_str().unwrap().contains("model choice"));
}

#[test]
fn time_factor_needs_published_parameters() {
    let out = json(&[
        "eqd2",
        "--phase",
        "2x35",
        "--tissue",
        "head-neck-scc",
        "--overall-time-days",
        "46",
        "--json",
    ]);
    assert!(close(&out["total"]["repopulation_bed_loss_gy"], 12.96));
    check_error(
        &[
            "eqd2",
            "--phase",
            "4x10",
            "--tissue",
            "leiomyosarcoma",
            "--overall-time-days",
            "20",
        ],
        &[
            "--overall-time-days 20",
            "leiomyosarcoma",
            "no published repopulation parameters",
        ],
    );
}

#[test]
fn reirradiation_headroom() {
    let out = json(&[
        "reirradiation",
        "--prior-eqd2",
        "50",
        "--limit-eqd2",
        "50",
        "--recovery",
        "0.5",
        "--alpha-beta",
        "2",
        "--json",
    ]);
    assert!(close(&out["remaining_eqd2_gy"], 25.0));
    assert!(close(&out["remaining_bed_gy"], 50.0));
}

#[test]
fn tissues_lists_every_row_with_a_source() {
    let out = json(&["tissues", "--json"]);
    let rows = out.as_array().unwrap();
    assert!(rows.len() >= 14);
    for row in rows {
        assert!(!row["source"].as_str().unwrap().trim().is_empty(), "{row}");
    }
}

#[test]
fn bad_input_names_the_argument_and_value() {
    check_error(
        &["eqd2", "--phase", "4x", "--alpha-beta", "3"],
        &["--phase", "\"4x\""],
    );
    check_error(
        &["eqd2", "--phase", "-4x10", "--alpha-beta", "3"],
        &["--phase", "-4"],
    );
    check_error(
        &["eqd2", "--phase", "4x10", "--alpha-beta", "0"],
        &["--alpha-beta", "got 0"],
    );
    check_error(
        &["eqd2", "--phase", "4x10", "--alpha-beta", "-2"],
        &["--alpha-beta", "-2"],
    );
    check_error(
        &["eqd2", "--phase", "4x10", "--tissue", "kidney-of-a-unicorn"],
        &["--tissue", "kidney-of-a-unicorn"],
    );
    check_error(
        &["eqd2", "--phase", "4x0", "--alpha-beta", "3"],
        &["--phase", "number of fractions", "got 0"],
    );
    check_error(
        &["eqd2", "--phase", "4x10:laser", "--alpha-beta", "3"],
        &["--phase", "\"laser\""],
    );
}
