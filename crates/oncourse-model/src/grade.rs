//! FNCLCC histological grade of soft-tissue sarcoma from its three components.
//!
//! Source: Trojani et al., Int J Cancer 1984;33:37–42, as updated by Guillou/Coindre et al.,
//! J Clin Oncol 1997;15:350–362 (restated in NCI PDQ "Childhood Soft Tissue Sarcoma Treatment",
//! table "FNCLCC Histologic Grading System", and SEER EOD "Derived Grade", NAACCR item 1975):
//! differentiation score 1–3; mitotic count per 10 HPF 0–9 → 1, 10–19 → 2, ≥ 20 → 3; necrosis
//! none → 0, < 50 % → 1, ≥ 50 % → 2; total 2–3 → G1, 4–5 → G2, 6–8 → G3.

use serde::{Deserialize, Serialize};

/// FNCLCC grade (AJCC 8th edition uses it for soft-tissue sarcoma).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FnclccGrade {
    /// Grade 1 (total score 2–3).
    G1,
    /// Grade 2 (total score 4–5).
    G2,
    /// Grade 3 (total score 6–8).
    G3,
    /// Grade cannot be assessed.
    GX,
}

impl FnclccGrade {
    /// The grade as a number 1–3, or `None` for GX.
    pub fn number(self) -> Option<u8> {
        match self {
            FnclccGrade::G1 => Some(1),
            FnclccGrade::G2 => Some(2),
            FnclccGrade::G3 => Some(3),
            FnclccGrade::GX => None,
        }
    }
}

/// Extent of tumour necrosis on microscopic examination.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Necrosis {
    /// No necrosis (score 0).
    None,
    /// Less than 50 % of the tumour (score 1).
    LessThanHalf,
    /// 50 % of the tumour or more (score 2).
    HalfOrMore,
}

/// The three FNCLCC components as the pathologist reports them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FnclccComponents {
    /// Differentiation score, 1–3 (by histological type; Guillou 1997, table 2).
    pub differentiation_score: u8,
    /// Mitoses counted in 10 high-power fields.
    pub mitoses_per_10_hpf: u32,
    /// Necrosis.
    pub necrosis: Necrosis,
}

impl FnclccComponents {
    /// Mitotic count score: 0–9 → 1, 10–19 → 2, ≥ 20 → 3.
    pub fn mitotic_score(&self) -> u8 {
        match self.mitoses_per_10_hpf {
            0..=9 => 1,
            10..=19 => 2,
            _ => 3,
        }
    }

    /// Necrosis score: none → 0, < 50 % → 1, ≥ 50 % → 2.
    pub fn necrosis_score(&self) -> u8 {
        match self.necrosis {
            Necrosis::None => 0,
            Necrosis::LessThanHalf => 1,
            Necrosis::HalfOrMore => 2,
        }
    }

    /// Sum of the three scores, 2–8 when the differentiation score is valid.
    pub fn total_score(&self) -> u8 {
        self.differentiation_score + self.mitotic_score() + self.necrosis_score()
    }

    /// The grade from the total score; GX if the differentiation score is outside 1–3.
    pub fn grade(&self) -> FnclccGrade {
        if !(1..=3).contains(&self.differentiation_score) {
            return FnclccGrade::GX;
        }
        match self.total_score() {
            2..=3 => FnclccGrade::G1,
            4..=5 => FnclccGrade::G2,
            _ => FnclccGrade::G3,
        }
    }
}
