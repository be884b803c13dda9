//! The engine: one execution of a state machine as a step-able machine over a virtual clock.
//!
//! An execution is a set of *fibers*: the machine's own run, each Parallel branch and each
//! Map iteration. Each fiber walks its state list one history event at a time. The next
//! fiber to advance is the runnable one with the earliest virtual time, ties broken
//! depth-first (branch 0 before branch 1, a child before its parent's sibling), so a run is
//! deterministic and reads like AWS's histories. Waiting costs nothing: the clock jumps.

mod children;
mod choice;
mod context;
mod dataflow;
mod errors;
mod inspect;
mod jsonata;
mod map_io;
mod map_runs;
pub mod setup;
mod tasks;
mod variables;

use crate::history::Assignments;
pub use context::ExecutionIds;
use inspect::record;
pub use inspect::Inspection;
pub use map_runs::{ChildPage, ItemCounts, MapRun};

use crate::definition::model::{Kind, NumberField, QueryLanguage, StateList, Transition, Wait};
use crate::definition::Definition;
use crate::hash_index::UsizeMap;
use crate::history::{Details, EventType, HistoryEvent, RareDetails, StateType};
use crate::query::EvalError;
use crate::random::{uuid_v4, SeededRandom};
use crate::services::{ServiceLayer, TaskResponse};
use crate::time::Millis;
use crate::value::{Map, Value};
use dataflow::Flow;
use errors::Failure;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::rc::Rc;
use variables::Scope;

/// AWS's limit on the number of events in one execution's history.
pub const DEFAULT_MAX_EVENTS: usize = 25_000;

/// AWS's limit on a state's input, output or task result: 256 KiB of UTF-8 JSON.
pub const PAYLOAD_LIMIT: usize = 262_144;

/// How an execution is started.
#[derive(Clone, Debug)]
pub struct Options {
    /// Seeds `States.UUID`, `States.MathRandom`, retry jitter and task tokens.
    pub seed: u64,
    /// The execution's start on the virtual clock.
    pub start_time: Millis,
    /// The history event limit (AWS: 25,000); the execution fails when it is reached.
    pub max_events: usize,
    /// Account, region, names and ARNs, from which `$$` and the history's ARNs are made.
    pub ids: ExecutionIds,
    /// The largest state input, output or task result in bytes (AWS: 256 KiB); larger
    /// fails with `States.DataLimitExceeded`. Benchmarks raise it.
    pub payload_limit: usize,
    /// STANDARD or EXPRESS: an EXPRESS execution may wait at most five minutes.
    pub machine_type: crate::definition::validate::MachineType,
    /// Started by StartSyncExecution (EXPRESS only): `$$.Execution` has no `RedriveCount`.
    pub synchronous: bool,
    /// Record what happens inside every state (see [`Inspection`]); costs memory per state.
    pub inspect: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            seed: 0,
            // 2025-01-01T00:00:00Z: a fixed start, so that runs are reproducible.
            start_time: 1_735_689_600_000,
            max_events: DEFAULT_MAX_EVENTS,
            ids: ExecutionIds::default(),
            payload_limit: PAYLOAD_LIMIT,
            machine_type: Default::default(),
            synchronous: false,
            inspect: false,
        }
    }
}

/// An execution's status, as `DescribeExecution` spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Aborted,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Running => "RUNNING",
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::TimedOut => "TIMED_OUT",
            Status::Aborted => "ABORTED",
        }
    }
}

/// What a fiber runs for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Machine,
    Branch(u32),
    Iteration(u32),
}

/// Where a fiber is in its current state.
#[derive(Debug)]
enum Phase {
    /// A Map iteration's first event.
    IterationStarted,
    Enter,
    Run,
    /// Emit `*StateExited`, then follow `next` (None: the list ends with `output`).
    Exit {
        output: Value,
        next: Option<usize>,
        assigned: Option<Assignments>,
    },
    TaskScheduled {
        parameters: Value,
    },
    TaskStarted {
        parameters: Value,
    },
    TaskOutcome {
        response: TaskResponse,
    },
    ParallelStarted {
        input: Value,
    },
    MapStarted {
        input: Value,
        items: Rc<Vec<Value>>,
    },
    AwaitChildren,
    /// A distributed Map's children are all done: `MapRunSucceeded`, then `ChildrenDone`.
    MapRunSucceeded,
    ChildrenDone,
    /// A JSONata expression failed: `EvaluationFailed`, then retry, catch or fail.
    EvaluationFailed {
        failure: Failure,
        location: Option<Rc<str>>,
    },
    /// Emit the failure event of a Parallel/Map (if any), then catch or fail.
    StateFailed {
        failure: Failure,
        event: Option<EventType>,
    },
    /// The list finished with this output.
    ListSucceeded {
        output: Value,
    },
    /// The fiber fails with this error (already past Retry/Catch).
    ListFailed {
        failure: Failure,
    },
    Done,
}

/// The children of a Parallel or Map state in progress.
#[derive(Debug)]
struct Children {
    results: Vec<Option<Value>>,
    fibers: Vec<usize>,
    /// Map: items not yet started, and the most running at once.
    next_item: usize,
    items: Rc<Vec<Value>>,
    map_input: Value,
    limit: usize,
    running: usize,
    finished: usize,
    failures: usize,
    tolerated_count: Option<u64>,
    tolerated_percentage: Option<f64>,
    failed: Option<Failure>,
    /// Set for a distributed Map: its iterations are child executions of this map run.
    map_run_arn: Option<Rc<str>>,
    /// What a `ResultWriter` returned: the Map's result instead of the results array.
    written: Option<Value>,
}

#[derive(Debug)]
struct Fiber {
    list: usize,
    key: Rc<[u32]>,
    role: Role,
    parent: Option<usize>,
    state: usize,
    phase: Phase,
    /// The raw input of the current state.
    input: Value,
    entered_event: u64,
    entered_time: Millis,
    last_event: u64,
    scope: Rc<Scope>,
    /// Attempts used per retrier of the current state.
    retrier_attempts: Vec<u32>,
    retry_count: u32,
    generation: u32,
    children: Option<Box<Children>>,
    /// `$$.Task.Token` of the current `.waitForTaskToken` call.
    task_token: Option<Rc<str>>,
    /// What the current Task state's `TaskScheduled` event said.
    task: Option<Rc<crate::history::TaskDetails>>,
    /// The current task's answer came from a default service response.
    default_response: bool,
    /// The current task timed out for want of a heartbeat (see `Failure::heartbeat`).
    missed_heartbeat: bool,
    /// What the current state did so far, when inspection is on.
    inspection: Option<Box<Inspection>>,
    /// The child execution (of a distributed Map) whose history this fiber writes, if any.
    sink: Option<usize>,
}

/// A child execution started by a distributed Map: one per item (or batch), with its own
/// history, as the console's Map Run view shows them.
#[derive(Clone, Debug)]
pub struct ChildExecution {
    /// The Map state that started it and the item's index.
    pub map_state: Rc<str>,
    pub map_run_arn: Rc<str>,
    pub index: usize,
    pub status: Status,
    pub events: Vec<HistoryEvent>,
}

/// One execution of a state machine.
///
/// ```
/// use aslplay::{Definition, Execution, Options, Status};
/// let def = Definition::from_text(r#"{"StartAt": "A", "States": {
///     "A": {"Type": "Pass", "Result": {"hello": "world"}, "End": true}}}"#).unwrap();
/// let mut exec = Execution::start(std::rc::Rc::new(def), aslplay::json::parse("{}").unwrap(), Options::default());
/// exec.run();
/// assert_eq!(exec.status(), Status::Succeeded);
/// assert_eq!(exec.output().unwrap().to_string(), r#"{"hello":"world"}"#);
/// assert_eq!(exec.history().len(), 4);
/// ```
pub struct Execution {
    def: Rc<Definition>,
    services: Box<dyn ServiceLayer>,
    options: Options,
    now: Millis,
    deadline: Option<Millis>,
    events: Vec<HistoryEvent>,
    fibers: Vec<Fiber>,
    ready: BinaryHeap<Reverse<Ready>>,
    /// The runnable entry that comes before every one in `ready`: most steps continue the
    /// fiber that just ran, and this spares the heap.
    next: Option<Ready>,
    status: Status,
    output: Option<Value>,
    error: Option<Rc<str>>,
    cause: Option<Rc<str>>,
    random: SeededRandom,
    execution_input: Value,
    context_base: context::Base,
    started: bool,
    /// How many history events `step` has handed out (one turn may write several).
    handed_out: usize,
    /// See [`Execution::state_transitions`].
    state_transitions: usize,
    sizes: SizeCache,
    children_executions: Vec<ChildExecution>,
    /// How many items (or batches) each distributed Map run has, by map run ARN, once read.
    map_run_totals: Vec<(Rc<str>, usize)>,
    /// AWS's JSONata functions, made on the first JSONata evaluation.
    jsonata: Option<jsonata::JsonataBase>,
    /// Finished state visits, when inspection is on.
    inspections: Vec<Inspection>,
    /// The mocked S3 of distributed Maps.
    object_store: Option<crate::distributed::ObjectStore>,
    /// Set when running one state for TestState.
    test: Option<Box<TestMode>>,
}

/// How TestState runs its state: the state's mocked result (for Map and Parallel too), the
/// retry count it pretends to be at, and what it saw.
#[derive(Debug, Default)]
pub(crate) struct TestMode {
    pub mock: Option<TaskResponse>,
    pub retrier_retry_count: Option<u32>,
    /// The state would be retried: stop there (TestState's RETRIABLE).
    pub retriable: bool,
    /// Variables in scope when the state runs.
    pub variables: Vec<(Rc<str>, Value)>,
    /// How many of a mocked Map's iterations failed (`mapIterationFailureCount`).
    pub map_iteration_failure_count: Option<u64>,
}

/// Remembers the JSON size of large values, so that a payload passed unchanged (shared)
/// through many states is measured once, not once per state. Holding a clone keeps the
/// allocation alive, so an address is never reused while it is a key.
#[derive(Default)]
struct SizeCache {
    known: UsizeMap<(Value, usize)>,
    /// Upper bounds of large values (see `bound`), kept the same way.
    bounds: UsizeMap<(Value, usize)>,
    /// The last array or object found within a limit, and that limit: a state that passes
    /// its input on (Choice, Wait, Succeed, a plain Pass) hands the same value back.
    last_fit: Option<(Value, usize)>,
}

impl SizeCache {
    const REMEMBER_FROM: usize = 4096;

    /// Whether `v`'s JSON text is longer than `limit` bytes. A quick upper bound (every
    /// string byte escaped; remembered sizes where known) settles most values without
    /// reading their strings.
    fn exceeds(&mut self, v: &Value, limit: usize) -> bool {
        let key = Self::key(v);
        if key.is_some() {
            if let Some((last, last_limit)) = &self.last_fit {
                if Self::key(last) == key && *last_limit == limit {
                    return false;
                }
            }
        }
        let exceeds = self.bound(v, limit) > limit && self.size(v) > limit;
        if key.is_some() && !exceeds {
            self.last_fit = Some((v.clone(), limit));
        }
        exceeds
    }

    /// The bound of a string, number, boolean or null (every string byte escaped); `None`
    /// for arrays and objects.
    #[inline(always)]
    fn scalar_bound(v: &Value) -> Option<usize> {
        match v {
            Value::String(s) => Some(2 + 6 * s.len()),
            Value::Number(_) => Some(24),
            Value::Null | Value::Bool(_) => Some(5),
            Value::Array(_) | Value::Object(_) => None,
        }
    }

    #[inline(always)]
    fn key(v: &Value) -> Option<usize> {
        match v {
            Value::Array(a) => Some(Rc::as_ptr(a) as *const u8 as usize),
            Value::Object(m) => Some(Rc::as_ptr(m) as *const u8 as usize),
            _ => None,
        }
    }

    /// An upper bound of the JSON length, stopping once past `budget`; exact sizes and
    /// bounds of large shared values are remembered.
    #[cfg_attr(aslplay_speed, optimize(speed))]
    fn bound(&mut self, v: &Value, budget: usize) -> usize {
        let Some(key) = Self::key(v) else { return Self::scalar_bound(v).unwrap_or(0) };
        if !(self.known.is_empty() && self.bounds.is_empty()) {
            if let Some((_, n)) = self.known.get(key).or_else(|| self.bounds.get(key)) {
                return *n;
            }
        }
        let (n, complete) = match v {
            // Scalars have no key: answered above.
            Value::String(_) | Value::Number(_) | Value::Null | Value::Bool(_) => return 0,
            Value::Array(a) => {
                let mut n = 2 + a.len();
                let mut complete = true;
                for x in a.iter() {
                    n += Self::scalar_bound(x).unwrap_or_else(|| self.bound(x, budget));
                    if n > budget {
                        complete = false;
                        break;
                    }
                }
                (n, complete)
            }
            Value::Object(m) => {
                let mut n = 2 + m.len();
                let mut complete = true;
                for (k, x) in m.iter() {
                    n += 3 + 6 * k.len() + Self::scalar_bound(x).unwrap_or_else(|| self.bound(x, budget));
                    if n > budget {
                        complete = false;
                        break;
                    }
                }
                (n, complete)
            }
        };
        if complete && n >= Self::REMEMBER_FROM {
            self.bounds.insert(key, (v.clone(), n));
        }
        n
    }

    fn size(&mut self, v: &Value) -> usize {
        let (key, n) = match v {
            Value::Array(a) => {
                let key = Rc::as_ptr(a) as *const u8 as usize;
                if let Some((_, n)) = self.known.get(key) {
                    return *n;
                }
                (key, 2 + a.len().saturating_sub(1) + a.iter().map(|x| self.size(x)).sum::<usize>())
            }
            Value::Object(m) => {
                let key = Rc::as_ptr(m) as *const u8 as usize;
                if let Some((_, n)) = self.known.get(key) {
                    return *n;
                }
                let members: usize = m.iter().map(|(k, x)| crate::json::string_len(k) + 1 + self.size(x)).sum();
                (key, 2 + m.len().saturating_sub(1) + members)
            }
            other => return crate::json::compact_len(other),
        };
        if n >= Self::REMEMBER_FROM {
            self.known.insert(key, (v.clone(), n));
        }
        n
    }
}

impl Execution {
    /// Starts an execution whose tasks are answered by the default service responses (see
    /// `services::DefaultServices`; `start_with_services` takes mocks).
    pub fn start(definition: Rc<Definition>, input: Value, options: Options) -> Execution {
        let services = default_services(&options);
        Execution::start_with_services(definition, input, options, Box::new(services))
    }

    /// Starts an execution under a MockConfigFile: Task states are answered by `test_case` of
    /// `state_machine` (`None`: the file's only state machine), the states the test case does
    /// not mock get the default responses, and distributed Maps read the file's `S3Objects`.
    pub fn start_mocked(
        definition: Rc<Definition>,
        input: Value,
        options: Options,
        mocks: &crate::services::MockConfig,
        state_machine: Option<&str>,
        test_case: &str,
    ) -> Result<Execution, crate::services::MockConfigError> {
        let store = crate::distributed::ObjectStore::from_value(mocks.source(), options.start_time)?;
        let services = mocks.test_case(state_machine, test_case, Box::new(default_services(&options)))?;
        let mut exec = Execution::start_with_services(definition, input, options, Box::new(services));
        exec.set_object_store(store);
        Ok(exec)
    }

    /// Starts an execution; nothing happens until `step` or `run`.
    pub fn start_with_services(
        definition: Rc<Definition>,
        input: Value,
        options: Options,
        services: Box<dyn ServiceLayer>,
    ) -> Execution {
        let now = options.start_time;
        let deadline = definition.timeout_seconds.map(|t| now.saturating_add((t as i64).saturating_mul(1000)));
        let context_base = context::Base::new(&options.ids, &input, now, options.synchronous);
        Execution {
            def: definition,
            services,
            random: SeededRandom(options.seed),
            options,
            now,
            deadline,
            events: Vec::new(),
            fibers: Vec::new(),
            ready: BinaryHeap::new(),
            next: None,
            status: Status::Running,
            output: None,
            error: None,
            cause: None,
            execution_input: input,
            context_base,
            started: false,
            handed_out: 0,
            state_transitions: 0,
            sizes: SizeCache::default(),
            children_executions: Vec::new(),
            map_run_totals: Vec::new(),
            jsonata: None,
            inspections: Vec::new(),
            object_store: None,
            test: None,
        }
    }

    pub fn status(&self) -> Status {
        self.status
    }

    /// The execution's output once it has succeeded.
    pub fn output(&self) -> Option<&Value> {
        self.output.as_ref()
    }

    /// The error name once it has failed, timed out or been aborted.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    pub fn cause(&self) -> Option<&str> {
        self.cause.as_deref()
    }

    /// The events so far.
    pub fn history(&self) -> &[HistoryEvent] {
        &self.events
    }

    /// State transitions so far, as AWS counts them for an execution (what the console's
    /// execution summary shows and what Standard workflows are billed by): every state entered
    /// plus every retry, in this execution's own history. States entered in inline Map
    /// iterations and Parallel branches count; a Distributed Map's child executions are
    /// executions of their own and do not. The one definition of "state transition" in the
    /// project: the page's summary and the benchmarks' transitions per second read it.
    ///
    /// ```
    /// use aslplay::{Definition, Execution, Options};
    /// let def = Definition::from_text(r#"{"StartAt": "A", "States": {
    ///     "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}"#).unwrap();
    /// let mut exec = Execution::start(std::rc::Rc::new(def), aslplay::json::parse("{}").unwrap(), Options::default());
    /// exec.run();
    /// assert_eq!(exec.state_transitions(), 2);
    /// ```
    pub fn state_transitions(&self) -> usize {
        self.state_transitions
    }

    /// The child executions of distributed Map states, each with its own history.
    pub fn child_executions(&self) -> &[ChildExecution] {
        &self.children_executions
    }

    /// The number of items (or batches) of each distributed Map run whose items have been
    /// read, by map run ARN, in the order the runs started: the Map Run's total item count.
    pub fn map_run_totals(&self) -> &[(Rc<str>, usize)] {
        &self.map_run_totals
    }

    /// What happened inside each finished state visit (with `Options::inspect`), in order.
    pub fn inspections(&self) -> &[Inspection] {
        &self.inspections
    }

    /// The inspection of the state visit whose `*StateEntered` event has id `entered_event`,
    /// once that visit has finished.
    pub fn inspection(&self, entered_event: u64) -> Option<&Inspection> {
        self.inspections.iter().find(|i| i.entered_event == entered_event)
    }

    /// The definition being run.
    pub fn definition(&self) -> &Rc<Definition> {
        &self.def
    }

    /// The virtual time now.
    pub fn now(&self) -> Millis {
        self.now
    }

    /// `{"status", "output", "error", "cause"}`, as the CLI prints it.
    pub fn result_value(&self) -> Value {
        let mut m = Map::new();
        m.push_unique("status", Value::from(self.status.as_str()));
        m.push_unique("output", self.output.clone().unwrap_or(Value::Null));
        m.push_unique("error", self.error.clone().map_or(Value::Null, Value::String));
        m.push_unique("cause", self.cause.clone().map_or(Value::Null, Value::String));
        Value::from(m)
    }

    /// Runs to the end.
    pub fn run(&mut self) -> Status {
        while self.step().is_some() {}
        self.status
    }

    /// Aborts the execution (`ExecutionAborted`), as StopExecution does; the next `step`
    /// hands out the event.
    pub fn stop(&mut self, error: Option<&str>, cause: Option<&str>) {
        if self.status != Status::Running {
            return;
        }
        let last = self.events.last().map_or(0, |e| e.id);
        self.error = error.map(Rc::from);
        self.cause = cause.map(Rc::from);
        let details = Details { error: self.error.clone(), cause: self.cause.clone(), ..Details::default() };
        self.push_event(EventType::ExecutionAborted, last, details);
        self.status = Status::Aborted;
        self.abort_child_executions();
    }

    /// Advances by one history event and returns it; `None` once the execution has ended.
    pub fn step(&mut self) -> Option<&HistoryEvent> {
        let mut unlimited = usize::MAX;
        self.step_within(&mut unlimited)
    }

    /// Like `step`, but takes at most `budget` scheduler turns, counting them off `budget`;
    /// `None` while still `Running` means the budget ran out first. A distributed Map's
    /// children write their own histories, so a Map Run of 100,000 items takes many turns
    /// without an event here; a caller that must stay responsive (the page's worker) advances
    /// it in bounded slices.
    #[cfg_attr(aslplay_speed, optimize(speed))]
    pub fn step_within(&mut self, budget: &mut usize) -> Option<&HistoryEvent> {
        // Events written but not yet handed out come first (a turn may write several, and
        // `stop` writes one), one per call.
        if self.handed_out < self.events.len() {
            self.handed_out += 1;
            return self.events.get(self.handed_out - 1);
        }
        if self.status != Status::Running {
            return None;
        }
        if !self.started {
            self.started = true;
            let details = Details {
                input: Some(self.execution_input.clone()),
                ..Details::rare(RareDetails { role_arn: Some(self.options.ids.role_arn()), ..RareDetails::default() })
            };
            self.push_event(EventType::ExecutionStarted, 0, details);
            let scope = Rc::new(Scope::root());
            if let Some(vars) = self.test.as_ref().map(|t| t.variables.clone()) {
                scope.assign(&vars);
            }
            let start = self.def.lists[0].start_at;
            self.spawn(0, Rc::from(&[0u32][..]), Role::Machine, None, start, self.execution_input.clone(), scope, 1);
            self.handed_out = self.events.len();
            return self.events.last();
        }
        let before = self.events.len();
        while self.events.len() == before && self.status == Status::Running {
            if *budget == 0 {
                break;
            }
            *budget -= 1;
            if self.events.len() + 1 >= self.options.max_events {
                let cause = format!(
                    "The execution reached the maximum number of history events ({}).",
                    self.options.max_events
                );
                self.finish_execution(Status::Failed, None, Some("States.Runtime".into()), Some(cause.into()));
                break;
            }
            let Some((time, _, fid, generation)) = self.next.take().or_else(|| self.ready.pop().map(|Reverse(e)| e))
            else {
                // Nothing can run: a fiber waits for a callback that never comes.
                self.finish_execution(
                    Status::Failed,
                    None,
                    Some("States.Runtime".into()),
                    Some("The execution cannot make progress: every branch is waiting.".into()),
                );
                break;
            };
            if self.fibers[fid].generation != generation {
                continue;
            }
            if let Some(deadline) = self.deadline {
                if time > deadline {
                    self.now = deadline;
                    self.finish_execution(Status::TimedOut, None, Some("States.Timeout".into()), None);
                    break;
                }
            }
            self.now = self.now.max(time);
            self.advance(fid);
        }
        if self.events.len() > before {
            self.handed_out = before + 1;
            self.events.get(before)
        } else {
            None
        }
    }

    // ---- fibers and scheduling ----

    #[allow(clippy::too_many_arguments)]
    #[cfg_attr(aslplay_speed, optimize(speed))]
    fn spawn(
        &mut self,
        list: usize,
        key: Rc<[u32]>,
        role: Role,
        parent: Option<usize>,
        state: usize,
        input: Value,
        scope: Rc<Scope>,
        last_event: u64,
    ) -> usize {
        let fid = self.fibers.len();
        self.fibers.push(Fiber {
            list,
            key,
            role,
            parent,
            state,
            phase: if matches!(role, Role::Iteration(_)) { Phase::IterationStarted } else { Phase::Enter },
            input,
            entered_event: 0,
            entered_time: self.now,
            last_event,
            scope,
            retrier_attempts: Vec::new(),
            retry_count: 0,
            generation: 0,
            children: None,
            task_token: None,
            task: None,
            default_response: false,
            missed_heartbeat: false,
            inspection: None,
            sink: parent.and_then(|p| self.fibers[p].sink),
        });
        self.schedule(fid, self.now);
        fid
    }

    #[cfg_attr(aslplay_speed, optimize(speed))]
    fn schedule(&mut self, fid: usize, at: Millis) {
        let f = &mut self.fibers[fid];
        f.generation = f.generation.wrapping_add(1);
        let entry = (at, f.key.clone(), fid, f.generation);
        // Keep `next` the smallest runnable entry.
        match self.next.take() {
            None if self.ready.peek().is_none_or(|Reverse(top)| entry <= *top) => self.next = Some(entry),
            None => self.ready.push(Reverse(entry)),
            Some(current) if entry < current => {
                self.ready.push(Reverse(current));
                self.next = Some(entry);
            }
            Some(current) => {
                self.next = Some(current);
                self.ready.push(Reverse(entry));
            }
        }
    }

    /// Takes the fiber out of the schedule (it waits for its children or has ended).
    fn park(&mut self, fid: usize) {
        let f = &mut self.fibers[fid];
        f.generation = f.generation.wrapping_add(1);
    }

    #[cfg_attr(aslplay_speed, optimize(speed))]
    fn push_event(&mut self, event_type: EventType, previous: u64, details: Details) -> u64 {
        let id = self.events.len() as u64 + 1;
        self.events.push(HistoryEvent { id, previous_event_id: previous, timestamp: self.now, event_type, details });
        id
    }

    /// Counts a state transition of fiber `fid` (a state entered or a retry) when it belongs to
    /// this execution's own history (a Distributed Map's child executions are not counted).
    fn count_transition(&mut self, fid: usize) {
        if self.fibers[fid].sink.is_none() {
            self.state_transitions += 1;
        }
    }

    /// Records an event of fiber `fid`.
    #[cfg_attr(aslplay_speed, optimize(speed))]
    fn emit(&mut self, fid: usize, event_type: EventType, details: Details) -> u64 {
        let previous = self.fibers[fid].last_event;
        let id = match self.fibers[fid].sink {
            None => self.push_event(event_type, previous, details),
            Some(c) => {
                let events = &mut self.children_executions[c].events;
                let id = events.len() as u64 + 1;
                events.push(HistoryEvent { id, previous_event_id: previous, timestamp: self.now, event_type, details });
                id
            }
        };
        self.fibers[fid].last_event = id;
        id
    }

    fn finish_execution(
        &mut self,
        status: Status,
        output: Option<Value>,
        error: Option<Rc<str>>,
        cause: Option<Rc<str>>,
    ) {
        // A Fail state without Error fails the execution with no error name.
        let error = error.filter(|e| !e.is_empty());
        let previous = self.events.last().map_or(0, |e| e.id);
        let (event_type, details) = match status {
            Status::Succeeded => {
                (EventType::ExecutionSucceeded, Details { output: output.clone(), ..Details::default() })
            }
            Status::TimedOut => (
                EventType::ExecutionTimedOut,
                Details { error: error.clone(), cause: cause.clone(), ..Details::default() },
            ),
            _ => (
                EventType::ExecutionFailed,
                Details { error: error.clone(), cause: cause.clone(), ..Details::default() },
            ),
        };
        self.push_event(event_type, previous, details);
        self.status = status;
        self.output = output;
        self.error = error;
        self.cause = cause;
        self.ready.clear();
        self.next = None;
        self.abort_child_executions();
    }

    /// The execution ended: its distributed Maps' child executions still running are aborted.
    fn abort_child_executions(&mut self) {
        if self.children_executions.iter().any(|c| c.status == Status::Running) {
            for fid in 0..self.fibers.len() {
                self.abort_child_execution(fid);
            }
        }
    }

    fn state_type(kind: &Kind) -> StateType {
        match kind {
            Kind::Pass { .. } => StateType::Pass,
            Kind::Task(_) => StateType::Task,
            Kind::Choice(_) => StateType::Choice,
            Kind::Wait(_) => StateType::Wait,
            Kind::Succeed => StateType::Succeed,
            Kind::Fail(_) => StateType::Fail,
            Kind::Parallel { .. } => StateType::Parallel,
            Kind::Map(_) => StateType::Map,
        }
    }

    /// The prefix AWS puts before runtime error causes.
    fn runtime_failure(&self, fid: usize, e: EvalError) -> Failure {
        let f = &self.fibers[fid];
        let name = &self.def.lists[f.list].states[f.state].name;
        let cause = if e.error == "States.Runtime" || e.error == "States.QueryEvaluationError" {
            format!(
                "An error occurred while executing the state '{}' (entered at the event id #{}). {}",
                name, f.entered_event, e.cause
            )
        } else {
            e.cause
        };
        Failure { error: Rc::from(e.error), cause: Some(Rc::from(cause)), heartbeat: false }
    }

    // ---- one micro-step of a fiber ----

    #[cfg_attr(aslplay_speed, optimize(speed))]
    fn advance(&mut self, fid: usize) {
        let phase = std::mem::replace(&mut self.fibers[fid].phase, Phase::Done);
        let def = self.def.clone();
        let f = &self.fibers[fid];
        let state = &def.lists[f.list].states[f.state];
        match phase {
            Phase::IterationStarted => {
                let index = match self.fibers[fid].role {
                    Role::Iteration(i) => i,
                    _ => 0,
                };
                if self.fibers[fid].sink.is_some() {
                    let input = self.fibers[fid].input.clone();
                    self.emit(fid, EventType::ExecutionStarted, Details { input: Some(input), ..Details::default() });
                } else {
                    let map_name = self.parent_state_name(fid);
                    self.emit(
                        fid,
                        EventType::MapIterationStarted,
                        Details { name: map_name, index: Some(index), ..Details::default() },
                    );
                }
                self.continue_with(fid, Phase::Enter);
            }
            Phase::Enter => self.enter_state(fid),
            Phase::Run => self.run_state(fid),
            Phase::Exit { output, next, assigned } => self.exit_state(fid, output, next, assigned),
            Phase::TaskScheduled { parameters } => self.task_scheduled(fid, parameters),
            Phase::TaskStarted { parameters } => self.task_started(fid, parameters),
            Phase::TaskOutcome { response } => self.task_outcome(fid, response),
            Phase::ParallelStarted { input } => self.start_branches(fid, input),
            Phase::MapStarted { input, items } => self.start_iterations(fid, input, items),
            Phase::AwaitChildren => {
                self.fibers[fid].phase = Phase::AwaitChildren;
                self.park(fid);
            }
            Phase::MapRunSucceeded => {
                match self.write_distributed_results(fid) {
                    Some(Err(e)) => {
                        self.map_run_failed(fid, e);
                        return;
                    }
                    Some(Ok(written)) => {
                        if let Some(c) = self.fibers[fid].children.as_deref_mut() {
                            c.written = Some(written);
                        }
                    }
                    None => {}
                }
                self.emit(fid, EventType::MapRunSucceeded, Details::default());
                self.continue_with(fid, Phase::ChildrenDone);
            }
            Phase::ChildrenDone => self.children_done(fid),
            Phase::StateFailed { failure, event } => {
                if let Some(e) = event {
                    self.emit(fid, e, Details::default());
                }
                self.catch_or_fail(fid, failure);
            }
            Phase::EvaluationFailed { failure, location } => {
                let details = Details {
                    error: Some(failure.error.clone()),
                    cause: failure.cause.clone(),
                    name: Some(state.name.clone()),
                    ..Details::rare(RareDetails { location, ..RareDetails::default() })
                };
                self.emit(fid, EventType::EvaluationFailed, details);
                let event = match state.kind {
                    Kind::Map(_) => Some(EventType::MapStateFailed),
                    Kind::Parallel { .. } => Some(EventType::ParallelStateFailed),
                    _ => None,
                };
                self.handle_failure(fid, failure, event);
            }
            Phase::ListSucceeded { output } => self.list_succeeded(fid, output),
            Phase::ListFailed { failure } => self.list_failed(fid, failure),
            Phase::Done => {}
        }
    }

    /// `*StateEntered`: the state's input recorded, its retry counters reset.
    #[cfg_attr(aslplay_speed, optimize(speed))]
    fn enter_state(&mut self, fid: usize) {
        let def = self.def.clone();
        let f = &self.fibers[fid];
        let state = &def.lists[f.list].states[f.state];
        let st = Self::state_type(&state.kind);
        let input = self.fibers[fid].input.clone();
        let id = self.emit(
            fid,
            EventType::StateEntered(st),
            Details { name: Some(state.name.clone()), input: Some(input), ..Details::default() },
        );
        self.count_transition(fid);
        let preset = self.test.as_ref().and_then(|t| t.retrier_retry_count).unwrap_or(0);
        let inspect = self.options.inspect;
        let f = &mut self.fibers[fid];
        f.entered_event = id;
        f.entered_time = self.now;
        f.retry_count = preset;
        f.retrier_attempts.clear();
        f.retrier_attempts.resize(state.retry.len(), preset);
        if inspect && f.sink.is_none() {
            let variables = f.scope.all();
            f.inspection = Some(Box::new(Inspection {
                state: state.name.clone(),
                entered_event: id,
                input: f.input.clone(),
                variables: (!variables.is_empty()).then(|| Value::from(variables.into_iter().collect::<Map>())),
                ..Inspection::default()
            }));
        }
        self.continue_with(fid, Phase::Run);
    }

    /// `*StateExited` (unless the output is over the payload limit), then on to `next`.
    #[cfg_attr(aslplay_speed, optimize(speed))]
    fn exit_state(&mut self, fid: usize, output: Value, next: Option<usize>, assigned: Option<Assignments>) {
        let def = self.def.clone();
        let (list_id, state_id) = (self.fibers[fid].list, self.fibers[fid].state);
        let list: &StateList = &def.lists[list_id];
        let state = &list.states[state_id];
        let st = Self::state_type(&state.kind);
        if self.sizes.exceeds(&output, self.options.payload_limit) {
            let failure = Failure::new(
                "States.DataLimitExceeded",
                format!("The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.", state.name),
            );
            self.continue_with(fid, Phase::ListFailed { failure });
            return;
        }
        if let Some(vars) = &assigned {
            self.fibers[fid].scope.assign(vars);
        }
        self.emit(
            fid,
            EventType::StateExited(st),
            Details {
                name: Some(state.name.clone()),
                output: Some(output.clone()),
                assigned_variables: assigned.clone(),
                ..Details::default()
            },
        );
        if let Some(mut i) = self.fibers[fid].inspection.take() {
            i.output = Some(output.clone());
            i.assigned = assigned.clone();
            i.next_state = next.map(|n| list.states[n].name.clone());
            self.inspections.push(*i);
        }
        match next {
            Some(n) => {
                let f = &mut self.fibers[fid];
                f.state = n;
                f.input = output;
                self.continue_with(fid, Phase::Enter);
            }
            None => self.continue_with(fid, Phase::ListSucceeded { output }),
        }
    }

    /// `ParallelStateStarted`: one fiber per branch.
    fn start_branches(&mut self, fid: usize, input: Value) {
        let def = self.def.clone();
        let f = &self.fibers[fid];
        let state = &def.lists[f.list].states[f.state];
        self.emit(fid, EventType::ParallelStateStarted, Details::default());
        if self.answer_from_test_mock(fid, EventType::ParallelStateFailed) {
            return;
        }
        let Kind::Parallel { branches } = &state.kind else { return };
        let mut children = Children::new(branches.len(), usize::MAX, Rc::new(Vec::new()), Value::Null);
        let parent_key = self.fibers[fid].key.clone();
        let last = self.fibers[fid].last_event;
        for (i, &b) in branches.iter().enumerate() {
            let scope = Rc::new(Scope::child(&self.fibers[fid].scope));
            let start = def.lists[b].start_at;
            let child = self.spawn(
                b,
                child_key(&parent_key, i),
                Role::Branch(i as u32),
                Some(fid),
                start,
                input.clone(),
                scope,
                last,
            );
            children.fibers.push(child);
            children.running += 1;
        }
        if branches.is_empty() {
            self.fibers[fid].children = Some(Box::new(children));
            self.continue_with(fid, Phase::ChildrenDone);
        } else {
            self.fibers[fid].children = Some(Box::new(children));
            self.fibers[fid].phase = Phase::AwaitChildren;
            self.park(fid);
        }
    }

    /// `MapStateStarted` (and a distributed Map's `MapRunStarted`): the iterations begin.
    fn start_iterations(&mut self, fid: usize, input: Value, items: Rc<Vec<Value>>) {
        let def = self.def.clone();
        let f = &self.fibers[fid];
        let state = &def.lists[f.list].states[f.state];
        match self.map_children(fid, items, input) {
            Ok(children) => {
                let mut children = children;
                let length = Some(children.items.len() as u64);
                self.emit(
                    fid,
                    EventType::MapStateStarted,
                    Details::rare(RareDetails { length, ..RareDetails::default() }),
                );
                if let Err(failure) = self.map_tolerance(fid, &mut children) {
                    self.continue_with(fid, Phase::ListFailed { failure });
                    return;
                }
                if self.answer_from_test_mock(fid, EventType::MapStateFailed) {
                    return;
                }
                if let Kind::Map(m) = &state.kind {
                    if m.distributed {
                        let arn = self.map_run_arn(&m.raw);
                        children.map_run_arn = Some(arn.clone());
                        self.emit(
                            fid,
                            EventType::MapRunStarted,
                            Details::rare(RareDetails { location: Some(arn.clone()), ..RareDetails::default() }),
                        );
                        if let Err(e) = self.prepare_distributed_items(fid, &mut children) {
                            self.map_run_failed(fid, e);
                            return;
                        }
                        self.map_run_totals.push((arn, children.items.len()));
                    }
                }
                let empty = children.items.is_empty();
                self.fibers[fid].children = Some(Box::new(children));
                if empty {
                    self.continue_with(fid, Phase::ChildrenDone);
                } else {
                    self.fibers[fid].phase = Phase::AwaitChildren;
                    self.park(fid);
                    self.start_more_iterations(fid);
                }
            }
            Err(failure) => self.continue_with(fid, Phase::ListFailed { failure }),
        }
    }

    #[cfg_attr(aslplay_speed, optimize(speed))]
    fn continue_with(&mut self, fid: usize, phase: Phase) {
        self.fibers[fid].phase = phase;
        self.schedule(fid, self.now);
    }

    #[cfg_attr(aslplay_speed, optimize(speed))]
    fn continue_at(&mut self, fid: usize, phase: Phase, at: Millis) {
        self.fibers[fid].phase = phase;
        self.schedule(fid, at);
    }

    fn parent_state_name(&self, fid: usize) -> Option<Rc<str>> {
        let p = self.fibers[fid].parent?;
        let pf = &self.fibers[p];
        Some(self.def.lists[pf.list].states[pf.state].name.clone())
    }

    /// The work of a state after its Entered event.
    fn run_state(&mut self, fid: usize) {
        let f = &self.fibers[fid];
        let jsonata = self.def.lists[f.list].states[f.state].query_language == QueryLanguage::Jsonata;
        let work = if jsonata { self.jsonata_state_work(fid) } else { self.state_work(fid) };
        match work {
            Ok((phase, at)) => self.continue_at(fid, phase, at),
            Err(e) => self.fail_state(fid, e),
        }
    }

    /// A state's work failed: a JSONata evaluation error is recorded (`EvaluationFailed`)
    /// and may be retried or caught; other errors end the state list.
    pub(super) fn fail_state(&mut self, fid: usize, e: EvalError) {
        let query = e.error == "States.QueryEvaluationError";
        let location = e.location.clone();
        let failure = self.runtime_failure(fid, e);
        if query {
            self.continue_with(fid, Phase::EvaluationFailed { failure, location });
        } else {
            self.continue_with(fid, Phase::ListFailed { failure });
        }
    }

    /// What a state does with its input; returns the next phase and when it runs.
    fn state_work(&mut self, fid: usize) -> Result<(Phase, Millis), EvalError> {
        let def = self.def.clone();
        let f = &self.fibers[fid];
        let state = &def.lists[f.list].states[f.state];
        let raw = f.input.clone();
        let entered_event = f.entered_event;
        let now = self.now;
        let next = match state.transition {
            Transition::Next(n) => Some(n),
            Transition::End => None,
        };
        let context = if def.uses_context {
            self.context_base.for_state(&state.name, f.entered_time, f.retry_count, state_has_retry_count(&state.kind))
        } else {
            Value::Null
        };
        let mut flow = Flow { scope: f.scope.clone(), context, random: &mut self.random };
        let phase = match &state.kind {
            Kind::Pass { result } => {
                let effective = flow.input_path(state, &raw)?;
                // Parameters are evaluated (and may fail) even when Result then replaces them.
                let parameters = match &state.parameters {
                    Some(p) => Some(flow.template(p, &effective, "Parameters")?),
                    None => None,
                };
                let res = match (result, parameters) {
                    (Some(r), _) => r.clone(),
                    (None, Some(p)) => p,
                    (None, None) => effective.clone(),
                };
                record(&mut self.fibers, fid, |i| {
                    if result.is_some() {
                        i.result = Some(res.clone());
                    } else {
                        i.after_input_path = Some(effective);
                        i.after_parameters = Some(res.clone());
                    }
                    i.after_result_selector = Some(res.clone());
                });
                let assigned = flow.assign(state.assign.as_ref(), &res)?;
                let merged = flow.result_path(state, &raw, res)?;
                record(&mut self.fibers, fid, |i| i.after_result_path = Some(merged.clone()));
                let output = flow.output_path(state, &merged)?;
                Phase::Exit { output, next, assigned }
            }
            Kind::Succeed => {
                let effective = flow.input_path(state, &raw)?;
                record(&mut self.fibers, fid, |i| i.after_input_path = Some(effective.clone()));
                let output = flow.output_path(state, &effective)?;
                Phase::Exit { output, next: None, assigned: None }
            }
            Kind::Choice(c) => {
                let effective = flow.input_path(state, &raw)?;
                record(&mut self.fibers, fid, |i| i.after_input_path = Some(effective.clone()));
                let mut chosen = None;
                for rule in &c.rules {
                    if flow.condition(&rule.condition, &effective)? {
                        chosen = Some(rule);
                        break;
                    }
                }
                let (target, assign) = match chosen {
                    Some(rule) => (rule.next, rule.assign.as_ref().or(state.assign.as_ref())),
                    None => match c.default {
                        Some(d) => (d, state.assign.as_ref()),
                        None => {
                            return Err(EvalError::new(
                                "States.NoChoiceMatched",
                                format!("No Matches! (state '{}' entered at event id #{entered_event})", state.name),
                            ))
                        }
                    },
                };
                let assigned = flow.assign(assign, &effective)?;
                let output = flow.output_path(state, &effective)?;
                Phase::Exit { output, next: Some(target), assigned }
            }
            Kind::Wait(w) => {
                let effective = flow.input_path(state, &raw)?;
                record(&mut self.fibers, fid, |i| i.after_input_path = Some(effective.clone()));
                let until = match w {
                    Wait::Seconds(NumberField::Literal(s)) => now.saturating_add((*s * 1000.0) as i64),
                    Wait::Seconds(NumberField::Path(p)) => {
                        now.saturating_add(flow.seconds_path(p, &effective)?.saturating_mul(1000))
                    }
                    Wait::Timestamp(t) => crate::time::parse_rfc3339(t).ok_or_else(|| {
                        EvalError::runtime(format!(
                            "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {t}"
                        ))
                    })?,
                    Wait::TimestampPath(p) => flow.timestamp_path(p, &effective)?,
                    Wait::Seconds(NumberField::Jsonata(_)) | Wait::TimestampJsonata(_) => {
                        return Err(EvalError::runtime("JSONata is not supported yet"))
                    }
                };
                let longest = if self.options.machine_type == crate::definition::validate::MachineType::Express {
                    5 * 60_000
                } else {
                    365 * 86_400_000
                };
                if until.saturating_sub(now) > longest {
                    return Err(EvalError::runtime("Wait state delay is too long."));
                }
                let assigned = flow.assign(state.assign.as_ref(), &effective)?;
                let output = flow.output_path(state, &effective)?;
                return Ok((Phase::Exit { output, next, assigned }, until.max(now)));
            }
            Kind::Fail(fail) => {
                record(&mut self.fibers, fid, |i| i.after_input_path = Some(raw.clone()));
                let error = flow.string_field(fail.error.as_ref(), &raw, "ErrorPath")?;
                let cause = flow.string_field(fail.cause.as_ref(), &raw, "CausePath")?;
                Phase::ListFailed {
                    failure: Failure { error: error.unwrap_or_else(|| Rc::from("")), cause, heartbeat: false },
                }
            }
            Kind::Task(task) => {
                let given = flow.context.get("Task").and_then(|t| t.get("Token")).and_then(Value::as_str).map(Rc::from);
                if let Some(token) = given {
                    self.fibers[fid].task_token = Some(token);
                } else if task.resource.ends_with(".waitForTaskToken") {
                    let token = Rc::from(uuid_v4(flow.random));
                    let mut t = Map::with_capacity(1);
                    t.push_unique("Token", Value::String(Rc::clone(&token)));
                    flow.context = context::with_member(&flow.context, "Task", Value::from(t));
                    self.fibers[fid].task_token = Some(token);
                }
                let effective = flow.input_path(state, &raw)?;
                let parameters = match &state.parameters {
                    Some(p) => flow.template(p, &effective, "Parameters")?,
                    None => effective.clone(),
                };
                record(&mut self.fibers, fid, |i| {
                    i.after_input_path = Some(effective);
                    i.after_parameters = Some(parameters.clone());
                });
                Phase::TaskScheduled { parameters }
            }
            Kind::Parallel { .. } => {
                let effective = flow.input_path(state, &raw)?;
                let input = match &state.parameters {
                    Some(p) => flow.template(p, &effective, "Parameters")?,
                    None => effective.clone(),
                };
                record(&mut self.fibers, fid, |i| {
                    i.after_input_path = Some(effective);
                    i.after_parameters = Some(input.clone());
                });
                Phase::ParallelStarted { input }
            }
            Kind::Map(m) => {
                let effective = flow.input_path(state, &raw)?;
                record(&mut self.fibers, fid, |i| i.after_input_path = Some(effective.clone()));
                // With an ItemReader the items come from S3 once the map run starts.
                let items =
                    if m.item_reader.is_some() { Rc::new(Vec::new()) } else { flow.items(&m.items_path, &effective)? };
                record(&mut self.fibers, fid, |i| i.after_items_path = Some(Value::Array(items.clone())));
                Phase::MapStarted { input: effective, items }
            }
        };
        Ok((phase, now))
    }
}

impl Execution {
    /// `arn:aws:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:ID` for a distributed Map.
    fn map_run_arn(&mut self, map: &Value) -> Rc<str> {
        let ids = &self.options.ids;
        let label = map
            .get("Label")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| uuid_v4(&mut self.random)[..8].to_string());
        let id = uuid_v4(&mut self.random);
        Rc::from(format!(
            "arn:{}:states:{}:{}:mapRun:{}/{label}:{id}",
            ids.partition, ids.region, ids.account_id, ids.state_machine_name
        ))
    }
}

impl Execution {
    /// Runs this execution as TestState runs one state.
    pub(crate) fn set_test_mode(&mut self, mode: TestMode) {
        self.test = Some(Box::new(mode));
    }

    /// Uses this context object for every state instead of making one (TestState's `context`).
    pub(crate) fn set_context(&mut self, context: Value) {
        self.context_base.fixed = Some(context);
    }

    /// A distributed Map's run failed: `MapRunFailed`, then the Map state fails (`MapStateFailed`)
    /// unless retried or caught.
    fn map_run_failed(&mut self, fid: usize, e: crate::distributed::MapRunError) {
        let failure = Failure { error: Rc::from(e.error), cause: Some(Rc::from(e.cause)), heartbeat: false };
        let details =
            Details { error: Some(failure.error.clone()), cause: failure.cause.clone(), ..Details::default() };
        self.emit(fid, EventType::MapRunFailed, details);
        self.fibers[fid].children = None;
        self.handle_failure(fid, failure, Some(EventType::MapStateFailed));
    }

    /// The unfinished inspection of a fiber's current state (0: the machine's own fiber).
    pub(crate) fn current_inspection(&self, fiber: usize) -> Option<Inspection> {
        self.fibers.get(fiber)?.inspection.as_deref().cloned()
    }

    /// Whether TestState's state hit an error that it would retry.
    pub(crate) fn test_retriable(&self) -> bool {
        self.test.as_ref().is_some_and(|t| t.retriable)
    }

    /// TestState with a mock on a Map or Parallel state: the mock is the state's result, and
    /// no iteration or branch runs. Returns whether it answered.
    fn answer_from_test_mock(&mut self, fid: usize, failed_event: EventType) -> bool {
        if fid != 0 {
            return false;
        }
        let Some(mock) = self.test.as_mut().and_then(|t| t.mock.take()) else { return false };
        let failed = self.test.as_ref().and_then(|t| t.map_iteration_failure_count).unwrap_or(0);
        // A mocked error (`errorOutput`) is the state's outcome whatever the failure count: only a
        // mocked result is checked against the tolerated failure threshold.
        if failed > 0 && matches!(mock, TaskResponse::Succeeded { .. }) {
            let (count, pct, total) = match self.fibers[fid].inspection.as_deref() {
                Some(i) => (
                    i.tolerated_failure_count,
                    i.tolerated_failure_percentage,
                    i.after_items_path.as_ref().and_then(|v| v.as_array().map(|a| a.len())),
                ),
                None => (None, None, None),
            };
            let total = match (&mock, total) {
                (_, Some(n)) => n,
                (TaskResponse::Succeeded { output, .. }, None) => output.as_array().map_or(0, |a| a.len()),
                _ => 0,
            };
            let over_count = count.map_or(pct.is_none(), |n| failed > n);
            let over_pct = pct.is_some_and(|p| failed as f64 * 100.0 / total.max(1) as f64 > p);
            if over_count || over_pct {
                let failure = Failure::new(
                    "States.ExceedToleratedFailureThreshold",
                    "The specified tolerated failure threshold was exceeded",
                );
                self.handle_failure(fid, failure, Some(failed_event));
                return true;
            }
        }
        match mock {
            TaskResponse::Succeeded { output, .. } => self.state_result(fid, output),
            TaskResponse::Failed { error, cause, .. } => {
                self.handle_failure(fid, Failure { error, cause, heartbeat: false }, Some(failed_event))
            }
            _ => return false,
        }
        true
    }
}

/// The default service responses, with the execution's seed, clock and account.
pub fn default_services(options: &Options) -> crate::services::DefaultServices {
    crate::services::DefaultServices::new(options.seed)
        .with_clock(options.start_time)
        .with_account(&options.ids.account_id, &options.ids.region)
}

/// A runnable fiber: (virtual time, depth-first key, fiber, generation).
type Ready = (Millis, Rc<[u32]>, usize, u32);

fn child_key(parent: &Rc<[u32]>, i: usize) -> Rc<[u32]> {
    let mut k = parent.to_vec();
    k.push(i as u32);
    Rc::from(k)
}

fn state_has_retry_count(kind: &Kind) -> bool {
    matches!(kind, Kind::Task(_) | Kind::Parallel { .. } | Kind::Map(_))
}
