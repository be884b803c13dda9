//! A small YAML reader for state machine definitions and CloudFormation/SAM templates: block
//! mappings and sequences, flow `{}`/`[]`, plain, single- and double-quoted scalars, `|`/`>`
//! block scalars with chomping and indentation indicators, comments, `---`/`...`, the YAML
//! 1.2 core schema (so `on`, `yes` and `no` stay strings), anchors and aliases, and the
//! CloudFormation short tags (`!Ref x` → `{"Ref": "x"}`, `!GetAtt a.b` → `{"Fn::GetAtt":
//! ["a", "b"]}`, `!Sub ...` → `{"Fn::Sub": ...}`). Keys keep their order.
//!
//! Not supported (refused with a clear error): several documents in one text, explicit `?`
//! keys, collections as keys, tags other than the core `!!` ones and CloudFormation's.
//! `.inf` and `.nan`, which JSON cannot hold, stay strings. Nesting is bounded and aliases
//! may not expand to more than a million nodes (the "billion laughs" attack is refused).

use super::ImportError;
use crate::value::{Map, Number, Value};
use std::collections::HashMap;

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
/// assert_eq!((e.line, e.column), (Some(1), Some(4)));
/// ```
pub fn parse_yaml(text: &str) -> std::result::Result<Value, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let normalized;
    let text = if text.contains('\r') {
        normalized = text.replace("\r\n", "\n").replace('\r', "\n");
        normalized.as_str()
    } else {
        text
    };
    Parser { text, b: text.as_bytes(), pos: 0, depth: 0, deepest: 0, nodes: 0, anchors: HashMap::new() }.stream()
}

type Result<T> = std::result::Result<T, ImportError>;

/// A node's tag (with where it stands) and anchor name.
type Properties = (Option<(String, usize)>, Option<String>);

/// A node's content before its tag is applied: plain scalars are resolved only then.
enum Node {
    Plain(String),
    Text(String),
    Value(Value),
}

/// Where a block node starts, which decides what may start there.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// First thing on its line.
    LineStart,
    /// After `key: ` on the same line: no block mapping or sequence may start here.
    AfterKey,
    /// After `- ` on the same line: a compact mapping or sequence may start here.
    AfterDash,
}

struct Anchor {
    value: Value,
    nodes: u64,
    height: usize,
}

struct Parser<'a> {
    text: &'a str,
    b: &'a [u8],
    pos: usize,
    depth: usize,
    deepest: usize,
    nodes: u64,
    anchors: HashMap<String, Anchor>,
}

fn is_ws(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

fn is_flow_indicator(c: u8) -> bool {
    matches!(c, b',' | b'[' | b']' | b'{' | b'}')
}

impl<'a> Parser<'a> {
    // ---- positions and errors ----

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn byte(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    fn line_start(&self, pos: usize) -> usize {
        self.b.get(..pos).and_then(|s| s.iter().rposition(|&c| c == b'\n')).map_or(0, |i| i + 1)
    }

    /// Column in bytes; indentation is ASCII spaces, so this is also the column in characters
    /// wherever indentation is compared.
    fn column(&self, pos: usize) -> usize {
        pos - self.line_start(pos)
    }

    fn error(&self, pos: usize, message: impl Into<String>) -> ImportError {
        let pos = pos.min(self.b.len());
        let line = self.b[..pos].iter().filter(|&&c| c == b'\n').count() + 1;
        let start = self.line_start(pos);
        let column = self.text.get(start..pos).map_or(pos - start, |s| s.chars().count()) + 1;
        ImportError { pointer: String::new(), message: message.into(), line: Some(line), column: Some(column) }
    }

    /// Whether the byte at `i` ends a token: whitespace, a line break or the end.
    fn ends_token(&self, i: usize) -> bool {
        self.byte(i).is_none_or(|c| is_ws(c) || c == b'\n')
    }

    fn is_doc_marker(&self) -> bool {
        let p = self.pos;
        self.column(p) == 0
            && (self.b[p..].starts_with(b"---") || self.b[p..].starts_with(b"..."))
            && self.ends_token(p + 3)
    }

    fn is_dash_entry(&self) -> bool {
        self.peek() == Some(b'-') && self.ends_token(self.pos + 1)
    }

    fn skip_inline_ws(&mut self) {
        while self.peek().is_some_and(is_ws) {
            self.pos += 1;
        }
    }

    /// At a `#` that starts a comment (it follows whitespace or starts the line).
    fn at_comment(&self) -> bool {
        self.peek() == Some(b'#') && (self.pos == 0 || matches!(self.byte(self.pos - 1), Some(b' ' | b'\t' | b'\n')))
    }

    /// Only whitespace or a comment is left on this line.
    fn at_line_end(&self) -> bool {
        let mut i = self.pos;
        while self.byte(i).is_some_and(is_ws) {
            i += 1;
        }
        match self.byte(i) {
            None | Some(b'\n') => true,
            Some(b'#') => i == 0 || matches!(self.byte(i - 1), Some(b' ' | b'\t' | b'\n')),
            _ => false,
        }
    }

    fn skip_to_line_end(&mut self) {
        while self.peek().is_some_and(|c| c != b'\n') {
            self.pos += 1;
        }
    }

    /// Skips trailing whitespace and a comment; the line must end there (the break is not
    /// consumed).
    fn finish_line(&mut self) -> Result<()> {
        self.skip_inline_ws();
        if self.at_comment() {
            self.skip_to_line_end();
        }
        match self.peek() {
            None | Some(b'\n') => Ok(()),
            Some(b':') => Err(self.error(
                self.pos,
                "A mapping value is not allowed here (is a ':' missing its space, or a key misplaced?)",
            )),
            Some(_) => Err(self.error(self.pos, "Unexpected text after the value")),
        }
    }

    /// Moves to the first character of the next line with content (skipping blank and
    /// comment-only lines) and returns its column; `None` at the end of the text.
    fn next_content(&mut self) -> Result<Option<usize>> {
        loop {
            let line_start = self.pos == self.line_start(self.pos);
            let mut tab = None;
            while let Some(c) = self.peek().filter(|&c| is_ws(c)) {
                if c == b'\t' && tab.is_none() {
                    tab = Some(self.pos);
                }
                self.pos += 1;
            }
            match self.peek() {
                None => return Ok(None),
                Some(b'\n') => self.pos += 1,
                Some(b'#') => self.skip_to_line_end(),
                Some(_) => {
                    if let (true, Some(t)) = (line_start, tab) {
                        return Err(self.error(t, "Tab characters cannot indent YAML: use spaces"));
                    }
                    return Ok(Some(self.column(self.pos)));
                }
            }
        }
    }

    fn count_node(&mut self, n: u64, pos: usize) -> Result<()> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return Err(
                self.error(pos, format!("The document expands to more than {MAX_NODES} nodes (aliases of aliases?)"))
            );
        }
        Ok(())
    }

    fn enter(&mut self, pos: usize) -> Result<()> {
        self.depth += 1;
        self.deepest = self.deepest.max(self.depth);
        if self.depth > MAX_DEPTH {
            return Err(self.error(pos, format!("The document nests more than {MAX_DEPTH} levels deep")));
        }
        Ok(())
    }

    // ---- documents ----

    fn stream(&mut self) -> Result<Value> {
        let mut document: Option<Value> = None;
        loop {
            if self.next_content()?.is_none() {
                break;
            }
            if self.peek() == Some(b'%') && self.column(self.pos) == 0 {
                if document.is_some() {
                    return Err(self.error(self.pos, "A directive must come before the document"));
                }
                self.skip_to_line_end();
                continue;
            }
            if self.is_doc_marker() && self.b[self.pos..].starts_with(b"...") {
                self.pos += 3;
                self.finish_line()?;
                continue;
            }
            let marker = self.is_doc_marker();
            if document.is_some() {
                return Err(self.error(
                    self.pos,
                    if marker {
                        "This text holds several YAML documents; only one is supported"
                    } else {
                        "Unexpected text after the document (check the indentation)"
                    },
                ));
            }
            let value = if marker {
                self.pos += 3;
                self.skip_inline_ws();
                if self.at_line_end() {
                    self.finish_line()?;
                    let save = self.pos;
                    match self.next_content()? {
                        Some(_) if !self.is_doc_marker() => self.parse_node(-1, Place::LineStart)?,
                        _ => {
                            self.pos = save;
                            Value::Null
                        }
                    }
                } else {
                    self.parse_node(-1, Place::AfterKey)?
                }
            } else {
                self.parse_node(-1, Place::LineStart)?
            };
            self.finish_line()?;
            document = Some(value);
        }
        Ok(document.unwrap_or(Value::Null))
    }

    // ---- nodes ----

    /// A node with its properties (tag, anchor), resolved to a value. `parent` is the
    /// indentation of the enclosing block collection (-1 at the top).
    fn parse_node(&mut self, parent: isize, place: Place) -> Result<Value> {
        let start = self.pos;
        self.enter(start)?;
        let (tag, anchor) = self.properties()?;
        let (nodes_before, deepest_before) = (self.nodes, self.deepest);
        self.deepest = self.depth;
        let node = if (tag.is_some() || anchor.is_some()) && self.at_line_end() {
            let save = self.pos;
            self.finish_line()?;
            match self.next_content()? {
                Some(c)
                    if !self.is_doc_marker()
                        && (c as isize > parent
                            || (c as isize == parent && place != Place::AfterDash && self.is_dash_entry())) =>
                {
                    self.node_content(parent, Place::LineStart)?
                }
                _ => {
                    self.pos = save;
                    Node::Plain(String::new())
                }
            }
        } else {
            if (tag.is_some() || anchor.is_some()) && self.implicit_key()?.is_some() {
                return Err(self.error(start, "Tags and anchors on mapping keys are not supported"));
            }
            self.node_content(parent, place)?
        };
        let value = self.finish_node(tag, anchor, node, nodes_before, start)?;
        self.deepest = self.deepest.max(deepest_before);
        self.depth -= 1;
        Ok(value)
    }

    /// `!tag` and `&anchor`, in either order, each followed by whitespace.
    fn properties(&mut self) -> Result<Properties> {
        let (mut tag, mut anchor) = (None, None);
        loop {
            match self.peek() {
                Some(b'!') if tag.is_none() => {
                    let p = self.pos;
                    let t = self.token();
                    tag = Some((t, p));
                }
                Some(b'&') if anchor.is_none() => {
                    let p = self.pos;
                    self.pos += 1;
                    let name = self.token();
                    if name.is_empty() {
                        return Err(self.error(p, "An anchor needs a name after '&'"));
                    }
                    anchor = Some(name);
                }
                _ => return Ok((tag, anchor)),
            }
            self.skip_inline_ws();
        }
    }

    /// Characters up to whitespace, a line break or a flow indicator.
    fn token(&mut self) -> String {
        let start = self.pos;
        while self.peek().is_some_and(|c| !is_ws(c) && c != b'\n' && !is_flow_indicator(c)) {
            self.pos += 1;
        }
        self.text.get(start..self.pos).unwrap_or_default().to_string()
    }

    fn node_content(&mut self, parent: isize, place: Place) -> Result<Node> {
        let p = self.pos;
        let Some(c) = self.peek() else {
            return Ok(Node::Plain(String::new()));
        };
        match c {
            b'\n' | b'#' => Ok(Node::Plain(String::new())),
            b'*' => self.alias().map(Node::Value),
            b'[' | b'{' => {
                let v = self.flow_collection()?;
                self.skip_inline_ws();
                if self.peek() == Some(b':') && self.ends_token(self.pos + 1) {
                    return Err(self.error(p, "A flow collection cannot be a mapping key"));
                }
                Ok(Node::Value(v))
            }
            b'|' | b'>' => self.block_scalar(parent).map(Node::Text),
            b'-' if self.ends_token(p + 1) => {
                if place == Place::AfterKey {
                    return Err(self.error(p, "A block sequence cannot start on the same line as its key"));
                }
                self.block_sequence(self.column(p)).map(Node::Value)
            }
            b'?' if self.ends_token(p + 1) => Err(self.error(p, "Explicit mapping keys ('? ') are not supported")),
            b':' if self.ends_token(p + 1) => Err(self.error(p, "A mapping key is missing before ':'")),
            b'@' | b'`' => Err(self.error(p, format!("'{}' is reserved and cannot start a plain scalar", c as char))),
            b',' | b']' | b'}' => Err(self.error(p, format!("Unexpected '{}'", c as char))),
            b'%' => Err(self.error(p, "'%' cannot start a plain scalar")),
            _ => {
                if self.implicit_key()?.is_some() {
                    if place == Place::AfterKey {
                        return Err(self.error(p, "A mapping cannot start on the same line as its key (a: b: c)"));
                    }
                    return self.block_mapping(self.column(p)).map(Node::Value);
                }
                match c {
                    b'"' => self.double_quoted().map(Node::Text),
                    b'\'' => self.single_quoted().map(Node::Text),
                    _ => self.plain(parent, false).map(Node::Plain),
                }
            }
        }
    }

    fn alias(&mut self) -> Result<Value> {
        let p = self.pos;
        self.pos += 1;
        let name = self.token();
        let Some(a) = self.anchors.get(&name) else {
            return Err(self.error(p, format!("Unknown alias '*{name}' (anchors must be defined before use)")));
        };
        let (value, nodes, height) = (a.value.clone(), a.nodes, a.height);
        if self.depth + height > MAX_DEPTH {
            return Err(self.error(p, format!("The alias '*{name}' nests more than {MAX_DEPTH} levels deep")));
        }
        self.deepest = self.deepest.max(self.depth + height);
        self.count_node(nodes, p)?;
        Ok(value)
    }

    /// Applies the tag, resolves plain scalars, records the anchor.
    fn finish_node(
        &mut self,
        tag: Option<(String, usize)>,
        anchor: Option<String>,
        node: Node,
        nodes_before: u64,
        start: usize,
    ) -> Result<Value> {
        if let Node::Plain(_) | Node::Text(_) = node {
            self.count_node(1, start)?;
        }
        let value = match tag {
            None => match node {
                Node::Plain(s) => resolve_plain(&s),
                Node::Text(s) => Value::from(s),
                Node::Value(v) => v,
            },
            Some((tag, tag_pos)) => self.apply_tag(&tag, tag_pos, node)?,
        };
        if let Some(name) = anchor {
            let height = self.deepest.saturating_sub(self.depth);
            self.anchors.insert(name, Anchor { value: value.clone(), nodes: self.nodes - nodes_before, height });
        }
        Ok(value)
    }

    fn apply_tag(&self, tag: &str, pos: usize, node: Node) -> Result<Value> {
        let scalar_text = match &node {
            Node::Plain(s) | Node::Text(s) => Some(s.clone()),
            Node::Value(_) => None,
        };
        let as_value = |node: Node| match node {
            Node::Plain(s) | Node::Text(s) => Value::from(s),
            Node::Value(v) => v,
        };
        let wrap = |key: &str, v: Value| {
            let mut m = Map::new();
            m.push_unique(key, v);
            Value::from(m)
        };
        let mismatch = |what: &str| self.error(pos, format!("The tag {tag} needs {what}"));
        Ok(match tag {
            "!" | "!!str" => match node {
                Node::Value(Value::Array(_) | Value::Object(_)) => return Err(mismatch("a scalar")),
                Node::Value(v) if !v.is_string() => Value::from(v.to_string()),
                other => as_value(other),
            },
            "!!int" | "!!float" => match scalar_text.as_deref().map(resolve_plain) {
                Some(v @ Value::Number(_)) => v,
                _ => return Err(mismatch("a number")),
            },
            "!!bool" => match scalar_text.as_deref().map(resolve_plain) {
                Some(v @ Value::Bool(_)) => v,
                _ => return Err(mismatch("true or false")),
            },
            "!!null" => match scalar_text.as_deref().map(resolve_plain) {
                Some(Value::Null) => Value::Null,
                _ => return Err(mismatch("null")),
            },
            "!!map" | "!!seq" => match node {
                Node::Value(v @ Value::Object(_)) if tag == "!!map" => v,
                Node::Value(v @ Value::Array(_)) if tag == "!!seq" => v,
                _ => return Err(mismatch(if tag == "!!map" { "a mapping" } else { "a sequence" })),
            },
            "!!binary" | "!!timestamp" => as_value(node),
            "!Ref" => wrap("Ref", as_value(node)),
            "!Condition" => wrap("Condition", as_value(node)),
            "!GetAtt" => match node {
                Node::Plain(s) | Node::Text(s) => match s.split_once('.') {
                    Some((resource, attribute)) => {
                        wrap("Fn::GetAtt", Value::from(vec![Value::from(resource), Value::from(attribute)]))
                    }
                    None => wrap("Fn::GetAtt", Value::from(s)),
                },
                Node::Value(v) => wrap("Fn::GetAtt", v),
            },
            _ => match tag.strip_prefix('!').filter(|name| FN_TAGS.contains(name)) {
                Some(name) => wrap(&format!("Fn::{name}"), as_value(node)),
                None => {
                    return Err(self.error(
                        pos,
                        format!("Unknown tag {tag}: only YAML's core tags (!!str, !!int, ...) and CloudFormation's short forms (!Ref, !Sub, !GetAtt, ...) are understood"),
                    ))
                }
            },
        })
    }

    // ---- block collections ----

    fn block_sequence(&mut self, col: usize) -> Result<Value> {
        let start = self.pos;
        self.count_node(1, start)?;
        let mut items = Vec::new();
        loop {
            self.pos += 1; // '-'
            self.skip_inline_ws();
            let item = if self.at_line_end() {
                let save = self.pos;
                self.finish_line()?;
                match self.next_content()? {
                    Some(c) if c > col && !self.is_doc_marker() => self.parse_node(col as isize, Place::LineStart)?,
                    _ => {
                        self.pos = save;
                        Value::Null
                    }
                }
            } else {
                self.parse_node(col as isize, Place::AfterDash)?
            };
            items.push(item);
            self.finish_line()?;
            let save = self.pos;
            match self.next_content()? {
                Some(c) if c == col && self.is_dash_entry() && !self.is_doc_marker() => {}
                Some(c) if c > col => {
                    return Err(self.error(
                        self.pos,
                        "Bad indentation: this line is indented more than the sequence entries above",
                    ))
                }
                _ => {
                    self.pos = save;
                    return Ok(Value::from(items));
                }
            }
        }
    }

    fn block_mapping(&mut self, col: usize) -> Result<Value> {
        self.count_node(1, self.pos)?;
        let mut map = Map::new();
        loop {
            let key_pos = self.pos;
            let Some((key, after)) = self.implicit_key()? else {
                return Err(self.error(key_pos, "Expected a 'key: value' entry here"));
            };
            if map.contains_key(&key) {
                return Err(self.error(key_pos, format!("Duplicate key '{key}'")));
            }
            self.pos = after;
            self.skip_inline_ws();
            let value = if self.at_line_end() {
                let save = self.pos;
                self.finish_line()?;
                match self.next_content()? {
                    Some(c) if !self.is_doc_marker() && (c > col || (c == col && self.is_dash_entry())) => {
                        self.parse_node(col as isize, Place::LineStart)?
                    }
                    _ => {
                        self.pos = save;
                        Value::Null
                    }
                }
            } else {
                self.parse_node(col as isize, Place::AfterKey)?
            };
            map.push_unique(key, value);
            self.finish_line()?;
            let save = self.pos;
            match self.next_content()? {
                Some(c) if c == col && !self.is_doc_marker() => {}
                Some(c) if c > col => {
                    return Err(self.error(self.pos, "Bad indentation: this line is indented more than the keys above"))
                }
                _ => {
                    self.pos = save;
                    return Ok(Value::from(map));
                }
            }
        }
    }

    /// If a `key:` (plain or quoted, on one line) starts here, the key and the position
    /// after its colon. Does not move.
    fn implicit_key(&mut self) -> Result<Option<(String, usize)>> {
        let start = self.pos;
        let key = match self.peek() {
            Some(q @ (b'"' | b'\'')) => {
                let s = if q == b'"' { self.double_quoted() } else { self.single_quoted() };
                let end = self.pos;
                self.pos = start;
                let s = s?;
                if self.b[start..end].contains(&b'\n') {
                    return Ok(None);
                }
                let mut i = end;
                while self.byte(i).is_some_and(is_ws) {
                    i += 1;
                }
                return Ok((self.byte(i) == Some(b':') && self.ends_token(i + 1)).then(|| (s, i + 1)));
            }
            Some(c)
                if is_flow_indicator(c)
                    || matches!(c, b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`') =>
            {
                return Ok(None)
            }
            Some(b'-' | b'?' | b':') if self.ends_token(start + 1) => return Ok(None),
            None => return Ok(None),
            Some(_) => {
                let mut i = start;
                loop {
                    match self.byte(i) {
                        None | Some(b'\n') => return Ok(None),
                        Some(b':') if self.ends_token(i + 1) => break,
                        Some(b'#') if i > start && self.byte(i - 1).is_some_and(is_ws) => return Ok(None),
                        _ => i += 1,
                    }
                }
                let key = self.text.get(start..i).unwrap_or_default().trim_end_matches([' ', '\t']).to_string();
                (key, i + 1)
            }
        };
        Ok(Some(key))
    }

    // ---- scalars ----

    /// A plain scalar, possibly over several lines (folded). In block context continuation
    /// lines must be indented more than `parent`; in flow context flow indicators end it.
    fn plain(&mut self, parent: isize, flow: bool) -> Result<String> {
        let mut out = self.plain_segment(flow).to_string();
        loop {
            let save = self.pos;
            self.skip_inline_ws();
            if self.peek() != Some(b'\n') {
                self.pos = save;
                return Ok(out);
            }
            // Find the next line with content, counting the breaks.
            let mut i = self.pos;
            let mut breaks = 0;
            let content = loop {
                match self.byte(i) {
                    Some(b'\n') => {
                        breaks += 1;
                        i += 1;
                        while self.byte(i).is_some_and(is_ws) {
                            i += 1;
                        }
                    }
                    None => break None,
                    Some(_) => break Some(i),
                }
            };
            let Some(j) = content else {
                self.pos = save;
                return Ok(out);
            };
            self.pos = j;
            let c = self.b[j];
            let continues = if flow {
                !is_flow_indicator(c) && c != b'#' && !(c == b':' && self.ends_token(j + 1))
            } else {
                self.column(j) as isize > parent && c != b'#' && !self.is_doc_marker()
            };
            if !continues {
                self.pos = save;
                return Ok(out);
            }
            if breaks == 1 {
                out.push(' ');
            } else {
                out.push_str(&"\n".repeat(breaks - 1));
            }
            out.push_str(self.plain_segment(flow));
        }
    }

    /// The rest of a plain scalar on this line, without trailing whitespace.
    fn plain_segment(&mut self, flow: bool) -> &'a str {
        let start = self.pos;
        let mut end = start;
        while let Some(c) = self.peek() {
            let stop = match c {
                b'\n' => true,
                b':' => {
                    self.byte(self.pos + 1).is_none_or(|n| is_ws(n) || n == b'\n' || (flow && is_flow_indicator(n)))
                }
                b'#' => self.pos > start && self.byte(self.pos - 1).is_some_and(is_ws),
                c if flow && is_flow_indicator(c) => true,
                _ => false,
            };
            if stop {
                break;
            }
            self.pos += 1;
            if !is_ws(c) {
                end = self.pos;
            }
        }
        self.pos = end;
        self.text.get(start..end).unwrap_or_default()
    }

    fn double_quoted(&mut self) -> Result<String> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        // Length of `out` that escapes produced: folding never trims below it.
        let mut kept = 0;
        loop {
            let Some(c) = self.peek() else {
                return Err(self.error(start, "This double-quoted string is never closed"));
            };
            match c {
                b'"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    let esc_pos = self.pos;
                    self.pos += 1;
                    let Some(e) = self.peek() else {
                        return Err(self.error(start, "This double-quoted string is never closed"));
                    };
                    self.pos += 1;
                    let ch = match e {
                        b'\n' => {
                            self.skip_inline_ws();
                            kept = out.len();
                            continue;
                        }
                        b'0' => '\0',
                        b'a' => '\u{7}',
                        b'b' => '\u{8}',
                        b't' | b'\t' => '\t',
                        b'n' => '\n',
                        b'v' => '\u{b}',
                        b'f' => '\u{c}',
                        b'r' => '\r',
                        b'e' => '\u{1b}',
                        b' ' => ' ',
                        b'"' => '"',
                        b'/' => '/',
                        b'\\' => '\\',
                        b'N' => '\u{85}',
                        b'_' => '\u{a0}',
                        b'L' => '\u{2028}',
                        b'P' => '\u{2029}',
                        b'x' | b'u' | b'U' => {
                            let n = match e {
                                b'x' => 2,
                                b'u' => 4,
                                _ => 8,
                            };
                            let code = self.hex(n, esc_pos)?;
                            match (0xD800..0xDC00).contains(&code) {
                                // A UTF-16 surrogate pair written as two \u escapes, as JSON does.
                                true if self.b[self.pos..].starts_with(b"\\u") => {
                                    self.pos += 2;
                                    let low = self.hex(4, esc_pos)?;
                                    if !(0xDC00..0xE000).contains(&low) {
                                        return Err(self.error(esc_pos, "Unpaired UTF-16 surrogate in a \\u escape"));
                                    }
                                    let c = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                                    char::from_u32(c)
                                        .ok_or_else(|| self.error(esc_pos, "Invalid code point in an escape"))?
                                }
                                _ => char::from_u32(code)
                                    .ok_or_else(|| self.error(esc_pos, "Invalid code point in an escape"))?,
                            }
                        }
                        _ => {
                            let shown = self.text.get(esc_pos..).and_then(|s| s.chars().nth(1)).unwrap_or('?');
                            return Err(
                                self.error(esc_pos, format!("Unknown escape '\\{shown}' in a double-quoted string"))
                            );
                        }
                    };
                    out.push(ch);
                    kept = out.len();
                }
                b'\n' => {
                    self.fold_quoted_break(&mut out, kept);
                    kept = out.len();
                }
                _ => self.push_char(&mut out),
            }
        }
    }

    fn hex(&mut self, n: usize, esc_pos: usize) -> Result<u32> {
        let digits = self.text.get(self.pos..self.pos + n).filter(|d| d.bytes().all(|c| c.is_ascii_hexdigit()));
        let Some(d) = digits else {
            return Err(self.error(esc_pos, format!("This escape needs {n} hexadecimal digits")));
        };
        self.pos += n;
        u32::from_str_radix(d, 16).map_err(|_| self.error(esc_pos, "Invalid hexadecimal escape"))
    }

    fn single_quoted(&mut self) -> Result<String> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Err(self.error(start, "This single-quoted string is never closed")),
                Some(b'\'') if self.byte(self.pos + 1) == Some(b'\'') => {
                    out.push('\'');
                    self.pos += 2;
                }
                Some(b'\'') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\n') => self.fold_quoted_break(&mut out, 0),
                Some(_) => self.push_char(&mut out),
            }
        }
    }

    fn push_char(&mut self, out: &mut String) {
        match self.text.get(self.pos..).and_then(|s| s.chars().next()) {
            Some(ch) => {
                out.push(ch);
                self.pos += ch.len_utf8();
            }
            None => self.pos += 1,
        }
    }

    /// A line break inside a quoted scalar: trailing whitespace goes, one break becomes a
    /// space, each further empty line a newline; the next line's indentation goes.
    fn fold_quoted_break(&mut self, out: &mut String, kept: usize) {
        let trimmed = out.trim_end_matches([' ', '\t']).len().max(kept);
        out.truncate(trimmed);
        let mut breaks = 0;
        while self.peek() == Some(b'\n') {
            breaks += 1;
            self.pos += 1;
            self.skip_inline_ws();
        }
        if breaks == 1 {
            out.push(' ');
        } else {
            out.push_str(&"\n".repeat(breaks - 1));
        }
    }

    /// `|` or `>` with optional chomping (`-`, `+`) and indentation (`1`-`9`) indicators,
    /// then the indented lines below.
    fn block_scalar(&mut self, parent: isize) -> Result<String> {
        let literal = self.peek() == Some(b'|');
        self.pos += 1;
        let (mut chomp, mut explicit) = (None, None);
        for _ in 0..2 {
            match self.peek() {
                Some(c @ (b'-' | b'+')) if chomp.is_none() => chomp = Some(c),
                Some(c @ b'1'..=b'9') if explicit.is_none() => explicit = Some((c - b'0') as isize),
                _ => break,
            }
            self.pos += 1;
        }
        if !self.ends_token(self.pos) {
            return Err(
                self.error(self.pos, "Unexpected text after a block scalar indicator (expected -, + or a digit 1-9)")
            );
        }
        self.finish_line()?;
        let mut end = self.pos;
        let mut indent: Option<usize> = explicit.map(|e| (parent.max(-1) + e).max(0) as usize);
        // None: an empty line; Some(text): a content line without the indentation.
        let mut lines: Vec<Option<&'a str>> = Vec::new();
        while self.peek() == Some(b'\n') {
            let line_start = self.pos + 1;
            let line_end =
                self.b[line_start..].iter().position(|&c| c == b'\n').map_or(self.b.len(), |i| line_start + i);
            let line = self.text.get(line_start..line_end).unwrap_or_default();
            let spaces = line.bytes().take_while(|&c| c == b' ').count();
            let blank = spaces == line.len();
            if blank {
                match indent {
                    Some(n) if spaces > n => lines.push(line.get(n..)),
                    _ => lines.push(None),
                }
            } else {
                let n = match indent {
                    Some(n) => n,
                    None if spaces as isize > parent => {
                        indent = Some(spaces);
                        spaces
                    }
                    None => break,
                };
                let marker = spaces == 0
                    && (line.starts_with("---") || line.starts_with("..."))
                    && self.ends_token(line_start + 3);
                if spaces < n || marker {
                    break;
                }
                lines.push(line.get(n..));
            }
            self.pos = line_end;
            end = line_end;
        }
        self.pos = end;
        let content_len = lines.iter().rposition(Option::is_some).map_or(0, |i| i + 1);
        let mut out = String::new();
        if literal {
            for (i, line) in lines[..content_len].iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str(line.unwrap_or_default());
            }
        } else {
            let (mut first, mut prev_more, mut pending) = (true, false, 0usize);
            for line in &lines[..content_len] {
                let Some(text) = line else {
                    pending += 1;
                    continue;
                };
                let more = text.starts_with([' ', '\t']);
                if first {
                    out.push_str(&"\n".repeat(pending));
                } else if pending == 0 {
                    out.push(if more || prev_more { '\n' } else { ' ' });
                } else {
                    out.push_str(&"\n".repeat(pending + usize::from(more || prev_more)));
                }
                out.push_str(text);
                (first, prev_more, pending) = (false, more, 0);
            }
        }
        let trailing = lines.len() - content_len;
        match chomp {
            Some(b'-') => {}
            Some(_) => {
                let breaks = trailing + usize::from(content_len > 0);
                out.push_str(&"\n".repeat(breaks));
            }
            None if content_len > 0 => out.push('\n'),
            None => {}
        }
        Ok(out)
    }

    // ---- flow collections ----

    /// Skips whitespace, line breaks and comments inside a flow collection.
    fn flow_ws(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n') => self.pos += 1,
                Some(b'#') if self.at_comment() => self.skip_to_line_end(),
                _ => return,
            }
        }
    }

    fn flow_collection(&mut self) -> Result<Value> {
        let start = self.pos;
        self.enter(start)?;
        self.count_node(1, start)?;
        let is_map = self.peek() == Some(b'{');
        let close = if is_map { b'}' } else { b']' };
        self.pos += 1;
        let mut items = Vec::new();
        let mut map = Map::new();
        loop {
            self.flow_ws();
            match self.peek() {
                None => {
                    return Err(self.error(
                        start,
                        format!("This flow {} is never closed", if is_map { "mapping" } else { "sequence" }),
                    ))
                }
                Some(c) if c == close => {
                    self.pos += 1;
                    break;
                }
                Some(b',') => return Err(self.error(self.pos, "Unexpected ',' (an entry is missing)")),
                Some(c @ (b']' | b'}')) => return Err(self.error(self.pos, format!("Unexpected '{}'", c as char))),
                _ => {}
            }
            let entry_pos = self.pos;
            let first = if self.peek() == Some(b':')
                && self.byte(self.pos + 1).is_none_or(|n| is_ws(n) || n == b'\n' || is_flow_indicator(n))
            {
                Value::Null
            } else {
                self.flow_node()?
            };
            self.flow_ws();
            let value = if self.peek() == Some(b':') {
                self.pos += 1;
                self.flow_ws();
                match self.peek() {
                    Some(b',') | None => Some(Value::Null),
                    Some(c) if c == close => Some(Value::Null),
                    _ => Some(self.flow_node()?),
                }
            } else {
                None
            };
            if is_map || value.is_some() {
                let key = self.key_text(&first, entry_pos)?;
                let value = value.unwrap_or(Value::Null);
                if is_map {
                    if map.contains_key(&key) {
                        return Err(self.error(entry_pos, format!("Duplicate key '{key}'")));
                    }
                    map.push_unique(key, value);
                } else {
                    let mut pair = Map::new();
                    pair.push_unique(key, value);
                    items.push(Value::from(pair));
                }
            } else {
                items.push(first);
            }
            self.flow_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(c) if c == close => {}
                None => {}
                Some(_) => {
                    return Err(
                        self.error(self.pos, format!("Expected ',' or '{}' in this flow collection", close as char))
                    )
                }
            }
        }
        self.depth -= 1;
        Ok(if is_map { Value::from(map) } else { Value::from(items) })
    }

    fn flow_node(&mut self) -> Result<Value> {
        let start = self.pos;
        self.enter(start)?;
        let (tag, anchor) = self.properties()?;
        self.flow_ws();
        let (nodes_before, deepest_before) = (self.nodes, self.deepest);
        self.deepest = self.depth;
        let node = match self.peek() {
            None => Node::Plain(String::new()),
            Some(b',' | b']' | b'}') => Node::Plain(String::new()),
            Some(b':') if self.byte(self.pos + 1).is_none_or(|n| is_ws(n) || n == b'\n' || is_flow_indicator(n)) => {
                Node::Plain(String::new())
            }
            Some(b'*') => Node::Value(self.alias()?),
            Some(b'[' | b'{') => Node::Value(self.flow_collection()?),
            Some(b'"') => Node::Text(self.double_quoted()?),
            Some(b'\'') => Node::Text(self.single_quoted()?),
            Some(b'-') if self.ends_token(self.pos + 1) => {
                return Err(self.error(self.pos, "A block sequence entry ('- ') cannot be inside a flow collection"))
            }
            Some(b'%') if self.pos > 0 && self.byte(self.pos - 1) == Some(b'{') => {
                return Err(
                    self.error(self.pos - 1, "A JSONata expression '{% ... %}' must be quoted in YAML: \"{% ... %}\"")
                )
            }
            Some(c @ (b'#' | b'|' | b'>' | b'@' | b'`' | b'%')) => {
                return Err(self.error(self.pos, format!("Unexpected '{}' in a flow collection", c as char)))
            }
            Some(_) => Node::Plain(self.plain(-1, true)?),
        };
        let value = self.finish_node(tag, anchor, node, nodes_before, start)?;
        self.deepest = self.deepest.max(deepest_before);
        self.depth -= 1;
        Ok(value)
    }

    /// A flow mapping key as text: scalars only.
    fn key_text(&self, key: &Value, pos: usize) -> Result<String> {
        match key {
            Value::String(s) => Ok(s.to_string()),
            Value::Null => Ok(String::new()),
            Value::Bool(_) | Value::Number(_) => Ok(key.to_string()),
            Value::Array(_) | Value::Object(_) => Err(self.error(pos, "A collection cannot be a mapping key")),
        }
    }
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
        same(r#"a: "\uD83D\uDE00""#, "{\"a\":\"\u{1F600}\"}");
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
        assert!(e.message.contains("Unknown alias"));
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
        let e = err("a: !Foo x");
        assert!(e.message.contains("Unknown tag !Foo"), "{e}");
        assert_eq!((e.line, e.column), (Some(1), Some(4)));
    }

    #[test]
    fn errors_have_lines_and_columns() {
        let cases: &[(&str, &str, usize, usize)] = &[
            ("a: 1\na: 2", "Duplicate key 'a'", 2, 1),
            ("a:\n  b: 1\n c: 2", "Bad indentation", 3, 2),
            ("a: b: c", "cannot start on the same line", 1, 4),
            ("a: [1, 2", "never closed", 1, 4),
            ("a: {x: 1", "never closed", 1, 4),
            ("a: \"open", "never closed", 1, 4),
            ("a: 'open", "never closed", 1, 4),
            ("a: \"\\q\"", "Unknown escape '\\q'", 1, 5),
            ("a: \"\\u12\"", "4 hexadecimal digits", 1, 5),
            ("a:\n\tb: 1", "Tab characters", 2, 1),
            ("a: [1,, 2]", "Unexpected ','", 1, 7),
            ("a: [\"x\" y]", "Expected ',' or ']'", 1, 9),
            ("? complex\n: value", "Explicit mapping keys", 1, 1),
            ("a: @x", "reserved", 1, 4),
            ("a: 1\n- b", "Expected a 'key: value' entry", 2, 1),
            ("- a\nb: 1", "Unexpected text after the document", 2, 1),
            ("a: |x\n  t", "block scalar indicator", 1, 5),
            ("a: - b", "block sequence cannot start", 1, 4),
            ("{a: 1}: b", "cannot be a mapping key", 1, 1),
            ("a: [- b]", "cannot be inside a flow", 1, 5),
            ("&x a: 1", "Tags and anchors on mapping keys", 1, 1),
            ("a: \"x\" y", "Unexpected text after the value", 1, 8),
            ("é: 1\né: 2", "Duplicate key", 2, 1),
            ("k: ab\n  c: d", "mapping value is not allowed", 2, 4),
            ("a: x\n  é: [1", "mapping value is not allowed", 2, 4),
            ("Output: {% $states.input %}", "must be quoted in YAML", 1, 9),
            ("a: 1\n%YAML 1.2\n", "Expected a 'key: value' entry", 2, 1),
            ("n: !!int abc", "needs a number", 1, 4),
            ("b: !!bool 1", "needs true or false", 1, 4),
            ("m: !!map [1]", "needs a mapping", 1, 4),
            ("a: & x", "needs a name", 1, 4),
            ("a: \"\\uD800x\"", "Invalid code point", 1, 5),
            ("a: \"\\uD800\\u0041\"", "Unpaired UTF-16 surrogate", 1, 5),
            (": v", "mapping key is missing", 1, 1),
            ("a: %x", "'%' cannot start", 1, 4),
            ("a: ]", "Unexpected ']'", 1, 4),
            ("a: [1]]", "Unexpected text after the value", 1, 7),
        ];
        for (text, message, line, column) in cases {
            let e = err(text);
            assert!(e.message.contains(message), "{text:?}: {e}");
            assert_eq!((e.line, e.column), (Some(*line), Some(*column)), "{text:?}: {e}");
        }
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
        let text = "Resources:\n  M: &m\n    Type: \"AWS::StepFunctions::StateMachine\"\n    Properties:\n      Definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}\n      List: [!Ref X, !GetAtt a.b, 'q''s', \"\\u00e9\\\n  x\"]\n      Text: |+2\n          body é\n\n      Folded: >-\n        a\n         b\n  N: *m\n";
        for (i, _) in text.char_indices() {
            let _ = parse_yaml(&text[..i]);
            let _ = parse_yaml(&text[i..]);
        }
        assert!(parse_yaml(text).is_ok());
    }
}
