//! Dated charts of one patient's course, drawn with the shared [`svg`](crate::svg) writer: the
//! treatment swimlane (fractions, drug days by dose level, holds, procedures, imaging, adverse
//! events) and small dated line charts (laboratory trends with their reference band, tumour
//! size over time).

use chrono::{Datelike, Months, NaiveDate};
use oncourse_tox::bands::GradeInterval;

use crate::svg::{Anchor, Document, LinearScale, PALETTE, Stroke, nice_ticks, tick_label, y_axis};

/// Colour of a drug dose level: the starting dose, then each reduction (Okabe–Ito).
pub fn dose_level_colour(level: usize) -> &'static str {
    ["#009E73", "#E69F00", "#D55E00", "#000000"][level.min(3)]
}

/// Colour of a CTCAE grade 1–5.
pub fn grade_colour(grade: u8) -> &'static str {
    ["#F0E442", "#E69F00", "#D55E00", "#8E1C1C", "#000000"][usize::from(grade.clamp(1, 5)) - 1]
}

/// Colour of the n-th radiotherapy phase.
pub fn phase_colour(index: usize) -> &'static str {
    [PALETTE[0], PALETTE[3], PALETTE[5]][index.min(2)]
}

/// A date scale: days since `start` mapped linearly onto pixels.
#[derive(Clone, Copy)]
struct DateScale {
    start: NaiveDate,
    end: NaiveDate,
    pixels: LinearScale,
}

impl DateScale {
    fn new(start: NaiveDate, end: NaiveDate, left: f64, right: f64) -> Self {
        let end = if end > start {
            end
        } else {
            start.succ_opt().unwrap_or(start)
        };
        let days = (end - start).num_days() as f64;
        DateScale {
            start,
            end,
            pixels: LinearScale {
                domain: (0.0, days),
                range: (left, right),
            },
        }
    }

    fn x(&self, date: NaiveDate) -> f64 {
        self.pixels.map((date - self.start).num_days() as f64)
    }

    fn day_width(&self) -> f64 {
        self.pixels.map(1.0) - self.pixels.map(0.0)
    }

    /// First days of months inside the scale, every 1, 3 or 6 months depending on its length.
    fn month_ticks(&self) -> Vec<NaiveDate> {
        let months = (self.end.year() - self.start.year()) * 12 + self.end.month() as i32
            - self.start.month() as i32;
        let step = match months {
            0..=8 => 1,
            9..=24 => 3,
            _ => 6,
        };
        let mut ticks = Vec::new();
        let mut next = NaiveDate::from_ymd_opt(self.start.year(), self.start.month(), 1);
        while let Some(day) = next.filter(|d| *d <= self.end) {
            if day >= self.start && day.month0() % step == 0 {
                ticks.push(day);
            }
            next = day.checked_add_months(Months::new(1));
        }
        ticks
    }

    /// Light vertical month lines from `top` to `bottom`, labelled below.
    fn draw_months(&self, document: &mut Document, top: f64, bottom: f64) {
        for tick in self.month_ticks() {
            let x = self.x(tick);
            document.line((x, top), (x, bottom), Stroke::solid("#E4E8EE", 1.0));
            document.text_styled(
                (x, bottom + 14.0),
                &tick.format("%Y-%m").to_string(),
                10.0,
                Anchor::Middle,
                "normal",
                "#555555",
            );
        }
    }
}

/// One mark on a swimlane.
pub enum Mark {
    /// A bar over the days `start..=end`.
    Span {
        /// First day.
        start: NaiveDate,
        /// Last day.
        end: NaiveDate,
        /// Fill colour.
        colour: &'static str,
    },
    /// A thin vertical tick on one day (a radiotherapy fraction).
    Tick {
        /// The day.
        date: NaiveDate,
        /// Fill colour.
        colour: &'static str,
    },
    /// A diamond on one day (a procedure or a disease event).
    Diamond {
        /// The day.
        date: NaiveDate,
        /// Fill colour.
        colour: &'static str,
    },
    /// A dot on one day (an imaging study).
    Dot {
        /// The day.
        date: NaiveDate,
        /// Fill colour.
        colour: &'static str,
    },
}

/// A labelled lane of marks.
pub struct Lane {
    /// Label on the left.
    pub label: String,
    /// Marks.
    pub marks: Vec<Mark>,
}

/// The swimlane chart of a course from `start` to `end`.
pub fn swimlane(lanes: &[Lane], start: NaiveDate, end: NaiveDate) -> String {
    const WIDTH: f64 = 960.0;
    const LABEL: f64 = 160.0;
    const LANE: f64 = 28.0;
    let bottom = 8.0 + LANE * lanes.len() as f64;
    let mut document = Document::new(WIDTH, bottom + 24.0);
    let scale = DateScale::new(start, end, LABEL, WIDTH - 12.0);
    scale.draw_months(&mut document, 8.0, bottom);
    for (i, lane) in lanes.iter().enumerate() {
        let top = 8.0 + LANE * i as f64;
        let middle = top + LANE / 2.0;
        document.line(
            (LABEL, top + LANE),
            (WIDTH - 12.0, top + LANE),
            Stroke::solid("#D3D9E0", 1.0),
        );
        document.text((LABEL - 8.0, middle + 4.0), &lane.label, 11.0, Anchor::End);
        for mark in &lane.marks {
            match mark {
                Mark::Span { start, end, colour } => {
                    let x0 = scale.x(*start);
                    let x1 = scale.x(*end) + scale.day_width();
                    document.rect(x0, top + 7.0, (x1 - x0).max(1.5), LANE - 14.0, colour);
                }
                Mark::Tick { date, colour } => {
                    let x = scale.x(*date) + scale.day_width() / 2.0;
                    document.rect(x - 1.0, top + 5.0, 2.0, LANE - 10.0, colour);
                }
                Mark::Diamond { date, colour } => {
                    let x = scale.x(*date) + scale.day_width() / 2.0;
                    let diamond = [
                        (x, middle - 6.0),
                        (x + 6.0, middle),
                        (x, middle + 6.0),
                        (x - 6.0, middle),
                    ];
                    document.polygon(&diamond, colour, 1.0);
                }
                Mark::Dot { date, colour } => {
                    let x = scale.x(*date) + scale.day_width() / 2.0;
                    document.circle((x, middle), 5.0, colour);
                }
            }
        }
    }
    let labels: Vec<&str> = lanes.iter().map(|l| l.label.as_str()).collect();
    document.finish(&format!(
        "Treatment timeline from {start} to {end}, one lane each for {}",
        labels.join(", ")
    ))
}

/// One dated series of a line chart.
pub struct Series {
    /// Name (for the legend).
    pub name: String,
    /// Points in date order.
    pub points: Vec<(NaiveDate, f64)>,
}

/// A small dated line chart titled `title (unit)`, with an optional shaded reference band and
/// the CTCAE grade bands of the test (coloured by grade, labelled `G1`…; the axis takes in the
/// grade 1 band and every band a value falls in, so those are drawn whole).
pub fn dated_line_chart(
    title: &str,
    unit: &str,
    series: &[Series],
    band: Option<(f64, f64)>,
    grade_bands: &[GradeInterval],
    dates: (NaiveDate, NaiveDate),
) -> String {
    const WIDTH: f64 = 470.0;
    const LEFT: f64 = 62.0;
    const TOP: f64 = 30.0;
    const BOTTOM: f64 = 160.0;
    let data = || series.iter().flat_map(|s| s.points.iter().map(|p| p.1));
    let data_low = data().fold(f64::INFINITY, f64::min);
    let data_high = data().fold(f64::NEG_INFINITY, f64::max);
    // The grade 1 band, and every band a value falls in, are drawn whole.
    let shown = |b: &&GradeInterval| {
        b.grade == 1
            || (b.low.is_none_or(|low| low <= data_high)
                && b.high.is_none_or(|high| high >= data_low))
    };
    let values: Vec<f64> = data()
        .chain(band.into_iter().flat_map(|(low, high)| [low, high]))
        .chain(
            grade_bands
                .iter()
                .filter(shown)
                .flat_map(|b| [b.low, b.high])
                .flatten(),
        )
        .collect();
    let low = values.iter().copied().fold(f64::INFINITY, f64::min);
    let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (low, high) = if low.is_finite() {
        (low, high)
    } else {
        (0.0, 1.0)
    };
    let (ticks, step) = nice_ticks((low * 0.9).max(0.0), high * 1.1, 4);
    let domain = (
        ticks.first().copied().unwrap_or(low).min(low),
        (ticks.last().copied().unwrap_or(high) + step * 0.25).max(high),
    );
    let y = LinearScale {
        domain,
        range: (BOTTOM, TOP),
    };
    let x = DateScale::new(dates.0, dates.1, LEFT, WIDTH - 14.0);
    let mut document = Document::new(WIDTH, BOTTOM + 24.0);
    document.text_styled(
        (LEFT, 16.0),
        &format!("{title} ({unit})"),
        12.0,
        Anchor::Start,
        "bold",
        "#1D2430",
    );
    if let Some((band_low, band_high)) = band {
        let (top, bottom) = (y.map(band_high), y.map(band_low));
        document.rect(LEFT, top, WIDTH - 14.0 - LEFT, bottom - top, "#E3F1E6");
    }
    for grade_band in grade_bands {
        let low = grade_band.low.unwrap_or(domain.0).max(domain.0);
        let high = grade_band.high.unwrap_or(domain.1).min(domain.1);
        if high <= low {
            continue;
        }
        let (top, bottom) = (y.map(high), y.map(low));
        let (left, right) = (LEFT, WIDTH - 14.0);
        document.polygon(
            &[(left, top), (right, top), (right, bottom), (left, bottom)],
            grade_colour(grade_band.grade),
            0.22,
        );
        document.text_styled(
            (right - 3.0, (top + bottom) / 2.0 + 3.5),
            &format!("G{}", grade_band.grade),
            9.0,
            Anchor::End,
            "bold",
            "#5a3a00",
        );
    }
    x.draw_months(&mut document, TOP, BOTTOM);
    y_axis(&mut document, &y, LEFT, &ticks, tick_label, "");
    for (i, s) in series.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let points: Vec<(f64, f64)> = s.points.iter().map(|(d, v)| (x.x(*d), y.map(*v))).collect();
        document.polyline(&points, Stroke::solid(colour, 1.8));
        for ((px, py), (_, value)) in points.iter().zip(&s.points) {
            document.circle((*px, *py), 3.5, colour);
            document.text_styled(
                (*px, py - 7.0),
                &tick_label(*value),
                9.0,
                Anchor::Middle,
                "normal",
                "#333333",
            );
        }
    }
    let summaries: Vec<String> = series
        .iter()
        .filter(|s| !s.points.is_empty())
        .map(|s| match s.points.as_slice() {
            [(date, value)] => format!("{}: {} on {date}", s.name, tick_label(*value)),
            points => {
                let values = || points.iter().map(|p| p.1);
                format!(
                    "{}: {} values from {} to {}, lowest {}, highest {}",
                    s.name,
                    points.len(),
                    points[0].0,
                    points[points.len() - 1].0,
                    tick_label(values().fold(f64::INFINITY, f64::min)),
                    tick_label(values().fold(f64::NEG_INFINITY, f64::max)),
                )
            }
        })
        .collect();
    document.finish(&format!("{title} ({unit}). {}", summaries.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn date_scale_maps_days_linearly() {
        let scale = DateScale::new(date("2022-01-01"), date("2022-01-11"), 100.0, 200.0);
        assert_eq!(scale.x(date("2022-01-01")), 100.0);
        assert_eq!(scale.x(date("2022-01-06")), 150.0);
        assert_eq!(scale.x(date("2022-01-11")), 200.0);
        assert_eq!(scale.day_width(), 10.0);
    }

    #[test]
    fn month_ticks_thin_out_over_long_spans() {
        let short = DateScale::new(date("2022-05-09"), date("2022-08-01"), 0.0, 1.0);
        assert_eq!(
            short.month_ticks(),
            [date("2022-06-01"), date("2022-07-01"), date("2022-08-01")]
        );
        let long = DateScale::new(date("2022-05-09"), date("2023-11-23"), 0.0, 1.0);
        assert_eq!(long.month_ticks().first(), Some(&date("2022-07-01")));
        assert!(long.month_ticks().iter().all(|d| d.month0() % 3 == 0));
    }
}
