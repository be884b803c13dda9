//! The typed model of a state machine: what the engine walks. Built from a definition's JSON
//! after validation; every path, template and intrinsic is parsed here, once.
//!
//! State lists (the machine, each Parallel branch, each Map processor) are stored flat in
//! `Definition::lists` and referred to by index, so that an execution can point at any state
//! with two numbers.

use super::resource::Resource;
use super::Diagnostic;
use crate::query::jsonata_field::JsonataField;
use crate::query::jsonpath::{Path, ReferencePath};
use crate::query::template::Template;
use crate::value::{Map, Value};
use std::rc::Rc;

/// A parsed, validated state machine.
#[derive(Debug)]
pub struct Definition {
    /// Index 0 is the machine itself; Parallel branches and Map processors follow.
    pub lists: Vec<StateList>,
    pub query_language: QueryLanguage,
    /// Top-level `TimeoutSeconds`.
    pub timeout_seconds: Option<u64>,
    pub comment: Option<Rc<str>>,
    /// The definition's JSON as given.
    pub source: Value,
    /// Whether any expression may read the context object (`$$`, `$states.context`).
    pub uses_context: bool,
}

/// One `StartAt` + `States` block.
#[derive(Debug)]
pub struct StateList {
    pub start_at: usize,
    pub states: Vec<State>,
    /// What runs this list: the machine, a Parallel branch or a Map processor.
    pub owner: ListOwner,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListOwner {
    Machine,
    Branch,
    MapProcessor,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryLanguage {
    JsonPath,
    Jsonata,
}

/// A state with the fields every type may have and its type's own.
#[derive(Debug)]
pub struct State {
    pub name: Rc<str>,
    pub query_language: QueryLanguage,
    pub input_path: PathField,
    pub output_path: PathField,
    /// `Parameters` (JSONPath).
    pub parameters: Option<Template>,
    pub result_selector: Option<Template>,
    pub result_path: ResultPathField,
    /// JSONPath `Assign`: a payload template.
    pub assign: Option<Template>,
    /// JSONata fields, kept as given until the JSONata engine evaluates them.
    pub jsonata: Option<JsonataFields>,
    pub transition: Transition,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
    pub kind: Kind,
}

/// The JSONata-mode fields of a state (`Arguments`, `Output`, `Assign`).
#[derive(Debug, Default)]
pub struct JsonataFields {
    pub arguments: Option<JsonataField>,
    pub output: Option<JsonataField>,
    pub assign: Option<JsonataField>,
}

/// `InputPath` / `OutputPath`: absent (`$`), `null` (`{}`), or a path.
#[derive(Debug, Default)]
pub enum PathField {
    #[default]
    Whole,
    Null,
    Path(Path),
}

/// `ResultPath`: absent (`$`, the result replaces the input), `null` (the result is
/// discarded), or a reference path.
#[derive(Debug, Default)]
pub enum ResultPathField {
    #[default]
    Whole,
    Null,
    Path(ReferencePath),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transition {
    Next(usize),
    End,
}

/// The type-specific part of a state.
#[derive(Debug)]
pub enum Kind {
    Pass { result: Option<Value> },
    Task(Box<Task>),
    Choice(Box<Choice>),
    Wait(Wait),
    Succeed,
    Fail(Fail),
    Parallel { branches: Vec<usize> },
    Map(Box<MapState>),
}

impl Kind {
    /// The `Type` field's value: `"Pass"`, `"Task"`, ...
    pub fn type_name(&self) -> &'static str {
        match self {
            Kind::Pass { .. } => "Pass",
            Kind::Task(_) => "Task",
            Kind::Choice(_) => "Choice",
            Kind::Wait(_) => "Wait",
            Kind::Succeed => "Succeed",
            Kind::Fail(_) => "Fail",
            Kind::Parallel { .. } => "Parallel",
            Kind::Map(_) => "Map",
        }
    }
}

/// A number given literally or read from the input by a path (`TimeoutSeconds` /
/// `TimeoutSecondsPath`, ...).
#[derive(Debug)]
pub enum NumberField {
    Literal(f64),
    Path(Path),
    /// A JSONata expression string (`{% %}`).
    Jsonata(JsonataField),
}

#[derive(Debug)]
pub struct Task {
    pub resource: Rc<str>,
    /// The resource classified, when it is an ARN AWS accepts.
    pub parsed_resource: Option<Rc<Resource>>,
    pub timeout: Option<NumberField>,
    pub heartbeat: Option<NumberField>,
    /// `Credentials` as a payload template (JSONPath) or raw (JSONata).
    pub credentials: Option<Template>,
    pub credentials_raw: Option<Value>,
    /// JSONata `Credentials`.
    pub credentials_jsonata: Option<JsonataField>,
}

#[derive(Debug)]
pub struct Choice {
    pub rules: Vec<ChoiceRule>,
    pub default: Option<usize>,
}

/// A top-level Choice rule: a condition, where it leads, what it assigns.
#[derive(Debug)]
pub struct ChoiceRule {
    pub condition: Condition,
    pub next: usize,
    pub assign: Option<Template>,
    /// JSONata: the rule's `Assign` and `Output`.
    pub jsonata_assign: Option<JsonataField>,
    pub jsonata_output: Option<JsonataField>,
}

#[derive(Debug)]
pub enum Condition {
    And(Vec<Condition>),
    Or(Vec<Condition>),
    Not(Box<Condition>),
    /// `Variable` compared by `op` with a literal or a path's value.
    Compare {
        variable: Path,
        op: Operator,
        operand: Operand,
    },
    /// JSONata `Condition`.
    Jsonata(JsonataField),
}

#[derive(Debug)]
pub enum Operand {
    Literal(Value),
    Path(Path),
}

/// Every comparison operator of a Choice rule (the `*Path` forms share the operator and
/// differ in the operand).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    StringEquals,
    StringLessThan,
    StringGreaterThan,
    StringLessThanEquals,
    StringGreaterThanEquals,
    StringMatches,
    NumericEquals,
    NumericLessThan,
    NumericGreaterThan,
    NumericLessThanEquals,
    NumericGreaterThanEquals,
    BooleanEquals,
    TimestampEquals,
    TimestampLessThan,
    TimestampGreaterThan,
    TimestampLessThanEquals,
    TimestampGreaterThanEquals,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

impl Operator {
    /// The operator named by a Choice rule key, and whether it is the `*Path` form.
    pub fn from_key(key: &str) -> Option<(Operator, bool)> {
        use Operator::*;
        let (base, is_path) = match key.strip_suffix("Path") {
            Some(b) if !b.starts_with("Is") => (b, true),
            _ => (key, false),
        };
        let op = match base {
            "StringEquals" => StringEquals,
            "StringLessThan" => StringLessThan,
            "StringGreaterThan" => StringGreaterThan,
            "StringLessThanEquals" => StringLessThanEquals,
            "StringGreaterThanEquals" => StringGreaterThanEquals,
            "StringMatches" if !is_path => StringMatches,
            "NumericEquals" => NumericEquals,
            "NumericLessThan" => NumericLessThan,
            "NumericGreaterThan" => NumericGreaterThan,
            "NumericLessThanEquals" => NumericLessThanEquals,
            "NumericGreaterThanEquals" => NumericGreaterThanEquals,
            "BooleanEquals" => BooleanEquals,
            "TimestampEquals" => TimestampEquals,
            "TimestampLessThan" => TimestampLessThan,
            "TimestampGreaterThan" => TimestampGreaterThan,
            "TimestampLessThanEquals" => TimestampLessThanEquals,
            "TimestampGreaterThanEquals" => TimestampGreaterThanEquals,
            "IsNull" => IsNull,
            "IsPresent" => IsPresent,
            "IsNumeric" => IsNumeric,
            "IsString" => IsString,
            "IsBoolean" => IsBoolean,
            "IsTimestamp" => IsTimestamp,
            _ => return None,
        };
        Some((op, is_path))
    }
}

#[derive(Debug)]
pub enum Wait {
    Seconds(NumberField),
    Timestamp(Rc<str>),
    TimestampPath(Path),
    /// JSONata `Timestamp` expression.
    TimestampJsonata(JsonataField),
}

#[derive(Debug)]
pub struct Fail {
    pub error: Option<StringField>,
    pub cause: Option<StringField>,
}

/// A string given literally, by a path, or by an intrinsic function (Fail's `Error`/`ErrorPath`).
#[derive(Debug)]
pub enum StringField {
    Literal(Rc<str>),
    /// `ErrorPath`/`CausePath`: a path or an intrinsic, evaluated as a template value.
    Dynamic(Template),
    Jsonata(JsonataField),
}

#[derive(Debug)]
pub struct MapState {
    pub processor: usize,
    pub items_path: PathField,
    /// `ItemSelector` or legacy `Parameters`.
    pub item_selector: Option<Template>,
    pub max_concurrency: Option<NumberField>,
    pub tolerated_failure_count: Option<NumberField>,
    pub tolerated_failure_percentage: Option<NumberField>,
    /// JSONata `Items` and `ItemSelector`.
    pub jsonata_items: Option<JsonataField>,
    pub jsonata_item_selector: Option<JsonataField>,
    pub distributed: bool,
    pub raw: Value,
    /// A distributed Map's `ItemReader`, `ItemBatcher` and `ResultWriter`.
    pub item_reader: Option<ItemIo>,
    pub item_batcher: Option<ItemIo>,
    pub result_writer: Option<ItemIo>,
}

/// An `ItemReader`, `ItemBatcher` or `ResultWriter` with its expressions parsed: the
/// `Parameters` (or `BatchInput`) template and the `...Path` fields in JSONPath mode, or the
/// whole object as one JSONata field.
#[derive(Debug)]
pub struct ItemIo {
    pub raw: Value,
    pub template: Option<Template>,
    /// (field name without `Path`, path): `MaxItems`, `MaxItemsPerBatch`, `MaxInputBytesPerBatch`.
    pub paths: Vec<(&'static str, Path)>,
    pub jsonata: Option<JsonataField>,
}

#[derive(Debug)]
pub struct Retrier {
    pub error_equals: Vec<Rc<str>>,
    pub interval_seconds: f64,
    pub max_attempts: u32,
    pub backoff_rate: f64,
    pub max_delay_seconds: Option<f64>,
    pub jitter_full: bool,
}

#[derive(Debug)]
pub struct Catcher {
    pub error_equals: Vec<Rc<str>>,
    pub next: usize,
    pub result_path: ResultPathField,
    pub assign: Option<Template>,
    pub jsonata_output: Option<JsonataField>,
    pub jsonata_assign: Option<JsonataField>,
}

impl Definition {
    /// The state at (list, index).
    pub fn state(&self, list: usize, index: usize) -> &State {
        &self.lists[list].states[index]
    }

    /// Builds the model from a definition's JSON. The JSON should have passed validation;
    /// whatever validation missed is reported as a diagnostic, never a panic.
    pub fn from_value(source: Value) -> Result<Definition, Vec<Diagnostic>> {
        let mut b = Builder { lists: Vec::new(), errors: Vec::new() };
        let ql = match source.get("QueryLanguage").and_then(Value::as_str) {
            Some("JSONata") => QueryLanguage::Jsonata,
            _ => QueryLanguage::JsonPath,
        };
        let Some(root) = source.as_object() else {
            return Err(vec![Diagnostic::error(
                "SCHEMA_VALIDATION_FAILED",
                "/",
                "Definition must be a valid JSON object",
            )]);
        };
        let _ = root;
        b.list(&source, "", ListOwner::Machine, ql);
        if !b.errors.is_empty() {
            return Err(b.errors);
        }
        Ok(Definition {
            lists: b.lists,
            query_language: ql,
            timeout_seconds: source.get("TimeoutSeconds").and_then(Value::as_i64).map(|t| t.max(0) as u64),
            comment: source.get("Comment").and_then(Value::as_str).map(Rc::from),
            uses_context: crate::query::mentions_context(&source),
            source,
        })
    }
}

struct Builder {
    lists: Vec<StateList>,
    errors: Vec<Diagnostic>,
}

fn schema(at: &str, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error("SCHEMA_VALIDATION_FAILED", if at.is_empty() { "/" } else { at }, message)
}

impl Builder {
    /// Builds the list at `at` (the JSON object with `StartAt` and `States`), returning its index.
    fn list(&mut self, v: &Value, at: &str, owner: ListOwner, ql: QueryLanguage) -> usize {
        let id = self.lists.len();
        self.lists.push(StateList { start_at: 0, states: Vec::new(), owner });
        let Some(states) = v.get("States").and_then(Value::as_object) else {
            self.errors.push(schema(at, "These fields are required: [States]"));
            return id;
        };
        // A state's index is its place among the `States` members.
        let names: &Map = states;
        match v.get("StartAt").and_then(Value::as_str).and_then(|s| names.position(s)) {
            Some(i) => self.lists[id].start_at = i,
            None => self.errors.push(Diagnostic::error(
                "MISSING_TRANSITION_TARGET",
                format!("{at}/StartAt"),
                "Missing 'Next' target",
            )),
        }
        let mut built = Vec::with_capacity(states.len());
        for (name, sv) in states.iter() {
            let sat = format!("{at}/States/{}", crate::json::pointer_token(name));
            built.push(self.state(name, sv, &sat, names, ql));
        }
        self.lists[id].states = built;
        id
    }

    fn target(&mut self, names: &Map, v: Option<&Value>, at: String) -> usize {
        match v.and_then(Value::as_str).and_then(|s| names.position(s)) {
            Some(i) => i,
            None => {
                self.errors.push(Diagnostic::error("MISSING_TRANSITION_TARGET", at, "Missing 'Next' target"));
                0
            }
        }
    }

    fn path_field(&mut self, s: &Value, key: &str, at: &str) -> PathField {
        match s.get(key) {
            None => PathField::Whole,
            Some(Value::Null) => PathField::Null,
            Some(Value::String(p)) => match Path::parse(p) {
                Ok(p) => PathField::Path(p),
                Err(e) => {
                    self.errors.push(schema(&format!("{at}/{key}"), format!("{e}")));
                    PathField::Whole
                }
            },
            Some(_) => {
                self.errors.push(schema(&format!("{at}/{key}"), format!("The field '{key}' must be a string or null")));
                PathField::Whole
            }
        }
    }

    fn path(&mut self, v: &Value, at: &str) -> Option<Path> {
        match v.as_str().map(Path::parse) {
            Some(Ok(p)) => Some(p),
            Some(Err(e)) => {
                self.errors.push(schema(at, format!("{e}")));
                None
            }
            None => {
                self.errors.push(schema(at, "Expected a JSONPath string"));
                None
            }
        }
    }

    fn result_path(&mut self, s: &Value, at: &str) -> ResultPathField {
        match s.get("ResultPath") {
            None => ResultPathField::Whole,
            Some(Value::Null) => ResultPathField::Null,
            Some(Value::String(p)) => match ReferencePath::parse(p) {
                Ok(p) => ResultPathField::Path(p),
                Err(e) => {
                    self.errors.push(schema(&format!("{at}/ResultPath"), format!("{e}")));
                    ResultPathField::Whole
                }
            },
            Some(_) => {
                self.errors
                    .push(schema(&format!("{at}/ResultPath"), "The field 'ResultPath' must be a string or null"));
                ResultPathField::Whole
            }
        }
    }

    fn template(&mut self, v: Option<&Value>, at: String) -> Option<Template> {
        let v = v?;
        match Template::compile(v) {
            Ok(t) => Some(t),
            Err(e) => {
                self.errors.push(schema(&format!("{at}{}", e.pointer), e.message.to_string()));
                None
            }
        }
    }

    /// An `ItemReader` / `ItemBatcher` / `ResultWriter`, its expressions parsed.
    fn item_io(&mut self, v: Option<&Value>, at: &str, template_key: &str, jsonpath: bool) -> Option<ItemIo> {
        let v = v?;
        if !jsonpath {
            return Some(ItemIo {
                raw: v.clone(),
                template: None,
                paths: Vec::new(),
                jsonata: self.jsonata(Some(v), at.to_string()),
            });
        }
        let template = self.template(v.get(template_key), format!("{at}/{template_key}"));
        let mut paths = Vec::new();
        let config = v.get("ReaderConfig").unwrap_or(v);
        for name in ["MaxItems", "MaxItemsPerBatch", "MaxInputBytesPerBatch"] {
            let key = format!("{name}Path");
            let p = config.get(&key).or_else(|| v.get(&key));
            if let Some(p) = p {
                if let Some(p) = self.path(p, &format!("{at}/{key}")) {
                    paths.push((name, p));
                }
            }
        }
        Some(ItemIo { raw: v.clone(), template, paths, jsonata: None })
    }

    /// A JSONata-mode field, its expressions parsed.
    fn jsonata(&mut self, v: Option<&Value>, at: String) -> Option<JsonataField> {
        match JsonataField::compile(v?) {
            Ok(f) => Some(f),
            Err(e) => {
                self.errors
                    .push(schema(&format!("{at}{}", e.pointer), format!("{}: {}", e.error.code, e.error.message)));
                None
            }
        }
    }

    fn number_field(&mut self, s: &Value, key: &str, at: &str) -> Option<NumberField> {
        if let Some(v) = s.get(key) {
            return match v {
                Value::Number(n) => Some(NumberField::Literal(n.as_f64())),
                Value::String(e) if e.starts_with("{%") => {
                    self.jsonata(Some(v), format!("{at}/{key}")).map(NumberField::Jsonata)
                }
                _ => {
                    self.errors.push(schema(&format!("{at}/{key}"), format!("The field '{key}' must be a number")));
                    None
                }
            };
        }
        let pkey = format!("{key}Path");
        let v = s.get(&pkey)?;
        self.path(v, &format!("{at}/{pkey}")).map(NumberField::Path)
    }

    fn error_list(&mut self, v: &Value, at: &str) -> Vec<Rc<str>> {
        match v.get("ErrorEquals").and_then(Value::as_array) {
            Some(a) => a.iter().filter_map(|e| e.as_str().map(Rc::from)).collect(),
            None => {
                self.errors.push(schema(at, "These fields are required: [ErrorEquals]"));
                Vec::new()
            }
        }
    }

    fn state(&mut self, name: &Rc<str>, s: &Value, at: &str, names: &Map, machine_ql: QueryLanguage) -> State {
        let ql = match s.get("QueryLanguage").and_then(Value::as_str) {
            Some("JSONata") => QueryLanguage::Jsonata,
            Some("JSONPath") => QueryLanguage::JsonPath,
            _ => machine_ql,
        };
        let ty = s.get("Type").and_then(Value::as_str).unwrap_or("");
        let transition = match (s.get("Next"), s.get("End")) {
            (Some(n), _) => Transition::Next(self.target(names, Some(n), format!("{at}/Next"))),
            _ => Transition::End,
        };
        let jsonpath = ql == QueryLanguage::JsonPath;
        let retry = match s.get("Retry").and_then(Value::as_array) {
            Some(rs) => rs
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let rat = format!("{at}/Retry/{i}");
                    Retrier {
                        error_equals: self.error_list(r, &rat),
                        interval_seconds: r.get("IntervalSeconds").and_then(Value::as_f64).unwrap_or(1.0),
                        max_attempts: r.get("MaxAttempts").and_then(Value::as_i64).unwrap_or(3).max(0) as u32,
                        backoff_rate: r.get("BackoffRate").and_then(Value::as_f64).unwrap_or(2.0),
                        max_delay_seconds: r.get("MaxDelaySeconds").and_then(Value::as_f64),
                        jitter_full: r.get("JitterStrategy").and_then(Value::as_str) == Some("FULL"),
                    }
                })
                .collect(),
            None => Vec::new(),
        };
        let catch = match s.get("Catch").and_then(Value::as_array) {
            Some(cs) => cs
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let cat = format!("{at}/Catch/{i}");
                    Catcher {
                        error_equals: self.error_list(c, &cat),
                        next: self.target(names, c.get("Next"), format!("{cat}/Next")),
                        result_path: if jsonpath { self.result_path(c, &cat) } else { ResultPathField::Whole },
                        assign: if jsonpath { self.template(c.get("Assign"), format!("{cat}/Assign")) } else { None },
                        jsonata_output: if jsonpath {
                            None
                        } else {
                            self.jsonata(c.get("Output"), format!("{cat}/Output"))
                        },
                        jsonata_assign: if jsonpath {
                            None
                        } else {
                            self.jsonata(c.get("Assign"), format!("{cat}/Assign"))
                        },
                    }
                })
                .collect(),
            None => Vec::new(),
        };
        let kind = match ty {
            "Pass" => Kind::Pass { result: s.get("Result").cloned() },
            "Succeed" => Kind::Succeed,
            "Fail" => Kind::Fail(Fail {
                error: self.string_field(s, "Error", at, jsonpath),
                cause: self.string_field(s, "Cause", at, jsonpath),
            }),
            "Wait" => Kind::Wait(if let Some(t) = s.get("Timestamp").and_then(Value::as_str) {
                if t.starts_with("{%") && !jsonpath {
                    match self.jsonata(s.get("Timestamp"), format!("{at}/Timestamp")) {
                        Some(f) => Wait::TimestampJsonata(f),
                        None => Wait::Seconds(NumberField::Literal(0.0)),
                    }
                } else {
                    Wait::Timestamp(Rc::from(t))
                }
            } else if let Some(p) = s.get("TimestampPath") {
                match self.path(p, &format!("{at}/TimestampPath")) {
                    Some(p) => Wait::TimestampPath(p),
                    None => Wait::Seconds(NumberField::Literal(0.0)),
                }
            } else {
                Wait::Seconds(self.number_field(s, "Seconds", at).unwrap_or(NumberField::Literal(0.0)))
            }),
            "Task" => Kind::Task(Box::new(Task {
                resource: Rc::from(s.get("Resource").and_then(Value::as_str).unwrap_or("")),
                parsed_resource: s.get("Resource").and_then(Value::as_str).and_then(Resource::parse).map(Rc::new),
                timeout: self.number_field(s, "TimeoutSeconds", at),
                heartbeat: self.number_field(s, "HeartbeatSeconds", at),
                credentials: if jsonpath {
                    self.template(s.get("Credentials"), format!("{at}/Credentials"))
                } else {
                    None
                },
                credentials_raw: s.get("Credentials").cloned(),
                credentials_jsonata: if jsonpath {
                    None
                } else {
                    self.jsonata(s.get("Credentials"), format!("{at}/Credentials"))
                },
            })),
            "Choice" => {
                let rules = match s.get("Choices").and_then(Value::as_array) {
                    Some(rs) => rs
                        .iter()
                        .enumerate()
                        .map(|(i, r)| {
                            let rat = format!("{at}/Choices/{i}");
                            ChoiceRule {
                                condition: self.condition(r, &rat),
                                next: self.target(names, r.get("Next"), format!("{rat}/Next")),
                                assign: if jsonpath {
                                    self.template(r.get("Assign"), format!("{rat}/Assign"))
                                } else {
                                    None
                                },
                                jsonata_assign: if jsonpath {
                                    None
                                } else {
                                    self.jsonata(r.get("Assign"), format!("{rat}/Assign"))
                                },
                                jsonata_output: if jsonpath {
                                    None
                                } else {
                                    self.jsonata(r.get("Output"), format!("{rat}/Output"))
                                },
                            }
                        })
                        .collect(),
                    None => Vec::new(),
                };
                let default = s.get("Default").map(|d| self.target(names, Some(d), format!("{at}/Default")));
                Kind::Choice(Box::new(Choice { rules, default }))
            }
            "Parallel" => {
                let branches = match s.get("Branches").and_then(Value::as_array) {
                    Some(bs) => bs
                        .iter()
                        .enumerate()
                        .map(|(i, b)| self.list(b, &format!("{at}/Branches/{i}"), ListOwner::Branch, ql))
                        .collect(),
                    None => Vec::new(),
                };
                Kind::Parallel { branches }
            }
            "Map" => {
                let (pkey, pv) = match (s.get("ItemProcessor"), s.get("Iterator")) {
                    (Some(p), _) => ("ItemProcessor", p),
                    (None, Some(p)) => ("Iterator", p),
                    (None, None) => ("ItemProcessor", &Value::Null),
                };
                let processor = self.list(pv, &format!("{at}/{pkey}"), ListOwner::MapProcessor, ql);
                let selector_key = if s.get("ItemSelector").is_some() { "ItemSelector" } else { "Parameters" };
                let distributed = pv.get("ProcessorConfig").and_then(|c| c.get("Mode")).and_then(Value::as_str)
                    == Some("DISTRIBUTED");
                Kind::Map(Box::new(MapState {
                    processor,
                    items_path: if jsonpath { self.path_field(s, "ItemsPath", at) } else { PathField::Whole },
                    item_selector: if jsonpath {
                        self.template(s.get(selector_key), format!("{at}/{selector_key}"))
                    } else {
                        None
                    },
                    max_concurrency: self.number_field(s, "MaxConcurrency", at),
                    tolerated_failure_count: self.number_field(s, "ToleratedFailureCount", at),
                    tolerated_failure_percentage: self.number_field(s, "ToleratedFailurePercentage", at),
                    jsonata_items: if jsonpath { None } else { self.jsonata(s.get("Items"), format!("{at}/Items")) },
                    jsonata_item_selector: if jsonpath {
                        None
                    } else {
                        self.jsonata(s.get("ItemSelector"), format!("{at}/ItemSelector"))
                    },
                    distributed,
                    raw: s.clone(),
                    item_reader: self.item_io(s.get("ItemReader"), &format!("{at}/ItemReader"), "Parameters", jsonpath),
                    item_batcher: self.item_io(
                        s.get("ItemBatcher"),
                        &format!("{at}/ItemBatcher"),
                        "BatchInput",
                        jsonpath,
                    ),
                    result_writer: self.item_io(
                        s.get("ResultWriter"),
                        &format!("{at}/ResultWriter"),
                        "Parameters",
                        jsonpath,
                    ),
                }))
            }
            other => {
                self.errors.push(schema(&format!("{at}/Type"), format!("Unknown state type '{other}'")));
                Kind::Succeed
            }
        };
        let is_map = matches!(kind, Kind::Map(_));
        State {
            name: name.clone(),
            query_language: ql,
            input_path: if jsonpath { self.path_field(s, "InputPath", at) } else { PathField::Whole },
            output_path: if jsonpath { self.path_field(s, "OutputPath", at) } else { PathField::Whole },
            parameters: if jsonpath && !is_map {
                self.template(s.get("Parameters"), format!("{at}/Parameters"))
            } else {
                None
            },
            result_selector: if jsonpath {
                self.template(s.get("ResultSelector"), format!("{at}/ResultSelector"))
            } else {
                None
            },
            result_path: if jsonpath { self.result_path(s, at) } else { ResultPathField::Whole },
            assign: if jsonpath { self.template(s.get("Assign"), format!("{at}/Assign")) } else { None },
            jsonata: if jsonpath {
                None
            } else {
                Some(JsonataFields {
                    arguments: self.jsonata(s.get("Arguments"), format!("{at}/Arguments")),
                    output: self.jsonata(s.get("Output"), format!("{at}/Output")),
                    assign: self.jsonata(s.get("Assign"), format!("{at}/Assign")),
                })
            },
            transition,
            retry,
            catch,
            kind,
        }
    }

    fn string_field(&mut self, s: &Value, key: &str, at: &str, jsonpath: bool) -> Option<StringField> {
        if let Some(v) = s.get(key) {
            let text: Rc<str> = Rc::from(v.as_str().unwrap_or_default());
            if !jsonpath && text.starts_with("{%") {
                return self.jsonata(Some(v), format!("{at}/{key}")).map(StringField::Jsonata);
            }
            return Some(StringField::Literal(text));
        }
        let pkey = format!("{key}Path");
        let v = s.get(&pkey)?;
        // ErrorPath/CausePath hold a path or an intrinsic: compile them as one template value.
        let mut m = crate::value::Map::new();
        m.insert("v.$", v.clone());
        let t = Value::from(m);
        match Template::compile(&t) {
            Ok(t) => Some(StringField::Dynamic(t)),
            Err(e) => {
                self.errors.push(schema(&format!("{at}/{pkey}"), e.message.to_string()));
                None
            }
        }
    }

    fn condition(&mut self, r: &Value, at: &str) -> Condition {
        if let Some(c) = r.get("Condition") {
            return match self.jsonata(Some(c), format!("{at}/Condition")) {
                Some(f) => Condition::Jsonata(f),
                None => Condition::And(Vec::new()),
            };
        }
        for (key, ctor) in [("And", 0), ("Or", 1)] {
            if let Some(list) = r.get(key) {
                let items = list
                    .as_array()
                    .map(|a| a.iter().enumerate().map(|(i, c)| self.condition(c, &format!("{at}/{key}/{i}"))).collect())
                    .unwrap_or_default();
                return if ctor == 0 { Condition::And(items) } else { Condition::Or(items) };
            }
        }
        if let Some(n) = r.get("Not") {
            return Condition::Not(Box::new(self.condition(n, &format!("{at}/Not"))));
        }
        let variable = match r.get("Variable") {
            Some(v) => self.path(v, &format!("{at}/Variable")),
            None => {
                self.errors.push(schema(at, "These fields are required: [Variable]"));
                None
            }
        };
        let Some(object) = r.as_object() else {
            return Condition::And(Vec::new());
        };
        for (key, v) in object.iter() {
            if let Some((op, is_path)) = Operator::from_key(key) {
                let operand = if is_path {
                    match self.path(v, &format!("{at}/{key}")) {
                        Some(p) => Operand::Path(p),
                        None => Operand::Literal(Value::Null),
                    }
                } else {
                    Operand::Literal(v.clone())
                };
                return match variable {
                    Some(variable) => Condition::Compare { variable, op, operand },
                    None => Condition::And(Vec::new()),
                };
            }
        }
        self.errors.push(schema(at, "A Choice rule must have a comparison operator"));
        Condition::And(Vec::new())
    }
}
