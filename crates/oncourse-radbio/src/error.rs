//! The errors of the radiobiology crate: every one names the parameter and the bad value.

/// An invalid radiobiological input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RadbioError {
    /// α/β must be a finite number of Gy above zero.
    #[error("alpha/beta: expected a number of Gy above 0, got {value}")]
    AlphaBeta {
        /// The rejected value.
        value: f64,
    },
    /// A dose (per fraction, total, target or limit) must be finite and not negative.
    #[error("{what}: expected a finite dose of at least 0 Gy, got {value}")]
    Dose {
        /// Which dose was wrong, e.g. "dose per fraction".
        what: &'static str,
        /// The rejected value.
        value: f64,
    },
    /// A phase needs at least one fraction.
    #[error("number of fractions: expected a whole number of at least 1, got {value}")]
    Fractions {
        /// The rejected value.
        value: u32,
    },
    /// A recovery fraction is a share of the earlier dose, from 0 up to (not including) 1.
    #[error("recovery fraction: expected a number from 0 up to (not including) 1, got {value}")]
    RecoveryFraction {
        /// The rejected value.
        value: f64,
    },
    /// The LQ-L transition dose must be above zero.
    #[error("LQ-L transition dose: expected a number of Gy above 0, got {value}")]
    TransitionDose {
        /// The rejected value.
        value: f64,
    },
    /// Repopulation parameters must be finite and not negative (Tpot and α above zero).
    #[error("repopulation {what}: expected a finite number above 0, got {value}")]
    Repopulation {
        /// Which parameter was wrong.
        what: &'static str,
        /// The rejected value.
        value: f64,
    },
    /// Overall treatment time is a finite, non-negative number of days.
    #[error("overall treatment time: expected a finite number of days of at least 0, got {value}")]
    OverallTime {
        /// The rejected value.
        value: f64,
    },
    /// A tissue id that is not in the table.
    #[error("tissue: unknown tissue {id:?}; `oncourse tissues` lists the known ones")]
    UnknownTissue {
        /// The id that was asked for.
        id: String,
    },
    /// A course needs at least one phase.
    #[error("course: expected at least one phase, got none")]
    EmptyCourse,
}
