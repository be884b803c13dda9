//! State machine definitions inside CloudFormation and SAM templates, and the one entry point
//! for "here is some text that holds a state machine": a definition in JSON or YAML, or a
//! template in JSON or YAML.
//!
//! What CloudFormation resolves at deploy time cannot be known here. `DefinitionSubstitutions`
//! with literal values are applied; the pseudo parameters `AWS::Region`, `AWS::AccountId`,
//! `AWS::Partition` and `AWS::URLSuffix` take the playground's defaults (and a note says so);
//! every other intrinsic function stays as readable text: `${MyFunction.Arn}` in a string,
//! `{"Ref": "MyTable"}` → `"${Ref:MyTable}"`, `{"Fn::GetAtt": ["F", "Arn"]}` → `"${F.Arn}"`.

use super::{parse_yaml_with_source_map, ImportError};
use crate::engine::ExecutionIds;
use crate::json;
use crate::value::{Map, Value};

/// How deep the walk over a definition goes; deeper values are kept as they are.
const MAX_WALK_DEPTH: usize = 512;

/// A state machine found in a template.
#[derive(Clone, Debug, PartialEq)]
pub struct FoundDefinition {
    /// The resource's logical id in the template; empty for a bare definition.
    pub logical_id: String,
    /// The definition, or `Null` when it is not in the template (`DefinitionUri`,
    /// `DefinitionS3Location`) or could not be read (the notes say why).
    pub definition: Value,
    /// What the reader did or could not do: substitutions, placeholders left, problems.
    pub notes: Vec<String>,
    /// The JSON pointer, in the text's document, of the value the definition was read from:
    /// `""` for a bare definition, `/Resources/Flow/Properties/Definition` (an object, so the
    /// definition's own pointers continue it) or `.../DefinitionString` (text). Empty when
    /// the definition is not in the template.
    pub origin: String,
}

impl FoundDefinition {
    /// `{"logicalId", "definition", "notes", "origin"}`.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("logicalId", Value::from(self.logical_id.as_str()));
        m.insert("definition", self.definition.clone());
        m.insert("notes", Value::from(self.notes.iter().map(|n| Value::from(n.as_str())).collect::<Vec<_>>()));
        m.insert("origin", Value::from(self.origin.as_str()));
        Value::from(m)
    }
}

/// Finds every `AWS::StepFunctions::StateMachine` and `AWS::Serverless::StateMachine`
/// resource of a template, in template order.
///
/// ```
/// let t = aslplay::import::parse_yaml(r#"
/// Resources:
///   Flow:
///     Type: AWS::Serverless::StateMachine
///     Properties:
///       DefinitionSubstitutions: {Fn: !GetAtt Work.Arn}
///       Definition:
///         StartAt: A
///         States: {A: {Type: Task, Resource: "${Fn}", End: true}}
/// "#).unwrap();
/// let found = aslplay::import::definitions_from_template(&t);
/// assert_eq!(found[0].logical_id, "Flow");
/// assert_eq!(found[0].definition.get("States").unwrap().get("A").unwrap().get("Resource").unwrap().as_str(), Some("${Work.Arn}"));
/// ```
pub fn definitions_from_template(template: &Value) -> Vec<FoundDefinition> {
    let Some(resources) = template.get("Resources").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (logical_id, resource) in resources.iter() {
        let kind = resource.get("Type").and_then(Value::as_str).unwrap_or_default();
        let serverless = match kind {
            "AWS::StepFunctions::StateMachine" => false,
            "AWS::Serverless::StateMachine" => true,
            _ => continue,
        };
        let empty = Value::object();
        let properties = resource.get("Properties").unwrap_or(&empty);
        let mut reader = Reader { substitutions: Vec::new(), notes: Vec::new(), pseudo_used: Vec::new() };
        reader.read_substitutions(properties.get("DefinitionSubstitutions"));
        let base = format!("/Resources/{}/Properties", json::pointer_token(logical_id));
        let origin = match (properties.get("Definition"), properties.get("DefinitionString")) {
            (Some(_), _) => format!("{base}/Definition"),
            (None, Some(_)) if !serverless => format!("{base}/DefinitionString"),
            _ => String::new(),
        };
        let definition = match (properties.get("Definition"), properties.get("DefinitionString")) {
            (Some(d @ Value::Object(_)), _) => reader.walk(d, 0),
            (Some(Value::String(s)), _) if serverless => {
                let text = reader.substitute(s, &[], false);
                reader.parse_definition_text(&text, "Definition")
            }
            (Some(other), _) => {
                reader.notes.push(format!("Definition is {} where an object was expected", other.type_name()));
                Value::Null
            }
            (None, Some(s)) if !serverless => {
                let text = reader.render(s, &[]);
                reader.parse_definition_text(&text, "DefinitionString")
            }
            _ => {
                let location =
                    ["DefinitionUri", "DefinitionS3Location"].into_iter().find(|k| properties.get(k).is_some());
                reader.notes.push(match location {
                    Some(k) => format!(
                        "The definition is not in the template ({k}: {}): load it separately",
                        short(properties.get(k))
                    ),
                    None => "The resource has no definition".to_string(),
                });
                Value::Null
            }
        };
        let mut notes = reader.notes;
        if !reader.pseudo_used.is_empty() {
            let ids = ExecutionIds::default();
            let shown: Vec<String> = reader
                .pseudo_used
                .iter()
                .map(|p| format!("{p} = {}", pseudo_value(p, &ids).unwrap_or_default()))
                .collect();
            notes.push(format!("Pseudo parameters took the playground's values: {}", shown.join(", ")));
        }
        let mut left = Vec::new();
        collect_placeholders(&definition, &mut left, 0);
        if !left.is_empty() {
            notes.push(format!("Left as text (CloudFormation resolves these at deploy time): {}", left.join(", ")));
        }
        found.push(FoundDefinition { logical_id: logical_id.to_string(), definition, notes, origin });
    }
    found
}

/// Every state machine in a text: a definition (JSON or YAML) gives one with an empty
/// logical id; a CloudFormation/SAM template (JSON or YAML, recognized by `Resources`)
/// gives one per state machine resource, including those whose definition is elsewhere
/// (`definition` is `Null` and a note says where).
pub fn definitions_from_text(text: &str) -> Result<Vec<FoundDefinition>, ImportError> {
    let value = parse_document(text)?;
    if value.get("Resources").is_some_and(Value::is_object) {
        let found = definitions_from_template(&value);
        if found.is_empty() {
            return Err(ImportError::at(
                "/Resources",
                "The template has no AWS::StepFunctions::StateMachine or AWS::Serverless::StateMachine resource",
            ));
        }
        return Ok(found);
    }
    if value.get("States").is_some() || value.get("StartAt").is_some() {
        return Ok(vec![FoundDefinition {
            logical_id: String::new(),
            definition: value,
            notes: Vec::new(),
            origin: String::new(),
        }]);
    }
    Err(ImportError::at(
        "",
        "This is neither a state machine definition (no StartAt or States) nor a CloudFormation template (no Resources)",
    ))
}

/// The state machine definition in a text: a definition in JSON or YAML, or the one state
/// machine of a CloudFormation/SAM template. A template with several inline definitions is
/// an error that lists their logical ids (no silent choice: use [`definitions_from_text`]
/// to pick one), as is a template whose only state machine is defined elsewhere.
///
/// ```
/// let d = aslplay::import::definition_from_text("StartAt: A\nStates:\n  A: {Type: Succeed}\n").unwrap();
/// assert_eq!(d.get("StartAt").and_then(|s| s.as_str()), Some("A"));
/// ```
pub fn definition_from_text(text: &str) -> Result<Value, ImportError> {
    let found = definitions_from_text(text)?;
    let inline: Vec<&FoundDefinition> = found.iter().filter(|f| !f.definition.is_null()).collect();
    match inline.as_slice() {
        [one] => Ok(one.definition.clone()),
        [] => {
            let why: Vec<String> = found.iter().map(|f| format!("{}: {}", f.logical_id, f.notes.join("; "))).collect();
            Err(ImportError::at(
                "/Resources",
                format!("The template has no inline state machine definition ({})", why.join(" | ")),
            ))
        }
        several => {
            let names: Vec<&str> = several.iter().map(|f| f.logical_id.as_str()).collect();
            Err(ImportError::at(
                "/Resources",
                format!("The template defines {} state machines ({}): choose one", names.len(), names.join(", ")),
            ))
        }
    }
}

/// Whether the text reads as a YAML mapping: some line (outside comments) holds a `key:`
/// followed by a space or the line's end, possibly after a `- `. That is the form a state
/// machine or a template takes in YAML; text that is neither this nor JSON is, for AWS, a
/// definition that is not JSON (`INVALID_JSON_DESCRIPTION`).
///
/// ```
/// use aslplay::import::looks_like_yaml;
/// assert!(looks_like_yaml("# a machine\nStartAt: A\nStates: {}"));
/// assert!(looks_like_yaml("- \"quoted: key\": 1"));
/// assert!(looks_like_yaml("States:\n  A: {Type: [Succeed"));
/// assert!(!looks_like_yaml("hello world"));
/// assert!(!looks_like_yaml("see http://example.com # a: b"));
/// ```
pub fn looks_like_yaml(text: &str) -> bool {
    text.lines().any(|line| {
        let l = line.trim_start();
        let l = l.strip_prefix("- ").map_or(l, str::trim_start);
        if l.is_empty() || l.starts_with('#') {
            return false;
        }
        let rest = match l.chars().next() {
            Some(q @ ('"' | '\'')) => l[1..].find(q).map(|i| &l[i + 2..]),
            _ => l.find(':').filter(|&i| i > 0 && !l[..i].contains(['#', '{', '[', ','])).map(|i| &l[i..]),
        };
        rest.and_then(|r| r.strip_prefix(':')).is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
    })
}

/// Text that starts like JSON is read as JSON (a broken JSON document gets JSON's error, not
/// a lenient YAML reading); anything else as YAML.
fn parse_document(text: &str) -> Result<Value, ImportError> {
    parse_document_with_source_map(text).map(|(value, _)| value)
}

/// [`parse_document`], with where each of the document's values starts.
fn parse_document_with_source_map(text: &str) -> Result<(Value, json::SourceMap), ImportError> {
    if text.trim_start().starts_with(['{', '[']) {
        return json::parse_with_source_map(text).map_err(|e| ImportError {
            pointer: String::new(),
            message: e.message,
            line: Some(e.line),
            column: Some(e.column),
        });
    }
    parse_yaml_with_source_map(text)
}

/// Where JSON pointers into a text's document (JSON or YAML: a definition, or a template, whose
/// definitions' pointers continue their [`FoundDefinition::origin`]) stand in the text: the
/// 1-based line and column of the member's key, or of the nearest enclosing value that exists.
/// `None` for every pointer when the text cannot be read.
///
/// ```
/// let text = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Nxt: B\n";
/// assert_eq!(aslplay::import::locate_in_text(text, &["/States/A/Nxt", "/States/A/Next"]), [Some((5, 5)), Some((3, 3))]);
/// ```
pub fn locate_in_text(text: &str, pointers: &[&str]) -> Vec<Option<(usize, usize)>> {
    match parse_document_with_source_map(text) {
        Ok((_, map)) => pointers.iter().map(|p| map.locate(p)).collect(),
        Err(_) => vec![None; pointers.len()],
    }
}

fn short(v: Option<&Value>) -> String {
    let s = v.map(json::to_string).unwrap_or_default();
    match s.char_indices().nth(120) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s,
    }
}

fn pseudo_value(name: &str, ids: &ExecutionIds) -> Option<String> {
    Some(match name {
        "AWS::Region" => ids.region.clone(),
        "AWS::AccountId" => ids.account_id.clone(),
        "AWS::Partition" => ids.partition.clone(),
        "AWS::URLSuffix" => "amazonaws.com".to_string(),
        _ => return None,
    })
}

/// Is this object an intrinsic function call (`{"Ref": ...}`, `{"Fn::...": ...}`)?
fn intrinsic(v: &Value) -> Option<(&str, &Value)> {
    let m = v.as_object()?;
    if m.len() != 1 {
        return None;
    }
    let (k, arg) = m.iter().next()?;
    (&**k == "Ref" || k.starts_with("Fn::")).then_some((&**k, arg))
}

struct Reader {
    /// DefinitionSubstitutions, rendered as text.
    substitutions: Vec<(String, String)>,
    notes: Vec<String>,
    pseudo_used: Vec<String>,
}

impl Reader {
    fn read_substitutions(&mut self, subs: Option<&Value>) {
        let Some(subs) = subs else { return };
        let Some(map) = subs.as_object() else {
            self.notes.push("DefinitionSubstitutions is not an object: ignored".to_string());
            return;
        };
        for (name, v) in map.iter() {
            let text = self.render(v, &[]);
            self.substitutions.push((name.to_string(), text));
        }
    }

    /// A template value as text: strings as they are, intrinsic functions as placeholders.
    fn render(&mut self, v: &Value, vars: &[(String, String)]) -> String {
        match v {
            Value::String(s) => self.substitute(s, vars, false),
            Value::Object(_) => match intrinsic(v) {
                Some((name, arg)) => self.placeholder(name, arg, 0),
                None => json::to_string(v),
            },
            Value::Null => String::new(),
            other => other.to_string(),
        }
    }

    /// The readable stand-in for an intrinsic function call.
    fn placeholder(&mut self, name: &str, arg: &Value, depth: usize) -> String {
        if depth > 32 {
            return format!("${{{name}}}");
        }
        let ids = ExecutionIds::default();
        let part = |r: &mut Reader, v: &Value| match intrinsic(v) {
            Some((n, a)) => r.placeholder(n, a, depth + 1),
            None => match v {
                Value::String(s) => s.to_string(),
                other => json::to_string(other),
            },
        };
        match (name, arg) {
            ("Ref", Value::String(target)) => match pseudo_value(target, &ids) {
                Some(value) => {
                    self.note_pseudo(target);
                    value
                }
                None => format!("${{Ref:{target}}}"),
            },
            ("Fn::GetAtt", Value::String(path)) => format!("${{{path}}}"),
            ("Fn::GetAtt", Value::Array(parts)) => {
                let parts: Vec<String> = parts.iter().map(|p| part(self, p)).collect();
                format!("${{{}}}", parts.join("."))
            }
            ("Fn::Sub", Value::String(s)) => self.substitute(s, &[], true),
            ("Fn::Sub", Value::Array(a)) if !a.is_empty() => {
                let mut vars = Vec::new();
                if let Some(map) = a.get(1).and_then(Value::as_object) {
                    for (k, v) in map.iter() {
                        let text = part(self, v);
                        vars.push((k.to_string(), text));
                    }
                }
                match &a[0] {
                    Value::String(s) => self.substitute(s, &vars, true),
                    other => part(self, other),
                }
            }
            ("Fn::Join", Value::Array(a)) if a.len() == 2 => match (a[0].as_str(), &a[1]) {
                (Some(sep), Value::Array(items)) => {
                    let items: Vec<String> = items.iter().map(|i| part(self, i)).collect();
                    items.join(sep)
                }
                _ => format!("${{{name}:{}}}", json::to_string(arg)),
            },
            ("Fn::ImportValue", v) => format!("${{ImportValue:{}}}", part(self, v)),
            ("Fn::FindInMap", Value::Array(a)) => {
                let parts: Vec<String> = a.iter().map(|p| part(self, p)).collect();
                format!("${{FindInMap:{}}}", parts.join("."))
            }
            _ => format!("${{{name}:{}}}", json::to_string(arg)),
        }
    }

    fn note_pseudo(&mut self, name: &str) {
        if !self.pseudo_used.iter().any(|p| p == name) {
            self.pseudo_used.push(name.to_string());
        }
    }

    /// Replaces `${Name}` by a `Fn::Sub` variable, a definition substitution or a pseudo
    /// parameter; leaves other placeholders as they are. In `Fn::Sub` text, `${!Literal}`
    /// stands for `${Literal}`.
    fn substitute(&mut self, s: &str, vars: &[(String, String)], sub_syntax: bool) -> String {
        let ids = ExecutionIds::default();
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(i) = rest.find("${") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[i..]);
                return out;
            };
            let name = &after[..end];
            let lookup = vars.iter().chain(self.substitutions.iter()).find(|(k, _)| k == name).map(|(_, v)| v.clone());
            match (lookup, name.strip_prefix('!')) {
                (_, Some(literal)) if sub_syntax => {
                    out.push_str("${");
                    out.push_str(literal);
                    out.push('}');
                }
                (Some(v), _) => out.push_str(&v),
                (None, _) => match pseudo_value(name, &ids) {
                    Some(v) => {
                        self.note_pseudo(name);
                        out.push_str(&v);
                    }
                    None => {
                        out.push_str("${");
                        out.push_str(name);
                        out.push('}');
                    }
                },
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        out
    }

    /// A definition given as an object: substitutions in every string, intrinsic
    /// functions as placeholder strings.
    fn walk(&mut self, v: &Value, depth: usize) -> Value {
        if depth > MAX_WALK_DEPTH {
            return v.clone();
        }
        match v {
            Value::String(s) if s.contains("${") => Value::from(self.substitute(s, &[], false)),
            Value::Array(items) => Value::from(items.iter().map(|i| self.walk(i, depth + 1)).collect::<Vec<_>>()),
            Value::Object(m) => match intrinsic(v) {
                Some((name, arg)) => Value::from(self.placeholder(name, arg, 0)),
                None => {
                    let mut out = Map::with_capacity(m.len());
                    for (k, val) in m.iter() {
                        let key = if k.contains("${") { self.substitute(k, &[], false) } else { k.to_string() };
                        let val = self.walk(val, depth + 1);
                        out.insert(key, val);
                    }
                    Value::from(out)
                }
            },
            other => other.clone(),
        }
    }

    /// A definition given as text, after substitution.
    fn parse_definition_text(&mut self, text: &str, field: &str) -> Value {
        match parse_document(text) {
            Ok(v @ Value::Object(_)) => v,
            Ok(other) => {
                self.notes.push(format!("{field} holds {} where a definition object was expected", other.type_name()));
                Value::Null
            }
            Err(e) => {
                self.notes.push(format!("{field} is not valid JSON or YAML after substitution: {e}"));
                Value::Null
            }
        }
    }
}

/// The `${...}` placeholders left in the definition's strings (at most 20 listed).
fn collect_placeholders(v: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > MAX_WALK_DEPTH || out.len() >= 20 {
        return;
    }
    match v {
        Value::String(s) => {
            let mut rest = &**s;
            while let Some(i) = rest.find("${") {
                let Some(end) = rest[i..].find('}') else { break };
                let token = &rest[i..i + end + 1];
                if out.len() < 20 && !out.iter().any(|t| t == token) {
                    out.push(token.to_string());
                }
                rest = &rest[i + end + 1..];
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_placeholders(i, out, depth + 1)),
        Value::Object(m) => m.values().for_each(|i| collect_placeholders(i, out, depth + 1)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<FoundDefinition> {
        definitions_from_text(text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn resource_of(def: &Value, state: &str) -> String {
        def.get("States")
            .and_then(|s| s.get(state))
            .and_then(|s| s.get("Resource"))
            .map(|r| r.to_string())
            .unwrap_or_default()
    }

    const SAM: &str = r#"
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
  OrderFlow:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionSubstitutions:
        WorkerArn: !GetAtt Worker.Arn
        TableName: !Ref Orders
        Retries: 3
      Definition:
        StartAt: Work
        States:
          Work:
            Type: Task
            Resource: ${WorkerArn}
            Retry: [{ErrorEquals: [States.ALL], MaxAttempts: 2}]
            Next: Save
          Save:
            Type: Task
            Resource: arn:aws:states:::dynamodb:putItem
            Parameters:
              TableName: ${TableName}
              Item: {n: {N: "${Retries}"}}
              Region: !Sub "${AWS::Region}-${Stage}"
              Key: !Ref KeyParam
            End: true
  External:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: statemachine/flow.asl.json
"#;

    #[test]
    fn sam_definition_with_substitutions_and_placeholders() {
        let all = found(SAM);
        assert_eq!(all.len(), 2);
        let flow = &all[0];
        assert_eq!(flow.logical_id, "OrderFlow");
        assert_eq!(resource_of(&flow.definition, "Work"), r#""${Worker.Arn}""#);
        let params = flow.definition.get("States").unwrap().get("Save").unwrap().get("Parameters").unwrap();
        assert_eq!(
            params.to_string(),
            r#"{"TableName":"${Ref:Orders}","Item":{"n":{"N":"3"}},"Region":"us-east-1-${Stage}","Key":"${Ref:KeyParam}"}"#
        );
        assert!(flow.notes.iter().any(|n| n.contains("AWS::Region = us-east-1")), "{:?}", flow.notes);
        assert!(flow.notes.iter().any(|n| n.contains("${Worker.Arn}") && n.contains("${Stage}")), "{:?}", flow.notes);
        let external = &all[1];
        assert!(external.definition.is_null());
        assert!(external.notes[0].contains("DefinitionUri: \"statemachine/flow.asl.json\""), "{:?}", external.notes);
        // Only one inline definition: that is the one.
        assert_eq!(definition_from_text(SAM).unwrap(), flow.definition);
    }

    #[test]
    fn definition_string_forms() {
        let template = r#"{"Resources": {
          "Plain": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
            "DefinitionString": "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Wait\", \"Seconds\": ${Delay}, \"End\": true}}}",
            "DefinitionSubstitutions": {"Delay": 5}}},
          "Subbed": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
            "DefinitionString": {"Fn::Sub": ["{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\", \"Resource\": \"${Fn}\", \"Comment\": \"${!Literal} in ${AWS::AccountId}\", \"End\": true}}}", {"Fn": {"Fn::GetAtt": ["Work", "Arn"]}}]}}},
          "Joined": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
            "DefinitionString": {"Fn::Join": ["", ["{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\", \"Resource\": \"", {"Ref": "Fn"}, "\", \"End\": true}}}"]]}}},
          "Broken": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": "{\"StartAt\": ${Nope}}"}},
          "InS3": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionS3Location": {"Bucket": "b", "Key": "k"}}},
          "Other": {"Type": "AWS::Lambda::Function"}}}"#;
        let all = found(template);
        let ids: Vec<&str> = all.iter().map(|f| f.logical_id.as_str()).collect();
        assert_eq!(ids, ["Plain", "Subbed", "Joined", "Broken", "InS3"]);
        assert_eq!(all[0].definition.get("States").unwrap().get("A").unwrap().get("Seconds"), Some(&Value::from(5)));
        let a = all[1].definition.get("States").unwrap().get("A").unwrap();
        assert_eq!(a.get("Resource").unwrap().as_str(), Some("${Work.Arn}"));
        assert_eq!(a.get("Comment").unwrap().as_str(), Some("${Literal} in 123456789012"));
        assert_eq!(resource_of(&all[2].definition, "A"), r#""${Ref:Fn}""#);
        assert!(all[3].definition.is_null());
        assert!(all[3].notes[0].contains("not valid JSON or YAML"), "{:?}", all[3].notes);
        assert!(all[4].notes[0].contains("DefinitionS3Location"), "{:?}", all[4].notes);
        let e = definition_from_text(template).unwrap_err();
        assert!(e.message.contains("3 state machines (Plain, Subbed, Joined)"), "{e}");
    }

    #[test]
    fn cloudformation_yaml_with_a_definition_object() {
        let text = "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition:\n        StartAt: A\n        States:\n          A:\n            Type: Task\n            Resource: !GetAtt [Fn, Arn]\n            Parameters: {Name: !Join ['-', [a, !Ref B]], Az: !Select [0, !GetAZs '']}\n            End: true\n";
        let d = definition_from_text(text).unwrap();
        let a = d.get("States").unwrap().get("A").unwrap();
        assert_eq!(a.get("Resource").unwrap().as_str(), Some("${Fn.Arn}"));
        assert_eq!(
            a.get("Parameters").unwrap().to_string(),
            r#"{"Name":"a-${Ref:B}","Az":"${Fn::Select:[0,{\"Fn::GetAZs\":\"\"}]}"}"#
        );
    }

    #[test]
    fn bare_definitions_in_json_and_yaml() {
        let json_text = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}"#;
        let yaml_text = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n";
        assert_eq!(definition_from_text(json_text).unwrap(), definition_from_text(yaml_text).unwrap());
        let f = found(yaml_text);
        assert_eq!((f.len(), f[0].logical_id.as_str()), (1, ""));
    }

    #[test]
    fn errors_name_the_problem() {
        let e = definition_from_text("{\"StartAt\": \"A\",\n  \"States\": }").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        let e = definition_from_text("StartAt: [1").unwrap_err();
        assert_eq!((e.line, e.column), (Some(1), Some(10)));
        let e = definition_from_text("Name: x\n").unwrap_err();
        assert!(e.message.contains("neither a state machine definition"), "{e}");
        let e = definition_from_text("Resources:\n  B: {Type: AWS::S3::Bucket}\n").unwrap_err();
        assert!(e.message.contains("no AWS::StepFunctions::StateMachine"), "{e}");
        let e = definition_from_text(
            "Resources:\n  M:\n    Type: AWS::Serverless::StateMachine\n    Properties: {DefinitionUri: s3://b/k}\n",
        )
        .unwrap_err();
        assert!(
            e.message.contains(
                "no inline state machine definition (M: The definition is not in the template (DefinitionUri"
            ),
            "{e}"
        );
    }

    /// The shape of AWS's SAM starter template, comments and all, with the definition inline.
    const SAM_STARTER: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Description: >
  stock-trader

  Sample SAM Template for stock-trader

Resources:
  StockTradingStateMachine:
    Type: AWS::Serverless::StateMachine # More info: https://docs.aws.amazon.com/serverless-application-model/
    Properties:
      Definition:
        Comment: A state machine that does mock stock trading.
        StartAt: Check Stock Value
        States:
          Check Stock Value:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            OutputPath: $.Payload
            Parameters:
              Payload.$: $
              FunctionName: ${StockCheckerFunctionArn}
            Retry:
              - ErrorEquals:
                  - Lambda.ServiceException
                  - Lambda.AWSLambdaException
                IntervalSeconds: 2
                MaxAttempts: 6
                BackoffRate: 2
            Next: Buy or Sell?
          Buy or Sell?:
            Type: Choice
            Choices:
              - Variable: $.stock_price
                NumericLessThanEquals: 50
                Next: Record Transaction
            Default: Record Transaction
          Record Transaction:
            Type: Task
            Resource: ${DDBPutItem}
            Parameters:
              TableName: ${DDBTable}
              Item:
                Id: {S.$: $.id}
                Quantity:
                  N.$: States.Format('{}', $.qty)
            End: true
      DefinitionSubstitutions:
        StockCheckerFunctionArn: !GetAtt StockCheckerFunction.Arn
        DDBPutItem: !Sub arn:${AWS::Partition}:states:::dynamodb:putItem
        DDBTable: !Ref TransactionTable
      Events:
        HourlyTradingSchedule:
          Type: Schedule
          Properties:
            Enabled: False # disabled by default
            Schedule: "rate(1 hour)"
      Policies:
        - LambdaInvokePolicy:
            FunctionName: !Ref StockCheckerFunction

  StockCheckerFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/stock_checker/
      Architectures:
        - x86_64

Outputs:
  # An implicit Schedule event rule is created out of Events
  StockTradingStateMachineArn:
    Description: "Stock Trading State machine ARN"
    Value: !Ref StockTradingStateMachine
"#;

    #[test]
    fn the_sam_starter_template() {
        let template = crate::import::parse_yaml(SAM_STARTER).unwrap();
        assert_eq!(
            template.get("Description").and_then(Value::as_str),
            Some("stock-trader\nSample SAM Template for stock-trader\n")
        );
        let d = definition_from_text(SAM_STARTER).unwrap();
        let states = d.get("States").unwrap();
        let check = states.get("Check Stock Value").unwrap();
        assert_eq!(
            check.get("Parameters").unwrap().to_string(),
            r#"{"Payload.$":"$","FunctionName":"${StockCheckerFunction.Arn}"}"#
        );
        assert_eq!(
            check.get("Retry").unwrap().to_string(),
            r#"[{"ErrorEquals":["Lambda.ServiceException","Lambda.AWSLambdaException"],"IntervalSeconds":2,"MaxAttempts":6,"BackoffRate":2}]"#
        );
        let record = states.get("Record Transaction").unwrap();
        assert_eq!(record.get("Resource").unwrap().as_str(), Some("arn:aws:states:::dynamodb:putItem"));
        assert_eq!(
            record.get("Parameters").unwrap().to_string(),
            r#"{"TableName":"${Ref:TransactionTable}","Item":{"Id":{"S.$":"$.id"},"Quantity":{"N.$":"States.Format('{}', $.qty)"}}}"#
        );
        assert!(crate::validate(&json::to_string(&d)).is_ok(), "{}", crate::validate(&json::to_string(&d)).to_value());
    }

    #[test]
    fn malformed_templates_do_not_panic() {
        for text in [
            r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"Definition": 5}}}}"#,
            r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": {"Fn::Sub": []}}}}}"#,
            r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": {"Fn::Join": [1]}}}}}"#,
            r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": "x"}}}"#,
            r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionSubstitutions": [1], "DefinitionString": "${"}}}}"#,
            r#"{"Resources": []}"#,
        ] {
            let _ = definitions_from_text(text);
            let _ = definition_from_text(text);
        }
        let deep = format!("{}{}", "{\"Fn::Sub\": [".repeat(300), "]}".repeat(300));
        let t = format!(
            r#"{{"Resources": {{"M": {{"Type": "AWS::StepFunctions::StateMachine", "Properties": {{"Definition": {{"States": {deep}}}}}}}}}}}"#
        );
        assert!(definitions_from_text(&t).is_ok());
    }

    #[test]
    fn definition_pointers_are_located_in_the_template_text() {
        let yaml = "Resources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition:\n        StartAt: A\n        States:\n          A: {Type: Pass, Next: B}\n";
        let f = found(yaml);
        assert_eq!(f[0].origin, "/Resources/Flow/Properties/Definition");
        let next = format!("{}/States/A/Next", f[0].origin);
        let missing = format!("{}/States/B", f[0].origin);
        assert_eq!(locate_in_text(yaml, &[&next, &missing]), [Some((8, 27)), Some((7, 9))]);
        let json = "{\"Resources\": {\"F\": {\"Type\": \"AWS::StepFunctions::StateMachine\", \"Properties\": {\n  \"DefinitionString\": \"{\\\"StartAt\\\": \\\"A\\\"}\"}}}}";
        let f = found(json);
        assert_eq!(f[0].origin, "/Resources/F/Properties/DefinitionString");
        // Inside a definition given as text, the text's own place.
        assert_eq!(locate_in_text(json, &[&format!("{}/StartAt", f[0].origin)]), [Some((2, 3))]);
        assert_eq!(locate_in_text("a: [", &["/a"]), [None]);
    }
}
