//! Versioned JSON wire formats that more than one edge of oncourse promises to its readers:
//! `oncourse assess --json` and `GET /api/patients/{id}/assessment` print the same document.
//!
//! The types here are DTOs converted explicitly from the engine's and tox's domain types, so
//! those crates can change without breaking the format. No IO, no logic beyond conversion.

pub mod assessment;
pub mod protocol;
pub mod response;
