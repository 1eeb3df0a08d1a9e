//! Automatic grading against CTCAE v5.0: the boundary vectors of
//! `tests/data/ctcae/boundaries.csv` (below, at and above every threshold, in several units,
//! expected grades from the CTCAE v5.0 text; see `tests/data/README.md`), plus errors and
//! invariants.

use oncourse_tox::grading::{GradeOutcome, GradedValue, ValueSi};
use oncourse_tox::{GradeError, Quantity, Reading, References, grade};
use proptest::prelude::*;

const BOUNDARIES_CSV: &str = include_str!("../../../tests/data/ctcae/boundaries.csv");

fn quantity(text: &str) -> Option<Quantity> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let (value, unit) = text.split_once(' ').expect("reference is \"value unit\"");
    Some(Quantity::new(value.parse().unwrap(), unit).unwrap())
}

fn graded(term: &str, value: &str, unit: &str, references: &References) -> GradedValue {
    let unit = (!unit.is_empty()).then_some(unit);
    let reading = Reading::parse(value, unit).unwrap();
    match grade(term, &reading, references) {
        Ok(GradeOutcome::Graded(graded)) => graded,
        other => panic!("{term} {value} {unit:?}: expected a numeric grade, got {other:?}"),
    }
}

fn check(term: &str, value: &str, unit: &str, references: References, expected_grade: u8) {
    let graded = graded(term, value, unit, &references);
    assert_eq!(
        graded.grade, expected_grade,
        "{term} {value} {unit} with {references:?}: {graded:?}"
    );
}

#[test]
fn every_boundary_vector_grades_as_the_ctcae_text_says() {
    let mut reader = csv::Reader::from_reader(BOUNDARIES_CSV.as_bytes());
    let mut count = 0;
    for record in reader.records() {
        let record = record.unwrap();
        let references = References {
            lln: quantity(&record[3]),
            uln: quantity(&record[4]),
            baseline: quantity(&record[5]),
        };
        check(
            &record[0],
            &record[1],
            &record[2],
            references,
            record[6].parse().unwrap(),
        );
        count += 1;
    }
    assert_eq!(count, 629);
}

#[test]
fn platelets_45000_per_microlitre_is_grade_3_at_45_giga_per_litre() {
    let graded = graded(
        "Platelet count decreased",
        "45000",
        "/uL",
        &References::default(),
    );
    assert_eq!(graded.grade, 3);
    assert_eq!(graded.value_si, ValueSi::Number(45.0));
    assert_eq!(graded.unit_si, "10*9/L");
    assert_eq!(graded.meddra_code, 10035528);
    assert_eq!(graded.source, "CTCAE v5.0, Platelet count decreased");
    assert_eq!(graded.criterion.unwrap().text, "<50.0 - 25.0 x 10e9 /L");
}

#[test]
fn haemoglobin_converts_between_mass_and_substance_units() {
    // 8.0 g/dL = 80 g/L; in mmol/L through the Hb monomer, 16 114.5 g/mol (ICSH 1995):
    // 80 / 16.1145 = 4.9645 mmol/L.
    let graded = graded("Anemia", "4.9645", "mmol/L", &References::default());
    assert_eq!(graded.grade, 2);
    match graded.value_si {
        ValueSi::Number(grams_per_litre) => assert!((grams_per_litre - 80.0).abs() < 1e-3),
        other => panic!("{other:?}"),
    }
}

#[test]
fn bilirubin_and_creatinine_convert_with_the_published_factors() {
    // Young 1987 (Ann Intern Med 106:114): bilirubin 1 mg/dL = 17.10 umol/L, creatinine
    // 1 mg/dL = 88.40 umol/L.
    for (term, factor) in [
        ("Blood bilirubin increased", 17.10),
        ("Creatinine increased", 88.40),
    ] {
        let graded = graded(
            term,
            "1",
            "mg/dL",
            &References {
                uln: quantity("2 mg/dL"),
                ..References::default()
            },
        );
        match graded.value_si {
            ValueSi::Number(umol_per_litre) => {
                assert!(
                    (umol_per_litre - factor).abs() < 0.01,
                    "{term}: {umol_per_litre}"
                )
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn clinically_graded_terms_return_their_definitions() {
    let reading = Reading::parse("1", Some("1")).unwrap();
    let outcome = grade("Dermatitis radiation", &reading, &References::default()).unwrap();
    let GradeOutcome::ClinicianGradeRequired(required) = outcome else {
        panic!("expected clinician grade required, got {outcome:?}");
    };
    assert_eq!(required.term, "Dermatitis radiation");
    assert_eq!(required.grades.len(), 5);
    assert_eq!(
        required.grades[1].text,
        "Moderate to brisk erythema; patchy moist desquamation, mostly confined to skin folds and creases; moderate edema"
    );
}

fn error(term: &str, value: &str, unit: Option<&str>, references: References) -> String {
    let reading = Reading::parse(value, unit).unwrap();
    grade(term, &reading, &references).unwrap_err().to_string()
}

#[test]
fn errors_name_the_term_the_unit_and_what_was_expected() {
    assert_eq!(
        error(
            "Platelet count decreased",
            "45",
            Some("mg/dL"),
            References::default()
        ),
        "Platelet count decreased: unit \"mg/dL\" cannot express blood cell count (number concentration) (expected a unit convertible to \"10*9/L\")"
    );
    // UCUM treats mol as a number: a substance unit must still not pass as a cell count.
    assert!(
        error(
            "Platelet count decreased",
            "45",
            Some("umol/L"),
            References::default()
        )
        .contains("cannot express blood cell count")
    );
    assert_eq!(
        error(
            "Platelet count decreased",
            "100",
            Some("10*9/L"),
            References::default()
        ),
        "Platelet count decreased: the LLN is needed to grade 100 10*9/L (to decide grade 1 \"<LLN - 75.0 x 10e9 /L\")"
    );
    assert_eq!(
        error(
            "Alanine aminotransferase increased",
            "100",
            Some("U/L"),
            References::default()
        ),
        "Alanine aminotransferase increased: the ULN is needed to grade 100 U/L (CTCAE grades Alanine aminotransferase increased by multiples of the ULN)"
    );
    assert_eq!(
        error("Diarrhea", "8", Some("/d"), References::default()),
        "Diarrhea: the baseline is needed to grade 8 /d (CTCAE grades Diarrhea by the increase over baseline)"
    );
    assert_eq!(
        error("Hypertension", "165", Some("mm[Hg]"), References::default()),
        "Hypertension: cannot grade 165 mm[Hg]: expected a blood pressure such as 165/95 mm[Hg]"
    );
    let unknown = grade(
        "Platelets low",
        &Reading::parse("1", Some("10*9/L")).unwrap(),
        &References::default(),
    );
    assert_eq!(
        unknown,
        Err(GradeError::UnknownTerm {
            query: "Platelets low".to_owned()
        })
    );
    assert_eq!(
        Reading::parse("45000", None).unwrap_err().to_string(),
        "value \"45000\" has no unit: a measured value needs a UCUM unit (e.g. 10*9/L, mm[Hg])"
    );
    assert!(
        Reading::parse("45000", Some("per microlitre"))
            .unwrap_err()
            .to_string()
            .starts_with("unit \"per microlitre\" is not a valid UCUM unit")
    );
}

#[test]
fn a_platelet_count_below_75_needs_no_lln() {
    check(
        "Platelet count decreased",
        "60",
        "10*9/L",
        References::default(),
        2,
    );
}

#[test]
fn transaminases_without_baseline_say_they_assumed_it_normal() {
    let graded = graded(
        "Alanine aminotransferase increased",
        "130",
        "U/L",
        &References {
            uln: quantity("40 U/L"),
            ..References::default()
        },
    );
    assert_eq!(graded.grade, 2);
    assert!(graded.notes[0].starts_with("no baseline given"));
}

proptest! {
    /// The same count in 10*9/L and in /uL grades the same.
    #[test]
    fn a_count_grades_the_same_in_any_unit(giga_per_litre in 0.0f64..400.0) {
        let references = References { lln: quantity("150 10*9/L"), ..References::default() };
        let si = graded("Platelet count decreased", &giga_per_litre.to_string(), "10*9/L", &references);
        let per_microlitre = graded(
            "Platelet count decreased",
            &(giga_per_litre * 1000.0).to_string(),
            "/uL",
            &references,
        );
        prop_assert_eq!(si.grade, per_microlitre.grade);
    }

    /// A lower count never grades lower; a higher ALT never grades lower.
    #[test]
    fn grades_are_monotone(a in 0.0f64..400.0, b in 0.0f64..400.0) {
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        let lln = References { lln: quantity("150 10*9/L"), ..References::default() };
        let grade_of = |x: f64| graded("Platelet count decreased", &x.to_string(), "10*9/L", &lln).grade;
        prop_assert!(grade_of(low) >= grade_of(high));
        let uln = References { uln: quantity("10 U/L"), ..References::default() };
        let alt = |x: f64| graded("Alanine aminotransferase increased", &x.to_string(), "U/L", &uln).grade;
        prop_assert!(alt(low) <= alt(high));
    }
}
