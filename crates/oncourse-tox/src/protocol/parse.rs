//! Reading and validating a protocol file. Every problem of a file is reported together, each
//! as `file:line:col: field.path: message`; the generic spanned-TOML reading lives in
//! [`super::spanned`].

use std::collections::HashSet;
use std::ops::Range;

use toml::de::DeTable;

use super::model::{
    Action, AfterTimeLimit, BreakAction, DoseLadder, HoldAction, Limit, LimitKind,
    PreCycleRequirement, Protocol, ResumeAt, Rule, Schedule, Source,
};
use super::spanned::{ProtocolErrors, Reader, TableReader, as_integer, as_number, describe, join};
use crate::catalogue::catalogue;

/// Parses and validates the protocol in `text`; `file` names it in messages.
pub fn parse_protocol(file: &str, text: &str) -> Result<Protocol, ProtocolErrors> {
    let mut reader = Reader {
        text,
        problems: Vec::new(),
    };
    let (root, syntax_errors) = DeTable::parse_recoverable(text);
    // After a syntax error the recovered tree is partial: report the syntax errors alone
    // rather than the missing fields they cause.
    for error in &syntax_errors {
        let span = error.span().unwrap_or(0..0);
        reader.problem(&span, "(syntax)", error.message().trim().to_owned());
    }
    if !syntax_errors.is_empty() {
        return Err(ProtocolErrors {
            file: file.to_owned(),
            problems: reader.problems,
        });
    }
    let protocol = reader.protocol(root.get_ref(), &root.span());
    let mut problems = reader.problems;
    if problems.is_empty()
        && let Some(protocol) = protocol
    {
        return Ok(protocol);
    }
    problems.sort_by_key(|problem| (problem.line, problem.column));
    Err(ProtocolErrors {
        file: file.to_owned(),
        problems,
    })
}

impl Reader<'_> {
    fn source(&mut self, table: &TableReader<'_, '_>) -> Option<Source> {
        let (text, _) = self.string(table, "source", true)?;
        Some(if text.eq_ignore_ascii_case("local") {
            Source::Local
        } else {
            Source::Citation(text)
        })
    }

    fn term(&mut self, path: &str, name: &str, span: &Range<usize>) -> Option<String> {
        match catalogue().by_name(name) {
            Some(term) => Some(term.name.clone()),
            None => {
                self.problem(span, path, format!("{name:?} is not a CTCAE v5.0 term"));
                None
            }
        }
    }

    fn protocol(&mut self, root: &DeTable<'_>, span: &Range<usize>) -> Option<Protocol> {
        let root = self.open(
            root,
            span.clone(),
            "",
            &[
                "protocol",
                "schedule",
                "dose_levels",
                "limit",
                "pre_cycle",
                "rule",
            ],
        );
        let header = self.sub_table(
            &root,
            "protocol",
            &["id", "title", "treatment", "notes"],
            true,
        );
        let (id, title, treatment) = match &header {
            Some(header) => (
                self.string(header, "id", true).map(|(id, _)| id),
                self.string(header, "title", true).map(|(title, _)| title),
                self.string(header, "treatment", true)
                    .map(|(treatment, _)| treatment),
            ),
            None => (None, None, None),
        };
        if let Some(header) = &header {
            self.string(header, "notes", false);
        }
        let schedule = self
            .sub_table(
                &root,
                "schedule",
                &["dose_mg", "days_on", "cycle_length_days", "source"],
                false,
            )
            .and_then(|table| self.schedule(&table));
        let dose_levels = self
            .sub_table(&root, "dose_levels", &["levels_mg", "source"], false)
            .and_then(|table| self.ladder(&table));
        if let (Some(schedule), Some(ladder)) = (&schedule, &dose_levels)
            && ladder.levels_mg.first() != Some(&schedule.dose_mg)
        {
            self.problem(
                span,
                "schedule.dose_mg",
                format!(
                    "starting dose {} mg is not the first dose level {:?} mg",
                    schedule.dose_mg, ladder.levels_mg
                ),
            );
        }
        let limits: Vec<Option<Limit>> = self
            .table_array(&root, "limit", &["id", "kind", "source"])
            .iter()
            .map(|table| self.limit(table))
            .collect();
        let pre_cycle: Vec<Option<PreCycleRequirement>> = self
            .table_array(
                &root,
                "pre_cycle",
                &["id", "term", "max_grade", "within_days", "source"],
            )
            .iter()
            .map(|table| self.pre_cycle(table))
            .collect();
        const RULE_FIELDS: &[&str] = &[
            "id",
            "terms",
            "term_contains",
            "grades",
            "action",
            "resume_when_grade_at_most",
            "resume_at",
            "time_limit_days",
            "after_time_limit",
            "whom",
            "care",
            "source",
            "note",
        ];
        let rule_tables = self.table_array(&root, "rule", RULE_FIELDS);
        let mut rules = Vec::new();
        let mut seen_ids = HashSet::new();
        for table in &rule_tables {
            let rule = self.rule(table, dose_levels.is_some());
            if let Some(rule) = &rule
                && !seen_ids.insert(rule.id.clone())
            {
                self.problem(
                    &table.span,
                    &join(&table.path, "id"),
                    format!("duplicate rule id {:?}", rule.id),
                );
            }
            rules.push(rule);
        }
        Some(Protocol {
            id: id?,
            title: title?,
            treatment: treatment?,
            schedule,
            dose_levels,
            limits: limits.into_iter().collect::<Option<_>>()?,
            pre_cycle: pre_cycle.into_iter().collect::<Option<_>>()?,
            rules: rules.into_iter().collect::<Option<_>>()?,
        })
    }

    fn schedule(&mut self, table: &TableReader<'_, '_>) -> Option<Schedule> {
        let dose_mg = self.positive_mg(table, "dose_mg");
        let cycle_length_days = self.days(table, "cycle_length_days", true);
        let days_on = self.day_range(table, cycle_length_days);
        let source = self.source(table);
        Some(Schedule {
            dose_mg: dose_mg?,
            days_on: days_on?,
            cycle_length_days: cycle_length_days?,
            source: source?,
        })
    }

    fn positive_mg(&mut self, table: &TableReader<'_, '_>, key: &str) -> Option<f64> {
        let (dose, span) = self.number(table, key, true)?;
        if dose > 0.0 {
            Some(dose)
        } else {
            self.problem(
                &span,
                &join(&table.path, key),
                format!("expected a positive number of mg, got {dose}"),
            );
            None
        }
    }

    fn day_range(
        &mut self,
        table: &TableReader<'_, '_>,
        cycle_length_days: Option<u32>,
    ) -> Option<(u32, u32)> {
        let (array, span) = self.array(table, "days_on", true)?;
        let days: Vec<i64> = array
            .iter()
            .filter_map(|item| as_integer(item.get_ref()))
            .collect();
        let cycle = i64::from(cycle_length_days.unwrap_or(u32::MAX));
        match days.as_slice() {
            [first, last] if 1 <= *first && first <= last && *last <= cycle && array.len() == 2 => {
                Some((*first as u32, *last as u32))
            }
            _ => {
                self.problem(
                    &span,
                    &join(&table.path, "days_on"),
                    format!(
                        "expected [first, last] dosing days within the {cycle}-day cycle, got {}",
                        self.text[span.clone()].trim()
                    ),
                );
                None
            }
        }
    }

    fn ladder(&mut self, table: &TableReader<'_, '_>) -> Option<DoseLadder> {
        let levels = self.array(table, "levels_mg", true);
        let source = self.source(table);
        let (array, span) = levels?;
        let levels_mg: Vec<f64> = array
            .iter()
            .filter_map(|item| as_number(item.get_ref()))
            .collect();
        let decreasing = levels_mg.windows(2).all(|pair| pair[0] > pair[1]);
        if levels_mg.len() != array.len()
            || levels_mg.is_empty()
            || !decreasing
            || levels_mg.iter().any(|dose| *dose <= 0.0)
        {
            self.problem(&span, &join(&table.path, "levels_mg"), format!("expected positive doses in mg, strictly decreasing from the starting level, got {}", self.text[span.clone()].trim()));
            return None;
        }
        Some(DoseLadder {
            levels_mg,
            source: source?,
        })
    }

    fn limit(&mut self, table: &TableReader<'_, '_>) -> Option<Limit> {
        let id = self.string(table, "id", true);
        let kind = self.string(table, "kind", true).and_then(|(kind, span)| match kind.as_str() {
            "discontinue_when_lowest_level_not_tolerated" => Some(LimitKind::DiscontinueWhenLowestLevelNotTolerated),
            other => {
                self.problem(&span, &join(&table.path, "kind"), format!("unknown limit {other:?}, expected discontinue_when_lowest_level_not_tolerated"));
                None
            }
        });
        let source = self.source(table);
        Some(Limit {
            id: id?.0,
            kind: kind?,
            source: source?,
        })
    }

    fn pre_cycle(&mut self, table: &TableReader<'_, '_>) -> Option<PreCycleRequirement> {
        let id = self.string(table, "id", true);
        let term = self
            .string(table, "term", true)
            .and_then(|(name, span)| self.term(&join(&table.path, "term"), &name, &span));
        let max_grade = self.grade(table, "max_grade", true);
        let within_days = self.days(table, "within_days", true);
        let source = self.source(table);
        Some(PreCycleRequirement {
            id: id?.0,
            term: term?,
            max_grade: max_grade?,
            within_days: within_days?,
            source: source?,
        })
    }

    fn rule_terms(&mut self, table: &TableReader<'_, '_>) -> Option<Vec<String>> {
        let mut terms = Vec::new();
        let mut ok = true;
        if let Some((array, _)) = self.array(table, "terms", false) {
            for (index, item) in array.iter().enumerate() {
                let path = format!("{}[{index}]", join(&table.path, "terms"));
                match item.get_ref().as_str() {
                    Some(name) => match self.term(&path, name, &item.span()) {
                        Some(term) => terms.push(term),
                        None => ok = false,
                    },
                    None => {
                        self.problem(
                            &item.span(),
                            &path,
                            format!(
                                "expected a CTCAE term name, got {}",
                                describe(item.get_ref())
                            ),
                        );
                        ok = false;
                    }
                }
            }
        }
        if let Some((array, _)) = self.array(table, "term_contains", false) {
            for (index, item) in array.iter().enumerate() {
                let path = format!("{}[{index}]", join(&table.path, "term_contains"));
                let word = item
                    .get_ref()
                    .as_str()
                    .unwrap_or_default()
                    .trim()
                    .to_lowercase();
                let matching: Vec<String> = catalogue()
                    .terms()
                    .iter()
                    .filter(|term| !word.is_empty() && term.name.to_lowercase().contains(&word))
                    .map(|term| term.name.clone())
                    .collect();
                if matching.is_empty() {
                    self.problem(
                        &item.span(),
                        &path,
                        format!("{word:?} is in no CTCAE v5.0 term name"),
                    );
                    ok = false;
                }
                terms.extend(matching);
            }
        }
        if ok && terms.is_empty() {
            self.problem(
                &table.span,
                &join(&table.path, "terms"),
                "expected at least one CTCAE term (terms or term_contains)".to_owned(),
            );
            return None;
        }
        terms.dedup();
        ok.then_some(terms)
    }

    fn rule_grades(&mut self, table: &TableReader<'_, '_>) -> Option<Vec<u8>> {
        let (array, span) = self.array(table, "grades", true)?;
        let grades: Vec<u8> = array
            .iter()
            .filter_map(|item| as_integer(item.get_ref()))
            .filter(|grade| (1..=5).contains(grade))
            .map(|grade| grade as u8)
            .collect();
        if grades.is_empty() || grades.len() != array.len() {
            self.problem(
                &span,
                &join(&table.path, "grades"),
                format!(
                    "expected CTCAE grades 1 to 5, got {}",
                    self.text[span.clone()].trim()
                ),
            );
            return None;
        }
        Some(grades)
    }

    fn rule(&mut self, table: &TableReader<'_, '_>, has_ladder: bool) -> Option<Rule> {
        let id = self.string(table, "id", true);
        let terms = self.rule_terms(table);
        let grades = self.rule_grades(table);
        let action = self.action(table, has_ladder);
        let source = self.source(table);
        let note = self.string(table, "note", false).map(|(note, _)| note);
        Some(Rule {
            id: id?.0,
            terms: terms?,
            grades: grades?,
            action: action?,
            source: source?,
            note,
        })
    }

    /// Fields that belong to other actions than `action` are reported as misplaced.
    fn forbid(&mut self, table: &TableReader<'_, '_>, action: &str, keys: &[&str]) {
        for key in keys {
            if let Some(value) = table.table.get(*key) {
                self.problem(
                    &value.span(),
                    &join(&table.path, key),
                    format!("not used by action {action:?}"),
                );
            }
        }
    }

    fn action(&mut self, table: &TableReader<'_, '_>, has_ladder: bool) -> Option<Action> {
        const DETAILS: [&str; 6] = [
            "resume_when_grade_at_most",
            "resume_at",
            "time_limit_days",
            "after_time_limit",
            "whom",
            "care",
        ];
        let (action, span) = self.string(table, "action", true)?;
        let used: &[&str] = match action.as_str() {
            "continue" | "discontinue" => &[],
            "hold" => &DETAILS[..4],
            "radiotherapy_break" => &DETAILS[..1],
            "notify" => &["whom"],
            "supportive_care" => &["care"],
            other => {
                self.problem(&span, &join(&table.path, "action"), format!("unknown action {other:?}, expected one of: continue, hold, discontinue, radiotherapy_break, notify, supportive_care"));
                return None;
            }
        };
        let unused: Vec<&str> = DETAILS
            .iter()
            .copied()
            .filter(|key| !used.contains(key))
            .collect();
        self.forbid(table, &action, &unused);
        match action.as_str() {
            "continue" => Some(Action::Continue),
            "discontinue" => Some(Action::Discontinue),
            "notify" => Some(Action::Notify {
                whom: self.string(table, "whom", true)?.0,
            }),
            "supportive_care" => Some(Action::SupportiveCare {
                care: self.string(table, "care", true)?.0,
            }),
            "radiotherapy_break" => Some(Action::RadiotherapyBreak(BreakAction {
                resume_when_grade_at_most: self.grade(table, "resume_when_grade_at_most", true)?,
            })),
            _ => self.hold(table, has_ladder).map(Action::Hold),
        }
    }

    fn hold(&mut self, table: &TableReader<'_, '_>, has_ladder: bool) -> Option<HoldAction> {
        let resume_when_grade_at_most = self.grade(table, "resume_when_grade_at_most", true);
        let resume_at = self
            .string(table, "resume_at", true)
            .and_then(|(text, span)| {
                let path = join(&table.path, "resume_at");
                match text.as_str() {
                    "same_level" => Some(ResumeAt::SameLevel),
                    "next_lower_level" if has_ladder => Some(ResumeAt::NextLowerLevel),
                    "next_lower_level" => {
                        self.problem(
                            &span,
                            &path,
                            "next_lower_level needs a [dose_levels] ladder in the protocol"
                                .to_owned(),
                        );
                        None
                    }
                    other => {
                        self.problem(
                            &span,
                            &path,
                            format!("expected same_level or next_lower_level, got {other:?}"),
                        );
                        None
                    }
                }
            });
        let time_limit_days = self.days(table, "time_limit_days", false);
        let after_time_limit =
            match self.string(table, "after_time_limit", time_limit_days.is_some()) {
                Some((text, _)) if text == "discontinue" => Some(AfterTimeLimit::Discontinue),
                Some((text, span)) => {
                    self.problem(
                        &span,
                        &join(&table.path, "after_time_limit"),
                        format!("expected discontinue, got {text:?}"),
                    );
                    None
                }
                None => None,
            };
        if after_time_limit.is_some() && time_limit_days.is_none() {
            self.problem(
                &table.span,
                &join(&table.path, "time_limit_days"),
                "after_time_limit needs time_limit_days".to_owned(),
            );
            return None;
        }
        Some(HoldAction {
            resume_when_grade_at_most: resume_when_grade_at_most?,
            resume_at: resume_at?,
            time_limit_days,
            after_time_limit,
        })
    }
}
