//! Importers: what users bring from elsewhere, turned into what aslplay runs.
//!
//! - [`mock_config_from_history`]: an execution history (`aws stepfunctions
//!   get-execution-history`) becomes a MockConfigFile that replays its service calls;
//! - [`parse_yaml`]: the YAML people write state machines and CloudFormation/SAM templates in,
//!   as JSON values (core schema, anchors, CloudFormation short tags);
//! - [`read_project`], [`definitions_from_template`] and [`definition_from_text`]: the state
//!   machine definitions inside CloudFormation/SAM templates (inline, or in a `DefinitionUri`
//!   file the caller supplies through [`ProjectFiles`]) with their placeholders filled as the
//!   deployed stack would fill them for a [`Deployment`], or a definition given as JSON or YAML;
//!   [`locate_in_text`] puts a definition's JSON pointers back on the lines of that text.
//!
//! Errors are [`ImportError`] values naming the place (a JSON pointer, or a line and column).

mod cloudformation;
mod history;
mod placeholders;
mod resources;
mod template;
mod yaml;

pub use cloudformation::{
    definition_from_text, definitions_from_template, definitions_from_text, locate_in_text, looks_like_yaml,
    read_project, read_project_with_options, FoundDefinition, Unresolved,
};
pub use history::{import_history, import_history_text, mock_config_from_history, HistoryImport};
pub use template::{Deployment, FileMap, NoFiles, ProjectFiles, Substitution, SubstitutionKind};
pub use yaml::{parse_yaml, parse_yaml_with_source_map};

use crate::value::{Map, Value};

/// Why an import failed, and where: a JSON pointer into the imported document, and for
/// text, the 1-based line and column (in characters) of the offending place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    /// JSON pointer of the offending value (`/events/3/taskSucceededEventDetails/output`),
    /// empty when the place is given by line and column or is the whole document.
    pub pointer: String,
    /// What is wrong, in a sentence.
    pub message: String,
    /// 1-based line of the offending text, when the input was text.
    pub line: Option<usize>,
    /// 1-based column, in characters, on that line.
    pub column: Option<usize>,
}

impl ImportError {
    /// An error at a JSON pointer.
    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> ImportError {
        ImportError { pointer: pointer.into(), message: message.into(), line: None, column: None }
    }

    /// `{"message", "pointer", "line"?, "column"?}`.
    pub fn to_value(&self) -> Value {
        let mut err = Map::new();
        err.insert("message", Value::from(self.message.as_str()));
        err.insert("pointer", Value::from(self.pointer.as_str()));
        if let (Some(line), Some(column)) = (self.line, self.column) {
            err.insert("line", Value::from(line));
            err.insert("column", Value::from(column));
        }
        Value::from(err)
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, " (at line {l}, column {c})"),
            _ if !self.pointer.is_empty() => write!(f, " (at {})", self.pointer),
            _ => Ok(()),
        }
    }
}

impl std::error::Error for ImportError {}
