//! The UCUM wrapper: published conversion factors, round trips, and units that must not pass
//! for a quantity they cannot express.

use oncourse_tox::UnitError;
use oncourse_tox::units::{convert, quantity_kind};
use proptest::prelude::*;

fn factor(kind: &str, from: &str, to: &str) -> f64 {
    convert(quantity_kind(kind).unwrap(), 1.0, from, to).unwrap()
}

#[test]
fn conversion_factors_match_the_published_ones() {
    // UCUM definitions: 1/uL = 10^6/L = 10^-3 x 10^9/L; 1 mm[Hg] = 133.322 Pa; 1 U = 1 umol/min.
    assert_eq!(factor("cell_count", "/uL", "10*9/L"), 0.001);
    assert_eq!(factor("cell_count", "10*3/uL", "10*9/L"), 1.0);
    assert!((factor("blood_pressure", "mm[Hg]", "kPa") - 0.133322).abs() < 1e-9);
    assert!((factor("enzyme_activity", "U/L", "ukat/L") - 1.0 / 60.0).abs() < 1e-12);
    // Young DS, Ann Intern Med 1987;106:114-129: bilirubin 17.10, creatinine 88.40 umol/L per
    // mg/dL (to the 4 figures printed there).
    assert!((factor("bilirubin", "mg/dL", "umol/L") - 17.10).abs() < 0.005);
    assert!((factor("creatinine", "mg/dL", "umol/L") - 88.40).abs() < 0.005);
    // CTCAE v5.0 Anemia pairs 10.0 g/dL with 6.2 mmol/L (Hb monomer, rounded to 2 figures).
    assert!((factor("haemoglobin", "g/dL", "mmol/L") * 10.0 - 6.2).abs() < 0.01);
    // CTCAE v5.0 Cholesterol high pairs 300 mg/dL with 7.75 mmol/L; Hypertriglyceridemia pairs
    // 150 mg/dL with 1.71 mmol/L (CTCAE's rounding; the molar-mass factor gives 1.69).
    assert!((factor("cholesterol", "mg/dL", "mmol/L") * 300.0 - 7.75).abs() < 0.01);
    assert!((factor("triglycerides", "mg/dL", "mmol/L") * 150.0 - 1.71).abs() < 0.03);
}

#[test]
fn units_that_cannot_express_the_quantity_are_refused() {
    let refused = |kind: &str, unit: &str| {
        matches!(
            convert(
                quantity_kind(kind).unwrap(),
                1.0,
                unit,
                &quantity_kind(kind).unwrap().unit_si
            ),
            Err(UnitError::CannotExpress { .. })
        )
    };
    // UCUM counts mol as a number: a substance unit must still not pass for a cell count, nor a
    // count for a substance.
    assert!(refused("cell_count", "umol/L"));
    assert!(refused("bilirubin", "10*9/L"));
    assert!(refused("cell_count", "g/L"));
    assert!(refused("enzyme_activity", "mmol/L"));
    assert!(refused("qtc_interval", "mm[Hg]"));
    assert!(refused("albumin", "mmol/L"));
}

proptest! {
    /// Converting there and back returns the value (within floating-point rounding).
    #[test]
    fn conversions_round_trip(value in 1e-3f64..1e6) {
        for (kind, a, b) in [
            ("cell_count", "/uL", "10*9/L"),
            ("haemoglobin", "g/dL", "mmol/L"),
            ("bilirubin", "mg/dL", "umol/L"),
            ("creatinine", "umol/L", "mg/dL"),
            ("enzyme_activity", "U/L", "ukat/L"),
            ("body_weight", "[lb_av]", "kg"),
            ("urine_protein_24h", "mg/(24.h)", "g/(24.h)"),
        ] {
            let kind = quantity_kind(kind).unwrap();
            let there = convert(kind, value, a, b).unwrap();
            let back = convert(kind, there, b, a).unwrap();
            prop_assert!((back - value).abs() <= 1e-9 * value, "{} {} -> {} -> {}", value, a, b, back);
        }
    }
}
