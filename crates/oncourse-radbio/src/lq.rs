//! The linear-quadratic (LQ) model and its linear-quadratic-linear (LQ-L) variant.
//!
//! BED = n·d·(1 + d/(α/β)) (Fowler 1989, Br J Radiol 62:679, eq. 2);
//! EQDx = BED / (1 + x/(α/β)) (Withers, Thames & Peters 1983, Radiother Oncol 1:187), with
//! EQD2 the case x = 2 Gy.

use crate::{AlphaBeta, Phase, RadbioError};

/// The dose-response model used to turn a dose per fraction into BED.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DoseResponseModel {
    /// The linear-quadratic model, valid to roughly 10 Gy per fraction and arguably to about
    /// 18 Gy (Brenner DJ, Semin Radiat Oncol 2008;18:234–239).
    Lq,
    /// The linear-quadratic-linear model of Astrahan (Med Phys 2008;35:4161): LQ up to the
    /// transition dose per fraction `dT`, then linear with the LQ slope at `dT`. A model choice,
    /// not a fact: output that uses it says so.
    Lql {
        /// The transition dose per fraction dT in Gy (above zero).
        transition_dose_gy: f64,
    },
}

impl DoseResponseModel {
    /// An LQ-L model, checking that the transition dose is a finite number of Gy above zero.
    pub fn lql(transition_dose_gy: f64) -> Result<Self, RadbioError> {
        if transition_dose_gy.is_finite() && transition_dose_gy > 0.0 {
            Ok(Self::Lql { transition_dose_gy })
        } else {
            Err(RadbioError::TransitionDose {
                value: transition_dose_gy,
            })
        }
    }

    /// A label for output: which model produced the numbers, and that LQ-L is a choice.
    pub fn label(&self) -> String {
        match self {
            Self::Lq => "LQ".to_owned(),
            Self::Lql { transition_dose_gy } => format!(
                "LQ-L (Astrahan 2008), transition dose {transition_dose_gy} Gy per fraction: a model choice"
            ),
        }
    }
}

/// BED of `n_fractions` equal fractions that add up to `total_dose_gy`, by the LQ model.
///
/// This is the hot path for voxel-wise sums: no checks, no allocation. Callers hold a valid
/// [`AlphaBeta`]; a total dose below zero gives a meaningless result.
#[inline]
pub fn bed_gy(total_dose_gy: f64, n_fractions: u32, alpha_beta: AlphaBeta) -> f64 {
    let dose_per_fraction_gy = total_dose_gy / f64::from(n_fractions);
    total_dose_gy * (1.0 + dose_per_fraction_gy / alpha_beta.gy())
}

/// EQD2 of `n_fractions` equal fractions adding up to `total_dose_gy`, by the LQ model.
#[inline]
pub fn eqd2_gy(total_dose_gy: f64, n_fractions: u32, alpha_beta: AlphaBeta) -> f64 {
    bed_to_eqdx_gy(
        bed_gy(total_dose_gy, n_fractions, alpha_beta),
        alpha_beta,
        2.0,
    )
}

/// EQDx: the total dose in fractions of `reference_dose_per_fraction_gy` that gives the same BED.
#[inline]
pub fn eqdx_gy(
    total_dose_gy: f64,
    n_fractions: u32,
    alpha_beta: AlphaBeta,
    reference_dose_per_fraction_gy: f64,
) -> f64 {
    bed_to_eqdx_gy(
        bed_gy(total_dose_gy, n_fractions, alpha_beta),
        alpha_beta,
        reference_dose_per_fraction_gy,
    )
}

/// Converts a BED into the equivalent total dose in fractions of `reference_dose_per_fraction_gy`.
#[inline]
pub fn bed_to_eqdx_gy(
    bed_gy: f64,
    alpha_beta: AlphaBeta,
    reference_dose_per_fraction_gy: f64,
) -> f64 {
    bed_gy / (1.0 + reference_dose_per_fraction_gy / alpha_beta.gy())
}

/// BED of one fraction of `dose_per_fraction_gy` under `model`.
///
/// LQ-L above the transition dose dT (Astrahan 2008, eq. 7 divided by α):
/// `BED = dT·(1 + dT/(α/β)) + (1 + 2·dT/(α/β))·(d − dT)`, continuous in value and slope at dT.
#[inline]
pub fn bed_per_fraction_gy(
    dose_per_fraction_gy: f64,
    alpha_beta: AlphaBeta,
    model: DoseResponseModel,
) -> f64 {
    let ab = alpha_beta.gy();
    match model {
        DoseResponseModel::Lql { transition_dose_gy }
            if dose_per_fraction_gy > transition_dose_gy =>
        {
            let dt = transition_dose_gy;
            dt * (1.0 + dt / ab) + (1.0 + 2.0 * dt / ab) * (dose_per_fraction_gy - dt)
        }
        _ => dose_per_fraction_gy * (1.0 + dose_per_fraction_gy / ab),
    }
}

/// BED of a whole phase under `model`, without any time correction.
#[inline]
pub fn phase_bed_gy(phase: &Phase, alpha_beta: AlphaBeta, model: DoseResponseModel) -> f64 {
    f64::from(phase.n_fractions())
        * bed_per_fraction_gy(phase.dose_per_fraction_gy(), alpha_beta, model)
}
