//! State machine definitions: parsing JSON text into a typed model, and validation into
//! diagnostics.

mod diagnostic;
pub mod model;
pub mod validate;

pub use diagnostic::{Diagnostic, Severity, Validation};
pub use model::Definition;

use crate::json;
use crate::value::Value;

/// Validates definition text: JSON syntax, then AWS's rules, with the line and column of
/// each diagnostic; returns the parsed JSON too when it parsed.
pub fn check(text: &str) -> (Option<Value>, Validation) {
    let Ok((value, map)) = json::parse_with_source_map(text) else {
        return (None, validate::validate_text(text));
    };
    let mut diagnostics = validate::validate_mapped(&value, &map, &validate::Options::default());
    if diagnostics.iter().all(|d| !d.is_error()) {
        // Whatever the validator let through but the model cannot represent.
        if let Err(more) = Definition::from_value(value.clone()) {
            for mut d in more {
                if let Some((l, c)) = map.locate(&d.location) {
                    d.line = Some(l);
                    d.column = Some(c);
                }
                diagnostics.push(d);
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
