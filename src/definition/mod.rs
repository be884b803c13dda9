//! State machine definitions: parsing JSON text into a typed model, and validation into
//! diagnostics.

mod diagnostic;
pub mod model;
pub mod resource;
pub mod schema;
pub mod validate;

pub use diagnostic::{Diagnostic, Severity, Validation};
pub use model::Definition;

use crate::json;
use crate::value::Value;

/// Validates definition text: JSON syntax, then AWS's rules, with the line and column of
/// each diagnostic; returns the parsed JSON too when it parsed.
pub fn check(text: &str) -> (Option<Value>, Validation) {
    let (value, validation, _) = check_and_build(text);
    (value, validation)
}

/// `check`, also returning the runnable model when the definition is valid (built once).
fn check_and_build(text: &str) -> (Option<Value>, Validation, Option<Definition>) {
    let Ok(value) = json::parse(text) else {
        return (None, validate::validate_text(text), None);
    };
    let options = validate::Options::default();
    let mut diagnostics = validate::validate_with(&value, &options);
    // Positions are worth their cost only when there is something to point at.
    let map = if diagnostics.is_empty() {
        json::SourceMap::default()
    } else {
        let (_, map) = json::parse_with_source_map(text).unwrap_or_default();
        diagnostics = validate::validate_mapped(&value, &map, &options);
        map
    };
    let mut built = None;
    if diagnostics.iter().all(|d| !d.is_error()) {
        // Whatever the validator let through but the model cannot represent.
        match Definition::from_value(value.clone()) {
            Ok(d) => built = Some(d),
            Err(more) => {
                for mut d in more {
                    if let Some((l, c)) = map.locate(&d.location) {
                        d.line = Some(l);
                        d.column = Some(c);
                    }
                    diagnostics.push(d);
                }
            }
        }
    }
    (Some(value), Validation { diagnostics }, built)
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
        match check_and_build(text) {
            (_, validation, Some(definition)) if validation.is_ok() => Ok(definition),
            (_, validation, _) => Err(validation),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn jsonata_errors_point_inside_the_string() {
        let text = "{\"QueryLanguage\": \"JSONata\", \"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\",\n  \"Output\": {\"x\": \"{% $states.input.a + ) %}\"}, \"End\": true}}}";
        let v = super::check(text).1;
        let d = &v.diagnostics[0];
        assert_eq!(d.location, "/States/A/Output/x");
        // Line 2, at the `)`.
        assert_eq!((d.line, d.column), (Some(2), Some(text.lines().nth(1).unwrap().find(')').unwrap() + 1)));
    }

    #[test]
    fn diagnostics_under_arrays_point_at_the_element() {
        let text = "{\"StartAt\": \"C\", \"States\": {\"C\": {\"Type\": \"Choice\", \"Default\": \"D\",\n \"Choices\": [\n  {\"Variable\": \"$.x\", \"NumericEquals\": 1, \"Next\": \"Nowhere\"}]},\n \"D\": {\"Type\": \"Succeed\"}}}";
        let v = super::check(text).1;
        let d = v.diagnostics.iter().find(|d| d.code == "MISSING_TRANSITION_TARGET").unwrap();
        assert_eq!(d.line, Some(3));
    }

    #[test]
    fn jsonata_top_level_references_are_refused_once_per_name() {
        let text = r#"{"QueryLanguage": "JSONata", "StartAt": "E", "States": {"E": {"Type": "Pass",
            "Output": {"v": "{% phone & phone & $states.input.name %}", "ok": "{% $states.input.items[status = 'OPEN'] %}",
                       "literal": " {% not an expression %}"}, "End": true}}}"#;
        let v = super::check(text).1;
        let found: Vec<(&str, &str, &str)> =
            v.diagnostics.iter().map(|d| (d.code, d.message.as_str(), d.location.as_str())).collect();
        assert_eq!(
            found,
            vec![(
                "UNSUPPORTED_JSONATA_EXPRESSION",
                "Reference to 'phone' at the top level is not supported.",
                "/States/E/Output/v"
            )]
        );
    }
}
