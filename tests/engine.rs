//! The engine's behaviour, state by state: data flow stages, errors, retries on the virtual
//! clock, concurrency order, limits, stepping and reproducibility.

use aslplay::services::{ListedResponses, TaskResponse};
use aslplay::{json, Definition, Execution, Options, Status, Value};
use std::rc::Rc;

fn def(text: &str) -> Rc<Definition> {
    Rc::new(Definition::from_text(text).unwrap_or_else(|v| panic!("{}", v.to_value())))
}

fn run_with(text: &str, input: &str, options: Options, services: ListedResponses) -> Execution {
    let mut e = Execution::start_with_services(def(text), json::parse(input).unwrap(), options, Box::new(services));
    e.run();
    e
}

fn run(text: &str, input: &str) -> Execution {
    run_with(text, input, Options::default(), ListedResponses::new())
}

fn output(e: &Execution) -> String {
    e.output().map(|v| v.to_string()).unwrap_or_else(|| format!("{:?}: {:?}", e.error(), e.cause()))
}

fn types(e: &Execution) -> Vec<String> {
    e.history().iter().map(|ev| ev.event_type.name().into_owned()).collect()
}

fn ok(v: &str) -> TaskResponse {
    TaskResponse::Succeeded { output: json::parse(v).unwrap(), latency_ms: 0 }
}

fn fail(error: &str) -> TaskResponse {
    TaskResponse::Failed { error: Rc::from(error), cause: Some(Rc::from("because")), latency_ms: 0 }
}

#[test]
fn pass_data_flow_stages() {
    let e = run(
        r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.in",
            "Parameters": {"x.$": "$.a", "nested": {"y.$": "$.b", "lit": "$.not"}},
            "ResultPath": "$.in.res.deep", "OutputPath": "$.in", "End": true}}}"#,
        r#"{"in": {"a": 1, "b": [2]}, "other": true}"#,
    );
    assert_eq!(output(&e), r#"{"a":1,"b":[2],"res":{"deep":{"x":1,"nested":{"y":[2],"lit":"$.not"}}}}"#);
}

#[test]
fn null_paths() {
    let e = run(
        r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": null, "Result": 5, "ResultPath": null, "Next": "Q"},
            "Q": {"Type": "Pass", "OutputPath": null, "End": true}}}"#,
        r#"{"keep": 1}"#,
    );
    assert_eq!(output(&e), "{}");
    let entered_q = &e.history()[3];
    assert_eq!(entered_q.details.input.as_ref().unwrap().to_string(), r#"{"keep":1}"#);
}

#[test]
fn missing_parameter_path_is_states_runtime() {
    let e = run(
        r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"v.$": "$.nope"}, "End": true}}}"#,
        "{}",
    );
    assert_eq!(e.status(), Status::Failed);
    assert_eq!(e.error(), Some("States.Runtime"));
    assert_eq!(
        e.cause(),
        Some("An error occurred while executing the state 'P' (entered at the event id #2). The JSONPath '$.nope' specified for the field 'v.$' could not be found in the input '{}'")
    );
}

#[test]
fn choice_default_and_no_match() {
    let machine = r#"{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
        {"And": [{"Variable": "$.n", "NumericGreaterThan": 1}, {"Not": {"Variable": "$.s", "StringMatches": "a*c"}}], "Next": "Big"}],
        "Default": "Small"}, "Big": {"Type": "Succeed"}, "Small": {"Type": "Fail", "Error": "Small"}}}"#;
    assert_eq!(run(machine, r#"{"n": 2, "s": "abd"}"#).status(), Status::Succeeded);
    assert_eq!(run(machine, r#"{"n": 2, "s": "abc"}"#).error(), Some("Small"));
    let e = run(
        r#"{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "D"}]}, "D": {"Type": "Succeed"}}}"#,
        r#"{"n": 2}"#,
    );
    assert_eq!(e.error(), Some("States.NoChoiceMatched"));
}

#[test]
fn retry_backoff_on_the_virtual_clock() {
    let mut s = ListedResponses::new();
    for r in [fail("Boom"), fail("Boom"), fail("Boom"), ok(r#"{"done": true}"#)] {
        s.push("T", r);
    }
    let e = run_with(
        r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 3, "BackoffRate": 2, "MaxAttempts": 3, "MaxDelaySeconds": 10}], "End": true}}}"#,
        "{}",
        Options::default(),
        s,
    );
    assert_eq!(e.status(), Status::Succeeded);
    let start = Options::default().start_time;
    let scheduled: Vec<i64> = e
        .history()
        .iter()
        .filter(|ev| ev.event_type == aslplay::EventType::TaskScheduled)
        .map(|ev| (ev.timestamp - start) / 1000)
        .collect();
    // 3 s, then 6 s, then min(12, 10) s later.
    assert_eq!(scheduled, vec![0, 3, 9, 19]);
}

#[test]
fn retriers_count_separately_and_exhausted_goes_to_catch() {
    let mut s = ListedResponses::new();
    for r in [fail("A"), fail("B"), fail("A"), fail("A")] {
        s.push("T", r);
    }
    let e = run_with(
        r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Retry": [{"ErrorEquals": ["A"], "MaxAttempts": 2, "IntervalSeconds": 1}, {"ErrorEquals": ["B"], "MaxAttempts": 1, "IntervalSeconds": 1}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Caught"}], "End": true},
            "Caught": {"Type": "Pass", "End": true}}}"#,
        r#"{"x": 1}"#,
        Options::default(),
        s,
    );
    assert_eq!(output(&e), r#"{"x":1,"err":{"Error":"A","Cause":"because"}}"#);
    assert_eq!(types(&e).iter().filter(|t| *t == "TaskFailed").count(), 4);
}

#[test]
fn states_runtime_is_not_caught_by_states_all() {
    let e = run(
        r#"{"StartAt": "P", "States": {"P": {"Type": "Map", "ItemsPath": "$.notArray",
            "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}},
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "C"}], "End": true}, "C": {"Type": "Succeed"}}}"#,
        r#"{"notArray": 1}"#,
    );
    assert_eq!(e.error(), Some("States.Runtime"));
}

#[test]
fn parallel_results_in_branch_order_and_failure_surfaces_branch_error() {
    let e = run(
        r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "Next": "A"}, "A": {"Type": "Pass", "Result": "a", "End": true}}},
            {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": "b", "End": true}}}]}}}"#,
        "{}",
    );
    assert_eq!(output(&e), r#"["a","b"]"#);
    let e = run(
        r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Mine", "Cause": "c"}}}]}}}"#,
        "{}",
    );
    assert_eq!((e.error(), e.cause()), (Some("Mine"), Some("c")));
    assert!(types(&e).contains(&"ParallelStateFailed".to_string()));
}

#[test]
fn map_runs_in_order_with_item_selector_and_context() {
    let e = run(
        r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.xs", "MaxConcurrency": 1,
            "ItemSelector": {"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value", "k.$": "$.k"},
            "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "End": true}}}"#,
        r#"{"xs": ["a", "b"], "k": 7}"#,
    );
    assert_eq!(output(&e), r#"[{"i":0,"v":"a","k":7},{"i":1,"v":"b","k":7}]"#);
    let t = types(&e);
    assert_eq!(&t[..4], ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapIterationStarted"]);
}

#[test]
fn variables_are_scoped() {
    let e = run(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"x": 1, "y.$": "$.y"}, "Next": "M"},
            "M": {"Type": "Map", "ItemsPath": "$.xs", "ItemProcessor": {"StartAt": "I", "States": {
                "I": {"Type": "Pass", "Assign": {"inner.$": "$x"}, "Parameters": {"x.$": "$x", "v.$": "$"}, "End": true}}},
              "Next": "B"},
            "B": {"Type": "Pass", "Parameters": {"x.$": "$x", "y.$": "$y"}, "End": true}}}"#,
        r#"{"y": "why", "xs": [1]}"#,
    );
    assert_eq!(output(&e), r#"{"x":1,"y":"why"}"#);
    let exited = e.history().iter().find(|ev| ev.event_type.name() == "PassStateExited").unwrap();
    assert_eq!(
        exited.to_value().get("stateExitedEventDetails").unwrap().get("assignedVariables").unwrap().to_string(),
        r#"{"x":"1","y":"\"why\""}"#
    );
}

#[test]
fn a_year_long_wait_costs_nothing_and_timeouts_fire() {
    let e = run(r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 31536000, "End": true}}}"#, "{}");
    assert_eq!(e.status(), Status::Succeeded);
    assert_eq!(e.now() - Options::default().start_time, 31_536_000_000);
    let e = run(
        r#"{"TimeoutSeconds": 5, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}}"#,
        "{}",
    );
    assert_eq!((e.status(), e.error()), (Status::TimedOut, Some("States.Timeout")));
    assert_eq!(types(&e).last().unwrap(), "ExecutionTimedOut");
}

#[test]
fn an_infinite_loop_stops_at_the_event_limit() {
    let machine = r#"{"StartAt": "L", "States": {"L": {"Type": "Pass", "Next": "C"},
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.never", "IsPresent": false, "Next": "L"}], "Default": "Done"},
        "Done": {"Type": "Succeed"}}}"#;
    let e = run(machine, "{}");
    assert_eq!(e.status(), Status::Failed);
    assert_eq!(e.history().len(), 25_000);
    let options = Options { max_events: 100, ..Options::default() };
    let e = run_with(machine, "{}", options, ListedResponses::new());
    assert_eq!(e.history().len(), 100);
    assert!(e.cause().unwrap().contains("100"));
}

#[test]
fn step_gives_one_event_at_a_time_and_matches_run() {
    let machine = r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "Next": "M", "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 1, "End": true}}},
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}]},
        "M": {"Type": "Map", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "End": true}}}"#;
    let full = run(machine, "{}");
    let mut stepped = Execution::start(def(machine), json::parse("{}").unwrap(), Options::default());
    let mut n = 0;
    while let Some(ev) = stepped.step() {
        n += 1;
        assert_eq!(ev.id as usize, n);
    }
    assert_eq!(n, full.history().len());
    let a: Vec<Value> = full.history().iter().map(|e| e.to_value()).collect();
    let b: Vec<Value> = stepped.history().iter().map(|e| e.to_value()).collect();
    assert_eq!(a, b);
}

#[test]
fn runs_are_reproducible_from_the_seed() {
    let machine = r#"{"StartAt": "U", "States": {"U": {"Type": "Pass", "Parameters": {"u.$": "States.UUID()", "r.$": "States.MathRandom(1, 1000)"}, "End": true}}}"#;
    let with_seed = |seed| run_with(machine, "{}", Options { seed, ..Options::default() }, ListedResponses::new());
    assert_eq!(output(&with_seed(7)), output(&with_seed(7)));
    assert_ne!(output(&with_seed(7)), output(&with_seed(8)));
}

#[test]
fn stop_aborts() {
    let mut e = Execution::start(
        def(r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}}"#),
        Value::object(),
        Options::default(),
    );
    e.step();
    e.step();
    e.stop(None, None);
    assert_eq!(e.status(), Status::Aborted);
    assert_eq!(types(&e), ["ExecutionStarted", "WaitStateEntered", "ExecutionAborted"]);
    // A stepping caller sees the stop's event once, then the end.
    assert_eq!(e.step().map(|ev| ev.event_type.name().into_owned()).as_deref(), Some("ExecutionAborted"));
    assert!(e.step().is_none());
}

#[test]
fn oversized_output_is_data_limit_exceeded() {
    let big = format!(r#"{{"s": "{}"}}"#, "x".repeat(300_000));
    let e = run(r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#, &big);
    assert_eq!(e.error(), Some("States.DataLimitExceeded"));
}

#[test]
fn bad_input_never_panics() {
    // Deep nesting, huge input, odd types everywhere: diagnostics or AWS errors, no panic.
    let mut nested = String::from(r#"{"Type": "Pass", "End": true}"#);
    for i in 0..50 {
        nested = format!(
            r#"{{"Type": "Parallel", "End": true, "Branches": [{{"StartAt": "S{i}", "States": {{"S{i}": {nested}}}}}]}}"#
        );
    }
    let deep = format!(r#"{{"StartAt": "Top", "States": {{"Top": {nested}}}}}"#);
    let _ = aslplay::validate(&deep);
    if let Ok(d) = Definition::from_text(&deep) {
        Execution::start(Rc::new(d), Value::object(), Options::default()).run();
    }
    for text in
        ["", "[]", "{", r#"{"StartAt": 5, "States": []}"#, r#"{"StartAt": "A", "States": {"A": {"Type": "Nope"}}}"#]
    {
        assert!(!aslplay::validate(text).is_ok(), "{text}");
    }
    let ten_mb = format!(r#"{{"s": "{}"}}"#, "y".repeat(10 << 20));
    let e = run(
        r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.s", "Result": 1, "End": true}}}"#,
        &ten_mb,
    );
    assert_eq!(e.status(), Status::Succeeded);
}

#[test]
fn task_timeouts_and_heartbeats_on_the_virtual_clock() {
    let machine = |extra: &str| {
        format!(
            r#"{{"StartAt": "T", "States": {{"T": {{"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", {extra}
            "Parameters": {{"QueueUrl": "q", "MessageBody": {{"t.$": "$$.Task.Token"}}}}, "End": true}}}}}}"#
        )
    };
    let slow = |ms| {
        let mut s = ListedResponses::new();
        s.push("T", TaskResponse::Succeeded { output: json::parse("{}").unwrap(), latency_ms: ms });
        s
    };
    let start = Options::default().start_time;
    // Answered in time.
    let e = run_with(&machine(r#""TimeoutSeconds": 10,"#), "{}", Options::default(), slow(9_000));
    assert_eq!(e.status(), Status::Succeeded);
    assert_eq!(e.now() - start, 9_000);
    // Too slow: TaskTimedOut at the timeout.
    let e = run_with(&machine(r#""TimeoutSeconds": 10,"#), "{}", Options::default(), slow(11_000));
    assert_eq!((e.status(), e.error()), (Status::Failed, Some("States.Timeout")));
    assert!(types(&e).contains(&"TaskTimedOut".to_string()));
    assert_eq!(e.now() - start, 10_000);
    // No heartbeat within HeartbeatSeconds.
    let e =
        run_with(&machine(r#""TimeoutSeconds": 600, "HeartbeatSeconds": 5,"#), "{}", Options::default(), slow(60_000));
    assert_eq!(e.error(), Some("States.Timeout"));
    assert_eq!(e.now() - start, 5_000);
    // A callback that never comes, caught.
    let mut silent = ListedResponses::new();
    silent.push("T", TaskResponse::NoResponse);
    let e = run_with(
        &machine(r#""TimeoutSeconds": 30, "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "C"}],"#)
            .replace(r#""End": true}}}"#, r#""End": true}, "C": {"Type": "Pass", "End": true}}}"#),
        "{}",
        Options::default(),
        silent,
    );
    assert_eq!(output(&e), r#"{"Error":"States.Timeout","Cause":""}"#);
}

#[test]
fn step_hands_out_every_event_once_even_when_one_turn_writes_several() {
    // A distributed Map's start writes MapStateStarted and MapRunStarted in one turn.
    let text = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
            "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}"#;
    let mut exec = Execution::start(def(text), json::parse(r#"[1, 2, 3]"#).unwrap(), Options::default());
    let mut stepped = Vec::new();
    while let Some(e) = exec.step() {
        stepped.push(e.to_value());
    }
    assert_eq!(exec.status(), Status::Succeeded);
    let recorded: Vec<_> = exec.history().iter().map(|e| e.to_value()).collect();
    assert_eq!(stepped, recorded);
    assert!(types(&exec).contains(&"MapRunStarted".to_string()));

    // A stop's ExecutionAborted is handed out by the next step, once.
    let mut exec = Execution::start(def(text), json::parse(r#"[1, 2, 3]"#).unwrap(), Options::default());
    let first = exec.step().map(|e| e.id);
    exec.stop(None, None);
    let rest: Vec<_> = std::iter::from_fn(|| exec.step().map(|e| (e.id, e.event_type.name().into_owned()))).collect();
    assert_eq!(first, Some(1));
    assert_eq!(rest, vec![(2, "ExecutionAborted".to_string())]);
}

#[test]
fn child_executions_still_running_are_aborted_with_their_map_run_or_execution() {
    // The first item fails the Map Run (no failure tolerated) while the others wait.
    let text = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "C", "States": {
                "C": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 0, "Next": "Boom"}], "Default": "W"},
                "W": {"Type": "Wait", "Seconds": 60, "End": true},
                "Boom": {"Type": "Fail", "Error": "Boom"}}}}}}"#;
    let exec = run(text, "[0, 1, 2]");
    assert_eq!(exec.status(), Status::Failed);
    let children = exec.child_executions();
    assert_eq!(children.len(), 3);
    assert_eq!(children[0].status, Status::Failed);
    for c in &children[1..] {
        assert_eq!(c.status, Status::Aborted);
        assert_eq!(c.events.last().map(|e| e.event_type.name().into_owned()).as_deref(), Some("ExecutionAborted"));
    }

    // Stopping the execution aborts the children that run.
    let wait = text.replace(r#""NumericEquals": 0"#, r#""NumericEquals": 99"#);
    let mut exec = Execution::start(def(&wait), json::parse("[0, 1, 2]").unwrap(), Options::default());
    while exec.child_executions().len() < 3 {
        assert!(exec.step().is_some());
    }
    exec.stop(None, None);
    assert!(exec.child_executions().iter().all(|c| c.status == Status::Aborted));
}

#[test]
fn a_missed_heartbeat_is_states_timeout_and_caught_as_states_heartbeat_timeout() {
    // HeartbeatSeconds shorter than TimeoutSeconds: the heartbeat ends the silent task.
    let machine = |catch: &str, heartbeat: &str| {
        format!(
            r#"{{"StartAt": "Work", "States": {{
                "Work": {{"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:worker", "TimeoutSeconds": 300,
                         {heartbeat} "Catch": [{{"ErrorEquals": ["{catch}"], "Next": "Caught"}}], "End": true}},
                "Caught": {{"Type": "Pass", "End": true}}}}}}"#
        )
    };
    let silent = || {
        let mut s = ListedResponses::new();
        s.push("Work", TaskResponse::NoResponse);
        s
    };
    for catch in ["States.HeartbeatTimeout", "States.Timeout", "States.ALL"] {
        let e = run_with(&machine(catch, r#""HeartbeatSeconds": 60,"#), "{}", Options::default(), silent());
        assert_eq!(e.status(), Status::Succeeded, "{catch}: {}", output(&e));
        assert_eq!(output(&e), r#"{"Error":"States.Timeout","Cause":""}"#, "{catch}");
        assert!(types(&e).contains(&"ActivityTimedOut".to_string()));
    }
    // When TimeoutSeconds is what ends the task, it is not a missed heartbeat.
    let e = run_with(&machine("States.HeartbeatTimeout", ""), "{}", Options::default(), silent());
    assert_eq!((e.status(), e.error()), (Status::Failed, Some("States.Timeout")));
}

#[test]
fn a_map_run_with_both_thresholds_fails_when_either_is_exceeded() {
    let machine = |count: u32, percentage: u32| {
        format!(
            r#"{{"StartAt": "Each", "States": {{"Each": {{"Type": "Map", "ToleratedFailureCount": {count},
                "ToleratedFailurePercentage": {percentage}, "End": true,
                "ItemProcessor": {{"ProcessorConfig": {{"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}},
                  "StartAt": "Check", "States": {{
                    "Check": {{"Type": "Choice", "Choices": [{{"Variable": "$.bad", "BooleanEquals": true, "Next": "Bad"}}],
                              "Default": "Good"}},
                    "Bad": {{"Type": "Fail", "Error": "Bad"}},
                    "Good": {{"Type": "Succeed"}}}}}}}}}}}}"#
        )
    };
    let input = r#"[{"bad": true}, {"bad": false}, {"bad": true}, {"bad": false}]"#;
    // 2 of 4 failed: within a count of 5 but over 25%.
    let e = run(&machine(5, 25), input);
    assert_eq!((e.status(), e.error()), (Status::Failed, Some("States.ExceedToleratedFailureThreshold")));
    // Over a count of 1 but within 60%.
    let e = run(&machine(1, 60), input);
    assert_eq!((e.status(), e.error()), (Status::Failed, Some("States.ExceedToleratedFailureThreshold")));
    // Within both.
    let e = run(&machine(2, 50), input);
    assert_eq!(e.status(), Status::Succeeded, "{}", output(&e));
}

#[test]
fn state_transitions_are_states_entered_plus_retries() {
    let entered = |e: &Execution| {
        e.history().iter().filter(|ev| matches!(ev.event_type, aslplay::EventType::StateEntered(_))).count()
    };
    // A chain: one transition per state entered.
    let e = run(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}"#, "{}");
    assert_eq!(e.state_transitions(), 2);

    // Three retries (the fourth attempt succeeds), then a Pass: 2 entered + 3 retried.
    let mut s = ListedResponses::new();
    for r in [fail("Boom"), fail("Boom"), fail("Boom"), ok("{}")] {
        s.push("T", r);
    }
    let e = run_with(
        r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Retry": [{"ErrorEquals": ["Boom"], "MaxAttempts": 3}], "Next": "P"}, "P": {"Type": "Pass", "End": true}}}"#,
        "{}",
        Options::default(),
        s,
    );
    assert_eq!(e.status(), Status::Succeeded);
    assert_eq!(entered(&e), 2);
    assert_eq!(e.state_transitions(), 5);

    // Retries exhausted, then caught: the catcher's state counts too (2 entered + 1 retry).
    let mut s = ListedResponses::new();
    for r in [fail("Boom"), fail("Boom")] {
        s.push("T", r);
    }
    let e = run_with(
        r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Retry": [{"ErrorEquals": ["Boom"], "MaxAttempts": 1}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "C"}], "End": true}, "C": {"Type": "Succeed"}}}"#,
        "{}",
        Options::default(),
        s,
    );
    assert_eq!(e.status(), Status::Succeeded);
    assert_eq!(e.state_transitions(), 3);

    // States in inline Map iterations and Parallel branches count: Map + 3 × 2, Parallel + 2.
    let e = run(
        r#"{"StartAt": "M", "States": {
            "M": {"Type": "Map", "ItemProcessor": {"StartAt": "I", "States": {
                "I": {"Type": "Pass", "Next": "J"}, "J": {"Type": "Pass", "End": true}}}, "Next": "Par"},
            "Par": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": true}}},
                {"StartAt": "B2", "States": {"B2": {"Type": "Pass", "End": true}}}]}}}"#,
        "[1, 2, 3]",
    );
    assert_eq!(e.status(), Status::Succeeded);
    assert_eq!(e.state_transitions(), 1 + 6 + 1 + 2);

    // A Distributed Map's child executions are executions of their own: the parent counts
    // its Map state only.
    let e = run(
        r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}"#,
        "[1, 2, 3]",
    );
    assert_eq!(e.status(), Status::Succeeded);
    assert_eq!(e.child_executions().len(), 3);
    assert_eq!(e.state_transitions(), 1);
}
