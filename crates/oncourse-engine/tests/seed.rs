//! The seed case end to end, and `as_of`, against the independent reference calendar
//! (`tests/data/calendar/reference_calendar.py`, outputs `seed-as-of-*.json`) and the published
//! LQ arithmetic (Fowler 1989: BED = Σ d(1 + d/(α/β)), EQD2 = BED/(1 + 2/(α/β))).

use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use oncourse_engine::{AssessOptions, Assessment, assess};
use oncourse_model::case_file::parse_case_file;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn seed_as_of(as_of: &str) -> Assessment {
    let text = fs::read_to_string(root().join("examples/popliteal-lms.toml")).unwrap();
    let record = parse_case_file("popliteal-lms.toml", &text).unwrap();
    let mut options = AssessOptions::new(as_of.parse::<NaiveDate>().unwrap());
    options.tissue_ids = [
        "generic-early",
        "large-vessels",
        "leiomyosarcoma",
        "skin-late-telangiectasia",
    ]
    .map(String::from)
    .to_vec();
    assess(&record, &options).unwrap()
}

fn reference(as_of: &str) -> Value {
    let path = root().join(format!("tests/data/calendar/seed-as-of-{as_of}.json"));
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn close(actual: f64, expected: f64) {
    assert!((actual - expected).abs() < 1e-9, "{actual} != {expected}");
}

/// Compares the drug and RT calendars with the reference script's output.
fn check_against_reference(as_of: &str) {
    let a = seed_as_of(as_of);
    let r = reference(as_of);
    let rt = a.radiotherapy.as_ref().unwrap();
    assert_eq!(
        u64::from(rt.fractions_delivered),
        r["radiotherapy"]["fractions_delivered"].as_u64().unwrap()
    );
    close(
        rt.physical_gy,
        r["radiotherapy"]["physical_gy"].as_f64().unwrap(),
    );
    assert_eq!(
        rt.overall_treatment_time_days,
        r["radiotherapy"]["overall_treatment_time_days"].as_i64()
    );
    for t in &rt.tissues {
        let key = format!("{:?}", t.alpha_beta_gy);
        let expected = &r["radiotherapy"]["eqd2_gy"][&key];
        close(t.bed_gy, expected["bed_gy"].as_f64().unwrap());
        close(t.eqd2_gy, expected["eqd2_gy"].as_f64().unwrap());
    }
    let expected_drugs = r["drug"].as_array().unwrap();
    assert_eq!(a.drugs.len(), expected_drugs.len());
    for (calendar, expected) in a.drugs.iter().zip(expected_drugs) {
        let actual = serde_json::to_value(&calendar.cycles).unwrap();
        assert_eq!(actual, expected["cycles"], "cycles as of {as_of}");
        close(
            calendar.total_delivered_mg,
            expected["total_delivered_mg"].as_f64().unwrap(),
        );
        match expected["relative_dose_intensity"].as_f64() {
            Some(rdi) => close(calendar.relative_dose_intensity.unwrap(), rdi),
            None => assert_eq!(calendar.relative_dose_intensity, None),
        }
    }
}

#[test]
fn seed_matches_the_reference_calendar_at_every_checkpoint() {
    for as_of in ["2022-06-01", "2022-09-01", "2022-10-01", "2023-11-23"] {
        check_against_reference(as_of);
    }
}

#[test]
fn seed_stage_and_radiotherapy_at_the_end_of_follow_up() {
    let a = seed_as_of("2023-11-23");
    let stage = serde_json::to_value(a.stage.as_ref().unwrap()).unwrap();
    // AJCC 8th ed. ch. 41: 8 cm → T2; N0 M0 G3 → IIIA (tests/data/staging).
    assert_eq!(stage["t"], "T2");
    assert_eq!(stage["n"], "N0");
    assert_eq!(stage["m"], "M0");
    assert_eq!(stage["grade"], 3);
    assert_eq!(stage["group"], "IIIA");
    let rt = a.radiotherapy.as_ref().unwrap();
    // The report: 400 cGy × 10 + 700 cGy × 3, cumulative 6100 cGy, 13 fractions.
    assert_eq!((rt.fractions_planned, rt.fractions_delivered), (13, 13));
    close(rt.physical_gy, 61.0);
    // Fowler's formula by hand: α/β 10 → BED 56 + 35.7 = 91.7, EQD2 91.7 / 1.2 = 76.42 Gy;
    // α/β 3 → BED 93.33 + 70 = 163.33, EQD2 163.33 / (5/3) = 98.0 Gy.
    let tissue = |id: &str| rt.tissues.iter().find(|t| t.tissue == id).unwrap();
    close(tissue("generic-early").bed_gy, 91.7);
    assert!((tissue("generic-early").eqd2_gy - 76.42).abs() < 0.005);
    assert!((tissue("large-vessels").eqd2_gy - 98.0).abs() < 1e-9);
    // Weekday IMRT with no fraction on Friday 2022-06-03; elapsed time 05-23 → 06-13 = 21 days.
    let imrt = &rt.phases[0];
    assert_eq!(
        imrt.interruptions,
        vec!["2022-06-03".parse::<NaiveDate>().unwrap()]
    );
    assert_eq!(rt.overall_treatment_time_days, Some(21));
    // Ten weekdays from Monday 2022-05-23 end on Friday 2022-06-03; the holiday moved the
    // tenth fraction to Monday 2022-06-06: three calendar days later.
    assert_eq!(
        imrt.planned_last_fraction,
        Some("2022-06-03".parse::<NaiveDate>().unwrap())
    );
    assert_eq!(imrt.prolongation_days, Some(3));
    // The SRT boost is every other weekday by plan: no interruptions are reported for it.
    assert!(rt.phases[1].interruptions.is_empty());
}

#[test]
fn seed_drug_calendar_phased_reductions() {
    let a = seed_as_of("2023-11-23");
    let drug = a.drug.as_ref().unwrap();
    let levels: Vec<(u32, Option<usize>)> = drug
        .cycles
        .iter()
        .take(8)
        .map(|c| (c.cycle, c.dose_level))
        .collect();
    // 12 mg for cycles 1–2, 10 mg from the delayed cycle 3, 8 mg from cycle 7.
    assert_eq!(
        levels,
        vec![
            (1, Some(0)),
            (2, Some(0)),
            (3, Some(1)),
            (4, Some(1)),
            (5, Some(1)),
            (6, Some(1)),
            (7, Some(2)),
            (8, Some(2))
        ]
    );
    assert_eq!(drug.cycles[2].delayed_days, 7);
}

#[test]
fn as_of_hides_later_facts() {
    // On 2022-06-01 eight IMRT fractions were given (05-23..05-27, 05-30, 05-31, 06-01); the
    // boost, the ulcer and anlotinib lie in the future.
    let a = seed_as_of("2022-06-01");
    let rt = a.radiotherapy.as_ref().unwrap();
    assert_eq!(rt.fractions_delivered, 8);
    close(rt.physical_gy, 32.0);
    assert_eq!(rt.phases.len(), 1, "the boost phase starts 2022-06-08");
    assert!(a.drug.is_none());
    let as_of: NaiveDate = "2022-06-01".parse().unwrap();
    assert!(a.timeline.iter().all(|e| e.date <= as_of));
    assert!(!a.timeline.iter().any(|e| e.kind == "adverse_event"));
    // On 2022-09-01 the platelet hold has started but its resume date is not yet known.
    let a = seed_as_of("2022-09-01");
    let hold = a
        .timeline
        .iter()
        .find(|e| e.id.0 == "hold-platelets")
        .unwrap();
    assert_eq!(hold.end, None);
    let drug = a.drug.as_ref().unwrap();
    assert_eq!(drug.cycles.len(), 2);
    assert_eq!(
        drug.relative_dose_intensity,
        Some(1.0),
        "cycle 1 was complete and on time"
    );
}

mod order_independence {
    use super::*;
    use oncourse_model::{Fact, Record};
    use proptest::prelude::*;

    fn seed_facts() -> Vec<Fact> {
        let text = fs::read_to_string(root().join("examples/popliteal-lms.toml")).unwrap();
        parse_case_file("popliteal-lms.toml", &text)
            .unwrap()
            .facts()
            .to_vec()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        // Invariant: the assessment does not depend on the order facts were written in; only
        // the order of same-date lines in the timeline may follow the input.
        #[test]
        fn shuffled_facts_give_the_same_assessment(facts in Just(seed_facts()).prop_shuffle()) {
            let options = AssessOptions::new("2023-11-23".parse().unwrap());
            let reference = assess(&Record::new(seed_facts()), &options).unwrap();
            let shuffled = assess(&Record::new(facts), &options).unwrap();
            prop_assert_eq!(&shuffled.stage, &reference.stage);
            prop_assert_eq!(&shuffled.radiotherapy, &reference.radiotherapy);
            prop_assert_eq!(&shuffled.drugs, &reference.drugs);
            let mut a: Vec<String> = shuffled.timeline.iter().map(|e| format!("{e:?}")).collect();
            let mut b: Vec<String> = reference.timeline.iter().map(|e| format!("{e:?}")).collect();
            a.sort();
            b.sort();
            prop_assert_eq!(a, b);
        }
    }
}
