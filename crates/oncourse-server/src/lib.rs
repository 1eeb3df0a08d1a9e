//! The oncourse HTTP API: patients, their facts (append, correct, retract, as-of reads), the
//! engine's assessment with the protocols' recommendations, clinicians' decisions on those,
//! case-file import, logins, roles and the audit trail, over an [`oncourse_store::Store`].
//!
//! What the JSON handlers do is in [`service`]: plain async functions over an [`AppState`]
//! that other front ends (the dashboard) call without HTTP.
//!
//! Every request but `GET /healthz` and `GET /api/openapi.json` needs `Authorization: Bearer
//! TOKEN` (an API token or a login session). Roles decide what a request may do (see
//! [`access`]); a researcher sees de-identified data only (see [`deidentify`]). Errors are JSON
//! objects that name the field at fault. The server reads the clock here, at the edge, and hands
//! the time to the store.

pub mod access;
pub mod clock;
pub mod dashboard;
pub mod deidentify;
mod error;
mod extract;
mod import;
pub mod protocols;
mod quantities;
mod routes;
pub mod service;
mod wire;

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use oncourse_store::Store;
use oncourse_tox::protocol::Protocol;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;

pub use clock::{Clock, SystemClock};
pub use error::ApiError;
pub use import::import_case_file;
pub use protocols::shipped_protocols;
/// The OpenAPI 3.1 document served at `/api/openapi.json`.
pub use routes::OPENAPI_JSON;

/// Settings of a server.
#[derive(Clone, Debug)]
pub struct ServerOptions {
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// How long a login session lasts.
    pub session_lifetime: chrono::Duration,
    /// Marks the dashboard's session cookie `Secure` (sent over HTTPS only): set it when the
    /// server is reached through TLS (a reverse proxy).
    pub secure_cookies: bool,
    /// The dose-modification protocols every assessment is evaluated against (by default the
    /// shipped ones, [`shipped_protocols`]).
    pub protocols: Arc<[Protocol]>,
    /// How many assessments the cache keeps (each is a patient's assessment at one state of
    /// its log, for one as-of date and recorded time); the dashboard keeps as many patient
    /// views (one per patient, state of its log and read view).
    pub assessment_cache_entries: usize,
}

impl Default for ServerOptions {
    fn default() -> ServerOptions {
        ServerOptions {
            // A case file or a batch of a few thousand facts fits; anything larger is refused
            // before it is read.
            max_body_bytes: 4 * 1024 * 1024,
            session_lifetime: chrono::Duration::hours(8),
            secure_cookies: false,
            protocols: shipped_protocols().into(),
            assessment_cache_entries: 256,
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The record store.
    pub store: Store,
    /// Where recorded times come from.
    pub clock: Arc<dyn Clock>,
    /// Settings.
    pub options: ServerOptions,
    /// Assessments already computed.
    pub(crate) assessments: service::assessment::AssessmentCache,
    /// The dashboard's patient views (records and assessments per read view) already made.
    pub(crate) dashboard_views: dashboard::ViewCache,
    /// Bearer tokens recently found valid.
    pub(crate) tokens: extract::TokenCache,
}

impl AppState {
    /// The state of a server over `store`.
    pub fn new(store: Store, clock: Arc<dyn Clock>, options: ServerOptions) -> AppState {
        AppState {
            assessments: service::assessment::AssessmentCache::new(
                options.assessment_cache_entries,
            ),
            dashboard_views: dashboard::ViewCache::new(options.assessment_cache_entries),
            tokens: extract::TokenCache::new(1024),
            store,
            clock,
            options,
        }
    }
}

/// The application: the API's and the dashboard's routes, the body limit, security headers and
/// the panic guard.
pub fn router(state: AppState) -> Router {
    let max_body_bytes = state.options.max_body_bytes;
    routes::routes()
        .merge(dashboard::routes())
        .with_state(state)
        .layer(axum::middleware::map_response(security_headers))
        .layer(RequestBodyLimitLayer::new(max_body_bytes))
        .layer(axum::middleware::map_response(json_body_for_plain_errors))
        .layer(CatchPanicLayer::custom(panic_response))
}

/// A panic is a bug; the client gets a JSON 500 and the server keeps running.
fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::internal("internal error: the request handler panicked (a bug; please report it)")
        .into_response()
}

/// Layers outside the handlers (the body limit, a missing route) answer in plain text; the API
/// promises JSON errors, so those are rewritten. The dashboard's HTML error pages stay HTML.
async fn json_body_for_plain_errors(response: Response) -> Response {
    let status = response.status();
    let is_json_or_html = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|v| {
            v.as_bytes().starts_with(b"application/json") || v.as_bytes().starts_with(b"text/html")
        });
    if !status.is_client_error() || is_json_or_html {
        return response;
    }
    let message = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "the request body is larger than the server accepts",
        StatusCode::NOT_FOUND => "no such route; see /api/openapi.json",
        StatusCode::METHOD_NOT_ALLOWED => "this route does not accept that method",
        _ => status.canonical_reason().unwrap_or("client error"),
    };
    ApiError::new(status, None, message.to_owned()).into_response()
}

/// Headers that keep pages from being framed, sniffed or made to load anything from elsewhere:
/// every script, style and image of the dashboard is served by this binary.
async fn security_headers(mut response: Response) -> Response {
    use axum::http::HeaderValue;
    let headers = response.headers_mut();
    headers.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
             frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ),
    );
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    response
}
