//! Lab feeds: results from a FHIR Bundle of Observations or a CSV export, merged into a record
//! idempotently (re-sending the same feed adds nothing).
//!
//! # CSV format
//!
//! A header row, then one result per row. Columns (any order; unknown columns are an error so
//! that a misspelt header is not silently ignored):
//!
//! | column | required | content |
//! |---|---|---|
//! | `patient_id` | no | the patient the row belongs to; rows of another patient are skipped |
//! | `loinc` | one of `loinc`, `name` | LOINC code, e.g. `777-3` |
//! | `name` | one of `loinc`, `name` | the analyte as named by the laboratory |
//! | `value` | yes | a number |
//! | `unit` | yes | a UCUM unit code, e.g. `10*9/L` (a value without a unit is an error) |
//! | `datetime` | yes | `2022-08-29` or `2022-08-29T07:40:00+08:00` (the calendar day is kept) |
//! | `reference_range` | no | `125-350`, `<41` or `>3.5`, in the unit of the value |
//!
//! # Idempotency
//!
//! A result is already in the record when an observation fact of the same day has the same
//! analyte (LOINC code when both have one, else the same name) and the same value and unit.
//! New facts get ids derived from the analyte and the day (`lab-777-3-2022-08-29`), with a
//! suffix only when that id is taken, so a feed merged twice gives the same record as once.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use oncourse_model::observation::Observation;
use oncourse_model::{Fact, FactBody, FactId, Quantity, Record};
use serde_json::Value;

use crate::error::{ImportError, ImportErrors, Warning};

/// One laboratory result of a feed.
#[derive(Clone, Debug, PartialEq)]
pub struct LabResult {
    /// The calendar day of the measurement.
    pub date: NaiveDate,
    /// The result as an observation.
    pub observation: Observation,
}

/// A feed read from a file: its results and what was skipped.
#[derive(Clone, Debug, PartialEq)]
pub struct Feed {
    /// Results for the selected patient, in file order.
    pub results: Vec<LabResult>,
    /// Rows or resources skipped, with why.
    pub warnings: Vec<Warning>,
}

/// The outcome of a merge.
#[derive(Clone, Debug, PartialEq)]
pub struct Merged {
    /// The new facts, in feed order (empty when the feed was already merged).
    pub added: Vec<Fact>,
    /// How many results of the feed were already in the record.
    pub already_present: usize,
}

const COLUMNS: [&str; 7] = [
    "patient_id",
    "loinc",
    "name",
    "value",
    "unit",
    "datetime",
    "reference_range",
];

/// Reads a CSV lab export. `file` names the feed in error locations (`file:line: column:
/// message`); rows of a patient other than `patient` are skipped with a warning.
pub fn read_csv(file: &str, text: &str, patient: Option<&str>) -> Result<Feed, ImportErrors> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut errors = Vec::new();
    let located = |line: u64, column: &str, message: String| ImportError::Element {
        location: format!("{file}:{line}: {column}"),
        message,
    };
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(e) => return Err(ImportErrors(vec![located(1, "(header)", e.to_string())])),
    };
    for name in &headers {
        if !COLUMNS.contains(&name) {
            errors.push(located(
                1,
                "(header)",
                format!(
                    "expected one of the columns {}, got {name:?}",
                    COLUMNS.join(", ")
                ),
            ));
        }
    }
    for required in ["value", "unit", "datetime"] {
        if !headers.iter().any(|h| h == required) {
            errors.push(located(
                1,
                "(header)",
                format!("missing required column {required:?}"),
            ));
        }
    }
    if !headers.iter().any(|h| h == "loinc" || h == "name") {
        errors.push(located(
            1,
            "(header)",
            "missing column, expected \"loinc\" or \"name\"".into(),
        ));
    }
    if !errors.is_empty() {
        return Err(ImportErrors(errors));
    }
    let column = |name: &str| headers.iter().position(|h| h == name);
    let mut feed = Feed {
        results: Vec::new(),
        warnings: Vec::new(),
    };
    for row in reader.records() {
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                errors.push(located(line, "(row)", e.to_string()));
                continue;
            }
        };
        let line = row.position().map_or(0, csv::Position::line);
        let cell = |name: &str| {
            column(name)
                .and_then(|i| row.get(i))
                .filter(|s| !s.is_empty())
        };
        if let (Some(wanted), Some(found)) = (patient, cell("patient_id"))
            && wanted != found
        {
            feed.warnings.push(Warning {
                location: format!("{file}:{line}"),
                message: format!("a result of patient {found:?}, not {wanted:?}; skipped"),
            });
            continue;
        }
        let before = errors.len();
        let loinc = cell("loinc").map(str::to_string);
        if let Some(code) = &loinc
            && !is_loinc(code)
        {
            errors.push(located(
                line,
                "loinc",
                format!("expected a LOINC code such as \"777-3\", got {code:?}"),
            ));
        }
        let name = match (cell("name"), &loinc) {
            (Some(name), _) => name.to_string(),
            (None, Some(code)) => format!("LOINC {code}"),
            (None, None) => {
                errors.push(located(
                    line,
                    "name",
                    "expected a LOINC code or a name, got neither".into(),
                ));
                String::new()
            }
        };
        let unit = cell("unit");
        let value = match (cell("value").map(str::parse::<f64>), unit) {
            (None, _) => {
                errors.push(located(
                    line,
                    "value",
                    "missing value, expected a number".into(),
                ));
                None
            }
            (Some(Err(_)), _) => {
                errors.push(located(
                    line,
                    "value",
                    format!(
                        "expected a number, got {:?}",
                        cell("value").unwrap_or_default()
                    ),
                ));
                None
            }
            (Some(Ok(v)), None) => {
                errors.push(located(
                    line,
                    "unit",
                    format!("expected a UCUM unit for the value {v}, got none"),
                ));
                None
            }
            (Some(Ok(v)), Some(unit)) => match Quantity::new(v, unit) {
                Ok(q) => Some(q),
                Err(e) => {
                    errors.push(located(line, "unit", e.to_string()));
                    None
                }
            },
        };
        let date = match cell("datetime") {
            None => {
                errors.push(located(
                    line,
                    "datetime",
                    "missing date, expected e.g. 2022-08-29".into(),
                ));
                None
            }
            Some(text) => match text
                .get(..10)
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            {
                Some(date) => Some(date),
                None => {
                    errors.push(located(
                        line,
                        "datetime",
                        format!("expected a date such as 2022-08-29 or 2022-08-29T07:40:00+08:00, got {text:?}"),
                    ));
                    None
                }
            },
        };
        let (reference_low, reference_high) = match (cell("reference_range"), unit) {
            (None, _) | (_, None) => (None, None),
            (Some(range), Some(unit)) => match parse_range(range, unit) {
                Ok(bounds) => bounds,
                Err(message) => {
                    errors.push(located(line, "reference_range", message));
                    (None, None)
                }
            },
        };
        if errors.len() > before {
            continue;
        }
        if let (Some(value), Some(date)) = (value, date) {
            feed.results.push(LabResult {
                date,
                observation: Observation {
                    name,
                    loinc,
                    value: value.into(),
                    reference_low,
                    reference_high,
                },
            });
        }
    }
    if errors.is_empty() {
        Ok(feed)
    } else {
        Err(ImportErrors(errors))
    }
}

/// `125-350`, `<41`, `>3.5`, `<=41`, `>=3.5` in `unit`.
fn parse_range(range: &str, unit: &str) -> Result<(Option<Quantity>, Option<Quantity>), String> {
    let bound = |text: &str| {
        text.trim()
            .parse::<f64>()
            .ok()
            .and_then(|v| Quantity::new(v, unit).ok())
    };
    let expected =
        || format!("expected a range such as \"125-350\", \"<41\" or \">3.5\", got {range:?}");
    if let Some(high) = range.strip_prefix("<=").or_else(|| range.strip_prefix('<')) {
        return Ok((None, Some(bound(high).ok_or_else(expected)?)));
    }
    if let Some(low) = range.strip_prefix(">=").or_else(|| range.strip_prefix('>')) {
        return Ok((Some(bound(low).ok_or_else(expected)?), None));
    }
    // The separator is the first '-' after the first character (a low bound may be negative).
    let split = range
        .char_indices()
        .skip(1)
        .find(|(_, c)| *c == '-')
        .map(|(i, _)| i)
        .ok_or_else(expected)?;
    let (low, high) = (bound(&range[..split]), bound(&range[split + 1..]));
    match (low, high) {
        (Some(low), Some(high)) => Ok((Some(low), Some(high))),
        _ => Err(expected()),
    }
}

/// LOINC code syntax: digits, a hyphen, one check digit (e.g. `777-3`, `26464-8`).
fn is_loinc(code: &str) -> bool {
    code.split_once('-').is_some_and(|(body, check)| {
        !body.is_empty()
            && body.len() <= 7
            && body.bytes().all(|b| b.is_ascii_digit())
            && check.len() == 1
            && check.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Reads a FHIR Bundle (or one Observation) of lab results; entries whose subject is another
/// patient than `patient` are skipped with a warning. Observations are read as by
/// [`crate::import_json`]: a value without a UCUM unit is an error naming the element.
pub fn read_fhir(text: &str, patient: Option<&str>) -> Result<Feed, ImportErrors> {
    let mut value = crate::import::parse_json(text)?;
    let mut warnings = Vec::new();
    if let (Some(wanted), Some(Value::Array(entries))) = (patient, value.get_mut("entry")) {
        entries.retain(|entry| {
            let resource = &entry["resource"];
            let subject = resource["subject"]["reference"].as_str();
            match subject.and_then(|s| s.rsplit('/').next()) {
                Some(id) if id != wanted => {
                    warnings.push(Warning {
                        location: format!(
                            "{}/{}",
                            resource["resourceType"].as_str().unwrap_or("?"),
                            resource["id"].as_str().unwrap_or("?")
                        ),
                        message: format!("a result of patient {id:?}, not {wanted:?}; skipped"),
                    });
                    false
                }
                _ => true,
            }
        });
    }
    let imported = crate::import_value(value)?;
    warnings.extend(imported.warnings);
    let mut results = Vec::new();
    for fact in imported.record.facts() {
        match &fact.body {
            FactBody::Observation(observation) => results.push(LabResult {
                date: fact.date,
                observation: observation.clone(),
            }),
            other => warnings.push(Warning {
                location: fact.id.0.clone(),
                message: format!("a {} is not a lab result; skipped", other.kind_name()),
            }),
        }
    }
    Ok(Feed { results, warnings })
}

fn same_result(a: &Observation, b: &Observation) -> bool {
    let same_analyte = match (&a.loinc, &b.loinc) {
        (Some(x), Some(y)) => x == y,
        _ => a.name == b.name,
    };
    same_analyte && a.value == b.value
}

/// Merges a feed into a record: the results not yet present become new observation facts.
pub fn merge(record: &Record, feed: &Feed) -> Merged {
    let mut used: BTreeSet<String> = record.facts().iter().map(|f| f.id.0.clone()).collect();
    let mut present: Vec<(NaiveDate, Observation)> = record
        .facts()
        .iter()
        .filter_map(|f| match &f.body {
            FactBody::Observation(o) => Some((f.date, o.clone())),
            _ => None,
        })
        .collect();
    let mut merged = Merged {
        added: Vec::new(),
        already_present: 0,
    };
    for result in &feed.results {
        if present
            .iter()
            .any(|(date, o)| *date == result.date && same_result(o, &result.observation))
        {
            merged.already_present += 1;
            continue;
        }
        let analyte = result
            .observation
            .loinc
            .clone()
            .unwrap_or_else(|| slug(&result.observation.name));
        let base = format!("lab-{analyte}-{}", result.date);
        let mut id = base.clone();
        let mut n = 2;
        while !used.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        present.push((result.date, result.observation.clone()));
        merged.added.push(Fact {
            id: FactId(id),
            date: result.date,
            supersedes: None,
            illustrative: false,
            note: None,
            body: FactBody::Observation(result.observation.clone()),
        });
    }
    merged
}

/// Lower-case letters and digits, other runs as one '-'.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_ranges() {
        let q = |v: f64| Some(Quantity::new(v, "g/L").unwrap());
        assert_eq!(parse_range("115-150", "g/L"), Ok((q(115.0), q(150.0))));
        assert_eq!(parse_range("<41", "g/L"), Ok((None, q(41.0))));
        assert_eq!(parse_range(">=3.5", "g/L"), Ok((q(3.5), None)));
        assert_eq!(parse_range("-2-2", "g/L"), Ok((q(-2.0), q(2.0))));
        assert!(parse_range("normal", "g/L").is_err());
    }

    #[test]
    fn loinc_syntax() {
        assert!(is_loinc("777-3"));
        assert!(is_loinc("26464-8"));
        assert!(!is_loinc("777"));
        assert!(!is_loinc("PLT-1x"));
    }
}
