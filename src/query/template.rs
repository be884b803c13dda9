//! Payload templates: `Parameters`, `ResultSelector`, `ItemSelector` and JSONPath `Assign`.
//!
//! A template is JSON in which every key ending in `.$` is computed: its value must be a path
//! (`$...`, `$$...`, `$name...`) or an intrinsic call, and the output key drops the `.$`.
//! Everything else is copied as written, at any depth of objects and arrays. Compiling
//! parses every expression once and folds each subtree without `.$` keys into one shared
//! literal, so evaluation only computes what is dynamic; a template with nothing dynamic
//! evaluates to its literal with no allocation.

use std::fmt;
use std::rc::Rc;

use crate::json;
use crate::query::intrinsics::Intrinsic;
use crate::query::jsonpath::Path;
use crate::query::{Env, EvalError};
use crate::value::{Map, Value};

/// A compiled payload template.
///
/// ```
/// use aslplay::{json, query::{template::Template, Env, SeededRandom}};
/// let t = Template::compile(&json::parse(r#"{"id.$": "$.order.id", "kind": "order"}"#).unwrap()).unwrap();
/// let input = json::parse(r#"{"order": {"id": 7}}"#).unwrap();
/// let mut random = SeededRandom(0);
/// let mut env = Env { input: &input, context: &Default::default(), variables: &(), random: &mut random };
/// assert_eq!(json::to_string(&t.evaluate(&mut env).unwrap()), r#"{"id":7,"kind":"order"}"#);
/// ```
#[derive(Clone, Debug)]
pub struct Template {
    root: Node,
}

#[derive(Clone, Debug)]
enum Node {
    /// A subtree with nothing to compute, shared as is.
    Static(Value),
    /// `"key.$": "$..."`; `field` is the key as written, for AWS's message.
    Path { field: Rc<str>, path: Path },
    /// `"key.$": "States.X(...)"`.
    Intrinsic { field: Rc<str>, call: Intrinsic },
    /// An object with at least one computed member; keys without the `.$`.
    Object(Vec<(Rc<str>, Node)>),
    /// An array with at least one computed element.
    Array(Vec<Node>),
}

/// A template that cannot be compiled: where (JSON pointer from the template's root, e.g.
/// `/parsed.$`), AWS's message, and what exactly is wrong.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateError {
    pub pointer: String,
    /// AWS's wording, e.g. "The value for the field 'parsed.$' must be a valid JSONPath or a
    /// valid intrinsic function call".
    pub message: String,
    /// The parser's explanation, for a more helpful diagnostic.
    pub detail: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {} ({})", self.message, self.pointer, self.detail)
    }
}

impl std::error::Error for TemplateError {}

/// Templates nest no deeper than the JSON they come from; this guards hand-built values.
const MAX_DEPTH: usize = crate::json::MAX_DEPTH + 1;

impl Template {
    /// Compiles a template, parsing every `.$` expression.
    pub fn compile(value: &Value) -> Result<Template, TemplateError> {
        let mut pointer = String::new();
        Ok(Template { root: compile(value, &mut pointer, 0)? })
    }

    /// True when nothing in the template is computed.
    pub fn is_static(&self) -> bool {
        matches!(self.root, Node::Static(_))
    }

    /// The template's value when it is static.
    pub fn static_value(&self) -> Option<&Value> {
        match &self.root {
            Node::Static(v) => Some(v),
            _ => None,
        }
    }

    /// Evaluates the template. A path that selects nothing fails with `States.Runtime` and
    /// "The JSONPath '<path>' specified for the field '<key>.$' could not be found in the
    /// input '<input>'"; a failing intrinsic with its own error.
    pub fn evaluate(&self, env: &mut Env) -> Result<Value, EvalError> {
        evaluate(&self.root, env)
    }
}

fn invalid(pointer: &str, field: &str, detail: String) -> TemplateError {
    TemplateError {
        pointer: pointer.to_string(),
        message: format!(
            "The value for the field '{field}' must be a valid JSONPath or a valid intrinsic function call"
        ),
        detail,
    }
}

fn compile(value: &Value, pointer: &mut String, depth: usize) -> Result<Node, TemplateError> {
    if depth > MAX_DEPTH {
        return Err(TemplateError {
            pointer: pointer.clone(),
            message: "The template is nested too deeply".into(),
            detail: String::new(),
        });
    }
    let mark = pointer.len();
    match value {
        Value::Object(map) => {
            let mut entries = Vec::with_capacity(map.len());
            let mut dynamic = false;
            for (key, member) in map.iter() {
                pointer.push('/');
                pointer.push_str(&json::pointer_token(key));
                let (name, node) = match key.strip_suffix(".$") {
                    Some(name) => (Rc::from(name), expression(key, member, pointer)?),
                    None => (key.clone(), compile(member, pointer, depth + 1)?),
                };
                pointer.truncate(mark);
                dynamic |= !matches!(node, Node::Static(_));
                // `x` beside `x.$`: the later one is the field (the validator warns).
                entries.retain(|(k, _): &(Rc<str>, Node)| *k != name);
                entries.push((name, node));
            }
            Ok(if dynamic { Node::Object(entries) } else { Node::Static(value.clone()) })
        }
        Value::Array(items) => {
            let mut nodes = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                pointer.push('/');
                pointer.push_str(&i.to_string());
                nodes.push(compile(item, pointer, depth + 1)?);
                pointer.truncate(mark);
            }
            Ok(if nodes.iter().all(|n| matches!(n, Node::Static(_))) {
                Node::Static(value.clone())
            } else {
                Node::Array(nodes)
            })
        }
        _ => Ok(Node::Static(value.clone())),
    }
}

/// The value of a `.$` key: a path or an intrinsic call.
fn expression(key: &Rc<str>, value: &Value, pointer: &str) -> Result<Node, TemplateError> {
    let Value::String(text) = value else {
        return Err(invalid(pointer, key, format!("the value is a {}, not a string", value.type_name())));
    };
    if text.starts_with('$') {
        Path::parse(text)
            .map(|path| Node::Path { field: key.clone(), path })
            .map_err(|e| invalid(pointer, key, e.to_string()))
    } else {
        Intrinsic::parse(text)
            .map(|call| Node::Intrinsic { field: key.clone(), call })
            .map_err(|e| invalid(pointer, key, e.to_string()))
    }
}

#[cfg_attr(aslplay_speed, optimize(speed))]
fn evaluate(node: &Node, env: &mut Env) -> Result<Value, EvalError> {
    match node {
        Node::Static(v) => Ok(v.clone()),
        Node::Path { field, path } => path.select_for_field(env, field),
        Node::Intrinsic { field, call } => call.evaluate(env, field),
        Node::Object(entries) => {
            let mut map = Map::with_capacity(entries.len());
            for (key, child) in entries {
                map.push_unique(key.clone(), evaluate(child, env)?);
            }
            Ok(Value::from(map))
        }
        Node::Array(nodes) => {
            let mut items = Vec::with_capacity(nodes.len());
            for child in nodes {
                items.push(evaluate(child, env)?);
            }
            Ok(Value::from(items))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Variables;
    use crate::random::SeededRandom;

    struct Vars(Vec<(&'static str, Value)>);
    impl Variables for Vars {
        fn get(&self, name: &str) -> Option<Value> {
            self.0.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone())
        }
    }

    fn run(template: &str, input: &str) -> Result<String, EvalError> {
        let t = Template::compile(&json::parse(template).unwrap()).unwrap();
        let input = json::parse(input).unwrap();
        let context =
            json::parse(r#"{"Execution": {"Name": "exec-1", "Input": {"a": 1}}, "Map": {"Item": {"Index": 3}}}"#)
                .unwrap();
        let vars = Vars(vec![("greeting", Value::from("hi")), ("obj", json::parse(r#"{"k": [10, 20]}"#).unwrap())]);
        let mut random = SeededRandom(9);
        let mut env = Env { input: &input, context: &context, variables: &vars, random: &mut random };
        t.evaluate(&mut env).map(|v| json::to_string(&v))
    }

    fn compile_error(template: &str) -> TemplateError {
        Template::compile(&json::parse(template).unwrap()).unwrap_err()
    }

    #[test]
    fn dynamic_keys_at_any_depth() {
        let out = run(
            r#"{"a.$": "$.x", "lit": "$.x", "nested": {"b.$": "$$.Execution.Name", "arr": [1, {"c.$": "$greeting"}]}, "n": null}"#,
            r#"{"x": [1, 2]}"#,
        );
        assert_eq!(out.unwrap(), r#"{"a":[1,2],"lit":"$.x","nested":{"b":"exec-1","arr":[1,{"c":"hi"}]},"n":null}"#);
    }

    #[test]
    fn paths_of_every_root_and_intrinsics() {
        let out = run(
            r#"{"whole.$": "$", "ctx.$": "$$.Map.Item.Index", "var.$": "$obj.k[1]", "f.$": "States.Format('{}-{}', $.x, $$.Execution.Name)"}"#,
            r#"{"x": "v"}"#,
        );
        assert_eq!(out.unwrap(), r#"{"whole":{"x":"v"},"ctx":3,"var":20,"f":"v-exec-1"}"#);
    }

    #[test]
    fn missing_paths_give_aws_message() {
        let e = run(r#"{"value.$": "$.no_such_jsonpath"}"#, r#"{"int-literal": 0}"#).unwrap_err();
        assert_eq!(e.error, "States.Runtime");
        assert_eq!(
            e.cause,
            "The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{\"int-literal\":0}'"
        );
        let e = run(r#"{"value.$": "$$.Execution.Input.no_such_jsonpath"}"#, r#"{"int-literal": 0}"#).unwrap_err();
        assert_eq!(
            e.cause,
            "The JSONPath '$$.Execution.Input.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{\"int-literal\":0}'"
        );
        let e = run(r#"{"deep": [{"v.$": "$nosuchvar"}]}"#, "{}").unwrap_err();
        assert_eq!(
            e.cause,
            "The JSONPath '$nosuchvar' specified for the field 'v.$' could not be found in the input '{}'"
        );
        // An intrinsic's path argument reports the same way.
        let e = run(r#"{"h.$": "States.Hash($.missing, 'SHA-256')"}"#, "{}").unwrap_err();
        assert_eq!(
            e.cause,
            "The JSONPath '$.missing' specified for the field 'h.$' could not be found in the input '{}'"
        );
    }

    #[test]
    fn indefinite_paths_yield_arrays_even_when_empty() {
        assert_eq!(run(r#"{"v.$": "$.items[*].id"}"#, r#"{"items": []}"#).unwrap(), r#"{"v":[]}"#);
    }

    #[test]
    fn static_templates_are_shared_not_copied() {
        let source = json::parse(r#"{"a": {"b": [1, 2]}, "c": "$.not_a_path"}"#).unwrap();
        let t = Template::compile(&source).unwrap();
        assert!(t.is_static());
        let input = Value::object();
        let mut random = SeededRandom(0);
        let mut env = Env { input: &input, context: &input, variables: &(), random: &mut random };
        let out = t.evaluate(&mut env).unwrap();
        assert!(out.ptr_eq(&source));
        // Static members of a dynamic template are shared too.
        let source = json::parse(r#"{"big": {"x": [1, 2, 3]}, "d.$": "$"}"#).unwrap();
        let out = Template::compile(&source).unwrap().evaluate(&mut env).unwrap();
        assert!(out.get("big").unwrap().ptr_eq(source.get("big").unwrap()));
        assert!(!Template::compile(&source).unwrap().is_static());
    }

    #[test]
    fn invalid_expressions_are_compile_errors() {
        let e = compile_error(r#"{"a": {"parsed.$": "States.Format('He said, \\\"Hello, {}!\\\"', 'x')"}}"#);
        assert_eq!(e.pointer, "/a/parsed.$");
        assert_eq!(
            e.message,
            "The value for the field 'parsed.$' must be a valid JSONPath or a valid intrinsic function call"
        );
        assert!(e.detail.contains("escape"), "{}", e.detail);
        assert_eq!(compile_error(r#"{"x.$": 5}"#).pointer, "/x.$");
        assert!(compile_error(r#"{"x.$": "not a path"}"#).detail.contains("intrinsic"));
        assert!(compile_error(r#"{"x.$": "$.a["}"#).message.contains("valid JSONPath"));
    }

    #[test]
    fn a_field_with_and_without_dollar_is_the_later_one() {
        assert_eq!(run(r#"{"a": 1, "a.$": "$.x"}"#, r#"{"x": 2}"#).unwrap(), r#"{"a":2}"#);
        assert_eq!(run(r#"{"a.$": "$.x", "a": 1, "b.$": "$.x"}"#, r#"{"x": 2}"#).unwrap(), r#"{"a":1,"b":2}"#);
    }

    #[test]
    fn intrinsic_failures_propagate() {
        let e = run(r#"{"v.$": "States.MathAdd($.a, 'x')"}"#, r#"{"a": 1}"#).unwrap_err();
        assert_eq!((e.error.as_str(), e.cause.as_str()), ("States.Runtime", "Invalid arguments in States.MathAdd"));
    }
}
