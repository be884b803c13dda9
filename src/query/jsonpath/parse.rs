//! The path parser: Jayway's grammar (dot and bracket notation, `*`, `..`, slices, unions,
//! filters, functions) with ASL's roots (`$`, `$$`, `$name`).
//!
//! A backslash keeps the next character from ending a name, and both characters stay in the
//! name: `$['a\'b']` names `a\'b` (AWS-recorded: its Jayway does not unescape bracket names),
//! and likewise `$.store\.book` names `store\.book`, so that the odd Reference Paths of the ASL
//! specification (`$.foo\@bar.baz\[\[.\?pretty`) parse.

use std::rc::Rc;

use super::filter::{number, Filter, Op, Operand};
use super::{Path, PathError, PathFunction, PathRoot, Step};
use crate::value::{Map, Value};

/// How deeply filters may nest inside filters (`[?(@.a[?(@.b)])]`).
const MAX_FILTER_DEPTH: usize = 16;

/// Parses a whole path text into its root and steps.
pub(super) fn parse_path(text: &str) -> Result<(PathRoot, Vec<Step>), PathError> {
    let trimmed_start = text.len() - text.trim_start().len();
    let mut p = Parser { text: text.trim_end(), pos: trimmed_start, depth: 0 };
    if p.peek() != Some('$') {
        return Err(p.error("A path must start with '$'"));
    }
    p.pos += 1;
    let root = match p.peek() {
        Some('$') => {
            p.pos += 1;
            PathRoot::Context
        }
        None | Some('.') | Some('[') => PathRoot::Input,
        Some(_) => PathRoot::Variable(p.variable_name()?),
    };
    let steps = p.steps(false)?;
    if let Some(c) = p.peek() {
        return Err(p.error(format!("Unexpected character '{c}'")));
    }
    Ok((root, steps))
}

/// A cursor over a path text; shared with the filter parser, which reads `@...` and `$...`
/// operands with the same step grammar.
pub(super) struct Parser<'a> {
    pub(super) text: &'a str,
    pub(super) pos: usize,
    pub(super) depth: usize,
}

impl<'a> Parser<'a> {
    pub(super) fn peek(&self) -> Option<char> {
        self.text.get(self.pos..).and_then(|s| s.chars().next())
    }

    pub(super) fn peek_at(&self, offset: usize) -> Option<char> {
        self.text.get(self.pos..).and_then(|s| s.chars().nth(offset))
    }

    pub(super) fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or("")
    }

    /// Moves past the current character.
    pub(super) fn bump(&mut self) {
        if let Some(c) = self.peek() {
            self.pos += c.len_utf8();
        }
    }

    pub(super) fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    pub(super) fn error(&self, message: impl Into<String>) -> PathError {
        PathError { message: message.into(), position: self.pos }
    }

    pub(super) fn expect(&mut self, c: char) -> Result<(), PathError> {
        if self.peek() == Some(c) {
            self.bump();
            Ok(())
        } else {
            Err(self.error(format!("Expected '{c}'")))
        }
    }

    fn variable_name(&mut self) -> Result<Rc<str>, PathError> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c == '.' || c == '[' {
                break;
            }
            if !(c.is_alphanumeric() || c == '_') {
                return Err(self.error(format!("Invalid character '{c}' in a variable name")));
            }
            self.bump();
        }
        let name = &self.text[start..self.pos];
        if name.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(PathError { message: "A variable name may not start with a digit".into(), position: start });
        }
        Ok(Rc::from(name))
    }

    /// Reads steps until the text ends or (inside a filter) a character that cannot continue
    /// a path. A function, when present, is the last step.
    pub(super) fn steps(&mut self, in_filter: bool) -> Result<Vec<Step>, PathError> {
        let mut steps = Vec::new();
        loop {
            if matches!(steps.last(), Some(Step::Function(_))) {
                if !in_filter && self.peek().is_some() {
                    return Err(self.error("A path function must end the path"));
                }
                break;
            }
            match self.peek() {
                Some('.') => {
                    self.bump();
                    if self.peek() == Some('.') {
                        self.bump();
                        steps.push(Step::Scan);
                    }
                    match self.peek() {
                        None => return Err(self.error("A path must not end with a '.' or '..'")),
                        Some('[') => steps.push(self.bracket()?),
                        Some('*') => {
                            self.bump();
                            steps.push(Step::Wildcard);
                        }
                        Some('.') => return Err(self.error("Character '.' is not valid here")),
                        Some(_) => steps.push(self.property_or_function(in_filter)?),
                    }
                }
                Some('[') => steps.push(self.bracket()?),
                _ => break,
            }
        }
        Ok(steps)
    }

    /// A name in dot notation, or a function call `name(...)`.
    fn property_or_function(&mut self, in_filter: bool) -> Result<Step, PathError> {
        let start = self.pos;
        let mut name = String::new();
        while let Some(c) = self.peek() {
            match c {
                '.' | '[' | '(' => break,
                '\\' => {
                    // Keeps the next character from ending the name; both stay in it.
                    name.push(c);
                    self.bump();
                    if let Some(next) = self.peek() {
                        name.push(next);
                        self.bump();
                    }
                    continue;
                }
                c if in_filter && (c.is_whitespace() || ")]<>=!&|,".contains(c)) => break,
                c if c.is_whitespace() => {
                    return Err(self.error("Use bracket notation ['my prop'] for a name with blanks"))
                }
                _ => {}
            }
            name.push(c);
            self.bump();
        }
        if name.is_empty() {
            return Err(PathError { message: "Expected a name".into(), position: start });
        }
        if self.peek() == Some('(') {
            return self.function(&name, start);
        }
        Ok(Step::Property(Rc::from(name)))
    }

    fn function(&mut self, name: &str, start: usize) -> Result<Step, PathError> {
        self.bump(); // '('
        self.skip_ws();
        let args_start = self.pos;
        while self.peek().is_some_and(|c| c != ')') {
            self.bump();
        }
        let args = self.text[args_start..self.pos].trim();
        self.expect(')')?;
        let no_args = |f: PathFunction| {
            if args.is_empty() {
                Ok(Step::Function(f))
            } else {
                Err(PathError { message: format!("The function {name}() takes no arguments"), position: args_start })
            }
        };
        match name {
            "length" => no_args(PathFunction::Length),
            "sum" => no_args(PathFunction::Sum),
            "min" => no_args(PathFunction::Min),
            "max" => no_args(PathFunction::Max),
            "avg" => no_args(PathFunction::Avg),
            "stddev" => no_args(PathFunction::Stddev),
            "keys" => no_args(PathFunction::Keys),
            "first" => no_args(PathFunction::First),
            "last" => no_args(PathFunction::Last),
            "index" => match args.parse::<i64>() {
                Ok(n) => Ok(Step::Function(PathFunction::Index(n))),
                Err(_) => Err(PathError { message: "index() takes one integer".into(), position: args_start }),
            },
            _ => Err(PathError { message: format!("Unknown path function: {name}()"), position: start }),
        }
    }

    /// `[...]`: quoted names, indexes, a slice, `*` or a filter.
    fn bracket(&mut self) -> Result<Step, PathError> {
        self.bump(); // '['
        self.skip_ws();
        let step = match self.peek() {
            Some('?') => {
                self.bump();
                self.skip_ws();
                self.expect('(')?;
                if self.depth >= MAX_FILTER_DEPTH {
                    return Err(self.error("Filters are nested too deeply"));
                }
                self.depth += 1;
                let expr = parse_filter(self)?;
                self.depth -= 1;
                self.skip_ws();
                self.expect(')')?;
                Step::Filter(Rc::new(expr))
            }
            Some('*') => {
                self.bump();
                Step::Wildcard
            }
            Some(q @ ('\'' | '"')) => {
                let mut names = vec![Rc::from(self.quoted(q, false)?)];
                self.skip_ws();
                while self.peek() == Some(',') {
                    self.bump();
                    self.skip_ws();
                    match self.peek() {
                        Some(q @ ('\'' | '"')) => names.push(Rc::from(self.quoted(q, false)?)),
                        _ => return Err(self.error("Expected a quoted name")),
                    }
                    self.skip_ws();
                }
                if names.len() == 1 {
                    Step::Property(names.remove(0))
                } else {
                    Step::Properties(names.into())
                }
            }
            Some(c) if c.is_ascii_digit() || c == '-' || c == ':' => self.indexes()?,
            Some(']') => return Err(self.error("Empty brackets")),
            _ => return Err(self.error("Expected a quoted name, an index, a slice, '*' or a filter")),
        };
        self.skip_ws();
        self.expect(']')?;
        Ok(step)
    }

    /// A quoted string; the cursor is on the opening quote. A backslash always keeps the next
    /// character from closing the string; with `unescape` it is then read as a JSON-style
    /// escape (filter literals), without it both characters are kept (bracket names).
    pub(super) fn quoted(&mut self, quote: char, unescape: bool) -> Result<String, PathError> {
        let start = self.pos;
        self.bump();
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Err(PathError { message: "Unterminated quoted string".into(), position: start }),
                Some(c) if c == quote => {
                    self.bump();
                    return Ok(out);
                }
                Some('\\') => {
                    self.bump();
                    let Some(e) = self.peek() else { continue };
                    self.bump();
                    if !unescape {
                        out.push('\\');
                        out.push(e);
                        continue;
                    }
                    match e {
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        'u' => {
                            let hex = self.rest().get(..4).unwrap_or("");
                            match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                                Some(ch) if hex.len() == 4 => {
                                    out.push(ch);
                                    self.pos += 4;
                                }
                                _ => return Err(self.error("Invalid \\u escape")),
                            }
                        }
                        other => out.push(other),
                    }
                }
                Some(c) => {
                    out.push(c);
                    self.bump();
                }
            }
        }
    }

    /// Index lists `[0,1]` and slices `[1:3]`, `[-2:]`, `[:2]` as Jayway reads them.
    fn indexes(&mut self) -> Result<Step, PathError> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c != ']') {
            self.bump();
        }
        let content = &self.text[start..self.pos];
        let invalid = || PathError { message: format!("Invalid array index or slice: [{content}]"), position: start };
        if !content.chars().all(|c| c.is_ascii_digit() || c == '-' || c == ':' || c == ',' || c.is_whitespace()) {
            return Err(invalid());
        }
        if content.contains(':') {
            if content.contains(',') {
                return Err(invalid());
            }
            // Jayway splits on ':' and reads the first two parts; a third (step) is ignored.
            let mut parts = content.split(':');
            let read = |p: Option<&str>| p.and_then(|s| s.trim().parse::<i64>().ok());
            let from = read(parts.next());
            let to = read(parts.next());
            if from.is_none() && to.is_none() {
                return Err(invalid());
            }
            return Ok(Step::Slice { from, to });
        }
        let mut list = Vec::new();
        for part in content.split(',') {
            list.push(part.trim().parse::<i64>().map_err(|_| invalid())?);
        }
        Ok(if list.len() == 1 { Step::Index(list[0]) } else { Step::Indexes(list.into()) })
    }
}

// Filters, `[?(...)]`: their grammar is part of the path grammar (a filter's operands are
// paths), so they are parsed here; `filter.rs` holds what they parse into and evaluates it.

/// Parses the expression inside `[?(` ... `)]`; the cursor stops before the closing `)`.
pub(super) fn parse_filter(p: &mut Parser) -> Result<Filter, PathError> {
    or(p)
}

fn or(p: &mut Parser) -> Result<Filter, PathError> {
    let mut left = and(p)?;
    loop {
        p.skip_ws();
        if !p.rest().starts_with("||") {
            return Ok(left);
        }
        p.pos += 2;
        left = Filter::Or(Box::new(left), Box::new(and(p)?));
    }
}

fn and(p: &mut Parser) -> Result<Filter, PathError> {
    let mut left = unary(p)?;
    loop {
        p.skip_ws();
        if !p.rest().starts_with("&&") {
            return Ok(left);
        }
        p.pos += 2;
        left = Filter::And(Box::new(left), Box::new(unary(p)?));
    }
}

fn unary(p: &mut Parser) -> Result<Filter, PathError> {
    p.skip_ws();
    if p.peek() == Some('!') && p.peek_at(1) != Some('=') {
        p.bump();
        return Ok(Filter::Not(Box::new(unary(p)?)));
    }
    if p.peek() == Some('(') {
        p.bump();
        nested(p)?;
        let inner = or(p)?;
        p.depth -= 1;
        p.skip_ws();
        p.expect(')')?;
        return Ok(inner);
    }
    comparison(p)
}

/// Counts one level of nesting, refusing absurd depths.
fn nested(p: &mut Parser) -> Result<(), PathError> {
    if p.depth >= 32 {
        return Err(p.error("Filter expression nested too deeply"));
    }
    p.depth += 1;
    Ok(())
}

fn comparison(p: &mut Parser) -> Result<Filter, PathError> {
    let left = operand(p)?;
    p.skip_ws();
    match operator(p)? {
        Some(op) => {
            p.skip_ws();
            let right = operand(p)?;
            Ok(Filter::Compare(left, op, right))
        }
        None => match left {
            Operand::Literal(_) => Err(p.error("Expected a comparison operator")),
            path => Ok(Filter::Exists(path)),
        },
    }
}

fn operator(p: &mut Parser) -> Result<Option<Op>, PathError> {
    const SYMBOLS: [(&str, Op); 6] =
        [("==", Op::Eq), ("!=", Op::Ne), ("<=", Op::Le), (">=", Op::Ge), ("<", Op::Lt), (">", Op::Gt)];
    const WORDS: [(&str, Op); 8] = [
        ("nin", Op::Nin),
        ("in", Op::In),
        ("subsetof", Op::SubsetOf),
        ("anyof", Op::AnyOf),
        ("noneof", Op::NoneOf),
        ("size", Op::Size),
        ("empty", Op::Empty),
        ("contains", Op::Contains),
    ];
    let rest = p.rest();
    if rest.starts_with("=~") {
        return Err(p.error("Regular expression filters (=~) are not supported"));
    }
    for (text, op) in SYMBOLS {
        if rest.starts_with(text) {
            p.pos += text.len();
            return Ok(Some(op));
        }
    }
    for (word, op) in WORDS {
        if rest.starts_with(word) && !rest[word.len()..].starts_with(|c: char| c.is_alphanumeric()) {
            p.pos += word.len();
            return Ok(Some(op));
        }
    }
    Ok(None)
}

fn operand(p: &mut Parser) -> Result<Operand, PathError> {
    p.skip_ws();
    let start = p.pos;
    match p.peek() {
        Some(root @ ('@' | '$')) => {
            p.bump();
            let steps = p.steps(true)?;
            let text = format!("${}", &p.text[start + 1..p.pos]);
            let path = Path::from_parts(&text, PathRoot::Input, steps);
            Ok(if root == '@' { Operand::Current(path) } else { Operand::Document(path) })
        }
        Some('/') => Err(p.error("Regular expression filters are not supported")),
        // An unquoted word is the string it spells (see `filter.rs`); true, false and null
        // keep their meaning.
        Some(c) if c.is_alphabetic() || c == '_' => {
            while p.peek().is_some_and(|c| c.is_alphanumeric() || "_-.".contains(c)) {
                p.bump();
            }
            Ok(match &p.text[start..p.pos] {
                "true" => Operand::Literal(Value::Bool(true)),
                "false" => Operand::Literal(Value::Bool(false)),
                "null" => Operand::Literal(Value::Null),
                word => Operand::Word(Rc::from(word)),
            })
        }
        Some(_) => Ok(Operand::Literal(literal(p)?)),
        None => Err(p.error("Expected a value")),
    }
}

/// A literal: number, quoted string, `true`, `false`, `null`, or a JSON-like array or object
/// whose strings may use either quote.
fn literal(p: &mut Parser) -> Result<Value, PathError> {
    p.skip_ws();
    let start = p.pos;
    match p.peek() {
        Some(q @ ('\'' | '"')) => Ok(Value::from(p.quoted(q, true)?)),
        Some(c) if c.is_ascii_digit() || c == '-' => {
            while p.peek().is_some_and(|c| c.is_ascii_digit() || "+-.eE".contains(c)) {
                p.bump();
            }
            number(&p.text[start..p.pos]).ok_or_else(|| PathError { message: "Invalid number".into(), position: start })
        }
        Some('[') => {
            p.bump();
            nested(p)?;
            let mut items = Vec::new();
            p.skip_ws();
            if p.peek() != Some(']') {
                loop {
                    items.push(literal(p)?);
                    p.skip_ws();
                    if p.peek() != Some(',') {
                        break;
                    }
                    p.bump();
                }
            }
            p.expect(']')?;
            p.depth -= 1;
            Ok(Value::from(items))
        }
        Some('{') => {
            p.bump();
            nested(p)?;
            let mut map = Map::new();
            p.skip_ws();
            if p.peek() != Some('}') {
                loop {
                    p.skip_ws();
                    let key = match p.peek() {
                        Some(q @ ('\'' | '"')) => p.quoted(q, true)?,
                        _ => return Err(p.error("Expected a quoted key")),
                    };
                    p.skip_ws();
                    p.expect(':')?;
                    map.insert(key, literal(p)?);
                    p.skip_ws();
                    if p.peek() != Some(',') {
                        break;
                    }
                    p.bump();
                }
            }
            p.expect('}')?;
            p.depth -= 1;
            Ok(Value::from(map))
        }
        _ => {
            for (word, value) in [("true", Value::Bool(true)), ("false", Value::Bool(false)), ("null", Value::Null)] {
                if p.rest().starts_with(word) {
                    p.pos += word.len();
                    return Ok(value);
                }
            }
            Err(p.error("Expected a path, a quoted string, a number, true, false or null"))
        }
    }
}
