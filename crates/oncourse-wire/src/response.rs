//! Tumour response and PFS/TTP as JSON (the `response` member of `oncourse-assessment/1`).

use oncourse_engine::ResponseSummary;
use oncourse_outcome::response::TimeToEvent;
use serde::Serialize;

use crate::protocol::snake_case_name;

/// Response and progression of a course.
#[derive(Serialize)]
pub struct ResponseJson {
    /// RECIST 1.1 per imaging timepoint, baseline first.
    timepoints: Vec<TimepointJson>,
    /// Best overall response: CR, PR, SD, non-CR/non-PD, PD or NE.
    best_overall_response: &'static str,
    /// The start of PFS and TTP.
    start: String,
    progression_free_survival: TimeToEventJson,
    time_to_progression: TimeToEventJson,
}

#[derive(Serialize)]
struct TimepointJson {
    date: String,
    sum_mm: Option<f64>,
    change_from_baseline_pct: Option<f64>,
    change_from_nadir_pct: Option<f64>,
    /// None at baseline.
    response: Option<&'static str>,
}

#[derive(Serialize)]
struct TimeToEventJson {
    end_date: String,
    days: i64,
    event: bool,
    /// Why it ended there (`progression`, `death`, `last_adequate_assessment`, …).
    reason: String,
}

/// The JSON of a response summary.
pub fn response(summary: &ResponseSummary) -> ResponseJson {
    ResponseJson {
        timepoints: summary
            .recist
            .timepoints
            .iter()
            .map(|t| TimepointJson {
                date: t.date.to_string(),
                sum_mm: t.sum_mm,
                change_from_baseline_pct: t.change_from_baseline_pct,
                change_from_nadir_pct: t.change_from_nadir_pct,
                response: t.response.map(|r| r.abbreviation()),
            })
            .collect(),
        best_overall_response: summary.recist.best_overall_response.abbreviation(),
        start: summary.start.to_string(),
        progression_free_survival: time_to_event(&summary.progression_free_survival),
        time_to_progression: time_to_event(&summary.time_to_progression),
    }
}

fn time_to_event(t: &TimeToEvent) -> TimeToEventJson {
    TimeToEventJson {
        end_date: t.end_date.to_string(),
        days: t.days,
        event: t.event,
        reason: snake_case_name(&t.reason),
    }
}
