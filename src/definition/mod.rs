//! State machine definitions: parsing JSON text into a typed model, and validation into
//! diagnostics.

mod diagnostic;
pub mod model;
pub mod validate;

pub use diagnostic::{Diagnostic, Severity, Validation};
pub use model::Definition;

use crate::json;
use crate::value::Value;

/// Validates definition text: JSON syntax, then AWS's rules. Every diagnostic carries the
/// line and column of its place.
pub fn check(text: &str) -> (Option<Value>, Validation) {
    let (value, map) = match json::parse_with_source_map(text) {
        Ok(x) => x,
        Err(e) => {
            let mut d = Diagnostic::error(
                "INVALID_JSON_DESCRIPTION",
                "/",
                format!("Definition is not valid JSON: {}", e.message),
            );
            d.line = Some(e.line);
            d.column = Some(e.column);
            return (None, Validation { diagnostics: vec![d] });
        }
    };
    let mut diagnostics = validate::validate(&value);
    if diagnostics.iter().all(|d| !d.is_error()) {
        // Whatever the validator let through but the model cannot represent.
        if let Err(more) = Definition::from_value(value.clone()) {
            diagnostics.extend(more);
        }
    }
    for d in &mut diagnostics {
        if d.line.is_none() {
            let pointer = if d.location == "/" { "" } else { d.location.as_str() };
            if let Some((l, c)) = map.locate(pointer) {
                d.line = Some(l);
                d.column = Some(c);
            }
        }
    }
    (Some(value), Validation { diagnostics })
}

impl Definition {
    /// Parses and validates definition text into a runnable definition.
    ///
    /// ```
    /// let def = aslplay::Definition::from_text(r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#);
    /// assert!(def.is_ok());
    /// let bad = aslplay::Definition::from_text(r#"{"StartAt": "A", "States": {}}"#).unwrap_err();
    /// assert!(!bad.is_ok());
    /// ```
    pub fn from_text(text: &str) -> Result<Definition, Validation> {
        let (value, validation) = check(text);
        match value {
            Some(v) if validation.is_ok() => Definition::from_value(v).map_err(|diagnostics| Validation { diagnostics }),
            _ => Err(validation),
        }
    }
}
