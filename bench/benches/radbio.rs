//! How long one course evaluation takes: it runs inside request handlers and over cohorts of a
//! million patients, so it must stay well under a microsecond.

use divan::black_box;
use oncourse_radbio::{
    AlphaBeta, CourseOptions, DoseResponseModel, Phase, eqd2_gy, evaluate_course,
};

fn main() {
    divan::main();
}

/// The seed course (4 Gy × 10 + 7 Gy × 3) at α/β 3, both phases and the total.
#[divan::bench]
fn seed_course(bencher: divan::Bencher) {
    let phases = [Phase::new(4.0, 10).unwrap(), Phase::new(7.0, 3).unwrap()];
    let alpha_beta = AlphaBeta::new(3.0).unwrap();
    let options = CourseOptions::default();
    bencher.bench(|| evaluate_course(black_box(&phases), black_box(alpha_beta), &options));
}

/// The same course under LQ-L.
#[divan::bench]
fn seed_course_lql(bencher: divan::Bencher) {
    let phases = [Phase::new(4.0, 10).unwrap(), Phase::new(7.0, 3).unwrap()];
    let alpha_beta = AlphaBeta::new(3.0).unwrap();
    let options = CourseOptions {
        model: DoseResponseModel::lql(6.0).unwrap(),
        time_correction: None,
    };
    bencher.bench(|| evaluate_course(black_box(&phases), black_box(alpha_beta), &options));
}

/// The voxel hot path: EQD2 of one voxel's total dose.
#[divan::bench]
fn voxel_eqd2(bencher: divan::Bencher) {
    let alpha_beta = AlphaBeta::new(3.0).unwrap();
    bencher.bench(|| eqd2_gy(black_box(61.0), black_box(13), black_box(alpha_beta)));
}
