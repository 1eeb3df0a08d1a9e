//! Every row of the embedded reference data names its source and agrees with the CTCAE text.

use oncourse_tox::catalogue;
use oncourse_tox::criteria::{Bound, Measure, criteria};
use oncourse_tox::units::{quantity_kind, quantity_kinds};

#[test]
fn every_criterion_cites_ctcae_and_quotes_its_grade_text() {
    assert_eq!(criteria().len(), 19);
    for criterion in criteria() {
        let term = catalogue()
            .by_name(&criterion.term)
            .unwrap_or_else(|| panic!("{} is not a CTCAE term", criterion.term));
        assert_eq!(term.name, criterion.term);
        assert_eq!(criterion.source, format!("CTCAE v5.0, {}", term.name));
        assert!(
            quantity_kind(&criterion.quantity).is_some(),
            "{}",
            criterion.quantity
        );
        for scale in &criterion.scale {
            assert!(!scale.bands.is_empty());
            if let Some(unit) = &scale.unit {
                ucum::validate(unit).unwrap();
            }
            for band in &scale.bands {
                let grade_text = term.grade_text(band.grade).unwrap_or_default();
                assert!(
                    grade_text.contains(&band.text),
                    "{} grade {}: {:?} is not in {:?}",
                    term.name,
                    band.grade,
                    band.text,
                    grade_text
                );
                let bounds = [band.above, band.at_least, band.below, band.at_most];
                assert!(
                    bounds.iter().any(Option::is_some),
                    "{}: unbounded band",
                    term.name
                );
                let names_limit = bounds
                    .iter()
                    .flatten()
                    .any(|bound| matches!(bound, Bound::Limit(_)));
                assert!(!names_limit || scale.measure == Measure::Value);
            }
        }
    }
}

#[test]
fn every_quantity_has_a_source_and_a_valid_unit() {
    for kind in quantity_kinds() {
        assert!(!kind.source.trim().is_empty(), "{}", kind.id);
        ucum::validate(&kind.unit_si).unwrap();
    }
}

/// A number bound and whether it is inclusive.
fn numeric(bound: Option<Bound>, inclusive: bool) -> Option<(f64, bool)> {
    match bound? {
        Bound::Number(number) => Some((number, inclusive)),
        Bound::Limit(_) => None,
    }
}

/// Consecutive grades of a scale share a boundary, inclusive on exactly one side, so no value
/// falls between two grades (a gap would silently grade 0). Dipstick readings are ordinal and
/// exempt.
#[test]
fn consecutive_bands_tile_the_scale_without_gaps_or_overlaps() {
    for criterion in criteria() {
        for scale in criterion
            .scale
            .iter()
            .filter(|scale| scale.measure != Measure::Dipstick)
        {
            let mut bands: Vec<_> = scale.bands.iter().collect();
            bands.sort_by_key(|band| band.grade);
            for pair in bands.windows(2) {
                let (low, high) = (pair[0], pair[1]);
                let lower_of = |band: &oncourse_tox::criteria::Band| {
                    numeric(band.above, false).or(numeric(band.at_least, true))
                };
                let upper_of = |band: &oncourse_tox::criteria::Band| {
                    numeric(band.below, false).or(numeric(band.at_most, true))
                };
                let meets = |a: Option<(f64, bool)>, b: Option<(f64, bool)>| matches!((a, b), (Some((x, i)), Some((y, j))) if x == y && i != j);
                assert!(
                    meets(lower_of(low), upper_of(high)) || meets(upper_of(low), lower_of(high)),
                    "{} ({:?}): grades {} and {} do not meet",
                    criterion.term,
                    scale.measure,
                    low.grade,
                    high.grade
                );
            }
        }
    }
}

#[test]
fn every_loinc_row_has_a_source_and_a_numerically_graded_term() {
    use oncourse_tox::criteria::criterion_for;
    use oncourse_tox::loinc::loinc_terms;
    let rows = loinc_terms();
    assert_eq!(rows.len(), 23);
    for (i, row) in rows.iter().enumerate() {
        assert!(!row.source.trim().is_empty(), "{}: no source", row.loinc);
        assert!(!row.name.trim().is_empty(), "{}: no name", row.loinc);
        let term = catalogue()
            .by_name(&row.term)
            .unwrap_or_else(|| panic!("{}: {:?} is not a CTCAE term", row.loinc, row.term));
        assert_eq!(
            term.name, row.term,
            "{}: spell the term as CTCAE does",
            row.loinc
        );
        assert!(
            criterion_for(&row.term).is_some(),
            "{}: {} is not graded numerically",
            row.loinc,
            row.term
        );
        assert!(
            rows[..i].iter().all(|earlier| earlier.loinc != row.loinc),
            "{} twice",
            row.loinc
        );
    }
}
