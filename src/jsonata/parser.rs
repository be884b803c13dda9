//! The parser: a Pratt (top-down operator precedence) parser producing a raw syntax tree,
//! then the reference's post-parse pass that flattens location paths into steps, attaches
//! predicates and grouping to steps, resolves the parent operator `%` to ancestor slots and
//! marks tail calls in lambda bodies.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::ast::{BinOp, Group, Kind, LambdaDef, Node, Slot, Stage, TransformDef};
use super::error::{Error, ErrorExt, Fail};
use super::lexer::{Lexer, Tok};
use super::limits::{stack_position, PARSE_MAX_NESTING, PARSE_STACK_LIMIT};
use super::regex::Regex;
use super::signature::Signature;

/// The raw tree the Pratt parser builds, before the post-parse pass.
enum Raw {
    Name(String),
    Var(String),
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    Regex(String, String),
    Binary(&'static str, Box<R>, Box<R>),
    Neg(Box<R>),
    Array(Vec<R>),
    Object(Vec<(R, R)>),
    GroupBy(Box<R>, Vec<(R, R)>),
    Wildcard,
    Descendant,
    Parent,
    Call(Box<R>, Vec<R>, bool),
    Placeholder,
    Lambda(Vec<String>, Option<Rc<Signature>>, Box<R>),
    Block(Vec<R>),
    Condition(Box<R>, Box<R>, Option<Box<R>>),
    Coalesce(Box<R>, Box<R>),
    Elvis(Box<R>, Box<R>),
    Transform(Box<R>, Box<R>, Option<Box<R>>),
    Sort(Box<R>, Vec<(R, bool)>),
    Predicate(Box<R>, Box<R>),
    Bind(Box<R>, Box<R>),
    Focus(Box<R>, String),
    IndexBind(Box<R>, String),
    Apply(Box<R>, Box<R>),
    OpName(&'static str),
}

struct R {
    raw: Raw,
    pos: usize,
    keep_array: bool,
}

#[inline(never)]
fn r(raw: Raw, pos: usize) -> R {
    R { raw, pos, keep_array: false }
}

/// Binding power of a token in infix position.
fn lbp(tok: &Tok) -> u32 {
    match tok {
        Tok::Op(op) => match *op {
            "." => 75,
            "[" | "(" | "@" | "#" => 80,
            "{" => 70,
            "?" => 20,
            "+" | "-" | "&" => 50,
            "*" | "/" | "%" => 60,
            "=" | "<" | ">" | "^" | "!=" | "<=" | ">=" | "~>" | "in" | "?:" | "??" => 40,
            ":=" => 10,
            "and" => 30,
            "or" => 25,
            _ => 0,
        },
        _ => 0,
    }
}

fn tok_text(t: &Tok) -> String {
    match t {
        Tok::Name(s) | Tok::Var(s) | Tok::Str(s) => s.clone(),
        Tok::Num(n) => crate::host::to_string(*n),
        Tok::True => "true".into(),
        Tok::False => "false".into(),
        Tok::Null => "null".into(),
        Tok::Regex(p, _) => p.clone(),
        Tok::Op(o) => (*o).into(),
        Tok::End => "(end)".into(),
    }
}

struct Parser {
    lexer: Lexer,
    tok: Tok,
    pos: usize,
    depth: usize,
    stack_base: usize,
}

fn too_deep(depth: usize, base: usize) -> bool {
    depth > PARSE_MAX_NESTING || base.abs_diff(stack_position()) > PARSE_STACK_LIMIT
}

impl Parser {
    fn advance(&mut self, infix: bool) -> Result<(), Fail> {
        let (tok, pos) = self.lexer.next(infix)?;
        if let Tok::Op(op) = tok {
            if op == "!" || op == "~" {
                return Err(Error::new("S0204").at(pos).token(op));
            }
        }
        self.tok = tok;
        self.pos = pos;
        Ok(())
    }

    fn expect(&mut self, op: &str, infix: bool) -> Result<(), Fail> {
        if self.tok != Tok::Op(op_static(op)) {
            let code = if self.tok == Tok::End { "S0203" } else { "S0202" };
            return Err(Error::new(code).at(self.pos).token(tok_text(&self.tok)).value_str(op));
        }
        self.advance(infix)
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(&self.tok, Tok::Op(o) if *o == op)
    }

    fn expression(&mut self, rbp: u32) -> Result<R, Fail> {
        self.depth += 1;
        if too_deep(self.depth, self.stack_base) {
            return Err(Error::new("U1001").at(self.pos));
        }
        let t = std::mem::replace(&mut self.tok, Tok::End);
        let tpos = self.pos;
        self.advance(true)?;
        let mut left = self.nud(t, tpos)?;
        while rbp < lbp(&self.tok) {
            let t = std::mem::replace(&mut self.tok, Tok::End);
            let tpos = self.pos;
            self.advance(false)?;
            left = self.led(t, tpos, left)?;
        }
        self.depth -= 1;
        Ok(left)
    }

    fn nud(&mut self, t: Tok, pos: usize) -> Result<R, Fail> {
        Ok(match t {
            Tok::Name(s) => r(Raw::Name(s), pos),
            Tok::Var(s) => r(Raw::Var(s), pos),
            Tok::Str(s) => r(Raw::Str(s), pos),
            Tok::Num(n) => r(Raw::Num(n), pos),
            Tok::True => r(Raw::Bool(true), pos),
            Tok::False => r(Raw::Bool(false), pos),
            Tok::Null => r(Raw::Null, pos),
            Tok::Regex(p, f) => r(Raw::Regex(p, f), pos),
            Tok::End => return Err(Error::new("S0207").at(pos).token("(end)")),
            Tok::Op(op) => match op {
                "-" => {
                    let e = self.expression(70)?;
                    r(Raw::Neg(Box::new(e)), pos)
                }
                "*" => r(Raw::Wildcard, pos),
                "**" => r(Raw::Descendant, pos),
                "%" => r(Raw::Parent, pos),
                "and" | "or" | "in" => r(Raw::OpName(op), pos),
                "(" => self.block(pos)?,
                "[" => self.array(pos)?,
                "{" => {
                    let pairs = self.object_pairs()?;
                    r(Raw::Object(pairs), pos)
                }
                "|" => self.transform(pos)?,
                _ => return Err(Error::new("S0211").at(pos).token(op)),
            },
        })
    }

    fn block(&mut self, pos: usize) -> Result<R, Fail> {
        let mut exprs = Vec::new();
        while !self.is_op(")") {
            exprs.push(self.expression(0)?);
            if !self.is_op(";") {
                break;
            }
            self.advance(false)?;
        }
        self.expect(")", true)?;
        Ok(r(Raw::Block(exprs), pos))
    }

    fn transform(&mut self, pos: usize) -> Result<R, Fail> {
        let pattern = self.expression(0)?;
        self.expect("|", false)?;
        let update = self.expression(0)?;
        let mut delete = None;
        if self.is_op(",") {
            self.advance(false)?;
            delete = Some(Box::new(self.expression(0)?));
        }
        self.expect("|", false)?;
        Ok(r(Raw::Transform(Box::new(pattern), Box::new(update), delete), pos))
    }

    fn array(&mut self, pos: usize) -> Result<R, Fail> {
        {
            {
                {
                    let mut items = Vec::new();
                    if !self.is_op("]") {
                        loop {
                            let mut item = self.expression(0)?;
                            if self.is_op("..") {
                                let rpos = self.pos;
                                self.advance(false)?;
                                let rhs = self.expression(0)?;
                                item = r(Raw::Binary("..", Box::new(item), Box::new(rhs)), rpos);
                            }
                            items.push(item);
                            if !self.is_op(",") {
                                break;
                            }
                            self.advance(false)?;
                        }
                    }
                    self.expect("]", true)?;
                    Ok(r(Raw::Array(items), pos))
                }
            }
        }
    }

    fn object_pairs(&mut self) -> Result<Vec<(R, R)>, Fail> {
        let mut pairs = Vec::new();
        if !self.is_op("}") {
            loop {
                let k = self.expression(0)?;
                self.expect(":", false)?;
                let v = self.expression(0)?;
                pairs.push((k, v));
                if !self.is_op(",") {
                    break;
                }
                self.advance(false)?;
            }
        }
        self.expect("}", true)?;
        Ok(pairs)
    }

    fn led(&mut self, t: Tok, pos: usize, left: R) -> Result<R, Fail> {
        let op = match t {
            Tok::Op(op) => op,
            other => return Err(Error::new("S0201").at(pos).token(tok_text(&other))),
        };
        Ok(match op {
            "(" => self.call(pos, left)?,
            "[" => {
                if self.is_op("]") {
                    let mut step = left;
                    mark_keep_array(&mut step);
                    self.advance(false)?;
                    step
                } else {
                    let rhs = self.expression(0)?;
                    self.expect("]", true)?;
                    r(Raw::Predicate(Box::new(left), Box::new(rhs)), pos)
                }
            }
            "^" => {
                self.expect("(", false)?;
                let mut terms = Vec::new();
                loop {
                    let mut descending = false;
                    if self.is_op("<") {
                        self.advance(false)?;
                    } else if self.is_op(">") {
                        descending = true;
                        self.advance(false)?;
                    }
                    let e = self.expression(0)?;
                    terms.push((e, descending));
                    if !self.is_op(",") {
                        break;
                    }
                    self.advance(false)?;
                }
                self.expect(")", true)?;
                r(Raw::Sort(Box::new(left), terms), pos)
            }
            "{" => {
                let pairs = self.object_pairs()?;
                r(Raw::GroupBy(Box::new(left), pairs), pos)
            }
            ":=" => {
                if !matches!(left.raw, Raw::Var(_)) {
                    return Err(Error::new("S0212").at(left.pos).token(raw_text(&left)));
                }
                let rhs = self.expression(9)?;
                r(Raw::Bind(Box::new(left), Box::new(rhs)), pos)
            }
            "@" | "#" => {
                let rhs = self.expression(80)?;
                let name = match rhs.raw {
                    Raw::Var(v) => v,
                    _ => return Err(Error::new("S0214").at(rhs.pos).token(op)),
                };
                if op == "@" {
                    r(Raw::Focus(Box::new(left), name), pos)
                } else {
                    r(Raw::IndexBind(Box::new(left), name), pos)
                }
            }
            "?" => {
                let then = self.expression(0)?;
                let mut els = None;
                if self.is_op(":") {
                    self.advance(false)?;
                    els = Some(Box::new(self.expression(0)?));
                }
                r(Raw::Condition(Box::new(left), Box::new(then), els), pos)
            }
            "?:" => {
                let rhs = self.expression(0)?;
                r(Raw::Elvis(Box::new(left), Box::new(rhs)), pos)
            }
            "??" => {
                let rhs = self.expression(0)?;
                r(Raw::Coalesce(Box::new(left), Box::new(rhs)), pos)
            }
            "~>" => {
                let rhs = self.expression(40)?;
                r(Raw::Apply(Box::new(left), Box::new(rhs)), pos)
            }
            _ => {
                let bp = lbp(&Tok::Op(op));
                let rhs = self.expression(bp)?;
                r(Raw::Binary(op, Box::new(left), Box::new(rhs)), pos)
            }
        })
    }
}

impl Parser {
    fn call(&mut self, pos: usize, left: R) -> Result<R, Fail> {
        let mut args = Vec::new();
        let mut partial = false;
        if !self.is_op(")") {
            loop {
                if self.is_op("?") {
                    partial = true;
                    args.push(r(Raw::Placeholder, self.pos));
                    self.advance(false)?;
                } else {
                    args.push(self.expression(0)?);
                }
                if !self.is_op(",") {
                    break;
                }
                self.advance(false)?;
            }
        }
        self.expect(")", true)?;
        let is_lambda = matches!(&left.raw, Raw::Name(n) if n == "function" || n == "\u{3bb}");
        if is_lambda {
            let mut params = Vec::new();
            for (i, a) in args.iter().enumerate() {
                match &a.raw {
                    Raw::Var(v) => params.push(v.clone()),
                    _ => return Err(Error::new("S0208").at(a.pos).token(raw_text(a)).value_num((i + 1) as f64)),
                }
            }
            let mut signature = None;
            if self.is_op("<") {
                let open = self.pos - 1;
                let close = self
                    .lexer
                    .signature_end(open)
                    .ok_or_else(|| Error::new("S0203").at(self.lexer.len()).value_str(">"))?;
                let text = self.lexer.slice(open, close + 1);
                let sig = Signature::parse(&text).map_err(|e| {
                    let off = e.position.unwrap_or(0);
                    e.at(open + off)
                })?;
                signature = Some(Rc::new(sig));
                self.lexer.pos = close + 1;
                self.advance(false)?;
            }
            self.expect("{", false)?;
            let body = self.expression(0)?;
            self.expect("}", true)?;
            Ok(r(Raw::Lambda(params, signature, Box::new(body)), pos))
        } else {
            Ok(r(Raw::Call(Box::new(left), args, partial), pos))
        }
    }
}

fn op_static(op: &str) -> &'static str {
    match op {
        ")" => ")",
        "]" => "]",
        "}" => "}",
        "{" => "{",
        "(" => "(",
        ":" => ":",
        "|" => "|",
        ">" => ">",
        _ => "?",
    }
}

fn raw_text(r: &R) -> String {
    match &r.raw {
        Raw::Name(s) | Raw::Var(s) | Raw::Str(s) => s.clone(),
        Raw::Num(n) => crate::host::to_string(*n),
        _ => String::new(),
    }
}

fn mark_keep_array(step: &mut R) {
    let mut s = step;
    while let Raw::Predicate(lhs, _) = &mut s.raw {
        s = lhs;
    }
    s.keep_array = true;
}

/// Parses JSONata source into a processed tree.
pub(crate) fn parse(src: &str) -> Result<Node, Fail> {
    let stack_base = stack_position();
    let mut p = Parser { lexer: Lexer::new(src), tok: Tok::End, pos: 0, depth: 0, stack_base };
    p.advance(false)?;
    let raw = p.expression(0)?;
    if p.tok != Tok::End {
        return Err(Error::new("S0201").at(p.pos).token(tok_text(&p.tok)));
    }
    let mut post = Post { ancestry: Vec::new(), label: 0, depth: 0, stack_base };
    let node = post.process(raw)?;
    if matches!(node.kind, Kind::Parent(_)) || !node.seeking_parent.is_empty() {
        return Err(Error::new("S0217").at(node.pos).token(node.type_name()));
    }
    Ok(node)
}

struct Post {
    ancestry: Vec<Rc<Slot>>,
    label: usize,
    depth: usize,
    stack_base: usize,
}

fn push_ancestry(result: &mut Node, value: &Node) {
    result.seeking_parent.extend(value.seeking_parent.iter().cloned());
    if let Kind::Parent(slot) = &value.kind {
        result.seeking_parent.push(slot.clone());
    }
}

fn tail_call_optimize(expr: Node) -> Node {
    match expr.kind {
        Kind::Call(..) if expr.predicate.is_empty() => {
            let pos = expr.pos;
            let def = LambdaDef { params: Vec::new(), signature: None, body: expr, thunk: true };
            Node::new(Kind::Lambda(Rc::new(def)), pos)
        }
        Kind::Condition(c, t, e) => {
            let mut n = Node { kind: Kind::Null, ..expr };
            let t = tail_call_optimize(*t);
            let e = e.map(|e| Box::new(tail_call_optimize(*e)));
            n.kind = Kind::Condition(c, Box::new(t), e);
            n
        }
        Kind::Block(mut exprs) => {
            let mut n = Node { kind: Kind::Null, ..expr };
            if let Some(last) = exprs.pop() {
                exprs.push(tail_call_optimize(last));
            }
            n.kind = Kind::Block(exprs);
            n
        }
        _ => expr,
    }
}

impl Post {
    fn seek_parent(&mut self, node: &mut Node, slot: Rc<Slot>) -> Result<Rc<Slot>, Fail> {
        let mut slot = slot;
        match &mut node.kind {
            Kind::Name(_) | Kind::Wildcard => {
                slot.level.set(slot.level.get() - 1);
                if slot.level.get() == 0 {
                    match &node.ancestor {
                        None => node.ancestor = Some(slot.clone()),
                        Some(existing) => {
                            let label = existing.label.borrow().clone();
                            if let Some(s) = self.ancestry.get(slot.index) {
                                *s.label.borrow_mut() = label;
                            }
                            node.ancestor = Some(slot.clone());
                        }
                    }
                    node.tuple = true;
                }
            }
            Kind::Parent(_) => slot.level.set(slot.level.get() + 1),
            Kind::Block(exprs) => {
                if let Some(last) = exprs.last_mut() {
                    node.tuple = true;
                    slot = self.seek_parent(last, slot)?;
                }
            }
            Kind::Path(steps) => {
                node.tuple = true;
                let mut index = steps.len() as isize - 1;
                if index >= 0 {
                    slot = self.seek_parent(&mut steps[index as usize], slot)?;
                    index -= 1;
                }
                while slot.level.get() > 0 && index >= 0 {
                    slot = self.seek_parent(&mut steps[index as usize], slot)?;
                    index -= 1;
                }
            }
            _ => return Err(Error::new("S0217").at(node.pos).token(node.type_name())),
        }
        Ok(slot)
    }

    fn resolve_ancestry(&mut self, path: &mut Node) -> Result<(), Fail> {
        let Kind::Path(steps) = &mut path.kind else { return Ok(()) };
        let Some(last) = steps.last() else { return Ok(()) };
        let mut slots: Vec<Rc<Slot>> = last.seeking_parent.clone();
        if let Kind::Parent(s) = &last.kind {
            slots.push(s.clone());
        }
        let mut seeking = Vec::new();
        for slot in slots {
            let mut slot = slot;
            let mut index = steps.len() as isize - 2;
            while slot.level.get() > 0 {
                if index < 0 {
                    seeking.push(slot.clone());
                    break;
                }
                let mut si = index as usize;
                index -= 1;
                while index >= 0 && steps[si].focus.is_some() && steps[index as usize].focus.is_some() {
                    si = index as usize;
                    index -= 1;
                }
                slot = self.seek_parent(&mut steps[si], slot)?;
            }
        }
        path.seeking_parent.extend(seeking);
        Ok(())
    }

    fn process(&mut self, expr: R) -> Result<Node, Fail> {
        self.depth += 1;
        if too_deep(self.depth, self.stack_base) {
            return Err(Error::new("U1001").at(expr.pos));
        }
        let keep = expr.keep_array;
        let mut result = self.process_inner(expr)?;
        if keep {
            result.keep_array = true;
        }
        self.depth -= 1;
        Ok(result)
    }

    /// `??` and `?:`: both sides processed, their parent-operator slots carried up.
    fn either(&mut self, pos: usize, l: R, r: R, make: fn(Box<Node>, Box<Node>) -> Kind) -> Result<Node, Fail> {
        let mut result = Node::new(Kind::Null, pos);
        let l = self.process(l)?;
        push_ancestry(&mut result, &l);
        let r = self.process(r)?;
        push_ancestry(&mut result, &r);
        result.kind = make(Box::new(l), Box::new(r));
        Ok(result)
    }

    fn process_inner(&mut self, expr: R) -> Result<Node, Fail> {
        match &expr.raw {
            Raw::Binary(".", ..)
            | Raw::Predicate(..)
            | Raw::GroupBy(..)
            | Raw::Sort(..)
            | Raw::Bind(..)
            | Raw::Focus(..)
            | Raw::IndexBind(..) => self.process_paths(expr),
            Raw::Apply(..)
            | Raw::Binary(..)
            | Raw::Array(..)
            | Raw::Object(..)
            | Raw::Neg(..)
            | Raw::Call(..)
            | Raw::Lambda(..) => self.process_operators(expr),
            _ => self.process_terms(expr),
        }
    }

    fn process_paths(&mut self, expr: R) -> Result<Node, Fail> {
        let pos = expr.pos;
        let keep_array = expr.keep_array;
        let _ = keep_array;
        Ok(match expr.raw {
            Raw::Binary(".", lhs, rhs) => {
                let lstep = self.process(*lhs)?;
                let mut result = if matches!(lstep.kind, Kind::Path(_)) {
                    lstep
                } else {
                    let mut p = Node::new(Kind::Path(Vec::new()), lstep.pos);
                    if let Kind::Parent(slot) = &lstep.kind {
                        p.seeking_parent = vec![slot.clone()];
                    }
                    if let Kind::Path(steps) = &mut p.kind {
                        steps.push(lstep);
                    }
                    p
                };
                let mut rest = self.process(*rhs)?;
                let Kind::Path(steps) = &mut result.kind else { unreachable!() };
                match rest.kind {
                    Kind::Path(rsteps) => {
                        steps.extend(rsteps);
                    }
                    _ => {
                        if !rest.predicate.is_empty() {
                            let preds = std::mem::take(&mut rest.predicate);
                            rest.stages = preds.into_iter().map(Stage::Filter).collect();
                        }
                        steps.push(rest);
                    }
                }
                for step in steps.iter_mut() {
                    match &step.kind {
                        Kind::Num(n) => {
                            return Err(Error::new("S0213").at(step.pos).value_num(*n));
                        }
                        Kind::Bool(b) => {
                            return Err(Error::new("S0213").at(step.pos).value_str(if *b { "true" } else { "false" }));
                        }
                        Kind::Null => return Err(Error::new("S0213").at(step.pos).value_null()),
                        Kind::Str(s) => {
                            step.kind = Kind::Name(s.clone());
                        }
                        _ => {}
                    }
                }
                if steps.iter().any(|s| s.keep_array) {
                    result.keep_singleton = true;
                }
                if let Some(first) = steps.first_mut() {
                    if matches!(first.kind, Kind::Array(_)) {
                        first.cons_array = true;
                    }
                }
                if let Some(last) = steps.last_mut() {
                    if matches!(last.kind, Kind::Array(_)) {
                        last.cons_array = true;
                    }
                }
                self.resolve_ancestry(&mut result)?;
                result
            }
            Raw::Predicate(lhs, rhs) => {
                let mut result = self.process(*lhs)?;
                let is_path = matches!(result.kind, Kind::Path(_));
                let mut predicate = self.process(*rhs)?;
                {
                    let step: &mut Node = match &mut result.kind {
                        Kind::Path(steps) if is_path => match steps.last_mut() {
                            Some(s) => s,
                            None => return Err(Error::new("S0201").at(pos)),
                        },
                        _ => &mut result,
                    };
                    if step.group.is_some() {
                        return Err(Error::new("S0209").at(pos));
                    }
                    if !predicate.seeking_parent.is_empty() {
                        let slots = predicate.seeking_parent.clone();
                        for slot in slots {
                            if slot.level.get() == 1 {
                                self.seek_parent(step, slot)?;
                            } else {
                                slot.level.set(slot.level.get() - 1);
                            }
                        }
                        push_ancestry(step, &predicate);
                    }
                    predicate.pos = pos;
                    if is_path {
                        step.stages.push(Stage::Filter(predicate));
                    } else {
                        step.predicate.push(predicate);
                    }
                }
                result
            }
            Raw::GroupBy(lhs, pairs) => {
                let mut result = self.process(*lhs)?;
                if result.group.is_some() {
                    return Err(Error::new("S0210").at(pos));
                }
                let mut ps = Vec::new();
                for (k, v) in pairs {
                    ps.push((self.process(k)?, self.process(v)?));
                }
                result.group = Some(Box::new(Group { pairs: ps, pos }));
                result
            }
            Raw::Sort(lhs, terms) => {
                let mut result = self.process(*lhs)?;
                if !matches!(result.kind, Kind::Path(_)) {
                    let p = Node::new(Kind::Path(vec![result]), pos);
                    result = p;
                }
                let mut sort = Node::new(Kind::Sort(Vec::new()), pos);
                let mut ts = Vec::new();
                for (e, desc) in terms {
                    let e = self.process(e)?;
                    push_ancestry(&mut sort, &e);
                    ts.push((e, desc));
                }
                sort.kind = Kind::Sort(ts);
                if let Kind::Path(steps) = &mut result.kind {
                    steps.push(sort);
                }
                self.resolve_ancestry(&mut result)?;
                result
            }
            Raw::Bind(lhs, rhs) => {
                let name = match lhs.raw {
                    Raw::Var(v) => v,
                    _ => return Err(Error::new("S0212").at(lhs.pos)),
                };
                let rhs = self.process(*rhs)?;
                let mut result = Node::new(Kind::Null, pos);
                push_ancestry(&mut result, &rhs);
                result.kind = Kind::Bind(Rc::from(name), Box::new(rhs));
                result
            }
            Raw::Focus(lhs, name) => {
                let mut result = self.process(*lhs)?;
                let is_path = matches!(result.kind, Kind::Path(_));
                let step: &mut Node = match &mut result.kind {
                    Kind::Path(steps) if is_path => match steps.last_mut() {
                        Some(s) => s,
                        None => return Err(Error::new("S0201").at(pos)),
                    },
                    _ => &mut result,
                };
                if !step.stages.is_empty() || !step.predicate.is_empty() {
                    return Err(Error::new("S0215").at(pos));
                }
                if matches!(step.kind, Kind::Sort(_)) {
                    return Err(Error::new("S0216").at(pos));
                }
                if keep_array {
                    step.keep_array = true;
                }
                step.focus = Some(Rc::from(name));
                step.tuple = true;
                result
            }
            Raw::IndexBind(lhs, name) => {
                let mut result = self.process(*lhs)?;
                if !matches!(result.kind, Kind::Path(_)) {
                    if !result.predicate.is_empty() {
                        let preds = std::mem::take(&mut result.predicate);
                        result.stages = preds.into_iter().map(Stage::Filter).collect();
                    }
                    result = Node::new(Kind::Path(vec![result]), pos);
                }
                if let Kind::Path(steps) = &mut result.kind {
                    if let Some(step) = steps.last_mut() {
                        if step.stages.is_empty() {
                            step.index = Some(Rc::from(name));
                        } else {
                            step.stages.push(Stage::Index(Rc::from(name)));
                        }
                        step.tuple = true;
                    }
                }
                result
            }
            _ => return Err(Error::new("S0201").at(pos)),
        })
    }

    fn process_operators(&mut self, expr: R) -> Result<Node, Fail> {
        let pos = expr.pos;
        let keep_array = expr.keep_array;
        let _ = keep_array;
        Ok(match expr.raw {
            Raw::Apply(lhs, rhs) => {
                let l = self.process(*lhs)?;
                let rr = self.process(*rhs)?;
                Node::new(Kind::Apply(Box::new(l), Box::new(rr)), pos)
            }
            Raw::Binary(op, lhs, rhs) => {
                let l = self.process(*lhs)?;
                let rr = self.process(*rhs)?;
                let mut result = Node::new(Kind::Null, pos);
                push_ancestry(&mut result, &l);
                push_ancestry(&mut result, &rr);
                let bop = BinOp::from(op).ok_or_else(|| Error::new("S0201").at(pos).token(op))?;
                result.kind = Kind::Binary(bop, Box::new(l), Box::new(rr));
                result
            }
            Raw::Array(items) => {
                let mut result = Node::new(Kind::Null, pos);
                let mut out = Vec::new();
                for item in items {
                    let v = self.process(item)?;
                    push_ancestry(&mut result, &v);
                    out.push(v);
                }
                result.kind = Kind::Array(out);
                result
            }
            Raw::Object(pairs) => {
                let mut result = Node::new(Kind::Null, pos);
                let mut out = Vec::new();
                for (k, v) in pairs {
                    let k = self.process(k)?;
                    push_ancestry(&mut result, &k);
                    let v = self.process(v)?;
                    push_ancestry(&mut result, &v);
                    out.push((k, v));
                }
                result.kind = Kind::Object(out);
                result
            }
            Raw::Neg(e) => {
                let e = self.process(*e)?;
                if let Kind::Num(n) = e.kind {
                    let mut n2 = e;
                    n2.kind = Kind::Num(-n);
                    n2
                } else {
                    let mut result = Node::new(Kind::Null, pos);
                    push_ancestry(&mut result, &e);
                    result.kind = Kind::Neg(Box::new(e));
                    result
                }
            }
            Raw::Call(procedure, args, partial) => {
                let mut result = Node::new(Kind::Null, pos);
                let mut out = Vec::new();
                for a in args {
                    let a = self.process(a)?;
                    push_ancestry(&mut result, &a);
                    out.push(a);
                }
                let p = self.process(*procedure)?;
                result.kind = if partial { Kind::Partial(Box::new(p), out) } else { Kind::Call(Box::new(p), out) };
                result
            }
            Raw::Lambda(params, signature, body) => {
                let body = self.process(*body)?;
                let body = tail_call_optimize(body);
                let def =
                    LambdaDef { params: params.into_iter().map(Rc::from).collect(), signature, body, thunk: false };
                Node::new(Kind::Lambda(Rc::new(def)), pos)
            }
            _ => return Err(Error::new("S0201").at(pos)),
        })
    }

    fn process_terms(&mut self, expr: R) -> Result<Node, Fail> {
        let pos = expr.pos;
        let keep_array = expr.keep_array;
        let _ = keep_array;
        Ok(match expr.raw {
            Raw::Condition(c, t, e) => {
                let mut result = Node::new(Kind::Null, pos);
                let c = self.process(*c)?;
                push_ancestry(&mut result, &c);
                let t = self.process(*t)?;
                push_ancestry(&mut result, &t);
                let e = match e {
                    Some(e) => {
                        let e = self.process(*e)?;
                        push_ancestry(&mut result, &e);
                        Some(Box::new(e))
                    }
                    None => None,
                };
                result.kind = Kind::Condition(Box::new(c), Box::new(t), e);
                result
            }
            Raw::Coalesce(l, rr) => self.either(pos, *l, *rr, Kind::Coalesce)?,
            Raw::Elvis(l, rr) => self.either(pos, *l, *rr, Kind::Elvis)?,
            Raw::Transform(p, u, d) => {
                let p = self.process(*p)?;
                let u = self.process(*u)?;
                let d = match d {
                    Some(d) => Some(self.process(*d)?),
                    None => None,
                };
                let def = TransformDef { pattern: p, update: u, delete: d, pos };
                Node::new(Kind::Transform(Rc::new(def)), pos)
            }
            Raw::Block(exprs) => {
                let mut result = Node::new(Kind::Null, pos);
                let mut out = Vec::new();
                for e in exprs {
                    let part = self.process(e)?;
                    push_ancestry(&mut result, &part);
                    let cons = part.cons_array
                        || matches!(&part.kind, Kind::Path(steps) if steps.first().is_some_and(|s| s.cons_array));
                    if cons {
                        result.cons_array = true;
                    }
                    out.push(part);
                }
                result.kind = Kind::Block(out);
                result
            }
            Raw::Name(n) => {
                let mut step = Node::new(Kind::Name(Rc::from(n)), pos);
                step.keep_array = keep_array;
                let mut p = Node::new(Kind::Path(vec![step]), pos);
                if keep_array {
                    p.keep_singleton = true;
                }
                p
            }
            Raw::OpName(n) => {
                let step = Node::new(Kind::Name(Rc::from(n)), pos);
                let mut p = Node::new(Kind::Path(vec![step]), pos);
                if keep_array {
                    p.keep_singleton = true;
                }
                p
            }
            Raw::Parent => {
                let slot = Rc::new(Slot {
                    label: RefCell::new(Rc::from(format!("!{}", self.label))),
                    level: Cell::new(1),
                    index: self.ancestry.len(),
                });
                self.label += 1;
                self.ancestry.push(slot.clone());
                Node::new(Kind::Parent(slot), pos)
            }
            Raw::Str(s) => Node::new(Kind::Str(Rc::from(s)), pos),
            Raw::Num(n) => Node::new(Kind::Num(n), pos),
            Raw::Bool(b) => Node::new(Kind::Bool(b), pos),
            Raw::Null => Node::new(Kind::Null, pos),
            Raw::Wildcard => Node::new(Kind::Wildcard, pos),
            Raw::Descendant => Node::new(Kind::Descendant, pos),
            Raw::Var(v) => Node::new(Kind::Var(Rc::from(v)), pos),
            Raw::Regex(p, f) => {
                let re = Regex::new(&p, &f).map_err(|e| e.at(pos))?;
                Node::new(Kind::Regex(Rc::new(re)), pos)
            }
            Raw::Placeholder => Node::new(Kind::Placeholder, pos),
            _ => return Err(Error::new("S0201").at(pos)),
        })
    }
}
