//! The editor's language service (`aslplay::language`): completions, hover, signature help
//! and quick fixes at positions of definitions and mock configurations, written as a person
//! types them. `‸` marks the cursor in each text.

use aslplay::language::{self, Completion, Completions, Doc, FixRequest, Request};
use aslplay::{json, validate};

const CURSOR: char = '‸';

/// The text without the marker, and the marker's UTF-16 offset.
fn split(marked: &str) -> (String, usize) {
    let byte = marked.find(CURSOR).expect("a cursor marker");
    let text = marked.replacen(CURSOR, "", 1);
    (text.clone(), text[..byte].encode_utf16().count())
}

fn req<'a>(doc: Doc, text: &'a str, offset: usize, definition: &'a str) -> Request<'a> {
    Request { doc, text, offset, definition, explicit: true }
}

fn complete_at(marked: &str) -> Option<Completions> {
    let (text, offset) = split(marked);
    language::complete(&req(Doc::Definition, &text, offset, ""))
}

fn labels(marked: &str) -> Vec<String> {
    complete_at(marked).map(|c| c.options.into_iter().map(|o| o.label).collect()).unwrap_or_default()
}

fn option(marked: &str, label: &str) -> Completion {
    let c = complete_at(marked).unwrap_or_else(|| panic!("no completions at {marked}"));
    c.options.into_iter().find(|o| o.label == label).unwrap_or_else(|| panic!("no option {label} at {marked}"))
}

/// A snippet template with each field replaced by its default text (as CodeMirror inserts it).
fn expand(template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let close = after.find('}').unwrap();
        let field = &after[..close];
        out.push_str(field.split_once(':').map_or("", |(_, d)| d));
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out.replace("\\{", "{").replace("\\}", "}").replace('\t', "  ")
}

/// The text after choosing `label` at the cursor.
fn choose(marked: &str, label: &str) -> String {
    let (text, _) = split(marked);
    let c = complete_at(marked).unwrap();
    let o = c.options.iter().find(|o| o.label == label).unwrap_or_else(|| panic!("no {label}"));
    let insert = match &o.apply {
        Some(a) if o.snippet => expand(a),
        Some(a) => a.clone(),
        None => o.label.clone(),
    };
    let from = language::byte_offset(&text, c.from).unwrap();
    let to = language::byte_offset(&text, c.to).unwrap();
    format!("{}{}{}", &text[..from], insert, &text[to..])
}

fn has(list: &[String], want: &[&str]) -> bool {
    want.iter().all(|w| list.iter().any(|l| l == w))
}

const MACHINE: &str = r#"{
  "StartAt": "Start",
  "States": {
    "Start": {"Type": "Pass", "Next": "‸"},
    "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Done"},
    "Done": {"Type": "Succeed"}
  }
}"#;

#[test]
fn state_names_in_next_same_scope_current_last() {
    let got = labels(MACHINE);
    assert_eq!(got, ["Work", "Done", "Start"]);
    let c = complete_at(MACHINE).unwrap();
    assert!(c.options.last().unwrap().boost < c.options[0].boost);
    let chosen = choose(MACHINE, "Work");
    assert!(chosen.contains(r#""Next": "Work""#), "{chosen}");
    assert!(validate(&chosen).is_ok(), "{:?}", validate(&chosen));
}

const NESTED: &str = r#"{
  "StartAt": "Fan",
  "States": {
    "Fan": {
      "Type": "Parallel",
      "Branches": [
        {"StartAt": "B1", "States": {
          "B1": {"Type": "Pass", "Next": "‸"},
          "B2": {"Type": "Succeed"}}},
        {"StartAt": "C1", "States": {"C1": {"Type": "Succeed"}}}
      ],
      "Next": "Each"
    },
    "Each": {
      "Type": "Map",
      "ItemProcessor": {"StartAt": "P1", "States": {
        "P1": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "P2"}], "Next": "P2"},
        "P2": {"Type": "Succeed"}}},
      "End": true
    }
  }
}"#;

/// NESTED with the cursor moved to the `n`-th place marked `@` (the others removed).
fn nested_at(at: &str, replace: &str) -> String {
    NESTED.replace('‸', "").replacen(at, replace, 1)
}

#[test]
fn state_names_stay_in_their_scope() {
    // Inside a Parallel branch: only that branch's states, the current one last.
    assert_eq!(labels(NESTED), ["B2", "B1"]);
    // A Map processor's catcher.
    let t = nested_at(r#"["States.ALL"], "Next": "P2""#, r#"["States.ALL"], "Next": "‸""#);
    assert_eq!(labels(&t), ["P2", "P1"]);
    // The top level.
    let t = nested_at(r#""Next": "Each""#, r#""Next": "‸""#);
    assert_eq!(labels(&t), ["Each", "Fan"]);
    // A branch's StartAt names the branch's states.
    let t = nested_at(r#""StartAt": "C1""#, r#""StartAt": "‸""#);
    assert_eq!(labels(&t), ["C1"]);
    // A Choice rule's Next and Default.
    let choice = r#"{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": true, "Next": "‸"}], "Default": "D"}, "D": {"Type": "Succeed"}}}"#;
    assert_eq!(labels(choice), ["D", "C"]);
    let default = choice.replace("‸", "D").replace(r#""Default": "D""#, r#""Default": "‸""#);
    assert_eq!(labels(&default), ["D", "C"]);
}

#[test]
fn field_names_follow_type_and_query_language() {
    let task = labels(r#"{"StartAt": "A", "States": {"A": {"Type": "Task", ‸}}}"#);
    assert!(has(
        &task,
        &["Resource", "Parameters", "ResultPath", "ResultSelector", "InputPath", "Retry", "Catch", "Next", "End"]
    ));
    assert!(!has(&task, &["Arguments"]) && !has(&task, &["Output"]) && !has(&task, &["Type"]));
    let jsonata = labels(r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Task", ‸}}}"#);
    assert!(has(&jsonata, &["Arguments", "Output", "Assign", "Resource", "Retry"]));
    assert!(!has(&jsonata, &["Parameters"]) && !has(&jsonata, &["InputPath"]) && !has(&jsonata, &["ResultPath"]));
    // A state may choose JSONata for itself.
    let own = labels(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "QueryLanguage": "JSONata", ‸}}}"#);
    assert!(has(&own, &["Output"]) && !has(&own, &["Result"]));
    // Never Resource in a Wait state.
    let wait = labels(r#"{"StartAt": "A", "States": {"A": {"Type": "Wait", ‸}}}"#);
    assert!(has(&wait, &["Seconds", "Timestamp", "SecondsPath", "TimestampPath", "Next"]));
    assert!(!has(&wait, &["Resource"]));
    // A state with no Type yet: Type first.
    let untyped = complete_at(r#"{"StartAt": "A", "States": {"A": {‸}}}"#).unwrap();
    assert_eq!(untyped.options[0].label, "Type");
    // The definition's own fields.
    let top = labels(r#"{‸}"#);
    assert!(has(&top, &["StartAt", "States", "Comment", "QueryLanguage", "TimeoutSeconds", "Version"]));
}

#[test]
fn fields_of_the_parts_of_states() {
    let retrier = labels(r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Retry": [{‸}]}}}"#);
    assert!(has(
        &retrier,
        &["ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy"]
    ));
    let catcher = labels(r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Catch": [{‸}]}}}"#);
    assert!(has(&catcher, &["ErrorEquals", "Next", "ResultPath"]) && !has(&catcher, &["Output"]));
    let catcher =
        labels(r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Task", "Catch": [{‸}]}}}"#);
    assert!(has(&catcher, &["ErrorEquals", "Next", "Output", "Assign"]) && !has(&catcher, &["ResultPath"]));
    let rule = labels(r#"{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{‸}]}}}"#);
    for (op, _) in aslplay::definition::schema::COMPARISONS {
        assert!(rule.iter().any(|l| l == op), "{op}");
    }
    assert!(has(&rule, &["Variable", "Next", "And", "Or", "Not"]) && !has(&rule, &["Condition"]));
    let nested =
        labels(r#"{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"And": [{‸}], "Next": "C"}]}}}"#);
    assert!(has(&nested, &["Variable", "StringEqualsPath"]) && !has(&nested, &["Next"]));
    let rule = labels(
        r#"{"QueryLanguage": "JSONata", "StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{‸}]}}}"#,
    );
    assert!(has(&rule, &["Condition", "Next", "Output", "Assign"]) && !has(&rule, &["Variable"]));
    let map = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemReader": {@R}, "ItemBatcher": {@B}, "ResultWriter": {@W},
        "ItemProcessor": {@P "ProcessorConfig": {@C}, "StartAt": "X", "States": {"X": {"Type": "Succeed"}}}, "End": true}}}"#;
    let at = |mark: &str| {
        labels(
            &map.replace(mark, "‸")
                .replace("@R", "")
                .replace("@B", "")
                .replace("@W", "")
                .replace("@P", "")
                .replace("@C", ""),
        )
    };
    assert!(has(&at("@R"), &["Resource", "ReaderConfig", "Parameters"]));
    assert!(has(&at("@B"), &["MaxItemsPerBatch", "MaxInputBytesPerBatch", "BatchInput"]));
    assert!(has(&at("@W"), &["Resource", "WriterConfig"]));
    assert!(has(&at("@P"), &["Comment"]) && !has(&at("@P"), &["StartAt"]));
    assert!(has(&at("@C"), &["Mode", "ExecutionType"]));
    let reader = labels(r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemReader": {"ReaderConfig": {‸}}}}}"#);
    assert!(has(&reader, &["InputType", "CSVHeaderLocation", "CSVHeaders", "MaxItems", "MaxItemsPath"]));
}

#[test]
fn values_of_type_and_enumerations() {
    let types = labels(r#"{"StartAt": "A", "States": {"A": {"Type": "‸"}}}"#);
    assert_eq!(types.len(), 8);
    assert!(has(&types, &["Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"]));
    let pick = choose(r#"{"StartAt": "A", "States": {"A": {"Type": "Pa‸"}}}"#, "Pass");
    assert_eq!(pick, r#"{"StartAt": "A", "States": {"A": {"Type": "Pass"}}}"#);
    let cases: &[(&str, &[&str])] = &[
        (r#"{"QueryLanguage": ‸}"#, &["JSONPath", "JSONata"]),
        (
            r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": "‸"}}}}}"#,
            &["INLINE", "DISTRIBUTED"],
        ),
        (
            r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"ExecutionType": "‸"}}}}}"#,
            &["STANDARD", "EXPRESS"],
        ),
        (
            r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemReader": {"ReaderConfig": {"InputType": "‸"}}}}}"#,
            &["CSV", "JSON", "JSONL", "MANIFEST", "PARQUET"],
        ),
        (
            r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemReader": {"ReaderConfig": {"CSVHeaderLocation": "‸"}}}}}"#,
            &["FIRST_ROW", "GIVEN"],
        ),
        (
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Retry": [{"ErrorEquals": ["States.ALL"], "JitterStrategy": "‸"}]}}}"#,
            &["FULL", "NONE"],
        ),
    ];
    for (text, want) in cases {
        assert_eq!(&labels(text), want, "{text}");
    }
    // A bare value gets its quotes.
    assert_eq!(choose(r#"{"QueryLanguage": ‸}"#, "JSONata"), r#"{"QueryLanguage": "JSONata"}"#);
    // Values have their docs.
    let o = option(r#"{"QueryLanguage": ‸}"#, "JSONata");
    assert!(o.info.is_some() && !o.detail.is_empty());
}

#[test]
fn resource_arns_for_every_integration_the_mocks_know() {
    let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "‸", "End": true}}}"#;
    let arns = labels(text);
    assert!(has(
        &arns,
        &[
            "arn:aws:states:::lambda:invoke",
            "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "arn:aws:states:::states:startExecution.sync",
            "arn:aws:states:::states:startExecution.sync:2",
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "arn:aws:states:::glue:startJobRun.sync",
            "arn:aws:states:::ecs:runTask.sync",
            "arn:aws:states:::batch:submitJob.sync",
            "arn:aws:states:::dynamodb:putItem",
            "arn:aws:states:::events:putEvents",
            "arn:aws:states:::aws-sdk:dynamodb:query",
            "arn:aws:states:::aws-sdk:s3:getObject",
            "arn:aws:states:::aws-sdk:sfn:startExecution",
            "arn:aws:lambda:us-east-1:123456789012:function:MyFunction",
            "arn:aws:states:us-east-1:123456789012:activity:MyActivity",
        ]
    ));
    // AWS offers no .sync for Lambda invoke, no .waitForTaskToken for DynamoDB.
    assert!(!has(&arns, &["arn:aws:states:::lambda:invoke.sync"]));
    assert!(!has(&arns, &["arn:aws:states:::dynamodb:getItem.waitForTaskToken"]));
    // Every offered ARN (placeholders filled) is one the validator accepts.
    for o in complete_at(text).unwrap().options {
        let arn = o.apply.as_deref().map(expand).unwrap_or(o.label.clone());
        let def = text.replace('‸', &arn);
        assert!(validate(&def).is_ok(), "{arn}: {:?}", validate(&def));
    }
    let reader = labels(r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemReader": {"Resource": "‸"}}}}"#);
    assert_eq!(reader, ["arn:aws:states:::s3:getObject", "arn:aws:states:::s3:listObjectsV2"]);
}

#[test]
fn error_names_say_when_they_are_raised() {
    let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Retry": [{"ErrorEquals": ["‸"]}]}}}"#;
    let c = complete_at(text).unwrap();
    for name in aslplay::definition::schema::STATES_ERRORS {
        let o = c.options.iter().find(|o| o.label == *name).unwrap_or_else(|| panic!("{name}"));
        assert!(!o.detail.is_empty() && o.info.is_some(), "{name}");
    }
    assert!(option(text, "States.Timeout").detail.contains("TimeoutSeconds"));
    // A second element of the list.
    let second = labels(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Catch": [{"ErrorEquals": ["States.Timeout", ‸], "Next": "A"}]}}}"#,
    );
    assert!(has(&second, &["States.TaskFailed", "Lambda.ServiceException"]));
}

#[test]
fn intrinsics_context_paths_and_variables_in_jsonpath_strings() {
    let intrinsics = labels(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "States.‸"}, "End": true}}}"#,
    );
    assert_eq!(intrinsics.len(), 18);
    assert!(has(&intrinsics, &["States.Format", "States.UUID", "States.MathAdd", "States.ArrayGetItem"]));
    let chosen = choose(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "States.Fo‸"}, "End": true}}}"#,
        "States.Format",
    );
    assert!(chosen.contains(r#""x.$": "States.Format()""#), "{chosen}");
    let context =
        labels(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "$$.‸"}, "End": true}}}"#);
    assert!(has(&context, &["Execution", "State", "StateMachine", "Task", "Map"]));
    let execution = labels(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "$$.Execution.I‸"}, "End": true}}}"#,
    );
    assert!(has(&execution, &["Id", "Input", "Name", "StartTime", "RoleArn"]));
    let picked = choose(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "$$.Execution.I‸"}, "End": true}}}"#,
        "Input",
    );
    assert!(picked.contains(r#""$$.Execution.Input""#), "{picked}");
    // Variables assigned by the states that run before, not by later ones or this one.
    let vars = r#"{"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"total": 1, "who.$": "$.name"}, "Next": "B"},
        "B": {"Type": "Pass", "Parameters": {"x.$": "$‸"}, "Assign": {"mine": 2}, "Next": "C"},
        "C": {"Type": "Pass", "Assign": {"later": 3}, "End": true}}}"#;
    let got = labels(vars);
    assert!(has(&got, &["$total", "$who"]), "{got:?}");
    assert!(!has(&got, &["$later"]) && !has(&got, &["$mine"]));
    // Inside a branch, the variables assigned before the Parallel state.
    let branch = r#"{"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"outer": 1}, "Next": "P"},
        "P": {"Type": "Parallel", "End": true, "Branches": [{"StartAt": "X", "States": {
          "X": {"Type": "Pass", "Assign": {"inner": 1}, "Next": "Y"},
          "Y": {"Type": "Pass", "Parameters": {"v.$": "$‸"}, "End": true}}}]}}}"#;
    assert!(has(&labels(branch), &["$outer", "$inner"]));
    // In a loop, a state's own assignments come back to it.
    let looped = r#"{"StartAt": "Inc", "States": {
        "Inc": {"Type": "Pass", "Assign": {"n.$": "States.MathAdd($n, 1)"}, "Parameters": {"v.$": "$‸"}, "Next": "Again"},
        "Again": {"Type": "Choice", "Choices": [{"Variable": "$n", "NumericLessThan": 3, "Next": "Inc"}], "Default": "Done"},
        "Done": {"Type": "Succeed"}}}"#;
    assert!(has(&labels(looped), &["$n"]));
    // Inside a quoted argument of an intrinsic: nothing.
    assert!(labels(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "States.Format('$$.‸')"}, "End": true}}}"#).is_empty());
}

#[test]
fn jsonata_functions_states_fields_and_variables() {
    let funcs = labels(
        r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $‸ %}", "End": true}}}"#,
    );
    assert!(has(
        &funcs,
        &["$sum", "$string", "$map", "$partition", "$range", "$hash", "$random", "$uuid", "$parse", "$states"]
    ));
    let chosen = choose(
        r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $su‸ %}", "End": true}}}"#,
        "$sum",
    );
    assert!(chosen.contains(r#""{% $sum() %}""#), "{chosen}");
    let states = labels(
        r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $states.‸ %}", "End": true}}}"#,
    );
    assert_eq!(states, ["context", "errorOutput", "input", "result"]);
    let ctx = labels(
        r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $states.context.Execution.‸ %}", "End": true}}}"#,
    );
    assert!(has(&ctx, &["Id", "Input", "StartTime"]));
    let vars = r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"price": 3}, "Next": "B"},
        "B": {"Type": "Pass", "Output": "{% $count := 2; $pr‸ %}", "End": true}}}"#;
    assert!(has(&labels(vars), &["$price", "$count"]));
    // Not in a string literal of the expression, not outside {% %}, not in a JSONPath state.
    assert!(labels(
        r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% '$su‸' %}"}}}"#
    )
    .is_empty());
    assert!(labels(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "{% $su‸ %}"}}}"#).is_empty());
    // An empty string in a JSONata field offers an expression.
    let empty = option(
        r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "‸"}}}"#,
        "{% %}",
    );
    assert!(empty.snippet);
}

const DEFINITION: &str = r#"{"StartAt": "Charge", "States": {
  "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Fan"},
  "Fan": {"Type": "Parallel", "End": true, "Branches": [{"StartAt": "Notify", "States": {
    "Notify": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": true}}}]}}}"#;

fn mock_labels(marked: &str) -> Vec<String> {
    let (text, offset) = split(marked);
    language::complete(&req(Doc::Mock, &text, offset, DEFINITION))
        .map(|c| c.options.into_iter().map(|o| o.label).collect())
        .unwrap_or_default()
}

#[test]
fn mock_configuration_keys_task_names_and_responses() {
    assert!(has(&mock_labels("{‸}"), &["StateMachines", "MockedResponses", "S3Objects", "S3Buckets"]));
    assert_eq!(mock_labels(r#"{"StateMachines": {"M": {‸}}}"#), ["TestCases"]);
    // A test case maps the definition's Task states (nested ones too).
    let tc = r#"{"StateMachines": {"M": {"TestCases": {"Happy": {‸}}}}, "MockedResponses": {"Ok": {}, "Boom": {}}}"#;
    assert_eq!(mock_labels(tc), ["Charge", "Notify"]);
    let done =
        r#"{"StateMachines": {"M": {"TestCases": {"Happy": {"Charge": "Ok", ‸}}}}, "MockedResponses": {"Ok": {}}}"#;
    assert_eq!(mock_labels(done), ["Notify"]);
    // ... to the names of the responses defined.
    let value = r#"{"StateMachines": {"M": {"TestCases": {"Happy": {"Charge": "‸"}}}}, "MockedResponses": {"Ok": {}, "Boom": {}}}"#;
    assert_eq!(mock_labels(value), ["Ok", "Boom"]);
    assert!(has(
        &mock_labels(r#"{"MockedResponses": {"Ok": {"0": {‸}}}}"#),
        &["Return", "Throw", "Latency", "Submitted", "Silent"]
    ));
    assert_eq!(mock_labels(r#"{"MockedResponses": {"Ok": {"0": {"Throw": {‸}}}}}"#), ["Error", "Cause"]);
    assert!(has(
        &mock_labels(r#"{"MockedResponses": {"Ok": {"0": {"Throw": {"Error": "‸"}}}}}"#),
        &["States.TaskFailed", "Lambda.ServiceException"]
    ));
    assert!(has(&mock_labels(r#"{"MockedResponses": {"Ok": {‸}}}"#), &["0", "0-2"]));
    assert!(has(&mock_labels(r#"{"MockedResponses": {‸}}"#), &["Mocked response (Return)", "Mocked response (Throw)"]));
    assert!(has(&mock_labels(r#"{"S3Objects": [{‸}]}"#), &["Bucket", "Key", "Content", "LastModified"]));
    // A blank mock editor: a whole configuration.
    assert_eq!(mock_labels("‸"), ["Mock configuration"]);
}

fn hover_at(doc: Doc, marked: &str) -> Option<language::Hover> {
    let (text, offset) = split(marked);
    language::hover(&req(doc, &text, offset, ""))
}

fn title(marked: &str) -> String {
    hover_at(Doc::Definition, marked).map(|h| h.title).unwrap_or_default()
}

#[test]
fn hover_documents_every_kind() {
    let h = hover_at(Doc::Definition, r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Result‸Path": "$.x"}}}"#)
        .unwrap();
    assert_eq!(h.title, "ResultPath (Task state field)");
    assert!(h.text.contains("result") && h.link.is_some() && h.example.is_some());
    // The span is the key, in UTF-16 units.
    let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "ResultPath": "$.x"}}}"#;
    assert_eq!(&text[h.from..h.to], "\"ResultPath\"");
    // A qualified entry where the place has one.
    assert_eq!(
        title(r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Retry": [{"Max‸Attempts": 2}]}}}"#),
        "MaxAttempts (Retry field)"
    );
    assert_eq!(title(r#"{"StartAt": "A", "States": {"A": {"Type": "Pa‸ss"}}}"#), "Pass (state type)");
    assert_eq!(title(r#"{"StartAt": "A", "States": {"‸A": {"Type": "Wait"}}}"#), "A (Wait state)");
    let intrinsic = hover_at(
        Doc::Definition,
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "States.For‸mat('{}', $.a)"}}}}"#,
    )
    .unwrap();
    assert_eq!(intrinsic.title, "States.Format");
    assert!(intrinsic.signature.unwrap().starts_with("States.Format(template"));
    let f = hover_at(Doc::Definition, r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $su‸bstring($states.input.s, 1) %}"}}}"#).unwrap();
    assert_eq!(f.title, "$substring");
    assert!(f.signature.is_some());
    assert_eq!(
        title(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Retry": [{"ErrorEquals": ["States.Time‸out"]}]}}}"#
        ),
        "States.Timeout (error name)"
    );
    assert_eq!(
        title(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "$$.Execution.I‸d"}}}}"#),
        "$$.Execution.Id (context object)"
    );
    assert_eq!(
        title(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "$$.Exec‸ution.Id"}}}}"#),
        "$$.Execution (context object)"
    );
    assert_eq!(
        title(
            r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $states.in‸put %}"}}}"#
        ),
        "$states.input"
    );
    assert_eq!(
        title(
            r#"{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.a", "StringEquals‸Path": "$.b", "Next": "C"}]}}}"#
        ),
        "StringEqualsPath (Choice operator)"
    );
    assert_eq!(
        title(
            r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTR‸IBUTED"}}}}}"#
        ),
        "Mode: DISTRIBUTED"
    );
    assert!(title(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B‸"}, "B": {"Type": "Succeed"}}}"#)
        .contains("Succeed state"));
    // Variables say where they are assigned.
    let v = hover_at(Doc::Definition, r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"n": 1}, "Next": "B"}, "B": {"Type": "Pass", "Parameters": {"x.$": "$‸n"}, "End": true}}}"#).unwrap();
    assert!(v.text.contains("`A`"), "{}", v.text);
    // The mock editor's keys.
    assert_eq!(
        hover_at(Doc::Mock, r#"{"MockedResponses": {"R": {"0": {"Ret‸urn": {}}}}}"#).unwrap().title,
        "Return (mock configuration)"
    );
    // Nothing on punctuation or plain strings.
    assert!(hover_at(Doc::Definition, r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Comment": "hel‸lo"}}}"#)
        .is_none());
    assert!(hover_at(Doc::Definition, r#"{"StartAt": "A",‸ "States": {}}"#).is_none());
}

fn signature_at(marked: &str) -> Option<language::Signature> {
    let (text, offset) = split(marked);
    language::signature(&req(Doc::Definition, &text, offset, ""))
}

#[test]
fn signature_help_knows_the_parameter_being_typed() {
    let s = |call: &str| {
        signature_at(&format!(
            r#"{{"StartAt": "A", "States": {{"A": {{"Type": "Pass", "Parameters": {{"x.$": "{call}"}}}}}}}}"#
        ))
    };
    let first = s("States.Format(‸").unwrap();
    assert_eq!(first.label, "States.Format(template, value1, value2, ...)");
    assert_eq!(first.active, 0);
    assert_eq!(s("States.Format('{} and {}', $.a‸").unwrap().active, 1);
    // Extra values stay on the last (variadic) parameter; commas in strings do not count.
    assert_eq!(s("States.Format('a, b, {}', $.a, $.b, ‸").unwrap().active, first.parameters.len() - 1);
    assert_eq!(s("States.Format('a, b, {}'‸").unwrap().active, 0);
    // The innermost call.
    let inner = s("States.Format('{}', States.ArrayGetItem($.list, ‸)").unwrap();
    assert!(inner.label.starts_with("States.ArrayGetItem"));
    assert_eq!(inner.active, 1);
    assert!(s("States.Format('{}', $.a)‸").is_none());
    let j = signature_at(r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $substring($states.input.name, [1, 2], ‸) %}"}}}"#).unwrap();
    assert!(j.label.starts_with("$substring("));
    assert_eq!(j.active, 2);
    assert!(j.parameters[j.active].doc.is_some());
}

/// The diagnostics of a definition as the page sends them to the quick fixes.
fn diagnostics(text: &str) -> Vec<FixRequest> {
    validate(text)
        .diagnostics
        .iter()
        .map(|d| FixRequest { code: d.code.to_string(), message: d.message.clone(), location: d.location.clone() })
        .collect()
}

/// Applies the fix named `name` for the diagnostic whose message starts with `message`;
/// checks that the result is JSON, that the diagnostic is gone and that fewer errors remain.
fn fix(text: &str, message: &str, name: &str) -> String {
    let ds = diagnostics(text);
    let i = ds.iter().position(|d| d.message.starts_with(message)).unwrap_or_else(|| panic!("no {message}: {ds:?}"));
    let fixes = language::quick_fixes(Doc::Definition, text, &ds);
    assert_eq!(fixes.len(), ds.len());
    let f = fixes[i].iter().find(|f| f.name == name).unwrap_or_else(|| panic!("no fix {name}: {:?}", fixes[i]));
    let fixed = f.apply_to(text).unwrap();
    json::parse(&fixed).unwrap_or_else(|e| panic!("{name} made invalid JSON: {e}\n{fixed}"));
    let after = diagnostics(&fixed);
    assert!(after.iter().all(|d| d.message != ds[i].message), "{name} left {:?}", after);
    assert!(after.len() < ds.len(), "{name}: {} diagnostics before, {} after: {after:?}", ds.len(), after.len());
    fixed
}

#[test]
fn quick_fixes_repair_what_the_validator_reports() {
    // A misspelled transition target.
    let text = "{\"StartAt\": \"Charge\", \"States\": {\n  \"Charge\": {\"Type\": \"Pass\", \"Next\": \"ProcesOrder\"},\n  \"ProcessOrder\": {\"Type\": \"Succeed\"}}}";
    let fixed = fix(text, "Missing 'Next' target", "Change to \"ProcessOrder\"");
    assert!(validate(&fixed).is_ok());

    // Inside a branch: only that branch's names.
    let branch = r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [{"StartAt": "Frist", "States": {"First": {"Type": "Succeed"}}}]}, "Firsts": {"Type": "Succeed"}}}"#;
    let ds = diagnostics(branch);
    let fixes = language::quick_fixes(Doc::Definition, branch, &ds);
    let names: Vec<&str> = fixes.iter().flatten().map(|f| f.name.as_str()).collect();
    assert!(names.contains(&"Change to \"First\"") && !names.contains(&"Change to \"Firsts\""), "{names:?}");
    // A misspelled field: rename it or remove it.
    let text = "{\"StartAt\": \"A\", \"States\": {\n  \"A\": {\n    \"Type\": \"Pass\",\n    \"Nxt\": \"B\"\n  },\n  \"B\": {\"Type\": \"Succeed\"}\n}}";
    assert!(validate(&fix(text, "Field 'Nxt' is not supported", "Change to \"Next\"")).is_ok());
    let removed = fix(text, "Field 'Nxt' is not supported", "Remove \"Nxt\"");
    assert!(removed.contains("\"Type\": \"Pass\"\n  }"), "{removed}");
    // Removing a first member takes its comma along.
    let first = r#"{"StartAt": "A", "States": {"A": {"Foo": 1, "Type": "Succeed"}}}"#;
    assert_eq!(
        fix(first, "Field 'Foo'", "Remove \"Foo\""),
        r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#
    );
    // The missing End or Next.
    let open = "{\"StartAt\": \"A\", \"States\": {\n  \"A\": {\n    \"Type\": \"Pass\"\n  },\n  \"B\": {\"Type\": \"Succeed\"}\n}}";
    let ended = fix(open, "One of the fields 'Next' or 'End' is required", "Add \"End\": true");
    assert!(ended.contains("\"Type\": \"Pass\",\n    \"End\": true\n"), "{ended}");
    let next = fix(open, "One of the fields 'Next' or 'End' is required", "Add \"Next\": \"B\"");
    assert!(validate(&next).is_ok(), "{:?}", validate(&next));
    let both =
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B", "End": true}, "B": {"Type": "Succeed"}}}"#;
    assert!(validate(&fix(both, "Only one of the fields 'Next' and 'End'", "Remove \"End\"")).is_ok());
    // No terminal state at all.
    let endless =
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}}"#;
    let ds = diagnostics(endless);
    let fixes = language::quick_fixes(Doc::Definition, endless, &ds);
    let f = &fixes[0][0];
    assert!(validate(&f.apply_to(endless).unwrap()).is_ok());
    // Misspelled values: a state type, an enum value, an error name.
    assert!(validate(&fix(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Suceed"}}}"#,
        "The field 'Type'",
        "Change to \"Succeed\""
    ))
    .is_ok());
    let mode = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemProcessor": {"ProcessorConfig": {"Mode": "INLNE"}, "StartAt": "X", "States": {"X": {"Type": "Succeed"}}}}}}"#;
    assert!(validate(&fix(mode, "Value should be one of", "Change to \"INLINE\"")).is_ok());
    let error = r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Retry": [{"ErrorEquals": ["States.Timout"]}], "End": true}}}"#;
    assert!(validate(&fix(error, "'States.Timout' is not an error", "Change to \"States.Timeout\"")).is_ok());
    // A JSONPath field in a JSONata state.
    let lang = r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "End": true}}}"#;
    assert!(validate(&fix(lang, "The QueryLanguage is set to", "Change to \"Arguments\"")).is_ok());
    // One list per diagnostic, empty where there is no fix; broken text gives empty lists.
    let broken = "{\"StartAt\": ";
    let ds = diagnostics(broken);
    assert_eq!(language::quick_fixes(Doc::Definition, broken, &ds), vec![Vec::new(); ds.len()]);
}

#[test]
fn state_snippets_insert_valid_states() {
    for lang in ["JSONPath", "JSONata"] {
        let marked = format!(r#"{{"QueryLanguage": "{lang}", "StartAt": "Start", "States": {{‸}}}}"#);
        let c = complete_at(&marked).unwrap();
        let names: Vec<&str> = c.options.iter().map(|o| o.label.as_str()).collect();
        for want in [
            "Pass state",
            "Task state",
            "Task with Retry and Catch",
            "Choice state",
            "Wait state",
            "Succeed state",
            "Fail state",
            "Parallel with two branches",
            "Map (inline) with ItemProcessor",
            "Callback task (.waitForTaskToken)",
            "Distributed Map reading CSV from S3",
            "JSONata state",
        ] {
            assert!(names.contains(&want), "{lang}: no {want} in {names:?}");
        }
        for o in &c.options {
            assert!(o.snippet, "{}", o.label);
            let text = choose(&marked, &o.label);
            let v = json::parse(&text).unwrap_or_else(|e| panic!("{lang} {}: {e}\n{text}", o.label));
            let name = v.get("States").unwrap().as_object().unwrap().keys().next().unwrap().to_string();
            let text = text.replace("\"StartAt\": \"Start\"", &format!("\"StartAt\": \"{name}\""));
            // Valid but for the states the placeholders name (HandleError, WhenReady, ...).
            let problems: Vec<_> = validate(&text)
                .diagnostics
                .into_iter()
                .filter(|d| {
                    !(d.code == "MISSING_TRANSITION_TARGET" && d.message.starts_with("Missing 'Next' target")
                        || d.code == "MISSING_END_STATE" && o.label == "Choice state")
                })
                .collect();
            assert!(problems.is_empty(), "{lang} {}: {problems:?}\n{text}", o.label);
        }
    }
    // Between states: the commas that keep the JSON valid.
    let between = r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"} ‸ "B": {"Type": "Succeed"}}}"#;
    json::parse(&choose(between, "Wait state")).unwrap();
    let typed = "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Succeed\"},\n  Wa‸\n}}";
    json::parse(&choose(typed, "Wait state")).unwrap();
    // A blank definition: a whole machine.
    let whole = choose("‸", "State machine");
    assert!(validate(&whole).is_ok(), "{whole}");
}

#[test]
fn field_completions_insert_valid_members() {
    let cases = [
        (
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true, ‸}}}"#,
            "Retry",
        ),
        (
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true, ‸}}}"#,
            "Catch",
        ),
        (r#"{"StartAt": "A", "States": {"A": {‸ "Type": "Pass", "End": true}}}"#, "Comment"),
        (r#"{"StartAt": "A", "States": {"A": {"Type": "Pass" ‸}}}"#, "End"),
        (r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "En‸"}}}"#, "End"),
        (r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "En‸", "Comment": "x"}}}"#, "End"),
        (r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", En‸}}}"#, "End"),
        (r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Nxt‸": "A", "End": true}}}"#, "Comment"),
        (r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, ‸}}}"#, "ItemProcessor"),
        (
            r#"{"QueryLanguage": "JSONata", "StartAt": "C", "States": {"C": {"Type": "Choice", "Default": "C", ‸}}}"#,
            "Choices",
        ),
    ];
    for (marked, label) in cases {
        let text = choose(marked, label);
        json::parse(&text).unwrap_or_else(|e| panic!("{label} at {marked}: {e}\n{text}"));
    }
    // The typed word is replaced, inside its quotes.
    let c = complete_at(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Ne‸"}}}"#).unwrap();
    let (text, _) = split(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Ne‸"}}}"#);
    assert_eq!(&text[c.from..c.to], "Ne\"");
    assert_eq!(
        choose(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Ne‸"}}}"#, "Next"),
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": ""}}}"#
    );
    // Renaming a key keeps its value.
    assert_eq!(
        choose(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Nx‸t": "B"}}}"#, "Next"),
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}"#
    );
}

#[test]
fn offsets_are_utf16() {
    let marked = r#"{"StartAt": "Ünïcødé 😀", "States": {"Ünïcødé 😀": {"Type": "Pass", "Next": "‸"}, "Ünïcødé 2": {"Type": "Succeed"}}}"#;
    let (text, offset) = split(marked);
    let c = language::complete(&req(Doc::Definition, &text, offset, "")).unwrap();
    assert_eq!(c.from, offset);
    assert_eq!(c.options[0].label, "Ünïcødé 2");
    let h = language::hover(&req(Doc::Definition, &text, offset - 12, "")).unwrap();
    let units: Vec<u16> = text.encode_utf16().collect();
    assert_eq!(String::from_utf16(&units[h.from..h.to]).unwrap(), "\"Pass\"");
}

/// Every entry point at every offset of `text` (and past its end) answers without panicking.
fn everywhere(text: &str, definition: &str) {
    let units = text.encode_utf16().count();
    for offset in 0..=units + 2 {
        for doc in [Doc::Definition, Doc::Mock] {
            let r = Request { doc, text, offset, definition, explicit: offset % 2 == 0 };
            if let Some(c) = language::complete(&r) {
                assert!(c.from <= c.to && c.to <= units, "{offset} in {text:?}");
            }
            if let Some(h) = language::hover(&r) {
                assert!(h.from <= h.to && h.to <= units);
            }
            let _ = language::signature(&r);
        }
    }
}

#[test]
fn any_offset_of_broken_text_answers_or_not() {
    let samples = [
        "",
        "{",
        "}",
        "[",
        "\"",
        "{\"",
        "{\"StartAt\": \"",
        "{\"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"\\",
        "{\"a\": [1, 2, {\"b\": [}",
        "{,,,:::}",
        "StartAt: A\nStates:\n  A:\n    Type: Pass\n",
        "{\"QueryLanguage\": \"JSONata\", \"States\": {\"A\": {\"Output\": \"{% $sum( %}\"}}}",
        "{\"States\": {\"A\": {\"Parameters\": {\"x.$\": \"States.Format('{}', States.Array(\"}}}}",
        "{\"States\": {\"A\": {\"Parameters\": {\"x.$\": \"$$.Map.Item.\"}}}}",
        "{\"StateMachines\": {\"M\": {\"TestCases\": {\"T\": {\"\": \"\"}}}}, \"MockedResponses\": {\"R\": {\"0\": {\"Throw\": {",
        "{\"é\": \"😀\", \"😀\": {\"Type\": \"Ü\"}}",
        "{{{{[[[[\"\"\"\"]]]]}}}}",
        "{\"StartAt\" \"A\" \"States\" {\"A\" {\"Type\" \"Pass\"}}}",
    ];
    for s in samples {
        everywhere(s, DEFINITION);
    }
    // Every prefix of real definitions, at a few offsets each.
    for source in [MACHINE, NESTED, DEFINITION] {
        let source = source.replace('‸', "");
        for cut in (0..source.len()).filter(|&i| source.is_char_boundary(i)) {
            let prefix = &source[..cut];
            let units = prefix.encode_utf16().count();
            for offset in [0, units / 2, units.saturating_sub(1), units] {
                let r = req(Doc::Definition, prefix, offset, "");
                let _ = (language::complete(&r), language::hover(&r), language::signature(&r));
            }
            let _ = language::quick_fixes(Doc::Definition, prefix, &diagnostics(prefix));
        }
    }
    // Deep nesting does not overflow the stack.
    let deep = format!("{}{}", "{\"a\": [".repeat(5_000), "‸");
    let _ = complete_at(&deep);
    let _ = labels(&format!("{}‸", "[".repeat(200_000)));
}

/// The labels offered inside `{% %}` of a JSONata Pass state after typing `typed`.
fn jsonata_labels(typed: &str) -> Vec<String> {
    labels(&format!(
        r#"{{"QueryLanguage": "JSONata", "StartAt": "A", "States": {{"A": {{"Type": "Pass", "Output": "{{% {typed}‸ %}}", "End": true}}}}}}"#
    ))
}

#[test]
fn every_jsonata_function_the_engine_has_is_offered_and_documented() {
    let offered = jsonata_labels("$");
    let mut engine: Vec<String> = aslplay::jsonata::builtin_function_names().map(|n| format!("${n}")).collect();
    engine.extend(["$partition", "$range", "$hash", "$random", "$uuid", "$parse"].map(String::from));
    for name in &engine {
        assert!(offered.contains(name), "{name} is not offered");
    }
    // And nothing is offered that the engine does not have.
    let mut env = aslplay::jsonata::Environment::new();
    env.add_step_functions(std::rc::Rc::new(std::cell::RefCell::new(aslplay::query::SeededRandom(1))));
    for name in offered.iter().filter(|n| *n != "$states") {
        let e = aslplay::jsonata::Expression::parse(&format!("$type({name})")).unwrap();
        let t = e.evaluate(None, &env).unwrap();
        assert_eq!(t.and_then(|v| v.as_str().map(str::to_string)).as_deref(), Some("function"), "{name}");
    }
}

/// Every path of `v` below `prefix` (`$$.Execution.Id`, ...).
fn paths(prefix: &str, v: &aslplay::Value, out: &mut Vec<String>) {
    if let Some(o) = v.as_object() {
        for (k, child) in o.iter() {
            let p = format!("{prefix}.{k}");
            out.push(p.clone());
            if p != "$$.Execution.Input" && p != "$$.Map.Item.Value" {
                paths(&p, child, out);
            }
        }
    }
}

#[test]
fn every_context_field_the_engine_sets_is_offered() {
    use aslplay::{Definition, Execution, Options};
    // $$ in a state, in a Map item's selector and in a callback task's parameters.
    let def = r#"{"StartAt": "P", "States": {
        "P": {"Type": "Pass", "Parameters": {"c.$": "$$"}, "ResultPath": "$.p", "Next": "M"},
        "M": {"Type": "Map", "ItemsPath": "$.items", "ItemSelector": {"c.$": "$$"}, "ResultPath": "$.m", "Next": "T",
              "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}},
        "T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
              "Parameters": {"QueueUrl": "q", "MessageBody": {"c.$": "$$"}}, "ResultPath": null, "End": true}}}"#;
    let def = std::rc::Rc::new(Definition::from_text(def).unwrap());
    let mut exec = Execution::start(def, json::parse(r#"{"items": [1]}"#).unwrap(), Options::default());
    exec.run();
    let mut found = Vec::new();
    for e in exec.history() {
        let v = e.to_value();
        // Every JSON text in the history that holds a captured context.
        fn walk(v: &aslplay::Value, out: &mut Vec<String>) {
            match v {
                aslplay::Value::String(s) if s.contains("\"Execution\"") => {
                    if let Ok(parsed) = json::parse(s) {
                        walk(&parsed, out);
                    }
                }
                aslplay::Value::Object(o) => {
                    if let Some(c) = o.get("c") {
                        if c.get("Execution").is_some() {
                            paths("$$", c, out);
                        }
                    }
                    for (_, child) in o.iter() {
                        walk(child, out);
                    }
                }
                aslplay::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
                _ => {}
            }
        }
        walk(&v, &mut found);
    }
    found.sort();
    found.dedup();
    for want in ["$$.Execution.Id", "$$.State.Name", "$$.StateMachine.Id", "$$.Map.Item.Index", "$$.Task.Token"] {
        assert!(found.iter().any(|f| f == want), "the test did not capture {want}: {found:?}");
    }
    for path in &found {
        let (parent, last) = path.rsplit_once('.').unwrap();
        let marked = format!(
            r#"{{"StartAt": "A", "States": {{"A": {{"Type": "Pass", "Parameters": {{"x.$": "{parent}.‸"}}}}}}}}"#
        );
        assert!(labels(&marked).iter().any(|l| l == last), "{path} is not offered after {parent}.");
        let jsonata = path.replacen("$$", "$states.context", 1);
        let (parent, _) = jsonata.rsplit_once('.').unwrap();
        assert!(jsonata_labels(&format!("{parent}.")).iter().any(|l| l == last), "{jsonata} is not offered");
    }
}

#[test]
fn distributed_map_values_offered_are_the_ones_the_engine_reads() {
    use aslplay::definition::schema::{self, Object};
    use aslplay::distributed::{ReaderConfig, ReaderResource, WriterConfig};
    let reader = labels(r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemReader": {"Resource": "‸"}}}}"#);
    for arn in &reader {
        assert!(ReaderResource::parse(arn).is_some(), "{arn}");
    }
    let writer = labels(r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ResultWriter": {"Resource": "‸"}}}}"#);
    assert_eq!(writer, ["arn:aws:states:::s3:putObject"]);
    for field in Object::ReaderConfig.fields().of(schema::Lang::JsonPath) {
        for v in Object::ReaderConfig.enum_values(field).unwrap_or_default() {
            let config = json::parse(&format!(r#"{{"{field}": "{v}"}}"#)).unwrap();
            assert!(ReaderConfig::from_value(&config, None).is_ok(), "ReaderConfig {field}: {v}");
        }
    }
    for field in Object::WriterConfig.fields().of(schema::Lang::JsonPath) {
        for v in Object::WriterConfig.enum_values(field).unwrap_or_default() {
            let config = json::parse(&format!(r#"{{"{field}": "{v}"}}"#)).unwrap();
            assert!(WriterConfig::from_value(&config).is_ok(), "WriterConfig {field}: {v}");
        }
    }
}
