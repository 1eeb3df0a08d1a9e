//! De-identified views for researchers: no names or identifiers, no free text, and every date
//! moved by the patient's shift (see `oncourse_store::Store::research_date_shift_days`), so
//! intervals within a patient are exact while calendar dates identify no one.

use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, Utc};
use serde_json::Value;

/// Object keys whose values are free text (which may name people) and are removed.
pub const FREE_TEXT_KEYS: [&str; 3] = ["note", "notes", "reason"];

/// Moves a date (`YYYY-MM-DD`) or an RFC 3339 time by `days`; other text is returned unchanged.
pub fn shift_date_text(text: &str, days: i64) -> Option<String> {
    if text.len() == 10
        && let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d")
    {
        return Some((date + Duration::days(days)).format("%Y-%m-%d").to_string());
    }
    if text.len() >= 20
        && let Ok(time) = DateTime::parse_from_rfc3339(text)
    {
        let shifted = time.with_timezone(&Utc) + Duration::days(days);
        return Some(shifted.to_rfc3339_opts(SecondsFormat::Micros, true));
    }
    None
}

/// De-identifies a JSON value in place: dates shifted, free-text keys removed.
pub fn deidentify_json(value: &mut Value, days: i64) {
    match value {
        Value::String(text) => {
            if let Some(shifted) = shift_date_text(text, days) {
                *text = shifted;
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| deidentify_json(item, days)),
        Value::Object(map) => {
            map.retain(|key, _| !FREE_TEXT_KEYS.contains(&key.as_str()));
            map.values_mut()
                .for_each(|item| deidentify_json(item, days));
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// What a researcher reads in place of free text the engine needs to be present (a drug hold's
/// `reason`), where the API's JSON drops the key.
pub const WITHHELD: &str = "[withheld]";

/// De-identifies a stored fact before the engine reads it: dates shifted as in
/// [`deidentify_json`], free-text values replaced by [`WITHHELD`] (the model requires some of
/// them, so they cannot be removed) and notes dropped.
pub fn deidentify_fact_json(value: &mut Value, days: i64) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if FREE_TEXT_KEYS.contains(&key.as_str()) && item.is_string() {
                    *item = Value::String(WITHHELD.to_owned());
                } else {
                    deidentify_fact_json(item, days);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| deidentify_fact_json(item, days)),
        other => deidentify_json(other, days),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_move_and_free_text_goes() {
        let mut fact = serde_json::json!({
            "date": "2022-05-09",
            "note": "seen by Dr Rossi",
            "body": {"kind": "adverse_event", "onset": "2022-06-01", "resolved": "2022-07-01T10:00:00Z",
                     "term": "Skin ulceration", "grade": 3}
        });
        deidentify_json(&mut fact, -100);
        assert_eq!(
            fact,
            serde_json::json!({
                "date": "2022-01-29",
                "body": {"kind": "adverse_event", "onset": "2022-02-21",
                         "resolved": "2022-03-23T10:00:00.000000Z", "term": "Skin ulceration", "grade": 3}
            })
        );
    }

    #[test]
    fn facts_for_the_engine_keep_their_free_text_fields_withheld() {
        let mut fact = serde_json::json!({
            "date": "2022-05-09", "note": "seen by Dr Rossi",
            "body": {"kind": "drug_hold", "reason": "asked by Mrs Bianchi", "start": "2022-06-01"}
        });
        deidentify_fact_json(&mut fact, -10);
        assert_eq!(
            fact,
            serde_json::json!({
                "date": "2022-04-29", "note": "[withheld]",
                "body": {"kind": "drug_hold", "reason": "[withheld]", "start": "2022-05-22"}
            })
        );
    }

    #[test]
    fn non_dates_are_left_alone() {
        for text in ["12.1 g/dL", "2022-5-9", "H81.0", "2022-05-09-A", ""] {
            assert_eq!(shift_date_text(text, -7), None, "{text}");
        }
    }

    proptest::proptest! {
        /// The interval between two dates of one patient is kept exactly.
        #[test]
        fn intervals_are_kept(a in 0i64..40_000, b in 0i64..40_000, shift in -365i64..=-1) {
            let base = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap();
            let (da, db) = (base + Duration::days(a), base + Duration::days(b));
            let sa = shift_date_text(&da.to_string(), shift).unwrap();
            let sb = shift_date_text(&db.to_string(), shift).unwrap();
            let parse = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").unwrap();
            proptest::prop_assert_eq!(parse(&sb) - parse(&sa), db - da);
            proptest::prop_assert_eq!(parse(&sa) - da, Duration::days(shift));
        }
    }
}
