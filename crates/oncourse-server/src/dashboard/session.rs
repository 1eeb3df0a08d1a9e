//! Browser sessions: the session cookie, the per-session CSRF token and the same-origin check.
//!
//! A dashboard login opens the same store session as `POST /api/login`; its token travels in a
//! cookie (`HttpOnly; SameSite=Strict; Path=/`, plus `Secure` behind TLS) instead of an
//! `Authorization` header. Every state-changing form is checked twice: the browser's `Origin`
//! (or `Sec-Fetch-Site`) must be this server, and the request must carry the session's CSRF
//! token (a hidden `csrf_token` field, or the `X-CSRF-Token` header htmx sends).
//!
//! The CSRF token is derived from the session token (`SHA-256("oncourse-csrf-v1:" + token)`,
//! hex), so it needs no storage, differs per session, and reveals nothing of the cookie: a
//! page can show it while the cookie stays `HttpOnly`. The cookie is parsed here by hand
//! because the dashboard reads one cookie and writes one; a cookie crate would add signing and
//! jars that a random, server-side-checked token does not need.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::HeaderMap;
use axum::http::header::{COOKIE, HOST, ORIGIN};
use axum::http::request::Parts;
use oncourse_store::Actor;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use super::error::DashboardError;
use crate::AppState;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "oncourse_session";

/// The header htmx requests carry the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Session tokens start with this (API tokens start with `oc_` and never log a browser in).
const SESSION_TOKEN_PREFIX: &str = "ocs_";

/// The signed-in user of a dashboard request.
pub struct BrowserSession {
    /// Who.
    pub actor: Actor,
    /// The token forms of this session must send back.
    pub csrf_token: String,
    session_token: String,
}

impl BrowserSession {
    /// The session's secret token (for logging out).
    pub fn session_token(&self) -> &str {
        &self.session_token
    }
}

impl FromRequestParts<AppState> for BrowserSession {
    type Rejection = DashboardError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<BrowserSession, DashboardError> {
        let token = session_cookie(&parts.headers)
            .filter(|token| token.starts_with(SESSION_TOKEN_PREFIX))
            .ok_or(DashboardError::LoginRequired)?;
        match state.store.authenticate(&token, state.clock.now()).await? {
            Some(actor) => Ok(BrowserSession {
                actor,
                csrf_token: csrf_token_for(&token),
                session_token: token,
            }),
            None => Err(DashboardError::LoginRequired),
        }
    }
}

/// A state-changing form from a signed-in user: same origin, right CSRF token, then the fields.
pub struct ProtectedForm<T> {
    /// Who sent it.
    pub session: BrowserSession,
    /// The form's fields (unknown fields, such as `csrf_token`, are ignored).
    pub form: T,
}

#[derive(Deserialize)]
struct CsrfField {
    csrf_token: Option<String>,
}

impl<T: DeserializeOwned> FromRequest<AppState> for ProtectedForm<T> {
    type Rejection = DashboardError;

    async fn from_request(
        request: Request,
        state: &AppState,
    ) -> Result<ProtectedForm<T>, DashboardError> {
        let (mut parts, body) = request.into_parts();
        let session = BrowserSession::from_request_parts(&mut parts, state).await?;
        require_same_origin(&parts.headers)?;
        let header_token = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|rejection| DashboardError::BadRequest(rejection.body_text()))?;
        let field_token = serde_urlencoded::from_bytes::<CsrfField>(&bytes)
            .ok()
            .and_then(|f| f.csrf_token);
        let sent = field_token.or(header_token).ok_or_else(|| {
            DashboardError::Forbidden(
                "the form carries no CSRF token (csrf_token field or X-CSRF-Token header); reload the page and try again".to_owned(),
            )
        })?;
        if !constant_time_eq(sent.as_bytes(), session.csrf_token.as_bytes()) {
            return Err(DashboardError::Forbidden(
                "the form's CSRF token does not belong to this session; reload the page and try again"
                    .to_owned(),
            ));
        }
        let form = serde_urlencoded::from_bytes::<T>(&bytes)
            .map_err(|error| DashboardError::BadRequest(format!("form: {error}")))?;
        Ok(ProtectedForm { session, form })
    }
}

/// The CSRF token of a session: `SHA-256("oncourse-csrf-v1:" + session token)`, lower-case hex.
pub fn csrf_token_for(session_token: &str) -> String {
    let digest = Sha256::digest(format!("oncourse-csrf-v1:{session_token}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Refuses a request another site's page sent: its `Origin` must be this server's
/// (`http(s)://` + `Host`); without `Origin`, a `Sec-Fetch-Site` other than `same-origin` or
/// `none` is refused. A request with neither header (not a browser) still needs the CSRF token.
pub fn require_same_origin(headers: &HeaderMap) -> Result<(), DashboardError> {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(origin) = text(ORIGIN) {
        let host = text(HOST).unwrap_or_default();
        let same = !host.is_empty()
            && (origin == format!("http://{host}") || origin == format!("https://{host}"));
        if !same {
            return Err(DashboardError::Forbidden(format!(
                "cross-origin request refused: Origin {origin:?} is not this server ({host:?})"
            )));
        }
    } else if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return Err(DashboardError::Forbidden(format!(
            "cross-site request refused (Sec-Fetch-Site: {site})"
        )));
    }
    Ok(())
}

/// The session cookie's value, if the request has one.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

/// The `Set-Cookie` value that stores a session for `max_age_seconds`.
pub fn session_cookie_header(token: &str, max_age_seconds: i64, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age_seconds}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie_header(secure: bool) -> String {
    session_cookie_header("", 0, secure)
}

/// Compares two secrets in time independent of where they differ (so a timing probe learns
/// nothing); written out because it is four lines and needs no crate.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn csrf_token_is_sha256_of_the_prefixed_session_token() {
        // Independent: python3 -c 'import hashlib; print(hashlib.sha256(b"oncourse-csrf-v1:ocs_abc").hexdigest())'
        assert_eq!(
            csrf_token_for("ocs_abc"),
            "bd5c7021b27a5b65189cf763f0f1197a5a0547f35534461f056dd85ded3681d2"
        );
        assert_ne!(csrf_token_for("ocs_abc"), csrf_token_for("ocs_abd"));
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_static("theme=dark; oncourse_session=ocs_123 ; other=1"),
        );
        assert_eq!(session_cookie(&headers).as_deref(), Some("ocs_123"));
        headers.insert(COOKIE, HeaderValue::from_static("oncourse_session="));
        assert_eq!(session_cookie(&headers), None);
    }

    #[test]
    fn cookie_flags() {
        assert_eq!(
            session_cookie_header("ocs_1", 60, false),
            "oncourse_session=ocs_1; HttpOnly; SameSite=Strict; Path=/; Max-Age=60"
        );
        assert!(session_cookie_header("ocs_1", 60, true).ends_with("; Secure"));
    }

    #[test]
    fn same_origin_check() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = HeaderMap::new();
            for (name, value) in pairs {
                map.insert(*name, HeaderValue::from_static(value));
            }
            map
        };
        let host = ("host", "127.0.0.1:8080");
        assert!(
            require_same_origin(&headers(&[host, ("origin", "http://127.0.0.1:8080")])).is_ok()
        );
        assert!(
            require_same_origin(&headers(&[host, ("origin", "https://127.0.0.1:8080")])).is_ok()
        );
        assert!(require_same_origin(&headers(&[host, ("origin", "http://evil.example")])).is_err());
        assert!(require_same_origin(&headers(&[host, ("origin", "null")])).is_err());
        assert!(require_same_origin(&headers(&[host, ("sec-fetch-site", "cross-site")])).is_err());
        assert!(require_same_origin(&headers(&[host, ("sec-fetch-site", "same-origin")])).is_ok());
        assert!(require_same_origin(&headers(&[host])).is_ok());
    }

    #[test]
    fn constant_time_eq_compares_whole_strings() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}
