//! Group commit: the event writes that arrive while the database is busy share one
//! transaction, so one durable commit (one fsync) acknowledges them all.
//!
//! A writer queues its drafts and awaits its own answer. A committer task takes every write
//! waiting at that moment (at most [`MAX_GROUP`]), writes them in arrival order in one
//! transaction, each with its own audit entry, and answers each only after the commit: an
//! acknowledged write is as durable as before. Nothing waits on purpose: while one group
//! commits the next one gathers, so a lone write commits at once and a burst shares commits.
//!
//! One write's error never fails the others. The group is first written straight through (the
//! common case: every write succeeds). If a write fails, that transaction is rolled back and
//! the group is written again with a savepoint around each write, so the failing write is
//! undone alone and answered with its own error while the others commit. Only a failure of
//! the transaction itself (a savepoint, the commit) fails every write of the group, and then
//! none of them was acknowledged.

use std::collections::HashSet;
use std::sync::Arc;

use sqlx::{Any, AnyPool, Transaction};
use tokio::sync::{Mutex, mpsc, oneshot};

use crate::events::{Draft, WriteError, write_in};
use crate::request_keys::RequestKey;
use crate::{Actor, Appended, Backend, StoreError, Timestamp};

/// The most writes one transaction holds.
const MAX_GROUP: usize = 256;

/// How many writes may wait before a writer waits to queue.
const QUEUE_LENGTH: usize = 4096;

/// One write of drafts to a patient's log, with its audit entry.
pub(crate) struct Write {
    pub(crate) actor: Actor,
    pub(crate) patient_id: String,
    pub(crate) drafts: Vec<Draft>,
    pub(crate) recorded_at: Timestamp,
    pub(crate) audit_action: &'static str,
    pub(crate) request_key: Option<RequestKey>,
}

type Answer = Result<Vec<Appended>, StoreError>;

struct Queued {
    write: Write,
    reply: oneshot::Sender<Answer>,
}

/// The queue in front of the committer tasks. Cheap to clone.
#[derive(Clone, Debug)]
pub(crate) struct GroupCommit {
    queue: mpsc::Sender<Queued>,
}

impl GroupCommit {
    /// Starts the committers on `pool`: one on SQLite (it has one writer), several on
    /// PostgreSQL (which runs transactions side by side). They stop when the last
    /// `GroupCommit` is dropped.
    pub(crate) fn start(pool: &AnyPool, backend: Backend) -> GroupCommit {
        let (queue, receiver) = mpsc::channel(QUEUE_LENGTH);
        let receiver = Arc::new(Mutex::new(receiver));
        let committers = match backend {
            Backend::Sqlite => 1,
            Backend::Postgres => 4,
        };
        for _ in 0..committers {
            tokio::spawn(commit_groups(pool.clone(), Arc::clone(&receiver)));
        }
        GroupCommit { queue }
    }

    /// Writes `write` in the next group and answers once that group is committed.
    pub(crate) async fn write(&self, write: Write) -> Answer {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Queued { write, reply })
            .await
            .map_err(|_| StoreError::WriterStopped)?;
        answer.await.map_err(|_| StoreError::WriterStopped)?
    }
}

/// A committer: takes what is waiting, commits it, answers, again until the queue closes.
async fn commit_groups(pool: AnyPool, queue: Arc<Mutex<mpsc::Receiver<Queued>>>) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    loop {
        if queue.lock().await.recv_many(&mut group, MAX_GROUP).await == 0 {
            return;
        }
        let (writes, replies): (Vec<Write>, Vec<oneshot::Sender<Answer>>) = group
            .drain(..)
            .map(|queued| (queued.write, queued.reply))
            .unzip();
        let answers = match commit_group(&pool, &writes).await {
            Ok(answers) => answers,
            Err(error) => {
                let message = error.to_string();
                (0..writes.len())
                    .map(|_| Err(StoreError::GroupFailed(message.clone())))
                    .collect()
            }
        };
        for (reply, answer) in replies.into_iter().zip(answers) {
            // A writer that stopped waiting (a client gone) still had its write committed.
            let _ = reply.send(answer);
        }
    }
}

/// Writes and commits a group: straight through, or when a write fails, again with each
/// write isolated by a savepoint. The outer error is the transaction's own.
async fn commit_group(pool: &AnyPool, writes: &[Write]) -> Result<Vec<Answer>, sqlx::Error> {
    let mut known_patients = HashSet::new();
    let mut tx = pool.begin().await?;
    let mut written = Vec::with_capacity(writes.len());
    for write in writes {
        let drafts = write.drafts.clone();
        match write_in(&mut tx, write, drafts, true, &mut known_patients).await {
            Ok(appended) => written.push(Ok(appended)),
            Err(_) => {
                tx.rollback().await?;
                return commit_isolated(pool, writes, &mut known_patients).await;
            }
        }
    }
    tx.commit().await?;
    Ok(written)
}

async fn commit_isolated(
    pool: &AnyPool,
    writes: &[Write],
    known_patients: &mut HashSet<String>,
) -> Result<Vec<Answer>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let mut answers = Vec::with_capacity(writes.len());
    for write in writes {
        answers.push(write_isolated(&mut tx, write, known_patients).await?);
    }
    tx.commit().await?;
    Ok(answers)
}

/// One write inside a savepoint: undone alone when it fails. A concurrent duplicate
/// (PostgreSQL) is retried once, now seeing the other transaction's row.
async fn write_isolated(
    tx: &mut Transaction<'_, Any>,
    write: &Write,
    known_patients: &mut HashSet<String>,
) -> Result<Answer, sqlx::Error> {
    let mut drafts = write.drafts.clone();
    for may_retry in [true, false] {
        sqlx::query("SAVEPOINT one_write")
            .execute(&mut **tx)
            .await?;
        let attempt = write_in(tx, write, drafts, may_retry, known_patients).await;
        if attempt.is_err() {
            sqlx::query("ROLLBACK TO SAVEPOINT one_write")
                .execute(&mut **tx)
                .await?;
        }
        sqlx::query("RELEASE SAVEPOINT one_write")
            .execute(&mut **tx)
            .await?;
        match attempt {
            Ok(appended) => return Ok(Ok(appended)),
            Err(WriteError::Store(error)) => return Ok(Err(error)),
            Err(WriteError::Race(again)) => drafts = again,
        }
    }
    // The second attempt (may_retry = false) never asks for a third.
    Ok(Err(StoreError::Invalid {
        field: "idempotency_key",
        value: write.patient_id.clone(),
        expected: "no concurrent write to the same fact; retry the request",
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NewFact, NewPatient, NewUser, Role, ValidTime, testing};

    /// A group whose third write asserts a fact id the first one took: that write alone is
    /// refused, with the error it would get on its own, and the others are committed in
    /// arrival order, each with its audit entry. Both databases.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failing_write_fails_alone_and_the_group_commits_in_order() {
        let t = Timestamp::parse("test", "2026-01-02T10:00:00Z").unwrap();
        for db in testing::all().await {
            let store = &db.store;
            let user = store
                .create_user(
                    &NewUser {
                        name: "dr.rossi",
                        role: Role::Clinician,
                        password: None,
                    },
                    "system",
                    t,
                )
                .await
                .unwrap();
            let actor = Actor {
                user_id: user.id,
                name: user.name,
                role: user.role,
            };
            let patient_id = store
                .create_patient(
                    &actor,
                    &NewPatient {
                        display_name: "Test Patient",
                        identifier: None,
                    },
                    t,
                )
                .await
                .unwrap()
                .id;
            let write = |fact_id: &str, value: u32| Write {
                actor: actor.clone(),
                patient_id: patient_id.clone(),
                drafts: vec![
                    Draft::assert(NewFact {
                        fact_id: Some(fact_id.to_owned()),
                        fact_kind: "observation".to_owned(),
                        valid_time: ValidTime::parse("test", "2026-01-02").unwrap(),
                        payload: format!(r#"{{"value":{value}}}"#),
                        idempotency_key: None,
                    })
                    .unwrap(),
                ],
                recorded_at: t,
                audit_action: "fact.append",
                request_key: None,
            };
            let writes = [write("a", 1), write("b", 2), write("a", 3), write("c", 4)];
            let answers = commit_group(&store.writer, &writes).await.unwrap();
            let refused = answers[2].as_ref().unwrap_err();
            assert!(
                matches!(refused, StoreError::DuplicateFact { fact_id, .. } if fact_id == "a"),
                "{}: {refused}",
                db.label
            );
            let written: Vec<(String, i64)> = [&answers[0], &answers[1], &answers[3]]
                .into_iter()
                .map(|answer| {
                    let event = &answer.as_ref().unwrap()[0].event;
                    (event.fact_id.clone(), event.seq)
                })
                .collect();
            assert_eq!(
                written
                    .iter()
                    .map(|(id, _)| id.as_str())
                    .collect::<Vec<_>>(),
                ["a", "b", "c"]
            );
            assert!(written.windows(2).all(|w| w[0].1 < w[1].1), "{written:?}");
            let stored: Vec<(String, i64, Option<String>)> = store
                .facts_as_of(&patient_id, None)
                .await
                .unwrap()
                .into_iter()
                .map(|e| (e.fact_id, e.seq, e.payload))
                .collect();
            assert_eq!(
                stored,
                [
                    (
                        "a".to_owned(),
                        written[0].1,
                        Some(r#"{"value":1}"#.to_owned())
                    ),
                    (
                        "b".to_owned(),
                        written[1].1,
                        Some(r#"{"value":2}"#.to_owned())
                    ),
                    (
                        "c".to_owned(),
                        written[2].1,
                        Some(r#"{"value":4}"#.to_owned())
                    ),
                ]
            );
            let appends = store
                .audit_log(0, 100)
                .await
                .unwrap()
                .into_iter()
                .filter(|entry| entry.action == "fact.append")
                .count();
            assert_eq!(appends, 3, "{}", db.label);
            db.finish().await;
        }
    }
}
