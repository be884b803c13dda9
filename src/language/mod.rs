//! The ASL language service: what the editor offers at a position of a definition's text (or
//! of a mock configuration's): completions, hover documentation, signature help, and quick
//! fixes for the validator's diagnostics. It reads half-typed text (see `syntax`), the shape
//! of definitions from [`crate::definition::schema`] (the validator's own tables), the
//! integrations the mocks know, and the documentation in `src/language/docs/*.md` and the
//! snippets in `src/language/snippets.md` (data, compiled in).
//!
//! # API
//!
//! Every entry point takes the editor's whole text and a position, and answers `None` (or
//! nothing) when it has nothing to say; none panics or loops on any text or offset.
//! Offsets in requests and answers are **UTF-16 code units** (CodeMirror positions).
//!
//! - [`complete`]`(&Request)` → [`Completions`] `{from, to, options}`: `[from, to)` is the text
//!   an option replaces (the half-typed word, inside its quotes when typed with one); each
//!   option has a `label` (what the list shows and filters on), a one-line `detail`, a `kind`,
//!   and may have `apply` (the text inserted instead of the label; a CodeMirror snippet
//!   template with `${1:placeholder}` fields when `snippet`), a `boost` (-99..99) and `info`
//!   (the longer docs).
//! - [`hover`]`(&Request)` → [`Hover`] `{from, to, title, signature?, text, example?, link?}`.
//! - [`signature`]`(&Request)` → [`Signature`] `{label, parameters, active, doc?, link?}` inside
//!   the parentheses of an intrinsic function (`States.Format(`) or a JSONata function.
//! - [`quick_fixes`]`(doc, text, &[FixRequest])` → one list of [`QuickFix`] `{name, changes}`
//!   per diagnostic, in order (diagnostics as the validator reports them: code, message,
//!   location in AWS's `/States/A/Next` or JSON pointer form).
//!
//! Each answer has `to_value()`, the JSON the page's worker passes on (see
//! `www/src/protocol.ts`: `CompletionResult`, `HoverResult`, `SignatureResult`, `QuickFix`).
//! The wasm module `pkg/aslplay_language_bg.wasm` (`--features language`, bindings in
//! `src/wasm_language.rs`) exposes the four as functions of JSON text.
//!
//! [`Request::doc`] says which editor asks: [`Doc::Definition`] (ASL as JSON) or [`Doc::Mock`]
//! (a MockConfigFile; [`Request::definition`] then holds the definition's text, whose Task
//! states the mock names). YAML text is not analysed (answers are `None`).

mod complete;
mod docs;
mod expr;
mod fixes;
mod hover;
mod mock;
mod place;
mod resources;
mod syntax;

use crate::value::{Map, Value};

/// Which editor a request comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Doc {
    /// The state machine definition (ASL JSON).
    Definition,
    /// The mock configuration (MockConfigFile JSON).
    Mock,
}

impl Doc {
    /// `"definition"` or `"mock"`; anything else is `None`.
    pub fn from_name(name: &str) -> Option<Doc> {
        match name {
            "definition" => Some(Doc::Definition),
            "mock" => Some(Doc::Mock),
            _ => None,
        }
    }
}

/// A question at a position of an editor's text.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    pub doc: Doc,
    /// The editor's whole text.
    pub text: &'a str,
    /// The cursor, in UTF-16 code units from the start of `text`.
    pub offset: usize,
    /// For [`Doc::Mock`]: the definition editor's text (empty when unknown).
    pub definition: &'a str,
    /// Completion was asked for explicitly (Ctrl+Space).
    pub explicit: bool,
}

/// What kind of thing a completion option is (CodeMirror's completion types, which choose
/// the icon).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Property,
    Enum,
    Constant,
    Function,
    Variable,
    Keyword,
    Text,
    Class,
    Snippet,
}

impl ItemKind {
    fn name(self) -> &'static str {
        match self {
            ItemKind::Property => "property",
            ItemKind::Enum => "enum",
            ItemKind::Constant => "constant",
            ItemKind::Function => "function",
            ItemKind::Variable => "variable",
            ItemKind::Keyword => "keyword",
            ItemKind::Text => "text",
            ItemKind::Class => "class",
            ItemKind::Snippet => "snippet",
        }
    }
}

/// One completion option.
#[derive(Clone, Debug, PartialEq)]
pub struct Completion {
    pub label: String,
    /// One line shown beside the label.
    pub detail: String,
    pub kind: ItemKind,
    /// The text inserted instead of the label.
    pub apply: Option<String>,
    /// `apply` is a CodeMirror snippet template.
    pub snippet: bool,
    /// Ranking hint, -99..99.
    pub boost: i32,
    /// Longer documentation.
    pub info: Option<String>,
}

impl Completion {
    pub(crate) fn new(label: impl Into<String>, detail: impl Into<String>, kind: ItemKind) -> Completion {
        Completion {
            label: label.into(),
            detail: detail.into(),
            kind,
            apply: None,
            snippet: false,
            boost: 0,
            info: None,
        }
    }

    pub(crate) fn apply(mut self, apply: impl Into<String>) -> Completion {
        self.apply = Some(apply.into());
        self
    }

    pub(crate) fn snippet(mut self, template: impl Into<String>) -> Completion {
        self.apply = Some(template.into());
        self.snippet = true;
        self
    }

    pub(crate) fn boost(mut self, boost: i32) -> Completion {
        self.boost = boost.clamp(-99, 99);
        self
    }

    pub(crate) fn info(mut self, info: Option<String>) -> Completion {
        self.info = info.filter(|i| !i.is_empty());
        self
    }

    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("label", Value::from(self.label.as_str()));
        m.insert("detail", Value::from(self.detail.as_str()));
        m.insert("type", Value::from(self.kind.name()));
        if let Some(apply) = &self.apply {
            m.insert("apply", Value::from(apply.as_str()));
            if self.snippet {
                m.insert("snippet", Value::Bool(true));
            }
        }
        if self.boost != 0 {
            m.insert("boost", Value::from(self.boost as i64));
        }
        if let Some(info) = &self.info {
            m.insert("info", Value::from(info.as_str()));
        }
        Value::from(m)
    }
}

/// The options at a position and the text they replace, `[from, to)` (UTF-16).
#[derive(Clone, Debug, PartialEq)]
pub struct Completions {
    pub from: usize,
    pub to: usize,
    pub options: Vec<Completion>,
}

impl Completions {
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("from", Value::from(self.from));
        m.insert("to", Value::from(self.to));
        m.insert("options", Value::from(self.options.iter().map(Completion::to_value).collect::<Vec<_>>()));
        Value::from(m)
    }
}

/// Documentation for the word under the pointer, `[from, to)` (UTF-16).
#[derive(Clone, Debug, PartialEq)]
pub struct Hover {
    pub from: usize,
    pub to: usize,
    /// `ResultPath (Task field)`, `States.Format`, ...
    pub title: String,
    /// A function's signature.
    pub signature: Option<String>,
    /// Plain text with `code` spans.
    pub text: String,
    pub example: Option<String>,
    /// The AWS documentation page.
    pub link: Option<String>,
}

impl Hover {
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("from", Value::from(self.from));
        m.insert("to", Value::from(self.to));
        m.insert("title", Value::from(self.title.as_str()));
        if let Some(s) = &self.signature {
            m.insert("signature", Value::from(s.as_str()));
        }
        m.insert("text", Value::from(self.text.as_str()));
        if let Some(e) = &self.example {
            m.insert("example", Value::from(e.as_str()));
        }
        if let Some(l) = &self.link {
            m.insert("link", Value::from(l.as_str()));
        }
        Value::from(m)
    }
}

/// One parameter of a signature.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    pub label: String,
    pub doc: Option<String>,
}

/// The function call around the cursor and the parameter being typed.
#[derive(Clone, Debug, PartialEq)]
pub struct Signature {
    /// `States.Format(template, value1, value2, ...)`.
    pub label: String,
    pub parameters: Vec<Parameter>,
    /// Index into `parameters` (the last one for the extra values of a variadic function).
    pub active: usize,
    pub doc: Option<String>,
    pub link: Option<String>,
}

impl Signature {
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("label", Value::from(self.label.as_str()));
        let params: Vec<Value> = self
            .parameters
            .iter()
            .map(|p| {
                let mut pm = Map::new();
                pm.insert("label", Value::from(p.label.as_str()));
                if let Some(d) = &p.doc {
                    pm.insert("doc", Value::from(d.as_str()));
                }
                Value::from(pm)
            })
            .collect();
        m.insert("parameters", Value::from(params));
        m.insert("active", Value::from(self.active));
        if let Some(d) = &self.doc {
            m.insert("doc", Value::from(d.as_str()));
        }
        if let Some(l) = &self.link {
            m.insert("link", Value::from(l.as_str()));
        }
        Value::from(m)
    }
}

/// One text change, `[from, to)` replaced by `insert` (UTF-16).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub from: usize,
    pub to: usize,
    pub insert: String,
}

/// A fix for a diagnostic: what the user reads, and the changes that make it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuickFix {
    /// `Change to "ProcessOrder"`, `Add "End": true`, `Remove "Foo"`.
    pub name: String,
    /// Non-overlapping, in text order.
    pub changes: Vec<Change>,
}

impl QuickFix {
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("name", Value::from(self.name.as_str()));
        let changes: Vec<Value> = self
            .changes
            .iter()
            .map(|c| {
                let mut cm = Map::new();
                cm.insert("from", Value::from(c.from));
                cm.insert("to", Value::from(c.to));
                cm.insert("insert", Value::from(c.insert.as_str()));
                Value::from(cm)
            })
            .collect();
        m.insert("changes", Value::from(changes));
        Value::from(m)
    }

    /// `text` with the fix applied (offsets are UTF-16); `None` if a change does not fit.
    pub fn apply_to(&self, text: &str) -> Option<String> {
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for c in &self.changes {
            let (from, to) = (byte_offset(text, c.from)?, byte_offset(text, c.to)?);
            if from < at || to < from {
                return None;
            }
            out.push_str(text.get(at..from)?);
            out.push_str(&c.insert);
            at = to;
        }
        out.push_str(text.get(at..)?);
        Some(out)
    }
}

/// A diagnostic to fix, as the validator reported it.
#[derive(Clone, Debug, Default)]
pub struct FixRequest {
    pub code: String,
    pub message: String,
    /// AWS's location (`/States/C/Choices[0]/Next`) or a JSON pointer; empty for none.
    pub location: String,
}

impl FixRequest {
    /// Reads `{"code", "message", "location"?}` (the page's `AwsDiagnostic`).
    pub fn from_value(v: &Value) -> FixRequest {
        let field = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        FixRequest { code: field("code"), message: field("message"), location: field("location") }
    }
}

/// The completions at the request's position.
///
/// ```
/// use aslplay::language::{complete, Doc, Request};
/// let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": ""}, "B": {"Type": "Succeed"}}}"#;
/// let offset = text.find(r#""Next": ""#).unwrap() + 9;
/// let got = complete(&Request { doc: Doc::Definition, text, offset, definition: "", explicit: true }).unwrap();
/// assert_eq!(got.options[0].label, "B");
/// ```
pub fn complete(req: &Request) -> Option<Completions> {
    let pos = byte_offset(req.text, req.offset)?;
    let answer = match req.doc {
        Doc::Definition => complete::complete(req.text, pos, req.explicit),
        Doc::Mock => mock::complete(req.text, pos, req.definition),
    }?;
    let mut options = answer.options;
    // Ranked: higher boosts first, the order found otherwise.
    options.sort_by_key(|o| std::cmp::Reverse(o.boost));
    Some(Completions { from: utf16_offset(req.text, answer.from), to: utf16_offset(req.text, answer.to), options })
}

/// The documentation of what is at the request's position.
pub fn hover(req: &Request) -> Option<Hover> {
    let pos = byte_offset(req.text, req.offset)?;
    let mut h = match req.doc {
        Doc::Definition => hover::hover(req.text, pos),
        Doc::Mock => mock::hover(req.text, pos),
    }?;
    h.from = utf16_offset(req.text, h.from);
    h.to = utf16_offset(req.text, h.to);
    Some(h)
}

/// The function call around the request's position, with the parameter being typed.
pub fn signature(req: &Request) -> Option<Signature> {
    let pos = byte_offset(req.text, req.offset)?;
    match req.doc {
        Doc::Definition => hover::signature(req.text, pos),
        Doc::Mock => None,
    }
}

/// Quick fixes for each diagnostic of `text` (one list per diagnostic, in order; empty when
/// there is no fix).
pub fn quick_fixes(doc: Doc, text: &str, diagnostics: &[FixRequest]) -> Vec<Vec<QuickFix>> {
    let fixes = match doc {
        Doc::Definition => fixes::quick_fixes(text, diagnostics),
        Doc::Mock => diagnostics.iter().map(|_| Vec::new()).collect(),
    };
    fixes
        .into_iter()
        .map(|list| {
            list.into_iter()
                .map(|mut f| {
                    for c in &mut f.changes {
                        c.from = utf16_offset(text, c.from);
                        c.to = utf16_offset(text, c.to);
                    }
                    f
                })
                .collect()
        })
        .collect()
}

/// An answer in byte offsets, before conversion.
pub(crate) struct Answer {
    pub from: usize,
    pub to: usize,
    pub options: Vec<Completion>,
}

/// The byte offset of a UTF-16 offset; `None` past the end. An offset inside a surrogate
/// pair (the middle of a character) falls back to that character's start.
pub fn byte_offset(text: &str, utf16: usize) -> Option<usize> {
    // Most text is ASCII up to the position: bytes and code units agree there.
    let prefix = text.as_bytes().get(..utf16.min(text.len()))?;
    if prefix.is_ascii() {
        return (utf16 <= text.len()).then_some(utf16);
    }
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return Some(i);
        }
        units += c.len_utf16();
        if units > utf16 {
            return Some(i);
        }
    }
    (units == utf16).then_some(text.len())
}

/// The UTF-16 offset of a byte offset (clamped to the text, and back to a character start).
pub fn utf16_offset(text: &str, byte: usize) -> usize {
    let mut b = byte.min(text.len());
    while !text.is_char_boundary(b) {
        b -= 1;
    }
    let prefix = &text[..b];
    if prefix.is_ascii() {
        b
    } else {
        prefix.chars().map(char::len_utf16).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_offsets_round_trip() {
        let text = "a\u{e9}\u{1F600}b";
        // a=1 unit, é=1 unit (2 bytes), 😀=2 units (4 bytes), b.
        assert_eq!(byte_offset(text, 0), Some(0));
        assert_eq!(byte_offset(text, 2), Some(3));
        assert_eq!(byte_offset(text, 3), Some(3));
        assert_eq!(byte_offset(text, 4), Some(7));
        assert_eq!(byte_offset(text, 5), Some(8));
        assert_eq!(byte_offset(text, 6), None);
        assert_eq!(utf16_offset(text, 7), 4);
        assert_eq!(utf16_offset(text, 8), 5);
        assert_eq!(utf16_offset(text, 5), 2);
        assert_eq!(byte_offset("abc", 3), Some(3));
        assert_eq!(byte_offset("abc", 4), None);
    }
}
