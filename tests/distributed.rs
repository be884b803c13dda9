//! Replays every recorded AWS execution whose Map state reads items (`ItemReader`), batches
//! them (`ItemBatcher`) or writes results (`ResultWriter`) through `aslplay::distributed`,
//! and compares the items, batches or Map result with what AWS produced.
//!
//! Each case's S3 objects come from its `service_setup_calls`; the states before the Map (Pass
//! states with `Parameters` and `Assign`) are stepped here to get the Map's input and
//! variables; the Map's item processors are Pass states, so the Map's output is its item (or
//! batch) list, or the `ResultWriter`'s result.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use aslplay::distributed::{
    batch_items, read_items, write_results, BatcherSpec, ChildResult, ChildStatus, MapRunError, ObjectStore,
    ReaderSpec, WriterSpec,
};
use aslplay::jsonata::Environment;
use aslplay::query::jsonata_field::JsonataField;
use aslplay::query::template::Template;
use aslplay::query::{Env, SeededRandom, Variables};
use aslplay::{json, Map, Value};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/conformance/cases")
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// The recorded executions (not TestState calls, not rejected definitions) with a Map state
/// that has an `ItemReader`, `ItemBatcher` or `ResultWriter`.
fn distributed_cases() -> Vec<(String, Value)> {
    let mut files = Vec::new();
    json_files(&cases_dir(), &mut files);
    files.sort();
    let mut cases = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        if !["\"ItemReader\"", "\"ItemBatcher\"", "\"ResultWriter\""].iter().any(|k| text.contains(k)) {
            continue;
        }
        let case = json::parse(&text).expect("a case file is JSON");
        let api = case.get("tags").and_then(|t| t.get("api")).and_then(Value::as_str);
        if api == Some("start_execution") && case.get("definition").is_some() {
            let name = file.strip_prefix(cases_dir()).unwrap_or(&file).display().to_string();
            cases.push((name, case));
        }
    }
    cases
}

/// The S3 objects the test put before starting the execution.
fn store_from_setup(case: &Value) -> ObjectStore {
    let mut store = ObjectStore::new(1_700_000_000_000);
    for call in case.get("service_setup_calls").and_then(Value::as_array).iter().flat_map(|a| a.iter()) {
        let kwargs = call.get("kwargs").cloned().unwrap_or_default();
        let text = |k: &str| kwargs.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        match (call.get("service").and_then(Value::as_str), call.get("op").and_then(Value::as_str)) {
            (Some("s3"), Some("put_object")) => {
                let body = match kwargs.get("Body") {
                    Some(Value::String(s)) => s.to_string(),
                    Some(b) => b.get("__bytes__").and_then(Value::as_str).unwrap_or_default().to_string(),
                    None => String::new(),
                };
                store.put(&text("Bucket"), &text("Key"), body);
            }
            (Some("s3"), Some("create_bucket")) => store.create_bucket(&text("Bucket")),
            _ => {}
        }
    }
    store
}

struct Vars(HashMap<String, Value>);

impl Variables for Vars {
    fn get(&self, name: &str) -> Option<Value> {
        self.0.get(name).cloned()
    }
}

/// The state of the replay when the Map state is entered.
struct AtMap {
    state: Value,
    name: String,
    input: Value,
    vars: Vars,
    jsonata: bool,
}

/// Steps the Pass states before the Map (their `Parameters` and `Assign`).
fn walk_to_map(case: &Value) -> Result<AtMap, String> {
    let definition = case.get("definition").ok_or("no definition")?;
    let states = definition.get("States").ok_or("no States")?;
    let jsonata = definition.get("QueryLanguage").and_then(Value::as_str) == Some("JSONata");
    let mut name = definition.get("StartAt").and_then(Value::as_str).ok_or("no StartAt")?.to_string();
    let mut input = case.get("input").cloned().unwrap_or_default();
    let mut vars = Vars(HashMap::new());
    for _ in 0..10 {
        let state = states.get(&name).ok_or_else(|| format!("no state {name}"))?.clone();
        match state.get("Type").and_then(Value::as_str) {
            Some("Map") => return Ok(AtMap { state, name, input, vars, jsonata }),
            Some("Pass") if !jsonata => {
                for unsupported in ["InputPath", "Result", "ResultPath", "OutputPath"] {
                    if state.get(unsupported).is_some() {
                        return Err(format!("the replay does not step a Pass state with {unsupported}"));
                    }
                }
                if let Some(p) = state.get("Parameters") {
                    input = evaluate_template(p, &input, &vars)?;
                }
                if let Some(Value::Object(assign)) = state.get("Assign") {
                    let mut assigned = Vec::new();
                    for (k, v) in assign.iter() {
                        let mut one = Map::new();
                        one.insert(k.clone(), v.clone());
                        let value = evaluate_template(&Value::from(one), &input, &vars)?;
                        let (key, value) = value
                            .as_object()
                            .and_then(|m| m.iter().next().map(|(k, v)| (k.to_string(), v.clone())))
                            .ok_or("bad Assign")?;
                        assigned.push((key, value));
                    }
                    vars.0.extend(assigned);
                }
                name = state
                    .get("Next")
                    .and_then(Value::as_str)
                    .ok_or("a Pass before the Map must have Next")?
                    .to_string();
            }
            other => return Err(format!("the replay does not step a {other:?} state")),
        }
    }
    Err("no Map state within 10 steps".into())
}

fn evaluate_template(template: &Value, input: &Value, vars: &Vars) -> Result<Value, String> {
    let compiled = Template::compile(template).map_err(|e| format!("{e:?}"))?;
    let context = Value::object();
    let mut random = SeededRandom(7);
    let mut env = Env { input, context: &context, variables: vars, random: &mut random };
    compiled.evaluate(&mut env).map_err(|e| format!("{}: {}", e.error, e.cause))
}

fn evaluate_path(path: &str, input: &Value, vars: &Vars) -> Result<Value, String> {
    let mut one = Map::new();
    one.insert("v.$", Value::from(path));
    let v = evaluate_template(&Value::from(one), input, vars)?;
    Ok(v.get("v").cloned().unwrap_or_default())
}

fn evaluate_jsonata(field: &Value, input: &Value) -> Result<Value, String> {
    let compiled = JsonataField::compile(field).map_err(|e| format!("{e:?}"))?;
    let mut env = Environment::new();
    let states =
        json::parse(r#"{"context": {"State": {"EnteredTime": "2024-01-01T00:00:00.000Z"}}}"#).expect("literal");
    let mut states_map = (**states.as_object().expect("object")).clone();
    states_map.insert("input", input.clone());
    env.bind("states", Value::from(states_map));
    compiled.evaluate(&env, "Arguments").map_err(|e| format!("{}: {}", e.error, e.cause))
}

/// A field of the Map (or of its ItemReader/ItemBatcher) that the engine would evaluate:
/// `<field>Path` in JSONPath, a `{% %}` string in JSONata. `None` when it is a literal.
fn resolved_field(owner: &Value, field: &str, at: &AtMap) -> Result<Option<Value>, String> {
    if let Some(path) = owner.get(&format!("{field}Path")).and_then(Value::as_str) {
        return evaluate_path(path, &at.input, &at.vars).map(Some);
    }
    match owner.get(field) {
        Some(v @ Value::String(_)) if at.jsonata => evaluate_jsonata(v, &at.input).map(Some),
        _ => Ok(None),
    }
}

/// The Map's outcome: its output, or the Map Run's failure.
fn run_map(at: &AtMap, store: &mut ObjectStore, context: &Value) -> Result<Result<Value, MapRunError>, String> {
    let processor = at.state.get("ItemProcessor").or_else(|| at.state.get("Iterator")).ok_or("no ItemProcessor")?;
    let pass_only = processor.get("States").and_then(Value::as_object).is_some_and(|s| {
        s.values().all(|st| {
            st.get("Type").and_then(Value::as_str) == Some("Pass")
                && st.get("Parameters").is_none()
                && st.get("Result").is_none()
        })
    });
    if !pass_only {
        return Err("the item processor is not a plain Pass state".into());
    }
    let items = match at.state.get("ItemReader") {
        Some(reader) => {
            let parameters = match (reader.get("Parameters"), reader.get("Arguments")) {
                (Some(p), _) => evaluate_template(p, &at.input, &at.vars)?,
                (None, Some(a)) => evaluate_jsonata(a, &at.input)?,
                (None, None) => Value::object(),
            };
            let config = reader.get("ReaderConfig").cloned().unwrap_or_default();
            let max_items = resolved_field(&config, "MaxItems", at)?;
            let spec = match ReaderSpec::from_item_reader(reader, parameters, max_items.as_ref()) {
                Ok(spec) => spec,
                Err(e) => return Ok(Err(e)),
            };
            match read_items(&spec, store) {
                Ok(items) => items,
                Err(e) => return Ok(Err(e)),
            }
        }
        None => at.input.as_array().map(|a| a.to_vec()).ok_or("the Map's input is not an array")?,
    };
    let items = match at.state.get("ItemBatcher") {
        Some(batcher) => {
            let batch_input = match batcher.get("BatchInput") {
                Some(b) if at.jsonata => Some(evaluate_jsonata(b, &at.input)?),
                Some(b) => Some(evaluate_template(b, &at.input, &at.vars)?),
                None => None,
            };
            let per_batch = resolved_field(batcher, "MaxItemsPerBatch", at)?;
            let bytes = resolved_field(batcher, "MaxInputBytesPerBatch", at)?;
            let spec = match BatcherSpec::from_item_batcher(batcher, batch_input, per_batch.as_ref(), bytes.as_ref()) {
                Ok(spec) => spec,
                Err(e) => return Ok(Err(e)),
            };
            match batch_items(items, &spec) {
                Ok(batches) => batches,
                Err(e) => return Ok(Err(e)),
            }
        }
        None => items,
    };
    let Some(writer) = at.state.get("ResultWriter") else {
        return Ok(Ok(Value::from(items)));
    };
    let parameters = match writer.get("Parameters") {
        Some(p) => Some(evaluate_template(p, &at.input, &at.vars)?),
        None => writer.get("Arguments").map(|a| evaluate_jsonata(a, &at.input)).transpose()?,
    };
    let spec = match WriterSpec::from_result_writer(writer, parameters.as_ref()) {
        Ok(spec) => spec,
        Err(e) => return Ok(Err(e)),
    };
    let machine = context.get("stateMachineName").and_then(Value::as_str).unwrap_or("machine");
    let label = at.state.get("Label").and_then(Value::as_str).unwrap_or(&at.name);
    let run_id = "0b7d1e54-8a0c-3c9e-9b1f-6f4c2a9d0e11";
    let map_run_arn = format!("arn:aws:states:us-east-1:111111111111:mapRun:{machine}/{label}:{run_id}");
    let results: Vec<ChildResult> = items
        .into_iter()
        .enumerate()
        .map(|(index, item)| ChildResult {
            index,
            status: ChildStatus::Succeeded,
            output: Some(item.clone()),
            input: item,
            error: None,
            cause: None,
            name: Rc::from(format!("child-{index}")),
            execution_arn: Rc::from(format!(
                "arn:aws:states:us-east-1:111111111111:execution:{machine}/{label}:child-{index}"
            )),
            start_ms: 1_700_000_000_000,
            stop_ms: Some(1_700_000_000_100),
        })
        .collect();
    Ok(write_results(&spec, &map_run_arn, &results, store))
}

/// Sets the leaf at a JSON pointer (relative to the expected output) to null.
fn blank(v: &mut Value, pointer: &str) {
    let mut at = v;
    for token in pointer.split('/').skip(1) {
        let next = match at {
            Value::Object(m) => Rc::make_mut(m).get_mut(token),
            Value::Array(a) => token.parse::<usize>().ok().and_then(|i| Rc::make_mut(a).get_mut(i)),
            _ => None,
        };
        match next {
            Some(n) => at = n,
            None => return,
        }
    }
    *at = Value::Null;
}

/// Compares one case; `Err` says how it differs or why it cannot be replayed.
fn check(case: &Value) -> Result<(), String> {
    let at = walk_to_map(case)?;
    if at.state.get("End").and_then(Value::as_bool) != Some(true) {
        return Err("the Map is not the last state".into());
    }
    for field in ["InputPath", "OutputPath", "ResultPath", "ResultSelector", "ItemSelector", "Parameters", "Output"] {
        if at.state.get(field).is_some() {
            return Err(format!("the replay does not apply the Map's {field}"));
        }
    }
    let mut store = store_from_setup(case);
    let context = case.get("context").cloned().unwrap_or_default();
    let outcome = run_map(&at, &mut store, &context)?;
    let expected = case.get("expected").ok_or("no expected")?;
    match (expected.get("status").and_then(Value::as_str), outcome) {
        (Some("SUCCEEDED"), Ok(mut actual)) => {
            let mut want = expected.get("output").cloned().unwrap_or_default();
            for pointer in case.get("ignore").and_then(Value::as_array).iter().flat_map(|a| a.iter()) {
                if let Some(rel) = pointer.as_str().and_then(|p| p.strip_prefix("/expected/output")) {
                    blank(&mut want, rel);
                    blank(&mut actual, rel);
                }
            }
            if actual == want {
                Ok(())
            } else {
                Err(format!(
                    "output differs:\n  expected {}\n  actual   {}",
                    json::to_string(&want),
                    json::to_string(&actual)
                ))
            }
        }
        (Some("FAILED"), Err(e)) => {
            let want_error = expected.get("error").and_then(Value::as_str);
            let want_cause = expected.get("cause").and_then(Value::as_str);
            if want_error == Some(e.error.as_str()) && want_cause == Some(e.cause.as_str()) {
                Ok(())
            } else {
                Err(format!("failure differs: expected {want_error:?} {want_cause:?}, got {e}"))
            }
        }
        (status, Ok(v)) => Err(format!("expected {status:?}, the Map produced {}", json::to_string(&v))),
        (status, Err(e)) => Err(format!("expected {status:?}, the Map Run failed: {e}")),
    }
}

#[test]
fn recorded_distributed_map_cases_match_aws() {
    let cases = distributed_cases();
    assert!(
        cases.len() >= 19,
        "expected the recorded ItemReader/ItemBatcher/ResultWriter cases, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for (name, case) in &cases {
        match check(case) {
            Ok(()) => println!("pass  {name}"),
            Err(why) => {
                println!("FAIL  {name}: {why}");
                failures.push(name.clone());
            }
        }
    }
    println!("{} of {} recorded distributed Map cases pass", cases.len() - failures.len(), cases.len());
    assert!(failures.is_empty(), "failing: {failures:#?}");
}

#[test]
fn result_writer_case_writes_the_manifest_it_names() {
    let case = distributed_cases()
        .into_iter()
        .find(|(name, _)| name.contains("test_map_state_result_writer"))
        .map(|(_, case)| case)
        .expect("the recorded ResultWriter case");
    let at = walk_to_map(&case).expect("the Map");
    let mut store = store_from_setup(&case);
    let out = run_map(&at, &mut store, case.get("context").expect("context")).expect("replayable").expect("written");
    let details = out.get("ResultWriterDetails").expect("details");
    let bucket = details.get("Bucket").and_then(Value::as_str).expect("bucket");
    let key = details.get("Key").and_then(Value::as_str).expect("key");
    assert!(key.starts_with("mapJobs/") && key.ends_with("/manifest.json"), "{key}");
    let arn = out.get("MapRunArn").and_then(Value::as_str).expect("arn");
    assert!(arn.starts_with("arn:aws:states:us-east-1:111111111111:mapRun:ArnPart_0idx/TestMap:"), "{arn}");
    let manifest = json::parse(store.get(bucket, key).expect("manifest").content()).expect("JSON");
    let files = manifest.get("ResultFiles").and_then(|f| f.get("SUCCEEDED")).and_then(Value::as_array).expect("files");
    let results_key = files[0].get("Key").and_then(Value::as_str).expect("key");
    let results = json::parse(store.get(bucket, results_key).expect("results").content()).expect("JSON");
    let outputs: Vec<Value> =
        results.as_array().expect("array").iter().map(|e| e.get("Output").cloned().unwrap_or_default()).collect();
    assert_eq!(outputs, [Value::from("\"Hello\""), Value::from("\"World\"")]);
}
