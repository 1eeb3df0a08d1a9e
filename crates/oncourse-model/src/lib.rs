//! Domain types of an oncology treatment course and the human-writable case-file format.
//!
//! A patient's course is a [`Record`]: an ordered list of dated [`Fact`]s, each with an id and a
//! valid time (the date it happened). A correction is a new fact that names the fact it
//! supersedes; nothing is overwritten. The store adds recorded time and author later.
//!
//! Every measured value is a [`Quantity`], which always carries a UCUM unit.
//!
//! This crate is pure: it does no IO (no files, clock, network or environment). The case-file
//! parser takes the file's name and text as values.

pub mod adverse_event;
pub mod case_file;
pub mod diagnosis;
pub mod disease_event;
pub mod drug;
pub mod fact;
pub mod grade;
pub mod imaging;
pub mod observation;
pub mod patient;
pub mod procedure;
pub mod quantity;
pub mod radiotherapy;
pub mod record;
pub mod stage;

pub use fact::{Fact, FactBody, FactId};
pub use quantity::{Dimension, Quantity, QuantityError};
pub use record::Record;
