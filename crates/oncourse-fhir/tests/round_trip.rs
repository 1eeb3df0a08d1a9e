//! Export → import → export of the seed case is lossless.

use oncourse_fhir::{ExportOptions, export_json, import_json};
use oncourse_model::case_file::parse_case_file;

fn seed() -> oncourse_model::Record {
    let text = include_str!("../../../examples/popliteal-lms.toml");
    parse_case_file("popliteal-lms.toml", text).expect("the seed case parses")
}

#[test]
fn seed_round_trips() {
    let record = seed();
    let first = export_json(&record, &ExportOptions::default());
    let imported = import_json(&first).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported.warnings, []);
    assert_eq!(imported.record, record);
    let second = export_json(&imported.record, &ExportOptions::default());
    assert_eq!(first, second);
}
