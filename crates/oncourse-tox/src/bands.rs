//! Where each CTCAE grade begins and ends on a laboratory test's own scale, for charts of the
//! test's values in the unit they were reported in (the dashboard's and the case report's lab
//! trends). The bands come from the same criteria that grade the values (`criteria`), so a
//! point drawn inside a band has that band's grade.

use crate::criteria::{Applicability, Band, Bound, Measure, ReferenceLimit, Scale, criterion_for};
use crate::units::{UnitError, convert, directly_convertible, quantity_kind};

/// One grade's interval in the chart's unit; `None` is an open end.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GradeInterval {
    /// The CTCAE grade.
    pub grade: u8,
    /// The lower bound (exclusive or inclusive as CTCAE says; a chart need not tell).
    pub low: Option<f64>,
    /// The upper bound.
    pub high: Option<f64>,
}

/// The grade bands of `term` for values in `unit`, given the patient's reference limits in
/// `unit`. Only scales that compare the value itself (or its multiple of the ULN) and apply
/// without a baseline (`always`, `baseline_normal`) can be drawn on the value's axis; a band
/// whose bound needs a missing limit is left out. Empty when the term is not graded
/// numerically; an error when `unit` cannot express the term's quantity.
pub fn value_bands(
    term: &str,
    unit: &str,
    lln: Option<f64>,
    uln: Option<f64>,
) -> Result<Vec<GradeInterval>, UnitError> {
    let Some(criterion) = criterion_for(term) else {
        return Ok(Vec::new());
    };
    let Some(kind) = quantity_kind(&criterion.quantity) else {
        return Ok(Vec::new());
    };
    // Where CTCAE states the bands in two units (anaemia in g/L and mmol/L), the one the chart's
    // unit converts to directly, as grading chooses.
    let value_scales: Vec<&Scale> = criterion
        .scale
        .iter()
        .filter(|s| drawable(s) && s.measure == Measure::Value)
        .collect();
    let preferred = value_scales
        .iter()
        .copied()
        .find(|s| {
            s.unit
                .as_deref()
                .is_some_and(|u| directly_convertible(unit, u))
        })
        .or(value_scales.first().copied());
    let chosen = criterion.scale.iter().filter(|s| {
        drawable(s)
            && (s.measure != Measure::Value || preferred.is_some_and(|p| std::ptr::eq(*s, p)))
    });
    let mut intervals = Vec::new();
    for scale in chosen {
        for band in &scale.bands {
            let bound = |bound: Option<Bound>| -> Result<Option<Option<f64>>, UnitError> {
                let Some(bound) = bound else {
                    return Ok(Some(None));
                };
                let value = match (scale.measure, bound) {
                    (_, Bound::Limit(ReferenceLimit::Lln)) => lln,
                    (_, Bound::Limit(ReferenceLimit::Uln)) => uln,
                    (Measure::MultipleOfUln, Bound::Number(times)) => uln.map(|u| times * u),
                    (_, Bound::Number(x)) => match &scale.unit {
                        Some(scale_unit) => Some(convert(kind, x, scale_unit, unit)?),
                        None => Some(x),
                    },
                };
                Ok(value.map(Some))
            };
            let (Some(low), Some(high)) = (bound(lower(band))?, bound(upper(band))?) else {
                continue;
            };
            intervals.push(GradeInterval {
                grade: band.grade,
                low,
                high,
            });
        }
    }
    Ok(intervals)
}

fn drawable(scale: &Scale) -> bool {
    matches!(scale.measure, Measure::Value | Measure::MultipleOfUln)
        && matches!(
            scale.when,
            Applicability::Always | Applicability::BaselineNormal
        )
}

fn lower(band: &Band) -> Option<Bound> {
    band.above.or(band.at_least)
}

fn upper(band: &Band) -> Option<Bound> {
    band.below.or(band.at_most)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(grade: u8, low: Option<f64>, high: Option<f64>) -> GradeInterval {
        GradeInterval { grade, low, high }
    }

    fn close(actual: &[GradeInterval], expected: &[GradeInterval]) {
        assert_eq!(actual.len(), expected.len(), "{actual:?}");
        for (a, e) in actual.iter().zip(expected) {
            assert_eq!(a.grade, e.grade);
            for (x, y) in [(a.low, e.low), (a.high, e.high)] {
                match (x, y) {
                    (Some(x), Some(y)) => {
                        assert!((x - y).abs() < 1e-9 * y.abs().max(1.0), "{a:?} vs {e:?}")
                    }
                    (x, y) => assert_eq!(x, y, "{a:?} vs {e:?}"),
                }
            }
        }
    }

    #[test]
    fn platelet_bands_in_the_reported_unit() {
        // CTCAE v5.0, Platelet count decreased: G1 <LLN - 75.0 x 10e9/L, G2 <75.0 - 50.0,
        // G3 <50.0 - 25.0, G4 <25.0 x 10e9/L; here with an LLN of 125 x 10e9/L, and the same
        // in /uL (1 x 10e9/L = 1000 /uL).
        let expected = [
            band(1, Some(75.0), Some(125.0)),
            band(2, Some(50.0), Some(75.0)),
            band(3, Some(25.0), Some(50.0)),
            band(4, None, Some(25.0)),
        ];
        close(
            &value_bands(
                "Platelet count decreased",
                "10*9/L",
                Some(125.0),
                Some(350.0),
            )
            .unwrap(),
            &expected,
        );
        let per_microlitre: Vec<GradeInterval> = expected
            .iter()
            .map(|b| {
                band(
                    b.grade,
                    b.low.map(|x| x * 1000.0),
                    b.high.map(|x| x * 1000.0),
                )
            })
            .collect();
        close(
            &value_bands(
                "Platelet count decreased",
                "/uL",
                Some(125_000.0),
                Some(350_000.0),
            )
            .unwrap(),
            &per_microlitre,
        );
    }

    #[test]
    fn anaemia_bands_convert_g_per_dl_to_g_per_l() {
        // CTCAE v5.0, Anemia: G1 <LLN - 10.0 g/dL, G2 <10.0 - 8.0 g/dL, G3 <8.0 g/dL.
        let bands = value_bands("Anemia", "g/L", Some(115.0), Some(150.0)).unwrap();
        close(
            &bands,
            &[
                band(1, Some(100.0), Some(115.0)),
                band(2, Some(80.0), Some(100.0)),
                band(3, None, Some(80.0)),
            ],
        );
    }

    #[test]
    fn anaemia_in_a_substance_unit_uses_the_mmol_per_l_bands() {
        // CTCAE v5.0, Anemia in mmol/L: G1 <LLN - 6.2, G2 <6.2 - 4.9, G3 <4.9 mmol/L.
        let bands = value_bands("Anemia", "mmol/L", Some(7.1), Some(9.3)).unwrap();
        close(
            &bands,
            &[
                band(1, Some(6.2), Some(7.1)),
                band(2, Some(4.9), Some(6.2)),
                band(3, None, Some(4.9)),
            ],
        );
    }

    #[test]
    fn multiples_of_the_uln_and_missing_limits() {
        // CTCAE v5.0, ALT increased (baseline normal): G1 >ULN - 3.0 x ULN, G2 >3.0 - 5.0 x ULN,
        // G3 >5.0 - 20.0 x ULN, G4 >20.0 x ULN.
        let bands = value_bands(
            "Alanine aminotransferase increased",
            "U/L",
            None,
            Some(40.0),
        )
        .unwrap();
        close(
            &bands,
            &[
                band(1, Some(40.0), Some(120.0)),
                band(2, Some(120.0), Some(200.0)),
                band(3, Some(200.0), Some(800.0)),
                band(4, Some(800.0), None),
            ],
        );
        // Without the ULN nothing can be placed; a term graded clinically has no bands.
        assert!(
            value_bands("Alanine aminotransferase increased", "U/L", None, None)
                .unwrap()
                .is_empty()
        );
        assert!(value_bands("Fatigue", "1", None, None).unwrap().is_empty());
        // A unit that cannot express platelets is an error, not a guess.
        assert!(value_bands("Platelet count decreased", "g/L", Some(1.0), None).is_err());
    }
}
