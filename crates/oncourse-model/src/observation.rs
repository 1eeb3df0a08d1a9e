//! Laboratory and vital-sign observations.

use serde::{Deserialize, Serialize};

use crate::quantity::Quantity;

/// One measured observation, dated by its fact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// Name as written, e.g. "platelets".
    pub name: String,
    /// LOINC code, where known (e.g. `777-3` platelets in blood by automated count).
    pub loinc: Option<String>,
    /// The measured value with its UCUM unit.
    pub value: Quantity,
    /// Reference range lower limit, same unit as the value.
    pub reference_low: Option<Quantity>,
    /// Reference range upper limit, same unit as the value.
    pub reference_high: Option<Quantity>,
}
