//! The HTTP API driven through the real router (tower `oneshot`), on SQLite and, when
//! `ONCOURSE_TEST_POSTGRES_URL` is set, on PostgreSQL.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use oncourse_server::{AppState, Clock, ServerOptions};
use oncourse_store::testing::{self, TestDb};
use oncourse_store::{NewUser, Role, Store, Timestamp};
use serde_json::{Value, json};
use tower::ServiceExt;

struct FixedClock(Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0
    }
}

/// A router on a fresh database, with one user and API token per role.
struct Api {
    router: Router,
    store: Store,
    admin: String,
    clinician: String,
    nurse: String,
    researcher: String,
}

impl Api {
    async fn new(db: &TestDb) -> Api {
        let store = db.store.clone();
        let now = Timestamp::parse("now", "2026-03-01T09:00:00Z").unwrap();
        let mut tokens = Vec::new();
        for (name, role) in [
            ("admin", Role::Admin),
            ("dr.rossi", Role::Clinician),
            ("nurse.bianchi", Role::Nurse),
            ("res.verdi", Role::Researcher),
        ] {
            let user = store
                .create_user(
                    &NewUser {
                        name,
                        role,
                        password: Some("a good passphrase"),
                    },
                    "system",
                    now,
                )
                .await
                .unwrap();
            tokens.push(
                store
                    .issue_api_token(&user, "test", "system", now)
                    .await
                    .unwrap(),
            );
        }
        let state = AppState::new(
            store.clone(),
            Arc::new(FixedClock(now)),
            ServerOptions {
                max_body_bytes: 64 * 1024,
                ..ServerOptions::default()
            },
        );
        let [admin, clinician, nurse, researcher] = <[String; 4]>::try_from(tokens).unwrap();
        Api {
            router: oncourse_server::router(state),
            store,
            admin,
            clinician,
            nurse,
            researcher,
        }
    }

    async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        self.call_raw(
            method,
            path,
            token,
            body.map(|b| ("application/json", b.to_string())),
            &[],
        )
        .await
    }

    /// `GET path` with a token.
    async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call("GET", path, Some(token), None).await
    }

    /// `POST path` of a JSON body with a token.
    async fn post(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call("POST", path, Some(token), Some(body)).await
    }

    async fn call_raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<(&str, String)>,
        headers: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = match body {
            Some((content_type, body)) => request
                .header("Content-Type", content_type)
                .body(Body::from(body)),
            None => request.body(Body::empty()),
        }
        .unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        (status, value)
    }

    /// Imports `examples/popliteal-lms.toml` (a case with six recommendations) as a patient.
    async fn import_seed_case(&self) -> String {
        let seed = include_str!("../../../examples/popliteal-lms.toml");
        let (status, created) = self
            .call_raw(
                "POST",
                "/api/patients?name=Seed%20case",
                Some(&self.clinician),
                Some(("application/toml", seed.to_owned())),
                &[],
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        created["id"].as_str().unwrap().to_owned()
    }

    async fn new_patient(&self) -> String {
        let (status, body) = self
            .post(
                "/api/patients",
                &self.clinician,
                json!({"name": "Maria Test", "identifier": "MRN-77"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["id"].as_str().unwrap().to_owned()
    }
}

fn hemoglobin(id: &str, date: &str, value: f64) -> Value {
    json!({
        "id": id, "date": date, "note": "drawn by Dr Rossi",
        "body": {"kind": "observation", "name": "hemoglobin", "loinc": "718-7",
                 "value": {"value": value, "unit": "g/dL"}, "reference_low": null, "reference_high": null}
    })
}

macro_rules! on_every_database {
    ($($name:ident),* $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            for db in testing::all().await {
                eprintln!("{}: {}", stringify!($name), db.label);
                let api = Api::new(&db).await;
                scenarios::$name(&api).await;
                db.finish().await;
            }
        }
    )*};
}

on_every_database!(
    health_and_the_openapi_document_need_no_token,
    requests_without_a_valid_token_are_401,
    a_logged_out_session_is_refused_at_once,
    clinicians_append_and_replays_are_idempotent,
    errors_name_the_field,
    roles_limit_writes,
    researchers_see_no_names_and_shifted_dates,
    corrections_retractions_and_as_of_reads,
    the_audit_trail_is_for_admins_and_records_writes_and_logins,
    large_bodies_are_refused_with_json,
    every_documented_route_is_served,
    case_files_import_as_a_patient,
    fhir_bundles_import_as_a_patient,
    recommendations_are_acknowledged_or_overridden_by_clinicians,
    idempotency_keys_replay_per_user,
    facts_page_in_the_order_of_the_whole_list,
    facts_are_paged_by_default,
    cohort_survival_is_kaplan_meier_over_stored_patients,
    assessments_are_gzipped_for_clients_that_accept_it,
);

mod scenarios {
    use super::*;

    pub async fn health_and_the_openapi_document_need_no_token(api: &Api) {
        assert_eq!(
            api.call("GET", "/healthz", None, None).await,
            (StatusCode::OK, json!({"status": "ok"}))
        );
        let (status, doc) = api.call("GET", "/api/openapi.json", None, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(doc["openapi"], "3.1.0");
    }

    pub async fn requests_without_a_valid_token_are_401(api: &Api) {
        let (status, body) = api.call("GET", "/api/patients", None, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            body["error"]["message"],
            "missing Authorization header: expected \"Bearer TOKEN\""
        );
        let (status, _) = api
            .post("/api/patients", "oc_forged", json!({"name": "X"}))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }

    /// A session token used once (so the server caches it as valid) is refused by the very
    /// next request after its logout, not only once the cache entry expires.
    pub async fn a_logged_out_session_is_refused_at_once(api: &Api) {
        let (status, session) = api
            .call(
                "POST",
                "/api/login",
                None,
                Some(json!({"name": "dr.rossi", "password": "a good passphrase"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{session}");
        let token = session["token"].as_str().unwrap();
        for token in [token, api.clinician.as_str()] {
            let (status, _) = api.call("GET", "/api/patients", Some(token), None).await;
            assert_eq!(status, StatusCode::OK);
        }
        let now = Timestamp::parse("now", "2026-03-01T09:00:00Z").unwrap();
        assert!(api.store.logout(token, now).await.unwrap());
        let (status, body) = api.call("GET", "/api/patients", Some(token), None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(
            body["error"]["message"],
            "the bearer token is unknown or its session has expired"
        );
        // An API token cached before the logout is looked up again and still works.
        let (status, _) = api
            .call("GET", "/api/patients", Some(&api.clinician), None)
            .await;
        assert_eq!(status, StatusCode::OK);
    }

    pub async fn clinicians_append_and_replays_are_idempotent(api: &Api) {
        let patient = api.new_patient().await;
        let path = format!("/api/patients/{patient}/facts");
        let fact = hemoglobin("hb-1", "2022-06-01", 10.1).to_string();
        let send = || {
            api.call_raw(
                "POST",
                &path,
                Some(&api.clinician),
                Some(("application/json", fact.clone())),
                &[("Idempotency-Key", "lab-7")],
            )
        };
        let (status, first) = send().await;
        assert_eq!(status, StatusCode::CREATED, "{first}");
        assert_eq!(
            first["fact"]["body"]["value"],
            json!({"value": 10.1, "unit": "g/dL"})
        );
        assert_eq!(first["fact"]["id"], "hb-1");
        assert_eq!(first["recorded_at"], "2026-03-01T09:00:00.000000Z");
        let (status, again) = send().await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again["event_id"], first["event_id"]);
        assert_eq!(again["replayed"], true);
        let (status, listed) = api.get(&path, &api.clinician).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(listed["facts"].as_array().unwrap().len(), 1);
        // A batch is one transaction.
        let batch = json!([
            hemoglobin("hb-2", "2022-06-08", 9.8),
            hemoglobin("hb-3", "2022-06-15", 9.5)
        ]);
        let (status, written) = api.post(&path, &api.clinician, batch).await;
        assert_eq!(status, StatusCode::CREATED, "{written}");
        assert_eq!(written["events"].as_array().unwrap().len(), 2);
        let (status, shown) = api
            .get(&format!("/api/patients/{patient}"), &api.nurse)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            (shown["name"].as_str(), shown["identifier"].as_str()),
            (Some("Maria Test"), Some("MRN-77"))
        );
    }

    pub async fn errors_name_the_field(api: &Api) {
        let patient = api.new_patient().await;
        let path = format!("/api/patients/{patient}/facts");
        let mut bad_date = hemoglobin("hb-1", "2022-13-01", 10.0);
        let (status, body) = api.post(&path, &api.clinician, bad_date.take()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"]["field"], "date", "{body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("date: input is out of range"),
            "{body}"
        );
        let missing_unit = json!({"date": "2022-06-01", "body": {"kind": "observation", "name": "hemoglobin",
            "loinc": null, "value": {"value": 10.0, "unit": ""}, "reference_low": null, "reference_high": null}});
        let (status, body) = api.post(&path, &api.clinician, missing_unit).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["field"], "body.value.unit", "{body}");
        let pressure_without_unit = json!({"date": "2022-06-01", "body": {"kind": "observation",
            "name": "blood pressure", "loinc": "85354-9",
            "value": {"systolic": 165.0, "diastolic": 95.0, "unit": ""},
            "reference_low": null, "reference_high": null}});
        let (status, body) = api.post(&path, &api.clinician, pressure_without_unit).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["field"], "body.value.unit", "{body}");
        let mut unitless = hemoglobin("b", "2022-06-02", 10.0);
        unitless["body"]["value"]["unit"] = json!("");
        let batch = json!([hemoglobin("a", "2022-06-01", 1.0), unitless]);
        let (status, body) = api.post(&path, &api.clinician, batch).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["field"], "[1].body.value.unit", "{body}");
        let batch = json!([hemoglobin("a", "2022-06-01", 1.0), {"date": "2022-06-02"}]);
        let (status, body) = api.post(&path, &api.clinician, batch).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"]["field"], "[1]", "{body}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(
            message.starts_with("[1]: missing field `body` at line 1"),
            "{body}"
        );
        let (status, body) = api
            .call_raw(
                "POST",
                &path,
                Some(&api.clinician),
                Some(("text/plain", "hello".into())),
                &[],
            )
            .await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(body["error"]["field"], "Content-Type");
        let (status, body) = api
            .get("/api/patients/p_nobody/facts", &api.clinician)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["error"]["message"], "patient \"p_nobody\" not found");
        let (status, body) = api
            .get(&format!("{path}?as_of=yesterday"), &api.clinician)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"]["field"], "as_of");
    }

    pub async fn roles_limit_writes(api: &Api) {
        let patient = api.new_patient().await;
        let path = format!("/api/patients/{patient}/facts");
        let (status, _) = api
            .post(&path, &api.nurse, hemoglobin("hb-n", "2022-06-01", 11.0))
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let hold = json!({"date": "2022-06-02", "body": {"kind": "drug_stop", "regimen": "anlotinib", "reason": "toxicity"}});
        let (status, body) = api.post(&path, &api.nurse, hold).await;
        // The body may fail to parse before the role check; either way a nurse cannot write it.
        assert!(
            matches!(status, StatusCode::FORBIDDEN | StatusCode::BAD_REQUEST),
            "{status} {body}"
        );
        let (status, body) = api
            .post(
                &path,
                &api.researcher,
                hemoglobin("hb-r", "2022-06-01", 11.0),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(
            body["error"]["message"],
            "role researcher may not write facts of kind \"observation\""
        );
        let (status, _) = api
            .post("/api/patients", &api.researcher, json!({"name": "X"}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = api
            .post("/api/patients", &api.nurse, json!({"name": "X"}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }

    pub async fn researchers_see_no_names_and_shifted_dates(api: &Api) {
        let patient = api.new_patient().await;
        let path = format!("/api/patients/{patient}/facts");
        let batch = json!([
            hemoglobin("hb-1", "2022-06-01", 10.0),
            hemoglobin("hb-2", "2022-06-29", 9.0)
        ]);
        let (status, _) = api.post(&path, &api.clinician, batch).await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, list) = api.get("/api/patients", &api.researcher).await;
        assert_eq!(status, StatusCode::OK);
        let text = list.to_string();
        assert!(
            !text.contains("Maria") && !text.contains("MRN-77"),
            "{text}"
        );
        assert_eq!(list["patients"][0]["id"], patient.as_str());
        let (_, facts) = api.get(&path, &api.researcher).await;
        let facts = facts["facts"].as_array().unwrap().clone();
        let shift = api.store.research_date_shift_days(&patient).await.unwrap();
        assert!((-365..=-1).contains(&shift));
        let expected = |date: &str| {
            (chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap()
                + chrono::Duration::days(shift))
            .to_string()
        };
        assert_eq!(facts[0]["fact"]["date"], expected("2022-06-01"));
        assert_eq!(facts[0]["valid_time"], expected("2022-06-01"));
        assert_eq!(facts[1]["fact"]["date"], expected("2022-06-29"));
        for fact in &facts {
            assert_eq!(fact.get("author"), None);
            assert_eq!(fact["fact"].get("note"), None, "free text may name people");
        }
        // Deterministic: asking again gives the same dates.
        let (_, again) = api.get(&path, &api.researcher).await;
        assert_eq!(again["facts"].as_array().unwrap(), &facts);
    }

    pub async fn corrections_retractions_and_as_of_reads(api: &Api) {
        let patient = api.new_patient().await;
        let path = format!("/api/patients/{patient}/facts");
        let (_, first) = api
            .post(&path, &api.nurse, hemoglobin("hb-1", "2022-06-01", 10.1))
            .await;
        let mut corrected = hemoglobin("hb-1", "2022-06-01", 11.0);
        let body = corrected.as_object_mut().unwrap();
        body.remove("id");
        body.insert("supersedes".into(), first["event_id"].clone());
        body.insert("reason".into(), json!("wrong decimal"));
        let (status, second) = api
            .post(
                &format!("{path}/hb-1/corrections"),
                &api.nurse,
                corrected.clone(),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{second}");
        // Correcting the old version again is a conflict naming the latest.
        let (status, body) = api
            .post(&format!("{path}/hb-1/corrections"), &api.nurse, corrected)
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["error"]["field"], "supersedes");
        let (_, listed) = api.get(&path, &api.clinician).await;
        assert_eq!(listed["facts"][0]["fact"]["body"]["value"]["value"], 11.0);
        let (status, body) = api
            .post(
                &format!("{path}/hb-1/retractions"),
                &api.clinician,
                json!({"supersedes": second["event_id"], "reason": "wrong patient"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (_, listed) = api.get(&path, &api.clinician).await;
        assert_eq!(listed["facts"], json!([]));
        let (_, history) = api
            .get(&format!("{path}/hb-1/history"), &api.clinician)
            .await;
        let actions: Vec<&str> = history["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["assert", "correct", "retract"]);
        // All three were recorded at the fixed clock's time, so as of then the fact is retracted;
        // a second earlier nothing was known.
        let (_, before) = api
            .get(
                &format!("{path}?as_of=2026-03-01T08:59:59Z"),
                &api.clinician,
            )
            .await;
        assert_eq!(before["facts"], json!([]));
        let (status, _) = api
            .post(
                &format!("{path}/hb-9/retractions"),
                &api.clinician,
                json!({"supersedes": "e_x", "reason": "x"}),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    pub async fn the_audit_trail_is_for_admins_and_records_writes_and_logins(api: &Api) {
        let patient = api.new_patient().await;
        let (status, _) = api
            .post(
                &format!("/api/patients/{patient}/facts"),
                &api.clinician,
                hemoglobin("hb-1", "2022-06-01", 10.0),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, session) = api
            .call(
                "POST",
                "/api/login",
                None,
                Some(json!({"name": "nurse.bianchi", "password": "a good passphrase"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{session}");
        assert_eq!(session["role"], "nurse");
        let (status, _) = api
            .get("/api/patients", session["token"].as_str().unwrap())
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = api
            .call(
                "POST",
                "/api/login",
                None,
                Some(json!({"name": "nurse.bianchi", "password": "guess"})),
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, _) = api.get("/api/audit", &api.clinician).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, audit) = api.get("/api/audit", &api.admin).await;
        assert_eq!(status, StatusCode::OK);
        let tail: Vec<(String, String)> = audit["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["actor"] != "system")
            .map(|e| {
                (
                    e["actor"].as_str().unwrap().to_owned(),
                    e["action"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let expected = [
            ("dr.rossi", "patient.create"),
            ("dr.rossi", "fact.append"),
            ("nurse.bianchi", "login"),
            ("nurse.bianchi", "login.failed"),
        ];
        assert_eq!(tail, expected.map(|(a, b)| (a.to_owned(), b.to_owned())));
    }

    pub async fn large_bodies_are_refused_with_json(api: &Api) {
        let patient = api.new_patient().await;
        let big = json!({"name": "x".repeat(100 * 1024)});
        let (status, body) = api.post("/api/patients", &api.clinician, big).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(body["error"]["message"].is_string(), "{body}");
        let (status, body) = api
            .get(&format!("/api/patients/{patient}/nothing"), &api.clinician)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body["error"]["message"].is_string(), "{body}");
    }

    pub async fn every_documented_route_is_served(api: &Api) {
        let doc: Value = serde_json::from_str(oncourse_server::OPENAPI_JSON).unwrap();
        let paths = doc["paths"].as_object().unwrap();
        let mut checked = 0;
        for (path, item) in paths {
            let concrete = path
                .replace("{patient_id}", "p_none")
                .replace("{fact_id}", "f_none")
                .replace("{key}", "k_none");
            for method in ["get", "post"] {
                if item.get(method).is_none() {
                    continue;
                }
                let (status, body) = api
                    .call(
                        &method.to_uppercase(),
                        &concrete,
                        Some(&api.admin),
                        Some(json!({})),
                    )
                    .await;
                let unrouted = status == StatusCode::METHOD_NOT_ALLOWED
                    || (status == StatusCode::NOT_FOUND
                        && body["error"]["message"] == "no such route; see /api/openapi.json");
                assert!(!unrouted, "{method} {path}: {status} {body}");
                checked += 1;
            }
        }
        assert_eq!(checked, 17);
    }

    /// The seed (PFS censored at 162 days) and the progressing course (an event at 81 days;
    /// both worked out by hand in crates/oncourse-engine/tests/response.rs), and a patient
    /// without facts (left out). Kaplan–Meier by hand: at 81 days 2 at risk, 1 event, S = 1 −
    /// 1/2 = 0.5; at 162 days 1 at risk, censored, S stays 0.5.
    pub async fn cohort_survival_is_kaplan_meier_over_stored_patients(api: &Api) {
        let files = [
            include_str!("../../../examples/popliteal-lms.toml"),
            include_str!("../../../tests/data/case-files/valid/response-progression.toml"),
        ];
        for text in files {
            let (status, body) = api
                .call_raw(
                    "POST",
                    "/api/patients",
                    Some(&api.clinician),
                    Some(("application/toml", text.to_owned())),
                    &[],
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
        }
        api.new_patient().await;
        for token in [&api.researcher, &api.nurse] {
            let (status, km) = api.get("/api/cohort/survival?endpoint=pfs", token).await;
            assert_eq!(status, StatusCode::OK, "{km}");
            assert_eq!(km["excluded"], 1);
            let mut subjects: Vec<(i64, bool)> = km["subjects"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| (s["days"].as_i64().unwrap(), s["event"].as_bool().unwrap()))
                .collect();
            subjects.sort();
            assert_eq!(subjects, [(81, true), (162, false)]);
            let steps: Vec<(f64, u64, u64, u64, f64)> = km["steps"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    (
                        s["time"].as_f64().unwrap(),
                        s["n_at_risk"].as_u64().unwrap(),
                        s["n_events"].as_u64().unwrap(),
                        s["n_censored"].as_u64().unwrap(),
                        s["survival"].as_f64().unwrap(),
                    )
                })
                .collect();
            assert_eq!(steps, [(81.0, 2, 1, 0, 0.5), (162.0, 1, 0, 1, 0.5)]);
        }
        let (status, body) = api
            .get("/api/cohort/survival?endpoint=os", &api.nurse)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["field"], "endpoint");
    }

    pub async fn assessments_are_gzipped_for_clients_that_accept_it(api: &Api) {
        let patient = api.new_patient().await;
        let facts = format!("/api/patients/{patient}/facts");
        let (status, _) = api
            .post(&facts, &api.clinician, hemoglobin("hb", "2022-06-01", 10.1))
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let path = format!("/api/patients/{patient}/assessment");
        let (_, plain) = api.get(&path, &api.clinician).await;
        assert_eq!(plain["format"], "oncourse-assessment/1");
        for (accept, gzipped) in [
            ("gzip", true),
            ("br, gzip;q=0.5", true),
            ("gzip;q=0", false),
            ("identity", false),
        ] {
            let request = Request::builder()
                .uri(&path)
                .header("Authorization", format!("Bearer {}", api.clinician))
                .header("Accept-Encoding", accept)
                .body(Body::empty())
                .unwrap();
            let response = api.router.clone().oneshot(request).await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            let encoding = response.headers().get("content-encoding").cloned();
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            let text = if gzipped {
                assert_eq!(encoding.unwrap(), "gzip", "{accept}");
                let mut text = String::new();
                std::io::Read::read_to_string(
                    &mut flate2::read::GzDecoder::new(&bytes[..]),
                    &mut text,
                )
                .unwrap();
                text
            } else {
                assert!(encoding.is_none(), "{accept}");
                String::from_utf8(bytes.to_vec()).unwrap()
            };
            assert_eq!(
                serde_json::from_str::<Value>(&text).unwrap(),
                plain,
                "{accept}"
            );
        }
    }

    /// Without `limit`, a record of 1 001 facts comes as a page of 1 000 and a cursor to the
    /// last one.
    pub async fn facts_are_paged_by_default(api: &Api) {
        let patient = api.new_patient().await;
        let path = format!("/api/patients/{patient}/facts");
        // Batches of 143 stay under the test server's 64 KiB body limit: 7 * 143 = 1 001.
        for batch in 0..7 {
            let facts: Vec<Value> = (0..143)
                .map(|i| {
                    let day = 1 + (batch * 143 + i) % 28;
                    hemoglobin(&format!("f{batch}-{i}"), &format!("2022-06-{day:02}"), 10.0)
                })
                .collect();
            let (status, body) = api
                .call(
                    "POST",
                    &path,
                    Some(&api.clinician),
                    Some(Value::from(facts)),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
        }
        let (status, first) = api.call("GET", &path, Some(&api.nurse), None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(first["facts"].as_array().unwrap().len(), 1000);
        let next = first["next"]
            .as_i64()
            .expect("a cursor after the first page");
        let (status, rest) = api
            .call(
                "GET",
                &format!("{path}?after={next}"),
                Some(&api.nurse),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(rest["facts"].as_array().unwrap().len(), 1);
        assert_eq!(rest["next"], Value::Null);
    }

    pub async fn facts_page_in_the_order_of_the_whole_list(api: &Api) {
        let patient = api.new_patient().await;
        let path = format!("/api/patients/{patient}/facts");
        // Dates out of log order, two on one day.
        let batch = json!([
            hemoglobin("a", "2022-06-08", 9.8),
            hemoglobin("b", "2022-06-01", 10.1),
            hemoglobin("c", "2022-06-15", 9.5),
            hemoglobin("d", "2022-06-08", 9.7),
            hemoglobin("e", "2022-05-20", 11.0)
        ]);
        let (status, _) = api.post(&path, &api.clinician, batch).await;
        assert_eq!(status, StatusCode::CREATED);
        let ids = |page: &Value| -> Vec<String> {
            page["facts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["fact_id"].as_str().unwrap().to_owned())
                .collect()
        };
        let (_, whole) = api.get(&path, &api.nurse).await;
        assert_eq!(ids(&whole), ["e", "b", "a", "d", "c"]);
        assert_eq!(whole["next"], Value::Null);
        let mut paged = Vec::new();
        let mut query = "?limit=2".to_owned();
        for _ in 0..5 {
            let (status, page) = api.get(&format!("{path}{query}"), &api.nurse).await;
            assert_eq!(status, StatusCode::OK, "{page}");
            paged.extend(ids(&page));
            match page["next"].as_i64() {
                Some(next) => query = format!("?limit=2&after={next}"),
                None => break,
            }
        }
        assert_eq!(paged, ids(&whole));
        for (query, field) in [("?limit=0", "limit"), ("?after=999999", "after")] {
            let (status, body) = api.get(&format!("{path}{query}"), &api.nurse).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
            assert_eq!(body["error"]["field"], field, "{body}");
        }
    }

    /// The seed case under the shipped protocols: its six recommendations (the same as `oncourse
    /// assess --protocol … --json`, checked in the CLI's contract test), decided on.
    /// `Idempotency-Key` on fact ingest and decisions: a retry returns the first result with
    /// 200 and writes nothing; the same key with another body is 422; keys are per user.
    pub async fn idempotency_keys_replay_per_user(api: &Api) {
        let id = &api.import_seed_case().await;
        let facts = format!("/api/patients/{id}/facts");
        let count = || async {
            let (_, listed) = api.call("GET", &facts, Some(&api.clinician), None).await;
            listed["facts"].as_array().unwrap().len()
        };
        let before = count().await;
        let batch = json!([
            hemoglobin("hb-k1", "2022-06-08", 9.8),
            hemoglobin("hb-k2", "2022-06-15", 9.5)
        ])
        .to_string();
        let post = |token: &str, body: &str, key: &str| {
            let (token, body, key) = (token.to_owned(), body.to_owned(), key.to_owned());
            let facts = facts.clone();
            async move {
                api.call_raw(
                    "POST",
                    &facts,
                    Some(&token),
                    Some(("application/json", body)),
                    &[("Idempotency-Key", &key)],
                )
                .await
            }
        };
        let (status, first) = post(&api.clinician, &batch, "import-1").await;
        assert_eq!(status, StatusCode::CREATED, "{first}");
        let (status, again) = post(&api.clinician, &batch, "import-1").await;
        assert_eq!(status, StatusCode::OK, "{again}");
        let ids = |body: &Value| -> Vec<Value> {
            let events = body["events"].as_array().unwrap();
            events.iter().map(|e| e["event_id"].clone()).collect()
        };
        assert_eq!(ids(&again), ids(&first));
        assert!(
            again["events"]
                .as_array()
                .unwrap()
                .iter()
                .all(|e| e["replayed"] == true)
        );
        assert_eq!(count().await, before + 2);
        // The same key with another body names the header.
        let other = json!([hemoglobin("hb-k3", "2022-06-22", 9.1)]).to_string();
        let (status, refused) = post(&api.clinician, &other, "import-1").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert_eq!(refused["error"]["field"], "Idempotency-Key");
        assert_eq!(
            refused["error"]["message"],
            "Idempotency-Key: \"import-1\" was already used by this user for a different request \
             (another path or body); send a new key with a new request"
        );
        // Keys are per user: the same key from the nurse is her own request, and it writes.
        let (status, nurse) = post(&api.nurse, &other, "import-1").await;
        assert_eq!(status, StatusCode::CREATED, "{nurse}");
        assert_eq!(count().await, before + 3);
        // Decisions: a retried override is answered with the first decision, recorded once.
        let key = "anlotinib.platelets-g3-4-hold.2022-09-16.anlotinib";
        let over = format!("/api/patients/{id}/recommendations/{key}/override");
        let decide = |reason: &str| {
            let body = json!({ "reason": reason }).to_string();
            let over = over.clone();
            async move {
                api.call_raw(
                    "POST",
                    &over,
                    Some(&api.clinician),
                    Some(("application/json", body)),
                    &[("Idempotency-Key", "decision-1")],
                )
                .await
            }
        };
        let (status, decided) = decide("platelets recovered on recount").await;
        assert_eq!(status, StatusCode::CREATED, "{decided}");
        let (status, replayed) = decide("platelets recovered on recount").await;
        assert_eq!(status, StatusCode::OK, "{replayed}");
        assert_eq!(replayed, decided);
        let (status, refused) = decide("another reason").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        let history = format!("/api/patients/{id}/facts/decision:{key}/history");
        let (status, versions) = api.call("GET", &history, Some(&api.clinician), None).await;
        assert_eq!(status, StatusCode::OK, "{versions}");
        assert_eq!(versions["events"].as_array().unwrap().len(), 1);
    }

    pub async fn recommendations_are_acknowledged_or_overridden_by_clinicians(api: &Api) {
        let id = &api.import_seed_case().await;
        let base = format!("/api/patients/{id}/recommendations");
        let (status, assessment) = api
            .get(&format!("/api/patients/{id}/assessment"), &api.clinician)
            .await;
        assert_eq!(status, StatusCode::OK, "{assessment}");
        assert_eq!(
            assessment["protocols"],
            json!(["anlotinib", "radiation-dermatitis"])
        );
        let (status, listed) = api.get(&base, &api.nurse).await;
        assert_eq!(status, StatusCode::OK, "{listed}");
        let items = listed["recommendations"].as_array().unwrap();
        assert_eq!(items.len(), 6);
        for (item, from_assessment) in items
            .iter()
            .zip(assessment["recommendations"].as_array().unwrap())
        {
            assert_eq!(item["status"], "open");
            for field in ["protocol", "date", "action", "target", "rule_id", "reason"] {
                assert_eq!(item[field], from_assessment[field], "{field}");
            }
        }
        // The key of the third, written out by hand from its protocol, rule, date and drug.
        let key = "anlotinib.platelets-g3-4-hold.2022-09-16.anlotinib";
        assert_eq!(items[2]["key"], key);
        let ack = format!("{base}/{key}/acknowledgement");
        let over = format!("{base}/{key}/override");
        // Only clinicians decide.
        for token in [&api.nurse, &api.researcher, &api.admin] {
            let (status, body) = api.call("POST", &ack, Some(token), None).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        }
        let (status, acked) = api.call("POST", &ack, Some(&api.clinician), None).await;
        assert_eq!(status, StatusCode::CREATED, "{acked}");
        assert_eq!(acked["status"], "acknowledged");
        assert_eq!(acked["decision"]["by"], "dr.rossi");
        assert_eq!(acked["decision"]["at"], "2026-03-01T09:00:00.000000Z");
        // An override needs a reason.
        let (status, body) = api.post(&over, &api.clinician, json!({})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["field"], "reason");
        let (status, body) = api
            .post(
                &over,
                &api.clinician,
                json!({"reason": "platelets recovered to 150; resume at 12 mg"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        // An unknown key is named.
        let (status, body) = api
            .call(
                "POST",
                &format!("{base}/anlotinib.nothing.2022-01-01.anlotinib/acknowledgement"),
                Some(&api.clinician),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("\"anlotinib.nothing.2022-01-01.anlotinib\""),
            "{body}"
        );
        // The later decision supersedes the earlier; both stay in the fact's history.
        let (_, listed) = api.get(&base, &api.clinician).await;
        let item = &listed["recommendations"][2];
        assert_eq!(item["status"], "overridden");
        assert_eq!(
            item["decision"]["reason"],
            "platelets recovered to 150; resume at 12 mg"
        );
        assert_eq!(listed["recommendations"][0]["status"], "open");
        let history = format!("/api/patients/{id}/facts/decision:{key}/history");
        let (status, versions) = api.get(&history, &api.clinician).await;
        assert_eq!(status, StatusCode::OK, "{versions}");
        let actions: Vec<&str> = versions["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["assert", "correct"]);
        // A decision is changed by a new decision, not retracted.
        let latest = versions["events"][1]["event_id"].as_str().unwrap();
        let (status, body) = api
            .post(
                &format!("/api/patients/{id}/facts/decision:{key}/retractions"),
                &api.clinician,
                json!({"supersedes": latest, "reason": "x"}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        // Decisions are not facts of the course: the assessment is unchanged.
        let (_, again) = api
            .get(&format!("/api/patients/{id}/assessment"), &api.clinician)
            .await;
        assert_eq!(again, assessment);
        // Researchers: no key, decider or free text; dates shifted by the patient's shift.
        let (status, seen) = api.get(&base, &api.researcher).await;
        assert_eq!(status, StatusCode::OK, "{seen}");
        let item = &seen["recommendations"][2];
        for hidden in ["key", "reason"] {
            assert!(item.get(hidden).is_none(), "{hidden}: {item}");
        }
        assert!(item["decision"].get("by").is_none(), "{item}");
        assert!(item["decision"].get("reason").is_none(), "{item}");
        assert_eq!(item["status"], "overridden");
        let shift = api.store.research_date_shift_days(id).await.unwrap();
        let date =
            chrono::NaiveDate::parse_from_str(item["date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
        let real = chrono::NaiveDate::from_ymd_opt(2022, 9, 16).unwrap();
        assert_eq!((date - real).num_days(), shift);
        // Every decision is in the audit trail with its author.
        let (_, audit) = api.get("/api/audit", &api.admin).await;
        let decisions: Vec<(&str, &str)> = audit["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"].as_str().unwrap().starts_with("recommendation."))
            .map(|e| (e["actor"].as_str().unwrap(), e["action"].as_str().unwrap()))
            .collect();
        assert_eq!(
            decisions,
            [
                ("dr.rossi", "recommendation.acknowledge"),
                ("dr.rossi", "recommendation.override")
            ]
        );
    }

    /// A FHIR Bundle imports as `oncourse fhir import` reads it: the bundle `oncourse fhir
    /// export` writes of a case file gives the same assessment as the case file itself; HL7's
    /// mCODE example patient (CC0, `tests/data/mcode-examples`) keeps its birth date and sex;
    /// malformed JSON is a 400 naming its line and column; a researcher may not import.
    pub async fn fhir_bundles_import_as_a_patient(api: &Api) {
        let import = async |token: &str, text: String| {
            api.call_raw(
                "POST",
                "/api/patients?name=From%20FHIR",
                Some(token),
                Some(("application/fhir+json", text)),
                &[],
            )
            .await
        };
        let assessment = async |id: &str| {
            let path = format!("/api/patients/{id}/assessment");
            let (status, body) = api.get(&path, &api.clinician).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            body
        };
        let case = include_str!("../../../tests/data/case-files/valid/observation-kinds.toml");
        let record =
            oncourse_model::case_file::parse_case_file("observation-kinds.toml", case).unwrap();
        let bundle = oncourse_fhir::export_json(&record, &oncourse_fhir::ExportOptions::default());
        let (status, from_bundle) = import(&api.clinician, bundle).await;
        assert_eq!(status, StatusCode::CREATED, "{from_bundle}");
        assert_eq!(from_bundle["warnings"], json!([]));
        let (status, from_toml) = api
            .call_raw(
                "POST",
                "/api/patients",
                Some(&api.clinician),
                Some(("application/toml", case.to_owned())),
                &[],
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{from_toml}");
        assert_eq!(
            assessment(from_bundle["id"].as_str().unwrap()).await,
            assessment(from_toml["id"].as_str().unwrap()).await
        );

        let example =
            include_str!("../../../tests/data/mcode-examples/Patient-cancer-patient-jenny-m.json");
        let (status, created) = import(&api.clinician, example.to_owned()).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let path = format!("/api/patients/{}/facts", created["id"].as_str().unwrap());
        let (_, facts) = api.get(&path, &api.clinician).await;
        let patient = &facts["facts"][0]["fact"]["body"];
        // The example's own "birthDate": "1965-01-01" and "gender": "female".
        assert_eq!(patient["birth_date"], "1965-01-01", "{facts}");
        assert_eq!(patient["sex"], "female", "{facts}");

        let (status, body) = import(&api.clinician, "{\n  \"resourceType\": ".to_owned()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["errors"][0]["line"], 2, "{body}");
        let (status, body) = import(&api.researcher, example.to_owned()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    }

    pub async fn case_files_import_as_a_patient(api: &Api) {
        let seed = include_str!("../../../examples/popliteal-lms.toml");
        let toml = async |token: &str, text: &str| {
            api.call_raw(
                "POST",
                "/api/patients?name=Seed%20case",
                Some(token),
                Some(("application/toml", text.to_owned())),
                &[],
            )
            .await
        };
        let (status, created) = toml(&api.clinician, seed).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let id = created["id"].as_str().unwrap();
        let (_, facts) = api
            .get(&format!("/api/patients/{id}/facts"), &api.clinician)
            .await;
        let kinds: Vec<&str> = facts["facts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["kind"].as_str().unwrap())
            .collect();
        let count = |kind: &str| kinds.iter().filter(|k| **k == kind).count();
        // Li et al. 2025: IMRT 4 Gy x 10 then a stereotactic boost 7 Gy x 3; three comorbidities.
        assert_eq!(count("rt_fraction"), 13);
        assert_eq!(count("comorbidity"), 3);
        let parsed = oncourse_model::case_file::parse_case_file("seed", seed).unwrap();
        assert_eq!(kinds.len(), parsed.facts().len());
        let (_, shown) = api
            .get(&format!("/api/patients/{id}"), &api.clinician)
            .await;
        assert_eq!(shown["name"], "Seed case");
        // Every error of a bad file, each with its line and field.
        let (status, body) = toml(
            &api.clinician,
            "format = \"oncourse-case/1\"\n[patient]\nid = 3\n",
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        let errors = body["error"]["errors"].as_array().unwrap();
        assert!(!errors.is_empty(), "{body}");
        assert!(
            errors
                .iter()
                .all(|e| e["line"].is_u64() && e["field"].is_string()),
            "{body}"
        );
        let (status, _) = toml(&api.researcher, seed).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
}
