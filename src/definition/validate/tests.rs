//! Unit tests of the validation rules, each on a small definition.

use super::*;

fn check(text: &str) -> Vec<Diagnostic> {
    validate(&json::parse(text).expect("test definition is JSON"))
}

fn check_express(text: &str) -> Vec<Diagnostic> {
    validate_with(&json::parse(text).expect("test definition is JSON"), &Options { machine_type: MachineType::Express })
}

/// (code, message, location) of every diagnostic.
fn triples(found: &[Diagnostic]) -> Vec<(&str, &str, &str)> {
    found.iter().map(|d| (d.code, d.message.as_str(), d.location.as_str())).collect()
}

/// The only diagnostic, as (code, message, location).
fn only(text: &str) -> (String, String, String) {
    let found = check(text);
    assert_eq!(found.len(), 1, "expected one diagnostic, got {found:#?}");
    let d = &found[0];
    (d.code.to_string(), d.message.clone(), d.location.clone())
}

fn assert_only(text: &str, code: &str, message: &str, location: &str) {
    assert_eq!(only(text), (code.to_string(), message.to_string(), location.to_string()));
}

/// A machine whose only state is `state` (named S), in JSONPath.
fn one_state(state: &str) -> String {
    format!(r#"{{"StartAt": "S", "States": {{"S": {state}}}}}"#)
}

/// The same in a JSONata machine.
fn one_jsonata_state(state: &str) -> String {
    format!(r#"{{"QueryLanguage": "JSONata", "StartAt": "S", "States": {{"S": {state}}}}}"#)
}

fn errors(found: &[Diagnostic]) -> Vec<&Diagnostic> {
    found.iter().filter(|d| d.is_error()).collect()
}

// ---- the definition object ----

#[test]
fn a_minimal_machine_is_valid() {
    assert!(check(&one_state(r#"{"Type": "Pass", "End": true}"#)).is_empty());
}

#[test]
fn required_top_level_fields_are_listed_states_first() {
    assert_only("{}", SCHEMA, "These fields are required: [States, StartAt]", "/");
    assert_only(
        r#"{"States": {"A": {"Type": "Pass", "End": true}}}"#,
        SCHEMA,
        "These fields are required: [StartAt]",
        "/",
    );
}

#[test]
fn a_definition_that_is_not_an_object_has_no_location() {
    for text in ["[]", "5", "\"x\"", "null", "true"] {
        assert_only(text, SCHEMA, "Definition must be a valid JSON object", "");
    }
}

#[test]
fn unknown_top_level_fields_are_not_supported() {
    assert_only(
        r#"{"StartAt": "S", "States": {"S": {"Type": "Succeed"}}, "Coment": "x"}"#,
        SCHEMA,
        "Field 'Coment' is not supported",
        "/",
    );
}

#[test]
fn top_level_field_types_and_ranges() {
    assert_only(
        r#"{"StartAt": "S", "TimeoutSeconds": 0, "States": {"S": {"Type": "Succeed"}}}"#,
        SCHEMA,
        "Minimum value is 1",
        "/TimeoutSeconds",
    );
    assert_only(
        r#"{"StartAt": "S", "Version": 1, "States": {"S": {"Type": "Succeed"}}}"#,
        SCHEMA,
        "Expected value of type [STRING]",
        "/Version",
    );
}

#[test]
fn states_must_be_a_non_empty_object() {
    let found = check(r#"{"StartAt": "S", "States": []}"#);
    assert_eq!(triples(&found), vec![(SCHEMA, "Expected value of type [OBJECT]", "/States")]);
    let found = check(r#"{"StartAt": "S", "States": {}}"#);
    assert_eq!(found[0].message, "Value cannot be empty");
}

// ---- the graph ----

#[test]
fn missing_targets_are_reported_where_they_are_named() {
    let found =
        check(r#"{"StartAt": "S", "States": {"S": {"Type": "Pass", "Next": "Nope"}, "Z": {"Type": "Succeed"}}}"#);
    assert_eq!(
        triples(&found),
        vec![
            (MISSING_TARGET, "Missing 'Next' target: Nope", "/States/S/Next"),
            (MISSING_TARGET, "State \"Z\" is not reachable.", "/States/Z"),
        ]
    );
    let found = check(
        r#"{"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "Ghost"}], "Default": "Gone"},
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Lost"}]},
            "Z": {"Type": "Succeed"}}}"#,
    );
    let targets: Vec<_> = triples(&found).into_iter().filter(|t| t.0 == MISSING_TARGET).collect();
    assert_eq!(
        targets,
        vec![
            (MISSING_TARGET, "Missing 'Next' target: Ghost", "/States/C/Choices[0]/Next"),
            (MISSING_TARGET, "Missing 'Next' target: Gone", "/States/C/Default"),
            (MISSING_TARGET, "Missing 'Next' target: Lost", "/States/T/Catch[0]/Next"),
            (MISSING_TARGET, "State \"T\" is not reachable.", "/States/T"),
            (MISSING_TARGET, "State \"Z\" is not reachable.", "/States/Z"),
        ]
    );
}

#[test]
fn a_loop_without_terminal_state_is_missing_an_end_and_hides_unreachable_states() {
    let found = check(
        r#"{"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"},
            "Unused": {"Type": "Pass", "Next": "A"}}}"#,
    );
    assert_eq!(triples(&found), vec![(MISSING_END, "Workflow has no terminal state", "")]);
    let found = check(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "NOPE"}}}"#);
    assert_eq!(
        triples(&found),
        vec![
            (MISSING_TARGET, "Missing 'Next' target: NOPE", "/States/A/Next"),
            (MISSING_END, "Workflow has no terminal state", "")
        ]
    );
}

#[test]
fn an_unreachable_terminal_state_is_reported_as_unreachable() {
    assert_only(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"},
            "C": {"Type": "Pass", "End": true}}}"#,
        MISSING_TARGET,
        "State \"C\" is not reachable.",
        "/States/C",
    );
}

#[test]
fn nested_machines_have_their_own_graph() {
    assert_only(
        r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "W", "States": {"W": {"Type": "Pass", "End": true}, "Ghost": {"Type": "Pass", "End": true}}}]}}}"#,
        MISSING_TARGET,
        "State \"Ghost\" is not reachable.",
        "/States/P/Branches[0]/States/Ghost",
    );
    // A loop inside a processor needs no terminal state.
    assert!(check(
        r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}}}}}"#
    )
    .is_empty());
    // A transition may not leave its branch.
    let found = check(
        r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "Next": "Out", "Branches": [
            {"StartAt": "In", "States": {"In": {"Type": "Pass", "Next": "Out"}}}]}, "Out": {"Type": "Succeed"}}}"#,
    );
    assert_eq!(
        triples(&found),
        vec![(MISSING_TARGET, "Missing 'Next' target: Out", "/States/P/Branches[0]/States/In/Next")]
    );
}

#[test]
fn a_dangling_start_leaves_every_state_unreachable() {
    let found = check(
        r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "Nope", "States": {
            "A": {"Type": "Pass", "End": true}}}}}}"#,
    );
    assert_eq!(
        triples(&found),
        vec![
            (MISSING_TARGET, "Missing 'Next' target: Nope", "/States/M/ItemProcessor/StartAt"),
            (MISSING_TARGET, "State \"A\" is not reachable.", "/States/M/ItemProcessor/States/A"),
        ]
    );
}

#[test]
fn state_names_are_unique_across_the_whole_machine() {
    let found = check(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}]}}}"#,
    );
    assert_eq!(triples(&found), vec![(DUPLICATE_STATE, "Duplicate State name: A", "/States/A/Branches[0]/States/A")]);
}

#[test]
fn state_names_are_at_most_80_characters() {
    let name = "n".repeat(81);
    let found = check(&format!(r#"{{"StartAt": "{name}", "States": {{"{name}": {{"Type": "Succeed"}}}}}}"#));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, INVALID_STATE_NAME);
    let name = "n".repeat(80);
    assert!(check(&format!(r#"{{"StartAt": "{name}", "States": {{"{name}": {{"Type": "Succeed"}}}}}}"#)).is_empty());
}

// ---- states: type, fields, languages ----

#[test]
fn the_type_must_be_one_of_the_eight() {
    assert_only(
        &one_state(r#"{"Type": "Nope", "End": true}"#),
        SCHEMA,
        "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]",
        "/States/S/Type",
    );
    assert_only(&one_state(r#"{"End": true}"#), SCHEMA, "These fields are required: [Type]", "/States/S");
}

#[test]
fn fields_of_other_state_types_are_not_supported() {
    for (state, field) in [
        (
            r#"{"Type": "Map", "TimeoutSeconds": 5, "End": true, "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}"#,
            "TimeoutSeconds",
        ),
        (
            r#"{"Type": "Parallel", "TimeoutSeconds": 5, "End": true, "Branches": [{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}]}"#,
            "TimeoutSeconds",
        ),
        (r#"{"Type": "Pass", "End": true, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "S"}]}"#, "Catch"),
        (r#"{"Type": "Wait", "Seconds": 1, "End": true, "Retry": [{"ErrorEquals": ["States.ALL"]}]}"#, "Retry"),
        (r#"{"Type": "Choice", "End": true, "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "S"}]}"#, "End"),
        (r#"{"Type": "Fail", "InputPath": "$"}"#, "InputPath"),
    ] {
        let found = check(&one_state(state));
        assert!(
            triples(&found).contains(&(SCHEMA, &format!("Field '{field}' is not supported"), "/States/S")),
            "{state}: {found:#?}"
        );
    }
}

#[test]
fn fields_of_the_other_query_language_are_reported_at_the_state() {
    let found = check(&one_jsonata_state(
        r#"{"Type": "Pass", "InputPath": "$.a", "OutputPath": "$.b", "ResultPath": "$.c", "End": true}"#,
    ));
    let messages: Vec<_> = found.iter().map(|d| (d.message.as_str(), d.location.as_str())).collect();
    let expected: Vec<(String, &str)> = ["InputPath", "OutputPath", "ResultPath"]
        .iter()
        .map(|f| (format!("The QueryLanguage is set to 'JSONata', but field '{f}' is only supported for the 'JSONPath' QueryLanguage"), "/States/S"))
        .collect();
    assert_eq!(messages, expected.iter().map(|(m, l)| (m.as_str(), *l)).collect::<Vec<_>>());
    assert_only(
        &one_state(r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"a": 1}, "End": true}"#),
        SCHEMA,
        "The QueryLanguage is set to 'JSONPath', but field 'Arguments' is only supported for the 'JSONata' QueryLanguage",
        "/States/S",
    );
}

#[test]
fn a_state_may_not_go_back_to_jsonpath_in_a_jsonata_machine() {
    assert_only(
        &one_jsonata_state(r#"{"Type": "Pass", "QueryLanguage": "JSONPath", "Output": {"v": "{% 1 %}"}, "End": true}"#),
        SCHEMA,
        "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
        "/States/S",
    );
    // A JSONata state in a JSONPath machine is fine.
    assert!(check(&one_state(
        r#"{"Type": "Pass", "QueryLanguage": "JSONata", "Output": {"v": "{% 1 %}"}, "End": true}"#
    ))
    .is_empty());
}

#[test]
fn query_language_values_outside_the_enum_resolve_to_jsonata() {
    let found = check(&one_state(
        r#"{"Type": "Pass", "QueryLanguage": "jsonata", "Output": {"v": "{% 1 %}"}, "InputPath": "$.a", "End": true}"#,
    ));
    assert_eq!(
        triples(&found),
        vec![
            (SCHEMA, "The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for the 'JSONPath' QueryLanguage", "/States/S"),
            (SCHEMA, "Value should be one of the following: [JSONPath, JSONata]", "/States/S/QueryLanguage"),
        ]
    );
    assert_only(
        r#"{"QueryLanguage": 5, "StartAt": "S", "States": {"S": {"Type": "Pass", "End": true}}}"#,
        SCHEMA,
        "Expected value of type [STRING]",
        "/QueryLanguage",
    );
}

#[test]
fn a_map_or_parallel_language_does_not_reach_its_inner_states() {
    assert_only(
        r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "QueryLanguage": "JSONata", "End": true,
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Output": {"d": "{% 1 %}"}, "End": true}}}}}}"#,
        SCHEMA,
        "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage",
        "/States/M/ItemProcessor/States/P",
    );
    assert_only(
        r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
            "Iterator": {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}"#,
        SCHEMA,
        "Field 'QueryLanguage' is not supported",
        "/States/M/Iterator",
    );
}

#[test]
fn next_and_end_are_exclusive_and_one_is_required() {
    let (code, _, location) = only(&one_state(r#"{"Type": "Pass", "End": true, "Next": "S"}"#));
    assert_eq!((code.as_str(), location.as_str()), (SCHEMA, "/States/S"));
    let found = check(&one_state(r#"{"Type": "Pass"}"#));
    assert!(triples(&found).contains(&(SCHEMA, "One of the fields 'Next' or 'End' is required", "/States/S")));
    let found = check(&one_state(r#"{"Type": "Pass", "End": "yes"}"#));
    assert!(triples(&found).contains(&(SCHEMA, "Expected value of type [BOOLEAN]", "/States/S/End")));
}

#[test]
fn mutually_exclusive_fields() {
    for (state, first) in [
        (r#"{"Type": "Wait", "Seconds": 1, "SecondsPath": "$.s", "End": true}"#, "Seconds"),
        (r#"{"Type": "Fail", "Error": "E", "ErrorPath": "$.e"}"#, "Error"),
        (
            r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 5, "TimeoutSecondsPath": "$.t", "End": true}"#,
            "TimeoutSeconds",
        ),
        (
            r#"{"Type": "Map", "MaxConcurrency": 2, "MaxConcurrencyPath": "$.m", "End": true, "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}"#,
            "MaxConcurrency",
        ),
        (
            r#"{"Type": "Map", "End": true, "Iterator": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "ItemProcessor": {"StartAt": "Q", "States": {"Q": {"Type": "Pass", "End": true}}}}"#,
            "ItemProcessor",
        ),
    ] {
        let found = errors(&check(&one_state(state))).into_iter().map(|d| d.location.clone()).collect::<Vec<_>>();
        assert_eq!(found, vec![format!("/States/S/{first}")], "{state}");
    }
    let found = check(&one_state(r#"{"Type": "Wait", "End": true}"#));
    assert_eq!(found.len(), 1);
}

#[test]
fn maxima_aws_does_not_document_only_warn() {
    for (text, location) in [
        (
            r#"{"StartAt": "S", "TimeoutSeconds": 100000000, "States": {"S": {"Type": "Pass", "End": true}}}"#,
            "/TimeoutSeconds",
        ),
        (
            &*one_state(
                r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 100000000, "End": true}"#,
            ),
            "/States/S/TimeoutSeconds",
        ),
    ] {
        let found = check(text);
        assert_eq!(
            triples(&found).iter().map(|t| (t.0, t.2)).collect::<Vec<_>>(),
            vec![(UNCONFIRMED_MAXIMUM, location)]
        );
        assert!(errors(&found).is_empty());
    }
    // A documented maximum stays an error (Wait: "from 0 to 99999999").
    assert_only(
        &one_state(r#"{"Type": "Wait", "Seconds": 100000000, "End": true}"#),
        SCHEMA,
        "Maximum value is 99999999",
        "/States/S/Seconds",
    );
}

#[test]
fn a_field_given_with_and_without_dollar_is_warned_about() {
    let found = check(&one_state(r#"{"Type": "Pass", "Parameters": {"a": 1, "a.$": "$.x"}, "End": true}"#));
    assert_eq!(
        triples(&found),
        vec![(
            DUPLICATE_FIELD,
            "The field 'a' is given twice (with and without '.$'); the later one is used",
            "/States/S/Parameters"
        )]
    );
}

#[test]
fn value_ranges() {
    for (state, location, message) in [
        (
            r#"{"Type": "Map", "MaxConcurrency": -1, "End": true, "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}"#,
            "/States/S/MaxConcurrency",
            "Minimum value is 0",
        ),
        (
            r#"{"Type": "Map", "ToleratedFailurePercentage": 101, "End": true, "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}"#,
            "/States/S/ToleratedFailurePercentage",
            "Maximum value is 100.0",
        ),
        (
            r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 0, "End": true}"#,
            "/States/S/TimeoutSeconds",
            "Minimum value is 1",
        ),
        (
            r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "HeartbeatSeconds": 1.5, "End": true}"#,
            "/States/S/HeartbeatSeconds",
            "Expected value of type [INTEGER]",
        ),
        (r#"{"Type": "Wait", "Seconds": -1, "End": true}"#, "/States/S/Seconds", "Minimum value is 0"),
        (
            r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true, "Retry": [{"ErrorEquals": ["E"], "BackoffRate": 0.5}]}"#,
            "/States/S/Retry[0]/BackoffRate",
            "Minimum value is 1.0",
        ),
        (
            r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true, "Retry": [{"ErrorEquals": ["E"], "MaxAttempts": -1}]}"#,
            "/States/S/Retry[0]/MaxAttempts",
            "Minimum value is 0",
        ),
        (
            r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true, "Retry": [{"ErrorEquals": ["E"], "IntervalSeconds": 0}]}"#,
            "/States/S/Retry[0]/IntervalSeconds",
            "Minimum value is 1",
        ),
        (
            r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true, "Retry": [{"ErrorEquals": ["E"], "JitterStrategy": "SOME"}]}"#,
            "/States/S/Retry[0]/JitterStrategy",
            "Value should be one of the following: [FULL, NONE]",
        ),
        (
            r#"{"Type": "Map", "End": true, "ItemProcessor": {"ProcessorConfig": {"Mode": "PARALLEL"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}"#,
            "/States/S/ItemProcessor/ProcessorConfig/Mode",
            "Value should be one of the following: [INLINE, DISTRIBUTED]",
        ),
    ] {
        assert_only(&one_state(state), SCHEMA, message, location);
    }
    let found = check(&one_state(
        r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 5, "HeartbeatSeconds": 5, "End": true}"#,
    ));
    assert_eq!(found[0].location, "/States/S/HeartbeatSeconds");
}

#[test]
fn jsonata_states_take_expressions_for_numbers() {
    assert!(
        check(&one_jsonata_state(r#"{"Type": "Wait", "Seconds": "{% $states.input.s %}", "End": true}"#)).is_empty()
    );
    assert!(check(&one_jsonata_state(
        r#"{"Type": "Map", "Items": "{% [1] %}", "MaxConcurrency": "{% 2 %}", "End": true, "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}"#
    ))
    .is_empty());
    assert_only(
        &one_state(r#"{"Type": "Wait", "Seconds": "{% 1 %}", "End": true}"#),
        SCHEMA,
        "Expected value of type [INTEGER]",
        "/States/S/Seconds",
    );
}

// ---- Retry and Catch ----

#[test]
fn states_all_must_be_alone_and_last() {
    let found = check(&one_state(
        r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
            "Retry": [{"ErrorEquals": ["States.ALL", "E"]}, {"ErrorEquals": ["E"]}]}"#,
    ));
    let locations: Vec<_> = found.iter().map(|d| d.location.as_str()).collect();
    assert_eq!(locations, vec!["/States/S/Retry[0]/ErrorEquals[0]", "/States/S/Retry[0]/ErrorEquals[0]"]);
    assert!(check(&one_state(
        r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
            "Retry": [{"ErrorEquals": ["E"]}, {"ErrorEquals": ["States.ALL"]}]}"#
    ))
    .is_empty());
}

#[test]
fn custom_states_errors_are_warned_about_not_refused() {
    // AWS's samples catch `States.QuorumMet`, raised by a Fail state: AWS accepts both.
    let found = check(
        r#"{"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "End": true,
                  "Branches": [{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "States.QuorumMet"}}}],
                  "Catch": [{"ErrorEquals": ["States.QuorumMet"], "Next": "Done"}]},
            "Done": {"Type": "Succeed"}}}"#,
    );
    assert!(errors(&found).is_empty(), "{found:#?}");
    assert_eq!(
        found.iter().map(|d| (d.code, d.location.as_str())).collect::<Vec<_>>(),
        vec![
            (RESERVED_ERROR_NAME, "/States/P/Branches[0]/States/F/Error"),
            (RESERVED_ERROR_NAME, "/States/P/Catch[0]/ErrorEquals[0]")
        ]
    );
    assert!(check(&one_state(
        r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true, "Retry": [{"ErrorEquals": ["States.Timeout", "State.ALL", "Custom", "States.Http.StatusCode.429", "States.Http.Socket"]}]}"#
    ))
    .is_empty());
}

#[test]
fn catchers_need_errors_and_next() {
    let found = check(&one_state(
        r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true, "Catch": [{"ResultPath": "$$.x"}]}"#,
    ));
    assert_eq!(
        triples(&found),
        vec![
            (SCHEMA, "These fields are required: [ErrorEquals, Next]", "/States/S/Catch[0]"),
            (
                SCHEMA,
                "The value for the field 'ResultPath' must be a valid Reference Path into the state input",
                "/States/S/Catch[0]/ResultPath"
            ),
        ]
    );
}

// ---- Choice ----

#[test]
fn top_level_choice_rules_need_next() {
    let found = check(
        r#"{"StartAt": "C", "States": {"C": {"Type": "Choice", "Default": "Z",
            "Choices": [{"Variable": "$", "StringMatches": "Test"}]}, "Z": {"Type": "Succeed"}}}"#,
    );
    assert_eq!(triples(&found), vec![(SCHEMA, "These fields are required: [Next]", "/States/C/Choices[0]")]);
}

#[test]
fn choice_rules_have_one_operator_on_a_variable() {
    let machine = |rule: &str| {
        format!(
            r#"{{"StartAt": "C", "States": {{"C": {{"Type": "Choice", "Choices": [{rule}], "Default": "Z"}}, "Z": {{"Type": "Succeed"}}}}}}"#
        )
    };
    for (rule, location, message) in [
        (
            r#"{"Variable": "$.x", "Next": "Z"}"#,
            "/States/C/Choices[0]",
            "A Choice Rule must have exactly one comparison operator or And, Or, Not",
        ),
        (
            r#"{"Variable": "$.x", "IsNull": true, "IsString": true, "Next": "Z"}"#,
            "/States/C/Choices[0]",
            "A Choice Rule must have exactly one comparison operator or And, Or, Not",
        ),
        (r#"{"NumericEquals": 1, "Next": "Z"}"#, "/States/C/Choices[0]", "These fields are required: [Variable]"),
        (
            r#"{"Variable": "$.x", "NumericEquals": "1", "Next": "Z"}"#,
            "/States/C/Choices[0]/NumericEquals",
            "Expected value of type [NUMBER]",
        ),
        (
            r#"{"Variable": "$.x", "TimestampEquals": "yesterday", "Next": "Z"}"#,
            "/States/C/Choices[0]/TimestampEquals",
            "String does not match RFC3339 timestamp",
        ),
        (
            r#"{"Variable": "x", "IsPresent": true, "Next": "Z"}"#,
            "/States/C/Choices[0]/Variable",
            "The value for the field 'Variable' must be a valid JSONPath",
        ),
        (
            r#"{"Not": {"Variable": "$.x", "IsNull": true, "Next": "Z"}, "Next": "Z"}"#,
            "/States/C/Choices[0]/Not",
            "Field 'Next' is not supported",
        ),
        (r#"{"And": [], "Next": "Z"}"#, "/States/C/Choices[0]/And", "Value cannot be empty"),
    ] {
        assert_only(&machine(rule), SCHEMA, message, location);
    }
    assert!(check(&machine(
        r#"{"Or": [{"Variable": "$.a", "NumericGreaterThanPath": "$.b"}, {"Not": {"Variable": "$$.Execution.Id", "IsNull": true}}], "Next": "Z"}"#
    ))
    .is_empty());
}

#[test]
fn jsonata_choice_rules_use_condition() {
    let machine = |rule: &str| {
        format!(
            r#"{{"QueryLanguage": "JSONata", "StartAt": "C", "States": {{"C": {{"Type": "Choice", "Choices": [{rule}], "Default": "Z"}}, "Z": {{"Type": "Succeed"}}}}}}"#
        )
    };
    assert!(check(&machine(r#"{"Condition": "{% $states.input.x = 1 %}", "Next": "Z"}"#)).is_empty());
    assert_only(&machine(r#"{"Next": "Z"}"#), SCHEMA, "These fields are required: [Condition]", "/States/C/Choices[0]");
    assert_only(
        &machine(r#"{"Condition": true, "Variable": "$.x", "Next": "Z"}"#),
        SCHEMA,
        "The QueryLanguage is set to 'JSONata', but field 'Variable' is only supported for the 'JSONPath' QueryLanguage",
        "/States/C/Choices[0]",
    );
}

// ---- Parallel, Map ----

#[test]
fn parallel_branches_may_not_be_empty() {
    assert_only(
        &one_state(r#"{"Type": "Parallel", "Branches": [], "End": true}"#),
        SCHEMA,
        "Value cannot be empty",
        "/States/S/Branches",
    );
    assert_only(
        &one_state(
            r#"{"Type": "Parallel", "Branches": [{"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}], "End": true}"#,
        ),
        SCHEMA,
        "Field 'QueryLanguage' is not supported",
        "/States/S/Branches[0]",
    );
}

#[test]
fn map_labels() {
    let map = |label: &str| {
        one_state(&format!(
            r#"{{"Type": "Map", "Label": {label}, "End": true, "ItemProcessor": {{"StartAt": "P", "States": {{"P": {{"Type": "Pass", "End": true}}}}}}}}"#
        ))
    };
    assert!(check(&map(r#""fine_label-1""#)).is_empty());
    assert_only(&map(r#""""#), INVALID_LABEL, "Label cannot be empty", "/States/S/Label");
    assert_only(
        &map(&format!("\"{}\"", "x".repeat(41))),
        INVALID_LABEL,
        "Label cannot exceed 40 characters",
        "/States/S/Label",
    );
    assert_only(&map(r#""a,b""#), INVALID_LABEL, "Label contains invalid character: ','", "/States/S/Label");
    assert_only(&map(r#""a\\b""#), INVALID_LABEL, r"Label contains invalid character: '\\'", "/States/S/Label");
    assert_only(&map(r#""a\u008db""#), INVALID_LABEL, r"Label contains invalid character: '\x8d'", "/States/S/Label");
    assert_only(&map(r#""a\nb""#), INVALID_LABEL, r"Label contains invalid character: '\n'", "/States/S/Label");
    let found = check(
        r#"{"StartAt": "A", "States": {
            "A": {"Type": "Map", "Label": "L", "Next": "B", "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}},
            "B": {"Type": "Map", "Label": "L", "End": true, "ItemProcessor": {"StartAt": "Q", "States": {"Q": {"Type": "Pass", "End": true}}}}}}"#,
    );
    assert_eq!(triples(&found), vec![(DUPLICATE_LABEL, "Duplicate Label: L", "/States/B/Label")]);
}

// ---- Wait, Fail, Task ----

#[test]
fn wait_timestamps_are_rfc3339() {
    for bad in [
        "2016-13-05T21:29:29Z",
        "05-12-2016T21:29:29Z",
        "2016-12-05T25:29:29Z",
        "2016-12-05T21:29:29",
        "2016-02-30T00:00:00Z",
        "2016-12-05t21:29:29z",
    ] {
        assert_only(
            &one_state(&format!(r#"{{"Type": "Wait", "Timestamp": "{bad}", "End": true}}"#)),
            SCHEMA,
            "String does not match RFC3339 timestamp",
            "/States/S/Timestamp",
        );
    }
    for good in [
        "2016-03-14T01:59:00Z",
        "2016-03-05T21:29:29.243167252Z",
        "2024-02-29T23:59:59+05:30",
        "2016-03-14T01:59:00-00:00",
    ] {
        assert!(
            check(&one_state(&format!(r#"{{"Type": "Wait", "Timestamp": "{good}", "End": true}}"#))).is_empty(),
            "{good}"
        );
    }
}

#[test]
fn fail_paths_and_no_path_warning() {
    assert!(check(&one_state(r#"{"Type": "Fail", "ErrorPath": "$.e", "CausePath": "States.Format('{}', $.c)"}"#))
        .is_empty());
    let found = check(&one_state(r#"{"Type": "Fail", "Error": "$.e"}"#));
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].code, found[0].severity), (NO_PATH, super::super::Severity::Warning));
    assert_only(
        &one_state(r#"{"Type": "Fail", "ErrorPath": "$.e[*]"}"#),
        SCHEMA,
        "The value for the field 'ErrorPath' must be a valid Reference Path or a valid intrinsic function call",
        "/States/S/ErrorPath",
    );
}

#[test]
fn task_credentials_need_a_role() {
    let state = |credentials: &str| {
        one_jsonata_state(&format!(
            r#"{{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": "{{% $states.input %}}", "Credentials": {credentials}, "End": true}}"#
        ))
    };
    assert_only(&state("{}"), SCHEMA, "The field 'RoleArn' is required but was missing", "/States/S/Credentials");
    assert!(check(&state(r#"{"RoleArn": "arn:aws:iam::111111111111:role/r"}"#)).is_empty());
}

// ---- resources ----

#[test]
fn task_resources() {
    for good in [
        "arn:aws:lambda:us-east-1:111111111111:function:f",
        "arn:aws:lambda:us-east-1:111111111111:function:f:$LATEST",
        "arn:aws-cn:lambda:cn-north-1:111111111111:function:f:prod",
        "arn:aws:states:us-east-1:111111111111:activity:a",
        "arn:aws:states:::lambda:invoke",
        "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "arn:aws:states:::states:startExecution.sync:2",
        "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "arn:aws:states:::aws-sdk:s3:listBuckets",
        "arn:aws:states:::aws-sdk:s3:listBuckets.waitForTaskToken",
        "arn:aws-us-gov:states:::dynamodb:getItem",
        // Region and account may be given (AWS's samples do).
        "arn:aws:states:us-east-1:123456789012:lambda:invoke",
        "arn:aws:states:us-east-1:123456789012:aws-sdk:s3:getObject",
        "arn:aws:states:eu-west-1:123456789012:ecs:runTask.sync",
        "arn:aws:states:::emr-containers:startJobRun.sync",
    ] {
        assert!(
            check(&one_state(&format!(r#"{{"Type": "Task", "Resource": "{good}", "End": true}}"#))).is_empty(),
            "{good}"
        );
    }
    // Shapes without evidence that AWS refuses them: warnings, and the definition runs.
    for (warned, code) in [
        ("arn:aws:states:::dynamodb:getItem.sync", UNLISTED_INTEGRATION_PATTERN),
        ("arn:aws:states:::aws-sdk:s3:listBuckets.sync", UNLISTED_INTEGRATION_PATTERN),
        ("arn:aws:states:us-east-1:123456789012:sns:publish.sync", UNLISTED_INTEGRATION_PATTERN),
        ("arn:nope:lambda:us-east-1:111111111111:function:f", UNKNOWN_PARTITION),
        ("arn:aws:lambda:us-east-1:111111111111:function:${Fn}", UNUSUAL_RESOURCE_ARN),
        ("arn:aws:lambda:::function:f", UNUSUAL_RESOURCE_ARN),
        ("arn:aws:states:::activity:a", UNUSUAL_RESOURCE_ARN),
    ] {
        let found = check(&one_state(&format!(r#"{{"Type": "Task", "Resource": "{warned}", "End": true}}"#)));
        assert_eq!(
            found.iter().map(|d| (d.severity, d.code)).collect::<Vec<_>>(),
            vec![(super::super::Severity::Warning, code)]
        );
        assert!(crate::definition::resource::Resource::parse(warned).is_some(), "{warned} runs");
    }
    for bad in [
        "arn:aws:states:::dynamodb:query",
        "arn:aws:states:us-east-1:123456789012:dynamodb:query",
        "arn:aws:states:us-east-1:123456789012:stateMachine:Other",
        "arn:aws:states:::elasticmapreduce-containers:startJobRun",
        "arn:aws:states:us-east-1:123456789012:activity:",
        "arn:aws:lambda:us-east-1:111111111111:layer:f",
        "create",
        "",
    ] {
        assert_only(
            &one_state(&format!(r#"{{"Type": "Task", "Resource": "{bad}", "End": true}}"#)),
            SCHEMA,
            &format!("The resource provided {bad} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."),
            "/States/S/Resource",
        );
    }
}

#[test]
fn express_machines_forbid_activities_sync_and_callbacks() {
    for (resource, message) in [
        ("arn:aws:states:us-east-1:111111111111:activity:a", "Express state machine does not support Activity ARN"),
        (
            "arn:aws:states:::states:startExecution.sync",
            "Express state machine does not support '.sync' service integration",
        ),
        (
            "arn:aws:states:::states:startExecution.sync:2",
            "Express state machine does not support '.sync' service integration",
        ),
        (
            "arn:aws:states:::sns:publish.waitForTaskToken",
            "Express state machine does not support '.waitForTaskToken' service integration ",
        ),
    ] {
        let found = check_express(&one_state(&format!(r#"{{"Type": "Task", "Resource": "{resource}", "End": true}}"#)));
        assert_eq!(triples(&found), vec![(SCHEMA, message, "/States/S/Resource")]);
        assert!(check(&one_state(&format!(r#"{{"Type": "Task", "Resource": "{resource}", "End": true}}"#))).is_empty());
    }
}

// ---- paths, templates, JSONata ----

#[test]
fn payload_template_values_must_be_paths_or_intrinsics() {
    assert_only(
        &one_state(r#"{"Type": "Pass", "Parameters": {"a": {"b.$": "nope"}}, "End": true}"#),
        SCHEMA,
        "The value for the field 'b.$' must be a valid JSONPath or a valid intrinsic function call",
        "/States/S/Parameters/a",
    );
    assert_only(
        &one_state(r#"{"Type": "Pass", "Parameters": {"a.$": 5}, "End": true}"#),
        SCHEMA,
        "The value for the field 'a.$' must be a valid JSONPath or a valid intrinsic function call",
        "/States/S/Parameters",
    );
    assert!(check(&one_state(
        r#"{"Type": "Pass", "Parameters": {"a.$": "$.x", "b.$": "$$.Execution.Id", "c.$": "$var", "d.$": "States.UUID()", "e": [{"f.$": "$"}]}, "End": true}"#
    ))
    .is_empty());
    let found = check(&one_state(r#"{"Type": "Pass", "Parameters": {"a": 1, "a.$": "$.a"}, "End": true}"#));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].location, "/States/S/Parameters");
}

#[test]
fn warnings_for_values_that_look_like_paths() {
    let found =
        check(&one_state(r#"{"Type": "Pass", "Parameters": {"x": "$.a", "y": ["States.UUID()"]}, "End": true}"#));
    assert_eq!(
        found.iter().map(|d| (d.code, d.is_error(), d.location.as_str())).collect::<Vec<_>>(),
        vec![(NO_DOLLAR, false, "/States/S/Parameters/x")]
    );
    let found = check(&one_state(r#"{"Type": "Pass", "Result": {"x.$": "$.a"}, "End": true}"#));
    assert_eq!(found.iter().map(|d| (d.code, d.is_error())).collect::<Vec<_>>(), vec![(PASS_RESULT_IS_STATIC, false)]);
    let found = check(&one_state(r#"{"Type": "Pass", "Result": ["$.a"], "End": true}"#));
    assert_eq!(found.iter().map(|d| d.code).collect::<Vec<_>>(), vec![PASS_RESULT_IS_STATIC]);
    assert!(check(&one_state(r#"{"Type": "Pass", "Result": {"x": "$ 5"}, "End": true}"#)).is_empty());
}

#[test]
fn result_path_is_a_reference_path_into_the_input() {
    for bad in ["$$.Execution", "$var", "$.a[*]", "$..a", "x"] {
        let found = check(&one_state(&format!(r#"{{"Type": "Pass", "ResultPath": "{bad}", "End": true}}"#)));
        assert_eq!(found.len(), 1, "{bad}");
        assert_eq!(found[0].location, "/States/S/ResultPath");
    }
    for good in ["$", "$.a.b", "$['a b'][0]"] {
        assert!(
            check(&one_state(&format!(r#"{{"Type": "Pass", "ResultPath": "{good}", "End": true}}"#))).is_empty(),
            "{good}"
        );
    }
    assert!(check(&one_state(
        r#"{"Type": "Pass", "ResultPath": null, "InputPath": null, "OutputPath": null, "End": true}"#
    ))
    .is_empty());
}

#[test]
fn jsonata_expressions_are_framed() {
    assert_only(
        &one_jsonata_state(r#"{"Type": "Pass", "Output": {"a": ["{% 1"]}, "End": true}"#),
        INVALID_JSONATA,
        "A JSONata expression must start with '{%' and end with '%}'",
        "/States/S/Output/a[0]",
    );
    assert_only(
        &one_jsonata_state(r#"{"Type": "Pass", "Output": "{%  %}", "End": true}"#),
        INVALID_JSONATA,
        "The JSONata expression is empty",
        "/States/S/Output",
    );
    assert_only(
        &one_jsonata_state(
            r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": 5, "End": true}"#,
        ),
        SCHEMA,
        "Expected value of type [OBJECT]",
        "/States/S/Arguments",
    );
    // In JSONPath, {% %} is plain text.
    assert!(check(&one_state(r#"{"Type": "Pass", "Parameters": {"v": "{% phone %}"}, "End": true}"#)).is_empty());
}

#[test]
fn assign_names_are_variables() {
    assert_only(
        &one_state(r#"{"Type": "Pass", "Assign": {"bad name": 1, "ok.$": "$.x"}, "End": true}"#),
        SCHEMA,
        "'bad name' is not a valid variable name",
        "/States/S/Assign/bad name",
    );
}

// ---- text, positions, messages ----

#[test]
fn validate_text_reports_json_syntax_and_positions() {
    let v = validate_text("{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}, \"Z\": {\"Type\": \"Succeed\"}\n  }\n}");
    let d = &v.diagnostics[0];
    assert_eq!((d.code, d.location.as_str(), d.line, d.column), (MISSING_TARGET, "/States/A/Next", Some(4), Some(27)));
    let v = validate_text("{\"StartAt\": ");
    assert_eq!(v.diagnostics.len(), 1);
    assert_eq!(v.diagnostics[0].code, INVALID_JSON);
    assert!(v.diagnostics[0].line.is_some());
    let v = validate_text(" ");
    assert_eq!(triples(&v.diagnostics), vec![(SCHEMA, "Definition must be a valid JSON object", "")]);
    assert!(!v.is_ok());
    let v = validate_text(
        r#"{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "Q"}]}}}"#,
    );
    let d = v.diagnostics.iter().find(|d| d.location == "/States/C/Choices[0]/Next").expect("dangling Next");
    assert_eq!(d.column, Some(104));
}

#[test]
fn create_state_machine_message_joins_errors() {
    let found = check(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}"#);
    assert_eq!(
        definition_error_message(&found).unwrap(),
        "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /States/A/Next, MISSING_END_STATE: Workflow has no terminal state at null'"
    );
    assert_eq!(
        definition_error_message(&check(&one_state(r#"{"Type": "Pass", "Parameters": {"x": "$.a"}, "End": true}"#))),
        None
    );
}

#[test]
fn locations_render_as_aws_locations_and_pointers() {
    let loc = Loc::root().key("States").key("a/b").key("Choices").index(2).key("Next");
    assert_eq!(loc.aws(), "/States/a/b/Choices[2]/Next");
    assert_eq!(loc.pointer(), "/States/a~1b/Choices/2/Next");
    assert_eq!(Loc::root().aws(), "/");
    assert_eq!(Loc::root().pointer(), "");
}

#[test]
fn single_states_validate_without_graph_checks() {
    let state = json::parse(r#"{"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": true, "Next": "Elsewhere"}], "Default": "Gone"}"#).unwrap();
    assert!(validate_state(&state, &Options::default()).is_empty());
    let state = json::parse(r#"{"Type": "Pass", "TimeoutSeconds": 1, "End": true}"#).unwrap();
    assert_eq!(validate_state(&state, &Options::default()).len(), 1);
}

// ---- robustness ----

/// Every copy of `v` with one node replaced by `odd`.
fn mutations(v: &Value, odd: &Value, out: &mut Vec<Value>) {
    out.push(odd.clone());
    match v {
        Value::Object(obj) => {
            for (key, child) in obj.iter() {
                let mut variants = Vec::new();
                mutations(child, odd, &mut variants);
                for variant in variants {
                    let mut copy = (**obj).clone();
                    copy.insert(key.clone(), variant);
                    out.push(Value::from(copy));
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let mut variants = Vec::new();
                mutations(child, odd, &mut variants);
                for variant in variants {
                    let mut copy = (**items).clone();
                    copy[i] = variant;
                    out.push(Value::from(copy));
                }
            }
        }
        _ => {}
    }
}

#[test]
fn odd_types_anywhere_never_panic() {
    let base = json::parse(
        r#"{"Comment": "c", "StartAt": "C", "TimeoutSeconds": 5, "States": {
            "C": {"Type": "Choice", "Choices": [{"And": [{"Variable": "$.a", "NumericEquals": 1}, {"Not": {"Variable": "$.b", "IsNull": true}}], "Next": "T"}], "Default": "W"},
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"x.$": "$.x", "y": [1, {"z.$": "States.UUID()"}]},
                  "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2, "BackoffRate": 1.5}],
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F", "ResultPath": "$.e"}], "TimeoutSeconds": 10, "Next": "M"},
            "M": {"Type": "Map", "ItemsPath": "$.items", "Label": "l", "MaxConcurrency": 2, "ItemSelector": {"v.$": "$$.Map.Item.Value"},
                  "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "Next": "Par"},
            "Par": {"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Wait", "Timestamp": "2016-03-14T01:59:00Z", "End": true}}}], "Next": "W"},
            "W": {"Type": "Wait", "Seconds": 1, "Assign": {"v": 1}, "Next": "S"},
            "S": {"Type": "Succeed"},
            "F": {"Type": "Fail", "Error": "E", "Cause": "C"}}}"#,
    )
    .unwrap();
    assert!(validate(&base).is_empty(), "{:#?}", validate(&base));
    let odd_values = [
        Value::Null,
        Value::from(5),
        Value::from(-1.5),
        Value::from("{% x"),
        Value::from(true),
        Value::Array(Default::default()),
        Value::object(),
    ];
    let mut total = 0;
    for odd in &odd_values {
        let mut variants = Vec::new();
        mutations(&base, odd, &mut variants);
        for variant in &variants {
            let _ = validate(variant);
            let _ = validate_with(variant, &Options { machine_type: MachineType::Express });
        }
        total += variants.len();
    }
    assert!(total > 500);
    for text in [
        r#"{"States": []}"#,
        r#"{"StartAt": 5, "States": {"A": 5}}"#,
        r#"{"StartAt": "A", "States": {"A": {"Type": 5}}}"#,
    ] {
        assert!(!check(text).is_empty());
    }
}

#[test]
fn deep_nesting_is_reported_not_overflowed() {
    fn parallel(depth: usize) -> String {
        let mut s = r#"{"Type": "Pass", "End": true}"#.to_string();
        for i in 0..depth {
            s = format!(
                r#"{{"Type": "Parallel", "End": true, "Branches": [{{"StartAt": "S{i}", "States": {{"S{i}": {s}}}}}]}}"#
            );
        }
        format!(r#"{{"StartAt": "Top", "States": {{"Top": {s}}}}}"#)
    }
    assert!(check(&parallel(50)).is_empty());
    let found = check(&parallel(150));
    assert_eq!(found.iter().map(|d| d.code).collect::<Vec<_>>(), vec![TOO_DEEP]);
    let mut rule = r#"{"Variable": "$.x", "IsNull": true}"#.to_string();
    for _ in 0..300 {
        rule = format!(r#"{{"Not": {rule}}}"#);
    }
    let text = format!(
        r#"{{"StartAt": "C", "States": {{"C": {{"Type": "Choice", "Choices": [{}], "Default": "Z"}}, "Z": {{"Type": "Succeed"}}}}}}"#,
        rule.replacen('{', r#"{"Next": "Z", "#, 1)
    );
    assert!(check(&text).iter().any(|d| d.code == TOO_DEEP));
    let mut template = "1".to_string();
    for _ in 0..300 {
        template = format!(r#"{{"a": [{template}]}}"#);
    }
    assert!(check(&one_state(&format!(r#"{{"Type": "Pass", "Parameters": {template}, "End": true}}"#)))
        .iter()
        .any(|d| d.code == TOO_DEEP));
}

#[test]
fn a_diagnostic_without_place_has_no_location_member() {
    let found = check(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A"}}}"#);
    let response = Validation { diagnostics: found }.to_value();
    assert_eq!(
        json::to_string(&response),
        r#"{"result":"FAIL","diagnostics":[{"severity":"ERROR","code":"MISSING_END_STATE","message":"Workflow has no terminal state"}],"truncated":false}"#
    );
}

#[test]
fn jsonata_syntax_errors_are_reported_with_the_parser_message() {
    let found = check(&one_jsonata_state(r#"{"Type": "Pass", "Output": {"v": "{% phone[1,2) %}"}, "End": true}"#));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!((found[0].code, found[0].location.as_str()), (INVALID_JSONATA, "/States/S/Output/v"));
    assert!(!found[0].message.starts_with('S'), "{}", found[0].message);
    assert!(check(&one_jsonata_state(
        r#"{"Type": "Pass", "Output": {"v": "{% $states.input.phone[0] %}"}, "End": true}"#
    ))
    .is_empty());
}

#[test]
fn intrinsic_arguments_and_escapes_are_parsed() {
    // AWS rejects \" inside an intrinsic's string literal (only \' \{ \} \\ are escapes).
    assert_only(
        &one_state(
            r#"{"Type": "Pass", "Parameters": {"parsed.$": "States.StringToJson('{\"a\":\"x \\\"y\\\" z\"}')"}, "End": true}"#,
        ),
        SCHEMA,
        "The value for the field 'parsed.$' must be a valid JSONPath or a valid intrinsic function call",
        "/States/S/Parameters",
    );
    assert!(check(&one_state(
        r#"{"Type": "Pass", "Parameters": {"a.$": "States.Format('x \\' {}', States.ArrayLength($.a))"}, "End": true}"#
    ))
    .is_empty());
    assert_eq!(
        check(&one_state(r#"{"Type": "Pass", "Parameters": {"a.$": "States.Nope($.a)"}, "End": true}"#)).len(),
        1
    );
    // A Fail state's ErrorPath intrinsic must return a string.
    assert_eq!(check(&one_state(r#"{"Type": "Fail", "ErrorPath": "States.ArrayLength($.a)"}"#)).len(), 1);
}
