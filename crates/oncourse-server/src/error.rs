//! API errors: a status and a JSON body `{"error": {"status", "message", "field"}}` that names
//! the field at fault when there is one.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use oncourse_store::StoreError;

/// An error answered to the client.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    field: Option<String>,
    message: String,
    /// Every problem, when there are several (a case file's errors).
    errors: Vec<serde_json::Value>,
}

impl ApiError {
    /// An error with a status, the field at fault (if any) and a message.
    pub fn new(status: StatusCode, field: Option<String>, message: String) -> ApiError {
        ApiError {
            status,
            field,
            message,
            errors: Vec::new(),
        }
    }

    /// Adds the list of every problem (each a JSON object naming its field).
    pub fn with_errors(mut self, errors: Vec<serde_json::Value>) -> ApiError {
        self.errors = errors;
        self
    }

    /// 400 naming a field.
    pub fn bad_field(field: &str, message: String) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, Some(field.to_owned()), message)
    }

    /// 401: no or an unknown token.
    pub fn unauthenticated(message: &str) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, None, message.to_owned())
    }

    /// 403: the role may not do this.
    pub fn forbidden(message: String) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, None, message)
    }

    /// 500.
    pub fn internal(message: &str) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, None, message.to_owned())
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.status)
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut error = serde_json::json!({
            "status": self.status.as_u16(),
            "message": self.message,
            "field": self.field,
        });
        if !self.errors.is_empty() {
            error["errors"] = serde_json::Value::Array(self.errors);
        }
        let body = serde_json::json!({ "error": error });
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        let message = error.to_string();
        let (status, field) = match &error {
            StoreError::PatientNotFound(_) => (StatusCode::NOT_FOUND, None),
            StoreError::Invalid { field, .. } => (StatusCode::BAD_REQUEST, Some(*field)),
            StoreError::EventNotFound { .. } => (StatusCode::NOT_FOUND, Some("supersedes")),
            StoreError::NotLatest { .. } | StoreError::Retracted { .. } => {
                (StatusCode::CONFLICT, Some("supersedes"))
            }
            StoreError::DuplicateFact { .. } => (StatusCode::CONFLICT, Some("id")),
            StoreError::RecordedBeforeSuperseded { .. } => (StatusCode::CONFLICT, None),
            StoreError::IdempotencyMismatch { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, Some("Idempotency-Key"))
            }
            StoreError::RequestKeyReused { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, Some("Idempotency-Key"))
            }
            StoreError::UserExists(_) => (StatusCode::CONFLICT, Some("name")),
            StoreError::BadUrl { .. }
            | StoreError::Database(_)
            | StoreError::Migration(_)
            | StoreError::PasswordHash(_)
            | StoreError::GroupFailed(_)
            | StoreError::WriterStopped => {
                // The detail stays in the server's log; the client learns only that it failed.
                eprintln!("error: {message}");
                return ApiError::internal("internal error: the store failed; see the server log");
            }
        };
        ApiError::new(status, field.map(str::to_owned), message)
    }
}
