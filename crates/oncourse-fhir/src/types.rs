//! Lean serde types for the FHIR R4 resources and datatypes oncourse exchanges.
//!
//! Only the elements oncourse reads or writes are typed; every other element of a resource is
//! kept verbatim in its `other` map (`#[serde(flatten)]`), so an import never drops what an EHR
//! sent and a re-export can carry it on. Field names follow the R4 JSON names
//! (<https://hl7.org/fhir/R4/json.html>); choice elements (`value[x]`, `effective[x]`, ...) are
//! one optional field per type oncourse uses.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Elements a type does not model, kept as they came.
pub type Other = Map<String, Value>;

/// A code from a code system (R4 `Coding`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Coding {
    /// The code system URI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// The code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// A human-readable display.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

/// Codes and text for one concept (R4 `CodeableConcept`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CodeableConcept {
    /// Codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coding: Vec<Coding>,
    /// Plain text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

impl CodeableConcept {
    /// The code of the first coding in `system`.
    pub fn code_in(&self, system: &str) -> Option<&str> {
        self.coding
            .iter()
            .find(|c| c.system.as_deref() == Some(system))
            .and_then(|c| c.code.as_deref())
    }

    /// True when a coding has this system and code.
    pub fn has(&self, system: &str, code: &str) -> bool {
        self.coding
            .iter()
            .any(|c| c.system.as_deref() == Some(system) && c.code.as_deref() == Some(code))
    }

    /// The text, else the first display, else the first code.
    pub fn label(&self) -> Option<&str> {
        self.text
            .as_deref()
            .or_else(|| self.coding.iter().find_map(|c| c.display.as_deref()))
            .or_else(|| self.coding.iter().find_map(|c| c.code.as_deref()))
    }
}

/// A measured amount (R4 `Quantity`; also `Age`, `Duration`, `SimpleQuantity`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// The number, kept as written: FHIR decimals carry their precision (`1` is not `1.0`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Number>,
    /// Comparator (`<`, `<=`, `>=`, `>`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparator: Option<String>,
    /// Unit as displayed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Unit system (UCUM: `http://unitsofmeasure.org`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// Coded unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

impl Quantity {
    /// The value as a float.
    pub fn number(&self) -> Option<f64> {
        self.value.as_ref().and_then(serde_json::Number::as_f64)
    }
}

/// A JSON number for `value`: an integer when the value is whole, else the shortest decimal.
pub fn json_number(value: f64) -> Option<serde_json::Number> {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        Some(serde_json::Number::from(value as i64))
    } else {
        serde_json::Number::from_f64(value)
    }
}

/// A reference to another resource (R4 `Reference`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// Relative (`Type/id`) or absolute reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Text alternative.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

impl Reference {
    /// A relative reference `Type/id`.
    pub fn to(resource_type: &str, id: &str) -> Reference {
        Reference {
            reference: Some(format!("{resource_type}/{id}")),
            ..Reference::default()
        }
    }

    /// The id of the referenced resource if the reference is `Type/id` (or ends with it).
    pub fn id_of(&self, resource_type: &str) -> Option<&str> {
        let reference = self.reference.as_deref()?;
        let (prefix, id) = reference.rsplit_once('/')?;
        (prefix == resource_type || prefix.ends_with(&format!("/{resource_type}"))).then_some(id)
    }
}

/// A time period (R4 `Period`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Period {
    /// Start, inclusive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// End, inclusive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

/// A text note (R4 `Annotation`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    /// The text.
    #[serde(default)]
    pub text: String,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

/// An extension (R4 `Extension`) with the value types oncourse uses.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Extension {
    /// The extension's definition URL (or the slice name inside a complex extension).
    #[serde(default)]
    pub url: String,
    /// Nested extensions of a complex extension.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `valueString`.
    #[serde(rename = "valueString", skip_serializing_if = "Option::is_none")]
    pub value_string: Option<String>,
    /// `valueCode`.
    #[serde(rename = "valueCode", skip_serializing_if = "Option::is_none")]
    pub value_code: Option<String>,
    /// `valueBoolean`.
    #[serde(rename = "valueBoolean", skip_serializing_if = "Option::is_none")]
    pub value_boolean: Option<bool>,
    /// `valueUnsignedInt`.
    #[serde(rename = "valueUnsignedInt", skip_serializing_if = "Option::is_none")]
    pub value_unsigned_int: Option<u32>,
    /// `valueDate`.
    #[serde(rename = "valueDate", skip_serializing_if = "Option::is_none")]
    pub value_date: Option<String>,
    /// `valueQuantity`.
    #[serde(rename = "valueQuantity", skip_serializing_if = "Option::is_none")]
    pub value_quantity: Option<Quantity>,
    /// `valueCodeableConcept`.
    #[serde(
        rename = "valueCodeableConcept",
        skip_serializing_if = "Option::is_none"
    )]
    pub value_codeable_concept: Option<CodeableConcept>,
    /// `valueReference`.
    #[serde(rename = "valueReference", skip_serializing_if = "Option::is_none")]
    pub value_reference: Option<Reference>,
    /// Other elements (other value types).
    #[serde(flatten)]
    pub other: Other,
}

/// Finds the first extension with this URL.
pub fn find_extension<'a>(extensions: &'a [Extension], url: &str) -> Option<&'a Extension> {
    extensions.iter().find(|e| e.url == url)
}

/// Resource metadata (R4 `Meta`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// Profiles the resource claims to conform to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profile: Vec<String>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

/// Elements every resource oncourse types carries at its start.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Logical id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Metadata with profiles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// Extensions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
}

impl Header {
    /// True when `meta.profile` lists `profile`.
    pub fn claims(&self, profile: &str) -> bool {
        self.meta.as_ref().is_some_and(|m| {
            m.profile
                .iter()
                .any(|p| p.split('|').next() == Some(profile))
        })
    }
}

/// R4 `Patient`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Patient {
    /// Id, meta, extensions.
    #[serde(flatten)]
    pub header: Header,
    /// `male` | `female` | `other` | `unknown`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    /// Birth date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    #[serde(rename = "birthDate", skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

/// R4 `Condition.stage`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConditionStage {
    /// Stage summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<CodeableConcept>,
    /// The staging observations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assessment: Vec<Reference>,
    /// Staging system.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub stage_type: Option<CodeableConcept>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

/// R4 `Condition`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    /// Id, meta, extensions.
    #[serde(flatten)]
    pub header: Header,
    /// Clinical status.
    #[serde(rename = "clinicalStatus", skip_serializing_if = "Option::is_none")]
    pub clinical_status: Option<CodeableConcept>,
    /// Verification status.
    #[serde(rename = "verificationStatus", skip_serializing_if = "Option::is_none")]
    pub verification_status: Option<CodeableConcept>,
    /// Category.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub category: Vec<CodeableConcept>,
    /// What the condition is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<CodeableConcept>,
    /// Anatomical location.
    #[serde(rename = "bodySite", default, skip_serializing_if = "Vec::is_empty")]
    pub body_site: Vec<CodeableConcept>,
    /// The patient.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<Reference>,
    /// Onset date.
    #[serde(rename = "onsetDateTime", skip_serializing_if = "Option::is_none")]
    pub onset_date_time: Option<String>,
    /// Date recorded.
    #[serde(rename = "recordedDate", skip_serializing_if = "Option::is_none")]
    pub recorded_date: Option<String>,
    /// Stage.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stage: Vec<ConditionStage>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub note: Vec<Annotation>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

/// R4 `Observation.component`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ObservationComponent {
    /// What the component is.
    #[serde(default)]
    pub code: CodeableConcept,
    /// `valueQuantity`.
    #[serde(rename = "valueQuantity", skip_serializing_if = "Option::is_none")]
    pub value_quantity: Option<Quantity>,
    /// `valueCodeableConcept`.
    #[serde(
        rename = "valueCodeableConcept",
        skip_serializing_if = "Option::is_none"
    )]
    pub value_codeable_concept: Option<CodeableConcept>,
    /// `valueInteger`.
    #[serde(rename = "valueInteger", skip_serializing_if = "Option::is_none")]
    pub value_integer: Option<i64>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

/// R4 `Observation.referenceRange`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReferenceRange {
    /// Lower limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub low: Option<Quantity>,
    /// Upper limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub high: Option<Quantity>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

/// R4 `Observation`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// Id, meta, extensions.
    #[serde(flatten)]
    pub header: Header,
    /// `registered` | `preliminary` | `final` | `amended` | ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Category.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub category: Vec<CodeableConcept>,
    /// What was observed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<CodeableConcept>,
    /// The patient.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<Reference>,
    /// What the observation is about (a condition, a tumour).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub focus: Vec<Reference>,
    /// `effectiveDateTime`.
    #[serde(rename = "effectiveDateTime", skip_serializing_if = "Option::is_none")]
    pub effective_date_time: Option<String>,
    /// `effectivePeriod`.
    #[serde(rename = "effectivePeriod", skip_serializing_if = "Option::is_none")]
    pub effective_period: Option<Period>,
    /// `valueQuantity`.
    #[serde(rename = "valueQuantity", skip_serializing_if = "Option::is_none")]
    pub value_quantity: Option<Quantity>,
    /// `valueCodeableConcept`.
    #[serde(
        rename = "valueCodeableConcept",
        skip_serializing_if = "Option::is_none"
    )]
    pub value_codeable_concept: Option<CodeableConcept>,
    /// `valueInteger`.
    #[serde(rename = "valueInteger", skip_serializing_if = "Option::is_none")]
    pub value_integer: Option<i64>,
    /// `valueString`.
    #[serde(rename = "valueString", skip_serializing_if = "Option::is_none")]
    pub value_string: Option<String>,
    /// Interpretation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interpretation: Vec<CodeableConcept>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub note: Vec<Annotation>,
    /// Body site.
    #[serde(rename = "bodySite", skip_serializing_if = "Option::is_none")]
    pub body_site: Option<CodeableConcept>,
    /// Method.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<CodeableConcept>,
    /// Reference ranges.
    #[serde(
        rename = "referenceRange",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub reference_range: Vec<ReferenceRange>,
    /// Member observations (a stage group's categories).
    #[serde(rename = "hasMember", default, skip_serializing_if = "Vec::is_empty")]
    pub has_member: Vec<Reference>,
    /// Components.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub component: Vec<ObservationComponent>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

/// R4 `Procedure`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Procedure {
    /// Id, meta, extensions.
    #[serde(flatten)]
    pub header: Header,
    /// The larger event this is part of.
    #[serde(rename = "partOf", default, skip_serializing_if = "Vec::is_empty")]
    pub part_of: Vec<Reference>,
    /// `preparation` | `in-progress` | `completed` | ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// What was done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<CodeableConcept>,
    /// The patient.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<Reference>,
    /// `performedDateTime`.
    #[serde(rename = "performedDateTime", skip_serializing_if = "Option::is_none")]
    pub performed_date_time: Option<String>,
    /// `performedPeriod`.
    #[serde(rename = "performedPeriod", skip_serializing_if = "Option::is_none")]
    pub performed_period: Option<Period>,
    /// Why (a condition).
    #[serde(
        rename = "reasonReference",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub reason_reference: Vec<Reference>,
    /// Body site.
    #[serde(rename = "bodySite", default, skip_serializing_if = "Vec::is_empty")]
    pub body_site: Vec<CodeableConcept>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub note: Vec<Annotation>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

/// R4 `BodyStructure` (mCODE RadiotherapyVolume).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BodyStructure {
    /// Id, meta, extensions.
    #[serde(flatten)]
    pub header: Header,
    /// Text description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The patient.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patient: Option<Reference>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

/// R4 `Timing.repeat`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TimingRepeat {
    /// Times per period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frequency: Option<u32>,
    /// The period length, kept as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<serde_json::Number>,
    /// UCUM unit of the period (`s` `min` `h` `d` `wk` `mo` `a`).
    #[serde(rename = "periodUnit", skip_serializing_if = "Option::is_none")]
    pub period_unit: Option<String>,
    /// Event-related timing codes (e.g. `ACM` before breakfast).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when: Vec<String>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

/// R4 `Timing`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    /// The repeat rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repeat: Option<TimingRepeat>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

/// R4 `Dosage.doseAndRate`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DoseAndRate {
    /// The dose.
    #[serde(rename = "doseQuantity", skip_serializing_if = "Option::is_none")]
    pub dose_quantity: Option<Quantity>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

/// R4 `Dosage`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Dosage {
    /// Free-text instructions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// When.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timing: Option<Timing>,
    /// Route.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<CodeableConcept>,
    /// Dose.
    #[serde(rename = "doseAndRate", default, skip_serializing_if = "Vec::is_empty")]
    pub dose_and_rate: Vec<DoseAndRate>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

/// R4 `MedicationRequest`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MedicationRequest {
    /// Id, meta, extensions.
    #[serde(flatten)]
    pub header: Header,
    /// `active` | `on-hold` | `cancelled` | `completed` | `stopped` | ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Why the status is what it is.
    #[serde(rename = "statusReason", skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<CodeableConcept>,
    /// `proposal` | `plan` | `order` | ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intent: Option<String>,
    /// The drug.
    #[serde(
        rename = "medicationCodeableConcept",
        skip_serializing_if = "Option::is_none"
    )]
    pub medication_codeable_concept: Option<CodeableConcept>,
    /// The patient.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<Reference>,
    /// When written.
    #[serde(rename = "authoredOn", skip_serializing_if = "Option::is_none")]
    pub authored_on: Option<String>,
    /// Why (a condition).
    #[serde(
        rename = "reasonReference",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub reason_reference: Vec<Reference>,
    /// The request this one replaces or changes.
    #[serde(rename = "priorPrescription", skip_serializing_if = "Option::is_none")]
    pub prior_prescription: Option<Reference>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub note: Vec<Annotation>,
    /// How to take it.
    #[serde(
        rename = "dosageInstruction",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub dosage_instruction: Vec<Dosage>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

/// R4 `MedicationAdministration.dosage`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdministrationDosage {
    /// Dose given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dose: Option<Quantity>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

/// R4 `MedicationAdministration`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MedicationAdministration {
    /// Id, meta, extensions.
    #[serde(flatten)]
    pub header: Header,
    /// `in-progress` | `completed` | ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The drug.
    #[serde(
        rename = "medicationCodeableConcept",
        skip_serializing_if = "Option::is_none"
    )]
    pub medication_codeable_concept: Option<CodeableConcept>,
    /// The patient.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<Reference>,
    /// `effectiveDateTime`.
    #[serde(rename = "effectiveDateTime", skip_serializing_if = "Option::is_none")]
    pub effective_date_time: Option<String>,
    /// `effectivePeriod`.
    #[serde(rename = "effectivePeriod", skip_serializing_if = "Option::is_none")]
    pub effective_period: Option<Period>,
    /// The request this administration fulfils.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<Reference>,
    /// Dose given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dosage: Option<AdministrationDosage>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub note: Vec<Annotation>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

/// R4 `AdverseEvent`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdverseEvent {
    /// Id, meta, extensions.
    #[serde(flatten)]
    pub header: Header,
    /// `actual` | `potential`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actuality: Option<String>,
    /// The event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<CodeableConcept>,
    /// The patient.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<Reference>,
    /// When the event occurred.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Outcome (`resolved`, `ongoing`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<CodeableConcept>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

/// R4 `DiagnosticReport` (an imaging study with its lesion measurements).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DiagnosticReport {
    /// Id, meta, extensions.
    #[serde(flatten)]
    pub header: Header,
    /// `registered` | `partial` | `final` | ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Category.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub category: Vec<CodeableConcept>,
    /// Report kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<CodeableConcept>,
    /// The patient.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<Reference>,
    /// `effectiveDateTime`.
    #[serde(rename = "effectiveDateTime", skip_serializing_if = "Option::is_none")]
    pub effective_date_time: Option<String>,
    /// Result observations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub result: Vec<Reference>,
    /// Conclusion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conclusion: Option<String>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

/// A resource oncourse exchanges.
// Resources live briefly during an export or import, a few hundred at a time; boxing each
// variant would add noise at every construction site for no measurable gain.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "resourceType")]
pub enum Resource {
    /// Patient.
    Patient(Patient),
    /// Condition.
    Condition(Condition),
    /// Observation.
    Observation(Observation),
    /// Procedure.
    Procedure(Procedure),
    /// BodyStructure.
    BodyStructure(BodyStructure),
    /// MedicationRequest.
    MedicationRequest(MedicationRequest),
    /// MedicationAdministration.
    MedicationAdministration(MedicationAdministration),
    /// AdverseEvent.
    AdverseEvent(AdverseEvent),
    /// DiagnosticReport.
    DiagnosticReport(DiagnosticReport),
}

impl Resource {
    /// The R4 resource type name.
    pub fn resource_type(&self) -> &'static str {
        match self {
            Resource::Patient(_) => "Patient",
            Resource::Condition(_) => "Condition",
            Resource::Observation(_) => "Observation",
            Resource::Procedure(_) => "Procedure",
            Resource::BodyStructure(_) => "BodyStructure",
            Resource::MedicationRequest(_) => "MedicationRequest",
            Resource::MedicationAdministration(_) => "MedicationAdministration",
            Resource::AdverseEvent(_) => "AdverseEvent",
            Resource::DiagnosticReport(_) => "DiagnosticReport",
        }
    }

    /// The resource's id, meta and extensions.
    pub fn header(&self) -> &Header {
        match self {
            Resource::Patient(r) => &r.header,
            Resource::Condition(r) => &r.header,
            Resource::Observation(r) => &r.header,
            Resource::Procedure(r) => &r.header,
            Resource::BodyStructure(r) => &r.header,
            Resource::MedicationRequest(r) => &r.header,
            Resource::MedicationAdministration(r) => &r.header,
            Resource::AdverseEvent(r) => &r.header,
            Resource::DiagnosticReport(r) => &r.header,
        }
    }

    /// The resource types oncourse types (others are kept as JSON).
    pub const TYPED: &'static [&'static str] = &[
        "Patient",
        "Condition",
        "Observation",
        "Procedure",
        "BodyStructure",
        "MedicationRequest",
        "MedicationAdministration",
        "AdverseEvent",
        "DiagnosticReport",
    ];
}

/// R4 `Bundle.entry.request` (transaction bundles).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BundleRequest {
    /// HTTP verb.
    pub method: String,
    /// Target URL, relative to the server base.
    pub url: String,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

/// R4 `Bundle.entry`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BundleEntry {
    /// Absolute URL of the resource.
    #[serde(rename = "fullUrl", skip_serializing_if = "Option::is_none")]
    pub full_url: Option<String>,
    /// The resource, as JSON (typed on import one entry at a time so errors can be located).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<Value>,
    /// Transaction request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<BundleRequest>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}

/// R4 `Bundle`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bundle {
    /// Always `Bundle`.
    pub resource_type: String,
    /// Id, meta, extensions.
    #[serde(flatten)]
    pub header: Header,
    /// `collection` | `transaction` | `batch` | `searchset` | ...
    #[serde(rename = "type")]
    pub bundle_type: String,
    /// Entries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entry: Vec<BundleEntry>,
    /// Other elements.
    #[serde(flatten)]
    pub other: Other,
}
