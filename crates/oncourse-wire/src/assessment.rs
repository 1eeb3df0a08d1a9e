//! The JSON wire format of `oncourse assess --json` (version `oncourse-assessment/1`): DTOs
//! converted explicitly from the engine's `Assessment`, so the engine can change without
//! breaking the promise made to readers of this JSON.

use oncourse_engine::{
    AdverseEventEpisode, Assessment, Cycle, DrugCalendar, PhaseSummary, RtCalendar, TissueDose,
};

use crate::protocol::{DeviationView, RecommendationView, snake_case_name};
use crate::response::{ResponseJson, response};
use serde::Serialize;

/// The format identifier written at the top of the JSON.
const FORMAT: &str = "oncourse-assessment/1";

/// The whole assessment document (`format` = `oncourse-assessment/1`).
#[derive(Serialize)]
pub struct AssessmentJson<'a> {
    format: &'static str,
    as_of: String,
    patient: Option<PatientJson>,
    ecog: Option<EcogJson>,
    grade: Option<GradeJson>,
    stage: Option<StageJson>,
    radiotherapy: Option<RtJson<'a>>,
    drug: Option<DrugJson<'a>>,
    drugs: Vec<DrugJson<'a>>,
    timeline: Vec<TimelineJson<'a>>,
    /// Graded from observations and clinician-recorded adverse events, with or without protocols.
    adverse_events: Vec<AdverseEventJson<'a>>,
    /// Present only when protocols were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    protocols: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recommendations: Option<Vec<RecommendationView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deviations: Option<Vec<DeviationView>>,
    /// RECIST 1.1 response and PFS/TTP; absent without measured imaging.
    #[serde(skip_serializing_if = "Option::is_none")]
    response: Option<ResponseJson>,
    notes: &'a [String],
}

#[derive(Serialize)]
struct AdverseEventJson<'a> {
    term: &'a str,
    onset: String,
    worst_grade: u8,
    worst_on: String,
    resolved: Option<String>,
    attribution: Option<String>,
    inputs: Vec<GradingInputJson<'a>>,
}

#[derive(Serialize)]
struct GradingInputJson<'a> {
    date: String,
    fact: &'a str,
    source: String,
    grade: u8,
    facts: &'a str,
}

fn adverse_event(e: &AdverseEventEpisode) -> AdverseEventJson<'_> {
    AdverseEventJson {
        term: &e.term,
        onset: e.onset.to_string(),
        worst_grade: e.worst_grade,
        worst_on: e.worst_on.to_string(),
        resolved: e.resolved.map(|d| d.to_string()),
        attribution: e.attribution.map(|a| snake_case_name(&a)),
        inputs: e
            .inputs
            .iter()
            .map(|i| GradingInputJson {
                date: i.date.to_string(),
                fact: &i.fact.0,
                source: snake_case_name(&i.source),
                grade: i.grade,
                facts: &i.facts,
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct PatientJson {
    sex: String,
    age_years: Option<u32>,
}

#[derive(Serialize)]
struct EcogJson {
    score: u8,
    date: String,
}

#[derive(Serialize)]
struct GradeJson {
    grade: Option<u8>,
    source: &'static str,
    total_score: Option<u8>,
}

#[derive(Serialize)]
struct StageJson {
    t: String,
    n: String,
    m: String,
    grade: Option<u8>,
    group: String,
    greatest_dimension_mm: f64,
    system: &'static str,
}

#[derive(Serialize)]
struct RtJson<'a> {
    fractions_planned: u32,
    fractions_delivered: u32,
    physical_gy_planned: f64,
    physical_gy: f64,
    first_fraction: Option<String>,
    last_fraction: Option<String>,
    overall_treatment_time_days: Option<i64>,
    model: &'a str,
    phases: Vec<PhaseJson<'a>>,
    fractions: Vec<FractionJson<'a>>,
    tissues: Vec<TissueJson<'a>>,
}

#[derive(Serialize)]
struct PhaseJson<'a> {
    id: &'a str,
    name: &'a str,
    technique: &'static str,
    dose_per_fraction_gy: f64,
    fractions_planned: u32,
    fractions_delivered: u32,
    physical_gy_planned: f64,
    physical_gy: f64,
    first_fraction: Option<String>,
    last_fraction: Option<String>,
    interruptions: Vec<String>,
    planned_last_fraction: Option<String>,
    prolongation_days: Option<i64>,
}

#[derive(Serialize)]
struct FractionJson<'a> {
    date: String,
    phase: &'a str,
    dose_gy: f64,
}

#[derive(Serialize)]
struct TissueJson<'a> {
    tissue: &'a str,
    name: &'a str,
    alpha_beta_gy: f64,
    bed_gy: f64,
    eqd2_gy: f64,
    eqd2_gy_planned: f64,
    source: &'a str,
}

#[derive(Serialize)]
struct DrugJson<'a> {
    regimen: &'a str,
    agent: &'a str,
    schedule: &'a str,
    cycles: Vec<CycleJson>,
    total_delivered_mg: f64,
    planned_dose_intensity_mg_per_week: f64,
    delivered_dose_intensity_mg_per_week: Option<f64>,
    relative_dose_intensity: Option<f64>,
    stopped: bool,
}

#[derive(Serialize)]
struct CycleJson {
    cycle: u32,
    start: String,
    delayed_days: u32,
    dose_mg: f64,
    dose_level: Option<usize>,
    dosed_days: u32,
    held_days: u32,
    delivered_mg: f64,
    complete: bool,
}

#[derive(Serialize)]
struct TimelineJson<'a> {
    date: String,
    end: Option<String>,
    kind: &'static str,
    id: &'a str,
    label: &'a str,
    illustrative: bool,
}

/// The JSON of an assessment.
pub fn to_json(a: &Assessment) -> AssessmentJson<'_> {
    let given = !a.protocols.is_empty();
    AssessmentJson {
        format: FORMAT,
        as_of: a.as_of.to_string(),
        patient: a.patient.as_ref().map(|p| PatientJson {
            sex: format!("{:?}", p.sex).to_lowercase(),
            age_years: p.age_years,
        }),
        ecog: a.ecog.as_ref().map(|e| EcogJson {
            score: e.score,
            date: e.date.to_string(),
        }),
        grade: a.grade.as_ref().map(|g| GradeJson {
            grade: g.grade,
            source: g.source,
            total_score: g.total_score,
        }),
        stage: a.stage.as_ref().map(|s| StageJson {
            t: format!("{:?}", s.t),
            n: format!("{:?}", s.n),
            m: format!("{:?}", s.m),
            grade: s.grade,
            group: s.group.to_string(),
            greatest_dimension_mm: s.greatest_dimension_mm,
            system: s.system,
        }),
        radiotherapy: a.radiotherapy.as_ref().map(rt),
        drug: a.drug.as_ref().map(drug),
        drugs: a.drugs.iter().map(drug).collect(),
        timeline: a
            .timeline
            .iter()
            .map(|e| TimelineJson {
                date: e.date.to_string(),
                end: e.end.map(|d| d.to_string()),
                kind: e.kind,
                id: &e.id.0,
                label: &e.label,
                illustrative: e.illustrative,
            })
            .collect(),
        adverse_events: a.adverse_events.iter().map(adverse_event).collect(),
        protocols: given.then_some(a.protocols.as_slice()),
        recommendations: given.then(|| {
            a.recommendations
                .iter()
                .map(RecommendationView::from)
                .collect()
        }),
        deviations: given.then(|| a.deviations.iter().map(DeviationView::from).collect()),
        response: a.response.as_ref().map(response),
        notes: &a.notes,
    }
}

fn rt(c: &RtCalendar) -> RtJson<'_> {
    RtJson {
        fractions_planned: c.fractions_planned,
        fractions_delivered: c.fractions_delivered,
        physical_gy_planned: c.physical_gy_planned,
        physical_gy: c.physical_gy,
        first_fraction: c.first_fraction.map(|d| d.to_string()),
        last_fraction: c.last_fraction.map(|d| d.to_string()),
        overall_treatment_time_days: c.overall_treatment_time_days,
        model: &c.model,
        phases: c.phases.iter().map(phase).collect(),
        fractions: c
            .fractions
            .iter()
            .map(|(date, phase, dose_gy)| FractionJson {
                date: date.to_string(),
                phase: &phase.0,
                dose_gy: *dose_gy,
            })
            .collect(),
        tissues: c.tissues.iter().map(tissue).collect(),
    }
}

fn phase(p: &PhaseSummary) -> PhaseJson<'_> {
    PhaseJson {
        id: &p.id.0,
        name: &p.name,
        technique: p.technique.code(),
        dose_per_fraction_gy: p.dose_per_fraction_gy,
        fractions_planned: p.fractions_planned,
        fractions_delivered: p.fractions_delivered,
        physical_gy_planned: p.physical_gy_planned,
        physical_gy: p.physical_gy,
        first_fraction: p.first_fraction.map(|d| d.to_string()),
        last_fraction: p.last_fraction.map(|d| d.to_string()),
        interruptions: p.interruptions.iter().map(ToString::to_string).collect(),
        planned_last_fraction: p.planned_last_fraction.map(|d| d.to_string()),
        prolongation_days: p.prolongation_days,
    }
}

fn tissue(t: &TissueDose) -> TissueJson<'_> {
    TissueJson {
        tissue: &t.tissue,
        name: &t.name,
        alpha_beta_gy: t.alpha_beta_gy,
        bed_gy: t.bed_gy,
        eqd2_gy: t.eqd2_gy,
        eqd2_gy_planned: t.eqd2_gy_planned,
        source: &t.source,
    }
}

fn drug(d: &DrugCalendar) -> DrugJson<'_> {
    DrugJson {
        regimen: &d.regimen.0,
        agent: &d.agent,
        schedule: &d.schedule,
        cycles: d.cycles.iter().map(cycle).collect(),
        total_delivered_mg: d.total_delivered_mg,
        planned_dose_intensity_mg_per_week: d.planned_dose_intensity_mg_per_week,
        delivered_dose_intensity_mg_per_week: d.delivered_dose_intensity_mg_per_week,
        relative_dose_intensity: d.relative_dose_intensity,
        stopped: d.stopped,
    }
}

fn cycle(c: &Cycle) -> CycleJson {
    CycleJson {
        cycle: c.cycle,
        start: c.start.to_string(),
        delayed_days: c.delayed_days,
        dose_mg: c.dose_mg,
        dose_level: c.dose_level,
        dosed_days: c.dosed_days,
        held_days: c.held_days,
        delivered_mg: c.delivered_mg,
        complete: c.complete,
    }
}
