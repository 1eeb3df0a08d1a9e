//! The validated input of every survival estimator: one follow-up time and one event flag
//! per subject.

use thiserror::Error;

/// Errors from the survival estimators. Row numbers are 0-based positions in the input.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SurvivalError {
    /// The time and event vectors (or a covariate or group vector) differ in length.
    #[error("{what}: expected {expected} values (one per subject), got {got}")]
    LengthMismatch {
        /// Which input had the wrong length.
        what: String,
        /// The number of subjects.
        expected: usize,
        /// The number of values given.
        got: usize,
    },
    /// A follow-up time is negative, infinite or NaN.
    #[error("row {row}: time: expected a finite number >= 0, got {value}")]
    InvalidTime {
        /// The 0-based row.
        row: usize,
        /// The offending value.
        value: f64,
    },
    /// A covariate value is infinite or NaN.
    #[error("row {row}: covariate {covariate}: expected a finite number, got {value}")]
    InvalidCovariate {
        /// The 0-based row.
        row: usize,
        /// The covariate's name.
        covariate: String,
        /// The offending value.
        value: f64,
    },
    /// There are no subjects.
    #[error("no subjects: at least one row is needed")]
    Empty,
    /// A test needs at least two groups with subjects.
    #[error("log-rank: expected at least two groups, got {groups}")]
    TooFewGroups {
        /// The number of non-empty groups found.
        groups: usize,
    },
    /// There is no event, so no hazard can be estimated.
    #[error("no events: at least one event is needed")]
    NoEvents,
    /// A matrix that must be inverted is singular (collinear covariates, or a covariate
    /// that is constant among the subjects at risk).
    #[error("{what}: the matrix is singular (collinear or constant covariates?)")]
    Singular {
        /// Which matrix.
        what: String,
    },
    /// Newton–Raphson did not converge.
    #[error("cox: did not converge in {iterations} iterations (monotone likelihood?)")]
    NotConverged {
        /// Iterations done.
        iterations: usize,
    },
}

/// Right-censored survival data: follow-up `time` (any unit, ≥ 0) and `event` (true = the
/// event was observed at `time`, false = censored at `time`), one pair per subject.
#[derive(Debug, Clone, PartialEq)]
pub struct SurvivalData {
    time: Vec<f64>,
    event: Vec<bool>,
}

impl SurvivalData {
    /// Validates and wraps the two vectors: same length, at least one subject, every time
    /// finite and non-negative.
    pub fn new(time: Vec<f64>, event: Vec<bool>) -> Result<Self, SurvivalError> {
        if time.len() != event.len() {
            return Err(SurvivalError::LengthMismatch {
                what: "event".into(),
                expected: time.len(),
                got: event.len(),
            });
        }
        if time.is_empty() {
            return Err(SurvivalError::Empty);
        }
        if let Some((row, &value)) = time
            .iter()
            .enumerate()
            .find(|(_, t)| !t.is_finite() || **t < 0.0)
        {
            return Err(SurvivalError::InvalidTime { row, value });
        }
        Ok(Self { time, event })
    }

    /// Follow-up times, one per subject.
    pub fn time(&self) -> &[f64] {
        &self.time
    }

    /// Event flags, one per subject.
    pub fn event(&self) -> &[bool] {
        &self.event
    }

    /// Number of subjects.
    pub fn len(&self) -> usize {
        self.time.len()
    }

    /// Always false: construction refuses empty data. Present for API symmetry with `len`.
    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// Number of observed events.
    pub fn n_events(&self) -> usize {
        self.event.iter().filter(|e| **e).count()
    }

    /// Subject indices sorted by ascending time (stable, so input order breaks ties).
    pub(crate) fn order_by_time(&self) -> Vec<usize> {
        sorted_order(&self.time)
    }

    /// (time, event) pairs sorted by ascending time, contiguous for sequential passes.
    pub(crate) fn sorted_by_time(&self) -> Vec<(f64, bool)> {
        let mut pairs: Vec<(f64, bool)> = self
            .time
            .iter()
            .copied()
            .zip(self.event.iter().copied())
            .collect();
        radsort::sort_by_key(&mut pairs, |pair| pair.0);
        pairs
    }

    /// Checks that a per-subject vector has one entry per subject.
    pub(crate) fn check_len(&self, what: &str, got: usize) -> Result<(), SurvivalError> {
        if got == self.len() {
            Ok(())
        } else {
            Err(SurvivalError::LengthMismatch {
                what: what.into(),
                expected: self.len(),
                got,
            })
        }
    }
}

/// Indices that sort `keys` ascending; stable, so equal keys keep their input order.
///
/// A radix sort (radsort) of contiguous (key, index) pairs: at 10⁶ subjects the comparison
/// sort of an index vector, with its scattered key reads, was the largest single cost of
/// Kaplan–Meier and of the concordance (measured in `bench/survival`).
pub(crate) fn sorted_order(keys: &[f64]) -> Vec<usize> {
    let mut pairs: Vec<(f64, usize)> = keys.iter().copied().zip(0..).collect();
    radsort::sort_by_key(&mut pairs, |pair| pair.0);
    pairs.into_iter().map(|(_, index)| index).collect()
}
