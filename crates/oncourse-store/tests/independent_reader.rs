//! A second SQLite library reads the store's file: Python's `sqlite3` module runs
//! `tests/data/store/as_of_reference.py`, which computes "the facts as known at T" its own way
//! (walking each fact's chain) and reports the journal mode and what the triggers refuse.

use std::process::Command;

use oncourse_store::testing;
use oncourse_store::{
    Actor, Correction, NewFact, NewPatient, NewUser, Retraction, Role, Timestamp, ValidTime,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_datetime(chrono::DateTime::from_timestamp(1_767_225_600 + seconds, 0).unwrap())
}

/// One step of a random history.
#[derive(Clone, Debug)]
enum Step {
    Assert { day: u8 },
    Correct { fact: usize, day: u8 },
    Retract { fact: usize },
}

fn steps() -> impl Strategy<Value = Vec<(Step, u8)>> {
    let step = prop_oneof![
        (1u8..28).prop_map(|day| Step::Assert { day }),
        (0usize..8, 1u8..28).prop_map(|(fact, day)| Step::Correct { fact, day }),
        (0usize..8).prop_map(|fact| Step::Retract { fact }),
    ];
    // Each step happens 0-3 seconds after the previous one (several share a recorded time).
    proptest::collection::vec((step, 0u8..4), 1..30)
}

#[test]
fn a_second_sqlite_library_agrees_on_as_of_reads_and_is_refused_updates() {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/store/as_of_reference.py"
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // Few cases: each opens a database and runs Python.
    let mut runner = TestRunner::new(Config {
        cases: 12,
        ..Config::default()
    });
    runner
        .run(&steps(), |history| {
            runtime.block_on(async {
                let (db, path) = testing::sqlite().await;
                let store = &db.store;
                let user = store
                    .create_user(
                        &NewUser {
                            name: "dr.a",
                            role: Role::Clinician,
                            password: None,
                        },
                        "system",
                        at(0),
                    )
                    .await
                    .unwrap();
                let actor = Actor {
                    user_id: user.id,
                    name: user.name,
                    role: user.role,
                };
                let patient = store
                    .create_patient(
                        &actor,
                        &NewPatient {
                            display_name: "P",
                            identifier: None,
                        },
                        at(0),
                    )
                    .await
                    .unwrap();
                // (fact id, latest event id, retracted)
                let mut facts: Vec<(String, String, bool)> = Vec::new();
                let mut clock = 0i64;
                let mut times = vec![at(0).to_sql_text()];
                // At least one event, so the UPDATE and DELETE below have a row to refuse.
                let first = (Step::Assert { day: 1 }, 0);
                for (step, gap) in std::iter::once(first).chain(history) {
                    clock += i64::from(gap);
                    let now = at(clock);
                    match step {
                        Step::Assert { day } => {
                            let fact_id = format!("f{}", facts.len());
                            let event = store
                                .append_fact(
                                    &actor,
                                    &patient.id,
                                    NewFact {
                                        fact_id: Some(fact_id.clone()),
                                        fact_kind: "observation".into(),
                                        valid_time: ValidTime::parse(
                                            "d",
                                            &format!("2026-02-{day:02}"),
                                        )
                                        .unwrap(),
                                        payload: "{}".into(),
                                        idempotency_key: None,
                                    },
                                    now,
                                )
                                .await
                                .unwrap()
                                .event;
                            facts.push((fact_id, event.event_id, false));
                        }
                        Step::Correct { fact, day } => {
                            let Some((fact_id, latest, false)) = facts.get(fact).cloned() else {
                                continue;
                            };
                            let event = store
                                .correct_fact(
                                    &actor,
                                    &patient.id,
                                    Correction {
                                        fact_id,
                                        supersedes: latest,
                                        valid_time: ValidTime::parse(
                                            "d",
                                            &format!("2026-02-{day:02}"),
                                        )
                                        .unwrap(),
                                        payload: "{\"v\":2}".into(),
                                        reason: "r".into(),
                                        idempotency_key: None,
                                    },
                                    now,
                                )
                                .await
                                .unwrap()
                                .event;
                            facts[fact].1 = event.event_id;
                        }
                        Step::Retract { fact } => {
                            let Some((fact_id, latest, false)) = facts.get(fact).cloned() else {
                                continue;
                            };
                            let event = store
                                .retract_fact(
                                    &actor,
                                    &patient.id,
                                    Retraction {
                                        fact_id,
                                        supersedes: latest,
                                        reason: "r".into(),
                                        idempotency_key: None,
                                    },
                                    now,
                                )
                                .await
                                .unwrap()
                                .event;
                            facts[fact] = (facts[fact].0.clone(), event.event_id, true);
                        }
                    }
                    times.push(now.to_sql_text());
                }
                let output = Command::new("python3")
                    .arg(script)
                    .arg(&path)
                    .arg(&patient.id)
                    .args(&times)
                    .output()
                    .expect("python3 runs");
                assert!(
                    output.status.success(),
                    "{}",
                    String::from_utf8_lossy(&output.stderr)
                );
                let reference: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
                assert_eq!(reference["journal_mode"], "wal");
                for refused in ["update_refused", "delete_refused"] {
                    let message = reference[refused].as_str().unwrap_or_default();
                    assert!(
                        message.contains("events is append-only"),
                        "{refused}: {message:?}"
                    );
                }
                for time in &times {
                    let ours: Vec<String> = store
                        .facts_as_of(&patient.id, Some(Timestamp::parse("t", time).unwrap()))
                        .await
                        .unwrap()
                        .into_iter()
                        .map(|e| e.event_id)
                        .collect();
                    let theirs: Vec<String> =
                        serde_json::from_value(reference["as_of"][time].clone()).unwrap();
                    assert_eq!(ours, theirs, "as of {time}");
                }
                db.finish().await;
            });
            Ok(())
        })
        .unwrap();
}
