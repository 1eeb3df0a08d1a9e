//! Response and outcomes for oncourse: per-patient tumour response (RECIST 1.1, Choi,
//! volumetric) and time-to-event endpoints, and cohort survival statistics
//! (Kaplan–Meier, log-rank, Cox proportional hazards).
//!
//! This crate is pure: it takes values and returns values. It never reads files, the clock,
//! the network or the environment. Per-patient functions work on plain input types
//! (dated timepoints with measurements, event dates) so that the engine can adapt a course
//! record to them.

pub mod response;
pub mod survival;
