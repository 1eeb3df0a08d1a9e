//! Imaging assessments with lesion measurements.

use serde::{Deserialize, Serialize};

use crate::quantity::Quantity;

/// One measured lesion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lesion {
    /// Lesion name, stable across assessments (e.g. "primary").
    pub name: String,
    /// Measured diameters, longest first (lengths).
    pub diameters: Vec<Quantity>,
    /// Mean density (radiodensity in HU), when measured on CT.
    pub density: Option<Quantity>,
    /// Volume, when measured.
    pub volume: Option<Quantity>,
}

/// An imaging study, dated by its fact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImagingAssessment {
    /// Modality, e.g. "MRI" or "CT".
    pub modality: String,
    /// Measured lesions.
    pub lesions: Vec<Lesion>,
    /// The radiologist's conclusion as written.
    pub conclusion: Option<String>,
}
