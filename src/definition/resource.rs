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

/// An ARN split into its parts: `arn:PARTITION:SERVICE:REGION:ACCOUNT:REST`, where `REST`
/// keeps its own colons (`function:NAME:QUALIFIER`, `aws-sdk:s3:getObject`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArnParts<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub rest: &'a str,
}

impl<'a> ArnParts<'a> {
    /// Splits `arn`; `None` when it does not have the six parts of an ARN.
    pub fn split(arn: &'a str) -> Option<ArnParts<'a>> {
        let mut parts = arn.splitn(6, ':');
        if parts.next()? != "arn" {
            return None;
        }
        let (partition, service, region, account, rest) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        Some(ArnParts { partition, service, region, account, rest })
    }

    /// The integration a `states` ARN names (`lambda:invoke`, `aws-sdk:s3:getObject.waitForTaskToken`),
    /// or `None` for an activity or another service. The region and account are optional:
    /// AWS's documentation writes `arn:aws:states:::lambda:invoke`, the `:::` being a region and
    /// an account that "are unnecessary because both are inferred from the region and account
    /// in which the workflow runs" (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html),
    /// and its samples give them (`arn:aws:states:us-east-1:123456789012:lambda:invoke`).
    pub fn integration(&self) -> Option<&'a str> {
        (self.service == "states" && !self.rest.starts_with("activity:")).then_some(self.rest)
    }
}

impl Resource {
    /// Classifies a `Resource` ARN; `None` when it is not one AWS accepts.
    pub fn parse(arn: &str) -> Option<Resource> {
        let parts = ArnParts::split(arn)?;
        if parts.partition.is_empty() {
            return None;
        }
        let region = (!parts.region.is_empty()).then(|| Rc::from(parts.region));
        let whole = |kind| Resource {
            arn: Rc::from(arn),
            kind,
            resource_type: Rc::from(if kind == ResourceKind::LambdaFunction { "lambda" } else { "activity" }),
            resource: Rc::from(arn),
            pattern: Pattern::RequestResponse,
            region: region.clone(),
        };
        let named = |prefix: &str| parts.rest.strip_prefix(prefix).is_some_and(|name| !name.is_empty());
        match parts.service {
            "lambda" if named("function:") => Some(whole(ResourceKind::LambdaFunction)),
            "states" if named("activity:") => Some(whole(ResourceKind::Activity)),
            "states" => {
                // arn:aws:states:[REGION]:[ACCOUNT]:SERVICE:ACTION or ...:aws-sdk:SERVICE:ACTION
                let rest = parts.integration()?;
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
                    region,
                })
            }
            _ => None,
        }
    }
}
