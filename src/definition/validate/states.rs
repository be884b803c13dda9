//! The fields of each state type, per query language, and the check of one state: required
//! and unsupported fields, language mixing, Next/End, mutually exclusive fields, then each
//! field's value.

use super::expr::PathKind;
use super::{lang_of, Checker, Edges, Lang, Loc, MachineKind, SCHEMA};
use crate::definition::schema::{has_next_or_end, state_fields, FieldSet, Fit, STATE_TYPES, UNIVERSAL_FIELDS};
use crate::value::{Map, Value};

/// Fields of which at most one may be present, per state type. Evidence: [task] (a value or
/// its `...Path`), [wait] ("exactly one of" the four), [fail] (Error or ErrorPath, Cause or
/// CausePath), [map] (ItemProcessor or the older Iterator, ItemSelector or the older
/// Parameters, each value or its `...Path`).
fn exclusive_groups(state_type: &str) -> &'static [&'static [&'static str]] {
    match state_type {
        "Task" => &[&["TimeoutSeconds", "TimeoutSecondsPath"], &["HeartbeatSeconds", "HeartbeatSecondsPath"]],
        "Wait" => &[&["Seconds", "SecondsPath", "Timestamp", "TimestampPath"]],
        "Fail" => &[&["Error", "ErrorPath"], &["Cause", "CausePath"]],
        "Map" => &[
            &["ItemProcessor", "Iterator"],
            &["ItemSelector", "Parameters"],
            &["MaxConcurrency", "MaxConcurrencyPath"],
            &["ToleratedFailurePercentage", "ToleratedFailurePercentagePath"],
            &["ToleratedFailureCount", "ToleratedFailureCountPath"],
        ],
        _ => &[],
    }
}

/// How `key` fits a state of these fields in `lang`.
fn fit(fields: &FieldSet, key: &str, lang: Lang) -> Fit {
    if UNIVERSAL_FIELDS.contains(&key) {
        Fit::Fits
    } else {
        fields.fit(key, lang)
    }
}

impl Checker<'_> {
    /// A field of the other query language, in AWS's words, reported at the state. Evidence:
    /// [floci-2968] (measured message and location).
    pub(crate) fn wrong_language(&mut self, loc: &Loc, field: &str, lang: Lang) {
        self.error(
            SCHEMA,
            loc,
            format!(
                "The QueryLanguage is set to '{}', but field '{field}' is only supported for the '{}' QueryLanguage",
                lang.name(),
                lang.other().name()
            ),
        );
    }

    /// Checks one state and returns what it adds to its machine's graph.
    pub(crate) fn state(&mut self, value: &Value, loc: &Loc, depth: usize) -> Edges {
        let mut edges = Edges::default();
        let Some(obj) = value.as_object() else {
            self.wrong_type(loc, "OBJECT");
            return edges;
        };
        let state_type = match obj.get("Type") {
            None => {
                self.required(loc, &["Type"]);
                None
            }
            Some(Value::String(t)) if STATE_TYPES.contains(&&**t) => Some(t.clone()),
            // Evidence: recorded `test_test_state_machine_scenarios.TestStateMachineScenarios.test_state_name_invalid_state_*`.
            Some(_) => {
                self.error(
                    SCHEMA,
                    &loc.key("Type"),
                    format!("The field 'Type' should have one of these values: [{}]", STATE_TYPES.join(", ")),
                );
                None
            }
        };
        let Some(state_type) = state_type else {
            // Still follow its Next, so that its successors are not reported unreachable.
            if let Some(Value::String(next)) = obj.get("Next") {
                edges.targets.push((next.clone(), loc.key("Next")));
            }
            edges.terminal = obj.get("End").and_then(Value::as_bool) == Some(true);
            return edges;
        };
        let state_type: &str = &state_type;
        let declared = obj.get("QueryLanguage");
        let lang = declared.map_or(self.machine_lang, lang_of);
        let downgraded = self.machine_lang == Lang::Jsonata && declared.and_then(Value::as_str) == Some("JSONPath");
        // Evidence: recorded `...test_validate_state_machine_definition_type_*--INVALID_DOWNGRADE_QUERY_LANGUAGE`.
        if downgraded {
            self.error(
                SCHEMA,
                loc,
                "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
            );
        }
        self.required_fields(obj, state_type, loc);
        let fields = state_fields(state_type);
        for key in obj.keys() {
            match fit(&fields, key, lang) {
                Fit::Fits => {}
                Fit::OtherLanguage if downgraded => {}
                Fit::OtherLanguage => self.wrong_language(loc, key, lang),
                Fit::Unsupported => self.not_supported(loc, key),
            }
        }
        // Evidence: [spec] (a non-terminal state MUST have exactly one of Next and End: true).
        if has_next_or_end(state_type) {
            let ends = obj.get("End").and_then(Value::as_bool) == Some(true);
            match (obj.get("Next"), ends) {
                (Some(_), true) => self.error(SCHEMA, loc, "Only one of the fields 'Next' and 'End' may be present"),
                (None, false) => self.error(SCHEMA, loc, "One of the fields 'Next' or 'End' is required"),
                _ => {}
            }
            edges.terminal = ends;
        }
        edges.terminal |= matches!(state_type, "Succeed" | "Fail");
        // Evidence: see `exclusive_groups`.
        for group in exclusive_groups(state_type) {
            let present: Vec<&str> = group.iter().copied().filter(|f| obj.contains_key(f)).collect();
            if present.len() > 1 {
                self.error(
                    SCHEMA,
                    &loc.key(present[0]),
                    format!("Only one of the fields [{}] may be present", present.join(", ")),
                );
            }
        }
        // Evidence: [wait] ("you must specify exactly one of" the four fields).
        if state_type == "Wait"
            && !["Seconds", "SecondsPath", "Timestamp", "TimestampPath"].iter().any(|f| obj.contains_key(f))
        {
            self.error(SCHEMA, loc, "One of the fields [Seconds, SecondsPath, Timestamp, TimestampPath] is required");
        }
        for (key, v) in obj.iter() {
            let fits = matches!(fit(&fields, key, lang), Fit::Fits) || downgraded && fields_known(&fields, key);
            if fits {
                self.field(key, v, loc, lang, depth, &mut edges);
            }
        }
        // Evidence: [task] (HeartbeatSeconds "less than the number of seconds specified in the
        // TimeoutSeconds field") and [spec].
        if state_type == "Task" {
            if let (Some(t), Some(h)) =
                (obj.get("TimeoutSeconds").and_then(Value::as_i64), obj.get("HeartbeatSeconds").and_then(Value::as_i64))
            {
                if h >= t {
                    self.error(
                        SCHEMA,
                        &loc.key("HeartbeatSeconds"),
                        "HeartbeatSeconds must be smaller than TimeoutSeconds",
                    );
                }
            }
        }
        edges
    }

    /// Evidence: [spec] (Resource, Choices, Branches, ItemProcessor or Iterator MUST be there).
    fn required_fields(&mut self, obj: &Map, state_type: &str, loc: &Loc) {
        let required: &[&str] = match state_type {
            "Task" => &["Resource"],
            "Choice" => &["Choices"],
            "Parallel" => &["Branches"],
            "Map" if !obj.contains_key("Iterator") => &["ItemProcessor"],
            _ => &[],
        };
        let missing: Vec<&str> = required.iter().copied().filter(|f| !obj.contains_key(f)).collect();
        self.required(loc, &missing);
    }

    /// The value of one field of a state whose type and language accept it.
    #[allow(clippy::too_many_arguments)]
    fn field(&mut self, key: &str, v: &Value, state: &Loc, lang: Lang, depth: usize, edges: &mut Edges) {
        let at = state.key(key);
        match key {
            "Type" => {}
            "Comment" => self.string_value(v, &at),
            "QueryLanguage" => self.query_language_value(v, &at),
            "Next" => match v {
                Value::String(next) => edges.targets.push((next.clone(), at)),
                _ => self.wrong_type(&at, "STRING"),
            },
            "End" => self.boolean_value(v, &at),
            "InputPath" | "OutputPath" => self.path_value(v, &at, key, PathKind::PathOrNull),
            "ResultPath" => self.path_value(v, &at, key, PathKind::ResultPath),
            "ItemsPath"
            | "TimeoutSecondsPath"
            | "HeartbeatSecondsPath"
            | "SecondsPath"
            | "TimestampPath"
            | "MaxConcurrencyPath"
            | "ToleratedFailurePercentagePath"
            | "ToleratedFailureCountPath" => self.path_value(v, &at, key, PathKind::Reference),
            "ErrorPath" | "CausePath" => self.path_value(v, &at, key, PathKind::ReferenceOrIntrinsic),
            "Parameters" | "ResultSelector" => self.template(v, &at, depth),
            "ItemSelector" => match lang {
                Lang::JsonPath => self.template(v, &at, depth),
                Lang::Jsonata => self.jsonata_object(v, &at, depth),
            },
            "Arguments" => self.jsonata_object(v, &at, depth),
            "Output" => self.jsonata_template(v, &at, depth),
            "Result" => self.pass_result(v, &at),
            "Assign" => self.assign(v, &at, lang, depth),
            "Resource" => self.resource(v, &at),
            "Credentials" => self.credentials(v, &at, lang),
            // [task]: "a positive, non-zero integer"; 99999999 is only its documented default.
            "TimeoutSeconds" | "HeartbeatSeconds" => self.expression_or(v, &at, lang, |c| {
                c.integer_in(v, &at, 1, None);
                c.unconfirmed_maximum(v, &at, 99_999_999);
            }),
            // [wait]: "an integer value from 0 to 99999999".
            "Seconds" => self.expression_or(v, &at, lang, |c| c.integer_in(v, &at, 0, Some(99_999_999))),
            "Timestamp" => self.expression_or(v, &at, lang, |c| c.timestamp_value(v, &at)),
            "Error" | "Cause" => self.expression_or(v, &at, lang, |c| {
                c.string_value(v, &at);
                if lang == Lang::JsonPath {
                    c.no_path(v, &at, key);
                }
                if let (Some(name), "Error") = (v.as_str(), key) {
                    c.reserved_error_name(name, &at);
                }
            }),
            // [map]: non-negative integers; a percentage from 0 to 100.
            "MaxConcurrency" | "ToleratedFailureCount" => {
                self.expression_or(v, &at, lang, |c| c.integer_in(v, &at, 0, None))
            }
            "ToleratedFailurePercentage" => self.expression_or(v, &at, lang, |c| c.number_in(v, &at, 0.0, Some(100.0))),
            // [map], [jsonata]: Items is an array or an expression evaluating to one.
            "Items" => self.expression_or(v, &at, lang, |c| {
                if !v.is_array() {
                    c.wrong_type(&at, "ARRAY");
                }
            }),
            "Label" => self.label(v, &at),
            "Retry" => self.retriers(v, &at),
            "Catch" => {
                let targets = self.catchers(v, &at, lang, depth);
                edges.targets.extend(targets);
            }
            "Choices" => {
                let targets = self.choices(v, &at, lang, depth);
                edges.targets.extend(targets);
            }
            "Default" => match v {
                Value::String(next) => edges.targets.push((next.clone(), at)),
                _ => self.wrong_type(&at, "STRING"),
            },
            "Branches" => match v.as_array() {
                // Evidence: recorded `test_state_mock_validation.TestStateMockValidation.test_parallel_state_empty_branches`.
                Some(branches) if branches.is_empty() => self.error(SCHEMA, &at, "Value cannot be empty"),
                Some(branches) => {
                    for (i, branch) in branches.iter().enumerate() {
                        self.machine(branch, &at.index(i), MachineKind::Branch, depth + 1);
                    }
                }
                None => self.wrong_type(&at, "ARRAY"),
            },
            "ItemProcessor" | "Iterator" => self.machine(v, &at, MachineKind::Processor, depth + 1),
            "ItemReader" | "ResultWriter" | "ItemBatcher" => self.map_config(key, v, &at, lang, depth),
            _ => {}
        }
    }

    /// A JSONata `Arguments` or `ItemSelector`: an object template or one expression.
    fn jsonata_object(&mut self, v: &Value, loc: &Loc, depth: usize) {
        if v.is_object() {
            self.jsonata_template(v, loc, depth);
        } else if !self.jsonata_value(v, loc) {
            self.wrong_type(loc, "OBJECT");
        }
    }

    /// A Map's `ItemReader`, `ResultWriter` or `ItemBatcher`: an object whose `Resource` is a
    /// string and whose `Parameters`/`Arguments` are templates of the state's language.
    fn map_config(&mut self, key: &str, v: &Value, loc: &Loc, lang: Lang, depth: usize) {
        let Some(obj) = v.as_object() else {
            self.wrong_type(loc, "OBJECT");
            return;
        };
        // Evidence: [map] (an ItemReader's Resource is required).
        if key == "ItemReader" && !obj.contains_key("Resource") {
            self.required(loc, &["Resource"]);
        }
        for (field, value) in obj.iter() {
            let at = loc.key(field);
            match (&**field, lang) {
                ("Resource", _) => self.string_value(value, &at),
                ("Parameters", Lang::JsonPath) => self.template(value, &at, depth),
                ("Arguments", Lang::Jsonata) => self.jsonata_object(value, &at, depth),
                ("Parameters", Lang::Jsonata) | ("Arguments", Lang::JsonPath) => self.wrong_language(loc, field, lang),
                ("BatchInput", Lang::JsonPath) => self.template(value, &at, depth),
                ("BatchInput", Lang::Jsonata) => self.jsonata_template(value, &at, depth),
                _ => {}
            }
        }
    }
}

/// Whether `key` belongs to the state type in either language.
fn fields_known(fields: &FieldSet, key: &str) -> bool {
    UNIVERSAL_FIELDS.contains(&key) || fields.knows(key)
}
