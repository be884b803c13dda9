//! Default answers for Task states that have no mock: `DefaultServices` answers each call the
//! way the real service would, in its real response shape, echoing what the service echoes
//! (a Lambda echo function, an SQS MD5 of the body, a DynamoDB table that remembers its
//! items, an S3 bucket that remembers its objects). Every answer is wrapped in
//! `TaskResponse::Default` so the page can say it was made up. Ids come from a seed and a
//! call counter, dates from a fixed virtual clock: the same calls give the same answers.
//! The table `RESPONDERS` lists the integrations; `docs/default-mocks.md` documents them.

use super::{Pattern, Resource, ResourceKind, ServiceLayer, TaskRequest, TaskResponse};
use crate::base64;
use crate::digest;
use crate::json;
use crate::query::java;
use crate::random::{uuid_v4, Random, SeededRandom};
use crate::time::{format_iso, Millis};
use crate::value::{Map, Value};

use crate::sort::SortedMap;
use std::rc::Rc;

/// A service that answers every Task call with a realistic, deterministic default response.
///
/// ```
/// use aslplay::services::{DefaultServices, Resource, ServiceLayer, TaskRequest, TaskResponse};
/// let resource = Resource::parse("arn:aws:states:::events:putEvents").unwrap();
/// let params = aslplay::json::parse(r#"{"Entries": [{"Source": "s"}]}"#).unwrap();
/// let request = TaskRequest { state_name: "Put", resource: &resource, parameters: &params, task_token: None, retry_count: 0 };
/// let TaskResponse::Default(inner) = DefaultServices::new(7).call(&request) else { panic!() };
/// let TaskResponse::Succeeded { output, .. } = *inner else { panic!() };
/// assert_eq!(output.get("FailedEntryCount"), Some(&aslplay::Value::from(0)));
/// ```
#[derive(Clone, Debug)]
pub struct DefaultServices {
    seed: u64,
    calls: u64,
    clock: Millis,
    account_id: String,
    region: String,
    store: Store,
}

/// What the default DynamoDB tables and S3 buckets hold.
#[derive(Clone, Debug, Default)]
struct Store {
    /// Table name → items in write order.
    tables: Map<Vec<Map>>,
    /// Table name → the attribute names of its key, learned from `Key` parameters.
    key_names: Map<Vec<Rc<str>>>,
    /// (bucket, key) → object, ordered for `listObjectsV2`.
    objects: SortedMap<(String, String), S3Object>,
}

#[derive(Clone, Debug)]
struct S3Object {
    body: String,
    content_type: String,
    modified: Millis,
}

/// One call being answered: its parameters, its ids and its instant.
struct Call<'a> {
    params: &'a Value,
    random: SeededRandom,
    now: Millis,
    account: &'a str,
    region: &'a str,
    /// The request id of the HTTP exchange (`SdkResponseMetadata.RequestId`).
    request_id: String,
}

impl Call<'_> {
    fn param(&self, key: &str) -> Option<&Value> {
        self.params.get(key).filter(|v| !v.is_null())
    }
    fn text(&self, key: &str) -> Option<&str> {
        self.params.get(key).and_then(Value::as_str)
    }
    fn uuid(&mut self) -> String {
        uuid_v4(&mut self.random)
    }
    fn hex(&mut self, len: usize) -> String {
        let mut out = String::with_capacity(len + 16);
        while out.len() < len {
            out.push_str(&format!("{:016x}", self.random.next_u64()));
        }
        out.truncate(len);
        out
    }
    fn iso(&self, offset_ms: Millis) -> Value {
        Value::from(format_iso(self.now.saturating_add(offset_ms)))
    }
    fn arn(&self, service: &str, rest: &str) -> String {
        format!("arn:aws:{service}:{}:{}:{rest}", self.region, self.account)
    }
}

/// How an integration's HTTP exchange looks in the optimized integrations' `SdkHttpMetadata`.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Http {
    /// No metadata (aws-sdk integrations, EventBridge, API Gateway, HTTP, S3).
    None,
    Lambda,
    /// SQS, Step Functions, ECS, Glue, Batch: JSON protocol with these content types.
    Json(&'static str),
    /// SNS answers in XML.
    Xml,
    /// DynamoDB, with the spelling of its request id header (`x-amzn-requestid` on reads).
    DynamoDb(&'static str),
}

/// What a responder builds: a plain response, or a job (`.sync`) with its final result.
type Responder = fn(&mut Call, &mut Store) -> Value;
type Finisher = fn(&mut Call, &Value) -> Value;

/// One integration: service (as in `arn:aws:states:::SERVICE:ACTION`; aws-sdk names are
/// mapped to these), action, HTTP flavor, the response, and for `.sync` jobs the final result.
struct Integration {
    service: &'static str,
    action: &'static str,
    http: Http,
    respond: Responder,
    finish: Option<Finisher>,
}

const JSON10: Http = Http::Json("application/x-amz-json-1.0");
const DYNAMODB: Http = Http::DynamoDb("x-amzn-RequestId");
const JSON11: Http = Http::Json("application/x-amz-json-1.1");

const RESPONDERS: &[Integration] = &[
    Integration { service: "lambda", action: "invoke", http: Http::Lambda, respond: lambda_invoke, finish: None },
    Integration { service: "sqs", action: "sendMessage", http: JSON10, respond: sqs_send_message, finish: None },
    Integration { service: "sns", action: "publish", http: Http::Xml, respond: sns_publish, finish: None },
    Integration {
        service: "dynamodb",
        action: "getItem",
        http: Http::DynamoDb("x-amzn-requestid"),
        respond: dynamodb_get_item,
        finish: None,
    },
    Integration { service: "dynamodb", action: "putItem", http: DYNAMODB, respond: dynamodb_put_item, finish: None },
    Integration {
        service: "dynamodb",
        action: "updateItem",
        http: DYNAMODB,
        respond: dynamodb_update_item,
        finish: None,
    },
    Integration {
        service: "dynamodb",
        action: "deleteItem",
        http: DYNAMODB,
        respond: dynamodb_delete_item,
        finish: None,
    },
    Integration { service: "dynamodb", action: "query", http: DYNAMODB, respond: dynamodb_query, finish: None },
    Integration { service: "dynamodb", action: "scan", http: DYNAMODB, respond: dynamodb_scan, finish: None },
    Integration { service: "events", action: "putEvents", http: Http::None, respond: events_put_events, finish: None },
    Integration {
        service: "states",
        action: "startExecution",
        http: JSON10,
        respond: states_start_execution,
        finish: Some(states_describe_execution),
    },
    Integration {
        service: "ecs",
        action: "runTask",
        http: JSON11,
        respond: ecs_run_task,
        finish: Some(ecs_stopped_task),
    },
    Integration {
        service: "glue",
        action: "startJobRun",
        http: JSON11,
        respond: glue_start_job_run,
        finish: Some(glue_job_run),
    },
    Integration {
        service: "batch",
        action: "submitJob",
        http: Http::Json("application/json"),
        respond: batch_submit_job,
        finish: Some(batch_job),
    },
    Integration { service: "apigateway", action: "invoke", http: Http::None, respond: apigateway_invoke, finish: None },
    Integration { service: "http", action: "invoke", http: Http::None, respond: http_invoke, finish: None },
    Integration { service: "s3", action: "getObject", http: Http::None, respond: s3_get_object, finish: None },
    Integration { service: "s3", action: "putObject", http: Http::None, respond: s3_put_object, finish: None },
    Integration { service: "s3", action: "listObjectsV2", http: Http::None, respond: s3_list_objects, finish: None },
];

/// The integrations that get a modeled response (service as the optimized integrations name
/// it, action), in the table's order (for the editor's language service).
#[cfg(any(not(target_arch = "wasm32"), feature = "language"))]
pub(crate) fn modeled_integrations() -> impl Iterator<Item = (&'static str, &'static str)> {
    RESPONDERS.iter().map(|i| (i.service, i.action))
}

/// The aws-sdk service names whose optimized integration goes by another name.
pub(crate) const SDK_ALIASES: &[(&str, &str)] = &[("sfn", "states"), ("eventbridge", "events")];

/// A resource type's service as the optimized integrations name it (`aws-sdk:sfn` →
/// `states`), and whether it is an aws-sdk integration.
pub(crate) fn service_name(resource_type: &str) -> (&str, bool) {
    match resource_type.strip_prefix("aws-sdk:") {
        Some(name) => (SDK_ALIASES.iter().find(|(a, _)| *a == name).map_or(name, |(_, b)| *b), true),
        None => (resource_type, false),
    }
}

impl DefaultServices {
    /// Default services whose ids derive from `seed`; dates start at 2025-01-01T00:00:00Z
    /// (the engine's default start), in account `123456789012`, region `us-east-1`.
    pub fn new(seed: u64) -> DefaultServices {
        DefaultServices {
            seed,
            calls: 0,
            clock: 1_735_689_600_000,
            account_id: "123456789012".into(),
            region: "us-east-1".into(),
            store: Store::default(),
        }
    }

    /// Sets the instant the made-up dates (`StartDate`, `LastModified`, ...) use.
    pub fn with_clock(mut self, now: Millis) -> DefaultServices {
        self.clock = now;
        self
    }

    /// Sets the account and region of the ARNs the defaults make up.
    pub fn with_account(mut self, account_id: &str, region: &str) -> DefaultServices {
        self.account_id = account_id.into();
        self.region = region.into();
        self
    }

    /// Does `resource` get a made-up response of its service's shape? Lambda functions,
    /// activities and unlisted integrations get an echo of their parameters instead.
    pub fn is_modeled(resource: &Resource) -> bool {
        let (service, _) = service_name(&resource.resource_type);
        let action = base_action(&resource.resource);
        resource.kind == ResourceKind::Service && RESPONDERS.iter().any(|i| i.service == service && i.action == action)
    }

    /// The answer (not yet wrapped in `TaskResponse::Default`) to one call.
    fn answer(&mut self, request: &TaskRequest) -> TaskResponse {
        let mixed = SeededRandom(self.seed).next_u64() ^ self.calls.wrapping_mul(0xD6E8_FEB8_6659_FD93);
        self.calls += 1;
        let mut call = Call {
            params: request.parameters,
            random: SeededRandom(mixed),
            now: self.clock,
            account: &self.account_id,
            region: request.resource.region.as_deref().unwrap_or(&self.region),
            request_id: String::new(),
        };
        call.request_id = call.uuid();
        let resource = request.resource;
        let echo = || TaskResponse::Succeeded { output: request.parameters.clone(), latency_ms: 0 };
        if resource.kind != ResourceKind::Service {
            return echo();
        }
        let (service, sdk) = service_name(&resource.resource_type);
        let action = base_action(&resource.resource);
        let Some(integration) = RESPONDERS.iter().find(|i| i.service == service && i.action == action) else {
            return match resource.pattern {
                Pattern::RequestResponse => echo(),
                Pattern::WaitForTaskToken => submitted(request.parameters.clone(), Value::object()),
                Pattern::Sync | Pattern::Sync2 => submitted(request.parameters.clone(), request.parameters.clone()),
            };
        };
        let mut body = (integration.respond)(&mut call, &mut self.store);
        if sdk {
            body = sdk_form(integration.service, body);
        } else {
            body = with_http_metadata(&call, integration.http, body);
        }
        match (resource.pattern, integration.finish) {
            (Pattern::RequestResponse, _) => TaskResponse::Succeeded { output: body, latency_ms: 0 },
            (Pattern::WaitForTaskToken, _) => submitted(body, Value::object()),
            (Pattern::Sync, Some(finish)) => {
                let result = finish(&mut call, &body);
                submitted(body, result)
            }
            (Pattern::Sync2, Some(finish)) => {
                let result = finish(&mut call, &body);
                submitted(body, parse_texts(result, &["Input", "Output"]))
            }
            (_, None) => submitted(body.clone(), body),
        }
    }
}

impl ServiceLayer for DefaultServices {
    fn call(&mut self, request: &TaskRequest) -> TaskResponse {
        TaskResponse::Default(Box::new(self.answer(request)))
    }
}

/// `sendMessage.waitForTaskToken` → `sendMessage`.
pub(crate) fn base_action(resource: &str) -> &str {
    [".waitForTaskToken", ".sync:2", ".sync"].iter().find_map(|s| resource.strip_suffix(s)).unwrap_or(resource)
}

fn submitted(output: Value, result: Value) -> TaskResponse {
    TaskResponse::Submitted { output, then: Box::new(TaskResponse::Succeeded { output: result, latency_ms: 0 }) }
}

/// Builds an object from key/value pairs, in order.
fn obj<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    let mut map = Map::with_capacity(N);
    for (k, v) in pairs {
        map.insert(k, v);
    }
    Value::from(map)
}

/// Inserts `key: value` when `value` is `Some`.
fn put(target: &mut Value, key: &str, value: Option<Value>) {
    if let (Value::Object(map), Some(value)) = (target, value) {
        Rc::make_mut(map).insert(key, value);
    }
}

/// The object's keys in byte order, as the optimized (Java SDK) integrations print them.
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut pairs: Vec<(Rc<str>, Value)> = map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            crate::sort::sort_by(&mut pairs, |a, b| a.0.cmp(&b.0));
            Value::from(pairs.into_iter().collect::<Map>())
        }
        other => other,
    }
}

/// The text a service receives for a JSON field: strings as they are, anything else as
/// compact JSON.
fn as_text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.to_string(),
        Some(v) => json::to_string(v),
        None => String::new(),
    }
}

/// JSON text parsed when it is JSON (what the integrations do with response bodies).
fn parsed(value: &Value) -> Value {
    match value {
        Value::String(s) => json::parse(s).unwrap_or_else(|_| value.clone()),
        other => other.clone(),
    }
}

/// `.sync:2`: the named JSON-text fields of the result as JSON values.
fn parse_texts(mut result: Value, keys: &[&str]) -> Value {
    for key in keys {
        let value = result.get(key).map(parsed);
        put(&mut result, key, value);
    }
    result
}

fn md5_hex(data: &[u8]) -> String {
    digest::hex_digest("MD5", data).unwrap_or_default()
}

/// CRC-32 (IEEE 802.3, reflected), as S3's `ChecksumCRC32` and DynamoDB's `x-amz-crc32`.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= byte as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// `Wed, 01 Jan 2025 00:00:00 GMT`, the HTTP `Date` header.
fn http_date(ms: Millis) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let iso = format_iso(ms);
    let day = DAYS[ms.div_euclid(86_400_000).rem_euclid(7) as usize];
    let month = iso
        .get(5..7)
        .and_then(|m| m.parse::<usize>().ok())
        .and_then(|m| MONTHS.get(m.wrapping_sub(1)))
        .unwrap_or(&"Jan");
    format!(
        "{day}, {} {month} {} {} GMT",
        iso.get(8..10).unwrap_or("01"),
        iso.get(..4).unwrap_or("1970"),
        iso.get(11..19).unwrap_or("00:00:00")
    )
}

/// Adds `SdkHttpMetadata` and `SdkResponseMetadata` to an optimized integration's response
/// and sorts its keys, as the recorded responses show.
fn with_http_metadata(call: &Call, http: Http, body: Value) -> Value {
    let content_type = match http {
        Http::None => return body,
        Http::Lambda => "application/json",
        Http::Json(t) => t,
        Http::Xml => "text/xml",
        Http::DynamoDb(_) => "application/x-amz-json-1.0",
    };
    let length = match (http, body.get("Payload")) {
        (Http::Lambda, Some(payload)) => payload.json_len(),
        _ => body.json_len(),
    }
    .to_string();
    let id = call.request_id.as_str();
    let date = http_date(call.now);
    let trace_id: String = id.chars().filter(|c| *c != '-').take(24).collect();
    let trace = format!("Root=1-{:08x}-{trace_id}", (call.now / 1000) as u32);
    let crc = crc32(json::to_string(&body).as_bytes()).to_string();
    let log = body.get("LogResult").and_then(Value::as_str).unwrap_or_default();
    let headers: Vec<(&str, &str)> = match http {
        Http::Lambda => [("X-Amz-Log-Result", log)]
            .into_iter()
            .filter(|_| !log.is_empty())
            .chain([
                ("X-Amz-Executed-Version", "$LATEST"),
                ("x-amzn-Remapped-Content-Length", "0"),
                ("Connection", "keep-alive"),
                ("x-amzn-RequestId", id),
                ("Content-Length", &length),
                ("Date", &date),
                ("X-Amzn-Trace-Id", &trace),
                ("Content-Type", content_type),
            ])
            .collect(),
        Http::DynamoDb(request_id) => vec![
            ("Server", "Server"),
            ("Connection", "keep-alive"),
            (request_id, id),
            ("x-amz-crc32", &crc),
            ("Content-Length", &length),
            ("Date", &date),
            ("Content-Type", content_type),
        ],
        _ => vec![
            ("x-amzn-RequestId", id),
            ("connection", "keep-alive"),
            ("Content-Length", &length),
            ("Date", &date),
            ("Content-Type", content_type),
        ],
    };
    // AllHttpHeaders is a java.util.HashMap: its keys come in that map's order.
    let all: Map = java::hash_map_order(headers.iter().map(|(k, _)| *k))
        .into_iter()
        .filter_map(|i| headers.get(i))
        .map(|(k, v)| (Rc::from(*k), Value::from(vec![Value::from(*v)])))
        .collect();
    let mut single = headers.clone();
    crate::sort::sort_by_key(&mut single, |(k, _)| k.to_ascii_lowercase());
    let single: Map = single.iter().map(|(k, v)| (Rc::from(*k), Value::from(*v))).collect();
    let mut out = body;
    put(
        &mut out,
        "SdkHttpMetadata",
        Some(obj([
            ("AllHttpHeaders", Value::from(all)),
            ("HttpHeaders", Value::from(single)),
            ("HttpStatusCode", Value::from(200)),
        ])),
    );
    put(&mut out, "SdkResponseMetadata", Some(obj([("RequestId", Value::from(id))])));
    sorted(out)
}

/// The aws-sdk form of a response: what the service's API returns, without the fields the
/// optimized integration adds.
fn sdk_form(service: &str, mut body: Value) -> Value {
    if let (Value::Object(map), "glue") = (&mut body, service) {
        Rc::make_mut(map).remove("JobName");
    }
    body
}

// ---- Lambda -------------------------------------------------------------------------------

/// An echo function: the payload it receives is the payload it returns.
fn lambda_invoke(call: &mut Call, _: &mut Store) -> Value {
    let (status, payload) = match call.text("InvocationType") {
        Some("Event") => (202, Value::from("")),
        Some("DryRun") => (204, Value::from("")),
        _ => (200, call.param("Payload").map_or_else(Value::object, parsed)),
    };
    let mut out = obj([("ExecutedVersion", Value::from("$LATEST"))]);
    if call.text("LogType") == Some("Tail") {
        let id = &call.request_id;
        let log = format!("START RequestId: {id} Version: $LATEST\nEND RequestId: {id}\nREPORT RequestId: {id}\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\t\n");
        put(&mut out, "LogResult", Some(Value::from(base64::encode(log.as_bytes()))));
    }
    put(&mut out, "Payload", Some(payload));
    put(&mut out, "StatusCode", Some(Value::from(status)));
    out
}

// ---- SQS and SNS --------------------------------------------------------------------------

fn sqs_send_message(call: &mut Call, _: &mut Store) -> Value {
    let body = as_text(call.param("MessageBody"));
    let mut out = Value::object();
    let attributes = call.param("MessageAttributes").and_then(Value::as_object).filter(|m| !m.is_empty());
    put(&mut out, "MD5OfMessageAttributes", attributes.map(|a| Value::from(md5_of_attributes(a))));
    put(&mut out, "MD5OfMessageBody", Some(Value::from(md5_hex(body.as_bytes()))));
    put(&mut out, "MessageId", Some(Value::from(call.uuid())));
    let fifo = call.text("QueueUrl").is_some_and(|u| u.ends_with(".fifo"));
    put(&mut out, "SequenceNumber", fifo.then(|| sequence_number(call)));
    out
}

/// SQS's MD5 of message attributes: for each attribute in name order, the length-prefixed
/// name, data type, a transport byte (1 text, 2 binary) and the length-prefixed value.
fn md5_of_attributes(attributes: &Map) -> String {
    let mut names: Vec<&Rc<str>> = attributes.keys().collect();
    crate::sort::sort(&mut names);
    let mut bytes = Vec::new();
    fn field(data: &[u8], bytes: &mut Vec<u8>) {
        bytes.extend_from_slice(&(data.len() as u32).to_be_bytes());
        bytes.extend_from_slice(data);
    }
    for name in names {
        let Some(attr) = attributes.get(name) else { continue };
        let data_type = attr.get("DataType").and_then(Value::as_str).unwrap_or("String");
        field(name.as_bytes(), &mut bytes);
        field(data_type.as_bytes(), &mut bytes);
        match attr.get("BinaryValue").and_then(Value::as_str) {
            Some(b64) => {
                bytes.push(2);
                field(&base64::decode_lenient(b64), &mut bytes);
            }
            None => {
                bytes.push(1);
                field(as_text(attr.get("StringValue")).as_bytes(), &mut bytes);
            }
        }
    }
    md5_hex(&bytes)
}

fn sequence_number(call: &mut Call) -> Value {
    Value::from(format!("1{:019}", call.random.next_u64() % 10_000_000_000_000_000_000))
}

fn sns_publish(call: &mut Call, _: &mut Store) -> Value {
    let mut out = obj([("MessageId", Value::from(call.uuid()))]);
    let fifo = call.text("TopicArn").is_some_and(|t| t.ends_with(".fifo")) || call.param("MessageGroupId").is_some();
    put(&mut out, "SequenceNumber", fifo.then(|| sequence_number(call)));
    out
}

// ---- DynamoDB: a table that remembers -----------------------------------------------------

impl Store {
    /// The table's items and, learned from this call's `Key`, its key attribute names.
    fn table(&mut self, call: &Call) -> (String, Option<Map>) {
        let table = call.text("TableName").unwrap_or_default().to_string();
        let key = call.param("Key").and_then(Value::as_object).map(|k| (**k).clone());
        if let Some(key) = &key {
            self.key_names.get_or_insert_with(&table, || key.keys().cloned().collect());
        }
        (table, key)
    }

    fn position(&self, table: &str, key: &Map) -> Option<usize> {
        self.tables.get(table)?.iter().rposition(|item| key.iter().all(|(k, v)| item.get(k) == Some(v)))
    }
}

/// `{"Attributes": ...}` when `ReturnValues` asks for the old item and there was one.
fn attributes(call: &Call, wanted: &[&str], item: Option<Map>) -> Value {
    let mut out = Value::object();
    if call.text("ReturnValues").is_some_and(|r| wanted.contains(&r)) {
        put(&mut out, "Attributes", item.map(Value::from));
    }
    out
}

fn dynamodb_get_item(call: &mut Call, store: &mut Store) -> Value {
    let (table, key) = store.table(call);
    let item = key.and_then(|k| store.position(&table, &k)).and_then(|i| store.tables.get(&table)?.get(i).cloned());
    obj([("Item", item.map_or_else(Value::object, Value::from))])
}

fn dynamodb_put_item(call: &mut Call, store: &mut Store) -> Value {
    let (table, _) = store.table(call);
    let item = call.param("Item").and_then(Value::as_object).map(|i| (**i).clone()).unwrap_or_default();
    let key: Option<Map> = store
        .key_names
        .get(&table)
        .map(|names| names.iter().filter_map(|n| Some((n.clone(), item.get(n)?.clone()))).collect());
    let old = key
        .filter(|k| !k.is_empty())
        .and_then(|k| store.position(&table, &k))
        .and_then(|i| Some(store.tables.get_mut(&table)?.remove(i)));
    store.tables.get_or_insert_with(&table, Vec::new).push(item);
    attributes(call, &["ALL_OLD"], old)
}

fn dynamodb_delete_item(call: &mut Call, store: &mut Store) -> Value {
    let (table, key) = store.table(call);
    let old = key.and_then(|k| store.position(&table, &k)).and_then(|i| Some(store.tables.get_mut(&table)?.remove(i)));
    attributes(call, &["ALL_OLD"], old)
}

/// Applies the `SET a = :v, #b = :w` and `REMOVE c` clauses of an update expression; other
/// actions (ADD, DELETE, arithmetic, functions) leave the item as it is.
fn dynamodb_update_item(call: &mut Call, store: &mut Store) -> Value {
    let (table, key) = store.table(call);
    let key = key.unwrap_or_default();
    let position = store.position(&table, &key);
    let old = position.and_then(|i| store.tables.get(&table)?.get(i).cloned());
    let mut item = old.clone().unwrap_or_else(|| key.clone());
    let names = call.param("ExpressionAttributeNames");
    let values = call.param("ExpressionAttributeValues");
    let resolve = |name: &str| -> Rc<str> {
        let name = name.trim();
        Rc::from(names.and_then(|n| n.get(name)).and_then(Value::as_str).unwrap_or(name))
    };
    let mut updated: Vec<Rc<str>> = Vec::new();
    for (action, clause) in update_clauses(call.text("UpdateExpression").unwrap_or_default()) {
        for part in clause.split(',') {
            match action.as_str() {
                "SET" => {
                    let Some((lhs, rhs)) = part.split_once('=') else { continue };
                    let Some(value) = values.and_then(|v| v.get(rhs.trim())) else { continue };
                    let name = resolve(lhs);
                    item.insert(name.clone(), value.clone());
                    updated.push(name);
                }
                "REMOVE" => {
                    let name = resolve(part);
                    item.remove(&name);
                    updated.push(name);
                }
                _ => {}
            }
        }
    }
    let pick = |from: &Map| -> Map { updated.iter().filter_map(|n| Some((n.clone(), from.get(n)?.clone()))).collect() };
    let returned = match call.text("ReturnValues") {
        Some("ALL_NEW") => Some(item.clone()),
        Some("UPDATED_NEW") => Some(pick(&item)),
        Some("ALL_OLD") => old.clone(),
        Some("UPDATED_OLD") => old.as_ref().map(pick),
        _ => None,
    };
    let rows = store.tables.get_or_insert_with(&table, Vec::new);
    match position.and_then(|i| rows.get_mut(i)) {
        Some(row) => *row = item,
        None => rows.push(item),
    }
    let mut out = Value::object();
    put(&mut out, "Attributes", returned.map(Value::from));
    out
}

/// `SET a = :x REMOVE b` → [("SET", " a = :x "), ("REMOVE", " b")].
fn update_clauses(expression: &str) -> Vec<(String, String)> {
    let mut clauses: Vec<(String, String)> = Vec::new();
    for word in expression.split_whitespace() {
        let upper = word.to_ascii_uppercase();
        if ["SET", "REMOVE", "ADD", "DELETE"].contains(&upper.as_str()) {
            clauses.push((upper, String::new()));
        } else if let Some((_, text)) = clauses.last_mut() {
            text.push(' ');
            text.push_str(word);
        }
    }
    clauses
}

/// Items whose attributes equal the `name = :value` conditions of the key condition (other
/// conditions are not applied).
fn dynamodb_query(call: &mut Call, store: &mut Store) -> Value {
    let (table, _) = store.table(call);
    let names = call.param("ExpressionAttributeNames");
    let values = call.param("ExpressionAttributeValues");
    let condition = call.text("KeyConditionExpression").unwrap_or_default();
    let mut wanted = Map::new();
    for part in condition.split(" AND ").flat_map(|p| p.split(" and ")) {
        let Some((lhs, rhs)) = part.split_once('=') else { continue };
        let lhs = lhs.trim();
        let name = names.and_then(|n| n.get(lhs)).and_then(Value::as_str).unwrap_or(lhs);
        if let Some(value) = values.and_then(|v| v.get(rhs.trim())) {
            wanted.insert(name, value.clone());
        }
    }
    let items: Vec<Value> = store
        .tables
        .get(&table)
        .map(|rows| {
            rows.iter()
                .filter(|item| wanted.iter().all(|(k, v)| item.get(k) == Some(v)))
                .map(|i| Value::from(i.clone()))
                .collect()
        })
        .unwrap_or_default();
    let count = Value::from(items.len());
    obj([("Count", count.clone()), ("Items", Value::from(items)), ("ScannedCount", count)])
}

fn dynamodb_scan(call: &mut Call, store: &mut Store) -> Value {
    let (table, _) = store.table(call);
    let items: Vec<Value> =
        store.tables.get(&table).map(|rows| rows.iter().map(|i| Value::from(i.clone())).collect()).unwrap_or_default();
    let count = Value::from(items.len());
    obj([("Count", count.clone()), ("Items", Value::from(items)), ("ScannedCount", count)])
}

// ---- EventBridge --------------------------------------------------------------------------

fn events_put_events(call: &mut Call, _: &mut Store) -> Value {
    let count = call.param("Entries").and_then(Value::as_array).map_or(0, |e| e.len());
    let entries: Vec<Value> = (0..count).map(|_| obj([("EventId", Value::from(call.uuid()))])).collect();
    obj([("Entries", Value::from(entries)), ("FailedEntryCount", Value::from(0))])
}

// ---- Step Functions -----------------------------------------------------------------------

fn states_start_execution(call: &mut Call, _: &mut Store) -> Value {
    let machine = call.text("StateMachineArn").unwrap_or_default().to_string();
    let name = match call.text("Name") {
        Some(name) => name.to_string(),
        None => call.uuid(),
    };
    let execution = match machine.split_once(":stateMachine:") {
        Some((prefix, rest)) => format!("{prefix}:execution:{}:{name}", rest.split(':').next().unwrap_or(rest)),
        None => call.arn("states", &format!("execution:StateMachine:{name}")),
    };
    obj([("ExecutionArn", Value::from(execution)), ("StartDate", call.iso(0))])
}

/// DescribeExecution of the child execution, which succeeded with its input as its output.
fn states_describe_execution(call: &mut Call, started: &Value) -> Value {
    let input = match call.param("Input") {
        None => "{}".to_string(),
        Some(v) => as_text(Some(v)),
    };
    let execution = started.get("ExecutionArn").cloned().unwrap_or(Value::Null);
    let name = execution.as_str().and_then(|a| a.rsplit(':').next()).map_or(Value::Null, Value::from);
    let included = || obj([("Included", Value::from(true))]);
    obj([
        ("ExecutionArn", execution.clone()),
        ("Input", Value::from(input.clone())),
        ("InputDetails", included()),
        ("Name", name),
        ("Output", Value::from(input)),
        ("OutputDetails", included()),
        ("RedriveCount", Value::from(0)),
        ("RedriveStatus", Value::from("NOT_REDRIVABLE")),
        ("RedriveStatusReason", Value::from("Execution is SUCCEEDED and cannot be redriven")),
        ("StartDate", started.get("StartDate").cloned().unwrap_or_else(|| call.iso(0))),
        ("StateMachineArn", call.param("StateMachineArn").cloned().unwrap_or(Value::Null)),
        ("Status", Value::from("SUCCEEDED")),
        ("StopDate", call.iso(1000)),
    ])
}

// ---- ECS, Glue, Batch: jobs ---------------------------------------------------------------

/// The last segment of a name or ARN (`arn:...:cluster/prod` → `prod`).
fn short_name(text: &str) -> &str {
    text.rsplit(['/', ':']).next().unwrap_or(text)
}

fn ecs_task(call: &mut Call, status: &str) -> Value {
    let cluster = short_name(call.text("Cluster").unwrap_or("default")).to_string();
    let definition = call.text("TaskDefinition").unwrap_or("task-definition").to_string();
    let family = definition.rsplit('/').next().unwrap_or(&definition).split(':').next().unwrap_or("task").to_string();
    let revision =
        if definition.contains(':') && !definition.starts_with("arn:") { String::new() } else { ":1".to_string() };
    let task_id = call.hex(32);
    let task_arn = call.arn("ecs", &format!("task/{cluster}/{task_id}"));
    let names: Vec<String> = call
        .param("Overrides")
        .and_then(|o| o.get("ContainerOverrides"))
        .and_then(Value::as_array)
        .map(|c| c.iter().filter_map(|o| o.get("Name").and_then(Value::as_str).map(str::to_string)).collect())
        .filter(|n: &Vec<String>| !n.is_empty())
        .unwrap_or_else(|| vec![family.clone()]);
    let stopped = status == "STOPPED";
    let containers: Vec<Value> = names
        .into_iter()
        .map(|name| {
            let mut c = obj([
                ("ContainerArn", {
                    let id = call.hex(32);
                    Value::from(call.arn("ecs", &format!("container/{cluster}/{id}")))
                }),
                ("LastStatus", Value::from(status)),
                ("Name", Value::from(name)),
                ("TaskArn", Value::from(task_arn.clone())),
            ]);
            put(&mut c, "ExitCode", stopped.then(|| Value::from(0)));
            sorted(c)
        })
        .collect();
    let mut task = obj([
        ("Attachments", Value::from(Vec::new())),
        ("ClusterArn", Value::from(call.arn("ecs", &format!("cluster/{cluster}")))),
        ("Containers", Value::from(containers)),
        ("CreatedAt", call.iso(0)),
        ("DesiredStatus", Value::from(if stopped { "STOPPED" } else { "RUNNING" })),
        ("Group", Value::from(format!("family:{family}"))),
        ("LastStatus", Value::from(status)),
        ("LaunchType", call.param("LaunchType").cloned().unwrap_or_else(|| Value::from("FARGATE"))),
        (
            "Overrides",
            call.param("Overrides").cloned().unwrap_or_else(|| obj([("ContainerOverrides", Value::from(Vec::new()))])),
        ),
        ("TaskArn", Value::from(task_arn.clone())),
        (
            "TaskDefinitionArn",
            Value::from(if definition.starts_with("arn:") {
                definition.clone()
            } else {
                call.arn("ecs", &format!("task-definition/{definition}{revision}"))
            }),
        ),
        ("Version", Value::from(if stopped { 4 } else { 1 })),
    ]);
    if stopped {
        put(&mut task, "StartedAt", Some(call.iso(0)));
        put(&mut task, "StopCode", Some(Value::from("EssentialContainerExited")));
        put(&mut task, "StoppedAt", Some(call.iso(1000)));
        put(&mut task, "StoppedReason", Some(Value::from("Essential container in task exited")));
    }
    sorted(task)
}

fn ecs_run_task(call: &mut Call, _: &mut Store) -> Value {
    let task = ecs_task(call, "PROVISIONING");
    obj([("Failures", Value::from(Vec::new())), ("Tasks", Value::from(vec![task]))])
}

/// The task once stopped, its containers exited with 0 (DescribeTasks' task).
fn ecs_stopped_task(call: &mut Call, _: &Value) -> Value {
    ecs_task(call, "STOPPED")
}

fn glue_start_job_run(call: &mut Call, _: &mut Store) -> Value {
    let mut out = Value::object();
    put(&mut out, "JobName", call.param("JobName").cloned());
    put(&mut out, "JobRunId", Some(Value::from(format!("jr_{}", call.hex(64)))));
    out
}

/// GetJobRun's `JobRun` once it succeeded.
fn glue_job_run(call: &mut Call, started: &Value) -> Value {
    obj([
        ("AllocatedCapacity", Value::from(10)),
        ("Arguments", call.param("Arguments").cloned().unwrap_or_else(Value::object)),
        ("Attempt", Value::from(0)),
        ("CompletedOn", call.iso(1000)),
        ("ExecutionTime", Value::from(1)),
        ("GlueVersion", Value::from("4.0")),
        ("Id", started.get("JobRunId").cloned().unwrap_or(Value::Null)),
        ("JobName", call.param("JobName").cloned().unwrap_or(Value::Null)),
        ("JobRunState", Value::from("SUCCEEDED")),
        ("LastModifiedOn", call.iso(1000)),
        ("LogGroupName", Value::from("/aws-glue/jobs")),
        ("MaxCapacity", Value::from(10.0)),
        ("PredecessorRuns", Value::from(Vec::new())),
        ("StartedOn", call.iso(0)),
        ("Timeout", Value::from(2880)),
    ])
}

fn batch_submit_job(call: &mut Call, _: &mut Store) -> Value {
    let id = call.uuid();
    obj([
        ("JobArn", Value::from(call.arn("batch", &format!("job/{id}")))),
        ("JobId", Value::from(id)),
        ("JobName", call.param("JobName").cloned().unwrap_or(Value::Null)),
    ])
}

/// DescribeJobs' job once it succeeded; Batch dates are epoch milliseconds.
fn batch_job(call: &mut Call, submitted: &Value) -> Value {
    let arn_of = |call: &Call, kind: &str, key: &str| -> Value {
        match call.text(key) {
            Some(a) if a.starts_with("arn:") => Value::from(a),
            Some(name) => Value::from(call.arn("batch", &format!("{kind}/{name}"))),
            None => Value::Null,
        }
    };
    let (start, stop) = (Value::from(call.now), Value::from(call.now.saturating_add(1000)));
    let stream_id = call.hex(32);
    let log_stream = format!("{}/default/{stream_id}", call.text("JobDefinition").map_or("job", short_name));
    let container = obj([("ExitCode", Value::from(0)), ("LogStreamName", Value::from(log_stream))]);
    obj([
        (
            "Attempts",
            Value::from(vec![obj([
                ("Container", container.clone()),
                ("StartedAt", start.clone()),
                ("StatusReason", Value::from("Essential container in task exited")),
                ("StoppedAt", stop.clone()),
            ])]),
        ),
        ("Container", container),
        ("CreatedAt", start.clone()),
        ("DependsOn", call.param("DependsOn").cloned().unwrap_or_else(|| Value::from(Vec::new()))),
        ("JobArn", submitted.get("JobArn").cloned().unwrap_or(Value::Null)),
        ("JobDefinition", arn_of(call, "job-definition", "JobDefinition")),
        ("JobId", submitted.get("JobId").cloned().unwrap_or(Value::Null)),
        ("JobName", call.param("JobName").cloned().unwrap_or(Value::Null)),
        ("JobQueue", arn_of(call, "job-queue", "JobQueue")),
        ("Parameters", call.param("Parameters").cloned().unwrap_or_else(Value::object)),
        ("StartedAt", start),
        ("Status", Value::from("SUCCEEDED")),
        ("StatusReason", Value::from("Essential container in task exited")),
        ("StoppedAt", stop),
        ("Tags", call.param("Tags").cloned().unwrap_or_else(Value::object)),
    ])
}

// ---- API Gateway and HTTP: an echo endpoint -----------------------------------------------

/// The response body an echo endpoint returns: the request body (parsed when JSON text), `{}`
/// without one.
fn echo_body(call: &Call) -> Value {
    call.param("RequestBody").map_or_else(Value::object, parsed)
}

fn header_map(pairs: Vec<(&str, String)>) -> Value {
    Value::from(pairs.into_iter().map(|(k, v)| (Rc::from(k), Value::from(vec![Value::from(v)]))).collect::<Map>())
}

fn apigateway_invoke(call: &mut Call, _: &mut Store) -> Value {
    let body = echo_body(call);
    let headers = header_map(vec![
        ("Connection", "keep-alive".into()),
        ("Content-Length", body.json_len().to_string()),
        ("Content-Type", "application/json".into()),
        ("Date", http_date(call.now)),
        ("Via", format!("1.1 {}.cloudfront.net (CloudFront)", call.hex(32))),
        ("x-amz-apigw-id", call.hex(16)),
        ("X-Amz-Cf-Id", call.hex(56)),
        ("X-Amz-Cf-Pop", "IAD89-C1".into()),
        ("x-amzn-RequestId", call.request_id.clone()),
        ("X-Amzn-Trace-Id", format!("Root=1-{:08x}-{}", (call.now / 1000) as u32, call.hex(24))),
        ("X-Cache", "Miss from cloudfront".into()),
    ]);
    obj([
        ("Headers", headers),
        ("ResponseBody", body),
        ("StatusCode", Value::from(200)),
        ("StatusText", Value::from("OK")),
    ])
}

fn http_invoke(call: &mut Call, _: &mut Store) -> Value {
    let body = echo_body(call);
    let headers = header_map(vec![
        ("content-length", body.json_len().to_string()),
        ("content-type", "application/json".into()),
        ("date", http_date(call.now)),
        ("x-amzn-requestid", call.request_id.clone()),
    ]);
    obj([
        ("Headers", headers),
        ("ResponseBody", body),
        ("StatusCode", Value::from(200)),
        ("StatusText", Value::from("OK")),
    ])
}

// ---- S3: a bucket that remembers ----------------------------------------------------------

fn object_key(call: &Call) -> (String, String) {
    (call.text("Bucket").unwrap_or_default().to_string(), call.text("Key").unwrap_or_default().to_string())
}

fn etag(body: &str) -> Value {
    Value::from(format!("\"{}\"", md5_hex(body.as_bytes())))
}

fn s3_put_object(call: &mut Call, store: &mut Store) -> Value {
    let body = as_text(call.param("Body"));
    let out = obj([
        ("ChecksumCRC32", Value::from(base64::encode(&crc32(body.as_bytes()).to_be_bytes()))),
        ("ChecksumType", Value::from("FULL_OBJECT")),
        ("ETag", etag(&body)),
        ("ServerSideEncryption", Value::from("AES256")),
    ]);
    let content_type = call.text("ContentType").unwrap_or("binary/octet-stream").to_string();
    store.objects.insert(object_key(call), S3Object { body, content_type, modified: call.now });
    out
}

/// The stored object, or an empty one when nothing was put at that key.
fn s3_get_object(call: &mut Call, store: &mut Store) -> Value {
    let object = store.objects.get(&object_key(call)).cloned().unwrap_or(S3Object {
        body: String::new(),
        content_type: "binary/octet-stream".into(),
        modified: call.now,
    });
    obj([
        ("AcceptRanges", Value::from("bytes")),
        ("ContentLength", Value::from(object.body.len())),
        ("ContentType", Value::from(object.content_type)),
        ("ETag", etag(&object.body)),
        ("LastModified", Value::from(format_iso(object.modified))),
        ("Metadata", Value::object()),
        ("ServerSideEncryption", Value::from("AES256")),
        ("Body", Value::from(object.body)),
    ])
}

fn s3_list_objects(call: &mut Call, store: &mut Store) -> Value {
    let bucket = call.text("Bucket").unwrap_or_default().to_string();
    let prefix = call.text("Prefix").unwrap_or_default().to_string();
    let contents: Vec<Value> = store
        .objects
        .iter()
        .filter(|((b, k), _)| *b == bucket && k.starts_with(&prefix))
        .map(|((_, key), o)| {
            obj([
                ("ChecksumAlgorithm", Value::from(vec![Value::from("CRC32")])),
                ("ChecksumType", Value::from("FULL_OBJECT")),
                ("ETag", etag(&o.body)),
                ("Key", Value::from(key.as_str())),
                ("LastModified", Value::from(format_iso(o.modified))),
                ("Size", Value::from(o.body.len())),
                ("StorageClass", Value::from("STANDARD")),
            ])
        })
        .collect();
    let count = Value::from(contents.len());
    let mut out = Value::object();
    put(&mut out, "Contents", (!contents.is_empty()).then(|| Value::from(contents)));
    put(&mut out, "IsTruncated", Some(Value::from(false)));
    put(&mut out, "KeyCount", Some(count));
    put(&mut out, "MaxKeys", Some(Value::from(1000)));
    put(&mut out, "Name", Some(Value::from(bucket)));
    put(&mut out, "Prefix", Some(Value::from(prefix)));
    out
}

#[cfg(test)]
mod tests;
