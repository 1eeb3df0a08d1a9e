//! Spider plot: percent change of the sum of target diameters from baseline over time, one
//! line per patient, coloured by best overall response, with the +20 % and −30 % lines.

use oncourse_outcome::response::Response;

use crate::svg::{Anchor, Document, LinearScale, Stroke, nice_ticks, tick_label, x_axis, y_axis};
use crate::waterfall::{
    draw_reference_lines, percent_change_scale, response_colour, response_legend,
};

/// One patient's trajectory.
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    /// Patient label.
    pub id: String,
    /// (days from baseline, % change from baseline), baseline (0, 0) included.
    pub points: Vec<(f64, f64)>,
    /// Best overall response, for the colour.
    pub best_overall_response: Response,
}

/// Draws the plot as SVG text.
pub fn render(trajectories: &[Trajectory], title: &str) -> String {
    let (left, right, top, bottom) = (110.0, 650.0, 50.0, 380.0);
    let all = || trajectories.iter().flat_map(|t| t.points.iter());
    let last_day = all().map(|p| p.0).fold(1.0, f64::max);
    let (day_ticks, _) = nice_ticks(0.0, last_day, 8);
    let x_end = day_ticks.last().copied().unwrap_or(last_day).max(last_day);
    let x = LinearScale {
        domain: (0.0, x_end),
        range: (left, right),
    };
    let (y, ticks) = percent_change_scale(all().map(|p| p.1), bottom, top);
    let mut document = Document::new(760.0, 480.0);
    document.text_styled((left, 28.0), title, 15.0, Anchor::Start, "bold", "#000000");
    draw_reference_lines(&mut document, &y, left, right);
    document.line(
        (left, y.map(0.0)),
        (right, y.map(0.0)),
        Stroke::solid("#bbbbbb", 1.0),
    );
    for trajectory in trajectories {
        let colour = response_colour(trajectory.best_overall_response);
        let points: Vec<(f64, f64)> = trajectory
            .points
            .iter()
            .map(|(d, p)| (x.map(*d), y.map(*p)))
            .collect();
        document.polyline(&points, Stroke::solid(colour, 1.8));
        for point in &points {
            document.circle(*point, 2.8, colour);
        }
        if let Some(last) = points.last() {
            document.text(
                (last.0 + 5.0, last.1 + 4.0),
                &trajectory.id,
                10.0,
                Anchor::Start,
            );
        }
    }
    x_axis(
        &mut document,
        &x,
        bottom + 4.0,
        &day_ticks,
        "Days since baseline",
    );
    y_axis(
        &mut document,
        &y,
        left - 4.0,
        &ticks,
        |t| format!("{}%", tick_label(t)),
        "Change from baseline in sum of diameters",
    );
    response_legend(&mut document, (left, bottom + 70.0));
    document.finish(&format!(
        "{title}: spider plot of the change from baseline in the sum of diameters of {} patients over the days since baseline",
        trajectories.len()
    ))
}
