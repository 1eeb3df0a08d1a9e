//! The `oncourse` command-line tool: thin subcommands over the oncourse crates.
//!
//! Each subcommand lives in its own module with an `Args` struct and a `run` function; this file
//! only lists them. Readable text is the default output, `--json` the machine one.

mod eqd2;
mod parse;
mod reirradiation;
mod serve;
mod tissues;
mod users;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// oncourse: decision support for a cancer patient's treatment course. It shows and explains;
/// a clinician decides.
#[derive(Parser)]
#[command(name = "oncourse", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// BED and EQD2 of a radiotherapy course, or the dose that reaches a target.
    Eqd2(eqd2::Args),
    /// The tissue table: α/β and repopulation parameters with their sources.
    Tissues(tissues::Args),
    /// Re-irradiation: what a tissue may still receive given earlier courses and a limit.
    Reirradiation(reirradiation::Args),
    /// Run the HTTP API on a database (created on first start, with a first administrator).
    Serve(serve::Args),
    /// Add or list user accounts.
    Users(users::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Eqd2(args) => eqd2::run(args),
        Command::Tissues(args) => tissues::run(args),
        Command::Reirradiation(args) => reirradiation::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Users(args) => users::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
