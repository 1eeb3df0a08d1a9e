//! Our own conformance checks of the exported bundles against the mCODE STU4
//! StructureDefinitions (differentials trimmed from npm `hl7.fhir.us.mcode` 4.0.0 into
//! `tests/data/mcode-profiles/`): every claimed profile exists and fits the resource type;
//! cardinalities (min, max) of elements, extension slices and pattern-discriminated slices;
//! fixed and pattern values; required bindings to value sets the package enumerates; and
//! must-support elements, which must be populated unless listed below with the reason.
//! Constraints inherited from US Core and R4 core are not checked here (their packages are
//! not vendored); the R4 JSON schema checks the base resources (`tests/fhir/validate.sh`).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use oncourse_fhir::{ExportOptions, export_json};
use oncourse_model::case_file::parse_case_file;
use serde_json::Value;

/// Must-support elements oncourse leaves empty, by profile, and why.
const UNPOPULATED_MUST_SUPPORT: &[(&str, &str, &str)] = &[
    (
        "mcode-cancer-patient",
        "Patient.deceased[x]",
        "death is a disease_event fact (CancerDiseaseStatus)",
    ),
    (
        "mcode-cancer-patient",
        "Patient.extension:birthsex",
        "the model records administrative sex only",
    ),
    (
        "mcode-primary-cancer-condition",
        "Condition.bodySite.extension:locationQualifier",
        "no location qualifier in the model",
    ),
    (
        "mcode-radiotherapy-course-summary",
        "Procedure.extension:treatmentIntent",
        "the model records no treatment intent",
    ),
    (
        "mcode-radiotherapy-course-summary",
        "Procedure.statusReason",
        "no termination reason in the model",
    ),
    (
        "mcode-radiotherapy-course-summary",
        "Procedure.reasonCode",
        "the diagnosis is referenced (reasonReference) instead",
    ),
    (
        "mcode-tumor-size",
        "Observation.specimen",
        "sizes are clinical or radiological, not from a specimen",
    ),
    (
        "mcode-ecog-performance-status",
        "Observation.interpretation",
        "LOINC answer codes for ECOG 1-5 not verified in our sources",
    ),
    (
        "mcode-cancer-disease-status",
        "Observation.extension:evidenceType",
        "the model records no evidence type",
    ),
    (
        "mcode-cancer-related-medication-request",
        "MedicationRequest.extension:treatmentIntent",
        "no treatment intent in the model",
    ),
    (
        "mcode-cancer-related-medication-request",
        "MedicationRequest.reasonCode",
        "the diagnosis is referenced (reasonReference) instead",
    ),
    (
        "mcode-cancer-related-medication-administration",
        "MedicationAdministration.extension:treatmentIntent",
        "no treatment intent in the model",
    ),
    (
        "mcode-cancer-related-medication-administration",
        "MedicationAdministration.statusReason",
        "completed administrations have none",
    ),
    (
        "mcode-cancer-related-medication-administration",
        "MedicationAdministration.reasonCode",
        "the regimen's request carries the reason",
    ),
    (
        "mcode-cancer-related-medication-administration",
        "MedicationAdministration.reasonReference",
        "the regimen's request carries the reason",
    ),
    (
        "mcode-radiotherapy-volume",
        "BodyStructure.identifier",
        "the target has no identifier in the model",
    ),
    (
        "mcode-radiotherapy-volume",
        "BodyStructure.identifier:displayName",
        "the target has no identifier in the model",
    ),
    (
        "mcode-radiotherapy-volume",
        "BodyStructure.identifier:displayName.value",
        "the target has no identifier in the model",
    ),
    (
        "mcode-radiotherapy-volume",
        "BodyStructure.morphology",
        "no volume type in the model",
    ),
    (
        "mcode-radiotherapy-volume",
        "BodyStructure.location",
        "the target is free text",
    ),
    (
        "mcode-radiotherapy-volume",
        "BodyStructure.locationQualifier",
        "the target is free text",
    ),
    (
        "mcode-tnm-stage-group",
        "Observation.hasMember:TNMCategory",
        "a slice defined by type, which the differential cannot recognise; hasMember itself is populated",
    ),
];

fn repo() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn load(name: &str) -> Vec<Value> {
    let text = fs::read_to_string(repo().join("tests/data/mcode-profiles").join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

struct Package {
    definitions: BTreeMap<String, Value>,
    /// Enumerated value sets: url → (system, code) pairs; value sets with filters or imports
    /// are absent (not checkable offline).
    value_sets: BTreeMap<String, BTreeSet<(String, String)>>,
}

impl Package {
    fn new() -> Package {
        let definitions = load("structure-definitions.json")
            .into_iter()
            .map(|d| (d["url"].as_str().unwrap().to_string(), d))
            .collect();
        let mut value_sets = BTreeMap::new();
        for vs in load("value-sets.json") {
            let includes = vs["compose"]["include"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let enumerable = includes.iter().all(|i| {
                i.get("filter").is_none()
                    && i.get("valueSet").is_none()
                    && i.get("concept").is_some()
            });
            if enumerable && !includes.is_empty() {
                let codes =
                    includes
                        .iter()
                        .flat_map(|i| {
                            let system = i["system"].as_str().unwrap_or_default().to_string();
                            i["concept"].as_array().unwrap().iter().map(move |c| {
                                (system.clone(), c["code"].as_str().unwrap().to_string())
                            })
                        })
                        .collect();
                value_sets.insert(vs["url"].as_str().unwrap().to_string(), codes);
            }
        }
        Package {
            definitions,
            value_sets,
        }
    }
}

/// The values of a child element in every instance of its parent (`value[x]` matches any
/// `valueXxx`). Arrays are flattened.
fn children<'v>(parents: &[&'v Value], name: &str) -> Vec<Vec<&'v Value>> {
    parents
        .iter()
        .map(|parent| {
            let Some(object) = parent.as_object() else {
                return Vec::new();
            };
            let found: Vec<&Value> = if let Some(prefix) = name.strip_suffix("[x]") {
                object
                    .iter()
                    .filter(|(k, _)| {
                        k.starts_with(prefix)
                            && k.len() > prefix.len()
                            && k[prefix.len()..].starts_with(char::is_uppercase)
                    })
                    .map(|(_, v)| v)
                    .collect()
            } else {
                object.get(name).into_iter().collect()
            };
            found
                .into_iter()
                .flat_map(|v| match v {
                    Value::Array(items) => items.iter().collect::<Vec<_>>(),
                    other => vec![other],
                })
                .collect()
        })
        .collect()
}

/// Splits an element id into steps: `("component", Some("tumorLongestDimension"))`.
fn steps(id: &str) -> Vec<(String, Option<String>)> {
    id.split('.')
        .skip(1)
        .map(|step| match step.split_once(':') {
            Some((name, slice)) => (name.to_string(), Some(slice.to_string())),
            None => (step.to_string(), None),
        })
        .collect()
}

fn codings(value: &Value) -> Vec<(String, String)> {
    let list: Vec<&Value> = match value.get("coding") {
        Some(Value::Array(c)) => c.iter().collect(),
        _ => vec![value],
    };
    list.iter()
        .filter_map(|c| {
            Some((
                c.get("system")?.as_str()?.to_string(),
                c.get("code")?.as_str()?.to_string(),
            ))
        })
        .collect()
}

struct Checker<'p> {
    package: &'p Package,
    problems: Vec<String>,
    populated_must_support: BTreeSet<(String, String)>,
    must_support: BTreeSet<(String, String)>,
}

impl Checker<'_> {
    /// Selects the instances of a slice among `candidates`, using the slice's type profile
    /// (extensions) or the pattern of its `.code` (components); `None` when the differential
    /// does not say how to recognise it (the slice is defined by a parent profile).
    fn slice<'v>(
        &self,
        definition: &Value,
        slice_id: &str,
        candidates: Vec<&'v Value>,
    ) -> Option<Vec<&'v Value>> {
        let elements = definition["differential"]["element"].as_array().unwrap();
        let element = elements.iter().find(|e| e["id"] == slice_id);
        let profile = element.and_then(|e| e["type"][0]["profile"][0].as_str());
        if let Some(url) = profile {
            return Some(candidates.into_iter().filter(|c| c["url"] == url).collect());
        }
        let fixed_url = elements
            .iter()
            .find(|e| e["id"] == format!("{slice_id}.url"))
            .and_then(|e| e["fixedUri"].as_str());
        if let Some(url) = fixed_url {
            return Some(candidates.into_iter().filter(|c| c["url"] == url).collect());
        }
        // Otherwise the slice is recognised by the fixed or pattern values of its children
        // (a component's code, an identifier's use).
        let prefix = format!("{slice_id}.");
        let discriminators: Vec<(&str, &Value)> = elements
            .iter()
            .filter_map(|e| {
                let child = e["id"].as_str()?.strip_prefix(&prefix)?;
                if child.contains('.') {
                    return None;
                }
                let (_, value) = e
                    .as_object()?
                    .iter()
                    .find(|(k, _)| k.starts_with("pattern") || k.starts_with("fixed"))?;
                Some((child, value))
            })
            .collect();
        if discriminators.is_empty() {
            return None;
        }
        Some(
            candidates
                .into_iter()
                .filter(|c| {
                    discriminators.iter().all(|(child, wanted)| match wanted {
                        Value::Object(_) => codings(wanted)
                            .iter()
                            .all(|w| codings(&c[*child]).contains(w)),
                        _ => c[*child] == **wanted,
                    })
                })
                .collect(),
        )
    }

    /// Checks one resource (or extension) against one definition.
    fn check(&mut self, definition: &Value, instance: &Value, at: &str) {
        let name = definition["url"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_string();
        for element in definition["differential"]["element"].as_array().unwrap() {
            let id = element["id"].as_str().unwrap();
            let steps = steps(id);
            if steps.is_empty() {
                continue;
            }
            // Walk to the parents of the last step.
            if element["mustSupport"] == true {
                self.must_support.insert((name.clone(), id.to_string()));
            }
            let mut parents = vec![instance];
            let mut prefix = id.split('.').next().unwrap().to_string();
            let mut recognised = true;
            for (step, slice) in &steps[..steps.len() - 1] {
                prefix.push('.');
                prefix.push_str(step);
                let next: Vec<&Value> = children(&parents, step).into_iter().flatten().collect();
                parents = match slice {
                    Some(slice) => {
                        prefix.push(':');
                        prefix.push_str(slice);
                        match self.slice(definition, &prefix, next) {
                            Some(instances) => instances,
                            None => {
                                recognised = false;
                                break;
                            }
                        }
                    }
                    None => next,
                };
            }
            if !recognised {
                continue;
            }
            let (last, slice) = steps.last().unwrap();
            let mut per_parent: Vec<Vec<&Value>> = Vec::new();
            for found in children(&parents, last) {
                per_parent.push(match slice {
                    Some(_) => match self.slice(definition, id, found) {
                        Some(instances) => instances,
                        None => continue,
                    },
                    None => found,
                });
            }
            let min = element["min"].as_u64();
            let max = element["max"].as_str();
            for found in &per_parent {
                if let Some(min) = min
                    && (found.len() as u64) < min
                {
                    self.problems.push(format!(
                        "{at}: {name}: {id}: expected at least {min}, found {}",
                        found.len()
                    ));
                }
                match max {
                    Some("*") | None => {}
                    Some(max) => {
                        let max: usize = max.parse().unwrap();
                        if found.len() > max {
                            self.problems.push(format!(
                                "{at}: {name}: {id}: expected at most {max}, found {}",
                                found.len()
                            ));
                        }
                    }
                }
            }
            let all: Vec<&Value> = per_parent.into_iter().flatten().collect();
            for (key, pattern) in element.as_object().unwrap() {
                if key.starts_with("patternCodeableConcept")
                    || key.starts_with("fixedCodeableConcept")
                {
                    for value in &all {
                        let have = codings(value);
                        if !codings(pattern).iter().all(|p| have.contains(p)) {
                            self.problems.push(format!(
                                "{at}: {name}: {id}: expected the pattern {pattern}, got {value}"
                            ));
                        }
                    }
                } else if key.starts_with("fixed")
                    || (key.starts_with("pattern") && !pattern.is_object())
                {
                    for value in &all {
                        if *value != pattern {
                            self.problems.push(format!(
                                "{at}: {name}: {id}: expected {pattern}, got {value}"
                            ));
                        }
                    }
                }
            }
            if element["binding"]["strength"] == "required"
                && let Some(codes) = element["binding"]["valueSet"]
                    .as_str()
                    .and_then(|url| self.package.value_sets.get(url.split('|').next().unwrap()))
            {
                for value in &all {
                    let have = codings(value);
                    if !have.iter().any(|c| codes.contains(c)) {
                        self.problems.push(format!(
                            "{at}: {name}: {id}: expected a code of {}, got {value}",
                            element["binding"]["valueSet"]
                        ));
                    }
                }
            }
            if element["mustSupport"] == true && !all.is_empty() {
                self.populated_must_support
                    .insert((name.clone(), id.to_string()));
            }
        }
    }

    /// Checks every mCODE extension anywhere inside `value` against its definition.
    fn extensions(&mut self, value: &Value, at: &str) {
        match value {
            Value::Object(object) => {
                if let (Some(Value::String(url)), true) =
                    (object.get("url"), object.contains_key("url"))
                    && let Some(definition) = self.package.definitions.get(url)
                    && definition["type"] == "Extension"
                {
                    self.check(&definition.clone(), value, &format!("{at} extension {url}"));
                }
                for child in object.values() {
                    self.extensions(child, at);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| self.extensions(v, at)),
            _ => {}
        }
    }
}

fn exported(file: &str) -> Value {
    let text = fs::read_to_string(repo().join(file)).unwrap();
    let record = parse_case_file(file, &text).unwrap();
    serde_json::from_str(&export_json(&record, &ExportOptions::default())).unwrap()
}

#[test]
fn exported_bundles_conform_to_the_mcode_profiles_they_claim() {
    let package = Package::new();
    // The package's own counts.
    assert_eq!(package.definitions.len(), 53);
    let mut checker = Checker {
        package: &package,
        problems: Vec::new(),
        populated_must_support: BTreeSet::new(),
        must_support: BTreeSet::new(),
    };
    let mut claimed = BTreeSet::new();
    for file in [
        "examples/popliteal-lms.toml",
        "tests/data/case-files/valid/every-field.toml",
    ] {
        let bundle = exported(file);
        for entry in bundle["entry"].as_array().unwrap() {
            let resource = &entry["resource"];
            let at = format!(
                "{file}: {}/{}",
                resource["resourceType"].as_str().unwrap(),
                resource["id"].as_str().unwrap()
            );
            for profile in resource["meta"]["profile"].as_array().into_iter().flatten() {
                let url = profile.as_str().unwrap();
                let Some(definition) = package.definitions.get(url) else {
                    checker.problems.push(format!(
                        "{at}: claims {url}, which the mCODE package does not define"
                    ));
                    continue;
                };
                assert_eq!(definition["type"], resource["resourceType"], "{at}: {url}");
                claimed.insert(url.rsplit('/').next().unwrap().to_string());
                checker.check(definition, resource, &at);
            }
            checker.extensions(resource, &at);
        }
    }
    assert_eq!(checker.problems, Vec::<String>::new());
    // Every profile oncourse emits was exercised.
    assert_eq!(claimed.len(), 15, "{claimed:?}");
    let unpopulated: BTreeSet<(String, String)> = checker
        .must_support
        .difference(&checker.populated_must_support)
        .cloned()
        .collect();
    let allowed: BTreeSet<(String, String)> = UNPOPULATED_MUST_SUPPORT
        .iter()
        .map(|(p, e, _)| (p.to_string(), e.to_string()))
        .collect();
    let unexpected: Vec<_> = unpopulated.difference(&allowed).collect();
    let now_populated: Vec<_> = allowed.difference(&unpopulated).collect();
    assert!(
        unexpected.is_empty() && now_populated.is_empty(),
        "unpopulated must-support elements not listed: {unexpected:?}; listed but populated: {now_populated:?}"
    );
}

/// The checker finds what it claims to check: a laterality outside its required value set,
/// a tumour size without its longest dimension, a course summary with another code.
#[test]
fn the_checker_reports_broken_resources() {
    let package = Package::new();
    let mut checker = Checker {
        package: &package,
        problems: Vec::new(),
        populated_must_support: BTreeSet::new(),
        must_support: BTreeSet::new(),
    };
    let bundle = exported("examples/popliteal-lms.toml");
    for entry in bundle["entry"].as_array().unwrap() {
        let mut resource = entry["resource"].clone();
        let id = resource["id"].as_str().unwrap().to_string();
        match id.as_str() {
            "diagnosis" => {
                resource["bodySite"][0]["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] =
                    "999".into();
            }
            "diagnosis-size" => {
                resource["component"].as_array_mut().unwrap().remove(0);
            }
            "imrt" => resource["code"]["coding"][0]["code"] = "12345".into(),
            _ => continue,
        }
        let url = resource["meta"]["profile"][0].as_str().unwrap().to_string();
        checker.check(&package.definitions[&url], &resource, &id);
        checker.extensions(&resource, &id);
    }
    let problems: Vec<String> = checker
        .problems
        .iter()
        .map(|p| p.split(": expected").next().unwrap().to_string())
        .collect();
    assert_eq!(
        problems,
        [
            "diagnosis extension http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-laterality-qualifier: mcode-laterality-qualifier: Extension.value[x]",
            "diagnosis-size: mcode-tumor-size: Observation.component:tumorLongestDimension",
            "imrt: mcode-radiotherapy-course-summary: Procedure.code",
        ]
    );
}
