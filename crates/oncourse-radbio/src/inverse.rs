//! Inverse solves: the dose per fraction, or the number of fractions, that reaches a target
//! BED or EQD2.

use crate::lq::bed_per_fraction_gy;
use crate::quantities::check_dose;
use crate::{AlphaBeta, DoseResponseModel, RadbioError};

/// The dose per fraction that reaches `target_bed_gy` in `n_fractions` fractions.
///
/// LQ: the positive root of `d²/(α/β) + d − B/n = 0`, written `d = 2b / (1 + √(1 + 4b/(α/β)))`
/// with `b = B/n`, which does not lose digits when b is small. LQ-L: the same below the
/// transition dose, else the linear branch solved for d.
pub fn dose_per_fraction_for_bed(
    target_bed_gy: f64,
    n_fractions: u32,
    alpha_beta: AlphaBeta,
    model: DoseResponseModel,
) -> Result<f64, RadbioError> {
    check_dose("target BED", target_bed_gy)?;
    if n_fractions == 0 {
        return Err(RadbioError::Fractions { value: n_fractions });
    }
    let ab = alpha_beta.gy();
    let bed_per_fraction = target_bed_gy / f64::from(n_fractions);
    if let DoseResponseModel::Lql {
        transition_dose_gy: dt,
    } = model
    {
        let bed_at_transition = dt * (1.0 + dt / ab);
        if bed_per_fraction > bed_at_transition {
            return Ok(dt + (bed_per_fraction - bed_at_transition) / (1.0 + 2.0 * dt / ab));
        }
    }
    Ok(2.0 * bed_per_fraction / (1.0 + (1.0 + 4.0 * bed_per_fraction / ab).sqrt()))
}

/// The dose per fraction that reaches `target_eqd2_gy` in `n_fractions` fractions.
pub fn dose_per_fraction_for_eqd2(
    target_eqd2_gy: f64,
    n_fractions: u32,
    alpha_beta: AlphaBeta,
    model: DoseResponseModel,
) -> Result<f64, RadbioError> {
    check_dose("target EQD2", target_eqd2_gy)?;
    dose_per_fraction_for_bed(
        eqd2_to_bed_gy(target_eqd2_gy, alpha_beta),
        n_fractions,
        alpha_beta,
        model,
    )
}

/// How many fractions of a given size reach a target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FractionsSolution {
    /// The exact (fractional) number of fractions that reaches the target.
    pub exact: f64,
    /// The smallest whole number of fractions that reaches or passes the target.
    pub whole_at_least: u32,
}

/// The number of fractions of `dose_per_fraction_gy` that reaches `target_bed_gy`.
pub fn fractions_for_bed(
    target_bed_gy: f64,
    dose_per_fraction_gy: f64,
    alpha_beta: AlphaBeta,
    model: DoseResponseModel,
) -> Result<FractionsSolution, RadbioError> {
    check_dose("target BED", target_bed_gy)?;
    check_dose("dose per fraction", dose_per_fraction_gy)?;
    if dose_per_fraction_gy == 0.0 {
        return Err(RadbioError::Dose {
            what: "dose per fraction",
            value: dose_per_fraction_gy,
        });
    }
    let exact = target_bed_gy / bed_per_fraction_gy(dose_per_fraction_gy, alpha_beta, model);
    // A hair of tolerance so that 10.000000000000002 fractions is 10, not 11.
    let whole = (exact - 1e-9).ceil().max(1.0);
    Ok(FractionsSolution {
        exact,
        whole_at_least: whole as u32,
    })
}

/// The number of fractions of `dose_per_fraction_gy` that reaches `target_eqd2_gy`.
pub fn fractions_for_eqd2(
    target_eqd2_gy: f64,
    dose_per_fraction_gy: f64,
    alpha_beta: AlphaBeta,
    model: DoseResponseModel,
) -> Result<FractionsSolution, RadbioError> {
    check_dose("target EQD2", target_eqd2_gy)?;
    fractions_for_bed(
        eqd2_to_bed_gy(target_eqd2_gy, alpha_beta),
        dose_per_fraction_gy,
        alpha_beta,
        model,
    )
}

/// BED = EQD2 · (1 + 2/(α/β)).
pub(crate) fn eqd2_to_bed_gy(eqd2_gy: f64, alpha_beta: AlphaBeta) -> f64 {
    eqd2_gy * (1.0 + 2.0 / alpha_beta.gy())
}
