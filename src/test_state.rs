//! TestState: run one state alone, as AWS's `TestState` API does, and answer with its status
//! (SUCCEEDED, FAILED, RETRIABLE, CAUGHT_ERROR), output, next state and, at the DEBUG and TRACE
//! levels, the `inspectionData` of each data-flow stage.

use crate::definition::model::QueryLanguage;
use crate::definition::validate;
use crate::engine::{Execution, Inspection, Options, TestMode};
use crate::services::{check_mock_result, FieldValidationMode, ServiceLayer, TaskRequest, TaskResponse};
use crate::value::{Map, Value};
use crate::{json, Definition};
use std::rc::Rc;

/// How much TestState tells.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum InspectionLevel {
    #[default]
    Info,
    Debug,
    Trace,
}

impl InspectionLevel {
    pub fn parse(s: &str) -> Option<InspectionLevel> {
        match s {
            "INFO" => Some(InspectionLevel::Info),
            "DEBUG" => Some(InspectionLevel::Debug),
            "TRACE" => Some(InspectionLevel::Trace),
            _ => None,
        }
    }
}

/// A TestState request, as the API takes it.
#[derive(Clone, Debug, Default)]
pub struct TestStateRequest {
    /// One state, or a whole machine (then `state_name` picks the state; default `StartAt`).
    pub definition: Value,
    pub state_name: Option<String>,
    pub input: Value,
    pub inspection_level: InspectionLevel,
    /// `{"result": "<JSON text>"}` or `{"errorOutput": {"error", "cause"}}`, with an optional
    /// `fieldValidationMode`.
    pub mock: Option<Value>,
    /// Workflow variables in scope, as a JSON object.
    pub variables: Option<Value>,
    /// `stateConfiguration`: `retrierRetryCount`, `mapIterationFailureCount`, ...
    pub state_configuration: Option<Value>,
    /// The context object `$$` the state sees, given whole.
    pub context: Option<Value>,
    pub options: Options,
}

/// TestState refused the request: AWS's exception name and message.
#[derive(Clone, Debug, PartialEq)]
pub struct TestStateError {
    pub error_type: String,
    pub message: String,
}

impl TestStateRequest {
    /// The request from the API's JSON (`definition`, `input`, `stateName`, `inspectionLevel`,
    /// `mock`, `variables`, `context`, `stateConfiguration`). The fields the API takes as JSON
    /// text (`definition`, `input`, `variables`, `context`) may also be given as JSON; a text
    /// that is not JSON counts as absent. Default options.
    ///
    /// ```
    /// use aslplay::{json, test_state::{test_state, TestStateRequest}};
    /// let text = r#"{"definition": "{\"Type\": \"Pass\", \"End\": true}", "input": {"a": 1}, "inspectionLevel": "DEBUG"}"#;
    /// let answer = test_state(&TestStateRequest::from_value(&json::parse(text).unwrap())).unwrap();
    /// assert_eq!(answer.get("output").unwrap().as_str(), Some(r#"{"a":1}"#));
    /// assert!(answer.get("inspectionData").is_some());
    /// ```
    pub fn from_value(r: &Value) -> TestStateRequest {
        let value = |k: &str| match r.get(k) {
            Some(Value::String(s)) => json::parse(s).ok(),
            other => other.cloned(),
        };
        TestStateRequest {
            definition: value("definition").unwrap_or_default(),
            state_name: r.get("stateName").and_then(Value::as_str).map(str::to_string),
            input: value("input").unwrap_or(Value::Null),
            inspection_level: r
                .get("inspectionLevel")
                .and_then(Value::as_str)
                .and_then(InspectionLevel::parse)
                .unwrap_or_default(),
            mock: r.get("mock").cloned(),
            variables: value("variables"),
            state_configuration: r.get("stateConfiguration").cloned(),
            context: value("context"),
            options: Options::default(),
        }
    }
}

impl TestStateError {
    /// `{"error", "message"}`.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("error", Value::from(self.error_type.as_str()));
        m.insert("message", Value::from(self.message.as_str()));
        Value::from(m)
    }
}

fn invalid(message: impl Into<String>) -> TestStateError {
    TestStateError { error_type: "ValidationException".into(), message: message.into() }
}

/// Always answers with the TestState mock.
struct Mocked(TaskResponse);

impl ServiceLayer for Mocked {
    fn call(&mut self, _: &TaskRequest) -> TaskResponse {
        self.0.clone()
    }
}

/// Runs one state and answers as TestState does.
///
/// ```
/// use aslplay::test_state::{test_state, InspectionLevel, TestStateRequest};
/// let req = TestStateRequest {
///     definition: aslplay::json::parse(r#"{"Type": "Pass", "Result": {"a": 1}, "ResultPath": "$.r", "Next": "B"}"#).unwrap(),
///     input: aslplay::json::parse(r#"{"x": 0}"#).unwrap(),
///     inspection_level: InspectionLevel::Debug,
///     ..Default::default()
/// };
/// let res = test_state(&req).unwrap();
/// assert_eq!(res.get("status").unwrap().as_str(), Some("SUCCEEDED"));
/// assert_eq!(res.get("nextState").unwrap().as_str(), Some("B"));
/// assert_eq!(res.get("output").unwrap().as_str(), Some(r#"{"x":0,"r":{"a":1}}"#));
/// ```
pub fn test_state(req: &TestStateRequest) -> Result<Value, TestStateError> {
    if req.state_name.as_deref() == Some("") {
        return Err(TestStateError {
            error_type: "ParamValidationError".into(),
            message:
                "Parameter validation failed:\nInvalid length for parameter stateName, value: 0, valid min length: 1"
                    .into(),
        });
    }
    let mut def = req.definition.clone();
    if let (Some(states), Some(name)) = (def.get("States"), &req.state_name) {
        if states.get(name).is_none() {
            // A state inside a Parallel branch or Map processor is tested on its own, in the
            // query language it runs in.
            match find_nested(&def, name, def.get("QueryLanguage").cloned()) {
                Some(mut nested) => {
                    if let (Value::Object(m), Some(ql)) = (&mut nested.0, nested.1) {
                        if !m.contains_key("QueryLanguage") {
                            std::rc::Rc::make_mut(m).insert("QueryLanguage", ql);
                        }
                    }
                    def = nested.0;
                }
                None => return Err(invalid(format!("State '{name}' does not exist in the definition."))),
            }
        }
    }
    let def = &def;
    let (machine, _name) = match def.get("States") {
        Some(states) => {
            let name = match &req.state_name {
                Some(n) => n.clone(),
                None => def.get("StartAt").and_then(Value::as_str).unwrap_or_default().to_string(),
            };
            if states.get(&name).is_none() {
                return Err(invalid(format!("State '{name}' does not exist in the definition.")));
            }
            let problems: Vec<_> = validate::validate(def).into_iter().filter(|d| d.is_error()).collect();
            if let Some(message) = validate::definition_error_message(&problems) {
                return Err(TestStateError { error_type: "InvalidDefinition".into(), message });
            }
            let mut m = def.as_object().map(|m| (**m).clone()).unwrap_or_default();
            m.insert("StartAt", Value::from(name.as_str()));
            (Value::from(m), name)
        }
        None => {
            if !def.is_object() {
                return Err(invalid("The definition must be a JSON object"));
            }
            // A lone state is named `StateName`, and AWS locates its problems there.
            let problems: Vec<_> = validate::validate_state(def, &validate::Options::default())
                .into_iter()
                .filter(|d| d.is_error())
                .map(|mut d| {
                    if d.location.starts_with('/') {
                        d.location = format!("/States/StateName{}", d.location.trim_end_matches('/'));
                    }
                    d
                })
                .collect();
            if let Some(message) = validate::definition_error_message(&problems) {
                return Err(TestStateError { error_type: "InvalidDefinition".into(), message });
            }
            let name = "StateName".to_string();
            let mut states = Map::new();
            states.insert(name.as_str(), def.clone());
            // The states this one can go to exist only as names here.
            for target in targets(def) {
                if target != name && !states.contains_key(&target) {
                    let mut s = Map::new();
                    s.insert("Type", Value::from("Succeed"));
                    states.insert(target.as_str(), Value::from(s));
                }
            }
            let mut m = Map::new();
            if let Some(ql) = def.get("QueryLanguage") {
                m.insert("QueryLanguage", ql.clone());
            }
            m.insert("StartAt", Value::from(name.as_str()));
            m.insert("States", Value::from(states));
            (Value::from(m), name)
        }
    };
    let definition = Definition::from_value(machine).map_err(|d| TestStateError {
        error_type: "InvalidDefinition".into(),
        message: d.first().map(|d| d.message.clone()).unwrap_or_default(),
    })?;
    let definition = Rc::new(definition);
    let state_index = definition.lists[0].start_at;
    let state = &definition.lists[0].states[state_index];
    let jsonata = state.query_language == QueryLanguage::Jsonata;

    check_request(req, state)?;
    let mock = match &req.mock {
        Some(m) => {
            let response = mock_response(m)?;
            // A Task's mocked result is checked against the service's response shape.
            if let (crate::definition::model::Kind::Task(task), TaskResponse::Succeeded { output, .. }) =
                (&state.kind, &response)
            {
                if let Some(resource) = &task.parsed_resource {
                    let mode = match m.get("fieldValidationMode").and_then(Value::as_str) {
                        Some(text) => FieldValidationMode::parse(text)
                            .ok_or_else(|| invalid(format!("Invalid fieldValidationMode: {text}")))?,
                        None => FieldValidationMode::Strict,
                    };
                    check_mock_result(resource, output, mode).map_err(|e| invalid(e.message))?;
                }
            }
            Some(response)
        }
        None => None,
    };
    let variables = match &req.variables {
        Some(Value::Object(v)) => v.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(_) => return Err(invalid("variables must be a JSON object")),
    };
    let retrier_retry_count = req
        .state_configuration
        .as_ref()
        .and_then(|c| c.get("retrierRetryCount"))
        .and_then(Value::as_i64)
        .map(|n| n.max(0) as u32);
    let services: Box<dyn ServiceLayer> = match &mock {
        Some(m) => Box::new(Mocked(m.clone())),
        None => Box::new(crate::engine::default_services(&req.options)),
    };
    // TestState runs like a synchronous express execution: no RedriveCount in the context.
    let options = Options { inspect: true, synchronous: true, ..req.options.clone() };
    // No input (the API's `input` is optional) is an empty object.
    let input = if req.input.is_null() { Value::object() } else { req.input.clone() };
    let mut exec = Execution::start_with_services(definition.clone(), input.clone(), options, services);
    let map_iteration_failure_count = req
        .state_configuration
        .as_ref()
        .and_then(|c| c.get("mapIterationFailureCount"))
        .and_then(Value::as_i64)
        .map(|n| n.max(0) as u64);
    exec.set_test_mode(TestMode {
        mock,
        retrier_retry_count,
        retriable: false,
        variables,
        map_iteration_failure_count,
    });
    let context = match &req.context {
        Some(c) => c.clone(),
        None => default_context(&req.options, &input, state, retrier_retry_count.unwrap_or(0)),
    };
    exec.set_context(context);
    while exec.inspections().is_empty() && !exec.test_retriable() && exec.step().is_some() {}

    let mut out = Map::new();
    let inspection = exec.inspections().first().cloned().or_else(|| exec.current_inspection(0));
    let i = inspection.unwrap_or_default();
    let caught = i.catch_index.is_some() && i.output.is_some();
    let status = if exec.test_retriable() {
        "RETRIABLE"
    } else if caught {
        "CAUGHT_ERROR"
    } else if i.output.is_some() {
        "SUCCEEDED"
    } else {
        "FAILED"
    };
    if let Some(o) = i.output.as_ref().filter(|_| status == "SUCCEEDED" || status == "CAUGHT_ERROR") {
        out.insert("output", Value::from(json::to_string(o)));
    }
    if status != "SUCCEEDED" {
        let error = i.error.clone().or_else(|| exec.error().map(Rc::from));
        let cause = i.cause.clone().or_else(|| exec.cause().map(Rc::from));
        if let Some(e) = error.filter(|e| !e.is_empty()) {
            out.insert("error", Value::String(e));
        }
        if let Some(c) = cause.filter(|c| !c.is_empty()) {
            // TestState's answers carry no event ids, nor the execution's cause prefix.
            let c = match c.strip_prefix("An error occurred while executing the state '") {
                Some(rest) => rest.split_once("). ").map_or(c.clone(), |(_, tail)| Rc::from(tail)),
                None => c,
            };
            out.insert("cause", Value::String(c));
        }
    }
    if let Some(n) = i.next_state.as_ref().filter(|_| status == "SUCCEEDED" || status == "CAUGHT_ERROR") {
        out.insert("nextState", Value::String(n.clone()));
    }
    out.insert("status", Value::from(status));
    if req.inspection_level != InspectionLevel::Info {
        out.insert(
            "inspectionData",
            inspection_data(&i, state.kind.type_name(), jsonata, state_has_result(&definition, state_index)),
        );
    }
    Ok(Value::from(out))
}

/// A state nested in a branch or processor, with the query language it inherits.
fn find_nested(machine: &Value, name: &str, ql: Option<Value>) -> Option<(Value, Option<Value>)> {
    let ql = machine.get("QueryLanguage").cloned().or(ql);
    let states = machine.get("States")?.as_object()?;
    if let Some(s) = states.get(name) {
        return Some((s.clone(), ql));
    }
    for s in states.values() {
        let inner_ql = s.get("QueryLanguage").cloned().or_else(|| ql.clone());
        let mut lists: Vec<&Value> =
            s.get("Branches").and_then(Value::as_array).map(|b| b.iter().collect()).unwrap_or_default();
        lists.extend(s.get("ItemProcessor").or_else(|| s.get("Iterator")));
        for list in lists {
            if let Some(found) = find_nested(list, name, inner_ql.clone()) {
                return Some(found);
            }
        }
    }
    None
}

fn state_has_result(def: &Definition, index: usize) -> bool {
    matches!(def.lists[0].states[index].kind, crate::definition::model::Kind::Pass { result: Some(_) })
}

/// The names a state may go to: `Next`, `Default`, each Choice rule's and Catcher's `Next`.
fn targets(state: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |v: Option<&Value>| {
        if let Some(s) = v.and_then(Value::as_str) {
            out.push(s.to_string());
        }
    };
    push(state.get("Next"));
    push(state.get("Default"));
    for key in ["Choices", "Catch"] {
        if let Some(list) = state.get(key).and_then(Value::as_array) {
            for item in list.iter() {
                push(item.get("Next"));
            }
        }
    }
    out
}

/// The context object TestState gives a state when the request has none: an express
/// execution's, with no role, and the state named `StateName`.
fn default_context(
    options: &Options,
    input: &Value,
    state: &crate::definition::model::State,
    retry_count: u32,
) -> Value {
    use crate::definition::model::Kind;
    let ids = &options.ids;
    let start = crate::time::format_iso(options.start_time);
    let mut e = Map::new();
    e.insert(
        "Id",
        Value::from(format!(
            "arn:{}:states:{}:{}:express:{}:{}",
            ids.partition, ids.region, ids.account_id, ids.state_machine_name, ids.execution_name
        )),
    );
    e.insert("Input", input.clone());
    e.insert("Name", Value::from(ids.execution_name.as_str()));
    e.insert("RoleArn", if ids.role_arn.is_empty() { Value::Null } else { Value::from(ids.role_arn.as_str()) });
    e.insert("StartTime", Value::from(start.as_str()));
    let mut sm = Map::new();
    sm.insert("Id", Value::from(ids.state_machine_arn()));
    sm.insert("Name", Value::from(ids.state_machine_name.as_str()));
    let mut st = Map::new();
    st.insert("Name", Value::from("StateName"));
    st.insert("EnteredTime", Value::from(start.as_str()));
    if matches!(state.kind, Kind::Task(_) | Kind::Map(_) | Kind::Parallel { .. }) {
        st.insert("RetryCount", Value::from(retry_count as i64));
    }
    let mut c = Map::new();
    c.insert("Execution", Value::from(e));
    c.insert("StateMachine", Value::from(sm));
    c.insert("State", Value::from(st));
    Value::from(c)
}

/// The checks TestState makes on the request before running anything.
fn check_request(req: &TestStateRequest, state: &crate::definition::model::State) -> Result<(), TestStateError> {
    use crate::definition::model::Kind;
    let type_name = state.kind.type_name();
    let map_failures = req.state_configuration.as_ref().and_then(|c| c.get("mapIterationFailureCount"));
    match &req.mock {
        None if matches!(state.kind, Kind::Map(_) | Kind::Parallel { .. }) => {
            if map_failures.is_some() {
                return Err(invalid(
                    "TestState does not support MapIterationFailureCount when a mock is not specified.",
                ));
            }
            return Err(TestStateError {
                error_type: "InvalidDefinition".into(),
                message: "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]".into(),
            });
        }
        None => {}
        Some(_) if !matches!(state.kind, Kind::Task(_) | Kind::Map(_) | Kind::Parallel { .. }) => {
            return Err(invalid(format!("State type '{type_name}' is not supported when a mock is specified")));
        }
        Some(m) => {
            if m.get("result").is_some() && m.get("errorOutput").is_some() {
                return Err(invalid(
                    "A test mock should have only one of the following fields: [result, errorOutput].",
                ));
            }
            if let Some(text) = m.get("result").and_then(Value::as_str) {
                let result = json::parse(text).map_err(|_| invalid("Mocked result must be valid JSON"))?;
                match &state.kind {
                    Kind::Parallel { branches } if result.as_array().map(|a| a.len()) != Some(branches.len()) => {
                        return Err(invalid(
                            "Mocked result must contain the same number of items as number of Parallel branches.",
                        ));
                    }
                    Kind::Map(m) if m.raw.get("ResultWriter").is_some() && !result.is_object() => {
                        return Err(invalid("Mocked result must be a JSON object."));
                    }
                    Kind::Map(_) => {
                        let failures = map_failures.and_then(Value::as_i64).unwrap_or(0);
                        if failures > result.as_array().map_or(0, |a| a.len() as i64) {
                            return Err(invalid(
                                "Map iteration failure count must be less than or equal to the number of Map iterations",
                            ));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    if let Some(context) = &req.context {
        check_context(context, state)?;
    }
    Ok(())
}

/// TestState's rules for a context object given whole.
fn check_context(context: &Value, state: &crate::definition::model::State) -> Result<(), TestStateError> {
    use crate::definition::model::Kind;
    let bad = |m: String| invalid(format!("Invalid Context object provided: {m}"));
    let Some(fields) = context.as_object() else { return Err(bad("The context object must be a JSON object".into())) };
    for (key, value) in fields.iter() {
        match &**key {
            "Map" => return Err(bad("'Map' field is not supported when mocking a Context object".into())),
            "Task" => {
                let callback = matches!(&state.kind, Kind::Task(t) if t.resource.ends_with(".sync") || t.resource.ends_with(".sync:2") || t.resource.ends_with(".waitForTaskToken"));
                if !callback {
                    return Err(bad(
                        "Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern"
                            .into(),
                    ));
                }
            }
            "Execution" | "State" | "StateMachine" => {
                for (field, v) in value
                    .as_object()
                    .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>())
                    .unwrap_or_default()
                {
                    let must_be_string = matches!(&*field, "Id" | "Name" | "RoleArn" | "StartTime" | "EnteredTime");
                    if must_be_string && !v.is_string() {
                        return Err(bad(format!("{key}.{field} must be a string")));
                    }
                }
            }
            other => return Err(bad(format!("Field '{other}' is not allowed"))),
        }
    }
    Ok(())
}

/// The TestState mock as a service answer.
fn mock_response(m: &Value) -> Result<TaskResponse, TestStateError> {
    match (m.get("result"), m.get("errorOutput")) {
        (Some(r), None) => {
            let text = r.as_str().ok_or_else(|| invalid("The mock result must be a JSON string"))?;
            let output = json::parse(text).map_err(|e| invalid(format!("The mock result is not valid JSON: {e}")))?;
            Ok(TaskResponse::Succeeded { output, latency_ms: 0 })
        }
        (None, Some(e)) => Ok(TaskResponse::Failed {
            error: Rc::from(e.get("error").and_then(Value::as_str).unwrap_or("")),
            cause: e.get("cause").and_then(Value::as_str).map(Rc::from),
            latency_ms: 0,
        }),
        _ => Err(invalid("A mock must have exactly one of result and errorOutput")),
    }
}

/// `inspectionData` as TestState shows it for this kind of state (values as JSON text).
fn inspection_data(i: &Inspection, state_type: &str, jsonata: bool, pass_with_result: bool) -> Value {
    let mut m = Map::new();
    let mut put = |k: &str, v: &Option<Value>| {
        if let Some(v) = v {
            m.insert(k, Value::from(json::to_string(v)));
        }
    };
    put("input", &Some(i.input.clone()));
    if jsonata {
        put("afterArguments", &i.after_arguments);
        if state_type == "Task" {
            put("result", &i.result);
        }
    } else {
        match state_type {
            "Pass" if pass_with_result => {
                put("result", &i.result);
                put("afterResultSelector", &i.after_result_selector);
                put("afterResultPath", &i.after_result_path);
            }
            "Pass" => {
                put("afterInputPath", &i.after_input_path);
                put("afterParameters", &i.after_parameters);
                put("afterResultSelector", &i.after_result_selector);
                put("afterResultPath", &i.after_result_path);
            }
            "Task" => {
                put("afterInputPath", &i.after_input_path);
                put("afterParameters", &i.after_parameters);
                put("result", &i.result);
                put("afterResultSelector", &i.after_result_selector);
                put("afterResultPath", &i.after_result_path);
            }
            "Parallel" => {
                put("afterResultSelector", &i.after_result_selector);
                put("afterResultPath", &i.after_result_path);
            }
            "Map" => {
                put("afterInputPath", &i.after_input_path);
                put("afterItemsPath", &i.after_items_path);
                put("afterResultSelector", &i.after_result_selector);
                put("afterResultPath", &i.after_result_path);
            }
            _ => put("afterInputPath", &i.after_input_path),
        }
    }
    if let Some(v) = &i.variables {
        m.insert("variables", Value::from(json::to_string(v)));
    }
    if state_type == "Map" {
        if let Some(n) = i.max_concurrency {
            m.insert("maxConcurrency", Value::from(n as i64));
        }
        if let Some(n) = i.tolerated_failure_count {
            m.insert("toleratedFailureCount", Value::from(n as i64));
        }
        if let Some(n) = i.tolerated_failure_percentage {
            m.insert("toleratedFailurePercentage", Value::from(n));
        }
    }
    if i.retry_index.is_some() || i.catch_index.is_some() {
        m.insert("errorDetails", i.error_details());
    }
    Value::from(m)
}
