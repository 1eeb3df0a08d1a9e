//! The dose-modification protocol language: TOML files under `protocols/` that say, with a
//! source for every rule, what to do before each cycle and when an adverse event reaches a
//! grade; and its evaluation over a time-ordered stream of events.

mod evaluate;
mod model;
mod parse;
mod spanned;

pub use evaluate::{
    DayStatus, Deviation, DeviationKind, DrugState, Evaluation, EventKind, ProtocolEvent,
    Recommendation, RecommendedAction, evaluate,
};

pub use model::{
    Action, AfterTimeLimit, BreakAction, DoseLadder, HoldAction, Limit, LimitKind,
    PreCycleRequirement, Protocol, ResumeAt, Rule, Schedule, Source,
};
pub use parse::parse_protocol;
pub use spanned::{ProtocolErrors, ProtocolProblem};
