//! The real-world corpus (`tests/data/real-world/`, sources and licences in its README): every
//! definition must validate without an error and run to its expected end with the default
//! responses, plus the few mocked answers a file gives where a default cannot carry the data
//! the definition reads. A definition AWS accepts that the validator refuses, or one the engine
//! cannot run, fails here.
//!
//! A corpus file is `{"source", "input", "mocks"?, "s3"?, "expect", "definition"}`: `mocks`
//! maps a Task state's name to the results of its successive calls (a result, or
//! `{"Throw": {"Error", "Cause"}}`), `s3` lists objects of the mocked S3 (`{"Bucket", "Key",
//! "Content"}`), `expect` holds the run's `status` (and `error` when it fails), states it must
//! enter (`visits`), and the validator's `warnings` (their codes, sorted).

use aslplay::definition::validate::validate_text;
use aslplay::services::MockConfig;
use aslplay::{json, Definition, Execution, Map, Options, Status, Value};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// The corpus must stay at least this large.
const MINIMUM_CORPUS: usize = 30;

fn corpus() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/real-world");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, json::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        })
        .collect()
}

fn obj(entries: Vec<(&str, Value)>) -> Value {
    let mut m = Map::new();
    for (k, v) in entries {
        m.insert(k, v);
    }
    Value::from(m)
}

/// A MockConfigFile (state machine and test case both named `Corpus`) answering each state
/// in `mocks` with its listed results in order, and holding the `s3` objects.
fn mock_config(case: &Value) -> Option<MockConfig> {
    let (mocks, s3) = (case.get("mocks"), case.get("s3"));
    if mocks.is_none() && s3.is_none() {
        return None;
    }
    let mut test_case = Map::new();
    let mut responses = Map::new();
    for (state, results) in mocks.and_then(Value::as_object).map(|m| m.iter().collect::<Vec<_>>()).unwrap_or_default() {
        let name = format!("{state} results");
        let mut by_call = Map::new();
        for (i, result) in results.as_array().expect("a list of results").iter().enumerate() {
            let entry = match result.get("Throw") {
                Some(_) => result.clone(),
                None => obj(vec![("Return", result.clone())]),
            };
            by_call.insert(i.to_string(), entry);
        }
        test_case.insert(state.clone(), Value::from(name.as_str()));
        responses.insert(name, Value::from(by_call));
    }
    let file = obj(vec![
        (
            "StateMachines",
            obj(vec![("Corpus", obj(vec![("TestCases", obj(vec![("Corpus", Value::from(test_case))]))]))]),
        ),
        ("MockedResponses", Value::from(responses)),
        ("S3Objects", s3.cloned().unwrap_or_else(|| Value::from(Vec::<Value>::new()))),
    ]);
    Some(MockConfig::from_value(file).unwrap_or_else(|e| panic!("{e:?}")))
}

fn status_name(status: Status) -> String {
    format!("{status:?}").to_uppercase()
}

#[test]
fn every_definition_validates_and_runs() {
    let cases = corpus();
    assert!(cases.len() >= MINIMUM_CORPUS, "the corpus has {} definitions, fewer than {MINIMUM_CORPUS}", cases.len());
    let mut problems = Vec::new();
    for (name, case) in &cases {
        let definition = case.get("definition").unwrap_or_else(|| panic!("{name}: no definition"));
        let expect = case.get("expect").unwrap_or_else(|| panic!("{name}: no expect"));
        let validation = validate_text(&json::to_string(definition));
        if !validation.is_ok() {
            problems.push(format!("{name}: refused: {}", validation.to_value()));
            continue;
        }
        let mut warnings: Vec<&str> = validation.diagnostics.iter().map(|d| d.code).collect();
        warnings.sort_unstable();
        warnings.dedup();
        let expected_warnings: Vec<&str> = expect
            .get("warnings")
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if warnings != expected_warnings {
            problems.push(format!("{name}: warnings {warnings:?}, expected {expected_warnings:?}"));
        }
        let def = Rc::new(Definition::from_value(definition.clone()).unwrap_or_else(|d| panic!("{name}: {d:?}")));
        let input = case.get("input").cloned().unwrap_or_else(Value::object);
        let mut execution = match mock_config(case) {
            Some(config) => Execution::start_mocked(def, input, Options::default(), &config, None, "Corpus")
                .unwrap_or_else(|e| panic!("{name}: {e:?}")),
            None => Execution::start(def, input, Options::default()),
        };
        execution.run();
        let got = (status_name(execution.status()), execution.error().map(|e| e.to_string()));
        let want = (
            expect.get("status").and_then(Value::as_str).unwrap_or("").to_string(),
            expect.get("error").and_then(Value::as_str).map(str::to_string),
        );
        let entered: Vec<String> = execution
            .history()
            .iter()
            .filter_map(|e| e.to_value().get("stateEnteredEventDetails")?.get("name")?.as_str().map(str::to_string))
            .collect();
        for state in expect.get("visits").and_then(Value::as_array).map(|v| v.to_vec()).unwrap_or_default() {
            let state = state.as_str().unwrap_or_default();
            if !entered.iter().any(|e| e == state) {
                problems.push(format!("{name}: never entered {state:?}"));
            }
        }
        if got != want {
            problems.push(format!(
                "{name}: ran to {got:?}, expected {want:?} (cause: {:?})",
                execution.cause().map(|c| c.chars().take(300).collect::<String>())
            ));
        }
    }
    assert!(problems.is_empty(), "{} of {} corpus definitions:\n{}", problems.len(), cases.len(), problems.join("\n"));
}

#[test]
fn every_definition_names_its_source_and_licence() {
    for (name, case) in corpus() {
        let source = case.get("source").unwrap_or_else(|| panic!("{name}: no source"));
        for field in ["repository", "license", "changes"] {
            assert!(source.get(field).and_then(Value::as_str).is_some_and(|s| !s.is_empty()), "{name}: source.{field}");
        }
        if source.get("repository").and_then(Value::as_str) != Some("aslplay") {
            assert!(
                source.get("path").is_some() && source.get("commit").is_some(),
                "{name}: path and commit of the source"
            );
        }
    }
}
