//! Checks of typed field values: numbers and their ranges, enumerations, RFC 3339
//! timestamps, Map labels, Credentials, and the Retry and Catch lists with their error
//! names.

use super::{Checker, Lang, Loc, DUPLICATE_LABEL, INVALID_LABEL, RESERVED_ERROR_NAME, SCHEMA, UNCONFIRMED_MAXIMUM};
use crate::definition::schema::{self, STATES_ERRORS};
use crate::value::Value;

/// Characters a Map Label may not contain (besides whitespace and control characters).
const LABEL_FORBIDDEN: &str = "<>{}[]?*\"#%\\^|~`$&,;:/";

/// Longest Map Label AWS accepts, in characters.
const LABEL_MAX: usize = 40;

impl Checker<'_> {
    /// An integer in `[min, max]`; reports the type or the bound it breaks. Callers pass only
    /// bounds with evidence (cited there); [`Checker::unconfirmed_maximum`] warns about the
    /// others.
    pub(crate) fn integer_in(&mut self, v: &Value, loc: &Loc, min: i64, max: Option<i64>) {
        let Some(n) = v.as_i64() else {
            self.wrong_type(loc, "INTEGER");
            return;
        };
        if n < min {
            self.error(SCHEMA, loc, format!("Minimum value is {min}"));
        } else if let Some(max) = max.filter(|&m| n > m) {
            self.error(SCHEMA, loc, format!("Maximum value is {max}"));
        }
    }

    /// Warns about an integer above `max`, a maximum AWS does not document as a limit (its
    /// language service's schema uses it, or it is a default).
    pub(crate) fn unconfirmed_maximum(&mut self, v: &Value, loc: &Loc, max: i64) {
        if v.as_i64().is_some_and(|n| n > max) {
            self.warning(
                UNCONFIRMED_MAXIMUM,
                loc,
                format!("Values above {max} may be refused: AWS's language service allows at most {max} here"),
            );
        }
    }

    /// A number in `[min, max]`.
    pub(crate) fn number_in(&mut self, v: &Value, loc: &Loc, min: f64, max: Option<f64>) {
        let Some(n) = v.as_f64() else {
            self.wrong_type(loc, "NUMBER");
            return;
        };
        if n < min {
            self.error(SCHEMA, loc, format!("Minimum value is {}", Value::from(min)));
        } else if let Some(max) = max.filter(|&m| n > m) {
            self.error(SCHEMA, loc, format!("Maximum value is {}", Value::from(max)));
        }
    }

    /// A string from a fixed list.
    pub(crate) fn enum_value(&mut self, v: &Value, loc: &Loc, allowed: &[&str]) {
        match v.as_str() {
            None => self.wrong_type(loc, "STRING"),
            Some(s) if allowed.contains(&s) => {}
            Some(_) => {
                self.error(SCHEMA, loc, format!("Value should be one of the following: [{}]", allowed.join(", ")))
            }
        }
    }

    pub(crate) fn string_value(&mut self, v: &Value, loc: &Loc) {
        if !v.is_string() {
            self.wrong_type(loc, "STRING");
        }
    }

    pub(crate) fn boolean_value(&mut self, v: &Value, loc: &Loc) {
        if v.as_bool().is_none() {
            self.wrong_type(loc, "BOOLEAN");
        }
    }

    /// A `QueryLanguage` field: the string `JSONPath` or `JSONata`. Evidence: [floci-2968]
    /// (AWS gives the enum diagnostic for another value, and reads it as JSONata).
    pub(crate) fn query_language_value(&mut self, v: &Value, loc: &Loc) {
        self.enum_value(v, loc, schema::QUERY_LANGUAGES);
    }

    /// A Map processor's `ProcessorConfig`. Evidence: [map] (`Mode` INLINE or DISTRIBUTED,
    /// `ExecutionType` STANDARD or EXPRESS, no other field).
    pub(crate) fn processor_config(&mut self, v: &Value, loc: &Loc) {
        let Some(obj) = v.as_object() else {
            self.wrong_type(loc, "OBJECT");
            return;
        };
        // The fields of schema::PROCESSOR_CONFIG_FIELDS (a test keeps the arms in step).
        for (key, v) in obj.iter() {
            match &**key {
                "Mode" => self.enum_value(v, &loc.key(key), schema::MODES),
                "ExecutionType" => self.enum_value(v, &loc.key(key), schema::EXECUTION_TYPES),
                _ => self.not_supported(loc, key),
            }
        }
    }

    /// A Wait state's literal `Timestamp` (and a Choice `Timestamp*` operand). Evidence: the
    /// recorded `test_base_scenarios.TestBaseScenarios.test_wait_timestamp_invalid--*`.
    pub(crate) fn timestamp_value(&mut self, v: &Value, loc: &Loc) {
        match v.as_str() {
            None => self.wrong_type(loc, "STRING"),
            Some(s) if is_rfc3339(s) => {}
            Some(_) => self.error(SCHEMA, loc, "String does not match RFC3339 timestamp"),
        }
    }

    /// A Map state's `Label`: 1 to 40 characters, none of them reserved, unique machine-wide.
    /// Evidence: the recorded `test_sfn_api_map_run.TestSnfApiMapRun.test_map_state_label_*`
    /// (AWS refused each with InvalidDefinition; the messages are LocalStack's).
    pub(crate) fn label(&mut self, v: &Value, loc: &Loc) {
        let Some(label) = v.as_str() else {
            self.wrong_type(loc, "STRING");
            return;
        };
        if label.is_empty() {
            self.error(INVALID_LABEL, loc, "Label cannot be empty");
        } else if label.chars().count() > LABEL_MAX {
            self.error(INVALID_LABEL, loc, format!("Label cannot exceed {LABEL_MAX} characters"));
        } else if let Some(c) = label.chars().find(|&c| label_char_forbidden(c)) {
            self.error(INVALID_LABEL, loc, format!("Label contains invalid character: {}", quote_char(c)));
        } else if self.labels.insert(std::rc::Rc::from(label), ()).is_some() {
            self.error(DUPLICATE_LABEL, loc, format!("Duplicate Label: {label}"));
        }
    }

    /// A Task's `Credentials`: an object naming the role to assume. Other members are not
    /// reported: AWS answers `{"InvalidField": ...}` with the missing RoleArn alone. Evidence:
    /// the recorded `test_credentials_base.TestCredentialsBase.test_invalid_credentials_field--*`.
    pub(crate) fn credentials(&mut self, v: &Value, loc: &Loc, lang: Lang) {
        let Some(obj) = v.as_object() else {
            self.wrong_type(loc, "OBJECT");
            return;
        };
        let role = obj.get("RoleArn").or_else(|| if lang == Lang::JsonPath { obj.get("RoleArn.$") } else { None });
        match role {
            None => self.error(SCHEMA, loc, "The field 'RoleArn' is required but was missing"),
            Some(role) => {
                let key = if obj.contains_key("RoleArn") { "RoleArn" } else { "RoleArn.$" };
                if key == "RoleArn.$" {
                    self.template_path_value(role, &loc.key(key), loc, key);
                } else if lang == Lang::Jsonata && self.jsonata_value(role, &loc.key(key)) {
                    // an expression, checked
                } else {
                    self.string_value(role, &loc.key(key));
                }
            }
        }
    }

    /// A `Retry` list. Evidence for the ranges: [errors] (IntervalSeconds a positive integer up
    /// to 99999999, MaxAttempts from 0 to 99999999, MaxDelaySeconds from 1 to 31622400,
    /// BackoffRate at least 1.0, JitterStrategy FULL or NONE) and [spec].
    pub(crate) fn retriers(&mut self, v: &Value, loc: &Loc) {
        let Some(list) = v.as_array() else {
            self.wrong_type(loc, "ARRAY");
            return;
        };
        for (i, retrier) in list.iter().enumerate() {
            let here = loc.index(i);
            let Some(obj) = retrier.as_object() else {
                self.wrong_type(&here, "OBJECT");
                continue;
            };
            if !obj.contains_key("ErrorEquals") {
                self.required(&here, &["ErrorEquals"]);
            }
            // The fields of schema::RETRIER_FIELDS (a test keeps the arms in step).
            for (key, v) in obj.iter() {
                let at = here.key(key);
                match &**key {
                    "ErrorEquals" => self.error_equals(v, &at, i + 1 == list.len(), "Retrier"),
                    "IntervalSeconds" => self.integer_in(v, &at, 1, Some(99_999_999)),
                    "MaxAttempts" => self.integer_in(v, &at, 0, Some(99_999_999)),
                    "MaxDelaySeconds" => self.integer_in(v, &at, 1, Some(31_622_400)),
                    "BackoffRate" => self.number_in(v, &at, 1.0, None),
                    "JitterStrategy" => self.enum_value(v, &at, schema::JITTER_STRATEGIES),
                    "Comment" => self.string_value(v, &at),
                    _ => self.not_supported(&here, key),
                }
            }
        }
    }

    /// A `Catch` list; returns the catchers' `Next` targets with their places. Evidence: [spec]
    /// (ErrorEquals and Next required; ResultPath in JSONPath, Output in JSONata: [floci-2968]).
    pub(crate) fn catchers(&mut self, v: &Value, loc: &Loc, lang: Lang, depth: usize) -> Vec<(std::rc::Rc<str>, Loc)> {
        let mut targets = Vec::new();
        let Some(list) = v.as_array() else {
            self.wrong_type(loc, "ARRAY");
            return targets;
        };
        for (i, catcher) in list.iter().enumerate() {
            let here = loc.index(i);
            let Some(obj) = catcher.as_object() else {
                self.wrong_type(&here, "OBJECT");
                continue;
            };
            let missing: Vec<&str> = ["ErrorEquals", "Next"].into_iter().filter(|f| !obj.contains_key(f)).collect();
            self.required(&here, &missing);
            // The fields of schema::CATCHER_FIELDS (a test keeps the arms in step).
            for (key, v) in obj.iter() {
                let at = here.key(key);
                match (&**key, lang) {
                    ("ErrorEquals", _) => self.error_equals(v, &at, i + 1 == list.len(), "Catcher"),
                    ("Next", _) => match v {
                        Value::String(s) => targets.push((s.clone(), at)),
                        _ => self.wrong_type(&at, "STRING"),
                    },
                    ("Comment", _) => self.string_value(v, &at),
                    ("Assign", _) => self.assign(v, &at, lang, depth),
                    ("ResultPath", Lang::JsonPath) => self.path_value(v, &at, key, super::expr::PathKind::ResultPath),
                    ("Output", Lang::Jsonata) => self.jsonata_template(v, &at, depth),
                    ("ResultPath", Lang::Jsonata) | ("Output", Lang::JsonPath) => self.wrong_language(&here, key, lang),
                    _ => self.not_supported(&here, key),
                }
            }
        }
        targets
    }

    /// An `ErrorEquals` list: non-empty strings ([spec]: "a non-empty array of Strings");
    /// `States.ALL` alone and in the last entry; other `States.` names warned about.
    fn error_equals(&mut self, v: &Value, loc: &Loc, is_last: bool, what: &str) {
        let Some(list) = v.as_array() else {
            self.wrong_type(loc, "ARRAY");
            return;
        };
        if list.is_empty() {
            self.error(SCHEMA, loc, "Value cannot be empty");
        }
        for (i, name) in list.iter().enumerate() {
            let at = loc.index(i);
            let Some(name) = name.as_str() else {
                self.wrong_type(&at, "STRING");
                continue;
            };
            // Evidence: the ASL specification (https://states-language.net/spec.html#error-names)
            // and https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html:
            // States.ALL MUST appear alone in ErrorEquals and in the last Retrier/Catcher.
            if name == "States.ALL" {
                if list.len() > 1 {
                    self.error(SCHEMA, &at, "States.ALL must appear alone in ErrorEquals");
                }
                if !is_last {
                    self.error(SCHEMA, &at, format!("States.ALL must appear in the last {what}"));
                }
            } else {
                self.reserved_error_name(name, &at);
            }
        }
    }

    /// Warns about an error name in the `States.` namespace that Step Functions does not
    /// define. AWS's documentation reserves the prefix for its own errors, yet AWS accepts such
    /// names (its samples collection raises `States.QuorumMet` from a Fail state and catches
    /// it, deployed with CloudFormation); the name then matches only itself.
    pub(crate) fn reserved_error_name(&mut self, name: &str, loc: &Loc) {
        // HTTP Tasks raise `States.Http.StatusCode.<code>` for an error status
        // (https://docs.aws.amazon.com/step-functions/latest/dg/call-https-apis.html).
        let http_status = name
            .strip_prefix("States.Http.StatusCode.")
            .is_some_and(|code| code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()));
        if name.starts_with("States.") && !STATES_ERRORS.contains(&name) && !http_status {
            self.warning(
                RESERVED_ERROR_NAME,
                loc,
                format!(
                    "'{name}' is not an error Step Functions defines: names starting with 'States.' are reserved for its own errors. It matches only an error raised with exactly this name"
                ),
            );
        }
    }
}

fn label_char_forbidden(c: char) -> bool {
    c.is_whitespace() || LABEL_FORBIDDEN.contains(c) || (c as u32) < 0x20 || (0x7f..=0x9f).contains(&(c as u32))
}

/// A character quoted as Python's `repr` shows it (the form the recorded messages use):
/// `','`, `'\\'`, `'\n'`, `'\x8d'`.
pub(crate) fn quote_char(c: char) -> String {
    match c {
        '\\' => "'\\\\'".to_string(),
        '\'' => "\"'\"".to_string(),
        '\n' => "'\\n'".to_string(),
        '\t' => "'\\t'".to_string(),
        '\r' => "'\\r'".to_string(),
        c if (c as u32) < 0x20 || (0x7f..=0xa0).contains(&(c as u32)) => format!("'\\x{:02x}'", c as u32),
        c => format!("'{c}'"),
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` with real calendar values.
pub(crate) fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |from: usize, n: usize| -> Option<u32> {
        let part = b.get(from..from + n)?;
        if part.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(part).ok()?.parse().ok()
        } else {
            None
        }
    };
    let sep = |i: usize, c: u8| b.get(i) == Some(&c);
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) =
        (digits(0, 4), digits(5, 2), digits(8, 2), digits(11, 2), digits(14, 2), digits(17, 2))
    else {
        return false;
    };
    if !(sep(4, b'-') && sep(7, b'-') && sep(10, b'T') && sep(13, b':') && sep(16, b':')) {
        return false;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days || hour > 23 || minute > 59 || second > 59 {
        return false;
    }
    let mut i = 19;
    if sep(i, b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match b.get(i) {
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            let (Some(h), Some(m)) = (digits(i + 1, 2), digits(i + 4, 2)) else { return false };
            sep(i + 3, b':') && h <= 23 && m <= 59 && i + 6 == b.len()
        }
        _ => false,
    }
}
