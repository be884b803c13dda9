//! A distributed Map's data: items read from (mocked) S3 by the `ItemReader`, grouped by the
//! `ItemBatcher`, and results written by the `ResultWriter` — the engine evaluates the
//! fields, `crate::distributed` does the reading and writing.

use super::{Children, Execution, Status};
use crate::definition::model::{ItemIo, Kind};
use crate::distributed::{
    batch_items, read_items, write_results, BatcherSpec, ChildResult, ChildStatus, MapRunError, ObjectStore,
    ReaderSpec, WriterSpec,
};
use crate::history::EventType;
use crate::query::{Env, EvalError};
use crate::time::Millis;
use crate::value::Value;
use std::rc::Rc;

fn run_error(e: EvalError) -> MapRunError {
    MapRunError::new(e.error, e.cause)
}

/// An evaluated `ItemReader`/`ItemBatcher`/`ResultWriter`: the object, its `Parameters`/`Arguments`/
/// `BatchInput`, and the values of its `...Path` fields by field name.
type EvaluatedIo = (Value, Option<Value>, Vec<(&'static str, Value)>);

impl Execution {
    /// The mocked S3 the distributed Maps of this execution read and write.
    pub fn object_store(&self) -> Option<&ObjectStore> {
        self.object_store.as_ref()
    }

    /// Gives the execution a mocked S3 (objects for `ItemReader`s; `ResultWriter`s write here).
    pub fn set_object_store(&mut self, store: ObjectStore) {
        self.object_store = Some(store);
    }

    fn store(&mut self) -> &mut ObjectStore {
        let start = self.options.start_time;
        self.object_store.get_or_insert_with(|| ObjectStore::new(start))
    }

    /// Evaluates an `ItemReader`/`ItemBatcher`/`ResultWriter` against the Map's input: the
    /// object (with JSONata evaluated), its `Parameters`/`Arguments`/`BatchInput`, and the
    /// values of its `...Path` fields (or JSONata numbers) by field name.
    fn evaluate_io(
        &mut self,
        fid: usize,
        io: &ItemIo,
        input: &Value,
        params_key: &str,
    ) -> Result<EvaluatedIo, MapRunError> {
        if let Some(field) = &io.jsonata {
            let env = self.env_for_input(fid, input);
            let evaluated = field.evaluate(&env, params_key).map_err(run_error)?;
            let key = if params_key == "Parameters" { "Arguments" } else { params_key };
            let params = evaluated.get(key).cloned();
            let config = evaluated.get("ReaderConfig").unwrap_or(&evaluated);
            let mut resolved = Vec::new();
            for name in ["MaxItems", "MaxItemsPerBatch", "MaxInputBytesPerBatch"] {
                let raw_is_expression = io
                    .raw
                    .get("ReaderConfig")
                    .unwrap_or(&io.raw)
                    .get(name)
                    .or_else(|| io.raw.get(name))
                    .is_some_and(Value::is_string);
                if let Some(v) = config.get(name).or_else(|| evaluated.get(name)).filter(|_| raw_is_expression) {
                    resolved.push((name, v.clone()));
                }
            }
            return Ok((evaluated, params, resolved));
        }
        let f = &self.fibers[fid];
        let scope = f.scope.clone();
        let context = self.state_context(fid);
        let mut env = Env { input, context: &context, variables: &*scope, random: &mut self.random };
        let params = match &io.template {
            Some(t) => Some(t.evaluate(&mut env).map_err(run_error)?),
            None => None,
        };
        let mut resolved = Vec::new();
        for (name, path) in &io.paths {
            let v = path.select_or_invalid_path(&env).map_err(run_error)?;
            resolved.push((*name, v));
        }
        Ok((io.raw.clone(), params, resolved))
    }

    /// Reads and batches a distributed Map's items, when it has an `ItemReader` or an
    /// `ItemBatcher`; the children then run over these.
    pub(super) fn prepare_distributed_items(&mut self, fid: usize, children: &mut Children) -> Result<(), MapRunError> {
        let def = self.def.clone();
        let f = &self.fibers[fid];
        let Kind::Map(m) = &def.lists[f.list].states[f.state].kind else { return Ok(()) };
        let input = children.map_input.clone();
        let mut items: Option<Vec<Value>> = None;
        if let Some(reader) = &m.item_reader {
            let (object, params, resolved) = self.evaluate_io(fid, reader, &input, "Parameters")?;
            let max_items = resolved.iter().find(|(n, _)| *n == "MaxItems").map(|(_, v)| v.clone());
            let spec = ReaderSpec::from_item_reader(&object, params.unwrap_or_default(), max_items.as_ref())?;
            items = Some(read_items(&spec, self.store())?);
        }
        if let Some(batcher) = &m.item_batcher {
            let (object, batch_input, resolved) = self.evaluate_io(fid, batcher, &input, "BatchInput")?;
            let get = |n: &str| resolved.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone());
            let spec = BatcherSpec::from_item_batcher(
                &object,
                batch_input,
                get("MaxItemsPerBatch").as_ref(),
                get("MaxInputBytesPerBatch").as_ref(),
            )?;
            let all = items.take().unwrap_or_else(|| children.items.to_vec());
            items = Some(batch_items(all, &spec)?);
        }
        if let Some(items) = items {
            children.results = vec![None; items.len()];
            children.items = Rc::new(items);
        }
        Ok(())
    }

    /// Writes a distributed Map's results where its `ResultWriter` says; the Map's result
    /// becomes what the writer returns. `None` when there is no writer.
    pub(super) fn write_distributed_results(&mut self, fid: usize) -> Option<Result<Value, MapRunError>> {
        let def = self.def.clone();
        let f = &self.fibers[fid];
        let Kind::Map(m) = &def.lists[f.list].states[f.state].kind else { return None };
        let writer = m.result_writer.as_ref()?;
        let children = self.fibers[fid].children.as_deref()?;
        let arn = children.map_run_arn.clone()?;
        let input = children.map_input.clone();
        Some((|| {
            let (object, params, _) = self.evaluate_io(fid, writer, &input, "Parameters")?;
            let spec = WriterSpec::from_result_writer(&object, params.as_ref())?;
            let results: Vec<ChildResult> = self
                .children_executions
                .iter()
                .filter(|c| c.map_run_arn == arn)
                .map(|c| child_result(c, &self.options.ids))
                .collect();
            write_results(&spec, &arn, &results, self.store())
        })())
    }
}

impl super::ChildExecution {
    /// The child execution's name: its item's index and the map run's id, `7-<uuid>`.
    pub fn name(&self) -> String {
        let arn = &self.map_run_arn;
        format!("{}-{}", self.index, &arn[arn.rfind(':').map_or(0, |i| i + 1)..])
    }

    /// When it started, on the virtual clock (its first event).
    pub fn start_ms(&self) -> Millis {
        self.events.first().map_or(0, |e| e.timestamp)
    }

    /// When it ended (its last event), or `None` while it runs.
    pub fn stop_ms(&self) -> Option<Millis> {
        (self.status != Status::Running).then(|| self.events.last().map_or(0, |e| e.timestamp))
    }
}

/// What the `ResultWriter` records of a child execution.
fn child_result(c: &super::ChildExecution, ids: &super::ExecutionIds) -> ChildResult {
    let first = c.events.first();
    let last = c.events.last();
    let status = match c.status {
        Status::Succeeded => ChildStatus::Succeeded,
        Status::Failed => ChildStatus::Failed,
        Status::TimedOut => ChildStatus::TimedOut,
        Status::Aborted => ChildStatus::Aborted,
        Status::Running => ChildStatus::Pending,
    };
    let name: Rc<str> = Rc::from(c.name());
    let run = c.map_run_arn.split(":mapRun:").nth(1).unwrap_or_default();
    ChildResult {
        index: c.index,
        status,
        input: first.and_then(|e| e.details.input.clone()).unwrap_or_default(),
        output: last.filter(|e| e.event_type == EventType::ExecutionSucceeded).and_then(|e| e.details.output.clone()),
        error: last.filter(|e| e.event_type == EventType::ExecutionFailed).and_then(|e| e.details.error.clone()),
        cause: last.filter(|e| e.event_type == EventType::ExecutionFailed).and_then(|e| e.details.cause.clone()),
        execution_arn: Rc::from(format!(
            "arn:{}:states:{}:{}:execution:{run}:{name}",
            ids.partition, ids.region, ids.account_id
        )),
        name,
        start_ms: c.start_ms(),
        stop_ms: c.stop_ms(),
    }
}

#[cfg(test)]
mod tests {
    use crate::distributed::ObjectStore;
    use crate::{json, Definition, Execution, Options, Status};
    use std::rc::Rc;

    /// A distributed Map over `n` items read from S3, each child one Pass state.
    fn distributed(n: usize) -> Execution {
        let def = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
            "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"},
                           "Parameters": {"Bucket": "b", "Key": "items.json"}},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                              "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
            "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out", "Prefix": "r"}}}}}"#;
        let items: Vec<String> = (0..n).map(|i| i.to_string()).collect();
        let mut store = ObjectStore::new(0);
        store.put("b", "items.json", format!("[{}]", items.join(",")));
        let def = Definition::from_text(def).expect("valid definition");
        let mut exec = Execution::start(Rc::new(def), json::parse("{}").expect("json"), Options::default());
        exec.set_object_store(store);
        exec
    }

    #[test]
    fn step_within_stops_when_the_budget_runs_out_and_resumes() {
        let mut exec = distributed(50);
        let mut empty_slices = 0;
        while exec.status() == Status::Running {
            let mut budget = 20;
            if exec.step_within(&mut budget).is_none() {
                assert_eq!(budget, 0, "None while running means the budget is spent");
                empty_slices += 1;
            }
        }
        let types: Vec<String> = exec.history().iter().map(|e| e.event_type.name().to_string()).collect();
        assert_eq!(exec.status(), Status::Succeeded);
        assert!(empty_slices >= 5, "50 children take many turns with no parent event ({empty_slices})");
        assert_eq!(types.iter().filter(|t| *t == "MapRunSucceeded").count(), 1);
        // The run's end event follows its start in the Map state's chain (the Map Run view
        // pairs them so).
        let id_of =
            |t: &str| exec.history().iter().find(|e| e.event_type.name() == t).map(|e| (e.id, e.previous_event_id));
        assert_eq!(id_of("MapRunSucceeded").map(|e| e.1), id_of("MapRunStarted").map(|e| e.0));
        // The same history as an unbounded run.
        let mut whole = distributed(50);
        whole.run();
        let names: Vec<String> = whole.history().iter().map(|e| e.event_type.name().to_string()).collect();
        assert_eq!(types, names);
    }

    #[test]
    fn map_run_totals_and_child_names() {
        let mut exec = distributed(7);
        exec.run();
        let totals = exec.map_run_totals();
        assert_eq!(totals.len(), 1);
        assert_eq!(totals[0].1, 7);
        let children = exec.child_executions();
        assert_eq!(children.len(), 7);
        let run_id = &totals[0].0[totals[0].0.rfind(':').map_or(0, |i| i + 1)..];
        assert_eq!(children[3].name(), format!("3-{run_id}"));
        assert_eq!(children[3].stop_ms(), Some(children[3].events.last().map_or(0, |e| e.timestamp)));
        assert!(children[3].start_ms() <= children[3].stop_ms().unwrap_or(0));
    }
}
