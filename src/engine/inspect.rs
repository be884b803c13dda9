//! What happened inside each state: its input after every data-flow stage, the variables in
//! scope, the error and the retry or catch it led to. The same data AWS's TestState returns
//! as `inspectionData` at the DEBUG level, recorded for every state of a run when
//! `Options::inspect` is on (the playground's state inspector shows it).

use super::Fiber;
use crate::history::Assignments;
use crate::value::{Map, Value};
use std::rc::Rc;

/// One visit of one state.
#[derive(Clone, Debug, Default)]
pub struct Inspection {
    pub state: Rc<str>,
    /// The id of the `*StateEntered` event in the execution's history. (A distributed Map's
    /// child executions record no inspections: 100,000 of them would cost memory for data
    /// nothing shows.)
    pub entered_event: u64,
    pub input: Value,
    /// Workflow variables in scope when the state was entered.
    pub variables: Option<Value>,
    pub after_input_path: Option<Value>,
    pub after_parameters: Option<Value>,
    pub after_arguments: Option<Value>,
    pub after_items_path: Option<Value>,
    pub result: Option<Value>,
    pub after_result_selector: Option<Value>,
    pub after_result_path: Option<Value>,
    pub output: Option<Value>,
    pub assigned: Option<Assignments>,
    pub max_concurrency: Option<u64>,
    pub tolerated_failure_count: Option<u64>,
    pub tolerated_failure_percentage: Option<f64>,
    pub error: Option<Rc<str>>,
    pub cause: Option<Rc<str>>,
    /// The retrier that matched the last error and the delay before the next attempt.
    pub retry_index: Option<usize>,
    pub retry_backoff_seconds: Option<f64>,
    /// How many retries happened in this visit.
    pub retries: u32,
    pub catch_index: Option<usize>,
    pub next_state: Option<Rc<str>>,
}

impl Inspection {
    /// Every recorded stage as JSON values (not text), with AWS's member names.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.push_unique("state", Value::String(self.state.clone()));
        m.push_unique("enteredEventId", Value::from(self.entered_event as i64));
        m.push_unique("input", self.input.clone());
        let opt = |m: &mut Map, k: &str, v: &Option<Value>| {
            if let Some(v) = v {
                m.push_unique(k, v.clone());
            }
        };
        opt(&mut m, "variables", &self.variables);
        opt(&mut m, "afterInputPath", &self.after_input_path);
        opt(&mut m, "afterParameters", &self.after_parameters);
        opt(&mut m, "afterArguments", &self.after_arguments);
        opt(&mut m, "afterItemsPath", &self.after_items_path);
        opt(&mut m, "result", &self.result);
        opt(&mut m, "afterResultSelector", &self.after_result_selector);
        opt(&mut m, "afterResultPath", &self.after_result_path);
        opt(&mut m, "output", &self.output);
        if let Some(a) = &self.assigned {
            m.push_unique("assignedVariables", Value::from(a.iter().cloned().collect::<Map>()));
        }
        if let Some(n) = self.max_concurrency {
            m.push_unique("maxConcurrency", Value::from(n as i64));
        }
        if let Some(n) = self.tolerated_failure_count {
            m.push_unique("toleratedFailureCount", Value::from(n as i64));
        }
        if let Some(n) = self.tolerated_failure_percentage {
            m.push_unique("toleratedFailurePercentage", Value::from(n));
        }
        if let Some(e) = &self.error {
            m.push_unique("error", Value::String(e.clone()));
        }
        if let Some(c) = &self.cause {
            m.push_unique("cause", Value::String(c.clone()));
        }
        if self.retry_index.is_some() || self.catch_index.is_some() {
            m.push_unique("errorDetails", self.error_details());
        }
        if self.retries > 0 {
            m.push_unique("retries", Value::from(self.retries as i64));
        }
        if let Some(n) = &self.next_state {
            m.push_unique("nextState", Value::String(n.clone()));
        }
        Value::from(m)
    }

    /// TestState's `errorDetails`: `catchIndex`, `retryIndex`, `retryBackoffIntervalSeconds`.
    pub fn error_details(&self) -> Value {
        let mut d = Map::new();
        if let Some(i) = self.catch_index {
            d.push_unique("catchIndex", Value::from(i));
        }
        if let Some(i) = self.retry_index {
            d.push_unique("retryIndex", Value::from(i));
        }
        if let Some(s) = self.retry_backoff_seconds {
            let v = if s.fract() == 0.0 { Value::from(s as i64) } else { Value::from(s) };
            d.push_unique("retryBackoffIntervalSeconds", v);
        }
        Value::from(d)
    }
}

/// Updates the fiber's current inspection, if inspection is on.
pub(super) fn record(fibers: &mut [Fiber], fid: usize, f: impl FnOnce(&mut Inspection)) {
    if let Some(i) = fibers.get_mut(fid).and_then(|x| x.inspection.as_deref_mut()) {
        f(i);
    }
}
