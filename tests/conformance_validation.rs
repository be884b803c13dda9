//! Definition validation measured against the AWS-recorded cases (tests/data/conformance).
//!
//! `validation_cases`: every case of tier `validation` whose call is CreateStateMachine,
//! UpdateStateMachine or ValidateStateMachineDefinition (TestState and StartExecution cases
//! are counted and skipped). How a case is compared:
//! - `validation_response` (ValidateStateMachineDefinition): result and the diagnostics
//!   (severity, code, message, location; no location when AWS gives none), exactly.
//! - `InvalidDefinition` with AWS's message: our errors rendered as CreateStateMachine does
//!   (`Invalid State Machine Definition: 'CODE: message at location, ...'`), exactly, after
//!   dropping the client's `An error occurred (...) when calling the X operation: ` prefix.
//! - `InvalidDefinition` recorded by LocalStack as `Error=ValueError Args=['<text>'] ...`
//!   (the real AWS text is not recorded): exactly one error, whose message is `<text>`.
//! - Any other error (logging configuration, names, versions: not about the definition): the
//!   definition, when the call has one, must have no error. Calls without a definition are
//!   counted as not applicable.
//!
//! `accepted_definitions_validate`: every definition AWS ran (tiers `pure` and `needs-mocks`)
//! must validate without an error. The corpus masks activity ARNs as `activity_arn`; both
//! tests put back a well-formed activity ARN first.

use aslplay::definition::validate::{
    definition_error_message, validate_state, validate_text_with, validate_with, MachineType, Options,
};
use aslplay::{json, Diagnostic, Map, Value};
use std::path::{Path, PathBuf};

/// Cases that must pass; raise it as the validator improves (a ratchet).
const BASELINE_PASSED: usize = 100;

/// Accepted definitions our validator still rejects, with the reason (keep short).
const ACCEPTED_EXCEPTIONS: &[(&str, &str)] = &[];

const OPS: &[&str] = &["create_state_machine", "update_state_machine", "validate_state_machine_definition"];

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/conformance/cases")
}

fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    json::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn index() -> Vec<Value> {
    load(&cases_dir().join("index.json")).as_array().map(|a| a.to_vec()).unwrap_or_default()
}

fn str_at<'a>(v: &'a Value, keys: &[&str]) -> Option<&'a str> {
    keys.iter().try_fold(v, |v, k| v.get(k))?.as_str()
}

fn options_of(call: &Value) -> Options {
    let machine_type = match str_at(call, &["other_args", "type"]) {
        Some("EXPRESS") => MachineType::Express,
        _ => MachineType::Standard,
    };
    Options { machine_type }
}

/// The corpus masks activity ARNs as the bare word `activity_arn` (the tests create the
/// activity at run time); put back an ARN of the shape AWS saw.
fn unmask(v: &Value) -> Value {
    match v {
        Value::String(s) if &**s == "activity_arn" => {
            Value::from("arn:aws:states:us-east-1:111111111111:activity:activity_name")
        }
        Value::Object(obj) => {
            let mut out = Map::new();
            for (k, v) in obj.iter() {
                out.insert(k.clone(), unmask(v));
            }
            Value::from(out)
        }
        Value::Array(items) => Value::from(items.iter().map(unmask).collect::<Vec<_>>()),
        other => other.clone(),
    }
}

/// Diagnostics of the call's definition: `None` when the call has none.
fn diagnostics_of(call: &Value) -> Option<Vec<Diagnostic>> {
    let definition = call.get("definition")?;
    let options = options_of(call);
    if let Some(raw) = definition.get("raw").and_then(Value::as_str) {
        return Some(validate_text_with(raw, &options).diagnostics);
    }
    Some(validate_with(&unmask(definition.get("json")?), &options))
}

/// The value of the first Python string literal after `Args=[` in a LocalStack message.
fn localstack_args_text(message: &str) -> Option<String> {
    let rest = &message[message.find("Args=[")? + 6..];
    let mut chars = rest.chars();
    let quote = chars.next().filter(|c| *c == '\'' || *c == '"')?;
    let mut out = String::new();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'x' => {
                    let hex: String = chars.by_ref().take(2).collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                other => out.push(other),
            },
            c if c == quote => return Some(out),
            c => out.push(c),
        }
    }
    None
}

fn strip_client_prefix(message: &str) -> &str {
    match message.find(" operation: ") {
        Some(i) if message.starts_with("An error occurred") => &message[i + 12..],
        _ => message,
    }
}

fn render(diagnostics: &[Diagnostic]) -> String {
    let parts: Vec<String> = diagnostics
        .iter()
        .map(|d| format!("{} {} {:?} at {:?}", d.severity_name(), d.code, d.message, d.location))
        .collect();
    format!("[{}]", parts.join("; "))
}

trait SeverityName {
    fn severity_name(&self) -> &'static str;
}

impl SeverityName for Diagnostic {
    fn severity_name(&self) -> &'static str {
        if self.is_error() {
            "ERROR"
        } else {
            "WARNING"
        }
    }
}

/// Compares one case; `Ok(true)` passed, `Ok(false)` not applicable, `Err(why)` failed.
fn compare(case: &Value) -> Result<bool, String> {
    let call = case.get("api_call").ok_or("no api_call")?;
    let expected = case.get("expected").ok_or("no expected")?;
    let found = diagnostics_of(call);
    if let Some(response) = expected.get("validation_response") {
        let found = found.ok_or("no definition")?;
        let want: Vec<String> = response
            .get("diagnostics")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .map(|d| {
                        format!(
                            "{} {} {:?} at {:?}",
                            str_at(d, &["severity"]).unwrap_or(""),
                            str_at(d, &["code"]).unwrap_or(""),
                            str_at(d, &["message"]).unwrap_or(""),
                            str_at(d, &["location"]).unwrap_or("")
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let want = format!("[{}]", want.join("; "));
        let got = render(&found);
        let result_ok = (str_at(response, &["result"]) == Some("OK")) == found.iter().all(|d| !d.is_error());
        return if want == got && result_ok { Ok(true) } else { Err(format!("want {want}\n      got  {got}")) };
    }
    let error_type = str_at(expected, &["error_type"]).unwrap_or("");
    let message = str_at(expected, &["message"]).unwrap_or("");
    if error_type != "InvalidDefinition" {
        let Some(found) = found else { return Ok(false) };
        let errors: Vec<Diagnostic> = found.into_iter().filter(Diagnostic::is_error).collect();
        return if errors.is_empty() {
            Ok(true)
        } else {
            Err(format!("AWS failed with {error_type} (not the definition), we report {}", render(&errors)))
        };
    }
    let found = found.ok_or("no definition")?;
    if let Some(text) = localstack_args_text(message) {
        let errors: Vec<&Diagnostic> = found.iter().filter(|d| d.is_error()).collect();
        return match errors[..] {
            [one] if one.message == text => Ok(true),
            _ => Err(format!("want one error {text:?}\n      got  {}", render(&found))),
        };
    }
    let want = strip_client_prefix(message);
    let got = definition_error_message(&found).unwrap_or_else(|| "(no error)".to_string());
    if got == want {
        Ok(true)
    } else {
        Err(format!("want {want}\n      got  {got}"))
    }
}

#[test]
fn validation_cases() {
    let (mut passed, mut failed, mut not_applicable, mut other_ops) = (0, Vec::new(), 0, 0);
    for entry in index() {
        if str_at(&entry, &["tier"]) != Some("validation") {
            continue;
        }
        let Some(path) = str_at(&entry, &["path"]) else { continue };
        let case = load(&cases_dir().join(path));
        let op = str_at(&case, &["api_call", "op"]).unwrap_or("");
        if !OPS.contains(&op) {
            other_ops += 1;
            continue;
        }
        match compare(&case) {
            Ok(true) => passed += 1,
            Ok(false) => not_applicable += 1,
            Err(why) => failed.push(format!("{}\n      {why}", str_at(&case, &["name"]).unwrap_or(path))),
        }
    }
    for f in &failed {
        println!("FAIL {f}");
    }
    let measured = passed + failed.len();
    println!(
        "validation cases: {passed}/{measured} passed ({not_applicable} without a definition, {other_ops} TestState/StartExecution cases skipped)"
    );
    assert!(passed >= BASELINE_PASSED, "pass count {passed} fell below the baseline {BASELINE_PASSED}");
}

#[test]
fn accepted_definitions_validate() {
    let mut rejected = Vec::new();
    let mut checked = 0;
    for entry in index() {
        if !matches!(str_at(&entry, &["tier"]), Some("pure" | "needs-mocks")) {
            continue;
        }
        let Some(path) = str_at(&entry, &["path"]) else { continue };
        let case = load(&cases_dir().join(path));
        let name = str_at(&case, &["name"]).unwrap_or(path).to_string();
        let Some(definition) = case.get("definition").map(unmask) else { continue };
        let machine_type = match str_at(&case, &["tags", "state_machine_type"]) {
            Some("EXPRESS") => MachineType::Express,
            _ => MachineType::Standard,
        };
        let options = Options { machine_type };
        let found = if definition.get("States").is_some() {
            validate_with(&definition, &options)
        } else {
            validate_state(&definition, &options)
        };
        checked += 1;
        let errors: Vec<Diagnostic> = found.into_iter().filter(Diagnostic::is_error).collect();
        if !errors.is_empty() && !ACCEPTED_EXCEPTIONS.iter().any(|(n, _)| *n == name) {
            rejected.push(format!("{name}\n      {}", render(&errors)));
        }
    }
    for r in &rejected {
        println!("REJECTED {r}");
    }
    println!("accepted definitions: {}/{checked} validate without error", checked - rejected.len());
    assert!(rejected.is_empty(), "{} accepted definitions are rejected", rejected.len());
}
