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

pub use crate::definition::resource::{ArnParts, Pattern, Resource, ResourceKind};

use crate::value::{Map, Value};
use std::rc::Rc;

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
    responses: Map<(usize, Vec<TaskResponse>)>,
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
        // Region and account may be given; the region is the task's.
        let r = Resource::parse("arn:aws:states:eu-west-1:123456789012:aws-sdk:s3:getObject").unwrap();
        assert_eq!((r.kind, &*r.resource_type, &*r.resource), (ResourceKind::Service, "aws-sdk:s3", "getObject"));
        assert_eq!(r.region.as_deref(), Some("eu-west-1"));
        let r = Resource::parse("arn:aws:states:us-east-1:123456789012:lambda:invoke.waitForTaskToken").unwrap();
        assert_eq!((&*r.resource_type, r.pattern), ("lambda", Pattern::WaitForTaskToken));
        let r = Resource::parse("arn:aws:states:us-east-1:123456789012:activity:review").unwrap();
        assert_eq!(r.kind, ResourceKind::Activity);
        assert!(Resource::parse("arn:aws:states:us-east-1:123456789012:activity:").is_none());
    }
}
