//! The store's integration suite: every scenario runs on SQLite, and on PostgreSQL too when
//! `ONCOURSE_TEST_POSTGRES_URL` is set (see `support`).

use std::io::Write;

use chrono::Duration;
use oncourse_store::testing as support;
use oncourse_store::{
    Actor, Correction, EventAction, NewFact, NewPatient, NewUser, RequestKey, Retraction, Role,
    Store, StoreError, Timestamp, ValidTime,
};

fn at(text: &str) -> Timestamp {
    Timestamp::parse("test", text).unwrap()
}

fn date(text: &str) -> ValidTime {
    ValidTime::parse("test", text).unwrap()
}

async fn clinician(store: &Store) -> Actor {
    user(store, "dr.rossi", Role::Clinician).await
}

async fn user(store: &Store, name: &str, role: Role) -> Actor {
    let user = store
        .create_user(
            &NewUser {
                name,
                role,
                password: Some("s3cret-passphrase"),
            },
            "system",
            at("2026-01-01T08:00:00Z"),
        )
        .await
        .unwrap();
    Actor {
        user_id: user.id,
        name: user.name,
        role: user.role,
    }
}

async fn patient(store: &Store, actor: &Actor) -> String {
    store
        .create_patient(
            actor,
            &NewPatient {
                display_name: "Test Patient",
                identifier: Some("MRN-0001"),
            },
            at("2026-01-01T08:05:00Z"),
        )
        .await
        .unwrap()
        .id
}

fn hemoglobin(fact_id: &str, grams_per_litre: u32, key: Option<&str>) -> NewFact {
    NewFact {
        fact_id: Some(fact_id.to_owned()),
        fact_kind: "observation".to_owned(),
        valid_time: date("2026-01-02"),
        payload: format!(r#"{{"name":"hemoglobin","value":{grams_per_litre},"unit":"g/L"}}"#),
        idempotency_key: key.map(str::to_owned),
    }
}

/// Runs a scenario on every database of this run.
macro_rules! on_every_database {
    ($($name:ident),* $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            for db in support::all().await {
                eprintln!("{}: {}", stringify!($name), db.label);
                scenarios::$name(&db.store).await;
                db.finish().await;
            }
        }
    )*};
}

on_every_database!(
    as_of_reads_apply_corrections_and_retractions,
    idempotent_replays_add_nothing,
    corrections_must_supersede_the_latest_version,
    the_database_refuses_updates_and_deletes,
    tokens_sessions_and_logins_are_checked_and_audited,
    concurrent_writers_lose_nothing,
    a_batch_is_written_whole_or_not_at_all,
    request_keys_replay_per_user_even_when_racing,
);

/// Group commit: eight clients each send five single writes at once, and one of those writes
/// (in the middle of client 3's) asserts a fact id that exists. Every other write is
/// acknowledged, each client's writes are in its order in the log, the bad one gets its own
/// error, and after the store is closed and opened again every acknowledged write is there
/// with the seq it was acknowledged with.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_single_writes_is_durable_in_order_and_a_bad_one_fails_alone() {
    for db in support::all().await {
        let store = &db.store;
        let actor = clinician(store).await;
        let patient_id = patient(store, &actor).await;
        let t = at("2026-01-02T10:00:00Z");
        store
            .append_fact(&actor, &patient_id, hemoglobin("taken", 90, None), t)
            .await
            .unwrap();
        let mut clients = Vec::new();
        for client in 0..8u32 {
            let (store, actor, patient_id) = (store.clone(), actor.clone(), patient_id.clone());
            clients.push(tokio::spawn(async move {
                let mut answers = Vec::new();
                for i in 0..5u32 {
                    let fact_id = if (client, i) == (3, 2) {
                        "taken".to_owned()
                    } else {
                        format!("c{client}-{i}")
                    };
                    let fact = hemoglobin(&fact_id, 100 + 10 * client + i, None);
                    answers.push(store.append_fact(&actor, &patient_id, fact, t).await);
                }
                answers
            }));
        }
        let mut acknowledged = Vec::new();
        for (client, task) in clients.into_iter().enumerate() {
            let answers = task.await.unwrap();
            let mut seqs = Vec::new();
            for (i, answer) in answers.into_iter().enumerate() {
                match answer {
                    Ok(appended) => {
                        seqs.push(appended.event.seq);
                        acknowledged.push(appended.event);
                    }
                    Err(error) => {
                        assert_eq!((client, i), (3, 2), "{}: {error}", db.label);
                        assert!(
                            matches!(&error, StoreError::DuplicateFact { fact_id, .. } if fact_id == "taken"),
                            "{error}"
                        );
                    }
                }
            }
            assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
        }
        assert_eq!(acknowledged.len(), 8 * 5 - 1);
        db.store.close().await;
        let reopened = Store::open(&db.url.parse().unwrap()).await.unwrap();
        let stored = reopened.facts_as_of(&patient_id, None).await.unwrap();
        assert_eq!(stored.len(), acknowledged.len() + 1, "{}", db.label);
        for event in &acknowledged {
            let found = stored.iter().find(|e| e.event_id == event.event_id);
            assert_eq!(found, Some(event), "{}", db.label);
        }
        let taken = stored.iter().filter(|e| e.fact_id == "taken").count();
        assert_eq!(taken, 1);
        reopened.close().await;
        db.finish().await;
    }
}

#[test]
fn reports_the_databases_under_test() {
    // Written to the real stderr (not captured), so every `cargo test` run says it.
    let message = match std::env::var(support::POSTGRES_ENV) {
        Ok(_) => "oncourse-store integration suite: ran on SQLite and PostgreSQL\n".to_owned(),
        Err(_) => format!(
            "oncourse-store integration suite: ran on SQLite only (set {} to run on PostgreSQL too)\n",
            support::POSTGRES_ENV
        ),
    };
    std::io::stderr().write_all(message.as_bytes()).unwrap();
}

mod scenarios {
    use super::*;

    pub async fn as_of_reads_apply_corrections_and_retractions(store: &Store) {
        let actor = clinician(store).await;
        let patient_id = patient(store, &actor).await;
        let hb = store
            .append_fact(
                &actor,
                &patient_id,
                hemoglobin("hb-1", 101, None),
                at("2026-01-02T10:00:00Z"),
            )
            .await
            .unwrap()
            .event;
        let plt = store
            .append_fact(
                &actor,
                &patient_id,
                NewFact {
                    fact_id: Some("plt-1".into()),
                    fact_kind: "observation".into(),
                    valid_time: date("2026-01-01"),
                    payload: r#"{"name":"platelets","value":95,"unit":"10*9/L"}"#.into(),
                    idempotency_key: None,
                },
                at("2026-01-02T11:00:00Z"),
            )
            .await
            .unwrap()
            .event;
        let corrected = store
            .correct_fact(
                &actor,
                &patient_id,
                Correction {
                    fact_id: "hb-1".into(),
                    supersedes: hb.event_id.clone(),
                    valid_time: date("2026-01-02"),
                    payload: r#"{"name":"hemoglobin","value":110,"unit":"g/L"}"#.into(),
                    reason: "transcription error".into(),
                    idempotency_key: None,
                },
                at("2026-01-03T09:00:00Z"),
            )
            .await
            .unwrap()
            .event;
        assert_eq!(corrected.action, EventAction::Correct);
        assert_eq!(corrected.fact_kind, "observation");
        let retracted = store
            .retract_fact(
                &actor,
                &patient_id,
                Retraction {
                    fact_id: "plt-1".into(),
                    supersedes: plt.event_id.clone(),
                    reason: "wrong patient".into(),
                    idempotency_key: None,
                },
                at("2026-01-04T09:00:00Z"),
            )
            .await
            .unwrap()
            .event;
        assert_eq!(retracted.payload, None);
        assert_eq!(retracted.valid_time, "2026-01-01");

        let ids = |events: Vec<oncourse_store::Event>| -> Vec<String> {
            events.into_iter().map(|e| e.event_id).collect()
        };
        let known = |t: &str| store.facts_as_of(&patient_id, Some(at(t)));
        assert_eq!(
            ids(known("2026-01-02T09:59:59Z").await.unwrap()),
            Vec::<String>::new()
        );
        assert_eq!(
            ids(known("2026-01-02T10:00:00Z").await.unwrap()),
            vec![hb.event_id.clone()]
        );
        // Ordered by valid time: the platelets were drawn the day before the hemoglobin.
        assert_eq!(
            ids(known("2026-01-02T12:00:00Z").await.unwrap()),
            vec![plt.event_id.clone(), hb.event_id.clone()]
        );
        assert_eq!(
            ids(known("2026-01-03T09:00:00Z").await.unwrap()),
            vec![plt.event_id.clone(), corrected.event_id.clone()]
        );
        assert_eq!(
            ids(known("2026-01-04T09:00:00Z").await.unwrap()),
            vec![corrected.event_id.clone()]
        );
        let now = store.facts_as_of(&patient_id, None).await.unwrap();
        assert_eq!(now.len(), 1);
        assert_eq!(
            now[0].payload.as_deref(),
            Some(r#"{"name":"hemoglobin","value":110,"unit":"g/L"}"#)
        );
        let history = store.fact_history(&patient_id, "hb-1").await.unwrap();
        assert_eq!(ids(history), vec![hb.event_id, corrected.event_id]);
        assert!(matches!(
            store.facts_as_of("p_nobody", None).await,
            Err(StoreError::PatientNotFound(_))
        ));
    }

    pub async fn idempotent_replays_add_nothing(store: &Store) {
        let actor = clinician(store).await;
        let patient_id = patient(store, &actor).await;
        let t = at("2026-01-02T10:00:00Z");
        let append = async |patient_id: &str, fact: NewFact, recorded_at: Timestamp| {
            store
                .append_fact(&actor, patient_id, fact, recorded_at)
                .await
        };
        let first = append(&patient_id, hemoglobin("hb-1", 101, Some("lab-feed-42")), t)
            .await
            .unwrap();
        assert!(!first.replayed);
        let again = append(
            &patient_id,
            hemoglobin("hb-1", 101, Some("lab-feed-42")),
            at("2026-01-02T10:00:05Z"),
        )
        .await
        .unwrap();
        assert!(again.replayed);
        assert_eq!(again.event, first.event);
        // A fact id the store makes up differs between tries; the replay still matches.
        let mut no_id = hemoglobin("unused", 99, Some("lab-feed-43"));
        no_id.fact_id = None;
        let made_up = append(&patient_id, no_id.clone(), t).await.unwrap();
        let replay = append(&patient_id, no_id, t).await.unwrap();
        assert!(replay.replayed);
        assert_eq!(replay.event.fact_id, made_up.event.fact_id);
        // The same key with another request is refused, naming the key and the event.
        let error = append(&patient_id, hemoglobin("hb-2", 120, Some("lab-feed-42")), t)
            .await
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "idempotency_key: \"lab-feed-42\" was already used by event {:?} for a different request; use a new key",
                first.event.event_id
            )
        );
        assert_eq!(store.facts_as_of(&patient_id, None).await.unwrap().len(), 2);
        // Keys are unique per patient only.
        let other = patient(store, &actor).await;
        let elsewhere = append(&other, hemoglobin("hb-1", 101, Some("lab-feed-42")), t)
            .await
            .unwrap();
        assert!(!elsewhere.replayed);
        // Exactly one audit entry per write that added something.
        let appends = store
            .audit_log(0, 1000)
            .await
            .unwrap()
            .into_iter()
            .filter(|entry| entry.action == "fact.append")
            .count();
        assert_eq!(appends, 3);
    }

    pub async fn corrections_must_supersede_the_latest_version(store: &Store) {
        let actor = clinician(store).await;
        let patient_id = patient(store, &actor).await;
        let t = at("2026-01-02T10:00:00Z");
        let v1 = store
            .append_fact(&actor, &patient_id, hemoglobin("hb-1", 101, None), t)
            .await
            .unwrap()
            .event;
        // The same correction of fact `fact_id`, superseding event `supersedes`.
        let correct = async |supersedes: &str, fact_id: &str, recorded_at: Timestamp| {
            let correction = Correction {
                fact_id: fact_id.into(),
                supersedes: supersedes.into(),
                valid_time: date("2026-01-02"),
                payload: r#"{"value":1}"#.into(),
                reason: "typo".into(),
                idempotency_key: None,
            };
            store
                .correct_fact(&actor, &patient_id, correction, recorded_at)
                .await
        };
        let error = store
            .append_fact(&actor, &patient_id, hemoglobin("hb-1", 102, None), t)
            .await
            .unwrap_err();
        assert!(matches!(error, StoreError::DuplicateFact { .. }), "{error}");
        let error = correct(&v1.event_id, "hb-1", at("2026-01-02T09:00:00Z"))
            .await
            .unwrap_err();
        assert!(
            matches!(error, StoreError::RecordedBeforeSuperseded { .. }),
            "{error}"
        );
        let v2 = correct(&v1.event_id, "hb-1", t).await.unwrap().event;
        let error = correct(&v1.event_id, "hb-1", t).await.unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "supersedes: event {:?} of fact \"hb-1\" was already superseded by {:?}; correct the latest version",
                v1.event_id, v2.event_id
            )
        );
        let error = correct(&v2.event_id, "hb-9", t).await.unwrap_err();
        assert!(matches!(error, StoreError::EventNotFound { .. }), "{error}");
        let retraction = store
            .retract_fact(
                &actor,
                &patient_id,
                Retraction {
                    fact_id: "hb-1".into(),
                    supersedes: v2.event_id.clone(),
                    reason: "duplicate".into(),
                    idempotency_key: None,
                },
                t,
            )
            .await
            .unwrap()
            .event;
        let error = correct(&retraction.event_id, "hb-1", t).await.unwrap_err();
        assert!(matches!(error, StoreError::Retracted { .. }), "{error}");
        let error = store
            .append_fact(
                &actor,
                &patient_id,
                NewFact {
                    payload: "{not json".into(),
                    ..hemoglobin("hb-3", 1, None)
                },
                t,
            )
            .await
            .unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("payload: expected JSON, got \"{not json"),
            "{error}"
        );
    }

    pub async fn the_database_refuses_updates_and_deletes(store: &Store) {
        let actor = clinician(store).await;
        let patient_id = patient(store, &actor).await;
        store
            .append_fact(
                &actor,
                &patient_id,
                hemoglobin("hb-1", 101, None),
                at("2026-01-02T10:00:00Z"),
            )
            .await
            .unwrap();
        let mut statements = vec![
            "UPDATE events SET payload = '{}'".to_owned(),
            "DELETE FROM events".to_owned(),
            format!("UPDATE patients SET display_name = 'X' WHERE id = '{patient_id}'"),
            "DELETE FROM patients".to_owned(),
            "UPDATE audit_log SET actor = 'someone else'".to_owned(),
            "DELETE FROM audit_log".to_owned(),
        ];
        if store.backend() == oncourse_store::Backend::Postgres {
            statements.extend(["TRUNCATE events CASCADE", "TRUNCATE audit_log"].map(String::from));
        }
        for sql in statements {
            let error = store.execute_raw_sql(&sql).await.unwrap_err().to_string();
            assert!(error.contains("is append-only"), "{sql}: {error}");
        }
        assert_eq!(store.facts_as_of(&patient_id, None).await.unwrap().len(), 1);
    }

    pub async fn tokens_sessions_and_logins_are_checked_and_audited(store: &Store) {
        let t0 = at("2026-02-01T08:00:00Z");
        let nurse = store
            .create_user(
                &NewUser {
                    name: "nurse.bianchi",
                    role: Role::Nurse,
                    password: Some("a long passphrase"),
                },
                "system",
                t0,
            )
            .await
            .unwrap();
        let error = store
            .create_user(
                &NewUser {
                    name: "nurse.bianchi",
                    role: Role::Admin,
                    password: None,
                },
                "system",
                t0,
            )
            .await
            .unwrap_err();
        assert_eq!(error.to_string(), "user \"nurse.bianchi\" already exists");

        let token = store
            .issue_api_token(&nurse, "ward tablet", "system", t0)
            .await
            .unwrap();
        let actor = store.authenticate(&token, t0).await.unwrap().unwrap();
        assert_eq!(
            (actor.name.as_str(), actor.role),
            ("nurse.bianchi", Role::Nurse)
        );
        assert_eq!(
            store.authenticate("oc_not-a-token", t0).await.unwrap(),
            None
        );

        assert!(
            store
                .login("nurse.bianchi", "wrong", t0, Duration::hours(8))
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .login("nobody", "whatever!", t0, Duration::hours(8))
                .await
                .unwrap()
                .is_none()
        );
        let session = store
            .login("nurse.bianchi", "a long passphrase", t0, Duration::hours(8))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(session.expires_at, at("2026-02-01T16:00:00Z"));
        let during = store
            .authenticate(&session.token, at("2026-02-01T15:59:59Z"))
            .await
            .unwrap();
        assert_eq!(during.map(|a| a.user_id), Some(nurse.id.clone()));
        let after = store
            .authenticate(&session.token, at("2026-02-01T16:00:00Z"))
            .await
            .unwrap();
        assert_eq!(after, None);

        let trail: Vec<(String, String)> = store
            .audit_log(0, 100)
            .await
            .unwrap()
            .into_iter()
            .map(|e| (e.actor, e.action))
            .collect();
        let expected = [
            ("system", "user.create"),
            ("system", "token.issue"),
            ("nurse.bianchi", "login.failed"),
            ("nobody", "login.failed"),
            ("nurse.bianchi", "login"),
        ];
        assert_eq!(
            trail,
            expected.map(|(a, b)| (a.to_owned(), b.to_owned())).to_vec()
        );
        let users = store.users().await.unwrap();
        assert_eq!(users.len(), 1);
        assert_eq!(
            store.user_by_name("nurse.bianchi").await.unwrap(),
            Some(nurse)
        );
    }

    pub async fn concurrent_writers_lose_nothing(store: &Store) {
        let actor = clinician(store).await;
        let patient_id = patient(store, &actor).await;
        let t = at("2026-01-02T10:00:00Z");
        let mut tasks = Vec::new();
        for writer in 0..6 {
            let (store, actor, patient_id) = (store.clone(), actor.clone(), patient_id.clone());
            tasks.push(tokio::spawn(async move {
                for i in 0..20 {
                    let fact = hemoglobin(&format!("w{writer}-{i}"), 100 + i, None);
                    store
                        .append_fact(&actor, &patient_id, fact, t)
                        .await
                        .unwrap();
                }
            }));
        }
        // Six clients retrying the same request at once: one event, five replays.
        let mut racers = Vec::new();
        for _ in 0..6 {
            let (store, actor, patient_id) = (store.clone(), actor.clone(), patient_id.clone());
            racers.push(tokio::spawn(async move {
                store
                    .append_fact(
                        &actor,
                        &patient_id,
                        hemoglobin("racy", 99, Some("retry-1")),
                        t,
                    )
                    .await
                    .unwrap()
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        let mut replays = 0;
        let mut event_ids = std::collections::HashSet::new();
        for racer in racers {
            let appended = racer.await.unwrap();
            replays += usize::from(appended.replayed);
            event_ids.insert(appended.event.event_id);
        }
        assert_eq!((replays, event_ids.len()), (5, 1));
        let facts = store.facts_as_of(&patient_id, None).await.unwrap();
        assert_eq!(facts.len(), 6 * 20 + 1);
        let seqs: std::collections::HashSet<i64> = facts.iter().map(|e| e.seq).collect();
        assert_eq!(seqs.len(), facts.len());
    }

    pub async fn a_batch_is_written_whole_or_not_at_all(store: &Store) {
        let actor = clinician(store).await;
        let patient_id = patient(store, &actor).await;
        let t = at("2026-01-02T10:00:00Z");
        let batch = vec![
            hemoglobin("a", 1, None),
            hemoglobin("b", 2, None),
            hemoglobin("a", 3, None),
        ];
        let error = store
            .append_facts(&actor, &patient_id, batch, t)
            .await
            .unwrap_err();
        assert!(matches!(error, StoreError::DuplicateFact { .. }), "{error}");
        assert!(
            store
                .facts_as_of(&patient_id, None)
                .await
                .unwrap()
                .is_empty()
        );
        let batch = vec![hemoglobin("a", 1, None), hemoglobin("b", 2, None)];
        let written = store
            .append_facts(&actor, &patient_id, batch, t)
            .await
            .unwrap();
        assert_eq!(written.len(), 2);
        assert_eq!(store.facts_as_of(&patient_id, None).await.unwrap().len(), 2);
    }

    pub async fn request_keys_replay_per_user_even_when_racing(store: &Store) {
        let actor = clinician(store).await;
        let patient_id = patient(store, &actor).await;
        let t = at("2026-01-02T10:00:00Z");
        let key = |digest: &str| Some(RequestKey::new("req-1", digest.to_owned()).unwrap());
        // Six clients send the same keyed request at once: one write, five replays.
        let mut racers = Vec::new();
        for _ in 0..6 {
            let (store, actor, patient_id) = (store.clone(), actor.clone(), patient_id.clone());
            racers.push(tokio::spawn(async move {
                let facts = vec![hemoglobin("k-a", 101, None), hemoglobin("k-b", 102, None)];
                store
                    .append_facts_keyed(&actor, &patient_id, facts, key("digest-1"), t)
                    .await
                    .unwrap()
            }));
        }
        let mut replays = 0;
        let mut event_ids = std::collections::HashSet::new();
        for racer in racers {
            let appended = racer.await.unwrap();
            assert_eq!(appended.len(), 2);
            replays += usize::from(appended.iter().all(|a| a.replayed));
            event_ids.extend(appended.into_iter().map(|a| a.event.event_id));
        }
        assert_eq!((replays, event_ids.len()), (5, 2));
        assert_eq!(store.facts_as_of(&patient_id, None).await.unwrap().len(), 2);
        // The same key with another request is refused and writes nothing.
        let error = store
            .append_facts_keyed(
                &actor,
                &patient_id,
                vec![hemoglobin("k-c", 103, None)],
                key("digest-2"),
                t,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&error, StoreError::RequestKeyReused { key } if key == "req-1"),
            "{error}"
        );
        assert_eq!(store.facts_as_of(&patient_id, None).await.unwrap().len(), 2);
        // Another user's key of the same name is that user's own.
        let nurse = user(store, "nurse.bianchi", Role::Nurse).await;
        let written = store
            .append_facts_keyed(
                &nurse,
                &patient_id,
                vec![hemoglobin("k-c", 103, None)],
                key("digest-2"),
                t,
            )
            .await
            .unwrap();
        assert!(!written[0].replayed);
        assert_eq!(store.facts_as_of(&patient_id, None).await.unwrap().len(), 3);
    }
}
