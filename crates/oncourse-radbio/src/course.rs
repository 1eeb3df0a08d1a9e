//! A course of several phases with different doses per fraction, summed in BED and EQD2,
//! optionally corrected for overall treatment time.

use crate::lq::{bed_to_eqdx_gy, phase_bed_gy};
use crate::{AlphaBeta, DoseResponseModel, Phase, RadbioError, Repopulation};

/// How to evaluate a course.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CourseOptions {
    /// The dose-response model (LQ unless the caller chooses LQ-L).
    pub model: DoseResponseModel,
    /// The overall-treatment-time correction: applied only when given, with published
    /// parameters of the tissue and the overall time of the delivered calendar.
    pub time_correction: Option<TimeCorrection>,
}

impl Default for CourseOptions {
    fn default() -> Self {
        Self {
            model: DoseResponseModel::Lq,
            time_correction: None,
        }
    }
}

/// A repopulation correction to apply: the tissue's parameters and the course's overall time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeCorrection {
    /// The tissue's published kick-off time and daily BED loss.
    pub repopulation: Repopulation,
    /// Overall treatment time T in days: from the first to the last fraction delivered
    /// (Fowler 1989 counts elapsed days, so a Monday-to-Friday week is T = 4).
    pub overall_time_days: f64,
}

/// The dose of one phase in physical, BED and EQD2 terms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhaseDose {
    /// The phase as given.
    pub phase: Phase,
    /// Physical dose n·d in Gy.
    pub physical_gy: f64,
    /// BED in Gy (no time correction: that applies to the course).
    pub bed_gy: f64,
    /// EQD2 in Gy.
    pub eqd2_gy: f64,
}

/// A whole course evaluated for one α/β.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseDose {
    /// The α/β the course was evaluated with.
    pub alpha_beta: AlphaBeta,
    /// The model used.
    pub model: DoseResponseModel,
    /// Each phase in the order given.
    pub phases: Vec<PhaseDose>,
    /// Physical dose of the whole course in Gy.
    pub physical_gy: f64,
    /// BED of the whole course in Gy, after the time correction if one was applied.
    pub bed_gy: f64,
    /// EQD2 of the whole course in Gy, after the time correction if one was applied.
    pub eqd2_gy: f64,
    /// The BED subtracted for repopulation, when a time correction was applied.
    pub repopulation_bed_loss_gy: Option<f64>,
}

impl CourseDose {
    /// EQDx of the whole course for any reference dose per fraction.
    pub fn eqdx_gy(&self, reference_dose_per_fraction_gy: f64) -> f64 {
        bed_to_eqdx_gy(self.bed_gy, self.alpha_beta, reference_dose_per_fraction_gy)
    }
}

/// Evaluates a course: each phase's BED and EQD2, and their sums.
///
/// BEDs of phases with different doses per fraction add (Fowler 1989); physical doses do not
/// give the biological effect. The time correction, when asked for, is subtracted once from the
/// course BED.
pub fn evaluate_course(
    phases: &[Phase],
    alpha_beta: AlphaBeta,
    options: &CourseOptions,
) -> Result<CourseDose, RadbioError> {
    if phases.is_empty() {
        return Err(RadbioError::EmptyCourse);
    }
    let phase_doses: Vec<PhaseDose> = phases
        .iter()
        .map(|phase| {
            let bed_gy = phase_bed_gy(phase, alpha_beta, options.model);
            PhaseDose {
                phase: *phase,
                physical_gy: phase.physical_gy(),
                bed_gy,
                eqd2_gy: bed_to_eqdx_gy(bed_gy, alpha_beta, 2.0),
            }
        })
        .collect();
    let physical_gy = phase_doses.iter().map(|p| p.physical_gy).sum();
    let uncorrected_bed_gy: f64 = phase_doses.iter().map(|p| p.bed_gy).sum();
    let repopulation_bed_loss_gy = match options.time_correction {
        Some(correction) => {
            let t = correction.overall_time_days;
            if !(t.is_finite() && t >= 0.0) {
                return Err(RadbioError::OverallTime { value: t });
            }
            Some(correction.repopulation.bed_loss_gy(t))
        }
        None => None,
    };
    let bed_gy = uncorrected_bed_gy - repopulation_bed_loss_gy.unwrap_or(0.0);
    Ok(CourseDose {
        alpha_beta,
        model: options.model,
        phases: phase_doses,
        physical_gy,
        bed_gy,
        eqd2_gy: bed_to_eqdx_gy(bed_gy, alpha_beta, 2.0),
        repopulation_bed_loss_gy,
    })
}
