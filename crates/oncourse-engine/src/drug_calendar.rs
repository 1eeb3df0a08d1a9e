//! The drug calendar: which days a cyclic regimen was dosed, at which level, in which cycle.
//!
//! Rules (also in `docs/case-file.md`): a regimen doses on days 1..`days_on` of each cycle at
//! the dose in effect (the first ladder level until a dose change). A hold removes every dose
//! from its date up to, not including, its resume date (an open hold removes all later doses).
//! Cycles are delayed, not restarted: when a hold is running on the day the next cycle would
//! start, that cycle starts on the resume date. A stop ends dosing from its date.
//!
//! Relative dose intensity follows Longo et al., J Clin Oncol 1991;9:2042–2051 ("the
//! calculation of actual or received dose intensity", the whole-course method) after Hryniuk &
//! Bush, J Clin Oncol 1984;2:1281–1288: dose intensity is dose per unit time; the delivered
//! intensity is the dose delivered over the completed cycles divided by their actual duration
//! (day 1 of cycle 1 to the end of the last completed cycle, delays included); the planned
//! intensity is the starting dose × days_on / cycle length. Their ratio is the RDI.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use oncourse_model::drug::DrugRegimen;
use oncourse_model::{Dimension, FactId};

/// A hold of one regimen: no dose on days in `from..resume`.
#[derive(Clone, Debug, PartialEq)]
pub struct Hold {
    /// First day without drug.
    pub from: NaiveDate,
    /// First day dosing may resume; `None` while open.
    pub resume: Option<NaiveDate>,
}

impl Hold {
    fn covers(&self, day: NaiveDate) -> bool {
        day >= self.from && self.resume.is_none_or(|resume| day < resume)
    }
}

/// Everything the calendar needs about one regimen, gathered from the record.
#[derive(Clone, Debug, PartialEq)]
pub struct RegimenEvents {
    /// The regimen fact id.
    pub id: FactId,
    /// Day 1 of cycle 1.
    pub start: NaiveDate,
    /// The regimen.
    pub regimen: DrugRegimen,
    /// Holds, in any order.
    pub holds: Vec<Hold>,
    /// Dose changes as (effective date, dose in mg).
    pub dose_changes: Vec<(NaiveDate, f64)>,
    /// Date of permanent discontinuation, if any.
    pub stop: Option<NaiveDate>,
}

/// One cycle as delivered.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cycle {
    /// Cycle number, from 1; holds and reductions do not restart the count.
    pub cycle: u32,
    /// Day 1 of this cycle.
    pub start: NaiveDate,
    /// Days this cycle started later than planned from the previous cycle's start.
    pub delayed_days: u32,
    /// Dose per dosing day at the first dosed day of the cycle (or at day 1 if none), mg.
    pub dose_mg: f64,
    /// Index of that dose on the regimen's ladder: 0 = starting dose, 1 = first reduction, ...
    pub dose_level: Option<usize>,
    /// Days dosed in this cycle (up to the as-of date).
    pub dosed_days: u32,
    /// Planned dosing days of this cycle lost to holds.
    pub held_days: u32,
    /// Total delivered in this cycle, mg.
    pub delivered_mg: f64,
    /// True once the cycle's last day has passed (or the regimen stopped).
    pub complete: bool,
}

/// The calendar of one regimen as of a date.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DrugCalendar {
    /// The regimen fact id.
    pub regimen: FactId,
    /// Agent.
    pub agent: String,
    /// Planned schedule, e.g. "12 mg d1-14 q21d".
    pub schedule: String,
    /// Cycles started on or before the as-of date.
    pub cycles: Vec<Cycle>,
    /// Every dosed day with its dose in mg.
    pub dosed_days: Vec<(NaiveDate, f64)>,
    /// Total delivered, mg.
    pub total_delivered_mg: f64,
    /// Planned dose intensity, mg per week.
    pub planned_dose_intensity_mg_per_week: f64,
    /// Delivered dose intensity over the completed cycles, mg per week.
    pub delivered_dose_intensity_mg_per_week: Option<f64>,
    /// Delivered / planned dose intensity over the completed cycles (Longo 1991).
    pub relative_dose_intensity: Option<f64>,
    /// True if a stop was recorded on or before the as-of date.
    pub stopped: bool,
}

fn add_days(date: NaiveDate, days: u32) -> NaiveDate {
    date + Days::new(days.into())
}

fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// Builds the calendar of one regimen as of `as_of`.
pub fn drug_calendar(events: &RegimenEvents, as_of: NaiveDate) -> DrugCalendar {
    let regimen = &events.regimen;
    let ladder_mg: Vec<f64> = regimen
        .dose_levels
        .iter()
        .map(|q| q.canonical(Dimension::Mass).unwrap_or(f64::NAN))
        .collect();
    let starting_mg = ladder_mg.first().copied().unwrap_or(f64::NAN);
    let mut changes = events.dose_changes.clone();
    changes.sort_by_key(|(date, _)| *date);
    let dose_on = |day: NaiveDate| {
        changes
            .iter()
            .rev()
            .find(|(date, _)| *date <= day)
            .map_or(starting_mg, |(_, mg)| *mg)
    };
    let stopped = events.stop.filter(|stop| *stop <= as_of);
    // Last day a dose may be given.
    let last_day = match stopped {
        Some(stop) => stop.pred_opt().unwrap_or(stop).min(as_of),
        None => as_of,
    };
    let length = regimen.cycle_length_days;
    let mut cycles = Vec::new();
    let mut dosed_days = Vec::new();
    let mut start = events.start;
    let mut planned_start = events.start;
    let mut number = 1;
    while start <= last_day {
        let mut cycle_dosed = 0;
        let mut held = 0;
        let mut delivered = 0.0;
        let mut first_dose = None;
        for offset in 0..regimen.days_on {
            let day = add_days(start, offset);
            if day > last_day {
                break;
            }
            if events.holds.iter().any(|hold| hold.covers(day)) {
                held += 1;
                continue;
            }
            let mg = dose_on(day);
            first_dose.get_or_insert(mg);
            cycle_dosed += 1;
            delivered += mg;
            dosed_days.push((day, mg));
        }
        let dose_mg = first_dose.unwrap_or_else(|| dose_on(start));
        let cycle_end = add_days(start, length - 1);
        cycles.push(Cycle {
            cycle: number,
            start,
            delayed_days: u32::try_from(days_between(planned_start, start)).unwrap_or(0),
            dose_mg,
            dose_level: ladder_mg
                .iter()
                .position(|level| (level - dose_mg).abs() <= 1e-9 * level.abs()),
            dosed_days: cycle_dosed,
            held_days: held,
            delivered_mg: delivered,
            complete: cycle_end <= as_of || stopped.is_some(),
        });
        let nominal_next = add_days(start, length);
        planned_start = nominal_next;
        let blocking = events.holds.iter().find(|hold| hold.covers(nominal_next));
        start = match blocking {
            Some(Hold {
                resume: Some(resume),
                ..
            }) => *resume,
            Some(Hold { resume: None, .. }) => break,
            None => nominal_next,
        };
        number += 1;
    }
    let planned_per_day = starting_mg * f64::from(regimen.days_on) / f64::from(length);
    let completed: Vec<&Cycle> = cycles.iter().filter(|c| c.complete).collect();
    let delivered_intensity_per_day = completed.last().map(|last| {
        let duration = days_between(events.start, add_days(last.start, length));
        let delivered: f64 = completed.iter().map(|c| c.delivered_mg).sum();
        delivered / duration as f64
    });
    DrugCalendar {
        regimen: events.id.clone(),
        agent: regimen.agent.clone(),
        schedule: format!(
            "{} d1-{} q{}d",
            regimen
                .dose_levels
                .first()
                .map(ToString::to_string)
                .unwrap_or_default(),
            regimen.days_on,
            length
        ),
        total_delivered_mg: dosed_days.iter().map(|(_, mg)| mg).sum(),
        cycles,
        dosed_days,
        planned_dose_intensity_mg_per_week: planned_per_day * 7.0,
        delivered_dose_intensity_mg_per_week: delivered_intensity_per_day.map(|d| d * 7.0),
        relative_dose_intensity: delivered_intensity_per_day.map(|d| d / planned_per_day),
        stopped: stopped.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oncourse_model::Quantity;
    use proptest::prelude::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn events(holds: Vec<Hold>, dose_changes: Vec<(NaiveDate, f64)>) -> RegimenEvents {
        RegimenEvents {
            id: FactId("r".into()),
            start: date("2024-01-01"),
            regimen: DrugRegimen {
                agent: "anlotinib".into(),
                route: "oral".into(),
                dose_levels: ["12 mg", "10 mg", "8 mg"]
                    .iter()
                    .map(|q| Quantity::parse(q).unwrap())
                    .collect(),
                days_on: 14,
                cycle_length_days: 21,
            },
            holds,
            dose_changes,
            stop: None,
        }
    }

    /// A hand-derived calendar (each number counted on a 2024 calendar):
    /// 12 mg d1–14 q21d from Monday 2024-01-01; hold from 2024-01-29 (cycle 2 day 8) to
    /// 2024-02-19; 10 mg from 2024-02-19; as of 2024-03-31.
    /// - cycle 1: 01-01..01-14, 14 days × 12 mg = 168 mg;
    /// - cycle 2: 01-22, doses 01-22..01-28 (7 days, 84 mg), 7 days held;
    /// - cycle 3 would start 02-12, inside the hold: it starts on the resume date 02-19
    ///   (delayed 7 days), 14 days × 10 mg = 140 mg;
    /// - cycle 4: 03-11, 14 days × 10 mg = 140 mg, ends 03-31 (complete on the as-of date);
    /// - total 532 mg over 01-01..03-31 = 91 days (2024 is a leap year);
    /// - Longo RDI = (532 / 91) / (12 × 14 / 21) = 5.846 / 8 = 0.730769...
    #[test]
    fn cycles_across_a_hold_and_a_reduction() {
        let calendar = drug_calendar(
            &events(
                vec![Hold {
                    from: date("2024-01-29"),
                    resume: Some(date("2024-02-19")),
                }],
                vec![(date("2024-02-19"), 10.0)],
            ),
            date("2024-03-31"),
        );
        // (cycle, start, dose mg, ladder level, dosed days, held days, delay days)
        let summary: Vec<String> = calendar
            .cycles
            .iter()
            .map(|c| {
                format!(
                    "{} {} {} {:?} {} {} {}",
                    c.cycle,
                    c.start,
                    c.dose_mg,
                    c.dose_level,
                    c.dosed_days,
                    c.held_days,
                    c.delayed_days,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                "1 2024-01-01 12 Some(0) 14 0 0",
                "2 2024-01-22 12 Some(0) 7 7 0",
                "3 2024-02-19 10 Some(1) 14 0 7",
                "4 2024-03-11 10 Some(1) 14 0 0",
            ]
        );
        assert_eq!(calendar.total_delivered_mg, 532.0);
        assert!(calendar.cycles.iter().all(|c| c.complete));
        let rdi = calendar.relative_dose_intensity.unwrap();
        assert!((rdi - 532.0 / 91.0 / 8.0).abs() < 1e-12, "{rdi}");
        assert_eq!(calendar.planned_dose_intensity_mg_per_week, 56.0);
    }

    #[test]
    fn an_open_hold_stops_dosing_and_no_cycle_starts_inside_it() {
        let calendar = drug_calendar(
            &events(
                vec![Hold {
                    from: date("2024-01-29"),
                    resume: None,
                }],
                vec![],
            ),
            date("2024-03-31"),
        );
        assert_eq!(calendar.cycles.len(), 2);
        assert_eq!(calendar.total_delivered_mg, 168.0 + 84.0);
    }

    #[test]
    fn a_stop_ends_dosing_on_its_date() {
        let mut e = events(vec![], vec![]);
        e.stop = Some(date("2024-01-05"));
        let calendar = drug_calendar(&e, date("2024-03-31"));
        // Doses 01-01..01-04: 4 days; the stopped cycle counts as complete (the course is over).
        assert_eq!(calendar.total_delivered_mg, 48.0);
        assert!(calendar.stopped);
        // RDI over one 21-day cycle: (48 / 21) / 8.
        assert!((calendar.relative_dose_intensity.unwrap() - 48.0 / 21.0 / 8.0).abs() < 1e-12);
    }

    proptest! {
        // Invariants of any calendar: no dose inside a hold, each cycle's dosed + held days fit
        // its dosing window, cycles are at least a cycle length apart, totals add up, and with
        // only reductions the RDI cannot exceed 1.
        #[test]
        fn calendar_invariants(
            holds in proptest::collection::vec((0u32..300, 1u32..40, proptest::bool::weighted(0.9)), 0..5),
            changes in proptest::collection::vec((0u32..300, 0usize..3), 0..4),
            as_of in 0u32..400,
        ) {
            let start = date("2024-01-01");
            let holds: Vec<Hold> = holds.iter().map(|(from, len, closed)| Hold {
                from: add_days(start, *from),
                resume: closed.then(|| add_days(start, from + len)),
            }).collect();
            let ladder = [12.0, 10.0, 8.0];
            let changes: Vec<(NaiveDate, f64)> = changes.iter().map(|(d, l)| (add_days(start, *d), ladder[*l])).collect();
            let e = events(holds.clone(), changes);
            let calendar = drug_calendar(&e, add_days(start, as_of));
            for (day, _) in &calendar.dosed_days {
                prop_assert!(!holds.iter().any(|h| h.covers(*day)));
                prop_assert!(*day <= add_days(start, as_of));
            }
            for c in &calendar.cycles {
                prop_assert!(c.dosed_days + c.held_days <= 14);
                prop_assert!(c.dose_level.is_some());
            }
            for pair in calendar.cycles.windows(2) {
                prop_assert!(days_between(pair[0].start, pair[1].start) >= 21);
                prop_assert_eq!(pair[1].cycle, pair[0].cycle + 1);
            }
            let sum: f64 = calendar.cycles.iter().map(|c| c.delivered_mg).sum();
            prop_assert!((sum - calendar.total_delivered_mg).abs() < 1e-9);
            if let Some(rdi) = calendar.relative_dose_intensity {
                prop_assert!((0.0..=1.0 + 1e-12).contains(&rdi), "rdi {}", rdi);
            }
        }
    }
}
