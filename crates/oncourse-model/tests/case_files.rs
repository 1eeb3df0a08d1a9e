//! The case-file format against files on disk: the seed example, a valid corpus, and the
//! corpus of invalid files under `tests/data/case-files/invalid/`, each beside the exact error
//! text expected (`<name>.expected`).

use std::fs;
use std::path::{Path, PathBuf};

use oncourse_model::case_file::parse_case_file;
use oncourse_model::{FactBody, Record};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn parse(path: &Path) -> Result<Record, String> {
    let text = fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy();
    parse_case_file(&name, &text).map_err(|e| e.to_string())
}

fn count(record: &Record, kind: &str) -> usize {
    record
        .facts()
        .iter()
        .filter(|f| f.body.kind_name() == kind)
        .count()
}

#[test]
fn the_seed_example_parses_with_every_fact_of_the_report() {
    let record = parse(&repo_root().join("examples/popliteal-lms.toml")).unwrap();
    // Counts from the report: 3 comorbidities, 13 fractions (10 IMRT + 3 SRT) in 2 phases,
    // 4 debridement + PRP procedures (plus the biopsy), 13 IHC markers in Figure 1D.
    assert_eq!(count(&record, "comorbidity"), 3);
    assert_eq!(count(&record, "rt_phase"), 2);
    assert_eq!(count(&record, "rt_fraction"), 13);
    assert_eq!(count(&record, "procedure"), 5);
    let (_, diagnosis) = record.diagnosis().unwrap();
    assert_eq!(diagnosis.ihc.len(), 13);
    assert_eq!(diagnosis.greatest_dimension_mm(), Some(80.0));
    let (fact, patient) = record.patient().unwrap();
    assert_eq!(fact.date.to_string(), "2022-05-09");
    assert_eq!(patient.age_years, Some(84));
    let ki67 = diagnosis.ihc.iter().find(|m| m.marker == "Ki-67").unwrap();
    assert_eq!(ki67.percent, Some(40.0));
    // The real dates of the report are not marked illustrative.
    let biopsy = record.facts().iter().find(|f| f.id.0 == "biopsy").unwrap();
    assert!(!biopsy.illustrative);
    assert!(matches!(biopsy.body, FactBody::Procedure(_)));
}

#[test]
fn valid_corpus_parses() {
    let dir = repo_root().join("tests/data/case-files/valid");
    let mut n = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            if let Err(e) = parse(&path) {
                panic!("{}: {e}", path.display());
            }
            n += 1;
        }
    }
    assert!(n > 0, "no valid case files in {}", dir.display());
}

#[test]
fn invalid_corpus_reports_exactly_the_expected_errors() {
    let dir = repo_root().join("tests/data/case-files/invalid");
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 10, "expected a corpus of invalid files");
    let mut failures = Vec::new();
    for path in &paths {
        let Ok(expected) = fs::read_to_string(path.with_extension("expected")) else {
            failures.push(format!("{}: no .expected file", path.display()));
            continue;
        };
        match parse(path) {
            Ok(_) => failures.push(format!("{}: parsed without error", path.display())),
            Err(actual) if actual.trim_end() != expected.trim_end() => failures.push(format!(
                "{}:\n--- expected\n{}\n--- actual\n{}",
                path.display(),
                expected.trim_end(),
                actual
            )),
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

mod robustness {
    use super::*;
    use proptest::prelude::*;

    fn seed_text() -> String {
        fs::read_to_string(repo_root().join("examples/popliteal-lms.toml")).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        // Malformed input is an error value, never a panic: damage the seed file by replacing a
        // slice with arbitrary text, then every reported position must lie inside the file.
        #[test]
        fn damaged_files_give_errors_not_panics(start in 0usize..20_000, len in 0usize..40, junk in "[ -~\n]{0,12}") {
            let text = seed_text();
            let mut start = start.min(text.len());
            while !text.is_char_boundary(start) { start -= 1; }
            let mut end = (start + len).min(text.len());
            while !text.is_char_boundary(end) { end -= 1; }
            let damaged = format!("{}{}{}", &text[..start], junk, &text[end..]);
            if let Err(errors) = parse_case_file("seed.toml", &damaged) {
                let lines = damaged.lines().count().max(1);
                prop_assert!(!errors.0.is_empty());
                for e in &errors.0 {
                    prop_assert!(e.line >= 1 && e.line <= lines + 1, "{e}");
                    prop_assert!(e.column >= 1, "{e}");
                }
            }
        }
    }
}
