//! The service layer against the recorded AWS corpus (tests/data/conformance):
//! - TestState's `fieldValidationMode` messages, case by case, through `check_mock_result`;
//! - every service result real AWS returned passes the STRICT shape check of its resource;
//! - `DefaultServices` answers the recorded calls with the keys, key order and nesting of the
//!   recorded answers, and its answers pass STRICT.

use aslplay::json;
use aslplay::services::{
    check_mock_result, DefaultServices, FieldValidationMode, Pattern, Resource, ServiceLayer, TaskRequest, TaskResponse,
};
use aslplay::Value;
use std::path::{Path, PathBuf};

fn case_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            case_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") && !path.ends_with("index.json") {
            out.push(path);
        }
    }
}

/// Every case of the corpus, by file name, in a stable order.
fn cases() -> Vec<(String, Value)> {
    let mut files = Vec::new();
    case_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/conformance/cases"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable case");
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            (name, json::parse(&text).expect("case is JSON"))
        })
        .collect()
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The Resource of a recorded Task invocation (`kind: task`).
fn invocation_resource(inv: &Value) -> Resource {
    let arn = format!("arn:aws:states:::{}:{}", text(inv, "resourceType"), text(inv, "resource"));
    Resource::parse(&arn).unwrap_or_else(|| panic!("bad resource {arn}"))
}

/// The state a TestState case tests, its mock and its expected outcome.
fn test_state_call(case: &Value) -> Option<(Value, Value, Value)> {
    let (definition, args) = match case.get("api_call") {
        Some(call) => (call.get("definition")?.get("json")?.clone(), call.get("other_args")?.clone()),
        None => (case.get("definition")?.clone(), case.get("test_state_args")?.clone()),
    };
    let state = match definition.get("Type") {
        Some(_) => definition,
        None => definition.get("States")?.get(text(&args, "stateName"))?.clone(),
    };
    Some((state, args.get("mock")?.clone(), case.get("expected")?.clone()))
}

#[test]
fn field_validation_messages_match_aws() {
    let (mut rejected, mut accepted) = (0, 0);
    for (name, case) in cases() {
        let Some((state, mock, expected)) = test_state_call(&case) else { continue };
        if text(&state, "Type") != "Task" {
            continue;
        }
        let Some(result) = mock.get("result").and_then(Value::as_str).and_then(|t| json::parse(t).ok()) else {
            continue;
        };
        let resource = Resource::parse(text(&state, "Resource")).expect("resource");
        let mode =
            FieldValidationMode::parse(mock.get("fieldValidationMode").and_then(Value::as_str).unwrap_or("STRICT"))
                .expect("mode");
        let message = text(&expected, "message");
        let got = check_mock_result(&resource, &result, mode);
        if message.starts_with("Mock result schema validation error") {
            assert_eq!(got.map_err(|e| e.message), Err(message.to_string()), "{name}");
            rejected += 1;
        } else if expected.get("error_type").is_none() {
            assert_eq!(got, Ok(()), "{name}");
            accepted += 1;
        }
    }
    assert_eq!(rejected, 22, "every test_field_validation_mode* rejection is checked");
    assert!(accepted >= 18, "accepted mocks checked: {accepted}");
}

#[test]
fn field_validation_error_paths() {
    let putevents = Resource::parse("arn:aws:states:::events:putEvents").unwrap();
    let result = json::parse(r#"{"Entries": [{"EventId": "a"}, {"EventId": ["b"]}]}"#).unwrap();
    let err = check_mock_result(&putevents, &result, FieldValidationMode::Strict).unwrap_err();
    assert_eq!(err.path, "Entries[1].EventId");
    assert_eq!(check_mock_result(&putevents, &result, FieldValidationMode::None), Ok(()));
}

/// Recorded results that are not the service's response: none so far. Add
/// `(case file, state name)` pairs here with a reason when one appears.
const NOT_SERVICE_RESPONSES: &[(&str, &str)] = &[];

#[test]
fn recorded_results_pass_strict() {
    let mut checked = 0;
    for (name, case) in cases() {
        let Some(mocks) = case.get("mocks").and_then(Value::as_object) else { continue };
        for (state, invocations) in mocks.iter() {
            if NOT_SERVICE_RESPONSES.contains(&(name.as_str(), &**state)) {
                continue;
            }
            for inv in invocations.as_array().into_iter().flat_map(|a| a.iter()) {
                if text(inv, "kind") != "task" || text(inv, "outcome") != "succeeded" {
                    continue;
                }
                let output = inv.get("output").cloned().unwrap_or(Value::Null);
                let resource = invocation_resource(inv);
                assert_eq!(
                    check_mock_result(&resource, &output, FieldValidationMode::Strict),
                    Ok(()),
                    "{name} {state}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 84, "recorded results checked: {checked}");
}

/// The object keys of a value, as paths in document order (arrays are not entered: the
/// recordings mask some header lists into strings).
fn key_paths(v: &Value, prefix: &str, out: &mut Vec<String>) {
    if let Some(map) = v.as_object() {
        for (k, child) in map.iter() {
            let path = format!("{prefix}/{k}");
            out.push(path.clone());
            key_paths(child, &path, out);
        }
    }
}

fn paths(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    key_paths(v, "", &mut out);
    out
}

/// Recorded answers whose keys depend on more than the call, as (case file name part, key
/// path prefix) left out of the comparison, each with its reason.
const SHAPE_EXCEPTIONS: &[(&str, &str)] = &[
    // The deployed API returns its own body; the default endpoint echoes the request body.
    ("test_apigetway_task_service", "/ResponseBody/"),
    // Recorded in 2023, before DescribeExecution had the redrive fields (later recordings have them).
    ("TestCallback.test_start_execution_sync", "/Redrive"),
    // The child execution's output is its own; the default child echoes its input.
    ("start_execution", "/Output/"),
];

#[test]
fn defaults_answer_recorded_calls_in_the_recorded_shape() {
    let mut compared = 0;
    for (name, case) in cases() {
        let Some(mocks) = case.get("mocks").and_then(Value::as_object) else { continue };
        // Replay the calls in history order, so that reads see earlier writes.
        let mut pending: Vec<(Value, bool)> = mocks
            .values()
            .flat_map(|list| list.as_array().into_iter().flat_map(|a| a.iter().cloned()))
            .map(|inv| (inv, false))
            .collect();
        let mut services = DefaultServices::new(1);
        let events =
            case.get("expected").and_then(|e| e.get("events")).and_then(Value::as_array).cloned().unwrap_or_default();
        for event in events.iter().filter(|e| text(e, "type") == "TaskScheduled") {
            let Some(details) = event.get("details") else { continue };
            let found = pending.iter_mut().find(|(inv, used)| {
                !used
                    && text(inv, "kind") == "task"
                    && text(inv, "resource") == text(details, "resource")
                    && text(inv, "resourceType") == text(details, "resourceType")
                    && inv.get("parameters") == details.get("parameters")
            });
            let Some((inv, used)) = found else { continue };
            *used = true;
            let resource = invocation_resource(inv);
            let parameters = inv.get("parameters").cloned().unwrap_or(Value::Null);
            let request = TaskRequest {
                state_name: "S",
                resource: &resource,
                parameters: &parameters,
                task_token: Some("token"),
                retry_count: 0,
            };
            let TaskResponse::Default(answer) = services.call(&request) else {
                panic!("{name}: not marked as a default")
            };
            if text(inv, "outcome") != "succeeded" || !DefaultServices::is_modeled(&resource) {
                continue;
            }
            let (submitted, result) = match *answer {
                TaskResponse::Succeeded { output, .. } => (None, output),
                TaskResponse::Submitted { output, then } => match *then {
                    TaskResponse::Succeeded { output: result, .. } => (Some(output), result),
                    other => panic!("{name}: {other:?}"),
                },
                other => panic!("{name}: {other:?}"),
            };
            let skip =
                |p: &String| SHAPE_EXCEPTIONS.iter().any(|(case, prefix)| name.contains(case) && p.starts_with(prefix));
            // DynamoDB returns an item's attributes in an order of its own: compare those as sets.
            let unordered = resource.resource_type.ends_with("dynamodb");
            let compare = |got: &Value, want: &Value, what: &str| {
                let list = |v: &Value| -> (Vec<String>, Vec<String>) {
                    let in_item = |p: &String| {
                        unordered && ["/Item/", "/Items/", "/Attributes/"].iter().any(|i| p.starts_with(i))
                    };
                    let (mut items, rest): (Vec<String>, Vec<String>) =
                        paths(v).into_iter().filter(|p| !skip(p)).partition(in_item);
                    items.sort();
                    (rest, items)
                };
                assert_eq!(list(got), list(want), "{name}: {} {what}", resource.arn);
            };
            if let (Some(got), Some(want)) = (&submitted, inv.get("submitted_output")) {
                compare(got, want, "submitted");
            }
            if resource.pattern != Pattern::WaitForTaskToken {
                compare(&result, inv.get("output").unwrap_or(&Value::Null), "result");
                assert_eq!(check_mock_result(&resource, &result, FieldValidationMode::Strict), Ok(()), "{name}");
            }
            compared += 1;
        }
    }
    assert!(compared >= 83, "recorded calls compared: {compared}");
}
