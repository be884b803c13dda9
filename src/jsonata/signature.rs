//! Function signatures (`<s-n?:s>`): parsing, and validating a call's arguments (any
//! [`Argument`]: the evaluator's values) against them, with the reference's coercions
//! (context value for `-`, a single value where an array is expected becomes a one-item
//! array) and its error codes T0410/T0411/T0412.

use std::rc::Rc;

use super::error::{Error, ErrorExt, Fail, Shown};

/// What validation needs of an argument (the evaluator's values implement it): its type
/// symbol, its items when it is an array, and itself wrapped in a one-item array.
pub(crate) trait Argument: Clone + Default + Into<Shown> {
    /// The type symbol signatures name it by (`s`, `n`, `b`, `l`, `a`, `o`, `f`, `m` for missing).
    fn symbol(&self) -> char;
    /// The number of items of an array (0 for any other value).
    fn len(&self) -> usize;
    /// The `i`th item of an array.
    fn at(&self, i: usize) -> Self;
    /// A one-item array holding the value.
    fn wrap(self) -> Self;
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Quant {
    One,
    Optional,
    OneOrMore,
}

#[derive(Clone, Debug)]
struct Param {
    /// The argument type symbols this parameter accepts (always including `m`, missing,
    /// except for functions).
    set: String,
    kind: char,
    context: bool,
    quant: Quant,
    subtype: Option<String>,
}

/// A parsed signature.
#[derive(Clone, Debug)]
pub(crate) struct Signature {
    params: Vec<Param>,
}

impl Signature {
    /// Parses `<...>` text. Errors carry the offset in `position`.
    pub fn parse(text: &str) -> Result<Signature, Fail> {
        let chars: Vec<char> = text.chars().collect();
        let mut params: Vec<Param> = Vec::new();
        let mut i = 1;
        while i < chars.len() {
            let c = chars[i];
            if c == ':' {
                break;
            }
            let simple = |set: &str, kind: char| Param {
                set: set.to_string(),
                kind,
                context: false,
                quant: Quant::One,
                subtype: None,
            };
            match c {
                's' | 'n' | 'b' | 'l' | 'o' => params.push(simple(&format!("{c}m"), c)),
                'a' => params.push(simple("asnblfom", 'a')),
                'f' => params.push(simple("f", 'f')),
                'j' => params.push(simple("asnblom", 'j')),
                'x' => params.push(simple("asnblfom", 'x')),
                '-' => {
                    if let Some(p) = params.last_mut() {
                        p.context = true;
                        p.quant = Quant::Optional;
                    }
                }
                '?' => {
                    if let Some(p) = params.last_mut() {
                        p.quant = Quant::Optional;
                    }
                }
                '+' => {
                    if let Some(p) = params.last_mut() {
                        p.quant = Quant::OneOrMore;
                    }
                }
                '(' => {
                    let end = closing(&chars, i, '(', ')');
                    let choice: String = chars[i + 1..end.min(chars.len())].iter().collect();
                    if choice.contains('<') {
                        return Err(Error::new("S0402").value_str(&choice).at(i));
                    }
                    params.push(Param {
                        set: format!("{choice}m"),
                        kind: '(',
                        context: false,
                        quant: Quant::One,
                        subtype: None,
                    });
                    i = end;
                }
                '<' => match params.last_mut() {
                    Some(p) if p.kind == 'a' || p.kind == 'f' => {
                        let end = closing(&chars, i, '<', '>');
                        p.subtype = Some(chars[i + 1..end.min(chars.len())].iter().collect());
                        i = end;
                    }
                    p => {
                        let kind = p.map(|p| p.kind.to_string()).unwrap_or_default();
                        return Err(Error::new("S0401").value_str(&kind).at(i));
                    }
                },
                _ => {}
            }
            i += 1;
        }
        Ok(Signature { params })
    }

    /// Checks `args` against the signature; returns the arguments to call with.
    pub fn validate<A: Argument>(&self, args: &[A], context: &A) -> Result<Vec<A>, Fail> {
        // Calls rarely pass more than a few arguments: symbols and counts then live on the stack.
        const SMALL: usize = 8;
        let mut small_symbols = ['m'; SMALL];
        let many_symbols: Vec<char>;
        let symbols: &[char] = if args.len() <= SMALL {
            for (slot, a) in small_symbols.iter_mut().zip(args) {
                *slot = a.symbol();
            }
            &small_symbols[..args.len()]
        } else {
            many_symbols = args.iter().map(A::symbol).collect();
            &many_symbols
        };
        let mut small_counts = [0usize; SMALL];
        let mut many_counts: Vec<usize>;
        let counts: &mut [usize] = if self.params.len() <= SMALL {
            &mut small_counts[..self.params.len()]
        } else {
            many_counts = vec![0; self.params.len()];
            &mut many_counts
        };
        if !self.matches(symbols, counts, true) {
            return Err(self.failure(args, symbols));
        }
        let counts: &[usize] = counts;
        let mut out = Vec::with_capacity(self.params.len());
        let mut arg_index = 0;
        let mut sym_pos = 0;
        for (param, &count) in self.params.iter().zip(counts.iter()) {
            if count == 0 {
                if param.context {
                    let ctx_sym = context.symbol();
                    if param.set.contains(ctx_sym) {
                        out.push(context.clone());
                    } else {
                        return Err(Error::new("T0411").value(context.clone()).index(arg_index + 1));
                    }
                } else {
                    out.push(args.get(arg_index).cloned().unwrap_or_default());
                    arg_index += 1;
                }
                continue;
            }
            let matched = symbols.get(sym_pos..sym_pos + count).unwrap_or_default();
            sym_pos += count;
            for &single in matched {
                let arg = args.get(arg_index).cloned().unwrap_or_default();
                if param.kind == 'a' {
                    if single == 'm' {
                        out.push(A::default());
                    } else {
                        let mut ok = true;
                        if let Some(sub) = &param.subtype {
                            if single != 'a' && !sub.chars().eq(matched.iter().copied()) {
                                ok = false;
                            } else if single == 'a' && arg.len() > 0 {
                                let first = arg.at(0).symbol();
                                if !sub.starts_with(first) {
                                    ok = false;
                                } else {
                                    ok = (1..arg.len()).all(|i| arg.at(i).symbol() == first);
                                }
                            }
                        }
                        if !ok {
                            let mut e = Error::new("T0412").value(arg.clone()).index(arg_index + 1);
                            e.ty = param.subtype.as_deref().map(plural);
                            return Err(e);
                        }
                        if single != 'a' {
                            out.push(arg.wrap());
                        } else {
                            out.push(arg);
                        }
                    }
                } else {
                    out.push(arg);
                }
                arg_index += 1;
            }
        }
        Ok(out)
    }

    fn failure<A: Argument>(&self, args: &[A], symbols: &[char]) -> Fail {
        let mut good_to = 0;
        for k in 1..=self.params.len() {
            let mut counts = vec![0; k];
            if !self.matches(symbols, &mut counts, false) {
                break;
            }
            good_to = counts.iter().sum();
        }
        Error::new("T0410").value(args.get(good_to).cloned().unwrap_or_default()).index(good_to + 1)
    }

    /// Matches the first `counts.len()` parameters against the symbols (all of them when
    /// `whole`), greedily with backtracking like the reference's regex; on a match, `counts`
    /// holds the number of symbols per parameter.
    fn matches(&self, symbols: &[char], counts: &mut [usize], whole: bool) -> bool {
        let n = counts.len();
        self.match_from(symbols, 0, 0, n, whole, counts)
    }

    fn match_from(&self, s: &[char], pi: usize, si: usize, n: usize, whole: bool, counts: &mut [usize]) -> bool {
        if pi == n {
            return !whole || si == s.len();
        }
        let p = &self.params[pi];
        let mut max = 0;
        while si + max < s.len() && p.set.contains(s[si + max]) {
            max += 1;
            if p.quant != Quant::OneOrMore {
                break;
            }
        }
        let min = if p.quant == Quant::Optional { 0 } else { 1 };
        let mut k = max as isize;
        while k >= min as isize {
            counts[pi] = k as usize;
            if self.match_from(s, pi + 1, si + k as usize, n, whole, counts) {
                return true;
            }
            k -= 1;
        }
        false
    }

    /// Whether a parameter list of this signature exists (for arity).
    pub fn param_count(&self) -> usize {
        self.params.len()
    }
}

fn plural(sub: &str) -> &'static str {
    match sub {
        "a" => "arrays",
        "b" => "booleans",
        "f" => "functions",
        "n" => "numbers",
        "o" => "objects",
        "s" => "strings",
        _ => "values",
    }
}

fn closing(chars: &[char], start: usize, open: char, close: char) -> usize {
    let mut depth = 1;
    let mut i = start;
    while i < chars.len() {
        i += 1;
        match chars.get(i) {
            Some(&c) if c == close => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            Some(&c) if c == open => depth += 1,
            _ => {}
        }
    }
    i
}

thread_local! {
    static CACHE: std::cell::RefCell<Vec<(&'static str, Rc<Signature>)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The parsed signature of a built-in function (parsed once per thread).
pub(crate) fn builtin(text: &'static str) -> Rc<Signature> {
    CACHE.with(|c| {
        if let Some((_, s)) = c.borrow().iter().find(|(t, _)| std::ptr::eq(*t, text) || *t == text) {
            return s.clone();
        }
        let sig = Rc::new(Signature::parse(text).unwrap_or(Signature { params: Vec::new() }));
        c.borrow_mut().push((text, sig.clone()));
        sig
    })
}
