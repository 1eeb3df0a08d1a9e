//! Readers of each case-file section into typed facts.

use std::ops::Range;

use chrono::NaiveDate;
use toml::Spanned;
use toml::de::DeValue;

use super::diagnostics::Diagnostics;
use super::reader::{Node, Table, array_items};
use crate::adverse_event::{AdverseEvent, Attribution};
use crate::diagnosis::{Depth, Diagnosis, GradeSource, IhcMarker, IhcResult, Laterality};
use crate::disease_event::{DiseaseEvent, DiseaseEventKind};
use crate::drug::{Administration, DoseChange, DrugHold, DrugRegimen, DrugStop};
use crate::fact::{Fact, FactBody, FactId};
use crate::grade::{FnclccComponents, FnclccGrade, Necrosis};
use crate::imaging::{ImagingAssessment, Lesion};
use crate::observation::{Observation, ObservationValue};
use crate::patient::{CodeSystem, Coding, Comorbidity, Patient, PerformanceStatus, Sex};
use crate::procedure::Procedure;
use crate::quantity::{Dimension, Quantity};
use crate::radiotherapy::{RtFraction, RtPhase, Technique};
use crate::stage::{MCategory, NCategory};

/// A reference from one fact to another, checked once every fact has been read.
pub(crate) struct Reference {
    pub(crate) path: String,
    pub(crate) span: Range<usize>,
    pub(crate) target: FactId,
    /// The kind the target must have (see [`FactBody::kind_name`]); `None` for any kind.
    pub(crate) kind: Option<&'static str>,
}

/// A dose that must be one of its regimen's dose levels.
pub(crate) struct LadderCheck {
    pub(crate) path: String,
    pub(crate) span: Range<usize>,
    pub(crate) regimen: FactId,
    pub(crate) dose: Quantity,
}

/// What has been read so far.
#[derive(Default)]
pub(crate) struct Collected {
    /// Facts with the span of their id field.
    pub(crate) facts: Vec<(Fact, String, Range<usize>)>,
    pub(crate) references: Vec<Reference>,
    pub(crate) ladder_checks: Vec<LadderCheck>,
}

/// One entry of a section as its reader sees it.
pub(crate) struct Entry<'e, 'a, 'i, 'd> {
    /// The entry's table.
    t: &'e mut Table<'a, 'i>,
    /// Where its errors go.
    d: &'e mut Diagnostics<'d>,
    /// What has been read so far, where the entry queues the checks of its references.
    c: &'e mut Collected,
    /// The entry's date, if it is valid.
    date: Option<NaiveDate>,
}

/// Reads the fields of an entry that are its own (not `id`, `date`, ...) into a fact body.
pub(crate) type SectionReader = fn(Entry<'_, '_, '_, '_>) -> Option<FactBody>;

/// The entries of a section written either as one table (`[diagnosis]`) or as an array of
/// tables (`[[comorbidity]]`).
pub(crate) fn entries<'a, 'i>(
    d: &mut Diagnostics<'_>,
    parent: &mut Table<'a, 'i>,
    key: &'static str,
) -> Vec<(String, &'a Spanned<DeValue<'i>>)> {
    let path = parent.child_path(key);
    match parent.raw(key) {
        None => Vec::new(),
        Some(value) => match value.get_ref() {
            DeValue::Table(_) => vec![(path, value)],
            _ => array_items(d, &path, value).unwrap_or_default(),
        },
    }
}

/// A part of a case file that holds facts.
pub(crate) enum Section {
    /// A key whose entries are facts, each read by the reader.
    Facts(&'static str, SectionReader),
    /// A table of sections, such as `[drug]`.
    Group(&'static str, &'static [Section]),
}

/// The sections of a case file in the order they are read (the facts of one day keep it).
pub(crate) const SECTIONS: &[Section] = &[
    Section::Facts("patient", patient),
    Section::Facts("comorbidity", comorbidity),
    Section::Facts("diagnosis", diagnosis),
    Section::Facts("ecog", ecog),
    Section::Group(
        "radiotherapy",
        &[
            Section::Facts("phase", rt_phase),
            Section::Facts("fraction", rt_fraction),
        ],
    ),
    Section::Group(
        "drug",
        &[
            Section::Facts("regimen", drug_regimen),
            Section::Facts("administration", administration),
            Section::Facts("hold", drug_hold),
            Section::Facts("dose_change", dose_change),
            Section::Facts("stop", drug_stop),
        ],
    ),
    Section::Facts("observation", observation),
    Section::Facts("adverse_event", adverse_event),
    Section::Facts("procedure", procedure),
    Section::Facts("imaging", imaging),
    Section::Facts("disease_event", disease_event),
];

/// Reads every entry of each section, in order, as a fact; a group's unknown keys are reported
/// once its sections are read.
pub(crate) fn read_sections(
    d: &mut Diagnostics<'_>,
    collected: &mut Collected,
    parent: &mut Table<'_, '_>,
    sections: &[Section],
) {
    for section in sections {
        match *section {
            Section::Facts(key, body) => {
                for (path, value) in entries(d, parent, key) {
                    read_fact(d, collected, path, value, body);
                }
            }
            Section::Group(key, members) => {
                let Some(value) = parent.raw(key) else {
                    continue;
                };
                let path = parent.child_path(key);
                if let Some(mut group) = Table::open(d, path, value) {
                    read_sections(d, collected, &mut group, members);
                    group.finish(d);
                }
            }
        }
    }
}

fn read_fact(
    d: &mut Diagnostics<'_>,
    collected: &mut Collected,
    path: String,
    value: &Spanned<DeValue<'_>>,
    body: SectionReader,
) {
    let Some(mut t) = Table::open(d, path, value) else {
        return;
    };
    let id_span = t.raw("id").map_or_else(|| t.span(), |v| v.span());
    let id = t.required(d, "id", "a unique id string such as \"rt-1\"", |n, d| {
        checked_string(
            n,
            d,
            |id| {
                id.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
            },
            "an id of letters, digits, '-', '_' or '.'",
        )
    });
    let date = t.required(d, "date", "a date such as 2022-05-09", |n, d| n.date(d));
    let supersedes = t.optional(d, "supersedes", |n, d| {
        let target = n.string(d)?;
        Some((target, n.span()))
    });
    let illustrative = t.optional(d, "illustrative", |n, d| n.boolean(d));
    let note = t.optional(d, "note", |n, d| n.string(d));
    let body = body(Entry {
        t: &mut t,
        d,
        c: collected,
        date,
    });
    let path = t.path().to_string();
    t.finish(d);
    if let Some((target, span)) = &supersedes {
        collected.references.push(Reference {
            path: format!("{path}.supersedes"),
            span: span.clone(),
            target: FactId(target.clone()),
            kind: None,
        });
    }
    if let (Some(id), Some(date), Some(body)) = (id, date, body) {
        collected.facts.push((
            Fact {
                id: FactId(id),
                date,
                supersedes: supersedes.map(|(target, _)| FactId(target)),
                illustrative: illustrative.unwrap_or(false),
                note,
                body,
            },
            format!("{path}.id"),
            id_span,
        ));
    }
}

/// Reads a reference field and queues its check.
fn reference(
    t: &mut Table<'_, '_>,
    d: &mut Diagnostics<'_>,
    collected: &mut Collected,
    key: &'static str,
    kind: &'static str,
) -> Option<FactId> {
    let path = t.child_path(key);
    let (target, span) = t.required(
        d,
        key,
        &format!("the id of a fact of kind {kind}"),
        |n, d| Some((n.string(d)?, n.span())),
    )?;
    collected.references.push(Reference {
        path,
        span,
        target: FactId(target.clone()),
        kind: Some(kind),
    });
    Some(FactId(target))
}

fn string(t: &mut Table<'_, '_>, d: &mut Diagnostics<'_>, key: &'static str) -> Option<String> {
    t.required(d, key, "a non-empty string", |n, d| n.string(d))
}

fn optional_string(
    t: &mut Table<'_, '_>,
    d: &mut Diagnostics<'_>,
    key: &'static str,
) -> Option<String> {
    t.optional(d, key, |n, d| n.string(d))
}

/// A string that `valid` accepts; any other is an error naming what was `expected`.
fn checked_string(
    n: Node<'_, '_>,
    d: &mut Diagnostics<'_>,
    valid: impl Fn(&str) -> bool,
    expected: &str,
) -> Option<String> {
    let text = n.string(d)?;
    if valid(&text) {
        Some(text)
    } else {
        d.error(
            n.span(),
            n.path,
            format!("expected {expected}, got {text:?}"),
        );
        None
    }
}

/// An optional code whose syntax `valid` checks.
fn code(
    t: &mut Table<'_, '_>,
    d: &mut Diagnostics<'_>,
    key: &'static str,
    valid: fn(&str) -> bool,
    example: &'static str,
) -> Option<String> {
    t.optional(d, key, |n, d| {
        checked_string(n, d, valid, &format!("a code such as {example:?}"))
    })
}

/// A required ICD-O-3 code written as `pattern` (see [`matches_pattern`]).
fn icdo3_code(
    t: &mut Table<'_, '_>,
    d: &mut Diagnostics<'_>,
    key: &'static str,
    pattern: &'static str,
    expected: &'static str,
) -> Option<String> {
    t.required(d, key, expected, |n, d| {
        checked_string(n, d, |text| matches_pattern(text, pattern), expected)
    })
}

/// Every item of an array as a quantity of `dimension`; each bad item is reported.
fn quantities(
    d: &mut Diagnostics<'_>,
    items: &[(String, &Spanned<DeValue<'_>>)],
    dimension: Dimension,
) -> Option<Vec<Quantity>> {
    let each: Vec<Option<Quantity>> = items
        .iter()
        .map(|(path, value)| Node { path, value }.quantity(d, Some(dimension)))
        .collect();
    each.into_iter().collect()
}

/// ICD-10: a letter, two digits, optionally a dot and more characters (e.g. `H81.0`).
fn is_icd10(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 3
        && b[0].is_ascii_uppercase()
        && b[1].is_ascii_digit()
        && b[2].is_ascii_digit()
        && (b.len() == 3
            || (b[3] == b'.' && b.len() > 4 && b[4..].iter().all(u8::is_ascii_alphanumeric)))
}

/// SNOMED CT concept id: 6 to 18 digits.
fn is_snomed(text: &str) -> bool {
    (6..=18).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
}

/// LOINC code: digits, a hyphen and one check digit (e.g. `777-3`).
fn is_loinc(text: &str) -> bool {
    text.split_once('-').is_some_and(|(num, check)| {
        !num.is_empty()
            && num.len() <= 7
            && num.bytes().all(|b| b.is_ascii_digit())
            && check.len() == 1
            && check.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Matches a fixed pattern: `#` a digit, `A` an upper-case letter, other characters literally.
fn matches_pattern(text: &str, pattern: &str) -> bool {
    let mut chars = text.chars();
    for p in pattern.chars() {
        let Some(c) = chars.next() else { return false };
        let ok = match p {
            '#' => c.is_ascii_digit(),
            'A' => c.is_ascii_uppercase(),
            other => c == other,
        };
        if !ok {
            return false;
        }
    }
    chars.next().is_none()
}

fn patient(Entry { t, d, .. }: Entry<'_, '_, '_, '_>) -> Option<FactBody> {
    let sex = t.required(d, "sex", "\"female\", \"male\" or \"other\"", |n, d| {
        n.choice(
            d,
            &[
                ("female", Sex::Female),
                ("male", Sex::Male),
                ("other", Sex::Other),
            ],
        )
    });
    let birth_date = t.optional(d, "birth_date", |n, d| n.date(d));
    let age_years = t.optional(d, "age_years", |n, d| n.integer(d, 0, 130));
    if birth_date.is_none()
        && age_years.is_none()
        && t.raw("birth_date").is_none()
        && t.raw("age_years").is_none()
    {
        d.error(
            t.span(),
            &t.child_path("age_years"),
            "missing required field, expected birth_date or age_years",
        );
    }
    Some(FactBody::Patient(Patient {
        sex: sex?,
        birth_date,
        age_years,
    }))
}

fn comorbidity(Entry { t, d, .. }: Entry<'_, '_, '_, '_>) -> Option<FactBody> {
    let name = string(t, d, "name");
    let icd10 = code(t, d, "icd10", is_icd10, "I10");
    let snomed = code(t, d, "snomed", is_snomed, "38341003");
    let duration_at_least = t.optional(d, "duration_at_least", |n, d| {
        n.quantity(d, Some(Dimension::Time))
    });
    let mut codes = Vec::new();
    if let Some(code) = icd10 {
        codes.push(Coding {
            system: CodeSystem::Icd10,
            code,
        });
    }
    if let Some(code) = snomed {
        codes.push(Coding {
            system: CodeSystem::SnomedCt,
            code,
        });
    }
    Some(FactBody::Comorbidity(Comorbidity {
        name: name?,
        codes,
        duration_at_least,
    }))
}

pub(crate) const NECROSIS: &[(&str, Necrosis)] = &[
    ("none", Necrosis::None),
    ("less_than_50_percent", Necrosis::LessThanHalf),
    ("50_percent_or_more", Necrosis::HalfOrMore),
];

pub(crate) const IHC_RESULTS: &[(&str, IhcResult)] = &[
    ("positive", IhcResult::Positive),
    ("negative", IhcResult::Negative),
    ("focal", IhcResult::Focal),
    ("scattered", IhcResult::Scattered),
    ("weak", IhcResult::Weak),
    ("focal_weak", IhcResult::FocalWeak),
];

fn diagnosis(Entry { t, d, .. }: Entry<'_, '_, '_, '_>) -> Option<FactBody> {
    let histology = string(t, d, "histology");
    let morphology_icdo3 = icdo3_code(
        t,
        d,
        "morphology_icdo3",
        "####/#",
        "an ICD-O-3 morphology code such as \"8890/3\"",
    );
    let site = string(t, d, "site");
    let topography_icdo3 = icdo3_code(
        t,
        d,
        "topography_icdo3",
        "C##.#",
        "an ICD-O-3 topography code such as \"C49.2\"",
    );
    let laterality = t.optional(d, "laterality", |n, d| {
        n.choice(
            d,
            &[
                ("left", Laterality::Left),
                ("right", Laterality::Right),
                ("bilateral", Laterality::Bilateral),
                ("midline", Laterality::Midline),
            ],
        )
    });
    let size = t.optional(d, "size", |n, d| {
        let items = n.array(d)?;
        if items.is_empty() || items.len() > 3 {
            d.error(
                n.span(),
                n.path,
                format!(
                    "expected 1 to 3 lengths such as [\"8 cm\", \"7 cm\"], got {} values",
                    items.len()
                ),
            );
            return None;
        }
        quantities(d, &items, Dimension::Length)
    });
    let depth = t.optional(d, "depth", |n, d| {
        n.choice(
            d,
            &[("superficial", Depth::Superficial), ("deep", Depth::Deep)],
        )
    });
    let given = t.optional(d, "grade", |n, d| {
        n.choice(
            d,
            &[
                ("G1", FnclccGrade::G1),
                ("G2", FnclccGrade::G2),
                ("G3", FnclccGrade::G3),
                ("GX", FnclccGrade::GX),
            ],
        )
    });
    let components = t.optional(d, "fnclcc", |n, d| {
        let mut f = Table::open(d, n.path.to_string(), n.value)?;
        let differentiation_score = f.required(
            d,
            "differentiation_score",
            "an integer from 1 to 3",
            |n, d| n.integer(d, 1, 3),
        );
        let mitoses = f.required(
            d,
            "mitoses_per_10_hpf",
            "an integer of at least 0",
            |n, d| n.integer(d, 0, u32::MAX),
        );
        let necrosis = f.required(
            d,
            "necrosis",
            "\"none\", \"less_than_50_percent\" or \"50_percent_or_more\"",
            |n, d| n.choice(d, NECROSIS),
        );
        f.finish(d);
        Some(FnclccComponents {
            differentiation_score: u8::try_from(differentiation_score?).ok()?,
            mitoses_per_10_hpf: mitoses?,
            necrosis: necrosis?,
        })
    });
    if let (Some(grade), Some(_)) = (t.raw("grade"), t.raw("fnclcc")) {
        d.error(
            grade.span(),
            &t.child_path("grade"),
            "expected either grade or fnclcc, got both",
        );
    }
    let grade = match (given, components) {
        (Some(grade), None) => Some(GradeSource::Given(grade)),
        (None, Some(components)) => Some(GradeSource::Components(components)),
        _ => None,
    };
    let n = t.required(d, "n", "\"N0\" or \"N1\"", |n, d| {
        n.choice(d, &[("N0", NCategory::N0), ("N1", NCategory::N1)])
    });
    let m = t.required(d, "m", "\"M0\" or \"M1\"", |n, d| {
        n.choice(d, &[("M0", MCategory::M0), ("M1", MCategory::M1)])
    });
    let ihc = t
        .optional(d, "ihc", |n, d| {
            let items = n.array(d)?;
            Some(
                items
                    .iter()
                    .filter_map(|(path, value)| ihc_marker(d, path, value))
                    .collect::<Vec<_>>(),
            )
        })
        .unwrap_or_default();
    Some(FactBody::Diagnosis(Diagnosis {
        histology: histology?,
        morphology_icdo3: morphology_icdo3?,
        site: site?,
        topography_icdo3: topography_icdo3?,
        laterality,
        size: size.unwrap_or_default(),
        depth,
        grade,
        n: n?,
        m: m?,
        ihc,
    }))
}

fn ihc_marker(
    d: &mut Diagnostics<'_>,
    path: &str,
    value: &Spanned<DeValue<'_>>,
) -> Option<IhcMarker> {
    let mut t = Table::open(d, path.to_string(), value)?;
    let marker = string(&mut t, d, "marker");
    let clone = optional_string(&mut t, d, "clone");
    let result = t.optional(d, "result", |n, d| n.choice(d, IHC_RESULTS));
    let percent = t.optional(d, "percent", |n, d| n.number(d, 0.0, 100.0));
    if t.raw("result").is_none() && t.raw("percent").is_none() {
        d.error(
            t.span(),
            &t.child_path("result"),
            "missing required field, expected result or percent",
        );
    }
    t.finish(d);
    Some(IhcMarker {
        marker: marker?,
        clone,
        result,
        percent,
    })
}

fn ecog(Entry { t, d, .. }: Entry<'_, '_, '_, '_>) -> Option<FactBody> {
    let score = t.required(d, "score", "an integer from 0 to 5", |n, d| {
        n.integer(d, 0, 5)
    });
    Some(FactBody::PerformanceStatus(PerformanceStatus {
        ecog: u8::try_from(score?).ok()?,
    }))
}

fn rt_phase(Entry { t, d, .. }: Entry<'_, '_, '_, '_>) -> Option<FactBody> {
    let name = string(t, d, "name");
    let techniques = Technique::ALL.map(|technique| (technique.code(), technique));
    let technique = t.required(d, "technique", "a technique such as \"imrt\"", |n, d| {
        n.choice(d, &techniques)
    });
    let target = string(t, d, "target");
    let dose_per_fraction = t.required(
        d,
        "dose_per_fraction",
        "an absorbed dose such as \"4 Gy\"",
        |n, d| n.quantity(d, Some(Dimension::AbsorbedDose)),
    );
    let n_fractions = t.required(d, "fractions", "an integer of at least 1", |n, d| {
        n.integer(d, 1, u32::MAX)
    });
    let fractions_per_week = t.optional(d, "fractions_per_week", |n, d| n.integer(d, 1, 14));
    Some(FactBody::RtPhase(RtPhase {
        name: name?,
        technique: technique?,
        target: target?,
        dose_per_fraction: dose_per_fraction?,
        n_fractions: n_fractions?,
        fractions_per_week,
    }))
}

fn rt_fraction(Entry { t, d, c, .. }: Entry<'_, '_, '_, '_>) -> Option<FactBody> {
    let phase = reference(t, d, c, "phase", "rt_phase");
    let dose = t.optional(d, "dose", |n, d| {
        n.quantity(d, Some(Dimension::AbsorbedDose))
    });
    Some(FactBody::RtFraction(RtFraction {
        phase: phase?,
        dose,
    }))
}

fn drug_regimen(Entry { t, d, .. }: Entry<'_, '_, '_, '_>) -> Option<FactBody> {
    let agent = string(t, d, "agent");
    let route = string(t, d, "route");
    let dose_levels = t.required(
        d,
        "dose_levels",
        "masses such as [\"12 mg\", \"10 mg\"]",
        |n, d| {
            let items = n.array(d)?;
            if items.is_empty() {
                d.error(
                    n.span(),
                    n.path,
                    "expected at least one dose level such as [\"12 mg\"], got an empty array",
                );
                return None;
            }
            let levels = quantities(d, &items, Dimension::Mass)?;
            for (i, pair) in levels.windows(2).enumerate() {
                let (higher, lower) = (
                    pair[0].canonical(Dimension::Mass).ok()?,
                    pair[1].canonical(Dimension::Mass).ok()?,
                );
                if lower >= higher {
                    let (path, value) = &items[i + 1];
                    d.error(
                        value.span(),
                        path,
                        format!(
                            "expected a dose below the previous level ({}), got \"{}\"",
                            pair[0], pair[1]
                        ),
                    );
                    return None;
                }
            }
            Some(levels)
        },
    );
    let days_on = t.required(d, "days_on", "an integer of at least 1", |n, d| {
        n.integer(d, 1, 366)
    });
    let cycle_path = t.child_path("cycle_length_days");
    let cycle = t.required(
        d,
        "cycle_length_days",
        "an integer of at least 1",
        |n, d| Some((n.integer(d, 1, 366)?, n.span())),
    );
    let cycle_length_days = match (days_on, cycle) {
        (Some(on), Some((length, span))) if length < on => {
            d.error(
                span,
                &cycle_path,
                format!("expected at least days_on ({on}), got {length}"),
            );
            None
        }
        (_, cycle) => cycle.map(|(length, _)| length),
    };
    Some(FactBody::DrugRegimen(DrugRegimen {
        agent: agent?,
        route: route?,
        dose_levels: dose_levels?,
        days_on: days_on?,
        cycle_length_days: cycle_length_days?,
    }))
}

fn administration(Entry { t, d, c, .. }: Entry<'_, '_, '_, '_>) -> Option<FactBody> {
    let regimen = reference(t, d, c, "regimen", "drug_regimen");
    let dose = t.required(d, "dose", "a mass such as \"12 mg\"", |n, d| {
        n.quantity(d, Some(Dimension::Mass))
    });
    Some(FactBody::Administration(Administration {
        regimen: regimen?,
        dose: dose?,
    }))
}

fn drug_hold(Entry { t, d, c, date }: Entry<'_, '_, '_, '_>) -> Option<FactBody> {
    let regimen = reference(t, d, c, "regimen", "drug_regimen");
    let resume = t.optional(d, "resume", |n, d| {
        let resume = n.date(d)?;
        match date {
            Some(start) if resume <= start => {
                d.error(
                    n.span(),
                    n.path,
                    format!("expected a date after the hold's start {start}, got {resume}"),
                );
                None
            }
            _ => Some(resume),
        }
    });
    let reason = string(t, d, "reason");
    Some(FactBody::DrugHold(DrugHold {
        regimen: regimen?,
        resume,
        reason: reason?,
    }))
}

fn dose_change(Entry { t, d, c, .. }: Entry<'_, '_, '_, '_>) -> Option<FactBody> {
    let regimen = reference(t, d, c, "regimen", "drug_regimen");
    let path = t.child_path("dose");
    let dose = t.required(d, "dose", "a mass such as \"10 mg\"", |n, d| {
        Some((n.quantity(d, Some(Dimension::Mass))?, n.span()))
    });
    let reason = string(t, d, "reason");
    let (dose, span) = dose?;
    c.ladder_checks.push(LadderCheck {
        path,
        span,
        regimen: regimen.clone()?,
        dose: dose.clone(),
    });
    Some(FactBody::DoseChange(DoseChange {
        regimen: regimen?,
        dose,
        reason: reason?,
    }))
}

fn drug_stop(Entry { t, d, c, .. }: Entry<'_, '_, '_, '_>) -> Option<FactBody> {
    let regimen = reference(t, d, c, "regimen", "drug_regimen");
    let reason = string(t, d, "reason");
    Some(FactBody::DrugStop(DrugStop {
        regimen: regimen?,
        reason: reason?,
    }))
}

fn observation(Entry { t, d, .. }: Entry<'_, '_, '_, '_>) -> Option<FactBody> {
    let name = string(t, d, "name");
    let loinc = code(t, d, "loinc", is_loinc, "777-3");
    let value = t.required(d, "value", OBSERVATION_VALUE, |n, d| {
        n.observation_value(d, OBSERVATION_VALUE)
    });
    let bound = |t: &mut Table<'_, '_>, d: &mut Diagnostics<'_>, key: &'static str| {
        t.optional(d, key, |n, d| {
            let q = n.quantity(d, None)?;
            let problem = match &value {
                Some(ObservationValue::Quantity(v)) if v.unit() != q.unit() => Some(format!(
                    "expected the unit of value ({:?}), got {:?}",
                    v.unit(),
                    q.unit()
                )),
                Some(
                    other @ (ObservationValue::BloodPressure(_) | ObservationValue::Dipstick(_)),
                ) => Some(format!(
                    "expected no reference range: value {:?} is not a single quantity",
                    other.to_string()
                )),
                _ => None,
            };
            match problem {
                Some(message) => {
                    d.error(n.span(), n.path, message);
                    None
                }
                None => Some(q),
            }
        })
    };
    let reference_low = bound(t, d, "reference_low");
    let reference_high = bound(t, d, "reference_high");
    Some(FactBody::Observation(Observation {
        name: name?,
        loinc,
        value: value?,
        reference_low,
        reference_high,
    }))
}

/// What an observation's `value` may be.
const OBSERVATION_VALUE: &str = "a value with a unit such as \"48 10*9/L\", a blood pressure such as \"165/95 mm[Hg]\" or a dipstick reading (negative, trace, 1+ to 4+)";

pub(crate) const ATTRIBUTIONS: &[(&str, Attribution)] = &[
    ("radiotherapy", Attribution::Radiotherapy),
    ("drug", Attribution::Drug),
    ("both", Attribution::Both),
    ("unrelated", Attribution::Unrelated),
];

fn adverse_event(Entry { t, d, date, .. }: Entry<'_, '_, '_, '_>) -> Option<FactBody> {
    let term = string(t, d, "term");
    let grade = t.required(d, "grade", "a CTCAE grade from 1 to 5", |n, d| {
        n.integer(d, 1, 5)
    });
    let resolved = t.optional(d, "resolved", |n, d| {
        let resolved = n.date(d)?;
        match date {
            Some(onset) if resolved < onset => {
                d.error(
                    n.span(),
                    n.path,
                    format!("expected a date on or after the onset {onset}, got {resolved}"),
                );
                None
            }
            _ => Some(resolved),
        }
    });
    let attribution = t.required(
        d,
        "attribution",
        "\"radiotherapy\", \"drug\", \"both\" or \"unrelated\"",
        |n, d| n.choice(d, ATTRIBUTIONS),
    );
    Some(FactBody::AdverseEvent(AdverseEvent {
        term: term?,
        grade: u8::try_from(grade?).ok()?,
        resolved,
        attribution: attribution?,
    }))
}

fn procedure(Entry { t, d, .. }: Entry<'_, '_, '_, '_>) -> Option<FactBody> {
    let name = string(t, d, "name");
    let snomed = code(t, d, "snomed", is_snomed, "36777000");
    let site = optional_string(t, d, "site");
    Some(FactBody::Procedure(Procedure {
        name: name?,
        snomed,
        site,
    }))
}

fn imaging(Entry { t, d, .. }: Entry<'_, '_, '_, '_>) -> Option<FactBody> {
    let modality = string(t, d, "modality");
    let conclusion = optional_string(t, d, "conclusion");
    let lesions: Vec<Option<Lesion>> = entries(d, t, "lesion")
        .into_iter()
        .map(|(path, value)| lesion(d, path, value))
        .collect();
    let lesions: Option<Vec<Lesion>> = lesions.into_iter().collect();
    Some(FactBody::Imaging(ImagingAssessment {
        modality: modality?,
        lesions: lesions?,
        conclusion,
    }))
}

fn lesion(d: &mut Diagnostics<'_>, path: String, value: &Spanned<DeValue<'_>>) -> Option<Lesion> {
    let mut t = Table::open(d, path, value)?;
    let name = string(&mut t, d, "name");
    let diameters = t.required(d, "diameters", "lengths such as [\"68 mm\"]", |n, d| {
        let items = n.array(d)?;
        if items.is_empty() {
            d.error(
                n.span(),
                n.path,
                "expected at least one length such as [\"68 mm\"], got an empty array",
            );
            return None;
        }
        quantities(d, &items, Dimension::Length)
    });
    let density = t.optional(d, "density", |n, d| {
        n.quantity(d, Some(Dimension::Radiodensity))
    });
    let volume = t.optional(d, "volume", |n, d| n.quantity(d, Some(Dimension::Volume)));
    t.finish(d);
    Some(Lesion {
        name: name?,
        diameters: diameters?,
        density,
        volume,
    })
}

fn disease_event(Entry { t, d, .. }: Entry<'_, '_, '_, '_>) -> Option<FactBody> {
    let kind = t.required(
        d,
        "kind",
        "\"progression\", \"recurrence\", \"death\" or \"last_contact\"",
        |n, d| {
            n.choice(
                d,
                &[
                    ("progression", DiseaseEventKind::Progression),
                    ("recurrence", DiseaseEventKind::Recurrence),
                    ("death", DiseaseEventKind::Death),
                    ("last_contact", DiseaseEventKind::LastContact),
                ],
            )
        },
    );
    let status = optional_string(t, d, "status");
    Some(FactBody::DiseaseEvent(DiseaseEvent {
        kind: kind?,
        status,
    }))
}
