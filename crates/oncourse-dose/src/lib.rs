//! The dose-volume engine of oncourse: reads DICOM RT Dose, Structure Set and Plan objects
//! (dicom-rs), rasterises structures onto dose grids with partial-volume accuracy, computes
//! DVHs and their metrics in physical dose, BED or EQD2 (voxel-wise, over several phases with
//! their own fractionation), and checks them against constraint sets kept as data.
//!
//! Reading is the only IO (the `read_*_file` helpers); everything else takes values and returns
//! values. It never decides anything clinical: it shows numbers and where they came from.

pub mod constraints;
pub mod dvh;
pub mod error;
pub mod evaluate;
pub mod grid;
pub mod rasterise;
pub mod rtdose;
pub mod rtplan;
pub mod rtstruct;

pub mod write;

mod decimal;
mod dicom_access;
mod dicom_read;
mod plane_dvh;

pub use dvh::{Dvh, Histogram};
pub use error::{DoseError, Result};
pub use evaluate::{
    DoseQuantity, DvhOptions, Phase, StructureDvh, check_same_frame_of_reference, structure_dvh,
    summed_grid,
};
pub use grid::{DoseGrid, GridGeometry};
pub use rtdose::{DoseSummation, RtDose, StoredDvh, read_rtdose, read_rtdose_file};
pub use rtplan::{RtPlan, read_rtplan, read_rtplan_file};
pub use rtstruct::{ContourPlane, Roi, StructureSet, read_rtstruct, read_rtstruct_file};
pub use write::{RtDoseHeader, write_rtdose, write_rtstruct};
