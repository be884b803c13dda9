//! Execution history: the events of `GetExecutionHistory`, held as values and rendered as
//! AWS's JSON (with `input`/`output`/`parameters` as JSON text) only when asked.

use crate::time::{format_cli, Millis};
use crate::value::{Map, Value};
use std::rc::Rc;

/// Variables a state assigned, in assignment order (the `assignedVariables` of a history event).
pub type Assignments = Rc<Vec<(Rc<str>, Value)>>;

/// The type of a history event, spelled as AWS spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventType {
    ExecutionStarted,
    ExecutionSucceeded,
    ExecutionFailed,
    ExecutionAborted,
    ExecutionTimedOut,
    StateEntered(StateType),
    StateExited(StateType),
    StateAborted(StateType),
    ParallelStateStarted,
    ParallelStateSucceeded,
    ParallelStateFailed,
    MapStateStarted,
    MapStateSucceeded,
    MapStateFailed,
    MapIterationStarted,
    MapIterationSucceeded,
    MapIterationFailed,
    MapIterationAborted,
    MapRunStarted,
    MapRunSucceeded,
    MapRunFailed,
    MapRunAborted,
    TaskScheduled,
    TaskStarted,
    TaskStartFailed,
    TaskSubmitted,
    TaskSubmitFailed,
    TaskSucceeded,
    TaskFailed,
    TaskTimedOut,
    LambdaFunctionScheduled,
    LambdaFunctionScheduleFailed,
    LambdaFunctionStarted,
    LambdaFunctionStartFailed,
    LambdaFunctionSucceeded,
    LambdaFunctionFailed,
    LambdaFunctionTimedOut,
    ActivityScheduled,
    ActivityScheduleFailed,
    ActivityStarted,
    ActivitySucceeded,
    ActivityFailed,
    ActivityTimedOut,
    EvaluationFailed,
}

/// The state types, for the `*StateEntered` / `*StateExited` / `*StateAborted` families.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StateType {
    Pass,
    Task,
    Choice,
    Wait,
    Succeed,
    Fail,
    Parallel,
    Map,
}

impl StateType {
    pub fn as_str(self) -> &'static str {
        match self {
            StateType::Pass => "Pass",
            StateType::Task => "Task",
            StateType::Choice => "Choice",
            StateType::Wait => "Wait",
            StateType::Succeed => "Succeed",
            StateType::Fail => "Fail",
            StateType::Parallel => "Parallel",
            StateType::Map => "Map",
        }
    }
}

impl EventType {
    /// AWS's name of the event type: `PassStateEntered`, `TaskScheduled`, ...
    pub fn name(self) -> std::borrow::Cow<'static, str> {
        use EventType::*;
        let s = match self {
            StateEntered(t) => return format!("{}StateEntered", t.as_str()).into(),
            StateExited(t) => return format!("{}StateExited", t.as_str()).into(),
            StateAborted(t) => return format!("{}StateAborted", t.as_str()).into(),
            ExecutionStarted => "ExecutionStarted",
            ExecutionSucceeded => "ExecutionSucceeded",
            ExecutionFailed => "ExecutionFailed",
            ExecutionAborted => "ExecutionAborted",
            ExecutionTimedOut => "ExecutionTimedOut",
            ParallelStateStarted => "ParallelStateStarted",
            ParallelStateSucceeded => "ParallelStateSucceeded",
            ParallelStateFailed => "ParallelStateFailed",
            MapStateStarted => "MapStateStarted",
            MapStateSucceeded => "MapStateSucceeded",
            MapStateFailed => "MapStateFailed",
            MapIterationStarted => "MapIterationStarted",
            MapIterationSucceeded => "MapIterationSucceeded",
            MapIterationFailed => "MapIterationFailed",
            MapIterationAborted => "MapIterationAborted",
            MapRunStarted => "MapRunStarted",
            MapRunSucceeded => "MapRunSucceeded",
            MapRunFailed => "MapRunFailed",
            MapRunAborted => "MapRunAborted",
            TaskScheduled => "TaskScheduled",
            TaskStarted => "TaskStarted",
            TaskStartFailed => "TaskStartFailed",
            TaskSubmitted => "TaskSubmitted",
            TaskSubmitFailed => "TaskSubmitFailed",
            TaskSucceeded => "TaskSucceeded",
            TaskFailed => "TaskFailed",
            TaskTimedOut => "TaskTimedOut",
            LambdaFunctionScheduled => "LambdaFunctionScheduled",
            LambdaFunctionScheduleFailed => "LambdaFunctionScheduleFailed",
            LambdaFunctionStarted => "LambdaFunctionStarted",
            LambdaFunctionStartFailed => "LambdaFunctionStartFailed",
            LambdaFunctionSucceeded => "LambdaFunctionSucceeded",
            LambdaFunctionFailed => "LambdaFunctionFailed",
            LambdaFunctionTimedOut => "LambdaFunctionTimedOut",
            ActivityScheduled => "ActivityScheduled",
            ActivityScheduleFailed => "ActivityScheduleFailed",
            ActivityStarted => "ActivityStarted",
            ActivitySucceeded => "ActivitySucceeded",
            ActivityFailed => "ActivityFailed",
            ActivityTimedOut => "ActivityTimedOut",
            EvaluationFailed => "EvaluationFailed",
        };
        s.into()
    }

    /// The name of the `...EventDetails` member this event type carries, if any.
    pub fn details_key(self) -> Option<&'static str> {
        use EventType::*;
        Some(match self {
            ExecutionStarted => "executionStartedEventDetails",
            ExecutionSucceeded => "executionSucceededEventDetails",
            ExecutionFailed => "executionFailedEventDetails",
            ExecutionAborted => "executionAbortedEventDetails",
            ExecutionTimedOut => "executionTimedOutEventDetails",
            StateEntered(_) => "stateEnteredEventDetails",
            StateExited(_) => "stateExitedEventDetails",
            MapStateStarted => "mapStateStartedEventDetails",
            MapIterationStarted => "mapIterationStartedEventDetails",
            MapIterationSucceeded => "mapIterationSucceededEventDetails",
            MapIterationFailed => "mapIterationFailedEventDetails",
            MapIterationAborted => "mapIterationAbortedEventDetails",
            MapRunStarted => "mapRunStartedEventDetails",
            MapRunFailed => "mapRunFailedEventDetails",
            TaskScheduled => "taskScheduledEventDetails",
            TaskStarted => "taskStartedEventDetails",
            TaskStartFailed => "taskStartFailedEventDetails",
            TaskSubmitted => "taskSubmittedEventDetails",
            TaskSubmitFailed => "taskSubmitFailedEventDetails",
            TaskSucceeded => "taskSucceededEventDetails",
            TaskFailed => "taskFailedEventDetails",
            TaskTimedOut => "taskTimedOutEventDetails",
            LambdaFunctionScheduled => "lambdaFunctionScheduledEventDetails",
            LambdaFunctionScheduleFailed => "lambdaFunctionScheduleFailedEventDetails",
            LambdaFunctionStartFailed => "lambdaFunctionStartFailedEventDetails",
            LambdaFunctionSucceeded => "lambdaFunctionSucceededEventDetails",
            LambdaFunctionFailed => "lambdaFunctionFailedEventDetails",
            LambdaFunctionTimedOut => "lambdaFunctionTimedOutEventDetails",
            ActivityScheduled => "activityScheduledEventDetails",
            ActivityScheduleFailed => "activityScheduleFailedEventDetails",
            ActivityStarted => "activityStartedEventDetails",
            ActivitySucceeded => "activitySucceededEventDetails",
            ActivityFailed => "activityFailedEventDetails",
            ActivityTimedOut => "activityTimedOutEventDetails",
            EvaluationFailed => "evaluationFailedEventDetails",
            StateAborted(_)
            | ParallelStateStarted
            | ParallelStateSucceeded
            | ParallelStateFailed
            | MapStateSucceeded
            | MapStateFailed
            | LambdaFunctionStarted
            | MapRunSucceeded
            | MapRunAborted => return None,
        })
    }
}

/// The details of an event. Only the fields its type carries are set; they render in AWS's
/// member names.
#[derive(Clone, Debug, Default)]
pub struct Details {
    /// State name (state events), Map state name (iteration events), or `state` of EvaluationFailed.
    pub name: Option<Rc<str>>,
    pub input: Option<Value>,
    pub output: Option<Value>,
    pub error: Option<Rc<str>>,
    pub cause: Option<Rc<str>>,
    /// A Map iteration's index.
    pub index: Option<u32>,
    pub assigned_variables: Option<Assignments>,
    pub task: Option<Rc<TaskDetails>>,
    /// What few event types carry, out of line: every event is smaller for it (112 bytes
    /// in the wasm build instead of 152), and a long history is that much lighter.
    pub rare: Option<Box<RareDetails>>,
    /// Not part of AWS's history: the task's answer came from a default service response,
    /// not from a mock the user gave.
    pub default_response: bool,
}

/// The details only a few event types carry.
#[derive(Clone, Debug, Default)]
pub struct RareDetails {
    /// MapStateStarted `length`.
    pub length: Option<u64>,
    /// EvaluationFailed `location`, ActivityStarted `workerName`, or MapRunStarted `mapRunArn`.
    pub location: Option<Rc<str>>,
    /// ExecutionStarted `roleArn`.
    pub role_arn: Option<Rc<str>>,
}

impl Details {
    /// Details with `rare` set.
    pub fn rare(rare: RareDetails) -> Details {
        Details { rare: Some(Box::new(rare)), ..Details::default() }
    }

    pub fn length(&self) -> Option<u64> {
        self.rare.as_ref().and_then(|r| r.length)
    }

    pub fn location(&self) -> Option<&Rc<str>> {
        self.rare.as_ref().and_then(|r| r.location.as_ref())
    }

    pub fn role_arn(&self) -> Option<&Rc<str>> {
        self.rare.as_ref().and_then(|r| r.role_arn.as_ref())
    }
}

/// What a Task event says about the task.
#[derive(Clone, Debug, Default)]
pub struct TaskDetails {
    pub resource_type: Rc<str>,
    pub resource: Rc<str>,
    pub region: Rc<str>,
    pub parameters: Value,
    pub timeout_seconds: Option<u64>,
    pub heartbeat_seconds: Option<u64>,
    pub credentials_role_arn: Option<Rc<str>>,
}

/// One event of an execution's history.
#[derive(Clone, Debug)]
pub struct HistoryEvent {
    pub id: u64,
    pub previous_event_id: u64,
    /// On the virtual clock.
    pub timestamp: Millis,
    pub event_type: EventType,
    pub details: Details,
}

fn text(v: &Value) -> Value {
    Value::from(crate::json::to_string(v))
}

fn not_truncated() -> Value {
    let mut m = Map::new();
    m.push_unique("truncated", Value::Bool(false));
    Value::from(m)
}

impl HistoryEvent {
    /// The event as `aws stepfunctions get-execution-history` prints it.
    pub fn to_value(&self) -> Value {
        let mut m = Map::with_capacity(5);
        m.push_unique("timestamp", Value::from(format_cli(self.timestamp)));
        m.push_unique("type", Value::from(&*self.event_type.name()));
        m.push_unique("id", Value::from(self.id as i64));
        m.push_unique("previousEventId", Value::from(self.previous_event_id as i64));
        if let Some(key) = self.event_type.details_key() {
            m.push_unique(key, self.details_value());
        }
        Value::from(m)
    }

    /// The content of the `...EventDetails` member.
    pub fn details_value(&self) -> Value {
        use EventType::*;
        let d = &self.details;
        let mut m = Map::new();
        let s = |x: &Option<Rc<str>>| x.as_ref().map(|s| Value::String(s.clone()));
        let task = d.task.as_deref();
        match self.event_type {
            ExecutionStarted => {
                if let Some(i) = &d.input {
                    m.push_unique("input", text(i));
                    m.push_unique("inputDetails", not_truncated());
                }
                if let Some(r) = d.role_arn() {
                    m.push_unique("roleArn", Value::String(r.clone()));
                }
            }
            ExecutionSucceeded | LambdaFunctionSucceeded | ActivitySucceeded => {
                if let Some(o) = &d.output {
                    m.push_unique("output", text(o));
                    m.push_unique("outputDetails", not_truncated());
                }
            }
            StateEntered(_) => {
                m.push_unique("name", s(&d.name).unwrap_or_default());
                if let Some(i) = &d.input {
                    m.push_unique("input", text(i));
                    m.push_unique("inputDetails", not_truncated());
                }
            }
            StateExited(_) => {
                m.push_unique("name", s(&d.name).unwrap_or_default());
                if let Some(o) = &d.output {
                    m.push_unique("output", text(o));
                    m.push_unique("outputDetails", not_truncated());
                }
                // AWS leaves `assignedVariables` out when a state assigned nothing (`"Assign": {}`).
                if let Some(vars) = d.assigned_variables.as_ref().filter(|v| !v.is_empty()) {
                    let mut av = Map::with_capacity(vars.len());
                    for (k, v) in vars.iter() {
                        av.insert(k.clone(), text(v));
                    }
                    m.push_unique("assignedVariables", Value::from(av));
                    m.push_unique("assignedVariablesDetails", not_truncated());
                }
            }
            MapStateStarted => {
                m.push_unique("length", Value::from(d.length().unwrap_or(0) as i64));
            }
            MapRunStarted => {
                if let Some(arn) = d.location() {
                    m.push_unique("mapRunArn", Value::String(arn.clone()));
                }
            }
            MapIterationStarted | MapIterationSucceeded | MapIterationFailed | MapIterationAborted => {
                m.push_unique("name", s(&d.name).unwrap_or_default());
                m.push_unique("index", Value::from(i64::from(d.index.unwrap_or(0))));
            }
            TaskScheduled => {
                if let Some(t) = task {
                    m.push_unique("resourceType", Value::String(t.resource_type.clone()));
                    m.push_unique("resource", Value::String(t.resource.clone()));
                    m.push_unique("region", Value::String(t.region.clone()));
                    m.push_unique("parameters", text(&t.parameters));
                    if let Some(x) = t.timeout_seconds {
                        m.push_unique("timeoutInSeconds", Value::from(x as i64));
                    }
                    if let Some(x) = t.heartbeat_seconds {
                        m.push_unique("heartbeatInSeconds", Value::from(x as i64));
                    }
                    if let Some(r) = &t.credentials_role_arn {
                        let mut c = Map::new();
                        c.push_unique("roleArn", Value::String(r.clone()));
                        m.push_unique("taskCredentials", Value::from(c));
                    }
                }
            }
            LambdaFunctionScheduled | ActivityScheduled => {
                if let Some(t) = task {
                    m.push_unique("resource", Value::String(t.resource.clone()));
                }
                if let Some(i) = &d.input {
                    m.push_unique("input", text(i));
                    m.push_unique("inputDetails", not_truncated());
                }
                if let Some(t) = task {
                    if let Some(x) = t.timeout_seconds {
                        m.push_unique("timeoutInSeconds", Value::from(x as i64));
                    }
                    if let Some(x) = t.heartbeat_seconds.filter(|_| self.event_type == ActivityScheduled) {
                        m.push_unique("heartbeatInSeconds", Value::from(x as i64));
                    }
                    if let Some(r) = &t.credentials_role_arn {
                        let mut c = Map::new();
                        c.push_unique("roleArn", Value::String(r.clone()));
                        m.push_unique("taskCredentials", Value::from(c));
                    }
                }
            }
            ActivityStarted => {
                if let Some(w) = d.location() {
                    m.push_unique("workerName", Value::String(w.clone()));
                }
            }
            TaskStarted | TaskSucceeded | TaskSubmitted | TaskFailed | TaskStartFailed | TaskSubmitFailed
            | TaskTimedOut => {
                if let Some(t) = task {
                    m.push_unique("resourceType", Value::String(t.resource_type.clone()));
                    m.push_unique("resource", Value::String(t.resource.clone()));
                }
                if let Some(o) = &d.output {
                    m.push_unique("output", text(o));
                    m.push_unique("outputDetails", not_truncated());
                }
                push_error(&mut m, d);
            }
            EvaluationFailed => {
                push_error(&mut m, d);
                if let Some(l) = d.location() {
                    m.push_unique("location", Value::String(l.clone()));
                }
                if let Some(n) = s(&d.name) {
                    m.push_unique("state", n);
                }
            }
            _ => push_error(&mut m, d),
        }
        Value::from(m)
    }
}

/// `error` and `cause`; AWS leaves out empty ones (a timeout's cause is empty).
fn push_error(m: &mut Map, d: &Details) {
    if let Some(e) = d.error.as_ref().filter(|e| !e.is_empty()) {
        m.push_unique("error", Value::String(e.clone()));
    }
    if let Some(c) = d.cause.as_ref().filter(|c| !c.is_empty()) {
        m.push_unique("cause", Value::String(c.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details_of(event_type: EventType, details: Details) -> String {
        HistoryEvent { id: 1, previous_event_id: 0, timestamp: 0, event_type, details }.details_value().to_string()
    }

    #[test]
    fn rare_details_render_in_their_members() {
        let role = RareDetails { role_arn: Some("arn:aws:iam::1:role/r".into()), ..RareDetails::default() };
        let started = Details { input: Some(Value::from(1)), ..Details::rare(role) };
        assert_eq!(
            details_of(EventType::ExecutionStarted, started),
            r#"{"input":"1","inputDetails":{"truncated":false},"roleArn":"arn:aws:iam::1:role/r"}"#
        );
        let length = Details::rare(RareDetails { length: Some(3), ..RareDetails::default() });
        assert_eq!(details_of(EventType::MapStateStarted, length), r#"{"length":3}"#);
        let arn = Details::rare(RareDetails { location: Some("arn:run".into()), ..RareDetails::default() });
        assert_eq!(details_of(EventType::MapRunStarted, arn), r#"{"mapRunArn":"arn:run"}"#);
        let failed = Details {
            error: Some("States.QueryEvaluationError".into()),
            name: Some("A".into()),
            ..Details::rare(RareDetails { location: Some("Output".into()), ..RareDetails::default() })
        };
        assert_eq!(
            details_of(EventType::EvaluationFailed, failed),
            r#"{"error":"States.QueryEvaluationError","location":"Output","state":"A"}"#
        );
        let iteration = Details { name: Some("M".into()), index: Some(u32::MAX), ..Details::default() };
        assert_eq!(details_of(EventType::MapIterationStarted, iteration), r#"{"name":"M","index":4294967295}"#);
        // Without them, nothing is allocated out of line.
        assert!(Details::default().rare.is_none() && Details::default().location().is_none());
    }
}
