//! aslplay: an interpreter for the Amazon States Language, the JSON language of AWS Step
//! Functions. It validates definitions the way AWS does, runs executions step by step over a
//! virtual clock with every service call mocked, and records AWS-shaped execution history.

#![forbid(unsafe_code)]
// The wasm build (scripts/build-wasm.sh, nightly) optimizes the crate for size but the
// interpreter's hot path for speed, function by function.
#![cfg_attr(aslplay_speed, feature(optimize_attribute))]

mod base64;
pub mod definition;
mod digest;
pub mod distributed;
pub mod json;
pub mod jsonata;
// The editor's language service: natively, and in the wasm build of its own module only
// (the engine's module does without it).
#[cfg(any(not(target_arch = "wasm32"), feature = "language"))]
pub mod language;
pub mod query;
pub mod random;
pub mod value;
#[cfg(all(target_arch = "wasm32", not(feature = "importer"), not(feature = "tools"), not(feature = "language")))]
mod wasm;
#[cfg(all(target_arch = "wasm32", feature = "importer"))]
mod wasm_importer;
#[cfg(all(target_arch = "wasm32", feature = "language"))]
mod wasm_language;
#[cfg(all(target_arch = "wasm32", feature = "tools"))]
mod wasm_tools;

pub use definition::{Diagnostic, Severity, Validation};
pub use value::{Map, Number, Value};
pub mod engine;
mod hash_index;
pub mod history;
mod host;
pub mod import;
pub(crate) mod number_parse;
pub mod services;
mod sort;
pub mod test_state;
pub mod time;

pub use definition::Definition;
pub use engine::{Execution, ExecutionIds, Options, Status};
pub use history::{EventType, HistoryEvent};

/// Validates a definition's JSON text as AWS's `ValidateStateMachineDefinition` does, with
/// the line and column of each problem.
///
/// ```
/// let v = aslplay::validate(r#"{"StartAt": "Nope", "States": {"A": {"Type": "Succeed"}}}"#);
/// assert!(!v.is_ok());
/// ```
pub fn validate(definition_text: &str) -> Validation {
    definition::check(definition_text).1
}
