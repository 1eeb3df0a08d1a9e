//! Checks every measured value of an incoming fact with the model's own rules.
//!
//! The model's `Quantity` deserialises its two fields as they come, so a JSON quantity with an
//! empty or malformed unit would pass serde; here each `{"value", "unit"}` object is rebuilt with
//! `Quantity::new`, which refuses a value without a unit, and the error names its path; a blood
//! pressure `{"systolic", "diastolic", "unit"}` likewise with `BloodPressure::new`.

use oncourse_model::Quantity;
use oncourse_model::observation::BloodPressure;
use serde_json::Value;

use crate::ApiError;

/// Checks every quantity inside `value`, reporting paths under `path` (e.g. `[2].body`).
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
                    let field = format!("{path}.unit");
                    ApiError::bad_field(&field, format!("{field}: {error}"))
                });
            }
            for (key, item) in map {
                check_quantities(item, &format!("{path}.{key}"))?;
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
