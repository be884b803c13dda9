//! The context object `$$`: the execution's, the state machine's and the state's facts.

use crate::time::{format_iso, Millis};
use crate::value::{Map, Value};
use std::rc::Rc;

/// The names and ARNs an execution runs under.
#[derive(Clone, Debug)]
pub struct ExecutionIds {
    pub account_id: String,
    pub region: String,
    pub partition: String,
    pub state_machine_name: String,
    pub execution_name: String,
    /// When empty, `arn:PARTITION:iam::ACCOUNT:role/StepFunctionsRole`.
    pub role_arn: String,
    /// The execution's ARN when given (e.g. an EXPRESS execution's); otherwise made from the names.
    pub execution_arn: Option<String>,
}

impl Default for ExecutionIds {
    fn default() -> ExecutionIds {
        ExecutionIds {
            account_id: "123456789012".into(),
            region: "us-east-1".into(),
            partition: "aws".into(),
            state_machine_name: "StateMachine".into(),
            execution_name: "execution".into(),
            role_arn: String::new(),
            execution_arn: None,
        }
    }
}

impl ExecutionIds {
    pub fn state_machine_arn(&self) -> String {
        format!(
            "arn:{}:states:{}:{}:stateMachine:{}",
            self.partition, self.region, self.account_id, self.state_machine_name
        )
    }

    pub fn execution_arn(&self) -> String {
        if let Some(arn) = &self.execution_arn {
            return arn.clone();
        }
        format!(
            "arn:{}:states:{}:{}:execution:{}:{}",
            self.partition, self.region, self.account_id, self.state_machine_name, self.execution_name
        )
    }

    pub fn role_arn(&self) -> Rc<str> {
        if self.role_arn.is_empty() {
            Rc::from(format!("arn:{}:iam::{}:role/StepFunctionsRole", self.partition, self.account_id))
        } else {
            Rc::from(self.role_arn.as_str())
        }
    }
}

/// The parts of `$$` that do not change during an execution.
#[derive(Debug)]
pub struct Base {
    execution: Value,
    state_machine: Value,
    /// A context object given whole (TestState's `context`), used instead.
    pub fixed: Option<Value>,
}

impl Base {
    pub fn new(ids: &ExecutionIds, input: &Value, start: Millis, synchronous: bool) -> Base {
        let mut e = Map::new();
        e.push_unique("Id", Value::from(ids.execution_arn()));
        e.push_unique("Input", input.clone());
        e.push_unique("StartTime", Value::from(format_iso(start)));
        e.push_unique("Name", Value::from(ids.execution_name.as_str()));
        e.push_unique("RoleArn", Value::String(ids.role_arn()));
        if !synchronous {
            e.push_unique("RedriveCount", Value::from(0));
        }
        let mut sm = Map::new();
        sm.push_unique("Id", Value::from(ids.state_machine_arn()));
        sm.push_unique("Name", Value::from(ids.state_machine_name.as_str()));
        Base { execution: Value::from(e), state_machine: Value::from(sm), fixed: None }
    }

    /// `$$` for a state entered at `entered`.
    pub fn for_state(&self, name: &Rc<str>, entered: Millis, retry_count: u32, with_retry_count: bool) -> Value {
        if let Some(fixed) = &self.fixed {
            return fixed.clone();
        }
        let mut s = Map::new();
        s.push_unique("Name", Value::String(name.clone()));
        s.push_unique("EnteredTime", Value::from(format_iso(entered)));
        if with_retry_count {
            s.push_unique("RetryCount", Value::from(retry_count as i64));
        }
        let mut m = Map::with_capacity(3);
        m.push_unique("Execution", self.execution.clone());
        m.push_unique("StateMachine", self.state_machine.clone());
        m.push_unique("State", Value::from(s));
        Value::from(m)
    }
}

/// Adds `Map.Item` (and `Task.Token`) to a state's context object.
pub fn with_member(context: &Value, key: &str, value: Value) -> Value {
    let mut m = context.as_object().map(|m| (**m).clone()).unwrap_or_default();
    m.insert(key, value);
    Value::from(m)
}
