//! The audit trail: who wrote what and who logged in, appended in the same transaction as the
//! write it describes, so neither exists without the other.

use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::{Store, StoreError, Timestamp};

/// One audit-trail entry.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditEntry {
    /// Position in the trail (increasing).
    pub seq: i64,
    /// When it happened (the recorded time of the write).
    pub at: String,
    /// Who did it (a user name, or `system`).
    pub actor: String,
    /// What was done, e.g. `fact.append`, `login`, `login.failed`, `user.create`.
    pub action: String,
    /// The patient concerned, if any.
    pub patient_id: Option<String>,
    /// Details as JSON (ids of the events written, the user created, ...).
    pub detail: serde_json::Value,
}

/// An entry to append.
pub(crate) struct AuditRecord<'a> {
    pub at: Timestamp,
    pub actor: &'a str,
    pub action: &'static str,
    pub patient_id: Option<&'a str>,
    pub detail: serde_json::Value,
}

pub(crate) async fn record_audit(
    tx: &mut Transaction<'_, Any>,
    record: &AuditRecord<'_>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, patient_id, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(record.at.to_sql_text())
    .bind(record.actor)
    .bind(record.action)
    .bind(record.patient_id)
    .bind(record.detail.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Audit entries after `after_seq` (0 for the start), oldest first, at most `limit`.
    pub async fn audit_log(
        &self,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, at, actor, action, patient_id, detail FROM audit_log \
             WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after_seq)
        .bind(limit)
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(audit_from_row).collect()
    }

    /// The latest audit entries before `before_seq` (`None`: the very latest), newest first, at
    /// most `limit`.
    pub async fn recent_audit_log(
        &self,
        before_seq: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, at, actor, action, patient_id, detail FROM audit_log \
             WHERE seq < $1 ORDER BY seq DESC LIMIT $2",
        )
        .bind(before_seq.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(audit_from_row).collect()
    }
}

fn audit_from_row(row: &AnyRow) -> Result<AuditEntry, StoreError> {
    let detail: String = row.try_get("detail")?;
    Ok(AuditEntry {
        seq: row.try_get("seq")?,
        at: row.try_get("at")?,
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        patient_id: row.try_get("patient_id")?,
        // The store wrote this JSON itself; a row that does not parse is shown as text.
        detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::String(detail)),
    })
}
