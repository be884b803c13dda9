//! A state's data flow in JSONPath mode: InputPath → Parameters → (the state's work) →
//! ResultSelector → ResultPath → OutputPath, plus `Assign`, and the path-valued fields of
//! Wait, Fail and Map, with AWS's error texts.

use super::choice;
use super::variables::Scope;
use crate::definition::model::{Condition, PathField, ResultPathField, State, StringField};
use crate::history::Assignments;
use crate::query::jsonpath::Path;
use crate::query::template::Template;
use crate::query::{Env, EvalError};
use crate::random::SeededRandom;
use crate::time::Millis;
use crate::value::Value;
use std::rc::Rc;

/// What a state's expressions read: its variables, the context object, randomness.
pub(super) struct Flow<'a> {
    pub scope: Rc<Scope>,
    pub context: Value,
    pub random: &'a mut SeededRandom,
}

impl Flow<'_> {
    fn select(&mut self, p: &Path, input: &Value) -> Result<Value, EvalError> {
        let env = Env { input, context: &self.context, variables: &*self.scope, random: self.random };
        p.select_or_invalid_path(&env)
    }

    fn path_field(&mut self, field: &PathField, v: &Value) -> Result<Value, EvalError> {
        match field {
            PathField::Whole => Ok(v.clone()),
            PathField::Null => Ok(Value::object()),
            PathField::Path(p) => self.select(p, v),
        }
    }

    pub fn input_path(&mut self, state: &State, raw: &Value) -> Result<Value, EvalError> {
        self.path_field(&state.input_path, raw)
    }

    pub fn output_path(&mut self, state: &State, v: &Value) -> Result<Value, EvalError> {
        self.path_field(&state.output_path, v)
    }

    pub fn template(&mut self, t: &Template, input: &Value, field: &str) -> Result<Value, EvalError> {
        let mut env = Env { input, context: &self.context, variables: &*self.scope, random: self.random };
        let _ = field;
        t.evaluate(&mut env)
    }

    /// `ResultSelector` applied to a task/Parallel/Map result.
    pub fn result_selector(&mut self, state: &State, result: Value) -> Result<Value, EvalError> {
        match &state.result_selector {
            Some(t) => self.template(t, &result, "ResultSelector"),
            None => Ok(result),
        }
    }

    /// Puts `result` into the raw input as `ResultPath` says.
    pub fn result_path(&mut self, state: &State, raw: &Value, result: Value) -> Result<Value, EvalError> {
        apply_result_path(&state.result_path, raw, result)
    }

    /// Evaluates a JSONPath `Assign` template; the names and values to assign, in order.
    pub fn assign(&mut self, t: Option<&Template>, input: &Value) -> Result<Option<Assignments>, EvalError> {
        let Some(t) = t else { return Ok(None) };
        let v = self.template(t, input, "Assign")?;
        let pairs = match v.as_object() {
            Some(m) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            None => Vec::new(),
        };
        Ok(Some(Rc::new(pairs)))
    }

    pub fn condition(&mut self, c: &Condition, input: &Value) -> Result<bool, EvalError> {
        let env = Env { input, context: &self.context, variables: &*self.scope, random: self.random };
        choice::holds(c, &env)
    }

    /// Wait's `SecondsPath`: a non-negative integer.
    pub fn seconds_path(&mut self, p: &Path, input: &Value) -> Result<i64, EvalError> {
        let v = self.select(p, input).map_err(|_| {
            EvalError::runtime(format!("The SecondsPath parameter does not reference an input value: {}", p.text()))
        })?;
        match v.as_number() {
            Some(crate::Number::Int(i)) if i >= 0 => Ok(i),
            Some(crate::Number::Int(i)) => Err(EvalError::runtime(format!(
                "The SecondsPath parameter references a negative value: {} == {i}",
                p.text()
            ))),
            _ => Err(EvalError::runtime(format!(
                "The SecondsPath parameter cannot be parsed as a long value: {} == {}",
                p.text(),
                plain(&v)
            ))),
        }
    }

    /// Wait's `TimestampPath`.
    pub fn timestamp_path(&mut self, p: &Path, input: &Value) -> Result<Millis, EvalError> {
        let v = self.select(p, input)?;
        v.as_str().and_then(crate::time::parse_rfc3339).ok_or_else(|| {
            EvalError::runtime(format!(
                "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {} == {}",
                p.text(),
                plain(&v)
            ))
        })
    }

    /// Fail's `Error`/`ErrorPath` and `Cause`/`CausePath`.
    pub fn string_field(
        &mut self,
        f: Option<&StringField>,
        input: &Value,
        field: &str,
    ) -> Result<Option<Rc<str>>, EvalError> {
        match f {
            None => Ok(None),
            Some(StringField::Literal(s)) => Ok(Some(s.clone())),
            Some(StringField::Dynamic(t)) => {
                let v = self.template(t, input, field).map_err(|e| EvalError {
                    cause: e.cause.replace("for the field 'v.$'", &format!("for the field '{field}'")),
                    ..e
                })?;
                let v = v.get("v").cloned().unwrap_or_default();
                Ok(Some(match v {
                    Value::String(s) => s,
                    other => Rc::from(crate::json::to_string(&other)),
                }))
            }
            Some(StringField::Jsonata(_)) => Err(EvalError::runtime("JSONata is not supported yet")),
        }
    }

    /// The items a Map state iterates over.
    pub fn items(&mut self, items_path: &PathField, effective: &Value) -> Result<Rc<Vec<Value>>, EvalError> {
        let v = self.path_field(items_path, effective)?;
        match v {
            Value::Array(a) => Ok(a),
            _ => {
                // AWS names the path relative to its root: `$$.Execution.Input` reads `$.Execution.Input`.
                let path = match items_path {
                    PathField::Path(p) => {
                        p.text().strip_prefix('$').filter(|r| r.starts_with('$')).unwrap_or(p.text()).to_string()
                    }
                    _ => "$".to_string(),
                };
                Err(EvalError::runtime(format!("Reference path \"{path}\" must point to array.")))
            }
        }
    }
}

/// A value as AWS prints it inside a message: strings bare, everything else as JSON.
pub(super) fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        other => crate::json::to_string(other),
    }
}

pub(super) fn apply_result_path(field: &ResultPathField, raw: &Value, result: Value) -> Result<Value, EvalError> {
    match field {
        ResultPathField::Whole => Ok(result),
        ResultPathField::Null => Ok(raw.clone()),
        ResultPathField::Path(p) => p.assign(raw, result),
    }
}
