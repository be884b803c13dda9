//! The built-in function library (`$sum` … `$eval`), with the reference's signatures,
//! arities and error codes, plus the helpers other modules share (truthiness, deep clone,
//! regex match objects, the sort the reference uses).

use std::rc::Rc;

use super::datetime;
use super::error::{Error, ErrorExt, Fail, R};
use super::number::{self, precision15};
use super::regex::Regex;
use super::value::{
    append, deep_equal, lookup_field, stringify, Builtin, Evaluator, Func, OMap, Scope, Val, OUTER, SEQ,
};

/// The evaluator as the built-ins receive it.
type Ctx<'a> = dyn Evaluator + 'a;

macro_rules! builtins {
    ($($name:literal, $sig:literal, $arity:literal, $imp:expr;)*) => {
        static BUILTINS: &[Builtin] = &[$(Builtin { name: $name, signature: $sig, arity: $arity, imp: $imp }),*];
    };
}

builtins! {
    "sum", "<a<n>:n>", 1, f_sum;
    "count", "<a:n>", 1, f_count;
    "max", "<a<n>:n>", 1, f_max;
    "min", "<a<n>:n>", 1, f_min;
    "average", "<a<n>:n>", 1, f_average;
    "string", "<x-b?:s>", 1, f_string;
    "substring", "<s-nn?:s>", 3, f_substring;
    "substringBefore", "<s-s:s>", 2, f_substring_before;
    "substringAfter", "<s-s:s>", 2, f_substring_after;
    "lowercase", "<s-:s>", 1, f_lowercase;
    "uppercase", "<s-:s>", 1, f_uppercase;
    "length", "<s-:n>", 1, f_length;
    "trim", "<s-:s>", 1, f_trim;
    "pad", "<s-ns?:s>", 3, f_pad;
    "match", "<s-f<s:o>n?:a<o>>", 3, f_match;
    "contains", "<s-(sf):b>", 2, f_contains;
    "replace", "<s-(sf)(sf)n?:s>", 4, f_replace;
    "split", "<s-(sf)n?:a<s>>", 3, f_split;
    "join", "<a<s>s?:s>", 2, f_join;
    "formatNumber", "<n-so?:s>", 3, f_format_number;
    "formatBase", "<n-n?:s>", 2, f_format_base;
    "formatInteger", "<n-s:s>", 2, f_format_integer;
    "parseInteger", "<s-s:n>", 2, f_parse_integer;
    "number", "<(nsb)-:n>", 1, f_number;
    "floor", "<n-:n>", 1, f_floor;
    "ceil", "<n-:n>", 1, f_ceil;
    "round", "<n-n?:n>", 2, f_round;
    "abs", "<n-:n>", 1, f_abs;
    "sqrt", "<n-:n>", 1, f_sqrt;
    "power", "<n-n:n>", 2, f_power;
    "random", "<:n>", 0, f_random;
    "boolean", "<x-:b>", 1, f_boolean;
    "not", "<x-:b>", 1, f_not;
    "map", "<af>", 2, f_map;
    "zip", "<a+>", 0, f_zip;
    "filter", "<af>", 2, f_filter;
    "single", "<af?>", 2, f_single;
    "reduce", "<afj?:j>", 3, f_reduce;
    "sift", "<o-f?:o>", 2, f_sift;
    "keys", "<x-:a<s>>", 1, f_keys;
    "lookup", "<x-s:x>", 2, f_lookup;
    "append", "<xx:a>", 2, f_append;
    "exists", "<x:b>", 1, f_exists;
    "spread", "<x-:a<o>>", 1, f_spread;
    "merge", "<a<o>:o>", 1, f_merge;
    "reverse", "<a:a>", 1, f_reverse;
    "each", "<o-f:a>", 2, f_each;
    "error", "<s?:x>", 1, f_error;
    "assert", "<bs?:x>", 2, f_assert;
    "type", "<x:s>", 1, f_type;
    "sort", "<af?:a>", 2, f_sort;
    "shuffle", "<a:a>", 1, f_shuffle;
    "distinct", "<x:x>", 1, f_distinct;
    "base64encode", "<s-:s>", 1, f_base64encode;
    "base64decode", "<s-:s>", 1, f_base64decode;
    "encodeUrlComponent", "<s-:s>", 1, f_encode_url_component;
    "encodeUrl", "<s-:s>", 1, f_encode_url;
    "decodeUrlComponent", "<s-:s>", 1, f_decode_url_component;
    "decodeUrl", "<s-:s>", 1, f_decode_url;
    "eval", "<sx?:x>", 2, f_eval;
    "toMillis", "<s-s?:n>", 2, f_to_millis;
    "fromMillis", "<n-s?s?:s>", 3, f_from_millis;
    "clone", "<(oa)-:o>", 1, f_clone;
    "now", "<s?s?:s>", 2, f_now;
    "millis", "<:n>", 0, f_millis;
}

/// The names of the built-ins.
pub(crate) fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTINS.iter().map(|b| b.name)
}

/// The built-in named `name`.
pub(crate) fn builtin(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}

fn arg(a: &[Val], i: usize) -> Val {
    a.get(i).cloned().unwrap_or_default()
}

fn num(a: &[Val], i: usize) -> Option<f64> {
    a.get(i).and_then(Val::as_num)
}

fn string_arg(a: &[Val], i: usize) -> Option<Rc<str>> {
    match a.get(i) {
        Some(Val::Str(s)) => Some(s.clone()),
        _ => None,
    }
}

/// The effective boolean value (`fn.boolean`); `None` for undefined.
pub(crate) fn boolean(v: &Val) -> Option<bool> {
    Some(match v {
        Val::Undef => return None,
        Val::Null => false,
        Val::Bool(b) => *b,
        Val::Num(n) => *n != 0.0 && !n.is_nan(),
        Val::Str(s) => !s.is_empty(),
        Val::Func(_) => false,
        Val::JObj(_) | Val::Obj(_) => v.obj_len() > 0,
        Val::Tuples(_) | Val::JArr(..) | Val::Arr(..) => match v.len() {
            0 => false,
            1 => boolean(&v.at(0)).unwrap_or(false),
            _ => v.items().iter().any(|x| boolean(x) == Some(true)),
        },
    })
}

fn js_truthy(v: &Val) -> bool {
    match v {
        Val::Undef | Val::Null => false,
        Val::Bool(b) => *b,
        Val::Num(n) => *n != 0.0 && !n.is_nan(),
        Val::Str(s) => !s.is_empty(),
        _ => true,
    }
}

/// `fn.string` for a defined value.
pub(crate) fn to_js_string(v: &Val) -> R<String> {
    string_of(v, false)
}

fn string_of(v: &Val, pretty: bool) -> R<String> {
    match v {
        Val::Str(s) => Ok(s.to_string()),
        Val::Func(_) => Ok(String::new()),
        Val::Num(n) if !n.is_finite() => Err(Error::new("D3001").value(v.clone())),
        _ => {
            let v = if v.flags() & OUTER != 0 { v.at(0) } else { v.clone() };
            if let Some(bad) = non_finite(&v, 0) {
                return Err(Error::new("D1001").value(bad));
            }
            Ok(stringify(&v, pretty, true).unwrap_or_default())
        }
    }
}

fn non_finite(v: &Val, depth: usize) -> Option<Val> {
    if depth > 1000 {
        return None;
    }
    match v {
        Val::Num(n) if !n.is_finite() => Some(v.clone()),
        Val::Arr(..) => v.items().iter().find_map(|x| non_finite(x, depth + 1)),
        Val::Obj(_) => v.entries().iter().find_map(|(_, x)| non_finite(x, depth + 1)),
        _ => None,
    }
}

/// `$clone`: a deep copy through JSON text semantics, with fresh objects throughout.
pub(crate) fn deep_clone(v: &Val) -> Val {
    deep_clone_at(v, 0)
}

fn deep_clone_at(v: &Val, depth: usize) -> Val {
    if depth > super::limits::MAX_NESTING {
        return Val::Null;
    }
    match v {
        Val::Num(n) => Val::Num(precision15(*n)),
        Val::Func(_) => Val::str(""),
        Val::JArr(..) | Val::Arr(..) | Val::Tuples(_) => Val::array(
            v.items().iter().map(|x| if x.is_undef() { Val::Null } else { deep_clone_at(x, depth + 1) }).collect(),
        ),
        Val::JObj(_) | Val::Obj(_) => {
            let mut m = OMap::new();
            for (k, x) in v.entries() {
                if !x.is_undef() {
                    m.insert(k, deep_clone_at(&x, depth + 1));
                }
            }
            Val::Obj(Rc::new(m))
        }
        other => other.clone(),
    }
}

fn chars_of(s: &str) -> Vec<char> {
    s.chars().collect()
}

// ---- aggregation ----

fn numbers(v: &Val) -> Vec<f64> {
    v.items().iter().filter_map(Val::as_num).collect()
}

fn f_sum(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let v = arg(a, 0);
    if v.is_undef() {
        return Ok(Val::Undef);
    }
    Ok(Val::Num(numbers(&v).iter().sum()))
}

fn f_count(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let v = arg(a, 0);
    Ok(Val::Num(if v.is_undef() { 0.0 } else { v.len() as f64 }))
}

fn f_max(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let ns = numbers(&arg(a, 0));
    if ns.is_empty() {
        return Ok(Val::Undef);
    }
    Ok(Val::Num(ns.iter().copied().fold(f64::NEG_INFINITY, f64::max)))
}

fn f_min(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let ns = numbers(&arg(a, 0));
    if ns.is_empty() {
        return Ok(Val::Undef);
    }
    Ok(Val::Num(ns.iter().copied().fold(f64::INFINITY, f64::min)))
}

fn f_average(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let ns = numbers(&arg(a, 0));
    if ns.is_empty() {
        return Ok(Val::Undef);
    }
    Ok(Val::Num(ns.iter().sum::<f64>() / ns.len() as f64))
}

// ---- strings ----

fn f_string(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let v = arg(a, 0);
    if v.is_undef() {
        return Ok(Val::Undef);
    }
    let pretty = matches!(a.get(1), Some(Val::Bool(true)));
    Ok(Val::string(string_of(&v, pretty)?))
}

fn js_int(n: f64) -> i64 {
    if n.is_nan() {
        0
    } else if n.is_infinite() {
        if n > 0.0 {
            i64::MAX / 2
        } else {
            i64::MIN / 2
        }
    } else {
        n.trunc() as i64
    }
}

fn slice_chars(chars: &[char], start: i64, end: Option<i64>) -> String {
    let len = chars.len() as i64;
    let norm = |i: i64| if i < 0 { (len + i).max(0) } else { i.min(len) };
    let s = norm(start);
    let e = end.map(norm).unwrap_or(len);
    if s >= e {
        return String::new();
    }
    chars[s as usize..e as usize].iter().collect()
}

fn substring(s: &str, start: f64, length: Option<f64>) -> String {
    let chars = chars_of(s);
    let len = chars.len() as f64;
    let mut start = start;
    if len + start < 0.0 {
        start = 0.0;
    }
    match length {
        Some(l) => {
            if l <= 0.0 {
                return String::new();
            }
            let end = if start >= 0.0 { start + l } else { len + start + l };
            slice_chars(&chars, js_int(start), Some(js_int(end)))
        }
        None => slice_chars(&chars, js_int(start), None),
    }
}

fn f_substring(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let Some(s) = string_arg(a, 0) else { return Ok(Val::Undef) };
    Ok(Val::string(substring(&s, num(a, 1).unwrap_or(0.0), num(a, 2))))
}

fn f_substring_before(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let Some(s) = string_arg(a, 0) else { return Ok(Val::Undef) };
    let chars = string_arg(a, 1).unwrap_or_else(|| Rc::from("undefined"));
    Ok(match s.find(&*chars) {
        Some(i) => Val::str(&s[..i]),
        None => Val::Str(s),
    })
}

fn f_substring_after(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let Some(s) = string_arg(a, 0) else { return Ok(Val::Undef) };
    let chars = string_arg(a, 1).unwrap_or_else(|| Rc::from("undefined"));
    Ok(match s.find(&*chars) {
        Some(i) => Val::str(&s[i + chars.len()..]),
        None => Val::Str(s),
    })
}

fn f_lowercase(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    Ok(string_arg(a, 0).map(|s| Val::string(crate::host::to_lower_case(&s))).unwrap_or_default())
}

fn f_uppercase(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    Ok(string_arg(a, 0).map(|s| Val::string(crate::host::to_upper_case(&s))).unwrap_or_default())
}

fn f_length(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    Ok(string_arg(a, 0).map(|s| Val::Num(s.chars().count() as f64)).unwrap_or_default())
}

fn f_trim(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let Some(s) = string_arg(a, 0) else { return Ok(Val::Undef) };
    let mut out = String::with_capacity(s.len());
    let mut in_space = false;
    for c in s.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    let out = out.strip_prefix(' ').unwrap_or(&out);
    let out = out.strip_suffix(' ').unwrap_or(out);
    Ok(Val::str(out))
}

fn f_pad(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let Some(s) = string_arg(a, 0) else { return Ok(Val::Undef) };
    let width = num(a, 1).unwrap_or(0.0);
    let pad_char = match string_arg(a, 2) {
        Some(c) if !c.is_empty() => c.to_string(),
        _ => " ".to_string(),
    };
    let pad_len = width.abs() - s.chars().count() as f64;
    if pad_len <= 0.0 {
        return Ok(Val::Str(s));
    }
    let pad_len = pad_len as usize;
    let padding: String = pad_char.chars().cycle().take(pad_len).collect();
    Ok(Val::string(if width > 0.0 { format!("{s}{padding}") } else { format!("{padding}{s}") }))
}

// ---- regex-based ----

/// One match of a regex in a string from char offset `from`, as the reference's matcher
/// object `{match, start, end, groups, next}`.
pub(crate) fn regex_match_object(re: &Rc<Regex>, chars: &Rc<[char]>, from: usize, is_next: bool) -> R<Val> {
    if is_next && from >= chars.len() {
        return Ok(Val::Undef);
    }
    let Some(caps) = re.find_at(chars, from)? else { return Ok(Val::Undef) };
    let (ms, me) = caps[0].unwrap_or((0, 0));
    if is_next && ms == me {
        return Err(Error::new("D1004").value_str(re.source()));
    }
    let mut m = OMap::new();
    m.insert(Rc::from("match"), Val::string(chars[ms..me].iter().collect()));
    m.insert(Rc::from("start"), Val::Num(ms as f64));
    m.insert(Rc::from("end"), Val::Num(me as f64));
    let groups: Vec<Val> = caps[1..]
        .iter()
        .map(|g| match g {
            Some((a, b)) => Val::string(chars[*a..*b].iter().collect()),
            None => Val::Undef,
        })
        .collect();
    m.insert(Rc::from("groups"), Val::array(groups));
    m.insert(Rc::from("next"), Val::Func(Rc::new(Func::RegexNext(re.clone(), chars.clone(), me))));
    Ok(Val::Obj(Rc::new(m)))
}

/// A match as the evaluator sees it, from a regex or a custom matcher function.
struct MatchInfo {
    text: String,
    start: usize,
    end: usize,
    groups: Vec<Val>,
    next: Val,
}

fn to_match_info(v: &Val) -> R<Option<MatchInfo>> {
    if v.is_undef() {
        return Ok(None);
    }
    let start = v.field("start");
    let end = v.field("end");
    let groups = v.field("groups");
    let next = v.field("next");
    if !(start.is_number() || end.is_number() || groups.is_array() || next.is_func()) {
        return Err(Error::new("T1010"));
    }
    let text = v.field("match").as_str().unwrap_or("").to_string();
    let start = start.as_num().unwrap_or(0.0).max(0.0) as usize;
    let end = end.as_num().map(|e| e.max(0.0) as usize).unwrap_or(start + text.chars().count());
    Ok(Some(MatchInfo { text, start, end, groups: groups.items(), next }))
}

fn first_match(ctx: &Ctx, matcher: &Val, s: &Rc<str>, input: &Val, env: &Scope) -> R<Option<MatchInfo>> {
    let v = ctx.apply(matcher, vec![Val::Str(s.clone())], input, env, None, 0)?;
    to_match_info(&v)
}

fn next_match(ctx: &Ctx, m: &MatchInfo, input: &Val, env: &Scope) -> R<Option<MatchInfo>> {
    if !m.next.is_func() {
        return Ok(None);
    }
    let v = ctx.apply(&m.next, Vec::new(), input, env, None, 0)?;
    to_match_info(&v)
}

fn f_match(ctx: &Ctx, a: &[Val], input: &Val, env: &Scope) -> R<Val> {
    let Some(s) = string_arg(a, 0) else { return Ok(Val::Undef) };
    let limit = num(a, 2);
    if limit.is_some_and(|l| l < 0.0) {
        return Err(Error::new("D3040").value(arg(a, 2)).index(3));
    }
    let mut out = Vec::new();
    if limit.is_none_or(|l| l > 0.0) {
        let mut m = first_match(ctx, &arg(a, 1), &s, input, env)?;
        while let Some(mi) = m {
            if limit.is_some_and(|l| out.len() as f64 >= l) {
                break;
            }
            let mut o = OMap::new();
            o.insert(Rc::from("match"), Val::str(&mi.text));
            o.insert(Rc::from("index"), Val::Num(mi.start as f64));
            o.insert(Rc::from("groups"), Val::array(mi.groups.clone()));
            out.push(Val::Obj(Rc::new(o)));
            m = next_match(ctx, &mi, input, env)?;
        }
    }
    Ok(Val::seq(out))
}

fn f_contains(ctx: &Ctx, a: &[Val], input: &Val, env: &Scope) -> R<Val> {
    let Some(s) = string_arg(a, 0) else { return Ok(Val::Undef) };
    match arg(a, 1) {
        Val::Undef => Ok(Val::Undef),
        Val::Str(t) => Ok(Val::Bool(s.contains(&*t))),
        f => Ok(Val::Bool(first_match(ctx, &f, &s, input, env)?.is_some())),
    }
}

fn substitute(replacement: &str, m: &MatchInfo) -> String {
    let r: Vec<char> = replacement.chars().collect();
    let mut out = String::new();
    let mut pos = 0;
    let find = |from: usize| r[from.min(r.len())..].iter().position(|&c| c == '$').map(|i| i + from);
    let mut index = find(0);
    while let Some(i) = index {
        if pos >= r.len() {
            break;
        }
        out.extend(&r[pos..i]);
        pos = i + 1;
        let dollar = r.get(pos).copied();
        if dollar == Some('$') {
            out.push('$');
            pos += 1;
        } else if dollar == Some('0') {
            out.push_str(&m.text);
            pos += 1;
        } else {
            let ng = m.groups.len();
            let max_digits = ng.max(1).to_string().len();
            let parse = |len: usize| -> Option<usize> {
                let digits: String =
                    r[pos..(pos + len).min(r.len())].iter().take_while(|c| c.is_ascii_digit()).collect();
                digits.parse().ok()
            };
            let mut idx = parse(max_digits);
            if max_digits > 1 && idx.is_some_and(|x| x > ng) {
                idx = parse(max_digits - 1);
            }
            match idx {
                Some(x) => {
                    if ng > 0 && x >= 1 {
                        if let Some(Val::Str(g)) = m.groups.get(x - 1) {
                            out.push_str(g);
                        }
                    }
                    pos += x.to_string().len();
                }
                None => out.push('$'),
            }
        }
        index = find(pos);
    }
    if pos < r.len() {
        out.extend(&r[pos..]);
    }
    out
}

fn f_replace(ctx: &Ctx, a: &[Val], input: &Val, env: &Scope) -> R<Val> {
    let Some(s) = string_arg(a, 0) else { return Ok(Val::Undef) };
    let pattern = arg(a, 1);
    let replacement = arg(a, 2);
    if matches!(&pattern, Val::Str(p) if p.is_empty()) {
        return Err(Error::new("D3010").value(pattern).index(2));
    }
    let limit = num(a, 3);
    if limit.is_some_and(|l| l < 0.0) {
        return Err(Error::new("D3011").value(arg(a, 3)).index(4));
    }
    if limit.is_some_and(|l| l == 0.0) {
        return Ok(Val::Str(s));
    }
    let under = |count: usize| limit.is_none_or(|l| (count as f64) < l);
    if let Val::Str(p) = &pattern {
        let rep = replacement.as_str().unwrap_or("");
        let mut out = String::new();
        let mut pos = 0;
        let mut count = 0;
        while under(count) {
            let Some(i) = s[pos..].find(&**p) else { break };
            out.push_str(&s[pos..pos + i]);
            out.push_str(rep);
            pos += i + p.len();
            count += 1;
        }
        out.push_str(&s[pos..]);
        return Ok(Val::string(out));
    }
    let chars = chars_of(&s);
    let mut m = first_match(ctx, &pattern, &s, input, env)?;
    if m.is_none() {
        return Ok(Val::Str(s));
    }
    let mut out = String::new();
    let mut pos = 0;
    let mut count = 0;
    while let Some(mi) = m {
        if !under(count) {
            break;
        }
        let start = mi.start.min(chars.len()).max(pos);
        out.extend(&chars[pos..start]);
        let replaced = match &replacement {
            Val::Str(r) => Val::string(substitute(r, &mi)),
            f => {
                let mut o = OMap::new();
                o.insert(Rc::from("match"), Val::str(&mi.text));
                o.insert(Rc::from("start"), Val::Num(mi.start as f64));
                o.insert(Rc::from("end"), Val::Num(mi.end as f64));
                o.insert(Rc::from("groups"), Val::array(mi.groups.clone()));
                ctx.apply(f, vec![Val::Obj(Rc::new(o))], input, env, None, 0)?
            }
        };
        match replaced {
            Val::Str(r) => out.push_str(&r),
            other => return Err(Error::new("D3012").value(other)),
        }
        pos = (mi.start + mi.text.chars().count()).min(chars.len());
        count += 1;
        m = next_match(ctx, &mi, input, env)?;
    }
    out.extend(&chars[pos.min(chars.len())..]);
    Ok(Val::string(out))
}

fn f_split(ctx: &Ctx, a: &[Val], input: &Val, env: &Scope) -> R<Val> {
    let Some(s) = string_arg(a, 0) else { return Ok(Val::Undef) };
    let limit = num(a, 2);
    if limit.is_some_and(|l| l < 0.0) {
        return Err(Error::new("D3020").value(arg(a, 2)).index(3));
    }
    let mut out: Vec<Val> = Vec::new();
    let under = |n: usize| limit.is_none_or(|l| (n as f64) < l.floor());
    if limit.is_some_and(|l| l.floor() == 0.0) {
        return Ok(Val::array(out));
    }
    match arg(a, 1) {
        Val::Str(sep) => {
            if sep.is_empty() {
                for c in s.chars() {
                    if !under(out.len()) {
                        break;
                    }
                    out.push(Val::string(c.to_string()));
                }
            } else {
                for part in s.split(&*sep) {
                    if !under(out.len()) {
                        break;
                    }
                    out.push(Val::str(part));
                }
            }
        }
        f => {
            let chars = chars_of(&s);
            let mut m = first_match(ctx, &f, &s, input, env)?;
            if m.is_none() {
                out.push(Val::Str(s.clone()));
            } else {
                let mut start = 0;
                let mut count = 0;
                while let Some(mi) = m {
                    if !under(count) {
                        break;
                    }
                    let ms = mi.start.min(chars.len());
                    out.push(Val::string(if ms > start { chars[start..ms].iter().collect() } else { String::new() }));
                    start = mi.end.min(chars.len());
                    count += 1;
                    m = next_match(ctx, &mi, input, env)?;
                }
                if under(count) {
                    out.push(Val::string(chars[start.min(chars.len())..].iter().collect()));
                }
            }
        }
    }
    Ok(Val::array(out))
}

fn f_join(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let v = arg(a, 0);
    if v.is_undef() {
        return Ok(Val::Undef);
    }
    let sep = string_arg(a, 1).unwrap_or_else(|| Rc::from(""));
    let parts: Vec<String> = v.items().iter().map(|x| x.as_str().unwrap_or("").to_string()).collect();
    Ok(Val::string(parts.join(&sep)))
}

// ---- numbers ----

fn f_format_number(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let Some(v) = num(a, 0) else { return Ok(Val::Undef) };
    let picture = string_arg(a, 1).unwrap_or_else(|| Rc::from(""));
    let opts: Vec<(String, String)> = arg(a, 2)
        .entries()
        .into_iter()
        .map(|(k, x)| (k.to_string(), x.as_str().map(str::to_string).unwrap_or_default()))
        .collect();
    Ok(Val::string(number::format_number(v, &picture, &opts)?))
}

fn f_format_base(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let Some(v) = num(a, 0) else { return Ok(Val::Undef) };
    Ok(Val::string(number::format_base(v, num(a, 1))?))
}

fn f_format_integer(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let Some(v) = num(a, 0) else { return Ok(Val::Undef) };
    let picture = string_arg(a, 1).unwrap_or_else(|| Rc::from(""));
    Ok(Val::string(datetime::format_integer(v, &picture)?))
}

fn f_parse_integer(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let Some(s) = string_arg(a, 0) else { return Ok(Val::Undef) };
    let picture = string_arg(a, 1).unwrap_or_else(|| Rc::from(""));
    Ok(datetime::parse_integer(&s, &picture)?.map(Val::Num).unwrap_or_default())
}

fn f_number(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let v = arg(a, 0);
    Ok(match &v {
        Val::Undef => Val::Undef,
        Val::Num(_) => v,
        Val::Bool(b) => Val::Num(if *b { 1.0 } else { 0.0 }),
        Val::Str(s) => match parse_js_number(s) {
            Some(n) => Val::Num(n),
            None => return Err(Error::new("D3030").value(v.clone()).index(1)),
        },
        _ => return Err(Error::new("D3030").value(v.clone()).index(1)),
    })
}

fn parse_js_number(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'-') {
        i = 1;
    }
    let digits_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i > digits_start {
        let mut ok = true;
        if i < b.len() && b[i] == b'.' {
            i += 1;
            let fs = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            ok = i > fs;
        }
        if ok && i < b.len() && (b[i] == b'e' || b[i] == b'E') {
            i += 1;
            if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
                i += 1;
            }
            let es = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            ok = i > es;
        }
        if ok && i == b.len() {
            let n = crate::number_parse::parse_f64(s)?;
            return if n.is_finite() { Some(n) } else { None };
        }
        if i != b.len() && b.len() > 2 && b[0] == b'0' {
            // fall through to radix prefixes
        } else {
            return None;
        }
    }
    if b.len() > 2 && b[0] == b'0' {
        let radix = match b[1] {
            b'x' | b'X' => 16,
            b'o' | b'O' => 8,
            b'b' | b'B' => 2,
            _ => return None,
        };
        return u64::from_str_radix(&s[2..], radix).ok().map(|n| n as f64);
    }
    None
}

fn f_floor(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    Ok(num(a, 0).map(|n| Val::Num(n.floor())).unwrap_or_default())
}

fn f_ceil(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    Ok(num(a, 0).map(|n| Val::Num(n.ceil())).unwrap_or_default())
}

fn f_round(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let Some(n) = num(a, 0) else { return Ok(Val::Undef) };
    let p = num(a, 1).map(|p| p.trunc() as i32).unwrap_or(0);
    Ok(Val::Num(number::round_half_even(n, p)))
}

fn f_abs(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    Ok(num(a, 0).map(|n| Val::Num(n.abs())).unwrap_or_default())
}

fn f_sqrt(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let Some(n) = num(a, 0) else { return Ok(Val::Undef) };
    if n < 0.0 {
        return Err(Error::new("D3060").value_num(n).index(1));
    }
    Ok(Val::Num(n.sqrt()))
}

fn f_power(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let Some(b) = num(a, 0) else { return Ok(Val::Undef) };
    let e = num(a, 1).unwrap_or(f64::NAN);
    let r = crate::host::pow(b, e);
    if !r.is_finite() {
        let mut err = Error::new("D3061").value_num(b).index(1);
        err.exp = Some(Val::Num(e).into());
        return Err(err);
    }
    Ok(Val::Num(r))
}

fn f_random(ctx: &Ctx, _: &[Val], _: &Val, _: &Scope) -> R<Val> {
    Ok(Val::Num(ctx.environment().next_random()))
}

fn f_boolean(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    Ok(boolean(&arg(a, 0)).map(Val::Bool).unwrap_or_default())
}

fn f_not(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    Ok(boolean(&arg(a, 0)).map(|b| Val::Bool(!b)).unwrap_or_default())
}

// ---- higher-order ----

fn f_map(ctx: &Ctx, a: &[Val], input: &Val, env: &Scope) -> R<Val> {
    let arr = arg(a, 0);
    if arr.is_undef() {
        return Ok(Val::Undef);
    }
    let f = arg(a, 1);
    let items = arr.items();
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let r = ctx.call_hof(&f, vec![item, Val::Num(i as f64), arr.clone()], input, env)?;
        if !r.is_undef() {
            out.push(r);
        }
    }
    Ok(Val::seq(out))
}

fn f_filter(ctx: &Ctx, a: &[Val], input: &Val, env: &Scope) -> R<Val> {
    let arr = arg(a, 0);
    if arr.is_undef() {
        return Ok(Val::Undef);
    }
    let f = arg(a, 1);
    let mut out = Vec::new();
    for (i, item) in arr.items().into_iter().enumerate() {
        let r = ctx.call_hof(&f, vec![item.clone(), Val::Num(i as f64), arr.clone()], input, env)?;
        if boolean(&r) == Some(true) {
            out.push(item);
        }
    }
    Ok(Val::seq(out))
}

fn f_single(ctx: &Ctx, a: &[Val], input: &Val, env: &Scope) -> R<Val> {
    let arr = arg(a, 0);
    if arr.is_undef() {
        return Ok(Val::Undef);
    }
    let f = arg(a, 1);
    let mut found: Option<Val> = None;
    for (i, item) in arr.items().into_iter().enumerate() {
        let ok = if f.is_undef() {
            true
        } else {
            let r = ctx.call_hof(&f, vec![item.clone(), Val::Num(i as f64), arr.clone()], input, env)?;
            boolean(&r) == Some(true)
        };
        if ok {
            if found.is_some() {
                return Err(Error::new("D3138").index(i));
            }
            found = Some(item);
        }
    }
    found.ok_or_else(|| Error::new("D3139"))
}

fn f_zip(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let arrays: Vec<Vec<Val>> = a.iter().map(|v| if v.is_array() { v.items() } else { Vec::new() }).collect();
    let len = arrays.iter().map(Vec::len).min().unwrap_or(0);
    let out = (0..len).map(|i| Val::array(arrays.iter().map(|arr| arr[i].clone()).collect())).collect();
    Ok(Val::array(out))
}

fn f_reduce(ctx: &Ctx, a: &[Val], input: &Val, env: &Scope) -> R<Val> {
    let seq = arg(a, 0);
    if seq.is_undef() {
        return Ok(Val::Undef);
    }
    let f = arg(a, 1);
    let arity = match &f {
        Val::Func(func) => func.arity(),
        _ => 0,
    };
    if arity < 2 {
        return Err(Error::new("D3050").index(1));
    }
    let items = seq.items();
    let init = arg(a, 2);
    let (mut acc, start) = if init.is_undef() && !items.is_empty() { (items[0].clone(), 1) } else { (init, 0) };
    for (i, item) in items.iter().enumerate().skip(start) {
        let mut args = vec![acc, item.clone()];
        if arity >= 3 {
            args.push(Val::Num(i as f64));
        }
        if arity >= 4 {
            args.push(seq.clone());
        }
        acc = ctx.apply(&f, args, input, env, None, 0)?;
    }
    Ok(acc)
}

fn f_sift(ctx: &Ctx, a: &[Val], input: &Val, env: &Scope) -> R<Val> {
    let obj = arg(a, 0);
    let f = arg(a, 1);
    let mut out = OMap::new();
    for (k, v) in obj.entries() {
        let r = ctx.call_hof(&f, vec![v.clone(), Val::Str(k.clone()), obj.clone()], input, env)?;
        if boolean(&r) == Some(true) {
            out.insert(k, v);
        }
    }
    if out.len() == 0 {
        return Ok(Val::Undef);
    }
    Ok(Val::Obj(Rc::new(out)))
}

fn f_each(ctx: &Ctx, a: &[Val], input: &Val, env: &Scope) -> R<Val> {
    let obj = arg(a, 0);
    let f = arg(a, 1);
    let mut out = Vec::new();
    for (k, v) in obj.entries() {
        let r = ctx.call_hof(&f, vec![v, Val::Str(k), obj.clone()], input, env)?;
        if !r.is_undef() {
            out.push(r);
        }
    }
    Ok(Val::seq(out))
}

fn f_sort(ctx: &Ctx, a: &[Val], input: &Val, env: &Scope) -> R<Val> {
    let arr = arg(a, 0);
    if arr.is_undef() {
        return Ok(Val::Undef);
    }
    if arr.len() <= 1 {
        return Ok(arr);
    }
    let items = arr.items();
    let f = arg(a, 1);
    let sorted = if f.is_undef() {
        let all_num = items.iter().all(|v| matches!(v, Val::Num(n) if n.is_finite()));
        let all_str = items.iter().all(Val::is_string);
        if !all_num && !all_str {
            return Err(Error::new("D3070").index(1));
        }
        merge_sort(items, &mut |x: &Val, y: &Val| {
            Ok(match (x, y) {
                (Val::Num(p), Val::Num(q)) => p > q,
                (Val::Str(p), Val::Str(q)) => p > q,
                _ => false,
            })
        })?
    } else {
        merge_sort(items, &mut |x: &Val, y: &Val| {
            let r = ctx.apply(&f, vec![x.clone(), y.clone()], input, env, None, 0)?;
            Ok(js_truthy(&r))
        })?
    };
    Ok(Val::array(sorted))
}

// ---- objects and arrays ----

fn f_keys(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let v = arg(a, 0);
    let mut out: Vec<Rc<str>> = Vec::new();
    if v.is_array() {
        for item in v.items() {
            for (k, _) in item.entries() {
                if !out.contains(&k) {
                    out.push(k);
                }
            }
        }
    } else {
        out = v.entries().into_iter().map(|(k, _)| k).collect();
    }
    Ok(Val::seq(out.into_iter().map(Val::Str).collect()))
}

fn f_lookup(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let key = string_arg(a, 1).unwrap_or_else(|| Rc::from(""));
    Ok(lookup_field(&arg(a, 0), &key))
}

fn f_append(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    Ok(append(arg(a, 0), arg(a, 1)))
}

fn f_exists(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    Ok(Val::Bool(!arg(a, 0).is_undef()))
}

fn spread(v: &Val) -> Val {
    if v.is_array() {
        let mut acc = Val::seq(Vec::new());
        for item in v.items() {
            acc = append(acc, spread(&item));
        }
        acc
    } else if v.is_object() {
        let out = v
            .entries()
            .into_iter()
            .map(|(k, x)| {
                let mut m = OMap::new();
                m.insert(k, x);
                Val::Obj(Rc::new(m))
            })
            .collect();
        Val::seq(out)
    } else {
        v.clone()
    }
}

fn f_spread(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    Ok(spread(&arg(a, 0)))
}

fn f_merge(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let v = arg(a, 0);
    if v.is_undef() {
        return Ok(Val::Undef);
    }
    // The objects' entries in order, later ones replacing earlier ones; other items add nothing.
    fn merge_into(out: &mut OMap, item: &Val) {
        match item {
            Val::JObj(m) => {
                for (k, x) in m.iter() {
                    out.insert(k.clone(), Val::from_value(x));
                }
            }
            Val::Obj(m) => {
                for (k, x) in m.iter() {
                    out.insert(k.clone(), x.clone());
                }
            }
            _ => {}
        }
    }
    let mut out = OMap::new();
    match &v {
        Val::JArr(items, _) => {
            for item in items.iter() {
                merge_into(&mut out, &Val::from_value(item));
            }
        }
        Val::Arr(items, _) => {
            for item in items.iter() {
                merge_into(&mut out, item);
            }
        }
        single => merge_into(&mut out, single),
    }
    Ok(Val::Obj(Rc::new(out)))
}

fn f_reverse(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let v = arg(a, 0);
    if v.is_undef() || v.len() <= 1 {
        return Ok(v);
    }
    let mut items = v.items();
    items.reverse();
    Ok(Val::array(items))
}

fn f_error(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let mut e = Error::new("D3137");
    e.message = Some(match string_arg(a, 0) {
        Some(m) if !m.is_empty() => m.to_string(),
        _ => "$error() function evaluated".into(),
    });
    Err(e)
}

fn f_assert(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    if matches!(arg(a, 0), Val::Bool(true)) {
        return Ok(Val::Undef);
    }
    let mut e = Error::new("D3141");
    e.message = Some(match string_arg(a, 1) {
        Some(m) if !m.is_empty() => m.to_string(),
        _ => "$assert() statement failed".into(),
    });
    Err(e)
}

fn f_type(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let v = arg(a, 0);
    Ok(Val::str(match v {
        Val::Undef => return Ok(Val::Undef),
        Val::Null => "null",
        Val::Num(_) => "number",
        Val::Str(_) => "string",
        Val::Bool(_) => "boolean",
        Val::Func(_) => "function",
        Val::JObj(_) | Val::Obj(_) => "object",
        _ => "array",
    }))
}

fn f_shuffle(ctx: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let v = arg(a, 0);
    if v.is_undef() || v.len() <= 1 {
        return Ok(v);
    }
    let items = v.items();
    let mut out: Vec<Val> = vec![Val::Undef; items.len()];
    for (i, item) in items.into_iter().enumerate() {
        let j = (ctx.environment().next_random() * (i + 1) as f64).floor() as usize;
        let j = j.min(i);
        if i != j {
            out[i] = out[j].clone();
        }
        out[j] = item;
    }
    Ok(Val::array(out))
}

fn f_distinct(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let v = arg(a, 0);
    if v.is_undef() || !v.is_array() || v.len() <= 1 {
        return Ok(v);
    }
    let mut out: Vec<Val> = Vec::new();
    for item in v.items() {
        if !out.iter().any(|x| deep_equal(x, &item)) {
            out.push(item);
        }
    }
    Ok(if v.flags() & SEQ != 0 { Val::seq(out) } else { Val::array(out) })
}

fn f_clone(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let v = arg(a, 0);
    if v.is_undef() {
        return Ok(Val::Undef);
    }
    Ok(deep_clone(&v))
}

// ---- encodings ----

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `$base64decode`'s decoding: characters outside the standard alphabet (padding included)
/// are skipped, as the reference's decoder does (unlike `States.Base64Decode`'s).
fn base64_decode(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match B64.iter().position(|&x| x == c) {
            Some(v) => v as u32,
            None => continue,
        };
        acc = acc << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

fn f_base64encode(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    Ok(string_arg(a, 0).map(|s| Val::string(crate::base64::encode(s.as_bytes()))).unwrap_or_default())
}

fn f_base64decode(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    Ok(string_arg(a, 0)
        .map(|s| Val::string(String::from_utf8_lossy(&base64_decode(&s)).into_owned()))
        .unwrap_or_default())
}

fn encode_uri(s: &str, keep: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || "-_.!~*'()".contains(c) || keep.contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

fn decode_uri(s: &str, reserved: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out: Vec<u8> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            let v = u8::from_str_radix(hex, 16).ok()?;
            if v < 0x80 && reserved.contains(v as char) {
                out.extend_from_slice(&b[i..i + 3]);
            } else {
                out.push(v);
            }
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn url_error(name: &str, s: &Rc<str>) -> Fail {
    let mut e = Error::new("D3140").value(Val::Str(s.clone()));
    e.function_name = Some(name.to_string());
    e
}

fn f_encode_url_component(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    Ok(string_arg(a, 0).map(|s| Val::string(encode_uri(&s, ""))).unwrap_or_default())
}

fn f_encode_url(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    Ok(string_arg(a, 0).map(|s| Val::string(encode_uri(&s, ";,/?:@&=+$#"))).unwrap_or_default())
}

fn f_decode_url_component(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let Some(s) = string_arg(a, 0) else { return Ok(Val::Undef) };
    decode_uri(&s, "").map(Val::string).ok_or_else(|| url_error("decodeUrlComponent", &s))
}

fn f_decode_url(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let Some(s) = string_arg(a, 0) else { return Ok(Val::Undef) };
    decode_uri(&s, ";/?:@&=+$,#").map(Val::string).ok_or_else(|| url_error("decodeUrl", &s))
}

// ---- evaluation and time ----

fn f_eval(ctx: &Ctx, a: &[Val], input: &Val, env: &Scope) -> R<Val> {
    let Some(src) = string_arg(a, 0) else { return Ok(Val::Undef) };
    let focus = arg(a, 1);
    let input = if focus.is_undef() {
        input.clone()
    } else if focus.is_array() && !focus.is_seq() {
        Val::seq(vec![focus]).with_flag(OUTER)
    } else {
        focus
    };
    let ast = match super::parser::parse(&src) {
        Ok(ast) => ast,
        Err(e) => {
            let mut err = Error::new("D3120").value(Val::string(e.message()));
            err.message = Some(e.message());
            return Err(err);
        }
    };
    match ctx.eval(&ast, &input, env) {
        Ok(v) => Ok(v),
        Err(e) => {
            let mut err = Error::new("D3121").value(Val::string(e.message()));
            err.message = Some(e.message());
            Err(err)
        }
    }
}

fn f_to_millis(ctx: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let Some(s) = string_arg(a, 0) else { return Ok(Val::Undef) };
    let picture = string_arg(a, 1);
    Ok(datetime::to_millis(&s, picture.as_deref(), ctx.environment().now_millis as f64)?
        .map(Val::Num)
        .unwrap_or_default())
}

fn f_from_millis(_: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let Some(ms) = num(a, 0) else { return Ok(Val::Undef) };
    let picture = string_arg(a, 1);
    let tz = string_arg(a, 2);
    Ok(Val::string(datetime::from_millis(ms, picture.as_deref(), tz.as_deref())?))
}

fn f_now(ctx: &Ctx, a: &[Val], _: &Val, _: &Scope) -> R<Val> {
    let picture = string_arg(a, 0);
    let tz = string_arg(a, 1);
    Ok(Val::string(datetime::from_millis(ctx.environment().now_millis as f64, picture.as_deref(), tz.as_deref())?))
}

fn f_millis(ctx: &Ctx, _: &[Val], _: &Val, _: &Scope) -> R<Val> {
    Ok(Val::Num(ctx.environment().now_millis as f64))
}

/// Stable top-down merge sort with a fallible "should swap" comparator, as the reference's.
pub(crate) fn merge_sort<T: Clone>(items: Vec<T>, swap: &mut dyn FnMut(&T, &T) -> R<bool>) -> R<Vec<T>> {
    if items.len() <= 1 {
        return Ok(items);
    }
    let mid = items.len() / 2;
    let mut left = items;
    let right = left.split_off(mid);
    let left = merge_sort(left, swap)?;
    let right = merge_sort(right, swap)?;
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if swap(&left[i], &right[j])? {
            out.push(right[j].clone());
            j += 1;
        } else {
            out.push(left[i].clone());
            i += 1;
        }
    }
    out.extend_from_slice(&left[i..]);
    out.extend_from_slice(&right[j..]);
    Ok(out)
}
