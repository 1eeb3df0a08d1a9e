//! Per-patient time-to-event endpoints from dated timepoint responses: progression-free
//! survival, time to progression and duration of response, with the censoring conventions
//! of the FDA guidance "Clinical Trial Endpoints for the Approval of Cancer Drugs and
//! Biologics" (December 2018), appendix table of PFS dating and censoring:
//!
//! - progression documented: event on the date of the first assessment showing PD;
//! - death before progression: event on the date of death (PFS, DoR; TTP censors it);
//! - no progression or death: censored on the date of the last adequate assessment
//!   (one that is not NE);
//! - new anticancer therapy before progression: censored at the last adequate assessment
//!   on or before its start;
//! - progression or death after two or more missed assessments (a gap from the last
//!   adequate assessment longer than `max_gap_days`, when given): censored at the last
//!   adequate assessment before the gap;
//! - no adequate assessment after the start: censored at the start (day 0).
//!
//! Duration of response starts at the first CR or PR and follows the same rules.

use chrono::NaiveDate;
use serde::Serialize;

use super::recist::Response;

/// Why an endpoint ended where it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CensoringReason {
    /// Event: progression documented.
    Progression,
    /// Event: death without documented progression.
    Death,
    /// Censored at the last adequate assessment without progression or death.
    LastAdequateAssessment,
    /// Censored at the last adequate assessment before new anticancer therapy.
    NewAnticancerTherapy,
    /// Censored at the last adequate assessment before a gap of missed assessments.
    MissedAssessments,
    /// Censored at the start: no adequate assessment after it.
    NoAdequateAssessment,
    /// Censored: death, which time to progression does not count.
    DeathCensored,
}

/// A time to event: days from the start, and whether the event occurred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TimeToEvent {
    /// The date the endpoint ends (event or censoring).
    pub end_date: NaiveDate,
    /// Days from the start to `end_date`.
    pub days: i64,
    /// True for an event, false for censoring.
    pub event: bool,
    /// The rule that decided.
    pub reason: CensoringReason,
}

/// Facts and protocol parameters beyond the assessments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EndpointRules {
    /// Date of death, if the patient died.
    pub death: Option<NaiveDate>,
    /// Start of a new anticancer therapy, if any.
    pub new_anticancer_therapy: Option<NaiveDate>,
    /// Longest allowed gap (days) between the last adequate assessment and a progression or
    /// death for it to count, e.g. two scheduled intervals; `None` for no limit.
    pub max_gap_days: Option<i64>,
}

/// Progression-free survival from `start` (e.g. treatment start or randomisation):
/// progression or death, whichever first.
pub fn progression_free_survival(
    start: NaiveDate,
    assessments: &[(NaiveDate, Response)],
    rules: &EndpointRules,
) -> TimeToEvent {
    time_to_event(start, assessments, rules, true)
}

/// Time to progression from `start`: like PFS, but a death without progression is censored
/// at the last adequate assessment.
pub fn time_to_progression(
    start: NaiveDate,
    assessments: &[(NaiveDate, Response)],
    rules: &EndpointRules,
) -> TimeToEvent {
    time_to_event(start, assessments, rules, false)
}

/// Duration of response: from the first CR or PR to progression or death; `None` for a
/// patient who never responded.
pub fn duration_of_response(
    assessments: &[(NaiveDate, Response)],
    rules: &EndpointRules,
) -> Option<TimeToEvent> {
    let first = assessments
        .iter()
        .position(|(_, r)| matches!(r, Response::CompleteResponse | Response::PartialResponse))?;
    let (start, _) = assessments[first];
    Some(time_to_event(start, &assessments[first..], rules, true))
}

fn time_to_event(
    start: NaiveDate,
    assessments: &[(NaiveDate, Response)],
    rules: &EndpointRules,
    death_is_event: bool,
) -> TimeToEvent {
    let end = |date: NaiveDate, event: bool, reason: CensoringReason| TimeToEvent {
        end_date: date,
        days: (date - start).num_days(),
        event,
        reason,
    };
    let after_start = assessments.iter().filter(|(date, _)| *date >= start);
    let mut last_adequate: Option<NaiveDate> = None;
    let censor_at_last = |last: Option<NaiveDate>, reason: CensoringReason| match last {
        Some(date) => end(date, false, reason),
        None => end(start, false, CensoringReason::NoAdequateAssessment),
    };
    let too_late = |last: Option<NaiveDate>, date: NaiveDate| {
        rules
            .max_gap_days
            .is_some_and(|gap| (date - last.unwrap_or(start)).num_days() > gap)
    };
    for &(date, response) in after_start {
        let therapy_before = rules.new_anticancer_therapy.filter(|t| *t < date);
        match (rules.death.filter(|d| *d < date), therapy_before) {
            (Some(death), therapy) if therapy.is_none_or(|t| death <= t) => {
                return death_outcome(
                    death,
                    last_adequate,
                    death_is_event,
                    &too_late,
                    &end,
                    &censor_at_last,
                );
            }
            (_, Some(_)) => {
                return censor_at_last(last_adequate, CensoringReason::NewAnticancerTherapy);
            }
            _ => {}
        }
        match response {
            Response::ProgressiveDisease if too_late(last_adequate, date) => {
                return censor_at_last(last_adequate, CensoringReason::MissedAssessments);
            }
            Response::ProgressiveDisease => {
                return end(date, true, CensoringReason::Progression);
            }
            Response::NotEvaluable => {}
            _ => last_adequate = Some(date),
        }
    }
    if let Some(death) = rules.death {
        let before_therapy = rules.new_anticancer_therapy.is_none_or(|t| death <= t);
        if before_therapy {
            return death_outcome(
                death,
                last_adequate,
                death_is_event,
                &too_late,
                &end,
                &censor_at_last,
            );
        }
        return censor_at_last(last_adequate, CensoringReason::NewAnticancerTherapy);
    }
    if rules.new_anticancer_therapy.is_some() {
        return censor_at_last(last_adequate, CensoringReason::NewAnticancerTherapy);
    }
    censor_at_last(last_adequate, CensoringReason::LastAdequateAssessment)
}

fn death_outcome(
    death: NaiveDate,
    last_adequate: Option<NaiveDate>,
    death_is_event: bool,
    too_late: &dyn Fn(Option<NaiveDate>, NaiveDate) -> bool,
    end: &dyn Fn(NaiveDate, bool, CensoringReason) -> TimeToEvent,
    censor_at_last: &dyn Fn(Option<NaiveDate>, CensoringReason) -> TimeToEvent,
) -> TimeToEvent {
    if !death_is_event {
        censor_at_last(last_adequate, CensoringReason::DeathCensored)
    } else if too_late(last_adequate, death) {
        censor_at_last(last_adequate, CensoringReason::MissedAssessments)
    } else {
        end(death, true, CensoringReason::Death)
    }
}
