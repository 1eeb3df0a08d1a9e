//! Invariants of the survival estimators on random data.

use oncourse_outcome::survival::{
    CoxOptions, KaplanMeierOptions, SurvivalData, concordance, cox_proportional_hazards,
    kaplan_meier, logrank,
};
use proptest::prelude::*;

/// Random right-censored data: integer-ish times (so ties occur) and event flags.
fn survival_data() -> impl Strategy<Value = SurvivalData> {
    prop::collection::vec((1u32..40, any::<bool>()), 2..120).prop_map(|rows| {
        let (time, event): (Vec<f64>, Vec<bool>) =
            rows.into_iter().map(|(t, e)| (f64::from(t), e)).unzip();
        SurvivalData::new(time, event).unwrap()
    })
}

proptest! {
    #[test]
    fn kaplan_meier_is_monotone_and_inside_its_band(data in survival_data()) {
        let fit = kaplan_meier(&data, &KaplanMeierOptions::default());
        let mut previous = 1.0;
        for step in fit.steps() {
            prop_assert!(step.survival <= previous && step.survival >= 0.0);
            previous = step.survival;
            if let (Some(lo), Some(hi)) = (step.lower, step.upper) {
                prop_assert!(lo <= step.survival + 1e-12 && step.survival <= hi + 1e-12);
            }
        }
        let accounted: usize = fit.steps().iter().map(|s| s.n_events + s.n_censored).sum();
        prop_assert_eq!(accounted, data.len());
    }

    #[test]
    fn logrank_does_not_depend_on_group_labels(data in survival_data(), flips in prop::collection::vec(any::<bool>(), 120)) {
        let group: Vec<usize> = (0..data.len()).map(|i| usize::from(flips[i])).collect();
        prop_assume!(group.contains(&0) && group.contains(&1) && data.n_events() > 0);
        let swapped: Vec<usize> = group.iter().map(|g| 1 - g).collect();
        let (Ok(a), Ok(b)) = (logrank(&data, &group), logrank(&data, &swapped)) else {
            return Ok(());
        };
        prop_assert!((a.statistic - b.statistic).abs() <= 1e-9 * a.statistic.max(1.0));
        let observed: f64 = a.observed.iter().sum();
        let expected: f64 = a.expected.iter().sum();
        prop_assert!((observed - expected).abs() < 1e-9 * observed.max(1.0));
    }

    #[test]
    fn concordance_of_a_reversed_score_is_its_complement(data in survival_data(), scores in prop::collection::vec(-5i32..5, 120)) {
        let score: Vec<f64> = (0..data.len()).map(|i| f64::from(scores[i])).collect();
        let reversed: Vec<f64> = score.iter().map(|s| -s).collect();
        let a = concordance(&data, &score);
        let b = concordance(&data, &reversed);
        prop_assume!(a.concordant + a.discordant + a.tied_score > 0);
        prop_assert!((a.index + b.index - 1.0).abs() < 1e-12);
        prop_assert!((0.0..=1.0).contains(&a.index));
    }

    #[test]
    fn cox_coefficients_do_not_depend_on_a_covariate_shift(data in survival_data(), x in prop::collection::vec(-3.0f64..3.0, 120), shift in -100.0f64..100.0) {
        prop_assume!(data.n_events() > 2);
        let column: Vec<f64> = x[..data.len()].to_vec();
        let shifted: Vec<f64> = column.iter().map(|v| v + shift).collect();
        let fit = |values: Vec<f64>| cox_proportional_hazards(&data, &[("x".into(), values)], &CoxOptions::default());
        if let (Ok(a), Ok(b)) = (fit(column), fit(shifted)) {
            prop_assert!((a.coef[0] - b.coef[0]).abs() <= 1e-7 * a.coef[0].abs().max(1.0));
            prop_assert!((a.log_likelihood - b.log_likelihood).abs() <= 1e-7 * a.log_likelihood.abs().max(1.0));
        }
    }
}
