//! FHIR import and CSV lab feeds on arbitrary bytes: every input gives a record or errors,
//! never a panic. Seed corpus: the vendored mCODE examples and the invalid corpus, e.g.
//! `cargo +nightly fuzz run fhir_import ../tests/data/mcode-examples ../tests/data/fhir/invalid`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = oncourse_fhir::import_json(text);
        let _ = oncourse_fhir::labs::read_csv("fuzz.csv", text, None);
        let _ = oncourse_fhir::labs::read_fhir(text, Some("patient"));
    }
});
