//! `oncourse serve`: runs the dashboard and the HTTP API on a database, creating it (with a
//! first administrator, a first clinician and the example case) on first start. Assessments
//! are evaluated against the shipped protocols (embedded in the binary), or against the
//! `--protocol` files given instead.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use oncourse_server::{AppState, Clock, ServerOptions, SystemClock};
use oncourse_store::{Actor, DatabaseUrl, NewUser, Role, Store};

use crate::protocol;

/// Arguments of `oncourse serve`.
#[derive(clap::Args)]
pub struct Args {
    /// The database: `sqlite:PATH` (one file, created on first start) or `postgres://…`.
    #[arg(long, default_value = "sqlite:oncourse.db", value_parser = parse_database)]
    database: DatabaseUrl,

    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,

    /// A dose-modification protocol to evaluate every assessment against (repeatable). Given
    /// at least once, these replace the shipped protocols (protocols/anlotinib.toml and
    /// protocols/radiation-dermatitis.toml, built into the binary).
    #[arg(long = "protocol", value_name = "FILE")]
    protocols: Vec<PathBuf>,

    /// Mark the dashboard's session cookie `Secure` (HTTPS only): set it when users reach the
    /// server through TLS (a reverse proxy).
    #[arg(long)]
    secure_cookies: bool,
}

/// The user name of the administrator created on first start.
const FIRST_ADMIN: &str = "admin";

/// The user name of the clinician created on first start (administrators manage; only a
/// clinician decides on a recommendation).
const FIRST_CLINICIAN: &str = "clinician";

/// The example loaded on first start: the seed case report (Li Z, Yu X, Xu M, Front Oncol
/// 2025;15:1490941), transcribed in `examples/popliteal-lms.toml`.
const SEED_CASE: &str = include_str!("../../../examples/popliteal-lms.toml");
const SEED_CASE_NAME: &str = "Example: popliteal leiomyosarcoma (Li et al., Front Oncol 2025)";

/// Runs `oncourse serve` until Ctrl-C or SIGTERM.
pub fn run(args: Args) -> Result<()> {
    let mut options = ServerOptions {
        secure_cookies: args.secure_cookies,
        ..ServerOptions::default()
    };
    if !args.protocols.is_empty() {
        options.protocols = args
            .protocols
            .iter()
            .map(|path| protocol::read_protocol(path))
            .collect::<Result<Vec<_>>>()?
            .into();
    }
    runtime()?.block_on(async move {
        let store = Store::open(&args.database)
            .await
            .with_context(|| format!("opening {}", args.database.as_str()))?;
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        if store.users().await?.is_empty() {
            first_start(&store, clock.as_ref(), args.addr).await?;
        }
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("listening on {}", args.addr))?;
        let protocol_ids: Vec<&str> = options.protocols.iter().map(|p| p.id.as_str()).collect();
        eprintln!(
            "oncourse: serving http://{} ({}; protocols: {}); open it in a browser to sign in",
            listener.local_addr()?,
            backend_name(&args.database),
            protocol_ids.join(", ")
        );
        let state = AppState::new(store.clone(), clock, options);
        axum::serve(listener, oncourse_server::router(state))
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("serving")?;
        store.close().await;
        Ok(())
    })
}

/// Creates the first administrator and says how to log in.
async fn first_start(store: &Store, clock: &dyn Clock, addr: SocketAddr) -> Result<()> {
    let password = oncourse_store::random_password();
    let now = clock.now();
    let admin = store
        .create_user(
            &NewUser {
                name: FIRST_ADMIN,
                role: Role::Admin,
                password: Some(&password),
            },
            oncourse_store::SYSTEM_ACTOR,
            now,
        )
        .await?;
    let token = store
        .issue_api_token(&admin, "first start", oncourse_store::SYSTEM_ACTOR, now)
        .await?;
    let actor = Actor {
        user_id: admin.id.clone(),
        name: admin.name.clone(),
        role: admin.role,
    };
    let clinician_password = oncourse_store::random_password();
    store
        .create_user(
            &NewUser {
                name: FIRST_CLINICIAN,
                role: Role::Clinician,
                password: Some(&clinician_password),
            },
            oncourse_store::SYSTEM_ACTOR,
            now,
        )
        .await?;
    let seed = oncourse_server::import_case_file(
        store,
        &actor,
        SEED_CASE_NAME,
        "examples/popliteal-lms.toml",
        SEED_CASE,
        now,
    )
    .await
    .context("loading the bundled example case")?;
    eprintln!(
        "oncourse: first start: created the administrator {FIRST_ADMIN:?} and the clinician {FIRST_CLINICIAN:?}\n\
         \x20 {FIRST_ADMIN} password:      {password}\n\
         \x20 {FIRST_ADMIN} API token:     {token}\n\
         \x20 {FIRST_CLINICIAN} password:  {clinician_password}\n\
         These are shown once. Sign in to the dashboard at  http://{addr}/login\n\
         (the clinician decides on recommendations; the administrator reads the audit trail).\n\
         For the JSON API, send the header  Authorization: Bearer {token}\n\
         (routes at http://{addr}/api/openapi.json).\n\
         The bundled example case is patient {id}.\n\
         Its page: http://{addr}/patients/{id}\n\
         Add users with  oncourse users add NAME --role clinician|nurse|researcher|admin --password-stdin --database URL",
        id = seed.id
    );
    Ok(())
}

fn backend_name(url: &DatabaseUrl) -> &'static str {
    match url.backend() {
        oncourse_store::Backend::Sqlite => "SQLite",
        oncourse_store::Backend::Postgres => "PostgreSQL",
    }
}

/// Parses `--database` for clap, so a bad URL is reported with the argument's name.
pub fn parse_database(text: &str) -> Result<DatabaseUrl, String> {
    text.parse()
        .map_err(|e: oncourse_store::StoreError| e.to_string())
}

/// The async runtime of the server commands.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    eprintln!("oncourse: shutting down");
}
