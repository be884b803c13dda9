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
    let mut m = Map::new();
    m.insert("error", e.to_value());
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
    match crate::import::read_project_with_options(text, &options) {
        Ok(found) => {
            let mut m = Map::new();
            m.insert("machines", Value::from(found.iter().map(|f| f.to_value()).collect::<Vec<_>>()));
            Value::from(m).to_string()
        }
        Err(e) => import_failure(&e),
    }
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
    match crate::import::import_history_text(history, definition, state_machine, test_case) {
        Ok(imported) => {
            let mut m = Map::new();
            m.insert("mockConfig", imported.mock_config);
            m.insert("notes", Value::from(imported.notes.into_iter().map(Value::from).collect::<Vec<_>>()));
            m.insert("input", imported.input.map_or(Value::Null, Value::from));
            Value::from(m).to_string()
        }
        Err(e) => import_failure(&e),
    }
}
