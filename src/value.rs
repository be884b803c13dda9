//! JSON values as the interpreter holds them: immutable, cheaply cloned, shared.
//!
//! A state's output is often its input with one field changed, and the history keeps every
//! intermediate value. `Value` therefore shares strings, arrays and objects through `Rc`:
//! cloning is a reference-count increment, and `Rc::make_mut` copies a container only when
//! it is both shared and about to be changed. Objects keep their keys in insertion order,
//! as AWS prints them.

use crate::hash_index::{hash_str, locate, HashIndex};
use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

/// A JSON value.
///
/// ```
/// use aslplay::{json, Value};
/// let v = json::parse(r#"{"a": [1, 2.5, "x"]}"#).unwrap();
/// assert_eq!(v.get("a").and_then(|a| a.index(1)), Some(&Value::from(2.5)));
/// ```
#[derive(Clone, Debug, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(Rc<str>),
    Array(Rc<Vec<Value>>),
    Object(Rc<Map>),
}

/// A JSON number: an integer when the text had neither fraction nor exponent and fits in
/// 64 bits, a double otherwise. Integers and doubles with the same value compare equal.
#[derive(Clone, Copy, Debug)]
pub enum Number {
    Int(i64),
    Float(f64),
}

/// A map from string keys to values, keys in insertion order: the JSON object (`Map`, of
/// [`Value`]s) and every other string-keyed table of the crate (`Map<V>`: JSONata's objects,
/// mocked responses by state, the source map's positions, ...). Lookups are linear, which is
/// fastest for the small objects state machines pass around; a large map (a machine's
/// `States`) keeps a hash index of its keys from its 32nd member on.
#[derive(Clone, Debug)]
pub struct Map<V = Value> {
    entries: Vec<(Rc<str>, V)>,
    /// Key → position, kept for large maps.
    index: Option<HashIndex>,
}

/// Maps at least this large get a hash index for lookups.
const INDEXED_FROM: usize = 32;

impl<V> Default for Map<V> {
    fn default() -> Map<V> {
        Map { entries: Vec::new(), index: None }
    }
}

impl<V: PartialEq> PartialEq for Map<V> {
    fn eq(&self, other: &Map<V>) -> bool {
        self.entries == other.entries
    }
}

impl Number {
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }

    /// The value as an integer when it has no fractional part and fits.
    pub fn as_i64(self) -> Option<i64> {
        match self {
            Number::Int(i) => Some(i),
            Number::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => Some(f as i64),
            Number::Float(_) => None,
        }
    }

    pub fn is_integer(self) -> bool {
        matches!(self, Number::Int(_))
    }

    /// A double as JSONata's results hold it: an `Int` when it is integral and within ±2^53
    /// (so `-0.0` becomes `0`), otherwise a `Float` (non-finite doubles included).
    pub fn from_f64(f: f64) -> Number {
        if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 {
            Number::Int(f as i64)
        } else {
            Number::Float(f)
        }
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Number) -> bool {
        match (self, other) {
            (Number::Int(a), Number::Int(b)) => a == b,
            _ => self.as_f64() == other.as_f64(),
        }
    }
}

impl fmt::Display for Number {
    /// Formats as the Java JSON library behind AWS Step Functions does for JSONPath states:
    /// integers as written, doubles with a fraction (`1.0`) and with an exponent outside
    /// `[1e-3, 1e7)` (`1.0E7`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Number::Int(i) => f.write_str(IntText::new(i).as_str()),
            Number::Float(x) => write_java_double(f, x),
        }
    }
}

impl Number {
    /// Appends the number's text (as `Display` prints it) to `out`; integers skip the
    /// formatting machinery, which matters where many numbers are printed.
    #[cfg_attr(aslplay_speed, optimize(speed))]
    pub fn write_to(self, out: &mut String) {
        match self {
            // Digits pushed one by one: no str to make (and validate) of a buffer.
            Number::Int(i) => {
                let text = IntText::new(i);
                for &b in text.bytes.get(text.start..).unwrap_or_default() {
                    out.push(char::from(b));
                }
            }
            Number::Float(x) => {
                let _ = write_java_double(out, x);
            }
        }
    }
}

/// The decimal digits of an `i64`, written backwards into a stack buffer.
struct IntText {
    bytes: [u8; 20],
    start: usize,
}

impl IntText {
    fn new(i: i64) -> IntText {
        let mut t = IntText { bytes: [0; 20], start: 20 };
        let mut x = i.unsigned_abs();
        loop {
            t.start -= 1;
            t.bytes[t.start] = b'0' + (x % 10) as u8;
            x /= 10;
            if x == 0 {
                break;
            }
        }
        if i < 0 {
            t.start -= 1;
            t.bytes[t.start] = b'-';
        }
        t
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(self.bytes.get(self.start..).unwrap_or_default()).unwrap_or_default()
    }
}

fn write_java_double(f: &mut impl fmt::Write, x: f64) -> fmt::Result {
    if !x.is_finite() {
        // JSON has no representation; AWS never produces these. Print null like JSON.stringify.
        return f.write_str("null");
    }
    if x == 0.0 {
        return f.write_str(if x.is_sign_negative() { "-0.0" } else { "0.0" });
    }
    let a = x.abs();
    if (1e-3..1e7).contains(&a) {
        // JavaScript prints these plainly with the same shortest digits as Java: "0.001", "1.5".
        let text = crate::host::to_string(x);
        f.write_str(&text)?;
        if !text.contains('.') {
            f.write_str(".0")?;
        }
        Ok(())
    } else {
        // The shortest round-trip digits: "1.5e-7", "1e+21" in JavaScript, "1.5E-7", "1.0E21" in Java.
        let text = crate::host::to_exponential(x, None);
        let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
        let exp = exp.trim_start_matches('+');
        if mantissa.contains('.') {
            write!(f, "{mantissa}E{exp}")
        } else {
            write!(f, "{mantissa}.0E{exp}")
        }
    }
}

impl<V> Map<V> {
    pub fn new() -> Map<V> {
        Map { entries: Vec::new(), index: None }
    }

    pub fn with_capacity(n: usize) -> Map<V> {
        Map { entries: Vec::with_capacity(n), index: None }
    }

    /// Where `key` stands among the members (0 for the first), if it is there.
    #[cfg_attr(aslplay_speed, optimize(speed))]
    pub(crate) fn position(&self, key: &str) -> Option<usize> {
        locate(&self.entries, self.index.as_ref(), key).0
    }

    /// An index of the members' keys, once there are enough of them.
    fn build_index(&self) -> Option<HashIndex> {
        (self.entries.len() >= INDEXED_FROM).then(|| HashIndex::of_entries(&self.entries))
    }

    /// Appends a member whose key is not there yet (its hash given when known), keeping the index.
    fn append(&mut self, key: Rc<str>, hash: Option<u64>, value: V) {
        if let Some(index) = &mut self.index {
            index.insert(hash.unwrap_or_else(|| hash_str(&key)), self.entries.len());
        }
        self.entries.push((key, value));
        if self.index.is_none() {
            self.index = self.build_index();
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        self.position(key).map(|i| &self.entries[i].1)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        let i = self.position(key)?;
        Some(&mut self.entries[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// Sets `key` to `value`: in place when the key exists (keeping its position), else at
    /// the end. Returns the previous value.
    pub fn insert(&mut self, key: impl Into<Rc<str>>, value: V) -> Option<V> {
        let key = key.into();
        let (found, hash) = locate(&self.entries, self.index.as_ref(), &key);
        match found.and_then(|i| self.entries.get_mut(i)) {
            Some((_, slot)) => Some(std::mem::replace(slot, value)),
            None => {
                self.append(key, hash, value);
                None
            }
        }
    }

    /// Sets `key` to `value` in place when the key exists; else puts it at the position
    /// `place` chooses among the keys (`None`: at the end).
    pub(crate) fn insert_placed(&mut self, key: Rc<str>, value: V, place: impl FnOnce(&Self) -> Option<usize>) {
        let (found, hash) = locate(&self.entries, self.index.as_ref(), &key);
        if let Some((_, slot)) = found.and_then(|i| self.entries.get_mut(i)) {
            *slot = value;
            return;
        }
        match place(self) {
            Some(at) if at < self.entries.len() => {
                self.entries.insert(at, (key, value));
                if self.index.is_some() || self.entries.len() >= INDEXED_FROM {
                    self.index = Some(HashIndex::of_entries(&self.entries));
                }
            }
            _ => self.append(key, hash, value),
        }
    }

    /// The value of `key`, first adding `make()` at the end when the key is not there.
    pub fn get_or_insert_with(&mut self, key: &str, make: impl FnOnce() -> V) -> &mut V {
        let (found, hash) = locate(&self.entries, self.index.as_ref(), key);
        let i = match found {
            Some(i) => i,
            None => {
                self.append(Rc::from(key), hash, make());
                self.entries.len() - 1
            }
        };
        &mut self.entries[i].1
    }

    /// Appends without looking for an existing key; the caller knows it is new.
    pub fn push_unique(&mut self, key: impl Into<Rc<str>>, value: V) {
        self.append(key.into(), None, value);
    }

    pub fn remove(&mut self, key: &str) -> Option<V> {
        let i = self.position(key)?;
        let removed = self.entries.remove(i).1;
        if self.index.is_some() {
            self.index = self.build_index();
        }
        Some(removed)
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&Rc<str>, &V)> + DoubleEndedIterator {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl ExactSizeIterator<Item = &Rc<str>> {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl ExactSizeIterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }
}

impl<V> FromIterator<(Rc<str>, V)> for Map<V> {
    /// A map of the pairs; of pairs with equal keys the last one's value wins, at the first
    /// one's place.
    fn from_iter<I: IntoIterator<Item = (Rc<str>, V)>>(iter: I) -> Map<V> {
        let mut m = Map::new();
        for (k, v) in iter {
            m.insert(k, v);
        }
        m
    }
}

impl<V> IntoIterator for Map<V> {
    type Item = (Rc<str>, V);
    type IntoIter = std::vec::IntoIter<(Rc<str>, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }
    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }
    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }
    pub fn is_number(&self) -> bool {
        matches!(self, Value::Number(_))
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_number(&self) -> Option<Number> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        self.as_number().map(Number::as_f64)
    }
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }
    pub fn as_array(&self) -> Option<&Rc<Vec<Value>>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }
    pub fn as_object(&self) -> Option<&Rc<Map>> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The member `key` of an object; `None` for a missing key or a non-object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.get(key)
    }

    /// The element `i` of an array; `None` when out of range or not an array.
    pub fn index(&self, i: usize) -> Option<&Value> {
        self.as_array()?.get(i)
    }

    /// The JSON type's name as AWS error messages spell it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    /// An empty object.
    pub fn object() -> Value {
        Value::Object(Rc::new(Map::new()))
    }

    /// Same allocation (for containers) or same scalar: a cheap test before a deep compare.
    pub fn ptr_eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Array(a), Value::Array(b)) => Rc::ptr_eq(a, b),
            (Value::Object(a), Value::Object(b)) => Rc::ptr_eq(a, b),
            (Value::String(a), Value::String(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        if self.ptr_eq(other) {
            return true;
        }
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Array(a), Value::Array(b)) => a == b,
            // Key order does not matter for equality.
            (Value::Object(a), Value::Object(b)) => a.len() == b.len() && a.iter().all(|(k, v)| b.get(k) == Some(v)),
            _ => false,
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Number(Number::Int(i))
    }
}
impl From<i32> for Value {
    fn from(i: i32) -> Value {
        Value::Number(Number::Int(i as i64))
    }
}
impl From<usize> for Value {
    fn from(i: usize) -> Value {
        Value::Number(Number::Int(i as i64))
    }
}
impl From<f64> for Value {
    fn from(f: f64) -> Value {
        Value::Number(Number::Float(f))
    }
}
impl From<Number> for Value {
    fn from(n: Number) -> Value {
        Value::Number(n)
    }
}
impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(Rc::from(s))
    }
}
thread_local! {
    /// The buffer [`Value::build_string`] writes into, kept from one call to the next.
    static SCRATCH: RefCell<String> = const { RefCell::new(String::new()) };
}

/// A scratch buffer larger than this is not kept after use.
const SCRATCH_KEPT: usize = 1 << 16;

impl Value {
    /// A string value written by `write` into a buffer kept between calls. The value's own
    /// allocation is the only one, where writing a fresh `String` and converting it to a
    /// value allocates it, grows it and frees it.
    pub fn build_string(write: &mut dyn FnMut(&mut String)) -> Value {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut buf) => {
                buf.clear();
                write(&mut buf);
                let value = Value::from(buf.as_str());
                if buf.capacity() > SCRATCH_KEPT {
                    *buf = String::new();
                }
                value
            }
            // Called again from inside `write`: a buffer of its own.
            Err(_) => {
                let mut s = String::new();
                write(&mut s);
                Value::from(s)
            }
        })
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(Rc::from(s))
    }
}
impl From<Rc<str>> for Value {
    fn from(s: Rc<str>) -> Value {
        Value::String(s)
    }
}
impl From<Vec<Value>> for Value {
    fn from(v: Vec<Value>) -> Value {
        Value::Array(Rc::new(v))
    }
}
impl From<Map> for Value {
    fn from(m: Map) -> Value {
        Value::Object(Rc::new(m))
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(o: Option<T>) -> Value {
        o.map_or(Value::Null, Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_string_reuses_its_buffer_and_nests() {
        let a = Value::build_string(&mut |out| out.push_str("first"));
        // A build inside a build writes to a buffer of its own.
        let b = Value::build_string(&mut |out| {
            out.push('<');
            let inner = Value::build_string(&mut |o| o.push_str("inner"));
            out.push_str(inner.as_str().unwrap_or_default());
            out.push('>');
        });
        let big = Value::build_string(&mut |out| out.push_str(&"x".repeat(SCRATCH_KEPT + 1)));
        let after = Value::build_string(&mut |out| out.push_str("after"));
        assert_eq!(a, Value::from("first"));
        assert_eq!(b, Value::from("<inner>"));
        assert_eq!(big.as_str().map(str::len), Some(SCRATCH_KEPT + 1));
        assert_eq!(after, Value::from("after"));
        assert!(SCRATCH.with(|s| s.borrow().capacity()) <= SCRATCH_KEPT);
    }

    #[test]
    fn integers_print_as_written() {
        for (i, text) in
            [(0, "0"), (7, "7"), (-7, "-7"), (1234567890, "1234567890"), (i64::MIN, "-9223372036854775808")]
        {
            let mut out = String::from(">");
            Number::Int(i).write_to(&mut out);
            assert_eq!(out, format!(">{text}"));
        }
    }

    #[test]
    fn numbers_compare_by_value() {
        assert_eq!(Value::from(1), Value::from(1.0));
        assert_ne!(Value::from(1), Value::from(1.5));
    }

    #[test]
    fn doubles_that_are_safe_integers_become_ints() {
        assert!(matches!(Number::from_f64(3.0), Number::Int(3)));
        assert!(matches!(Number::from_f64(-0.0), Number::Int(0)));
        assert!(matches!(Number::from_f64(9_007_199_254_740_992.0), Number::Int(9_007_199_254_740_992)));
        assert!(matches!(Number::from_f64(9_007_199_254_740_994.0), Number::Float(_)));
        assert!(matches!(Number::from_f64(0.5), Number::Float(_)));
        assert!(matches!(Number::from_f64(f64::NAN), Number::Float(_)));
    }

    #[test]
    fn java_style_doubles() {
        let f = |x: f64| Number::Float(x).to_string();
        assert_eq!(f(1.0), "1.0");
        assert_eq!(f(2.5), "2.5");
        assert_eq!(f(1e7), "1.0E7");
        assert_eq!(f(1.5e-7), "1.5E-7");
        assert_eq!(f(0.001), "0.001");
    }

    #[test]
    fn large_maps_are_indexed_and_stay_right_after_changes() {
        let mut m = Map::new();
        for i in 0..100 {
            m.insert(format!("k{i}"), Value::from(i));
        }
        assert_eq!(m.get("k57"), Some(&Value::from(57)));
        m.remove("k10");
        assert_eq!(m.get("k57"), Some(&Value::from(57)));
        assert_eq!(m.get("k10"), None);
        m.insert("k10", Value::from(-1));
        assert_eq!(m.keys().last().map(|k| &**k), Some("k10"));
        assert_eq!(m.get("k10"), Some(&Value::from(-1)));
        *m.get_mut("k99").unwrap() = Value::Null;
        assert_eq!(m.get("k99"), Some(&Value::Null));
    }

    #[test]
    fn insert_keeps_position() {
        let mut m = Map::new();
        m.insert("a", 1.into());
        m.insert("b", 2.into());
        m.insert("a", 3.into());
        let keys: Vec<&str> = m.keys().map(|k| &**k).collect();
        assert_eq!(keys, ["a", "b"]);
        assert_eq!(m.get("a"), Some(&Value::from(3)));
    }

    #[test]
    fn a_map_keeps_insertion_order_and_replaces_in_place() {
        let mut m: Map<i32> = Map::new();
        assert_eq!(m.get(""), None);
        assert_eq!(m.insert(Rc::from("b"), 1), None);
        assert_eq!(m.insert(Rc::from("a"), 2), None);
        assert_eq!(m.insert(Rc::from("c"), 3), None);
        assert_eq!(m.insert(Rc::from("a"), 20), Some(2));
        let pairs: Vec<(&str, i32)> = m.iter().map(|(k, v)| (&**k, *v)).collect();
        assert_eq!(pairs, [("b", 1), ("a", 20), ("c", 3)]);
        assert_eq!(m.get("a"), Some(&20));
        assert!(m.contains_key("c") && !m.contains_key("d"));
        *m.get_mut("c").unwrap() += 1;
        assert_eq!(m.get("c"), Some(&4));
        *m.get_or_insert_with("d", || 0) += 5;
        *m.get_or_insert_with("d", || 100) += 5;
        assert_eq!(m.get("d"), Some(&10));
        let collected: Map<i32> = [("x", 1), ("y", 2), ("x", 3)].into_iter().map(|(k, v)| (Rc::from(k), v)).collect();
        assert_eq!(collected.iter().map(|(k, v)| (&**k, *v)).collect::<Vec<_>>(), [("x", 3), ("y", 2)]);
    }

    #[test]
    fn a_map_of_any_values_holds_many_keys() {
        let mut m: Map<usize> = Map::new();
        for i in 0..20_000 {
            m.insert(Rc::from(format!("k{i}")), i);
        }
        assert_eq!(m.iter().count(), 20_000);
        assert!((0..20_000).all(|i| m.get(&format!("k{i}")) == Some(&i)));
        assert_eq!(m.get("k20000"), None);
    }
}
