//! The append-only event log of clinical facts: assert, correct, retract, and as-of reads.
//!
//! A fact's versions form a chain: an `assert`, then corrections, each naming the version it
//! supersedes, possibly ended by a `retract`. The schema keeps the chain linear (`supersedes` is
//! unique), within one patient and fact (a composite foreign key), with one `assert` per fact id.
//! A version is recorded no earlier than the one it supersedes, so "the facts as known at T" is
//! the set of versions recorded by T that nothing recorded by T supersedes, less retractions.

use std::collections::HashSet;

use serde::de::IgnoredAny;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::audit::{AuditRecord, record_audit};
use crate::error::is_unique_violation;
use crate::group_commit::Write;
use crate::request_keys::{RequestKey, earlier_request, record_request};
use crate::token::random_hex;
use crate::{Actor, Store, StoreError, Timestamp, ValidTime};

/// What an event does to its fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventAction {
    /// The first version of a fact.
    Assert,
    /// A new version that replaces the one it supersedes.
    Correct,
    /// Withdraws the fact (entered in error); the chain ends.
    Retract,
}

impl EventAction {
    /// The stored name.
    pub fn as_str(&self) -> &'static str {
        match self {
            EventAction::Assert => "assert",
            EventAction::Correct => "correct",
            EventAction::Retract => "retract",
        }
    }

    fn from_stored(text: &str) -> Result<EventAction, StoreError> {
        match text {
            "assert" => Ok(EventAction::Assert),
            "correct" => Ok(EventAction::Correct),
            "retract" => Ok(EventAction::Retract),
            other => Err(StoreError::Invalid {
                field: "events.action",
                value: other.to_owned(),
                expected: "assert, correct or retract",
            }),
        }
    }
}

/// One stored event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Position in the log (increasing).
    pub seq: i64,
    /// Opaque unique id.
    pub event_id: String,
    /// The patient.
    pub patient_id: String,
    /// The fact this event is a version of.
    pub fact_id: String,
    /// Assert, correct or retract.
    pub action: EventAction,
    /// The fact's kind (`observation`, `adverse_event`, ...), as the domain model names it.
    pub fact_kind: String,
    /// When the fact was true, in the stored text form.
    pub valid_time: String,
    /// When the store learnt it, in the stored text form.
    pub recorded_at: String,
    /// The author's user id.
    pub author: String,
    /// The fact as JSON text; none for a retraction.
    pub payload: Option<String>,
    /// The event this one supersedes (corrections and retractions).
    pub supersedes: Option<String>,
    /// Why a correction or retraction was made.
    pub reason: Option<String>,
    /// The client's idempotency key, if it gave one.
    pub idempotency_key: Option<String>,
}

/// A new fact to assert.
#[derive(Clone, Debug)]
pub struct NewFact {
    /// The fact's id within the patient's record; a random one when none is given.
    pub fact_id: Option<String>,
    /// The fact's kind.
    pub fact_kind: String,
    /// When it was true.
    pub valid_time: ValidTime,
    /// The fact as JSON text (checked to be JSON, otherwise opaque).
    pub payload: String,
    /// A client key that makes a retried request return the first result.
    pub idempotency_key: Option<String>,
}

/// A correction: a new version of a fact.
#[derive(Clone, Debug)]
pub struct Correction {
    /// The fact.
    pub fact_id: String,
    /// The version being corrected (must be the latest).
    pub supersedes: String,
    /// When the corrected fact was true.
    pub valid_time: ValidTime,
    /// The corrected fact as JSON text.
    pub payload: String,
    /// Why.
    pub reason: String,
    /// A client key that makes a retried request return the first result.
    pub idempotency_key: Option<String>,
}

/// A retraction: the fact was entered in error.
#[derive(Clone, Debug)]
pub struct Retraction {
    /// The fact.
    pub fact_id: String,
    /// The latest version, being withdrawn.
    pub supersedes: String,
    /// Why.
    pub reason: String,
    /// A client key that makes a retried request return the first result.
    pub idempotency_key: Option<String>,
}

/// What [`Store::put_fact`] writes.
#[derive(Clone, Debug)]
pub struct PutFact {
    /// The fact; its id is required.
    pub fact: NewFact,
    /// Why a later version supersedes the earlier one.
    pub reason: String,
    /// The audit entry's action, e.g. `recommendation.acknowledge`.
    pub audit_action: &'static str,
    /// The client's key for this request, if it gave one.
    pub request_key: Option<RequestKey>,
}

/// The result of a write: the event, and whether it was a replay of an earlier request with the
/// same idempotency key (then nothing was added).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appended {
    /// The stored event.
    pub event: Event,
    /// True when the idempotency key had been used before by the same request.
    pub replayed: bool,
}

const EVENT_COLUMNS: &str = "seq, event_id, patient_id, fact_id, action, fact_kind, valid_time, \
     recorded_at, author, payload, supersedes, reason, idempotency_key";

/// An event about to be written, before the database gives it a `seq`.
#[derive(Clone)]
pub(crate) struct Draft {
    event_id: String,
    fact_id: String,
    /// False when the store made the fact id up (it then differs between retries).
    fact_id_given: bool,
    action: EventAction,
    fact_kind: String,
    valid_time: String,
    payload: Option<String>,
    supersedes: Option<String>,
    reason: Option<String>,
    idempotency_key: Option<String>,
}

impl Draft {
    /// The draft of a new fact's first version.
    pub(crate) fn assert(fact: NewFact) -> Result<Draft, StoreError> {
        check_json(&fact.payload)?;
        check_key(fact.idempotency_key.as_deref())?;
        Ok(Draft {
            event_id: new_event_id(),
            fact_id_given: fact.fact_id.is_some(),
            fact_id: match fact.fact_id {
                Some(id) => check_fact_id(id)?,
                None => format!("f_{}", random_hex(12)),
            },
            action: EventAction::Assert,
            fact_kind: check_kind(fact.fact_kind)?,
            valid_time: fact.valid_time.to_sql_text(),
            payload: Some(fact.payload),
            supersedes: None,
            reason: None,
            idempotency_key: fact.idempotency_key,
        })
    }

    /// The draft of a correction or retraction of the version `supersedes` of `fact_id`. What
    /// it inherits from that version (the kind; a retraction's valid time) is filled in by
    /// `write`, inside the transaction that checks the version is still the latest.
    fn superseding(
        action: EventAction,
        fact_id: String,
        supersedes: String,
        reason: String,
        idempotency_key: Option<String>,
    ) -> Result<Draft, StoreError> {
        check_key(idempotency_key.as_deref())?;
        Ok(Draft {
            event_id: new_event_id(),
            fact_id,
            fact_id_given: true,
            action,
            fact_kind: String::new(),
            valid_time: String::new(),
            payload: None,
            supersedes: Some(supersedes),
            reason: Some(check_reason(reason)?),
            idempotency_key,
        })
    }

    /// True when an earlier event with the same idempotency key came from this same request.
    /// Fields a correction or retraction inherits from the version it supersedes are not
    /// compared, nor a fact id the store made up.
    fn same_request_as(&self, event: &Event) -> bool {
        let same_fact = !self.fact_id_given || self.fact_id == event.fact_id;
        let same_content = match self.action {
            EventAction::Assert => {
                self.fact_kind == event.fact_kind && self.valid_time == event.valid_time
            }
            EventAction::Correct => self.valid_time == event.valid_time,
            EventAction::Retract => true,
        };
        self.action == event.action
            && same_fact
            && same_content
            && self.payload == event.payload
            && self.supersedes == event.supersedes
            && self.reason == event.reason
    }
}

impl Store {
    /// Asserts a new fact.
    pub async fn append_fact(
        &self,
        actor: &Actor,
        patient_id: &str,
        fact: NewFact,
        recorded_at: Timestamp,
    ) -> Result<Appended, StoreError> {
        let mut appended = self
            .append_facts(actor, patient_id, vec![fact], recorded_at)
            .await?;
        Ok(appended.remove(0))
    }

    /// Asserts several facts in one transaction (all or none), with one audit entry.
    pub async fn append_facts(
        &self,
        actor: &Actor,
        patient_id: &str,
        facts: Vec<NewFact>,
        recorded_at: Timestamp,
    ) -> Result<Vec<Appended>, StoreError> {
        self.append_facts_keyed(actor, patient_id, facts, None, recorded_at)
            .await
    }

    /// [`Store::append_facts`] for a request that may carry the user's idempotency key: a
    /// retry with the same key and request digest writes nothing and returns the first
    /// request's events (`replayed`); the same key with another digest is
    /// [`StoreError::RequestKeyReused`].
    pub async fn append_facts_keyed(
        &self,
        actor: &Actor,
        patient_id: &str,
        facts: Vec<NewFact>,
        request_key: Option<RequestKey>,
        recorded_at: Timestamp,
    ) -> Result<Vec<Appended>, StoreError> {
        let drafts = facts
            .into_iter()
            .map(Draft::assert)
            .collect::<Result<Vec<_>, StoreError>>()?;
        self.write(
            actor,
            patient_id,
            drafts,
            recorded_at,
            "fact.append",
            request_key,
        )
        .await
    }

    /// Records the current value of a fact that has one at a time (a clinician's decision on a
    /// recommendation): the first time it asserts `put.fact`, later it supersedes the fact's
    /// latest version with `put.reason`. The fact id must be given. A concurrent write of the
    /// same fact is refused (`DuplicateFact` or `NotLatest`), never merged; the audit entry
    /// carries `put.audit_action`; `put.request_key` as in [`Store::append_facts_keyed`].
    pub async fn put_fact(
        &self,
        actor: &Actor,
        patient_id: &str,
        put: PutFact,
        recorded_at: Timestamp,
    ) -> Result<Appended, StoreError> {
        let Some(fact_id) = put.fact.fact_id.clone() else {
            return Err(StoreError::Invalid {
                field: "fact_id",
                value: String::new(),
                expected: "a fact id (put_fact replaces the versions of one fact)",
            });
        };
        let mut draft = Draft::assert(put.fact)?;
        if let Some(latest) = self.fact_history(patient_id, &fact_id).await?.pop() {
            draft.action = EventAction::Correct;
            draft.fact_kind = String::new(); // Inherited from the superseded version in `write`.
            draft.supersedes = Some(latest.event_id);
            draft.reason = Some(check_reason(put.reason)?);
        }
        self.write_one(
            actor,
            patient_id,
            draft,
            recorded_at,
            put.audit_action,
            put.request_key,
        )
        .await
    }

    /// Corrects a fact: a new version superseding its latest one.
    pub async fn correct_fact(
        &self,
        actor: &Actor,
        patient_id: &str,
        correction: Correction,
        recorded_at: Timestamp,
    ) -> Result<Appended, StoreError> {
        check_json(&correction.payload)?;
        let draft = Draft {
            valid_time: correction.valid_time.to_sql_text(),
            payload: Some(correction.payload),
            ..Draft::superseding(
                EventAction::Correct,
                correction.fact_id,
                correction.supersedes,
                correction.reason,
                correction.idempotency_key,
            )?
        };
        self.write_one(actor, patient_id, draft, recorded_at, "fact.correct", None)
            .await
    }

    /// Retracts a fact entered in error.
    pub async fn retract_fact(
        &self,
        actor: &Actor,
        patient_id: &str,
        retraction: Retraction,
        recorded_at: Timestamp,
    ) -> Result<Appended, StoreError> {
        let draft = Draft::superseding(
            EventAction::Retract,
            retraction.fact_id,
            retraction.supersedes,
            retraction.reason,
            retraction.idempotency_key,
        )?;
        self.write_one(actor, patient_id, draft, recorded_at, "fact.retract", None)
            .await
    }

    /// The patient's facts as known at `as_of` (now when none): each fact's latest version
    /// recorded by then, without retracted facts, ordered by valid time then log order.
    pub async fn facts_as_of(
        &self,
        patient_id: &str,
        as_of: Option<Timestamp>,
    ) -> Result<Vec<Event>, StoreError> {
        self.current_events(patient_id, as_of, None, None).await
    }

    /// The patient's facts of one kind as known at `as_of` (now when none), like
    /// [`Store::facts_as_of`] but reading only that kind's rows.
    pub async fn facts_of_kind_as_of(
        &self,
        patient_id: &str,
        fact_kind: &str,
        as_of: Option<Timestamp>,
    ) -> Result<Vec<Event>, StoreError> {
        self.current_events(patient_id, as_of, Some(fact_kind), None)
            .await
    }

    /// One page of [`Store::facts_as_of`], in the same order: at most `limit` events after
    /// the event numbered `after` (a `seq` from an earlier page; from the start when none).
    pub async fn facts_page(
        &self,
        patient_id: &str,
        as_of: Option<Timestamp>,
        after: Option<i64>,
        limit: u32,
    ) -> Result<Vec<Event>, StoreError> {
        let after = match after {
            None => None,
            Some(seq) => {
                let row =
                    sqlx::query("SELECT valid_time FROM events WHERE patient_id = $1 AND seq = $2")
                        .bind(patient_id)
                        .bind(seq)
                        .fetch_optional(&self.reader)
                        .await?;
                let Some(row) = row else {
                    return Err(StoreError::Invalid {
                        field: "after",
                        value: seq.to_string(),
                        expected: "the seq of one of this patient's events (from an earlier page)",
                    });
                };
                Some((row.try_get::<String, _>(0)?, seq))
            }
        };
        self.current_events(patient_id, as_of, None, Some((after, limit)))
            .await
    }

    /// The current events, optionally of one kind, optionally one page (after a (valid time,
    /// seq) position, at most a number of rows).
    async fn current_events(
        &self,
        patient_id: &str,
        as_of: Option<Timestamp>,
        fact_kind: Option<&str>,
        page: Option<(Option<(String, i64)>, u32)>,
    ) -> Result<Vec<Event>, StoreError> {
        self.patient(patient_id).await?;
        let as_of = as_of.map_or_else(
            || Timestamp::end_of_time_text().to_owned(),
            |t| t.to_sql_text(),
        );
        let mut filters = String::new();
        let mut next = 3;
        let mut placeholder = || {
            next += 1;
            format!("${}", next - 1)
        };
        if fact_kind.is_some() {
            filters.push_str(&format!(" AND e.fact_kind = {}", placeholder()));
        }
        let after = page.as_ref().and_then(|(after, _)| after.clone());
        if after.is_some() {
            let (time, seq) = (placeholder(), placeholder());
            filters.push_str(&format!(
                " AND (e.valid_time > {time} OR (e.valid_time = {time} AND e.seq > {seq}))"
            ));
        }
        let limit = match page {
            Some(_) => format!(" LIMIT {}", placeholder()),
            None => String::new(),
        };
        // `recorded_at || ''` keeps SQLite (which has no statistics to go by) from choosing the
        // (patient, recorded_at) index and sorting every row of the patient: the
        // (patient, valid_time, seq) index then yields the rows in order and a page stops early.
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events e \
             WHERE e.patient_id = $1 AND (e.recorded_at || '') <= $2 AND e.action <> 'retract'{filters} \
             AND NOT EXISTS (SELECT 1 FROM events s WHERE s.supersedes = e.event_id \
                             AND s.recorded_at <= $2) \
             ORDER BY e.valid_time, e.seq{limit}"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(patient_id)
            .bind(as_of);
        if let Some(kind) = fact_kind {
            query = query.bind(kind);
        }
        if let Some((time, seq)) = after {
            query = query.bind(time).bind(seq);
        }
        if let Some((_, limit)) = page {
            query = query.bind(i64::from(limit));
        }
        let rows = query.fetch_all(&self.reader).await?;
        rows.iter().map(event_from_row).collect()
    }

    /// The position of the patient's latest event in the log (none before the first): the
    /// log is append-only, so anything computed from a patient's events stays valid while
    /// this number does not change.
    pub async fn last_event_seq(&self, patient_id: &str) -> Result<Option<i64>, StoreError> {
        // One round trip: it is asked before every cached read.
        let row = sqlx::query(
            "SELECT (SELECT MAX(seq) FROM events WHERE patient_id = $1) FROM patients WHERE id = $1",
        )
        .bind(patient_id)
        .fetch_optional(&self.reader)
        .await?;
        match row {
            Some(row) => Ok(row.try_get::<Option<i64>, _>(0)?),
            None => Err(StoreError::PatientNotFound(patient_id.to_owned())),
        }
    }

    /// Every version of one fact, oldest first.
    pub async fn fact_history(
        &self,
        patient_id: &str,
        fact_id: &str,
    ) -> Result<Vec<Event>, StoreError> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE patient_id = $1 AND fact_id = $2 ORDER BY seq"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(patient_id)
            .bind(fact_id)
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(event_from_row).collect()
    }

    /// Writes one draft (see `write`) and returns its event.
    async fn write_one(
        &self,
        actor: &Actor,
        patient_id: &str,
        draft: Draft,
        recorded_at: Timestamp,
        audit_action: &'static str,
        request_key: Option<RequestKey>,
    ) -> Result<Appended, StoreError> {
        let mut written = self
            .write(
                actor,
                patient_id,
                vec![draft],
                recorded_at,
                audit_action,
                request_key,
            )
            .await?;
        Ok(written.remove(0))
    }

    /// Writes drafts in one transaction with one audit entry, shared with the writes that
    /// arrive at the same time (see `group_commit`); answered once committed. A concurrent
    /// duplicate (the same idempotency key or a second correction of the same version) is
    /// detected by the database's unique constraints and answered like a sequential one.
    async fn write(
        &self,
        actor: &Actor,
        patient_id: &str,
        drafts: Vec<Draft>,
        recorded_at: Timestamp,
        audit_action: &'static str,
        request_key: Option<RequestKey>,
    ) -> Result<Vec<Appended>, StoreError> {
        self.writes
            .write(Write {
                actor: actor.clone(),
                patient_id: patient_id.to_owned(),
                drafts,
                recorded_at,
                audit_action,
                request_key,
            })
            .await
    }
}

/// Why `write_in` failed.
pub(crate) enum WriteError {
    /// The write is refused (or the database failed).
    Store(StoreError),
    /// A unique constraint fired: a concurrent write; the drafts to retry.
    Race(Vec<Draft>),
}

impl From<StoreError> for WriteError {
    fn from(error: StoreError) -> WriteError {
        WriteError::Store(error)
    }
}

impl From<sqlx::Error> for WriteError {
    fn from(error: sqlx::Error) -> WriteError {
        WriteError::Store(error.into())
    }
}

/// Writes `drafts` (the write's, or their retry) and the write's audit entry inside `tx`.
/// With `may_retry`, a concurrent duplicate is answered with `Race` so that the caller retries
/// once, now seeing the other write's row. `known_patients` are patients already found in this
/// transaction: patients are never removed, so each is looked up once per group.
pub(crate) async fn write_in(
    tx: &mut Transaction<'_, Any>,
    write: &Write,
    drafts: Vec<Draft>,
    may_retry: bool,
    known_patients: &mut HashSet<String>,
) -> Result<Vec<Appended>, WriteError> {
    let Write {
        actor,
        patient_id,
        recorded_at,
        audit_action,
        ..
    } = write;
    if !known_patients.contains(patient_id) {
        let patient = sqlx::query("SELECT id FROM patients WHERE id = $1")
            .bind(patient_id)
            .fetch_optional(&mut **tx)
            .await?;
        if patient.is_none() {
            return Err(StoreError::PatientNotFound(patient_id.clone()).into());
        }
        known_patients.insert(patient_id.clone());
    }
    if let Some(request) = &write.request_key
        && let Some(earlier) = earlier_request(tx, actor, request).await?
    {
        return Ok(earlier);
    }
    let recorded_text = recorded_at.to_sql_text();
    let mut results = Vec::with_capacity(drafts.len());
    for draft in &drafts {
        if let Some(key) = &draft.idempotency_key
            && let Some(earlier) = event_by_key(tx, patient_id, key).await?
        {
            if !draft.same_request_as(&earlier) {
                return Err(StoreError::IdempotencyMismatch {
                    key: key.clone(),
                    event_id: earlier.event_id,
                }
                .into());
            }
            results.push(Appended {
                event: earlier,
                replayed: true,
            });
            continue;
        }
        let filled = match draft_filled(tx, patient_id, draft, &recorded_text).await {
            Ok(filled) => filled,
            // Under PostgreSQL's read-committed isolation a concurrent retry of this same
            // request may commit between the key lookup and this check; look again.
            Err(WriteError::Store(
                StoreError::DuplicateFact { .. }
                | StoreError::NotLatest { .. }
                | StoreError::Retracted { .. },
            )) if may_retry && draft.idempotency_key.is_some() => {
                return Err(WriteError::Race(drafts));
            }
            Err(error) => return Err(error),
        };
        match insert_event(tx, patient_id, filled, actor, &recorded_text).await {
            Ok(event) => results.push(Appended {
                event,
                replayed: false,
            }),
            // The checks above passed, so a concurrent transaction wrote the same key, fact or
            // correction in between.
            Err(error) if may_retry && is_unique_violation(&error) => {
                return Err(WriteError::Race(drafts));
            }
            Err(error) => return Err(StoreError::from(error).into()),
        }
    }
    if let Some(request) = &write.request_key {
        match record_request(tx, actor, request, patient_id, &results, *recorded_at).await {
            Ok(()) => {}
            // A concurrent retry with the same key committed first.
            Err(error) if may_retry && is_unique_violation(&error) => {
                return Err(WriteError::Race(drafts));
            }
            Err(error) => return Err(StoreError::from(error).into()),
        }
    }
    let written: Vec<&str> = results
        .iter()
        .filter(|r| !r.replayed)
        .map(|r| r.event.event_id.as_str())
        .collect();
    if !written.is_empty() {
        record_audit(
            tx,
            &AuditRecord {
                at: *recorded_at,
                actor: &actor.name,
                action: audit_action,
                patient_id: Some(patient_id),
                detail: serde_json::json!({ "events": written }),
            },
        )
        .await?;
    }
    Ok(results)
}

/// For a correction or retraction: checks the superseded version and fills in what the new
/// event inherits from it (the kind; a retraction's valid time). Assertions pass unchanged but
/// are checked against an existing fact with the same id.
async fn draft_filled(
    tx: &mut Transaction<'_, Any>,
    patient_id: &str,
    draft: &Draft,
    recorded_text: &str,
) -> Result<Draft, WriteError> {
    let mut filled = draft.clone();
    let Some(superseded_id) = &draft.supersedes else {
        // A fact id the store made up is 96 random bits: only a given id needs the look-up
        // (the unique index would still refuse a collision).
        if draft.fact_id_given && fact_exists(tx, patient_id, &draft.fact_id).await? {
            return Err(StoreError::DuplicateFact {
                patient_id: patient_id.to_owned(),
                fact_id: draft.fact_id.clone(),
            }
            .into());
        }
        return Ok(filled);
    };
    let history = fact_versions(tx, patient_id, &draft.fact_id).await?;
    let Some(superseded) = history.iter().find(|e| &e.event_id == superseded_id) else {
        return Err(StoreError::EventNotFound {
            patient_id: patient_id.to_owned(),
            fact_id: draft.fact_id.clone(),
            event_id: superseded_id.clone(),
        }
        .into());
    };
    let latest = history.last().unwrap_or(superseded);
    if latest.action == EventAction::Retract {
        return Err(StoreError::Retracted {
            fact_id: draft.fact_id.clone(),
            event_id: latest.event_id.clone(),
        }
        .into());
    }
    if latest.event_id != superseded.event_id {
        return Err(StoreError::NotLatest {
            fact_id: draft.fact_id.clone(),
            superseded: superseded.event_id.clone(),
            latest: latest.event_id.clone(),
        }
        .into());
    }
    if recorded_text < superseded.recorded_at.as_str() {
        return Err(StoreError::RecordedBeforeSuperseded {
            recorded_at: recorded_text.to_owned(),
            superseded_recorded_at: superseded.recorded_at.clone(),
        }
        .into());
    }
    filled.fact_kind = superseded.fact_kind.clone();
    if filled.action == EventAction::Retract {
        filled.valid_time = superseded.valid_time.clone();
    }
    Ok(filled)
}

async fn insert_event(
    tx: &mut Transaction<'_, Any>,
    patient_id: &str,
    draft: Draft,
    actor: &Actor,
    recorded_text: &str,
) -> Result<Event, sqlx::Error> {
    let row = sqlx::query(
        "INSERT INTO events (event_id, patient_id, fact_id, action, fact_kind, valid_time, \
         recorded_at, author, payload, supersedes, reason, idempotency_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING seq",
    )
    .bind(&draft.event_id)
    .bind(patient_id)
    .bind(&draft.fact_id)
    .bind(draft.action.as_str())
    .bind(&draft.fact_kind)
    .bind(&draft.valid_time)
    .bind(recorded_text)
    .bind(&actor.user_id)
    .bind(&draft.payload)
    .bind(&draft.supersedes)
    .bind(&draft.reason)
    .bind(&draft.idempotency_key)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Event {
        seq: row.try_get("seq")?,
        event_id: draft.event_id,
        patient_id: patient_id.to_owned(),
        fact_id: draft.fact_id,
        action: draft.action,
        fact_kind: draft.fact_kind,
        valid_time: draft.valid_time,
        recorded_at: recorded_text.to_owned(),
        author: actor.user_id.clone(),
        payload: draft.payload,
        supersedes: draft.supersedes,
        reason: draft.reason,
        idempotency_key: draft.idempotency_key,
    })
}

async fn event_by_key(
    tx: &mut Transaction<'_, Any>,
    patient_id: &str,
    key: &str,
) -> Result<Option<Event>, StoreError> {
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE patient_id = $1 AND idempotency_key = $2"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(patient_id)
        .bind(key)
        .fetch_optional(&mut **tx)
        .await?;
    row.map(|row| event_from_row(&row)).transpose()
}

/// One event of a patient, by id.
pub(crate) async fn event_by_id(
    tx: &mut Transaction<'_, Any>,
    patient_id: &str,
    event_id: &str,
) -> Result<Event, StoreError> {
    let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE patient_id = $1 AND event_id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(patient_id)
        .bind(event_id)
        .fetch_one(&mut **tx)
        .await?;
    event_from_row(&row)
}

async fn fact_versions(
    tx: &mut Transaction<'_, Any>,
    patient_id: &str,
    fact_id: &str,
) -> Result<Vec<Event>, StoreError> {
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE patient_id = $1 AND fact_id = $2 ORDER BY seq"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(patient_id)
        .bind(fact_id)
        .fetch_all(&mut **tx)
        .await?;
    rows.iter().map(event_from_row).collect()
}

async fn fact_exists(
    tx: &mut Transaction<'_, Any>,
    patient_id: &str,
    fact_id: &str,
) -> Result<bool, StoreError> {
    let row =
        sqlx::query("SELECT 1 AS one FROM events WHERE patient_id = $1 AND fact_id = $2 LIMIT 1")
            .bind(patient_id)
            .bind(fact_id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.is_some())
}

fn event_from_row(row: &AnyRow) -> Result<Event, StoreError> {
    Ok(Event {
        seq: row.try_get("seq")?,
        event_id: row.try_get("event_id")?,
        patient_id: row.try_get("patient_id")?,
        fact_id: row.try_get("fact_id")?,
        action: EventAction::from_stored(&row.try_get::<String, _>("action")?)?,
        fact_kind: row.try_get("fact_kind")?,
        valid_time: row.try_get("valid_time")?,
        recorded_at: row.try_get("recorded_at")?,
        author: row.try_get("author")?,
        payload: row.try_get("payload")?,
        supersedes: row.try_get("supersedes")?,
        reason: row.try_get("reason")?,
        idempotency_key: row.try_get("idempotency_key")?,
    })
}

fn new_event_id() -> String {
    format!("e_{}", random_hex(16))
}

fn check_json(payload: &str) -> Result<(), StoreError> {
    serde_json::from_str::<IgnoredAny>(payload)
        .map(|_| ())
        .map_err(|error| StoreError::Invalid {
            field: "payload",
            value: format!("{} ({error})", payload.chars().take(80).collect::<String>()),
            expected: "JSON",
        })
}

fn check_token(
    field: &'static str,
    value: String,
    expected: &'static str,
) -> Result<String, StoreError> {
    let ok = (1..=128).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':'));
    if ok {
        Ok(value)
    } else {
        Err(StoreError::Invalid {
            field,
            value,
            expected,
        })
    }
}

fn check_fact_id(fact_id: String) -> Result<String, StoreError> {
    check_token(
        "fact_id",
        fact_id,
        "1-128 letters, digits, '.', '_', '-' or ':'",
    )
}

fn check_kind(kind: String) -> Result<String, StoreError> {
    check_token("kind", kind, "1-128 letters, digits, '.', '_', '-' or ':'")
}

fn check_key(key: Option<&str>) -> Result<(), StoreError> {
    match key {
        Some(key) if key.is_empty() || key.len() > 255 => Err(StoreError::Invalid {
            field: "idempotency_key",
            value: key.to_owned(),
            expected: "1-255 characters",
        }),
        _ => Ok(()),
    }
}

fn check_reason(reason: String) -> Result<String, StoreError> {
    if reason.trim().is_empty() {
        Err(StoreError::Invalid {
            field: "reason",
            value: reason,
            expected: "a reason for the correction or retraction",
        })
    } else {
        Ok(reason)
    }
}
