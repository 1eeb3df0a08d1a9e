//! The `oncourse grade` and `oncourse ctcae` command-line contract (issue 4). Expected grades
//! come from the CTCAE v5.0 text (NCI 2017), quoted beside each case.

mod common;

use common::{json, stderr_of_failure};

use serde_json::Value;

#[test]
fn platelets_45000_per_microlitre_is_grade_3() {
    // CTCAE v5.0 Platelet count decreased grade 3: "<50.0 - 25.0 x 10e9 /L".
    let result = json(&[
        "grade",
        "--term",
        "Platelet count decreased",
        "--value",
        "45000",
        "--unit",
        "/uL",
        "--json",
    ]);
    assert_eq!(result["term"], "Platelet count decreased");
    assert_eq!(result["grade"], 3);
    assert_eq!(result["value_si"], 45.0);
    assert_eq!(result["unit_si"], "10*9/L");
    assert_eq!(result["source"], "CTCAE v5.0, Platelet count decreased");
}

#[test]
fn a_normal_value_prints_grade_0() {
    let result = json(&[
        "grade",
        "--term",
        "platelet count decreased",
        "--value",
        "210",
        "--unit",
        "10*9/L",
        "--lln",
        "150 10*9/L",
        "--json",
    ]);
    assert_eq!(result["grade"], 0);
    assert_eq!(result["criterion"], Value::Null);
}

#[test]
fn hypertension_takes_systolic_over_diastolic() {
    // CTCAE v5.0 Hypertension grade 3: "Adult: Systolic BP >=160 mm Hg".
    let result = json(&[
        "grade",
        "--term",
        "Hypertension",
        "--value",
        "165/95",
        "--unit",
        "mm[Hg]",
        "--json",
    ]);
    assert_eq!(result["grade"], 3);
    assert_eq!(result["value_si"]["systolic"], 165.0);
    assert_eq!(result["value_si"]["diastolic"], 95.0);
}

#[test]
fn references_take_the_value_unit_or_their_own() {
    // ALT 130 U/L with ULN 40 U/L = 3.25 x ULN: grade 2 ">3.0 - 5.0 x ULN".
    let result = json(&[
        "grade",
        "--term",
        "Alanine aminotransferase increased",
        "--value",
        "130",
        "--unit",
        "U/L",
        "--uln",
        "40",
        "--json",
    ]);
    assert_eq!(result["grade"], 2);
    // Weight 70 kg from a 80 000 g baseline = 12.5 % loss: grade 2 "10 - <20% from baseline".
    let result = json(&[
        "grade",
        "--term",
        "Weight loss",
        "--value",
        "70",
        "--unit",
        "kg",
        "--baseline",
        "80000 g",
        "--json",
    ]);
    assert_eq!(result["grade"], 2);
}

#[test]
fn a_clinically_graded_term_returns_its_definitions() {
    let result = json(&[
        "grade",
        "--term",
        "Dermatitis radiation",
        "--value",
        "1",
        "--unit",
        "1",
        "--json",
    ]);
    assert_eq!(result["status"], "clinician_grade_required");
    assert_eq!(result["definitions"][2]["grade"], 3);
    assert_eq!(
        result["definitions"][2]["text"],
        "Moist desquamation in areas other than skin folds and creases; bleeding induced by minor trauma or abrasion"
    );
}

#[test]
fn a_unit_that_cannot_express_the_quantity_names_both() {
    let stderr = stderr_of_failure(&[
        "grade",
        "--term",
        "Platelet count decreased",
        "--value",
        "45",
        "--unit",
        "mg/dL",
    ]);
    assert!(
        stderr.contains("\"mg/dL\" cannot express blood cell count"),
        "{stderr}"
    );
    assert!(stderr.contains("\"10*9/L\""), "{stderr}");
    let stderr = stderr_of_failure(&[
        "grade",
        "--term",
        "Platelet count decreased",
        "--value",
        "45",
    ]);
    assert!(stderr.contains("has no unit"), "{stderr}");
}

#[test]
fn ctcae_shows_a_term_by_name_or_code() {
    let result = json(&["ctcae", "10035528", "--json"]);
    assert_eq!(result["term"], "Platelet count decreased");
    assert_eq!(result["graded_automatically"], true);
    assert_eq!(result["grades"][3]["text"], "<25,000/mm3; <25.0 x 10e9 /L");
    let result = json(&["ctcae", "hemorrhage", "--search", "--json"]);
    assert!(
        result
            .as_array()
            .unwrap()
            .iter()
            .any(|name| name == "Tumor hemorrhage")
    );
}

#[test]
fn protocol_validates_the_shipped_files_and_reports_every_problem() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../protocols/");
    for file in ["anlotinib.toml", "radiation-dermatitis.toml"] {
        let path = format!("{root}{file}");
        let result = json(&["protocol", &path, "--json"]);
        assert!(!result["rules"].as_array().unwrap().is_empty(), "{file}");
    }
    let broken =
        std::env::temp_dir().join(format!("oncourse-protocol-{}.toml", std::process::id()));
    std::fs::write(
        &broken,
        "[protocol]\nid = \"x\"\n\n[[rule]]\nid = \"r\"\nterms = [\"Hypertension\"]\ngrades = [3]\naction = \"hold\"\nsource = \"\"\n",
    )
    .unwrap();
    let stderr = stderr_of_failure(&["protocol", broken.to_str().unwrap()]);
    std::fs::remove_file(&broken).unwrap();
    assert!(stderr.contains("5 problem(s)"), "{stderr}");
    assert!(
        stderr.contains(":1:1: protocol.title: missing required field"),
        "{stderr}"
    );
    assert!(
        stderr.contains(":9:10: rule[0].source: expected a non-empty string, got \"\""),
        "{stderr}"
    );
}

#[test]
fn protocol_evaluates_the_illustrative_seed_course() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../protocols/");
    let result = json(&[
        "protocol",
        &format!("{root}anlotinib.toml"),
        "--events",
        &format!("{root}examples/seed-anlotinib-events.toml"),
        "--through",
        "2022-09-10",
        "--json",
    ]);
    let recommendations = result["recommendations"].as_array().unwrap();
    let summary: Vec<(&str, &str, Option<f64>)> = recommendations
        .iter()
        .map(|r| {
            (
                r["date"].as_str().unwrap(),
                r["action"].as_str().unwrap(),
                r["dose_mg"].as_f64(),
            )
        })
        .collect();
    // 45 000 /uL is grade 3 ("<50.0 - 25.0 x 10e9 /L") -> hold; 110 000 /uL with LLN 150 is
    // grade 1 -> resume one level lower on the 12/10/8 mg ladder.
    assert_eq!(
        summary,
        vec![
            ("2022-08-22", "hold", None),
            ("2022-08-22", "notify", None),
            ("2022-08-29", "resume", Some(10.0)),
        ]
    );
    assert_eq!(recommendations[0]["local"], true);
    let platelets: Vec<&Value> = result["adverse_events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|episode| episode["term"] == "Platelet count decreased")
        .collect();
    assert_eq!(platelets.len(), 1);
    assert_eq!(platelets[0]["onset"], "2022-08-22");
    assert_eq!(platelets[0]["worst_grade"], 3);
    assert_eq!(platelets[0]["resolved"], "2022-09-03");
    assert_eq!(result["deviations"].as_array().unwrap().len(), 0);
}
