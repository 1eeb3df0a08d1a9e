//! What the API does, as plain async functions over an [`AppState`](crate::AppState): the JSON
//! handlers wrap them, and other front ends (the dashboard) call them without HTTP. Each takes
//! the caller ([`oncourse_store::Actor`]) where the role matters and returns typed values or
//! an [`ApiError`](crate::ApiError) that names the field at fault.

pub mod assessment;
pub mod cohort;
pub(crate) mod log_cache;
pub mod recommendations;
