//! JSONata: a port of the reference implementation's behaviour (jsonata-js 2.x).
//!
//! Parse once with [`Expression::parse`], evaluate many times with
//! [`Expression::evaluate`] against an input document and an [`Environment`] (variable
//! bindings, host functions, the virtual clock, limits). The evaluator never reads the
//! system clock, guards recursion depth, stack use and step count (runaway expressions end
//! with the reference's `U1001`), and reports errors with the reference's codes and
//! messages.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;

use crate::value::Value;

mod ast;
mod datetime;
mod error;
mod eval;
mod functions;
mod lexer;
mod limits;
mod number;
mod parser;
mod regex;
mod signature;
mod stepfunctions;
mod value;

use eval::Ctx;
use value::{Frame, Val};

/// An error from parsing or evaluating, as the reference reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonataError {
    /// The reference's error code, e.g. `"T1006"`.
    pub code: String,
    /// The reference's message text.
    pub message: String,
    /// Character offset in the expression (the reference's `position`).
    pub position: usize,
    /// The offending token, when there is one.
    pub token: Option<String>,
    /// The offending value, when there is one (and it is JSON).
    pub value: Option<Value>,
}

impl JsonataError {
    /// An error raised by a host function: `code` and `message` are reported as given.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> JsonataError {
        JsonataError { code: code.into(), message: message.into(), position: 0, token: None, value: None }
    }

    /// `{"code", "message", "token", "value"}` (null where there is none), as the official
    /// test suite's runner compares errors.
    pub fn to_value(&self) -> Value {
        let mut err = crate::value::Map::new();
        err.insert("code", Value::from(self.code.as_str()));
        err.insert("message", Value::from(self.message.as_str()));
        err.insert("token", self.token.as_deref().map_or(Value::Null, Value::from));
        err.insert("value", self.value.clone().unwrap_or(Value::Null));
        Value::from(err)
    }

    fn from_internal(e: &error::Error) -> JsonataError {
        JsonataError {
            code: e.code.to_string(),
            message: e.message(),
            position: e.position.unwrap_or(0),
            token: e.token.clone(),
            value: e.value.as_ref().and_then(|v| v.value.clone()),
        }
    }
}

impl fmt::Display for JsonataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for JsonataError {}

/// A number as JavaScript prints it (`Number.prototype.toString`: `1e+21`, `1e-7`,
/// `0.30000000000000004`, `3`), for printing JSONata results the way AWS shows them.
pub fn js_number_string(x: f64) -> String {
    crate::host::to_string(x)
}

/// A host function's implementation: receives the (validated) arguments, `None` for
/// undefined, and returns `None` for an undefined result.
pub type NativeFn = Rc<dyn Fn(&[Option<Value>]) -> Result<Option<Value>, JsonataError>>;

/// A host function with its JSONata signature.
#[derive(Clone)]
pub struct CustomFunction {
    pub(crate) signature: Option<Rc<signature::Signature>>,
    pub(crate) arity: usize,
    pub(crate) implementation: NativeFn,
}

/// How many evaluation steps one evaluation may take by default before it fails with U1001.
/// The reference implementation's own test suite bounds a runaway expression by time (a one
/// second box); with no clock to read, a budget of steps stands for it at the rate the suite's
/// time limits are converted (1,000 steps a millisecond). The suite's deepest finite cases
/// take under 750,000 steps; an endless loop (a tail call that never returns, which needs no
/// stack) ends in a fraction of a second.
pub const DEFAULT_MAX_STEPS: u64 = 1_000_000;

/// What an evaluation sees besides its input: variables, host functions, the clock, limits.
pub struct Environment {
    pub(crate) vars: Vec<(Rc<str>, Value)>,
    pub(crate) functions: Vec<(Rc<str>, CustomFunction)>,
    pub(crate) now_millis: i64,
    pub(crate) eval_enabled: bool,
    pub(crate) max_depth: usize,
    pub(crate) stack_limit: usize,
    pub(crate) max_steps: u64,
    random: RefCell<Option<Rc<dyn Fn() -> f64>>>,
    random_state: Cell<u64>,
    /// An empty root scope left by the last evaluation, for the next one to reuse.
    spare_root: RefCell<Option<value::Scope>>,
}

impl Default for Environment {
    fn default() -> Environment {
        Environment::new()
    }
}

/// The names of JSONata's built-in functions (without the `$`), as the evaluator knows them.
pub fn builtin_function_names() -> impl Iterator<Item = &'static str> {
    functions::builtin_names()
}

impl Environment {
    /// No variables, the built-in functions only, time zero, default limits.
    pub fn new() -> Environment {
        Environment {
            vars: Vec::new(),
            functions: Vec::new(),
            now_millis: 0,
            eval_enabled: true,
            max_depth: 1_000,
            stack_limit: 384 * 1024,
            max_steps: DEFAULT_MAX_STEPS,
            random: RefCell::new(None),
            random_state: Cell::new(0x2545_F491_4F6C_DD1D),
            spare_root: RefCell::new(None),
        }
    }

    /// Binds `$name` to a value (replacing an earlier binding).
    pub fn bind(&mut self, name: &str, value: Value) {
        if let Some(slot) = self.vars.iter_mut().find(|(k, _)| &**k == name) {
            slot.1 = value;
        } else {
            self.vars.push((Rc::from(name), value));
        }
    }

    /// Adds (or replaces) a host function `$name` with a JSONata signature such as
    /// `"<n-n:n>"` (empty for none).
    pub fn bind_function(&mut self, name: &str, signature: &str, implementation: NativeFn) -> Result<(), JsonataError> {
        let sig = if signature.is_empty() {
            None
        } else {
            Some(Rc::new(signature::Signature::parse(signature).map_err(|e| JsonataError::from_internal(&e))?))
        };
        let arity = sig.as_ref().map_or(0, |s| s.param_count());
        let f = CustomFunction { signature: sig, arity, implementation };
        self.functions.retain(|(n, _)| &**n != name);
        self.functions.push((Rc::from(name), f));
        Ok(())
    }

    /// Sets the time `$now()` and `$millis()` report (milliseconds since the epoch).
    pub fn set_now_millis(&mut self, millis: i64) {
        self.now_millis = millis;
    }

    /// Removes `$eval`.
    pub fn disable_eval(&mut self) {
        self.eval_enabled = false;
    }

    /// Sets the maximum nesting of evaluation steps (the reference suite's `depth`).
    pub fn set_max_depth(&mut self, depth: usize) {
        self.max_depth = depth;
    }

    /// Sets how many bytes of native stack one evaluation may use before failing with U1001.
    pub fn set_stack_limit(&mut self, bytes: usize) {
        self.stack_limit = bytes;
    }

    /// Sets how many evaluation steps one evaluation may take before failing with U1001.
    pub fn set_max_steps(&mut self, steps: u64) {
        self.max_steps = steps;
    }

    /// Sets the source of `$random()` and `$shuffle` (values in `[0, 1)`).
    pub fn set_random(&mut self, source: Rc<dyn Fn() -> f64>) {
        *self.random.borrow_mut() = Some(source);
    }

    pub(crate) fn next_random(&self) -> f64 {
        if let Some(f) = self.random.borrow().as_ref() {
            return f();
        }
        let mut x = self.random_state.get();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.random_state.set(x);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Adds AWS Step Functions' JSONata functions (`$partition`, `$range`, `$hash`,
    /// `$random` with an optional seed, `$uuid`, `$parse`), drawing randomness from `random`.
    pub fn add_step_functions(&mut self, random: Rc<RefCell<dyn crate::random::Random>>) {
        stepfunctions::install(self, random);
    }
}

/// The result of [`Expression::evaluate_detailed`].
#[derive(Clone, Debug, PartialEq)]
pub enum Evaluated {
    /// A JSON value.
    Value(Value),
    /// No value (JSONata's `undefined`).
    Undefined,
    /// A function (lambda, built-in, regex, ...), which has no JSON form.
    Function,
}

/// A parsed JSONata expression, reusable across evaluations.
pub struct Expression {
    ast: Rc<ast::Node>,
}

impl fmt::Debug for Expression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Expression")
    }
}

impl Expression {
    /// What the expression reads from its input at the top level: `$` (the context), `$$`
    /// (the root) or a bare field name, with their positions. AWS Step Functions evaluates
    /// expressions with no input and rejects such references; inside a path's later steps,
    /// predicates and function bodies they read something else and are fine.
    ///
    /// ```
    /// use aslplay::jsonata::Expression;
    /// let refs = |e: &str| Expression::parse(e).unwrap().top_level_references().into_iter().map(|r| r.0).collect::<Vec<_>>();
    /// assert_eq!(refs("$states.input.a[b > 1] + $count($map($x, function($v) { $v.c }))"), Vec::<String>::new());
    /// assert_eq!(refs("foo.bar"), vec!["foo"]);
    /// assert_eq!(refs("$ + $$.x"), vec!["$", "$$"]);
    /// ```
    pub fn top_level_references(&self) -> Vec<(String, usize)> {
        fn walk(n: &ast::Node, top: bool, out: &mut Vec<(String, usize)>) {
            use ast::Kind::*;
            if top {
                match &n.kind {
                    Name(name) => out.push((name.to_string(), n.pos.saturating_sub(name.chars().count()))),
                    Var(v) if v.is_empty() => out.push(("$".into(), n.pos.saturating_sub(1))),
                    Var(v) if &**v == "$" => out.push(("$$".into(), n.pos.saturating_sub(2))),
                    _ => {}
                }
            }
            for stage in &n.stages {
                if let ast::Stage::Filter(f) = stage {
                    walk(f, false, out);
                }
            }
            for p in &n.predicate {
                walk(p, false, out);
            }
            if let Some(g) = &n.group {
                for (k, v) in &g.pairs {
                    walk(k, false, out);
                    walk(v, false, out);
                }
            }
            match &n.kind {
                Path(steps) => {
                    for (i, step) in steps.iter().enumerate() {
                        walk(step, top && i == 0, out);
                    }
                }
                Binary(_, a, b) | Coalesce(a, b) | Elvis(a, b) | Apply(a, b) => {
                    walk(a, top, out);
                    walk(b, top, out);
                }
                Neg(a) | Bind(_, a) => walk(a, top, out),
                Array(items) | Block(items) => items.iter().for_each(|x| walk(x, top, out)),
                Object(pairs) => pairs.iter().for_each(|(k, v)| {
                    walk(k, top, out);
                    walk(v, top, out);
                }),
                Condition(c, a, b) => {
                    walk(c, top, out);
                    walk(a, top, out);
                    if let Some(b) = b {
                        walk(b, top, out);
                    }
                }
                Call(f, args) | Partial(f, args) => {
                    walk(f, top, out);
                    args.iter().for_each(|x| walk(x, top, out));
                }
                Sort(terms) => terms.iter().for_each(|(x, _)| walk(x, false, out)),
                // Function bodies run with the context they are called with.
                Lambda(_) | Transform(_) => {}
                _ => {}
            }
        }
        let mut out = Vec::new();
        walk(&self.ast, true, &mut out);
        out
    }

    /// Parses JSONata source text.
    pub fn parse(src: &str) -> Result<Expression, JsonataError> {
        match parser::parse(src) {
            Ok(ast) => Ok(Expression { ast: Rc::new(ast) }),
            Err(e) => Err(JsonataError::from_internal(&e)),
        }
    }

    /// Evaluates against `input` (`None` for no input); `Ok(None)` is an undefined result
    /// (a function result also gives `None`; [`Expression::evaluate_detailed`] tells them apart).
    pub fn evaluate(&self, input: Option<&Value>, env: &Environment) -> Result<Option<Value>, JsonataError> {
        Ok(match self.evaluate_detailed(input, env)? {
            Evaluated::Value(v) => Some(v),
            Evaluated::Undefined | Evaluated::Function => None,
        })
    }

    /// Evaluates like [`Expression::evaluate`], distinguishing an undefined result from a
    /// function (which JSON cannot hold; AWS reports "an unsupported result type").
    pub fn evaluate_detailed(&self, input: Option<&Value>, env: &Environment) -> Result<Evaluated, JsonataError> {
        let input = input.map(Val::from_value).unwrap_or_default();
        // `$$` and the environment's variables are looked up through the context, so the root
        // scope starts empty and only holds what the expression binds at the top level.
        let ctx = Ctx::new(env, input.clone());
        let root = env.spare_root.take().unwrap_or_else(|| Frame::new(None));
        let wrapped = if input.is_array() { Val::seq(vec![input]).with_flag(value::OUTER) } else { input };
        let result = ctx.eval(&self.ast, &wrapped, &root);
        let out = match &result {
            Ok(v) if v.nests_deeper_than(limits::MAX_NESTING) => {
                Err(JsonataError::from_internal(&error::Error::new("U1001")))
            }
            Ok(v) if v.is_func() => Ok(Evaluated::Function),
            Ok(v) => Ok(v.to_value().map_or(Evaluated::Undefined, Evaluated::Value)),
            Err(e) => Err(JsonataError::from_internal(e)),
        };
        drop(result);
        ctx.release();
        drop(ctx);
        root.clear();
        if Rc::strong_count(&root) == 1 {
            *env.spare_root.borrow_mut() = Some(root);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(src: &str, input: &str) -> Result<Option<Value>, JsonataError> {
        let input = crate::json::parse(input).unwrap();
        Expression::parse(src)?.evaluate(Some(&input), &Environment::new())
    }

    #[test]
    fn paths_and_numbers() {
        let v = run("a.b", r#"{"a":[{"b":1},{"b":2.5}]}"#).unwrap().unwrap();
        assert_eq!(crate::json::to_string(&v), "[1,2.5]");
        let v = run("1 + 2", "null").unwrap().unwrap();
        assert_eq!(crate::json::to_string(&v), "3");
    }

    #[test]
    fn runaway_recursion_is_u1001() {
        let e = run("($f := function($n){$n=0?0:1+$f($n-1)}; $f(100000))", "null").unwrap_err();
        assert_eq!(e.code, "U1001");
        assert!(e.message.starts_with("Stack overflow error"));
    }

    #[test]
    fn an_endless_tail_call_is_u1001() {
        // Tail calls run in a loop without growing the stack: only the step budget ends this.
        let e = run("(function($f){$f($f)})(function($f){$f($f)})", "null").unwrap_err();
        assert_eq!(e.code, "U1001");
        let e = run("($loop := function($n){ $loop($n + 1) }; $loop(0))", "null").unwrap_err();
        assert_eq!(e.code, "U1001");
        // A long but finite loop within the budget still ends with its value.
        let v = run("($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, $acc + 1) }; $f(20000, 0))", "null");
        assert_eq!(v.unwrap().map(|v| crate::json::to_string(&v)).as_deref(), Some("20000"));
    }

    #[test]
    fn deep_recursion_stays_within_the_stack_budget() {
        let mut env = Environment::new();
        env.set_stack_limit(256 * 1024);
        let e = Expression::parse("($f := function($n){$n=0?0:1+$f($n-1)}; $f(100000))").unwrap();
        limits::stack_probe();
        assert_eq!(e.evaluate(None, &env).unwrap_err().code, "U1001");
        // The guard trips before the budget is exceeded by more than one evaluation step.
        assert!(limits::stack_probe() < 256 * 1024 + 16 * 1024);
    }

    #[test]
    fn deep_structures_fail_cleanly() {
        let deep = "$reduce([1..5000], function($a, $b){ {\"a\": $a} }, {})";
        assert_eq!(run(deep, "null").unwrap_err().code, "U1001");
        let nested = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
        assert_eq!(Expression::parse(&nested).unwrap_err().code, "U1001");
        let nested = format!("{}1{}", "[".repeat(40), "]".repeat(40));
        assert!(run(&nested, "null").is_ok());
    }

    #[test]
    fn integer_keys_come_first_as_in_javascript() {
        let v = run(r#"{"b": 1, "10": 2, "a": 3, "2": 4}"#, "null").unwrap().unwrap();
        assert_eq!(crate::json::to_string(&v), r#"{"2":4,"10":2,"b":1,"a":3}"#);
    }

    #[test]
    fn function_results_are_told_apart_from_undefined() {
        let env = Environment::new();
        let f = Expression::parse("function($x){$x}").unwrap();
        assert_eq!(f.evaluate_detailed(None, &env).unwrap(), Evaluated::Function);
        let u = Expression::parse("$nothing").unwrap();
        assert_eq!(u.evaluate_detailed(None, &env).unwrap(), Evaluated::Undefined);
    }

    #[test]
    fn host_functions_get_validated_arguments() {
        let mut env = Environment::new();
        let calls = Rc::new(Cell::new(0));
        let seen = calls.clone();
        let double: NativeFn = Rc::new(move |args: &[Option<Value>]| {
            seen.set(seen.get() + 1);
            let n = args.first().and_then(|a| a.as_ref()).and_then(Value::as_f64).unwrap_or(0.0);
            Ok(Some(Value::from(n * 2.0)))
        });
        env.bind_function("double", "<n-:n>", double).unwrap();
        let v = Expression::parse("[$double(21), 4 ~> $double()]").unwrap().evaluate(None, &env).unwrap().unwrap();
        assert_eq!(crate::json::to_string(&v), "[42,8]");
        assert_eq!(calls.get(), 2);
        let e = Expression::parse("$double('x')").unwrap().evaluate(None, &env).unwrap_err();
        assert_eq!((e.code.as_str(), e.token.as_deref()), ("T0410", Some("double")));
        assert_eq!(e.message, "Argument 1 of function \"double\" does not match function signature");
        assert_eq!(js_number_string(1e21), "1e+21");
    }

    #[test]
    fn odd_numbers_in_pictures_are_errors_not_panics() {
        for src in [
            "$formatInteger(1/0, 'w')",
            "$formatInteger(0/0, 'w')",
            "$fromMillis(1e300)",
            "$fromMillis(-1e300, '[Y]')",
            "$toMillis('99999999999999999999-01-01', '[Y]-[M]-[D]')",
            "$fromMillis(0, '[,2]')",
            "$formatNumber(1, '0', {'zero-digit': '\u{10FFFF}'})",
        ] {
            let _ = run(src, "null");
        }
        assert_eq!(run("$fromMillis(1e300)", "null").unwrap_err().code, "D3001");
    }

    #[test]
    fn huge_range_is_d2014() {
        assert_eq!(run("[1..1e9]", "null").unwrap_err().code, "D2014");
    }

    #[test]
    fn environment_variables_are_read_in_place_and_top_level_bindings_do_not_leak() {
        let mut env = Environment::new();
        let states =
            crate::json::parse(r#"{"input": {"i": 3, "n": [1, 2], "o": {"a": [{"b": 1}, {"b": 2}]}}}"#).unwrap();
        env.bind("states", states);
        env.bind("x", Value::from(10i64));
        let eval = |src: &str, env: &Environment| {
            Expression::parse(src).unwrap().evaluate(None, env).unwrap().map(|v| crate::json::to_string(&v))
        };
        assert_eq!(eval("$states.input.i + 1", &env).as_deref(), Some("4"));
        assert_eq!(eval("$states.input.n", &env).as_deref(), Some("[1,2]"));
        // An array met half-way hands over to the general path rules (mapping, flattening).
        assert_eq!(eval("$states.input.o.a.b", &env).as_deref(), Some("[1,2]"));
        assert_eq!(eval("$states.input.o.a[1].b", &env).as_deref(), Some("2"));
        assert_eq!(eval("$states.input.missing.b", &env), None);
        assert_eq!(eval("$states.input.i.b", &env), None);
        assert_eq!(eval("[$states.input.i]", &env).as_deref(), Some("[3]"));
        assert_eq!(eval("$states.input.i[]", &env).as_deref(), Some("[3]"));
        // A top-level binding shadows the environment for that evaluation only.
        assert_eq!(eval("$x := 5", &env).as_deref(), Some("5"));
        assert_eq!(eval("($x := 6; $x)", &env).as_deref(), Some("6"));
        assert_eq!(eval("$x", &env).as_deref(), Some("10"));
        assert_eq!(eval("$y := 1", &env).as_deref(), Some("1"));
        assert_eq!(eval("$y", &env), None);
        let f = Expression::parse("$f := function($v){ $v + $x }").unwrap();
        assert_eq!(f.evaluate_detailed(None, &env).unwrap(), Evaluated::Function);
        assert_eq!(eval("$f", &env), None);
        // `$$` is the input.
        let input = crate::json::parse(r#"{"a": {"b": 7}}"#).unwrap();
        let v = Expression::parse("$$.a.b").unwrap().evaluate(Some(&input), &env).unwrap().unwrap();
        assert_eq!(crate::json::to_string(&v), "7");
    }

    #[test]
    fn object_constructors_report_bad_and_repeated_keys() {
        assert_eq!(run("{'a': 1, 'b': 2, 'a': 3}", "null").unwrap_err().code, "D1009");
        assert_eq!(run("{1: 2}", "null").unwrap_err().code, "T1003");
        let v = run("{'a': 1, 'b': $nothing, 'c': {'d': 2}}", "null").unwrap().unwrap();
        assert_eq!(crate::json::to_string(&v), r#"{"a":1,"c":{"d":2}}"#);
        let v = run("$merge([{'a': 1, 'b': 2}, {'b': 4}])", "null").unwrap().unwrap();
        assert_eq!(crate::json::to_string(&v), r#"{"a":1,"b":4}"#);
        assert_eq!(run("$merge([{'a': 1}, 3])", "null").unwrap_err().code, "T0412");
        let v = run("$merge({'a': 1})", "null").unwrap().unwrap();
        assert_eq!(crate::json::to_string(&v), r#"{"a":1}"#);
        let v = run("$merge($$)", r#"[{"a": 1}, {"a": 2, "c": 3}]"#).unwrap().unwrap();
        assert_eq!(crate::json::to_string(&v), r#"{"a":2,"c":3}"#);
    }

    #[test]
    fn eval_can_be_removed() {
        let e = Expression::parse("$eval('1+1')").unwrap();
        let mut env = Environment::new();
        assert!(e.evaluate(None, &env).unwrap().is_some());
        env.disable_eval();
        assert_eq!(e.evaluate(None, &env).unwrap_err().code, "T1006");
    }

    #[test]
    fn clock_comes_from_environment() {
        let mut env = Environment::new();
        env.set_now_millis(1_700_000_000_000);
        let v = Expression::parse("$millis()").unwrap().evaluate(None, &env).unwrap().unwrap();
        assert_eq!(crate::json::to_string(&v), "1700000000000");
        let v = Expression::parse("$now()").unwrap().evaluate(None, &env).unwrap().unwrap();
        assert_eq!(v.as_str(), Some("2023-11-14T22:13:20.000Z"));
    }
}
