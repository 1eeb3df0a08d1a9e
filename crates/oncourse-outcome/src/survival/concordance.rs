//! Harrell's concordance index of a risk score against right-censored survival,
//! in O(n log n) with a Fenwick tree.
//!
//! A pair (i, j) is comparable when i has an event and tᵢ < tⱼ, or tᵢ = tⱼ and j is
//! censored (a subject censored at t outlived a death at t); pairs of tied event times are
//! not comparable. Concordant: the shorter survivor has the higher risk score; tied scores
//! count one half. This is R `survival::concordance` (as reported by `coxph`) and
//! lifelines' `concordance_index` with a negated score.

use serde::Serialize;

use super::data::{SurvivalData, sorted_order};

/// Pair counts and Harrell's C.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Concordance {
    /// Comparable pairs ordered as the score predicts.
    pub concordant: u64,
    /// Comparable pairs ordered against the score.
    pub discordant: u64,
    /// Comparable pairs with equal scores.
    pub tied_score: u64,
    /// (concordant + tied/2) / (concordant + discordant + tied); NaN without comparable pairs.
    pub index: f64,
}

/// Harrell's C of `risk_score` (higher = earlier event expected) against `data`.
/// `risk_score` must have one finite value per subject.
pub fn concordance(data: &SurvivalData, risk_score: &[f64]) -> Concordance {
    let rank = dense_ranks(risk_score);
    let n_ranks = rank.iter().max().map_or(0, |r| r + 1);
    // Subjects in descending time, laid out contiguously: the pass below is sequential.
    let subjects: Vec<(f64, bool, usize)> = data
        .order_by_time()
        .into_iter()
        .rev()
        .map(|i| (data.time()[i], data.event()[i], rank[i]))
        .collect();
    let mut tree = Fenwick::new(n_ranks);
    let mut count_at_rank = vec![0u32; n_ranks];
    let (mut concordant, mut discordant, mut tied_score) = (0u64, 0u64, 0u64);
    for same_time in subjects.chunk_by(|a, b| a.0 == b.0) {
        for &(_, _, r) in same_time.iter().filter(|s| !s.1) {
            tree.add(r);
            count_at_rank[r] += 1;
        }
        for &(_, _, r) in same_time.iter().filter(|s| s.1) {
            let below = tree.prefix(r);
            let equal = u64::from(count_at_rank[r]);
            concordant += below;
            tied_score += equal;
            discordant += tree.total - below - equal;
        }
        for &(_, _, r) in same_time.iter().filter(|s| s.1) {
            tree.add(r);
            count_at_rank[r] += 1;
        }
    }
    let comparable = (concordant + discordant + tied_score) as f64;
    Concordance {
        concordant,
        discordant,
        tied_score,
        index: (concordant as f64 + tied_score as f64 / 2.0) / comparable,
    }
}

/// 0-based ranks where equal values share a rank.
fn dense_ranks(values: &[f64]) -> Vec<usize> {
    let order = sorted_order(values);
    let mut rank = vec![0; values.len()];
    let mut current = 0;
    for pair in order.windows(2) {
        if values[pair[1]] != values[pair[0]] {
            current += 1;
        }
        rank[pair[1]] = current;
    }
    rank
}

/// A binary indexed tree of counts. Written here because it is ten lines and no crate
/// would be simpler to depend on.
struct Fenwick {
    counts: Vec<u32>,
    total: u64,
}

impl Fenwick {
    fn new(size: usize) -> Self {
        Self {
            counts: vec![0; size + 1],
            total: 0,
        }
    }

    fn add(&mut self, index: usize) {
        self.total += 1;
        let mut i = index + 1;
        while i < self.counts.len() {
            self.counts[i] += 1;
            i += i & i.wrapping_neg();
        }
    }

    /// Count of entries with index < `end`.
    fn prefix(&self, end: usize) -> u64 {
        let mut sum = 0;
        let mut i = end;
        while i > 0 {
            sum += u64::from(self.counts[i]);
            i -= i & i.wrapping_neg();
        }
        sum
    }
}
