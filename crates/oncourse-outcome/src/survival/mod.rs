//! Cohort survival statistics: Kaplan–Meier, log-rank and Cox proportional hazards.
//!
//! Every estimator here is checked against R `survival` and lifelines on datasets those
//! packages ship (see `tests/data/survival/`). Conventions follow R `survival`
//! where the two tools differ, and the difference is said at the function.

mod concordance;
mod cox;
mod data;
mod distributions;
mod kaplan_meier;
mod logrank;

pub use concordance::{Concordance, concordance};
pub use cox::{CoxFit, CoxOptions, Ties, cox_proportional_hazards};
pub use data::{SurvivalData, SurvivalError};
pub use kaplan_meier::{
    ConfidenceTransform, KaplanMeier, KaplanMeierOptions, KaplanMeierStep, MedianSurvival,
    SurvivalAt, kaplan_meier,
};
pub use logrank::{LogRankTest, logrank, logrank_stratified};
