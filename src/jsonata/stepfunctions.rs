//! AWS Step Functions' JSONata functions (stub).
use std::cell::RefCell;
use std::rc::Rc;
pub(crate) fn install(_env: &mut super::Environment, _random: Rc<RefCell<dyn crate::query::Random>>) {}
