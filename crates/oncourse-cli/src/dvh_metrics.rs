//! The optional extras of `oncourse dvh`: `--metric` specs (`D<x>cc`, `D<x>%`, `V<x>Gy`, `V<x>%`),
//! the homogeneity and conformity indices of targets under `--prescription`, and the
//! differential DVH.

use oncourse_dose::dvh::{paddick_conformity_index, rtog_conformity_index};
use oncourse_dose::{Dvh, Roi};
use serde::Serialize;

/// The forms `--metric` accepts, for error messages and help.
pub const METRIC_FORMS: &str =
    "Dxcc (e.g. D0.03cc), Dx% (D95%), VxGy (V20Gy) or Vx% (V95%, needs --prescription)";

/// One requested DVH metric.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MetricSpec {
    /// `D<x>cc`: the minimum dose of the hottest x cm³.
    DoseAtCc(f64),
    /// `D<x>%`: the minimum dose of the hottest x % of the structure.
    DoseAtPct(f64),
    /// `V<x>Gy`: the volume receiving at least x Gy.
    VolumeAtGy(f64),
    /// `V<x>%`: the volume receiving at least x % of the prescription.
    VolumeAtPrescriptionPct(f64),
}

impl MetricSpec {
    /// Whether the metric needs `--prescription`.
    pub fn needs_prescription(self) -> bool {
        matches!(self, MetricSpec::VolumeAtPrescriptionPct(_))
    }
}

/// The canonical name of a metric, as in the JSON (`D95%`, `V20Gy`).
pub fn metric_name(spec: MetricSpec) -> String {
    match spec {
        MetricSpec::DoseAtCc(x) => format!("D{x}cc"),
        MetricSpec::DoseAtPct(x) => format!("D{x}%"),
        MetricSpec::VolumeAtGy(x) => format!("V{x}Gy"),
        MetricSpec::VolumeAtPrescriptionPct(x) => format!("V{x}%"),
    }
}

/// Parses a `--metric` value (clap adds the flag and the value to the error).
pub fn metric_spec(text: &str) -> Result<MetricSpec, String> {
    let expected = || format!("expected {METRIC_FORMS}");
    let number = |digits: &str, lowest_allowed: f64, highest: Option<f64>| {
        let value: f64 = digits
            .trim()
            .parse()
            .map_err(|_| format!("{digits:?} is not a number; {}", expected()))?;
        let in_range = value.is_finite()
            && value >= lowest_allowed
            && highest.is_none_or(|highest| value <= highest);
        if !in_range {
            let range = match highest {
                Some(highest) => format!("between {lowest_allowed} and {highest}"),
                None => format!("a finite number ≥ {lowest_allowed}"),
            };
            return Err(format!("{value} is out of range: expected {range}"));
        }
        Ok(value)
    };
    let spec = text.trim();
    if let Some(rest) = spec.strip_prefix('D') {
        if let Some(x) = rest.strip_suffix("cc") {
            return Ok(MetricSpec::DoseAtCc(number(x, 0.0, None)?));
        }
        if let Some(x) = rest.strip_suffix('%') {
            return Ok(MetricSpec::DoseAtPct(number(x, 0.0, Some(100.0))?));
        }
    }
    if let Some(rest) = spec.strip_prefix('V') {
        if let Some(x) = rest.strip_suffix("Gy") {
            return Ok(MetricSpec::VolumeAtGy(number(x, 0.0, None)?));
        }
        if let Some(x) = rest.strip_suffix('%') {
            return Ok(MetricSpec::VolumeAtPrescriptionPct(number(x, 0.0, None)?));
        }
    }
    Err(expected())
}

/// One metric's value for one structure: a dose for D-metrics, a volume for V-metrics.
#[derive(Serialize)]
pub struct MetricValue {
    /// The metric's name (`D0.03cc`, `V20Gy`).
    pub metric: String,
    /// Dose, Gy (EQD2/BED Gy in those modes), for D-metrics.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dose_gy: Option<f64>,
    /// Volume, cm³, for V-metrics.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume_cc: Option<f64>,
    /// Volume, percent of the structure, for V-metrics.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume_pct: Option<f64>,
}

impl MetricValue {
    /// The value as a table cell: `12.34` for a dose, `5.67 cm³ (8.9%)` for a volume.
    pub fn cell(&self) -> String {
        match (self.dose_gy, self.volume_cc, self.volume_pct) {
            (Some(dose), _, _) => format!("{dose:.2}"),
            (None, Some(cc), Some(pct)) => format!("{cc:.2} ({pct:.1}%)"),
            _ => "-".to_owned(),
        }
    }
}

/// Evaluates `spec` on a DVH; `prescription_gy` must be given for `V<x>%`. Values are rounded
/// by `round`.
pub fn evaluate(
    spec: MetricSpec,
    dvh: Option<&Dvh>,
    prescription_gy: Option<f64>,
    round: fn(f64) -> f64,
) -> MetricValue {
    let mut value = MetricValue {
        metric: metric_name(spec),
        dose_gy: None,
        volume_cc: None,
        volume_pct: None,
    };
    let Some(dvh) = dvh else { return value };
    let volume_at = |dose_gy: f64| {
        (
            Some(round(dvh.volume_at_least_cc(dose_gy))),
            Some(round(dvh.volume_at_least_pct(dose_gy))),
        )
    };
    match spec {
        MetricSpec::DoseAtCc(cc) => value.dose_gy = Some(round(dvh.dose_covering_cc(cc))),
        MetricSpec::DoseAtPct(pct) => value.dose_gy = Some(round(dvh.dose_covering_pct(pct))),
        MetricSpec::VolumeAtGy(gy) => (value.volume_cc, value.volume_pct) = volume_at(gy),
        MetricSpec::VolumeAtPrescriptionPct(pct) => {
            if let Some(prescription) = prescription_gy {
                (value.volume_cc, value.volume_pct) = volume_at(prescription * pct / 100.0);
            }
        }
    }
    value
}

/// Whether the ROI is a target (RTROIInterpretedType PTV, CTV or GTV) that gets homogeneity
/// and conformity indices.
pub fn is_target(roi: &Roi) -> bool {
    roi.interpreted_type
        .as_deref()
        .is_some_and(|kind| ["PTV", "CTV", "GTV"].contains(&kind.trim().to_uppercase().as_str()))
}

/// Whether the ROI is the patient outline (RTROIInterpretedType EXTERNAL).
pub fn is_external(roi: &Roi) -> bool {
    roi.interpreted_type
        .as_deref()
        .is_some_and(|kind| kind.trim().eq_ignore_ascii_case("EXTERNAL"))
}

/// A target's conformity to the prescription isodose.
#[derive(Serialize)]
pub struct Conformity {
    /// PIV: the EXTERNAL ROI's volume receiving at least the prescription, cm³.
    pub prescription_isodose_cc: f64,
    /// TV_PIV: the target's volume receiving at least the prescription, cm³.
    pub target_covered_cc: f64,
    /// Paddick's index TV_PIV² / (TV × PIV).
    pub paddick: f64,
    /// The RTOG index PIV / TV.
    pub rtog: f64,
}

/// The conformity of `target` to `prescription_gy`, the prescription isodose volume taken from
/// the EXTERNAL ROI's DVH `external`.
pub fn conformity(
    target: &Dvh,
    external: &Dvh,
    prescription_gy: f64,
    round: fn(f64) -> f64,
) -> Conformity {
    let piv = external.volume_at_least_cc(prescription_gy);
    let covered = target.volume_at_least_cc(prescription_gy);
    Conformity {
        prescription_isodose_cc: round(piv),
        target_covered_cc: round(covered),
        paddick: round(paddick_conformity_index(target.volume_cc, covered, piv)),
        rtog: round(rtog_conformity_index(target.volume_cc, piv)),
    }
}

/// A differential DVH: the volume in each dose bin.
#[derive(Serialize)]
pub struct Differential {
    /// Lower edge of each bin, Gy.
    pub dose_gy: Vec<f64>,
    /// Volume in each bin, cm³.
    pub volume_cc: Vec<f64>,
}

/// The differential DVH of `dvh`.
pub fn differential(dvh: &Dvh, round: fn(f64) -> f64) -> Differential {
    Differential {
        dose_gy: (0..dvh.differential_cc.len())
            .map(|bin| round(bin as f64 * dvh.bin_width_gy))
            .collect(),
        volume_cc: dvh.differential_cc.iter().copied().map(round).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::{MetricSpec, metric_spec};

    #[test]
    fn specs_parse_and_bad_ones_are_named() {
        assert_eq!(metric_spec("D0.03cc"), Ok(MetricSpec::DoseAtCc(0.03)));
        assert_eq!(metric_spec("D95%"), Ok(MetricSpec::DoseAtPct(95.0)));
        assert_eq!(metric_spec("V20Gy"), Ok(MetricSpec::VolumeAtGy(20.0)));
        assert_eq!(
            metric_spec("V107%"),
            Ok(MetricSpec::VolumeAtPrescriptionPct(107.0))
        );
        assert!(
            metric_spec("D120%")
                .unwrap_err()
                .contains("between 0 and 100")
        );
        assert!(
            metric_spec("Dxcc")
                .unwrap_err()
                .contains("\"x\" is not a number")
        );
        assert!(metric_spec("mean").unwrap_err().contains("expected Dxcc"));
    }
}
