//! The radiotherapy calendar: planned against delivered fractions, treatment interruptions,
//! overall treatment time, and physical, BED and EQD2 dose per tissue (via `oncourse-radbio`).

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

use oncourse_model::radiotherapy::{RtFraction, RtPhase, Technique};
use oncourse_model::{Dimension, FactId};
use oncourse_radbio::{CourseOptions, Phase, evaluate_course, tissues::Tissue};

use crate::EngineError;

/// A phase with its delivered fractions, gathered from the record.
#[derive(Clone, Debug, PartialEq)]
pub struct PhaseEvents {
    /// The phase fact id.
    pub id: FactId,
    /// First planned day.
    pub start: NaiveDate,
    /// The prescription.
    pub phase: RtPhase,
    /// Delivered fractions with their dates.
    pub fractions: Vec<(NaiveDate, RtFraction)>,
}

/// One phase, planned against delivered.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PhaseSummary {
    /// Phase fact id.
    pub id: FactId,
    /// Name.
    pub name: String,
    /// Technique.
    pub technique: Technique,
    /// Prescribed dose per fraction, Gy.
    pub dose_per_fraction_gy: f64,
    /// Prescribed fractions.
    pub fractions_planned: u32,
    /// Fractions delivered by the as-of date.
    pub fractions_delivered: u32,
    /// Prescribed physical dose, Gy.
    pub physical_gy_planned: f64,
    /// Delivered physical dose, Gy.
    pub physical_gy: f64,
    /// Date of the first delivered fraction.
    pub first_fraction: Option<NaiveDate>,
    /// Date of the last delivered fraction.
    pub last_fraction: Option<NaiveDate>,
    /// For a phase planned on every weekday (≥ 5 fractions a week): weekdays between its first
    /// and last delivered fraction on which no fraction was given.
    pub interruptions: Vec<NaiveDate>,
    /// For a phase planned on every weekday: the date of its last fraction had every weekday
    /// from the phase's first day been a treatment day.
    pub planned_last_fraction: Option<NaiveDate>,
    /// Calendar days the last delivered fraction came after the planned last fraction, once
    /// every planned fraction has been delivered.
    pub prolongation_days: Option<i64>,
}

/// Biologically weighted dose of the delivered (and planned) course for one tissue.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TissueDose {
    /// Tissue id in the radbio table.
    pub tissue: String,
    /// Tissue name.
    pub name: String,
    /// α/β used, Gy.
    pub alpha_beta_gy: f64,
    /// BED of the delivered fractions, Gy.
    pub bed_gy: f64,
    /// EQD2 of the delivered fractions, Gy.
    pub eqd2_gy: f64,
    /// EQD2 of the whole prescription, Gy.
    pub eqd2_gy_planned: f64,
    /// Source of the α/β.
    pub source: String,
}

/// The radiotherapy course as of a date.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RtCalendar {
    /// Each phase.
    pub phases: Vec<PhaseSummary>,
    /// Prescribed fractions over all phases.
    pub fractions_planned: u32,
    /// Delivered fractions over all phases.
    pub fractions_delivered: u32,
    /// Prescribed physical dose, Gy.
    pub physical_gy_planned: f64,
    /// Delivered physical dose, Gy.
    pub physical_gy: f64,
    /// First delivered fraction.
    pub first_fraction: Option<NaiveDate>,
    /// Last delivered fraction.
    pub last_fraction: Option<NaiveDate>,
    /// Overall treatment time in elapsed days from the first to the last fraction (Fowler 1989
    /// convention, as in `oncourse-radbio`: a Monday-to-Friday week is 4 days).
    pub overall_treatment_time_days: Option<i64>,
    /// Delivered fractions in date order: (date, phase id, dose in Gy).
    pub fractions: Vec<(NaiveDate, FactId, f64)>,
    /// LQ dose per tissue, without time correction (no published repopulation parameters for
    /// sarcoma; see `oncourse-radbio`).
    pub tissues: Vec<TissueDose>,
    /// The dose-response model used.
    pub model: String,
}

fn gy(phase: &RtPhase) -> f64 {
    phase
        .dose_per_fraction
        .canonical(Dimension::AbsorbedDose)
        .unwrap_or(f64::NAN)
}

fn is_weekday(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Builds the RT calendar from phases and their delivered fractions (already cut at the
/// as-of date) and evaluates it for each tissue.
pub fn rt_calendar(phases: &[PhaseEvents], tissues: &[&Tissue]) -> Result<RtCalendar, EngineError> {
    let mut summaries = Vec::new();
    let mut fractions = Vec::new();
    // Delivered and planned LQ phases: one per distinct dose per fraction within a phase.
    let mut delivered_lq: Vec<Phase> = Vec::new();
    let mut planned_lq: Vec<Phase> = Vec::new();
    for events in phases {
        let planned_dose = gy(&events.phase);
        let mut dates: Vec<NaiveDate> = Vec::new();
        let mut doses: Vec<f64> = Vec::new();
        for (date, fraction) in &events.fractions {
            let dose = match &fraction.dose {
                Some(q) => q.canonical(Dimension::AbsorbedDose).unwrap_or(f64::NAN),
                None => planned_dose,
            };
            dates.push(*date);
            doses.push(dose);
            fractions.push((*date, events.id.clone(), dose));
        }
        dates.sort();
        let mut distinct: Vec<f64> = doses.clone();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup();
        for d in distinct {
            let n = doses.iter().filter(|x| **x == d).count();
            delivered_lq.push(Phase::new(d, u32::try_from(n).unwrap_or(u32::MAX))?);
        }
        planned_lq.push(Phase::new(planned_dose, events.phase.n_fractions)?);
        let every_weekday = events
            .phase
            .fractions_per_week
            .is_some_and(|per_week| per_week >= 5);
        let last_index = (events.phase.n_fractions as usize).checked_sub(1);
        let planned_last_fraction = match last_index {
            Some(index) if every_weekday => events
                .start
                .iter_days()
                .filter(|day| is_weekday(*day))
                .nth(index),
            _ => None,
        };
        let complete = dates.len() >= events.phase.n_fractions as usize;
        let prolongation_days = match (planned_last_fraction, dates.last()) {
            (Some(planned), Some(last)) if complete => Some((*last - planned).num_days()),
            _ => None,
        };
        let interruptions = match (events.phase.fractions_per_week, dates.first(), dates.last()) {
            (Some(per_week), Some(first), Some(last)) if per_week >= 5 => first
                .iter_days()
                .take_while(|day| day <= last)
                .filter(|day| is_weekday(*day) && !dates.contains(day))
                .collect(),
            _ => Vec::new(),
        };
        summaries.push(PhaseSummary {
            id: events.id.clone(),
            name: events.phase.name.clone(),
            technique: events.phase.technique,
            dose_per_fraction_gy: planned_dose,
            fractions_planned: events.phase.n_fractions,
            fractions_delivered: u32::try_from(dates.len()).unwrap_or(u32::MAX),
            physical_gy_planned: planned_dose * f64::from(events.phase.n_fractions),
            physical_gy: doses.iter().sum(),
            first_fraction: dates.first().copied(),
            last_fraction: dates.last().copied(),
            interruptions,
            planned_last_fraction,
            prolongation_days,
        });
    }
    fractions.sort_by_key(|(date, _, _)| *date);
    let first = fractions.first().map(|f| f.0);
    let last = fractions.last().map(|f| f.0);
    let options = CourseOptions::default();
    let mut tissue_doses = Vec::new();
    for tissue in tissues {
        let planned = evaluate_course(&planned_lq, tissue.alpha_beta, &options)?;
        let (bed_gy, eqd2_gy) = if delivered_lq.is_empty() {
            (0.0, 0.0)
        } else {
            let delivered = evaluate_course(&delivered_lq, tissue.alpha_beta, &options)?;
            (delivered.bed_gy, delivered.eqd2_gy)
        };
        tissue_doses.push(TissueDose {
            tissue: tissue.id.clone(),
            name: tissue.name.clone(),
            alpha_beta_gy: tissue.alpha_beta.gy(),
            bed_gy,
            eqd2_gy,
            eqd2_gy_planned: planned.eqd2_gy,
            source: tissue.source.clone(),
        });
    }
    Ok(RtCalendar {
        fractions_planned: summaries.iter().map(|p| p.fractions_planned).sum(),
        fractions_delivered: summaries.iter().map(|p| p.fractions_delivered).sum(),
        physical_gy_planned: summaries.iter().map(|p| p.physical_gy_planned).sum(),
        physical_gy: summaries.iter().map(|p| p.physical_gy).sum(),
        phases: summaries,
        first_fraction: first,
        last_fraction: last,
        overall_treatment_time_days: first.zip(last).map(|(f, l)| (l - f).num_days()),
        fractions,
        tissues: tissue_doses,
        model: options.model.label(),
    })
}
