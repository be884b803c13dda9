//! Task `Resource` ARNs: which forms AWS recognizes (Lambda functions, activities,
//! optimized service integrations with their patterns, AWS SDK integrations), and which
//! of them an Express machine may not use.
//!
//! Evidence. AWS refuses an integration it does not know: the recorded case
//! `test_dynamodb_task_service.TestTaskServiceDynamoDB.test_invalid_integration` refuses
//! `arn:aws:states:::dynamodb:query` with the "is not recognized" message below; the
//! integrations AWS knows are listed on https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html
//! and its per-service pages. Express machines refuse activities, `.sync` and
//! `.waitForTaskToken` (recorded cases `test_sfn_api_express.TestSfnApiExpress.test_illegal_*`
//! and `test_sfn_api_validation...type_express...`). What has no such evidence is a warning:
//! a pattern the documentation does not list for an integration (its tables are per
//! service, ours per action), a partition we do not know, a Lambda function or activity
//! ARN of an unusual shape. The region and account of an integration ARN are optional
//! (see `ArnParts::integration`).

use super::{Checker, Loc, SCHEMA, UNKNOWN_PARTITION, UNLISTED_INTEGRATION_PATTERN, UNUSUAL_RESOURCE_ARN};
use crate::definition::resource::ArnParts;
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
    ("emr-containers", "createVirtualCluster", RR),
    ("emr-containers", "deleteVirtualCluster", SYNC),
    ("emr-containers", "startJobRun", SYNC),
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

/// A Task resource as the validator sees it: its kind when AWS recognizes it, and what
/// deserves a warning.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Classified {
    pub(crate) kind: ResourceKind,
    pub(crate) warnings: Vec<(&'static str, String)>,
}

/// Classifies a Task resource ARN, `None` when AWS would not recognize it.
pub(crate) fn classify(arn: &str) -> Option<Classified> {
    let parts = ArnParts::split(arn)?;
    let mut warnings = Vec::new();
    if !PARTITIONS.contains(&parts.partition) {
        warnings.push((
            UNKNOWN_PARTITION,
            format!(
                "'{}' is not one of AWS's partitions ({}); AWS runs a task only in its resource's partition",
                parts.partition,
                PARTITIONS.join(", ")
            ),
        ));
    }
    let ident = |s: &str| s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let kind = match parts.service {
        "lambda" => {
            let name = parts.rest.strip_prefix("function:").filter(|n| !n.is_empty())?;
            let (name, qualifier) = name.split_once(':').unwrap_or((name, ""));
            if parts.region.is_empty()
                || parts.account.is_empty()
                || !ident(name)
                || !(ident(qualifier) || qualifier == "$LATEST")
            {
                warnings.push((
                    UNUSUAL_RESOURCE_ARN,
                    "A Lambda function ARN reads arn:aws:lambda:REGION:ACCOUNT:function:NAME[:VERSION or ALIAS], the name made of letters, digits, '-' and '_'".to_string(),
                ));
            }
            ResourceKind::Lambda
        }
        "states" => match parts.rest.strip_prefix("activity:") {
            Some(name) if !name.is_empty() => {
                if parts.region.is_empty() || parts.account.is_empty() || name.contains(':') {
                    warnings.push((
                        UNUSUAL_RESOURCE_ARN,
                        "An activity ARN reads arn:aws:states:REGION:ACCOUNT:activity:NAME".to_string(),
                    ));
                }
                ResourceKind::Activity
            }
            Some(_) => return None,
            None => integration(parts.rest, &mut warnings)?,
        },
        _ => return None,
    };
    Some(Classified { kind, warnings })
}

/// `SERVICE:ACTION[.pattern]` or `aws-sdk:SERVICE:ACTION[.pattern]`: known integrations are
/// recognized; a pattern the documentation does not list for them is a warning.
fn integration(rest: &str, warnings: &mut Vec<(&'static str, String)>) -> Option<ResourceKind> {
    let (base, pattern) = split_pattern(rest);
    let unlisted = |warnings: &mut Vec<(&'static str, String)>| {
        warnings.push((
            UNLISTED_INTEGRATION_PATTERN,
            format!(
                "AWS's documentation does not list the {pattern} pattern for {base}; AWS may refuse it, and here it runs as the pattern says"
            ),
        ))
    };
    if let Some(sdk) = base.strip_prefix("aws-sdk:") {
        let (service, action) = sdk.split_once(':')?;
        let ident = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !(ident(service) && ident(action)) {
            return None;
        }
        // AWS SDK integrations: request-response and .waitForTaskToken, no .sync
        // (https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html).
        if !matches!(pattern, "" | ".waitForTaskToken") {
            unlisted(warnings);
        }
        return Some(ResourceKind::Integration(pattern));
    }
    let (service, action) = base.split_once(':')?;
    let &(_, _, allowed) = OPTIMIZED.iter().find(|(s, a, _)| *s == service && *a == action)?;
    let listed = match pattern {
        "" => true,
        ".sync" => allowed.sync,
        ".sync:2" => allowed.sync2,
        _ => allowed.token,
    };
    if !listed {
        unlisted(warnings);
    }
    Some(ResourceKind::Integration(pattern))
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
        let Some(classified) = classify(arn) else {
            self.error(
                SCHEMA,
                loc,
                format!(
                    "The resource provided {arn} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."
                ),
            );
            return;
        };
        for (code, message) in classified.warnings {
            self.warning(code, loc, message);
        }
        match classified.kind {
            ResourceKind::Activity if self.express() => {
                self.error(SCHEMA, loc, "Express state machine does not support Activity ARN")
            }
            ResourceKind::Integration(".sync" | ".sync:2") if self.express() => {
                self.error(SCHEMA, loc, "Express state machine does not support '.sync' service integration")
            }
            ResourceKind::Integration(".waitForTaskToken") if self.express() => {
                // AWS's message ends with a space.
                self.error(
                    SCHEMA,
                    loc,
                    "Express state machine does not support '.waitForTaskToken' service integration ",
                )
            }
            _ => {}
        }
    }
}
