//! The DVH engine's parts on the vendored example plan (`tests/data/dicompyler-example`): every
//! structure's physical DVH as `oncourse dvh` computes it, without reading or output. The
//! whole command against dicompyler-core and plastimatch is `bench/dvh/run.sh`.

use std::path::PathBuf;

use divan::black_box;
use oncourse_dose::{
    DoseQuantity, DvhOptions, Phase, RtDose, StructureSet, read_rtdose_file, read_rtstruct_file,
    structure_dvh,
};

fn main() {
    divan::main();
}

fn example() -> (StructureSet, RtDose) {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data/dicompyler-example");
    (
        read_rtstruct_file(&folder.join("rtss.dcm")).expect("example RTSTRUCT"),
        read_rtdose_file(&folder.join("rtdose.dcm")).expect("example RTDOSE"),
    )
}

/// One structure's DVH, by name (BODY: 14.7 L, the most pieces; Breast: steep gradients).
#[divan::bench(args = ["BODY", "Breast", "Lt Lung", "Scar"], sample_count = 20)]
fn structure(bencher: divan::Bencher, name: &str) {
    let (structures, dose) = example();
    let roi = structures.find(name).expect("example ROI");
    let phases = [Phase {
        grid: &dose.grid,
        n_fractions: 1,
    }];
    bencher.bench(|| {
        structure_dvh(
            black_box(roi),
            &phases,
            DoseQuantity::Physical,
            &DvhOptions::default(),
        )
    });
}

/// Reading both files of the plan.
#[divan::bench(sample_count = 20)]
fn read_plan() -> (StructureSet, RtDose) {
    example()
}
