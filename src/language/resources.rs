//! The `Resource` ARNs completion offers: every optimized integration the validator
//! recognizes, with the `.sync`, `.sync:2` and `.waitForTaskToken` forms AWS allows, the
//! `aws-sdk:` forms of the integrations whose default mocks answer in the service's shape,
//! Lambda function and activity ARNs (in the account and region executions run in), and the
//! S3 calls of a Distributed Map's `ItemReader` and `ResultWriter`.

use super::{Completion, ItemKind};
use crate::definition::validate::resource::OPTIMIZED;
use crate::engine::ExecutionIds;
use crate::services::defaults::{modeled_integrations, SDK_ALIASES};

/// An ARN to offer: the text (a snippet template when it has placeholders) and its detail.
pub(crate) struct Arn {
    pub label: String,
    pub template: Option<String>,
    pub detail: String,
    pub boost: i32,
}

fn pattern_detail(pattern: &str) -> &'static str {
    match pattern {
        ".sync" => "runs the job and waits until it ends",
        ".sync:2" => "runs the job and waits; its output as JSON",
        ".waitForTaskToken" => "waits for a callback with the task token",
        _ => "request and response",
    }
}

fn is_modeled(service: &str, action: &str) -> bool {
    modeled_integrations().any(|(s, a)| s == service && a == action)
}

/// ARNs for a Task's `Resource`.
pub(crate) fn task_resources() -> Vec<Arn> {
    let ids = ExecutionIds::default();
    let (region, account) = (ids.region.as_str(), ids.account_id.as_str());
    let mut out = vec![
        Arn {
            label: format!("arn:aws:lambda:{region}:{account}:function:MyFunction"),
            template: Some(format!("arn:aws:lambda:{region}:{account}:function:${{1:MyFunction}}")),
            detail: "Lambda function; the default mock echoes its input".into(),
            boost: 20,
        },
        Arn {
            label: format!("arn:aws:states:{region}:{account}:activity:MyActivity"),
            template: Some(format!("arn:aws:states:{region}:{account}:activity:${{1:MyActivity}}")),
            detail: "activity; the default mock echoes its input".into(),
            boost: 0,
        },
    ];
    for &(service, action, patterns) in OPTIMIZED {
        let modeled = is_modeled(service, action);
        let forms =
            [("", true), (".sync", patterns.sync), (".sync:2", patterns.sync2), (".waitForTaskToken", patterns.token)];
        for (pattern, allowed) in forms {
            if !allowed {
                continue;
            }
            let mock = if modeled { "mocked in the service's shape" } else { "the default mock echoes" };
            out.push(Arn {
                label: format!("arn:aws:states:::{service}:{action}{pattern}"),
                template: None,
                detail: format!("{service} {action}: {}; {mock}", pattern_detail(pattern)),
                boost: if modeled { 10 } else { -10 },
            });
        }
    }
    for (service, action) in modeled_integrations() {
        if matches!(service, "http" | "apigateway") {
            continue; // no SDK action behind these
        }
        let sdk = SDK_ALIASES.iter().find(|(_, s)| *s == service).map_or(service, |(a, _)| a);
        out.push(Arn {
            label: format!("arn:aws:states:::aws-sdk:{sdk}:{action}"),
            template: None,
            detail: format!("AWS SDK {sdk} {action}; mocked in the service's shape"),
            boost: 0,
        });
    }
    out.push(Arn {
        label: "arn:aws:states:::aws-sdk:service:action".into(),
        template: Some("arn:aws:states:::aws-sdk:${1:service}:${2:action}".into()),
        detail: "any AWS SDK action; the default mock echoes its parameters".into(),
        boost: -20,
    });
    out
}

/// ARNs for an `ItemReader`'s `Resource`.
pub(crate) fn reader_resources() -> Vec<Arn> {
    vec![
        Arn {
            label: "arn:aws:states:::s3:getObject".into(),
            template: None,
            detail: "reads one object: JSON, JSON Lines, CSV or a manifest".into(),
            boost: 10,
        },
        Arn {
            label: "arn:aws:states:::s3:listObjectsV2".into(),
            template: None,
            detail: "lists the objects under a prefix".into(),
            boost: 0,
        },
    ]
}

/// ARNs for a `ResultWriter`'s `Resource`.
pub(crate) fn writer_resources() -> Vec<Arn> {
    vec![Arn {
        label: "arn:aws:states:::s3:putObject".into(),
        template: None,
        detail: "writes the results to S3".into(),
        boost: 0,
    }]
}

impl Arn {
    /// The completion option, given how the value is inserted (see `complete::ValueEdit`).
    pub fn completion(&self, insert: impl Fn(&str) -> String, snippet_insert: impl Fn(&str) -> String) -> Completion {
        let c = Completion::new(self.label.clone(), self.detail.clone(), ItemKind::Constant).boost(self.boost);
        match &self.template {
            Some(t) => c.snippet(snippet_insert(t)),
            None => c.apply(insert(&self.label)),
        }
    }
}
