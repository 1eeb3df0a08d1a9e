//! Clinical charts drawn as self-contained SVG text: Kaplan–Meier curves with confidence
//! bands, censor ticks and a number-at-risk table; swimmer, waterfall and spider plots of
//! tumour response. The HTML case report and the dashboard embed the same SVG
//! (one plotting path).
//!
//! The crate does no IO: every function takes values and returns a `String`.
//!
//! The SVG is built by hand (`svg`) rather than with plotters: the charts need a table
//! aligned to the time axis, step-shaped bands and journal typography, which are simpler to
//! write directly than to coax out of a general backend, and the output stays plain,
//! deterministic text with no font dependency (the viewer's sans-serif font renders it).

pub mod case_report;
pub mod course_charts;
pub mod kaplan_meier;
pub mod spider;
pub mod svg;
pub mod swimmer;
pub mod waterfall;
