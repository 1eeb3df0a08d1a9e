//! The store's error type: every variant names the thing, the value and what was expected.

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL is neither `sqlite:PATH` nor `postgres://…`.
    #[error("database url {url:?}: expected sqlite:PATH or postgres://USER@HOST/DB, {reason}")]
    BadUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The database refused or failed an operation.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A schema migration failed.
    #[error("database migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A value given to the store is malformed.
    #[error("{field}: expected {expected}, got {value:?}")]
    Invalid {
        /// The field, e.g. `valid_time`.
        field: &'static str,
        /// The value as given.
        value: String,
        /// What was expected.
        expected: &'static str,
    },
    /// No patient has this id.
    #[error("patient {0:?} not found")]
    PatientNotFound(String),
    /// A correction or retraction names an event that is not a version of that fact.
    #[error(
        "supersedes: event {event_id:?} is not a version of fact {fact_id:?} of patient {patient_id:?}"
    )]
    EventNotFound {
        /// The patient.
        patient_id: String,
        /// The fact being corrected or retracted.
        fact_id: String,
        /// The event named in `supersedes`.
        event_id: String,
    },
    /// A correction or retraction names a version that is no longer the latest.
    #[error(
        "supersedes: event {superseded:?} of fact {fact_id:?} was already superseded by {latest:?}; correct the latest version"
    )]
    NotLatest {
        /// The fact.
        fact_id: String,
        /// The event named in `supersedes`.
        superseded: String,
        /// The fact's latest event.
        latest: String,
    },
    /// A retracted fact cannot be corrected or retracted again.
    #[error(
        "supersedes: fact {fact_id:?} was retracted by event {event_id:?}; assert a new fact instead"
    )]
    Retracted {
        /// The fact.
        fact_id: String,
        /// The retraction event.
        event_id: String,
    },
    /// A fact id is asserted once per patient.
    #[error(
        "fact_id: fact {fact_id:?} already exists for patient {patient_id:?}; correct it instead"
    )]
    DuplicateFact {
        /// The patient.
        patient_id: String,
        /// The fact id.
        fact_id: String,
    },
    /// A recorded time earlier than the version it supersedes would break as-of reads.
    #[error(
        "recorded_at: {recorded_at} is earlier than {superseded_recorded_at}, when the superseded event was recorded"
    )]
    RecordedBeforeSuperseded {
        /// The new event's recorded time.
        recorded_at: String,
        /// The superseded event's recorded time.
        superseded_recorded_at: String,
    },
    /// An idempotency key was reused for a different request.
    #[error(
        "idempotency_key: {key:?} was already used by event {event_id:?} for a different request; use a new key"
    )]
    IdempotencyMismatch {
        /// The key.
        key: String,
        /// The event the key belongs to.
        event_id: String,
    },
    /// A user's idempotency key was reused for a different request.
    #[error(
        "Idempotency-Key: {key:?} was already used by this user for a different request (another path or body); send a new key with a new request"
    )]
    RequestKeyReused {
        /// The key.
        key: String,
    },
    /// The transaction a write shared with others (group commit) failed as a whole: none of
    /// its writes was committed.
    #[error("database: the transaction shared with other writes failed, nothing was written: {0}")]
    GroupFailed(String),
    /// The store's writer stopped (the store was closed) before the write was answered.
    #[error("database: the store's writer stopped before answering (the store is closed)")]
    WriterStopped,
    /// A user name is taken.
    #[error("user {0:?} already exists")]
    UserExists(String),
    /// Hashing or checking a password failed for a reason other than a wrong password.
    #[error("password hash: {0}")]
    PasswordHash(String),
}

impl StoreError {
    /// True when the error is the caller's (bad input or a conflict), not the database's.
    pub fn is_client_error(&self) -> bool {
        !matches!(
            self,
            StoreError::Database(_)
                | StoreError::Migration(_)
                | StoreError::PasswordHash(_)
                | StoreError::GroupFailed(_)
                | StoreError::WriterStopped
        )
    }
}

/// True when a database error is a unique-constraint violation (a concurrent duplicate write).
pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.kind() == sqlx::error::ErrorKind::UniqueViolation)
}
