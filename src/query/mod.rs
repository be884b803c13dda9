//! The query languages of ASL's JSONPath mode: paths over JSON values, payload templates
//! with intrinsic functions, and what an evaluation may read (the state's input `$`, the
//! context object `$$`, workflow variables `$name`) and draw on (seeded randomness).
//!
//! Every expression is parsed once, when the definition is loaded; evaluation then only
//! walks the parsed form.

use crate::value::Value;

pub mod intrinsics;
pub(crate) mod java;
pub mod jsonata_field;
pub mod jsonpath;
pub mod template;

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

/// A source of randomness, injected so that a run is reproducible from its seed.
pub trait Random {
    fn next_u64(&mut self) -> u64;
}

/// SplitMix64: small, fast and good enough for UUIDs, `States.MathRandom` and jitter.
#[derive(Clone, Debug)]
pub struct SeededRandom(pub u64);

impl Random for SeededRandom {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// A version 4 UUID drawn from `random` (`States.UUID`, `$uuid`, task tokens, ids of default
/// responses): the one way every part of the interpreter makes UUIDs.
pub fn uuid_v4(random: &mut dyn Random) -> String {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&random.next_u64().to_le_bytes());
    bytes[8..].copy_from_slice(&random.next_u64().to_le_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 15) as usize] as char);
    }
    out
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
