//! Checks every measured value of an incoming JSON document with the model's own rules, to
//! name the path of a bad one.
//!
//! The model's `Quantity` and `BloodPressure` refuse a value without a unit as serde reads them,
//! but inside a fact body (an internally tagged enum, which serde buffers) the error's path stops
//! at `body`. Here each `{"value", "unit"}` object is rebuilt with `Quantity::new` and each
//! `{"systolic", "diastolic", "unit"}` with `BloodPressure::new`, and the error names its full
//! path (`[2].body.value.unit`).

use oncourse_model::Quantity;
use oncourse_model::observation::BloodPressure;
use serde_json::Value;

use crate::ApiError;

/// Checks every quantity inside `value`, reporting paths under `path` (e.g. `[2].body`; empty for
/// the document itself).
pub fn check_quantities(value: &Value, path: &str) -> Result<(), ApiError> {
    match value {
        Value::Object(map) => {
            let number = |n: &Value| n.as_f64().unwrap_or(f64::NAN);
            let unit = map.get("unit").map(|u| u.as_str().unwrap_or_default());
            let checked =
                match (map.len(), unit) {
                    (2, Some(unit)) => map
                        .get("value")
                        .map(|value| Quantity::new(number(value), unit).map(|_| ())),
                    (3, Some(unit)) => map.get("systolic").zip(map.get("diastolic")).map(
                        |(systolic, diastolic)| {
                            BloodPressure::new(number(systolic), number(diastolic), unit)
                                .map(|_| ())
                        },
                    ),
                    _ => None,
                };
            if let Some(checked) = checked {
                return checked.map_err(|error| {
                    let field = child(path, "unit");
                    ApiError::bad_field(&field, format!("{field}: {error}"))
                });
            }
            for (key, item) in map {
                check_quantities(item, &child(path, key))?;
            }
            Ok(())
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                check_quantities(item, &format!("{path}[{index}]"))?;
            }
            Ok(())
        }
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => Ok(()),
    }
}

/// The path of a field of the object at `path`.
fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}
