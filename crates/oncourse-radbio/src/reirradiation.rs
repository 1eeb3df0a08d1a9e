//! Re-irradiation headroom: what a tissue may still receive, given earlier courses and a limit.
//!
//! Cumulative EQD2 is the sum of the courses' EQD2 for the tissue's α/β; an optional recovery
//! fraction discounts the earlier dose for recovery between courses (the convention of, e.g.,
//! Nieder C et al., Int J Radiat Oncol Biol Phys 2006;66:1446 for spinal cord re-irradiation,
//! and of the re-irradiation consensus of Andratschke N et al., Radiother Oncol 2022;167:255).

use crate::inverse::{dose_per_fraction_for_eqd2, eqd2_to_bed_gy};
use crate::quantities::check_dose;
use crate::{AlphaBeta, DoseResponseModel, RadbioError};

/// The remaining dose a tissue may receive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Headroom {
    /// EQD2 of the earlier courses, as given.
    pub prior_eqd2_gy: f64,
    /// The earlier EQD2 after the recovery discount: `prior · (1 − recovery)`.
    pub counted_prior_eqd2_gy: f64,
    /// The cumulative limit in EQD2.
    pub limit_eqd2_gy: f64,
    /// What remains below the limit in EQD2 (negative when the limit is already passed).
    pub remaining_eqd2_gy: f64,
    /// The same in BED of the tissue's α/β.
    pub remaining_bed_gy: f64,
}

impl Headroom {
    /// The dose per fraction that uses exactly the remaining EQD2 in `n_fractions` fractions,
    /// or `None` when nothing remains.
    pub fn dose_per_fraction_gy(
        &self,
        n_fractions: u32,
        alpha_beta: AlphaBeta,
        model: DoseResponseModel,
    ) -> Result<Option<f64>, RadbioError> {
        if self.remaining_eqd2_gy <= 0.0 {
            return Ok(None);
        }
        dose_per_fraction_for_eqd2(self.remaining_eqd2_gy, n_fractions, alpha_beta, model).map(Some)
    }
}

/// The headroom below `limit_eqd2_gy` after earlier courses totalling `prior_eqd2_gy` (each
/// already in EQD2 of the tissue's α/β), discounting them by `recovery_fraction` (0 = no recovery).
pub fn reirradiation_headroom(
    prior_eqd2_gy: f64,
    limit_eqd2_gy: f64,
    recovery_fraction: f64,
    alpha_beta: AlphaBeta,
) -> Result<Headroom, RadbioError> {
    check_dose("earlier EQD2", prior_eqd2_gy)?;
    check_dose("EQD2 limit", limit_eqd2_gy)?;
    if !(recovery_fraction.is_finite() && (0.0..1.0).contains(&recovery_fraction)) {
        return Err(RadbioError::RecoveryFraction {
            value: recovery_fraction,
        });
    }
    let counted_prior_eqd2_gy = prior_eqd2_gy * (1.0 - recovery_fraction);
    let remaining_eqd2_gy = limit_eqd2_gy - counted_prior_eqd2_gy;
    Ok(Headroom {
        prior_eqd2_gy,
        counted_prior_eqd2_gy,
        limit_eqd2_gy,
        remaining_eqd2_gy,
        remaining_bed_gy: eqd2_to_bed_gy(remaining_eqd2_gy, alpha_beta),
    })
}
