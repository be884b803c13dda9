//! Any text as a definition: validation must answer, and a valid definition must run to an
//! end (the event limit stops loops) without panicking.
#![no_main]

use aslplay::{json, Definition, Execution, Options};
use libfuzzer_sys::fuzz_target;
use std::rc::Rc;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = aslplay::validate(text);
    if let Ok(def) = Definition::from_text(text) {
        let input = json::parse(r#"{"a": [1, "x", {"b": null}], "n": 3, "s": "2024-01-01T00:00:00Z"}"#).unwrap();
        let options = Options { max_events: 500, ..Options::default() };
        let mut exec = Execution::start(Rc::new(def), input, options);
        exec.run();
        for e in exec.history() {
            let _ = e.to_value();
        }
    }
});
