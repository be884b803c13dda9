//! JSONPath as AWS Step Functions evaluates it (AWS runs the Java Jayway JsonPath library):
//! paths are parsed once into steps, then selected against the state input (`$`), the
//! context object (`$$`) or a workflow variable (`$name`) as often as needed.
//!
//! A *definite* path (only single names and single indexes) selects one value and fails when
//! nothing is there; an *indefinite* one (wildcard, slice, union of indexes, filter, `..`)
//! always yields an array of its matches, possibly empty. Failures carry Jayway's own text so
//! that callers can wrap it the way AWS does ([`Path::invalid_path_error`],
//! [`Path::not_found_error`]). [`ReferencePath`] is the single-node subset used by
//! `ResultPath` and friends, and knows how to write a value into a copy of a document.

mod eval;
mod filter;
mod parse;

use std::fmt;
use std::rc::Rc;

use crate::query::{Env, EvalError};
use crate::value::Value;

pub(crate) use filter::number as parse_number;
pub(crate) use filter::Filter;

/// Where a path starts.
#[derive(Clone, Debug, PartialEq)]
pub enum PathRoot {
    /// `$`: the value the expression reads (the state's input, the result, ...).
    Input,
    /// `$$`: the context object.
    Context,
    /// `$name`: the workflow variable `name`.
    Variable(Rc<str>),
}

/// One step of a parsed path (Jayway's path tokens).
#[derive(Clone, Debug)]
pub(crate) enum Step {
    /// `.name` or `['name']`.
    Property(Rc<str>),
    /// `['a','b']`: merged into one object at the end of a path, iterated elsewhere.
    Properties(Rc<[Rc<str>]>),
    /// `[n]`, negative counts from the end.
    Index(i64),
    /// `[n,m,...]`.
    Indexes(Rc<[i64]>),
    /// `[from:to]`, either bound optional (Jayway ignores a third, step, part).
    Slice { from: Option<i64>, to: Option<i64> },
    /// `.*` or `[*]`.
    Wildcard,
    /// `..`: the next step applies at every depth.
    Scan,
    /// `[?(...)]`.
    Filter(Rc<Filter>),
    /// `.length()` and the other Jayway path functions; always the last step.
    Function(PathFunction),
}

/// The Jayway path functions (`$.items.length()`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum PathFunction {
    Length,
    Sum,
    Min,
    Max,
    Avg,
    Stddev,
    Keys,
    First,
    Last,
    Index(i64),
}

impl Step {
    /// Whether this step on its own selects at most one node (Jayway's `isTokenDefinite`);
    /// `is_last` matters for `['a','b']`, which merges into one object only at the end.
    fn is_definite(&self, is_last: bool) -> bool {
        match self {
            Step::Property(_) | Step::Index(_) | Step::Function(_) => true,
            Step::Properties(_) => is_last,
            _ => false,
        }
    }
}

/// A parsed JSONPath: `$...`, `$$...` or `$name...`.
///
/// ```
/// use aslplay::query::jsonpath::Path;
/// let p = Path::parse("$.store.book[0].title").unwrap();
/// assert!(p.is_definite());
/// assert!(!Path::parse("$.store.book[*].title").unwrap().is_definite());
/// ```
#[derive(Clone, Debug)]
pub struct Path {
    text: Rc<str>,
    root: PathRoot,
    steps: Rc<[Step]>,
    /// Index of the first step that is not definite (`steps.len()` when all are).
    first_indefinite: usize,
    /// Only single names and indexes: evaluated by a loop that allocates nothing.
    simple: bool,
}

/// A path that failed to parse: what is wrong and at which byte of the text.
#[derive(Clone, Debug, PartialEq)]
pub struct PathError {
    pub message: String,
    pub position: usize,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at position {})", self.message, self.position)
    }
}

impl std::error::Error for PathError {}

/// Why a path selected nothing usable.
#[derive(Clone, Debug, PartialEq)]
pub enum PathSelectError {
    /// A definite path whose last step found nothing; `path` is Jayway's normalized form
    /// (`$['a']['b']`). Message: "No results for path: $['a']['b']".
    NoResults { path: String },
    /// A definite path missing a property before its last step; `path` is the normalized
    /// path up to that property. Message: "Missing property in path $['a']".
    MissingProperty { path: String },
    /// `$name` names no variable in scope.
    UndefinedVariable { name: Rc<str> },
    /// Any other failure Jayway reports on a definite path (a property looked up on a
    /// string, an index on an object, a filter on a number, a function on the wrong kind of
    /// value); `message` is Jayway's text.
    Invalid { message: String },
}

impl PathSelectError {
    /// True when the data simply lacks what the path names (as opposed to a type clash).
    pub fn is_not_found(&self) -> bool {
        !matches!(self, PathSelectError::Invalid { .. })
    }

    /// Jayway's message for this failure, as AWS quotes it after "Invalid path '<p>' : ".
    pub fn message(&self) -> String {
        match self {
            PathSelectError::NoResults { path } => format!("No results for path: {path}"),
            PathSelectError::MissingProperty { path } => format!("Missing property in path {path}"),
            PathSelectError::UndefinedVariable { name } => format!("Undefined variable: {name}"),
            PathSelectError::Invalid { message } => message.clone(),
        }
    }
}

impl fmt::Display for PathSelectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl Path {
    /// Parses a path as AWS accepts it (Jayway syntax with ASL's `$$` and `$name` roots).
    pub fn parse(text: &str) -> Result<Path, PathError> {
        let (root, steps) = parse::parse_path(text)?;
        Ok(Path::from_parts(text, root, steps))
    }

    fn from_parts(text: &str, root: PathRoot, steps: Vec<Step>) -> Path {
        let n = steps.len();
        let first_indefinite = steps.iter().enumerate().position(|(i, s)| !s.is_definite(i + 1 == n)).unwrap_or(n);
        let simple = steps.iter().all(|s| matches!(s, Step::Property(_) | Step::Index(_)));
        Path { text: Rc::from(text), root, steps: steps.into(), first_indefinite, simple }
    }

    /// The unquoted words the path's filters compare with (`Receipt` in
    /// `$.Labels[?(@.Name==Receipt)]`), each read as the string it spells.
    pub fn unquoted_filter_words(&self) -> Vec<Rc<str>> {
        let mut out = Vec::new();
        for step in self.steps.iter() {
            if let Step::Filter(f) = step {
                f.unquoted_words(&mut out);
            }
        }
        out
    }

    /// The text the path was parsed from.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Where the path starts.
    pub fn root(&self) -> &PathRoot {
        &self.root
    }

    /// True when the path can select at most one node, so that [`Path::select`] returns the
    /// node itself rather than an array of matches.
    pub fn is_definite(&self) -> bool {
        self.first_indefinite == self.steps.len()
    }

    /// True for a bare root (`$`, `$$`, `$name`).
    pub fn is_root(&self) -> bool {
        self.steps.is_empty()
    }

    /// Jayway's normalized form: `$['a'][0][*]..['b'][?]`.
    pub fn normalized(&self) -> String {
        let mut out = String::from("$");
        for step in self.steps.iter() {
            eval::write_fragment(&mut out, step);
        }
        out
    }

    /// Selects from the document the path's root names: the node for a definite path, an
    /// array of every match (possibly empty) otherwise.
    pub fn select(&self, env: &Env) -> Result<Value, PathSelectError> {
        match &self.root {
            PathRoot::Input => self.select_in(env.input),
            PathRoot::Context => self.select_in(env.context),
            PathRoot::Variable(name) => match env.variables.get(name) {
                Some(v) => self.select_in(&v),
                None => Err(PathSelectError::UndefinedVariable { name: name.clone() }),
            },
        }
    }

    /// Selects from `document`, whatever the path's root says.
    #[cfg_attr(aslplay_speed, optimize(speed))]
    pub fn select_in(&self, document: &Value) -> Result<Value, PathSelectError> {
        if self.simple {
            if let Some(v) = eval::select_simple(&self.steps, document) {
                return Ok(v.clone());
            }
        }
        eval::select(self, document)
    }

    /// Selects like [`Path::select`], wording a failure as AWS does for `InputPath`,
    /// `OutputPath` and the `...Path` fields: `States.Runtime` with
    /// "Invalid path '$.x' : No results for path: $['x']".
    pub fn select_or_invalid_path(&self, env: &Env) -> Result<Value, EvalError> {
        self.select(env).map_err(|e| self.invalid_path_error(&e))
    }

    /// Selects like [`Path::select`], wording a failure as AWS does for payload template
    /// fields and a Fail state's `ErrorPath`/`CausePath`: `States.Runtime` with "The JSONPath
    /// '$.x' specified for the field 'value.$' could not be found in the input '{...}'".
    ///
    /// An input-rooted path applied to a null input fails as AWS fails it:
    /// "Unable to apply Path transformation to null or empty input." ([`NULL_INPUT_CAUSE`]).
    pub fn select_for_field(&self, env: &Env, field: &str) -> Result<Value, EvalError> {
        if self.root == PathRoot::Input && env.input.is_null() {
            return Err(EvalError::runtime(NULL_INPUT_CAUSE));
        }
        self.select(env).map_err(|_| self.not_found_error(field, env.input))
    }

    /// AWS's `States.Runtime` error for a failed `InputPath`/`OutputPath`-style selection.
    pub fn invalid_path_error(&self, error: &PathSelectError) -> EvalError {
        EvalError::runtime(format!("Invalid path '{}' : {}", self.text, error.message()))
    }

    /// AWS's `States.Runtime` error for a template field whose path selected nothing.
    pub fn not_found_error(&self, field: &str, input: &Value) -> EvalError {
        EvalError::runtime(not_found_cause(&self.text, field, input))
    }
}

/// "The JSONPath '<path>' specified for the field '<field>' could not be found in the input
/// '<compact JSON of input>'", AWS's cause for a payload template path that found nothing.
pub fn not_found_cause(path: &str, field: &str, input: &Value) -> String {
    format!(
        "The JSONPath '{path}' specified for the field '{field}' could not be found in the input '{}'",
        crate::json::to_string(input)
    )
}

/// AWS's cause when a payload template path is applied to a null state input (e.g. a Task
/// after a Lambda that returned nothing). [`Path::select_for_field`] uses it; the engine may
/// want it for `InputPath` too.
pub const NULL_INPUT_CAUSE: &str = "Unable to apply Path transformation to null or empty input.";

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl PartialEq for Path {
    fn eq(&self, other: &Path) -> bool {
        self.text == other.text
    }
}

/// A Reference Path: a path that names exactly one node (names and indexes only; `@ , : ? *`,
/// `..` and functions are refused). Used for `ResultPath`, `ItemsPath`, `SecondsPath`,
/// a Choice rule's `Variable`, and the like.
///
/// ```
/// use aslplay::{json, query::jsonpath::ReferencePath};
/// let rp = ReferencePath::parse("$.a.b").unwrap();
/// let out = rp.assign(&json::parse(r#"{"x":1}"#).unwrap(), 2.into()).unwrap();
/// assert_eq!(json::to_string(&out), r#"{"x":1,"a":{"b":2}}"#);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ReferencePath {
    path: Path,
}

impl ReferencePath {
    /// Parses a Reference Path. `$$` and `$name` roots are accepted (a Choice `Variable` may
    /// use them); callers that forbid them (ResultPath) check [`ReferencePath::root`].
    pub fn parse(text: &str) -> Result<ReferencePath, PathError> {
        let (root, steps) = parse::parse_path(text)?;
        if let Some(step) = steps.iter().find(|s| !matches!(s, Step::Property(_) | Step::Index(_))) {
            let what = match step {
                Step::Scan => "'..'",
                Step::Function(_) => "a function",
                Step::Wildcard => "'*'",
                Step::Filter(_) => "a filter",
                Step::Slice { .. } => "a slice",
                _ => "a union",
            };
            return Err(PathError {
                message: format!("A Reference Path may not use {what}: it must name a single node"),
                position: 0,
            });
        }
        Ok(ReferencePath { path: Path::from_parts(text, root, steps) })
    }

    /// The path itself, for selecting with.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The text the path was parsed from.
    pub fn text(&self) -> &str {
        self.path.text()
    }

    /// Where the path starts.
    pub fn root(&self) -> &PathRoot {
        self.path.root()
    }

    /// True for a bare `$` (or `$$`, `$name`).
    pub fn is_root(&self) -> bool {
        self.path.is_root()
    }

    /// Selects the node (see [`Path::select`]).
    pub fn select(&self, env: &Env) -> Result<Value, PathSelectError> {
        self.path.select(env)
    }

    /// Writes `value` where the path points in a copy of `target`, as `ResultPath` does: `$`
    /// replaces the whole; `$.a.b` creates missing objects on the way and overwrites what is
    /// there; `[n]` replaces an existing array element. Only the spine of the path is copied;
    /// everything else stays shared with `target`. Fails with `States.ResultPathMatchFailure`
    /// when the target or a node on the way is not an object (or not an array for `[n]`).
    pub fn assign(&self, target: &Value, value: Value) -> Result<Value, EvalError> {
        let mut out = target.clone();
        match eval::assign(&mut out, &self.path.steps, value) {
            Ok(()) => Ok(out),
            Err(()) => Err(result_path_match_failure(self.text(), target)),
        }
    }
}

/// The `States.ResultPathMatchFailure` error for a ResultPath that cannot be applied to
/// `input`. (Wording not recorded from AWS; kept in one place so it is easy to correct.)
pub fn result_path_match_failure(path: &str, input: &Value) -> EvalError {
    EvalError::new(
        "States.ResultPathMatchFailure",
        format!("Unable to apply ReferencePath {path} to input {}", crate::json::to_string(input)),
    )
}

impl fmt::Display for ReferencePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

#[cfg(test)]
mod tests;
