//! AJCC 8th-edition staging and FNCLCC grading against their published tables, transcribed
//! under `tests/data/staging/` (sources in each file's header and in `tests/data/README.md`).

use std::fs;
use std::path::Path;

use oncourse_model::grade::{FnclccComponents, FnclccGrade, Necrosis};
use oncourse_model::stage::{MCategory, NCategory, StageGroup, TCategory, stage_group};

fn rows(name: &str) -> Vec<Vec<String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/staging")
        .join(name);
    fs::read_to_string(&path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

const TS: [(&str, TCategory); 4] = [
    ("T1", TCategory::T1),
    ("T2", TCategory::T2),
    ("T3", TCategory::T3),
    ("T4", TCategory::T4),
];
const NS: [(&str, NCategory); 2] = [("N0", NCategory::N0), ("N1", NCategory::N1)];
const MS: [(&str, MCategory); 2] = [("M0", MCategory::M0), ("M1", MCategory::M1)];
const GS: [(&str, FnclccGrade); 4] = [
    ("G1", FnclccGrade::G1),
    ("G2", FnclccGrade::G2),
    ("G3", FnclccGrade::G3),
    ("GX", FnclccGrade::GX),
];

fn matches(cell: &str, name: &str) -> bool {
    cell == "*" || cell.split('|').any(|alt| alt == name)
}

#[test]
fn every_t_n_m_grade_combination_gets_the_published_group() {
    let table = rows("ajcc8-trunk-extremity-stage.csv");
    let mut checked = 0;
    for (t_name, t) in TS {
        for (n_name, n) in NS {
            for (m_name, m) in MS {
                for (g_name, g) in GS {
                    let groups: Vec<&str> = table
                        .iter()
                        .filter(|r| {
                            matches(&r[0], t_name)
                                && matches(&r[1], n_name)
                                && matches(&r[2], m_name)
                                && matches(&r[3], g_name)
                        })
                        .map(|r| r[4].as_str())
                        .collect();
                    assert!(
                        !groups.is_empty(),
                        "{t_name} {n_name} {m_name} {g_name} not in the table"
                    );
                    assert!(
                        groups.iter().all(|g| *g == groups[0]),
                        "table is ambiguous for {t_name} {n_name} {m_name} {g_name}"
                    );
                    let computed = stage_group(t, n, m, g).to_string();
                    assert_eq!(computed, groups[0], "{t_name} {n_name} {m_name} {g_name}");
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 64);
    // The seed case: 8 cm, high grade, N0 M0 (DOMAIN notes; the report's "approximately 7*8 cm").
    assert_eq!(
        stage_group(
            TCategory::from_greatest_dimension_mm(80.0),
            NCategory::N0,
            MCategory::M0,
            FnclccGrade::G3
        ),
        StageGroup::IIIA
    );
}

#[test]
fn t_category_boundaries_follow_the_definition() {
    for row in rows("ajcc8-trunk-extremity-t.csv") {
        let size: f64 = row[0].parse().unwrap();
        let t = TCategory::from_greatest_dimension_mm(size);
        assert_eq!(format!("{t:?}"), row[1], "{size} mm");
    }
}

#[test]
fn fnclcc_grade_follows_the_published_scores() {
    let components = rows("fnclcc-components.csv");
    let totals = rows("fnclcc-total.csv");
    let grade_of_total = |total: u8| {
        totals
            .iter()
            .find(|r| r[0] == total.to_string())
            .map(|r| r[1].clone())
            .unwrap()
    };
    let necroses = [
        ("none", Necrosis::None),
        ("less_than_50_percent", Necrosis::LessThanHalf),
        ("50_percent_or_more", Necrosis::HalfOrMore),
    ];
    let score = |component: &str, value: &str| -> u8 {
        components
            .iter()
            .find(|r| r[0] == component && r[1] == value)
            .map(|r| r[2].parse().unwrap())
            .unwrap()
    };
    let mut checked = 0;
    for differentiation_score in 1..=3u8 {
        for mitoses in components.iter().filter(|r| r[0] == "mitoses") {
            for (necrosis_name, necrosis) in necroses {
                let c = FnclccComponents {
                    differentiation_score,
                    mitoses_per_10_hpf: mitoses[1].parse().unwrap(),
                    necrosis,
                };
                let expected_total = differentiation_score
                    + score("mitoses", &mitoses[1])
                    + score("necrosis", necrosis_name);
                assert_eq!(c.total_score(), expected_total);
                assert_eq!(
                    format!("{:?}", c.grade()),
                    grade_of_total(expected_total),
                    "{c:?}"
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 3 * 6 * 3);
    // A differentiation score outside 1–3 cannot be graded.
    let bad = FnclccComponents {
        differentiation_score: 0,
        mitoses_per_10_hpf: 5,
        necrosis: Necrosis::None,
    };
    assert_eq!(bad.grade(), FnclccGrade::GX);
}
