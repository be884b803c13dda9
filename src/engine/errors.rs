//! Errors inside an execution: Retry (per-retrier attempts, backoff, jitter) and Catch, and
//! what happens when a state list fails or succeeds.

use super::dataflow::{apply_result_path, Flow};
use super::{Execution, Phase, Role, Status};
use crate::history::{Details, EventType};
use crate::random::Random;
use crate::value::{Map, Value};
use std::rc::Rc;

/// An error raised in a state: AWS's error name and cause.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    pub error: Rc<str>,
    pub cause: Option<Rc<str>>,
    /// A Task's missed heartbeat: recorded as `States.Timeout`, as AWS records it, and also
    /// matched by `States.HeartbeatTimeout`, the name AWS documents for Retry and Catch.
    pub heartbeat: bool,
}

impl Failure {
    pub fn new(error: &str, cause: impl Into<Rc<str>>) -> Failure {
        Failure { error: Rc::from(error), cause: Some(cause.into()), heartbeat: false }
    }

    /// Whether a Retrier's or Catcher's `ErrorEquals` matches this failure.
    pub fn matched_by(&self, error_equals: &[Rc<str>]) -> bool {
        error_matches(error_equals, &self.error)
            || (self.heartbeat && error_equals.iter().any(|e| &**e == "States.HeartbeatTimeout"))
    }

    /// The Error Output a Catcher passes on: `{"Error": ..., "Cause": ...}`.
    pub fn output(&self) -> Value {
        let mut m = Map::with_capacity(2);
        let error = if self.error.is_empty() { Value::Null } else { Value::String(self.error.clone()) };
        m.push_unique("Error", error);
        m.push_unique("Cause", self.cause.clone().map_or(Value::Null, Value::String));
        Value::from(m)
    }
}

/// Whether an `ErrorEquals` list matches an error name.
pub fn error_matches(error_equals: &[Rc<str>], error: &str) -> bool {
    if error == "States.Runtime" {
        return false;
    }
    error_equals.iter().any(|e| {
        &**e == error
            || &**e == "States.ALL"
            || (&**e == "States.TaskFailed" && error != "States.Timeout" && error != "States.HeartbeatTimeout")
    })
}

/// What to do with an error raised by a state.
#[derive(Debug)]
pub enum Decision {
    /// Retry after this many milliseconds.
    Retry(i64),
    /// Caught by the catcher with this index.
    Catch,
    Fail,
}

impl Execution {
    /// Chooses between retrying, catching and failing, updating the retry counters.
    pub(super) fn decide(&mut self, fid: usize, failure: &Failure) -> Decision {
        let def = self.def.clone();
        let f = &self.fibers[fid];
        let state = &def.lists[f.list].states[f.state];
        if let Some(i) = state.retry.iter().position(|r| failure.matched_by(&r.error_equals)) {
            let r = &state.retry[i];
            let attempts = f.retrier_attempts.get(i).copied().unwrap_or(0);
            if attempts < r.max_attempts {
                let mut delay = r.interval_seconds * r.backoff_rate.powi(attempts as i32);
                if let Some(max) = r.max_delay_seconds {
                    delay = delay.min(max);
                }
                if r.jitter_full {
                    let unit = (self.random.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                    delay *= unit;
                }
                super::inspect::record(&mut self.fibers, fid, |x| {
                    x.error = Some(failure.error.clone());
                    x.cause = failure.cause.clone();
                    x.retry_index = Some(i);
                    x.retry_backoff_seconds = Some(delay);
                    x.retries += 1;
                });
                if let Some(t) = self.test.as_deref_mut() {
                    t.retriable = true;
                }
                let f = &mut self.fibers[fid];
                if let Some(a) = f.retrier_attempts.get_mut(i) {
                    *a += 1;
                }
                f.retry_count += 1;
                self.count_transition(fid); // AWS counts each retry as a state transition
                return Decision::Retry((delay * 1000.0).round() as i64);
            }
        }
        match state.catch.iter().position(|c| failure.matched_by(&c.error_equals)) {
            Some(_) => Decision::Catch,
            None => Decision::Fail,
        }
    }

    /// After a state's failure (and its failure event, if any): catch it or fail the list.
    pub(super) fn catch_or_fail(&mut self, fid: usize, failure: Failure) {
        let retrier = state_retrier(self, fid, &failure);
        super::inspect::record(&mut self.fibers, fid, |x| {
            x.error = Some(failure.error.clone());
            x.cause = failure.cause.clone();
            x.retry_index = retrier;
            x.retry_backoff_seconds = None;
        });
        match self.decide_catch_only(fid, &failure) {
            Some(i) => {
                super::inspect::record(&mut self.fibers, fid, |x| x.catch_index = Some(i));
                self.caught(fid, i, failure)
            }
            None => self.continue_with(fid, Phase::ListFailed { failure }),
        }
    }

    fn decide_catch_only(&self, fid: usize, failure: &Failure) -> Option<usize> {
        let f = &self.fibers[fid];
        let state = &self.def.lists[f.list].states[f.state];
        state.catch.iter().position(|c| failure.matched_by(&c.error_equals))
    }

    /// Retry, or (with `failure_event` first, for Parallel/Map) catch or fail.
    pub(super) fn handle_failure(&mut self, fid: usize, failure: Failure, failure_event: Option<EventType>) {
        match self.decide(fid, &failure) {
            Decision::Retry(ms) => {
                let at = self.now.saturating_add(ms);
                self.continue_at(fid, Phase::Run, at);
            }
            Decision::Catch | Decision::Fail => match failure_event {
                Some(event) => self.continue_with(fid, Phase::StateFailed { failure, event: Some(event) }),
                None => self.catch_or_fail(fid, failure),
            },
        }
    }

    /// Catcher `i` took the error: the state exits with the Error Output placed by the
    /// catcher's ResultPath, and goes to the catcher's Next.
    fn caught(&mut self, fid: usize, i: usize, failure: Failure) {
        let def = self.def.clone();
        let f = &self.fibers[fid];
        let state = &def.lists[f.list].states[f.state];
        let catcher = &state.catch[i];
        let raw = f.input.clone();
        let error_output = failure.output();
        if state.query_language == crate::definition::model::QueryLanguage::Jsonata {
            match self.jsonata_caught(fid, i, error_output) {
                Ok(phase) => self.continue_with(fid, phase),
                Err(e) => {
                    let failure = self.runtime_failure(fid, e);
                    self.continue_with(fid, Phase::ListFailed { failure });
                }
            }
            return;
        }
        let scope = f.scope.clone();
        let context = self.state_context(fid);
        let mut flow = Flow { scope, context, random: &mut self.random };
        let result = flow
            .assign(catcher.assign.as_ref(), &error_output)
            .and_then(|assigned| Ok((assigned, apply_result_path(&catcher.result_path, &raw, error_output)?)));
        match result {
            Ok((assigned, output)) => {
                self.continue_with(fid, Phase::Exit { output, next: Some(catcher.next), assigned })
            }
            Err(e) => {
                let failure = self.runtime_failure(fid, e);
                self.continue_with(fid, Phase::ListFailed { failure });
            }
        }
    }

    /// The fiber's state list ended with a success.
    pub(super) fn list_succeeded(&mut self, fid: usize, output: Value) {
        self.park(fid);
        match self.fibers[fid].role {
            Role::Machine => {
                if self.sizes.exceeds(&output, self.options.payload_limit) {
                    let name = self.current_state_name(fid);
                    let failure = Failure::new(
                        "States.DataLimitExceeded",
                        format!("The state/task '{name}' returned a result with a size exceeding the maximum number of bytes service limit."),
                    );
                    self.finish_execution(Status::Failed, None, Some(failure.error), failure.cause);
                } else {
                    self.finish_execution(Status::Succeeded, Some(output), None, None);
                }
            }
            Role::Iteration(i) => {
                match self.fibers[fid].sink {
                    Some(c) => {
                        let details = Details { output: Some(output.clone()), ..Details::default() };
                        self.emit(fid, EventType::ExecutionSucceeded, details);
                        self.children_executions[c].status = Status::Succeeded;
                    }
                    None => {
                        let name = self.parent_state_name(fid);
                        let details = Details { name, index: Some(i), ..Details::default() };
                        self.emit(fid, EventType::MapIterationSucceeded, details);
                    }
                }
                self.child_finished(fid, Ok(output));
            }
            Role::Branch(_) => self.child_finished(fid, Ok(output)),
        }
    }

    /// The fiber's state list ended with an uncaught error.
    pub(super) fn list_failed(&mut self, fid: usize, failure: Failure) {
        self.park(fid);
        if let Some(mut i) = self.fibers[fid].inspection.take() {
            i.error = Some(failure.error.clone());
            i.cause = failure.cause.clone();
            self.inspections.push(*i);
        }
        match self.fibers[fid].role {
            Role::Machine => self.finish_execution(Status::Failed, None, Some(failure.error), failure.cause),
            Role::Iteration(i) => {
                match self.fibers[fid].sink {
                    Some(c) => {
                        let details = Details {
                            error: Some(failure.error.clone()),
                            cause: failure.cause.clone(),
                            ..Details::default()
                        };
                        self.emit(fid, EventType::ExecutionFailed, details);
                        self.children_executions[c].status = Status::Failed;
                    }
                    None => {
                        let name = self.parent_state_name(fid);
                        let details = Details { name, index: Some(i), ..Details::default() };
                        self.emit(fid, EventType::MapIterationFailed, details);
                    }
                }
                self.child_finished(fid, Err(failure));
            }
            Role::Branch(_) => self.child_finished(fid, Err(failure)),
        }
    }

    pub(super) fn current_state_name(&self, fid: usize) -> Rc<str> {
        let f = &self.fibers[fid];
        self.def.lists[f.list].states[f.state].name.clone()
    }
}

/// The retrier whose `ErrorEquals` matches the failure (exhausted or not), for TestState's
/// `errorDetails.retryIndex`.
fn state_retrier(exec: &Execution, fid: usize, failure: &Failure) -> Option<usize> {
    let f = &exec.fibers[fid];
    let state = &exec.def.lists[f.list].states[f.state];
    state.retry.iter().position(|r| failure.matched_by(&r.error_equals))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_rules() {
        let all: Vec<Rc<str>> = vec![Rc::from("States.ALL")];
        assert!(error_matches(&all, "Custom"));
        assert!(error_matches(&all, "States.Timeout"));
        assert!(!error_matches(&all, "States.Runtime"));
        let tf: Vec<Rc<str>> = vec![Rc::from("States.TaskFailed")];
        assert!(error_matches(&tf, "Lambda.Unknown"));
        assert!(!error_matches(&tf, "States.Timeout"));
        let heartbeat: Vec<Rc<str>> = vec![Rc::from("States.HeartbeatTimeout")];
        let mut missed = Failure::new("States.Timeout", "");
        assert!(!missed.matched_by(&heartbeat));
        missed.heartbeat = true;
        assert!(missed.matched_by(&heartbeat) && missed.matched_by(&[Rc::from("States.Timeout")]));
        assert!(!missed.matched_by(&tf));
    }
}
