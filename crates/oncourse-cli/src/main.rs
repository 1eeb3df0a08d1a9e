//! The `oncourse` command-line tool: thin subcommands over the oncourse crates.

fn main() {}
