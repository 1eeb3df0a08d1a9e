//! The clinical store: an append-only event log of clinical facts, with users, roles, API
//! tokens, sessions and an audit trail, on SQLite (one embedded file, the default) or PostgreSQL.
//!
//! A patient's record is a list of events. The first event of a fact asserts it; a correction
//! is a new event that supersedes the fact's latest event, a retraction a new event that
//! withdraws it. Nothing is ever updated or deleted: the schema's triggers refuse `UPDATE` and
//! `DELETE` on clinical and audit rows in both databases. [`Store::facts_as_of`] answers "what
//! did we know at this recorded time".
//!
//! The store never reads the clock: every write takes its recorded time from the caller, so a
//! test replays exactly. Payloads are JSON text, opaque here; the domain model gives them meaning.
//!
//! The same `$1` SQL runs on both databases through sqlx's `Any` driver (which carries only
//! integers, floats, text and bytes: times are RFC 3339 text, ids text, payloads JSON text).
//! Only the schema differs, in `migrations/sqlite` and `migrations/postgres`.

mod accounts;
mod audit;
mod database;
mod error;
mod events;
mod group_commit;
mod patients;
mod request_keys;
mod research;
#[cfg(feature = "testing")]
pub mod testing;
mod time;
mod token;

pub use accounts::{Actor, NewUser, Role, SYSTEM_ACTOR, Session, User, random_password};
pub use audit::AuditEntry;
pub use database::{Backend, DatabaseUrl, Store};
pub use error::StoreError;
pub use events::{Appended, Correction, Event, EventAction, NewFact, PutFact, Retraction};
pub use patients::{NewPatient, Patient};
pub use request_keys::RequestKey;
pub use time::{Timestamp, ValidTime};
