//! The `ResultWriter` of a Distributed Map: what becomes of the child executions' results.
//!
//! With `Resource` (`arn:aws:states:::s3:putObject`) and `Parameters` (`Bucket`, `Prefix`),
//! the results go to S3 under `<Prefix>/<map run id>/`: `SUCCEEDED_0.json`, `FAILED_0.json`
//! and `PENDING_0.json` (each written only when it has entries) and `manifest.json`, and the
//! Map state's result is `{"MapRunArn", "ResultWriterDetails": {"Bucket", "Key"}}`. With only
//! `WriterConfig`, nothing is written and the transformed results are the Map's result.
//!
//! `WriterConfig.Transformation`: `NONE` keeps every child's metadata (`ExecutionArn`,
//! `Input`, `Output`, `Status`, ...), `COMPACT` keeps only the outputs, `FLATTEN` also splices
//! outputs that are arrays into the list. A failed child stays in the `NONE` form under every
//! transformation. `WriterConfig.OutputType`: `JSON` writes each file as one array, `JSONL`
//! one entry per line.

use std::rc::Rc;

use super::ObjectStore;
use super::{str_field, MapRunError};
use crate::json;
use crate::services::ArnParts;
use crate::time::{self, Millis};
use crate::value::{Map, Value};

/// `WriterConfig.Transformation`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Transformation {
    /// Outputs with the child executions' metadata (the default when exporting to S3).
    #[default]
    None,
    /// Only the outputs.
    Compact,
    /// Only the outputs, arrays spliced into the list.
    Flatten,
}

/// `WriterConfig.OutputType`: the format of the result files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OutputType {
    /// One JSON array per file (the default).
    #[default]
    Json,
    /// JSON Lines: one entry per line.
    Jsonl,
}

/// A `WriterConfig`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriterConfig {
    pub transformation: Transformation,
    pub output_type: OutputType,
}

/// A `ResultWriter` with its `Parameters` / `Arguments` already evaluated.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WriterSpec {
    /// Where the results go: the bucket and the key prefix (`""` when absent). `None` when
    /// the `ResultWriter` has only a `WriterConfig`.
    pub destination: Option<(String, String)>,
    pub config: WriterConfig,
}

impl WriterSpec {
    /// Builds the spec from the `ResultWriter` object of a definition and its evaluated
    /// `Parameters` (JSONPath) or `Arguments` (JSONata), `None` when it has neither.
    pub fn from_result_writer(result_writer: &Value, parameters: Option<&Value>) -> Result<WriterSpec, MapRunError> {
        let config = match result_writer.get("WriterConfig") {
            Some(c) => WriterConfig::from_value(c)?,
            None => WriterConfig::default(),
        };
        let destination = match (str_field(result_writer, "Resource"), parameters) {
            (None, None) => None,
            (Some(resource), Some(p)) => {
                if !is_put_object(resource) {
                    return Err(MapRunError::result_writer(format!(
                        "The ResultWriter resource '{resource}' is not supported."
                    )));
                }
                let bucket = match p.get("Bucket") {
                    Some(Value::String(b)) if !b.is_empty() => b.to_string(),
                    _ => return Err(MapRunError::result_writer("The ResultWriter needs a Bucket.")),
                };
                let prefix = match p.get("Prefix") {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(s)) => s.to_string(),
                    Some(_) => return Err(MapRunError::result_writer("The ResultWriter Prefix must be a string.")),
                };
                Some((bucket, prefix))
            }
            _ => {
                return Err(MapRunError::result_writer(
                    "The ResultWriter needs both Resource and Parameters to export results.",
                ))
            }
        };
        Ok(WriterSpec { destination, config })
    }
}

/// `arn:PARTITION:states:[REGION]:[ACCOUNT]:s3:putObject`, the one resource a ResultWriter takes.
fn is_put_object(resource: &str) -> bool {
    ArnParts::split(resource).is_some_and(|parts| {
        parts.integration() == Some("s3:putObject") && matches!(parts.partition, "aws" | "aws-cn" | "aws-us-gov")
    })
}

impl WriterConfig {
    /// Reads a `WriterConfig` object (`Transformation`, `OutputType`; both optional).
    pub fn from_value(config: &Value) -> Result<WriterConfig, MapRunError> {
        let bad = |field: &str, v: &Value| {
            MapRunError::result_writer(format!(
                "The WriterConfig field '{field}' has an unsupported value: {}",
                json::to_string(v)
            ))
        };
        let mut out = WriterConfig::default();
        if let Some(v) = config.get("Transformation") {
            out.transformation = match v.as_str() {
                Some("NONE") => Transformation::None,
                Some("COMPACT") => Transformation::Compact,
                Some("FLATTEN") => Transformation::Flatten,
                _ => return Err(bad("Transformation", v)),
            };
        }
        if let Some(v) = config.get("OutputType") {
            out.output_type = match v.as_str() {
                Some("JSON") => OutputType::Json,
                Some("JSONL") => OutputType::Jsonl,
                _ => return Err(bad("OutputType", v)),
            };
        }
        Ok(out)
    }
}

/// How a child execution ended (or that it never started).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChildStatus {
    Succeeded,
    Failed,
    TimedOut,
    Aborted,
    /// Never started (the Map Run stopped first).
    Pending,
}

impl ChildStatus {
    /// AWS's spelling: `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`, `PENDING`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChildStatus::Succeeded => "SUCCEEDED",
            ChildStatus::Failed => "FAILED",
            ChildStatus::TimedOut => "TIMED_OUT",
            ChildStatus::Aborted => "ABORTED",
            ChildStatus::Pending => "PENDING",
        }
    }

    /// The result file the child is listed in: `SUCCEEDED`, `PENDING`, or `FAILED` for the
    /// failed, timed out and aborted.
    fn file_group(self) -> &'static str {
        match self {
            ChildStatus::Succeeded => "SUCCEEDED",
            ChildStatus::Pending => "PENDING",
            _ => "FAILED",
        }
    }
}

/// One child execution of a Map Run, as the engine ran it.
#[derive(Clone, Debug, PartialEq)]
pub struct ChildResult {
    /// The item's (or batch's) index.
    pub index: usize,
    pub status: ChildStatus,
    /// The child's input.
    pub input: Value,
    /// The child's output, when it succeeded.
    pub output: Option<Value>,
    pub error: Option<Rc<str>>,
    pub cause: Option<Rc<str>>,
    /// The child execution's name and ARN.
    pub name: Rc<str>,
    pub execution_arn: Rc<str>,
    pub start_ms: Millis,
    /// `None` while it has not stopped.
    pub stop_ms: Option<Millis>,
}

/// Writes the results of a Map Run as the `ResultWriter` says and returns the Map state's
/// result: `{"MapRunArn", "ResultWriterDetails": {"Bucket", "Key"}}` after an export, or the
/// transformed results when `spec` has no destination. `map_run_arn` is
/// `arn:aws:states:<region>:<account>:mapRun:<state machine>/<label>:<map run id>`; the
/// files go under `<Prefix>/<map run id>/`. Results are listed in index order.
pub fn write_results(
    spec: &WriterSpec,
    map_run_arn: &str,
    results: &[ChildResult],
    store: &mut ObjectStore,
) -> Result<Value, MapRunError> {
    let state_machine_arn = child_state_machine_arn(map_run_arn);
    let mut ordered: Vec<&ChildResult> = results.iter().collect();
    crate::sort::sort_by_key(&mut ordered, |r| r.index);
    let transformation = spec.config.transformation;
    let Some((bucket, prefix)) = &spec.destination else {
        let mut entries = Vec::with_capacity(ordered.len());
        for r in &ordered {
            push_entries(&mut entries, r, transformation, &state_machine_arn);
        }
        return Ok(Value::from(entries));
    };
    let run_id = map_run_arn.rsplit(':').next().unwrap_or(map_run_arn);
    let folder = match prefix.trim_end_matches('/') {
        "" => run_id.to_string(),
        p => format!("{p}/{run_id}"),
    };
    let extension = match spec.config.output_type {
        OutputType::Json => "json",
        OutputType::Jsonl => "jsonl",
    };
    let mut files = Map::with_capacity(3);
    let jsonl = spec.config.output_type == OutputType::Jsonl;
    let mut entries = Vec::new();
    for group in ["FAILED", "PENDING", "SUCCEEDED"] {
        // Each entry is written as text at once, so a run of 100,000 children never holds
        // all its entries as values; a first pass measures the text, which is then allocated
        // once at its exact size (the file can be tens of megabytes).
        let in_group = || ordered.iter().filter(|r| r.status.file_group() == group);
        let mut size = 2;
        for r in in_group() {
            entries.clear();
            push_entries(&mut entries, r, transformation, &state_machine_arn);
            size += entries.iter().map(|e| json::compact_len(e) + 1).sum::<usize>();
        }
        let mut text = String::with_capacity(size);
        if !jsonl {
            text.push('[');
        }
        let mut count = 0usize;
        for r in in_group() {
            entries.clear();
            push_entries(&mut entries, r, transformation, &state_machine_arn);
            for e in &entries {
                if count > 0 && !jsonl {
                    text.push(',');
                }
                json::write_compact(&mut text, e);
                if jsonl {
                    text.push('\n');
                }
                count += 1;
            }
        }
        let mut listed = Vec::new();
        if count > 0 {
            if !jsonl {
                text.push(']');
            }
            let key = format!("{folder}/{group}_0.{extension}");
            let mut file = Map::with_capacity(2);
            file.insert("Key", Value::from(key.as_str()));
            file.insert("Size", Value::from(text.len()));
            listed.push(Value::from(file));
            store.put(bucket, &key, text);
        }
        files.insert(group, Value::from(listed));
    }
    let mut manifest = Map::with_capacity(3);
    manifest.insert("DestinationBucket", Value::from(bucket.as_str()));
    manifest.insert("MapRunArn", Value::from(map_run_arn));
    manifest.insert("ResultFiles", Value::from(files));
    let manifest_key = format!("{folder}/manifest.json");
    store.put(bucket, &manifest_key, json::to_string(&Value::from(manifest)));

    let mut details = Map::with_capacity(2);
    details.insert("Bucket", Value::from(bucket.as_str()));
    details.insert("Key", Value::from(manifest_key));
    let mut out = Map::with_capacity(2);
    out.insert("MapRunArn", Value::from(map_run_arn));
    out.insert("ResultWriterDetails", Value::from(details));
    Ok(Value::from(out))
}

/// `arn:...:stateMachine:<machine>/<label>`, the ARN child executions report, from the Map
/// Run's `arn:...:mapRun:<machine>/<label>:<id>`.
fn child_state_machine_arn(map_run_arn: &str) -> String {
    let without_id = map_run_arn.rsplit_once(':').map_or(map_run_arn, |(head, _)| head);
    without_id.replacen(":mapRun:", ":stateMachine:", 1)
}

/// Appends what `r` contributes to a result list under `transformation`.
fn push_entries(out: &mut Vec<Value>, r: &ChildResult, transformation: Transformation, state_machine_arn: &str) {
    match (r.status, transformation, &r.output) {
        (ChildStatus::Succeeded, Transformation::Compact, Some(output)) => out.push(output.clone()),
        (ChildStatus::Succeeded, Transformation::Flatten, Some(Value::Array(items))) => {
            out.extend(items.iter().cloned())
        }
        (ChildStatus::Succeeded, Transformation::Flatten, Some(output)) => out.push(output.clone()),
        _ => out.push(full_entry(r, state_machine_arn)),
    }
}

/// A child's entry with its metadata, as `Transformation: NONE` writes it.
fn full_entry(r: &ChildResult, state_machine_arn: &str) -> Value {
    let included = || {
        let mut m = Map::with_capacity(1);
        m.insert("Included", Value::Bool(true));
        Value::from(m)
    };
    let mut e = Map::with_capacity(14);
    if let Some(cause) = &r.cause {
        e.insert("Cause", Value::String(cause.clone()));
    }
    if let Some(error) = &r.error {
        e.insert("Error", Value::String(error.clone()));
    }
    e.insert("ExecutionArn", Value::String(r.execution_arn.clone()));
    e.insert("Input", Value::from(json::to_string(&r.input)));
    e.insert("InputDetails", included());
    e.insert("Name", Value::String(r.name.clone()));
    if let Some(output) = &r.output {
        e.insert("Output", Value::from(json::to_string(output)));
        e.insert("OutputDetails", included());
    }
    if r.status != ChildStatus::Pending {
        e.insert("RedriveCount", Value::from(0));
        let (redrive, reason) = match r.status {
            ChildStatus::Succeeded => ("NOT_REDRIVABLE", Some("Execution is SUCCEEDED and cannot be redriven")),
            _ => ("REDRIVABLE_BY_MAP_RUN", None),
        };
        e.insert("RedriveStatus", Value::from(redrive));
        if let Some(reason) = reason {
            e.insert("RedriveStatusReason", Value::from(reason));
        }
        e.insert("StartDate", Value::from(time::format_iso(r.start_ms)));
    }
    e.insert("StateMachineArn", Value::from(state_machine_arn));
    e.insert("Status", Value::from(r.status.as_str()));
    if let Some(stop) = r.stop_ms {
        e.insert("StopDate", Value::from(time::format_iso(stop)));
    }
    Value::from(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUN: &str = "arn:aws:states:us-east-1:111111111111:mapRun:Machine/TestMap:run-1";

    fn v(text: &str) -> Value {
        json::parse(text).unwrap()
    }

    fn child(index: usize, status: ChildStatus, output: Option<&str>) -> ChildResult {
        let failed = status != ChildStatus::Succeeded && status != ChildStatus::Pending;
        ChildResult {
            index,
            status,
            input: Value::from(index),
            output: output.map(v),
            error: failed.then(|| Rc::from("Boom")),
            cause: failed.then(|| Rc::from("it broke")),
            name: Rc::from(format!("child-{index}")),
            execution_arn: Rc::from(format!(
                "arn:aws:states:us-east-1:111111111111:execution:Machine/TestMap:child-{index}"
            )),
            start_ms: 1_700_000_000_000,
            stop_ms: (status != ChildStatus::Pending).then_some(1_700_000_000_250),
        }
    }

    fn spec(text: &str, params: Option<&str>) -> WriterSpec {
        WriterSpec::from_result_writer(&v(text), params.map(v).as_ref()).unwrap()
    }

    fn export() -> WriterSpec {
        spec(r#"{"Resource": "arn:aws:states:::s3:putObject"}"#, Some(r#"{"Bucket": "out", "Prefix": "jobs"}"#))
    }

    fn read(store: &ObjectStore, key: &str) -> Value {
        v(store.get("out", key).unwrap().content())
    }

    #[test]
    fn export_writes_manifest_and_result_files() {
        let mut store = ObjectStore::new(0);
        let results = [child(1, ChildStatus::Failed, None), child(0, ChildStatus::Succeeded, Some(r#"{"ok": 1}"#))];
        let out = write_results(&export(), RUN, &results, &mut store).unwrap();
        assert_eq!(
            out,
            v(&format!(
                r#"{{"MapRunArn": "{RUN}", "ResultWriterDetails": {{"Bucket": "out", "Key": "jobs/run-1/manifest.json"}}}}"#
            ))
        );
        let manifest = read(&store, "jobs/run-1/manifest.json");
        let succeeded_size = store.get("out", "jobs/run-1/SUCCEEDED_0.json").unwrap().size();
        let failed_size = store.get("out", "jobs/run-1/FAILED_0.json").unwrap().size();
        assert_eq!(
            manifest,
            v(&format!(
                r#"{{"DestinationBucket": "out", "MapRunArn": "{RUN}", "ResultFiles": {{
                    "FAILED": [{{"Key": "jobs/run-1/FAILED_0.json", "Size": {failed_size}}}], "PENDING": [],
                    "SUCCEEDED": [{{"Key": "jobs/run-1/SUCCEEDED_0.json", "Size": {succeeded_size}}}]}}}}"#
            ))
        );
        assert!(store.get("out", "jobs/run-1/PENDING_0.json").is_err());
        let succeeded = read(&store, "jobs/run-1/SUCCEEDED_0.json");
        assert_eq!(
            succeeded,
            v(r#"[{"ExecutionArn": "arn:aws:states:us-east-1:111111111111:execution:Machine/TestMap:child-0",
                   "Input": "0", "InputDetails": {"Included": true}, "Name": "child-0",
                   "Output": "{\"ok\":1}", "OutputDetails": {"Included": true},
                   "RedriveCount": 0, "RedriveStatus": "NOT_REDRIVABLE",
                   "RedriveStatusReason": "Execution is SUCCEEDED and cannot be redriven",
                   "StartDate": "2023-11-14T22:13:20.000Z",
                   "StateMachineArn": "arn:aws:states:us-east-1:111111111111:stateMachine:Machine/TestMap",
                   "Status": "SUCCEEDED", "StopDate": "2023-11-14T22:13:20.250Z"}]"#)
        );
        let failed = read(&store, "jobs/run-1/FAILED_0.json");
        let entry = failed.index(0).unwrap();
        assert_eq!(entry.get("Error"), Some(&v(r#""Boom""#)));
        assert_eq!(entry.get("Cause"), Some(&v(r#""it broke""#)));
        assert_eq!(entry.get("Output"), None);
        assert_eq!(entry.get("RedriveStatus"), Some(&v(r#""REDRIVABLE_BY_MAP_RUN""#)));
    }

    #[test]
    fn pending_timed_out_and_aborted_children() {
        let mut store = ObjectStore::new(0);
        let results = [
            child(0, ChildStatus::TimedOut, None),
            child(1, ChildStatus::Aborted, None),
            child(2, ChildStatus::Pending, None),
        ];
        write_results(&export(), RUN, &results, &mut store).unwrap();
        let failed = read(&store, "jobs/run-1/FAILED_0.json");
        assert_eq!(failed.as_array().map(|a| a.len()), Some(2));
        let pending = read(&store, "jobs/run-1/PENDING_0.json");
        let entry = pending.index(0).unwrap();
        assert_eq!(entry.get("Status"), Some(&v(r#""PENDING""#)));
        assert_eq!(entry.get("StopDate"), None);
        assert!(store.get("out", "jobs/run-1/SUCCEEDED_0.json").is_err());
    }

    #[test]
    fn compact_and_flatten_keep_failures_whole() {
        let results = [
            child(0, ChildStatus::Succeeded, Some("[1, 2]")),
            child(1, ChildStatus::Failed, None),
            child(2, ChildStatus::Succeeded, Some(r#"{"x": 3}"#)),
        ];
        let mut store = ObjectStore::new(0);
        let compact = spec(r#"{"WriterConfig": {"Transformation": "COMPACT"}}"#, None);
        let out = write_results(&compact, RUN, &results, &mut store).unwrap();
        assert_eq!(out.index(0), Some(&v("[1, 2]")));
        assert_eq!(out.index(1).and_then(|e| e.get("Status")), Some(&v(r#""FAILED""#)));
        assert_eq!(out.index(2), Some(&v(r#"{"x": 3}"#)));
        let flatten = spec(r#"{"WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSON"}}"#, None);
        let out = write_results(&flatten, RUN, &results, &mut store).unwrap();
        assert_eq!(out.as_array().map(|a| a.len()), Some(4));
        assert_eq!(out.index(1), Some(&v("2")));
        let none = spec(r#"{"WriterConfig": {"Transformation": "NONE"}}"#, None);
        let out = write_results(&none, RUN, &results, &mut store).unwrap();
        assert_eq!(out.index(0).and_then(|e| e.get("Output")), Some(&v(r#""[1,2]""#)));
        assert_eq!(store.bucket_names().count(), 0, "nothing is written without a destination");
    }

    #[test]
    fn jsonl_files_and_transformed_exports() {
        let mut store = ObjectStore::new(0);
        let jsonl = spec(
            r#"{"Resource": "arn:aws:states:::s3:putObject", "WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSONL"}}"#,
            Some(r#"{"Bucket": "out"}"#),
        );
        let results = [child(0, ChildStatus::Succeeded, Some("[1, 2]")), child(1, ChildStatus::Succeeded, Some("3"))];
        let out = write_results(&jsonl, RUN, &results, &mut store).unwrap();
        assert_eq!(out.get("ResultWriterDetails").and_then(|d| d.get("Key")), Some(&v(r#""run-1/manifest.json""#)));
        assert_eq!(&**store.get("out", "run-1/SUCCEEDED_0.jsonl").unwrap().content(), "1\n2\n3\n");
    }

    #[test]
    fn spec_errors() {
        let put = r#"{"Resource": "arn:aws:states:::s3:putObject"}"#;
        let cases: [(&str, Option<&str>); 6] = [
            (put, None),
            (r#"{"Resource": "arn:aws:states:::s3:getObject"}"#, Some(r#"{"Bucket": "b"}"#)),
            (put, Some(r#"{"Prefix": "p"}"#)),
            (put, Some(r#"{"Bucket": "b", "Prefix": 1}"#)),
            (r#"{"WriterConfig": {"Transformation": "ALL"}}"#, None),
            (r#"{"WriterConfig": {"OutputType": "CSV"}}"#, None),
        ];
        for (writer, params) in cases {
            let e = WriterSpec::from_result_writer(&v(writer), params.map(v).as_ref()).unwrap_err();
            assert_eq!(e.error, "States.ResultWriterFailed", "{writer}");
        }
        assert_eq!(child_state_machine_arn("weird"), "weird");
        assert!(is_put_object("arn:aws:states:us-east-1:123456789012:s3:putObject"));
        assert!(!is_put_object("arn:aws:states:::s3:putObject.sync"));
    }

    #[test]
    fn many_results_write_in_one_pass() {
        let results: Vec<ChildResult> = (0..100_000).map(|i| child(i, ChildStatus::Succeeded, Some("1"))).collect();
        let mut store = ObjectStore::new(0);
        let compact = spec(
            r#"{"Resource": "arn:aws:states:::s3:putObject", "WriterConfig": {"Transformation": "COMPACT"}}"#,
            Some(r#"{"Bucket": "out"}"#),
        );
        write_results(&compact, RUN, &results, &mut store).unwrap();
        assert_eq!(store.get("out", "run-1/SUCCEEDED_0.json").unwrap().size(), 2 * 100_000 + 1);
    }
}
