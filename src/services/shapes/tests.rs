use super::*;
use crate::json;

const S: FieldValidationMode = FieldValidationMode::Strict;
const P: FieldValidationMode = FieldValidationMode::Present;
const N: FieldValidationMode = FieldValidationMode::None;

/// (resource, mocked result, mode, expected): `""` when it passes, else `path|message` with
/// the message after AWS's "Mock result schema validation error: " prefix.
const RULES: &[(&str, &str, FieldValidationMode, &str)] = &[
    // Types.
    ("arn:aws:states:::lambda:invoke", r#"{"StatusCode": "200"}"#, S, "StatusCode|Field 'StatusCode' must be a number"),
    (
        "arn:aws:states:::lambda:invoke",
        r#"{"StatusCode": 200.5}"#,
        P,
        "StatusCode|Field 'StatusCode' must be an integer",
    ),
    ("arn:aws:states:::lambda:invoke", r#"{"StatusCode": 200, "Payload": [1, {"any": "thing"}]}"#, S, ""),
    (
        "arn:aws:states:::lambda:invoke",
        r#"{"ExecutedVersion": ""}"#,
        P,
        "ExecutedVersion|Field 'ExecutedVersion' is smaller than the minimum length",
    ),
    ("arn:aws:states:::sns:publish", r#"{"MessageId": 7}"#, P, "MessageId|Field 'MessageId' must be a string"),
    ("arn:aws:states:::events:putEvents", r#"{"Entries": "x"}"#, S, "Entries|Field 'Entries' must be an array"),
    (
        "arn:aws:states:::events:putEvents",
        r#"{"Entries": [{"EventId": "a"}, {"EventId": ["b"]}]}"#,
        S,
        "Entries[1].EventId|Field 'EventId' must be a string",
    ),
    ("arn:aws:states:::events:putEvents", r#"{"Entries": [5]}"#, S, "Entries[0]|Field 'Entries' must be an object"),
    ("arn:aws:states:::events:putEvents", r#"{"random": "json"}"#, S, ""),
    (
        "arn:aws:states:::s3:listObjectsV2",
        r#"{"IsTruncated": "no"}"#,
        P,
        "IsTruncated|Field 'IsTruncated' must be a boolean",
    ),
    // Required fields: STRICT only; null counts as missing.
    ("arn:aws:states:::states:startExecution", "{}", S, "ExecutionArn|Required field 'ExecutionArn' is missing"),
    (
        "arn:aws:states:::states:startExecution",
        r#"{"ExecutionArn": "a"}"#,
        S,
        "StartDate|Required field 'StartDate' is missing",
    ),
    (
        "arn:aws:states:::states:startExecution",
        r#"{"ExecutionArn": null, "StartDate": "d"}"#,
        S,
        "ExecutionArn|Required field 'ExecutionArn' is missing",
    ),
    ("arn:aws:states:::states:startExecution", "{}", P, ""),
    (
        "arn:aws:states:::states:startExecution",
        r#"{"ExecutionArn": "a", "StartDate": true}"#,
        S,
        "StartDate|Field 'StartDate' must be a string",
    ),
    ("arn:aws:states:::states:startExecution", r#"{"ExecutionArn": "a", "StartDate": 1735689600000}"#, S, ""),
    ("arn:aws:states:::states:startExecution", r#"{"ExecutionArn": 1}"#, N, ""),
    // Required fields inside a present structure.
    (
        "arn:aws:states:::aws-sdk:lambda:getFunction",
        r#"{"Configuration": {"EphemeralStorage": {}}}"#,
        S,
        "Configuration.EphemeralStorage.Size|Required field 'Size' is missing",
    ),
    ("arn:aws:states:::aws-sdk:lambda:getFunction", r#"{"Configuration": {"EphemeralStorage": {}}}"#, P, ""),
    // Ranges, lengths and enums.
    (
        "arn:aws:states:::aws-sdk:lambda:getFunction",
        r#"{"Configuration": {"MemorySize": 127}}"#,
        P,
        "Configuration.MemorySize|Field 'MemorySize' is less than the minimum value",
    ),
    ("arn:aws:states:::aws-sdk:lambda:getFunction", r#"{"Configuration": {"MemorySize": 10240}}"#, S, ""),
    (
        "arn:aws:states:::aws-sdk:lambda:getFunction",
        r#"{"Configuration": {"MemorySize": 10241}}"#,
        S,
        "Configuration.MemorySize|Field 'MemorySize' exceeds the maximum value",
    ),
    (
        "arn:aws:states:::aws-sdk:kms:encrypt",
        r#"{"CiphertextBlob": ""}"#,
        P,
        "CiphertextBlob|Field 'CiphertextBlob' is smaller than the minimum length",
    ),
    (
        "arn:aws:states:::aws-sdk:s3:getObject",
        r#"{"StorageClass": "Papyrus"}"#,
        P,
        "StorageClass|Field 'StorageClass' is not an expected value",
    ),
    (
        "arn:aws:states:::aws-sdk:s3:getObject",
        r#"{"StorageClass": "GLACIER", "ServerSideEncryption": "aws:kms:dsse"}"#,
        S,
        "",
    ),
    (
        "arn:aws:states:::aws-sdk:s3:getObject",
        r#"{"ContentLength": "9000"}"#,
        S,
        "ContentLength|Field 'ContentLength' must be a number",
    ),
    // Maps and recursive shapes.
    (
        "arn:aws:states:::dynamodb:getItem",
        r#"{"Item": {"id": {"S": "1"}, "tags": {"L": [{"M": {"n": {"N": 5}}}]}}}"#,
        S,
        "Item.tags.L[0].M.n.N|Field 'N' must be a string",
    ),
    ("arn:aws:states:::aws-sdk:dynamodb:query", r#"{"Items": [{"id": {"S": "1"}}], "Count": 1}"#, S, ""),
    ("arn:aws:states:::apigateway:invoke", r#"{"Headers": []}"#, P, "Headers|Field 'Headers' must be an object"),
    // .sync results, and the aws-sdk names of services.
    (
        "arn:aws:states:::states:startExecution.sync",
        r#"{"ExecutionArn": "a", "StateMachineArn": "m", "Status": "DONE", "StartDate": "d"}"#,
        S,
        "Status|Field 'Status' is not an expected value",
    ),
    (
        "arn:aws:states:::states:startExecution.sync",
        r#"{"ExecutionArn": "a", "StateMachineArn": "m", "Status": "SUCCEEDED", "StartDate": "d", "Output": {}}"#,
        S,
        "Output|Field 'Output' must be a string",
    ),
    (
        "arn:aws:states:::states:startExecution.sync:2",
        r#"{"ExecutionArn": "a", "StateMachineArn": "m", "Status": "SUCCEEDED", "StartDate": "d", "Output": {}}"#,
        S,
        "",
    ),
    ("arn:aws:states:::aws-sdk:sfn:startExecution", "{}", S, "ExecutionArn|Required field 'ExecutionArn' is missing"),
    (
        "arn:aws:states:::aws-sdk:eventbridge:putEvents",
        r#"{"FailedEntryCount": "0"}"#,
        S,
        "FailedEntryCount|Field 'FailedEntryCount' must be a number",
    ),
    ("arn:aws:states:::batch:submitJob.sync", r#"{"JobName": "j"}"#, S, "JobId|Required field 'JobId' is missing"),
    (
        "arn:aws:states:::ecs:runTask.sync",
        r#"{"StopCode": "Tired"}"#,
        P,
        "StopCode|Field 'StopCode' is not an expected value",
    ),
    (
        "arn:aws:states:::glue:startJobRun.sync",
        r#"{"JobRunState": "SUCCEEDED", "Timeout": 0}"#,
        P,
        "Timeout|Field 'Timeout' is less than the minimum value",
    ),
    // The result itself must be an object when the model is a structure.
    ("arn:aws:states:::sqs:sendMessage", "[1]", S, "|Mocked result must be a JSON object"),
    // No shape: callbacks, Lambda functions, activities, unlisted integrations.
    ("arn:aws:states:::sqs:sendMessage.waitForTaskToken", r#"{"MessageId": 1}"#, S, ""),
    ("arn:aws:lambda:us-east-1:1:function:f", "[1, 2]", S, ""),
    ("arn:aws:states:us-east-1:1:activity:a", "\"x\"", S, ""),
    ("arn:aws:states:::aws-sdk:foo:bar", r#"{"x": 1}"#, S, ""),
];

#[test]
fn shape_rules() {
    for (arn, result, mode, want) in RULES {
        let resource = Resource::parse(arn).unwrap_or_else(|| panic!("resource {arn}"));
        let result = json::parse(result).expect("result");
        let got = check_mock_result(&resource, &result, *mode);
        let want = match want.split_once('|') {
            None => Ok(()),
            Some((path, message)) => Err(ShapeError { path: path.to_string(), message: format!("{PREFIX}{message}") }),
        };
        assert_eq!(got, want, "{arn} {result:?} {mode:?}");
    }
}

/// Every named shape used anywhere.
fn references(shape: &Shape, out: &mut Vec<&'static str>) {
    match shape {
        Shape::Named(n) => out.push(n),
        Shape::Struct(fields) => fields.iter().for_each(|f| references(&f.shape, out)),
        Shape::List(s) | Shape::MapOf(s) => references(s, out),
        _ => {}
    }
}

#[test]
fn every_shape_parses_and_its_names_resolve() {
    for (key, text) in SHAPES.iter().chain(NAMED) {
        let shape = parse(text).unwrap_or_else(|| panic!("{key} does not parse"));
        let mut names = Vec::new();
        references(&shape, &mut names);
        for name in names {
            assert!(NAMED.iter().any(|(n, _)| *n == name), "{key} refers to unknown @{name}");
        }
    }
    let keys: Vec<&str> = SHAPES.iter().map(|(k, _)| *k).collect();
    for (i, k) in keys.iter().enumerate() {
        assert!(!keys[i + 1..].contains(k), "{k} twice");
    }
}

#[test]
fn the_notation() {
    assert_eq!(
        parse("{A!:string(1..),B:[integer(..5)],C:map<@X>,D:enum(a:b|c)}"),
        Some(Shape::Struct(vec![
            Field { name: "A", required: true, shape: Shape::Scalar { kind: Scalar::String, min: Some(1), max: None } },
            Field {
                name: "B",
                required: false,
                shape: Shape::List(Box::new(Shape::Scalar { kind: Scalar::Integer, min: None, max: Some(5) }))
            },
            Field { name: "C", required: false, shape: Shape::MapOf(Box::new(Shape::Named("X"))) },
            Field { name: "D", required: false, shape: Shape::Enum(vec!["a:b", "c"]) },
        ]))
    );
    for bad in ["{A:string", "{A string}", "[string", "map<string", "number", "string(1)", "{A:string}x", "{:string}"] {
        assert_eq!(parse(bad), None, "{bad}");
    }
}

#[test]
fn deep_values_stop_being_checked_without_overflow() {
    let mut text = String::from(r#"{"S": 1}"#);
    for _ in 0..200 {
        text = format!(r#"{{"M": {{"a": {text}}}}}"#);
    }
    let result = json::parse(&format!(r#"{{"Item": {{"a": {text}}}}}"#)).expect("deep JSON");
    let resource = Resource::parse("arn:aws:states:::dynamodb:getItem").unwrap();
    assert_eq!(check_mock_result(&resource, &result, S), Ok(()), "beyond the depth limit nothing is checked");
}

#[test]
fn modes_parse_as_aws_spells_them() {
    assert_eq!(FieldValidationMode::parse("STRICT"), Some(S));
    assert_eq!(FieldValidationMode::parse("PRESENT"), Some(P));
    assert_eq!(FieldValidationMode::parse("NONE"), Some(N));
    assert_eq!(FieldValidationMode::parse("strict"), None);
    assert_eq!(FieldValidationMode::default(), S);
    let e = ShapeError { path: "a".into(), message: "m".into() };
    assert_eq!(e.to_string(), "m");
}
