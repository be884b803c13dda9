//! The intrinsic functions of ASL's JSONPath mode (`States.Format('{}', $.x)` and the other
//! seventeen): parsed once into a call tree, then evaluated against an [`Env`].
//!
//! Arguments are `'strings'` (escapes `\'`, `\{`, `\}`, `\\` and nothing else), JSON numbers,
//! `true`, `false`, `null`, paths (`$.x`, `$$.x`, `$name.x`) and nested calls, at most
//! [`MAX_NESTING`] deep. Argument counts and types are checked when the call runs, as AWS
//! does; a bad call fails with `States.Runtime` and "Invalid arguments in States.<Name>".

mod functions;

use std::fmt;
use std::rc::Rc;

use crate::query::jsonpath::Path;
use crate::query::{Env, EvalError};
use crate::value::Value;

/// How deeply intrinsic calls may nest inside one another (AWS's documented limit).
pub const MAX_NESTING: usize = 10;

/// The eighteen intrinsic functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    Format,
    StringToJson,
    JsonToString,
    Array,
    ArrayPartition,
    ArrayContains,
    ArrayRange,
    ArrayGetItem,
    ArrayLength,
    ArrayUnique,
    Base64Encode,
    Base64Decode,
    Hash,
    JsonMerge,
    MathRandom,
    MathAdd,
    StringSplit,
    Uuid,
}

const FUNCTIONS: [Function; 18] = [
    Function::Format,
    Function::StringToJson,
    Function::JsonToString,
    Function::Array,
    Function::ArrayPartition,
    Function::ArrayContains,
    Function::ArrayRange,
    Function::ArrayGetItem,
    Function::ArrayLength,
    Function::ArrayUnique,
    Function::Base64Encode,
    Function::Base64Decode,
    Function::Hash,
    Function::JsonMerge,
    Function::MathRandom,
    Function::MathAdd,
    Function::StringSplit,
    Function::Uuid,
];

impl Function {
    /// The eighteen, in AWS's documentation order.
    pub fn all() -> [Function; 18] {
        FUNCTIONS
    }

    /// The name as written in a definition, e.g. `States.ArrayGetItem`.
    pub fn name(self) -> &'static str {
        match self {
            Function::Format => "States.Format",
            Function::StringToJson => "States.StringToJson",
            Function::JsonToString => "States.JsonToString",
            Function::Array => "States.Array",
            Function::ArrayPartition => "States.ArrayPartition",
            Function::ArrayContains => "States.ArrayContains",
            Function::ArrayRange => "States.ArrayRange",
            Function::ArrayGetItem => "States.ArrayGetItem",
            Function::ArrayLength => "States.ArrayLength",
            Function::ArrayUnique => "States.ArrayUnique",
            Function::Base64Encode => "States.Base64Encode",
            Function::Base64Decode => "States.Base64Decode",
            Function::Hash => "States.Hash",
            Function::JsonMerge => "States.JsonMerge",
            Function::MathRandom => "States.MathRandom",
            Function::MathAdd => "States.MathAdd",
            Function::StringSplit => "States.StringSplit",
            Function::Uuid => "States.UUID",
        }
    }

    /// The function a definition names, if it is one of the eighteen.
    pub fn from_name(name: &str) -> Option<Function> {
        FUNCTIONS.into_iter().find(|f| f.name() == name)
    }
}

/// A parsed intrinsic function call.
///
/// ```
/// use aslplay::{json, query::{intrinsics::Intrinsic, Env, SeededRandom}};
/// let call = Intrinsic::parse("States.Format('Hello, {}!', $.name)").unwrap();
/// let input = json::parse(r#"{"name": "Ada"}"#).unwrap();
/// let mut random = SeededRandom(1);
/// let mut env = Env { input: &input, context: &json::parse("{}").unwrap(), variables: &(), random: &mut random };
/// assert_eq!(call.evaluate(&mut env, "greeting.$").unwrap().as_str(), Some("Hello, Ada!"));
/// ```
#[derive(Clone, Debug)]
pub struct Intrinsic {
    text: Rc<str>,
    call: Call,
}

#[derive(Clone, Debug)]
struct Call {
    function: Function,
    args: Vec<Arg>,
}

#[derive(Clone, Debug)]
enum Arg {
    Literal(Value),
    /// The first argument of `States.Format` when it is a string literal: its value, and its
    /// pieces as the literal's escapes decide them (`None` when the template is malformed).
    Template(Value, Option<Rc<[Piece]>>),
    Path(Path),
    Call(Box<Call>),
}

/// A piece of a `States.Format` template.
#[derive(Clone, Debug, PartialEq)]
enum Piece {
    Text(String),
    Placeholder,
}

/// An intrinsic call that failed to parse: what is wrong and at which byte.
#[derive(Clone, Debug, PartialEq)]
pub struct IntrinsicParseError {
    pub message: String,
    pub position: usize,
}

impl fmt::Display for IntrinsicParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at position {})", self.message, self.position)
    }
}

impl std::error::Error for IntrinsicParseError {}

impl Intrinsic {
    /// Parses an intrinsic function call such as `States.Array($.a, 'b', 3)`.
    pub fn parse(text: &str) -> Result<Intrinsic, IntrinsicParseError> {
        let mut p = Parser { text, pos: 0 };
        p.skip_ws();
        let call = p.call(1)?;
        p.skip_ws();
        if p.pos < text.len() {
            return Err(p.error("Unexpected text after the intrinsic function call"));
        }
        Ok(Intrinsic { text: Rc::from(text), call })
    }

    /// The text the call was parsed from.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The outermost function (a Fail state's `ErrorPath` accepts only string-valued ones).
    pub fn function(&self) -> Function {
        self.call.function
    }

    /// Evaluates the call. `field` is the template key it sits under (`"value.$"`), quoted by
    /// AWS's message when a path argument selects nothing.
    pub fn evaluate(&self, env: &mut Env, field: &str) -> Result<Value, EvalError> {
        self.call.evaluate(env, field)
    }
}

impl fmt::Display for Intrinsic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Call {
    fn evaluate(&self, env: &mut Env, field: &str) -> Result<Value, EvalError> {
        let mut template = None;
        // Most calls take at most four arguments: those are held on the stack.
        let mut few: [Value; 4] = Default::default();
        let mut many = Vec::new();
        let values: &[Value] = if self.args.len() <= few.len() {
            for (slot, arg) in few.iter_mut().zip(&self.args) {
                *slot = self.argument(arg, &mut template, env, field)?;
            }
            few.get(..self.args.len()).unwrap_or_default()
        } else {
            many.reserve_exact(self.args.len());
            for arg in &self.args {
                many.push(self.argument(arg, &mut template, env, field)?);
            }
            &many
        };
        functions::apply(self.function, values, template, env)
            .ok_or_else(|| EvalError::runtime(format!("Invalid arguments in {}", self.function.name())))
    }

    /// The value of one argument; a `States.Format` template also leaves its pieces in `template`.
    fn argument<'a>(
        &self,
        arg: &'a Arg,
        template: &mut Option<Option<&'a [Piece]>>,
        env: &mut Env,
        field: &str,
    ) -> Result<Value, EvalError> {
        Ok(match arg {
            Arg::Literal(v) => v.clone(),
            Arg::Template(v, pieces) => {
                *template = Some(pieces.as_deref());
                v.clone()
            }
            Arg::Path(path) => path.select_for_field(env, field)?,
            Arg::Call(call) => call.evaluate(env, field)?,
        })
    }
}

/// A string literal's value and, read as a `States.Format` template, its pieces (`None`
/// when a brace is unmatched).
type StringLiteral = (String, Option<Rc<[Piece]>>);

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<char> {
        self.text.get(self.pos..).and_then(|s| s.chars().next())
    }

    fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or("")
    }

    fn bump(&mut self) {
        if let Some(c) = self.peek() {
            self.pos += c.len_utf8();
        }
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    fn error(&self, message: impl Into<String>) -> IntrinsicParseError {
        IntrinsicParseError { message: message.into(), position: self.pos }
    }

    fn call(&mut self, depth: usize) -> Result<Call, IntrinsicParseError> {
        if depth > MAX_NESTING {
            return Err(self.error(format!("Intrinsic functions may be nested at most {MAX_NESTING} deep")));
        }
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == '.') {
            self.bump();
        }
        let name = &self.text[start..self.pos];
        let function = Function::from_name(name).ok_or_else(|| IntrinsicParseError {
            message: if name.is_empty() {
                "Expected an intrinsic function such as States.Format(...)".into()
            } else {
                format!("Unknown intrinsic function: {name}")
            },
            position: start,
        })?;
        self.skip_ws();
        if self.peek() != Some('(') {
            return Err(self.error(format!("Expected '(' after {name}")));
        }
        self.bump();
        self.skip_ws();
        let mut args = Vec::new();
        if self.peek() == Some(')') {
            self.bump();
            return Ok(Call { function, args });
        }
        loop {
            let template = function == Function::Format && args.is_empty();
            args.push(self.arg(depth, template)?);
            self.skip_ws();
            match self.peek() {
                Some(',') => {
                    self.bump();
                    self.skip_ws();
                }
                Some(')') => {
                    self.bump();
                    return Ok(Call { function, args });
                }
                _ => return Err(self.error("Expected ',' or ')'")),
            }
        }
    }

    fn arg(&mut self, depth: usize, template: bool) -> Result<Arg, IntrinsicParseError> {
        let start = self.pos;
        match self.peek() {
            Some('\'') => {
                let (value, pieces) = self.string()?;
                Ok(if template { Arg::Template(Value::from(value), pieces) } else { Arg::Literal(Value::from(value)) })
            }
            Some('$') => {
                let text = self.path_text();
                Path::parse(text).map(Arg::Path).map_err(|e| IntrinsicParseError {
                    message: format!("Invalid path '{text}': {}", e.message),
                    position: start + e.position,
                })
            }
            Some(c) if c.is_ascii_digit() || c == '-' => {
                while self.peek().is_some_and(|c| c.is_ascii_digit() || "+-.eE".contains(c)) {
                    self.bump();
                }
                crate::query::jsonpath::parse_number(&self.text[start..self.pos])
                    .map(Arg::Literal)
                    .ok_or_else(|| IntrinsicParseError { message: "Invalid number".into(), position: start })
            }
            _ if self.rest().starts_with("States.") => Ok(Arg::Call(Box::new(self.call(depth + 1)?))),
            _ => {
                for (word, value) in [("true", Value::Bool(true)), ("false", Value::Bool(false)), ("null", Value::Null)]
                {
                    let rest = self.rest();
                    if rest.starts_with(word)
                        && !rest[word.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
                    {
                        self.pos += word.len();
                        return Ok(Arg::Literal(value));
                    }
                }
                Err(self.error("Expected a 'string', a number, true, false, null, a path or an intrinsic function"))
            }
        }
    }

    /// A path argument: up to the `,` or `)` that ends it, outside brackets, parentheses and
    /// quotes.
    fn path_text(&mut self) -> &'a str {
        let start = self.pos;
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        while let Some(c) = self.peek() {
            if let Some(q) = quote {
                if c == '\\' {
                    self.bump();
                } else if c == q {
                    quote = None;
                }
            } else {
                match c {
                    '\'' | '"' => quote = Some(c),
                    '[' | '(' => depth += 1,
                    ']' | ')' if depth > 0 => depth -= 1,
                    ',' | ')' => break,
                    c if c.is_whitespace() && depth == 0 => break,
                    _ => {}
                }
            }
            self.bump();
        }
        &self.text[start..self.pos]
    }

    /// A `'...'` literal: its value and its pieces as a `States.Format` template.
    fn string(&mut self) -> Result<StringLiteral, IntrinsicParseError> {
        let start = self.pos;
        self.bump(); // opening quote
        let mut value = String::new();
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut well_formed = true;
        loop {
            let Some(c) = self.peek() else {
                return Err(IntrinsicParseError { message: "Unterminated string literal".into(), position: start });
            };
            self.bump();
            match c {
                '\'' => break,
                '\\' => {
                    let escaped = self.peek();
                    match escaped {
                        Some(e @ ('\'' | '{' | '}' | '\\')) => {
                            self.bump();
                            value.push(e);
                            text.push(e);
                        }
                        _ => return Err(IntrinsicParseError {
                            message:
                                "Invalid escape sequence in a string literal: only \\', \\{, \\} and \\\\ are allowed"
                                    .into(),
                            position: self.pos - 1,
                        }),
                    }
                }
                '{' => {
                    value.push('{');
                    if self.peek() == Some('}') {
                        self.bump();
                        value.push('}');
                        pieces.push(Piece::Text(std::mem::take(&mut text)));
                        pieces.push(Piece::Placeholder);
                    } else {
                        well_formed = false;
                    }
                }
                '}' => {
                    value.push('}');
                    well_formed = false;
                }
                c => {
                    value.push(c);
                    text.push(c);
                }
            }
        }
        pieces.push(Piece::Text(text));
        pieces.retain(|p| !matches!(p, Piece::Text(t) if t.is_empty()));
        Ok((value, well_formed.then(|| pieces.into())))
    }
}

#[cfg(test)]
mod tests;
