//! Users, roles, API tokens, password logins and sessions.
//!
//! Passwords are hashed with argon2id (the `argon2` crate's defaults, OWASP's first choice for
//! password storage); API and session tokens are random and stored only as SHA-256 hashes
//! (see `token`). Logins, failed logins and new users and tokens are audited.

use std::fmt;
use std::str::FromStr;
use std::sync::atomic::Ordering;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{AuditRecord, record_audit};
use crate::token::{random_hex, token_hash};
use crate::{Store, StoreError, Timestamp};

/// What a user may do. The server enforces it; the store records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Reads and writes every fact.
    Clinician,
    /// Reads; writes observations and adverse events.
    Nurse,
    /// Reads de-identified data only.
    Researcher,
    /// Manages users and reads the audit trail; also has a clinician's rights.
    Admin,
}

impl Role {
    /// Every role, in the order the documentation lists them.
    pub const ALL: [Role; 4] = [Role::Clinician, Role::Nurse, Role::Researcher, Role::Admin];

    /// The stored and displayed name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Clinician => "clinician",
            Role::Nurse => "nurse",
            Role::Researcher => "researcher",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = StoreError;

    fn from_str(text: &str) -> Result<Role, StoreError> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == text)
            .ok_or_else(|| StoreError::Invalid {
                field: "role",
                value: text.to_owned(),
                expected: "one of clinician, nurse, researcher, admin",
            })
    }
}

/// A user account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// Opaque id.
    pub id: String,
    /// Unique login name.
    pub name: String,
    /// What the user may do.
    pub role: Role,
    /// When the account was created.
    pub created_at: String,
}

/// The authenticated author of a request, as the audit trail and events record it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The user's id (events name their author by id).
    pub user_id: String,
    /// The user's login name (the audit trail shows it).
    pub name: String,
    /// The user's role.
    pub role: Role,
}

/// A user to create.
#[derive(Clone, Debug)]
pub struct NewUser<'a> {
    /// Unique login name: 1–64 characters of letters, digits, `.`, `_`, `-`.
    pub name: &'a str,
    /// The role.
    pub role: Role,
    /// A password for interactive login, or none for a token-only account.
    pub password: Option<&'a str>,
}

/// A login session: the secret token (shown once) and when it expires.
#[derive(Clone, Debug)]
pub struct Session {
    /// The bearer token; only its hash is stored.
    pub token: String,
    /// Who logged in.
    pub actor: Actor,
    /// When the token stops working.
    pub expires_at: Timestamp,
}

/// The name of the account that acts for the system itself (first start, the CLI).
pub const SYSTEM_ACTOR: &str = "system";

/// A random password (96 bits, as 24 hex digits) for a first administrator.
pub fn random_password() -> String {
    random_hex(12)
}

impl Store {
    /// Creates a user; `created_by` names who did it in the audit trail.
    pub async fn create_user(
        &self,
        user: &NewUser<'_>,
        created_by: &str,
        now: Timestamp,
    ) -> Result<User, StoreError> {
        validate_user_name(user.name)?;
        let password_hash = user.password.map(hash_password).transpose()?;
        let created = User {
            id: format!("u_{}", random_hex(12)),
            name: user.name.to_owned(),
            role: user.role,
            created_at: now.to_sql_text(),
        };
        let mut tx = self.writer.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO users (id, name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&created.id)
        .bind(&created.name)
        .bind(created.role.as_str())
        .bind(password_hash)
        .bind(&created.created_at)
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(error) if crate::error::is_unique_violation(&error) => {
                return Err(StoreError::UserExists(user.name.to_owned()));
            }
            other => other?,
        };
        record_audit(
            &mut tx,
            &AuditRecord {
                at: now,
                actor: created_by,
                action: "user.create",
                patient_id: None,
                detail: serde_json::json!({"user": created.name, "role": created.role.as_str()}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// The user with this name, if any.
    pub async fn user_by_name(&self, name: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query("SELECT id, name, role, created_at FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.reader)
            .await?;
        row.map(|row| user_from_row(&row)).transpose()
    }

    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query("SELECT id, name, role, created_at FROM users ORDER BY name")
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(user_from_row).collect()
    }

    /// Issues a new API token for a user and returns it; only its hash is stored.
    pub async fn issue_api_token(
        &self,
        user: &User,
        label: &str,
        issued_by: &str,
        now: Timestamp,
    ) -> Result<String, StoreError> {
        let token = format!("oc_{}", random_hex(32));
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash(&token))
        .bind(&user.id)
        .bind(label)
        .bind(now.to_sql_text())
        .execute(&mut *tx)
        .await?;
        record_audit(
            &mut tx,
            &AuditRecord {
                at: now,
                actor: issued_by,
                action: "token.issue",
                patient_id: None,
                detail: serde_json::json!({"user": user.name, "label": label}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The actor a bearer token (API token or unexpired session) belongs to, if any.
    pub async fn authenticate(
        &self,
        token: &str,
        now: Timestamp,
    ) -> Result<Option<Actor>, StoreError> {
        let hash = token_hash(token);
        let row = sqlx::query(
            "SELECT u.id, u.name, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 \
             UNION ALL \
             SELECT u.id, u.name, u.role FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(&hash)
        .bind(now.to_sql_text())
        .fetch_optional(&self.reader)
        .await?;
        row.map(|row| actor_from_row(&row)).transpose()
    }

    /// Checks a password and opens a session of `lifetime`; audits the attempt either way.
    /// Returns `None` for an unknown user or a wrong password (the caller cannot tell which).
    pub async fn login(
        &self,
        name: &str,
        password: &str,
        now: Timestamp,
        lifetime: chrono::Duration,
    ) -> Result<Option<Session>, StoreError> {
        let row = sqlx::query("SELECT id, name, role, password_hash FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.reader)
            .await?;
        let actor = match &row {
            Some(row) => {
                let hash: Option<String> = row.try_get("password_hash")?;
                match hash {
                    Some(hash) if verify_password(password, &hash)? => Some(actor_from_row(row)?),
                    _ => None,
                }
            }
            None => None,
        };
        let mut tx = self.writer.begin().await?;
        let Some(actor) = actor else {
            record_audit(
                &mut tx,
                &AuditRecord {
                    at: now,
                    actor: name,
                    action: "login.failed",
                    patient_id: None,
                    detail: serde_json::json!({}),
                },
            )
            .await?;
            tx.commit().await?;
            return Ok(None);
        };
        let token = format!("ocs_{}", random_hex(32));
        let expires_at = Timestamp::from_datetime(now.datetime() + lifetime);
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash(&token))
        .bind(&actor.user_id)
        .bind(now.to_sql_text())
        .bind(expires_at.to_sql_text())
        .execute(&mut *tx)
        .await?;
        record_audit(
            &mut tx,
            &AuditRecord {
                at: now,
                actor: &actor.name,
                action: "login",
                patient_id: None,
                detail: serde_json::json!({"expires_at": expires_at.to_sql_text()}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Some(Session {
            token,
            actor,
            expires_at,
        }))
    }

    /// Ends a login session (the token stops working at once) and audits it. Sessions are not
    /// clinical rows: ending one removes it. Returns false when no such session existed.
    pub async fn logout(&self, session_token: &str, now: Timestamp) -> Result<bool, StoreError> {
        let hash = token_hash(session_token);
        let mut tx = self.writer.begin().await?;
        let row = sqlx::query(
            "SELECT u.name FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
        )
        .bind(&hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(false);
        };
        let name: String = row.try_get("name")?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(&hash)
            .execute(&mut *tx)
            .await?;
        record_audit(
            &mut tx,
            &AuditRecord {
                at: now,
                actor: &name,
                action: "logout",
                patient_id: None,
                detail: serde_json::json!({}),
            },
        )
        .await?;
        tx.commit().await?;
        self.revocations.fetch_add(1, Ordering::SeqCst);
        Ok(true)
    }

    /// How many sessions this store (this process) has ended so far. A cache of valid tokens
    /// remembers this count with each entry, read before it asked [`Store::authenticate`],
    /// and drops entries from before a later logout: a logout on this server takes effect at
    /// once. Another process's logouts are not counted.
    pub fn revocations(&self) -> u64 {
        self.revocations.load(Ordering::SeqCst)
    }
}

fn validate_user_name(name: &str) -> Result<(), StoreError> {
    let ok = (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok && name != SYSTEM_ACTOR {
        Ok(())
    } else {
        Err(StoreError::Invalid {
            field: "name",
            value: name.to_owned(),
            expected: "1-64 letters, digits, '.', '_' or '-' (and not \"system\")",
        })
    }
}

fn hash_password(password: &str) -> Result<String, StoreError> {
    if password.chars().count() < 8 {
        return Err(StoreError::Invalid {
            field: "password",
            value: "(hidden)".to_owned(),
            expected: "at least 8 characters",
        });
    }
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|error| StoreError::PasswordHash(error.to_string()))
}

fn verify_password(password: &str, stored: &str) -> Result<bool, StoreError> {
    let parsed =
        PasswordHash::new(stored).map_err(|error| StoreError::PasswordHash(error.to_string()))?;
    Ok(Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok())
}

fn user_from_row(row: &AnyRow) -> Result<User, StoreError> {
    Ok(User {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        role: row.try_get::<String, _>("role")?.parse()?,
        created_at: row.try_get("created_at")?,
    })
}

fn actor_from_row(row: &AnyRow) -> Result<Actor, StoreError> {
    Ok(Actor {
        user_id: row.try_get("id")?,
        name: row.try_get("name")?,
        role: row.try_get::<String, _>("role")?.parse()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_to_argon2id_and_verify() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
        assert!(verify_password("correct horse", &hash).unwrap());
        assert!(!verify_password("wrong horse", &hash).unwrap());
    }

    #[test]
    fn verifies_hashes_made_by_the_reference_implementation() {
        // tests/data/store/argon2_vectors.json: argon2-cffi (the reference C code) made these.
        let vectors: serde_json::Value = serde_json::from_str(include_str!(
            "../../../tests/data/store/argon2_vectors.json"
        ))
        .unwrap();
        let cases = vectors["cases"].as_array().unwrap();
        assert_eq!(cases.len(), 2);
        for case in cases {
            let password = case["password"].as_str().unwrap();
            let phc = case["phc"].as_str().unwrap();
            assert!(verify_password(password, phc).unwrap(), "{phc}");
            assert!(!verify_password(&format!("{password}!"), phc).unwrap());
        }
    }

    #[test]
    fn roles_round_trip_and_reject_unknown_names() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert_eq!(
            "doctor".parse::<Role>().unwrap_err().to_string(),
            "role: expected one of clinician, nurse, researcher, admin, got \"doctor\""
        );
    }

    #[test]
    fn short_passwords_and_odd_names_are_refused() {
        assert!(hash_password("short").is_err());
        assert!(validate_user_name("dr smith").is_err());
        assert!(validate_user_name("system").is_err());
        assert!(validate_user_name("dr.smith").is_ok());
    }
}
