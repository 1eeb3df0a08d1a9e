//! Errors of a case file, each located at `file:line:column` with the field path.

use std::fmt;
use std::ops::Range;

/// One problem in a case file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseFileError {
    /// The file name as given to the parser.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Dotted field path, e.g. `drug.regimen[0].dose_levels[1]`.
    pub path: String,
    /// What is wrong: the bad value and what was expected.
    pub message: String,
}

impl fmt::Display for CaseFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file, self.line, self.column, self.path, self.message
        )
    }
}

/// All problems of a case file, in the order they occur in the file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct CaseFileErrors(pub Vec<CaseFileError>);

impl fmt::Display for CaseFileErrors {
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

/// Collects errors while a file is read, converting byte offsets into lines and columns.
pub(crate) struct Diagnostics<'s> {
    file: &'s str,
    text: &'s str,
    errors: Vec<(usize, CaseFileError)>,
}

impl<'s> Diagnostics<'s> {
    pub(crate) fn new(file: &'s str, text: &'s str) -> Self {
        Diagnostics {
            file,
            text,
            errors: Vec::new(),
        }
    }

    /// Records an error at the start of `span`.
    pub(crate) fn error(&mut self, span: Range<usize>, path: &str, message: impl Into<String>) {
        let (line, column) = line_column(self.text, span.start);
        self.errors.push((
            span.start,
            CaseFileError {
                file: self.file.to_string(),
                line,
                column,
                path: path.to_string(),
                message: message.into(),
            },
        ));
    }

    /// 1-based line of a byte offset.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        line_column(self.text, offset).0
    }

    /// The errors sorted by position (stable, so same-place errors keep their order).
    pub(crate) fn finish(mut self) -> Vec<CaseFileError> {
        self.errors.sort_by_key(|(offset, _)| *offset);
        self.errors.into_iter().map(|(_, e)| e).collect()
    }
}

/// 1-based line and character column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::line_column;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "a = 1\nµ = 2\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        // "µ" is two bytes; the '=' after "µ " is the third character.
        assert_eq!(line_column(text, 9), (2, 3));
    }
}
