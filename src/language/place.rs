//! What a position means in a definition: the JSON containers around it read as ASL (the
//! machine, the state and its type and query language, a Retrier, a Choice rule, a payload
//! template, ...), and the state machines (scopes) around it, whose state names are the ones
//! a transition may name there.

use super::syntax::{self, At, Frame, Location, Mode, Node, Object, Via};
use crate::definition::schema::{self, Lang};

/// What a JSON container is, in ASL's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// An object with a field schema (the definition, a state, a Retrier, ...).
    Schema(Kind),
    /// A machine's `States` object: its keys are state names.
    States,
    /// Free JSON a state builds its data from (`Parameters`, `Arguments`, `Output`, `Assign`,
    /// `ResultSelector`, `ItemSelector`, `Result`, `BatchInput`), at any depth.
    Payload,
    /// `Retry`, `Catch`, `Choices`, `Branches`, a rule's `And`/`Or`.
    List(List),
    /// A Retrier's or Catcher's `ErrorEquals`.
    ErrorNames,
    /// Anything else.
    Other,
}

/// The schema objects (see [`schema::Object`]; a state's type is kept in [`Place::state`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Machine,
    Branch,
    Processor,
    State,
    Retrier,
    Catcher,
    ChoiceRule,
    NestedChoiceRule,
    ProcessorConfig,
    ItemReader,
    ReaderConfig,
    ItemBatcher,
    ResultWriter,
    WriterConfig,
    Credentials,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum List {
    Retry,
    Catch,
    Choices,
    Branches,
    Rules,
}

/// A state around the position.
#[derive(Debug)]
pub(crate) struct StateAt {
    pub name: String,
    /// Its `Type`, when it is a string.
    pub state_type: Option<String>,
    /// The language its fields are written in.
    pub lang: Lang,
    /// Index of its machine in [`Place::machines`].
    pub machine: usize,
}

/// The position read as ASL.
#[derive(Debug)]
pub(crate) struct Place<'t> {
    pub text: &'t str,
    pub location: Location<'t>,
    /// The role of each frame's container, in step with `location.frames`.
    pub roles: Vec<Role>,
    /// The definition's `QueryLanguage` (JSONPath when absent).
    pub machine_lang: Lang,
    /// The machine objects around the position (the definition, then branches and
    /// processors), outermost first.
    pub machines: Vec<&'t Object>,
    /// The states around the position, outermost first.
    pub states: Vec<StateAt>,
}

impl<'t> Place<'t> {
    /// Reads the position `pos` of the definition `root`.
    pub fn new(text: &'t str, root: &'t Node, pos: usize, mode: Mode) -> Option<Place<'t>> {
        let location = syntax::locate(text, root, pos, mode)?;
        let top = root.as_object()?;
        let machine_lang = match top.value(text, "QueryLanguage") {
            Some(Node::String(s)) if s.value(text) == "JSONPath" => Lang::JsonPath,
            Some(Node::String(_)) => Lang::Jsonata,
            _ => Lang::JsonPath,
        };
        let mut place =
            Place { text, location, roles: Vec::new(), machine_lang, machines: vec![top], states: Vec::new() };
        let mut role = Role::Schema(Kind::Machine);
        let steps: Vec<(Via<'t>, Option<&'t Node>)> = (0..place.location.frames.len())
            .map(|i| (place.location.frames[i].via, place.location.frames.get(i + 1).map(|f| f.node)))
            .collect();
        for (via, next) in steps {
            place.roles.push(role);
            let Some(next) = next else { break };
            role = place.step(role, via, next);
        }
        Some(place)
    }

    /// The role of the container reached from `frame` (in role `role`) through its `via`.
    fn step(&mut self, role: Role, via: Via<'t>, next: &'t Node) -> Role {
        let text = self.text;
        let key = match via {
            Via::Member(m) => Some(m.key.name(text)),
            _ => None,
        };
        let key = key.as_deref();
        match role {
            Role::Schema(Kind::Machine | Kind::Branch | Kind::Processor) => match key {
                Some("States") => Role::States,
                Some("ProcessorConfig") if role == Role::Schema(Kind::Processor) => Role::Schema(Kind::ProcessorConfig),
                _ => Role::Other,
            },
            Role::States => {
                let (Some(name), Some(object)) = (key, next.as_object()) else { return Role::Other };
                let state_type = object.string(text, "Type");
                let lang = match object.value(text, "QueryLanguage") {
                    Some(Node::String(s)) if s.value(text) == "JSONPath" => Lang::JsonPath,
                    Some(Node::String(_)) => Lang::Jsonata,
                    _ => self.machine_lang,
                };
                self.states.push(StateAt {
                    name: name.to_string(),
                    state_type,
                    lang,
                    machine: self.machines.len() - 1,
                });
                Role::Schema(Kind::State)
            }
            Role::Schema(Kind::State) => match key {
                Some("Retry") => Role::List(List::Retry),
                Some("Catch") => Role::List(List::Catch),
                Some("Choices") => Role::List(List::Choices),
                Some("Branches") => Role::List(List::Branches),
                Some("ItemProcessor" | "Iterator") => self.enter_machine(next, Kind::Processor),
                Some("ItemReader") => Role::Schema(Kind::ItemReader),
                Some("ItemBatcher") => Role::Schema(Kind::ItemBatcher),
                Some("ResultWriter") => Role::Schema(Kind::ResultWriter),
                Some("Credentials") => Role::Schema(Kind::Credentials),
                Some(k) if is_payload(k) => Role::Payload,
                _ => Role::Other,
            },
            Role::List(list) => match list {
                List::Retry => Role::Schema(Kind::Retrier),
                List::Catch => Role::Schema(Kind::Catcher),
                List::Choices => Role::Schema(Kind::ChoiceRule),
                List::Rules => Role::Schema(Kind::NestedChoiceRule),
                List::Branches => self.enter_machine(next, Kind::Branch),
            },
            Role::Schema(Kind::Retrier | Kind::Catcher) => match key {
                Some("ErrorEquals") => Role::ErrorNames,
                Some("Output" | "Assign") => Role::Payload,
                _ => Role::Other,
            },
            Role::Schema(Kind::ChoiceRule | Kind::NestedChoiceRule) => match key {
                Some("And" | "Or") => Role::List(List::Rules),
                Some("Not") => Role::Schema(Kind::NestedChoiceRule),
                Some("Output" | "Assign") => Role::Payload,
                _ => Role::Other,
            },
            Role::Schema(Kind::ItemReader) => match key {
                Some("ReaderConfig") => Role::Schema(Kind::ReaderConfig),
                Some("Parameters" | "Arguments") => Role::Payload,
                _ => Role::Other,
            },
            Role::Schema(Kind::ResultWriter) => match key {
                Some("WriterConfig") => Role::Schema(Kind::WriterConfig),
                Some("Parameters" | "Arguments") => Role::Payload,
                _ => Role::Other,
            },
            Role::Schema(Kind::ItemBatcher) => match key {
                Some("BatchInput") => Role::Payload,
                _ => Role::Other,
            },
            Role::Payload => Role::Payload,
            _ => Role::Other,
        }
    }

    fn enter_machine(&mut self, next: &'t Node, kind: Kind) -> Role {
        match next.as_object() {
            Some(o) => {
                self.machines.push(o);
                Role::Schema(kind)
            }
            None => Role::Other,
        }
    }

    /// The role of the innermost container.
    pub fn role(&self) -> Role {
        self.roles.last().copied().unwrap_or(Role::Other)
    }

    /// The innermost container's frame.
    pub fn frame(&self) -> Option<&Frame<'t>> {
        self.location.frames.last()
    }

    /// The innermost state around the position.
    pub fn state(&self) -> Option<&StateAt> {
        self.states.last()
    }

    /// The query language at the position: the innermost state's, else the definition's.
    pub fn lang(&self) -> Lang {
        self.state().map_or(self.machine_lang, |s| s.lang)
    }

    /// The schema object the innermost container is, if it is one.
    pub fn schema_object(&self) -> Option<schema::Object<'_>> {
        let Role::Schema(kind) = self.role() else { return None };
        Some(match kind {
            Kind::Machine => schema::Object::Machine,
            Kind::Branch => schema::Object::Branch,
            Kind::Processor => schema::Object::Processor,
            Kind::State => schema::Object::State(self.state()?.state_type.as_deref().unwrap_or("")),
            Kind::Retrier => schema::Object::Retrier,
            Kind::Catcher => schema::Object::Catcher,
            Kind::ChoiceRule => schema::Object::ChoiceRule,
            Kind::NestedChoiceRule => schema::Object::NestedChoiceRule,
            Kind::ProcessorConfig => schema::Object::ProcessorConfig,
            Kind::ItemReader => schema::Object::ItemReader,
            Kind::ReaderConfig => schema::Object::ReaderConfig,
            Kind::ItemBatcher => schema::Object::ItemBatcher,
            Kind::ResultWriter => schema::Object::ResultWriter,
            Kind::WriterConfig => schema::Object::WriterConfig,
            Kind::Credentials => schema::Object::Credentials,
        })
    }

    /// The name of the member the position is on or in (key or value), if any.
    pub fn member_key(&self) -> Option<String> {
        match self.frame()?.via {
            Via::Member(m) => Some(m.key.name(self.text)),
            _ => None,
        }
    }

    /// The machine whose states a transition at the position may name: the innermost state's
    /// machine when inside a state, else the innermost machine.
    pub fn scope(&self) -> Option<&'t Object> {
        let i = match self.role() {
            Role::Schema(Kind::Machine | Kind::Branch | Kind::Processor) => self.machines.len().checked_sub(1)?,
            _ => self.state().map_or(self.machines.len().checked_sub(1)?, |s| s.machine),
        };
        self.machines.get(i).copied()
    }

    /// What the position is on.
    pub fn at(&self) -> &At<'t> {
        &self.location.at
    }
}

/// Fields whose value is free JSON the state builds data from.
pub(crate) fn is_payload(field: &str) -> bool {
    matches!(
        field,
        "Parameters" | "Arguments" | "ResultSelector" | "ItemSelector" | "Result" | "Output" | "Assign" | "BatchInput"
    )
}

/// The states of a machine object: (name, state object).
pub(crate) fn states_of<'t>(text: &'t str, machine: &'t Object) -> impl Iterator<Item = (String, &'t Object)> + 't {
    machine
        .value(text, "States")
        .and_then(Node::as_object)
        .into_iter()
        .flat_map(|s| s.members(text).iter())
        .filter_map(move |m| Some((m.key.name(text), m.value.as_ref()?.as_object()?)))
}

/// The names a state moves to: `Next`, `Default`, its Choice rules' and Catchers' `Next`.
pub(crate) fn targets_of(text: &str, state: &Object) -> Vec<String> {
    let mut out: Vec<String> = ["Next", "Default"].iter().filter_map(|f| state.string(text, f)).collect();
    for list in ["Choices", "Catch"] {
        if let Some(a) = state.value(text, list).and_then(Node::as_array) {
            out.extend(a.items(text).iter().filter_map(|i| i.value.as_object()?.string(text, "Next")));
        }
    }
    out
}
