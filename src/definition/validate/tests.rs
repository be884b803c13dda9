//! Unit tests of the validation rules, each on a small definition.

use super::*;
