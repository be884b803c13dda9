//! The YAML test suite (yaml-test-suite, MIT; vendored in tests/data/yaml-test-suite/): every
//! valid single-document case whose JSON the suite gives must read as that JSON, and every
//! invalid case must be refused with a line and column. Ratchets: the counts may only rise.

use aslplay::import::parse_yaml;
use aslplay::{json, Value};

/// One case of `tests/data/yaml-test-suite/cases.json`.
struct Case {
    id: String,
    yaml: String,
    json: Option<String>,
    fail: bool,
    documents: Option<i64>,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/yaml-test-suite/cases.json"))
        .expect("the vendored suite");
    let all = json::parse(&text).expect("the suite is JSON");
    let s = |c: &Value, k: &str| c.get(k).and_then(Value::as_str).map(str::to_string);
    all.as_array()
        .expect("an array of cases")
        .iter()
        .map(|c| Case {
            id: s(c, "id").unwrap_or_default(),
            yaml: s(c, "yaml").unwrap_or_default(),
            json: s(c, "json"),
            fail: c.get("fail").and_then(Value::as_bool).unwrap_or(false),
            documents: c.get("documents").and_then(Value::as_i64),
        })
        .collect()
}

/// The suite writes its YAML with visible markers for some characters.
fn unmark(yaml: &str) -> String {
    yaml.replace('␣', " ")
        .replace("»", "\t")
        .replace('—', "")
        .replace('←', "\r")
        .replace("⇔", "\u{feff}")
        .replace('↵', "")
        .replace("∎\n", "")
}

#[test]
fn valid_single_documents_read_as_the_suites_json() {
    let mut passed = 0;
    let mut failures = Vec::new();
    let valid: Vec<Case> =
        cases().into_iter().filter(|c| !c.fail && c.documents == Some(1) && c.json.is_some()).collect();
    for case in &valid {
        let expected = json::parse(case.json.as_deref().unwrap_or_default()).expect("the suite's JSON parses");
        match parse_yaml(&unmark(&case.yaml)) {
            Ok(v) if v == expected => passed += 1,
            Ok(v) => failures.push(format!("{}: got {v}, expected {expected}", case.id)),
            Err(e) => failures.push(format!("{}: refused: {e}", case.id)),
        }
    }
    eprintln!("{passed} of {} valid single-document cases\n{}", valid.len(), failures.join("\n"));
    assert!(passed * 100 >= valid.len() * 98, "{passed} of {}: below 98%", valid.len());
}

#[test]
fn invalid_cases_are_refused_with_a_position() {
    let invalid: Vec<Case> = cases().into_iter().filter(|c| c.fail).collect();
    let mut accepted = Vec::new();
    for case in &invalid {
        match parse_yaml(&unmark(&case.yaml)) {
            Ok(v) => accepted.push(format!("{}: {v}", case.id)),
            Err(e) => assert!(e.line.is_some() && e.column.is_some(), "{}: {e:?} has no position", case.id),
        }
    }
    eprintln!("{} of {} invalid cases accepted:\n{}", accepted.len(), invalid.len(), accepted.join("\n"));
    assert!(accepted.is_empty(), "{} invalid cases accepted", accepted.len());
}
