//! The `oncourse fhir` and `oncourse labs` command-line contract (issue 8):
//! `oncourse fhir export FILE.toml > bundle.json`; `oncourse fhir import bundle.json -o
//! case.toml`; export → import → export is identical; errors as `FILE: Type/id.element:
//! message` with exit 1; `oncourse labs import FEED --into case.toml` is idempotent and keeps
//! the case file's comments.

mod common;

use common::{oncourse, root};

use std::fs;
use std::path::PathBuf;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("oncourse-fhir-contract-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn export_import_export_is_identical() {
    let first = oncourse(&["fhir", "export", "examples/popliteal-lms.toml"]);
    assert!(first.status.success());
    let bundle = scratch("seed.json");
    fs::write(&bundle, &first.stdout).unwrap();
    let case = scratch("seed.toml");
    let import = oncourse(&[
        "fhir",
        "import",
        bundle.to_str().unwrap(),
        "-o",
        case.to_str().unwrap(),
    ]);
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    assert!(
        import.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    let second = oncourse(&["fhir", "export", case.to_str().unwrap()]);
    assert!(second.status.success());
    assert_eq!(
        String::from_utf8(first.stdout).unwrap(),
        String::from_utf8(second.stdout).unwrap()
    );
}

#[test]
fn import_errors_name_file_resource_and_element() {
    let output = oncourse(&[
        "fhir",
        "import",
        "tests/data/fhir/invalid/lab-without-unit.json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "tests/data/fhir/invalid/lab-without-unit.json: Observation/obs-12.valueQuantity.unit: expected a UCUM unit for the value 46, got none\n"
    );
}

#[test]
fn labs_import_is_idempotent_and_keeps_comments() {
    let case = scratch("labs.toml");
    fs::copy(root().join("examples/popliteal-lms.toml"), &case).unwrap();
    let args = [
        "labs",
        "import",
        "tests/data/labs/feed.csv",
        "--into",
        case.to_str().unwrap(),
        "--patient",
        "patient",
    ];
    let first = oncourse(&args);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        String::from_utf8(first.stdout)
            .unwrap()
            .ends_with(": 3 new results, 1 already present\n")
    );
    let after_first = fs::read_to_string(&case).unwrap();
    assert!(after_first.starts_with("# The seed case: Li Z, Yu X, Xu M."));
    let second = oncourse(&args);
    assert!(second.status.success());
    assert!(
        String::from_utf8(second.stdout)
            .unwrap()
            .ends_with(": 0 new results, 4 already present\n")
    );
    assert_eq!(fs::read_to_string(&case).unwrap(), after_first);
    let check = oncourse(&["check", case.to_str().unwrap()]);
    assert!(check.status.success());
}
