//! `oncourse users`: add and list accounts. `users add` prints the new user's API token on
//! stdout (and nothing else there), so a script can capture it.

use anyhow::{Context, Result};
use oncourse_server::{Clock, SystemClock};
use oncourse_store::{DatabaseUrl, NewUser, Role, Store};
use std::io::Write;

use crate::serve::{parse_database, runtime};

/// Arguments of `oncourse users`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: UsersCommand,
}

#[derive(clap::Subcommand)]
enum UsersCommand {
    /// Create a user and print an API token for it.
    Add(AddArgs),
    /// List the users.
    List(ListArgs),
}

#[derive(clap::Args)]
struct AddArgs {
    /// Login name: letters, digits, '.', '_' or '-'.
    name: String,

    /// What the user may do.
    #[arg(long, value_parser = parse_role)]
    role: Role,

    /// The database: `sqlite:PATH` or `postgres://…`.
    #[arg(long, value_parser = parse_database)]
    database: DatabaseUrl,

    /// Also set a password for interactive login, read from the first line of stdin.
    #[arg(long)]
    password_stdin: bool,
}

#[derive(clap::Args)]
struct ListArgs {
    /// The database: `sqlite:PATH` or `postgres://…`.
    #[arg(long, value_parser = parse_database)]
    database: DatabaseUrl,

    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs `oncourse users`.
pub fn run(args: Args) -> Result<()> {
    match args.command {
        UsersCommand::Add(args) => add(args),
        UsersCommand::List(args) => list(args),
    }
}

fn add(args: AddArgs) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let password = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("reading the password from stdin")?;
        Some(line.trim_end_matches(['\r', '\n']).to_owned())
    } else {
        None
    };
    runtime()?.block_on(async move {
        let store = Store::open(&args.database)
            .await
            .with_context(|| format!("opening {}", args.database.as_str()))?;
        let now = SystemClock.now();
        let user = store
            .create_user(
                &NewUser {
                    name: &args.name,
                    role: args.role,
                    password: password.as_deref(),
                },
                oncourse_store::SYSTEM_ACTOR,
                now,
            )
            .await?;
        let token = store
            .issue_api_token(
                &user,
                "oncourse users add",
                oncourse_store::SYSTEM_ACTOR,
                now,
            )
            .await?;
        store.close().await;
        writeln!(out, "{token}")?;
        eprintln!(
            "created {} ({}); the token above is shown once",
            user.name, user.role
        );
        Ok(())
    })
}

fn list(args: ListArgs) -> Result<()> {
    let mut out = std::io::stdout().lock();
    runtime()?.block_on(async move {
        let store = Store::open(&args.database).await?;
        let users = store.users().await?;
        store.close().await;
        if args.json {
            let rows: Vec<_> = users
                .iter()
                .map(|u| serde_json::json!({"name": u.name, "role": u.role.as_str(), "created_at": u.created_at}))
                .collect();
            return crate::parse::print_json(&rows);
        }
        for user in users {
            writeln!(out, "{:<24} {:<10} {}", user.name, user.role, user.created_at)?;
        }
        Ok(())
    })
}

fn parse_role(text: &str) -> Result<Role, String> {
    text.parse()
        .map_err(|e: oncourse_store::StoreError| e.to_string())
}
