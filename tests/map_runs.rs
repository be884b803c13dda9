//! Distributed Map runs as the engine describes them (`Execution::map_runs`,
//! `map_run_children`, `child_execution`): status, counts, dates, nesting and paging.

use aslplay::engine::{ItemCounts, MapRun};
use aslplay::{json, Definition, EventType, Execution, Options, Status, Value};
use std::rc::Rc;

fn start(text: &str, input: &str) -> Execution {
    let def = Rc::new(Definition::from_text(text).unwrap_or_else(|v| panic!("{:?}", v.to_value().to_string())));
    Execution::start(def, json::parse(input).unwrap(), Options::default())
}

/// A distributed Map over the input whose children run `states` (starting at `start_at`).
fn distributed(start_at: &str, states: &str) -> String {
    format!(
        r#"{{"StartAt": "M", "States": {{"M": {{"Type": "Map", "End": true,
            "ItemProcessor": {{"ProcessorConfig": {{"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}},
                "StartAt": "{start_at}", "States": {states}}}}}}}}}"#
    )
}

fn only_run(exec: &Execution) -> MapRun {
    let runs = exec.map_runs();
    assert_eq!(runs.len(), 1, "{runs:?}");
    runs.into_iter().next().unwrap()
}

#[test]
fn a_finished_run_has_its_status_dates_and_counts() {
    let mut exec = start(&distributed("P", r#"{"P": {"Type": "Pass", "End": true}}"#), "[1, 2, 3]");
    exec.run();
    assert_eq!(exec.status(), Status::Succeeded);
    let run = only_run(&exec);
    let started = exec.history().iter().find(|e| e.event_type == EventType::MapRunStarted).unwrap();
    assert_eq!(run.status, Status::Succeeded);
    assert_eq!(run.map_state.as_deref(), Some("M"));
    assert_eq!(run.started_event_id, started.id);
    assert_eq!(run.start_date, started.timestamp);
    assert!(run.stop_date.is_some_and(|d| d >= run.start_date));
    assert_eq!(run.parent, None);
    assert_eq!(run.item_counts, ItemCounts { succeeded: 3, total: 3, ..ItemCounts::default() });
    let v = run.to_value();
    assert_eq!(v.get("status").and_then(Value::as_str), Some("SUCCEEDED"));
    assert_eq!(
        v.get("itemCounts").unwrap().to_string(),
        r#"{"pending":0,"running":0,"succeeded":3,"failed":0,"timedOut":0,"aborted":0,"total":3}"#
    );
}

#[test]
fn a_failed_run_reports_its_error_and_the_children_it_aborted() {
    let states = r#"{
        "C": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 0, "Next": "Boom"}], "Default": "W"},
        "W": {"Type": "Wait", "Seconds": 60, "End": true},
        "Boom": {"Type": "Fail", "Error": "Boom"}}"#;
    let mut exec = start(&distributed("C", states), "[0, 1, 2]");
    exec.run();
    let run = only_run(&exec);
    assert_eq!(run.status, Status::Failed);
    assert!(run.error.is_some());
    assert_eq!(run.item_counts, ItemCounts { failed: 1, aborted: 2, total: 3, ..ItemCounts::default() });
}

#[test]
fn a_run_is_running_until_it_ends_and_aborted_when_its_execution_stops_first() {
    let states = r#"{"W": {"Type": "Wait", "Seconds": 60, "End": true}}"#;
    let mut exec = start(&distributed("W", states), "[0, 1, 2]");
    while exec.child_executions().len() < 3 {
        assert!(exec.step().is_some());
    }
    let run = only_run(&exec);
    assert_eq!(run.status, Status::Running);
    assert_eq!((run.item_counts.running, run.item_counts.total), (3, 3));
    assert_eq!(run.stop_date, None);
    exec.stop(None, None);
    assert_eq!(only_run(&exec).status, Status::Aborted);
}

#[test]
fn a_run_inside_a_child_execution_names_its_parent() {
    let inner = r#"{"Inner": {"Type": "Map", "End": true,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}"#;
    let outer = distributed("Inner", inner);
    let mut exec = start(&outer, "[[1, 2], [3]]");
    exec.run();
    assert_eq!(exec.status(), Status::Succeeded);
    let runs = exec.map_runs();
    assert_eq!(runs.len(), 3, "{runs:?}");
    assert_eq!(runs[0].parent, None);
    assert_eq!(runs[1].map_state.as_deref(), Some("Inner"));
    assert_eq!(runs[0].item_counts.succeeded, 2);
    let parents: Vec<_> = runs[1..].iter().map(|r| r.parent.as_ref().map(|(arn, i)| (arn.clone(), *i))).collect();
    assert_eq!(parents, vec![Some((runs[0].arn.clone(), 0)), Some((runs[0].arn.clone(), 1))]);
    assert_eq!(runs[1].item_counts.total, 2);
    assert_eq!(runs[2].item_counts.total, 1);
}

#[test]
fn children_come_a_page_at_a_time_filtered_by_status() {
    let states = r#"{
        "C": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericGreaterThan": 2, "Next": "Boom"}], "Default": "P"},
        "P": {"Type": "Pass", "End": true},
        "Boom": {"Type": "Fail", "Error": "Boom"}}"#;
    let text =
        distributed("C", states).replace(r#""End": true,"#, r#""End": true, "ToleratedFailurePercentage": 100,"#);
    let mut exec = start(&text, "[0, 1, 2, 3, 4]");
    exec.run();
    let arn = only_run(&exec).arn;
    let page = exec.map_run_children(&arn, None, 1, 2);
    assert_eq!(page.matching, 5);
    assert_eq!(page.children.iter().map(|c| c.index).collect::<Vec<_>>(), vec![1, 2]);
    let failed = exec.map_run_children(&arn, Some("FAILED"), 0, 10);
    assert_eq!(failed.children.iter().map(|c| c.index).collect::<Vec<_>>(), vec![3, 4]);
    assert_eq!(failed.to_value().get("matching"), Some(&Value::from(2)));
    assert_eq!(exec.map_run_children("nope", None, 0, 10).matching, 0);

    let child = exec.child_execution(&arn, 1).unwrap();
    let detail = child.detail_value();
    assert_eq!(detail.get("status").and_then(Value::as_str), Some("SUCCEEDED"));
    assert_eq!(detail.get("output"), Some(&Value::from(1)));
    assert!(detail.get("name").and_then(Value::as_str).is_some_and(|n| n.starts_with("1-")));
    assert_eq!(child.summary_value().get("index"), Some(&Value::from(1)));
    assert!(exec.child_execution(&arn, 9).is_none());
}
