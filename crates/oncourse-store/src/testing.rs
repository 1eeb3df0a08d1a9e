//! Throwaway databases for test suites (feature `testing`): a fresh SQLite file always, and a
//! fresh PostgreSQL database when `ONCOURSE_TEST_POSTGRES_URL` names a server (CI sets it to
//! `postgres://postgres@127.0.0.1:5432/test`). Each test gets its own database, so tests run in
//! parallel without seeing each other's rows.

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;

use crate::{DatabaseUrl, Store};

/// The environment variable naming a PostgreSQL server for the suite.
pub const POSTGRES_ENV: &str = "ONCOURSE_TEST_POSTGRES_URL";

/// A store on a throwaway database, removed by [`TestDb::finish`].
pub struct TestDb {
    /// The open store.
    pub store: Store,
    /// `sqlite` or `postgres`.
    pub label: &'static str,
    /// The URL `oncourse serve --database` takes for this database.
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(tempfile::TempDir),
    Postgres { admin_url: String, database: String },
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestDb {
    /// Closes the store and removes its database.
    pub async fn finish(self) {
        self.store.close().await;
        match self.cleanup {
            Cleanup::Sqlite(dir) => drop(dir),
            Cleanup::Postgres {
                admin_url,
                database,
            } => {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                    let sql = format!("DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
                    let _ = sqlx::query(sqlx::AssertSqlSafe(sql))
                        .execute(&mut admin)
                        .await;
                }
            }
        }
    }
}

/// A fresh SQLite store in a temporary directory, and its file's path.
///
/// # Panics
/// When the temporary directory or the database cannot be created (a broken test machine).
pub async fn sqlite() -> (TestDb, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("oncourse.db");
    let url: DatabaseUrl = format!("sqlite:{}", path.display()).parse().unwrap();
    let store = Store::open(&url).await.expect("open SQLite store");
    let db = TestDb {
        store,
        label: "sqlite",
        url: format!("sqlite:{}", path.display()),
        cleanup: Cleanup::Sqlite(dir),
    };
    (db, path)
}

/// A fresh PostgreSQL database when the environment names a server.
///
/// # Panics
/// When the named server cannot be reached or refuses to create a database.
pub async fn postgres() -> Option<TestDb> {
    let admin_url = std::env::var(POSTGRES_ENV).ok()?;
    let database = format!(
        "oncourse_test_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = sqlx::PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("{POSTGRES_ENV}={admin_url}: cannot connect: {e}"));
    for sql in [
        format!("DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"),
        format!("CREATE DATABASE \"{database}\""),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut admin)
            .await
            .expect("create the test database");
    }
    let url = with_database(&admin_url, &database);
    let store = Store::open(&url.parse().unwrap())
        .await
        .expect("open PostgreSQL store");
    Some(TestDb {
        store,
        label: "postgres",
        url,
        cleanup: Cleanup::Postgres {
            admin_url,
            database,
        },
    })
}

/// Every database this run covers: SQLite, then PostgreSQL when configured.
pub async fn all() -> Vec<TestDb> {
    let mut dbs = vec![sqlite().await.0];
    dbs.extend(postgres().await);
    dbs
}

/// The same server URL naming another database.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let host_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[host_start..]
        .find('/')
        .map_or(base.len(), |slash| host_start + slash);
    format!("{}/{database}{query}", &base[..path_start])
}
