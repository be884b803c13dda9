//! The values a CloudFormation/SAM template resolves at deploy time, resolved as the deployed
//! stack would have them: `Ref` of a parameter is its `Default`, `Ref`/`Fn::GetAtt` of a resource
//! a value in that resource type's format (`resources.rs`), pseudo parameters (`AWS::Region`...)
//! come from the [`Deployment`], and `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`,
//! `Fn::FindInMap`, `Fn::If` (with the template's `Conditions`), `Fn::Base64`, `Fn::GetAZs`,
//! `Fn::ToJsonString` and `Fn::Length` are evaluated. Values the user gives
//! ([`Deployment::params`]) win over all of these. What cannot be known here (`Fn::ImportValue`
//! of another stack, a parameter without a default, a resource type not in the table) is an
//! [`Unknown`] saying why, for the caller to report and replace.
//!
//! Also here: [`ProjectFiles`], where the files a template names (`DefinitionUri`) come from.

use super::resources::{self, Env};
use crate::engine::ExecutionIds;
use crate::json;
use crate::value::{Map, Value};

/// How deep intrinsic functions may nest, and names refer to names, before the resolver gives up.
const MAX_DEPTH: usize = 64;

/// What the deployed stack would know: where it is deployed, its name, and the values the user
/// gives for parameters, `DefinitionSubstitutions` entries, placeholders or pseudo parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deployment {
    /// `AWS::AccountId`.
    pub account_id: String,
    /// `AWS::Region`.
    pub region: String,
    /// `AWS::Partition`.
    pub partition: String,
    /// `AWS::StackName`.
    pub stack_name: String,
    /// Values given by name (`--param Name=Value` on the command line, the page's substitutions
    /// panel). A name may be a template parameter, a `DefinitionSubstitutions` key, a `${name}`
    /// placeholder of a definition, a pseudo parameter (`AWS::Region`) or the export name of an
    /// `Fn::ImportValue`; a given value wins over what the template says.
    pub params: Vec<(String, String)>,
}

impl Default for Deployment {
    fn default() -> Deployment {
        Deployment::from_ids(&ExecutionIds::default())
    }
}

impl Deployment {
    /// The deployment an execution with these ids runs in (its account, region and partition),
    /// as the stack `aslplay`, with no given values.
    pub fn from_ids(ids: &ExecutionIds) -> Deployment {
        Deployment {
            account_id: ids.account_id.clone(),
            region: ids.region.clone(),
            partition: ids.partition.clone(),
            stack_name: "aslplay".to_string(),
            params: Vec::new(),
        }
    }

    /// A deployment from JSON: `{"params": {name: value}, "accountId", "region", "partition",
    /// "stackName"}`, each optional (the default's values otherwise; members of the wrong type
    /// are ignored).
    pub fn from_value(options: &Value) -> Deployment {
        let mut d = Deployment { params: text_pairs(options.get("params")), ..Deployment::default() };
        for (key, field) in [
            ("accountId", &mut d.account_id),
            ("region", &mut d.region),
            ("partition", &mut d.partition),
            ("stackName", &mut d.stack_name),
        ] {
            if let Some(v) = options.get(key).and_then(Value::as_str).filter(|v| !v.is_empty()) {
                *field = v.to_string();
            }
        }
        d
    }

    /// The value given for `name`, if any (the last one given wins).
    pub fn given(&self, name: &str) -> Option<&str> {
        self.params.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The value of a pseudo parameter (`AWS::Region`, `AWS::AccountId`, `AWS::Partition`,
    /// `AWS::StackName`, `AWS::URLSuffix`, `AWS::StackId`), a given value first; `None` for
    /// any other name.
    pub fn pseudo(&self, name: &str) -> Option<String> {
        if let Some(v) = self.given(name).filter(|_| name.starts_with("AWS::")) {
            return Some(v.to_string());
        }
        let env = self.env_values();
        Some(match name {
            "AWS::Region" => env.1,
            "AWS::AccountId" => env.2,
            "AWS::Partition" => env.0,
            "AWS::StackName" => self.given("AWS::StackName").unwrap_or(&self.stack_name).to_string(),
            "AWS::URLSuffix" => env.3,
            "AWS::StackId" => {
                let stack = self.pseudo("AWS::StackName")?;
                let digest = resources::digest_hex(&stack);
                let d = &digest;
                format!(
                    "arn:{}:cloudformation:{}:{}:stack/{stack}/{}-{}-{}-{}-{}",
                    env.0,
                    env.1,
                    env.2,
                    &d[..8],
                    &d[8..12],
                    &d[12..16],
                    &d[16..20],
                    &d[20..32]
                )
            }
            _ => return None,
        })
    }

    /// These ids with the account, region and partition given as pseudo parameters, so the
    /// execution runs where the template's ARNs point.
    pub fn execution_ids(&self, mut ids: ExecutionIds) -> ExecutionIds {
        let (partition, region, account, _) = self.env_values();
        (ids.partition, ids.region, ids.account_id) = (partition, region, account);
        ids
    }

    /// Partition, region, account and URL suffix, given values first.
    fn env_values(&self) -> (String, String, String, String) {
        let pick = |name: &str, default: &str| self.given(name).unwrap_or(default).to_string();
        let partition = pick("AWS::Partition", &self.partition);
        let suffix = if partition == "aws-cn" { "amazonaws.com.cn" } else { "amazonaws.com" };
        (
            partition,
            pick("AWS::Region", &self.region),
            pick("AWS::AccountId", &self.account_id),
            pick("AWS::URLSuffix", suffix),
        )
    }
}

/// Where the files a template names (`DefinitionUri: statemachine/flow.asl.json`) come from:
/// the command line reads them from disk next to the template, the page from the files the user
/// gave it.
pub trait ProjectFiles {
    /// The text of the file at `path`, as the template writes it (relative to the template's
    /// folder): `Ok(None)` when there is no such file, `Err(why)` when it cannot be read.
    fn read(&self, path: &str) -> Result<Option<String>, String>;
}

/// No files: every `DefinitionUri` is missing.
pub struct NoFiles;

impl ProjectFiles for NoFiles {
    fn read(&self, _: &str) -> Result<Option<String>, String> {
        Ok(None)
    }
}

impl<F: Fn(&str) -> Result<Option<String>, String>> ProjectFiles for F {
    fn read(&self, path: &str) -> Result<Option<String>, String> {
        self(path)
    }
}

/// Files given by name (what a user dropped on the page): a path the template names finds the
/// file of the same path (`./` and `\` aside), or else the only file with the same file name,
/// since a browser gives the names of dropped files without their folders.
#[derive(Clone, Debug, Default)]
pub struct FileMap(pub Vec<(String, String)>);

impl FileMap {
    /// Files from a JSON object of paths to texts (members that are not text are ignored).
    pub fn from_value(files: Option<&Value>) -> FileMap {
        FileMap(text_pairs(files))
    }
}

/// The text members of a JSON object, as (name, text) pairs.
fn text_pairs(v: Option<&Value>) -> Vec<(String, String)> {
    v.and_then(Value::as_object)
        .map(|m| m.iter().filter_map(|(k, v)| Some((k.to_string(), v.as_str()?.to_string()))).collect())
        .unwrap_or_default()
}

impl ProjectFiles for FileMap {
    fn read(&self, path: &str) -> Result<Option<String>, String> {
        let wanted = normalize(path);
        if let Some((_, text)) = self.0.iter().find(|(p, _)| normalize(p) == wanted) {
            return Ok(Some(text.clone()));
        }
        let base = |p: &str| p.rsplit('/').next().unwrap_or_default().to_string();
        let same: Vec<&(String, String)> =
            self.0.iter().filter(|(p, _)| base(&normalize(p)) == base(&wanted)).collect();
        match same.as_slice() {
            [(_, text)] => Ok(Some(text.clone())),
            [] => Ok(None),
            several => Err(format!(
                "{} files are named {} ({}): give the one at {path}",
                several.len(),
                base(&wanted),
                several.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>().join(", ")
            )),
        }
    }
}

/// A relative path with `/` separators and no `./` steps.
fn normalize(path: &str) -> String {
    let unified = path.replace('\\', "/");
    let parts: Vec<&str> = unified.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    parts.join("/")
}

/// A value that gives a placeholder its text, with where it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Substitution {
    /// The name: a `DefinitionSubstitutions` key, a template parameter, a pseudo parameter
    /// (`AWS::Region`) or a placeholder nothing declares.
    pub name: String,
    /// The text it stands for; `None` when nothing resolves it.
    pub value: Option<String>,
    /// What the template says it is, in a few words: `!GetAtt Fn.Arn`, `Default of parameter
    /// Stage`, `pseudo parameter`; or why it has no value.
    pub source: String,
    /// What kind of name it is.
    pub kind: SubstitutionKind,
    /// Whether the value was given by the user ([`Deployment::params`]) rather than resolved.
    pub given: bool,
}

/// What kind of name a [`Substitution`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubstitutionKind {
    /// A key of the state machine's `DefinitionSubstitutions`.
    DefinitionSubstitution,
    /// A template parameter a value was resolved from.
    Parameter,
    /// A pseudo parameter (`AWS::Region`...).
    Pseudo,
    /// A `${name}` in the definition that nothing in the template declares.
    Placeholder,
}

impl Substitution {
    /// `{"name", "value", "source", "kind", "given"}` (`value` null when nothing resolves it).
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("name", Value::from(self.name.as_str()));
        m.insert("value", self.value.as_deref().map_or(Value::Null, Value::from));
        m.insert("source", Value::from(self.source.as_str()));
        m.insert("kind", Value::from(self.kind.as_str()));
        m.insert("given", Value::from(self.given));
        Value::from(m)
    }
}

impl SubstitutionKind {
    /// `substitution`, `parameter`, `pseudo` or `placeholder`.
    pub fn as_str(self) -> &'static str {
        match self {
            SubstitutionKind::DefinitionSubstitution => "substitution",
            SubstitutionKind::Parameter => "parameter",
            SubstitutionKind::Pseudo => "pseudo",
            SubstitutionKind::Placeholder => "placeholder",
        }
    }
}

/// Something the resolver could not know, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Unknown {
    /// The intrinsic as written: `!ImportValue Shared`, `!Ref Missing`, `!GetAtt Fn.Nope`.
    pub what: String,
    /// Why, in a sentence.
    pub why: String,
    /// The name a value can be given under ([`Deployment::params`]): the parameter or resource
    /// of a `Ref`, `Resource.Attribute` of a `Fn::GetAtt`, the export of a `Fn::ImportValue`.
    pub name: Option<String>,
}

impl Unknown {
    fn new(what: impl Into<String>, why: impl Into<String>) -> Unknown {
        Unknown { what: what.into(), why: why.into(), name: None }
    }

    fn named(self, name: impl Into<String>) -> Unknown {
        Unknown { name: Some(name.into()), ..self }
    }
}

/// Is this object an intrinsic function call (`{"Ref": ...}`, `{"Fn::...": ...}`, `{"Condition": ...}`)?
pub(super) fn intrinsic(v: &Value) -> Option<(&str, &Value)> {
    let m = v.as_object()?;
    if m.len() != 1 {
        return None;
    }
    let (k, arg) = m.iter().next()?;
    (&**k == "Ref" || k.starts_with("Fn::")).then_some((&**k, arg))
}

/// A template value in a few words, the way YAML's short form writes it: `!GetAtt Fn.Arn`,
/// `!Ref Table`, `!Sub 'arn:${AWS::Partition}:...'`, or the literal.
pub(super) fn describe(v: &Value) -> String {
    let text = match intrinsic(v) {
        Some(("Ref", Value::String(s))) => format!("!Ref {s}"),
        Some(("Fn::GetAtt", arg)) => match arg {
            Value::String(s) => format!("!GetAtt {s}"),
            Value::Array(a) => {
                let parts: Vec<String> =
                    a.iter().map(|p| p.as_str().map_or_else(|| describe(p), String::from)).collect();
                format!("!GetAtt {}", parts.join("."))
            }
            other => format!("!GetAtt {}", json::to_string(other)),
        },
        Some((name, Value::String(s))) => format!("!{} '{s}'", name.trim_start_matches("Fn::")),
        Some((name, arg)) => format!("!{} {}", name.trim_start_matches("Fn::"), json::to_string(arg)),
        None => match v {
            Value::String(s) => s.to_string(),
            other => json::to_string(other),
        },
    };
    match text.char_indices().nth(100) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text,
    }
}

/// `{name: arg}`: an intrinsic function call as a value.
fn single(name: &str, arg: &Value) -> Value {
    let mut m = Map::with_capacity(1);
    m.insert(name, arg.clone());
    Value::from(m)
}

/// A resolved value as the text a placeholder takes: strings as they are, other values as JSON.
pub(super) fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::Null => String::new(),
        other => json::to_string(other),
    }
}

/// Resolves a template's intrinsic functions.
pub(super) struct Resolver<'a> {
    template: &'a Value,
    deployment: &'a Deployment,
    /// The parameters and pseudo parameters consulted, in first-use order.
    pub used: Vec<Substitution>,
    /// Placeholders of `Fn::Sub` texts that nothing resolved: left as `${name}` in the text.
    pub left: Vec<Unknown>,
    /// Logical ids whose name is being resolved (a name that refers to itself stops here).
    naming: Vec<String>,
    /// Whether `Fn::Sub`'s `${!Literal}` becomes [`LITERAL_OPEN`]`Literal}` rather than
    /// `${Literal}`, so that a definition's own placeholder pass leaves it alone.
    pub mark_literals: bool,
    /// Whether a `Ref`/`Fn::GetAtt`/... that cannot be resolved inside an `Fn::Join` list or an
    /// `Fn::Sub` variable becomes its marker text (and is listed in [`Resolver::marked`]) rather
    /// than failing the whole value: a definition then still reads.
    pub lenient: bool,
    /// What [`Resolver::lenient`] replaced by markers.
    pub marked: Vec<Unknown>,
}

/// What `${!Name}` of an `Fn::Sub` becomes while a definition is being filled: a `$` and a
/// private-use character no placeholder scan matches; [`restore_literals`] makes it `${`.
pub(super) const LITERAL_OPEN: &str = "$\u{E000}{";

/// Every [`LITERAL_OPEN`] in the strings and keys of a value back to `${`.
pub(super) fn restore_literals(v: &Value, depth: usize) -> Value {
    match v {
        Value::String(s) if s.contains(LITERAL_OPEN) => Value::from(s.replace(LITERAL_OPEN, "${")),
        Value::Array(items) if depth < 512 => {
            Value::from(items.iter().map(|i| restore_literals(i, depth + 1)).collect::<Vec<_>>())
        }
        Value::Object(m) if depth < 512 => {
            let mut out = Map::with_capacity(m.len());
            for (k, val) in m.iter() {
                out.insert(k.replace(LITERAL_OPEN, "${"), restore_literals(val, depth + 1));
            }
            Value::from(out)
        }
        other => other.clone(),
    }
}

impl<'a> Resolver<'a> {
    pub fn new(template: &'a Value, deployment: &'a Deployment) -> Resolver<'a> {
        Resolver {
            template,
            deployment,
            used: Vec::new(),
            left: Vec::new(),
            naming: Vec::new(),
            mark_literals: false,
            lenient: false,
            marked: Vec::new(),
        }
    }

    fn section(&self, name: &str) -> Option<&'a Map> {
        self.template.get(name).and_then(Value::as_object).map(|m| &**m)
    }

    fn env(&self) -> (String, String, String, String) {
        self.deployment.env_values()
    }

    fn note_used(&mut self, name: &str, value: &str, source: String, kind: SubstitutionKind, given: bool) {
        if !self.used.iter().any(|u| u.name == name) {
            self.used.push(Substitution {
                name: name.to_string(),
                value: Some(value.to_string()),
                source,
                kind,
                given,
            });
        }
    }

    /// A pseudo parameter's value, noted as used.
    pub fn pseudo(&mut self, name: &str) -> Option<String> {
        let v = self.deployment.pseudo(name)?;
        let given = self.deployment.given(name).is_some();
        self.note_used(name, &v, "pseudo parameter".to_string(), SubstitutionKind::Pseudo, given);
        Some(v)
    }

    /// Evaluates every intrinsic function in a template value.
    pub fn eval(&mut self, v: &Value, depth: usize) -> Result<Value, Unknown> {
        if depth > MAX_DEPTH {
            return Err(Unknown::new(describe(v), "intrinsic functions nest too deeply"));
        }
        if let Some((name, arg)) = intrinsic(v) {
            return self.call(name, arg, depth + 1);
        }
        match v {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items.iter() {
                    out.push(self.eval(item, depth + 1)?);
                }
                Ok(Value::from(out))
            }
            Value::Object(m) => {
                let mut out = Map::with_capacity(m.len());
                for (k, val) in m.iter() {
                    out.insert(k.to_string(), self.eval(val, depth + 1)?);
                }
                Ok(Value::from(out))
            }
            other => Ok(other.clone()),
        }
    }

    /// A part of a text being built (a `Fn::Join` item, a `Fn::Sub` variable): when
    /// [`Resolver::lenient`], what cannot be resolved becomes its marker text.
    fn eval_part(&mut self, v: &Value, depth: usize) -> Result<Value, Unknown> {
        match self.eval(v, depth) {
            Err(unknown) if self.lenient => {
                let text = super::placeholders::marker_text(unknown.name.as_deref().unwrap_or(&unknown.what));
                self.marked.push(unknown);
                Ok(Value::from(text))
            }
            other => other,
        }
    }

    fn text_arg(&mut self, v: &Value, depth: usize, what: &str) -> Result<String, Unknown> {
        match self.eval(v, depth)? {
            Value::String(s) => Ok(s.to_string()),
            Value::Number(n) => Ok(Value::Number(n).to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            other => Err(Unknown::new(what, format!("{what} needs text here, not {}", other.type_name()))),
        }
    }

    fn list_arg(&mut self, v: &Value, depth: usize, what: &str) -> Result<Vec<Value>, Unknown> {
        match self.eval(v, depth)? {
            Value::Array(a) => Ok(a.to_vec()),
            other => Err(Unknown::new(what, format!("{what} needs a list here, not {}", other.type_name()))),
        }
    }

    fn call(&mut self, name: &str, arg: &Value, depth: usize) -> Result<Value, Unknown> {
        let what = describe(&single(name, arg));
        let bad = |why: &str| Err(Unknown::new(what.clone(), why.to_string()));
        match name {
            "Ref" => match arg {
                Value::String(s) => self.reference(s, depth),
                _ => bad("Ref takes a name"),
            },
            "Fn::GetAtt" => {
                let (id, attr) = match arg {
                    Value::String(s) => match s.split_once('.') {
                        Some((a, b)) => (a.to_string(), b.to_string()),
                        None => return bad("Fn::GetAtt takes Resource.Attribute"),
                    },
                    Value::Array(a) if a.len() == 2 => {
                        let id = self.text_arg(&a[0], depth, &what)?;
                        let attr = self.text_arg(&a[1], depth, &what)?;
                        (id, attr)
                    }
                    _ => return bad("Fn::GetAtt takes [Resource, Attribute]"),
                };
                self.attribute(&id, &attr, depth).map(Value::from)
            }
            "Fn::Sub" => {
                let (text, vars) = match arg {
                    Value::String(s) => (s.to_string(), Map::new()),
                    Value::Array(a) if a.len() == 2 => {
                        let Some(text) = a[0].as_str() else { return bad("Fn::Sub takes a text") };
                        let Some(vars) = a[1].as_object() else { return bad("Fn::Sub's variables are a map") };
                        let mut out = Map::new();
                        for (k, v) in vars.iter() {
                            let value = self.eval_part(v, depth)?;
                            out.insert(k.to_string(), Value::from(as_text(&value)));
                        }
                        (text.to_string(), out)
                    }
                    _ => return bad("Fn::Sub takes a text, or [text, variables]"),
                };
                Ok(Value::from(self.sub(&text, &vars, depth)))
            }
            "Fn::Join" => {
                let Some([sep, list]) =
                    arg.as_array().map(|a| a.as_slice()).and_then(|a| <&[Value; 2]>::try_from(a).ok())
                else {
                    return bad("Fn::Join takes [delimiter, list]");
                };
                let sep = self.text_arg(sep, depth, &what)?;
                let items = match list {
                    Value::Array(items) => {
                        let mut out = Vec::with_capacity(items.len());
                        for item in items.iter() {
                            out.push(self.eval_part(item, depth)?);
                        }
                        out
                    }
                    other => self.list_arg(other, depth, &what)?,
                };
                Ok(Value::from(items.iter().map(as_text).collect::<Vec<_>>().join(&sep)))
            }
            "Fn::Select" => {
                let Some([index, list]) =
                    arg.as_array().map(|a| a.as_slice()).and_then(|a| <&[Value; 2]>::try_from(a).ok())
                else {
                    return bad("Fn::Select takes [index, list]");
                };
                let index = self.text_arg(index, depth, &what)?;
                let items = self.list_arg(list, depth, &what)?;
                match index.trim().parse::<usize>().ok().and_then(|i| items.get(i)) {
                    Some(v) => Ok(v.clone()),
                    None => bad(&format!("Fn::Select: index {index} is not in a list of {}", items.len())),
                }
            }
            "Fn::Split" => {
                let Some([sep, text]) =
                    arg.as_array().map(|a| a.as_slice()).and_then(|a| <&[Value; 2]>::try_from(a).ok())
                else {
                    return bad("Fn::Split takes [delimiter, text]");
                };
                let sep = self.text_arg(sep, depth, &what)?;
                let text = self.text_arg(text, depth, &what)?;
                if sep.is_empty() {
                    return bad("Fn::Split needs a delimiter");
                }
                Ok(Value::from(text.split(sep.as_str()).map(Value::from).collect::<Vec<_>>()))
            }
            "Fn::FindInMap" => {
                let Some(args) = arg.as_array().filter(|a| a.len() >= 3) else {
                    return bad("Fn::FindInMap takes [map, key, key]");
                };
                let mut keys = Vec::new();
                for a in args.iter().take(3) {
                    keys.push(self.text_arg(a, depth, &what)?);
                }
                let found = self
                    .section("Mappings")
                    .and_then(|m| m.get(&keys[0]))
                    .and_then(|m| m.get(&keys[1]))
                    .and_then(|m| m.get(&keys[2]));
                match found {
                    Some(v) => self.eval(v, depth),
                    None => match args.get(3).and_then(|o| o.get("DefaultValue")) {
                        Some(default) => self.eval(default, depth),
                        None => bad(&format!("Mappings has no {}.{}.{}", keys[0], keys[1], keys[2])),
                    },
                }
            }
            "Fn::If" => {
                let Some([cond, yes, no]) =
                    arg.as_array().map(|a| a.as_slice()).and_then(|a| <&[Value; 3]>::try_from(a).ok())
                else {
                    return bad("Fn::If takes [condition, value if true, value if false]");
                };
                let Some(cond) = cond.as_str() else { return bad("Fn::If names a condition") };
                if self.condition(cond, depth)? {
                    self.eval(yes, depth)
                } else {
                    self.eval(no, depth)
                }
            }
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" | "Condition" => {
                self.truth(&single(name, arg), depth).map(Value::from)
            }
            "Fn::Base64" => {
                let text = self.text_arg(arg, depth, &what)?;
                Ok(Value::from(crate::base64::encode(text.as_bytes())))
            }
            "Fn::GetAZs" => {
                let region = self.text_arg(arg, depth, &what)?;
                let region = if region.is_empty() { self.pseudo("AWS::Region").unwrap_or_default() } else { region };
                Ok(Value::from(["a", "b", "c"].iter().map(|z| Value::from(format!("{region}{z}"))).collect::<Vec<_>>()))
            }
            "Fn::ToJsonString" => {
                let v = self.eval(arg, depth)?;
                Ok(Value::from(json::to_string(&v)))
            }
            "Fn::Length" => {
                let items = self.list_arg(arg, depth, &what)?;
                Ok(Value::from(items.len()))
            }
            "Fn::ImportValue" => {
                let export = self.text_arg(arg, depth, &what)?;
                match self.deployment.given(&export) {
                    Some(v) => {
                        let v = v.to_string();
                        self.note_used(&export, &v, what.clone(), SubstitutionKind::Parameter, true);
                        Ok(Value::from(v))
                    }
                    None => Err(Unknown::new(
                        what.clone(),
                        format!("the value {export} is exported by another stack: give a value for {export}"),
                    )
                    .named(export)),
                }
            }
            other => bad(&format!("{other} is not resolved here")),
        }
    }

    /// A condition of the template's `Conditions`.
    fn condition(&mut self, name: &str, depth: usize) -> Result<bool, Unknown> {
        let Some(c) = self.section("Conditions").and_then(|m| m.get(name)) else {
            return Err(Unknown::new(format!("!If {name}"), format!("the template has no condition {name}")));
        };
        if depth > MAX_DEPTH {
            return Err(Unknown::new(format!("!Condition {name}"), "conditions refer to each other too deeply"));
        }
        self.truth(c, depth + 1)
    }

    /// The truth of a condition function.
    fn truth(&mut self, v: &Value, depth: usize) -> Result<bool, Unknown> {
        let what = describe(v);
        let Some((name, arg)) = intrinsic(v).or_else(|| {
            let m = v.as_object()?;
            let (k, a) = m.iter().next().filter(|_| m.len() == 1)?;
            (&**k == "Condition").then_some((&**k, a))
        }) else {
            return match v {
                Value::Bool(b) => Ok(*b),
                Value::String(s) if &**s == "true" || &**s == "false" => Ok(&**s == "true"),
                _ => Err(Unknown::new(what, "not a condition")),
            };
        };
        let items = || arg.as_array().map(|a| a.to_vec()).unwrap_or_default();
        match name {
            "Condition" => match arg.as_str() {
                Some(c) => self.condition(c, depth),
                None => Err(Unknown::new(what, "Condition names a condition")),
            },
            "Fn::Equals" => {
                let [a, b] =
                    <[Value; 2]>::try_from(items()).map_err(|_| Unknown::new(&what, "Fn::Equals takes two values"))?;
                Ok(as_text(&self.eval(&a, depth)?) == as_text(&self.eval(&b, depth)?))
            }
            "Fn::Not" => match items().as_slice() {
                [c] => Ok(!self.truth(c, depth + 1)?),
                _ => Err(Unknown::new(what, "Fn::Not takes one condition")),
            },
            "Fn::And" | "Fn::Or" => {
                let mut all = Vec::new();
                for c in items() {
                    all.push(self.truth(&c, depth + 1)?);
                }
                Ok(if name == "Fn::And" { all.iter().all(|b| *b) } else { all.iter().any(|b| *b) })
            }
            _ => Ok(as_text(&self.eval(v, depth)?) == "true"),
        }
    }

    /// `Ref name`: a given value, a pseudo parameter, a parameter's default, or a resource's
    /// reference value.
    pub fn reference(&mut self, name: &str, depth: usize) -> Result<Value, Unknown> {
        let what = format!("!Ref {name}");
        if name == "AWS::NoValue" {
            return Ok(Value::Null);
        }
        if name == "AWS::NotificationARNs" {
            return Ok(Value::from(Vec::<Value>::new()));
        }
        if let Some(v) = self.pseudo(name) {
            return Ok(Value::from(v));
        }
        if let Some(parameter) = self.section("Parameters").and_then(|p| p.get(name)) {
            let list = parameter
                .get("Type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.starts_with("List<") || t == "CommaDelimitedList");
            let (text, source, given) = match (self.deployment.given(name), parameter.get("Default")) {
                (Some(v), _) => (v.to_string(), "given".to_string(), true),
                (None, Some(d)) => (as_text(d), format!("Default of parameter {name}"), false),
                (None, None) => {
                    return Err(Unknown::new(
                        what,
                        format!("the parameter {name} has no Default: give a value for {name}"),
                    )
                    .named(name))
                }
            };
            self.note_used(name, &text, source, SubstitutionKind::Parameter, given);
            return Ok(if list {
                Value::from(text.split(',').map(|s| Value::from(s.trim())).collect::<Vec<_>>())
            } else {
                Value::from(text)
            });
        }
        if let Some(v) = self.deployment.given(name) {
            return Ok(Value::from(v));
        }
        let Some(resource) = self.section("Resources").and_then(|r| r.get(name)) else {
            return Err(
                Unknown::new(what, format!("the template has no parameter or resource named {name}")).named(name)
            );
        };
        let kind = resource.get("Type").and_then(Value::as_str).unwrap_or_default();
        let physical = self.physical_name(name, depth)?;
        let (p, r, a, s) = self.env();
        let env = Env { partition: &p, region: &r, account: &a, url_suffix: &s };
        match resources::reference(kind, name, &physical, &env) {
            Some(v) => Ok(Value::from(v)),
            None => {
                Err(Unknown::new(what, format!("aslplay does not know what Ref of a {kind} resource gives"))
                    .named(name))
            }
        }
    }

    /// `Fn::GetAtt resource.attribute`.
    pub fn attribute(&mut self, id: &str, attr: &str, depth: usize) -> Result<String, Unknown> {
        let what = format!("!GetAtt {id}.{attr}");
        if let Some(v) = self.deployment.given(&format!("{id}.{attr}")) {
            return Ok(v.to_string());
        }
        let Some(resource) = self.section("Resources").and_then(|r| r.get(id)) else {
            return Err(
                Unknown::new(what, format!("the template has no resource named {id}")).named(format!("{id}.{attr}"))
            );
        };
        let kind = resource.get("Type").and_then(Value::as_str).unwrap_or_default();
        let physical = self.physical_name(id, depth)?;
        let (p, r, a, s) = self.env();
        let env = Env { partition: &p, region: &r, account: &a, url_suffix: &s };
        match resources::attribute(kind, id, &physical, attr, &env) {
            Some(v) => Ok(v),
            None if resources::is_known(kind) => Err(Unknown::new(
                what,
                format!(
                    "a {kind} has no attribute {attr} known here (known: {})",
                    resources::attribute_names(kind).join(", ")
                ),
            )
            .named(format!("{id}.{attr}"))),
            None => Err(Unknown::new(what, format!("aslplay does not know the attributes of a {kind} resource"))
                .named(format!("{id}.{attr}"))),
        }
    }

    /// The name a resource is deployed under: its name property when it resolves, else its
    /// logical id (a FIFO queue's ends in `.fifo`).
    pub fn physical_name(&mut self, id: &str, depth: usize) -> Result<String, Unknown> {
        let resource = self.section("Resources").and_then(|r| r.get(id)).cloned().unwrap_or(Value::Null);
        let kind = resource.get("Type").and_then(Value::as_str).unwrap_or_default().to_string();
        let named = resources::name_property(&kind).and_then(|p| resource.get("Properties")?.get(p).cloned());
        if let Some(named) = named {
            if self.naming.iter().any(|n| n == id) || depth > MAX_DEPTH {
                return Err(Unknown::new(format!("!Ref {id}"), format!("the name of {id} refers to itself")));
            }
            self.naming.push(id.to_string());
            let name = self.eval(&named, depth + 1);
            self.naming.pop();
            return name.map(|v| as_text(&v));
        }
        let mut name = resources::default_name(&kind, id);
        let fifo = resource.get("Properties").and_then(|p| p.get("FifoQueue"));
        if kind == "AWS::SQS::Queue" && fifo.is_some_and(|f| as_text(f) == "true") {
            name.push_str(".fifo");
        }
        Ok(name)
    }

    /// `Fn::Sub` text: `${name}` from the variables, then as `Ref name`; `${Resource.Attr}` as
    /// `Fn::GetAtt`; `${!Literal}` is `${Literal}`. A name nothing resolves stays `${name}` in
    /// the text and is listed in [`Resolver::left`].
    pub fn sub(&mut self, text: &str, vars: &Map, depth: usize) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(i) = rest.find("${") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[i..]);
                return out;
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str(if self.mark_literals { LITERAL_OPEN } else { "${" });
                out.push_str(literal);
                out.push('}');
                continue;
            }
            let value = match vars.get(name) {
                Some(v) => Ok(as_text(v)),
                None => match name.split_once('.').filter(|(id, _)| self.is_resource(id)) {
                    Some((id, attr)) => self.attribute(id, attr, depth + 1),
                    None => self.reference(name, depth + 1).map(|v| match v {
                        Value::Array(items) => items.iter().map(as_text).collect::<Vec<_>>().join(","),
                        other => as_text(&other),
                    }),
                },
            };
            match value {
                Ok(v) => out.push_str(&v),
                Err(unknown) => {
                    out.push_str("${");
                    out.push_str(name);
                    out.push('}');
                    if !self.left.contains(&unknown) {
                        self.left.push(unknown);
                    }
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn is_resource(&self, id: &str) -> bool {
        self.section("Resources").is_some_and(|r| r.get(id).is_some())
    }

    /// Whether the template declares a parameter of this name.
    pub fn is_parameter(&self, name: &str) -> bool {
        self.section("Parameters").is_some_and(|p| p.get(name).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = r#"
Parameters:
  Stage: {Type: String, Default: dev}
  Subnets: {Type: CommaDelimitedList, Default: "subnet-1, subnet-2"}
  NoDefault: {Type: String}
Mappings:
  Sizes: {dev: {Memory: 128}, prod: {Memory: 1024}}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  NotProd: !Not [!Condition IsProd]
Resources:
  Fn: {Type: AWS::Serverless::Function}
  Named: {Type: AWS::Lambda::Function, Properties: {FunctionName: !Sub "${AWS::StackName}-${Stage}-worker"}}
  Loop: {Type: AWS::SQS::Queue, Properties: {QueueName: !GetAtt Loop.QueueName}}
  Fifo: {Type: AWS::SQS::Queue, Properties: {FifoQueue: true}}
  Odd: {Type: AWS::Custom::Thing}
"#;

    fn eval(yaml: &str, deployment: &Deployment) -> Result<Value, Unknown> {
        let template = crate::import::parse_yaml(TEMPLATE).unwrap();
        let v = crate::import::parse_yaml(yaml).unwrap();
        Resolver::new(&template, deployment).eval(&v, 0)
    }

    fn text(yaml: &str) -> String {
        as_text(&eval(yaml, &Deployment::default()).unwrap_or_else(|e| panic!("{e:?}")))
    }

    #[test]
    fn intrinsics_resolve_as_the_deployed_stack_would() {
        assert_eq!(text("!Ref Stage"), "dev");
        assert_eq!(text("!Ref Fn"), "Fn");
        assert_eq!(text("!GetAtt Fn.Arn"), "arn:aws:lambda:us-east-1:123456789012:function:Fn");
        assert_eq!(text("!GetAtt [Named, Arn]"), "arn:aws:lambda:us-east-1:123456789012:function:aslplay-dev-worker");
        assert_eq!(text("!Ref Fifo"), "https://sqs.us-east-1.amazonaws.com/123456789012/Fifo.fifo");
        assert_eq!(
            text("!Sub '${AWS::Partition}:${AWS::URLSuffix}:${!Literal}:${Fn.Arn}'"),
            "aws:amazonaws.com:${Literal}:arn:aws:lambda:us-east-1:123456789012:function:Fn"
        );
        assert_eq!(text("!Sub ['${A}-${B}', {A: !Ref Stage, B: 2}]"), "dev-2");
        assert_eq!(text("!Join ['/', [a, !Ref Stage, !Select [1, !Ref Subnets]]]"), "a/dev/subnet-2");
        assert_eq!(text("!Join [',', !Split ['|', 'x|y']]"), "x,y");
        assert_eq!(text("!FindInMap [Sizes, !Ref Stage, Memory]"), "128");
        assert_eq!(text("!If [IsProd, big, small]"), "small");
        assert_eq!(text("!If [NotProd, big, small]"), "big");
        assert_eq!(text("!Base64 hi"), "aGk=");
        assert_eq!(text("!Select [0, !GetAZs '']"), "us-east-1a");
        assert!(text("!Ref AWS::StackId").starts_with("arn:aws:cloudformation:us-east-1:123456789012:stack/aslplay/"));
    }

    #[test]
    fn given_values_win() {
        let d = Deployment {
            params: vec![
                ("Stage".into(), "prod".into()),
                ("AWS::Region".into(), "eu-west-1".into()),
                ("Shared".into(), "arn:shared".into()),
            ],
            ..Deployment::default()
        };
        let t = |y: &str| as_text(&eval(y, &d).unwrap());
        assert_eq!(t("!GetAtt Fn.Arn"), "arn:aws:lambda:eu-west-1:123456789012:function:Fn");
        assert_eq!(t("!If [IsProd, big, small]"), "big");
        assert_eq!(t("!FindInMap [Sizes, !Ref Stage, Memory]"), "1024");
        assert_eq!(t("!ImportValue Shared"), "arn:shared");
        assert_eq!(d.execution_ids(ExecutionIds::default()).region, "eu-west-1");
    }

    #[test]
    fn what_cannot_be_known_says_why() {
        let d = Deployment::default();
        let why = |y: &str| eval(y, &d).unwrap_err();
        assert_eq!(why("!Ref NoDefault").why, "the parameter NoDefault has no Default: give a value for NoDefault");
        assert_eq!(why("!Ref Nothing").what, "!Ref Nothing");
        assert!(why("!GetAtt Fn.Nope").why.contains("no attribute Nope"));
        assert!(why("!Ref Odd").why.contains("AWS::Custom::Thing"));
        assert!(why("!ImportValue Other").why.contains("exported by another stack"));
        assert!(why("!Ref Loop").why.contains("refers to itself"));
        // In Fn::Sub, what is unknown stays as a placeholder and is listed.
        let template = crate::import::parse_yaml(TEMPLATE).unwrap();
        let mut r = Resolver::new(&template, &d);
        assert_eq!(r.sub("${Stage}-${Missing}", &Map::new(), 0), "dev-${Missing}");
        assert_eq!(r.left.len(), 1);
        assert_eq!(r.used[0].name, "Stage");
    }

    #[test]
    fn hostile_templates_end_in_unknowns_not_panics_or_hangs() {
        let template = crate::import::parse_yaml(
            "Conditions:\n  A: !Condition B\n  B: !Condition A\nResources:\n  X: {Type: AWS::SQS::Queue, Properties: {QueueName: !Ref Y}}\n  Y: {Type: AWS::SQS::Queue, Properties: {QueueName: !GetAtt X.QueueName}}\n",
        )
        .unwrap();
        let d = Deployment::default();
        let mut r = Resolver::new(&template, &d);
        for yaml in [
            "!If [A, 1, 2]",
            "!Ref X",
            "!Select [99, [a]]",
            "!Select [-1, [a]]",
            "!Split ['', abc]",
            "!FindInMap [Nope, a, b]",
            "!FindInMap x",
            "!GetAtt [1, 2]",
            "!GetAtt X",
            "!Join [',', x]",
            "!Sub [1, 2]",
            "!Length 3",
            "!Cidr [a, 1, 2]",
            "{Ref: [1]}",
        ] {
            let v = crate::import::parse_yaml(yaml).unwrap();
            assert!(r.eval(&v, 0).is_err(), "{yaml}");
        }
        let deep = format!("{}\"x\"{}", "{\"Fn::Join\": [\"\", [".repeat(200), "]]}".repeat(200));
        let v = json::parse(&deep).unwrap();
        assert!(r.eval(&v, 0).is_err());
        assert_eq!(r.sub("${", &Map::new(), 0), "${");
    }

    #[test]
    fn file_maps_match_paths_then_file_names() {
        let files = FileMap(vec![
            ("statemachine/flow.asl.json".into(), "A".into()),
            ("other.asl.yaml".into(), "B".into()),
            ("a/x.json".into(), "C".into()),
            ("b/x.json".into(), "D".into()),
        ]);
        assert_eq!(files.read("./statemachine/flow.asl.json"), Ok(Some("A".into())));
        assert_eq!(files.read("sfn/other.asl.yaml"), Ok(Some("B".into())));
        assert_eq!(files.read("a/x.json"), Ok(Some("C".into())));
        assert!(files.read("c/x.json").unwrap_err().contains("2 files are named x.json"));
        assert_eq!(files.read("none.json"), Ok(None));
    }
}
