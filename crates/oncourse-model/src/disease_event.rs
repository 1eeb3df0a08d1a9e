//! Disease events: progression, recurrence, death, last contact.

use serde::{Deserialize, Serialize};

/// Kind of disease event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiseaseEventKind {
    /// Documented progression.
    Progression,
    /// Local or distant recurrence.
    Recurrence,
    /// Death.
    Death,
    /// Last contact (alive; censoring date).
    LastContact,
}

/// A disease event on its fact's date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiseaseEvent {
    /// Kind. Serialised as `event`: `kind` is `FactBody`'s tag, and a second `kind` key made a
    /// disease event's JSON unreadable (found by the store's round trip).
    #[serde(rename = "event")]
    pub kind: DiseaseEventKind,
    /// Disease status at the event, e.g. "no evidence of progression".
    pub status: Option<String>,
}
