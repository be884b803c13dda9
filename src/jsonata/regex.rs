//! A small backtracking regular-expression engine for the JavaScript regex syntax JSONata
//! regex literals use: classes, anchors, word boundaries, greedy and lazy quantifiers,
//! capturing and non-capturing groups, alternation, lookahead/lookbehind, backreferences,
//! and the `i` and `m` flags. Matching has a step budget so a pathological pattern ends
//! with an error instead of hanging.

use super::error::{Error, ErrorExt, Fail};
use super::limits::{stack_position, REGEX_STACK_LIMIT, REGEX_STEP_BUDGET};

#[derive(Debug, Clone)]
enum ClassItem {
    Range(char, char),
    Digit(bool),
    Word(bool),
    Space(bool),
}

#[derive(Debug, Clone)]
enum Node {
    Empty,
    Char(char),
    Any,
    Class(Vec<ClassItem>, bool),
    Start,
    End,
    WordBoundary(bool),
    Group(Box<Node>, Option<usize>),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat { node: Box<Node>, min: usize, max: usize, greedy: bool },
    Look { node: Box<Node>, ahead: bool, negate: bool },
    Backref(usize),
}

/// Capture spans (char offsets) of a match; index 0 is the whole match.
pub(crate) type Captures = Vec<Option<(usize, usize)>>;

/// A compiled regex.
#[derive(Debug)]
pub(crate) struct Regex {
    source: String,
    root: Node,
    groups: usize,
    ignore_case: bool,
    multiline: bool,
}

struct ParseState {
    chars: Vec<char>,
    pos: usize,
    groups: usize,
}

fn syntax_error() -> Fail {
    Error::new("S0302")
}

impl ParseState {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }
    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn alternation(&mut self, depth: usize) -> Result<Node, Fail> {
        if depth > 200 {
            return Err(syntax_error());
        }
        let mut alts = vec![self.sequence(depth)?];
        while self.eat('|') {
            alts.push(self.sequence(depth)?);
        }
        Ok(if alts.len() == 1 { alts.pop().unwrap_or(Node::Empty) } else { Node::Alt(alts) })
    }

    fn sequence(&mut self, depth: usize) -> Result<Node, Fail> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom(depth)?;
            let atom = self.quantifier(atom)?;
            items.push(atom);
        }
        Ok(Node::Concat(items))
    }

    fn number(&mut self) -> Option<usize> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos == start {
            return None;
        }
        self.chars[start..self.pos].iter().collect::<String>().parse().ok()
    }

    fn quantifier(&mut self, atom: Node) -> Result<Node, Fail> {
        let (min, max) = match self.peek() {
            Some('*') => {
                self.pos += 1;
                (0, usize::MAX)
            }
            Some('+') => {
                self.pos += 1;
                (1, usize::MAX)
            }
            Some('?') => {
                self.pos += 1;
                (0, 1)
            }
            Some('{') => {
                let save = self.pos;
                self.pos += 1;
                match self.number() {
                    Some(n) => {
                        let max = if self.eat(',') { self.number().unwrap_or(usize::MAX) } else { n };
                        if !self.eat('}') {
                            self.pos = save;
                            return Ok(atom);
                        }
                        (n, max)
                    }
                    None => {
                        self.pos = save;
                        return Ok(atom);
                    }
                }
            }
            _ => return Ok(atom),
        };
        let greedy = !self.eat('?');
        Ok(Node::Repeat { node: Box::new(atom), min, max, greedy })
    }

    fn atom(&mut self, depth: usize) -> Result<Node, Fail> {
        let Some(c) = self.peek() else { return Err(syntax_error()) };
        self.pos += 1;
        Ok(match c {
            '.' => Node::Any,
            '^' => Node::Start,
            '$' => Node::End,
            '(' => {
                if self.eat('?') {
                    if self.eat(':') {
                        let inner = self.alternation(depth + 1)?;
                        self.close()?;
                        Node::Group(Box::new(inner), None)
                    } else if self.eat('=') || self.eat('!') {
                        let negate = self.chars[self.pos - 1] == '!';
                        let inner = self.alternation(depth + 1)?;
                        self.close()?;
                        Node::Look { node: Box::new(inner), ahead: true, negate }
                    } else if self.eat('<') {
                        if self.eat('=') || self.eat('!') {
                            let negate = self.chars[self.pos - 1] == '!';
                            let inner = self.alternation(depth + 1)?;
                            self.close()?;
                            Node::Look { node: Box::new(inner), ahead: false, negate }
                        } else {
                            while self.peek().is_some_and(|c| c != '>') {
                                self.pos += 1;
                            }
                            self.eat('>');
                            self.groups += 1;
                            let index = self.groups;
                            let inner = self.alternation(depth + 1)?;
                            self.close()?;
                            Node::Group(Box::new(inner), Some(index))
                        }
                    } else {
                        return Err(syntax_error());
                    }
                } else {
                    self.groups += 1;
                    let index = self.groups;
                    let inner = self.alternation(depth + 1)?;
                    self.close()?;
                    Node::Group(Box::new(inner), Some(index))
                }
            }
            '[' => self.class()?,
            '\\' => self.escape(false)?,
            c => Node::Char(c),
        })
    }

    fn close(&mut self) -> Result<(), Fail> {
        if self.eat(')') {
            Ok(())
        } else {
            Err(syntax_error())
        }
    }

    fn escape(&mut self, in_class: bool) -> Result<Node, Fail> {
        let Some(c) = self.peek() else { return Err(syntax_error()) };
        self.pos += 1;
        let class = |item| Node::Class(vec![item], false);
        Ok(match c {
            'd' => class(ClassItem::Digit(true)),
            'D' => class(ClassItem::Digit(false)),
            'w' => class(ClassItem::Word(true)),
            'W' => class(ClassItem::Word(false)),
            's' => class(ClassItem::Space(true)),
            'S' => class(ClassItem::Space(false)),
            'b' if !in_class => Node::WordBoundary(true),
            'B' if !in_class => Node::WordBoundary(false),
            'b' => Node::Char('\u{8}'),
            'n' => Node::Char('\n'),
            't' => Node::Char('\t'),
            'r' => Node::Char('\r'),
            'f' => Node::Char('\u{c}'),
            'v' => Node::Char('\u{b}'),
            '0' => Node::Char('\0'),
            'x' => {
                let hex: String = self.chars.iter().skip(self.pos).take(2).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) if hex.len() == 2 => {
                        self.pos += 2;
                        Node::Char(ch)
                    }
                    _ => Node::Char('x'),
                }
            }
            'u' => {
                let hex: String = self.chars.iter().skip(self.pos).take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) if hex.len() == 4 => {
                        self.pos += 4;
                        Node::Char(ch)
                    }
                    _ => Node::Char('u'),
                }
            }
            '1'..='9' if !in_class => {
                self.pos -= 1;
                let n = self.number().unwrap_or(0);
                Node::Backref(n)
            }
            c => Node::Char(c),
        })
    }

    fn class(&mut self) -> Result<Node, Fail> {
        let negated = self.eat('^');
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.peek() else { return Err(syntax_error()) };
            if c == ']' && !first {
                self.pos += 1;
                break;
            }
            if c == ']' && first {
                self.pos += 1;
                break;
            }
            first = false;
            self.pos += 1;
            let lo = if c == '\\' {
                match self.escape(true)? {
                    Node::Char(ch) => ch,
                    Node::Class(mut its, _) => {
                        items.append(&mut its);
                        continue;
                    }
                    _ => continue,
                }
            } else {
                c
            };
            if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|&n| n != ']') {
                self.pos += 1;
                let Some(h) = self.peek() else { return Err(syntax_error()) };
                self.pos += 1;
                let hi = if h == '\\' {
                    match self.escape(true)? {
                        Node::Char(ch) => ch,
                        Node::Class(mut its, _) => {
                            items.push(ClassItem::Range(lo, lo));
                            items.push(ClassItem::Range('-', '-'));
                            items.append(&mut its);
                            continue;
                        }
                        _ => h,
                    }
                } else {
                    h
                };
                items.push(ClassItem::Range(lo, hi));
            } else {
                items.push(ClassItem::Range(lo, lo));
            }
        }
        Ok(Node::Class(items, negated))
    }
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn is_js_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{a0}' | '\u{feff}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// JavaScript's case-insensitive key for a character (Canonicalize, without the `u` flag):
/// its upper-case form when that is one UTF-16 unit and does not take a non-ASCII character to
/// ASCII (so `ſ` stays apart from `s`); otherwise the character itself.
fn fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_uppercase();
    }
    single_char(crate::host::to_upper_case(c.encode_utf8(&mut [0; 4]))).filter(|u| !u.is_ascii()).unwrap_or(c)
}

/// The lower-case form of a character, when it is one character (to test classes like `[a-z]`).
fn lower(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    single_char(crate::host::to_lower_case(c.encode_utf8(&mut [0; 4]))).unwrap_or(c)
}

/// The only character of `s` if it has exactly one, in the Basic Multilingual Plane.
fn single_char(s: String) -> Option<char> {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if (c as u32) <= 0xFFFF => Some(c),
        _ => None,
    }
}

struct Matcher<'a> {
    re: &'a Regex,
    s: &'a [char],
    caps: Vec<Option<(usize, usize)>>,
    steps: usize,
    exhausted: bool,
    stack_base: usize,
}

type Cont<'k, 'a> = &'k mut dyn FnMut(&mut Matcher<'a>, usize) -> bool;

impl<'a> Matcher<'a> {
    fn tick(&mut self) -> bool {
        self.steps += 1;
        if self.steps > REGEX_STEP_BUDGET || self.stack_base.abs_diff(stack_position()) > REGEX_STACK_LIMIT {
            self.exhausted = true;
        }
        !self.exhausted
    }

    fn char_eq(&self, a: char, b: char) -> bool {
        a == b || (self.re.ignore_case && fold(a) == fold(b))
    }

    fn class_has(&self, items: &[ClassItem], negated: bool, c: char) -> bool {
        let test = |c: char| {
            items.iter().any(|it| match it {
                ClassItem::Range(lo, hi) => *lo <= c && c <= *hi,
                ClassItem::Digit(p) => c.is_ascii_digit() == *p,
                ClassItem::Word(p) => is_word(c) == *p,
                ClassItem::Space(p) => is_js_space(c) == *p,
            })
        };
        let mut hit = test(c);
        if !hit && self.re.ignore_case {
            hit = test(fold(c)) || test(lower(c));
        }
        hit != negated
    }

    /// Whether a single-character node matches at `pos`.
    fn single(&self, node: &Node, pos: usize) -> Option<bool> {
        let c = self.s.get(pos).copied();
        Some(match node {
            Node::Char(x) => c.is_some_and(|c| self.char_eq(c, *x)),
            Node::Any => c.is_some_and(|c| !matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')),
            Node::Class(items, neg) => c.is_some_and(|c| self.class_has(items, *neg, c)),
            _ => return None,
        })
    }

    fn at_boundary(&self, pos: usize) -> bool {
        let before = pos > 0 && self.s.get(pos - 1).is_some_and(|&c| is_word(c));
        let after = self.s.get(pos).is_some_and(|&c| is_word(c));
        before != after
    }

    fn m(&mut self, node: &Node, pos: usize, k: Cont<'_, 'a>) -> bool {
        if !self.tick() {
            return false;
        }
        match node {
            Node::Empty => k(self, pos),
            Node::Char(_) | Node::Any | Node::Class(..) => {
                if self.single(node, pos) == Some(true) {
                    k(self, pos + 1)
                } else {
                    false
                }
            }
            Node::Start => {
                let ok = pos == 0 || (self.re.multiline && matches!(self.s.get(pos - 1), Some('\n' | '\r')));
                ok && k(self, pos)
            }
            Node::End => {
                let ok = pos == self.s.len() || (self.re.multiline && matches!(self.s.get(pos), Some('\n' | '\r')));
                ok && k(self, pos)
            }
            Node::WordBoundary(want) => self.at_boundary(pos) == *want && k(self, pos),
            Node::Group(inner, None) => self.m(inner, pos, k),
            Node::Group(inner, Some(i)) => {
                let i = *i;
                self.m(inner, pos, &mut |m: &mut Matcher<'a>, p| {
                    let prev = m.caps[i];
                    m.caps[i] = Some((pos, p));
                    if k(m, p) {
                        true
                    } else {
                        m.caps[i] = prev;
                        false
                    }
                })
            }
            Node::Concat(items) => self.seq(items, 0, pos, k),
            Node::Alt(alts) => {
                for alt in alts {
                    if self.m(alt, pos, k) {
                        return true;
                    }
                    if self.exhausted {
                        return false;
                    }
                }
                false
            }
            Node::Repeat { node: inner, min, max, greedy } => {
                if self.single(inner, pos).is_some() {
                    let mut n = 0;
                    while n < *max && self.single(inner, pos + n) == Some(true) {
                        n += 1;
                    }
                    if n < *min {
                        return false;
                    }
                    if *greedy {
                        let mut c = n;
                        loop {
                            if k(self, pos + c) {
                                return true;
                            }
                            if c == *min || self.exhausted {
                                return false;
                            }
                            c -= 1;
                        }
                    } else {
                        for c in *min..=n {
                            if k(self, pos + c) {
                                return true;
                            }
                            if self.exhausted {
                                return false;
                            }
                        }
                        false
                    }
                } else {
                    self.repeat(inner, *min, *max, *greedy, 0, pos, k)
                }
            }
            Node::Look { node: inner, ahead: true, negate } => {
                let saved = self.caps.clone();
                let matched = self.m(inner, pos, &mut |_, _| true);
                if matched == *negate {
                    self.caps = saved;
                    return false;
                }
                if *negate {
                    self.caps = saved;
                }
                k(self, pos)
            }
            Node::Look { node: inner, ahead: false, negate } => {
                let saved = self.caps.clone();
                let mut matched = false;
                for start in (0..=pos).rev() {
                    if self.m(inner, start, &mut |_, p| p == pos) {
                        matched = true;
                        break;
                    }
                }
                if matched == *negate {
                    self.caps = saved;
                    return false;
                }
                k(self, pos)
            }
            Node::Backref(i) => {
                let Some(Some((a, b))) = self.caps.get(*i).copied() else { return k(self, pos) };
                let len = b - a;
                if pos + len > self.s.len() {
                    return false;
                }
                for j in 0..len {
                    if !self.char_eq(self.s[a + j], self.s[pos + j]) {
                        return false;
                    }
                }
                k(self, pos + len)
            }
        }
    }

    fn seq(&mut self, items: &[Node], i: usize, pos: usize, k: Cont<'_, 'a>) -> bool {
        if i == items.len() {
            return k(self, pos);
        }
        self.m(&items[i], pos, &mut |m: &mut Matcher<'a>, p| m.seq(items, i + 1, p, k))
    }

    #[allow(clippy::too_many_arguments)]
    fn repeat(
        &mut self,
        inner: &Node,
        min: usize,
        max: usize,
        greedy: bool,
        count: usize,
        pos: usize,
        k: Cont<'_, 'a>,
    ) -> bool {
        if !self.tick() {
            return false;
        }
        let try_more = |m: &mut Matcher<'a>, k: Cont<'_, 'a>| -> bool {
            if count >= max {
                return false;
            }
            m.m(inner, pos, &mut |m2: &mut Matcher<'a>, p| {
                if p == pos && count >= min {
                    return false;
                }
                m2.repeat(inner, min, max, greedy, count + 1, p, k)
            })
        };
        if greedy {
            if try_more(self, k) {
                return true;
            }
            count >= min && !self.exhausted && k(self, pos)
        } else {
            if count >= min && k(self, pos) {
                return true;
            }
            !self.exhausted && try_more(self, k)
        }
    }
}

impl Regex {
    /// Compiles a JavaScript-syntax pattern with flags (`i`, `m`; others ignored).
    pub fn new(pattern: &str, flags: &str) -> Result<Regex, Fail> {
        let mut st = ParseState { chars: pattern.chars().collect(), pos: 0, groups: 0 };
        let root = st.alternation(0)?;
        if st.pos != st.chars.len() {
            return Err(syntax_error().token(pattern));
        }
        Ok(Regex {
            source: pattern.to_string(),
            root,
            groups: st.groups,
            ignore_case: flags.contains('i'),
            multiline: flags.contains('m'),
        })
    }

    /// The pattern text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The first match starting at or after char offset `from`: group 0 is the whole match.
    pub fn find_at(&self, s: &[char], from: usize) -> Result<Option<Captures>, Fail> {
        let stack_base = stack_position();
        let mut m = Matcher { re: self, s, caps: vec![None; self.groups + 1], steps: 0, exhausted: false, stack_base };
        for start in from..=s.len() {
            for c in m.caps.iter_mut() {
                *c = None;
            }
            let mut end = None;
            if m.m(&self.root, start, &mut |_, p| {
                end = Some(p);
                true
            }) {
                let mut caps = m.caps.clone();
                caps[0] = Some((start, end.unwrap_or(start)));
                return Ok(Some(caps));
            }
            if m.exhausted {
                return Err(Error::new("U1001"));
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(p: &str, f: &str, s: &str) -> Option<(usize, usize)> {
        let re = Regex::new(p, f).ok()?;
        let chars: Vec<char> = s.chars().collect();
        re.find_at(&chars, 0).ok().flatten().and_then(|c| c[0])
    }

    #[test]
    fn basics() {
        assert_eq!(find("a.*?a", "", "xabcaba"), Some((1, 5)));
        assert_eq!(find("a.*a", "", "xabcaba"), Some((1, 7)));
        assert_eq!(find("^(\\w*\\s\\w*)", "", "hello world x"), Some((0, 11)));
        assert_eq!(find("HAT", "i", "a hat"), Some((2, 5)));
        assert_eq!(find("(ab)|(a)", "", "xa"), Some((1, 2)));
        assert_eq!(find("[M1,2]", "", "xx2"), Some((2, 3)));
        assert_eq!(find("(a)\\1", "", "baab"), Some((1, 3)));
        assert_eq!(find("foo(?=bar)", "", "foobaz foobar"), Some((7, 10)));
        assert_eq!(find("\\d{2,3}", "", "a1234"), Some((1, 4)));
    }

    #[test]
    fn long_inputs_end_in_an_error_not_a_crash() {
        let Ok(re) = Regex::new("(a|b)+", "") else { panic!("pattern") };
        let s: Vec<char> = "ab".repeat(200_000).chars().collect();
        assert!(re.find_at(&s, 0).is_err());
        let Ok(re) = Regex::new("(x+x+)+y", "") else { panic!("pattern") };
        let s: Vec<char> = "x".repeat(40).chars().collect();
        assert!(re.find_at(&s, 0).is_err());
    }
}
