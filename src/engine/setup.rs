//! Starting a run from texts, as the playground does: the definition, the input and the mock
//! configuration as typed, and the run's options. The mock configuration is a MockConfigFile,
//! or (the playground's extension) only mocked S3 objects (`S3Objects`, `S3Buckets`), or
//! blank. Problems come back as values with their place in the text, never as panics.

use super::{Execution, Options};
use crate::definition::{Definition, Validation};
use crate::distributed::ObjectStore;
use crate::json;
use crate::services::{MockConfig, MockConfigError};
use crate::time::Millis;
use crate::value::{Map, Value};
use std::rc::Rc;

/// What a run starts from.
#[derive(Clone, Debug, Default)]
pub struct RunRequest<'a> {
    /// The definition's JSON text.
    pub definition: &'a str,
    /// The execution input's JSON text (blank: `{}`).
    pub input: &'a str,
    /// A MockConfigFile, or a configuration of S3 objects only, as JSON text (blank: none).
    pub mock: &'a str,
    /// The MockConfigFile's state machine to use (blank: its only one); also the execution's
    /// state machine name.
    pub state_machine: &'a str,
    /// The test case of that state machine.
    pub test_case: &'a str,
    pub seed: u64,
    /// The virtual clock's start as RFC 3339 text (`None` or blank: the engine's default).
    pub start_time: Option<&'a str>,
    /// Whether to record each state visit's inspection data (`Execution::inspections`).
    pub inspect: bool,
    /// The history's event limit (`None`: AWS's 25,000).
    pub max_events: Option<usize>,
    /// The payload size limit in bytes (`None`: AWS's 256 KiB).
    pub max_payload: Option<usize>,
}

/// Why a run could not start.
#[derive(Debug)]
pub enum StartError {
    /// The definition is not valid (the diagnostics say why).
    InvalidDefinition(Validation),
    /// The input, the start time or the mock configuration is not usable.
    Unusable(String),
}

impl StartError {
    /// `{"message", "validation"?}`.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        match self {
            StartError::InvalidDefinition(v) => {
                m.insert("message", Value::from("The definition is not valid"));
                m.insert("validation", v.to_value());
            }
            StartError::Unusable(message) => {
                m.insert("message", Value::from(message.as_str()));
            }
        }
        Value::from(m)
    }
}

/// A problem at a place in a text.
#[derive(Clone, Debug, PartialEq)]
pub struct Located {
    pub message: String,
    /// 1-based line and column (in characters).
    pub line: usize,
    pub column: usize,
}

impl Located {
    /// At the place of a JSON pointer in the text `map` was made from (1:1 when it is not
    /// there).
    fn at(map: &json::SourceMap, pointer: &str, message: &str) -> Located {
        let (line, column) = map.locate(pointer).unwrap_or((1, 1));
        Located { message: message.to_string(), line, column }
    }

    /// `{"message", "line", "column"}`.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("message", Value::from(self.message.as_str()));
        m.insert("line", Value::from(self.line));
        m.insert("column", Value::from(self.column));
        Value::from(m)
    }
}

impl From<json::JsonError> for Located {
    fn from(e: json::JsonError) -> Located {
        Located { message: e.message, line: e.line, column: e.column }
    }
}

/// Starts the execution `request` describes. With a MockConfigFile, the Task states are
/// answered from its test case (states it does not mock get the default responses) and
/// distributed Maps read its `S3Objects`.
pub fn start(request: &RunRequest) -> Result<Execution, StartError> {
    let definition = Definition::from_text(request.definition).map_err(StartError::InvalidDefinition)?;
    let input = if request.input.trim().is_empty() { Ok(Value::from(Map::new())) } else { json::parse(request.input) };
    let input = input.map_err(|e| StartError::Unusable(format!("Execution input: {e}")))?;
    let mut options = Options { seed: request.seed, inspect: request.inspect, ..Options::default() };
    if let Some(n) = request.max_events {
        options.max_events = n;
    }
    if let Some(n) = request.max_payload {
        options.payload_limit = n;
    }
    if let Some(text) = request.start_time.map(str::trim).filter(|t| !t.is_empty()) {
        options.start_time = crate::time::parse_rfc3339(text).ok_or_else(|| {
            StartError::Unusable(format!(
                "Start time: {} is not an RFC 3339 timestamp (like 2025-01-01T00:00:00Z)",
                Value::from(text)
            ))
        })?;
    }
    let definition = Rc::new(definition);
    let mock = request.mock;
    if mock.trim().is_empty() {
        return Ok(Execution::start(definition, input, options));
    }
    if let Some(objects) = s3_only(mock, options.start_time) {
        // Only S3 objects: no service is mocked.
        let store = objects.map_err(|e| StartError::Unusable(format!("Mock configuration: {}", e.message)))?;
        let mut exec = Execution::start(definition, input, options);
        exec.set_object_store(store);
        return Ok(exec);
    }
    let config = MockConfig::from_text(mock).map_err(|e| StartError::Unusable(format!("Mock configuration: {e}")))?;
    let named = (!request.state_machine.is_empty()).then_some(request.state_machine);
    if let Some(name) = named {
        options.ids.state_machine_name = name.to_string();
    }
    Execution::start_mocked(definition, input, options, &config, named, request.test_case)
        .map_err(|e| StartError::Unusable(format!("Mock configuration: {e}")))
}

/// Checks a mock configuration as a run would read it (a MockConfigFile with its `S3Objects`,
/// or S3 objects only): the first problem with its place, or the JSON syntax error.
pub fn check_mock(text: &str) -> Result<(), Located> {
    let (_, map) = json::parse_with_source_map(text)?;
    let start = Options::default().start_time;
    if let Some(objects) = s3_only(text, start) {
        return objects.map(|_| ()).map_err(|e| Located::at(&map, &e.pointer, &e.message));
    }
    let config = MockConfig::from_text(text).map_err(|e| Located::at(&map, &e.pointer, &e.message))?;
    ObjectStore::from_value(config.source(), 0).map(|_| ()).map_err(|e| Located::at(&map, &e.pointer, &e.message))
}

/// The mocked S3 a mock configuration gives a run before it starts (empty for a blank text),
/// its objects stamped with the default start time when they name no `LastModified`.
pub fn mock_object_store(mock: &str) -> Result<ObjectStore, Located> {
    let start = Options::default().start_time;
    if mock.trim().is_empty() {
        return Ok(ObjectStore::new(0));
    }
    let (config, map) = json::parse_with_source_map(mock)?;
    ObjectStore::from_value(&config, start).map_err(|e| Located::at(&map, &e.pointer, &e.message))
}

/// A mock configuration of S3 objects only (no `StateMachines` nor `MockedResponses`, which
/// a MockConfigFile requires): its object store, or why it is not usable. `None` for any
/// other text. Objects without `LastModified` are stamped `now_ms`.
fn s3_only(mock: &str, now_ms: Millis) -> Option<Result<ObjectStore, MockConfigError>> {
    let config = json::parse(mock).ok()?;
    let has = |names: [&str; 2]| config.as_object().is_some_and(|m| m.keys().any(|k| names.contains(&&**k)));
    if has(["StateMachines", "MockedResponses"]) || !has(["S3Objects", "S3Buckets"]) {
        return None;
    }
    Some(ObjectStore::from_value(&config, now_ms))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Status;

    const PASS: &str = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#;
    const TASK: &str = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}"#;

    fn request(definition: &'static str) -> RunRequest<'static> {
        RunRequest { definition, ..RunRequest::default() }
    }

    fn message(r: Result<Execution, StartError>) -> String {
        match r {
            Ok(_) => "started".into(),
            Err(e) => e.to_value().get("message").and_then(Value::as_str).unwrap_or_default().to_string(),
        }
    }

    #[test]
    fn a_blank_input_is_an_empty_object_and_options_are_applied() {
        let r = RunRequest { seed: 7, start_time: Some(" 2024-02-29T12:00:00Z "), inspect: true, ..request(PASS) };
        let mut exec = start(&r).unwrap();
        exec.run();
        assert_eq!(exec.status(), Status::Succeeded);
        assert_eq!(exec.output().unwrap().to_string(), "{}");
        assert_eq!(exec.history()[0].timestamp, crate::time::parse_rfc3339("2024-02-29T12:00:00Z").unwrap());
        assert!(!exec.inspections().is_empty());
    }

    #[test]
    fn what_cannot_start_says_why() {
        match start(&request(r#"{"StartAt": "Nope", "States": {}}"#)) {
            Err(e @ StartError::InvalidDefinition(_)) => assert!(e.to_value().get("validation").is_some()),
            other => panic!("{}", message(other)),
        }
        assert!(message(start(&RunRequest { input: "{", ..request(PASS) })).starts_with("Execution input: "));
        assert_eq!(
            message(start(&RunRequest { start_time: Some("soon"), ..request(PASS) })),
            r#"Start time: "soon" is not an RFC 3339 timestamp (like 2025-01-01T00:00:00Z)"#
        );
        assert!(message(start(&RunRequest { mock: "[]", ..request(PASS) })).starts_with("Mock configuration: "));
        let bad_objects = r#"{"S3Objects": [{"Bucket": "b", "Key": "k"}]}"#;
        assert_eq!(
            message(start(&RunRequest { mock: bad_objects, ..request(PASS) })),
            "Mock configuration: Content is required"
        );
    }

    #[test]
    fn a_mock_config_answers_the_tasks_and_s3_objects_alone_fill_the_store() {
        let mock = r#"{"StateMachines": {"SM": {"TestCases": {"Happy": {"T": "R"}}}},
            "MockedResponses": {"R": {"0": {"Return": {"ok": true}}}}}"#;
        let mut exec = start(&RunRequest { mock, state_machine: "SM", test_case: "Happy", ..request(TASK) }).unwrap();
        exec.run();
        assert_eq!(exec.output().unwrap().to_string(), r#"{"ok":true}"#);

        let objects = r#"{"S3Objects": [{"Bucket": "b", "Key": "k", "Content": "x"}]}"#;
        let exec = start(&RunRequest { mock: objects, ..request(PASS) }).unwrap();
        assert_eq!(exec.object_store().unwrap().get("b", "k").unwrap().content().as_ref(), "x");
    }

    #[test]
    fn mock_problems_are_placed_in_the_text() {
        assert_eq!(check_mock(r#"{"S3Buckets": ["a"]}"#), Ok(()));
        let at = check_mock("{\n  \"S3Objects\": [\n    {\"Bucket\": \"b\", \"Key\": \"k\"}]}").unwrap_err();
        assert_eq!((at.message.as_str(), at.line), ("Content is required", 3));
        let syntax = check_mock("{\"a\": }").unwrap_err();
        assert_eq!((syntax.line, syntax.column), (1, 7));
        assert!(check_mock(r#"{"StateMachines": 1}"#).is_err());
        let mock = r#"{"StateMachines": {}, "MockedResponses": {}, "S3Objects": 3}"#;
        assert_eq!(check_mock(mock).unwrap_err().message, "S3Objects must be an array of objects");

        assert_eq!(mock_object_store("  ").unwrap().bucket_names().count(), 0);
        let store = mock_object_store(r#"{"S3Buckets": ["a", "b"]}"#).unwrap();
        assert_eq!(store.bucket_names().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(
            mock_object_store(r#"{"S3Buckets": [1]}"#).unwrap_err().to_value().get("line"),
            Some(&Value::from(1))
        );
    }
}
