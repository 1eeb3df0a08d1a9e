//! Helpers shared by the command-line contract tests: run the real `oncourse` binary from the
//! repository root and read what it printed.
//!
//! Each test binary uses only some of them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The repository root, where `examples/`, `protocols/` and `tests/data/` are.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A path under the root's `tests/data/`, as a string for the command line.
pub fn data(path: &str) -> String {
    root().join("tests/data").join(path).display().to_string()
}

/// Runs `oncourse ARGS…` from the repository root.
pub fn oncourse(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_oncourse"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("the oncourse binary runs")
}

/// Runs a command that must succeed and returns its stdout parsed as JSON.
pub fn json(args: &[&str]) -> Value {
    let output = oncourse(args);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

/// Runs a command that must fail and returns its stderr.
pub fn stderr_of_failure(args: &[&str]) -> String {
    let output = oncourse(args);
    assert!(!output.status.success(), "{args:?} should fail");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs a command that must fail and checks that its stderr holds every fragment.
pub fn check_error(args: &[&str], expected_fragments: &[&str]) {
    let stderr = stderr_of_failure(args);
    for fragment in expected_fragments {
        assert!(
            stderr.contains(fragment),
            "{args:?}: {fragment:?} not in {stderr}"
        );
    }
}
