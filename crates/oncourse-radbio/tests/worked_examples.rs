//! Published worked examples (`tests/data/radbio/worked-examples.toml`, described in
//! `tests/data/README.md`): each test names the example id it reproduces and reads the inputs
//! and expected numbers from the file.

use oncourse_radbio::tissues;
use oncourse_radbio::{
    AlphaBeta, CourseOptions, DoseResponseModel, Phase, Repopulation, TimeCorrection,
    dose_per_fraction_for_bed, evaluate_course, phase_bed_gy, reirradiation_headroom,
};
use toml::Table;

fn examples() -> Vec<Table> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/radbio/worked-examples.toml"
    );
    let text = std::fs::read_to_string(path).expect("worked-examples.toml is in the repository");
    let mut file: Table = toml::from_str(&text).expect("worked-examples.toml parses");
    match file.remove("example") {
        Some(toml::Value::Array(items)) => items
            .into_iter()
            .map(|item| item.try_into().expect("each example is a table"))
            .collect(),
        _ => panic!("worked-examples.toml has no [[example]]"),
    }
}

fn example(id: &str) -> Table {
    examples()
        .into_iter()
        .find(|e| e["id"].as_str() == Some(id))
        .unwrap_or_else(|| panic!("no example {id}"))
}

fn number(table: &Table, section: &str, key: &str) -> f64 {
    let value = &table[section][key];
    value
        .as_float()
        .or_else(|| value.as_integer().map(|i| i as f64))
        .unwrap_or_else(|| panic!("{section}.{key} is not a number: {value}"))
}

/// Every example of kind "bed" with a dose per fraction, fractions and α/β (Nieder et al. 2006).
#[test]
fn published_bed_examples() {
    let bed_examples: Vec<Table> = examples()
        .into_iter()
        .filter(|e| {
            e["kind"].as_str() == Some("bed") && e["inputs"].get("dose_per_fraction_gy").is_some()
        })
        .collect();
    assert!(bed_examples.len() >= 2);
    for e in bed_examples {
        let d = number(&e, "inputs", "dose_per_fraction_gy");
        let n = number(&e, "inputs", "n_fractions") as u32;
        let ab = AlphaBeta::new(number(&e, "inputs", "alpha_beta_gy")).unwrap();
        let bed = phase_bed_gy(&Phase::new(d, n).unwrap(), ab, DoseResponseModel::Lq);
        assert!(
            (bed - number(&e, "expected", "bed_gy")).abs() < 1e-9,
            "{}: {bed}",
            e["id"]
        );
    }
}

/// TDF Plan make-up course (Jones & Dale 2008 illustration): 30 × 2 Gy intended (72.0 Gy10),
/// 26 delivered (62.4 Gy10); the missing BED over the 4 remaining fractions is 2.0 Gy each.
#[test]
fn make_up_course_inverse_solve() {
    let e = example("tdfplan-makeup-72-gy10");
    let ab = AlphaBeta::new(number(&e, "inputs", "alpha_beta_gy")).unwrap();
    let intended = phase_bed_gy(&Phase::new(2.0, 30).unwrap(), ab, DoseResponseModel::Lq);
    let delivered = phase_bed_gy(&Phase::new(2.0, 26).unwrap(), ab, DoseResponseModel::Lq);
    assert!((intended - number(&e, "inputs", "intended_bed_gy")).abs() < 1e-9);
    assert!((delivered - number(&e, "inputs", "delivered_bed_gy")).abs() < 1e-9);
    let missing = intended - delivered;
    assert!((missing - number(&e, "expected", "bed_to_make_up_gy")).abs() < 1e-9);
    let n = number(&e, "expected", "makeup_n_fractions") as u32;
    let d = dose_per_fraction_for_bed(missing, n, ab, DoseResponseModel::Lq).unwrap();
    assert!((d - 2.0).abs() < 1e-9, "{d}");
}

/// LQ-L with the tangent continuation (Astrahan 2008 as restated by Voyant & Julian): with
/// dT = 2·α/β the slope above dT is γ/α = 5; at α/β 3, dT 6, one 10 Gy fraction is 38.0 Gy3
/// (18 + 5·4), against 43.33 Gy3 by plain LQ.
#[test]
fn lql_tangent_continuation() {
    let e = example("lql-tangent-continuation-formula");
    let slope = number(
        &e,
        "expected",
        "gamma_over_alpha_when_dt_equals_2_alpha_beta",
    );
    let ab = AlphaBeta::new(3.0).unwrap();
    let model = DoseResponseModel::lql(6.0).unwrap();
    let bed = |d: f64| phase_bed_gy(&Phase::new(d, 1).unwrap(), ab, model);
    assert!((bed(10.0) - 38.0).abs() < 1e-9);
    assert!((bed(11.0) - bed(10.0) - slope).abs() < 1e-9);
    assert!((bed(6.0) - 18.0).abs() < 1e-9);
    let lq = phase_bed_gy(&Phase::new(10.0, 1).unwrap(), ab, DoseResponseModel::Lq);
    assert!((lq - 130.0 / 3.0).abs() < 1e-9);
}

/// Doi et al. 2021: a first course of EQD2 50 Gy to the cord, 50 % recovery assumed, a limit of
/// 50 Gy EQD2 leaves a second course of 25 Gy EQD2.
#[test]
fn spinal_cord_reirradiation_with_recovery() {
    let e = example("doi-2021-spinal-cord-recovery-rule");
    let ab = AlphaBeta::new(number(&e, "inputs", "alpha_beta_gy")).unwrap();
    let prior = number(&e, "inputs", "first_course_eqd2_gy");
    let recovery = number(&e, "inputs", "recovery_fraction_at_12_months");
    let headroom = reirradiation_headroom(prior, prior, recovery, ab).unwrap();
    assert!(
        (headroom.remaining_eqd2_gy - number(&e, "expected", "second_course_eqd2_gy")).abs() < 1e-9
    );
    // The same in BED of α/β 2: 25 · (1 + 2/2) = 50.
    assert!((headroom.remaining_bed_gy - 50.0).abs() < 1e-9);
    let limit_factor = number(&e, "expected", "tolerance_factor_at_12_months");
    assert!((prior * limit_factor - (prior + headroom.remaining_eqd2_gy)).abs() < 1e-9);
}

/// Withers et al. 1988: after a lag of 28 days, about 0.6 Gy (in 2 Gy fractions) per day is lost
/// to repopulation in head-and-neck SCC. 70 Gy in 35 fractions over 46 days loses 18 days × 0.6
/// = 10.8 Gy EQD2; in BED10, 12.96 Gy.
#[test]
fn head_and_neck_time_factor() {
    let e = example("withers-1988-hn-repopulation-rate");
    let tk = number(&e, "inputs", "kickoff_days");
    let k_eqd2 = number(&e, "expected", "dose_increment_gy_per_day");
    let tissue = tissues::get("head-neck-scc").unwrap();
    let published = tissue
        .repopulation
        .as_ref()
        .expect("head-neck-scc has repopulation")
        .parameters;
    assert_eq!(published.kickoff_days(), tk);
    let ab = tissue.alpha_beta;
    let computed = Repopulation::from_daily_eqd2_loss(tk, k_eqd2, ab).unwrap();
    assert_eq!(computed, published);
    let options = CourseOptions {
        model: DoseResponseModel::Lq,
        time_correction: Some(TimeCorrection {
            repopulation: published,
            overall_time_days: 46.0,
        }),
    };
    let course = evaluate_course(&[Phase::new(2.0, 35).unwrap()], ab, &options).unwrap();
    assert!((course.repopulation_bed_loss_gy.unwrap() - 12.96).abs() < 1e-9);
    assert!((course.eqd2_gy - (70.0 - 10.8)).abs() < 1e-9);
    // Before the kick-off time nothing is lost.
    let short = CourseOptions {
        model: DoseResponseModel::Lq,
        time_correction: Some(TimeCorrection {
            repopulation: published,
            overall_time_days: 25.0,
        }),
    };
    let course = evaluate_course(&[Phase::new(2.0, 20).unwrap()], ab, &short).unwrap();
    assert_eq!(course.repopulation_bed_loss_gy, Some(0.0));
    assert!((course.eqd2_gy - 40.0).abs() < 1e-9);
}

/// Cancer Care Ontario 2017 (lung SBRT): BED10 ≥ 100 recommended, > 146 avoided. Checked values
/// of common schedules: 54 Gy/3 → 151.2; 48 Gy/4 → 105.6; 60 Gy/8 → 105.0.
#[test]
fn lung_sbrt_bed10_thresholds() {
    let e = example("cco-2017-sbrt-bed10-thresholds");
    let minimum = number(&e, "expected", "recommended_bed10_min_gy");
    let avoid_above = number(&e, "expected", "avoid_bed10_above_gy");
    let ab = AlphaBeta::new(number(&e, "inputs", "alpha_beta_gy")).unwrap();
    let bed = |d: f64, n: u32| phase_bed_gy(&Phase::new(d, n).unwrap(), ab, DoseResponseModel::Lq);
    assert!((bed(18.0, 3) - 151.2).abs() < 1e-9 && bed(18.0, 3) > avoid_above);
    assert!((bed(12.0, 4) - 105.6).abs() < 1e-9 && bed(12.0, 4) >= minimum);
    assert!((bed(7.5, 8) - 105.0).abs() < 1e-9 && bed(7.5, 8) >= minimum);
}
