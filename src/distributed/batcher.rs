//! The `ItemBatcher` of a Distributed Map: groups items into batches, each the input of one
//! child execution: `{"BatchInput": <BatchInput>, "Items": [...]}` (`BatchInput` only when
//! given). A batch holds at most `MaxItemsPerBatch` items and its JSON text at most
//! `MaxInputBytesPerBatch` bytes, never more than 256 KiB.
//!
//! ```
//! use aslplay::{distributed::{batch_items, BatcherSpec}, json, Value};
//! let spec = BatcherSpec { max_items_per_batch: Some(2), ..Default::default() };
//! let items = vec![Value::from(1), Value::from(2), Value::from(3)];
//! let batches = batch_items(items, &spec).unwrap();
//! assert_eq!(json::to_string(&batches.into()), r#"[{"Items":[1,2]},{"Items":[3]}]"#);
//! ```

use super::reader::integer_value;
use super::{str_field, MapRunError, RUNTIME};
use crate::json;
use crate::value::{Map, Value};

/// The largest batch AWS passes to a child execution: 256 KiB of JSON text.
pub const MAX_BATCH_BYTES: u64 = 256 * 1024;

/// An `ItemBatcher` with its `...Path` fields and `BatchInput` already evaluated.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BatcherSpec {
    /// At most this many items per batch; `None` for no count limit.
    pub max_items_per_batch: Option<u64>,
    /// At most this many bytes of JSON text per batch; `None` (or anything above 256 KiB)
    /// means 256 KiB.
    pub max_input_bytes_per_batch: Option<u64>,
    /// The evaluated `BatchInput`, put into every batch.
    pub batch_input: Option<Value>,
}

impl BatcherSpec {
    /// Builds the spec from the `ItemBatcher` object of a definition. `batch_input` is the
    /// evaluated `BatchInput`; `max_items_per_batch` and `max_input_bytes_per_batch` are the
    /// values the engine resolved from `...Path` fields or JSONata expressions; when `None`,
    /// literal numbers in `item_batcher` are used.
    pub fn from_item_batcher(
        item_batcher: &Value,
        batch_input: Option<Value>,
        max_items_per_batch: Option<&Value>,
        max_input_bytes_per_batch: Option<&Value>,
    ) -> Result<BatcherSpec, MapRunError> {
        let limit = |field: &str, resolved: Option<&Value>| -> Result<Option<u64>, MapRunError> {
            let path_field = format!("{field}Path");
            match (resolved, item_batcher.get(field)) {
                (Some(v), _) => positive_limit(field, v, str_field(item_batcher, &path_field)).map(Some),
                (None, Some(v)) if v.is_number() => positive_limit(field, v, None).map(Some),
                _ => Ok(None),
            }
        };
        Ok(BatcherSpec {
            max_items_per_batch: limit("MaxItemsPerBatch", max_items_per_batch)?,
            max_input_bytes_per_batch: limit("MaxInputBytesPerBatch", max_input_bytes_per_batch)?,
            batch_input,
        })
    }
}

/// A batch limit must be a positive integer (given as a number or a string of one).
fn positive_limit(field: &str, v: &Value, path: Option<&str>) -> Result<u64, MapRunError> {
    let shown = json::to_string(v);
    match integer_value(v) {
        Some(n) if n > 0 => Ok(n as u64),
        Some(_) => {
            Err(MapRunError::new(RUNTIME, format!("The {field} field must be a positive integer, but was: {shown}")))
        }
        None => Err(MapRunError::new(
            RUNTIME,
            match path {
                Some(p) => format!("The {field}Path field refers to value {shown} which is not a valid integer: {p}"),
                None => format!("The {field} field must be a positive integer, but was: {shown}"),
            },
        )),
    }
}

/// Groups `items` into batches in order, filling each batch as far as both limits allow.
/// An item too large to fit in a batch on its own fails with `States.Runtime`.
pub fn batch_items(items: Vec<Value>, spec: &BatcherSpec) -> Result<Vec<Value>, MapRunError> {
    let max_items = spec.max_items_per_batch.map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX).max(1));
    let max_bytes = spec.max_input_bytes_per_batch.map_or(MAX_BATCH_BYTES, |n| n.min(MAX_BATCH_BYTES)) as usize;
    // `{"Items":[]}` or `{"BatchInput":<input>,"Items":[]}`: the bytes of an empty batch.
    let empty_len = match &spec.batch_input {
        Some(input) => r#"{"BatchInput":,"Items":[]}"#.len() + input.json_len(),
        None => r#"{"Items":[]}"#.len(),
    };
    let mut batches = Vec::new();
    let mut current: Vec<Value> = Vec::new();
    let mut current_len = empty_len;
    for (index, item) in items.into_iter().enumerate() {
        let item_len = item.json_len();
        if empty_len + item_len > max_bytes {
            return Err(MapRunError::new(
                RUNTIME,
                format!(
                    "The item at index {index} needs a batch of {} bytes, more than the {max_bytes} bytes MaxInputBytesPerBatch allows.",
                    empty_len + item_len
                ),
            ));
        }
        let separator = usize::from(!current.is_empty());
        if !current.is_empty() && (current.len() >= max_items || current_len + separator + item_len > max_bytes) {
            batches.push(batch(std::mem::take(&mut current), &spec.batch_input));
            current_len = empty_len;
        }
        current_len += usize::from(!current.is_empty()) + item_len;
        current.push(item);
    }
    if !current.is_empty() {
        batches.push(batch(current, &spec.batch_input));
    }
    Ok(batches)
}

fn batch(items: Vec<Value>, batch_input: &Option<Value>) -> Value {
    let mut m = Map::with_capacity(2);
    if let Some(input) = batch_input {
        m.insert("BatchInput", input.clone());
    }
    m.insert("Items", Value::from(items));
    Value::from(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Value {
        json::parse(text).unwrap()
    }

    fn numbers(n: i64) -> Vec<Value> {
        (0..n).map(Value::from).collect()
    }

    fn sizes(batches: &[Value]) -> Vec<usize> {
        batches.iter().map(|b| b.get("Items").and_then(Value::as_array).map_or(0, |a| a.len())).collect()
    }

    #[test]
    fn by_count() {
        let spec = BatcherSpec { max_items_per_batch: Some(2), ..Default::default() };
        assert_eq!(sizes(&batch_items(numbers(5), &spec).unwrap()), [2, 2, 1]);
        assert_eq!(batch_items(Vec::new(), &spec).unwrap(), Vec::<Value>::new());
        let huge = BatcherSpec { max_items_per_batch: Some(u64::MAX), ..Default::default() };
        assert_eq!(sizes(&batch_items(numbers(5), &huge).unwrap()), [5]);
    }

    #[test]
    fn by_bytes_counts_the_whole_batch_text() {
        // {"Items":[0,1,2]} is 17 bytes; a fourth item makes 19.
        let spec = BatcherSpec { max_input_bytes_per_batch: Some(17), ..Default::default() };
        let batches = batch_items(numbers(5), &spec).unwrap();
        assert_eq!(sizes(&batches), [3, 2]);
        assert!(batches.iter().all(|b| json::to_string(b).len() <= 17));
        let with_input = BatcherSpec {
            max_input_bytes_per_batch: Some(36),
            batch_input: Some(v(r#"{"k":1}"#)),
            ..Default::default()
        };
        let batches = batch_items(numbers(4), &with_input).unwrap();
        assert_eq!(sizes(&batches), [2, 2]);
        assert!(batches.iter().all(|b| json::to_string(b).len() <= 36), "{batches:?}");
        assert_eq!(json::to_string(&batches[0]), r#"{"BatchInput":{"k":1},"Items":[0,1]}"#);
    }

    #[test]
    fn both_limits_and_the_256_kib_cap() {
        let spec =
            BatcherSpec { max_items_per_batch: Some(2), max_input_bytes_per_batch: Some(1000), ..Default::default() };
        assert_eq!(sizes(&batch_items(numbers(3), &spec).unwrap()), [2, 1]);
        let big: Vec<Value> = (0..3).map(|_| Value::from("x".repeat(100_000))).collect();
        let capped = BatcherSpec { max_input_bytes_per_batch: Some(10_000_000), ..Default::default() };
        assert_eq!(sizes(&batch_items(big.clone(), &capped).unwrap()), [2, 1]);
        assert_eq!(sizes(&batch_items(big, &BatcherSpec::default()).unwrap()), [2, 1]);
    }

    #[test]
    fn an_item_larger_than_a_batch_fails() {
        let spec = BatcherSpec { max_input_bytes_per_batch: Some(20), ..Default::default() };
        let e = batch_items(vec![Value::from(1), Value::from("a long string here")], &spec).unwrap_err();
        assert_eq!(e.error, "States.Runtime");
        assert!(e.cause.contains("index 1"), "{}", e.cause);
    }

    #[test]
    fn from_item_batcher_reads_literals_and_resolved_values() {
        let def = v(r#"{"MaxItemsPerBatch": 3, "MaxInputBytesPerBatchPath": "$.bytes"}"#);
        let spec = BatcherSpec::from_item_batcher(&def, Some(v("{}")), None, Some(&v("500"))).unwrap();
        assert_eq!(
            spec,
            BatcherSpec {
                max_items_per_batch: Some(3),
                max_input_bytes_per_batch: Some(500),
                batch_input: Some(v("{}"))
            }
        );
        let e = BatcherSpec::from_item_batcher(&def, None, None, Some(&v(r#""x""#))).unwrap_err();
        assert_eq!(
            e.cause,
            r#"The MaxInputBytesPerBatchPath field refers to value "x" which is not a valid integer: $.bytes"#
        );
        let text = BatcherSpec::from_item_batcher(&def, None, Some(&v(r#""2""#)), Some(&v(r#""15000""#))).unwrap();
        assert_eq!((text.max_items_per_batch, text.max_input_bytes_per_batch), (Some(2), Some(15000)));
        let zero = BatcherSpec::from_item_batcher(&v("{}"), None, Some(&v("0")), None).unwrap_err();
        assert_eq!(zero.error, "States.Runtime");
        let jsonata =
            BatcherSpec::from_item_batcher(&v(r#"{"MaxItemsPerBatch": "{% 2 %}"}"#), None, None, None).unwrap();
        assert_eq!(jsonata.max_items_per_batch, None);
    }

    #[test]
    fn a_hundred_thousand_items_batch_quickly() {
        let spec = BatcherSpec {
            max_items_per_batch: Some(1000),
            max_input_bytes_per_batch: Some(MAX_BATCH_BYTES),
            ..Default::default()
        };
        let batches = batch_items(numbers(100_000), &spec).unwrap();
        assert_eq!(batches.len(), 100);
    }
}
