//! Linear-quadratic radiobiology for oncourse: BED, EQD2 and EQDx for single phases and whole
//! courses, the overall-treatment-time correction, the LQ-L model, inverse solves,
//! re-irradiation headroom, fractionation-regime classification and the tissue parameter table.
//!
//! This crate is pure: it does no IO and knows nothing of files, SQL or HTTP. The tissue table
//! and the regimen definitions are data files embedded at compile time.
//!
//! The formulas follow Fowler JF, "The linear-quadratic formula and progress in fractionated
//! radiotherapy", Br J Radiol 1989;62:679–694 (BED, time factor), Withers HR, Thames HD,
//! Peters LJ, "A new isoeffect curve for change in dose per fraction", Radiother Oncol
//! 1983;1:187–191 (EQDx), and Astrahan M, "Some implications of linear-quadratic-linear
//! radiation dose-response with regard to hypofractionation", Med Phys 2008;35:4161–4172 (LQ-L).

mod course;
mod error;
mod inverse;
mod lq;
mod quantities;
pub mod regimen;
mod reirradiation;
pub mod tissues;

pub use course::{CourseDose, CourseOptions, PhaseDose, TimeCorrection, evaluate_course};
pub use error::RadbioError;
pub use inverse::{
    FractionsSolution, dose_per_fraction_for_bed, dose_per_fraction_for_eqd2, fractions_for_bed,
    fractions_for_eqd2,
};
pub use lq::{
    DoseResponseModel, bed_gy, bed_per_fraction_gy, bed_to_eqdx_gy, eqd2_gy, eqdx_gy, phase_bed_gy,
};
pub use quantities::{AlphaBeta, Phase, Repopulation};
pub use reirradiation::{Headroom, reirradiation_headroom};
