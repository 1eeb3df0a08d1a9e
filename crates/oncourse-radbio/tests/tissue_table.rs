//! The embedded tissue table: every row parses and names its source; bad tables are refused.

use oncourse_radbio::tissues::{self, TableError, parse_table};

#[test]
fn every_row_has_a_source_and_a_valid_alpha_beta() {
    assert!(!tissues::all().is_empty());
    for tissue in tissues::all() {
        assert!(
            !tissue.source.trim().is_empty(),
            "{} has no source",
            tissue.id
        );
        assert!(tissue.alpha_beta.gy() > 0.0);
        if let Some((lo, hi)) = tissue.alpha_beta_range_gy {
            assert!(
                lo <= tissue.alpha_beta.gy() && tissue.alpha_beta.gy() <= hi,
                "{}: α/β outside its own range",
                tissue.id
            );
        }
        if let Some(repopulation) = &tissue.repopulation {
            assert!(
                !repopulation.source.trim().is_empty(),
                "{}: repopulation has no source",
                tissue.id
            );
        }
    }
}

#[test]
fn a_row_without_a_source_is_refused() {
    let text = r#"
[[tissue]]
id = "x"
name = "X"
category = "late"
alpha_beta_gy = 3.0
endpoint = "e"
evidence = "convention"
source = "  "
"#;
    assert_eq!(
        parse_table(text).unwrap_err(),
        TableError::Row {
            id: "x".into(),
            field: "source",
            message: "expected the published source, got nothing".into()
        }
    );
}

#[test]
fn a_non_positive_alpha_beta_is_refused() {
    let text = r#"
[[tissue]]
id = "x"
name = "X"
category = "late"
alpha_beta_gy = 0.0
endpoint = "e"
evidence = "convention"
source = "s"
"#;
    let error = parse_table(text).unwrap_err().to_string();
    assert_eq!(
        error,
        "tissues.toml: tissue \"x\": alpha_beta_gy: alpha/beta: expected a number of Gy above 0, got 0"
    );
}

#[test]
fn unknown_tissue_is_an_error_naming_it() {
    assert_eq!(
        tissues::get("no-such-tissue").unwrap_err().to_string(),
        "tissue: unknown tissue \"no-such-tissue\"; `oncourse tissues` lists the known ones"
    );
}
