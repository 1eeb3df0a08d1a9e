//! Times oncourse's Kaplan–Meier, log-rank and Cox (Efron) on a cohort CSV written by
//! `generate.py` and prints the timings and Cox coefficients as JSON, for `run.sh`.
//! Loading the CSV is not timed (the peers are timed on data already in memory too).
//! Kaplan–Meier and log-rank are timed best of three, Cox once, as in the peer scripts.

use std::time::Instant;

use oncourse_outcome::survival::{
    CoxOptions, KaplanMeierOptions, SurvivalData, cox_proportional_hazards, kaplan_meier, logrank,
};

const COVARIATES: [&str; 5] = ["x1", "x2", "x3", "x4", "x5"];

/// The fastest of three runs (the machine is shared; the peers are timed the same way) and
/// the last result.
fn best_of_3<T>(mut run: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut result = None;
    for _ in 0..3 {
        let start = Instant::now();
        result = Some(run());
        best = best.min(start.elapsed().as_secs_f64());
    }
    (best, result.expect("ran three times"))
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: survival-timing COHORT.csv");
    let mut reader = csv::Reader::from_path(&path).expect("readable CSV");
    let header = reader.headers().expect("header").clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .expect("column present")
    };
    let (time_index, event_index, group_index) = (column("time"), column("event"), column("group"));
    let covariate_index: Vec<usize> = COVARIATES.iter().map(|c| column(c)).collect();
    let (mut time, mut event, mut group) = (Vec::new(), Vec::new(), Vec::new());
    let mut covariates: Vec<(String, Vec<f64>)> = COVARIATES
        .iter()
        .map(|c| (c.to_string(), Vec::new()))
        .collect();
    for record in reader.records() {
        let record = record.expect("valid row");
        let number = |i: usize| record[i].parse::<f64>().expect("a number");
        time.push(number(time_index));
        event.push(number(event_index) == 1.0);
        group.push(number(group_index) as usize);
        for (k, &i) in covariate_index.iter().enumerate() {
            covariates[k].1.push(number(i));
        }
    }
    let n = time.len();
    let data = SurvivalData::new(time, event).expect("valid survival data");

    let (km_seconds, km) = best_of_3(|| kaplan_meier(&data, &KaplanMeierOptions::default()));
    let median = km.median().estimate;
    let (logrank_seconds, test) = best_of_3(|| logrank(&data, &group).expect("two groups"));

    let start = Instant::now();
    let fit = cox_proportional_hazards(&data, &covariates, &CoxOptions::default())
        .expect("cox converges");
    let cox_seconds = start.elapsed().as_secs_f64();

    let output = serde_json::json!({
        "n": n,
        "km_seconds": km_seconds,
        "km_median": median,
        "logrank_seconds": logrank_seconds,
        "logrank_statistic": test.statistic,
        "cox_seconds": cox_seconds,
        "cox_coef": fit.coef,
        "cox_log_likelihood": fit.log_likelihood,
        "cox_iterations": fit.iterations,
        "threads": std::thread::available_parallelism().map_or(1, |n| n.get()),
    });
    println!("{output}");
}
