//! The data side of a Distributed Map state, as AWS Step Functions runs it, with Amazon S3
//! answered by an in-memory object store:
//!
//! - [`ObjectStore`]: buckets of text objects, read from the mock configuration's `S3Objects`;
//! - [`read_items`]: the `ItemReader` (`s3:getObject` of a JSON, JSONL or CSV object, or
//!   `s3:listObjectsV2`), with `ReaderConfig` and `MaxItems`;
//! - [`batch_items`]: the `ItemBatcher` (`MaxItemsPerBatch`, `MaxInputBytesPerBatch`,
//!   `BatchInput`);
//! - [`write_results`]: the `ResultWriter` (`manifest.json` and the `SUCCEEDED_0.json`,
//!   `FAILED_0.json`, `PENDING_0.json` result files, `WriterConfig` transformations).
//!
//! Everything here is a pure function over values: the engine evaluates `Parameters` /
//! `Arguments` and the `...Path` fields, then hands the results in. Failures are
//! [`MapRunError`] values carrying AWS's error name and cause.

mod batcher;
mod csv;
mod reader;
mod store;
mod writer;

pub use batcher::{batch_items, BatcherSpec, MAX_BATCH_BYTES};
pub(crate) use reader::integer_value;
pub use reader::{
    parse_items, read_items, resolve_max_items, CsvDelimiter, CsvHeaderLocation, InputType, ManifestType, ReaderConfig,
    ReaderResource, ReaderSpec, ReaderTransformation, MAX_ITEMS_LIMIT,
};
pub use store::{ListRequest, ObjectStore, S3Error, StoredObject, S3_OBJECT_FIELDS};
pub use writer::{write_results, ChildResult, ChildStatus, OutputType, Transformation, WriterConfig, WriterSpec};

use crate::value::Value;

/// `States.ItemReaderFailed`: the Map could not read its items.
pub const ITEM_READER_FAILED: &str = "States.ItemReaderFailed";
/// `States.ResultWriterFailed`: the Map could not write its results.
pub const RESULT_WRITER_FAILED: &str = "States.ResultWriterFailed";
/// `States.Runtime`: a value the Map state computed is unusable.
pub const RUNTIME: &str = "States.Runtime";

/// Why a Map Run failed: AWS's error name (`States.ItemReaderFailed`, ...) and cause, as the
/// `MapRunFailed` and `ExecutionFailed` events carry them.
#[derive(Clone, Debug, PartialEq)]
pub struct MapRunError {
    pub error: String,
    pub cause: String,
}

impl MapRunError {
    /// A failure named `error` with `cause`.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> MapRunError {
        MapRunError { error: error.into(), cause: cause.into() }
    }

    /// A `States.ItemReaderFailed` failure.
    pub fn item_reader(cause: impl Into<String>) -> MapRunError {
        MapRunError::new(ITEM_READER_FAILED, cause)
    }

    /// A `States.ResultWriterFailed` failure.
    pub fn result_writer(cause: impl Into<String>) -> MapRunError {
        MapRunError::new(RESULT_WRITER_FAILED, cause)
    }
}

impl std::fmt::Display for MapRunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.error, self.cause)
    }
}

impl std::error::Error for MapRunError {}

/// A string member of an object, if present and a string.
fn str_field<'a>(obj: &'a Value, key: &str) -> Option<&'a str> {
    obj.get(key).and_then(Value::as_str)
}
