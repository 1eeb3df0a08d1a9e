//! `POST /api/login`: a password login that returns a session token for `Authorization: Bearer`.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::extract::JsonBody;
use crate::wire::LoginIn;
use crate::{ApiError, AppState};

pub async fn login(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<LoginIn>,
) -> Result<Json<Value>, ApiError> {
    let now = state.clock.now();
    let session = state
        .store
        .login(
            &body.name,
            &body.password,
            now,
            state.options.session_lifetime,
        )
        .await?;
    match session {
        Some(session) => Ok(Json(json!({
            "token": session.token,
            "user": session.actor.name,
            "role": session.actor.role.as_str(),
            "expires_at": session.expires_at.to_sql_text(),
        }))),
        None => Err(ApiError::unauthenticated("wrong user name or password")),
    }
}
