//! What the dashboard answers when a page cannot be shown: a redirect to the login page, or an
//! HTML error page (the JSON API's errors are for programs).

use askama::Template;
use axum::http::StatusCode;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::response::{Html, IntoResponse, Response};

use crate::ApiError;
use oncourse_store::StoreError;

/// A dashboard request that failed.
#[derive(Debug)]
pub enum DashboardError {
    /// No session, or it expired: go to the login page.
    LoginRequired,
    /// 400.
    BadRequest(String),
    /// 403: a failed CSRF or origin check, or a role that may not do this.
    Forbidden(String),
    /// Anything the API would answer with an error (404, 409, 500 …).
    Api(ApiError),
}

impl From<ApiError> for DashboardError {
    fn from(error: ApiError) -> DashboardError {
        DashboardError::Api(error)
    }
}

impl From<StoreError> for DashboardError {
    fn from(error: StoreError) -> DashboardError {
        DashboardError::Api(ApiError::from(error))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    chrome: super::Chrome,
    status: u16,
    reason: &'a str,
    message: &'a str,
}

impl IntoResponse for DashboardError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            DashboardError::LoginRequired => {
                // The cookie (if any) is stale: drop it and go to the login page.
                return (
                    StatusCode::SEE_OTHER,
                    [
                        (LOCATION, "/login".to_owned()),
                        (
                            SET_COOKIE,
                            super::session::clear_session_cookie_header(false),
                        ),
                    ],
                )
                    .into_response();
            }
            DashboardError::BadRequest(message) => (StatusCode::BAD_REQUEST, message),
            DashboardError::Forbidden(message) => (StatusCode::FORBIDDEN, message),
            DashboardError::Api(error) => (error.status(), error.message().to_owned()),
        };
        error_page(status, &message)
    }
}

/// An HTML error page.
pub fn error_page(status: StatusCode, message: &str) -> Response {
    let page = ErrorPage {
        chrome: super::Chrome::signed_out(),
        status: status.as_u16(),
        reason: status.canonical_reason().unwrap_or("Error"),
        message,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, message.to_owned()).into_response(),
    }
}
