//! The `aslplay` command line: argument parsing and printing over the library, no logic.

use aslplay::import::{Deployment, FoundDefinition};
use aslplay::services::MockConfig;
use aslplay::{json, Definition, Execution, ExecutionIds, Options, Validation, Value};
use std::io::Read;
use std::process::ExitCode;
use std::rc::Rc;

const USAGE: &str = "usage:
  aslplay run DEFINITION [--input FILE|-] [--context FILE] [--mock-config FILE --test-case NAME]
                         [--seed N] [--start-time RFC3339] [--max-events N] [--max-payload BYTES] [--history]
                         [--state-machine LOGICAL_ID] [--param NAME=VALUE]...
  aslplay validate DEFINITION [--context FILE] [--state-machine LOGICAL_ID] [--param NAME=VALUE]...
  aslplay import-history HISTORY [--definition FILE] [--state-machine NAME] [--test-case NAME] [--param NAME=VALUE]...
  aslplay test-state DEFINITION [--input FILE|-] [--state-name NAME] [--inspection-level INFO|DEBUG|TRACE]
                     [--mock FILE] [--variables FILE] [--context FILE] [--state-configuration FILE]
DEFINITION is ASL JSON or YAML (its ${name} placeholders filled by --param), or a CloudFormation/SAM
template (JSON or YAML; a DefinitionUri file is read next to it; --state-machine picks one of several).
--param NAME=VALUE gives a template parameter, a DefinitionSubstitutions entry, a placeholder or a
pseudo parameter (AWS::Region, AWS::AccountId, AWS::Partition, AWS::StackName) its value.";

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

/// How a DEFINITION argument is read: values for its placeholders, the state machine to pick
/// in a template, the account and region its ARNs are built for.
struct DefinitionArgs {
    params: Vec<(String, String)>,
    state_machine: Option<String>,
}

impl DefinitionArgs {
    fn new() -> DefinitionArgs {
        DefinitionArgs { params: Vec::new(), state_machine: None }
    }

    /// Takes `--param NAME=VALUE` and `--state-machine ID`; false for any other option.
    fn take(&mut self, arg: &str, value: &mut dyn FnMut(&str) -> Result<String, Usage>) -> Result<bool, Usage> {
        match arg {
            "--param" => {
                let pair = value("--param")?;
                let (name, v) = pair
                    .split_once('=')
                    .filter(|(n, _)| !n.is_empty())
                    .ok_or_else(|| Usage(format!("--param takes NAME=VALUE, not {pair}")))?;
                self.params.push((name.to_string(), v.to_string()));
            }
            "--state-machine" => self.state_machine = Some(value("--state-machine")?),
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// A definition read for running or validating.
struct Loaded {
    /// The definition as JSON text.
    text: String,
    /// The template's state machine it came from, with the text it was read from (to place
    /// diagnostics); `None` for ASL given as JSON.
    machine: Option<(FoundDefinition, String)>,
}

/// Reads a DEFINITION: ASL JSON as given (so diagnostics keep their lines), or ASL YAML, a
/// definition with `${name}` placeholders, or a CloudFormation/SAM template, read with the
/// library's importer (a DefinitionUri file next to the template); placeholders take the
/// `--param` values. What could not be resolved, and the values used, go to stderr. Text that
/// is neither JSON nor YAML holding a state machine or a template is given as it is, for the
/// validator to answer as AWS does (`INVALID_JSON_DESCRIPTION`, with the line and column);
/// broken YAML is an input error.
fn read_definition(path: &str, args: &DefinitionArgs, deployment: &Deployment) -> Result<Loaded, Usage> {
    let text = read(path)?;
    let looks_json = text.trim_start().starts_with('{');
    let plain_json = match json::parse(&text) {
        Ok(v) => v.get("Resources").is_none(),
        Err(_) => looks_json, // the validator reports the JSON error, with its place
    };
    if plain_json && !text.contains("${") {
        return Ok(Loaded { text, machine: None });
    }
    let folder = std::path::Path::new(path).parent().map(|p| p.to_path_buf()).unwrap_or_default();
    let files = |relative: &str| match std::fs::read_to_string(folder.join(relative)) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.to_string()),
    };
    let mut found = match aslplay::import::read_project(&text, deployment, &files) {
        Ok(found) => found,
        Err(e) if e.pointer.is_empty() && (e.line.is_none() || !aslplay::import::looks_like_yaml(&text)) => {
            return Ok(Loaded { text, machine: None })
        }
        Err(e) => return Err(Usage(format!("{path}: {e}"))),
    };
    let machine = match (&args.state_machine, found.len()) {
        (Some(id), _) => match found.iter().position(|f| &f.logical_id == id) {
            Some(i) => found.swap_remove(i),
            None if found.len() == 1 && found[0].logical_id.is_empty() => found.remove(0),
            None => return Err(Usage(format!("{path} has no state machine {id}: {}", list_machines(&found)))),
        },
        (None, 1) => found.remove(0),
        (None, n) => {
            return Err(Usage(format!(
                "{path} defines {n} state machines: pick one with --state-machine ({})",
                list_machines(&found)
            )))
        }
    };
    let label = if machine.logical_id.is_empty() { String::new() } else { format!("{}: ", machine.logical_id) };
    if machine.definition.is_null() {
        if let Some(file) = &machine.missing_file {
            let at = folder.join(file);
            return Err(Usage(format!(
                "{path}: {label}the definition is in {file} (DefinitionUri), but {} does not exist",
                at.display()
            )));
        }
        return Err(Usage(format!("{path}: {label}{}", machine.notes.join("; "))));
    }
    for s in &machine.substitutions {
        let from = if s.given { "given" } else { &s.source };
        match &s.value {
            Some(value) => eprintln!("aslplay: note: {label}{} = {value} ({from})", s.name),
            None => eprintln!("aslplay: note: {label}{} has no value", s.name),
        }
    }
    for u in &machine.unresolved {
        let file = match &u.file {
            Some(f) => folder.join(f.trim_start_matches("./")).display().to_string(),
            None => path.to_string(),
        };
        let at = match (u.line, u.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            _ => file,
        };
        let give = u.name.as_deref().map(|n| format!(" (--param {n}=VALUE gives it one)")).unwrap_or_default();
        eprintln!(
            "aslplay: warning: {at}: {} is not resolved: {}; a marker stands in for it{give}",
            u.placeholder, u.reason
        );
    }
    Ok(Loaded { text: json::to_string_pretty(&machine.definition), machine: Some((machine, text)) })
}

/// The state machines of a template, for a message: logical id and where the definition is.
fn list_machines(found: &[FoundDefinition]) -> String {
    let items: Vec<String> = found
        .iter()
        .map(|f| match (&f.file, &f.s3_location) {
            (Some(file), _) => format!("{} (file {file})", f.logical_id),
            (_, Some(s3)) => format!("{} (in S3: {s3})", f.logical_id),
            _ => format!("{} (inline)", f.logical_id),
        })
        .collect();
    items.join(", ")
}

/// A validation of a definition read from a template or file, its diagnostics placed in that
/// text (and naming the file when the definition came from one).
fn placed(validation: &Validation, loaded: &Loaded) -> Value {
    let Some((machine, text)) = &loaded.machine else { return validation.to_value() };
    let mut v = validation.clone();
    let pointers: Vec<&str> = validation.diagnostics.iter().map(|d| d.location.as_str()).collect();
    for (d, place) in v.diagnostics.iter_mut().zip(machine.locate(text, &pointers)) {
        (d.line, d.column) = place.map_or((None, None), |(l, c)| (Some(l), Some(c)));
    }
    let mut out = v.to_value();
    if let (Some(file), Value::Object(m)) = (&machine.file, &mut out) {
        let diagnostics: Vec<Value> = v
            .diagnostics
            .iter()
            .map(|d| {
                let mut d = d.to_value();
                if let Value::Object(m) = &mut d {
                    Rc::make_mut(m).insert("file", Value::from(file.as_str()));
                }
                d
            })
            .collect();
        Rc::make_mut(m).insert("diagnostics", Value::from(diagnostics));
    }
    out
}

/// The execution ids a `--context` file gives (and its `startTime`); answers whether it names
/// the state machine (`stateMachineName`).
fn read_context(path: &str, options: &mut Options) -> Result<bool, Usage> {
    let c = read_json(path, "context")?;
    let obj = c.as_object().ok_or_else(|| Usage(format!("context {path} must be a JSON object")))?;
    let mut ids = ExecutionIds::default();
    for (k, v) in obj.iter() {
        let s = v.as_str().ok_or_else(|| Usage(format!("context field {k} must be a string")))?.to_string();
        match &**k {
            "accountId" => ids.account_id = s,
            "region" => ids.region = s,
            "partition" => ids.partition = s,
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
    let names_machine = obj.get("stateMachineName").is_some();
    options.ids = ids;
    Ok(names_machine)
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
        "validate" => run_validate(rest),
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

fn run_validate(args: &[String]) -> Result<u8, Usage> {
    let (mut definition, mut context) = (None, None);
    let mut source = DefinitionArgs::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| Usage(format!("{name} needs a value")));
        if source.take(arg, &mut value)? {
            continue;
        }
        match arg.as_str() {
            "--context" => context = Some(value("--context")?),
            s if s.starts_with("--") => return Err(Usage(format!("unknown option {s}\n{USAGE}"))),
            s if definition.is_none() => definition = Some(s.to_string()),
            s => return Err(Usage(format!("unexpected argument {s}"))),
        }
    }
    let path = definition.ok_or_else(|| Usage(format!("validate takes one DEFINITION\n{USAGE}")))?;
    let mut options = Options::default();
    if let Some(c) = &context {
        read_context(c, &mut options)?;
    }
    let deployment = Deployment { params: source.params.clone(), ..Deployment::from_ids(&options.ids) };
    let loaded = read_definition(&path, &source, &deployment)?;
    let v = aslplay::validate(&loaded.text);
    print(&placed(&v, &loaded));
    Ok(if v.is_ok() { 0 } else { 1 })
}

fn run_execution(args: &[String]) -> Result<u8, Usage> {
    let mut definition = None;
    let (mut input, mut context, mut mock_config, mut test_case) = (None, None, None, None);
    let (mut seed, mut start_time, mut max_events, mut max_payload, mut history) = (None, None, None, None, false);
    let mut source = DefinitionArgs::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| Usage(format!("{name} needs a value")));
        if source.take(arg, &mut value)? {
            continue;
        }
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
    let mut options = Options::default();
    let named_in_context = match &context {
        Some(path) => read_context(path, &mut options)?,
        None => false,
    };
    let deployment = Deployment { params: source.params.clone(), ..Deployment::from_ids(&options.ids) };
    let loaded = read_definition(&definition, &source, &deployment)?;
    // The execution runs where the template's ARNs point, under the state machine's deployed
    // name (what a MockConfigFile written for it names), unless the context says otherwise.
    options.ids = deployment.execution_ids(std::mem::take(&mut options.ids));
    if let Some((machine, _)) = loaded.machine.as_ref().filter(|(m, _)| !m.name.is_empty() && !named_in_context) {
        options.ids.state_machine_name = machine.name.clone();
    }
    let def = match Definition::from_text(&loaded.text) {
        Ok(d) => d,
        Err(validation) => {
            print(&placed(&validation, &loaded));
            return Ok(1);
        }
    };
    let input = match &input {
        Some(path) => read_json(path, "input")?,
        None => Value::object(),
    };
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
            let sm = if context.is_some() || loaded.machine.is_some() || cfg.state_machine_names().len() != 1 {
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
    let (mut history, mut definition_path) = (None, None);
    let (mut state_machine, mut test_case) = ("StateMachine".to_string(), "Recorded".to_string());
    let mut source = DefinitionArgs::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| Usage(format!("{name} needs a value")));
        match arg.as_str() {
            "--definition" => definition_path = Some(value("--definition")?),
            "--param" => {
                source.take(arg, &mut value)?;
            }
            // Names the state machine in the mock configuration, and picks it in a template.
            "--state-machine" => state_machine = value("--state-machine")?,
            "--test-case" => test_case = value("--test-case")?,
            s if s.starts_with("--") => return Err(Usage(format!("unknown option {s}\n{USAGE}"))),
            s if history.is_none() => history = Some(s.to_string()),
            s => return Err(Usage(format!("unexpected argument {s}"))),
        }
    }
    let history = history.ok_or_else(|| Usage(format!("import-history needs a HISTORY file\n{USAGE}")))?;
    let definition = match &definition_path {
        Some(path) => {
            source.state_machine = Some(state_machine.clone());
            let deployment = Deployment { params: source.params.clone(), ..Deployment::default() };
            let loaded = read_definition(path, &source, &deployment)?;
            Some(json::parse(&loaded.text).map_err(|e| Usage(format!("{path}: {e}")))?)
        }
        None => None,
    };
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
