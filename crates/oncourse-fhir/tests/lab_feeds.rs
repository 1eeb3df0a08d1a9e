//! Lab feeds merge idempotently. Feeds: `tests/data/labs/` (see its README section); the
//! record: the seed case, whose own platelet count of 2022-08-29 (46 × 10⁹/L) is in the feed.

use std::fs;
use std::path::Path;

use oncourse_fhir::labs::{merge, read_csv, read_fhir};
use oncourse_fhir::{ExportOptions, export_json};
use oncourse_model::case_file::parse_case_file;
use oncourse_model::{FactBody, Record};

fn repo(path: &str) -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(path),
    )
    .unwrap()
}

fn seed() -> Record {
    parse_case_file("seed", &repo("examples/popliteal-lms.toml")).unwrap()
}

fn with(record: &Record, facts: Vec<oncourse_model::Fact>) -> Record {
    let mut all = record.facts().to_vec();
    all.extend(facts);
    Record::new(all)
}

#[test]
fn a_csv_feed_merged_twice_adds_its_results_once() {
    let feed = read_csv(
        "feed.csv",
        &repo("tests/data/labs/feed.csv"),
        Some("patient"),
    )
    .unwrap();
    let warnings: Vec<String> = feed.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["feed.csv:6: a result of patient \"someone-else\", not \"patient\"; skipped"]
    );
    let record = seed();
    let first = merge(&record, &feed);
    assert_eq!(first.already_present, 1);
    let ids: Vec<&str> = first.added.iter().map(|f| f.id.0.as_str()).collect();
    assert_eq!(
        ids,
        [
            "lab-777-3-2022-09-05",
            "lab-haemoglobin-2022-09-05",
            "lab-751-8-2022-09-05"
        ]
    );
    let FactBody::Observation(platelets) = &first.added[0].body else {
        panic!()
    };
    assert_eq!(platelets.value.to_string(), "71 10*9/L");
    assert_eq!(
        platelets.reference_low.as_ref().unwrap().to_string(),
        "125 10*9/L"
    );
    let FactBody::Observation(neutrophils) = &first.added[2].body else {
        panic!()
    };
    assert_eq!(neutrophils.name, "LOINC 751-8");
    let merged = with(&record, first.added);
    let second = merge(&merged, &feed);
    assert_eq!((second.added.len(), second.already_present), (0, 4));
}

#[test]
fn a_fhir_feed_merged_twice_adds_its_results_once() {
    let feed = read_fhir(&repo("tests/data/labs/feed.json"), Some("patient")).unwrap();
    assert_eq!(feed.warnings.len(), 1, "{:?}", feed.warnings);
    assert_eq!(
        feed.warnings[0].to_string(),
        "Observation/lab-2: a result of patient \"other\", not \"patient\"; skipped"
    );
    let record = seed();
    let first = merge(&record, &feed);
    assert_eq!((first.added.len(), first.already_present), (1, 0));
    assert_eq!(first.added[0].date.to_string(), "2022-09-12");
    let second = merge(&with(&record, first.added), &feed);
    assert_eq!((second.added.len(), second.already_present), (0, 1));
}

/// A record's own export, sent back as a feed, adds nothing: its 7 lab results are all present.
#[test]
fn a_record_is_its_own_feed() {
    let record = seed();
    let bundle = export_json(&record, &ExportOptions::default());
    let feed = read_fhir(&bundle, None).unwrap();
    assert_eq!(feed.results.len(), 7);
    let merged = merge(&record, &feed);
    assert_eq!((merged.added.len(), merged.already_present), (0, 7));
}

#[test]
fn bad_rows_are_errors_naming_line_and_column() {
    let errors = read_csv("feed-bad.csv", &repo("tests/data/labs/feed-bad.csv"), None).unwrap_err();
    assert_eq!(
        errors.to_string(),
        "feed-bad.csv:2: unit: expected a UCUM unit for the value 46, got none\n\
         feed-bad.csv:3: loinc: expected a LOINC code such as \"777-3\", got \"777\"\n\
         feed-bad.csv:4: value: expected a number, got \"high\"\n\
         feed-bad.csv:5: datetime: expected a date such as 2022-08-29 or 2022-08-29T07:40:00+08:00, got \"5 Sept 2022\"\n\
         feed-bad.csv:5: reference_range: expected a range such as \"125-350\", \"<41\" or \">3.5\", got \"normal\""
    );
}
