//! Whole-course scenarios evaluated through the engine with the shipped protocols: a record
//! (the case files of `tests/data/case-files/scenarios/`, each saying what happens in its
//! header) → CTCAE grades → episodes → recommendations and deviations.
//!
//! Every expected date, action, dose level and rule id below was derived by hand, not by running
//! the code, from two texts:
//! - CTCAE v5.0 (NCI, 2017): Hypertension grade 3 "Adult: Systolic BP >=160 mm Hg" (grade 1
//!   "Systolic BP 120 - 139 mm Hg" / "diastolic BP 80 - 89 mm Hg"; below both, grade 0);
//!   Proteinuria grade 3 "Adult: Urinary protein >=3.5 g/24 hrs", grade 1 "1+ proteinuria";
//!   haemorrhage and dermatitis grades are the clinician's.
//! - The protocol files: `protocols/anlotinib.toml` (12 mg d1–14 q21d; ladder 12 → 10 → 8 mg;
//!   hypertension and proteinuria grade 3 → hold until grade ≤ 1, resume one level lower;
//!   haemorrhage grade 2 → hold, resume one level lower if grade ≤ 1 within 14 days, otherwise
//!   discontinue; pre-cycle platelets and neutrophils within 3 days, blood pressure ≤ grade 2
//!   within 7 days) and `protocols/radiation-dermatitis.toml` (dermatitis grade 2–3 dressings,
//!   grade 3 notify, grade 3–4 debridement with PRP, grade 4 radiotherapy break until ≤ grade 2).
//!
//! The course: anlotinib from Monday 2024-01-01, so cycle 1 runs 01-01 to 01-21 (doses 01-01 to
//! 01-14), cycle 1 day 8 is 01-08 and cycle 2 starts 01-22.

mod common;

use std::fs;

use chrono::{Days, NaiveDate};
use common::{assess_text, day, dosing_deviations, root, summary};
use oncourse_engine::Assessment;
use oncourse_tox::protocol::{DeviationKind, RecommendedAction};

use RecommendedAction::{Discontinue, Hold, Notify, RadiotherapyBreak, Resume, SupportiveCare};

/// The text of `tests/data/case-files/scenarios/<name>.toml`.
fn scenario(name: &str) -> String {
    let path = root().join(format!("tests/data/case-files/scenarios/{name}.toml"));
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Assesses a scenario's text as of a date with the anlotinib protocol.
fn anlotinib(name: &str, text: &str, as_of: &str) -> Assessment {
    assess_text(&format!("{name}.toml"), text, as_of, &["anlotinib"])
}

/// The pre-cycle deviations as (date, rule id).
fn pre_cycle_deviations(assessment: &Assessment) -> Vec<(NaiveDate, &str)> {
    assessment
        .deviations
        .iter()
        .filter(|d| d.kind == DeviationKind::CycleStartedWithoutPreCycleValue)
        .map(|d| (d.date, d.rule_id.as_deref().unwrap_or_default()))
        .collect()
}

#[test]
fn hypertension_grade_3_holds_and_resumes_one_level_lower_at_grade_1() {
    let assessment = anlotinib(
        "hypertension-grade-3",
        &scenario("hypertension-grade-3"),
        "2024-01-20",
    );
    assert_eq!(
        summary(&assessment),
        vec![
            (day("2024-01-08"), Hold, "hypertension-g3-hold", None),
            (
                day("2024-01-15"),
                Resume,
                "hypertension-g3-hold",
                Some(10.0)
            ),
        ]
    );
    let hold = &assessment.recommendations[0].reason;
    assert!(hold.contains("165/95 mm[Hg]"), "{hold}");
    assert!(hold.contains("Adult: Systolic BP >=160 mm Hg"), "{hold}");
    // The episode runs from 01-08; grade 1 is still hypertension, so it has not resolved.
    let episodes: Vec<_> = assessment
        .adverse_events
        .iter()
        .map(|e| (e.term.as_str(), e.onset, e.worst_grade, e.resolved))
        .collect();
    assert_eq!(episodes, vec![("Hypertension", day("2024-01-08"), 3, None)]);
    // The record followed the protocol: no dosing deviation. Cycle 1 had its blood pressure
    // (grade 0 on 01-01) but no platelet or neutrophil count in the 3 days before it.
    assert_eq!(dosing_deviations(&assessment), vec![]);
    assert_eq!(
        pre_cycle_deviations(&assessment),
        vec![
            (day("2024-01-01"), "pre-cycle-platelets"),
            (day("2024-01-01"), "pre-cycle-neutrophils"),
        ]
    );
}

#[test]
fn dosing_through_a_hypertension_hold_is_a_deviation() {
    // The same course without the recorded hold and reduction: the doses of 01-08 to 01-14
    // (cycle 1 days 8–14) are given while the protocol holds.
    let text = scenario("hypertension-grade-3")
        .replace(
            r#"  { id = "hold", date = 2024-01-08, regimen = "anlotinib", resume = 2024-01-15, reason = "hypertension grade 3" },
"#,
            "",
        )
        .replace(
            r#"  { id = "to-10", date = 2024-01-15, regimen = "anlotinib", dose = "10 mg", reason = "one level lower" },
"#,
            "",
        );
    assert!(!text.contains("id = \"hold\""));
    let assessment = anlotinib("hypertension-grade-3", &text, "2024-01-20");
    let expected: Vec<_> = (0..7)
        .map(|offset| {
            (
                day("2024-01-08") + Days::new(offset),
                DeviationKind::DosingWhileHeld,
            )
        })
        .collect();
    assert_eq!(dosing_deviations(&assessment), expected);
    assert!(
        assessment
            .deviations
            .iter()
            .all(|d| d.kind != DeviationKind::DosingWhileHeld
                || d.rule_id.as_deref() == Some("hypertension-g3-hold"))
    );
}

#[test]
fn proteinuria_grade_3_from_24_hour_urine_then_dipstick_1_plus() {
    let assessment = anlotinib(
        "proteinuria-grade-3",
        &scenario("proteinuria-grade-3"),
        "2024-01-25",
    );
    assert_eq!(
        summary(&assessment),
        vec![
            (day("2024-01-08"), Hold, "proteinuria-g3-hold", None),
            (day("2024-01-19"), Resume, "proteinuria-g3-hold", Some(10.0)),
        ]
    );
    assert!(
        assessment.recommendations[0]
            .reason
            .contains("3.6 g/(24.h)")
    );
    assert!(assessment.recommendations[1].reason.contains("1+"));
    let episode = &assessment.adverse_events[0];
    let grades: Vec<_> = episode.inputs.iter().map(|i| (i.date, i.grade)).collect();
    assert_eq!(grades, vec![(day("2024-01-08"), 3), (day("2024-01-19"), 1)]);
    // Cycle 2 starts on time on 01-22 at 10 mg, the protocol's level: no dosing deviation.
    assert_eq!(dosing_deviations(&assessment), vec![]);
}

#[test]
fn dipstick_4_plus_is_proteinuria_grade_3() {
    let text = scenario("proteinuria-grade-3").replace(
        "value = \"3.6 g/(24.h)\"\nreference_high = \"0.15 g/(24.h)\"",
        "value = \"4+\"",
    );
    assert!(text.contains("value = \"4+\""));
    let assessment = anlotinib("proteinuria-grade-3", &text, "2024-01-25");
    assert_eq!(
        summary(&assessment)[0],
        (day("2024-01-08"), Hold, "proteinuria-g3-hold", None)
    );
    assert!(
        assessment.recommendations[0]
            .reason
            .contains("4+ proteinuria")
    );
}

#[test]
fn haemorrhage_grade_2_resolving_within_2_weeks_resumes_one_level_lower() {
    let name = "haemorrhage-resolved-within-2-weeks";
    let assessment = anlotinib(name, &scenario(name), "2024-01-25");
    assert_eq!(
        summary(&assessment),
        vec![
            (day("2024-01-08"), Hold, "haemorrhage-g2-hold", None),
            // Resolved after 7 days (< 14): resume one level lower.
            (day("2024-01-15"), Resume, "haemorrhage-g2-hold", Some(10.0)),
        ]
    );
    assert!(
        assessment.recommendations[0]
            .reason
            .contains("within 14 days (by 2024-01-22), otherwise discontinue")
    );
    assert_eq!(
        assessment.adverse_events[0].resolved,
        Some(day("2024-01-15"))
    );
    assert_eq!(dosing_deviations(&assessment), vec![]);
}

#[test]
fn haemorrhage_grade_2_not_resolved_within_2_weeks_discontinues() {
    let name = "haemorrhage-not-resolved-within-2-weeks";
    let assessment = anlotinib(name, &scenario(name), "2024-02-05");
    assert_eq!(
        summary(&assessment),
        vec![
            (day("2024-01-08"), Hold, "haemorrhage-g2-hold", None),
            // The deadline is 01-08 + 14 days = 01-22; still grade 2 the day after: discontinue.
            // The resolution on 01-29 comes after the discontinuation and resumes nothing.
            (day("2024-01-23"), Discontinue, "haemorrhage-g2-hold", None),
        ]
    );
    assert!(
        assessment.recommendations[1]
            .reason
            .contains("not back to grade <= 1 within 14 days")
    );
    assert_eq!(dosing_deviations(&assessment), vec![]);
}

#[test]
fn radiation_dermatitis_grade_3_then_4_during_radiotherapy() {
    let assessment = assess_text(
        "radiation-dermatitis-grade-3-then-4.toml",
        &scenario("radiation-dermatitis-grade-3-then-4"),
        "2024-01-19",
        &["radiation-dermatitis"],
    );
    assert_eq!(
        summary(&assessment),
        vec![
            // Grade 3: dressings (MASCC 2023), notify (local), debridement with PRP (case report);
            // no break at grade 3.
            (
                day("2024-01-10"),
                SupportiveCare,
                "dermatitis-g2-3-dressing",
                None
            ),
            (day("2024-01-10"), Notify, "dermatitis-g3-notify", None),
            (
                day("2024-01-10"),
                SupportiveCare,
                "ulcer-g3-4-debridement-prp",
                None
            ),
            // Grade 4: break until ≤ grade 2 (local), notify, debridement.
            (
                day("2024-01-15"),
                RadiotherapyBreak,
                "dermatitis-g4-break",
                None
            ),
            (day("2024-01-15"), Notify, "dermatitis-g4-notify", None),
            (
                day("2024-01-15"),
                SupportiveCare,
                "ulcer-g3-4-debridement-prp",
                None
            ),
        ]
    );
    assert!(
        assessment
            .recommendations
            .iter()
            .all(|r| r.target == "radiotherapy")
    );
    // The fractions of 01-11 and 01-12 (grade 3, no break) are not deviations; 01-16 is.
    let deviations: Vec<_> = assessment
        .deviations
        .iter()
        .map(|d| (d.date, d.kind, d.rule_id.as_deref()))
        .collect();
    assert_eq!(
        deviations,
        vec![(
            day("2024-01-16"),
            DeviationKind::RadiotherapyDuringBreak,
            Some("dermatitis-g4-break")
        )]
    );
}
