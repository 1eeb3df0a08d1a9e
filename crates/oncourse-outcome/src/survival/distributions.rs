//! The few distribution functions the tests need, from statrs.

use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};

/// Upper tail P(X ≥ x) of a χ² distribution with `df` degrees of freedom.
pub(crate) fn chi_squared_upper_tail(x: f64, df: f64) -> f64 {
    // `df` > 0 by construction at every call site; a failure here is a bug.
    ChiSquared::new(df).map(|d| d.sf(x)).unwrap_or(f64::NAN)
}

/// Two-sided p-value of a standard-normal statistic `z`.
pub(crate) fn normal_two_sided_p(z: f64) -> f64 {
    2.0 * standard_normal().sf(z.abs())
}

/// The standard-normal quantile for a two-sided confidence level, e.g. 1.959964 for 0.95.
pub(crate) fn normal_two_sided_quantile(confidence_level: f64) -> f64 {
    standard_normal().inverse_cdf(1.0 - (1.0 - confidence_level) / 2.0)
}

fn standard_normal() -> Normal {
    Normal::standard()
}
