//! Stand-in until the full payload template module lands.

use super::jsonpath::Path;
use super::{Env, EvalError};
use crate::value::{Map, Value};
use std::rc::Rc;

#[derive(Clone, Debug)]
enum Node { Literal(Value), Path(Path), Object(Vec<(Rc<str>, Node)>), Array(Vec<Node>) }

#[derive(Clone, Debug)]
pub struct Template { root: Node }

#[derive(Clone, Debug)]
pub struct TemplateError { pub pointer: String, pub message: String }

impl Template {
    pub fn compile(v: &Value) -> Result<Template, TemplateError> {
        fn node(v: &Value, at: &str) -> Result<Node, TemplateError> {
            Ok(match v {
                Value::Object(m) => Node::Object(m.iter().map(|(k, v)| {
                    let kat = format!("{at}/{k}");
                    if let Some(stripped) = k.strip_suffix(".$") {
                        let p = Path::parse(v.as_str().unwrap_or("")).map_err(|e| TemplateError { pointer: kat.clone(), message: e.0 })?;
                        Ok((Rc::from(stripped), Node::Path(p)))
                    } else { Ok((k.clone(), node(v, &kat)?)) }
                }).collect::<Result<_, _>>()?),
                Value::Array(a) => Node::Array(a.iter().enumerate().map(|(i, v)| node(v, &format!("{at}/{i}"))).collect::<Result<_, _>>()?),
                other => Node::Literal(other.clone()),
            })
        }
        Ok(Template { root: node(v, "")? })
    }
    pub fn is_static(&self) -> bool { false }
    pub fn evaluate(&self, env: &mut Env, field: &str) -> Result<Value, EvalError> {
        fn eval(n: &Node, env: &Env, key: &str) -> Result<Value, EvalError> {
            Ok(match n {
                Node::Literal(v) => v.clone(),
                Node::Path(p) => p.select(env).map_err(|_| EvalError::runtime(format!(
                    "The JSONPath '{}' specified for the field '{key}.$' could not be found in the input '{}'", p.as_str(), env.input)))?,
                Node::Object(es) => { let mut m = Map::with_capacity(es.len()); for (k, n) in es { m.push_unique(k.clone(), eval(n, env, k)?); } Value::from(m) }
                Node::Array(a) => Value::from(a.iter().map(|n| eval(n, env, key)).collect::<Result<Vec<_>, _>>()?),
            })
        }
        eval(&self.root, env, field)
    }
}
