//! HL7 FHIR R4 / mCODE STU4 export and import of an oncourse [`Record`](oncourse_model::Record).
//!
//! - [`export_bundle`] / [`export_json`]: a record as a `collection` (or `transaction`) Bundle:
//!   Patient (mCODE CancerPatient), Condition (PrimaryCancerCondition with ICD-O-3 histology,
//!   topography and SNOMED laterality; comorbidities), Observations (TNM stage group and
//!   categories, FNCLCC grade, IHC tumour markers, labs with LOINC and UCUM, ECOG,
//!   CancerDiseaseStatus, tumour size per imaged lesion), MedicationRequest and
//!   MedicationAdministration (regimen, holds, dose changes, stop), Procedure
//!   (RadiotherapyCourseSummary per prescription phase with its RadiotherapyVolume, each delivered
//!   fraction, other procedures), AdverseEvent (CTCAE grade in the AE Clinical Research R4
//!   backport `ae-grade` extension), DiagnosticReport (imaging). Codes and their sources: [`codes`].
//! - [`import_json`] / [`import_value`]: a Bundle (or one resource) back to a record, with
//!   warnings for what was skipped and located errors for what is malformed (see [`import`]).
//! - [`labs`]: lab feeds (a Bundle of Observations or a CSV export) merged idempotently into a record.
//!
//! # Why hand-written types and not a generated FHIR crate
//!
//! Measured on this machine (2 cores, Rust 1.95): generated R4 model crates cost 506–701 s of
//! clean debug build each (`fhir-r4` 4.1.2, fhirbolt and others; `shared/design/ECOSYSTEM.md`),
//! because they compile every resource of the specification. oncourse exchanges nine resource
//! types and a dozen datatypes; [`types`] types those by hand (about 700 lines) and keeps every
//! element it does not model in a `#[serde(flatten)]` map, so nothing an EHR sends is dropped.
//! This crate's own clean build is measured in its README section of `tests/data/README.md`.
//!
//! # Purity
//!
//! No IO: functions take text or values and return values. The CLI reads and writes files.

pub mod codes;
pub mod error;
pub mod export;
pub mod import;
pub mod labs;
pub mod types;

pub use error::{ImportError, ImportErrors, Warning};
pub use export::{BundleKind, ExportOptions, export_bundle, export_json};
pub use import::{Imported, import_json, import_value};
