//! Helpers shared by the engine's integration tests: assess a case-file text with the shipped
//! protocols and summarise what came out.

#![allow(dead_code)] // each test file uses its own subset

use std::fs;
use std::path::PathBuf;

use chrono::NaiveDate;
use oncourse_engine::{AssessOptions, Assessment, assess};
use oncourse_model::case_file::parse_case_file;
use oncourse_tox::protocol::{DeviationKind, RecommendedAction, parse_protocol};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A date written as `YYYY-MM-DD`.
pub fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// Assesses a case-file text as of a date with the shipped protocols named (`protocols/<name>.toml`).
pub fn assess_text(name: &str, text: &str, as_of: &str, protocols: &[&str]) -> Assessment {
    let record = parse_case_file(name, text).unwrap();
    let mut options = AssessOptions::new(day(as_of));
    for protocol in protocols {
        let path = root().join(format!("protocols/{protocol}.toml"));
        let text = fs::read_to_string(&path).unwrap();
        options
            .protocols
            .push(parse_protocol(&path.display().to_string(), &text).unwrap());
    }
    assess(&record, &options).unwrap()
}

/// (date, action, rule, dose in mg) of each recommendation.
pub fn summary(assessment: &Assessment) -> Vec<(NaiveDate, RecommendedAction, &str, Option<f64>)> {
    assessment
        .recommendations
        .iter()
        .map(|r| (r.date, r.action, r.rule_id.as_str(), r.dose_mg))
        .collect()
}

/// The deviations other than missing or out-of-range pre-cycle values, as (date, kind).
pub fn dosing_deviations(assessment: &Assessment) -> Vec<(NaiveDate, DeviationKind)> {
    assessment
        .deviations
        .iter()
        .filter(|d| d.kind != DeviationKind::CycleStartedWithoutPreCycleValue)
        .map(|d| (d.date, d.kind))
        .collect()
}

/// One observation of [`observations_case`]: id, date, name, LOINC code, value with its unit.
pub type ObservationRow<'a> = (&'a str, &'a str, &'a str, &'a str, String);

/// A case-file text of a 70-year-old patient with only these observations.
pub fn observations_case(observations: &[ObservationRow]) -> String {
    let mut text = String::from(
        "format = \"oncourse-case/1\"\n\n[patient]\nid = \"p\"\ndate = 2024-01-01\nsex = \"female\"\nage_years = 70\n",
    );
    for (id, date, name, loinc, value) in observations {
        text.push_str(&format!(
            "\n[[observation]]\nid = \"{id}\"\ndate = {date}\nname = \"{name}\"\nloinc = \"{loinc}\"\nvalue = \"{value}\"\n"
        ));
    }
    text
}
