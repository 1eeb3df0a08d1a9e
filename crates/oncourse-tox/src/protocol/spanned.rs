//! A reader over TOML's spanned tree (`toml::de::DeTable`) that collects every problem of a
//! file, each with its line, column and dotted field path, instead of stopping at the first as
//! serde would. Typed getters report a wrong type or a missing required field and return `None`;
//! tables report their unknown fields when opened.

use std::ops::Range;

use thiserror::Error;
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

/// One problem in a protocol file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolProblem {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// Dotted path of the field (`rule[2].resume_at`).
    pub path: String,
    /// What is wrong, with the value and what was expected.
    pub message: String,
}

/// All problems of a protocol file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}", self.render())]
pub struct ProtocolErrors {
    /// The file name used in messages.
    pub file: String,
    /// The problems, in file order.
    pub problems: Vec<ProtocolProblem>,
}

impl ProtocolErrors {
    pub(super) fn render(&self) -> String {
        self.problems
            .iter()
            .map(|problem| {
                format!(
                    "{}:{}:{}: {}: {}",
                    self.file, problem.line, problem.column, problem.path, problem.message
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Collects the problems of one file.
pub(super) struct Reader<'t> {
    pub(super) text: &'t str,
    pub(super) problems: Vec<ProtocolProblem>,
}

/// A table being read, with its span and path for messages.
pub(super) struct TableReader<'a, 'i> {
    pub(super) table: &'a DeTable<'i>,
    pub(super) span: Range<usize>,
    pub(super) path: String,
    allowed: &'static [&'static str],
}

type Value<'a, 'i> = &'a Spanned<DeValue<'i>>;

impl Reader<'_> {
    pub(super) fn problem(&mut self, span: &Range<usize>, path: &str, message: String) {
        let before = &self.text[..span.start.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before
            .rsplit('\n')
            .next()
            .map_or(0, |line| line.chars().count())
            + 1;
        self.problems.push(ProtocolProblem {
            line,
            column,
            path: path.to_owned(),
            message,
        });
    }

    pub(super) fn open<'a, 'i>(
        &mut self,
        table: &'a DeTable<'i>,
        span: Range<usize>,
        path: &str,
        allowed: &'static [&'static str],
    ) -> TableReader<'a, 'i> {
        for (key, _) in table.iter() {
            if !allowed.contains(&key.get_ref().as_ref()) {
                self.problem(
                    &key.span(),
                    &join(path, key.get_ref()),
                    format!("unknown field, expected one of: {}", allowed.join(", ")),
                );
            }
        }
        TableReader {
            table,
            span,
            path: path.to_owned(),
            allowed,
        }
    }

    pub(super) fn field<'a, 'i>(
        &mut self,
        table: &TableReader<'a, 'i>,
        key: &str,
        required: bool,
    ) -> Option<Value<'a, 'i>> {
        debug_assert!(table.allowed.contains(&key));
        let value = table.table.get(key);
        if value.is_none() && required {
            self.problem(
                &table.span,
                &join(&table.path, key),
                "missing required field".to_owned(),
            );
        }
        value
    }

    pub(super) fn string(
        &mut self,
        table: &TableReader<'_, '_>,
        key: &str,
        required: bool,
    ) -> Option<(String, Range<usize>)> {
        let value = self.field(table, key, required)?;
        match value.get_ref() {
            DeValue::String(text) if !text.trim().is_empty() => {
                Some((text.trim().to_owned(), value.span()))
            }
            other => {
                self.problem(
                    &value.span(),
                    &join(&table.path, key),
                    format!("expected a non-empty string, got {}", describe(other)),
                );
                None
            }
        }
    }

    pub(super) fn number(
        &mut self,
        table: &TableReader<'_, '_>,
        key: &str,
        required: bool,
    ) -> Option<(f64, Range<usize>)> {
        let value = self.field(table, key, required)?;
        match as_number(value.get_ref()) {
            Some(number) => Some((number, value.span())),
            None => {
                self.problem(
                    &value.span(),
                    &join(&table.path, key),
                    format!("expected a number, got {}", describe(value.get_ref())),
                );
                None
            }
        }
    }

    pub(super) fn whole(
        &mut self,
        table: &TableReader<'_, '_>,
        key: &str,
        required: bool,
        expected: &str,
        range: Range<i64>,
    ) -> Option<i64> {
        let value = self.field(table, key, required)?;
        match as_integer(value.get_ref()).filter(|number| range.contains(number)) {
            Some(number) => Some(number),
            None => {
                self.problem(
                    &value.span(),
                    &join(&table.path, key),
                    format!("expected {expected}, got {}", describe(value.get_ref())),
                );
                None
            }
        }
    }

    pub(super) fn grade(
        &mut self,
        table: &TableReader<'_, '_>,
        key: &str,
        required: bool,
    ) -> Option<u8> {
        self.whole(table, key, required, "a CTCAE grade 0 to 5", 0..6)
            .map(|grade| grade as u8)
    }

    pub(super) fn days(
        &mut self,
        table: &TableReader<'_, '_>,
        key: &str,
        required: bool,
    ) -> Option<u32> {
        self.whole(
            table,
            key,
            required,
            "a positive whole number of days",
            1..100_000,
        )
        .map(|days| days as u32)
    }

    pub(super) fn array<'a, 'i>(
        &mut self,
        table: &TableReader<'a, 'i>,
        key: &str,
        required: bool,
    ) -> Option<(&'a DeArray<'i>, Range<usize>)> {
        let value = self.field(table, key, required)?;
        match value.get_ref() {
            DeValue::Array(array) => Some((array, value.span())),
            other => {
                self.problem(
                    &value.span(),
                    &join(&table.path, key),
                    format!("expected an array, got {}", describe(other)),
                );
                None
            }
        }
    }

    pub(super) fn sub_table<'a, 'i>(
        &mut self,
        parent: &TableReader<'a, 'i>,
        key: &str,
        allowed: &'static [&'static str],
        required: bool,
    ) -> Option<TableReader<'a, 'i>> {
        let value = self.field(parent, key, required)?;
        let path = join(&parent.path, key);
        match value.get_ref() {
            DeValue::Table(table) => Some(self.open(table, value.span(), &path, allowed)),
            other => {
                self.problem(
                    &value.span(),
                    &path,
                    format!("expected a table, got {}", describe(other)),
                );
                None
            }
        }
    }

    pub(super) fn table_array<'a, 'i>(
        &mut self,
        parent: &TableReader<'a, 'i>,
        key: &str,
        allowed: &'static [&'static str],
    ) -> Vec<TableReader<'a, 'i>> {
        let Some((array, _)) = self.array(parent, key, false) else {
            return Vec::new();
        };
        let mut tables = Vec::new();
        for (index, item) in array.iter().enumerate() {
            let path = format!("{}[{index}]", join(&parent.path, key));
            match item.get_ref() {
                DeValue::Table(table) => tables.push(self.open(table, item.span(), &path, allowed)),
                other => self.problem(
                    &item.span(),
                    &path,
                    format!("expected a table, got {}", describe(other)),
                ),
            }
        }
        tables
    }
}

pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

pub(super) fn as_integer(value: &DeValue<'_>) -> Option<i64> {
    let integer = value.as_integer()?;
    i64::from_str_radix(&integer.as_str().replace('_', ""), integer.radix()).ok()
}

pub(super) fn as_number(value: &DeValue<'_>) -> Option<f64> {
    match value {
        DeValue::Float(float) => float
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .filter(|number| number.is_finite()),
        DeValue::Integer(_) => as_integer(value).map(|integer| integer as f64),
        _ => None,
    }
}

pub(super) fn describe(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(text) => format!("{text:?}"),
        DeValue::Integer(integer) => integer.as_str().to_owned(),
        DeValue::Float(float) => float.as_str().to_owned(),
        DeValue::Boolean(boolean) => boolean.to_string(),
        other => format!("a {}", other.type_str()),
    }
}
