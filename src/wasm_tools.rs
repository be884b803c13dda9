//! The WebAssembly tools module, built separately (`--features tools`), which the page never
//! loads: TestState (for the JS package) and the bindings the benchmarks and the wasm JSONata
//! suite use. Thin bindings over the library; keeping them out of the engine's module keeps
//! every page load smaller.

use crate::engine::{Execution, Options};
use crate::json;
use crate::services::MockConfig;
use crate::value::{Map, Value};
use crate::Definition;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

fn failure(message: &str) -> JsValue {
    let mut m = Map::new();
    m.insert("message", Value::from(message));
    JsValue::from_str(&Value::from(m).to_string())
}

/// TestState: `request` is the API's request as JSON text (`definition` (object or JSON
/// text), `input`, `stateName`, `inspectionLevel`, `mock`, `variables`, `context`,
/// `stateConfiguration`); answers the API's response, or `{"error", "message"}`.
#[wasm_bindgen]
pub fn test_state(request: &str) -> String {
    use crate::test_state::{test_state, TestStateError, TestStateRequest};
    let Ok(r) = json::parse(request) else {
        let e = TestStateError { error_type: "ValidationException".into(), message: "The request is not JSON".into() };
        return e.to_value().to_string();
    };
    match test_state(&TestStateRequest::from_value(&r)) {
        Ok(v) => v.to_string(),
        Err(e) => e.to_value().to_string(),
    }
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
        let mocks = if mock.trim().is_empty() {
            None
        } else {
            Some(MockConfig::from_text(mock).map_err(|e| failure(&e.to_string()))?)
        };
        Ok(Workload { definition: Rc::new(definition), input, mocks })
    }

    /// Runs the whole execution (event and payload limits raised, no inspection); returns
    /// `{"status", "events", "transitions"}` (transitions: [`Execution::state_transitions`]).
    pub fn run(&self) -> String {
        let options = Options { max_events: 10_000_000, payload_limit: usize::MAX, ..Options::default() };
        let (definition, input) = (self.definition.clone(), self.input.clone());
        let mut exec = match &self.mocks {
            Some(config) => match Execution::start_mocked(definition, input, options, config, None, "Bench") {
                Ok(exec) => exec,
                Err(e) => return failure(&e.to_string()).as_string().unwrap_or_default(),
            },
            None => Execution::start(definition, input, options),
        };
        exec.run();
        let mut m = Map::new();
        m.insert("status", Value::from(exec.status().as_str()));
        m.insert("events", Value::from(exec.history().len()));
        m.insert("transitions", Value::from(exec.state_transitions()));
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
            m.insert("error", e.to_value());
        }
    }
    Value::from(m).to_string()
}
