//! Record → FHIR R4 Bundle with mCODE STU4 profiles.
//!
//! Each fact becomes one resource whose id is derived from the fact id; a diagnosis also yields
//! its TNM, grade, tumour-size and IHC observations, an imaging study its per-lesion tumour-size
//! observations, a radiotherapy phase its RadiotherapyVolume. The oncourse bookkeeping of every
//! fact (id, date, illustrative, supersedes, note) rides in the [`codes::ext_fact`] extension so
//! that import restores the record exactly.

use std::collections::{BTreeMap, BTreeSet};

use oncourse_model::adverse_event::{AdverseEvent as ModelAdverseEvent, Attribution};
use oncourse_model::diagnosis::{Diagnosis, GradeSource, IhcResult};
use oncourse_model::disease_event::{DiseaseEvent, DiseaseEventKind};
use oncourse_model::drug::DrugRegimen;
use oncourse_model::grade::Necrosis;
use oncourse_model::imaging::ImagingAssessment;
use oncourse_model::observation::{Observation as ModelObservation, ObservationValue};
use oncourse_model::patient::{CodeSystem, Sex};
use oncourse_model::radiotherapy::{RtPhase, Technique};
use oncourse_model::stage::{MCategory, NCategory, TCategory, stage_group};
use oncourse_model::{Dimension, Fact, FactBody, FactId, Record};

use crate::codes::{self, ext_field};
use crate::types::*;

/// The kind of bundle to write.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BundleKind {
    /// A `collection` bundle: a document of resources (the default).
    #[default]
    Collection,
    /// A `transaction` bundle: each entry carries a `PUT Type/id` request, so posting it to a
    /// FHIR server creates or updates every resource idempotently.
    Transaction,
}

/// Export options.
#[derive(Clone, Debug, Default)]
pub struct ExportOptions {
    /// Collection or transaction.
    pub bundle_kind: BundleKind,
}

/// Exports a record as a FHIR R4 bundle.
pub fn export_bundle(record: &Record, options: &ExportOptions) -> Bundle {
    let mut x = Exporter::new(record);
    for fact in record.facts() {
        x.fact(fact);
    }
    let entry = x
        .resources
        .into_iter()
        .map(|resource| {
            let resource_type = resource.resource_type();
            let id = resource.header().id.clone().unwrap_or_default();
            BundleEntry {
                full_url: Some(format!("{}/{resource_type}/{id}", codes::ONCOURSE_BASE)),
                resource: Some(serde_json::to_value(&resource).expect("resources serialise")),
                request: (options.bundle_kind == BundleKind::Transaction).then(|| BundleRequest {
                    method: "PUT".into(),
                    url: format!("{resource_type}/{id}"),
                    other: Other::new(),
                }),
                other: Other::new(),
            }
        })
        .collect();
    Bundle {
        resource_type: "Bundle".into(),
        header: Header::default(),
        bundle_type: match options.bundle_kind {
            BundleKind::Collection => "collection".into(),
            BundleKind::Transaction => "transaction".into(),
        },
        entry,
        other: Other::new(),
    }
}

/// Exports a record as pretty-printed FHIR JSON.
pub fn export_json(record: &Record, options: &ExportOptions) -> String {
    let mut text =
        serde_json::to_string_pretty(&export_bundle(record, options)).expect("a bundle serialises");
    text.push('\n');
    text
}

/// A FHIR id: `[A-Za-z0-9\-\.]{1,64}` (R4 datatype `id`).
pub(crate) fn fhir_id(raw: &str) -> String {
    let mut id: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .take(64)
        .collect();
    if id.is_empty() {
        id.push('x');
    }
    id
}

struct Exporter<'r> {
    record: &'r Record,
    used: BTreeSet<String>,
    ids: BTreeMap<&'r FactId, String>,
    patient: Option<Reference>,
    condition: Option<Reference>,
    resources: Vec<Resource>,
}

impl<'r> Exporter<'r> {
    fn new(record: &'r Record) -> Self {
        let mut x = Exporter {
            record,
            used: BTreeSet::new(),
            ids: BTreeMap::new(),
            patient: None,
            condition: None,
            resources: Vec::new(),
        };
        // Fact ids first, so derived resources never take a fact's id.
        for fact in record.facts() {
            let id = x.allocate(&fact.id.0);
            x.ids.insert(&fact.id, id);
        }
        if let Some((fact, _)) = record.patient() {
            x.patient = Some(Reference::to("Patient", &x.ids[&fact.id]));
        }
        if let Some((fact, _)) = record.diagnosis() {
            x.condition = Some(Reference::to("Condition", &x.ids[&fact.id]));
        }
        x
    }

    fn allocate(&mut self, raw: &str) -> String {
        let base = fhir_id(raw);
        let mut id = base.clone();
        let mut n = 2;
        while !self.used.insert(id.clone()) {
            let suffix = format!("-{n}");
            id = format!("{}{suffix}", &base[..base.len().min(64 - suffix.len())]);
            n += 1;
        }
        id
    }

    fn id(&self, fact: &FactId) -> String {
        self.ids
            .get(fact)
            .cloned()
            .unwrap_or_else(|| fhir_id(&fact.0))
    }

    fn header(&self, fact: &Fact, profile: Option<&str>) -> Header {
        Header {
            id: Some(self.id(&fact.id)),
            meta: profile.map(|p| Meta {
                profile: vec![p.to_string()],
                other: Other::new(),
            }),
            extension: vec![fact_extension(fact)],
        }
    }

    fn derived_header(&mut self, name: &str, profile: &str) -> Header {
        Header {
            id: Some(self.allocate(name)),
            meta: Some(Meta {
                profile: vec![profile.to_string()],
                other: Other::new(),
            }),
            extension: Vec::new(),
        }
    }

    /// A final observation of the patient effective on `date`, with what every observation
    /// oncourse writes carries; the caller adds its category, value, focus and components.
    fn observation(&self, header: Header, code: CodeableConcept, date: &str) -> Observation {
        Observation {
            header,
            status: Some("final".into()),
            code: Some(code),
            subject: self.patient.clone(),
            effective_date_time: Some(date.into()),
            ..Observation::default()
        }
    }

    /// A TNM category or stage group of the condition, in SNOMED CT with the AJCC 8th edition
    /// as its method.
    fn tnm_observation(
        &self,
        header: Header,
        code: &str,
        value: String,
        condition: &Reference,
        date: &str,
    ) -> Observation {
        Observation {
            focus: vec![condition.clone()],
            value_codeable_concept: Some(text_concept(&value)),
            method: Some(concept(
                codes::SNOMED,
                codes::AJCC_8.0,
                Some(codes::AJCC_8.1),
            )),
            ..self.observation(header, concept(codes::SNOMED, code, None), date)
        }
    }

    fn push(&mut self, resource: Resource) {
        self.resources.push(resource);
    }

    fn fact(&mut self, fact: &Fact) {
        let date = fact.date.to_string();
        match &fact.body {
            FactBody::Patient(patient) => {
                let mut header = self.header(fact, Some(codes::CANCER_PATIENT));
                if let Some(age) = patient.age_years {
                    header.extension.push(Extension {
                        url: ext_field("age-years"),
                        value_quantity: Some(ucum(f64::from(age), "a")),
                        ..Extension::default()
                    });
                }
                self.push(Resource::Patient(Patient {
                    header,
                    gender: Some(
                        match patient.sex {
                            Sex::Female => "female",
                            Sex::Male => "male",
                            Sex::Other => "other",
                        }
                        .into(),
                    ),
                    birth_date: patient.birth_date.map(|d| d.to_string()),
                    other: Other::new(),
                }));
            }
            FactBody::Comorbidity(comorbidity) => {
                let mut header = self.header(fact, None);
                if let Some(duration) = &comorbidity.duration_at_least {
                    header.extension.push(Extension {
                        url: ext_field("duration-at-least"),
                        value_quantity: Some(quantity(duration)),
                        ..Extension::default()
                    });
                }
                let coding = comorbidity
                    .codes
                    .iter()
                    .map(|c| coding(code_system_uri(c.system), &c.code, None))
                    .collect();
                self.push(Resource::Condition(Condition {
                    header,
                    clinical_status: Some(concept(codes::CONDITION_CLINICAL, "active", None)),
                    category: vec![concept(
                        codes::CONDITION_CATEGORY,
                        "problem-list-item",
                        None,
                    )],
                    code: Some(CodeableConcept {
                        coding,
                        text: Some(comorbidity.name.clone()),
                        other: Other::new(),
                    }),
                    subject: self.patient.clone(),
                    recorded_date: Some(date),
                    ..Condition::default()
                }));
            }
            FactBody::Diagnosis(diagnosis) => self.diagnosis(fact, diagnosis),
            FactBody::PerformanceStatus(status) => {
                self.push(Resource::Observation(Observation {
                    category: vec![concept(codes::OBSERVATION_CATEGORY, "survey", None)],
                    value_integer: Some(i64::from(status.ecog)),
                    ..self.observation(
                        self.header(fact, Some(codes::ECOG)),
                        concept(codes::LOINC, codes::ECOG_CODE, None),
                        &date,
                    )
                }));
            }
            FactBody::RtPhase(phase) => self.rt_phase(fact, phase),
            FactBody::RtFraction(fraction) => {
                let mut header = self.header(fact, None);
                if let Some(dose) = &fraction.dose {
                    header.extension.push(Extension {
                        url: ext_field("delivered-dose"),
                        value_quantity: Some(quantity(dose)),
                        ..Extension::default()
                    });
                }
                self.push(Resource::Procedure(Procedure {
                    header,
                    part_of: vec![Reference::to("Procedure", &self.id(&fraction.phase))],
                    status: Some("completed".into()),
                    code: Some(oncourse_concept(
                        "procedure",
                        "rt-fraction",
                        "radiotherapy fraction",
                    )),
                    subject: self.patient.clone(),
                    performed_date_time: Some(date),
                    ..Procedure::default()
                }));
            }
            FactBody::DrugRegimen(regimen) => self.regimen(fact, regimen),
            FactBody::Administration(administration) => {
                let agent = self.agent(&administration.regimen);
                self.push(Resource::MedicationAdministration(
                    MedicationAdministration {
                        header: self.header(fact, Some(codes::MEDICATION_ADMINISTRATION)),
                        status: Some("completed".into()),
                        medication_codeable_concept: Some(text_concept(&agent)),
                        subject: self.patient.clone(),
                        effective_date_time: Some(date),
                        request: Some(Reference::to(
                            "MedicationRequest",
                            &self.id(&administration.regimen),
                        )),
                        dosage: Some(AdministrationDosage {
                            dose: Some(quantity(&administration.dose)),
                            other: Other::new(),
                        }),
                        ..MedicationAdministration::default()
                    },
                ));
            }
            FactBody::DrugHold(hold) => {
                let mut extra = vec![request_kind("hold")];
                if let Some(resume) = hold.resume {
                    extra.push(Extension {
                        url: ext_field("resume"),
                        value_date: Some(resume.to_string()),
                        ..Extension::default()
                    });
                }
                self.regimen_change(fact, &hold.regimen, "on-hold", &hold.reason, None, extra);
            }
            FactBody::DoseChange(change) => self.regimen_change(
                fact,
                &change.regimen,
                "active",
                &change.reason,
                Some(&change.dose),
                vec![request_kind("dose-change")],
            ),
            FactBody::DrugStop(stop) => self.regimen_change(
                fact,
                &stop.regimen,
                "stopped",
                &stop.reason,
                None,
                vec![request_kind("stop")],
            ),
            FactBody::Observation(observation) => {
                let mut code = text_concept(&observation.name);
                if let Some(loinc) = &observation.loinc {
                    code.coding.push(coding(codes::LOINC, loinc, None));
                }
                let reference_range = if observation.reference_low.is_some()
                    || observation.reference_high.is_some()
                {
                    vec![ReferenceRange {
                        low: observation.reference_low.as_ref().map(quantity),
                        high: observation.reference_high.as_ref().map(quantity),
                        other: Other::new(),
                    }]
                } else {
                    Vec::new()
                };
                let mut resource = Observation {
                    category: vec![concept(codes::OBSERVATION_CATEGORY, "laboratory", None)],
                    reference_range,
                    ..self.observation(self.header(fact, None), code, &date)
                };
                observation_value(&mut resource, observation);
                self.push(Resource::Observation(resource));
            }
            FactBody::AdverseEvent(event) => self.adverse_event(fact, event),
            FactBody::Procedure(procedure) => {
                let mut code = text_concept(&procedure.name);
                if let Some(snomed) = &procedure.snomed {
                    code.coding.push(coding(codes::SNOMED, snomed, None));
                }
                self.push(Resource::Procedure(Procedure {
                    header: self.header(fact, None),
                    status: Some("completed".into()),
                    code: Some(code),
                    subject: self.patient.clone(),
                    performed_date_time: Some(date),
                    body_site: procedure.site.iter().map(|s| text_concept(s)).collect(),
                    ..Procedure::default()
                }));
            }
            FactBody::Imaging(imaging) => self.imaging(fact, imaging),
            FactBody::DiseaseEvent(event) => self.disease_event(fact, event),
        }
    }

    fn diagnosis(&mut self, fact: &Fact, diagnosis: &Diagnosis) {
        let condition_id = self.id(&fact.id);
        let condition_ref = Reference::to("Condition", &condition_id);
        let date = fact.date.to_string();
        let related = Extension {
            url: codes::EXT_RELATED_CONDITION.into(),
            value_reference: Some(condition_ref.clone()),
            ..Extension::default()
        };
        let mut derived = Vec::new();
        // Size.
        if !diagnosis.size.is_empty() {
            let mut header =
                self.derived_header(&format!("{condition_id}-size"), codes::TUMOR_SIZE);
            header.extension.push(related.clone());
            derived.push(Resource::Observation(Observation {
                focus: vec![Reference {
                    display: Some(format!("primary tumour: {}", diagnosis.site)),
                    ..Reference::default()
                }],
                component: size_components(&diagnosis.size),
                ..self.observation(header, tumour_size_concept(), &date)
            }));
        }
        // Grade.
        if let Some(grade) = &diagnosis.grade {
            let mut header =
                self.derived_header(&format!("{condition_id}-grade"), codes::HISTOLOGIC_GRADE);
            header.extension.push(related.clone());
            let value = grade_concept(grade.grade());
            let component = match grade {
                GradeSource::Given(_) => Vec::new(),
                GradeSource::Components(parts) => vec![
                    integer_component(
                        "differentiation-score",
                        "differentiation score",
                        parts.differentiation_score.into(),
                    ),
                    integer_component(
                        "mitoses-per-10-hpf",
                        "mitoses per 10 high-power fields",
                        parts.mitoses_per_10_hpf.into(),
                    ),
                    ObservationComponent {
                        code: oncourse_concept("fnclcc", "necrosis", "tumour necrosis"),
                        value_codeable_concept: Some(oncourse_concept(
                            "fnclcc-necrosis",
                            necrosis_code(parts.necrosis),
                            necrosis_code(parts.necrosis),
                        )),
                        ..ObservationComponent::default()
                    },
                ],
            };
            derived.push(Resource::Observation(Observation {
                category: vec![concept(codes::OBSERVATION_CATEGORY, "laboratory", None)],
                value_codeable_concept: Some(value),
                method: Some(text_concept("FNCLCC")),
                component,
                ..self.observation(
                    header,
                    concept(codes::NCIT, codes::HISTOLOGIC_GRADE_CODE, Some("Grade")),
                    &date,
                )
            }));
        }
        // TNM: N and M always; T and the stage group when size and grade are known.
        let t = diagnosis
            .greatest_dimension_mm()
            .map(TCategory::from_greatest_dimension_mm);
        let mut members = Vec::new();
        let mut tnm = |x: &mut Self, suffix: &str, profile: &str, code: &str, value: String| {
            let header = x.derived_header(&format!("{condition_id}-{suffix}"), profile);
            members.push(Reference::to(
                "Observation",
                header.id.as_deref().unwrap_or_default(),
            ));
            Resource::Observation(x.tnm_observation(header, code, value, &condition_ref, &date))
        };
        if let Some(t) = t {
            let r = tnm(self, "t", codes::TNM_T, codes::TNM_T_CODE, format!("{t:?}"));
            derived.push(r);
        }
        let n = match diagnosis.n {
            NCategory::N0 => "N0",
            NCategory::N1 => "N1",
        };
        let m = match diagnosis.m {
            MCategory::M0 => "M0",
            MCategory::M1 => "M1",
        };
        let r = tnm(self, "n", codes::TNM_N, codes::TNM_N_CODE, n.into());
        derived.push(r);
        let r = tnm(self, "m", codes::TNM_M, codes::TNM_M_CODE, m.into());
        derived.push(r);
        let mut stage = Vec::new();
        if let (Some(t), Some(grade)) = (t, &diagnosis.grade) {
            let group = stage_group(t, diagnosis.n, diagnosis.m, grade.grade());
            let header =
                self.derived_header(&format!("{condition_id}-stage"), codes::TNM_STAGE_GROUP);
            let stage_ref = Reference::to("Observation", header.id.as_deref().unwrap_or_default());
            let mut observation = self.tnm_observation(
                header,
                codes::TNM_STAGE_GROUP_CODE,
                group.to_string(),
                &condition_ref,
                &date,
            );
            observation.has_member = members;
            derived.push(Resource::Observation(observation));
            stage.push(ConditionStage {
                summary: Some(text_concept(&group.to_string())),
                assessment: vec![stage_ref],
                stage_type: Some(concept(
                    codes::SNOMED,
                    codes::AJCC_8.0,
                    Some(codes::AJCC_8.1),
                )),
                other: Other::new(),
            });
        }
        // IHC.
        for (k, marker) in diagnosis.ihc.iter().enumerate() {
            let mut header = self.derived_header(
                &format!("{condition_id}-ihc-{}", k + 1),
                codes::TUMOR_MARKER_TEST,
            );
            header.extension.push(related.clone());
            let percent = marker.percent.map(|p| ucum(p, "%"));
            let (value_codeable_concept, value_quantity, component) = match (marker.result, percent)
            {
                (Some(result), percent) => (
                    Some(ihc_concept(result)),
                    None,
                    percent
                        .map(|q| ObservationComponent {
                            code: oncourse_concept(
                                "ihc",
                                "percent-positive",
                                "percentage of positive tumour cells",
                            ),
                            value_quantity: Some(q),
                            ..ObservationComponent::default()
                        })
                        .into_iter()
                        .collect(),
                ),
                (None, percent) => (None, percent, Vec::new()),
            };
            let code = text_concept(&format!("{} immunohistochemistry", marker.marker));
            derived.push(Resource::Observation(Observation {
                category: vec![concept(codes::OBSERVATION_CATEGORY, "laboratory", None)],
                value_codeable_concept,
                value_quantity,
                method: marker
                    .clone
                    .as_ref()
                    .map(|c| text_concept(&format!("clone {c}"))),
                component,
                ..self.observation(header, code, &date)
            }));
        }
        // The condition itself.
        let mut header = self.header(fact, Some(codes::PRIMARY_CANCER_CONDITION));
        header.extension.push(Extension {
            url: codes::EXT_HISTOLOGY.into(),
            value_codeable_concept: Some(concept(
                codes::ICD_O_3,
                &diagnosis.morphology_icdo3,
                None,
            )),
            ..Extension::default()
        });
        if let Some(depth) = diagnosis.depth {
            header.extension.push(Extension {
                url: ext_field("depth"),
                value_code: Some(
                    match depth {
                        oncourse_model::diagnosis::Depth::Superficial => "superficial",
                        oncourse_model::diagnosis::Depth::Deep => "deep",
                    }
                    .into(),
                ),
                ..Extension::default()
            });
        }
        let mut body_site = concept(codes::ICD_O_3, &diagnosis.topography_icdo3, None);
        body_site.text = Some(diagnosis.site.clone());
        if let Some(laterality) = diagnosis.laterality {
            let (_, code, display) = codes::LATERALITY
                .iter()
                .find(|(l, _, _)| *l == laterality)
                .expect("every laterality has a code");
            body_site.other.insert(
                "extension".into(),
                serde_json::to_value(vec![Extension {
                    url: codes::EXT_LATERALITY.into(),
                    value_codeable_concept: Some(concept(codes::SNOMED, code, Some(display))),
                    ..Extension::default()
                }])
                .expect("extensions serialise"),
            );
        }
        self.push(Resource::Condition(Condition {
            header,
            clinical_status: Some(concept(codes::CONDITION_CLINICAL, "active", None)),
            verification_status: Some(concept(codes::CONDITION_VER_STATUS, "confirmed", None)),
            category: vec![concept(
                codes::CONDITION_CATEGORY,
                "problem-list-item",
                None,
            )],
            code: Some(text_concept(&diagnosis.histology)),
            body_site: vec![body_site],
            subject: self.patient.clone(),
            onset_date_time: Some(date.clone()),
            stage,
            ..Condition::default()
        }));
        for resource in derived {
            self.push(resource);
        }
    }

    fn rt_phase(&mut self, fact: &Fact, phase: &RtPhase) {
        let phase_id = self.id(&fact.id);
        let fractions: Vec<&Fact> = self
            .record
            .facts()
            .iter()
            .filter(|f| matches!(&f.body, FactBody::RtFraction(fx) if fx.phase == fact.id))
            .collect();
        let delivered_gy: f64 = fractions
            .iter()
            .map(|f| match &f.body {
                FactBody::RtFraction(fx) => fx
                    .dose
                    .as_ref()
                    .unwrap_or(&phase.dose_per_fraction)
                    .canonical(Dimension::AbsorbedDose)
                    .unwrap_or(f64::NAN),
                _ => 0.0,
            })
            .sum();
        let n_delivered = u32::try_from(fractions.len()).unwrap_or(u32::MAX);
        let volume_header = self.derived_header(&format!("{phase_id}-volume"), codes::RT_VOLUME);
        let volume_ref = Reference::to(
            "BodyStructure",
            volume_header.id.as_deref().unwrap_or_default(),
        );
        self.push(Resource::BodyStructure(BodyStructure {
            header: volume_header,
            description: Some(phase.target.clone()),
            patient: self.patient.clone(),
            other: Other::new(),
        }));
        let technique = match codes::technique_code(phase.technique) {
            Some((code, display)) => concept(codes::SNOMED, code, Some(display)),
            None => CodeableConcept {
                coding: vec![coding(codes::NULL_FLAVOR, "UNC", Some("un-encoded"))],
                text: Some(phase.technique.code().into()),
                other: Other::new(),
            },
        };
        let mut header = self.header(fact, Some(codes::RT_COURSE_SUMMARY));
        header.extension.extend([
            Extension {
                url: codes::EXT_MODALITY_AND_TECHNIQUE.into(),
                extension: vec![
                    Extension {
                        url: codes::EXT_MODALITY.into(),
                        value_codeable_concept: Some(
                            if phase.technique == Technique::Brachytherapy {
                                CodeableConcept {
                                    coding: vec![coding(
                                        codes::NULL_FLAVOR,
                                        "UNC",
                                        Some("un-encoded"),
                                    )],
                                    text: Some("brachytherapy".into()),
                                    other: Other::new(),
                                }
                            } else {
                                concept(
                                    codes::SNOMED,
                                    codes::RT_MODALITY_PHOTONS.0,
                                    Some(codes::RT_MODALITY_PHOTONS.1),
                                )
                            },
                        ),
                        ..Extension::default()
                    },
                    Extension {
                        url: codes::EXT_TECHNIQUE.into(),
                        value_codeable_concept: Some(technique),
                        ..Extension::default()
                    },
                ],
                ..Extension::default()
            },
            Extension {
                url: codes::EXT_SESSIONS.into(),
                value_unsigned_int: Some(n_delivered),
                ..Extension::default()
            },
            Extension {
                url: codes::EXT_DOSE_DELIVERED.into(),
                extension: vec![
                    Extension {
                        url: "volume".into(),
                        value_reference: Some(volume_ref),
                        ..Extension::default()
                    },
                    Extension {
                        url: "totalDoseDelivered".into(),
                        // mCODE fixes the unit to cGy; rounded to 0.001 cGy against float noise.
                        value_quantity: Some(ucum(
                            (delivered_gy * 100_000.0).round() / 1000.0,
                            "cGy",
                        )),
                        ..Extension::default()
                    },
                    Extension {
                        url: "fractionsDelivered".into(),
                        value_unsigned_int: Some(n_delivered),
                        ..Extension::default()
                    },
                ],
                ..Extension::default()
            },
            prescription_extension(phase),
        ]);
        let end = fractions.last().map(|f| f.date.to_string());
        self.push(Resource::Procedure(Procedure {
            header,
            status: Some(
                if n_delivered >= phase.n_fractions {
                    "completed"
                } else {
                    "in-progress"
                }
                .into(),
            ),
            code: Some(CodeableConcept {
                coding: vec![coding(codes::SNOMED, codes::RT_COURSE_CODE, None)],
                text: Some(phase.name.clone()),
                other: Other::new(),
            }),
            subject: self.patient.clone(),
            performed_period: Some(Period {
                start: Some(fact.date.to_string()),
                end,
                other: Other::new(),
            }),
            reason_reference: self.condition.iter().cloned().collect(),
            body_site: vec![text_concept(&phase.target)],
            ..Procedure::default()
        }));
    }

    fn agent(&self, regimen: &FactId) -> String {
        match self.record.find(regimen).map(|f| &f.body) {
            Some(FactBody::DrugRegimen(r)) => r.agent.clone(),
            _ => regimen.0.clone(),
        }
    }

    fn regimen(&mut self, fact: &Fact, regimen: &DrugRegimen) {
        let mut header = self.header(fact, Some(codes::MEDICATION_REQUEST));
        let mut schedule = vec![
            Extension {
                url: "days-on".into(),
                value_unsigned_int: Some(regimen.days_on),
                ..Extension::default()
            },
            Extension {
                url: "cycle-length-days".into(),
                value_unsigned_int: Some(regimen.cycle_length_days),
                ..Extension::default()
            },
        ];
        schedule.extend(regimen.dose_levels.iter().map(|level| Extension {
            url: "dose-level".into(),
            value_quantity: Some(quantity(level)),
            ..Extension::default()
        }));
        header.extension.push(Extension {
            url: ext_field("cyclic-regimen"),
            extension: schedule,
            ..Extension::default()
        });
        let mut route = text_concept(&regimen.route);
        if regimen.route.eq_ignore_ascii_case("oral") {
            route.coding.push(coding(
                codes::SNOMED,
                codes::ROUTE_ORAL.0,
                Some(codes::ROUTE_ORAL.1),
            ));
        }
        let start = regimen.dose_levels.first();
        self.push(Resource::MedicationRequest(MedicationRequest {
            header,
            status: Some("active".into()),
            intent: Some("order".into()),
            medication_codeable_concept: Some(text_concept(&regimen.agent)),
            subject: self.patient.clone(),
            authored_on: Some(fact.date.to_string()),
            reason_reference: self.condition.iter().cloned().collect(),
            dosage_instruction: vec![Dosage {
                text: Some(format!(
                    "{} {} once daily, days 1-{} of a {}-day cycle",
                    start.map(ToString::to_string).unwrap_or_default(),
                    regimen.route,
                    regimen.days_on,
                    regimen.cycle_length_days
                )),
                timing: Some(Timing {
                    repeat: Some(TimingRepeat {
                        frequency: Some(1),
                        period: json_number(1.0),
                        period_unit: Some("d".into()),
                        ..TimingRepeat::default()
                    }),
                    other: Other::new(),
                }),
                route: Some(route),
                dose_and_rate: start
                    .map(|q| DoseAndRate {
                        dose_quantity: Some(quantity(q)),
                        other: Other::new(),
                    })
                    .into_iter()
                    .collect(),
                other: Other::new(),
            }],
            ..MedicationRequest::default()
        }));
    }

    fn regimen_change(
        &mut self,
        fact: &Fact,
        regimen: &FactId,
        status: &str,
        reason: &str,
        dose: Option<&oncourse_model::Quantity>,
        extensions: Vec<Extension>,
    ) {
        let mut header = self.header(fact, Some(codes::MEDICATION_REQUEST));
        header.extension.extend(extensions);
        let agent = self.agent(regimen);
        self.push(Resource::MedicationRequest(MedicationRequest {
            header,
            status: Some(status.into()),
            status_reason: Some(text_concept(reason)),
            intent: Some("order".into()),
            medication_codeable_concept: Some(text_concept(&agent)),
            subject: self.patient.clone(),
            authored_on: Some(fact.date.to_string()),
            prior_prescription: Some(Reference::to("MedicationRequest", &self.id(regimen))),
            dosage_instruction: dose
                .map(|q| Dosage {
                    dose_and_rate: vec![DoseAndRate {
                        dose_quantity: Some(quantity(q)),
                        other: Other::new(),
                    }],
                    ..Dosage::default()
                })
                .into_iter()
                .collect(),
            ..MedicationRequest::default()
        }));
    }

    fn adverse_event(&mut self, fact: &Fact, event: &ModelAdverseEvent) {
        let mut header = self.header(fact, None);
        let mut grade = CodeableConcept {
            text: Some(format!("Grade {}", event.grade)),
            ..CodeableConcept::default()
        };
        if let Some((_, code, display)) = codes::AE_GRADE_NCIT
            .iter()
            .find(|(g, _, _)| *g == event.grade)
        {
            grade.coding.push(coding(codes::NCIT, code, Some(display)));
        }
        header.extension.push(Extension {
            url: codes::EXT_AE_GRADE.into(),
            value_codeable_concept: Some(grade),
            ..Extension::default()
        });
        header.extension.push(Extension {
            url: ext_field("attribution"),
            value_code: Some(
                match event.attribution {
                    Attribution::Radiotherapy => "radiotherapy",
                    Attribution::Drug => "drug",
                    Attribution::Both => "both",
                    Attribution::Unrelated => "unrelated",
                }
                .into(),
            ),
            ..Extension::default()
        });
        if let Some(resolved) = event.resolved {
            header.extension.push(Extension {
                url: ext_field("resolved"),
                value_date: Some(resolved.to_string()),
                ..Extension::default()
            });
        }
        self.push(Resource::AdverseEvent(AdverseEvent {
            header,
            actuality: Some("actual".into()),
            event: Some(text_concept(&event.term)),
            subject: self.patient.clone(),
            date: Some(fact.date.to_string()),
            outcome: Some(concept(
                codes::AE_OUTCOME,
                if event.resolved.is_some() {
                    "resolved"
                } else {
                    "ongoing"
                },
                None,
            )),
            other: Other::new(),
        }));
    }

    fn imaging(&mut self, fact: &Fact, imaging: &ImagingAssessment) {
        let report_id = self.id(&fact.id);
        let date = fact.date.to_string();
        let mut results = Vec::new();
        let mut lesions = Vec::new();
        for (k, lesion) in imaging.lesions.iter().enumerate() {
            let header =
                self.derived_header(&format!("{report_id}-lesion-{}", k + 1), codes::TUMOR_SIZE);
            results.push(Reference::to(
                "Observation",
                header.id.as_deref().unwrap_or_default(),
            ));
            let mut component = size_components(&lesion.diameters);
            if let Some(density) = &lesion.density {
                component.push(ObservationComponent {
                    code: oncourse_concept("lesion", "density", "mean density"),
                    value_quantity: Some(quantity(density)),
                    ..ObservationComponent::default()
                });
            }
            if let Some(volume) = &lesion.volume {
                component.push(ObservationComponent {
                    code: oncourse_concept("lesion", "volume", "volume"),
                    value_quantity: Some(quantity(volume)),
                    ..ObservationComponent::default()
                });
            }
            lesions.push(Resource::Observation(Observation {
                category: vec![concept(codes::OBSERVATION_CATEGORY, "imaging", None)],
                focus: vec![Reference {
                    display: Some(lesion.name.clone()),
                    ..Reference::default()
                }],
                method: Some(text_concept(&imaging.modality)),
                component,
                ..self.observation(header, tumour_size_concept(), &date)
            }));
        }
        self.push(Resource::DiagnosticReport(DiagnosticReport {
            header: self.header(fact, None),
            status: Some("final".into()),
            category: vec![concept(codes::V2_0074, "RAD", Some("Radiology"))],
            code: Some(text_concept(&imaging.modality)),
            subject: self.patient.clone(),
            effective_date_time: Some(date),
            result: results,
            conclusion: imaging.conclusion.clone(),
            other: Other::new(),
        }));
        for lesion in lesions {
            self.push(lesion);
        }
    }

    fn disease_event(&mut self, fact: &Fact, event: &DiseaseEvent) {
        let mut header = self.header(fact, Some(codes::CANCER_DISEASE_STATUS));
        let kind = match event.kind {
            DiseaseEventKind::Progression => "progression",
            DiseaseEventKind::Recurrence => "recurrence",
            DiseaseEventKind::Death => "death",
            DiseaseEventKind::LastContact => "last_contact",
        };
        header.extension.push(Extension {
            url: ext_field("disease-event-kind"),
            value_code: Some(kind.into()),
            ..Extension::default()
        });
        let mut value = CodeableConcept {
            text: event.status.clone(),
            ..CodeableConcept::default()
        };
        if matches!(
            event.kind,
            DiseaseEventKind::Progression | DiseaseEventKind::Recurrence
        ) {
            value.coding.push(coding(
                codes::SNOMED,
                codes::STATUS_WORSENED.0,
                Some(codes::STATUS_WORSENED.1),
            ));
        }
        let has_value = value.text.is_some() || !value.coding.is_empty();
        self.push(Resource::Observation(Observation {
            focus: self.condition.iter().cloned().collect(),
            value_codeable_concept: has_value.then_some(value),
            ..self.observation(
                header,
                concept(codes::LOINC, codes::DISEASE_STATUS_CODE, None),
                &fact.date.to_string(),
            )
        }));
    }
}

fn fact_extension(fact: &Fact) -> Extension {
    let mut parts = vec![
        Extension {
            url: "id".into(),
            value_string: Some(fact.id.0.clone()),
            ..Extension::default()
        },
        Extension {
            url: "date".into(),
            value_date: Some(fact.date.to_string()),
            ..Extension::default()
        },
    ];
    if fact.illustrative {
        parts.push(Extension {
            url: "illustrative".into(),
            value_boolean: Some(true),
            ..Extension::default()
        });
    }
    if let Some(target) = &fact.supersedes {
        parts.push(Extension {
            url: "supersedes".into(),
            value_string: Some(target.0.clone()),
            ..Extension::default()
        });
    }
    if let Some(note) = &fact.note {
        parts.push(Extension {
            url: "note".into(),
            value_string: Some(note.clone()),
            ..Extension::default()
        });
    }
    Extension {
        url: codes::ext_fact(),
        extension: parts,
        ..Extension::default()
    }
}

fn prescription_extension(phase: &RtPhase) -> Extension {
    let mut parts = vec![
        Extension {
            url: "name".into(),
            value_string: Some(phase.name.clone()),
            ..Extension::default()
        },
        Extension {
            url: "technique".into(),
            value_code: Some(phase.technique.code().into()),
            ..Extension::default()
        },
        Extension {
            url: "target".into(),
            value_string: Some(phase.target.clone()),
            ..Extension::default()
        },
        Extension {
            url: "dose-per-fraction".into(),
            value_quantity: Some(quantity(&phase.dose_per_fraction)),
            ..Extension::default()
        },
        Extension {
            url: "fractions".into(),
            value_unsigned_int: Some(phase.n_fractions),
            ..Extension::default()
        },
    ];
    if let Some(per_week) = phase.fractions_per_week {
        parts.push(Extension {
            url: "fractions-per-week".into(),
            value_unsigned_int: Some(per_week),
            ..Extension::default()
        });
    }
    Extension {
        url: ext_field("rt-prescription"),
        extension: parts,
        ..Extension::default()
    }
}

/// The oncourse code of an IHC result (the case-file word).
pub(crate) fn ihc_code(result: IhcResult) -> &'static str {
    match result {
        IhcResult::Positive => "positive",
        IhcResult::Negative => "negative",
        IhcResult::Focal => "focal",
        IhcResult::Scattered => "scattered",
        IhcResult::Weak => "weak",
        IhcResult::FocalWeak => "focal_weak",
    }
}

fn ihc_concept(result: IhcResult) -> CodeableConcept {
    let code = ihc_code(result);
    let mut concept = oncourse_concept("ihc-result", code, code);
    match result {
        IhcResult::Positive => concept.coding.insert(
            0,
            coding(
                codes::SNOMED,
                codes::SNOMED_POSITIVE.0,
                Some(codes::SNOMED_POSITIVE.1),
            ),
        ),
        IhcResult::Negative => concept.coding.insert(
            0,
            coding(
                codes::SNOMED,
                codes::SNOMED_NEGATIVE.0,
                Some(codes::SNOMED_NEGATIVE.1),
            ),
        ),
        _ => {}
    }
    concept
}

/// The oncourse code of an FNCLCC necrosis category (the case-file word).
pub(crate) fn necrosis_code(necrosis: Necrosis) -> &'static str {
    match necrosis {
        Necrosis::None => "none",
        Necrosis::LessThanHalf => "less_than_50_percent",
        Necrosis::HalfOrMore => "50_percent_or_more",
    }
}

fn grade_concept(grade: oncourse_model::grade::FnclccGrade) -> CodeableConcept {
    let mut concept = text_concept(&format!("{grade:?}"));
    if let Some((_, code, display)) = codes::GRADE_VALUES.iter().find(|(g, _, _)| *g == grade) {
        concept
            .coding
            .push(coding(codes::SNOMED, code, Some(display)));
    }
    concept
}

fn integer_component(code: &str, text: &str, value: i64) -> ObservationComponent {
    ObservationComponent {
        code: oncourse_concept("fnclcc", code, text),
        value_integer: Some(value),
        ..ObservationComponent::default()
    }
}

/// LOINC 21889-1 "Size Tumor", the code of a tumour's or a lesion's size.
fn tumour_size_concept() -> CodeableConcept {
    concept(codes::LOINC, codes::TUMOR_SIZE_CODE, Some("Size Tumor"))
}

/// Size components: the greatest dimension is the mCODE "longest", the others "other"; written
/// in the record's order so that import restores it.
fn size_components(dimensions: &[oncourse_model::Quantity]) -> Vec<ObservationComponent> {
    let longest = dimensions
        .iter()
        .enumerate()
        .max_by(|(_, a), (_, b)| {
            let a = a.canonical(Dimension::Length).unwrap_or(f64::NAN);
            let b = b.canonical(Dimension::Length).unwrap_or(f64::NAN);
            a.total_cmp(&b)
        })
        .map(|(i, _)| i);
    dimensions
        .iter()
        .enumerate()
        .map(|(i, q)| ObservationComponent {
            code: if Some(i) == longest {
                concept(codes::LOINC, codes::TUMOR_LONGEST, None)
            } else {
                concept(codes::LOINC, codes::TUMOR_OTHER, None)
            },
            value_quantity: Some(quantity(q)),
            ..ObservationComponent::default()
        })
        .collect()
}

fn request_kind(kind: &str) -> Extension {
    Extension {
        url: ext_field("request-kind"),
        value_code: Some(kind.into()),
        ..Extension::default()
    }
}

fn code_system_uri(system: CodeSystem) -> &'static str {
    match system {
        CodeSystem::Icd10 => codes::ICD10,
        CodeSystem::SnomedCt => codes::SNOMED,
        CodeSystem::Loinc => codes::LOINC,
    }
}

fn coding(system: &str, code: &str, display: Option<&str>) -> Coding {
    Coding {
        system: Some(system.into()),
        code: Some(code.into()),
        display: display.map(Into::into),
        other: Other::new(),
    }
}

fn concept(system: &str, code: &str, display: Option<&str>) -> CodeableConcept {
    CodeableConcept {
        coding: vec![coding(system, code, display)],
        text: None,
        other: Other::new(),
    }
}

fn text_concept(text: &str) -> CodeableConcept {
    CodeableConcept {
        coding: Vec::new(),
        text: Some(text.into()),
        other: Other::new(),
    }
}

fn oncourse_concept(system: &str, code: &str, text: &str) -> CodeableConcept {
    CodeableConcept {
        coding: vec![coding(&codes::oncourse_codes(system), code, None)],
        text: Some(text.into()),
        other: Other::new(),
    }
}

fn ucum(value: f64, unit: &str) -> Quantity {
    Quantity {
        value: json_number(value),
        comparator: None,
        unit: Some(unit.into()),
        system: Some(codes::UCUM.into()),
        code: Some(unit.into()),
        other: Other::new(),
    }
}

/// Writes an observation's value: a quantity as `valueQuantity`; a blood pressure as the FHIR
/// Blood Pressure profile's systolic and diastolic components (category `vital-signs`); a
/// dipstick reading as `valueCodeableConcept` with its text, and for urine protein by test
/// strip (LOINC 20454-5) its SNOMED CT result code.
fn observation_value(resource: &mut Observation, observation: &ModelObservation) {
    match &observation.value {
        ObservationValue::Quantity(value) => resource.value_quantity = Some(quantity(value)),
        ObservationValue::BloodPressure(pressure) => {
            resource.category = vec![concept(
                codes::OBSERVATION_CATEGORY,
                codes::VITAL_SIGNS,
                None,
            )];
            resource.component = [
                (codes::BP_SYSTOLIC, pressure.systolic()),
                (codes::BP_DIASTOLIC, pressure.diastolic()),
            ]
            .into_iter()
            .map(|((code, display), value)| ObservationComponent {
                code: concept(codes::LOINC, code, Some(display)),
                value_quantity: Some(ucum(value, pressure.unit())),
                value_codeable_concept: None,
                value_integer: None,
                other: Other::new(),
            })
            .collect();
        }
        ObservationValue::Dipstick(reading) => {
            let label = reading.dipstick.label();
            let mut value = text_concept(label);
            if observation.loinc.as_deref() == Some(codes::URINE_PROTEIN_STRIP)
                && let Some((_, code, display)) = codes::URINE_PROTEIN_STRIP_RESULTS
                    .iter()
                    .find(|(written, _, _)| *written == label)
            {
                value
                    .coding
                    .push(coding(codes::SNOMED, code, Some(display)));
            }
            resource.value_codeable_concept = Some(value);
        }
    }
}

fn quantity(q: &oncourse_model::Quantity) -> Quantity {
    ucum(q.value(), q.unit())
}
