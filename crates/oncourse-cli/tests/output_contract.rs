//! A reader that stops early (`oncourse dvh … --json | head -c 1`) ends the command quietly:
//! exit 0 and nothing on stderr, never a panic about printing to stdout.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    // The example plan's DVHs as JSON are about 300 kB, several times a pipe's 64 kB buffer, so
    // the command is still writing when the reader closes its end.
    let mut child = Command::new(env!("CARGO_BIN_EXE_oncourse"))
        .current_dir(common::root())
        .args([
            "dvh",
            "--rtstruct",
            &common::data("dicompyler-example/rtss.dcm"),
            "--rtdose",
            &common::data("dicompyler-example/rtdose.dcm"),
            "--json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the oncourse binary runs");
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let mut first = [0_u8; 1];
    stdout.read_exact(&mut first).expect("one byte of output");
    assert_eq!(&first, b"{");
    drop(stdout);
    let output = child.wait_with_output().expect("the command ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{:?}: {stderr}", output.status);
    assert!(stderr.is_empty(), "{stderr}");
}
