//! The WebAssembly face of the library, for the page's Web Worker: thin wasm-bindgen
//! bindings that pass JSON text across the boundary. No logic lives here; every rule is in
//! the library.

use crate::distributed::ObjectStore;
use crate::engine::{ChildExecution, Execution, Options, Status};
use crate::history::{EventType, HistoryEvent};
use crate::json;
use crate::services::MockConfig;
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
    if let Some(objects) = s3_only(text, Options::default().start_time) {
        return objects.map_or_else(|e| located_at(&map, &e.pointer, &e.message), |_| "null".to_string());
    }
    match MockConfig::from_text(text) {
        // The S3 objects too (the `S3Objects` extension), as a run would read them.
        Ok(config) => match ObjectStore::from_value(config.source(), 0) {
            Ok(_) => "null".to_string(),
            Err(e) => located_at(&map, &e.pointer, &e.message),
        },
        Err(e) => located_at(&map, &e.pointer, &e.message),
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
                failure(&format!(
                    "Start time: {} is not an RFC 3339 timestamp (like 2025-01-01T00:00:00Z)",
                    Value::from(text)
                ))
            })?;
        }
        let definition = Rc::new(definition);
        let exec = if mock.trim().is_empty() {
            Execution::start(definition, input, options)
        } else if let Some(objects) = s3_only(mock, options.start_time) {
            // Only S3 objects: no service is mocked.
            let store = objects.map_err(|e| failure(&format!("Mock configuration: {}", e.message)))?;
            let mut exec = Execution::start(definition, input, options);
            exec.set_object_store(store);
            exec
        } else {
            let config = MockConfig::from_text(mock).map_err(|e| failure(&format!("Mock configuration: {e}")))?;
            let named = (!state_machine.is_empty()).then_some(state_machine);
            if let Some(name) = named {
                options.ids.state_machine_name = name.to_string();
            }
            // States the test case does not mock get the default responses; distributed Maps
            // read the configuration's `S3Objects`.
            Execution::start_mocked(definition, input, options, &config, named, test_case)
                .map_err(|e| failure(&format!("Mock configuration: {e}")))?
        };
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
        let id = u64::from(entered_event);
        match self.exec.inspections().iter().find(|i| i.entered_event == id) {
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

fn failure(message: &str) -> JsValue {
    let mut m = Map::new();
    m.insert("message", Value::from(message));
    JsValue::from_str(&Value::from(m).to_string())
}

/// `located` at the place of a JSON pointer in the text `map` was made from.
fn located_at(map: &json::SourceMap, pointer: &str, message: &str) -> String {
    let (line, column) = map.locate(pointer).unwrap_or((1, 1));
    located(message, line, column)
}

/// `{"message","line","column"}` as JSON text: a problem and where it is.
fn located(message: &str, line: usize, column: usize) -> String {
    let mut m = Map::new();
    m.insert("message", Value::from(message));
    m.insert("line", Value::from(line));
    m.insert("column", Value::from(column));
    Value::from(m).to_string()
}

// Paged, on-demand views of a run's distributed Map runs and of its mocked S3, so the worker
// never ships 100,000 child histories to the page.

/// Item counts of one map run, as DescribeMapRun's `itemCounts` names them.
#[derive(Default, Clone, Copy)]
struct ItemCounts {
    running: usize,
    succeeded: usize,
    failed: usize,
    timed_out: usize,
    aborted: usize,
}

impl ItemCounts {
    fn add(&mut self, status: Status) {
        match status {
            Status::Running => self.running += 1,
            Status::Succeeded => self.succeeded += 1,
            Status::Failed => self.failed += 1,
            Status::TimedOut => self.timed_out += 1,
            Status::Aborted => self.aborted += 1,
        }
    }

    fn started(&self) -> usize {
        self.running + self.succeeded + self.failed + self.timed_out + self.aborted
    }
}

/// One map run found in a history: where it started and how it ended, if it has.
struct FoundRun<'a> {
    arn: Rc<str>,
    started: &'a HistoryEvent,
    ended: Option<&'a HistoryEvent>,
    map_state: Option<Rc<str>>,
    /// The child execution whose history holds it (`None`: the execution's own history).
    owner: Option<&'a ChildExecution>,
}

/// The map runs started in one history, each with the event that ended it. A map run's end
/// event follows its `MapRunStarted` directly in the Map state's chain of events (its
/// `previousEventId`), since the children write their own histories.
fn runs_in<'a>(events: &'a [HistoryEvent], owner: Option<&'a ChildExecution>, out: &mut Vec<FoundRun<'a>>) {
    let from = out.len();
    for e in events {
        match e.event_type {
            EventType::MapRunStarted => {
                let Some(arn) = e.details.location.clone() else { continue };
                // MapRunStarted <- MapStateStarted <- MapStateEntered (which names the state).
                let entered = (0..2).try_fold(e, |ev, _| events.get((ev.previous_event_id as usize).checked_sub(1)?));
                let map_state = entered.and_then(|ev| ev.details.name.clone());
                out.push(FoundRun { arn, started: e, ended: None, map_state, owner });
            }
            EventType::MapRunSucceeded | EventType::MapRunFailed | EventType::MapRunAborted => {
                if let Some(run) =
                    out[from..].iter_mut().find(|r| r.ended.is_none() && r.started.id == e.previous_event_id)
                {
                    run.ended = Some(e);
                }
            }
            _ => {}
        }
    }
}

fn text_or_null(v: Option<&Rc<str>>) -> Value {
    v.map_or(Value::Null, |s| Value::String(s.clone()))
}

fn ms_or_null(v: Option<i64>) -> Value {
    v.map_or(Value::Null, Value::from)
}

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

    /// Whether a map run has ended, or the execution it belongs to has.
    fn run_over(&self, run: &FoundRun) -> bool {
        run.ended.is_some()
            || self.exec.status() != Status::Running
            || run.owner.is_some_and(|c| c.status != Status::Running)
    }

    fn found_runs(&self) -> Vec<FoundRun<'_>> {
        let mut runs = Vec::new();
        runs_in(self.exec.history(), None, &mut runs);
        for c in self.exec.child_executions() {
            runs_in(&c.events, Some(c), &mut runs);
        }
        runs
    }

    /// Every distributed Map run of the execution (nested ones too) as a JSON array text of
    /// `{"mapRunArn", "mapState", "status", "startedEventId", "parent" (null, or the
    /// `{"mapRunArn", "index"}` of the child execution that started it), "startDate",
    /// "stopDate" (ms on the virtual clock), "error", "cause", "itemCounts": {"pending",
    /// "running", "succeeded", "failed", "timedOut", "aborted", "total"}}`.
    pub fn map_runs(&self) -> String {
        let runs = self.found_runs();
        let mut counts = crate::hash_index::StrMap::<ItemCounts>::new();
        for run in &runs {
            counts.get_or_insert_with(&run.arn, ItemCounts::default);
        }
        // The engine aborts the children still running when their map run or execution ends.
        for c in self.exec.child_executions() {
            counts.get_or_insert_with(&c.map_run_arn, ItemCounts::default).add(c.status);
        }
        let totals = self.exec.map_run_totals();
        let list: Vec<Value> = runs
            .iter()
            .map(|run| {
                let n = counts.get(&run.arn).copied().unwrap_or_default();
                let started = n.started();
                let total = totals.iter().find(|(a, _)| *a == run.arn).map_or(started, |(_, t)| (*t).max(started));
                let status = match run.ended.map(|e| &e.event_type) {
                    Some(EventType::MapRunSucceeded) => "SUCCEEDED",
                    Some(EventType::MapRunFailed) => "FAILED",
                    Some(_) => "ABORTED",
                    None if self.run_over(run) => "ABORTED",
                    None => "RUNNING",
                };
                let mut ic = Map::with_capacity(7);
                ic.insert("pending", Value::from(total - started));
                ic.insert("running", Value::from(n.running));
                ic.insert("succeeded", Value::from(n.succeeded));
                ic.insert("failed", Value::from(n.failed));
                ic.insert("timedOut", Value::from(n.timed_out));
                ic.insert("aborted", Value::from(n.aborted));
                ic.insert("total", Value::from(total));
                let mut m = Map::with_capacity(11);
                m.insert("mapRunArn", Value::String(run.arn.clone()));
                m.insert("mapState", text_or_null(run.map_state.as_ref()));
                m.insert("status", Value::from(status));
                m.insert("startedEventId", Value::from(run.started.id as i64));
                m.insert(
                    "parent",
                    run.owner.map_or(Value::Null, |c| {
                        let mut p = Map::with_capacity(2);
                        p.insert("mapRunArn", Value::String(c.map_run_arn.clone()));
                        p.insert("index", Value::from(c.index));
                        Value::from(p)
                    }),
                );
                m.insert("startDate", Value::from(run.started.timestamp));
                m.insert("stopDate", ms_or_null(run.ended.map(|e| e.timestamp)));
                m.insert("error", text_or_null(run.ended.and_then(|e| e.details.error.as_ref())));
                m.insert("cause", text_or_null(run.ended.and_then(|e| e.details.cause.as_ref())));
                m.insert("itemCounts", Value::from(ic));
                Value::from(m)
            })
            .collect();
        json::to_string(&Value::from(list))
    }

    /// One page of a map run's child executions, in item order: those whose status is
    /// `status_filter` (blank: all), skipping `offset`, at most `limit`. Answers `{"matching",
    /// "offset", "children": [{"index", "name", "status", "startDate", "stopDate"}]}`.
    pub fn map_run_children(&self, map_run_arn: &str, status_filter: &str, offset: u32, limit: u32) -> String {
        let mut matching = 0usize;
        let mut page = Vec::new();
        for c in self.exec.child_executions().iter().filter(|c| &*c.map_run_arn == map_run_arn) {
            let status = c.status.as_str();
            if !status_filter.is_empty() && status != status_filter {
                continue;
            }
            if matching >= offset as usize && page.len() < limit as usize {
                let mut m = Map::with_capacity(5);
                m.insert("index", Value::from(c.index));
                m.insert("name", Value::from(c.name()));
                m.insert("status", Value::from(status));
                m.insert("startDate", Value::from(c.start_ms()));
                m.insert("stopDate", ms_or_null(c.stop_ms()));
                page.push(Value::from(m));
            }
            matching += 1;
        }
        let mut out = Map::with_capacity(3);
        out.insert("matching", Value::from(matching));
        out.insert("offset", Value::from(offset as i64));
        out.insert("children", Value::from(page));
        json::to_string(&Value::from(out))
    }

    /// The child execution of a map run for item `index`: `{"name", "status", "input",
    /// "output", "error", "cause", "events"}` (its whole history, AWS's shape), or `null`.
    pub fn child_execution(&self, map_run_arn: &str, index: u32) -> String {
        let Some(c) =
            self.exec.child_executions().iter().find(|c| &*c.map_run_arn == map_run_arn && c.index == index as usize)
        else {
            return "null".to_string();
        };
        let last = c.events.last().filter(|_| c.status != Status::Running);
        let mut m = Map::with_capacity(7);
        m.insert("name", Value::from(c.name()));
        m.insert("status", Value::from(c.status.as_str()));
        m.insert("input", c.events.first().and_then(|e| e.details.input.clone()).unwrap_or(Value::Null));
        m.insert("output", last.and_then(|e| e.details.output.clone()).unwrap_or(Value::Null));
        m.insert("error", text_or_null(last.and_then(|e| e.details.error.as_ref())));
        m.insert("cause", text_or_null(last.and_then(|e| e.details.cause.as_ref())));
        m.insert("events", Value::from(c.events.iter().map(HistoryEvent::to_value).collect::<Vec<_>>()));
        json::to_string(&Value::from(m))
    }

    /// The run's mocked S3 now: `{"buckets", "objects": [{"bucket", "key", "size",
    /// "lastModified", "written"}]}`, `written` for objects the run put there (a
    /// `ResultWriter`'s manifest and results) or changed.
    pub fn s3_objects(&self) -> String {
        let empty = ObjectStore::new(0);
        let store = self.exec.object_store().unwrap_or(&empty);
        s3_listing(store, self.initial_store.as_ref())
    }

    /// One object of the run's mocked S3: `{"size", "content", "truncated"}` with at most
    /// `max_bytes` of its text (0: all of it), or `null` when there is no such object.
    pub fn s3_object(&self, bucket: &str, key: &str, max_bytes: u32) -> String {
        match self.exec.object_store().map(|s| s.get(bucket, key)) {
            Some(Ok(object)) => object_text(object.content(), max_bytes),
            _ => "null".to_string(),
        }
    }
}

/// The S3 objects a mock configuration gives a run, like `Session::s3_objects` (none is
/// `written`), or `{"message", "line", "column"}` when the configuration is not usable.
#[wasm_bindgen]
pub fn mock_s3_objects(mock: &str) -> String {
    match mock_store(mock) {
        Ok(store) => s3_listing(&store, Some(&store)),
        Err(e) => e,
    }
}

/// One object of a mock configuration's S3, like `Session::s3_object`.
#[wasm_bindgen]
pub fn mock_s3_object(mock: &str, bucket: &str, key: &str, max_bytes: u32) -> String {
    match mock_store(mock).ok().as_ref().map(|s| s.get(bucket, key)) {
        Some(Ok(object)) => object_text(object.content(), max_bytes),
        _ => "null".to_string(),
    }
}

/// A mock configuration of S3 objects only (no `StateMachines` nor `MockedResponses`, which
/// a MockConfigFile requires): its object store, or why it is not usable. `None` for any
/// other text. Objects without `LastModified` are stamped `now_ms`.
fn s3_only(mock: &str, now_ms: crate::time::Millis) -> Option<Result<ObjectStore, crate::services::MockConfigError>> {
    let config = json::parse(mock).ok()?;
    let has = |names: [&str; 2]| config.as_object().is_some_and(|m| m.keys().any(|k| names.contains(&&**k)));
    if has(["StateMachines", "MockedResponses"]) || !has(["S3Objects", "S3Buckets"]) {
        return None;
    }
    Some(ObjectStore::from_value(&config, now_ms))
}

/// The mocked S3 of a mock configuration; the error is located JSON text.
fn mock_store(mock: &str) -> Result<ObjectStore, String> {
    if mock.trim().is_empty() {
        return Ok(ObjectStore::new(0));
    }
    let (config, map) = json::parse_with_source_map(mock).map_err(|e| located(&e.message, e.line, e.column))?;
    ObjectStore::from_value(&config, Options::default().start_time)
        .map_err(|e| located_at(&map, &e.pointer, &e.message))
}

fn s3_listing(store: &ObjectStore, initial: Option<&ObjectStore>) -> String {
    let mut objects = Vec::new();
    let mut buckets = Vec::new();
    for bucket in store.bucket_names() {
        buckets.push(Value::from(bucket));
        let request = crate::distributed::ListRequest { bucket: bucket.to_string(), ..Default::default() };
        let Ok(listing) = store.list(&request) else { continue };
        for (key, object) in listing {
            let before = initial.and_then(|s| s.get(bucket, key).ok());
            let written = !before.is_some_and(|b| Rc::ptr_eq(b.content(), object.content()));
            let mut m = Map::with_capacity(5);
            m.insert("bucket", Value::from(bucket));
            m.insert("key", Value::from(key));
            m.insert("size", Value::from(object.size()));
            m.insert("lastModified", Value::from(crate::time::format_iso(object.last_modified_ms())));
            m.insert("written", Value::Bool(written));
            objects.push(Value::from(m));
        }
    }
    let mut out = Map::with_capacity(2);
    out.insert("buckets", Value::from(buckets));
    out.insert("objects", Value::from(objects));
    json::to_string(&Value::from(out))
}

/// `{"size", "content", "truncated"}`: the text, cut at a character boundary after
/// `max_bytes` bytes (0: no limit).
fn object_text(content: &str, max_bytes: u32) -> String {
    let max = if max_bytes == 0 { usize::MAX } else { max_bytes as usize };
    let mut end = content.len().min(max);
    while !content.is_char_boundary(end) {
        end -= 1;
    }
    let mut m = Map::with_capacity(3);
    m.insert("size", Value::from(content.len()));
    m.insert("content", Value::from(&content[..end]));
    m.insert("truncated", Value::Bool(end < content.len()));
    json::to_string(&Value::from(m))
}
