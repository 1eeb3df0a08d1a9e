//! Response of a record through oncourse-outcome, against values derived by hand.
//!
//! The seed (Li et al., Front Oncol 2025;15:1490941; the imaging dates and diameters in
//! `examples/popliteal-lms.toml` are marked illustrative): the primary's longest diameter is
//! 80 mm at baseline (2022-05-09), 66 mm after radiotherapy (2022-07-11) and 52 mm three
//! months into anlotinib (2022-11-01). By hand, RECIST 1.1 §4.3.1: 66/80 − 1 = −17.5 %
//! (between −30 % and +20 %: SD), 52/80 − 1 = −35 % (≤ −30 %: PR); best overall response
//! without confirmation (Table 3) PR. PFS from the first fraction (2022-05-23) with no
//! progression or death: censored at the last adequate assessment (FDA 2018), 2022-11-01,
//! 9 + 30 + 31 + 31 + 30 + 31 = 162 days.

use std::fs;
use std::path::Path;

use chrono::NaiveDate;
use oncourse_engine::{AssessOptions, assess};
use oncourse_model::case_file::parse_case_file;
use oncourse_outcome::response::{CensoringReason, Response};

/// A timepoint: date, sum of diameters, change from baseline, response.
type Row = (NaiveDate, Option<f64>, Option<f64>, Option<Response>);

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn assessed(text: &str, as_of: &str) -> oncourse_engine::Assessment {
    let record = parse_case_file("case.toml", text).unwrap();
    assess(&record, &AssessOptions::new(date(as_of))).unwrap()
}

#[test]
fn seed_partial_response_and_censored_pfs() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/popliteal-lms.toml");
    let a = assessed(&fs::read_to_string(path).unwrap(), "2023-11-23");
    let response = a.response.expect("the seed has measured imaging");
    let rows: Vec<Row> = response
        .recist
        .timepoints
        .iter()
        .map(|t| (t.date, t.sum_mm, t.change_from_baseline_pct, t.response))
        .collect();
    assert_eq!(
        rows,
        [
            (date("2022-05-09"), Some(80.0), Some(0.0), None),
            (
                date("2022-07-11"),
                Some(66.0),
                Some(-17.5),
                Some(Response::StableDisease)
            ),
            (
                date("2022-11-01"),
                Some(52.0),
                Some(-35.0),
                Some(Response::PartialResponse)
            ),
        ]
    );
    assert_eq!(
        response.recist.best_overall_response,
        Response::PartialResponse
    );
    assert_eq!(response.start, date("2022-05-23"));
    let pfs = response.progression_free_survival;
    assert_eq!(
        (pfs.end_date, pfs.days, pfs.event, pfs.reason),
        (
            date("2022-11-01"),
            162,
            false,
            CensoringReason::LastAdequateAssessment
        )
    );
    assert_eq!(response.time_to_progression, pfs);
}

/// A made-up course (`tests/data/case-files/valid/response-progression.toml`): 50 mm at
/// baseline, 40 mm (−20 %: SD), then 52 mm: +30 % over the nadir of 40 mm and +12 mm (≥ 20 %
/// and ≥ 5 mm: PD, §4.3.1). PFS is an event on the PD scan, 2023-04-01 − 2023-01-10 = 22 + 28
/// + 31 = 81 days; best overall response SD (met 62 days after baseline, ≥ 42).
fn progressing() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/case-files/valid/response-progression.toml");
    fs::read_to_string(path).unwrap()
}

#[test]
fn progression_on_imaging_is_a_pfs_event() {
    let a = assessed(&progressing(), "2023-05-01");
    let response = a.response.unwrap();
    let responses: Vec<Option<Response>> = response
        .recist
        .timepoints
        .iter()
        .map(|t| t.response)
        .collect();
    assert_eq!(
        responses,
        [
            None,
            Some(Response::StableDisease),
            Some(Response::ProgressiveDisease)
        ]
    );
    assert_eq!(
        response.recist.best_overall_response,
        Response::StableDisease
    );
    let pfs = response.progression_free_survival;
    assert_eq!(
        (pfs.end_date, pfs.days, pfs.event, pfs.reason),
        (date("2023-04-01"), 81, true, CensoringReason::Progression)
    );
}

#[test]
fn no_imaging_no_response() {
    let text = progressing();
    let without_imaging = text.split("[[imaging]]").next().unwrap();
    assert!(assessed(without_imaging, "2023-05-01").response.is_none());
}
