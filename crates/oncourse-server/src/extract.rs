//! Request extractors: the authenticated caller, and JSON bodies whose errors name the field.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use oncourse_store::{Actor, RequestKey};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use crate::quantities::check_quantities;
use crate::{ApiError, AppState};

/// The caller, authenticated by `Authorization: Bearer TOKEN` (an API token or a session).
pub struct Caller(pub Actor);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        let Some(header) = parts.headers.get(AUTHORIZATION) else {
            return Err(ApiError::unauthenticated(
                "missing Authorization header: expected \"Bearer TOKEN\"",
            ));
        };
        let token = header
            .to_str()
            .ok()
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .ok_or_else(|| {
                ApiError::unauthenticated("Authorization header: expected \"Bearer TOKEN\"")
            })?;
        // Read before the look-up: a logout after this point makes the entry stale at once.
        let revocations = state.store.revocations();
        if let Some(actor) = state.tokens.get(token, revocations) {
            return Ok(Caller(actor));
        }
        match state.store.authenticate(token, state.clock.now()).await? {
            Some(actor) => {
                state.tokens.insert(token, actor.clone(), revocations);
                Ok(Caller(actor))
            }
            None => Err(ApiError::unauthenticated(
                "the bearer token is unknown or its session has expired",
            )),
        }
    }
}

/// Tokens recently found valid, so a burst of requests does not look each one up: an entry
/// lives [`TokenCache::TTL`], so a session that expires or an account that changes is seen
/// within that time. A logout through this server's store ([`oncourse_store::Store::logout`])
/// ends every entry at once: each remembers the store's count of logouts
/// ([`oncourse_store::Store::revocations`]) read before its look-up, and an entry from before a
/// later logout is not used. Unknown tokens are never cached.
#[derive(Clone)]
pub(crate) struct TokenCache(Arc<quick_cache::sync::Cache<String, CachedToken>>);

/// A valid token's actor, when it was found valid, and the logout count read before.
#[derive(Clone)]
struct CachedToken {
    actor: Actor,
    at: Instant,
    revocations: u64,
}

impl TokenCache {
    /// How long a token is trusted without asking the store again.
    pub(crate) const TTL: Duration = Duration::from_secs(5);

    /// A cache of at most `entries` tokens.
    pub(crate) fn new(entries: usize) -> TokenCache {
        TokenCache(Arc::new(quick_cache::sync::Cache::new(entries.max(1))))
    }

    /// The token's actor, unless the entry is older than the TTL or than the latest logout
    /// (`revocations` is the store's count now).
    fn get(&self, token: &str, revocations: u64) -> Option<Actor> {
        self.0
            .get(token)
            .filter(|cached| cached.at.elapsed() < TokenCache::TTL)
            .filter(|cached| cached.revocations == revocations)
            .map(|cached| cached.actor)
    }

    /// Remembers a token found valid by a look-up that began at logout count `revocations`.
    fn insert(&self, token: &str, actor: Actor, revocations: u64) {
        let cached = CachedToken {
            actor,
            at: Instant::now(),
            revocations,
        };
        self.0.insert(token.to_owned(), cached);
    }
}

/// The caller's `Idempotency-Key` header, if any, with the digest of the request it came with:
/// SHA-256 of `request` (method and path, e.g. `POST /api/patients/P/facts`), a newline and
/// the body. The store keeps it per user (see [`oncourse_store::RequestKey`]).
pub fn request_key(
    headers: &HeaderMap,
    request: &str,
    body: &[u8],
) -> Result<Option<RequestKey>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value.to_str().map_err(|_| {
        ApiError::bad_field(
            "Idempotency-Key",
            "Idempotency-Key: expected ASCII text".into(),
        )
    })?;
    let digest = Sha256::new()
        .chain_update(request.as_bytes())
        .chain_update(b"\n")
        .chain_update(body)
        .finalize();
    let digest = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok(Some(RequestKey::new(key, digest)?))
}

/// A JSON body; a malformed one is a 400 naming the path of the bad field (`body.value`).
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<JsonBody<T>, ApiError> {
        let JsonBytes(bytes) = JsonBytes::from_request(request, state).await?;
        parse_json(&bytes).map(JsonBody)
    }
}

/// The bytes of a body sent as `application/json`, for handlers that look before parsing.
pub struct JsonBytes(pub Bytes);

impl FromRequest<AppState> for JsonBytes {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<JsonBytes, ApiError> {
        require_content_type(&request, "application/json")?;
        Bytes::from_request(request, state)
            .await
            .map(JsonBytes)
            .map_err(|rejection| ApiError::new(rejection.status(), None, rejection.body_text()))
    }
}

/// Parses JSON, naming the path of the first bad field.
///
/// The model validates every quantity as serde reads it, but a fact's body is an internally
/// tagged enum that serde buffers, so the path of a bad quantity inside it would stop at
/// `body`. When parsing fails, the raw JSON is first searched for a bad quantity
/// ([`check_quantities`]), whose error names the full path (`body.value.unit`).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        if let Ok(raw) = serde_json::from_slice::<serde_json::Value>(bytes)
            && let Err(precise) = check_quantities(&raw, "")
        {
            return precise;
        }
        let path = error.path().to_string();
        let inner = error.into_inner();
        let field = if path == "." { None } else { Some(path) };
        let message = match &field {
            Some(field) => format!("{field}: {inner}"),
            None => format!("request body: {inner}"),
        };
        ApiError::new(axum::http::StatusCode::BAD_REQUEST, field, message)
    })
}

/// The media type of a request, without parameters (`application/json; charset=utf-8` →
/// `application/json`).
pub fn media_type(request: &Request) -> Option<String> {
    request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
}

fn require_content_type(request: &Request, expected: &str) -> Result<(), ApiError> {
    match media_type(request) {
        Some(media) if media == expected => Ok(()),
        other => Err(ApiError::new(
            axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Some("Content-Type".to_owned()),
            format!(
                "Content-Type: expected {expected}, got {}",
                other.map_or("none".to_owned(), |m| format!("{m:?}"))
            ),
        )),
    }
}
