//! Any text as an intrinsic function call, evaluated against a fixed input.
#![no_main]

use aslplay::json;
use aslplay::query::intrinsics::Intrinsic;
use aslplay::query::{Env, SeededRandom};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let doc =
        json::parse(r#"{"a": [1, 2, 2, "x"], "s": "a,b", "n": 3, "j": "{\"k\": [1]}", "b": "aGVsbG8="}"#).unwrap();
    let mut random = SeededRandom(1);
    let mut env = Env { input: &doc, context: &doc, variables: &(), random: &mut random };
    if let Ok(i) = Intrinsic::parse(text) {
        let _ = i.evaluate(&mut env, "x.$");
    }
});
