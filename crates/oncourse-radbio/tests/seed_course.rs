//! The seed case's course, IMRT 4 Gy × 10 then a stereotactic boost of 7 Gy × 3, evaluated at
//! the α/β values a radiation oncologist would use; expected values in `tests/data/README.md`
//! (radbio: hand-checked values).

use oncourse_radbio::regimen::{self, Delivery, RegimenInput};
use oncourse_radbio::{AlphaBeta, CourseOptions, Phase, evaluate_course};

fn check(alpha_beta_gy: f64, expected_bed_gy: f64, expected_eqd2_gy: f64) {
    let phases = [Phase::new(4.0, 10).unwrap(), Phase::new(7.0, 3).unwrap()];
    let ab = AlphaBeta::new(alpha_beta_gy).unwrap();
    let course = evaluate_course(&phases, ab, &CourseOptions::default()).unwrap();
    assert_eq!(course.physical_gy, 61.0);
    assert!(
        (course.bed_gy - expected_bed_gy).abs() < 1e-9,
        "α/β {alpha_beta_gy}: BED {}",
        course.bed_gy
    );
    assert!(
        (course.eqd2_gy - expected_eqd2_gy).abs() < 1e-9,
        "α/β {alpha_beta_gy}: EQD2 {}",
        course.eqd2_gy
    );
}

#[test]
fn seed_course_at_alpha_beta_10() {
    // 40·(1 + 4/10) + 21·(1 + 7/10) = 56 + 35.7; EQD2 = 91.7 / 1.2.
    check(10.0, 91.7, 91.7 / 1.2);
    assert!((91.7f64 / 1.2 - 76.416_666_666_666_67).abs() < 1e-12);
}

#[test]
fn seed_course_at_alpha_beta_4() {
    // 40·2 + 21·2.75 = 137.75; EQD2 = 137.75 / 1.5 = 91.8333…
    check(4.0, 137.75, 91.833_333_333_333_33);
}

#[test]
fn seed_course_at_alpha_beta_3() {
    // 40·(7/3) + 21·(10/3) = 163.333…; EQD2 = 163.333… / (5/3) = 98.
    check(3.0, 490.0 / 3.0, 98.0);
}

#[test]
fn seed_phases_are_classified_and_the_size_note_fires() {
    let imrt = RegimenInput {
        dose_per_fraction_gy: 4.0,
        n_fractions: 10,
        delivery: Delivery::ExternalBeam,
        overall_days: Some(13.0),
    };
    let boost = RegimenInput {
        dose_per_fraction_gy: 7.0,
        n_fractions: 3,
        delivery: Delivery::Stereotactic,
        overall_days: Some(2.0),
    };
    let imrt = regimen::classify(&imrt, Some(8.0)).unwrap();
    assert_eq!(imrt.class.id, "moderate-hypofractionation");
    assert!(imrt.notes.is_empty());
    let boost = regimen::classify(&boost, Some(8.0)).unwrap();
    assert_eq!(boost.class.id, "sbrt");
    let also: Vec<&str> = boost.also_meets.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(also, ["short-course"]);
    assert_eq!(boost.notes.len(), 1);
    assert!(
        boost.notes[0].contains("less than 3 cm"),
        "{}",
        boost.notes[0]
    );
    assert!(boost.notes[0].contains("8 cm"), "{}", boost.notes[0]);
}

#[test]
fn conventional_boundaries() {
    let class = |d: f64, n: u32| {
        let input = RegimenInput {
            dose_per_fraction_gy: d,
            n_fractions: n,
            delivery: Delivery::ExternalBeam,
            overall_days: None,
        };
        regimen::classify(&input, None).unwrap().class.id.as_str()
    };
    assert_eq!(class(1.79, 40), "low-dose-per-fraction");
    assert_eq!(class(1.8, 28), "conventional");
    assert_eq!(class(2.2, 30), "conventional");
    assert_eq!(class(2.21, 20), "moderate-hypofractionation");
    assert_eq!(class(4.99, 5), "moderate-hypofractionation");
    assert_eq!(class(5.0, 5), "short-course");
    assert_eq!(class(5.0, 10), "short-course");
    assert_eq!(class(5.0, 11), "ultra-hypofractionation");
}
