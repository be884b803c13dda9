//! The service layer: what a Task state calls. The engine knows only the `ServiceLayer`
//! trait; mocks (a list of answers per state, or a Step Functions Local MockConfigFile)
//! implement it.

pub(crate) mod defaults;
mod mock_config;
mod shapes;

pub use defaults::DefaultServices;
pub use mock_config::{
    MockConfig, MockConfigError, MockedInvocation, MockedResponse, MockedServices, INVOCATION_FIELDS,
    MOCK_CONFIG_FIELDS, THROW_FIELDS,
};
pub use shapes::{check_mock_result, FieldValidationMode, ShapeError};

use crate::hash_index::StrMap;
use crate::value::Value;
use std::rc::Rc;

/// How a Task's `Resource` is called, which decides the history events it records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResourceKind {
    /// `arn:aws:lambda:REGION:ACCOUNT:function:NAME`: `LambdaFunction*` events.
    LambdaFunction,
    /// `arn:aws:states:REGION:ACCOUNT:activity:NAME`: `Activity*` events.
    Activity,
    /// `arn:aws:states:::SERVICE:ACTION[.sync|.sync:2|.waitForTaskToken]` and
    /// `arn:aws:states:::aws-sdk:SERVICE:ACTION`: `Task*` events.
    Service,
}

/// The integration pattern of a service call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    RequestResponse,
    Sync,
    Sync2,
    WaitForTaskToken,
}

/// A Task resource, classified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    pub arn: Rc<str>,
    pub kind: ResourceKind,
    /// History `resourceType`: `lambda`, `sqs`, `aws-sdk:dynamodb`, ...
    pub resource_type: Rc<str>,
    /// History `resource`: `invoke`, `sendMessage.waitForTaskToken`, ...; the ARN for
    /// Lambda functions and activities.
    pub resource: Rc<str>,
    pub pattern: Pattern,
    /// Region in the ARN, if any.
    pub region: Option<Rc<str>>,
}

impl Resource {
    /// Classifies a `Resource` ARN; `None` when it is not one AWS accepts.
    pub fn parse(arn: &str) -> Option<Resource> {
        let parts: Vec<&str> = arn.splitn(7, ':').collect();
        if parts.len() < 6 || parts[0] != "arn" || parts[1].is_empty() {
            return None;
        }
        let (service, region) = (parts[2], parts[3]);
        let region = (!region.is_empty()).then(|| Rc::from(region));
        let whole = |kind| Resource {
            arn: Rc::from(arn),
            kind,
            resource_type: Rc::from(if kind == ResourceKind::LambdaFunction { "lambda" } else { "activity" }),
            resource: Rc::from(arn),
            pattern: Pattern::RequestResponse,
            region: region.clone(),
        };
        match service {
            "lambda" if parts[5] == "function" && parts.len() >= 7 => Some(whole(ResourceKind::LambdaFunction)),
            "states" if parts[5] == "activity" && parts.len() >= 7 => Some(whole(ResourceKind::Activity)),
            "states" if parts[3].is_empty() && parts[4].is_empty() => {
                // arn:aws:states:::SERVICE:ACTION or arn:aws:states:::aws-sdk:SERVICE:ACTION
                let rest = arn.splitn(6, ':').nth(5)?;
                let (resource_type, action) = match rest.strip_prefix("aws-sdk:") {
                    Some(r) => {
                        let (svc, action) = r.split_once(':')?;
                        (format!("aws-sdk:{svc}"), action)
                    }
                    None => {
                        let (svc, action) = rest.split_once(':')?;
                        (svc.to_string(), action)
                    }
                };
                if resource_type.is_empty() || action.is_empty() {
                    return None;
                }
                let pattern = if action.ends_with(".waitForTaskToken") {
                    Pattern::WaitForTaskToken
                } else if action.ends_with(".sync:2") {
                    Pattern::Sync2
                } else if action.ends_with(".sync") {
                    Pattern::Sync
                } else {
                    Pattern::RequestResponse
                };
                Some(Resource {
                    arn: Rc::from(arn),
                    kind: ResourceKind::Service,
                    resource_type: Rc::from(resource_type),
                    resource: Rc::from(action),
                    pattern,
                    region: None,
                })
            }
            _ => None,
        }
    }
}

/// One call of a Task state to its service.
#[derive(Debug)]
pub struct TaskRequest<'a> {
    pub state_name: &'a str,
    pub resource: &'a Resource,
    /// The effective parameters (after `Parameters` / `Arguments`).
    pub parameters: &'a Value,
    /// `$$.Task.Token` for `.waitForTaskToken` calls.
    pub task_token: Option<&'a str>,
    /// 0 for the first attempt of this state entry, then 1, 2, ... for retries.
    pub retry_count: u32,
}

/// What the service answered.
#[derive(Clone, Debug, PartialEq)]
pub enum TaskResponse {
    /// The service's result (before `ResultSelector`), after `latency_ms` of virtual time.
    Succeeded { output: Value, latency_ms: u64 },
    /// The call failed with an error name and a cause.
    Failed { error: Rc<str>, cause: Option<Rc<str>>, latency_ms: u64 },
    /// No answer ever comes (a callback that is never sent): the task's timeout decides.
    NoResponse,
    /// A `.sync` or `.waitForTaskToken` call: the service accepted the request with this
    /// response (history `TaskSubmitted`), then the job or callback ends as `then`.
    Submitted { output: Value, then: Box<TaskResponse> },
    /// An answer made up by a default service (no mock was given for this state): the engine
    /// marks the task events so that the user knows.
    Default(Box<TaskResponse>),
}

/// The services Task states call.
pub trait ServiceLayer {
    fn call(&mut self, request: &TaskRequest) -> TaskResponse;
}

/// Answers from a fixed list of responses per state name, in call order; a state without
/// answers left fails with a clear error.
#[derive(Clone, Debug, Default)]
pub struct ListedResponses {
    responses: StrMap<(usize, Vec<TaskResponse>)>,
}

impl ListedResponses {
    pub fn new() -> ListedResponses {
        ListedResponses::default()
    }

    /// Appends an answer for `state`.
    pub fn push(&mut self, state: &str, response: TaskResponse) {
        self.responses.get_or_insert_with(state, Default::default).1.push(response);
    }
}

impl ServiceLayer for ListedResponses {
    fn call(&mut self, request: &TaskRequest) -> TaskResponse {
        match self.responses.get_mut(request.state_name) {
            Some((next, list)) if *next < list.len() => {
                *next += 1;
                list[*next - 1].clone()
            }
            _ => TaskResponse::Failed {
                error: Rc::from("States.Runtime"),
                cause: Some(Rc::from(format!(
                    "No mocked response for call {} of state '{}'.",
                    self.responses.get(request.state_name).map_or(0, |e| e.0) + 1,
                    request.state_name
                ))),
                latency_ms: 0,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_resources() {
        let r = Resource::parse("arn:aws:states:::lambda:invoke").unwrap();
        assert_eq!((&*r.resource_type, &*r.resource, r.pattern), ("lambda", "invoke", Pattern::RequestResponse));
        let r = Resource::parse("arn:aws:states:::sqs:sendMessage.waitForTaskToken").unwrap();
        assert_eq!((&*r.resource, r.pattern), ("sendMessage.waitForTaskToken", Pattern::WaitForTaskToken));
        let r = Resource::parse("arn:aws:states:::aws-sdk:s3:getObject").unwrap();
        assert_eq!(&*r.resource_type, "aws-sdk:s3");
        let r = Resource::parse("arn:aws:lambda:us-east-1:111111111111:function:f").unwrap();
        assert_eq!(r.kind, ResourceKind::LambdaFunction);
        assert!(Resource::parse("activity_arn").is_none());
        assert!(Resource::parse("arn:aws:states:::lambda").is_none());
    }
}
