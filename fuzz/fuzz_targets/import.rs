//! Any text through the importers: YAML (with its source map), templates, the locating of
//! pointers, and history import must answer or refuse, never panic or run away.
#![no_main]

use aslplay::import;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = import::parse_yaml(text);
    if let Ok(found) = import::definitions_from_text(text) {
        for f in &found {
            let pointer = format!("{}/States", f.origin);
            let _ = import::locate_in_text(text, &[&pointer, "/Resources", ""]);
        }
    }
    if let Ok(history) = aslplay::json::parse(text) {
        let _ = import::import_history(&history, None, "", "");
    }
});
