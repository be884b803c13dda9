//! Task states: scheduling the call, the service's answer on the virtual clock, timeouts,
//! and the result's way through ResultSelector, ResultPath and OutputPath.

use super::dataflow::{plain, Flow};
use super::errors::Failure;
use super::{Execution, Phase};
use crate::definition::model::{Kind, NumberField, Transition};
use crate::history::{Details, EventType, TaskDetails};
use crate::query::EvalError;
use crate::services::{Resource, ResourceKind, TaskRequest, TaskResponse};
use crate::value::Value;
use std::rc::Rc;

/// Seconds from a `TimeoutSeconds`/`HeartbeatSeconds` field, read from the effective input
/// when given by path.
fn seconds(field: &NumberField, flow: &mut Flow, input: &Value, name: &str) -> Result<u64, EvalError> {
    match field {
        NumberField::Literal(s) => Ok(s.max(0.0) as u64),
        NumberField::Path(p) => {
            let env = crate::query::Env { input, context: &flow.context, variables: &*flow.scope, random: flow.random };
            let v = p.select(&env).map_err(|e| EvalError::runtime(format!("Invalid path '{}' : {e}", p.as_str())))?;
            match v.as_i64() {
                Some(i) if i > 0 => Ok(i as u64),
                _ => Err(EvalError::runtime(format!(
                    "The {name}Path field refers to value \"{}\" which is not a valid integer: {}",
                    plain(&v),
                    p.as_str()
                ))),
            }
        }
        NumberField::Jsonata(_) => Err(EvalError::runtime("JSONata is not supported yet")),
    }
}

impl Execution {
    pub(super) fn task_scheduled(&mut self, fid: usize, parameters: Value) {
        let def = self.def.clone();
        let f = &self.fibers[fid];
        let state = &def.lists[f.list].states[f.state];
        let Kind::Task(task) = &state.kind else { return };
        let Some(resource) = Resource::parse(&task.resource) else {
            let failure = self.runtime_failure(
                fid,
                EvalError::runtime(format!("The resource {} does not exist.", task.resource)),
            );
            self.continue_with(fid, Phase::ListFailed { failure });
            return;
        };
        let raw = f.input.clone();
        let mut flow = Flow { scope: f.scope.clone(), context: Value::Null, random: &mut self.random };
        let timeouts = (|| -> Result<(Option<u64>, Option<u64>), EvalError> {
            let t = match &task.timeout {
                Some(t) => Some(seconds(t, &mut flow, &raw, "TimeoutSeconds")?),
                None => None,
            };
            let h = match &task.heartbeat {
                Some(h) => Some(seconds(h, &mut flow, &raw, "HeartbeatSeconds")?),
                None => None,
            };
            Ok((t, h))
        })();
        let (timeout, heartbeat) = match timeouts {
            Ok(t) => t,
            Err(e) => {
                let failure = self.runtime_failure(fid, e);
                self.continue_with(fid, Phase::ListFailed { failure });
                return;
            }
        };
        let region = resource.region.clone().unwrap_or_else(|| Rc::from(self.options.ids.region.as_str()));
        let credentials_role_arn = task
            .credentials_raw
            .as_ref()
            .and_then(|c| c.get("RoleArn").and_then(Value::as_str).map(Rc::from));
        let details = Rc::new(TaskDetails {
            resource_type: resource.resource_type.clone(),
            resource: resource.resource.clone(),
            region,
            parameters: parameters.clone(),
            timeout_seconds: timeout,
            heartbeat_seconds: heartbeat,
            credentials_role_arn,
        });
        let event = match resource.kind {
            ResourceKind::Service => EventType::TaskScheduled,
            ResourceKind::LambdaFunction => EventType::LambdaFunctionScheduled,
            ResourceKind::Activity => EventType::ActivityScheduled,
        };
        let input = (resource.kind != ResourceKind::Service).then(|| parameters.clone());
        self.emit(fid, event, Details { task: Some(details), input, ..Details::default() });
        self.continue_with(fid, Phase::TaskStarted { parameters });
    }

    pub(super) fn task_started(&mut self, fid: usize, parameters: Value) {
        let def = self.def.clone();
        let f = &self.fibers[fid];
        let state = &def.lists[f.list].states[f.state];
        let Kind::Task(task) = &state.kind else { return };
        let Some(resource) = Resource::parse(&task.resource) else { return };
        let scheduled = self.events.last().and_then(|e| e.details.task.clone());
        let timeout = scheduled.as_ref().and_then(|t| t.timeout_seconds);
        let event = match resource.kind {
            ResourceKind::Service => EventType::TaskStarted,
            ResourceKind::LambdaFunction => EventType::LambdaFunctionStarted,
            ResourceKind::Activity => EventType::ActivityStarted,
        };
        self.emit(fid, event, Details { task: scheduled.clone(), ..Details::default() });
        let retry_count = self.fibers[fid].retry_count;
        let response = self.services.call(&TaskRequest {
            state_name: &state.name,
            resource: &resource,
            parameters: &parameters,
            task_token: None,
            retry_count,
        });
        let latency = match &response {
            TaskResponse::Succeeded { latency_ms, .. } | TaskResponse::Failed { latency_ms, .. } => Some(*latency_ms as i64),
            TaskResponse::NoResponse => None,
        };
        let timeout_ms = timeout.map(|t| (t as i64).saturating_mul(1000));
        match (latency, timeout_ms) {
            (Some(l), Some(t)) if l > t => self.task_timed_out(fid, t),
            (Some(l), _) => {
                let at = self.now.saturating_add(l);
                self.continue_at(fid, Phase::TaskOutcome { response }, at);
            }
            (None, Some(t)) => self.task_timed_out(fid, t),
            (None, None) => {
                // Waits forever, as a callback task with no timeout would.
                self.fibers[fid].phase = Phase::TaskOutcome { response };
                self.park(fid);
            }
        }
    }

    fn task_timed_out(&mut self, fid: usize, after_ms: i64) {
        let response = TaskResponse::Failed { error: Rc::from("States.Timeout"), cause: None, latency_ms: 0 };
        let at = self.now.saturating_add(after_ms);
        self.continue_at(fid, Phase::TaskOutcome { response }, at);
    }

    pub(super) fn task_outcome(&mut self, fid: usize, response: TaskResponse) {
        let def = self.def.clone();
        let f = &self.fibers[fid];
        let state = &def.lists[f.list].states[f.state];
        let Kind::Task(task) = &state.kind else { return };
        let Some(resource) = Resource::parse(&task.resource) else { return };
        let scheduled = self.events[..].iter().rev().find_map(|e| e.details.task.clone());
        match response {
            TaskResponse::Succeeded { output, .. } => {
                if output.json_len() > super::PAYLOAD_LIMIT {
                    let failure = Failure::new(
                        "States.DataLimitExceeded",
                        format!("The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.", state.name),
                    );
                    let event = match resource.kind {
                        ResourceKind::Service => EventType::TaskFailed,
                        ResourceKind::LambdaFunction => EventType::LambdaFunctionFailed,
                        ResourceKind::Activity => EventType::ActivityFailed,
                    };
                    self.emit(fid, event, Details { task: scheduled, error: Some(failure.error.clone()), cause: failure.cause.clone(), ..Details::default() });
                    self.handle_failure(fid, failure, None);
                    return;
                }
                let event = match resource.kind {
                    ResourceKind::Service => EventType::TaskSucceeded,
                    ResourceKind::LambdaFunction => EventType::LambdaFunctionSucceeded,
                    ResourceKind::Activity => EventType::ActivitySucceeded,
                };
                self.emit(fid, event, Details { task: scheduled, output: Some(output.clone()), ..Details::default() });
                self.state_result(fid, output);
            }
            TaskResponse::Failed { error, cause, .. } => {
                let timed_out = &*error == "States.Timeout";
                let event = match (resource.kind, timed_out) {
                    (ResourceKind::Service, false) => EventType::TaskFailed,
                    (ResourceKind::Service, true) => EventType::TaskTimedOut,
                    (ResourceKind::LambdaFunction, false) => EventType::LambdaFunctionFailed,
                    (ResourceKind::LambdaFunction, true) => EventType::LambdaFunctionTimedOut,
                    (ResourceKind::Activity, false) => EventType::ActivityFailed,
                    (ResourceKind::Activity, true) => EventType::ActivityTimedOut,
                };
                self.emit(fid, event, Details { task: scheduled, error: Some(error.clone()), cause: cause.clone(), ..Details::default() });
                self.handle_failure(fid, Failure { error, cause }, None);
            }
            TaskResponse::NoResponse => {
                self.fibers[fid].phase = Phase::TaskOutcome { response: TaskResponse::NoResponse };
                self.park(fid);
            }
        }
    }

    /// A Task, Parallel or Map state's result: ResultSelector, Assign, ResultPath, OutputPath,
    /// then exit to the state's Next.
    pub(super) fn state_result(&mut self, fid: usize, result: Value) {
        let def = self.def.clone();
        let f = &self.fibers[fid];
        let state = &def.lists[f.list].states[f.state];
        let raw = f.input.clone();
        let next = match state.transition {
            Transition::Next(n) => Some(n),
            Transition::End => None,
        };
        let context = if def.uses_context {
            self.context_base.for_state(&state.name, f.entered_time, f.retry_count, true)
        } else {
            Value::Null
        };
        let mut flow = Flow { scope: f.scope.clone(), context, random: &mut self.random };
        let out = (|| {
            let selected = flow.result_selector(state, result)?;
            let assigned = flow.assign(state.assign.as_ref(), &selected)?;
            let merged = flow.result_path(state, &raw, selected)?;
            let output = flow.output_path(state, &merged)?;
            Ok::<_, EvalError>((output, assigned))
        })();
        match out {
            Ok((output, assigned)) => self.continue_with(fid, Phase::Exit { output, next, assigned }),
            Err(e) => {
                let failure = self.runtime_failure(fid, e);
                self.continue_with(fid, Phase::ListFailed { failure });
            }
        }
    }
}
