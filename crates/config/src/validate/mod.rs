//! Checks keepalived performs before running (`keepalived -t`, reference §6): VRRP
//! instance rules ([`vrrp`]), virtual server rules ([`check`]) and script security
//! ([`scripts`]). The environment (interfaces, files) is passed in as [`Env`] so the
//! checks stay testable; the binary fills it from the kernel.

pub mod check;
pub mod scripts;
pub mod vrrp;

use crate::diag::Diagnostics;
use crate::model::Config;
use std::collections::BTreeSet;

/// What validation needs to know about the machine.
#[derive(Clone, Debug, Default)]
pub struct Env {
    /// Interface names in the current network namespace; `None` skips interface checks.
    pub interfaces: Option<BTreeSet<String>>,
    /// Whether the user `keepalived_script` exists (keepalived's default `script_user`).
    pub keepalived_script_user_exists: bool,
}

/// Run every check; problems go to `d`.
pub fn validate(cfg: &Config, env: &Env, d: &mut Diagnostics) {
    vrrp::validate(cfg, env, d);
    check::validate(cfg, env, d);
    scripts::validate(cfg, env, d);
}
