//! Choi response criteria for tumours treated with tyrosine-kinase inhibitors
//! (Choi et al., J Clin Oncol 2007;25:1753–1759, Table 1), where shrinkage under-calls response
//! because responding tumours lose density before (or instead of) size.
//!
//! - CR: disappearance of all lesions, no new lesions.
//! - PR: size (sum of longest diameters, RECIST rules) down ≥ 10 % **or** mean attenuation
//!   down ≥ 15 % (HU, contrast CT) from baseline; no new lesions.
//! - PD: size up ≥ 10 % and not PR by density; or new lesions, or new intratumoral nodules
//!   or growth of existing ones.
//! - SD: none of the above.
//!
//! Choi et al. do not name the reference of the 10 % increase; as in RECIST it is taken
//! from the smallest sum on study (nadir, baseline included). Values are compared in integer
//! hundredths (of a mm, of a HU) so that the 10 % and 15 % boundaries are exact.

use chrono::NaiveDate;
use serde::Serialize;

use super::recist::Response;

/// Size decrease for PR, % (Choi 2007 Table 1).
const SIZE_DECREASE_PCT: i64 = 10;
/// Density decrease for PR, % (Choi 2007 Table 1).
const DENSITY_DECREASE_PCT: i64 = 15;
/// Size increase for PD, % (Choi 2007 Table 1).
const SIZE_INCREASE_PCT: i64 = 10;

/// One assessment for Choi: the first of a series is the baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChoiMeasurement {
    /// Date of the CT.
    pub date: NaiveDate,
    /// Sum of longest diameters of the target lesions, mm.
    pub sum_mm: f64,
    /// Mean attenuation of the target lesions on portal-venous contrast CT, HU.
    pub mean_density_hu: f64,
    /// A new lesion was found.
    pub new_lesions: bool,
    /// A new intratumoral nodule, or growth of an existing one, was found.
    pub new_intratumoral_nodules: bool,
}

/// The Choi assessment of one timepoint.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ChoiResponse {
    /// Date of the CT.
    pub date: NaiveDate,
    /// Size change from baseline, %.
    pub size_change_from_baseline_pct: f64,
    /// Density change from baseline, %.
    pub density_change_from_baseline_pct: f64,
    /// The response (`None` at baseline).
    pub response: Option<Response>,
}

/// Choi responses of a series (the first measurement is baseline).
pub fn choi_response(series: &[ChoiMeasurement]) -> Vec<ChoiResponse> {
    let Some(baseline) = series.first() else {
        return Vec::new();
    };
    let hundredths = |v: f64| (v * 100.0).round() as i64;
    let (size_0, density_0) = (
        hundredths(baseline.sum_mm),
        hundredths(baseline.mean_density_hu),
    );
    let mut nadir = size_0;
    series
        .iter()
        .enumerate()
        .map(|(index, m)| {
            let (size, density) = (hundredths(m.sum_mm), hundredths(m.mean_density_hu));
            let response = (index > 0).then(|| {
                let density_partial =
                    100 * (density_0 - density) >= DENSITY_DECREASE_PCT * density_0.abs();
                let size_partial = 100 * (size_0 - size) >= SIZE_DECREASE_PCT * size_0;
                let size_progression = 100 * (size - nadir) >= SIZE_INCREASE_PCT * nadir;
                if m.new_lesions
                    || m.new_intratumoral_nodules
                    || (size_progression && !density_partial)
                {
                    Response::ProgressiveDisease
                } else if size == 0 {
                    Response::CompleteResponse
                } else if size_partial || density_partial {
                    Response::PartialResponse
                } else {
                    Response::StableDisease
                }
            });
            nadir = nadir.min(size);
            ChoiResponse {
                date: m.date,
                size_change_from_baseline_pct: percent(size, size_0),
                density_change_from_baseline_pct: percent(density, density_0),
                response,
            }
        })
        .collect()
}

fn percent(value: i64, reference: i64) -> f64 {
    (value - reference) as f64 / reference as f64 * 100.0
}
