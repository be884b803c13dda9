//! Runs the executions recorded against real AWS (tests/data/conformance, from LocalStack's
//! AWS-validated snapshots) and compares status, output, error, cause and the normalized
//! history. Prints pass counts per tier and category; fails when a tier's count drops below
//! its baseline (a ratchet: raise the numbers as the interpreter improves).
//!
//! `CONFORMANCE_FILTER=substring` runs only matching cases and prints each difference;
//! `CONFORMANCE_REPORT=path` writes the list of failing cases with their first difference.

use aslplay::definition::validate::MachineType;
use aslplay::json;
use aslplay::services::{ListedResponses, TaskResponse};
use aslplay::{Definition, Execution, ExecutionIds, Options, Value};
use std::collections::BTreeMap;
use std::rc::Rc;

/// Cases passing per tier: the ratchet.
const BASELINE: &[(&str, usize)] = &[
    ("pure/JSONPath", 639),
    ("needs-mocks/JSONPath", 110),
    ("pure/JSONata", 58),
    ("needs-mocks/JSONata", 16),
    ("pure/mixed", 9),
    ("needs-mocks/mixed", 6),
];

const IGNORED: &str = "\u{0}ignored";

fn data_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/conformance/cases")
}

/// Replaces the leaves named by `ignore` pointers (relative to the case root) with a wildcard.
fn mask(case: &mut Value, pointer: &str) {
    let tokens: Vec<String> = pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
    fn go(v: &mut Value, tokens: &[String]) {
        let Some((first, rest)) = tokens.split_first() else {
            *v = Value::from(IGNORED);
            return;
        };
        match v {
            Value::Object(m) => {
                if let Some(child) = Rc::make_mut(m).get_mut(first) {
                    go(child, rest);
                }
            }
            Value::Array(a) => {
                if let Some(child) = first.parse::<usize>().ok().and_then(|i| Rc::make_mut(a).get_mut(i)) {
                    go(child, rest);
                }
            }
            _ => {}
        }
    }
    go(case, &tokens);
}

/// Whether an expected string, in which the recorder's masks (`date`, `<name:N>` tokens)
/// stand for any text, matches the actual string.
fn masked_match(expected: &str, actual: &str) -> bool {
    // Split the expected text into literal pieces around the masks.
    let mut pieces: Vec<&str> = Vec::new();
    let mut rest = expected;
    let mut masked = false;
    loop {
        let next_date = rest.find("date");
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
                let len = if rest[i..].starts_with("date") { 4 } else { rest[i..].find('>').unwrap() + 1 };
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
                return Some(format!("{at}: expected {} items, got {}: {} vs {}", e.len(), a.len(), short(expected), short(actual)));
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
                                    .map(|m| m.iter().map(|(k, v)| (k.clone(), parse_text(v))).collect::<aslplay::Map>())
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

fn services(case: &Value) -> ListedResponses {
    let mut s = ListedResponses::new();
    if let Some(mocks) = case.get("mocks").and_then(Value::as_object) {
        for (state, calls) in mocks.iter() {
            for call in calls.as_array().map(|a| a.to_vec()).unwrap_or_default() {
                let response = match call.get("outcome").and_then(Value::as_str) {
                    Some("succeeded") => TaskResponse::Succeeded { output: call.get("output").cloned().unwrap_or_default(), latency_ms: 0 },
                    Some("failed") | Some("timed_out") => TaskResponse::Failed {
                        error: Rc::from(call.get("error").and_then(Value::as_str).unwrap_or("")),
                        cause: call.get("cause").and_then(cause_text),
                        latency_ms: 0,
                    },
                    _ => TaskResponse::NoResponse,
                };
                let response = match call.get("submitted_output") {
                    Some(out) => TaskResponse::Submitted { output: out.clone(), then: Box::new(response) },
                    None => response,
                };
                s.push(state, response);
            }
        }
    }
    s
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
    let text = def_value.to_string();
    let def = Definition::from_text(&text).map_err(|v| format!("definition rejected: {}", v.to_value()))?;
    // The recorded inputs were computed near this time (Wait timestamps, for instance).
    let start_time = aslplay::time::parse_rfc3339("2026-11-24T02:00:00Z").unwrap();
    let express = case.get("tags").and_then(|t| t.get("state_machine_type")).and_then(Value::as_str) == Some("EXPRESS");
    let machine_type = if express { MachineType::Express } else { MachineType::Standard };
    let synchronous = case.get("tags").and_then(|t| t.get("api")).and_then(Value::as_str) == Some("start_sync_execution");
    let options = Options { ids: ids(case), max_events: 25_000, start_time, machine_type, synchronous, ..Options::default() };
    let input = case.get("input").cloned().unwrap_or_else(Value::object);
    let mut exec = Execution::start_with_services(Rc::new(def), input, options, Box::new(services(case)));
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
                if let Some(fields) = e.get("details").and_then(|d| d.get("_unparsed")).and_then(Value::as_array).cloned() {
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
        let outcome = std::panic::catch_unwind(|| run_case(&case)).unwrap_or_else(|p| {
            Err(format!("PANIC: {}", p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default()))
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
