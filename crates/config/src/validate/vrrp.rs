//! Validation: vrrp.

use super::Env;
use crate::diag::Diagnostics;
use crate::model::Config;

pub fn validate(_cfg: &Config, _env: &Env, _d: &mut Diagnostics) {}
