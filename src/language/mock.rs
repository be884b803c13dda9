//! The mock configuration editor (a MockConfigFile): its keys, the definition's Task state
//! names where a test case maps states to responses, the names of the mocked responses
//! defined, error names in a `Throw`, and the documentation of each key.

use super::complete::{error_names_for, KeyEdit, ValueEdit};
use super::docs::{docs, snippets};
use super::expr::short;
use super::place::states_of;
use super::syntax::{self, At, Frame, Mode, Node, Object, Via};
use super::{Answer, Completion, Hover, ItemKind};
use crate::distributed::S3_OBJECT_FIELDS;
use crate::services::{INVOCATION_FIELDS, MOCK_CONFIG_FIELDS, THROW_FIELDS};

/// What a container of a MockConfigFile is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Root,
    StateMachines,
    StateMachine,
    TestCases,
    TestCase,
    Responses,
    Response,
    Invocation,
    Throw,
    S3Objects,
    S3Object,
    Other,
}

fn roles(text: &str, frames: &[Frame]) -> Vec<Role> {
    let mut out = Vec::with_capacity(frames.len());
    let mut role = Role::Root;
    for f in frames {
        out.push(role);
        let key = match f.via {
            Via::Member(m) => Some(m.key.name(text)),
            _ => None,
        };
        role = match (role, key.as_deref(), f.via) {
            (Role::Root, Some("StateMachines"), _) => Role::StateMachines,
            (Role::Root, Some("MockedResponses"), _) => Role::Responses,
            (Role::Root, Some("S3Objects"), _) => Role::S3Objects,
            (Role::StateMachines, Some(_), _) => Role::StateMachine,
            (Role::StateMachine, Some("TestCases"), _) => Role::TestCases,
            (Role::TestCases, Some(_), _) => Role::TestCase,
            (Role::Responses, Some(_), _) => Role::Response,
            (Role::Response, Some(_), _) => Role::Invocation,
            (Role::Invocation, Some("Throw"), _) => Role::Throw,
            (Role::S3Objects, _, Via::Index(_)) => Role::S3Object,
            _ => Role::Other,
        };
    }
    out
}

/// The value template a mock key's completion inserts.
fn key_value(role: Role, key: &str) -> &'static str {
    match (role, key) {
        (Role::Root, "StateMachines") => "{\n\t\"${1:StateMachine}\": {\n\t\t\"TestCases\": {\n\t\t\t\"${2:HappyPath}\": {\n\t\t\t\t${}\n\t\t\t}\n\t\t}\n\t}\n}",
        (Role::Root, "MockedResponses") => "{\n\t${}\n}",
        (Role::Root, "S3Objects") => "[\n\t{\n\t\t\"Bucket\": \"${1:my-bucket}\",\n\t\t\"Key\": \"${2:items.json}\",\n\t\t\"Content\": ${3:[]}\n\t}\n]",
        (Role::Root, "S3Buckets") => "[\"${1:my-bucket}\"]",
        (Role::StateMachine, "TestCases") => "{\n\t\"${1:HappyPath}\": {\n\t\t${}\n\t}\n}",
        (Role::Invocation, "Return" | "Submitted") => "{${}}",
        (Role::Invocation, "Throw") => "{\n\t\"Error\": \"${1}\",\n\t\"Cause\": \"${2}\"\n}",
        (Role::Invocation, "Latency") => "${1:1}",
        (Role::Invocation, "Silent") => "true",
        (Role::S3Object, "Content") => "${1:\"\"}",
        _ => "\"${}\"",
    }
}

/// The Task states of a definition's text, in every machine of it (branches, processors).
fn task_states(definition: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(Node::Object(root)) = syntax::parse(definition) {
        collect_tasks(definition, &root, &mut out, 0);
    }
    out
}

fn collect_tasks(text: &str, machine: &Object, out: &mut Vec<(String, String)>, depth: usize) {
    if depth > syntax::MAX_DEPTH {
        return;
    }
    for (name, state) in states_of(text, machine) {
        if state.string(text, "Type").as_deref() == Some("Task") {
            out.push((name, state.string(text, "Resource").unwrap_or_default()));
        }
        if let Some(branches) = state.value(text, "Branches").and_then(Node::as_array) {
            for b in branches.items(text).iter().filter_map(|i| i.value.as_object()) {
                collect_tasks(text, b, out, depth + 1);
            }
        }
        for key in ["ItemProcessor", "Iterator"] {
            if let Some(p) = state.value(text, key).and_then(Node::as_object) {
                collect_tasks(text, p, out, depth + 1);
            }
        }
    }
}

/// The completions at byte `pos` of a mock configuration's text.
pub(crate) fn complete(text: &str, pos: usize, definition: &str) -> Option<Answer> {
    let Some(root) = syntax::parse(text) else {
        let options = snippets()
            .of_kind("mock")
            .filter(|e| e.name == "Mock configuration")
            .map(|e| {
                Completion::new(e.name, e.header("detail").unwrap_or(""), ItemKind::Snippet)
                    .snippet(e.example.clone().unwrap_or_default())
            })
            .collect();
        return Some(Answer { from: pos, to: pos, options });
    };
    let location = syntax::locate(text, &root, pos, Mode::Complete)?;
    let roles = roles(text, &location.frames);
    let role = *roles.last()?;
    let frame = location.frames.last()?;
    match location.at {
        At::Key(_) | At::NewKey => {
            let editing = match location.at {
                At::Key(m) => Some(m),
                _ => None,
            };
            let obj = frame.node.as_object()?;
            let edit = KeyEdit::new(text, obj, editing, pos);
            let present = |name: &str| {
                obj.members(text).iter().any(|m| editing.is_none_or(|e| !std::ptr::eq(m, e)) && m.key.is(text, name))
            };
            let fixed: &[&str] = match role {
                Role::Root => MOCK_CONFIG_FIELDS,
                Role::StateMachine => &["TestCases"],
                Role::Invocation => INVOCATION_FIELDS,
                Role::Throw => THROW_FIELDS,
                Role::S3Object => S3_OBJECT_FIELDS,
                _ => &[],
            };
            let mut options: Vec<Completion> = fixed
                .iter()
                .filter(|k| !present(k))
                .map(|k| {
                    let e = docs().get("mock", k);
                    Completion::new(*k, short(e), ItemKind::Property)
                        .snippet(edit.member(k, key_value(role, k)))
                        .info(e.map(|e| e.text.clone()))
                })
                .collect();
            match role {
                Role::TestCase => {
                    for (name, resource) in task_states(definition) {
                        if !present(&name) {
                            let detail = format!("Task state {resource}").trim_end().to_string();
                            options.push(
                                Completion::new(name.clone(), detail, ItemKind::Variable)
                                    .snippet(edit.member(&name, "\"${}\"")),
                            );
                        }
                    }
                }
                Role::Responses => {
                    for e in snippets().of_kind("mock").filter(|e| e.name != "Mock configuration") {
                        let body = e.example.clone().unwrap_or_default();
                        options.push(
                            Completion::new(e.name, e.header("detail").unwrap_or(""), ItemKind::Snippet)
                                .snippet(edit.snippet(&body)),
                        );
                    }
                }
                Role::Response => {
                    let used =
                        obj.members(text).iter().filter(|m| editing.is_none_or(|e| !std::ptr::eq(*m, e))).count();
                    let e = docs().get("mock", "InvocationKey");
                    for key in [used.to_string(), format!("{used}-{}", used + 2)] {
                        options.push(
                            Completion::new(key.clone(), short(e), ItemKind::Property)
                                .snippet(edit.member(&key, "{\n\t\"Return\": {${}}\n}"))
                                .info(e.map(|e| e.text.clone())),
                        );
                    }
                }
                _ => {}
            }
            (!options.is_empty()).then_some(Answer { from: edit.from, to: edit.to, options })
        }
        At::Value(_) | At::NewValue => {
            let (member, node) = match (frame.via, location.at) {
                (Via::Member(m), At::Value(n)) => (m, Some(n)),
                (Via::Member(m), _) => (m, None),
                _ => return None,
            };
            let key = member.key.name(text);
            let edit = ValueEdit::new(text, node, member.comma, pos);
            let options: Vec<Completion> = match (role, key.as_str()) {
                (Role::TestCase, _) => {
                    let responses = root.as_object()?.value(text, "MockedResponses")?.as_object()?;
                    responses
                        .members(text)
                        .iter()
                        .map(|m| {
                            let name = m.key.name(text);
                            Completion::new(name.clone(), "mocked response", ItemKind::Variable)
                                .apply(edit.string(&name))
                        })
                        .collect()
                }
                (Role::Throw, "Error") => error_names_for(&edit),
                (Role::Invocation, "Silent") => {
                    vec![Completion::new("true", "no answer ever comes", ItemKind::Keyword).apply(edit.literal("true"))]
                }
                _ => Vec::new(),
            };
            (!options.is_empty()).then_some(Answer { from: edit.from, to: edit.to, options })
        }
    }
}

/// The documentation at byte `pos` of a mock configuration's text.
pub(crate) fn hover(text: &str, pos: usize) -> Option<Hover> {
    let root = syntax::parse(text)?;
    let location = syntax::locate(text, &root, pos, Mode::Hover)?;
    let roles = roles(text, &location.frames);
    let role = *roles.last()?;
    let At::Key(m) = location.at else { return None };
    let name = m.key.name(text);
    let entry = match role {
        Role::Root | Role::StateMachine | Role::Invocation | Role::Throw | Role::S3Object => docs().get("mock", &name),
        Role::Response => docs().get("mock", "InvocationKey"),
        _ => None,
    }?;
    Some(Hover {
        from: m.key.span.start,
        to: m.key.span.end,
        title: if role == Role::Response {
            format!("{name} (invocation key)")
        } else {
            format!("{name} (mock configuration)")
        },
        signature: None,
        text: entry.text.clone(),
        example: entry.example.clone(),
        link: entry.link.map(str::to_string),
    })
}
