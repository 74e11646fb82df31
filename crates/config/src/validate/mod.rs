//! Checks keepalived performs before running (`keepalived -t`, reference §6): VRRP
//! instance rules ([`vrrp`]), virtual server rules ([`check`]) and script security
//! ([`scripts`]). The environment (interfaces, files) is passed in as [`Env`] so the
//! checks stay testable; the binary fills it from the kernel.

pub mod check;
pub mod scripts;
pub mod vrrp;

use crate::diag::{Diagnostics, ErrorClass};
use crate::model::Config;
use std::collections::BTreeSet;

/// What validation needs to know about the machine.
#[derive(Clone, Debug, Default)]
pub struct Env {
    /// Interface names in the current network namespace; `None` skips interface checks.
    pub interfaces: Option<BTreeSet<String>>,
    /// Whether the user `keepalived_script` exists (keepalived's default `script_user`).
    pub keepalived_script_user_exists: bool,
    /// Resolves a host name (keepalived resolves `smtp_server` names while reading the
    /// config); `None` skips the check.
    pub resolve_host: Option<fn(&str) -> bool>,
}

impl Env {
    /// Only these interfaces exist; no `keepalived_script` user, no name resolution: a
    /// config checked as on another machine (the tests' lab).
    pub fn with_interfaces(names: &[&str]) -> Env {
        Env {
            interfaces: Some(names.iter().map(|s| s.to_string()).collect()),
            ..Env::default()
        }
    }
}

/// Run every check; problems go to `d`.
pub fn validate(cfg: &Config, env: &Env, d: &mut Diagnostics) {
    smtp_server(cfg, env, d);
    vrrp::validate(cfg, env, d);
    check::validate(cfg, env, d);
    scripts::validate(cfg, env, d);
}

/// `smtp_server NAME`: a name that does not resolve is an error, as keepalived's
/// "Invalid smtp server NAME PORT".
fn smtp_server(cfg: &Config, env: &Env, d: &mut Diagnostics) {
    let (Some((host, port)), Some(resolve)) = (&cfg.global.smtp_server, env.resolve_host) else {
        return;
    };
    if host.parse::<std::net::IpAddr>().is_ok() || resolve(host) {
        return;
    }
    d.report(
        ErrorClass::GeneralError,
        cfg.global.smtp_server_loc.as_ref(),
        format!("Invalid smtp server {host} {port}"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{load_str, ReadOptions};

    fn check(text: &str, resolve: fn(&str) -> bool) -> Diagnostics {
        let mut d = Diagnostics::new();
        let cfg = load_str("s.conf", text, &ReadOptions::default(), &mut d);
        let env = Env {
            resolve_host: Some(resolve),
            ..Env::default()
        };
        validate(&cfg, &env, &mut d);
        d
    }

    #[test]
    fn smtp_server_names_must_resolve() {
        let text = "global_defs {\n smtp_server mail.example\n}\n";
        let d = check(text, |_| false);
        let e: Vec<_> = d.errors().collect();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].msg, "Invalid smtp server mail.example 25");
        assert_eq!(e[0].loc.as_ref().map(|l| l.line), Some(2));
        assert!(check(text, |h| h == "mail.example").items.is_empty());
        // An address is never looked up.
        assert!(
            check("global_defs {\n smtp_server 10.0.0.1 2525\n}\n", |_| false)
                .items
                .is_empty()
        );
    }
}
