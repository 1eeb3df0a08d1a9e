//! The HTML case report of the seed case: every section present once, self-contained (no
//! external assets), the report's numbers on the page, and text escaped.

use std::fs;
use std::path::Path;

use chrono::NaiveDate;
use oncourse_engine::{AssessOptions, assess};
use oncourse_model::case_file::parse_case_file;
use oncourse_report::case_report::{SECTIONS, case_report_html, default_title};

fn seed_text() -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/popliteal-lms.toml"),
    )
    .unwrap()
}

fn render(text: &str, as_of: &str) -> String {
    let record = parse_case_file("case.toml", text).unwrap();
    let as_of: NaiveDate = as_of.parse().unwrap();
    let assessment = assess(&record, &AssessOptions::new(as_of)).unwrap();
    case_report_html(&default_title(&record), &record, &assessment)
}

#[test]
fn every_section_is_present_once_and_nothing_is_fetched() {
    let html = render(&seed_text(), "2023-11-23");
    for id in SECTIONS {
        assert_eq!(
            html.matches(&format!("<section id=\"{id}\">")).count(),
            1,
            "section {id}"
        );
    }
    // Self-contained: no scripts, links, images or remote URLs other than the SVG namespace.
    for forbidden in ["<script", "<link", "<img", "src=", "url(", "@import"] {
        assert!(!html.contains(forbidden), "{forbidden}");
    }
    let remote = html.matches("http").count();
    let namespaces = html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count();
    assert_eq!(remote, namespaces);
    assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>"));
    assert_eq!(html.matches("<svg").count(), html.matches("</svg>").count());
    // Timeline, three lab series (haemoglobin, neutrophils, platelets), tumour size, and the
    // response's waterfall and spider charts.
    assert_eq!(html.matches("<svg").count(), 7);
}

#[test]
fn the_report_carries_the_numbers_of_the_case() {
    let html = render(&seed_text(), "2023-11-23");
    // Response (hand-derived in crates/oncourse-engine/tests/response.rs): 80 → 66 → 52 mm,
    // −17.5 % SD then −35 % PR; PFS censored at 2022-11-01, 162 days from the first fraction.
    assert!(html.contains(r#"<td class="num">-35.0 %</td>"#));
    assert!(html.contains("Best overall response: <strong>PR</strong>"));
    assert!(html.contains(
        r#"<tr><td>Progression-free survival</td><td class="num">162</td><td>2022-11-01</td><td>censored at the last adequate assessment</td></tr>"#
    ));
    // Title and stage (AJCC 8th: 8 cm, N0 M0, G3 → IIIA).
    assert!(html.contains("<h1>Case report: left popliteal fossa</h1>"));
    assert!(html.contains("<span class=\"stage\">IIIA</span>"));
    // 4 Gy × 10 + 7 Gy × 3 = 61 Gy in 13 fractions (the report).
    assert!(html.contains(r#"Course</th><td class="num">13/13</td><td class="num">61</td>"#));
    // α/β 10: EQD2 91.7 / 1.2 = 76.42 Gy (Fowler's formula by hand).
    assert!(html.contains("<td class=\"num\">76.42</td>"));
    // The 13 IHC markers of Figure 1D and the 4 debridements with PRP.
    assert_eq!(
        html.matches("<tr><td>Ki-67 (clone 7B11)</td><td>40%</td></tr>")
            .count(),
        1
    );
    assert_eq!(
        html.matches("debridement with platelet-rich plasma gel and thrombin")
            .count(),
        4
    );
    // 23 anlotinib cycles up to the last contact, the last one ongoing.
    assert!(html.contains("23 (ongoing)"));
}

#[test]
fn lab_trends_carry_the_ctcae_grade_bands() {
    let html = render(&seed_text(), "2023-11-23");
    let labs = &html[html.find("<section id=\"labs\">").unwrap()..];
    let labs = &labs[..labs.find("</section>").unwrap()];
    // Platelets (LOINC 777-3, "Platelet count decreased", LLN 125 x 10^9/L in the case file):
    // the value 46 lies in grade 3 (<50 - 25), so bands G1 to G3 are in view (CTCAE v5.0);
    // haemoglobin (718-7, "Anemia") and neutrophils (751-8) have theirs too.
    let charts: Vec<&str> = labs.split("<svg").skip(1).collect();
    assert_eq!(charts.len(), 3);
    for chart in &charts {
        assert!(chart.contains(">G1</text>"), "{chart}");
    }
    let platelets = charts.iter().find(|c| c.contains(">platelets (")).unwrap();
    assert!(platelets.contains(">G2</text>") && platelets.contains(">G3</text>"));
    assert!(labs.contains("Coloured bands: the CTCAE v5.0 grade"));
}

#[test]
fn every_chart_has_a_text_alternative() {
    let html = render(&seed_text(), "2023-11-23");
    // Each chart is an image named in words (aria-label and title), for screen readers.
    let charts: Vec<&str> = html.split("<svg ").skip(1).collect();
    assert_eq!(charts.len(), 7);
    for chart in &charts {
        let head = &chart[..chart.find("</title>").unwrap()];
        assert!(head.contains(r#"role="img" aria-label=""#), "{head}");
        assert!(head.contains(">\n<title>"), "{head}");
    }
    // The platelet chart names its extremes: 46 x 10^9/L on 2022-08-29 is the case file's
    // lowest platelet count (observation plt-c2d8).
    assert!(
        charts
            .iter()
            .any(|c| c.contains("platelets: ") && c.contains(", lowest 46,")),
        "{html}"
    );
    // The values behind the lab and tumour-size charts are tables under them (case file:
    // plt-c2d8, and the primary's longest diameters 80 mm at baseline and 66 mm on 2022-07-11).
    assert!(html.contains(
        "<tr><td>platelets</td><td>2022-08-29</td><td>46</td><td>10*9/L</td><td>125–350</td></tr>"
    ));
    assert!(html.contains("<tr><td>primary</td><td>2022-05-09</td><td>80</td></tr>"));
    assert!(html.contains("<tr><td>primary</td><td>2022-07-11</td><td>66</td></tr>"));
    // Every column header says so (the data tables' and the report's own).
    assert_eq!(html.matches("<th>").count(), 0);
    assert_eq!(html.matches("<th class=").count(), 0);
}

#[test]
fn the_chronology_counts_days_from_the_first_fraction() {
    let html = render(&seed_text(), "2023-11-23");
    // The case file: admission 2022-05-09, first IMRT fraction 2022-05-23 (day 0), so the
    // admission is day -14.
    let chronology = html.split("<section id=\"chronology\">").nth(1).unwrap();
    assert!(chronology.contains(
        r#"<th scope="col">Date</th><th scope="col" class="num">Day</th><th scope="col">Event</th>"#
    ));
    assert!(
        chronology.contains(r#"<tr><td>2022-05-09</td><td class="num">-14</td><td>admission"#),
        "{chronology}"
    );
    assert!(chronology.contains("days since the first radiotherapy fraction (day 0)"));
}

#[test]
fn as_of_limits_the_report() {
    let html = render(&seed_text(), "2022-06-01");
    assert!(html.contains(r#"Course</th><td class="num">8/10</td><td class="num">32</td>"#));
    assert!(html.contains("No drug regimen recorded."));
    assert!(!html.contains("Skin ulceration"));
}

#[test]
fn text_from_the_case_file_is_escaped() {
    let text = seed_text().replace(
        "site = \"left popliteal fossa\"\ntopography_icdo3",
        "site = \"<script>alert(1)</script> & co\"\ntopography_icdo3",
    );
    let html = render(&text, "2023-11-23");
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
}

#[test]
fn recommendations_and_episodes_with_both_protocols() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let record = parse_case_file("case.toml", &seed_text()).unwrap();
    let mut options = AssessOptions::new("2023-11-23".parse().unwrap());
    for name in ["anlotinib", "radiation-dermatitis"] {
        let text = fs::read_to_string(root.join(format!("protocols/{name}.toml"))).unwrap();
        options
            .protocols
            .push(oncourse_tox::protocol::parse_protocol(name, &text).unwrap());
    }
    let assessment = assess(&record, &options).unwrap();
    let html = case_report_html(&default_title(&record), &record, &assessment);
    let section = html
        .split("<section id=\"recommendations\">")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .unwrap();
    // The six recommendations hand-checked in crates/oncourse-engine/tests/surveillance.rs, all
    // from local rules, and the 65 missing pre-cycle values.
    assert_eq!(section.matches("<b>LOCAL</b>").count(), 6 + 1, "{section}");
    assert!(section.contains("<td>2022-09-16</td><td>resume anlotinib at 10 mg</td>"));
    assert!(section.contains("<td>2022-12-09</td><td>resume anlotinib at 8 mg</td>"));
    assert!(section.contains("<h3>Deviations (65)</h3>"));
    // Episodes: platelets worst grade 3 on 2022-08-29 (46 × 10⁹/L, CTCAE "<50.0 - 25.0").
    assert!(
        html.contains("<td>Platelet count decreased</td><td class=\"num\">3 (2022-08-29)</td>")
    );
    assert!(html.contains("&lt;50.0 - 25.0 x 10e9 /L"));
    // Protocol sources carry no links: the page stays self-contained.
    assert_eq!(
        html.matches("http").count(),
        html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
}
