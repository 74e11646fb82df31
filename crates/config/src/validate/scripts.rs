//! Script security (`enable_script_security`, `script_user`): the checks `keepalived -t`
//! makes on every script the config can run (reference §6 step 6). Called by
//! [`super::validate`] with the scripts of [`Config::scripts`].
//!
//! Behaviour matched by experiment against keepalived 2.2.7 (`keepalived -t` in a netns):
//! - The user of a script: its own `user [group]`, else global `script_user`, else
//!   `keepalived_script` when that user exists, else root. With `enable_script_security`
//!   and no user at all, keepalived reports "Unable to set default user keepalived_script
//!   for script" (and removes `vrrp_script` and `misc_path` scripts). A script whose own
//!   user or group does not exist is dropped silently; a `script_user` that does not exist
//!   is an error at its line and the scripts relying on it are dropped.
//! - A script is located like `execve` would (PATH search for bare names). Not found:
//!   `vrrp_script` -> "Disabling track script ... since not found/accessible" (exit 5),
//!   any other script is dropped silently. A command starting with `</` (bash's
//!   `</dev/tcp/...` idiom) is neither found nor reported: keepalived 2.2.7 ignores it.
//! - Any script found, executable or not, without `enable_script_security` is a
//!   SECURITY VIOLATION (exit 6), reported once per subsystem (start/shutdown, checker,
//!   VRRP), with " There are insecure scripts." when one of them is insecure.
//! - A script run as root (or setuid/setgid root) is insecure when it or any directory on
//!   its path is owned by a non-root user, or writable by a non-root group or by everyone
//!   (directories with the sticky bit excepted). With `enable_script_security` insecure
//!   scripts are disabled: silently, except `vrrp_script` ("Disabling track script ...
//!   due to insecure", exit 5).

use super::Env;
use crate::diag::{Diagnostics, ErrorClass, Loc};
use crate::model::{Config, Script};
use std::path::{Path, PathBuf};

/// The global settings that govern scripts (`global_defs`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    pub enable_script_security: bool,
    /// `script_user USER [GROUP]`, with the line it came from.
    pub script_user: Option<(String, Option<String>, Option<Loc>)>,
}

impl Policy {
    /// The policy of a parsed config, from `global_defs`' `enable_script_security` and
    /// `script_user`.
    pub fn of(cfg: &Config) -> Policy {
        let g = &cfg.global;
        Policy {
            enable_script_security: g.enable_script_security,
            script_user: g
                .script_user
                .as_ref()
                .map(|(u, grp)| (u.clone(), grp.clone(), g.script_user_loc.clone())),
        }
    }
}

/// What the checks need from a file's `stat`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Meta {
    pub uid: u32,
    pub gid: u32,
    /// `st_mode` (type and permission bits).
    pub mode: u32,
}

const S_IFMT: u32 = 0o170_000;
const S_IFREG: u32 = 0o100_000;
const S_ISUID: u32 = 0o4000;
const S_ISGID: u32 = 0o2000;
const S_ISVTX: u32 = 0o1000;

impl Meta {
    fn is_file(&self) -> bool {
        self.mode & S_IFMT == S_IFREG
    }

    /// keepalived's rule: root may run anything with an x bit; others by owner/group/other.
    fn executable_by(&self, uid: u32, gid: u32) -> bool {
        let m = self.mode;
        (uid == 0 && m & 0o111 != 0)
            || (uid == self.uid && m & 0o100 != 0)
            || (uid != self.uid
                && ((gid == self.gid && m & 0o010 != 0) || (gid != self.gid && m & 0o001 != 0)))
    }

    /// Writable or owned by someone other than root (sticky directories are fine).
    fn unsafe_for_root(&self) -> bool {
        self.uid != 0
            || ((self.mode & S_ISVTX == 0 || self.is_file())
                && ((self.gid != 0 && self.mode & 0o020 != 0) || self.mode & 0o002 != 0))
    }
}

/// The machine as the checks see it; [`System`] is the real one, tests use fakes.
pub trait Probe {
    /// uid and primary gid of a user.
    fn user(&self, name: &str) -> Option<(u32, u32)>;
    fn group(&self, name: &str) -> Option<u32>;
    /// `stat` (following symlinks).
    fn stat(&self, path: &Path) -> Option<Meta>;
    /// The PATH used for bare command names.
    fn path_var(&self) -> String;
}

/// The running system: `stat`, `/etc/passwd`, `/etc/group`, `$PATH`.
#[derive(Clone, Copy, Debug, Default)]
pub struct System;

fn lookup_db(file: &str, name: &str) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(file).ok()?;
    text.lines()
        .map(|l| l.split(':').map(str::to_string).collect::<Vec<_>>())
        .find(|f| f.first().map(String::as_str) == Some(name))
}

impl Probe for System {
    fn user(&self, name: &str) -> Option<(u32, u32)> {
        let f = lookup_db("/etc/passwd", name)?;
        Some((f.get(2)?.parse().ok()?, f.get(3)?.parse().ok()?))
    }

    fn group(&self, name: &str) -> Option<u32> {
        lookup_db("/etc/group", name)?.get(2)?.parse().ok()
    }

    fn stat(&self, path: &Path) -> Option<Meta> {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path).ok()?;
        Some(Meta {
            uid: m.uid(),
            gid: m.gid(),
            mode: m.mode(),
        })
    }

    fn path_var(&self) -> String {
        std::env::var("PATH").unwrap_or_else(|_| {
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into()
        })
    }
}

/// The three places keepalived checks scripts, each with its own violation message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Subsystem {
    StartStop,
    Check,
    Vrrp,
}

/// Which subsystems run a script, from the keyword that configured it (the `&'static str`
/// of [`Config::scripts`] is the keyword name, e.g. `notify_master`, `misc_path`). The
/// global `notify_fifo_script` serves both children.
fn subsystems(kind: &str) -> &'static [Subsystem] {
    match kind {
        "startup_script" | "shutdown_script" => &[Subsystem::StartStop],
        "notify_fifo_script" => &[Subsystem::Check, Subsystem::Vrrp],
        "misc_path"
        | "MISC_CHECK"
        | "notify_up"
        | "notify_down"
        | "quorum_up"
        | "quorum_down"
        | "lvs_notify_fifo_script" => &[Subsystem::Check],
        _ => &[Subsystem::Vrrp],
    }
}

/// Which children would run: keepalived checks a child's scripts only when that child has
/// work (VRRP: at least one `vrrp_instance`; checker: at least one `virtual_server`).
/// `-P`/`-C` do not change what `-t` checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Running {
    pub vrrp: bool,
    pub check: bool,
}

impl Running {
    fn runs(&self, s: Subsystem) -> bool {
        match s {
            Subsystem::StartStop => true,
            Subsystem::Check => self.check,
            Subsystem::Vrrp => self.vrrp,
        }
    }

    /// From a config: the VRRP child runs scripts only when it has instances.
    pub fn of(cfg: &Config) -> Running {
        let vrrp = cfg.has_vrrp() && !cfg.vrrp.instances.is_empty();
        Running {
            vrrp,
            check: cfg.has_check(),
        }
    }
}

fn is_track_script(kind: &str) -> bool {
    kind == "vrrp_script" || kind == "script"
}

fn is_misc(kind: &str) -> bool {
    kind == "misc_path" || kind == "MISC_CHECK"
}

/// Run the checks with the real system.
pub fn validate(cfg: &Config, env: &Env, d: &mut Diagnostics) {
    let scripts = cfg.scripts();
    // An unknown script_user is an error even without scripts; the serde walk over the
    // VRRP model is only needed when there are scripts.
    let running = if scripts.is_empty() {
        Running {
            vrrp: false,
            check: false,
        }
    } else {
        Running::of(cfg)
    };
    check(
        &scripts,
        &Policy::of(cfg),
        running,
        env.keepalived_script_user_exists,
        &System,
        d,
    );
}

/// Where the program of a script is, or `None` when it cannot be found.
fn locate(program: &str, uid: u32, gid: u32, probe: &dyn Probe) -> Option<(PathBuf, Meta)> {
    if program.is_empty() {
        return None;
    }
    if program.contains('/') {
        let p = PathBuf::from(program);
        let m = probe.stat(&p)?;
        return Some((p, m));
    }
    probe.path_var().split(':').find_map(|dir| {
        let dir = if dir.is_empty() { "." } else { dir };
        let p = Path::new(dir).join(program);
        let m = probe.stat(&p)?;
        (m.is_file() && m.executable_by(uid, gid)).then_some((p, m))
    })
}

/// Is any component of `path` (from `/` down to the file) unsafe for a root script?
fn insecure_path(path: &Path, probe: &dyn Probe) -> bool {
    let mut prefix = PathBuf::new();
    for comp in path.components() {
        prefix.push(comp);
        match probe.stat(&prefix) {
            Some(m) if m.unsafe_for_root() => return true,
            Some(_) => {}
            None => return false,
        }
    }
    false
}

/// The checks, on an explicit list of scripts (see the module doc for the rules).
pub fn check(
    scripts: &[(&'static str, &Script)],
    policy: &Policy,
    running: Running,
    keepalived_script_exists: bool,
    probe: &dyn Probe,
    d: &mut Diagnostics,
) {
    // The global script_user, resolved once.
    let global_user = match &policy.script_user {
        None => None,
        Some((u, g, loc)) => {
            let ids = probe.user(u).and_then(|(uid, gid)| match g {
                None => Some((uid, gid)),
                Some(g) => probe.group(g).map(|gid| (uid, gid)),
            });
            if ids.is_none() {
                d.report(
                    ErrorClass::GeneralError,
                    loc.as_ref(),
                    "Error setting global script uid/gid",
                );
            }
            Some(ids)
        }
    };
    let default_user = if keepalived_script_exists {
        probe.user("keepalived_script")
    } else {
        None
    };

    // Per subsystem: the first script's location and whether any is insecure.
    let mut found: Vec<(Subsystem, Option<Loc>, bool)> = Vec::new();
    for (kind, script) in scripts {
        let subs: Vec<Subsystem> = subsystems(kind)
            .iter()
            .copied()
            .filter(|s| running.runs(*s))
            .collect();
        if subs.is_empty() {
            continue;
        }
        let loc = script.loc.as_ref();
        let ids = match (&script.user, &global_user) {
            (Some(u), _) => {
                let ids = probe.user(u).and_then(|(uid, gid)| match &script.group {
                    None => Some((uid, gid)),
                    Some(g) => probe.group(g).map(|gid| (uid, gid)),
                });
                match ids {
                    Some(ids) => ids,
                    None => continue,
                }
            }
            (None, Some(Some(ids))) => *ids,
            (None, Some(None)) => continue,
            (None, None) => match default_user {
                Some(ids) => ids,
                None if policy.enable_script_security => {
                    d.report(
                        ErrorClass::GeneralError,
                        loc,
                        "Unable to set default user keepalived_script for script",
                    );
                    if is_track_script(kind) {
                        d.report(
                            ErrorClass::GeneralError,
                            loc,
                            format!(
                                "Unable to set default user for vrrp script {} - removing",
                                script.cmd
                            ),
                        );
                        continue;
                    }
                    if is_misc(kind) {
                        let words: Vec<String> =
                            script.args.iter().map(|a| format!("'{a}'")).collect();
                        d.report(
                            ErrorClass::GeneralError,
                            loc,
                            format!(
                                "Unable to set default user for misc script {} - removing",
                                words.join(" ")
                            ),
                        );
                        continue;
                    }
                    (0, 0)
                }
                None => (0, 0),
            },
        };
        let program = script.program();
        if program.starts_with("</") {
            continue;
        }
        let Some((path, meta)) = locate(program, ids.0, ids.1, probe) else {
            if is_track_script(kind) {
                d.report(
                    ErrorClass::GeneralError,
                    loc,
                    format!(
                        "Disabling track script {} since not found/accessible",
                        script.cmd
                    ),
                );
            }
            continue;
        };
        let runs_as_root = ids.0 == 0
            || ids.1 == 0
            || (meta.uid == 0 && meta.mode & 0o100 != 0 && meta.mode & S_ISUID != 0)
            || (meta.gid == 0 && meta.mode & 0o010 != 0 && meta.mode & S_ISGID != 0);
        let insecure =
            meta.executable_by(ids.0, ids.1) && runs_as_root && insecure_path(&path, probe);
        if insecure && is_track_script(kind) && (policy.enable_script_security || !meta.is_file()) {
            d.report(
                ErrorClass::GeneralError,
                loc,
                format!("Disabling track script {} due to insecure", script.cmd),
            );
        }
        for sub in subs {
            match found.iter_mut().find(|f| f.0 == sub) {
                Some(f) => f.2 |= insecure,
                None => found.push((sub, script.loc.clone(), insecure)),
            }
        }
    }

    if policy.enable_script_security {
        return;
    }
    found.sort_by_key(|f| f.0);
    for (sub, loc, insecure) in found {
        let what = match sub {
            Subsystem::StartStop => "start/shutdown scripts",
            Subsystem::Check => "check scripts",
            Subsystem::Vrrp => "scripts",
        };
        let tail = if insecure {
            " There are insecure scripts."
        } else {
            ""
        };
        d.report(
            ErrorClass::Security,
            loc.as_ref(),
            format!(
                "SECURITY VIOLATION - {what} are being executed but script_security not enabled.{tail}"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::script::split_command;
    use std::collections::BTreeMap;

    /// A fake machine: files with their stat, users and groups.
    #[derive(Default)]
    struct Fake {
        files: BTreeMap<PathBuf, Meta>,
        users: BTreeMap<String, (u32, u32)>,
    }

    impl Fake {
        fn new() -> Self {
            let mut f = Fake::default();
            for dir in ["/", "/bin", "/usr", "/usr/bin", "/etc", "/etc/keepalived"] {
                f.add(dir, 0, 0, 0o040_755);
            }
            f.add("/tmp", 0, 0, 0o041_777);
            f.add("/bin/true", 0, 0, 0o100_755);
            f.add("/usr/bin/killall", 0, 0, 0o100_755);
            f.users.insert("root".into(), (0, 0));
            f.users.insert("nobody".into(), (65534, 65534));
            f
        }

        fn add(&mut self, p: &str, uid: u32, gid: u32, mode: u32) {
            self.files.insert(PathBuf::from(p), Meta { uid, gid, mode });
        }
    }

    impl Probe for Fake {
        fn user(&self, name: &str) -> Option<(u32, u32)> {
            self.users.get(name).copied()
        }
        fn group(&self, name: &str) -> Option<u32> {
            self.users.get(name).map(|u| u.1)
        }
        fn stat(&self, path: &Path) -> Option<Meta> {
            self.files.get(path).copied()
        }
        fn path_var(&self) -> String {
            "/usr/bin:/bin".into()
        }
    }

    fn script(cmd: &str, user: Option<&str>, line: u32) -> Script {
        Script {
            cmd: cmd.into(),
            args: split_command(cmd),
            user: user.map(str::to_string),
            group: None,
            loc: Some(Loc::new("k.conf", line)),
        }
    }

    fn run(list: &[(&'static str, Script)], policy: &Policy, fake: &Fake) -> Diagnostics {
        let refs: Vec<(&'static str, &Script)> = list.iter().map(|(k, s)| (*k, s)).collect();
        let mut d = Diagnostics::new();
        let all = Running {
            vrrp: true,
            check: true,
        };
        check(&refs, policy, all, false, fake, &mut d);
        d
    }

    fn secure() -> Policy {
        Policy {
            enable_script_security: true,
            script_user: Some(("root".into(), None, Some(Loc::new("k.conf", 2)))),
        }
    }

    #[test]
    fn existing_script_without_security_is_a_violation() {
        let fake = Fake::new();
        let d = run(
            &[("vrrp_script", script("killall -0 sshd", None, 12))],
            &Policy::default(),
            &fake,
        );
        assert_eq!(d.exit_code(), 6);
        assert_eq!(
            d.items[0].to_string(),
            "k.conf:12: security: SECURITY VIOLATION - scripts are being executed but script_security not enabled."
        );
    }

    #[test]
    fn missing_scripts_are_not_executed() {
        let fake = Fake::new();
        // notify scripts that do not exist are dropped silently (sample vrrp.scripts: exit 0)
        let d = run(
            &[
                (
                    "notify_master",
                    script("/usr/local/bin/vrrp.sh MASTER", None, 3),
                ),
                ("misc_path", script("/usr/local/bin/script.sh", None, 4)),
                ("vrrp_script", script("</dev/tcp/127.0.0.1/80", None, 5)),
            ],
            &Policy::default(),
            &fake,
        );
        assert_eq!(d.exit_code(), 0, "{:?}", d.items);
        // a vrrp_script that does not exist is disabled with a message (exit 5)
        let d = run(
            &[("vrrp_script", script("/nonexistent/x arg", None, 7))],
            &Policy::default(),
            &fake,
        );
        assert_eq!(d.exit_code(), 5);
        assert!(d.items[0].msg.contains("since not found/accessible"));
    }

    #[test]
    fn one_violation_per_subsystem_check_first() {
        let fake = Fake::new();
        let d = run(
            &[
                ("notify_master", script("/bin/true", None, 3)),
                ("misc_path", script("/bin/true", None, 9)),
                ("notify_backup", script("/bin/true", None, 4)),
            ],
            &Policy::default(),
            &fake,
        );
        let msgs: Vec<&str> = d.items.iter().map(|i| i.msg.as_str()).collect();
        assert_eq!(msgs.len(), 2);
        assert!(msgs[0].starts_with("SECURITY VIOLATION - check scripts"));
        assert!(msgs[1].starts_with("SECURITY VIOLATION - scripts"));
    }

    #[test]
    fn insecure_scripts_are_named_in_the_violation() {
        let mut fake = Fake::new();
        fake.add("/tmp/w.sh", 0, 0, 0o100_777);
        let d = run(
            &[("notify_master", script("/tmp/w.sh", None, 3))],
            &Policy::default(),
            &fake,
        );
        assert!(d.items[0].msg.ends_with("There are insecure scripts."));
    }

    #[test]
    fn security_enabled_disables_insecure_scripts() {
        let mut fake = Fake::new();
        fake.add("/tmp/w.sh", 0, 0, 0o100_777);
        fake.add("/tmp/d", 0, 0, 0o040_777);
        fake.add("/tmp/d/s.sh", 0, 0, 0o100_755);
        fake.add("/tmp/own.sh", 65534, 0, 0o100_755);
        // notify scripts: silently disabled
        let d = run(
            &[
                ("notify_master", script("/tmp/w.sh", None, 3)),
                ("notify_backup", script("/tmp/d/s.sh", None, 4)),
                ("notify_fault", script("/tmp/own.sh", None, 5)),
                ("notify_stop", script("/bin/true", None, 6)),
            ],
            &secure(),
            &fake,
        );
        assert_eq!(d.exit_code(), 0, "{:?}", d.items);
        // vrrp_script: reported (exit 5)
        let d = run(
            &[("vrrp_script", script("/tmp/d/s.sh", None, 8))],
            &secure(),
            &fake,
        );
        assert_eq!(d.exit_code(), 5);
        assert_eq!(
            d.items[0].to_string(),
            "k.conf:8: error: Disabling track script /tmp/d/s.sh due to insecure"
        );
    }

    #[test]
    fn default_user_needed_with_security() {
        let fake = Fake::new();
        let policy = Policy {
            enable_script_security: true,
            script_user: None,
        };
        let d = run(
            &[
                ("notify_master", script("/bin/true", None, 12)),
                ("misc_path", script("/bin/true", None, 20)),
            ],
            &policy,
            &fake,
        );
        let msgs: Vec<String> = d.items.iter().map(ToString::to_string).collect();
        assert_eq!(
            msgs,
            [
                "k.conf:12: error: Unable to set default user keepalived_script for script",
                "k.conf:20: error: Unable to set default user keepalived_script for script",
                "k.conf:20: error: Unable to set default user for misc script '/bin/true' - removing",
            ]
        );
        // an explicit user needs no default
        let d = run(
            &[("notify_master", script("/bin/true", Some("root"), 12))],
            &policy,
            &fake,
        );
        assert_eq!(d.exit_code(), 0);
    }

    #[test]
    fn unknown_users() {
        let fake = Fake::new();
        // a script's own unknown user: dropped silently
        let d = run(
            &[("notify_master", script("/bin/true", Some("nosuch"), 3))],
            &Policy::default(),
            &fake,
        );
        assert_eq!(d.exit_code(), 0);
        // an unknown global script_user: error at its line, scripts relying on it dropped
        let policy = Policy {
            enable_script_security: false,
            script_user: Some(("nosuch".into(), None, Some(Loc::new("k.conf", 2)))),
        };
        let d = run(
            &[("notify_master", script("/bin/true", None, 9))],
            &policy,
            &fake,
        );
        assert_eq!(d.items.len(), 1);
        assert_eq!(
            d.items[0].to_string(),
            "k.conf:2: error: Error setting global script uid/gid"
        );
    }

    #[test]
    fn bare_names_are_searched_in_path() {
        let fake = Fake::new();
        let d = run(
            &[("vrrp_script", script("true", None, 3))],
            &Policy::default(),
            &fake,
        );
        assert_eq!(d.exit_code(), 6);
        let d = run(
            &[("vrrp_script", script("nosuchcmd", None, 3))],
            &Policy::default(),
            &fake,
        );
        assert_eq!(d.exit_code(), 5);
    }

    #[test]
    fn non_root_scripts_are_not_path_checked() {
        let mut fake = Fake::new();
        fake.add("/tmp/w.sh", 0, 0, 0o100_777);
        let d = run(
            &[("vrrp_script", script("/tmp/w.sh", Some("nobody"), 3))],
            &secure(),
            &fake,
        );
        assert_eq!(d.exit_code(), 0, "{:?}", d.items);
    }
}

#[cfg(test)]
mod policy_tests {
    use super::*;

    #[test]
    fn policy_reads_global_defs() {
        assert_eq!(Policy::of(&Config::default()), Policy::default());
        let mut cfg = Config::default();
        cfg.global.enable_script_security = true;
        cfg.global.script_user = Some(("ks".into(), Some("g".into())));
        cfg.global.script_user_loc = Some(Loc::new("k.conf", 8));
        assert_eq!(
            Policy::of(&cfg),
            Policy {
                enable_script_security: true,
                script_user: Some(("ks".into(), Some("g".into()), Some(Loc::new("k.conf", 8)))),
            }
        );
    }
}

#[cfg(test)]
mod running_tests {
    use super::*;
    use crate::parse::script::split_command;

    #[test]
    fn scripts_of_idle_children_are_not_checked() {
        let s = Script {
            cmd: "/bin/sh".into(),
            args: split_command("/bin/sh"),
            loc: Some(Loc::new("k.conf", 3)),
            ..Script::default()
        };
        let list = [
            ("vrrp_script", &s),
            ("notify_fifo_script", &s),
            ("misc_path", &s),
        ];
        let run = |vrrp, check| {
            let mut d = Diagnostics::new();
            super::check(
                &list,
                &Policy::default(),
                Running { vrrp, check },
                false,
                &System,
                &mut d,
            );
            d.items.into_iter().map(|i| i.msg).collect::<Vec<_>>()
        };
        // neither child runs: nothing is checked (keepalived: vrrp_script alone exits 0)
        assert!(run(false, false).is_empty());
        // the global notify_fifo_script counts for whichever child runs
        let v = run(true, false);
        assert_eq!(v.len(), 1);
        assert!(v[0].starts_with("SECURITY VIOLATION - scripts"));
        let c = run(false, true);
        assert_eq!(c.len(), 1);
        assert!(c[0].starts_with("SECURITY VIOLATION - check scripts"));
        assert_eq!(run(true, true).len(), 2);
    }
}
