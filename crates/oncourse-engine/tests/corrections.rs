//! Corrections and stops through a case file (`tests/data/case-files/valid/corrections.toml`):
//! a superseded diagnosis and fraction no longer count from the correction's date on.

use std::fs;
use std::path::Path;

use chrono::NaiveDate;
use oncourse_engine::{AssessOptions, Assessment, assess};
use oncourse_model::case_file::parse_case_file;

fn assess_as_of(as_of: &str) -> Assessment {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/case-files/valid/corrections.toml");
    let record = parse_case_file("corrections.toml", &fs::read_to_string(path).unwrap()).unwrap();
    let mut options = AssessOptions::new(as_of.parse::<NaiveDate>().unwrap());
    options.tissue_ids = vec!["generic-early".into()];
    assess(&record, &options).unwrap()
}

#[test]
fn a_corrected_size_restages_from_the_correction_date() {
    // FNCLCC (NCI PDQ table): differentiation 3 + mitoses 12/10 HPF → 2 + necrosis < 50 % → 1
    // = 6 → G3. AJCC 8th ch. 41: 9.5 cm is T2 → IIIA; 11 cm is T3 → IIIB.
    let before = assess_as_of("2024-01-16");
    let stage = before.stage.unwrap();
    assert_eq!(
        (stage.grade, stage.group.to_string()),
        (Some(3), "IIIA".into())
    );
    assert_eq!(before.grade.unwrap().total_score, Some(6));
    let after = assess_as_of("2024-01-17");
    let stage = after.stage.unwrap();
    assert_eq!(format!("{:?}", stage.t), "T3");
    assert_eq!(stage.group.to_string(), "IIIB");
    assert_eq!(stage.greatest_dimension_mm, 110.0);
    assert_eq!(after.ecog.map(|e| e.score), Some(1));
}

#[test]
fn a_corrected_fraction_replaces_the_wrong_one() {
    // f2 (2.5 Gy) is superseded by f2-corrected (2 Gy) on the same day: 2 + 2 Gy delivered,
    // BED(α/β 10) = 2 × 2 × (1 + 2/10) = 4.8 Gy, never 2 + 2.5 Gy.
    for as_of in ["2024-02-06", "2024-02-08"] {
        let rt = assess_as_of(as_of).radiotherapy.unwrap();
        assert_eq!(rt.fractions_delivered, 2, "{as_of}");
        assert!((rt.physical_gy - 4.0).abs() < 1e-12);
        assert!((rt.tissues[0].bed_gy - 4.8).abs() < 1e-12);
    }
}

#[test]
fn a_stop_ends_the_regimen() {
    // Daily 12 mg from Monday 2024-03-04; stopped on Friday 2024-03-08: 4 doses (03-04..03-07).
    let drug = assess_as_of("2024-04-30").drug.unwrap();
    assert!(drug.stopped);
    assert_eq!(drug.cycles.len(), 1);
    assert_eq!(drug.total_delivered_mg, 48.0);
    // One 21-day cycle: (48 / 21) / (12 × 14 / 21) = 48 / 168.
    assert!((drug.relative_dose_intensity.unwrap() - 48.0 / 168.0).abs() < 1e-12);
}
