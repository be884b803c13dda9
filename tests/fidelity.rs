//! Points of fidelity to AWS Step Functions, each from its documented behaviour: workflow
//! variables and the context object in every `...Path` field, history details AWS leaves out
//! when empty, and the error output of states that retry and then catch.

use aslplay::{json, Definition, Execution, Options, Status, Value};
use std::rc::Rc;

fn run(text: &str, input: &str) -> Execution {
    let def = Rc::new(Definition::from_text(text).unwrap_or_else(|v| panic!("{}", v.to_value())));
    let mut e = Execution::start(def, json::parse(input).unwrap(), Options::default());
    e.run();
    e
}

fn output(e: &Execution) -> String {
    e.output().map(|v| v.to_string()).unwrap_or_else(|| format!("{:?}: {:?}", e.error(), e.cause()))
}

/// The `details` object of every event, as `GetExecutionHistory` prints it.
fn details(e: &Execution) -> Vec<Value> {
    e.history().iter().map(|ev| ev.details_value()).collect()
}

#[test]
fn an_empty_assign_leaves_assigned_variables_out_of_the_history() {
    for ql in ["JSONPath", "JSONata"] {
        let e = run(
            &format!(
                r#"{{"QueryLanguage": "{ql}", "StartAt": "A", "States": {{
                "A": {{"Type": "Pass", "Assign": {{}}, "Next": "B"}},
                "B": {{"Type": "Pass", "Assign": {{"x": 1}}, "End": true}}}}}}"#
            ),
            "{}",
        );
        assert_eq!(e.status(), Status::Succeeded);
        let exits: Vec<Value> =
            details(&e).into_iter().filter(|d| d.get("name").is_some() && d.get("output").is_some()).collect();
        assert_eq!(exits.len(), 2, "{ql}");
        assert!(exits[0].get("assignedVariables").is_none(), "{ql}: {}", exits[0]);
        assert!(exits[0].get("assignedVariablesDetails").is_none(), "{ql}: {}", exits[0]);
        assert_eq!(exits[1].get("assignedVariables").map(Value::to_string).as_deref(), Some(r#"{"x":"1"}"#));
    }
}

#[test]
fn map_path_fields_read_variables_and_the_context_object() {
    // A variable holding a number as a string is read as AWS reads ToleratedFailureCountPath.
    let e = run(
        r#"{"StartAt": "Init", "States": {
          "Init": {"Type": "Pass", "Assign": {"max": "2", "items": [1, 2, 3]}, "Next": "M"},
          "M": {"Type": "Map", "ItemsPath": "$items", "MaxConcurrencyPath": "$max",
                "ToleratedFailureCountPath": "$$.Execution.Input.tolerated",
                "ToleratedFailurePercentagePath": "$$.Execution.Input.percent",
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}"#,
        r#"{"tolerated": "1", "percent": "12.5"}"#,
    );
    assert_eq!(output(&e), "[1,2,3]");
    let e = run(
        r#"{"StartAt": "M", "States": {
          "M": {"Type": "Map", "ItemsPath": "$$.Execution.Input.list", "MaxConcurrencyPath": "$$.Execution.Input.max",
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}"#,
        r#"{"list": ["a"], "max": 1}"#,
    );
    assert_eq!(output(&e), r#"["a"]"#);
    // What is not an integer is still refused, with AWS's message.
    let e = run(
        r#"{"StartAt": "Init", "States": {
          "Init": {"Type": "Pass", "Assign": {"max": "two"}, "Next": "M"},
          "M": {"Type": "Map", "MaxConcurrencyPath": "$max",
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}"#,
        "[1]",
    );
    assert_eq!(e.error(), Some("States.Runtime"));
    assert!(e
        .cause()
        .unwrap()
        .ends_with(r#"The MaxConcurrencyPath field refers to value "two" which is not a valid integer: $max"#));
}

#[test]
fn a_catchers_assign_reads_the_context_object() {
    let e = run(
        r#"{"StartAt": "P", "States": {
          "P": {"Type": "Parallel", "Branches": [{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "c"}}}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"state.$": "$$.State.Name", "error.$": "$.Error"}, "Next": "Done"}],
                "End": true},
          "Done": {"Type": "Pass", "Parameters": {"state.$": "$state", "error.$": "$error"}, "End": true}}}"#,
        "{}",
    );
    assert_eq!(output(&e), r#"{"state":"P","error":"E"}"#);
}
