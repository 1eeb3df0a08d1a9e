//! Kaplan–Meier, log-rank and Cox against R survival 3.5 and lifelines 0.30 on datasets
//! those packages ship. The reference files and the scripts that wrote them are in
//! `tests/data/survival/` (see `tests/data/README.md`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use oncourse_outcome::survival::{
    ConfidenceTransform, CoxOptions, KaplanMeierOptions, SurvivalData, Ties,
    cox_proportional_hazards, kaplan_meier, logrank, logrank_stratified,
};
use serde_json::Value;

const KM_TOLERANCE: f64 = 1e-6;
const COX_TOLERANCE: f64 = 1e-5;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/survival")
}

/// A CSV file as columns of strings (the test files have no quoting).
fn read_csv(name: &str) -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(data_dir().join(name)).expect("dataset present");
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    let mut columns: BTreeMap<String, Vec<String>> =
        header.iter().map(|h| (h.clone(), Vec::new())).collect();
    for line in lines.filter(|l| !l.is_empty()) {
        for (h, v) in header.iter().zip(line.split(',')) {
            columns.get_mut(h).unwrap().push(v.to_string());
        }
    }
    columns
}

fn numbers(column: &[String]) -> Vec<f64> {
    column.iter().map(|v| v.parse().unwrap()).collect()
}

fn reference(name: &str) -> Value {
    let text = std::fs::read_to_string(data_dir().join(name)).expect("reference present");
    serde_json::from_str(&text).unwrap()
}

fn floats(v: &Value) -> Vec<Option<f64>> {
    v.as_array().unwrap().iter().map(Value::as_f64).collect()
}

fn assert_close(what: &str, got: f64, expected: f64, relative: f64) {
    let scale = expected.abs().max(1e-300);
    assert!(
        (got - expected).abs() <= relative * scale || got == expected,
        "{what}: got {got}, expected {expected} (relative tolerance {relative})"
    );
}

fn assert_close_optional(what: &str, got: Option<f64>, expected: Option<f64>, relative: f64) {
    match (got, expected) {
        (Some(g), Some(e)) => assert_close(what, g, e, relative),
        (None, None) => {}
        _ => panic!("{what}: got {got:?}, expected {expected:?}"),
    }
}

/// The survival data of one dataset, optionally one subgroup.
fn dataset(
    name: &str,
    subset: Option<(&str, &str)>,
) -> (SurvivalData, BTreeMap<String, Vec<String>>) {
    let mut columns = read_csv(&format!("{name}.csv"));
    if let Some((column, value)) = subset {
        let keep: Vec<bool> = columns[column].iter().map(|v| v == value).collect();
        for values in columns.values_mut() {
            let mut k = keep.iter();
            values.retain(|_| *k.next().unwrap());
        }
    }
    let (time, event) = match name {
        "rossi" => ("week", "arrest"),
        "waltons" => ("T", "E"),
        _ => ("time", "status"),
    };
    let data = SurvivalData::new(
        numbers(&columns[time]),
        numbers(&columns[event]).iter().map(|e| *e == 1.0).collect(),
    )
    .unwrap();
    (data, columns)
}

fn km_cases() -> Vec<(&'static str, SurvivalData)> {
    vec![
        ("rossi", dataset("rossi", None).0),
        (
            "waltons_control",
            dataset("waltons", Some(("group", "control"))).0,
        ),
        (
            "waltons_mir137",
            dataset("waltons", Some(("group", "miR-137"))).0,
        ),
        ("veterans", dataset("veterans", None).0),
    ]
}

fn check_km_against_r(
    case: &str,
    data: &SurvivalData,
    conf_type: &str,
    transform: ConfidenceTransform,
) {
    let r = &reference("reference_r.json")["km"][case][conf_type];
    let fit = kaplan_meier(
        data,
        &KaplanMeierOptions {
            confidence_level: 0.95,
            transform,
        },
    );
    let steps = fit.steps();
    let times = floats(&r["times"]);
    assert_eq!(steps.len(), times.len(), "{case}: number of distinct times");
    let survival = floats(&r["survival"]);
    let lower = floats(&r["lower"]);
    let upper = floats(&r["upper"]);
    let n_at_risk = floats(&r["n_at_risk"]);
    for (k, step) in steps.iter().enumerate() {
        let what = format!("{case} {conf_type} t={}", step.time);
        assert_eq!(Some(step.time), times[k], "{what}: time");
        assert_eq!(
            Some(step.n_at_risk as f64),
            n_at_risk[k],
            "{what}: n at risk"
        );
        assert_close(&what, step.survival, survival[k].unwrap(), KM_TOLERANCE);
        assert_close_optional(&format!("{what} lower"), step.lower, lower[k], KM_TOLERANCE);
        assert_close_optional(&format!("{what} upper"), step.upper, upper[k], KM_TOLERANCE);
    }
    let median = fit.median();
    assert_close_optional(
        &format!("{case} median"),
        median.estimate,
        r["median"].as_f64(),
        KM_TOLERANCE,
    );
    let ci = floats(&r["median_ci"]);
    assert_close_optional(
        &format!("{case} median lower"),
        median.lower,
        ci[0],
        KM_TOLERANCE,
    );
    assert_close_optional(
        &format!("{case} median upper"),
        median.upper,
        ci[1],
        KM_TOLERANCE,
    );
    let at = &r["at"];
    for (k, t) in floats(&at["t"]).into_iter().enumerate() {
        let got = fit.survival_at(t.unwrap());
        let what = format!("{case} {conf_type} at {t:?}");
        assert_close(
            &what,
            got.survival,
            at["s"][k].as_f64().unwrap(),
            KM_TOLERANCE,
        );
        assert_close_optional(
            &format!("{what} lower"),
            got.lower,
            at["lower"][k].as_f64(),
            KM_TOLERANCE,
        );
        assert_close_optional(
            &format!("{what} upper"),
            got.upper,
            at["upper"][k].as_f64(),
            KM_TOLERANCE,
        );
        assert_eq!(
            got.n_at_risk as f64,
            at["n_at_risk"][k].as_f64().unwrap(),
            "{what}: n at risk"
        );
    }
}

#[test]
fn kaplan_meier_equals_r_survfit_for_all_three_interval_types() {
    for (case, data) in km_cases() {
        check_km_against_r(case, &data, "log-log", ConfidenceTransform::LogLog);
        check_km_against_r(case, &data, "log", ConfidenceTransform::Log);
        check_km_against_r(case, &data, "plain", ConfidenceTransform::Plain);
    }
}

#[test]
fn kaplan_meier_equals_lifelines() {
    let lifelines = reference("reference_lifelines.json");
    for (case, data) in km_cases() {
        let l = &lifelines["km"][case];
        let fit = kaplan_meier(&data, &KaplanMeierOptions::default());
        // lifelines prepends a row at time 0 (S = 1, interval 1–1) that R and oncourse omit.
        let survival = floats(&l["survival"]);
        let lower = floats(&l["lower"]);
        let upper = floats(&l["upper"]);
        for (k, step) in fit.steps().iter().enumerate() {
            let what = format!("{case} t={}", step.time);
            assert_close(&what, step.survival, survival[k + 1].unwrap(), KM_TOLERANCE);
            // Where S = 1 lifelines reports 1–1 and R (and oncourse) an undefined interval.
            if let (Some(lo), Some(hi)) = (step.lower, step.upper) {
                assert_close(
                    &format!("{what} lower"),
                    lo,
                    lower[k + 1].unwrap(),
                    KM_TOLERANCE,
                );
                assert_close(
                    &format!("{what} upper"),
                    hi,
                    upper[k + 1].unwrap(),
                    KM_TOLERANCE,
                );
            }
        }
        // An unreached median (lifelines: infinity) is null in the reference file.
        let finite = |v: Option<f64>| v.filter(|v| v.is_finite());
        let median = fit.median();
        assert_close_optional(
            &format!("{case} median"),
            median.estimate,
            finite(l["median"].as_f64()),
            KM_TOLERANCE,
        );
        let ci = floats(&l["median_ci"]);
        assert_close_optional(
            &format!("{case} median lower"),
            median.lower,
            finite(ci[0]),
            KM_TOLERANCE,
        );
        assert_close_optional(
            &format!("{case} median upper"),
            median.upper,
            finite(ci[1]),
            KM_TOLERANCE,
        );
    }
}

fn dense_groups(values: &[String]) -> Vec<usize> {
    let mut labels: Vec<&String> = values.iter().collect();
    labels.sort();
    labels.dedup();
    values
        .iter()
        .map(|v| labels.binary_search(&v).unwrap())
        .collect()
}

fn check_logrank(case: &str, statistic: f64, df: usize, p: f64) {
    for file in ["reference_r.json", "reference_lifelines.json"] {
        let r = &reference(file)["logrank"][case];
        assert_close(
            &format!("{file} {case} statistic"),
            statistic,
            r["statistic"].as_f64().unwrap(),
            KM_TOLERANCE,
        );
        assert_eq!(df as f64, r["df"].as_f64().unwrap(), "{file} {case} df");
        assert_close(
            &format!("{file} {case} p"),
            p,
            r["p"].as_f64().unwrap(),
            KM_TOLERANCE,
        );
    }
}

#[test]
fn logrank_equals_r_survdiff_and_lifelines() {
    for (case, name, time_group) in [
        ("waltons_group", "waltons", "group"),
        ("rossi_fin", "rossi", "fin"),
        ("veterans_celltype", "veterans", "celltype"),
    ] {
        let (data, columns) = dataset(name, None);
        let test = logrank(&data, &dense_groups(&columns[time_group])).unwrap();
        check_logrank(case, test.statistic, test.df, test.p_value);
    }
}

#[test]
fn stratified_logrank_equals_r_survdiff() {
    for (case, name, group, stratum) in [
        ("veterans_trt_by_celltype", "veterans", "trt", "celltype"),
        ("rossi_fin_by_race", "rossi", "fin", "race"),
    ] {
        let (data, columns) = dataset(name, None);
        let test = logrank_stratified(
            &data,
            &dense_groups(&columns[group]),
            &dense_groups(&columns[stratum]),
        )
        .unwrap();
        let r = &reference("reference_r.json")["logrank_stratified"][case];
        assert_close(
            &format!("{case} statistic"),
            test.statistic,
            r["statistic"].as_f64().unwrap(),
            KM_TOLERANCE,
        );
        assert_eq!(test.df as f64, r["df"].as_f64().unwrap());
        assert_close(
            &format!("{case} p"),
            test.p_value,
            r["p"].as_f64().unwrap(),
            KM_TOLERANCE,
        );
    }
}

fn check_cox(file: &str, section: &str, case: &str, ties: Ties) {
    let r = &reference(file)[section][case];
    let name = if case == "rossi" { "rossi" } else { "veterans" };
    let (data, columns) = dataset(name, None);
    let covariates: Vec<(String, Vec<f64>)> = r["covariates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let c = c.as_str().unwrap().to_string();
            let values = numbers(&columns[&c]);
            (c, values)
        })
        .collect();
    let fit = cox_proportional_hazards(
        &data,
        &covariates,
        &CoxOptions {
            ties,
            ..CoxOptions::default()
        },
    )
    .unwrap();
    let what = format!("{file} {section} {case}");
    for (field, got) in [
        ("coef", &fit.coef),
        ("se", &fit.se),
        ("hr", &fit.hazard_ratio),
        ("hr_lower", &fit.hazard_ratio_lower),
        ("hr_upper", &fit.hazard_ratio_upper),
        ("p", &fit.p_value),
    ] {
        for (k, expected) in floats(&r[field]).into_iter().enumerate() {
            assert_close(
                &format!("{what} {field}[{}]", fit.names[k]),
                got[k],
                expected.unwrap(),
                COX_TOLERANCE,
            );
        }
    }
    assert_close(
        &format!("{what} log-likelihood"),
        fit.log_likelihood,
        r["log_likelihood"].as_f64().unwrap(),
        COX_TOLERANCE,
    );
    assert_close(
        &format!("{what} LR"),
        fit.lr_statistic,
        r["lr_statistic"].as_f64().unwrap(),
        COX_TOLERANCE,
    );
    assert_close(
        &format!("{what} concordance"),
        fit.concordance,
        r["concordance"].as_f64().unwrap(),
        COX_TOLERANCE,
    );
}

#[test]
fn cox_efron_equals_r_coxph_and_lifelines() {
    for case in ["rossi", "veterans"] {
        check_cox("reference_r.json", "cox_efron", case, Ties::Efron);
        check_cox("reference_lifelines.json", "cox_efron", case, Ties::Efron);
    }
}

#[test]
fn cox_breslow_equals_r_coxph() {
    for case in ["rossi", "veterans"] {
        check_cox("reference_r.json", "cox_breslow", case, Ties::Breslow);
    }
}
