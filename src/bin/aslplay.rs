//! The `aslplay` command line: argument parsing and printing over the library, no logic.

use aslplay::services::MockConfig;
use aslplay::{json, Definition, Execution, ExecutionIds, Options, Value};
use std::io::Read;
use std::process::ExitCode;
use std::rc::Rc;

const USAGE: &str = "usage:
  aslplay run DEFINITION [--input FILE|-] [--context FILE] [--mock-config FILE --test-case NAME]
                         [--seed N] [--start-time RFC3339] [--max-events N] [--max-payload BYTES] [--history]
  aslplay validate DEFINITION
  aslplay import-history HISTORY [--definition FILE] [--state-machine NAME] [--test-case NAME]
DEFINITION is ASL JSON or YAML, or a CloudFormation/SAM template (JSON or YAML) with one state machine.
  aslplay test-state DEFINITION [--input FILE|-] [--state-name NAME] [--inspection-level INFO|DEBUG|TRACE]
                     [--mock FILE] [--variables FILE] [--context FILE] [--state-configuration FILE]";

/// A usage or input problem: one line on stderr, exit code 2.
struct Usage(String);

fn read(path: &str) -> Result<String, Usage> {
    if path == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| Usage(format!("cannot read standard input: {e}")))?;
        return Ok(s);
    }
    std::fs::read_to_string(path).map_err(|e| Usage(format!("cannot read {path}: {e}")))
}

/// A definition's text: as given when it is ASL JSON (so diagnostics keep their lines), else
/// converted from YAML or from a CloudFormation/SAM template. Text that is neither JSON nor
/// YAML holding a state machine or a template is given as it is, for the validator to answer
/// as AWS does (`INVALID_JSON_DESCRIPTION`, with the line and column); broken YAML and a
/// template without exactly one inline state machine are input errors.
fn read_definition(path: &str) -> Result<String, Usage> {
    let text = read(path)?;
    if json::parse(&text).is_ok_and(|v| v.get("States").is_some()) || text.trim_start().starts_with('{') {
        return Ok(text);
    }
    match aslplay::import::definition_from_text(&text) {
        Ok(v) => Ok(json::to_string_pretty(&v)),
        Err(e) if e.pointer.is_empty() && (e.line.is_none() || !aslplay::import::looks_like_yaml(&text)) => Ok(text),
        Err(e) => Err(Usage(format!("{path}: {e}"))),
    }
}

fn read_json(path: &str, what: &str) -> Result<Value, Usage> {
    json::parse(&read(path)?).map_err(|e| Usage(format!("{what} {path} is not valid JSON: {e}")))
}

/// Prints to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn print(v: &Value) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{}", json::to_string_pretty(v));
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => ExitCode::from(code),
        Err(Usage(message)) => {
            eprintln!("aslplay: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<u8, Usage> {
    let Some((command, rest)) = args.split_first() else {
        return Err(Usage(format!("missing command\n{USAGE}")));
    };
    if rest.iter().any(|a| a == "-h" || a == "--help") {
        // `aslplay run --help`: the usage, as for `aslplay --help`.
        return run(&["--help".to_string()]);
    }
    match command.as_str() {
        "validate" => {
            let [path] = rest else { return Err(Usage(format!("validate takes one DEFINITION\n{USAGE}"))) };
            let v = aslplay::validate(&read_definition(path)?);
            print(&v.to_value());
            Ok(if v.is_ok() { 0 } else { 1 })
        }
        "run" => run_execution(rest),
        "test-state" => run_test_state(rest),
        "import-history" => run_import_history(rest),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(0)
        }
        other => Err(Usage(format!("unknown command '{other}'\n{USAGE}"))),
    }
}

fn run_execution(args: &[String]) -> Result<u8, Usage> {
    let mut definition = None;
    let (mut input, mut context, mut mock_config, mut test_case) = (None, None, None, None);
    let (mut seed, mut start_time, mut max_events, mut max_payload, mut history) = (None, None, None, None, false);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| Usage(format!("{name} needs a value")));
        match arg.as_str() {
            "--input" => input = Some(value("--input")?),
            "--context" => context = Some(value("--context")?),
            "--mock-config" => mock_config = Some(value("--mock-config")?),
            "--test-case" => test_case = Some(value("--test-case")?),
            "--seed" => seed = Some(value("--seed")?),
            "--start-time" => start_time = Some(value("--start-time")?),
            "--max-events" => max_events = Some(value("--max-events")?),
            "--max-payload" => max_payload = Some(value("--max-payload")?),
            "--history" => history = true,
            s if s.starts_with("--") => return Err(Usage(format!("unknown option {s}\n{USAGE}"))),
            s if definition.is_none() => definition = Some(s.to_string()),
            s => return Err(Usage(format!("unexpected argument {s}"))),
        }
    }
    let definition = definition.ok_or_else(|| Usage(format!("run needs a DEFINITION\n{USAGE}")))?;
    let def = match Definition::from_text(&read_definition(&definition)?) {
        Ok(d) => d,
        Err(validation) => {
            print(&validation.to_value());
            return Ok(1);
        }
    };
    let input = match &input {
        Some(path) => read_json(path, "input")?,
        None => Value::object(),
    };
    let mut options = Options::default();
    if let Some(path) = &context {
        let c = read_json(path, "context")?;
        let obj = c.as_object().ok_or_else(|| Usage(format!("context {path} must be a JSON object")))?;
        let mut ids = ExecutionIds::default();
        for (k, v) in obj.iter() {
            let s = v.as_str().ok_or_else(|| Usage(format!("context field {k} must be a string")))?.to_string();
            match &**k {
                "accountId" => ids.account_id = s,
                "region" => ids.region = s,
                "stateMachineName" => ids.state_machine_name = s,
                "executionName" => ids.execution_name = s,
                "roleArn" => ids.role_arn = s,
                "startTime" => {
                    options.start_time = aslplay::time::parse_rfc3339(&s)
                        .ok_or_else(|| Usage(format!("context startTime is not an RFC 3339 timestamp: {s}")))?
                }
                other => return Err(Usage(format!("unknown context field {other}"))),
            }
        }
        options.ids = ids;
    }
    if let Some(s) = &seed {
        options.seed = s.parse().map_err(|_| Usage(format!("--seed must be a non-negative integer, not {s}")))?;
    }
    if let Some(s) = &start_time {
        options.start_time = aslplay::time::parse_rfc3339(s)
            .ok_or_else(|| Usage(format!("--start-time is not an RFC 3339 timestamp: {s}")))?;
    }
    for (flag, given, limit) in [
        ("--max-events", &max_events, &mut options.max_events),
        ("--max-payload", &max_payload, &mut options.payload_limit),
    ] {
        if let Some(s) = given {
            *limit = s
                .parse()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| Usage(format!("{flag} must be a positive integer, not {s}")))?;
        }
    }
    let def = Rc::new(def);
    let mut exec = match (&mock_config, &test_case) {
        (Some(path), Some(tc)) => {
            let cfg =
                MockConfig::from_text(&read(path)?).map_err(|e| Usage(format!("mock configuration {path}: {e}")))?;
            for problem in cfg.shape_problems(&def) {
                eprintln!("aslplay: warning: mock configuration {path}: {problem}");
            }
            let sm = if context.is_some() || cfg.state_machine_names().len() != 1 {
                Some(options.ids.state_machine_name.clone())
            } else {
                None
            };
            Execution::start_mocked(def, input, options, &cfg, sm.as_deref(), tc)
                .map_err(|e| Usage(format!("mock configuration {path}: {e}")))?
        }
        (Some(_), None) => return Err(Usage("--mock-config needs --test-case NAME".into())),
        (None, Some(_)) => return Err(Usage("--test-case needs --mock-config FILE".into())),
        (None, None) => Execution::start(def, input, options),
    };
    exec.run();
    let mut result = exec.result_value();
    if history {
        let events: Vec<Value> = exec.history().iter().map(|e| e.to_value()).collect();
        if let Value::Object(m) = &mut result {
            Rc::make_mut(m).insert("events", Value::from(events));
        }
    }
    print(&result);
    Ok(0)
}

fn run_test_state(args: &[String]) -> Result<u8, Usage> {
    use aslplay::test_state::{test_state, InspectionLevel, TestStateRequest};
    let mut req = TestStateRequest::default();
    let mut definition = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| Usage(format!("{name} needs a value")));
        match arg.as_str() {
            "--input" => req.input = read_json(&value("--input")?, "input")?,
            "--state-name" => req.state_name = Some(value("--state-name")?),
            "--inspection-level" => {
                let v = value("--inspection-level")?;
                req.inspection_level = InspectionLevel::parse(&v)
                    .ok_or_else(|| Usage(format!("--inspection-level is INFO, DEBUG or TRACE, not {v}")))?;
            }
            "--mock" => req.mock = Some(read_json(&value("--mock")?, "mock")?),
            "--variables" => req.variables = Some(read_json(&value("--variables")?, "variables")?),
            "--context" => req.context = Some(read_json(&value("--context")?, "context")?),
            "--state-configuration" => {
                req.state_configuration = Some(read_json(&value("--state-configuration")?, "state configuration")?)
            }
            s if s.starts_with("--") => return Err(Usage(format!("unknown option {s}\n{USAGE}"))),
            s if definition.is_none() => definition = Some(s.to_string()),
            s => return Err(Usage(format!("unexpected argument {s}"))),
        }
    }
    let definition = definition.ok_or_else(|| Usage(format!("test-state needs a DEFINITION\n{USAGE}")))?;
    req.definition = read_json(&definition, "definition")?;
    match test_state(&req) {
        Ok(response) => {
            print(&response);
            Ok(0)
        }
        Err(e) => {
            let mut m = aslplay::Map::new();
            m.insert("error", Value::from(e.error_type));
            m.insert("message", Value::from(e.message));
            print(&Value::from(m));
            Ok(1)
        }
    }
}

fn run_import_history(args: &[String]) -> Result<u8, Usage> {
    let (mut history, mut definition) = (None, None);
    let (mut state_machine, mut test_case) = ("StateMachine".to_string(), "Recorded".to_string());
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| Usage(format!("{name} needs a value")));
        match arg.as_str() {
            "--definition" => {
                definition =
                    Some(json::parse(&read_definition(&value("--definition")?)?).map_err(|e| Usage(e.to_string()))?)
            }
            "--state-machine" => state_machine = value("--state-machine")?,
            "--test-case" => test_case = value("--test-case")?,
            s if s.starts_with("--") => return Err(Usage(format!("unknown option {s}\n{USAGE}"))),
            s if history.is_none() => history = Some(s.to_string()),
            s => return Err(Usage(format!("unexpected argument {s}"))),
        }
    }
    let history = history.ok_or_else(|| Usage(format!("import-history needs a HISTORY file\n{USAGE}")))?;
    let events = read_json(&history, "history")?;
    match aslplay::import::import_history(&events, definition.as_ref(), &state_machine, &test_case) {
        Ok(imported) => {
            for note in &imported.notes {
                eprintln!("aslplay: note: {note}");
            }
            print(&imported.mock_config);
            Ok(0)
        }
        Err(e) => Err(Usage(format!("{history}: {} (at {})", e.message, e.pointer))),
    }
}
