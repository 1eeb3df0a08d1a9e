//! UCUM unit handling for the quantities CTCAE grades numerically.
//!
//! Conversions within one dimension (`/uL` → `10*9/L`, `g/dL` → `g/L`, `ukat/L` → `U/L`,
//! `[lb_av]` → `kg`) are delegated to the `ucum-units` crate, a conformance-tested UCUM
//! implementation. Two things it cannot know are ours, from `data/quantities.toml`:
//! - which quantity a unit is allowed to express (UCUM treats `mol` as a pure number, so it would
//!   happily turn `umol/L` into a cell count); a unit that mentions `mol` or `kat` is a substance
//!   unit and never expresses a count, and vice versa;
//! - the molar mass of an analyte, needed between mass and substance concentration
//!   (`mg/dL` ↔ `umol/L` for bilirubin and creatinine, `g/dL` ↔ `mmol/L` for haemoglobin).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use thiserror::Error;

const QUANTITIES_TOML: &str = include_str!("../data/quantities.toml");

/// A measured value with its UCUM unit; a value without a unit cannot be built.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quantity {
    /// The numeric value, finite.
    pub value: f64,
    /// The UCUM unit code (case-sensitive, e.g. `10*9/L`, `mg/dL`, `mm[Hg]`).
    pub unit: String,
}

impl Quantity {
    /// A quantity after checking that `value` is finite and `unit` is a valid UCUM code.
    pub fn new(value: f64, unit: &str) -> Result<Quantity, UnitError> {
        if !value.is_finite() {
            return Err(UnitError::NotFinite {
                value: value.to_string(),
            });
        }
        check_ucum(unit)?;
        Ok(Quantity {
            value,
            unit: unit.to_owned(),
        })
    }
}

/// What went wrong with a unit or a conversion.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum UnitError {
    /// The unit is not valid UCUM.
    #[error("unit {unit:?} is not a valid UCUM unit ({reason})")]
    NotUcum {
        /// The unit as given.
        unit: String,
        /// The parser's explanation.
        reason: String,
    },
    /// The unit is valid UCUM but cannot express the quantity.
    #[error("unit {unit:?} cannot express {quantity} (expected a unit convertible to {unit_si:?})")]
    CannotExpress {
        /// The unit as given.
        unit: String,
        /// The quantity's name.
        quantity: String,
        /// The quantity's SI unit.
        unit_si: String,
    },
    /// The value is not a finite number.
    #[error("expected a finite number, got {value}")]
    NotFinite {
        /// The value as text.
        value: String,
    },
}

/// A kind of measured quantity with its SI unit and, for analytes, its molar mass.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QuantityKind {
    /// Identifier used by the grading criteria (e.g. `cell_count`).
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// The unit values are reported in.
    pub unit_si: String,
    /// Molar mass in g/mol, where mass ↔ substance conversion is allowed.
    pub molar_mass_g_per_mol: Option<f64>,
    /// Where the unit and molar mass come from.
    pub source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuantitiesFile {
    quantity: Vec<QuantityKind>,
}

/// All quantity kinds, parsed once from the embedded `data/quantities.toml`.
pub fn quantity_kinds() -> &'static [QuantityKind] {
    static KINDS: OnceLock<Vec<QuantityKind>> = OnceLock::new();
    KINDS.get_or_init(|| {
        // Embedded data, checked by the tests: failing here is a build defect.
        toml::from_str::<QuantitiesFile>(QUANTITIES_TOML)
            .expect("the embedded quantities.toml parses")
            .quantity
    })
}

/// The quantity kind with identifier `id`.
pub fn quantity_kind(id: &str) -> Option<&'static QuantityKind> {
    quantity_kinds().iter().find(|kind| kind.id == id)
}

fn check_ucum(unit: &str) -> Result<(), UnitError> {
    ucum::validate(unit).map_err(|error| UnitError::NotUcum {
        unit: unit.to_owned(),
        reason: error.to_string(),
    })
}

/// Whether a unit measures amount of substance: one of its atoms is a (prefixed) `mol`,
/// `kat` (mol/s) or `U` (umol/min). UCUM gives `mol` no dimension of its own, so this cannot
/// be asked of `ucum-units`; the atoms are read from the unit code instead.
fn is_substance_unit(unit: &str) -> bool {
    unit.split(['/', '.', '(', ')'])
        .map(|atom| atom.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '+'))
        .any(|atom| {
            atom.ends_with("mol")
                || atom.ends_with("kat")
                || (atom.ends_with('U') && atom.len() <= 2 && !atom.starts_with('['))
        })
}

fn comparable(a: &str, b: &str) -> bool {
    ucum::is_comparable(a, b).unwrap_or(false)
}

/// Whether `from` converts to `to` without a molar mass (same dimension, and both or neither
/// a substance unit).
pub fn directly_convertible(from: &str, to: &str) -> bool {
    comparable(from, to) && is_substance_unit(from) == is_substance_unit(to)
}

/// Converts `value` of `kind` from unit `from` to unit `to`, through the molar mass where the
/// two are mass and substance concentrations.
pub fn convert(kind: &QuantityKind, value: f64, from: &str, to: &str) -> Result<f64, UnitError> {
    check_ucum(from)?;
    let cannot_express = || UnitError::CannotExpress {
        unit: from.to_owned(),
        quantity: kind.name.clone(),
        unit_si: kind.unit_si.clone(),
    };
    // The input unit must be able to express the quantity at all, whatever the target.
    let expresses_kind = directly_convertible(from, &kind.unit_si)
        || (kind.molar_mass_g_per_mol.is_some()
            && (directly_convertible(from, "g/L") || directly_convertible(from, "mol/L")));
    if !expresses_kind {
        return Err(cannot_express());
    }
    let ucum_convert = |value: f64, from: &str, to: &str| {
        ucum::convert(value, from, to).map_err(|_| cannot_express())
    };
    if directly_convertible(from, to) {
        return ucum_convert(value, from, to);
    }
    let molar_mass = kind.molar_mass_g_per_mol.ok_or_else(cannot_express)?;
    if directly_convertible(from, "mol/L") && directly_convertible(to, "g/L") {
        let grams_per_litre = ucum_convert(value, from, "mol/L")? * molar_mass;
        return ucum_convert(grams_per_litre, "g/L", to);
    }
    if directly_convertible(from, "g/L") && directly_convertible(to, "mol/L") {
        let moles_per_litre = ucum_convert(value, from, "g/L")? / molar_mass;
        return ucum_convert(moles_per_litre, "mol/L", to);
    }
    Err(cannot_express())
}

/// Converts a quantity of `kind` to the kind's SI unit.
pub fn to_si(kind: &QuantityKind, quantity: &Quantity) -> Result<f64, UnitError> {
    convert(kind, quantity.value, &quantity.unit, &kind.unit_si)
}
