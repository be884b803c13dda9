//! The WebAssembly language module, built separately (`--features language`) and loaded by
//! the page's worker on the first editor question, after the page is interactive: thin
//! bindings over `crate::language` (completions, hover, signature help, quick fixes), each
//! taking the editor's text and a UTF-16 offset and answering JSON text (`null` for nothing).
//! Keeping it out of the engine's module keeps its code and documentation text out of
//! every page load.
//!
//! Texts come in as UTF-8 bytes (`new TextEncoder().encode(text)`): a byte array is copied
//! into wasm memory at once, where a string goes through the glue character by character
//! (about 15 ns a character: 40 ms for a 10,000-state definition, on every keystroke).

use crate::json;
use crate::language::{self, Doc, FixRequest, Request};
use crate::value::Value;
use wasm_bindgen::prelude::*;

fn request<'a>(doc: &str, text: &'a [u8], offset: u32, definition: &'a [u8], explicit: bool) -> Option<Request<'a>> {
    Some(Request {
        doc: Doc::from_name(doc)?,
        text: std::str::from_utf8(text).ok()?,
        offset: offset as usize,
        definition: std::str::from_utf8(definition).unwrap_or(""),
        explicit,
    })
}

fn or_null(v: Option<Value>) -> String {
    v.map_or_else(|| "null".to_string(), |v| json::to_string(&v))
}

/// `{from, to, options}` as JSON text, or `null`. `doc` is `"definition"` or `"mock"`; `text`
/// the editor's text (UTF-8); `definition` the definition's text for the mock editor.
#[wasm_bindgen]
pub fn complete(doc: &str, text: &[u8], offset: u32, definition: &[u8], explicit: bool) -> String {
    or_null(request(doc, text, offset, definition, explicit).and_then(|r| language::complete(&r)).map(|c| c.to_value()))
}

/// `{from, to, title, signature?, text, example?, link?}` as JSON text, or `null`.
#[wasm_bindgen]
pub fn hover(doc: &str, text: &[u8], offset: u32) -> String {
    or_null(request(doc, text, offset, b"", false).and_then(|r| language::hover(&r)).map(|h| h.to_value()))
}

/// `{label, parameters, active, doc?, link?}` as JSON text, or `null`.
#[wasm_bindgen]
pub fn signature(doc: &str, text: &[u8], offset: u32) -> String {
    or_null(request(doc, text, offset, b"", false).and_then(|r| language::signature(&r)).map(|s| s.to_value()))
}

/// One array of `{name, changes}` per diagnostic of `diagnostics` (a JSON array of
/// `{code, message, location}`), as JSON text; `[]` when the diagnostics are not JSON.
#[wasm_bindgen]
pub fn quick_fixes(doc: &str, text: &[u8], diagnostics: &str) -> String {
    let (Some(doc), Ok(text), Ok(Value::Array(list))) =
        (Doc::from_name(doc), std::str::from_utf8(text), json::parse(diagnostics))
    else {
        return "[]".to_string();
    };
    let requests: Vec<FixRequest> = list.iter().map(FixRequest::from_value).collect();
    let fixes = language::quick_fixes(doc, text, &requests);
    let out: Vec<Value> =
        fixes.iter().map(|list| Value::from(list.iter().map(|f| f.to_value()).collect::<Vec<_>>())).collect();
    json::to_string(&Value::from(out))
}
