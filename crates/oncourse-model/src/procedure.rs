//! Procedures: biopsy, debridement, platelet-rich plasma, surgery.

use serde::{Deserialize, Serialize};

/// A procedure performed on its fact's date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Procedure {
    /// Name as written, e.g. "debridement with platelet-rich plasma gel".
    pub name: String,
    /// SNOMED CT concept id, where known.
    pub snomed: Option<String>,
    /// Body site as written.
    pub site: Option<String>,
}
