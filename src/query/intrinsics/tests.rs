use super::*;
use crate::json;
use crate::query::Variables;
use crate::random::{Random, SeededRandom};
use crate::value::Number;

struct Vars;
impl Variables for Vars {
    fn get(&self, name: &str) -> Option<Value> {
        match name {
            "template" => Some(Value::from("It's {}!")),
            "n" => Some(Value::from(4)),
            _ => None,
        }
    }
}

/// Evaluates `call` against `input` (JSON text); the context has an execution name.
fn eval_with(call: &str, input: &str, seed: u64) -> Result<Value, EvalError> {
    let intrinsic = Intrinsic::parse(call).unwrap_or_else(|e| panic!("{call}: {e}"));
    let input = json::parse(input).unwrap();
    let context =
        json::parse(r#"{"Execution": {"Name": "a-b-c"}, "StateMachine": {"Id": "arn:x", "Name": "sm"}}"#).unwrap();
    let mut random = SeededRandom(seed);
    let mut env = Env { input: &input, context: &context, variables: &Vars, random: &mut random };
    intrinsic.evaluate(&mut env, "value.$")
}

fn eval(call: &str, input: &str) -> Value {
    eval_with(call, input, 1).unwrap_or_else(|e| panic!("{call}: {e:?}"))
}

/// The compact JSON of a successful call without input.
fn out(call: &str) -> String {
    json::to_string(&eval(call, "{}"))
}

/// The cause of a failing call, after checking it is AWS's States.Runtime.
fn fails(call: &str, input: &str) -> String {
    let e = eval_with(call, input, 1).expect_err(call);
    assert_eq!(e.error, "States.Runtime", "{call}");
    e.cause
}

fn invalid(call: &str, input: &str) {
    let cause = fails(call, input);
    let name = &call[..call.find('(').unwrap()];
    assert_eq!(cause, format!("Invalid arguments in {name}"), "{call}");
}

#[test]
fn parses_every_argument_kind() {
    let i = Intrinsic::parse("States.Array('a\\'b', -1.5e2, 7, true, false, null, $.x, $$.y, $v.z[0], States.UUID())")
        .unwrap();
    assert_eq!(i.function(), Function::Array);
    assert_eq!(i.text(), "States.Array('a\\'b', -1.5e2, 7, true, false, null, $.x, $$.y, $v.z[0], States.UUID())");
    assert_eq!(out("States.Array('a\\'b', -1.5e2, 7, true, false, null)"), r#"["a'b",-150.0,7,true,false,null]"#);
    assert_eq!(out("States.Array( 1 ,2 )"), "[1,2]");
    assert_eq!(out("States.Array()"), "[]");
    assert_eq!(out(r"States.Array('\{\}\\')"), r#"["{}\\"]"#);
    assert_eq!(out("States.Array('{\"constant\": \"false\"}')"), r#"["{\"constant\": \"false\"}"]"#);
    // A path argument may hold commas and parentheses inside brackets and quotes.
    let v = eval("States.Array($['a,b'], $.l[?(@.k == 'x)')].k)", r#"{"a,b": 1, "l": [{"k": "x)"}]}"#);
    assert_eq!(json::to_string(&v), r#"[1,["x)"]]"#);
    assert_eq!(Function::from_name("States.UUID"), Some(Function::Uuid));
    assert_eq!(Function::from_name("States.Uuid"), None);
}

#[test]
fn parse_errors_explain_themselves() {
    let cases = [
        ("States.Nope(1)", "Unknown intrinsic function: States.Nope"),
        ("Format('x')", "Unknown intrinsic function: Format"),
        ("States.Format('He said, \\\"Hi\\\"')", "Invalid escape sequence"),
        ("States.Format('x\\n')", "Invalid escape sequence"),
        ("States.Array('open)", "Unterminated string literal"),
        ("States.Array(1", "Expected ',' or ')'"),
        ("States.Array(1,)", "Expected a 'string'"),
        ("States.Array(1.)", "Invalid number"),
        ("States.Array(.5)", "Expected a 'string'"),
        ("States.Array([1,2])", "Expected a 'string'"),
        ("States.Array($.a) trailing", "Unexpected text"),
        ("States.Array($.a[)", "Invalid path '$.a[)'"),
        ("States.Array(tru)", "Expected a 'string'"),
        ("", "Expected an intrinsic function"),
    ];
    for (text, fragment) in cases {
        let e = Intrinsic::parse(text).expect_err(text);
        assert!(e.message.contains(fragment), "{text}: {}", e.message);
    }
    assert_eq!(Intrinsic::parse("States.Array(1,)").unwrap_err().position, 15);
}

#[test]
fn nesting_is_limited_to_ten() {
    let nest = |n: usize| format!("{}1{}", "States.Array(".repeat(n), ")".repeat(n));
    assert!(Intrinsic::parse(&nest(10)).is_ok());
    assert!(Intrinsic::parse(&nest(11)).unwrap_err().message.contains("at most 10"));
    assert!(Intrinsic::parse(&nest(100_000)).is_err());
}

#[test]
fn format() {
    assert_eq!(out("States.Format('Hello, my name is {}.', 'Arnav')"), r#""Hello, my name is Arnav.""#);
    assert_eq!(out("States.Format('no placeholders')"), r#""no placeholders""#);
    let input = r#"{"s": "x", "n": 1.1, "i": 2, "b": true, "z": null, "o": {"Arg1": 1, "Arg2": []}, "big": 1e7}"#;
    let v = eval("States.Format('{}|{}|{}|{}|{}|{}|{}', $.s, $.n, $.i, $.b, $.z, $.o, $.big)", input);
    assert_eq!(v.as_str(), Some("x|1.1|2|true|null|{Arg1=1, Arg2=[]}|1.0E7"));
    assert_eq!(
        eval("States.Format('{} {}', $$.Execution.Name, $$.StateMachine)", "{}").as_str(),
        Some("a-b-c {Id=arn:x, Name=sm}")
    );
    // Escaped braces are literal; the template can come from a path or a variable.
    assert_eq!(out(r"States.Format('\{\} {}', 1)"), r#""{} 1""#);
    assert_eq!(eval("States.Format($.t, 'Ada')", r#"{"t": "Hello {}"}"#).as_str(), Some("Hello Ada"));
    assert_eq!(eval("States.Format($template, 'Pikachu')", "{}").as_str(), Some("It's Pikachu!"));
    invalid("States.Format('{} {}', 'x')", "{}");
    invalid("States.Format('{}', 'x', 'y')", "{}");
    invalid("States.Format('Hello {', 'x')", "{}");
    invalid("States.Format('Hello {{}}', 'x')", "{}");
    invalid("States.Format('}')", "{}");
    invalid("States.Format($.t, 'x')", r#"{"t": 123}"#);
    invalid("States.Format($.t, 'x')", r#"{"t": "a { b"}"#);
    invalid("States.Format()", "{}");
}

#[test]
fn json_conversions() {
    let s = |v: &str| eval("States.StringToJson($.s)", &format!(r#"{{"s": {}}}"#, json::to_string(&Value::from(v))));
    assert_eq!(s(""), Value::Null);
    assert_eq!(s("  "), Value::Null);
    assert_eq!(json::to_string(&s("-0")), "0");
    assert_eq!(json::to_string(&s("1")), "1");
    assert_eq!(json::to_string(&s("1.1")), "1.1");
    assert_eq!(json::to_string(&s(r#"{"Arg1": 1, "Arg2": []}"#)), r#"{"Arg1":1,"Arg2":[]}"#);
    invalid("States.StringToJson($.s)", r#"{"s": "{nope"}"#);
    invalid("States.StringToJson($.s)", r#"{"s": 1}"#);
    invalid("States.StringToJson('a', 'b')", "{}");
    let j = |v: &str| eval("States.JsonToString($.v)", &format!(r#"{{"v": {v}}}"#)).as_str().unwrap().to_string();
    assert_eq!(j("null"), "null");
    assert_eq!(j("\"HelloWorld\""), "\"HelloWorld\"");
    assert_eq!(j(r#"{"Arg1": 1, "Arg2": []}"#), r#"{"Arg1":1,"Arg2":[]}"#);
    assert_eq!(j("1.1"), "1.1");
    invalid("States.JsonToString()", "{}");
}

#[test]
fn arrays() {
    assert_eq!(out("States.ArrayPartition(States.Array(1,2,3,4,5), 2)"), "[[1,2],[3,4],[5]]");
    assert_eq!(out("States.ArrayPartition(States.Array(), 3)"), "[]");
    assert_eq!(out("States.ArrayPartition(States.Array(1,2,3,4,5), 2.6)"), "[[1,2],[3,4],[5]]", "truncates");
    assert_eq!(out("States.ArrayPartition(States.Array(1,2,3), 2147483647)"), "[[1,2,3]]");
    for bad in ["0", "-1", "0.49", "-0.6", "'2'", "null"] {
        invalid(&format!("States.ArrayPartition(States.Array(1,2,3), {bad})"), "{}");
    }
    invalid("States.ArrayPartition('not-array', 2)", "{}");

    assert_eq!(eval("States.ArrayContains($.a, $.t)", r#"{"a": [[1,2,3], 2], "t": [1,2,3]}"#), Value::Bool(true));
    assert_eq!(eval("States.ArrayContains($.a, $.t)", r#"{"a": [[1,2,3], 2], "t": null}"#), Value::Bool(false));
    assert_eq!(eval("States.ArrayContains($.a, $.t)", r#"{"a": [true, false], "t": false}"#), Value::Bool(true));
    assert_eq!(eval("States.ArrayContains($.a, $.t)", r#"{"a": [{"1": 2, "2": []}], "t": []}"#), Value::Bool(false));
    // AWS compares by Java text: key order matters, a number matches its digits.
    assert_eq!(
        eval("States.ArrayContains($.a, $.t)", r#"{"a": [{"a": 1, "b": 2}], "t": {"b": 2, "a": 1}}"#),
        Value::Bool(false)
    );
    assert_eq!(
        eval("States.ArrayContains($.a, 9007199254740991)", r#"{"a": ["9007199254740991"]}"#),
        Value::Bool(true)
    );
    assert_eq!(eval("States.ArrayContains($.a, false)", r#"{"a": [0, 1]}"#), Value::Bool(false));
    invalid("States.ArrayContains('x', 'x')", "{}");
    invalid("States.ArrayContains(States.Array(1))", "{}");

    assert_eq!(out("States.ArrayRange(1, 9, 2)"), "[1,3,5,7,9]");
    assert_eq!(out("States.ArrayRange(0, 10, 3)"), "[0,3,6,9]");
    assert_eq!(out("States.ArrayRange(5, 1, -2)"), "[5,3,1]");
    assert_eq!(out("States.ArrayRange(3, 3, -1)"), "[3]");
    assert_eq!(out("States.ArrayRange(5, 1, 1)"), "[]");
    assert_eq!(out("States.ArrayRange(1.6, 1.4, 1)"), "[1]", "truncates");
    assert_eq!(out("States.ArrayRange(5.4, -0.6, -2.4)"), "[5,3,1]");
    assert_eq!(eval("States.ArrayRange(1, 1000, 1)", "{}").as_array().unwrap().len(), 1000);
    assert_eq!(eval("States.ArrayRange(1000, 1, -1)", "{}").as_array().unwrap().len(), 1000);
    for bad in
        ["1, 1001, 1", "1001, 1, -1", "1, 10, 0", "1, 10, 0.49", "'a', 5, 1", "1, 5", "1, 5, 1, 9", "-9e18, 9e18, 1"]
    {
        invalid(&format!("States.ArrayRange({bad})"), "{}");
    }

    assert_eq!(eval("States.ArrayGetItem($.a, $.i)", r#"{"a": [1,2,3,4,5,6,7,8,9], "i": 5}"#), Value::from(6));
    assert_eq!(out("States.ArrayGetItem(States.Array(10, 20, 30), 1.2)"), "20");
    assert_eq!(out("States.ArrayGetItem(States.Array(), 999)"), "null", "AWS: any index into [] is null");
    for bad in
        ["States.Array(1,2,3), 3", "States.Array(1,2,3), -1", "States.Array(1), '0'", "'x', 0", "States.Array(1)"]
    {
        invalid(&format!("States.ArrayGetItem({bad})"), "{}");
    }

    assert_eq!(eval("States.ArrayLength($.a)", r#"{"a": [1,2,3,4,5,6,7,8,9]}"#), Value::from(9));
    invalid("States.ArrayLength('x')", "{}");
    invalid("States.ArrayLength($.o)", r#"{"o": {}}"#);

    assert_eq!(eval("States.ArrayUnique($.a)", r#"{"a": [1, 2, 2, 3, 3, 4]}"#), json::parse("[1,2,3,4]").unwrap());
    assert_eq!(
        json::to_string(&eval(
            "States.ArrayUnique($.a)",
            r#"{"a": [null, null, {"a": 1}, {"a": 1}, [1], [1], "x", "x"]}"#
        )),
        r#"[null,{"a":1},[1],"x"]"#
    );
    invalid("States.ArrayUnique(1)", "{}");
}

#[test]
fn encodings_and_hashes() {
    assert_eq!(eval("States.Base64Encode($.s)", r#"{"s": "Data to encode"}"#).as_str(), Some("RGF0YSB0byBlbmNvZGU="));
    assert_eq!(eval("States.Base64Decode($.s)", r#"{"s": "RGF0YSB0byBlbmNvZGU="}"#).as_str(), Some("Data to encode"));
    // AWS decodes leniently: characters outside the alphabet are skipped.
    assert_eq!(out("States.Base64Decode('!!!aGVs!bG8=')"), r#""hello""#);
    assert_eq!(out("States.Base64Decode(' YWJjZA== ')"), r#""abcd""#);
    assert_eq!(out("States.Base64Decode(States.Base64Encode('✓'))"), r#""✓""#);
    let long = |n: usize| format!(r#"{{"s": "{}"}}"#, "a".repeat(n));
    assert!(eval_with("States.Base64Encode($.s)", &long(10_000), 1).is_ok());
    invalid("States.Base64Encode($.s)", &long(10_001));
    invalid("States.Base64Decode($.s)", &long(10_001));
    invalid("States.Base64Encode(123)", "{}");
    invalid("States.Base64Decode($.o)", r#"{"o": {}}"#);

    let hash = |data: &str, alg: &str| eval(&format!("States.Hash($.d, '{alg}')"), &format!(r#"{{"d": {data}}}"#));
    assert_eq!(hash("\"input data\"", "MD5").as_str(), Some("812f45842bc6d66ee14572ce20db8e86"));
    assert_eq!(
        hash("\"Hash this string\"", "SHA-256").as_str(),
        Some("1cac63f39fd68d8c531f27b807610fb3d50f0fc3f186995767fb6316e7200a3e")
    );
    // Non-strings are hashed through their text.
    assert_eq!(hash("123", "MD5"), hash("\"123\"", "MD5"));
    for bad in ["sha-256", "SHA256", "MD-5", ""] {
        invalid(&format!("States.Hash('data', '{bad}')"), "{}");
    }
    invalid("States.Hash('hello', 123)", "{}");
    invalid("States.Hash('hello')", "{}");
    invalid("States.Hash($.s, 'MD5')", &long(10_001));
}

#[test]
fn json_merge() {
    let input = r#"{"a": {"x": 1, "shared": "a"}, "b": {"shared": "b", "y": 2}}"#;
    assert_eq!(
        json::to_string(&eval("States.JsonMerge($.a, $.b, false)", input)),
        r#"{"shared":"b","x":1,"y":2}"#,
        "java.util.HashMap order"
    );
    let recorded = eval(
        "States.JsonMerge(States.StringToJson('{\"constant_in_literal\": \"false\"}'), $.f, false)",
        r#"{"f": {"constant_input_field": "constant_value"}}"#,
    );
    assert_eq!(
        json::to_string(&recorded),
        r#"{"constant_input_field":"constant_value","constant_in_literal":"false"}"#
    );
    invalid("States.JsonMerge($.a, $.b, true)", input);
    invalid("States.JsonMerge($.a, $.b)", input);
    invalid("States.JsonMerge($.a, 1, false)", input);
}

#[test]
fn math() {
    let add = |a: &str, b: &str| eval("States.MathAdd($.a, $.b)", &format!(r#"{{"a": {a}, "b": {b}}}"#));
    // Recorded AWS results: operands are rounded half up, the sum is an integer.
    for (a, b, sum) in [
        ("1.49", "1.5", 3),
        ("-1.51", "0", -2),
        ("0.5", "0", 1),
        ("-0.5", "0.5", 1),
        ("-0.5", "0", 0),
        ("-1.5", "0", -1),
        ("-2.5", "0", -2),
        ("2.5", "0", 3),
        ("1.5", "1.51", 4),
        ("-1.5", "-1.51", -3),
        ("-3.5", "0", -3),
        ("-1.49", "-1.5", -2),
        ("111", "-1", 110),
    ] {
        assert_eq!(add(a, b), Value::Number(Number::Int(sum)), "{a} + {b}");
    }
    assert_eq!(add("2147483647", "2147483647"), Value::from(4294967294i64));
    invalid("States.MathAdd($.a, $.b)", r#"{"a": 2147483648, "b": 0}"#);
    invalid("States.MathAdd($.a, $.b)", r#"{"a": 1, "b": "NOT A NUMBER"}"#);
    invalid("States.MathAdd(1)", "{}");
    assert_eq!(
        eval("States.MathAdd(States.ArrayLength(States.StringSplit($$.Execution.Name, '-')), -1)", "{}"),
        Value::from(2)
    );

    for seed in 0..50 {
        let v = eval_with("States.MathRandom(1, 999)", "{}", seed).unwrap();
        assert!(matches!(v, Value::Number(Number::Int(1..=998))), "{v}");
        let v = eval_with("States.MathRandom(-99999, -9999)", "{}", seed).unwrap();
        assert!(matches!(v, Value::Number(Number::Int(-99999..=-10000))), "{v}");
    }
    // A seed makes the result reproducible and independent of the run's random source:
    // java.util.Random(42).nextInt(99) + 1.
    let seeded = |run_seed| eval_with("States.MathRandom(1, 100, 42)", "{}", run_seed).unwrap();
    assert_eq!(seeded(1), seeded(2));
    assert_eq!(seeded(1), Value::from(1 + i64::from(crate::query::java::JavaRandom::new(42).next_int(99))));
    assert_eq!(out("States.MathRandom(1.6, 2.4)"), "1", "truncated to [1, 2)");
    for bad in [
        "1, 1",
        "10, 5",
        "1.4, 1.6",
        "'a', 10",
        "1, 'b'",
        "1, 10, 'seed'",
        "1, 10, null",
        "1",
        "1, 10, 5, 99",
        "0, 9e18",
    ] {
        invalid(&format!("States.MathRandom({bad})"), "{}");
    }
}

#[test]
fn strings_and_uuids() {
    let split = |s: &str, d: &str| {
        json::to_string(&eval("States.StringSplit($.s, $.d)", &format!(r#"{{"s": "{s}", "d": "{d}"}}"#)))
    };
    assert_eq!(split(" ", ","), r#"[" "]"#);
    assert_eq!(split(" , ", ","), r#"[" "," "]"#);
    assert_eq!(split(", , ,", ","), r#"[" "," "]"#);
    assert_eq!(split(",,,,", ","), "[]");
    assert_eq!(split("1,2,3,4,5", ","), r#"["1","2","3","4","5"]"#);
    assert_eq!(split("This.is+a,test=string", ".+,="), r#"["This","is","a","test","string"]"#);
    assert_eq!(split("abc", ""), r#"["abc"]"#);
    invalid("States.StringSplit(1, ',')", "{}");
    invalid("States.StringSplit('a')", "{}");

    let uuid = eval_with("States.UUID()", "{}", 5).unwrap();
    let text = uuid.as_str().unwrap();
    assert_eq!(text.len(), 36);
    assert_eq!(&text[14..15], "4");
    assert!("89ab".contains(&text[19..20]));
    assert!(text.chars().all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    assert_eq!(uuid, eval_with("States.UUID()", "{}", 5).unwrap(), "same seed, same UUID");
    assert_ne!(uuid, eval_with("States.UUID()", "{}", 6).unwrap());
    invalid("States.UUID(1)", "{}");
}

#[test]
fn path_arguments_that_find_nothing() {
    let e = eval_with("States.ArrayPartition($.missing, 2)", "{}", 1).unwrap_err();
    assert_eq!(
        e.cause,
        "The JSONPath '$.missing' specified for the field 'value.$' could not be found in the input '{}'"
    );
    // An indefinite path argument yields an (empty) array instead.
    assert_eq!(json::to_string(&eval("States.ArrayLength($.items[*])", r#"{"items": []}"#)), "0");
}

#[test]
fn nested_calls_from_recorded_cases() {
    let v = eval(
        "States.ArrayGetItem(States.StringSplit($$.Execution.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.Execution.Name, '-')), -1))",
        "{}",
    );
    assert_eq!(v.as_str(), Some("c"));
}

#[test]
fn never_panics_on_garbage() {
    const PIECES: &[&str] = &[
        "States.",
        "Format",
        "Array",
        "MathAdd",
        "ArrayRange",
        "Hash",
        "JsonMerge",
        "StringToJson",
        "UUID",
        "(",
        ")",
        ",",
        "'",
        "\\",
        "{",
        "}",
        "$",
        ".a",
        "[0]",
        "1",
        "-",
        "2.5",
        "e9",
        " ",
        "true",
        "null",
        "'{}'",
        "'x'",
        "$$",
    ];
    let input = json::parse(r#"{"a": [1, "x", {"b": 2}]}"#).unwrap();
    let mut random = SeededRandom(3);
    for _ in 0..20_000 {
        let len = (random.next_u64() % 16) as usize;
        let text: String = (0..len).map(|_| PIECES[(random.next_u64() % PIECES.len() as u64) as usize]).collect();
        if let Ok(call) = Intrinsic::parse(&text) {
            let mut inner = SeededRandom(1);
            let mut env = Env { input: &input, context: &input, variables: &(), random: &mut inner };
            let _ = call.evaluate(&mut env, "f.$");
        }
    }
}
