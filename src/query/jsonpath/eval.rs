//! Path evaluation with Jayway's semantics: which steps skip silently and which throw (only
//! while every earlier step was definite), what `..` visits and in which order, and the exact
//! wording of each failure.

use std::fmt::Write;
use std::rc::Rc;

use super::{Path, PathFunction, PathSelectError, Step};
use crate::query::java;
use crate::value::{Map, Value};

/// The fast path for paths made only of names and indexes: follows references and
/// allocates nothing. `None` means "not simply there"; the general evaluator then produces
/// the exact failure.
pub(super) fn select_simple<'v>(steps: &[Step], document: &'v Value) -> Option<&'v Value> {
    let mut current = document;
    for step in steps {
        current = match step {
            Step::Property(name) => current.get(name)?,
            Step::Index(i) => element(current, *i)?,
            _ => return None,
        };
    }
    Some(current)
}

/// The element at `i` of an array, negative `i` counting from the end.
fn element(v: &Value, i: i64) -> Option<&Value> {
    let a = v.as_array()?;
    let len = a.len() as i64;
    let j = if i < 0 { len + i } else { i };
    if j < 0 || j >= len {
        return None;
    }
    a.get(j as usize)
}

/// General selection: the single node of a definite path, or the array of all matches.
pub(super) fn select(path: &Path, document: &Value) -> Result<Value, PathSelectError> {
    let steps = &path.steps[..];
    if let Some((Step::Function(f), prefix)) = steps.split_last() {
        if !path.is_definite_prefix(prefix.len()) {
            // Jayway applies a trailing function to the whole result set of an indefinite path.
            let mut matches = Vec::new();
            Evaluator::new(prefix, document).eval(0, document, &mut matches)?;
            return apply_function(*f, &Value::from(matches));
        }
    }
    let mut out = Vec::new();
    Evaluator::new(steps, document).eval(0, document, &mut out)?;
    if path.is_definite() {
        out.into_iter().next().ok_or_else(|| PathSelectError::NoResults { path: path.normalized() })
    } else {
        Ok(Value::from(out))
    }
}

impl Path {
    fn is_definite_prefix(&self, len: usize) -> bool {
        self.first_indefinite >= len
    }
}

/// Walks steps over a document, collecting matches.
pub(super) struct Evaluator<'p> {
    steps: &'p [Step],
    /// Whether the whole path is definite. AWS evaluates an indefinite path leniently (it
    /// yields its matches, possibly none: `$.items[*]` on `{}` is `[]`, AWS-recorded), so
    /// only definite paths report missing or mistyped nodes.
    strict: bool,
    /// The document `$` refers to inside filters.
    root: &'p Value,
}

impl<'p> Evaluator<'p> {
    pub(super) fn new(steps: &'p [Step], root: &'p Value) -> Evaluator<'p> {
        let n = steps.len();
        let strict = steps.iter().enumerate().all(|(i, s)| s.is_definite(i + 1 == n));
        Evaluator { steps, strict, root }
    }

    fn is_leaf(&self, i: usize) -> bool {
        i + 1 == self.steps.len()
    }

    /// `$` followed by the fragments of the steps before `i`.
    fn current_path(&self, i: usize) -> String {
        let mut out = String::from("$");
        for step in &self.steps[..i] {
            write_fragment(&mut out, step);
        }
        out
    }

    /// Jayway's `toString()` of the token at `i`: its fragment and all that follow.
    fn token_text(&self, i: usize) -> String {
        let mut out = String::new();
        for step in &self.steps[i..] {
            write_fragment(&mut out, step);
        }
        out
    }

    pub(super) fn eval(&self, i: usize, model: &Value, out: &mut Vec<Value>) -> Result<(), PathSelectError> {
        let Some(step) = self.steps.get(i) else {
            out.push(model.clone());
            return Ok(());
        };
        match step {
            Step::Property(name) => {
                let Value::Object(map) = model else {
                    return self.not_an_object(i, model);
                };
                match map.get(name) {
                    Some(v) => self.eval(i + 1, v, out),
                    None if self.is_leaf(i) || !self.strict => Ok(()),
                    None => {
                        let mut path = self.current_path(i);
                        write_fragment(&mut path, step);
                        Err(PathSelectError::MissingProperty { path })
                    }
                }
            }
            Step::Properties(names) => {
                let Value::Object(map) = model else {
                    return self.not_an_object(i, model);
                };
                if self.is_leaf(i) {
                    let mut merged = Map::with_capacity(names.len());
                    for name in names.iter() {
                        if let Some(v) = map.get(name) {
                            merged.insert(name.clone(), v.clone());
                        }
                    }
                    out.push(Value::from(merged));
                    return Ok(());
                }
                for name in names.iter() {
                    if let Some(v) = map.get(name) {
                        self.eval(i + 1, v, out)?;
                    }
                }
                Ok(())
            }
            Step::Index(n) => {
                if self.check_array(i, model)? {
                    if let Some(v) = element(model, *n) {
                        self.eval(i + 1, v, out)?;
                    }
                }
                Ok(())
            }
            Step::Indexes(list) => {
                if self.check_array(i, model)? {
                    for n in list.iter() {
                        if let Some(v) = element(model, *n) {
                            self.eval(i + 1, v, out)?;
                        }
                    }
                }
                Ok(())
            }
            Step::Slice { from, to } => {
                if self.check_array(i, model)? {
                    let len = model.as_array().map_or(0, |a| a.len()) as i64;
                    for n in slice_indexes(*from, *to, len) {
                        if let Some(v) = element(model, n) {
                            self.eval(i + 1, v, out)?;
                        }
                    }
                }
                Ok(())
            }
            Step::Wildcard => {
                match model {
                    Value::Object(map) => {
                        for v in map.values() {
                            self.eval(i + 1, v, out)?;
                        }
                    }
                    Value::Array(items) => {
                        for v in items.iter() {
                            self.eval(i + 1, v, out)?;
                        }
                    }
                    _ => {}
                }
                Ok(())
            }
            Step::Scan => self.walk(i + 1, model, out),
            Step::Filter(filter) => match model {
                Value::Object(_) => {
                    if filter.accepts(model, self.root) {
                        self.eval(i + 1, model, out)?;
                    }
                    Ok(())
                }
                Value::Array(items) => {
                    for item in items.iter() {
                        if filter.accepts(item, self.root) {
                            self.eval(i + 1, item, out)?;
                        }
                    }
                    Ok(())
                }
                _ if self.strict => Err(PathSelectError::Invalid {
                    message: format!(
                        "Filter: {} can not be applied to primitives. Current context is: {}",
                        self.token_text(i),
                        java::text(model)
                    ),
                }),
                _ => Ok(()),
            },
            Step::Function(f) => {
                let result = apply_function(*f, model)?;
                self.eval(i + 1, &result, out)
            }
        }
    }

    /// Jayway's failure for a property looked up on something that is not an object (no match
    /// on an indefinite path).
    fn not_an_object(&self, i: usize, model: &Value) -> Result<(), PathSelectError> {
        if !self.strict {
            return Ok(());
        }
        let mut fragment = String::new();
        write_fragment(&mut fragment, &self.steps[i]);
        Err(PathSelectError::Invalid {
            message: format!(
                "Expected to find an object with property {fragment} in path {} but found '{}'. \
                 This is not a json object according to the JsonProvider: \
                 'com.jayway.jsonpath.spi.json.JacksonJsonProvider'.",
                self.current_path(i),
                java::class_name(model)
            ),
        })
    }

    /// Whether an array step can apply to `model`; fails like Jayway on a definite path.
    fn check_array(&self, i: usize, model: &Value) -> Result<bool, PathSelectError> {
        match model {
            Value::Array(_) => Ok(true),
            _ if !self.strict => Ok(false),
            Value::Null => {
                Err(PathSelectError::Invalid { message: format!("The path {} is null", self.current_path(i)) })
            }
            _ => Err(PathSelectError::Invalid {
                message: format!(
                    "Filter: {} can only be applied to arrays. Current context is: {}",
                    self.token_text(i),
                    java::text(model)
                ),
            }),
        }
    }

    /// `..`: applies the step at `j` to `model` and to every object and array below it,
    /// depth first, parents before children (Jayway's ScanPathToken).
    fn walk(&self, j: usize, model: &Value, out: &mut Vec<Value>) -> Result<(), PathSelectError> {
        match model {
            Value::Object(map) => {
                if self.scan_matches(j, model) {
                    self.eval(j, model, out)?;
                }
                for v in map.values() {
                    self.walk(j, v, out)?;
                }
            }
            Value::Array(items) => {
                if self.scan_matches(j, model) {
                    if self.is_leaf(j) {
                        self.eval(j, model, out)?;
                    } else {
                        // Jayway continues with the step after the target for each element.
                        for item in items.iter() {
                            self.eval(j + 1, item, out)?;
                        }
                    }
                }
                for item in items.iter() {
                    self.walk(j, item, out)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Whether `..` applies its target step at this node (Jayway's scan predicates).
    fn scan_matches(&self, j: usize, model: &Value) -> bool {
        match &self.steps[j] {
            Step::Property(name) => model.as_object().is_some_and(|m| m.contains_key(name)),
            Step::Properties(names) => {
                model.as_object().is_some_and(|m| !self.is_leaf(j) || names.iter().all(|n| m.contains_key(n)))
            }
            Step::Index(_) | Step::Indexes(_) | Step::Slice { .. } => model.is_array(),
            Step::Wildcard => true,
            Step::Filter(filter) => filter.accepts(model, self.root),
            Step::Scan | Step::Function(_) => false,
        }
    }
}

/// The indexes a slice visits, exactly as Jayway computes them (a negative `from` in
/// `[from:to]` is not adjusted; the element lookup then counts it from the end).
fn slice_indexes(from: Option<i64>, to: Option<i64>, len: i64) -> std::ops::Range<i64> {
    match (from, to) {
        (Some(f), None) => {
            let f = if f < 0 { (len + f).max(0) } else { f };
            if len == 0 || f >= len {
                0..0
            } else {
                f..len
            }
        }
        (Some(f), Some(t)) => {
            let t = t.min(len);
            if f >= t || len == 0 {
                0..0
            } else {
                f..t
            }
        }
        (None, Some(t)) => {
            if len == 0 {
                return 0..0;
            }
            let t = if t < 0 { len + t } else { t };
            0..t.min(len).max(0)
        }
        (None, None) => 0..0,
    }
}

/// Appends a step's normalized fragment: `['a']`, `['a','b']`, `[0]`, `[0,1]`, `[1:3]`,
/// `[*]`, `..`, `[?]`, `.length()`.
pub(super) fn write_fragment(out: &mut String, step: &Step) {
    match step {
        Step::Property(name) => {
            let _ = write!(out, "['{name}']");
        }
        Step::Properties(names) => {
            out.push('[');
            for (k, name) in names.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                let _ = write!(out, "'{name}'");
            }
            out.push(']');
        }
        Step::Index(n) => {
            let _ = write!(out, "[{n}]");
        }
        Step::Indexes(list) => {
            out.push('[');
            for (k, n) in list.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{n}");
            }
            out.push(']');
        }
        Step::Slice { from, to } => {
            out.push('[');
            if let Some(f) = from {
                let _ = write!(out, "{f}");
            }
            out.push(':');
            if let Some(t) = to {
                let _ = write!(out, "{t}");
            }
            out.push(']');
        }
        Step::Wildcard => out.push_str("[*]"),
        Step::Scan => out.push_str(".."),
        Step::Filter(_) => out.push_str("[?]"),
        Step::Function(f) => {
            let _ = match f {
                PathFunction::Index(n) => write!(out, ".index({n})"),
                other => write!(out, ".{}()", function_name(*other)),
            };
        }
    }
}

fn function_name(f: PathFunction) -> &'static str {
    match f {
        PathFunction::Length => "length",
        PathFunction::Sum => "sum",
        PathFunction::Min => "min",
        PathFunction::Max => "max",
        PathFunction::Avg => "avg",
        PathFunction::Stddev => "stddev",
        PathFunction::Keys => "keys",
        PathFunction::First => "first",
        PathFunction::Last => "last",
        PathFunction::Index(_) => "index",
    }
}

/// Applies a Jayway path function to the value the path selected.
fn apply_function(f: PathFunction, model: &Value) -> Result<Value, PathSelectError> {
    let aggregate = |fold: fn(&[f64]) -> f64| {
        let numbers: Vec<f64> =
            model.as_array().map(|a| a.iter().filter_map(Value::as_f64).collect()).unwrap_or_default();
        if numbers.is_empty() {
            return Err(PathSelectError::Invalid {
                message: "Aggregation function attempted to calculate value using empty array".into(),
            });
        }
        Ok(Value::from(fold(&numbers)))
    };
    let pick = |index: i64| -> Result<Value, PathSelectError> {
        match model.as_array() {
            None => Ok(Value::Null),
            Some(_) => element(model, index).cloned().ok_or_else(|| PathSelectError::Invalid {
                message: format!("Index {index} is out of bounds for the selected array"),
            }),
        }
    };
    match f {
        PathFunction::Length => Ok(match model {
            Value::Array(a) => Value::from(a.len()),
            Value::Object(m) => Value::from(m.len()),
            _ => Value::Null,
        }),
        PathFunction::Sum => aggregate(|n| n.iter().sum()),
        PathFunction::Min => aggregate(|n| n.iter().copied().fold(f64::MAX, f64::min)),
        // Jayway starts from Java's Double.MIN_VALUE, the smallest positive double.
        PathFunction::Max => aggregate(|n| n.iter().copied().fold(f64::from_bits(1), f64::max)),
        PathFunction::Avg => aggregate(|n| n.iter().sum::<f64>() / n.len() as f64),
        PathFunction::Stddev => aggregate(|n| {
            let count = n.len() as f64;
            let mean = n.iter().sum::<f64>() / count;
            (n.iter().map(|x| x * x).sum::<f64>() / count - mean * mean).sqrt()
        }),
        PathFunction::Keys => Ok(match model {
            Value::Object(m) => Value::from(m.keys().map(|k| Value::String(k.clone())).collect::<Vec<_>>()),
            _ => Value::Null,
        }),
        PathFunction::First => pick(0),
        PathFunction::Last => pick(-1),
        PathFunction::Index(n) => pick(n),
    }
}

/// Writes `value` at `steps` inside `target`, copying only the containers on the way.
/// `Err(())` when a node on the way has the wrong type or an index is out of range.
pub(super) fn assign(target: &mut Value, steps: &[Step], value: Value) -> Result<(), ()> {
    let Some((first, rest)) = steps.split_first() else {
        *target = value;
        return Ok(());
    };
    match first {
        Step::Property(name) => {
            let Value::Object(map) = target else { return Err(()) };
            let map = Rc::make_mut(map);
            if rest.is_empty() {
                map.insert(name.clone(), value);
                return Ok(());
            }
            match map.get_mut(name) {
                Some(child) => assign(child, rest, value),
                None => {
                    let mut child = Value::object();
                    assign(&mut child, rest, value)?;
                    map.insert(name.clone(), child);
                    Ok(())
                }
            }
        }
        Step::Index(i) => {
            let Value::Array(items) = target else { return Err(()) };
            let len = items.len() as i64;
            let j = if *i < 0 { len + i } else { *i };
            if j < 0 || j >= len {
                return Err(());
            }
            let items = Rc::make_mut(items);
            match items.get_mut(j as usize) {
                Some(child) => assign(child, rest, value),
                None => Err(()),
            }
        }
        _ => Err(()),
    }
}
