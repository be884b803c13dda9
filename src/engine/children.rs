//! Parallel branches and Map iterations: starting them, collecting their results in order,
//! tolerated failures, and aborting the rest when one fails.

use super::context::with_member;
use super::dataflow::{plain, Flow};
use super::errors::Failure;
use super::variables::Scope;
use super::{child_key, Children, Execution, Phase, Role};
use crate::definition::model::{Kind, NumberField};
use crate::history::EventType;
use crate::query::EvalError;
use crate::value::{Map, Value};
use std::rc::Rc;

/// How many iterations of an inline Map with no `MaxConcurrency` run at once (AWS: 40).
const INLINE_MAP_CONCURRENCY: usize = 40;

impl Children {
    pub(super) fn new(count: usize, limit: usize, items: Rc<Vec<Value>>, map_input: Value) -> Children {
        Children {
            results: vec![None; count],
            fibers: Vec::with_capacity(count.min(1024)),
            next_item: 0,
            items,
            map_input,
            limit,
            running: 0,
            finished: 0,
            failures: 0,
            tolerated_count: None,
            tolerated_percentage: None,
            failed: None,
            map_run_arn: None,
            written: None,
        }
    }
}

/// A Map's integer field, literal or by path, with AWS's messages.
fn map_number(field: &NumberField, flow: &mut Flow, input: &Value, name: &str) -> Result<f64, EvalError> {
    match field {
        NumberField::Literal(n) => Ok(*n),
        NumberField::Path(p) => {
            let env = crate::query::Env { input, context: &flow.context, variables: &*flow.scope, random: flow.random };
            let v = p.select_or_invalid_path(&env)?;
            // Each may also be given as a numeric string (a variable often holds one).
            let ok = match (name, &v) {
                ("ToleratedFailurePercentage", Value::String(s)) => crate::number_parse::parse_f64(s.trim()),
                ("ToleratedFailurePercentage", other) => other.as_f64(),
                (_, other) => crate::distributed::integer_value(other).map(|i| i as f64),
            };
            ok.ok_or_else(|| {
                EvalError::runtime(format!(
                    "The {name}Path field refers to value \"{}\" which is not a valid {}: {}",
                    plain(&v),
                    if name == "ToleratedFailurePercentage" { "float" } else { "integer" },
                    p.text()
                ))
            })
        }
        NumberField::Jsonata(_) => Err(EvalError::runtime("JSONata is not supported yet")),
    }
}

impl Execution {
    /// Prepares a Map state's iterations: `MaxConcurrency`, read before `MapStateStarted`.
    pub(super) fn map_children(
        &mut self,
        fid: usize,
        items: Rc<Vec<Value>>,
        input: Value,
    ) -> Result<Children, Failure> {
        let def = self.def.clone();
        let f = &self.fibers[fid];
        let Kind::Map(m) = &def.lists[f.list].states[f.state].kind else {
            return Err(Failure::new("States.Runtime", "not a Map state"));
        };
        let jsonata_limit = match &m.max_concurrency {
            Some(NumberField::Jsonata(j)) => {
                Some(self.jsonata_number(fid, j, "MaxConcurrency").map_err(|e| self.runtime_failure(fid, e))?)
            }
            _ => None,
        };
        let context = self.state_context(fid);
        let mut flow = Flow { scope: self.fibers[fid].scope.clone(), context, random: &mut self.random };
        let limit = match (&m.max_concurrency, jsonata_limit) {
            (_, Some(n)) => Ok(n.max(0.0) as usize),
            (Some(field), None) => match map_number(field, &mut flow, &input, "MaxConcurrency") {
                Ok(n) if n < 0.0 => Err(EvalError::runtime("MaxConcurrency cannot be negative.")),
                Ok(n) => Ok(n as usize),
                Err(e) => Err(e),
            },
            (None, None) => Ok(0),
        }
        .map_err(|e| self.runtime_failure(fid, e))?;
        super::inspect::record(&mut self.fibers, fid, |i| i.max_concurrency = Some(limit as u64));
        let limit = if limit == 0 { INLINE_MAP_CONCURRENCY } else { limit };
        Ok(Children::new(items.len(), limit, items, input))
    }

    /// A Map's tolerated failures, read after `MapStateStarted`.
    pub(super) fn map_tolerance(&mut self, fid: usize, children: &mut Children) -> Result<(), Failure> {
        let def = self.def.clone();
        let f = &self.fibers[fid];
        let Kind::Map(m) = &def.lists[f.list].states[f.state].kind else { return Ok(()) };
        let input = children.map_input.clone();
        let mut pre = [None, None];
        for (i, (field, name)) in [
            (&m.tolerated_failure_count, "ToleratedFailureCount"),
            (&m.tolerated_failure_percentage, "ToleratedFailurePercentage"),
        ]
        .into_iter()
        .enumerate()
        {
            if let Some(NumberField::Jsonata(j)) = field {
                pre[i] = Some(self.jsonata_number(fid, j, name).map_err(|e| self.runtime_failure(fid, e))?);
            }
        }
        let context = self.state_context(fid);
        let mut flow = Flow { scope: self.fibers[fid].scope.clone(), context, random: &mut self.random };
        let result = (|| -> Result<(Option<u64>, Option<f64>), EvalError> {
            let count = match &m.tolerated_failure_count {
                Some(field) => {
                    let n = match pre[0] {
                        Some(n) => n,
                        None => map_number(field, &mut flow, &input, "ToleratedFailureCount")?,
                    };
                    if n < 0.0 {
                        return Err(EvalError::runtime("ToleratedFailureCount cannot be negative."));
                    }
                    Some(n as u64)
                }
                None => None,
            };
            let pct = match &m.tolerated_failure_percentage {
                Some(field) => {
                    let n = match pre[1] {
                        Some(n) => n,
                        None => map_number(field, &mut flow, &input, "ToleratedFailurePercentage")?,
                    };
                    if !(0.0..=100.0).contains(&n) {
                        return Err(EvalError::runtime("ToleratedFailurePercentage must be between 0 and 100."));
                    }
                    Some(n)
                }
                None => None,
            };
            Ok((count, pct))
        })();
        let (count, pct) = result.map_err(|e| self.runtime_failure(fid, e))?;
        super::inspect::record(&mut self.fibers, fid, |i| {
            i.tolerated_failure_count = count;
            i.tolerated_failure_percentage = pct;
        });
        children.tolerated_count = count;
        children.tolerated_percentage = pct;
        Ok(())
    }

    /// Starts Map iterations while fewer than the limit run.
    pub(super) fn start_more_iterations(&mut self, fid: usize) {
        loop {
            let Some(c) = self.fibers[fid].children.as_deref() else { return };
            if c.failed.is_some() || c.running >= c.limit || c.next_item >= c.items.len() {
                return;
            }
            let index = c.next_item;
            let item = c.items[index].clone();
            let map_input = c.map_input.clone();
            let input = match self.iteration_input(fid, index, item, &map_input) {
                Ok(v) => v,
                Err(e) => {
                    let failure = self.runtime_failure(fid, e);
                    if let Some(c) = self.fibers[fid].children.as_deref_mut() {
                        c.failed = Some(failure.clone());
                    }
                    self.abort_children(fid);
                    self.continue_with(fid, Phase::ListFailed { failure });
                    return;
                }
            };
            let def = self.def.clone();
            let f = &self.fibers[fid];
            let Kind::Map(m) = &def.lists[f.list].states[f.state].kind else { return };
            let scope = Rc::new(Scope::child(&f.scope));
            let key = child_key(&f.key, index);
            let last = f.last_event;
            let start = def.lists[m.processor].start_at;
            let map_name = def.lists[f.list].states[f.state].name.clone();
            let run = self.fibers[fid].children.as_deref().and_then(|c| c.map_run_arn.clone());
            let child =
                self.spawn(m.processor, key, Role::Iteration(index as u32), Some(fid), start, input, scope, last);
            if let Some(map_run_arn) = run {
                // A distributed Map's iteration is a child execution with its own history.
                self.children_executions.push(super::ChildExecution {
                    map_state: map_name,
                    map_run_arn,
                    index,
                    status: super::Status::Running,
                    events: Vec::new(),
                });
                let f = &mut self.fibers[child];
                f.sink = Some(self.children_executions.len() - 1);
                f.last_event = 0;
            }
            if let Some(c) = self.fibers[fid].children.as_deref_mut() {
                c.fibers.push(child);
                c.running += 1;
                c.next_item += 1;
            }
        }
    }

    /// An iteration's input: the item, or `ItemSelector` evaluated with `$$.Map.Item`.
    fn iteration_input(
        &mut self,
        fid: usize,
        index: usize,
        item: Value,
        map_input: &Value,
    ) -> Result<Value, EvalError> {
        let def = self.def.clone();
        let f = &self.fibers[fid];
        let state = &def.lists[f.list].states[f.state];
        let Kind::Map(m) = &state.kind else { return Ok(item) };
        if let Some(selector) = &m.jsonata_item_selector {
            return self.jsonata_item(fid, selector, index, item);
        }
        let Some(selector) = &m.item_selector else { return Ok(item) };
        let context = self.map_item_context(fid, index, item);
        let f = &self.fibers[fid];
        let mut flow = Flow { scope: f.scope.clone(), context, random: &mut self.random };
        flow.template(selector, map_input, "ItemSelector")
    }

    /// `$$` for a Map iteration's `ItemSelector`: the state's context plus `Map.Item`.
    pub(super) fn map_item_context(&self, fid: usize, index: usize, item: Value) -> Value {
        let f = &self.fibers[fid];
        let state = &self.def.lists[f.list].states[f.state];
        let base = self.context_base.for_state(&state.name, f.entered_time, f.retry_count, true);
        let mut it = Map::with_capacity(2);
        it.push_unique("Index", Value::from(index));
        it.push_unique("Value", item);
        let mut mm = Map::with_capacity(1);
        mm.push_unique("Item", Value::from(it));
        with_member(&base, "Map", Value::from(mm))
    }

    /// A branch or iteration ended; updates its parent and wakes it when all are done or
    /// one failed beyond tolerance.
    pub(super) fn child_finished(&mut self, fid: usize, result: Result<Value, Failure>) {
        let Some(parent) = self.fibers[fid].parent else { return };
        let index = match self.fibers[fid].role {
            Role::Branch(i) | Role::Iteration(i) => i as usize,
            Role::Machine => return,
        };
        let is_map = matches!(self.fibers[fid].role, Role::Iteration(_));
        let Some(c) = self.fibers[parent].children.as_deref_mut() else { return };
        if c.failed.is_some() {
            return;
        }
        c.running = c.running.saturating_sub(1);
        c.finished += 1;
        let total = c.results.len();
        match result {
            Ok(v) => c.results[index] = Some(v),
            Err(failure) => {
                let tolerant = is_map
                    && (c.tolerated_count.is_some() || c.tolerated_percentage.is_some() || c.map_run_arn.is_some());
                if tolerant {
                    c.failures += 1;
                    c.results[index] = Some(failure.output());
                    // A distributed Map tolerates no failure unless told otherwise.
                    let count = match (c.tolerated_count, c.tolerated_percentage) {
                        (None, None) => Some(0),
                        (n, _) => n,
                    };
                    let over_count = count.is_some_and(|n| c.failures as u64 > n);
                    let over_pct =
                        c.tolerated_percentage.is_some_and(|p| (c.failures as f64) * 100.0 / (total.max(1) as f64) > p);
                    // With both set, exceeding either fails the Map Run ("If you specify both
                    // values, the workflow fails when it exceeds either value":
                    // https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html).
                    let exceeded = over_count || over_pct;
                    if exceeded {
                        c.failed = Some(Failure::new(
                            "States.ExceedToleratedFailureThreshold",
                            "The specified tolerated failure threshold was exceeded",
                        ));
                    }
                } else {
                    c.failed = Some(failure);
                }
            }
        }
        if let Some(failure) = c.failed.clone() {
            let distributed = c.map_run_arn.is_some();
            self.abort_children(parent);
            if distributed {
                let details = crate::history::Details {
                    error: Some(failure.error.clone()),
                    cause: failure.cause.clone(),
                    ..Default::default()
                };
                self.emit(parent, EventType::MapRunFailed, details);
            }
            let event = if is_map { EventType::MapStateFailed } else { EventType::ParallelStateFailed };
            self.handle_failure(parent, failure, Some(event));
            return;
        }
        let done = c.finished == total;
        if is_map {
            self.start_more_iterations(parent);
        }
        if done {
            let distributed = self.fibers[parent].children.as_deref().is_some_and(|c| c.map_run_arn.is_some());
            self.continue_with(parent, if distributed { Phase::MapRunSucceeded } else { Phase::ChildrenDone });
        }
    }

    /// Stops every child still running (and their descendants).
    fn abort_children(&mut self, fid: usize) {
        let fibers = match self.fibers[fid].children.as_deref() {
            Some(c) => c.fibers.clone(),
            None => return,
        };
        for child in fibers {
            if !matches!(self.fibers[child].phase, Phase::Done) {
                self.fibers[child].phase = Phase::Done;
                self.park(child);
            }
            self.abort_child_execution(child);
            self.abort_children(child);
        }
    }

    /// Ends the child execution that a distributed Map's iteration fiber writes, if it still
    /// runs: `ExecutionAborted` in its own history and status ABORTED, as AWS aborts the child
    /// executions of a Map Run that failed or whose parent execution ended.
    pub(super) fn abort_child_execution(&mut self, fid: usize) {
        if !matches!(self.fibers[fid].role, Role::Iteration(_)) {
            return;
        }
        let Some(c) = self.fibers[fid].sink else { return };
        if !matches!(self.children_executions.get(c), Some(x) if x.status == super::Status::Running) {
            return;
        }
        self.emit(fid, EventType::ExecutionAborted, Default::default());
        self.children_executions[c].status = super::Status::Aborted;
    }

    /// All branches or iterations succeeded.
    pub(super) fn children_done(&mut self, fid: usize) {
        let Some(c) = self.fibers[fid].children.take() else { return };
        let written = c.written;
        let results: Vec<Value> = c.results.into_iter().map(Option::unwrap_or_default).collect();
        let def = self.def.clone();
        let f = &self.fibers[fid];
        if matches!(def.lists[f.list].states[f.state].kind, Kind::Map(_)) {
            self.emit(fid, EventType::MapStateSucceeded, Default::default());
        }
        self.state_result(fid, written.unwrap_or_else(|| Value::from(results)));
    }
}
