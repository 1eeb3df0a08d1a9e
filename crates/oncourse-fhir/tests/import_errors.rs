//! Malformed input gives errors naming the resource and element path, never a panic.
//!
//! `tests/data/fhir/invalid/` holds one file per kind of mistake, each beside the exact error
//! text expected (`<name>.expected`, one error per line). The expected text was produced by the
//! importer and reviewed by hand: each location was checked to name the offending element and
//! each message to name the bad value and what was expected.

use std::fs;
use std::path::Path;

use oncourse_fhir::import_json;
use proptest::prelude::*;
use serde_json::{Value, json};

#[test]
fn invalid_corpus_reports_exactly_the_expected_errors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/fhir/invalid");
    let mut checked = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let expected = fs::read_to_string(path.with_extension("expected")).unwrap();
        let errors = import_json(&text).expect_err(&path.display().to_string());
        assert_eq!(format!("{errors}\n"), expected, "{}", path.display());
        checked += 1;
    }
    assert_eq!(checked, 18);
}

#[test]
fn unknown_resources_and_extensions_are_skipped_with_a_warning() {
    let bundle = json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": {"resourceType": "Flag", "id": "f"}},
            {"resource": {"resourceType": "Patient", "id": "p", "gender": "female", "birthDate": "1938-02-01",
                "extension": [{"url": "http://example.org/unknown", "valueString": "kept"}]}},
            {"resource": {"resourceType": "Observation", "id": "o", "status": "final", "code": {"text": "smoking"},
                "effectiveDateTime": "2022-05-09", "valueCodeableConcept": {"text": "never"}}}
        ]
    });
    let imported = import_json(&bundle.to_string()).unwrap();
    let warnings: Vec<String> = imported.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "Flag/f: Flag is not used by oncourse; skipped",
            "Observation/o: an observation without a quantity, blood pressure or dipstick value is not used by oncourse; skipped",
        ]
    );
    // The patient, dated at birth for want of any other dated fact.
    let (fact, patient) = imported.record.patient().unwrap();
    assert_eq!(fact.date.to_string(), "1938-02-01");
    assert_eq!(patient.birth_date, Some(fact.date));
}

/// Any JSON value, nested a few levels, with FHIR-ish keys so that typed paths are reached.
fn arbitrary_json() -> impl Strategy<Value = Value> {
    let key = prop::sample::select(vec![
        "resourceType",
        "id",
        "entry",
        "resource",
        "status",
        "code",
        "coding",
        "system",
        "value",
        "valueQuantity",
        "unit",
        "extension",
        "url",
        "valueString",
        "meta",
        "profile",
        "focus",
        "component",
        "effectiveDateTime",
        "birthDate",
        "gender",
        "text",
        "reference",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop::sample::select(vec![
            "Bundle",
            "Observation",
            "Patient",
            "Condition",
            "Procedure",
            "final",
            "2022-05-09",
            "http://unitsofmeasure.org",
            "mg",
            "http://loinc.org",
            "89247-1",
            "female",
            "",
        ])
        .prop_map(Value::from),
        ".*".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..8).prop_map(|pairs| Value::Object(
                pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
            )),
        ]
    })
}

proptest! {
    // Invariant: import never panics, whatever the JSON; it returns a record or errors.
    #[test]
    fn arbitrary_json_never_panics(value in arbitrary_json()) {
        let _ = import_json(&value.to_string());
    }

    // Invariant: arbitrary bytes never panic either.
    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        let _ = import_json(&text);
    }
}

/// A primary cancer condition from elsewhere, with ICD-O-3 codes and TNM categories reached
/// through `stage.assessment` and `hasMember` and coded as in the mCODE examples (SNOMED
/// display "American Joint Committee on Cancer cN0 (qualifier value)"), yields a diagnosis.
#[test]
fn a_foreign_primary_cancer_condition_yields_a_diagnosis() {
    let category = |id: &str, code: &str, display: &str| {
        json!({"resource": {"resourceType": "Observation", "id": id, "status": "final",
            "code": {"coding": [{"system": "http://snomed.info/sct", "code": code}]},
            "effectiveDateTime": "2023-01-10",
            "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "0", "display": display}]}}})
    };
    let bundle = json!({
        "resourceType": "Bundle", "type": "collection",
        "entry": [
            {"resource": {"resourceType": "Patient", "id": "p", "gender": "male", "birthDate": "1950-03-01"}},
            {"resource": {"resourceType": "Condition", "id": "c",
                "extension": [{"url": "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-histology-morphology-behavior",
                    "valueCodeableConcept": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/icd-o-3", "code": "8890/3"}]}}],
                "code": {"text": "leiomyosarcoma of the thigh"},
                "bodySite": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/icd-o-3", "code": "C49.2"}], "text": "right thigh"}],
                "onsetDateTime": "2023-01-10",
                "stage": [{"assessment": [{"reference": "Observation/sg"}]}]}},
            {"resource": {"resourceType": "Observation", "id": "sg", "status": "final",
                "code": {"coding": [{"system": "http://snomed.info/sct", "code": "399537006"}]},
                "effectiveDateTime": "2023-01-10",
                "valueCodeableConcept": {"text": "IIIA"},
                "hasMember": [{"reference": "Observation/n"}, {"reference": "Observation/m"}]}},
            category("n", "399534004", "American Joint Committee on Cancer cN0 (qualifier value)"),
            category("m", "399387003", "American Joint Committee on Cancer cM0 (qualifier value)")
        ]
    });
    let imported = import_json(&bundle.to_string()).unwrap();
    assert_eq!(imported.warnings, []);
    let (fact, diagnosis) = imported.record.diagnosis().unwrap();
    assert_eq!(fact.id.0, "c");
    assert_eq!(fact.date.to_string(), "2023-01-10");
    assert_eq!(diagnosis.morphology_icdo3, "8890/3");
    assert_eq!(diagnosis.topography_icdo3, "C49.2");
    assert_eq!(diagnosis.site, "right thigh");
    assert_eq!(diagnosis.n, oncourse_model::stage::NCategory::N0);
    assert_eq!(diagnosis.m, oncourse_model::stage::MCategory::M0);
}

/// A blood pressure and urine protein strip results written by someone else: the shapes of the
/// FHIR R4 Blood Pressure profile (<http://hl7.org/fhir/R4/bp.html>: code 85354-9, components
/// 8480-6 and 8462-4 in mm[Hg]) and of US Core's `Observation-urine-protein` example (LOINC
/// 20454-5, value SNOMED 260385009 "Negative"), and a 3+ coded as in IHE mAPS
/// `Presence.In.Urine.VS` (167277001 "Urine protein test = +++").
#[test]
fn blood_pressures_and_test_strips_from_elsewhere_are_read() {
    let component = |code: &str, value: f64| {
        json!({"code": {"coding": [{"system": "http://loinc.org", "code": code}]},
            "valueQuantity": {"value": value, "unit": "mmHg", "system": "http://unitsofmeasure.org", "code": "mm[Hg]"}})
    };
    let strip = |id: &str, snomed: &str| {
        json!({"resource": {"resourceType": "Observation", "id": id, "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "20454-5"}], "text": "PROTEIN"},
            "effectiveDateTime": "2005-07-05",
            "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": snomed}]}}})
    };
    let bundle = json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": {"resourceType": "Observation", "id": "bp", "status": "final",
                "code": {"coding": [{"system": "http://loinc.org", "code": "85354-9"}], "text": "Blood pressure"},
                "effectiveDateTime": "2012-09-17",
                "component": [component("8480-6", 107.0), component("8462-4", 60.0)]}},
            strip("urine-protein", "260385009"),
            strip("urine-protein-3", "167277001"),
        ]
    });
    let imported = import_json(&bundle.to_string()).unwrap();
    let values: Vec<String> = imported
        .record
        .facts()
        .iter()
        .filter_map(|fact| match &fact.body {
            oncourse_model::FactBody::Observation(o) => Some(format!("{} {}", fact.id, o.value)),
            _ => None,
        })
        .collect();
    // In date order: the strips of 2005, then the pressure of 2012.
    assert_eq!(
        values,
        [
            "urine-protein negative",
            "urine-protein-3 3+",
            "bp 107/60 mm[Hg]"
        ]
    );
}
