//! The case-file writer is the inverse of the parser on every valid case file we have.

use std::fs;
use std::path::Path;

use oncourse_model::case_file::{parse_case_file, write_case_file};

#[test]
fn every_valid_case_file_survives_writing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = vec![root.join("examples/popliteal-lms.toml")];
    for entry in fs::read_dir(root.join("tests/data/case-files/valid")).unwrap() {
        files.push(entry.unwrap().path());
    }
    assert!(files.len() >= 3);
    for path in files {
        let text = fs::read_to_string(&path).unwrap();
        let record =
            parse_case_file("in.toml", &text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let written = write_case_file(&record);
        let reread = parse_case_file("out.toml", &written)
            .unwrap_or_else(|e| panic!("{}: {e}\n{written}", path.display()));
        assert_eq!(reread, record, "{}", path.display());
    }
}
