//! Date/time and integer pictures (stub).
use super::error::{Error, Fail};

pub(crate) fn format_integer(_v: f64, _p: &str) -> Result<String, Fail> { Err(Error::new("D3130")) }
pub(crate) fn parse_integer(_s: &str, _p: &str) -> Result<Option<f64>, Fail> { Err(Error::new("D3130")) }
pub(crate) fn to_millis(_s: &str, _p: Option<&str>) -> Result<Option<f64>, Fail> { Err(Error::new("D3110")) }
pub(crate) fn from_millis(_ms: f64, _p: Option<&str>, _tz: Option<&str>) -> Result<String, Fail> { Err(Error::new("D3110")) }
