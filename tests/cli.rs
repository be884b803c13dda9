//! The command line's contract: what it prints and its exit codes (0 ran, 1 invalid
//! definition, 2 usage or unreadable input).
#![cfg(feature = "cli")]

use aslplay::{json, Value};
use std::io::Write;
use std::process::{Command, Stdio};

fn aslplay(args: &[&str], stdin: Option<&str>) -> (i32, Value, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aslplay"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let value = json::parse(&stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), value, String::from_utf8(out.stderr).unwrap())
}

fn temp(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("aslplay-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn run_prints_the_result_and_history() {
    let (code, out, _) =
        aslplay(&["run", "examples/hello.asl.json", "--input", "-", "--history"], Some(r#"{"who": "world"}"#));
    assert_eq!(code, 0);
    assert_eq!(out.get("status").unwrap().as_str(), Some("SUCCEEDED"));
    assert_eq!(out.get("output").unwrap().get("result").unwrap().to_string(), r#"{"greeting":"Hello, world!"}"#);
    let events = out.get("events").unwrap().as_array().unwrap();
    assert_eq!(events[0].get("type").unwrap().as_str(), Some("ExecutionStarted"));
    // The year-long Wait happened on the virtual clock.
    assert_eq!(events.last().unwrap().get("timestamp").unwrap().as_str(), Some("2026-01-01T00:00:00.000000+00:00"));
}

#[test]
fn a_failed_execution_still_exits_0() {
    let (code, out, _) = aslplay(&["run", "examples/hello.asl.json", "--input", "-"], Some(r#"{"who": "moon"}"#));
    assert_eq!(code, 0);
    assert_eq!(out.get("status").unwrap().as_str(), Some("FAILED"));
    assert_eq!(out.get("error").unwrap().as_str(), Some("NotWorld"));
    assert!(out.get("events").is_none());
}

#[test]
fn mock_config_test_cases_and_context() {
    let context = temp(
        "ctx.json",
        r#"{"stateMachineName": "LambdaSQSIntegration", "accountId": "210987654321", "startTime": "2024-06-01T12:00:00Z"}"#,
    );
    let (code, out, _) = aslplay(
        &[
            "run",
            "examples/lambda-sqs.asl.json",
            "--mock-config",
            "examples/lambda-sqs.mocks.json",
            "--test-case",
            "RetryPath",
            "--context",
            &context,
            "--history",
        ],
        None,
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.get("status").unwrap().as_str(), Some("SUCCEEDED"));
    let events = out.get("events").unwrap().as_array().unwrap();
    let failed = events.iter().filter(|e| e.get("type").unwrap().as_str() == Some("TaskFailed")).count();
    assert_eq!(failed, 3);
    assert_eq!(events[0].get("timestamp").unwrap().as_str(), Some("2024-06-01T12:00:00.000000+00:00"));
    let role = events[0].get("executionStartedEventDetails").unwrap().get("roleArn").unwrap().as_str().unwrap();
    assert!(role.contains("210987654321"), "{role}");
}

#[test]
fn invalid_definitions_exit_1_with_the_validation() {
    let bad = temp("bad.json", r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}"#);
    for command in ["run", "validate"] {
        let (code, out, _) = aslplay(&[command, &bad], None);
        assert_eq!(code, 1, "{command}");
        assert_eq!(out.get("result").unwrap().as_str(), Some("FAIL"));
        let d = &out.get("diagnostics").unwrap().as_array().unwrap()[0];
        assert_eq!(d.get("code").unwrap().as_str(), Some("MISSING_TRANSITION_TARGET"));
        assert_eq!(d.get("location").unwrap().as_str(), Some("/States/A/Next"));
        assert_eq!(d.get("line").unwrap().as_i64(), Some(1));
    }
    let (code, out, _) = aslplay(&["validate", "examples/hello.asl.json"], None);
    assert_eq!((code, out.get("result").unwrap().as_str()), (0, Some("OK")));
}

#[test]
fn text_that_is_neither_json_nor_a_yaml_machine_is_an_invalid_json_description() {
    for (name, text, at) in [
        ("words.txt", "hello world", (1, 1)),
        ("mapping.yaml", "# not a machine\nfoo: bar\n", (1, 1)),
        ("later.txt", "\n\n  @ nothing", (3, 3)),
    ] {
        let path = temp(name, text);
        for command in ["validate", "run"] {
            let (code, out, stderr) = aslplay(&[command, &path], None);
            assert_eq!(code, 1, "{command} {name}: {stderr}");
            assert_eq!(out.get("result").unwrap().as_str(), Some("FAIL"));
            let d = &out.get("diagnostics").unwrap().as_array().unwrap()[0];
            assert_eq!(d.get("code").unwrap().as_str(), Some("INVALID_JSON_DESCRIPTION"), "{name}");
            assert_eq!((d.get("line").unwrap().as_i64(), d.get("column").unwrap().as_i64()), (Some(at.0), Some(at.1)));
        }
    }
    // YAML with a syntax error stays YAML's error (exit 2), with its place.
    let broken = temp("broken.yaml", "StartAt: A\nStates:\n  A: {Type: [Succeed\n");
    let (code, _, stderr) = aslplay(&["validate", &broken], None);
    assert_eq!(code, 2);
    assert!(stderr.contains("line 3"), "{stderr}");
}

#[test]
fn payload_and_event_limits_are_aws_by_default_and_options_change_them() {
    let def = temp("limits.asl.json", r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#);
    let input = temp("limits.input.json", &format!(r#"{{"data": "{}"}}"#, "x".repeat(300 * 1024)));
    let (code, out, _) = aslplay(&["run", &def, "--input", &input], None);
    assert_eq!((code, out.get("error").and_then(Value::as_str)), (0, Some("States.DataLimitExceeded")));
    let (_, out, _) = aslplay(&["run", &def, "--input", &input, "--max-payload", "1048576"], None);
    assert_eq!(out.get("status").and_then(Value::as_str), Some("SUCCEEDED"));
    let (_, out, _) = aslplay(&["run", &def, "--input", "-", "--max-payload", "10"], Some(r#"{"a": "0123456789"}"#));
    assert_eq!(out.get("error").and_then(Value::as_str), Some("States.DataLimitExceeded"));
    let (code, _, stderr) = aslplay(&["run", &def, "--max-payload", "0"], None);
    assert_eq!(code, 2);
    assert!(stderr.contains("--max-payload must be a positive integer"), "{stderr}");
}

#[test]
fn usage_and_unreadable_input_exit_2_with_one_line() {
    for args in [
        vec![],
        vec!["frobnicate"],
        vec!["run"],
        vec!["run", "/no/such/file.json"],
        vec!["run", "examples/hello.asl.json", "--seed", "x"],
    ] {
        let (code, _, stderr) = aslplay(&args, None);
        assert_eq!(code, 2, "{args:?}");
        assert!(stderr.starts_with("aslplay: "), "{stderr}");
    }
    let (code, _, stderr) = aslplay(&["run", "examples/hello.asl.json", "--input", "-"], Some("{not json"));
    assert_eq!(code, 2);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn test_state_answers_like_the_api() {
    let state = temp(
        "state.json",
        r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"Payload.$": "$"}, "Retry": [{"ErrorEquals": ["Boom"]}], "Next": "After"}"#,
    );
    let mock = temp("mock.json", r#"{"errorOutput": {"error": "Boom", "cause": "bang"}}"#);
    let (code, out, _) = aslplay(&["test-state", &state, "--mock", &mock, "--inspection-level", "DEBUG"], None);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.get("status").unwrap().as_str(), Some("RETRIABLE"));
    assert_eq!(
        out.get("inspectionData").unwrap().get("errorDetails").unwrap().to_string(),
        r#"{"retryIndex":0,"retryBackoffIntervalSeconds":1}"#
    );
    let pass = temp("pass.json", r#"{"Type": "Pass", "Result": 1, "End": true}"#);
    let (code, out, _) = aslplay(&["test-state", &pass, "--mock", &mock], None);
    assert_eq!(code, 1);
    assert_eq!(
        out.get("message").unwrap().as_str(),
        Some("State type 'Pass' is not supported when a mock is specified")
    );
}

#[test]
fn yaml_templates_and_history_import() {
    let template = temp(
        "template.yaml",
        "Resources:\n  Flow:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition:\n        StartAt: Hi\n        States:\n          Hi:\n            Type: Pass\n            Result: hello\n            End: true\n",
    );
    let (code, out, _) = aslplay(&["run", &template], None);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.get("output").unwrap().as_str(), Some("hello"));
    // A recorded history becomes a mock file that replays it.
    let (_, run, _) = aslplay(
        &[
            "run",
            "examples/lambda-sqs.asl.json",
            "--mock-config",
            "examples/lambda-sqs.mocks.json",
            "--test-case",
            "RetryPath",
            "--history",
        ],
        None,
    );
    let mut h = aslplay::Map::new();
    h.insert("events", run.get("events").unwrap().clone());
    let history = temp("history.json", &Value::from(h).to_string());
    let (code, mocks, _) =
        aslplay(&["import-history", &history, "--state-machine", "M", "--test-case", "Replay"], None);
    assert_eq!(code, 0);
    let mock_file = temp("replay.json", &mocks.to_string());
    let ctx = temp("m.json", r#"{"stateMachineName": "M"}"#);
    let (_, replay, _) = aslplay(
        &[
            "run",
            "examples/lambda-sqs.asl.json",
            "--mock-config",
            &mock_file,
            "--test-case",
            "Replay",
            "--context",
            &ctx,
            "--history",
        ],
        None,
    );
    let types = |v: &Value| -> Vec<String> {
        v.get("events")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.get("type").unwrap().as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(types(&replay), types(&run));
    assert_eq!(replay.get("output"), run.get("output"));
}

#[test]
fn distributed_map_reads_mocked_s3_objects() {
    let def = temp(
        "dm.json",
        r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}, "Parameters": {"Bucket": "data", "Key": "orders.csv"}},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
            "End": true}}}"#,
    );
    let mocks = temp(
        "dm.mocks.json",
        r#"{"StateMachines": {"SM": {"TestCases": {"T": {}}}}, "MockedResponses": {},
            "S3Objects": [{"Bucket": "data", "Key": "orders.csv", "Content": "id,total\n1,9.50\n2,3.20\n"}]}"#,
    );
    let (code, out, _) = aslplay(&["run", &def, "--mock-config", &mocks, "--test-case", "T", "--history"], None);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.get("output").unwrap().to_string(), r#"[{"id":"1","total":"9.50"},{"id":"2","total":"3.20"}]"#);
    let types: Vec<&str> = out
        .get("events")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.get("type").unwrap().as_str().unwrap())
        .collect();
    assert!(types.contains(&"MapRunStarted") && types.contains(&"MapRunSucceeded"), "{types:?}");
}

#[test]
fn mocks_that_the_service_could_not_return_are_warned_about() {
    let def = temp(
        "put.json",
        r#"{"StartAt": "Put", "States": {"Put": {"Type": "Task", "Resource": "arn:aws:states:::events:putEvents", "Parameters": {"Entries": []}, "End": true}}}"#,
    );
    let mocks = temp(
        "put.mocks.json",
        r#"{"StateMachines": {"M": {"TestCases": {"T": {"Put": "R"}}}}, "MockedResponses": {"R": {"0": {"Return": {"Entries": [{"EventId": 5}], "FailedEntryCount": 0}}}}}"#,
    );
    let (code, out, stderr) = aslplay(&["run", &def, "--mock-config", &mocks, "--test-case", "T"], None);
    assert_eq!(code, 0);
    assert_eq!(out.get("status").unwrap().as_str(), Some("SUCCEEDED"));
    assert!(
        stderr.contains("warning") && stderr.contains("/MockedResponses/R/0/Return") && stderr.contains("EventId"),
        "{stderr}"
    );
}

#[test]
fn help_prints_the_usage_and_exits_0_for_every_command() {
    for args in
        [vec!["--help"], vec!["-h"], vec!["run", "--help"], vec!["test-state", "-h"], vec!["validate", "--help"]]
    {
        let out = Command::new(env!("CARGO_BIN_EXE_aslplay")).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("usage:"), "{args:?}");
    }
}

const SAM_APP: &str = "tests/data/templates/sam-app/template.yaml";

#[test]
fn a_sam_project_runs_with_its_definition_file_and_mock_config_file() {
    let (code, out, stderr) = aslplay(
        &[
            "run",
            SAM_APP,
            "--state-machine",
            "OrderStateMachine",
            "--input",
            "tests/data/templates/sam-app/input.json",
            "--mock-config",
            "tests/data/templates/sam-app/MockConfigFile.json",
            "--test-case",
            "Invalid",
            "--history",
        ],
        None,
    );
    assert_eq!(code, 0, "{stderr}");
    // The MockConfigFile names the deployed machine (orders-dev) and its state: it applies as is.
    assert_eq!(out.get("status").unwrap().as_str(), Some("FAILED"), "{out}");
    assert_eq!(out.get("error").unwrap().as_str(), Some("InvalidOrder"));
    let events = out.get("events").unwrap().as_array().unwrap();
    let scheduled = events.iter().find_map(|e| e.get("lambdaFunctionScheduledEventDetails")).unwrap();
    assert_eq!(
        scheduled.get("resource").unwrap().as_str(),
        Some("arn:aws:lambda:us-east-1:123456789012:function:ValidateFunction")
    );
    assert!(
        stderr.contains(
            "aslplay: note: OrderStateMachine: ValidateFnArn = arn:aws:lambda:us-east-1:123456789012:function:ValidateFunction (!GetAtt ValidateFunction.Arn)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "aslplay: warning: tests/data/templates/sam-app/statemachine/order.asl.json:35:71: ${Email} is not resolved"
        ),
        "{stderr}"
    );
}

#[test]
fn params_override_parameters_substitutions_and_pseudo_parameters() {
    let (code, out, stderr) = aslplay(
        &[
            "run",
            SAM_APP,
            "--state-machine",
            "OrderStateMachine",
            "--param",
            "NotifyEmail=ops@example.com",
            "--param",
            "AWS::Region=eu-west-1",
            "--param",
            "QueueUrl=https://sqs.eu-west-1.amazonaws.com/123456789012/given",
            "--input",
            "tests/data/templates/sam-app/input.json",
            "--history",
        ],
        None,
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let events = out.get("events").unwrap().as_array().unwrap();
    let params: Vec<Value> = events
        .iter()
        .filter_map(|e| e.get("taskScheduledEventDetails"))
        .map(|d| json::parse(d.get("parameters").unwrap().as_str().unwrap()).unwrap())
        .collect();
    assert_eq!(
        params[0].get("QueueUrl").unwrap().as_str(),
        Some("https://sqs.eu-west-1.amazonaws.com/123456789012/given")
    );
    assert_eq!(params[2].get("Message").unwrap().as_str(), Some("order for ops@example.com"));
    // The execution runs in the region given, under the deployed name.
    let lambda = events.iter().find_map(|e| e.get("lambdaFunctionScheduledEventDetails")).unwrap();
    assert_eq!(
        lambda.get("resource").unwrap().as_str(),
        Some("arn:aws:lambda:eu-west-1:123456789012:function:ValidateFunction")
    );
    let (code, _, stderr) = aslplay(&["run", SAM_APP, "--param", "nope"], None);
    assert_eq!((code, stderr.trim()), (2, "aslplay: --param takes NAME=VALUE, not nope"));
}

#[test]
fn several_machines_are_listed_when_none_is_picked() {
    let (code, _, stderr) = aslplay(&["validate", SAM_APP], None);
    assert_eq!(code, 2);
    assert_eq!(
        stderr.trim(),
        "aslplay: tests/data/templates/sam-app/template.yaml defines 3 state machines: pick one with --state-machine (OrderStateMachine (file statemachine/order.asl.json), ShippingStateMachine (inline), ArchivedStateMachine (in S3: s3://my-artifacts/archived.asl.json))"
    );
    let (code, _, stderr) = aslplay(&["validate", SAM_APP, "--state-machine", "Nope"], None);
    assert_eq!(code, 2);
    assert!(stderr.contains("has no state machine Nope: OrderStateMachine (file"), "{stderr}");
    let (code, _, stderr) = aslplay(&["validate", SAM_APP, "--state-machine", "ArchivedStateMachine"], None);
    assert_eq!(code, 2);
    assert!(stderr.contains("ArchivedStateMachine: The definition is in S3 (DefinitionUri: s3://my-artifacts/archived.asl.json), which aslplay cannot read"), "{stderr}");
    let (code, out, _) = aslplay(&["validate", SAM_APP, "--state-machine", "ShippingStateMachine"], None);
    assert_eq!((code, out.get("result").unwrap().as_str()), (0, Some("OK")));
}

#[test]
fn a_missing_definition_file_is_named() {
    let (code, _, stderr) = aslplay(&["validate", "tests/data/templates/missing-file/template.yaml"], None);
    assert_eq!(code, 2);
    assert_eq!(
        stderr.trim(),
        "aslplay: tests/data/templates/missing-file/template.yaml: Flow: the definition is in statemachine/flow.asl.yaml (DefinitionUri), but tests/data/templates/missing-file/statemachine/flow.asl.yaml does not exist"
    );
}

#[test]
fn diagnostics_are_placed_in_the_definition_file() {
    let dir = std::env::temp_dir().join(format!("aslplay-cli-project-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("sfn")).unwrap();
    std::fs::write(
        dir.join("template.yaml"),
        "Resources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: sfn/flow.asl.json\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("sfn/flow.asl.json"),
        "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}\n  }\n}\n",
    )
    .unwrap();
    let template = dir.join("template.yaml");
    let (code, out, _) = aslplay(&["validate", template.to_str().unwrap()], None);
    assert_eq!(code, 1);
    let d = &out.get("diagnostics").unwrap().as_array().unwrap()[0];
    assert_eq!(d.get("location").unwrap().as_str(), Some("/States/A/Next"));
    assert_eq!(d.get("file").unwrap().as_str(), Some("sfn/flow.asl.json"));
    assert_eq!((d.get("line").unwrap().as_i64(), d.get("column").unwrap().as_i64()), (Some(4), Some(27)));
}

#[test]
fn plain_asl_placeholders_take_params() {
    let flow = "tests/data/templates/terraform/flow.asl.json";
    let (code, out, stderr) = aslplay(
        &[
            "run",
            flow,
            "--param",
            "process_fn_arn=arn:aws:lambda:us-east-1:123456789012:function:process",
            "--param",
            "timeout=20",
            "--param",
            "table_name=items",
            "--param",
            "env=test",
            "--input",
            "-",
            "--history",
        ],
        Some(r#"{"id": "7"}"#),
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let events = out.get("events").unwrap().as_array().unwrap();
    let lambda = events.iter().find_map(|e| e.get("lambdaFunctionScheduledEventDetails")).unwrap();
    assert_eq!(lambda.get("timeoutInSeconds").unwrap().as_i64(), Some(20));
    // Without values: warned about with their places, and it still validates.
    let (code, out, stderr) = aslplay(&["validate", flow], None);
    assert_eq!((code, out.get("result").unwrap().as_str()), (0, Some("OK")), "{stderr}");
    assert!(stderr.contains("flow.asl.json:8:25: ${timeout} is not resolved"), "{stderr}");
}
