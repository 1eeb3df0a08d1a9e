//! Volumetric response: lesion volume from three orthogonal diameters as an ellipsoid,
//! V = π/6 · a · b · c, and response by volume change with thresholds as parameters.
//!
//! The default thresholds are the volume equivalents of RECIST's diameter thresholds for a
//! sphere, computed here: (1 − 0.30)³ − 1 = −65.7 % and 1.20³ − 1 = +72.8 %. The same
//! equivalence ("≥ 65–66 % decrease", "≥ 73 % increase" in volume) is tabulated in the
//! literature comparing RECIST with volumetric criteria (it goes back to the RECIST 1.0 paper,
//! Therasse et al., J Natl Cancer Inst 2000;92:205–216; seen here only through secondary
//! tables). A protocol may set other thresholds.

use serde::Serialize;

use super::recist::Response;

/// Volume of an ellipsoid with diameters `a`, `b`, `c` (mm): π/6 · a · b · c, in mm³.
pub fn ellipsoid_volume_mm3(a_mm: f64, b_mm: f64, c_mm: f64) -> f64 {
    std::f64::consts::PI / 6.0 * a_mm * b_mm * c_mm
}

/// Volume-change thresholds, in % (negative for shrinkage).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct VolumetricThresholds {
    /// PR when the change from baseline is at or below this (e.g. −65.7).
    pub partial_response_pct: f64,
    /// PD when the change from the nadir is at or above this (e.g. +72.8).
    pub progression_pct: f64,
}

impl Default for VolumetricThresholds {
    /// The sphere equivalents of RECIST's −30 % / +20 % in diameter.
    fn default() -> Self {
        Self {
            partial_response_pct: (0.7_f64.powi(3) - 1.0) * 100.0,
            progression_pct: (1.2_f64.powi(3) - 1.0) * 100.0,
        }
    }
}

/// Responses of a series of total volumes (mm³; the first is baseline, which gets `None`):
/// CR at 0, PD at or above the progression threshold over the nadir, PR at or below the
/// response threshold from baseline, SD otherwise.
pub fn volumetric_response(
    volumes_mm3: &[f64],
    thresholds: &VolumetricThresholds,
) -> Vec<Option<Response>> {
    let Some(&baseline) = volumes_mm3.first() else {
        return Vec::new();
    };
    let mut nadir = baseline;
    volumes_mm3
        .iter()
        .enumerate()
        .map(|(index, &volume)| {
            let response = (index > 0).then(|| {
                let from_nadir = (volume - nadir) / nadir * 100.0;
                let from_baseline = (volume - baseline) / baseline * 100.0;
                if volume == 0.0 {
                    Response::CompleteResponse
                } else if nadir == 0.0 || from_nadir >= thresholds.progression_pct {
                    // Any volume after a complete response is regrowth.
                    Response::ProgressiveDisease
                } else if from_baseline <= thresholds.partial_response_pct {
                    Response::PartialResponse
                } else {
                    Response::StableDisease
                }
            });
            nadir = nadir.min(volume);
            response
        })
        .collect()
}
