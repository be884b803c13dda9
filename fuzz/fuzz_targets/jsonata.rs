//! Any text as a JSONata expression, evaluated against a fixed input with tight limits.
#![no_main]

use aslplay::json;
use aslplay::jsonata::{Environment, Expression};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(expr) = Expression::parse(text) {
        let input = json::parse(r#"{"a": [1, 2, {"b": "x"}], "s": "hello", "n": 3.5, "o": {"k": null}}"#).unwrap();
        let mut env = Environment::new();
        env.set_max_steps(100_000);
        env.bind("v", json::parse("[1, \"two\", {\"three\": 3}]").unwrap());
        let _ = expr.evaluate(Some(&input), &env);
    }
});
