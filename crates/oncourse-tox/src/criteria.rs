//! The numeric grading criteria of CTCAE v5.0 as data (`data/ctcae_numeric.toml`): for each
//! term graded automatically, the quantity it measures and one or more scales of grade bands.
//!
//! The file format is documented at its top; this module only gives it types and checks it.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

const CTCAE_NUMERIC_TOML: &str = include_str!("../data/ctcae_numeric.toml");

/// What a scale compares against its bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// The value itself, in the scale's unit.
    Value,
    /// The value divided by the upper limit of normal.
    MultipleOfUln,
    /// The value divided by the patient's baseline.
    MultipleOfBaseline,
    /// The value minus the patient's baseline, in the scale's unit.
    IncreaseFromBaseline,
    /// 100 · (baseline − value) / baseline.
    PercentDecreaseFromBaseline,
    /// The systolic component of a blood pressure, in the scale's unit.
    Systolic,
    /// The diastolic component of a blood pressure, in the scale's unit.
    Diastolic,
    /// A urine dipstick reading as an ordinal (negative 0, trace 0.5, 1+ … 4+ = 1 … 4).
    Dipstick,
}

impl Measure {
    /// The measure's name as written in `ctcae_numeric.toml` (`multiple_of_uln`).
    pub fn name(self) -> &'static str {
        match self {
            Measure::Value => "value",
            Measure::MultipleOfUln => "multiple_of_uln",
            Measure::MultipleOfBaseline => "multiple_of_baseline",
            Measure::IncreaseFromBaseline => "increase_from_baseline",
            Measure::PercentDecreaseFromBaseline => "percent_decrease_from_baseline",
            Measure::Systolic => "systolic",
            Measure::Diastolic => "diastolic",
            Measure::Dipstick => "dipstick",
        }
    }
}

/// When a scale applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Applicability {
    /// Always.
    Always,
    /// When no baseline is known, or the baseline is at most the ULN.
    BaselineNormal,
    /// When the baseline is above the ULN.
    BaselineAbnormal,
    /// When a baseline is known.
    BaselineGiven,
}

/// A patient reference limit a band bound may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum ReferenceLimit {
    /// Lower limit of normal.
    #[serde(rename = "LLN")]
    Lln,
    /// Upper limit of normal.
    #[serde(rename = "ULN")]
    Uln,
}

/// One bound of a band: a number in the scale's unit, or a reference limit.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Bound {
    /// A fixed number in the scale's unit (or a plain ratio / percentage).
    Number(f64),
    /// The patient's LLN or ULN.
    Limit(ReferenceLimit),
}

/// One grade's interval on a scale, with the CTCAE text it encodes.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// The grade this band assigns.
    pub grade: u8,
    /// The CTCAE text of the band, verbatim.
    pub text: String,
    /// Exclusive lower bound.
    pub above: Option<Bound>,
    /// Inclusive lower bound.
    pub at_least: Option<Bound>,
    /// Exclusive upper bound.
    pub below: Option<Bound>,
    /// Inclusive upper bound.
    pub at_most: Option<Bound>,
    /// How an integer range of CTCAE was read, where it needed reading.
    pub interpretation: Option<String>,
}

/// A set of bands on one measure.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// What is compared.
    pub measure: Measure,
    /// The unit of the bounds, for measures that carry one.
    pub unit: Option<String>,
    /// When the scale applies.
    pub when: Applicability,
    /// The grade bands.
    pub bands: Vec<Band>,
}

/// The numeric criteria of one CTCAE term.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// The CTCAE term, spelled as in the catalogue.
    pub term: String,
    /// The citation, `CTCAE v5.0, <term>`.
    pub source: String,
    /// The quantity kind measured (an id of `data/quantities.toml`).
    pub quantity: String,
    /// The scales; the grade is the highest any applicable scale reaches.
    pub scale: Vec<Scale>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CriteriaFile {
    criterion: Vec<Criterion>,
}

/// All numeric criteria, parsed once from the embedded `data/ctcae_numeric.toml`.
pub fn criteria() -> &'static [Criterion] {
    static CRITERIA: OnceLock<Vec<Criterion>> = OnceLock::new();
    CRITERIA.get_or_init(|| {
        // Embedded data, checked by the tests: failing here is a build defect.
        toml::from_str::<CriteriaFile>(CTCAE_NUMERIC_TOML)
            .expect("the embedded ctcae_numeric.toml parses")
            .criterion
    })
}

/// The numeric criterion of the term named `term` (case-insensitive), if CTCAE grades it
/// numerically.
pub fn criterion_for(term: &str) -> Option<&'static Criterion> {
    criteria()
        .iter()
        .find(|criterion| criterion.term.eq_ignore_ascii_case(term.trim()))
}
