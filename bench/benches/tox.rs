//! How long grading and protocol evaluation take: the engine grades every observation of a
//! record on each request and replays protocols over whole courses, so one grade should cost
//! microseconds and a course replay well under a millisecond.

use chrono::{Days, NaiveDate};
use divan::black_box;
use oncourse_tox::protocol::{EventKind, ProtocolEvent, evaluate, parse_protocol};
use oncourse_tox::{Quantity, Reading, References, grade};

fn main() {
    divan::main();
}

/// Platelets 45 000 /uL (unit conversion through UCUM, LLN in another unit).
#[divan::bench]
fn grade_platelets_per_microlitre(bencher: divan::Bencher) {
    let reading = Reading::parse("45000", Some("/uL")).unwrap();
    let references = References {
        lln: Some(Quantity::new(150.0, "10*9/L").unwrap()),
        ..References::default()
    };
    bencher.bench(|| {
        grade(
            black_box("Platelet count decreased"),
            black_box(&reading),
            &references,
        )
    });
}

/// Bilirubin in mg/dL against a ULN in umol/L (molar-mass conversion, ratio to ULN).
#[divan::bench]
fn grade_bilirubin_mixed_units(bencher: divan::Bencher) {
    let reading = Reading::parse("2.5", Some("mg/dL")).unwrap();
    let references = References {
        uln: Some(Quantity::new(21.0, "umol/L").unwrap()),
        ..References::default()
    };
    bencher.bench(|| {
        grade(
            black_box("Blood bilirubin increased"),
            black_box(&reading),
            &references,
        )
    });
}

/// Eight 21-day anlotinib cycles with weekly platelet counts and daily doses (≈ 170 days).
#[divan::bench]
fn evaluate_anlotinib_eight_cycles(bencher: divan::Bencher) {
    let protocol = parse_protocol(
        "anlotinib.toml",
        include_str!("../../protocols/anlotinib.toml"),
    )
    .unwrap();
    let start = NaiveDate::from_ymd_opt(2022, 7, 1).unwrap();
    let day = |offset: u64| start.checked_add_days(Days::new(offset)).unwrap();
    let mut events = Vec::new();
    for cycle in 0..8u64 {
        let cycle_start = cycle * 21;
        events.push(ProtocolEvent {
            date: day(cycle_start),
            kind: EventKind::Graded {
                term: "Platelet count decreased".to_owned(),
                grade: u8::try_from(cycle % 4).unwrap(),
                facts: "platelets".to_owned(),
            },
        });
        events.push(ProtocolEvent {
            date: day(cycle_start),
            kind: EventKind::CycleStart {
                cycle: u32::try_from(cycle + 1).unwrap(),
            },
        });
        for dose_day in 0..14 {
            events.push(ProtocolEvent {
                date: day(cycle_start + dose_day),
                kind: EventKind::Administration { dose_mg: 12.0 },
            });
        }
    }
    bencher.bench(|| evaluate(&protocol, black_box(&events), day(8 * 21)));
}
