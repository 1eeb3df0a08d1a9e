//! `GET /api/audit?after=SEQ&limit=N`: the audit trail, for admins.

use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::access::require_admin;
use crate::extract::Caller;
use crate::{ApiError, AppState};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    #[serde(default)]
    after: i64,
    limit: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Query(query): Query<AuditQuery>,
) -> Result<Json<Value>, ApiError> {
    require_admin(&actor)?;
    let limit = query.limit.unwrap_or(1000);
    if !(1..=10_000).contains(&limit) {
        return Err(ApiError::bad_field(
            "limit",
            format!("limit: expected 1 to 10000 entries, got {limit}"),
        ));
    }
    let entries = state.store.audit_log(query.after, limit).await?;
    let entries: Vec<Value> = entries
        .into_iter()
        .map(|e| {
            json!({
                "seq": e.seq, "at": e.at, "actor": e.actor, "action": e.action,
                "patient_id": e.patient_id, "detail": e.detail,
            })
        })
        .collect();
    Ok(Json(json!({ "entries": entries })))
}
