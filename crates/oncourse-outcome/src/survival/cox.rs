//! Cox proportional-hazards regression by Newton–Raphson on the partial likelihood,
//! with Efron (default, as R `coxph` and lifelines) or Breslow handling of tied event times.
//!
//! One sort, then per Newton step one backward pass over the subjects accumulating the
//! risk-set sums S₀ = Σ w, S₁ = Σ w x, S₂ = Σ w x xᵀ (w = exp(xᵀβ)): O(n p²) per step.
//! The linear predictor is evaluated in parallel (rayon); the pass itself is a prefix sum.
//! Covariates are centred first (the partial likelihood is invariant to a shift of x, and
//! the sums stay well conditioned), and w is scaled by exp(−max xᵀβ) against overflow.

use nalgebra::{DMatrix, DVector};
use rayon::prelude::*;
use serde::Serialize;

use super::concordance::concordance;
use super::data::{SurvivalData, SurvivalError};
use super::distributions::{chi_squared_upper_tail, normal_two_sided_p, normal_two_sided_quantile};

/// How tied event times enter the partial likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Ties {
    /// Efron (1977): the tied subjects leave the risk set in equal fractions.
    #[default]
    Efron,
    /// Breslow (1974): every tied subject sees the full risk set.
    Breslow,
}

/// Options of the Cox fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoxOptions {
    /// Tie handling.
    pub ties: Ties,
    /// Two-sided confidence level of the hazard-ratio intervals, e.g. 0.95.
    pub confidence_level: f64,
    /// Stop when the largest Newton step is below this (absolute, on the coefficient scale).
    pub step_tolerance: f64,
    /// Give up after this many Newton steps.
    pub max_iterations: usize,
}

impl Default for CoxOptions {
    fn default() -> Self {
        Self {
            ties: Ties::Efron,
            confidence_level: 0.95,
            step_tolerance: 1e-9,
            max_iterations: 50,
        }
    }
}

/// A fitted Cox model; vectors are in the order of the covariates given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoxFit {
    /// Covariate names.
    pub names: Vec<String>,
    /// Coefficients β (log hazard ratios).
    pub coef: Vec<f64>,
    /// Standard errors of β from the inverse observed information.
    pub se: Vec<f64>,
    /// Hazard ratios exp(β).
    pub hazard_ratio: Vec<f64>,
    /// Lower confidence limits of the hazard ratios, exp(β − z·se).
    pub hazard_ratio_lower: Vec<f64>,
    /// Upper confidence limits of the hazard ratios, exp(β + z·se).
    pub hazard_ratio_upper: Vec<f64>,
    /// Wald z = β / se.
    pub z: Vec<f64>,
    /// Two-sided Wald p-values.
    pub p_value: Vec<f64>,
    /// Log partial likelihood at β.
    pub log_likelihood: f64,
    /// Log partial likelihood at β = 0.
    pub log_likelihood_null: f64,
    /// Likelihood-ratio statistic 2 (ℓ(β) − ℓ(0)).
    pub lr_statistic: f64,
    /// Degrees of freedom of the likelihood-ratio test (number of covariates).
    pub lr_df: usize,
    /// P(χ²_df ≥ lr_statistic).
    pub lr_p_value: f64,
    /// Harrell's C of xᵀβ.
    pub concordance: f64,
    /// Newton steps taken.
    pub iterations: usize,
    /// Subjects used.
    pub n: usize,
    /// Events among them.
    pub n_events: usize,
}

/// Fits a Cox model of `data` on the covariate columns `covariates` (name, one value per
/// subject).
pub fn cox_proportional_hazards(
    data: &SurvivalData,
    covariates: &[(String, Vec<f64>)],
    options: &CoxOptions,
) -> Result<CoxFit, SurvivalError> {
    let design = Design::new(data, covariates)?;
    let p = design.n_covariates;
    let mut beta = DVector::<f64>::zeros(p);
    let null = design.evaluate(&beta, options.ties);
    let mut current = null.clone();
    let mut iterations = 0;
    loop {
        if iterations == options.max_iterations {
            return Err(SurvivalError::NotConverged { iterations });
        }
        iterations += 1;
        let step = current
            .information
            .clone()
            .cholesky()
            .map(|c| c.solve(&current.gradient))
            .ok_or_else(|| SurvivalError::Singular {
                what: "cox information".into(),
            })?;
        let mut candidate_beta = &beta + &step;
        let mut candidate = design.evaluate(&candidate_beta, options.ties);
        // Step halving, as R coxph does, when a full step lowers the likelihood by more
        // than rounding: near the optimum a step changes ℓ by less than the rounding of a
        // sum of n terms, and halving then would only repeat full passes for nothing.
        let rounding = 1e-11 * current.log_likelihood.abs().max(1.0);
        let mut halvings = 0;
        while (candidate.log_likelihood.is_nan()
            || candidate.log_likelihood < current.log_likelihood - rounding)
            && halvings < 30
        {
            candidate_beta = (&beta + &candidate_beta) / 2.0;
            candidate = design.evaluate(&candidate_beta, options.ties);
            halvings += 1;
        }
        let largest_step = (&candidate_beta - &beta).amax();
        beta = candidate_beta;
        current = candidate;
        if largest_step < options.step_tolerance {
            break;
        }
    }
    let covariance =
        current
            .information
            .clone()
            .try_inverse()
            .ok_or_else(|| SurvivalError::Singular {
                what: "cox information".into(),
            })?;
    let z_level = normal_two_sided_quantile(options.confidence_level);
    let coef: Vec<f64> = beta.iter().copied().collect();
    let se: Vec<f64> = (0..p).map(|j| covariance[(j, j)].sqrt()).collect();
    let z: Vec<f64> = coef.iter().zip(&se).map(|(b, s)| b / s).collect();
    let lr_statistic = 2.0 * (current.log_likelihood - null.log_likelihood);
    let risk_score = design.linear_predictor_in_input_order(&beta);
    Ok(CoxFit {
        names: covariates.iter().map(|(name, _)| name.clone()).collect(),
        hazard_ratio: coef.iter().map(|b| b.exp()).collect(),
        hazard_ratio_lower: coef
            .iter()
            .zip(&se)
            .map(|(b, s)| (b - z_level * s).exp())
            .collect(),
        hazard_ratio_upper: coef
            .iter()
            .zip(&se)
            .map(|(b, s)| (b + z_level * s).exp())
            .collect(),
        p_value: z.iter().map(|z| normal_two_sided_p(*z)).collect(),
        coef,
        se,
        z,
        log_likelihood: current.log_likelihood,
        log_likelihood_null: null.log_likelihood,
        lr_statistic,
        lr_df: p,
        lr_p_value: chi_squared_upper_tail(lr_statistic, p as f64),
        concordance: concordance(data, &risk_score).index,
        iterations,
        n: data.len(),
        n_events: data.n_events(),
    })
}

/// Log partial likelihood, its gradient and the observed information at one β.
#[derive(Debug, Clone)]
struct Evaluation {
    log_likelihood: f64,
    gradient: DVector<f64>,
    information: DMatrix<f64>,
}

/// The covariates centred and laid out row-major in descending time order, with the
/// tied-time groups marked.
struct Design {
    n_covariates: usize,
    /// Row-major, `n × p`, descending time.
    x: Vec<f64>,
    /// Event flag per row (descending time).
    event: Vec<bool>,
    /// Start offsets of the groups of equal time (descending), plus a final `n`.
    group_starts: Vec<usize>,
    /// Row (descending time) → input index.
    input_index: Vec<usize>,
}

impl Design {
    fn new(data: &SurvivalData, covariates: &[(String, Vec<f64>)]) -> Result<Self, SurvivalError> {
        if data.n_events() == 0 {
            return Err(SurvivalError::NoEvents);
        }
        for (name, values) in covariates {
            data.check_len(&format!("covariate {name}"), values.len())?;
            if let Some((row, &value)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
                return Err(SurvivalError::InvalidCovariate {
                    row,
                    covariate: name.clone(),
                    value,
                });
            }
        }
        let p = covariates.len();
        let n = data.len();
        let means: Vec<f64> = covariates
            .iter()
            .map(|(_, v)| v.iter().sum::<f64>() / n as f64)
            .collect();
        let mut input_index = data.order_by_time();
        input_index.reverse();
        let time = data.time();
        let mut x = vec![0.0; n * p];
        x.par_chunks_mut(p.max(1))
            .zip(input_index.par_iter())
            .for_each(|(row, &i)| {
                for (j, (_, values)) in covariates.iter().enumerate() {
                    row[j] = values[i] - means[j];
                }
            });
        let mut group_starts: Vec<usize> = (0..n)
            .filter(|&k| k == 0 || time[input_index[k]] != time[input_index[k - 1]])
            .collect();
        group_starts.push(n);
        Ok(Self {
            n_covariates: p,
            x,
            event: input_index.iter().map(|&i| data.event()[i]).collect(),
            group_starts,
            input_index,
        })
    }

    fn row(&self, k: usize) -> &[f64] {
        let p = self.n_covariates;
        &self.x[k * p..(k + 1) * p]
    }

    fn linear_predictor(&self, beta: &DVector<f64>) -> Vec<f64> {
        let p = self.n_covariates;
        let mut eta = vec![0.0; self.event.len()];
        eta.par_iter_mut().enumerate().for_each(|(k, e)| {
            *e = (0..p).map(|j| self.x[k * p + j] * beta[j]).sum();
        });
        eta
    }

    fn linear_predictor_in_input_order(&self, beta: &DVector<f64>) -> Vec<f64> {
        let eta = self.linear_predictor(beta);
        let mut out = vec![0.0; eta.len()];
        for (k, &i) in self.input_index.iter().enumerate() {
            out[i] = eta[k];
        }
        out
    }

    fn evaluate(&self, beta: &DVector<f64>, ties: Ties) -> Evaluation {
        let p = self.n_covariates;
        let eta = self.linear_predictor(beta);
        let shift = eta.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let weight: Vec<f64> = eta.par_iter().map(|e| (e - shift).exp()).collect();
        let mut risk = RiskSums::new(p);
        let mut tied = RiskSums::new(p);
        let mut log_likelihood = 0.0;
        let mut gradient = DVector::<f64>::zeros(p);
        let mut information = DMatrix::<f64>::zeros(p, p);
        for bounds in self.group_starts.windows(2) {
            tied.clear();
            let mut n_tied_events = 0usize;
            for k in bounds[0]..bounds[1] {
                let row = self.row(k);
                risk.add(weight[k], row);
                if self.event[k] {
                    tied.add(weight[k], row);
                    n_tied_events += 1;
                    log_likelihood += eta[k];
                    for j in 0..p {
                        gradient[j] += row[j];
                    }
                }
            }
            if n_tied_events == 0 {
                continue;
            }
            let sums = TieSums::new(risk.s0, tied.s0, n_tied_events, ties);
            log_likelihood -= sums.log_s0 + n_tied_events as f64 * shift;
            // With sₗ = S − fₗ·D for the l-th tied death (fₗ = l/d for Efron, 0 for Breslow):
            // Σ s1ₗ/s0ₗ = S1·a0 − D1·a1 and
            // Σ (s2ₗ/s0ₗ − s1ₗ s1ₗᵀ/s0ₗ²) = S2·a0 − D2·a1 − (S1S1ᵀ·b0 − (S1D1ᵀ + D1S1ᵀ)·b1 + D1D1ᵀ·b2),
            // so a tied group costs O(d) scalar work plus one O(p²) update.
            for j in 0..p {
                gradient[j] -= risk.s1[j] * sums.a0 - tied.s1[j] * sums.a1;
                for m in 0..=j {
                    let second = risk.s2[j * p + m] * sums.a0 - tied.s2[j * p + m] * sums.a1;
                    let outer = risk.s1[j] * risk.s1[m] * sums.b0
                        - (risk.s1[j] * tied.s1[m] + tied.s1[j] * risk.s1[m]) * sums.b1
                        + tied.s1[j] * tied.s1[m] * sums.b2;
                    let value = second - outer;
                    information[(j, m)] += value;
                    if m != j {
                        information[(m, j)] += value;
                    }
                }
            }
        }
        Evaluation {
            log_likelihood,
            gradient,
            information,
        }
    }
}

/// Scalar sums over the d tied deaths of one time, with s0ₗ = S0 − fₗ·D0:
/// Σ ln s0ₗ, a0 = Σ 1/s0ₗ, a1 = Σ fₗ/s0ₗ, b0 = Σ 1/s0ₗ², b1 = Σ fₗ/s0ₗ², b2 = Σ fₗ²/s0ₗ².
struct TieSums {
    log_s0: f64,
    a0: f64,
    a1: f64,
    b0: f64,
    b1: f64,
    b2: f64,
}

impl TieSums {
    fn new(risk_s0: f64, tied_s0: f64, n_tied: usize, ties: Ties) -> Self {
        let mut sums = Self {
            log_s0: 0.0,
            a0: 0.0,
            a1: 0.0,
            b0: 0.0,
            b1: 0.0,
            b2: 0.0,
        };
        for l in 0..n_tied {
            // Breslow: every tied death sees the full risk set; Efron removes l/d of the
            // tied deaths' weight for the l-th of them.
            let fraction = match ties {
                Ties::Breslow => 0.0,
                Ties::Efron => l as f64 / n_tied as f64,
            };
            let s0 = risk_s0 - fraction * tied_s0;
            let inverse = 1.0 / s0;
            sums.log_s0 += s0.ln();
            sums.a0 += inverse;
            sums.a1 += fraction * inverse;
            sums.b0 += inverse * inverse;
            sums.b1 += fraction * inverse * inverse;
            sums.b2 += fraction * fraction * inverse * inverse;
        }
        sums
    }
}

/// Weighted sums Σw, Σw x and Σw x xᵀ (lower triangle filled, row-major p × p).
struct RiskSums {
    s0: f64,
    s1: Vec<f64>,
    s2: Vec<f64>,
}

impl RiskSums {
    fn new(p: usize) -> Self {
        Self {
            s0: 0.0,
            s1: vec![0.0; p],
            s2: vec![0.0; p * p],
        }
    }

    fn clear(&mut self) {
        self.s0 = 0.0;
        self.s1.iter_mut().for_each(|v| *v = 0.0);
        self.s2.iter_mut().for_each(|v| *v = 0.0);
    }

    fn add(&mut self, weight: f64, row: &[f64]) {
        let p = row.len();
        self.s0 += weight;
        for (j, &x_j) in row.iter().enumerate() {
            let wx = weight * x_j;
            self.s1[j] += wx;
            for (s2, &x_m) in self.s2[j * p..=j * p + j].iter_mut().zip(&row[..=j]) {
                *s2 += wx * x_m;
            }
        }
    }
}
