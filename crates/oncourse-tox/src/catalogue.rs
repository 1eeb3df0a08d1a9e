//! The CTCAE v5.0 catalogue: all 837 terms with their MedDRA code, system organ class, grade 1–5
//! texts and definition, embedded from `data/ctcae_v5.0.csv` and parsed once.
//!
//! Lookup is by term (case-insensitive, surrounding whitespace ignored) or by MedDRA code.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// The NCI CTCAE v5.0 clean-copy sheet as CSV (provenance in `data/README.md`).
const CTCAE_V5_CSV: &str = include_str!("../data/ctcae_v5.0.csv");

/// The citation every row of the catalogue carries.
pub const CTCAE_V5_SOURCE: &str = "CTCAE v5.0 (US National Cancer Institute, 27 November 2017)";

/// One CTCAE v5.0 adverse-event term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    /// MedDRA lowest-level-term code (e.g. 10035528 for "Platelet count decreased").
    pub meddra_code: u32,
    /// MedDRA system organ class (e.g. "Investigations").
    pub system_organ_class: String,
    /// The CTCAE term, as NCI spells it.
    pub name: String,
    /// Grade 1 to 5 texts, index 0 = grade 1; `None` where CTCAE defines no such grade ("-").
    pub grade_texts: [Option<String>; 5],
    /// The CTCAE definition of the term, if any.
    pub definition: Option<String>,
    /// CTCAE's navigational note (e.g. "Also consider ..."), if any.
    pub navigational_note: Option<String>,
}

impl Term {
    /// The text of grade `grade` (1–5), or `None` where CTCAE defines no such grade.
    pub fn grade_text(&self, grade: u8) -> Option<&str> {
        let index = usize::from(grade).checked_sub(1)?;
        self.grade_texts.get(index)?.as_deref()
    }

    /// The grades CTCAE defines for this term, each with its text, in increasing order.
    pub fn grade_definitions(&self) -> Vec<GradeDefinition> {
        (1..=5)
            .filter_map(|grade| {
                self.grade_text(grade).map(|text| GradeDefinition {
                    grade,
                    text: text.to_owned(),
                })
            })
            .collect()
    }
}

/// One grade of a term with its CTCAE text, to help a clinician choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GradeDefinition {
    /// The grade, 1–5.
    pub grade: u8,
    /// The CTCAE text of that grade.
    pub text: String,
}

/// The whole CTCAE v5.0 term list with indices by name and MedDRA code.
#[derive(Debug)]
pub struct Catalogue {
    terms: Vec<Term>,
    index_by_lower_name: HashMap<String, usize>,
    index_by_meddra_code: HashMap<u32, usize>,
}

impl Catalogue {
    /// All terms, in the order of the NCI workbook.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// The term named `name`, ignoring case and surrounding whitespace.
    pub fn by_name(&self, name: &str) -> Option<&Term> {
        let index = self.index_by_lower_name.get(&normalise_name(name))?;
        Some(&self.terms[*index])
    }

    /// The term with MedDRA code `meddra_code`.
    pub fn by_meddra_code(&self, meddra_code: u32) -> Option<&Term> {
        let index = self.index_by_meddra_code.get(&meddra_code)?;
        Some(&self.terms[*index])
    }

    /// The term named `query`, or with MedDRA code `query` if it is all digits.
    pub fn lookup(&self, query: &str) -> Option<&Term> {
        let query = query.trim();
        match query.parse::<u32>() {
            Ok(code) => self.by_meddra_code(code),
            Err(_) => self.by_name(query),
        }
    }
}

/// The CTCAE v5.0 catalogue, parsed from the embedded CSV on first use.
pub fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        // The CSV is compiled in and checked by this crate's tests, so a failure here is a
        // build defect, not bad user input.
        parse_catalogue(CTCAE_V5_CSV).expect("the embedded CTCAE v5.0 CSV parses")
    })
}

fn normalise_name(name: &str) -> String {
    name.trim().to_lowercase()
}

#[derive(Deserialize)]
struct CsvRow {
    meddra_code: String,
    meddra_soc: String,
    term: String,
    grade_1: String,
    grade_2: String,
    grade_3: String,
    grade_4: String,
    grade_5: String,
    definition: String,
    navigational_note: String,
}

fn optional_text(cell: String) -> Option<String> {
    let trimmed = cell.trim();
    if trimmed.is_empty() || trimmed == "-" {
        None
    } else {
        Some(trimmed.to_owned())
    }
}

fn parse_catalogue(csv_text: &str) -> Result<Catalogue, String> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let mut terms = Vec::new();
    for (row_index, row) in reader.deserialize::<CsvRow>().enumerate() {
        let line = row_index + 2;
        let row = row.map_err(|error| format!("ctcae_v5.0.csv: row {line}: {error}"))?;
        let meddra_code = row.meddra_code.trim().parse().map_err(|_| {
            format!(
                "ctcae_v5.0.csv: row {line}: meddra_code: expected digits, got {:?}",
                row.meddra_code
            )
        })?;
        terms.push(Term {
            meddra_code,
            system_organ_class: row.meddra_soc.trim().to_owned(),
            name: row.term.trim().to_owned(),
            grade_texts: [
                optional_text(row.grade_1),
                optional_text(row.grade_2),
                optional_text(row.grade_3),
                optional_text(row.grade_4),
                optional_text(row.grade_5),
            ],
            definition: optional_text(row.definition),
            navigational_note: optional_text(row.navigational_note),
        });
    }
    let index_by_lower_name = terms
        .iter()
        .enumerate()
        .map(|(index, term)| (normalise_name(&term.name), index))
        .collect();
    let index_by_meddra_code = terms
        .iter()
        .enumerate()
        .map(|(index, term)| (term.meddra_code, index))
        .collect();
    Ok(Catalogue {
        terms,
        index_by_lower_name,
        index_by_meddra_code,
    })
}
