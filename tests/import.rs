//! Measures the history importer on executions recorded against real AWS: for every
//! `needs-mocks` case of the conformance corpus that has its history, rebuild the history in
//! AWS's raw shape (ids in order, JSON text for data fields; the corpus dropped
//! `previousEventId`, so attribution is by position and definition), import it as a
//! MockConfigFile, run the case's definition with it, and check that the status, the output
//! and the sequence of event types are the recorded ones. Prints the count and the cases
//! that do not reproduce, with the first difference; fails when the count drops below the
//! baseline (a ratchet).
//!
//! It also re-imports each reproduced run's own history (with `previousEventId`, so the
//! chain-following path is used) and checks that it gives back the same mock file.
//!
//! `IMPORT_FILTER=substring` runs only matching cases.

mod common;

use aslplay::definition::validate::MachineType;
use aslplay::import::{import_history, HistoryImport};
use aslplay::services::{ListedResponses, MockConfig};
use aslplay::{json, Definition, Execution, ExecutionIds, Map, Options, Value};
use std::rc::Rc;

/// Cases that reproduce: the ratchet.
const BASELINE: usize = 164;

const STATE_MACHINE: &str = "Imported";
const TEST_CASE: &str = "Replay";

fn cases_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/conformance/cases")
}

/// The `...EventDetails` member name of an event type.
fn details_key(kind: &str) -> String {
    if kind.ends_with("StateEntered") {
        "stateEnteredEventDetails".into()
    } else if kind.ends_with("StateExited") {
        "stateExitedEventDetails".into()
    } else {
        let mut chars = kind.chars();
        let first = chars.next().map(|c| c.to_ascii_lowercase()).unwrap_or_default();
        format!("{first}{}EventDetails", chars.as_str())
    }
}

/// The corpus's normalized events in AWS's raw shape.
fn raw_history(events: &[Value]) -> Value {
    let text = |v: &Value| Value::from(json::to_string(v));
    let list: Vec<Value> = events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let kind = e.get("type").and_then(Value::as_str).unwrap_or_default();
            let mut m = Map::new();
            m.insert("id", Value::from(i as i64 + 1));
            m.insert("type", Value::from(kind));
            if let Some(details) = e.get("details").and_then(Value::as_object) {
                let mut d = Map::new();
                for (k, v) in details.iter() {
                    let v = match (&**k, v) {
                        ("_unparsed", _) => continue,
                        ("input" | "output" | "parameters", v) => text(v),
                        ("cause", v @ (Value::Object(_) | Value::Array(_))) => text(v),
                        ("assignedVariables", Value::Object(vars)) => {
                            Value::from(vars.iter().map(|(k, v)| (k.clone(), text(v))).collect::<Map>())
                        }
                        (_, v) => v.clone(),
                    };
                    d.insert(k.clone(), v);
                }
                m.insert(details_key(kind), Value::from(d));
            }
            Value::from(m)
        })
        .collect();
    let mut root = Map::new();
    root.insert("events", Value::from(list));
    Value::from(root)
}

fn options(case: &Value) -> Options {
    let c = case.get("context").cloned().unwrap_or_default();
    let get = |k: &str, d: &str| c.get(k).and_then(Value::as_str).unwrap_or(d).to_string();
    let tags = case.get("tags").cloned().unwrap_or_default();
    let tag = |k: &str| tags.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    Options {
        ids: ExecutionIds {
            account_id: get("accountId", "111111111111"),
            region: get("region", "us-east-1"),
            partition: get("partition", "aws"),
            state_machine_name: get("stateMachineName", STATE_MACHINE),
            execution_name: get("executionName", "execution"),
            role_arn: get("roleArn", ""),
            execution_arn: c.get("executionArn").and_then(Value::as_str).map(str::to_string),
        },
        start_time: aslplay::time::parse_rfc3339("2026-11-24T02:00:00Z").unwrap_or_default(),
        machine_type: if tag("state_machine_type") == "EXPRESS" { MachineType::Express } else { MachineType::Standard },
        synchronous: tag("api") == "start_sync_execution",
        ..Options::default()
    }
}

/// Runs the case's definition with a mock file.
fn run(case: &Value, config: &Value) -> Result<Execution, String> {
    // The corpus replaced activity ARNs by the word `activity_arn`: put a well-formed ARN back.
    let text = case.get("definition").map(json::to_string).unwrap_or_default().replace(
        "\"Resource\":\"activity_arn\"",
        "\"Resource\":\"arn:aws:states:us-east-1:111111111111:activity:activity_arn\"",
    );
    let definition = Definition::from_text(&text).map_err(|v| format!("definition rejected: {}", v.to_value()))?;
    let mock = MockConfig::from_value(config.clone()).map_err(|e| format!("mock file rejected: {e}"))?;
    let services = mock
        .test_case(Some(STATE_MACHINE), TEST_CASE, Box::new(ListedResponses::new()))
        .map_err(|e| format!("test case: {e}"))?;
    let options = options(case);
    let start = options.start_time;
    let input = case.get("input").cloned().unwrap_or_else(Value::object);
    let mut exec = Execution::start_with_services(Rc::new(definition), input, options, Box::new(services));
    // The S3 objects the recorded test put in place (distributed Map item readers).
    let mut store = aslplay::distributed::ObjectStore::new(start);
    for call in case.get("service_setup_calls").and_then(Value::as_array).map(|a| a.to_vec()).unwrap_or_default() {
        let kwargs = call.get("kwargs").cloned().unwrap_or_default();
        let field = |k: &str| kwargs.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        match call.get("op").and_then(Value::as_str) {
            Some("put_object") => store.put(&field("Bucket"), &field("Key"), field("Body")),
            Some("create_bucket") => store.create_bucket(&field("Bucket")),
            _ => {}
        }
    }
    exec.set_object_store(store);
    exec.run();
    Ok(exec)
}

/// Replaces the values at the case's `ignore` pointers under `/expected/output` by null,
/// in both the expected and the actual output, so that masked leaves compare equal.
fn masked_outputs(case: &Value, expected: &Value, actual: &Value) -> (Value, Value) {
    let (mut e, mut a) = (expected.clone(), actual.clone());
    for pointer in case.get("ignore").and_then(Value::as_array).map(|a| a.to_vec()).unwrap_or_default() {
        let Some(rest) = pointer.as_str().and_then(|p| p.strip_prefix("/expected/output")) else { continue };
        common::replace_at(&mut e, rest, Value::Null);
        common::replace_at(&mut a, rest, Value::Null);
    }
    (e, a)
}

fn event_types(events: impl Iterator<Item = String>, sorted: bool) -> Vec<String> {
    let mut v: Vec<String> = events.collect();
    if sorted {
        v.sort();
    }
    v
}

/// Imports, runs and compares one case; `Err` says why it does not reproduce.
fn reproduce(case: &Value) -> Result<(), String> {
    let expected = case.get("expected").cloned().unwrap_or_default();
    let events = expected.get("events").and_then(Value::as_array).cloned().unwrap_or_default();
    let HistoryImport { mock_config, notes, .. } =
        import_history(&raw_history(&events), case.get("definition"), STATE_MACHINE, TEST_CASE)
            .map_err(|e| format!("import: {e}"))?;
    let exec = run(case, &mock_config)?;
    let note = if notes.is_empty() { String::new() } else { format!(" [notes: {}]", notes.join("; ")) };
    let status = expected.get("status").and_then(Value::as_str).unwrap_or_default();
    if exec.status().as_str() != status {
        return Err(format!(
            "status {} instead of {status} ({:?}: {:?}){note}",
            exec.status().as_str(),
            exec.error(),
            exec.cause()
        ));
    }
    if let Some(want) = expected.get("output") {
        let (want, got) = masked_outputs(case, want, exec.output().unwrap_or(&Value::Null));
        if want != got {
            return Err(format!("output {} instead of {}{note}", short(&got), short(&want)));
        }
    }
    if let Some(want) = expected.get("error").and_then(Value::as_str) {
        if exec.error() != Some(want) {
            return Err(format!("error {:?} instead of {want:?}{note}", exec.error()));
        }
    }
    let sorted = case
        .get("tags")
        .and_then(|t| t.get("snapshot_flags"))
        .is_some_and(|f| f.to_string().contains("parallel_events_sorted"));
    let want = event_types(
        events.iter().map(|e| e.get("type").and_then(Value::as_str).unwrap_or_default().to_string()),
        sorted,
    );
    let got = event_types(exec.history().iter().map(|e| e.event_type.name().into_owned()), sorted);
    if want != got {
        let at = want.iter().zip(&got).position(|(w, g)| w != g).unwrap_or(want.len().min(got.len()));
        return Err(format!(
            "event {at}: {} instead of {} ({} events instead of {}){note}",
            got.get(at).map_or("nothing", String::as_str),
            want.get(at).map_or("nothing", String::as_str),
            got.len(),
            want.len()
        ));
    }
    // The run's own history, with previousEventId, imports to the same mock file.
    let own = Value::from(Map::from_iter([(
        Rc::from("events"),
        Value::from(exec.history().iter().map(|e| e.to_value()).collect::<Vec<_>>()),
    )]));
    let again = import_history(&own, None, STATE_MACHINE, TEST_CASE).map_err(|e| format!("re-import: {e}"))?;
    if again.mock_config != mock_config {
        return Err(format!(
            "re-importing the run's own history gives another mock file: {} instead of {}",
            short(&again.mock_config),
            short(&mock_config)
        ));
    }
    Ok(())
}

fn short(v: &Value) -> String {
    let s = json::to_string(v);
    match s.char_indices().nth(240) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s,
    }
}

#[test]
fn recorded_histories_replay() {
    let dir = cases_dir();
    let index = json::parse(&std::fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
    let filter = std::env::var("IMPORT_FILTER").ok();
    let (mut reproduced, mut total) = (0, 0);
    let mut failures = Vec::new();
    for entry in index.as_array().unwrap().iter() {
        let get = |k: &str| entry.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        if get("tier") != "needs-mocks"
            || get("api") == "test_state"
            || entry.get("has_events") != Some(&Value::Bool(true))
        {
            continue;
        }
        let name = get("name");
        if filter.as_ref().is_some_and(|f| !name.contains(f.as_str())) {
            continue;
        }
        let case = json::parse(&std::fs::read_to_string(dir.join(get("path"))).unwrap()).unwrap();
        if case.get("expected").and_then(|e| e.get("events")).is_none() {
            continue;
        }
        total += 1;
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| reproduce(&case)))
            .unwrap_or_else(|_| Err("PANIC".into()));
        match outcome {
            Ok(()) => reproduced += 1,
            Err(why) => failures.push(format!("{name}: {why}")),
        }
    }
    println!("history import: {reproduced}/{total} recorded executions reproduce (status, output, event types)");
    for f in &failures {
        println!("  NOT REPRODUCED {f}");
    }
    if filter.is_none() {
        assert!(reproduced >= BASELINE, "{reproduced} cases reproduce, below the baseline of {BASELINE}");
    }
}

/// A run's own history, imported, replays the run: retries, Map iterations, a caught
/// failure, a callback and a `.sync` job.
#[test]
fn a_run_replays_from_its_own_history() {
    let definition = r#"{"StartAt": "Fetch", "States": {
      "Fetch": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"},
                "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 1, "MaxAttempts": 3}], "Next": "Each"},
      "Each": {"Type": "Map", "ItemsPath": "$.Payload.items", "MaxConcurrency": 1, "ResultPath": "$.doubled", "Next": "Charge",
               "ItemProcessor": {"StartAt": "Double", "States": {
                 "Double": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:111111111111:function:double", "End": true}}}},
      "Charge": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:getItem", "Parameters": {"TableName": "t", "Key": {}},
                 "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Approve"}], "Next": "Approve"},
      "Approve": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                  "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}}, "ResultPath": "$.approval", "Next": "Job"},
      "Job": {"Type": "Task", "Resource": "arn:aws:states:::batch:submitJob.sync", "Parameters": {"JobName": "j", "JobQueue": "q", "JobDefinition": "d"},
              "ResultSelector": {"status.$": "$.Status"}, "ResultPath": "$.job", "End": true}}}"#;
    let mocks = json::parse(
        r#"{"StateMachines": {"Imported": {"TestCases": {"Replay": {
              "Fetch": "F", "Double": "D", "Charge": "C", "Approve": "A", "Job": "J"}}}},
            "MockedResponses": {
              "F": {"0-1": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "busy"}},
                    "2": {"Return": {"StatusCode": 200, "Payload": {"items": [1, 2, 3]}}}},
              "D": {"0": {"Return": 2}, "1": {"Return": 4}, "2": {"Return": 6}},
              "C": {"0": {"Throw": {"Error": "DynamoDb.ResourceNotFoundException", "Cause": "no table"}}},
              "A": {"0": {"Return": {"approved": true}, "Submitted": {"MessageId": "m"}}},
              "J": {"0": {"Return": {"Status": "SUCCEEDED"}, "Submitted": {"JobId": "j1"}}}}}"#,
    )
    .unwrap();
    let case = Value::from(Map::from_iter([
        (Rc::from("definition"), json::parse(definition).unwrap()),
        (Rc::from("input"), Value::object()),
    ]));
    let first = run(&case, &mocks).unwrap();
    assert_eq!(first.status().as_str(), "SUCCEEDED", "{:?}", first.cause());
    let history = Value::from(Map::from_iter([(
        Rc::from("events"),
        Value::from(first.history().iter().map(|e| e.to_value()).collect::<Vec<_>>()),
    )]));
    let imported = import_history(&history, case.get("definition"), STATE_MACHINE, TEST_CASE).unwrap();
    assert!(imported.notes.is_empty(), "{:?}", imported.notes);
    let responses = imported.mock_config.get("MockedResponses").unwrap();
    assert_eq!(
        json::to_string(responses.get("Replay.Fetch").unwrap()),
        r#"{"0-1":{"Throw":{"Error":"Lambda.TooManyRequestsException","Cause":"busy"}},"2":{"Return":{"StatusCode":200,"Payload":{"items":[1,2,3]}}}}"#
    );
    assert_eq!(
        json::to_string(responses.get("Replay.Double").unwrap()),
        r#"{"0":{"Return":2},"1":{"Return":4},"2":{"Return":6}}"#
    );
    assert_eq!(
        json::to_string(responses.get("Replay.Approve").unwrap()),
        r#"{"0":{"Return":{"approved":true},"Submitted":{"MessageId":"m"}}}"#
    );
    let second = run(&case, &imported.mock_config).unwrap();
    assert_eq!(second.status(), first.status());
    assert_eq!(second.output(), first.output());
    let kinds = |e: &Execution| e.history().iter().map(|h| h.event_type.name().into_owned()).collect::<Vec<_>>();
    assert_eq!(kinds(&second), kinds(&first));
}
