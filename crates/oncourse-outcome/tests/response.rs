//! RECIST 1.1, Choi, volumetric response and per-patient endpoints against the published
//! rules: every row of RECIST 1.1 Tables 1–3 (Eisenhauer et al., Eur J Cancer
//! 2009;45:228–247), the 30 %/20 % and 5 mm boundaries, nadir logic, nodes at CR, Choi et al.
//! J Clin Oncol 2007;25:1753 Table 1, and the FDA 2018 PFS censoring table. The expected
//! values are the tables' entries; the sums and percentages are hand arithmetic on the inputs.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Days, NaiveDate};
use oncourse_outcome::response::{
    CensoringReason, ChoiMeasurement, ConfirmationRules, EndpointRules, NonTargetStatus,
    RecistTimepoint, Response, ResponseRules, VolumetricThresholds, assess_recist,
    best_overall_response, choi_response, duration_of_response, ellipsoid_volume_mm3,
    overall_response, progression_free_survival, time_to_progression, volumetric_response,
};

use NonTargetStatus::{Absent, NotEvaluated, Present, Progressed};
use Response::{
    CompleteResponse as CR, NonCompleteNonProgressive as NN, NotEvaluable as NE,
    PartialResponse as PR, ProgressiveDisease as PD, StableDisease as SD,
};

fn day(n: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + Days::new(n)
}

#[test]
fn table_1_targets_with_or_without_non_targets_every_row() {
    let non_pd = [Some(CR), Some(NN), Some(NE), None];
    // (target, non-target, new lesions) → overall
    let mut rows = vec![
        (Some(CR), Some(CR), false, CR),
        (Some(CR), None, false, CR),
        (Some(CR), Some(NN), false, PR),
        (Some(CR), Some(NE), false, PR),
        (Some(NE), Some(NN), false, NE),
        (Some(NE), Some(CR), false, NE),
        (Some(NE), None, false, NE),
    ];
    for non_target in non_pd {
        rows.push((Some(PR), non_target, false, PR));
        rows.push((Some(SD), non_target, false, SD));
    }
    for target in [CR, PR, SD, PD, NE] {
        for new_lesions in [false, true] {
            rows.push((
                Some(PD),
                Some(target).filter(|t| *t != PR && *t != SD),
                new_lesions,
                PD,
            ));
            rows.push((Some(target), Some(PD), new_lesions, PD));
        }
        for non_target in non_pd {
            rows.push((Some(target), non_target, true, PD));
        }
    }
    for (target, non_target, new_lesions, expected) in rows {
        assert_eq!(
            overall_response(target, non_target, new_lesions),
            expected,
            "target {target:?}, non-target {non_target:?}, new {new_lesions}"
        );
    }
}

#[test]
fn table_2_non_targets_only_every_row() {
    for (non_target, new_lesions, expected) in [
        (CR, false, CR),
        (NN, false, NN),
        (NE, false, NE),
        (PD, false, PD),
        (PD, true, PD),
        (CR, true, PD),
        (NN, true, PD),
        (NE, true, PD),
    ] {
        assert_eq!(
            overall_response(None, Some(non_target), new_lesions),
            expected
        );
    }
}

/// One timepoint from (id, mm) targets and (id, status) non-targets.
fn timepoint(
    n: u64,
    targets: &[(&str, f64)],
    non_targets: &[(&str, NonTargetStatus)],
    new_lesions: bool,
) -> RecistTimepoint {
    RecistTimepoint {
        date: day(n),
        targets_mm: targets
            .iter()
            .map(|(id, mm)| (id.to_string(), *mm))
            .collect(),
        non_targets: non_targets
            .iter()
            .map(|(id, s)| (id.to_string(), *s))
            .collect::<BTreeMap<_, _>>(),
        new_lesions,
    }
}

/// The only caller of `assess_recist` in these tests: returns the timepoint responses,
/// sums and percent changes, and the best overall response without confirmation.
struct Assessed {
    responses: Vec<Option<Response>>,
    sums: Vec<Option<f64>>,
    from_baseline: Vec<Option<f64>>,
    from_nadir: Vec<Option<f64>>,
    best: Response,
}

fn check(timepoints: &[RecistTimepoint], nodal: &[&str]) -> Assessed {
    let nodal: BTreeSet<String> = nodal.iter().map(|s| s.to_string()).collect();
    let a = assess_recist(timepoints, &nodal, &ResponseRules::default()).unwrap();
    Assessed {
        responses: a.timepoints.iter().map(|t| t.response).collect(),
        sums: a.timepoints.iter().map(|t| t.sum_mm).collect(),
        from_baseline: a
            .timepoints
            .iter()
            .map(|t| t.change_from_baseline_pct)
            .collect(),
        from_nadir: a
            .timepoints
            .iter()
            .map(|t| t.change_from_nadir_pct)
            .collect(),
        best: a.best_overall_response,
    }
}

#[test]
fn partial_response_at_exactly_30_percent_and_not_just_above() {
    let a = check(
        &[
            timepoint(0, &[("L1", 60.0), ("L2", 40.0)], &[], false),
            timepoint(56, &[("L1", 42.0), ("L2", 28.01)], &[], false),
            timepoint(112, &[("L1", 42.0), ("L2", 28.0)], &[], false),
        ],
        &[],
    );
    assert_eq!(a.responses, [None, Some(SD), Some(PR)]);
    assert_eq!(a.sums, [Some(100.0), Some(70.01), Some(70.0)]);
    assert_eq!(a.from_baseline[2], Some(-30.0));
    assert_eq!(a.best, PR);
}

#[test]
fn progression_is_measured_from_the_nadir_at_exactly_20_percent() {
    // Sum 100 → 50 (nadir) → 59.99 (still PR against baseline) → 60 (+20 % and +10 mm over 50).
    let a = check(
        &[
            timepoint(0, &[("L1", 100.0)], &[], false),
            timepoint(56, &[("L1", 50.0)], &[], false),
            timepoint(112, &[("L1", 59.99)], &[], false),
            timepoint(168, &[("L1", 60.0)], &[], false),
        ],
        &[],
    );
    assert_eq!(a.responses, [None, Some(PR), Some(PR), Some(PD)]);
    assert_eq!(a.from_nadir[3], Some(20.0));
    assert_eq!(a.from_baseline[3], Some(-40.0));
    assert_eq!(a.best, PR);
}

#[test]
fn progression_needs_5_mm_absolute_increase() {
    // Nadir 10: 14.5 is +45 % but +4.5 mm (SD against baseline 20: −27.5 %); 15 is +5 mm.
    let a = check(
        &[
            timepoint(0, &[("L1", 20.0)], &[], false),
            timepoint(56, &[("L1", 10.0)], &[], false),
            timepoint(112, &[("L1", 14.5)], &[], false),
            timepoint(168, &[("L1", 15.0)], &[], false),
        ],
        &[],
    );
    assert_eq!(a.responses, [None, Some(PR), Some(SD), Some(PD)]);
    assert_eq!(a.from_nadir[2], Some(45.0));
}

#[test]
fn target_nodes_below_10_mm_short_axis_allow_complete_response() {
    let a = check(
        &[
            timepoint(0, &[("N1", 20.0), ("L1", 30.0)], &[], false),
            timepoint(56, &[("N1", 10.0), ("L1", 0.0)], &[], false),
            timepoint(112, &[("N1", 9.9), ("L1", 0.0)], &[], false),
        ],
        &["N1"],
    );
    // A 10 mm node is still pathological: PR (−80 %); at 9.9 mm it is normal: CR, sum 9.9.
    assert_eq!(a.responses, [None, Some(PR), Some(CR)]);
    assert_eq!(a.sums[2], Some(9.9));
    assert_eq!(a.best, CR);
}

#[test]
fn missing_target_is_not_evaluable_unless_the_rest_already_progressed() {
    let a = check(
        &[
            timepoint(0, &[("L1", 30.0), ("L2", 20.0)], &[], false),
            timepoint(56, &[("L1", 30.0)], &[], false),
            timepoint(112, &[("L1", 61.0)], &[], false),
        ],
        &[],
    );
    // 61 mm from L1 alone is > 20 % and > 5 mm over the nadir of 50.
    assert_eq!(a.responses, [None, Some(NE), Some(PD)]);
    assert_eq!(a.sums[1], None);
    assert_eq!(a.best, PD);
}

#[test]
fn non_target_and_new_lesion_logic() {
    let a = check(
        &[
            timepoint(
                0,
                &[("L1", 30.0)],
                &[("NT1", Present), ("NT2", Present)],
                false,
            ),
            timepoint(
                56,
                &[("L1", 0.0)],
                &[("NT1", Absent), ("NT2", Present)],
                false,
            ),
            timepoint(
                112,
                &[("L1", 0.0)],
                &[("NT1", Absent), ("NT2", Absent)],
                false,
            ),
            timepoint(168, &[("L1", 0.0)], &[("NT1", Absent)], false),
            timepoint(
                224,
                &[("L1", 0.0)],
                &[("NT1", Absent), ("NT2", Absent)],
                true,
            ),
        ],
        &[],
    );
    // CR + non-CR non-targets → PR; all gone → CR; a non-target not assessed → PR; new → PD.
    assert_eq!(a.responses, [None, Some(PR), Some(CR), Some(PR), Some(PD)]);
    let progressed = check(
        &[
            timepoint(0, &[("L1", 30.0)], &[("NT1", Present)], false),
            timepoint(56, &[("L1", 20.0)], &[("NT1", Progressed)], false),
        ],
        &[],
    );
    assert_eq!(progressed.responses[1], Some(PD));
    let non_target_only = check(
        &[
            timepoint(0, &[], &[("NT1", Present)], false),
            timepoint(56, &[], &[("NT1", Present)], false),
            timepoint(112, &[], &[("NT1", NotEvaluated)], false),
        ],
        &[],
    );
    assert_eq!(non_target_only.responses, [None, Some(NN), Some(NE)]);
    assert_eq!(non_target_only.best, NN);
}

#[test]
fn baseline_errors_name_the_lesion() {
    let nodal: BTreeSet<String> = ["N1".to_string()].into();
    let error = assess_recist(
        &[timepoint(0, &[("N1", 12.0)], &[], false)],
        &nodal,
        &ResponseRules::default(),
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        error,
        "baseline: target N1: expected a measurable lesion (>= 15 mm short axis, node), got 12 mm"
    );
    let error = assess_recist(
        &[
            timepoint(0, &[("L1", 12.0)], &[], false),
            timepoint(30, &[("L9", 1.0)], &[], false),
        ],
        &BTreeSet::new(),
        &ResponseRules::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.starts_with("timepoint 1 (2024-01-31): target L9: not a baseline target"),
        "{error}"
    );
}

/// Best overall response of two follow-up timepoints on `days`, confirmation of 28 days
/// and minimum SD duration 42 days.
fn best_confirmed(first: Response, second: Response, days: [u64; 2]) -> Response {
    let rules = ResponseRules {
        confirmation: Some(ConfirmationRules {
            min_interval_days: 28,
        }),
        min_stable_disease_days: 42,
    };
    best_overall_response(
        day(0),
        &[(day(days[0]), first), (day(days[1]), second)],
        &rules,
    )
}

#[test]
fn table_3_best_response_with_confirmation_every_row() {
    let met = [56, 112]; // first response at day 56 ≥ 42: SD duration met
    let not_met = [28, 56]; // first response at day 28 < 42, and the second ends the series
    // (first, second, BOR when the SD duration is met, BOR when it is not)
    for (first, second, when_met, when_not_met) in [
        (CR, CR, CR, CR),
        (CR, PR, SD, PD), // footnote a: disease after a CR is progression
        (CR, SD, SD, PD),
        (CR, PD, SD, PD),
        (CR, NE, SD, NE),
        (PR, CR, PR, PR),
        (PR, PR, PR, PR),
        (PR, SD, SD, SD),
        (PR, PD, SD, PD),
        (PR, NE, SD, NE),
        (NE, NE, NE, NE),
    ] {
        assert_eq!(
            best_confirmed(first, second, met),
            when_met,
            "{first:?} {second:?}, SD duration met"
        );
        if (first, second) != (PR, SD) {
            assert_eq!(
                best_confirmed(first, second, not_met),
                when_not_met,
                "{first:?} {second:?}, not met"
            );
        }
    }
    // PR then SD with the SD at day 56 ≥ 42: SD.
    assert_eq!(best_confirmed(PR, SD, not_met), SD);
}

#[test]
fn confirmation_needs_the_minimum_interval() {
    assert_eq!(best_confirmed(CR, CR, [56, 83]), SD);
    assert_eq!(best_confirmed(CR, CR, [56, 84]), CR);
    assert_eq!(best_confirmed(PR, PR, [56, 83]), SD);
}

#[test]
fn without_confirmation_the_best_timepoint_counts() {
    let rules = ResponseRules::default();
    assert_eq!(
        best_overall_response(day(0), &[(day(28), PR), (day(56), PD)], &rules),
        PR
    );
    assert_eq!(
        best_overall_response(day(0), &[(day(28), SD), (day(56), PD)], &rules),
        PD
    );
    assert_eq!(
        best_overall_response(day(0), &[(day(28), SD), (day(56), NE)], &rules),
        NE
    );
    assert_eq!(
        best_overall_response(day(0), &[(day(42), SD), (day(84), PD)], &rules),
        SD
    );
    assert_eq!(
        best_overall_response(day(0), &[(day(42), PD), (day(84), CR)], &rules),
        PD
    );
}

fn choi(n: u64, sum_mm: f64, mean_density_hu: f64, new_lesions: bool) -> ChoiMeasurement {
    ChoiMeasurement {
        date: day(n),
        sum_mm,
        mean_density_hu,
        new_lesions,
        new_intratumoral_nodules: false,
    }
}

#[test]
fn choi_table_1_boundaries() {
    let responses: Vec<Option<Response>> = choi_response(&[
        choi(0, 100.0, 100.0, false),
        choi(56, 90.0, 100.0, false), // size −10 %: PR
        choi(112, 91.0, 85.0, false), // density −15 %: PR
        choi(168, 91.0, 86.0, false), // −9 % and −14 %: SD
        choi(224, 99.0, 90.0, false), // +10 % over the nadir of 90 mm, density only −10 %: PD
    ])
    .iter()
    .map(|r| r.response)
    .collect();
    assert_eq!(responses, [None, Some(PR), Some(PR), Some(SD), Some(PD)]);
    let responses: Vec<Option<Response>> = choi_response(&[
        choi(0, 100.0, 100.0, false),
        choi(56, 110.0, 85.0, false), // +10 % in size but −15 % density: PR by density
        choi(112, 110.0, 90.0, false), // +10 % and only −10 % density: PD
        choi(168, 0.0, 0.0, false),
    ])
    .iter()
    .map(|r| r.response)
    .collect();
    assert_eq!(responses, [None, Some(PR), Some(PD), Some(CR)]);
    let with_new = choi_response(&[choi(0, 100.0, 100.0, false), choi(56, 50.0, 50.0, true)]);
    assert_eq!(with_new[1].response, Some(PD));
}

#[test]
fn ellipsoid_volume_and_sphere_equivalent_thresholds() {
    // π/6 · 10 · 20 · 30 = 1000π.
    assert!((ellipsoid_volume_mm3(10.0, 20.0, 30.0) - 1000.0 * std::f64::consts::PI).abs() < 1e-9);
    let defaults = VolumetricThresholds::default();
    assert!((defaults.partial_response_pct - -65.7).abs() < 1e-9);
    assert!((defaults.progression_pct - 72.8).abs() < 1e-9);
    let sphere = |d: f64| ellipsoid_volume_mm3(d, d, d);
    let responses = volumetric_response(
        &[
            sphere(100.0),
            sphere(69.9),
            sphere(70.1),
            sphere(84.2),
            sphere(84.0),
            0.0,
        ],
        &defaults,
    );
    // 69.9 mm: (0.699³ − 1) = −65.8 % → PR; 70.1 mm: −65.6 % → SD.
    assert_eq!(responses[..3], [None, Some(PR), Some(SD)]);
    // Over the nadir of 69.9 mm: (84.2 / 69.9)³ − 1 = +74.8 % and (84.0 / 69.9)³ − 1 = +73.5 %,
    // both ≥ +72.8 % → PD.
    assert_eq!(responses[3..5], [Some(PD), Some(PD)]);
    assert_eq!(responses[5], Some(CR));
}

#[test]
fn pfs_ttp_and_dor_follow_the_fda_censoring_table() {
    let series = [
        (day(56), PR),
        (day(112), SD),
        (day(168), NE),
        (day(224), PD),
    ];
    let none = EndpointRules::default();
    let pfs = progression_free_survival(day(0), &series, &none);
    assert_eq!(
        (pfs.days, pfs.event, pfs.reason),
        (224, true, CensoringReason::Progression)
    );
    let dor = duration_of_response(&series, &none).unwrap();
    assert_eq!((dor.days, dor.event), (168, true));
    // No progression: censored at the last adequate assessment (day 112; day 168 is NE).
    let no_pd = &series[..3];
    let pfs = progression_free_survival(day(0), no_pd, &none);
    assert_eq!(
        (pfs.days, pfs.event, pfs.reason),
        (112, false, CensoringReason::LastAdequateAssessment)
    );
    // Death before progression: event for PFS, censored for TTP.
    let died = EndpointRules {
        death: Some(day(150)),
        ..none
    };
    let pfs = progression_free_survival(day(0), &series, &died);
    assert_eq!(
        (pfs.days, pfs.event, pfs.reason),
        (150, true, CensoringReason::Death)
    );
    let ttp = time_to_progression(day(0), &series, &died);
    assert_eq!(
        (ttp.days, ttp.event, ttp.reason),
        (112, false, CensoringReason::DeathCensored)
    );
    // Death after missed assessments (gap 200 − 112 = 88 > 84): censored at day 112.
    let late = EndpointRules {
        death: Some(day(200)),
        max_gap_days: Some(84),
        ..none
    };
    let pfs = progression_free_survival(day(0), no_pd, &late);
    assert_eq!(
        (pfs.days, pfs.event, pfs.reason),
        (112, false, CensoringReason::MissedAssessments)
    );
    // New anticancer therapy on day 120: censored at the last adequate assessment before it.
    let switched = EndpointRules {
        new_anticancer_therapy: Some(day(120)),
        ..none
    };
    let pfs = progression_free_survival(day(0), &series, &switched);
    assert_eq!(
        (pfs.days, pfs.event, pfs.reason),
        (112, false, CensoringReason::NewAnticancerTherapy)
    );
    // No assessment at all: censored at day 0.
    let pfs = progression_free_survival(day(0), &[], &none);
    assert_eq!(
        (pfs.days, pfs.event, pfs.reason),
        (0, false, CensoringReason::NoAdequateAssessment)
    );
    assert_eq!(duration_of_response(&[(day(56), SD)], &none), None);
}
