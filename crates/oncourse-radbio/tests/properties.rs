//! Invariants of the LQ arithmetic, checked over random inputs.

use oncourse_radbio::regimen::{self, Delivery, RegimenInput};
use oncourse_radbio::{
    AlphaBeta, CourseOptions, DoseResponseModel, Phase, bed_gy, dose_per_fraction_for_bed,
    dose_per_fraction_for_eqd2, eqd2_gy, eqdx_gy, evaluate_course, fractions_for_bed, phase_bed_gy,
};
use proptest::prelude::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

proptest! {
    /// EQD2 of a course given in 2 Gy fractions is its physical dose, whatever α/β.
    #[test]
    fn eqd2_at_2_gy_per_fraction_is_physical(n in 1u32..60, ab in 0.1f64..30.0) {
        let ab = AlphaBeta::new(ab).unwrap();
        let total = 2.0 * f64::from(n);
        prop_assert!(close(eqd2_gy(total, n, ab), total));
    }

    /// EQDx at x = d is the physical dose.
    #[test]
    fn eqdx_at_own_dose_per_fraction_is_physical(d in 0.1f64..25.0, n in 1u32..40, ab in 0.1f64..30.0) {
        let ab = AlphaBeta::new(ab).unwrap();
        let total = d * f64::from(n);
        prop_assert!(close(eqdx_gy(total, n, ab, d), total));
    }

    /// More dose per fraction, same fractions: more BED and more EQD2.
    #[test]
    fn monotone_in_dose(d in 0.0f64..25.0, extra in 0.001f64..5.0, n in 1u32..40, ab in 0.1f64..30.0) {
        let ab = AlphaBeta::new(ab).unwrap();
        let nf = f64::from(n);
        prop_assert!(bed_gy((d + extra) * nf, n, ab) > bed_gy(d * nf, n, ab));
        prop_assert!(eqd2_gy((d + extra) * nf, n, ab) > eqd2_gy(d * nf, n, ab));
    }

    /// Solving for the dose per fraction that reaches a course's BED gives back its dose.
    #[test]
    fn inverse_of_forward_is_identity(d in 0.01f64..30.0, n in 1u32..40, ab in 0.1f64..30.0, dt in 1.0f64..15.0) {
        let ab = AlphaBeta::new(ab).unwrap();
        let phase = Phase::new(d, n).unwrap();
        for model in [DoseResponseModel::Lq, DoseResponseModel::lql(dt).unwrap()] {
            let bed = phase_bed_gy(&phase, ab, model);
            let solved = dose_per_fraction_for_bed(bed, n, ab, model).unwrap();
            prop_assert!(close(solved, d), "model {model:?}: {solved} != {d}");
            let fractions = fractions_for_bed(bed, d, ab, model).unwrap();
            prop_assert!(close(fractions.exact, f64::from(n)));
            prop_assert_eq!(fractions.whole_at_least, n);
        }
    }

    /// Forward of the inverse: the solved dose per fraction reaches the target EQD2.
    #[test]
    fn forward_of_inverse_is_identity(target in 0.0f64..150.0, n in 1u32..40, ab in 0.1f64..30.0) {
        let ab = AlphaBeta::new(ab).unwrap();
        let d = dose_per_fraction_for_eqd2(target, n, ab, DoseResponseModel::Lq).unwrap();
        prop_assert!(close(eqd2_gy(d * f64::from(n), n, ab), target));
    }

    /// LQ-L equals LQ at and below the transition dose, and is below LQ above it.
    #[test]
    fn lql_equals_lq_below_transition(d in 0.0f64..20.0, dt in 0.5f64..20.0, n in 1u32..40, ab in 0.1f64..30.0) {
        let ab = AlphaBeta::new(ab).unwrap();
        let phase = Phase::new(d, n).unwrap();
        let lq = phase_bed_gy(&phase, ab, DoseResponseModel::Lq);
        let lql = phase_bed_gy(&phase, ab, DoseResponseModel::lql(dt).unwrap());
        if d <= dt {
            prop_assert!(close(lq, lql));
        } else {
            prop_assert!(lql < lq);
        }
    }

    /// A course's BED is the sum of its phases', whatever their order.
    #[test]
    fn course_sums_phases_in_any_order(d1 in 0.1f64..20.0, n1 in 1u32..30, d2 in 0.1f64..20.0, n2 in 1u32..30, ab in 0.1f64..30.0) {
        let ab = AlphaBeta::new(ab).unwrap();
        let p1 = Phase::new(d1, n1).unwrap();
        let p2 = Phase::new(d2, n2).unwrap();
        let forward = evaluate_course(&[p1, p2], ab, &CourseOptions::default()).unwrap();
        let backward = evaluate_course(&[p2, p1], ab, &CourseOptions::default()).unwrap();
        prop_assert!(close(forward.bed_gy, backward.bed_gy));
        prop_assert!(close(forward.bed_gy, phase_bed_gy(&p1, ab, DoseResponseModel::Lq) + phase_bed_gy(&p2, ab, DoseResponseModel::Lq)));
    }

    /// Every valid phase has a regimen class.
    #[test]
    fn every_phase_is_classified(d in 0.01f64..30.0, n in 1u32..50, delivery in 0usize..3, days in proptest::option::of(0.0f64..60.0)) {
        let delivery = [Delivery::ExternalBeam, Delivery::Stereotactic, Delivery::Brachytherapy][delivery];
        let input = RegimenInput { dose_per_fraction_gy: d, n_fractions: n, delivery, overall_days: days };
        prop_assert!(regimen::classify(&input, None).is_some());
    }
}
