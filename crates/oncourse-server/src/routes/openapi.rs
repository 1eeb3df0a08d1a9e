//! `GET /api/openapi.json`: the API's OpenAPI 3.1 document.
//!
//! Written by hand (`openapi.json` beside this file) rather than generated with `utoipa`: the
//! API is a dozen routes whose JSON shapes are the model's serde types, a generator would add
//! proc-macro crates to every build of the server, and a test checks the document against
//! the real router (every documented route answers) so it cannot drift silently.

use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;

/// The document.
pub const OPENAPI_JSON: &str = include_str!("openapi.json");

pub async fn openapi() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], OPENAPI_JSON)
}
