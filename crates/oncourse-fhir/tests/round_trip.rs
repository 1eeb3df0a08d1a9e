//! Export → import → export is lossless for the seed case and for every valid case file,
//! including `tests/data/case-files/valid/every-field.toml`, which uses every field once.

use std::fs;
use std::path::Path;

use oncourse_fhir::{BundleKind, ExportOptions, export_json, import_json};
use oncourse_model::case_file::parse_case_file;

fn case_files() -> Vec<(String, oncourse_model::Record)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = vec![root.join("examples/popliteal-lms.toml")];
    for entry in fs::read_dir(root.join("tests/data/case-files/valid")).unwrap() {
        files.push(entry.unwrap().path());
    }
    files
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path).unwrap();
            let name = path.display().to_string();
            let record = parse_case_file(&name, &text).unwrap_or_else(|e| panic!("{e}"));
            (name, record)
        })
        .collect()
}

#[test]
fn case_files_round_trip() {
    for kind in [BundleKind::Collection, BundleKind::Transaction] {
        let options = ExportOptions { bundle_kind: kind };
        for (name, record) in case_files() {
            let first = export_json(&record, &options);
            let imported = import_json(&first).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(imported.warnings, [], "{name}");
            assert_eq!(imported.record, record, "{name}");
            let second = export_json(&imported.record, &options);
            assert_eq!(first, second, "{name}");
        }
    }
}

/// The mapping of the seed case, checked against the report (Li et al., Front Oncol 2025):
/// IMRT 10 × 400 cGy and an SRT boost 3 × 700 cGy = 6100 cGy in 13 fractions.
#[test]
fn the_seed_course_summaries_carry_the_delivered_dose() {
    let (_, record) = case_files().remove(0);
    let bundle: serde_json::Value =
        serde_json::from_str(&export_json(&record, &ExportOptions::default())).unwrap();
    let summaries: Vec<&serde_json::Value> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["code"]["coding"][0]["code"] == "1217123003")
        .collect();
    let delivered: Vec<(f64, u64)> = summaries
        .iter()
        .map(|r| {
            let ext = r["extension"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| {
                    e["url"]
                        .as_str()
                        .unwrap()
                        .ends_with("mcode-radiotherapy-dose-delivered-to-volume")
                })
                .unwrap();
            let part = |name: &str| {
                ext["extension"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|e| e["url"] == name)
                    .unwrap()
                    .clone()
            };
            (
                part("totalDoseDelivered")["valueQuantity"]["value"]
                    .as_f64()
                    .unwrap(),
                part("fractionsDelivered")["valueUnsignedInt"]
                    .as_u64()
                    .unwrap(),
            )
        })
        .collect();
    assert_eq!(delivered, [(4000.0, 10), (2100.0, 3)]);
    let total: f64 = delivered.iter().map(|(d, _)| d).sum();
    assert_eq!(total, 6100.0);
}
