//! The query languages of ASL: in JSONPath mode, paths over JSON values and payload templates
//! with intrinsic functions; in JSONata mode, fields holding `{% %}` expressions (over
//! [`crate::jsonata`]); and what an evaluation may read (the state's input `$`, the
//! context object `$$`, workflow variables `$name`) and draw on (seeded randomness, from
//! [`crate::random`]).
//!
//! Every expression is parsed once, when the definition is loaded; evaluation then only
//! walks the parsed form.

use crate::value::Value;

pub mod intrinsics;
pub(crate) mod java;
pub mod jsonata_field;
pub mod jsonpath;
pub mod template;

pub use crate::random::{Random, SeededRandom};

/// Workflow variables visible to a state (its own scope and the enclosing ones).
pub trait Variables {
    fn get(&self, name: &str) -> Option<Value>;
}

/// No variables at all.
impl Variables for () {
    fn get(&self, _: &str) -> Option<Value> {
        None
    }
}

/// What an expression evaluates against.
pub struct Env<'a> {
    /// `$`: the value the expression reads (the effective input, the result, ...).
    pub input: &'a Value,
    /// `$$`: the context object.
    pub context: &'a Value,
    /// `$name`: workflow variables.
    pub variables: &'a dyn Variables,
    /// Randomness for `States.UUID` and `States.MathRandom`.
    pub random: &'a mut dyn Random,
}

/// A failure while evaluating an expression at run time: AWS's error name (`States.Runtime`,
/// `States.IntrinsicFailure`, ...) and the cause text without the engine's prefix
/// ("An error occurred while executing the state 'X' (entered at the event id #n). "), which
/// the engine adds where AWS does.
#[derive(Clone, Debug, PartialEq)]
pub struct EvalError {
    pub error: String,
    pub cause: String,
    /// For JSONata fields: where the failing expression stands (`Output/result`), as the
    /// history's `EvaluationFailed` event reports it.
    pub location: Option<std::rc::Rc<str>>,
}

impl EvalError {
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> EvalError {
        EvalError { error: error.into(), cause: cause.into(), location: None }
    }
    pub fn runtime(cause: impl Into<String>) -> EvalError {
        EvalError::new("States.Runtime", cause)
    }
    pub fn intrinsic(cause: impl Into<String>) -> EvalError {
        EvalError::new("States.IntrinsicFailure", cause)
    }
}

/// Whether a definition's JSON mentions `$$` or `$states` anywhere (so that building `$$`
/// per state can be skipped when nothing reads it).
pub fn mentions_context(v: &Value) -> bool {
    match v {
        // `$states.input` alone does not need the context object; `$states` whole does.
        Value::String(s) if !s.contains('$') => false,
        Value::String(s) => {
            s.contains("$$")
                || s.contains("$states.context")
                || s.match_indices("$states").any(|(i, _)| !s[i + 7..].starts_with('.'))
        }
        Value::Array(a) => a.iter().any(mentions_context),
        Value::Object(m) => m.iter().any(|(k, v)| (k.contains('$') && k.contains("$$")) || mentions_context(v)),
        _ => false,
    }
}
