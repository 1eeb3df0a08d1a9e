//! A small typed reader over the spanned TOML tree.
//!
//! Serde derive stops at the first error; the case-file contract is to report every error of a
//! file at once, each with its position and field path. So the file is parsed to
//! `toml::de::DeTable` (every value keeps its byte span) and read by hand here: each getter
//! returns `None` after recording an error, and reading carries on.

use std::ops::Range;

use chrono::NaiveDate;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostics::Diagnostics;
use crate::observation::ObservationValue;
use crate::quantity::{Dimension, Quantity, QuantityError};

/// A value with its field path.
#[derive(Clone, Copy)]
pub(crate) struct Node<'a, 'i> {
    pub(crate) path: &'a str,
    pub(crate) value: &'a Spanned<DeValue<'i>>,
}

/// Shows a value the way it was written, for "got ..." in messages.
pub(crate) fn describe(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(s) => format!("{s:?}"),
        DeValue::Integer(i) => i.as_str().to_string(),
        DeValue::Float(f) => f.as_str().to_string(),
        DeValue::Boolean(b) => b.to_string(),
        DeValue::Datetime(d) => d.to_string(),
        DeValue::Array(_) => "an array".to_string(),
        DeValue::Table(_) => "a table".to_string(),
    }
}

/// An example value of a dimension, for messages.
fn example(dimension: Option<Dimension>) -> &'static str {
    match dimension {
        Some(Dimension::Length) => "\"8 cm\"",
        Some(Dimension::AbsorbedDose) => "\"4 Gy\"",
        Some(Dimension::Mass) => "\"12 mg\"",
        Some(Dimension::Time) => "\"60 a\"",
        Some(Dimension::Volume) => "\"120 mL\"",
        Some(Dimension::Radiodensity) => "\"40 [hnsf'U]\"",
        None => "\"48 10*9/L\"",
    }
}

impl<'a, 'i> Node<'a, 'i> {
    pub(crate) fn span(&self) -> Range<usize> {
        self.value.span()
    }

    fn wrong(&self, d: &mut Diagnostics<'_>, expected: &str) {
        d.error(
            self.span(),
            self.path,
            format!(
                "expected {expected}, got {}",
                describe(self.value.get_ref())
            ),
        );
    }

    pub(crate) fn string(&self, d: &mut Diagnostics<'_>) -> Option<String> {
        match self.value.get_ref() {
            DeValue::String(s) if !s.trim().is_empty() => Some(s.to_string()),
            _ => {
                self.wrong(d, "a non-empty string");
                None
            }
        }
    }

    pub(crate) fn boolean(&self, d: &mut Diagnostics<'_>) -> Option<bool> {
        match self.value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong(d, "true or false");
                None
            }
        }
    }

    pub(crate) fn date(&self, d: &mut Diagnostics<'_>) -> Option<NaiveDate> {
        if let DeValue::Datetime(dt) = self.value.get_ref()
            && let (Some(date), None, None) = (dt.date, dt.time, dt.offset)
            && let Some(date) =
                NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())
        {
            return Some(date);
        }
        self.wrong(d, "a date such as 2022-05-09");
        None
    }

    /// An integer in `min..=max`.
    pub(crate) fn integer(&self, d: &mut Diagnostics<'_>, min: u32, max: u32) -> Option<u32> {
        if let DeValue::Integer(i) = self.value.get_ref()
            && let Ok(v) = i64::from_str_radix(i.as_str(), i.radix())
            && (i64::from(min)..=i64::from(max)).contains(&v)
        {
            return u32::try_from(v).ok();
        }
        if max == u32::MAX {
            self.wrong(d, &format!("an integer of at least {min}"));
        } else {
            self.wrong(d, &format!("an integer from {min} to {max}"));
        }
        None
    }

    /// A plain number (integer or float) in `min..=max`, for unitless values such as percents.
    pub(crate) fn number(&self, d: &mut Diagnostics<'_>, min: f64, max: f64) -> Option<f64> {
        let value = match self.value.get_ref() {
            DeValue::Integer(i) => i.as_str().parse::<f64>().ok(),
            DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
            _ => None,
        };
        match value {
            Some(v) if (min..=max).contains(&v) => Some(v),
            _ => {
                self.wrong(d, &format!("a number from {min} to {max}"));
                None
            }
        }
    }

    /// One of the listed words.
    pub(crate) fn choice<T: Copy>(
        &self,
        d: &mut Diagnostics<'_>,
        options: &[(&str, T)],
    ) -> Option<T> {
        if let DeValue::String(s) = self.value.get_ref()
            && let Some((_, value)) = options.iter().find(|(name, _)| *name == s.as_ref())
        {
            return Some(*value);
        }
        let names: Vec<String> = options.iter().map(|(n, _)| format!("{n:?}")).collect();
        self.wrong(d, &format!("one of {}", names.join(", ")));
        None
    }

    /// A quantity written `"12 mg"` or `{ value = 12, unit = "mg" }`; with a dimension, the
    /// unit must be one of that dimension's known units.
    pub(crate) fn quantity(
        &self,
        d: &mut Diagnostics<'_>,
        dimension: Option<Dimension>,
    ) -> Option<Quantity> {
        let parsed = match self.value.get_ref() {
            DeValue::String(s) => Quantity::parse(s),
            DeValue::Table(t) => {
                let value = t.get("value").map(|v| describe(v.get_ref()));
                let unit = t.get("unit").and_then(|v| v.get_ref().as_str());
                match (value, unit) {
                    (Some(value), Some(unit)) => Quantity::parse(&format!("{value} {unit}")),
                    (Some(value), None) => Err(QuantityError::MissingUnit(value)),
                    _ => Err(QuantityError::NotANumber("a table".into())),
                }
            }
            DeValue::Integer(_) | DeValue::Float(_) => {
                Err(QuantityError::MissingUnit(describe(self.value.get_ref())))
            }
            other => Err(QuantityError::NotANumber(describe(other))),
        };
        let checked = parsed.and_then(|q| match dimension {
            Some(dimension) => q.expect_dimension(dimension),
            None => Ok(q),
        });
        match checked {
            Ok(q) => Some(q),
            Err(QuantityError::WrongDimension { .. } | QuantityError::BadUnit(_))
                if dimension.is_some() =>
            {
                let dimension = dimension.expect("guarded");
                let unit = match self.value.get_ref() {
                    DeValue::String(s) => {
                        s.trim().split_once(' ').map(|(_, u)| u.trim().to_string())
                    }
                    _ => None,
                }
                .unwrap_or_default();
                d.error(
                    self.span(),
                    self.path,
                    format!(
                        "expected a unit of {} ({}), got {unit:?}",
                        dimension.name(),
                        crate::quantity::units_of(dimension).join(", ")
                    ),
                );
                None
            }
            Err(QuantityError::BadUnit(unit)) => {
                self.bad_unit(d, &unit);
                None
            }
            Err(_) => {
                let kind = dimension.map_or("value", Dimension::name);
                self.wrong(
                    d,
                    &format!("a {kind} with a unit such as {}", example(dimension)),
                );
                None
            }
        }
    }

    fn bad_unit(&self, d: &mut Diagnostics<'_>, unit: &str) {
        d.error(
            self.span(),
            self.path,
            format!("expected a UCUM unit, got {unit:?}"),
        );
    }

    /// An observation's value: a quantity, a blood pressure or a dipstick reading
    /// ([`ObservationValue::parse`]); `expected` describes the three forms.
    pub(crate) fn observation_value(
        &self,
        d: &mut Diagnostics<'_>,
        expected: &str,
    ) -> Option<ObservationValue> {
        let DeValue::String(text) = self.value.get_ref() else {
            return self.quantity(d, None).map(ObservationValue::Quantity);
        };
        match ObservationValue::parse(text) {
            Ok(value) => Some(value),
            Err(QuantityError::BadUnit(unit)) => {
                self.bad_unit(d, &unit);
                None
            }
            Err(_) => {
                self.wrong(d, expected);
                None
            }
        }
    }

    /// The elements of an array, with their paths.
    pub(crate) fn array(
        &self,
        d: &mut Diagnostics<'_>,
    ) -> Option<Vec<(String, &'a Spanned<DeValue<'i>>)>> {
        array_items(d, self.path, self.value)
    }
}

/// The elements of an array value, with their paths, or an error if it is not an array.
pub(crate) fn array_items<'a, 'i>(
    d: &mut Diagnostics<'_>,
    path: &str,
    value: &'a Spanned<DeValue<'i>>,
) -> Option<Vec<(String, &'a Spanned<DeValue<'i>>)>> {
    match value.get_ref() {
        DeValue::Array(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| (format!("{path}[{i}]"), item))
                .collect(),
        ),
        other => {
            d.error(
                value.span(),
                path,
                format!("expected an array, got {}", describe(other)),
            );
            None
        }
    }
}

/// A table being read; remembers which keys were used so unknown keys can be reported.
pub(crate) struct Table<'a, 'i> {
    path: String,
    span: Range<usize>,
    table: &'a DeTable<'i>,
    used: Vec<&'static str>,
}

impl<'a, 'i> Table<'a, 'i> {
    /// Opens `value` as a table, or records an error.
    pub(crate) fn open(
        d: &mut Diagnostics<'_>,
        path: String,
        value: &'a Spanned<DeValue<'i>>,
    ) -> Option<Self> {
        match value.get_ref() {
            DeValue::Table(table) => Some(Table {
                path,
                span: value.span(),
                table,
                used: Vec::new(),
            }),
            other => {
                d.error(
                    value.span(),
                    &path,
                    format!("expected a table, got {}", describe(other)),
                );
                None
            }
        }
    }

    /// Opens the document root.
    pub(crate) fn root(value: &'a Spanned<DeTable<'i>>) -> Self {
        Table {
            path: String::new(),
            span: value.span(),
            table: value.get_ref(),
            used: Vec::new(),
        }
    }

    pub(crate) fn path(&self) -> &str {
        &self.path
    }

    /// Where a missing field is reported: the start of the table.
    pub(crate) fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// The path of a child field.
    pub(crate) fn child_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The raw value of a key, marking it as used.
    pub(crate) fn raw(&mut self, key: &'static str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.used.push(key);
        self.table.get(key)
    }

    /// Reads an optional field with `read`.
    pub(crate) fn optional<T>(
        &mut self,
        d: &mut Diagnostics<'_>,
        key: &'static str,
        read: impl FnOnce(Node<'_, 'i>, &mut Diagnostics<'_>) -> Option<T>,
    ) -> Option<T> {
        let value = self.raw(key)?;
        let path = self.child_path(key);
        read(Node { path: &path, value }, d)
    }

    /// Reads a required field with `read`; a missing field is an error naming `expected`.
    pub(crate) fn required<T>(
        &mut self,
        d: &mut Diagnostics<'_>,
        key: &'static str,
        expected: &str,
        read: impl FnOnce(Node<'_, 'i>, &mut Diagnostics<'_>) -> Option<T>,
    ) -> Option<T> {
        let path = self.child_path(key);
        match self.raw(key) {
            Some(value) => read(Node { path: &path, value }, d),
            None => {
                d.error(
                    self.span.clone(),
                    &path,
                    format!("missing required field, expected {expected}"),
                );
                None
            }
        }
    }

    /// Reports every key that was not read, listing the keys this table accepts.
    pub(crate) fn finish(self, d: &mut Diagnostics<'_>) {
        for key in self.table.keys() {
            if !self.used.contains(&key.get_ref().as_ref()) {
                let mut known = self.used.clone();
                known.sort_unstable();
                known.dedup();
                d.error(
                    key.span(),
                    &self.child_path(key.get_ref()),
                    format!(
                        "unknown field {:?}, expected one of: {}",
                        key.get_ref().as_ref(),
                        known.join(", ")
                    ),
                );
            }
        }
    }
}
