//! Hover documentation and signature help in a definition: field names, state types, enum
//! values, error names, Choice operators, state names, and inside expressions what `expr`
//! documents.

use super::complete::{expr_kind, field_doc, variables_in_scope};
use super::docs::{docs, Entry};
use super::expr;
use super::place::{states_of, Kind, Place, Role};
use super::resources;
use super::syntax::{self, At, Member, Mode, Node, Span};
use super::{Hover, Signature};

/// The documentation at byte `pos` of a definition's text.
pub(crate) fn hover(text: &str, pos: usize) -> Option<Hover> {
    let root = syntax::parse(text)?;
    let place = Place::new(text, &root, pos, Mode::Hover)?;
    match *place.at() {
        At::Key(m) => key_hover(&place, m),
        At::Value(node) => value_hover(&place, node, pos),
        _ => None,
    }
}

fn from_entry(span: Span, title: String, e: &Entry) -> Hover {
    Hover {
        from: span.start,
        to: span.end,
        title,
        signature: e.signature.map(str::to_string),
        text: e.text.clone(),
        example: e.example.clone(),
        link: e.link.map(str::to_string),
    }
}

/// What a container is called in a hover title.
fn container_title(kind: Kind, container: &str) -> String {
    match kind {
        Kind::Machine => "state machine field".into(),
        Kind::Branch => "Parallel branch field".into(),
        Kind::Processor => "ItemProcessor field".into(),
        Kind::State => format!("{container} state field"),
        Kind::Retrier => "Retry field".into(),
        Kind::Catcher => "Catch field".into(),
        Kind::ChoiceRule | Kind::NestedChoiceRule => "Choice rule field".into(),
        _ => format!("{container} field"),
    }
}

fn key_hover(place: &Place, m: &Member) -> Option<Hover> {
    let text = place.text;
    let name = m.key.name(text);
    match place.role() {
        Role::Schema(kind) => {
            let object = place.schema_object()?;
            let container = object.docs_name().to_string();
            let entry = field_doc(kind, &container, &name)?;
            let title = if entry.kind == "operator" {
                format!("{name} (Choice operator)")
            } else {
                format!("{name} ({})", container_title(kind, &container))
            };
            Some(from_entry(m.key.span, title, entry))
        }
        Role::States => {
            let state = m.value.as_ref()?.as_object()?;
            let ty = state.string(text, "Type")?;
            let entry = docs().get("state", &ty)?;
            Some(from_entry(m.key.span, format!("{name} ({ty} state)"), entry))
        }
        _ => None,
    }
}

fn value_hover(place: &Place, node: &Node, pos: usize) -> Option<Hover> {
    let text = place.text;
    let key = place.member_key();
    if let Node::String(s) = node {
        let value = s.value(text);
        if let Some(kind) = expr_kind(place, key.as_deref(), &value) {
            let inner = s.inner();
            let raw = syntax::slice(text, inner);
            let vars = || variables_in_scope(place);
            let h = expr::hover(kind, raw, pos.saturating_sub(inner.start), &vars)?;
            return Some(Hover {
                from: inner.start + h.from,
                to: inner.start + h.to,
                title: h.title,
                signature: h.signature,
                text: h.text,
                example: h.example,
                link: h.link,
            });
        }
        let span = s.span;
        match (place.role(), key.as_deref()) {
            (Role::ErrorNames, _) => {
                let e = docs().get("error", &value)?;
                Some(from_entry(span, format!("{value} (error name)"), e))
            }
            (Role::Schema(kind), Some(field)) => {
                let object = place.schema_object()?;
                if field == "Type" && kind == Kind::State {
                    let e = docs().get("state", &value)?;
                    return Some(from_entry(span, format!("{value} (state type)"), e));
                }
                if object.enum_values(field).is_some_and(|v| v.contains(&value.as_str())) {
                    let e = docs().get("value", &format!("{field}={value}"))?;
                    return Some(from_entry(span, format!("{field}: {value}"), e));
                }
                let transition = matches!(
                    (kind, field),
                    (Kind::State, "Next" | "Default")
                        | (Kind::Catcher | Kind::ChoiceRule, "Next")
                        | (Kind::Machine | Kind::Branch | Kind::Processor, "StartAt")
                );
                if transition {
                    let scope = place.scope()?;
                    let (_, target) = states_of(text, scope).find(|(n, _)| *n == value)?;
                    let ty = target.string(text, "Type").unwrap_or_default();
                    return Some(Hover {
                        from: span.start,
                        to: span.end,
                        title: format!("{value} ({ty} state)"),
                        signature: None,
                        text: format!("Goes to the {ty} state `{value}`."),
                        example: None,
                        link: None,
                    });
                }
                if field == "Resource" {
                    let all = match kind {
                        Kind::ItemReader => resources::reader_resources(),
                        Kind::ResultWriter => resources::writer_resources(),
                        _ => resources::task_resources(),
                    };
                    let arn = all.into_iter().find(|a| a.label == value)?;
                    let e = field_doc(kind, object.docs_name(), "Resource");
                    return Some(Hover {
                        from: span.start,
                        to: span.end,
                        title: value.clone(),
                        signature: None,
                        text: format!("{}.", capitalize(&arn.detail)),
                        example: None,
                        link: e.and_then(|e| e.link).map(str::to_string),
                    });
                }
                None
            }
            _ => None,
        }
    } else {
        None
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().collect::<String>() + c.as_str())
}

/// Signature help at byte `pos` of a definition's text.
pub(crate) fn signature(text: &str, pos: usize) -> Option<Signature> {
    let root = syntax::parse(text)?;
    let place = Place::new(text, &root, pos, Mode::Complete)?;
    let At::Value(Node::String(s)) = *place.at() else { return None };
    let kind = expr_kind(&place, place.member_key().as_deref(), &s.value(text))?;
    let inner = s.inner();
    expr::signature(kind, syntax::slice(text, inner), pos.saturating_sub(inner.start))
}
