//! FHIR R4 Bundle (or a single resource) → Record.
//!
//! Tolerant of what EHRs send: resource types oncourse does not use, unknown extensions and
//! resources it cannot map are skipped with a [`Warning`], never a crash. Strict about what the
//! engine needs: malformed JSON, an element of the wrong type, a missing required element, a
//! measured value without a UCUM unit are [`ImportError`]s naming the resource and element path.
//!
//! Resources written by [`crate::export_bundle`] carry the oncourse fact extension and map back
//! exactly; resources from elsewhere map on a best-effort basis from their standard elements.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use oncourse_model::adverse_event::{AdverseEvent as ModelAdverseEvent, Attribution};
use oncourse_model::case_file::{CaseFileErrors, parse_case_file, write_case_file};
use oncourse_model::diagnosis::{Depth, Diagnosis, GradeSource, IhcMarker, IhcResult};
use oncourse_model::disease_event::{DiseaseEvent, DiseaseEventKind};
use oncourse_model::drug::{Administration, DoseChange, DrugHold, DrugRegimen, DrugStop};
use oncourse_model::grade::{FnclccComponents, FnclccGrade, Necrosis};
use oncourse_model::imaging::{ImagingAssessment, Lesion};
use oncourse_model::observation::{
    BloodPressure, Dipstick, DipstickValue, Observation as ModelObservation, ObservationValue,
};
use oncourse_model::patient::{
    CodeSystem, Coding as ModelCoding, Comorbidity, Patient as ModelPatient, PerformanceStatus, Sex,
};
use oncourse_model::procedure::Procedure as ModelProcedure;
use oncourse_model::radiotherapy::{RtFraction, RtPhase, Technique};
use oncourse_model::stage::{MCategory, NCategory};
use oncourse_model::{Fact, FactBody, FactId, Record};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::codes::{self, ext_field};
use crate::error::{ImportError, ImportErrors, Warning};
use crate::export::{ihc_code, necrosis_code};
use crate::types::*;

/// A successful import: the record and what was skipped.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The facts read.
    pub record: Record,
    /// Resources and elements that were skipped, with why.
    pub warnings: Vec<Warning>,
}

impl Imported {
    /// The record written as a case file and read back, as `oncourse check` reads it. A code
    /// that FHIR allows but the case file does not (an ICD-10 code of another shape, say) would
    /// make a case the project rejects elsewhere, so such an import is refused here, with the
    /// case-file errors. Returns the case-file text and the record read from it.
    pub fn as_case_file(&self) -> Result<(String, Record), CaseFileErrors> {
        let text = write_case_file(&self.record);
        let record = parse_case_file("(the imported bundle as a case file)", &text)?;
        Ok((text, record))
    }
}

/// Imports a Bundle, or a single resource, from JSON text.
pub fn import_json(text: &str) -> Result<Imported, ImportErrors> {
    import_value(parse_json(text)?)
}

/// Parses JSON text; malformed JSON is an error at its line and column.
pub(crate) fn parse_json(text: &str) -> Result<Value, ImportErrors> {
    serde_json::from_str(text).map_err(|e| {
        ImportErrors(vec![ImportError::Json {
            line: e.line(),
            column: e.column(),
            message: e
                .to_string()
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_string(),
        }])
    })
}

/// Imports a Bundle, or a single resource, already parsed as JSON.
pub fn import_value(value: Value) -> Result<Imported, ImportErrors> {
    let mut importer = Importer::default();
    importer.read(value);
    importer.finish()
}

/// One typed resource with where it came from.
struct Entry {
    label: String,
    resource: Resource,
}

#[derive(Default)]
struct Importer {
    entries: Vec<Entry>,
    errors: Vec<ImportError>,
    warnings: Vec<Warning>,
}

fn element(location: impl Into<String>, message: impl Into<String>) -> ImportError {
    ImportError::Element {
        location: location.into(),
        message: message.into(),
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

impl Importer {
    fn read(&mut self, value: Value) {
        let Value::Object(mut root) = value else {
            self.errors.push(element(
                "(root)",
                format!(
                    "expected a FHIR resource object with a resourceType, got {}",
                    describe(&value)
                ),
            ));
            return;
        };
        match root.get("resourceType") {
            Some(Value::String(t)) if t == "Bundle" => match root.remove("entry") {
                None => {}
                Some(Value::Array(entries)) => {
                    for (i, entry) in entries.into_iter().enumerate() {
                        let at = format!("Bundle.entry[{i}]");
                        match entry {
                            Value::Object(mut entry) => match entry.remove("resource") {
                                Some(resource) => {
                                    self.resource(&format!("{at}.resource"), resource)
                                }
                                None => self.warnings.push(Warning {
                                    location: at,
                                    message: "entry without a resource skipped".into(),
                                }),
                            },
                            other => self.errors.push(element(
                                at,
                                format!("expected an entry object, got {}", describe(&other)),
                            )),
                        }
                    }
                }
                Some(other) => self.errors.push(element(
                    "Bundle.entry",
                    format!("expected an array of entries, got {}", describe(&other)),
                )),
            },
            Some(Value::String(_)) => self.resource("(root)", Value::Object(root)),
            Some(other) => self.errors.push(element(
                "(root).resourceType",
                format!("expected a resource type name, got {}", describe(other)),
            )),
            None => self.errors.push(element(
                "(root).resourceType",
                "missing required element, expected a resource type such as \"Bundle\"",
            )),
        }
    }

    fn resource(&mut self, at: &str, value: Value) {
        let Value::Object(object) = &value else {
            self.errors.push(element(
                at,
                format!("expected a resource object, got {}", describe(&value)),
            ));
            return;
        };
        let resource_type = match object.get("resourceType") {
            Some(Value::String(t)) => t.clone(),
            Some(other) => {
                self.errors.push(element(
                    format!("{at}.resourceType"),
                    format!("expected a resource type name, got {}", describe(other)),
                ));
                return;
            }
            None => {
                self.errors.push(element(
                    format!("{at}.resourceType"),
                    "missing required element, expected a resource type such as \"Observation\"",
                ));
                return;
            }
        };
        let label = match object.get("id") {
            Some(Value::String(id)) => format!("{resource_type}/{id}"),
            _ if at == "(root)" => resource_type.clone(),
            _ => format!("{at} ({resource_type})"),
        };
        if !Resource::TYPED.contains(&resource_type.as_str()) {
            self.warnings.push(Warning {
                location: label,
                message: format!("{resource_type} is not used by oncourse; skipped"),
            });
            return;
        }
        let typed = match resource_type.as_str() {
            "Patient" => typed(&label, value).map(Resource::Patient),
            "Condition" => typed(&label, value).map(Resource::Condition),
            "Observation" => typed(&label, value).map(Resource::Observation),
            "Procedure" => typed(&label, value).map(Resource::Procedure),
            "BodyStructure" => typed(&label, value).map(Resource::BodyStructure),
            "MedicationRequest" => typed(&label, value).map(Resource::MedicationRequest),
            "MedicationAdministration" => {
                typed(&label, value).map(Resource::MedicationAdministration)
            }
            "AdverseEvent" => typed(&label, value).map(Resource::AdverseEvent),
            _ => typed(&label, value).map(Resource::DiagnosticReport),
        };
        match typed {
            Ok(resource) => self.entries.push(Entry { label, resource }),
            Err(error) => self.errors.push(error),
        }
    }

    fn finish(mut self) -> Result<Imported, ImportErrors> {
        let facts = Mapper::new(&self.entries, &mut self.errors, &mut self.warnings).facts();
        if self.errors.is_empty() {
            Ok(Imported {
                record: Record::new(facts),
                warnings: self.warnings,
            })
        } else {
            Err(ImportErrors(self.errors))
        }
    }
}

/// Deserialises one resource, locating a type error at its element path.
fn typed<T: DeserializeOwned>(label: &str, value: Value) -> Result<T, ImportError> {
    let located = |e: serde_path_to_error::Error<serde_json::Error>| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        if path != "." && !path.is_empty() {
            element(format!("{label}.{path}"), message)
        } else {
            element(label, message)
        }
    };
    match serde_path_to_error::deserialize::<_, T>(value.clone()) {
        Ok(resource) => Ok(resource),
        // serde loses the path inside a flattened struct: the id, meta and extensions every
        // resource shares. Typing those alone locates the error.
        Err(e) if e.path().to_string() == "." => {
            Err(match serde_path_to_error::deserialize::<_, Header>(value) {
                Err(header_error) => located(header_error),
                Ok(_) => located(e),
            })
        }
        Err(e) => Err(located(e)),
    }
}

/// The value of one oncourse fact extension.
#[derive(Default)]
struct FactMeta {
    id: Option<String>,
    date: Option<String>,
    illustrative: bool,
    supersedes: Option<String>,
    note: Option<String>,
}

fn fact_meta(header: &Header) -> Option<FactMeta> {
    let ext = find_extension(&header.extension, &codes::ext_fact())?;
    let sub = |name: &str| find_extension(&ext.extension, name);
    Some(FactMeta {
        id: sub("id").and_then(|e| e.value_string.clone()),
        date: sub("date").and_then(|e| e.value_date.clone()),
        illustrative: sub("illustrative")
            .and_then(|e| e.value_boolean)
            .unwrap_or(false),
        supersedes: sub("supersedes").and_then(|e| e.value_string.clone()),
        note: sub("note").and_then(|e| e.value_string.clone()),
    })
}

/// What one resource is to oncourse.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A fact.
    Fact,
    /// Part of another fact (a diagnosis's TNM, an imaging study's lesion, a volume).
    Part,
}

struct Mapper<'a> {
    entries: &'a [Entry],
    errors: &'a mut Vec<ImportError>,
    warnings: &'a mut Vec<Warning>,
    /// `Type/id` → index into entries.
    by_ref: BTreeMap<String, usize>,
    /// Index → fact id, for the resources that are facts.
    fact_ids: BTreeMap<usize, FactId>,
    roles: Vec<Role>,
    patient: Option<usize>,
    /// Observation index → the condition whose `stage.assessment` names it (or names the
    /// stage group it is a member of).
    staged: BTreeMap<usize, usize>,
}

impl<'a> Mapper<'a> {
    fn new(
        entries: &'a [Entry],
        errors: &'a mut Vec<ImportError>,
        warnings: &'a mut Vec<Warning>,
    ) -> Self {
        let mut by_ref = BTreeMap::new();
        for (i, entry) in entries.iter().enumerate() {
            if let Some(id) = &entry.resource.header().id {
                by_ref
                    .entry(format!("{}/{id}", entry.resource.resource_type()))
                    .or_insert(i);
            }
        }
        let mut mapper = Mapper {
            entries,
            errors,
            warnings,
            by_ref,
            fact_ids: BTreeMap::new(),
            roles: vec![Role::Fact; entries.len()],
            patient: None,
            staged: BTreeMap::new(),
        };
        for (i, entry) in entries.iter().enumerate() {
            let Resource::Condition(condition) = &entry.resource else {
                continue;
            };
            for reference in condition.stage.iter().flat_map(|s| &s.assessment) {
                let Some(j) = mapper.resolve(reference, "Observation") else {
                    continue;
                };
                mapper.staged.insert(j, i);
                if let Resource::Observation(group) = &entries[j].resource {
                    for member in &group.has_member {
                        if let Some(k) = mapper.resolve(member, "Observation") {
                            mapper.staged.insert(k, i);
                        }
                    }
                }
            }
        }
        mapper.assign_roles();
        mapper
    }

    fn warn(&mut self, location: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            location: location.into(),
            message: message.into(),
        });
    }

    fn resolve(&self, reference: &Reference, resource_type: &str) -> Option<usize> {
        let id = reference.id_of(resource_type)?;
        self.by_ref.get(&format!("{resource_type}/{id}")).copied()
    }

    /// Marks the parts of other facts, picks the patient and gives every fact an id.
    fn assign_roles(&mut self) {
        for (i, entry) in self.entries.iter().enumerate() {
            match &entry.resource {
                Resource::BodyStructure(_) => self.roles[i] = Role::Part,
                Resource::Observation(o)
                    if fact_meta(&o.header).is_none() && self.diagnosis_part(i, o).is_some() =>
                {
                    self.roles[i] = Role::Part;
                }
                Resource::DiagnosticReport(report) => {
                    for reference in &report.result {
                        if let Some(j) = self.resolve(reference, "Observation")
                            && matches!(&self.entries[j].resource, Resource::Observation(o) if is_tumor_size(o))
                        {
                            self.roles[j] = Role::Part;
                        }
                    }
                }
                _ => {}
            }
        }
        let mut used = BTreeSet::new();
        for (i, entry) in self.entries.iter().enumerate() {
            if self.roles[i] != Role::Fact {
                continue;
            }
            if matches!(entry.resource, Resource::Patient(_)) {
                if self.patient.is_some() {
                    self.warnings.push(Warning {
                        location: entry.label.clone(),
                        message: "a second patient; a record holds one patient, skipped".into(),
                    });
                    self.roles[i] = Role::Part;
                    continue;
                }
                self.patient = Some(i);
            }
            let header = entry.resource.header();
            let wanted = fact_meta(header)
                .and_then(|m| m.id)
                .or_else(|| header.id.clone())
                .unwrap_or_else(|| {
                    format!(
                        "{}-{}",
                        entry.resource.resource_type().to_lowercase(),
                        i + 1
                    )
                });
            let wanted: String = wanted
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                        c
                    } else {
                        '-'
                    }
                })
                .collect();
            let mut id = wanted.clone();
            let mut n = 2;
            while !used.insert(id.clone()) {
                id = format!("{wanted}-{n}");
                n += 1;
            }
            self.fact_ids.insert(i, FactId(id));
        }
    }

    /// The condition an observation belongs to, if it is a TNM category, stage group, grade,
    /// tumour size or tumour marker of a condition in this bundle.
    fn diagnosis_part(&self, j: usize, o: &Observation) -> Option<usize> {
        let related = o
            .header
            .extension
            .iter()
            .filter(|e| e.url == codes::EXT_RELATED_CONDITION)
            .filter_map(|e| e.value_reference.as_ref());
        let linked = o
            .focus
            .iter()
            .chain(related)
            .find_map(|r| self.resolve(r, "Condition"))
            .or_else(|| self.staged.get(&j).copied())?;
        let part = tnm_kind(o).is_some()
            || is_tumor_size(o)
            || o.header.claims(codes::HISTOLOGIC_GRADE)
            || o.code
                .as_ref()
                .is_some_and(|c| c.has(codes::NCIT, codes::HISTOLOGIC_GRADE_CODE))
            || o.header.claims(codes::TUMOR_MARKER_TEST);
        part.then_some(linked)
    }

    fn fact_id_of(&self, reference: Option<&Reference>, resource_type: &str) -> Option<FactId> {
        let i = self.resolve(reference?, resource_type)?;
        self.fact_ids.get(&i).cloned()
    }

    fn facts(mut self) -> Vec<Fact> {
        let mut facts = Vec::new();
        let mut earliest: Option<NaiveDate> = None;
        let mut patient_fact = None;
        for i in 0..self.entries.len() {
            let Some(id) = self.fact_ids.get(&i).cloned() else {
                continue;
            };
            let entry = &self.entries[i];
            let meta = fact_meta(entry.resource.header()).unwrap_or_default();
            let label = entry.label.clone();
            let errors_before = self.errors.len();
            let mapped = self.body(i);
            if self.errors.len() > errors_before {
                continue;
            }
            let Some((body, standard_date)) = mapped else {
                continue;
            };
            let date_text = meta.date.clone().or(standard_date);
            let date = match date_text.as_deref().map(parse_date) {
                Some(Ok(date)) => Some(date),
                Some(Err(message)) => {
                    self.warn(&label, format!("{message}; skipped"));
                    continue;
                }
                None => None,
            };
            let fact = Fact {
                id,
                date: date.unwrap_or_default(),
                supersedes: meta.supersedes.clone().map(FactId),
                illustrative: meta.illustrative,
                note: meta.note.clone(),
                body,
            };
            if matches!(fact.body, FactBody::Patient(_)) && date.is_none() {
                patient_fact = Some(facts.len());
            } else if date.is_none() {
                self.warn(
                    &label,
                    "no date (expected an effective, performed, onset or authored date); skipped",
                );
                continue;
            } else {
                earliest = earliest.min(date).or(date);
            }
            facts.push(fact);
        }
        // A patient from elsewhere has no admission date: it is dated at the record's first fact,
        // or at birth when the record has no other fact.
        if let Some(k) = patient_fact {
            let birth = match &facts[k].body {
                FactBody::Patient(p) => p.birth_date,
                _ => None,
            };
            match earliest.or(birth) {
                Some(date) => facts[k].date = date,
                None => {
                    let location = self
                        .patient
                        .map(|i| self.entries[i].label.clone())
                        .unwrap_or_default();
                    self.warn(
                        &location,
                        "no date to anchor the patient (no birth date and no dated fact); skipped",
                    );
                    facts.remove(k);
                }
            }
        }
        facts
    }

    /// The body of fact `i` and its standard date element, or `None` (with a warning) when the
    /// resource cannot be mapped.
    fn body(&mut self, i: usize) -> Option<(FactBody, Option<String>)> {
        let entry = &self.entries[i];
        let label = entry.label.as_str();
        match &entry.resource {
            Resource::Patient(p) => self.patient(label, p).map(|b| (b, None)),
            Resource::Condition(c) => {
                if c.header.claims(codes::PRIMARY_CANCER_CONDITION)
                    || find_extension(&c.header.extension, codes::EXT_HISTOLOGY).is_some()
                {
                    let date = c
                        .onset_date_time
                        .clone()
                        .or_else(|| c.recorded_date.clone());
                    self.diagnosis(i, label, c).map(|b| (b, date))
                } else {
                    let date = c
                        .recorded_date
                        .clone()
                        .or_else(|| c.onset_date_time.clone());
                    self.comorbidity(label, c).map(|b| (b, date))
                }
            }
            Resource::Observation(o) => {
                let date = o
                    .effective_date_time
                    .clone()
                    .or_else(|| o.effective_period.as_ref().and_then(|p| p.start.clone()));
                self.observation(label, o).map(|b| (b, date))
            }
            Resource::Procedure(p) => {
                let date = p
                    .performed_date_time
                    .clone()
                    .or_else(|| p.performed_period.as_ref().and_then(|p| p.start.clone()));
                self.procedure(label, p).map(|b| (b, date))
            }
            Resource::MedicationRequest(m) => {
                let date = m.authored_on.clone();
                self.medication_request(label, m).map(|b| (b, date))
            }
            Resource::MedicationAdministration(m) => {
                let date = m
                    .effective_date_time
                    .clone()
                    .or_else(|| m.effective_period.as_ref().and_then(|p| p.start.clone()));
                self.administration(label, m).map(|b| (b, date))
            }
            Resource::AdverseEvent(a) => self.adverse_event(label, a).map(|b| (b, a.date.clone())),
            Resource::DiagnosticReport(r) => {
                let date = r.effective_date_time.clone();
                self.imaging(label, r).map(|b| (b, date))
            }
            Resource::BodyStructure(_) => None,
        }
    }

    fn patient(&mut self, label: &str, p: &Patient) -> Option<FactBody> {
        let sex = match p.gender.as_deref() {
            Some("female") => Sex::Female,
            Some("male") => Sex::Male,
            Some("other" | "unknown") | None => Sex::Other,
            Some(other) => {
                self.errors.push(element(
                    format!("{label}.gender"),
                    format!(
                        "expected \"male\", \"female\", \"other\" or \"unknown\", got {other:?}"
                    ),
                ));
                return None;
            }
        };
        let birth_date = match p.birth_date.as_deref().map(parse_date) {
            Some(Ok(date)) => Some(date),
            Some(Err(message)) => {
                self.warn(
                    &format!("{label}.birthDate"),
                    format!("{message}; birth date not used"),
                );
                None
            }
            None => None,
        };
        let age_years = find_extension(&p.header.extension, &ext_field("age-years"))
            .and_then(|e| e.value_quantity.as_ref())
            .and_then(Quantity::number)
            .map(|v| v as u32);
        if birth_date.is_none() && age_years.is_none() {
            self.warn(
                label,
                "neither a birth date nor an age; the patient is skipped",
            );
            return None;
        }
        Some(FactBody::Patient(ModelPatient {
            sex,
            birth_date,
            age_years,
        }))
    }

    fn comorbidity(&mut self, label: &str, c: &Condition) -> Option<FactBody> {
        let Some(code) = &c.code else {
            self.warn(label, "a condition without a code; skipped");
            return None;
        };
        let Some(name) = code.label() else {
            self.warn(
                &format!("{label}.code"),
                "a condition code without text or codes; skipped",
            );
            return None;
        };
        // The first ICD-10 (WHO) and the first SNOMED CT code: what a case file holds.
        let codes = [
            (codes::ICD10, CodeSystem::Icd10),
            (codes::SNOMED, CodeSystem::SnomedCt),
        ]
        .into_iter()
        .filter_map(|(uri, system)| {
            Some(ModelCoding {
                system,
                code: code.code_in(uri)?.to_string(),
            })
        })
        .collect();
        let duration_at_least =
            match find_extension(&c.header.extension, &ext_field("duration-at-least"))
                .and_then(|e| e.value_quantity.as_ref())
            {
                Some(q) => Some(self.quantity(
                    &format!("{label}.extension(duration-at-least).valueQuantity"),
                    q,
                )?),
                None => None,
            };
        Some(FactBody::Comorbidity(Comorbidity {
            name: name.to_string(),
            codes,
            duration_at_least,
        }))
    }

    fn diagnosis(&mut self, i: usize, label: &str, c: &Condition) -> Option<FactBody> {
        let Some(histology) = c.code.as_ref().and_then(CodeableConcept::label) else {
            self.warn(
                label,
                "a cancer condition without a code; diagnosis skipped",
            );
            return None;
        };
        let morphology = find_extension(&c.header.extension, codes::EXT_HISTOLOGY)
            .and_then(|e| e.value_codeable_concept.as_ref())
            .and_then(|cc| cc.code_in(codes::ICD_O_3));
        let site = c.body_site.first();
        let topography = site.and_then(|s| s.code_in(codes::ICD_O_3));
        let (Some(morphology), Some(site), Some(topography)) = (morphology, site, topography)
        else {
            self.warn(
                label,
                "a cancer condition without ICD-O-3 morphology (histology extension) and topography (bodySite) codes; diagnosis skipped",
            );
            return None;
        };
        let laterality = site
            .other
            .get("extension")
            .and_then(|v| serde_json::from_value::<Vec<Extension>>(v.clone()).ok())
            .and_then(|exts| {
                let cc = find_extension(&exts, codes::EXT_LATERALITY)?
                    .value_codeable_concept
                    .clone()?;
                codes::LATERALITY
                    .iter()
                    .find(|(_, code, _)| cc.has(codes::SNOMED, code))
                    .map(|(l, _, _)| *l)
            });
        let depth = find_extension(&c.header.extension, &ext_field("depth"))
            .and_then(|e| e.value_code.as_deref())
            .and_then(|d| match d {
                "superficial" => Some(Depth::Superficial),
                "deep" => Some(Depth::Deep),
                _ => None,
            });
        // The observations that belong to this condition, in bundle order.
        let parts: Vec<(usize, &Observation)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(j, e)| match &e.resource {
                Resource::Observation(o)
                    if self.roles[j] == Role::Part && self.diagnosis_part(j, o) == Some(i) =>
                {
                    Some((j, o))
                }
                _ => None,
            })
            .collect();
        let mut n = None;
        let mut m = None;
        let mut size = Vec::new();
        let mut grade = None;
        let mut ihc = Vec::new();
        for (j, o) in parts {
            let at = self.entries[j].label.clone();
            match tnm_kind(o) {
                Some('N') => {
                    n = category(o, &['N']).map(|v| {
                        if v == "N0" {
                            NCategory::N0
                        } else {
                            NCategory::N1
                        }
                    })
                }
                Some('M') => {
                    m = category(o, &['M']).map(|v| {
                        if v == "M0" {
                            MCategory::M0
                        } else {
                            MCategory::M1
                        }
                    })
                }
                Some(_) => {}
                None if is_tumor_size(o) => size = self.dimensions(&at, o)?,
                None if o
                    .code
                    .as_ref()
                    .is_some_and(|c| c.has(codes::NCIT, codes::HISTOLOGIC_GRADE_CODE)) =>
                {
                    grade = self.grade(&at, o);
                }
                None => {
                    if let Some(marker) = self.ihc(&at, o) {
                        ihc.push(marker);
                    }
                }
            }
        }
        let (Some(n), Some(m)) = (n, m) else {
            self.warn(label, "no TNM N and M category observations for this condition (NX/MX cannot be staged); diagnosis skipped");
            return None;
        };
        Some(FactBody::Diagnosis(Diagnosis {
            histology: histology.to_string(),
            morphology_icdo3: morphology.to_string(),
            site: site.text.clone().unwrap_or_else(|| topography.to_string()),
            topography_icdo3: topography.to_string(),
            laterality,
            size,
            depth,
            grade,
            n,
            m,
            ihc,
        }))
    }

    fn dimensions(&mut self, at: &str, o: &Observation) -> Option<Vec<oncourse_model::Quantity>> {
        let mut out = Vec::new();
        for (k, component) in o.component.iter().enumerate() {
            if component.code.has(codes::LOINC, codes::TUMOR_LONGEST)
                || component.code.has(codes::LOINC, codes::TUMOR_OTHER)
            {
                let path = format!("{at}.component[{k}].valueQuantity");
                let Some(q) = &component.value_quantity else {
                    self.errors.push(element(
                        path,
                        "missing required element, expected a length with a UCUM unit",
                    ));
                    return None;
                };
                out.push(self.quantity(&path, q)?);
            }
        }
        Some(out)
    }

    fn grade(&mut self, at: &str, o: &Observation) -> Option<GradeSource> {
        let value = o.value_codeable_concept.as_ref()?;
        let given = codes::GRADE_VALUES
            .iter()
            .find(|(_, code, _)| value.has(codes::SNOMED, code))
            .map(|(g, _, _)| *g)
            .or((value.text.as_deref() == Some("GX")).then_some(FnclccGrade::GX));
        let component = |code: &str| {
            o.component
                .iter()
                .find(|c| c.code.has(&codes::oncourse_codes("fnclcc"), code))
        };
        if let (Some(d), Some(mitoses), Some(necrosis)) = (
            component("differentiation-score").and_then(|c| c.value_integer),
            component("mitoses-per-10-hpf").and_then(|c| c.value_integer),
            component("necrosis").and_then(|c| c.value_codeable_concept.as_ref()),
        ) {
            let necrosis = [Necrosis::None, Necrosis::LessThanHalf, Necrosis::HalfOrMore]
                .into_iter()
                .find(|n| {
                    necrosis.has(&codes::oncourse_codes("fnclcc-necrosis"), necrosis_code(*n))
                });
            if let (Ok(d), Ok(mitoses), Some(necrosis)) =
                (u8::try_from(d), u32::try_from(mitoses), necrosis)
            {
                return Some(GradeSource::Components(FnclccComponents {
                    differentiation_score: d,
                    mitoses_per_10_hpf: mitoses,
                    necrosis,
                }));
            }
        }
        if given.is_none() {
            self.warn(
                at,
                "a histologic grade that is not low, intermediate or high; grade not used",
            );
        }
        given.map(GradeSource::Given)
    }

    fn ihc(&mut self, at: &str, o: &Observation) -> Option<IhcMarker> {
        let name = o.code.as_ref().and_then(CodeableConcept::label)?;
        let marker = name
            .strip_suffix(" immunohistochemistry")
            .unwrap_or(name)
            .to_string();
        let clone = o
            .method
            .as_ref()
            .and_then(|m| m.text.as_deref())
            .map(|t| t.strip_prefix("clone ").unwrap_or(t).to_string());
        let result = o.value_codeable_concept.as_ref().and_then(|v| {
            let all = [
                IhcResult::Positive,
                IhcResult::Negative,
                IhcResult::Focal,
                IhcResult::Scattered,
                IhcResult::Weak,
                IhcResult::FocalWeak,
            ];
            all.into_iter()
                .find(|r| v.has(&codes::oncourse_codes("ihc-result"), ihc_code(*r)))
                .or_else(|| {
                    v.has(codes::SNOMED, codes::SNOMED_POSITIVE.0)
                        .then_some(IhcResult::Positive)
                })
                .or_else(|| {
                    v.has(codes::SNOMED, codes::SNOMED_NEGATIVE.0)
                        .then_some(IhcResult::Negative)
                })
        });
        let percent_quantity = o.value_quantity.as_ref().or_else(|| {
            o.component
                .iter()
                .find(|c| {
                    c.code
                        .has(&codes::oncourse_codes("ihc"), "percent-positive")
                })
                .and_then(|c| c.value_quantity.as_ref())
        });
        let percent = percent_quantity
            .filter(|q| q.code.as_deref() == Some("%"))
            .and_then(Quantity::number);
        if result.is_none() && percent.is_none() {
            self.warn(
                at,
                "a tumour marker without a positive/negative result or a percentage; skipped",
            );
            return None;
        }
        Some(IhcMarker {
            marker,
            clone,
            result,
            percent,
        })
    }

    fn observation(&mut self, label: &str, o: &Observation) -> Option<FactBody> {
        let Some(code) = &o.code else {
            self.errors.push(element(
                format!("{label}.code"),
                "missing required element, expected what was observed",
            ));
            return None;
        };
        if o.status.is_none() {
            self.errors.push(element(
                format!("{label}.status"),
                "missing required element, expected a status such as \"final\"",
            ));
            return None;
        }
        if code.has(codes::LOINC, codes::ECOG_CODE) {
            let Some(score) = o.value_integer else {
                self.warn(
                    label,
                    "an ECOG observation without an integer value; skipped",
                );
                return None;
            };
            return match u8::try_from(score).ok().filter(|s| *s <= 5) {
                Some(ecog) => Some(FactBody::PerformanceStatus(PerformanceStatus { ecog })),
                None => {
                    self.errors.push(element(
                        format!("{label}.valueInteger"),
                        format!("expected an ECOG score from 0 to 5, got {score}"),
                    ));
                    None
                }
            };
        }
        if code.has(codes::LOINC, codes::DISEASE_STATUS_CODE) {
            let kind = find_extension(&o.header.extension, &ext_field("disease-event-kind"))
                .and_then(|e| e.value_code.as_deref())
                .and_then(|k| match k {
                    "progression" => Some(DiseaseEventKind::Progression),
                    "recurrence" => Some(DiseaseEventKind::Recurrence),
                    "death" => Some(DiseaseEventKind::Death),
                    "last_contact" => Some(DiseaseEventKind::LastContact),
                    _ => None,
                })
                .unwrap_or_else(|| {
                    // From elsewhere: a worsened status is a progression, any other status a
                    // dated contact at which the disease status was assessed.
                    if o.value_codeable_concept
                        .as_ref()
                        .is_some_and(|v| v.has(codes::SNOMED, codes::STATUS_WORSENED.0))
                    {
                        DiseaseEventKind::Progression
                    } else {
                        DiseaseEventKind::LastContact
                    }
                });
            let status = o.value_codeable_concept.as_ref().and_then(|v| {
                if fact_meta(&o.header).is_some() {
                    v.text.clone()
                } else {
                    v.label().map(ToString::to_string)
                }
            });
            return Some(FactBody::DiseaseEvent(DiseaseEvent { kind, status }));
        }
        if tnm_kind(o).is_some() {
            self.warn(
                label,
                "a TNM observation linked to no cancer condition of this bundle (focus or stage.assessment); skipped",
            );
            return None;
        }
        let value = self.observation_value(label, code, o)?;
        let name = code
            .text
            .clone()
            .or_else(|| code.label().map(ToString::to_string))
            .unwrap_or_default();
        let loinc = code.code_in(codes::LOINC).map(ToString::to_string);
        let range = o.reference_range.first();
        let mut bound =
            |which: &str, q: Option<&Quantity>| -> Option<Option<oncourse_model::Quantity>> {
                match q {
                    None => Some(None),
                    Some(q) => self
                        .quantity(&format!("{label}.referenceRange[0].{which}"), q)
                        .map(Some),
                }
            };
        let reference_low = bound("low", range.and_then(|r| r.low.as_ref()))?;
        let reference_high = bound("high", range.and_then(|r| r.high.as_ref()))?;
        Some(FactBody::Observation(ModelObservation {
            name,
            loinc,
            value,
            reference_low,
            reference_high,
        }))
    }

    /// An observation's value: `valueQuantity`; a blood pressure from the systolic (8480-6) and
    /// diastolic (8462-4) components of the FHIR Blood Pressure profile; a urine protein test
    /// strip result by its SNOMED CT code (or, in oncourse's own export, its text), including
    /// US Core's "Negative" (260385009) on LOINC 20454-5.
    fn observation_value(
        &mut self,
        label: &str,
        code: &CodeableConcept,
        o: &Observation,
    ) -> Option<ObservationValue> {
        if let Some(value) = &o.value_quantity {
            return self
                .quantity(&format!("{label}.valueQuantity"), value)
                .map(ObservationValue::Quantity);
        }
        let component = |code: &str| {
            o.component.iter().enumerate().find_map(|(i, c)| {
                c.code
                    .has(codes::LOINC, code)
                    .then_some((i, c.value_quantity.as_ref()))
            })
        };
        if let (Some((i, systolic)), Some((j, diastolic))) = (
            component(codes::BP_SYSTOLIC.0),
            component(codes::BP_DIASTOLIC.0),
        ) {
            let mut read = |i: usize, q: Option<&Quantity>| {
                let path = format!("{label}.component[{i}].valueQuantity");
                match q {
                    Some(q) => self.quantity(&path, q),
                    None => {
                        self.errors.push(element(
                            path,
                            "missing required element, expected a pressure with a UCUM unit",
                        ));
                        None
                    }
                }
            };
            let (systolic, diastolic) = (read(i, systolic), read(j, diastolic));
            let (systolic, diastolic) = (systolic?, diastolic?);
            if systolic.unit() != diastolic.unit() {
                self.errors.push(element(
                    format!("{label}.component[{j}].valueQuantity.code"),
                    format!(
                        "expected the systolic pressure's unit {:?}, got {:?}",
                        systolic.unit(),
                        diastolic.unit()
                    ),
                ));
                return None;
            }
            let pressure =
                BloodPressure::new(systolic.value(), diastolic.value(), systolic.unit()).ok()?;
            return Some(ObservationValue::BloodPressure(pressure));
        }
        let strip = code.has(codes::LOINC, codes::URINE_PROTEIN_STRIP);
        let dipstick = o.value_codeable_concept.as_ref().and_then(|value| {
            let coded = codes::URINE_PROTEIN_STRIP_RESULTS
                .iter()
                .find(|(_, code, _)| value.has(codes::SNOMED, code))
                .map(|(written, _, _)| *written)
                .or_else(|| {
                    (strip && value.has(codes::SNOMED, codes::SNOMED_NEGATIVE.0))
                        .then_some("negative")
                });
            let own_text = value
                .text
                .as_deref()
                .filter(|_| fact_meta(&o.header).is_some());
            coded
                .or(own_text)
                .and_then(|text| Dipstick::parse(text).ok())
        });
        if let Some(dipstick) = dipstick {
            return Some(ObservationValue::Dipstick(DipstickValue { dipstick }));
        }
        self.warn(
            label,
            "an observation without a quantity, blood pressure or dipstick value is not used by oncourse; skipped",
        );
        None
    }

    /// A FHIR quantity as a model quantity: a value and a UCUM unit code are required.
    fn quantity(&mut self, path: &str, q: &Quantity) -> Option<oncourse_model::Quantity> {
        let Some(value) = q.number() else {
            self.errors.push(element(
                format!("{path}.value"),
                "missing required element, expected a number",
            ));
            return None;
        };
        let unit = match (q.system.as_deref(), q.code.as_deref(), q.unit.as_deref()) {
            (Some(codes::UCUM), Some(code), _) => code,
            (None, None, None) => {
                self.errors.push(element(
                    format!("{path}.unit"),
                    format!("expected a UCUM unit for the value {value}, got none"),
                ));
                return None;
            }
            (system, code, unit) => {
                let got = match (system, code, unit) {
                    (Some(system), Some(code), _) => format!("code {code:?} of system {system}"),
                    (None, Some(code), _) => format!("code {code:?} without a system"),
                    (_, None, Some(unit)) => format!("only the display unit {unit:?}"),
                    _ => "a system without a code".to_string(),
                };
                self.errors.push(element(
                    format!("{path}.code"),
                    format!(
                        "expected a UCUM unit code (system {}), got {got}",
                        codes::UCUM
                    ),
                ));
                return None;
            }
        };
        match oncourse_model::Quantity::new(value, unit) {
            Ok(q) => Some(q),
            Err(e) => {
                self.errors
                    .push(element(format!("{path}.code"), e.to_string()));
                None
            }
        }
    }

    fn procedure(&mut self, label: &str, p: &Procedure) -> Option<FactBody> {
        if p.status.is_none() {
            self.errors.push(element(
                format!("{label}.status"),
                "missing required element, expected a status such as \"completed\"",
            ));
            return None;
        }
        let is_course = p.header.claims(codes::RT_COURSE_SUMMARY)
            || p.code
                .as_ref()
                .is_some_and(|c| c.has(codes::SNOMED, codes::RT_COURSE_CODE));
        if is_course {
            return self.rt_phase(label, p);
        }
        if p.code
            .as_ref()
            .is_some_and(|c| c.has(&codes::oncourse_codes("procedure"), "rt-fraction"))
        {
            let Some(phase) = p
                .part_of
                .first()
                .and_then(|r| self.fact_id_of(Some(r), "Procedure"))
            else {
                self.errors.push(element(
                    format!("{label}.partOf"),
                    "expected a reference to the radiotherapy course summary in this bundle",
                ));
                return None;
            };
            let dose = match find_extension(&p.header.extension, &ext_field("delivered-dose"))
                .and_then(|e| e.value_quantity.as_ref())
            {
                Some(q) => Some(self.quantity(
                    &format!("{label}.extension(delivered-dose).valueQuantity"),
                    q,
                )?),
                None => None,
            };
            return Some(FactBody::RtFraction(RtFraction { phase, dose }));
        }
        let Some(name) = p.code.as_ref().and_then(|c| {
            c.text
                .clone()
                .or_else(|| c.label().map(ToString::to_string))
        }) else {
            self.warn(label, "a procedure without a code; skipped");
            return None;
        };
        Some(FactBody::Procedure(ModelProcedure {
            name,
            snomed: p
                .code
                .as_ref()
                .and_then(|c| c.code_in(codes::SNOMED))
                .map(ToString::to_string),
            site: p
                .body_site
                .first()
                .and_then(|s| s.label())
                .map(ToString::to_string),
        }))
    }

    fn rt_phase(&mut self, label: &str, p: &Procedure) -> Option<FactBody> {
        let Some(prescription) = find_extension(&p.header.extension, &ext_field("rt-prescription"))
        else {
            self.warn(
                label,
                "a radiotherapy course summary without a per-phase prescription (dose per fraction, fractions); skipped",
            );
            return None;
        };
        let sub = |name: &str| find_extension(&prescription.extension, name);
        let at = format!("{label}.extension(rt-prescription)");
        let technique = sub("technique")
            .and_then(|e| e.value_code.as_deref())
            .and_then(|t| Technique::ALL.into_iter().find(|k| k.code() == t));
        let (Some(name), Some(technique), Some(target), Some(dose), Some(n_fractions)) = (
            sub("name").and_then(|e| e.value_string.clone()),
            technique,
            sub("target").and_then(|e| e.value_string.clone()),
            sub("dose-per-fraction").and_then(|e| e.value_quantity.as_ref()),
            sub("fractions").and_then(|e| e.value_unsigned_int),
        ) else {
            self.errors.push(element(
                at,
                "expected name, technique, target, dose-per-fraction and fractions",
            ));
            return None;
        };
        let dose_per_fraction =
            self.quantity(&format!("{at}.dose-per-fraction.valueQuantity"), dose)?;
        Some(FactBody::RtPhase(RtPhase {
            name,
            technique,
            target,
            dose_per_fraction,
            n_fractions,
            fractions_per_week: sub("fractions-per-week").and_then(|e| e.value_unsigned_int),
        }))
    }

    fn medication_request(&mut self, label: &str, m: &MedicationRequest) -> Option<FactBody> {
        let required = [
            ("status", m.status.is_none(), "a status such as \"active\""),
            ("intent", m.intent.is_none(), "an intent such as \"order\""),
        ];
        if let Some((name, _, expected)) = required.iter().find(|(_, absent, _)| *absent) {
            self.errors.push(element(
                format!("{label}.{name}"),
                format!("missing required element, expected {expected}"),
            ));
            return None;
        }
        let kind = find_extension(&m.header.extension, &ext_field("request-kind"))
            .and_then(|e| e.value_code.clone());
        let reason = m
            .status_reason
            .as_ref()
            .and_then(|r| r.label())
            .unwrap_or_default()
            .to_string();
        let dose_path = format!("{label}.dosageInstruction[0].doseAndRate[0].doseQuantity");
        let dose = m
            .dosage_instruction
            .first()
            .and_then(|d| d.dose_and_rate.first())
            .and_then(|d| d.dose_quantity.as_ref());
        if let Some(kind) = kind {
            let Some(regimen) = self.fact_id_of(m.prior_prescription.as_ref(), "MedicationRequest")
            else {
                self.errors.push(element(
                    format!("{label}.priorPrescription"),
                    "expected a reference to the regimen's MedicationRequest in this bundle",
                ));
                return None;
            };
            return match kind.as_str() {
                "hold" => {
                    let resume = find_extension(&m.header.extension, &ext_field("resume"))
                        .and_then(|e| e.value_date.as_deref())
                        .and_then(|d| parse_date(d).ok());
                    Some(FactBody::DrugHold(DrugHold {
                        regimen,
                        resume,
                        reason,
                    }))
                }
                "stop" => Some(FactBody::DrugStop(DrugStop { regimen, reason })),
                _ => {
                    let Some(dose) = dose else {
                        self.errors.push(element(
                            dose_path,
                            "missing required element, expected the new dose",
                        ));
                        return None;
                    };
                    let dose = self.quantity(&dose_path, dose)?;
                    Some(FactBody::DoseChange(DoseChange {
                        regimen,
                        dose,
                        reason,
                    }))
                }
            };
        }
        let Some(schedule) = find_extension(&m.header.extension, &ext_field("cyclic-regimen"))
        else {
            self.warn(label, "a medication request without a cyclic schedule (days on, cycle length, dose levels); skipped");
            return None;
        };
        let sub = |name: &str| {
            find_extension(&schedule.extension, name).and_then(|e| e.value_unsigned_int)
        };
        let mut dose_levels = Vec::new();
        for (k, level) in schedule
            .extension
            .iter()
            .filter(|e| e.url == "dose-level")
            .enumerate()
        {
            let path = format!("{label}.extension(cyclic-regimen).dose-level[{k}].valueQuantity");
            let Some(q) = &level.value_quantity else {
                self.errors
                    .push(element(path, "missing required element, expected a mass"));
                return None;
            };
            dose_levels.push(self.quantity(&path, q)?);
        }
        let (Some(days_on), Some(cycle_length_days), Some(agent)) = (
            sub("days-on"),
            sub("cycle-length-days"),
            m.medication_codeable_concept
                .as_ref()
                .and_then(|c| c.label()),
        ) else {
            self.errors.push(element(
                format!("{label}.extension(cyclic-regimen)"),
                "expected days-on, cycle-length-days and a medication",
            ));
            return None;
        };
        let route = m
            .dosage_instruction
            .first()
            .and_then(|d| d.route.as_ref())
            .and_then(|r| {
                r.text
                    .clone()
                    .or_else(|| r.label().map(ToString::to_string))
            })
            .unwrap_or_default();
        Some(FactBody::DrugRegimen(DrugRegimen {
            agent: agent.to_string(),
            route,
            dose_levels,
            days_on,
            cycle_length_days,
        }))
    }

    fn administration(&mut self, label: &str, m: &MedicationAdministration) -> Option<FactBody> {
        let Some(regimen) = self.fact_id_of(m.request.as_ref(), "MedicationRequest") else {
            self.warn(
                label,
                "an administration without a request in this bundle; skipped",
            );
            return None;
        };
        let path = format!("{label}.dosage.dose");
        let Some(dose) = m.dosage.as_ref().and_then(|d| d.dose.as_ref()) else {
            self.errors.push(element(
                path,
                "missing required element, expected the dose given",
            ));
            return None;
        };
        let dose = self.quantity(&path, dose)?;
        Some(FactBody::Administration(Administration { regimen, dose }))
    }

    fn adverse_event(&mut self, label: &str, a: &AdverseEvent) -> Option<FactBody> {
        let Some(term) = a.event.as_ref().and_then(|e| e.label()) else {
            self.warn(label, "an adverse event without an event code; skipped");
            return None;
        };
        let grade = find_extension(&a.header.extension, codes::EXT_AE_GRADE)
            .and_then(|e| e.value_codeable_concept.as_ref())
            .and_then(|g| {
                codes::AE_GRADE_NCIT
                    .iter()
                    .find(|(_, code, _)| g.has(codes::NCIT, code))
                    .map(|(n, _, _)| *n)
                    .or_else(|| g.text.as_deref()?.strip_prefix("Grade ")?.parse().ok())
            });
        let Some(grade) = grade.filter(|g| (1..=5).contains(g)) else {
            self.warn(
                label,
                "an adverse event without a CTCAE grade (ae-grade extension); skipped",
            );
            return None;
        };
        let attribution = find_extension(&a.header.extension, &ext_field("attribution"))
            .and_then(|e| e.value_code.as_deref())
            .and_then(|code| match code {
                "radiotherapy" => Some(Attribution::Radiotherapy),
                "drug" => Some(Attribution::Drug),
                "both" => Some(Attribution::Both),
                "unrelated" => Some(Attribution::Unrelated),
                _ => None,
            });
        let Some(attribution) = attribution else {
            self.warn(label, "an adverse event without an attribution; skipped");
            return None;
        };
        let resolved = find_extension(&a.header.extension, &ext_field("resolved"))
            .and_then(|e| e.value_date.as_deref())
            .and_then(|d| parse_date(d).ok());
        Some(FactBody::AdverseEvent(ModelAdverseEvent {
            term: term.to_string(),
            grade,
            resolved,
            attribution,
        }))
    }

    fn imaging(&mut self, label: &str, r: &DiagnosticReport) -> Option<FactBody> {
        let is_imaging = r.category.iter().any(|c| c.has(codes::V2_0074, "RAD"))
            || r.result.iter().any(|x| {
                self.resolve(x, "Observation")
                    .is_some_and(|j| matches!(&self.entries[j].resource, Resource::Observation(o) if is_tumor_size(o)))
            });
        if !is_imaging {
            self.warn(label, "a diagnostic report that is not an imaging study is not used (its observations are read on their own); skipped");
            return None;
        }
        let modality = r
            .code
            .as_ref()
            .and_then(|c| c.label())
            .unwrap_or("imaging")
            .to_string();
        let mut lesions = Vec::new();
        for reference in &r.result {
            let Some(j) = self.resolve(reference, "Observation") else {
                continue;
            };
            let Resource::Observation(o) = &self.entries[j].resource else {
                continue;
            };
            if !is_tumor_size(o) {
                continue;
            }
            let at = self.entries[j].label.clone();
            let diameters = self.dimensions(&at, o)?;
            let mut extra = |code: &str| -> Option<Option<oncourse_model::Quantity>> {
                let Some((k, c)) = o
                    .component
                    .iter()
                    .enumerate()
                    .find(|(_, c)| c.code.has(&codes::oncourse_codes("lesion"), code))
                else {
                    return Some(None);
                };
                let path = format!("{at}.component[{k}].valueQuantity");
                match &c.value_quantity {
                    Some(q) => self.quantity(&path, q).map(Some),
                    None => Some(None),
                }
            };
            let density = extra("density")?;
            let volume = extra("volume")?;
            lesions.push(Lesion {
                name: o
                    .focus
                    .first()
                    .and_then(|f| f.display.clone())
                    .unwrap_or_else(|| format!("lesion {}", lesions.len() + 1)),
                diameters,
                density,
                volume,
            });
        }
        Some(FactBody::Imaging(ImagingAssessment {
            modality,
            lesions,
            conclusion: r.conclusion.clone(),
        }))
    }
}

/// `Some('T' | 'N' | 'M' | 'S')` for TNM category and stage-group observations.
fn tnm_kind(o: &Observation) -> Option<char> {
    let code = o.code.as_ref();
    let is = |profile: &str, snomed: &[&str]| {
        o.header.claims(profile)
            || code.is_some_and(|c| snomed.iter().any(|s| c.has(codes::SNOMED, s)))
    };
    if is(codes::TNM_T, &[codes::TNM_T_CODE, "399504009", "384625004"]) {
        Some('T')
    } else if is(codes::TNM_N, &[codes::TNM_N_CODE, "399534004", "371494008"]) {
        Some('N')
    } else if is(codes::TNM_M, &[codes::TNM_M_CODE, "399387003", "371497001"]) {
        Some('M')
    } else if is(
        codes::TNM_STAGE_GROUP,
        &[codes::TNM_STAGE_GROUP_CODE, "399537006", "399588009"],
    ) {
        Some('S')
    } else {
        None
    }
}

/// The N0/N1 or M0/M1 category of a TNM observation, from its text or code display
/// (`"N0"`, `"cN0"`, `"American Joint Committee on Cancer cN2 (qualifier value)"`). For
/// soft-tissue sarcoma any N ≥ 1 is N1; NX and MX are `None`.
fn category(o: &Observation, letter: &[char]) -> Option<&'static str> {
    let value = o.value_codeable_concept.as_ref()?;
    let texts = value
        .text
        .iter()
        .chain(value.coding.iter().filter_map(|c| c.display.as_ref()));
    for text in texts {
        for word in text.split_whitespace() {
            let word = word.trim_start_matches(['c', 'p', 'y', 'r', 'a']);
            let mut chars = word.chars();
            if chars.next().is_some_and(|c| letter.contains(&c)) {
                match (letter[0], chars.next()) {
                    ('N', Some('0')) => return Some("N0"),
                    ('N', Some('1'..='3')) => return Some("N1"),
                    ('M', Some('0')) => return Some("M0"),
                    ('M', Some('1')) => return Some("M1"),
                    _ => {}
                }
            }
        }
    }
    None
}

fn is_tumor_size(o: &Observation) -> bool {
    o.header.claims(codes::TUMOR_SIZE)
        || o.code
            .as_ref()
            .is_some_and(|c| c.has(codes::LOINC, codes::TUMOR_SIZE_CODE))
}

/// The calendar date of a FHIR date or dateTime (`2022-05-09`, `2022-05-09T08:00:00+08:00`).
fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let day = text.get(..10).unwrap_or(text);
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map_err(|_| format!("expected a full date such as 2022-05-09, got {text:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_take_the_calendar_day() {
        assert_eq!(
            parse_date("2022-05-09T23:00:00+08:00"),
            Ok(NaiveDate::from_ymd_opt(2022, 5, 9).unwrap())
        );
        assert!(parse_date("2022-05").is_err());
    }

    #[test]
    fn tnm_categories_read_from_text_or_display() {
        let o = |text: &str| Observation {
            value_codeable_concept: Some(CodeableConcept {
                text: Some(text.into()),
                ..CodeableConcept::default()
            }),
            ..Observation::default()
        };
        assert_eq!(category(&o("N0"), &['N']), Some("N0"));
        assert_eq!(
            category(
                &o("American Joint Committee on Cancer cN3 (qualifier value)"),
                &['N']
            ),
            Some("N1")
        );
        assert_eq!(category(&o("cM0"), &['M']), Some("M0"));
        assert_eq!(category(&o("NX"), &['N']), None);
    }
}
