//! Toxicity surveillance end to end: records graded with CTCAE v5.0 and replayed with the
//! shipped protocols (`protocols/anlotinib.toml`, `protocols/radiation-dermatitis.toml`).
//!
//! Every expected value below was worked out by hand from two independent texts: the CTCAE v5.0
//! bands (NCI, 2017; e.g. platelet count decreased grade 3 is "<50.0 - 25.0 x 10e9 /L", grade 1
//! "<LLN - 75.0 x 10e9 /L"; neutrophil count decreased grade 3 "<1.0 - 0.5 x 10e9 /L", grade 1
//! "<LLN - 1.5 x 10e9 /L"; anaemia grade 1 "Hgb <LLN - 10.0 g/dL") and the rules of the protocol
//! files (their local haematological rules: grade 3–4 platelets or neutrophils → hold until
//! grade ≤ 1, resume one level lower on the ladder 12 → 10 → 8 mg, notify the treating
//! oncologist; pre-cycle platelets and neutrophils ≤ grade 1 within 3 days, blood pressure
//! ≤ grade 2 within 7 days; the dermatitis protocol acts on skin ulceration only at grade 3–4).

mod common;

use std::fs;

use common::{assess_text, day, dosing_deviations, observations_case, root, summary};
use oncourse_engine::{Assessment, GradeSource};
use oncourse_model::adverse_event::Attribution;
use oncourse_tox::protocol::{DeviationKind, RecommendedAction, Source};

fn seed(protocols: &[&str]) -> Assessment {
    let text = fs::read_to_string(root().join("examples/popliteal-lms.toml")).unwrap();
    assess_text("popliteal-lms.toml", &text, "2023-11-23", protocols)
}

#[test]
fn seed_adverse_events_are_graded_from_its_labs_and_clinician_grades() {
    // Without protocols the episodes are there, and nothing is recommended.
    let assessment = seed(&[]);
    assert!(assessment.recommendations.is_empty());
    assert!(assessment.deviations.is_empty());
    assert!(assessment.protocols.is_empty());
    let episodes: Vec<_> = assessment
        .adverse_events
        .iter()
        .map(|e| {
            (
                e.term.as_str(),
                e.onset,
                e.worst_grade,
                e.resolved,
                e.attribution,
            )
        })
        .collect();
    assert_eq!(
        episodes,
        vec![
            // Hb 112 g/L with LLN 115 g/L: CTCAE grade 1 (<LLN - 100 g/L); no later value.
            ("Anemia", day("2022-07-29"), 1, None, None),
            // ANC 0.9 × 10⁹/L: grade 3; the clinician's resolution on 2022-12-09 closes it.
            (
                "Neutrophil count decreased",
                day("2022-11-28"),
                3,
                Some(day("2022-12-09")),
                Some(Attribution::Drug)
            ),
            // Platelets 46 × 10⁹/L: grade 3; resolved 2022-09-16 by the clinician.
            (
                "Platelet count decreased",
                day("2022-08-29"),
                3,
                Some(day("2022-09-16")),
                Some(Attribution::Drug)
            ),
            // The ulcer is graded by the clinician (G2), resolved 2022-07-26.
            (
                "Skin ulceration",
                day("2022-06-14"),
                2,
                Some(day("2022-07-26")),
                Some(Attribution::Radiotherapy)
            ),
        ]
    );
    let platelets = &assessment.adverse_events[2];
    let sources: Vec<_> = platelets
        .inputs
        .iter()
        .map(|i| (i.date, i.fact.0.as_str(), i.source, i.grade))
        .collect();
    assert_eq!(
        sources,
        vec![
            (day("2022-08-29"), "plt-c2d8", GradeSource::Observation, 3),
            (
                day("2022-08-29"),
                "thrombocytopenia",
                GradeSource::Clinician,
                3
            ),
            (
                day("2022-09-16"),
                "thrombocytopenia",
                GradeSource::Resolution,
                0
            ),
            // 98 × 10⁹/L with LLN 125: grade 1 (<LLN - 75.0).
            (
                day("2022-09-16"),
                "plt-recovery",
                GradeSource::Observation,
                1
            ),
        ]
    );
    assert!(platelets.inputs[0].facts.contains("46 10*9/L"));
    assert!(platelets.inputs[0].facts.contains("<50.0 - 25.0 x 10e9 /L"));
}

#[test]
fn seed_with_both_protocols() {
    let assessment = seed(&["anlotinib", "radiation-dermatitis"]);
    assert_eq!(
        assessment.protocols,
        vec!["anlotinib".to_owned(), "radiation-dermatitis".to_owned()]
    );
    use RecommendedAction::{Hold, Notify, Resume};
    assert_eq!(
        summary(&assessment),
        vec![
            // C2D8 platelets 46 × 10⁹/L = grade 3: hold, notify (the clinician's same-day G3
            // restates the lab and does not fire the rules a second time).
            (day("2022-08-29"), Hold, "platelets-g3-4-hold", None),
            (day("2022-08-29"), Notify, "haematological-g3-notify", None),
            // 98 × 10⁹/L = grade 1 ≤ 1: resume one level lower, 12 → 10 mg.
            (day("2022-09-16"), Resume, "platelets-g3-4-hold", Some(10.0)),
            // C6D8 ANC 0.9 × 10⁹/L = grade 3: hold, notify.
            (day("2022-11-28"), Hold, "neutrophils-g3-4-hold", None),
            (day("2022-11-28"), Notify, "haematological-g3-notify", None),
            // ANC 1.7 × 10⁹/L = grade 1: resume one level lower, 10 → 8 mg.
            (
                day("2022-12-09"),
                Resume,
                "neutrophils-g3-4-hold",
                Some(8.0)
            ),
        ]
    );
    // Every one of them is a local rule, and says so.
    assert!(
        assessment
            .recommendations
            .iter()
            .all(|r| r.source == Source::Local && r.target == "anlotinib")
    );
    assert!(
        assessment.recommendations[0]
            .reason
            .contains("platelets 46 10*9/L")
    );
    // The G2 ulcer fires no dermatitis rule (they start at grade 3 for skin ulceration).
    // The record's holds and reductions follow the recommendations (later, never earlier), so the
    // only deviations are missing pre-cycle values: the illustrative labs are sparse and no
    // blood pressure is recorded. Cycles start 2022-08-01, then every 21 days, with cycle 3
    // delayed to 2022-09-19 and cycle 7 to 2022-12-12 by the holds: 23 cycles by 2023-11-23.
    assert!(
        assessment
            .deviations
            .iter()
            .all(|d| d.kind == DeviationKind::CycleStartedWithoutPreCycleValue)
    );
    let count = |rule: &str| {
        assessment
            .deviations
            .iter()
            .filter(|d| d.rule_id.as_deref() == Some(rule))
            .count()
    };
    // Blood pressure: none before any of the 23 cycles.
    assert_eq!(count("pre-cycle-blood-pressure"), 23);
    // Platelets: present for cycle 1 (2022-07-29) and cycle 3 (2022-09-16) only.
    assert_eq!(count("pre-cycle-platelets"), 21);
    // Neutrophils: present for cycle 1 (2022-07-29) and cycle 7 (2022-12-09) only.
    assert_eq!(count("pre-cycle-neutrophils"), 21);
    assert_eq!(assessment.deviations.len(), 65);
}

/// A woman of 70 on anlotinib from Monday 2024-01-01, 12 mg d1–14 q21d on the ladder
/// 12 → 10 → 8 mg: the case file of both scenarios up to their holds, dose changes and stops
/// (which follow in its `[drug]` table).
const ON_ANLOTINIB: &str = r#"
[patient]
id = "p"
date = 2024-01-01
sex = "female"
age_years = 70

[drug]
regimen = [
  { id = "anlotinib", date = 2024-01-01, agent = "anlotinib", route = "oral", dose_levels = ["12 mg", "10 mg", "8 mg"], days_on = 14, cycle_length_days = 21 },
]
"#;

/// Cycle 3 starts 2024-02-12, so cycle 3 day 8 is 2024-02-19. Platelets fall to 45 × 10⁹/L
/// that day (CTCAE grade 3, "<50.0 - 25.0"); the team holds only from 2024-02-21, so the doses
/// of 02-19 and 02-20 are given while the protocol holds. Platelets 80 × 10⁹/L on 02-26 (grade
/// 1, "<LLN - 75.0" with LLN 125): the protocol resumes one level lower, at 10 mg. Cycle 4
/// starts on time on 2024-03-04 at 10 mg.
fn scenario() -> String {
    [
        r#"format = "oncourse-case/1"
observation = [
  { id = "plt-c3d8", date = 2024-02-19, name = "platelets", loinc = "777-3", value = "45 10*9/L", reference_low = "125 10*9/L", reference_high = "350 10*9/L" },
  { id = "plt-recovery", date = 2024-02-26, name = "platelets", loinc = "777-3", value = "80000 /uL", reference_low = "125000 /uL", reference_high = "350000 /uL" },
]
"#,
        ON_ANLOTINIB,
        r#"hold = [
  { id = "hold", date = 2024-02-21, regimen = "anlotinib", resume = 2024-03-04, reason = "platelets grade 3" },
]
dose_change = [
  { id = "to-10", date = 2024-03-04, regimen = "anlotinib", dose = "10 mg", reason = "one level lower after grade 3 thrombocytopenia" },
]
"#,
    ]
    .concat()
}

#[test]
fn platelets_grade_3_on_cycle_3_day_8_hold_then_resume_at_10_mg() {
    let assessment = assess_text("scenario.toml", &scenario(), "2024-03-10", &["anlotinib"]);
    use RecommendedAction::{Hold, Notify, Resume};
    assert_eq!(
        summary(&assessment),
        vec![
            (day("2024-02-19"), Hold, "platelets-g3-4-hold", None),
            (day("2024-02-19"), Notify, "haematological-g3-notify", None),
            (day("2024-02-26"), Resume, "platelets-g3-4-hold", Some(10.0)),
        ]
    );
    // 80000 /uL is 80 × 10⁹/L: the grade reads the unit.
    assert!(assessment.recommendations[2].reason.contains("80000 /uL"));
    assert!(assessment.recommendations[2].reason.contains("grade 1"));
    // Dosing while held: C3D8 and C3D9, before the recorded hold. A result known on a day
    // governs that day's dose (oncourse-tox's same-day order).
    assert_eq!(
        dosing_deviations(&assessment),
        vec![
            (day("2024-02-19"), DeviationKind::DosingWhileHeld),
            (day("2024-02-20"), DeviationKind::DosingWhileHeld),
        ]
    );
    let episode = &assessment.adverse_events[0];
    assert_eq!(
        (
            episode.term.as_str(),
            episode.onset,
            episode.worst_grade,
            episode.resolved
        ),
        ("Platelet count decreased", day("2024-02-19"), 3, None)
    );
}

#[test]
fn resuming_at_the_old_dose_is_a_deviation() {
    // The same course without the reduction: cycle 4 (2024-03-04 to 03-10 by the as-of date)
    // is given at 12 mg although the protocol's level is 10 mg since 02-26.
    let scenario = scenario();
    let text = scenario.replace(
        r#"  { id = "to-10", date = 2024-03-04, regimen = "anlotinib", dose = "10 mg", reason = "one level lower after grade 3 thrombocytopenia" },
"#,
        "",
    );
    assert_ne!(text, scenario);
    let assessment = assess_text("scenario.toml", &text, "2024-03-10", &["anlotinib"]);
    let mut expected = vec![
        (day("2024-02-19"), DeviationKind::DosingWhileHeld),
        (day("2024-02-20"), DeviationKind::DosingWhileHeld),
    ];
    for offset in 0..7 {
        expected.push((
            day("2024-03-04") + chrono::Days::new(offset),
            DeviationKind::DoseAboveCurrentLevel,
        ));
    }
    assert_eq!(dosing_deviations(&assessment), expected);
}

/// The scenario continued: cycle 4 (from 2024-03-04 at 10 mg) day 8, 03-11, platelets
/// 40 × 10⁹/L (grade 3) → hold, held the same day; 03-22 90 000 /uL (grade 1) → resume one level
/// lower, 8 mg; cycle 5 from 03-25 at 8 mg; day 8, 04-01, platelets 30 × 10⁹/L (grade 3) at the
/// lowest level → discontinue (the label's limit: 8 mg not tolerated), stopped the same day.
fn scenario_to_discontinuation() -> String {
    [
        r#"format = "oncourse-case/1"
observation = [
  { id = "plt-c3d8", date = 2024-02-19, name = "platelets", loinc = "777-3", value = "45 10*9/L", reference_low = "125 10*9/L" },
  { id = "plt-c3-recovery", date = 2024-02-26, name = "platelets", loinc = "777-3", value = "80 10*9/L", reference_low = "125 10*9/L" },
  { id = "plt-c4d8", date = 2024-03-11, name = "platelets", loinc = "777-3", value = "40 10*9/L", reference_low = "125 10*9/L" },
  { id = "plt-c4-recovery", date = 2024-03-22, name = "platelets", loinc = "777-3", value = "90000 /uL", reference_low = "125000 /uL" },
  { id = "plt-c5d8", date = 2024-04-01, name = "platelets", loinc = "777-3", value = "30 10*9/L", reference_low = "125 10*9/L" },
]
"#,
        ON_ANLOTINIB,
        r#"hold = [
  { id = "hold-1", date = 2024-02-19, regimen = "anlotinib", resume = 2024-03-04, reason = "platelets grade 3" },
  { id = "hold-2", date = 2024-03-11, regimen = "anlotinib", resume = 2024-03-25, reason = "platelets grade 3" },
]
dose_change = [
  { id = "to-10", date = 2024-03-04, regimen = "anlotinib", dose = "10 mg", reason = "one level lower" },
  { id = "to-8", date = 2024-03-25, regimen = "anlotinib", dose = "8 mg", reason = "one level lower" },
]
stop = [
  { id = "stop", date = 2024-04-01, regimen = "anlotinib", reason = "8 mg not tolerated" },
]
"#,
    ]
    .concat()
}

#[test]
fn again_to_8_mg_and_again_to_discontinuation() {
    let assessment = assess_text(
        "scenario.toml",
        &scenario_to_discontinuation(),
        "2024-04-10",
        &["anlotinib"],
    );
    use RecommendedAction::{Discontinue, Hold, Notify, Resume};
    assert_eq!(
        summary(&assessment),
        vec![
            (day("2024-02-19"), Hold, "platelets-g3-4-hold", None),
            (day("2024-02-19"), Notify, "haematological-g3-notify", None),
            (day("2024-02-26"), Resume, "platelets-g3-4-hold", Some(10.0)),
            (day("2024-03-11"), Hold, "platelets-g3-4-hold", None),
            (day("2024-03-11"), Notify, "haematological-g3-notify", None),
            (day("2024-03-22"), Resume, "platelets-g3-4-hold", Some(8.0)),
            (
                day("2024-04-01"),
                Discontinue,
                "anlotinib-lowest-level-not-tolerated",
                None
            ),
            (day("2024-04-01"), Notify, "haematological-g3-notify", None),
        ]
    );
    // The discontinuation rests on the label, not on a local rule.
    assert_ne!(assessment.recommendations[6].source, Source::Local);
    // Every hold, reduction and the stop was recorded on the day the protocol asked for or
    // later, never dosing through a hold or above the level: no dosing deviation.
    assert_eq!(dosing_deviations(&assessment), vec![]);
    // One episode, not three: the recoveries are CTCAE grade 1 (below the LLN), still an adverse
    // event, and no value came back into the normal range, so it runs from 02-19, worst grade 3.
    let platelets: Vec<_> = assessment
        .adverse_events
        .iter()
        .map(|e| (e.onset, e.worst_grade, e.resolved, e.inputs.len()))
        .collect();
    assert_eq!(platelets, vec![(day("2024-02-19"), 3, None, 5)]);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Whatever the count on cycle 3 day 8, the protocol holds exactly when CTCAE calls it grade
    /// ≥ 3 (below 50.0 × 10⁹/L) and an episode opens exactly when it is below the LLN (125).
    #[test]
    fn hold_iff_grade_3_and_episode_iff_below_lln(tenths in 1u32..2000) {
        let value = f64::from(tenths) / 10.0;
        let text = scenario().replace(
            r#"value = "45 10*9/L""#,
            &format!(r#"value = "{value} 10*9/L""#),
        );
        let assessment = assess_text("scenario.toml", &text, "2024-02-25", &["anlotinib"]);
        let held = assessment
            .recommendations
            .iter()
            .any(|r| r.action == RecommendedAction::Hold && r.date == day("2024-02-19"));
        proptest::prop_assert_eq!(held, value < 50.0);
        proptest::prop_assert_eq!(!assessment.adverse_events.is_empty(), value < 125.0);
    }
}

#[test]
fn observations_that_cannot_be_graded_for_one_reason_share_one_note() {
    // CTCAE grades anaemia against the LLN ("Hgb <LLN - 10.0 g/dL"), so a haemoglobin without a
    // reference range cannot be graded. Four such values give one note naming the first three
    // facts; a lone one keeps its own note.
    let hemoglobin = |id, date| (id, date, "hemoglobin", "718-7", "120 g/L".to_owned());
    let text = observations_case(&[
        hemoglobin("hb-1", "2024-01-01"),
        hemoglobin("hb-2", "2024-01-08"),
        hemoglobin("hb-3", "2024-01-15"),
        hemoglobin("hb-4", "2024-01-22"),
        (
            "plt-1",
            "2024-01-03",
            "platelets",
            "777-3",
            "200 10*9/L".to_owned(),
        ),
    ]);
    let assessment = assess_text("not-graded.toml", &text, "2024-02-01", &[]);
    let not_graded: Vec<&str> = assessment
        .notes
        .iter()
        .map(String::as_str)
        .filter(|note| note.contains("not graded"))
        .collect();
    assert_eq!(not_graded.len(), 2, "{not_graded:#?}");
    assert!(
        not_graded[0].starts_with(
            "4 observations of hemoglobin (2024-01-01 to 2024-01-22; facts hb-1, hb-2, hb-3, …): not graded: "
        ),
        "{}",
        not_graded[0]
    );
    assert!(
        not_graded[1].starts_with("observation plt-1 (platelets on 2024-01-03): not graded: "),
        "{}",
        not_graded[1]
    );
}

#[test]
fn daily_stool_counts_grade_diarrhoea_over_the_first_count() {
    // CTCAE v5.0 Diarrhea: grade 1 "Increase of <4 stools per day over baseline", grade 2
    // "Increase of 4 - 6", grade 3 "Increase of >=7". Baseline 1/d (the first count, LOINC
    // 9253-6): 4/d is +3 → 1, 6/d is +5 → 2, 9/d is +8 → 3, 1/d again → 0.
    let stools =
        |id, date, count: u32| (id, date, "stools per day", "9253-6", format!("{count} /d"));
    let text = observations_case(&[
        stools("st-0", "2024-01-01", 1),
        stools("st-1", "2024-01-05", 4),
        stools("st-2", "2024-01-06", 6),
        stools("st-3", "2024-01-07", 9),
        stools("st-4", "2024-01-12", 1),
    ]);
    let assessment = assess_text("stools.toml", &text, "2024-02-01", &[]);
    let episode = assessment
        .adverse_events
        .iter()
        .find(|e| e.term == "Diarrhea")
        .expect("a diarrhoea episode");
    assert_eq!(episode.onset, day("2024-01-05"));
    assert_eq!(
        (episode.worst_grade, episode.worst_on),
        (3, day("2024-01-07"))
    );
    assert_eq!(episode.resolved, Some(day("2024-01-12")));
    let grades: Vec<u8> = episode.inputs.iter().map(|input| input.grade).collect();
    assert_eq!(grades, vec![1, 2, 3, 0]);
}
