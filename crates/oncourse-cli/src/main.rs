//! The `oncourse` command-line tool: thin subcommands over the oncourse crates.
//!
//! Each subcommand lives in its own module with an `Args` struct and a `run` function; this file
//! only lists them. Readable text is the default output, `--json` the machine one.

mod assess;
mod case_file;
mod check;
mod constraints;
mod ctcae;
mod dvh;
mod dvh_metrics;
mod eqd2;
mod events;
mod fhir;
mod grade;
mod labs;
mod parse;
mod plot;
mod protocol;
mod recist;
mod recist_file;
mod reirradiation;
mod report;
mod serve;
mod survival;
mod table;
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
    /// DVHs of an RT Structure Set in an RT Dose, or in the voxel-wise EQD2/BED sum of phases.
    Dvh(dvh::Args),
    /// Check a plan's DVHs against a constraint set (QUANTEC, AAPM TG-101, extremity sarcoma).
    Constraints(constraints::Args),
    /// Run the HTTP API on a database (created on first start, with a first administrator).
    Serve(serve::Args),
    /// Add or list user accounts.
    Users(users::Args),
    /// Validate a case file: a one-line summary, or every error as FILE:LINE:COL: field: message.
    Check(check::Args),
    /// Replay a case file as of a date: stage, radiotherapy and drug calendars, timeline.
    Assess(assess::Args),
    /// Write the self-contained HTML case report of a case file.
    Report(report::Args),
    /// RECIST 1.1 timepoint and best overall response of one patient's assessments.
    Recist(recist::Args),
    /// Kaplan–Meier, log-rank and Cox proportional hazards on a cohort CSV.
    Survival(survival::Args),
    /// SVG figures: Kaplan–Meier, swimmer, waterfall, spider.
    Plot(plot::Args),
    /// CTCAE v5.0 grade of a measured value (platelets, ALT, blood pressure, ...).
    Grade(grade::Args),
    /// A CTCAE v5.0 term's definition and grade texts.
    Ctcae(ctcae::Args),
    /// Validate a dose-modification protocol and list its rules with their sources.
    Protocol(protocol::Args),
    /// HL7 FHIR R4 / mCODE: export a case file as a Bundle, or import a Bundle as a case file.
    Fhir(fhir::Args),
    /// Lab feeds: merge a FHIR Bundle of Observations or a CSV export into a case file.
    Labs(labs::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Eqd2(args) => eqd2::run(args),
        Command::Tissues(args) => tissues::run(args),
        Command::Reirradiation(args) => reirradiation::run(args),
        Command::Dvh(args) => dvh::run(args),
        Command::Constraints(args) => constraints::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Users(args) => users::run(args),
        Command::Check(args) => check::run(args),
        Command::Assess(args) => assess::run(args),
        Command::Report(args) => report::run(args),
        Command::Recist(args) => recist::run(args),
        Command::Survival(args) => survival::run(args),
        Command::Plot(args) => plot::run(args),
        Command::Grade(args) => grade::run(args),
        Command::Ctcae(args) => ctcae::run(args),
        Command::Protocol(args) => protocol::run(args),
        Command::Fhir(args) => fhir::run(args),
        Command::Labs(args) => labs::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// A reader that stops early (`oncourse tissues | head`) closes the pipe: that ends the output
/// the reader asked for; it is not a failure. Every command writes through a locked stdout and
/// returns the write error, so the cause arrives here rather than as a `println!` panic.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
