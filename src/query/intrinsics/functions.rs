//! The bodies of the eighteen intrinsic functions. Each takes its evaluated arguments and
//! returns `None` when they are not acceptable (wrong count, type or range); the caller turns
//! that into AWS's "Invalid arguments in States.<Name>".
//!
//! Behaviour follows what AWS does rather than what its documentation suggests:
//! `States.MathAdd` rounds its operands like Java's `Math.round`, while `ArrayRange`,
//! `ArrayPartition`, `ArrayGetItem` and `MathRandom` truncate fractional numbers;
//! `ArrayContains` compares values by their Java text; `Hash` accepts any value (hashing its
//! Java text); `Base64Decode` is lenient; `JsonMerge` orders keys like a Java `HashMap`.

use std::rc::Rc;

use super::{Function, Piece};
use crate::base64;
use crate::digest;
use crate::json;
use crate::query::java;
use crate::query::Env;
use crate::value::{Map, Value};

/// Longest string (in UTF-16 units) `Base64Encode`, `Base64Decode` and `Hash` accept.
const MAX_TEXT_UNITS: usize = 10_000;
/// Most items `ArrayRange` may produce.
const MAX_RANGE_ITEMS: i64 = 1000;

/// Runs `function` on `args`. `template` carries the pieces of `States.Format`'s first
/// argument when it was written as a literal (`Some(None)`: a malformed literal template).
pub(super) fn apply(
    function: Function,
    args: &[Value],
    template: Option<Option<&[Piece]>>,
    env: &mut Env,
) -> Option<Value> {
    match function {
        Function::Format => format(args, template),
        Function::StringToJson => match args {
            [Value::String(s)] if s.trim().is_empty() => Some(Value::Null),
            [Value::String(s)] => json::parse(s).ok(),
            _ => None,
        },
        Function::JsonToString => match args {
            [v] => Some(Value::build_string(&mut |out| json::write_compact(out, v))),
            _ => None,
        },
        Function::Array => Some(Value::from(args.to_vec())),
        Function::ArrayPartition => match args {
            [Value::Array(items), size] => {
                let size = truncated(size)?;
                if size <= 0 {
                    return None;
                }
                let size = usize::try_from(size).unwrap_or(usize::MAX);
                Some(Value::from(items.chunks(size).map(|c| Value::from(c.to_vec())).collect::<Vec<_>>()))
            }
            _ => None,
        },
        Function::ArrayContains => match args {
            [Value::Array(items), target] => {
                let wanted = java::text(target);
                Some(Value::Bool(items.iter().any(|item| java::text(item) == wanted)))
            }
            _ => None,
        },
        Function::ArrayRange => match args {
            [start, end, step] => range(truncated(start)?, truncated(end)?, truncated(step)?),
            _ => None,
        },
        Function::ArrayGetItem => match args {
            // AWS answers null for any index into an empty array.
            [Value::Array(items), index] if items.is_empty() => truncated(index).map(|_| Value::Null),
            [Value::Array(items), index] => {
                let i = usize::try_from(truncated(index)?).ok()?;
                items.get(i).cloned()
            }
            _ => None,
        },
        Function::ArrayLength => match args {
            [Value::Array(items)] => Some(Value::from(items.len())),
            _ => None,
        },
        Function::ArrayUnique => match args {
            [Value::Array(items)] => {
                let mut unique: Vec<Value> = Vec::with_capacity(items.len());
                for item in items.iter() {
                    if !unique.contains(item) {
                        unique.push(item.clone());
                    }
                }
                Some(Value::from(unique))
            }
            _ => None,
        },
        Function::Base64Encode => match args {
            [Value::String(s)] if utf16_len(s) <= MAX_TEXT_UNITS => {
                Some(Value::build_string(&mut |out| base64::encode_into(out, s.as_bytes())))
            }
            _ => None,
        },
        Function::Base64Decode => match args {
            [Value::String(s)] if utf16_len(s) <= MAX_TEXT_UNITS => {
                Some(Value::from(String::from_utf8_lossy(&base64::decode_lenient(s)).into_owned()))
            }
            _ => None,
        },
        Function::Hash => match args {
            [data, Value::String(algorithm)] => {
                let text = match data {
                    Value::String(s) => std::borrow::Cow::Borrowed(&**s),
                    other => std::borrow::Cow::Owned(java::text(other)),
                };
                if utf16_len(&text) > MAX_TEXT_UNITS {
                    return None;
                }
                digest::hex_digest_with(algorithm, text.as_bytes(), |hex| Value::from(hex))
            }
            _ => None,
        },
        Function::JsonMerge => match args {
            [Value::Object(a), Value::Object(b), Value::Bool(false)] => Some(merge(a, b)),
            _ => None,
        },
        Function::MathRandom => match args {
            [start, end] => random(truncated(start)?, truncated(end)?, None, env),
            [start, end, seed] => random(truncated(start)?, truncated(end)?, Some(truncated(seed)?), env),
            _ => None,
        },
        Function::MathAdd => match args {
            [a, b] => Some(Value::from(rounded_int(a)? + rounded_int(b)?)),
            _ => None,
        },
        Function::StringSplit => match args {
            [Value::String(s), Value::String(delimiters)] => Some(Value::from(
                s.split(|c: char| delimiters.contains(c))
                    .filter(|t| !t.is_empty())
                    .map(Value::from)
                    .collect::<Vec<_>>(),
            )),
            _ => None,
        },
        Function::Uuid => match args {
            [] => Some(Value::from(crate::random::uuid_v4(env.random))),
            _ => None,
        },
    }
}

/// The length in UTF-16 units: one per character, two for those beyond the BMP (whose
/// UTF-8 form starts with a byte from 0xF0).
fn utf16_len(s: &str) -> usize {
    s.bytes().map(|b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0)).sum()
}

/// A number argument with its fraction dropped (Java's `(int)`-style narrowing).
fn truncated(v: &Value) -> Option<i64> {
    let n = v.as_number()?;
    Some(n.as_i64().unwrap_or_else(|| n.as_f64().trunc() as i64))
}

/// A `States.MathAdd` operand: rounded half up, and within Java's `int` range.
fn rounded_int(v: &Value) -> Option<i64> {
    let n = v.as_number()?;
    let i = n.as_i64().unwrap_or_else(|| java::round(n.as_f64()) as i64);
    i32::try_from(i).ok().map(i64::from)
}

fn format(args: &[Value], template: Option<Option<&[Piece]>>) -> Option<Value> {
    let (first, rest) = args.split_first()?;
    let Value::String(text) = first else { return None };
    let parsed;
    let pieces: &[Piece] = match template {
        Some(literal) => literal?,
        None => {
            parsed = runtime_template(text)?;
            &parsed
        }
    };
    if pieces.iter().filter(|p| **p == Piece::Placeholder).count() != rest.len() {
        return None;
    }
    let mut values = rest.iter();
    // Every placeholder has its value (counted above).
    Some(Value::build_string(&mut |out| {
        for piece in pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Placeholder => {
                    if let Some(v) = values.next() {
                        java::write_text(out, v);
                    }
                }
            }
        }
    }))
}

/// The pieces of a template that came from data rather than a literal: `{}` placeholders,
/// and a lone brace makes it malformed.
fn runtime_template(text: &str) -> Option<Vec<Piece>> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                pieces.push(Piece::Text(std::mem::take(&mut current)));
                pieces.push(Piece::Placeholder);
            }
            '{' | '}' => return None,
            c => current.push(c),
        }
    }
    pieces.push(Piece::Text(current));
    Some(pieces)
}

fn range(start: i64, end: i64, step: i64) -> Option<Value> {
    if step == 0 {
        return None;
    }
    let (start, end, step) = (i128::from(start), i128::from(end), i128::from(step));
    let count = if (step > 0 && start > end) || (step < 0 && start < end) { 0 } else { (end - start) / step + 1 };
    if count > i128::from(MAX_RANGE_ITEMS) {
        return None;
    }
    let items: Option<Vec<Value>> = (0..count).map(|k| i64::try_from(start + k * step).ok().map(Value::from)).collect();
    items.map(Value::from)
}

/// Shallow merge, the second object's values winning, keys in Java `HashMap` order.
fn merge(a: &Rc<Map>, b: &Rc<Map>) -> Value {
    let mut merged: Map = (**a).clone();
    for (k, v) in b.iter() {
        merged.insert(k.clone(), v.clone());
    }
    let order = java::hash_map_order(merged.keys().map(|k| &**k));
    let entries: Vec<(Rc<str>, Value)> = merged.into_iter().collect();
    Value::from(order.into_iter().filter_map(|i| entries.get(i).cloned()).collect::<Map>())
}

/// A random integer in `[start, end)`: from `java.util.Random(seed)` when seeded, from the
/// run's random source otherwise.
fn random(start: i64, end: i64, seed: Option<i64>, env: &mut Env) -> Option<Value> {
    if start >= end {
        return None;
    }
    let span = end.checked_sub(start)?;
    let bound = i32::try_from(span).ok()?;
    let offset = match seed {
        Some(seed) => i64::from(java::JavaRandom::new(seed).next_int(bound)),
        None => (env.random.next_u64() % span as u64) as i64,
    };
    Some(Value::from(start + offset))
}
