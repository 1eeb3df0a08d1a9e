//! The tissue parameter table: α/β and, where published, repopulation parameters, each row with
//! its source. The table is `data/tissues.toml`, embedded at compile time and parsed once.

use std::collections::HashSet;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::{AlphaBeta, RadbioError, Repopulation};

/// Whether a tissue is a tumour, an early- or a late-responding normal tissue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// A tumour.
    Tumour,
    /// An early-responding normal tissue (acute effects).
    Early,
    /// A late-responding normal tissue (late effects).
    Late,
}

/// The kind of evidence behind an α/β value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    /// Estimated from patients' outcomes.
    Clinical,
    /// Estimated in animal experiments.
    Experimental,
    /// Estimated from cell lines.
    InVitro,
    /// A conventional value used in the absence of a specific estimate.
    Convention,
}

/// One row of the tissue table.
#[derive(Debug, Clone, PartialEq)]
pub struct Tissue {
    /// Stable identifier, e.g. `skin-late-telangiectasia`.
    pub id: String,
    /// Name for people.
    pub name: String,
    /// Tumour, early or late.
    pub category: Category,
    /// The α/β used by default.
    pub alpha_beta: AlphaBeta,
    /// The published confidence interval or range of α/β in Gy, where there is one.
    pub alpha_beta_range_gy: Option<(f64, f64)>,
    /// The endpoint the estimate is for.
    pub endpoint: String,
    /// The kind of evidence.
    pub evidence: Evidence,
    /// The published source: paper and table.
    pub source: String,
    /// The DOI of the source, where known.
    pub doi: Option<String>,
    /// Caveats.
    pub note: Option<String>,
    /// Published repopulation parameters, where there are any.
    pub repopulation: Option<TissueRepopulation>,
}

/// Published repopulation parameters of a tissue, with their source.
#[derive(Debug, Clone, PartialEq)]
pub struct TissueRepopulation {
    /// The parameters.
    pub parameters: Repopulation,
    /// Where they were published.
    pub source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TissueFile {
    tissue: Vec<TissueRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TissueRow {
    id: String,
    name: String,
    category: Category,
    alpha_beta_gy: f64,
    alpha_beta_range_gy: Option<[f64; 2]>,
    endpoint: String,
    evidence: Evidence,
    source: String,
    doi: Option<String>,
    note: Option<String>,
    repopulation: Option<RepopulationRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RepopulationRow {
    kickoff_days: f64,
    bed_loss_gy_per_day: Option<f64>,
    eqd2_loss_gy_per_day: Option<f64>,
    alpha_per_gy: Option<f64>,
    tpot_days: Option<f64>,
    source: String,
}

/// A problem in a tissue table.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TableError {
    /// The TOML does not parse into the schema.
    #[error("tissues.toml: {0}")]
    Parse(String),
    /// A row is invalid.
    #[error("tissues.toml: tissue {id:?}: {field}: {message}")]
    Row {
        /// The row's id.
        id: String,
        /// The field at fault.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
}

static TABLE: LazyLock<Vec<Tissue>> = LazyLock::new(|| {
    parse_table(include_str!("../data/tissues.toml"))
        .expect("data/tissues.toml is valid: the crate's tests parse it")
});

/// Every tissue of the table, in file order.
pub fn all() -> &'static [Tissue] {
    &TABLE
}

/// The tissue with this id (exact match, case-insensitive).
pub fn find(id: &str) -> Option<&'static Tissue> {
    all()
        .iter()
        .find(|tissue| tissue.id.eq_ignore_ascii_case(id))
}

/// The tissue with this id, or an error naming the unknown id.
pub fn get(id: &str) -> Result<&'static Tissue, RadbioError> {
    find(id).ok_or_else(|| RadbioError::UnknownTissue { id: id.to_owned() })
}

/// Parses and checks a tissue table: every row has a source, a valid α/β, a unique id, and
/// repopulation parameters given one way only.
pub fn parse_table(text: &str) -> Result<Vec<Tissue>, TableError> {
    let file: TissueFile = toml::from_str(text).map_err(|e| TableError::Parse(e.to_string()))?;
    let mut seen = HashSet::new();
    file.tissue
        .into_iter()
        .map(|row| {
            let fail = |field, message: String| TableError::Row {
                id: row.id.clone(),
                field,
                message,
            };
            if !seen.insert(row.id.to_ascii_lowercase()) {
                return Err(fail("id", "appears more than once".into()));
            }
            if row.source.trim().is_empty() {
                return Err(fail(
                    "source",
                    "expected the published source, got nothing".into(),
                ));
            }
            let alpha_beta = AlphaBeta::new(row.alpha_beta_gy)
                .map_err(|e| fail("alpha_beta_gy", e.to_string()))?;
            let repopulation = row
                .repopulation
                .as_ref()
                .map(|r| {
                    repopulation(r, alpha_beta).map_err(|message| fail("repopulation", message))
                })
                .transpose()?;
            Ok(Tissue {
                alpha_beta,
                alpha_beta_range_gy: row.alpha_beta_range_gy.map(|[lo, hi]| (lo, hi)),
                repopulation,
                id: row.id,
                name: row.name,
                category: row.category,
                endpoint: row.endpoint,
                evidence: row.evidence,
                source: row.source,
                doi: row.doi,
                note: row.note,
            })
        })
        .collect()
}

fn repopulation(
    row: &RepopulationRow,
    alpha_beta: AlphaBeta,
) -> Result<TissueRepopulation, String> {
    if row.source.trim().is_empty() {
        return Err("source: expected the published source, got nothing".into());
    }
    let tk = row.kickoff_days;
    let parameters = match (
        row.bed_loss_gy_per_day,
        row.eqd2_loss_gy_per_day,
        row.alpha_per_gy,
        row.tpot_days,
    ) {
        (Some(k), None, None, None) => Repopulation::from_daily_bed_loss(tk, k),
        (None, Some(k_eqd2), None, None) => Repopulation::from_daily_eqd2_loss(tk, k_eqd2, alpha_beta),
        (None, None, Some(alpha), Some(tpot)) => Repopulation::from_alpha_and_tpot(tk, alpha, tpot),
        _ => {
            return Err("expected exactly one of bed_loss_gy_per_day, eqd2_loss_gy_per_day, or alpha_per_gy with tpot_days".into());
        }
    }
    .map_err(|e| e.to_string())?;
    Ok(TissueRepopulation {
        parameters,
        source: row.source.clone(),
    })
}
