//! Who may do what. One table, checked by every handler before it touches the store.
//!
//! | role       | read                 | write                                   | admin |
//! |------------|----------------------|-----------------------------------------|-------|
//! | clinician  | everything           | patients, every kind of fact, decisions on recommendations | no    |
//! | nurse      | everything           | observations and adverse events         | no    |
//! | researcher | de-identified only   | nothing                                 | no    |
//! | admin      | everything           | patients and facts (no clinical decisions) | users, audit trail |

use oncourse_store::{Actor, Role};

use crate::ApiError;

/// The fact kinds a nurse may write.
pub const NURSE_FACT_KINDS: [&str; 2] = ["observation", "adverse_event"];

/// How a caller may read patient data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReadView {
    /// Names, identifiers and real dates.
    Identified,
    /// No names or identifiers; dates shifted per patient.
    Deidentified,
}

/// The view the caller's role gives.
pub fn read_view(actor: &Actor) -> ReadView {
    match actor.role {
        Role::Researcher => ReadView::Deidentified,
        Role::Clinician | Role::Nurse | Role::Admin => ReadView::Identified,
    }
}

/// May the caller create patients?
pub fn require_create_patient(actor: &Actor) -> Result<(), ApiError> {
    match actor.role {
        Role::Clinician | Role::Admin => Ok(()),
        Role::Nurse | Role::Researcher => Err(forbidden(actor, "create patients")),
    }
}

/// May the caller write (assert, correct, retract) a fact of this kind?
pub fn require_write_fact(actor: &Actor, fact_kind: &str) -> Result<(), ApiError> {
    match actor.role {
        Role::Clinician | Role::Admin => Ok(()),
        Role::Nurse if NURSE_FACT_KINDS.contains(&fact_kind) => Ok(()),
        Role::Nurse | Role::Researcher => Err(forbidden(
            actor,
            &format!("write facts of kind {fact_kind:?}"),
        )),
    }
}

/// May the caller decide on a recommendation (acknowledge or override it)? Clinicians only:
/// it is a clinical judgement.
pub fn require_decide(actor: &Actor) -> Result<(), ApiError> {
    match actor.role {
        Role::Clinician => Ok(()),
        Role::Nurse | Role::Researcher | Role::Admin => {
            Err(forbidden(actor, "decide on recommendations"))
        }
    }
}

/// May the caller administer (read the audit trail, manage users)?
pub fn require_admin(actor: &Actor) -> Result<(), ApiError> {
    match actor.role {
        Role::Admin => Ok(()),
        _ => Err(forbidden(actor, "read the audit trail")),
    }
}

fn forbidden(actor: &Actor, what: &str) -> ApiError {
    ApiError::forbidden(format!("role {} may not {what}", actor.role))
}
