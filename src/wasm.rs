//! The WebAssembly face of the library, for the page's Web Worker: thin wasm-bindgen
//! bindings that pass JSON text across the boundary. No logic lives here; every rule is in
//! the library.

use crate::json;
use crate::value::{Map, Value};
use wasm_bindgen::prelude::*;

/// The crate version, so the page can show which engine it runs.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Checks that `text` is JSON: `"null"` when it is, else `{"message","line","column"}`.
#[wasm_bindgen]
pub fn check_json(text: &str) -> String {
    match json::parse(text) {
        Ok(_) => "null".to_string(),
        Err(e) => json_error(&e).to_string(),
    }
}

/// Validates a definition: AWS's `ValidateStateMachineDefinition` JSON, with `line` and
/// `column` on each diagnostic.
#[wasm_bindgen]
pub fn validate(definition: &str) -> String {
    let diagnostics = match json::parse_with_source_map(definition) {
        Err(e) => {
            let mut d = crate::Diagnostic::error("INVALID_JSON_DESCRIPTION", "/", e.message.clone());
            d.line = Some(e.line);
            d.column = Some(e.column);
            vec![d]
        }
        Ok((root, map)) => {
            let mut found = crate::definition::validate::validate(&root);
            for d in &mut found {
                if let Some((l, c)) = map.locate(&d.location) {
                    d.line = Some(l);
                    d.column = Some(c);
                }
            }
            found
        }
    };
    crate::Validation { diagnostics }.to_value().to_string()
}

fn json_error(e: &json::JsonError) -> Value {
    let mut m = Map::new();
    m.insert("message", Value::from(e.message.as_str()));
    m.insert("line", Value::from(e.line));
    m.insert("column", Value::from(e.column));
    Value::from(m)
}
