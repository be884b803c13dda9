//! Any text at any offset, to every entry point of the editor's language service (both
//! editors): each answers or answers nothing, never panics or hangs, and its ranges lie in
//! the text; the quick fixes of the validator's diagnostics apply to the text. The first two
//! bytes choose the offset, the rest is the text.
#![no_main]

use aslplay::language::{self, Doc, FixRequest, Request};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((head, rest)) = data.split_first_chunk::<2>() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let units = text.encode_utf16().count();
    let offset = usize::from(u16::from_le_bytes(*head)) % (units + 2);
    for doc in [Doc::Definition, Doc::Mock] {
        let r = Request { doc, text, offset, definition: text, explicit: head[0] & 1 == 0 };
        if let Some(c) = language::complete(&r) {
            assert!(c.from <= c.to && c.to <= units);
        }
        if let Some(h) = language::hover(&r) {
            assert!(h.from <= h.to && h.to <= units);
        }
        let _ = language::signature(&r);
    }
    let diagnostics: Vec<FixRequest> = aslplay::validate(text)
        .diagnostics
        .iter()
        .map(|d| FixRequest { code: d.code.to_string(), message: d.message.clone(), location: d.location.clone() })
        .collect();
    for fixes in language::quick_fixes(Doc::Definition, text, &diagnostics) {
        for f in fixes {
            assert!(f.apply_to(text).is_some(), "{f:?}");
        }
    }
});
