//! Drug regimens, administrations, holds, dose changes and discontinuation.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::fact::FactId;
use crate::quantity::Quantity;

/// A cyclic regimen of one agent starting on its fact's date, e.g. anlotinib 12 mg once daily,
/// days 1–14 of a 21-day cycle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DrugRegimen {
    /// Agent (INN), e.g. "anlotinib".
    pub agent: String,
    /// Route, e.g. "oral".
    pub route: String,
    /// The dose-level ladder, starting dose first, each step a reduction (mass per dosing day).
    pub dose_levels: Vec<Quantity>,
    /// Dosing days at the start of each cycle (days 1..=days_on).
    pub days_on: u32,
    /// Cycle length in days (days_on ≤ cycle_length_days).
    pub cycle_length_days: u32,
}

/// A single recorded administration (for agents given on a single day, or to document one).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Administration {
    /// The regimen fact id.
    pub regimen: FactId,
    /// Dose given.
    pub dose: Quantity,
}

/// An interruption of a regimen from its fact's date until `resume` (exclusive).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DrugHold {
    /// The regimen fact id.
    pub regimen: FactId,
    /// First day dosing may resume; `None` while the hold is open.
    pub resume: Option<NaiveDate>,
    /// Why the drug was held.
    pub reason: String,
}

/// A change to another level of the regimen's ladder, effective on its fact's date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DoseChange {
    /// The regimen fact id.
    pub regimen: FactId,
    /// The new dose; must be one of the regimen's dose levels.
    pub dose: Quantity,
    /// Why.
    pub reason: String,
}

/// Permanent discontinuation of a regimen on its fact's date (no dose that day or after).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DrugStop {
    /// The regimen fact id.
    pub regimen: FactId,
    /// Why.
    pub reason: String,
}
