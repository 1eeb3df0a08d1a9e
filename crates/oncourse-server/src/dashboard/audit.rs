//! `GET /audit?before=SEQ`: the audit trail for administrators, newest first, a page at a time.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::session::BrowserSession;
use super::{Chrome, DashboardError, render};
use crate::AppState;
use crate::access::require_admin;

/// Entries per page.
const PAGE: i64 = 200;

#[derive(Deserialize)]
pub struct AuditQuery {
    before: Option<i64>,
}

struct EntryRow {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    patient_id: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    entries: Vec<EntryRow>,
    /// Where the next (older) page starts; 0 when there is none.
    next_before: i64,
}

/// `GET /audit`.
pub async fn page(
    State(state): State<AppState>,
    session: BrowserSession,
    Query(query): Query<AuditQuery>,
) -> Result<Response, DashboardError> {
    require_admin(&session.actor).map_err(|e| DashboardError::Forbidden(e.message().to_owned()))?;
    let entries = state.store.recent_audit_log(query.before, PAGE).await?;
    let next_before = match entries.last() {
        Some(last) if entries.len() as i64 == PAGE && last.seq > 1 => last.seq,
        _ => 0,
    };
    let entries = entries
        .into_iter()
        .map(|e| EntryRow {
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            action: e.action,
            patient_id: e.patient_id.unwrap_or_default(),
            detail: e.detail.to_string(),
        })
        .collect();
    Ok(render(&AuditPage {
        chrome: Chrome::new(&session, "audit"),
        entries,
        next_before,
    }))
}
