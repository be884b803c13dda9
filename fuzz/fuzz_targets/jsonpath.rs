//! Any text as a JSONPath (and a reference path), selected from a fixed document.
#![no_main]

use aslplay::json;
use aslplay::query::jsonpath::{Path, ReferencePath};
use aslplay::query::{Env, SeededRandom};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let doc = json::parse(r#"{"a": [1, 2.5, "x", {"b": [true, null]}], "c": {"d e": {"f": -1}}, "": 0}"#).unwrap();
    let mut random = SeededRandom(1);
    let env = Env { input: &doc, context: &doc, variables: &(), random: &mut random };
    if let Ok(p) = Path::parse(text) {
        let _ = p.select(&env);
    }
    if let Ok(r) = ReferencePath::parse(text) {
        let _ = r.assign(&doc, json::parse("[1]").unwrap());
    }
});
