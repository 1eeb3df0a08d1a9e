//! The log-rank test for k groups, unstratified and stratified (R `survdiff` with rho = 0).

use nalgebra::{DMatrix, DVector};
use serde::Serialize;

use super::data::{SurvivalData, SurvivalError};
use super::distributions::chi_squared_upper_tail;

/// Result of a log-rank test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogRankTest {
    /// The χ² statistic (O − E)ᵀ V⁻ (O − E) over the first k − 1 groups.
    pub statistic: f64,
    /// Degrees of freedom, k − 1.
    pub df: usize,
    /// P(χ²_df ≥ statistic).
    pub p_value: f64,
    /// Observed events per group (index = group).
    pub observed: Vec<f64>,
    /// Expected events per group under the null hypothesis.
    pub expected: Vec<f64>,
}

/// Log-rank test of equal hazards across groups `group[i]` ∈ 0..k (k ≥ 2 non-empty groups).
///
/// At each distinct event time with n at risk and d events, group j contributes
/// Eⱼ = nⱼ d / n and Vⱼₗ = d (n − d) / (n − 1) · nⱼ/n (δⱼₗ − nₗ/n) (Mantel 1966; R `survdiff`).
pub fn logrank(data: &SurvivalData, group: &[usize]) -> Result<LogRankTest, SurvivalError> {
    logrank_stratified(data, group, &vec![0; data.len()])
}

/// Stratified log-rank test: the observed-minus-expected vectors and variance matrices are
/// computed within each stratum `stratum[i]` and summed (R `survdiff(... + strata(s))`).
pub fn logrank_stratified(
    data: &SurvivalData,
    group: &[usize],
    stratum: &[usize],
) -> Result<LogRankTest, SurvivalError> {
    data.check_len("group", group.len())?;
    data.check_len("stratum", stratum.len())?;
    let n_groups = group.iter().max().map_or(0, |g| g + 1);
    let mut group_sizes = vec![0usize; n_groups];
    for g in group {
        group_sizes[*g] += 1;
    }
    let non_empty = group_sizes.iter().filter(|n| **n > 0).count();
    if non_empty < 2 {
        return Err(SurvivalError::TooFewGroups { groups: non_empty });
    }
    // One contiguous record per subject, sorted by time and then (stably) by stratum, so the
    // passes below read memory in order.
    let mut subjects: Vec<Subject> = (0..data.len())
        .map(|i| Subject {
            time: data.time()[i],
            group: group[i],
            stratum: stratum[i],
            event: data.event()[i],
        })
        .collect();
    radsort::sort_by_key(&mut subjects, |s| s.time);
    radsort::sort_by_key(&mut subjects, |s| s.stratum);
    let mut observed = vec![0.0; n_groups];
    let mut expected = vec![0.0; n_groups];
    let mut variance = DMatrix::<f64>::zeros(n_groups, n_groups);
    for block in subjects.chunk_by(|a, b| a.stratum == b.stratum) {
        accumulate_stratum(block, &mut observed, &mut expected, &mut variance);
    }
    // Drop empty groups and the last remaining group: V is singular on the full k.
    let kept: Vec<usize> = (0..n_groups).filter(|g| group_sizes[*g] > 0).collect();
    let used = &kept[..kept.len() - 1];
    let difference =
        DVector::from_iterator(used.len(), used.iter().map(|g| observed[*g] - expected[*g]));
    let reduced = DMatrix::from_fn(used.len(), used.len(), |r, c| variance[(used[r], used[c])]);
    let solved = reduced
        .clone()
        .cholesky()
        .map(|c| c.solve(&difference))
        .ok_or_else(|| SurvivalError::Singular {
            what: "log-rank variance".into(),
        })?;
    let statistic = difference.dot(&solved);
    let df = used.len();
    Ok(LogRankTest {
        statistic,
        df,
        p_value: chi_squared_upper_tail(statistic, df as f64),
        observed,
        expected,
    })
}

/// One subject as the test reads it.
struct Subject {
    time: f64,
    group: usize,
    stratum: usize,
    event: bool,
}

/// Adds one stratum's O, E and V. `block` holds the stratum's subjects in ascending time.
fn accumulate_stratum(
    block: &[Subject],
    observed: &mut [f64],
    expected: &mut [f64],
    variance: &mut DMatrix<f64>,
) {
    let n_groups = observed.len();
    let mut at_risk = vec![0usize; n_groups];
    for s in block {
        at_risk[s.group] += 1;
    }
    let mut n_at_risk = block.len();
    let mut events = vec![0usize; n_groups];
    for same_time in block.chunk_by(|a, b| a.time == b.time) {
        events.iter_mut().for_each(|e| *e = 0);
        for s in same_time.iter().filter(|s| s.event) {
            events[s.group] += 1;
        }
        let d: usize = events.iter().sum();
        if d > 0 {
            let (n, d) = (n_at_risk as f64, d as f64);
            let factor = if n_at_risk > 1 {
                d * (n - d) / (n - 1.0)
            } else {
                0.0
            };
            for j in 0..n_groups {
                let share_j = at_risk[j] as f64 / n;
                observed[j] += events[j] as f64;
                expected[j] += d * share_j;
                for l in 0..n_groups {
                    let share_l = at_risk[l] as f64 / n;
                    let kronecker = if j == l { 1.0 } else { 0.0 };
                    variance[(j, l)] += factor * share_j * (kronecker - share_l);
                }
            }
        }
        for s in same_time {
            at_risk[s.group] -= 1;
        }
        n_at_risk -= same_time.len();
    }
}
