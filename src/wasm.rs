//! The WebAssembly face of the library, for the page's Web Worker: thin wasm-bindgen
//! bindings that pass JSON text across the boundary. No logic lives here; every rule is in
//! the library.

use crate::engine::{Execution, Options};
use crate::json;
use crate::services::{MockConfig, ServiceLayer};
use crate::value::{Map, Value};
use crate::Definition;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The crate version, so the page can show which engine it runs.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Checks that `text` is JSON: `"null"` when it is, else `{"message","line","column"}`.
#[wasm_bindgen]
pub fn check_json(text: &str) -> String {
    match json::parse(text) {
        Ok(_) => "null".to_string(),
        Err(e) => located(&e.message, e.line, e.column),
    }
}

/// Validates a definition: AWS's `ValidateStateMachineDefinition` JSON, with `line` and
/// `column` on each diagnostic.
#[wasm_bindgen]
pub fn validate(definition: &str) -> String {
    crate::validate(definition).to_value().to_string()
}

/// Checks a MockConfigFile: `"null"` when the library accepts it, else
/// `{"message","line","column"}` (the place of the problem, or of the JSON syntax error).
#[wasm_bindgen]
pub fn check_mock(text: &str) -> String {
    let (_, map) = match json::parse_with_source_map(text) {
        Ok(parsed) => parsed,
        Err(e) => return located(&e.message, e.line, e.column),
    };
    match MockConfig::from_text(text) {
        Ok(_) => "null".to_string(),
        Err(e) => {
            let (line, column) = map.locate(&e.pointer).unwrap_or((1, 1));
            located(&e.message, line, column)
        }
    }
}

/// One execution, advanced by the page's worker.
#[wasm_bindgen]
pub struct Session {
    exec: Execution,
}

#[wasm_bindgen]
impl Session {
    /// Starts an execution; with a MockConfigFile (`mock` not blank), its Task states are
    /// answered from `test_case` of `state_machine` (blank: the file's only one).
    /// `start_time` is the virtual clock's start as RFC 3339 text (absent or blank: the
    /// engine's default, 2025-01-01T00:00:00Z). Fails with JSON text `{"message",
    /// "validation"?}` when the definition is invalid or the input, start time or mock
    /// configuration is not usable.
    #[wasm_bindgen(constructor)]
    pub fn new(
        definition: &str,
        input: &str,
        mock: &str,
        state_machine: &str,
        test_case: &str,
        seed: u32,
        start_time: Option<String>,
    ) -> Result<Session, JsValue> {
        let definition = Definition::from_text(definition).map_err(|v| {
            let mut m = Map::new();
            m.insert("message", Value::from("The definition is not valid"));
            m.insert("validation", v.to_value());
            JsValue::from_str(&Value::from(m).to_string())
        })?;
        let input = if input.trim().is_empty() { Ok(Value::from(Map::new())) } else { json::parse(input) };
        let input = input.map_err(|e| failure(&format!("Execution input: {e}")))?;
        let mut options = Options { seed: u64::from(seed), inspect: true, ..Options::default() };
        if let Some(text) = start_time.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            options.start_time = crate::time::parse_rfc3339(text).ok_or_else(|| {
                failure(&format!("Start time: {text:?} is not an RFC 3339 timestamp (like 2025-01-01T00:00:00Z)"))
            })?;
        }
        // States the mock configuration does not answer get the default responses.
        let fallback = Box::new(crate::engine::default_services(&options));
        let mut store = None;
        let services: Box<dyn ServiceLayer> = if mock.trim().is_empty() {
            fallback
        } else {
            let config = MockConfig::from_text(mock).map_err(|e| failure(&format!("Mock configuration: {e}")))?;
            // The S3 objects distributed Maps read (the `S3Objects` extension).
            store = Some(
                crate::distributed::ObjectStore::from_value(config.source(), options.start_time)
                    .map_err(|e| failure(&format!("Mock configuration: {e}")))?,
            );
            let named = (!state_machine.is_empty()).then_some(state_machine);
            if let Some(name) = named {
                options.ids.state_machine_name = name.to_string();
            }
            let services = config
                .test_case(named, test_case, fallback)
                .map_err(|e| failure(&format!("Mock configuration: {e}")))?;
            Box::new(services)
        };
        let mut exec = Execution::start_with_services(Rc::new(definition), input, options, services);
        if let Some(store) = store {
            exec.set_object_store(store);
        }
        Ok(Session { exec })
    }

    /// Advances by up to `n` events; returns them as a JSON array text (`[]` once ended).
    pub fn run_batch(&mut self, n: u32) -> String {
        let mut out = String::from("[");
        for i in 0..n {
            let Some(event) = self.exec.step() else { break };
            if i > 0 {
                out.push(',');
            }
            out.push_str(&json::to_string(&event.to_value()));
        }
        out.push(']');
        out
    }

    /// Aborts the execution; returns the new events (the `ExecutionAborted` one) as JSON.
    pub fn stop(&mut self) -> String {
        let before = self.exec.history().len();
        self.exec.stop(None, None);
        let events: Vec<Value> = self.exec.history().iter().skip(before).map(|e| e.to_value()).collect();
        json::to_string(&Value::from(events))
    }

    /// What happened inside the state visit whose `*StateEntered` event has id
    /// `entered_event` (each data-flow stage, variables, error, retry or catch) as JSON text;
    /// `"null"` until that visit has finished.
    pub fn inspection(&self, entered_event: u32) -> String {
        let id = u64::from(entered_event);
        match self.exec.inspections().iter().find(|i| i.entered_event == id && i.child_execution.is_none()) {
            Some(found) => json::to_string(&found.to_value()),
            None => "null".to_string(),
        }
    }

    /// `RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT` or `ABORTED`.
    pub fn status(&self) -> String {
        self.exec.status().as_str().to_string()
    }

    /// `{"status", "output", "error", "cause"}` as JSON text.
    pub fn result(&self) -> String {
        json::to_string(&self.exec.result_value())
    }
}

fn failure(message: &str) -> JsValue {
    let mut m = Map::new();
    m.insert("message", Value::from(message));
    JsValue::from_str(&Value::from(m).to_string())
}

/// `{"message","line","column"}` as JSON text: a problem and where it is.
fn located(message: &str, line: usize, column: usize) -> String {
    let mut m = Map::new();
    m.insert("message", Value::from(message));
    m.insert("line", Value::from(line));
    m.insert("column", Value::from(column));
    Value::from(m).to_string()
}


/// A benchmark workload (`benches/wasm.mjs`): the definition, input and mocks are read once,
/// then `run` times only the execution, as the peer's benchmark does.
#[wasm_bindgen]
pub struct Workload {
    definition: Rc<Definition>,
    input: Value,
    mocks: Option<MockConfig>,
}

#[wasm_bindgen]
impl Workload {
    #[wasm_bindgen(constructor)]
    pub fn new(definition: &str, input: &str, mock: &str) -> Result<Workload, JsValue> {
        let definition = Definition::from_text(definition).map_err(|v| JsValue::from_str(&v.to_value().to_string()))?;
        let input = json::parse(input).map_err(|e| failure(&e.to_string()))?;
        let mocks = if mock.trim().is_empty() { None } else { Some(MockConfig::from_text(mock).map_err(|e| failure(&e.to_string()))?) };
        Ok(Workload { definition: Rc::new(definition), input, mocks })
    }

    /// Runs the whole execution (event and payload limits raised, no inspection); returns
    /// `{"status", "events", "transitions"}`.
    pub fn run(&self) -> String {
        let options = Options { max_events: 10_000_000, payload_limit: usize::MAX, ..Options::default() };
        let fallback = Box::new(crate::engine::default_services(&options));
        let services: Box<dyn ServiceLayer> = match &self.mocks {
            Some(config) => match config.test_case(None, "Bench", fallback) {
                Ok(s) => Box::new(s),
                Err(e) => return failure(&e.to_string()).as_string().unwrap_or_default(),
            },
            None => fallback,
        };
        let mut exec = Execution::start_with_services(self.definition.clone(), self.input.clone(), options, services);
        exec.run();
        let transitions = exec.history().iter().filter(|e| matches!(e.event_type, crate::EventType::StateEntered(_))).count();
        let mut m = Map::new();
        m.insert("status", Value::from(exec.status().as_str()));
        m.insert("events", Value::from(exec.history().len()));
        m.insert("transitions", Value::from(transitions));
        Value::from(m).to_string()
    }
}

/// Evaluates a JSONata expression as the official suite runs it (`benches` and the wasm
/// suite test): `input` is JSON text or empty for none, `bindings` a JSON object text (or
/// empty), `max_depth`/`max_steps` 0 for the defaults. Answers `{"result": ...}`,
/// `{"undefined": true}` or `{"error": {"code", "message", "token", "value"}}`.
#[wasm_bindgen]
pub fn jsonata_evaluate(expression: &str, input: &str, bindings: &str, max_depth: u32, max_steps: u32) -> String {
    use crate::jsonata::{Environment, Expression};
    let mut env = Environment::new();
    env.set_now_millis(1_700_000_000_000);
    if max_depth > 0 {
        env.set_max_depth(max_depth as usize);
    }
    if max_steps > 0 {
        env.set_max_steps(u64::from(max_steps));
    }
    if let Ok(Value::Object(b)) = json::parse(bindings) {
        for (k, v) in b.iter() {
            env.bind(k, v.clone());
        }
    }
    let input = if input.is_empty() { None } else { json::parse(input).ok() };
    let outcome = Expression::parse(expression).and_then(|e| e.evaluate(input.as_ref(), &env));
    let mut m = Map::new();
    match outcome {
        Ok(Some(v)) => {
            m.insert("result", v);
        }
        Ok(None) => {
            m.insert("undefined", Value::Bool(true));
        }
        Err(e) => {
            let mut err = Map::new();
            err.insert("code", Value::from(e.code));
            err.insert("message", Value::from(e.message));
            err.insert("token", e.token.map_or(Value::Null, Value::from));
            err.insert("value", e.value.unwrap_or(Value::Null));
            m.insert("error", Value::from(err));
        }
    }
    Value::from(m).to_string()
}

/// TestState: `request` is the API's request as JSON text (`definition` (object or JSON
/// text), `input`, `stateName`, `inspectionLevel`, `mock`, `variables`, `context`,
/// `stateConfiguration`); answers the API's response, or `{"error", "message"}`.
#[wasm_bindgen]
pub fn test_state(request: &str) -> String {
    use crate::test_state::{test_state, InspectionLevel, TestStateRequest};
    let Ok(r) = json::parse(request) else {
        let mut m = Map::new();
        m.insert("error", Value::from("ValidationException"));
        m.insert("message", Value::from("The request is not JSON"));
        return Value::from(m).to_string();
    };
    // Fields the API takes as JSON text may also be given as JSON.
    let value = |k: &str| match r.get(k) {
        Some(Value::String(s)) if k != "stateName" && k != "inspectionLevel" => json::parse(s).ok(),
        other => other.cloned(),
    };
    let req = TestStateRequest {
        definition: value("definition").unwrap_or_default(),
        state_name: r.get("stateName").and_then(Value::as_str).map(str::to_string),
        input: value("input").unwrap_or(Value::Null),
        inspection_level: r.get("inspectionLevel").and_then(Value::as_str).and_then(InspectionLevel::parse).unwrap_or_default(),
        mock: r.get("mock").cloned(),
        variables: value("variables"),
        state_configuration: r.get("stateConfiguration").cloned(),
        context: value("context"),
        options: Options::default(),
    };
    match test_state(&req) {
        Ok(v) => v.to_string(),
        Err(e) => {
            let mut m = Map::new();
            m.insert("error", Value::from(e.error_type));
            m.insert("message", Value::from(e.message));
            Value::from(m).to_string()
        }
    }
}
