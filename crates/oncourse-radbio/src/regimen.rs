//! Fractionation-regime classification of a radiotherapy phase, driven by the embedded table
//! `data/regimens.toml` (each row with its source), and prescription notes where the published
//! criteria and the case disagree.

use std::sync::LazyLock;

use serde::Deserialize;

/// How a phase is delivered, as far as classification cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Delivery {
    /// External beam without stereotactic technique (3D-CRT, IMRT, VMAT …).
    ExternalBeam,
    /// Stereotactic external beam (SBRT, SRT, SRS).
    Stereotactic,
    /// Brachytherapy (HDR afterloading, seeds).
    Brachytherapy,
}

/// What the classifier needs to know of a phase.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegimenInput {
    /// Dose per fraction in Gy.
    pub dose_per_fraction_gy: f64,
    /// Number of fractions.
    pub n_fractions: u32,
    /// Delivery technique.
    pub delivery: Delivery,
    /// Days from the first to the last fraction, when the schedule is known.
    pub overall_days: Option<f64>,
}

/// One regimen class of the table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regimen {
    /// Stable identifier, e.g. `short-course`.
    pub id: String,
    /// Name for people.
    pub name: String,
    /// The deliveries this class applies to.
    pub delivery: Vec<Delivery>,
    /// Lowest dose per fraction (inclusive), if bounded.
    pub min_dose_per_fraction_gy: Option<f64>,
    /// Highest dose per fraction (inclusive), if bounded.
    pub max_dose_per_fraction_gy: Option<f64>,
    /// Dose per fraction must be below this (exclusive), if bounded.
    pub below_dose_per_fraction_gy: Option<f64>,
    /// Fewest fractions, if bounded.
    pub min_fractions: Option<u32>,
    /// Most fractions, if bounded.
    pub max_fractions: Option<u32>,
    /// Longest overall time in days, if bounded (only checked when the schedule is known).
    pub max_overall_days: Option<f64>,
    /// Only names a phase that meets no other row; never listed as "also meets".
    #[serde(default)]
    pub fallback: bool,
    /// What the source says the regimen suits, if it says.
    pub suited_for: Option<String>,
    /// Tumours at or above this largest diameter are outside what the source suggests.
    pub suited_max_tumour_diameter_cm: Option<f64>,
    /// The definition in words.
    pub description: String,
    /// The published source of the definition.
    pub source: String,
}

impl Regimen {
    fn matches(&self, input: &RegimenInput) -> bool {
        let d = input.dose_per_fraction_gy;
        self.delivery.contains(&input.delivery)
            && self.min_dose_per_fraction_gy.is_none_or(|min| d >= min)
            && self.max_dose_per_fraction_gy.is_none_or(|max| d <= max)
            && self
                .below_dose_per_fraction_gy
                .is_none_or(|below| d < below)
            && self
                .min_fractions
                .is_none_or(|min| input.n_fractions >= min)
            && self
                .max_fractions
                .is_none_or(|max| input.n_fractions <= max)
            && match (self.max_overall_days, input.overall_days) {
                (Some(max), Some(days)) => days <= max,
                _ => true,
            }
    }
}

/// The classification of one phase.
#[derive(Debug, Clone, PartialEq)]
pub struct Classification {
    /// The first class of the table that the phase meets.
    pub class: &'static Regimen,
    /// Other classes it also meets (e.g. a 7 Gy × 3 SBRT boost also meets the short-course
    /// definition).
    pub also_meets: Vec<&'static Regimen>,
    /// Notes where a class's published criteria disagree with the case.
    pub notes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegimenFile {
    regimen: Vec<Regimen>,
}

static REGIMENS: LazyLock<Vec<Regimen>> = LazyLock::new(|| {
    let file: RegimenFile = toml::from_str(include_str!("../data/regimens.toml"))
        .expect("data/regimens.toml is valid: the crate's tests parse it");
    file.regimen
});

/// Every regimen class of the table, in the order they are tried.
pub fn all() -> &'static [Regimen] {
    &REGIMENS
}

/// Classifies a phase. `tumour_max_diameter_cm`, when known, adds a note if a matched class's
/// source suggests it for smaller tumours (the seed's tumour was 7 × 8 cm; its short course is
/// suggested for tumours under 3 cm).
///
/// Returns `None` only when no row matches, which the table's tests rule out for valid phases.
pub fn classify(
    input: &RegimenInput,
    tumour_max_diameter_cm: Option<f64>,
) -> Option<Classification> {
    let mut matching = all().iter().filter(|regimen| regimen.matches(input));
    let class = matching.next()?;
    let also_meets: Vec<&'static Regimen> = matching.filter(|regimen| !regimen.fallback).collect();
    let notes = std::iter::once(class)
        .chain(also_meets.iter().copied())
        .filter_map(|regimen| size_note(regimen, tumour_max_diameter_cm))
        .collect();
    Some(Classification {
        class,
        also_meets,
        notes,
    })
}

fn size_note(regimen: &Regimen, tumour_max_diameter_cm: Option<f64>) -> Option<String> {
    let limit = regimen.suited_max_tumour_diameter_cm?;
    let diameter = tumour_max_diameter_cm?;
    (diameter >= limit).then(|| {
        format!(
            "{}: the source suggests it for {}; this tumour's largest diameter is {diameter} cm (source: {})",
            regimen.name,
            regimen.suited_for.as_deref().unwrap_or("smaller tumours"),
            regimen.source
        )
    })
}
