//! The WebAssembly face of the library, for the page's Web Worker: thin wasm-bindgen
//! bindings that pass JSON text across the boundary. No logic lives here; every rule is in
//! the library.

use crate::distributed::ObjectStore;
use crate::engine::setup::{self, Located, RunRequest};
use crate::engine::Execution;
use crate::json;
use crate::value::Value;
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
        Err(e) => Located::from(e).to_value().to_string(),
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
    match setup::check_mock(text) {
        Ok(()) => "null".to_string(),
        Err(e) => e.to_value().to_string(),
    }
}

/// One execution, advanced by the page's worker.
#[wasm_bindgen]
pub struct Session {
    exec: Execution,
    /// The mocked S3 as the run started, to tell which objects the run wrote.
    initial_store: Option<ObjectStore>,
}

#[wasm_bindgen]
impl Session {
    /// Starts an execution; with a MockConfigFile (`mock` not blank), its Task states are
    /// answered from `test_case` of `state_machine` (blank: the file's only one).
    /// `start_time` is the virtual clock's start as RFC 3339 text (absent or blank: the
    /// engine's default, 2025-01-01T00:00:00Z). Fails with JSON text `{"message",
    /// "validation"?}` when the definition is invalid or the input, start time or mock
    /// configuration is not usable. `max_events` and `max_payload` (bytes) raise or lower
    /// AWS's limits of 25,000 history events and 256 KiB payloads (absent: AWS's).
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)] // the JavaScript constructor's positional arguments
    pub fn new(
        definition: &str,
        input: &str,
        mock: &str,
        state_machine: &str,
        test_case: &str,
        seed: u32,
        start_time: Option<String>,
        max_events: Option<u32>,
        max_payload: Option<u32>,
    ) -> Result<Session, JsValue> {
        let start_time = start_time.as_deref();
        let request = RunRequest {
            definition,
            input,
            mock,
            state_machine,
            test_case,
            seed: u64::from(seed),
            start_time,
            inspect: true,
            max_events: max_events.map(|n| n as usize),
            max_payload: max_payload.map(|n| n as usize),
        };
        let exec = setup::start(&request).map_err(|e| JsValue::from_str(&e.to_value().to_string()))?;
        let initial_store = exec.object_store().cloned();
        Ok(Session { exec, initial_store })
    }

    /// Advances by up to `n` events; returns them as a JSON array text (`[]` once ended).
    pub fn run_batch(&mut self, n: u32) -> String {
        self.events_within(n, usize::MAX)
    }

    /// Aborts the execution; returns the new events (the `ExecutionAborted` one) as JSON.
    pub fn stop(&mut self) -> String {
        self.exec.stop(None, None);
        // The events not yet handed out, ending with `ExecutionAborted`.
        self.run_batch(u32::MAX)
    }

    /// What happened inside the state visit whose `*StateEntered` event has id
    /// `entered_event` (each data-flow stage, variables, error, retry or catch) as JSON text;
    /// `"null"` until that visit has finished.
    pub fn inspection(&self, entered_event: u32) -> String {
        match self.exec.inspection(u64::from(entered_event)) {
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

    /// State transitions so far: states entered plus retries ([`Execution::state_transitions`]).
    pub fn state_transitions(&self) -> u32 {
        u32::try_from(self.exec.state_transitions()).unwrap_or(u32::MAX)
    }
}

// Paged, on-demand views of a run's distributed Map runs and of its mocked S3, so the worker
// never ships 100,000 child histories to the page.

#[wasm_bindgen]
impl Session {
    /// Advances by up to `max_events` events of the execution's own history, or
    /// until `budget` scheduler turns are spent (a distributed Map's children take many turns
    /// without one); returns the new events as a JSON array text.
    pub fn run_slice(&mut self, max_events: u32, budget: u32) -> String {
        self.events_within(max_events, budget as usize)
    }

    /// Up to `max_events` next events, taking at most `budget` scheduler turns, as a JSON
    /// array text.
    fn events_within(&mut self, max_events: u32, mut budget: usize) -> String {
        let mut out = String::from("[");
        for i in 0..max_events {
            let Some(event) = self.exec.step_within(&mut budget) else { break };
            if i > 0 {
                out.push(',');
            }
            out.push_str(&json::to_string(&event.to_value()));
        }
        out.push(']');
        out
    }

    /// Every distributed Map run of the execution (nested ones too) as a JSON array text of
    /// `{"mapRunArn", "mapState", "status", "startedEventId", "parent" (null, or the
    /// `{"mapRunArn", "index"}` of the child execution that started it), "startDate",
    /// "stopDate" (ms on the virtual clock), "error", "cause", "itemCounts": {"pending",
    /// "running", "succeeded", "failed", "timedOut", "aborted", "total"}}`.
    pub fn map_runs(&self) -> String {
        let runs: Vec<Value> = self.exec.map_runs().iter().map(|r| r.to_value()).collect();
        json::to_string(&Value::from(runs))
    }

    /// One page of a map run's child executions, in item order: those whose status is
    /// `status_filter` (blank: all), skipping `offset`, at most `limit`. Answers `{"matching",
    /// "offset", "children": [{"index", "name", "status", "startDate", "stopDate"}]}`.
    pub fn map_run_children(&self, map_run_arn: &str, status_filter: &str, offset: u32, limit: u32) -> String {
        let filter = (!status_filter.is_empty()).then_some(status_filter);
        let page = self.exec.map_run_children(map_run_arn, filter, offset as usize, limit as usize);
        json::to_string(&page.to_value())
    }

    /// The child execution of a map run for item `index`: `{"name", "status", "input",
    /// "output", "error", "cause", "events"}` (its whole history, AWS's shape), or `null`.
    pub fn child_execution(&self, map_run_arn: &str, index: u32) -> String {
        match self.exec.child_execution(map_run_arn, index as usize) {
            Some(c) => json::to_string(&c.detail_value()),
            None => "null".to_string(),
        }
    }

    /// The run's mocked S3 now: `{"buckets", "objects": [{"bucket", "key", "size",
    /// "lastModified", "written"}]}`, `written` for objects the run put there (a
    /// `ResultWriter`'s manifest and results) or changed.
    pub fn s3_objects(&self) -> String {
        let empty = ObjectStore::new(0);
        let store = self.exec.object_store().unwrap_or(&empty);
        json::to_string(&store.listing_value(self.initial_store.as_ref()))
    }

    /// One object of the run's mocked S3: `{"size", "content", "truncated"}` with at most
    /// `max_bytes` of its text (0: all of it), or `null` when there is no such object.
    pub fn s3_object(&self, bucket: &str, key: &str, max_bytes: u32) -> String {
        match self.exec.object_store().map(|s| s.get(bucket, key)) {
            Some(Ok(object)) => json::to_string(&object.excerpt_value(max_bytes as usize)),
            _ => "null".to_string(),
        }
    }
}

/// The S3 objects a mock configuration gives a run, like `Session::s3_objects` (none is
/// `written`), or `{"message", "line", "column"}` when the configuration is not usable.
#[wasm_bindgen]
pub fn mock_s3_objects(mock: &str) -> String {
    match setup::mock_object_store(mock) {
        Ok(store) => json::to_string(&store.listing_value(Some(&store))),
        Err(e) => e.to_value().to_string(),
    }
}

/// One object of a mock configuration's S3, like `Session::s3_object`.
#[wasm_bindgen]
pub fn mock_s3_object(mock: &str, bucket: &str, key: &str, max_bytes: u32) -> String {
    match setup::mock_object_store(mock).ok().as_ref().map(|s| s.get(bucket, key)) {
        Some(Ok(object)) => json::to_string(&object.excerpt_value(max_bytes as usize)),
        _ => "null".to_string(),
    }
}
