//! Writing dose grids and structure sets as DICOM RT (explicit VR little endian): an EQD2 plan
//! sum becomes an RT Dose a planning system or viewer can load, and tests build analytic
//! phantoms as real DICOM files that go through the same reader as clinical data.

use dicom_core::value::{DataSetSequence, PrimitiveValue, Value};
use dicom_core::{DataElement, Length, Tag, VR};
use dicom_dictionary_std::{tags, uids};
use dicom_object::{FileMetaTableBuilder, InMemDicomObject};

use crate::error::{DoseError, Result};
use crate::grid::DoseGrid;
use crate::rtstruct::StructureSet;

/// What to write into the header of an RT Dose besides the grid.
#[derive(Debug, Clone, PartialEq)]
pub struct RtDoseHeader {
    /// FrameOfReferenceUID shared with the structure set.
    pub frame_of_reference_uid: String,
    /// SOPInstanceUID of the new object.
    pub sop_instance_uid: String,
    /// DoseType: `PHYSICAL`, or `EFFECTIVE` for BED/EQD2.
    pub dose_type: String,
    /// DoseSummationType, e.g. `PLAN` or `MULTI_PLAN`.
    pub summation_type: String,
    /// SeriesDescription, e.g. `EQD2 (alpha/beta 3 Gy) sum of 2 phases`.
    pub description: String,
}

fn element(tag: Tag, vr: VR, value: impl Into<PrimitiveValue>) -> DataElement<InMemDicomObject> {
    DataElement::new(tag, vr, Value::from(value.into()))
}

fn decimals(values: &[f64]) -> String {
    values
        .iter()
        .map(|value| format!("{value}"))
        .collect::<Vec<_>>()
        .join("\\")
}

fn sequence(tag: Tag, items: Vec<InMemDicomObject>) -> DataElement<InMemDicomObject> {
    DataElement::new(
        tag,
        VR::SQ,
        Value::from(DataSetSequence::new(items, Length::UNDEFINED)),
    )
}

fn serialise(object: InMemDicomObject, what: &str) -> Result<Vec<u8>> {
    let failed = |message: String| DoseError::InvalidArgument {
        argument: what.to_owned(),
        expected: "a writable DICOM object".to_owned(),
        got: message,
    };
    let file = object
        .with_meta(FileMetaTableBuilder::new().transfer_syntax(uids::EXPLICIT_VR_LITTLE_ENDIAN))
        .map_err(|error| failed(error.to_string()))?;
    let mut bytes = Vec::new();
    file.write_all(&mut bytes)
        .map_err(|error| failed(error.to_string()))?;
    Ok(bytes)
}

/// Serialises a dose grid as a 32-bit RT Dose (axial, identity orientation, relative frame offsets).
pub fn write_rtdose(grid: &DoseGrid, header: &RtDoseHeader) -> Result<Vec<u8>> {
    let geometry = grid.geometry();
    if geometry
        .size_xy
        .iter()
        .any(|size| *size > usize::from(u16::MAX))
    {
        return Err(DoseError::InvalidArgument {
            argument: "grid size".to_owned(),
            expected: "at most 65535 rows and columns (DICOM US)".to_owned(),
            got: format!("{:?}", geometry.size_xy),
        });
    }
    let max_dose = grid.max_dose_gy();
    // Spread the range over 31 bits; any positive factor is fine for an all-zero grid.
    let scaling = if max_dose > 0.0 {
        max_dose / f64::from(i32::MAX as u32)
    } else {
        1e-6
    };
    let stored: Vec<u32> = grid
        .dose_gy()
        .iter()
        .map(|dose| (f64::from(*dose) / scaling).round() as u32)
        .collect();
    let first_z = geometry.frame_z_mm[0];
    let offsets: Vec<f64> = geometry.frame_z_mm.iter().map(|z| z - first_z).collect();
    let mut object = InMemDicomObject::new_empty();
    object.put(element(tags::SOP_CLASS_UID, VR::UI, uids::RT_DOSE_STORAGE));
    object.put(element(
        tags::SOP_INSTANCE_UID,
        VR::UI,
        header.sop_instance_uid.as_str(),
    ));
    object.put(element(tags::MODALITY, VR::CS, "RTDOSE"));
    object.put(element(
        tags::SERIES_DESCRIPTION,
        VR::LO,
        header.description.as_str(),
    ));
    object.put(element(
        tags::FRAME_OF_REFERENCE_UID,
        VR::UI,
        header.frame_of_reference_uid.as_str(),
    ));
    object.put(element(
        tags::IMAGE_POSITION_PATIENT,
        VR::DS,
        decimals(&[geometry.origin_xy_mm[0], geometry.origin_xy_mm[1], first_z]),
    ));
    object.put(element(
        tags::IMAGE_ORIENTATION_PATIENT,
        VR::DS,
        "1\\0\\0\\0\\1\\0",
    ));
    object.put(element(
        tags::PIXEL_SPACING,
        VR::DS,
        decimals(&[geometry.spacing_xy_mm[1], geometry.spacing_xy_mm[0]]),
    ));
    object.put(element(
        tags::ROWS,
        VR::US,
        PrimitiveValue::from(geometry.size_xy[1] as u16),
    ));
    object.put(element(
        tags::COLUMNS,
        VR::US,
        PrimitiveValue::from(geometry.size_xy[0] as u16),
    ));
    object.put(element(
        tags::NUMBER_OF_FRAMES,
        VR::IS,
        geometry.frame_z_mm.len().to_string(),
    ));
    object.put(element(
        tags::GRID_FRAME_OFFSET_VECTOR,
        VR::DS,
        decimals(&offsets),
    ));
    object.put(element(
        tags::SAMPLES_PER_PIXEL,
        VR::US,
        PrimitiveValue::from(1_u16),
    ));
    object.put(element(
        tags::PHOTOMETRIC_INTERPRETATION,
        VR::CS,
        "MONOCHROME2",
    ));
    object.put(element(
        tags::BITS_ALLOCATED,
        VR::US,
        PrimitiveValue::from(32_u16),
    ));
    object.put(element(
        tags::BITS_STORED,
        VR::US,
        PrimitiveValue::from(32_u16),
    ));
    object.put(element(
        tags::HIGH_BIT,
        VR::US,
        PrimitiveValue::from(31_u16),
    ));
    object.put(element(
        tags::PIXEL_REPRESENTATION,
        VR::US,
        PrimitiveValue::from(0_u16),
    ));
    object.put(element(tags::DOSE_UNITS, VR::CS, "GY"));
    object.put(element(tags::DOSE_TYPE, VR::CS, header.dose_type.as_str()));
    object.put(element(
        tags::DOSE_SUMMATION_TYPE,
        VR::CS,
        header.summation_type.as_str(),
    ));
    object.put(element(
        tags::DOSE_GRID_SCALING,
        VR::DS,
        format!("{scaling:e}"),
    ));
    object.put(element(
        tags::PIXEL_DATA,
        VR::OW,
        PrimitiveValue::U32(stored.into()),
    ));
    serialise(object, "RT Dose")
}

/// Serialises a structure set (names, interpreted types, CLOSED_PLANAR contours).
pub fn write_rtstruct(
    structure_set: &StructureSet,
    frame_of_reference_uid: &str,
    sop_instance_uid: &str,
) -> Result<Vec<u8>> {
    let mut object = InMemDicomObject::new_empty();
    object.put(element(
        tags::SOP_CLASS_UID,
        VR::UI,
        uids::RT_STRUCTURE_SET_STORAGE,
    ));
    object.put(element(tags::SOP_INSTANCE_UID, VR::UI, sop_instance_uid));
    object.put(element(tags::MODALITY, VR::CS, "RTSTRUCT"));
    let mut frame = InMemDicomObject::new_empty();
    frame.put(element(
        tags::FRAME_OF_REFERENCE_UID,
        VR::UI,
        frame_of_reference_uid,
    ));
    object.put(sequence(
        tags::REFERENCED_FRAME_OF_REFERENCE_SEQUENCE,
        vec![frame],
    ));
    let mut rois = Vec::new();
    let mut contours = Vec::new();
    let mut observations = Vec::new();
    for roi in &structure_set.rois {
        let mut item = InMemDicomObject::new_empty();
        item.put(element(tags::ROI_NUMBER, VR::IS, roi.number.to_string()));
        item.put(element(
            tags::REFERENCED_FRAME_OF_REFERENCE_UID,
            VR::UI,
            frame_of_reference_uid,
        ));
        item.put(element(tags::ROI_NAME, VR::LO, roi.name.as_str()));
        rois.push(item);
        let mut contour_items = Vec::new();
        for plane in &roi.planes {
            for polygon in &plane.polygons {
                let data: Vec<f64> = polygon
                    .iter()
                    .flat_map(|point| [point[0], point[1], plane.z_mm])
                    .collect();
                let mut contour = InMemDicomObject::new_empty();
                contour.put(element(
                    tags::CONTOUR_GEOMETRIC_TYPE,
                    VR::CS,
                    "CLOSED_PLANAR",
                ));
                contour.put(element(
                    tags::NUMBER_OF_CONTOUR_POINTS,
                    VR::IS,
                    polygon.len().to_string(),
                ));
                contour.put(element(tags::CONTOUR_DATA, VR::DS, decimals(&data)));
                contour_items.push(contour);
            }
        }
        let mut roi_contour = InMemDicomObject::new_empty();
        roi_contour.put(element(
            tags::REFERENCED_ROI_NUMBER,
            VR::IS,
            roi.number.to_string(),
        ));
        if !contour_items.is_empty() {
            roi_contour.put(sequence(tags::CONTOUR_SEQUENCE, contour_items));
        }
        contours.push(roi_contour);
        let mut observation = InMemDicomObject::new_empty();
        observation.put(element(
            tags::OBSERVATION_NUMBER,
            VR::IS,
            roi.number.to_string(),
        ));
        observation.put(element(
            tags::REFERENCED_ROI_NUMBER,
            VR::IS,
            roi.number.to_string(),
        ));
        observation.put(element(
            tags::RTROI_INTERPRETED_TYPE,
            VR::CS,
            roi.interpreted_type.as_deref().unwrap_or(""),
        ));
        observations.push(observation);
    }
    object.put(sequence(tags::STRUCTURE_SET_ROI_SEQUENCE, rois));
    object.put(sequence(tags::ROI_CONTOUR_SEQUENCE, contours));
    object.put(sequence(tags::RTROI_OBSERVATIONS_SEQUENCE, observations));
    serialise(object, "RT Structure Set")
}
