//! Toxicity surveillance for oncourse: the CTCAE v5.0 catalogue, automatic grading of the
//! terms CTCAE defines numerically (with UCUM unit handling), and the dose-modification
//! protocol language with its evaluation over a time-ordered stream of events.
//!
//! This crate is pure: it does no IO and knows nothing of files, clocks, SQL or HTTP. Reference
//! data (the CTCAE term list, numeric criteria, quantities) is embedded with `include_str!` and
//! every row names its published source.

pub mod bands;
pub mod catalogue;
pub mod criteria;
pub mod episodes;
pub mod grading;
pub mod loinc;
pub mod protocol;
pub mod reading;
pub mod units;

pub use catalogue::{CTCAE_V5_SOURCE, Catalogue, GradeDefinition, Term, catalogue};
pub use grading::{GradeError, GradeOutcome, GradedValue, References, grade};
pub use loinc::{LoincTerm, term_for_loinc};
pub use reading::{Reading, ReadingError};
pub use units::{Quantity, UnitError};
