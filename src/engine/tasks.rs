//! Task states: scheduling the call, the service's answer on the virtual clock, timeouts,
//! and the result's way through ResultSelector, ResultPath and OutputPath.

use super::dataflow::{plain, Flow};
use super::errors::Failure;
use super::inspect::record;
use super::{Execution, Phase};
use crate::definition::model::{Kind, NumberField, Transition};
use crate::history::{Details, EventType, TaskDetails};
use crate::query::EvalError;
use crate::services::{ResourceKind, TaskRequest, TaskResponse};
use crate::value::Value;
use std::rc::Rc;

/// Seconds from a `TimeoutSeconds`/`HeartbeatSeconds` field, read from the effective input
/// when given by path.
fn seconds(field: &NumberField, flow: &mut Flow, input: &Value, name: &str) -> Result<u64, EvalError> {
    match field {
        NumberField::Literal(s) => Ok(s.max(0.0) as u64),
        NumberField::Path(p) => {
            let env = crate::query::Env { input, context: &flow.context, variables: &*flow.scope, random: flow.random };
            let v = p.select_or_invalid_path(&env)?;
            match v.as_i64() {
                Some(i) if i > 0 => Ok(i as u64),
                _ => Err(EvalError::runtime(format!(
                    "The {name}Path field refers to value \"{}\" which is not a valid integer: {}",
                    plain(&v),
                    p.text()
                ))),
            }
        }
        NumberField::Jsonata(_) => Err(EvalError::runtime("JSONata is not supported yet")),
    }
}

/// A Task's `(TimeoutSeconds, HeartbeatSeconds)` and its credentials, as evaluated on entry.
type TaskSettings = ((Option<u64>, Option<u64>), Option<Value>);

/// The current Task state's name, classified resource and `TaskScheduled` details.
type CurrentTask = (Rc<str>, Rc<crate::services::Resource>, Option<Rc<TaskDetails>>);

impl Execution {
    /// A JSONPath Task's timeouts (literal or by path) and credentials (a payload template).
    fn jsonpath_task_settings(
        &mut self,
        fid: usize,
        task: &crate::definition::model::Task,
        raw: &Value,
    ) -> Result<TaskSettings, EvalError> {
        let f = &self.fibers[fid];
        let state = &self.def.lists[f.list].states[f.state];
        let context = if self.def.uses_context {
            self.context_base.for_state(&state.name, f.entered_time, f.retry_count, true)
        } else {
            Value::Null
        };
        let mut flow = Flow { scope: f.scope.clone(), context, random: &mut self.random };
        let t = match &task.timeout {
            Some(t) => Some(seconds(t, &mut flow, raw, "TimeoutSeconds")?),
            None => None,
        };
        let h = match &task.heartbeat {
            Some(h) => Some(seconds(h, &mut flow, raw, "HeartbeatSeconds")?),
            None => None,
        };
        let credentials = match &task.credentials {
            Some(c) => Some(flow.template(c, raw, "Credentials")?),
            None => task.credentials_raw.clone(),
        };
        Ok(((t, h), credentials))
    }

    /// A JSONata Task's timeouts and credentials.
    fn jsonata_task_settings(
        &mut self,
        fid: usize,
        task: &crate::definition::model::Task,
    ) -> Result<TaskSettings, EvalError> {
        let timeouts = self.jsonata_timeouts(fid, task.timeout.as_ref(), task.heartbeat.as_ref())?;
        let credentials = match &task.credentials_jsonata {
            Some(j) => Some(self.jsonata_credentials(fid, j)?),
            None => task.credentials_raw.clone(),
        };
        Ok((timeouts, credentials))
    }

    /// JSONata `TimeoutSeconds` / `HeartbeatSeconds`: positive integers.
    fn jsonata_timeouts(
        &mut self,
        fid: usize,
        timeout: Option<&NumberField>,
        heartbeat: Option<&NumberField>,
    ) -> Result<(Option<u64>, Option<u64>), EvalError> {
        let mut out = [None, None];
        for (i, (field, name)) in [(timeout, "TimeoutSeconds"), (heartbeat, "HeartbeatSeconds")].into_iter().enumerate()
        {
            out[i] = match field {
                Some(NumberField::Literal(s)) => Some(s.max(0.0) as u64),
                Some(NumberField::Jsonata(j)) => {
                    let n = self.jsonata_number(fid, j, name)?;
                    if n.fract() != 0.0 || n <= 0.0 {
                        return Err(crate::query::jsonata_field::query_error(
                            name,
                            format!(
                                "The value of the field '{name}' must be a positive integer, but was: {}",
                                crate::host::to_string(n)
                            ),
                        ));
                    }
                    Some(n as u64)
                }
                Some(NumberField::Path(_)) | None => None,
            };
        }
        Ok((out[0], out[1]))
    }

    pub(super) fn task_scheduled(&mut self, fid: usize, parameters: Value) {
        let def = self.def.clone();
        let f = &self.fibers[fid];
        let state = &def.lists[f.list].states[f.state];
        let Kind::Task(task) = &state.kind else { return };
        let Some(resource) = task.parsed_resource.clone() else {
            let failure = self
                .runtime_failure(fid, EvalError::runtime(format!("The resource {} does not exist.", task.resource)));
            self.continue_with(fid, Phase::ListFailed { failure });
            return;
        };
        let raw = f.input.clone();
        let jsonata_fields = matches!(task.timeout, Some(NumberField::Jsonata(_)))
            || matches!(task.heartbeat, Some(NumberField::Jsonata(_)));
        let settings = if jsonata_fields || state.query_language == crate::definition::model::QueryLanguage::Jsonata {
            self.jsonata_task_settings(fid, task)
        } else {
            self.jsonpath_task_settings(fid, task, &raw)
        };
        let ((timeout, heartbeat), credentials) = match settings {
            Ok(s) => s,
            Err(e) => {
                self.fail_state(fid, e);
                return;
            }
        };
        let region = resource.region.clone().unwrap_or_else(|| Rc::from(self.options.ids.region.as_str()));
        let credentials_role_arn = credentials.and_then(|c| c.get("RoleArn").and_then(Value::as_str).map(Rc::from));
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
        self.fibers[fid].task = Some(details.clone());
        self.fibers[fid].default_response = false;
        self.emit(fid, event, Details { task: Some(details), input, ..Details::default() });
        self.continue_with(fid, Phase::TaskStarted { parameters });
    }

    /// The current Task state's name, classified resource and `TaskScheduled` details.
    fn current_task(&self, fid: usize) -> Option<CurrentTask> {
        let f = &self.fibers[fid];
        let state = &self.def.lists[f.list].states[f.state];
        let Kind::Task(task) = &state.kind else { return None };
        Some((state.name.clone(), task.parsed_resource.clone()?, f.task.clone()))
    }

    pub(super) fn task_started(&mut self, fid: usize, parameters: Value) {
        let Some((name, resource, scheduled)) = self.current_task(fid) else { return };
        let timeout = scheduled.as_ref().and_then(|t| t.timeout_seconds);
        let event = match resource.kind {
            ResourceKind::Service => EventType::TaskStarted,
            ResourceKind::LambdaFunction => EventType::LambdaFunctionStarted,
            ResourceKind::Activity => EventType::ActivityStarted,
        };
        self.emit(
            fid,
            event,
            Details {
                default_response: self.fibers[fid].default_response,
                task: scheduled.clone(),
                ..Details::default()
            },
        );
        let retry_count = self.fibers[fid].retry_count;
        let response = self.services.call(&TaskRequest {
            state_name: &name,
            resource: &resource,
            parameters: &parameters,
            task_token: self.fibers[fid].task_token.as_deref(),
            retry_count,
        });
        self.await_response(fid, response, timeout);
    }

    /// Schedules the outcome of a call after its latency, or its timeout if that comes first.
    fn await_response(&mut self, fid: usize, response: TaskResponse, timeout: Option<u64>) {
        let latency = match &response {
            TaskResponse::Succeeded { latency_ms, .. } | TaskResponse::Failed { latency_ms, .. } => {
                Some(*latency_ms as i64)
            }
            TaskResponse::Submitted { .. } | TaskResponse::Default(_) => Some(0),
            TaskResponse::NoResponse => None,
        };
        // Mocks send no heartbeats: a task silent for longer than `HeartbeatSeconds` times out
        // then (AWS records `States.Timeout` for a missed heartbeat too).
        let heartbeat = self.fibers[fid].task.as_ref().and_then(|t| t.heartbeat_seconds);
        let timeout_ms = match (timeout, heartbeat) {
            (Some(t), Some(h)) => Some(t.min(h)),
            (t, h) => t.or(h),
        }
        .map(|t| (t as i64).saturating_mul(1000));
        // Which limit ends a silent task: the heartbeat when it is the shorter one.
        let by_heartbeat = heartbeat.is_some_and(|h| timeout.is_none_or(|t| h < t));
        match (latency, timeout_ms) {
            (Some(l), Some(t)) if l > t => self.task_timed_out(fid, t, by_heartbeat),
            (Some(l), _) => {
                let at = self.now.saturating_add(l);
                self.continue_at(fid, Phase::TaskOutcome { response }, at);
            }
            (None, Some(t)) => self.task_timed_out(fid, t, by_heartbeat),
            (None, None) => {
                // Waits forever, as a callback task with no timeout would.
                self.fibers[fid].phase = Phase::TaskOutcome { response };
                self.park(fid);
            }
        }
    }

    fn task_timed_out(&mut self, fid: usize, after_ms: i64, missed_heartbeat: bool) {
        self.fibers[fid].missed_heartbeat = missed_heartbeat;
        let response =
            TaskResponse::Failed { error: Rc::from("States.Timeout"), cause: Some(Rc::from("")), latency_ms: 0 };
        let at = self.now.saturating_add(after_ms);
        self.continue_at(fid, Phase::TaskOutcome { response }, at);
    }

    pub(super) fn task_outcome(&mut self, fid: usize, response: TaskResponse) {
        let Some((name, resource, scheduled)) = self.current_task(fid) else { return };
        match response {
            TaskResponse::Succeeded { output, .. } => {
                if self.sizes.exceeds(&output, self.options.payload_limit) {
                    let failure = Failure::new(
                        "States.DataLimitExceeded",
                        format!("The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.", name),
                    );
                    let event = match resource.kind {
                        ResourceKind::Service => EventType::TaskFailed,
                        ResourceKind::LambdaFunction => EventType::LambdaFunctionFailed,
                        ResourceKind::Activity => EventType::ActivityFailed,
                    };
                    self.emit(
                        fid,
                        event,
                        Details {
                            default_response: self.fibers[fid].default_response,
                            task: scheduled,
                            error: Some(failure.error.clone()),
                            cause: failure.cause.clone(),
                            ..Details::default()
                        },
                    );
                    self.handle_failure(fid, failure, None);
                    return;
                }
                let event = match resource.kind {
                    ResourceKind::Service => EventType::TaskSucceeded,
                    ResourceKind::LambdaFunction => EventType::LambdaFunctionSucceeded,
                    ResourceKind::Activity => EventType::ActivitySucceeded,
                };
                self.emit(
                    fid,
                    event,
                    Details {
                        default_response: self.fibers[fid].default_response,
                        task: scheduled,
                        output: Some(output.clone()),
                        ..Details::default()
                    },
                );
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
                self.emit(
                    fid,
                    event,
                    Details {
                        default_response: self.fibers[fid].default_response,
                        task: scheduled,
                        error: Some(error.clone()),
                        cause: cause.clone(),
                        ..Details::default()
                    },
                );
                let heartbeat = std::mem::take(&mut self.fibers[fid].missed_heartbeat) && timed_out;
                self.handle_failure(fid, Failure { error, cause, heartbeat }, None);
            }
            TaskResponse::NoResponse => {
                self.fibers[fid].phase = Phase::TaskOutcome { response: TaskResponse::NoResponse };
                self.park(fid);
            }
            TaskResponse::Default(inner) => {
                self.fibers[fid].default_response = true;
                self.task_outcome(fid, *inner);
            }
            TaskResponse::Submitted { output, then } => {
                self.emit(
                    fid,
                    EventType::TaskSubmitted,
                    Details {
                        default_response: self.fibers[fid].default_response,
                        task: scheduled.clone(),
                        output: Some(output),
                        ..Details::default()
                    },
                );
                self.await_response(fid, *then, scheduled.and_then(|t| t.timeout_seconds));
            }
        }
    }

    /// A Task, Parallel or Map state's result: ResultSelector, Assign, ResultPath, OutputPath,
    /// then exit to the state's Next.
    pub(super) fn state_result(&mut self, fid: usize, result: Value) {
        let def = self.def.clone();
        let f = &self.fibers[fid];
        let state = &def.lists[f.list].states[f.state];
        if state.query_language == crate::definition::model::QueryLanguage::Jsonata {
            record(&mut self.fibers, fid, |i| i.result = Some(result.clone()));
            match self.jsonata_state_result(fid, result) {
                Ok(phase) => self.continue_with(fid, phase),
                Err(e) => self.fail_state(fid, e),
            }
            return;
        }
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
        let fibers = &mut self.fibers;
        let out = (|| {
            record(fibers, fid, |i| i.result = Some(result.clone()));
            let selected = flow.result_selector(state, result)?;
            record(fibers, fid, |i| i.after_result_selector = Some(selected.clone()));
            let assigned = flow.assign(state.assign.as_ref(), &selected)?;
            let merged = flow.result_path(state, &raw, selected)?;
            record(fibers, fid, |i| i.after_result_path = Some(merged.clone()));
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
