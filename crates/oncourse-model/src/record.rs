//! The record: a patient's course as an ordered list of dated facts.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::diagnosis::Diagnosis;
use crate::fact::{Fact, FactBody, FactId};
use crate::patient::Patient;

/// A course: facts ordered by valid date; facts of the same date keep their given order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Record {
    facts: Vec<Fact>,
}

impl Record {
    /// Builds a record, ordering the facts by date (stable for facts of the same date).
    pub fn new(mut facts: Vec<Fact>) -> Record {
        facts.sort_by_key(|fact| fact.date);
        Record { facts }
    }

    /// All facts in date order, including superseded ones.
    pub fn facts(&self) -> &[Fact] {
        &self.facts
    }

    /// The fact with this id, if present.
    pub fn find(&self, id: &FactId) -> Option<&Fact> {
        self.facts.iter().find(|fact| &fact.id == id)
    }

    /// What was known on `as_of`: facts dated on or before it. Dates inside facts that lie after
    /// `as_of` (an adverse event's resolution, a hold's resume date) are not yet known and are
    /// removed.
    pub fn as_of(&self, as_of: NaiveDate) -> Record {
        let facts = self
            .facts
            .iter()
            .filter(|fact| fact.date <= as_of)
            .cloned()
            .map(|mut fact| {
                match &mut fact.body {
                    FactBody::AdverseEvent(event) => {
                        event.resolved = event.resolved.filter(|d| *d <= as_of);
                    }
                    FactBody::DrugHold(hold) => hold.resume = hold.resume.filter(|d| *d <= as_of),
                    _ => {}
                }
                fact
            })
            .collect();
        Record { facts }
    }

    /// Facts not superseded by another fact of this record, in date order. Linear in the
    /// number of facts (a set of the superseded ids is built first).
    pub fn effective(&self) -> impl DoubleEndedIterator<Item = &Fact> {
        let superseded: HashSet<&FactId> = self
            .facts
            .iter()
            .filter_map(|fact| fact.supersedes.as_ref())
            .collect();
        self.facts
            .iter()
            .filter(move |fact| !superseded.contains(&fact.id))
    }

    /// The latest effective patient fact.
    pub fn patient(&self) -> Option<(&Fact, &Patient)> {
        self.effective().rev().find_map(|fact| match &fact.body {
            FactBody::Patient(patient) => Some((fact, patient)),
            _ => None,
        })
    }

    /// The latest effective diagnosis fact.
    pub fn diagnosis(&self) -> Option<(&Fact, &Diagnosis)> {
        self.effective().rev().find_map(|fact| match &fact.body {
            FactBody::Diagnosis(diagnosis) => Some((fact, diagnosis)),
            _ => None,
        })
    }

    /// The last date of any fact, if the record is not empty.
    pub fn last_date(&self) -> Option<NaiveDate> {
        self.facts.last().map(|fact| fact.date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disease_event::{DiseaseEvent, DiseaseEventKind};
    use proptest::prelude::*;

    fn contact(id: usize, day: u32) -> Fact {
        Fact {
            id: FactId(format!("f{id}")),
            date: NaiveDate::from_ymd_opt(2022, 1, 1).unwrap() + chrono::Days::new(day.into()),
            supersedes: None,
            illustrative: false,
            note: None,
            body: FactBody::DiseaseEvent(DiseaseEvent {
                kind: DiseaseEventKind::LastContact,
                status: None,
            }),
        }
    }

    proptest! {
        // Invariant: as_of keeps exactly the facts dated on or before the cut, and cutting
        // twice equals cutting once at the earlier date.
        #[test]
        fn as_of_is_a_date_cut(days in proptest::collection::vec(0u32..400, 0..40), a in 0u32..400, b in 0u32..400) {
            let record = Record::new(days.iter().enumerate().map(|(i, d)| contact(i, *d)).collect());
            let start = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
            let cut_a = start + chrono::Days::new(a.into());
            let cut_b = start + chrono::Days::new(b.into());
            let once = record.as_of(cut_a);
            prop_assert_eq!(once.facts().len(), days.iter().filter(|d| **d <= a).count());
            prop_assert!(once.facts().iter().all(|f| f.date <= cut_a));
            prop_assert_eq!(once.as_of(cut_b), record.as_of(cut_a.min(cut_b)));
            prop_assert!(record.facts().windows(2).all(|w| w[0].date <= w[1].date));
        }
    }

    #[test]
    fn a_superseded_fact_is_not_effective() {
        let old = contact(1, 3);
        let mut correction = contact(2, 5);
        correction.supersedes = Some(old.id.clone());
        let record = Record::new(vec![correction, old]);
        let ids: Vec<_> = record.effective().map(|f| f.id.0.as_str()).collect();
        assert_eq!(ids, ["f2"]);
        // Before the correction was dated, the old fact is what was known.
        let earlier = record.as_of(NaiveDate::from_ymd_opt(2022, 1, 4).unwrap());
        let ids: Vec<_> = earlier.effective().map(|f| f.id.0.as_str()).collect();
        assert_eq!(ids, ["f1"]);
    }
}
