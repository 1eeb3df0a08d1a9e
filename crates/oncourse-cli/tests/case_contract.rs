//! The `oncourse check` and `oncourse assess` command-line contract (issue 3): exit codes, the
//! one-line summary, every error as `FILE:LINE:COL: field.path: message`, and the JSON shape of
//! the assessment of the seed case.

mod common;

use common::{oncourse, root};

use std::fs;

use serde_json::Value;

#[test]
fn check_accepts_the_seed_case_with_a_one_line_summary() {
    let output = oncourse(&["check", "examples/popliteal-lms.toml"]);
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout
            .starts_with("examples/popliteal-lms.toml: ok, 45 facts from 2022-05-09 to 2023-11-23"),
        "{stdout}"
    );
}

#[test]
fn check_reports_every_error_of_every_invalid_file() {
    let dir = root().join("tests/data/case-files/invalid");
    let mut checked = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let relative = format!("tests/data/case-files/invalid/{name}");
        let output = oncourse(&["check", &relative]);
        assert_eq!(output.status.code(), Some(1), "{relative}");
        // The corpus's expected text names the file by its bare name; the CLI names it as given.
        let expected: String = fs::read_to_string(path.with_extension("expected"))
            .unwrap()
            .lines()
            .map(|line| format!("tests/data/case-files/invalid/{line}\n"))
            .collect();
        assert_eq!(
            String::from_utf8(output.stderr).unwrap(),
            expected,
            "{relative}"
        );
        assert!(output.stdout.is_empty());
        checked += 1;
    }
    assert!(checked >= 10);
}

#[test]
fn check_names_an_unreadable_file() {
    let output = oncourse(&["check", "no/such/case.toml"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("no/such/case.toml: cannot read the case file"),
        "{stderr}"
    );
}

fn assess_json(extra: &[&str]) -> Value {
    let mut args = vec!["assess", "examples/popliteal-lms.toml", "--json"];
    args.extend_from_slice(extra);
    let output = oncourse(&args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn assess_json_has_the_contract_fields() {
    let a = assess_json(&[]);
    assert_eq!(a["as_of"], "2023-11-23", "defaults to the last fact's date");
    let stage = &a["stage"];
    assert_eq!(
        (
            &stage["t"],
            &stage["n"],
            &stage["m"],
            &stage["grade"],
            &stage["group"]
        ),
        (
            &Value::from("T2"),
            &Value::from("N0"),
            &Value::from("M0"),
            &Value::from(3),
            &Value::from("IIIA")
        )
    );
    let rt = &a["radiotherapy"];
    assert_eq!(rt["fractions_delivered"], 13);
    assert_eq!(rt["physical_gy"], 61.0);
    let tissues = rt["tissues"].as_array().unwrap();
    let generic = tissues
        .iter()
        .find(|t| t["tissue"] == "generic-early")
        .unwrap();
    // α/β 10: EQD2 = 91.7 / 1.2 (Fowler 1989 by hand).
    assert!((generic["eqd2_gy"].as_f64().unwrap() - 91.7 / 1.2).abs() < 1e-9);
    let drug = &a["drug"];
    assert_eq!(drug["agent"], "anlotinib");
    assert_eq!(drug["cycles"][0]["dose_level"], 0);
    assert_eq!(drug["cycles"][2]["dose_level"], 1);
    assert_eq!(drug["cycles"][2]["dose_mg"], 10.0);
    // The independent reference calendar gives 0.6753731343283582 (tests/data/calendar).
    assert!((drug["relative_dose_intensity"].as_f64().unwrap() - 0.6753731343283582).abs() < 1e-12);
}

#[test]
fn assess_as_of_hides_later_facts() {
    let a = assess_json(&["--as-of", "2022-06-01"]);
    assert_eq!(a["radiotherapy"]["fractions_delivered"], 8);
    assert_eq!(a["drug"], Value::Null);
    for entry in a["timeline"].as_array().unwrap() {
        assert!(entry["date"].as_str().unwrap() <= "2022-06-01", "{entry}");
    }
}

#[test]
fn assess_rejects_a_bad_date_and_an_unknown_tissue() {
    let output = oncourse(&[
        "assess",
        "examples/popliteal-lms.toml",
        "--as-of",
        "2022-13-01",
    ]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("2022-13-01"));
    let output = oncourse(&[
        "assess",
        "examples/popliteal-lms.toml",
        "--tissue",
        "kidney",
    ]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("kidney"));
}

#[test]
fn assess_with_protocols_adds_adverse_events_recommendations_and_deviations() {
    // Without --protocol: graded adverse events, no recommendation keys.
    let plain = assess_json(&[]);
    assert_eq!(plain["adverse_events"].as_array().unwrap().len(), 4);
    assert!(plain.get("recommendations").is_none());
    assert!(plain.get("deviations").is_none());
    let a = assess_json(&[
        "--protocol",
        "protocols/anlotinib.toml",
        "--protocol",
        "protocols/radiation-dermatitis.toml",
    ]);
    assert_eq!(a["format"], "oncourse-assessment/1");
    let platelets = &a["adverse_events"][2];
    assert_eq!(platelets["term"], "Platelet count decreased");
    assert_eq!(platelets["worst_grade"], 3);
    assert_eq!(platelets["attribution"], "drug");
    // Hand-checked in crates/oncourse-engine/tests/surveillance.rs: platelets 98 × 10⁹/L is
    // CTCAE grade 1, so the local rule resumes one level lower, 12 → 10 mg.
    let resume = &a["recommendations"][2];
    assert_eq!(resume["date"], "2022-09-16");
    assert_eq!(resume["action"], "resume");
    assert_eq!(resume["target"], "anlotinib");
    assert_eq!(resume["dose_mg"], 10.0);
    assert_eq!(resume["rule_id"], "platelets-g3-4-hold");
    assert_eq!(resume["protocol"], "anlotinib");
    assert_eq!(resume["local"], true);
    assert_eq!(a["recommendations"].as_array().unwrap().len(), 6);
    // Response, hand-derived in crates/oncourse-engine/tests/response.rs: 80 → 52 mm is −35 %
    // (PR); PFS censored at the last imaging, 162 days after the first fraction.
    let response = &a["response"];
    assert_eq!(response["best_overall_response"], "PR");
    assert_eq!(response["timepoints"][2]["change_from_baseline_pct"], -35.0);
    assert_eq!(
        response["progression_free_survival"],
        serde_json::json!({"end_date": "2022-11-01", "days": 162, "event": false, "reason": "last_adequate_assessment"})
    );
    assert_eq!(a["deviations"].as_array().unwrap().len(), 65);
    assert_eq!(
        a["deviations"][0]["kind"],
        "cycle_started_without_pre_cycle_value"
    );
}

#[test]
fn assess_reports_a_bad_protocol_file_with_its_position() {
    let dir = std::env::temp_dir().join(format!("oncourse-assess-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.toml");
    fs::write(&bad, "[protocol]\nid = \"x\"\n").unwrap();
    let output = oncourse(&[
        "assess",
        "examples/popliteal-lms.toml",
        "--protocol",
        bad.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("bad.toml:"), "{stderr}");
    fs::remove_dir_all(&dir).unwrap();
}
