//! Typed, error-naming access to DICOM attributes: every getter says which file and which
//! attribute (keyword and tag) was missing or malformed, instead of a bare parser error.
//!
//! Kept private: the rest of the crate reads RT objects only through these helpers.

use std::borrow::Cow;

use dicom_core::{PrimitiveValue, Tag};
use dicom_dictionary_std::StandardDataDictionary;
use dicom_object::InMemDicomObject;

use crate::error::{DoseError, Result};

/// A parsed DICOM data set together with the name of the file it came from.
pub(crate) struct Attributes<'a> {
    pub(crate) source_name: &'a str,
    pub(crate) object: &'a InMemDicomObject<StandardDataDictionary>,
    /// Where this data set sits inside its file, e.g. `ROIContourSequence[3] > ContourSequence[0]`.
    pub(crate) path: String,
}

/// The keyword and `(gggg,eeee)` tag of an attribute, for messages.
fn describe(keyword: &str, tag: Tag) -> String {
    format!("{keyword} ({:04X},{:04X})", tag.group(), tag.element())
}

impl<'a> Attributes<'a> {
    /// Wraps a top-level data set.
    pub(crate) fn root(
        source_name: &'a str,
        object: &'a InMemDicomObject<StandardDataDictionary>,
    ) -> Self {
        Attributes {
            source_name,
            object,
            path: String::new(),
        }
    }

    fn attribute_name(&self, keyword: &str, tag: Tag) -> String {
        if self.path.is_empty() {
            describe(keyword, tag)
        } else {
            format!("{} > {}", self.path, describe(keyword, tag))
        }
    }

    pub(crate) fn missing(&self, keyword: &str, tag: Tag, expected: &str) -> DoseError {
        DoseError::MissingAttribute {
            source_name: self.source_name.to_owned(),
            attribute: self.attribute_name(keyword, tag),
            expected: expected.to_owned(),
        }
    }

    pub(crate) fn invalid(
        &self,
        keyword: &str,
        tag: Tag,
        expected: &str,
        got: impl std::fmt::Display,
    ) -> DoseError {
        DoseError::InvalidValue {
            source_name: self.source_name.to_owned(),
            attribute: self.attribute_name(keyword, tag),
            expected: expected.to_owned(),
            got: got.to_string(),
        }
    }

    fn element(
        &self,
        tag: Tag,
    ) -> Option<&'a dicom_object::mem::InMemElement<StandardDataDictionary>> {
        self.object.element_opt(tag).ok().flatten()
    }

    /// A string attribute, trimmed; `None` when absent or empty.
    pub(crate) fn opt_string(&self, keyword: &str, tag: Tag) -> Result<Option<String>> {
        let Some(element) = self.element(tag) else {
            return Ok(None);
        };
        let text = element
            .to_str()
            .map_err(|error| self.invalid(keyword, tag, "text", error))?;
        let text = text.trim_matches(|c: char| c.is_whitespace() || c == '\0');
        Ok((!text.is_empty()).then(|| text.to_owned()))
    }

    /// A required, non-empty string attribute.
    pub(crate) fn string(&self, keyword: &str, tag: Tag, expected: &str) -> Result<String> {
        self.opt_string(keyword, tag)?
            .ok_or_else(|| self.missing(keyword, tag, expected))
    }

    /// All numbers of a decimal-string (or binary numeric) attribute; `None` when absent or
    /// empty. Decimal strings are parsed when the file is read, so these are borrowed.
    pub(crate) fn opt_numbers(&self, keyword: &str, tag: Tag) -> Result<Option<Cow<'a, [f64]>>> {
        let Some(element) = self.element(tag) else {
            return Ok(None);
        };
        let numbers = match element.value().primitive() {
            Some(PrimitiveValue::F64(numbers)) => Cow::Borrowed(numbers.as_slice()),
            Some(value) if value.to_bytes().is_empty() => return Ok(None),
            _ => Cow::Owned(element.to_multi_float64().map_err(|_| {
                let raw = element
                    .to_str()
                    .map(|text| text.chars().take(60).collect::<String>())
                    .unwrap_or_default();
                self.invalid(keyword, tag, "decimal numbers", format!("{raw:?}"))
            })?),
        };
        // Checked without an early exit first, which vectorises: ContourData is long.
        let all_finite = numbers
            .iter()
            .fold(true, |all, value| all & value.is_finite());
        if !all_finite && let Some(bad) = numbers.iter().find(|value| !value.is_finite()) {
            return Err(self.invalid(keyword, tag, "finite numbers", bad));
        }
        Ok(Some(numbers))
    }

    /// Exactly `count` numbers (or at least one when `count` is `None`).
    pub(crate) fn numbers(
        &self,
        keyword: &str,
        tag: Tag,
        count: Option<usize>,
        expected: &str,
    ) -> Result<Cow<'a, [f64]>> {
        let numbers = self
            .opt_numbers(keyword, tag)?
            .ok_or_else(|| self.missing(keyword, tag, expected))?;
        match count {
            Some(count) if numbers.len() != count => Err(self.invalid(
                keyword,
                tag,
                expected,
                format!("{} value(s) {numbers:?}", numbers.len()),
            )),
            _ => Ok(numbers),
        }
    }

    /// One required number.
    pub(crate) fn number(&self, keyword: &str, tag: Tag, expected: &str) -> Result<f64> {
        Ok(self.numbers(keyword, tag, Some(1), expected)?[0])
    }

    /// One optional number.
    pub(crate) fn opt_number(
        &self,
        keyword: &str,
        tag: Tag,
        expected: &str,
    ) -> Result<Option<f64>> {
        match self.opt_numbers(keyword, tag)? {
            None => Ok(None),
            Some(numbers) if numbers.len() == 1 => Ok(Some(numbers[0])),
            Some(numbers) => Err(self.invalid(keyword, tag, expected, format!("{numbers:?}"))),
        }
    }

    /// A required non-negative integer that fits `u32`.
    pub(crate) fn unsigned(&self, keyword: &str, tag: Tag, expected: &str) -> Result<u32> {
        let value = self.number(keyword, tag, expected)?;
        if value < 0.0 || value.fract() != 0.0 || value > f64::from(u32::MAX) {
            return Err(self.invalid(keyword, tag, expected, value));
        }
        // Exact: checked integral and in range just above.
        Ok(value as u32)
    }

    /// The items of a sequence attribute, each wrapped with its position; empty when absent.
    pub(crate) fn items(&self, keyword: &str, tag: Tag) -> Vec<Attributes<'a>> {
        let Some(items) = self.element(tag).and_then(|element| element.items()) else {
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .map(|(index, object)| Attributes {
                source_name: self.source_name,
                object,
                path: if self.path.is_empty() {
                    format!("{keyword}[{index}]")
                } else {
                    format!("{} > {keyword}[{index}]", self.path)
                },
            })
            .collect()
    }
}
