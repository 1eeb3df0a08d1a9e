//! What the charts must show: numbers at risk at the axis ticks (checked by hand on a small
//! cohort), patients in waterfall order, escaped labels, response colours.

use oncourse_outcome::response::Response;
use oncourse_outcome::survival::{KaplanMeierOptions, SurvivalData, kaplan_meier};
use oncourse_report::{kaplan_meier as km, spider, swimmer, waterfall};

/// Texts of the `<text>` elements, in document order.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            t.split_once('>')
                .and_then(|(_, rest)| rest.split_once("</text>"))
                .map(|(text, _)| text.to_string())
        })
        .collect()
}

#[test]
fn kaplan_meier_number_at_risk_table_by_hand() {
    // Times 1..=10, every other one censored: at risk at t is the count of times ≥ t.
    let data = SurvivalData::new(
        (1..=10).map(f64::from).collect(),
        (1..=10).map(|t| t % 2 == 0).collect(),
    )
    .unwrap();
    let fit = kaplan_meier(&data, &KaplanMeierOptions::default());
    let svg = km::render(
        &[km::Curve {
            label: "Arm <A>",
            fit: &fit,
        }],
        &km::Options {
            title: "PFS".into(),
            time_label: "Months".into(),
            survival_label: "Survival".into(),
            annotation: None,
            confidence_bands: true,
        },
    );
    let texts = texts(&svg);
    let table_start = texts.iter().position(|t| t == "Number at risk").unwrap();
    // Axis 0–10 with ticks every 2: at risk 10, 9, 7, 5, 3, 1.
    assert_eq!(texts[table_start + 1], "Arm &lt;A&gt;");
    assert_eq!(
        texts[table_start + 2..table_start + 8],
        ["10", "9", "7", "5", "3", "1"]
    );
    assert!(svg.contains("<polygon"), "a confidence band is drawn");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
}

#[test]
fn waterfall_sorts_from_growth_to_shrinkage() {
    let bar = |id: &str, pct: f64, r: Response| waterfall::Bar {
        id: id.into(),
        best_change_pct: pct,
        best_overall_response: r,
    };
    let svg = waterfall::render(
        &[
            bar("B", -45.0, Response::PartialResponse),
            bar("A", 12.0, Response::ProgressiveDisease),
            bar("C", -100.0, Response::CompleteResponse),
        ],
        "Best change",
    );
    let order: Vec<String> = texts(&svg)
        .into_iter()
        .filter(|t| ["A", "B", "C"].contains(&t.as_str()))
        .collect();
    assert_eq!(order, ["A", "B", "C"]);
    assert!(svg.contains(waterfall::response_colour(Response::CompleteResponse)));
}

#[test]
fn swimmer_and_spider_label_every_patient() {
    let lane = swimmer::Lane {
        id: "P&1".into(),
        duration_days: 120.0,
        responses: vec![
            (56.0, Response::PartialResponse),
            (112.0, Response::ProgressiveDisease),
        ],
        ongoing: false,
    };
    let svg = swimmer::render(&[lane], "Swimmer");
    assert!(texts(&svg).contains(&"P&amp;1".to_string()));
    let line = spider::Trajectory {
        id: "P2".into(),
        points: vec![(0.0, 0.0), (56.0, -35.0)],
        best_overall_response: Response::PartialResponse,
    };
    let svg = spider::render(&[line], "Spider");
    assert!(texts(&svg).contains(&"P2".to_string()));
    assert!(svg.contains(waterfall::response_colour(Response::PartialResponse)));
}
