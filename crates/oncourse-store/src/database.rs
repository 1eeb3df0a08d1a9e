//! Opening a store: the database URL, the connection pools, SQLite's settings and the schema.

use std::borrow::Cow;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::MigrateDatabase;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{Any, AnyPool, Executor, Row, SqlSafeStr};

use crate::StoreError;
use crate::group_commit::GroupCommit;
use crate::token::random_hex;

/// Which database a store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// One embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// A validated database URL: `sqlite:PATH` (the file is created on first open) or
/// `postgres://…`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatabaseUrl {
    backend: Backend,
    url: String,
}

impl DatabaseUrl {
    /// The database kind.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The URL as sqlx takes it.
    pub fn as_str(&self) -> &str {
        &self.url
    }
}

impl FromStr for DatabaseUrl {
    type Err = StoreError;

    fn from_str(text: &str) -> Result<DatabaseUrl, StoreError> {
        let bad = |reason| StoreError::BadUrl {
            url: text.to_owned(),
            reason,
        };
        if let Some(rest) = text.strip_prefix("sqlite:") {
            let path = rest.trim_start_matches("//");
            let path = path.split('?').next().unwrap_or_default();
            if path.is_empty() || path == ":memory:" {
                // In-memory databases are one per connection: the pools would not share them.
                return Err(bad(
                    "the path is missing (in-memory databases are not supported)",
                ));
            }
            // `mode=rwc` creates the file on first start.
            return Ok(DatabaseUrl {
                backend: Backend::Sqlite,
                url: format!("sqlite://{path}?mode=rwc"),
            });
        }
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            return Ok(DatabaseUrl {
                backend: Backend::Postgres,
                url: text.to_owned(),
            });
        }
        Err(bad("the scheme is neither sqlite: nor postgres://"))
    }
}

/// SQLite settings applied to every connection.
///
/// - WAL: readers do not block the writer, and a crash mid-write leaves the last committed state.
/// - `synchronous=FULL`: the WAL is synced at every commit, so an acknowledged write survives
///   power loss, not only a crash of the process (NORMAL would survive a process crash, which is
///   all the crash test checks, but could lose the last commits on power loss; a clinical record
///   acknowledges a write only once it is durable).
/// - Foreign keys on (SQLite leaves them off by default).
/// - A busy timeout, so another process's write (`oncourse users add` beside a running server)
///   waits instead of failing.
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;";

/// Connections for reads; SQLite readers run in parallel under WAL.
const READ_CONNECTIONS: u32 = 8;

/// An open store. Cheap to clone (the pools are shared).
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) backend: Backend,
    pub(crate) reader: AnyPool,
    /// Writes go through this pool. On SQLite it holds one connection: SQLite has one writer at
    /// a time, and a transaction that reads then writes fails at once (`SQLITE_BUSY`, which no
    /// busy timeout retries) if another connection wrote in between; one connection queues the
    /// writers instead. On PostgreSQL it is the read pool.
    pub(crate) writer: AnyPool,
    /// Event writes go through this queue, which commits those that arrive together in one
    /// transaction (`group_commit`).
    pub(crate) writes: GroupCommit,
    /// Sessions ended through this store (see [`Store::revocations`]).
    pub(crate) revocations: Arc<AtomicU64>,
    /// The secret of the researchers' date shifts (`research`), read once at open.
    pub(crate) research_secret: Arc<str>,
}

impl Store {
    /// Opens (and on first use creates: the SQLite file, or the PostgreSQL database) the database, brings the schema up to date and makes
    /// sure the per-store research secret exists.
    pub async fn open(url: &DatabaseUrl) -> Result<Store, StoreError> {
        install_default_drivers();
        if url.backend == Backend::Postgres && !Any::database_exists(url.as_str()).await? {
            Any::create_database(url.as_str()).await?;
        }
        let options = || {
            let backend = url.backend;
            AnyPoolOptions::new()
                .acquire_timeout(Duration::from_secs(30))
                .after_connect(move |connection, _| {
                    Box::pin(async move {
                        if backend == Backend::Sqlite {
                            connection.execute(SQLITE_PRAGMAS).await?;
                        }
                        Ok(())
                    })
                })
        };
        let (reader, writer) = match url.backend {
            Backend::Sqlite => {
                let writer = options().max_connections(1).connect(url.as_str()).await?;
                // Create the file and switch it to WAL before the readers open it.
                writer.acquire().await?;
                let reader = options()
                    .max_connections(READ_CONNECTIONS)
                    .connect(url.as_str())
                    .await?;
                (reader, writer)
            }
            Backend::Postgres => {
                let pool = options()
                    .max_connections(READ_CONNECTIONS * 2)
                    .connect(url.as_str())
                    .await?;
                (pool.clone(), pool)
            }
        };
        migrator(url.backend).run(&writer).await?;
        let store = Store {
            research_secret: Store::research_secret(&writer).await?,
            backend: url.backend,
            writes: GroupCommit::start(&writer, url.backend),
            revocations: Arc::new(AtomicU64::new(0)),
            reader,
            writer,
        };
        Ok(store)
    }

    /// The database kind.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Runs raw SQL on the write connection; for tests that check what the database refuses.
    pub async fn execute_raw_sql(&self, sql: &str) -> Result<u64, StoreError> {
        let result = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(&self.writer)
            .await?;
        Ok(result.rows_affected())
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.reader).await?;
        Ok(())
    }

    /// Closes the pools, waiting for connections to finish.
    pub async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }

    /// Creates the research secret on first use and returns it (it never changes after).
    async fn research_secret(writer: &AnyPool) -> Result<Arc<str>, StoreError> {
        sqlx::query(
            "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(crate::research::SECRET_SETTING)
        .bind(random_hex(32))
        .execute(writer)
        .await?;
        let row = sqlx::query("SELECT value FROM settings WHERE name = $1")
            .bind(crate::research::SECRET_SETTING)
            .fetch_one(writer)
            .await?;
        Ok(row.try_get::<String, _>("value")?.into())
    }
}

/// The schema migrations of one backend, embedded in the binary. Migrations after the first
/// are plain SQL that both databases accept, in `migrations/both`.
fn migrator(backend: Backend) -> Migrator {
    let schema: &'static str = match backend {
        Backend::Sqlite => include_str!("../migrations/sqlite/0001_schema.sql"),
        Backend::Postgres => include_str!("../migrations/postgres/0001_schema.sql"),
    };
    let migration = |version, name, sql: &'static str| {
        Migration::new(
            version,
            Cow::Borrowed(name),
            MigrationType::Simple,
            sql.into_sql_str(),
            false,
        )
    };
    Migrator::with_migrations(vec![
        migration(1, "schema", schema),
        migration(
            2,
            "events by patient and seq",
            include_str!("../migrations/both/0002_events_by_patient_seq.sql"),
        ),
        migration(
            3,
            "events by patient and valid time",
            include_str!("../migrations/both/0003_events_by_patient_valid_time.sql"),
        ),
        migration(
            4,
            "request keys",
            include_str!("../migrations/both/0004_request_keys.sql"),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_their_backend_and_sqlite_files_are_created() {
        let url: DatabaseUrl = "sqlite:/tmp/x.db".parse().unwrap();
        assert_eq!(url.backend(), Backend::Sqlite);
        assert_eq!(url.as_str(), "sqlite:///tmp/x.db?mode=rwc");
        let url: DatabaseUrl = "sqlite:data/oncourse.db".parse().unwrap();
        assert_eq!(url.as_str(), "sqlite://data/oncourse.db?mode=rwc");
        let url: DatabaseUrl = "postgres://postgres@127.0.0.1/test".parse().unwrap();
        assert_eq!(url.backend(), Backend::Postgres);
    }

    #[test]
    fn bad_urls_say_what_was_expected() {
        let error = "mysql://x".parse::<DatabaseUrl>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "database url \"mysql://x\": expected sqlite:PATH or postgres://USER@HOST/DB, the scheme is neither sqlite: nor postgres://"
        );
        assert!("sqlite::memory:".parse::<DatabaseUrl>().is_err());
    }
}
