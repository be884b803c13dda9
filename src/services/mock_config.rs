//! AWS Step Functions Local's `MockConfigFile.json`, read as is: `StateMachines → TestCases →
//! state name → mocked response name`, and `MockedResponses` whose invocation keys (`"0"`,
//! `"1-2"`) give a `Return` or a `Throw` for each call of a state.

use super::{ServiceLayer, TaskRequest, TaskResponse};
use crate::json;
use crate::value::{Map, Value};
use std::rc::Rc;

/// A problem in a mock configuration, with the JSON pointer of its place.
#[derive(Clone, Debug, PartialEq)]
pub struct MockConfigError {
    pub pointer: String,
    pub message: String,
}

impl std::fmt::Display for MockConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.pointer.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{} (at {})", self.message, self.pointer)
        }
    }
}

impl std::error::Error for MockConfigError {}

/// The members of a MockConfigFile: AWS's two, and this project's mocked S3 (`S3Objects`,
/// `S3Buckets`: see `distributed::ObjectStore`). (The checks below spell them out, which
/// keeps the engine's module smallest; a test keeps the two in step.)
pub const MOCK_CONFIG_FIELDS: &[&str] = &["StateMachines", "MockedResponses", "S3Objects", "S3Buckets"];

/// The members of one invocation's entry in a mocked response: AWS's `Return` and `Throw`, and
/// this project's `Latency`, `Submitted` and `Silent`.
pub const INVOCATION_FIELDS: &[&str] = &["Return", "Throw", "Latency", "Submitted", "Silent"];

/// The members of a `Throw`.
pub const THROW_FIELDS: &[&str] = &["Error", "Cause"];

fn err(pointer: impl Into<String>, message: impl Into<String>) -> MockConfigError {
    MockConfigError { pointer: pointer.into(), message: message.into() }
}

/// One mocked answer.
#[derive(Clone, Debug, PartialEq)]
pub enum MockedResponse {
    Return(Value),
    Throw {
        error: Rc<str>,
        cause: Option<Rc<str>>,
    },
    /// (Extension) no answer ever comes: the task's timeout or heartbeat decides.
    Silent,
}

/// One invocation's entry: the answer, plus this project's extensions: a virtual latency
/// (`"Latency": seconds`) and, for `.sync` and `.waitForTaskToken` calls, the response the
/// service gave when the job was submitted (`"Submitted": value`, history `TaskSubmitted`).
#[derive(Clone, Debug, PartialEq)]
pub struct MockedInvocation {
    pub response: MockedResponse,
    pub latency_ms: u64,
    pub submitted: Option<Value>,
}

/// A test case's name and its state name → response name pairs.
type TestCase = (Rc<str>, Vec<(Rc<str>, Rc<str>)>);

/// A parsed and checked mock configuration file.
#[derive(Clone, Debug, Default)]
pub struct MockConfig {
    /// State machine name → test case name → state name → response name.
    state_machines: Vec<(Rc<str>, Vec<TestCase>)>,
    /// Response name → answers by invocation number (0-based), in order.
    /// Shared with each run's [`MockedServices`] (a run starts without copying them).
    responses: Map<Rc<[MockedInvocation]>>,
    source: Value,
}

impl MockConfig {
    /// Parses and checks a MockConfigFile's text.
    ///
    /// ```
    /// let cfg = aslplay::services::MockConfig::from_text(r#"{
    ///   "StateMachines": {"M": {"TestCases": {"Happy": {"Call": "Ok"}}}},
    ///   "MockedResponses": {"Ok": {"0": {"Return": {"StatusCode": 200}}}}}"#).unwrap();
    /// assert_eq!(cfg.test_case_names("M"), vec!["Happy"]);
    /// ```
    pub fn from_text(text: &str) -> Result<MockConfig, MockConfigError> {
        let v = json::parse(text).map_err(|e| err("", format!("The mock configuration is not valid JSON: {e}")))?;
        MockConfig::from_value(v)
    }

    pub fn from_value(v: Value) -> Result<MockConfig, MockConfigError> {
        let root = v.as_object().ok_or_else(|| err("", "The mock configuration must be a JSON object"))?;
        for key in root.keys() {
            // `S3Objects` and `S3Buckets` are this project's extension: the mocked S3 of
            // distributed Maps (see `distributed::ObjectStore`).
            if !matches!(&**key, "StateMachines" | "MockedResponses" | "S3Objects" | "S3Buckets") {
                return Err(err(
                    format!("/{key}"),
                    format!("Unknown field '{key}': expected StateMachines and MockedResponses"),
                ));
            }
        }
        let mut responses = Map::new();
        let mocked = match root.get("MockedResponses") {
            Some(Value::Object(m)) => m.clone(),
            Some(_) => return Err(err("/MockedResponses", "MockedResponses must be an object")),
            None => return Err(err("", "These fields are required: [MockedResponses]")),
        };
        for (name, r) in mocked.iter() {
            let at = format!("/MockedResponses/{}", json::pointer_token(name));
            responses.insert(name.clone(), Rc::from(parse_response(r, &at)?));
        }
        let sms = match root.get("StateMachines") {
            Some(Value::Object(m)) => m.clone(),
            Some(_) => return Err(err("/StateMachines", "StateMachines must be an object")),
            None => return Err(err("", "These fields are required: [StateMachines]")),
        };
        let mut state_machines = Vec::new();
        for (sm_name, sm) in sms.iter() {
            let at = format!("/StateMachines/{}", json::pointer_token(sm_name));
            let cases = match sm.get("TestCases") {
                Some(Value::Object(c)) => c.clone(),
                _ => return Err(err(&at, "A state machine needs a TestCases object")),
            };
            let mut tcs = Vec::new();
            for (tc_name, tc) in cases.iter() {
                let tat = format!("{at}/TestCases/{}", json::pointer_token(tc_name));
                let Some(map) = tc.as_object() else {
                    return Err(err(tat, "A test case must map state names to mocked response names"));
                };
                let mut states = Vec::new();
                for (state, resp) in map.iter() {
                    let sat = format!("{tat}/{}", json::pointer_token(state));
                    let Some(resp) = resp.as_str() else {
                        return Err(err(sat, "The mocked response name must be a string"));
                    };
                    if !responses.contains_key(resp) {
                        return Err(err(sat, format!("No mocked response named '{resp}' in MockedResponses")));
                    }
                    states.push((state.clone(), Rc::from(resp)));
                }
                tcs.push((tc_name.clone(), states));
            }
            state_machines.push((sm_name.clone(), tcs));
        }
        Ok(MockConfig { state_machines, responses, source: v })
    }

    /// The file's JSON.
    pub fn source(&self) -> &Value {
        &self.source
    }

    pub fn state_machine_names(&self) -> Vec<&str> {
        self.state_machines.iter().map(|(n, _)| &**n).collect()
    }

    pub fn test_case_names(&self, state_machine: &str) -> Vec<&str> {
        self.state_machines
            .iter()
            .find(|(n, _)| &**n == state_machine)
            .map(|(_, tcs)| tcs.iter().map(|(n, _)| &**n).collect())
            .unwrap_or_default()
    }

    /// Mocked `Return`s that do not have the shape of their Task state's service response
    /// (checked as TestState's STRICT mode does), each with the JSON pointer of the place:
    /// a mock that would never come from the real service is caught before it misleads.
    ///
    /// ```
    /// let def = aslplay::Definition::from_text(r#"{"StartAt": "Put", "States": {"Put": {"Type": "Task",
    ///   "Resource": "arn:aws:states:::events:putEvents", "Parameters": {"Entries": []}, "End": true}}}"#).unwrap();
    /// let cfg = aslplay::services::MockConfig::from_text(r#"{"StateMachines": {"M": {"TestCases": {"T": {"Put": "R"}}}},
    ///   "MockedResponses": {"R": {"0": {"Return": {"Entries": [{"EventId": 5}], "FailedEntryCount": 0}}}}}"#).unwrap();
    /// let problems = cfg.shape_problems(&def);
    /// assert_eq!(problems[0].pointer, "/MockedResponses/R/0/Return");
    /// assert!(problems[0].message.contains("EventId"));
    /// ```
    pub fn shape_problems(&self, definition: &crate::Definition) -> Vec<MockConfigError> {
        use crate::definition::model::Kind;
        let mut out = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for (_, cases) in &self.state_machines {
            for (_, states) in cases {
                for (state, response) in states {
                    if seen.contains(&&**response) {
                        continue;
                    }
                    let task = definition.lists.iter().flat_map(|l| l.states.iter()).find(|s| s.name == *state);
                    let Some(resource) = task.and_then(|t| match &t.kind {
                        Kind::Task(task) => task.parsed_resource.clone(),
                        _ => None,
                    }) else {
                        continue;
                    };
                    seen.push(response);
                    let Some(entries) =
                        self.source.get("MockedResponses").and_then(|m| m.get(response)).and_then(Value::as_object)
                    else {
                        continue;
                    };
                    for (key, entry) in entries.iter() {
                        let Some(ret) = entry.get("Return") else { continue };
                        if let Err(e) = super::check_mock_result(&resource, ret, super::FieldValidationMode::Strict) {
                            out.push(err(
                                format!(
                                    "/MockedResponses/{}/{}/Return",
                                    json::pointer_token(response),
                                    json::pointer_token(key)
                                ),
                                format!("{} (state '{state}', {})", e.message, resource.arn),
                            ));
                        }
                    }
                }
            }
        }
        out
    }

    /// The service layer for one test case. `state_machine` may be omitted when the file
    /// describes only one. States the test case does not mock get `fallback`'s answers.
    pub fn test_case(
        &self,
        state_machine: Option<&str>,
        test_case: &str,
        fallback: Box<dyn ServiceLayer>,
    ) -> Result<MockedServices, MockConfigError> {
        let sm = match state_machine {
            Some(name) => self.state_machines.iter().find(|(n, _)| &**n == name).ok_or_else(|| {
                err("/StateMachines", format!("No state machine named '{name}' in the mock configuration"))
            })?,
            None => match self.state_machines.as_slice() {
                [one] => one,
                [] => return Err(err("/StateMachines", "The mock configuration describes no state machine")),
                _ => {
                    return Err(err(
                        "/StateMachines",
                        "The mock configuration describes several state machines: name the one to use",
                    ))
                }
            },
        };
        let (_, states) = sm.1.iter().find(|(n, _)| &**n == test_case).ok_or_else(|| {
            err(
                format!("/StateMachines/{}/TestCases", json::pointer_token(&sm.0)),
                format!("No test case named '{test_case}' for state machine '{}'", sm.0),
            )
        })?;
        let mocks = states
            .iter()
            .map(|(state, resp)| {
                (state.clone(), (resp.clone(), self.responses.get(resp).cloned().unwrap_or_else(|| Rc::from([]))))
            })
            .collect();
        Ok(MockedServices { mocks, counters: Map::new(), fallback })
    }
}

fn parse_response(r: &Value, at: &str) -> Result<Vec<MockedInvocation>, MockConfigError> {
    let Some(map) = r.as_object() else {
        return Err(err(at, "A mocked response must be an object of invocation keys"));
    };
    let mut ranges: Vec<(u64, u64, MockedInvocation)> = Vec::new();
    for (key, entry) in map.iter() {
        let kat = format!("{at}/{}", json::pointer_token(key));
        let parse_n = |s: &str| s.trim().parse::<u64>().ok();
        let (lo, hi) = match key.split_once('-') {
            Some((a, b)) => match (parse_n(a), parse_n(b)) {
                (Some(a), Some(b)) if a <= b => (a, b),
                _ => {
                    return Err(err(kat, format!("Invalid invocation key '{key}': expected 'N' or 'N-M' with N <= M")))
                }
            },
            None => match parse_n(key) {
                Some(n) => (n, n),
                None => return Err(err(kat, format!("Invalid invocation key '{key}': expected 'N' or 'N-M'"))),
            },
        };
        if hi - lo > 100_000 {
            return Err(err(kat, "An invocation range may cover at most 100000 calls"));
        }
        let Some(e) = entry.as_object() else {
            return Err(err(kat, "An invocation entry must be an object with Return or Throw"));
        };
        let silent = e.get("Silent") == Some(&Value::Bool(true));
        let response = match (e.get("Return"), e.get("Throw")) {
            (Some(_), Some(_)) => return Err(err(kat, "An invocation entry cannot contain both Return and Throw")),
            (None, None) if silent => MockedResponse::Silent,
            (None, None) => return Err(err(kat, "An invocation entry must contain Return or Throw")),
            (Some(_), None) | (None, Some(_)) if silent => {
                return Err(err(kat, "A Silent invocation entry has no Return or Throw"))
            }
            (Some(v), None) => MockedResponse::Return(v.clone()),
            (None, Some(t)) => {
                let tat = format!("{kat}/Throw");
                let error =
                    t.get("Error").and_then(Value::as_str).ok_or_else(|| err(&tat, "Throw needs an Error string"))?;
                let cause = match t.get("Cause") {
                    None | Some(Value::Null) => None,
                    Some(Value::String(c)) => Some(c.clone()),
                    Some(_) => return Err(err(format!("{tat}/Cause"), "Cause must be a string")),
                };
                MockedResponse::Throw { error: Rc::from(error), cause }
            }
        };
        if let Some(k) = e.keys().find(|k| !matches!(&***k, "Return" | "Throw" | "Latency" | "Submitted" | "Silent")) {
            return Err(err(kat, format!("Unknown field '{k}' in an invocation entry")));
        }
        let latency_ms = match e.get("Latency") {
            None => 0,
            Some(v) => match v.as_f64() {
                Some(s) if s >= 0.0 && s.is_finite() => (s * 1000.0).round() as u64,
                _ => return Err(err(format!("{kat}/Latency"), "Latency must be a non-negative number of seconds")),
            },
        };
        let invocation = MockedInvocation { response, latency_ms, submitted: e.get("Submitted").cloned() };
        ranges.push((lo, hi, invocation));
    }
    crate::sort::sort_by_key(&mut ranges, |r| r.0);
    let mut out = Vec::new();
    for (lo, hi, invocation) in ranges {
        if lo != out.len() as u64 {
            return Err(err(
                at,
                format!("Mock responses must be consecutively numbered from 0: invocation {} is missing", out.len()),
            ));
        }
        for _ in lo..=hi {
            out.push(invocation.clone());
        }
    }
    Ok(out)
}

/// The service layer of one test case: per-state invocation counters shared across retries
/// and Map iterations, as Step Functions Local counts them.
pub struct MockedServices {
    mocks: Map<(Rc<str>, Rc<[MockedInvocation]>)>,
    counters: Map<usize>,
    fallback: Box<dyn ServiceLayer>,
}

impl ServiceLayer for MockedServices {
    fn call(&mut self, request: &TaskRequest) -> TaskResponse {
        let Some((name, answers)) = self.mocks.get(request.state_name) else {
            return self.fallback.call(request);
        };
        let n = self.counters.get_or_insert_with(request.state_name, || 0);
        let i = *n;
        *n += 1;
        match answers.get(i) {
            Some(m) => {
                let latency_ms = m.latency_ms;
                let response = match &m.response {
                    MockedResponse::Return(v) => TaskResponse::Succeeded { output: v.clone(), latency_ms },
                    MockedResponse::Throw { error, cause } => {
                        TaskResponse::Failed { error: error.clone(), cause: cause.clone(), latency_ms }
                    }
                    MockedResponse::Silent => TaskResponse::NoResponse,
                };
                match &m.submitted {
                    Some(output) => TaskResponse::Submitted { output: output.clone(), then: Box::new(response) },
                    None => response,
                }
            }
            None => TaskResponse::Failed {
                error: Rc::from("States.Runtime"),
                cause: Some(Rc::from(format!(
                    "The mocked response '{name}' for state '{}' has no answer for invocation {i}.",
                    request.state_name
                ))),
                latency_ms: 0,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key lists the editor offers are the keys the reader accepts.
    #[test]
    fn listed_fields_are_the_accepted_ones() {
        let unknown =
            |text: &str| MockConfig::from_text(text).err().is_some_and(|e| e.message.contains("Unknown field"));
        for key in MOCK_CONFIG_FIELDS.iter().chain(&["Bogus"]) {
            let extra = if matches!(*key, "StateMachines" | "MockedResponses") {
                String::new()
            } else {
                format!(r#", "{key}": []"#)
            };
            let text = format!(r#"{{"StateMachines": {{}}, "MockedResponses": {{}}{extra}}}"#);
            assert_eq!(unknown(&text), *key == "Bogus", "{key}");
        }
        for key in INVOCATION_FIELDS.iter().chain(&["Bogus"]) {
            let entry = match *key {
                "Return" => r#"{"Return": 1}"#.to_string(),
                "Throw" => r#"{"Throw": {"Error": "E"}}"#.to_string(),
                "Silent" => r#"{"Silent": true}"#.to_string(),
                k => format!(r#"{{"Return": 1, "{k}": 1}}"#),
            };
            let text = format!(r#"{{"StateMachines": {{}}, "MockedResponses": {{"R": {{"0": {entry}}}}}}}"#);
            assert_eq!(unknown(&text), *key == "Bogus", "{key}");
        }
        for key in THROW_FIELDS {
            let text = format!(
                r#"{{"StateMachines": {{}}, "MockedResponses": {{"R": {{"0": {{"Throw": {{"Error": "E", "{key}": "x"}}}}}}}}}}"#
            );
            assert!(MockConfig::from_text(&text).is_ok(), "{key}");
        }
    }

    const AWS_EXAMPLE: &str = r#"{
      "StateMachines": {"LambdaSQSIntegration": {"TestCases": {
        "HappyPath": {"LambdaState": "MockedLambdaSuccess", "SQSState": "MockedSQSSuccess"},
        "RetryPath": {"LambdaState": "MockedLambdaRetry", "SQSState": "MockedSQSSuccess"},
        "HybridPath": {"LambdaState": "MockedLambdaSuccess"}}}},
      "MockedResponses": {
        "MockedLambdaSuccess": {"0": {"Return": {"StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}}}},
        "MockedSQSSuccess": {"0": {"Return": {"MD5OfMessageBody": "x", "MessageId": "y"}}},
        "MockedLambdaRetry": {
          "0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "Lambda resource is not ready."}},
          "1-2": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "Lambda timed out."}},
          "3": {"Return": {"StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}}}}}}"#;

    #[test]
    fn reads_the_aws_example() {
        let cfg = MockConfig::from_text(AWS_EXAMPLE).unwrap();
        assert_eq!(cfg.test_case_names("LambdaSQSIntegration"), vec!["HappyPath", "RetryPath", "HybridPath"]);
        assert_eq!(cfg.responses.get("MockedLambdaRetry").map(|r| r.len()), Some(4));
    }

    #[test]
    fn rejects_bad_files_with_pointers() {
        let e = MockConfig::from_text(r#"{"StateMachines": {}, "MockedResponses": {"R": {"1": {"Return": 1}}}}"#)
            .unwrap_err();
        assert_eq!(e.pointer, "/MockedResponses/R");
        let e = MockConfig::from_text(
            r#"{"StateMachines": {}, "MockedResponses": {"R": {"0": {"Return": 1, "Throw": {}}}}}"#,
        )
        .unwrap_err();
        assert_eq!(e.pointer, "/MockedResponses/R/0");
        let e = MockConfig::from_text(
            r#"{"StateMachines": {"M": {"TestCases": {"T": {"S": "Nope"}}}}, "MockedResponses": {}}"#,
        )
        .unwrap_err();
        assert_eq!(e.pointer, "/StateMachines/M/TestCases/T/S");
        let e = MockConfig::from_text(r#"{"StateMachines": {}, "MockedResponses": {"R": {"2-1": {"Return": 1}}}}"#)
            .unwrap_err();
        assert!(e.message.contains("N <= M"));
        assert!(MockConfig::from_text("[").is_err());
    }

    #[test]
    fn extensions_latency_submitted_and_silence() {
        let cfg = MockConfig::from_text(
            r#"{"StateMachines": {"M": {"TestCases": {"T": {"S": "R"}}}},
                "MockedResponses": {"R": {
                  "0": {"Return": {"ok": 1}, "Latency": 2.5, "Submitted": {"MessageId": "m"}},
                  "1": {"Silent": true}}}}"#,
        )
        .unwrap();
        let mut services = cfg.test_case(None, "T", Box::new(super::super::ListedResponses::new())).unwrap();
        let resource = super::super::Resource::parse("arn:aws:states:::sqs:sendMessage.waitForTaskToken").unwrap();
        let request = TaskRequest {
            state_name: "S",
            resource: &resource,
            parameters: &Value::Null,
            task_token: None,
            retry_count: 0,
        };
        match services.call(&request) {
            TaskResponse::Submitted { output, then } => {
                assert_eq!(output.to_string(), r#"{"MessageId":"m"}"#);
                assert_eq!(
                    *then,
                    TaskResponse::Succeeded { output: json::parse(r#"{"ok": 1}"#).unwrap(), latency_ms: 2500 }
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(services.call(&request), TaskResponse::NoResponse);
        assert!(matches!(services.call(&request), TaskResponse::Failed { .. }));
        let e = MockConfig::from_text(
            r#"{"StateMachines": {}, "MockedResponses": {"R": {"0": {"Return": 1, "Latency": -1}}}}"#,
        )
        .unwrap_err();
        assert_eq!(e.pointer, "/MockedResponses/R/0/Latency");
    }
}
