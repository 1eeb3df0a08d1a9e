//! AJCC 8th-edition anatomic stage of soft-tissue sarcoma of the trunk and extremities.
//!
//! Source: Amin MB et al. (eds), AJCC Cancer Staging Manual, 8th ed., Springer 2017, chapter 41
//! "Soft Tissue Sarcoma of the Trunk and Extremities" (restated in World J Clin Oncol
//! 2023;14(2):89, table 2). T by greatest dimension: T1 ≤ 5 cm, T2 > 5–10 cm, T3 > 10–15 cm,
//! T4 > 15 cm. Groups: IA T1 N0 M0 G1/GX; IB T2–T4 N0 M0 G1/GX; II T1 N0 M0 G2/G3;
//! IIIA T2 N0 M0 G2/G3; IIIB T3–T4 N0 M0 G2/G3; IV any T N1 M0 any G, or any M1.
//! Depth does not change the T category in the 8th edition for this site.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::grade::FnclccGrade;

/// Primary tumour category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TCategory {
    /// ≤ 5 cm.
    T1,
    /// > 5 cm and ≤ 10 cm.
    T2,
    /// > 10 cm and ≤ 15 cm.
    T3,
    /// > 15 cm.
    T4,
}

impl TCategory {
    /// The T category for a tumour whose greatest dimension is `greatest_dimension_mm`.
    pub fn from_greatest_dimension_mm(greatest_dimension_mm: f64) -> TCategory {
        if greatest_dimension_mm <= 50.0 {
            TCategory::T1
        } else if greatest_dimension_mm <= 100.0 {
            TCategory::T2
        } else if greatest_dimension_mm <= 150.0 {
            TCategory::T3
        } else {
            TCategory::T4
        }
    }
}

/// Regional lymph node category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NCategory {
    /// No regional node metastasis or unknown node status.
    N0,
    /// Regional node metastasis.
    N1,
}

/// Distant metastasis category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MCategory {
    /// No distant metastasis.
    M0,
    /// Distant metastasis.
    M1,
}

/// AJCC 8th-edition prognostic stage group (trunk and extremities).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum StageGroup {
    /// Stage IA.
    IA,
    /// Stage IB.
    IB,
    /// Stage II.
    II,
    /// Stage IIIA.
    IIIA,
    /// Stage IIIB.
    IIIB,
    /// Stage IV.
    IV,
}

impl fmt::Display for StageGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// The stage group from T, N, M and grade (AJCC 8th ed., ch. 41, stage table).
pub fn stage_group(t: TCategory, n: NCategory, m: MCategory, grade: FnclccGrade) -> StageGroup {
    use FnclccGrade::{G1, G2, G3, GX};
    match (t, n, m, grade) {
        (_, _, MCategory::M1, _) | (_, NCategory::N1, _, _) => StageGroup::IV,
        (TCategory::T1, _, _, G1 | GX) => StageGroup::IA,
        (_, _, _, G1 | GX) => StageGroup::IB,
        (TCategory::T1, _, _, G2 | G3) => StageGroup::II,
        (TCategory::T2, _, _, G2 | G3) => StageGroup::IIIA,
        (TCategory::T3 | TCategory::T4, _, _, G2 | G3) => StageGroup::IIIB,
    }
}
