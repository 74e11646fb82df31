//! The VRRP child's notify adapter ([`crate::daemon`] owns one): turns [`Event`]s into
//! FIFO lines (written at once) and script runs (queued per instance, started by a
//! [`ScriptRunner`], reaped on SIGCHLD), starts the FIFO reader scripts, and at shutdown gives
//! the last notifies a bounded time to finish. Never waits in the loop.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use keepalived_config::model::global::{Fifo, GlobalDefs};
use keepalived_config::model::vrrp::Notify;
use keepalived_config::model::{Config, Script};
use keepalived_event::{ScriptRunner, ScriptSpec};
use log::{debug, info, warn};
use nix::sys::signal::Signal;
use nix::unistd::{Group, Pid, User};

use super::fifo::NotifyFifo;
use super::queue::{Key, Queue};
use super::{plan, Event, Run, Scripts};

/// A notify script still running this long is stopped (SIGTERM, then SIGKILL), so the
/// next notify of its instance can start. keepalived has no limit.
pub const NOTIFY_TIMEOUT: Duration = Duration::from_secs(30);
/// How long the stop notifies (and the FIFO readers draining the last lines) get at
/// shutdown; keepalived gives its stop scripts one second.
pub const SHUTDOWN_GRACE: Duration = Duration::from_millis(1500);

/// `user [group]` written after a script -> its uid and gid (`None`: unknown).
type UserIds = HashMap<(String, Option<String>), Option<(u32, u32)>>;

/// Counters for the dumps.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct NotifyStats {
    pub started: u64,
    pub spawn_errors: u64,
    pub failed: u64,
    pub timed_out: u64,
    pub superseded: u64,
    pub fifo_lines: u64,
    pub fifo_dropped: u64,
}

#[derive(Debug)]
enum Owner {
    Notify(Key),
    FifoReader(String),
}

/// The notify machinery of the VRRP child.
#[derive(Debug, Default)]
pub struct Notifier {
    scripts: HashMap<Key, Scripts>,
    priority_changes: HashMap<String, bool>,
    default_user: Option<(u32, u32)>,
    users: UserIds,
    fifos: Vec<(Fifo, NotifyFifo)>,
    queue: Queue<Run>,
    spawner: ScriptRunner,
    running: BTreeMap<Pid, Owner>,
    stats: NotifyStats,
    /// While the child stops: group events wait until every instance has stopped
    /// (keepalived notifies all instances' STOP, then the groups').
    hold_groups: Option<Vec<Event>>,
    /// Instances a reload removes: their STOP is notified as keepalived notifies a
    /// deleted instance ([`Notifier::deleting`]).
    deleting: std::collections::HashSet<String>,
}

impl Notifier {
    pub fn new() -> Notifier {
        Notifier::default()
    }

    /// Takes the scripts of `config` (first start and every reload); opens the FIFOs and
    /// starts their readers when they are new or changed.
    pub fn configure(&mut self, config: &Config, now: Instant) {
        let v = &config.vrrp;
        self.scripts.clear();
        self.priority_changes.clear();
        self.deleting.clear();
        let sec = config.global.enable_script_security;
        // Only what has scripts (or `notify_deleted`) and the instances that notify
        // priority changes are kept: an absent entry means none, and an entry is ~900
        // bytes, which at 1,000 instances without scripts was 1.8 MB of hash table.
        let mut keep = |key: Key, s: Scripts| {
            if s != Scripts::default() {
                self.scripts.insert(key, s);
            }
        };
        for i in &v.instances {
            keep(
                Key::Instance(i.name.clone()),
                Scripts {
                    notify: vet_notify(&i.notify, sec),
                    master_rx_lower_pri: vet(&i.notify_master_rx_lower_pri, sec),
                },
            );
        }
        for g in &v.sync_groups {
            keep(
                Key::Group(g.name.clone()),
                Scripts {
                    notify: vet_notify(&g.notify, sec),
                    master_rx_lower_pri: None,
                },
            );
        }
        for i in &v.instances {
            let on = i
                .notify_priority_changes
                .unwrap_or(config.global.vrrp_notify_priority_changes);
            if on {
                self.priority_changes.insert(i.name.clone(), on);
            }
        }
        self.scripts.shrink_to_fit();
        self.priority_changes.shrink_to_fit();
        let named = v.named_scripts();
        let fifo_scripts = [&config.global.notify_fifo, &config.global.vrrp_notify_fifo]
            .iter()
            .any(|f| f.path.is_some() && f.script.is_some());
        // The default user matters only to a script; without one, no user database lookup
        // (which loads the NSS modules, ~300 KB resident for the life of the child).
        self.default_user = if named.is_empty() && !fifo_scripts {
            None
        } else {
            default_user(&config.global)
        };
        self.users.clear();
        for (_, s) in named {
            if let Some(u) = &s.user {
                let k = (u.clone(), s.group.clone());
                let id = lookup(u, s.group.as_deref());
                if id.is_none() {
                    warn!(
                        "script user {u} not found; {} runs as the default user",
                        s.cmd
                    );
                }
                self.users.insert(k, id);
            }
        }
        let wanted: Vec<Fifo> = [&config.global.notify_fifo, &config.global.vrrp_notify_fifo]
            .into_iter()
            .filter(|f| f.path.is_some())
            .map(|f| Fifo {
                script: vet(&f.script, sec),
                ..f.clone()
            })
            .collect();
        let same = wanted.len() == self.fifos.len()
            && wanted.iter().zip(&self.fifos).all(|(w, (h, _))| w == h);
        if !same {
            self.fifos.clear();
            for f in wanted {
                self.open_fifo(f, now);
            }
        }
    }

    fn open_fifo(&mut self, f: Fifo, now: Instant) {
        let Some(path) = f.path.clone() else {
            return;
        };
        match NotifyFifo::open(Path::new(&path), &f.owner) {
            Ok(h) => {
                info!("notify FIFO {path} open");
                // keepalived starts the reader after creating the FIFO, with the FIFO's
                // name appended to the script's arguments.
                if let Some(s) = &f.script {
                    let mut argv = s.args.clone();
                    argv.push(path.clone());
                    let user = self.user_of(&Run {
                        argv: argv.clone(),
                        user: s.user.clone().map(|u| (u, s.group.clone())),
                    });
                    match self.spawner.spawn(&spec(&argv, user, None), now) {
                        Ok((_, pid)) => {
                            self.running.insert(pid, Owner::FifoReader(path.clone()));
                        }
                        Err(e) => warn!("starting the reader of notify FIFO {path}: {e}"),
                    }
                }
                self.fifos.push((f, h));
            }
            Err(e) => warn!("{e}; its notifies are not written"),
        }
    }

    fn user_of(&self, run: &Run) -> Option<(u32, u32)> {
        match &run.user {
            Some(k) => self.users.get(k).copied().flatten().or(self.default_user),
            None => self.default_user,
        }
    }

    /// From now on, group events wait for [`Notifier::release_groups`].
    pub fn hold_groups(&mut self) {
        self.hold_groups.get_or_insert_with(Vec::new);
    }

    /// Sends the group events held since [`Notifier::hold_groups`].
    pub fn release_groups(&mut self, now: Instant) {
        for ev in self.hold_groups.take().unwrap_or_default() {
            self.event(&ev, now);
        }
    }

    /// The reload removes `name`: its coming STOP becomes an [`Event::Deleted`].
    pub fn deleting(&mut self, name: &str) {
        self.deleting.insert(name.to_string());
    }

    /// Something happened: write its line, queue its scripts, start what can start.
    pub fn event(&mut self, ev: &Event, now: Instant) {
        let converted;
        let ev = match ev {
            Event::Instance {
                name,
                state: crate::events::State::Stop,
                priority,
            } if self.deleting.remove(name) => {
                converted = Event::Deleted {
                    name: name.clone(),
                    priority: *priority,
                };
                &converted
            }
            _ => ev,
        };
        if let (Some(held), Event::Group { .. }) = (self.hold_groups.as_mut(), ev) {
            held.push(ev.clone());
            return;
        }
        let key = match ev {
            Event::Group { name, .. } => Key::Group(name.clone()),
            Event::Instance { name, .. }
            | Event::Deleted { name, .. }
            | Event::MasterRxLowerPri { name, .. }
            | Event::PriorityChanged { name, .. } => Key::Instance(name.clone()),
        };
        if let Event::PriorityChanged { name, .. } = ev {
            if !self.priority_changes.get(name).copied().unwrap_or(false) {
                return;
            }
        }
        let scripts = self.scripts.get(&key).cloned().unwrap_or_default();
        let p = plan(ev, &scripts);
        if let Some(line) = &p.fifo_line {
            for (_, f) in self.fifos.iter_mut() {
                if f.write_line(line) {
                    self.stats.fifo_lines += 1;
                } else {
                    self.stats.fifo_dropped += 1;
                    debug!(
                        "notify FIFO {} full: line dropped ({} so far)",
                        f.path().display(),
                        f.dropped
                    );
                }
            }
        }
        if p.runs.is_empty() {
            return;
        }
        let transition = matches!(
            ev,
            Event::Instance { .. } | Event::Group { .. } | Event::Deleted { .. }
        );
        let dropped = self.queue.push(&key, p.runs, transition);
        if dropped > 0 {
            self.stats.superseded += dropped as u64;
            info!("({key}) {dropped} queued notify run(s) superseded by a newer state");
        }
        self.start_ready(now);
    }

    fn start_ready(&mut self, now: Instant) {
        // A run that cannot start ends at once; the next of its key may then start.
        loop {
            let ready = self.queue.startable();
            if ready.is_empty() {
                return;
            }
            for (key, run) in ready {
                let user = self.user_of(&run);
                match self
                    .spawner
                    .spawn(&spec(&run.argv, user, Some(NOTIFY_TIMEOUT)), now)
                {
                    Ok((_, pid)) => {
                        self.stats.started += 1;
                        debug!("({key}) notify {:?} started, pid {pid}", run.argv);
                        self.running.insert(pid, Owner::Notify(key));
                    }
                    Err(e) => {
                        self.stats.spawn_errors += 1;
                        warn!("({key}) notify {}: {e}", run.argv.join(" "));
                        self.queue.finished(&key);
                    }
                }
            }
        }
    }

    /// SIGCHLD: reap, log how each ended, start the next of each instance.
    pub fn reap(&mut self, now: Instant) {
        for e in self.spawner.reap(now) {
            match self.running.remove(&e.pid) {
                Some(Owner::Notify(key)) => {
                    if e.end.timed_out() {
                        self.stats.timed_out += 1;
                        warn!("({key}) notify pid {} {}", e.pid, e.end);
                    } else if !e.end.success() {
                        self.stats.failed += 1;
                        info!("({key}) notify pid {} ended: {}", e.pid, e.end);
                    }
                    self.queue.finished(&key);
                }
                Some(Owner::FifoReader(path)) => {
                    info!("the reader of notify FIFO {path} ended: {}", e.end)
                }
                None => {}
            }
        }
        self.start_ready(now);
    }

    pub fn next_deadline(&self) -> Option<Instant> {
        self.spawner.next_deadline()
    }

    pub fn on_timer(&mut self, now: Instant) {
        for (_, pid, sig) in self.spawner.on_timer(now) {
            debug!("notify pid {pid}: {sig} (timeout)");
        }
    }

    pub fn stats(&self) -> NotifyStats {
        let mut s = self.stats.clone();
        s.superseded = self.queue.superseded;
        s
    }

    /// End of the VRRP child: the STOP lines are written; close the FIFOs (readers see
    /// end of file after the last line), then let the queued notifies run and the readers
    /// finish for up to `grace`, then SIGTERM whatever is left. Polls (the loop is over).
    pub fn shutdown(&mut self, grace: Duration) {
        for (_, f) in self.fifos.iter_mut() {
            f.close();
        }
        let t0 = Instant::now();
        while t0.elapsed() < grace && !(self.spawner.is_empty() && self.queue.is_idle()) {
            self.reap(Instant::now());
            self.on_timer(Instant::now());
            std::thread::sleep(Duration::from_millis(5));
        }
        if !self.spawner.is_empty() {
            info!(
                "{} notify/FIFO script(s) still running at exit: SIGTERM",
                self.spawner.len()
            );
            self.spawner.signal_all(Signal::SIGTERM);
            // What is left ends on that SIGTERM (or on the parent-death one as we exit),
            // not on the runner's SIGKILL when it is dropped.
            self.spawner.detach_all();
        }
        if self.queue.pending() > 0 {
            warn!(
                "{} notify run(s) not started before exit",
                self.queue.pending()
            );
        }
        self.fifos.clear();
    }
}

/// A notify or FIFO reader run: no shell, stdio on /dev/null, its own process group,
/// SIGTERM when the VRRP child dies (as keepalived), as `user` (uid, gid) unless root.
fn spec(argv: &[String], user: Option<(u32, u32)>, timeout: Option<Duration>) -> ScriptSpec {
    let mut s = ScriptSpec::new(argv.to_vec());
    s.timeout = timeout;
    s.die_with_parent = Some(Signal::SIGTERM);
    if let Some((uid, gid)) = user {
        if uid != 0 || gid != 0 {
            s.uid = Some(uid);
            s.gid = Some(gid);
        }
    }
    s
}

fn vet_notify(n: &Notify, security: bool) -> Notify {
    Notify {
        master: vet(&n.master, security),
        backup: vet(&n.backup, security),
        fault: vet(&n.fault, security),
        stop: vet(&n.stop, security),
        deleted: vet(&n.deleted, security),
        deleted_flag: n.deleted_flag,
        generic: vet(&n.generic, security),
    }
}

/// keepalived's checks when it loads a notify script: a script given by path that does
/// not exist is disabled; with `enable_script_security`, so is one that a non-root user
/// could change (owned by non-root, or writable by a non-root group or by anyone, on the
/// file or on a directory above it without the sticky bit). To be replaced by the shared
/// check of the script runner when both land.
fn vet(s: &Option<Script>, security: bool) -> Option<Script> {
    let s = s.as_ref()?;
    let prog = Path::new(s.program());
    if !prog.is_absolute() {
        // Found through PATH at run time, as keepalived does.
        return Some(s.clone());
    }
    if std::fs::metadata(prog).is_err() {
        warn!("Disabling notify script {} since not found", s.cmd);
        return None;
    }
    if let Some(why) = unsafe_path(prog) {
        if security {
            warn!(
                "Disabling notify script {}: unsafe permissions ({why})",
                s.cmd
            );
            return None;
        }
        warn!(
            "notify script {}: unsafe permissions ({why}); enable_script_security would disable it",
            s.cmd
        );
    }
    Some(s.clone())
}

/// Why `p` (and each directory above it) is not safe from non-root users, if it is not.
fn unsafe_path(p: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let mut cur = PathBuf::new();
    for c in p.components() {
        cur.push(c);
        let Ok(m) = std::fs::symlink_metadata(&cur) else {
            return Some(format!("{} cannot be read", cur.display()));
        };
        let mode = m.mode();
        let sticky_dir = m.is_dir() && mode & 0o1000 != 0;
        let writable = (m.gid() != 0 && mode & 0o020 != 0) || mode & 0o002 != 0;
        if m.uid() != 0 {
            return Some(format!("{} is not owned by root", cur.display()));
        }
        if !sticky_dir && writable {
            return Some(format!("{} is writable by non-root users", cur.display()));
        }
    }
    None
}

/// `script_user`, else `keepalived_script` if that user exists, else root (keepalived).
fn default_user(g: &GlobalDefs) -> Option<(u32, u32)> {
    match &g.script_user {
        Some((u, grp)) => {
            let id = lookup(u, grp.as_deref());
            if id.is_none() {
                warn!("script_user {u} not found; scripts run as root");
            }
            id
        }
        None => lookup("keepalived_script", None),
    }
}

fn lookup(user: &str, group: Option<&str>) -> Option<(u32, u32)> {
    let u = User::from_name(user).ok().flatten()?;
    let gid = match group {
        Some(g) => Group::from_name(g).ok().flatten()?.gid,
        None => u.gid,
    };
    Some((u.uid.as_raw(), gid.as_raw()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn script(cmd: &str) -> Option<Script> {
        Some(Script {
            cmd: cmd.to_string(),
            args: cmd.split_whitespace().map(str::to_string).collect(),
            user: None,
            group: None,
            loc: None,
        })
    }

    #[test]
    fn only_instances_with_scripts_or_flags_are_kept() {
        use keepalived_config::diag::Loc;
        use keepalived_config::model::vrrp::VrrpInstance;
        let mut cfg = Config::default();
        for n in 0..100 {
            let i = VrrpInstance::new(&format!("VI_{n}"), Loc::new("t.conf", n));
            cfg.vrrp.instances.push(i);
        }
        // A script by absolute path that exists, and notify_deleted without a script.
        cfg.vrrp.instances[3].notify.generic = script("/bin/true");
        cfg.vrrp.instances[5].notify.deleted_flag = true;
        cfg.vrrp.instances[7].notify_priority_changes = Some(true);
        let mut n = Notifier::new();
        n.configure(&cfg, Instant::now());
        let mut kept: Vec<_> = n.scripts.keys().cloned().collect();
        kept.sort();
        assert_eq!(
            kept,
            [Key::Instance("VI_3".into()), Key::Instance("VI_5".into())]
        );
        assert_eq!(n.priority_changes.keys().collect::<Vec<_>>(), ["VI_7"]);
        // Reconfigured without scripts: nothing is left over.
        let mut plain = cfg.clone();
        plain.vrrp.instances[3].notify.generic = None;
        plain.vrrp.instances[5].notify.deleted_flag = false;
        n.configure(&plain, Instant::now());
        assert!(n.scripts.is_empty());
    }

    #[test]
    fn missing_and_unsafe_scripts_are_disabled_as_keepalived() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ok = dir.path().join("ok.sh");
        std::fs::write(&ok, "#!/bin/sh\n").expect("write");
        std::fs::set_permissions(&ok, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let open = dir.path().join("open.sh");
        std::fs::write(&open, "#!/bin/sh\n").expect("write");
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).expect("chmod");
        let ok_s = script(&format!("{} arg", ok.display()));
        let open_s = script(&open.display().to_string());
        let root = nix::unistd::geteuid().is_root();
        if root {
            assert_eq!(vet(&ok_s, true), ok_s, "a root-owned 0755 script is safe");
        }
        assert_eq!(vet(&open_s, true), None, "world-writable: disabled");
        assert_eq!(vet(&open_s, false), open_s, "kept without script security");
        assert_eq!(vet(&script("/nonexistent/notify.sh"), false), None);
        assert_eq!(
            vet(&script("logger"), true),
            script("logger"),
            "PATH search"
        );
        assert!(
            unsafe_path(Path::new("/tmp")).is_none(),
            "sticky /tmp is fine"
        );
    }
}
