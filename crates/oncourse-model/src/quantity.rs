//! Measured values with explicit UCUM units.
//!
//! A [`Quantity`] cannot exist without a unit. Units are UCUM case-sensitive codes
//! (<https://ucum.org/ucum>); the handful this crate converts between (lengths, absorbed dose,
//! mass, time, volume) are listed in [`KNOWN_UNITS`] with their exact UCUM factors. Any other
//! syntactically plausible UCUM code (for example `10*9/L` for a platelet count) is kept as
//! written and compared only by identity.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What a quantity measures, for the units this crate knows how to convert.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Length; canonical unit `mm`.
    Length,
    /// Absorbed radiation dose; canonical unit `Gy`.
    AbsorbedDose,
    /// Mass (drug doses); canonical unit `mg`.
    Mass,
    /// Duration; canonical unit `d`.
    Time,
    /// Volume; canonical unit `mL`.
    Volume,
    /// CT radiodensity; canonical unit `[hnsf'U]` (Hounsfield unit).
    Radiodensity,
}

impl Dimension {
    /// The canonical UCUM unit values of this dimension are converted to.
    pub fn canonical_unit(self) -> &'static str {
        match self {
            Dimension::Length => "mm",
            Dimension::AbsorbedDose => "Gy",
            Dimension::Mass => "mg",
            Dimension::Time => "d",
            Dimension::Volume => "mL",
            Dimension::Radiodensity => "[hnsf'U]",
        }
    }

    /// A short human name used in error messages.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Length => "length",
            Dimension::AbsorbedDose => "absorbed dose",
            Dimension::Mass => "mass",
            Dimension::Time => "duration",
            Dimension::Volume => "volume",
            Dimension::Radiodensity => "radiodensity",
        }
    }
}

/// Units this crate converts, with their dimension and the factor to the canonical unit.
///
/// Factors are the UCUM definitions: prefixes are exact powers of ten, `a` (Julian year) is
/// 365.25 d, `wk` is 7 d, `mo` (mean Julian month) is a/12, `cm3` equals `mL`.
pub const KNOWN_UNITS: &[(&str, Dimension, f64)] = &[
    ("um", Dimension::Length, 0.001),
    ("mm", Dimension::Length, 1.0),
    ("cm", Dimension::Length, 10.0),
    ("m", Dimension::Length, 1000.0),
    ("mGy", Dimension::AbsorbedDose, 0.001),
    ("cGy", Dimension::AbsorbedDose, 0.01),
    ("Gy", Dimension::AbsorbedDose, 1.0),
    ("ug", Dimension::Mass, 0.001),
    ("mg", Dimension::Mass, 1.0),
    ("g", Dimension::Mass, 1000.0),
    ("h", Dimension::Time, 1.0 / 24.0),
    ("d", Dimension::Time, 1.0),
    ("wk", Dimension::Time, 7.0),
    ("mo", Dimension::Time, 365.25 / 12.0),
    ("a", Dimension::Time, 365.25),
    ("uL", Dimension::Volume, 0.001),
    ("mL", Dimension::Volume, 1.0),
    ("cm3", Dimension::Volume, 1.0),
    ("L", Dimension::Volume, 1000.0),
    ("[hnsf'U]", Dimension::Radiodensity, 1.0),
];

/// Why a quantity could not be built or converted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QuantityError {
    /// The value is missing its unit.
    #[error("expected a value with a unit such as \"12 mg\", got {0:?}")]
    MissingUnit(String),
    /// The number could not be read.
    #[error("expected a number followed by a unit such as \"12 mg\", got {0:?}")]
    NotANumber(String),
    /// The number is NaN or infinite.
    #[error("expected a finite number, got {0}")]
    NotFinite(f64),
    /// The unit contains characters UCUM does not use.
    #[error("expected a UCUM unit, got {0:?}")]
    BadUnit(String),
    /// The unit is not one of the units of the requested dimension.
    #[error("expected a unit of {} ({}), got {unit:?}", dimension.name(), units_of(*dimension).join(", "))]
    WrongDimension {
        /// The unit given.
        unit: String,
        /// The dimension required.
        dimension: Dimension,
    },
}

/// The known UCUM units of one dimension, in table order.
pub fn units_of(dimension: Dimension) -> Vec<&'static str> {
    KNOWN_UNITS
        .iter()
        .filter(|(_, d, _)| *d == dimension)
        .map(|(u, _, _)| *u)
        .collect()
}

/// A measured value with its UCUM unit. Deserialising goes through [`Quantity::new`], so a
/// quantity without a unit cannot enter through serde either.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawQuantity")]
pub struct Quantity {
    value: f64,
    unit: String,
}

/// The serde form of a [`Quantity`], before validation.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuantity {
    value: f64,
    unit: String,
}

impl TryFrom<RawQuantity> for Quantity {
    type Error = QuantityError;

    fn try_from(raw: RawQuantity) -> Result<Self, QuantityError> {
        Quantity::new(raw.value, &raw.unit)
    }
}

impl Quantity {
    /// Builds a quantity; the value must be finite and the unit a plausible UCUM code.
    pub fn new(value: f64, unit: &str) -> Result<Self, QuantityError> {
        if !value.is_finite() {
            return Err(QuantityError::NotFinite(value));
        }
        if unit.is_empty() {
            return Err(QuantityError::MissingUnit(value.to_string()));
        }
        if !is_ucum_syntax(unit) {
            return Err(QuantityError::BadUnit(unit.to_string()));
        }
        Ok(Quantity {
            value,
            unit: unit.to_string(),
        })
    }

    /// Parses the case-file form `"<number> <unit>"`, e.g. `"12 mg"` or `"48 10*9/L"`.
    pub fn parse(text: &str) -> Result<Self, QuantityError> {
        let text = text.trim();
        let Some((number, unit)) = text.split_once(char::is_whitespace) else {
            return if text.parse::<f64>().is_ok() {
                Err(QuantityError::MissingUnit(text.to_string()))
            } else {
                Err(QuantityError::NotANumber(text.to_string()))
            };
        };
        let value: f64 = number
            .parse()
            .map_err(|_| QuantityError::NotANumber(text.to_string()))?;
        Quantity::new(value, unit.trim())
    }

    /// The number as written.
    pub fn value(&self) -> f64 {
        self.value
    }

    /// The UCUM unit as written.
    pub fn unit(&self) -> &str {
        &self.unit
    }

    /// The dimension of the unit, if this crate knows it.
    pub fn dimension(&self) -> Option<Dimension> {
        known_unit(&self.unit).map(|(d, _)| d)
    }

    /// Checks that the unit belongs to `dimension`.
    pub fn expect_dimension(self, dimension: Dimension) -> Result<Self, QuantityError> {
        match known_unit(&self.unit) {
            Some((d, _)) if d == dimension => Ok(self),
            _ => Err(QuantityError::WrongDimension {
                unit: self.unit,
                dimension,
            }),
        }
    }

    /// The value converted to the canonical unit of `dimension` (mm, Gy, mg, d, mL, HU).
    pub fn canonical(&self, dimension: Dimension) -> Result<f64, QuantityError> {
        match known_unit(&self.unit) {
            Some((d, factor)) if d == dimension => Ok(self.value * factor),
            _ => Err(QuantityError::WrongDimension {
                unit: self.unit.clone(),
                dimension,
            }),
        }
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.value, self.unit)
    }
}

fn known_unit(unit: &str) -> Option<(Dimension, f64)> {
    KNOWN_UNITS
        .iter()
        .find(|(u, _, _)| *u == unit)
        .map(|(_, d, f)| (*d, *f))
}

/// UCUM codes use printable ASCII without spaces (UCUM §1–§9); this rejects obvious mistakes
/// such as embedded spaces or non-ASCII symbols (`µg`, `×10⁹/L`) without a full UCUM grammar.
fn is_ucum_syntax(unit: &str) -> bool {
    unit.bytes().all(|b| b.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_canonical(text: &str, dimension: Dimension, expected: f64) {
        let q = Quantity::parse(text).unwrap();
        assert_eq!(q.canonical(dimension).unwrap(), expected, "{text}");
    }

    // Conversion factors are the UCUM definitions (UCUM 2.1, tables 1 and 4).
    #[test]
    fn converts_known_units_by_ucum_factors() {
        check_canonical("400 cGy", Dimension::AbsorbedDose, 4.0);
        check_canonical("8 cm", Dimension::Length, 80.0);
        check_canonical("12 mg", Dimension::Mass, 12.0);
        check_canonical("2 wk", Dimension::Time, 14.0);
        check_canonical("1 a", Dimension::Time, 365.25);
        check_canonical("3 cm3", Dimension::Volume, 3.0);
    }

    #[test]
    fn a_number_without_unit_is_an_error() {
        assert_eq!(
            Quantity::parse("12"),
            Err(QuantityError::MissingUnit("12".into()))
        );
        assert_eq!(
            Quantity::parse("twelve mg"),
            Err(QuantityError::NotANumber("twelve mg".into()))
        );
        assert_eq!(
            Quantity::parse("12 µg"),
            Err(QuantityError::BadUnit("µg".into()))
        );
    }

    #[test]
    fn serde_validates_like_new() {
        let read = |json: &str| serde_json::from_str::<Quantity>(json).map_err(|e| e.to_string());
        assert_eq!(
            read(r#"{"value": 12, "unit": "mg"}"#),
            Ok(Quantity::new(12.0, "mg").unwrap())
        );
        assert_eq!(
            read(r#"{"value": 12, "unit": ""}"#),
            Err("expected a value with a unit such as \"12 mg\", got \"12\"".into())
        );
        assert!(read(r#"{"value": 12}"#).is_err());
        assert!(read(r#"{"value": 12, "unit": "mg", "extra": 1}"#).is_err());
    }

    #[test]
    fn wrong_dimension_names_the_expected_units() {
        let err = Quantity::parse("12 mg")
            .unwrap()
            .expect_dimension(Dimension::Length)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected a unit of length (um, mm, cm, m), got \"mg\""
        );
    }
}
