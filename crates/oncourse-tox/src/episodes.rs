//! Adverse-event episodes: from a stream of dated grades, each term's episodes with onset,
//! worst grade and resolution.
//!
//! An episode of a term starts at the first grade ≥ 1 and ends (is resolved) at the first later
//! grade 0; a later grade ≥ 1 starts a new episode. An episode without a grade 0 is ongoing.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::protocol::{EventKind, ProtocolEvent};

/// One episode of one adverse event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Episode {
    /// The CTCAE term.
    pub term: String,
    /// The first day graded ≥ 1.
    pub onset: NaiveDate,
    /// The highest grade during the episode.
    pub worst_grade: u8,
    /// The first day that highest grade was recorded.
    pub worst_on: NaiveDate,
    /// The first day graded 0 after the onset; `None` while ongoing.
    pub resolved: Option<NaiveDate>,
    /// How many gradings fell in the episode (resolution included).
    pub gradings: usize,
}

/// The episodes of every term in `events` (only graded events count), ordered by term, then
/// onset. Same-day grades of one term are taken worst first, so the order of the input does
/// not matter.
pub fn episodes(events: &[ProtocolEvent]) -> Vec<Episode> {
    let mut by_term: BTreeMap<&str, Vec<(NaiveDate, u8)>> = BTreeMap::new();
    for event in events {
        if let EventKind::Graded { term, grade, .. } = &event.kind {
            by_term.entry(term).or_default().push((event.date, *grade));
        }
    }
    let mut all = Vec::new();
    for (term, mut gradings) in by_term {
        gradings.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut current: Option<Episode> = None;
        for (date, grade) in gradings {
            match (&mut current, grade) {
                (None, 0) => {}
                (None, _) => {
                    current = Some(Episode {
                        term: term.to_owned(),
                        onset: date,
                        worst_grade: grade,
                        worst_on: date,
                        resolved: None,
                        gradings: 1,
                    });
                }
                (Some(episode), 0) => {
                    // A grade 0 on the onset day (same-day retest) does not end the episode.
                    episode.gradings += 1;
                    if date > episode.onset {
                        episode.resolved = Some(date);
                        all.extend(current.take());
                    }
                }
                (Some(episode), _) => {
                    episode.gradings += 1;
                    if grade > episode.worst_grade {
                        episode.worst_grade = grade;
                        episode.worst_on = date;
                    }
                }
            }
        }
        all.extend(current);
    }
    all
}
