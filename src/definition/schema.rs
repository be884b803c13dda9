//! The shape of a definition, as data: which fields each kind of object accepts in each query
//! language, the values of the enumerated fields, the eight state types, the `States.*` error
//! names and the Choice comparison operators.
//!
//! One list, two readers: the validator (`validate`) checks definitions against these tables,
//! and the editor's language service (`crate::language`) completes and documents from them,
//! so a field added here is both accepted and offered. Where the validator spells fields out
//! in match arms (Retrier, Catcher, ProcessorConfig: each arm checks that field's value), the
//! tests below keep the arms and the tables in step. The Distributed Map's objects
//! (`ItemReader`, `ReaderConfig`, `ItemBatcher`, `ResultWriter`, `WriterConfig`) are read by
//! `distributed` when the Map runs; their tables here are what the editor offers.

/// The query language an object's fields are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    JsonPath,
    Jsonata,
}

impl Lang {
    /// The name as a definition writes it: `JSONPath` or `JSONata`.
    // Inlined (as `other`): the validator's messages then keep the engine's module as it was.
    #[inline(always)]
    pub fn name(self) -> &'static str {
        match self {
            Lang::JsonPath => "JSONPath",
            Lang::Jsonata => "JSONata",
        }
    }

    /// The other language.
    #[inline(always)]
    pub fn other(self) -> Lang {
        match self {
            Lang::JsonPath => Lang::Jsonata,
            Lang::Jsonata => Lang::JsonPath,
        }
    }
}

/// The eight state types, in AWS's order.
pub const STATE_TYPES: &[&str] = &["Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map"];

/// Fields every state may have, whatever its type and language.
pub const UNIVERSAL_FIELDS: &[&str] = &["Type", "Comment", "QueryLanguage"];

/// The fields an object accepts: in both languages, only in JSONPath, only in JSONata.
#[derive(Clone, Copy, Debug)]
pub struct FieldSet {
    pub both: &'static [&'static str],
    pub jsonpath: &'static [&'static str],
    pub jsonata: &'static [&'static str],
}

/// How a field relates to an object's field set in a language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fit {
    /// Accepted in that language.
    Fits,
    /// Accepted only in the other language.
    OtherLanguage,
    /// Not a field of this object.
    Unsupported,
}

impl FieldSet {
    const fn new(both: &'static [&'static str]) -> FieldSet {
        FieldSet { both, jsonpath: &[], jsonata: &[] }
    }

    /// The fields of `lang` (shared ones first).
    pub fn of(&self, lang: Lang) -> impl Iterator<Item = &'static str> {
        let own = match lang {
            Lang::JsonPath => self.jsonpath,
            Lang::Jsonata => self.jsonata,
        };
        self.both.iter().chain(own).copied()
    }

    /// Whether `key` fits in `lang`, fits only the other language, or is not a field here.
    #[inline]
    pub fn fit(&self, key: &str, lang: Lang) -> Fit {
        let (own, other) = match lang {
            Lang::JsonPath => (self.jsonpath, self.jsonata),
            Lang::Jsonata => (self.jsonata, self.jsonpath),
        };
        if self.both.contains(&key) || own.contains(&key) {
            Fit::Fits
        } else if other.contains(&key) {
            Fit::OtherLanguage
        } else {
            Fit::Unsupported
        }
    }

    /// Whether `key` is a field here in either language.
    #[inline(always)]
    pub fn knows(&self, key: &str) -> bool {
        self.both.contains(&key) || self.jsonpath.contains(&key) || self.jsonata.contains(&key)
    }
}

/// The kinds of object a definition is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Object<'a> {
    /// The definition itself.
    Machine,
    /// A Parallel state's branch.
    Branch,
    /// A Map state's `ItemProcessor` (or `Iterator`).
    Processor,
    /// A state of the given `Type` (fields beyond the universal ones: see [`state_fields`]).
    State(&'a str),
    /// An entry of `Retry`.
    Retrier,
    /// An entry of `Catch`.
    Catcher,
    /// An entry of a Choice state's `Choices`.
    ChoiceRule,
    /// A rule inside `And`, `Or` or `Not` (no `Next`, no `Assign`).
    NestedChoiceRule,
    ProcessorConfig,
    ItemReader,
    ReaderConfig,
    ItemBatcher,
    ResultWriter,
    WriterConfig,
    Credentials,
}

impl Object<'_> {
    /// The name the editor's documentation qualifies fields with (`field Retrier.MaxAttempts`):
    /// the state type for a state, `Machine` for the definition, the object's name otherwise.
    pub fn docs_name(&self) -> &str {
        match self {
            Object::Machine => "Machine",
            Object::Branch => "Branch",
            Object::Processor => "ItemProcessor",
            Object::State(t) => t,
            Object::Retrier => "Retrier",
            Object::Catcher => "Catcher",
            Object::ChoiceRule | Object::NestedChoiceRule => "ChoiceRule",
            Object::ProcessorConfig => "ProcessorConfig",
            Object::ItemReader => "ItemReader",
            Object::ReaderConfig => "ReaderConfig",
            Object::ItemBatcher => "ItemBatcher",
            Object::ResultWriter => "ResultWriter",
            Object::WriterConfig => "WriterConfig",
            Object::Credentials => "Credentials",
        }
    }

    /// The fields this object accepts: for a state, those of its type ([`UNIVERSAL_FIELDS`]
    /// come on top); for a JSONPath Choice rule, every comparison operator and `And`/`Or`/`Not`.
    pub fn fields(&self) -> FieldSet {
        match self {
            Object::Machine => MACHINE_FIELDS,
            Object::Branch => BRANCH_FIELDS,
            Object::Processor => PROCESSOR_FIELDS,
            Object::State(t) => state_fields(t),
            Object::Retrier => RETRIER_FIELDS,
            Object::Catcher => CATCHER_FIELDS,
            Object::ChoiceRule => FieldSet {
                both: &["Next", "Comment", "Assign"],
                jsonpath: CHOICE_RULE_JSONPATH,
                jsonata: &["Condition", "Output"],
            },
            Object::NestedChoiceRule => FieldSet { both: &["Comment"], jsonpath: CHOICE_RULE_JSONPATH, jsonata: &[] },
            Object::ProcessorConfig => PROCESSOR_CONFIG_FIELDS,
            Object::ItemReader => {
                FieldSet { both: &["Resource", "ReaderConfig"], jsonpath: &["Parameters"], jsonata: &["Arguments"] }
            }
            Object::ReaderConfig => FieldSet {
                both: &[
                    "InputType",
                    "CSVHeaderLocation",
                    "CSVHeaders",
                    "CSVDelimiter",
                    "MaxItems",
                    "ItemsPointer",
                    "ManifestType",
                    "Transformation",
                ],
                jsonpath: &["MaxItemsPath"],
                jsonata: &[],
            },
            Object::ItemBatcher => FieldSet {
                both: &["MaxItemsPerBatch", "MaxInputBytesPerBatch", "BatchInput"],
                jsonpath: &["MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"],
                jsonata: &[],
            },
            Object::ResultWriter => {
                FieldSet { both: &["Resource", "WriterConfig"], jsonpath: &["Parameters"], jsonata: &["Arguments"] }
            }
            Object::WriterConfig => FieldSet::new(&["Transformation", "OutputType"]),
            Object::Credentials => FieldSet::new(&["RoleArn"]),
        }
    }

    /// The values an enumerated field of this object may take, if it is one.
    pub fn enum_values(&self, field: &str) -> Option<&'static [&'static str]> {
        Some(match (self, field) {
            (_, "QueryLanguage") => QUERY_LANGUAGES,
            (Object::State(_), "Type") => STATE_TYPES,
            (Object::ProcessorConfig, "Mode") => MODES,
            (Object::ProcessorConfig, "ExecutionType") => EXECUTION_TYPES,
            (Object::Retrier, "JitterStrategy") => JITTER_STRATEGIES,
            (Object::ReaderConfig, "InputType") => INPUT_TYPES,
            (Object::ReaderConfig, "CSVHeaderLocation") => CSV_HEADER_LOCATIONS,
            (Object::ReaderConfig, "CSVDelimiter") => CSV_DELIMITERS,
            (Object::ReaderConfig, "ManifestType") => MANIFEST_TYPES,
            (Object::ReaderConfig, "Transformation") => READER_TRANSFORMATIONS,
            (Object::WriterConfig, "Transformation") => WRITER_TRANSFORMATIONS,
            (Object::WriterConfig, "OutputType") => OUTPUT_TYPES,
            _ => return None,
        })
    }
}

/// The fields of the definition itself.
pub const MACHINE_FIELDS: FieldSet =
    FieldSet::new(&["Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage"]);
/// The fields of a Parallel state's branch.
pub const BRANCH_FIELDS: FieldSet = FieldSet::new(&["Comment", "StartAt", "States"]);
/// The fields of a Map state's `ItemProcessor` (or `Iterator`).
pub const PROCESSOR_FIELDS: FieldSet = FieldSet::new(&["Comment", "StartAt", "States", "ProcessorConfig"]);
/// The fields of an entry of `Retry`.
pub const RETRIER_FIELDS: FieldSet = FieldSet::new(&[
    "ErrorEquals",
    "IntervalSeconds",
    "MaxAttempts",
    "BackoffRate",
    "MaxDelaySeconds",
    "JitterStrategy",
    "Comment",
]);
/// The fields of an entry of `Catch`.
pub const CATCHER_FIELDS: FieldSet =
    FieldSet { both: &["ErrorEquals", "Next", "Comment", "Assign"], jsonpath: &["ResultPath"], jsonata: &["Output"] };
/// The fields of a Map processor's `ProcessorConfig`.
pub const PROCESSOR_CONFIG_FIELDS: FieldSet = FieldSet::new(&["Mode", "ExecutionType"]);

/// The fields a state type accepts besides [`UNIVERSAL_FIELDS`]; empty for an unknown type.
/// Evidence: the state pages of AWS's guide (Task, Wait, Choice, Parallel, Map, Fail and the
/// JSONata page); AWS refuses the others and those of the other language (the sources listed in
/// `validate/mod.rs`: floci #2735, #2968).
// Inlined: the validator's one call then compiles as it did when the table lived there, which
// keeps the engine's module from growing.
#[inline(always)]
pub fn state_fields(state_type: &str) -> FieldSet {
    match state_type {
        "Pass" => FieldSet {
            both: &["Next", "End", "Assign"],
            jsonpath: &["InputPath", "OutputPath", "Parameters", "ResultPath", "Result"],
            jsonata: &["Output"],
        },
        "Task" => FieldSet {
            both: &[
                "Next",
                "End",
                "Assign",
                "Resource",
                "TimeoutSeconds",
                "HeartbeatSeconds",
                "Retry",
                "Catch",
                "Credentials",
            ],
            jsonpath: &[
                "InputPath",
                "OutputPath",
                "Parameters",
                "ResultPath",
                "ResultSelector",
                "TimeoutSecondsPath",
                "HeartbeatSecondsPath",
            ],
            jsonata: &["Arguments", "Output"],
        },
        "Choice" => FieldSet {
            both: &["Choices", "Default", "Assign"],
            jsonpath: &["InputPath", "OutputPath"],
            jsonata: &["Output"],
        },
        "Wait" => FieldSet {
            both: &["Next", "End", "Assign", "Seconds", "Timestamp"],
            jsonpath: &["InputPath", "OutputPath", "SecondsPath", "TimestampPath"],
            jsonata: &["Output"],
        },
        "Succeed" => FieldSet { both: &[], jsonpath: &["InputPath", "OutputPath"], jsonata: &["Output"] },
        "Fail" => FieldSet { both: &["Error", "Cause"], jsonpath: &["ErrorPath", "CausePath"], jsonata: &[] },
        "Parallel" => FieldSet {
            both: &["Next", "End", "Assign", "Branches", "Retry", "Catch"],
            jsonpath: &["InputPath", "OutputPath", "Parameters", "ResultPath", "ResultSelector"],
            jsonata: &["Arguments", "Output"],
        },
        "Map" => FieldSet {
            both: &[
                "Next",
                "End",
                "Assign",
                "ItemProcessor",
                "Iterator",
                "ItemReader",
                "ItemSelector",
                "ItemBatcher",
                "ResultWriter",
                "MaxConcurrency",
                "ToleratedFailurePercentage",
                "ToleratedFailureCount",
                "Label",
                "Retry",
                "Catch",
            ],
            jsonpath: &[
                "InputPath",
                "OutputPath",
                "ItemsPath",
                "Parameters",
                "ResultPath",
                "ResultSelector",
                "MaxConcurrencyPath",
                "ToleratedFailurePercentagePath",
                "ToleratedFailureCountPath",
            ],
            jsonata: &["Items", "Output"],
        },
        _ => FieldSet { both: &[], jsonpath: &[], jsonata: &[] },
    }
}

/// Whether a state type moves on with `Next` or ends with `End`.
#[inline(always)]
pub fn has_next_or_end(state_type: &str) -> bool {
    matches!(state_type, "Pass" | "Task" | "Wait" | "Parallel" | "Map")
}

pub const QUERY_LANGUAGES: &[&str] = &["JSONPath", "JSONata"];
pub const MODES: &[&str] = &["INLINE", "DISTRIBUTED"];
pub const EXECUTION_TYPES: &[&str] = &["STANDARD", "EXPRESS"];
pub const JITTER_STRATEGIES: &[&str] = &["FULL", "NONE"];
pub const INPUT_TYPES: &[&str] = &["CSV", "JSON", "JSONL", "MANIFEST", "PARQUET"];
pub const CSV_HEADER_LOCATIONS: &[&str] = &["FIRST_ROW", "GIVEN"];
pub const CSV_DELIMITERS: &[&str] = &["COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"];
pub const MANIFEST_TYPES: &[&str] = &["S3_INVENTORY", "ATHENA_DATA"];
pub const READER_TRANSFORMATIONS: &[&str] = &["NONE", "LOAD_AND_FLATTEN"];
pub const WRITER_TRANSFORMATIONS: &[&str] = &["NONE", "COMPACT", "FLATTEN"];
pub const OUTPUT_TYPES: &[&str] = &["JSON", "JSONL"];

/// The error names AWS defines. Another name starting with `States.` is accepted by AWS (its
/// samples raise `States.QuorumMet` from a Fail state and catch it) and draws a warning.
pub const STATES_ERRORS: &[&str] = &[
    "States.ALL",
    "States.BranchFailed",
    "States.DataLimitExceeded",
    "States.ExceedToleratedFailureThreshold",
    "States.HeartbeatTimeout",
    "States.Http.Socket",
    "States.IntrinsicFailure",
    "States.ItemReaderFailed",
    "States.NoChoiceMatched",
    "States.ParameterPathFailure",
    "States.Permissions",
    "States.QueryEvaluationError",
    "States.ResultPathMatchFailure",
    "States.ResultWriterFailed",
    "States.Runtime",
    "States.TaskFailed",
    "States.Timeout",
];

/// What a Choice comparison operator's operand must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operand {
    String,
    Number,
    Boolean,
    Timestamp,
    /// A path to the value to compare with (the `...Path` forms).
    Path,
}

/// Every comparison operator of a JSONPath Choice rule, with the operand it takes.
pub const COMPARISONS: &[(&str, Operand)] = &[
    ("StringEquals", Operand::String),
    ("StringEqualsPath", Operand::Path),
    ("StringLessThan", Operand::String),
    ("StringLessThanPath", Operand::Path),
    ("StringGreaterThan", Operand::String),
    ("StringGreaterThanPath", Operand::Path),
    ("StringLessThanEquals", Operand::String),
    ("StringLessThanEqualsPath", Operand::Path),
    ("StringGreaterThanEquals", Operand::String),
    ("StringGreaterThanEqualsPath", Operand::Path),
    ("StringMatches", Operand::String),
    ("NumericEquals", Operand::Number),
    ("NumericEqualsPath", Operand::Path),
    ("NumericLessThan", Operand::Number),
    ("NumericLessThanPath", Operand::Path),
    ("NumericGreaterThan", Operand::Number),
    ("NumericGreaterThanPath", Operand::Path),
    ("NumericLessThanEquals", Operand::Number),
    ("NumericLessThanEqualsPath", Operand::Path),
    ("NumericGreaterThanEquals", Operand::Number),
    ("NumericGreaterThanEqualsPath", Operand::Path),
    ("BooleanEquals", Operand::Boolean),
    ("BooleanEqualsPath", Operand::Path),
    ("TimestampEquals", Operand::Timestamp),
    ("TimestampEqualsPath", Operand::Path),
    ("TimestampLessThan", Operand::Timestamp),
    ("TimestampLessThanPath", Operand::Path),
    ("TimestampGreaterThan", Operand::Timestamp),
    ("TimestampGreaterThanPath", Operand::Path),
    ("TimestampLessThanEquals", Operand::Timestamp),
    ("TimestampLessThanEqualsPath", Operand::Path),
    ("TimestampGreaterThanEquals", Operand::Timestamp),
    ("TimestampGreaterThanEqualsPath", Operand::Path),
    ("IsNull", Operand::Boolean),
    ("IsPresent", Operand::Boolean),
    ("IsNumeric", Operand::Boolean),
    ("IsString", Operand::Boolean),
    ("IsBoolean", Operand::Boolean),
    ("IsTimestamp", Operand::Boolean),
];

/// The boolean combinations of JSONPath Choice rules.
pub const BOOLEAN_OPERATORS: &[&str] = &["And", "Or", "Not"];

/// The operand a comparison operator takes, `None` when `name` is not one.
pub fn operand_of(name: &str) -> Option<Operand> {
    COMPARISONS.iter().find(|(n, _)| *n == name).map(|&(_, operand)| operand)
}

/// A JSONPath Choice rule's fields besides `Next`, `Comment` and `Assign`: the compared
/// `Variable`, the boolean combinations and every comparison operator.
const CHOICE_RULE_JSONPATH: &[&str] = &[
    "Variable",
    "And",
    "Or",
    "Not",
    "StringEquals",
    "StringEqualsPath",
    "StringLessThan",
    "StringLessThanPath",
    "StringGreaterThan",
    "StringGreaterThanPath",
    "StringLessThanEquals",
    "StringLessThanEqualsPath",
    "StringGreaterThanEquals",
    "StringGreaterThanEqualsPath",
    "StringMatches",
    "NumericEquals",
    "NumericEqualsPath",
    "NumericLessThan",
    "NumericLessThanPath",
    "NumericGreaterThan",
    "NumericGreaterThanPath",
    "NumericLessThanEquals",
    "NumericLessThanEqualsPath",
    "NumericGreaterThanEquals",
    "NumericGreaterThanEqualsPath",
    "BooleanEquals",
    "BooleanEqualsPath",
    "TimestampEquals",
    "TimestampEqualsPath",
    "TimestampLessThan",
    "TimestampLessThanPath",
    "TimestampGreaterThan",
    "TimestampGreaterThanPath",
    "TimestampLessThanEquals",
    "TimestampLessThanEqualsPath",
    "TimestampGreaterThanEquals",
    "TimestampGreaterThanEqualsPath",
    "IsNull",
    "IsPresent",
    "IsNumeric",
    "IsString",
    "IsBoolean",
    "IsTimestamp",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choice_rule_fields_name_every_operator() {
        let listed: Vec<&str> = CHOICE_RULE_JSONPATH.iter().copied().filter(|f| operand_of(f).is_some()).collect();
        let operators: Vec<&str> = COMPARISONS.iter().map(|(n, _)| *n).collect();
        assert_eq!(listed, operators);
        for b in BOOLEAN_OPERATORS {
            assert!(CHOICE_RULE_JSONPATH.contains(b));
        }
    }

    /// The messages the validator gives for a definition.
    fn messages(definition: &str) -> Vec<String> {
        let v = crate::json::parse(definition).unwrap();
        crate::definition::validate::validate(&v).into_iter().map(|d| d.message).collect()
    }

    /// A plausible value for a field of a Retrier, Catcher or ProcessorConfig.
    fn sample(field: &str) -> &'static str {
        match field {
            "ErrorEquals" => r#"["States.ALL"]"#,
            "Next" => r#""A""#,
            "ResultPath" => r#""$.error""#,
            "Assign" | "Output" => "{}",
            "JitterStrategy" => r#""FULL""#,
            "Mode" => r#""INLINE""#,
            "ExecutionType" => r#""STANDARD""#,
            "Comment" => r#""c""#,
            _ => "2",
        }
    }

    /// The validator accepts exactly the tables' fields where it spells them out in match arms.
    #[test]
    fn the_validator_accepts_the_tables_fields() {
        for lang in [Lang::JsonPath, Lang::Jsonata] {
            let check = |object: &str, field: &str, fits: bool| {
                let place = match object {
                    "Retry" => format!(r#""Retry": [{{"ErrorEquals": ["States.ALL"], "{field}": {}}}]"#, sample(field)),
                    "Catch" => format!(
                        r#""Catch": [{{"ErrorEquals": ["States.ALL"], "Next": "A", "{field}": {}}}]"#,
                        sample(field)
                    ),
                    _ => String::new(),
                };
                let def = format!(
                    r#"{{"QueryLanguage": "{}", "StartAt": "A", "States": {{"A": {{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", {place}, "End": true}}}}}}"#,
                    lang.name()
                );
                let refused = messages(&def).iter().any(|m| m.contains(&format!("'{field}'")));
                assert_eq!(!refused, fits, "{object} {field} in {}: {:?}", lang.name(), messages(&def));
            };
            for f in RETRIER_FIELDS.of(lang).chain(["Bogus"]) {
                check("Retry", f, f != "Bogus");
            }
            for f in CATCHER_FIELDS.of(lang).chain(CATCHER_FIELDS.of(lang.other())).chain(["Bogus"]) {
                check("Catch", f, CATCHER_FIELDS.fit(f, lang) == Fit::Fits);
            }
        }
        for f in PROCESSOR_CONFIG_FIELDS.of(Lang::JsonPath).chain(["Bogus"]) {
            let def = format!(
                r#"{{"StartAt": "M", "States": {{"M": {{"Type": "Map", "End": true, "ItemProcessor": {{"ProcessorConfig": {{"{f}": {}}}, "StartAt": "X", "States": {{"X": {{"Type": "Succeed"}}}}}}}}}}}}"#,
                sample(f)
            );
            let refused = messages(&def).iter().any(|m| m.contains(&format!("'{f}'")));
            assert_eq!(refused, f == "Bogus", "{f}: {:?}", messages(&def));
        }
    }

    #[test]
    fn state_fields_fit_per_language() {
        let task = Object::State("Task").fields();
        assert_eq!(task.fit("Parameters", Lang::JsonPath), Fit::Fits);
        assert_eq!(task.fit("Parameters", Lang::Jsonata), Fit::OtherLanguage);
        assert_eq!(task.fit("Arguments", Lang::Jsonata), Fit::Fits);
        assert_eq!(Object::State("Wait").fields().fit("Resource", Lang::JsonPath), Fit::Unsupported);
    }
}
