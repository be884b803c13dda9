//! YAML, the language people write state machines and CloudFormation/SAM templates in, read into
//! JSON values. The syntax is `saphyr-parser`'s (a YAML 1.2 parser that passes the YAML test
//! suite, events with positions); this module turns its events into values: the YAML 1.2 core
//! schema (so `on`, `yes` and `no` stay strings), anchors and aliases, keys in their order, and
//! the CloudFormation short tags (`!Ref x` → `{"Ref": "x"}`, `!GetAtt a.b` → `{"Fn::GetAtt":
//! ["a", "b"]}`, `!Sub ...` → `{"Fn::Sub": ...}`). Every node's position goes into a
//! [`SourceMap`], as the JSON parser's does, so diagnostics about a definition read from YAML
//! land on the right line.
//!
//! Refused with a clear error and a position: several documents in one text, collections as
//! mapping keys and duplicate keys (JSON has neither), the core tags on a node that does not fit
//! them (`!!int abc`). Other tags are accepted and leave the node as it is written. `.inf` and
//! `.nan`, which JSON cannot hold, stay strings. Nesting is bounded and aliases may not expand
//! to more than a million nodes (the "billion laughs" attack is refused).

use super::ImportError;
use crate::json::{pointer_token, SourceMap};
use crate::value::{Map, Number, Value};
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, StrInput, Tag};
use std::borrow::Cow;

/// How deeply collections may nest (aliases included).
const MAX_DEPTH: usize = 128;
/// How many nodes the document may hold once every alias is expanded.
const MAX_NODES: u64 = 1_000_000;

/// CloudFormation's short-form tags that become `{"Fn::Name": value}`.
const FN_TAGS: &[&str] = &[
    "And",
    "Base64",
    "Cidr",
    "Equals",
    "FindInMap",
    "GetAZs",
    "If",
    "ImportValue",
    "Join",
    "Length",
    "Not",
    "Or",
    "Select",
    "Split",
    "Sub",
    "ToJsonString",
    "Transform",
];

/// Parses YAML text (one document) into a JSON value.
///
/// ```
/// let v = aslplay::import::parse_yaml("StartAt: A\nStates:\n  A: {Type: Pass, End: true}\n").unwrap();
/// assert_eq!(v.to_string(), r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#);
/// let e = aslplay::import::parse_yaml("a: [1, 2").unwrap_err();
/// assert_eq!(e.line, Some(1));
/// ```
pub fn parse_yaml(text: &str) -> Result<Value, ImportError> {
    parse_yaml_with_source_map(text).map(|(value, _)| value)
}

/// Parses YAML text (one document) into a JSON value, with where each node starts: the map's
/// pointers are the value's JSON pointers, its positions lines and columns of `text`.
///
/// ```
/// let (v, map) = aslplay::import::parse_yaml_with_source_map("a:\n  - x\n  - {b: 1}\n").unwrap();
/// assert_eq!(v.to_string(), r#"{"a":["x",{"b":1}]}"#);
/// assert_eq!(map.locate("/a/1/b"), Some((3, 6)));
/// ```
pub fn parse_yaml_with_source_map(text: &str) -> Result<(Value, SourceMap), ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let normalized;
    let text = if text.contains('\r') {
        normalized = text.replace("\r\n", "\n").replace('\r', "\n");
        normalized.as_str()
    } else {
        text
    };
    let mut reader = Reader {
        events: Parser::new_from_str(text),
        text,
        map: SourceMap::for_text(text),
        pointer: String::new(),
        anchors: Vec::new(),
        nodes: 0,
        depth: 0,
        deepest: 0,
        open: Vec::new(),
    };
    let value = reader.stream()?;
    Ok((value, reader.map))
}

/// What an anchor names: its value, how many nodes it holds and how deep it nests.
struct Anchored {
    value: Value,
    nodes: u64,
    height: usize,
}

/// Turns the parser's events into a value, filling the source map as it goes.
struct Reader<'a> {
    events: Parser<'a, StrInput<'a>>,
    text: &'a str,
    map: SourceMap,
    /// The JSON pointer of the node being read.
    pointer: String,
    /// Anchored nodes by the parser's anchor id (ids start at 1).
    anchors: Vec<Option<Anchored>>,
    /// Nodes read so far, aliases counted as what they expand to.
    nodes: u64,
    depth: usize,
    /// The deepest level reached inside the node being read (aliases count as what they hold).
    deepest: usize,
    /// Where each collection being read starts (byte offset), innermost last.
    open: Vec<usize>,
}

impl<'a> Reader<'a> {
    fn error_at(&self, line: usize, column0: usize, message: impl Into<String>) -> ImportError {
        ImportError { pointer: String::new(), message: message.into(), line: Some(line), column: Some(column0 + 1) }
    }

    fn error(&self, span: Span, message: impl Into<String>) -> ImportError {
        self.error_at(span.start.line(), span.start.col(), message)
    }

    fn syntax_error(&self, e: &ScanError) -> ImportError {
        let (line, col) = (e.marker().line(), e.marker().col());
        let offset = self.map.offset_of(line, col);
        // A flow collection still open at the end of the text: point at its bracket.
        if self.text[offset.min(self.text.len())..].trim().is_empty() {
            if let Some(&start) = self.open.last() {
                if let Some(bracket @ ('[' | '{')) = self.text[start..].chars().next() {
                    let (line, column) = self.map.line_col(start);
                    return self.error_at(line, column - 1, format!("This '{bracket}' is never closed"));
                }
            }
        }
        if e.info().contains("recursion limit") {
            return self.error_at(line, col, format!("The YAML nests more than {MAX_DEPTH} levels deep"));
        }
        if e.info().contains("unknown anchor") {
            return self.error_at(line, col, unknown_alias(&self.text[offset..]));
        }
        // A JSONata expression written bare (`Output: {% $states.input %}`) reads as a flow
        // mapping whose `%` YAML reserves: say what to do instead.
        let line_text = self.text[self.map.offset_of(line, 0)..].lines().next().unwrap_or_default();
        let message = if line_text.contains("{%") && !line_text.contains("'{%") && !line_text.contains("\"{%") {
            "A JSONata expression {% ... %} must be quoted in YAML ('{% ... %}'), or YAML reads it as a mapping"
                .to_string()
        } else {
            let info = e.info();
            let mut chars = info.chars();
            match chars.next() {
                Some(first) => format!("Invalid YAML: {}{}", first.to_uppercase(), chars.as_str()),
                None => "Invalid YAML".to_string(),
            }
        };
        self.error_at(line, col, message)
    }

    fn next(&mut self) -> Result<(Event<'a>, Span), ImportError> {
        match self.events.next_event() {
            Some(Ok(event)) => Ok(event),
            Some(Err(e)) => Err(self.syntax_error(&e)),
            None => Err(self.error_at(1, 0, "Unexpected end of the YAML text")),
        }
    }

    fn offset(&self, span: Span) -> usize {
        self.map.offset_of(span.start.line(), span.start.col())
    }

    fn stream(&mut self) -> Result<Value, ImportError> {
        let mut document: Option<Value> = None;
        loop {
            let (event, span) = self.next()?;
            match event {
                Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
                Event::StreamEnd => return Ok(document.unwrap_or(Value::Null)),
                Event::DocumentStart(_) => {
                    if document.is_some() {
                        return Err(self.error(span, "The text holds several YAML documents: give one at a time"));
                    }
                    let (event, span) = self.next()?;
                    document = Some(self.node(event, span)?);
                }
                _ => return Err(self.error(span, "Unexpected YAML content outside a document")),
            }
        }
    }

    fn count(&mut self, n: u64, span: Span) -> Result<(), ImportError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return Err(self
                .error(span, format!("The YAML expands to more than {MAX_NODES} nodes (aliases included): refused")));
        }
        Ok(())
    }

    fn too_deep(&self, span: Span) -> ImportError {
        self.error(span, format!("The YAML nests more than {MAX_DEPTH} levels deep"))
    }

    /// One node, whose first event has been read; records where it starts.
    fn node(&mut self, event: Event<'a>, span: Span) -> Result<Value, ImportError> {
        let offset = self.offset(span);
        self.map.record_value(&self.pointer, offset);
        let nodes_before = self.nodes;
        let deepest_outside = std::mem::replace(&mut self.deepest, self.depth);
        let (value, anchor) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                self.count(1, span)?;
                (self.scalar(text, style, tag.as_deref(), span)?, anchor)
            }
            Event::SequenceStart(anchor, tag) => {
                self.enter(span)?;
                self.open.push(offset);
                let mut items = Vec::new();
                loop {
                    let (event, item_span) = self.next()?;
                    if let Event::SequenceEnd = event {
                        break;
                    }
                    let len = self.pointer.len();
                    self.pointer.push('/');
                    self.pointer.push_str(&items.len().to_string());
                    items.push(self.node(event, item_span)?);
                    self.pointer.truncate(len);
                }
                self.depth -= 1;
                self.open.pop();
                (self.collection(Value::from(items), tag.as_deref(), span)?, anchor)
            }
            Event::MappingStart(anchor, tag) => {
                self.enter(span)?;
                self.open.push(offset);
                let mut members = Map::new();
                loop {
                    let (event, key_span) = self.next()?;
                    if let Event::MappingEnd = event {
                        break;
                    }
                    let key = self.key(event, key_span)?;
                    if members.contains_key(&key) {
                        return Err(self.error(key_span, format!("Duplicate key '{key}'")));
                    }
                    let len = self.pointer.len();
                    self.pointer.push('/');
                    self.pointer.push_str(&pointer_token(&key));
                    let key_offset = self.offset(key_span);
                    self.map.record_key(&self.pointer, key_offset);
                    let (event, value_span) = self.next()?;
                    let value = self.node(event, value_span)?;
                    self.pointer.truncate(len);
                    members.push_unique(key, value);
                }
                self.depth -= 1;
                self.open.pop();
                (self.collection(Value::from(members), tag.as_deref(), span)?, anchor)
            }
            Event::Alias(id) => {
                let Some(Some(anchored)) = self.anchors.get(id) else {
                    return Err(self.error(span, unknown_alias(&self.text[offset..])));
                };
                let (value, nodes, height) = (anchored.value.clone(), anchored.nodes, anchored.height);
                if self.depth + height > MAX_DEPTH {
                    return Err(self.too_deep(span));
                }
                self.count(nodes, span)?;
                self.deepest = deepest_outside.max(self.depth + height);
                return Ok(value);
            }
            _ => return Err(self.error(span, "Unexpected YAML content")),
        };
        let height = self.deepest - self.depth;
        self.deepest = self.deepest.max(deepest_outside);
        if anchor > 0 {
            self.anchor(anchor, value.clone(), self.nodes - nodes_before, height);
        }
        Ok(value)
    }

    /// Names a node by the parser's anchor id (0: none), for the aliases after it.
    fn anchor(&mut self, id: usize, value: Value, nodes: u64, height: usize) {
        if id == 0 {
            return;
        }
        if self.anchors.len() <= id {
            self.anchors.resize_with(id + 1, || None);
        }
        self.anchors[id] = Some(Anchored { value, nodes, height });
    }

    fn enter(&mut self, span: Span) -> Result<(), ImportError> {
        self.depth += 1;
        self.deepest = self.deepest.max(self.depth);
        if self.depth > MAX_DEPTH {
            return Err(self.too_deep(span));
        }
        Ok(())
    }

    /// A mapping key: JSON keys are text, so a scalar (as written) or an alias of one.
    fn key(&mut self, event: Event<'a>, span: Span) -> Result<String, ImportError> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                self.count(1, span)?;
                let value = self.scalar(text.clone(), style, tag.as_deref(), span)?;
                let key = match (style, &value) {
                    (_, Value::String(s)) => s.to_string(),
                    (ScalarStyle::Plain, Value::Null) if text.is_empty() => String::new(),
                    _ => text.into_owned(),
                };
                self.anchor(anchor, value, 1, 0);
                Ok(key)
            }
            Event::Alias(id) => match self.anchors.get(id) {
                Some(Some(Anchored { value: Value::String(s), .. })) => Ok(s.to_string()),
                Some(Some(Anchored { value: v @ (Value::Number(_) | Value::Bool(_)), .. })) => Ok(v.to_string()),
                Some(Some(Anchored { value: Value::Null, .. })) => Ok(String::new()),
                Some(Some(_)) => Err(self.error(span, "A collection cannot be a mapping key (JSON keys are text)")),
                _ => Err(self.error(span, unknown_alias(&self.text[self.offset(span)..]))),
            },
            _ => Err(self.error(span, "A collection cannot be a mapping key (JSON keys are text)")),
        }
    }

    fn scalar(
        &self,
        text: Cow<'a, str>,
        style: ScalarStyle,
        tag: Option<&Tag>,
        span: Span,
    ) -> Result<Value, ImportError> {
        let Some(tag) = tag else {
            return Ok(match style {
                ScalarStyle::Plain => resolve_plain(&text),
                _ => Value::from(text.as_ref()),
            });
        };
        let name = tag_name(tag);
        let mismatch = |what: &str| self.error(span, format!("The tag {name} needs {what}"));
        Ok(match name.as_str() {
            "!!int" | "!!float" => match resolve_plain(&text) {
                v @ Value::Number(_) => v,
                _ => return Err(mismatch("a number")),
            },
            "!!bool" => match resolve_plain(&text) {
                v @ Value::Bool(_) => v,
                _ => return Err(mismatch("true or false")),
            },
            "!!null" => match resolve_plain(&text) {
                Value::Null => Value::Null,
                _ => return Err(mismatch("null")),
            },
            "!!map" => return Err(mismatch("a mapping")),
            "!!seq" => return Err(mismatch("a sequence")),
            "!GetAtt" => match text.split_once('.') {
                Some((resource, attribute)) => {
                    wrap("Fn::GetAtt", Value::from(vec![Value::from(resource), Value::from(attribute)]))
                }
                None => wrap("Fn::GetAtt", Value::from(text.as_ref())),
            },
            other => match cloudformation_key(other) {
                Some(key) => wrap(&key, Value::from(text.as_ref())),
                // `!!str`, `!` and any other tag: the text as written.
                None => Value::from(text.as_ref()),
            },
        })
    }

    fn collection(&self, value: Value, tag: Option<&Tag>, span: Span) -> Result<Value, ImportError> {
        let Some(tag) = tag else { return Ok(value) };
        let name = tag_name(tag);
        let fits = match name.as_str() {
            "!!map" => value.is_object(),
            "!!seq" => value.is_array(),
            "!!str" | "!!int" | "!!float" | "!!bool" | "!!null" => false,
            _ => true,
        };
        if !fits {
            let what = match name.as_str() {
                "!!map" => "a mapping",
                "!!seq" => "a sequence",
                _ => "a scalar",
            };
            return Err(self.error(span, format!("The tag {name} needs {what}")));
        }
        Ok(match name.as_str() {
            "!GetAtt" => wrap("Fn::GetAtt", value),
            other => match cloudformation_key(other) {
                Some(key) => wrap(&key, value),
                None => value,
            },
        })
    }
}

/// The error for an alias (at the start of `text`) that names no complete anchored node.
fn unknown_alias(text: &str) -> String {
    let name: String =
        text.chars().skip(1).take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}')).collect();
    format!("Unknown alias '*{name}': an alias must name an anchor (&{name}) set on a node that ends before it")
}

/// A tag as written: `!!str` for YAML's core tags, `!Ref` for local ones.
fn tag_name(tag: &Tag) -> String {
    if tag.is_yaml_core_schema() {
        format!("!!{}", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    }
}

/// The key of a CloudFormation short-form tag's long form (`!Sub` → `Fn::Sub`, `!Ref` → `Ref`).
fn cloudformation_key(tag: &str) -> Option<String> {
    match tag {
        "!Ref" => Some("Ref".to_string()),
        "!Condition" => Some("Condition".to_string()),
        _ => tag.strip_prefix('!').filter(|name| FN_TAGS.contains(name)).map(|name| format!("Fn::{name}")),
    }
}

fn wrap(key: &str, v: Value) -> Value {
    let mut m = Map::new();
    m.push_unique(key, v);
    Value::from(m)
}

/// The YAML 1.2 core schema: null, booleans, integers (decimal, `0o`, `0x`) and floats;
/// everything else is a string.
fn resolve_plain(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    if !unsigned.is_empty() && unsigned.bytes().all(|c| c.is_ascii_digit()) {
        return match s.parse::<i64>() {
            Ok(i) => Value::Number(Number::Int(i)),
            Err(_) => {
                crate::number_parse::parse_f64(s).map_or_else(|| Value::from(s), |f| Value::Number(Number::Float(f)))
            }
        };
    }
    for (prefix, radix) in [("0o", 8), ("0x", 16)] {
        if let Some(digits) = s.strip_prefix(prefix) {
            if !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix)) {
                return i64::from_str_radix(digits, radix)
                    .map_or_else(|_| Value::from(s), |i| Value::Number(Number::Int(i)));
            }
        }
    }
    if is_core_float(unsigned) {
        if let Some(f) = crate::number_parse::parse_f64(s) {
            if f.is_finite() {
                return Value::Number(Number::Float(f));
            }
        }
    }
    Value::from(s)
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_core_float(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            int.bytes().all(|c| c.is_ascii_digit())
                && frac.bytes().all(|c| c.is_ascii_digit())
                && (!int.is_empty() || !frac.is_empty())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|c| c.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let digits = e.strip_prefix(['-', '+']).unwrap_or(e);
        !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn y(text: &str) -> String {
        match parse_yaml(text) {
            Ok(v) => v.to_string(),
            Err(e) => panic!("{e}"),
        }
    }

    fn err(text: &str) -> ImportError {
        match parse_yaml(text) {
            Ok(v) => panic!("expected an error, got {v}"),
            Err(e) => e,
        }
    }

    fn same(text: &str, json_text: &str) {
        let want = json::parse(json_text).unwrap();
        let got = parse_yaml(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got.to_string(), want.to_string(), "for {text:?}");
    }

    #[test]
    fn block_mappings_and_sequences() {
        same("a: 1\nb: two\n", r#"{"a":1,"b":"two"}"#);
        same(
            "outer:\n  inner:\n    deep: x\n  next: y\nlast: z",
            r#"{"outer":{"inner":{"deep":"x"},"next":"y"},"last":"z"}"#,
        );
        same("- a\n- b\n-   c\n", r#"["a","b","c"]"#);
        same("key:\n- 1\n- 2\nother: 3\n", r#"{"key":[1,2],"other":3}"#);
        same("key:\n  - 1\n  - 2\n", r#"{"key":[1,2]}"#);
        same("- a: 1\n  b: 2\n- c: 3\n", r#"[{"a":1,"b":2},{"c":3}]"#);
        same("- - x\n  - y\n- z\n", r#"[["x","y"],"z"]"#);
        same("- \n  a: 1\n-\n- last", r#"[{"a":1},null,"last"]"#);
        same("empty:\nnext: 1\n", r#"{"empty":null,"next":1}"#);
        same("\"quoted key\": 1\n'single': 2\nspaced key  : 3\n", r#"{"quoted key":1,"single":2,"spaced key":3}"#);
        same("200: OK\ntrue: yes\n", r#"{"200":"OK","true":"yes"}"#);
        same("url: http://example.com:80/x\nratio: a:b\n", r#"{"url":"http://example.com:80/x","ratio":"a:b"}"#);
    }

    #[test]
    fn keys_keep_their_order() {
        assert_eq!(y("z: 1\na: 2\nm: 3"), r#"{"z":1,"a":2,"m":3}"#);
    }

    #[test]
    fn flow_collections() {
        same("{a: 1, b: [x, y], c: {d: e}}", r#"{"a":1,"b":["x","y"],"c":{"d":"e"}}"#);
        same("k: [1, 2.5, 'three', \"four\", null, true]", r#"{"k":[1,2.5,"three","four",null,true]}"#);
        same("k: {a, b: }", r#"{"k":{"a":null,"b":null}}"#);
        same("k: [a: 1, b]", r#"{"k":[{"a":1},"b"]}"#);
        same("k: [\n  one,   # comment\n  two words,\n]\n", r#"{"k":["one","two words"]}"#);
        same("k: {\"a\":1, 'b':2}", r#"{"k":{"a":1,"b":2}}"#);
        same("k: {a:1}", r#"{"k":{"a:1":null}}"#);
        same("k: []\nl: {}", r#"{"k":[],"l":{}}"#);
        same("[multi\n  line, x]", r#"["multi line","x"]"#);
    }

    #[test]
    fn json_is_yaml() {
        let text = "{\n  \"StartAt\": \"A\",\n  \"States\": {\"A\": {\"Type\": \"Pass\", \"Result\": [1, -2.5e3, \"\\u00e9\\n\"], \"End\": true}}\n}\n";
        assert_eq!(y(text), json::parse(text).unwrap().to_string());
    }

    #[test]
    fn plain_scalars_fold_over_lines() {
        same("a: this is\n  a long\n\n  value\nb: 1", r#"{"a":"this is a long\nvalue","b":1}"#);
        same("- one\n  two  # comment\n- three", r#"["one two","three"]"#);
        same("a: value # comment\nb: x#not comment", r##"{"a":"value","b":"x#not comment"}"##);
    }

    #[test]
    fn quoted_scalars_and_escapes() {
        same(
            r#"a: "tab\tnl\nq\"bs\\sl\/u\u00e9x\x41U\U0001F600""#,
            "{\"a\":\"tab\\tnl\\nq\\\"bs\\\\sl/u\u{e9}xAU\u{1F600}\"}",
        );
        // YAML's \u is a code point, so a UTF-16 surrogate pair (JSON's way to write 😀) is refused.
        assert_eq!(err(r#"a: "\uD83D\uDE00""#).line, Some(1));
        same("a: 'it''s # not a comment'", r#"{"a":"it's # not a comment"}"#);
        same("a: \"folded\n  over   \n\n  lines\"", r#"{"a":"folded over\nlines"}"#);
        same("a: \"joined\\\n   together\"", r#"{"a":"joinedtogether"}"#);
        same("a: 'single\n  folded'", r#"{"a":"single folded"}"#);
        same("a: \"\\ttab kept\\t\n  x\"", r#"{"a":"\ttab kept\t x"}"#);
        same("a: \"\"\nb: ''", r#"{"a":"","b":""}"#);
    }

    #[test]
    fn block_scalars() {
        same("a: |\n  line 1\n  line 2\n\nb: 1", r#"{"a":"line 1\nline 2\n","b":1}"#);
        same("a: |-\n  line 1\n  line 2\n\n", r#"{"a":"line 1\nline 2"}"#);
        same("a: |+\n  line 1\n\n\nb: 1", r#"{"a":"line 1\n\n\n","b":1}"#);
        same(
            "a: >\n  folded\n  text\n\n  para\n    more indented\n  back\n",
            r#"{"a":"folded text\npara\n  more indented\nback\n"}"#,
        );
        same("a: >-\n  one\n  two\n", r#"{"a":"one two"}"#);
        same("a: |2\n    indented\n  base\n", r#"{"a":"  indented\nbase\n"}"#);
        same("a: |-2\n    x\n", r#"{"a":"  x"}"#);
        same(
            "a: |\n  # not a comment\n  {\"json\": true}\nb: |\nc: 1",
            r##"{"a":"# not a comment\n{\"json\": true}\n","b":"","c":1}"##,
        );
        same("- |\n  item\n- >\n  next\n", r#"["item\n","next\n"]"#);
        same("a: | # a comment\n  x\n", r#"{"a":"x\n"}"#);
        same("--- |\n  top\n", r#""top\n""#);
    }

    #[test]
    fn core_schema_types() {
        same(
            "n1: null\nn2: ~\nn3:\nb1: true\nb2: False\ni: -42\nh: 0x1F\no: 0o17\nf: 3.5\ne: 1e3\nd: .5\ns1: on\ns2: yes\ns3: no\ns4: 1_000\ns5: '123'\ninf: .inf\nbig: 99999999999999999999",
            r#"{"n1":null,"n2":null,"n3":null,"b1":true,"b2":false,"i":-42,"h":31,"o":15,"f":3.5,"e":1000.0,"d":0.5,"s1":"on","s2":"yes","s3":"no","s4":"1_000","s5":"123","inf":".inf","big":1e20}"#,
        );
        assert_eq!(parse_yaml("i: 7").unwrap().get("i"), Some(&Value::Number(Number::Int(7))));
    }

    #[test]
    fn comments_and_documents() {
        same(
            "# leading\n%YAML 1.2\n---\n# c\na: 1 # trailing\n   # indented comment\nb: 2\n...\n# after\n",
            r#"{"a":1,"b":2}"#,
        );
        same("", "null");
        same("# only comments\n", "null");
        same("---\n", "null");
        same("--- 5", "5");
        assert!(err("a: 1\n---\nb: 2\n").message.contains("several YAML documents"));
    }

    #[test]
    fn anchors_and_aliases() {
        same("base: &b {x: 1}\nuse: *b\nlist: [*b, *b]", r#"{"base":{"x":1},"use":{"x":1},"list":[{"x":1},{"x":1}]}"#);
        same("a: &v 5\nb: *v", r#"{"a":5,"b":5}"#);
        same("a: &m\n  k: v\nb: *m", r#"{"a":{"k":"v"},"b":{"k":"v"}}"#);
        same("- &s text\n- *s", r#"["text","text"]"#);
        let e = err("a: *nope");
        assert!(e.message.contains("Unknown alias '*nope'"), "{e}");
        assert_eq!((e.line, e.column), (Some(1), Some(4)));
        let e = err("a: &a [1, *a]");
        assert!(e.message.contains("Unknown alias '*a'"), "{e}");
        assert_eq!((e.line, e.column), (Some(1), Some(11)));
    }

    #[test]
    fn a_billion_laughs_is_refused() {
        let mut text =
            String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            text.push_str(&format!("{}: &{} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n", w[1], w[1], p = w[0]));
        }
        let e = err(&text);
        assert!(e.message.contains("expands to more than"), "{e}");
        // Aliases nesting aliases beyond the depth bound are refused too.
        let mut text = String::from("a0: &a0 [[[[[[[[[[1]]]]]]]]]]\n");
        for i in 1..20 {
            text.push_str(&format!("a{i}: &a{i} [[[[[[[[[[*a{}]]]]]]]]]]\n", i - 1));
        }
        assert!(err(&text).message.contains("levels deep"));
    }

    #[test]
    fn cloudformation_short_tags() {
        same("r: !Ref MyTable", r#"{"r":{"Ref":"MyTable"}}"#);
        same("g: !GetAtt MyFunction.Arn", r#"{"g":{"Fn::GetAtt":["MyFunction","Arn"]}}"#);
        same("g: !GetAtt [MyFunction, Arn]", r#"{"g":{"Fn::GetAtt":["MyFunction","Arn"]}}"#);
        same("s: !Sub 'arn:aws:s3:::${Bucket}/*'", r#"{"s":{"Fn::Sub":"arn:aws:s3:::${Bucket}/*"}}"#);
        same("s: !Sub\n  - '${A}-${B}'\n  - B: !Ref X\n", r#"{"s":{"Fn::Sub":["${A}-${B}",{"B":{"Ref":"X"}}]}}"#);
        same("j: !Join [':', [a, !Ref B]]", r#"{"j":{"Fn::Join":[":",["a",{"Ref":"B"}]]}}"#);
        same("s: !Select [0, !GetAZs '']", r#"{"s":{"Fn::Select":[0,{"Fn::GetAZs":""}]}}"#);
        same(
            "i: !If [IsProd, !Equals [a, b], !Not [!Condition C]]",
            r#"{"i":{"Fn::If":["IsProd",{"Fn::Equals":["a","b"]},{"Fn::Not":[{"Condition":"C"}]}]}}"#,
        );
        same("f: !FindInMap [M, !Ref 'AWS::Region', k]", r#"{"f":{"Fn::FindInMap":["M",{"Ref":"AWS::Region"},"k"]}}"#);
        same(
            "i: !ImportValue shared-arn\nb: !Base64 text\ns: !Split [',', 'a,b']\nc: !Cidr [x, 6, 5]",
            r#"{"i":{"Fn::ImportValue":"shared-arn"},"b":{"Fn::Base64":"text"},"s":{"Fn::Split":[",","a,b"]},"c":{"Fn::Cidr":["x",6,5]}}"#,
        );
        same("d: !Sub |\n  {\"a\": \"${X}\"}\n", r#"{"d":{"Fn::Sub":"{\"a\": \"${X}\"}\n"}}"#);
        same("r: !Ref 123\nt: !!str true\nn: !!int '7'", r#"{"r":{"Ref":"123"},"t":"true","n":7}"#);
        same("v: !Ref\nw: 1", r#"{"v":{"Ref":""},"w":1}"#);
        same("k: &anchor !Ref X\nl: *anchor", r#"{"k":{"Ref":"X"},"l":{"Ref":"X"}}"#);
    }

    #[test]
    fn errors_have_lines_and_columns() {
        let cases: &[(&str, &str, usize, usize)] = &[
            ("a: 1\na: 2", "Duplicate key 'a'", 2, 1),
            ("a:\n  b: 1\n c: 2", "did not find expected key", 3, 2),
            ("a: b: c", "Mapping values are not allowed", 1, 5),
            ("a: [1, 2", "This '[' is never closed", 1, 4),
            ("a: {x: 1", "This '{' is never closed", 1, 4),
            ("a: \"open", "unexpected end of stream", 1, 4),
            ("a: 'open", "unexpected end of stream", 1, 4),
            ("a: \"\\q\"", "unknown escape character", 1, 4),
            ("a: \"\\u12\"", "hexadecimal number", 1, 4),
            ("a:\n\tb: 1", "Tabs disallowed", 2, 2),
            ("a: [1,, 2]", "did not find expected node content", 1, 7),
            ("a: [\"x\" y]", "Invalid trailing content", 1, 9),
            ("a: @x", "Unexpected character: `@'", 1, 4),
            ("a: 1\n- b", "did not find expected key", 2, 3),
            ("- a\nb: 1", "did not find expected '-' indicator", 2, 1),
            ("a: |x\n  t", "block scalar", 1, 4),
            ("a: - b", "Block sequence entries are not allowed", 1, 4),
            ("{a: 1}: b", "A collection cannot be a mapping key", 1, 1),
            ("a: [- b]", "only valid inside a block", 1, 5),
            ("a: \"x\" y", "Invalid trailing content", 1, 8),
            ("é: 1\né: 2", "Duplicate key", 2, 1),
            ("k: ab\n  c: d", "Mapping values are not allowed", 2, 4),
            ("a: x\n  é: [1", "Mapping values are not allowed", 2, 4),
            ("Output: {% $states.input %}", "must be quoted in YAML", 1, 10),
            ("a: 1\n%YAML 1.2\n", "document end marker", 2, 1),
            ("n: !!int abc", "needs a number", 1, 4),
            ("b: !!bool 1", "needs true or false", 1, 4),
            ("m: !!map [1]", "needs a mapping", 1, 4),
            ("a: & x", "anchor or alias", 1, 4),
            ("a: \"\\uD800x\"", "invalid Unicode character escape", 1, 4),
            ("a: %x", "Unexpected character: `%'", 1, 4),
            ("a: ]", "Misplaced bracket", 1, 4),
            ("a: [1]]", "Misplaced bracket", 1, 7),
        ];
        for (text, message, line, column) in cases {
            let e = err(text);
            assert!(e.message.contains(message), "{text:?}: {e}");
            assert_eq!((e.line, e.column), (Some(*line), Some(*column)), "{text:?}: {e}");
        }
    }

    #[test]
    fn what_yaml_allows_and_json_can_hold_is_read() {
        same("? complex\n: value", r#"{"complex":"value"}"#);
        same("&x a: 1\nb: *x", r#"{"a":1,"b":"a"}"#);
        same("!!str 1: x\n!local k: !local v", r#"{"1":"x","k":"v"}"#);
        same("a: !Foo x\nb: !<tag:example.com,2000:x> [1]", r#"{"a":"x","b":[1]}"#);
        same(": v", r#"{"":"v"}"#);
        same("a: 1\t# tab before a comment\nb: [x,\ty]", r#"{"a":1,"b":["x","y"]}"#);
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = "[".repeat(100_000);
        assert!(err(&deep).message.contains("levels deep"));
        let mut block = String::new();
        for i in 0..300 {
            block.push_str(&" ".repeat(i));
            block.push_str("k:\n");
        }
        assert!(err(&block).message.contains("levels deep"));
        let dashes = "- ".repeat(10_000) + "x";
        assert!(err(&dashes).message.contains("levels deep"));
    }

    #[test]
    fn crlf_and_bom() {
        same("\u{feff}a: 1\r\nb:\r\n  - x\r\n", r#"{"a":1,"b":["x"]}"#);
    }

    #[test]
    fn never_panics_on_prefixes_of_valid_text() {
        let text = "Resources:\n  M: &m\n    Type: \"AWS::StepFunctions::StateMachine\"\n    Properties:\n      Definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}\n      List: [!Ref X, !GetAtt a.b, 'q''s', \"\\u00e9\\\n        x\"]\n      Text: |+2\n          body é\n\n      Folded: >-\n        a\n         b\n  N: *m\n";
        for (i, _) in text.char_indices() {
            let _ = parse_yaml(&text[..i]);
            let _ = parse_yaml(&text[i..]);
        }
        assert!(parse_yaml(text).is_ok());
    }
}
