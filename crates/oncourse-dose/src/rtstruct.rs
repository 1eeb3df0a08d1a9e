//! Reading RT Structure Sets: ROIs with names, interpreted types and CLOSED_PLANAR contours
//! grouped into planes (several contours per plane: holes and islands, combined even-odd later),
//! and the slab-thickness convention that turns planes into volume.
//!
//! ## Plane thickness convention
//! Each contour plane stands for a slab around it. Between two neighbouring planes of the same
//! ROI the gap is shared half and half, and the first and last planes do not extend outward:
//! the ROI spans from its first to its last plane, and its volume is the trapezoid rule over
//! plane areas. Planes further apart than 1.5 × the structure set's nominal spacing (the most
//! common gap between neighbouring planes over all ROIs) are not neighbours: each side ends
//! there. A plane with no neighbour at all gets one nominal spacing of thickness so that a
//! single-slice ROI keeps a volume.
//!
//! On the dicompyler-core example plan this convention reproduces the planning system's own
//! structure volumes within 1 % for 10–2000 cm³ structures, where the "full slab per plane"
//! convention of dicompyler-core (n planes × spacing) is 1–3 % high and 15–75 % high on sub-cc
//! structures (`tests/data/dvh/`).

use std::collections::BTreeMap;

use dicom_dictionary_std::tags;

use crate::dicom_access::Attributes;
use crate::dicom_read::{Source, parse, read_bytes, read_file};
use crate::error::Result;

/// A closed polygon, (x, y) in mm.
type Polygon = Vec<[f64; 2]>;

/// A plane before thickness is assigned: its z and its polygons.
type RawPlane = (f64, Vec<Polygon>);

/// One plane of an ROI: every closed contour lying at this z, standing for a slab of z.
#[derive(Debug, Clone, PartialEq)]
pub struct ContourPlane {
    /// The plane's z, mm.
    pub z_mm: f64,
    /// The slab of z this plane stands for, `[low, high]` in mm (see the module docs); it
    /// contains `z_mm` but is centred on it only between two neighbouring planes.
    pub slab_z_mm: [f64; 2],
    /// Closed polygons, each a list of (x, y) in mm; holes and islands are separate polygons.
    pub polygons: Vec<Vec<[f64; 2]>>,
}

/// A region of interest of a structure set.
#[derive(Debug, Clone, PartialEq)]
pub struct Roi {
    /// ROINumber (3006,0022).
    pub number: i64,
    /// ROIName (3006,0026).
    pub name: String,
    /// RTROIInterpretedType (3006,00A4), e.g. `PTV`, `ORGAN`, `EXTERNAL`; `None` when not given.
    pub interpreted_type: Option<String>,
    /// ReferencedFrameOfReferenceUID (3006,0024) of the ROI.
    pub frame_of_reference_uid: Option<String>,
    /// The planes with closed contours, sorted by z; empty for an ROI without contours.
    pub planes: Vec<ContourPlane>,
    /// Why contours were skipped (points, open contours), if any were.
    pub notes: Vec<String>,
}

impl ContourPlane {
    /// The slab's thickness, mm.
    pub fn thickness_mm(&self) -> f64 {
        self.slab_z_mm[1] - self.slab_z_mm[0]
    }
}

/// An RT Structure Set.
#[derive(Debug, Clone, PartialEq)]
pub struct StructureSet {
    /// The structure set's FrameOfReferenceUID (ReferencedFrameOfReferenceSequence, first item).
    pub frame_of_reference_uid: Option<String>,
    /// The nominal distance between contour planes, mm (most common neighbour gap).
    pub nominal_plane_spacing_mm: Option<f64>,
    /// The ROIs in file order.
    pub rois: Vec<Roi>,
}

impl StructureSet {
    /// The ROI with this name (exact match first, then case-insensitive).
    pub fn find(&self, name: &str) -> Option<&Roi> {
        self.rois.iter().find(|roi| roi.name == name).or_else(|| {
            self.rois
                .iter()
                .find(|roi| roi.name.eq_ignore_ascii_case(name))
        })
    }
}

/// Reads an RT Structure Set from the bytes of a DICOM file.
pub fn read_rtstruct(source_name: &str, bytes: &[u8]) -> Result<StructureSet> {
    read_bytes(source_name, bytes, read_from)
}

fn read_from(source_name: &str, source: &mut dyn Source, length: u64) -> Result<StructureSet> {
    let data_set = parse(source_name, source, length)?;
    let root = Attributes::root(source_name, &data_set.object);
    let modality = root.string("Modality", tags::MODALITY, "RTSTRUCT")?;
    if modality != "RTSTRUCT" {
        return Err(root.invalid("Modality", tags::MODALITY, "RTSTRUCT", &modality));
    }
    let frame_of_reference_uid = root
        .items(
            "ReferencedFrameOfReferenceSequence",
            tags::REFERENCED_FRAME_OF_REFERENCE_SEQUENCE,
        )
        .first()
        .map(|item| item.opt_string("FrameOfReferenceUID", tags::FRAME_OF_REFERENCE_UID))
        .transpose()?
        .flatten();

    let mut rois = Vec::new();
    for item in root.items("StructureSetROISequence", tags::STRUCTURE_SET_ROI_SEQUENCE) {
        rois.push(Roi {
            number: item.number("ROINumber", tags::ROI_NUMBER, "an ROI number")? as i64,
            name: item
                .opt_string("ROIName", tags::ROI_NAME)?
                .unwrap_or_default(),
            interpreted_type: None,
            frame_of_reference_uid: item.opt_string(
                "ReferencedFrameOfReferenceUID",
                tags::REFERENCED_FRAME_OF_REFERENCE_UID,
            )?,
            planes: Vec::new(),
            notes: Vec::new(),
        });
    }
    if rois.is_empty() {
        return Err(root.missing(
            "StructureSetROISequence",
            tags::STRUCTURE_SET_ROI_SEQUENCE,
            "at least one ROI",
        ));
    }
    for item in root.items(
        "RTROIObservationsSequence",
        tags::RTROI_OBSERVATIONS_SEQUENCE,
    ) {
        let number = item.number(
            "ReferencedROINumber",
            tags::REFERENCED_ROI_NUMBER,
            "an ROI number",
        )? as i64;
        let interpreted_type =
            item.opt_string("RTROIInterpretedType", tags::RTROI_INTERPRETED_TYPE)?;
        if let Some(roi) = rois.iter_mut().find(|roi| roi.number == number) {
            roi.interpreted_type = interpreted_type;
        }
    }

    let mut raw_planes: Vec<Vec<(f64, Polygon)>> = vec![Vec::new(); rois.len()];
    for item in root.items("ROIContourSequence", tags::ROI_CONTOUR_SEQUENCE) {
        let number = item.number(
            "ReferencedROINumber",
            tags::REFERENCED_ROI_NUMBER,
            "an ROI number",
        )? as i64;
        let Some(index) = rois.iter().position(|roi| roi.number == number) else {
            return Err(item.invalid(
                "ReferencedROINumber",
                tags::REFERENCED_ROI_NUMBER,
                "a number listed in StructureSetROISequence",
                number,
            ));
        };
        let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
        for contour in item.items("ContourSequence", tags::CONTOUR_SEQUENCE) {
            let geometry = contour.string(
                "ContourGeometricType",
                tags::CONTOUR_GEOMETRIC_TYPE,
                "CLOSED_PLANAR, OPEN_PLANAR, POINT, ...",
            )?;
            if geometry != "CLOSED_PLANAR" {
                *skipped.entry(geometry).or_default() += 1;
                continue;
            }
            let data = contour.numbers(
                "ContourData",
                tags::CONTOUR_DATA,
                None,
                "x\\y\\z triplets in mm",
            )?;
            if data.len() % 3 != 0 || data.len() < 9 {
                return Err(contour.invalid(
                    "ContourData",
                    tags::CONTOUR_DATA,
                    "at least three x\\y\\z triplets",
                    format!("{} values", data.len()),
                ));
            }
            let z = data[2];
            if let Some(off_plane) = data
                .chunks_exact(3)
                .find(|point| (point[2] - z).abs() > 0.5)
            {
                return Err(contour.invalid(
                    "ContourData",
                    tags::CONTOUR_DATA,
                    &format!("a planar contour (every z within 0.5 mm of {z})"),
                    format!("a point at z = {}", off_plane[2]),
                ));
            }
            raw_planes[index].push((
                z,
                data.chunks_exact(3)
                    .map(|point| [point[0], point[1]])
                    .collect(),
            ));
        }
        for (geometry, count) in skipped {
            rois[index].notes.push(format!(
                "{count} {geometry} contour(s) ignored: only CLOSED_PLANAR contours enclose volume"
            ));
        }
    }

    let grouped: Vec<Vec<RawPlane>> = raw_planes.into_iter().map(group_by_plane).collect();
    let nominal_plane_spacing_mm = nominal_spacing(&grouped);
    for (roi, planes) in rois.iter_mut().zip(grouped) {
        roi.planes = with_thickness(planes, nominal_plane_spacing_mm);
    }
    Ok(StructureSet {
        frame_of_reference_uid,
        nominal_plane_spacing_mm,
        rois,
    })
}

/// Reads an RT Structure Set file from disk.
pub fn read_rtstruct_file(path: &std::path::Path) -> Result<StructureSet> {
    read_file(path, read_from)
}

/// Contours whose z agree within 0.01 mm share a plane; planes come out sorted by z.
fn group_by_plane(mut contours: Vec<(f64, Polygon)>) -> Vec<RawPlane> {
    contours.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut planes: Vec<RawPlane> = Vec::new();
    for (z, polygon) in contours {
        match planes.last_mut() {
            Some((plane_z, polygons)) if (z - *plane_z).abs() < 0.01 => polygons.push(polygon),
            _ => planes.push((z, vec![polygon])),
        }
    }
    planes
}

/// The most common gap between neighbouring planes over all ROIs, rounded to 0.01 mm.
fn nominal_spacing(rois: &[Vec<RawPlane>]) -> Option<f64> {
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    for planes in rois {
        for pair in planes.windows(2) {
            *counts
                .entry(((pair[1].0 - pair[0].0) * 100.0).round() as i64)
                .or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(gap, count)| (*count, -gap))
        .map(|(gap, _)| gap as f64 / 100.0)
}

/// Applies the slab-thickness convention of the module docs.
fn with_thickness(
    planes: Vec<(f64, Vec<Vec<[f64; 2]>>)>,
    nominal: Option<f64>,
) -> Vec<ContourPlane> {
    let z: Vec<f64> = planes.iter().map(|plane| plane.0).collect();
    // With no neighbouring planes anywhere in the set there is no spacing to infer; such a
    // single-plane ROI gets a nominal 1 mm slab rather than zero volume.
    let nominal = nominal.unwrap_or(1.0);
    let half_gap = |lower: usize| {
        let gap = z[lower + 1] - z[lower];
        if gap <= 1.5 * nominal { 0.5 * gap } else { 0.0 }
    };
    planes
        .into_iter()
        .enumerate()
        .map(|(index, (z_mm, polygons))| {
            let below = if index == 0 { 0.0 } else { half_gap(index - 1) };
            let above = if index + 1 == z.len() {
                0.0
            } else {
                half_gap(index)
            };
            let slab_z_mm = if below + above > 0.0 {
                [z_mm - below, z_mm + above]
            } else {
                [z_mm - 0.5 * nominal, z_mm + 0.5 * nominal]
            };
            ContourPlane {
                z_mm,
                slab_z_mm,
                polygons,
            }
        })
        .collect()
}
