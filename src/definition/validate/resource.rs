//! Task `Resource` ARNs: which forms AWS recognizes (Lambda functions, activities,
//! optimized service integrations with their patterns, AWS SDK integrations), and which
//! of them an Express machine may not use.

use super::{Checker, Loc, SCHEMA};
use crate::value::Value;

/// The partitions an ARN may name.
const PARTITIONS: &[&str] =
    &["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"];

/// Integration patterns an optimized integration may allow besides request-response.
#[derive(Clone, Copy)]
pub(crate) struct Patterns {
    pub(crate) sync: bool,
    pub(crate) sync2: bool,
    pub(crate) token: bool,
}

const RR: Patterns = Patterns { sync: false, sync2: false, token: false };
const TOKEN: Patterns = Patterns { sync: false, sync2: false, token: true };
const SYNC: Patterns = Patterns { sync: true, sync2: false, token: false };
const SYNC_TOKEN: Patterns = Patterns { sync: true, sync2: false, token: true };

/// AWS's optimized integrations (`arn:aws:states:::SERVICE:ACTION`) and their patterns.
pub(crate) const OPTIMIZED: &[(&str, &str, Patterns)] = &[
    ("lambda", "invoke", TOKEN),
    ("states", "startExecution", Patterns { sync: true, sync2: true, token: true }),
    ("sqs", "sendMessage", TOKEN),
    ("sns", "publish", TOKEN),
    ("events", "putEvents", TOKEN),
    ("apigateway", "invoke", TOKEN),
    ("http", "invoke", RR),
    ("dynamodb", "getItem", RR),
    ("dynamodb", "putItem", RR),
    ("dynamodb", "deleteItem", RR),
    ("dynamodb", "updateItem", RR),
    ("batch", "submitJob", SYNC_TOKEN),
    ("ecs", "runTask", SYNC_TOKEN),
    ("glue", "startJobRun", SYNC_TOKEN),
    ("databrew", "startJobRun", SYNC),
    ("athena", "startQueryExecution", SYNC_TOKEN),
    ("athena", "stopQueryExecution", RR),
    ("athena", "getQueryExecution", RR),
    ("athena", "getQueryResults", RR),
    ("codebuild", "startBuild", SYNC_TOKEN),
    ("codebuild", "stopBuild", RR),
    ("codebuild", "batchDeleteBuilds", RR),
    ("codebuild", "batchGetReports", RR),
    ("codebuild", "startBuildBatch", SYNC),
    ("codebuild", "stopBuildBatch", RR),
    ("codebuild", "retryBuildBatch", SYNC),
    ("codebuild", "deleteBuildBatch", RR),
    ("bedrock", "invokeModel", RR),
    ("bedrock", "createModelCustomizationJob", SYNC),
    ("mediaconvert", "createJob", SYNC),
    ("eks", "createCluster", SYNC),
    ("eks", "deleteCluster", SYNC),
    ("eks", "createFargateProfile", SYNC),
    ("eks", "deleteFargateProfile", SYNC),
    ("eks", "createNodegroup", SYNC),
    ("eks", "deleteNodegroup", SYNC),
    ("eks", "runJob", SYNC),
    ("eks", "call", RR),
    ("elasticmapreduce", "createCluster", SYNC),
    ("elasticmapreduce", "terminateCluster", SYNC),
    ("elasticmapreduce", "addStep", SYNC),
    ("elasticmapreduce", "cancelStep", RR),
    ("elasticmapreduce", "setClusterTerminationProtection", RR),
    ("elasticmapreduce", "modifyInstanceFleetByName", RR),
    ("elasticmapreduce", "modifyInstanceGroupByName", RR),
    ("elasticmapreduce-containers", "createVirtualCluster", RR),
    ("elasticmapreduce-containers", "deleteVirtualCluster", SYNC),
    ("elasticmapreduce-containers", "startJobRun", SYNC),
    ("emr-serverless", "createApplication", SYNC),
    ("emr-serverless", "startApplication", SYNC),
    ("emr-serverless", "stopApplication", SYNC),
    ("emr-serverless", "deleteApplication", SYNC),
    ("emr-serverless", "startJobRun", SYNC),
    ("emr-serverless", "cancelJobRun", SYNC),
    ("sagemaker", "createTrainingJob", SYNC),
    ("sagemaker", "createTransformJob", SYNC),
    ("sagemaker", "createProcessingJob", SYNC),
    ("sagemaker", "createHyperParameterTuningJob", SYNC),
    ("sagemaker", "createLabelingJob", SYNC),
    ("sagemaker", "createModel", RR),
    ("sagemaker", "createEndpoint", RR),
    ("sagemaker", "createEndpointConfig", RR),
    ("sagemaker", "updateEndpoint", RR),
];

/// What a recognized resource is, as far as validation cares.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ResourceKind {
    Lambda,
    Activity,
    /// An integration with its pattern suffix (`""`, `.sync`, `.sync:2`, `.waitForTaskToken`).
    Integration(&'static str),
}

/// Classifies a Task resource ARN, `None` when AWS would not recognize it.
pub(crate) fn classify(arn: &str) -> Option<ResourceKind> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, partition, service, region, account, rest] = parts[..] else { return None };
    if prefix != "arn" || !PARTITIONS.contains(&partition) {
        return None;
    }
    match service {
        "lambda" => {
            let name = rest.strip_prefix("function:")?;
            let (name, qualifier) = name.split_once(':').unwrap_or((name, ""));
            let ok = !region.is_empty()
                && !account.is_empty()
                && !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                && qualifier.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '$');
            ok.then_some(ResourceKind::Lambda)
        }
        "states" if region.is_empty() && account.is_empty() => integration(rest),
        "states" => {
            let name = rest.strip_prefix("activity:")?;
            (!name.is_empty() && !name.contains(':')).then_some(ResourceKind::Activity)
        }
        _ => None,
    }
}

/// `SERVICE:ACTION[.pattern]` or `aws-sdk:SERVICE:ACTION[.waitForTaskToken]`.
fn integration(rest: &str) -> Option<ResourceKind> {
    let (base, pattern) = split_pattern(rest);
    if let Some(sdk) = base.strip_prefix("aws-sdk:") {
        let (service, action) = sdk.split_once(':')?;
        let ident = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        return (ident(service) && ident(action) && matches!(pattern, "" | ".waitForTaskToken"))
            .then_some(ResourceKind::Integration(pattern));
    }
    let (service, action) = base.split_once(':')?;
    let &(_, _, allowed) = OPTIMIZED.iter().find(|(s, a, _)| *s == service && *a == action)?;
    let ok = match pattern {
        "" => true,
        ".sync" => allowed.sync,
        ".sync:2" => allowed.sync2,
        ".waitForTaskToken" => allowed.token,
        _ => false,
    };
    ok.then_some(ResourceKind::Integration(pattern))
}

fn split_pattern(rest: &str) -> (&str, &'static str) {
    for pattern in [".sync:2", ".sync", ".waitForTaskToken"] {
        if let Some(base) = rest.strip_suffix(pattern) {
            return (base, pattern);
        }
    }
    (rest, "")
}

impl Checker<'_> {
    /// A Task's `Resource`.
    pub(crate) fn resource(&mut self, v: &Value, loc: &Loc) {
        let Some(arn) = v.as_str() else {
            self.wrong_type(loc, "STRING");
            return;
        };
        match classify(arn) {
            None => self.error(
                SCHEMA,
                loc,
                format!(
                    "The resource provided {arn} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."
                ),
            ),
            Some(ResourceKind::Activity) if self.express() => {
                self.error(SCHEMA, loc, "Express state machine does not support Activity ARN")
            }
            Some(ResourceKind::Integration(".sync" | ".sync:2")) if self.express() => {
                self.error(SCHEMA, loc, "Express state machine does not support '.sync' service integration")
            }
            Some(ResourceKind::Integration(".waitForTaskToken")) if self.express() => {
                // AWS's message ends with a space.
                self.error(SCHEMA, loc, "Express state machine does not support '.waitForTaskToken' service integration ")
            }
            Some(_) => {}
        }
    }
}
