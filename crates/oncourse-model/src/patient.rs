//! The patient: demographics, comorbidities and performance status.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::quantity::Quantity;

/// Administrative sex as recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
    /// Other or not stated.
    Other,
}

/// Demographics, recorded at admission.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Patient {
    /// Sex.
    pub sex: Sex,
    /// Birth date, when known.
    pub birth_date: Option<NaiveDate>,
    /// Age in whole years on the fact's date, when the birth date is not known.
    pub age_years: Option<u32>,
}

/// A code in a named terminology.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coding {
    /// The terminology.
    pub system: CodeSystem,
    /// The code as published.
    pub code: String,
}

/// Terminologies codes are taken from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeSystem {
    /// WHO ICD-10.
    Icd10,
    /// SNOMED CT (International edition concept ids).
    SnomedCt,
    /// LOINC.
    Loinc,
}

/// A coexisting condition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comorbidity {
    /// Name as written.
    pub name: String,
    /// Codes, where available.
    pub codes: Vec<Coding>,
    /// How long the condition has been present, at least (e.g. "over 60 years" → 60 a).
    pub duration_at_least: Option<Quantity>,
}

/// ECOG performance status (Oken et al., Am J Clin Oncol 1982;5:649), 0–5.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerformanceStatus {
    /// The ECOG score, 0 (fully active) to 5 (dead).
    pub ecog: u8,
}
