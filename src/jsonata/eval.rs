//! The evaluator: walks the processed tree with the reference's path, sequence and
//! tuple-stream semantics, applies functions (lambdas with tail-call trampolining, built-ins,
//! host functions, partial applications) and guards depth, stack and step count.

use crate::hash_index::UsizeMap;
use crate::value::Map;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::ast::{BinOp, Group, Kind, Node, Stage, TransformDef};
use super::error::{Error, ErrorExt, Fail, R};
use super::functions::{self, boolean, merge_sort};
use super::limits::{stack_position, MAX_NESTING};
use super::signature::{self, Signature};
use super::value::{
    append, deep_equal, frame_from_tuple, lookup_field, push_flat, Evaluator, Frame, Func, Lambda, List, OMap, Scope,
    Tuple, Val, CONS, KEEP, OUTER, SEQ,
};
use super::Environment;

/// Per-evaluation state: limits, counters and closures to break up afterwards.
pub(crate) struct Ctx<'a> {
    pub env: &'a Environment,
    depth: Cell<usize>,
    steps: Cell<u64>,
    stack_base: usize,
    captured: RefCell<Vec<Scope>>,
    /// The evaluation's input, `$$` (looked up after the scopes, before `Environment::vars`).
    root_input: Val,
}

fn is_numeric(v: &Val) -> R<bool> {
    match v {
        Val::Num(n) if n.is_nan() => Ok(false),
        Val::Num(n) if n.is_infinite() => Err(Error::new("D1001").value(v.clone())),
        Val::Num(_) => Ok(true),
        _ => Ok(false),
    }
}

fn is_array_of_numbers(v: &Val) -> R<bool> {
    if !v.is_array() {
        return Ok(false);
    }
    for item in v.items() {
        if !is_numeric(&item)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// What [`Ctx::eval_plain_prefix`] returns when it has the whole path's result.
const PLAIN_PATH_DONE: usize = usize::MAX;

/// A path step's result from the values its items gave (none undefined): the last step keeps
/// a lone array as it is; otherwise arrays not built by a constructor are flattened into the
/// resulting sequence.
fn finish_step(mut results: Vec<Val>, last: bool) -> Val {
    if last && results.len() == 1 && results[0].is_array() && !results[0].is_seq() {
        return results.pop().unwrap_or_default();
    }
    let mut out = Vec::with_capacity(results.len());
    for res in results {
        if !res.is_array() || res.flags() & CONS != 0 {
            out.push(res);
        } else {
            push_flat(&mut out, res);
        }
    }
    Val::seq(out)
}

/// A path step that is a field name or a variable with nothing attached (no predicate, stage,
/// binding, group or array flag): on one value it yields that value's field (or the variable).
/// (Worked out once per node, then remembered in the node.)
#[inline(always)]
fn is_plain_step(step: &Node) -> bool {
    match step.plain_step.get() {
        1 => true,
        2 => false,
        _ => {
            let plain = plain_step_shape(step);
            step.plain_step.set(if plain { 1 } else { 2 });
            plain
        }
    }
}

fn plain_step_shape(step: &Node) -> bool {
    matches!(step.kind, Kind::Name(_) | Kind::Var(_))
        && !step.tuple
        && !step.cons_array
        && !step.keep_array
        && step.focus.is_none()
        && step.index.is_none()
        && step.ancestor.is_none()
        && step.stages.is_empty()
        && step.predicate.is_empty()
        && step.group.is_none()
}

fn strict_equal(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::Arr(x, _), Val::Arr(y, _)) => Rc::ptr_eq(x, y),
        (Val::JArr(x, _), Val::JArr(y, _)) => Rc::ptr_eq(x, y),
        (Val::JObj(x), Val::JObj(y)) => Rc::ptr_eq(x, y),
        (Val::Obj(x), Val::Obj(y)) => Rc::ptr_eq(x, y),
        (Val::Func(x), Val::Func(y)) => Rc::ptr_eq(x, y),
        (x, y) if x.is_array() || x.is_object() || y.is_array() || y.is_object() => false,
        _ => deep_equal(a, b),
    }
}

impl<'a> Ctx<'a> {
    /// A context for one evaluation of an expression against `root_input` (`$$`).
    pub fn new(env: &'a Environment, root_input: Val) -> Ctx<'a> {
        Ctx {
            env,
            depth: Cell::new(0),
            steps: Cell::new(0),
            stack_base: stack_position(),
            captured: RefCell::new(Vec::new()),
            root_input,
        }
    }

    /// Breaks the reference cycles closures may have formed with their scopes.
    pub fn release(&self) {
        for scope in self.captured.borrow_mut().drain(..) {
            scope.clear_chain();
        }
    }

    fn capture(&self, scope: &Scope) {
        self.captured.borrow_mut().push(scope.clone());
    }

    /// A variable's value: the scopes, then `$$` (the evaluation's input), then the
    /// environment's bindings (read in place rather than copied into a scope per evaluation).
    fn variable(&self, env: &Scope, name: &str) -> Option<Val> {
        if let Some(v) = env.get(name) {
            return Some(v);
        }
        if name == "$" {
            return Some(self.root_input.clone());
        }
        self.env.vars.iter().find(|(k, _)| &**k == name).map(|(_, v)| Val::from_value(v))
    }

    /// Looks a variable up: scopes, the input and the environment's bindings, then host
    /// functions, then built-ins.
    pub fn lookup(&self, env: &Scope, name: &str) -> Val {
        if let Some(v) = self.variable(env, name) {
            return v;
        }
        if let Some((_, f)) = self.env.functions.iter().find(|(n, _)| &**n == name) {
            return Val::Func(Rc::new(Func::Custom(f.clone())));
        }
        if name == "eval" && !self.env.eval_enabled {
            return Val::Undef;
        }
        match functions::builtin(name) {
            Some(b) => Val::Func(Rc::new(Func::Builtin(b))),
            None => Val::Undef,
        }
    }

    #[inline(always)]
    fn enter(&self) -> bool {
        let d = self.depth.get() + 1;
        self.depth.set(d);
        let s = self.steps.get() + 1;
        self.steps.set(s);
        let used = self.stack_base.abs_diff(stack_position());
        #[cfg(test)]
        super::limits::note_stack_use(used);
        d <= self.env.max_depth && s <= self.env.max_steps && used <= self.env.stack_limit
    }

    /// Evaluates a node (the reference's `evaluate`).
    pub fn eval(&self, node: &Node, input: &Val, env: &Scope) -> R<Val> {
        if !self.enter() {
            return Err(runaway(node.pos));
        }
        let mut result = self.eval_kind(node, input, env)?;
        if !node.predicate.is_empty() || node.group.is_some() {
            result = self.eval_post(node, result, env)?;
        }
        self.depth.set(self.depth.get() - 1);
        Ok(normalize(result, node.keep_array))
    }

    #[inline(never)]
    fn eval_post(&self, node: &Node, mut result: Val, env: &Scope) -> R<Val> {
        for p in &node.predicate {
            result = self.eval_filter(p, result, env)?;
        }
        if let Some(group) = &node.group {
            if !matches!(node.kind, Kind::Path(_)) {
                result = self.eval_group(&group.pairs, group.pos, result, env)?;
            }
        }
        Ok(result)
    }

    #[inline(never)]
    fn eval_kind(&self, node: &Node, input: &Val, env: &Scope) -> R<Val> {
        match &node.kind {
            Kind::Path(steps) => self.eval_path(node, steps, input, env),
            Kind::Binary(op, l, r) => self.eval_binary(node, *op, l, r, input, env),
            Kind::Array(items) => self.eval_array(node, items, input, env),
            Kind::Object(pairs)
                if !input.is_array() && !matches!(input, Val::Tuples(_)) && pairs.len() <= SMALL_OBJECT =>
            {
                self.eval_object_of_one(pairs, node.pos, input, env)
            }
            Kind::Object(pairs) => self.eval_group(pairs, node.pos, input.clone(), env),
            Kind::Condition(..) | Kind::Coalesce(..) | Kind::Elvis(..) => self.eval_condition(node, input, env),
            Kind::Block(exprs) => self.eval_block(exprs, input, env),
            Kind::Bind(..) | Kind::Neg(_) => self.eval_unary(node, input, env),
            Kind::Call(procedure, args) => self.eval_call(node, procedure, args, input, env, None),
            Kind::Partial(procedure, args) => self.eval_partial(node, procedure, args, input, env),
            Kind::Apply(l, r) => self.eval_apply(node, l, r, input, env),
            _ => Ok(self.eval_leaf(node, input, env)),
        }
    }

    #[inline(never)]
    fn eval_condition(&self, node: &Node, input: &Val, env: &Scope) -> R<Val> {
        match &node.kind {
            Kind::Condition(c, t, e) => {
                let cond = self.eval(c, input, env)?;
                if boolean(&cond) == Some(true) {
                    self.eval(t, input, env)
                } else if let Some(e) = e {
                    self.eval(e, input, env)
                } else {
                    Ok(Val::Undef)
                }
            }
            Kind::Coalesce(l, r) => {
                let v = self.eval(l, input, env)?;
                if v.is_undef() {
                    self.eval(r, input, env)
                } else {
                    Ok(v)
                }
            }
            Kind::Elvis(l, r) => {
                let v = self.eval(l, input, env)?;
                if boolean(&v) == Some(true) {
                    Ok(v)
                } else {
                    self.eval(r, input, env)
                }
            }
            _ => Ok(Val::Undef),
        }
    }

    #[inline(never)]
    fn eval_block(&self, exprs: &[Node], input: &Val, env: &Scope) -> R<Val> {
        let frame = Frame::new(Some(env.clone()));
        let mut result = Val::Undef;
        for e in exprs {
            result = self.eval(e, input, &frame)?;
        }
        Ok(result)
    }

    #[inline(never)]
    fn eval_unary(&self, node: &Node, input: &Val, env: &Scope) -> R<Val> {
        match &node.kind {
            Kind::Bind(name, value) => {
                let v = self.eval(value, input, env)?;
                env.bind(name, v.clone());
                Ok(v)
            }
            Kind::Neg(e) => {
                let v = self.eval(e, input, env)?;
                match v {
                    Val::Undef => Ok(Val::Undef),
                    Val::Num(n) if is_numeric(&v)? => Ok(Val::Num(-n)),
                    v => Err(Error::new("D1002").at(node.pos).token("-").value(v)),
                }
            }
            _ => Ok(Val::Undef),
        }
    }

    /// Nodes that evaluate without evaluating sub-expressions.
    #[inline(never)]
    fn eval_leaf(&self, node: &Node, input: &Val, env: &Scope) -> Val {
        match &node.kind {
            Kind::Name(n) => lookup_field(input, n),
            Kind::Str(s) => Val::Str(s.clone()),
            Kind::Num(n) => Val::Num(*n),
            Kind::Bool(b) => Val::Bool(*b),
            Kind::Null => Val::Null,
            Kind::Wildcard => wildcard(input),
            Kind::Descendant => descendants(input),
            Kind::Parent(slot) => {
                let label = slot.label.borrow().clone();
                env.get(&label).unwrap_or_default()
            }
            Kind::Regex(re) => Val::Func(Rc::new(Func::Regex(re.clone()))),
            Kind::Var(name) => {
                if name.is_empty() {
                    if input.flags() & OUTER != 0 {
                        input.at(0)
                    } else {
                        input.clone()
                    }
                } else {
                    self.lookup(env, name)
                }
            }
            Kind::Lambda(def) => {
                self.capture(env);
                Val::Func(Rc::new(Func::Lambda(Lambda {
                    def: def.clone(),
                    params: None,
                    input: input.clone(),
                    env: env.clone(),
                    signature: def.signature.clone(),
                })))
            }
            Kind::Transform(def) => {
                self.capture(env);
                Val::Func(Rc::new(Func::Transform(def.clone(), env.clone())))
            }
            _ => Val::Undef,
        }
    }

    #[inline(never)]
    fn eval_path(&self, node: &Node, steps: &[Node], input: &Val, env: &Scope) -> R<Val> {
        let first_is_var = matches!(steps.first().map(|s| &s.kind), Some(Kind::Var(_)));
        let last = steps.len().saturating_sub(1);
        let plain_path = !node.tuple && !node.keep_singleton && node.group.is_none() && node.predicate.is_empty();
        let mut input_seq = Val::Undef;
        let start = if plain_path && (first_is_var || !input.is_array()) && steps.first().is_some_and(is_plain_step) {
            match self.eval_plain_prefix(node, steps, input, env, &mut input_seq)? {
                PLAIN_PATH_DONE => return Ok(input_seq),
                next => next,
            }
        } else {
            input_seq = if input.is_array() && !first_is_var { input.clone() } else { Val::seq(vec![input.clone()]) };
            0
        };
        // Before the first step the result is an empty sequence; after a plain prefix, what its
        // last step gave.
        let mut result = if start == 0 { Val::seq(Vec::new()) } else { input_seq.clone() };
        let mut tuple_stream = false;
        let mut tuples: Option<Vec<Tuple>> = None;
        for (i, step) in steps.iter().enumerate().skip(start) {
            if step.tuple {
                tuple_stream = true;
            }
            if i == 0 && step.cons_array {
                result = self.eval(step, &input_seq, env)?;
            } else if tuple_stream {
                tuples = Some(self.eval_tuple_step(step, &input_seq, tuples.take(), env)?);
            } else {
                result = self.eval_step(step, &input_seq, env, i == last)?;
            }
            if !tuple_stream && (result.is_undef() || (result.is_array() && result.len() == 0)) {
                break;
            }
            if step.focus.is_none() {
                input_seq = result.clone();
            }
        }
        let mut tuple_result = None;
        if tuple_stream {
            let ts = Rc::new(tuples.unwrap_or_default());
            if node.tuple {
                result = Val::Tuples(ts.clone());
            } else {
                result = Val::seq(ts.iter().map(|t| t.at.clone()).collect());
            }
            tuple_result = Some(ts);
        }
        if node.keep_singleton {
            if result.flags() & CONS != 0 && result.flags() & SEQ == 0 {
                result = Val::seq(vec![result]);
            }
            result = result.with_flag(KEEP);
        }
        if let Some(group) = &node.group {
            let source = match tuple_result {
                Some(ts) => Val::Tuples(ts),
                None => result,
            };
            result = self.eval_group(&group.pairs, group.pos, source, env)?;
        }
        Ok(result)
    }

    /// The leading steps of a path that are plain names or variables (see [`is_plain_step`]),
    /// while each yields one value that is not an array: no sequences to build. Gives the
    /// path's result when that covers it, or hands over to the general loop of
    /// [`Ctx::eval_path`] the state it would have reached (kept out of `eval_path` itself so
    /// that its stack frame, which recursion passes through, stays small).
    /// Returns [`PLAIN_PATH_DONE`] with the path's result in `out`, or the index of the next
    /// step with the sequence it applies to in `out`.
    #[inline(never)]
    fn eval_plain_prefix(&self, node: &Node, steps: &[Node], input: &Val, env: &Scope, out: &mut Val) -> R<usize> {
        let mut current = input.clone();
        let mut i = 0;
        while let Some(step) = steps.get(i).filter(|s| is_plain_step(s)) {
            let res = match (&step.kind, &current) {
                (Kind::Name(_), Val::JObj(m)) => {
                    let (v, taken) = self.walk_json_fields(m, &steps[i..])?;
                    i += taken;
                    v
                }
                _ => {
                    i += 1;
                    self.eval_plain_step(step, &current, env)?
                }
            };
            match res {
                Val::Undef => {
                    *out = Val::Undef;
                    return Ok(PLAIN_PATH_DONE);
                }
                Val::JArr(..) | Val::Arr(..) | Val::Tuples(_) => {
                    let result = finish_step(vec![res], i == steps.len());
                    let empty = result.is_undef() || (result.is_array() && result.len() == 0);
                    *out = result;
                    return Ok(if empty { PLAIN_PATH_DONE } else { i });
                }
                v => current = v,
            }
        }
        if i == steps.len() {
            *out = if node.keep_array { Val::seq(vec![current]) } else { current };
            return Ok(PLAIN_PATH_DONE);
        }
        *out = Val::seq(vec![current]);
        Ok(i)
    }

    /// Follows plain field-name steps through objects of the input document by reference,
    /// with the guards [`Ctx::eval`] applies per step; stops after the first step that does
    /// not yield an object (or before a step that is not a plain name). Returns the value
    /// reached and the number of steps taken (at least one when the first step is a plain name).
    #[inline(always)]
    fn walk_json_fields(&self, start: &Rc<crate::value::Map>, steps: &[Node]) -> R<(Val, usize)> {
        let mut here = start;
        let mut taken = 0;
        while let Some(step) = steps.get(taken) {
            let Kind::Name(name) = &step.kind else { break };
            if !is_plain_step(step) {
                break;
            }
            if !self.enter() {
                return Err(runaway(step.pos));
            }
            self.depth.set(self.depth.get() - 1);
            taken += 1;
            match here.get(name) {
                Some(crate::Value::Object(m)) => here = m,
                Some(v) => return Ok((Val::from_value(v), taken)),
                None => return Ok((Val::Undef, taken)),
            }
        }
        Ok((Val::JObj(here.clone()), taken))
    }

    /// [`Ctx::eval`] for a step that [`is_plain_step`]: the same guards and result, without
    /// the general dispatch.
    #[inline(always)]
    fn eval_plain_step(&self, step: &Node, input: &Val, env: &Scope) -> R<Val> {
        if !self.enter() {
            return Err(runaway(step.pos));
        }
        let result = match (&step.kind, input) {
            (Kind::Name(n), Val::JObj(m)) => m.get(n).map(Val::from_value).unwrap_or_default(),
            (Kind::Name(n), Val::Obj(m)) => m.get(n).cloned().unwrap_or_default(),
            (Kind::Var(name), _) if !name.is_empty() => self.lookup(env, name),
            _ => self.eval_leaf(step, input, env),
        };
        self.depth.set(self.depth.get() - 1);
        Ok(match result {
            Val::Arr(..) | Val::JArr(..) => normalize(result, false),
            v => v,
        })
    }

    #[inline(never)]
    fn eval_step(&self, step: &Node, input: &Val, env: &Scope, last: bool) -> R<Val> {
        if let Kind::Sort(terms) = &step.kind {
            let mut result = self.eval_sort(step, terms, input.clone(), env)?;
            result = self.eval_stages(&step.stages, result, env)?;
            return Ok(result);
        }
        let mut results = Vec::new();
        for item in input.items() {
            let mut res = self.eval(step, &item, env)?;
            for stage in &step.stages {
                if let Stage::Filter(p) = stage {
                    res = self.eval_filter(p, res, env)?;
                }
            }
            if !res.is_undef() {
                results.push(res);
            }
        }
        Ok(finish_step(results, last))
    }

    #[inline(never)]
    fn eval_stages(&self, stages: &[Stage], input: Val, env: &Scope) -> R<Val> {
        let mut result = input;
        for stage in stages {
            match stage {
                Stage::Filter(p) => result = self.eval_filter(p, result, env)?,
                Stage::Index(name) => {
                    if let Val::Tuples(ts) = &mut result {
                        let ts = Rc::make_mut(ts);
                        for (i, t) in ts.iter_mut().enumerate() {
                            t.set(name, Val::Num(i as f64));
                        }
                    }
                }
            }
        }
        Ok(result)
    }

    #[inline(never)]
    fn eval_tuple_step(&self, step: &Node, input: &Val, tuples: Option<Vec<Tuple>>, env: &Scope) -> R<Vec<Tuple>> {
        if let Kind::Sort(terms) = &step.kind {
            let result = match tuples {
                Some(ts) => self.eval_sort(step, terms, Val::Tuples(Rc::new(ts)), env)?,
                None => {
                    let sorted = self.eval_sort(step, terms, input.clone(), env)?;
                    let ts = sorted
                        .items()
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| {
                            let mut t = Tuple { at: v, binds: Vec::new() };
                            if let Some(ix) = &step.index {
                                t.set(ix, Val::Num(i as f64));
                            }
                            t
                        })
                        .collect();
                    Val::Tuples(Rc::new(ts))
                }
            };
            let result = self.eval_stages(&step.stages, result, env)?;
            return Ok(into_tuples(result));
        }
        let tuples = match tuples {
            Some(t) => t,
            None => input.items().into_iter().map(|v| Tuple { at: v, binds: Vec::new() }).collect(),
        };
        let mut out = Vec::new();
        for t in &tuples {
            let step_env = frame_from_tuple(env, t);
            let res = self.eval(step, &t.at, &step_env)?;
            if res.is_undef() {
                continue;
            }
            if let Val::Tuples(rs) = &res {
                for r in rs.iter() {
                    let mut nt = t.clone();
                    nt.at = r.at.clone();
                    for (k, v) in &r.binds {
                        nt.set(k, v.clone());
                    }
                    out.push(nt);
                }
                continue;
            }
            let items = if res.is_array() { res.items() } else { vec![res] };
            for (bb, item) in items.into_iter().enumerate() {
                let mut nt = t.clone();
                if let Some(focus) = &step.focus {
                    nt.set(focus, item);
                } else {
                    nt.at = item;
                }
                if let Some(ix) = &step.index {
                    nt.set(ix, Val::Num(bb as f64));
                }
                if let Some(anc) = &step.ancestor {
                    let label = anc.label.borrow().clone();
                    nt.set(&label, t.at.clone());
                }
                out.push(nt);
            }
        }
        let result = self.eval_stages(&step.stages, Val::Tuples(Rc::new(out)), env)?;
        Ok(into_tuples(result))
    }

    #[inline(never)]
    fn eval_filter(&self, predicate: &Node, input: Val, env: &Scope) -> R<Val> {
        if let Val::Tuples(ts) = &input {
            let mut out = Vec::new();
            if let Kind::Num(n) = predicate.kind {
                let len = ts.len() as f64;
                let mut index = n.floor();
                if index < 0.0 {
                    index += len;
                }
                if index >= 0.0 && index < len {
                    out.push(ts[index as usize].clone());
                }
                return Ok(Val::Tuples(Rc::new(out)));
            }
            let len = ts.len();
            for (index, t) in ts.iter().enumerate() {
                let frame = frame_from_tuple(env, t);
                let res = self.eval(predicate, &t.at, &frame)?;
                if self.predicate_selects(&res, index, len)? {
                    out.push(t.clone());
                }
            }
            return Ok(Val::Tuples(Rc::new(out)));
        }
        let input = if input.is_array() { input } else { Val::seq(vec![input]) };
        let len = input.len();
        if let Kind::Num(n) = predicate.kind {
            let mut index = n.floor();
            if index < 0.0 {
                index += len as f64;
            }
            let item = if index >= 0.0 && index < len as f64 { input.at(index as usize) } else { Val::Undef };
            if item.is_undef() {
                return Ok(Val::seq(Vec::new()));
            }
            if item.is_array() {
                return Ok(item);
            }
            return Ok(Val::seq(vec![item]));
        }
        let mut out = Vec::new();
        for (index, item) in input.items().into_iter().enumerate() {
            let res = self.eval(predicate, &item, env)?;
            if self.predicate_selects(&res, index, len)? {
                out.push(item);
            }
        }
        Ok(Val::seq(out))
    }

    fn predicate_selects(&self, res: &Val, index: usize, len: usize) -> R<bool> {
        let res = if is_numeric(res)? { Val::array(vec![res.clone()]) } else { res.clone() };
        if is_array_of_numbers(&res)? {
            for v in res.items() {
                let mut ii = v.as_num().unwrap_or(0.0).floor();
                if ii < 0.0 {
                    ii += len as f64;
                }
                if ii == index as f64 {
                    return Ok(true);
                }
            }
            return Ok(false);
        }
        Ok(boolean(&res) == Some(true))
    }

    #[inline(never)]
    fn eval_binary(&self, node: &Node, op: BinOp, l: &Node, r: &Node, input: &Val, env: &Scope) -> R<Val> {
        let lhs = self.eval(l, input, env)?;
        if op == BinOp::And || op == BinOp::Or {
            let lb = boolean(&lhs) == Some(true);
            if op == BinOp::And && !lb {
                return Ok(Val::Bool(false));
            }
            if op == BinOp::Or && lb {
                return Ok(Val::Bool(true));
            }
            let rhs = self.eval(r, input, env)?;
            return Ok(Val::Bool(boolean(&rhs) == Some(true)));
        }
        let rhs = self.eval(r, input, env)?;
        match binary(op, lhs, rhs) {
            Ok(v) => Ok(v),
            Err(e) => Err(operator_error(e, node.pos, op)),
        }
    }

    #[inline(never)]
    fn eval_array(&self, node: &Node, items: &[Node], input: &Val, env: &Scope) -> R<Val> {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let v = self.eval(item, input, env)?;
            if v.is_undef() {
                continue;
            }
            if matches!(item.kind, Kind::Array(_)) {
                out.push(v);
            } else {
                push_flat(&mut out, v);
            }
        }
        Ok(Val::Arr(Rc::new(List(out)), if node.cons_array { CONS } else { 0 }))
    }

    /// Object constructors and group-by (`evaluateGroupExpression`).
    #[inline(never)]
    fn eval_group(&self, pairs: &[(Node, Node)], pos: usize, input: Val, env: &Scope) -> R<Val> {
        struct Entry {
            items: Vec<Val>,
            tuples: Vec<Tuple>,
            expr_index: usize,
        }
        let mut groups: Map<Entry> = Map::new();
        let reduce = matches!(input, Val::Tuples(_));
        let tuple_items: Vec<Tuple> = match &input {
            Val::Tuples(ts) => ts.as_ref().clone(),
            _ => Vec::new(),
        };
        let items: Vec<Val> = if reduce {
            Vec::new()
        } else if input.is_array() {
            input.items()
        } else {
            vec![input.clone()]
        };
        let count = if reduce { tuple_items.len() } else { items.len() };
        let count_or_one = count.max(1);
        for i in 0..count_or_one {
            let (item, tuple, frame) = if reduce {
                match tuple_items.get(i) {
                    Some(t) => (t.at.clone(), Some(t.clone()), frame_from_tuple(env, t)),
                    None => (Val::Undef, None, env.clone()),
                }
            } else {
                (items.get(i).cloned().unwrap_or_default(), None, env.clone())
            };
            for (pi, (kexpr, _)) in pairs.iter().enumerate() {
                let key = self.eval(kexpr, &item, &frame)?;
                let key = match key {
                    Val::Undef => continue,
                    Val::Str(s) => s,
                    other => return Err(Error::new("T1003").at(pos).value(other)),
                };
                match groups.get_mut(&key) {
                    Some(entry) => {
                        if entry.expr_index != pi {
                            return Err(Error::new("D1009").at(pos).value(Val::Str(key)));
                        }
                        entry.items.push(item.clone());
                        if let Some(t) = &tuple {
                            entry.tuples.push(t.clone());
                        }
                    }
                    None => groups.push_unique(
                        key,
                        Entry { items: vec![item.clone()], tuples: tuple.iter().cloned().collect(), expr_index: pi },
                    ),
                }
            }
        }
        let mut result = OMap::new();
        for (key, entry) in groups {
            let (context, frame) = if reduce {
                let (at, binds) = reduce_tuples(&entry.tuples);
                let t = Tuple { at: Val::Undef, binds };
                (at, frame_from_tuple(env, &t))
            } else {
                let ctx = if entry.items.len() == 1 {
                    entry.items.into_iter().next().unwrap_or_default()
                } else {
                    let mut out = Vec::new();
                    for v in entry.items {
                        push_flat(&mut out, v);
                    }
                    Val::array(out)
                };
                (ctx, env.clone())
            };
            let v = self.eval(&pairs[entry.expr_index].1, &context, &frame)?;
            if !v.is_undef() {
                result.insert(key, v);
            }
        }
        Ok(Val::Obj(Rc::new(result)))
    }

    /// [`Ctx::eval_group`] for one context value that is not an array (an object constructor
    /// in the usual case): every key expression first, then each value expression once, with
    /// the same errors for a key that is not a string (T1003) or is given twice (D1009).
    #[inline(never)]
    fn eval_object_of_one(&self, pairs: &[(Node, Node)], pos: usize, input: &Val, env: &Scope) -> R<Val> {
        let mut keys: Vec<(Rc<str>, usize)> = Vec::with_capacity(pairs.len());
        for (pi, (kexpr, _)) in pairs.iter().enumerate() {
            let key = match self.eval(kexpr, input, env)? {
                Val::Undef => continue,
                Val::Str(s) => s,
                other => return Err(Error::new("T1003").at(pos).value(other)),
            };
            if keys.iter().any(|(k, _)| *k == key) {
                return Err(Error::new("D1009").at(pos).value(Val::Str(key)));
            }
            keys.push((key, pi));
        }
        let mut result = OMap::with_capacity(keys.len());
        for (key, pi) in keys {
            let v = self.eval(&pairs[pi].1, input, env)?;
            if !v.is_undef() {
                result.insert(key, v);
            }
        }
        Ok(Val::Obj(Rc::new(result)))
    }

    #[inline(never)]
    fn eval_sort(&self, node: &Node, terms: &[(Node, bool)], input: Val, env: &Scope) -> R<Val> {
        let is_tuples = matches!(input, Val::Tuples(_));
        let items: Vec<(Val, Option<Tuple>)> = match &input {
            Val::Tuples(ts) => ts.iter().map(|t| (t.at.clone(), Some(t.clone()))).collect(),
            v => v.items().into_iter().map(|x| (x, None)).collect(),
        };
        if items.len() <= 1 {
            return Ok(input);
        }
        // Evaluate each term once per item, then merge-sort on the keys.
        let mut keyed: Vec<SortEntry> = Vec::with_capacity(items.len());
        for (v, t) in items {
            let mut keys = Vec::with_capacity(terms.len());
            for (expr, _) in terms {
                let k = match &t {
                    Some(t) => self.eval(expr, &t.at, &frame_from_tuple(env, t))?,
                    None => self.eval(expr, &v, env)?,
                };
                keys.push(k);
            }
            keyed.push((keys, (v, t)));
        }
        let pos = node.pos;
        let swap = |a: &Vec<Val>, b: &Vec<Val>| -> R<bool> {
            let mut comp = 0;
            for (i, (_, desc)) in terms.iter().enumerate() {
                let (aa, bb) = (&a[i], &b[i]);
                if aa.is_undef() {
                    comp = if bb.is_undef() { 0 } else { 1 };
                    if comp != 0 {
                        break;
                    }
                    continue;
                }
                if bb.is_undef() {
                    comp = -1;
                    break;
                }
                let ok = |v: &Val| matches!(v, Val::Str(_) | Val::Num(_));
                if !ok(aa) || !ok(bb) {
                    return Err(Error::new("T2008").at(pos).value(if !ok(aa) { aa.clone() } else { bb.clone() }));
                }
                let ord = match (aa, bb) {
                    (Val::Num(x), Val::Num(y)) => x.partial_cmp(y),
                    (Val::Str(x), Val::Str(y)) => Some(x.cmp(y)),
                    _ => return Err(Error::new("T2007").at(pos).value(aa.clone()).value2(bb.clone())),
                };
                match ord {
                    Some(std::cmp::Ordering::Less) => comp = -1,
                    Some(std::cmp::Ordering::Greater) => comp = 1,
                    _ => continue,
                }
                if *desc {
                    comp = -comp;
                }
                break;
            }
            Ok(comp == 1)
        };
        let sorted = merge_sort(keyed, &mut |a, b| swap(&a.0, &b.0))?;
        if is_tuples {
            Ok(Val::Tuples(Rc::new(sorted.into_iter().filter_map(|(_, (_, t))| t).collect())))
        } else {
            Ok(Val::array(sorted.into_iter().map(|(_, (v, _))| v).collect()))
        }
    }

    #[inline(never)]
    fn eval_apply(&self, node: &Node, l: &Node, r: &Node, input: &Val, env: &Scope) -> R<Val> {
        let lhs = self.eval(l, input, env)?;
        if let Kind::Call(procedure, args) = &r.kind {
            let v = self.eval_call(r, procedure, args, input, env, Some(lhs))?;
            return Ok(if r.keep_array && v.is_seq() { v.with_flag(KEEP) } else { v });
        }
        let func = self.eval(r, input, env)?;
        if !func.is_func() {
            return Err(Error::new("T2006").at(node.pos).value(func));
        }
        if lhs.is_func() {
            return Ok(Val::Func(Rc::new(Func::Chain(lhs, func))));
        }
        self.apply(&func, vec![lhs], input, env, None, node.pos)
    }

    #[cold]
    #[inline(never)]
    fn forgot_dollar(&self, procedure: &Node, env: &Scope) -> Option<Rc<str>> {
        if let Kind::Path(steps) = &procedure.kind {
            if let Some(Kind::Name(n)) = steps.first().map(|s| &s.kind) {
                if !self.lookup(env, n).is_undef() {
                    return Some(n.clone());
                }
            }
        }
        None
    }

    fn proc_name(procedure: &Node) -> Option<String> {
        match &procedure.kind {
            Kind::Path(steps) => match steps.first().map(|s| &s.kind) {
                Some(Kind::Name(n)) => Some(n.to_string()),
                Some(Kind::Var(n)) => Some(n.to_string()),
                _ => None,
            },
            Kind::Var(n) | Kind::Name(n) => Some(n.to_string()),
            _ => None,
        }
    }

    #[inline(never)]
    fn eval_call(
        &self,
        node: &Node,
        procedure: &Node,
        args: &[Node],
        input: &Val,
        env: &Scope,
        applyto: Option<Val>,
    ) -> R<Val> {
        let proc = self.eval(procedure, input, env)?;
        if proc.is_undef() {
            if let Some(name) = self.forgot_dollar(procedure, env) {
                return Err(Error::new("T1005").at(node.pos).token(name.to_string()));
            }
        }
        let mut evaluated = Vec::with_capacity(args.len() + 1);
        if let Some(v) = applyto {
            evaluated.push(v);
        }
        for a in args {
            evaluated.push(self.eval(a, input, env)?);
        }
        self.apply(&proc, evaluated, input, env, Some(procedure), node.pos)
    }

    /// Applies a function, running the tail-call trampoline. `site` is the procedure
    /// expression of the call (for the function name in errors).
    #[inline(never)]
    pub fn apply(
        &self,
        proc: &Val,
        args: Vec<Val>,
        input: &Val,
        env: &Scope,
        site: Option<&Node>,
        pos: usize,
    ) -> R<Val> {
        let result = match self.apply_inner(proc, args, input, env) {
            Ok(v) => v,
            Err(e) => return Err(fix_error(e, site, pos)),
        };
        if is_thunk(&result) {
            return self.run_thunks(result, input, env);
        }
        Ok(result)
    }

    #[inline(never)]
    fn run_thunks(&self, mut result: Val, input: &Val, env: &Scope) -> R<Val> {
        while is_thunk(&result) {
            let Val::Func(thunk) = &result else { break };
            let thunk = thunk.clone();
            let Func::Lambda(l) = &*thunk else { break };
            let Kind::Call(procedure, args) = &l.def.body.kind else { break };
            let next = self.eval(procedure, &l.input, &l.env)?;
            let mut evaluated = Vec::with_capacity(args.len());
            for a in args {
                evaluated.push(self.eval(a, &l.input, &l.env)?);
            }
            result = match self.apply_inner(&next, evaluated, input, env) {
                Ok(v) => v,
                Err(e) => return Err(fix_error(e, Some(procedure), l.def.body.pos)),
            };
        }
        Ok(result)
    }

    #[inline(never)]
    fn apply_inner(&self, proc: &Val, args: Vec<Val>, input: &Val, env: &Scope) -> R<Val> {
        let Val::Func(f) = proc else {
            return Err(Error::new("T1006"));
        };
        if let Func::Lambda(l) = &**f {
            let args = match &l.signature {
                Some(sig) => validate(sig, &args, input)?,
                None => args,
            };
            let frame = Frame::new(Some(l.env.clone()));
            for (i, p) in l.params().iter().enumerate() {
                frame.bind(p, args.get(i).cloned().unwrap_or_default());
            }
            return self.eval(&l.def.body, &l.input, &frame);
        }
        self.apply_native(f, args, input, env)
    }

    #[inline(never)]
    fn apply_native(&self, f: &Rc<Func>, args: Vec<Val>, input: &Val, env: &Scope) -> R<Val> {
        match &**f {
            Func::Lambda(_) => Err(Error::new("T1006")),
            Func::Builtin(b) => {
                let sig = signature::builtin(b.signature);
                let args = sig.validate(&args, input)?;
                (b.imp)(self, &args, input, env)
            }
            Func::Custom(c) => {
                let args = match &c.signature {
                    Some(sig) => sig.validate(&args, input)?,
                    None => args,
                };
                let values: Vec<Option<crate::Value>> = args.iter().map(Val::to_value).collect();
                match (c.implementation)(&values) {
                    Ok(Some(v)) => Ok(Val::from_value(&v)),
                    Ok(None) => Ok(Val::Undef),
                    Err(e) => {
                        let mut err = Error::new("D3137");
                        err.code = leak_code(&e.code);
                        err.message = Some(e.message.clone());
                        err.value = e.value.as_ref().map(|v| Val::from_value(v).into());
                        err.token = e.token.clone();
                        Err(err)
                    }
                }
            }
            Func::PartialNative(inner, fixed) => {
                let mut supplied = args.into_iter();
                let full: Vec<Val> =
                    fixed.iter().map(|a| a.clone().unwrap_or_else(|| supplied.next().unwrap_or_default())).collect();
                self.apply_inner(&Val::Func(inner.clone()), full, input, env)
            }
            Func::Transform(def, scope) => {
                let obj = args.into_iter().next().unwrap_or_default();
                if !(obj.is_undef() || obj.is_object() || obj.is_array()) {
                    return Err(Error::new("T0410").index(1).value(obj));
                }
                self.transform(def, scope, obj)
            }
            Func::Regex(re) => {
                let s = args.first().cloned().unwrap_or_default();
                let from = args.get(1).and_then(Val::as_num).unwrap_or(0.0).max(0.0) as usize;
                match s {
                    Val::Str(s) => Ok(functions::regex_match_object(re, &s.chars().collect(), from, false)?),
                    _ => Ok(Val::Undef),
                }
            }
            Func::RegexNext(re, s, from) => functions::regex_match_object(re, s, *from, true),
            Func::Chain(f1, g) => {
                let x = self.apply(f1, args, input, env, None, 0)?;
                self.apply(g, vec![x], input, env, None, 0)
            }
        }
    }

    #[inline(never)]
    fn eval_partial(&self, node: &Node, procedure: &Node, args: &[Node], input: &Val, env: &Scope) -> R<Val> {
        let mut evaluated: Vec<Option<Val>> = Vec::with_capacity(args.len());
        for a in args {
            if matches!(a.kind, Kind::Placeholder) {
                evaluated.push(None);
            } else {
                evaluated.push(Some(self.eval(a, input, env)?));
            }
        }
        let proc = self.eval(procedure, input, env)?;
        if proc.is_undef() {
            if let Some(name) = self.forgot_dollar(procedure, env) {
                return Err(Error::new("T1007").at(node.pos).token(name.to_string()));
            }
        }
        let Val::Func(f) = &proc else {
            let mut e = Error::new("T1008").at(node.pos);
            e.token = Self::proc_name(procedure);
            return Err(e);
        };
        match &**f {
            Func::Lambda(l) => {
                let frame = Frame::new(Some(l.env.clone()));
                let mut unbound = Vec::new();
                for (i, p) in l.params().iter().enumerate() {
                    match evaluated.get(i) {
                        Some(None) => unbound.push(p.clone()),
                        Some(Some(v)) => frame.bind(p, v.clone()),
                        None => frame.bind(p, Val::Undef),
                    }
                }
                self.capture(&frame);
                Ok(Val::Func(Rc::new(Func::Lambda(Lambda {
                    def: l.def.clone(),
                    params: Some(unbound),
                    input: l.input.clone(),
                    env: frame,
                    signature: None,
                }))))
            }
            _ => {
                let arity = f.arity().max(evaluated.iter().filter(|a| a.is_none()).count());
                let mut fixed: Vec<Option<Val>> = evaluated;
                if fixed.len() < arity {
                    fixed.resize(arity, Some(Val::Undef));
                }
                Ok(Val::Func(Rc::new(Func::PartialNative(f.clone(), fixed))))
            }
        }
    }

    /// Calls a function value with the arguments a higher-order function passes, trimmed to
    /// the function's arity (value, index/key, whole).
    #[inline(never)]
    pub fn call_hof(&self, f: &Val, args: Vec<Val>, input: &Val, env: &Scope) -> R<Val> {
        let arity = match f {
            Val::Func(func) => func.arity(),
            _ => 0,
        };
        let mut args = args;
        args.truncate(arity.max(1));
        self.apply(f, args, input, env, None, 0)
    }

    #[inline(never)]
    fn transform(&self, def: &TransformDef, scope: &Scope, obj: Val) -> R<Val> {
        if obj.is_undef() {
            return Ok(Val::Undef);
        }
        let clone_fn = self.variable(scope, "clone");
        if let Some(c) = &clone_fn {
            if !c.is_func() {
                return Err(Error::new("T2013").at(def.pos));
            }
        }
        let result = functions::deep_clone(&obj);
        let matches = self.eval(&def.pattern, &result, scope)?;
        let mut edits: Edits = UsizeMap::new();
        if !matches.is_undef() {
            let list = if matches.is_array() { matches.items() } else { vec![matches] };
            for m in list {
                let update = self.eval(&def.update, &m, scope)?;
                let mut props = Vec::new();
                match &update {
                    Val::Undef => {}
                    u if u.is_object() => props = u.entries(),
                    other => return Err(Error::new("T2011").at(def.update.pos).value(other.clone())),
                }
                let mut dels = Vec::new();
                if let Some(d) = &def.delete {
                    let deletions = self.eval(d, &m, scope)?;
                    if !deletions.is_undef() {
                        let list = if deletions.is_array() { deletions.items() } else { vec![deletions.clone()] };
                        if !list.iter().all(Val::is_string) {
                            return Err(Error::new("T2012").at(d.pos).value(deletions));
                        }
                        dels = list.iter().filter_map(|v| v.as_str().map(Rc::from)).collect();
                    }
                }
                if let Val::Obj(o) = &m {
                    edits.get_or_insert_with(Rc::as_ptr(o) as usize, Vec::new).push((props, dels));
                }
            }
        }
        if edits.is_empty() {
            return Ok(result);
        }
        Ok(apply_edits(&result, &edits, 0))
    }
}

/// Object constructors with at most this many pairs check their keys for repeats by a scan.
const SMALL_OBJECT: usize = 16;

/// Transform edits per matched object (by address): fields to set and fields to delete.
type Edits = UsizeMap<Vec<(Vec<(Rc<str>, Val)>, Vec<Rc<str>>)>>;

fn apply_edits(v: &Val, edits: &Edits, depth: usize) -> Val {
    if depth > MAX_NESTING {
        return v.clone();
    }
    match v {
        Val::Obj(o) => {
            let mut m = OMap::new();
            for (k, x) in o.iter() {
                m.insert(k.clone(), apply_edits(x, edits, depth + 1));
            }
            if let Some(list) = edits.get(Rc::as_ptr(o) as usize) {
                for (props, dels) in list {
                    for (k, x) in props {
                        m.insert(k.clone(), x.clone());
                    }
                    for d in dels {
                        m.remove(d);
                    }
                }
            }
            Val::Obj(Rc::new(m))
        }
        Val::Arr(a, f) => Val::Arr(Rc::new(List(a.iter().map(|x| apply_edits(x, edits, depth + 1)).collect())), *f),
        other => other.clone(),
    }
}

fn leak_code(code: &str) -> &'static str {
    thread_local! {
        static CODES: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
    }
    CODES.with(|c| {
        if let Some(s) = c.borrow().iter().find(|s| **s == code) {
            return *s;
        }
        let s: &'static str = Box::leak(code.to_string().into_boxed_str());
        c.borrow_mut().push(s);
        s
    })
}

#[inline(never)]
fn validate(sig: &Signature, args: &[Val], input: &Val) -> R<Vec<Val>> {
    sig.validate(args, input)
}

/// An item to sort: its sort keys, the item and (for tuple streams) its tuple.
type SortEntry = (Vec<Val>, (Val, Option<Tuple>));

fn is_thunk(v: &Val) -> bool {
    matches!(v, Val::Func(f) if matches!(&**f, Func::Lambda(l) if l.def.thunk))
}

#[cold]
#[inline(never)]
fn runaway(pos: usize) -> Fail {
    Error::new("U1001").at(pos)
}

#[cold]
#[inline(never)]
fn operator_error(mut e: Fail, pos: usize, op: BinOp) -> Fail {
    e.position = Some(pos);
    e.token = Some(op.symbol().to_string());
    e
}

#[cold]
#[inline(never)]
fn fix_error(mut e: Fail, site: Option<&Node>, pos: usize) -> Fail {
    if e.token.is_none() {
        e.token = site.and_then(Ctx::proc_name);
    }
    if e.position.is_none() {
        e.position = Some(pos);
    }
    e
}

fn into_tuples(v: Val) -> Vec<Tuple> {
    match v {
        Val::Tuples(ts) => Rc::try_unwrap(ts).unwrap_or_else(|rc| rc.as_ref().clone()),
        other => other.items().into_iter().map(|at| Tuple { at, binds: Vec::new() }).collect(),
    }
}

fn reduce_tuples(ts: &[Tuple]) -> (Val, Vec<(Rc<str>, Val)>) {
    if ts.len() == 1 {
        return (ts[0].at.clone(), ts[0].binds.clone());
    }
    let at_items: Vec<Val> = ts.iter().map(|t| t.at.clone()).collect();
    let mut at = Val::Undef;
    for v in at_items {
        at = append(at, v);
    }
    let mut binds: Vec<(Rc<str>, Val)> = Vec::new();
    for t in ts {
        for (k, v) in &t.binds {
            match binds.iter_mut().find(|(bk, _)| bk == k) {
                Some(slot) => slot.1 = append(std::mem::take(&mut slot.1), v.clone()),
                None => binds.push((k.clone(), v.clone())),
            }
        }
    }
    (at, binds)
}

/// The end of `evaluate`: empty sequences become undefined, singletons their item.
#[inline(never)]
fn normalize(result: Val, keep_array: bool) -> Val {
    match &result {
        Val::Arr(a, f) if f & SEQ != 0 => {
            let f = if keep_array { f | KEEP } else { *f };
            match a.len() {
                0 => Val::Undef,
                1 if f & KEEP == 0 => a[0].clone(),
                _ => Val::Arr(a.clone(), f),
            }
        }
        Val::JArr(a, f) if f & SEQ != 0 => {
            let f = if keep_array { f | KEEP } else { *f };
            match a.len() {
                0 => Val::Undef,
                1 if f & KEEP == 0 => Val::from_value(&a[0]),
                _ => Val::JArr(a.clone(), f),
            }
        }
        _ => result,
    }
}

fn wildcard(input: &Val) -> Val {
    let input = if input.flags() & OUTER != 0 && input.len() > 0 { input.at(0) } else { input.clone() };
    let mut out = Vec::new();
    let mut is_seq = true;
    if input.is_object() || input.is_array() {
        let values: Vec<Val> =
            if input.is_array() { input.items() } else { input.entries().into_iter().map(|(_, v)| v).collect() };
        for v in values {
            if v.is_array() {
                let mut flat = Vec::new();
                flatten(&v, &mut flat, 0);
                out.extend(flat);
                is_seq = false;
            } else {
                out.push(v);
            }
        }
    }
    if is_seq {
        Val::seq(out)
    } else {
        Val::array(out)
    }
}

fn flatten(v: &Val, out: &mut Vec<Val>, depth: usize) {
    if v.is_array() && depth <= MAX_NESTING {
        for item in v.items() {
            flatten(&item, out, depth + 1);
        }
    } else {
        out.push(v.clone());
    }
}

fn descendants(input: &Val) -> Val {
    if input.is_undef() {
        return Val::Undef;
    }
    let mut out = Vec::new();
    recurse_descendants(input, &mut out, 0);
    if out.len() == 1 {
        out.pop().unwrap_or_default()
    } else {
        Val::seq(out)
    }
}

fn recurse_descendants(v: &Val, out: &mut Vec<Val>, depth: usize) {
    if depth > 2000 {
        return;
    }
    if !v.is_array() {
        out.push(v.clone());
    }
    if v.is_array() {
        for item in v.items() {
            recurse_descendants(&item, out, depth + 1);
        }
    } else if v.is_object() {
        for (_, x) in v.entries() {
            recurse_descendants(&x, out, depth + 1);
        }
    }
}

#[inline(never)]
fn binary(op: BinOp, lhs: Val, rhs: Val) -> R<Val> {
    match op {
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod => {
            if !lhs.is_undef() && !is_numeric(&lhs)? {
                return Err(Error::new("T2001").value(lhs));
            }
            if !rhs.is_undef() && !is_numeric(&rhs)? {
                return Err(Error::new("T2002").value(rhs));
            }
            let (Val::Num(a), Val::Num(b)) = (&lhs, &rhs) else { return Ok(Val::Undef) };
            let (a, b) = (*a, *b);
            Ok(Val::Num(match op {
                BinOp::Add => a + b,
                BinOp::Sub => a - b,
                BinOp::Mul => a * b,
                BinOp::Div => a / b,
                _ => a % b,
            }))
        }
        BinOp::Eq | BinOp::Ne => {
            if lhs.is_undef() || rhs.is_undef() {
                return Ok(Val::Bool(false));
            }
            let eq = deep_equal(&lhs, &rhs);
            Ok(Val::Bool(if op == BinOp::Eq { eq } else { !eq }))
        }
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            let comparable = |v: &Val| matches!(v, Val::Undef | Val::Str(_) | Val::Num(_));
            if !comparable(&lhs) || !comparable(&rhs) {
                let bad = if !matches!(lhs, Val::Str(_) | Val::Num(_)) { lhs } else { rhs };
                return Err(Error::new("T2010").value(bad));
            }
            if lhs.is_undef() || rhs.is_undef() {
                return Ok(Val::Undef);
            }
            let ord = match (&lhs, &rhs) {
                (Val::Num(a), Val::Num(b)) => a.partial_cmp(b),
                (Val::Str(a), Val::Str(b)) => Some(a.cmp(b)),
                _ => return Err(Error::new("T2009").value(lhs).value2(rhs)),
            };
            use std::cmp::Ordering::*;
            Ok(Val::Bool(match (op, ord) {
                (_, None) => false,
                (BinOp::Lt, Some(o)) => o == Less,
                (BinOp::Le, Some(o)) => o != Greater,
                (BinOp::Gt, Some(o)) => o == Greater,
                (_, Some(o)) => o != Less,
            }))
        }
        BinOp::Concat => {
            let l = if lhs.is_undef() { String::new() } else { functions::to_js_string(&lhs)? };
            let r = if rhs.is_undef() { String::new() } else { functions::to_js_string(&rhs)? };
            Ok(Val::string(l + &r))
        }
        BinOp::In => {
            if lhs.is_undef() || rhs.is_undef() {
                return Ok(Val::Bool(false));
            }
            let items = if rhs.is_array() { rhs.items() } else { vec![rhs] };
            Ok(Val::Bool(items.iter().any(|x| strict_equal(x, &lhs))))
        }
        BinOp::Range => {
            let is_int = |v: &Val| matches!(v, Val::Num(n) if n.fract() == 0.0 && n.is_finite());
            if !lhs.is_undef() && !is_int(&lhs) {
                return Err(Error::new("T2003").value(lhs));
            }
            if !rhs.is_undef() && !is_int(&rhs) {
                return Err(Error::new("T2004").value(rhs));
            }
            let (Val::Num(a), Val::Num(b)) = (lhs, rhs) else { return Ok(Val::Undef) };
            if a > b {
                return Ok(Val::Undef);
            }
            let size = b - a + 1.0;
            if size > 1e7 {
                return Err(Error::new("D2014").value(Val::Num(size)));
            }
            let n = size as usize;
            let mut out = Vec::with_capacity(n);
            let mut x = a;
            for _ in 0..n {
                out.push(Val::Num(x));
                x += 1.0;
            }
            Ok(Val::seq(out))
        }
        BinOp::And | BinOp::Or => Ok(Val::Undef),
    }
}

/// Helper for `Group` so the parser's type is used by name here.
#[allow(dead_code)]
fn _group_type(_: &Group) {}

impl Evaluator for Ctx<'_> {
    fn apply(&self, proc: &Val, args: Vec<Val>, input: &Val, env: &Scope, site: Option<&Node>, pos: usize) -> R<Val> {
        Ctx::apply(self, proc, args, input, env, site, pos)
    }
    fn call_hof(&self, f: &Val, args: Vec<Val>, input: &Val, env: &Scope) -> R<Val> {
        Ctx::call_hof(self, f, args, input, env)
    }
    fn eval(&self, node: &Node, input: &Val, env: &Scope) -> R<Val> {
        Ctx::eval(self, node, input, env)
    }
    fn environment(&self) -> &Environment {
        self.env
    }
}
