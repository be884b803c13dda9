//! CloudFormation and SAM projects read as they would be deployed: the templates in
//! `tests/data/templates/` (SAM and plain CloudFormation, JSON and YAML, written for these tests)
//! with their `DefinitionUri` files, every intrinsic function a definition's values come from
//! (`Ref` of a parameter with a `Default`, `Ref`/`Fn::GetAtt` of each resource type, pseudo
//! parameters, `Fn::Sub` with and without a variables map, `Fn::Join`), given values, S3
//! locations, missing files, placeholders nothing resolves, several machines; and the project's
//! MockConfigFile applying unchanged to the resolved machine.

use aslplay::import::{read_project, Deployment, FileMap, FoundDefinition, NoFiles, SubstitutionKind};
use aslplay::services::MockConfig;
use aslplay::{json, Definition, Execution, Options, Status, Value};
use std::path::{Path, PathBuf};
use std::rc::Rc;

fn dir(project: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/templates").join(project)
}

/// Reads a project's template with its files from disk, as the command line does.
fn project(template: &str, deployment: &Deployment) -> Vec<FoundDefinition> {
    let path = dir(template);
    let folder = path.parent().unwrap().to_path_buf();
    let text = std::fs::read_to_string(&path).unwrap();
    let files = move |relative: &str| match std::fs::read_to_string(folder.join(relative)) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.to_string()),
    };
    read_project(&text, deployment, &files).unwrap_or_else(|e| panic!("{template}: {e}"))
}

fn machine<'a>(found: &'a [FoundDefinition], id: &str) -> &'a FoundDefinition {
    found.iter().find(|f| f.logical_id == id).unwrap_or_else(|| panic!("no {id}"))
}

/// The value at a JSON pointer of a definition.
fn at<'a>(definition: &'a Value, pointer: &str) -> &'a Value {
    pointer
        .split('/')
        .skip(1)
        .try_fold(definition, |v, token| match v {
            Value::Array(a) => a.get(token.parse::<usize>().ok()?),
            other => other.get(token),
        })
        .unwrap_or_else(|| panic!("nothing at {pointer} in {definition}"))
}

fn text_at<'a>(definition: &'a Value, pointer: &str) -> &'a str {
    at(definition, pointer).as_str().unwrap_or_else(|| panic!("{pointer} is not text"))
}

fn value_of<'a>(found: &'a FoundDefinition, name: &str) -> Option<&'a str> {
    found.substitutions.iter().find(|s| s.name == name).and_then(|s| s.value.as_deref())
}

#[test]
fn a_sam_project_resolves_each_resource_type_in_its_real_format() {
    let found = project("sam-app/template.yaml", &Deployment::default());
    let ids: Vec<&str> = found.iter().map(|f| f.logical_id.as_str()).collect();
    assert_eq!(ids, ["OrderStateMachine", "ShippingStateMachine", "ArchivedStateMachine"]);
    let order = machine(&found, "OrderStateMachine");
    assert_eq!(order.file.as_deref(), Some("statemachine/order.asl.json"));
    assert_eq!(order.name, "orders-dev", "Name: !Sub with a parameter's Default");
    let d = &order.definition;
    let r = "/States/Describe/Result";
    for (pointer, expected) in [
        ("/Comment", "Order processing (dev)"),
        ("/States/Validate/Resource", "arn:aws:lambda:us-east-1:123456789012:function:ValidateFunction"),
        ("/States/Enqueue/Parameters/QueueUrl", "https://sqs.us-east-1.amazonaws.com/123456789012/OrderQueue"),
        ("/States/Enqueue/ResultSelector/queueArn", "arn:aws:sqs:us-east-1:123456789012:OrderQueue"),
        ("/States/Enqueue/ResultSelector/queueName", "OrderQueue"),
        ("/States/Save/Parameters/TableName", "aslplay-orders"),
        ("/States/Save/Parameters/Item/table/S", "arn:aws:dynamodb:us-east-1:123456789012:table/aslplay-orders"),
        ("/States/Notify/Parameters/TopicArn", "arn:aws:sns:us-east-1:123456789012:OrderTopic"),
        (&format!("{r}/function"), "ValidateFunction"),
        (&format!("{r}/activity"), "arn:aws:states:us-east-1:123456789012:activity:approval"),
        (&format!("{r}/child"), "arn:aws:states:us-east-1:123456789012:stateMachine:ShippingStateMachine"),
        (&format!("{r}/bucket"), "receiptsbucket"),
        (&format!("{r}/bucketArn"), "arn:aws:s3:::receiptsbucket"),
        (&format!("{r}/bus"), "orders-bus"),
        (&format!("{r}/cluster"), "arn:aws:ecs:us-east-1:123456789012:cluster/PackingCluster"),
        (&format!("{r}/taskDefinition"), "arn:aws:ecs:us-east-1:123456789012:task-definition/packing:1"),
        (&format!("{r}/glueJob"), "nightly-report"),
        (&format!("{r}/jobQueue"), "arn:aws:batch:us-east-1:123456789012:job-queue/PrintQueue"),
        (&format!("{r}/partition"), "aws"),
    ] {
        assert_eq!(text_at(d, pointer), expected, "{pointer}");
    }
    // The one placeholder nothing resolves (a parameter without a Default), in the file, with its place.
    assert_eq!(text_at(d, "/States/Notify/Parameters/Message"), "order for UNRESOLVED-Email");
    let [u] = order.unresolved.as_slice() else { panic!("{:?}", order.unresolved) };
    assert_eq!(
        (u.placeholder.as_str(), u.file.as_deref(), u.line, u.column),
        ("${Email}", Some("statemachine/order.asl.json"), Some(35), Some(71))
    );
    assert!(u.reason.contains("the parameter NotifyEmail has no Default"), "{}", u.reason);
    // The substitutions shown, with where each value comes from.
    let email = order.substitutions.iter().find(|s| s.name == "Email").unwrap();
    assert_eq!((email.value.as_deref(), email.source.as_str()), (None, "!Ref NotifyEmail"));
    let fn_arn = order.substitutions.iter().find(|s| s.name == "ValidateFnArn").unwrap();
    assert_eq!(
        (fn_arn.kind, fn_arn.source.as_str()),
        (SubstitutionKind::DefinitionSubstitution, "!GetAtt ValidateFunction.Arn")
    );
    let stack = order.substitutions.iter().find(|s| s.name == "AWS::StackName").unwrap();
    assert_eq!((stack.kind, stack.value.as_deref()), (SubstitutionKind::Pseudo, Some("aslplay")));
    assert!(aslplay::validate(&json::to_string(d)).is_ok(), "{}", aslplay::validate(&json::to_string(d)).to_value());

    // Inline: pseudo parameters and an attribute of an event bus.
    let ship = machine(&found, "ShippingStateMachine");
    assert_eq!(ship.origin, "/Resources/ShippingStateMachine/Properties/Definition");
    assert_eq!(
        at(&ship.definition, "/States/Ship/Result").to_string(),
        r#"{"region":"us-east-1","account":"123456789012","stack":"aslplay","bus":"arn:aws:events:us-east-1:123456789012:event-bus/orders-bus"}"#
    );
    // In S3: where, and that it cannot be read.
    let archived = machine(&found, "ArchivedStateMachine");
    assert!(archived.definition.is_null());
    assert_eq!(archived.s3_location.as_deref(), Some("s3://my-artifacts/archived.asl.json"));
    assert!(archived.notes[0].contains("cannot read"), "{:?}", archived.notes);
}

#[test]
fn given_values_win_over_the_template() {
    let deployment = Deployment {
        params: vec![
            ("Stage".into(), "prod".into()),
            ("NotifyEmail".into(), "ops@example.com".into()),
            ("AWS::Region".into(), "eu-west-1".into()),
            ("AWS::AccountId".into(), "111122223333".into()),
            ("AWS::StackName".into(), "shop".into()),
            ("QueueName".into(), "given-queue".into()),
        ],
        ..Deployment::default()
    };
    let found = project("sam-app/template.yaml", &deployment);
    let order = machine(&found, "OrderStateMachine");
    assert!(order.unresolved.is_empty(), "{:?}", order.unresolved);
    assert_eq!(order.name, "orders-prod");
    let d = &order.definition;
    assert_eq!(
        text_at(d, "/States/Validate/Resource"),
        "arn:aws:lambda:eu-west-1:111122223333:function:ValidateFunction"
    );
    assert_eq!(text_at(d, "/States/Save/Parameters/TableName"), "shop-orders");
    assert_eq!(text_at(d, "/States/Notify/Parameters/Message"), "order for ops@example.com");
    assert_eq!(text_at(d, "/States/Enqueue/ResultSelector/queueName"), "given-queue");
    let queue_name = order.substitutions.iter().find(|s| s.name == "QueueName").unwrap();
    assert!(queue_name.given);
    assert_eq!(value_of(order, "Stage"), Some("prod"));
}

#[test]
fn a_project_s_mock_config_file_applies_unchanged() {
    let found = project("sam-app/template.yaml", &Deployment::default());
    let order = machine(&found, "OrderStateMachine");
    let definition = Rc::new(Definition::from_text(&json::to_string(&order.definition)).unwrap());
    let config = MockConfig::from_text(&std::fs::read_to_string(dir("sam-app/MockConfigFile.json")).unwrap()).unwrap();
    assert!(config.shape_problems(&definition).is_empty());
    let input = json::parse(&std::fs::read_to_string(dir("sam-app/input.json")).unwrap()).unwrap();
    let run = |test_case: &str| {
        let mut options = Options::default();
        options.ids.state_machine_name = order.name.clone();
        let mut exec =
            Execution::start_mocked(definition.clone(), input.clone(), options, &config, Some(&order.name), test_case)
                .unwrap();
        exec.run();
        exec
    };
    let happy = run("HappyPath");
    assert_eq!(happy.status(), Status::Succeeded);
    let events: Vec<Value> = happy.history().iter().map(|e| e.to_value()).collect();
    let scheduled = events.iter().find(|e| e.get("type").and_then(Value::as_str) == Some("LambdaFunctionScheduled"));
    let details = scheduled.and_then(|e| e.get("lambdaFunctionScheduledEventDetails")).unwrap();
    assert_eq!(
        details.get("resource").and_then(Value::as_str),
        Some("arn:aws:lambda:us-east-1:123456789012:function:ValidateFunction")
    );
    let started = events[0].get("executionStartedEventDetails").unwrap();
    assert!(started.get("roleArn").is_some());
    let output = happy.result_value();
    assert_eq!(output.get("output").unwrap().get("validation").unwrap().to_string(), r#"{"valid":true}"#);
    let invalid = run("Invalid");
    assert_eq!(invalid.status(), Status::Failed);
    assert_eq!(invalid.result_value().get("error").and_then(Value::as_str), Some("InvalidOrder"));
}

#[test]
fn default_mocks_see_the_resolved_function() {
    let found = project("sam-yaml/template.yaml", &Deployment::default());
    let flow = &found[0];
    assert_eq!(flow.file.as_deref(), Some("./statemachine/flow.asl.yaml"));
    // The YAML file's own placeholder nothing declares: reported in the file, marked, still runs.
    let [u] = flow.unresolved.as_slice() else { panic!("{:?}", flow.unresolved) };
    assert_eq!((u.placeholder.as_str(), u.line, u.column), ("${UndeclaredArn}", Some(14), Some(15)));
    assert_eq!(
        text_at(&flow.definition, "/States/Unknown/Resource"),
        "arn:aws:lambda:us-east-1:123456789012:function:UNRESOLVED-UndeclaredArn"
    );
    let definition = Rc::new(Definition::from_text(&json::to_string(&flow.definition)).unwrap());
    let mut exec = Execution::start(definition, json::parse(r#"{"name": "Ada"}"#).unwrap(), Options::default());
    exec.run();
    assert_eq!(exec.status(), Status::Succeeded);
    let events: Vec<Value> = exec.history().iter().map(|e| e.to_value()).collect();
    let task = events.iter().find_map(|e| e.get("taskScheduledEventDetails")).unwrap();
    let parameters = json::parse(task.get("parameters").and_then(Value::as_str).unwrap()).unwrap();
    assert_eq!(
        parameters.get("FunctionName").and_then(Value::as_str),
        Some("arn:aws:lambda:us-east-1:123456789012:function:Greeter")
    );
    // The default Lambda response echoes the payload, as the real function's Payload.
    assert_eq!(exec.result_value().get("output").unwrap().to_string(), r#"{"name":"Ada"}"#);
}

#[test]
fn cloudformation_json_definition_strings() {
    let found = project("cloudformation-json/template.json", &Deployment::default());
    let ids: Vec<&str> = found.iter().map(|f| f.logical_id.as_str()).collect();
    assert_eq!(ids, ["SubWithVariables", "SubWithoutVariables", "Joined", "InS3"]);
    // Fn::Sub with a variables map (GetAtt, Join, If), parameters with Defaults, pseudo parameters.
    let sub = machine(&found, "SubWithVariables");
    assert_eq!(sub.name, "sub-with-variables");
    let d = &sub.definition;
    assert_eq!(text_at(d, "/States/Work/Resource"), "arn:aws:lambda:us-east-1:123456789012:function:aslplay-worker");
    assert_eq!(at(d, "/States/Work/Retry/0/MaxAttempts"), &Value::from(2));
    assert_eq!(text_at(d, "/States/Queue/Resource"), "arn:aws:states:::sqs:sendMessage");
    assert_eq!(
        text_at(d, "/States/Queue/Parameters/QueueUrl"),
        "https://sqs.us-east-1.amazonaws.com/123456789012/Jobs.fifo"
    );
    assert_eq!(text_at(d, "/States/Queue/Parameters/MessageGroupId"), "orders-test");
    assert_eq!(
        at(d, "/States/Tag/Result").to_string(),
        r#"{"where":"us-east-1/123456789012","queue":"Jobs.fifo","size":"small","literal":"${NotAPlaceholder}"}"#
    );
    assert!(sub.unresolved.is_empty(), "{:?}", sub.unresolved);
    assert_eq!(sub.origin, "/Resources/SubWithVariables/Properties/DefinitionString");
    // Fn::Sub without variables: what it cannot resolve is DefinitionSubstitutions' to fill.
    let plain = machine(&found, "SubWithoutVariables");
    assert_eq!(at(&plain.definition, "/States/Wait/Seconds"), &Value::from(3));
    assert_eq!(
        text_at(&plain.definition, "/States/Done/Result"),
        "arn:aws:lambda:us-east-1:123456789012:function:aslplay-worker"
    );
    // Fn::Join (nested) with a Ref.
    let joined = machine(&found, "Joined");
    assert_eq!(text_at(&joined.definition, "/States/Call/Parameters/FunctionName"), "aslplay-worker");
    // DefinitionS3Location: its intrinsics resolved in the location reported.
    assert_eq!(machine(&found, "InS3").s3_location.as_deref(), Some("s3://artifacts-123456789012/flows/in-s3.json"));

    let prod = Deployment { params: vec![("Env".into(), "prod".into())], ..Deployment::default() };
    let found = project("cloudformation-json/template.json", &prod);
    let d = &machine(&found, "SubWithVariables").definition;
    assert_eq!(text_at(d, "/States/Queue/Parameters/MessageGroupId"), "orders-prod");
    assert_eq!(text_at(d, "/States/Tag/Result/size"), "large");
}

#[test]
fn cloudformation_yaml_inline_definition() {
    let found = project("cloudformation-yaml/template.yaml", &Deployment::default());
    let parent = machine(&found, "Parent");
    let d = &parent.definition;
    assert_eq!(text_at(d, "/Comment"), "Parent in us-east-1 (amazonaws.com)");
    assert_eq!(
        text_at(d, "/States/Approve/Resource"),
        "arn:aws:states:us-east-1:123456789012:activity:aslplay-approvals"
    );
    assert_eq!(
        text_at(d, "/States/StartChild/Parameters/StateMachineArn"),
        "arn:aws:states:us-east-1:123456789012:stateMachine:child"
    );
    assert_eq!(text_at(d, "/States/StartChild/Parameters/Input/region.$"), "States.Format('{}', 'use1')");
    assert_eq!(text_at(d, "/States/StartChild/Parameters/Input/timeout"), "30");
    assert_eq!(text_at(d, "/States/Audit/Parameters/TableName"), "Audit");
    assert_eq!(text_at(d, "/States/Audit/Parameters/Item/pk/S"), "123456789012:b");
    assert_eq!(
        text_at(d, "/States/Audit/Parameters/Item/arn/S"),
        "arn:aws:dynamodb:us-east-1:123456789012:table/Audit"
    );
    assert_eq!(text_at(d, "/States/Audit/Parameters/Item/missing/S"), "UNRESOLVED-Nowhere");
    let [u] = parent.unresolved.as_slice() else { panic!("{:?}", parent.unresolved) };
    assert_eq!((u.placeholder.as_str(), u.file.as_deref(), u.line, u.column), ("${Nowhere}", None, Some(58), Some(22)));
    assert!(u.reason.contains("DefinitionSubstitutions has no Nowhere"), "{}", u.reason);
    // Another region: the mapping and every ARN follow.
    let eu = Deployment { params: vec![("AWS::Region".into(), "eu-west-1".into())], ..Deployment::default() };
    let found = project("cloudformation-yaml/template.yaml", &eu);
    let d = &machine(&found, "Parent").definition;
    assert_eq!(text_at(d, "/States/StartChild/Parameters/Input/region.$"), "States.Format('{}', 'euw1')");
    assert_eq!(
        text_at(d, "/States/Approve/Resource"),
        "arn:aws:states:eu-west-1:123456789012:activity:aslplay-approvals"
    );
}

#[test]
fn plain_asl_with_template_placeholders() {
    let text = std::fs::read_to_string(dir("terraform/flow.asl.json")).unwrap();
    let given = Deployment {
        params: vec![
            ("process_fn_arn".into(), "arn:aws:lambda:us-east-1:123456789012:function:process".into()),
            ("timeout".into(), "45".into()),
            ("table_name".into(), "items".into()),
        ],
        ..Deployment::default()
    };
    let found = read_project(&text, &given, &NoFiles).unwrap();
    let d = &found[0].definition;
    assert_eq!(text_at(d, "/States/Process/Resource"), "arn:aws:lambda:us-east-1:123456789012:function:process");
    assert_eq!(at(d, "/States/Process/TimeoutSeconds"), &Value::from(45));
    assert_eq!(text_at(d, "/States/Store/Parameters/TableName"), "items");
    let [u] = found[0].unresolved.as_slice() else { panic!("{:?}", found[0].unresolved) };
    assert_eq!((u.placeholder.as_str(), u.line, u.column), ("${env}", Some(2), Some(57)));
    // Nothing given: each placeholder reported where it is; markers keep it valid and runnable.
    let found = read_project(&text, &Deployment::default(), &NoFiles).unwrap();
    let places: Vec<(&str, Option<usize>)> =
        found[0].unresolved.iter().map(|u| (u.placeholder.as_str(), u.line)).collect();
    assert_eq!(
        places,
        [("${env}", Some(2)), ("${process_fn_arn}", Some(7)), ("${timeout}", Some(8)), ("${table_name}", Some(14))]
    );
    let d = &found[0].definition;
    assert_eq!(at(d, "/States/Process/TimeoutSeconds"), &Value::from(1));
    let validation = aslplay::validate(&json::to_string(d));
    assert!(validation.is_ok(), "{}", validation.to_value());
    // A validation diagnostic is placed on the file's own line, placeholders and all.
    assert_eq!(found[0].locate(&text, &["/States/Store/Parameters"]), [Some((14, 7))]);
}

#[test]
fn a_missing_file_is_named_then_read_once_given() {
    let template = std::fs::read_to_string(dir("missing-file/template.yaml")).unwrap();
    let found = read_project(&template, &Deployment::default(), &NoFiles).unwrap();
    assert_eq!(found[0].missing_file.as_deref(), Some("statemachine/flow.asl.yaml"));
    assert!(found[0].definition.is_null());
    // The page's way: the user gives the file afterwards, by its name only.
    let files = FileMap(vec![("flow.asl.yaml".into(), "StartAt: A\nStates:\n  A: {Type: Succeed}\n".into())]);
    let found = read_project(&template, &Deployment::default(), &files).unwrap();
    assert_eq!(found[0].missing_file, None);
    assert_eq!(at(&found[0].definition, "/States/A/Type"), &Value::from("Succeed"));
    assert_eq!(found[0].file_text.as_deref(), Some("StartAt: A\nStates:\n  A: {Type: Succeed}\n"));
}

#[test]
fn several_machines_are_listed_for_a_choice() {
    let template = std::fs::read_to_string(dir("cloudformation-yaml/template.yaml")).unwrap();
    let e = aslplay::import::definition_from_text(&template).unwrap_err();
    assert!(e.message.contains("2 state machines (Child, Parent): choose one"), "{e}");
}

#[test]
fn a_sam_template_in_json_with_long_form_intrinsics() {
    let found = project("sam-json/template.json", &Deployment::default());
    let flow = &found[0];
    assert_eq!(flow.file.as_deref(), Some("statemachine/images.asl.json"));
    assert!(flow.unresolved.is_empty(), "{:?}", flow.unresolved);
    let d = &flow.definition;
    assert_eq!(
        text_at(d, "/States/Resize/Parameters/FunctionName"),
        "arn:aws:lambda:us-east-1:123456789012:function:aslplay-resize"
    );
    assert_eq!(
        at(d, "/States/Resize/Parameters/Payload").to_string(),
        r#"{"bucket":"images-123456789012","domain":"images-123456789012.s3.us-east-1.amazonaws.com","level":"INFO","where":"us-east-1/us-east-1a","key.$":"$.key"}"#
    );
    assert_eq!(text_at(d, "/States/Announce/Parameters/TopicArn"), "arn:aws:sns:us-east-1:123456789012:images-done");
    // The account and partition of the context reach every ARN.
    let china = Deployment {
        account_id: "210987654321".into(),
        region: "cn-north-1".into(),
        partition: "aws-cn".into(),
        ..Deployment::default()
    };
    let found = project("sam-json/template.json", &china);
    let d = &found[0].definition;
    assert_eq!(
        text_at(d, "/States/Resize/Parameters/FunctionName"),
        "arn:aws-cn:lambda:cn-north-1:210987654321:function:aslplay-resize"
    );
    assert_eq!(
        text_at(d, "/States/Resize/Parameters/Payload/domain"),
        "images-210987654321.s3.cn-north-1.amazonaws.com.cn"
    );
}

#[test]
fn options_in_json_as_the_page_gives_them() {
    let template = std::fs::read_to_string(dir("missing-file/template.yaml")).unwrap();
    let options = json::parse(
        r#"{"files": {"flow.asl.yaml": "StartAt: A\nStates:\n  A: {Type: Pass, Result: '${AWS::Region} ${Who}', End: true}\n", "ignored": 1},
            "params": {"Who": "me"}, "region": "eu-west-3", "accountId": 7}"#,
    )
    .unwrap();
    let found = aslplay::import::read_project_with_options(&template, &options).unwrap();
    assert_eq!(text_at(&found[0].definition, "/States/A/Result"), "eu-west-3 me");
    let v = found[0].to_value();
    assert_eq!(v.get("file").and_then(Value::as_str), Some("statemachine/flow.asl.yaml"));
    assert_eq!(v.get("missingFile"), Some(&Value::Null));
    let given = v.get("substitutions").unwrap().as_array().unwrap();
    assert_eq!(
        given[0].to_string(),
        r#"{"name":"Who","value":"me","source":"given","kind":"placeholder","given":true}"#
    );
}
