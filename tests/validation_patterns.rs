//! Definitions AWS accepts that the validator once refused (issue 16): each is validated
//! (no error; the warning it deserves) and run to the end with the default responses, so
//! that a false rejection, or a construct that validates but cannot run, fails here.

use aslplay::definition::validate::validate_text;
use aslplay::{json, Definition, Execution, Options, Status, Value};
use std::rc::Rc;

/// The definition's diagnostics as (severity, code) pairs; panics on an error.
fn warnings_of(text: &str) -> Vec<String> {
    let validation = validate_text(text);
    assert!(validation.is_ok(), "refused: {}", validation.to_value());
    validation.diagnostics.iter().map(|d| d.code.to_string()).collect()
}

fn run(text: &str, input: &str) -> Execution {
    let def = Definition::from_text(text).unwrap_or_else(|v| panic!("{}", v.to_value()));
    let mut e = Execution::start(Rc::new(def), json::parse(input).unwrap(), Options::default());
    e.run();
    e
}

/// The member at `keys` (object keys, one per level).
fn at<'v>(v: &'v Value, keys: &[&str]) -> Option<&'v Value> {
    keys.iter().try_fold(v, |v, k| v.get(k))
}

fn event_detail(e: &Execution, event: &str, keys: &[&str]) -> Vec<Value> {
    e.history()
        .iter()
        .filter(|ev| ev.event_type.name() == event)
        .filter_map(|ev| at(&ev.to_value(), keys).cloned())
        .collect()
}

#[test]
fn a_custom_states_error_raised_by_a_fail_state_is_caught_by_name() {
    // The quorum pattern of AWS's samples: a branch ends in a Fail state raising
    // States.QuorumMet, and the Parallel state's Catch matches it.
    let text = r#"{"StartAt": "Quorum", "States": {
        "Quorum": {"Type": "Parallel", "Next": "Met",
            "Branches": [
                {"StartAt": "Check", "States": {"Check": {"Type": "Choice",
                    "Choices": [{"Variable": "$.done", "BooleanEquals": true, "Next": "QuorumMet"}],
                    "Default": "Waiting"},
                    "Waiting": {"Type": "Pass", "End": true},
                    "QuorumMet": {"Type": "Fail", "Error": "States.QuorumMet", "Cause": "enough votes"}}},
                {"StartAt": "Slow", "States": {"Slow": {"Type": "Wait", "Seconds": 60, "Next": "TooLate"},
                    "TooLate": {"Type": "Fail", "Error": "States.RanOutOfTime"}}}],
            "Catch": [{"ErrorEquals": ["States.QuorumMet"], "ResultPath": "$.why", "Next": "Met"},
                      {"ErrorEquals": ["States.RanOutOfTime"], "Next": "Late"}]},
        "Met": {"Type": "Succeed"},
        "Late": {"Type": "Fail", "Error": "Late"}}}"#;
    let codes = warnings_of(text);
    assert!(codes.iter().all(|c| c == "RESERVED_ERROR_NAME") && codes.len() == 4, "{codes:?}");
    let e = run(text, r#"{"done": true}"#);
    assert_eq!(e.status(), Status::Succeeded);
    assert_eq!(
        at(e.output().unwrap(), &["why"]).unwrap().to_string(),
        r#"{"Error":"States.QuorumMet","Cause":"enough votes"}"#
    );
    let e = run(text, r#"{"done": false}"#);
    assert_eq!((e.status(), e.error()), (Status::Failed, Some("Late")));
}

#[test]
fn a_filter_comparing_with_an_unquoted_word_compares_with_that_string() {
    let text = r#"{"StartAt": "Pick", "States": {"Pick": {"Type": "Pass",
        "Parameters": {"receipt.$": "$.Labels[?(@.Name==Receipt)].Confidence", "count.$": "States.ArrayLength($.Labels)"},
        "End": true}}}"#;
    assert_eq!(warnings_of(text), vec!["UNQUOTED_FILTER_WORD"]);
    let e =
        run(text, r#"{"Labels": [{"Name": "Paper", "Confidence": 91.5}, {"Name": "Receipt", "Confidence": 97.25}]}"#);
    assert_eq!(e.output().unwrap().to_string(), r#"{"receipt":[97.25],"count":2}"#);
    // Quoted, the same filter draws no warning and selects the same.
    let quoted = text.replace("==Receipt", "=='Receipt'");
    assert!(warnings_of(&quoted).is_empty());
}

#[test]
fn integration_arns_with_a_region_and_account_run_as_their_regionless_form() {
    let regional = r#"{"StartAt": "Get", "States": {
        "Get": {"Type": "Task", "Resource": "arn:aws:states:eu-west-1:123456789012:aws-sdk:s3:getObject",
                "Parameters": {"Bucket": "docs", "Key": "a.txt"}, "ResultSelector": {"type.$": "$.ContentType"}, "ResultPath": "$.object", "Next": "Invoke"},
        "Invoke": {"Type": "Task", "Resource": "arn:aws:states:eu-west-1:123456789012:lambda:invoke",
                   "Parameters": {"FunctionName": "arn:aws:lambda:eu-west-1:123456789012:function:f", "Payload.$": "$"},
                   "ResultSelector": {"status.$": "$.StatusCode"}, "ResultPath": "$.lambda", "Next": "Notify"},
        "Notify": {"Type": "Task", "Resource": "arn:aws:states:eu-west-1:123456789012:sns:publish",
                   "Parameters": {"TopicArn": "arn:aws:sns:eu-west-1:123456789012:t", "Message": "done"}, "ResultPath": null, "End": true}}}"#;
    assert!(warnings_of(regional).is_empty());
    let regionless = regional.replace("arn:aws:states:eu-west-1:123456789012:", "arn:aws:states:::");
    let (a, b) = (run(regional, "{}"), run(&regionless, "{}"));
    assert_eq!(a.status(), Status::Succeeded, "{:?} {:?}", a.error(), a.cause());
    assert_eq!(a.output(), b.output());
    assert_eq!(
        event_detail(&a, "TaskScheduled", &["taskScheduledEventDetails", "resourceType"]),
        event_detail(&b, "TaskScheduled", &["taskScheduledEventDetails", "resourceType"])
    );
    assert_eq!(
        event_detail(&a, "TaskScheduled", &["taskScheduledEventDetails", "region"]),
        vec![Value::from("eu-west-1"); 3],
        "the task runs in the ARN's region"
    );
}

#[test]
fn a_distributed_map_reads_and_writes_with_regional_s3_arns() {
    let text = r#"{"StartAt": "Each", "States": {"Each": {"Type": "Map", "End": true,
        "ItemReader": {"Resource": "arn:aws:states:us-east-1:123456789012:s3:getObject",
                       "ReaderConfig": {"InputType": "JSON"}, "Parameters": {"Bucket": "in", "Key": "items.json"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                          "StartAt": "Double", "States": {"Double": {"Type": "Pass", "End": true}}},
        "ResultWriter": {"Resource": "arn:aws:states:us-east-1:123456789012:s3:putObject",
                         "Parameters": {"Bucket": "out", "Prefix": "runs"}}}}}"#;
    assert!(warnings_of(text).is_empty());
    let mocks = r#"{"StateMachines": {"SM": {"TestCases": {"T": {}}}}, "MockedResponses": {},
        "S3Objects": [{"Bucket": "in", "Key": "items.json", "Content": "[1, 2, 3]"}]}"#;
    let def = Rc::new(Definition::from_text(text).unwrap());
    let config = aslplay::services::MockConfig::from_text(mocks).unwrap();
    let mut e = Execution::start_mocked(def, json::parse("{}").unwrap(), Options::default(), &config, None, "T")
        .unwrap_or_else(|err| panic!("{err:?}"));
    e.run();
    assert_eq!(e.status(), Status::Succeeded, "{:?} {:?}", e.error(), e.cause());
    let written = at(e.output().unwrap(), &["ResultWriterDetails", "Bucket"]).cloned();
    assert_eq!(written, Some(Value::from("out")));
}

#[test]
fn warned_constructs_run() {
    // A field given with and without `.$` (the later one is used), a Task timeout above the
    // language service's maximum, an odd Lambda ARN: each warns, and the machine runs.
    let text = r#"{"StartAt": "P", "States": {
        "P": {"Type": "Pass", "Parameters": {"a": "literal", "a.$": "$.x"}, "Next": "T"},
        "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:${Fn}",
              "TimeoutSeconds": 100000000, "ResultPath": null, "End": true}}}"#;
    let mut codes = warnings_of(text);
    codes.sort();
    assert_eq!(codes, vec!["DUPLICATE_FIELD", "UNCONFIRMED_MAXIMUM", "UNUSUAL_RESOURCE_ARN"]);
    let e = run(text, r#"{"x": 7}"#);
    assert_eq!(e.status(), Status::Succeeded, "{:?} {:?}", e.error(), e.cause());
    assert_eq!(e.output().unwrap().to_string(), r#"{"a":7}"#);
}
