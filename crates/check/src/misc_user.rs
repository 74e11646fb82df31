//! Who runs a MISC_CHECK script, and whether it may run at all: keepalived's
//! `misc_end_handler` and `check_misc_script_security`. Called by `server::Plan` while it
//! resolves the checkers (the checker child builds the policy from `global_defs`).
//!
//! - The user is the checker's `user USER [GROUP]` (GROUP defaults to the user's primary
//!   group), else the global `script_user`, else `keepalived_script` when that user
//!   exists, else root.
//! - With `enable_script_security` and no user at all, the checker is removed ("Unable
//!   to set default user for misc script"); a script that cannot be found, or that would
//!   run as root from a path a non-root user can change, is removed too. The rules are
//!   the config crate's (`validate::scripts`, the same that `keepalived -t` applies).

use keepalived_config::diag::Diagnostics;
use keepalived_config::model::Config;
use keepalived_config::model::Script;
use keepalived_config::validate::scripts::{self, Policy, Probe, System};

/// The global script settings, resolved once per config.
#[derive(Clone, Debug, Default)]
pub struct ScriptUsers {
    policy: Policy,
    keepalived_script_exists: bool,
    global_user: Option<(String, Option<String>)>,
}

impl ScriptUsers {
    /// From `global_defs` (`script_user`, `enable_script_security`) and this host's users.
    pub fn of(cfg: &Config) -> ScriptUsers {
        ScriptUsers {
            policy: Policy::of(cfg),
            keepalived_script_exists: System.user("keepalived_script").is_some(),
            global_user: cfg.global.script_user.clone(),
        }
    }

    /// The uid/gid to run `script` as (`None`: as the checker child itself, i.e. root),
    /// or why the checker must not run. `user`/`group` are the MISC_CHECK's `user`.
    pub fn resolve(
        &self,
        script: &Script,
        user: Option<&str>,
        group: Option<&str>,
    ) -> Result<Option<(u32, u32)>, String> {
        let mut sc = script.clone();
        if let Some(u) = user {
            sc.user = Some(u.to_string());
            sc.group = group.map(str::to_string);
        }
        // The config crate reports removals in the words of a track script; the rule is
        // the same for a misc script.
        let mut d = Diagnostics::new();
        scripts::check(
            &[("vrrp_script", &sc)],
            &self.policy,
            scripts::Running {
                vrrp: true,
                check: false,
            },
            self.keepalived_script_exists,
            &System,
            &mut d,
        );
        if let Some(e) = d.errors().find(|e| {
            e.msg.starts_with("Disabling track script") || e.msg.starts_with("Unable to set")
        }) {
            let why = if e.msg.contains("insecure") {
                "insecure (enable_script_security)"
            } else if e.msg.contains("not found") {
                "not found/accessible"
            } else {
                "no user to run it as (enable_script_security without script_user)"
            };
            return Err(why.to_string());
        }
        let who = match (&sc.user, &self.global_user) {
            (Some(u), _) => Some((u.clone(), sc.group.clone())),
            (None, Some((u, g))) => Some((u.clone(), g.clone())),
            (None, None) if self.keepalived_script_exists => {
                Some(("keepalived_script".to_string(), None))
            }
            (None, None) => None,
        };
        match who {
            None => Ok(None),
            Some((u, g)) => keepalived_event::script::resolve_user(&u, g.as_deref())
                .map(Some)
                .map_err(|e| format!("user {u}: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keepalived_config::parse::script::split_command;

    fn script(cmd: &str) -> Script {
        Script {
            cmd: cmd.into(),
            args: split_command(cmd),
            user: None,
            group: None,
            loc: None,
        }
    }

    #[test]
    fn user_then_script_user_then_root() {
        let nobody = System.user("nobody").expect("user nobody");
        let lax = ScriptUsers::default();
        assert_eq!(lax.resolve(&script("/bin/true"), None, None), Ok(None));
        assert_eq!(
            lax.resolve(&script("/bin/true"), Some("nobody"), None),
            Ok(Some(nobody))
        );
        assert_eq!(
            lax.resolve(&script("/bin/true"), Some("nobody"), Some("root")),
            Ok(Some((nobody.0, 0)))
        );
        assert!(lax
            .resolve(&script("/bin/true"), Some("kc2-no-such-user"), None)
            .is_err());
        assert!(lax
            .resolve(&script("/kc2/no/such/script"), None, None)
            .is_err());
        let global = ScriptUsers {
            global_user: Some(("nobody".into(), None)),
            ..ScriptUsers::default()
        };
        assert_eq!(
            global.resolve(&script("/bin/true"), None, None),
            Ok(Some(nobody))
        );
        assert_eq!(
            global.resolve(&script("/bin/true"), Some("root"), None),
            Ok(Some((0, 0)))
        );
    }

    #[test]
    fn script_security_removes_userless_and_insecure_scripts() {
        let secure = ScriptUsers {
            policy: Policy {
                enable_script_security: true,
                script_user: None,
            },
            keepalived_script_exists: false,
            global_user: None,
        };
        let e = secure
            .resolve(&script("/bin/true"), None, None)
            .unwrap_err();
        assert!(e.contains("no user"), "{e}");
        assert_eq!(
            secure.resolve(&script("/bin/true"), Some("root"), None),
            Ok(Some((0, 0)))
        );
        // A root script in a directory everyone may write to.
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        let f = dir.path().join("check.sh");
        std::fs::write(&f, "#!/bin/sh\nexit 0\n").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o755)).unwrap();
        let sc = script(f.to_str().unwrap());
        let e = secure.resolve(&sc, Some("root"), None).unwrap_err();
        assert!(e.contains("insecure"), "{e}");
        // Without enable_script_security keepalived only warns (at -t) and runs it.
        assert_eq!(
            ScriptUsers::default().resolve(&sc, Some("root"), None),
            Ok(Some((0, 0)))
        );
    }
}
