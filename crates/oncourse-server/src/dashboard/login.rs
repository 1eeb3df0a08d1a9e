//! Signing in and out. A sign-in opens a store session (audited as `login` or `login.failed`)
//! and puts its token in the session cookie; signing out ends the session (audited as `logout`).

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::session::{
    ProtectedForm, clear_session_cookie_header, require_same_origin, session_cookie_header,
};
use super::{Chrome, DashboardError, render};
use crate::AppState;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    name: String,
    message: String,
}

/// `GET /login`.
pub async fn form() -> Response {
    render(&LoginPage {
        chrome: Chrome::signed_out(),
        name: String::new(),
        message: String::new(),
    })
}

#[derive(Deserialize)]
struct Credentials {
    name: String,
    password: String,
}

/// `POST /login`: checks the password; on success sets the session cookie and goes to the
/// patient list. The form has no CSRF token (there is no session yet); the same-origin check
/// refuses a sign-in posted from another site.
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, DashboardError> {
    require_same_origin(&headers)?;
    let credentials: Credentials = serde_urlencoded::from_bytes(&body).map_err(|error| {
        DashboardError::BadRequest(format!("sign-in form: expected name and password: {error}"))
    })?;
    let lifetime = state.options.session_lifetime;
    let session = state
        .store
        .login(
            &credentials.name,
            &credentials.password,
            state.clock.now(),
            lifetime,
        )
        .await?;
    let Some(session) = session else {
        let mut response = render(&LoginPage {
            chrome: Chrome::signed_out(),
            name: credentials.name,
            message: "Wrong user name or password.".to_owned(),
        });
        *response.status_mut() = StatusCode::UNAUTHORIZED;
        return Ok(response);
    };
    let cookie = session_cookie_header(
        &session.token,
        lifetime.num_seconds(),
        state.options.secure_cookies,
    );
    Ok((
        StatusCode::SEE_OTHER,
        [(LOCATION, "/patients".to_owned()), (SET_COOKIE, cookie)],
    )
        .into_response())
}

/// `POST /logout` (CSRF-checked): ends the session and clears the cookie.
pub async fn logout(
    State(state): State<AppState>,
    ProtectedForm { session, .. }: ProtectedForm<serde::de::IgnoredAny>,
) -> Result<Response, DashboardError> {
    state
        .store
        .logout(session.session_token(), state.clock.now())
        .await?;
    Ok((
        StatusCode::SEE_OTHER,
        [
            (LOCATION, "/login".to_owned()),
            (
                SET_COOKIE,
                clear_session_cookie_header(state.options.secure_cookies),
            ),
        ],
    )
        .into_response())
}
