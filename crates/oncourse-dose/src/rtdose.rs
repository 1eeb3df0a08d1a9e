//! Reading RT Dose objects: the dose grid (16- or 32-bit, multi-frame, DoseGridScaling,
//! relative or absolute GridFrameOffsetVector, axis-aligned axial orientations), its units and
//! summation type, and the planning system's own DVHs (DVHSequence) for validation.
//!
//! The pixel bytes are converted here rather than by `dicom-pixeldata`, which refuses
//! BitsAllocated 32 (dicom-rs issue #325); this also avoids pulling in image codecs. They are
//! converted once, straight from the file's read buffer (`dicom_read::PixelData`).

use std::borrow::Cow;

use dicom_core::VR;
use dicom_dictionary_std::tags;

use crate::dicom_access::Attributes;
use crate::dicom_read::{PixelData, Source, parse, read_bytes, read_file};
use crate::error::{DoseError, Result};
use crate::grid::{DoseGrid, GridGeometry};

/// What the dose in an RT Dose object covers (DoseSummationType (3004,000A)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DoseSummation {
    /// The whole plan (all fractions).
    Plan,
    /// Several plans summed.
    MultiPlan,
    /// One fraction only.
    Fraction,
    /// One beam only.
    Beam,
    /// Any other defined term, kept verbatim (e.g. `BRACHY`, `FRACTION_SESSION`).
    Other(String),
}

/// A DVH stored by the planning system in the RT Dose (DVHSequence item), converted to Gy and cm³.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredDvh {
    /// ReferencedROINumber of the structure.
    pub roi_number: i64,
    /// `true` for a cumulative DVH, `false` for differential or natural.
    pub cumulative: bool,
    /// Upper edge of each bin, Gy.
    pub bin_upper_gy: Vec<f64>,
    /// Volume of each bin (cumulative: volume receiving at least the bin's lower edge), cm³,
    /// or percent when `volume_is_percent`.
    pub volume: Vec<f64>,
    /// Whether the volumes are percent of the structure rather than cm³.
    pub volume_is_percent: bool,
    /// DVHMinimumDose, DVHMaximumDose and DVHMeanDose as stored (units as the vendor wrote them:
    /// some write percent of the prescription here while DVHData is in Gy).
    pub header_min_max_mean: [Option<f64>; 3],
}

/// An RT Dose object: the grid in Gy plus what it represents.
#[derive(Debug, Clone)]
pub struct RtDose {
    /// The dose, Gy, on the canonical grid.
    pub grid: DoseGrid,
    /// FrameOfReferenceUID (0020,0052).
    pub frame_of_reference_uid: String,
    /// DoseSummationType (3004,000A).
    pub summation: DoseSummation,
    /// DoseType (3004,0004), e.g. `PHYSICAL` or `EFFECTIVE`.
    pub dose_type: String,
    /// DVHs stored in the object (DVHSequence), if any.
    pub stored_dvhs: Vec<StoredDvh>,
}

/// Reads an RT Dose from the bytes of a DICOM file; `source_name` is used in error messages.
pub fn read_rtdose(source_name: &str, bytes: &[u8]) -> Result<RtDose> {
    read_bytes(source_name, bytes, read_from)
}

/// Reads an RT Dose file from disk.
pub fn read_rtdose_file(path: &std::path::Path) -> Result<RtDose> {
    read_file(path, read_from)
}

fn read_from(source_name: &str, source: &mut dyn Source, length: u64) -> Result<RtDose> {
    let data_set = parse(source_name, source, length)?;
    let root = Attributes::root(source_name, &data_set.object);
    let modality = root.string("Modality", tags::MODALITY, "RTDOSE")?;
    if modality != "RTDOSE" {
        return Err(root.invalid("Modality", tags::MODALITY, "RTDOSE", &modality));
    }
    let units = root.string("DoseUnits", tags::DOSE_UNITS, "GY")?;
    if units != "GY" {
        return Err(root.invalid(
            "DoseUnits",
            tags::DOSE_UNITS,
            "GY (relative doses cannot be evaluated in Gy)",
            &units,
        ));
    }
    let summation = match root
        .string(
            "DoseSummationType",
            tags::DOSE_SUMMATION_TYPE,
            "PLAN, MULTI_PLAN, FRACTION, BEAM, ...",
        )?
        .as_str()
    {
        "PLAN" => DoseSummation::Plan,
        "MULTI_PLAN" => DoseSummation::MultiPlan,
        "FRACTION" => DoseSummation::Fraction,
        "BEAM" => DoseSummation::Beam,
        other => DoseSummation::Other(other.to_owned()),
    };
    let dose_type = root.string("DoseType", tags::DOSE_TYPE, "PHYSICAL, EFFECTIVE or ERROR")?;
    let frame_of_reference_uid =
        root.string("FrameOfReferenceUID", tags::FRAME_OF_REFERENCE_UID, "a UID")?;
    let pixels = Pixels {
        data: data_set.pixel_data,
        source,
    };
    let grid = read_grid(&root, pixels)?;
    let stored_dvhs = root
        .items("DVHSequence", tags::DVH_SEQUENCE)
        .iter()
        .map(read_stored_dvh)
        .collect::<Result<Vec<_>>>()?;
    Ok(RtDose {
        grid,
        frame_of_reference_uid,
        summation,
        dose_type,
        stored_dvhs,
    })
}

/// The top-level PixelData value (if it has a defined length) and the source it lies in.
struct Pixels<'s> {
    data: Option<PixelData>,
    source: &'s mut dyn Source,
}

/// One of ±x, ±y as (axis, sign), or `None` for any other direction.
fn in_plane_axis(cosines: &[f64]) -> Option<(usize, f64)> {
    const TOLERANCE: f64 = 1e-4;
    match cosines {
        [a, b, c]
            if (a.abs() - 1.0).abs() < TOLERANCE && b.abs() < TOLERANCE && c.abs() < TOLERANCE =>
        {
            Some((0, a.signum()))
        }
        [a, b, c]
            if a.abs() < TOLERANCE && (b.abs() - 1.0).abs() < TOLERANCE && c.abs() < TOLERANCE =>
        {
            Some((1, b.signum()))
        }
        _ => None,
    }
}

fn read_grid(root: &Attributes, pixels: Pixels) -> Result<DoseGrid> {
    let position = root.numbers(
        "ImagePositionPatient",
        tags::IMAGE_POSITION_PATIENT,
        Some(3),
        "x\\y\\z in mm",
    )?;
    let orientation = root.numbers(
        "ImageOrientationPatient",
        tags::IMAGE_ORIENTATION_PATIENT,
        Some(6),
        "six direction cosines",
    )?;
    let pixel_spacing = root.numbers(
        "PixelSpacing",
        tags::PIXEL_SPACING,
        Some(2),
        "row\\column spacing in mm",
    )?;
    if !pixel_spacing.iter().all(|spacing| *spacing > 0.0) {
        return Err(root.invalid(
            "PixelSpacing",
            tags::PIXEL_SPACING,
            "two positive spacings in mm",
            format!("{pixel_spacing:?}"),
        ));
    }
    let rows = root.unsigned("Rows", tags::ROWS, "a positive number of rows")? as usize;
    let columns = root.unsigned("Columns", tags::COLUMNS, "a positive number of columns")? as usize;
    let frames = match root.opt_number(
        "NumberOfFrames",
        tags::NUMBER_OF_FRAMES,
        "a positive number of frames",
    )? {
        None => 1,
        Some(value) if value >= 1.0 && value.fract() == 0.0 && value < 1e6 => value as usize,
        Some(value) => {
            return Err(root.invalid(
                "NumberOfFrames",
                tags::NUMBER_OF_FRAMES,
                "a positive whole number",
                value,
            ));
        }
    };
    if rows == 0 || columns == 0 {
        return Err(root.invalid(
            "Rows/Columns",
            tags::ROWS,
            "positive sizes",
            format!("{rows} x {columns}"),
        ));
    }
    let scaling = root.number(
        "DoseGridScaling",
        tags::DOSE_GRID_SCALING,
        "a positive factor from stored values to Gy",
    )?;
    if scaling <= 0.0 {
        return Err(root.invalid(
            "DoseGridScaling",
            tags::DOSE_GRID_SCALING,
            "a positive factor",
            scaling,
        ));
    }

    let unsupported = || DoseError::UnsupportedOrientation {
        source_name: root.source_name.to_owned(),
        got: orientation.to_vec(),
    };
    let (row_axis, row_sign) = in_plane_axis(&orientation[0..3]).ok_or_else(unsupported)?;
    let (column_axis, column_sign) = in_plane_axis(&orientation[3..6]).ok_or_else(unsupported)?;
    if row_axis == column_axis {
        return Err(unsupported());
    }
    // The slice normal is row × column: +z for (x, y) and (y, -x)-type pairs, −z otherwise.
    let normal_z_sign = if row_axis == 0 {
        row_sign * column_sign
    } else {
        -row_sign * column_sign
    };

    let frame_z = frame_positions(root, position[2], normal_z_sign, frames)?;
    let voxels = rows
        .checked_mul(columns)
        .and_then(|count| count.checked_mul(frames))
        .ok_or_else(|| {
            root.invalid(
                "Rows/Columns/NumberOfFrames",
                tags::ROWS,
                "a grid that fits in memory",
                format!("{rows} x {columns} x {frames}"),
            )
        })?;
    let file_dose = scaled_values(root, pixels, voxels, scaling)?;

    // Canonical geometry: PixelSpacing is (between rows, between columns); moving along a row
    // (to the next column) steps by the column spacing in the direction of the row cosines.
    let mut spacing = [0.0; 2];
    let mut size = [0usize; 2];
    let mut origin = [0.0; 2];
    let mut step_per_column = [0isize; 2];
    let mut step_per_row = [0isize; 2];
    spacing[row_axis] = pixel_spacing[1];
    size[row_axis] = columns;
    step_per_column[row_axis] = row_sign as isize;
    spacing[column_axis] = pixel_spacing[0];
    size[column_axis] = rows;
    step_per_row[column_axis] = column_sign as isize;
    for axis in 0..2 {
        let extent = (size[axis] - 1) as f64 * spacing[axis];
        let runs_backwards = step_per_column[axis] < 0 || step_per_row[axis] < 0;
        origin[axis] = if runs_backwards {
            position[axis] - extent
        } else {
            position[axis]
        };
    }
    let mut order: Vec<usize> = (0..frames).collect();
    order.sort_by(|a, b| frame_z[*a].total_cmp(&frame_z[*b]));
    let sorted_z: Vec<f64> = order.iter().map(|frame| frame_z[*frame]).collect();
    if sorted_z.windows(2).any(|pair| pair[1] - pair[0] < 1e-6) {
        return Err(root.invalid(
            "GridFrameOffsetVector",
            tags::GRID_FRAME_OFFSET_VECTOR,
            "distinct frame positions",
            format!("{sorted_z:?}"),
        ));
    }
    let geometry = GridGeometry::new(origin, spacing, size, sorted_z)?;

    // The canonical index of stored pixel (row, column) is linear in both:
    // `start + column · per_column + row · per_row` within a frame.
    let per_frame = rows * columns;
    let axis_weight = [1isize, size[0] as isize];
    let (mut start, mut per_column, mut per_row) = (0isize, 0isize, 0isize);
    for axis in 0..2 {
        per_column += axis_weight[axis] * step_per_column[axis];
        per_row += axis_weight[axis] * step_per_row[axis];
        if step_per_column[axis] + step_per_row[axis] < 0 {
            start += axis_weight[axis] * (size[axis] as isize - 1);
        }
    }
    let in_file_order = (start, per_column, per_row) == (0, 1, columns as isize)
        && order.windows(2).all(|pair| pair[0] < pair[1]);
    let dose = if in_file_order {
        file_dose
    } else {
        let mut dose = vec![0.0_f32; file_dose.len()];
        for (canonical_frame, file_frame) in order.iter().enumerate() {
            let target = &mut dose[canonical_frame * per_frame..(canonical_frame + 1) * per_frame];
            let source = &file_dose[file_frame * per_frame..(file_frame + 1) * per_frame];
            for (row, stored_row) in source.chunks_exact(columns).enumerate() {
                let row_start = start + row as isize * per_row;
                for (column, value) in stored_row.iter().enumerate() {
                    // In range: the orientation maps the stored rows and columns onto the grid.
                    target[(row_start + column as isize * per_column) as usize] = *value;
                }
            }
        }
        dose
    };
    DoseGrid::new(geometry, dose)
        .map_err(|error| root.invalid("PixelData", tags::PIXEL_DATA, "non-negative doses", error))
}

/// The z of every frame from GridFrameOffsetVector, relative (first offset 0, along the
/// slice normal from ImagePositionPatient) or absolute (first offset equals its z).
fn frame_positions(
    root: &Attributes,
    position_z: f64,
    normal_z_sign: f64,
    frames: usize,
) -> Result<Vec<f64>> {
    let keyword = "GridFrameOffsetVector";
    let tag = tags::GRID_FRAME_OFFSET_VECTOR;
    let offsets = match root.opt_numbers(keyword, tag)? {
        Some(offsets) => offsets,
        None if frames == 1 => Cow::Owned(vec![0.0]),
        None => {
            return Err(root.missing(keyword, tag, "one offset per frame for a multi-frame dose"));
        }
    };
    if offsets.len() != frames {
        return Err(root.invalid(
            keyword,
            tag,
            &format!("{frames} offsets (NumberOfFrames)"),
            format!("{} offsets", offsets.len()),
        ));
    }
    if offsets[0] == 0.0 {
        Ok(offsets
            .iter()
            .map(|offset| position_z + normal_z_sign * offset)
            .collect())
    } else if (offsets[0] - position_z).abs() < 1e-3 {
        Ok(offsets.into_owned())
    } else {
        Err(root.invalid(
            keyword,
            tag,
            &format!("relative offsets starting at 0 or absolute z starting at ImagePositionPatient z = {position_z}"),
            format!("first offset {}", offsets[0]),
        ))
    }
}

/// The stored pixel values times DoseGridScaling, Gy, in the file's order.
fn scaled_values(
    root: &Attributes,
    pixels: Pixels,
    expected_count: usize,
    scaling: f64,
) -> Result<Vec<f32>> {
    let bits = root.unsigned("BitsAllocated", tags::BITS_ALLOCATED, "16 or 32")?;
    let signed = root.unsigned(
        "PixelRepresentation",
        tags::PIXEL_REPRESENTATION,
        "0 (unsigned) or 1 (signed)",
    )? == 1;
    if bits != 16 && bits != 32 {
        return Err(root.invalid("BitsAllocated", tags::BITS_ALLOCATED, "16 or 32", bits));
    }
    let invalid =
        |expected: &str, got: String| root.invalid("PixelData", tags::PIXEL_DATA, expected, got);
    let pixel_data = pixels.data.ok_or_else(|| {
        root.missing(
            "PixelData",
            tags::PIXEL_DATA,
            "native (uncompressed) pixel data",
        )
    })?;
    if !matches!(pixel_data.vr, VR::OB | VR::OW | VR::OL | VR::UN) {
        return Err(invalid(
            "native OB/OW pixel data",
            format!("value representation {}", pixel_data.vr.to_string()),
        ));
    }
    if !pixel_data.little_endian {
        return Err(invalid(
            "pixel data in a little-endian transfer syntax",
            "a big-endian transfer syntax".to_owned(),
        ));
    }
    let unit = bits as usize / 8;
    let needed = expected_count
        .checked_mul(unit)
        .filter(|needed| *needed <= pixel_data.length as usize)
        .ok_or_else(|| {
            invalid(
                &format!(
                    "{} bytes (rows x columns x frames x {unit})",
                    expected_count as u128 * unit as u128
                ),
                format!("{} bytes", pixel_data.length),
            )
        })?;
    // Written in place rather than pushed, so that the conversion loops vectorise. A zeroed
    // allocation costs nothing until it is written: its pages come zeroed from the system.
    let mut values = vec![0.0_f32; expected_count];
    let mut filled = 0;
    pixel_data
        .read_chunks(pixels.source, needed, unit, |bytes| {
            let out = values.get_mut(filled..).unwrap_or_default();
            filled += bytes.len() / unit;
            match (unit, signed) {
                (2, false) => scale_into(out, bytes, scaling, |b| f64::from(u16::from_le_bytes(b))),
                (2, true) => scale_into(out, bytes, scaling, |b| f64::from(i16::from_le_bytes(b))),
                (_, false) => {
                    scale_into(out, bytes, scaling, |b| u32_to_f64(u32::from_le_bytes(b)))
                }
                (_, true) => scale_into(out, bytes, scaling, |b| f64::from(i32::from_le_bytes(b))),
            }
        })
        .map_err(|error| {
            root.invalid(
                "PixelData",
                tags::PIXEL_DATA,
                &format!("{needed} readable bytes from byte {}", pixel_data.offset),
                error,
            )
        })?;
    Ok(values)
}

/// Converts the whole `N`-byte stored values of `bytes` to Gy into `out`: exactly as the stored
/// integer times `scaling`, in f64, then rounded once to f32.
fn scale_into<const N: usize>(
    out: &mut [f32],
    bytes: &[u8],
    scaling: f64,
    stored: impl Fn([u8; N]) -> f64,
) {
    let (values, _) = bytes.as_chunks::<N>();
    for (out, value) in out.iter_mut().zip(values) {
        *out = (stored(*value) * scaling) as f32;
    }
}

/// `f64::from(value)`, computed through `i32` (exact: the value less 2³¹ is an `i32`, and adding
/// 2³¹ back is exact below 2⁵³), because x86-64 converts `i32`s to `f64`s two at a time but has
/// no such instruction for `u32`s.
fn u32_to_f64(value: u32) -> f64 {
    f64::from((value ^ 0x8000_0000) as i32) + 2_147_483_648.0
}

fn read_stored_dvh(item: &Attributes) -> Result<StoredDvh> {
    let kind = item.string(
        "DVHType",
        tags::DVH_TYPE,
        "CUMULATIVE, DIFFERENTIAL or NATURAL",
    )?;
    let units = item.string("DoseUnits", tags::DOSE_UNITS, "GY")?;
    if units != "GY" {
        return Err(item.invalid("DoseUnits", tags::DOSE_UNITS, "GY", units));
    }
    let volume_units = item.string("DVHVolumeUnits", tags::DVH_VOLUME_UNITS, "CM3 or PERCENT")?;
    let volume_is_percent = match volume_units.as_str() {
        "CM3" => false,
        "PERCENT" => true,
        other => {
            return Err(item.invalid(
                "DVHVolumeUnits",
                tags::DVH_VOLUME_UNITS,
                "CM3 or PERCENT",
                other,
            ));
        }
    };
    let scaling = item
        .opt_number(
            "DVHDoseScaling",
            tags::DVH_DOSE_SCALING,
            "a positive factor",
        )?
        .unwrap_or(1.0);
    let data = item.numbers(
        "DVHData",
        tags::DVH_DATA,
        None,
        "pairs of bin width and volume",
    )?;
    if data.len() % 2 != 0 {
        return Err(item.invalid(
            "DVHData",
            tags::DVH_DATA,
            "an even number of values (width, volume pairs)",
            data.len(),
        ));
    }
    let mut upper = 0.0;
    let mut bin_upper_gy = Vec::with_capacity(data.len() / 2);
    let mut volume = Vec::with_capacity(data.len() / 2);
    for pair in data.chunks_exact(2) {
        upper += pair[0] * scaling;
        bin_upper_gy.push(upper);
        volume.push(pair[1]);
    }
    let roi_number = item
        .items(
            "DVHReferencedROISequence",
            tags::DVH_REFERENCED_ROI_SEQUENCE,
        )
        .first()
        .map(|roi| {
            roi.number(
                "ReferencedROINumber",
                tags::REFERENCED_ROI_NUMBER,
                "an ROI number",
            )
        })
        .transpose()?
        .ok_or_else(|| {
            item.missing(
                "DVHReferencedROISequence",
                tags::DVH_REFERENCED_ROI_SEQUENCE,
                "the ROI this DVH belongs to",
            )
        })?;
    Ok(StoredDvh {
        roi_number: roi_number as i64,
        cumulative: kind == "CUMULATIVE",
        bin_upper_gy,
        volume,
        volume_is_percent,
        header_min_max_mean: [
            item.opt_number("DVHMinimumDose", tags::DVH_MINIMUM_DOSE, "Gy")?,
            item.opt_number("DVHMaximumDose", tags::DVH_MAXIMUM_DOSE, "Gy")?,
            item.opt_number("DVHMeanDose", tags::DVH_MEAN_DOSE, "Gy")?,
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn u32_edges_convert_exactly() {
        for value in [0, 1, 0x7FFF_FFFF, 0x8000_0000, 0x8000_0001, u32::MAX] {
            assert_eq!(u32_to_f64(value), f64::from(value), "{value}");
        }
    }

    proptest! {
        /// std's conversion is the reference.
        #[test]
        fn u32s_convert_as_std_does(value: u32) {
            prop_assert_eq!(u32_to_f64(value).to_bits(), f64::from(value).to_bits());
        }
    }
}
