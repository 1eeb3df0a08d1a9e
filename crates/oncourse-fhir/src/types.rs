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

/// Defines one FHIR type of this module: the struct as written, with the derives every type
/// here has, R4's camelCase JSON names (a `rename` on a field overrides), and a trailing
/// `other` map for the elements it does not model.
///
/// R4 JSON leaves out what is absent, so an `Option<_>` field is skipped when `None` and a
/// `Vec<_>` field when empty (and read as empty when missing). A field of any other type is
/// always written, and attributes written on a field pass through unchanged.
macro_rules! fhir_type {
    (
        $(#[$type_attr:meta])*
        pub struct $name:ident { $($fields:tt)* }
    ) => {
        fhir_type!(@fields [$(#[$type_attr])* $name] [] $($fields)*);
    };
    (@fields $head:tt [$($done:tt)*]
        $(#[$attr:meta])* pub $field:ident: Option<$inner:ty>, $($rest:tt)*
    ) => {
        fhir_type!(@fields $head [$($done)*
            $(#[$attr])*
            #[serde(skip_serializing_if = "Option::is_none")]
            pub $field: Option<$inner>,
        ] $($rest)*);
    };
    (@fields $head:tt [$($done:tt)*]
        $(#[$attr:meta])* pub $field:ident: Vec<$inner:ty>, $($rest:tt)*
    ) => {
        fhir_type!(@fields $head [$($done)*
            $(#[$attr])*
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            pub $field: Vec<$inner>,
        ] $($rest)*);
    };
    (@fields $head:tt [$($done:tt)*]
        $(#[$attr:meta])* pub $field:ident: $type:ty, $($rest:tt)*
    ) => {
        fhir_type!(@fields $head [$($done)* $(#[$attr])* pub $field: $type,] $($rest)*);
    };
    (@fields [$(#[$type_attr:meta])* $name:ident] [$($done:tt)*]) => {
        $(#[$type_attr])*
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            $($done)*
            /// Other elements.
            #[serde(flatten)]
            pub other: Other,
        }
    };
}

fhir_type! {
    /// A code from a code system (R4 `Coding`).
    pub struct Coding {
        /// The code system URI.
        pub system: Option<String>,
        /// The code.
        pub code: Option<String>,
        /// A human-readable display.
        pub display: Option<String>,
    }
}

fhir_type! {
    /// Codes and text for one concept (R4 `CodeableConcept`).
    pub struct CodeableConcept {
        /// Codes.
        pub coding: Vec<Coding>,
        /// Plain text.
        pub text: Option<String>,
    }
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

fhir_type! {
    /// A measured amount (R4 `Quantity`; also `Age`, `Duration`, `SimpleQuantity`).
    pub struct Quantity {
        /// The number, kept as written: FHIR decimals carry their precision (`1` is not `1.0`).
        pub value: Option<serde_json::Number>,
        /// Comparator (`<`, `<=`, `>=`, `>`).
        pub comparator: Option<String>,
        /// Unit as displayed.
        pub unit: Option<String>,
        /// Unit system (UCUM: `http://unitsofmeasure.org`).
        pub system: Option<String>,
        /// Coded unit.
        pub code: Option<String>,
    }
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

fhir_type! {
    /// A reference to another resource (R4 `Reference`).
    pub struct Reference {
        /// Relative (`Type/id`) or absolute reference.
        pub reference: Option<String>,
        /// Text alternative.
        pub display: Option<String>,
    }
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

fhir_type! {
    /// A time period (R4 `Period`).
    pub struct Period {
        /// Start, inclusive.
        pub start: Option<String>,
        /// End, inclusive.
        pub end: Option<String>,
    }
}

fhir_type! {
    /// A text note (R4 `Annotation`).
    pub struct Annotation {
        /// The text.
        #[serde(default)]
        pub text: String,
    }
}

fhir_type! {
    /// An extension (R4 `Extension`) with the value types oncourse uses.
    pub struct Extension {
        /// The extension's definition URL (or the slice name inside a complex extension).
        #[serde(default)]
        pub url: String,
        /// Nested extensions of a complex extension.
        pub extension: Vec<Extension>,
        /// `valueString`.
        pub value_string: Option<String>,
        /// `valueCode`.
        pub value_code: Option<String>,
        /// `valueBoolean`.
        pub value_boolean: Option<bool>,
        /// `valueUnsignedInt`.
        pub value_unsigned_int: Option<u32>,
        /// `valueDate`.
        pub value_date: Option<String>,
        /// `valueQuantity`.
        pub value_quantity: Option<Quantity>,
        /// `valueCodeableConcept`.
        pub value_codeable_concept: Option<CodeableConcept>,
        /// `valueReference`.
        pub value_reference: Option<Reference>,
    }
}

/// Finds the first extension with this URL.
pub fn find_extension<'a>(extensions: &'a [Extension], url: &str) -> Option<&'a Extension> {
    extensions.iter().find(|e| e.url == url)
}

fhir_type! {
    /// Resource metadata (R4 `Meta`).
    pub struct Meta {
        /// Profiles the resource claims to conform to.
        pub profile: Vec<String>,
    }
}

/// Elements every resource oncourse types carries at its start (flattened into the resource,
/// whose own `other` map keeps the rest, so it is written out and not made by `fhir_type!`).
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

fhir_type! {
    /// R4 `Patient`.
    pub struct Patient {
        /// Id, meta, extensions.
        #[serde(flatten)]
        pub header: Header,
        /// `male` | `female` | `other` | `unknown`.
        pub gender: Option<String>,
        /// Birth date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
        pub birth_date: Option<String>,
    }
}

fhir_type! {
    /// R4 `Condition.stage`.
    pub struct ConditionStage {
        /// Stage summary.
        pub summary: Option<CodeableConcept>,
        /// The staging observations.
        pub assessment: Vec<Reference>,
        /// Staging system.
        #[serde(rename = "type")]
        pub stage_type: Option<CodeableConcept>,
    }
}

fhir_type! {
    /// R4 `Condition`.
    pub struct Condition {
        /// Id, meta, extensions.
        #[serde(flatten)]
        pub header: Header,
        /// Clinical status.
        pub clinical_status: Option<CodeableConcept>,
        /// Verification status.
        pub verification_status: Option<CodeableConcept>,
        /// Category.
        pub category: Vec<CodeableConcept>,
        /// What the condition is.
        pub code: Option<CodeableConcept>,
        /// Anatomical location.
        pub body_site: Vec<CodeableConcept>,
        /// The patient.
        pub subject: Option<Reference>,
        /// Onset date.
        pub onset_date_time: Option<String>,
        /// Date recorded.
        pub recorded_date: Option<String>,
        /// Stage.
        pub stage: Vec<ConditionStage>,
        /// Notes.
        pub note: Vec<Annotation>,
    }
}

fhir_type! {
    /// R4 `Observation.component`.
    pub struct ObservationComponent {
        /// What the component is.
        #[serde(default)]
        pub code: CodeableConcept,
        /// `valueQuantity`.
        pub value_quantity: Option<Quantity>,
        /// `valueCodeableConcept`.
        pub value_codeable_concept: Option<CodeableConcept>,
        /// `valueInteger`.
        pub value_integer: Option<i64>,
    }
}

fhir_type! {
    /// R4 `Observation.referenceRange`.
    pub struct ReferenceRange {
        /// Lower limit.
        pub low: Option<Quantity>,
        /// Upper limit.
        pub high: Option<Quantity>,
    }
}

fhir_type! {
    /// R4 `Observation`.
    pub struct Observation {
        /// Id, meta, extensions.
        #[serde(flatten)]
        pub header: Header,
        /// `registered` | `preliminary` | `final` | `amended` | ...
        pub status: Option<String>,
        /// Category.
        pub category: Vec<CodeableConcept>,
        /// What was observed.
        pub code: Option<CodeableConcept>,
        /// The patient.
        pub subject: Option<Reference>,
        /// What the observation is about (a condition, a tumour).
        pub focus: Vec<Reference>,
        /// `effectiveDateTime`.
        pub effective_date_time: Option<String>,
        /// `effectivePeriod`.
        pub effective_period: Option<Period>,
        /// `valueQuantity`.
        pub value_quantity: Option<Quantity>,
        /// `valueCodeableConcept`.
        pub value_codeable_concept: Option<CodeableConcept>,
        /// `valueInteger`.
        pub value_integer: Option<i64>,
        /// `valueString`.
        pub value_string: Option<String>,
        /// Interpretation.
        pub interpretation: Vec<CodeableConcept>,
        /// Notes.
        pub note: Vec<Annotation>,
        /// Body site.
        pub body_site: Option<CodeableConcept>,
        /// Method.
        pub method: Option<CodeableConcept>,
        /// Reference ranges.
        pub reference_range: Vec<ReferenceRange>,
        /// Member observations (a stage group's categories).
        pub has_member: Vec<Reference>,
        /// Components.
        pub component: Vec<ObservationComponent>,
    }
}

fhir_type! {
    /// R4 `Procedure`.
    pub struct Procedure {
        /// Id, meta, extensions.
        #[serde(flatten)]
        pub header: Header,
        /// The larger event this is part of.
        pub part_of: Vec<Reference>,
        /// `preparation` | `in-progress` | `completed` | ...
        pub status: Option<String>,
        /// What was done.
        pub code: Option<CodeableConcept>,
        /// The patient.
        pub subject: Option<Reference>,
        /// `performedDateTime`.
        pub performed_date_time: Option<String>,
        /// `performedPeriod`.
        pub performed_period: Option<Period>,
        /// Why (a condition).
        pub reason_reference: Vec<Reference>,
        /// Body site.
        pub body_site: Vec<CodeableConcept>,
        /// Notes.
        pub note: Vec<Annotation>,
    }
}

fhir_type! {
    /// R4 `BodyStructure` (mCODE RadiotherapyVolume).
    pub struct BodyStructure {
        /// Id, meta, extensions.
        #[serde(flatten)]
        pub header: Header,
        /// Text description.
        pub description: Option<String>,
        /// The patient.
        pub patient: Option<Reference>,
    }
}

fhir_type! {
    /// R4 `Timing.repeat`.
    pub struct TimingRepeat {
        /// Times per period.
        pub frequency: Option<u32>,
        /// The period length, kept as written.
        pub period: Option<serde_json::Number>,
        /// UCUM unit of the period (`s` `min` `h` `d` `wk` `mo` `a`).
        pub period_unit: Option<String>,
        /// Event-related timing codes (e.g. `ACM` before breakfast).
        pub when: Vec<String>,
    }
}

fhir_type! {
    /// R4 `Timing`.
    pub struct Timing {
        /// The repeat rule.
        pub repeat: Option<TimingRepeat>,
    }
}

fhir_type! {
    /// R4 `Dosage.doseAndRate`.
    pub struct DoseAndRate {
        /// The dose.
        pub dose_quantity: Option<Quantity>,
    }
}

fhir_type! {
    /// R4 `Dosage`.
    pub struct Dosage {
        /// Free-text instructions.
        pub text: Option<String>,
        /// When.
        pub timing: Option<Timing>,
        /// Route.
        pub route: Option<CodeableConcept>,
        /// Dose.
        pub dose_and_rate: Vec<DoseAndRate>,
    }
}

fhir_type! {
    /// R4 `MedicationRequest`.
    pub struct MedicationRequest {
        /// Id, meta, extensions.
        #[serde(flatten)]
        pub header: Header,
        /// `active` | `on-hold` | `cancelled` | `completed` | `stopped` | ...
        pub status: Option<String>,
        /// Why the status is what it is.
        pub status_reason: Option<CodeableConcept>,
        /// `proposal` | `plan` | `order` | ...
        pub intent: Option<String>,
        /// The drug.
        pub medication_codeable_concept: Option<CodeableConcept>,
        /// The patient.
        pub subject: Option<Reference>,
        /// When written.
        pub authored_on: Option<String>,
        /// Why (a condition).
        pub reason_reference: Vec<Reference>,
        /// The request this one replaces or changes.
        pub prior_prescription: Option<Reference>,
        /// Notes.
        pub note: Vec<Annotation>,
        /// How to take it.
        pub dosage_instruction: Vec<Dosage>,
    }
}

fhir_type! {
    /// R4 `MedicationAdministration.dosage`.
    pub struct AdministrationDosage {
        /// Dose given.
        pub dose: Option<Quantity>,
    }
}

fhir_type! {
    /// R4 `MedicationAdministration`.
    pub struct MedicationAdministration {
        /// Id, meta, extensions.
        #[serde(flatten)]
        pub header: Header,
        /// `in-progress` | `completed` | ...
        pub status: Option<String>,
        /// The drug.
        pub medication_codeable_concept: Option<CodeableConcept>,
        /// The patient.
        pub subject: Option<Reference>,
        /// `effectiveDateTime`.
        pub effective_date_time: Option<String>,
        /// `effectivePeriod`.
        pub effective_period: Option<Period>,
        /// The request this administration fulfils.
        pub request: Option<Reference>,
        /// Dose given.
        pub dosage: Option<AdministrationDosage>,
        /// Notes.
        pub note: Vec<Annotation>,
    }
}

fhir_type! {
    /// R4 `AdverseEvent`.
    pub struct AdverseEvent {
        /// Id, meta, extensions.
        #[serde(flatten)]
        pub header: Header,
        /// `actual` | `potential`.
        pub actuality: Option<String>,
        /// The event.
        pub event: Option<CodeableConcept>,
        /// The patient.
        pub subject: Option<Reference>,
        /// When the event occurred.
        pub date: Option<String>,
        /// Outcome (`resolved`, `ongoing`, ...).
        pub outcome: Option<CodeableConcept>,
    }
}

fhir_type! {
    /// R4 `DiagnosticReport` (an imaging study with its lesion measurements).
    pub struct DiagnosticReport {
        /// Id, meta, extensions.
        #[serde(flatten)]
        pub header: Header,
        /// `registered` | `partial` | `final` | ...
        pub status: Option<String>,
        /// Category.
        pub category: Vec<CodeableConcept>,
        /// Report kind.
        pub code: Option<CodeableConcept>,
        /// The patient.
        pub subject: Option<Reference>,
        /// `effectiveDateTime`.
        pub effective_date_time: Option<String>,
        /// Result observations.
        pub result: Vec<Reference>,
        /// Conclusion.
        pub conclusion: Option<String>,
    }
}

/// Defines [`Resource`] over the resource types named: one variant each, named and tagged as
/// its R4 `resourceType`, with the lookups that go over all of them.
macro_rules! resources {
    ($($name:ident),* $(,)?) => {
        /// A resource oncourse exchanges.
        // Resources live briefly during an export or import, a few hundred at a time; boxing
        // each variant would add noise at every construction site for no measurable gain.
        #[allow(clippy::large_enum_variant)]
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "resourceType")]
        pub enum Resource {
            $(
                #[doc = concat!(stringify!($name), ".")]
                $name($name),
            )*
        }

        impl Resource {
            /// The R4 resource type name.
            pub fn resource_type(&self) -> &'static str {
                match self {
                    $(Resource::$name(_) => stringify!($name),)*
                }
            }

            /// The resource's id, meta and extensions.
            pub fn header(&self) -> &Header {
                match self {
                    $(Resource::$name(resource) => &resource.header,)*
                }
            }

            /// The resource types oncourse types (others are kept as JSON).
            pub const TYPED: &'static [&'static str] = &[$(stringify!($name)),*];
        }
    };
}

resources!(
    Patient,
    Condition,
    Observation,
    Procedure,
    BodyStructure,
    MedicationRequest,
    MedicationAdministration,
    AdverseEvent,
    DiagnosticReport,
);

fhir_type! {
    /// R4 `Bundle.entry.request` (transaction bundles).
    pub struct BundleRequest {
        /// HTTP verb.
        pub method: String,
        /// Target URL, relative to the server base.
        pub url: String,
    }
}

fhir_type! {
    /// R4 `Bundle.entry`.
    pub struct BundleEntry {
        /// Absolute URL of the resource.
        pub full_url: Option<String>,
        /// The resource, as JSON (typed on import one entry at a time so errors can be located).
        pub resource: Option<Value>,
        /// Transaction request.
        pub request: Option<BundleRequest>,
    }
}

fhir_type! {
    /// R4 `Bundle`.
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
        pub entry: Vec<BundleEntry>,
    }
}
