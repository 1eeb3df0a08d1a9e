//! A CSV file read as text columns, for the cohort commands: find columns by name, drop rows
//! with a missing value in the columns used (and count them), and parse numbers and event
//! flags with errors that name the file, the column, the line and the value.

use std::path::Path;

use anyhow::{Context, Result, bail};

/// Cells that mean "missing": empty, `NA`, `NaN`, `.` (R, pandas and SAS spellings).
fn is_missing(cell: &str) -> bool {
    matches!(cell.trim(), "" | "NA" | "na" | "NaN" | "nan" | ".")
}

/// A CSV file with a header row.
pub struct Table {
    path: String,
    header: Vec<String>,
    rows: Vec<csv::StringRecord>,
}

/// The rows usable for a set of columns: those with a value in every one of them.
pub struct Complete {
    /// Indices of the usable rows.
    pub rows: Vec<usize>,
    /// Rows dropped for a missing value.
    pub dropped: usize,
}

impl Table {
    /// Reads the file.
    pub fn read(path: &Path) -> Result<Self> {
        let display = path.display().to_string();
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_path(path)
            .with_context(|| format!("{display}: cannot read"))?;
        let header = reader
            .headers()
            .with_context(|| format!("{display}: cannot read the header row"))?
            .iter()
            .map(String::from)
            .collect();
        let rows = reader
            .records()
            .collect::<Result<Vec<_>, _>>()
            .with_context(|| format!("{display}: malformed CSV"))?;
        Ok(Self {
            path: display,
            header,
            rows,
        })
    }

    /// The index of a column, or an error listing the columns there are.
    pub fn column(&self, name: &str) -> Result<usize> {
        self.header.iter().position(|h| h == name).with_context(|| {
            format!(
                "{}: column {name:?} not found; the columns are: {}",
                self.path,
                self.header.join(", ")
            )
        })
    }

    /// Rows with a value in every one of `columns`.
    pub fn complete(&self, columns: &[usize]) -> Complete {
        let rows: Vec<usize> = (0..self.rows.len())
            .filter(|&r| columns.iter().all(|&c| !is_missing(self.cell(r, c))))
            .collect();
        Complete {
            dropped: self.rows.len() - rows.len(),
            rows,
        }
    }

    fn cell(&self, row: usize, column: usize) -> &str {
        self.rows[row].get(column).unwrap_or("")
    }

    fn location(&self, row: usize, column: usize) -> String {
        // Line 1 is the header.
        format!(
            "{}: line {}: column {:?}",
            self.path,
            row + 2,
            self.header[column]
        )
    }

    /// The numbers of `column` in `rows`.
    pub fn numbers(&self, column: usize, rows: &[usize]) -> Result<Vec<f64>> {
        rows.iter()
            .map(|&r| {
                let cell = self.cell(r, column);
                match cell.parse::<f64>() {
                    Ok(v) if v.is_finite() => Ok(v),
                    _ => bail!(
                        "{}: expected a number, got {cell:?}",
                        self.location(r, column)
                    ),
                }
            })
            .collect()
    }

    /// Non-negative follow-up times of `column` in `rows`.
    pub fn times(&self, column: usize, rows: &[usize]) -> Result<Vec<f64>> {
        let values = self.numbers(column, rows)?;
        if let Some(k) = values.iter().position(|v| *v < 0.0) {
            bail!(
                "{}: expected a time >= 0, got {}",
                self.location(rows[k], column),
                values[k]
            );
        }
        Ok(values)
    }

    /// Event flags (1/0, true/false) of `column` in `rows`.
    pub fn events(&self, column: usize, rows: &[usize]) -> Result<Vec<bool>> {
        rows.iter()
            .map(|&r| {
                let cell = self.cell(r, column);
                match cell.to_ascii_lowercase().as_str() {
                    "1" | "1.0" | "true" => Ok(true),
                    "0" | "0.0" | "false" => Ok(false),
                    _ => bail!(
                        "{}: expected an event flag (1/0 or true/false), got {cell:?}",
                        self.location(r, column)
                    ),
                }
            })
            .collect()
    }

    /// The text values of `column` in `rows`.
    pub fn labels(&self, column: usize, rows: &[usize]) -> Vec<String> {
        rows.iter()
            .map(|&r| self.cell(r, column).to_string())
            .collect()
    }
}

/// Dense 0-based indices of labels, in sorted label order, and the sorted distinct labels.
pub fn dense_indices(labels: &[String]) -> (Vec<usize>, Vec<String>) {
    let mut distinct: Vec<String> = labels.to_vec();
    distinct.sort();
    distinct.dedup();
    let indices = labels
        .iter()
        .map(|l| distinct.binary_search(l).unwrap_or_default())
        .collect();
    (indices, distinct)
}
