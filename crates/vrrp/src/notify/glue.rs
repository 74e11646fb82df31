//! The VRRP child's notify adapter ([`crate::daemon`] owns one): turns [`Event`]s into
//! FIFO lines (written at once) and script runs (queued per instance, started by the
//! [`Spawner`], reaped on SIGCHLD), starts the FIFO reader scripts, and at shutdown gives
//! the last notifies a bounded time to finish. Never waits in the loop.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::{Duration, Instant};

use keepalived_config::model::global::{Fifo, GlobalDefs};
use keepalived_config::model::Config;
use keepalived_event::ExitKind;
use log::{debug, info, warn};
use nix::sys::signal::Signal;
use nix::unistd::{Group, Pid, User};

use super::fifo::NotifyFifo;
use super::queue::{Key, Queue};
use super::spawn::Spawner;
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
    spawner: Spawner,
    running: BTreeMap<Pid, Owner>,
    stats: NotifyStats,
    /// While the child stops: group events wait until every instance has stopped
    /// (keepalived notifies all instances' STOP, then the groups').
    hold_groups: Option<Vec<Event>>,
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
        for i in &v.instances {
            self.scripts.insert(
                Key::Instance(i.name.clone()),
                Scripts {
                    notify: i.notify.clone(),
                    master_rx_lower_pri: i.notify_master_rx_lower_pri.clone(),
                },
            );
            let on = i
                .notify_priority_changes
                .unwrap_or(config.global.vrrp_notify_priority_changes);
            self.priority_changes.insert(i.name.clone(), on);
        }
        for g in &v.sync_groups {
            self.scripts.insert(
                Key::Group(g.name.clone()),
                Scripts {
                    notify: g.notify.clone(),
                    master_rx_lower_pri: None,
                },
            );
        }
        self.default_user = default_user(&config.global);
        self.users.clear();
        for (_, s) in v.named_scripts() {
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
            .cloned()
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
                    match self.spawner.spawn(&argv, user, None, now) {
                        Ok(pid) => {
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

    /// Something happened: write its line, queue its scripts, start what can start.
    pub fn event(&mut self, ev: &Event, now: Instant) {
        if let (Some(held), Event::Group { .. }) = (self.hold_groups.as_mut(), ev) {
            held.push(ev.clone());
            return;
        }
        let key = match ev {
            Event::Group { name, .. } => Key::Group(name.clone()),
            Event::Instance { name, .. }
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
        let transition = matches!(ev, Event::Instance { .. } | Event::Group { .. });
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
                    .spawn(&run.argv, user, Some(NOTIFY_TIMEOUT), now)
                {
                    Ok(pid) => {
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
        for e in self.spawner.reap() {
            match self.running.remove(&e.pid) {
                Some(Owner::Notify(key)) => {
                    if e.timed_out {
                        self.stats.timed_out += 1;
                        warn!("({key}) notify pid {} timed out ({:?})", e.pid, e.how);
                    } else if e.how != ExitKind::Exited(0) {
                        self.stats.failed += 1;
                        info!("({key}) notify pid {} ended: {:?}", e.pid, e.how);
                    }
                    self.queue.finished(&key);
                }
                Some(Owner::FifoReader(path)) => {
                    info!("the reader of notify FIFO {path} ended: {:?}", e.how)
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
        for (pid, sig) in self.spawner.on_timer(now) {
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
