//! Invariants of the best overall response on random series of timepoint responses.

use chrono::{Days, NaiveDate};
use oncourse_outcome::response::{
    ConfirmationRules, Response, ResponseRules, best_overall_response,
};
use proptest::prelude::*;

/// Clinical rank: CR > PR > SD = non-CR/non-PD > PD > NE.
fn rank(response: Response) -> u8 {
    match response {
        Response::CompleteResponse => 5,
        Response::PartialResponse => 4,
        Response::StableDisease | Response::NonCompleteNonProgressive => 3,
        Response::ProgressiveDisease => 2,
        Response::NotEvaluable => 1,
    }
}

fn series() -> impl Strategy<Value = Vec<(NaiveDate, Response)>> {
    let response = prop_oneof![
        Just(Response::CompleteResponse),
        Just(Response::PartialResponse),
        Just(Response::StableDisease),
        Just(Response::ProgressiveDisease),
        Just(Response::NotEvaluable),
    ];
    prop::collection::vec((7u64..70, response), 1..8).prop_map(|steps| {
        let mut day = 0;
        steps
            .into_iter()
            .map(|(gap, response)| {
                day += gap;
                (
                    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + Days::new(day),
                    response,
                )
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn confirmation_never_improves_the_best_response(series in series(), interval in 0i64..60, min_sd in 0i64..90) {
        let baseline = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let unconfirmed = ResponseRules { confirmation: None, min_stable_disease_days: min_sd };
        let confirmed = ResponseRules { confirmation: Some(ConfirmationRules { min_interval_days: interval }), ..unconfirmed };
        let without = best_overall_response(baseline, &series, &unconfirmed);
        let with = best_overall_response(baseline, &series, &confirmed);
        prop_assert!(rank(with) <= rank(without), "{series:?}: confirmed {with:?}, unconfirmed {without:?}");
    }

    #[test]
    fn timepoints_after_progression_do_not_count(series in series(), tail in series()) {
        let baseline = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let rules = ResponseRules::default();
        prop_assume!(series.iter().any(|(_, r)| *r == Response::ProgressiveDisease));
        let last = series.last().unwrap().0;
        let extended: Vec<(NaiveDate, Response)> = series.iter().copied()
            .chain(tail.iter().map(|(d, r)| (last + Days::new((*d - baseline).num_days() as u64), *r)))
            .collect();
        prop_assert_eq!(best_overall_response(baseline, &series, &rules), best_overall_response(baseline, &extended, &rules));
    }
}
