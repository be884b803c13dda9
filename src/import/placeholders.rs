//! `${name}` placeholders in a state machine definition, filled as CloudFormation fills
//! `DefinitionSubstitutions` (the text, before it is parsed), with where each one stands; and the
//! visible markers that stand for placeholders nothing fills, chosen so the definition still
//! validates and runs: a Lambda function ARN for a whole `Resource`, `1` for a whole number
//! field, the text `UNRESOLVED-name` anywhere else.

use crate::value::{Map, Value};

/// Fields whose value is a number, where a marker is `1`.
const NUMBER_FIELDS: &[&str] = &[
    "Seconds",
    "TimeoutSeconds",
    "HeartbeatSeconds",
    "MaxAttempts",
    "IntervalSeconds",
    "BackoffRate",
    "MaxDelaySeconds",
    "MaxConcurrency",
    "ToleratedFailureCount",
    "ToleratedFailurePercentage",
    "MaxItems",
    "MaxItemsPerBatch",
    "MaxInputBytesPerBatch",
];

/// One `${name}` in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Hit {
    pub name: String,
    /// Byte range of `${name}` in the text.
    pub start: usize,
    pub end: usize,
    /// 1-based line and column (in characters).
    pub line: usize,
    pub column: usize,
    /// Outside any string of a JSON text (`"Seconds": ${Delay}`).
    pub bare: bool,
}

/// Every `${name}` of a text, in order; `json` tells whether to track JSON strings.
pub(super) fn scan(text: &str, json: bool) -> Vec<Hit> {
    let mut hits = Vec::new();
    let (mut line, mut line_start) = (1, 0);
    let (mut in_string, mut escaped) = (false, false);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            b'"' if json && !escaped => in_string = !in_string,
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                let inner = text[i + 2..].find('}').map(|n| &text[i + 2..i + 2 + n]);
                if let Some(name) = inner.map(str::trim).filter(|n| is_name(n)) {
                    let column = text[line_start..i].chars().count() + 1;
                    let end = i + 2 + inner.map_or(0, str::len) + 1;
                    hits.push(Hit { name: name.to_string(), start: i, end, line, column, bare: json && !in_string });
                    i = end;
                    escaped = false;
                    continue;
                }
            }
            _ => {}
        }
        escaped = b == b'\\' && !escaped && in_string;
        i += 1;
    }
    hits
}

/// Whether the text between `${` and `}` is a placeholder's name: letters, digits and `_ . : -`
/// (`FnArn`, `AWS::Region`, `Fn.Arn`); Terraform's `${ name }` spacing is allowed around it.
fn is_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-'))
}

/// The text with each hit replaced by what `fill` answers (`Some(text)`); a hit it answers
/// `None` for stays `${name}` (quoted when bare in JSON, so the text parses), for
/// [`place_markers`] to replace after parsing.
pub(super) fn fill(text: &str, hits: &[Hit], mut fill: impl FnMut(&Hit) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for hit in hits {
        out.push_str(&text[at..hit.start]);
        match fill(hit) {
            Some(v) => out.push_str(&v),
            None if hit.bare => {
                out.push('"');
                out.push_str(&text[hit.start..hit.end]);
                out.push('"');
            }
            None => out.push_str(&text[hit.start..hit.end]),
        }
        at = hit.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Where a deployed resource lives, for the `Resource` marker.
pub(super) struct Place<'a> {
    pub partition: &'a str,
    pub region: &'a str,
    pub account: &'a str,
}

/// The marker for the placeholder `name` that nothing filled, in a string under `key`
/// (`whole` when the string is just the placeholder).
pub(super) fn marker(name: &str, key: Option<&str>, whole: bool, place: &Place) -> Value {
    match key {
        Some("Resource") if whole => {
            let safe: String =
                name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
            Value::from(format!(
                "arn:{}:lambda:{}:{}:function:UNRESOLVED-{safe}",
                place.partition, place.region, place.account
            ))
        }
        // 1 is within every number field's range (TimeoutSeconds and BackoffRate start at 1).
        Some(k) if whole && NUMBER_FIELDS.contains(&k) => Value::from(1),
        _ => Value::from(marker_text(name)),
    }
}

/// The marker inside a longer string.
pub(super) fn marker_text(name: &str) -> String {
    format!("UNRESOLVED-{name}")
}

/// Replaces, in every string and key of a parsed definition, the `${name}` placeholders of
/// `names` by their markers. Returns the JSON pointers (within the definition) where each name
/// was replaced, in document order.
pub(super) fn place_markers(v: &Value, names: &[String], place: &Place) -> (Value, Vec<(String, String)>) {
    let mut found = Vec::new();
    let out = walk(v, names, place, None, &mut String::new(), &mut found, 0);
    (out, found)
}

fn walk(
    v: &Value,
    names: &[String],
    place: &Place,
    key: Option<&str>,
    pointer: &mut String,
    found: &mut Vec<(String, String)>,
    depth: usize,
) -> Value {
    if depth > 512 {
        return v.clone();
    }
    match v {
        Value::String(s) if s.contains("${") => {
            let mut text = s.to_string();
            for name in names {
                let token = format!("${{{name}}}");
                if !text.contains(&token) {
                    continue;
                }
                found.push((name.clone(), pointer.clone()));
                if text == token {
                    return marker(name, key, true, place);
                }
                text = text.replace(&token, &marker_text(name));
            }
            Value::from(text)
        }
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{i}"));
                out.push(walk(item, names, place, key, pointer, found, depth + 1));
                pointer.truncate(len);
            }
            Value::from(out)
        }
        Value::Object(m) => {
            let mut out = Map::with_capacity(m.len());
            for (k, val) in m.iter() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&crate::json::pointer_token(k));
                let mut key_text = k.to_string();
                for name in names {
                    let token = format!("${{{name}}}");
                    if key_text.contains(&token) {
                        found.push((name.clone(), pointer.clone()));
                        key_text = key_text.replace(&token, &marker_text(name));
                    }
                }
                out.insert(key_text, walk(val, names, place, Some(k), pointer, found, depth + 1));
                pointer.truncate(len);
            }
            Value::from(out)
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLACE: Place = Place { partition: "aws", region: "us-east-1", account: "123456789012" };

    #[test]
    fn scans_with_places_and_json_string_state() {
        let text = "{\"A\": \"${X}\",\n  \"Seconds\": ${Delay}, \"q\": \"\\\"${Y}\"}";
        let hits = scan(text, true);
        let names: Vec<(&str, usize, usize, bool)> =
            hits.iter().map(|h| (h.name.as_str(), h.line, h.column, h.bare)).collect();
        assert_eq!(names, [("X", 1, 8, false), ("Delay", 2, 14, true), ("Y", 2, 32, false)]);
        let filled = fill(text, &hits, |h| (h.name == "X").then(|| "x".to_string()));
        assert_eq!(filled, "{\"A\": \"x\",\n  \"Seconds\": \"${Delay}\", \"q\": \"\\\"${Y}\"}");
        // Not placeholders: unclosed, empty, spanning a line, an expression; spacing is allowed.
        assert!(scan("${ ${} ${a\nb} ${a + b} ${x", false).is_empty());
        let spaced = scan("${ var_1 }", false);
        assert_eq!((spaced[0].name.as_str(), spaced[0].end), ("var_1", 10));
    }

    #[test]
    fn markers_keep_the_definition_valid() {
        let v = crate::json::parse(
            r#"{"States": {"T": {"Type": "Task", "Resource": "${Fn}", "TimeoutSeconds": "${T}", "Parameters": {"Url": "https://${Host}/x", "${K}": 1}}}}"#,
        )
        .unwrap();
        let names: Vec<String> = ["Fn", "T", "Host", "K"].iter().map(|s| s.to_string()).collect();
        let (out, found) = place_markers(&v, &names, &PLACE);
        let t = out.get("States").unwrap().get("T").unwrap();
        assert_eq!(
            t.get("Resource").unwrap().as_str(),
            Some("arn:aws:lambda:us-east-1:123456789012:function:UNRESOLVED-Fn")
        );
        assert_eq!(t.get("TimeoutSeconds"), Some(&Value::from(1)));
        assert_eq!(t.get("Parameters").unwrap().to_string(), r#"{"Url":"https://UNRESOLVED-Host/x","UNRESOLVED-K":1}"#);
        let pointers: Vec<&str> = found.iter().map(|(_, p)| p.as_str()).collect();
        assert_eq!(
            pointers,
            ["/States/T/Resource", "/States/T/TimeoutSeconds", "/States/T/Parameters/Url", "/States/T/Parameters/${K}"]
        );
    }
}
