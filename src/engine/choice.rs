//! Choice rules: evaluating a condition against the state's effective input.

use crate::definition::model::{Condition, Operand, Operator};
use crate::query::{Env, EvalError};
use crate::time::parse_rfc3339;
use crate::value::Value;
use std::cmp::Ordering;

/// Whether `condition` holds. Comparisons of mismatched types are false, as in AWS; a path
/// that selects nothing is an error for every operator but `IsPresent`.
pub fn holds(condition: &Condition, env: &Env) -> Result<bool, EvalError> {
    match condition {
        Condition::And(cs) => {
            for c in cs {
                if !holds(c, env)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        Condition::Or(cs) => {
            for c in cs {
                if holds(c, env)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Condition::Not(c) => Ok(!holds(c, env)?),
        Condition::Compare { variable, op, operand } => {
            let value = variable.select(env).ok();
            if *op == Operator::IsPresent {
                return Ok(value.is_some() == operand_bool(operand));
            }
            let Some(value) = value else {
                return Err(EvalError::runtime(format!(
                    "Invalid path '{}': The choice state's condition path references an invalid value.",
                    variable.text()
                )));
            };
            let expected = match operand {
                Operand::Literal(v) => v.clone(),
                Operand::Path(p) => p.select(env).map_err(|_| {
                    EvalError::runtime(format!(
                        "Invalid path '{}': The choice state's condition path references an invalid value.",
                        p.text()
                    ))
                })?,
            };
            Ok(compare(*op, &value, &expected))
        }
        Condition::Jsonata(_) => Err(EvalError::runtime("JSONata conditions are evaluated by the JSONata engine")),
    }
}

fn operand_bool(o: &Operand) -> bool {
    matches!(o, Operand::Literal(Value::Bool(true)))
}

/// Applies a comparison operator to the selected value and the operand's value.
pub fn compare(op: Operator, value: &Value, expected: &Value) -> bool {
    use Operator::*;
    let ord = |o: Option<Ordering>, want: fn(Ordering) -> bool| o.is_some_and(want);
    match op {
        StringEquals | StringLessThan | StringGreaterThan | StringLessThanEquals | StringGreaterThanEquals => {
            let (Some(a), Some(b)) = (value.as_str(), expected.as_str()) else { return false };
            ord(Some(a.cmp(b)), order_test(op))
        }
        StringMatches => match (value.as_str(), expected.as_str()) {
            (Some(s), Some(p)) => string_matches(s, p),
            _ => false,
        },
        NumericEquals | NumericLessThan | NumericGreaterThan | NumericLessThanEquals | NumericGreaterThanEquals => {
            let (Some(a), Some(b)) = (value.as_number(), expected.as_number()) else { return false };
            let o = match (a, b) {
                (crate::Number::Int(x), crate::Number::Int(y)) => Some(x.cmp(&y)),
                _ => a.as_f64().partial_cmp(&b.as_f64()),
            };
            ord(o, order_test(op))
        }
        BooleanEquals => matches!((value, expected), (Value::Bool(a), Value::Bool(b)) if a == b),
        TimestampEquals
        | TimestampLessThan
        | TimestampGreaterThan
        | TimestampLessThanEquals
        | TimestampGreaterThanEquals => {
            let (Some(a), Some(b)) =
                (value.as_str().and_then(parse_rfc3339), expected.as_str().and_then(parse_rfc3339))
            else {
                return false;
            };
            ord(Some(a.cmp(&b)), order_test(op))
        }
        IsNull => value.is_null() == (expected == &Value::Bool(true)),
        IsPresent => true,
        IsNumeric => value.is_number() == (expected == &Value::Bool(true)),
        IsString => value.is_string() == (expected == &Value::Bool(true)),
        IsBoolean => matches!(value, Value::Bool(_)) == (expected == &Value::Bool(true)),
        IsTimestamp => value.as_str().and_then(parse_rfc3339).is_some() == (expected == &Value::Bool(true)),
    }
}

fn order_test(op: Operator) -> fn(Ordering) -> bool {
    use Operator::*;
    match op {
        StringEquals | NumericEquals | TimestampEquals => |o| o == Ordering::Equal,
        StringLessThan | NumericLessThan | TimestampLessThan => |o| o == Ordering::Less,
        StringGreaterThan | NumericGreaterThan | TimestampGreaterThan => |o| o == Ordering::Greater,
        StringLessThanEquals | NumericLessThanEquals | TimestampLessThanEquals => |o| o != Ordering::Greater,
        _ => |o| o != Ordering::Less,
    }
}

/// `StringMatches`: `*` matches any run of characters; `\*` is a literal star and `\\` a
/// literal backslash. Nothing else is special.
pub fn string_matches(s: &str, pattern: &str) -> bool {
    // Tokens: Some(c) a literal char, None a star.
    let mut tokens = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e) => tokens.push(Some(e)),
                None => tokens.push(Some('\\')),
            },
            '*' => tokens.push(None),
            c => tokens.push(Some(c)),
        }
    }
    let text: Vec<char> = s.chars().collect();
    // Greedy matching with backtracking to the last star: linear in practice.
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match tokens.get(p) {
            Some(Some(c)) if *c == text[t] => {
                t += 1;
                p += 1;
            }
            Some(None) => {
                star = Some((p, t));
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    tokens[p..].iter().all(Option::is_none)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_matches_only_star_is_special() {
        assert!(string_matches("log-2024.txt", "log-*.txt"));
        assert!(string_matches("abc", "*"));
        assert!(string_matches("", "*"));
        assert!(!string_matches("abc", "a?c"));
        assert!(string_matches("a?c", "a?c"));
        assert!(string_matches("a*c", "a\\*c"));
        assert!(!string_matches("abc", "a\\*c"));
        assert!(string_matches("a\\c", "a\\\\c"));
        assert!(string_matches("aXbXc", "*b*c"));
        assert!(!string_matches("abcd", "*b*c"));
    }

    #[test]
    fn mismatched_types_are_false() {
        assert!(!compare(Operator::NumericEquals, &Value::from("1"), &Value::from(1)));
        assert!(compare(Operator::NumericEquals, &Value::from(1.0), &Value::from(1)));
        assert!(!compare(Operator::StringEquals, &Value::from(1), &Value::from("1")));
        assert!(compare(
            Operator::TimestampLessThan,
            &Value::from("2020-01-01T00:00:00Z"),
            &Value::from("2020-01-01T00:00:01Z")
        ));
    }
}
