//! Import errors and warnings, each located at a resource and element path.

use std::fmt;

/// Why an import failed. Every variant names where: a JSON line and column, or a resource
/// (`Observation/obs-12`, or `Bundle.entry[3]` when it has no id) and an element path.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    /// The text is not JSON.
    #[error("line {line}, column {column}: malformed JSON: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// An element is missing, has the wrong type or a value oncourse cannot use.
    #[error("{location}: {message}")]
    Element {
        /// `Type/id.element.path`.
        location: String,
        /// What was expected and what was found.
        message: String,
    },
}

/// Every error of one import, in document order.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ImportErrors(pub Vec<ImportError>);

impl fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

/// Something the import skipped or could not use; the import still succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// `Type/id` or `Type/id.element`.
    pub location: String,
    /// What was skipped and why.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}
