//! What `Ref` and `Fn::GetAtt` give for the resources of a CloudFormation/SAM template, per
//! resource type, in the format the deployed resource's value has (a Lambda function's `Ref` is
//! its name and its `Arn` an ARN; a queue's `Ref` is its URL; a topic's `Ref` its ARN...), built
//! from the deployment's partition, region and account and the resource's physical name: its
//! name property when the template sets one, else its logical id (CloudFormation would add the
//! stack name and a random suffix, which nothing can predict).
//!
//! The formats follow the "Return values" section of each type's page in the CloudFormation
//! template reference. Ids AWS makes up (an API id, a KMS key id, a subnet id) are derived from
//! the logical id, so the same template always gives the same values.

/// The deployment a value is built for.
pub(super) struct Env<'a> {
    pub partition: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub url_suffix: &'a str,
}

/// One resource type: the property that names it, what `Ref` returns and its attributes, as
/// patterns over `{name}`, `{partition}`, `{region}`, `{account}`, `{suffix}` and `{id}`.
struct Kind {
    types: &'static [&'static str],
    /// The property whose value is the resource's name (`FunctionName`), if it has one.
    name_property: Option<&'static str>,
    reference: &'static str,
    attributes: &'static [(&'static str, &'static str)],
}

const LAMBDA_ARN: &str = "arn:{partition}:lambda:{region}:{account}:function:{name}";
const QUEUE_URL: &str = "https://sqs.{region}.{suffix}/{account}/{name}";
const TOPIC_ARN: &str = "arn:{partition}:sns:{region}:{account}:{name}";
const TABLE_ARN: &str = "arn:{partition}:dynamodb:{region}:{account}:table/{name}";
const STATE_MACHINE_ARN: &str = "arn:{partition}:states:{region}:{account}:stateMachine:{name}";
const REST_API_ID: &str = "{id}";

const KINDS: &[Kind] = &[
    Kind {
        types: &["AWS::Lambda::Function", "AWS::Serverless::Function"],
        name_property: Some("FunctionName"),
        reference: "{name}",
        attributes: &[("Arn", LAMBDA_ARN)],
    },
    Kind {
        types: &["AWS::Lambda::Alias"],
        name_property: Some("Name"),
        reference: "arn:{partition}:lambda:{region}:{account}:function:{name}",
        attributes: &[],
    },
    Kind {
        types: &["AWS::Lambda::Version"],
        name_property: None,
        reference: "arn:{partition}:lambda:{region}:{account}:function:{name}:1",
        attributes: &[("Version", "1")],
    },
    Kind {
        types: &["AWS::SQS::Queue"],
        name_property: Some("QueueName"),
        reference: QUEUE_URL,
        attributes: &[
            ("Arn", "arn:{partition}:sqs:{region}:{account}:{name}"),
            ("QueueName", "{name}"),
            ("QueueUrl", QUEUE_URL),
        ],
    },
    Kind {
        types: &["AWS::SNS::Topic"],
        name_property: Some("TopicName"),
        reference: TOPIC_ARN,
        attributes: &[("TopicArn", TOPIC_ARN), ("TopicName", "{name}")],
    },
    Kind {
        types: &["AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable", "AWS::DynamoDB::GlobalTable"],
        name_property: Some("TableName"),
        reference: "{name}",
        attributes: &[
            ("Arn", TABLE_ARN),
            ("StreamArn", "arn:{partition}:dynamodb:{region}:{account}:table/{name}/stream/2025-01-01T00:00:00.000"),
        ],
    },
    Kind {
        types: &["AWS::StepFunctions::Activity"],
        name_property: Some("Name"),
        reference: "arn:{partition}:states:{region}:{account}:activity:{name}",
        attributes: &[("Arn", "arn:{partition}:states:{region}:{account}:activity:{name}"), ("Name", "{name}")],
    },
    Kind {
        types: &["AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine"],
        name_property: Some("StateMachineName"),
        reference: STATE_MACHINE_ARN,
        attributes: &[("Arn", STATE_MACHINE_ARN), ("Name", "{name}")],
    },
    Kind {
        types: &["AWS::S3::Bucket"],
        name_property: Some("BucketName"),
        reference: "{name}",
        attributes: &[
            ("Arn", "arn:{partition}:s3:::{name}"),
            ("DomainName", "{name}.s3.{suffix}"),
            ("RegionalDomainName", "{name}.s3.{region}.{suffix}"),
            ("DualStackDomainName", "{name}.s3.dualstack.{region}.{suffix}"),
            ("WebsiteURL", "http://{name}.s3-website-{region}.{suffix}"),
        ],
    },
    Kind {
        types: &["AWS::Events::EventBus"],
        name_property: Some("Name"),
        reference: "{name}",
        attributes: &[("Arn", "arn:{partition}:events:{region}:{account}:event-bus/{name}"), ("Name", "{name}")],
    },
    Kind {
        types: &["AWS::Events::Rule"],
        name_property: Some("Name"),
        reference: "{name}",
        attributes: &[("Arn", "arn:{partition}:events:{region}:{account}:rule/{name}")],
    },
    Kind {
        types: &["AWS::Events::Connection"],
        name_property: Some("Name"),
        reference: "{name}",
        attributes: &[("Arn", "arn:{partition}:events:{region}:{account}:connection/{name}/{uuid}")],
    },
    Kind {
        types: &["AWS::Events::ApiDestination"],
        name_property: Some("Name"),
        reference: "{name}",
        attributes: &[("Arn", "arn:{partition}:events:{region}:{account}:api-destination/{name}/{uuid}")],
    },
    Kind {
        types: &["AWS::ECS::Cluster"],
        name_property: Some("ClusterName"),
        reference: "{name}",
        attributes: &[("Arn", "arn:{partition}:ecs:{region}:{account}:cluster/{name}")],
    },
    Kind {
        types: &["AWS::ECS::TaskDefinition"],
        name_property: Some("Family"),
        reference: "arn:{partition}:ecs:{region}:{account}:task-definition/{name}:1",
        attributes: &[("TaskDefinitionArn", "arn:{partition}:ecs:{region}:{account}:task-definition/{name}:1")],
    },
    Kind { types: &["AWS::Glue::Job"], name_property: Some("Name"), reference: "{name}", attributes: &[] },
    Kind { types: &["AWS::Glue::Crawler"], name_property: Some("Name"), reference: "{name}", attributes: &[] },
    Kind {
        types: &["AWS::Batch::JobQueue"],
        name_property: Some("JobQueueName"),
        reference: "arn:{partition}:batch:{region}:{account}:job-queue/{name}",
        attributes: &[("JobQueueArn", "arn:{partition}:batch:{region}:{account}:job-queue/{name}")],
    },
    Kind {
        types: &["AWS::Batch::JobDefinition"],
        name_property: Some("JobDefinitionName"),
        reference: "arn:{partition}:batch:{region}:{account}:job-definition/{name}:1",
        attributes: &[],
    },
    Kind {
        types: &["AWS::CodeBuild::Project"],
        name_property: Some("Name"),
        reference: "{name}",
        attributes: &[("Arn", "arn:{partition}:codebuild:{region}:{account}:project/{name}")],
    },
    Kind { types: &["AWS::Athena::WorkGroup"], name_property: Some("Name"), reference: "{name}", attributes: &[] },
    Kind {
        types: &["AWS::EKS::Cluster"],
        name_property: Some("Name"),
        reference: "{name}",
        attributes: &[("Arn", "arn:{partition}:eks:{region}:{account}:cluster/{name}")],
    },
    Kind {
        types: &["AWS::Kinesis::Stream"],
        name_property: Some("Name"),
        reference: "{name}",
        attributes: &[("Arn", "arn:{partition}:kinesis:{region}:{account}:stream/{name}")],
    },
    Kind {
        types: &["AWS::KinesisFirehose::DeliveryStream"],
        name_property: Some("DeliveryStreamName"),
        reference: "{name}",
        attributes: &[("Arn", "arn:{partition}:firehose:{region}:{account}:deliverystream/{name}")],
    },
    Kind {
        types: &["AWS::Logs::LogGroup"],
        name_property: Some("LogGroupName"),
        reference: "{name}",
        attributes: &[("Arn", "arn:{partition}:logs:{region}:{account}:log-group:{name}:*")],
    },
    Kind {
        types: &["AWS::IAM::Role"],
        name_property: Some("RoleName"),
        reference: "{name}",
        attributes: &[("Arn", "arn:{partition}:iam::{account}:role/{name}"), ("RoleId", "AROA{ID}")],
    },
    Kind {
        types: &["AWS::SecretsManager::Secret"],
        name_property: Some("Name"),
        reference: "arn:{partition}:secretsmanager:{region}:{account}:secret:{name}-{short}",
        attributes: &[],
    },
    Kind { types: &["AWS::SSM::Parameter"], name_property: Some("Name"), reference: "{name}", attributes: &[] },
    Kind {
        types: &["AWS::KMS::Key"],
        name_property: None,
        reference: "{uuid}",
        attributes: &[("Arn", "arn:{partition}:kms:{region}:{account}:key/{uuid}"), ("KeyId", "{uuid}")],
    },
    Kind {
        types: &["AWS::ApiGateway::RestApi", "AWS::Serverless::Api"],
        name_property: None,
        reference: REST_API_ID,
        attributes: &[("RootResourceId", "{short}{short}")],
    },
    Kind {
        types: &["AWS::ApiGatewayV2::Api", "AWS::Serverless::HttpApi"],
        name_property: None,
        reference: REST_API_ID,
        attributes: &[("ApiEndpoint", "https://{id}.execute-api.{region}.{suffix}"), ("ApiId", "{id}")],
    },
    Kind { types: &["AWS::EC2::VPC"], name_property: None, reference: "vpc-{hex}", attributes: &[] },
    Kind { types: &["AWS::EC2::Subnet"], name_property: None, reference: "subnet-{hex}", attributes: &[] },
    Kind {
        types: &["AWS::EC2::SecurityGroup"],
        name_property: None,
        reference: "sg-{hex}",
        attributes: &[("GroupId", "sg-{hex}")],
    },
    Kind {
        types: &["AWS::SageMaker::Model"],
        name_property: Some("ModelName"),
        reference: "arn:{partition}:sagemaker:{region}:{account}:model/{lower}",
        attributes: &[("ModelName", "{name}")],
    },
];

fn kind_of(resource_type: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.types.contains(&resource_type))
}

/// Whether `Ref` and `Fn::GetAtt` of this resource type are known here.
pub(super) fn is_known(resource_type: &str) -> bool {
    kind_of(resource_type).is_some()
}

/// The property that holds the name of a resource of this type (`FunctionName`); SAM's state
/// machine calls it `Name`.
pub(super) fn name_property(resource_type: &str) -> Option<&'static str> {
    match resource_type {
        "AWS::Serverless::StateMachine" => Some("Name"),
        _ => kind_of(resource_type)?.name_property,
    }
}

/// The name a resource is deployed under when the template does not set one: its logical id
/// (S3 bucket names are lowercase).
pub(super) fn default_name(resource_type: &str, logical_id: &str) -> String {
    match resource_type {
        "AWS::S3::Bucket" => logical_id.to_ascii_lowercase(),
        _ => logical_id.to_string(),
    }
}

/// What `Ref` of a resource returns; `None` when the type is not known here.
pub(super) fn reference(resource_type: &str, logical_id: &str, name: &str, env: &Env) -> Option<String> {
    Some(render(kind_of(resource_type)?.reference, logical_id, name, env))
}

/// What `Fn::GetAtt` of a resource's attribute returns; `None` when the type or the attribute
/// is not known here.
pub(super) fn attribute(resource_type: &str, logical_id: &str, name: &str, attr: &str, env: &Env) -> Option<String> {
    let (_, pattern) = kind_of(resource_type)?.attributes.iter().find(|(a, _)| *a == attr)?;
    Some(render(pattern, logical_id, name, env))
}

/// The attributes known for a resource type, for messages.
pub(super) fn attribute_names(resource_type: &str) -> Vec<&'static str> {
    kind_of(resource_type).map(|k| k.attributes.iter().map(|(a, _)| *a).collect()).unwrap_or_default()
}

/// Fills a pattern. `{id}` is a 10-character lowercase id (API ids), `{short}` 6 letters (a
/// secret's suffix), `{hex}` 17 hex digits (EC2 ids), `{ID}` 17 uppercase characters (IAM ids),
/// `{uuid}` a UUID, `{lower}` the name in lowercase: all derived from the logical id.
fn render(pattern: &str, logical_id: &str, name: &str, env: &Env) -> String {
    let digest = digest_hex(logical_id);
    let letters: String = digest.bytes().map(|b| (b'a' + (b % 26)) as char).take(16).collect::<String>();
    let mut out = String::with_capacity(pattern.len() + name.len() + 40);
    let mut rest = pattern;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let Some(end) = rest[i..].find('}') else { break };
        let token = &rest[i + 1..i + end];
        match token {
            "name" => out.push_str(name),
            "lower" => out.push_str(&name.to_ascii_lowercase()),
            "partition" => out.push_str(env.partition),
            "region" => out.push_str(env.region),
            "account" => out.push_str(env.account),
            "suffix" => out.push_str(env.url_suffix),
            "id" => out.push_str(&digest[..10]),
            "short" => out.push_str(&letters[..6]),
            "hex" => out.push_str(&digest[..17]),
            "ID" => out.push_str(&letters[..16].to_ascii_uppercase()),
            "uuid" => {
                let d = &digest;
                out.push_str(&format!("{}-{}-4{}-a{}-{}", &d[..8], &d[8..12], &d[13..16], &d[17..20], &d[20..32]));
            }
            other => {
                out.push('{');
                out.push_str(other);
                out.push('}');
            }
        }
        rest = &rest[i + end + 1..];
    }
    out.push_str(rest);
    out
}

/// 32 hex digits that depend only on the text (FNV-1a, twice with different offsets): made-up
/// ids that are the same on every run. Not a cryptographic digest (the crate's SHA-256 would
/// bring every `States.Hash` digest into the importer module).
pub(super) fn digest_hex(text: &str) -> String {
    let fnv = |offset: u64| text.bytes().fold(offset, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3));
    format!("{:016x}{:016x}", fnv(0xcbf2_9ce4_8422_2325), fnv(0x6c62_272e_07bb_0142))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENV: Env =
        Env { partition: "aws", region: "eu-west-1", account: "111122223333", url_suffix: "amazonaws.com" };

    #[test]
    fn references_and_attributes_in_each_type_s_format() {
        let r = |t: &str, id: &str| reference(t, id, &default_name(t, id), &ENV).unwrap();
        let a = |t: &str, id: &str, attr: &str| attribute(t, id, &default_name(t, id), attr, &ENV).unwrap();
        assert_eq!(r("AWS::Serverless::Function", "Fn"), "Fn");
        assert_eq!(a("AWS::Lambda::Function", "Fn", "Arn"), "arn:aws:lambda:eu-west-1:111122223333:function:Fn");
        assert_eq!(r("AWS::SQS::Queue", "Q"), "https://sqs.eu-west-1.amazonaws.com/111122223333/Q");
        assert_eq!(a("AWS::SQS::Queue", "Q", "Arn"), "arn:aws:sqs:eu-west-1:111122223333:Q");
        assert_eq!(a("AWS::SQS::Queue", "Q", "QueueName"), "Q");
        assert_eq!(r("AWS::SNS::Topic", "T"), "arn:aws:sns:eu-west-1:111122223333:T");
        assert_eq!(r("AWS::DynamoDB::Table", "Orders"), "Orders");
        assert_eq!(a("AWS::DynamoDB::Table", "Orders", "Arn"), "arn:aws:dynamodb:eu-west-1:111122223333:table/Orders");
        assert_eq!(r("AWS::StepFunctions::Activity", "Act"), "arn:aws:states:eu-west-1:111122223333:activity:Act");
        assert_eq!(r("AWS::S3::Bucket", "DataBucket"), "databucket");
        assert_eq!(a("AWS::S3::Bucket", "DataBucket", "Arn"), "arn:aws:s3:::databucket");
        assert_eq!(r("AWS::ECS::TaskDefinition", "Td"), "arn:aws:ecs:eu-west-1:111122223333:task-definition/Td:1");
        assert_eq!(r("AWS::Batch::JobQueue", "Jq"), "arn:aws:batch:eu-west-1:111122223333:job-queue/Jq");
        assert!(attribute("AWS::SQS::Queue", "Q", "Q", "Nope", &ENV).is_none());
        assert!(reference("AWS::Custom::Thing", "X", "X", &ENV).is_none());
        // Made-up ids are stable and well formed.
        let api = r("AWS::Serverless::Api", "Api");
        assert_eq!((api.len(), api == r("AWS::Serverless::Api", "Api")), (10, true));
        assert!(r("AWS::EC2::Subnet", "Sub").starts_with("subnet-"));
        assert_eq!(r("AWS::KMS::Key", "K").len(), 36);
    }
}
