//! Swimmer plot: one horizontal bar per patient from the start of treatment to the last
//! assessment, with a marker for each timepoint response and an arrow where the patient is
//! still on study without progression.

use oncourse_outcome::response::Response;

use crate::svg::{Anchor, Document, LinearScale, Stroke, nice_ticks, x_axis};
use crate::waterfall::{response_colour, response_legend};

/// One patient's lane.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// Patient label.
    pub id: String,
    /// Days from start to the last assessment (the bar's length).
    pub duration_days: f64,
    /// Timepoint responses as (day, response).
    pub responses: Vec<(f64, Response)>,
    /// Still on study without progression: draw an arrow.
    pub ongoing: bool,
}

/// Draws the plot as SVG text.
pub fn render(lanes: &[Lane], title: &str) -> String {
    let mut sorted = lanes.to_vec();
    sorted.sort_by(|a, b| b.duration_days.total_cmp(&a.duration_days));
    let (left, right, top) = (110.0, 680.0, 50.0);
    let lane_height = 22.0;
    let bottom = top + lane_height * sorted.len().max(1) as f64;
    let last_day = sorted.iter().map(|l| l.duration_days).fold(1.0, f64::max);
    let (ticks, _) = nice_ticks(0.0, last_day, 8);
    let x_end = ticks.last().copied().unwrap_or(last_day).max(last_day) * 1.04;
    let x = LinearScale {
        domain: (0.0, x_end),
        range: (left, right),
    };
    let mut document = Document::new(760.0, bottom + 100.0);
    document.text_styled((left, 28.0), title, 15.0, Anchor::Start, "bold", "#000000");
    for (k, lane) in sorted.iter().enumerate() {
        let centre = top + lane_height * (k as f64 + 0.5);
        document.rect(
            left,
            centre - 6.0,
            x.map(lane.duration_days) - left,
            12.0,
            "#c9d6e3",
        );
        document.text((left - 8.0, centre + 4.0), &lane.id, 11.0, Anchor::End);
        for &(day, response) in &lane.responses {
            let at = (x.map(day), centre);
            match response {
                Response::ProgressiveDisease => {
                    let stroke = Stroke::solid(response_colour(response), 2.2);
                    document.line((at.0 - 5.0, at.1 - 5.0), (at.0 + 5.0, at.1 + 5.0), stroke);
                    document.line((at.0 - 5.0, at.1 + 5.0), (at.0 + 5.0, at.1 - 5.0), stroke);
                }
                other => document.circle(at, 4.5, response_colour(other)),
            }
        }
        if lane.ongoing {
            let end = x.map(lane.duration_days);
            document.polygon(
                &[
                    (end + 3.0, centre - 6.0),
                    (end + 13.0, centre),
                    (end + 3.0, centre + 6.0),
                ],
                "#333333",
                1.0,
            );
        }
    }
    x_axis(
        &mut document,
        &x,
        bottom + 6.0,
        &ticks,
        "Days since start of treatment",
    );
    response_legend(&mut document, (left, bottom + 80.0));
    document.finish(&format!(
        "{title}: swimmer plot of {} patients, days since the start of treatment",
        lanes.len()
    ))
}
