//! Per-patient tumour response: RECIST 1.1 timepoint and best overall response, Choi
//! criteria, volumetric response, and the time-to-event endpoints built on them
//! (progression-free survival, time to progression, duration of response).
//!
//! Inputs are plain values (dates, diameters in mm, attenuation in HU), never a course
//! record: the engine adapts its record to these types.

mod best;
mod choi;
mod endpoints;
mod recist;
mod volumetric;

pub use best::{ConfirmationRules, ResponseRules, best_overall_response};
pub use choi::{ChoiMeasurement, ChoiResponse, choi_response};
pub use endpoints::{
    CensoringReason, EndpointRules, TimeToEvent, duration_of_response, progression_free_survival,
    time_to_progression,
};
pub use recist::{
    NonTargetStatus, RecistAssessment, RecistError, RecistTimepoint, Response, TimepointAssessment,
    assess_recist, overall_response,
};
pub use volumetric::{VolumetricThresholds, ellipsoid_volume_mm3, volumetric_response};
