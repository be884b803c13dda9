//! Stand-in until the full JSONPath module lands: `$`, `$$`, `$var`, `.key`, `[n]`.

use super::{Env, EvalError};
use crate::value::{Map, Value};
use std::rc::Rc;

#[derive(Clone, Debug)]
enum Root { Input, Context, Var(Rc<str>) }
#[derive(Clone, Debug)]
enum Step { Key(Rc<str>), Index(usize) }

/// A parsed path.
#[derive(Clone, Debug)]
pub struct Path { root: Root, steps: Vec<Step>, text: Rc<str> }

#[derive(Clone, Debug)]
pub struct PathError(pub String);
impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(&self.0) }
}

#[derive(Clone, Debug)]
pub struct PathSelectError { pub missing: String }
impl std::fmt::Display for PathSelectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { write!(f, "No results for path: {}", self.missing) }
}

impl Path {
    pub fn parse(text: &str) -> Result<Path, PathError> {
        let err = || PathError(format!("The value '{text}' is not a valid JSONPath"));
        let (root, mut rest) = if let Some(r) = text.strip_prefix("$$") { (Root::Context, r) }
            else if let Some(r) = text.strip_prefix('$') {
                let n = r.find(['.', '[']).unwrap_or(r.len());
                if n > 0 { (Root::Var(Rc::from(&r[..n])), &r[n..]) } else { (Root::Input, r) }
            } else { return Err(err()) };
        let mut steps = Vec::new();
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('.') {
                let n = r.find(['.', '[']).unwrap_or(r.len());
                if n == 0 { return Err(err()); }
                steps.push(Step::Key(Rc::from(&r[..n]))); rest = &r[n..];
            } else if let Some(r) = rest.strip_prefix('[') {
                let n = r.find(']').ok_or_else(err)?;
                let i = r[..n].parse().map_err(|_| err())?;
                steps.push(Step::Index(i)); rest = &r[n + 1..];
            } else { return Err(err()); }
        }
        Ok(Path { root, steps, text: Rc::from(text) })
    }
    pub fn as_str(&self) -> &str { &self.text }
    pub fn select(&self, env: &Env) -> Result<Value, PathSelectError> {
        let mut v = match &self.root { Root::Input => env.input.clone(), Root::Context => env.context.clone(),
            Root::Var(n) => env.variables.get(n).ok_or(PathSelectError { missing: format!("${n}") })? };
        for s in &self.steps {
            let next = match s { Step::Key(k) => v.get(k).cloned(), Step::Index(i) => v.index(*i).cloned() };
            v = next.ok_or_else(|| PathSelectError { missing: match s { Step::Key(k) => format!("$['{k}']"), Step::Index(i) => format!("$[{i}]") } })?;
        }
        Ok(v)
    }
}

/// A path that names one node, for ResultPath.
#[derive(Clone, Debug)]
pub struct ReferencePath(Path);
impl ReferencePath {
    pub fn parse(text: &str) -> Result<ReferencePath, PathError> { Path::parse(text).map(ReferencePath) }
    pub fn as_str(&self) -> &str { &self.0.text }
    pub fn assign(&self, target: &Value, value: Value) -> Result<Value, EvalError> {
        fn set(t: &Value, steps: &[Step], value: Value) -> Result<Value, EvalError> {
            let Some((first, rest)) = steps.split_first() else { return Ok(value) };
            let Step::Key(k) = first else { return Err(EvalError::runtime("index in ResultPath")) };
            let mut m = match t { Value::Object(m) => (**m).clone(), _ => Map::new() };
            let inner = set(m.get(k).unwrap_or(&Value::Null), rest, value)?;
            m.insert(k.clone(), inner);
            Ok(Value::from(m))
        }
        set(target, &self.0.steps, value)
    }
}
