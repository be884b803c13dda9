//! Quick fixes for the validator's diagnostics: "did you mean" for a misspelled state name,
//! field name, state type, enum value or error name; the missing `"End": true` or `Next`;
//! removing an unsupported field (with its comma, so the JSON stays valid).

use super::complete::member_span;
use super::place::{states_of, Place, Role};
use super::syntax::{self, Member, Mode, Node, Object, Span};
use super::{Change, FixRequest, QuickFix};
use crate::definition::schema::{self, has_next_or_end, STATES_ERRORS, UNIVERSAL_FIELDS};
use crate::json;

/// Fixes for each diagnostic of `text`, in byte offsets.
pub(crate) fn quick_fixes(text: &str, diagnostics: &[FixRequest]) -> Vec<Vec<QuickFix>> {
    let root = syntax::parse(text);
    diagnostics
        .iter()
        .map(|d| match &root {
            Some(root @ Node::Object(_)) => fixes_for(text, root, d),
            _ => Vec::new(),
        })
        .collect()
}

/// What a location names in the tree: the value there, and the member it is the value of.
struct Found<'t> {
    node: &'t Node,
    member: Option<(&'t Object, &'t Member)>,
}

/// Follows an AWS location (`/States/C/Choices[0]/Next`) or a JSON pointer from the root.
fn resolve<'t>(text: &str, root: &'t Node, location: &str) -> Option<Found<'t>> {
    let mut node = root;
    let mut member = None;
    let mut rest = if location == "/" { "" } else { location };
    while !rest.is_empty() {
        match node {
            Node::Object(o) => {
                let after = rest.strip_prefix('/')?;
                // The longest key the location continues with (names may hold '/' or '[').
                let mut best: Option<(&Member, usize)> = None;
                for m in o.members(text) {
                    let name = m.key.name(text);
                    for form in [name.clone(), json::pointer_token(&name).into_owned()] {
                        if after.starts_with(form.as_str())
                            && matches!(after.as_bytes().get(form.len()), None | Some(b'/' | b'['))
                            && best.is_none_or(|(_, l)| form.len() > l)
                        {
                            best = Some((m, form.len()));
                        }
                    }
                }
                let (m, len) = best?;
                member = Some((o, m));
                node = m.value.as_ref()?;
                rest = &after[len..];
            }
            Node::Array(a) => {
                let (index, tail) = if let Some(r) = rest.strip_prefix('[') {
                    let close = r.find(']')?;
                    (r[..close].parse::<usize>().ok()?, &r[close + 1..])
                } else {
                    let r = rest.strip_prefix('/')?;
                    let end = r.find(['/', '[']).unwrap_or(r.len());
                    (r[..end].parse::<usize>().ok()?, &r[end..])
                };
                node = &a.items(text).get(index)?.value;
                member = None;
                rest = tail;
            }
            _ => return None,
        }
    }
    Some(Found { node, member })
}

/// Levenshtein distance over characters, case-insensitively.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The candidates close enough to `wrong` to be what was meant, best first (at most three).
fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let limit = (wrong.chars().count() / 3).clamp(2, 4);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter(|c| *c != wrong)
        .map(|c| (distance(wrong, c), c))
        .filter(|&(d, c)| d <= limit && d < c.chars().count().max(2))
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

fn json_string(s: &str) -> String {
    let mut out = String::new();
    json::write_string(&mut out, s);
    out
}

/// "Change to X" fixes replacing `span` with each candidate as a JSON string.
fn change_to(span: Span, candidates: Vec<&str>) -> Vec<QuickFix> {
    candidates
        .into_iter()
        .map(|c| QuickFix {
            name: format!("Change to {}", json_string(c)),
            changes: vec![Change { from: span.start, to: span.end, insert: json_string(c) }],
        })
        .collect()
}

/// The name quoted inside a message between `prefix` and the next `'`.
fn quoted_after<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = &message[message.find(prefix)? + prefix.len()..];
    Some(&rest[..rest.find('\'')?])
}

fn fixes_for(text: &str, root: &Node, d: &FixRequest) -> Vec<QuickFix> {
    let msg = d.message.as_str();
    let found = resolve(text, root, &d.location);
    let mut out = Vec::new();
    if let Some(target) = msg.strip_prefix("Missing 'Next' target: ") {
        if let Some(Found { node: Node::String(s), .. }) = found {
            if let Some(place) = Place::new(text, root, s.span.start + 1, Mode::Complete) {
                if let Some(scope) = place.scope() {
                    let names: Vec<String> = states_of(text, scope).map(|(n, _)| n).collect();
                    out.extend(change_to(s.span, closest(target, names.iter().map(String::as_str))));
                }
            }
        }
    } else if let Some(field) = quoted_after(msg, "Field '").filter(|_| msg.ends_with("' is not supported")) {
        if let Some(Found { node: Node::Object(o), .. }) = found {
            if let Some(m) = o.get(text, field) {
                out.extend(rename_field(text, root, o, m, field));
                out.push(remove_member(text, o, m, field));
            }
        }
    } else if msg.starts_with("The QueryLanguage is set to") {
        if let (Some(field), Some(Found { node: Node::Object(o), .. })) = (quoted_after(msg, "but field '"), found) {
            if let Some(m) = o.get(text, field) {
                let counterpart = match field {
                    "Parameters" => Some("Arguments"),
                    "Arguments" => Some("Parameters"),
                    _ => None,
                };
                if let Some(c) = counterpart.filter(|c| o.get(text, c).is_none()) {
                    out.extend(change_to(m.key.span, vec![c]));
                }
                out.push(remove_member(text, o, m, field));
            }
        }
    } else if msg == "One of the fields 'Next' or 'End' is required" {
        if let Some(Found { node: Node::Object(state), member }) = found {
            out.push(add_member(text, state, "\"End\": true", "Add \"End\": true"));
            if let Some(next) = member.and_then(|(states, m)| following_state(text, states, m)) {
                let member_text = format!("\"Next\": {}", json_string(&next));
                out.push(add_member(text, state, &member_text, &format!("Add {member_text}")));
            }
        }
    } else if msg == "Only one of the fields 'Next' and 'End' may be present" {
        if let Some(Found { node: Node::Object(o), .. }) = found {
            for field in ["End", "Next"] {
                if let Some(m) = o.get(text, field) {
                    out.push(remove_member(text, o, m, field));
                }
            }
        }
    } else if d.code == "MISSING_END_STATE" {
        if let Some(fix) = end_somewhere(text, root) {
            out.push(fix);
        }
    } else if msg.starts_with("The field 'Type' should have one of these values") {
        if let Some(Found { node: Node::String(s), .. }) = found {
            out.extend(change_to(s.span, closest(&s.value(text), schema::STATE_TYPES.iter().copied())));
        }
    } else if let Some(list) = msg.strip_prefix("Value should be one of the following: [") {
        if let Some(Found { node: Node::String(s), .. }) = found {
            let allowed: Vec<&str> = list.trim_end_matches(']').split(", ").collect();
            out.extend(change_to(s.span, closest(&s.value(text), allowed)));
        }
    } else if let Some((name, _)) =
        msg.strip_prefix('\'').and_then(|m| m.split_once("' is not an error Step Functions defines"))
    {
        // The RESERVED_ERROR_NAME warning: a `States.` name AWS does not define, likely a typo.
        if let Some(Found { node: Node::String(s), .. }) = found {
            out.extend(change_to(s.span, closest(name, STATES_ERRORS.iter().copied())));
        }
    }
    out
}

/// "Change to" fixes for an unsupported field name: the object's fields (in its language)
/// that are not present, closest first.
fn rename_field(text: &str, root: &Node, obj: &Object, m: &Member, field: &str) -> Vec<QuickFix> {
    let Some(place) = Place::new(text, root, m.key.span.start + 1, Mode::Complete) else { return Vec::new() };
    let Some(object) = place.schema_object() else { return Vec::new() };
    let lang = match place.role() {
        Role::Schema(schema::Object::Machine) => place.machine_lang,
        _ => place.lang(),
    };
    let mut names: Vec<&str> = object.fields().of(lang).collect();
    if matches!(place.role(), Role::Schema(schema::Object::State(_))) {
        names.extend(UNIVERSAL_FIELDS);
    }
    let absent: Vec<&str> = names.into_iter().filter(|n| obj.get(text, n).is_none()).collect();
    change_to(m.key.span, closest(field, absent))
}

/// Removes a member and one comma next to it, leaving valid JSON.
fn remove_member(text: &str, obj: &Object, m: &Member, field: &str) -> QuickFix {
    let span = member_span(m);
    let members = obj.members(text);
    let index = members.iter().position(|x| std::ptr::eq(x, m));
    let prev = index.and_then(|i| i.checked_sub(1)).and_then(|i| members.get(i));
    let next = index.and_then(|i| members.get(i + 1));
    let (from, to) = match (m.comma, prev.and_then(|p| p.comma)) {
        // `"Foo": 1, "B": 2` → `"B": 2`: through the comma and the space after it.
        (Some(_), _) if next.is_some() => (span.start, next.map_or(span.end, |n| n.key.span.start)),
        // `"A": 1, "Foo": 2` → `"A": 1`: from the previous member's comma.
        (_, Some(c)) => (c, m.comma.map_or(span.end, |c| c + 1)),
        (Some(c), None) => (span.start, c + 1),
        (None, None) => (span.start, span.end),
    };
    QuickFix {
        name: format!("Remove {}", json_string(field)),
        changes: vec![Change { from, to, insert: String::new() }],
    }
}

/// Adds a member at the end of an object, after a comma, on a line of its own when the
/// object's members are on lines of their own.
fn add_member(text: &str, obj: &Object, member: &str, name: &str) -> QuickFix {
    let change = match obj.members(text).last() {
        Some(last) => {
            let end = member_span(last).end;
            let line_start = text[..last.key.span.start].rfind('\n').map(|i| i + 1);
            let indent =
                line_start.map(|s| &text[s..last.key.span.start]).filter(|i| i.chars().all(|c| c == ' ' || c == '\t'));
            let sep = match indent {
                Some(indent) => format!("\n{indent}"),
                None => " ".to_string(),
            };
            match last.comma {
                Some(c) => Change { from: c + 1, to: c + 1, insert: format!("{sep}{member}") },
                None => Change { from: end, to: end, insert: format!(",{sep}{member}") },
            }
        }
        None => Change { from: obj.span.start + 1, to: obj.span.start + 1, insert: member.to_string() },
    };
    QuickFix { name: name.to_string(), changes: vec![change] }
}

/// The state after `m` in its `States` object (text order), if any.
fn following_state(text: &str, states: &Object, m: &Member) -> Option<String> {
    let i = states.members(text).iter().position(|x| std::ptr::eq(x, m))?;
    Some(states.members(text).get(i + 1)?.key.name(text))
}

/// For a machine without a terminal state: end the last state (in text order) that moves on
/// with `Next`, replacing its `Next` with `"End": true`.
fn end_somewhere(text: &str, root: &Node) -> Option<QuickFix> {
    let top = root.as_object()?;
    let states = top.value(text, "States")?.as_object()?;
    states.members(text).iter().rev().find_map(|m| {
        let state = m.value.as_ref()?.as_object()?;
        let ty = state.string(text, "Type")?;
        let next = state.get(text, "Next")?;
        if !has_next_or_end(&ty) {
            return None;
        }
        let span = member_span(next);
        Some(QuickFix {
            name: format!("End at {} (\"End\": true instead of its Next)", json_string(&m.key.name(text))),
            changes: vec![Change { from: span.start, to: span.end, insert: "\"End\": true".into() }],
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_and_candidates() {
        assert_eq!(distance("Nxt", "Next"), 1);
        assert_eq!(distance("next", "Next"), 0);
        assert_eq!(closest("ProcesOrder", ["ProcessOrder", "Ship", "ProcessRefund"]), vec!["ProcessOrder"]);
        assert!(closest("Zzz", ["Next", "End"]).is_empty());
    }

    #[test]
    fn resolves_aws_locations_and_pointers() {
        let text = r#"{"States": {"a/b": {"Choices": [{"Next": "X"}]}}}"#;
        let root = syntax::parse(text).unwrap();
        for loc in ["/States/a/b/Choices[0]/Next", "/States/a~1b/Choices/0/Next"] {
            let f = resolve(text, &root, loc).unwrap();
            assert_eq!(f.node.as_str().unwrap().value(text), "X", "{loc}");
        }
        assert!(resolve(text, &root, "/States/nope").is_none());
        assert!(resolve(text, &root, "/").is_some());
    }
}
