//! An in-memory Amazon S3: buckets of text objects kept in key order, enough to answer
//! `GetObject`, `PutObject` and `ListObjectsV2` as a Distributed Map's `ItemReader` and
//! `ResultWriter` call them. Time is whatever the caller says it is (no clock is read).
//!
//! The mock configuration names the objects a run starts with (see `docs/distributed-map.md`):
//!
//! ```
//! use aslplay::{distributed::ObjectStore, json};
//! let cfg = json::parse(r#"{"S3Objects": [
//!     {"Bucket": "b", "Key": "data/items.json", "Content": [1, 2, 3]},
//!     {"Bucket": "b", "Key": "data/rows.csv", "Content": "a,b\n1,2\n"}]}"#).unwrap();
//! let store = ObjectStore::from_value(&cfg, 0).unwrap();
//! assert_eq!(&**store.get("b", "data/items.json").unwrap().content(), "[1,2,3]");
//! ```

use std::cell::OnceCell;
use std::ops::Bound;
use std::rc::Rc;

use super::{str_field, MapRunError};
use crate::json;
use crate::services::MockConfigError;
use crate::sort::SortedMap;
use crate::time::{self, Millis};
use crate::value::{Map, Value};

/// One stored object: its text, when it was written, and its ETag (computed when first asked).
#[derive(Clone, Debug)]
pub struct StoredObject {
    content: Rc<str>,
    last_modified_ms: Millis,
    etag: OnceCell<Rc<str>>,
}

impl StoredObject {
    fn new(content: Rc<str>, last_modified_ms: Millis) -> StoredObject {
        StoredObject { content, last_modified_ms, etag: OnceCell::new() }
    }

    /// The object's text.
    pub fn content(&self) -> &Rc<str> {
        &self.content
    }

    /// The object's size in bytes (of its UTF-8 text).
    pub fn size(&self) -> usize {
        self.content.len()
    }

    /// When the object was last written, in milliseconds since the epoch.
    pub fn last_modified_ms(&self) -> Millis {
        self.last_modified_ms
    }

    /// `{"size", "content", "truncated"}`: the text, cut at a character boundary at most
    /// `max_bytes` bytes in (0: all of it), for showing a large object.
    pub fn excerpt_value(&self, max_bytes: usize) -> Value {
        let content = &*self.content;
        let max = if max_bytes == 0 { usize::MAX } else { max_bytes };
        let mut end = content.len().min(max);
        while !content.is_char_boundary(end) {
            end -= 1;
        }
        let mut m = Map::with_capacity(3);
        m.insert("size", Value::from(content.len()));
        m.insert("content", Value::from(&content[..end]));
        m.insert("truncated", Value::Bool(end < content.len()));
        Value::from(m)
    }

    /// S3's ETag of a single-part upload: the quoted MD5 of the content, `"\"9e10...\""`.
    pub fn etag(&self) -> Rc<str> {
        self.etag
            .get_or_init(|| {
                let md5 = crate::digest::hex_digest("MD5", self.content.as_bytes()).unwrap_or_default();
                Rc::from(format!("\"{md5}\""))
            })
            .clone()
    }
}

/// S3's answer when a bucket or key is missing.
#[derive(Clone, Debug, PartialEq)]
pub enum S3Error {
    NoSuchBucket { bucket: String },
    NoSuchKey { bucket: String, key: String },
}

impl S3Error {
    /// S3's error code: `NoSuchBucket` or `NoSuchKey`.
    pub fn code(&self) -> &'static str {
        match self {
            S3Error::NoSuchBucket { .. } => "NoSuchBucket",
            S3Error::NoSuchKey { .. } => "NoSuchKey",
        }
    }

    /// S3's message for the error.
    pub fn message(&self) -> &'static str {
        match self {
            S3Error::NoSuchBucket { .. } => "The specified bucket does not exist",
            S3Error::NoSuchKey { .. } => "The specified key does not exist.",
        }
    }

    /// The error as the AWS SDK for Java prints a service exception, which is how Step
    /// Functions reports it: `The specified key does not exist. (Service: S3, Status Code:
    /// 404, ...)`.
    pub fn sdk_text(&self) -> String {
        format!("{} (Service: S3, Status Code: 404, Error Code: {})", self.message(), self.code())
    }
}

impl std::fmt::Display for S3Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.sdk_text())
    }
}

/// The arguments of one `ListObjectsV2` listing, all pages together.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListRequest {
    pub bucket: String,
    /// Only keys that start with this.
    pub prefix: String,
    /// Only keys that sort after this one.
    pub start_after: Option<String>,
    /// Keys that contain this after the prefix are rolled up into `CommonPrefixes`, which an
    /// `ItemReader` does not iterate over.
    pub delimiter: Option<String>,
}

impl ListRequest {
    /// Reads `Bucket`, `Prefix`, `StartAfter` and `Delimiter` from evaluated `Parameters` /
    /// `Arguments`; other `ListObjectsV2` arguments (`MaxKeys`, `ContinuationToken`, ...) do
    /// not change what the whole listing holds and are ignored.
    pub fn from_parameters(parameters: &Value) -> Result<ListRequest, MapRunError> {
        let bucket = required_string(parameters, "Bucket")?;
        let optional = |key: &str| -> Result<Option<String>, MapRunError> {
            match parameters.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.to_string())),
                Some(other) => Err(not_a_string(key, other)),
            }
        };
        Ok(ListRequest {
            bucket,
            prefix: optional("Prefix")?.unwrap_or_default(),
            start_after: optional("StartAfter")?,
            delimiter: optional("Delimiter")?.filter(|d| !d.is_empty()),
        })
    }
}

/// A required string argument of an S3 call (`Bucket`, `Key`).
pub(super) fn required_string(parameters: &Value, key: &str) -> Result<String, MapRunError> {
    match parameters.get(key) {
        Some(Value::String(s)) => Ok(s.to_string()),
        Some(other) if !other.is_null() => Err(not_a_string(key, other)),
        _ => Err(MapRunError::item_reader(format!("The field '{key}' is required for the S3 call."))),
    }
}

fn not_a_string(key: &str, v: &Value) -> MapRunError {
    MapRunError::item_reader(format!("The field '{key}' must be a string, but was: {}", json::to_string(v)))
}

/// Buckets of objects, in key order. Cloning shares the objects' text.
#[derive(Clone, Debug, Default)]
pub struct ObjectStore {
    buckets: SortedMap<Rc<str>, SortedMap<Rc<str>, StoredObject>>,
    now_ms: Millis,
}

/// The members of an entry of the mock configuration's `S3Objects` (as `from_value` accepts
/// them; a test keeps the two in step).
pub const S3_OBJECT_FIELDS: &[&str] = &["Bucket", "Key", "Content", "LastModified"];

impl ObjectStore {
    /// An empty store whose writes are stamped `now_ms`.
    pub fn new(now_ms: Millis) -> ObjectStore {
        ObjectStore { buckets: SortedMap::new(), now_ms }
    }

    /// Reads the mock configuration extension: `S3Objects` (an array of `{"Bucket", "Key",
    /// "Content", "LastModified"?}`; a `Content` that is not a string is stored as its compact
    /// JSON text) and `S3Buckets` (names of buckets that exist even when empty). Other members
    /// of `config` are left alone; both members may be absent. Objects are stamped with their
    /// `LastModified` (RFC 3339) or else `now_ms`.
    pub fn from_value(config: &Value, now_ms: Millis) -> Result<ObjectStore, MockConfigError> {
        let err = |pointer: String, message: &str| MockConfigError { pointer, message: message.to_string() };
        let mut store = ObjectStore::new(now_ms);
        match config.get("S3Buckets") {
            None => {}
            Some(Value::Array(names)) => {
                for (i, name) in names.iter().enumerate() {
                    match name.as_str() {
                        Some(n) if !n.is_empty() => store.create_bucket(n),
                        _ => return Err(err(format!("/S3Buckets/{i}"), "A bucket name must be a non-empty string")),
                    }
                }
            }
            Some(_) => return Err(err("/S3Buckets".into(), "S3Buckets must be an array of bucket names")),
        }
        let objects = match config.get("S3Objects") {
            None => return Ok(store),
            Some(Value::Array(objects)) => objects,
            Some(_) => return Err(err("/S3Objects".into(), "S3Objects must be an array of objects")),
        };
        for (i, entry) in objects.iter().enumerate() {
            let at = format!("/S3Objects/{i}");
            let Some(fields) = entry.as_object() else {
                return Err(err(at, "An S3 object must be an object with Bucket, Key and Content"));
            };
            if let Some(k) = fields.keys().find(|k| !matches!(&***k, "Bucket" | "Key" | "Content" | "LastModified")) {
                return Err(err(
                    format!("{at}/{}", json::pointer_token(k)),
                    "Unknown field: expected Bucket, Key, Content and LastModified",
                ));
            }
            let bucket = match str_field(entry, "Bucket") {
                Some(b) if !b.is_empty() => b,
                _ => return Err(err(format!("{at}/Bucket"), "Bucket must be a non-empty string")),
            };
            let key = match str_field(entry, "Key") {
                Some(k) if !k.is_empty() => k,
                _ => return Err(err(format!("{at}/Key"), "Key must be a non-empty string")),
            };
            let content: Rc<str> = match entry.get("Content") {
                Some(Value::String(s)) => s.clone(),
                Some(other) => Rc::from(json::to_string(other)),
                None => return Err(err(format!("{at}/Content"), "Content is required")),
            };
            let stamp = match entry.get("LastModified") {
                None => now_ms,
                Some(v) => match v.as_str().and_then(time::parse_rfc3339) {
                    Some(ms) => ms,
                    None => {
                        return Err(err(format!("{at}/LastModified"), "LastModified must be an RFC 3339 timestamp"))
                    }
                },
            };
            store.bucket_mut(bucket).insert(Rc::from(key), StoredObject::new(content, stamp));
        }
        Ok(store)
    }

    /// The store in the mock configuration's form: `{"S3Buckets": [...], "S3Objects": [...]}`,
    /// every `Content` as text and every `LastModified` as an ISO-8601 timestamp.
    pub fn to_value(&self) -> Value {
        let mut objects = Vec::new();
        for (bucket, keys) in &self.buckets {
            for (key, object) in keys {
                let mut entry = Map::with_capacity(4);
                entry.insert("Bucket", Value::String(bucket.clone()));
                entry.insert("Key", Value::String(key.clone()));
                entry.insert("Content", Value::String(object.content.clone()));
                entry.insert("LastModified", Value::from(time::format_iso(object.last_modified_ms)));
                objects.push(Value::from(entry));
            }
        }
        let mut out = Map::with_capacity(2);
        out.insert("S3Buckets", Value::from(self.buckets.keys().map(|b| Value::String(b.clone())).collect::<Vec<_>>()));
        out.insert("S3Objects", Value::from(objects));
        Value::from(out)
    }

    /// The time stamped on later writes.
    pub fn now_ms(&self) -> Millis {
        self.now_ms
    }

    /// Sets the time stamped on later writes.
    pub fn set_time(&mut self, now_ms: Millis) {
        self.now_ms = now_ms;
    }

    /// Creates a bucket (nothing happens if it exists).
    pub fn create_bucket(&mut self, bucket: &str) {
        self.bucket_mut(bucket);
    }

    /// Whether the bucket exists.
    pub fn has_bucket(&self, bucket: &str) -> bool {
        self.buckets.contains_key(bucket)
    }

    /// The bucket names, in order.
    pub fn bucket_names(&self) -> impl Iterator<Item = &str> {
        self.buckets.keys().map(|b| &**b)
    }

    fn bucket_mut(&mut self, bucket: &str) -> &mut SortedMap<Rc<str>, StoredObject> {
        if !self.buckets.contains_key(bucket) {
            self.buckets.insert(Rc::from(bucket), SortedMap::new());
        }
        self.buckets.get_mut(bucket).expect("the bucket was just inserted")
    }

    /// `PutObject`: stores `content` under `key`, replacing what was there, stamped with the
    /// store's time. The playground creates a missing bucket rather than failing, so that a
    /// `ResultWriter` works without configuration.
    pub fn put(&mut self, bucket: &str, key: &str, content: impl Into<Rc<str>>) {
        let object = StoredObject::new(content.into(), self.now_ms);
        self.bucket_mut(bucket).insert(Rc::from(key), object);
    }

    /// `GetObject`.
    pub fn get(&self, bucket: &str, key: &str) -> Result<&StoredObject, S3Error> {
        let objects = self.buckets.get(bucket).ok_or_else(|| S3Error::NoSuchBucket { bucket: bucket.to_string() })?;
        objects.get(key).ok_or_else(|| S3Error::NoSuchKey { bucket: bucket.to_string(), key: key.to_string() })
    }

    /// `DeleteObject` (deleting a missing key is not an error, as in S3).
    pub fn delete(&mut self, bucket: &str, key: &str) {
        if let Some(objects) = self.buckets.get_mut(bucket) {
            objects.remove(key);
        }
    }

    /// The objects a `ListObjectsV2` listing returns in `Contents`, all pages together, in
    /// key order (S3 sorts keys by their UTF-8 bytes, as `str` does). Lazy: nothing is copied.
    pub fn list<'a>(
        &'a self,
        request: &'a ListRequest,
    ) -> Result<impl Iterator<Item = (&'a str, &'a StoredObject)> + 'a, S3Error> {
        let objects = self
            .buckets
            .get(request.bucket.as_str())
            .ok_or_else(|| S3Error::NoSuchBucket { bucket: request.bucket.clone() })?;
        let prefix = request.prefix.as_str();
        let start: Bound<&str> = match &request.start_after {
            Some(after) if after.as_str() >= prefix => Bound::Excluded(after.as_str()),
            _ => Bound::Included(prefix),
        };
        Ok(objects
            .range_from::<str>(start)
            .take_while(move |(key, _)| key.starts_with(prefix))
            .filter(move |(key, _)| match &request.delimiter {
                Some(d) => !key[prefix.len()..].contains(d.as_str()),
                None => true,
            })
            .map(|(key, object)| (&**key, object)))
    }

    /// Every bucket and object, as the page lists them: `{"buckets", "objects": [{"bucket",
    /// "key", "size", "lastModified", "written"}]}`, where `written` marks an object whose
    /// text is not the one `before` holds under its key (one a run put there or changed; every
    /// object when there is no `before`).
    pub fn listing_value(&self, before: Option<&ObjectStore>) -> Value {
        let mut objects = Vec::new();
        let mut buckets = Vec::new();
        for (bucket, keys) in &self.buckets {
            buckets.push(Value::String(bucket.clone()));
            for (key, object) in keys {
                let earlier = before.and_then(|s| s.get(bucket, key).ok());
                let written = !earlier.is_some_and(|b| Rc::ptr_eq(b.content(), object.content()));
                let mut m = Map::with_capacity(5);
                m.insert("bucket", Value::String(bucket.clone()));
                m.insert("key", Value::String(key.clone()));
                m.insert("size", Value::from(object.size()));
                m.insert("lastModified", Value::from(time::format_iso(object.last_modified_ms())));
                m.insert("written", Value::Bool(written));
                objects.push(Value::from(m));
            }
        }
        let mut out = Map::with_capacity(2);
        out.insert("buckets", Value::from(buckets));
        out.insert("objects", Value::from(objects));
        Value::from(out)
    }

    /// One `Contents` entry of a listing as the `ItemReader` passes it to the Map:
    /// `{"Etag", "Key", "LastModified" (epoch seconds), "Size", "StorageClass"}`.
    pub fn list_entry(key: &str, object: &StoredObject) -> Value {
        let mut entry = Map::with_capacity(5);
        entry.insert("Etag", Value::String(object.etag()));
        entry.insert("Key", Value::from(key));
        entry.insert("LastModified", Value::from(object.last_modified_ms.div_euclid(1000)));
        entry.insert("Size", Value::from(object.size()));
        entry.insert("StorageClass", Value::from("STANDARD"));
        Value::from(entry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields the editor offers for an `S3Objects` entry are the ones `from_value` accepts.
    #[test]
    fn listed_object_fields_are_the_accepted_ones() {
        for key in S3_OBJECT_FIELDS.iter().chain(&["Bogus"]) {
            let extra = match *key {
                "Bucket" | "Key" | "Content" => String::new(),
                "LastModified" => r#", "LastModified": "2025-01-01T00:00:00Z""#.to_string(),
                k => format!(r#", "{k}": 1"#),
            };
            let cfg =
                json::parse(&format!(r#"{{"S3Objects": [{{"Bucket": "b", "Key": "k", "Content": "c"{extra}}}]}}"#));
            let got = ObjectStore::from_value(&cfg.unwrap(), 0);
            assert_eq!(got.is_err(), *key == "Bogus", "{key}");
        }
    }

    fn store() -> ObjectStore {
        let mut s = ObjectStore::new(1_668_699_881_000);
        for key in ["a/2", "a/1", "b/1", "a/sub/x", "a", "ab"] {
            s.put("bk", key, key.to_string());
        }
        s
    }

    fn keys(s: &ObjectStore, r: &ListRequest) -> Vec<String> {
        s.list(r).unwrap().map(|(k, _)| k.to_string()).collect()
    }

    #[test]
    fn list_filters_by_prefix_in_key_order() {
        let s = store();
        let r = |prefix: &str| ListRequest { bucket: "bk".into(), prefix: prefix.into(), ..Default::default() };
        assert_eq!(keys(&s, &r("")), ["a", "a/1", "a/2", "a/sub/x", "ab", "b/1"]);
        assert_eq!(keys(&s, &r("a/")), ["a/1", "a/2", "a/sub/x"]);
        assert_eq!(keys(&s, &r("zzz")), Vec::<String>::new());
    }

    #[test]
    fn list_honours_start_after_and_delimiter() {
        let s = store();
        let mut r = ListRequest { bucket: "bk".into(), prefix: "a/".into(), ..Default::default() };
        r.start_after = Some("a/1".into());
        assert_eq!(keys(&s, &r), ["a/2", "a/sub/x"]);
        r.start_after = Some("0".into());
        assert_eq!(keys(&s, &r), ["a/1", "a/2", "a/sub/x"]);
        r.start_after = None;
        r.delimiter = Some("/".into());
        assert_eq!(keys(&s, &r), ["a/1", "a/2"]);
    }

    #[test]
    fn missing_bucket_and_key_are_s3_errors() {
        let s = store();
        assert_eq!(s.get("nope", "a").unwrap_err().code(), "NoSuchBucket");
        let e = s.get("bk", "nope").unwrap_err();
        assert_eq!(e, S3Error::NoSuchKey { bucket: "bk".into(), key: "nope".into() });
        assert!(e.sdk_text().starts_with("The specified key does not exist. (Service: S3, Status Code: 404"));
        let r = ListRequest { bucket: "nope".into(), ..Default::default() };
        assert!(s.list(&r).is_err());
    }

    #[test]
    fn list_entry_has_the_item_reader_shape() {
        let mut s = ObjectStore::new(1_668_699_881_500);
        s.put("b", "k", "text data");
        let o = s.get("b", "k").unwrap();
        let v = ObjectStore::list_entry("k", o);
        let expected = json::parse(
            r#"{"Etag": "\"332eec544317a6d340b8e77da7fe54ad\"", "Key": "k", "LastModified": 1668699881,
                "Size": 9, "StorageClass": "STANDARD"}"#,
        )
        .unwrap();
        assert_eq!(v, expected);
    }

    #[test]
    fn from_value_reads_objects_buckets_and_stamps() {
        let cfg = json::parse(
            r#"{"StateMachines": {}, "S3Buckets": ["empty"],
                "S3Objects": [{"Bucket": "b", "Key": "k.json", "Content": {"a": [1, "x"]}},
                              {"Bucket": "b", "Key": "t", "Content": "plain", "LastModified": "2024-01-02T03:04:05Z"}]}"#,
        )
        .unwrap();
        let s = ObjectStore::from_value(&cfg, 42).unwrap();
        assert!(s.has_bucket("empty"));
        assert_eq!(&**s.get("b", "k.json").unwrap().content(), r#"{"a":[1,"x"]}"#);
        assert_eq!(s.get("b", "k.json").unwrap().last_modified_ms(), 42);
        assert_eq!(s.get("b", "t").unwrap().last_modified_ms(), 1_704_164_645_000);
        let round = ObjectStore::from_value(&s.to_value(), 0).unwrap();
        assert_eq!(round.to_value(), s.to_value());
    }

    #[test]
    fn from_value_rejects_bad_entries_with_a_pointer() {
        let bad = [
            (r#"{"S3Objects": {}}"#, "/S3Objects"),
            (r#"{"S3Objects": [1]}"#, "/S3Objects/0"),
            (r#"{"S3Objects": [{"Bucket": "b", "Content": "x"}]}"#, "/S3Objects/0/Key"),
            (r#"{"S3Objects": [{"Bucket": "", "Key": "k", "Content": "x"}]}"#, "/S3Objects/0/Bucket"),
            (r#"{"S3Objects": [{"Bucket": "b", "Key": "k"}]}"#, "/S3Objects/0/Content"),
            (r#"{"S3Objects": [{"Bucket": "b", "Key": "k", "Content": "", "Body": 1}]}"#, "/S3Objects/0/Body"),
            (
                r#"{"S3Objects": [{"Bucket": "b", "Key": "k", "Content": "", "LastModified": "yesterday"}]}"#,
                "/S3Objects/0/LastModified",
            ),
            (r#"{"S3Buckets": [""]}"#, "/S3Buckets/0"),
            (r#"{"S3Buckets": "b"}"#, "/S3Buckets"),
        ];
        for (text, pointer) in bad {
            let e = ObjectStore::from_value(&json::parse(text).unwrap(), 0).unwrap_err();
            assert_eq!(e.pointer, pointer, "{text}");
        }
    }

    #[test]
    fn put_replaces_and_delete_removes() {
        let mut s = ObjectStore::new(0);
        s.put("b", "k", "one");
        s.set_time(5000);
        s.put("b", "k", "two");
        assert_eq!(&**s.get("b", "k").unwrap().content(), "two");
        assert_eq!(s.get("b", "k").unwrap().last_modified_ms(), 5000);
        s.delete("b", "k");
        s.delete("b", "k");
        assert!(s.get("b", "k").is_err());
        assert!(s.has_bucket("b"));
    }

    #[test]
    fn list_request_reads_parameters() {
        let p = json::parse(r#"{"Bucket": "b", "Prefix": "p/", "MaxKeys": 3}"#).unwrap();
        let r = ListRequest::from_parameters(&p).unwrap();
        assert_eq!((r.bucket.as_str(), r.prefix.as_str()), ("b", "p/"));
        assert!(ListRequest::from_parameters(&json::parse(r#"{"Prefix": "p"}"#).unwrap()).is_err());
        assert!(ListRequest::from_parameters(&json::parse(r#"{"Bucket": 1}"#).unwrap()).is_err());
    }

    #[test]
    fn the_listing_marks_what_was_written_since_before() {
        let before = store();
        let mut after = before.clone();
        after.put("bk", "a/1", "changed");
        after.put("out", "result.json", "[]");
        let listing = after.listing_value(Some(&before));
        let written: Vec<(String, bool)> = listing
            .get("objects")
            .and_then(Value::as_array)
            .unwrap()
            .iter()
            .map(|o| {
                let key = o.get("key").and_then(Value::as_str).unwrap_or_default().to_string();
                (key, o.get("written") == Some(&Value::Bool(true)))
            })
            .collect();
        assert_eq!(
            written.iter().filter(|(_, w)| *w).map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
            ["a/1", "result.json"]
        );
        assert_eq!(written.len(), 7);
        assert_eq!(listing.get("buckets").unwrap().to_string(), r#"["bk","out"]"#);
        let first = &listing.get("objects").and_then(Value::as_array).unwrap()[0];
        assert_eq!(
            first.to_string(),
            r#"{"bucket":"bk","key":"a","size":1,"lastModified":"2022-11-17T15:44:41.000Z","written":false}"#
        );
        // Without a before, everything counts as written.
        assert!(after
            .listing_value(None)
            .get("objects")
            .and_then(Value::as_array)
            .unwrap()
            .iter()
            .all(|o| o.get("written") == Some(&Value::Bool(true))));
    }

    #[test]
    fn an_excerpt_stops_at_a_character_boundary() {
        let mut s = ObjectStore::new(0);
        s.put("b", "k", "aé€");
        let object = s.get("b", "k").unwrap();
        assert_eq!(object.excerpt_value(0).to_string(), r#"{"size":6,"content":"aé€","truncated":false}"#);
        assert_eq!(object.excerpt_value(2).to_string(), r#"{"size":6,"content":"a","truncated":true}"#);
        assert_eq!(object.excerpt_value(3).to_string(), r#"{"size":6,"content":"aé","truncated":true}"#);
        assert_eq!(object.excerpt_value(6).to_string(), r#"{"size":6,"content":"aé€","truncated":false}"#);
    }
}
