//! The clinician dashboard: server-rendered HTML pages (askama templates, escaped by default)
//! over the same store, roles and de-identification as the JSON API, signed in with a session
//! cookie (see [`session`]). Charts and course tables come from `oncourse-report`, so the
//! dashboard and the HTML case report draw the same figures. htmx (vendored, served from the
//! binary) makes the recommendation inbox update in place; every form also works without it.
//!
//! | route | who | what |
//! |---|---|---|
//! | `GET/POST /login`, `POST /logout` | anyone | the sign-in form; sign out |
//! | `GET /patients` | signed in | patients with open alerts |
//! | `GET /patients/{id}` | signed in | timeline, labs, adverse events, recommendation inbox, RT dose, response |
//! | `POST /patients/{id}/recommendations/{key}/acknowledge` or `…/override` | clinician | a decision on a recommendation |
//! | `GET /eqd2` | signed in | BED/EQD2 calculator over the tissue table |
//! | `GET /cohort?endpoint=pfs\|ttp` | signed in | Kaplan–Meier over the stored patients |
//! | `GET /audit` | admin | the audit trail |
//! | `GET /static/…` | anyone | style sheet and htmx |

mod assets;
mod audit;
mod cohort;
mod eqd2;
mod error;
mod inbox;
mod login;
mod patients;
pub mod session;
pub mod views;

use axum::Router;
use axum::response::Redirect;
use axum::routing::{get, post};
use oncourse_store::Role;

use crate::AppState;
pub use error::DashboardError;
use session::BrowserSession;
pub(crate) use views::ViewCache;

/// The dashboard's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/patients") }))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/patients", get(patients::list))
        .route("/patients/{patient_id}", get(patients::page))
        .route(
            "/patients/{patient_id}/recommendations/{key}/{decision}",
            post(inbox::decide_on),
        )
        .route("/eqd2", get(eqd2::page))
        .route("/cohort", get(cohort::page))
        .route("/audit", get(audit::page))
        .route("/static/dashboard.css", get(assets::style))
        .route("/static/htmx.min.js", get(assets::htmx))
}

/// What every signed-in page shows around its content: who is signed in, the navigation, and
/// the CSRF token for the sign-out form and htmx requests.
pub struct Chrome {
    /// False on the login page.
    pub signed_in: bool,
    /// The user's name.
    pub user_name: String,
    /// The user's role.
    pub role: &'static str,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// Shows the audit link.
    pub is_admin: bool,
    /// Which navigation entry is current (`patients`, `eqd2`, `cohort`, `audit`).
    pub current: &'static str,
}

impl Chrome {
    /// The chrome of a signed-in page.
    pub fn new(session: &BrowserSession, current: &'static str) -> Chrome {
        Chrome {
            signed_in: true,
            user_name: session.actor.name.clone(),
            role: session.actor.role.as_str(),
            csrf_token: session.csrf_token.clone(),
            is_admin: session.actor.role == Role::Admin,
            current,
        }
    }

    /// The chrome of the login page.
    pub fn signed_out() -> Chrome {
        Chrome {
            signed_in: false,
            user_name: String::new(),
            role: "",
            csrf_token: String::new(),
            is_admin: false,
            current: "",
        }
    }
}

/// Renders a template into a response (a template error is a bug: 500).
fn render(template: &impl askama::Template) -> axum::response::Response {
    use axum::response::IntoResponse;
    match template.render() {
        Ok(html) => axum::response::Html(html).into_response(),
        Err(error) => {
            eprintln!("error: rendering a dashboard page: {error}");
            error::error_page(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "internal error: the page could not be rendered (a bug; please report it)",
            )
        }
    }
}
