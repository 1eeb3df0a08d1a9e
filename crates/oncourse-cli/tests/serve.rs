//! `oncourse serve` as a process on 127.0.0.1: the first start (an administrator and the seed
//! case, whose assessment over the API is the JSON of `oncourse assess --protocol … --json`
//! with the shipped protocols), and a crash
//! test: a client appends facts while the server process is killed with SIGKILL, three times;
//! after each restart every acknowledged (2xx) write is there, whole, with its audit entry, and
//! a retried request is answered without a duplicate. Bounded loops; on SQLite, and on
//! PostgreSQL when `ONCOURSE_TEST_POSTGRES_URL` is set.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use oncourse_store::testing;
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_oncourse");
const ROUNDS: usize = 3;
const MAX_APPENDS_PER_ROUND: usize = 400;

struct Server {
    child: Child,
    addr: String,
    /// What the server printed before it started serving.
    banner: Vec<String>,
}

impl Server {
    fn start(database: &str) -> Server {
        Server::start_with(database, &[])
    }

    /// Starts `oncourse serve` with more arguments.
    fn start_with(database: &str, more: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .args(["serve", "--database", database, "--addr", "127.0.0.1:0"])
            .args(more)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("oncourse serve starts");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        // Reads the address the server prints, then keeps draining stderr so it never blocks.
        thread::spawn(move || {
            let mut banner = Vec::new();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("oncourse: serving http://") {
                    let addr = rest.split_whitespace().next().unwrap_or_default();
                    let _ = tx.send((addr.to_owned(), std::mem::take(&mut banner)));
                } else {
                    banner.push(line);
                }
            }
        });
        let (addr, banner) = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server prints its address");
        Server {
            child,
            addr,
            banner,
        }
    }

    fn kill(mut self) {
        self.child.kill().expect("SIGKILL the server"); // Child::kill sends SIGKILL on Unix.
        self.child.wait().unwrap();
    }
}

/// One HTTP/1.1 request with `Connection: close`; an error when the server is gone.
fn http(
    addr: &str,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&Value>,
    key: Option<&str>,
) -> std::io::Result<(u16, Value)> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let key = key
        .map(|k| format!("Idempotency-Key: {k}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n{key}Connection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let text = String::from_utf8_lossy(&response);
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line in {text:?}")))?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .unwrap_or_default();
    Ok((status, serde_json::from_str(body).unwrap_or(Value::Null)))
}

fn users_add(database: &str, name: &str, role: &str) -> String {
    let output = Command::new(BIN)
        .args(["users", "add", name, "--role", role, "--database", database])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

fn fact(id: &str, value: usize) -> Value {
    json!({"id": id, "date": "2022-06-01", "body": {"kind": "observation", "name": "hemoglobin",
           "loinc": "718-7", "value": {"value": value, "unit": "g/L"}, "reference_low": null, "reference_high": null}})
}

/// The value after `label` on a banner line, e.g. the token after "API token:".
fn banner_value(server: &Server, label: &str) -> String {
    server
        .banner
        .iter()
        .find_map(|line| line.split_once(label).map(|(_, rest)| rest.trim()))
        .unwrap_or_else(|| panic!("no {label:?} in {:?}", server.banner))
        .trim_end_matches('.')
        .to_owned()
}

#[test]
fn first_start_serves_the_seed_case_and_its_assessment_is_the_cli_json() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (db, _) = runtime.block_on(testing::sqlite());
    runtime.block_on(db.store.close());
    // A database with no users: the first start.
    std::fs::remove_file(db.url.trim_start_matches("sqlite:")).unwrap();
    let server = Server::start(&db.url);
    let token = banner_value(&server, "API token:");
    let seed = banner_value(&server, "The bundled example case is patient");
    // The server evaluates the shipped protocols, built into the binary.
    let repo = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let cli = Command::new(BIN)
        .current_dir(repo)
        .args([
            "assess",
            "--json",
            "examples/popliteal-lms.toml",
            "--protocol",
            "protocols/anlotinib.toml",
            "--protocol",
            "protocols/radiation-dermatitis.toml",
        ])
        .output()
        .unwrap();
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    let expected: Value = serde_json::from_slice(&cli.stdout).unwrap();
    let path = format!("/api/patients/{seed}/assessment");
    let (status, served) = http(&server.addr, "GET", &path, &token, None, None).unwrap();
    assert_eq!(status, 200, "{served}");
    assert_eq!(served, expected);
    // The contract: a case file posted as TOML is a new patient with the same assessment.
    let seed_text = include_str!("../../../examples/popliteal-lms.toml");
    let (status, created) = http_toml(&server.addr, &token, seed_text);
    assert_eq!(status, 201, "{created}");
    let path = format!(
        "/api/patients/{}/assessment",
        created["id"].as_str().unwrap()
    );
    assert_eq!(
        http(&server.addr, "GET", &path, &token, None, None).unwrap(),
        (200, expected)
    );
    server.kill();
    // --protocol replaces the shipped protocols.
    let only = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../protocols/anlotinib.toml"
    );
    let server = Server::start_with(&db.url, &["--protocol", only]);
    let (status, served) = http(&server.addr, "GET", &path, &token, None, None).unwrap();
    assert_eq!(status, 200, "{served}");
    assert_eq!(served["protocols"], json!(["anlotinib"]));
    server.kill();
    runtime.block_on(db.finish());
}

/// `POST /api/patients` with a case file as `application/toml`.
fn http_toml(addr: &str, token: &str, text: &str) -> (u16, Value) {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "POST /api/patients HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/toml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .unwrap_or_default();
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

#[test]
fn acknowledged_writes_survive_sigkill() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let databases = runtime.block_on(testing::all());
    for db in databases {
        runtime.block_on(db.store.close());
        eprintln!("crash test on {}", db.label);
        crash_rounds(&db.url);
        runtime.block_on(db.finish());
    }
}

fn crash_rounds(database: &str) {
    let clinician = users_add(database, "writer", "clinician");
    let admin = users_add(database, "auditor", "admin");
    let server = Server::start(database);
    let (status, created) = http(
        &server.addr,
        "POST",
        "/api/patients",
        &clinician,
        Some(&json!({"name": "Crash Test"})),
        None,
    )
    .unwrap();
    assert_eq!(status, 201, "{created}");
    let patient = created["id"].as_str().unwrap().to_owned();
    let facts_path = format!("/api/patients/{patient}/facts");
    let mut server = Some(server);
    let mut acknowledged: BTreeMap<String, usize> = BTreeMap::new();
    let mut in_flight: Option<(String, usize)> = None;
    for round in 0..ROUNDS {
        let running = server.take().unwrap_or_else(|| Server::start(database));
        // The request that was in flight when the last server died: retrying it with the same
        // key must create it once or answer the first result, never a duplicate.
        if let Some((id, value)) = in_flight.take() {
            let (status, body) = http(
                &running.addr,
                "POST",
                &facts_path,
                &clinician,
                Some(&fact(&id, value)),
                Some(&id),
            )
            .unwrap();
            assert!(
                status == 200 || status == 201,
                "retry of {id}: {status} {body}"
            );
            acknowledged.insert(id, value);
        }
        let stop = Arc::new(AtomicBool::new(false));
        let written = Arc::new(AtomicUsize::new(0));
        let client = {
            let (addr, token, path, stop, written) = (
                running.addr.clone(),
                clinician.clone(),
                facts_path.clone(),
                stop.clone(),
                written.clone(),
            );
            thread::spawn(move || {
                let mut acked = Vec::new();
                for i in 0..MAX_APPENDS_PER_ROUND {
                    let id = format!("r{round}-{i}");
                    let value = 1000 * round + i;
                    match http(
                        &addr,
                        "POST",
                        &path,
                        &token,
                        Some(&fact(&id, value)),
                        Some(&id),
                    ) {
                        Ok((201, _)) => {
                            acked.push((id, value));
                            written.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok((status, body)) => panic!("{id}: unexpected {status} {body}"),
                        Err(_) => return (acked, Some((id, value))),
                    }
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                }
                (acked, None)
            })
        };
        // Kill at a different moment each round, while the client is writing: once its first
        // write is acknowledged (a loaded machine may take a while to get there), then after a
        // delay that differs by round.
        let waiting_since = Instant::now();
        while written.load(Ordering::Relaxed) == 0
            && waiting_since.elapsed() < Duration::from_secs(60)
        {
            thread::sleep(Duration::from_millis(5));
        }
        thread::sleep(Duration::from_millis(20 + 170 * round as u64));
        running.kill();
        stop.store(true, Ordering::Relaxed);
        let (acked, unanswered) = client.join().unwrap();
        assert!(
            !acked.is_empty(),
            "round {round}: the client wrote nothing before the kill"
        );
        acknowledged.extend(acked);
        in_flight = unanswered;
    }

    let server = Server::start(database);
    // Up to ROUNDS * MAX_APPENDS_PER_ROUND facts: one page of the largest size holds them all.
    let all_facts = format!("{facts_path}?limit=10000");
    let (status, listed) = http(&server.addr, "GET", &all_facts, &clinician, None, None).unwrap();
    assert_eq!(status, 200);
    let stored: BTreeMap<String, Value> = listed["facts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["fact_id"].as_str().unwrap().to_owned(), e.clone()))
        .collect();
    for (id, value) in &acknowledged {
        let event = stored
            .get(id)
            .unwrap_or_else(|| panic!("acknowledged fact {id} is missing"));
        let stored_value = event["fact"]["body"]["value"]["value"].as_f64();
        assert_eq!(stored_value, Some(*value as f64), "{id}");
    }
    // Facts whose answer was lost may be there, but whole.
    for (id, event) in &stored {
        assert!(
            event["fact"]["body"]["value"]["value"].is_number(),
            "{id} is half-written: {event}"
        );
    }
    // Every stored event has its audit entry and every audited event is stored.
    let (status, audit) = http(
        &server.addr,
        "GET",
        "/api/audit?limit=10000",
        &admin,
        None,
        None,
    )
    .unwrap();
    assert_eq!(status, 200);
    let audited: BTreeSet<String> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "fact.append")
        .flat_map(|e| {
            e["detail"]["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|id| id.as_str().unwrap().to_owned())
        })
        .collect();
    let events: BTreeSet<String> = stored
        .values()
        .map(|e| e["event_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(audited, events);
    eprintln!(
        "{} acknowledged, {} stored after {ROUNDS} kills",
        acknowledged.len(),
        stored.len()
    );
    server.kill();
}
