//! The per-patient response file of `oncourse recist` and the response plots: dated
//! timepoints with target diameters (mm), non-target statuses and new lesions.
//! This is a wire format (the issue 5 contract); it is converted to the outcome crate's
//! types here and nowhere else.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use oncourse_outcome::response::{
    ConfirmationRules, NonTargetStatus, RecistAssessment, RecistTimepoint, ResponseRules,
    assess_recist,
};
use serde::Deserialize;

/// `FILE.json` as written by a user.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecistFile {
    timepoints: Vec<TimepointDto>,
    #[serde(default)]
    nodal: BTreeSet<String>,
    confirm: Option<ConfirmDto>,
    /// Minimum days after baseline for SD to count (default 42: RECIST's "6–8 weeks").
    min_sd_duration_days: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TimepointDto {
    date: String,
    #[serde(default)]
    targets: BTreeMap<String, f64>,
    #[serde(default)]
    non_targets: BTreeMap<String, NonTargetDto>,
    #[serde(default)]
    new_lesions: bool,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum NonTargetDto {
    Present,
    Absent,
    Progressed,
    NotEvaluated,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfirmDto {
    min_interval_days: i64,
}

/// Reads and assesses one patient's file; errors name the file (and line and column for
/// malformed JSON).
pub fn assess_file(path: &Path) -> Result<RecistAssessment> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let file: RecistFile = serde_json::from_str(&text).map_err(|error| {
        anyhow::anyhow!(
            "{}:{}:{}: {}",
            path.display(),
            error.line(),
            error.column(),
            error
        )
    })?;
    let timepoints: Vec<RecistTimepoint> = file
        .timepoints
        .into_iter()
        .enumerate()
        .map(|(index, t)| {
            let date = NaiveDate::parse_from_str(&t.date, "%Y-%m-%d").map_err(|_| {
                anyhow::anyhow!(
                    "{}: timepoints[{index}].date: expected a date YYYY-MM-DD, got {:?}",
                    path.display(),
                    t.date
                )
            })?;
            Ok(RecistTimepoint {
                date,
                targets_mm: t.targets,
                non_targets: t
                    .non_targets
                    .into_iter()
                    .map(|(id, status)| (id, status.into()))
                    .collect(),
                new_lesions: t.new_lesions,
            })
        })
        .collect::<Result<_>>()?;
    let defaults = ResponseRules::default();
    let rules = ResponseRules {
        confirmation: file.confirm.map(|c| ConfirmationRules {
            min_interval_days: c.min_interval_days,
        }),
        min_stable_disease_days: file
            .min_sd_duration_days
            .unwrap_or(defaults.min_stable_disease_days),
    };
    assess_recist(&timepoints, &file.nodal, &rules).with_context(|| format!("{}", path.display()))
}

impl From<NonTargetDto> for NonTargetStatus {
    fn from(dto: NonTargetDto) -> Self {
        match dto {
            NonTargetDto::Present => Self::Present,
            NonTargetDto::Absent => Self::Absent,
            NonTargetDto::Progressed => Self::Progressed,
            NonTargetDto::NotEvaluated => Self::NotEvaluated,
        }
    }
}
