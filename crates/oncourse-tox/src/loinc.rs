//! The CTCAE v5.0 term each laboratory or vital-sign test is graded under, by LOINC code
//! (`data/loinc_terms.toml`, every row with the LOINC long common name and its source).

use std::sync::OnceLock;

use serde::Deserialize;

const LOINC_TERMS_TOML: &str = include_str!("../data/loinc_terms.toml");

/// One row of the map: a LOINC-coded test and the CTCAE term it is graded under.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoincTerm {
    /// LOINC code, e.g. `777-3`.
    pub loinc: String,
    /// LOINC long common name.
    pub name: String,
    /// CTCAE v5.0 term name.
    pub term: String,
    /// Where the code, its name and the mapping come from.
    pub source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoincTermsFile {
    test: Vec<LoincTerm>,
}

/// Every row of the map, in file order.
pub fn loinc_terms() -> &'static [LoincTerm] {
    static TERMS: OnceLock<Vec<LoincTerm>> = OnceLock::new();
    TERMS.get_or_init(|| {
        toml::from_str::<LoincTermsFile>(LOINC_TERMS_TOML)
            .expect("data/loinc_terms.toml is valid (checked by the tests)")
            .test
    })
}

/// The row of a LOINC code, if the test is graded automatically.
pub fn term_for_loinc(code: &str) -> Option<&'static LoincTerm> {
    loinc_terms().iter().find(|row| row.loinc == code.trim())
}
