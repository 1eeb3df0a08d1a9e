//! The `oncourse recist` and `oncourse survival` command-line contract (issue 5): JSON shapes,
//! numbers against the R survival references in `tests/data/survival/`, missing-value
//! handling, and errors that name the column and the line.

mod common;

use common::{check_error, json, oncourse};

use std::path::PathBuf;

use serde_json::Value;

fn survival_data(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/survival")
        .join(name)
        .display()
        .to_string()
}

/// Writes `contents` to a fresh file in the temporary directory and returns its path.
fn temp_file(name: &str, contents: &str) -> String {
    let dir =
        std::env::temp_dir().join(format!("oncourse-outcome-contract-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path.display().to_string()
}

fn close(value: &Value, expected: f64, relative: f64) {
    let got = value
        .as_f64()
        .unwrap_or_else(|| panic!("{value} is not a number"));
    assert!(
        (got - expected).abs() <= relative * expected.abs(),
        "got {got}, expected {expected}"
    );
}

#[test]
fn recist_json_shape_and_values() {
    let file = temp_file(
        "recist.json",
        r#"{"timepoints": [
            {"date": "2024-01-02", "targets": {"L1": 60, "N1": 40}, "non_targets": {"NT1": "present"}, "new_lesions": false},
            {"date": "2024-02-27", "targets": {"L1": 30, "N1": 12}, "non_targets": {"NT1": "present"}, "new_lesions": false},
            {"date": "2024-04-23", "targets": {"L1": 28, "N1": 12}, "non_targets": {"NT1": "absent"}, "new_lesions": false},
            {"date": "2024-06-18", "targets": {"L1": 36, "N1": 12}, "non_targets": {"NT1": "absent"}, "new_lesions": false}
        ], "nodal": ["N1"], "confirm": {"min_interval_days": 28}}"#,
    );
    let out = json(&["recist", &file, "--json"]);
    let timepoints = out["timepoints"].as_array().unwrap();
    assert_eq!(timepoints.len(), 4);
    // Sums 100 → 42 (−58 %, PR) → 40 (PR, confirmed 56 days later) → 48 (+20 % over the
    // nadir of 40 and +8 mm: PD).
    let baseline = &timepoints[0];
    assert_eq!(baseline["date"], "2024-01-02");
    close(&baseline["sum_mm"], 100.0, 1e-12);
    assert_eq!(baseline["response"], Value::Null);
    close(&timepoints[1]["change_from_baseline_pct"], -58.0, 1e-12);
    assert_eq!(timepoints[1]["response"], "PR");
    assert_eq!(timepoints[2]["response"], "PR");
    close(&timepoints[3]["change_from_nadir_pct"], 20.0, 1e-12);
    assert_eq!(timepoints[3]["response"], "PD");
    assert_eq!(out["best_overall_response"], "PR");
    let keys: Vec<&String> = timepoints[1].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "change_from_baseline_pct",
            "change_from_nadir_pct",
            "date",
            "response",
            "sum_mm"
        ]
    );
}

#[test]
fn recist_errors_name_the_file_and_place() {
    let file = temp_file(
        "bad.json",
        r#"{"timepoints": [{"date": "2024-13-02", "targets": {"L1": 20}}]}"#,
    );
    check_error(
        &["recist", &file],
        &["bad.json: timepoints[0].date: expected a date YYYY-MM-DD, got \"2024-13-02\""],
    );
    let file = temp_file(
        "typo.json",
        r#"{"timepoints": [{"date": "2024-01-02", "target": {"L1": 20}}]}"#,
    );
    check_error(
        &["recist", &file],
        &["typo.json:1:", "unknown field `target`"],
    );
    let file = temp_file(
        "small.json",
        r#"{"timepoints": [{"date": "2024-01-02", "targets": {"L1": 8}}]}"#,
    );
    check_error(
        &["recist", &file],
        &["small.json", "target L1", ">= 10 mm", "got 8 mm"],
    );
    let file = temp_file(
        "organs.json",
        r#"{"timepoints": [{"date": "2024-01-02", "targets": {"L1": 20, "L2": 20, "L3": 20}}],
            "organs": {"L1": "liver", "L2": "liver", "L3": "liver"}}"#,
    );
    check_error(
        &["recist", &file],
        &[
            "organs.json",
            "organ liver",
            "at most 2 target lesions per organ",
            "got 3",
        ],
    );
}

#[test]
fn survival_json_equals_r_for_veterans() {
    let r: Value =
        serde_json::from_str(&std::fs::read_to_string(survival_data("reference_r.json")).unwrap())
            .unwrap();
    let out = json(&[
        "survival",
        &survival_data("veterans.csv"),
        "--time",
        "time",
        "--event",
        "status",
        "--group",
        "celltype",
        "--covariates",
        "trt,karno,diagtime,age,prior",
        "--at",
        "30,100,365",
        "--json",
    ]);
    assert_eq!(out["n"], 137);
    assert_eq!(out["events"], 128);
    assert_eq!(out["dropped_missing"], 0);
    let km = &r["km"]["veterans"]["log-log"];
    close(&out["km"]["median"], km["median"].as_f64().unwrap(), 1e-9);
    close(
        &out["km"]["median_ci"][0],
        km["median_ci"][0].as_f64().unwrap(),
        1e-9,
    );
    close(
        &out["km"]["median_ci"][1],
        km["median_ci"][1].as_f64().unwrap(),
        1e-9,
    );
    for k in 0..3 {
        close(
            &out["km"]["at"][k]["s"],
            km["at"]["s"][k].as_f64().unwrap(),
            1e-6,
        );
        close(
            &out["km"]["at"][k]["lower"],
            km["at"]["lower"][k].as_f64().unwrap(),
            1e-6,
        );
        close(
            &out["km"]["at"][k]["upper"],
            km["at"]["upper"][k].as_f64().unwrap(),
            1e-6,
        );
    }
    let groups: Vec<&String> = out["groups"].as_object().unwrap().keys().collect();
    assert_eq!(groups, ["adeno", "large", "smallcell", "squamous"]);
    let lr = &r["logrank"]["veterans_celltype"];
    close(
        &out["logrank"]["statistic"],
        lr["statistic"].as_f64().unwrap(),
        1e-6,
    );
    assert_eq!(out["logrank"]["df"], 3);
    let cox = &r["cox_efron"]["veterans"];
    for (k, name) in ["trt", "karno", "diagtime", "age", "prior"]
        .iter()
        .enumerate()
    {
        close(
            &out["cox"]["coef"][name],
            cox["coef"][k].as_f64().unwrap(),
            1e-5,
        );
        close(
            &out["cox"]["se"][name],
            cox["se"][k].as_f64().unwrap(),
            1e-5,
        );
        close(
            &out["cox"]["hr"][name],
            cox["hr"][k].as_f64().unwrap(),
            1e-5,
        );
        close(&out["cox"]["p"][name], cox["p"][k].as_f64().unwrap(), 1e-5);
    }
    close(
        &out["cox"]["log_likelihood"],
        cox["log_likelihood"].as_f64().unwrap(),
        1e-5,
    );
    close(
        &out["cox"]["lr_statistic"],
        cox["lr_statistic"].as_f64().unwrap(),
        1e-5,
    );
    close(
        &out["cox"]["concordance"],
        cox["concordance"].as_f64().unwrap(),
        1e-5,
    );
}

#[test]
fn survival_sections_appear_only_when_asked() {
    let out = json(&[
        "survival",
        &survival_data("rossi.csv"),
        "--time",
        "week",
        "--event",
        "arrest",
        "--json",
    ]);
    let keys: Vec<&String> = out.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["dropped_missing", "events", "km", "n"]);
    // 114 of 432 arrested; the median is never reached (S(52) = 0.736).
    assert_eq!(out["events"], 114);
    assert_eq!(out["km"]["median"], Value::Null);
}

#[test]
fn survival_drops_and_counts_rows_with_missing_values_in_used_columns() {
    let file = temp_file(
        "missing.csv",
        "t,e,x,unused\n5,1,1.0,\n8,0,NA,a\n,1,2.0,b\n12,1,0.5,c\n3,1,2.5,NA\n9,0,1.5,d\n",
    );
    let out = json(&[
        "survival",
        &file,
        "--time",
        "t",
        "--event",
        "e",
        "--covariates",
        "x",
        "--json",
    ]);
    assert_eq!(out["n"], 4);
    assert_eq!(out["dropped_missing"], 2);
    // Without the covariate only the row with no time is dropped.
    let out = json(&["survival", &file, "--time", "t", "--event", "e", "--json"]);
    assert_eq!(out["dropped_missing"], 1);
    // KM of times 3, 5, 8+, 9+, 12 by hand: S(5) = 4/5 · 3/4 = 0.6, S(12) = 0.
    let out = json(&[
        "survival", &file, "--time", "t", "--event", "e", "--at", "5,12", "--json",
    ]);
    close(&out["km"]["at"][0]["s"], 0.6, 1e-12);
    assert_eq!(out["km"]["at"][1]["s"], 0.0);
}

#[test]
fn survival_errors_name_the_column_and_line() {
    check_error(
        &[
            "survival",
            &survival_data("rossi.csv"),
            "--time",
            "weeks",
            "--event",
            "arrest",
        ],
        &["column \"weeks\" not found", "week, arrest"],
    );
    let file = temp_file("text.csv", "t,e\n5,1\nsoon,0\n");
    check_error(
        &["survival", &file, "--time", "t", "--event", "e"],
        &["line 3", "column \"t\"", "\"soon\""],
    );
    let file = temp_file("flag.csv", "t,e\n5,1\n6,yes\n");
    check_error(
        &["survival", &file, "--time", "t", "--event", "e"],
        &["line 3", "column \"e\"", "\"yes\""],
    );
}

#[test]
fn plots_write_svg_files() {
    let patient = temp_file(
        "P7.json",
        r#"{"timepoints": [{"date": "2024-01-02", "targets": {"L1": 50}}, {"date": "2024-02-27", "targets": {"L1": 30}}]}"#,
    );
    for chart in ["waterfall", "swimmer", "spider"] {
        let output = temp_file(&format!("{chart}.svg"), "");
        let run = oncourse(&["plot", chart, &patient, "-o", &output]);
        assert!(
            run.status.success(),
            "{chart}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let svg = std::fs::read_to_string(&output).unwrap();
        assert!(
            svg.starts_with("<svg") && svg.contains(">P7</text>"),
            "{chart}: {svg}"
        );
    }
    let output = temp_file("km.svg", "");
    let run = oncourse(&[
        "plot",
        "km",
        &survival_data("waltons.csv"),
        "--time",
        "T",
        "--event",
        "E",
        "--group",
        "group",
        "-o",
        &output,
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let svg = std::fs::read_to_string(&output).unwrap();
    // R survdiff on waltons: p = 2.0e-28.
    assert!(svg.contains("log-rank p &lt; 0.001"), "{svg}");
    assert!(svg.contains(">miR-137</text>") && svg.contains(">control</text>"));
}
