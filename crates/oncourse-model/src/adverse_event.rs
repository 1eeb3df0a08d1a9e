//! Adverse events graded with CTCAE.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What the event is attributed to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attribution {
    /// Radiotherapy.
    Radiotherapy,
    /// A drug.
    Drug,
    /// Both radiotherapy and a drug.
    Both,
    /// Unrelated to treatment.
    Unrelated,
}

/// An adverse event with onset on its fact's date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdverseEvent {
    /// CTCAE v5.0 term, e.g. "Skin ulceration".
    pub term: String,
    /// CTCAE grade 1–5.
    pub grade: u8,
    /// Date of resolution, if resolved.
    pub resolved: Option<NaiveDate>,
    /// Attribution.
    pub attribution: Attribution,
}
