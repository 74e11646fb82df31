//! The typed configuration model: what every process gets after parsing. Serde types so a
//! validated config can cross IPC to the children. Split by owner: [`global`] (root
//! keywords and `global_defs`), [`vrrp`] (everything the VRRP child runs), [`check`]
//! (SSL, virtual servers and their checkers for the checker child).

pub mod check;
pub mod global;
pub mod vrrp;

use crate::diag::Loc;
use serde::{Deserialize, Serialize};

/// A parsed configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// The main config file as given on the command line.
    pub source: String,
    /// Root-level options (`instance`, `net_namespace`, `child_wait_time`, ...).
    pub root: global::RootDefs,
    pub global: global::GlobalDefs,
    pub vrrp: vrrp::VrrpConfig,
    pub check: check::CheckConfig,
}

impl Config {
    /// keepalived starts the VRRP child when there is any VRRP configuration.
    pub fn has_vrrp(&self) -> bool {
        self.vrrp.has_config()
    }

    /// keepalived starts the checker child when there are virtual servers.
    pub fn has_check(&self) -> bool {
        self.check.has_config()
    }

    /// Every script the configuration can run, with what it is for (used by the script
    /// security checks and by the daemon's report).
    pub fn scripts(&self) -> Vec<(&'static str, &Script)> {
        let mut out = Vec::new();
        self.global.scripts(&mut out);
        self.vrrp.scripts(&mut out);
        self.check.scripts(&mut out);
        out
    }
}

/// A script keyword's value: `PATH-OR-"CMD ARGS" [user [:][group]]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Script {
    /// The command line as written (quotes removed), e.g. `/usr/bin/check --fast`.
    pub cmd: String,
    /// `cmd` split into program and arguments with keepalived's shell-like rules.
    pub args: Vec<String>,
    /// `user` given after the command, if any; `None` means the global `script_user`.
    pub user: Option<String>,
    pub group: Option<String>,
    pub loc: Option<Loc>,
}

impl Script {
    /// The program that will be executed (first word of the command).
    pub fn program(&self) -> &str {
        self.args.first().map(String::as_str).unwrap_or("")
    }
}
