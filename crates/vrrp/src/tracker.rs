//! The VRRP child's tracking adapter: runs `vrrp_script`s through the non-blocking
//! [`ScriptRunner`], watches `track_file`s with inotify, keeps the link state of tracked
//! interfaces, and turns them into each instance's (total priority, FAULT) with the
//! sans-IO arithmetic of [`crate::track`]. Owned and driven by `daemon.rs`, which feeds
//! the results to the instances as `Input::PriorityChanged` / `Input::TrackFault`.

use std::collections::HashMap;
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use keepalived_config::diag::Diagnostics;
use keepalived_config::model::vrrp::{Tracked, VrrpInstance};
use keepalived_config::model::{Config, Script};
use keepalived_config::validate::scripts::{self, Policy, Probe, System};
use keepalived_event::{ScriptEnd, ScriptId, ScriptRunner, ScriptSpec};
use log::{info, warn};
use nix::sys::inotify::{AddWatchFlags, InitFlags, Inotify};
use serde_json::{json, Value};

use crate::process::ProcWatcher;
use crate::synctrack::{member_tracking, MemberTracking};
use crate::track::{self, clamp_weight, Effect, ScriptCounter, Status};

/// One `vrrp_script`.
#[derive(Debug)]
struct ScriptTrack {
    name: String,
    cmd: String,
    /// `None`: disabled (insecure, not found, unknown user); it never runs and stays Init.
    spec: Option<ScriptSpec>,
    interval: Duration,
    counter: ScriptCounter,
    running: Option<ScriptId>,
    next_run: Instant,
    last_end: Option<ScriptEnd>,
    runs: u64,
    skipped: u64,
    weight: i32,
    reverse: bool,
}

/// One `track_file`.
#[derive(Debug)]
struct FileTrack {
    name: String,
    path: PathBuf,
    /// The file's name inside the watched directory.
    leaf: std::ffi::OsString,
    wd: Option<nix::sys::inotify::WatchDescriptor>,
    value: i64,
    weight: i32,
    reverse: bool,
}

/// What an instance tracks: indices into the tracker's lists, with the weights in force.
#[derive(Debug, Default)]
struct Binding {
    scripts: Vec<(usize, i32, bool)>,
    ifaces: Vec<(String, i32, bool)>,
    files: Vec<(usize, i32, bool)>,
    procs: Vec<(usize, i32, bool)>,
    base: u8,
    /// A restored instance (hitless restart, reload) was running with its scripts good
    /// enough: a weight-0 script that has not reported yet does not fault it (keepalived
    /// would, but it also drops the VIPs on restart, which we must not).
    trust_init: bool,
    /// The last (total, fault) fed to the instance.
    fed: Option<(i32, bool)>,
}

pub struct Tracker {
    scripts: Vec<ScriptTrack>,
    files: Vec<FileTrack>,
    inotify: Option<Inotify>,
    runner: ScriptRunner,
    /// Usable (up and running) per interface name.
    links: HashMap<String, bool>,
    bindings: Vec<Binding>,
    /// Instances whose `Start` waits for their weight-0 scripts' first results.
    held: Vec<usize>,
    procs: Option<ProcWatcher>,
    /// Per tracked process: the quorum in force, and a change waiting for its
    /// `fork_delay` / `terminate_delay` (keepalived's `delay` sets both).
    proc_quorum: Vec<(bool, Option<(bool, Instant)>)>,
}

impl std::fmt::Debug for Tracker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tracker")
            .field("scripts", &self.scripts.len())
            .field("files", &self.files.len())
            .field("running", &self.runner.len())
            .finish_non_exhaustive()
    }
}

impl Tracker {
    /// Builds the trackers of `cfg` for `insts` (the instances that run, in the daemon's
    /// order). `links` is the usable state per interface name. Script states of `old`
    /// with the same name and command carry over (a reload does not reset them, so a
    /// weight-0 script does not put a MASTER in FAULT until its next run).
    pub fn new(
        cfg: &Config,
        insts: &[(&VrrpInstance, bool)],
        links: HashMap<String, bool>,
        old: Option<Tracker>,
        reload: bool,
        now: Instant,
    ) -> Tracker {
        let mut old = old;
        let policy = Policy::of(cfg);
        // Only `vrrp_script`s need it: no user lookup (NSS modules loaded) without one.
        let ks_exists = !cfg.vrrp.scripts.is_empty() && System.user("keepalived_script").is_some();
        let global_user = cfg.global.script_user.clone();
        // Each instance's trackers with its sync group's merged in (synctrack.rs).
        let eff: Vec<MemberTracking> = insts
            .iter()
            .map(|(i, _)| member_tracking(&cfg.vrrp, i))
            .collect();
        // A group's notes come once per member; keepalived logs them once.
        let mut noted = std::collections::HashSet::new();
        for n in eff.iter().flat_map(|e| &e.notes) {
            if noted.insert(n) {
                info!("{n}");
            }
        }
        let used = |pick: &dyn Fn(&MemberTracking) -> &Vec<Tracked>, name: &str| {
            eff.iter().any(|e| pick(e).iter().any(|t| t.name == name))
        };
        let mut scripts = Vec::new();
        for s in &cfg.vrrp.scripts {
            if !used(&|e| &e.scripts, &s.name) {
                continue;
            }
            let cmd = s
                .script
                .as_ref()
                .map(|sc| sc.cmd.clone())
                .unwrap_or_default();
            let spec = s.script.as_ref().and_then(|sc| {
                let mut spec = prepare(sc, &s.name, &policy, ks_exists, global_user.as_ref())?;
                spec.timeout = Some(s.timeout.unwrap_or(s.interval));
                Some(spec)
            });
            let prev = old.as_mut().and_then(|o| {
                let pos = o
                    .scripts
                    .iter()
                    .position(|p| p.name == s.name && p.cmd == cmd)?;
                Some(o.scripts.remove(pos))
            });
            let counter = match &prev {
                Some(p) => p.counter.clone(),
                None => ScriptCounter::new(s.rise, s.fall, s.init_fail),
            };
            scripts.push(ScriptTrack {
                name: s.name.clone(),
                cmd,
                spec,
                interval: s.interval.max(Duration::from_millis(10)),
                counter,
                running: None,
                // keepalived runs each script once at start, then every interval.
                next_run: prev.as_ref().map_or(now, |p| p.next_run.max(now)),
                last_end: prev.as_ref().and_then(|p| p.last_end),
                runs: prev.as_ref().map_or(0, |p| p.runs),
                skipped: prev.as_ref().map_or(0, |p| p.skipped),
                weight: clamp_weight(s.weight),
                reverse: s.weight_reverse,
            });
        }
        let mut files = Vec::new();
        let mut inotify = None;
        for f in &cfg.vrrp.track_files {
            if !used(&|e| &e.files, &f.name) {
                continue;
            }
            let Some(path) = f.file.as_ref().map(PathBuf::from) else {
                warn!("track_file {}: no file; ignored", f.name);
                continue;
            };
            init_file(&f.name, &path, f.init_file, f.init_overwrite, reload);
            let (Some(dir), Some(leaf)) = (path.parent(), path.file_name()) else {
                warn!(
                    "track_file {}: {} has no directory; ignored",
                    f.name,
                    path.display()
                );
                continue;
            };
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            if inotify.is_none() {
                match Inotify::init(InitFlags::IN_NONBLOCK | InitFlags::IN_CLOEXEC) {
                    Ok(i) => inotify = Some(i),
                    Err(e) => warn!("inotify: {e}; track files are read once only"),
                }
            }
            let wd = inotify.as_ref().and_then(|ino| {
                match ino.add_watch(
                    dir,
                    AddWatchFlags::IN_CLOSE_WRITE
                        | AddWatchFlags::IN_DELETE
                        | AddWatchFlags::IN_MOVE,
                ) {
                    Ok(wd) => Some(wd),
                    Err(e) => {
                        warn!(
                            "Track file directory for {} ({}) cannot be watched: {e}",
                            f.name,
                            dir.display()
                        );
                        None
                    }
                }
            });
            let value = read_value(&path).unwrap_or(0);
            files.push(FileTrack {
                name: f.name.clone(),
                leaf: leaf.to_os_string(),
                path,
                wd,
                value,
                weight: f.weight.clamp(-254, 254),
                reverse: f.weight_reverse,
            });
        }
        let proc_specs: Vec<_> = cfg
            .vrrp
            .track_processes
            .iter()
            .filter(|p| used(&|e| &e.procs, &p.name))
            .cloned()
            .collect();
        let procs = (!proc_specs.is_empty()).then(|| ProcWatcher::open(proc_specs));
        let proc_quorum = procs.as_ref().map_or(Vec::new(), |p| {
            (0..p.specs().len())
                .map(|i| (p.have_quorum(i), None))
                .collect()
        });
        // Scripts still running from the old tracker are left to its runner's drop.
        let bindings = insts
            .iter()
            .zip(&eff)
            .map(|(&(i, restored), e)| {
                let mut b = Binding {
                    base: i.priority.unwrap_or(100),
                    trust_init: restored,
                    ..Binding::default()
                };
                for t in &e.scripts {
                    match scripts.iter().position(|s| s.name == t.name) {
                        // keepalived removes a disabled script from the instances too.
                        Some(x) if scripts[x].spec.is_none() => info!(
                            "({}) track script {} is disabled, ignoring...",
                            i.name, t.name
                        ),
                        Some(x) => {
                            let (w, r) = match t.weight {
                                Some(w) => (clamp_weight(w), t.reverse),
                                None => (scripts[x].weight, scripts[x].reverse),
                            };
                            b.scripts.push((x, w, r));
                        }
                        None => warn!(
                            "({}) track script {} not found, ignoring...",
                            i.name, t.name
                        ),
                    }
                }
                for t in &e.ifaces {
                    // keepalived: the instance's own interface already faults it.
                    if i.interface.as_deref() == Some(t.name.as_str()) {
                        info!(
                            "({}) Ignoring track_interface {} since own interface",
                            i.name, t.name
                        );
                        continue;
                    }
                    b.ifaces.push((
                        t.name.clone(),
                        clamp_weight(t.weight.unwrap_or(0)),
                        t.reverse,
                    ));
                }
                for t in &e.files {
                    match files.iter().position(|f| f.name == t.name) {
                        Some(x) => {
                            let (w, r) = match t.weight {
                                Some(w) => (w.clamp(-254, 254), t.reverse),
                                None => (files[x].weight, files[x].reverse),
                            };
                            b.files.push((x, w, r));
                        }
                        None => warn!("({}) track file {} not found, ignoring...", i.name, t.name),
                    }
                }
                for t in &e.procs {
                    let found = procs
                        .as_ref()
                        .and_then(|p| p.specs().iter().position(|s| s.name == t.name));
                    match (found, procs.as_ref()) {
                        (Some(x), Some(p)) => {
                            let (w, r) = match t.weight {
                                Some(w) => (w.clamp(-254, 254), t.reverse),
                                None => (p.specs()[x].weight, p.specs()[x].weight_reverse),
                            };
                            b.procs.push((x, w, r));
                        }
                        _ => warn!(
                            "({}) track process {} not found, ignoring...",
                            i.name, t.name
                        ),
                    }
                }
                b
            })
            .collect();
        Tracker {
            scripts,
            files,
            inotify,
            runner: ScriptRunner::new(),
            links,
            bindings,
            held: Vec::new(),
            procs,
            proc_quorum,
        }
    }

    /// The proc connector fd to register in the loop, if processes are tracked.
    pub fn proc_fd(&self) -> Option<RawFd> {
        self.procs.as_ref().and_then(ProcWatcher::fd)
    }

    /// Reads process events (exec, exit) and updates the counts.
    pub fn on_proc(&mut self, now: Instant) {
        if let Some(p) = self.procs.as_mut() {
            if p.on_readable() {
                for (i, s) in p.specs().iter().enumerate() {
                    let raw = p.have_quorum(i);
                    let Some(q) = self.proc_quorum.get_mut(i) else {
                        continue;
                    };
                    if raw == q.0 {
                        q.1 = None;
                        continue;
                    }
                    let delay = if raw { s.fork_delay } else { s.terminate_delay }.or(s.delay);
                    match delay {
                        Some(d) if !d.is_zero() => {
                            if q.1.map(|(t, _)| t) != Some(raw) {
                                q.1 = Some((raw, now + d));
                            }
                        }
                        _ => *q = (raw, None),
                    }
                }
                for (i, s) in p.specs().iter().enumerate() {
                    info!(
                        "Track process {}: {} running, quorum {}",
                        s.name,
                        p.count(i),
                        if p.have_quorum(i) { "held" } else { "lost" }
                    );
                }
            }
        }
    }

    /// The inotify fd to register in the loop, if any file is tracked.
    pub fn inotify_fd(&self) -> Option<RawFd> {
        self.inotify.as_ref().map(|i| i.as_fd().as_raw_fd())
    }

    /// When [`Self::on_timer`] has work: the next script run or timeout.
    pub fn next_deadline(&self) -> Option<Instant> {
        let pending = self
            .proc_quorum
            .iter()
            .filter_map(|q| q.1.map(|(_, at)| at))
            .min();
        let runs = self
            .scripts
            .iter()
            .filter(|s| s.spec.is_some())
            .map(|s| s.next_run)
            .min();
        [runs, self.runner.next_deadline(), pending]
            .into_iter()
            .flatten()
            .min()
    }

    /// Starts due scripts (one run at a time per script) and enforces timeouts.
    pub fn on_timer(&mut self, now: Instant) {
        for q in &mut self.proc_quorum {
            if let Some((target, at)) = q.1 {
                if at <= now {
                    *q = (target, None);
                }
            }
        }
        for (id, pid, sig) in self.runner.on_timer(now) {
            if let Some(s) = self.scripts.iter().find(|s| s.running == Some(id)) {
                info!(
                    "Script `{}` (pid {pid}) timed out: sending {sig} to its process group",
                    s.name
                );
            }
        }
        for s in &mut self.scripts {
            let Some(spec) = &s.spec else { continue };
            if s.next_run > now {
                continue;
            }
            // Next run an interval after this one was due, never in the past.
            s.next_run = (s.next_run + s.interval).max(now);
            if s.running.is_some() {
                s.skipped += 1;
                info!(
                    "Track script {} is already running, expect idle - skipping run",
                    s.name
                );
                continue;
            }
            match self.runner.spawn(spec, now) {
                Ok((id, _)) => {
                    s.running = Some(id);
                    s.runs += 1;
                }
                Err(e) => {
                    warn!("VRRP_Script({}): starting `{}`: {e}", s.name, s.cmd);
                    // A script that cannot start fails, as in keepalived (exit 127).
                    if let Some(st) = s.counter.record(false) {
                        log_transition(&s.name, st, "failed to start");
                    }
                }
            }
        }
    }

    /// Reaps finished scripts (call on SIGCHLD) and counts their results.
    pub fn on_sigchld(&mut self, now: Instant) {
        for done in self.runner.reap(now) {
            let Some(s) = self.scripts.iter_mut().find(|s| s.running == Some(done.id)) else {
                continue;
            };
            s.running = None;
            if s.last_end.map(|e| e.success()) != Some(done.end.success()) || s.last_end.is_none() {
                info!("Script `{}` now returning: {}", s.name, done.end);
            }
            s.last_end = Some(done.end);
            if let Some(st) = s.counter.record(done.end.success()) {
                log_transition(&s.name, st, &done.end.to_string());
            }
        }
    }

    /// Reads inotify events and re-reads the files they concern.
    pub fn on_inotify(&mut self) {
        let Some(ino) = &self.inotify else { return };
        loop {
            let events = match ino.read_events() {
                Ok(e) if !e.is_empty() => e,
                Ok(_) | Err(nix::errno::Errno::EAGAIN) => return,
                Err(nix::errno::Errno::EINTR) => continue,
                Err(e) => {
                    warn!("inotify read: {e}");
                    return;
                }
            };
            for ev in events {
                if ev.mask.contains(AddWatchFlags::IN_ISDIR) {
                    continue;
                }
                for f in &mut self.files {
                    if f.wd != Some(ev.wd) || ev.name.as_deref() != Some(f.leaf.as_os_str()) {
                        continue;
                    }
                    let new = if ev
                        .mask
                        .intersects(AddWatchFlags::IN_MOVED_FROM | AddWatchFlags::IN_DELETE)
                    {
                        0
                    } else {
                        match read_value(&f.path) {
                            Some(v) => v,
                            None => {
                                info!("Invalid number read from {} - ignoring", f.path.display());
                                continue;
                            }
                        }
                    };
                    if new != f.value {
                        info!(
                            "Track file {} now has value {new} (was {})",
                            f.name, f.value
                        );
                        f.value = new;
                    }
                }
            }
        }
    }

    /// An interface's link state changed (netlink).
    pub fn link_changed(&mut self, name: &str, usable: bool) {
        self.links.insert(name.to_string(), usable);
    }

    /// The (total priority, FAULT) of instance `i` now.
    pub fn evaluate(&self, i: usize) -> Option<(i32, bool)> {
        let b = self.bindings.get(i)?;
        Some(track::combine(b.base, self.effects(b)))
    }

    fn effects<'a>(&'a self, b: &'a Binding) -> impl Iterator<Item = Effect> + 'a {
        let scripts = b.scripts.iter().filter_map(|&(x, w, r)| {
            let s = self.scripts.get(x)?;
            let st = match s.counter.status() {
                Status::Init if b.trust_init && w == 0 => Status::Up,
                st => st,
            };
            Some(track::effect(w, r, st))
        });
        let ifaces = b.ifaces.iter().map(|(name, w, r)| {
            // A tracked interface that does not exist counts as down (keepalived creates
            // it as a placeholder).
            let up = self.links.get(name).copied().unwrap_or(false);
            track::effect(*w, *r, if up { Status::Up } else { Status::Down })
        });
        let files = b.files.iter().filter_map(|&(x, w, r)| {
            let f = self.files.get(x)?;
            Some(track::file_effect(f.value, w, r))
        });
        let procs = b.procs.iter().filter_map(|&(x, w, r)| {
            let st = if self.proc_quorum.get(x)?.0 {
                Status::Up
            } else {
                Status::Down
            };
            Some(track::effect(w, r, st))
        });
        scripts.chain(ifaces).chain(files).chain(procs)
    }

    /// Whether instance `i` waits for the first result of a weight-0 script (keepalived's
    /// `num_script_init`: it stays out of BACKUP without announcing FAULT).
    pub fn init_pending(&self, i: usize) -> bool {
        self.bindings.get(i).is_some_and(|b| {
            !b.trust_init
                && b.scripts.iter().any(|&(x, w, _)| {
                    w == 0
                        && self
                            .scripts
                            .get(x)
                            .is_some_and(|s| s.counter.status() == Status::Init)
                })
        })
    }

    /// Holds the `Start` of instance `i` while [`Self::init_pending`]; returns whether it
    /// was held (the caller then starts it when [`Self::ready_starts`] names it).
    pub fn hold_start(&mut self, i: usize) -> bool {
        let hold = self.init_pending(i);
        if hold && !self.held.contains(&i) {
            self.held.push(i);
        }
        hold
    }

    /// Held instances whose scripts have now all reported: start them.
    pub fn ready_starts(&mut self) -> Vec<usize> {
        let (ready, wait): (Vec<usize>, Vec<usize>) = std::mem::take(&mut self.held)
            .into_iter()
            .partition(|&i| !self.init_pending(i));
        self.held = wait;
        ready
    }

    /// Instances whose (total, fault) changed since last asked, with the new values;
    /// marks them fed.
    pub fn changes(&mut self) -> Vec<(usize, i32, bool)> {
        let mut out = Vec::new();
        for i in 0..self.bindings.len() {
            let Some(now) = self.evaluate(i) else {
                continue;
            };
            if let Some(b) = self.bindings.get_mut(i) {
                if b.fed != Some(now) {
                    b.fed = Some(now);
                    out.push((i, now.0, now.1));
                }
            }
        }
        out
    }

    /// Whether instance `i` tracks anything (for the dumps).
    pub fn tracks_anything(&self, i: usize) -> bool {
        self.bindings.get(i).is_some_and(|b| {
            !b.scripts.is_empty()
                || !b.ifaces.is_empty()
                || !b.files.is_empty()
                || !b.procs.is_empty()
        })
    }

    /// keepalived-style data dump lines of instance `i`'s trackers.
    pub fn dump_instance(&self, i: usize) -> String {
        let Some(b) = self.bindings.get(i) else {
            return String::new();
        };
        let mut s = String::new();
        if !b.ifaces.is_empty() {
            s.push_str("   Tracked interfaces :\n");
            for (n, w, r) in &b.ifaces {
                let up = self.links.get(n).copied().unwrap_or(false);
                s.push_str(&format!(
                    "     {n} weight {w}{} state {}\n",
                    if *r { " reverse" } else { "" },
                    if up { "UP" } else { "DOWN" }
                ));
            }
        }
        if !b.scripts.is_empty() {
            s.push_str("   Tracked scripts :\n");
            for &(x, w, r) in &b.scripts {
                if let Some(sc) = self.scripts.get(x) {
                    s.push_str(&format!(
                        "     {} weight {w}{} status {}\n",
                        sc.name,
                        if r { " reverse" } else { "" },
                        status_word(sc.counter.status())
                    ));
                }
            }
        }
        if let (false, Some(p)) = (b.procs.is_empty(), self.procs.as_ref()) {
            s.push_str("   Tracked processes :\n");
            for &(x, w, r) in &b.procs {
                if let Some(sp) = p.specs().get(x) {
                    s.push_str(&format!(
                        "     {}, weight {w}{} count {} quorum {}\n",
                        sp.name,
                        if r { " reverse" } else { "" },
                        p.count(x),
                        if p.have_quorum(x) { "held" } else { "lost" }
                    ));
                }
            }
        }
        if !b.files.is_empty() {
            s.push_str("   Tracked files :\n");
            for &(x, w, r) in &b.files {
                if let Some(f) = self.files.get(x) {
                    s.push_str(&format!(
                        "     {}, weight {w}{} value {}\n",
                        f.name,
                        if r { " reverse" } else { "" },
                        f.value
                    ));
                }
            }
        }
        s
    }

    /// The global `VRRP Script` / `Track file` sections of the data dump.
    pub fn dump_global(&self) -> String {
        let mut s = String::new();
        for sc in &self.scripts {
            s.push_str(&format!(
                " VRRP Script = {}\n   Command = {}\n   Interval = {} sec\n   Timeout = {} sec\n   Weight = {}{}\n   Rise = {}\n   Fall = {}\n   Status = {}\n   Script uid:gid = {}:{}\n   State = {}\n   Result = {}\n   Runs = {}\n   Skipped runs = {}\n   Last exit = {}\n",
                sc.name,
                sc.cmd,
                sc.interval.as_secs_f64(),
                sc.spec.as_ref().and_then(|p| p.timeout).map_or(0.0, |t| t.as_secs_f64()),
                sc.weight,
                if sc.reverse { " reverse" } else { "" },
                sc.counter.rise(),
                sc.counter.fall(),
                status_word(sc.counter.status()),
                sc.spec.as_ref().and_then(|p| p.uid).unwrap_or(0),
                sc.spec.as_ref().and_then(|p| p.gid).unwrap_or(0),
                if sc.spec.is_none() {
                    "disabled"
                } else if sc.running.is_some() {
                    "running"
                } else {
                    "idle"
                },
                sc.counter.result(),
                sc.runs,
                sc.skipped,
                sc.last_end.map_or("none".to_string(), |e| e.to_string()),
            ));
        }
        for f in &self.files {
            s.push_str(&format!(
                " Track file = {}\n   File = {}\n   Status = {}\n   Weight = {}{}\n",
                f.name,
                f.path.display(),
                f.value,
                f.weight,
                if f.reverse { " reverse" } else { "" }
            ));
        }
        s
    }

    /// JSON for instance `i` (the `-J` style dump).
    pub fn json_instance(&self, i: usize) -> Value {
        let Some(b) = self.bindings.get(i) else {
            return Value::Null;
        };
        let scripts: Vec<Value> = b
            .scripts
            .iter()
            .filter_map(|&(x, w, r)| {
                let sc = self.scripts.get(x)?;
                Some(json!({"name": sc.name, "weight": w, "reverse": r,
                    "status": status_word(sc.counter.status())}))
            })
            .collect();
        let ifaces: Vec<Value> = b
            .ifaces
            .iter()
            .map(|(n, w, r)| {
                json!({"name": n, "weight": w, "reverse": r,
                    "up": self.links.get(n).copied().unwrap_or(false)})
            })
            .collect();
        let files: Vec<Value> = b
            .files
            .iter()
            .filter_map(|&(x, w, r)| {
                let f = self.files.get(x)?;
                Some(json!({"name": f.name, "weight": w, "reverse": r, "value": f.value}))
            })
            .collect();
        let (total, fault) = self.evaluate(i).unwrap_or((0, false));
        let procs: Vec<Value> = b
            .procs
            .iter()
            .filter_map(|&(x, w, r)| {
                let p = self.procs.as_ref()?;
                let sp = p.specs().get(x)?;
                Some(json!({"name": sp.name, "weight": w, "reverse": r,
                    "count": p.count(x), "have_quorum": p.have_quorum(x)}))
            })
            .collect();
        json!({"track_script": scripts, "track_interface": ifaces, "track_file": files,
            "track_process": procs,
            "total_priority": total, "tracker_fault": fault})
    }

    /// Kills every running script (shutdown).
    pub fn stop(&mut self) {
        self.runner.kill_all();
    }
}

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Init => "INIT",
        Status::Up => "GOOD",
        Status::Down => "BAD",
    }
}

fn log_transition(name: &str, st: Status, how: &str) {
    match st {
        Status::Up => info!("VRRP_Script({name}) succeeded"),
        Status::Down => info!("VRRP_Script({name}) failed ({how})"),
        Status::Init => {}
    }
}

/// Who runs a script and whether it may run: its own `user [group]`, else the global
/// `script_user`, else `keepalived_script` if that user exists, else root; with
/// `enable_script_security` an insecure script is refused (the config crate's checks,
/// the same `keepalived -t` runs).
fn prepare(
    sc: &Script,
    name: &str,
    policy: &Policy,
    ks_exists: bool,
    global_user: Option<&(String, Option<String>)>,
) -> Option<ScriptSpec> {
    let mut d = Diagnostics::new();
    scripts::check(
        &[("vrrp_script", sc)],
        policy,
        scripts::Running {
            vrrp: true,
            check: false,
        },
        ks_exists,
        &System,
        &mut d,
    );
    if let Some(e) = d.errors().find(|e| {
        e.msg.starts_with("Disabling track script") || e.msg.starts_with("Unable to set default")
    }) {
        warn!("VRRP_Script({name}): {}; not run", e.msg);
        return None;
    }
    let who = match (&sc.user, global_user) {
        (Some(u), _) => Some((u.clone(), sc.group.clone())),
        (None, Some((u, g))) => Some((u.clone(), g.clone())),
        (None, None) if ks_exists => Some(("keepalived_script".to_string(), None)),
        (None, None) => None,
    };
    let mut spec = ScriptSpec::new(sc.args.clone());
    if let Some((u, g)) = who {
        match keepalived_event::script::resolve_user(&u, g.as_deref()) {
            Ok((uid, gid)) => {
                spec.uid = Some(uid);
                spec.gid = Some(gid);
            }
            Err(e) => {
                warn!("VRRP_Script({name}): user {u}: {e}; not run");
                return None;
            }
        }
    }
    Some(spec)
}

/// `init_file [VALUE] [overwrite]`: write VALUE when the file is missing, or always with
/// `overwrite` (except on a reload).
fn init_file(name: &str, path: &Path, value: Option<i64>, overwrite: bool, reload: bool) {
    let Some(v) = value else { return };
    match std::fs::metadata(path) {
        Ok(_) if !overwrite || reload => return,
        Ok(m) if !m.is_file() => {
            warn!("Cannot initialise track file {name} - it is not a regular file");
            return;
        }
        _ => {}
    }
    if let Err(e) = std::fs::write(path, format!("{v}\n")) {
        warn!("Unable to initialise track file {name}: {e}");
    }
}

/// The value of a track file now: missing or unreadable is 0; out of range is `None`.
fn read_value(path: &Path) -> Option<i64> {
    use std::io::Read;
    let mut buf = [0u8; 127];
    let n = match std::fs::File::open(path) {
        Ok(mut f) => f.read(&mut buf).unwrap_or(0),
        Err(_) => 0,
    };
    track::parse_file_value(buf.get(..n).unwrap_or(&[]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn script(path: &Path, user: Option<&str>) -> Script {
        Script {
            cmd: path.display().to_string(),
            args: vec![path.display().to_string()],
            user: user.map(str::to_string),
            group: None,
            loc: None,
        }
    }

    /// `enable_script_security` refuses a root script anyone can write; a script run as
    /// `user` gets that uid/gid. Runs as root (the lab machines do); skipped otherwise
    /// because the security rules only concern root scripts.
    #[test]
    fn script_security_and_user() {
        if !nix::unistd::geteuid().is_root() {
            eprintln!("not root: script security is only about root scripts; skipped");
            return;
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("chk.sh");
        std::fs::write(&p, "#!/bin/sh\nexit 0\n").expect("write");
        // With enable_script_security keepalived needs a script user (keepalived_script
        // does not exist here): script_user root.
        let secure = Policy {
            enable_script_security: true,
            script_user: Some(("root".into(), None, None)),
        };
        let root = ("root".to_string(), None);
        let no_user = Policy {
            enable_script_security: true,
            script_user: None,
        };
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o777)).expect("chmod");
        assert!(prepare(&script(&p, None), "chk", &secure, false, Some(&root)).is_none());
        // Without enable_script_security keepalived runs it anyway (and warns at -t).
        let lax = Policy::default();
        assert!(prepare(&script(&p, None), "chk", &lax, false, None).is_some());
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let spec = prepare(&script(&p, None), "chk", &secure, false, Some(&root)).expect("secure");
        assert_eq!((spec.uid, spec.gid), (Some(0), Some(0)));
        assert!(prepare(&script(&p, None), "chk", &no_user, false, None).is_none());
        let spec = prepare(&script(&p, Some("nobody")), "chk", &lax, false, None).expect("nobody");
        let (uid, gid) = keepalived_event::script::resolve_user("nobody", None).expect("nobody");
        assert_eq!((spec.uid, spec.gid), (Some(uid), Some(gid)));
        assert!(prepare(
            &script(&p, Some("no-such-user-ktr")),
            "chk",
            &lax,
            false,
            None
        )
        .is_none());
    }

    fn tracker_for(text: &str, links: &[(&str, bool)]) -> Tracker {
        let mut d = Diagnostics::new();
        let cfg = keepalived_config::load_str(
            "t.conf",
            text,
            &keepalived_config::ReadOptions::default(),
            &mut d,
        );
        let insts: Vec<(&VrrpInstance, bool)> =
            cfg.vrrp.instances.iter().map(|i| (i, false)).collect();
        let links = links.iter().map(|(n, u)| (n.to_string(), *u)).collect();
        Tracker::new(&cfg, &insts, links, None, false, Instant::now())
    }

    fn until(t: &mut Tracker, want: (i32, bool), f: &dyn Fn(&mut Tracker)) -> bool {
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_secs(5) {
            f(t);
            if t.evaluate(0) == Some(want) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }

    /// Scripts, interfaces and files together, through the real runner and inotify.
    #[test]
    fn script_interface_and_file_add_up() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("v");
        let text = format!(
            "vrrp_script bad {{\n script /bin/false\n weight -20\n}}\n\
             vrrp_script good {{\n script /bin/true\n weight 5\n}}\n\
             track_file f {{\n file {}\n weight 2\n init_file 4\n}}\n\
             vrrp_instance VI_1 {{\n interface eth0\n virtual_router_id 1\n priority 100\n\
             track_script {{\n  bad\n  good\n }}\n track_interface {{\n  up0 weight 7\n  down0 weight -9\n }}\n\
             track_file {{\n  f\n }}\n virtual_ipaddress {{\n  192.0.2.1/24\n }}\n}}\n",
            file.display()
        );
        let mut t = tracker_for(&text, &[("up0", true), ("down0", false)]);
        // Scripts not run yet: interfaces (+7 -9) and the file (init_file 4 × 2).
        assert_eq!(t.evaluate(0), Some((100 + 7 - 9 + 8, false)));
        let now = Instant::now();
        t.on_timer(now);
        // bad fails (-20), good succeeds (+5).
        assert!(until(&mut t, (100 + 7 - 9 + 8 - 20 + 5, false), &|t| t
            .on_sigchld(Instant::now())));
        std::fs::write(&file, "-3\n").expect("write");
        assert!(until(&mut t, (100 + 7 - 9 - 6 - 20 + 5, false), &|t| t
            .on_inotify()));
        t.link_changed("down0", true);
        assert_eq!(t.evaluate(0), Some((100 + 7 - 6 - 20 + 5, false)));
        // Deleting the file is value 0.
        std::fs::remove_file(&file).expect("rm");
        assert!(until(&mut t, (100 + 7 - 20 + 5, false), &|t| t.on_inotify()));
        let dump = t.dump_instance(0);
        assert!(dump.contains("     bad weight -20 status BAD"), "{dump}");
        assert!(dump.contains("     down0 weight -9 state UP"), "{dump}");
        // changes() reports once per change.
        assert_eq!(t.changes().len(), 1);
        assert!(t.changes().is_empty());
    }

    /// A weight-0 script holds the instance's start until its first result; a disabled
    /// one is dropped from the instance as keepalived does.
    #[test]
    fn weight_zero_script_holds_start_until_its_first_result() {
        let text = "vrrp_script chk {\n script /bin/true\n}\n\
             vrrp_script gone {\n script /nonexistent/ktr\n}\n\
             vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n priority 100\n\
             track_script {\n  chk\n  gone\n }\n virtual_ipaddress {\n  192.0.2.1/24\n }\n}\n";
        let mut t = tracker_for(text, &[]);
        assert_eq!(t.evaluate(0), Some((100, true)));
        assert!(t.hold_start(0));
        assert!(t.ready_starts().is_empty());
        t.on_timer(Instant::now());
        assert!(until(&mut t, (100, false), &|t| t.on_sigchld(Instant::now())));
        assert_eq!(t.ready_starts(), vec![0]);
        assert!(t.ready_starts().is_empty());
        assert!(!t.hold_start(0));
    }

    /// vrrp_track_process through the real proc connector, with terminate_delay: the
    /// quorum loss waits for the delay.
    #[test]
    fn track_process_quorum_with_terminate_delay() {
        if !nix::unistd::geteuid().is_root() {
            eprintln!("not root: the proc connector needs CAP_NET_ADMIN; skipped");
            return;
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let name = format!("ktrq{}", std::process::id());
        let exe = dir.path().join(&name);
        std::fs::copy("/bin/sleep", &exe).expect("copy sleep");
        let text = format!(
            "vrrp_track_process p {{\n process {name}\n weight -30\n terminate_delay 1\n}}\n\
             vrrp_instance VI_1 {{\n interface eth0\n virtual_router_id 1\n priority 100\n\
             track_process {{\n  p\n }}\n virtual_ipaddress {{\n  192.0.2.1/24\n }}\n}}\n"
        );
        let mut t = tracker_for(&text, &[]);
        if t.proc_fd().is_none() {
            eprintln!("no proc connector in this namespace; skipped");
            return;
        }
        assert_eq!(t.evaluate(0), Some((70, false)));
        let mut child = std::process::Command::new(&exe)
            .arg("1000")
            .spawn()
            .expect("spawn");
        assert!(until(&mut t, (100, false), &|t| t.on_proc(Instant::now())));
        let _ = child.kill();
        let _ = child.wait();
        let t0 = Instant::now();
        // Seen at once, acted on after the delay.
        std::thread::sleep(Duration::from_millis(300));
        t.on_proc(Instant::now());
        assert_eq!(t.evaluate(0), Some((100, false)));
        let due = t.next_deadline().expect("a pending quorum change");
        assert!(due >= t0 + Duration::from_millis(900), "{:?}", due - t0);
        assert!(until(&mut t, (70, false), &|t| {
            let now = Instant::now();
            if t.next_deadline().is_some_and(|d| d <= now) {
                t.on_timer(now);
            }
        }));
    }

    /// Group trackers reach every member (keepalived 2.2.7's figures for this config:
    /// VI_1 109 then 119 once s_g succeeds, VI_2 stays at 109 since its own `s_g weight 0`
    /// wins); a failing weight-0 group script faults both members.
    #[test]
    fn sync_group_trackers_apply_to_every_member() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("fw");
        std::fs::write(&file, "1\n").expect("write");
        let text = format!(
            "vrrp_script s_w {{\n script /bin/true\n weight -20\n}}\n\
             vrrp_script s_g {{\n script /bin/true\n weight 10\n}}\n\
             vrrp_script s_bad {{\n script /bin/false\n}}\n\
             track_file f_w {{\n file {}\n weight 3\n}}\n\
             vrrp_sync_group G1 {{\n group {{\n  VI_1\n  VI_2\n }}\n\
             track_script {{\n  s_g\n }}\n track_interface {{\n  trk weight 7\n }}\n\
             track_file {{\n  f_w weight 2\n }}\n}}\n\
             vrrp_sync_group G2 {{\n group {{\n  VI_3\n  VI_4\n }}\n track_script {{\n  s_bad\n }}\n}}\n\
             vrrp_instance VI_1 {{\n interface eth0\n virtual_router_id 1\n priority 100\n\
             track_script {{\n  s_w\n }}\n track_interface {{\n  d9 weight 5\n }}\n\
             track_file {{\n  f_w\n }}\n virtual_ipaddress {{\n  192.0.2.1/24\n }}\n}}\n\
             vrrp_instance VI_2 {{\n interface eth1\n virtual_router_id 2\n priority 100\n\
             track_script {{\n  s_g weight 0\n }}\n virtual_ipaddress {{\n  192.0.2.2/24\n }}\n}}\n\
             vrrp_instance VI_3 {{\n interface eth0\n virtual_router_id 3\n priority 100\n virtual_ipaddress {{\n  192.0.2.3/24\n }}\n}}\n\
             vrrp_instance VI_4 {{\n interface eth1\n virtual_router_id 4\n priority 100\n virtual_ipaddress {{\n  192.0.2.4/24\n }}\n}}\n",
            file.display()
        );
        let mut t = tracker_for(&text, &[("trk", true), ("d9", true)]);
        assert_eq!(t.evaluate(0), Some((109, false)));
        // VI_2: its own weight-0 s_g has not run yet, so it is held like keepalived's
        // num_script_init.
        assert_eq!(t.evaluate(1), Some((109, true)));
        // Not run yet: the weight-0 group script holds both members of G2.
        assert!(t.hold_start(2) && t.hold_start(3));
        t.on_timer(Instant::now());
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_secs(5) && t.evaluate(0) != Some((119, false)) {
            t.on_sigchld(Instant::now());
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(t.evaluate(0), Some((119, false)));
        assert_eq!(t.evaluate(1), Some((109, false)));
        assert_eq!(t.evaluate(2), Some((100, true)));
        assert_eq!(t.evaluate(3), Some((100, true)));
        // The group's interface: weight 7 gone on both members; d9 (weight cleared to 0
        // by the group rule) faults VI_1 only, the group then holds VI_2 (sync.rs).
        t.link_changed("trk", false);
        assert_eq!(t.evaluate(1), Some((102, false)));
        t.link_changed("d9", false);
        assert_eq!(t.evaluate(0), Some((112, true)));
    }
}
