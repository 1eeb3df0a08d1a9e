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
//! Generated R4 model crates compile every resource of the specification: a clean debug build
//! of `fhir-r4` 4.1.2 (the newest that builds on Rust 1.95), fhirbolt and others took 506–701 s
//! of wall time each on this machine's 2 cores (`shared/design/ECOSYSTEM.md`). oncourse exchanges
//! nine resource types and a dozen datatypes; [`types`] types those by hand and keeps every
//! element it does not model in a `#[serde(flatten)]` map, so nothing an EHR sends is dropped
//! (a test re-serialises all 179 mCODE examples and gets them back exactly).
//!
//! Measured 2026-11-28: a clean debug build of this crate with all its dependencies
//! (`CARGO_TARGET_DIR` empty, `cargo build -p oncourse-fhir`) took 72.3 s user + 5.0 s system
//! CPU time (537 s of wall time, on 2 cores shared with four other builds at load average 15).
//! The generated crates' figures are wall times of 2-core builds, which spend up to twice their
//! wall time in CPU: roughly 500–1400 s of CPU against this crate's 77 s. Rebuilding this crate
//! alone after an edit: 29.5 s user CPU.
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
