//! Helpers shared by the test crates that read the recorded conformance cases.

use aslplay::Value;
use std::rc::Rc;

/// Replaces the value at a JSON pointer (RFC 6901) with `with`; a pointer that names nothing
/// changes nothing.
pub fn replace_at(v: &mut Value, pointer: &str, with: Value) {
    let tokens: Vec<String> = pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
    fn go(v: &mut Value, tokens: &[String], with: Value) {
        let Some((first, rest)) = tokens.split_first() else {
            *v = with;
            return;
        };
        match v {
            Value::Object(m) => {
                if let Some(child) = Rc::make_mut(m).get_mut(first) {
                    go(child, rest, with);
                }
            }
            Value::Array(a) => {
                if let Some(child) = first.parse::<usize>().ok().and_then(|i| Rc::make_mut(a).get_mut(i)) {
                    go(child, rest, with);
                }
            }
            _ => {}
        }
    }
    go(v, &tokens, with);
}
