//! Runs the executions recorded against real AWS (tests/data/conformance, from LocalStack's
//! AWS-validated snapshots) and compares status, output, error, cause and the normalized
//! history. Prints pass counts per tier and category; fails when a tier's count drops below
//! its baseline (a ratchet: raise the numbers as the interpreter improves).
//!
//! `CONFORMANCE_FILTER=substring` runs only matching cases and prints each difference;
//! `CONFORMANCE_REPORT=path` writes the list of failing cases with their first difference.

mod common;

use aslplay::definition::validate::MachineType;
use aslplay::json;
use aslplay::{Definition, Execution, ExecutionIds, Options, Value};
use std::collections::BTreeMap;
use std::rc::Rc;

/// Cases passing per tier: the ratchet.
const BASELINE: &[(&str, usize)] = &[
    ("pure/JSONPath", 639),
    ("needs-mocks/JSONPath", 136),
    ("pure/JSONata", 83),
    ("needs-mocks/JSONata", 18),
    ("pure/mixed", 9),
    ("needs-mocks/mixed", 6),
];

const IGNORED: &str = "\u{0}ignored";

fn data_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/conformance/cases")
}

/// Replaces the leaves named by `ignore` pointers (relative to the case root) with a wildcard.
fn mask(case: &mut Value, pointer: &str) {
    common::replace_at(case, pointer, Value::from(IGNORED));
}

/// Whether an expected string, in which the recorder's masks (`date`, `<name:N>` tokens)
/// stand for any text, matches the actual string.
fn masked_match(expected: &str, actual: &str) -> bool {
    // Split the expected text into literal pieces around the masks.
    let mut pieces: Vec<&str> = Vec::new();
    let mut rest = expected;
    let mut masked = false;
    loop {
        // `date` and `<...>` tokens are the recorder's masks; `activity_arn` and `a_task_token` are
        // test-specific replacements of activity ARNs and task tokens.
        let next_date = ["date", "activity_arn", "a_task_token"].iter().filter_map(|t| rest.find(t)).min();
        let next_token = rest.find('<').filter(|&i| rest[i..].find('>').is_some());
        let cut = match (next_date, next_token) {
            (Some(d), Some(t)) => Some(d.min(t)),
            (d, t) => d.or(t),
        };
        match cut {
            None => {
                pieces.push(rest);
                break;
            }
            Some(i) => {
                pieces.push(&rest[..i]);
                masked = true;
                let len = ["date", "activity_arn", "a_task_token"]
                    .iter()
                    .find(|t| rest[i..].starts_with(*t))
                    .map_or_else(|| rest[i..].find('>').unwrap() + 1, |t| t.len());
                rest = &rest[i + len..];
            }
        }
    }
    if !masked {
        return expected == actual;
    }
    let (first, last) = (pieces[0], pieces[pieces.len() - 1]);
    if !actual.starts_with(first) || !actual[first.len()..].ends_with(last) {
        return false;
    }
    let mut pos = first.len();
    let end = actual.len() - last.len();
    for p in &pieces[1..pieces.len() - 1] {
        match actual[pos..end].find(p) {
            Some(i) => pos += i + p.len(),
            None => return false,
        }
    }
    pos <= end
}

/// Compares an expected value (with wildcards) to an actual one; returns the first difference.
fn diff(expected: &Value, actual: &Value, at: &str) -> Option<String> {
    if expected.as_str() == Some(IGNORED) {
        return None;
    }
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e.iter() {
                match a.get(k) {
                    Some(av) => {
                        if let Some(d) = diff(ev, av, &format!("{at}/{k}")) {
                            return Some(d);
                        }
                    }
                    None if ev.as_str() == Some(IGNORED) => {}
                    None => return Some(format!("{at}/{k}: missing (expected {})", short(ev))),
                }
            }
            a.keys().find(|k| !e.contains_key(k)).map(|k| format!("{at}/{k}: unexpected {}", short(a.get(k).unwrap())))
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Some(format!(
                    "{at}: expected {} items, got {}: {} vs {}",
                    e.len(),
                    a.len(),
                    short(expected),
                    short(actual)
                ));
            }
            e.iter().zip(a.iter()).enumerate().find_map(|(i, (ev, av))| diff(ev, av, &format!("{at}/{i}")))
        }
        // The recorder parsed JSON text that starts with `{` (causes, mostly).
        (Value::Object(_), Value::String(a)) if json::parse(a).is_ok() => diff(expected, &json::parse(a).unwrap(), at),
        (Value::String(e), Value::String(a)) if masked_match(e, a) => None,
        _ if expected == actual => None,
        _ => Some(format!("{at}: expected {} got {}", short(expected), short(actual))),
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 300 {
        format!("{}...", &s[..s.char_indices().nth(300).map_or(s.len(), |(i, _)| i)])
    } else {
        s
    }
}

/// The events as the corpus stores them: `{type, details}` with JSON text parsed.
fn normalized_events(exec: &Execution) -> Vec<Value> {
    exec.history()
        .iter()
        .map(|e| {
            let v = e.to_value();
            let mut out = aslplay::Map::new();
            out.insert("type", v.get("type").cloned().unwrap_or_default());
            if let Some(key) = e.event_type.details_key() {
                let mut d = aslplay::Map::new();
                if let Some(details) = v.get(key).and_then(Value::as_object) {
                    for (k, val) in details.iter() {
                        let val = match &**k {
                            "input" | "output" | "parameters" => parse_text(val),
                            "assignedVariables" => Value::from(
                                val.as_object()
                                    .map(|m| {
                                        m.iter().map(|(k, v)| (k.clone(), parse_text(v))).collect::<aslplay::Map>()
                                    })
                                    .unwrap_or_default(),
                            ),
                            "inputDetails" | "outputDetails" | "assignedVariablesDetails"
                                if val.get("truncated") == Some(&Value::Bool(false)) =>
                            {
                                continue
                            }
                            "roleArn" | "stateMachineAliasArn" | "stateMachineVersionArn"
                                if e.event_type == aslplay::EventType::ExecutionStarted =>
                            {
                                continue
                            }
                            _ => val.clone(),
                        };
                        d.insert(k.clone(), val);
                    }
                }
                out.insert("details", Value::from(d));
            }
            Value::from(out)
        })
        .collect()
}

fn parse_text(v: &Value) -> Value {
    v.as_str().and_then(|s| json::parse(s).ok()).unwrap_or_else(|| v.clone())
}

fn cause_text(v: &Value) -> Option<Rc<str>> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(Rc::from(other.to_string())),
    }
}

/// The recorded service results as a MockConfigFile (with this project's extensions for
/// submitted jobs and silent callbacks), so that the MockConfigFile path is what is tested.
fn mock_config(case: &Value, state_machine: &str) -> Value {
    let mut responses = aslplay::Map::new();
    let mut test_case = aslplay::Map::new();
    if let Some(mocks) = case.get("mocks").and_then(Value::as_object) {
        for (state, calls) in mocks.iter() {
            let mut entries = aslplay::Map::new();
            for (i, call) in calls.as_array().map(|a| a.to_vec()).unwrap_or_default().iter().enumerate() {
                let mut entry = aslplay::Map::new();
                match call.get("outcome").and_then(Value::as_str) {
                    Some("succeeded") => {
                        entry.insert("Return", call.get("output").cloned().unwrap_or_default());
                    }
                    Some(outcome @ ("failed" | "timed_out")) => {
                        let mut t = aslplay::Map::new();
                        let default_error = if outcome == "timed_out" { "States.Timeout" } else { "" };
                        t.insert(
                            "Error",
                            Value::from(call.get("error").and_then(Value::as_str).unwrap_or(default_error)),
                        );
                        match call.get("cause").and_then(cause_text) {
                            Some(c) => t.insert("Cause", Value::String(c)),
                            // A timeout's cause is empty (AWS shows `"Cause": ""` in the Error Output).
                            None if outcome == "timed_out" => t.insert("Cause", Value::from("")),
                            None => None,
                        };
                        entry.insert("Throw", Value::from(t));
                    }
                    _ => {
                        entry.insert("Silent", Value::Bool(true));
                    }
                }
                if let Some(out) = call.get("submitted_output") {
                    entry.insert("Submitted", out.clone());
                }
                entries.insert(i.to_string(), Value::from(entry));
            }
            let name = format!("{state}Responses");
            test_case.insert(state.clone(), Value::from(name.as_str()));
            responses.insert(name, Value::from(entries));
        }
    }
    let mut cases = aslplay::Map::new();
    cases.insert("Corpus", Value::from(test_case));
    let mut sm = aslplay::Map::new();
    sm.insert("TestCases", Value::from(cases));
    let mut sms = aslplay::Map::new();
    sms.insert(state_machine, Value::from(sm));
    let mut root = aslplay::Map::new();
    root.insert("StateMachines", Value::from(sms));
    root.insert("MockedResponses", Value::from(responses));
    Value::from(root)
}

/// The recorded results through the MockConfigFile path; calls the recording does not hold
/// (those made by distributed Map child executions) get the default responses, as in a
/// hybrid run.
fn services(case: &Value, options: &Options) -> Box<dyn aslplay::services::ServiceLayer> {
    let state_machine = options.ids.state_machine_name.as_str();
    let config =
        aslplay::services::MockConfig::from_value(mock_config(case, state_machine)).expect("mock configuration");
    let fallback = Box::new(aslplay::engine::default_services(options));
    Box::new(config.test_case(Some(state_machine), "Corpus", fallback).expect("test case"))
}

fn ids(case: &Value) -> ExecutionIds {
    let c = case.get("context").cloned().unwrap_or_default();
    let get = |k: &str, d: &str| c.get(k).and_then(Value::as_str).unwrap_or(d).to_string();
    ExecutionIds {
        account_id: get("accountId", "111111111111"),
        region: get("region", "us-east-1"),
        partition: get("partition", "aws"),
        state_machine_name: get("stateMachineName", "StateMachine"),
        execution_name: get("executionName", "execution"),
        role_arn: get("roleArn", ""),
        execution_arn: c.get("executionArn").and_then(Value::as_str).map(str::to_string),
    }
}

/// Runs one case; `Err` holds the first difference.
fn run_case(case: &Value) -> Result<(), String> {
    let def_value = case.get("definition").cloned().ok_or("no definition")?;
    // The corpus replaced activity ARNs by the word `activity_arn`: put a well-formed ARN back.
    let text = def_value.to_string().replace(
        "\"Resource\":\"activity_arn\"",
        "\"Resource\":\"arn:aws:states:us-east-1:111111111111:activity:activity_arn\"",
    );
    let def = Definition::from_text(&text).map_err(|v| format!("definition rejected: {}", v.to_value()))?;
    // The recorded inputs were computed near this time (Wait timestamps, for instance).
    let start_time = aslplay::time::parse_rfc3339("2026-11-24T02:00:00Z").unwrap();
    let express = case.get("tags").and_then(|t| t.get("state_machine_type")).and_then(Value::as_str) == Some("EXPRESS");
    let machine_type = if express { MachineType::Express } else { MachineType::Standard };
    let synchronous =
        case.get("tags").and_then(|t| t.get("api")).and_then(Value::as_str) == Some("start_sync_execution");
    let options =
        Options { ids: ids(case), max_events: 25_000, start_time, machine_type, synchronous, ..Options::default() };
    let input = case.get("input").cloned().unwrap_or_else(Value::object);
    let services = services(case, &options);
    let start = options.start_time;
    let mut exec = Execution::start_with_services(Rc::new(def), input, options, services);
    // The S3 objects the recorded test put in place (ItemReader data).
    let mut store = aslplay::distributed::ObjectStore::new(start);
    for call in case.get("service_setup_calls").and_then(Value::as_array).map(|a| a.to_vec()).unwrap_or_default() {
        let kwargs = call.get("kwargs").cloned().unwrap_or_default();
        let field = |k: &str| kwargs.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        match (call.get("service").and_then(Value::as_str), call.get("op").and_then(Value::as_str)) {
            (Some("s3"), Some("put_object")) => store.put(&field("Bucket"), &field("Key"), field("Body")),
            (Some("s3"), Some("create_bucket")) => store.create_bucket(&field("Bucket")),
            _ => {}
        }
    }
    exec.set_object_store(store);
    exec.run();
    let expected = case.get("expected").cloned().unwrap_or_default();
    let status = expected.get("status").and_then(Value::as_str).unwrap_or("");
    if exec.status().as_str() != status {
        return Err(format!(
            "status: expected {status} got {} (error {:?}, cause {:?})",
            exec.status().as_str(),
            exec.error(),
            exec.cause().map(|c| c.chars().take(300).collect::<String>())
        ));
    }
    if let Some(out) = expected.get("output") {
        let actual = exec.output().cloned().unwrap_or_default();
        if let Some(d) = diff(out, &actual, "/output") {
            return Err(d);
        }
    }
    for (key, actual) in [("error", exec.error()), ("cause", exec.cause())] {
        if let Some(e) = expected.get(key) {
            let actual = match (e, actual) {
                (Value::Object(_), Some(a)) => json::parse(a).unwrap_or_else(|_| Value::from(a)),
                (_, a) => a.map_or(Value::Null, Value::from),
            };
            if let Some(d) = diff(e, &actual, &format!("/{key}")) {
                return Err(d);
            }
        }
    }
    if let Some(events) = expected.get("events").and_then(Value::as_array) {
        let actual = normalized_events(&exec);
        let sorted = case
            .get("tags")
            .and_then(|t| t.get("snapshot_flags"))
            .and_then(Value::as_array)
            .is_some_and(|f| f.iter().any(|x| x.as_str() == Some("parallel_events_sorted")));
        if sorted {
            if events.len() != actual.len() {
                return Err(format!("events: expected {} got {}", events.len(), actual.len()));
            }
            let mut unmatched: Vec<&Value> = actual.iter().collect();
            for e in events.iter() {
                match unmatched.iter().position(|a| diff(e, a, "").is_none()) {
                    Some(i) => {
                        unmatched.remove(i);
                    }
                    None => return Err(format!("events: no match for {}", short(e))),
                }
            }
        } else {
            for (i, e) in events.iter().enumerate() {
                match actual.get(i) {
                    Some(a) => {
                        if let Some(d) = diff(e, a, &format!("/events/{i}")) {
                            return Err(d);
                        }
                    }
                    None => return Err(format!("/events/{i}: missing (expected {})", short(e))),
                }
            }
            if actual.len() > events.len() {
                return Err(format!("/events/{}: unexpected {}", events.len(), short(&actual[events.len()])));
            }
        }
    }
    Ok(())
}

/// Prepares a case: masks the `ignore` pointers and the `_unparsed` placeholders.
fn load_case(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    let mut case = json::parse(&text).unwrap();
    let ignore: Vec<String> = case
        .get("ignore")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|p| p.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    for p in ignore {
        if let Some(rest) = p.strip_prefix("/expected") {
            let mut expected = case.get("expected").cloned().unwrap_or_default();
            mask(&mut expected, rest);
            if let Value::Object(m) = &mut case {
                Rc::make_mut(m).insert("expected", expected);
            }
        }
    }
    // `_unparsed: [field]` marks fields the recorder replaced by a placeholder.
    let mut expected = case.get("expected").cloned().unwrap_or_default();
    if let Some(Value::Array(events)) = expected.get("events").cloned() {
        let events: Vec<Value> = events
            .iter()
            .map(|e| {
                let mut e = e.clone();
                if let Some(fields) =
                    e.get("details").and_then(|d| d.get("_unparsed")).and_then(Value::as_array).cloned()
                {
                    let mut details = (**e.get("details").unwrap().as_object().unwrap()).clone();
                    details.remove("_unparsed");
                    for f in fields.iter().filter_map(Value::as_str) {
                        details.insert(f, Value::from(IGNORED));
                    }
                    if let Value::Object(m) = &mut e {
                        Rc::make_mut(m).insert("details", Value::from(details));
                    }
                }
                e
            })
            .collect();
        if let Value::Object(m) = &mut expected {
            Rc::make_mut(m).insert("events", Value::from(events));
        }
        if let Value::Object(m) = &mut case {
            Rc::make_mut(m).insert("expected", expected);
        }
    }
    case
}

#[test]
fn recorded_executions() {
    let dir = data_dir();
    let index = json::parse(&std::fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
    let filter = std::env::var("CONFORMANCE_FILTER").ok();
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut by_category: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for entry in index.as_array().unwrap().iter() {
        let get = |k: &str| entry.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let (tier, api, name) = (get("tier"), get("api"), get("name"));
        if tier == "validation" || api == "test_state" {
            continue;
        }
        if let Some(f) = &filter {
            if !name.contains(f.as_str()) {
                continue;
            }
        }
        let case = load_case(&dir.join(get("path")));
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_case(&case))).unwrap_or_else(|p| {
            Err(format!(
                "PANIC: {}",
                p.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default()
            ))
        });
        let key = format!("{tier}/{}", get("query_language"));
        let c = counts.entry(key).or_default();
        let cat = by_category.entry(format!("{tier}/{}", get("category"))).or_default();
        c.1 += 1;
        cat.1 += 1;
        match outcome {
            Ok(()) => {
                c.0 += 1;
                cat.0 += 1;
            }
            Err(d) => {
                if filter.is_some() {
                    println!("FAIL {name}: {d}");
                }
                failures.push(format!("{name} [{tier}/{}]: {d}", get("query_language")));
            }
        }
    }
    println!("conformance by category:");
    for (k, (p, t)) in &by_category {
        println!("  {k:40} {p:4}/{t:4}");
    }
    println!("conformance by tier:");
    for (k, (p, t)) in &counts {
        println!("  {k:40} {p:4}/{t:4} ({:.1}%)", 100.0 * *p as f64 / (*t).max(1) as f64);
    }
    if let Ok(path) = std::env::var("CONFORMANCE_REPORT") {
        std::fs::write(path, failures.join("\n")).unwrap();
    }
    if filter.is_none() {
        for (tier, baseline) in BASELINE {
            let passed = counts.get(*tier).map_or(0, |c| c.0);
            assert!(passed >= *baseline, "{tier}: {passed} cases pass, below the baseline of {baseline}");
        }
    }
}

/// Parses the members of a TestState answer (or of its inspectionData) that are JSON text;
/// the recorder parsed some of them already.
fn parse_leaves(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::from(
            m.iter()
                .map(|(k, v)| {
                    let v = match (&**k, v) {
                        ("inspectionData", inner) => parse_leaves(inner),
                        (_, Value::String(s)) => json::parse(s).unwrap_or_else(|_| v.clone()),
                        (_, other) => other.clone(),
                    };
                    (k.clone(), v)
                })
                .collect::<aslplay::Map>(),
        ),
        other => other.clone(),
    }
}

fn run_test_state_case(case: &Value) -> Result<(), String> {
    use aslplay::test_state::{test_state, InspectionLevel, TestStateRequest};
    let args = case.get("test_state_args").cloned().unwrap_or_default();
    let expected = case.get("expected").cloned().unwrap_or_default();
    let mut mock = args.get("mock").cloned();
    let is_task = case.get("definition").and_then(|d| d.get("Type")).and_then(Value::as_str) == Some("Task");
    if mock.is_none() && is_task {
        // The real-service cases recorded the service's result in the inspection data.
        if let Some(r) = expected.get("inspectionData").and_then(|i| i.get("result")) {
            let mut m = aslplay::Map::new();
            m.insert("result", Value::from(r.to_string()));
            mock = Some(Value::from(m));
        }
    }
    let req = TestStateRequest {
        definition: case.get("definition").cloned().unwrap_or_default(),
        state_name: args.get("stateName").and_then(Value::as_str).map(str::to_string),
        input: case.get("input").cloned().unwrap_or_else(Value::object),
        inspection_level: args
            .get("inspectionLevel")
            .and_then(Value::as_str)
            .and_then(InspectionLevel::parse)
            .unwrap_or_default(),
        mock,
        variables: args.get("variables").map(|v| match v {
            Value::String(s) => json::parse(s).unwrap_or_default(),
            other => other.clone(),
        }),
        state_configuration: args.get("stateConfiguration").cloned(),
        context: args.get("context").map(|v| match v {
            Value::String(s) => json::parse(s).unwrap_or_default(),
            other => other.clone(),
        }),
        options: Options { ids: ids(case), ..Options::default() },
    };
    let response = test_state(&req).map_err(|e| format!("{}: {}", e.error_type, e.message))?;
    let actual = parse_leaves(&response);
    let mut want = aslplay::Map::new();
    for key in ["status", "output", "error", "cause", "nextState", "inspectionData"] {
        if let Some(v) = expected.get(key) {
            want.insert(key, v.clone());
        }
    }
    let want = parse_leaves(&Value::from(want));
    match diff(&want, &actual, "") {
        Some(d) => Err(d),
        None => Ok(()),
    }
}

/// Cases passing in the TestState tier: the ratchet.
const TEST_STATE_BASELINE: usize = 110;

#[test]
fn recorded_test_state_calls() {
    let dir = data_dir();
    let index = json::parse(&std::fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
    let filter = std::env::var("CONFORMANCE_FILTER").ok();
    let (mut passed, mut total) = (0, 0);
    let mut failures = Vec::new();
    for entry in index.as_array().unwrap().iter() {
        let get = |k: &str| entry.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        if get("tier") == "validation" || get("api") != "test_state" {
            continue;
        }
        let name = get("name");
        if filter.as_ref().is_some_and(|f| !name.contains(f.as_str())) {
            continue;
        }
        let case = load_case(&dir.join(get("path")));
        total += 1;
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_test_state_case(&case)))
            .unwrap_or_else(|_| Err("PANIC".into()));
        match outcome {
            Ok(()) => passed += 1,
            Err(d) => {
                if filter.is_some() {
                    println!("FAIL {name}: {d}");
                }
                failures.push(format!("{name}: {d}"));
            }
        }
    }
    println!("test_state: {passed}/{total}");
    if let Ok(path) = std::env::var("CONFORMANCE_REPORT_TEST_STATE") {
        std::fs::write(path, failures.join("\n")).unwrap();
    }
    if filter.is_none() {
        assert!(
            passed >= TEST_STATE_BASELINE,
            "test_state: {passed} cases pass, below the baseline of {TEST_STATE_BASELINE}"
        );
    }
}

/// TestState requests AWS refused (the validation tier's `test_state` cases): the same
/// exception and message.
#[test]
fn recorded_test_state_refusals() {
    use aslplay::test_state::{test_state, InspectionLevel, TestStateRequest};
    let dir = data_dir();
    let index = json::parse(&std::fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
    let (mut passed, mut total) = (0, 0);
    for entry in index.as_array().unwrap().iter() {
        let get = |k: &str| entry.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        if get("tier") != "validation" || get("api") != "test_state" {
            continue;
        }
        let case = load_case(&dir.join(get("path")));
        let call = case.get("api_call").cloned().unwrap_or_default();
        let args = call.get("other_args").cloned().unwrap_or_default();
        let text = |v: Option<&Value>| match v {
            Some(Value::String(s)) => json::parse(s).unwrap_or_default(),
            Some(other) => other.clone(),
            None => Value::Null,
        };
        let req = TestStateRequest {
            definition: call.get("definition").and_then(|d| d.get("json")).cloned().unwrap_or_default(),
            state_name: args.get("stateName").and_then(Value::as_str).map(str::to_string),
            input: call.get("input").and_then(|i| i.get("json")).cloned().unwrap_or(Value::Null),
            inspection_level: args
                .get("inspectionLevel")
                .and_then(Value::as_str)
                .and_then(InspectionLevel::parse)
                .unwrap_or_default(),
            mock: args.get("mock").cloned(),
            variables: args.get("variables").map(|v| text(Some(v))),
            state_configuration: args.get("stateConfiguration").cloned(),
            context: args.get("context").map(|v| text(Some(v))),
            options: Options::default(),
        };
        let expected = case.get("expected").cloned().unwrap_or_default();
        let want_type = expected.get("error_type").and_then(Value::as_str).unwrap_or("");
        let want = expected.get("message").and_then(Value::as_str).unwrap_or("");
        let want = match want.split_once(" when calling the TestState operation: ") {
            Some((_, rest)) => rest,
            None => want,
        };
        total += 1;
        match test_state(&req) {
            Err(e) if e.error_type == want_type && e.message == want => passed += 1,
            other => println!(
                "REFUSAL {}: expected {want_type}: {want}\n    got {:?}",
                get("name"),
                other.map(|v| v.to_string())
            ),
        }
    }
    println!("test_state refusals: {passed}/{total}");
    assert!(passed >= TEST_STATE_REFUSALS_BASELINE, "{passed} below {TEST_STATE_REFUSALS_BASELINE}");
}

/// Refused TestState requests answered as AWS did: the ratchet.
const TEST_STATE_REFUSALS_BASELINE: usize = 44;
