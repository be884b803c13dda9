//! The WebAssembly importer module, built separately (`--features importer`) and loaded by the
//! page only when needed: definitions written as YAML or inside CloudFormation / SAM templates,
//! and execution histories turned into MockConfigFiles. Thin bindings over `crate::import`;
//! keeping them out of the engine's module keeps the YAML parser and the importers out of
//! every page load.

use crate::json;
use crate::value::{Map, Value};
use wasm_bindgen::prelude::*;

/// `{"error": {"message", "pointer", "line"?, "column"?}}` as JSON text.
fn import_failure(e: &crate::import::ImportError) -> String {
    let mut err = Map::new();
    err.insert("message", Value::from(e.message.as_str()));
    err.insert("pointer", Value::from(e.pointer.as_str()));
    if let (Some(line), Some(column)) = (e.line, e.column) {
        err.insert("line", Value::from(line));
        err.insert("column", Value::from(column));
    }
    let mut m = Map::new();
    m.insert("error", Value::from(err));
    Value::from(m).to_string()
}

/// The state machines in a definition's text (ASL as JSON or YAML, or a CloudFormation/SAM
/// template in JSON or YAML), read as `import::read_project` reads them. `options` is JSON text
/// (blank for none): `{"files": {path: text}, "params": {name: value}, "accountId", "region",
/// "partition", "stackName"}`: the files a template's `DefinitionUri` names (matched by path,
/// then by file name), the values given for parameters, substitutions, placeholders and pseudo
/// parameters, and where the stack is deployed. The answer: `{"machines": [{"logicalId",
/// "name", "definition", "notes", "origin", "file", "fileText", "missingFile", "s3Location",
/// "substitutions": [{"name", "value", "source", "kind", "given"}], "unresolved":
/// [{"placeholder", "name", "reason", "file", "line", "column"}]}]}` in template order
/// (`logicalId` is empty for a bare definition; `definition` is null when it could not be read;
/// absent members are null), or `{"error": {"message", "pointer", "line"?, "column"?}}`.
#[wasm_bindgen]
pub fn definitions_from_text(text: &str, options: &str) -> String {
    let options = json::parse(options).unwrap_or(Value::Null);
    let text_of = |v: Option<&Value>| v.and_then(Value::as_str).map(String::from);
    let pairs = |key: &str| -> Vec<(String, String)> {
        options
            .get(key)
            .and_then(Value::as_object)
            .map(|m| m.iter().filter_map(|(k, v)| Some((k.to_string(), v.as_str()?.to_string()))).collect())
            .unwrap_or_default()
    };
    let mut deployment = crate::import::Deployment { params: pairs("params"), ..Default::default() };
    for (key, field) in [
        ("accountId", &mut deployment.account_id),
        ("region", &mut deployment.region),
        ("partition", &mut deployment.partition),
        ("stackName", &mut deployment.stack_name),
    ] {
        if let Some(v) = text_of(options.get(key)).filter(|v| !v.is_empty()) {
            *field = v;
        }
    }
    let files = crate::import::FileMap(pairs("files"));
    match crate::import::read_project(text, &deployment, &files) {
        Ok(found) => {
            let machines: Vec<Value> = found.into_iter().map(machine_value).collect();
            let mut m = Map::new();
            m.insert("machines", Value::from(machines));
            Value::from(m).to_string()
        }
        Err(e) => import_failure(&e),
    }
}

fn text_or_null(v: Option<String>) -> Value {
    v.map_or(Value::Null, Value::from)
}

fn machine_value(f: crate::import::FoundDefinition) -> Value {
    let mut m = Map::new();
    m.insert("logicalId", Value::from(f.logical_id));
    m.insert("name", Value::from(f.name));
    m.insert("definition", f.definition);
    m.insert("notes", Value::from(f.notes.into_iter().map(Value::from).collect::<Vec<_>>()));
    m.insert("origin", Value::from(f.origin));
    m.insert("file", text_or_null(f.file));
    m.insert("fileText", text_or_null(f.file_text));
    m.insert("missingFile", text_or_null(f.missing_file));
    m.insert("s3Location", text_or_null(f.s3_location));
    let substitutions: Vec<Value> = f
        .substitutions
        .into_iter()
        .map(|s| {
            let mut m = Map::new();
            m.insert("name", Value::from(s.name));
            m.insert("value", text_or_null(s.value));
            m.insert("source", Value::from(s.source));
            m.insert("kind", Value::from(s.kind.as_str()));
            m.insert("given", Value::from(s.given));
            Value::from(m)
        })
        .collect();
    m.insert("substitutions", Value::from(substitutions));
    let unresolved: Vec<Value> = f
        .unresolved
        .into_iter()
        .map(|u| {
            let mut m = Map::new();
            m.insert("placeholder", Value::from(u.placeholder));
            m.insert("name", text_or_null(u.name));
            m.insert("reason", Value::from(u.reason));
            m.insert("file", text_or_null(u.file));
            m.insert("line", u.line.map_or(Value::Null, Value::from));
            m.insert("column", u.column.map_or(Value::Null, Value::from));
            Value::from(m)
        })
        .collect();
    m.insert("unresolved", Value::from(unresolved));
    Value::from(m)
}

/// Where JSON pointers (a JSON array of strings) stand in a text (JSON or YAML): a JSON array
/// with `[line, column]` (1-based) or `null` for each, as `import::locate_in_text` finds them.
#[wasm_bindgen]
pub fn locate(text: &str, pointers: &str) -> String {
    let list = json::parse(pointers).ok();
    let pointers: Vec<&str> = list
        .as_ref()
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let places: Vec<Value> = crate::import::locate_in_text(text, &pointers)
        .into_iter()
        .map(|at| at.map_or(Value::Null, |(line, column)| Value::from(vec![Value::from(line), Value::from(column)])))
        .collect();
    Value::from(places).to_string()
}

/// A MockConfigFile that replays an execution history (`get-execution-history` JSON text, or
/// a bare array of events): `{"mockConfig", "notes", "input"}`, where `input` is the
/// execution input from `ExecutionStarted` as JSON text (null when the history has none), or
/// `{"error": {"message", "pointer", "line"?, "column"?}}`. `definition` (JSON text, may be
/// blank) helps to attribute calls when events lack `previousEventId`.
#[wasm_bindgen]
pub fn import_history(history: &str, definition: &str, state_machine: &str, test_case: &str) -> String {
    let history = match json::parse(history) {
        Ok(v) => v,
        Err(e) => {
            let message = format!("The history is not JSON: {}", e.message);
            return import_failure(&crate::import::ImportError {
                pointer: String::new(),
                message,
                line: Some(e.line),
                column: Some(e.column),
            });
        }
    };
    let definition = json::parse(definition).ok().filter(Value::is_object);
    match crate::import::import_history(&history, definition.as_ref(), state_machine, test_case) {
        Ok(imported) => {
            let events = match &history {
                Value::Array(a) => Some(a),
                other => other.get("events").and_then(Value::as_array),
            };
            // The raw form keeps the input as JSON text; the normalized form as a value.
            let input = events
                .and_then(|list| {
                    list.iter().find(|e| e.get("type").and_then(Value::as_str) == Some("ExecutionStarted"))
                })
                .and_then(|e| e.get("executionStartedEventDetails").or_else(|| e.get("details")))
                .and_then(|d| d.get("input"))
                .map(|i| match i {
                    Value::String(s) => Value::String(s.clone()),
                    other => Value::from(json::to_string(other)),
                })
                .unwrap_or(Value::Null);
            let mut m = Map::new();
            m.insert("mockConfig", imported.mock_config);
            m.insert("notes", Value::from(imported.notes.into_iter().map(Value::from).collect::<Vec<_>>()));
            m.insert("input", input);
            Value::from(m).to_string()
        }
        Err(e) => import_failure(&e),
    }
}
