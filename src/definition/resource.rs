//! A Task state's `Resource` ARN, classified: a Lambda function, an activity or a service
//! integration, with its integration pattern. The definition model parses it once; the
//! services and the engine read it.

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
