//! Waterfall plot: one bar per patient, the best percent change of the sum of target
//! diameters from baseline, sorted from largest increase to largest decrease, coloured by
//! best overall response, with the RECIST +20 % and −30 % reference lines.

use oncourse_outcome::response::Response;

use crate::svg::{Anchor, Document, LinearScale, Stroke, padded_domain, tick_label, y_axis};

/// One patient's bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Patient label.
    pub id: String,
    /// Best (most negative) percent change from baseline.
    pub best_change_pct: f64,
    /// Best overall response, for the colour.
    pub best_overall_response: Response,
}

/// The RECIST 1.1 reference lines: +20 % (progression is measured from the nadir, so this
/// is a guide) and −30 % (partial response).
pub const REFERENCE_LINES: [(f64, &str); 2] = [(20.0, "+20 % (PD)"), (-30.0, "−30 % (PR)")];

/// The vertical scale of a %-change chart (shared by waterfall and spider): always shows
/// +30 % to −40 % so the reference lines are on the chart, never below −100 % (a lesion cannot
/// shrink by more than all of it). Returns the scale and its tick values.
pub(crate) fn percent_change_scale(
    values: impl Iterator<Item = f64> + Clone,
    bottom: f64,
    top: f64,
) -> (LinearScale, Vec<f64>) {
    let high = values.clone().fold(30.0, f64::max);
    let low = values.fold(-40.0, f64::min).max(-100.0);
    let (domain, ticks) = padded_domain(low, high, 8);
    let scale = LinearScale {
        domain,
        range: (bottom, top),
    };
    (scale, ticks)
}

/// Draws the dashed [`REFERENCE_LINES`] across a %-change chart, labelled at the right.
pub(crate) fn draw_reference_lines(
    document: &mut Document,
    y: &LinearScale,
    left: f64,
    right: f64,
) {
    let dashed = Stroke {
        colour: "#555555",
        width: 1.0,
        dash: Some("5 4"),
    };
    for (value, label) in REFERENCE_LINES {
        document.line((left, y.map(value)), (right, y.map(value)), dashed);
        document.text(
            (right + 4.0, y.map(value) + 4.0),
            label,
            11.0,
            Anchor::Start,
        );
    }
}

/// Fill colour of a response category (shared by the response charts).
pub fn response_colour(response: Response) -> &'static str {
    match response {
        Response::CompleteResponse => "#009E73",
        Response::PartialResponse => "#0072B2",
        Response::StableDisease | Response::NonCompleteNonProgressive => "#E69F00",
        Response::ProgressiveDisease => "#D55E00",
        Response::NotEvaluable => "#999999",
    }
}

/// Draws the plot as SVG text.
pub fn render(bars: &[Bar], title: &str) -> String {
    let mut sorted = bars.to_vec();
    sorted.sort_by(|a, b| b.best_change_pct.total_cmp(&a.best_change_pct));
    let (left, right, top, bottom) = (110.0, 650.0, 50.0, 380.0);
    let (y, ticks) = percent_change_scale(sorted.iter().map(|b| b.best_change_pct), bottom, top);
    let mut document = Document::new(760.0, 470.0);
    document.text_styled((left, 28.0), title, 15.0, Anchor::Start, "bold", "#000000");
    draw_reference_lines(&mut document, &y, left, right);
    let slot = (right - left) / sorted.len().max(1) as f64;
    let zero = y.map(0.0);
    for (k, bar) in sorted.iter().enumerate() {
        let x = left + slot * k as f64 + slot * 0.1;
        let top_y = y.map(bar.best_change_pct.max(0.0));
        let bottom_y = y.map(bar.best_change_pct.min(0.0));
        document.rect(
            x,
            top_y,
            slot * 0.8,
            bottom_y - top_y,
            response_colour(bar.best_overall_response),
        );
        if sorted.len() <= 40 {
            let label_y = if bar.best_change_pct >= 0.0 {
                zero + 14.0
            } else {
                zero - 6.0
            };
            document.text((x + slot * 0.4, label_y), &bar.id, 10.0, Anchor::Middle);
        }
    }
    document.line((left, zero), (right, zero), Stroke::solid("#000000", 1.0));
    y_axis(
        &mut document,
        &y,
        left - 4.0,
        &ticks,
        |t| format!("{}%", tick_label(t)),
        "Best change from baseline in sum of diameters",
    );
    response_legend(&mut document, (left, bottom + 40.0));
    document.finish(&format!(
        "{title}: waterfall plot of the best change from baseline in the sum of diameters of {} patients",
        bars.len()
    ))
}

/// A horizontal legend of the response colours starting at `origin`.
pub fn response_legend(document: &mut Document, origin: (f64, f64)) {
    let mut x = origin.0;
    for response in [
        Response::CompleteResponse,
        Response::PartialResponse,
        Response::StableDisease,
        Response::ProgressiveDisease,
        Response::NotEvaluable,
    ] {
        document.rect(x, origin.1 - 10.0, 12.0, 12.0, response_colour(response));
        document.text(
            (x + 16.0, origin.1),
            response.abbreviation(),
            12.0,
            Anchor::Start,
        );
        x += 70.0;
    }
}
