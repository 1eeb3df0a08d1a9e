//! Reading RT Dose and Structure Set files: orientations, frame offsets, bit depths and the
//! errors for what cannot be read. Files are built here, value by value, from a known dose
//! function, so the expected canonical grid is known independently of the reader.

mod support;

use dicom_core::value::{DataSetSequence, PrimitiveValue, Value};
use dicom_core::{DataElement, VR};
use dicom_dictionary_std::tags;
use dicom_object::InMemDicomObject;
use oncourse_dose::{DoseError, read_rtdose, read_rtstruct};
use support::{binary, grid_from_fn, patch, rtdose_bytes, text};

/// A dose with a different value at every point, so any axis mix-up shows.
fn dose_function(x: f64, y: f64, z: f64) -> f64 {
    10.0 + 0.5 * x + 0.25 * y + 0.125 * z
}

/// Canonical grid: x 0, 2, 4, 6; y 10, 13, 16; z -5, 0 (mm).
fn canonical() -> oncourse_dose::DoseGrid {
    grid_from_fn([0.0, 10.0, -5.0], [2.0, 3.0, 5.0], [4, 3, 2], dose_function)
}

/// Rewrites the canonical phantom with another file layout: row and column direction cosines,
/// first-voxel position, frame offsets (relative to the position along the normal, or
/// absolute z) and bits per value; pixel values are computed from the dose function at each
/// file voxel's position.
fn relayout(
    row_cosines: [f64; 3],
    column_cosines: [f64; 3],
    position: [f64; 3],
    offsets: &[f64],
    absolute: bool,
    bits: u16,
) -> Vec<u8> {
    // Sizes along the file's rows and columns follow the axes the cosines pick.
    let size_along = |cosines: [f64; 3]| {
        if cosines[0] != 0.0 {
            (4, 2.0)
        } else {
            (3, 3.0)
        }
    };
    let (columns, column_spacing) = size_along(row_cosines);
    let (rows, row_spacing) = size_along(column_cosines);
    let normal_z = row_cosines[0] * column_cosines[1] - row_cosines[1] * column_cosines[0];
    let scaling = 1e-3;
    let mut values = Vec::new();
    for offset in offsets {
        let z = if absolute {
            *offset
        } else {
            position[2] + normal_z * offset
        };
        for row in 0..rows {
            for column in 0..columns {
                let x = position[0]
                    + column as f64 * column_spacing * row_cosines[0]
                    + row as f64 * row_spacing * column_cosines[0];
                let y = position[1]
                    + column as f64 * column_spacing * row_cosines[1]
                    + row as f64 * row_spacing * column_cosines[1];
                values.push((dose_function(x, y, z) / scaling).round() as u32);
            }
        }
    }
    let join = |numbers: &[f64]| {
        numbers
            .iter()
            .map(f64::to_string)
            .collect::<Vec<_>>()
            .join("\\")
    };
    patch(&rtdose_bytes(&canonical()), |object| {
        let orientation: Vec<f64> = row_cosines.iter().chain(&column_cosines).copied().collect();
        object.put(text(
            tags::IMAGE_ORIENTATION_PATIENT,
            VR::DS,
            &join(&orientation),
        ));
        object.put(text(tags::IMAGE_POSITION_PATIENT, VR::DS, &join(&position)));
        object.put(text(
            tags::PIXEL_SPACING,
            VR::DS,
            &join(&[row_spacing, column_spacing]),
        ));
        object.put(binary(
            tags::ROWS,
            VR::US,
            PrimitiveValue::from(rows as u16),
        ));
        object.put(binary(
            tags::COLUMNS,
            VR::US,
            PrimitiveValue::from(columns as u16),
        ));
        object.put(text(tags::GRID_FRAME_OFFSET_VECTOR, VR::DS, &join(offsets)));
        object.put(text(tags::DOSE_GRID_SCALING, VR::DS, "0.001"));
        object.put(binary(
            tags::BITS_ALLOCATED,
            VR::US,
            PrimitiveValue::from(bits),
        ));
        object.put(binary(
            tags::BITS_STORED,
            VR::US,
            PrimitiveValue::from(bits),
        ));
        object.put(binary(
            tags::HIGH_BIT,
            VR::US,
            PrimitiveValue::from(bits - 1),
        ));
        let pixels = if bits == 16 {
            PrimitiveValue::U16(values.iter().map(|value| *value as u16).collect())
        } else {
            PrimitiveValue::U32(values.into())
        };
        object.put(binary(tags::PIXEL_DATA, VR::OW, pixels));
    })
}

fn assert_reads_as_canonical(bytes: &[u8]) {
    let grid = read_rtdose("layout.dcm", bytes).expect("reads").grid;
    let expected = canonical();
    assert_eq!(grid.geometry(), expected.geometry());
    for (got, want) in grid.dose_gy().iter().zip(expected.dose_gy()) {
        assert!(
            (got - want).abs() < 1e-3,
            "{:?}\nvs\n{:?}",
            grid.dose_gy(),
            expected.dose_gy()
        );
    }
}

#[test]
fn identity_orientation_with_relative_offsets() {
    assert_reads_as_canonical(&relayout(
        [1.0, 0.0, 0.0],
        [0.0, 1.0, 0.0],
        [0.0, 10.0, -5.0],
        &[0.0, 5.0],
        false,
        32,
    ));
}

#[test]
fn absolute_frame_offsets_and_16_bit_values() {
    assert_reads_as_canonical(&relayout(
        [1.0, 0.0, 0.0],
        [0.0, 1.0, 0.0],
        [0.0, 10.0, -5.0],
        &[-5.0, 0.0],
        true,
        16,
    ));
}

#[test]
fn flipped_rows_and_columns() {
    // Rows run towards −x from x = 6 and columns towards −y from y = 16: the normal is +z.
    assert_reads_as_canonical(&relayout(
        [-1.0, 0.0, 0.0],
        [0.0, -1.0, 0.0],
        [6.0, 16.0, -5.0],
        &[0.0, 5.0],
        false,
        32,
    ));
}

#[test]
fn transposed_axes_with_a_downward_normal() {
    // Rows run along +y and columns along +x: the normal y × x is −z, so relative offsets go down.
    assert_reads_as_canonical(&relayout(
        [0.0, 1.0, 0.0],
        [1.0, 0.0, 0.0],
        [0.0, 10.0, 0.0],
        &[0.0, 5.0],
        false,
        32,
    ));
}

/// Only the top-level PixelData is the dose. One inside a sequence item before it (an icon
/// image, here of other values) is not taken for it and does not end the data set: the
/// attributes after the sequence (DoseGridScaling, GridFrameOffsetVector) are still read.
#[test]
fn pixel_data_inside_a_sequence_is_not_the_dose() {
    let bytes = patch(&rtdose_bytes(&canonical()), |object| {
        let icon = InMemDicomObject::from_element_iter([binary(
            tags::PIXEL_DATA,
            VR::OW,
            PrimitiveValue::U16(vec![7; 6].into()),
        )]);
        object.put(DataElement::new(
            tags::ICON_IMAGE_SEQUENCE,
            VR::SQ,
            Value::from(DataSetSequence::from(vec![icon])),
        ));
    });
    assert!(
        bytes
            .windows(4)
            .filter(|window| *window == [0xE0, 0x7F, 0x10, 0x00])
            .count()
            == 2,
        "the file holds both PixelData elements"
    );
    assert_reads_as_canonical(&bytes);
}

fn read_error(bytes: &[u8]) -> String {
    match read_rtdose("bad.dcm", bytes) {
        Ok(_) => panic!("expected an error"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn oblique_orientation_is_a_clear_error() {
    let bytes = patch(&rtdose_bytes(&canonical()), |object| {
        object.put(text(
            tags::IMAGE_ORIENTATION_PATIENT,
            VR::DS,
            "0.7071068\\0.7071068\\0\\-0.7071068\\0.7071068\\0",
        ));
    });
    let error = read_rtdose("bad.dcm", &bytes).unwrap_err();
    assert!(
        matches!(error, DoseError::UnsupportedOrientation { .. }),
        "{error}"
    );
    assert!(error.to_string().starts_with(
        "bad.dcm: ImageOrientationPatient (0020,0037): expected an axial, axis-aligned orientation"
    ));
}

#[test]
fn missing_and_invalid_attributes_are_named() {
    let valid = rtdose_bytes(&canonical());
    let without_scaling = patch(&valid, |object| {
        object.remove_element(tags::DOSE_GRID_SCALING);
    });
    assert_eq!(
        read_error(&without_scaling),
        "bad.dcm: DoseGridScaling (3004,000E): missing, expected a positive factor from stored values to Gy"
    );
    let relative = patch(&valid, |object| {
        object
            .put(text(tags::DOSE_UNITS, VR::CS, "RELATIVE"))
            .map(drop)
            .unwrap_or(())
    });
    assert_eq!(
        read_error(&relative),
        "bad.dcm: DoseUnits (3004,0002): expected GY (relative doses cannot be evaluated in Gy), got RELATIVE"
    );
    let shifted_offsets = patch(&valid, |object| {
        object
            .put(text(tags::GRID_FRAME_OFFSET_VECTOR, VR::DS, "3\\8"))
            .map(drop)
            .unwrap_or(())
    });
    assert!(read_error(&shifted_offsets).contains(
        "GridFrameOffsetVector (3004,000C): expected relative offsets starting at 0 or absolute z"
    ));
    let short_pixels = patch(&valid, |object| {
        object
            .put(binary(
                tags::PIXEL_DATA,
                VR::OW,
                PrimitiveValue::U32(vec![1, 2, 3].into()),
            ))
            .map(drop)
            .unwrap_or(())
    });
    assert_eq!(
        read_error(&short_pixels),
        "bad.dcm: PixelData (7FE0,0010): expected 96 bytes (rows x columns x frames x 4), got 12 bytes"
    );
    // Decimal strings: a part that is not a number is reported with the value's text, a
    // number that is not finite by itself.
    for (spacing, message) in [
        (
            "2.5\\2,5",
            "bad.dcm: PixelSpacing (0028,0030): expected decimal numbers, got \"2.5\\\\2,5\"",
        ),
        (
            "2.5\\inf",
            "bad.dcm: PixelSpacing (0028,0030): expected finite numbers, got inf",
        ),
    ] {
        let bad_spacing = patch(&valid, |object| {
            object
                .put(text(tags::PIXEL_SPACING, VR::DS, spacing))
                .map(drop)
                .unwrap_or(())
        });
        assert_eq!(read_error(&bad_spacing), message, "{spacing}");
    }
    assert!(
        read_error(&valid[..valid.len() / 2]).starts_with("bad.dcm: not a readable DICOM file")
    );
    assert_eq!(
        read_error(b"not dicom"),
        "bad.dcm: not a readable DICOM file: no \"DICM\" magic at offset 0 or 128"
    );
}

#[test]
fn a_structure_set_in_another_frame_of_reference_is_refused() {
    let structures = support::round_trip_structures(vec![support::roi(
        1,
        "cube",
        vec![(0.0, vec![support::circle([3.0, 13.0], 2.0, 16)])],
    )]);
    let other = patch(&rtdose_bytes(&canonical()), |object| {
        object.put(text(tags::FRAME_OF_REFERENCE_UID, VR::UI, "1.2.3.4"));
    });
    let dose = read_rtdose("rd.dcm", &other).unwrap();
    let error =
        oncourse_dose::check_same_frame_of_reference("rs.dcm", &structures, "rd.dcm", &dose)
            .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "frame of reference mismatch: rs.dcm uses {}, rd.dcm uses 1.2.3.4",
            support::FRAME_OF_REFERENCE
        )
    );
}

#[test]
fn structure_errors_name_the_item() {
    let structures = support::round_trip_structures(vec![support::roi(
        1,
        "ring",
        vec![(0.0, vec![support::circle([0.0, 0.0], 5.0, 8)])],
    )]);
    let bytes =
        oncourse_dose::write_rtstruct(&structures, support::FRAME_OF_REFERENCE, "1.2.3").unwrap();
    let wrong_modality = patch(&bytes, |object| {
        object.put(text(tags::MODALITY, VR::CS, "CT"));
    });
    assert_eq!(
        read_rtstruct("rs.dcm", &wrong_modality)
            .unwrap_err()
            .to_string(),
        "rs.dcm: Modality (0008,0060): expected RTSTRUCT, got CT"
    );
    assert_eq!(
        read_rtdose("rs.dcm", &bytes).unwrap_err().to_string(),
        "rs.dcm: Modality (0008,0060): expected RTDOSE, got RTSTRUCT"
    );
}
