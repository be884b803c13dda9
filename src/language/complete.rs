//! Completions in a definition: field names for the object at the cursor (per state type
//! and query language), the values of enumerated fields, state names where a transition
//! goes, `Resource` ARNs, error names, snippets, and inside expressions what `expr` offers.

use super::docs::{docs, snippets, Entry};
use super::expr::{self, short, ExprKind, Var};
use super::place::{is_payload, states_of, targets_of, Kind, Place, Role};
use super::resources;
use super::syntax::{self, At, Member, Mode, Node, Object, Span};
use super::{Answer, Completion, ItemKind};
use crate::definition::schema::{self, Lang, Operand, STATES_ERRORS, UNIVERSAL_FIELDS};
use crate::json;
use crate::value::Map;

/// The completions at byte `pos` of a definition's text.
pub(crate) fn complete(text: &str, pos: usize, explicit: bool) -> Option<Answer> {
    let Some(root) = syntax::parse(text) else {
        return machine_snippets(pos);
    };
    if !matches!(root, Node::Object(_)) {
        return None;
    }
    let place = Place::new(text, &root, pos, Mode::Complete)?;
    match *place.at() {
        At::Key(m) => keys(&place, Some(m), pos),
        At::NewKey => keys(&place, None, pos),
        At::Value(node) => value(&place, Some(node), pos, explicit),
        At::NewValue => value(&place, None, pos, explicit),
    }
}

/// A whole state machine, for a blank definition.
fn machine_snippets(pos: usize) -> Option<Answer> {
    let options = snippets()
        .of_kind("machine")
        .map(|e| {
            Completion::new(e.name, e.header("detail").unwrap_or(""), ItemKind::Snippet)
                .snippet(e.example.clone().unwrap_or_default())
        })
        .collect();
    Some(Answer { from: pos, to: pos, options })
}

/// The first significant byte at or after `pos`.
fn next_byte(text: &str, pos: usize) -> Option<u8> {
    text.as_bytes().get(pos..)?.iter().copied().find(|b| !b.is_ascii_whitespace())
}

/// Whether a member or element starts next (so what is inserted needs a comma after it).
fn member_follows(text: &str, pos: usize) -> bool {
    next_byte(text, pos).is_some_and(|b| b == b'"' || b == b'{' || b == b'[' || b.is_ascii_alphanumeric())
}

/// Escapes text for a CodeMirror snippet template (braces would open fields).
pub(crate) fn snippet_text(s: &str) -> String {
    s.replace('{', "\\{").replace('}', "\\}")
}

/// How a completed member is inserted at the cursor.
pub(crate) struct KeyEdit {
    pub from: usize,
    pub to: usize,
    /// An opening quote was typed before `from`.
    quoted: bool,
    /// The key already has its colon (and value): only the name is replaced.
    name_only: bool,
    comma_before: bool,
    comma_after: bool,
}

impl KeyEdit {
    /// Where a member of `obj` completed at `pos` goes (`editing`: the key the cursor is in).
    pub fn new(text: &str, obj: &Object, editing: Option<&Member>, pos: usize) -> KeyEdit {
        // The member before the insertion point lacks its comma.
        let prev_without_comma = |before: usize| {
            obj.members(text)
                .iter()
                .filter(|m| editing.is_none_or(|e| !std::ptr::eq(*m, e)))
                .take_while(|m| m.key.span.start < before)
                .last()
                .is_some_and(|m| m.comma.is_none_or(|c| c > before))
        };
        match editing {
            Some(m) => {
                let name_only = m.colon.is_some();
                let inner = m.key.inner();
                let (from, to) = if m.key.quoted {
                    // Replace through the closing quote when a whole member is written.
                    let to = if name_only || !m.key.closed { inner.end } else { m.key.span.end };
                    (inner.start, to.max(pos))
                } else {
                    (m.key.span.start, m.key.span.end.max(pos))
                };
                KeyEdit {
                    from,
                    to,
                    quoted: m.key.quoted,
                    name_only: name_only && m.key.quoted && m.key.closed,
                    comma_before: !m.key.quoted && !name_only && prev_without_comma(m.key.span.start),
                    comma_after: !name_only && m.comma.is_none() && member_follows(text, m.key.span.end.max(pos)),
                }
            }
            None => KeyEdit {
                from: pos,
                to: pos,
                quoted: false,
                name_only: false,
                comma_before: prev_without_comma(pos),
                comma_after: member_follows(text, pos),
            },
        }
    }

    /// The text to insert for the member `name` with the value template `value` (a snippet).
    pub fn member(&self, name: &str, value: &str) -> String {
        let mut key = String::new();
        json::write_string(&mut key, name);
        if self.name_only {
            return snippet_text(&key[1..key.len() - 1]);
        }
        let mut out = String::new();
        if self.comma_before {
            out.push_str(", ");
        }
        out.push_str(&snippet_text(if self.quoted { &key[1..] } else { &key }));
        out.push_str(": ");
        out.push_str(value);
        if self.comma_after {
            out.push(',');
        }
        out
    }

    /// The text to insert for a whole snippet member (`"Name": {...}` from a template).
    pub fn snippet(&self, template: &str) -> String {
        let mut out = String::new();
        if self.comma_before {
            out.push_str(", ");
        }
        out.push_str(if self.quoted { template.strip_prefix('"').unwrap_or(template) } else { template });
        if self.comma_after {
            out.push(',');
        }
        out
    }
}

/// How a completed value is inserted.
pub(crate) struct ValueEdit {
    pub from: usize,
    pub to: usize,
    /// The cursor is inside a string: `from` is after its opening quote.
    in_string: bool,
    /// The string lacks its closing quote.
    unclosed: bool,
    comma_after: bool,
}

impl ValueEdit {
    pub fn new(text: &str, node: Option<&Node>, member_comma: Option<usize>, pos: usize) -> ValueEdit {
        match node {
            Some(Node::String(s)) => {
                let inner = s.inner();
                ValueEdit {
                    from: inner.start,
                    to: inner.end.max(pos),
                    in_string: true,
                    unclosed: !s.closed,
                    comma_after: !s.closed && member_comma.is_none() && member_follows(text, s.span.end),
                }
            }
            Some(n) => {
                let span = n.span();
                ValueEdit {
                    from: span.start,
                    to: span.end.max(pos),
                    in_string: false,
                    unclosed: false,
                    comma_after: member_comma.is_none() && member_follows(text, span.end),
                }
            }
            None => ValueEdit {
                from: pos,
                to: pos,
                in_string: false,
                unclosed: false,
                comma_after: member_comma.is_none() && member_follows(text, pos),
            },
        }
    }

    /// The text for a string value.
    pub fn string(&self, value: &str) -> String {
        let mut lit = String::new();
        json::write_string(&mut lit, value);
        self.literal(&lit)
    }

    /// The text for a literal JSON value (`lit` is JSON text: a string literal or `true`).
    pub fn literal(&self, lit: &str) -> String {
        let mut out = if self.in_string {
            let inner = lit.strip_prefix('"').and_then(|l| l.strip_suffix('"')).unwrap_or(lit);
            let mut s = inner.to_string();
            if self.unclosed {
                s.push('"');
            }
            s
        } else {
            lit.to_string()
        };
        if self.comma_after {
            out.push(',');
        }
        out
    }

    /// The snippet text for a string value whose content is the template `t`.
    pub fn string_snippet(&self, t: &str) -> String {
        let mut out = String::new();
        if !self.in_string {
            out.push('"');
        }
        out.push_str(t);
        if !self.in_string || self.unclosed {
            out.push('"');
        }
        if self.comma_after {
            out.push(',');
        }
        out
    }
}

/// Field names (and snippets) where a key is being typed.
fn keys(place: &Place, editing: Option<&Member>, pos: usize) -> Option<Answer> {
    let text = place.text;
    let obj = place.frame()?.node.as_object()?;
    let edit = KeyEdit::new(text, obj, editing, pos);
    let present = |name: &str| {
        obj.members(text).iter().any(|m| editing.is_none_or(|e| !std::ptr::eq(m, e)) && m.key.is(text, name))
    };
    let mut options = Vec::new();
    match place.role() {
        Role::States => {
            let lang = place.machine_lang;
            for e in snippets().of_kind("state") {
                if e.header("language").is_some_and(|l| l != lang.name()) {
                    continue;
                }
                let Some(body) = &e.example else { continue };
                options.push(
                    Completion::new(e.name, e.header("detail").unwrap_or(""), ItemKind::Snippet)
                        .snippet(edit.snippet(body)),
                );
            }
        }
        Role::Schema(kind) => {
            let object = place.schema_object()?;
            let lang = match kind {
                Kind::Machine => place.machine_lang,
                _ => place.lang(),
            };
            let container = object.docs_name().to_string();
            let mut names: Vec<&str> = Vec::new();
            if kind == Kind::State {
                names.extend(UNIVERSAL_FIELDS);
            }
            names.extend(object.fields().of(lang));
            let state_type = place.state().and_then(|s| s.state_type.clone());
            let untyped =
                kind == Kind::State && state_type.as_deref().is_none_or(|t| !schema::STATE_TYPES.contains(&t));
            for name in names {
                if present(name) {
                    continue;
                }
                let entry = field_doc(kind, &container, name);
                let (detail, boost) = field_detail(kind, &container, name, untyped, obj, text);
                let value = field_value(&container, name, lang);
                options.push(
                    Completion::new(name, detail, ItemKind::Property)
                        .snippet(edit.member(name, &value))
                        .boost(boost)
                        .info(entry.map(|e| e.text.clone())),
                );
            }
        }
        _ => return None,
    }
    if options.is_empty() {
        return None;
    }
    Some(Answer { from: edit.from, to: edit.to, options })
}

/// The documentation of a field (operators have entries of their own).
pub(crate) fn field_doc(kind: Kind, container: &str, name: &str) -> Option<&'static Entry> {
    let d = docs();
    if matches!(kind, Kind::ChoiceRule | Kind::NestedChoiceRule) {
        if let Some(e) = d.get("operator", operator_base(name)) {
            return Some(e);
        }
    }
    d.field(container, name)
}

/// `StringEqualsPath` → `StringEquals`: the `*Path` forms share their base's entry.
pub(crate) fn operator_base(name: &str) -> &str {
    match name.strip_suffix("Path") {
        Some(base) if schema::operand_of(name) == Some(Operand::Path) => base,
        _ => name,
    }
}

/// A field's one-line detail and ranking.
fn field_detail(kind: Kind, container: &str, name: &str, untyped: bool, obj: &Object, text: &str) -> (String, i32) {
    if matches!(kind, Kind::ChoiceRule | Kind::NestedChoiceRule) {
        if let Some(operand) = schema::operand_of(name) {
            let what = match operand {
                Operand::String => "compares with a string",
                Operand::Number => "compares with a number",
                Operand::Boolean if name.starts_with("Is") => "tests the value's kind",
                Operand::Boolean => "compares with true or false",
                Operand::Timestamp => "compares with a timestamp",
                Operand::Path => "compares with the value at a path",
            };
            // The rule's operator: offered first while the rule has none.
            let has_operator = obj.members(text).iter().any(|m| schema::operand_of(&m.key.name(text)).is_some());
            return (format!("Choice operator: {what}"), if has_operator { -20 } else { 0 });
        }
        if schema::BOOLEAN_OPERATORS.contains(&name) {
            return ("Choice rule: combines rules".into(), -5);
        }
    }
    let what = match kind {
        Kind::Machine => "state machine field".to_string(),
        Kind::Branch => "branch field".to_string(),
        Kind::Processor => "ItemProcessor field".to_string(),
        Kind::State => format!("{container} state field"),
        _ => format!("{container} field"),
    };
    let boost = match name {
        "Type" if untyped => 99,
        "Type" => 30,
        "Next" | "End" | "StartAt" | "States" | "Resource" | "ErrorEquals" | "Variable" | "Condition" => 20,
        "Comment" => -10,
        _ if untyped => -30,
        _ => 0,
    };
    (what, boost)
}

/// The value template a field name's completion inserts after `"Field": `.
fn field_value(container: &str, name: &str, lang: Lang) -> String {
    let table = value_templates();
    let l = lang.name();
    for key in
        [format!("{container}.{name}/{l}"), format!("{container}.{name}"), format!("{name}/{l}"), name.to_string()]
    {
        if let Some((_, t)) = table.iter().find(|(k, _)| *k == key) {
            return t.clone();
        }
    }
    if let Some(operand) = schema::operand_of(name) {
        return match operand {
            Operand::String | Operand::Timestamp => "\"${}\"".into(),
            Operand::Number => "${1:0}".into(),
            Operand::Boolean => "true".into(),
            Operand::Path => "\"$.${}\"".into(),
        };
    }
    "\"${}\"".into()
}

/// The `values` table of the snippets file: (key, template).
fn value_templates() -> &'static [(String, String)] {
    static TABLE: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut out: Vec<(String, String)> = Vec::new();
        let Some(block) = snippets().get("values", "fields").and_then(|e| e.example.as_deref()) else {
            return out;
        };
        for line in block.lines() {
            let starts_entry = line
                .split_once(": ")
                .filter(|(k, _)| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '/'));
            match (starts_entry, out.last_mut()) {
                (Some((k, v)), _) if line.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) => {
                    out.push((k.to_string(), v.to_string()))
                }
                (_, Some((_, v))) => {
                    v.push('\n');
                    v.push_str(line);
                }
                _ => {}
            }
        }
        out
    })
}

/// Values where a value is being typed (or inside a string: what the expression offers).
fn value(place: &Place, node: Option<&Node>, pos: usize, explicit: bool) -> Option<Answer> {
    let text = place.text;
    let frame = place.frame()?;
    let (member, comma) = match frame.via {
        syntax::Via::Member(m) => (Some(m), m.comma),
        syntax::Via::Index(i) => {
            (None, frame.node.as_array().and_then(|a| a.items(text).get(i)).and_then(|it| it.comma))
        }
        syntax::Via::None => (None, None),
    };
    let key = member.map(|m| m.key.name(text));
    let edit = ValueEdit::new(text, node, comma, pos);
    // Inside a string that is an expression.
    if let Some(Node::String(s)) = node {
        if let Some(kind) = expr_kind(place, key.as_deref(), &s.value(text)) {
            let inner = s.inner();
            let raw = syntax::slice(text, inner);
            let vars = || variables_in_scope(place);
            let (from, to, options) = expr::complete(kind, raw, pos - inner.start, explicit, &vars)?;
            return Some(Answer { from: inner.start + from, to: inner.start + to, options });
        }
    }
    let mut options: Vec<Completion> = Vec::new();
    match (place.role(), key.as_deref()) {
        (Role::ErrorNames, _) => options = error_names_for(&edit),
        (Role::Schema(kind), Some(field)) => {
            let object = place.schema_object()?;
            if let Some(values) = object.enum_values(field) {
                for v in values {
                    let entry = enum_doc(field, v);
                    options.push(
                        Completion::new(*v, short(entry), ItemKind::Enum)
                            .apply(edit.string(v))
                            .info(entry.map(|e| e.text.clone())),
                    );
                }
            } else {
                match (kind, field) {
                    (Kind::Machine | Kind::Branch | Kind::Processor, "StartAt") => {
                        options = state_names(place, &edit, None);
                    }
                    (Kind::State, "Next" | "Default") | (Kind::Catcher | Kind::ChoiceRule, "Next") => {
                        options = state_names(place, &edit, place.state().map(|s| s.name.as_str()));
                    }
                    (Kind::State, "Resource") => {
                        options = arns(resources::task_resources(), &edit);
                    }
                    (Kind::ItemReader, "Resource") => options = arns(resources::reader_resources(), &edit),
                    (Kind::ResultWriter, "Resource") => options = arns(resources::writer_resources(), &edit),
                    (_, "End") => options
                        .push(Completion::new("true", "the last state", ItemKind::Keyword).apply(edit.literal("true"))),
                    (Kind::ChoiceRule | Kind::NestedChoiceRule, f)
                        if schema::operand_of(f) == Some(Operand::Boolean) =>
                    {
                        for b in ["true", "false"] {
                            options.push(Completion::new(b, "", ItemKind::Keyword).apply(edit.literal(b)));
                        }
                    }
                    _ => {}
                }
            }
            if options.is_empty() && node.is_none_or(|n| n.as_str().is_some_and(|s| s.value(text).is_empty())) {
                // An empty string in a JSONata state: offer an expression.
                if place.lang() == Lang::Jsonata && (is_payload(field) || expression_field(field)) {
                    options.push(
                        Completion::new("{% %}", "a JSONata expression", ItemKind::Snippet)
                            .snippet(edit.string_snippet("{% ${} %}")),
                    );
                }
            }
        }
        (Role::Payload, _)
            if place.lang() == Lang::Jsonata
                && node.is_none_or(|n| n.as_str().is_some_and(|s| s.value(text).is_empty())) =>
        {
            options.push(
                Completion::new("{% %}", "a JSONata expression", ItemKind::Snippet)
                    .snippet(edit.string_snippet("{% ${} %}")),
            );
        }
        _ => {}
    }
    if options.is_empty() {
        return None;
    }
    Some(Answer { from: edit.from, to: edit.to, options })
}

/// Fields whose value may be a JSONata expression besides payloads.
fn expression_field(field: &str) -> bool {
    matches!(
        field,
        "Condition"
            | "Items"
            | "TimeoutSeconds"
            | "HeartbeatSeconds"
            | "Seconds"
            | "Timestamp"
            | "Error"
            | "Cause"
            | "MaxConcurrency"
            | "ToleratedFailurePercentage"
            | "ToleratedFailureCount"
            | "MaxItems"
            | "MaxItemsPerBatch"
            | "MaxInputBytesPerBatch"
    )
}

/// The entry documenting an enumerated value.
fn enum_doc(field: &str, value: &str) -> Option<&'static Entry> {
    if field == "Type" {
        return docs().get("state", value);
    }
    docs().get("value", &format!("{field}={value}"))
}

/// The language of a string at the place, if it is an expression.
pub(crate) fn expr_kind(place: &Place, key: Option<&str>, value: &str) -> Option<ExprKind> {
    let lang = place.lang();
    if lang == Lang::Jsonata {
        return value.trim_start().starts_with("{%").then_some(ExprKind::Jsonata);
    }
    let key = key?;
    if key.ends_with(".$") && key.len() > 2 {
        return Some(ExprKind::JsonPath { intrinsics: true });
    }
    match place.role() {
        Role::Schema(kind) => match key {
            "ErrorPath" | "CausePath" => Some(ExprKind::JsonPath { intrinsics: true }),
            "Variable" if matches!(kind, Kind::ChoiceRule | Kind::NestedChoiceRule) => {
                Some(ExprKind::JsonPath { intrinsics: false })
            }
            k if k.ends_with("Path") && k.len() > 4 => Some(ExprKind::JsonPath { intrinsics: false }),
            _ => None,
        },
        _ => None,
    }
}

/// The states a transition at the place may name; `current` (the state being edited) last.
fn state_names(place: &Place, edit: &ValueEdit, current: Option<&str>) -> Vec<Completion> {
    let Some(scope) = place.scope() else { return Vec::new() };
    let text = place.text;
    let mut out: Vec<Completion> = Vec::new();
    for (i, (name, state)) in states_of(text, scope).enumerate() {
        let ty = state.string(text, "Type").unwrap_or_default();
        let is_current = current == Some(name.as_str());
        let detail = if is_current { format!("{ty} state (this one: a loop)") } else { format!("{ty} state") };
        // Keep the text order: earlier states first, the current one last.
        let boost = if is_current { -99 } else { 50 - (i.min(99) as i32 * 100 / 99) };
        out.push(Completion::new(name.clone(), detail, ItemKind::Variable).apply(edit.string(&name)).boost(boost));
    }
    out
}

fn arns(list: Vec<resources::Arn>, edit: &ValueEdit) -> Vec<Completion> {
    list.iter().map(|a| a.completion(|s| edit.string(s), |t| edit.string_snippet(t))).collect()
}

/// Common error names of services, besides `States.*` (what Lambda's invoke raises).
const SERVICE_ERRORS: &[(&str, &str)] = &[
    ("Lambda.ServiceException", "Lambda had an internal error; worth retrying"),
    ("Lambda.AWSLambdaException", "Lambda failed to run the function; worth retrying"),
    ("Lambda.SdkClientException", "the call to Lambda failed on the way; worth retrying"),
    ("Lambda.TooManyRequestsException", "Lambda throttled the call; worth retrying with backoff"),
];

pub(crate) fn error_names_for(edit: &ValueEdit) -> Vec<Completion> {
    let mut out: Vec<Completion> = STATES_ERRORS
        .iter()
        .map(|name| {
            let entry = docs().get("error", name);
            Completion::new(*name, short(entry), ItemKind::Constant)
                .apply(edit.string(name))
                .boost(if *name == "States.ALL" { 10 } else { 0 })
                .info(entry.map(|e| e.text.clone()))
        })
        .collect();
    out.extend(
        SERVICE_ERRORS.iter().map(|(name, detail)| {
            Completion::new(*name, *detail, ItemKind::Constant).apply(edit.string(name)).boost(-5)
        }),
    );
    out
}

/// The workflow variables that may be read at the place: those assigned by the states that
/// can run before the current one (in its machine, and before each enclosing state in the
/// machines around it), including the current state itself when a loop leads back to it.
pub(crate) fn variables_in_scope(place: &Place) -> Vec<Var> {
    let text = place.text;
    let mut out: Vec<Var> = Vec::new();
    for state in place.states.iter().rev() {
        let Some(machine) = place.machines.get(state.machine) else { continue };
        let states: Vec<(String, &Object)> = states_of(text, machine).collect();
        // Who leads to each state: target name -> the states naming it.
        let mut leads_to: Map<Vec<usize>> = Map::new();
        for (i, (_, s)) in states.iter().enumerate() {
            for t in targets_of(text, s) {
                leads_to.get_or_insert_with(&t, Vec::new).push(i);
            }
        }
        // Walk backwards from the state.
        let mut seen = vec![false; states.len()];
        let mut queue: Vec<&str> = vec![state.name.as_str()];
        while let Some(target) = queue.pop() {
            for &i in leads_to.get(target).map_or(&[][..], Vec::as_slice) {
                if !std::mem::replace(&mut seen[i], true) {
                    queue.push(states[i].0.as_str());
                }
            }
        }
        for (i, (name, s)) in states.iter().enumerate() {
            if !seen[i] {
                continue;
            }
            for assigned in assigned_names(text, s) {
                if !out.iter().any(|v| v.name == assigned) {
                    out.push(Var { name: assigned, state: name.clone() });
                }
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The names a state's `Assign` (and its Choice rules' and Catchers') set.
fn assigned_names(text: &str, state: &Object) -> Vec<String> {
    let mut objects: Vec<&Object> = state.value(text, "Assign").and_then(Node::as_object).into_iter().collect();
    for list in ["Choices", "Catch"] {
        if let Some(a) = state.value(text, list).and_then(Node::as_array) {
            objects
                .extend(a.items(text).iter().filter_map(|i| i.value.as_object()?.value(text, "Assign")?.as_object()));
        }
    }
    objects
        .iter()
        .flat_map(|o| o.members(text).iter())
        .map(|m| {
            let name = m.key.name(text);
            name.strip_suffix(".$").map_or(name.clone(), str::to_string)
        })
        .filter(|n| !n.is_empty())
        .collect()
}

/// The span of the whole member (key through value) of `m`.
pub(crate) fn member_span(m: &Member) -> Span {
    let end = m.value.as_ref().map_or(m.colon.map_or(m.key.span.end, |c| c + 1), |v| v.span().end);
    Span { start: m.key.span.start, end }
}
