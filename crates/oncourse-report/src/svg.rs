//! A small SVG writer for charts: a document with primitives, linear scales with "nice"
//! ticks, axes, text escaping and the colour palette. Shared by every chart (and by the
//! HTML report), so all figures look alike.

use std::fmt::Write;

/// Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008), in the order groups get them.
pub const PALETTE: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000",
];

/// Font stack of every label.
pub const FONT_FAMILY: &str = "Helvetica, Arial, 'Liberation Sans', sans-serif";

/// Text anchor (horizontal alignment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Left-aligned at x.
    Start,
    /// Centred on x.
    Middle,
    /// Right-aligned at x.
    End,
}

impl Anchor {
    fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// Escapes text for SVG character data and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A number formatted for SVG coordinates: at most two decimals, no trailing zeros.
fn coordinate(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let text = format!("{rounded:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

/// Stroke style of lines.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke<'a> {
    /// Colour (any SVG colour).
    pub colour: &'a str,
    /// Width in px.
    pub width: f64,
    /// Dash pattern, e.g. "4 3"; `None` for solid.
    pub dash: Option<&'a str>,
}

impl<'a> Stroke<'a> {
    /// A solid stroke.
    pub fn solid(colour: &'a str, width: f64) -> Self {
        Self {
            colour,
            width,
            dash: None,
        }
    }

    fn attributes(&self) -> String {
        let mut out = format!(
            r#"stroke="{}" stroke-width="{}""#,
            escape(self.colour),
            coordinate(self.width)
        );
        if let Some(dash) = self.dash {
            let _ = write!(out, r#" stroke-dasharray="{}""#, escape(dash));
        }
        out
    }
}

/// An SVG document being written.
#[derive(Debug, Clone)]
pub struct Document {
    width: f64,
    height: f64,
    body: String,
}

impl Document {
    /// A blank white document of `width` × `height` px.
    pub fn new(width: f64, height: f64) -> Self {
        let mut document = Self {
            width,
            height,
            body: String::new(),
        };
        document.rect(0.0, 0.0, width, height, "#ffffff");
        document
    }

    /// A filled rectangle.
    pub fn rect(&mut self, x: f64, y: f64, width: f64, height: f64, fill: &str) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
            coordinate(x),
            coordinate(y),
            coordinate(width.max(0.0)),
            coordinate(height.max(0.0)),
            escape(fill)
        );
    }

    /// A straight line.
    pub fn line(&mut self, from: (f64, f64), to: (f64, f64), stroke: Stroke) {
        let _ = writeln!(
            self.body,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" {}/>"#,
            coordinate(from.0),
            coordinate(from.1),
            coordinate(to.0),
            coordinate(to.1),
            stroke.attributes()
        );
    }

    /// An open polyline.
    pub fn polyline(&mut self, points: &[(f64, f64)], stroke: Stroke) {
        let _ = writeln!(
            self.body,
            r#"<polyline points="{}" fill="none" stroke-linejoin="miter" {}/>"#,
            points_attribute(points),
            stroke.attributes()
        );
    }

    /// A filled polygon with an opacity.
    pub fn polygon(&mut self, points: &[(f64, f64)], fill: &str, opacity: f64) {
        let _ = writeln!(
            self.body,
            r#"<polygon points="{}" fill="{}" fill-opacity="{}" stroke="none"/>"#,
            points_attribute(points),
            escape(fill),
            coordinate(opacity)
        );
    }

    /// A filled circle.
    pub fn circle(&mut self, centre: (f64, f64), radius: f64, fill: &str) {
        let _ = writeln!(
            self.body,
            r#"<circle cx="{}" cy="{}" r="{}" fill="{}"/>"#,
            coordinate(centre.0),
            coordinate(centre.1),
            coordinate(radius),
            escape(fill)
        );
    }

    /// Text at (x, y) (baseline), `size` px.
    pub fn text(&mut self, position: (f64, f64), text: &str, size: f64, anchor: Anchor) {
        self.text_styled(position, text, size, anchor, "normal", "#000000");
    }

    /// Text with a weight ("normal", "bold") and a colour.
    pub fn text_styled(
        &mut self,
        position: (f64, f64),
        text: &str,
        size: f64,
        anchor: Anchor,
        weight: &str,
        colour: &str,
    ) {
        let _ = writeln!(
            self.body,
            r#"<text x="{}" y="{}" font-size="{}" text-anchor="{}" font-weight="{}" fill="{}">{}</text>"#,
            coordinate(position.0),
            coordinate(position.1),
            coordinate(size),
            anchor.as_str(),
            escape(weight),
            escape(colour),
            escape(text)
        );
    }

    /// Text rotated by −90° (for a vertical axis title), centred on (x, y).
    pub fn vertical_text(&mut self, position: (f64, f64), text: &str, size: f64) {
        let (x, y) = (coordinate(position.0), coordinate(position.1));
        let _ = writeln!(
            self.body,
            r#"<text x="{x}" y="{y}" font-size="{}" text-anchor="middle" transform="rotate(-90 {x} {y})">{}</text>"#,
            coordinate(size),
            escape(text)
        );
    }

    /// The finished SVG text: an image named by `description` (what the chart shows, in
    /// words), given as its `aria-label` for screen readers and as its `<title>` for a tooltip
    /// and for the file opened alone.
    pub fn finish(self, description: &str) -> String {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{font}\" role=\"img\" aria-label=\"{description}\">\n<title>{description}</title>\n{body}</svg>\n",
            w = coordinate(self.width),
            h = coordinate(self.height),
            font = escape(FONT_FAMILY),
            description = escape(description),
            body = self.body
        )
    }
}

fn points_attribute(points: &[(f64, f64)]) -> String {
    points
        .iter()
        .map(|(x, y)| format!("{},{}", coordinate(*x), coordinate(*y)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A linear map from data values (domain) to pixels (range).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearScale {
    /// Data interval (start, end).
    pub domain: (f64, f64),
    /// Pixel interval (start, end); may be reversed (y axes).
    pub range: (f64, f64),
}

impl LinearScale {
    /// Maps a data value to pixels.
    pub fn map(&self, value: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        if d1 == d0 {
            return (r0 + r1) / 2.0;
        }
        r0 + (value - d0) / (d1 - d0) * (r1 - r0)
    }
}

/// About `target` evenly spaced round tick values (1, 2, 2.5 or 5 × 10ⁿ apart) covering
/// [low, high], and the step between them.
pub fn nice_ticks(low: f64, high: f64, target: usize) -> (Vec<f64>, f64) {
    if high <= low || !low.is_finite() || !high.is_finite() {
        return (vec![low], 1.0);
    }
    let raw = (high - low) / target.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    // Round to the step's decimals so that 3 × 0.2 prints as 0.6, not 0.6000000000000001.
    let decimals = (-step.log10().floor()).max(0.0) as i32 + 1;
    let unit = 10f64.powi(decimals);
    let first = (low / step).ceil() * step;
    let ticks = (0..)
        .map(|k| first + k as f64 * step)
        .take_while(|t| *t <= high + step * 1e-9)
        .map(|t| (t * unit).round() / unit)
        .map(|t| if t == 0.0 { 0.0 } else { t })
        .collect();
    (ticks, step)
}

/// A domain widened to whole tick steps around [low, high], and its ticks.
pub fn padded_domain(low: f64, high: f64, target: usize) -> ((f64, f64), Vec<f64>) {
    let (_, step) = nice_ticks(low, high, target);
    let domain = ((low / step).floor() * step, (high / step).ceil() * step);
    (domain, nice_ticks(domain.0, domain.1, target).0)
}

/// Formats a tick value without needless decimals.
pub fn tick_label(value: f64) -> String {
    if (value - value.round()).abs() < 1e-9 {
        format!("{}", value.round() as i64)
    } else {
        let text = format!("{value:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Draws a bottom x axis at pixel row `y` with ticks and labels, and its title below.
pub fn x_axis(document: &mut Document, scale: &LinearScale, y: f64, ticks: &[f64], title: &str) {
    let axis = Stroke::solid("#000000", 1.0);
    document.line((scale.range.0, y), (scale.range.1, y), axis);
    for &t in ticks {
        let x = scale.map(t);
        document.line((x, y), (x, y + 5.0), axis);
        document.text((x, y + 18.0), &tick_label(t), 12.0, Anchor::Middle);
    }
    document.text(
        ((scale.range.0 + scale.range.1) / 2.0, y + 38.0),
        title,
        13.0,
        Anchor::Middle,
    );
}

/// Draws a left y axis at pixel column `x` with ticks, labels formatted by `label`, and its
/// vertical title.
pub fn y_axis(
    document: &mut Document,
    scale: &LinearScale,
    x: f64,
    ticks: &[f64],
    label: impl Fn(f64) -> String,
    title: &str,
) {
    let axis = Stroke::solid("#000000", 1.0);
    document.line((x, scale.range.0), (x, scale.range.1), axis);
    for &t in ticks {
        let y = scale.map(t);
        document.line((x - 5.0, y), (x, y), axis);
        document.text((x - 8.0, y + 4.0), &label(t), 12.0, Anchor::End);
    }
    document.vertical_text(
        (x - 48.0, (scale.range.0 + scale.range.1) / 2.0),
        title,
        13.0,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape(r#"a<b & "c" 'd'>"#),
            "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;"
        );
    }

    #[test]
    fn nice_ticks_are_round_and_cover_the_range() {
        assert_eq!(nice_ticks(0.0, 1.0, 5).0, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(nice_ticks(0.0, 52.0, 5).0, [0.0, 20.0, 40.0]);
        assert_eq!(
            nice_ticks(-100.0, 60.0, 8).0,
            [-100.0, -80.0, -60.0, -40.0, -20.0, 0.0, 20.0, 40.0, 60.0]
        );
    }

    #[test]
    fn scale_maps_ends_and_reverses() {
        let scale = LinearScale {
            domain: (0.0, 1.0),
            range: (300.0, 50.0),
        };
        assert_eq!(scale.map(0.0), 300.0);
        assert_eq!(scale.map(1.0), 50.0);
        assert_eq!(scale.map(0.5), 175.0);
    }

    #[test]
    fn coordinates_are_short() {
        assert_eq!(coordinate(1.0), "1");
        assert_eq!(coordinate(1.256), "1.26");
        assert_eq!(coordinate(-0.001), "0");
    }
}
