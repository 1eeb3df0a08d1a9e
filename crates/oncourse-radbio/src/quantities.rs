//! Validated radiobiological quantities: a value of these types is valid by construction.

use crate::RadbioError;

/// The α/β ratio of a tissue in Gy, always finite and above zero.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct AlphaBeta(f64);

impl AlphaBeta {
    /// Checks that `gy` is a finite number of Gy above zero.
    pub fn new(gy: f64) -> Result<Self, RadbioError> {
        if gy.is_finite() && gy > 0.0 {
            Ok(Self(gy))
        } else {
            Err(RadbioError::AlphaBeta { value: gy })
        }
    }

    /// The ratio in Gy.
    pub fn gy(self) -> f64 {
        self.0
    }
}

/// One fractionation phase: a dose per fraction given a number of times.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Phase {
    dose_per_fraction_gy: f64,
    n_fractions: u32,
}

impl Phase {
    /// Checks that the dose per fraction is finite and not negative and that there is at least
    /// one fraction.
    pub fn new(dose_per_fraction_gy: f64, n_fractions: u32) -> Result<Self, RadbioError> {
        check_dose("dose per fraction", dose_per_fraction_gy)?;
        if n_fractions == 0 {
            return Err(RadbioError::Fractions { value: n_fractions });
        }
        Ok(Self {
            dose_per_fraction_gy,
            n_fractions,
        })
    }

    /// Dose per fraction in Gy.
    pub fn dose_per_fraction_gy(&self) -> f64 {
        self.dose_per_fraction_gy
    }

    /// Number of fractions.
    pub fn n_fractions(&self) -> u32 {
        self.n_fractions
    }

    /// Physical dose of the phase, n·d, in Gy.
    pub fn physical_gy(&self) -> f64 {
        f64::from(self.n_fractions) * self.dose_per_fraction_gy
    }
}

/// Repopulation parameters of a tissue for the overall-treatment-time correction
/// `BED_T = BED − K·(T − Tk)` for `T > Tk` (Fowler 1989, Br J Radiol 62:679, eq. 4).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Repopulation {
    kickoff_days: f64,
    bed_loss_gy_per_day: f64,
}

impl Repopulation {
    /// From the kick-off time Tk (days) and the BED lost per day after it, K (Gy/day, in BED of
    /// the tissue's own α/β; also written Dprolif).
    pub fn from_daily_bed_loss(
        kickoff_days: f64,
        bed_loss_gy_per_day: f64,
    ) -> Result<Self, RadbioError> {
        check_non_negative("kick-off time (days)", kickoff_days)?;
        check_non_negative("BED loss per day (Gy)", bed_loss_gy_per_day)?;
        Ok(Self {
            kickoff_days,
            bed_loss_gy_per_day,
        })
    }

    /// From the kick-off time Tk (days) and the dose lost per day printed as EQD2 (total dose in
    /// 2 Gy fractions, as Withers et al. 1988 give it), converted to BED of `alpha_beta`:
    /// `K = K_EQD2 · (1 + 2/(α/β))`.
    pub fn from_daily_eqd2_loss(
        kickoff_days: f64,
        eqd2_loss_gy_per_day: f64,
        alpha_beta: AlphaBeta,
    ) -> Result<Self, RadbioError> {
        check_non_negative("EQD2 loss per day (Gy)", eqd2_loss_gy_per_day)?;
        Self::from_daily_bed_loss(
            kickoff_days,
            eqd2_loss_gy_per_day * (1.0 + 2.0 / alpha_beta.gy()),
        )
    }

    /// From the kick-off time Tk (days), α (per Gy) and the potential doubling time Tpot (days):
    /// `K = ln 2 / (α·Tpot)` (Fowler 1989, eq. 4).
    pub fn from_alpha_and_tpot(
        kickoff_days: f64,
        alpha_per_gy: f64,
        tpot_days: f64,
    ) -> Result<Self, RadbioError> {
        check_positive("alpha (per Gy)", alpha_per_gy)?;
        check_positive("Tpot (days)", tpot_days)?;
        Self::from_daily_bed_loss(
            kickoff_days,
            std::f64::consts::LN_2 / (alpha_per_gy * tpot_days),
        )
    }

    /// Kick-off time Tk in days.
    pub fn kickoff_days(&self) -> f64 {
        self.kickoff_days
    }

    /// BED lost per day after kick-off, K, in Gy/day.
    pub fn bed_loss_gy_per_day(&self) -> f64 {
        self.bed_loss_gy_per_day
    }

    /// The BED lost over an overall treatment time of `overall_days`: `K·max(0, T − Tk)`.
    pub fn bed_loss_gy(&self, overall_days: f64) -> f64 {
        self.bed_loss_gy_per_day * (overall_days - self.kickoff_days).max(0.0)
    }
}

/// Rejects a dose that is negative, infinite or not a number.
pub(crate) fn check_dose(what: &'static str, gy: f64) -> Result<f64, RadbioError> {
    if gy.is_finite() && gy >= 0.0 {
        Ok(gy)
    } else {
        Err(RadbioError::Dose { what, value: gy })
    }
}

fn check_non_negative(what: &'static str, value: f64) -> Result<(), RadbioError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(RadbioError::Repopulation { what, value })
    }
}

fn check_positive(what: &'static str, value: f64) -> Result<(), RadbioError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(RadbioError::Repopulation { what, value })
    }
}
