//! Laboratory and vital-sign observations.
//!
//! An observation's value is one of three kinds ([`ObservationValue`]): a quantity with its UCUM
//! unit (a platelet count, a 24-hour urine protein), a blood pressure (systolic/diastolic with
//! one unit, e.g. `165/95 mm[Hg]`) or a semi-quantitative dipstick reading (negative, trace, 1+
//! to 4+), which is an ordinal and has no unit.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::quantity::{Quantity, QuantityError};

/// One measured observation, dated by its fact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// Name as written, e.g. "platelets".
    pub name: String,
    /// LOINC code, where known (e.g. `777-3` platelets in blood by automated count).
    pub loinc: Option<String>,
    /// The measured value.
    pub value: ObservationValue,
    /// Reference range lower limit, same unit as the value (quantities only).
    pub reference_low: Option<Quantity>,
    /// Reference range upper limit, same unit as the value (quantities only).
    pub reference_high: Option<Quantity>,
}

/// What an observation measured. In JSON a quantity is `{"value", "unit"}` (as everywhere in
/// the model), a blood pressure `{"systolic", "diastolic", "unit"}` and a dipstick reading
/// `{"dipstick": "3+"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ObservationValue {
    /// A single value with its UCUM unit.
    Quantity(Quantity),
    /// A systolic/diastolic blood pressure.
    BloodPressure(BloodPressure),
    /// A urine dipstick reading.
    Dipstick(DipstickValue),
}

impl ObservationValue {
    /// Parses the case-file form: `"48 10*9/L"`, `"165/95 mm[Hg]"`, or a dipstick reading
    /// (`negative`, `trace`, `1+` to `4+`). A number or a blood pressure without a unit is an
    /// error.
    pub fn parse(text: &str) -> Result<Self, QuantityError> {
        let text = text.trim();
        if let Ok(reading) = Dipstick::parse(text) {
            return Ok(ObservationValue::Dipstick(DipstickValue {
                dipstick: reading,
            }));
        }
        let number = text.split_whitespace().next().unwrap_or_default();
        if let Some((systolic, diastolic)) = number.split_once('/') {
            let pressure = |part: &str| {
                part.parse::<f64>()
                    .map_err(|_| QuantityError::NotANumber(text.to_string()))
            };
            let (systolic, diastolic) = (pressure(systolic)?, pressure(diastolic)?);
            let unit = text[number.len()..].trim();
            if unit.is_empty() {
                return Err(QuantityError::MissingUnit(text.to_string()));
            }
            return BloodPressure::new(systolic, diastolic, unit)
                .map(ObservationValue::BloodPressure);
        }
        Quantity::parse(text).map(ObservationValue::Quantity)
    }

    /// The quantity, when the value is one.
    pub fn as_quantity(&self) -> Option<&Quantity> {
        match self {
            ObservationValue::Quantity(quantity) => Some(quantity),
            ObservationValue::BloodPressure(_) | ObservationValue::Dipstick(_) => None,
        }
    }
}

impl From<Quantity> for ObservationValue {
    fn from(quantity: Quantity) -> Self {
        ObservationValue::Quantity(quantity)
    }
}

impl fmt::Display for ObservationValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ObservationValue::Quantity(quantity) => quantity.fmt(f),
            ObservationValue::BloodPressure(pressure) => pressure.fmt(f),
            ObservationValue::Dipstick(reading) => f.write_str(reading.dipstick.label()),
        }
    }
}

/// A systolic/diastolic blood pressure with the UCUM unit of both (normally `mm[Hg]`).
/// Deserialising goes through [`BloodPressure::new`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawBloodPressure")]
pub struct BloodPressure {
    systolic: f64,
    diastolic: f64,
    unit: String,
}

/// The serde form of a [`BloodPressure`], before validation.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBloodPressure {
    systolic: f64,
    diastolic: f64,
    unit: String,
}

impl TryFrom<RawBloodPressure> for BloodPressure {
    type Error = QuantityError;

    fn try_from(raw: RawBloodPressure) -> Result<Self, QuantityError> {
        BloodPressure::new(raw.systolic, raw.diastolic, &raw.unit)
    }
}

impl BloodPressure {
    /// Builds a blood pressure; both numbers must be finite and the unit a plausible UCUM code
    /// (the rules of [`Quantity::new`]).
    pub fn new(systolic: f64, diastolic: f64, unit: &str) -> Result<Self, QuantityError> {
        Quantity::new(systolic, unit)?;
        Quantity::new(diastolic, unit)?;
        Ok(BloodPressure {
            systolic,
            diastolic,
            unit: unit.to_string(),
        })
    }

    /// Systolic pressure.
    pub fn systolic(&self) -> f64 {
        self.systolic
    }

    /// Diastolic pressure.
    pub fn diastolic(&self) -> f64 {
        self.diastolic
    }

    /// The UCUM unit as written.
    pub fn unit(&self) -> &str {
        &self.unit
    }
}

impl fmt::Display for BloodPressure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{} {}", self.systolic, self.diastolic, self.unit)
    }
}

/// The JSON shape of a dipstick value, `{"dipstick": "3+"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DipstickValue {
    /// The reading.
    pub dipstick: Dipstick,
}

/// A semi-quantitative urine dipstick (test strip) reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Dipstick {
    /// Negative.
    Negative,
    /// Trace.
    Trace,
    /// 1+.
    Plus1,
    /// 2+.
    Plus2,
    /// 3+.
    Plus3,
    /// 4+.
    Plus4,
}

/// The readings with their written forms, in ascending order.
const DIPSTICK_LABELS: [(Dipstick, &str); 6] = [
    (Dipstick::Negative, "negative"),
    (Dipstick::Trace, "trace"),
    (Dipstick::Plus1, "1+"),
    (Dipstick::Plus2, "2+"),
    (Dipstick::Plus3, "3+"),
    (Dipstick::Plus4, "4+"),
];

impl Dipstick {
    /// Reads `negative`, `trace` or `1+` to `4+` (case-insensitive).
    pub fn parse(text: &str) -> Result<Self, String> {
        DIPSTICK_LABELS
            .iter()
            .find(|(_, label)| label.eq_ignore_ascii_case(text.trim()))
            .map(|(reading, _)| *reading)
            .ok_or_else(|| {
                format!("expected a dipstick reading (negative, trace, 1+ to 4+), got {text:?}")
            })
    }

    /// The reading as written (`negative`, `trace`, `2+`).
    pub fn label(self) -> &'static str {
        DIPSTICK_LABELS
            .iter()
            .find(|(reading, _)| *reading == self)
            .map(|(_, label)| *label)
            .expect("every reading has a label")
    }
}

impl TryFrom<String> for Dipstick {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        Dipstick::parse(&text)
    }
}

impl From<Dipstick> for String {
    fn from(reading: Dipstick) -> String {
        reading.label().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_kinds() {
        assert_eq!(
            ObservationValue::parse("165/95 mm[Hg]").unwrap(),
            ObservationValue::BloodPressure(BloodPressure::new(165.0, 95.0, "mm[Hg]").unwrap())
        );
        assert_eq!(
            ObservationValue::parse("3+").unwrap(),
            ObservationValue::Dipstick(DipstickValue {
                dipstick: Dipstick::Plus3
            })
        );
        assert_eq!(
            ObservationValue::parse("48 10*9/L").unwrap(),
            ObservationValue::Quantity(Quantity::new(48.0, "10*9/L").unwrap())
        );
    }

    #[test]
    fn a_blood_pressure_without_unit_is_an_error() {
        assert_eq!(
            ObservationValue::parse("165/95"),
            Err(QuantityError::MissingUnit("165/95".into()))
        );
        assert_eq!(
            ObservationValue::parse("165/high mm[Hg]"),
            Err(QuantityError::NotANumber("165/high mm[Hg]".into()))
        );
        assert_eq!(
            ObservationValue::parse("5+"),
            Err(QuantityError::NotANumber("5+".into()))
        );
    }

    #[test]
    fn json_forms() {
        let cases = [
            (r#"{"value":48.0,"unit":"10*9/L"}"#, "48 10*9/L"),
            (
                r#"{"systolic":165.0,"diastolic":95.0,"unit":"mm[Hg]"}"#,
                "165/95 mm[Hg]",
            ),
            (r#"{"dipstick":"3+"}"#, "3+"),
        ];
        for (json, text) in cases {
            let value = ObservationValue::parse(text).unwrap();
            assert_eq!(serde_json::to_string(&value).unwrap(), json);
            assert_eq!(
                serde_json::from_str::<ObservationValue>(json).unwrap(),
                value
            );
        }
        for bad in [
            r#"{"dipstick":"5+"}"#,
            r#"{"systolic":165.0,"diastolic":95.0,"unit":""}"#,
            r#"{"value":48.0,"unit":""}"#,
        ] {
            assert!(
                serde_json::from_str::<ObservationValue>(bad).is_err(),
                "{bad}"
            );
        }
    }
}
