//! Grade and AJCC 8th-edition stage of the diagnosis (the tables live in `oncourse-model`).

use serde::Serialize;

use oncourse_model::diagnosis::{Diagnosis, GradeSource};
use oncourse_model::grade::FnclccGrade;
use oncourse_model::stage::{MCategory, NCategory, StageGroup, TCategory, stage_group};

/// The FNCLCC grade and where it came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GradeAssessment {
    /// 1–3, or `None` for GX.
    pub grade: Option<u8>,
    /// `"given"` or `"computed from FNCLCC components"`.
    pub source: &'static str,
    /// The FNCLCC total score, when computed from components.
    pub total_score: Option<u8>,
}

/// AJCC 8th-edition stage, trunk and extremities.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StageAssessment {
    /// T category from the greatest dimension.
    pub t: TCategory,
    /// N category.
    pub n: NCategory,
    /// M category.
    pub m: MCategory,
    /// FNCLCC grade 1–3, `None` for GX.
    pub grade: Option<u8>,
    /// Stage group.
    pub group: StageGroup,
    /// The greatest dimension used for T, mm.
    pub greatest_dimension_mm: f64,
    /// The staging system.
    pub system: &'static str,
}

/// ICD-O-3 topographies of soft tissue of the limbs and trunk (C49.1–C49.6), the sites of
/// AJCC 8th ed. chapter 41. Head and neck (C49.0), retroperitoneum (C48) and viscera have
/// their own chapters.
fn is_trunk_or_extremity(topography: &str) -> bool {
    matches!(
        topography,
        "C49.1" | "C49.2" | "C49.3" | "C49.4" | "C49.5" | "C49.6"
    )
}

/// The grade and stage of a diagnosis; what cannot be computed is explained in `notes`.
pub(crate) fn assess(
    diagnosis: &Diagnosis,
    notes: &mut Vec<String>,
) -> (Option<GradeAssessment>, Option<StageAssessment>) {
    let grade = diagnosis.grade.as_ref().map(|source| match source {
        GradeSource::Given(grade) => GradeAssessment {
            grade: grade.number(),
            source: "given",
            total_score: None,
        },
        GradeSource::Components(components) => GradeAssessment {
            grade: components.grade().number(),
            source: "computed from FNCLCC components",
            total_score: Some(components.total_score()),
        },
    });
    if !is_trunk_or_extremity(&diagnosis.topography_icdo3) {
        notes.push(format!(
            "stage: AJCC 8th ed. chapter 41 covers trunk and extremity soft tissue (C49.1-C49.6), not {}",
            diagnosis.topography_icdo3
        ));
        return (grade, None);
    }
    let Some(greatest_dimension_mm) = diagnosis.greatest_dimension_mm() else {
        notes.push("stage: no tumour size recorded, T cannot be assigned".to_string());
        return (grade, None);
    };
    let fnclcc = diagnosis
        .grade
        .as_ref()
        .map_or(FnclccGrade::GX, GradeSource::grade);
    let t = TCategory::from_greatest_dimension_mm(greatest_dimension_mm);
    let stage = StageAssessment {
        t,
        n: diagnosis.n,
        m: diagnosis.m,
        grade: fnclcc.number(),
        group: stage_group(t, diagnosis.n, diagnosis.m, fnclcc),
        greatest_dimension_mm,
        system: "AJCC 8th ed., chapter 41 (soft tissue sarcoma of the trunk and extremities)",
    };
    (grade, Some(stage))
}
