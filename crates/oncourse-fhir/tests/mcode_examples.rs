//! The 179 examples of the mCODE STU4 package (`hl7.fhir.us.mcode` 4.0.0, CC0-1.0, vendored in
//! `tests/data/mcode-examples/`) import without a panic; those that carry a patient yield a
//! record with its patient; and typing a resource loses nothing.

use std::fs;
use std::path::PathBuf;

use oncourse_fhir::import_json;
use oncourse_fhir::types::Resource;
use oncourse_model::case_file::{parse_case_file, write_case_file};
use serde_json::Value;

fn examples() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/mcode-examples");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("the vendored examples exist")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.file_name().is_some_and(|n| n != "package.json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read_to_string(&p).expect("readable"))
        })
        .collect()
}

#[test]
fn all_179_examples_import() {
    let examples = examples();
    // The package's own count (package/example holds 179 files).
    assert_eq!(examples.len(), 179);
    let mut with_patient = Vec::new();
    for (name, text) in &examples {
        let imported = import_json(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        // What was imported is a valid case file.
        let written = write_case_file(&imported.record);
        let reread =
            parse_case_file(name, &written).unwrap_or_else(|e| panic!("{name}: {e}\n{written}"));
        // Same facts; the parser orders facts of one day by section, the import by bundle order.
        let by_id = |r: &oncourse_model::Record| {
            let mut facts = r.facts().to_vec();
            facts.sort_by(|a, b| a.id.cmp(&b.id));
            facts
        };
        assert_eq!(by_id(&reread), by_id(&imported.record), "{name}");
        let value: Value = serde_json::from_str(text).unwrap();
        let carries_patient = value["resourceType"] == "Patient"
            || value["entry"].as_array().is_some_and(|entries| {
                entries
                    .iter()
                    .any(|e| e["resource"]["resourceType"] == "Patient")
            });
        let has_patient = imported.record.patient().is_some();
        assert_eq!(
            has_patient, carries_patient,
            "{name}: {:#?}",
            imported.warnings
        );
        if has_patient {
            with_patient.push(name.as_str());
        }
    }
    // Seven Patient examples and the two bundles, each with one patient.
    assert_eq!(with_patient.len(), 9, "{with_patient:?}");
}

#[test]
fn the_patient_bundle_yields_its_facts() {
    let text = examples()
        .into_iter()
        .find(|(n, _)| n == "Bundle-mcode-patient-bundle-jenny-m.json")
        .unwrap()
        .1;
    let imported = import_json(&text).unwrap();
    let (_, patient) = imported.record.patient().unwrap();
    // Patient-cancer-patient-jenny-m: female, born 1965-01-01.
    assert_eq!(patient.sex, oncourse_model::patient::Sex::Female);
    assert_eq!(
        patient.birth_date.map(|d| d.to_string()).as_deref(),
        Some("1965-01-01")
    );
    let kinds: Vec<&str> = imported
        .record
        .facts()
        .iter()
        .map(|f| f.body.kind_name())
        .collect();
    assert!(kinds.contains(&"performance_status"), "{kinds:?}");
    assert!(kinds.contains(&"observation"), "{kinds:?}");
}

/// Every element of a typed resource survives typing: the flatten maps keep what is not modelled.
#[test]
fn typing_is_lossless() {
    for (name, text) in examples() {
        let value: Value = serde_json::from_str(&text).unwrap();
        let resources: Vec<Value> = match value["resourceType"].as_str() {
            Some("Bundle") => value["entry"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["resource"].clone())
                .collect(),
            _ => vec![value],
        };
        for resource in resources {
            let kind = resource["resourceType"].as_str().unwrap();
            if !Resource::TYPED.contains(&kind) {
                continue;
            }
            let typed: Resource = serde_json::from_value(resource.clone())
                .unwrap_or_else(|e| panic!("{name}: {kind}: {e}"));
            assert_eq!(serde_json::to_value(&typed).unwrap(), resource, "{name}");
        }
    }
}
