//! Automatic CTCAE v5.0 grading of a measured value, wherever CTCAE defines the grade
//! numerically (`data/ctcae_numeric.toml`). Terms CTCAE grades only clinically return
//! [`GradeOutcome::ClinicianGradeRequired`] with the grade definitions to choose from.
//!
//! Grades that CTCAE ties to clinical facts as well as numbers (e.g. anaemia grade 4,
//! "life-threatening consequences") are never assigned here; the result says so in its notes.

use serde::Serialize;
use thiserror::Error;

use crate::catalogue::{GradeDefinition, catalogue};
use crate::criteria::{
    Applicability, Band, Bound, Criterion, Measure, ReferenceLimit, Scale, criterion_for,
};
use crate::reading::Reading;
use crate::units::{
    Quantity, QuantityKind, UnitError, convert, directly_convertible, quantity_kind, to_si,
};

/// The patient's reference values a grade may depend on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct References {
    /// Lower limit of normal of the laboratory that measured the value.
    pub lln: Option<Quantity>,
    /// Upper limit of normal of the laboratory that measured the value.
    pub uln: Option<Quantity>,
    /// The patient's baseline value (before treatment).
    pub baseline: Option<Quantity>,
}

/// The result of grading.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum GradeOutcome {
    /// CTCAE defines this term numerically and the value was graded.
    Graded(GradedValue),
    /// CTCAE grades this term clinically: a clinician must choose the grade.
    ClinicianGradeRequired(ClinicianGradeRequired),
}

/// A value graded against CTCAE's numeric criteria.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradedValue {
    /// The CTCAE term.
    pub term: String,
    /// Its MedDRA code.
    pub meddra_code: u32,
    /// The grade, 0 when the value is normal by every applicable criterion.
    pub grade: u8,
    /// The value in the quantity's SI unit.
    pub value_si: ValueSi,
    /// The SI unit of `value_si`.
    pub unit_si: String,
    /// The band that set the grade (`None` for grade 0).
    pub criterion: Option<MatchedBand>,
    /// The citation of the criteria used.
    pub source: String,
    /// Assumptions made and criteria that could not be assessed.
    pub notes: Vec<String>,
}

/// A graded value in SI units.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ValueSi {
    /// A single number.
    Number(f64),
    /// A blood pressure.
    BloodPressure {
        /// Systolic pressure.
        systolic: f64,
        /// Diastolic pressure.
        diastolic: f64,
    },
    /// A dipstick reading, as written (`2+`).
    Dipstick(String),
}

/// The CTCAE band a value fell in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchedBand {
    /// The band's grade.
    pub grade: u8,
    /// The CTCAE text of the band.
    pub text: String,
    /// What was compared.
    pub measure: Measure,
    /// The compared number (value in the scale's unit, ratio or percentage).
    pub measure_value: f64,
    /// The scale's unit, where it has one.
    pub measure_unit: Option<String>,
    /// How CTCAE's text was read, where it needed reading.
    pub interpretation: Option<String>,
}

/// A term CTCAE grades clinically, with the definitions a clinician chooses from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClinicianGradeRequired {
    /// The CTCAE term.
    pub term: String,
    /// Its MedDRA code.
    pub meddra_code: u32,
    /// The CTCAE definition of the term.
    pub definition: Option<String>,
    /// The grades with their CTCAE text.
    pub grades: Vec<GradeDefinition>,
    /// The citation.
    pub source: String,
}

/// Why a value could not be graded.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum GradeError {
    /// No CTCAE v5.0 term has this name or MedDRA code.
    #[error("{query:?} is not a CTCAE v5.0 term name or MedDRA code")]
    UnknownTerm {
        /// The name or code as given.
        query: String,
    },
    /// The reading is of the wrong kind for the term (e.g. a dipstick for ALT).
    #[error("{term}: cannot grade {reading}: expected {expected}")]
    ReadingDoesNotFit {
        /// The term.
        term: String,
        /// The reading, described.
        reading: String,
        /// What the term's criteria take.
        expected: String,
    },
    /// A reference value the criteria need was not given.
    #[error("{term}: the {reference} is needed to grade {reading} ({why})")]
    MissingReference {
        /// The term.
        term: String,
        /// `LLN`, `ULN` or `baseline`.
        reference: &'static str,
        /// The reading, described.
        reading: String,
        /// Which criterion needs it.
        why: String,
    },
    /// A reference value is unusable (e.g. a baseline of zero for a ratio).
    #[error("{term}: {reference} {value}: expected {expected}")]
    InvalidReference {
        /// The term.
        term: String,
        /// `LLN`, `ULN` or `baseline`.
        reference: &'static str,
        /// The value as given.
        value: String,
        /// What was expected.
        expected: String,
    },
    /// A unit problem, naming the unit and the quantity.
    #[error("{term}: {unit_error}")]
    Unit {
        /// The term.
        term: String,
        /// The unit error (its message is part of this one, so it is not a `source`).
        unit_error: UnitError,
    },
}

/// Grades `reading` for the CTCAE term named `term_query` (name, case-insensitive, or MedDRA
/// code), using the patient's `references` where the criteria need them.
pub fn grade(
    term_query: &str,
    reading: &Reading,
    references: &References,
) -> Result<GradeOutcome, GradeError> {
    let term = catalogue()
        .lookup(term_query)
        .ok_or_else(|| GradeError::UnknownTerm {
            query: term_query.to_owned(),
        })?;
    let Some(criterion) = criterion_for(&term.name) else {
        return Ok(GradeOutcome::ClinicianGradeRequired(
            ClinicianGradeRequired {
                term: term.name.clone(),
                meddra_code: term.meddra_code,
                definition: term.definition.clone(),
                grades: term.grade_definitions(),
                source: format!("CTCAE v5.0, {}", term.name),
            },
        ));
    };
    // Checked by the tests: every criterion names a quantity of quantities.toml.
    let kind = quantity_kind(&criterion.quantity).expect("criterion quantity exists");
    let grader = Grader {
        criterion,
        kind,
        reading,
        references,
    };
    grader.grade(term.meddra_code).map(GradeOutcome::Graded)
}

struct Grader<'a> {
    criterion: &'static Criterion,
    kind: &'static QuantityKind,
    reading: &'a Reading,
    references: &'a References,
}

/// Whether a value satisfies one bound.
type BoundCheck = fn(f64, f64) -> bool;

/// A band's membership when a reference limit it names is unknown.
enum Membership {
    Inside,
    Outside,
    Undecided(ReferenceLimit),
}

impl Grader<'_> {
    fn grade(&self, meddra_code: u32) -> Result<GradedValue, GradeError> {
        let scales = self.scales_for_reading()?;
        let value_si = self.value_si()?;
        let mut notes = Vec::new();
        let mut best: Option<MatchedBand> = None;
        for scale in scales {
            if !self.applies(scale, &mut notes)? {
                continue;
            }
            let measure_value = snap(self.measure_value(scale)?);
            if let Some(matched) = self.band_of(scale, measure_value)?
                && best.as_ref().is_none_or(|best| matched.grade > best.grade)
            {
                best = Some(matched);
            }
        }
        if self.has_clinical_grades_above(best.as_ref().map_or(0, |band| band.grade)) {
            notes.push(
                "higher grades also depend on clinical criteria (see the CTCAE text): a clinician may grade higher"
                    .to_owned(),
            );
        }
        Ok(GradedValue {
            term: self.criterion.term.clone(),
            meddra_code,
            grade: best.as_ref().map_or(0, |band| band.grade),
            value_si,
            unit_si: self.kind.unit_si.clone(),
            criterion: best,
            source: self.criterion.source.clone(),
            notes,
        })
    }

    fn term(&self) -> String {
        self.criterion.term.clone()
    }

    fn unit_error(&self, source: UnitError) -> GradeError {
        GradeError::Unit {
            term: self.term(),
            unit_error: source,
        }
    }

    /// The scales that take this kind of reading; among several `value` scales in different
    /// units (anaemia in g/L and mmol/L), the one whose unit the reading converts to without a
    /// molar mass, so CTCAE's own figures in that unit decide.
    fn scales_for_reading(&self) -> Result<Vec<&'static Scale>, GradeError> {
        let fitting: Vec<&'static Scale> = self
            .criterion
            .scale
            .iter()
            .filter(|scale| measure_takes(scale.measure, self.reading))
            .collect();
        if fitting.is_empty() {
            return Err(GradeError::ReadingDoesNotFit {
                term: self.term(),
                reading: self.reading.describe(),
                expected: self.expected_reading(),
            });
        }
        let Reading::Quantity(quantity) = self.reading else {
            return Ok(fitting);
        };
        let value_scales: Vec<&'static Scale> = fitting
            .iter()
            .copied()
            .filter(|scale| scale.measure == Measure::Value)
            .collect();
        if value_scales.len() < 2 {
            return Ok(fitting);
        }
        let preferred = value_scales
            .iter()
            .copied()
            .find(|scale| {
                scale
                    .unit
                    .as_deref()
                    .is_some_and(|unit| directly_convertible(&quantity.unit, unit))
            })
            .unwrap_or(value_scales[0]);
        Ok(fitting
            .into_iter()
            .filter(|scale| scale.measure != Measure::Value || std::ptr::eq(*scale, preferred))
            .collect())
    }

    fn expected_reading(&self) -> String {
        let takes_dipstick = self
            .criterion
            .scale
            .iter()
            .any(|scale| scale.measure == Measure::Dipstick);
        let takes_pressure = self
            .criterion
            .scale
            .iter()
            .any(|scale| matches!(scale.measure, Measure::Systolic | Measure::Diastolic));
        let mut expected = Vec::new();
        if takes_pressure {
            expected.push(format!(
                "a blood pressure such as 165/95 {}",
                self.kind.unit_si
            ));
        } else {
            expected.push(format!("{} in {}", self.kind.name, self.kind.unit_si));
        }
        if takes_dipstick {
            expected.push("a dipstick reading (negative, trace, 1+ to 4+)".to_owned());
        }
        expected.join(" or ")
    }

    fn value_si(&self) -> Result<ValueSi, GradeError> {
        match self.reading {
            Reading::Quantity(quantity) => Ok(ValueSi::Number(snap(
                to_si(self.kind, quantity).map_err(|error| self.unit_error(error))?,
            ))),
            Reading::BloodPressure(pressure) => {
                let to_si = |value| {
                    convert(self.kind, value, &pressure.unit, &self.kind.unit_si)
                        .map(snap)
                        .map_err(|error| self.unit_error(error))
                };
                Ok(ValueSi::BloodPressure {
                    systolic: to_si(pressure.systolic)?,
                    diastolic: to_si(pressure.diastolic)?,
                })
            }
            Reading::Dipstick(dipstick) => Ok(ValueSi::Dipstick(dipstick.label())),
        }
    }

    fn reference_si(&self, reference: Option<&Quantity>) -> Result<Option<f64>, GradeError> {
        reference
            .map(|quantity| to_si(self.kind, quantity).map_err(|error| self.unit_error(error)))
            .transpose()
    }

    fn missing(&self, reference: &'static str, why: String) -> GradeError {
        GradeError::MissingReference {
            term: self.term(),
            reference,
            reading: self.reading.describe(),
            why,
        }
    }

    fn uln_si(&self, why: &str) -> Result<f64, GradeError> {
        let uln = self
            .reference_si(self.references.uln.as_ref())?
            .ok_or_else(|| self.missing("ULN", why.to_owned()))?;
        self.positive("ULN", uln)
    }

    fn baseline_si(&self, why: &str) -> Result<f64, GradeError> {
        self.reference_si(self.references.baseline.as_ref())?
            .ok_or_else(|| self.missing("baseline", why.to_owned()))
    }

    fn positive(&self, reference: &'static str, value: f64) -> Result<f64, GradeError> {
        if value > 0.0 {
            Ok(value)
        } else {
            Err(GradeError::InvalidReference {
                term: self.term(),
                reference,
                value: format!("{value} {}", self.kind.unit_si),
                expected: "a positive value".to_owned(),
            })
        }
    }

    fn applies(&self, scale: &Scale, notes: &mut Vec<String>) -> Result<bool, GradeError> {
        let baseline = self.reference_si(self.references.baseline.as_ref())?;
        match scale.when {
            Applicability::Always => Ok(true),
            Applicability::BaselineGiven => Ok(baseline.is_some()),
            Applicability::BaselineNormal => match baseline {
                None => {
                    notes.push(
                        "no baseline given: graded as if the baseline were normal (CTCAE \"if baseline was normal\")"
                            .to_owned(),
                    );
                    Ok(true)
                }
                Some(baseline) => {
                    Ok(baseline <= self.uln_si("to tell whether the baseline was normal")?)
                }
            },
            Applicability::BaselineAbnormal => match baseline {
                None => Ok(false),
                Some(baseline) => {
                    Ok(baseline > self.uln_si("to tell whether the baseline was normal")?)
                }
            },
        }
    }

    fn in_scale_unit(&self, scale: &Scale, value: f64, unit: &str) -> Result<f64, GradeError> {
        match scale.unit.as_deref() {
            Some(scale_unit) => {
                convert(self.kind, value, unit, scale_unit).map_err(|error| self.unit_error(error))
            }
            None => Ok(value),
        }
    }

    fn measure_value(&self, scale: &Scale) -> Result<f64, GradeError> {
        let why = |what: &str| format!("CTCAE grades {} by {what}", self.criterion.term);
        match (scale.measure, self.reading) {
            (Measure::Value, Reading::Quantity(quantity)) => {
                self.in_scale_unit(scale, quantity.value, &quantity.unit)
            }
            (Measure::MultipleOfUln, Reading::Quantity(quantity)) => {
                let value = to_si(self.kind, quantity).map_err(|error| self.unit_error(error))?;
                Ok(value / self.uln_si(&why("multiples of the ULN"))?)
            }
            (Measure::MultipleOfBaseline, Reading::Quantity(quantity)) => {
                let value = to_si(self.kind, quantity).map_err(|error| self.unit_error(error))?;
                let baseline = self.baseline_si(&why("multiples of the baseline"))?;
                Ok(value / self.positive("baseline", baseline)?)
            }
            (Measure::IncreaseFromBaseline, Reading::Quantity(quantity)) => {
                let baseline =
                    self.references.baseline.as_ref().ok_or_else(|| {
                        self.missing("baseline", why("the increase over baseline"))
                    })?;
                let value = self.in_scale_unit(scale, quantity.value, &quantity.unit)?;
                let baseline = self.in_scale_unit(scale, baseline.value, &baseline.unit)?;
                Ok(value - baseline)
            }
            (Measure::PercentDecreaseFromBaseline, Reading::Quantity(quantity)) => {
                let value = to_si(self.kind, quantity).map_err(|error| self.unit_error(error))?;
                let baseline = self.baseline_si(&why("the percentage lost from baseline"))?;
                let baseline = self.positive("baseline", baseline)?;
                Ok(100.0 * (baseline - value) / baseline)
            }
            (Measure::Systolic, Reading::BloodPressure(pressure)) => {
                self.in_scale_unit(scale, pressure.systolic, &pressure.unit)
            }
            (Measure::Diastolic, Reading::BloodPressure(pressure)) => {
                self.in_scale_unit(scale, pressure.diastolic, &pressure.unit)
            }
            (Measure::Dipstick, Reading::Dipstick(dipstick)) => Ok(dipstick.ordinal()),
            _ => Err(GradeError::ReadingDoesNotFit {
                term: self.term(),
                reading: self.reading.describe(),
                expected: self.expected_reading(),
            }),
        }
    }

    /// The value of a band bound in the scale's unit; `None` when it names a reference limit
    /// that was not given.
    fn bound_value(
        &self,
        scale: &Scale,
        bound: Bound,
    ) -> Result<Result<f64, ReferenceLimit>, GradeError> {
        let limit = match bound {
            Bound::Number(number) => return Ok(Ok(number)),
            Bound::Limit(limit) => limit,
        };
        let reference = match limit {
            ReferenceLimit::Lln => self.references.lln.as_ref(),
            ReferenceLimit::Uln => self.references.uln.as_ref(),
        };
        match reference {
            None => Ok(Err(limit)),
            Some(quantity) => Ok(Ok(snap(self.in_scale_unit(
                scale,
                quantity.value,
                &quantity.unit,
            )?))),
        }
    }

    fn membership(&self, scale: &Scale, band: &Band, value: f64) -> Result<Membership, GradeError> {
        let checks: [(Option<Bound>, BoundCheck); 4] = [
            (band.above, |value, bound| value > bound),
            (band.at_least, |value, bound| value >= bound),
            (band.below, |value, bound| value < bound),
            (band.at_most, |value, bound| value <= bound),
        ];
        let mut undecided = None;
        for (bound, holds) in checks {
            let Some(bound) = bound else { continue };
            match self.bound_value(scale, bound)? {
                Ok(bound) if !holds(value, bound) => return Ok(Membership::Outside),
                Ok(_) => {}
                Err(limit) => undecided = Some(limit),
            }
        }
        Ok(match undecided {
            Some(limit) => Membership::Undecided(limit),
            None => Membership::Inside,
        })
    }

    /// The highest band of `scale` containing `value`.
    fn band_of(&self, scale: &Scale, value: f64) -> Result<Option<MatchedBand>, GradeError> {
        let mut bands: Vec<&Band> = scale.bands.iter().collect();
        bands.sort_by_key(|band| std::cmp::Reverse(band.grade));
        for band in bands {
            match self.membership(scale, band, value)? {
                Membership::Outside => {}
                Membership::Inside => {
                    return Ok(Some(MatchedBand {
                        grade: band.grade,
                        text: band.text.clone(),
                        measure: scale.measure,
                        measure_value: value,
                        measure_unit: scale.unit.clone(),
                        interpretation: band.interpretation.clone(),
                    }));
                }
                Membership::Undecided(limit) => {
                    let reference = match limit {
                        ReferenceLimit::Lln => "LLN",
                        ReferenceLimit::Uln => "ULN",
                    };
                    return Err(self.missing(
                        reference,
                        format!("to decide grade {} \"{}\"", band.grade, band.text),
                    ));
                }
            }
        }
        Ok(None)
    }

    fn has_clinical_grades_above(&self, grade: u8) -> bool {
        let highest_numeric = self
            .criterion
            .scale
            .iter()
            .flat_map(|scale| scale.bands.iter().map(|band| band.grade))
            .max()
            .unwrap_or(0);
        let term = catalogue().by_name(&self.criterion.term);
        term.is_some_and(|term| {
            (grade.max(highest_numeric) + 1..=5).any(|higher| term.grade_text(higher).is_some())
        })
    }
}

fn measure_takes(measure: Measure, reading: &Reading) -> bool {
    match reading {
        Reading::Quantity(_) => !matches!(
            measure,
            Measure::Systolic | Measure::Diastolic | Measure::Dipstick
        ),
        Reading::BloodPressure(_) => matches!(measure, Measure::Systolic | Measure::Diastolic),
        Reading::Dipstick(_) => measure == Measure::Dipstick,
    }
}

/// Rounds to 10 significant digits before comparing with a band bound: unit conversion and
/// ratios carry binary rounding (0.3 / 0.1 = 2.9999999999999996) that would otherwise move a
/// value sitting exactly on a CTCAE threshold into the neighbouring grade.
fn snap(value: f64) -> f64 {
    if value == 0.0 || !value.is_finite() {
        return value;
    }
    let digits = 10 - 1 - value.abs().log10().floor() as i32;
    let scale = 10f64.powi(digits);
    (value * scale).round() / scale
}
