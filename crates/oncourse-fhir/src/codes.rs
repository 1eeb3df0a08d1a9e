//! Code systems, profile and extension URLs, and the codes oncourse writes, each with its source.
//!
//! Sources:
//! - mCODE STU4: npm package `hl7.fhir.us.mcode` 4.0.0 (CC0-1.0), its StructureDefinitions and
//!   ValueSets (<http://hl7.org/fhir/us/mcode/STU4>). Every mCODE URL and every code below
//!   marked "mCODE VS" was read from that package's `ValueSet-*.json` or
//!   `StructureDefinition-*.json`; the file is named beside the constant.
//! - FHIR R4 code systems: <https://hl7.org/fhir/R4/terminologies-systems.html>.
//! - Adverse-event grade: HL7 "Adverse Event Clinical Research R4 Backport" IG STU1 1.0.1,
//!   extension `ae-grade` (<http://hl7.org/fhir/uv/ae-research-backport-ig/STU1>), bound
//!   (preferred) to THO ValueSet `adverse-event-clinical-research-grades` (NCI Thesaurus codes).
//!   We use that backport extension, not the draft CTC Adverse Events IG, because the backport is
//!   a published STU built on R4.
//! - Codes with no published equivalent in these sources are written as text only (never an
//!   invented code), or, for oncourse bookkeeping, in an oncourse code system or extension under
//!   [`ONCOURSE_BASE`].

/// SNOMED CT.
pub const SNOMED: &str = "http://snomed.info/sct";
/// LOINC.
pub const LOINC: &str = "http://loinc.org";
/// UCUM.
pub const UCUM: &str = "http://unitsofmeasure.org";
/// ICD-10 (WHO), the R4 system URI.
pub const ICD10: &str = "http://hl7.org/fhir/sid/icd-10";
/// ICD-O-3 (used by mCODE for histology and topography, e.g. `ValueSet-mcode-histology-morphology-behavior-vs.json`).
pub const ICD_O_3: &str = "http://terminology.hl7.org/CodeSystem/icd-o-3";
/// NCI Thesaurus.
pub const NCIT: &str = "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl";
/// R4 observation-category.
pub const OBSERVATION_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
/// R4 condition-category.
pub const CONDITION_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/condition-category";
/// R4 condition-clinical.
pub const CONDITION_CLINICAL: &str = "http://terminology.hl7.org/CodeSystem/condition-clinical";
/// R4 condition-ver-status.
pub const CONDITION_VER_STATUS: &str = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
/// HL7 v2 table 0074 (diagnostic service section; `RAD` radiology).
pub const V2_0074: &str = "http://terminology.hl7.org/CodeSystem/v2-0074";
/// R4 adverse-event-outcome.
pub const AE_OUTCOME: &str = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome";

/// Base URL of oncourse's own extensions and code systems (the project's repository URL).
pub const ONCOURSE_BASE: &str = "https://example.invalid/oncourse/fhir";

/// Prefix of every mCODE StructureDefinition URL.
const MCODE_SD: &str = "http://hl7.org/fhir/us/mcode/StructureDefinition/";

macro_rules! mcode {
    ($($(#[$doc:meta])* $name:ident = $id:literal;)*) => {
        $( $(#[$doc])* pub const $name: &str = concat!("http://hl7.org/fhir/us/mcode/StructureDefinition/", $id); )*
    };
}

mcode! {
    /// Profile CancerPatient (`StructureDefinition-mcode-cancer-patient.json`).
    CANCER_PATIENT = "mcode-cancer-patient";
    /// Profile PrimaryCancerCondition.
    PRIMARY_CANCER_CONDITION = "mcode-primary-cancer-condition";
    /// Profile TNMStageGroup.
    TNM_STAGE_GROUP = "mcode-tnm-stage-group";
    /// Profile TNMPrimaryTumorCategory.
    TNM_T = "mcode-tnm-primary-tumor-category";
    /// Profile TNMRegionalNodesCategory.
    TNM_N = "mcode-tnm-regional-nodes-category";
    /// Profile TNMDistantMetastasesCategory.
    TNM_M = "mcode-tnm-distant-metastases-category";
    /// Profile HistologicGrade.
    HISTOLOGIC_GRADE = "mcode-histologic-grade";
    /// Profile TumorMarkerTest.
    TUMOR_MARKER_TEST = "mcode-tumor-marker-test";
    /// Profile TumorSize.
    TUMOR_SIZE = "mcode-tumor-size";
    /// Profile ECOGPerformanceStatus.
    ECOG = "mcode-ecog-performance-status";
    /// Profile CancerDiseaseStatus.
    CANCER_DISEASE_STATUS = "mcode-cancer-disease-status";
    /// Profile RadiotherapyCourseSummary.
    RT_COURSE_SUMMARY = "mcode-radiotherapy-course-summary";
    /// Profile RadiotherapyVolume.
    RT_VOLUME = "mcode-radiotherapy-volume";
    /// Profile CancerRelatedMedicationRequest.
    MEDICATION_REQUEST = "mcode-cancer-related-medication-request";
    /// Profile CancerRelatedMedicationAdministration.
    MEDICATION_ADMINISTRATION = "mcode-cancer-related-medication-administration";
    /// Extension HistologyMorphologyBehavior.
    EXT_HISTOLOGY = "mcode-histology-morphology-behavior";
    /// Extension LateralityQualifier.
    EXT_LATERALITY = "mcode-laterality-qualifier";
    /// Extension RelatedCondition.
    EXT_RELATED_CONDITION = "mcode-related-condition";
    /// Extension RadiotherapyModalityAndTechnique.
    EXT_MODALITY_AND_TECHNIQUE = "mcode-radiotherapy-modality-and-technique";
    /// Extension RadiotherapyModality.
    EXT_MODALITY = "mcode-radiotherapy-modality";
    /// Extension RadiotherapyTechnique.
    EXT_TECHNIQUE = "mcode-radiotherapy-technique";
    /// Extension RadiotherapySessions.
    EXT_SESSIONS = "mcode-radiotherapy-sessions";
    /// Extension RadiotherapyDoseDeliveredToVolume.
    EXT_DOSE_DELIVERED = "mcode-radiotherapy-dose-delivered-to-volume";
}

/// True for URLs of mCODE StructureDefinitions.
pub fn is_mcode(url: &str) -> bool {
    url.starts_with(MCODE_SD)
}

/// AE Clinical Research R4 Backport STU1 extension: the CTCAE grade of an adverse event.
pub const EXT_AE_GRADE: &str =
    "http://hl7.org/fhir/uv/ae-research-backport-ig/StructureDefinition/ae-grade";

/// NCI Thesaurus codes of THO ValueSet `adverse-event-clinical-research-grades` 1.0.0 for CTCAE
/// grades 1–4 (C41338 mild, C41339 moderate, C41340 severe, C41337 life-threatening). Grade 5
/// is written as text only: its code was not confirmed in the sources read.
pub const AE_GRADE_NCIT: [(u8, &str, &str); 4] = [
    (1, "C41338", "Grade 1 Mild Adverse Event"),
    (2, "C41339", "Grade 2 Moderate Adverse Event"),
    (3, "C41340", "Grade 3 Severe Adverse Event"),
    (
        4,
        "C41337",
        "Grade 4 Life Threatening or Disabling Adverse Event",
    ),
];

/// oncourse extension carrying the bookkeeping of a fact (id, date, illustrative, supersedes,
/// note) so that export → import is lossless. Sub-extension URLs are the field names.
pub fn ext_fact() -> String {
    format!("{ONCOURSE_BASE}/StructureDefinition/fact")
}

/// oncourse extension for a field of the model that has no FHIR element; `name` is the field.
pub fn ext_field(name: &str) -> String {
    format!("{ONCOURSE_BASE}/StructureDefinition/{name}")
}

/// oncourse code system for vocabulary without a published code (IHC qualifiers, FNCLCC parts).
pub fn oncourse_codes(name: &str) -> String {
    format!("{ONCOURSE_BASE}/CodeSystem/{name}")
}

/// mCODE RadiotherapyCourseSummary `Procedure.code` pattern: SNOMED 1217123003
/// "Radiotherapy course of treatment (regime/therapy)" (`StructureDefinition-mcode-radiotherapy-course-summary.json`).
pub const RT_COURSE_CODE: &str = "1217123003";
/// Teleradiotherapy using photons, SNOMED 1156506007 (mCODE VS `mcode-teleradiotherapy-modality-vs`).
pub const RT_MODALITY_PHOTONS: (&str, &str) = (
    "1156506007",
    "External beam radiation therapy using photons (procedure)",
);

/// Techniques: (SNOMED code, display) from mCODE VS `mcode-teleradiotherapy-photon-beam-technique-vs`,
/// or `None` where STU4 has no code (stereotactic, brachytherapy technique): those are written
/// as v3-NullFlavor `UNC` (un-encoded) with text, as the ValueSet `mcode-radiotherapy-technique-vs`
/// provides and the mCODE example `Procedure-radiotherapy-treatment-summary-other-with-text` shows.
pub fn technique_code(
    technique: oncourse_model::radiotherapy::Technique,
) -> Option<(&'static str, &'static str)> {
    use oncourse_model::radiotherapy::Technique;
    match technique {
        Technique::Imrt => Some((
            "441799006",
            "Intensity modulated radiation therapy (procedure)",
        )),
        Technique::Vmat => Some(("1156530009", "Volumetric Modulated Arc Therapy (procedure)")),
        Technique::ThreeDCrt => Some((
            "1162782007",
            "Three dimensional external beam radiation therapy (procedure)",
        )),
        Technique::Sbrt | Technique::Srt | Technique::Brachytherapy => None,
    }
}

/// v3-NullFlavor, for the `UNC` (un-encoded) code.
pub const NULL_FLAVOR: &str = "http://terminology.hl7.org/CodeSystem/v3-NullFlavor";

/// Laterality qualifiers: SNOMED codes of mCODE VS `mcode-laterality-qualifier-vs`.
pub const LATERALITY: [(oncourse_model::diagnosis::Laterality, &str, &str); 4] = {
    use oncourse_model::diagnosis::Laterality;
    [
        (Laterality::Left, "7771000", "Left (qualifier value)"),
        (Laterality::Right, "24028007", "Right (qualifier value)"),
        (
            Laterality::Bilateral,
            "51440002",
            "Right and left (qualifier value)",
        ),
        (
            Laterality::Midline,
            "399488007",
            "Midline (qualifier value)",
        ),
    ]
};

/// TNM observation codes (SNOMED, mCODE VS `mcode-tnm-*-staging-type-vs`): stage group
/// 399390009, T 78873005, N 277206009, M 277208005 (neither clinical nor pathological: the
/// model does not record which).
pub const TNM_STAGE_GROUP_CODE: &str = "399390009";
/// T category.
pub const TNM_T_CODE: &str = "78873005";
/// N category.
pub const TNM_N_CODE: &str = "277206009";
/// M category.
pub const TNM_M_CODE: &str = "277208005";
/// AJCC 8th edition staging system, SNOMED 897275008 (mCODE VS `mcode-tnm-staging-method-vs`).
pub const AJCC_8: (&str, &str) = (
    "897275008",
    "American Joint Commission on Cancer, Cancer Staging Manual, 8th edition neoplasm staging system (tumor staging)",
);

/// Histologic grade observation code, NCIt C18000 (`StructureDefinition-mcode-histologic-grade.json`).
pub const HISTOLOGIC_GRADE_CODE: &str = "C18000";
/// Grade values, SNOMED (mCODE VS `mcode-histologic-grade-vs`): FNCLCC G1/G2/G3 are the low /
/// intermediate / high tiers of a three-tier system.
pub const GRADE_VALUES: [(oncourse_model::grade::FnclccGrade, &str, &str); 3] = {
    use oncourse_model::grade::FnclccGrade;
    [
        (
            FnclccGrade::G1,
            "1155708003",
            "Low histologic grade (qualifier value)",
        ),
        (
            FnclccGrade::G2,
            "1286893008",
            "Intermediate histologic grade (qualifier value)",
        ),
        (
            FnclccGrade::G3,
            "1155707008",
            "High histologic grade (qualifier value)",
        ),
    ]
};

/// Tumour size: LOINC 21889-1 "Size Tumor", components 33728-7 longest and 33729-5 other
/// dimension (`StructureDefinition-mcode-tumor-size.json`).
pub const TUMOR_SIZE_CODE: &str = "21889-1";
/// Longest dimension component.
pub const TUMOR_LONGEST: &str = "33728-7";
/// Other dimension component.
pub const TUMOR_OTHER: &str = "33729-5";

/// ECOG performance status, LOINC 89247-1 (`StructureDefinition-mcode-ecog-performance-status.json`).
pub const ECOG_CODE: &str = "89247-1";
/// Cancer disease status, LOINC 97509-4 (`StructureDefinition-mcode-cancer-disease-status.json`).
pub const DISEASE_STATUS_CODE: &str = "97509-4";
/// Condition worsened, SNOMED 271299001 (mCODE VS `mcode-condition-status-trend-vs`): progression
/// and recurrence.
pub const STATUS_WORSENED: (&str, &str) = ("271299001", "Patient's condition worsened (finding)");

/// IHC results with a SNOMED qualifier (as used in the mCODE examples): positive 10828004,
/// negative 260385009.
pub const SNOMED_POSITIVE: (&str, &str) = ("10828004", "Positive (qualifier value)");
/// Negative.
pub const SNOMED_NEGATIVE: (&str, &str) = ("260385009", "Negative (qualifier value)");

/// Oral route, SNOMED 26643006 "Oral route (qualifier value)" (FHIR R4 SNOMEDCTRouteCodes).
pub const ROUTE_ORAL: (&str, &str) = ("26643006", "Oral route (qualifier value)");

/// Blood pressure panel, LOINC 85354-9, with components systolic 8480-6 and diastolic 8462-4 in
/// `mm[Hg]` (FHIR R4 Blood Pressure profile, <http://hl7.org/fhir/R4/bp.html>).
pub const BP_PANEL: (&str, &str) = ("85354-9", "Blood pressure panel with all children optional");
/// Systolic blood pressure component.
pub const BP_SYSTOLIC: (&str, &str) = ("8480-6", "Systolic blood pressure");
/// Diastolic blood pressure component.
pub const BP_DIASTOLIC: (&str, &str) = ("8462-4", "Diastolic blood pressure");
/// R4 observation-category `vital-signs` (the Blood Pressure profile's category).
pub const VITAL_SIGNS: &str = "vital-signs";

/// Urine protein by test strip, LOINC 20454-5 "Protein \[Presence\] in Urine by Test strip", coded
/// with SNOMED CT as in US Core's `Observation-urine-protein` example
/// (<https://hl7.org/fhir/us/core/Observation-urine-protein.html>).
pub const URINE_PROTEIN_STRIP: &str = "20454-5";
/// Urine protein test strip results, SNOMED CT, as listed in IHE PCC mAPS value set
/// `Presence.In.Urine.VS` (<https://profiles.ihe.net/PCC/mAPS/ValueSet/Presence.In.Urine.VS>),
/// by the dipstick reading they code.
pub const URINE_PROTEIN_STRIP_RESULTS: [(&str, &str, &str); 6] = [
    ("negative", "167273002", "Urine protein test negative"),
    ("trace", "167274008", "Urine protein test = trace"),
    ("1+", "167275009", "Urine protein test = +"),
    ("2+", "167276005", "Urine protein test = ++"),
    ("3+", "167277001", "Urine protein test = +++"),
    ("4+", "167278006", "Urine protein test = ++++"),
];
