//! An execution history (what `aws stepfunctions get-execution-history` prints) turned into a
//! MockConfigFile that replays it: each Task state's recorded results become its mocked
//! responses in call order (`"0"`, `"1"`, ...; retries and Map iterations take numbers, as
//! Step Functions Local counts them).
//!
//! Which state made a call is found by following `previousEventId` back to the
//! `*StateEntered` event. A history without `previousEventId` (or with a broken chain) is
//! read by position instead: a call belongs to the earliest entered, still running Task
//! state that is not already waiting for a call (and whose `Resource`, when the definition
//! is given, is the one called); a result belongs to the earliest unfinished call of the
//! same kind and resource.
//!
//! The standard format cannot say everything a history shows, so this project's extensions
//! are used: `"Submitted"` for the `TaskSubmitted` answer of `.sync` and `.waitForTaskToken`
//! calls, `"Silent": true` for a call that never finished, and `"Latency"` (seconds from
//! scheduling to the result, from the events' timestamps) so that a replay takes the time
//! the recorded run took.

use super::ImportError;
use crate::json;
use crate::services::Resource;
use crate::value::{Map, Value};
use std::collections::HashMap;
use std::rc::Rc;

/// How deep the walk over a definition's nested states goes.
const MAX_DEFINITION_DEPTH: usize = 64;

/// A MockConfigFile built from a history, with what the reader noticed.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryImport {
    /// The MockConfigFile (`StateMachines` and `MockedResponses`).
    pub mock_config: Value,
    /// Things the mock file cannot replay or that the user should check (distributed Map
    /// children, missing execution data, ...).
    pub notes: Vec<String>,
    /// The execution input `ExecutionStarted` recorded, as JSON text (`None` when the history
    /// has none).
    pub input: Option<String>,
}

/// Builds a MockConfigFile replaying a history: one test case, `test_case`, of the state
/// machine `state_machine_name`. `history` is `{"events": [...]}` or a bare array of events;
/// `definition`, when given, helps to attribute calls in histories without
/// `previousEventId` and to notice distributed Maps.
///
/// ```
/// use aslplay::json;
/// let history = json::parse(r#"{"events": [
///   {"id": 1, "previousEventId": 0, "type": "ExecutionStarted", "executionStartedEventDetails": {"input": "{}"}},
///   {"id": 2, "previousEventId": 1, "type": "TaskStateEntered", "stateEnteredEventDetails": {"name": "Call", "input": "{}"}},
///   {"id": 3, "previousEventId": 2, "type": "TaskScheduled", "taskScheduledEventDetails": {"resourceType": "lambda", "resource": "invoke", "region": "us-east-1", "parameters": "{}"}},
///   {"id": 4, "previousEventId": 3, "type": "TaskStarted", "taskStartedEventDetails": {"resourceType": "lambda", "resource": "invoke"}},
///   {"id": 5, "previousEventId": 4, "type": "TaskSucceeded", "taskSucceededEventDetails": {"resourceType": "lambda", "resource": "invoke", "output": "{\"Payload\":1}"}}
/// ]}"#).unwrap();
/// let config = aslplay::import::mock_config_from_history(&history, None, "Machine", "Replay").unwrap();
/// assert_eq!(json::to_string(&config), r#"{"StateMachines":{"Machine":{"TestCases":{"Replay":{"Call":"Replay.Call"}}}},"MockedResponses":{"Replay.Call":{"0":{"Return":{"Payload":1}}}}}"#);
/// ```
pub fn mock_config_from_history(
    history: &Value,
    definition: Option<&Value>,
    state_machine_name: &str,
    test_case: &str,
) -> Result<Value, ImportError> {
    import_history(history, definition, state_machine_name, test_case).map(|i| i.mock_config)
}

/// [`import_history`] from texts, as the page gives them: the history's JSON text (an error at
/// its line and column when it is not JSON) and the definition's (ignored unless it is a JSON
/// object).
pub fn import_history_text(
    history: &str,
    definition: &str,
    state_machine_name: &str,
    test_case: &str,
) -> Result<HistoryImport, ImportError> {
    let history = crate::json::parse(history).map_err(|e| ImportError {
        pointer: String::new(),
        message: format!("The history is not JSON: {}", e.message),
        line: Some(e.line),
        column: Some(e.column),
    })?;
    let definition = crate::json::parse(definition).ok().filter(Value::is_object);
    import_history(&history, definition.as_ref(), state_machine_name, test_case)
}

/// [`mock_config_from_history`], with the notes. Events may also be given in the normalized
/// form `{"type", "details"}` (details already parsed, as the conformance corpus stores them).
pub fn import_history(
    history: &Value,
    definition: Option<&Value>,
    state_machine_name: &str,
    test_case: &str,
) -> Result<HistoryImport, ImportError> {
    let (base, list) = match history {
        Value::Array(a) => ("", a),
        Value::Object(m) => match m.get("events") {
            Some(Value::Array(a)) => ("/events", a),
            Some(_) => return Err(ImportError::at("/events", "events must be an array of history events")),
            None => return Err(ImportError::at("", "Expected {\"events\": [...]} or an array of history events")),
        },
        _ => return Err(ImportError::at("", "Expected {\"events\": [...]} or an array of history events")),
    };
    let mut events = Vec::with_capacity(list.len());
    let mut seen = std::collections::HashSet::with_capacity(list.len());
    for (i, raw) in list.iter().enumerate() {
        let event = Event::read(raw, format!("{base}/{i}"), i)?;
        if !seen.insert(event.id) {
            return Err(ImportError::at(
                format!("{}/id", event.pointer),
                format!("Event id {} appears twice", event.id),
            ));
        }
        events.push(event);
    }
    // `get-execution-history --reverse-order` lists the newest event first.
    if list.iter().all(|e| e.get("id").is_some()) {
        crate::sort::sort_by_key(&mut events, |e: &Event| e.id);
    }
    let by_id: HashMap<u64, usize> = events.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    let nearest = |wanted: fn(&Event) -> bool| nearest_ancestors(&events, &by_id, wanted);
    let mut reader = Reader {
        events: &events,
        entered: nearest(|e| e.kind.ends_with("StateEntered")),
        task_entered: nearest(Event::is_task_entered),
        map_entered: nearest(|e| &*e.kind == "MapStateEntered"),
        scheduled: nearest(|e| e.is_scheduled() || e.is_schedule_failed()),
        task_resources: definition.map(task_states).unwrap_or_default(),
        open: Vec::new(),
        calls: Vec::new(),
        call_scheduled_by: HashMap::new(),
        unfinished: Vec::new(),
        notes: Vec::new(),
    };
    for i in 0..events.len() {
        reader.event(i)?;
    }
    reader.note_distributed_maps(definition);
    let notes = std::mem::take(&mut reader.notes);
    // The raw form keeps the input as JSON text; the normalized form as a value.
    let input = list
        .iter()
        .find(|e| e.get("type").and_then(Value::as_str) == Some("ExecutionStarted"))
        .and_then(|e| e.get("executionStartedEventDetails").or_else(|| e.get("details")))
        .and_then(|d| d.get("input"))
        .map(|i| match i {
            Value::String(s) => s.to_string(),
            other => crate::json::to_string(other),
        });
    Ok(HistoryImport { mock_config: reader.mock_config(state_machine_name, test_case), notes, input })
}

/// One history event, read.
struct Event {
    id: u64,
    previous: Option<u64>,
    kind: Rc<str>,
    details: Option<Rc<Map>>,
    /// `/events/3`
    pointer: String,
    /// `/events/3/taskSucceededEventDetails`
    details_pointer: String,
    /// Details given already parsed (`{"type", "details"}`), not as JSON text.
    parsed: bool,
    /// Milliseconds since the epoch, when the event has a readable `timestamp`.
    timestamp: Option<i64>,
}

impl Event {
    fn read(raw: &Value, pointer: String, index: usize) -> Result<Event, ImportError> {
        let Some(m) = raw.as_object() else {
            return Err(ImportError::at(pointer, "A history event must be an object"));
        };
        let Some(kind) = m.get("type").and_then(Value::as_str) else {
            return Err(ImportError::at(format!("{pointer}/type"), "A history event needs a type"));
        };
        let number = |key: &str| -> Result<Option<u64>, ImportError> {
            match m.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => match v.as_i64() {
                    Some(n) if n >= 0 => Ok(Some(n as u64)),
                    _ => Err(ImportError::at(
                        format!("{pointer}/{key}"),
                        format!("{key} must be a non-negative integer"),
                    )),
                },
            }
        };
        let id = number("id")?.unwrap_or(index as u64 + 1);
        let previous = number("previousEventId")?;
        // The CLI prints ISO-8601 text; SDKs' JSON may give epoch seconds.
        let timestamp = match m.get("timestamp") {
            Some(Value::String(t)) => crate::time::parse_rfc3339(t),
            Some(Value::Number(n)) if n.as_f64().is_finite() => Some((n.as_f64() * 1000.0).round() as i64),
            _ => None,
        };
        let (details, key, parsed) = match m.get("details") {
            Some(Value::Object(d)) => (Some(d.clone()), "details".to_string(), true),
            _ => match m.iter().find(|(k, v)| k.ends_with("EventDetails") && v.is_object()) {
                Some((k, v)) => (v.as_object().cloned(), k.to_string(), false),
                None => (None, String::new(), false),
            },
        };
        let details_pointer = format!("{pointer}/{key}");
        Ok(Event { id, previous, kind: Rc::from(kind), details, pointer, details_pointer, parsed, timestamp })
    }

    fn text(&self, key: &str) -> Option<&str> {
        self.details.as_ref()?.get(key)?.as_str()
    }

    /// A data field (`output`, `input`): JSON text in AWS's history, a value when parsed.
    /// `None` when the history was recorded without execution data.
    fn data(&self, key: &str) -> Result<Option<Value>, ImportError> {
        let Some(v) = self.details.as_ref().and_then(|d| d.get(key)) else {
            return Ok(None);
        };
        if self.parsed {
            return Ok(Some(v.clone()));
        }
        match v {
            Value::String(s) => json::parse(s).map(Some).map_err(|e| {
                ImportError::at(format!("{}/{key}", self.details_pointer), format!("{key} is not JSON text: {e}"))
            }),
            _ => Err(ImportError::at(
                format!("{}/{key}", self.details_pointer),
                format!("{key} must be JSON text (a string)"),
            )),
        }
    }

    fn family(&self) -> Option<Family> {
        let k = &*self.kind;
        if k.starts_with("Task") && !k.starts_with("TaskState") {
            Some(Family::Task)
        } else if k.starts_with("LambdaFunction") {
            Some(Family::Lambda)
        } else if k.starts_with("Activity") {
            Some(Family::Activity)
        } else {
            None
        }
    }

    fn is_scheduled(&self) -> bool {
        matches!(&*self.kind, "TaskScheduled" | "LambdaFunctionScheduled" | "ActivityScheduled")
    }

    /// A call that failed before it was scheduled: the event is the whole call.
    fn is_schedule_failed(&self) -> bool {
        matches!(&*self.kind, "LambdaFunctionScheduleFailed" | "ActivityScheduleFailed")
    }

    fn is_task_entered(&self) -> bool {
        &*self.kind == "TaskStateEntered"
    }

    /// `resourceType` and `resource` of Task* events (they tell calls apart).
    fn task_resource(&self) -> Option<(String, String)> {
        Some((self.text("resourceType")?.to_string(), self.text("resource")?.to_string()))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
    Task,
    Lambda,
    Activity,
}

#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Return(Value),
    Throw { error: String, cause: Option<String> },
}

struct Call {
    state: Rc<str>,
    family: Family,
    /// `resourceType`/`resource` (Task) or `resource` (Lambda, activity) of the scheduling event.
    resource: Option<(String, String)>,
    /// Index of the scheduling event.
    scheduled: usize,
    /// Milliseconds from scheduling to the end, when both events have timestamps.
    latency_ms: Option<i64>,
    submitted: Option<Value>,
    outcome: Option<Outcome>,
}

/// A Task state entered and not yet left.
struct OpenState {
    name: Rc<str>,
    entered: usize,
    active_call: Option<usize>,
}

/// For each event, the nearest earlier event its `previousEventId` chain reaches that is
/// `wanted` (links to later events are ignored, so a cycle cannot loop).
fn nearest_ancestors(events: &[Event], by_id: &HashMap<u64, usize>, wanted: fn(&Event) -> bool) -> Vec<Option<usize>> {
    let mut out: Vec<Option<usize>> = Vec::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        let previous = e.previous.and_then(|p| by_id.get(&p).copied()).filter(|&p| p < i);
        out.push(previous.and_then(|p| if wanted(&events[p]) { Some(p) } else { out[p] }));
    }
    out
}

struct Reader<'a> {
    events: &'a [Event],
    /// Nearest ancestors through `previousEventId`: any `*StateEntered`, `TaskStateEntered`,
    /// `MapStateEntered`, and the scheduling event of a call.
    entered: Vec<Option<usize>>,
    task_entered: Vec<Option<usize>>,
    map_entered: Vec<Option<usize>>,
    scheduled: Vec<Option<usize>>,
    /// Task state name → its `Resource`, from the definition.
    task_resources: HashMap<String, String>,
    open: Vec<OpenState>,
    calls: Vec<Call>,
    /// Scheduling event → its call.
    call_scheduled_by: HashMap<usize, usize>,
    /// Calls without an outcome yet, oldest first.
    unfinished: Vec<usize>,
    notes: Vec<String>,
}

impl Reader<'_> {
    fn event(&mut self, i: usize) -> Result<(), ImportError> {
        let e = &self.events[i];
        let kind = &*e.kind;
        if e.is_task_entered() {
            let Some(name) = e.text("name") else {
                return Err(ImportError::at(
                    format!("{}/name", e.details_pointer),
                    "A state entered event needs the state's name",
                ));
            };
            self.open.push(OpenState { name: Rc::from(name), entered: i, active_call: None });
            return Ok(());
        }
        if kind == "TaskStateExited" || kind == "TaskStateAborted" {
            let exact = self.task_entered[i].and_then(|j| self.open.iter().position(|o| o.entered == j));
            let by_name = || {
                let name = e.text("name");
                let fits = |o: &OpenState| name.is_none_or(|n| &*o.name == n);
                self.open
                    .iter()
                    .position(|o| fits(o) && o.active_call.is_none())
                    .or_else(|| self.open.iter().position(fits))
            };
            if let Some(k) = exact.or_else(by_name) {
                self.open.remove(k);
            }
            return Ok(());
        }
        let Some(family) = e.family() else { return Ok(()) };
        if e.is_scheduled() || e.is_schedule_failed() {
            let call = self.schedule(i, family)?;
            if e.is_schedule_failed() {
                self.finish(call, i)?;
            }
            return Ok(());
        }
        match kind {
            "TaskStarted" | "LambdaFunctionStarted" | "ActivityStarted" => Ok(()),
            "TaskSubmitted" => {
                let call = self.call_of(i, family)?;
                self.calls[call].submitted = Some(self.events[i].data("output")?.unwrap_or(Value::Null));
                Ok(())
            }
            _ => {
                let call = self.call_of(i, family)?;
                self.finish(call, i)
            }
        }
    }

    /// A new call from scheduling event `i`, attributed to its state.
    fn schedule(&mut self, i: usize, family: Family) -> Result<usize, ImportError> {
        let e = &self.events[i];
        let resource = match family {
            Family::Task => e.task_resource(),
            _ => e.text("resource").map(|r| (String::new(), r.to_string())),
        };
        let chained = self.entered[i].filter(|&j| self.events[j].is_task_entered());
        let slot = match chained {
            Some(j) => match self.open.iter().position(|o| o.entered == j) {
                Some(k) => Some(k),
                None => {
                    // The state was left already (a history cut oddly): still its call.
                    let name = self.events[j].text("name").unwrap_or_default();
                    self.open.push(OpenState { name: Rc::from(name), entered: j, active_call: None });
                    Some(self.open.len() - 1)
                }
            },
            None => {
                let free = |o: &&OpenState| o.active_call.is_none();
                let fits = |o: &&OpenState| match (self.task_resources.get(&*o.name), &resource) {
                    (Some(arn), Some(r)) => resource_matches(arn, family, r),
                    _ => true,
                };
                let pick = self.open.iter().filter(free).find(fits).or_else(|| self.open.iter().find(free));
                pick.map(|o| o.entered).and_then(|entered| self.open.iter().position(|o| o.entered == entered))
            }
        };
        let Some(k) = slot else {
            return Err(ImportError::at(
                &self.events[i].pointer,
                format!(
                    "No running Task state to attribute this {} event (id {}) to",
                    self.events[i].kind, self.events[i].id
                ),
            ));
        };
        let call = self.calls.len();
        self.calls.push(Call {
            state: self.open[k].name.clone(),
            family,
            resource,
            scheduled: i,
            latency_ms: None,
            submitted: None,
            outcome: None,
        });
        self.open[k].active_call = Some(call);
        self.call_scheduled_by.insert(i, call);
        self.unfinished.push(call);
        Ok(call)
    }

    /// The call an event of its lifecycle (started, submitted, succeeded, ...) belongs to.
    fn call_of(&self, i: usize, family: Family) -> Result<usize, ImportError> {
        let e = &self.events[i];
        if let Some(&c) = self.scheduled[i].and_then(|j| self.call_scheduled_by.get(&j)) {
            return Ok(c);
        }
        let resource = e.task_resource();
        let same_family = |k: &usize| self.calls[*k].family == family;
        let same_resource = |k: &usize| match (&resource, &self.calls[*k].resource) {
            (Some(r), Some(cr)) => r == cr,
            _ => true,
        };
        let mut candidates = self.unfinished.iter().copied().filter(same_family);
        match candidates.clone().find(same_resource).or_else(|| candidates.next()) {
            Some(k) => Ok(k),
            None => Err(ImportError::at(
                &e.pointer,
                format!("This {} event (id {}) follows no scheduled call", e.kind, e.id),
            )),
        }
    }

    /// Records how call `call` ended, from event `i`.
    fn finish(&mut self, call: usize, i: usize) -> Result<(), ImportError> {
        let e = &self.events[i];
        let outcome = if e.kind.ends_with("Succeeded") {
            match e.data("output")? {
                Some(v) => Outcome::Return(v),
                None => {
                    self.notes.push(format!(
                        "Event {} has no output (was the history fetched without execution data?): state '{}' returns null",
                        e.id, self.calls[call].state
                    ));
                    Outcome::Return(Value::Null)
                }
            }
        } else {
            let timed_out = e.kind.ends_with("TimedOut");
            let error = e.text("error").map(str::to_string).unwrap_or_else(|| {
                if timed_out {
                    "States.Timeout".into()
                } else {
                    String::new()
                }
            });
            let cause = match e.details.as_ref().and_then(|d| d.get("cause")) {
                Some(Value::String(s)) => Some(s.to_string()),
                // A parsed history holds causes that were JSON objects as objects.
                Some(v @ (Value::Object(_) | Value::Array(_))) => Some(json::to_string(v)),
                _ if timed_out => Some(String::new()),
                _ => None,
            };
            Outcome::Throw { error, cause }
        };
        let truncated = |key: &str| {
            e.details.as_ref().and_then(|d| d.get(key)).and_then(|t| t.get("truncated")) == Some(&Value::Bool(true))
        };
        if truncated("outputDetails") {
            self.notes
                .push(format!("The output of event {} was truncated in the history: its mock is incomplete", e.id));
        }
        self.calls[call].outcome = Some(outcome);
        self.unfinished.retain(|&c| c != call);
        self.calls[call].latency_ms = self.latency(self.calls[call].scheduled, i);
        for o in self.open.iter_mut().filter(|o| o.active_call == Some(call)) {
            o.active_call = None;
        }
        Ok(())
    }

    /// The time from scheduling event `scheduled` to end event `end`, at most the call's
    /// `TimeoutSeconds` or `HeartbeatSeconds` (mocks send no heartbeats: a longer latency
    /// would time the replayed call out).
    fn latency(&self, scheduled: usize, end: usize) -> Option<i64> {
        let (s, e) = (&self.events[scheduled], &self.events[end]);
        let elapsed = e.timestamp?.checked_sub(s.timestamp?)?.max(0);
        let limit = ["timeoutInSeconds", "heartbeatInSeconds"]
            .iter()
            .filter_map(|k| s.details.as_ref()?.get(k)?.as_i64())
            .filter(|&seconds| seconds > 0)
            .map(|seconds| seconds.saturating_mul(1000))
            .min();
        Some(limit.map_or(elapsed, |l| elapsed.min(l)))
    }

    fn note_distributed_maps(&mut self, definition: Option<&Value>) {
        let mut maps = Vec::new();
        if let Some(d) = definition {
            distributed_maps(d, &mut maps, 0);
        }
        for (i, e) in self.events.iter().enumerate() {
            if &*e.kind == "MapRunStarted" {
                let name = self.map_entered[i]
                    .or_else(|| self.events[..i].iter().rposition(|x| &*x.kind == "MapStateEntered"))
                    .and_then(|j| self.events[j].text("name"))
                    .unwrap_or("?")
                    .to_string();
                if !maps.iter().any(|(n, _)| *n == name) {
                    maps.push((name, Vec::new()));
                }
            }
        }
        for (name, tasks) in maps {
            let inside =
                if tasks.is_empty() { String::new() } else { format!(" (its Task states: {})", tasks.join(", ")) };
            self.notes.push(format!(
                "Distributed Map '{name}' runs its items as child executions whose events are not in this history: their service calls are not mocked{inside}"
            ));
        }
    }

    fn mock_config(&self, state_machine_name: &str, test_case: &str) -> Value {
        let mut order: Vec<Rc<str>> = Vec::new();
        let mut by_state: HashMap<Rc<str>, Vec<Value>> = HashMap::new();
        for call in &self.calls {
            if !by_state.contains_key(&call.state) {
                order.push(call.state.clone());
            }
            by_state.entry(call.state.clone()).or_default().push(entry(call));
        }
        let mut responses = Map::new();
        let mut case = Map::new();
        for state in &order {
            let name = format!("{test_case}.{state}");
            case.push_unique(state.clone(), Value::from(name.as_str()));
            responses.push_unique(name, numbered(by_state.get(state).map(Vec::as_slice).unwrap_or_default()));
        }
        let object = |key: &str, v: Value| {
            let mut m = Map::new();
            m.push_unique(key, v);
            Value::from(m)
        };
        let mut machines = Map::new();
        machines.push_unique(state_machine_name, object("TestCases", object(test_case, Value::from(case))));
        let mut root = Map::new();
        root.push_unique("StateMachines", Value::from(machines));
        root.push_unique("MockedResponses", Value::from(responses));
        Value::from(root)
    }
}

/// The MockConfigFile entry for one call.
fn entry(call: &Call) -> Value {
    let mut m = Map::new();
    match &call.outcome {
        Some(Outcome::Return(v)) => m.push_unique("Return", v.clone()),
        Some(Outcome::Throw { error, cause }) => {
            let mut t = Map::new();
            t.push_unique("Error", Value::from(error.as_str()));
            if let Some(c) = cause {
                t.push_unique("Cause", Value::from(c.as_str()));
            }
            m.push_unique("Throw", Value::from(t));
        }
        None => m.push_unique("Silent", Value::Bool(true)),
    }
    if let Some(ms) = call.latency_ms.filter(|&ms| ms > 0) {
        m.push_unique("Latency", Value::from(ms as f64 / 1000.0));
    }
    if let Some(s) = &call.submitted {
        m.push_unique("Submitted", s.clone());
    }
    Value::from(m)
}

/// Entries keyed by invocation number, equal neighbours merged into ranges (`"1-2"`).
fn numbered(entries: &[Value]) -> Value {
    let mut out = Map::new();
    let mut i = 0;
    while i < entries.len() {
        let mut j = i;
        while j + 1 < entries.len() && entries[j + 1] == entries[i] {
            j += 1;
        }
        let key = if i == j { i.to_string() } else { format!("{i}-{j}") };
        out.push_unique(key, entries[i].clone());
        i = j + 1;
    }
    Value::from(out)
}

/// Does a definition's `Resource` name the resource an event called?
fn resource_matches(arn: &str, family: Family, called: &(String, String)) -> bool {
    match family {
        Family::Task => Resource::parse(arn).is_some_and(|r| *r.resource_type == called.0 && *r.resource == called.1),
        Family::Lambda | Family::Activity => arn == called.1,
    }
}

/// The child state maps of a state: `Branches[].States`, `Iterator.States`, `ItemProcessor.States`.
fn child_state_maps(state: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    if let Some(branches) = state.get("Branches").and_then(Value::as_array) {
        out.extend(branches.iter().filter_map(|b| b.get("States")));
    }
    for key in ["Iterator", "ItemProcessor"] {
        if let Some(states) = state.get(key).and_then(|p| p.get("States")) {
            out.push(states);
        }
    }
    out
}

/// Task state name → `Resource`, at every depth.
fn task_states(definition: &Value) -> HashMap<String, String> {
    fn walk(states: &Value, out: &mut HashMap<String, String>, depth: usize) {
        let Some(states) = states.as_object().filter(|_| depth < MAX_DEFINITION_DEPTH) else { return };
        for (name, state) in states.iter() {
            if state.get("Type").and_then(Value::as_str) == Some("Task") {
                if let Some(r) = state.get("Resource").and_then(Value::as_str) {
                    out.insert(name.to_string(), r.to_string());
                }
            }
            for child in child_state_maps(state) {
                walk(child, out, depth + 1);
            }
        }
    }
    let mut out = HashMap::new();
    if let Some(states) = definition.get("States") {
        walk(states, &mut out, 0);
    }
    out
}

/// Distributed Map states (name, Task states inside), at every depth.
fn distributed_maps(definition: &Value, out: &mut Vec<(String, Vec<String>)>, depth: usize) {
    let Some(states) = definition.get("States").and_then(Value::as_object).filter(|_| depth < MAX_DEFINITION_DEPTH)
    else {
        return;
    };
    for (name, state) in states.iter() {
        let processor = state.get("ItemProcessor");
        let mode = processor.and_then(|p| p.get("ProcessorConfig")).and_then(|c| c.get("Mode")).and_then(Value::as_str);
        if state.get("Type").and_then(Value::as_str) == Some("Map") && mode == Some("DISTRIBUTED") {
            let mut tasks: Vec<String> = processor.map(task_states).unwrap_or_default().into_keys().collect();
            crate::sort::sort(&mut tasks);
            out.push((name.to_string(), tasks));
        }
        for child in child_state_maps(state) {
            let mut wrapper = Map::new();
            wrapper.push_unique("States", child.clone());
            distributed_maps(&Value::from(wrapper), out, depth + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A history in AWS's raw shape from `(type, details)` pairs; `previous` gives each
    /// event's previousEventId (None: omitted).
    fn history(events: &[(&str, &str)], previous: Option<&[u64]>) -> Value {
        let list: Vec<Value> = events
            .iter()
            .enumerate()
            .map(|(i, (kind, details))| {
                let mut m = Map::new();
                m.push_unique("id", Value::from(i as i64 + 1));
                if let Some(p) = previous.and_then(|p| p.get(i)) {
                    m.push_unique("previousEventId", Value::from(*p as i64));
                }
                m.push_unique("type", Value::from(*kind));
                if !details.is_empty() {
                    let key = match *kind {
                        k if k.ends_with("StateEntered") => "stateEnteredEventDetails".to_string(),
                        k if k.ends_with("StateExited") => "stateExitedEventDetails".to_string(),
                        k => format!("{}{}EventDetails", k[..1].to_ascii_lowercase(), &k[1..]),
                    };
                    m.push_unique(key, json::parse(details).unwrap());
                }
                Value::from(m)
            })
            .collect();
        let mut root = Map::new();
        root.push_unique("events", Value::from(list));
        Value::from(root)
    }

    fn responses(config: &Value, name: &str) -> String {
        config.get("MockedResponses").and_then(|r| r.get(name)).map(json::to_string).unwrap_or_default()
    }

    const LAMBDA: &str =
        r#"{"resourceType": "lambda", "resource": "invoke", "region": "us-east-1", "parameters": "{}"}"#;
    const LAMBDA_STARTED: &str = r#"{"resourceType": "lambda", "resource": "invoke"}"#;

    #[test]
    fn retries_become_consecutive_invocations() {
        let events = [
            ("ExecutionStarted", r#"{"input": "{}"}"#),
            ("TaskStateEntered", r#"{"name": "Work", "input": "{}"}"#),
            ("TaskScheduled", LAMBDA),
            ("TaskStarted", LAMBDA_STARTED),
            (
                "TaskFailed",
                r#"{"resourceType": "lambda", "resource": "invoke", "error": "Lambda.TooManyRequestsException", "cause": "slow down"}"#,
            ),
            ("TaskScheduled", LAMBDA),
            ("TaskStarted", LAMBDA_STARTED),
            (
                "TaskFailed",
                r#"{"resourceType": "lambda", "resource": "invoke", "error": "Lambda.TooManyRequestsException", "cause": "slow down"}"#,
            ),
            ("TaskScheduled", LAMBDA),
            ("TaskStarted", LAMBDA_STARTED),
            (
                "TaskSucceeded",
                r#"{"resourceType": "lambda", "resource": "invoke", "output": "{\"Payload\":{\"ok\":true}}"}"#,
            ),
            ("TaskStateExited", r#"{"name": "Work", "output": "{}"}"#),
            ("ExecutionSucceeded", r#"{"output": "{}"}"#),
        ];
        let chained = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        for previous in [Some(&chained[..]), None] {
            let config = mock_config_from_history(&history(&events, previous), None, "M", "Retry").unwrap();
            assert_eq!(
                responses(&config, "Retry.Work"),
                r#"{"0-1":{"Throw":{"Error":"Lambda.TooManyRequestsException","Cause":"slow down"}},"2":{"Return":{"Payload":{"ok":true}}}}"#
            );
            assert_eq!(
                json::to_string(config.get("StateMachines").unwrap()),
                r#"{"M":{"TestCases":{"Retry":{"Work":"Retry.Work"}}}}"#
            );
        }
    }

    #[test]
    fn map_iterations_share_the_counter_and_chains_beat_position() {
        // Two concurrent iterations whose events interleave; ids chain each call to its state.
        let events = [
            ("ExecutionStarted", r#"{"input": "[1,2]"}"#),                // 1
            ("MapStateEntered", r#"{"name": "Each", "input": "[1,2]"}"#), // 2
            ("MapStateStarted", r#"{"length": 2}"#),                      // 3
            ("MapIterationStarted", r#"{"name": "Each", "index": 0}"#),   // 4
            ("MapIterationStarted", r#"{"name": "Each", "index": 1}"#),   // 5
            ("TaskStateEntered", r#"{"name": "Double", "input": "1"}"#),  // 6 (iteration 0)
            ("TaskStateEntered", r#"{"name": "Double", "input": "2"}"#),  // 7 (iteration 1)
            (
                "LambdaFunctionScheduled",
                r#"{"resource": "arn:aws:lambda:us-east-1:111111111111:function:double", "input": "2"}"#,
            ), // 8 (it. 1)
            (
                "LambdaFunctionScheduled",
                r#"{"resource": "arn:aws:lambda:us-east-1:111111111111:function:double", "input": "1"}"#,
            ), // 9 (it. 0)
            ("LambdaFunctionStarted", ""),                                // 10 (it. 0)
            ("LambdaFunctionStarted", ""),                                // 11 (it. 1)
            ("LambdaFunctionSucceeded", r#"{"output": "2"}"#),            // 12 (it. 0)
            ("LambdaFunctionSucceeded", r#"{"output": "4"}"#),            // 13 (it. 1)
        ];
        let previous = [0, 1, 2, 3, 3, 4, 5, 7, 6, 9, 8, 10, 11];
        let config = mock_config_from_history(&history(&events, Some(&previous)), None, "M", "T").unwrap();
        // Calls in history order: iteration 1's call (returns 4) was scheduled first.
        assert_eq!(responses(&config, "T.Double"), r#"{"0":{"Return":4},"1":{"Return":2}}"#);
        // The same, newest first (`--reverse-order`).
        let mut reversed = history(&events, Some(&previous));
        if let Some(Value::Array(list)) = reversed.get("events").cloned() {
            reversed = Value::from(Map::from_iter([(
                Rc::from("events"),
                Value::from(list.iter().rev().cloned().collect::<Vec<_>>()),
            )]));
        }
        let config = mock_config_from_history(&reversed, None, "M", "T").unwrap();
        assert_eq!(responses(&config, "T.Double"), r#"{"0":{"Return":4},"1":{"Return":2}}"#);
        // Without ids, results go to the earliest unfinished call.
        let config = mock_config_from_history(&history(&events, None), None, "M", "T").unwrap();
        assert_eq!(responses(&config, "T.Double"), r#"{"0":{"Return":2},"1":{"Return":4}}"#);
    }

    #[test]
    fn a_caught_failure_and_a_second_state() {
        let events = [
            ("ExecutionStarted", r#"{"input": "{}"}"#),
            ("TaskStateEntered", r#"{"name": "Charge", "input": "{}"}"#),
            (
                "TaskScheduled",
                r#"{"resourceType": "aws-sdk:dynamodb", "resource": "getItem", "region": "us-east-1", "parameters": "{}"}"#,
            ),
            ("TaskStarted", r#"{"resourceType": "aws-sdk:dynamodb", "resource": "getItem"}"#),
            (
                "TaskFailed",
                r#"{"resourceType": "aws-sdk:dynamodb", "resource": "getItem", "error": "DynamoDb.ResourceNotFoundException", "cause": "{\"message\":\"no table\"}"}"#,
            ),
            ("TaskStateExited", r#"{"name": "Charge", "output": "{}"}"#),
            ("TaskStateEntered", r#"{"name": "Notify", "input": "{}"}"#),
            (
                "TaskScheduled",
                r#"{"resourceType": "sns", "resource": "publish", "region": "us-east-1", "parameters": "{}"}"#,
            ),
            ("TaskStarted", r#"{"resourceType": "sns", "resource": "publish"}"#),
            ("TaskSucceeded", r#"{"resourceType": "sns", "resource": "publish", "output": "{\"MessageId\":\"m\"}"}"#),
            ("TaskStateExited", r#"{"name": "Notify", "output": "{}"}"#),
            ("ExecutionSucceeded", r#"{"output": "{}"}"#),
        ];
        let config = mock_config_from_history(&history(&events, None), None, "M", "Caught").unwrap();
        assert_eq!(
            responses(&config, "Caught.Charge"),
            r#"{"0":{"Throw":{"Error":"DynamoDb.ResourceNotFoundException","Cause":"{\"message\":\"no table\"}"}}}"#
        );
        assert_eq!(responses(&config, "Caught.Notify"), r#"{"0":{"Return":{"MessageId":"m"}}}"#);
    }

    #[test]
    fn callbacks_sync_jobs_timeouts_and_silence() {
        let sqs = r#"{"resourceType": "sqs", "resource": "sendMessage.waitForTaskToken", "region": "us-east-1", "parameters": "{}"}"#;
        let sqs_short = r#"{"resourceType": "sqs", "resource": "sendMessage.waitForTaskToken"}"#;
        let batch =
            r#"{"resourceType": "batch", "resource": "submitJob.sync", "region": "us-east-1", "parameters": "{}"}"#;
        let batch_short = r#"{"resourceType": "batch", "resource": "submitJob.sync"}"#;
        let events = [
            ("ExecutionStarted", r#"{"input": "{}"}"#),
            ("TaskStateEntered", r#"{"name": "Wait for approval", "input": "{}"}"#),
            ("TaskScheduled", sqs),
            ("TaskStarted", sqs_short),
            (
                "TaskSubmitted",
                r#"{"resourceType": "sqs", "resource": "sendMessage.waitForTaskToken", "output": "{\"MessageId\":\"m1\"}"}"#,
            ),
            (
                "TaskSucceeded",
                r#"{"resourceType": "sqs", "resource": "sendMessage.waitForTaskToken", "output": "{\"approved\":true}"}"#,
            ),
            ("TaskStateExited", r#"{"name": "Wait for approval", "output": "{}"}"#),
            ("TaskStateEntered", r#"{"name": "Job", "input": "{}"}"#),
            ("TaskScheduled", batch),
            ("TaskStarted", batch_short),
            (
                "TaskSubmitted",
                r#"{"resourceType": "batch", "resource": "submitJob.sync", "output": "{\"JobId\":\"j\"}"}"#,
            ),
            ("TaskTimedOut", r#"{"resourceType": "batch", "resource": "submitJob.sync", "error": "States.Timeout"}"#),
            ("TaskScheduled", batch),
            ("TaskStarted", batch_short),
            (
                "TaskSubmitted",
                r#"{"resourceType": "batch", "resource": "submitJob.sync", "output": "{\"JobId\":\"j\"}"}"#,
            ),
            ("ExecutionAborted", ""),
        ];
        let import = import_history(&history(&events, None), None, "M", "T").unwrap();
        let config = import.mock_config;
        assert_eq!(
            responses(&config, "T.Wait for approval"),
            r#"{"0":{"Return":{"approved":true},"Submitted":{"MessageId":"m1"}}}"#
        );
        assert_eq!(
            responses(&config, "T.Job"),
            r#"{"0":{"Throw":{"Error":"States.Timeout","Cause":""},"Submitted":{"JobId":"j"}},"1":{"Silent":true,"Submitted":{"JobId":"j"}}}"#
        );
        // The file is one the service layer accepts.
        assert!(crate::services::MockConfig::from_value(config).is_ok());
        assert!(import.notes.is_empty(), "{:?}", import.notes);
    }

    #[test]
    fn the_definition_separates_concurrent_branches_without_ids() {
        let definition = json::parse(
            r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": true}}},
                {"StartAt": "B", "States": {"B": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}}]}}}"#,
        )
        .unwrap();
        let events = [
            ("ExecutionStarted", r#"{"input": "{}"}"#),
            ("ParallelStateEntered", r#"{"name": "P", "input": "{}"}"#),
            ("ParallelStateStarted", ""),
            ("TaskStateEntered", r#"{"name": "A", "input": "{}"}"#),
            ("TaskStateEntered", r#"{"name": "B", "input": "{}"}"#),
            (
                "TaskScheduled",
                r#"{"resourceType": "sqs", "resource": "sendMessage", "region": "us-east-1", "parameters": "{}"}"#,
            ),
            (
                "TaskScheduled",
                r#"{"resourceType": "sns", "resource": "publish", "region": "us-east-1", "parameters": "{}"}"#,
            ),
            ("TaskSucceeded", r#"{"resourceType": "sns", "resource": "publish", "output": "\"sns\""}"#),
            ("TaskSucceeded", r#"{"resourceType": "sqs", "resource": "sendMessage", "output": "\"sqs\""}"#),
        ];
        let config = mock_config_from_history(&history(&events, None), Some(&definition), "M", "T").unwrap();
        assert_eq!(responses(&config, "T.A"), r#"{"0":{"Return":"sns"}}"#);
        assert_eq!(responses(&config, "T.B"), r#"{"0":{"Return":"sqs"}}"#);
    }

    #[test]
    fn distributed_maps_are_noted() {
        let definition = json::parse(
            r#"{"StartAt": "D", "States": {"D": {"Type": "Map", "End": true, "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Inner", "States": {"Inner": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}}}}"#,
        )
        .unwrap();
        let events = [
            ("ExecutionStarted", r#"{"input": "{}"}"#),
            ("MapStateEntered", r#"{"name": "D", "input": "{}"}"#),
            ("MapStateStarted", r#"{"length": 0}"#),
            ("MapRunStarted", r#"{"mapRunArn": "arn"}"#),
            ("MapRunSucceeded", ""),
        ];
        let import = import_history(&history(&events, None), Some(&definition), "M", "T").unwrap();
        assert_eq!(import.notes.len(), 1, "{:?}", import.notes);
        assert!(
            import.notes[0].contains("Distributed Map 'D'") && import.notes[0].contains("Inner"),
            "{:?}",
            import.notes
        );
        let import = import_history(&history(&events, None), None, "M", "T").unwrap();
        assert!(import.notes[0].contains("Distributed Map 'D'"), "{:?}", import.notes);
    }

    #[test]
    fn normalized_events_are_read_as_parsed() {
        let events = json::parse(
            r#"[{"type": "TaskStateEntered", "details": {"name": "S", "input": {}}},
                {"type": "TaskScheduled", "details": {"resourceType": "lambda", "resource": "invoke", "parameters": {}}},
                {"type": "TaskSucceeded", "details": {"resourceType": "lambda", "resource": "invoke", "output": "not json text"}},
                {"type": "TaskStateEntered", "details": {"name": "S", "input": {}}},
                {"type": "TaskScheduled", "details": {"resourceType": "lambda", "resource": "invoke", "parameters": {}}},
                {"type": "TaskFailed", "details": {"resourceType": "lambda", "resource": "invoke", "error": "E", "cause": {"errorMessage": "m"}}}]"#,
        )
        .unwrap();
        let config = mock_config_from_history(&events, None, "M", "T").unwrap();
        assert_eq!(
            responses(&config, "T.S"),
            r#"{"0":{"Return":"not json text"},"1":{"Throw":{"Error":"E","Cause":"{\"errorMessage\":\"m\"}"}}}"#
        );
    }

    #[test]
    fn malformed_histories_are_errors_with_places() {
        let cases: &[(&str, &str, &str)] = &[
            ("5", "", "Expected {\"events\""),
            (r#"{"events": {}}"#, "/events", "must be an array"),
            (r#"{"events": [3]}"#, "/events/0", "must be an object"),
            (r#"{"events": [{"id": 1}]}"#, "/events/0/type", "needs a type"),
            (r#"[{"id": -1, "type": "X"}]"#, "/0/id", "non-negative integer"),
            (r#"[{"id": 1, "type": "X"}, {"id": 1, "type": "Y"}]"#, "/1/id", "appears twice"),
            (r#"[{"id": 1, "type": "TaskScheduled", "taskScheduledEventDetails": {}}]"#, "/0", "No running Task state"),
            (
                r#"[{"id": 1, "type": "TaskSucceeded", "taskSucceededEventDetails": {}}]"#,
                "/0",
                "follows no scheduled call",
            ),
            (
                r#"[{"id": 1, "type": "TaskStateEntered", "stateEnteredEventDetails": {}}]"#,
                "/0/stateEnteredEventDetails/name",
                "needs the state's name",
            ),
            (
                r#"[{"id": 1, "type": "TaskStateEntered", "stateEnteredEventDetails": {"name": "S"}},
                    {"id": 2, "type": "TaskScheduled", "taskScheduledEventDetails": {}},
                    {"id": 3, "type": "TaskSucceeded", "taskSucceededEventDetails": {"output": "{oops"}}]"#,
                "/2/taskSucceededEventDetails/output",
                "not JSON text",
            ),
            (
                r#"[{"id": 1, "type": "TaskStateEntered", "stateEnteredEventDetails": {"name": "S"}},
                    {"id": 2, "type": "TaskScheduled", "taskScheduledEventDetails": {}},
                    {"id": 3, "type": "TaskSubmitted", "taskSubmittedEventDetails": {"output": 5}}]"#,
                "/2/taskSubmittedEventDetails/output",
                "must be JSON text",
            ),
        ];
        for (text, pointer, message) in cases {
            let e = mock_config_from_history(&json::parse(text).unwrap(), None, "M", "T").unwrap_err();
            assert_eq!(e.pointer, *pointer, "{text}: {e}");
            assert!(e.message.contains(message), "{text}: {e}");
        }
    }

    #[test]
    fn latency_comes_from_timestamps_capped_by_the_heartbeat() {
        let text = r#"[
          {"id": 1, "timestamp": "2024-05-01T10:00:00.000000+00:00", "type": "TaskStateEntered", "stateEnteredEventDetails": {"name": "S"}},
          {"id": 2, "timestamp": "2024-05-01T10:00:00.250000+00:00", "type": "TaskScheduled", "taskScheduledEventDetails": {"resourceType": "lambda", "resource": "invoke"}},
          {"id": 3, "timestamp": "2024-05-01T10:00:02.750000+00:00", "type": "TaskSucceeded", "taskSucceededEventDetails": {"resourceType": "lambda", "resource": "invoke", "output": "1"}},
          {"id": 4, "timestamp": 1714557610.0, "type": "ActivityScheduled", "activityScheduledEventDetails": {"resource": "arn:a", "heartbeatInSeconds": 5}},
          {"id": 5, "timestamp": 1714557640.5, "type": "ActivitySucceeded", "activitySucceededEventDetails": {"output": "2"}}]"#;
        let config = mock_config_from_history(&json::parse(text).unwrap(), None, "M", "T").unwrap();
        assert_eq!(responses(&config, "T.S"), r#"{"0":{"Return":1,"Latency":2.5},"1":{"Return":2,"Latency":5.0}}"#);
    }

    #[test]
    fn cycles_in_previous_event_ids_do_not_hang() {
        let text = r#"[{"id": 1, "previousEventId": 2, "type": "TaskStateEntered", "stateEnteredEventDetails": {"name": "S"}},
                       {"id": 2, "previousEventId": 3, "type": "TaskStarted"},
                       {"id": 3, "previousEventId": 2, "type": "TaskScheduled", "taskScheduledEventDetails": {}}]"#;
        let config = mock_config_from_history(&json::parse(text).unwrap(), None, "M", "T").unwrap();
        assert_eq!(responses(&config, "T.S"), r#"{"0":{"Silent":true}}"#);
    }

    #[test]
    fn the_texts_version_reads_json_and_keeps_the_recorded_input() {
        let events = [
            ("ExecutionStarted", r#"{"input": "{\"a\": 1}"}"#),
            ("PassStateEntered", r#"{"name": "P", "input": "{}"}"#),
            ("ExecutionSucceeded", r#"{"output": "{}"}"#),
        ];
        let text = json::to_string(&history(&events, None));
        let import = import_history_text(&text, "  ", "M", "T").unwrap();
        assert_eq!(import.input.as_deref(), Some(r#"{"a": 1}"#));
        // Normalized events carry the input as a value.
        let normalized = r#"[{"id": 1, "type": "ExecutionStarted", "details": {"input": {"b": [2]}}}]"#;
        assert_eq!(import_history_text(normalized, "", "M", "T").unwrap().input.as_deref(), Some(r#"{"b":[2]}"#));
        assert_eq!(import_history_text("[]", "", "M", "T").unwrap().input, None);
        let e = import_history_text("{\n  \"events\": [,]}", "", "M", "T").unwrap_err();
        assert!(e.message.starts_with("The history is not JSON: "), "{e}");
        assert_eq!((e.line, e.column), (Some(2), Some(14)));
        assert_eq!(e.to_value().get("line"), Some(&Value::from(2)));
    }
}
