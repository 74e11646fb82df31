//! The parent process: [`run_parent`] loads the configuration, takes the pid files,
//! daemonizes, starts the children the configuration and flags call for, then runs one
//! event loop until TERM/INT (or a child failing for good) and removes the pid files.
//! Called by the binary when it is neither `-t` nor a child.
//!
//! The loop feeds the sans-IO cores of this crate ([`ChildSupervisor`], [`Readiness`],
//! [`StateStore`]) and executes what they return: spawn, kill, timers, sd_notify, exit.
//! See docs/lifecycle.md for the whole life of each process.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, Instant};

use keepalived_config::Config;
use keepalived_event::{
    ChildWatcher, ExitKind, Interest, Poller, Ready, Signals, TimerQueue, Token,
};
use keepalived_ipc::{DumpKind, VersionedConfig};
use log::{debug, error, info, warn};
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

use crate::backoff::Backoff;
use crate::child::{Action, ChildStatus, ChildSupervisor, Event, ExitReason, Respawn, Role, State};
use crate::dump::{self, ChildInfo, ParentInfo};
use crate::exit_code;
use crate::link::{Link, Report};
use crate::notify::{monotonic_usec, Notifier};
use crate::options::{DaemonOptions, TEST_BACKOFF_UNIT_ENV};
use crate::pidfile::PidFile;
use crate::readiness::{Notify, Readiness, Reload};
use crate::spawn::spawn_child;
use crate::standin::{send_packet, StandIns};
use crate::state::StateStore;
use crate::stored::StoredConfig;

/// A configuration the binary read and validated, with the warnings worth logging.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub config: Config,
    /// Errors keepalived would run with, skipping the lines in error (its `-t` exit 5).
    /// At start they are logged and the config runs, as keepalived does; on reload they
    /// make the parent keep the running config instead.
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
    /// Keywords used by the config that are parsed but not acted on yet, with `file:line`.
    pub not_acted: Vec<String>,
}

/// What the binary's loader returns: the config, or every error (with `file:line`).
pub type LoadResult = Result<Loaded, Vec<String>>;

const SIGNALS: Token = Token(0);
const VRRP: Token = Token(1);
const CHECK: Token = Token(2);

/// How long a dump waits for the children's parts before it is written without them.
const DUMP_WAIT: Duration = Duration::from_secs(2);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Timer {
    Restart(Role),
    ShutdownTimeout(Role),
    Dump(DumpKindKey),
    /// The next stand-in advert for a restarting VRRP child is due.
    StandIn,
}

/// `DumpKind` as a timer key (it has no `Hash`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum DumpKindKey {
    Data,
    Stats,
    Json,
}

impl DumpKindKey {
    fn of(k: DumpKind) -> Self {
        match k {
            DumpKind::Data => DumpKindKey::Data,
            DumpKind::Stats | DumpKind::StatsClear => DumpKindKey::Stats,
            DumpKind::Json => DumpKindKey::Json,
        }
    }
    fn kind(self) -> DumpKind {
        match self {
            DumpKindKey::Data => DumpKind::Data,
            DumpKindKey::Stats => DumpKind::Stats,
            DumpKindKey::Json => DumpKind::Json,
        }
    }
}

/// One supervised child.
#[derive(Debug)]
struct Slot {
    role: Role,
    sup: ChildSupervisor,
    pid: Option<Pid>,
    link: Option<Link>,
    pid_file: PidFile,
    token: Token,
}

#[derive(Debug, Default)]
struct PendingDump {
    waiting: BTreeSet<Role>,
    parts: BTreeMap<Role, Option<String>>,
}

/// Which children this configuration and these flags call for (keepalived's
/// `running_vrrp()` / `running_checker()`).
pub fn roles_for(cfg: &Config, opts: &DaemonOptions) -> Vec<Role> {
    let mut roles = Vec::new();
    if (cfg.has_vrrp() || opts.all) && !opts.check_only {
        roles.push(Role::Vrrp);
    }
    if (cfg.has_check() || opts.all) && !opts.vrrp_only {
        roles.push(Role::Checker);
    }
    roles
}

/// `child_wait_time` of the configuration (root keyword; keepalived's default 5 s lives in
/// the model's default).
fn child_wait_time(cfg: &Config, _opts: &DaemonOptions) -> Duration {
    cfg.root.child_wait_time
}

/// The pid file of a child role.
fn pid_file_of(role: Role, opts: &DaemonOptions) -> PidFile {
    match role {
        Role::Vrrp => PidFile::new(&opts.vrrp_pid_file),
        Role::Checker => PidFile::new(&opts.checkers_pid_file),
    }
}

/// Runs the daemon; returns the process exit status.
pub fn run_parent(opts: &DaemonOptions, load: &dyn Fn() -> LoadResult) -> i32 {
    crate::logging::init("parent", opts.log_detail);
    let loaded = match load() {
        Ok(l) => l,
        Err(errors) => {
            for e in &errors {
                error!("{e}");
            }
            error!(
                "{}: {} configuration error(s); not starting",
                opts.config_file.display(),
                errors.len()
            );
            return exit_code::CONFIG;
        }
    };
    for e in &loaded.errors {
        error!("{e}");
    }
    if !loaded.errors.is_empty() {
        warn!(
            "{}: {} configuration error(s); running it with those lines skipped, as keepalived does",
            opts.config_file.display(),
            loaded.errors.len()
        );
    }
    for w in &loaded.warnings {
        warn!("{w}");
    }
    for n in &loaded.not_acted {
        warn!("{n}");
    }
    let roles = roles_for(&loaded.config, opts);

    // keepalived_running(): the parent's file and those of the children we would start.
    let parent_pid_file = PidFile::new(&opts.pid_file);
    let mut files = vec![parent_pid_file.clone()];
    files.extend(roles.iter().map(|&r| pid_file_of(r, opts)));
    for f in &files {
        if let Some(pid) = f.holder() {
            let msg = format!(
                "daemon is already running (pid {pid} holds {})",
                f.path().display()
            );
            error!("{msg}");
            if !log::log_enabled!(log::Level::Error) {
                eprintln!("keepalived-rs: {msg}");
            }
            return exit_code::FATAL;
        }
    }

    if !opts.dont_fork {
        if let Err(e) = keepalived_sys::process::daemonize(opts.log_console) {
            error!("daemonizing: {e}");
            return exit_code::FATAL;
        }
    }
    if let Err(e) = keepalived_sys::process::become_subreaper() {
        warn!("becoming the child subreaper: {e}");
    }
    let me = nix::unistd::getpid();
    if let Err(e) = parent_pid_file.write(me) {
        error!("writing pid file {}: {e}", parent_pid_file.path().display());
        return exit_code::FATAL;
    }
    info!(
        "Starting keepalived-rs {} (config {})",
        env!("CARGO_PKG_VERSION"),
        opts.config_file.display()
    );
    let code = match Parent::new(opts, load, loaded.config, &roles) {
        Ok(mut p) => p.run(),
        Err(e) => {
            error!("{e}");
            exit_code::FATAL
        }
    };
    parent_pid_file.remove_if(me);
    info!("Stopped keepalived-rs (exit status {code})");
    code
}

#[derive(Debug, thiserror::Error)]
enum ParentError {
    #[error("setting up the event loop: {0}")]
    Event(#[from] keepalived_event::EventError),
}

struct Parent<'a> {
    opts: &'a DaemonOptions,
    load: &'a dyn Fn() -> LoadResult,
    /// Kept encoded: decoded for each child start and reload (crate::stored).
    config: StoredConfig,
    generation: u64,
    poller: Poller,
    signals: Signals,
    timers: TimerQueue<Timer>,
    reaper: ChildWatcher,
    slots: Vec<Slot>,
    readiness: Readiness,
    store: StateStore,
    standins: StandIns,
    /// The parent runs at the VRRP child's realtime priority while it stands in for it.
    stand_in_rt: bool,
    notifier: Option<Notifier>,
    dumps: BTreeMap<DumpKindKey, PendingDump>,
    /// `Some(status)` once stopping: the process exits with it when every child is gone.
    stopping: Option<i32>,
    child_wait: Duration,
    json_signal: i32,
}

impl<'a> Parent<'a> {
    fn new(
        opts: &'a DaemonOptions,
        load: &'a dyn Fn() -> LoadResult,
        config: Config,
        roles: &[Role],
    ) -> Result<Self, ParentError> {
        let poller = Poller::new()?;
        let json_signal = libc::SIGRTMIN() + 2;
        // `pending()` reports in this order: a stop that arrives with a child's exit (systemd
        // signalling the whole cgroup) is seen first, so that child is not restarted.
        let mut signals = Signals::new(&[
            libc::SIGTERM,
            libc::SIGINT,
            libc::SIGCHLD,
            libc::SIGHUP,
            libc::SIGUSR1,
            libc::SIGUSR2,
            json_signal,
        ])?;
        signals.register(poller.registry(), SIGNALS)?;
        let respawn = if opts.dont_respawn {
            Respawn::Never
        } else {
            Respawn::Always
        };
        let backoff = test_backoff_unit().map_or_else(Backoff::new, |u| {
            warn!("test knob {TEST_BACKOFF_UNIT_ENV}: restart schedule unit is {u:?}");
            Backoff::with_unit(u)
        });
        let slots = roles
            .iter()
            .map(|&role| Slot {
                role,
                sup: ChildSupervisor::with_backoff(role, respawn, backoff.clone()),
                pid: None,
                link: None,
                pid_file: pid_file_of(role, opts),
                token: match role {
                    Role::Vrrp => VRRP,
                    Role::Checker => CHECK,
                },
            })
            .collect();
        let (readiness, first) = Readiness::start(1, roles.iter().copied());
        let child_wait = child_wait_time(&config, opts);
        let p = Parent {
            opts,
            load,
            config: StoredConfig::new(&config),
            generation: 1,
            poller,
            signals,
            timers: TimerQueue::new(),
            reaper: ChildWatcher::new(),
            slots,
            readiness,
            store: StateStore::new(),
            standins: StandIns::new(),
            stand_in_rt: false,
            notifier: Notifier::from_env(),
            dumps: BTreeMap::new(),
            stopping: None,
            child_wait,
            json_signal,
        };
        if roles.is_empty() {
            warn!("the configuration has nothing for the VRRP or checker child to do");
        }
        if let Some(n) = first {
            p.notify(n);
        }
        Ok(p)
    }

    fn run(&mut self) -> i32 {
        let roles: Vec<Role> = self.slots.iter().map(|s| s.role).collect();
        for role in roles {
            self.do_action(role, Action::Spawn);
        }
        loop {
            if let Some(code) = self.stopping {
                if self.slots.iter().all(|s| s.sup.state() == State::Gone) {
                    return code;
                }
            }
            let ready: Vec<Ready> = match self.poller.wait(self.timers.next_deadline()) {
                Ok(r) => r.to_vec(),
                Err(e) => {
                    error!("{e}");
                    self.begin_stop(exit_code::PROGRAM_ERROR);
                    // Without a poller the children cannot be waited for: kill them.
                    for s in &self.slots {
                        if let Some(pid) = s.pid {
                            let _ = kill(pid, Signal::SIGKILL);
                        }
                        s.pid_file.remove();
                    }
                    return exit_code::PROGRAM_ERROR;
                }
            };
            for r in ready {
                match r.token {
                    SIGNALS => self.on_signals(),
                    t => {
                        if let Some(role) = self.role_of_token(t) {
                            self.on_link(role, r);
                        }
                    }
                }
            }
            let now = Instant::now();
            while let Some((t, _)) = self.timers.pop_due(now) {
                self.on_timer(t);
            }
        }
    }

    fn role_of_token(&self, t: Token) -> Option<Role> {
        self.slots.iter().find(|s| s.token == t).map(|s| s.role)
    }

    fn slot(&mut self, role: Role) -> Option<&mut Slot> {
        self.slots.iter_mut().find(|s| s.role == role)
    }

    fn notify(&self, n: Notify) {
        let text = match n {
            Notify::Ready => "READY=1\nSTATUS=running".to_string(),
            Notify::Reloading => format!("RELOADING=1\nMONOTONIC_USEC={}", monotonic_usec()),
        };
        self.sd_notify(&text);
    }

    fn sd_notify(&self, text: &str) {
        if let Some(n) = &self.notifier {
            if let Err(e) = n.send(text) {
                warn!("sd_notify {:?}: {e}", text.lines().next().unwrap_or(""));
            }
        }
    }

    // ---- signals ----

    fn on_signals(&mut self) {
        for sig in self.signals.pending() {
            match sig {
                libc::SIGCHLD => self.reap(),
                libc::SIGTERM | libc::SIGINT => {
                    info!("signal {sig}: stopping");
                    self.begin_stop(exit_code::OK);
                }
                libc::SIGHUP => self.on_hup(),
                libc::SIGUSR1 => self.begin_dump(DumpKind::Data),
                libc::SIGUSR2 => self.begin_dump(DumpKind::Stats),
                s if s == self.json_signal => self.begin_dump(DumpKind::Json),
                s => debug!("signal {s} ignored"),
            }
        }
    }

    fn reap(&mut self) {
        for exit in self.reaper.reap_any() {
            let Some(role) = self
                .slots
                .iter()
                .find(|s| s.pid == Some(exit.pid))
                .map(|s| s.role)
            else {
                debug!(
                    "reaped {} (not a child we supervise): {:?}",
                    exit.pid, exit.how
                );
                continue;
            };
            let status = match exit.how {
                ExitKind::Exited(c) => ChildStatus::Exited(c),
                ExitKind::Signaled { signal, .. } => ChildStatus::Signaled(signal as i32),
                ExitKind::Lost => ChildStatus::Exited(exit_code::PROGRAM_ERROR),
            };
            match exit.how {
                ExitKind::Exited(0) if self.stopping.is_some() => {
                    info!("{role} child process({}) exited", exit.pid)
                }
                ExitKind::Exited(c) => {
                    warn!("{role} child process({}) exited with status {c}", exit.pid)
                }
                ExitKind::Signaled {
                    signal,
                    core_dumped,
                } => warn!(
                    "{role} child process({}) died: {signal}{}",
                    exit.pid,
                    if core_dumped { " (core dumped)" } else { "" }
                ),
                ExitKind::Lost => warn!("{role} child process({}) lost", exit.pid),
            }
            if role == Role::Vrrp && self.stopping.is_none() {
                self.begin_stand_in();
            }
            self.drop_link(role);
            if let Some(s) = self.slot(role) {
                s.pid = None;
            }
            self.dump_answered(role, None);
            let action = self.feed(role, Event::Exited(status));
            self.do_action(role, action);
        }
    }

    fn feed(&mut self, role: Role, ev: Event) -> Action {
        let now = Instant::now();
        match self.slot(role) {
            Some(s) => s.sup.handle(now, ev),
            None => Action::None,
        }
    }

    // ---- actions of the child supervisor ----

    fn do_action(&mut self, role: Role, action: Action) {
        match action {
            Action::None => {}
            Action::Spawn => self.spawn(role),
            Action::SpawnAt { at, delay } => {
                if role == Role::Vrrp {
                    self.end_stand_in("the restart is delayed: the backups take over");
                }
                info!(
                    "Restart of {role} process delayed {} to limit respawn rate",
                    fmt_delay(delay)
                );
                self.timers.set(Timer::Restart(role), at);
            }
            Action::Kill => {
                if let Some(pid) = self.slot(role).and_then(|s| s.pid) {
                    debug!("SIGKILL to {role} child {pid}");
                    let _ = kill(pid, Signal::SIGKILL);
                }
            }
            Action::Terminate => {
                let deadline = Instant::now() + self.child_wait;
                if let Some(s) = self.slot(role) {
                    if let Some(link) = s.link.as_mut() {
                        let _ = link.shutdown();
                    }
                    if let Some(pid) = s.pid {
                        let _ = kill(pid, Signal::SIGTERM);
                    }
                }
                self.timers.set(Timer::ShutdownTimeout(role), deadline);
            }
            Action::Exit(reason) => {
                let code = match reason {
                    ExitReason::DontRespawn { role, .. } => {
                        error!("{role} child process died: Exiting (--dont-respawn)");
                        exit_code::OK
                    }
                    ExitReason::Permanent { role, code } => {
                        error!(
                            "{role} child process exited with permanent error {code}. Terminating"
                        );
                        code
                    }
                };
                self.begin_stop(code);
            }
            Action::Gone => {
                self.timers.cancel(&Timer::ShutdownTimeout(role));
                self.timers.cancel(&Timer::Restart(role));
                self.drop_link(role);
                if let Some(s) = self.slot(role) {
                    s.pid_file.remove();
                }
            }
        }
    }

    fn spawn(&mut self, role: Role) {
        let opts = self.opts;
        // A child started while the parent stands in inherits its realtime policy; only the
        // VRRP child, which sets its own, may (crate::sched::raise_for_stand_in).
        let lowered = role != Role::Vrrp && self.stand_in_rt;
        if lowered {
            crate::sched::lower_after_stand_in();
        }
        let started = spawn_child(role, opts, self.config.sched(role)).and_then(|sp| {
            let link = Link::new(role, sp.fd).map_err(crate::spawn::SpawnError::SocketPair)?;
            Ok((sp.pid, link))
        });
        if lowered {
            self.stand_in_rt = crate::sched::raise_for_stand_in(self.config.sched(Role::Vrrp));
        }
        let (pid, mut link) = match started {
            Ok(x) => x,
            Err(e) => {
                error!("starting the {role} child: {e}");
                let a = self.feed(role, Event::SpawnFailed);
                return self.do_action(role, a);
            }
        };
        info!("Starting {role} child process, pid={pid}");
        match self.config.config() {
            Ok(c) => {
                let cfg = VersionedConfig::new(self.generation, c);
                if let Err(e) = link.start(cfg, &self.store) {
                    // The child will be seen dead through its channel or its exit.
                    warn!("sending the configuration to the {role} child: {e}");
                }
            }
            // Our own encoding, so this does not happen; the child would give up waiting
            // for its Start and be restarted.
            Err(e) => error!("decoding the stored configuration for the {role} child: {e}"),
        }
        let token = self.slot(role).map_or(VRRP, |s| s.token);
        if let Err(e) = self
            .poller
            .register(&link, token, Interest::READABLE | Interest::WRITABLE)
        {
            error!("watching the {role} child's channel: {e}");
        }
        if let Some(s) = self.slot(role) {
            s.pid = Some(pid);
            s.link = Some(link);
            if let Err(e) = s.pid_file.write(pid) {
                warn!("writing pid file {}: {e}", s.pid_file.path().display());
            }
        }
        let a = self.feed(role, Event::Spawned);
        self.do_action(role, a);
        self.relink_peers();
    }

    /// Gives the two children a fresh vrrp<->checker socketpair whenever both run (after
    /// either one (re)started): the restarted one needs a link, and the survivor's old link
    /// went down with its sibling.
    fn relink_peers(&mut self) {
        let usable = |s: &Slot| {
            matches!(s.sup.state(), State::Running { .. })
                && s.link.as_ref().is_some_and(|l| !l.is_closed())
        };
        if self.slots.len() < 2 || !self.slots.iter().all(usable) {
            return;
        }
        let (a, b) = match keepalived_ipc::socket_pair() {
            Ok(p) => p,
            Err(e) => {
                warn!("creating the vrrp<->checker link: {e}");
                return;
            }
        };
        for (s, fd) in self.slots.iter_mut().zip([a, b]) {
            if let Some(link) = s.link.as_mut() {
                if let Err(e) = link.peer_link(fd) {
                    warn!(
                        "sending the vrrp<->checker link to the {} child: {e}",
                        s.role
                    );
                }
            }
        }
        debug!("vrrp<->checker link handed to both children");
    }

    fn drop_link(&mut self, role: Role) {
        let Some(link) = self.slot(role).and_then(|s| s.link.take()) else {
            return;
        };
        let _ = self.poller.deregister(&link);
        drop(link);
    }

    // ---- the children's channels ----

    fn on_link(&mut self, role: Role, r: Ready) {
        let mut reports = Vec::new();
        let mut failure = None;
        if let Some(link) = self.slot(role).and_then(|s| s.link.as_mut()) {
            if r.writable {
                if let Err(e) = link.flush() {
                    failure = Some(e);
                }
            }
            while failure.is_none() {
                match link.recv() {
                    Ok(Some(rep)) => reports.push(rep),
                    Ok(None) => break,
                    Err(e) => failure = Some(e),
                }
            }
        }
        for rep in reports {
            self.on_report(role, rep);
        }
        if let Some(e) = failure {
            if !e.is_fatal() {
                return;
            }
            if self.stopping.is_some() {
                debug!("{role} child channel closed: {e}");
            } else {
                // Adverts first: at 10 ms every millisecond counts.
                if role == Role::Vrrp {
                    self.begin_stand_in();
                }
                warn!("{role} child channel: {e}; treating the child as dead");
            }
            self.drop_link(role);
            self.dump_answered(role, None);
            let a = self.feed(role, Event::ChannelClosed);
            self.do_action(role, a);
        }
    }

    fn on_report(&mut self, role: Role, rep: Report) {
        match rep {
            Report::Ready(generation) => {
                let pid = self.slot(role).and_then(|s| s.pid).map_or(0, Pid::as_raw);
                info!("{role} child (pid {pid}) ready (configuration generation {generation})");
                if role == Role::Vrrp {
                    self.end_stand_in("the new VRRP child is ready");
                }
                let p = self.readiness.child_done(role, generation);
                self.progress(p);
            }
            Report::ReloadFailed { generation, errors } => {
                for e in &errors {
                    error!("{role} child: {e}");
                }
                error!("{role} child could not apply generation {generation}; it keeps its previous one");
                let p = self.readiness.child_done(role, generation);
                self.progress(p);
            }
            Report::Instance(s) => {
                debug!("{role} child reports instance {} {:?}", s.name, s.state);
                if role == Role::Vrrp {
                    self.store.record_instance(s);
                }
            }
            Report::Health(h) => {
                if role == Role::Checker {
                    self.store.record_health(h);
                }
            }
            Report::Dump { kind, body } => self.dump_answered(role, Some((kind, body))),
            Report::StandInSocket { id, fd } => match fd {
                Some(fd) if role == Role::Vrrp => self.standins.socket(id, fd),
                _ => warn!("{role} child: stand-in socket {id} without a usable descriptor"),
            },
            Report::StandInReset => {
                if role == Role::Vrrp {
                    self.standins.reset();
                }
            }
            Report::StandIn(a) => {
                if role == Role::Vrrp {
                    debug!(
                        "VRRP child: stand-in adverts for {}: {} packet(s) every {} us",
                        a.instance,
                        a.packets.len(),
                        a.interval_us
                    );
                    self.standins.advert(a);
                }
            }
        }
    }

    fn progress(&mut self, p: crate::readiness::Progress) {
        if let Some(n) = p.notify {
            if n == Notify::Ready {
                keepalived_sys::mem::trim_heap();
                if self.generation == 1 {
                    info!("Startup complete");
                } else {
                    info!(
                        "Reload complete (configuration generation {})",
                        self.generation
                    );
                }
            }
            self.notify(n);
        }
        if p.reload {
            info!("running the reload queued during the last one");
            self.reload();
        }
    }

    // ---- reload ----

    fn on_hup(&mut self) {
        if self.stopping.is_some() {
            return;
        }
        match self.readiness.request_reload() {
            Reload::Now => self.reload(),
            Reload::Queued => info!("SIGHUP during a startup or reload: queued"),
        }
    }

    fn reload(&mut self) {
        info!(
            "Reloading configuration {}",
            self.opts.config_file.display()
        );
        let loaded = match (self.load)() {
            Ok(l) if l.errors.is_empty() => l,
            // keepalived would apply a config with errors, skipping the bad lines (a typo
            // in `priority` silently becomes 100 and may move the VIPs): we keep the
            // running config and say why.
            Ok(Loaded { errors, .. }) | Err(errors) => {
                for e in &errors {
                    error!("{e}");
                }
                error!(
                    "Reload failed: {} configuration error(s); still running configuration generation {}",
                    errors.len(),
                    self.generation
                );
                return;
            }
        };
        for w in &loaded.warnings {
            warn!("{w}");
        }
        let wanted = roles_for(&loaded.config, self.opts);
        for r in &wanted {
            if !self.slots.iter().any(|s| s.role == *r) {
                warn!("the new configuration needs the {r} child, which is not running: restart keepalived-rs to start it");
            }
        }
        self.generation += 1;
        self.child_wait = child_wait_time(&loaded.config, self.opts);
        self.config = StoredConfig::new(&loaded.config);
        let cfg = VersionedConfig::new(self.generation, loaded.config);
        let roles: Vec<Role> = self.slots.iter().map(|s| s.role).collect();
        for n in self
            .readiness
            .begin_reload(self.generation, roles.iter().copied())
        {
            self.notify(n);
        }
        for role in roles {
            let Some(s) = self.slot(role) else { continue };
            // A child that is not running gets the new config in its Start.
            if !matches!(s.sup.state(), State::Running { .. }) {
                continue;
            }
            if let Some(link) = s.link.as_mut() {
                if let Err(e) = link.reload(cfg.clone()) {
                    warn!("sending the new configuration to the {role} child: {e}");
                }
            }
        }
        info!(
            "configuration generation {} sent to the children",
            self.generation
        );
    }

    // ---- dumps ----

    fn begin_dump(&mut self, kind: DumpKind) {
        let key = DumpKindKey::of(kind);
        if self.dumps.contains_key(&key) {
            debug!("{kind:?} dump already in progress");
            return;
        }
        let mut pending = PendingDump::default();
        for s in &mut self.slots {
            let asked = s
                .link
                .as_mut()
                .is_some_and(|l| !l.is_closed() && l.dump(kind).is_ok());
            if asked {
                pending.waiting.insert(s.role);
            } else {
                pending.parts.insert(s.role, None);
            }
        }
        let done = pending.waiting.is_empty();
        self.dumps.insert(key, pending);
        if done {
            self.finish_dump(key);
        } else {
            self.timers
                .set(Timer::Dump(key), Instant::now() + DUMP_WAIT);
        }
    }

    /// `role` answered a dump (`Some`), or can no longer answer any (`None`: it died).
    fn dump_answered(&mut self, role: Role, answer: Option<(DumpKind, String)>) {
        let keys: Vec<DumpKindKey> = match &answer {
            Some((kind, _)) => vec![DumpKindKey::of(*kind)],
            None => self.dumps.keys().copied().collect(),
        };
        let body = answer.map(|(_, b)| b);
        for key in keys {
            let Some(p) = self.dumps.get_mut(&key) else {
                continue;
            };
            if !p.waiting.remove(&role) {
                continue;
            }
            p.parts.insert(role, body.clone());
            if p.waiting.is_empty() {
                self.finish_dump(key);
            }
        }
    }

    fn finish_dump(&mut self, key: DumpKindKey) {
        self.timers.cancel(&Timer::Dump(key));
        let Some(mut p) = self.dumps.remove(&key) else {
            return;
        };
        for r in std::mem::take(&mut p.waiting) {
            p.parts.insert(r, None);
        }
        let info = self.parent_info();
        let text = dump::assemble(key.kind(), &info, &p.parts);
        match dump::write(key.kind(), &text) {
            Ok(path) => info!("{:?} dump written to {}", key.kind(), path.display()),
            Err(e) => error!("writing the {:?} dump: {e}", key.kind()),
        }
    }

    fn parent_info(&self) -> ParentInfo {
        ParentInfo {
            pid: std::process::id(),
            config_file: self.opts.config_file.display().to_string(),
            generation: self.generation,
            children: self
                .slots
                .iter()
                .map(|s| ChildInfo {
                    role: s.role,
                    pid: s.pid.map(Pid::as_raw),
                    restarts: s.sup.restarts(),
                    state: state_name(s.sup.state()).into(),
                })
                .collect(),
        }
    }

    // ---- timers and stop ----

    fn on_timer(&mut self, t: Timer) {
        match t {
            Timer::Restart(role) => {
                let a = self.feed(role, Event::RestartDue);
                self.do_action(role, a);
            }
            Timer::ShutdownTimeout(role) => {
                warn!("{role} process failed to die - forcing termination");
                let a = self.feed(role, Event::ShutdownTimeout);
                self.do_action(role, a);
            }
            Timer::Dump(key) => self.finish_dump(key),
            Timer::StandIn => self.stand_in_poll(Instant::now()),
        }
    }

    // ---- stand-in adverts (hitless restart of the VRRP child, see standin.rs) ----

    /// The VRRP child is dead (seen first as a hang-up or as its exit): send the adverts
    /// of its MASTER instances now and at their interval until its successor is ready.
    fn begin_stand_in(&mut self) {
        if self.opts.dont_respawn {
            // No successor will come: the backups must take over.
            return;
        }
        let now = Instant::now();
        let n = self.standins.instances();
        if self.standins.child_died(now) {
            info!("VRRP child gone: sending the adverts of its {n} MASTER instance(s) until the new child is ready");
            if !self.stand_in_rt {
                self.stand_in_rt = crate::sched::raise_for_stand_in(self.config.sched(Role::Vrrp));
            }
            self.stand_in_poll(now);
        }
    }

    fn stand_in_poll(&mut self, now: Instant) {
        let was = self.standins.covering();
        match self.standins.poll(now, send_packet) {
            Some(at) => {
                self.timers.set(Timer::StandIn, at);
            }
            None => {
                self.timers.cancel(&Timer::StandIn);
                self.lower_after_stand_in();
                if was {
                    warn!(
                        "stand-in adverts stopped: no VRRP child ready after {:?}",
                        crate::standin::COVER_LIMIT
                    );
                }
            }
        }
    }

    fn lower_after_stand_in(&mut self) {
        if std::mem::take(&mut self.stand_in_rt) {
            crate::sched::lower_after_stand_in();
        }
    }

    fn end_stand_in(&mut self, why: &str) {
        self.timers.cancel(&Timer::StandIn);
        self.lower_after_stand_in();
        if let Some(st) = self.standins.stop(Instant::now()) {
            info!(
                "stand-in adverts stopped ({why}) after {:.1} ms: {} sent, {} failed, {} instance(s)",
                st.lasted.as_secs_f64() * 1e3,
                st.sent,
                st.errors,
                st.instances
            );
        }
    }

    fn begin_stop(&mut self, code: i32) {
        if self.stopping.is_some() {
            return;
        }
        self.stopping = Some(code);
        self.end_stand_in("stopping");
        self.sd_notify("STOPPING=1");
        let roles: Vec<Role> = self.slots.iter().map(|s| s.role).collect();
        for role in roles {
            self.timers.cancel(&Timer::Restart(role));
            let a = self.feed(role, Event::Shutdown);
            self.do_action(role, a);
        }
    }
}

fn state_name(s: State) -> &'static str {
    match s {
        State::Spawning => "starting",
        State::Running { .. } => "running",
        State::Killing { .. } => "killed",
        State::RestartPending { .. } => "restart pending",
        State::Stopping => "stopping",
        State::Gone => "stopped",
        State::Failed => "failed",
    }
}

/// keepalived says "delayed N seconds"; a scaled test schedule has fractions.
fn fmt_delay(d: Duration) -> String {
    if d.subsec_nanos() == 0 {
        format!("{} seconds", d.as_secs())
    } else {
        format!("{:.3} seconds", d.as_secs_f64())
    }
}

fn test_backoff_unit() -> Option<Duration> {
    let v = std::env::var(TEST_BACKOFF_UNIT_ENV).ok()?;
    let us: u64 = v.trim().parse().ok()?;
    Some(Duration::from_micros(us))
}

/// Reads, parses and validates `path` for the daemon: `Err` with every message when the
/// configuration has errors keepalived's `-t` reports as such (anything but warnings,
/// deprecations, unknown keywords, script security and missing interfaces, which are
/// logged and do not stop the daemon).
pub fn load_config(
    path: &Path,
    ropts: &keepalived_config::ReadOptions,
    env: &keepalived_config::Env,
) -> LoadResult {
    use keepalived_config::ErrorClass as C;
    if let Err(e) = std::fs::metadata(path) {
        return Err(vec![format!(
            "Configuration file '{}' not found: {e}",
            path.display()
        )]);
    }
    let mut d = keepalived_config::Diagnostics::new();
    let tree = keepalived_config::read_tree(path, ropts, &mut d);
    let config = keepalived_config::parse::parse(&path.display().to_string(), &tree, &mut d);
    keepalived_config::validate::validate(&config, env, &mut d);
    let mut fatal = Vec::new();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for item in &d.items {
        match item.class {
            None => {}
            // What keepalived cannot run: its parser exits (missing parameter, a required
            // include), or `-t` puts it in the "cannot run the config" classes.
            Some(C::Abort | C::NoConfig | C::FileNotFound | C::Fatal | C::BadIf) => {
                fatal.push(item.to_string())
            }
            Some(C::Warning | C::Deprecated | C::UnknownKeyword | C::Security) => {
                warnings.push(item.to_string())
            }
            Some(_) => errors.push(item.to_string()),
        }
    }
    if !fatal.is_empty() {
        fatal.extend(errors);
        return Err(fatal);
    }
    let not_acted = keepalived_config::support::not_acted(&tree)
        .into_iter()
        .map(|n| {
            format!(
                "{}: '{}' is parsed but not acted on yet",
                n.loc,
                if n.block.is_empty() {
                    n.keyword.to_string()
                } else {
                    format!("{}/{}", n.block, n.keyword)
                }
            )
        })
        .collect();
    Ok(Loaded {
        config,
        errors,
        warnings,
        not_acted,
    })
}
