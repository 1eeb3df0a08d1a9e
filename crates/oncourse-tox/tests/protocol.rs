//! The protocol language: the shipped protocols validate, bad files report every problem with
//! its position, and scenario courses produce the recommendations and deviations the protocol
//! text says (expected actions read from `protocols/anlotinib.toml` and the issue's scenarios).

use chrono::{Days, NaiveDate};
use oncourse_tox::protocol::{
    DeviationKind, DrugState, Evaluation, EventKind, Protocol, ProtocolEvent, RecommendedAction,
    Source, evaluate, parse_protocol,
};

const ANLOTINIB: &str = include_str!("../../../protocols/anlotinib.toml");
const RADIATION_DERMATITIS: &str = include_str!("../../../protocols/radiation-dermatitis.toml");

fn anlotinib() -> Protocol {
    parse_protocol("protocols/anlotinib.toml", ANLOTINIB).unwrap()
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn plus(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap()
}

fn graded(date: NaiveDate, term: &str, grade: u8) -> ProtocolEvent {
    ProtocolEvent {
        date,
        kind: EventKind::Graded {
            term: term.to_owned(),
            grade,
            facts: format!("{term} observed"),
        },
    }
}

fn cycle(date: NaiveDate, number: u32) -> ProtocolEvent {
    ProtocolEvent {
        date,
        kind: EventKind::CycleStart { cycle: number },
    }
}

fn dose(date: NaiveDate, dose_mg: f64) -> ProtocolEvent {
    ProtocolEvent {
        date,
        kind: EventKind::Administration { dose_mg },
    }
}

/// Three cycles started with normal pre-cycle counts and blood pressure, from 2022-07-01.
fn three_cycles() -> Vec<ProtocolEvent> {
    let start = day("2022-07-01");
    let mut events = Vec::new();
    for number in 0..3u32 {
        let cycle_start = plus(start, 21 * u64::from(number));
        let before = plus(cycle_start, 0);
        events.push(graded(before, "Platelet count decreased", 0));
        events.push(graded(before, "Neutrophil count decreased", 0));
        events.push(graded(before, "Hypertension", 1));
        events.push(cycle(cycle_start, number + 1));
    }
    events
}

fn actions(evaluation: &Evaluation) -> Vec<(NaiveDate, RecommendedAction, Option<f64>, String)> {
    evaluation
        .recommendations
        .iter()
        .filter(|recommendation| recommendation.action != RecommendedAction::Notify)
        .map(|recommendation| {
            (
                recommendation.date,
                recommendation.action,
                recommendation.dose_mg,
                recommendation.rule_id.clone(),
            )
        })
        .collect()
}

fn state_on(evaluation: &Evaluation, date: NaiveDate) -> (DrugState, Option<f64>) {
    let status = evaluation
        .days
        .iter()
        .find(|status| status.date == date)
        .unwrap();
    (status.state, status.dose_level_mg)
}

#[test]
fn the_shipped_protocols_validate_and_every_rule_has_a_source() {
    let anlotinib = anlotinib();
    assert_eq!(
        anlotinib.dose_levels.as_ref().unwrap().levels_mg,
        vec![12.0, 10.0, 8.0]
    );
    assert!(anlotinib.rules.len() >= 12);
    let dermatitis =
        parse_protocol("protocols/radiation-dermatitis.toml", RADIATION_DERMATITIS).unwrap();
    for rule in anlotinib.rules.iter().chain(&dermatitis.rules) {
        match &rule.source {
            Source::Local => {}
            Source::Citation(citation) => assert!(citation.len() > 20, "{}", rule.id),
        }
    }
    // "hemorrhage" expands to every CTCAE haemorrhage term.
    let haemorrhage = anlotinib
        .rules
        .iter()
        .find(|rule| rule.id == "haemorrhage-g2-hold")
        .unwrap();
    assert!(
        haemorrhage
            .terms
            .iter()
            .any(|term| term == "Tumor hemorrhage")
    );
    assert!(haemorrhage.terms.iter().any(|term| term == "Epistaxis"));
}

#[test]
fn every_problem_of_a_file_is_reported_with_its_position() {
    let text = r#"[protocol]
id = "broken"
treatment = "anlotinib"
colour = "blue"

[dose_levels]
levels_mg = [12, 14, 8]
source = "label"

[[rule]]
id = "a"
terms = ["Platelets low"]
grades = [3]
action = "hold"
resume_when_grade_at_most = 1
resume_at = "next_level"
source = "local"

[[rule]]
id = "b"
terms = ["Hypertension"]
grades = [7]
action = "notify"
care = "x"
"#;
    let errors = parse_protocol("broken.toml", text).unwrap_err();
    assert_eq!(
        errors.to_string(),
        [
            "broken.toml:1:1: protocol.title: missing required field",
            "broken.toml:4:1: protocol.colour: unknown field, expected one of: id, title, treatment, notes",
            "broken.toml:7:13: dose_levels.levels_mg: expected positive doses in mg, strictly decreasing from the starting level, got [12, 14, 8]",
            "broken.toml:12:10: rule[0].terms[0]: \"Platelets low\" is not a CTCAE v5.0 term",
            "broken.toml:16:13: rule[0].resume_at: expected same_level or next_lower_level, got \"next_level\"",
            "broken.toml:19:1: rule[1].whom: missing required field",
            "broken.toml:19:1: rule[1].source: missing required field",
            "broken.toml:22:10: rule[1].grades: expected CTCAE grades 1 to 5, got [7]",
            "broken.toml:24:8: rule[1].care: not used by action \"notify\"",
        ]
        .join("\n")
    );
}

#[test]
fn a_syntax_error_has_its_position() {
    let errors = parse_protocol("bad.toml", "[protocol\nid = 1\n").unwrap_err();
    assert_eq!(
        errors.to_string(),
        "bad.toml:1:10: (syntax): unclosed table, expected `]`"
    );
}

#[test]
fn platelets_grade_3_three_times_step_down_the_ladder_then_discontinue() {
    let protocol = anlotinib();
    let cycle_3_day_8 = plus(day("2022-08-12"), 7);
    let mut events = three_cycles();
    events.extend([
        graded(cycle_3_day_8, "Platelet count decreased", 3),
        graded(plus(cycle_3_day_8, 7), "Platelet count decreased", 1),
        graded(plus(cycle_3_day_8, 14), "Platelet count decreased", 3),
        graded(plus(cycle_3_day_8, 21), "Platelet count decreased", 0),
        graded(plus(cycle_3_day_8, 28), "Platelet count decreased", 4),
    ]);
    let evaluation = evaluate(&protocol, &events, plus(cycle_3_day_8, 30));
    assert_eq!(
        actions(&evaluation),
        vec![
            (
                cycle_3_day_8,
                RecommendedAction::Hold,
                None,
                "platelets-g3-4-hold".to_owned()
            ),
            (
                plus(cycle_3_day_8, 7),
                RecommendedAction::Resume,
                Some(10.0),
                "platelets-g3-4-hold".to_owned()
            ),
            (
                plus(cycle_3_day_8, 14),
                RecommendedAction::Hold,
                None,
                "platelets-g3-4-hold".to_owned()
            ),
            (
                plus(cycle_3_day_8, 21),
                RecommendedAction::Resume,
                Some(8.0),
                "platelets-g3-4-hold".to_owned()
            ),
            (
                plus(cycle_3_day_8, 28),
                RecommendedAction::Discontinue,
                None,
                "anlotinib-lowest-level-not-tolerated".to_owned()
            ),
        ]
    );
    assert_eq!(
        state_on(&evaluation, plus(cycle_3_day_8, 1)),
        (DrugState::Held, Some(12.0))
    );
    assert_eq!(
        state_on(&evaluation, plus(cycle_3_day_8, 8)),
        (DrugState::Active, Some(10.0))
    );
    assert_eq!(
        state_on(&evaluation, plus(cycle_3_day_8, 29)),
        (DrugState::Discontinued, None)
    );
    let hold = &evaluation.recommendations[0];
    assert_eq!(hold.source, Source::Local);
    assert!(
        hold.reason.contains("Platelet count decreased grade 3"),
        "{}",
        hold.reason
    );
    assert!(
        evaluation.deviations.is_empty(),
        "{:?}",
        evaluation.deviations
    );
}

#[test]
fn grade_3_hypertension_and_proteinuria_hold_then_resume_one_level_lower() {
    let protocol = anlotinib();
    for term in ["Hypertension", "Proteinuria"] {
        let onset = day("2022-07-08");
        let mut events = three_cycles();
        events.extend([graded(onset, term, 3), graded(plus(onset, 5), term, 1)]);
        let evaluation = evaluate(&protocol, &events, plus(onset, 6));
        let actions = actions(&evaluation);
        assert_eq!(actions[0].1, RecommendedAction::Hold, "{term}");
        assert_eq!(
            actions[1],
            (
                plus(onset, 5),
                RecommendedAction::Resume,
                Some(10.0),
                actions[0].3.clone()
            )
        );
    }
}

#[test]
fn grade_2_haemorrhage_that_resolves_within_2_weeks_resumes_lower() {
    let protocol = anlotinib();
    let onset = day("2022-07-10");
    let mut events = three_cycles();
    events.extend([
        graded(onset, "Tumor hemorrhage", 2),
        graded(plus(onset, 14), "Tumor hemorrhage", 1),
    ]);
    let evaluation = evaluate(&protocol, &events, plus(onset, 20));
    assert_eq!(
        actions(&evaluation),
        vec![
            (
                onset,
                RecommendedAction::Hold,
                None,
                "haemorrhage-g2-hold".to_owned()
            ),
            (
                plus(onset, 14),
                RecommendedAction::Resume,
                Some(10.0),
                "haemorrhage-g2-hold".to_owned()
            ),
            // Grade 1 itself says "keep the dose", at the new level.
            (
                plus(onset, 14),
                RecommendedAction::Continue,
                Some(10.0),
                "haemorrhage-g1-continue".to_owned()
            ),
        ]
    );
}

#[test]
fn grade_2_haemorrhage_that_does_not_resolve_within_2_weeks_stops_the_drug() {
    let protocol = anlotinib();
    let onset = day("2022-07-10");
    let mut events = three_cycles();
    events.extend([
        graded(onset, "Tumor hemorrhage", 2),
        graded(plus(onset, 7), "Tumor hemorrhage", 2),
        graded(plus(onset, 20), "Tumor hemorrhage", 1),
    ]);
    let evaluation = evaluate(&protocol, &events, plus(onset, 25));
    assert_eq!(
        actions(&evaluation),
        vec![
            (
                onset,
                RecommendedAction::Hold,
                None,
                "haemorrhage-g2-hold".to_owned()
            ),
            (
                plus(onset, 15),
                RecommendedAction::Discontinue,
                None,
                "haemorrhage-g2-hold".to_owned()
            ),
        ]
    );
    assert!(matches!(
        evaluation.recommendations[0].source,
        Source::Citation(_)
    ));
    assert_eq!(state_on(&evaluation, plus(onset, 14)).0, DrugState::Held);
    assert_eq!(
        state_on(&evaluation, plus(onset, 15)).0,
        DrugState::Discontinued
    );
}

#[test]
fn deviations_are_flagged() {
    let protocol = anlotinib();
    let start = day("2022-07-01");
    let events = vec![
        // Cycle 1 starts with no pre-cycle values at all.
        cycle(start, 1),
        dose(start, 12.0),
        graded(plus(start, 3), "Platelet count decreased", 3),
        // Dosed while held.
        dose(plus(start, 4), 12.0),
        graded(plus(start, 6), "Platelet count decreased", 1),
        // Resumed at 10 mg, but 12 mg given.
        dose(plus(start, 7), 12.0),
        dose(plus(start, 8), 10.0),
    ];
    let evaluation = evaluate(&protocol, &events, plus(start, 10));
    let kinds: Vec<DeviationKind> = evaluation
        .deviations
        .iter()
        .map(|deviation| deviation.kind)
        .collect();
    assert_eq!(
        kinds,
        vec![
            DeviationKind::CycleStartedWithoutPreCycleValue,
            DeviationKind::CycleStartedWithoutPreCycleValue,
            DeviationKind::CycleStartedWithoutPreCycleValue,
            DeviationKind::DosingWhileHeld,
            DeviationKind::DoseAboveCurrentLevel,
        ]
    );
    assert_eq!(
        evaluation.deviations[4].description,
        "12 mg given above the current level of 10 mg"
    );
}

#[test]
fn grade_4_radiation_dermatitis_breaks_radiotherapy_until_grade_2() {
    let protocol =
        parse_protocol("protocols/radiation-dermatitis.toml", RADIATION_DERMATITIS).unwrap();
    let onset = day("2022-06-01");
    let events = vec![
        graded(onset, "Dermatitis radiation", 4),
        ProtocolEvent {
            date: plus(onset, 1),
            kind: EventKind::RadiotherapyFraction,
        },
        graded(plus(onset, 10), "Dermatitis radiation", 2),
    ];
    let evaluation = evaluate(&protocol, &events, plus(onset, 11));
    let all: Vec<(RecommendedAction, String)> = evaluation
        .recommendations
        .iter()
        .map(|recommendation| (recommendation.action, recommendation.rule_id.clone()))
        .collect();
    assert_eq!(
        all,
        vec![
            (
                RecommendedAction::RadiotherapyBreak,
                "dermatitis-g4-break".to_owned()
            ),
            (RecommendedAction::Notify, "dermatitis-g4-notify".to_owned()),
            (
                RecommendedAction::SupportiveCare,
                "ulcer-g3-4-debridement-prp".to_owned()
            ),
            (
                RecommendedAction::ResumeRadiotherapy,
                "dermatitis-g4-break".to_owned()
            ),
            (
                RecommendedAction::SupportiveCare,
                "dermatitis-g1-2-skin-care".to_owned()
            ),
            (
                RecommendedAction::SupportiveCare,
                "dermatitis-g2-3-dressing".to_owned()
            ),
        ]
    );
    assert_eq!(
        evaluation.deviations[0].kind,
        DeviationKind::RadiotherapyDuringBreak
    );
}

mod order_independence {
    use super::*;
    use proptest::prelude::*;

    fn event_strategy() -> impl Strategy<Value = ProtocolEvent> {
        let start = day("2022-07-01");
        let terms = prop::sample::select(vec![
            "Platelet count decreased",
            "Hypertension",
            "Tumor hemorrhage",
            "Proteinuria",
        ]);
        (0u64..40, 0u8..6, terms, 0u8..4).prop_map(move |(offset, grade, term, kind)| {
            let date = plus(start, offset);
            match kind {
                0 | 1 => graded(date, term, grade.min(4)),
                2 => cycle(date, u32::from(grade) + 1),
                _ => dose(date, [8.0, 10.0, 12.0][usize::from(grade % 3)]),
            }
        })
    }

    proptest! {
        /// A replay does not depend on the order the events are handed over in.
        #[test]
        fn evaluation_is_independent_of_input_order(
            events in prop::collection::vec(event_strategy(), 1..25),
            seed in any::<u64>(),
        ) {
            let protocol = anlotinib();
            let mut shuffled = events.clone();
            // A deterministic shuffle from the seed (Fisher-Yates with an LCG).
            let mut state = seed;
            for index in (1..shuffled.len()).rev() {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let other = (state >> 33) as usize % (index + 1);
                shuffled.swap(index, other);
            }
            let through = day("2022-08-20");
            prop_assert_eq!(evaluate(&protocol, &events, through), evaluate(&protocol, &shuffled, through));
        }
    }
}

mod adverse_event_episodes {
    use super::*;
    use oncourse_tox::episodes::{Episode, episodes};

    #[test]
    fn episodes_have_onset_worst_grade_and_resolution() {
        let start = day("2022-08-15");
        let events = vec![
            graded(start, "Platelet count decreased", 0),
            graded(plus(start, 7), "Platelet count decreased", 3),
            graded(plus(start, 10), "Platelet count decreased", 4),
            graded(plus(start, 14), "Platelet count decreased", 1),
            graded(plus(start, 21), "Platelet count decreased", 0),
            graded(plus(start, 28), "Platelet count decreased", 2),
            graded(plus(start, 3), "Hypertension", 2),
            cycle(start, 3),
        ];
        assert_eq!(
            episodes(&events),
            vec![
                Episode {
                    term: "Hypertension".to_owned(),
                    onset: plus(start, 3),
                    worst_grade: 2,
                    worst_on: plus(start, 3),
                    resolved: None,
                    gradings: 1,
                },
                Episode {
                    term: "Platelet count decreased".to_owned(),
                    onset: plus(start, 7),
                    worst_grade: 4,
                    worst_on: plus(start, 10),
                    resolved: Some(plus(start, 21)),
                    gradings: 4,
                },
                Episode {
                    term: "Platelet count decreased".to_owned(),
                    onset: plus(start, 28),
                    worst_grade: 2,
                    worst_on: plus(start, 28),
                    resolved: None,
                    gradings: 1,
                },
            ]
        );
    }
}
