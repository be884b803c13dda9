//! The evaluator's values: JSON plus what JSONata adds (undefined, sequences with their
//! flags, functions with their scopes, tuple streams), their JSON text (`$string`'s), and
//! the [`Evaluator`] interface through which built-in functions call back.
//!
//! Input documents are wrapped, not copied: a JSON array or object from the caller stays an
//! `Rc` of the shared [`Value`] type (`JArr`, `JObj`) and its members are converted one level
//! at a time as the evaluator reaches them. Arrays and objects that JSONata builds hold `Val`s.

use std::rc::Rc;

use std::cell::RefCell;

use super::ast::{LambdaDef, Node, TransformDef};
use super::error::{Shown, R};
use super::limits::MAX_NESTING;
use super::number::precision15;
use super::regex::Regex;
use super::signature::{Argument, Signature};
use super::{CustomFunction, Environment};
use crate::value::{Map, Number, Value};

/// Array flags (per reference, unlike JS where they are properties of the array object).
pub(crate) const SEQ: u8 = 1;
/// `keepSingleton`: a one-item sequence stays an array.
pub(crate) const KEEP: u8 = 2;
/// `cons`: built by an array constructor; not flattened by a path step.
pub(crate) const CONS: u8 = 4;
/// `outerWrapper`: the input array wrapped as a singleton sequence.
pub(crate) const OUTER: u8 = 8;

/// A value inside the evaluator.
#[derive(Clone, Default)]
pub(crate) enum Val {
    #[default]
    Undef,
    Null,
    Bool(bool),
    Num(f64),
    Str(Rc<str>),
    /// An array from the input document.
    JArr(Rc<Vec<Value>>, u8),
    /// An object from the input document.
    JObj(Rc<Map>),
    /// An array built by the evaluator.
    Arr(Rc<List>, u8),
    /// An object built by the evaluator.
    Obj(Rc<OMap>),
    Func(Rc<Func>),
    /// A tuple stream (path steps with `@`, `#` or `%` bindings).
    Tuples(Rc<Vec<Tuple>>),
}

/// One tuple of a tuple stream: the context item `@` and the variables bound along the path.
#[derive(Clone, Default)]
pub(crate) struct Tuple {
    pub at: Val,
    pub binds: Vec<(Rc<str>, Val)>,
}

impl Tuple {
    pub fn set(&mut self, name: &Rc<str>, v: Val) {
        if let Some(slot) = self.binds.iter_mut().find(|(k, _)| k == name) {
            slot.1 = v;
        } else {
            self.binds.push((name.clone(), v));
        }
    }
}

/// The items of an array built by the evaluator. Dropping releases nested arrays and
/// objects iteratively, so a deeply nested value cannot overflow the stack.
#[derive(Clone, Default)]
pub(crate) struct List(pub Vec<Val>);

impl std::ops::Deref for List {
    type Target = Vec<Val>;
    fn deref(&self) -> &Vec<Val> {
        &self.0
    }
}

impl Drop for List {
    fn drop(&mut self) {
        if self.0.iter().any(|v| matches!(v, Val::Arr(..) | Val::Obj(_))) {
            release(std::mem::take(&mut self.0));
        }
    }
}

impl Drop for OMap {
    fn drop(&mut self) {
        if self.0.values().any(|v| matches!(v, Val::Arr(..) | Val::Obj(_))) {
            release(std::mem::take(&mut self.0).into_iter().map(|(_, v)| v).collect());
        }
    }
}

/// Drops values, taking apart uniquely owned containers with a work list instead of recursion.
fn release(mut stack: Vec<Val>) {
    while let Some(v) = stack.pop() {
        match v {
            Val::Arr(rc, _) => {
                if let Ok(mut list) = Rc::try_unwrap(rc) {
                    stack.append(&mut list.0);
                }
            }
            Val::Obj(rc) => {
                if let Ok(mut map) = Rc::try_unwrap(rc) {
                    stack.extend(std::mem::take(&mut map.0).into_iter().map(|(_, v)| v));
                }
            }
            _ => {}
        }
    }
}

/// An object built by the evaluator: a [`Map`] whose keys keep JavaScript's order (keys that
/// are array indexes first, ascending, then the others as inserted).
#[derive(Clone, Default)]
pub(crate) struct OMap(Map<Val>);

/// The value of a canonical array-index key ("0", "17"; not "01" or "-1"), which JavaScript
/// orders before all other keys.
fn array_index(key: &str) -> Option<u32> {
    if key.is_empty() || key.len() > 10 || (key.len() > 1 && key.starts_with('0')) {
        return None;
    }
    if !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    key.parse::<u64>().ok().filter(|&n| n < u32::MAX as u64).map(|n| n as u32)
}

impl OMap {
    pub fn new() -> OMap {
        OMap::default()
    }
    /// An empty object with room for `n` entries.
    pub fn with_capacity(n: usize) -> OMap {
        OMap(Map::with_capacity(n))
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn get(&self, key: &str) -> Option<&Val> {
        self.0.get(key)
    }
    pub fn contains(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }
    pub fn insert(&mut self, key: Rc<str>, v: Val) {
        let n = array_index(&key);
        // JavaScript objects list integer-like keys first, in ascending order.
        self.0.insert_placed(key, v, |m| {
            let n = n?;
            m.keys().position(|k| array_index(k).is_none_or(|m| m > n))
        });
    }
    pub fn remove(&mut self, key: &str) {
        self.0.remove(key);
    }
    pub fn iter(&self) -> impl Iterator<Item = (&Rc<str>, &Val)> {
        self.0.iter()
    }
}

impl Val {
    pub fn str(s: &str) -> Val {
        Val::Str(Rc::from(s))
    }
    pub fn string(s: String) -> Val {
        Val::Str(Rc::from(s))
    }
    pub fn seq(items: Vec<Val>) -> Val {
        Val::Arr(Rc::new(List(items)), SEQ)
    }
    pub fn array(items: Vec<Val>) -> Val {
        Val::Arr(Rc::new(List(items)), 0)
    }
    pub fn is_undef(&self) -> bool {
        matches!(self, Val::Undef)
    }
    pub fn is_array(&self) -> bool {
        matches!(self, Val::JArr(..) | Val::Arr(..))
    }
    pub fn is_object(&self) -> bool {
        matches!(self, Val::JObj(_) | Val::Obj(_))
    }
    pub fn is_func(&self) -> bool {
        matches!(self, Val::Func(_))
    }
    pub fn is_string(&self) -> bool {
        matches!(self, Val::Str(_))
    }
    pub fn is_number(&self) -> bool {
        matches!(self, Val::Num(_))
    }
    pub fn flags(&self) -> u8 {
        match self {
            Val::JArr(_, f) | Val::Arr(_, f) => *f,
            _ => 0,
        }
    }
    pub fn is_seq(&self) -> bool {
        self.flags() & SEQ != 0
    }
    pub fn with_flag(self, flag: u8) -> Val {
        match self {
            Val::JArr(a, f) => Val::JArr(a, f | flag),
            Val::Arr(a, f) => Val::Arr(a, f | flag),
            v => v,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_num(&self) -> Option<f64> {
        match self {
            Val::Num(n) => Some(*n),
            _ => None,
        }
    }
    pub fn len(&self) -> usize {
        match self {
            Val::JArr(a, _) => a.len(),
            Val::Arr(a, _) => a.len(),
            Val::Tuples(t) => t.len(),
            _ => 0,
        }
    }
    /// Item `i` of an array (undefined when out of range or not an array).
    pub fn at(&self, i: usize) -> Val {
        match self {
            Val::JArr(a, _) => a.get(i).map(Val::from_value).unwrap_or_default(),
            Val::Arr(a, _) => a.get(i).cloned().unwrap_or_default(),
            _ => Val::Undef,
        }
    }
    /// The items of an array; a non-array is a one-item list; undefined is empty.
    pub fn items(&self) -> Vec<Val> {
        match self {
            Val::JArr(a, _) => a.iter().map(Val::from_value).collect(),
            Val::Arr(a, _) => a.0.clone(),
            Val::Undef => Vec::new(),
            v => vec![v.clone()],
        }
    }
    /// Field `key` of an object.
    pub fn field(&self, key: &str) -> Val {
        match self {
            Val::JObj(m) => m.get(key).map(Val::from_value).unwrap_or_default(),
            Val::Obj(m) => m.get(key).cloned().unwrap_or_default(),
            _ => Val::Undef,
        }
    }
    /// The entries of an object in order.
    pub fn entries(&self) -> Vec<(Rc<str>, Val)> {
        match self {
            Val::JObj(m) => m.iter().map(|(k, v)| (k.clone(), Val::from_value(v))).collect(),
            Val::Obj(m) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            _ => Vec::new(),
        }
    }
    pub fn obj_len(&self) -> usize {
        match self {
            Val::JObj(m) => m.len(),
            Val::Obj(m) => m.len(),
            _ => 0,
        }
    }

    /// Wraps a JSON value (one level; members convert when reached).
    pub fn from_value(v: &Value) -> Val {
        match v {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(n) => Val::Num(n.as_f64()),
            Value::String(s) => Val::Str(s.clone()),
            Value::Array(a) => Val::JArr(a.clone(), 0),
            Value::Object(m) => Val::JObj(m.clone()),
        }
    }

    /// Whether constructed arrays/objects nest deeper than `limit` (checked without recursion).
    pub fn nests_deeper_than(&self, limit: usize) -> bool {
        if !matches!(self, Val::Arr(..) | Val::Obj(_)) {
            return false;
        }
        let mut stack: Vec<(&Val, usize)> = vec![(self, 0)];
        while let Some((v, d)) = stack.pop() {
            if d > limit {
                return true;
            }
            match v {
                Val::Arr(a, _) => stack.extend(a.iter().map(|x| (x, d + 1))),
                Val::Obj(m) => stack.extend(m.iter().map(|(_, x)| (x, d + 1))),
                _ => {}
            }
        }
        false
    }

    /// Converts to JSON as `JSON.stringify` would: undefined and functions vanish from
    /// objects and become null in arrays; integral doubles become integers.
    pub fn to_value(&self) -> Option<Value> {
        Some(match self {
            Val::Undef | Val::Func(_) => return None,
            Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(*b),
            Val::Num(n) => Value::Number(Number::from_f64(*n)),
            Val::Str(s) => Value::String(s.clone()),
            Val::JArr(a, _) => Value::Array(a.clone()),
            Val::JObj(m) => Value::Object(m.clone()),
            Val::Arr(a, _) => Value::Array(Rc::new(a.iter().map(|v| v.to_value().unwrap_or(Value::Null)).collect())),
            Val::Obj(m) => {
                let mut out = Map::with_capacity(m.len());
                for (k, v) in m.iter() {
                    if let Some(v) = v.to_value() {
                        out.push_unique(k.clone(), v);
                    }
                }
                Value::Object(Rc::new(out))
            }
            Val::Tuples(t) => Value::Array(Rc::new(t.iter().map(|t| t.at.to_value().unwrap_or(Value::Null)).collect())),
        })
    }
}

/// Deep equality as the reference's `isDeepEqual`.
pub(crate) fn deep_equal(a: &Val, b: &Val) -> bool {
    deep_equal_at(a, b, 0)
}

fn deep_equal_at(a: &Val, b: &Val, depth: usize) -> bool {
    if depth > MAX_NESTING {
        return false;
    }
    match (a, b) {
        (Val::Undef, Val::Undef) | (Val::Null, Val::Null) => true,
        (Val::Bool(x), Val::Bool(y)) => x == y,
        (Val::Num(x), Val::Num(y)) => x == y,
        (Val::Str(x), Val::Str(y)) => x == y,
        (Val::Func(x), Val::Func(y)) => Rc::ptr_eq(x, y),
        (Val::JArr(x, _), Val::JArr(y, _)) => x == y,
        (Val::JObj(x), Val::JObj(y)) => x == y,
        _ if a.is_array() && b.is_array() => {
            a.len() == b.len() && (0..a.len()).all(|i| deep_equal_at(&a.at(i), &b.at(i), depth + 1))
        }
        _ if a.is_object() && b.is_object() => {
            a.obj_len() == b.obj_len()
                && a.entries().iter().all(|(k, v)| {
                    let other = b.field(k);
                    (!other.is_undef() || has_key(b, k)) && deep_equal_at(v, &other, depth + 1)
                })
        }
        _ => false,
    }
}

fn has_key(v: &Val, k: &str) -> bool {
    match v {
        Val::JObj(m) => m.contains_key(k),
        Val::Obj(m) => m.contains(k),
        _ => false,
    }
}

/// A variable scope; frames chain to their enclosing scope.
pub(crate) struct Frame {
    vars: RefCell<Vec<(Rc<str>, Val)>>,
    parent: Option<Scope>,
}

pub(crate) type Scope = Rc<Frame>;

impl Frame {
    pub fn new(parent: Option<Scope>) -> Scope {
        Rc::new(Frame { vars: RefCell::new(Vec::new()), parent })
    }
    pub fn bind(&self, name: &Rc<str>, v: Val) {
        let mut vars = self.vars.borrow_mut();
        if let Some(slot) = vars.iter_mut().find(|(k, _)| k == name) {
            slot.1 = v;
        } else {
            vars.push((name.clone(), v));
        }
    }
    pub fn get(&self, name: &str) -> Option<Val> {
        let mut f = self;
        loop {
            if let Some((_, v)) = f.vars.borrow().iter().find(|(k, _)| &**k == name) {
                return Some(v.clone());
            }
            match &f.parent {
                Some(p) => f = p,
                None => return None,
            }
        }
    }
    /// Drops this scope's bindings (not its parents').
    pub fn clear(&self) {
        let taken = std::mem::take(&mut *self.vars.borrow_mut());
        drop(taken);
    }
    pub fn clear_chain(&self) {
        let mut f = self;
        loop {
            let taken = std::mem::take(&mut *f.vars.borrow_mut());
            drop(taken);
            match &f.parent {
                Some(p) => f = p,
                None => return,
            }
        }
    }
}

/// A scope over `env` holding the variables a tuple bound.
pub(crate) fn frame_from_tuple(env: &Scope, t: &Tuple) -> Scope {
    let f = Frame::new(Some(env.clone()));
    {
        let mut vars = f.vars.borrow_mut();
        vars.extend(t.binds.iter().cloned());
    }
    f
}

/// A lambda closure.
pub(crate) struct Lambda {
    pub def: Rc<LambdaDef>,
    pub params: Option<Vec<Rc<str>>>,
    pub input: Val,
    pub env: Scope,
    pub signature: Option<Rc<Signature>>,
}

impl Lambda {
    pub fn params(&self) -> &[Rc<str>] {
        self.params.as_deref().unwrap_or(&self.def.params)
    }
}

/// A function value.
pub(crate) enum Func {
    Lambda(Lambda),
    Builtin(&'static Builtin),
    Custom(CustomFunction),
    /// A native function with some arguments fixed (`$f(?, 2)`); `None` marks a hole.
    PartialNative(Rc<Func>, Vec<Option<Val>>),
    Transform(Rc<TransformDef>, Scope),
    Regex(Rc<Regex>),
    /// The `next` of a regex match: matches again from an offset.
    RegexNext(Rc<Regex>, Rc<[char]>, usize),
    /// `f ~> g` for two functions.
    Chain(Val, Val),
}

impl Func {
    /// The number of parameters, as the reference computes it for higher-order functions.
    pub fn arity(&self) -> usize {
        match self {
            Func::Lambda(l) => l.params().len(),
            Func::Builtin(b) => b.arity,
            Func::Custom(c) => c.arity,
            Func::PartialNative(_, args) => args.iter().filter(|a| a.is_none()).count(),
            Func::Transform(..) | Func::Chain(..) => 1,
            Func::Regex(_) => 2,
            Func::RegexNext(..) => 0,
        }
    }
}

/// A built-in function: name, signature, declared parameter count and implementation.
pub(crate) struct Builtin {
    pub name: &'static str,
    pub signature: &'static str,
    pub arity: usize,
    pub imp: fn(&dyn Evaluator, &[Val], &Val, &Scope) -> R<Val>,
}

/// The evaluator as built-in functions see it: higher-order functions apply the functions
/// they are given, `$eval` evaluates the expression it parsed, and the clock and randomness
/// come from the evaluation's environment. The evaluator implements it; keeping it here lets
/// the function library sit below the evaluator instead of importing it back.
pub(crate) trait Evaluator {
    /// Applies a function value to arguments (`site` and `pos` locate errors).
    fn apply(&self, proc: &Val, args: Vec<Val>, input: &Val, env: &Scope, site: Option<&Node>, pos: usize) -> R<Val>;
    /// Applies a higher-order function's callback with as many of `args` as it takes.
    fn call_hof(&self, f: &Val, args: Vec<Val>, input: &Val, env: &Scope) -> R<Val>;
    /// Evaluates a syntax tree.
    fn eval(&self, node: &Node, input: &Val, env: &Scope) -> R<Val>;
    /// The environment of the evaluation (clock, randomness).
    fn environment(&self) -> &Environment;
}

/// `fn.lookup`: a field of an object, or of each object in an array (flattened one level).
pub(crate) fn lookup_field(input: &Val, key: &str) -> Val {
    lookup_field_at(input, key, 0)
}

fn lookup_field_at(input: &Val, key: &str, depth: usize) -> Val {
    if depth > MAX_NESTING {
        return Val::Undef;
    }
    match input {
        Val::JArr(a, _) => {
            let mut out = Vec::new();
            for item in a.iter() {
                match item {
                    crate::Value::Object(m) => {
                        if let Some(v) = m.get(key) {
                            push_flat(&mut out, Val::from_value(v));
                        }
                    }
                    crate::Value::Array(_) => {
                        let res = lookup_field_at(&Val::from_value(item), key, depth + 1);
                        push_flat(&mut out, res);
                    }
                    _ => {}
                }
            }
            Val::seq(out)
        }
        Val::Arr(a, _) => {
            let mut out = Vec::new();
            for item in a.iter() {
                let res = lookup_field_at(item, key, depth + 1);
                push_flat(&mut out, res);
            }
            Val::seq(out)
        }
        Val::JObj(m) => m.get(key).map(Val::from_value).unwrap_or_default(),
        Val::Obj(m) => m.get(key).cloned().unwrap_or_default(),
        _ => Val::Undef,
    }
}

pub(crate) fn push_flat(out: &mut Vec<Val>, res: Val) {
    match res {
        Val::Undef => {}
        Val::Arr(a, _) => out.extend(a.iter().cloned()),
        Val::JArr(a, _) => out.extend(a.iter().map(Val::from_value)),
        v => out.push(v),
    }
}

/// `fn.append`.
pub(crate) fn append(a: Val, b: Val) -> Val {
    if a.is_undef() {
        return b;
    }
    if b.is_undef() {
        return a;
    }
    let mut items = a.items();
    push_flat(&mut items, b);
    Val::array(items)
}

/// JSON text of a value as `$string` makes it (numbers to 15 significant digits when
/// `precise`, functions as empty strings); `None` for undefined.
pub(crate) fn stringify(v: &Val, pretty: bool, precise: bool) -> Option<String> {
    if v.is_undef() {
        return None;
    }
    let mut out = String::new();
    write_json(&mut out, v, pretty, precise, 0, 0);
    Some(out)
}

fn write_json(out: &mut String, v: &Val, pretty: bool, precise: bool, level: usize, depth: usize) {
    if depth > 1000 {
        out.push_str("null");
        return;
    }
    let nl = |out: &mut String, level: usize| {
        if pretty {
            out.push('\n');
            out.push_str(&"  ".repeat(level));
        }
    };
    match v {
        Val::Undef | Val::Null => out.push_str("null"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Num(n) => {
            if n.is_finite() {
                let keep = !precise || (n.fract() == 0.0 && n.abs() < 1e21);
                out.push_str(&crate::host::to_string(if keep { *n } else { precision15(*n) }));
            } else {
                out.push_str("null");
            }
        }
        Val::Str(s) => crate::json::write_string(out, s),
        Val::Func(_) => out.push_str("\"\""),
        Val::JArr(..) | Val::Arr(..) | Val::Tuples(_) => {
            let items = match v {
                Val::Tuples(ts) => ts.iter().map(|t| t.at.clone()).collect(),
                _ => v.items(),
            };
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                nl(out, level + 1);
                write_json(out, item, pretty, precise, level + 1, depth + 1);
            }
            nl(out, level);
            out.push(']');
        }
        Val::JObj(_) | Val::Obj(_) => {
            let entries: Vec<_> = v.entries().into_iter().filter(|(_, x)| !x.is_undef()).collect();
            if entries.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, x)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                nl(out, level + 1);
                crate::json::write_string(out, k);
                out.push(':');
                if pretty {
                    out.push(' ');
                }
                write_json(out, x, pretty, precise, level + 1, depth + 1);
            }
            nl(out, level);
            out.push('}');
        }
    }
}

impl From<Val> for Shown {
    /// The value as an error reports it.
    fn from(v: Val) -> Shown {
        Shown {
            json: stringify(&v, false, false).unwrap_or_default(),
            text: if let Val::Str(s) = &v { Some(s.clone()) } else { None },
            value: v.to_value(),
        }
    }
}

impl Argument for Val {
    fn symbol(&self) -> char {
        match self {
            Val::Func(_) => 'f',
            Val::Str(_) => 's',
            Val::Num(_) => 'n',
            Val::Bool(_) => 'b',
            Val::Null => 'l',
            Val::JArr(..) | Val::Arr(..) | Val::Tuples(_) => 'a',
            Val::JObj(_) | Val::Obj(_) => 'o',
            Val::Undef => 'm',
        }
    }
    fn len(&self) -> usize {
        Val::len(self)
    }
    fn at(&self, i: usize) -> Val {
        Val::at(self, i)
    }
    fn wrap(self) -> Val {
        Val::array(vec![self])
    }
}
