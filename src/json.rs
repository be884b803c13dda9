//! JSON text in and out: a strict parser that can remember where each value stood in the
//! source (for diagnostics that point at a line and column), and compact or indented
//! printers that format numbers as AWS does (also `Value`'s `Display` and `json_len`, so that
//! the value module below does not import this one back).

use crate::value::{Map, Number, Value};
use std::fmt::Write;
use std::rc::Rc;

/// How deep arrays and objects may nest before the parser refuses the text.
pub const MAX_DEPTH: usize = 1000;

/// A syntax error in JSON text, with where it was found.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonError {
    pub message: String,
    /// Byte offset in the text.
    pub offset: usize,
    /// 1-based line and column (column counted in characters).
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at line {}, column {}", self.message, self.line, self.column)
    }
}

impl std::error::Error for JsonError {}

/// Where each value of a parsed document starts, keyed by its JSON pointer (`""` for the
/// root, `/States/Foo/Next`); for object members, also where the key starts.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    values: Map<usize>,
    keys: Map<usize>,
    line_starts: Vec<usize>,
    text: Rc<str>,
}

impl SourceMap {
    /// Byte offset of the value at `pointer`.
    pub fn value_offset(&self, pointer: &str) -> Option<usize> {
        self.values.get(pointer).copied()
    }

    /// Byte offset of the key of the member at `pointer` (the value's if it has no key).
    pub fn key_offset(&self, pointer: &str) -> Option<usize> {
        self.keys.get(pointer).or_else(|| self.values.get(pointer)).copied()
    }

    /// 1-based line and column (in characters) of the byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = self.text.get(start..offset.min(self.text.len())).map_or(0, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// An empty map over `text`, for a reader of another syntax (the YAML importer) to fill
    /// with [`SourceMap::record_value`] and [`SourceMap::record_key`].
    pub fn for_text(text: &str) -> SourceMap {
        SourceMap { line_starts: line_starts(text), text: Rc::from(text), ..SourceMap::default() }
    }

    /// Records that the value at `pointer` starts at byte `offset` of the text.
    pub fn record_value(&mut self, pointer: &str, offset: usize) {
        self.values.insert(Rc::from(pointer), offset);
    }

    /// Records that the key of the member at `pointer` starts at byte `offset` of the text.
    pub fn record_key(&mut self, pointer: &str, offset: usize) {
        self.keys.insert(Rc::from(pointer), offset);
    }

    /// The byte offset of a 1-based line and 0-based column in characters (clamped to the
    /// line), the inverse of [`SourceMap::line_col`].
    pub fn offset_of(&self, line: usize, column0: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else { return self.text.len() };
        let rest = &self.text[start..];
        let line_text = &rest[..rest.find('\n').unwrap_or(rest.len())];
        start + line_text.char_indices().nth(column0).map_or(line_text.len(), |(i, _)| i)
    }

    /// Line and column of the place a pointer names: the member's key when it has one, or
    /// the nearest enclosing value that exists.
    pub fn locate(&self, pointer: &str) -> Option<(usize, usize)> {
        let mut p = pointer;
        loop {
            if let Some(off) = self.key_offset(p) {
                return Some(self.line_col(off));
            }
            if p.is_empty() {
                return None;
            }
            p = &p[..p.rfind('/').unwrap_or(0)];
        }
    }
}

/// Parses JSON text.
///
/// ```
/// let v = aslplay::json::parse("[1, {\"a\": null}]").unwrap();
/// assert_eq!(v.to_string(), "[1,{\"a\":null}]");
/// assert!(aslplay::json::parse("{").is_err());
/// ```
pub fn parse(text: &str) -> Result<Value, JsonError> {
    let mut p = Parser { text, bytes: text.as_bytes(), pos: 0, spans: None };
    p.document()
}

/// Parses JSON text and records where every value and key starts.
pub fn parse_with_source_map(text: &str) -> Result<(Value, SourceMap), JsonError> {
    let mut map = SourceMap::default();
    let mut p = Parser { text, bytes: text.as_bytes(), pos: 0, spans: Some((String::new(), &mut map)) };
    let v = p.document()?;
    map.line_starts = line_starts(text);
    map.text = Rc::from(text);
    Ok((v, map))
}

fn line_starts(text: &str) -> Vec<usize> {
    let mut v = vec![0];
    v.extend(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1));
    v
}

/// Escapes a key for use as one JSON pointer token (RFC 6901).
pub fn pointer_token(key: &str) -> std::borrow::Cow<'_, str> {
    if key.contains(['~', '/']) {
        key.replace('~', "~0").replace('/', "~1").into()
    } else {
        key.into()
    }
}

struct Parser<'a, 'm> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// The current pointer and the map being filled, when positions are wanted.
    spans: Option<(String, &'m mut SourceMap)>,
}

impl Parser<'_, '_> {
    fn document(&mut self) -> Result<Value, JsonError> {
        self.skip_ws();
        let v = self.value(0)?;
        self.skip_ws();
        if self.pos < self.bytes.len() {
            return Err(self.error("Unexpected text after the JSON value"));
        }
        Ok(v)
    }

    fn error(&self, message: &str) -> JsonError {
        let upto = &self.text[..floor_char_boundary(self.text, self.pos)];
        let line = upto.matches('\n').count() + 1;
        let column = upto.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        JsonError { message: message.to_string(), offset: self.pos, line, column }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    #[cfg_attr(aslplay_speed, optimize(speed))]
    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        if let Some((ptr, map)) = &mut self.spans {
            map.values.insert(Rc::from(ptr.as_str()), self.pos);
        }
        match self.bytes.get(self.pos) {
            None => Err(self.error("Unexpected end of input")),
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => Ok(Value::String(self.string()?)),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.unexpected_value()),
        }
    }

    /// A value that is none of JSON's, in the words of the Jackson parser AWS runs (its
    /// answer to a definition or an input that is not JSON).
    fn unexpected_value(&self) -> JsonError {
        let rest = &self.text[floor_char_boundary(self.text, self.pos)..];
        let token: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').take(256).collect();
        if token.is_empty() {
            let c = rest.chars().next().unwrap_or(' ');
            self.error(&format!(
                "Unexpected character ('{c}' (code {})): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                c as u32
            ))
        } else {
            self.error(&format!(
                "Unrecognized token '{token}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
            ))
        }
    }

    fn literal(&mut self, word: &str, v: Value) -> Result<Value, JsonError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(v)
        } else {
            Err(self.unexpected_value())
        }
    }

    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.pos;
        let b = self.bytes;
        let negative = b.get(self.pos) == Some(&b'-');
        if negative {
            self.pos += 1;
        }
        // The integer part is added up while it is read: most numbers are small integers.
        let digits_start = self.pos;
        let mut n = 0i64;
        match b.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                while let Some(&d @ b'0'..=b'9') = b.get(self.pos) {
                    n = n.wrapping_mul(10).wrapping_add(i64::from(d - b'0'));
                    self.pos += 1;
                }
            }
            _ => return Err(self.error("Invalid number")),
        }
        let digits = self.pos - digits_start;
        let mut float = false;
        if b.get(self.pos) == Some(&b'.') {
            float = true;
            self.pos += 1;
            if !matches!(b.get(self.pos), Some(b'0'..=b'9')) {
                return Err(self.error("Invalid number"));
            }
            while let Some(b'0'..=b'9') = b.get(self.pos) {
                self.pos += 1;
            }
        }
        if let Some(b'e' | b'E') = b.get(self.pos) {
            float = true;
            self.pos += 1;
            if let Some(b'+' | b'-') = b.get(self.pos) {
                self.pos += 1;
            }
            if !matches!(b.get(self.pos), Some(b'0'..=b'9')) {
                return Err(self.error("Invalid number"));
            }
            while let Some(b'0'..=b'9') = b.get(self.pos) {
                self.pos += 1;
            }
        }
        // Up to 18 digits always fit an i64 (the sum above did not wrap).
        if !float && digits <= 18 {
            return Ok(Value::Number(Number::Int(if negative { -n } else { n })));
        }
        let s = &self.text[start..self.pos];
        if !float {
            if let Ok(i) = s.parse::<i64>() {
                return Ok(Value::Number(Number::Int(i)));
            }
        }
        match crate::number_parse::parse_f64(s) {
            Some(f) if f.is_finite() => Ok(Value::Number(Number::Float(f))),
            _ => Err(self.error("Number out of range")),
        }
    }

    fn string(&mut self) -> Result<Rc<str>, JsonError> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        let mut plain = true;
        loop {
            let start = self.pos;
            while let Some(&c) = self.bytes.get(self.pos) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            if plain && self.bytes.get(self.pos) == Some(&b'"') {
                // No escapes: the text is the value, copied once.
                self.pos += 1;
                return Ok(Rc::from(&self.text[start..self.pos - 1]));
            }
            out.push_str(&self.text[start..self.pos]);
            match self.bytes.get(self.pos) {
                None => return Err(self.error("Unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out.into());
                }
                Some(b'\\') => {
                    plain = false;
                    self.pos += 1;
                    let c = match self.bytes.get(self.pos) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            let hi = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&hi) && self.bytes[self.pos..].starts_with(b"\\u") {
                                let save = self.pos;
                                self.pos += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                                } else {
                                    self.pos = save;
                                    None
                                }
                            } else {
                                char::from_u32(hi)
                            };
                            out.push(c.unwrap_or('\u{FFFD}'));
                            continue;
                        }
                        _ => return Err(self.error("Invalid escape in string")),
                    };
                    self.pos += 1;
                    out.push(c);
                }
                Some(_) => return Err(self.error("Control character in string")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let h = self
            .text
            .get(self.pos..self.pos + 4)
            .and_then(|s| u32::from_str_radix(s, 16).ok().filter(|_| s.bytes().all(|b| b.is_ascii_hexdigit())))
            .ok_or_else(|| self.error("Invalid \\u escape"))?;
        self.pos += 4;
        Ok(h)
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.error("JSON nested too deeply"));
        }
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Value::Array(Rc::new(items)));
        }
        loop {
            self.skip_ws();
            let len = if self.spans.is_some() { self.push_token(&items.len().to_string()) } else { 0 };
            items.push(self.value(depth)?);
            self.pop_token(len);
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(Rc::new(items)));
                }
                _ => return Err(self.error("Expected ',' or ']'")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.error("JSON nested too deeply"));
        }
        self.pos += 1;
        let mut map = Map::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Value::Object(Rc::new(map)));
        }
        loop {
            self.skip_ws();
            match self.text[floor_char_boundary(self.text, self.pos)..].chars().next() {
                Some('"') => {}
                Some(c) if c != '}' => {
                    return Err(self.error(&format!(
                        "Unexpected character ('{c}' (code {})): was expecting double-quote to start field name",
                        c as u32
                    )))
                }
                _ => return Err(self.error("Expected a string key")),
            }
            let key_pos = self.pos;
            let key = self.string()?;
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b':') {
                return Err(self.error("Expected ':'"));
            }
            self.pos += 1;
            self.skip_ws();
            let len = if self.spans.is_some() { self.push_token(&pointer_token(&key)) } else { 0 };
            if let Some((ptr, m)) = &mut self.spans {
                m.keys.insert(Rc::from(ptr.as_str()), key_pos);
            }
            let v = self.value(depth)?;
            self.pop_token(len);
            // A duplicate key: the last one wins (large objects look keys up by hash).
            map.insert(key, v);
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(Rc::new(map)));
                }
                _ => return Err(self.error("Expected ',' or '}'")),
            }
        }
    }

    fn push_token(&mut self, token: &str) -> usize {
        match &mut self.spans {
            Some((ptr, _)) => {
                let len = ptr.len();
                ptr.push('/');
                ptr.push_str(token);
                len
            }
            None => 0,
        }
    }

    fn pop_token(&mut self, len: usize) {
        if let Some((ptr, _)) = &mut self.spans {
            ptr.truncate(len);
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Compact JSON text, as AWS puts values in history events.
pub fn to_string(v: &Value) -> String {
    // Room for a small value up front: growing a string from empty reallocates it several times.
    let mut out = String::with_capacity(if matches!(v, Value::Array(_) | Value::Object(_)) { 64 } else { 16 });
    write_value(&mut out, v, None, 0);
    out
}

/// Appends the compact JSON text of `v` to `out` (for writers that stream many values).
pub fn write_compact(out: &mut String, v: &Value) {
    write_value(out, v, None, 0);
}

/// JSON text indented by two spaces.
pub fn to_string_pretty(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v, Some(2), 0);
    out
}

#[cfg_attr(aslplay_speed, optimize(speed))]
fn write_value(out: &mut String, v: &Value, indent: Option<usize>, level: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => n.write_to(out),
        Value::String(s) => write_string(out, s),
        Value::Array(a) => {
            if a.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, level + 1);
                write_value(out, item, indent, level + 1);
            }
            newline(out, indent, level);
            out.push(']');
        }
        Value::Object(m) => {
            if m.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, item)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, level + 1);
                write_string(out, k);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write_value(out, item, indent, level + 1);
            }
            newline(out, indent, level);
            out.push('}');
        }
    }
}

fn newline(out: &mut String, indent: Option<usize>, level: usize) {
    if let Some(n) = indent {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', n * level));
    }
}

/// Writes `s` as a JSON string literal.
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            let _ = write!(out, "\\u{:04x}", b);
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// The byte length of `to_string(v)`, without building it.
pub fn compact_len(v: &Value) -> usize {
    match v {
        Value::Null => 4,
        Value::Bool(true) => 4,
        Value::Bool(false) => 5,
        Value::Number(Number::Int(i)) => {
            let mut n = if *i < 0 { 2 } else { 1 };
            let mut x = i.unsigned_abs();
            while x >= 10 {
                x /= 10;
                n += 1;
            }
            n
        }
        Value::Number(n) => number_len(*n),
        Value::String(s) => string_len(s),
        Value::Array(a) => 2 + a.len().saturating_sub(1) + a.iter().map(compact_len).sum::<usize>(),
        Value::Object(m) => {
            2 + m.len().saturating_sub(1) + m.iter().map(|(k, v)| string_len(k) + 1 + compact_len(v)).sum::<usize>()
        }
    }
}

/// The length of a number's text, without allocating.
pub fn number_len(n: Number) -> usize {
    struct Count(usize);
    impl std::fmt::Write for Count {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0 += s.len();
            Ok(())
        }
    }
    let mut c = Count(0);
    let _ = write!(c, "{n}");
    c.0
}

/// The length of a string's JSON literal, quotes and escapes included.
pub fn string_len(s: &str) -> usize {
    2 + s.len()
        + s.bytes()
            .map(|b| match b {
                b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 1,
                0..=0x1f => 5,
                _ => 0,
            })
            .sum::<usize>()
}

impl Value {
    /// The length in bytes of this value's compact JSON text, computed without building it.
    pub fn json_len(&self) -> usize {
        compact_len(self)
    }
}

impl std::fmt::Display for Value {
    /// Compact JSON text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&to_string(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_at_the_edges_of_i64() {
        let int = |t: &str| match parse(t).unwrap() {
            Value::Number(Number::Int(i)) => Some(i),
            _ => None,
        };
        assert_eq!(int("0"), Some(0));
        assert_eq!(int("-0"), Some(0));
        assert_eq!(int("-5"), Some(-5));
        assert_eq!(int("123456789012345678"), Some(123_456_789_012_345_678));
        assert_eq!(int("-123456789012345678"), Some(-123_456_789_012_345_678));
        assert_eq!(int("9223372036854775807"), Some(i64::MAX));
        assert_eq!(int("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(int("9223372036854775808"), None, "past i64: a double");
        assert_eq!(parse("99999999999999999999").unwrap().to_string(), "1.0E20");
        assert_eq!(int("12.0"), None);
        assert!(parse("01").is_err() && parse("-").is_err() && parse("1.").is_err());
    }

    #[test]
    fn round_trip() {
        let text = r#"{"a":[1,-2,3.5,1.0E7,true,false,null],"b":{"c":"x\"\\\n\u0001é"}}"#;
        let v = parse(text).unwrap();
        assert_eq!(to_string(&v), text);
        assert_eq!(compact_len(&v), text.len());
    }

    #[test]
    fn errors_have_positions() {
        let e = parse("{\n  \"a\": tru\n}").unwrap_err();
        assert_eq!((e.line, e.column), (2, 8));
        assert!(parse("[1,]").is_err());
        assert!(parse("01").is_err());
        assert!(parse("\"\\x\"").is_err());
        assert!(parse("1 2").is_err());
    }

    #[test]
    fn text_that_is_not_json_is_described_as_aws_parser_does() {
        // The messages AWS gave for StartExecution inputs that are not JSON.
        let e = parse("not some json").unwrap_err();
        assert_eq!(
            e.message,
            "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
        );
        assert_eq!((e.line, e.column), (1, 1));
        let e = parse("{'not': 'json'").unwrap_err();
        assert_eq!(e.message, "Unexpected character (''' (code 39)): was expecting double-quote to start field name");
        assert_eq!((e.line, e.column), (1, 2));
        assert!(parse("[1, @]")
            .unwrap_err()
            .message
            .starts_with("Unexpected character ('@' (code 64)): expected a valid value"));
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let text = "[".repeat(100_000);
        assert!(parse(&text).unwrap_err().message.contains("deeply"));
    }

    #[test]
    fn source_map_locates_members() {
        let text = "{\n  \"States\": {\n    \"A/b\": {\"Next\": \"X\"}\n  }\n}";
        let (_, map) = parse_with_source_map(text).unwrap();
        assert_eq!(map.locate("/States/A~1b/Next"), Some((3, 13)));
        assert_eq!(map.locate("/States/A~1b/Missing"), Some((3, 5)));
        assert_eq!(map.locate(""), Some((1, 1)));
    }

    #[test]
    fn surrogate_pairs() {
        assert_eq!(parse(r#""\ud800\udf46""#).unwrap().as_str(), Some("\u{10346}"));
    }
}
