//! The tokenizer: turns JSONata source text into tokens one at a time, on demand of the
//! parser (whether `/` starts a regex depends on whether an operand precedes it).

use super::error::{Error, ErrorExt, Fail};

/// A token. `pos` is the offset just past the token, as the reference reports it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    Name(String),
    Var(String),
    Str(String),
    Num(f64),
    True,
    False,
    Null,
    Regex(String, String),
    Op(&'static str),
    End,
}

const OPERATORS: &[&str] = &[
    ".", "[", "]", "{", "}", "(", ")", ",", "@", "#", ";", ":", "?", "+", "-", "*", "/", "%", "|", "=", "<", ">", "^",
    "&", "!", "~",
];

fn is_op_char(c: char) -> bool {
    matches!(
        c,
        '.' | '['
            | ']'
            | '{'
            | '}'
            | '('
            | ')'
            | ','
            | '@'
            | '#'
            | ';'
            | ':'
            | '?'
            | '+'
            | '-'
            | '*'
            | '/'
            | '%'
            | '|'
            | '='
            | '<'
            | '>'
            | '^'
            | '&'
            | '!'
            | '~'
    )
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{b}')
}

/// Tokenizer state over the source characters.
pub(crate) struct Lexer {
    chars: Vec<char>,
    pub pos: usize,
}

impl Lexer {
    pub fn new(src: &str) -> Lexer {
        Lexer { chars: src.chars().collect(), pos: 0 }
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    fn at(&self, i: usize) -> char {
        self.chars.get(i).copied().unwrap_or('\0')
    }

    /// The source between two character offsets.
    pub fn slice(&self, from: usize, to: usize) -> String {
        self.chars[from.min(self.chars.len())..to.min(self.chars.len())].iter().collect()
    }

    /// Finds the `>` closing a function signature that opens at `open` (the `<`).
    pub fn signature_end(&self, open: usize) -> Option<usize> {
        let mut depth = 0;
        let mut i = open;
        while i < self.chars.len() {
            match self.chars[i] {
                '<' => depth += 1,
                '>' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                '{' => return None,
                _ => {}
            }
            i += 1;
        }
        None
    }

    /// The next token; `infix` is true when an operand precedes it (so `/` divides).
    pub fn next(&mut self, infix: bool) -> Result<(Tok, usize), Fail> {
        loop {
            while self.pos < self.len() && is_space(self.at(self.pos)) {
                self.pos += 1;
            }
            if self.at(self.pos) == '/' && self.at(self.pos + 1) == '*' {
                let start = self.pos;
                self.pos += 2;
                loop {
                    if self.pos >= self.len() {
                        return Err(Error::new("S0106").at(start));
                    }
                    if self.at(self.pos) == '*' && self.at(self.pos + 1) == '/' {
                        self.pos += 2;
                        break;
                    }
                    self.pos += 1;
                }
                continue;
            }
            break;
        }
        if self.pos >= self.len() {
            return Ok((Tok::End, self.len()));
        }
        let c = self.at(self.pos);
        if !infix && c == '/' {
            self.pos += 1;
            return self.regex();
        }
        let two = |a: char, b: char| c == a && self.at(self.pos + 1) == b;
        let double = if two('.', '.') {
            Some("..")
        } else if two(':', '=') {
            Some(":=")
        } else if two('!', '=') {
            Some("!=")
        } else if two('>', '=') {
            Some(">=")
        } else if two('<', '=') {
            Some("<=")
        } else if two('*', '*') {
            Some("**")
        } else if two('~', '>') {
            Some("~>")
        } else if two('?', ':') {
            Some("?:")
        } else if two('?', '?') {
            Some("??")
        } else {
            None
        };
        if let Some(op) = double {
            self.pos += 2;
            return Ok((Tok::Op(op), self.pos));
        }
        if is_op_char(c) {
            self.pos += 1;
            let op = OPERATORS.iter().find(|o| o.starts_with(c)).copied().unwrap_or(".");
            return Ok((Tok::Op(op), self.pos));
        }
        if c == '"' || c == '\'' {
            return self.string(c);
        }
        if c.is_ascii_digit() {
            return self.number();
        }
        if c == '`' {
            self.pos += 1;
            let start = self.pos;
            while self.pos < self.len() && self.at(self.pos) != '`' {
                self.pos += 1;
            }
            if self.pos >= self.len() {
                return Err(Error::new("S0105").at(self.len()));
            }
            let name = self.slice(start, self.pos);
            self.pos += 1;
            return Ok((Tok::Name(name), self.pos));
        }
        let start = self.pos;
        let mut i = self.pos;
        while i < self.len() && !is_space(self.at(i)) && !is_op_char(self.at(i)) {
            i += 1;
        }
        self.pos = i;
        if c == '$' {
            return Ok((Tok::Var(self.slice(start + 1, i)), i));
        }
        let name = self.slice(start, i);
        let tok = match name.as_str() {
            "or" => Tok::Op("or"),
            "in" => Tok::Op("in"),
            "and" => Tok::Op("and"),
            "true" => Tok::True,
            "false" => Tok::False,
            "null" => Tok::Null,
            "" => return Ok((Tok::End, self.len())),
            _ => Tok::Name(name),
        };
        Ok((tok, i))
    }

    fn regex(&mut self) -> Result<(Tok, usize), Fail> {
        let start = self.pos;
        let mut depth: i32 = 0;
        while self.pos < self.len() {
            let c = self.at(self.pos);
            if c == '/' && depth == 0 {
                let mut backslashes = 0;
                while self.pos > backslashes && self.at(self.pos - backslashes - 1) == '\\' {
                    backslashes += 1;
                }
                if backslashes % 2 == 0 {
                    let pattern = self.slice(start, self.pos);
                    if pattern.is_empty() {
                        return Err(Error::new("S0301").at(self.pos));
                    }
                    self.pos += 1;
                    let fstart = self.pos;
                    while matches!(self.at(self.pos), 'i' | 'm') {
                        self.pos += 1;
                    }
                    let flags = self.slice(fstart, self.pos);
                    return Ok((Tok::Regex(pattern, flags), self.pos));
                }
            }
            let escaped = self.pos > 0 && self.at(self.pos - 1) == '\\';
            if matches!(c, '(' | '[' | '{') && !escaped {
                depth += 1;
            }
            if matches!(c, ')' | ']' | '}') && !escaped {
                depth -= 1;
            }
            self.pos += 1;
        }
        Err(Error::new("S0302").at(self.pos))
    }

    fn string(&mut self, quote: char) -> Result<(Tok, usize), Fail> {
        self.pos += 1;
        let mut out = String::new();
        let mut pending_high: Option<u32> = None;
        while self.pos < self.len() {
            let c = self.at(self.pos);
            if c == '\\' {
                self.pos += 1;
                let e = self.at(self.pos);
                let simple = match e {
                    '"' => Some('"'),
                    '\\' => Some('\\'),
                    '/' => Some('/'),
                    'b' => Some('\u{8}'),
                    'f' => Some('\u{c}'),
                    'n' => Some('\n'),
                    'r' => Some('\r'),
                    't' => Some('\t'),
                    _ => None,
                };
                if let Some(ch) = simple {
                    flush_high(&mut out, &mut pending_high);
                    out.push(ch);
                } else if e == 'u' {
                    let hex = self.slice(self.pos + 1, self.pos + 5);
                    if hex.len() == 4 && hex.chars().all(|h| h.is_ascii_hexdigit()) {
                        let code = u32::from_str_radix(&hex, 16).unwrap_or(0xFFFD);
                        self.pos += 4;
                        if (0xD800..0xDC00).contains(&code) {
                            flush_high(&mut out, &mut pending_high);
                            pending_high = Some(code);
                        } else if (0xDC00..0xE000).contains(&code) {
                            if let Some(high) = pending_high.take() {
                                let cp = 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00);
                                out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                            } else {
                                out.push('\u{FFFD}');
                            }
                        } else {
                            flush_high(&mut out, &mut pending_high);
                            out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                        }
                    } else {
                        return Err(Error::new("S0104").at(self.pos));
                    }
                } else {
                    return Err(Error::new("S0103").at(self.pos).token(e.to_string()));
                }
            } else if c == quote {
                flush_high(&mut out, &mut pending_high);
                self.pos += 1;
                return Ok((Tok::Str(out), self.pos));
            } else {
                flush_high(&mut out, &mut pending_high);
                out.push(c);
            }
            self.pos += 1;
        }
        Err(Error::new("S0101").at(self.pos))
    }

    fn number(&mut self) -> Result<(Tok, usize), Fail> {
        let start = self.pos;
        let mut i = self.pos;
        if self.at(i) == '0' {
            i += 1;
        } else {
            while self.at(i).is_ascii_digit() {
                i += 1;
            }
        }
        if self.at(i) == '.' && self.at(i + 1).is_ascii_digit() {
            i += 1;
            while self.at(i).is_ascii_digit() {
                i += 1;
            }
        }
        if matches!(self.at(i), 'e' | 'E') {
            let mut j = i + 1;
            if matches!(self.at(j), '+' | '-') {
                j += 1;
            }
            if self.at(j).is_ascii_digit() {
                while self.at(j).is_ascii_digit() {
                    j += 1;
                }
                i = j;
            }
        }
        let text = self.slice(start, i);
        let n = crate::number_parse::parse_f64(&text).unwrap_or(f64::NAN);
        if !n.is_finite() {
            return Err(Error::new("S0102").at(start).token(text));
        }
        self.pos = i;
        Ok((Tok::Num(n), i))
    }
}

fn flush_high(out: &mut String, pending: &mut Option<u32>) {
    if pending.take().is_some() {
        out.push('\u{FFFD}');
    }
}
