//! What AWS's Java runtime shows through: `toString()` of JSON values as Java collections
//! (used by `States.Format`, `States.ArrayContains` and Jayway's messages), Java class names,
//! `java.util.Random` (seeded `States.MathRandom`), `Math.round`, and `HashMap` iteration
//! order (`States.JsonMerge`).

use crate::value::{Number, Value};

/// The value as Java's `toString()` prints it once mapped to Java objects: strings bare,
/// `null`, numbers as `Long`/`Double` print them, lists as `[a, b]`, maps as `{k=v, k2=v2}`.
pub(crate) fn text(v: &Value) -> String {
    let mut out = String::new();
    write_text(&mut out, v);
    out
}

/// Appends [`text`] of `v` to `out`.
pub(crate) fn write_text(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => n.write_to(out),
        Value::String(s) => out.push_str(s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_text(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push('=');
                write_text(out, item);
            }
            out.push('}');
        }
    }
}

/// The Java class a JSON value maps to (as Jayway names it in messages); `null` for null.
pub(crate) fn class_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "java.lang.Boolean",
        Value::Number(Number::Int(i)) if i32::try_from(*i).is_ok() => "java.lang.Integer",
        Value::Number(Number::Int(_)) => "java.lang.Long",
        Value::Number(Number::Float(_)) => "java.lang.Double",
        Value::String(_) => "java.lang.String",
        Value::Array(_) => "java.util.ArrayList",
        Value::Object(_) => "java.util.LinkedHashMap",
    }
}

/// Java's `Math.round(double)`: halves round towards positive infinity.
pub(crate) fn round(x: f64) -> f64 {
    (x + 0.5).floor()
}

/// `java.util.Random`: the 48-bit linear congruential generator, so that a seeded
/// `States.MathRandom` gives the numbers a Java implementation gives.
pub(crate) struct JavaRandom {
    seed: u64,
}

const MULTIPLIER: u64 = 0x5_DEEC_E66D;
const MASK: u64 = (1 << 48) - 1;

impl JavaRandom {
    pub(crate) fn new(seed: i64) -> JavaRandom {
        JavaRandom { seed: (seed as u64 ^ MULTIPLIER) & MASK }
    }

    fn next(&mut self, bits: u32) -> i32 {
        self.seed = (self.seed.wrapping_mul(MULTIPLIER).wrapping_add(0xB)) & MASK;
        (self.seed >> (48 - bits)) as i32
    }

    /// `nextInt(bound)` for a positive `bound`.
    pub(crate) fn next_int(&mut self, bound: i32) -> i32 {
        let m = bound - 1;
        let mut r = self.next(31);
        if bound & m == 0 {
            return ((bound as i64 * r as i64) >> 31) as i32;
        }
        let mut u = r;
        loop {
            r = u % bound;
            if u.wrapping_sub(r).wrapping_add(m) >= 0 {
                return r;
            }
            u = self.next(31);
        }
    }
}

/// Java's `String.hashCode()` (over UTF-16 code units).
fn string_hash(s: &str) -> u32 {
    s.encode_utf16().fold(0u32, |h, unit| h.wrapping_mul(31).wrapping_add(unit as u32))
}

/// The order in which a `java.util.HashMap` filled with `keys` (in this order) iterates them:
/// by bucket (spread hash masked to the table size), insertion order within a bucket. Returns
/// the positions of `keys` in iteration order.
pub(crate) fn hash_map_order<'k>(keys: impl ExactSizeIterator<Item = &'k str>) -> Vec<usize> {
    let n = keys.len();
    let mut capacity = 16usize;
    while n * 4 > capacity * 3 {
        capacity *= 2;
    }
    let mut buckets: Vec<(usize, usize)> = keys
        .enumerate()
        .map(|(i, k)| {
            let h = string_hash(k);
            (((h ^ (h >> 16)) as usize) & (capacity - 1), i)
        })
        .collect();
    crate::sort::sort(&mut buckets); // stable by (bucket, insertion index)
    buckets.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn java_to_string_of_collections() {
        let v = json::parse(r#"{"Arg1": 1, "Arg2": [], "s": "x", "n": null, "f": 1.5, "l": [1, "a", true]}"#).unwrap();
        assert_eq!(text(&v), "{Arg1=1, Arg2=[], s=x, n=null, f=1.5, l=[1, a, true]}");
    }

    #[test]
    fn java_random_matches_known_sequence() {
        // Checked against the JDK: new Random(42).nextInt(100) three times, new
        // Random(0).nextInt(16) (the power-of-two branch), new Random(-10).nextInt(9).
        let mut r = JavaRandom::new(42);
        assert_eq!([r.next_int(100), r.next_int(100), r.next_int(100)], [30, 63, 48]);
        assert_eq!(JavaRandom::new(0).next_int(16), 11);
        assert_eq!(JavaRandom::new(-10).next_int(9), 0);
    }

    #[test]
    fn math_round_rounds_half_up() {
        assert_eq!(round(2.5), 3.0);
        assert_eq!(round(-2.5), -2.0);
        assert_eq!(round(-0.5), 0.0);
        assert_eq!(round(1.49), 1.0);
    }

    #[test]
    fn hash_map_order_follows_buckets() {
        let keys = ["constant_in_literal", "constant_input_field"];
        assert_eq!(hash_map_order(keys.iter().copied()), vec![1, 0]);
        assert_eq!(hash_map_order(["a", "b", "c", "d"].iter().copied()), vec![0, 1, 2, 3]);
    }
}
