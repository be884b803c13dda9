//! The `ItemReader` of a Distributed Map: which S3 call reads the dataset (`s3:getObject` for
//! one JSON, JSONL, CSV or manifest object, `s3:listObjectsV2` for the objects under a
//! prefix), how `ReaderConfig` turns the object's text into items, and `MaxItems`.
//!
//! ```
//! use aslplay::{distributed::{read_items, ObjectStore, ReaderSpec}, json};
//! let mut store = ObjectStore::new(0);
//! store.put("b", "rows.csv", "name,qty\napple,3\npear,5\n");
//! let reader = json::parse(r#"{"Resource": "arn:aws:states:::s3:getObject",
//!     "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "MaxItems": 1}}"#).unwrap();
//! let params = json::parse(r#"{"Bucket": "b", "Key": "rows.csv"}"#).unwrap();
//! let spec = ReaderSpec::from_item_reader(&reader, params, None).unwrap();
//! let items = read_items(&spec, &store).unwrap();
//! assert_eq!(json::to_string(&items.into()), r#"[{"name":"apple","qty":"3"}]"#);
//! ```

use std::borrow::Cow;
use std::rc::Rc;

use super::csv::Records;
use super::store::{required_string, ListRequest, ObjectStore};
use super::{str_field, MapRunError, RUNTIME};
use crate::json;
use crate::services::ArnParts;
use crate::value::{Map, Value};

/// The largest `MaxItems` AWS honours; larger values read at most this many items.
pub const MAX_ITEMS_LIMIT: u64 = 100_000_000;

/// The largest CSV header row AWS reads: 10 KiB.
const MAX_CSV_HEADER_BYTES: usize = 10 * 1024;

/// The S3 call an `ItemReader` makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReaderResource {
    /// `arn:aws:states:::s3:getObject`: one object holds the dataset.
    GetObject,
    /// `arn:aws:states:::s3:listObjectsV2`: the objects under a prefix are the dataset.
    ListObjectsV2,
}

impl ReaderResource {
    /// Reads an `ItemReader`'s `Resource`. AWS accepts only the optimized S3 integrations
    /// (in any partition: `aws`, `aws-cn`, `aws-us-gov`; with or without a region and
    /// account, as every integration ARN), not `aws-sdk:s3:...`.
    pub fn parse(resource: &str) -> Option<ReaderResource> {
        let parts = ArnParts::split(resource)?;
        if !matches!(parts.partition, "aws" | "aws-cn" | "aws-us-gov") {
            return None;
        }
        match parts.integration()?.strip_prefix("s3:")? {
            "getObject" => Some(ReaderResource::GetObject),
            "listObjectsV2" => Some(ReaderResource::ListObjectsV2),
            _ => None,
        }
    }
}

/// `ReaderConfig.InputType`: how the object's text becomes items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputType {
    /// A JSON array (or, with `ItemsPointer`, an array inside a JSON object).
    Json,
    /// One JSON value per line.
    Jsonl,
    /// Delimited text; every row an object of strings keyed by the headers.
    Csv,
    /// Apache Parquet (binary; the text store cannot hold it).
    Parquet,
    /// An S3 Inventory or Athena manifest naming the data files.
    Manifest,
}

/// `ReaderConfig.CSVHeaderLocation`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CsvHeaderLocation {
    /// The first row holds the headers (the default).
    #[default]
    FirstRow,
    /// `CSVHeaders` gives them; every row is data.
    Given,
}

/// `ReaderConfig.CSVDelimiter`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CsvDelimiter {
    #[default]
    Comma,
    Pipe,
    Semicolon,
    Space,
    Tab,
}

impl CsvDelimiter {
    /// The delimiter byte.
    pub fn byte(self) -> u8 {
        match self {
            CsvDelimiter::Comma => b',',
            CsvDelimiter::Pipe => b'|',
            CsvDelimiter::Semicolon => b';',
            CsvDelimiter::Space => b' ',
            CsvDelimiter::Tab => b'\t',
        }
    }
}

/// `ReaderConfig.ManifestType`, for `InputType: MANIFEST`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManifestType {
    S3Inventory,
    AthenaData,
}

/// `ReaderConfig.Transformation`, for `s3:listObjectsV2`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReaderTransformation {
    /// Each listed object's metadata is an item (the default).
    #[default]
    None,
    /// Each listed object is read with `InputType` and its items are the items.
    LoadAndFlatten,
}

/// A `ReaderConfig` with `MaxItems` already resolved.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReaderConfig {
    /// `None` when absent (a plain `s3:listObjectsV2` listing needs none).
    pub input_type: Option<InputType>,
    pub csv_header_location: CsvHeaderLocation,
    /// `CSVHeaders`, for `CSVHeaderLocation: GIVEN`.
    pub csv_headers: Option<Vec<Rc<str>>>,
    pub csv_delimiter: CsvDelimiter,
    /// At most this many items; `None` reads them all.
    pub max_items: Option<u64>,
    /// `ItemsPointer`: a JSON pointer to the array inside a JSON object.
    pub items_pointer: Option<String>,
    pub manifest_type: Option<ManifestType>,
    pub transformation: ReaderTransformation,
}

/// Everything an `ItemReader` needs at run time.
#[derive(Clone, Debug, PartialEq)]
pub struct ReaderSpec {
    pub resource: ReaderResource,
    /// The evaluated `Parameters` (JSONPath) or `Arguments` (JSONata): `Bucket`, `Key`,
    /// `Prefix`, ...
    pub parameters: Value,
    pub config: ReaderConfig,
}

impl ReaderSpec {
    /// Builds the spec from the `ItemReader` object of a definition, its already evaluated
    /// `Parameters`/`Arguments`, and the resolved `MaxItems` value (from `MaxItemsPath`, or a
    /// JSONata `MaxItems` expression); with `max_items` `None`, a literal numeric `MaxItems`
    /// in `ReaderConfig` is used.
    pub fn from_item_reader(
        item_reader: &Value,
        parameters: Value,
        max_items: Option<&Value>,
    ) -> Result<ReaderSpec, MapRunError> {
        let resource_text = str_field(item_reader, "Resource").unwrap_or_default();
        let resource = ReaderResource::parse(resource_text).ok_or_else(|| {
            MapRunError::item_reader(format!("The ItemReader resource '{resource_text}' is not supported."))
        })?;
        let config = match item_reader.get("ReaderConfig") {
            Some(c) => ReaderConfig::from_value(c, max_items)?,
            None => ReaderConfig {
                max_items: max_items.map(|v| resolve_max_items(v, None)).transpose()?.flatten(),
                ..Default::default()
            },
        };
        Ok(ReaderSpec { resource, parameters, config })
    }
}

impl ReaderConfig {
    /// Reads a `ReaderConfig` object. `max_items` is the resolved `MaxItems` (see
    /// [`ReaderSpec::from_item_reader`]).
    pub fn from_value(config: &Value, max_items: Option<&Value>) -> Result<ReaderConfig, MapRunError> {
        let bad = |field: &str, v: &Value| {
            MapRunError::item_reader(format!(
                "The ReaderConfig field '{field}' has an unsupported value: {}",
                json::to_string(v)
            ))
        };
        let mut out = ReaderConfig::default();
        if let Some(v) = config.get("InputType") {
            out.input_type = Some(match v.as_str() {
                Some("JSON") => InputType::Json,
                Some("JSONL") => InputType::Jsonl,
                Some("CSV") => InputType::Csv,
                Some("PARQUET") => InputType::Parquet,
                Some("MANIFEST") => InputType::Manifest,
                _ => return Err(bad("InputType", v)),
            });
        }
        if let Some(v) = config.get("CSVHeaderLocation") {
            out.csv_header_location = match v.as_str() {
                Some("FIRST_ROW") => CsvHeaderLocation::FirstRow,
                Some("GIVEN") => CsvHeaderLocation::Given,
                _ => return Err(bad("CSVHeaderLocation", v)),
            };
        }
        if let Some(v) = config.get("CSVHeaders") {
            let headers = v.as_array().ok_or_else(|| bad("CSVHeaders", v))?;
            let names = headers.iter().map(|h| match h {
                Value::String(s) => Ok(s.clone()),
                other => Err(bad("CSVHeaders", other)),
            });
            out.csv_headers = Some(names.collect::<Result<_, _>>()?);
        }
        if let Some(v) = config.get("CSVDelimiter") {
            out.csv_delimiter = match v.as_str() {
                Some("COMMA") => CsvDelimiter::Comma,
                Some("PIPE") => CsvDelimiter::Pipe,
                Some("SEMICOLON") => CsvDelimiter::Semicolon,
                Some("SPACE") => CsvDelimiter::Space,
                Some("TAB") => CsvDelimiter::Tab,
                _ => return Err(bad("CSVDelimiter", v)),
            };
        }
        if let Some(v) = config.get("ItemsPointer") {
            out.items_pointer = Some(v.as_str().ok_or_else(|| bad("ItemsPointer", v))?.to_string());
        }
        if let Some(v) = config.get("ManifestType") {
            out.manifest_type = Some(match v.as_str() {
                Some("S3_INVENTORY") => ManifestType::S3Inventory,
                Some("ATHENA_DATA") => ManifestType::AthenaData,
                _ => return Err(bad("ManifestType", v)),
            });
        }
        if let Some(v) = config.get("Transformation") {
            out.transformation = match v.as_str() {
                Some("NONE") => ReaderTransformation::None,
                Some("LOAD_AND_FLATTEN") => ReaderTransformation::LoadAndFlatten,
                _ => return Err(bad("Transformation", v)),
            };
        }
        out.max_items = match (max_items, config.get("MaxItems")) {
            (Some(v), _) => resolve_max_items(v, str_field(config, "MaxItemsPath"))?,
            (None, Some(v)) if v.is_number() => resolve_max_items(v, None)?,
            _ => None,
        };
        Ok(out)
    }
}

/// Checks a `MaxItems` value as AWS does when the Map Run starts: a negative number fails
/// the run with `States.ItemReaderFailed` "field MaxItems must be positive"; `0` means no
/// limit (`None`); values above 100,000,000 read at most 100,000,000 items. An integer may
/// come as a string (`"2"`, as a variable often holds it: AWS reads it). Any other value is a
/// `States.Runtime` error naming `path` (the `MaxItemsPath`) when given.
pub fn resolve_max_items(value: &Value, path: Option<&str>) -> Result<Option<u64>, MapRunError> {
    let Some(n) = integer_value(value) else {
        let shown = json::to_string(value);
        return Err(MapRunError::new(
            RUNTIME,
            match path {
                Some(p) => format!("The MaxItemsPath field refers to value {shown} which is not a valid integer: {p}"),
                None => format!("The MaxItems field must be an integer, but was: {shown}"),
            },
        ));
    };
    match n {
        n if n < 0 => Err(MapRunError::item_reader("field MaxItems must be positive")),
        0 => Ok(None),
        n => Ok(Some((n as u64).min(MAX_ITEMS_LIMIT))),
    }
}

/// An integer given as a number (`2`, `2.0`) or as a string of one (`"2"`, `"-1"`), as AWS
/// accepts for the integer `...Path` fields: `MaxItemsPath`, the `ItemBatcher` limits, and
/// Map's `MaxConcurrencyPath` and `ToleratedFailureCountPath`.
pub(crate) fn integer_value(value: &Value) -> Option<i64> {
    match value {
        Value::String(s) => s.parse::<i64>().ok(),
        other => other.as_i64(),
    }
}

/// Reads the items of a Distributed Map from the store, as the Map Run does before it starts
/// child executions. Every failure is a `States.ItemReaderFailed` (missing bucket or key,
/// text that is not what `InputType` says, ...).
pub fn read_items(reader: &ReaderSpec, store: &ObjectStore) -> Result<Vec<Value>, MapRunError> {
    let config = &reader.config;
    match reader.resource {
        ReaderResource::GetObject => {
            let bucket = required_string(&reader.parameters, "Bucket")?;
            let key = required_string(&reader.parameters, "Key")?;
            let object = store.get(&bucket, &key).map_err(|e| MapRunError::item_reader(e.sdk_text()))?;
            match config.input_type {
                Some(InputType::Manifest) => read_manifest(object.content(), &bucket, config, store),
                _ => parse_items(object.content(), config),
            }
        }
        ReaderResource::ListObjectsV2 => {
            let request = ListRequest::from_parameters(&reader.parameters)?;
            let listing = store.list(&request).map_err(|e| MapRunError::item_reader(e.sdk_text()))?;
            let limit = limit_of(config);
            if config.transformation == ReaderTransformation::None {
                return Ok(listing.take(limit).map(|(key, object)| ObjectStore::list_entry(key, object)).collect());
            }
            let mut items = Vec::new();
            for (_, object) in listing {
                if items.len() >= limit {
                    break;
                }
                let per_object = ReaderConfig { max_items: Some((limit - items.len()) as u64), ..config.clone() };
                items.extend(parse_items(object.content(), &per_object)?);
            }
            Ok(items)
        }
    }
}

fn limit_of(config: &ReaderConfig) -> usize {
    config.max_items.map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX))
}

/// Turns one object's text into items as `ReaderConfig` says (JSON, JSONL or CSV), at most
/// `MaxItems` of them. This is also what TestState's `mapItemReaderData` goes through.
pub fn parse_items(content: &str, config: &ReaderConfig) -> Result<Vec<Value>, MapRunError> {
    let limit = limit_of(config);
    match config.input_type {
        Some(InputType::Json) => json_items(content, config.items_pointer.as_deref(), limit),
        Some(InputType::Jsonl) => jsonl_items(content, limit),
        Some(InputType::Csv) => {
            let headers = match config.csv_header_location {
                CsvHeaderLocation::FirstRow => None,
                CsvHeaderLocation::Given => Some(config.csv_headers.as_deref().ok_or_else(|| {
                    MapRunError::item_reader("CSVHeaders must be given when CSVHeaderLocation is GIVEN.")
                })?),
            };
            csv_items(content, config.csv_delimiter.byte(), headers, limit)
        }
        Some(InputType::Parquet) => {
            Err(MapRunError::item_reader("Parquet objects cannot be read here: the playground's S3 holds text only."))
        }
        Some(InputType::Manifest) => {
            Err(MapRunError::item_reader("A manifest can only be read from S3, where its data files are."))
        }
        None => Err(MapRunError::item_reader("ReaderConfig.InputType is required to read the items of an S3 object.")),
    }
}

/// Items of a JSON document: the array itself, or the array at `pointer`.
fn json_items(content: &str, pointer: Option<&str>, limit: usize) -> Result<Vec<Value>, MapRunError> {
    let document =
        json::parse(content).map_err(|e| MapRunError::item_reader(format!("The S3 object is not valid JSON: {e}.")))?;
    let target = match pointer {
        None => document,
        Some(p) => resolve_pointer(&document, p)
            .ok_or_else(|| {
                MapRunError::item_reader(format!(
                    "The ItemsPointer '{p}' does not point to a value in the JSON object."
                ))
            })?
            .clone(),
    };
    let Value::Array(items) = target else {
        return Err(MapRunError::item_reader("Attempting to map over non-iterable node."));
    };
    let mut items = Rc::try_unwrap(items).unwrap_or_else(|shared| (*shared).clone());
    items.truncate(limit);
    Ok(items)
}

/// The value at an RFC 6901 JSON pointer (`""` is the whole document, `/a/0` a path).
fn resolve_pointer<'a>(document: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(document);
    }
    let mut at = document;
    for token in pointer.strip_prefix('/')?.split('/') {
        let token: Cow<str> =
            if token.contains('~') { token.replace("~1", "/").replace("~0", "~").into() } else { token.into() };
        at = match at {
            Value::Object(m) => m.get(&token)?,
            Value::Array(a) if token == "0" || !token.starts_with('0') => a.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(at)
}

/// Items of JSON Lines text: one JSON value per line; blank lines are skipped.
fn jsonl_items(content: &str, limit: usize) -> Result<Vec<Value>, MapRunError> {
    let mut items = Vec::new();
    for (number, line) in content.lines().enumerate() {
        if items.len() >= limit {
            break;
        }
        if line.trim().is_empty() {
            continue;
        }
        let item = json::parse(line).map_err(|e| {
            MapRunError::item_reader(format!("Line {} of the S3 object is not valid JSON: {e}.", number + 1))
        })?;
        items.push(item);
    }
    Ok(items)
}

/// Items of delimited text: one object per data row, keyed by the headers (the first row,
/// or `given`). Every value is a string; a short row's missing fields are `""` and a long
/// row's extra fields are dropped. The keys come out sorted, as AWS returns them.
fn csv_items(content: &str, delimiter: u8, given: Option<&[Rc<str>]>, limit: usize) -> Result<Vec<Value>, MapRunError> {
    let mut records = Records::new(content, delimiter);
    let headers: Vec<Rc<str>> = match given {
        Some(h) => h.to_vec(),
        None => match records.next() {
            Some(first) => {
                if records.position() > MAX_CSV_HEADER_BYTES {
                    return Err(MapRunError::item_reader("CSV headers cannot be larger than 10 KiB."));
                }
                first.into_iter().map(|h| Rc::from(&*h)).collect()
            }
            None => return Ok(Vec::new()),
        },
    };
    let mut order: Vec<usize> = (0..headers.len()).collect();
    crate::sort::sort_by(&mut order, |&a, &b| headers[a].cmp(&headers[b]));
    if order.windows(2).any(|w| headers[w[0]] == headers[w[1]]) {
        return Err(MapRunError::item_reader("CSV headers cannot contain duplicates."));
    }
    let empty: Rc<str> = Rc::from("");
    let rows = records.take(limit).map(|fields| {
        let mut row = Map::with_capacity(order.len());
        for &i in &order {
            let value = fields.get(i).map_or_else(|| empty.clone(), |f| Rc::from(&**f));
            row.push_unique(headers[i].clone(), Value::String(value));
        }
        Value::from(row)
    });
    Ok(rows.collect())
}

/// Items named by an S3 Inventory manifest (`manifest.json`): the rows of every data file it
/// lists, keyed by its `fileSchema`. Data files are read as plain CSV text (real inventories
/// are gzipped; the playground's S3 holds text).
fn read_manifest(
    content: &str,
    bucket: &str,
    config: &ReaderConfig,
    store: &ObjectStore,
) -> Result<Vec<Value>, MapRunError> {
    if config.manifest_type == Some(ManifestType::AthenaData) {
        return Err(MapRunError::item_reader(
            "Athena data manifests cannot be read here: the playground reads S3 Inventory manifests only.",
        ));
    }
    let manifest =
        json::parse(content).map_err(|e| MapRunError::item_reader(format!("The manifest is not valid JSON: {e}.")))?;
    let schema = str_field(&manifest, "fileSchema")
        .ok_or_else(|| MapRunError::item_reader("The manifest has no fileSchema."))?;
    let headers: Vec<Rc<str>> = schema.split(',').map(|h| Rc::from(h.trim())).collect();
    let data_bucket = match str_field(&manifest, "destinationBucket") {
        Some(arn) => arn.rsplit(":::").next().unwrap_or(arn).to_string(),
        None => bucket.to_string(),
    };
    let files = manifest.get("files").and_then(Value::as_array).cloned().unwrap_or_default();
    let limit = limit_of(config);
    let mut items = Vec::new();
    for file in files.iter() {
        if items.len() >= limit {
            break;
        }
        let key =
            str_field(file, "key").ok_or_else(|| MapRunError::item_reader("A manifest file entry has no key."))?;
        let object = store.get(&data_bucket, key).map_err(|e| MapRunError::item_reader(e.sdk_text()))?;
        items.extend(csv_items(object.content(), b',', Some(&headers), limit - items.len())?);
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Value {
        json::parse(text).unwrap()
    }

    fn config(text: &str) -> ReaderConfig {
        ReaderConfig::from_value(&v(text), None).unwrap()
    }

    fn items(content: &str, cfg: &str) -> Result<Value, MapRunError> {
        parse_items(content, &config(cfg)).map(Value::from)
    }

    #[test]
    fn resources() {
        assert_eq!(ReaderResource::parse("arn:aws:states:::s3:getObject"), Some(ReaderResource::GetObject));
        assert_eq!(ReaderResource::parse("arn:aws-cn:states:::s3:listObjectsV2"), Some(ReaderResource::ListObjectsV2));
        assert_eq!(ReaderResource::parse("arn:aws:states:::aws-sdk:s3:getObject"), None);
        assert_eq!(ReaderResource::parse("arn:aws:states:::s3:putObject"), None);
        assert_eq!(ReaderResource::parse("arn:other:states:::s3:getObject"), None);
        assert_eq!(
            ReaderResource::parse("arn:aws:states:us-east-1:123456789012:s3:listObjectsV2"),
            Some(ReaderResource::ListObjectsV2)
        );
        let e =
            ReaderSpec::from_item_reader(&v(r#"{"Resource": "arn:aws:states:::lambda:invoke"}"#), Value::Null, None);
        assert_eq!(e.unwrap_err().error, "States.ItemReaderFailed");
    }

    #[test]
    fn config_fields_and_their_errors() {
        let c = config(
            r#"{"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["a", "b"], "CSVDelimiter": "TAB",
                "MaxItems": 3, "ManifestType": "S3_INVENTORY", "Transformation": "LOAD_AND_FLATTEN", "ItemsPointer": "/x"}"#,
        );
        assert_eq!(c.input_type, Some(InputType::Csv));
        assert_eq!(c.csv_header_location, CsvHeaderLocation::Given);
        assert_eq!(c.csv_headers.as_deref().map(|h| h.len()), Some(2));
        assert_eq!((c.csv_delimiter, c.max_items), (CsvDelimiter::Tab, Some(3)));
        assert_eq!(c.items_pointer.as_deref(), Some("/x"));
        assert_eq!(c.manifest_type, Some(ManifestType::S3Inventory));
        assert_eq!(c.transformation, ReaderTransformation::LoadAndFlatten);
        for bad in [
            r#"{"InputType": "XML"}"#,
            r#"{"CSVHeaderLocation": "LAST_ROW"}"#,
            r#"{"CSVHeaders": "a"}"#,
            r#"{"CSVHeaders": ["a", 1]}"#,
            r#"{"CSVDelimiter": ","}"#,
            r#"{"ManifestType": "X"}"#,
            r#"{"Transformation": "FLATTEN"}"#,
            r#"{"ItemsPointer": 3}"#,
        ] {
            let e = ReaderConfig::from_value(&v(bad), None).unwrap_err();
            assert_eq!(e.error, "States.ItemReaderFailed", "{bad}");
        }
    }

    #[test]
    fn max_items_rules() {
        assert_eq!(resolve_max_items(&v("2"), None), Ok(Some(2)));
        assert_eq!(resolve_max_items(&v("2.0"), None), Ok(Some(2)));
        assert_eq!(resolve_max_items(&v("0"), None), Ok(None));
        assert_eq!(resolve_max_items(&v("100000001"), None), Ok(Some(MAX_ITEMS_LIMIT)));
        assert_eq!(resolve_max_items(&v("9223372036854775807"), None), Ok(Some(MAX_ITEMS_LIMIT)));
        let neg = resolve_max_items(&v("-1"), Some("$.n")).unwrap_err();
        assert_eq!(neg, MapRunError::item_reader("field MaxItems must be positive"));
        assert_eq!(resolve_max_items(&v(r#""5""#), Some("$n")), Ok(Some(5)));
        assert_eq!(resolve_max_items(&v(r#""-5""#), Some("$n")).unwrap_err().cause, "field MaxItems must be positive");
        let text = resolve_max_items(&v(r#""five""#), Some("$.n")).unwrap_err();
        assert_eq!(text.error, "States.Runtime");
        assert_eq!(text.cause, r#"The MaxItemsPath field refers to value "five" which is not a valid integer: $.n"#);
        assert!(resolve_max_items(&v(r#"" 5""#), None).is_err());
        assert!(resolve_max_items(&v("[5]"), None).is_err());
        assert_eq!(resolve_max_items(&v("1.5"), None).unwrap_err().error, "States.Runtime");
        // A resolved value wins over the literal; a JSONata string literal is not a number.
        let c = ReaderConfig::from_value(&v(r#"{"MaxItems": 5}"#), Some(&v("1"))).unwrap();
        assert_eq!(c.max_items, Some(1));
        assert_eq!(config(r#"{"MaxItems": "{% 2 %}"}"#).max_items, None);
    }

    #[test]
    fn json_arrays_pointers_and_errors() {
        assert_eq!(items("[1, {\"a\": 2}, [3]]", r#"{"InputType": "JSON"}"#), Ok(v(r#"[1, {"a": 2}, [3]]"#)));
        assert_eq!(items("[1, 2, 3]", r#"{"InputType": "JSON", "MaxItems": 2}"#), Ok(v("[1, 2]")));
        assert_eq!(items("[]", r#"{"InputType": "JSON"}"#), Ok(v("[]")));
        let ptr = r#"{"InputType": "JSON", "ItemsPointer": "/data/a~1b/0"}"#;
        assert_eq!(items(r#"{"data": {"a/b": [[7, 8]]}}"#, ptr), Ok(v("[7, 8]")));
        let non_iterable = MapRunError::item_reader("Attempting to map over non-iterable node.");
        for content in [r#"{"a": 1}"#, "\"text\"", "3", "null"] {
            assert_eq!(items(content, r#"{"InputType": "JSON"}"#), Err(non_iterable.clone()), "{content}");
        }
        assert_eq!(items(r#"{"data": 1}"#, r#"{"InputType": "JSON", "ItemsPointer": "/data"}"#), Err(non_iterable));
        let missing = items(r#"{"data": []}"#, r#"{"InputType": "JSON", "ItemsPointer": "/nope"}"#).unwrap_err();
        assert!(missing.cause.contains("ItemsPointer"));
        let malformed = items("[1, 2", r#"{"InputType": "JSON"}"#).unwrap_err();
        assert_eq!(malformed.error, "States.ItemReaderFailed");
        assert!(malformed.cause.starts_with("The S3 object is not valid JSON"));
    }

    #[test]
    fn pointer_resolution() {
        let doc = v(r#"{"a": [10, 20], "": {"~": 1}}"#);
        assert_eq!(resolve_pointer(&doc, ""), Some(&doc));
        assert_eq!(resolve_pointer(&doc, "/a/1"), Some(&v("20")));
        assert_eq!(resolve_pointer(&doc, "/a/01"), None);
        assert_eq!(resolve_pointer(&doc, "/a/2"), None);
        assert_eq!(resolve_pointer(&doc, "//~0"), Some(&v("1")));
        assert_eq!(resolve_pointer(&doc, "a"), None);
    }

    #[test]
    fn json_lines() {
        let cfg = r#"{"InputType": "JSONL"}"#;
        assert_eq!(items("{\"a\":1}\n\n[2]\r\n\"s\"\n", cfg), Ok(v(r#"[{"a": 1}, [2], "s"]"#)));
        assert_eq!(items("1\n2\n3", r#"{"InputType": "JSONL", "MaxItems": 2}"#), Ok(v("[1, 2]")));
        assert_eq!(items("1\n2\n{oops", r#"{"InputType": "JSONL", "MaxItems": 2}"#), Ok(v("[1, 2]")));
        let e = items("1\n{oops\n", cfg).unwrap_err();
        assert!(e.cause.starts_with("Line 2 of the S3 object is not valid JSON"), "{}", e.cause);
    }

    #[test]
    fn csv_rows_are_objects_of_strings() {
        let cfg = r#"{"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}"#;
        let got = items("b,a\n1,true\n\"x,y\",\"q\"\"\"\n", cfg).unwrap();
        assert_eq!(got, v(r#"[{"a": "true", "b": "1"}, {"a": "q\"", "b": "x,y"}]"#));
        let first = got.index(0).and_then(Value::as_object).unwrap();
        assert_eq!(first.keys().map(|k| &**k).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(items("", cfg), Ok(v("[]")));
        assert_eq!(items("h1,h2\n", cfg), Ok(v("[]")));
    }

    #[test]
    fn csv_ragged_rows_are_padded_or_cut() {
        let given = r#"{"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["H1", "H2"]}"#;
        assert_eq!(items("1\n1,2,3\n", given), Ok(v(r#"[{"H1": "1", "H2": ""}, {"H1": "1", "H2": "2"}]"#)));
        let first_row = r#"{"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}"#;
        assert_eq!(items("H1,\nv1,v2,v3\n", first_row), Ok(v(r#"[{"": "v2", "H1": "v1"}]"#)));
    }

    #[test]
    fn csv_header_errors() {
        let dup = MapRunError::item_reader("CSV headers cannot contain duplicates.");
        assert_eq!(items("a,b,a\n1,2,3\n", r#"{"InputType": "CSV"}"#), Err(dup.clone()));
        let given = r#"{"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["x", "x"]}"#;
        assert_eq!(items("1,2\n", given), Err(dup));
        let long = format!("{}\n1\n", "h".repeat(MAX_CSV_HEADER_BYTES + 1));
        assert!(items(&long, r#"{"InputType": "CSV"}"#).unwrap_err().cause.contains("10 KiB"));
        let no_headers = items("1\n", r#"{"InputType": "CSV", "CSVHeaderLocation": "GIVEN"}"#).unwrap_err();
        assert!(no_headers.cause.contains("CSVHeaders"));
    }

    #[test]
    fn csv_delimiters_and_max_items() {
        for (name, text) in
            [("PIPE", "a|b\n1|2\n"), ("SEMICOLON", "a;b\n1;2\n"), ("SPACE", "a b\n1 2\n"), ("TAB", "a\tb\n1\t2\n")]
        {
            let cfg = format!(r#"{{"InputType": "CSV", "CSVDelimiter": "{name}"}}"#);
            assert_eq!(items(text, &cfg), Ok(v(r#"[{"a": "1", "b": "2"}]"#)), "{name}");
        }
        let cfg = r#"{"InputType": "CSV", "MaxItems": 1}"#;
        assert_eq!(items("a\n1\n2\n", cfg), Ok(v(r#"[{"a": "1"}]"#)));
    }

    #[test]
    fn unsupported_inputs_fail_cleanly() {
        for cfg in [r#"{"InputType": "PARQUET"}"#, r#"{"InputType": "MANIFEST"}"#, r#"{}"#] {
            assert_eq!(items("x", cfg).unwrap_err().error, "States.ItemReaderFailed", "{cfg}");
        }
    }

    fn spec(reader: &str, params: &str) -> ReaderSpec {
        ReaderSpec::from_item_reader(&v(reader), v(params), None).unwrap()
    }

    #[test]
    fn get_object_errors() {
        let mut store = ObjectStore::new(0);
        store.put("b", "k", "[1]");
        let reader = r#"{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"}}"#;
        assert_eq!(read_items(&spec(reader, r#"{"Bucket": "b", "Key": "k"}"#), &store), Ok(vec![v("1")]));
        let no_key = read_items(&spec(reader, r#"{"Bucket": "b", "Key": "x"}"#), &store).unwrap_err();
        assert!(no_key.cause.starts_with("The specified key does not exist."));
        let no_bucket = read_items(&spec(reader, r#"{"Bucket": "x", "Key": "k"}"#), &store).unwrap_err();
        assert!(no_bucket.cause.starts_with("The specified bucket does not exist"));
        let missing = read_items(&spec(reader, r#"{"Bucket": "b"}"#), &store).unwrap_err();
        assert_eq!(missing.error, "States.ItemReaderFailed");
        let wrong = read_items(&spec(reader, r#"{"Bucket": "b", "Key": 1}"#), &store).unwrap_err();
        assert!(wrong.cause.contains("'Key' must be a string"));
    }

    #[test]
    fn list_objects_v2_items_and_load_and_flatten() {
        let mut store = ObjectStore::new(1_000_000);
        store.put("b", "in/1.json", "[1, 2]");
        store.put("b", "in/2.json", "[3]");
        store.put("b", "other", "[9]");
        let listing = r#"{"Resource": "arn:aws:states:::s3:listObjectsV2"}"#;
        let got = read_items(&spec(listing, r#"{"Bucket": "b", "Prefix": "in/"}"#), &store).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].get("Key"), Some(&v(r#""in/1.json""#)));
        assert_eq!(got[0].get("Size"), Some(&v("6")));
        assert_eq!(got[0].get("LastModified"), Some(&v("1000")));
        let limited = r#"{"Resource": "arn:aws:states:::s3:listObjectsV2", "ReaderConfig": {"MaxItems": 1}}"#;
        assert_eq!(read_items(&spec(limited, r#"{"Bucket": "b"}"#), &store).unwrap().len(), 1);
        let flatten = r#"{"Resource": "arn:aws:states:::s3:listObjectsV2",
            "ReaderConfig": {"InputType": "JSON", "Transformation": "LOAD_AND_FLATTEN", "MaxItems": 2}}"#;
        assert_eq!(read_items(&spec(flatten, r#"{"Bucket": "b", "Prefix": "in/"}"#), &store), Ok(vec![v("1"), v("2")]));
        let all = r#"{"Resource": "arn:aws:states:::s3:listObjectsV2",
            "ReaderConfig": {"InputType": "JSON", "Transformation": "LOAD_AND_FLATTEN"}}"#;
        assert_eq!(read_items(&spec(all, r#"{"Bucket": "b", "Prefix": "in/"}"#), &store).unwrap().len(), 3);
        assert!(read_items(&spec(listing, r#"{"Bucket": "none"}"#), &store).is_err());
    }

    #[test]
    fn s3_inventory_manifest() {
        let mut store = ObjectStore::new(0);
        store.put(
            "inv",
            "manifest.json",
            r#"{"sourceBucket": "src", "destinationBucket": "arn:aws:s3:::inv", "fileFormat": "CSV",
                "fileSchema": "Bucket, Key, Size", "files": [{"key": "data/1.csv"}, {"key": "data/2.csv"}]}"#,
        );
        store.put("inv", "data/1.csv", "src,a.txt,3\nsrc,b.txt,4\n");
        store.put("inv", "data/2.csv", "src,c.txt,5\n");
        let reader = r#"{"Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "MANIFEST", "ManifestType": "S3_INVENTORY", "MaxItems": 3}}"#;
        let got = read_items(&spec(reader, r#"{"Bucket": "inv", "Key": "manifest.json"}"#), &store).unwrap();
        assert_eq!(
            Value::from(got),
            v(r#"[{"Bucket": "src", "Key": "a.txt", "Size": "3"},
            {"Bucket": "src", "Key": "b.txt", "Size": "4"}, {"Bucket": "src", "Key": "c.txt", "Size": "5"}]"#)
        );
        let athena = r#"{"Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "MANIFEST", "ManifestType": "ATHENA_DATA"}}"#;
        assert!(read_items(&spec(athena, r#"{"Bucket": "inv", "Key": "manifest.json"}"#), &store).is_err());
    }

    #[test]
    fn never_panics_on_odd_content() {
        let odd = [
            "\u{0}\u{1}\u{2}",
            "\"",
            "\"\"\"",
            ",,,\n\r\r\n",
            "[",
            "{\"a\":",
            "\u{feff}[1]",
            "é\"ü",
            "\r",
            "[[[[[[[[[[",
        ];
        for text in odd {
            for cfg in [
                r#"{"InputType": "JSON"}"#,
                r#"{"InputType": "JSONL"}"#,
                r#"{"InputType": "CSV"}"#,
                r#"{"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["a"], "CSVDelimiter": "SPACE"}"#,
            ] {
                let _ = items(text, cfg);
            }
        }
        let deep = "[".repeat(100_000);
        assert!(items(&deep, r#"{"InputType": "JSON"}"#).is_err());
    }

    #[test]
    fn fifty_megabyte_objects() {
        let mut store = ObjectStore::new(0);
        let row = "0123456789,abcdefghijklmnopqrstuvwxyz\n";
        store.put("b", "big.csv", format!("h1,h2\n{}", row.repeat(50 * 1024 * 1024 / row.len())));
        let csv =
            r#"{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "MaxItems": 2}}"#;
        let got = read_items(&spec(csv, r#"{"Bucket": "b", "Key": "big.csv"}"#), &store).unwrap();
        assert_eq!(got.len(), 2);
        store.put("b", "big.json", format!("[\"{}\"]", "x".repeat(50 * 1024 * 1024)));
        let json = r#"{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"}}"#;
        let got = read_items(&spec(json, r#"{"Bucket": "b", "Key": "big.json"}"#), &store).unwrap();
        assert_eq!(got[0].as_str().map(str::len), Some(50 * 1024 * 1024));
    }

    #[test]
    fn large_objects_are_read_in_one_pass() {
        let rows: String = (0..100_000).map(|i| format!("{i},name{i}\n")).collect();
        let text = format!("id,name\n{rows}");
        let got = parse_items(&text, &config(r#"{"InputType": "CSV"}"#)).unwrap();
        assert_eq!(got.len(), 100_000);
        assert_eq!(got[99_999], v(r#"{"id": "99999", "name": "name99999"}"#));
        let array = format!("[{}]", (0..100_000).map(|i| i.to_string()).collect::<Vec<_>>().join(","));
        assert_eq!(
            parse_items(&array, &config(r#"{"InputType": "JSON", "MaxItems": 100000000}"#)).unwrap().len(),
            100_000
        );
    }
}
