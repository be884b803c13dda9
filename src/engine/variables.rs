//! Workflow variables: a scope per state list run (the machine, each Parallel branch, each
//! Map iteration). Inner scopes read outer ones; assignments go to the fiber's own scope.

use crate::query::Variables;
use crate::value::Value;
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Debug, Default)]
pub struct Scope {
    parent: Option<Rc<Scope>>,
    values: RefCell<Vec<(Rc<str>, Value)>>,
}

impl Scope {
    pub fn root() -> Scope {
        Scope::default()
    }

    pub fn child(parent: &Rc<Scope>) -> Scope {
        Scope { parent: Some(parent.clone()), values: RefCell::new(Vec::new()) }
    }

    /// Sets each variable (after all right-hand sides were evaluated).
    pub fn assign(&self, pairs: &[(Rc<str>, Value)]) {
        let mut values = self.values.borrow_mut();
        for (k, v) in pairs {
            match values.iter_mut().find(|(name, _)| name == k) {
                Some(slot) => slot.1 = v.clone(),
                None => values.push((k.clone(), v.clone())),
            }
        }
    }

    /// Calls `f` with every variable visible here, outer scopes first (an inner one comes later
    /// and wins where names repeat), without collecting them.
    pub fn visit(&self, f: &mut dyn FnMut(&Rc<str>, &Value)) {
        if let Some(p) = &self.parent {
            p.visit(f);
        }
        for (k, v) in self.values.borrow().iter() {
            f(k, v);
        }
    }

    /// Every variable visible here, inner scopes shadowing outer ones.
    pub fn all(&self) -> Vec<(Rc<str>, Value)> {
        let mut out = self.parent.as_ref().map(|p| p.all()).unwrap_or_default();
        for (k, v) in self.values.borrow().iter() {
            match out.iter_mut().find(|(name, _)| name == k) {
                Some(slot) => slot.1 = v.clone(),
                None => out.push((k.clone(), v.clone())),
            }
        }
        out
    }
}

impl Variables for Scope {
    fn get(&self, name: &str) -> Option<Value> {
        let own = self.values.borrow().iter().find(|(k, _)| &**k == name).map(|(_, v)| v.clone());
        own.or_else(|| self.parent.as_ref()?.get(name))
    }
}
