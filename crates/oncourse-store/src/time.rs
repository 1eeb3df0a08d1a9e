//! Recorded and valid times as sortable text.
//!
//! The `Any` driver has no time type, so times are stored as text in one fixed form
//! (`YYYY-MM-DDTHH:MM:SS.ffffffZ`, UTC, microseconds) whose text order is time order; a
//! comparison in SQL is then a comparison of times.

use std::fmt;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

use crate::StoreError;

/// An instant in UTC, to the microsecond: when something was recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(DateTime<Utc>);

impl Timestamp {
    /// Wraps an instant, truncated to whole microseconds (the stored precision).
    pub fn from_datetime(instant: DateTime<Utc>) -> Timestamp {
        let micros = instant.timestamp_micros();
        Timestamp(DateTime::from_timestamp_micros(micros).unwrap_or(instant))
    }

    /// Parses an RFC 3339 time with an offset (`2026-11-28T19:30:00Z`, `…+01:00`).
    pub fn parse(field: &'static str, text: &str) -> Result<Timestamp, StoreError> {
        DateTime::parse_from_rfc3339(text)
            .map(|t| Timestamp::from_datetime(t.with_timezone(&Utc)))
            .map_err(|_| StoreError::Invalid {
                field,
                value: text.to_owned(),
                expected: "an RFC 3339 time with an offset, e.g. 2026-11-28T19:30:00Z",
            })
    }

    /// The instant.
    pub fn datetime(&self) -> DateTime<Utc> {
        self.0
    }

    /// The stored text form, whose text order is time order.
    pub fn to_sql_text(&self) -> String {
        self.0.to_rfc3339_opts(SecondsFormat::Micros, true)
    }

    /// The latest representable time, for "as known now" reads.
    pub(crate) fn end_of_time_text() -> &'static str {
        "9999-12-31T23:59:59.999999Z"
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_sql_text())
    }
}

/// When a fact was true in the patient's world: a calendar date, or an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ValidTime {
    /// A calendar date (most clinical facts: a dose given, a lab drawn on a day).
    Date(NaiveDate),
    /// An instant.
    Instant(Timestamp),
}

impl ValidTime {
    /// Parses `YYYY-MM-DD` or an RFC 3339 time.
    pub fn parse(field: &'static str, text: &str) -> Result<ValidTime, StoreError> {
        if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Ok(ValidTime::Date(date));
        }
        Timestamp::parse(field, text)
            .map(ValidTime::Instant)
            .map_err(|_| StoreError::Invalid {
                field,
                value: text.to_owned(),
                expected: "a date YYYY-MM-DD or an RFC 3339 time, e.g. 2026-11-28T19:30:00Z",
            })
    }

    /// The stored text form: `YYYY-MM-DD` or the [`Timestamp`] form; both sort by time.
    pub fn to_sql_text(&self) -> String {
        match self {
            ValidTime::Date(date) => date.format("%Y-%m-%d").to_string(),
            ValidTime::Instant(instant) => instant.to_sql_text(),
        }
    }
}

impl fmt::Display for ValidTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_sql_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_normalise_to_utc_microseconds() {
        let t = Timestamp::parse("t", "2026-11-28T20:30:45.1234567+01:00").unwrap();
        assert_eq!(t.to_sql_text(), "2026-11-28T19:30:45.123456Z");
    }

    #[test]
    fn valid_times_accept_dates_and_instants_and_name_the_field() {
        assert_eq!(
            ValidTime::parse("valid_time", "2024-03-01")
                .unwrap()
                .to_sql_text(),
            "2024-03-01"
        );
        let error = ValidTime::parse("valid_time", "01/03/2024").unwrap_err();
        assert_eq!(
            error.to_string(),
            "valid_time: expected a date YYYY-MM-DD or an RFC 3339 time, e.g. 2026-11-28T19:30:00Z, got \"01/03/2024\""
        );
    }

    proptest::proptest! {
        /// Text order of the stored form is time order, which the as-of SQL relies on.
        #[test]
        fn text_order_is_time_order(a in 0i64..253_402_300_799_000_000, b in 0i64..253_402_300_799_000_000) {
            let ta = Timestamp::from_datetime(DateTime::from_timestamp_micros(a).unwrap());
            let tb = Timestamp::from_datetime(DateTime::from_timestamp_micros(b).unwrap());
            proptest::prop_assert_eq!(ta.cmp(&tb), ta.to_sql_text().cmp(&tb.to_sql_text()));
        }
    }
}
