//! Builders shared by the integration tests: analytic dose grids, circular contours, DICOM
//! round trips and byte-level patching of DICOM files.

#![allow(dead_code)] // Each test binary uses a different subset.

use dicom_core::value::{PrimitiveValue, Value};
use dicom_core::{DataElement, Tag, VR};
use dicom_object::{InMemDicomObject, OpenFileOptions};
use oncourse_dose::{ContourPlane, DoseGrid, GridGeometry, Roi, RtDoseHeader, StructureSet};

pub const FRAME_OF_REFERENCE: &str = "1.2.826.0.1.3680043.2.1125.1";

/// A grid with voxel centres from `origin` (x, y, z) in steps of `spacing`, dose `f(x, y, z)`.
pub fn grid_from_fn(
    origin: [f64; 3],
    spacing: [f64; 3],
    size: [usize; 3],
    f: impl Fn(f64, f64, f64) -> f64,
) -> DoseGrid {
    let frame_z: Vec<f64> = (0..size[2])
        .map(|k| origin[2] + k as f64 * spacing[2])
        .collect();
    let geometry = GridGeometry::new(
        [origin[0], origin[1]],
        [spacing[0], spacing[1]],
        [size[0], size[1]],
        frame_z.clone(),
    )
    .unwrap();
    let mut dose = Vec::with_capacity(size[0] * size[1] * size[2]);
    for z in &frame_z {
        for j in 0..size[1] {
            for i in 0..size[0] {
                dose.push(f(
                    origin[0] + i as f64 * spacing[0],
                    origin[1] + j as f64 * spacing[1],
                    *z,
                ) as f32);
            }
        }
    }
    DoseGrid::new(geometry, dose).unwrap()
}

/// A regular polygon approximating a circle; `points` vertices.
pub fn circle(centre: [f64; 2], radius: f64, points: usize) -> Vec<[f64; 2]> {
    (0..points)
        .map(|k| {
            let angle = 2.0 * std::f64::consts::PI * k as f64 / points as f64;
            [
                centre[0] + radius * angle.cos(),
                centre[1] + radius * angle.sin(),
            ]
        })
        .collect()
}

/// An ROI from (z, polygons) planes; thickness is filled in by the reader after a round trip.
pub fn roi(number: i64, name: &str, planes: Vec<(f64, Vec<Vec<[f64; 2]>>)>) -> Roi {
    Roi {
        number,
        name: name.to_owned(),
        interpreted_type: Some("ORGAN".to_owned()),
        frame_of_reference_uid: Some(FRAME_OF_REFERENCE.to_owned()),
        planes: planes
            .into_iter()
            .map(|(z_mm, polygons)| ContourPlane {
                z_mm,
                slab_z_mm: [z_mm, z_mm],
                polygons,
            })
            .collect(),
        notes: Vec::new(),
    }
}

/// Writes and re-reads a structure set, so the tests go through the file reader.
pub fn round_trip_structures(rois: Vec<Roi>) -> StructureSet {
    let set = StructureSet {
        frame_of_reference_uid: Some(FRAME_OF_REFERENCE.to_owned()),
        nominal_plane_spacing_mm: None,
        rois,
    };
    let bytes =
        oncourse_dose::write_rtstruct(&set, FRAME_OF_REFERENCE, "1.2.826.0.1.3680043.2.1125.2")
            .unwrap();
    oncourse_dose::read_rtstruct("phantom-rs.dcm", &bytes).unwrap()
}

/// The bytes of an RT Dose holding `grid`.
pub fn rtdose_bytes(grid: &DoseGrid) -> Vec<u8> {
    let header = RtDoseHeader {
        frame_of_reference_uid: FRAME_OF_REFERENCE.to_owned(),
        sop_instance_uid: "1.2.826.0.1.3680043.2.1125.3".to_owned(),
        dose_type: "PHYSICAL".to_owned(),
        summation_type: "PLAN".to_owned(),
        description: "test phantom".to_owned(),
    };
    oncourse_dose::write_rtdose(grid, &header).unwrap()
}

/// Writes and re-reads a dose grid.
pub fn round_trip_dose(grid: &DoseGrid) -> DoseGrid {
    oncourse_dose::read_rtdose("phantom-rd.dcm", &rtdose_bytes(grid))
        .unwrap()
        .grid
}

/// Parses DICOM bytes, lets `edit` change the data set, and serialises it again.
pub fn patch(bytes: &[u8], edit: impl FnOnce(&mut InMemDicomObject)) -> Vec<u8> {
    let mut file = OpenFileOptions::new().from_reader(&bytes[128..]).unwrap();
    edit(&mut file);
    let mut out = Vec::new();
    file.write_all(&mut out).unwrap();
    out
}

/// A text-valued element (DS, CS, UI, IS ...).
pub fn text(tag: Tag, vr: VR, value: &str) -> DataElement<InMemDicomObject> {
    DataElement::new(tag, vr, Value::from(PrimitiveValue::from(value)))
}

/// A binary element.
pub fn binary(tag: Tag, vr: VR, value: PrimitiveValue) -> DataElement<InMemDicomObject> {
    DataElement::new(tag, vr, Value::from(value))
}
