//! Idempotency keys of requests, per user (the HTTP `Idempotency-Key` header): the first
//! request's digest and the events it wrote, stored in the same transaction as those events.

use sqlx::{Any, Row, Transaction};

use crate::events::{Appended, event_by_id};
use crate::{Actor, StoreError, Timestamp};

/// A client's key for one request, with a digest of that request (method, path and body, as
/// the caller defines it): a retry with the same key and digest writes nothing and gets the
/// first request's events; the same key with another digest is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestKey {
    /// The key, 1-255 characters, unique per user.
    pub key: String,
    /// A digest of the request (e.g. SHA-256 hex).
    pub request_digest: String,
}

impl RequestKey {
    /// Checks the key's length.
    pub fn new(key: &str, request_digest: String) -> Result<RequestKey, StoreError> {
        if key.is_empty() || key.len() > 255 {
            return Err(StoreError::Invalid {
                field: "Idempotency-Key",
                value: key.to_owned(),
                expected: "1-255 characters",
            });
        }
        Ok(RequestKey {
            key: key.to_owned(),
            request_digest,
        })
    }
}

/// The events of the user's earlier request with this key (replayed), if there was one; an
/// error when that request was a different one.
pub(crate) async fn earlier_request(
    tx: &mut Transaction<'_, Any>,
    actor: &Actor,
    request: &RequestKey,
) -> Result<Option<Vec<Appended>>, StoreError> {
    let row = sqlx::query(
        "SELECT request_digest, patient_id, event_ids FROM request_keys \
         WHERE user_id = $1 AND request_key = $2",
    )
    .bind(&actor.user_id)
    .bind(&request.key)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let digest: String = row.try_get("request_digest")?;
    if digest != request.request_digest {
        return Err(StoreError::RequestKeyReused {
            key: request.key.clone(),
        });
    }
    let patient_id: String = row.try_get("patient_id")?;
    let ids: String = row.try_get("event_ids")?;
    let ids: Vec<String> = serde_json::from_str(&ids).map_err(|_| StoreError::Invalid {
        field: "request_keys.event_ids",
        value: ids.clone(),
        expected: "a JSON array of event ids",
    })?;
    let mut replayed = Vec::with_capacity(ids.len());
    for id in ids {
        let event = event_by_id(tx, &patient_id, &id).await?;
        replayed.push(Appended {
            event,
            replayed: true,
        });
    }
    Ok(Some(replayed))
}

/// Records the key with the events its request wrote.
pub(crate) async fn record_request(
    tx: &mut Transaction<'_, Any>,
    actor: &Actor,
    request: &RequestKey,
    patient_id: &str,
    written: &[Appended],
    recorded_at: Timestamp,
) -> Result<(), sqlx::Error> {
    let ids: Vec<&str> = written.iter().map(|a| a.event.event_id.as_str()).collect();
    sqlx::query(
        "INSERT INTO request_keys (user_id, request_key, request_digest, patient_id, event_ids, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&actor.user_id)
    .bind(&request.key)
    .bind(&request.request_digest)
    .bind(patient_id)
    .bind(serde_json::Value::from(ids).to_string())
    .bind(recorded_at.to_sql_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
