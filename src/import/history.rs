//! stub
use super::ImportError;
use crate::value::Value;
/// stub
pub struct HistoryImport;
/// stub
pub fn mock_config_from_history(_h: &Value, _d: Option<&Value>, _s: &str, _t: &str) -> Result<Value, ImportError> { Err(ImportError::at("", "todo")) }
