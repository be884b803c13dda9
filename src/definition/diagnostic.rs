//! Diagnostics: what is wrong with a definition, in the shape of AWS's
//! `ValidateStateMachineDefinition` response, plus the line and column of the place.

use crate::value::{Map, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in a definition.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// AWS's code: `SCHEMA_VALIDATION_FAILED`, `MISSING_TRANSITION_TARGET`, `NO_DOLLAR`, ...
    pub code: &'static str,
    pub message: String,
    /// JSON pointer of the place: `/States/Foo/Next`; `/` for the whole definition; empty
    /// when the diagnostic has no place (AWS then omits it).
    pub location: String,
    /// 1-based line and column of that place in the source text, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Diagnostic {
    pub fn error(code: &'static str, location: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: location.into(),
            line: None,
            column: None,
        }
    }

    pub fn warning(code: &'static str, location: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, location, message) }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The diagnostic as AWS's JSON (`severity`, `code`, `message`, `location`) plus `line`
    /// and `column` when known.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert(
            "severity",
            Value::from(match self.severity {
                Severity::Error => "ERROR",
                Severity::Warning => "WARNING",
            }),
        );
        m.insert("code", Value::from(self.code));
        m.insert("message", Value::from(self.message.as_str()));
        // AWS omits `location` when a diagnostic has none (e.g. MISSING_END_STATE).
        if !self.location.is_empty() {
            m.insert("location", Value::from(self.location.as_str()));
        }
        if let (Some(l), Some(c)) = (self.line, self.column) {
            m.insert("line", Value::from(l));
            m.insert("column", Value::from(c));
        }
        Value::from(m)
    }
}

/// The result of validating a definition: AWS's `ValidateStateMachineDefinition` response.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Validation {
    pub diagnostics: Vec<Diagnostic>,
}

impl Validation {
    /// `true` when no diagnostic is an error (warnings allowed), AWS's `"result": "OK"`.
    pub fn is_ok(&self) -> bool {
        !self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("result", Value::from(if self.is_ok() { "OK" } else { "FAIL" }));
        m.insert("diagnostics", Value::from(self.diagnostics.iter().map(Diagnostic::to_value).collect::<Vec<_>>()));
        m.insert("truncated", Value::from(false));
        Value::from(m)
    }
}
