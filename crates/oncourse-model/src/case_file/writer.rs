//! Record → case-file text: the inverse of [`super::parse_case_file`].
//!
//! Each fact is written as its own array-of-tables block (`[[diagnosis]]`,
//! `[[radiotherapy.phase]]`, ...) in record order, so `parse_case_file(write_case_file(r)) == r`
//! for any record the parser can produce. Comments are not kept: a record does not hold them.

use std::fmt::Write;

use chrono::NaiveDate;

use super::FORMAT;
use super::sections::{ATTRIBUTIONS, IHC_RESULTS, NECROSIS};
use crate::diagnosis::{Depth, GradeSource, Laterality};
use crate::disease_event::DiseaseEventKind;
use crate::fact::{Fact, FactBody};
use crate::grade::FnclccGrade;
use crate::patient::{CodeSystem, Sex};
use crate::quantity::Quantity;
use crate::record::Record;
use crate::stage::{MCategory, NCategory};

/// Writes a record as a case file (`oncourse-case/1`).
pub fn write_case_file(record: &Record) -> String {
    format!(
        "format = {}\n{}",
        string(FORMAT),
        write_facts(record.facts())
    )
}

/// Writes facts as case-file blocks, each preceded by a blank line: appended to a case file,
/// they add those facts to it (the case file's other text, comments included, stays as it is).
pub fn write_facts(facts: &[Fact]) -> String {
    let mut out = String::new();
    for fact in facts {
        out.push('\n');
        write_fact(&mut out, fact);
    }
    out
}

/// A TOML basic string with its escapes.
fn string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn quantity(q: &Quantity) -> String {
    string(&q.to_string())
}

fn word<T: PartialEq + Copy>(table: &[(&'static str, T)], value: T) -> &'static str {
    table
        .iter()
        .find(|(_, v)| *v == value)
        .map(|(w, _)| *w)
        .expect("every value has a case-file word")
}

struct Block<'o> {
    out: &'o mut String,
}

impl Block<'_> {
    fn raw(&mut self, key: &str, value: impl std::fmt::Display) {
        writeln!(self.out, "{key} = {value}").expect("writing to a String");
    }

    fn text(&mut self, key: &str, value: &str) {
        self.raw(key, string(value));
    }

    fn opt_text(&mut self, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.text(key, value);
        }
    }

    fn date(&mut self, key: &str, value: NaiveDate) {
        self.raw(key, value);
    }

    fn quantity(&mut self, key: &str, value: &Quantity) {
        self.raw(key, quantity(value));
    }
}

fn write_fact(out: &mut String, fact: &Fact) {
    let header = match &fact.body {
        FactBody::Patient(_) => "patient",
        FactBody::Comorbidity(_) => "comorbidity",
        FactBody::Diagnosis(_) => "diagnosis",
        FactBody::PerformanceStatus(_) => "ecog",
        FactBody::RtPhase(_) => "radiotherapy.phase",
        FactBody::RtFraction(_) => "radiotherapy.fraction",
        FactBody::DrugRegimen(_) => "drug.regimen",
        FactBody::Administration(_) => "drug.administration",
        FactBody::DrugHold(_) => "drug.hold",
        FactBody::DoseChange(_) => "drug.dose_change",
        FactBody::DrugStop(_) => "drug.stop",
        FactBody::Observation(_) => "observation",
        FactBody::AdverseEvent(_) => "adverse_event",
        FactBody::Procedure(_) => "procedure",
        FactBody::Imaging(_) => "imaging",
        FactBody::DiseaseEvent(_) => "disease_event",
    };
    writeln!(out, "[[{header}]]").expect("writing to a String");
    let mut b = Block { out };
    b.text("id", &fact.id.0);
    b.date("date", fact.date);
    if let Some(target) = &fact.supersedes {
        b.text("supersedes", &target.0);
    }
    if fact.illustrative {
        b.raw("illustrative", true);
    }
    b.opt_text("note", fact.note.as_deref());
    match &fact.body {
        FactBody::Patient(p) => {
            b.text(
                "sex",
                match p.sex {
                    Sex::Female => "female",
                    Sex::Male => "male",
                    Sex::Other => "other",
                },
            );
            if let Some(birth) = p.birth_date {
                b.date("birth_date", birth);
            }
            if let Some(age) = p.age_years {
                b.raw("age_years", age);
            }
        }
        FactBody::Comorbidity(c) => {
            b.text("name", &c.name);
            for (system, key) in [
                (CodeSystem::Icd10, "icd10"),
                (CodeSystem::SnomedCt, "snomed"),
            ] {
                if let Some(code) = c.codes.iter().find(|code| code.system == system) {
                    b.text(key, &code.code);
                }
            }
            if let Some(duration) = &c.duration_at_least {
                b.quantity("duration_at_least", duration);
            }
        }
        FactBody::Diagnosis(d) => {
            b.text("histology", &d.histology);
            b.text("morphology_icdo3", &d.morphology_icdo3);
            b.text("site", &d.site);
            b.text("topography_icdo3", &d.topography_icdo3);
            if let Some(laterality) = d.laterality {
                b.text(
                    "laterality",
                    match laterality {
                        Laterality::Left => "left",
                        Laterality::Right => "right",
                        Laterality::Bilateral => "bilateral",
                        Laterality::Midline => "midline",
                    },
                );
            }
            if !d.size.is_empty() {
                let sizes: Vec<String> = d.size.iter().map(quantity).collect();
                b.raw("size", format!("[{}]", sizes.join(", ")));
            }
            if let Some(depth) = d.depth {
                b.text(
                    "depth",
                    match depth {
                        Depth::Superficial => "superficial",
                        Depth::Deep => "deep",
                    },
                );
            }
            match &d.grade {
                None => {}
                Some(GradeSource::Given(grade)) => b.text(
                    "grade",
                    match grade {
                        FnclccGrade::G1 => "G1",
                        FnclccGrade::G2 => "G2",
                        FnclccGrade::G3 => "G3",
                        FnclccGrade::GX => "GX",
                    },
                ),
                Some(GradeSource::Components(c)) => b.raw(
                    "fnclcc",
                    format!(
                        "{{ differentiation_score = {}, mitoses_per_10_hpf = {}, necrosis = {} }}",
                        c.differentiation_score,
                        c.mitoses_per_10_hpf,
                        string(word(NECROSIS, c.necrosis))
                    ),
                ),
            }
            b.text(
                "n",
                match d.n {
                    NCategory::N0 => "N0",
                    NCategory::N1 => "N1",
                },
            );
            b.text(
                "m",
                match d.m {
                    MCategory::M0 => "M0",
                    MCategory::M1 => "M1",
                },
            );
            if !d.ihc.is_empty() {
                let mut lines = String::from("[\n");
                for marker in &d.ihc {
                    let mut fields = vec![format!("marker = {}", string(&marker.marker))];
                    if let Some(clone) = &marker.clone {
                        fields.push(format!("clone = {}", string(clone)));
                    }
                    if let Some(result) = marker.result {
                        fields.push(format!("result = {}", string(word(IHC_RESULTS, result))));
                    }
                    if let Some(percent) = marker.percent {
                        fields.push(format!("percent = {percent}"));
                    }
                    writeln!(lines, "  {{ {} }},", fields.join(", ")).expect("writing to a String");
                }
                lines.push(']');
                b.raw("ihc", lines);
            }
        }
        FactBody::PerformanceStatus(p) => b.raw("score", p.ecog),
        FactBody::RtPhase(p) => {
            b.text("name", &p.name);
            b.text("technique", p.technique.code());
            b.text("target", &p.target);
            b.quantity("dose_per_fraction", &p.dose_per_fraction);
            b.raw("fractions", p.n_fractions);
            if let Some(per_week) = p.fractions_per_week {
                b.raw("fractions_per_week", per_week);
            }
        }
        FactBody::RtFraction(f) => {
            b.text("phase", &f.phase.0);
            if let Some(dose) = &f.dose {
                b.quantity("dose", dose);
            }
        }
        FactBody::DrugRegimen(r) => {
            b.text("agent", &r.agent);
            b.text("route", &r.route);
            let levels: Vec<String> = r.dose_levels.iter().map(quantity).collect();
            b.raw("dose_levels", format!("[{}]", levels.join(", ")));
            b.raw("days_on", r.days_on);
            b.raw("cycle_length_days", r.cycle_length_days);
        }
        FactBody::Administration(a) => {
            b.text("regimen", &a.regimen.0);
            b.quantity("dose", &a.dose);
        }
        FactBody::DrugHold(h) => {
            b.text("regimen", &h.regimen.0);
            if let Some(resume) = h.resume {
                b.date("resume", resume);
            }
            b.text("reason", &h.reason);
        }
        FactBody::DoseChange(c) => {
            b.text("regimen", &c.regimen.0);
            b.quantity("dose", &c.dose);
            b.text("reason", &c.reason);
        }
        FactBody::DrugStop(s) => {
            b.text("regimen", &s.regimen.0);
            b.text("reason", &s.reason);
        }
        FactBody::Observation(o) => {
            b.text("name", &o.name);
            b.opt_text("loinc", o.loinc.as_deref());
            b.raw("value", string(&o.value.to_string()));
            if let Some(low) = &o.reference_low {
                b.quantity("reference_low", low);
            }
            if let Some(high) = &o.reference_high {
                b.quantity("reference_high", high);
            }
        }
        FactBody::AdverseEvent(e) => {
            b.text("term", &e.term);
            b.raw("grade", e.grade);
            b.text("attribution", word(ATTRIBUTIONS, e.attribution));
            if let Some(resolved) = e.resolved {
                b.date("resolved", resolved);
            }
        }
        FactBody::Procedure(p) => {
            b.text("name", &p.name);
            b.opt_text("snomed", p.snomed.as_deref());
            b.opt_text("site", p.site.as_deref());
        }
        FactBody::Imaging(i) => {
            b.text("modality", &i.modality);
            b.opt_text("conclusion", i.conclusion.as_deref());
            for lesion in &i.lesions {
                b.out.push_str("[[imaging.lesion]]\n");
                b.text("name", &lesion.name);
                let diameters: Vec<String> = lesion.diameters.iter().map(quantity).collect();
                b.raw("diameters", format!("[{}]", diameters.join(", ")));
                if let Some(density) = &lesion.density {
                    b.quantity("density", density);
                }
                if let Some(volume) = &lesion.volume {
                    b.quantity("volume", volume);
                }
            }
        }
        FactBody::DiseaseEvent(e) => {
            b.text(
                "kind",
                match e.kind {
                    DiseaseEventKind::Progression => "progression",
                    DiseaseEventKind::Recurrence => "recurrence",
                    DiseaseEventKind::Death => "death",
                    DiseaseEventKind::LastContact => "last_contact",
                },
            );
            b.opt_text("status", e.status.as_deref());
        }
    }
}
