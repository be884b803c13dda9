//! Checks of the expressions in a definition: JSONPath paths and reference paths, payload
//! templates (`.$` keys) with intrinsic functions, workflow variable assignments, and
//! JSONata expressions (`{% ... %}`); plus the warnings AWS gives for values that look like
//! paths but will be taken literally (`NO_DOLLAR`, `NO_PATH`, `PASS_RESULT_IS_STATIC`).

use super::{
    Checker, Lang, Loc, DUPLICATE_FIELD, INVALID_JSONATA, MAX_NESTING, NO_DOLLAR, NO_PATH, PASS_RESULT_IS_STATIC,
    SCHEMA, UNQUOTED_FILTER_WORD, UNSUPPORTED_JSONATA,
};
use crate::value::{Map, Value};
use std::rc::Rc;

/// What a path-valued field accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PathKind {
    /// InputPath, OutputPath: any JSONPath (`$`, `$$`, `$var`), or null.
    PathOrNull,
    /// ItemsPath, SecondsPath, ...: a path selecting a single node.
    Reference,
    /// ResultPath: a reference path into the input (not `$$`, not a variable), or null.
    ResultPath,
    /// ErrorPath, CausePath: a reference path or an intrinsic function.
    ReferenceOrIntrinsic,
    /// Choice `Variable` and `...Path` comparisons: a path (`$`, `$$`, `$var`).
    Path,
}

/// Longest workflow variable name, in characters.
const VARIABLE_MAX: usize = 80;

impl Checker<'_> {
    /// A path-valued field named `field`. Evidence: the recorded
    /// `test_base_scenarios.TestBaseScenarios.test_illegal_escapes--*` (AWS parses paths and
    /// intrinsics when the definition is created); [spec] for which fields take Reference
    /// Paths; [fail] for the intrinsics ErrorPath and CausePath may call; ResultPath writes
    /// into the state input ([spec]: it is a Reference Path; `$$` and variables are read-only).
    pub(crate) fn path_value(&mut self, v: &Value, loc: &Loc, field: &str, kind: PathKind) {
        let s = match v {
            Value::Null if matches!(kind, PathKind::PathOrNull | PathKind::ResultPath) => return,
            Value::String(s) => s,
            _ => {
                self.wrong_type(loc, "STRING");
                return;
            }
        };
        let ok = match kind {
            PathKind::PathOrNull | PathKind::Path => self.filter_path(s, loc),
            PathKind::Reference => parsers::reference_path(s),
            PathKind::ResultPath => parsers::is_input_path(s),
            PathKind::ReferenceOrIntrinsic => {
                if s.starts_with("States.") {
                    parsers::string_intrinsic(s)
                } else {
                    parsers::reference_path(s)
                }
            }
        };
        if !ok {
            let what = match kind {
                PathKind::PathOrNull | PathKind::Path => "a valid JSONPath",
                PathKind::Reference => "a valid Reference Path",
                PathKind::ResultPath => "a valid Reference Path into the state input",
                PathKind::ReferenceOrIntrinsic => "a valid Reference Path or a valid intrinsic function call",
            };
            self.error(SCHEMA, loc, format!("The value for the field '{field}' must be {what}"));
        }
    }

    /// The value of a `.$` key: a path or an intrinsic function call. Problems are reported
    /// at the object holding the key, as AWS does. Evidence: the recorded
    /// `test_base_scenarios.TestBaseScenarios.test_illegal_escapes--*` (message and location).
    pub(crate) fn template_path_value(&mut self, v: &Value, _at: &Loc, object: &Loc, key: &str) {
        let ok = match v.as_str() {
            Some(s) if s.starts_with('$') => self.filter_path(s, object),
            Some(s) => parsers::intrinsic(s),
            None => false,
        };
        if !ok {
            self.error(
                SCHEMA,
                object,
                format!("The value for the field '{key}' must be a valid JSONPath or a valid intrinsic function call"),
            );
        }
    }

    /// Whether `s` is a JSONPath; warns about each unquoted word its filters compare with
    /// (`[?(@.Name==Receipt)]`). AWS accepts those (its samples collection deploys one) and
    /// they read as strings, but the grammar of Jayway JsonPath, which AWS's JSONPath follows,
    /// refuses them since its version 2: quoting says the same thing unambiguously.
    fn filter_path(&mut self, s: &str, loc: &Loc) -> bool {
        let Some(path) = parsers::path(s) else { return false };
        for word in path.unquoted_filter_words() {
            self.warning(
                UNQUOTED_FILTER_WORD,
                loc,
                format!(
                    "The filter in {s} compares with the unquoted word {word}, which is read as the string '{word}'; write '{word}' to say so"
                ),
            );
        }
        true
    }

    /// A JSONPath payload template (Parameters, ResultSelector, ItemSelector, ...): an object
    /// whose `.$` keys hold paths or intrinsic functions, at any depth.
    pub(crate) fn template(&mut self, v: &Value, loc: &Loc, depth: usize) {
        if !v.is_object() {
            self.wrong_type(loc, "OBJECT");
            return;
        }
        self.template_node(v, loc, depth);
    }

    fn template_node(&mut self, v: &Value, loc: &Loc, depth: usize) {
        if depth > MAX_NESTING {
            self.too_deep(loc);
            return;
        }
        match v {
            Value::Object(obj) => {
                let mut seen = Map::new();
                for (key, value) in obj.iter() {
                    let at = loc.key(key);
                    let stripped = key.strip_suffix(".$");
                    // No evidence that AWS refuses `x` beside `x.$`: a warning, and the later
                    // of the two is used (as a JSON object's later duplicate key would be).
                    if seen.insert(Rc::from(stripped.unwrap_or(key)), ()).is_some() {
                        self.warning(
                            DUPLICATE_FIELD,
                            loc,
                            format!(
                                "The field '{}' is given twice (with and without '.$'); the later one is used",
                                stripped.unwrap_or(key)
                            ),
                        );
                    }
                    if stripped.is_some() {
                        self.template_path_value(value, &at, loc, key);
                    } else {
                        self.no_dollar(value, &at, key);
                        self.template_node(value, &at, depth + 1);
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.template_node(item, &loc.index(i), depth + 1);
                }
            }
            _ => {}
        }
    }

    /// `NO_DOLLAR`: a plain key whose string value looks like a path or intrinsic.
    fn no_dollar(&mut self, v: &Value, loc: &Loc, key: &str) {
        if let Some(s) = v.as_str() {
            if looks_like_path(s) || (s.starts_with("States.") && s.ends_with(')')) {
                self.warning(
                    NO_DOLLAR,
                    loc,
                    format!("The value of the field '{key}' looks like a JSONPath or intrinsic function, but the field name does not end with '.$'"),
                );
            }
        }
    }

    /// `NO_PATH`: a literal field (with a `...Path` sibling) whose value looks like a path.
    pub(crate) fn no_path(&mut self, v: &Value, loc: &Loc, field: &str) {
        if v.as_str().is_some_and(looks_like_path) {
            self.warning(
                NO_PATH,
                loc,
                format!("The value of the field '{field}' looks like a JSONPath, but the field name does not end with 'Path'"),
            );
        }
    }

    /// `PASS_RESULT_IS_STATIC`: a Pass `Result` with `.$` keys or path-like strings, which are
    /// not evaluated.
    pub(crate) fn pass_result(&mut self, v: &Value, loc: &Loc) {
        if has_path_in_result(v, 0) {
            self.warning(
                PASS_RESULT_IS_STATIC,
                loc,
                "The Result field of a Pass state is static: paths in it are not evaluated; use Parameters",
            );
        }
    }

    /// An `Assign` object: variable names, and values as a payload template (JSONPath) or
    /// JSONata template. Evidence for the names: [variables] (a letter or `_` first, then
    /// letters, digits or `_`; 80 characters at most).
    pub(crate) fn assign(&mut self, v: &Value, loc: &Loc, lang: Lang, depth: usize) {
        let Some(obj) = v.as_object() else {
            self.wrong_type(loc, "OBJECT");
            return;
        };
        for key in obj.keys() {
            let at = loc.key(key);
            let name = if lang == Lang::JsonPath { key.strip_suffix(".$").unwrap_or(key) } else { key };
            if !is_variable_name(name) {
                self.error(SCHEMA, &at, format!("'{name}' is not a valid variable name"));
            }
        }
        match lang {
            Lang::JsonPath => self.template_node(v, loc, depth),
            Lang::Jsonata => self.jsonata_template(v, loc, depth),
        }
    }

    /// A string that is a JSONata expression (`{% ... %}`): checks it and returns `true`;
    /// any other value: `false`, unchecked. Evidence: [floci-2745] (AWS parses every
    /// expression: INVALID_JSONATA_EXPRESSION with the parser's message), [floci-2670]
    /// (UNSUPPORTED_JSONATA_EXPRESSION for top-level references), [jsonata] (the framing).
    pub(crate) fn jsonata_value(&mut self, v: &Value, loc: &Loc) -> bool {
        let Some(s) = v.as_str() else { return false };
        // Only a string that starts with `{%` is an expression (" {% x %}" is a literal, as
        // the engine and the recorded AWS runs treat it).
        if !s.starts_with("{%") {
            return false;
        }
        let trimmed = s;
        let body_start = 2;
        match trimmed.trim_end().strip_suffix("%}") {
            Some(body) if trimmed.len() >= 4 => {
                let body = &body[2..];
                if body.trim().is_empty() {
                    self.error(INVALID_JSONATA, loc, "The JSONata expression is empty");
                } else {
                    // `position` counts characters in the expression; the editor wants bytes
                    // of the JSON text.
                    let at =
                        |position: usize| body_start + body.chars().take(position).map(char::len_utf8).sum::<usize>();
                    match parsers::jsonata(body) {
                        Err((message, position)) => self.error_inside(INVALID_JSONATA, loc, at(position), message),
                        // AWS evaluates expressions with no context item: `$`, `$$` or a bare
                        // name at the top level is refused, once per distinct name.
                        Ok(references) => {
                            let mut seen: Vec<String> = Vec::new();
                            for (name, position) in references {
                                if !seen.contains(&name) {
                                    let message = format!("Reference to '{name}' at the top level is not supported.");
                                    self.error_inside(UNSUPPORTED_JSONATA, loc, at(position), message);
                                    seen.push(name);
                                }
                            }
                        }
                    }
                }
            }
            _ => self.error(INVALID_JSONATA, loc, "A JSONata expression must start with '{%' and end with '%}'"),
        }
        true
    }

    /// A JSONata-mode template (Output, Arguments, Assign values, ItemSelector): any JSON in
    /// which strings may be expressions.
    pub(crate) fn jsonata_template(&mut self, v: &Value, loc: &Loc, depth: usize) {
        if depth > MAX_NESTING {
            self.too_deep(loc);
            return;
        }
        match v {
            Value::String(_) => {
                self.jsonata_value(v, loc);
            }
            Value::Object(obj) => {
                for (key, value) in obj.iter() {
                    self.jsonata_template(value, &loc.key(key), depth + 1);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.jsonata_template(item, &loc.index(i), depth + 1);
                }
            }
            _ => {}
        }
    }

    /// A field that in JSONata mode may be an expression and otherwise must pass `literal`.
    pub(crate) fn expression_or(&mut self, v: &Value, loc: &Loc, lang: Lang, literal: impl FnOnce(&mut Self)) {
        if lang == Lang::Jsonata && self.jsonata_value(v, loc) {
            return;
        }
        literal(self);
    }
}

/// Whether a literal string reads like a JSONPath (`$.a`, `$$.Execution`, `$[0]`, `$`).
fn looks_like_path(s: &str) -> bool {
    s == "$" || s == "$$" || s.starts_with("$.") || s.starts_with("$$.") || s.starts_with("$[")
}

fn has_path_in_result(v: &Value, depth: usize) -> bool {
    if depth > MAX_NESTING {
        return false;
    }
    match v {
        Value::String(s) => looks_like_path(s),
        Value::Object(obj) => obj.iter().any(|(k, v)| k.ends_with(".$") || has_path_in_result(v, depth + 1)),
        Value::Array(items) => items.iter().any(|v| has_path_in_result(v, depth + 1)),
        _ => false,
    }
}

/// A workflow variable name: 1 to 80 characters, a letter or `_` first, then letters,
/// digits or `_`.
fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else { return false };
    (first.is_alphabetic() || first == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
        && name.chars().count() <= VARIABLE_MAX
}

/// The syntax checks behind the rules above, by the query module's parsers (one JSONPath
/// and intrinsic parser for validation and evaluation alike).
mod parsers {
    use crate::query::intrinsics::{Function, Intrinsic};
    use crate::query::jsonpath::{Path, PathRoot, ReferencePath};

    /// Any JSONPath AWS accepts: `$...`, `$$...`, `$name...`.
    pub(super) fn path(s: &str) -> Option<Path> {
        Path::parse(s).ok()
    }

    /// A path selecting one node: names and indexes only.
    pub(super) fn reference_path(s: &str) -> bool {
        ReferencePath::parse(s).is_ok()
    }

    /// Whether a path reads the state input (`$`, `$.x`, `$[...]`), not the context or a
    /// variable.
    pub(super) fn is_input_path(s: &str) -> bool {
        ReferencePath::parse(s).is_ok_and(|p| *p.root() == PathRoot::Input)
    }

    /// An intrinsic function call, arguments and escapes included.
    pub(super) fn intrinsic(s: &str) -> bool {
        Intrinsic::parse(s).is_ok()
    }

    /// An intrinsic usable as a Fail state's `ErrorPath`/`CausePath`: one that returns a
    /// string.
    pub(super) fn string_intrinsic(s: &str) -> bool {
        Intrinsic::parse(s).is_ok_and(|call| {
            matches!(
                call.function(),
                Function::Format
                    | Function::JsonToString
                    | Function::ArrayGetItem
                    | Function::Base64Encode
                    | Function::Base64Decode
                    | Function::Hash
                    | Function::Uuid
            )
        })
    }

    /// A JSONata expression body (between `{%` and `%}`), by the JSONata module's parser:
    /// its top-level references (`$`, `$$`, bare names, with positions) when it parses, or the
    /// error message without the `S0xxx` code, as AWS prints it.
    pub(super) fn jsonata(body: &str) -> Result<Vec<(String, usize)>, (String, usize)> {
        // The reference's position is just after the offending token: point at its start.
        crate::jsonata::Expression::parse(body).map(|e| e.top_level_references()).map_err(|e| {
            let token = e.token.as_deref().map_or(0, |t| t.chars().count());
            (e.message, e.position.saturating_sub(token))
        })
    }
}
