//! The embedded CTCAE v5.0 catalogue against the NCI clean-copy sheet (rows copied verbatim
//! from `shared/data/ctcae/ctcae_v5.0.csv`, NCI 2017).

use oncourse_tox::catalogue;

#[test]
fn holds_all_837_terms_with_unique_names_and_codes() {
    let terms = catalogue().terms();
    assert_eq!(terms.len(), 837);
    for term in terms {
        assert_eq!(catalogue().by_name(&term.name), Some(term));
        assert_eq!(catalogue().by_meddra_code(term.meddra_code), Some(term));
    }
}

#[test]
fn platelet_row_is_verbatim() {
    let term = catalogue().by_name("  platelet COUNT decreased ").unwrap();
    assert_eq!(term.name, "Platelet count decreased");
    assert_eq!(term.meddra_code, 10035528);
    assert_eq!(term.system_organ_class, "Investigations");
    assert_eq!(
        term.grade_text(3),
        Some("<50,000 - 25,000/mm3; <50.0 - 25.0 x 10e9 /L")
    );
    assert_eq!(term.grade_text(5), None);
    assert_eq!(
        term.definition.as_deref(),
        Some(
            "A finding based on laboratory test results that indicate a decrease in number of platelets in a blood specimen."
        )
    );
}

#[test]
fn dermatitis_radiation_row_is_verbatim() {
    let term = catalogue().lookup("10061103").unwrap();
    assert_eq!(term.name, "Dermatitis radiation");
    assert_eq!(
        term.system_organ_class,
        "Injury, poisoning and procedural complications"
    );
    assert_eq!(
        term.grade_text(1),
        Some("Faint erythema or dry desquamation")
    );
    assert_eq!(
        term.grade_text(3),
        Some(
            "Moist desquamation in areas other than skin folds and creases; bleeding induced by minor trauma or abrasion"
        )
    );
    assert_eq!(
        term.grade_text(4),
        Some(
            "Life-threatening consequences; skin necrosis or ulceration of full thickness dermis; spontaneous bleeding from involved site; skin graft indicated"
        )
    );
    assert_eq!(term.grade_text(5), Some("Death"));
}

#[test]
fn anemia_is_first_and_unknown_queries_find_nothing() {
    let first = &catalogue().terms()[0];
    assert_eq!(first.name, "Anemia");
    assert_eq!(first.meddra_code, 10002272);
    assert_eq!(
        first.grade_text(1),
        Some("Hemoglobin (Hgb) <LLN - 10.0 g/dL; <LLN - 6.2 mmol/L; <LLN - 100 g/L")
    );
    assert!(catalogue().lookup("Platelets low").is_none());
    assert!(catalogue().lookup("99999999").is_none());
}

#[test]
fn every_term_the_seed_and_anlotinib_label_touch_is_present() {
    for name in [
        "Dermatitis radiation",
        "Skin ulceration",
        "Wound complication",
        "Palmar-plantar erythrodysesthesia syndrome",
        "Hypertension",
        "Proteinuria",
        "Diarrhea",
        "Fatigue",
        "Anorexia",
        "Weight loss",
        "Tumor hemorrhage",
        "Hypothyroidism",
        "Alanine aminotransferase increased",
        "Aspartate aminotransferase increased",
        "Blood bilirubin increased",
        "Creatinine increased",
        "Neutrophil count decreased",
        "Platelet count decreased",
        "White blood cell decreased",
        "Lymphocyte count decreased",
        "Anemia",
        "Mucositis oral",
        "Pain in extremity",
        "Electrocardiogram QT corrected interval prolonged",
    ] {
        assert!(catalogue().by_name(name).is_some(), "{name} missing");
    }
}
