//! Reading RT Plans: the planned number of fractions and the prescription (dose references).

use dicom_dictionary_std::tags;

use crate::dicom_access::Attributes;
use crate::dicom_read::{Source, parse, read_bytes, read_file};
use crate::error::Result;

/// One DoseReferenceSequence item that carries a prescription.
#[derive(Debug, Clone, PartialEq)]
pub struct DoseReference {
    /// DoseReferenceNumber (300A,0012).
    pub number: i64,
    /// DoseReferenceDescription (300A,0016), if any.
    pub description: Option<String>,
    /// DoseReferenceStructureType (300A,0014): `SITE`, `VOLUME`, `POINT` or `COORDINATES`.
    pub structure_type: Option<String>,
    /// DoseReferenceType (300A,0020): `TARGET` or `ORGAN_AT_RISK`.
    pub reference_type: Option<String>,
    /// TargetPrescriptionDose (300A,0026), Gy, for the whole plan.
    pub target_prescription_dose_gy: Option<f64>,
}

/// An RT Plan reduced to what dose evaluation needs.
#[derive(Debug, Clone, PartialEq)]
pub struct RtPlan {
    /// RTPlanLabel (300A,0002).
    pub label: Option<String>,
    /// FrameOfReferenceUID (0020,0052).
    pub frame_of_reference_uid: Option<String>,
    /// NumberOfFractionsPlanned (300A,0078) of the first fraction group.
    pub fractions_planned: u32,
    /// The dose references.
    pub dose_references: Vec<DoseReference>,
}

impl RtPlan {
    /// The prescription dose of the first TARGET dose reference of type SITE or VOLUME
    /// (falling back to any dose reference with a prescription), Gy.
    pub fn prescription_gy(&self) -> Option<f64> {
        let with_dose = || {
            self.dose_references
                .iter()
                .filter(|reference| reference.target_prescription_dose_gy.is_some())
        };
        with_dose()
            .find(|reference| {
                reference.reference_type.as_deref() == Some("TARGET")
                    && matches!(reference.structure_type.as_deref(), Some("SITE" | "VOLUME"))
            })
            .or_else(|| with_dose().next())
            .and_then(|reference| reference.target_prescription_dose_gy)
    }
}

/// Reads an RT Plan from the bytes of a DICOM file.
pub fn read_rtplan(source_name: &str, bytes: &[u8]) -> Result<RtPlan> {
    read_bytes(source_name, bytes, read_from)
}

fn read_from(source_name: &str, source: &mut dyn Source, length: u64) -> Result<RtPlan> {
    let data_set = parse(source_name, source, length)?;
    let root = Attributes::root(source_name, &data_set.object);
    let modality = root.string("Modality", tags::MODALITY, "RTPLAN")?;
    if modality != "RTPLAN" {
        return Err(root.invalid("Modality", tags::MODALITY, "RTPLAN", &modality));
    }
    let groups = root.items("FractionGroupSequence", tags::FRACTION_GROUP_SEQUENCE);
    let first_group = groups.first().ok_or_else(|| {
        root.missing(
            "FractionGroupSequence",
            tags::FRACTION_GROUP_SEQUENCE,
            "at least one fraction group",
        )
    })?;
    let fractions_planned = first_group.unsigned(
        "NumberOfFractionsPlanned",
        tags::NUMBER_OF_FRACTIONS_PLANNED,
        "a positive number of fractions",
    )?;
    if fractions_planned == 0 {
        return Err(first_group.invalid(
            "NumberOfFractionsPlanned",
            tags::NUMBER_OF_FRACTIONS_PLANNED,
            "a positive number of fractions",
            0,
        ));
    }
    let dose_references = root
        .items("DoseReferenceSequence", tags::DOSE_REFERENCE_SEQUENCE)
        .iter()
        .map(|item| {
            Ok(DoseReference {
                number: item.number(
                    "DoseReferenceNumber",
                    tags::DOSE_REFERENCE_NUMBER,
                    "a number",
                )? as i64,
                description: item
                    .opt_string("DoseReferenceDescription", tags::DOSE_REFERENCE_DESCRIPTION)?,
                structure_type: item.opt_string(
                    "DoseReferenceStructureType",
                    tags::DOSE_REFERENCE_STRUCTURE_TYPE,
                )?,
                reference_type: item.opt_string("DoseReferenceType", tags::DOSE_REFERENCE_TYPE)?,
                target_prescription_dose_gy: item.opt_number(
                    "TargetPrescriptionDose",
                    tags::TARGET_PRESCRIPTION_DOSE,
                    "Gy",
                )?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(RtPlan {
        label: root.opt_string("RTPlanLabel", tags::RT_PLAN_LABEL)?,
        frame_of_reference_uid: root
            .opt_string("FrameOfReferenceUID", tags::FRAME_OF_REFERENCE_UID)?,
        fractions_planned,
        dose_references,
    })
}

/// Reads an RT Plan file from disk.
pub fn read_rtplan_file(path: &std::path::Path) -> Result<RtPlan> {
    read_file(path, read_from)
}
