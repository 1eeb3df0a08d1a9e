//! Feeds arbitrary bytes to every DICOM RT reader: each must return a value or an error, never
//! panic. Run with `cargo fuzz run read_dicom_rt -- -max_total_time=60` (add
//! `--sanitizer none` on a stable toolchain); seed the corpus with `tests/data/dicompyler-example/`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = oncourse_dose::read_rtdose("fuzz", bytes);
    let _ = oncourse_dose::read_rtstruct("fuzz", bytes);
    let _ = oncourse_dose::read_rtplan("fuzz", bytes);
});
