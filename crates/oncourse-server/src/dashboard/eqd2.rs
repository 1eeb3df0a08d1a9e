//! `GET /eqd2`: the BED/EQD2 calculator. Dose per fraction, number of fractions, and α/β typed
//! in or taken from a row of the tissue table (whose source is shown), through
//! `oncourse-radbio`'s linear-quadratic functions. A GET with no side effect: no CSRF token.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use oncourse_radbio::tissues::{self, Tissue};
use oncourse_radbio::{AlphaBeta, Phase, bed_gy, eqd2_gy};
use oncourse_report::case_report::number;
use serde::Deserialize;

use super::session::BrowserSession;
use super::{Chrome, DashboardError, render};

/// The form's fields, as typed (validated here, so each error names its field).
#[derive(Deserialize)]
pub struct Eqd2Query {
    #[serde(default)]
    dose_per_fraction_gy: String,
    #[serde(default)]
    fractions: String,
    #[serde(default)]
    alpha_beta_gy: String,
    #[serde(default)]
    tissue: String,
}

/// A tissue in the drop-down.
struct TissueOption {
    id: String,
    label: String,
    selected: bool,
}

/// The computed doses.
#[derive(Debug)]
struct Eqd2Result {
    physical_gy: String,
    alpha_beta_gy: String,
    bed_gy: String,
    eqd2_gy: String,
    /// The tissue row used, if any: name, endpoint, source, DOI.
    tissue: Option<TissueSource>,
}

#[derive(Debug)]
struct TissueSource {
    name: String,
    endpoint: String,
    source: String,
    doi: String,
    note: String,
}

#[derive(Template)]
#[template(path = "eqd2.html")]
struct Eqd2Page {
    chrome: Chrome,
    form: Eqd2Query,
    tissues: Vec<TissueOption>,
    errors: Vec<String>,
    result: Option<Eqd2Result>,
}

/// `GET /eqd2?dose_per_fraction_gy=D&fractions=N&alpha_beta_gy=A|tissue=ID`.
pub async fn page(
    session: BrowserSession,
    Query(form): Query<Eqd2Query>,
) -> Result<Response, DashboardError> {
    let submitted = !(form.dose_per_fraction_gy.is_empty()
        && form.fractions.is_empty()
        && form.alpha_beta_gy.is_empty()
        && form.tissue.is_empty());
    let (result, errors) = if submitted {
        match calculate(&form) {
            Ok(result) => (Some(result), Vec::new()),
            Err(errors) => (None, errors),
        }
    } else {
        (None, Vec::new())
    };
    let tissues = tissues::all()
        .iter()
        .map(|t| TissueOption {
            selected: t.id == form.tissue,
            label: format!("{} (α/β {} Gy)", t.name, number(t.alpha_beta.gy(), 2)),
            id: t.id.clone(),
        })
        .collect();
    Ok(render(&Eqd2Page {
        chrome: Chrome::new(&session, "eqd2"),
        form,
        tissues,
        errors,
        result,
    }))
}

/// Validates the form and computes BED and EQD2; every problem is reported, each naming its field.
fn calculate(form: &Eqd2Query) -> Result<Eqd2Result, Vec<String>> {
    let mut errors = Vec::new();
    let dose = form
        .dose_per_fraction_gy
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|d| d.is_finite() && *d > 0.0);
    if dose.is_none() {
        errors.push(format!(
            "dose per fraction: expected a positive number of Gy, got {:?}",
            form.dose_per_fraction_gy
        ));
    }
    let fractions = form.fractions.trim().parse::<u32>().ok().filter(|n| *n > 0);
    if fractions.is_none() {
        errors.push(format!(
            "fractions: expected a whole number of fractions (1 or more), got {:?}",
            form.fractions
        ));
    }
    let tissue: Option<&Tissue> = if form.tissue.is_empty() {
        None
    } else {
        let found = tissues::find(&form.tissue);
        if found.is_none() {
            errors.push(format!("tissue: no tissue {:?} in the table", form.tissue));
        }
        found
    };
    let alpha_beta = match (tissue, form.alpha_beta_gy.trim()) {
        (Some(_), typed) if !typed.is_empty() => {
            errors.push("α/β: choose a tissue or type α/β, not both".to_owned());
            None
        }
        (Some(tissue), _) => Some(tissue.alpha_beta),
        (None, "") if form.tissue.is_empty() => {
            errors.push("α/β: type α/β in Gy or choose a tissue".to_owned());
            None
        }
        (None, typed) => {
            let parsed = typed
                .parse::<f64>()
                .ok()
                .and_then(|v| AlphaBeta::new(v).ok());
            if parsed.is_none() && !typed.is_empty() {
                errors.push(format!(
                    "α/β: expected a positive number of Gy, got {typed:?}"
                ));
            }
            parsed
        }
    };
    let (Some(dose), Some(fractions), Some(alpha_beta)) = (dose, fractions, alpha_beta) else {
        return Err(errors);
    };
    let phase = Phase::new(dose, fractions).map_err(|error| vec![error.to_string()])?;
    let physical = phase.physical_gy();
    Ok(Eqd2Result {
        physical_gy: number(physical, 2),
        alpha_beta_gy: number(alpha_beta.gy(), 2),
        bed_gy: number(bed_gy(physical, fractions, alpha_beta), 2),
        eqd2_gy: number(eqd2_gy(physical, fractions, alpha_beta), 2),
        tissue: tissue.map(|t| TissueSource {
            name: t.name.clone(),
            endpoint: t.endpoint.clone(),
            source: t.source.clone(),
            doi: t.doi.clone().unwrap_or_default(),
            note: t.note.clone().unwrap_or_default(),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(d: &str, n: &str, ab: &str, tissue: &str) -> Eqd2Query {
        Eqd2Query {
            dose_per_fraction_gy: d.into(),
            fractions: n.into(),
            alpha_beta_gy: ab.into(),
            tissue: tissue.into(),
        }
    }

    #[test]
    fn published_worked_examples() {
        // Nieder et al. 2006 (tests/data/radbio/worked-examples.toml): 50 Gy in 2 Gy fractions
        // is BED 100 Gy at α/β 2 and 75 Gy at α/β 4.
        let r = calculate(&query("2", "25", "2", "")).unwrap();
        assert_eq!((r.physical_gy.as_str(), r.bed_gy.as_str()), ("50", "100"));
        assert_eq!(calculate(&query("2", "25", "4", "")).unwrap().bed_gy, "75");
        // Cancer Care Ontario lung SBRT guideline 2017 (same file): 54 Gy / 3 is BED₁₀ 151.2.
        assert_eq!(
            calculate(&query("18", "3", "10", "")).unwrap().bed_gy,
            "151.2"
        );
        // The seed course's IMRT phase 4 Gy x 10 at α/β 3: 93.33 Gy BED, 56 Gy EQD2 (by hand:
        // 40 (1 + 4/3) = 93.33; 93.33 / (1 + 2/3) = 56).
        let r = calculate(&query("4", "10", "3", "")).unwrap();
        assert_eq!((r.bed_gy.as_str(), r.eqd2_gy.as_str()), ("93.33", "56"));
    }

    #[test]
    fn a_tissue_row_gives_alpha_beta_and_its_source() {
        let tissue = &tissues::all()[0];
        let r = calculate(&query("2", "25", "", &tissue.id)).unwrap();
        assert_eq!(r.alpha_beta_gy, number(tissue.alpha_beta.gy(), 2));
        assert_eq!(r.tissue.unwrap().source, tissue.source);
    }

    #[test]
    fn every_bad_field_is_named() {
        let errors = calculate(&query("-2", "0", "x", "")).unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors[0]
                .starts_with("dose per fraction: expected a positive number of Gy, got \"-2\"")
        );
        assert!(errors[1].starts_with("fractions:"));
        assert!(errors[2].starts_with("α/β: expected a positive number of Gy, got \"x\""));
        let errors = calculate(&query("2", "5", "", "no-such-tissue")).unwrap_err();
        assert_eq!(
            errors,
            ["tissue: no tissue \"no-such-tissue\" in the table"]
        );
        let errors = calculate(&query("2", "5", "", "")).unwrap_err();
        assert_eq!(errors, ["α/β: type α/β in Gy or choose a tissue"]);
    }
}
