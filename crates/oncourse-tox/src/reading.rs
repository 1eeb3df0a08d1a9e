//! What a clinician measured, as handed to grading: a quantity with its unit, a blood pressure
//! (systolic/diastolic with one unit), or a urine dipstick reading.

use serde::Serialize;
use thiserror::Error;

use crate::units::{Quantity, UnitError};

/// A measured value to grade.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Reading {
    /// A single value with its UCUM unit.
    Quantity(Quantity),
    /// A blood pressure.
    BloodPressure(BloodPressure),
    /// A urine dipstick reading (no unit: an ordinal).
    Dipstick(DipstickReading),
}

/// A systolic/diastolic blood pressure with its UCUM unit (normally `mm[Hg]`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BloodPressure {
    /// Systolic pressure.
    pub systolic: f64,
    /// Diastolic pressure.
    pub diastolic: f64,
    /// UCUM unit of both.
    pub unit: String,
}

/// A semi-quantitative urine dipstick reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DipstickReading {
    /// Negative.
    Negative,
    /// Trace.
    Trace,
    /// 1+ to 4+ (the number of plusses).
    Plus(u8),
}

impl DipstickReading {
    /// The ordinal compared with CTCAE's bands: negative 0, trace 0.5, n+ = n.
    pub fn ordinal(self) -> f64 {
        match self {
            DipstickReading::Negative => 0.0,
            DipstickReading::Trace => 0.5,
            DipstickReading::Plus(plusses) => f64::from(plusses),
        }
    }

    /// The reading as written on a report (`negative`, `trace`, `2+`).
    pub fn label(self) -> String {
        match self {
            DipstickReading::Negative => "negative".to_owned(),
            DipstickReading::Trace => "trace".to_owned(),
            DipstickReading::Plus(plusses) => format!("{plusses}+"),
        }
    }
}

/// Why a value/unit pair is not a reading.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ReadingError {
    /// A number came without a unit.
    #[error(
        "value {value:?} has no unit: a measured value needs a UCUM unit (e.g. 10*9/L, mm[Hg])"
    )]
    MissingUnit {
        /// The value as given.
        value: String,
    },
    /// The value is neither a number, a blood pressure nor a dipstick reading.
    #[error(
        "value {value:?}: expected a number, a blood pressure such as 165/95, or a dipstick reading (negative, trace, 1+ to 4+)"
    )]
    Unreadable {
        /// The value as given.
        value: String,
    },
    /// The unit is not usable.
    #[error(transparent)]
    Unit(#[from] UnitError),
}

impl Reading {
    /// Reads `value` (`45000`, `165/95`, `2+`, `trace`) with its `unit`. A number or a blood
    /// pressure without a unit is an error; a dipstick reading takes none.
    pub fn parse(value: &str, unit: Option<&str>) -> Result<Reading, ReadingError> {
        let trimmed = value.trim();
        if let Some(dipstick) = parse_dipstick(trimmed) {
            return Ok(Reading::Dipstick(dipstick));
        }
        let unreadable = || ReadingError::Unreadable {
            value: value.to_owned(),
        };
        let require_unit = || {
            unit.map(str::trim)
                .filter(|unit| !unit.is_empty())
                .ok_or_else(|| ReadingError::MissingUnit {
                    value: value.to_owned(),
                })
        };
        if let Some((systolic, diastolic)) = trimmed.split_once('/') {
            let systolic: f64 = systolic.trim().parse().map_err(|_| unreadable())?;
            let diastolic: f64 = diastolic.trim().parse().map_err(|_| unreadable())?;
            let unit = require_unit()?;
            // Quantity::new validates both the unit and finiteness.
            Quantity::new(systolic, unit)?;
            Quantity::new(diastolic, unit)?;
            return Ok(Reading::BloodPressure(BloodPressure {
                systolic,
                diastolic,
                unit: unit.to_owned(),
            }));
        }
        let number: f64 = trimmed.parse().map_err(|_| unreadable())?;
        Ok(Reading::Quantity(Quantity::new(number, require_unit()?)?))
    }

    /// A short description for error messages.
    pub fn describe(&self) -> String {
        match self {
            Reading::Quantity(quantity) => format!("{} {}", quantity.value, quantity.unit),
            Reading::BloodPressure(pressure) => format!(
                "{}/{} {}",
                pressure.systolic, pressure.diastolic, pressure.unit
            ),
            Reading::Dipstick(dipstick) => format!("dipstick {}", dipstick.label()),
        }
    }
}

fn parse_dipstick(value: &str) -> Option<DipstickReading> {
    match value.to_ascii_lowercase().as_str() {
        "negative" | "neg" => Some(DipstickReading::Negative),
        "trace" => Some(DipstickReading::Trace),
        "1+" => Some(DipstickReading::Plus(1)),
        "2+" => Some(DipstickReading::Plus(2)),
        "3+" => Some(DipstickReading::Plus(3)),
        "4+" => Some(DipstickReading::Plus(4)),
        _ => None,
    }
}
