//! aslplay: an interpreter for the Amazon States Language, the JSON language of AWS Step
//! Functions. It validates definitions the way AWS does, runs executions step by step over a
//! virtual clock with every service call mocked, and records AWS-shaped execution history.

pub mod definition;
pub mod json;
pub mod jsonata;
pub mod query;
pub mod value;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use definition::{Diagnostic, Severity, Validation};
pub use value::{Map, Number, Value};
