//! State machine definitions inside CloudFormation and SAM templates, read as the deployed
//! stack would have them, and the one entry point for "here is some text that holds a state
//! machine": a definition in JSON or YAML, or a template in JSON or YAML.
//!
//! A state machine's definition is inline (`Definition`, `DefinitionString`), in a file next to
//! the template (SAM's `DefinitionUri: statemachine/flow.asl.json`, read through
//! [`ProjectFiles`]) or in S3 (reported: it cannot be read from here). Its `${name}`
//! placeholders are filled from `DefinitionSubstitutions`, whose values, like every intrinsic
//! function inline, are resolved from the template itself ([`Resolver`]: parameters' defaults,
//! resources' ARNs and names in their real formats, pseudo parameters from the [`Deployment`]).
//! A placeholder nothing fills is reported ([`Unresolved`], with its line and column) and
//! replaced by a marker that keeps the definition valid (`placeholders.rs`).

use super::placeholders::{self, Place};
use super::template::{
    as_text, describe, intrinsic, restore_literals, Deployment, FileMap, NoFiles, ProjectFiles, Resolver, Substitution,
    SubstitutionKind, LITERAL_OPEN,
};
use super::{parse_yaml_with_source_map, ImportError};
use crate::json::{self, SourceMap};
use crate::value::{Map, Value};

/// How deep the walk over a definition goes; deeper values are kept as they are.
const MAX_WALK_DEPTH: usize = 512;

/// A state machine found in a template, or a bare definition.
#[derive(Clone, Debug, PartialEq)]
pub struct FoundDefinition {
    /// The resource's logical id in the template; empty for a bare definition.
    pub logical_id: String,
    /// The name the state machine is deployed under: its `StateMachineName` (SAM: `Name`) when
    /// the template sets one, else the logical id; empty for a bare definition.
    pub name: String,
    /// The definition, placeholders filled, or `Null` when it could not be read (the notes say
    /// why: a file the project does not have, a definition in S3, a syntax error).
    pub definition: Value,
    /// What the reader did or could not do: where the definition is, problems.
    pub notes: Vec<String>,
    /// The JSON pointer, in the document the definition was read from (the text given, or
    /// [`FoundDefinition::file`]), of the value the definition was read from: `""` for a bare
    /// definition or a file, `/Resources/Flow/Properties/Definition` (an object, so the
    /// definition's own pointers continue it) or `.../DefinitionString` (text). Empty when the
    /// definition could not be read.
    pub origin: String,
    /// The file the template's `DefinitionUri` names, as written (relative to the template).
    pub file: Option<String>,
    /// The text of that file, when the project has it.
    pub file_text: Option<String>,
    /// The file the template names but the project does not have (the caller asks for it).
    pub missing_file: Option<String>,
    /// The S3 location of a definition kept in S3 (`s3://bucket/key`), which cannot be read here.
    pub s3_location: Option<String>,
    /// Every name that gives (or could give) a placeholder its value, with the value: the
    /// `DefinitionSubstitutions` entries, then the parameters and pseudo parameters their
    /// values were resolved from, and the placeholders nothing declares.
    pub substitutions: Vec<Substitution>,
    /// The placeholders nothing filled, where they are, and why; each was replaced by a marker.
    pub unresolved: Vec<Unresolved>,
}

impl FoundDefinition {
    /// Where JSON pointers of the definition (a diagnostic's location) stand in the text it was
    /// read from: [`FoundDefinition::file_text`] when it came from a file, else `text`, the text
    /// given to [`read_project`]. `None` for a pointer that cannot be placed.
    pub fn locate(&self, text: &str, pointers: &[&str]) -> Vec<Option<(usize, usize)>> {
        if self.definition.is_null() {
            return vec![None; pointers.len()];
        }
        let source = self.file_text.as_deref().unwrap_or(text);
        let full: Vec<String> = pointers.iter().map(|p| format!("{}{p}", self.origin)).collect();
        locate_in_text(source, &full.iter().map(String::as_str).collect::<Vec<_>>())
    }
}

/// A placeholder (or an intrinsic function) that nothing resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unresolved {
    /// As written: `${FnArn}`, or `!ImportValue Shared` for an intrinsic function.
    pub placeholder: String,
    /// The name a value can be given under ([`Deployment::params`]), when there is one.
    pub name: Option<String>,
    /// Why nothing resolved it.
    pub reason: String,
    /// The file it is in ([`FoundDefinition::file`]); `None`: the text given.
    pub file: Option<String>,
    /// 1-based line and column of the placeholder in that text, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Unresolved {
    /// `{"placeholder", "name", "reason", "file", "line", "column"}` (absent members are null).
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("placeholder", Value::from(self.placeholder.as_str()));
        m.insert("name", self.name.as_deref().map_or(Value::Null, Value::from));
        m.insert("reason", Value::from(self.reason.as_str()));
        m.insert("file", self.file.as_deref().map_or(Value::Null, Value::from));
        m.insert("line", self.line.map_or(Value::Null, Value::from));
        m.insert("column", self.column.map_or(Value::Null, Value::from));
        Value::from(m)
    }
}

impl std::fmt::Display for Unresolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}:")?;
        }
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, "{l}:{c}: ")?;
        } else if self.file.is_some() {
            f.write_str(" ")?;
        }
        write!(
            f,
            "{} is not resolved ({}); replaced by {}",
            self.placeholder,
            self.reason,
            placeholders::marker_text(self.name.as_deref().unwrap_or(&self.placeholder))
        )
    }
}

impl FoundDefinition {
    /// `{"logicalId", "name", "definition", "notes", "origin", "file", "fileText", "missingFile",
    /// "s3Location", "substitutions": [...], "unresolved": [...]}` (absent members are null).
    pub fn to_value(&self) -> Value {
        let text = |v: &Option<String>| v.as_deref().map_or(Value::Null, Value::from);
        let mut m = Map::new();
        m.insert("logicalId", Value::from(self.logical_id.as_str()));
        m.insert("name", Value::from(self.name.as_str()));
        m.insert("definition", self.definition.clone());
        m.insert("notes", Value::from(self.notes.iter().map(|n| Value::from(n.as_str())).collect::<Vec<_>>()));
        m.insert("origin", Value::from(self.origin.as_str()));
        m.insert("file", text(&self.file));
        m.insert("fileText", text(&self.file_text));
        m.insert("missingFile", text(&self.missing_file));
        m.insert("s3Location", text(&self.s3_location));
        m.insert(
            "substitutions",
            Value::from(self.substitutions.iter().map(Substitution::to_value).collect::<Vec<_>>()),
        );
        m.insert("unresolved", Value::from(self.unresolved.iter().map(Unresolved::to_value).collect::<Vec<_>>()));
        Value::from(m)
    }
}

/// Finds every `AWS::StepFunctions::StateMachine` and `AWS::Serverless::StateMachine`
/// resource of a template, in template order, resolved for the default [`Deployment`] with no
/// files (a `DefinitionUri` is reported missing).
///
/// ```
/// let t = aslplay::import::parse_yaml(r#"
/// Resources:
///   Work: {Type: AWS::Serverless::Function}
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
/// let a = found[0].definition.get("States").unwrap().get("A").unwrap();
/// assert_eq!(a.get("Resource").unwrap().as_str(), Some("arn:aws:lambda:us-east-1:123456789012:function:Work"));
/// ```
pub fn definitions_from_template(template: &Value) -> Vec<FoundDefinition> {
    machines(template, None, &Deployment::default(), &NoFiles)
}

/// Every state machine in a text, as [`read_project`] reads it for the default
/// [`Deployment`] and no files.
pub fn definitions_from_text(text: &str) -> Result<Vec<FoundDefinition>, ImportError> {
    read_project(text, &Deployment::default(), &NoFiles)
}

/// [`read_project`] with its deployment and files given as JSON (the page's form):
/// `{"files": {path: text}, "params": {name: value}, "accountId", "region", "partition",
/// "stackName"}`, every member optional; files are matched as [`FileMap`] matches them.
pub fn read_project_with_options(text: &str, options: &Value) -> Result<Vec<FoundDefinition>, ImportError> {
    let files = FileMap::from_value(options.get("files"));
    read_project(text, &Deployment::from_value(options), &files)
}

/// Every state machine in a text: a definition (JSON or YAML) gives one with an empty logical
/// id, its `${name}` placeholders filled from the deployment's given values and pseudo
/// parameters (a Terraform `templatefile` or CDK output); a CloudFormation/SAM template (JSON or
/// YAML, recognized by `Resources`) gives one per state machine resource, in template order,
/// each read with its `DefinitionUri` file (from `files`) and its substitutions.
///
/// ```
/// use aslplay::import::{read_project, Deployment, FileMap};
/// let template = "Resources:\n  Q: {Type: AWS::SQS::Queue}\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: statemachine/flow.asl.json\n      DefinitionSubstitutions: {QueueUrl: !Ref Q}\n";
/// let files = FileMap(vec![("statemachine/flow.asl.json".into(), r#"{"StartAt": "S", "States": {"S": {"Type": "Pass", "Result": "${QueueUrl}", "End": true}}}"#.into())]);
/// let found = read_project(template, &Deployment::default(), &files).unwrap();
/// let s = found[0].definition.get("States").unwrap().get("S").unwrap();
/// assert_eq!(s.get("Result").unwrap().as_str(), Some("https://sqs.us-east-1.amazonaws.com/123456789012/Q"));
/// ```
pub fn read_project(
    text: &str,
    deployment: &Deployment,
    files: &dyn ProjectFiles,
) -> Result<Vec<FoundDefinition>, ImportError> {
    let (value, map) = match parse_document_with_source_map(text) {
        Ok(parsed) => parsed,
        // A definition whose placeholders stand where values go (`"Seconds": ${Delay}`) reads
        // once they are filled.
        Err(e) if text.contains("${") => {
            let hits = placeholders::scan(text, text.trim_start().starts_with(['{', '[']));
            let quoted = placeholders::fill(text, &hits, |_| None);
            match parse_document(&quoted) {
                Ok(v) if is_definition(&v) => {
                    let empty = Value::object();
                    let mut reader = Reader::new(&empty, deployment, None);
                    let definition = reader.read_text(text, "The definition", At::Text(None));
                    return Ok(vec![reader.finish(String::new(), String::new(), definition, String::new())]);
                }
                _ => return Err(e),
            }
        }
        Err(e) => return Err(e),
    };
    if value.get("Resources").is_some_and(Value::is_object) {
        let found = machines(&value, Some((text, &map)), deployment, files);
        if found.is_empty() {
            return Err(ImportError::at(
                "/Resources",
                "The template has no AWS::StepFunctions::StateMachine or AWS::Serverless::StateMachine resource",
            ));
        }
        return Ok(found);
    }
    if is_definition(&value) {
        let empty = Value::object();
        let mut reader = Reader::new(&empty, deployment, None);
        let definition =
            if text.contains("${") { reader.read_text(text, "The definition", At::Text(None)) } else { value };
        return Ok(vec![reader.finish(String::new(), String::new(), definition, String::new())]);
    }
    Err(ImportError::at(
        "",
        "This is neither a state machine definition (no StartAt or States) nor a CloudFormation template (no Resources)",
    ))
}

/// Whether a document is a state machine definition (it has `StartAt` or `States`).
fn is_definition(v: &Value) -> bool {
    v.get("States").is_some() || v.get("StartAt").is_some()
}

/// The state machines of a parsed template.
fn machines(
    template: &Value,
    source: Option<(&str, &SourceMap)>,
    deployment: &Deployment,
    files: &dyn ProjectFiles,
) -> Vec<FoundDefinition> {
    let Some(resources) = template.get("Resources").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (logical_id, resource) in resources.iter() {
        let kind = resource.get("Type").and_then(Value::as_str).unwrap_or_default();
        if kind != "AWS::StepFunctions::StateMachine" && kind != "AWS::Serverless::StateMachine" {
            continue;
        }
        let empty = Value::object();
        let properties = resource.get("Properties").filter(|p| p.is_object()).unwrap_or(&empty);
        let base = format!("/Resources/{}/Properties", json::pointer_token(logical_id));
        let mut reader = Reader::new(template, deployment, source);
        let name = reader.resolver.physical_name(logical_id, 0).unwrap_or_else(|_| logical_id.to_string());
        reader.read_substitutions(properties.get("DefinitionSubstitutions"));
        reader.resolver.mark_literals = true;
        reader.resolver.lenient = true;
        let mut origin = String::new();
        let definition = if let Some(d) = properties.get("Definition") {
            origin = format!("{base}/Definition");
            match d {
                Value::Object(_) => reader.walk(d, &mut origin.clone(), None, 0),
                Value::String(s) => reader.read_text(s, "Definition", At::Value(origin.clone())),
                other => {
                    reader.notes.push(format!("Definition is {} where an object was expected", other.type_name()));
                    origin.clear();
                    Value::Null
                }
            }
        } else if let Some(d) = properties.get("DefinitionString") {
            origin = format!("{base}/DefinitionString");
            match reader.resolver.eval(d, 0) {
                Ok(Value::String(s)) => {
                    reader.resolver.left.clear(); // what Fn::Sub left is DefinitionSubstitutions' to fill
                    reader.take_marked(&origin);
                    reader.read_text(&s, "DefinitionString", At::Value(origin.clone()))
                }
                Ok(other) => {
                    reader.notes.push(format!("DefinitionString is {} where text was expected", other.type_name()));
                    Value::Null
                }
                Err(unknown) => {
                    reader
                        .notes
                        .push(format!("DefinitionString cannot be resolved: {} ({})", unknown.what, unknown.why));
                    Value::Null
                }
            }
        } else if let Some(uri) = properties.get("DefinitionUri") {
            match uri {
                Value::String(path) if !path.starts_with("s3://") => reader.read_file(path, files, &mut origin),
                other => reader.s3(other, "DefinitionUri"),
            }
        } else if let Some(location) = properties.get("DefinitionS3Location") {
            reader.s3(location, "DefinitionS3Location")
        } else {
            reader.notes.push("The resource has no definition".to_string());
            Value::Null
        };
        let definition = if reader.literals { restore_literals(&definition, 0) } else { definition };
        if definition.is_null() {
            origin.clear();
        }
        found.push(reader.finish(logical_id.to_string(), name, definition, origin));
    }
    found
}

/// Where the text being filled stands, for the places of its placeholders.
enum At {
    /// It is the whole text given, or the file named (`Some(path)`): places are its own.
    Text(Option<String>),
    /// It is a template value (a `DefinitionString`) at this pointer: places are that value's.
    Value(String),
}

/// Reads one state machine: its substitutions, its definition, what could not be resolved.
struct Reader<'a> {
    resolver: Resolver<'a>,
    deployment: &'a Deployment,
    /// The template's text and source map, for the places of placeholders in inline definitions.
    source: Option<(&'a str, &'a SourceMap)>,
    /// `DefinitionSubstitutions`: each key's value, or why it has none.
    subs: Vec<(String, Result<String, String>)>,
    substitutions: Vec<Substitution>,
    unresolved: Vec<Unresolved>,
    notes: Vec<String>,
    file: Option<String>,
    file_text: Option<String>,
    missing_file: Option<String>,
    s3_location: Option<String>,
    /// Whether `Fn::Sub` literals (`${!Name}`) were marked and must be restored.
    literals: bool,
}

impl<'a> Reader<'a> {
    fn new(template: &'a Value, deployment: &'a Deployment, source: Option<(&'a str, &'a SourceMap)>) -> Reader<'a> {
        Reader {
            resolver: Resolver::new(template, deployment),
            deployment,
            source,
            subs: Vec::new(),
            substitutions: Vec::new(),
            unresolved: Vec::new(),
            notes: Vec::new(),
            file: None,
            file_text: None,
            missing_file: None,
            s3_location: None,
            literals: false,
        }
    }

    fn place(&self) -> (String, String, String) {
        let d = self.deployment;
        let ids = d.execution_ids(crate::engine::ExecutionIds::default());
        (ids.partition, ids.region, ids.account_id)
    }

    fn read_substitutions(&mut self, subs: Option<&Value>) {
        let Some(subs) = subs else { return };
        let Some(map) = subs.as_object() else {
            self.notes.push("DefinitionSubstitutions is not an object: ignored".to_string());
            return;
        };
        for (name, v) in map.iter() {
            let source = describe(v);
            let (value, given) = match self.deployment.given(name) {
                Some(given) => (Ok(given.to_string()), true),
                None => {
                    let value = self.resolver.eval(v, 0).map(|v| as_text(&v));
                    let left = std::mem::take(&mut self.resolver.left);
                    let why = |u: &super::template::Unknown| {
                        format!("DefinitionSubstitutions {name} is {}: {}", u.what, u.why)
                    };
                    let value = match (value, left.first()) {
                        (Err(unknown), _) => Err(why(&unknown)),
                        (Ok(_), Some(unknown)) => Err(why(unknown)),
                        (Ok(text), None) => Ok(text),
                    };
                    (value, false)
                }
            };
            self.substitutions.push(Substitution {
                name: name.to_string(),
                value: value.as_ref().ok().cloned(),
                source,
                kind: SubstitutionKind::DefinitionSubstitution,
                given,
            });
            self.subs.push((name.to_string(), value));
        }
    }

    /// The value of a definition's `${name}`: a given value, a `DefinitionSubstitutions` entry,
    /// a pseudo parameter; or why it has none.
    fn lookup(&mut self, name: &str) -> Result<String, String> {
        let declared = self.subs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        if let Some(v) = self.deployment.given(name) {
            if declared.is_none() {
                let kind =
                    if name.starts_with("AWS::") { SubstitutionKind::Pseudo } else { SubstitutionKind::Placeholder };
                self.note(name, Some(v.to_string()), "given".to_string(), kind, true);
            }
            return Ok(v.to_string());
        }
        if let Some(v) = declared {
            return v;
        }
        if let Some(v) = self.resolver.pseudo(name) {
            return Ok(v);
        }
        let why = if self.resolver.is_parameter(name) {
            format!("{name} is a template parameter, but not a DefinitionSubstitutions entry: add {name}: !Ref {name} to DefinitionSubstitutions, or give a value for {name}")
        } else if self.subs.is_empty() && self.source.is_none() && self.file.is_none() {
            format!("nothing gives {name} a value: give one")
        } else {
            format!("DefinitionSubstitutions has no {name}: add it there, or give a value for {name}")
        };
        self.note(name, None, "no value".to_string(), SubstitutionKind::Placeholder, false);
        Err(why)
    }

    fn note(&mut self, name: &str, value: Option<String>, source: String, kind: SubstitutionKind, given: bool) {
        if !self.substitutions.iter().any(|s| s.name == name) {
            self.substitutions.push(Substitution { name: name.to_string(), value, source, kind, given });
        }
    }

    /// Reports what the lenient resolver replaced by markers in the template value at `pointer`.
    fn take_marked(&mut self, pointer: &str) {
        for unknown in std::mem::take(&mut self.resolver.marked) {
            let (line, column) = self.place_in_template(pointer, None);
            self.unresolved.push(Unresolved {
                placeholder: unknown.what,
                name: unknown.name,
                reason: unknown.why,
                file: None,
                line,
                column,
            });
        }
    }

    /// The 1-based line and column of `${name}` in the template value at `pointer` (or of the
    /// value itself).
    fn place_in_template(&self, pointer: &str, token: Option<&str>) -> (Option<usize>, Option<usize>) {
        let Some((text, map)) = self.source else { return (None, None) };
        if let (Some(off), Some(token)) = (map.value_offset(pointer), token) {
            let line_end = text[off..].find('\n').map_or(text.len(), |n| off + n);
            if let Some(i) = text[off..line_end].find(token) {
                let (l, c) = map.line_col(off + i);
                return (Some(l), Some(c));
            }
        }
        map.locate(pointer).map_or((None, None), |(l, c)| (Some(l), Some(c)))
    }

    /// An inline definition object: intrinsic functions resolved, `${name}` filled in every
    /// string and key; `pointer` is the value's pointer in the template.
    fn walk(&mut self, v: &Value, pointer: &mut String, key: Option<&str>, depth: usize) -> Value {
        if depth > MAX_WALK_DEPTH {
            return v.clone();
        }
        match v {
            Value::String(s) if s.contains("${") => self.fill_string(s, pointer, key),
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let len = pointer.len();
                    pointer.push_str(&format!("/{i}"));
                    out.push(self.walk(item, pointer, key, depth + 1));
                    pointer.truncate(len);
                }
                Value::from(out)
            }
            Value::Object(m) => {
                if intrinsic(v).is_some() {
                    return match self.resolver.eval(v, 0) {
                        Ok(value) => {
                            self.resolver.left.clear();
                            self.take_marked(pointer);
                            self.literals |= json::to_string(&value).contains(LITERAL_OPEN);
                            match value {
                                Value::String(s) if s.contains("${") => self.fill_string(&s, pointer, key),
                                other => other,
                            }
                        }
                        Err(unknown) => {
                            let (line, column) = self.place_in_template(pointer, None);
                            let name = unknown.name.clone().unwrap_or_else(|| unknown.what.clone());
                            self.unresolved.push(Unresolved {
                                placeholder: unknown.what,
                                name: unknown.name,
                                reason: unknown.why,
                                file: None,
                                line,
                                column,
                            });
                            let (p, r, a) = self.place();
                            placeholders::marker(&name, key, true, &Place { partition: &p, region: &r, account: &a })
                        }
                    };
                }
                let mut out = Map::with_capacity(m.len());
                for (k, val) in m.iter() {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&json::pointer_token(k));
                    let key_text =
                        if k.contains("${") { as_text(&self.fill_string(k, pointer, None)) } else { k.to_string() };
                    let val = self.walk(val, pointer, Some(k), depth + 1);
                    out.insert(key_text, val);
                    pointer.truncate(len);
                }
                Value::from(out)
            }
            other => other.clone(),
        }
    }

    /// A string of an inline definition with its `${name}` filled (or marked).
    fn fill_string(&mut self, s: &str, pointer: &str, key: Option<&str>) -> Value {
        let hits = placeholders::scan(s, false);
        let mut out = String::with_capacity(s.len());
        let mut at = 0;
        for hit in &hits {
            out.push_str(&s[at..hit.start]);
            at = hit.end;
            match self.lookup(&hit.name) {
                Ok(v) => out.push_str(&v),
                Err(reason) => {
                    let token = &s[hit.start..hit.end];
                    let (line, column) = self.place_in_template(pointer, Some(token));
                    self.unresolved.push(Unresolved {
                        placeholder: token.to_string(),
                        name: Some(hit.name.clone()),
                        reason,
                        file: None,
                        line,
                        column,
                    });
                    if hits.len() == 1 && token == s {
                        let (p, r, a) = self.place();
                        return placeholders::marker(
                            &hit.name,
                            key,
                            true,
                            &Place { partition: &p, region: &r, account: &a },
                        );
                    }
                    out.push_str(&placeholders::marker_text(&hit.name));
                }
            }
        }
        out.push_str(&s[at..]);
        Value::from(out)
    }

    /// A definition given as text: its placeholders filled as CloudFormation fills them (in the
    /// text, before parsing), then parsed; what nothing fills is marked.
    fn read_text(&mut self, text: &str, field: &str, at: At) -> Value {
        let json_text = text.trim_start().starts_with(['{', '[']);
        let hits = placeholders::scan(text, json_text);
        let values: Vec<Result<String, String>> = hits.iter().map(|h| self.lookup(&h.name)).collect();
        let filled = placeholders::fill(text, &hits, |h| {
            let i = hits.iter().position(|x| std::ptr::eq(x, h))?;
            values[i].as_ref().ok().cloned()
        });
        self.literals |= filled.contains(LITERAL_OPEN);
        let parsed = match parse_document(&filled) {
            Ok(v @ Value::Object(_)) => v,
            Ok(other) => {
                self.notes.push(format!("{field} holds {} where a definition object was expected", other.type_name()));
                return Value::Null;
            }
            Err(e) => {
                let filled_note = if hits.is_empty() { "" } else { " after substitution" };
                self.notes.push(format!("{field} is not valid JSON or YAML{filled_note}: {e}"));
                return Value::Null;
            }
        };
        let mut names: Vec<String> = Vec::new();
        for (hit, value) in hits.iter().zip(&values) {
            let Err(reason) = value else { continue };
            if !names.contains(&hit.name) {
                names.push(hit.name.clone());
            }
            let (file, line, column) = match &at {
                At::Text(file) => (file.clone(), Some(hit.line), Some(hit.column)),
                At::Value(pointer) => {
                    let (l, c) = self.place_in_template(pointer, None);
                    (None, l, c)
                }
            };
            self.unresolved.push(Unresolved {
                placeholder: format!("${{{}}}", hit.name),
                name: Some(hit.name.clone()),
                reason: reason.clone(),
                file,
                line,
                column,
            });
        }
        if names.is_empty() {
            return parsed;
        }
        let (p, r, a) = self.place();
        placeholders::place_markers(&parsed, &names, &Place { partition: &p, region: &r, account: &a }).0
    }

    /// A `DefinitionUri` that names a file next to the template.
    fn read_file(&mut self, path: &str, files: &dyn ProjectFiles, origin: &mut String) -> Value {
        self.file = Some(path.to_string());
        match files.read(path) {
            Ok(Some(text)) => {
                let definition = self.read_text(&text, path, At::Text(Some(path.to_string())));
                self.file_text = Some(text);
                origin.clear();
                definition
            }
            Ok(None) => {
                self.missing_file = Some(path.to_string());
                self.notes.push(format!(
                    "The definition is in {path} (DefinitionUri), which was not given: add that file (it is read relative to the template)"
                ));
                Value::Null
            }
            Err(why) => {
                self.notes.push(format!("The definition file {path} (DefinitionUri) cannot be read: {why}"));
                Value::Null
            }
        }
    }

    /// A definition kept in S3: where, and that it cannot be read here.
    fn s3(&mut self, location: &Value, field: &str) -> Value {
        let part = |r: &mut Reader, k: &str| {
            let v = location.get(k)?;
            r.resolver.eval(v, 0).ok().map(|v| as_text(&v))
        };
        let uri = match location {
            Value::String(s) => s.to_string(),
            _ => {
                let bucket = part(self, "Bucket").unwrap_or_else(|| "?".to_string());
                let key = part(self, "Key").unwrap_or_else(|| "?".to_string());
                match part(self, "Version") {
                    Some(v) => format!("s3://{bucket}/{key}?versionId={v}"),
                    None => format!("s3://{bucket}/{key}"),
                }
            }
        };
        self.notes.push(format!(
            "The definition is in S3 ({field}: {uri}), which aslplay cannot read: download it next to the template and point DefinitionUri at the file"
        ));
        self.s3_location = Some(uri);
        Value::Null
    }

    fn finish(mut self, logical_id: String, name: String, definition: Value, origin: String) -> FoundDefinition {
        for used in std::mem::take(&mut self.resolver.used) {
            if !self.substitutions.iter().any(|s| s.name == used.name) {
                self.substitutions.push(used);
            }
        }
        if !self.unresolved.is_empty() {
            let mut names: Vec<&str> = Vec::new();
            for u in &self.unresolved {
                if !names.contains(&u.placeholder.as_str()) {
                    names.push(&u.placeholder);
                }
            }
            self.notes.push(format!(
                "Not resolved, replaced by UNRESOLVED markers: {}",
                names.iter().take(20).copied().collect::<Vec<_>>().join(", ")
            ));
        }
        FoundDefinition {
            logical_id,
            name,
            definition,
            notes: self.notes,
            origin,
            file: self.file,
            file_text: self.file_text,
            missing_file: self.missing_file,
            s3_location: self.s3_location,
            substitutions: self.substitutions,
            unresolved: self.unresolved,
        }
    }
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
/// A definition with placeholders where values go (`"Seconds": ${Delay}`) is read with them
/// quoted, which leaves its lines as they are. `None` for every pointer when the text cannot be
/// read.
///
/// ```
/// let text = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Nxt: B\n";
/// assert_eq!(aslplay::import::locate_in_text(text, &["/States/A/Nxt", "/States/A/Next"]), [Some((5, 5)), Some((3, 3))]);
/// ```
pub fn locate_in_text(text: &str, pointers: &[&str]) -> Vec<Option<(usize, usize)>> {
    let parsed = parse_document_with_source_map(text).or_else(|e| {
        if !text.contains("${") {
            return Err(e);
        }
        let hits = placeholders::scan(text, text.trim_start().starts_with(['{', '[']));
        parse_document_with_source_map(&placeholders::fill(text, &hits, |_| None))
    });
    match parsed {
        Ok((_, map)) => pointers.iter().map(|p| map.locate(p)).collect(),
        Err(_) => vec![None; pointers.len()],
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
        assert_eq!((flow.logical_id.as_str(), flow.name.as_str()), ("OrderFlow", "OrderFlow"));
        assert_eq!(resource_of(&flow.definition, "Work"), r#""arn:aws:lambda:us-east-1:123456789012:function:Worker""#);
        let params = flow.definition.get("States").unwrap().get("Save").unwrap().get("Parameters").unwrap();
        assert_eq!(
            params.to_string(),
            r#"{"TableName":"UNRESOLVED-TableName","Item":{"n":{"N":"3"}},"Region":"us-east-1-UNRESOLVED-Stage","Key":"UNRESOLVED-KeyParam"}"#
        );
        let subs: Vec<(&str, Option<&str>, &str)> =
            flow.substitutions.iter().map(|s| (s.name.as_str(), s.value.as_deref(), s.source.as_str())).collect();
        assert_eq!(
            subs,
            [
                ("WorkerArn", Some("arn:aws:lambda:us-east-1:123456789012:function:Worker"), "!GetAtt Worker.Arn"),
                ("TableName", None, "!Ref Orders"),
                ("Retries", Some("3"), "3"),
                ("Stage", None, "no value"),
                ("AWS::Region", Some("us-east-1"), "pseudo parameter"),
            ]
        );
        // Each placeholder nothing resolves: its name, why, and where (line:column in the template).
        let left: Vec<(&str, Option<usize>, Option<usize>)> =
            flow.unresolved.iter().map(|u| (u.placeholder.as_str(), u.line, u.column)).collect();
        assert_eq!(
            left,
            [
                ("${TableName}", Some(26), Some(26)),
                ("${Stage}", Some(28), Some(44)),
                ("!Ref KeyParam", Some(29), Some(15))
            ]
        );
        assert!(flow.unresolved[0]
            .reason
            .contains("!Ref Orders: the template has no parameter or resource named Orders"));
        assert!(flow.unresolved[1].reason.contains("DefinitionSubstitutions has no Stage"), "{:?}", flow.unresolved[1]);
        let external = &all[1];
        assert!(external.definition.is_null());
        assert_eq!(external.missing_file.as_deref(), Some("statemachine/flow.asl.json"));
        assert!(
            external.notes[0].contains("statemachine/flow.asl.json (DefinitionUri), which was not given"),
            "{:?}",
            external.notes
        );
        // Only one inline definition: that is the one.
        assert_eq!(definition_from_text(SAM).unwrap(), flow.definition);
    }

    #[test]
    fn definition_string_forms() {
        let template = r#"{"Resources": {
          "Work": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "worker"}},
          "Plain": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
            "DefinitionString": "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Wait\", \"Seconds\": ${Delay}, \"End\": true}}}",
            "DefinitionSubstitutions": {"Delay": 5}}},
          "Subbed": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
            "StateMachineName": "subbed-machine",
            "DefinitionString": {"Fn::Sub": ["{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\", \"Resource\": \"${Fn}\", \"Comment\": \"${!Literal} in ${AWS::AccountId}\", \"End\": true}}}", {"Fn": {"Fn::GetAtt": ["Work", "Arn"]}}]}}},
          "Joined": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
            "DefinitionString": {"Fn::Join": ["", ["{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\", \"Resource\": \"", {"Ref": "Fn"}, "\", \"End\": true}}}"]]}}},
          "Broken": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": "{\"StartAt\": ${Nope"}},
          "Unbound": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Wait\", \"Seconds\": ${Delay}, \"End\": true}}}"}},
          "InS3": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionS3Location": {"Bucket": "b", "Key": "k", "Version": "3"}}},
          "Other": {"Type": "AWS::Lambda::Function"}}}"#;
        let all = found(template);
        let ids: Vec<&str> = all.iter().map(|f| f.logical_id.as_str()).collect();
        assert_eq!(ids, ["Plain", "Subbed", "Joined", "Broken", "Unbound", "InS3"]);
        assert_eq!(all[0].definition.get("States").unwrap().get("A").unwrap().get("Seconds"), Some(&Value::from(5)));
        let a = all[1].definition.get("States").unwrap().get("A").unwrap();
        assert_eq!(all[1].name, "subbed-machine");
        assert_eq!(a.get("Resource").unwrap().as_str(), Some("arn:aws:lambda:us-east-1:123456789012:function:worker"));
        assert_eq!(a.get("Comment").unwrap().as_str(), Some("${Literal} in 123456789012"));
        // Ref of a name the template does not have: marked, reported.
        assert_eq!(resource_of(&all[2].definition, "A"), r#""UNRESOLVED-Fn""#);
        let u = &all[2].unresolved[0];
        assert_eq!((u.placeholder.as_str(), u.line), ("!Ref Fn", Some(10)), "{u:?}");
        assert!(all[3].definition.is_null());
        assert!(all[3].notes[0].contains("not valid JSON or YAML"), "{:?}", all[3].notes);
        // A bare placeholder with no value: 1 where a number goes, so the machine still runs.
        assert_eq!(all[4].definition.get("States").unwrap().get("A").unwrap().get("Seconds"), Some(&Value::from(1)));
        assert_eq!(all[4].unresolved[0].placeholder, "${Delay}");
        assert_eq!(all[5].s3_location.as_deref(), Some("s3://b/k?versionId=3"));
        assert!(all[5].notes[0].contains("DefinitionS3Location: s3://b/k?versionId=3"), "{:?}", all[5].notes);
        let e = definition_from_text(template).unwrap_err();
        assert!(e.message.contains("4 state machines (Plain, Subbed, Joined, Unbound)"), "{e}");
    }

    #[test]
    fn cloudformation_yaml_with_a_definition_object() {
        let text = "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition:\n        StartAt: A\n        States:\n          A:\n            Type: Task\n            Resource: !GetAtt [Fn, Arn]\n            Parameters: {Name: !Join ['-', [a, !Ref B]], Az: !Select [0, !GetAZs '']}\n            End: true\n";
        let with_fn = text.replace(
            "Resources:\n",
            "Parameters:\n  B: {Type: String, Default: b}\nResources:\n  Fn: {Type: AWS::Lambda::Function}\n",
        );
        let d = definition_from_text(&with_fn).unwrap();
        let a = d.get("States").unwrap().get("A").unwrap();
        assert_eq!(a.get("Resource").unwrap().as_str(), Some("arn:aws:lambda:us-east-1:123456789012:function:Fn"));
        assert_eq!(a.get("Parameters").unwrap().to_string(), r#"{"Name":"a-b","Az":"us-east-1a"}"#);
        // Without the resource and the parameter: markers, and the Resource one still an ARN.
        let d = definition_from_text(text).unwrap();
        let a = d.get("States").unwrap().get("A").unwrap();
        assert_eq!(
            a.get("Resource").unwrap().as_str(),
            Some("arn:aws:lambda:us-east-1:123456789012:function:UNRESOLVED-Fn_Arn")
        );
        assert_eq!(a.get("Parameters").unwrap().get("Name").unwrap().as_str(), Some("a-UNRESOLVED-B"));
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
            e.message
                .contains("no inline state machine definition (M: The definition is in S3 (DefinitionUri: s3://b/k)"),
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
            r#"{"Payload.$":"$","FunctionName":"arn:aws:lambda:us-east-1:123456789012:function:StockCheckerFunction"}"#
        );
        assert_eq!(
            check.get("Retry").unwrap().to_string(),
            r#"[{"ErrorEquals":["Lambda.ServiceException","Lambda.AWSLambdaException"],"IntervalSeconds":2,"MaxAttempts":6,"BackoffRate":2}]"#
        );
        let record = states.get("Record Transaction").unwrap();
        assert_eq!(record.get("Resource").unwrap().as_str(), Some("arn:aws:states:::dynamodb:putItem"));
        assert_eq!(
            record.get("Parameters").unwrap().to_string(),
            r#"{"TableName":"UNRESOLVED-DDBTable","Item":{"Id":{"S.$":"$.id"},"Quantity":{"N.$":"States.Format('{}', $.qty)"}}}"#
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
