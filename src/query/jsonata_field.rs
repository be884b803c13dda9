//! JSONata-mode fields: a JSON value in which every string of the form `{% expression %}` is a
//! JSONata expression, at any depth of objects and arrays (`Arguments`, `Output`, `Assign`,
//! `Items`, ...). Parsed once; evaluated with AWS's error texts for undefined results,
//! evaluation errors and results of the wrong type.

// JsonataFieldError is large (a JsonataError with its message and position) but only ever made
// while a definition is loaded, never on an execution's path: boxing it would buy nothing.
#![allow(clippy::result_large_err)]

use super::EvalError;
use crate::jsonata::{Environment, Evaluated, Expression, JsonataError};
use crate::value::{Map, Value};
use std::rc::Rc;

/// A field's value with its JSONata expressions parsed.
#[derive(Debug)]
pub struct JsonataField {
    root: Node,
}

#[derive(Debug)]
enum Node {
    Static(Value),
    Expr { source: Rc<str>, expr: Rc<Expression> },
    Object(Vec<(Rc<str>, Node)>),
    Array(Vec<Node>),
}

/// A JSONata expression that does not parse, with the JSON pointer (below the field) of the
/// string that holds it.
#[derive(Clone, Debug)]
pub struct JsonataFieldError {
    pub pointer: String,
    pub error: JsonataError,
}

/// The expression inside `{% ... %}`, if the string is one.
pub fn expression_text(s: &str) -> Option<&str> {
    s.strip_prefix("{%")?.strip_suffix("%}").map(str::trim)
}

/// The JSON type names AWS uses in "Expected 'array', but was 'string'".
fn type_name(v: &Value) -> &'static str {
    v.type_name()
}

impl JsonataField {
    /// Parses every `{% %}` string of `v`.
    pub fn compile(v: &Value) -> Result<JsonataField, JsonataFieldError> {
        Ok(JsonataField { root: compile(v, &mut String::new())? })
    }

    /// A field holding one expression given as text (e.g. a Choice `Condition`).
    pub fn from_text(text: &str) -> Result<JsonataField, JsonataFieldError> {
        JsonataField::compile(&Value::from(text))
    }

    /// Whether the field has no expression at all.
    pub fn is_static(&self) -> bool {
        matches!(self.root, Node::Static(_))
    }

    /// Evaluates the field. `field` names it in error causes and in the EvaluationFailed
    /// event's `location` (`Output`, `Arguments`, ...); members are appended (`Output/a`).
    pub fn evaluate(&self, env: &Environment, field: &str) -> Result<Value, EvalError> {
        evaluate(&self.root, env, &mut field.to_string())
    }

    /// Evaluates a field that must produce a value of one JSON type (`array`, `number`,
    /// `string`, `boolean`, `object`), with AWS's message when it does not.
    pub fn evaluate_typed(&self, env: &Environment, field: &str, expected: &'static str) -> Result<Value, EvalError> {
        let v = self.evaluate(env, field)?;
        if type_name(&v) == expected {
            return Ok(v);
        }
        let source = match &self.root {
            Node::Expr { source, .. } => source.to_string(),
            _ => crate::json::to_string(&v),
        };
        Err(query_error(
            field,
            format!(
                "The JSONata expression '{source}' specified for the field '{field}' returned an unexpected result type. Expected '{expected}', but was '{}' for value: {}",
                type_name(&v),
                crate::json::to_string(&v)
            ),
        ))
    }
}

/// `States.QueryEvaluationError` located at `field`.
pub fn query_error(field: &str, cause: String) -> EvalError {
    EvalError { location: Some(Rc::from(field)), ..EvalError::new("States.QueryEvaluationError", cause) }
}

fn compile(v: &Value, at: &mut String) -> Result<Node, JsonataFieldError> {
    Ok(match v {
        Value::String(s) => match expression_text(s) {
            Some(text) => {
                let expr = Expression::parse(text).map_err(|error| JsonataFieldError { pointer: at.clone(), error })?;
                Node::Expr { source: Rc::from(text), expr: Rc::new(expr) }
            }
            None => Node::Static(v.clone()),
        },
        Value::Object(m) => {
            let mut members = Vec::with_capacity(m.len());
            let mut dynamic = false;
            for (k, x) in m.iter() {
                let len = at.len();
                at.push('/');
                at.push_str(&crate::json::pointer_token(k));
                let node = compile(x, at)?;
                at.truncate(len);
                dynamic |= !matches!(node, Node::Static(_));
                members.push((k.clone(), node));
            }
            if dynamic {
                Node::Object(members)
            } else {
                Node::Static(v.clone())
            }
        }
        Value::Array(a) => {
            let mut items = Vec::with_capacity(a.len());
            for (i, x) in a.iter().enumerate() {
                let len = at.len();
                at.push('/');
                at.push_str(&i.to_string());
                items.push(compile(x, at)?);
                at.truncate(len);
            }
            if items.iter().all(|n| matches!(n, Node::Static(_))) {
                Node::Static(v.clone())
            } else {
                Node::Array(items)
            }
        }
        other => Node::Static(other.clone()),
    })
}

fn evaluate(node: &Node, env: &Environment, field: &mut String) -> Result<Value, EvalError> {
    match node {
        Node::Static(v) => Ok(v.clone()),
        Node::Expr { source, expr } => match expr.evaluate_detailed(None, env) {
            Ok(Evaluated::Value(v)) => Ok(v),
            Ok(Evaluated::Undefined) => Err(query_error(
                field,
                format!("The JSONata expression '{source}' specified for the field '{field}' returned nothing (undefined)."),
            )),
            Ok(Evaluated::Function) => Err(query_error(
                field,
                format!("The JSONata expression '{source}' specified for the field '{field}' returned an unsupported result type."),
            )),
            Err(e) => Err(query_error(
                field,
                format!(
                    "The JSONata expression '{source}' specified for the field '{field}' threw an error during evaluation. {}: {}",
                    e.code, e.message
                ),
            )),
        },
        Node::Object(members) => {
            let mut m = Map::with_capacity(members.len());
            for (k, n) in members {
                let len = field.len();
                field.push('/');
                field.push_str(k);
                let v = evaluate(n, env, field)?;
                field.truncate(len);
                m.push_unique(k.clone(), v);
            }
            Ok(Value::from(m))
        }
        Node::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, n) in items.iter().enumerate() {
                let len = field.len();
                field.push('/');
                field.push_str(&i.to_string());
                out.push(evaluate(n, env, field)?);
                field.truncate(len);
            }
            Ok(Value::from(out))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluates_nested_expressions_and_keeps_literals() {
        let v =
            crate::json::parse(r#"{"a": "{% 1 + 2 %}", "b": ["x", "{% 'y' & 'z' %}"], "c": "{ not an expression }"}"#)
                .unwrap();
        let f = JsonataField::compile(&v).unwrap();
        let out = f.evaluate(&Environment::new(), "Output").unwrap();
        assert_eq!(out.to_string(), r#"{"a":3,"b":["x","yz"],"c":"{ not an expression }"}"#);
    }

    #[test]
    fn undefined_is_an_error_with_the_member_path() {
        let v = crate::json::parse(r#"{"result": "{% $doesNotExist %}"}"#).unwrap();
        let e = JsonataField::compile(&v).unwrap().evaluate(&Environment::new(), "Output").unwrap_err();
        assert_eq!(e.error, "States.QueryEvaluationError");
        assert_eq!(e.location.as_deref(), Some("Output/result"));
        assert_eq!(
            e.cause,
            "The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined)."
        );
    }

    #[test]
    fn typed_fields_say_what_they_got() {
        let f = JsonataField::from_text("{% 'string' %}").unwrap();
        let e = f.evaluate_typed(&Environment::new(), "Items", "array").unwrap_err();
        assert_eq!(
            e.cause,
            "The JSONata expression ''string'' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'string' for value: \"string\""
        );
    }

    #[test]
    fn parse_errors_name_the_place() {
        let v = crate::json::parse(r#"{"a": {"b": "{% 1 + %}"}}"#).unwrap();
        assert_eq!(JsonataField::compile(&v).unwrap_err().pointer, "/a/b");
    }
}
