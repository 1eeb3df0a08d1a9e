//! Kaplan–Meier figure: one step curve per group with its pointwise confidence band, censor
//! ticks, a legend, an optional annotation (e.g. the log-rank p) and the number-at-risk
//! table under the time axis, aligned with its ticks, as journals print them.

use oncourse_outcome::survival::KaplanMeier;

use crate::svg::{Anchor, Document, LinearScale, PALETTE, Stroke, nice_ticks, x_axis, y_axis};

/// One curve to draw.
#[derive(Debug, Clone, Copy)]
pub struct Curve<'a> {
    /// Legend and at-risk row label.
    pub label: &'a str,
    /// The fitted estimate.
    pub fit: &'a KaplanMeier,
}

/// Figure options.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Title above the plot (may be empty).
    pub title: String,
    /// Time-axis title, e.g. "Months since start of treatment".
    pub time_label: String,
    /// Survival-axis title, e.g. "Progression-free survival".
    pub survival_label: String,
    /// A note printed inside the plot, e.g. "log-rank p = 0.003".
    pub annotation: Option<String>,
    /// Draw the confidence bands.
    pub confidence_bands: bool,
}

const WIDTH: f64 = 720.0;
const LEFT: f64 = 130.0;
const RIGHT: f64 = 690.0;
const TOP: f64 = 50.0;
const PLOT_BOTTOM: f64 = 380.0;
const ROW_HEIGHT: f64 = 20.0;

/// Draws the figure as SVG text.
pub fn render(curves: &[Curve], options: &Options) -> String {
    let last_time = curves
        .iter()
        .filter_map(|c| c.fit.steps().last().map(|s| s.time))
        .fold(0.0, f64::max);
    let (_, step) = nice_ticks(0.0, last_time.max(1.0), 8);
    // End the axis on the first tick at or after the last observed time.
    let time_end = (last_time.max(1.0) / step).ceil() * step;
    let time_ticks: Vec<f64> = nice_ticks(0.0, time_end, 8).0;
    let x = LinearScale {
        domain: (0.0, time_end),
        range: (LEFT, RIGHT),
    };
    let y = LinearScale {
        domain: (0.0, 1.0),
        range: (PLOT_BOTTOM, TOP),
    };
    let table_top = PLOT_BOTTOM + 70.0;
    let height = table_top + 30.0 + ROW_HEIGHT * curves.len() as f64 + 10.0;
    let mut document = Document::new(WIDTH, height);
    if !options.title.is_empty() {
        document.text_styled(
            (LEFT, 28.0),
            &options.title,
            15.0,
            Anchor::Start,
            "bold",
            "#000000",
        );
    }
    let (survival_ticks, _) = nice_ticks(0.0, 1.0, 5);
    for &t in &survival_ticks[1..] {
        let grid = Stroke {
            colour: "#e6e6e6",
            width: 1.0,
            dash: None,
        };
        document.line((LEFT, y.map(t)), (RIGHT, y.map(t)), grid);
    }
    for (index, curve) in curves.iter().enumerate() {
        let colour = PALETTE[index % PALETTE.len()];
        if options.confidence_bands {
            for band in confidence_band(curve.fit, &x, &y) {
                document.polygon(&band, colour, 0.15);
            }
        }
        document.polyline(&step_points(curve.fit, &x, &y), Stroke::solid(colour, 2.0));
        for step in curve.fit.steps().iter().filter(|s| s.n_censored > 0) {
            let (cx, cy) = (x.map(step.time), y.map(step.survival));
            document.line((cx, cy - 4.0), (cx, cy + 4.0), Stroke::solid(colour, 1.5));
        }
    }
    x_axis(
        &mut document,
        &x,
        PLOT_BOTTOM + 4.0,
        &time_ticks,
        &options.time_label,
    );
    y_axis(
        &mut document,
        &y,
        LEFT - 4.0,
        &survival_ticks,
        |t| format!("{:.0}%", t * 100.0),
        &options.survival_label,
    );
    legend(&mut document, curves, options.annotation.as_deref());
    at_risk_table(&mut document, curves, &x, &time_ticks, table_top);
    let labels: Vec<&str> = curves.iter().map(|c| c.label).collect();
    document.finish(&format!(
        "{}Kaplan–Meier estimate of {} ({}), with the number at risk: {}",
        if options.title.is_empty() {
            String::new()
        } else {
            format!("{}: ", options.title)
        },
        options.survival_label,
        options.time_label,
        labels.join(", ")
    ))
}

/// The step function S(t) as polyline points, from (0, 1) to the end of follow-up.
fn step_points(fit: &KaplanMeier, x: &LinearScale, y: &LinearScale) -> Vec<(f64, f64)> {
    let mut points = vec![(x.map(0.0), y.map(1.0))];
    let mut current = 1.0;
    for step in fit.steps() {
        if step.survival != current {
            points.push((x.map(step.time), y.map(current)));
            points.push((x.map(step.time), y.map(step.survival)));
            current = step.survival;
        }
    }
    if let Some(last) = fit.steps().last() {
        points.push((x.map(last.time), y.map(current)));
    }
    points
}

/// The band between the lower and upper limits as step-shaped polygons, one per run of
/// times where both limits are defined.
fn confidence_band(fit: &KaplanMeier, x: &LinearScale, y: &LinearScale) -> Vec<Vec<(f64, f64)>> {
    let steps = fit.steps();
    let mut bands = Vec::new();
    let mut run: Vec<(f64, f64, f64, f64)> = Vec::new(); // (start, end, lower, upper)
    for (k, step) in steps.iter().enumerate() {
        let end = steps.get(k + 1).map_or(step.time, |next| next.time);
        match (step.lower, step.upper) {
            (Some(lower), Some(upper)) => run.push((step.time, end, lower, upper)),
            _ => {
                if !run.is_empty() {
                    bands.push(band_polygon(&run, x, y));
                    run.clear();
                }
            }
        }
    }
    if !run.is_empty() {
        bands.push(band_polygon(&run, x, y));
    }
    bands
}

fn band_polygon(run: &[(f64, f64, f64, f64)], x: &LinearScale, y: &LinearScale) -> Vec<(f64, f64)> {
    let mut upper: Vec<(f64, f64)> = Vec::new();
    let mut lower: Vec<(f64, f64)> = Vec::new();
    for &(start, end, lo, hi) in run {
        upper.push((x.map(start), y.map(hi)));
        upper.push((x.map(end), y.map(hi)));
        lower.push((x.map(start), y.map(lo)));
        lower.push((x.map(end), y.map(lo)));
    }
    lower.reverse();
    upper.extend(lower);
    upper
}

fn legend(document: &mut Document, curves: &[Curve], annotation: Option<&str>) {
    let (x0, mut y0) = (RIGHT - 170.0, TOP + 12.0);
    for (index, curve) in curves.iter().enumerate() {
        let colour = PALETTE[index % PALETTE.len()];
        document.line(
            (x0, y0 - 4.0),
            (x0 + 22.0, y0 - 4.0),
            Stroke::solid(colour, 2.5),
        );
        document.text((x0 + 28.0, y0), curve.label, 12.0, Anchor::Start);
        y0 += 18.0;
    }
    if let Some(note) = annotation {
        document.text((x0, y0 + 4.0), note, 12.0, Anchor::Start);
    }
}

fn at_risk_table(
    document: &mut Document,
    curves: &[Curve],
    x: &LinearScale,
    ticks: &[f64],
    top: f64,
) {
    document.text_styled(
        (12.0, top),
        "Number at risk",
        12.0,
        Anchor::Start,
        "bold",
        "#000000",
    );
    for (index, curve) in curves.iter().enumerate() {
        let row_y = top + 22.0 + ROW_HEIGHT * index as f64;
        let colour = PALETTE[index % PALETTE.len()];
        document.text_styled(
            (LEFT - 30.0, row_y),
            curve.label,
            12.0,
            Anchor::End,
            "normal",
            colour,
        );
        for &t in ticks {
            let n = curve.fit.n_at_risk_at(t);
            document.text((x.map(t), row_y), &n.to_string(), 12.0, Anchor::Middle);
        }
    }
}
