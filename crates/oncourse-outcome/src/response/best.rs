//! Best overall response from a series of timepoint responses (RECIST 1.1 §4.4.1, Table 3;
//! Eisenhauer et al., Eur J Cancer 2009;45:228–247).
//!
//! Only timepoints up to and including the first PD count. Without confirmation the best
//! response is the best timepoint response, SD (or non-CR/non-PD) counting only once it was
//! met at least the minimum SD duration after baseline. With confirmation (§4.4.1, §4.6:
//! "no less than 4 weeks") a CR needs a later CR, and a PR a later PR or CR, at least the
//! minimum interval after it; an unconfirmed response can still give SD.
//!
//! Table 3, footnote a: after a true CR, any disease seen again is progression even if it
//! meets PR criteria against baseline. So a PR or SD timepoint after a CR ends the series
//! as progression here. (The footnote's alternative, re-reading the first scan as PR,
//! is a radiologist's decision, not the software's.)

use chrono::NaiveDate;

use super::recist::Response;

/// Confirmation of CR and PR (§4.4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfirmationRules {
    /// Minimum days between a response and the assessment that confirms it (RECIST: 28).
    pub min_interval_days: i64,
}

/// Rules for the best overall response; the protocol defines them (§4.4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseRules {
    /// `None`: response need not be confirmed (randomised trials with a PFS primary
    /// endpoint); `Some`: confirmation required (single-arm trials with response primary).
    pub confirmation: Option<ConfirmationRules>,
    /// Minimum days after baseline at which SD criteria must have been met for SD to count
    /// ("in general, not less than 6–8 weeks"); 0 for none.
    pub min_stable_disease_days: i64,
}

impl Default for ResponseRules {
    /// No confirmation; SD must be met at least 42 days (6 weeks, the lower end of RECIST's
    /// "6–8 weeks") after baseline.
    fn default() -> Self {
        Self {
            confirmation: None,
            min_stable_disease_days: 42,
        }
    }
}

/// The best overall response of the timepoint responses `series` (dates ascending, after
/// the baseline on `baseline_date`).
pub fn best_overall_response(
    baseline_date: NaiveDate,
    series: &[(NaiveDate, Response)],
    rules: &ResponseRules,
) -> Response {
    use Response::*;
    let counted = until_progression(series);
    let progressed = counted
        .last()
        .is_some_and(|(_, r)| *r == ProgressiveDisease);
    let responses = &counted[..counted.len() - usize::from(progressed)];
    let best_of = |wanted: Response| responses.iter().any(|(_, r)| *r == wanted);
    match rules.confirmation {
        None if best_of(CompleteResponse) => return CompleteResponse,
        None if best_of(PartialResponse) => return PartialResponse,
        Some(confirmation) => {
            if confirmed(responses, &[CompleteResponse], confirmation) {
                return CompleteResponse;
            }
            if confirmed(
                responses,
                &[PartialResponse, CompleteResponse],
                confirmation,
            ) {
                return PartialResponse;
            }
        }
        None => {}
    }
    let stable_long_enough = responses.iter().any(|(date, r)| {
        *r != NotEvaluable && (*date - baseline_date).num_days() >= rules.min_stable_disease_days
    });
    if stable_long_enough {
        if responses
            .iter()
            .all(|(_, r)| matches!(r, NonCompleteNonProgressive | NotEvaluable))
        {
            NonCompleteNonProgressive
        } else {
            StableDisease
        }
    } else if progressed {
        ProgressiveDisease
    } else {
        NotEvaluable
    }
}

/// The series up to and including the first progression, where a PR or SD after a CR
/// counts as progression (Table 3, footnote a).
fn until_progression(series: &[(NaiveDate, Response)]) -> Vec<(NaiveDate, Response)> {
    use Response::*;
    let mut counted = Vec::new();
    let mut had_complete_response = false;
    for &(date, response) in series {
        let response = match response {
            PartialResponse | StableDisease if had_complete_response => ProgressiveDisease,
            other => other,
        };
        had_complete_response |= response == CompleteResponse;
        counted.push((date, response));
        if response == ProgressiveDisease {
            break;
        }
    }
    counted
}

/// Whether a response in `first` is followed, at least the minimum interval later, by a
/// response in `first` (the confirming assessment may be CR for a PR).
fn confirmed(
    responses: &[(NaiveDate, Response)],
    first: &[Response],
    confirmation: ConfirmationRules,
) -> bool {
    responses.iter().enumerate().any(|(i, (date, response))| {
        first.contains(response)
            && responses[i + 1..].iter().any(|(later, r)| {
                first.contains(r) && (*later - *date).num_days() >= confirmation.min_interval_days
            })
    })
}
