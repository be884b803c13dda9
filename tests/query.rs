//! Replays the AWS-recorded intrinsic-function cases (tests/data/conformance/cases/
//! intrinsic_functions, JSONPath ones) through the query layer: each is a machine of Pass
//! states whose `Parameters`, `InputPath`, `ResultPath` and `OutputPath` this crate's
//! templates and paths evaluate; the final output must equal what AWS returned.

use std::fs;
use std::path::Path as FsPath;

use aslplay::query::jsonpath::{Path, ReferencePath};
use aslplay::query::template::Template;
use aslplay::query::{Env, EvalError, SeededRandom};
use aslplay::{json, Map, Value};

fn field<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    v.get(key)
}

fn context_object(case: &Value, input: &Value, state: &str) -> Value {
    let ctx = field(case, "context").cloned().unwrap_or_else(Value::object);
    let text = |k: &str| field(&ctx, k).cloned().unwrap_or(Value::Null);
    let mut execution = Map::new();
    execution.insert("Id", text("executionArn"));
    execution.insert("Input", input.clone());
    execution.insert("Name", text("executionName"));
    execution.insert("RoleArn", text("roleArn"));
    execution.insert("StartTime", Value::from("2024-01-01T00:00:00.000Z"));
    let mut state_map = Map::new();
    state_map.insert("EnteredTime", Value::from("2024-01-01T00:00:00.000Z"));
    state_map.insert("Name", Value::from(state));
    state_map.insert("RetryCount", Value::from(0));
    let mut machine = Map::new();
    machine.insert("Id", text("stateMachineArn"));
    machine.insert("Name", text("stateMachineName"));
    let mut root = Map::new();
    root.insert("Execution", Value::from(execution));
    root.insert("State", Value::from(state_map));
    root.insert("StateMachine", Value::from(machine));
    Value::from(root)
}

/// Runs a machine made of JSONPath Pass states; `None` when it uses anything else.
fn run_pass_machine(case: &Value) -> Option<Result<Value, EvalError>> {
    let definition = field(case, "definition")?;
    let states = field(definition, "States")?.as_object()?;
    let mut name = field(definition, "StartAt")?.as_str()?.to_string();
    let execution_input = field(case, "input").cloned().unwrap_or(Value::Null);
    let mut input = execution_input.clone();
    let mut random = SeededRandom(42);
    for _ in 0..20 {
        let state = states.get(&name)?;
        if field(state, "Type")?.as_str()? != "Pass" || field(state, "QueryLanguage").is_some() {
            return None;
        }
        let context = context_object(case, &execution_input, &name);
        let effective = match field(state, "InputPath") {
            Some(Value::String(p)) => {
                let env = Env { input: &input, context: &context, variables: &(), random: &mut random };
                match Path::parse(p).ok()?.select_or_invalid_path(&env) {
                    Ok(v) => v,
                    Err(e) => return Some(Err(e)),
                }
            }
            _ => input.clone(),
        };
        let result = match (field(state, "Parameters"), field(state, "Result")) {
            (Some(params), _) => {
                let template = Template::compile(params).ok()?;
                let mut env = Env { input: &effective, context: &context, variables: &(), random: &mut random };
                match template.evaluate(&mut env) {
                    Ok(v) => v,
                    Err(e) => return Some(Err(e)),
                }
            }
            (None, Some(result)) => result.clone(),
            (None, None) => effective.clone(),
        };
        let merged = match field(state, "ResultPath") {
            Some(Value::String(p)) => match ReferencePath::parse(p).ok()?.assign(&input, result) {
                Ok(v) => v,
                Err(e) => return Some(Err(e)),
            },
            Some(Value::Null) => input.clone(),
            _ => result,
        };
        let output = match field(state, "OutputPath") {
            Some(Value::String(p)) => {
                let env = Env { input: &merged, context: &context, variables: &(), random: &mut random };
                match Path::parse(p).ok()?.select_or_invalid_path(&env) {
                    Ok(v) => v,
                    Err(e) => return Some(Err(e)),
                }
            }
            _ => merged,
        };
        if field(state, "End").and_then(Value::as_bool) == Some(true) {
            return Some(Ok(output));
        }
        name = field(state, "Next")?.as_str()?.to_string();
        input = output;
    }
    None
}

/// Replaces the values at `/expected/output/...` pointers listed in `ignore` by null in
/// both documents.
fn blank_ignored(case: &Value, actual: &mut Value, expected: &mut Value) {
    let Some(ignore) = field(case, "ignore").and_then(Value::as_array) else { return };
    for pointer in ignore.iter().filter_map(Value::as_str) {
        let Some(rest) = pointer.strip_prefix("/expected/output") else { continue };
        let keys: Vec<&str> = rest.split('/').skip(1).collect();
        for doc in [&mut *actual, &mut *expected] {
            blank(doc, &keys);
        }
    }
}

fn blank(doc: &mut Value, keys: &[&str]) {
    let Some((first, rest)) = keys.split_first() else {
        *doc = Value::Null;
        return;
    };
    if let Value::Object(map) = doc {
        if let Some(child) = std::rc::Rc::make_mut(map).get_mut(first) {
            blank(child, rest);
        }
    }
}

#[test]
fn recorded_intrinsic_function_cases() {
    let dir = FsPath::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/conformance/cases/intrinsic_functions");
    let mut checked = 0;
    let mut failures = Vec::new();
    for entry in fs::read_dir(&dir).expect("conformance cases are vendored") {
        let path = entry.unwrap().path();
        let case = json::parse(&fs::read_to_string(&path).unwrap()).unwrap();
        let language = field(case.get("tags").unwrap(), "query_language").and_then(Value::as_str);
        if language != Some("JSONPath") {
            continue;
        }
        let Some(outcome) = run_pass_machine(&case) else { continue };
        let expected = field(&case, "expected").unwrap();
        checked += 1;
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        match (outcome, field(expected, "status").and_then(Value::as_str)) {
            (Ok(mut actual), Some("SUCCEEDED")) => {
                let mut want = field(expected, "output").cloned().unwrap_or(Value::Null);
                blank_ignored(&case, &mut actual, &mut want);
                // Compare the JSON text: key order shows in history events too.
                if json::to_string(&actual) != json::to_string(&want) {
                    failures.push(format!("{name}: got {actual}, AWS gave {want}"));
                }
            }
            (Err(e), Some("FAILED")) => {
                let want = field(expected, "error").and_then(Value::as_str);
                if want != Some(e.error.as_str()) {
                    failures.push(format!("{name}: error {} vs {want:?}", e.error));
                }
            }
            (outcome, status) => failures.push(format!("{name}: {outcome:?} but AWS status {status:?}")),
        }
    }
    eprintln!("{checked} recorded cases replayed");
    assert!(checked >= 80, "only {checked} cases ran");
    assert!(failures.is_empty(), "{} of {checked} cases differ:\n{}", failures.len(), failures.join("\n"));
}
