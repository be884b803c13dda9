//! States in JSONata mode: `$states` (input, context, result, errorOutput), workflow
//! variables as `$name`, and the fields `Arguments`, `Output`, `Assign`, `Condition`, `Items`,
//! `ItemSelector`, `Seconds`, `Timestamp`, `TimeoutSeconds`, ... evaluated where AWS does.

use super::errors::Failure;
use super::{context, Execution, Phase};
use crate::definition::model::{Kind, NumberField, State, StringField, Transition, Wait};
use crate::history::Assignments;
use crate::jsonata::Environment;
use crate::query::jsonata_field::{query_error, JsonataField};
use crate::query::EvalError;
use crate::random::{uuid_v4, Random, SeededRandom};
use crate::time::Millis;
use crate::value::{Map, Value};
use std::cell::RefCell;
use std::rc::Rc;

/// What `$states` holds for one evaluation.
pub(super) struct States<'a> {
    pub input: &'a Value,
    pub result: Option<&'a Value>,
    pub error_output: Option<&'a Value>,
    pub context: Value,
}

/// The JSONata functions AWS adds, made once per execution and shared by every evaluation.
pub(super) struct JsonataBase {
    functions: Environment,
    random: Rc<RefCell<SeededRandom>>,
    /// An environment ready for reuse.
    spare: Option<Environment>,
}

impl JsonataBase {
    pub fn new(seed: u64) -> JsonataBase {
        // A stream of its own, so that JSONata's randomness does not shift the JSONPath one.
        let random = Rc::new(RefCell::new(SeededRandom(seed ^ 0x6A09_E667_F3BC_C908)));
        let mut functions = Environment::new();
        functions.add_step_functions(random.clone());
        JsonataBase { functions, random, spare: None }
    }
}

impl Execution {
    /// An environment for one evaluation in fiber `fid`.
    pub(super) fn jsonata_env(&mut self, fid: usize, states: States) -> Environment {
        let base = self.jsonata.get_or_insert_with(|| JsonataBase::new(self.options.seed));
        // One environment serves every evaluation: made once, its bindings replaced each time.
        let mut env = base.spare.take().unwrap_or_else(|| {
            let mut env = Environment::new();
            env.functions = base.functions.functions.clone();
            let random = base.random.clone();
            env.set_random(Rc::new(move || {
                let x = random.borrow_mut().next_u64();
                (x >> 11) as f64 / (1u64 << 53) as f64
            }));
            env.disable_eval();
            env
        });
        env.set_now_millis(self.now);
        env.vars.clear();
        self.fibers[fid].scope.visit(&mut |name, value| env.vars.push((name.clone(), value.clone())));
        let mut s = Map::with_capacity(4);
        s.push_unique("input", states.input.clone());
        s.push_unique("context", states.context);
        if let Some(r) = states.result {
            s.push_unique("result", r.clone());
        }
        if let Some(e) = states.error_output {
            s.push_unique("errorOutput", e.clone());
        }
        env.bind("states", Value::from(s));
        env
    }

    /// Gives an environment back for the next evaluation.
    pub(super) fn recycle(&mut self, mut env: Environment) {
        if let Some(base) = self.jsonata.as_mut() {
            env.vars.clear();
            base.spare = Some(env);
        }
    }

    /// `$states.context` for the fiber's current state (or null when nothing reads it).
    pub(super) fn state_context(&self, fid: usize) -> Value {
        let f = &self.fibers[fid];
        let state = &self.def.lists[f.list].states[f.state];
        if self.def.uses_context {
            let mut c = self.context_base.for_state(
                &state.name,
                f.entered_time,
                f.retry_count,
                super::state_has_retry_count(&state.kind),
            );
            if let Some(token) = &f.task_token {
                let mut t = Map::with_capacity(1);
                t.push_unique("Token", Value::String(token.clone()));
                c = context::with_member(&c, "Task", Value::from(t));
            }
            c
        } else {
            Value::Null
        }
    }

    /// An environment over `input` for fiber `fid`'s current state.
    pub(super) fn env_for_input(&mut self, fid: usize, input: &Value) -> Environment {
        let context = self.state_context(fid);
        self.jsonata_env(fid, States { input, result: None, error_output: None, context })
    }

    /// The work of a JSONata state after its Entered event.
    pub(super) fn jsonata_state_work(&mut self, fid: usize) -> Result<(Phase, Millis), EvalError> {
        let def = self.def.clone();
        let f = &self.fibers[fid];
        let state = &def.lists[f.list].states[f.state];
        let input = f.input.clone();
        let now = self.now;
        let next = match state.transition {
            Transition::Next(n) => Some(n),
            Transition::End => None,
        };
        let fields = state.jsonata.as_ref();
        if let Kind::Task(task) = &state.kind {
            if task.resource.ends_with(".waitForTaskToken") {
                let token = Rc::from(uuid_v4(&mut self.random));
                self.fibers[fid].task_token = Some(token);
            }
        }
        let env = self.env_for_input(fid, &input);
        let mut after_arguments = None;
        let outcome = (|| -> Result<(Phase, Millis), EvalError> {
            let phase = match &state.kind {
                Kind::Pass { .. } | Kind::Succeed | Kind::Wait(_) => {
                    let until = match &state.kind {
                        Kind::Wait(w) => Some(self.jsonata_wait_until(w, &env)?),
                        _ => None,
                    };
                    let assigned = assign(fields.and_then(|f| f.assign.as_ref()), &env)?;
                    let output = output(fields.and_then(|f| f.output.as_ref()), &env, &input)?;
                    let next = if matches!(state.kind, Kind::Succeed) { None } else { next };
                    let phase = Phase::Exit { output, next, assigned };
                    if let Some(until) = until {
                        return Ok((phase, until.max(now)));
                    }
                    phase
                }
                Kind::Choice(c) => {
                    let mut chosen = None;
                    for rule in &c.rules {
                        let crate::definition::model::Condition::Jsonata(cond) = &rule.condition else { continue };
                        let holds = cond.evaluate_typed(&env, "Condition", "boolean")?;
                        if holds == Value::Bool(true) {
                            chosen = Some(rule);
                            break;
                        }
                    }
                    let (target, assign_field, output_field) = match chosen {
                        Some(rule) => (rule.next, rule.jsonata_assign.as_ref(), rule.jsonata_output.as_ref()),
                        None => match c.default {
                            Some(d) => {
                                (d, fields.and_then(|f| f.assign.as_ref()), fields.and_then(|f| f.output.as_ref()))
                            }
                            None => {
                                return Err(EvalError::new(
                                    "States.NoChoiceMatched",
                                    format!(
                                        "No Matches! (state '{}' entered at event id #{})",
                                        state.name, self.fibers[fid].entered_event
                                    ),
                                ))
                            }
                        },
                    };
                    let assigned = assign(assign_field.or(fields.and_then(|f| f.assign.as_ref())), &env)?;
                    let output = output(output_field.or(fields.and_then(|f| f.output.as_ref())), &env, &input)?;
                    Phase::Exit { output, next: Some(target), assigned }
                }
                Kind::Fail(fail) => {
                    let error = jsonata_string(fail.error.as_ref(), &env, "Error")?;
                    let cause = jsonata_string(fail.cause.as_ref(), &env, "Cause")?;
                    Phase::ListFailed {
                        failure: Failure { error: error.unwrap_or_else(|| Rc::from("")), cause, heartbeat: false },
                    }
                }
                Kind::Task(_) => {
                    let parameters = match fields.and_then(|f| f.arguments.as_ref()) {
                        Some(a) => a.evaluate(&env, "Arguments")?,
                        None => input.clone(),
                    };
                    after_arguments = Some(parameters.clone());
                    Phase::TaskScheduled { parameters }
                }
                Kind::Parallel { .. } => {
                    let branch_input = match fields.and_then(|f| f.arguments.as_ref()) {
                        Some(a) => a.evaluate(&env, "Arguments")?,
                        None => input.clone(),
                    };
                    Phase::ParallelStarted { input: branch_input }
                }
                Kind::Map(m) => {
                    let items = match &m.jsonata_items {
                        _ if m.item_reader.is_some() => Value::from(Vec::new()),
                        Some(items) => items.evaluate_typed(&env, "Items", "array")?,
                        None => input.clone(),
                    };
                    let items = match items {
                        Value::Array(a) => a,
                        other => {
                            return Err(EvalError::new(
                                "States.QueryEvaluationError",
                                format!("Map state input must be an array but was: {}", crate::json::to_string(&other)),
                            ))
                        }
                    };
                    Phase::MapStarted { input: input.clone(), items }
                }
            };
            Ok((phase, now))
        })();
        self.recycle(env);
        if let Some(a) = after_arguments {
            super::inspect::record(&mut self.fibers, fid, |i| i.after_arguments = Some(a));
        }
        outcome
    }

    fn jsonata_wait_until(&self, w: &Wait, env: &Environment) -> Result<Millis, EvalError> {
        match w {
            Wait::Seconds(NumberField::Literal(s)) => Ok(self.now.saturating_add((*s * 1000.0) as i64)),
            Wait::Seconds(NumberField::Jsonata(f)) => {
                let v = f.evaluate_typed(env, "Seconds", "number")?;
                match v.as_i64() {
                    Some(s) if s >= 0 => Ok(self.now.saturating_add(s.saturating_mul(1000))),
                    _ => Err(query_error(
                        "Seconds",
                        format!(
                            "The JSONata expression specified for the field 'Seconds' returned an invalid value: {v}"
                        ),
                    )),
                }
            }
            Wait::Timestamp(t) => crate::time::parse_rfc3339(t).ok_or_else(|| {
                EvalError::runtime(format!(
                    "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {t}"
                ))
            }),
            Wait::TimestampJsonata(f) => {
                let v = f.evaluate_typed(env, "Timestamp", "string")?;
                let text = v.as_str().unwrap_or_default();
                crate::time::parse_rfc3339(text).ok_or_else(|| {
                    query_error(
                        "Timestamp",
                        format!("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {text}"),
                    )
                })
            }
            Wait::Seconds(NumberField::Path(_)) | Wait::TimestampPath(_) => {
                Err(EvalError::runtime("JSONPath fields are not allowed in a JSONata state"))
            }
        }
    }

    /// A JSONata Task/Parallel/Map state's result: Assign and Output with `$states.result`.
    pub(super) fn jsonata_state_result(&mut self, fid: usize, result: Value) -> Result<Phase, EvalError> {
        let def = self.def.clone();
        let f = &self.fibers[fid];
        let state: &State = &def.lists[f.list].states[f.state];
        let input = f.input.clone();
        let next = match state.transition {
            Transition::Next(n) => Some(n),
            Transition::End => None,
        };
        let fields = state.jsonata.as_ref();
        let context = self.state_context(fid);
        let env = self.jsonata_env(fid, States { input: &input, result: Some(&result), error_output: None, context });
        let assigned = assign(fields.and_then(|f| f.assign.as_ref()), &env);
        let output = output(fields.and_then(|f| f.output.as_ref()), &env, &result);
        self.recycle(env);
        Ok(Phase::Exit { output: output?, next, assigned: assigned? })
    }

    /// A JSONata catcher: Assign and Output with `$states.errorOutput`.
    pub(super) fn jsonata_caught(
        &mut self,
        fid: usize,
        catcher: usize,
        error_output: Value,
    ) -> Result<Phase, EvalError> {
        let def = self.def.clone();
        let f = &self.fibers[fid];
        let state = &def.lists[f.list].states[f.state];
        let c = &state.catch[catcher];
        let input = f.input.clone();
        let context = self.state_context(fid);
        let env =
            self.jsonata_env(fid, States { input: &input, result: None, error_output: Some(&error_output), context });
        let assigned = assign(c.jsonata_assign.as_ref(), &env)?;
        let output = output(c.jsonata_output.as_ref(), &env, &error_output)?;
        Ok(Phase::Exit { output, next: Some(c.next), assigned })
    }

    /// A JSONata number field (`TimeoutSeconds`, `MaxConcurrency`, ...) of fiber `fid`.
    pub(super) fn jsonata_number(&mut self, fid: usize, field: &JsonataField, name: &str) -> Result<f64, EvalError> {
        let input = self.fibers[fid].input.clone();
        let env = self.env_for_input(fid, &input);
        let v = field.evaluate_typed(&env, name, "number")?;
        Ok(v.as_f64().unwrap_or(0.0))
    }

    /// A Map iteration's input in JSONata mode: `ItemSelector` with `$states.context.Map.Item`.
    pub(super) fn jsonata_item(
        &mut self,
        fid: usize,
        selector: &JsonataField,
        index: usize,
        item: Value,
    ) -> Result<Value, EvalError> {
        let input = self.fibers[fid].input.clone();
        let context = self.map_item_context(fid, index, item);
        let env = self.jsonata_env(fid, States { input: &input, result: None, error_output: None, context });
        selector.evaluate(&env, "ItemSelector")
    }

    /// A JSONata Credentials field's role ARN.
    pub(super) fn jsonata_credentials(&mut self, fid: usize, field: &JsonataField) -> Result<Value, EvalError> {
        let input = self.fibers[fid].input.clone();
        let env = self.env_for_input(fid, &input);
        field.evaluate(&env, "Credentials")
    }
}

/// Evaluates a JSONata `Assign`: the names and values to assign, in order.
fn assign(field: Option<&JsonataField>, env: &Environment) -> Result<Option<Assignments>, EvalError> {
    let Some(field) = field else { return Ok(None) };
    let v = field.evaluate(env, "Assign")?;
    let pairs = v.as_object().map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default();
    Ok(Some(Rc::new(pairs)))
}

/// Evaluates `Output`, or passes `default` on when there is none.
fn output(field: Option<&JsonataField>, env: &Environment, default: &Value) -> Result<Value, EvalError> {
    match field {
        Some(f) => f.evaluate(env, "Output"),
        None => Ok(default.clone()),
    }
}

fn jsonata_string(f: Option<&StringField>, env: &Environment, name: &str) -> Result<Option<Rc<str>>, EvalError> {
    match f {
        None => Ok(None),
        Some(StringField::Literal(s)) => Ok(Some(s.clone())),
        Some(StringField::Jsonata(j)) => {
            let v = j.evaluate_typed(env, name, "string")?;
            Ok(v.as_str().map(Rc::from))
        }
        Some(StringField::Dynamic(_)) => Err(EvalError::runtime("JSONPath fields are not allowed in a JSONata state")),
    }
}
