//! Kaplan–Meier product-limit estimator with Greenwood variance, pointwise confidence
//! intervals, quantiles (median) with their confidence intervals, survival at chosen times
//! and numbers at risk.
//!
//! Conventions are those of R `survival` 3.5 (`survfit`, `quantile.survfit`); the default
//! log(−log) interval equals lifelines' "exponential Greenwood" interval.

use serde::Serialize;

use super::data::SurvivalData;
use super::distributions::normal_two_sided_quantile;

/// How the pointwise confidence interval of S(t) is built from the Greenwood variance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConfidenceTransform {
    /// Symmetric on log(−log S): R `conf.type = "log-log"`, lifelines' default
    /// (Kalbfleisch & Prentice 1980). Undefined where S = 1 or S = 0.
    #[default]
    LogLog,
    /// Symmetric on log S: R `conf.type = "log"` (R's default), capped at 1.
    Log,
    /// Symmetric on S: R `conf.type = "plain"`, clipped to \[0, 1\].
    Plain,
}

/// Options of the Kaplan–Meier fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KaplanMeierOptions {
    /// Two-sided confidence level of the intervals, e.g. 0.95.
    pub confidence_level: f64,
    /// The interval's transform.
    pub transform: ConfidenceTransform,
}

impl Default for KaplanMeierOptions {
    fn default() -> Self {
        Self {
            confidence_level: 0.95,
            transform: ConfidenceTransform::LogLog,
        }
    }
}

/// One row of the estimate: a distinct observed time (event or censoring).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct KaplanMeierStep {
    /// The time.
    pub time: f64,
    /// Subjects at risk just before `time` (time ≥ this time).
    pub n_at_risk: usize,
    /// Events at `time`.
    pub n_events: usize,
    /// Subjects censored at `time`.
    pub n_censored: usize,
    /// S(time), the survival just after `time`.
    pub survival: f64,
    /// Greenwood standard error of log S(time) (infinite once S reaches 0).
    pub std_err_log_survival: f64,
    /// Lower confidence limit; `None` where the transform is undefined (R gives NA).
    pub lower: Option<f64>,
    /// Upper confidence limit; `None` where the transform is undefined.
    pub upper: Option<f64>,
}

/// The survival estimate and interval at a chosen time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SurvivalAt {
    /// The time asked for.
    pub time: f64,
    /// S(time) (1 before the first event).
    pub survival: f64,
    /// Lower confidence limit, `None` where undefined.
    pub lower: Option<f64>,
    /// Upper confidence limit, `None` where undefined.
    pub upper: Option<f64>,
    /// Subjects at risk at `time` (follow-up ≥ time).
    pub n_at_risk: usize,
}

/// A survival quantile (e.g. the median) and its confidence interval; `None` where not reached.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MedianSurvival {
    /// The estimate.
    pub estimate: Option<f64>,
    /// Lower confidence limit (where the lower pointwise band crosses).
    pub lower: Option<f64>,
    /// Upper confidence limit (where the upper pointwise band crosses).
    pub upper: Option<f64>,
}

/// A fitted Kaplan–Meier curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KaplanMeier {
    n_subjects: usize,
    n_events: usize,
    options_confidence_level: f64,
    transform: ConfidenceTransform,
    steps: Vec<KaplanMeierStep>,
}

/// Fits the Kaplan–Meier estimator.
///
/// S(t) = ∏_{tᵢ ≤ t} (1 − dᵢ/nᵢ); Greenwood: Var(log S) = Σ dᵢ / (nᵢ (nᵢ − dᵢ)).
/// O(n log n) for the sort, O(n) after it.
pub fn kaplan_meier(data: &SurvivalData, options: &KaplanMeierOptions) -> KaplanMeier {
    let z = normal_two_sided_quantile(options.confidence_level);
    let subjects = data.sorted_by_time();
    let mut steps = Vec::new();
    let mut n_at_risk = data.len();
    let mut survival = 1.0_f64;
    let mut greenwood = 0.0_f64;
    for same_time in subjects.chunk_by(|a, b| a.0 == b.0) {
        let t = same_time[0].0;
        let n_events = same_time.iter().filter(|s| s.1).count();
        let n_censored = same_time.len() - n_events;
        if n_events > 0 {
            let (n, d) = (n_at_risk as f64, n_events as f64);
            survival *= 1.0 - d / n;
            greenwood += if n_events == n_at_risk {
                f64::INFINITY
            } else {
                d / (n * (n - d))
            };
        }
        let std_err = greenwood.sqrt();
        let (lower, upper) = confidence_interval(survival, std_err, z, options.transform);
        steps.push(KaplanMeierStep {
            time: t,
            n_at_risk,
            n_events,
            n_censored,
            survival,
            std_err_log_survival: std_err,
            lower,
            upper,
        });
        n_at_risk -= n_events + n_censored;
    }
    KaplanMeier {
        n_subjects: data.len(),
        n_events: data.n_events(),
        options_confidence_level: options.confidence_level,
        transform: options.transform,
        steps,
    }
}

/// The pointwise interval of R `survival:::survfit_confint` (with `logse = TRUE`).
fn confidence_interval(
    survival: f64,
    std_err_log: f64,
    z: f64,
    transform: ConfidenceTransform,
) -> (Option<f64>, Option<f64>) {
    let defined = |v: f64| v.is_finite().then_some(v);
    if !std_err_log.is_finite() || survival == 0.0 {
        return (None, None);
    }
    match transform {
        ConfidenceTransform::Plain => {
            let half_width = z * std_err_log * survival;
            (
                defined((survival - half_width).max(0.0)),
                defined((survival + half_width).min(1.0)),
            )
        }
        ConfidenceTransform::Log => {
            let half_width = z * std_err_log;
            (
                defined((survival.ln() - half_width).exp()),
                defined((survival.ln() + half_width).exp().min(1.0)),
            )
        }
        ConfidenceTransform::LogLog => {
            if survival == 1.0 {
                return (None, None);
            }
            let log_minus_log = (-survival.ln()).ln();
            let half_width = z * std_err_log / survival.ln();
            (
                defined((-(log_minus_log - half_width).exp()).exp()),
                defined((-(log_minus_log + half_width).exp()).exp()),
            )
        }
    }
}

impl KaplanMeier {
    /// One row per distinct observed time, ascending.
    pub fn steps(&self) -> &[KaplanMeierStep] {
        &self.steps
    }

    /// Number of subjects.
    pub fn n_subjects(&self) -> usize {
        self.n_subjects
    }

    /// Number of events.
    pub fn n_events(&self) -> usize {
        self.n_events
    }

    /// The confidence level the intervals were built with.
    pub fn confidence_level(&self) -> f64 {
        self.options_confidence_level
    }

    /// The interval transform used.
    pub fn transform(&self) -> ConfidenceTransform {
        self.transform
    }

    /// Subjects at risk at `time`: follow-up ≥ `time`.
    pub fn n_at_risk_at(&self, time: f64) -> usize {
        self.steps
            .iter()
            .find(|s| s.time >= time)
            .map_or(0, |s| s.n_at_risk)
    }

    /// S(`time`) with its interval: the last step at or before `time`; 1 (interval 1–1 except
    /// for log(−log), which R leaves undefined) before the first step. Past the last
    /// observed time the last value is carried forward, as R `summary(..., extend = TRUE)`.
    pub fn survival_at(&self, time: f64) -> SurvivalAt {
        let n_at_risk = self.n_at_risk_at(time);
        match self.steps.iter().rev().find(|s| s.time <= time) {
            Some(step) => SurvivalAt {
                time,
                survival: step.survival,
                lower: step.lower,
                upper: step.upper,
                n_at_risk,
            },
            None => {
                let one = (self.transform != ConfidenceTransform::LogLog).then_some(1.0);
                SurvivalAt {
                    time,
                    survival: 1.0,
                    lower: one,
                    upper: one,
                    n_at_risk,
                }
            }
        }
    }

    /// The median survival time with its confidence interval (R `quantile.survfit`).
    pub fn median(&self) -> MedianSurvival {
        self.quantile(0.5)
    }

    /// The time by which a fraction `probability` of subjects has had the event
    /// (0.5 = median), with its confidence interval, following R `quantile.survfit`: the
    /// first time the curve reaches 1 − `probability`; where the curve sits exactly on it
    /// (within √ε) over an interval, the midpoint of that interval. The interval limits are
    /// where the lower and upper pointwise bands reach it (Brookmeyer & Crowley 1982).
    pub fn quantile(&self, probability: f64) -> MedianSurvival {
        let times: Vec<f64> = self.steps.iter().map(|s| s.time).collect();
        let curve = |f: fn(&KaplanMeierStep) -> Option<f64>| -> Vec<Option<f64>> {
            self.steps.iter().map(f).collect()
        };
        MedianSurvival {
            estimate: find_quantile(&times, &curve(|s| Some(s.survival)), probability),
            lower: find_quantile(&times, &curve(|s| s.lower), probability),
            upper: find_quantile(&times, &curve(|s| s.upper), probability),
        }
    }
}

/// R `survival:::findq` on the cumulative-incidence curve y = 1 − S with the point
/// (0, 0) prepended. Like R: repeated y values (including repeated undefined ones) keep
/// their first time, undefined points are then skipped by the interpolation, and the
/// last-point rule looks at the last kept value.
fn find_quantile(times: &[f64], survival: &[Option<f64>], probability: f64) -> Option<f64> {
    let tolerance = f64::EPSILON.sqrt();
    let last_time = *times.last()?;
    let curve = std::iter::once((0.0, Some(0.0))).chain(
        times
            .iter()
            .zip(survival)
            .map(|(t, s)| (*t, s.map(|s| 1.0 - s))),
    );
    let mut seen = std::collections::HashSet::new();
    let kept: Vec<(f64, Option<f64>)> = curve
        .filter(|(_, y)| seen.insert(y.map(f64::to_bits)))
        .collect();
    let defined: Vec<(f64, f64)> = kept
        .iter()
        .filter_map(|(t, y)| y.map(|y| (*t, y)))
        .collect();
    if defined.iter().all(|(_, y)| *y < probability) {
        return None;
    }
    let first_reaching = |threshold: f64| defined.iter().position(|(_, y)| *y >= threshold);
    let index_low = first_reaching(probability - tolerance)?;
    match first_reaching(probability + tolerance) {
        Some(index_high) => Some((defined[index_low].0 + defined[index_high].0) / 2.0),
        None => match kept.last() {
            Some((_, Some(last_y))) if (probability - last_y).abs() < tolerance => {
                Some((defined[index_low].0 + last_time) / 2.0)
            }
            _ => None,
        },
    }
}
