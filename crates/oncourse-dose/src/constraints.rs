//! Dose-constraint sets kept as data (`data/constraints.toml`, embedded), each constraint with
//! its published source, evaluated against DVHs to pass/fail with the margin left.
//!
//! The sets quote the literature; they never decide. A constraint whose structure is not in the
//! structure set is reported as not evaluated rather than silently dropped.

use serde::{Deserialize, Serialize};

use crate::dvh::Dvh;
use crate::error::{DoseError, Result};

/// A named set of constraints with its source.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConstraintSet {
    /// Short id used on the command line, e.g. `tg101-3fx`.
    pub name: String,
    /// What the set is for.
    pub description: String,
    /// The fractionation the limits apply to, in words.
    pub fractionation: String,
    /// The number of fractions when the limits are for one (SBRT tables).
    pub fractions: Option<u32>,
    /// The publication.
    pub source: String,
    /// What of the source was actually seen when the numbers were written down.
    pub verified: String,
    /// The constraints.
    #[serde(rename = "constraint")]
    pub constraints: Vec<Constraint>,
}

/// One dose-volume limit.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constraint {
    /// The organ the source names.
    pub structure: String,
    /// ROI names (case-insensitive) taken to be that organ.
    pub aliases: Vec<String>,
    /// The metric, e.g. `Dmax`, `Dmean`, `D10cc`, `D2%`, `V40Gy`.
    pub metric: String,
    /// The limit; met when the metric is below it.
    pub limit: f64,
    /// `Gy` for dose metrics; `%` or `cc` for volume metrics.
    pub unit: String,
    /// The complication the limit guards against.
    pub endpoint: String,
    /// Where in the set's publication this row stands (table and row, section, or abstract).
    pub source: String,
}

#[derive(Deserialize)]
struct File {
    set: Vec<ConstraintSet>,
}

/// A parsed metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Metric {
    /// Maximum dose.
    Max,
    /// Mean dose.
    Mean,
    /// Minimum dose.
    Min,
    /// Dose to the hottest `x` cm³.
    DoseToCc(f64),
    /// Dose to the hottest `x` % of the structure.
    DoseToPercent(f64),
    /// Volume receiving at least `x` Gy.
    VolumeAtGy(f64),
}

impl Metric {
    /// Parses the metric grammar of the data file.
    pub fn parse(text: &str) -> Option<Metric> {
        let number = |digits: &str| {
            digits
                .parse::<f64>()
                .ok()
                .filter(|value| value.is_finite() && *value >= 0.0)
        };
        match text {
            "Dmax" => Some(Metric::Max),
            "Dmean" => Some(Metric::Mean),
            "Dmin" => Some(Metric::Min),
            _ => {
                if let Some(rest) = text.strip_prefix('V') {
                    return number(rest.strip_suffix("Gy")?).map(Metric::VolumeAtGy);
                }
                let rest = text.strip_prefix('D')?;
                if let Some(cc) = rest.strip_suffix("cc") {
                    return number(cc).map(Metric::DoseToCc);
                }
                number(rest.strip_suffix('%')?)
                    .filter(|percent| *percent <= 100.0)
                    .map(Metric::DoseToPercent)
            }
        }
    }

    /// The metric's value on a DVH in the unit asked (`Gy`, or `%`/`cc` for volumes).
    pub fn value(self, dvh: &Dvh, unit: &str) -> f64 {
        match self {
            Metric::Max => dvh.max_gy,
            Metric::Mean => dvh.mean_gy,
            Metric::Min => dvh.min_gy,
            Metric::DoseToCc(cc) => dvh.dose_covering_cc(cc),
            Metric::DoseToPercent(percent) => dvh.dose_covering_pct(percent),
            Metric::VolumeAtGy(gy) if unit == "%" => dvh.volume_at_least_pct(gy),
            Metric::VolumeAtGy(gy) => dvh.volume_at_least_cc(gy),
        }
    }

    fn unit_is_valid(self, unit: &str) -> bool {
        match self {
            Metric::VolumeAtGy(_) => unit == "%" || unit == "cc",
            _ => unit == "Gy",
        }
    }
}

/// Parses constraint sets from TOML text and checks every row (metric grammar, unit, source).
pub fn parse_sets(source_name: &str, text: &str) -> Result<Vec<ConstraintSet>> {
    let invalid = |attribute: String, expected: &str, got: String| DoseError::InvalidValue {
        source_name: source_name.to_owned(),
        attribute,
        expected: expected.to_owned(),
        got,
    };
    let file: File = toml::from_str(text).map_err(|error| {
        invalid(
            "constraint sets".to_owned(),
            "valid TOML",
            error.to_string(),
        )
    })?;
    for set in &file.set {
        if set.source.trim().is_empty() || set.verified.trim().is_empty() {
            return Err(invalid(
                format!("set {:?}", set.name),
                "a source and what of it was verified",
                "an empty field".to_owned(),
            ));
        }
        for (index, constraint) in set.constraints.iter().enumerate() {
            let field = |name: &str| format!("set {:?} constraint {index}: {name}", set.name);
            let metric = Metric::parse(&constraint.metric).ok_or_else(|| {
                invalid(
                    field("metric"),
                    "Dmax, Dmean, Dmin, D<x>cc, D<x>% or V<x>Gy",
                    constraint.metric.clone(),
                )
            })?;
            if !metric.unit_is_valid(&constraint.unit) {
                return Err(invalid(
                    field("unit"),
                    "Gy for dose metrics, % or cc for V<x>Gy",
                    constraint.unit.clone(),
                ));
            }
            if !names_a_place(&constraint.source) {
                return Err(invalid(
                    field("source"),
                    "where in the publication the row stands (a table, section or abstract)",
                    format!("{:?}", constraint.source),
                ));
            }
            if !(constraint.limit.is_finite() && constraint.limit > 0.0)
                || constraint.aliases.is_empty()
            {
                return Err(invalid(
                    field("limit/aliases"),
                    "a positive limit and at least one alias",
                    format!("{} / {:?}", constraint.limit, constraint.aliases),
                ));
            }
        }
    }
    Ok(file.set)
}

/// Whether a row's source names a place in a publication: a table, a section or the abstract.
fn names_a_place(source: &str) -> bool {
    let source = source.to_ascii_lowercase();
    ["table", "section", "abstract"]
        .iter()
        .any(|place| source.contains(place))
}

/// The sets shipped with oncourse (`data/constraints.toml`).
pub fn builtin_sets() -> &'static [ConstraintSet] {
    static SETS: std::sync::OnceLock<Vec<ConstraintSet>> = std::sync::OnceLock::new();
    SETS.get_or_init(|| {
        // The embedded file is checked by this crate's tests; a failure here is a build defect.
        parse_sets("constraints.toml", include_str!("../data/constraints.toml"))
            .expect("the embedded constraint sets parse")
    })
}

/// A built-in set by name.
pub fn find_set(name: &str) -> Result<&'static ConstraintSet> {
    builtin_sets()
        .iter()
        .find(|set| set.name == name)
        .ok_or_else(|| DoseError::InvalidArgument {
            argument: "constraint set".to_owned(),
            expected: format!(
                "one of {:?}",
                builtin_sets()
                    .iter()
                    .map(|set| set.name.as_str())
                    .collect::<Vec<_>>()
            ),
            got: name.to_owned(),
        })
}

/// The outcome of one constraint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConstraintResult {
    /// The organ the source names.
    pub structure: String,
    /// The ROI evaluated, if one matched.
    pub roi: Option<String>,
    /// The metric.
    pub metric: String,
    /// The limit and its unit.
    pub limit: f64,
    /// `Gy`, `%` or `cc`.
    pub unit: String,
    /// The plan's value, when evaluated.
    pub value: Option<f64>,
    /// Whether the value is below the limit; `None` when not evaluated.
    pub passed: Option<bool>,
    /// Limit minus value (room left; negative when exceeded).
    pub margin: Option<f64>,
    /// The complication guarded against.
    pub endpoint: String,
    /// Where in the set's publication the row stands.
    pub source: String,
    /// Why it was not evaluated, if it was not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Which ROI a constraint applies to: the first ROI whose name matches an alias.
pub fn matching_roi<'a>(constraint: &Constraint, roi_names: &'a [String]) -> Option<&'a str> {
    roi_names
        .iter()
        .find(|name| {
            constraint
                .aliases
                .iter()
                .any(|alias| alias.eq_ignore_ascii_case(name.trim()))
        })
        .map(String::as_str)
}

/// Evaluates a constraint on the DVH of its ROI (`None` when the ROI is absent or has no DVH).
pub fn evaluate(constraint: &Constraint, roi: Option<(&str, Option<&Dvh>)>) -> ConstraintResult {
    let mut result = ConstraintResult {
        structure: constraint.structure.clone(),
        roi: roi.map(|(name, _)| name.to_owned()),
        metric: constraint.metric.clone(),
        limit: constraint.limit,
        unit: constraint.unit.clone(),
        value: None,
        passed: None,
        margin: None,
        endpoint: constraint.endpoint.clone(),
        source: constraint.source.clone(),
        note: None,
    };
    match roi {
        None => result.note = Some(format!("no ROI named any of {:?}", constraint.aliases)),
        Some((name, None)) => {
            result.note = Some(format!("ROI {name:?} has no contours inside the dose grid"))
        }
        Some((_, Some(dvh))) => match Metric::parse(&constraint.metric) {
            None => result.note = Some(format!("unknown metric {:?}", constraint.metric)),
            Some(metric) => {
                let value = metric.value(dvh, &constraint.unit);
                result.value = Some(value);
                result.passed = Some(value < constraint.limit);
                result.margin = Some(constraint.limit - value);
            }
        },
    }
    result
}
