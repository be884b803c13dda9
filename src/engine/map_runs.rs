//! Distributed Map runs as AWS's console and `DescribeMapRun` / `ListMapRuns` /
//! `ListExecutions` show them: each run's status, dates, error and item counts, and its child
//! executions a page at a time. Everything is read from what the execution recorded (its
//! history, each child's history and status), so any face shows the same thing.

use super::{ChildExecution, Execution, Status};
use crate::history::{EventType, HistoryEvent};
use crate::time::Millis;
use crate::value::{Map, Value};
use std::rc::Rc;

/// A map run's item counts, as `DescribeMapRun`'s `itemCounts` names them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ItemCounts {
    /// Items read but whose child execution has not started.
    pub pending: usize,
    pub running: usize,
    pub succeeded: usize,
    pub failed: usize,
    pub timed_out: usize,
    pub aborted: usize,
    /// Every item the run has read (or, before its items are read, those started).
    pub total: usize,
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

    /// `{"pending", "running", "succeeded", "failed", "timedOut", "aborted", "total"}`.
    pub fn to_value(&self) -> Value {
        let mut m = Map::with_capacity(7);
        m.insert("pending", Value::from(self.pending));
        m.insert("running", Value::from(self.running));
        m.insert("succeeded", Value::from(self.succeeded));
        m.insert("failed", Value::from(self.failed));
        m.insert("timedOut", Value::from(self.timed_out));
        m.insert("aborted", Value::from(self.aborted));
        m.insert("total", Value::from(self.total));
        Value::from(m)
    }
}

/// One distributed Map run of an execution (nested ones too).
#[derive(Clone, Debug, PartialEq)]
pub struct MapRun {
    pub arn: Rc<str>,
    /// The Map state that started it.
    pub map_state: Option<Rc<str>>,
    /// `Running` until it ends; `Aborted` also when the execution (or the child execution)
    /// holding it ended first; never `TimedOut`.
    pub status: Status,
    /// The id of its `MapRunStarted` event in the history that holds it.
    pub started_event_id: u64,
    /// The child execution whose history holds it (its map run ARN and item index); `None`
    /// for a run of the execution itself.
    pub parent: Option<(Rc<str>, usize)>,
    pub start_date: Millis,
    pub stop_date: Option<Millis>,
    pub error: Option<Rc<str>>,
    pub cause: Option<Rc<str>>,
    pub item_counts: ItemCounts,
}

impl MapRun {
    /// `{"mapRunArn", "mapState", "status", "startedEventId", "parent" (null or
    /// `{"mapRunArn", "index"}`), "startDate", "stopDate" (ms on the virtual clock), "error",
    /// "cause", "itemCounts"}`.
    pub fn to_value(&self) -> Value {
        let mut m = Map::with_capacity(11);
        m.insert("mapRunArn", Value::String(self.arn.clone()));
        m.insert("mapState", text_or_null(self.map_state.as_ref()));
        m.insert("status", Value::from(self.status.as_str()));
        m.insert("startedEventId", Value::from(self.started_event_id as i64));
        m.insert(
            "parent",
            self.parent.as_ref().map_or(Value::Null, |(arn, index)| {
                let mut p = Map::with_capacity(2);
                p.insert("mapRunArn", Value::String(arn.clone()));
                p.insert("index", Value::from(*index));
                Value::from(p)
            }),
        );
        m.insert("startDate", Value::from(self.start_date));
        m.insert("stopDate", self.stop_date.map_or(Value::Null, Value::from));
        m.insert("error", text_or_null(self.error.as_ref()));
        m.insert("cause", text_or_null(self.cause.as_ref()));
        m.insert("itemCounts", self.item_counts.to_value());
        Value::from(m)
    }
}

/// One page of a map run's child executions.
pub struct ChildPage<'a> {
    /// How many child executions match the filter (on every page).
    pub matching: usize,
    pub offset: usize,
    pub children: Vec<&'a ChildExecution>,
}

impl ChildPage<'_> {
    /// `{"matching", "offset", "children": [{"index", "name", "status", "startDate", "stopDate"}]}`.
    pub fn to_value(&self) -> Value {
        let mut out = Map::with_capacity(3);
        out.insert("matching", Value::from(self.matching));
        out.insert("offset", Value::from(self.offset));
        out.insert("children", Value::from(self.children.iter().map(|c| c.summary_value()).collect::<Vec<_>>()));
        Value::from(out)
    }
}

impl ChildExecution {
    /// `{"index", "name", "status", "startDate", "stopDate"}`: a line of `ListExecutions`.
    pub fn summary_value(&self) -> Value {
        let mut m = Map::with_capacity(5);
        m.insert("index", Value::from(self.index));
        m.insert("name", Value::from(self.name()));
        m.insert("status", Value::from(self.status.as_str()));
        m.insert("startDate", Value::from(self.start_ms()));
        m.insert("stopDate", self.stop_ms().map_or(Value::Null, Value::from));
        Value::from(m)
    }

    /// `{"name", "status", "input", "output", "error", "cause", "events"}`: the child execution
    /// with its whole history (AWS's shape); output, error and cause once it has ended.
    pub fn detail_value(&self) -> Value {
        let last = self.events.last().filter(|_| self.status != Status::Running);
        let mut m = Map::with_capacity(7);
        m.insert("name", Value::from(self.name()));
        m.insert("status", Value::from(self.status.as_str()));
        m.insert("input", self.events.first().and_then(|e| e.details.input.clone()).unwrap_or(Value::Null));
        m.insert("output", last.and_then(|e| e.details.output.clone()).unwrap_or(Value::Null));
        m.insert("error", text_or_null(last.and_then(|e| e.details.error.as_ref())));
        m.insert("cause", text_or_null(last.and_then(|e| e.details.cause.as_ref())));
        m.insert("events", Value::from(self.events.iter().map(HistoryEvent::to_value).collect::<Vec<_>>()));
        Value::from(m)
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
                let Some(arn) = e.details.location().cloned() else { continue };
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

impl Execution {
    /// Every distributed Map run of the execution, nested ones too: those of the execution's
    /// own history first, then those of each child execution, each in the order it started.
    pub fn map_runs(&self) -> Vec<MapRun> {
        let mut runs = Vec::new();
        runs_in(self.history(), None, &mut runs);
        for c in self.child_executions() {
            runs_in(&c.events, Some(c), &mut runs);
        }
        let mut counts = Map::<ItemCounts>::new();
        for run in &runs {
            counts.get_or_insert_with(&run.arn, ItemCounts::default);
        }
        // The engine aborts the children still running when their map run or execution ends.
        for c in self.child_executions() {
            counts.get_or_insert_with(&c.map_run_arn, ItemCounts::default).add(c.status);
        }
        let totals = self.map_run_totals();
        runs.iter()
            .map(|run| {
                let mut n = counts.get(&run.arn).copied().unwrap_or_default();
                let started = n.started();
                n.total = totals.iter().find(|(a, _)| *a == run.arn).map_or(started, |(_, t)| (*t).max(started));
                n.pending = n.total - started;
                let over = self.status() != Status::Running || run.owner.is_some_and(|c| c.status != Status::Running);
                let status = match run.ended.map(|e| &e.event_type) {
                    Some(EventType::MapRunSucceeded) => Status::Succeeded,
                    Some(EventType::MapRunFailed) => Status::Failed,
                    Some(_) => Status::Aborted,
                    None if over => Status::Aborted,
                    None => Status::Running,
                };
                MapRun {
                    arn: run.arn.clone(),
                    map_state: run.map_state.clone(),
                    status,
                    started_event_id: run.started.id,
                    parent: run.owner.map(|c| (c.map_run_arn.clone(), c.index)),
                    start_date: run.started.timestamp,
                    stop_date: run.ended.map(|e| e.timestamp),
                    error: run.ended.and_then(|e| e.details.error.clone()),
                    cause: run.ended.and_then(|e| e.details.cause.clone()),
                    item_counts: n,
                }
            })
            .collect()
    }

    /// One page of a map run's child executions, in item order: those whose status is
    /// `status_filter` (AWS's name, `SUCCEEDED`, ...; `None` for all), skipping `offset`, at
    /// most `limit`.
    pub fn map_run_children(
        &self,
        map_run_arn: &str,
        status_filter: Option<&str>,
        offset: usize,
        limit: usize,
    ) -> ChildPage<'_> {
        let mut matching = 0usize;
        let mut children = Vec::new();
        for c in self.child_executions().iter().filter(|c| &*c.map_run_arn == map_run_arn) {
            if status_filter.is_some_and(|s| s != c.status.as_str()) {
                continue;
            }
            if matching >= offset && children.len() < limit {
                children.push(c);
            }
            matching += 1;
        }
        ChildPage { matching, offset, children }
    }

    /// The child execution of a map run for item `index`.
    pub fn child_execution(&self, map_run_arn: &str, index: usize) -> Option<&ChildExecution> {
        self.child_executions().iter().find(|c| &*c.map_run_arn == map_run_arn && c.index == index)
    }
}
