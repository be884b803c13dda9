//! State machine definitions: parsing JSON text into a typed model, and validation into
//! diagnostics.

mod diagnostic;
pub mod validate;

pub use diagnostic::{Diagnostic, Severity, Validation};
