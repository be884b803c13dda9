use super::*;
use crate::services::{check_mock_result, FieldValidationMode};

/// Calls `services` and returns (submitted output, final result) of the default answer.
fn call(services: &mut DefaultServices, arn: &str, params: &str) -> (Option<Value>, Value) {
    let resource = Resource::parse(arn).unwrap_or_else(|| panic!("resource {arn}"));
    let parameters = json::parse(params).expect("params");
    let request = TaskRequest {
        state_name: "S",
        resource: &resource,
        parameters: &parameters,
        task_token: Some("tok"),
        retry_count: 0,
    };
    let TaskResponse::Default(inner) = services.call(&request) else { panic!("{arn}: not marked as a default") };
    match *inner {
        TaskResponse::Succeeded { output, .. } => (None, output),
        TaskResponse::Submitted { output, then } => match *then {
            TaskResponse::Succeeded { output: result, .. } => (Some(output), result),
            other => panic!("{arn}: {other:?}"),
        },
        other => panic!("{arn}: {other:?}"),
    }
}

/// The value at a JSON pointer.
fn at<'a>(v: &'a Value, pointer: &str) -> Option<&'a Value> {
    pointer.split('/').skip(1).try_fold(v, |v, token| match v {
        Value::Array(items) => items.get(token.parse::<usize>().ok()?),
        _ => v.get(token),
    })
}

fn keys(v: &Value) -> String {
    v.as_object().map(|m| m.keys().map(|k| k.to_string()).collect::<Vec<_>>().join(",")).unwrap_or_default()
}

/// (resource, parameters, top-level keys of the result, [(pointer, expected JSON)]); a pointer
/// starting with `^` reads the submitted output instead of the result.
type Row = (&'static str, &'static str, &'static str, &'static [(&'static str, &'static str)]);

const ROWS: &[Row] = &[
    (
        "arn:aws:states:::lambda:invoke",
        r#"{"FunctionName": "f", "Payload": {"a": 1}}"#,
        "ExecutedVersion,Payload,SdkHttpMetadata,SdkResponseMetadata,StatusCode",
        &[
            ("/ExecutedVersion", r#""$LATEST""#),
            ("/Payload", r#"{"a": 1}"#),
            ("/StatusCode", "200"),
            ("/SdkHttpMetadata/HttpStatusCode", "200"),
            ("/SdkHttpMetadata/HttpHeaders/Content-Length", r#""7""#),
            ("/SdkHttpMetadata/HttpHeaders/Content-Type", r#""application/json""#),
            ("/SdkHttpMetadata/AllHttpHeaders/Date", r#"["Wed, 01 Jan 2025 00:00:00 GMT"]"#),
        ],
    ),
    ("arn:aws:states:::lambda:invoke", r#"{"FunctionName": "f", "Payload": "\"text\""}"#, "ExecutedVersion,Payload,SdkHttpMetadata,SdkResponseMetadata,StatusCode", &[("/Payload", r#""text""#)]),
    ("arn:aws:states:::lambda:invoke", r#"{"FunctionName": "f"}"#, "ExecutedVersion,Payload,SdkHttpMetadata,SdkResponseMetadata,StatusCode", &[("/Payload", "{}")]),
    ("arn:aws:states:::lambda:invoke", r#"{"FunctionName": "f", "InvocationType": "Event"}"#, "ExecutedVersion,Payload,SdkHttpMetadata,SdkResponseMetadata,StatusCode", &[("/StatusCode", "202"), ("/Payload", r#""""#)]),
    ("arn:aws:states:::lambda:invoke", r#"{"FunctionName": "f", "LogType": "Tail"}"#, "ExecutedVersion,LogResult,Payload,SdkHttpMetadata,SdkResponseMetadata,StatusCode", &[]),
    ("arn:aws:states:::lambda:invoke.waitForTaskToken", r#"{"FunctionName": "f", "Payload": {"token": "tok"}}"#, "", &[("^/Payload/token", r#""tok""#), ("", "{}")]),
    ("arn:aws:states:::aws-sdk:lambda:invoke", r#"{"FunctionName": "f", "Payload": [1]}"#, "ExecutedVersion,Payload,StatusCode", &[("/Payload", "[1]")]),
    ("arn:aws:lambda:us-east-1:123456789012:function:echo", r#"{"in": [1, 2]}"#, "in", &[("", r#"{"in": [1, 2]}"#)]),
    ("arn:aws:states:us-east-1:123456789012:activity:work", r#"{"job": 1}"#, "job", &[("", r#"{"job": 1}"#)]),
    (
        "arn:aws:states:::sqs:sendMessage",
        r#"{"QueueUrl": "https://sqs/q", "MessageBody": "hello"}"#,
        "MD5OfMessageBody,MessageId,SdkHttpMetadata,SdkResponseMetadata",
        &[("/MD5OfMessageBody", r#""5d41402abc4b2a76b9719d911017c592""#), ("/SdkHttpMetadata/HttpHeaders/Content-Type", r#""application/x-amz-json-1.0""#)],
    ),
    (
        "arn:aws:states:::sqs:sendMessage",
        r#"{"QueueUrl": "q", "MessageBody": {"a": 1}, "MessageAttributes": {"my_attribute_no_2": {"DataType": "String", "StringValue": "World"}, "my_attribute_no_1": {"DataType": "String", "StringValue": "Hello"}}}"#,
        "MD5OfMessageAttributes,MD5OfMessageBody,MessageId,SdkHttpMetadata,SdkResponseMetadata",
        &[("/MD5OfMessageBody", r#""bb6cb5c68df4652941caf652a366f2d8""#), ("/MD5OfMessageAttributes", r#""7a2370fb1a1bb683e7d1ed61e44ffe02""#)],
    ),
    ("arn:aws:states:::sqs:sendMessage", r#"{"QueueUrl": "https://sqs/q.fifo", "MessageBody": "m"}"#, "MD5OfMessageBody,MessageId,SdkHttpMetadata,SdkResponseMetadata,SequenceNumber", &[]),
    ("arn:aws:states:::sqs:sendMessage.waitForTaskToken", r#"{"QueueUrl": "q", "MessageBody": {"TaskToken": "tok"}}"#, "", &[("^/MD5OfMessageBody", r#""2efbbdab1a3d7b076a0009d948a0e0e0""#), ("", "{}")]),
    ("arn:aws:states:::aws-sdk:sqs:sendMessage", r#"{"QueueUrl": "q", "MessageBody": "hello"}"#, "MD5OfMessageBody,MessageId", &[]),
    ("arn:aws:states:::sns:publish", r#"{"TopicArn": "arn:aws:sns:us-east-1:1:t", "Message": "m"}"#, "MessageId,SdkHttpMetadata,SdkResponseMetadata", &[("/SdkHttpMetadata/HttpHeaders/Content-Type", r#""text/xml""#)]),
    ("arn:aws:states:::sns:publish", r#"{"TopicArn": "arn:aws:sns:us-east-1:1:t.fifo", "Message": "m"}"#, "MessageId,SdkHttpMetadata,SdkResponseMetadata,SequenceNumber", &[]),
    ("arn:aws:states:::sns:publish.waitForTaskToken", r#"{"TopicArn": "t", "Message": {"TaskToken": "tok"}}"#, "", &[("", "{}")]),
    ("arn:aws:states:::dynamodb:getItem", r#"{"TableName": "t", "Key": {"id": {"S": "1"}}}"#, "Item,SdkHttpMetadata,SdkResponseMetadata", &[("/Item", "{}")]),
    ("arn:aws:states:::aws-sdk:dynamodb:getItem", r#"{"TableName": "t", "Key": {"id": {"S": "1"}}}"#, "Item", &[("/Item", "{}")]),
    ("arn:aws:states:::dynamodb:putItem", r#"{"TableName": "t", "Item": {"id": {"S": "1"}}}"#, "SdkHttpMetadata,SdkResponseMetadata", &[]),
    ("arn:aws:states:::aws-sdk:dynamodb:putItem", r#"{"TableName": "t", "Item": {"id": {"S": "1"}}}"#, "", &[("", "{}")]),
    ("arn:aws:states:::aws-sdk:dynamodb:scan", r#"{"TableName": "empty"}"#, "Count,Items,ScannedCount", &[("/Count", "0"), ("/Items", "[]")]),
    (
        "arn:aws:states:::events:putEvents",
        r#"{"Entries": [{"Source": "a"}, {"Source": "b"}]}"#,
        "Entries,FailedEntryCount",
        &[("/FailedEntryCount", "0"), ("/Entries/2", "null")],
    ),
    ("arn:aws:states:::aws-sdk:eventbridge:putEvents", r#"{"Entries": [{"Source": "a"}]}"#, "Entries,FailedEntryCount", &[]),
    (
        "arn:aws:states:::states:startExecution",
        r#"{"StateMachineArn": "arn:aws:states:us-east-1:1:stateMachine:Child", "Name": "run1", "Input": {"a": 1}}"#,
        "ExecutionArn,SdkHttpMetadata,SdkResponseMetadata,StartDate",
        &[("/ExecutionArn", r#""arn:aws:states:us-east-1:1:execution:Child:run1""#), ("/StartDate", r#""2025-01-01T00:00:00.000Z""#)],
    ),
    ("arn:aws:states:::aws-sdk:sfn:startExecution", r#"{"StateMachineArn": "arn:aws:states:us-east-1:1:stateMachine:Child", "Name": "n"}"#, "ExecutionArn,StartDate", &[]),
    (
        "arn:aws:states:::states:startExecution.sync",
        r#"{"StateMachineArn": "arn:aws:states:us-east-1:1:stateMachine:Child", "Name": "run1", "Input": {"a": 1}}"#,
        "ExecutionArn,Input,InputDetails,Name,Output,OutputDetails,RedriveCount,RedriveStatus,RedriveStatusReason,StartDate,StateMachineArn,Status,StopDate",
        &[
            ("^/ExecutionArn", r#""arn:aws:states:us-east-1:1:execution:Child:run1""#),
            ("/Input", r#""{\"a\":1}""#),
            ("/Output", r#""{\"a\":1}""#),
            ("/Name", r#""run1""#),
            ("/Status", r#""SUCCEEDED""#),
            ("/StopDate", r#""2025-01-01T00:00:01.000Z""#),
        ],
    ),
    ("arn:aws:states:::states:startExecution.sync", r#"{"StateMachineArn": "arn:aws:states:us-east-1:1:stateMachine:Child", "Input": null}"#, "", &[("/Input", r#""{}""#)]),
    ("arn:aws:states:::states:startExecution.sync:2", r#"{"StateMachineArn": "arn:aws:states:us-east-1:1:stateMachine:Child", "Input": "{\"a\": [1]}"}"#, "", &[("/Input", r#"{"a": [1]}"#), ("/Output", r#"{"a": [1]}"#)]),
    (
        "arn:aws:states:::ecs:runTask.sync",
        r#"{"Cluster": "prod", "TaskDefinition": "web:3", "LaunchType": "FARGATE"}"#,
        "Attachments,ClusterArn,Containers,CreatedAt,DesiredStatus,Group,LastStatus,LaunchType,Overrides,StartedAt,StopCode,StoppedAt,StoppedReason,TaskArn,TaskDefinitionArn,Version",
        &[
            ("^/Tasks/0/LastStatus", r#""PROVISIONING""#),
            ("^/Failures", "[]"),
            ("/LastStatus", r#""STOPPED""#),
            ("/Containers/0/ExitCode", "0"),
            ("/Containers/0/Name", r#""web""#),
            ("/ClusterArn", r#""arn:aws:ecs:us-east-1:123456789012:cluster/prod""#),
            ("/TaskDefinitionArn", r#""arn:aws:ecs:us-east-1:123456789012:task-definition/web:3""#),
        ],
    ),
    ("arn:aws:states:::ecs:runTask", r#"{"TaskDefinition": "web"}"#, "Failures,SdkHttpMetadata,SdkResponseMetadata,Tasks", &[("/Tasks/0/TaskDefinitionArn", r#""arn:aws:ecs:us-east-1:123456789012:task-definition/web:1""#)]),
    (
        "arn:aws:states:::glue:startJobRun.sync",
        r#"{"JobName": "etl", "Arguments": {"--day": "1"}}"#,
        "",
        &[("^/JobName", r#""etl""#), ("/JobName", r#""etl""#), ("/JobRunState", r#""SUCCEEDED""#), ("/Arguments", r#"{"--day": "1"}"#)],
    ),
    ("arn:aws:states:::aws-sdk:glue:startJobRun", r#"{"JobName": "etl"}"#, "JobRunId", &[]),
    (
        "arn:aws:states:::batch:submitJob.sync",
        r#"{"JobName": "j", "JobQueue": "q", "JobDefinition": "d:1"}"#,
        "",
        &[("^/JobName", r#""j""#), ("/Status", r#""SUCCEEDED""#), ("/JobQueue", r#""arn:aws:batch:us-east-1:123456789012:job-queue/q""#), ("/StartedAt", "1735689600000"), ("/Container/ExitCode", "0")],
    ),
    (
        "arn:aws:states:::apigateway:invoke",
        r#"{"ApiEndpoint": "x.execute-api.us-east-1.amazonaws.com", "Method": "POST", "RequestBody": {"x": 1}}"#,
        "Headers,ResponseBody,StatusCode,StatusText",
        &[("/ResponseBody", r#"{"x": 1}"#), ("/StatusCode", "200"), ("/StatusText", r#""OK""#), ("/Headers/X-Cache", r#"["Miss from cloudfront"]"#), ("/Headers/Content-Length", r#"["7"]"#)],
    ),
    ("arn:aws:states:::apigateway:invoke", r#"{"ApiEndpoint": "x", "Method": "GET"}"#, "Headers,ResponseBody,StatusCode,StatusText", &[("/ResponseBody", "{}")]),
    ("arn:aws:states:::http:invoke", r#"{"ApiEndpoint": "https://x", "Method": "POST", "RequestBody": "plain"}"#, "Headers,ResponseBody,StatusCode,StatusText", &[("/ResponseBody", r#""plain""#), ("/Headers/content-type", r#"["application/json"]"#)]),
    (
        "arn:aws:states:::aws-sdk:s3:putObject",
        r#"{"Bucket": "b", "Key": "k", "Body": false}"#,
        "ChecksumCRC32,ChecksumType,ETag,ServerSideEncryption",
        &[("/ChecksumCRC32", r#""K81oMA==""#), ("/ETag", r#""\"68934a3e9455fa72420237eb05902327\"""#)],
    ),
    ("arn:aws:states:::aws-sdk:s3:getObject", r#"{"Bucket": "b", "Key": "none"}"#, "AcceptRanges,ContentLength,ContentType,ETag,LastModified,Metadata,ServerSideEncryption,Body", &[("/Body", r#""""#), ("/ContentLength", "0")]),
    ("arn:aws:states:::aws-sdk:s3:listObjectsV2", r#"{"Bucket": "empty"}"#, "IsTruncated,KeyCount,MaxKeys,Name,Prefix", &[("/KeyCount", "0")]),
    ("arn:aws:states:::aws-sdk:codebuild:batchGetProjects", r#"{"Names": ["p"]}"#, "Names", &[("", r#"{"Names": ["p"]}"#)]),
    ("arn:aws:states:::codebuild:startBuild.sync", r#"{"ProjectName": "p"}"#, "ProjectName", &[("^", r#"{"ProjectName": "p"}"#), ("", r#"{"ProjectName": "p"}"#)]),
    ("arn:aws:states:::mediaconvert:createJob.waitForTaskToken", r#"{"Role": "r"}"#, "", &[("^", r#"{"Role": "r"}"#), ("", "{}")]),
];

#[test]
fn every_integration_answers_in_its_shape() {
    for (arn, params, want_keys, checks) in ROWS {
        let mut services = DefaultServices::new(3);
        let (submitted, result) = call(&mut services, arn, params);
        if !want_keys.is_empty() {
            assert_eq!(keys(&result), *want_keys, "{arn} {params}");
        }
        for (pointer, want) in *checks {
            let (value, pointer) = match pointer.strip_prefix('^') {
                Some(p) => (submitted.as_ref().unwrap_or_else(|| panic!("{arn}: nothing submitted")), p),
                None => (&result, *pointer),
            };
            let want = json::parse(want).expect("expected JSON");
            assert_eq!(at(value, pointer).cloned().unwrap_or(Value::Null), want, "{arn} {params} at {pointer}");
        }
        let resource = Resource::parse(arn).unwrap();
        if resource.pattern != Pattern::WaitForTaskToken {
            assert_eq!(
                check_mock_result(&resource, &result, FieldValidationMode::Strict),
                Ok(()),
                "{arn}: the default passes STRICT"
            );
        }
    }
}

#[test]
fn sync_and_callback_calls_are_submitted_first() {
    let mut services = DefaultServices::new(0);
    for arn in [
        "arn:aws:states:::states:startExecution.sync",
        "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "arn:aws:states:::glue:startJobRun.sync",
    ] {
        let (submitted, _) = call(
            &mut services,
            arn,
            r#"{"StateMachineArn": "arn:aws:states:us-east-1:1:stateMachine:M", "JobName": "j", "QueueUrl": "q", "MessageBody": "b"}"#,
        );
        assert!(submitted.is_some(), "{arn}");
    }
    let (submitted, _) = call(&mut services, "arn:aws:states:::states:startExecution", r#"{"StateMachineArn": "x"}"#);
    assert!(submitted.is_none());
}

#[test]
fn answers_are_deterministic_per_seed_and_call() {
    let script = |seed| {
        let mut services = DefaultServices::new(seed);
        (0..3)
            .map(|_| call(&mut services, "arn:aws:states:::sns:publish", r#"{"TopicArn": "t", "Message": "m"}"#).1)
            .collect::<Vec<_>>()
    };
    let (a, b, c) = (script(5), script(5), script(6));
    assert_eq!(a, b, "same seed, same answers");
    let id = |v: &Value| v.get("MessageId").cloned();
    assert_ne!(id(&a[0]), id(&c[0]), "another seed, other ids");
    assert_ne!(id(&a[0]), id(&a[1]), "each call has its own ids");
    let uuid = id(&a[0]).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    assert_eq!((uuid.len(), uuid.get(14..15)), (36, Some("4")), "a version 4 UUID: {uuid}");
}

#[test]
fn clock_and_account_are_configurable() {
    let mut services = DefaultServices::new(0).with_clock(0).with_account("111111111111", "eu-west-1");
    let (_, result) = call(&mut services, "arn:aws:states:::batch:submitJob", r#"{"JobName": "j"}"#);
    let arn = result.get("JobArn").and_then(Value::as_str).unwrap_or_default();
    assert!(arn.starts_with("arn:aws:batch:eu-west-1:111111111111:job/"), "{arn}");
    let (_, result) = call(
        &mut services,
        "arn:aws:states:::states:startExecution",
        r#"{"StateMachineArn": "arn:aws:states:eu-west-1:1:stateMachine:M"}"#,
    );
    assert_eq!(result.get("StartDate"), Some(&Value::from("1970-01-01T00:00:00.000Z")));
    assert_eq!(at(&result, "/SdkHttpMetadata/HttpHeaders/Date"), Some(&Value::from("Thu, 01 Jan 1970 00:00:00 GMT")));
}

#[test]
fn dynamodb_tables_remember_their_items() {
    let mut s = DefaultServices::new(0);
    let sdk = |action: &str| format!("arn:aws:states:::aws-sdk:dynamodb:{action}");
    let get = |s: &mut DefaultServices| call(s, &sdk("getItem"), r#"{"TableName": "t", "Key": {"id": {"S": "1"}}}"#).1;
    assert_eq!(get(&mut s), json::parse(r#"{"Item": {}}"#).unwrap(), "nothing known yet");
    call(&mut s, &sdk("putItem"), r#"{"TableName": "t", "Item": {"id": {"S": "1"}, "data": {"S": "a"}}}"#);
    call(&mut s, &sdk("putItem"), r#"{"TableName": "t", "Item": {"id": {"S": "2"}, "data": {"S": "b"}}}"#);
    assert_eq!(get(&mut s), json::parse(r#"{"Item": {"id": {"S": "1"}, "data": {"S": "a"}}}"#).unwrap());
    let (_, old) = call(
        &mut s,
        &sdk("putItem"),
        r#"{"TableName": "t", "Item": {"id": {"S": "1"}, "data": {"S": "c"}}, "ReturnValues": "ALL_OLD"}"#,
    );
    assert_eq!(
        old,
        json::parse(r#"{"Attributes": {"id": {"S": "1"}, "data": {"S": "a"}}}"#).unwrap(),
        "a put with a known key replaces the item"
    );
    let (_, updated) = call(
        &mut s,
        &sdk("updateItem"),
        r##"{"TableName": "t", "Key": {"id": {"S": "1"}}, "UpdateExpression": "SET #d = :v, n = :n REMOVE gone", "ExpressionAttributeNames": {"#d": "data"}, "ExpressionAttributeValues": {":v": {"S": "u"}, ":n": {"N": "5"}}, "ReturnValues": "UPDATED_NEW"}"##,
    );
    assert_eq!(updated, json::parse(r#"{"Attributes": {"data": {"S": "u"}, "n": {"N": "5"}}}"#).unwrap());
    assert_eq!(
        get(&mut s),
        json::parse(r#"{"Item": {"id": {"S": "1"}, "data": {"S": "u"}, "n": {"N": "5"}}}"#).unwrap()
    );
    let (_, query) = call(
        &mut s,
        &sdk("query"),
        r#"{"TableName": "t", "KeyConditionExpression": "id = :id", "ExpressionAttributeValues": {":id": {"S": "2"}}}"#,
    );
    assert_eq!(
        query,
        json::parse(r#"{"Count": 1, "Items": [{"id": {"S": "2"}, "data": {"S": "b"}}], "ScannedCount": 1}"#).unwrap()
    );
    let (_, scan) = call(&mut s, &sdk("scan"), r#"{"TableName": "t"}"#);
    assert_eq!(scan.get("Count"), Some(&Value::from(2)));
    let (_, deleted) =
        call(&mut s, &sdk("deleteItem"), r#"{"TableName": "t", "Key": {"id": {"S": "1"}}, "ReturnValues": "ALL_OLD"}"#);
    assert_eq!(at(&deleted, "/Attributes/data/S"), Some(&Value::from("u")));
    assert_eq!(get(&mut s), json::parse(r#"{"Item": {}}"#).unwrap(), "deleted");
    let (_, optimized) =
        call(&mut s, "arn:aws:states:::dynamodb:getItem", r#"{"TableName": "t", "Key": {"id": {"S": "2"}}}"#);
    assert_eq!(
        at(&optimized, "/Item/data/S"),
        Some(&Value::from("b")),
        "the optimized and aws-sdk forms share the tables"
    );
}

#[test]
fn s3_buckets_remember_their_objects() {
    let mut s = DefaultServices::new(0);
    let (_, put) = call(
        &mut s,
        "arn:aws:states:::aws-sdk:s3:putObject",
        r#"{"Bucket": "b", "Key": "dir/k", "Body": {"Dict": "Value"}, "ContentType": "application/json"}"#,
    );
    assert_eq!(
        put.get("ETag"),
        Some(&Value::from("\"49e31cee5aec8faf3345893addb14346\"")),
        "the MD5 of the body's JSON text"
    );
    let (_, got) = call(&mut s, "arn:aws:states:::aws-sdk:s3:getObject", r#"{"Bucket": "b", "Key": "dir/k"}"#);
    assert_eq!(got.get("Body"), Some(&Value::from(r#"{"Dict":"Value"}"#)));
    assert_eq!(got.get("ContentLength"), Some(&Value::from(16)));
    assert_eq!(got.get("ContentType"), Some(&Value::from("application/json")));
    assert_eq!(got.get("ETag"), put.get("ETag"));
    call(&mut s, "arn:aws:states:::aws-sdk:s3:putObject", r#"{"Bucket": "b", "Key": "other", "Body": "x"}"#);
    let (_, list) = call(&mut s, "arn:aws:states:::aws-sdk:s3:listObjectsV2", r#"{"Bucket": "b", "Prefix": "dir/"}"#);
    assert_eq!(
        (list.get("KeyCount"), at(&list, "/Contents/0/Key")),
        (Some(&Value::from(1)), Some(&Value::from("dir/k")))
    );
}

#[test]
fn helpers_match_published_vectors() {
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926, "the CRC-32 check value");
    assert_eq!(http_date(1_735_689_600_000), "Wed, 01 Jan 2025 00:00:00 GMT");
    assert_eq!(http_date(951_782_400_000), "Tue, 29 Feb 2000 00:00:00 GMT");
    assert_eq!(base_action("sendMessage.waitForTaskToken"), "sendMessage");
    assert_eq!(base_action("startExecution.sync:2"), "startExecution");
    assert_eq!(service_name("aws-sdk:sfn"), ("states", true));
    assert_eq!(service_name("lambda"), ("lambda", false));
    assert!(DefaultServices::is_modeled(&Resource::parse("arn:aws:states:::aws-sdk:eventbridge:putEvents").unwrap()));
    assert!(!DefaultServices::is_modeled(&Resource::parse("arn:aws:states:::aws-sdk:kms:encrypt").unwrap()));
    assert!(!DefaultServices::is_modeled(&Resource::parse("arn:aws:lambda:us-east-1:1:function:f").unwrap()));
}

#[test]
fn odd_parameters_do_not_panic() {
    let mut s = DefaultServices::new(u64::MAX);
    for arn in ROWS.iter().map(|r| r.0) {
        for params in [
            "null",
            "[]",
            "\"text\"",
            r#"{"Payload": null, "Entries": 5, "Key": [], "Item": 3, "Body": null, "UpdateExpression": "SET = , REMOVE", "StateMachineArn": ":stateMachine:"}"#,
        ] {
            call(&mut s, arn, params);
        }
    }
}
