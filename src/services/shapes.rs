//! Response shape checks, as AWS TestState's `fieldValidationMode` does them on a mocked
//! result: STRICT (required fields present, every field of the API model's type), PRESENT
//! (only the fields present are checked) or NONE. The shapes of the common integrations are
//! written in a small notation (see `SHAPES`), parsed when checked; fields the model does not
//! name are accepted, and integrations without a shape pass.
//!
//! Notation: `{Name:type, Required!:type}` a structure, `[type]` a list, `map<type>` an
//! object with any keys, `@Name` a named shape of `NAMED`, and the scalars `string`, `blob`,
//! `integer`, `long`, `double`, `boolean`, `timestamp`, `any` and `enum(A|B)`; `string`,
//! `blob`, `integer` and `long` take an optional range `(min..max)` (either end may be empty).

use super::defaults::{base_action, service_name};
use super::{Pattern, Resource, ResourceKind};
use crate::value::Value;

/// How strictly a mocked result is checked against its API model.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FieldValidationMode {
    /// Required fields must be present; every field present must conform (AWS's default).
    #[default]
    Strict,
    /// Every field present must conform.
    Present,
    /// No check.
    None,
}

impl FieldValidationMode {
    /// `STRICT`, `PRESENT` or `NONE`, as the TestState API spells them.
    pub fn parse(text: &str) -> Option<FieldValidationMode> {
        match text {
            "STRICT" => Some(FieldValidationMode::Strict),
            "PRESENT" => Some(FieldValidationMode::Present),
            "NONE" => Some(FieldValidationMode::None),
            _ => None,
        }
    }
}

/// A mocked result that does not fit its API model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeError {
    /// Where: `Entries[1].EventId`; empty for the result itself.
    pub path: String,
    /// AWS's message: `Mock result schema validation error: Field 'EventId' must be a string`.
    pub message: String,
}

impl std::fmt::Display for ShapeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ShapeError {}

/// Response shapes by `SERVICE:ACTION[.sync|.sync:2]`, with services named as the optimized
/// integrations name them (the aws-sdk forms `aws-sdk:sfn`, `aws-sdk:eventbridge` map here).
const SHAPES: &[(&str, &str)] = &[
    ("lambda:invoke", "{StatusCode:integer,FunctionError:string,LogResult:string,Payload:any,ExecutedVersion:string(1..1024)}"),
    ("lambda:getFunction", "{Configuration:@FunctionConfiguration,Code:{RepositoryType:string,Location:string,ImageUri:string,ResolvedImageUri:string},Tags:map<string>,Concurrency:{ReservedConcurrentExecutions:integer(0..)}}"),
    ("sqs:sendMessage", "{MD5OfMessageBody:string,MD5OfMessageAttributes:string,MD5OfMessageSystemAttributes:string,MessageId:string,SequenceNumber:string}"),
    ("sns:publish", "{MessageId:string,SequenceNumber:string}"),
    ("dynamodb:getItem", "{Item:map<@AttributeValue>,ConsumedCapacity:@ConsumedCapacity}"),
    ("dynamodb:putItem", "@WriteItemOutput"),
    ("dynamodb:updateItem", "@WriteItemOutput"),
    ("dynamodb:deleteItem", "@WriteItemOutput"),
    ("dynamodb:query", "@ItemsOutput"),
    ("dynamodb:scan", "@ItemsOutput"),
    ("events:putEvents", "{FailedEntryCount:integer,Entries:[{EventId:string,ErrorCode:string,ErrorMessage:string}]}"),
    ("states:startExecution", "{ExecutionArn!:string(1..256),StartDate!:timestamp}"),
    ("states:describeExecution", "@DescribeExecution"),
    ("states:startExecution.sync", "@DescribeExecution"),
    ("states:startExecution.sync:2", "{ExecutionArn!:string(1..256),StateMachineArn!:string(1..256),Name:string,Status!:@ExecutionStatus,StartDate!:timestamp,StopDate:timestamp,Input:any,InputDetails:{Included:boolean},Output:any,OutputDetails:{Included:boolean},Error:string,Cause:string,RedriveCount:integer,RedriveStatus:@RedriveStatus,RedriveStatusReason:string}"),
    ("ecs:runTask", "{Tasks:[@EcsTask],Failures:[{Arn:string,Reason:string,Detail:string}]}"),
    ("ecs:runTask.sync", "@EcsTask"),
    ("glue:startJobRun", "{JobRunId:string(1..255),JobName:string}"),
    ("glue:startJobRun.sync", "@GlueJobRun"),
    ("batch:submitJob", "{JobArn:string,JobName!:string,JobId!:string}"),
    ("batch:submitJob.sync", "@BatchJob"),
    ("s3:getObject", "{Body:blob,DeleteMarker:boolean,AcceptRanges:string,Expiration:string,Restore:string,LastModified:timestamp,ContentLength:long,ETag:string,ChecksumCRC32:string,ChecksumCRC32C:string,ChecksumSHA1:string,ChecksumSHA256:string,ChecksumType:enum(COMPOSITE|FULL_OBJECT),MissingMeta:integer,VersionId:string,CacheControl:string,ContentDisposition:string,ContentEncoding:string,ContentLanguage:string,ContentRange:string,ContentType:string,Expires:timestamp,WebsiteRedirectLocation:string,ServerSideEncryption:@ServerSideEncryption,Metadata:map<string>,SSEKMSKeyId:string,BucketKeyEnabled:boolean,StorageClass:@StorageClass,RequestCharged:enum(requester),ReplicationStatus:enum(COMPLETE|PENDING|FAILED|REPLICA|COMPLETED),PartsCount:integer,TagCount:integer,ObjectLockMode:enum(GOVERNANCE|COMPLIANCE),ObjectLockRetainUntilDate:timestamp,ObjectLockLegalHoldStatus:enum(ON|OFF)}"),
    ("s3:putObject", "{Expiration:string,ETag:string,ChecksumCRC32:string,ChecksumCRC32C:string,ChecksumSHA1:string,ChecksumSHA256:string,ChecksumType:enum(COMPOSITE|FULL_OBJECT),ServerSideEncryption:@ServerSideEncryption,VersionId:string,SSEKMSKeyId:string,BucketKeyEnabled:boolean,Size:long,RequestCharged:enum(requester)}"),
    ("s3:listObjectsV2", "{IsTruncated:boolean,Contents:[{Key:string,LastModified:timestamp,ETag:string,ChecksumAlgorithm:[enum(CRC32|CRC32C|SHA1|SHA256|CRC64NVME)],ChecksumType:enum(COMPOSITE|FULL_OBJECT),Size:long,StorageClass:@StorageClass,Owner:{DisplayName:string,ID:string}}],Name:string,Prefix:string,Delimiter:string,MaxKeys:integer,CommonPrefixes:[{Prefix:string}],EncodingType:enum(url),KeyCount:integer,ContinuationToken:string,NextContinuationToken:string,StartAfter:string,RequestCharged:enum(requester)}"),
    ("kms:encrypt", "{CiphertextBlob:blob(1..6144),KeyId:string(1..2048),EncryptionAlgorithm:enum(SYMMETRIC_DEFAULT|RSAES_OAEP_SHA_1|RSAES_OAEP_SHA_256|SM2PKE)}"),
    ("apigateway:invoke", "{ResponseBody:any,Headers:map<any>,StatusCode:integer,StatusText:string}"),
    ("http:invoke", "{ResponseBody:any,Headers:map<any>,StatusCode:integer,StatusText:string}"),
];

/// Shapes that several responses share, referred to as `@Name`.
const NAMED: &[(&str, &str)] = &[
    ("AttributeValue", "{S:string,N:string,B:blob,SS:[string],NS:[string],BS:[blob],M:map<@AttributeValue>,L:[@AttributeValue],NULL:boolean,BOOL:boolean}"),
    ("Capacity", "{ReadCapacityUnits:double,WriteCapacityUnits:double,CapacityUnits:double}"),
    ("ConsumedCapacity", "{TableName:string,CapacityUnits:double,ReadCapacityUnits:double,WriteCapacityUnits:double,Table:@Capacity,LocalSecondaryIndexes:map<@Capacity>,GlobalSecondaryIndexes:map<@Capacity>}"),
    ("WriteItemOutput", "{Attributes:map<@AttributeValue>,ConsumedCapacity:@ConsumedCapacity,ItemCollectionMetrics:{ItemCollectionKey:map<@AttributeValue>,SizeEstimateRangeGB:[double]}}"),
    ("ItemsOutput", "{Items:[map<@AttributeValue>],Count:integer,ScannedCount:integer,LastEvaluatedKey:map<@AttributeValue>,ConsumedCapacity:@ConsumedCapacity}"),
    ("ExecutionStatus", "enum(RUNNING|SUCCEEDED|FAILED|TIMED_OUT|ABORTED|PENDING_REDRIVE)"),
    ("RedriveStatus", "enum(REDRIVABLE|NOT_REDRIVABLE|REDRIVABLE_BY_MAP_RUN)"),
    ("DescribeExecution", "{ExecutionArn!:string(1..256),StateMachineArn!:string(1..256),Name:string,Status!:@ExecutionStatus,StartDate!:timestamp,StopDate:timestamp,Input:string,InputDetails:{Included:boolean},Output:string,OutputDetails:{Included:boolean},Error:string,Cause:string,RedriveCount:integer,RedriveStatus:@RedriveStatus,RedriveStatusReason:string}"),
    ("FunctionConfiguration", "{FunctionName:string,FunctionArn:string,Runtime:string,Role:string,Handler:string,CodeSize:long,Description:string(0..256),Timeout:integer(1..),MemorySize:integer(128..10240),LastModified:string,CodeSha256:string,Version:string(1..1024),Environment:{Variables:map<string>,Error:{ErrorCode:string,Message:string}},State:enum(Pending|Active|Inactive|Failed),PackageType:enum(Zip|Image),Architectures:[enum(x86_64|arm64)],EphemeralStorage:{Size!:integer(512..10240)}}"),
    ("EcsTask", "{TaskArn:string,ClusterArn:string,TaskDefinitionArn:string,ContainerInstanceArn:string,Containers:[{ContainerArn:string,TaskArn:string,Name:string,Image:string,LastStatus:string,ExitCode:integer,Reason:string,HealthStatus:enum(HEALTHY|UNHEALTHY|UNKNOWN)}],LastStatus:string,DesiredStatus:string,Cpu:string,Memory:string,Group:string,CreatedAt:timestamp,StartedAt:timestamp,StoppingAt:timestamp,StoppedAt:timestamp,StoppedReason:string,StopCode:enum(TaskFailedToStart|EssentialContainerExited|UserInitiated|ServiceSchedulerInitiated|SpotInterruption|TerminationNotice),LaunchType:enum(EC2|FARGATE|EXTERNAL|MANAGED_INSTANCES),Version:long,Attachments:[any],Overrides:any}"),
    ("GlueJobRun", "{Id:string(1..255),Attempt:integer,PreviousRunId:string,TriggerName:string,JobName:string(1..255),StartedOn:timestamp,LastModifiedOn:timestamp,CompletedOn:timestamp,JobRunState:enum(STARTING|RUNNING|STOPPING|STOPPED|SUCCEEDED|FAILED|TIMEOUT|ERROR|WAITING|EXPIRED),Arguments:map<string>,ErrorMessage:string,PredecessorRuns:[{JobName:string,RunId:string}],AllocatedCapacity:integer,ExecutionTime:integer,Timeout:integer(1..),MaxCapacity:double,WorkerType:string,NumberOfWorkers:integer,LogGroupName:string,GlueVersion:string,DPUSeconds:double,ExecutionClass:enum(FLEX|STANDARD)}"),
    ("BatchJob", "{JobArn:string,JobName!:string,JobId!:string,JobQueue!:string,Status!:enum(SUBMITTED|PENDING|RUNNABLE|STARTING|RUNNING|SUCCEEDED|FAILED),StatusReason:string,CreatedAt:long,StartedAt!:long,StoppedAt:long,JobDefinition!:string,Parameters:map<string>,Tags:map<string>,DependsOn:[{JobId:string,Type:enum(N_TO_N|SEQUENTIAL)}],Attempts:[{Container:{ExitCode:integer,Reason:string,LogStreamName:string},StartedAt:long,StoppedAt:long,StatusReason:string}],Container:{Image:string,Vcpus:integer,Memory:integer,Command:[string],ExitCode:integer,Reason:string,LogStreamName:string}}"),
    ("ServerSideEncryption", "enum(AES256|aws:fsx|aws:kms|aws:kms:dsse)"),
    ("StorageClass", "enum(STANDARD|REDUCED_REDUNDANCY|STANDARD_IA|ONEZONE_IA|INTELLIGENT_TIERING|GLACIER|DEEP_ARCHIVE|OUTPOSTS|GLACIER_IR|SNOW|EXPRESS_ONEZONE|FSX_OPENZFS|FSX_ONTAP)"),
];

/// The deepest nesting checked; deeper values are accepted as they are.
const MAX_DEPTH: usize = 64;

const PREFIX: &str = "Mock result schema validation error: ";

/// Checks a mocked result of a Task state against the response shape of its resource, as
/// TestState does with `fieldValidationMode`. Resources without a known shape (Lambda function
/// and activity ARNs, `.waitForTaskToken` callbacks, unlisted integrations) pass.
///
/// ```
/// use aslplay::services::{check_mock_result, FieldValidationMode, Resource};
/// let r = Resource::parse("arn:aws:states:::states:startExecution").unwrap();
/// let err = check_mock_result(&r, &aslplay::json::parse("{}").unwrap(), FieldValidationMode::Strict).unwrap_err();
/// assert_eq!(err.message, "Mock result schema validation error: Required field 'ExecutionArn' is missing");
/// ```
pub fn check_mock_result(resource: &Resource, result: &Value, mode: FieldValidationMode) -> Result<(), ShapeError> {
    if mode == FieldValidationMode::None
        || resource.kind != ResourceKind::Service
        || resource.pattern == Pattern::WaitForTaskToken
    {
        return Ok(());
    }
    let (service, _) = service_name(&resource.resource_type);
    let suffix = match resource.pattern {
        Pattern::Sync => ".sync",
        Pattern::Sync2 => ".sync:2",
        _ => "",
    };
    let key = format!("{service}:{}{suffix}", base_action(&resource.resource));
    let Some(notation) = SHAPES.iter().find(|(k, _)| *k == key).map(|(_, s)| *s) else { return Ok(()) };
    let Some(shape) = parse(notation) else { return Ok(()) };
    if !result.is_object() && matches!(shape, Shape::Struct(_) | Shape::Named(_)) {
        return Err(ShapeError {
            path: String::new(),
            message: format!("{PREFIX}Mocked result must be a JSON object"),
        });
    }
    Checker { strict: mode == FieldValidationMode::Strict }.check(&shape, result, "", "", 0)
}

/// A parsed shape.
#[derive(Debug, PartialEq)]
enum Shape {
    Struct(Vec<Field>),
    List(Box<Shape>),
    MapOf(Box<Shape>),
    Named(&'static str),
    Scalar { kind: Scalar, min: Option<i64>, max: Option<i64> },
    Enum(Vec<&'static str>),
    Any,
}

#[derive(Debug, PartialEq)]
struct Field {
    name: &'static str,
    required: bool,
    shape: Shape,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Scalar {
    String,
    Blob,
    Integer,
    Long,
    Double,
    Boolean,
    Timestamp,
}

/// Parses the whole notation text; `None` if it is not well formed (a bug the tests catch).
fn parse(text: &'static str) -> Option<Shape> {
    let mut parser = Parser { text, pos: 0 };
    let shape = parser.shape()?;
    (parser.pos == text.len()).then_some(shape)
}

struct Parser {
    text: &'static str,
    pos: usize,
}

impl Parser {
    fn rest(&self) -> &'static str {
        self.text.get(self.pos..).unwrap_or("")
    }
    fn eat(&mut self, token: &str) -> bool {
        let found = self.rest().starts_with(token);
        if found {
            self.pos += token.len();
        }
        found
    }
    /// The text up to the first character `stop` accepts (or the end).
    fn until(&mut self, stop: fn(char) -> bool) -> &'static str {
        let rest = self.rest();
        let len = rest.find(stop).unwrap_or(rest.len());
        self.pos += len;
        &rest[..len]
    }
    /// A name: letters, digits and `_`.
    fn word(&mut self) -> &'static str {
        self.until(|c| !(c.is_ascii_alphanumeric() || c == '_'))
    }
    fn number(&mut self) -> Option<i64> {
        let rest = self.rest();
        let len = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        self.pos += len;
        rest[..len].parse().ok()
    }
    fn shape(&mut self) -> Option<Shape> {
        if self.eat("{") {
            let mut fields = Vec::new();
            while !self.eat("}") {
                if !fields.is_empty() && !self.eat(",") {
                    return None;
                }
                let name = self.word();
                let required = self.eat("!");
                if name.is_empty() || !self.eat(":") {
                    return None;
                }
                fields.push(Field { name, required, shape: self.shape()? });
            }
            return Some(Shape::Struct(fields));
        }
        if self.eat("[") {
            let item = self.shape()?;
            return self.eat("]").then(|| Shape::List(Box::new(item)));
        }
        if self.eat("map<") {
            let item = self.shape()?;
            return self.eat(">").then(|| Shape::MapOf(Box::new(item)));
        }
        if self.eat("@") {
            return Some(Shape::Named(self.word()));
        }
        if self.eat("enum(") {
            let value = |p: &mut Parser| p.until(|c| c == '|' || c == ')');
            let mut values = vec![value(self)];
            while self.eat("|") {
                values.push(value(self));
            }
            return self.eat(")").then_some(Shape::Enum(values));
        }
        let kind = match self.word() {
            "string" => Scalar::String,
            "blob" => Scalar::Blob,
            "integer" => Scalar::Integer,
            "long" => Scalar::Long,
            "double" => Scalar::Double,
            "boolean" => Scalar::Boolean,
            "timestamp" => Scalar::Timestamp,
            "any" => return Some(Shape::Any),
            _ => return None,
        };
        let (mut min, mut max) = (None, None);
        if self.eat("(") {
            min = self.number();
            if !self.eat("..") {
                return None;
            }
            max = self.number();
            if !self.eat(")") {
                return None;
            }
        }
        Some(Shape::Scalar { kind, min, max })
    }
}

struct Checker {
    strict: bool,
}

impl Checker {
    /// Checks `value` (the field `name`, at `path`) against `shape`.
    fn check(&self, shape: &Shape, value: &Value, name: &str, path: &str, depth: usize) -> Result<(), ShapeError> {
        let fail =
            |what: &str| Err(ShapeError { path: path.to_string(), message: format!("{PREFIX}Field '{name}' {what}") });
        if depth > MAX_DEPTH {
            return Ok(());
        }
        match shape {
            Shape::Any => Ok(()),
            Shape::Named(named) => match NAMED.iter().find(|(n, _)| n == named).and_then(|(_, text)| parse(text)) {
                Some(shape) => self.check(&shape, value, name, path, depth + 1),
                None => Ok(()),
            },
            Shape::Struct(fields) => {
                let Some(object) = value.as_object() else { return fail("must be an object") };
                for field in fields {
                    let at = if path.is_empty() { field.name.to_string() } else { format!("{path}.{}", field.name) };
                    match object.get(field.name).filter(|v| !v.is_null()) {
                        Some(v) => self.check(&field.shape, v, field.name, &at, depth + 1)?,
                        None if field.required && self.strict => {
                            return Err(ShapeError {
                                path: at,
                                message: format!("{PREFIX}Required field '{}' is missing", field.name),
                            });
                        }
                        None => {}
                    }
                }
                Ok(())
            }
            Shape::List(item) => {
                let Some(items) = value.as_array() else { return fail("must be an array") };
                items
                    .iter()
                    .enumerate()
                    .try_for_each(|(i, v)| self.check(item, v, name, &format!("{path}[{i}]"), depth + 1))
            }
            Shape::MapOf(item) => {
                let Some(object) = value.as_object() else { return fail("must be an object") };
                object.iter().try_for_each(|(k, v)| self.check(item, v, k, &format!("{path}.{k}"), depth + 1))
            }
            Shape::Enum(values) => match value.as_str() {
                None => fail("must be a string"),
                Some(s) if !values.contains(&s) => fail("is not an expected value"),
                Some(_) => Ok(()),
            },
            Shape::Scalar { kind, min, max } => {
                let (length, number) = match (kind, value) {
                    (Scalar::String | Scalar::Blob, Value::String(s)) => (Some(s.chars().count() as i64), None),
                    (Scalar::String | Scalar::Blob, _) => return fail("must be a string"),
                    (Scalar::Integer | Scalar::Long, Value::Number(n)) if n.is_integer() => (None, n.as_i64()),
                    (Scalar::Integer | Scalar::Long, Value::Number(_)) => return fail("must be an integer"),
                    (Scalar::Double, Value::Number(_)) => (None, None),
                    (Scalar::Integer | Scalar::Long | Scalar::Double, _) => return fail("must be a number"),
                    (Scalar::Boolean, Value::Bool(_)) => (None, None),
                    (Scalar::Boolean, _) => return fail("must be a boolean"),
                    // Timestamps are ISO-8601 text, or epoch numbers in the Java-based integrations.
                    (Scalar::Timestamp, Value::String(_) | Value::Number(_)) => (None, None),
                    (Scalar::Timestamp, _) => return fail("must be a string"),
                };
                match (length, number) {
                    (Some(l), _) if min.is_some_and(|m| l < m) => fail("is smaller than the minimum length"),
                    (Some(l), _) if max.is_some_and(|m| l > m) => fail("exceeds the maximum length"),
                    (_, Some(n)) if min.is_some_and(|m| n < m) => fail("is less than the minimum value"),
                    (_, Some(n)) if max.is_some_and(|m| n > m) => fail("exceeds the maximum value"),
                    _ => Ok(()),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
