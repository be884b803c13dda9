//! The JSONata syntax tree: what the parser produces and the evaluator walks.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::regex::Regex;
use super::signature::Signature;

/// A shared ancestor slot, mutated while the `%` operators of a path are resolved.
#[derive(Debug)]
pub(crate) struct Slot {
    pub label: RefCell<Rc<str>>,
    pub level: Cell<i32>,
    pub index: usize,
}

/// A lambda definition (`function($a, $b)<sig>{ body }`).
pub(crate) struct LambdaDef {
    pub params: Vec<Rc<str>>,
    pub signature: Option<Rc<Signature>>,
    pub body: Node,
    pub thunk: bool,
}

/// A stage applied to each step result: a filter predicate or a `#` index binding.
pub(crate) enum Stage {
    Filter(Node),
    Index(Rc<str>),
}

/// Group-by / object constructor pairs.
pub(crate) struct Group {
    pub pairs: Vec<(Node, Node)>,
    pub pos: usize,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Concat,
    And,
    Or,
    In,
    Range,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Eq => "=",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Concat => "&",
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::In => "in",
            BinOp::Range => "..",
        }
    }
    pub fn from(op: &str) -> Option<BinOp> {
        Some(match op {
            "+" => BinOp::Add,
            "-" => BinOp::Sub,
            "*" => BinOp::Mul,
            "/" => BinOp::Div,
            "%" => BinOp::Mod,
            "=" => BinOp::Eq,
            "!=" => BinOp::Ne,
            "<" => BinOp::Lt,
            "<=" => BinOp::Le,
            ">" => BinOp::Gt,
            ">=" => BinOp::Ge,
            "&" => BinOp::Concat,
            "and" => BinOp::And,
            "or" => BinOp::Or,
            "in" => BinOp::In,
            ".." => BinOp::Range,
            _ => return None,
        })
    }
}

/// A processed expression node.
pub(crate) struct Node {
    pub kind: Kind,
    pub pos: usize,
    pub keep_array: bool,
    pub cons_array: bool,
    pub tuple: bool,
    pub focus: Option<Rc<str>>,
    pub index: Option<Rc<str>>,
    pub ancestor: Option<Rc<Slot>>,
    pub stages: Vec<Stage>,
    pub predicate: Vec<Node>,
    pub group: Option<Box<Group>>,
    pub seeking_parent: Vec<Rc<Slot>>,
    pub keep_singleton: bool,
    /// Whether the evaluator may take this node as a plain path step (0 until it first asks,
    /// then 1 for yes, 2 for no; the tree no longer changes by then).
    pub plain_step: std::cell::Cell<u8>,
}

pub(crate) enum Kind {
    Path(Vec<Node>),
    Binary(BinOp, Box<Node>, Box<Node>),
    Neg(Box<Node>),
    Array(Vec<Node>),
    Object(Vec<(Node, Node)>),
    Name(Rc<str>),
    Str(Rc<str>),
    Num(f64),
    Bool(bool),
    Null,
    Wildcard,
    Descendant,
    Parent(Rc<Slot>),
    Condition(Box<Node>, Box<Node>, Option<Box<Node>>),
    Coalesce(Box<Node>, Box<Node>),
    Elvis(Box<Node>, Box<Node>),
    Block(Vec<Node>),
    Bind(Rc<str>, Box<Node>),
    Regex(Rc<Regex>),
    Call(Box<Node>, Vec<Node>),
    Partial(Box<Node>, Vec<Node>),
    Placeholder,
    Var(Rc<str>),
    Lambda(Rc<LambdaDef>),
    Apply(Box<Node>, Box<Node>),
    Sort(Vec<(Node, bool)>),
    Transform(Rc<TransformDef>),
}

impl Node {
    #[inline(never)]
    pub fn new(kind: Kind, pos: usize) -> Node {
        Node {
            kind,
            pos,
            keep_array: false,
            cons_array: false,
            tuple: false,
            focus: None,
            index: None,
            ancestor: None,
            stages: Vec::new(),
            predicate: Vec::new(),
            group: None,
            seeking_parent: Vec::new(),
            keep_singleton: false,
            plain_step: std::cell::Cell::new(0),
        }
    }
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            Kind::Path(_) => "path",
            Kind::Binary(..) => "binary",
            Kind::Neg(_) | Kind::Array(_) | Kind::Object(_) => "unary",
            Kind::Name(_) => "name",
            Kind::Str(_) => "string",
            Kind::Num(_) => "number",
            Kind::Bool(_) | Kind::Null => "value",
            Kind::Wildcard => "wildcard",
            Kind::Descendant => "descendant",
            Kind::Parent(_) => "parent",
            Kind::Condition(..) | Kind::Coalesce(..) | Kind::Elvis(..) => "condition",
            Kind::Block(_) => "block",
            Kind::Bind(..) => "bind",
            Kind::Regex(_) => "regex",
            Kind::Call(..) => "function",
            Kind::Partial(..) => "partial",
            Kind::Placeholder => "operator",
            Kind::Var(_) => "variable",
            Kind::Lambda(_) => "lambda",
            Kind::Apply(..) => "apply",
            Kind::Sort(_) => "sort",
            Kind::Transform(..) => "transform",
        }
    }
}

/// A transform expression `| pattern | update, delete |` as a function value.
pub(crate) struct TransformDef {
    pub pattern: Node,
    pub update: Node,
    pub delete: Option<Node>,
    pub pos: usize,
}
