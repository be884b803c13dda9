//! Inside a string that is an expression: JSONPath paths and intrinsic functions
//! (`"x.$": "States.Format('{}', $.name)"`), and JSONata (`"{% $sum($states.input.items) %}"`).
//! Completes, documents and gives signature help at a cursor in the string's raw text (as it
//! stands in the JSON, escapes included, so offsets stay those of the text).

use super::docs::{docs, Entry};
use super::{Completion, ItemKind, Parameter, Signature};
use crate::query::intrinsics::Function;

/// What language a string is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ExprKind {
    /// A path (`$.a`, `$$.Execution.Id`, `$var`), or with `intrinsics` also a `States.*` call.
    JsonPath { intrinsics: bool },
    /// A `{% %}` JSONata expression.
    Jsonata,
}

/// A workflow variable that may be read at a place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Var {
    pub name: String,
    /// The state whose `Assign` sets it (empty when set inside the expression itself).
    pub state: String,
}

/// Completions in the string `raw` at `cursor` (bytes into `raw`): the replaced range (in
/// `raw`) and the options.
pub(crate) fn complete(
    kind: ExprKind,
    raw: &str,
    cursor: usize,
    explicit: bool,
    vars: &dyn Fn() -> Vec<Var>,
) -> Option<(usize, usize, Vec<Completion>)> {
    let cursor = floor_boundary(raw, cursor);
    match kind {
        ExprKind::JsonPath { intrinsics } => complete_jsonpath(raw, cursor, intrinsics, explicit, vars),
        ExprKind::Jsonata => complete_jsonata(raw, cursor, explicit, vars),
    }
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Characters of a path or name token.
fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '$' | '.')
}

/// Where the token ending at `cursor` starts.
fn token_start(raw: &str, cursor: usize) -> usize {
    raw[..cursor].char_indices().rev().take_while(|&(_, c)| is_token_char(c)).last().map_or(cursor, |(i, _)| i)
}

/// The token around `pos` (for hover): its range.
fn token_around(raw: &str, pos: usize) -> Option<(usize, usize)> {
    let pos = floor_boundary(raw, pos);
    let start = token_start(raw, pos);
    let end = raw[pos..].char_indices().find(|&(_, c)| !is_token_char(c)).map_or(raw.len(), |(i, _)| pos + i);
    (start < end).then_some((start, end))
}

/// Whether `pos` is inside a `'...'` literal of an intrinsic call (backslash escapes).
fn in_single_quotes(raw: &str, pos: usize) -> bool {
    let mut inside = false;
    let mut escaped = false;
    for c in raw[..pos].chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '\'' => inside = !inside,
            _ => {}
        }
    }
    inside
}

/// The first sentence of an entry's text, plain and short enough for a detail column.
pub(crate) fn short(entry: Option<&Entry>) -> String {
    let Some(e) = entry else { return String::new() };
    let s = e.first_sentence().replace('`', "");
    if s.chars().count() <= 90 {
        return s;
    }
    let cut: String = s.chars().take(87).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

fn info(entry: Option<&Entry>) -> Option<String> {
    entry.map(|e| e.text.clone())
}

fn complete_jsonpath(
    raw: &str,
    cursor: usize,
    intrinsics: bool,
    explicit: bool,
    vars: &dyn Fn() -> Vec<Var>,
) -> Option<(usize, usize, Vec<Completion>)> {
    if in_single_quotes(raw, cursor) {
        return None;
    }
    let start = token_start(raw, cursor);
    let token = &raw[start..cursor];
    let end = raw[cursor..].char_indices().find(|&(_, c)| !is_token_char(c)).map_or(raw.len(), |(i, _)| cursor + i);
    if let Some(rest) = token.strip_prefix("$$") {
        return context_children("$$", rest, cursor, end);
    }
    let mut out = Vec::new();
    if token.starts_with("$.") || token.starts_with("$[") {
        return None;
    }
    if token.starts_with('$') || token.is_empty() {
        out.extend(variables(vars(), '$'));
        out.push(
            Completion::new("$$", "the context object: the execution, the state, the task token", ItemKind::Keyword)
                .apply("$$.")
                .boost(-5)
                .info(info(docs().get("context", "$$"))),
        );
        out.push(Completion::new("$", "the whole state input", ItemKind::Keyword).boost(-10));
    }
    let upper_token = token.to_ascii_lowercase();
    if intrinsics && (token.is_empty() || "states.".starts_with(&upper_token) || upper_token.starts_with("states.")) {
        for f in Function::all() {
            let entry = docs().get("intrinsic", f.name());
            let detail = entry.and_then(|e| e.signature).map_or_else(|| format!("{}()", f.name()), str::to_string);
            out.push(
                Completion::new(f.name(), detail, ItemKind::Function)
                    .snippet(format!("{}(${{}})", f.name()))
                    .info(info(entry)),
            );
        }
    }
    if out.is_empty() || (token.is_empty() && !explicit && !intrinsics) {
        return None;
    }
    Some((start, end, out))
}

/// Completions of the next segment of a context path: `$$.Execution.I` offers `Id`, `Input`.
fn context_children(root: &str, rest: &str, cursor: usize, end: usize) -> Option<(usize, usize, Vec<Completion>)> {
    // rest is what follows `$$`: "", ".", ".Execution.", ".Execution.I", ...
    let bare = rest.is_empty();
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    let (parent, partial) = match rest.rfind('.') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => ("", rest),
    };
    let parent_path = if parent.is_empty() { root.to_string() } else { format!("{root}.{parent}") };
    let (kind, docs_parent) = match root {
        "$states" => ("states", parent_path.clone()),
        _ => ("context", parent_path.clone()),
    };
    let prefix = format!("{docs_parent}.");
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for e in docs().of_kind(kind) {
        let Some(child) = e.name.strip_prefix(prefix.as_str()) else { continue };
        let segment = child.split('.').next().unwrap_or(child);
        if segment.is_empty() || seen.contains(&segment) {
            continue;
        }
        seen.push(segment);
        let entry = docs().get(kind, &format!("{prefix}{segment}"));
        out.push(Completion::new(segment, short(entry), ItemKind::Property).info(info(entry)));
    }
    if out.is_empty() {
        return None;
    }
    if bare {
        // Just `$$`: complete to `$$.` first.
        return Some((
            cursor,
            end,
            out.into_iter()
                .map(|c| {
                    let l = format!(".{}", c.label);
                    c.apply(l)
                })
                .collect(),
        ));
    }
    Some((cursor - partial.len(), end, out))
}

fn variables(vars: Vec<Var>, sigil: char) -> impl Iterator<Item = Completion> {
    vars.into_iter().map(move |v| {
        let detail = if v.state.is_empty() {
            "variable bound in this expression".to_string()
        } else {
            format!("variable assigned in {}", v.state)
        };
        Completion::new(format!("{sigil}{}", v.name), detail, ItemKind::Variable).boost(10)
    })
}

/// The `{% ... %}` body range of a JSONata string: (start after `{%`, end before `%}` or the
/// end of the text).
fn jsonata_body(raw: &str) -> Option<(usize, usize)> {
    let lead = raw.len() - raw.trim_start().len();
    if !raw[lead..].starts_with("{%") {
        return None;
    }
    let start = lead + 2;
    let end = raw[start..].rfind("%}").map_or(raw.len(), |i| start + i);
    Some((start, end))
}

/// Lexical state of JSONata text up to a position: in a string literal or a comment.
fn jsonata_in_literal(body: &str) -> bool {
    let b = body.as_bytes();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    let mut comment = false;
    while i < b.len() {
        let c = b[i];
        if comment {
            if c == b'*' && b.get(i + 1) == Some(&b'/') {
                comment = false;
                i += 1;
            }
        } else if let Some(q) = quote {
            if c == b'\\' {
                // An escaped quote of the JSON text (`\"`) closes a `"` literal; other escapes skip.
                if q == b'"' && b.get(i + 1) == Some(&b'"') {
                    quote = None;
                }
                i += 1;
            } else if c == q {
                quote = None;
            }
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            comment = true;
            i += 1;
        } else if c == b'\'' || c == b'"' {
            quote = Some(c);
        } else if c == b'\\' && b.get(i + 1) == Some(&b'"') {
            quote = Some(b'"');
            i += 1;
        }
        i += 1;
    }
    quote.is_some() || comment
}

/// Variables an expression binds itself (`$x := ...`).
fn bound_in(body: &str) -> Vec<Var> {
    let mut out: Vec<Var> = Vec::new();
    for (i, _) in body.match_indices(":=") {
        let before = body[..i].trim_end();
        let name_start = before.char_indices().rev().take_while(|&(_, c)| c.is_alphanumeric() || c == '_').last();
        if let Some((s, _)) = name_start {
            if before[..s].ends_with('$') {
                let name = before[s..].to_string();
                if !out.iter().any(|v| v.name == name) {
                    out.push(Var { name, state: String::new() });
                }
            }
        }
    }
    out
}

fn complete_jsonata(
    raw: &str,
    cursor: usize,
    explicit: bool,
    vars: &dyn Fn() -> Vec<Var>,
) -> Option<(usize, usize, Vec<Completion>)> {
    let (body_start, body_end) = jsonata_body(raw)?;
    if cursor < body_start || cursor > body_end || jsonata_in_literal(&raw[body_start..cursor]) {
        return None;
    }
    let start = token_start(raw, cursor).max(body_start);
    let token = &raw[start..cursor];
    let end = raw[cursor..body_end.max(cursor)]
        .char_indices()
        .find(|&(_, c)| !is_token_char(c))
        .map_or(body_end.max(cursor), |(i, _)| cursor + i);
    if let Some(rest) = token.strip_prefix("$states") {
        if rest.starts_with('.') {
            return context_children("$states", rest, cursor, end);
        }
    }
    if !(token.starts_with('$') || token.is_empty() && explicit) || token[1.min(token.len())..].contains('.') {
        return None;
    }
    let mut out = Vec::new();
    let mut all_vars = vars();
    for v in bound_in(&raw[body_start..body_end]) {
        if !all_vars.iter().any(|w| w.name == v.name) {
            all_vars.push(v);
        }
    }
    out.extend(variables(all_vars, '$'));
    out.push(
        Completion::new("$states", "the state's input, result, error output and context", ItemKind::Keyword)
            .boost(5)
            .info(info(docs().get("states", "$states"))),
    );
    for e in docs().of_kind("jsonata") {
        let detail = e.signature.map_or_else(|| format!("{}()", e.name), str::to_string);
        out.push(
            Completion::new(e.name, detail, ItemKind::Function)
                .snippet(format!("{}(${{}})", e.name))
                .info(Some(e.text.clone())),
        );
    }
    Some((start, end, out))
}

/// Documentation of the token at `pos` of the string `raw`: (range in `raw`, title, entry).
pub(crate) fn hover(kind: ExprKind, raw: &str, pos: usize, vars: &dyn Fn() -> Vec<Var>) -> Option<ExprHover> {
    if let ExprKind::Jsonata = kind {
        let (s, e) = jsonata_body(raw)?;
        if pos < s || pos >= e || jsonata_in_literal(&raw[s..pos.min(e)]) {
            return None;
        }
    } else if in_single_quotes(raw, floor_boundary(raw, pos)) {
        return None;
    }
    let (start, end) = token_around(raw, pos)?;
    let token = &raw[start..end];
    // The part of a dotted path up to the end of the hovered segment.
    let upto = |root_len: usize| -> (usize, &str) {
        let rel = pos.saturating_sub(start);
        let seg_end = token[rel.min(token.len())..].find('.').map_or(token.len(), |i| rel + i);
        (start + seg_end.max(root_len.min(token.len())), &token[..seg_end.max(root_len.min(token.len()))])
    };
    if token.starts_with("States.") && matches!(kind, ExprKind::JsonPath { .. }) {
        let name_end = token.find('(').unwrap_or(token.len());
        let name = &token[..name_end];
        let f = Function::all().into_iter().find(|f| f.name() == name)?;
        return Some(ExprHover::entry(
            start,
            start + name.len(),
            f.name().to_string(),
            docs().get("intrinsic", f.name())?,
        ));
    }
    if token.starts_with("$$") {
        let (end, path) = upto(2);
        let e = docs().get("context", path)?;
        return Some(ExprHover::entry(start, end, format!("{path} (context object)"), e));
    }
    if token.starts_with("$states") && kind == ExprKind::Jsonata {
        let (end, path) = upto(7);
        let e = docs().get("states", path).or_else(|| {
            path.strip_prefix("$states.context").and_then(|rest| docs().get("context", &format!("$${rest}")))
        })?;
        return Some(ExprHover::entry(start, end, path.to_string(), e));
    }
    if let Some(name) = token.strip_prefix('$').filter(|n| !n.is_empty() && !n.starts_with('.')) {
        let name = name.split('.').next().unwrap_or(name);
        let end = start + 1 + name.len();
        if kind == ExprKind::Jsonata {
            if let Some(e) = docs().get("jsonata", &format!("${name}")) {
                return Some(ExprHover::entry(start, end, format!("${name}"), e));
            }
        }
        let v = vars().into_iter().find(|v| v.name == name)?;
        return Some(ExprHover {
            from: start,
            to: end,
            title: format!("${name} (variable)"),
            signature: None,
            text: format!("A workflow variable, assigned by the `Assign` of state `{}`.", v.state),
            example: None,
            link: Some("https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html".to_string()),
        });
    }
    None
}

/// A hover answer inside a string (offsets into the string's raw text).
pub(crate) struct ExprHover {
    pub from: usize,
    pub to: usize,
    pub title: String,
    pub signature: Option<String>,
    pub text: String,
    pub example: Option<String>,
    pub link: Option<String>,
}

impl ExprHover {
    fn entry(from: usize, to: usize, title: String, e: &Entry) -> ExprHover {
        ExprHover {
            from,
            to,
            title,
            signature: e.signature.map(str::to_string),
            text: e.text.clone(),
            example: e.example.clone(),
            link: e.link.map(str::to_string),
        }
    }
}

/// Signature help at `cursor` of the string `raw`.
pub(crate) fn signature(kind: ExprKind, raw: &str, cursor: usize) -> Option<Signature> {
    let cursor = floor_boundary(raw, cursor);
    let (from, docs_kind) = match kind {
        ExprKind::JsonPath { intrinsics: true } => (0, "intrinsic"),
        ExprKind::JsonPath { intrinsics: false } => return None,
        ExprKind::Jsonata => {
            let (s, e) = jsonata_body(raw)?;
            if cursor < s || cursor > e {
                return None;
            }
            (s, "jsonata")
        }
    };
    let (name, active) = open_call(&raw[from..cursor], kind == ExprKind::Jsonata)?;
    let entry = docs().get(docs_kind, &name)?;
    let label = entry.signature.map_or_else(|| format!("{name}(...)"), str::to_string);
    let parameters: Vec<Parameter> =
        entry.params.iter().map(|(l, d)| Parameter { label: l.to_string(), doc: Some(d.to_string()) }).collect();
    let active = active.min(parameters.len().saturating_sub(1));
    Some(Signature { label, parameters, active, doc: Some(entry.text.clone()), link: entry.link.map(str::to_string) })
}

/// The innermost call whose parentheses are open at the end of `text`: its function name and
/// how many commas (at its own depth) precede the end.
fn open_call(text: &str, jsonata: bool) -> Option<(String, usize)> {
    // Each open bracket: its char, the function name before a `(`, commas seen at its depth.
    let mut stack: Vec<(char, Option<String>, usize)> = Vec::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut comment = false;
    let mut prev = '\0';
    for (i, c) in text.char_indices() {
        if comment {
            if prev == '*' && c == '/' {
                comment = false;
            }
            prev = c;
            continue;
        }
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
                // `\"` in the JSON text is a `"` of the expression.
                if q == '"' && text[i + 1..].starts_with('"') {
                    quote = None;
                }
            } else if c == q {
                quote = None;
            }
            prev = c;
            continue;
        }
        match c {
            '\'' => quote = Some('\''),
            '"' if jsonata => quote = Some('"'),
            '\\' if jsonata && text[i + 1..].starts_with('"') => quote = Some('"'),
            '*' if jsonata && prev == '/' => comment = true,
            '(' => {
                let before = &text[..i];
                let name_start = before
                    .char_indices()
                    .rev()
                    .take_while(|&(_, ch)| ch.is_alphanumeric() || matches!(ch, '_' | '$' | '.'))
                    .last()
                    .map_or(i, |(j, _)| j);
                let name = &before[name_start..];
                let callable = if jsonata { name.starts_with('$') } else { name.starts_with("States.") };
                stack.push(('(', callable.then(|| name.to_string()), 0));
            }
            '[' | '{' if jsonata => stack.push((c, None, 0)),
            ')' | ']' | '}' => {
                stack.pop();
            }
            ',' => {
                if let Some(top) = stack.last_mut() {
                    top.2 += 1;
                }
            }
            _ => {}
        }
        prev = c;
    }
    if quote.is_some() && !jsonata {
        // Inside a string argument: still that argument.
    }
    let (_, name, commas) = stack.into_iter().rev().find(|(c, _, _)| *c == '(')?;
    Some((name?, commas))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_calls_count_commas_at_their_depth() {
        assert_eq!(open_call("States.Format('{}, {}', $.a, ", false), Some(("States.Format".into(), 2)));
        assert_eq!(open_call("States.Format('a,(b', States.Array(1, 2), ", false), Some(("States.Format".into(), 2)));
        assert_eq!(open_call("States.Format('x', States.Array(1, ", false), Some(("States.Array".into(), 1)));
        assert_eq!(open_call("$substring($states.input.s, [1, 2], {'a': 1, ", true), Some(("$substring".into(), 2)));
        assert_eq!(open_call("$sum(1) + 2", true), None);
        assert_eq!(open_call("$join(['a', 'b'], ', ", true), Some(("$join".into(), 1)));
    }

    #[test]
    fn literals_and_bindings() {
        assert!(jsonata_in_literal(" 'abc"));
        assert!(!jsonata_in_literal(" 'abc' & "));
        assert!(jsonata_in_literal(" /* x"));
        assert_eq!(bound_in(" $total := 3; $n:=1; $total")[0].name, "total");
        assert_eq!(bound_in(" $total := 3; $n:=1; $total").len(), 2);
    }
}
