//! The dashboard driven through the real router: sign-in and the session cookie's flags, the
//! CSRF and origin checks on every state-changing form, expired and ended sessions, the pages
//! of each role (escaped, de-identified for researchers), on SQLite and, when
//! `ONCOURSE_TEST_POSTGRES_URL` is set, on PostgreSQL.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use oncourse_server::{AppState, Clock, ServerOptions};
use oncourse_store::testing::{self, TestDb};
use oncourse_store::{Actor, NewPatient, NewUser, Role, Store, Timestamp};
use tower::ServiceExt;

const PASSWORD: &str = "a good passphrase";
const HOST: &str = "127.0.0.1:8080";
const NOW: &str = "2026-03-01T09:00:00Z";

struct FixedClock(Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0
    }
}

/// What a request got back.
struct Answer {
    status: StatusCode,
    location: Option<String>,
    set_cookie: Option<String>,
    body: String,
}

struct Dashboard {
    router: Router,
    state: AppState,
    store: Store,
    seed_id: String,
}

impl Dashboard {
    async fn new(db: &TestDb, options: ServerOptions) -> Dashboard {
        let store = db.store.clone();
        let now = Timestamp::parse("now", NOW).unwrap();
        let mut clinician = None;
        for (name, role) in [
            ("admin", Role::Admin),
            ("dr.rossi", Role::Clinician),
            ("res.verdi", Role::Researcher),
        ] {
            let user = store
                .create_user(
                    &NewUser {
                        name,
                        role,
                        password: Some(PASSWORD),
                    },
                    "system",
                    now,
                )
                .await
                .unwrap();
            if role == Role::Clinician {
                clinician = Some(Actor {
                    user_id: user.id,
                    name: user.name,
                    role,
                });
            }
        }
        let clinician = clinician.unwrap();
        let seed = oncourse_server::import_case_file(
            &store,
            &clinician,
            "Maria <b>Rossi</b> & co",
            "popliteal-lms.toml",
            include_str!("../../../examples/popliteal-lms.toml"),
            now,
        )
        .await
        .unwrap();
        // A second patient, with a hospital identifier and no facts yet.
        store
            .create_patient(
                &clinician,
                &NewPatient {
                    display_name: "Luca Bianchi",
                    identifier: Some("H-0042"),
                },
                now,
            )
            .await
            .unwrap();
        let state = AppState::new(store.clone(), Arc::new(FixedClock(now)), options);
        Dashboard {
            router: oncourse_server::router(state.clone()),
            state,
            store,
            seed_id: seed.id,
        }
    }

    async fn request(
        &self,
        method: &str,
        path: &str,
        cookie: Option<&str>,
        form: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, HOST);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, format!("oncourse_session={cookie}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = match form {
            Some(form) => request
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form.to_owned())),
            None => request.body(Body::empty()),
        }
        .unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let text = |name| {
            response
                .headers()
                .get(name)
                .map(|v: &axum::http::HeaderValue| v.to_str().unwrap().to_owned())
        };
        let (status, location, set_cookie) = (
            response.status(),
            text(header::LOCATION),
            text(header::SET_COOKIE),
        );
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        Answer {
            status,
            location,
            set_cookie,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn get(&self, path: &str, cookie: &str) -> Answer {
        self.request("GET", path, Some(cookie), None, &[]).await
    }

    /// A form posted by a signed-in browser.
    async fn post(&self, path: &str, cookie: &str, form: &str, headers: &[(&str, &str)]) -> Answer {
        self.request("POST", path, Some(cookie), Some(form), headers)
            .await
    }

    /// Signs in through the form; returns the session token from the cookie.
    async fn sign_in(&self, name: &str) -> String {
        let answer = self
            .request(
                "POST",
                "/login",
                None,
                Some(&format!("name={name}&password=a+good+passphrase")),
                &[("origin", "http://127.0.0.1:8080")],
            )
            .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        assert_eq!(answer.location.as_deref(), Some("/patients"));
        let cookie = answer.set_cookie.unwrap();
        cookie
            .strip_prefix("oncourse_session=")
            .and_then(|rest| rest.split(';').next())
            .unwrap()
            .to_owned()
    }

    /// The CSRF token a signed-in page shows in its sign-out form.
    async fn csrf_token(&self, cookie: &str) -> String {
        let page = self.get("/patients", cookie).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let marker = "name=\"csrf_token\" value=\"";
        let start = page
            .body
            .find(marker)
            .expect("a sign-out form with a token")
            + marker.len();
        page.body[start..start + 64].to_owned()
    }
}

macro_rules! on_every_database {
    ($($name:ident),* $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            for db in testing::all().await {
                eprintln!("{}: {}", stringify!($name), db.label);
                let dashboard = Dashboard::new(&db, ServerOptions::default()).await;
                scenarios::$name(&dashboard).await;
                db.finish().await;
            }
        }
    )*};
}

on_every_database!(
    signing_in_sets_a_strict_http_only_cookie,
    pages_need_a_session_and_api_tokens_do_not_sign_in,
    state_changing_forms_need_the_csrf_token_and_same_origin,
    expired_sessions_go_back_to_the_login_page,
    the_patient_pages_show_the_course_escaped,
    researchers_see_no_names,
    the_eqd2_calculator_computes_published_examples,
    the_audit_page_is_for_admins_and_shows_sign_ins,
    clinicians_decide_on_recommendations_in_the_inbox,
    the_cohort_page_draws_kaplan_meier,
    a_new_event_replaces_the_cached_researcher_view,
);

#[tokio::test]
async fn the_secure_option_marks_the_cookie_secure() {
    let (db, _) = testing::sqlite().await;
    let dashboard = Dashboard::new(
        &db,
        ServerOptions {
            secure_cookies: true,
            ..ServerOptions::default()
        },
    )
    .await;
    let answer = dashboard
        .request(
            "POST",
            "/login",
            None,
            Some("name=dr.rossi&password=a+good+passphrase"),
            &[],
        )
        .await;
    assert!(answer.set_cookie.unwrap().ends_with("; Secure"));
    db.finish().await;
}

mod scenarios {
    use super::*;

    pub async fn signing_in_sets_a_strict_http_only_cookie(d: &Dashboard) {
        let form = d.request("GET", "/login", None, None, &[]).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains(r#"<label for="password">"#));
        let answer = d
            .request(
                "POST",
                "/login",
                None,
                Some("name=dr.rossi&password=a+good+passphrase"),
                &[],
            )
            .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
        let cookie = answer.set_cookie.unwrap();
        let token = cookie
            .strip_prefix("oncourse_session=ocs_")
            .unwrap()
            .split(';')
            .next()
            .unwrap();
        assert_eq!(token.len(), 64);
        assert!(
            cookie.ends_with("; HttpOnly; SameSite=Strict; Path=/; Max-Age=28800"),
            "{cookie}"
        );
        let wrong = d
            .request(
                "POST",
                "/login",
                None,
                Some("name=dr.rossi&password=wrong+passphrase"),
                &[],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.set_cookie.is_none());
        assert!(wrong.body.contains("Wrong user name or password."));
        // A sign-in form posted from another site is refused before the password is checked.
        let cross = d
            .request(
                "POST",
                "/login",
                None,
                Some("name=dr.rossi&password=a+good+passphrase"),
                &[("origin", "http://evil.example")],
            )
            .await;
        assert_eq!(cross.status, StatusCode::FORBIDDEN);
        assert!(cross.set_cookie.is_none());
    }

    pub async fn pages_need_a_session_and_api_tokens_do_not_sign_in(d: &Dashboard) {
        for path in [
            "/patients",
            "/eqd2",
            "/audit",
            &format!("/patients/{}", d.seed_id),
        ] {
            let answer = d.request("GET", path, None, None, &[]).await;
            assert_eq!(answer.status, StatusCode::SEE_OTHER, "{path}");
            assert_eq!(answer.location.as_deref(), Some("/login"), "{path}");
        }
        let user = d.store.user_by_name("dr.rossi").await.unwrap().unwrap();
        let now = Timestamp::parse("now", NOW).unwrap();
        let api_token = d
            .store
            .issue_api_token(&user, "test", "system", now)
            .await
            .unwrap();
        let answer = d.get("/patients", &api_token).await;
        assert_eq!(answer.location.as_deref(), Some("/login"));
        // The JSON API keeps its bearer tokens and its JSON errors.
        let api = d.request("GET", "/api/patients", None, None, &[]).await;
        assert_eq!(api.status, StatusCode::UNAUTHORIZED);
        assert!(api.body.starts_with(r#"{"error""#), "{}", api.body);
    }

    pub async fn state_changing_forms_need_the_csrf_token_and_same_origin(d: &Dashboard) {
        let cookie = d.sign_in("dr.rossi").await;
        let csrf = d.csrf_token(&cookie).await;
        let logout = |form: String, headers: Vec<(&'static str, String)>| {
            let cookie = cookie.clone();
            async move {
                let headers: Vec<(&str, &str)> =
                    headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
                d.request("POST", "/logout", Some(&cookie), Some(&form), &headers)
                    .await
            }
        };
        let missing = logout(String::new(), vec![]).await;
        assert_eq!(missing.status, StatusCode::FORBIDDEN);
        assert!(missing.body.contains("no CSRF token"), "{}", missing.body);
        let other_session = oncourse_server::dashboard::session::csrf_token_for("ocs_other");
        let wrong = logout(format!("csrf_token={other_session}"), vec![]).await;
        assert_eq!(wrong.status, StatusCode::FORBIDDEN);
        assert!(wrong.body.contains("does not belong to this session"));
        let wrong_header = logout(String::new(), vec![("x-csrf-token", "0".repeat(64))]).await;
        assert_eq!(wrong_header.status, StatusCode::FORBIDDEN);
        let cross = logout(
            format!("csrf_token={csrf}"),
            vec![("origin", "http://evil.example".to_owned())],
        )
        .await;
        assert_eq!(cross.status, StatusCode::FORBIDDEN);
        assert!(cross.body.contains("cross-origin request refused"));
        // Still signed in after every refused attempt.
        assert_eq!(d.get("/patients", &cookie).await.status, StatusCode::OK);
        // The htmx header carries the token as well as the field does.
        let ok = logout(
            String::new(),
            vec![
                ("x-csrf-token", csrf.clone()),
                ("origin", "http://127.0.0.1:8080".to_owned()),
            ],
        )
        .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        assert_eq!(ok.location.as_deref(), Some("/login"));
        assert!(ok.set_cookie.unwrap().contains("Max-Age=0"));
        // The session is over on the server, not only in the browser.
        let after = d.get("/patients", &cookie).await;
        assert_eq!(after.location.as_deref(), Some("/login"));
        let trail = d.store.recent_audit_log(None, 5).await.unwrap();
        assert_eq!(trail[0].action, "logout");
        assert_eq!(trail[0].actor, "dr.rossi");
    }

    pub async fn expired_sessions_go_back_to_the_login_page(d: &Dashboard) {
        // A session opened nine hours before the server's clock, for eight hours.
        let opened = Timestamp::parse("opened", "2026-03-01T00:00:00Z").unwrap();
        let session = d
            .store
            .login("dr.rossi", PASSWORD, opened, chrono::Duration::hours(8))
            .await
            .unwrap()
            .unwrap();
        let answer = d.get("/patients", &session.token).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
        assert_eq!(answer.location.as_deref(), Some("/login"));
        assert!(answer.set_cookie.unwrap().contains("Max-Age=0"));
        // One that is still open works.
        let fresh = d
            .store
            .login("dr.rossi", PASSWORD, opened, chrono::Duration::hours(10))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            d.get("/patients", &fresh.token).await.status,
            StatusCode::OK
        );
    }

    pub async fn the_patient_pages_show_the_course_escaped(d: &Dashboard) {
        let cookie = d.sign_in("dr.rossi").await;
        let list = d.get("/patients", &cookie).await;
        assert!(
            list.body
                .contains("Maria &#60;b&#62;Rossi&#60;/b&#62; &#38; co"),
            "the name is escaped: {}",
            list.body
        );
        assert!(!list.body.contains("<b>Rossi"));
        // The hospital identifier (MRN) beside the name; no facts, nothing assessed.
        assert!(
            list.body
                .contains(r#"Luca Bianchi</a> <span class="mrn">MRN H-0042</span>"#),
            "{}",
            list.body
        );
        assert!(list.body.contains("<td>no facts yet</td>"));
        assert!(
            list.body
                .contains(&format!(r#"href="/patients/{}""#, d.seed_id))
        );
        let page = d.get(&format!("/patients/{}", d.seed_id), &cookie).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        for id in [
            "timeline",
            "inbox",
            "labs",
            "adverse-events",
            "radiotherapy",
            "tumour-size",
            "chronology",
        ] {
            assert!(
                page.body.contains(&format!(r#"<section id="{id}">"#)),
                "{id}"
            );
        }
        // The seed's radiotherapy (Li et al. 2025: 4 Gy x 10 then 7 Gy x 3) and its swimlane.
        assert!(page.body.contains("<svg"));
        assert!(page.body.contains("Radiotherapy"));
        // Every chart is an image named in words; the swimlane's first lane is the seed's
        // radiotherapy, from its first fact (2022-05-09, admission) to its last (2023-11-23).
        assert_eq!(
            page.body.matches("<svg ").count(),
            page.body.matches(r#" role="img" aria-label=""#).count()
        );
        assert!(page.body.contains(
            r#"aria-label="Treatment timeline from 2022-05-09 to 2023-11-23, one lane each for Radiotherapy, "#
        ));
        let missing = d.get("/patients/no-such-patient", &cookie).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert!(
            missing.body.contains("<h1>404 Not Found</h1>"),
            "{}",
            missing.body
        );
    }

    pub async fn researchers_see_no_names(d: &Dashboard) {
        let cookie = d.sign_in("res.verdi").await;
        let list = d.get("/patients", &cookie).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(!list.body.contains("Rossi"), "{}", list.body);
        assert!(!list.body.contains("Bianchi") && !list.body.contains("H-0042"));
        assert!(list.body.contains(&format!("Patient {}", d.seed_id)));
        let page = d.get(&format!("/patients/{}", d.seed_id), &cookie).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("Rossi"));
        assert!(page.body.contains("de-identified view"));
        // The seed's IMRT runs 2022-05-23 to 2022-06-06 in the case file; a researcher sees
        // both dates moved by the patient's shift (1 to 365 days earlier).
        let shift = d.store.research_date_shift_days(&d.seed_id).await.unwrap();
        assert!(shift < 0);
        let moved = |date: &str| {
            (date.parse::<chrono::NaiveDate>().unwrap() + chrono::Duration::days(shift)).to_string()
        };
        let span = |first: &str, last: &str| format!("<td>{first} – {last}</td>");
        let clinician = d.sign_in("dr.rossi").await;
        let real = d.get(&format!("/patients/{}", d.seed_id), &clinician).await;
        assert!(real.body.contains(&span("2022-05-23", "2022-06-06")));
        assert!(
            page.body
                .contains(&span(&moved("2022-05-23"), &moved("2022-06-06")))
        );
        assert!(!page.body.contains(&span("2022-05-23", "2022-06-06")));
        // The inbox counts days from the first fraction (2022-05-23, day 0): the platelet hold
        // of 2022-08-29 is day 98 for both, whatever the shift.
        let day = |date: &str| format!(r#"<td>{date}<br><span class="note">day 98</span></td>"#);
        assert!(real.body.contains(&day("2022-08-29")), "{}", real.body);
        assert!(
            page.body.contains(&day(&moved("2022-08-29"))),
            "{}",
            page.body
        );
        // No audit page for researchers.
        assert_eq!(d.get("/audit", &cookie).await.status, StatusCode::FORBIDDEN);
    }

    pub async fn the_eqd2_calculator_computes_published_examples(d: &Dashboard) {
        let cookie = d.sign_in("dr.rossi").await;
        let empty = d.get("/eqd2", &cookie).await;
        assert_eq!(empty.status, StatusCode::OK);
        assert!(!empty.body.contains("eqd2-result"));
        // Nieder et al. 2006 (tests/data/radbio/worked-examples.toml): 2 Gy x 25 at α/β 2 is
        // BED 100 Gy; EQD2 is then 50 Gy (the reference dose per fraction is 2 Gy).
        let page = d
            .get(
                "/eqd2?dose_per_fraction_gy=2&fractions=25&alpha_beta_gy=2&tissue=",
                &cookie,
            )
            .await;
        assert!(
            page.body.contains(r#"<td id="bed">100 Gy</td>"#),
            "{}",
            page.body
        );
        assert!(page.body.contains(r#"<td id="eqd2">50 Gy</td>"#));
        let bad = d
            .get(
                "/eqd2?dose_per_fraction_gy=abc&fractions=5&alpha_beta_gy=3",
                &cookie,
            )
            .await;
        assert!(
            bad.body
                .contains("dose per fraction: expected a positive number of Gy, got &#34;abc&#34;"),
            "{}",
            bad.body
        );
    }

    pub async fn the_audit_page_is_for_admins_and_shows_sign_ins(d: &Dashboard) {
        let clinician = d.sign_in("dr.rossi").await;
        let refused = d.get("/audit", &clinician).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(refused.body.contains("role clinician may not"));
        let admin = d.sign_in("admin").await;
        let page = d.get("/audit", &admin).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("<td>dr.rossi</td><td>login</td>"),
            "{}",
            page.body
        );
        assert!(page.body.contains("fact.append") || page.body.contains("patient.create"));
    }

    pub async fn clinicians_decide_on_recommendations_in_the_inbox(d: &Dashboard) {
        let cookie = d.sign_in("dr.rossi").await;
        let csrf = d.csrf_token(&cookie).await;
        let page_path = format!("/patients/{}", d.seed_id);
        let keys = |body: &str| -> Vec<String> {
            body.split(r#"<tr class="recommendation open" data-key=""#)
                .skip(1)
                .map(|rest| rest.split('"').next().unwrap().to_owned())
                .collect()
        };
        let page = d.get(&page_path, &cookie).await;
        let open = keys(&page.body);
        // The shipped protocols over the seed course (anlotinib holds for its grade 3
        // thrombocytopenia and neutropenia, at least) give several recommendations.
        assert!(open.len() >= 2, "{}", page.body);
        let list = d.get("/patients", &cookie).await;
        assert!(
            list.body
                .contains(&format!(r#"<span class="alert">{}</span>"#, open.len())),
            "{}",
            list.body
        );
        let decide = |key: &str, action: &str| {
            format!("/patients/{}/recommendations/{key}/{action}", d.seed_id)
        };
        // No CSRF token: refused, nothing decided.
        let refused = d
            .post(&decide(&open[0], "acknowledge"), &cookie, "", &[])
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        // With htmx: the decided row comes back alone, to replace the old one.
        let row = d
            .post(
                &decide(&open[0], "acknowledge"),
                &cookie,
                &format!("csrf_token={csrf}"),
                &[("hx-request", "true")],
            )
            .await;
        assert_eq!(row.status, StatusCode::OK, "{}", row.body);
        assert!(
            row.body.starts_with(&format!(
                r#"<tr class="recommendation acknowledged" data-key="{}">"#,
                open[0]
            )),
            "{}",
            row.body
        );
        assert!(row.body.contains("by dr.rossi at 2026-03-01T09:00:00"));
        // The first open recommendation is the platelet hold of 2022-08-29, day 98 of the
        // course (first fraction 2022-05-23), in the swapped row as on the page.
        assert!(
            row.body
                .contains(r#"<td>2022-08-29<br><span class="note">day 98</span></td>"#)
        );
        // The keyboard's focus was on the replaced row's button: htmx moves it to the new
        // row's status (autofocus), never so on a page load.
        assert!(row.body.contains(r#"<td tabindex="-1" autofocus>"#));
        assert!(!page.body.contains("autofocus"));
        // An override needs a reason: with htmx the row says so, without it an error page.
        let no_reason = d
            .post(
                &decide(&open[1], "override"),
                &cookie,
                &format!("csrf_token={csrf}&reason="),
                &[("hx-request", "true")],
            )
            .await;
        assert!(
            no_reason
                .body
                .contains("reason: an override needs a reason"),
            "{}",
            no_reason.body
        );
        assert!(no_reason.body.contains(r#"class="recommendation open""#));
        let without_htmx = d
            .post(
                &decide(&open[1], "override"),
                &cookie,
                &format!("csrf_token={csrf}"),
                &[],
            )
            .await;
        assert_eq!(without_htmx.status, StatusCode::BAD_REQUEST);
        // Without htmx, a decision goes back to the page.
        let overridden = d
            .post(
                &decide(&open[1], "override"),
                &cookie,
                &format!("csrf_token={csrf}&reason=platelets+recovered+%3C%26%3E"),
                &[],
            )
            .await;
        assert_eq!(overridden.status, StatusCode::SEE_OTHER);
        assert_eq!(
            overridden.location.unwrap(),
            format!("/patients/{}#inbox", d.seed_id)
        );
        let page = d.get(&page_path, &cookie).await;
        assert_eq!(keys(&page.body).len(), open.len() - 2);
        assert!(
            page.body
                .contains("Reason: platelets recovered &#60;&#38;&#62;")
        );
        // Both decisions are in the audit trail, authored by the clinician.
        let trail = d.store.recent_audit_log(None, 10).await.unwrap();
        let actions: Vec<(&str, &str)> = trail
            .iter()
            .map(|e| (e.action.as_str(), e.actor.as_str()))
            .collect();
        assert!(
            actions.contains(&("recommendation.acknowledge", "dr.rossi")),
            "{actions:?}"
        );
        assert!(actions.contains(&("recommendation.override", "dr.rossi")));
        // An administrator sees the inbox but has no buttons, and may not decide.
        let admin = d.sign_in("admin").await;
        let admin_csrf = d.csrf_token(&admin).await;
        let page = d.get(&page_path, &admin).await;
        assert!(!page.body.contains(">Acknowledge</button>"));
        assert!(page.body.contains("Only clinicians decide."));
        let forbidden = d
            .request(
                "POST",
                &decide(&open[2.min(open.len() - 1)], "acknowledge"),
                Some(&admin),
                Some(&format!("csrf_token={admin_csrf}")),
                &[],
            )
            .await;
        assert_eq!(
            forbidden.status,
            StatusCode::FORBIDDEN,
            "{}",
            forbidden.body
        );
        // A researcher posting a real key with htmx gets the refusal, not the row (which would
        // confirm the real date the key names).
        let researcher = d.sign_in("res.verdi").await;
        let researcher_csrf = d.csrf_token(&researcher).await;
        let refused = d
            .request(
                "POST",
                &decide(&open[2.min(open.len() - 1)], "acknowledge"),
                Some(&researcher),
                Some(&format!("csrf_token={researcher_csrf}")),
                &[("hx-request", "true")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        assert!(
            refused
                .body
                .contains("role researcher may not decide on recommendations")
        );
        assert!(!refused.body.contains("<tr"), "{}", refused.body);
    }

    pub async fn the_cohort_page_draws_kaplan_meier(d: &Dashboard) {
        let cookie = d.sign_in("res.verdi").await;
        let page = d.get("/cohort", &cookie).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        // One patient, the seed: partial response, no progression by its last scan, so its
        // PFS is censored (engine response tests) and the median is not reached.
        assert!(
            page.body
                .contains(r#"<section id="km" aria-labelledby="km-heading">"#)
        );
        assert!(page.body.contains("<svg"));
        assert!(
            page.body.contains("<b>not reached</b> · 1 patients"),
            "{}",
            page.body
        );
        assert!(page.body.contains("<td>censored</td>"));
        // The researcher sees the seed by its pseudonym, as in the patient list.
        assert!(
            page.body.contains(&format!(
                r#"<a href="/patients/{0}">Patient {0}</a></td>"#,
                d.seed_id
            )),
            "{}",
            page.body
        );
        assert!(!page.body.contains("Rossi"));
        // The estimate as a table: the seed's PFS is censored at 162 days (the case report's
        // PFS, tests/case_report.rs), one at risk, no event, S = 100 % with no interval.
        assert!(
            page.body.contains(
                r#"<tr><td class="num">162</td><td class="num">1</td><td class="num">0</td><td class="num">1</td><td class="num">100 %</td><td>NA–NA</td></tr>"#
            ),
            "{}",
            page.body
        );
        // A clinician sees the patient's name, escaped.
        let clinician = d.sign_in("dr.rossi").await;
        let named = d.get("/cohort", &clinician).await;
        assert!(
            named.body.contains(&format!(
                r#"<a href="/patients/{}">Maria &#60;b&#62;Rossi&#60;/b&#62; &#38; co</a></td>"#,
                d.seed_id
            )),
            "{}",
            named.body
        );
        let ttp = d.get("/cohort?endpoint=ttp", &cookie).await;
        assert!(ttp.body.contains("<h1>Cohort: Time to progression</h1>"));
        let bad = d.get("/cohort?endpoint=os", &cookie).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(
            bad.body
                .contains("endpoint: expected pfs or ttp, got &#34;os&#34;"),
            "{}",
            bad.body
        );
    }

    /// A researcher's view is made once per state of the log: the second page load gets the
    /// same view, and a new event makes a new one that shows it.
    pub async fn a_new_event_replaces_the_cached_researcher_view(d: &Dashboard) {
        use oncourse_server::dashboard::views::{PatientView, patient_view};
        use oncourse_store::{NewFact, ValidTime};
        let actor = |name: &str| {
            let store = d.store.clone();
            let name = name.to_owned();
            async move {
                let user = store.user_by_name(&name).await.unwrap().unwrap();
                Actor {
                    user_id: user.id,
                    name: user.name,
                    role: user.role,
                }
            }
        };
        let (researcher, clinician) = (actor("res.verdi").await, actor("dr.rossi").await);
        let first = patient_view(&d.state, &researcher, &d.seed_id)
            .await
            .unwrap();
        let again = patient_view(&d.state, &researcher, &d.seed_id)
            .await
            .unwrap();
        assert!(
            Arc::ptr_eq(&first, &again),
            "the second read is the cached view"
        );
        // The clinician's view of the same log is another entry, with the real dates.
        let clinical = patient_view(&d.state, &clinician, &d.seed_id)
            .await
            .unwrap();
        assert!(!Arc::ptr_eq(&first, &clinical));
        let shift =
            chrono::Duration::days(d.store.research_date_shift_days(&d.seed_id).await.unwrap());
        let last = |view: &PatientView| view.record.last_date().unwrap();
        // The seed's last fact is dated 2023-11-23 (examples/popliteal-lms.toml).
        let seed_last: chrono::NaiveDate = "2023-11-23".parse().unwrap();
        assert_eq!(last(&clinical), seed_last);
        assert_eq!(last(&first), seed_last + shift);
        // A haemoglobin drawn a year later.
        let now = Timestamp::parse("now", NOW).unwrap();
        d.store
            .append_fact(
                &clinician,
                &d.seed_id,
                NewFact {
                    fact_id: Some("hb-follow-up".to_owned()),
                    fact_kind: "observation".to_owned(),
                    valid_time: ValidTime::parse("date", "2024-11-23").unwrap(),
                    payload: r#"{"date": "2024-11-23", "body": {"kind": "observation",
                        "name": "hemoglobin", "loinc": "718-7", "value": {"value": 12.1, "unit": "g/dL"}}}"#
                        .to_owned(),
                    idempotency_key: None,
                },
                now,
            )
            .await
            .unwrap();
        let after = patient_view(&d.state, &researcher, &d.seed_id)
            .await
            .unwrap();
        assert!(!Arc::ptr_eq(&first, &after), "a new event makes a new view");
        let follow_up: chrono::NaiveDate = "2024-11-23".parse().unwrap();
        assert_eq!(last(&after), follow_up + shift);
        assert_eq!(after.assessment().unwrap().as_of, follow_up + shift);
        // And the page shows it, on the shifted date.
        let cookie = d.sign_in("res.verdi").await;
        let page = d.get(&format!("/patients/{}", d.seed_id), &cookie).await;
        assert!(
            page.body
                .contains(&format!("Assessed as of {}", follow_up + shift)),
            "{}",
            page.body
        );
    }
}
