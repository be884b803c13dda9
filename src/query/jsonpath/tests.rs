use super::*;
use crate::json;
use crate::query::Variables;
use crate::random::SeededRandom;

const STORE: &str = r#"{
  "store": {
    "book": [
      {"category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95},
      {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword", "price": 12.99, "tag": null},
      {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553", "price": 8.99},
      {"category": "fiction", "author": "J. R. R. Tolkien", "title": "Rings", "isbn": "0-395", "price": 22.99, "tag": false}
    ],
    "bicycle": {"color": "red", "price": 19.95}
  },
  "expensive": 10,
  "a b": 1,
  "&Ж中": {"x": "odd"},
  "store.book": "dotted",
  "store\\.book": "escaped"
}"#;

fn doc() -> Value {
    json::parse(STORE).unwrap()
}

fn select(path: &str, document: &Value) -> Result<String, PathSelectError> {
    Path::parse(path).unwrap().select_in(document).map(|v| json::to_string(&v))
}

fn ok(path: &str) -> String {
    select(path, &doc()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn err(path: &str, document: &str) -> String {
    select(path, &json::parse(document).unwrap()).unwrap_err().message()
}

#[test]
fn roots() {
    let input = json::parse(r#"{"a": 1}"#).unwrap();
    let context = json::parse(r#"{"Execution": {"Name": "n"}}"#).unwrap();
    struct Vars;
    impl Variables for Vars {
        fn get(&self, name: &str) -> Option<Value> {
            (name == "x").then(|| json::parse(r#"{"a": {"b": [5, 6]}}"#).unwrap())
        }
    }
    let mut random = SeededRandom(0);
    let env = Env { input: &input, context: &context, variables: &Vars, random: &mut random };
    let sel = |p: &str| Path::parse(p).unwrap().select(&env).map(|v| json::to_string(&v));
    assert_eq!(sel("$").unwrap(), r#"{"a":1}"#);
    assert_eq!(sel("$.a").unwrap(), "1");
    assert_eq!(sel("$$").unwrap(), r#"{"Execution":{"Name":"n"}}"#);
    assert_eq!(sel("$$.Execution.Name").unwrap(), r#""n""#);
    assert_eq!(sel("$x.a.b[1]").unwrap(), "6");
    assert_eq!(sel("$x").unwrap(), r#"{"a":{"b":[5,6]}}"#);
    assert_eq!(sel("$y.a"), Err(PathSelectError::UndefinedVariable { name: Rc::from("y") }));
    assert_eq!(Path::parse("$x.a").unwrap().root(), &PathRoot::Variable(Rc::from("x")));
    assert_eq!(Path::parse("$$.a").unwrap().root(), &PathRoot::Context);
}

#[test]
fn dot_and_bracket_notation() {
    assert_eq!(ok("$.expensive"), "10");
    assert_eq!(ok("$['expensive']"), "10");
    assert_eq!(ok(r#"$["a b"]"#), "1");
    assert_eq!(ok("$.store.book[0].author"), r#""Nigel Rees""#);
    assert_eq!(ok("$['store']['book'][0]['author']"), r#""Nigel Rees""#);
    assert_eq!(ok("$.store.book[-1].title"), r#""Rings""#);
    assert_eq!(ok("$.store.book[ 1 ].title"), r#""Sword""#);
    assert_eq!(ok("$.store.book[1].tag"), "null");
}

#[test]
fn odd_keys_and_escapes() {
    assert_eq!(ok("$.&Ж中.x"), r#""odd""#);
    assert_eq!(ok("$['store.book']"), r#""dotted""#);
    // A backslash stays in the name; it only keeps the next character from ending it.
    assert_eq!(ok(r"$.store\.book"), r#""escaped""#);
    assert_eq!(ok(r"$['store\.book']"), r#""escaped""#);
    assert_eq!(Path::parse(r"$.a\[0\]").unwrap().normalized(), r"$['a\[0\]']");
}

#[test]
fn quoted_names_keep_backslashes() {
    // AWS-recorded (ESCAPE_SEQUENCES_JSONPATH): the key is `Test\""Name"`, backslash included.
    let d = json::parse(r#"{"Test\\\"\"Name\"": "Value\"\\"}"#).unwrap();
    assert_eq!(select(r#"$['Test\""Name"']"#, &d).unwrap(), r#""Value\"\\""#);
    assert_eq!(select(r"$['it\'s']", &d).unwrap_err().message(), r"No results for path: $['it\'s']");
    let d = json::parse(r#"{"q\\\"x": 1}"#).unwrap();
    assert_eq!(select(r#"$["q\"x"]"#, &d).unwrap(), "1");
}

#[test]
fn wildcards_slices_unions() {
    assert_eq!(ok("$.store.book[*].price"), "[8.95,12.99,8.99,22.99]");
    assert_eq!(ok("$.store.bicycle.*"), r#"["red",19.95]"#);
    assert_eq!(ok("$.store.bicycle[*]"), r#"["red",19.95]"#);
    assert_eq!(ok("$.store.book[1:3].title"), r#"["Sword","Moby Dick"]"#);
    assert_eq!(ok("$.store.book[:2].title"), r#"["Sayings","Sword"]"#);
    assert_eq!(ok("$.store.book[-2:].title"), r#"["Moby Dick","Rings"]"#);
    assert_eq!(ok("$.store.book[2:].title"), r#"["Moby Dick","Rings"]"#);
    assert_eq!(ok("$.store.book[:-3].title"), r#"["Sayings"]"#);
    assert_eq!(ok("$.store.book[0,2].title"), r#"["Sayings","Moby Dick"]"#);
    assert_eq!(ok("$.store.book[0:4:2].title"), r#"["Sayings","Sword","Moby Dick","Rings"]"#, "Jayway ignores a step");
    assert_eq!(ok("$.store.book[9:].title"), "[]");
    assert_eq!(ok("$.store.book[0,9].title"), r#"["Sayings"]"#);
    // Jayway merges a trailing union of names into one object; elsewhere it iterates.
    assert_eq!(ok("$.store.bicycle['color','price']"), r#"{"color":"red","price":19.95}"#);
    assert_eq!(ok("$.store.bicycle['color','nope']"), r#"{"color":"red"}"#);
    assert!(Path::parse("$['a','b']").unwrap().is_definite());
    assert_eq!(ok("$.store['bicycle','nope'].color"), r#"["red"]"#);
}

#[test]
fn jayway_slice_with_negative_start_and_end() {
    // [from:to] does not adjust a negative `from`; lookups then count it from the end.
    let d = json::parse("[10, 20, 30]").unwrap();
    assert_eq!(select("$[-2:5]", &d).unwrap(), "[20,30,10,20,30]");
}

#[test]
fn recursive_descent() {
    assert_eq!(ok("$..author"), r#"["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]"#);
    assert_eq!(ok("$.store..price"), "[8.95,12.99,8.99,22.99,19.95]");
    assert_eq!(ok("$..book[2].title"), r#"["Moby Dick"]"#);
    assert_eq!(ok("$..book[?(@.isbn)].title"), r#"["Moby Dick","Rings"]"#);
    assert_eq!(ok("$..[?(@.price > 20)].title"), r#"["Rings"]"#);
    let d = json::parse(r#"{"a": {"b": 1, "c": {"b": 2}}, "b": 0}"#).unwrap();
    assert_eq!(select("$..b", &d).unwrap(), "[0,1,2]");
    assert_eq!(select("$..*", &json::parse(r#"{"a": {"b": 1}}"#).unwrap()).unwrap(), r#"[{"b":1},1]"#);
    assert_eq!(select("$..missing", &d).unwrap(), "[]");
}

#[test]
fn filters() {
    assert_eq!(ok("$.store.book[?(@.price < 10)].title"), r#"["Sayings","Moby Dick"]"#);
    assert_eq!(ok("$.store.book[?(@.price <= 8.95)].title"), r#"["Sayings"]"#);
    assert_eq!(ok("$.store.book[?(@.category == 'fiction' && @.price > 20)].title"), r#"["Rings"]"#);
    assert_eq!(ok(r#"$.store.book[?(@.category == "reference" || @.price > 20)].title"#), r#"["Sayings","Rings"]"#);
    assert_eq!(ok("$.store.book[?(@.isbn)].title"), r#"["Moby Dick","Rings"]"#);
    assert_eq!(ok("$.store.book[?(!@.isbn)].title"), r#"["Sayings","Sword"]"#);
    // Existence holds for null and false values.
    assert_eq!(ok("$.store.book[?(@.tag)].title"), r#"["Sword","Rings"]"#);
    assert_eq!(ok("$.store.book[?(@.tag == null)].title"), r#"["Sword"]"#);
    assert_eq!(ok("$.store.book[?(@.tag == false)].title"), r#"["Rings"]"#);
    // A missing operand equals nothing, so != holds.
    assert_eq!(ok("$.store.book[?(@.isbn != '0-553')].title"), r#"["Sayings","Sword","Rings"]"#);
    assert_eq!(ok("$.store.book[?(@.price > $.expensive)].title"), r#"["Sword","Rings"]"#);
    assert_eq!(ok("$.store.book[?(@.author in ['Nigel Rees', 'Herman Melville'])].price"), "[8.95,8.99]");
    assert_eq!(ok("$.store.book[?(@.category nin ['fiction'])].price"), "[8.95]");
    assert_eq!(ok("$.store.book[?((@.price < 9) && !(@.category == 'reference'))].title"), r#"["Moby Dick"]"#);
    assert_eq!(ok("$.store.book[?(@.title size 5)].title"), r#"["Sword","Rings"]"#);
    assert_eq!(ok("$.store.book[?(@.author contains 'R. R.')].title"), r#"["Rings"]"#);
    // Strings compare by code point; numbers and strings do not order against each other.
    assert_eq!(ok("$.store.book[?(@.title > 'Rz')].title"), r#"["Sayings","Sword"]"#);
    assert_eq!(ok("$.store.book[?(@.title > 5)].title"), "[]");
    // A filter on an object tests the object itself.
    assert_eq!(ok("$.store.bicycle[?(@.color == 'red')].price"), "[19.95]");
    let d = json::parse(r#"{"xs": [1, "1", 2, true, {"a": [1]}, [1, 2]]}"#).unwrap();
    assert_eq!(select("$.xs[?(@ == 1)]", &d).unwrap(), r#"[1,"1"]"#);
    assert_eq!(select("$.xs[?(@ == true)]", &d).unwrap(), "[true]");
    assert_eq!(select("$.xs[?(@ == [1, 2])]", &d).unwrap(), "[[1,2]]");
    assert_eq!(select("$.xs[?(@.a empty false)]", &d).unwrap(), r#"[{"a":[1]}]"#);
    assert_eq!(select("$.xs[?(@ anyof [2, 3])]", &d).unwrap(), "[[1,2]]");
    assert_eq!(select("$.xs[?(@ subsetof [1, 2, 3])]", &d).unwrap(), "[[1,2]]");
    assert_eq!(select("$.xs[?(@ noneof [7])]", &d).unwrap(), "[[1,2]]");
}

#[test]
fn unquoted_filter_words_are_strings() {
    // AWS accepts `[?(@.Name==Receipt)]` (its samples collection deploys one); Jayway before
    // version 2 read the word as a string, which is what the sample means.
    let d =
        json::parse(r#"{"Labels": [{"Name": "Receipt", "c": 98}, {"Name": "Paper", "c": 90}, {"Name": "receipt"}]}"#)
            .unwrap();
    assert_eq!(select("$.Labels[?(@.Name==Receipt)].c", &d).unwrap(), "[98]");
    assert_eq!(select("$.Labels[?(@.Name != Receipt && @.c)].Name", &d).unwrap(), r#"["Paper"]"#);
    assert_eq!(select("$.Labels[?(Paper == @.Name)].c", &d).unwrap(), "[90]");
    assert_eq!(select("$.Labels[?(@.Name in [ 'Paper' ])].c", &d).unwrap(), "[90]");
    // Words that are literals keep their meaning.
    let flags = json::parse(r#"{"xs": [{"f": true}, {"f": null}, {"f": "true"}]}"#).unwrap();
    assert_eq!(select("$.xs[?(@.f == true)]", &flags).unwrap(), r#"[{"f":true}]"#);
    assert_eq!(select("$.xs[?(@.f == null)]", &flags).unwrap(), r#"[{"f":null}]"#);
    let words =
        |p: &str| Path::parse(p).unwrap().unquoted_filter_words().iter().map(|w| w.to_string()).collect::<Vec<_>>();
    assert_eq!(words("$.Labels[?(@.Name==Receipt)]"), vec!["Receipt"]);
    assert_eq!(words("$.a[?(@.b[?(@.c == x-1)] && @.d == 'q')]"), vec!["x-1"]);
    assert!(words("$.a[?(@.b == 'Receipt' || @.c == true)]").is_empty());
}

#[test]
fn path_functions() {
    assert_eq!(ok("$.store.book.length()"), "4");
    assert_eq!(ok("$.store.bicycle.length()"), "2");
    assert_eq!(ok("$.store.book[*].price.sum()"), "53.92");
    assert_eq!(ok("$.store.book[*].price.min()"), "8.95");
    assert_eq!(ok("$.store.book[*].price.max()"), "22.99");
    assert_eq!(ok("$.store.bicycle.keys()"), r#"["color","price"]"#);
    assert_eq!(ok("$.store.book[*].title.first()"), r#""Sayings""#);
    assert_eq!(ok("$.store.book[*].title.last()"), r#""Rings""#);
    assert_eq!(ok("$.store.book[*].title.index(1)"), r#""Sword""#);
    let d = json::parse(r#"{"n": [1, 2, 3, 4]}"#).unwrap();
    assert_eq!(select("$.n.avg()", &d).unwrap(), "2.5");
    assert_eq!(select("$.n.stddev()", &d).unwrap(), "1.118033988749895");
    assert_eq!(err("$.n.sum()", r#"{"n": []}"#), "Aggregation function attempted to calculate value using empty array");
    assert!(Path::parse("$.a.length()").unwrap().is_definite());
}

#[test]
fn definiteness() {
    for p in ["$", "$.a", "$['a'][0]", "$.a[-1].b", "$$.Execution.Id", "$v.a", "$.a.length()"] {
        assert!(Path::parse(p).unwrap().is_definite(), "{p}");
    }
    for p in ["$.a[*]", "$.*", "$..a", "$.a[0,1]", "$.a[1:]", "$.a[?(@.b)]", "$['a','b'].c"] {
        assert!(!Path::parse(p).unwrap().is_definite(), "{p}");
    }
}

#[test]
fn jayway_failure_messages() {
    assert_eq!(err("$.NoSuchOutputPath", r#"{"int-literal": 0}"#), "No results for path: $['NoSuchOutputPath']");
    assert_eq!(err("$.no.such.result.path", "{}"), "Missing property in path $['no']");
    assert_eq!(err("$.a.b", r#"{"a": {}}"#), "No results for path: $['a']['b']");
    assert_eq!(err("$.a.b.c", r#"{"a": {}}"#), "Missing property in path $['a']['b']");
    assert_eq!(err("$.a[3]", r#"{"a": [1]}"#), "No results for path: $['a'][3]");
    assert_eq!(err("$.a[3].b", r#"{"a": [1]}"#), "No results for path: $['a'][3]['b']");
    assert_eq!(
        err("$.a.b", r#"{"a": "text"}"#),
        "Expected to find an object with property ['b'] in path $['a'] but found 'java.lang.String'. \
         This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JacksonJsonProvider'."
    );
    assert_eq!(err("$.a[0]", r#"{"a": null}"#), "The path $['a'] is null");
    assert_eq!(
        err("$.a[0].x", r#"{"a": {"k": 1}}"#),
        "Filter: [0]['x'] can only be applied to arrays. Current context is: {k=1}"
    );
    assert_eq!(
        err("$.a[0].x.length()", r#"{"a": 5}"#),
        "Filter: [0]['x'].length() can only be applied to arrays. Current context is: 5"
    );
    // An indefinite path never fails: it yields what it finds (AWS-recorded: a template's
    // `$.items[*]` on `{}` gives `[]`).
    assert_eq!(select("$.a[*].b", &json::parse(r#"{"a": ["s", {"b": 1}, {}]}"#).unwrap()).unwrap(), "[1]");
    for p in ["$.items[*]", "$.items[:1]", "$.item.items[1:5].itemValue", "$.a[?(@.x)]", "$.a..b"] {
        assert_eq!(select(p, &json::parse(r#"{"a": 5}"#).unwrap()).unwrap(), "[]", "{p}");
    }
    assert!(PathSelectError::NoResults { path: "$".into() }.is_not_found());
    assert!(!PathSelectError::Invalid { message: String::new() }.is_not_found());
}

#[test]
fn aws_wrapped_messages() {
    let input = json::parse(r#"{"int-literal": 0}"#).unwrap();
    let mut random = SeededRandom(0);
    let env = Env { input: &input, context: &Value::Null, variables: &(), random: &mut random };
    let e = Path::parse("$.NoSuchOutputPath").unwrap().select_or_invalid_path(&env).unwrap_err();
    assert_eq!(e.error, "States.Runtime");
    assert_eq!(e.cause, "Invalid path '$.NoSuchOutputPath' : No results for path: $['NoSuchOutputPath']");
    let e = Path::parse("$.no.such.result.path").unwrap().select_or_invalid_path(&json_env_unused()).unwrap_err();
    assert_eq!(e.cause, "Invalid path '$.no.such.result.path' : Missing property in path $['no']");
    let e = Path::parse("$.ErrorX").unwrap().select_for_field(&env, "ErrorPath").unwrap_err();
    assert_eq!(
        e.cause,
        "The JSONPath '$.ErrorX' specified for the field 'ErrorPath' could not be found in the input '{\"int-literal\":0}'"
    );
}

#[test]
fn template_paths_on_a_null_input() {
    let mut random = SeededRandom(0);
    let context = json::parse(r#"{"a": 1}"#).unwrap();
    let env = Env { input: &Value::Null, context: &context, variables: &(), random: &mut random };
    let e = Path::parse("$").unwrap().select_for_field(&env, "Input.$").unwrap_err();
    assert_eq!(e.cause, "Unable to apply Path transformation to null or empty input.");
    assert_eq!(Path::parse("$$.a").unwrap().select_for_field(&env, "x.$").unwrap(), Value::from(1));
}

/// An environment whose input is `{}`; leaked so the borrow outlives the call (tests only).
fn json_env_unused() -> Env<'static> {
    let input: &'static Value = Box::leak(Box::new(json::parse("{}").unwrap()));
    let random: &'static mut SeededRandom = Box::leak(Box::new(SeededRandom(0)));
    Env { input, context: input, variables: &(), random }
}

#[test]
fn simple_paths_share_the_selected_node() {
    let d = doc();
    let p = Path::parse("$.store.book[0]").unwrap();
    let v = p.select_in(&d).unwrap();
    assert!(v.ptr_eq(d.get("store").unwrap().get("book").unwrap().index(0).unwrap()));
    assert!(Path::parse("$").unwrap().select_in(&d).unwrap().ptr_eq(&d));
}

#[test]
fn normalized_form() {
    let p = Path::parse("$.a['b c'][0][*]..d[1:2][?(@.x)][0,1].length()").unwrap();
    assert_eq!(p.normalized(), "$['a']['b c'][0][*]..['d'][1:2][?][0,1].length()");
    assert_eq!(p.text(), "$.a['b c'][0][*]..d[1:2][?(@.x)][0,1].length()");
}

#[test]
fn parse_errors() {
    for bad in [
        "",
        "a.b",
        "$.",
        "$..",
        "$.a.",
        "$.a[",
        "$.a[]",
        "$.a[x]",
        "$.a b",
        "$.a[::2]",
        "$.a[1:2,3]",
        "$['a'",
        "$.a[?(@.b ==)]",
        "$.a[?(@.b =~ /x/)]",
        "$.a.nope()",
        "$.a.length().b",
        "$[?(@.a) && ]",
        "$1x",
        "$a-b",
        "$.a[?(@.b == 'x)]",
    ] {
        assert!(Path::parse(bad).is_err(), "{bad:?} should not parse");
    }
    let e = Path::parse("$.a[x]").unwrap_err();
    assert_eq!(e.position, 4);
}

#[test]
fn reference_paths() {
    for good in [
        "$",
        "$.a",
        "$.a.b[0]",
        "$['a']['b']",
        "$.ledgers[0][22][315].foo",
        r"$.foo\@bar.baz\[\[.\?pretty",
        "$$.Map.Item",
        "$v.x",
    ] {
        assert!(ReferencePath::parse(good).is_ok(), "{good}");
    }
    for bad in ["$.a[*]", "$..a", "$.a[0,1]", "$.a[1:]", "$.a[?(@.b)]", "$['a','b']", "$.a.length()", "$.*"] {
        let e = ReferencePath::parse(bad).unwrap_err();
        assert!(e.message.contains("single node"), "{bad}: {e}");
    }
    let rp = ReferencePath::parse(r"$.foo\@bar").unwrap();
    assert_eq!(rp.path().normalized(), r"$['foo\@bar']");
}

fn assign(path: &str, target: &str, value: &str) -> Result<String, EvalError> {
    ReferencePath::parse(path)
        .unwrap()
        .assign(&json::parse(target).unwrap(), json::parse(value).unwrap())
        .map(|v| json::to_string(&v))
}

#[test]
fn result_path_assignment() {
    assert_eq!(assign("$", r#"{"a": 1}"#, "[1]").unwrap(), "[1]");
    assert_eq!(assign("$.r", r#"{"a": 1}"#, "2").unwrap(), r#"{"a":1,"r":2}"#);
    assert_eq!(assign("$.a", r#"{"a": 1, "b": 0}"#, "2").unwrap(), r#"{"a":2,"b":0}"#);
    assert_eq!(assign("$.x.y.z", r#"{"a": 1}"#, "true").unwrap(), r#"{"a":1,"x":{"y":{"z":true}}}"#);
    assert_eq!(assign("$.x.y", r#"{"x": {"k": 1}}"#, "2").unwrap(), r#"{"x":{"k":1,"y":2}}"#);
    assert_eq!(assign("$.l[1].v", r#"{"l": [{}, {}]}"#, "3").unwrap(), r#"{"l":[{},{"v":3}]}"#);
    assert_eq!(assign("$.l[-1]", r#"{"l": [0, 0]}"#, "3").unwrap(), r#"{"l":[0,3]}"#);
    let e = assign("$.x", r#""foo""#, "1").unwrap_err();
    assert_eq!(e.error, "States.ResultPathMatchFailure");
    assert_eq!(e.cause, "Unable to apply ReferencePath $.x to input \"foo\"");
    assert!(assign("$.a.b", r#"{"a": 5}"#, "1").is_err());
    assert!(assign("$.l[5]", r#"{"l": []}"#, "1").is_err());
    assert!(assign("$.l[0]", r#"{"l": {}}"#, "1").is_err());
}

#[test]
fn assignment_copies_only_the_spine() {
    let target = json::parse(r#"{"keep": {"big": [1, 2, 3]}, "into": {"other": [4]}}"#).unwrap();
    let out = ReferencePath::parse("$.into.new").unwrap().assign(&target, Value::from(1)).unwrap();
    assert!(out.get("keep").unwrap().ptr_eq(target.get("keep").unwrap()));
    let other = |v: &Value| v.get("into").unwrap().get("other").unwrap().clone();
    assert!(other(&out).ptr_eq(&other(&target)));
    assert_eq!(json::to_string(&target), r#"{"keep":{"big":[1,2,3]},"into":{"other":[4]}}"#, "target untouched");
}

/// A small deterministic generator for the robustness tests.
fn garbage<'a>(seed: u64, alphabet: &'a [&'a str], max_len: usize) -> impl Iterator<Item = String> + 'a {
    let mut random = SeededRandom(seed);
    std::iter::repeat_with(move || {
        let len = (random.next_u64() % max_len as u64) as usize;
        (0..len).map(|_| alphabet[(random.next_u64() % alphabet.len() as u64) as usize]).collect()
    })
}

use crate::random::Random;

#[test]
fn never_panics_on_garbage() {
    const PIECES: &[&str] = &[
        "$", "$$", ".", "..", "[", "]", "(", ")", "'", "\"", "\\", "*", "?", "@", ",", ":", "-", "0", "1", "9", "a",
        "b", "==", "<", "!", "&&", "||", " ", "length()", "Ж", "{", "}", "in", "[?(", ")]", "['", "']", "true", "null",
    ];
    let d = doc();
    for text in garbage(7, PIECES, 24).take(20_000) {
        if let Ok(p) = Path::parse(&text) {
            let _ = p.select_in(&d);
            let _ = p.normalized();
        }
        if let Ok(rp) = ReferencePath::parse(&text) {
            let _ = rp.assign(&d, Value::Null);
        }
        let prefixed = format!("$.{text}");
        if let Ok(p) = Path::parse(&prefixed) {
            let _ = p.select_in(&d);
        }
    }
}
