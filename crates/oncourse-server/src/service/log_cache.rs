//! A bounded cache of what is computed from one patient's log (assessments, dashboard views),
//! keyed by the patient, the log's latest event and the rest of the request. The log is
//! append-only, so an entry never goes stale: a new event makes a new key, and old entries
//! leave as the cache fills. Concurrent requests for one key wait for one computation.

use std::future::Future;
use std::hash::Hash;
use std::sync::Arc;

use oncourse_store::{Store, StoreError};

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct LogKey<Q> {
    patient_id: String,
    last_event_seq: Option<i64>,
    query: Q,
}

/// Values of type `V` computed from a patient's log for a request `Q` (shared by clones).
pub(crate) struct LogCache<Q, V>(Arc<quick_cache::sync::Cache<LogKey<Q>, Arc<V>>>);

impl<Q, V> Clone for LogCache<Q, V> {
    fn clone(&self) -> Self {
        LogCache(Arc::clone(&self.0))
    }
}

impl<Q: Clone + Eq + Hash, V> LogCache<Q, V> {
    /// A cache keeping at most `entries` values (at least one).
    pub(crate) fn new(entries: usize) -> Self {
        LogCache(Arc::new(quick_cache::sync::Cache::new(entries.max(1))))
    }

    /// The value for `query` on `patient_id`'s log as it is now: cached, or `compute`d once.
    pub(crate) async fn get_or_compute<E: From<StoreError>>(
        &self,
        store: &Store,
        patient_id: &str,
        query: Q,
        compute: impl Future<Output = Result<V, E>>,
    ) -> Result<Arc<V>, E> {
        let key = LogKey {
            patient_id: patient_id.to_owned(),
            last_event_seq: store.last_event_seq(patient_id).await?,
            query,
        };
        self.0
            .get_or_insert_async(&key, async { compute.await.map(Arc::new) })
            .await
    }
}
