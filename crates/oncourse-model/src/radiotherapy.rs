//! Radiotherapy: prescription phases and delivered fractions.

use serde::{Deserialize, Serialize};

use crate::fact::FactId;
use crate::quantity::Quantity;

/// Delivery technique of a phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Technique {
    /// Intensity-modulated radiotherapy.
    Imrt,
    /// Volumetric-modulated arc therapy.
    Vmat,
    /// Three-dimensional conformal radiotherapy.
    ThreeDCrt,
    /// Stereotactic body radiotherapy.
    Sbrt,
    /// Stereotactic radiotherapy.
    Srt,
    /// Brachytherapy.
    Brachytherapy,
}

impl Technique {
    /// Every technique, in the order the case-file format lists them.
    pub const ALL: [Technique; 6] = [
        Technique::Imrt,
        Technique::Vmat,
        Technique::ThreeDCrt,
        Technique::Sbrt,
        Technique::Srt,
        Technique::Brachytherapy,
    ];

    /// The word used for this technique in case files and JSON, e.g. `"3d-crt"`.
    pub fn code(self) -> &'static str {
        match self {
            Technique::Imrt => "imrt",
            Technique::Vmat => "vmat",
            Technique::ThreeDCrt => "3d-crt",
            Technique::Sbrt => "sbrt",
            Technique::Srt => "srt",
            Technique::Brachytherapy => "brachytherapy",
        }
    }
}

/// One prescription phase of a course, starting on its fact's date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RtPhase {
    /// Short name shown in reports, e.g. "IMRT" or "SRT boost".
    pub name: String,
    /// Technique.
    pub technique: Technique,
    /// Target volume as written, e.g. "left popliteal fossa tumour".
    pub target: String,
    /// Prescribed dose per fraction (absorbed dose).
    pub dose_per_fraction: Quantity,
    /// Prescribed number of fractions, at least 1.
    pub n_fractions: u32,
    /// Planned fractions per week (5 for a conventional weekday schedule).
    pub fractions_per_week: Option<u32>,
}

/// One delivered fraction, dated by its fact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RtFraction {
    /// The phase (an [`RtPhase`] fact id) this fraction belongs to.
    pub phase: FactId,
    /// Delivered dose if it differs from the phase's dose per fraction.
    pub dose: Option<Quantity>,
}
