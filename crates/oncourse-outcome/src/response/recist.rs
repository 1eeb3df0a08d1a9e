//! RECIST 1.1 timepoint response (Eisenhauer et al., Eur J Cancer 2009;45:228–247).
//!
//! Section numbers and tables below are those of the paper: measurability (§3.1.2),
//! target lesions and the sum of diameters with nodal short axes (§3.2.1), target response
//! (§4.3.1), non-target response (§4.3.2), new lesions (§4.3.3), the overall timepoint
//! response (Table 1: targets ± non-targets; Table 2: non-targets only) and missing
//! measurements (§4.3.4). Best overall response is in `best.rs`.
//!
//! Diameters are compared in integer hundredths of a millimetre, so that the 30 % and
//! 20 % boundaries are exact ("at least 30 %" is PR at exactly 30 %, "at least 20 %" is PD
//! at exactly 20 %): a float comparison of 70.0 / 100.0 against 0.7 could fall either side.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;
use thiserror::Error;

use super::best::{ResponseRules, best_overall_response};

/// Minimum longest diameter of a measurable non-nodal lesion at baseline, mm (§3.1.2: 10 mm by CT).
const MEASURABLE_LESION_MM: f64 = 10.0;
/// Minimum short axis of a measurable (pathological) node at baseline, mm (§3.1.2: ≥ 15 mm).
const MEASURABLE_NODE_MM: f64 = 15.0;
/// Short axis below which a node is normal; all target nodes below it at CR (§4.3.1).
const NORMAL_NODE_MM: f64 = 10.0;
/// At most five target lesions in total (§3.2.1).
const MAX_TARGET_LESIONS: usize = 5;
/// PD needs an absolute increase of the sum over its nadir of at least 5 mm (§4.3.1).
const PROGRESSION_MIN_INCREASE_MM: f64 = 5.0;

/// Status of one non-target lesion at a timepoint (§4.3.2). For a node, `Absent` means
/// normal size (short axis < 10 mm).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NonTargetStatus {
    /// Still present.
    Present,
    /// Disappeared (node: < 10 mm short axis).
    Absent,
    /// Unequivocal progression.
    Progressed,
    /// Not assessed at this timepoint.
    NotEvaluated,
}

/// One imaging assessment. The first timepoint of a series is the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct RecistTimepoint {
    /// Date of the assessment.
    pub date: NaiveDate,
    /// Target lesion diameters in mm (longest diameter; short axis for nodes), by lesion id.
    /// A baseline target missing here is not evaluated at this timepoint.
    pub targets_mm: BTreeMap<String, f64>,
    /// Non-target lesion statuses by lesion id; a baseline non-target missing here is not
    /// evaluated.
    pub non_targets: BTreeMap<String, NonTargetStatus>,
    /// Whether an unequivocal new lesion was found.
    pub new_lesions: bool,
}

/// A timepoint response (Tables 1 and 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Response {
    /// Complete response.
    #[serde(rename = "CR")]
    CompleteResponse,
    /// Partial response.
    #[serde(rename = "PR")]
    PartialResponse,
    /// Stable disease.
    #[serde(rename = "SD")]
    StableDisease,
    /// Non-CR/non-PD: the category of non-target-only disease (Table 2), used instead of SD.
    #[serde(rename = "non-CR/non-PD")]
    NonCompleteNonProgressive,
    /// Progressive disease.
    #[serde(rename = "PD")]
    ProgressiveDisease,
    /// Not evaluable.
    #[serde(rename = "NE")]
    NotEvaluable,
}

impl Response {
    /// The abbreviation used in RECIST tables: CR, PR, SD, non-CR/non-PD, PD, NE.
    pub fn abbreviation(self) -> &'static str {
        match self {
            Self::CompleteResponse => "CR",
            Self::PartialResponse => "PR",
            Self::StableDisease => "SD",
            Self::NonCompleteNonProgressive => "non-CR/non-PD",
            Self::ProgressiveDisease => "PD",
            Self::NotEvaluable => "NE",
        }
    }
}

/// The assessment of one timepoint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimepointAssessment {
    /// Date of the assessment.
    pub date: NaiveDate,
    /// Sum of diameters in mm; `None` when a target was not evaluated.
    pub sum_mm: Option<f64>,
    /// Change of the sum from baseline, % (negative = shrinkage).
    pub change_from_baseline_pct: Option<f64>,
    /// Change of the sum from the smallest earlier sum (nadir, baseline included), %;
    /// `None` at baseline and when the nadir is 0.
    pub change_from_nadir_pct: Option<f64>,
    /// The target-lesion response; `None` at baseline or without targets.
    pub target_response: Option<Response>,
    /// The non-target response; `None` at baseline or without non-targets.
    pub non_target_response: Option<Response>,
    /// The overall timepoint response (Table 1 or 2); `None` at baseline.
    pub response: Option<Response>,
}

/// Timepoint responses and the best overall response of a series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecistAssessment {
    /// One per input timepoint, baseline first.
    pub timepoints: Vec<TimepointAssessment>,
    /// Best overall response under the rules given.
    pub best_overall_response: Response,
}

/// Input that RECIST 1.1 cannot assess.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum RecistError {
    /// No timepoints at all.
    #[error("timepoints: expected at least a baseline timepoint, got none")]
    NoTimepoints,
    /// Timepoints are not in strictly increasing date order.
    #[error(
        "timepoint {index} ({date}): expected a date after the previous timepoint ({previous})"
    )]
    DatesNotIncreasing {
        /// 0-based index of the timepoint.
        index: usize,
        /// Its date.
        date: NaiveDate,
        /// The previous timepoint's date.
        previous: NaiveDate,
    },
    /// The baseline has neither target nor non-target lesions.
    #[error("baseline ({date}): expected at least one target or non-target lesion, got none")]
    NoBaselineDisease {
        /// The baseline date.
        date: NaiveDate,
    },
    /// More than five target lesions at baseline (§3.2.1).
    #[error("baseline: expected at most 5 target lesions (RECIST 1.1 §3.2.1), got {count}")]
    TooManyTargets {
        /// The number given.
        count: usize,
    },
    /// A baseline target lesion below the measurability threshold (§3.1.2).
    #[error("baseline: target {lesion}: expected a measurable lesion (>= {minimum_mm} mm{node}), got {value_mm} mm", node = if *.nodal { " short axis, node" } else { "" })]
    NotMeasurable {
        /// The lesion id.
        lesion: String,
        /// Whether it is a node.
        nodal: bool,
        /// Its baseline size.
        value_mm: f64,
        /// The threshold.
        minimum_mm: f64,
    },
    /// A diameter that is negative or not finite.
    #[error(
        "timepoint {index} ({date}): target {lesion}: expected a diameter >= 0 mm, got {value_mm}"
    )]
    InvalidDiameter {
        /// 0-based index of the timepoint.
        index: usize,
        /// Its date.
        date: NaiveDate,
        /// The lesion id.
        lesion: String,
        /// The value given.
        value_mm: f64,
    },
    /// A follow-up lesion id that was not recorded at baseline.
    #[error(
        "timepoint {index} ({date}): {kind} {lesion}: not a baseline {kind} (new disease goes in new_lesions)"
    )]
    UnknownLesion {
        /// 0-based index of the timepoint.
        index: usize,
        /// Its date.
        date: NaiveDate,
        /// "target" or "non-target".
        kind: &'static str,
        /// The lesion id.
        lesion: String,
    },
}

/// Assesses a series of timepoints (the first is baseline) under RECIST 1.1. `nodal` names
/// the lesions that are lymph nodes (measured by short axis).
pub fn assess_recist(
    timepoints: &[RecistTimepoint],
    nodal: &BTreeSet<String>,
    rules: &ResponseRules,
) -> Result<RecistAssessment, RecistError> {
    let baseline = validate(timepoints, nodal)?;
    let baseline_sum = hundredths_sum(baseline.targets_mm.values());
    let has_targets = !baseline.targets_mm.is_empty();
    let has_non_targets = !baseline.non_targets.is_empty();
    let mut nadir = baseline_sum;
    let mut assessed = vec![TimepointAssessment {
        date: baseline.date,
        sum_mm: Some(baseline_sum as f64 / 100.0),
        change_from_baseline_pct: Some(0.0),
        change_from_nadir_pct: None,
        target_response: None,
        non_target_response: None,
        response: None,
    }];
    for timepoint in &timepoints[1..] {
        let measured: Vec<(bool, f64)> = baseline
            .targets_mm
            .keys()
            .filter_map(|id| {
                timepoint
                    .targets_mm
                    .get(id)
                    .map(|v| (nodal.contains(id), *v))
            })
            .collect();
        let all_measured = measured.len() == baseline.targets_mm.len();
        let sum = hundredths_sum(measured.iter().map(|(_, v)| v));
        let target_response =
            has_targets.then(|| target_response(&measured, all_measured, sum, baseline_sum, nadir));
        let non_target_response = has_non_targets.then(|| {
            non_target_response(baseline.non_targets.keys().map(|id| {
                timepoint
                    .non_targets
                    .get(id)
                    .copied()
                    .unwrap_or(NonTargetStatus::NotEvaluated)
            }))
        });
        let response =
            overall_response(target_response, non_target_response, timepoint.new_lesions);
        let sum_known = has_targets && all_measured;
        assessed.push(TimepointAssessment {
            date: timepoint.date,
            sum_mm: sum_known.then_some(sum as f64 / 100.0),
            change_from_baseline_pct: sum_known
                .then(|| percent_change(sum, baseline_sum))
                .flatten(),
            change_from_nadir_pct: sum_known.then(|| percent_change(sum, nadir)).flatten(),
            target_response,
            non_target_response,
            response: Some(response),
        });
        if sum_known {
            nadir = nadir.min(sum);
        }
    }
    let series: Vec<(NaiveDate, Response)> = assessed[1..]
        .iter()
        .filter_map(|a| a.response.map(|r| (a.date, r)))
        .collect();
    Ok(RecistAssessment {
        best_overall_response: best_overall_response(baseline.date, &series, rules),
        timepoints: assessed,
    })
}

/// Checks the series and returns its baseline.
fn validate<'a>(
    timepoints: &'a [RecistTimepoint],
    nodal: &BTreeSet<String>,
) -> Result<&'a RecistTimepoint, RecistError> {
    let baseline = timepoints.first().ok_or(RecistError::NoTimepoints)?;
    if baseline.targets_mm.is_empty() && baseline.non_targets.is_empty() {
        return Err(RecistError::NoBaselineDisease {
            date: baseline.date,
        });
    }
    if baseline.targets_mm.len() > MAX_TARGET_LESIONS {
        return Err(RecistError::TooManyTargets {
            count: baseline.targets_mm.len(),
        });
    }
    for (index, timepoint) in timepoints.iter().enumerate() {
        if index > 0 && timepoint.date <= timepoints[index - 1].date {
            return Err(RecistError::DatesNotIncreasing {
                index,
                date: timepoint.date,
                previous: timepoints[index - 1].date,
            });
        }
        for (lesion, &value_mm) in &timepoint.targets_mm {
            if !value_mm.is_finite() || value_mm < 0.0 {
                return Err(RecistError::InvalidDiameter {
                    index,
                    date: timepoint.date,
                    lesion: lesion.clone(),
                    value_mm,
                });
            }
            if !baseline.targets_mm.contains_key(lesion) {
                return Err(unknown(index, timepoint.date, "target", lesion));
            }
        }
        if let Some(lesion) = timepoint
            .non_targets
            .keys()
            .find(|id| !baseline.non_targets.contains_key(*id))
        {
            return Err(unknown(index, timepoint.date, "non-target", lesion));
        }
    }
    for (lesion, &value_mm) in &baseline.targets_mm {
        let is_node = nodal.contains(lesion);
        let minimum_mm = if is_node {
            MEASURABLE_NODE_MM
        } else {
            MEASURABLE_LESION_MM
        };
        if value_mm < minimum_mm {
            return Err(RecistError::NotMeasurable {
                lesion: lesion.clone(),
                nodal: is_node,
                value_mm,
                minimum_mm,
            });
        }
    }
    Ok(baseline)
}

fn unknown(index: usize, date: NaiveDate, kind: &'static str, lesion: &str) -> RecistError {
    RecistError::UnknownLesion {
        index,
        date,
        kind,
        lesion: lesion.to_string(),
    }
}

/// Sum of diameters in integer hundredths of a mm.
fn hundredths_sum<'a>(values: impl Iterator<Item = &'a f64>) -> i64 {
    values.map(|v| (v * 100.0).round() as i64).sum()
}

fn percent_change(value: i64, reference: i64) -> Option<f64> {
    (reference != 0).then(|| (value - reference) as f64 / reference as f64 * 100.0)
}

/// Target response (§4.3.1, §4.3.4). `measured` holds (is node, mm) for the targets
/// measured at this timepoint; `sum`, `baseline` and `nadir` are in hundredths of a mm.
fn target_response(
    measured: &[(bool, f64)],
    all_measured: bool,
    sum: i64,
    baseline: i64,
    nadir: i64,
) -> Response {
    // ≥ 20 % over the nadir and ≥ 5 mm absolute: 10·sum ≥ 12·nadir, exactly.
    let min_increase = (PROGRESSION_MIN_INCREASE_MM * 100.0) as i64;
    let progressed = 10 * sum >= 12 * nadir && sum - nadir >= min_increase;
    if !all_measured {
        // §4.3.4: a missing lesion makes the timepoint NE unless the measured ones alone
        // already show progression.
        return if progressed {
            Response::ProgressiveDisease
        } else {
            Response::NotEvaluable
        };
    }
    // CR before PD: target nodes may still measure up to 9.9 mm at CR, and their
    // fluctuation below 10 mm is not progression (§4.3.1, note on nodes).
    let complete = measured.iter().all(|(node, mm)| {
        if *node {
            *mm < NORMAL_NODE_MM
        } else {
            *mm == 0.0
        }
    });
    if complete {
        Response::CompleteResponse
    } else if progressed {
        Response::ProgressiveDisease
    } else if 10 * sum <= 7 * baseline {
        Response::PartialResponse
    } else {
        Response::StableDisease
    }
}

/// Non-target response (§4.3.2).
fn non_target_response(statuses: impl Iterator<Item = NonTargetStatus>) -> Response {
    let statuses: Vec<NonTargetStatus> = statuses.collect();
    if statuses.contains(&NonTargetStatus::Progressed) {
        Response::ProgressiveDisease
    } else if statuses.contains(&NonTargetStatus::NotEvaluated) {
        Response::NotEvaluable
    } else if statuses.iter().all(|s| *s == NonTargetStatus::Absent) {
        Response::CompleteResponse
    } else {
        Response::NonCompleteNonProgressive
    }
}

/// The overall timepoint response from the target and non-target responses (`None` where
/// the patient has no such lesions) and new lesions: Table 1 with targets, Table 2 with
/// non-targets only.
pub fn overall_response(
    target: Option<Response>,
    non_target: Option<Response>,
    new_lesions: bool,
) -> Response {
    use Response::*;
    if new_lesions || target == Some(ProgressiveDisease) || non_target == Some(ProgressiveDisease) {
        return ProgressiveDisease;
    }
    match (target, non_target) {
        // Table 2: non-target disease only.
        (None, Some(non_target)) => non_target,
        (None, None) => NotEvaluable,
        // Table 1.
        (Some(CompleteResponse), None | Some(CompleteResponse)) => CompleteResponse,
        (Some(CompleteResponse), Some(_)) => PartialResponse,
        (Some(PartialResponse), _) => PartialResponse,
        (Some(StableDisease), _) => StableDisease,
        (Some(_), _) => NotEvaluable,
    }
}
