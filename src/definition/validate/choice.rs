//! Choice rules: in JSONPath, a top-level rule has `Next` and exactly one comparison (on a
//! `Variable`) or boolean combination (`And`, `Or`, `Not`, nested without `Next`); in
//! JSONata, a rule has a `Condition` and `Next`.

use super::expr::PathKind;
use super::{Checker, Lang, Loc, MAX_NESTING, SCHEMA};
use crate::definition::schema::{operand_of, Operand, BOOLEAN_OPERATORS};
use crate::value::Value;
use std::rc::Rc;

impl Checker<'_> {
    /// A Choice state's `Choices`; returns the rules' `Next` targets with their places.
    /// Evidence: [spec] and [choice]: a non-empty array of rules, each top-level rule with
    /// `Next`; in JSONata a `Condition` (an expression or a boolean), in JSONPath exactly one
    /// comparison on a `Variable` or one of And, Or, Not (non-empty arrays, nested rules
    /// without `Next`), each operand of its operator's type ([sls-6041] for types).
    pub(crate) fn choices(&mut self, v: &Value, loc: &Loc, lang: Lang, depth: usize) -> Vec<(Rc<str>, Loc)> {
        let mut targets = Vec::new();
        let Some(rules) = v.as_array() else {
            self.wrong_type(loc, "ARRAY");
            return targets;
        };
        if rules.is_empty() {
            self.error(SCHEMA, loc, "Value cannot be empty");
        }
        for (i, rule) in rules.iter().enumerate() {
            let here = loc.index(i);
            if !rule.is_object() {
                self.wrong_type(&here, "OBJECT");
                continue;
            }
            if rule.get("Next").is_none() {
                self.required(&here, &["Next"]);
            }
            match lang {
                Lang::JsonPath => self.jsonpath_rule(rule, &here, true, depth),
                Lang::Jsonata => self.jsonata_rule(rule, &here, depth),
            }
            match rule.get("Next") {
                Some(Value::String(next)) => targets.push((next.clone(), here.key("Next"))),
                Some(_) => self.wrong_type(&here.key("Next"), "STRING"),
                None => {}
            }
        }
        targets
    }

    fn jsonata_rule(&mut self, rule: &Value, loc: &Loc, depth: usize) {
        let Some(obj) = rule.as_object() else { return };
        if !obj.contains_key("Condition") {
            self.required(loc, &["Condition"]);
        }
        for (key, v) in obj.iter() {
            let at = loc.key(key);
            match &**key {
                "Next" => {}
                "Comment" => self.string_value(v, &at),
                "Condition" => {
                    if v.as_bool().is_none() && !self.jsonata_value(v, &at) {
                        self.error(SCHEMA, &at, "The Condition must be a JSONata expression or a boolean");
                    }
                }
                "Assign" => self.assign(v, &at, Lang::Jsonata, depth),
                "Output" => self.jsonata_template(v, &at, depth),
                k if k == "Variable" || BOOLEAN_OPERATORS.contains(&k) || operand_of(k).is_some() => {
                    self.wrong_language(loc, key, Lang::Jsonata)
                }
                _ => self.not_supported(loc, key),
            }
        }
    }

    /// A JSONPath rule; `top` for the rules directly in `Choices` (which carry `Next`).
    fn jsonpath_rule(&mut self, rule: &Value, loc: &Loc, top: bool, depth: usize) {
        if depth > MAX_NESTING {
            self.too_deep(loc);
            return;
        }
        let Some(obj) = rule.as_object() else {
            self.wrong_type(loc, "OBJECT");
            return;
        };
        let operators: Vec<&str> =
            obj.keys().map(|k| &**k).filter(|k| BOOLEAN_OPERATORS.contains(k) || operand_of(k).is_some()).collect();
        if operators.len() != 1 {
            self.error(SCHEMA, loc, "A Choice Rule must have exactly one comparison operator or And, Or, Not");
        }
        let compares = operators.iter().any(|k| operand_of(k).is_some());
        if compares && !obj.contains_key("Variable") {
            self.required(loc, &["Variable"]);
        }
        for (key, v) in obj.iter() {
            let at = loc.key(key);
            match &**key {
                "Next" if top => {}
                "Assign" if top => self.assign(v, &at, Lang::JsonPath, depth),
                "Comment" => self.string_value(v, &at),
                "Variable" => self.path_value(v, &at, key, PathKind::Path),
                "And" | "Or" => match v.as_array() {
                    Some(rules) if rules.is_empty() => self.error(SCHEMA, &at, "Value cannot be empty"),
                    Some(rules) => {
                        for (i, rule) in rules.iter().enumerate() {
                            self.jsonpath_rule(rule, &at.index(i), false, depth + 1);
                        }
                    }
                    None => self.wrong_type(&at, "ARRAY"),
                },
                "Not" => self.jsonpath_rule(v, &at, false, depth + 1),
                "Condition" | "Output" => self.wrong_language(loc, key, Lang::JsonPath),
                k => match operand_of(k) {
                    Some(operand) => self.operand(k, operand, v, &at),
                    None => self.not_supported(loc, key),
                },
            }
        }
    }

    fn operand(&mut self, operator: &str, operand: Operand, v: &Value, loc: &Loc) {
        match operand {
            Operand::String => {
                self.string_value(v, loc);
                if operator != "StringMatches" {
                    self.no_path(v, loc, operator);
                }
            }
            Operand::Number => {
                if !v.is_number() {
                    self.wrong_type(loc, "NUMBER");
                }
            }
            Operand::Boolean => self.boolean_value(v, loc),
            Operand::Timestamp => {
                self.timestamp_value(v, loc);
            }
            Operand::Path => self.path_value(v, loc, operator, PathKind::Path),
        }
    }
}
