//! The cancer diagnosis: histology, site, size, depth, grade, immunohistochemistry, N and M.

use serde::{Deserialize, Serialize};

use crate::grade::{FnclccComponents, FnclccGrade};
use crate::quantity::Quantity;
use crate::stage::{MCategory, NCategory};

/// Side of a paired site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Laterality {
    /// Left.
    Left,
    /// Right.
    Right,
    /// Both sides.
    Bilateral,
    /// Midline or not paired.
    Midline,
}

/// Depth relative to the superficial fascia.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Depth {
    /// Above the fascia, not invading it.
    Superficial,
    /// Beneath or invading the fascia.
    Deep,
}

/// Histological grade: either given as such or computed from the FNCLCC components.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GradeSource {
    /// The pathologist's stated grade.
    Given(FnclccGrade),
    /// The FNCLCC components, from which the grade is computed.
    Components(FnclccComponents),
}

impl GradeSource {
    /// The FNCLCC grade, given or computed.
    pub fn grade(&self) -> FnclccGrade {
        match self {
            GradeSource::Given(grade) => *grade,
            GradeSource::Components(components) => components.grade(),
        }
    }
}

/// Result of one immunohistochemical marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IhcResult {
    /// Positive.
    Positive,
    /// Negative.
    Negative,
    /// Focally positive.
    Focal,
    /// Scattered positive cells.
    Scattered,
    /// Weakly positive.
    Weak,
    /// Focally and weakly positive.
    FocalWeak,
}

/// One marker of an immunohistochemistry panel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IhcMarker {
    /// Marker name as reported (e.g. "Desmin", "Ki-67").
    pub marker: String,
    /// Antibody clone, when reported.
    pub clone: Option<String>,
    /// The qualitative result; absent for purely quantitative markers.
    pub result: Option<IhcResult>,
    /// Percentage of positive tumour cells (e.g. Ki-67 index), 0–100.
    pub percent: Option<f64>,
}

/// The cancer diagnosis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diagnosis {
    /// Histology as written.
    pub histology: String,
    /// ICD-O-3 morphology code, e.g. `8890/3` (leiomyosarcoma, NOS).
    pub morphology_icdo3: String,
    /// Site as written.
    pub site: String,
    /// ICD-O-3 topography code, e.g. `C49.2` (soft tissue of lower limb and hip).
    pub topography_icdo3: String,
    /// Side.
    pub laterality: Option<Laterality>,
    /// Up to three tumour dimensions, each a length.
    pub size: Vec<Quantity>,
    /// Depth.
    pub depth: Option<Depth>,
    /// Histological grade, given or from components.
    pub grade: Option<GradeSource>,
    /// Regional nodes.
    pub n: NCategory,
    /// Distant metastasis.
    pub m: MCategory,
    /// Immunohistochemistry panel.
    pub ihc: Vec<IhcMarker>,
}

impl Diagnosis {
    /// Greatest tumour dimension in mm, if any dimension was recorded.
    pub fn greatest_dimension_mm(&self) -> Option<f64> {
        self.size
            .iter()
            .filter_map(|q| q.canonical(crate::Dimension::Length).ok())
            .reduce(f64::max)
    }
}
