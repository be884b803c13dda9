//! Validation of a definition's JSON against the rules AWS applies at CreateStateMachine and
//! ValidateStateMachineDefinition: the schema of each state type (per query language), the
//! graph of transitions, paths, intrinsic functions, JSONata framing and Task resources.
//!
//! Every problem is reported at once, each as a [`Diagnostic`] with AWS's code, AWS's
//! wording where it is known, and AWS's location syntax: a slash-separated path of member
//! names with array elements as `[i]` (`/States/C/Choices[0]/Next`; `/` for the root).
//! [`validate_text`] also fills in the line and column of each place.
//!
//! The submodules split the work: `states` (fields of each state type), `choice` (Choice
//! rules), `fields` (typed values: numbers, timestamps, labels, Retry/Catch), `expr` (paths,
//! payload templates, intrinsics, JSONata) and `resource` (Task resource ARNs).
//!
//! # Evidence
//!
//! A definition is refused (an ERROR) only where there is evidence that AWS refuses it; each
//! rule says which, in a comment citing one of these (or a recorded case by name, from
//! `tests/data/conformance`). A rule without such evidence gives a WARNING: the definition
//! stays valid and runs (README, "Rules that warn").
//!
//! - [spec]: the Amazon States Language specification AWS publishes,
//!   <https://states-language.net/spec.html> (its MUSTs: required fields, types, ranges).
//! - [codes]: AWS's list of diagnostic codes,
//!   <https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html>.
//! - AWS's developer guide, <https://docs.aws.amazon.com/step-functions/latest/dg/>: [structure]
//!   `statemachine-structure.html`, [task] `state-task.html`, [wait] `state-wait.html`,
//!   [choice] `state-choice.html`, [parallel] `state-parallel.html`, [map] `state-map.html`,
//!   [fail] `state-fail.html`, [errors] `concepts-error-handling.html`, [variables]
//!   `workflow-variables.html`, [jsonata] `transforming-data.html`.
//! - AWS's answers quoted in public issues, measured with `aws stepfunctions
//!   validate-state-machine-definition` or CreateStateMachine:
//!   [floci-2735] <https://github.com/floci-io/floci/issues/2735> (`Field 'TimeoutSeconds'`,
//!   `'Catch'`, `'Retry' is not supported` on the state types without them; `MISSING_END_STATE`),
//!   [floci-2786] <https://github.com/floci-io/floci/pull/2786> (missing targets, unreachable
//!   states and their order), [floci-2968] <https://github.com/floci-io/floci/issues/2968>
//!   (fields of the other query language, `QueryLanguage` on a processor, enum values),
//!   [floci-2670] <https://github.com/floci-io/floci/issues/2670> and [floci-2745]
//!   <https://github.com/floci-io/floci/issues/2745> (JSONata top-level references and parse
//!   errors), [ls-11978] <https://github.com/localstack/localstack/issues/11978> (missing
//!   `Next` target, unreachable state), [sls-6041] <https://github.com/serverless/serverless/issues/6041>
//!   (`Expected value of type Integer at /States/WaitTill/Seconds`), [fl-308]
//!   <https://github.com/sam-goodwin/functionless/issues/308> (`Field 'ResultPath' is not
//!   supported` on a Wait state).

mod choice;
mod expr;
mod fields;
pub(crate) mod resource;
mod states;
#[cfg(test)]
mod tests;

use super::schema;
use super::{Diagnostic, Validation};
use crate::json;
use crate::value::{Map, Value};
use std::rc::Rc;

/// The kind of state machine being validated: Express machines forbid some integrations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MachineType {
    #[default]
    Standard,
    Express,
}

/// What the validation is told besides the definition (ValidateStateMachineDefinition's
/// `type` parameter).
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    pub machine_type: MachineType,
}

/// How deep states may nest machines within machines (Parallel branches, Map processors)
/// and how deep Choice rules and payload templates may nest before the validator reports
/// `TOO_DEEPLY_NESTED` instead of descending further.
pub const MAX_NESTING: usize = 100;

/// Every problem found in the definition `root` (a Standard machine), without source
/// positions.
///
/// ```
/// use aslplay::definition::validate::validate;
/// let def = aslplay::json::parse(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}"#).unwrap();
/// let found = validate(&def);
/// assert_eq!(found[0].code, "MISSING_TRANSITION_TARGET");
/// assert_eq!(found[0].message, "Missing 'Next' target: B");
/// assert_eq!(found[0].location, "/States/A/Next");
/// ```
pub fn validate(root: &Value) -> Vec<Diagnostic> {
    validate_with(root, &Options::default())
}

/// Every problem found in the definition `root`, for the machine type in `options`.
pub fn validate_with(root: &Value, options: &Options) -> Vec<Diagnostic> {
    check_root(root, options).into_iter().map(|f| f.diagnostic).collect()
}

/// Parses `text` and validates it as AWS's ValidateStateMachineDefinition does (Standard
/// machine), with the line and column of each diagnostic filled in.
pub fn validate_text(text: &str) -> Validation {
    validate_text_with(text, &Options::default())
}

/// [`validate_text`] for the machine type in `options`.
pub fn validate_text_with(text: &str, options: &Options) -> Validation {
    if text.trim().is_empty() {
        return Validation { diagnostics: vec![not_an_object()] };
    }
    let (root, map) = match json::parse_with_source_map(text) {
        Ok(parsed) => parsed,
        Err(e) => {
            // Evidence: [codes] INVALID_JSON_DESCRIPTION, "JSON syntax problem found".
            let mut d = Diagnostic::error(INVALID_JSON, "", e.message.clone());
            d.line = Some(e.line);
            d.column = Some(e.column);
            return Validation { diagnostics: vec![d] };
        }
    };
    Validation { diagnostics: validate_mapped(&root, &map, options) }
}

/// Every problem found in `root`, with line and column taken from `map` (the source map of
/// the text `root` was parsed from). Locations use AWS's `[i]` syntax for array elements, so
/// they are not JSON pointers; this is the way to position them.
pub fn validate_mapped(root: &Value, map: &json::SourceMap, options: &Options) -> Vec<Diagnostic> {
    check_root(root, options)
        .into_iter()
        .map(|f| {
            let mut d = f.diagnostic;
            let pointer = f.place.map(|loc| loc.pointer());
            // Inside a string: the character after the opening quote plus the offset (exact
            // when nothing before it in the string is escaped).
            let inside = pointer.as_deref().zip(f.inside).and_then(|(p, i)| map.value_offset(p).map(|o| o + 1 + i));
            if let Some((line, column)) =
                inside.map(|o| map.line_col(o)).or_else(|| pointer.as_deref().and_then(|p| map.locate(p)))
            {
                d.line = Some(line);
                d.column = Some(column);
            }
            d
        })
        .collect()
}

/// Problems in one state given alone, as TestState receives it (no graph checks: its
/// transitions may name states that are not there).
pub fn validate_state(state: &Value, options: &Options) -> Vec<Diagnostic> {
    let mut checker = Checker::new(options, Lang::JsonPath);
    let loc = Loc::root();
    checker.state(state, &loc, 0);
    checker.found.into_iter().map(|f| f.diagnostic).collect()
}

/// The message CreateStateMachine fails with for these diagnostics (errors only, joined as
/// AWS joins them), or `None` when there is no error.
///
/// ```
/// use aslplay::definition::validate::{definition_error_message, validate};
/// let def = aslplay::json::parse(r#"{"Comment": "x"}"#).unwrap();
/// assert_eq!(
///     definition_error_message(&validate(&def)).unwrap(),
///     "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States, StartAt] at /'"
/// );
/// ```
pub fn definition_error_message(diagnostics: &[Diagnostic]) -> Option<String> {
    let parts: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let at = if d.location.is_empty() { "null" } else { d.location.as_str() };
            format!("{}: {} at {}", d.code, d.message, at)
        })
        .collect();
    if parts.is_empty() {
        None
    } else {
        Some(format!("Invalid State Machine Definition: '{}'", parts.join(", ")))
    }
}

// AWS's diagnostic codes.
pub(crate) const SCHEMA: &str = "SCHEMA_VALIDATION_FAILED";
pub(crate) const INVALID_JSON: &str = "INVALID_JSON_DESCRIPTION";
pub(crate) const MISSING_TARGET: &str = "MISSING_TRANSITION_TARGET";
pub(crate) const MISSING_END: &str = "MISSING_END_STATE";
pub(crate) const DUPLICATE_STATE: &str = "DUPLICATE_STATE_NAME";
pub(crate) const INVALID_STATE_NAME: &str = "INVALID_STATE_NAME";
pub(crate) const DUPLICATE_LABEL: &str = "DUPLICATE_LABEL_NAME";
pub(crate) const INVALID_LABEL: &str = "INVALID_LABEL_NAME";
pub(crate) const TOO_DEEP: &str = "TOO_DEEPLY_NESTED";
pub(crate) const INVALID_JSONATA: &str = "INVALID_JSONATA_EXPRESSION";
pub(crate) const UNSUPPORTED_JSONATA: &str = "UNSUPPORTED_JSONATA_EXPRESSION";
pub(crate) const NO_DOLLAR: &str = "NO_DOLLAR";
pub(crate) const NO_PATH: &str = "NO_PATH";
pub(crate) const PASS_RESULT_IS_STATIC: &str = "PASS_RESULT_IS_STATIC";

// aslplay's own warning codes, for what AWS accepts but is likely a mistake or is not
// confirmed: AWS gives no diagnostic there, so these never make a definition invalid.
/// An error name starting with `States.` that Step Functions does not define.
pub(crate) const RESERVED_ERROR_NAME: &str = "RESERVED_ERROR_NAME";
/// A JSONPath filter comparing with an unquoted word, read as a string.
pub(crate) const UNQUOTED_FILTER_WORD: &str = "UNQUOTED_FILTER_WORD";
/// An integration pattern AWS's documentation does not list for the integration.
pub(crate) const UNLISTED_INTEGRATION_PATTERN: &str = "UNLISTED_INTEGRATION_PATTERN";
/// An ARN partition that is not one of AWS's.
pub(crate) const UNKNOWN_PARTITION: &str = "UNKNOWN_PARTITION";
/// A Lambda function or activity ARN of an unusual shape.
pub(crate) const UNUSUAL_RESOURCE_ARN: &str = "UNUSUAL_RESOURCE_ARN";
/// A number above a maximum AWS does not document (its language service's, or a default).
pub(crate) const UNCONFIRMED_MAXIMUM: &str = "UNCONFIRMED_MAXIMUM";
/// A payload template naming one field twice (`x` and `x.$`).
pub(crate) const DUPLICATE_FIELD: &str = "DUPLICATE_FIELD";

/// Evidence: recorded cases `test_sfn_api_validation.TestSfnApiValidation.test_validate_state_machine_definition_not_a_definition--*`.
fn not_an_object() -> Diagnostic {
    Diagnostic::error(SCHEMA, "", "Definition must be a valid JSON object")
}

/// A place in the definition, kept as segments so that it renders both in AWS's location
/// syntax and as an RFC 6901 JSON pointer (for the source map).
#[derive(Clone, Debug, Default)]
pub(crate) struct Loc(Vec<Seg>);

#[derive(Clone, Debug)]
enum Seg {
    Key(Rc<str>),
    Index(usize),
}

impl Loc {
    pub(crate) fn root() -> Loc {
        Loc(Vec::new())
    }

    /// The member `key` of the object here.
    pub(crate) fn key(&self, key: &str) -> Loc {
        let mut segs = self.0.clone();
        segs.push(Seg::Key(Rc::from(key)));
        Loc(segs)
    }

    /// The element `i` of the array here.
    pub(crate) fn index(&self, i: usize) -> Loc {
        let mut segs = self.0.clone();
        segs.push(Seg::Index(i));
        Loc(segs)
    }

    /// AWS's form: `/States/C/Choices[0]/Next`, `/` for the root.
    pub(crate) fn aws(&self) -> String {
        if self.0.is_empty() {
            return "/".to_string();
        }
        let mut s = String::new();
        for seg in &self.0 {
            match seg {
                Seg::Key(k) => {
                    s.push('/');
                    s.push_str(k);
                }
                Seg::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        s
    }

    /// RFC 6901 JSON pointer: `/States/C/Choices/0/Next`, empty for the root.
    pub(crate) fn pointer(&self) -> String {
        let mut s = String::new();
        for seg in &self.0 {
            s.push('/');
            match seg {
                Seg::Key(k) => s.push_str(&json::pointer_token(k)),
                Seg::Index(i) => s.push_str(&i.to_string()),
            }
        }
        s
    }
}

/// A diagnostic and the place it names (for line and column).
struct Found {
    diagnostic: Diagnostic,
    place: Option<Loc>,
    /// For a problem inside a string value (a JSONata expression): the byte offset in the
    /// string's raw JSON text, so the editor can point at the exact character.
    inside: Option<usize>,
}

pub(crate) use super::schema::Lang;

/// Which kind of state machine object is being checked: the definition itself, a Parallel
/// branch, or a Map's ItemProcessor/Iterator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MachineKind {
    Top,
    Branch,
    Processor,
}

/// What a state contributes to its machine's graph.
#[derive(Default)]
pub(crate) struct Edges {
    /// Target names with the place of the field that names them.
    pub(crate) targets: Vec<(Rc<str>, Loc)>,
    /// `End: true`, Succeed or Fail.
    pub(crate) terminal: bool,
}

/// The walk over a definition, collecting diagnostics.
pub(crate) struct Checker<'o> {
    options: &'o Options,
    found: Vec<Found>,
    /// The machine's effective query language (inherited by states that declare none).
    machine_lang: Lang,
    /// Every state name seen so far, machine-wide.
    state_names: Map<()>,
    /// Every Map Label seen so far, machine-wide.
    labels: Map<()>,
}

impl<'o> Checker<'o> {
    fn new(options: &'o Options, machine_lang: Lang) -> Checker<'o> {
        Checker { options, found: Vec::new(), machine_lang, state_names: Map::new(), labels: Map::new() }
    }

    pub(crate) fn error(&mut self, code: &'static str, loc: &Loc, message: impl Into<String>) {
        self.found.push(Found {
            diagnostic: Diagnostic::error(code, loc.aws(), message),
            place: Some(loc.clone()),
            inside: None,
        });
    }

    /// An error at a character inside the string at `loc` (`offset`: bytes into its text).
    pub(crate) fn error_inside(&mut self, code: &'static str, loc: &Loc, offset: usize, message: impl Into<String>) {
        self.found.push(Found {
            diagnostic: Diagnostic::error(code, loc.aws(), message),
            place: Some(loc.clone()),
            inside: Some(offset),
        });
    }

    pub(crate) fn warning(&mut self, code: &'static str, loc: &Loc, message: impl Into<String>) {
        self.found.push(Found {
            diagnostic: Diagnostic::warning(code, loc.aws(), message),
            place: Some(loc.clone()),
            inside: None,
        });
    }

    fn error_nowhere(&mut self, code: &'static str, message: impl Into<String>) {
        self.found.push(Found { diagnostic: Diagnostic::error(code, "", message), place: None, inside: None });
    }

    pub(crate) fn express(&self) -> bool {
        self.options.machine_type == MachineType::Express
    }

    /// Reports a value of the wrong JSON type, in AWS's words. Evidence: [sls-6041] (AWS
    /// checks each field's JSON type; the types are [spec]'s).
    pub(crate) fn wrong_type(&mut self, loc: &Loc, expected: &str) {
        self.error(SCHEMA, loc, format!("Expected value of type [{expected}]"));
    }

    /// Reports fields that must be there and are not, in AWS's words. Evidence: the recorded
    /// cases of the machine's fields (above); for the others, [spec]'s MUSTs.
    pub(crate) fn required(&mut self, loc: &Loc, missing: &[&str]) {
        if !missing.is_empty() {
            self.error(SCHEMA, loc, format!("These fields are required: [{}]", missing.join(", ")));
        }
    }

    /// Evidence: [floci-2735], [floci-2968], [fl-308]: AWS refuses a field that the object
    /// does not list, "Field 'X' is not supported", at the object.
    pub(crate) fn not_supported(&mut self, loc: &Loc, field: &str) {
        self.error(SCHEMA, loc, format!("Field '{field}' is not supported"));
    }

    /// Evidence: [codes] TOO_DEEPLY_NESTED: AWS refuses definitions nested too deeply. It does
    /// not document the depth; aslplay stops at [`MAX_NESTING`], far deeper than any real
    /// definition, to keep its recursion bounded.
    pub(crate) fn too_deep(&mut self, loc: &Loc) {
        self.error(TOO_DEEP, loc, format!("The definition is nested more than {MAX_NESTING} levels deep"));
    }

    /// Checks a state machine object (the definition, a branch or a processor) and its
    /// states, then its graph.
    fn machine(&mut self, value: &Value, loc: &Loc, kind: MachineKind, depth: usize) {
        if depth > MAX_NESTING {
            self.too_deep(loc);
            return;
        }
        let Some(obj) = value.as_object() else {
            if kind == MachineKind::Top {
                self.error_nowhere(SCHEMA, "Definition must be a valid JSON object");
            } else {
                self.wrong_type(loc, "OBJECT");
            }
            return;
        };
        let allowed = match kind {
            MachineKind::Top => schema::MACHINE_FIELDS.both,
            MachineKind::Branch => schema::BRANCH_FIELDS.both,
            MachineKind::Processor => schema::PROCESSOR_FIELDS.both,
        };
        // Evidence: recorded `test_sfn_api.TestSnfApi.test_create_delete_invalid_sm` and
        // `...test_validate_state_machine_definition_type_*--INVALID_BASE_NO_STARTAT`.
        let missing: Vec<&str> = ["States", "StartAt"].into_iter().filter(|f| !obj.contains_key(f)).collect();
        self.required(loc, &missing);
        // Evidence: [floci-2735] and [floci-2968] (AWS refuses fields it does not list, and
        // `QueryLanguage` on an ItemProcessor/Iterator); the lists are [structure], [parallel], [map].
        for key in obj.keys() {
            if !allowed.contains(&&**key) {
                self.not_supported(loc, key);
            }
        }
        for (key, v) in obj.iter() {
            let here = loc.key(key);
            match &**key {
                "Comment" | "Version" | "StartAt" => self.string_value(v, &here),
                // [spec]: a positive integer. No upper bound is documented for the machine's
                // TimeoutSeconds, so 99999999 (the Task default) only warns.
                "TimeoutSeconds" if kind == MachineKind::Top => {
                    self.integer_in(v, &here, 1, None);
                    self.unconfirmed_maximum(v, &here, 99_999_999);
                }
                "QueryLanguage" if kind == MachineKind::Top => self.query_language_value(v, &here),
                "ProcessorConfig" if kind == MachineKind::Processor => self.processor_config(v, &here),
                _ => {}
            }
        }
        let states = match obj.get("States") {
            Some(Value::Object(states)) => {
                // [spec]: States MUST be a non-empty object ("Value cannot be empty", the
                // wording AWS uses for empty Branches in the recorded
                // `test_state_mock_validation.TestStateMockValidation.test_parallel_state_empty_branches`).
                if states.is_empty() {
                    self.error(SCHEMA, &loc.key("States"), "Value cannot be empty");
                }
                Some(states.clone())
            }
            Some(_) => {
                self.wrong_type(&loc.key("States"), "OBJECT");
                None
            }
            None => None,
        };
        let Some(states) = states else { return };
        let states_loc = loc.key("States");
        let mut edges: Vec<(Rc<str>, Edges)> = Vec::with_capacity(states.len());
        for (name, state) in states.iter() {
            let here = states_loc.key(name);
            self.state_name(name, &here);
            edges.push((name.clone(), self.state(state, &here, depth)));
        }
        if let Some(start) = obj.get("StartAt").and_then(Value::as_str) {
            self.graph(start, &states, &edges, loc, kind);
        }
    }

    /// Name rules: unique machine-wide, 1 to 80 characters. Evidence: [spec] (state names
    /// unique within the whole machine), [structure] (names of 80 characters at most), and
    /// [codes] (INVALID_STATE_NAME, DUPLICATE_STATE_NAME).
    fn state_name(&mut self, name: &Rc<str>, loc: &Loc) {
        let len = name.chars().count();
        if len == 0 || len > 80 {
            self.error(INVALID_STATE_NAME, loc, "State names must be between 1 and 80 characters long");
        }
        if self.state_names.insert(name.clone(), ()).is_some() {
            self.error(DUPLICATE_STATE, loc, format!("Duplicate State name: {name}"));
        }
    }

    /// Transition targets, terminal states and reachability within one machine object.
    /// Evidence: [ls-11978], [floci-2735], [floci-2786]: AWS reports a missing target with
    /// the word `Next` whatever the field, then `MISSING_END_STATE` without a location (which
    /// suppresses the reachability walk), else each unreachable state.
    fn graph(&mut self, start: &str, states: &Map, edges: &[(Rc<str>, Edges)], loc: &Loc, kind: MachineKind) {
        if !states.contains_key(start) {
            self.error(MISSING_TARGET, &loc.key("StartAt"), format!("Missing 'Next' target: {start}"));
        }
        for (_, e) in edges {
            for (target, at) in &e.targets {
                if !states.contains_key(target) {
                    self.error(MISSING_TARGET, at, format!("Missing 'Next' target: {target}"));
                }
            }
        }
        if kind == MachineKind::Top && !edges.iter().any(|(_, e)| e.terminal) {
            self.error_nowhere(MISSING_END, "Workflow has no terminal state");
            return;
        }
        // `edges` lists the states in their order: a state's index is its place in `states`.
        let mut reached = vec![false; edges.len()];
        let mut queue: Vec<usize> = states.position(start).into_iter().collect();
        while let Some(i) = queue.pop() {
            if std::mem::replace(&mut reached[i], true) {
                continue;
            }
            for (target, _) in &edges[i].1.targets {
                if let Some(j) = states.position(target) {
                    if !reached[j] {
                        queue.push(j);
                    }
                }
            }
        }
        let states_loc = loc.key("States");
        for ((name, _), reached) in edges.iter().zip(reached) {
            if !reached {
                self.error(MISSING_TARGET, &states_loc.key(name), format!("State \"{name}\" is not reachable."));
            }
        }
    }
}

/// Runs every check on a definition.
fn check_root(root: &Value, options: &Options) -> Vec<Found> {
    let machine_lang = match root.get("QueryLanguage") {
        None => Lang::JsonPath,
        Some(v) => lang_of(v),
    };
    let mut checker = Checker::new(options, machine_lang);
    checker.machine(root, &Loc::root(), MachineKind::Top, 0);
    checker.found
}

/// The language a present `QueryLanguage` value selects: JSONPath only for exactly
/// "JSONPath", JSONata for anything else (AWS resolves unknown values to JSONata).
pub(crate) fn lang_of(v: &Value) -> Lang {
    if v.as_str() == Some("JSONPath") {
        Lang::JsonPath
    } else {
        Lang::Jsonata
    }
}
