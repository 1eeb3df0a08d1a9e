//! The recommendation inbox of the patient page: the protocols' recommendations with their
//! status, and a clinician's decision on one (acknowledge, or override with a reason), through
//! the service the JSON API uses, so a decision is the same audited fact either way. With htmx
//! the decided row replaces itself; without it the form posts and the page reloads.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, NaiveDate};
use oncourse_report::case_report::{day_zero, number};
use serde::Deserialize;

use super::session::ProtectedForm;
use super::{DashboardError, render};
use crate::AppState;
use crate::access::{ReadView, read_view, require_decide};
use crate::deidentify::WITHHELD;
use crate::service::assessment::{AssessmentQuery, assess_patient};
use crate::service::recommendations::{
    Decision, RecommendationStatus, Status, decide, recommendations,
};

/// One recommendation as the inbox shows it.
pub struct InboxRow {
    /// The stable key (empty in the de-identified view, where it would show a real date).
    pub key: String,
    /// The day it applies to.
    pub date: String,
    /// The same as a day of the course (`day 98`: since the first radiotherapy fraction, as in
    /// the case report's chronology); empty without radiotherapy.
    pub day: String,
    /// What to do, e.g. `hold anlotinib`.
    pub action: String,
    /// The values and grades that made the rule fire.
    pub reason: String,
    /// The rule's id.
    pub rule: String,
    /// The rule's published source.
    pub source: String,
    /// An institutional rule without a published source.
    pub local: bool,
    /// `open`, `acknowledged` or `overridden`.
    pub status: &'static str,
    /// Who decided and when.
    pub decided: String,
    /// The override's reason.
    pub decision_reason: String,
    /// Why the last decision was refused.
    pub error: String,
    /// The row just decided (swapped in by htmx): its status takes the keyboard focus, which
    /// was on a button of the row replaced, so a keyboard user goes on from there.
    pub focus: bool,
}

impl InboxRow {
    /// The row of a recommendation in the reader's view (researchers: shifted dates, no key,
    /// no decider, free text withheld); `day_zero` is the first radiotherapy fraction in the
    /// same view.
    pub fn new(
        item: RecommendationStatus,
        view: ReadView,
        shift_days: i64,
        day_zero: Option<NaiveDate>,
    ) -> InboxRow {
        let r = item.recommendation;
        let action = match r.dose_mg {
            Some(mg) => format!(
                "{} {} at {} mg",
                r.action.replace('_', " "),
                r.target,
                number(mg, 2)
            ),
            None => format!("{} {}", r.action.replace('_', " "), r.target),
        };
        let status = match item.status {
            Status::Open => "open",
            Status::Acknowledged => "acknowledged",
            Status::Overridden => "overridden",
        };
        let shown = match view {
            ReadView::Identified => r.date,
            ReadView::Deidentified => r.date + Duration::days(shift_days),
        };
        let date = shown.to_string();
        let day = day_zero
            .map(|zero| format!("day {}", (shown - zero).num_days()))
            .unwrap_or_default();
        match view {
            ReadView::Identified => InboxRow {
                key: item.key,
                date,
                day,
                action,
                reason: r.reason,
                rule: r.rule_id,
                source: r.source,
                local: r.local,
                status,
                decided: item
                    .decision
                    .as_ref()
                    .map(|d| format!("by {} at {}", d.by, d.at))
                    .unwrap_or_default(),
                decision_reason: item.decision.and_then(|d| d.reason).unwrap_or_default(),
                error: String::new(),
                focus: false,
            },
            ReadView::Deidentified => InboxRow {
                key: String::new(),
                date,
                day,
                action,
                reason: WITHHELD.to_owned(),
                rule: r.rule_id,
                source: r.source,
                local: r.local,
                status,
                decided: String::new(),
                decision_reason: String::new(),
                error: String::new(),
                focus: false,
            },
        }
    }
}

/// A single inbox row, for htmx to swap in.
#[derive(Template)]
#[template(path = "recommendation_row.html")]
struct RowFragment {
    row: InboxRow,
    patient_id: String,
    csrf_token: String,
    can_decide: bool,
}

#[derive(Deserialize)]
pub struct DecisionForm {
    reason: Option<String>,
}

/// `POST /patients/{id}/recommendations/{key}/acknowledge` and `…/override` (CSRF-checked).
/// A role that may not decide is refused before the key is looked up: a key names a real
/// date, and the row answered for a key that exists would confirm it to a researcher.
pub async fn decide_on(
    State(state): State<AppState>,
    Path((patient_id, key, action)): Path<(String, String, String)>,
    headers: HeaderMap,
    ProtectedForm { session, form }: ProtectedForm<DecisionForm>,
) -> Result<Response, DashboardError> {
    require_decide(&session.actor)?;
    let decision = match action.as_str() {
        "acknowledge" => Decision::Acknowledged,
        "override" => Decision::Overridden,
        other => {
            return Err(DashboardError::BadRequest(format!(
                "decision: expected acknowledge or override, got {other:?}"
            )));
        }
    };
    let by_htmx = headers.contains_key("hx-request");
    // Day 0 of the course for the answered row, from the assessment the decision is checked
    // against (cached, so the decision reads it again for free). A decision is not a fact of
    // the course: it moves the log's latest event, which would make a new assessment, but
    // not day 0.
    let day_zero = day_zero(
        &assess_patient(&state, &patient_id, &AssessmentQuery::default())
            .await?
            .assessment,
    );
    let outcome = decide(
        &state,
        &session.actor,
        &patient_id,
        &key,
        decision,
        form.reason,
        None,
    )
    .await
    .map(|(status, _)| status);
    if !by_htmx {
        outcome?;
        return Ok((
            StatusCode::SEE_OTHER,
            [(LOCATION, format!("/patients/{patient_id}#inbox"))],
        )
            .into_response());
    }
    let view = read_view(&session.actor);
    let mut row = match outcome {
        Ok(item) => InboxRow::new(item, view, 0, day_zero),
        Err(error) => {
            // Shown in the row, in place of its buttons; the recommendation is unchanged.
            let current = recommendations(&state, &patient_id)
                .await?
                .into_iter()
                .find(|r| r.key == key);
            let Some(current) = current else {
                return Err(DashboardError::Api(error));
            };
            let mut row = InboxRow::new(current, view, 0, day_zero);
            row.error = error.message().to_owned();
            row
        }
    };
    row.focus = true;
    Ok(render(&RowFragment {
        row,
        patient_id,
        csrf_token: session.csrf_token.clone(),
        can_decide: true,
    }))
}
