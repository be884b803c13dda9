//! Jayway's inline filters, `[?(@.price < 10 && @.tag)]`: their parsed form and evaluation
//! (the path parser in `parse.rs` reads them: paths hold filters, filters hold paths).
//!
//! Operands are `@...` (the candidate node), `$...` (the document), and literals (numbers,
//! quoted strings, `true`, `false`, `null`, `[...]`, `{...}`). A bare path tests existence.
//! An unquoted word (`@.Name==Receipt`) is the string it spells, as Jayway's filters read it
//! before version 2 (its own tests select `$..labels[?(@.name==bug)]` by the name "bug") and
//! as AWS accepts it: AWS's samples collection deploys such a filter. Jayway 2 fails to parse
//! it, so [`super::Path::unquoted_filter_words`] lists them for a warning.
//! Comparison rules follow Jayway: a path that selects nothing never equals anything (so `!=`
//! holds), `<`-style operators compare two numbers or two strings and are false otherwise,
//! and a number equals a string holding the same number.

use super::Path;
use crate::value::{Number, Value};

/// A parsed filter expression.
#[derive(Clone, Debug)]
pub(crate) enum Filter {
    Or(Box<Filter>, Box<Filter>),
    And(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    Exists(Operand),
    Compare(Operand, Op, Operand),
}

/// One side of a comparison.
#[derive(Clone, Debug)]
pub(crate) enum Operand {
    /// `@...`: relative to the node being tested.
    Current(Path),
    /// `$...`: relative to the whole document.
    Document(Path),
    Literal(Value),
    /// An unquoted word, compared as the string it spells.
    Word(std::rc::Rc<str>),
}

/// The relational operators Jayway knows (regular expressions `=~` are not supported here).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Nin,
    SubsetOf,
    AnyOf,
    NoneOf,
    Size,
    Empty,
    Contains,
}

/// A number in JSON syntax: an integer when it has neither fraction nor exponent.
pub(crate) fn number(text: &str) -> Option<Value> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (int_part, rest) = digits.split_at(digits.find(['.', 'e', 'E']).unwrap_or(digits.len()));
    if int_part.is_empty()
        || !int_part.bytes().all(|b| b.is_ascii_digit())
        || (int_part.len() > 1 && int_part.starts_with('0'))
    {
        return None;
    }
    let mut rest = rest;
    if let Some(frac) = rest.strip_prefix('.') {
        let end = frac.find(['e', 'E']).unwrap_or(frac.len());
        if end == 0 || !frac[..end].bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        rest = &frac[end..];
    }
    if let Some(exp) = rest.strip_prefix(['e', 'E']) {
        let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        if exp.is_empty() || !exp.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    } else if !rest.is_empty() {
        return None;
    }
    if text.contains(['.', 'e', 'E']) {
        crate::number_parse::parse_f64(text).filter(|f| f.is_finite()).map(Value::from)
    } else {
        match text.parse::<i64>() {
            Ok(i) => Some(Value::from(i)),
            Err(_) => crate::number_parse::parse_f64(text).filter(|f| f.is_finite()).map(Value::from),
        }
    }
}

/// What an operand evaluates to: a value, or nothing (Jayway's UNDEFINED).
enum Node {
    Undefined,
    Value(Value),
}

impl Filter {
    /// Whether `item` passes the filter; `document` is what `$` means inside it.
    pub(crate) fn accepts(&self, item: &Value, document: &Value) -> bool {
        match self {
            Filter::Or(a, b) => a.accepts(item, document) || b.accepts(item, document),
            Filter::And(a, b) => a.accepts(item, document) && b.accepts(item, document),
            Filter::Not(a) => !a.accepts(item, document),
            Filter::Exists(operand) => match operand.eval(item, document) {
                Node::Value(Value::Array(matches)) => !matches.is_empty() || operand.is_definite(),
                Node::Value(_) => true,
                Node::Undefined => false,
            },
            Filter::Compare(l, op, r) => compare(*op, &l.eval(item, document), &r.eval(item, document)),
        }
    }
}

impl Operand {
    fn eval(&self, item: &Value, document: &Value) -> Node {
        let (path, target) = match self {
            Operand::Literal(v) => return Node::Value(v.clone()),
            Operand::Word(w) => return Node::Value(Value::String(w.clone())),
            Operand::Current(path) => (path, item),
            Operand::Document(path) => (path, document),
        };
        match path.select_in(target) {
            Ok(v) => Node::Value(v),
            Err(_) => Node::Undefined,
        }
    }

    fn is_definite(&self) -> bool {
        match self {
            Operand::Current(p) | Operand::Document(p) => p.is_definite(),
            Operand::Literal(_) | Operand::Word(_) => true,
        }
    }

    /// Unquoted words here and in the filters of the paths here.
    fn unquoted_words(&self, out: &mut Vec<std::rc::Rc<str>>) {
        match self {
            Operand::Word(w) => out.push(w.clone()),
            Operand::Current(p) | Operand::Document(p) => out.extend(p.unquoted_filter_words()),
            Operand::Literal(_) => {}
        }
    }
}

impl Filter {
    /// The unquoted words this filter compares with, in order.
    pub(crate) fn unquoted_words(&self, out: &mut Vec<std::rc::Rc<str>>) {
        match self {
            Filter::Or(a, b) | Filter::And(a, b) => {
                a.unquoted_words(out);
                b.unquoted_words(out);
            }
            Filter::Not(a) => a.unquoted_words(out),
            Filter::Exists(o) => o.unquoted_words(out),
            Filter::Compare(l, _, r) => {
                l.unquoted_words(out);
                r.unquoted_words(out);
            }
        }
    }
}

fn compare(op: Op, left: &Node, right: &Node) -> bool {
    let (Node::Value(l), Node::Value(r)) = (left, right) else {
        // Nothing equals an undefined operand; every other operator is false.
        return op == Op::Ne || op == Op::Nin;
    };
    let member = |list: &Value, x: &Value| list.as_array().is_some_and(|items| items.iter().any(|i| equals(i, x)));
    match op {
        Op::Eq => equals(l, r),
        Op::Ne => !equals(l, r),
        Op::Lt | Op::Le | Op::Gt | Op::Ge => {
            let ordering = match (l, r) {
                (Value::Number(a), Value::Number(b)) => a.as_f64().partial_cmp(&b.as_f64()),
                (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
                _ => None,
            };
            ordering.is_some_and(|o| match op {
                Op::Lt => o.is_lt(),
                Op::Le => o.is_le(),
                Op::Gt => o.is_gt(),
                _ => o.is_ge(),
            })
        }
        Op::In => member(r, l),
        Op::Nin => !member(r, l),
        Op::Contains => match (l, r) {
            (Value::Array(_), _) => member(l, r),
            (Value::String(a), Value::String(b)) => a.contains(&**b),
            _ => false,
        },
        Op::Size => match (l, r.as_i64()) {
            (Value::Array(a), Some(n)) => a.len() as i64 == n,
            (Value::String(s), Some(n)) => s.encode_utf16().count() as i64 == n,
            _ => false,
        },
        Op::Empty => match (l, r.as_bool()) {
            (Value::Array(a), Some(b)) => a.is_empty() == b,
            (Value::Object(m), Some(b)) => m.is_empty() == b,
            (Value::String(s), Some(b)) => s.is_empty() == b,
            _ => false,
        },
        Op::SubsetOf | Op::AnyOf | Op::NoneOf => {
            let (Some(ls), Some(_)) = (l.as_array(), r.as_array()) else { return false };
            match op {
                Op::SubsetOf => ls.iter().all(|x| member(r, x)),
                Op::AnyOf => ls.iter().any(|x| member(r, x)),
                _ => !ls.iter().any(|x| member(r, x)),
            }
        }
    }
}

/// Jayway's value equality: numbers by value (also against a string holding a number),
/// containers structurally, no other conversions.
fn equals(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::String(s)) | (Value::String(s), Value::Number(x)) => {
            number(s.trim()).and_then(|v| v.as_number()).is_some_and(|n: Number| n == *x)
        }
        _ => a == b,
    }
}
