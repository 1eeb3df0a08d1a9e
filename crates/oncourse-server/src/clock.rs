//! Where the server gets the time: the system clock in production, a fixed one in tests.

use chrono::{DateTime, Utc};
use oncourse_store::Timestamp;

/// A source of the current time.
pub trait Clock: Send + Sync {
    /// Now.
    fn now(&self) -> Timestamp;
}

/// The system clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_datetime(DateTime::<Utc>::from(std::time::SystemTime::now()))
    }
}
