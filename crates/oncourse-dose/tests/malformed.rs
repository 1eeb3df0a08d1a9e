//! Malformed input gives errors, never panics: valid RT Dose and Structure Set files (built by
//! the tests) with random bytes overwritten or cut off go through every reader. The cargo-fuzz
//! target in `fuzz/` does the same without bounds.
//!
//! Overwritten bytes often corrupt an element length; the reader caps every length by the
//! bytes that remain before dicom-rs sizes a buffer from it, so these cases fail fast and run in
//! the normal suite.

mod support;

use proptest::prelude::*;

fn valid_files() -> &'static [Vec<u8>; 2] {
    static FILES: std::sync::OnceLock<[Vec<u8>; 2]> = std::sync::OnceLock::new();
    FILES.get_or_init(build_valid_files)
}

fn build_valid_files() -> [Vec<u8>; 2] {
    let grid = support::grid_from_fn([0.0, 0.0, 0.0], [2.0, 2.0, 2.0], [4, 3, 3], |x, y, z| {
        x + y + z
    });
    let structures = oncourse_dose::StructureSet {
        frame_of_reference_uid: Some(support::FRAME_OF_REFERENCE.to_owned()),
        nominal_plane_spacing_mm: None,
        rois: vec![support::roi(
            1,
            "ring",
            vec![(
                0.0,
                vec![
                    support::circle([2.0, 2.0], 2.0, 6),
                    support::circle([2.0, 2.0], 1.0, 5),
                ],
            )],
        )],
    };
    let rtstruct =
        oncourse_dose::write_rtstruct(&structures, support::FRAME_OF_REFERENCE, "1.2.3").unwrap();
    [support::rtdose_bytes(&grid), rtstruct]
}

fn config() -> ProptestConfig {
    ProptestConfig::with_cases(256)
}

fn read_everything(bytes: &[u8]) {
    let _ = oncourse_dose::read_rtdose("mutant", bytes);
    let _ = oncourse_dose::read_rtstruct("mutant", bytes);
    let _ = oncourse_dose::read_rtplan("mutant", bytes);
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn overwritten_bytes(which in 0usize..2, edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut bytes = valid_files()[which].clone();
        for (index, value) in edits {
            let position = index.index(bytes.len());
            bytes[position] = value;
        }
        read_everything(&bytes);
    }

    #[test]
    fn removed_bytes(which in 0usize..2, start in any::<prop::sample::Index>(), count in 1usize..16) {
        let mut bytes = valid_files()[which].clone();
        let start = start.index(bytes.len());
        bytes.drain(start..(start + count).min(bytes.len()));
        read_everything(&bytes);
    }

    #[test]
    fn truncated_files(which in 0usize..2, cut in any::<prop::sample::Index>()) {
        let bytes = &valid_files()[which];
        read_everything(&bytes[..cut.index(bytes.len())]);
    }
}

/// A corrupted element length is refused by name before any buffer is sized from it.
#[test]
fn an_overrunning_length_is_reported_with_the_element() {
    let mut bytes = valid_files()[0].clone();
    // PixelData (7FE0,0010), explicit VR OW: tag, "OW", two reserved bytes, then the length.
    let header = [0xE0, 0x7F, 0x10, 0x00, b'O', b'W', 0, 0];
    let at = bytes
        .windows(header.len())
        .position(|window| window == header)
        .unwrap();
    bytes[at + 8..at + 12].copy_from_slice(&0x7FFF_FFF0_u32.to_le_bytes());
    let message = oncourse_dose::read_rtdose("mutant.dcm", &bytes)
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("mutant.dcm: not a readable DICOM file: element (7FE0,0010) at byte ")
            && message.contains("states a length of 2147483632 bytes, but only "),
        "{message}"
    );
}
