//! A forgiving reader for JSON text that is being typed: it never fails, and it keeps where
//! every key, value, colon and comma stands, so the service can tell what the cursor is on
//! in half-written text (`{"Type": "Pa`, a missing comma, an unclosed brace).
//!
//! Recovery rules: a string ends at its closing quote, at the end of its line or at the end
//! of the text (then it is not `closed`); a bare word (`Ne`, `tru`, `12`) is a value or a key
//! of its own; a member may lack its colon or its value; a stray `,` or `:` is skipped; a
//! closing bracket of the wrong kind ends the containers open inside the one it closes.
//! Every step consumes text, so reading always ends.
//!
//! Containers are read lazily: reading a value only finds where it ends (a fast scan of
//! brackets and strings); an object's members (an array's items) are read the first time
//! they are asked for, once. A request reads what it looks at (the containers around the
//! cursor, the states of one machine), not a whole 10,000-state definition's payloads.

use std::cell::OnceCell;

/// How deep the service reads: containers nested deeper than this are not looked into.
pub(crate) const MAX_DEPTH: usize = 256;

/// A byte range of the text, `end` exclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: usize,
    pub end: usize,
}

/// A JSON value as typed.
#[derive(Debug)]
pub(crate) enum Node {
    Object(Object),
    Array(Array),
    String(Str),
    /// A number, `true`, `false`, `null`, a bare word, or an opaque over-deep container.
    Word(Span),
}

/// A string literal; `span` includes the quotes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Str {
    pub span: Span,
    pub closed: bool,
}

#[derive(Debug)]
pub(crate) struct Object {
    pub span: Span,
    pub closed: bool,
    /// Read on first use (see [`Object::members`]).
    members: OnceCell<Vec<Member>>,
}

#[derive(Debug)]
pub(crate) struct Member {
    /// The key: a string, or a bare word when typed without quotes.
    pub key: Key,
    /// Where the colon is, if typed.
    pub colon: Option<usize>,
    pub value: Option<Node>,
    /// Where the comma after the member is, if typed.
    pub comma: Option<usize>,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Key {
    pub span: Span,
    pub quoted: bool,
    pub closed: bool,
}

#[derive(Debug)]
pub(crate) struct Array {
    pub span: Span,
    pub closed: bool,
    /// Read on first use (see [`Array::items`]).
    items: OnceCell<Vec<Item>>,
}

#[derive(Debug)]
pub(crate) struct Item {
    pub value: Node,
    pub comma: Option<usize>,
}

impl Node {
    pub fn span(&self) -> Span {
        match self {
            Node::Object(o) => o.span,
            Node::Array(a) => a.span,
            Node::String(s) => s.span,
            Node::Word(w) => *w,
        }
    }

    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Node::Object(o) => Some(o),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Array> {
        match self {
            Node::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&Str> {
        match self {
            Node::String(s) => Some(s),
            _ => None,
        }
    }
}

impl Str {
    /// The bytes between the quotes (to the end of the text typed so far when unclosed).
    pub fn inner(&self) -> Span {
        let end = if self.closed { self.span.end - 1 } else { self.span.end };
        Span { start: (self.span.start + 1).min(end), end }
    }

    /// The string's value, escapes decoded (a broken escape is kept as typed).
    pub fn value(&self, text: &str) -> String {
        unescape(slice(text, self.inner()))
    }
}

impl Key {
    /// The bytes of the key's name (between the quotes, or the bare word).
    pub fn inner(&self) -> Span {
        if self.quoted {
            Str { span: self.span, closed: self.closed }.inner()
        } else {
            self.span
        }
    }

    /// The key's name, escapes decoded.
    pub fn name(&self, text: &str) -> String {
        unescape(slice(text, self.inner()))
    }

    /// Whether the key's text equals `name` (comparing the raw text first, cheaply).
    pub fn is(&self, text: &str, name: &str) -> bool {
        let raw = slice(text, self.inner());
        if raw.contains('\\') {
            unescape(raw) == name
        } else {
            raw == name
        }
    }
}

impl Object {
    /// The members, read from `text` (the text this object was read from) the first time.
    pub fn members(&self, text: &str) -> &[Member] {
        self.members.get_or_init(|| {
            let mut r = Reader { b: text.as_bytes(), pos: self.span.start + 1 };
            r.members()
        })
    }

    /// The member whose key is `name` (the last one when repeated, as JSON parsers keep).
    pub fn get(&self, text: &str, name: &str) -> Option<&Member> {
        self.members(text).iter().rev().find(|m| m.key.is(text, name))
    }

    /// The value of the member `name`.
    pub fn value(&self, text: &str, name: &str) -> Option<&Node> {
        self.get(text, name).and_then(|m| m.value.as_ref())
    }

    /// The string value of the member `name`, decoded.
    pub fn string(&self, text: &str, name: &str) -> Option<String> {
        self.value(text, name).and_then(Node::as_str).map(|s| s.value(text))
    }
}

impl Array {
    /// The items, read from `text` (the text this array was read from) the first time.
    pub fn items(&self, text: &str) -> &[Item] {
        self.items.get_or_init(|| {
            let mut r = Reader { b: text.as_bytes(), pos: self.span.start + 1 };
            r.items()
        })
    }
}

/// The text of a span, or "" when the span does not fall on character boundaries.
pub(crate) fn slice(text: &str, span: Span) -> &str {
    text.get(span.start..span.end).unwrap_or("")
}

/// Decodes JSON string escapes; anything malformed is kept as typed.
pub(crate) fn unescape(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let hex: String = chars.clone().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().filter(|_| hex.len() == 4).and_then(char::from_u32) {
                    Some(ch) => {
                        out.push(ch);
                        for _ in 0..4 {
                            chars.next();
                        }
                    }
                    None => out.push_str("\\u"),
                }
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Reads the whole text; `None` when it holds no value at all (blank text).
pub(crate) fn parse(text: &str) -> Option<Node> {
    let mut r = Reader { b: text.as_bytes(), pos: 0 };
    r.ws();
    r.value()
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

/// Bytes a bare word is made of (numbers, literals, half-typed keys).
fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'-' | b'+' | b'.' | b'_' | b'$') || c >= 0x80
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// A value starting here, or `None` (and nothing consumed) when none starts here. A
    /// container is only scanned to its end; its content is read when asked for.
    fn value(&mut self) -> Option<Node> {
        match self.peek()? {
            c @ (b'{' | b'[') => {
                let start = self.pos;
                let closed = self.skip_container();
                let span = Span { start, end: self.pos };
                Some(if c == b'{' {
                    Node::Object(Object { span, closed, members: OnceCell::new() })
                } else {
                    Node::Array(Array { span, closed, items: OnceCell::new() })
                })
            }
            b'"' => Some(Node::String(self.string())),
            c if is_word_byte(c) => Some(Node::Word(self.word())),
            _ => None,
        }
    }

    /// Moves past the container opening here, as reading it member by member would (strings
    /// respected, a closing bracket of the wrong kind ending the containers inside it);
    /// whether it was closed.
    fn skip_container(&mut self) -> bool {
        let mut open: Vec<u8> = Vec::new();
        while let Some(c) = self.peek() {
            match c {
                b'{' | b'[' => {
                    open.push(c);
                    self.pos += 1;
                }
                b'}' | b']' => {
                    let opener = if c == b'}' { b'{' } else { b'[' };
                    let matched = open.pop() == Some(opener);
                    if matched {
                        self.pos += 1;
                    }
                    if open.is_empty() {
                        return matched;
                    }
                }
                b'"' => {
                    self.string();
                }
                _ => self.pos += 1,
            }
        }
        false
    }

    fn word(&mut self) -> Span {
        let start = self.pos;
        while self.peek().is_some_and(is_word_byte) {
            self.pos += 1;
        }
        // Word bytes >= 0x80 are whole characters: the word ends on a boundary.
        Span { start, end: self.pos }
    }

    fn string(&mut self) -> Str {
        let start = self.pos;
        self.pos += 1;
        while let Some(c) = self.peek() {
            match c {
                b'"' => {
                    self.pos += 1;
                    return Str { span: Span { start, end: self.pos }, closed: true };
                }
                b'\n' | b'\r' => break,
                b'\\' => self.pos = (self.pos + 2).min(self.b.len()),
                _ => self.pos += 1,
            }
        }
        // A backslash before the line end may have stepped into it: back off to the newline.
        while self.pos > start + 1 && matches!(self.b.get(self.pos - 1), Some(b'\n' | b'\r')) {
            self.pos -= 1;
        }
        Str { span: Span { start, end: self.pos }, closed: false }
    }

    /// The members of the object whose `{` is just before here, to its end.
    fn members(&mut self) -> Vec<Member> {
        let mut members: Vec<Member> = Vec::new();
        loop {
            self.ws();
            let Some(c) = self.peek() else { return members };
            match c {
                b'}' | b']' => return members,
                b',' => {
                    if let Some(last) = members.last_mut().filter(|m| m.comma.is_none()) {
                        last.comma = Some(self.pos);
                    }
                    self.pos += 1;
                }
                b'"' => {
                    let s = self.string();
                    members.push(self.member(Key { span: s.span, quoted: true, closed: s.closed }));
                }
                c if is_word_byte(c) => {
                    let w = self.word();
                    members.push(self.member(Key { span: w, quoted: false, closed: true }));
                }
                // `{` or `[` where a key belongs: pass it whole so its brackets stay paired.
                b'{' | b'[' => {
                    self.skip_container();
                }
                _ => self.pos += 1,
            }
        }
    }

    fn member(&mut self, key: Key) -> Member {
        let mut m = Member { key, colon: None, value: None, comma: None };
        self.ws();
        if self.peek() == Some(b':') {
            m.colon = Some(self.pos);
            self.pos += 1;
            self.ws();
            m.value = self.value();
            self.ws();
        }
        if self.peek() == Some(b',') {
            m.comma = Some(self.pos);
            self.pos += 1;
        }
        m
    }

    /// The items of the array whose `[` is just before here, to its end.
    fn items(&mut self) -> Vec<Item> {
        let mut items: Vec<Item> = Vec::new();
        loop {
            self.ws();
            let Some(c) = self.peek() else { return items };
            match c {
                b']' | b'}' => return items,
                b',' => {
                    if let Some(last) = items.last_mut().filter(|i| i.comma.is_none()) {
                        last.comma = Some(self.pos);
                    }
                    self.pos += 1;
                }
                _ => match self.value() {
                    Some(value) => {
                        self.ws();
                        let comma = (self.peek() == Some(b',')).then_some(self.pos);
                        if comma.is_some() {
                            self.pos += 1;
                        }
                        items.push(Item { value, comma });
                    }
                    None => self.pos += 1,
                },
            }
        }
    }
}

/// What the cursor is on inside the innermost container that holds it.
#[derive(Debug)]
pub(crate) enum At<'t> {
    /// In (or at the end of) the key of this member.
    Key(&'t Member),
    /// Where a new member's key may be typed (between members).
    NewKey,
    /// In a string or word value (of the frame's member or item).
    Value(&'t Node),
    /// After a member's colon where its value is missing or not reached, or where an array
    /// element may be typed.
    NewValue,
}

/// One container on the way from the root to the cursor, and what leads on from it.
#[derive(Debug)]
pub(crate) struct Frame<'t> {
    pub node: &'t Node,
    /// The member or element holding the cursor, if any.
    pub via: Via<'t>,
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Via<'t> {
    Member(&'t Member),
    Index(usize),
    None,
}

/// Where a position falls: the containers around it, root first, and what it is on in the
/// innermost one (the last frame). Empty when the position is outside the root value.
#[derive(Debug)]
pub(crate) struct Location<'t> {
    pub frames: Vec<Frame<'t>>,
    pub at: At<'t>,
}

/// Whether a position counts as on a token: `hover` takes the character after the position
/// (from the token's first character); completion takes the text before it (to its end).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Complete,
    Hover,
}

/// Whether `pos` is in the string (between its quotes; at its end when unclosed).
fn in_string(s: &Str, pos: usize, mode: Mode) -> bool {
    let inner = s.inner();
    match mode {
        Mode::Complete => pos >= inner.start && pos <= inner.end && pos > s.span.start,
        Mode::Hover => pos >= s.span.start && pos < s.span.end.max(s.span.start + 1),
    }
}

fn in_word(w: Span, pos: usize, mode: Mode) -> bool {
    match mode {
        Mode::Complete => pos >= w.start && pos <= w.end,
        Mode::Hover => pos >= w.start && pos < w.end,
    }
}

fn in_key(k: &Key, pos: usize, mode: Mode) -> bool {
    if k.quoted {
        in_string(&Str { span: k.span, closed: k.closed }, pos, mode)
    } else {
        in_word(k.span, pos, mode)
    }
}

/// Whether `pos` is strictly inside a container (after its opening bracket, before its
/// closing one; up to the end of the text read when unclosed).
fn in_container(span: Span, closed: bool, pos: usize) -> bool {
    pos > span.start && (if closed { pos < span.end } else { pos <= span.end })
}

/// Locates `pos` (a byte offset) in the tree read from `text`.
pub(crate) fn locate<'t>(text: &str, root: &'t Node, pos: usize, mode: Mode) -> Option<Location<'t>> {
    let mut frames: Vec<Frame> = Vec::new();
    let mut node = root;
    loop {
        // Deeper than any definition: nothing to say (and nothing read deeper, so the tree
        // stays shallow enough to drop without deep recursion).
        if frames.len() > MAX_DEPTH {
            return None;
        }
        match node {
            Node::Object(o) => {
                if !in_container(o.span, o.closed, pos) {
                    return None;
                }
                // The member around pos: the last whose key starts before it.
                let members = o.members(text);
                let i = members.partition_point(|m| m.key.span.start < pos);
                let candidates = [i.checked_sub(1), (i < members.len()).then_some(i)];
                let mut found: Option<(&Member, At)> = None;
                let mut descend: Option<(&Member, &Node)> = None;
                for m in candidates.into_iter().flatten().filter_map(|i| members.get(i)) {
                    if in_key(&m.key, pos, mode) {
                        found = Some((m, At::Key(m)));
                        break;
                    }
                    if let Some(v) = &m.value {
                        match v {
                            Node::Object(c) if in_container(c.span, c.closed, pos) => descend = Some((m, v)),
                            Node::Array(c) if in_container(c.span, c.closed, pos) => descend = Some((m, v)),
                            Node::String(s) if in_string(s, pos, mode) => found = Some((m, At::Value(v))),
                            Node::Word(w) if in_word(*w, pos, mode) => found = Some((m, At::Value(v))),
                            _ => {}
                        }
                    }
                    if found.is_some() || descend.is_some() {
                        break;
                    }
                    // After the colon, before the value (or where it is missing), before the comma.
                    if let Some(colon) = m.colon {
                        let before_value = m.value.as_ref().is_none_or(|v| pos <= v.span().start);
                        let before_comma = m.comma.is_none_or(|c| pos <= c);
                        if pos > colon && before_value && before_comma && mode == Mode::Complete {
                            found = Some((m, At::NewValue));
                            break;
                        }
                    }
                }
                if let Some((m, v)) = descend {
                    frames.push(Frame { node, via: Via::Member(m) });
                    node = v;
                    continue;
                }
                return Some(match found {
                    Some((m, at)) => {
                        frames.push(Frame { node, via: Via::Member(m) });
                        Location { frames, at }
                    }
                    None => {
                        frames.push(Frame { node, via: Via::None });
                        Location { frames, at: At::NewKey }
                    }
                });
            }
            Node::Array(a) => {
                if !in_container(a.span, a.closed, pos) {
                    return None;
                }
                let items = a.items(text);
                let i = items.partition_point(|it| it.value.span().start < pos);
                let mut found: Option<(usize, At)> = None;
                let mut descend: Option<(usize, &Node)> = None;
                for j in [i.checked_sub(1), (i < items.len()).then_some(i)].into_iter().flatten() {
                    let Some(item) = items.get(j) else { continue };
                    let v = &item.value;
                    match v {
                        Node::Object(c) if in_container(c.span, c.closed, pos) => descend = Some((j, v)),
                        Node::Array(c) if in_container(c.span, c.closed, pos) => descend = Some((j, v)),
                        Node::String(s) if in_string(s, pos, mode) => found = Some((j, At::Value(v))),
                        Node::Word(w) if in_word(*w, pos, mode) => found = Some((j, At::Value(v))),
                        _ => {}
                    }
                    if found.is_some() || descend.is_some() {
                        break;
                    }
                }
                if let Some((j, v)) = descend {
                    frames.push(Frame { node, via: Via::Index(j) });
                    node = v;
                    continue;
                }
                return match found {
                    Some((j, at)) => {
                        frames.push(Frame { node, via: Via::Index(j) });
                        Some(Location { frames, at })
                    }
                    // The element being typed: after the elements that start before pos.
                    None if mode == Mode::Complete => {
                        frames.push(Frame { node, via: Via::Index(i) });
                        Some(Location { frames, at: At::NewValue })
                    }
                    None => None,
                };
            }
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(o: &Object, text: &str) -> Vec<String> {
        o.members(text).iter().map(|m| m.key.name(text)).collect()
    }

    #[test]
    fn reads_valid_json() {
        let text = r#"{"a": [1, "x", {"b": null}], "c": "d\"e"}"#;
        let root = parse(text).unwrap();
        let o = root.as_object().unwrap();
        assert!(o.closed);
        assert_eq!(keys(o, text), ["a", "c"]);
        assert_eq!(o.string(text, "c").as_deref(), Some("d\"e"));
        assert_eq!(o.value(text, "a").unwrap().as_array().unwrap().items(text).len(), 3);
    }

    #[test]
    fn recovers_from_half_typed_text() {
        let text = "{\"Type\": \"Pass\", \"Ne\n  \"End\": true,\n  Resou";
        let root = parse(text).unwrap();
        let o = root.as_object().unwrap();
        assert!(!o.closed);
        assert_eq!(keys(o, text), ["Type", "Ne", "End", "Resou"]);
        assert!(!o.members(text)[1].key.closed);
        assert_eq!(o.string(text, "Type").as_deref(), Some("Pass"));
    }

    #[test]
    fn locates_keys_values_and_gaps() {
        let text = r#"{"States": {"A": {"Type": "Pass", "Next": "B"}, }}"#;
        let root = parse(text).unwrap();
        let next = text.find("\"B\"").unwrap() + 1;
        let loc = locate(text, &root, next, Mode::Complete).unwrap();
        assert_eq!(loc.frames.len(), 3);
        assert!(matches!(loc.at, At::Value(_)));
        let gap = text.find(", }").unwrap() + 2;
        let loc = locate(text, &root, gap, Mode::Complete).unwrap();
        assert_eq!(loc.frames.len(), 2);
        assert!(matches!(loc.at, At::NewKey));
        let key = text.find("Type").unwrap() + 2;
        assert!(matches!(locate(text, &root, key, Mode::Complete).unwrap().at, At::Key(_)));
        let after_colon = text.find("\"Pass\"").unwrap() - 1;
        assert!(matches!(locate(text, &root, after_colon, Mode::Complete).unwrap().at, At::NewValue));
    }

    #[test]
    fn never_fails_on_garbage() {
        for text in ["", "}", "]]]", "{\"a\":", "{,,:", "[{]", "\"\\", "{\"a\\", "[[[[[[", "{\"é\": \"ü"] {
            if let Some(root) = parse(text) {
                for pos in 0..=text.len() + 1 {
                    let _ = locate(text, &root, pos, Mode::Complete);
                    let _ = locate(text, &root, pos, Mode::Hover);
                }
            }
        }
        let deep = "[".repeat(100_000);
        assert!(parse(&deep).is_some());
        // A mismatched closer ends the containers inside the one it closes: the `}` after `]`
        // then closes the outer object (`, "c": 3}` is left over).
        let text = r#"{"a": [1, {"b": 2]}, "c": 3}"#;
        let root = parse(text).unwrap();
        let o = root.as_object().unwrap();
        assert!(o.closed);
        assert_eq!(o.span.end, text.find("]}").unwrap() + 2);
        assert_eq!(keys(o, text), ["a"]);
        let a = o.value(text, "a").unwrap().as_array().unwrap();
        assert!(a.closed);
        assert!(!a.items(text)[1].value.as_object().unwrap().closed);
    }
}
