//! The checker child process (`keepalived-rs --child checker`, started by
//! `keepalived_supervisor::worker::child_main`): one mio loop that serves the parent
//! channel, runs every checker of the configuration through a [`Runner`] (whose epoll fd is
//! nested in this loop's) and keeps the kernel's IPVS table equal to what the real
//! servers' health asks for.
//!
//! The parent protocol is the one of the supervisor's stub worker (hello on open, `Start`
//! with the last health, `Ready{generation}`, `HealthReport`s, `Dump` replies, `Shutdown`);
//! this crate cannot depend on the supervisor, so the small glue (the start timeout, the
//! exit codes, the signal set) is repeated here.
//!
//! IPVS is reconciled, never rebuilt: the desired table is a pure function of the
//! configuration, the real servers' health and each virtual server's quorum, and every
//! change reads the kernel's table and applies only the difference
//! ([`keepalived_ipvs::plan`]). A restarted checker that gets the last health back from the
//! parent therefore changes nothing (hitless restart). Without IPVS in the kernel the
//! checkers still run and report; the error is logged once and IPVS is retried.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::time::{Duration, Instant};

use keepalived_config::model::check::{CheckConfig, RealServer, VirtualServer};
use keepalived_config::model::Script;
use keepalived_event::{Interest, Poller, Signals, TimerQueue, Token};
use keepalived_ipc::{
    Channel, ChannelError, CheckToParent, CheckToVrrp, Config, DumpKind, Flow, InstanceState,
    ParentLink, ParentToCheck, RealServerHealth, VersionedConfig, VrrpToCheck, EXIT_OK,
    EXIT_PROGRAM_ERROR,
};
use keepalived_ipvs::config::{real_server_dest, services, sorry_server_dest};
use keepalived_ipvs::{plan, Ipvs, IpvsError, Op, Others, ServiceKey, VirtualService};
use log::{debug, error, info, warn};
use serde_json::{json, Value};

use crate::lvs::NotifyFifos;
use crate::runner::{CheckEvent, Runner};
use crate::schedule::Transition;
use crate::server::Plan;

const CHANNEL: Token = Token(0);
const SIGNALS: Token = Token(1);
const RUNNER: Token = Token(2);
const PEER: Token = Token(3);
const VIPS: Token = Token(4);

/// A child that got no `Start` this long after exec gives up (the parent is wedged).
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How often IPVS is tried again while the kernel has none (or the socket failed).
const IPVS_RETRY: Duration = Duration::from_secs(5);

/// What the supervisor passes from its command line.
#[derive(Debug, Clone, Copy, Default)]
pub struct ChildOpts {
    /// `-I` / `--dont-release-ipvs`: leave our services in the kernel on stop.
    pub dont_release_ipvs: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Timer {
    StartTimeout,
    IpvsRetry,
}

/// keepalived's `FMT_RS`: `[IP]:proto:PORT` (the port the destination gets).
pub fn real_server_name(vs: &VirtualServer, rs: &RealServer) -> String {
    let d = real_server_dest(vs, rs);
    format!(
        "[{}]:{}:{}",
        d.addr,
        vs.protocol.map_or("none", |p| p.name()),
        d.port
    )
}

fn key_name(k: &ServiceKey) -> String {
    match k {
        ServiceKey::Addr {
            protocol,
            addr,
            port,
        } => format!("[{addr}]:{protocol:?}:{port}").to_lowercase(),
        ServiceKey::Fwmark { mark, .. } => format!("FWM {mark}"),
    }
}

/// The running configuration and everything derived from it.
struct Active {
    generation: u64,
    config: Box<Config>,
    plan: Plan,
    /// Per virtual server: whether its quorum is met.
    quorum_up: Vec<bool>,
    restored: usize,
    reloads: u64,
    /// The configuration summary of the dumps ([`keepalived_ipc::ConfigSummary`]).
    summary: Value,
}

/// The vrrp<->checker link and what came over it (instance states, for `ha_suspend`
/// later), for the dumps.
#[derive(Default)]
struct PeerLink {
    chan: Option<Channel<CheckToVrrp, VrrpToCheck>>,
    links: u64,
    received: u64,
    sent: u64,
    instances: BTreeMap<String, InstanceState>,
}

impl Active {
    fn check(&self) -> &CheckConfig {
        &self.config.check
    }

    fn alive_weight(&self, v: usize) -> u64 {
        self.plan.health[v]
            .iter()
            .filter(|h| h.is_up())
            .map(|h| u64::from(h.weight()))
            .sum()
    }

    /// Applies keepalived's quorum with hysteresis; returns the virtual servers whose
    /// quorum state changed, with the new state.
    fn update_quorum(&mut self) -> Vec<(usize, bool)> {
        let mut changed = Vec::new();
        for v in 0..self.quorum_up.len() {
            let vs = &self.config.check.virtual_servers[v];
            let q = u64::from(vs.effective_quorum());
            let h = u64::from(vs.hysteresis.unwrap_or(0));
            let w = self.alive_weight(v);
            let up = self.quorum_up[v];
            let next = if up { w + h >= q } else { w >= q + h };
            if next != up {
                self.quorum_up[v] = next;
                changed.push((v, next));
            }
        }
        changed
    }

    /// The IPVS table this configuration and health ask for, and the virtual servers that
    /// could not be mapped.
    fn desired(&self) -> (Vec<(usize, VirtualService)>, Vec<String>) {
        let mut out = Vec::new();
        let mut errors = Vec::new();
        for (v, vs) in self.check().virtual_servers.iter().enumerate() {
            let svcs = match services(self.check(), vs) {
                Ok(s) => s,
                Err(e) => {
                    errors.push(e.to_string());
                    continue;
                }
            };
            let quorum = self.quorum_up[v];
            let sorry = sorry_server_dest(vs);
            // keepalived swaps the pool for the sorry server while the quorum is lost.
            let swapped = !quorum && sorry.is_some();
            let mut dests = Vec::new();
            for (r, rs) in vs.real_servers.iter().enumerate() {
                let h = &self.plan.health[v][r];
                let mut d = real_server_dest(vs, rs);
                let inhibit = rs.inhibit_on_failure.unwrap_or(vs.inhibit_on_failure);
                if h.is_up() && !swapped {
                    d.weight = h.weight();
                } else if inhibit {
                    d.weight = 0;
                } else {
                    continue;
                }
                dests.push(d);
            }
            if let (Some(mut s), Some(cfg)) = (sorry, vs.sorry_server.as_ref()) {
                if swapped {
                    dests.retain(|d| d.key() != s.key());
                    dests.push(s);
                } else if cfg.inhibit {
                    s.weight = 0;
                    if !dests.iter().any(|d| d.key() == s.key()) {
                        dests.push(s);
                    }
                }
            }
            for service in svcs {
                out.push((
                    v,
                    VirtualService {
                        service,
                        dests: dests.clone(),
                    },
                ));
            }
        }
        (out, errors)
    }

    /// What the parent keeps for our next start.
    fn health_reports(&self) -> Vec<RealServerHealth> {
        let mut out = Vec::new();
        for (v, vs) in self.check().virtual_servers.iter().enumerate() {
            for (r, rs) in vs.real_servers.iter().enumerate() {
                out.push(self.report(v, r, vs, rs));
            }
        }
        out
    }

    fn report(&self, v: usize, r: usize, vs: &VirtualServer, rs: &RealServer) -> RealServerHealth {
        let h = &self.plan.health[v][r];
        RealServerHealth {
            virtual_server: vs.display_name(),
            real_server: real_server_name(vs, rs),
            alive: h.is_up(),
            weight: i32::try_from(h.weight()).unwrap_or(i32::MAX),
        }
    }
}

struct Daemon {
    opts: ChildOpts,
    chan: Channel<CheckToParent, ParentToCheck>,
    poller: Poller,
    signals: Signals,
    timers: TimerQueue<Timer>,
    runner: Option<Runner>,
    active: Option<Active>,
    ipvs: Option<Ipvs>,
    /// The last IPVS failure was logged (log once until it works again).
    ipvs_down_logged: bool,
    /// Services we set up, to remove on stop and when a reload drops them.
    ours: BTreeSet<ServiceKey>,
    /// Notify and quorum scripts still running.
    scripts: Vec<std::process::Child>,
    /// `lvs_notify_fifo`/`notify_fifo` (crate::lvs), opened with the first config.
    fifos: Option<NotifyFifos>,
    peer: PeerLink,
    /// `ha_suspend`'s address monitor (crate::suspend), while a virtual server uses it.
    vips: Option<crate::suspend::VipWatch>,
    started: Instant,
    ipvs_ops: u64,
    ipvs_errors: u64,
}

/// Runs the checker child until the parent says stop or goes away; returns the exit
/// status. `channel_fd` is the inherited end of the parent channel.
pub fn run(channel_fd: OwnedFd, opts: ChildOpts) -> i32 {
    let mut d = match Daemon::new(channel_fd, opts) {
        Ok(d) => d,
        Err(e) => {
            error!("checker: {e}");
            return EXIT_PROGRAM_ERROR;
        }
    };
    match d.run() {
        Ok(code) => code,
        Err(e) => {
            error!("checker: {e}");
            EXIT_PROGRAM_ERROR
        }
    }
}

#[derive(Debug, thiserror::Error)]
enum DaemonError {
    #[error("setting up the event loop: {0}")]
    Event(#[from] keepalived_event::EventError),
    #[error("opening the channel to the parent: {0}")]
    Channel(#[source] ChannelError),
    #[error("running the checkers: {0}")]
    Run(#[from] crate::runner::RunError),
}

struct RawSource(RawFd);
impl AsRawFd for RawSource {
    fn as_raw_fd(&self) -> RawFd {
        self.0
    }
}

/// The kernel's entries for `keys` (those it has), for a scoped reconcile.
fn read_services(
    ipvs: &mut Ipvs,
    keys: &BTreeSet<ServiceKey>,
) -> Result<Vec<VirtualService>, IpvsError> {
    let mut out = Vec::new();
    for k in keys {
        if let Some(service) = ipvs.service(k)? {
            let dests = ipvs.dests(k)?.into_iter().map(|e| e.dest).collect();
            out.push(VirtualService { service, dests });
        }
    }
    Ok(out)
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|_| "localhost".into())
}

impl Daemon {
    fn new(fd: OwnedFd, opts: ChildOpts) -> Result<Daemon, DaemonError> {
        let poller = Poller::new()?;
        // HUP, USR1, USR2 and INT are the parent's business (we get them when the whole
        // group is signalled) and must not kill us.
        let json = nix::libc::SIGRTMIN() + 2;
        let mut signals = Signals::new(&[
            nix::libc::SIGTERM,
            nix::libc::SIGINT,
            nix::libc::SIGHUP,
            nix::libc::SIGUSR1,
            nix::libc::SIGUSR2,
            json,
            // RLIMIT_RTTIME's soft limit under checker_rt_priority (logged, as keepalived).
            nix::libc::SIGXCPU,
        ])?;
        signals.register(poller.registry(), SIGNALS)?;
        let chan = Channel::from_fd(fd).map_err(DaemonError::Channel)?;
        poller.register(&chan, CHANNEL, Interest::READABLE | Interest::WRITABLE)?;
        let mut timers = TimerQueue::new();
        timers.set(Timer::StartTimeout, Instant::now() + START_TIMEOUT);
        Ok(Daemon {
            opts,
            chan,
            poller,
            signals,
            timers,
            runner: None,
            active: None,
            ipvs: None,
            ipvs_down_logged: false,
            ours: BTreeSet::new(),
            scripts: Vec::new(),
            fifos: None,
            peer: PeerLink::default(),
            vips: None,
            started: Instant::now(),
            ipvs_ops: 0,
            ipvs_errors: 0,
        })
    }

    fn run(&mut self) -> Result<i32, DaemonError> {
        info!("checker child started");
        loop {
            let deadline = match (
                self.timers.next_deadline(),
                self.runner.as_ref().and_then(Runner::next_deadline),
            ) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            // Reaping scripts needs no precision; look at least once a second while any run.
            let deadline = if self.scripts.is_empty() {
                deadline
            } else {
                let s = Instant::now() + Duration::from_secs(1);
                Some(deadline.map_or(s, |d| d.min(s)))
            };
            let ready = self.poller.wait(deadline)?.to_vec();
            for r in ready {
                let flow = match r.token {
                    SIGNALS => self.on_signals(),
                    CHANNEL => self.on_channel(r.writable),
                    PEER => {
                        self.on_peer(r.writable);
                        Flow::Continue
                    }
                    VIPS => {
                        if let Some(Err(e)) = self.vips.as_mut().map(|w| w.read()) {
                            warn!("ha_suspend: {e}");
                        }
                        self.apply_suspend();
                        Flow::Continue
                    }
                    _ => Flow::Continue,
                };
                if let Flow::Exit(code) = flow {
                    return Ok(code);
                }
            }
            // The runner: always give it a non-blocking turn (its epoll is nested in ours,
            // edge-triggered; a turn with a past limit never waits).
            if let Some(runner) = self.runner.as_mut() {
                let events = runner.turn(Some(Instant::now()))?;
                for ev in events {
                    if let Flow::Exit(code) = self.on_check_event(&ev) {
                        return Ok(code);
                    }
                }
            }
            let now = Instant::now();
            while let Some((t, _)) = self.timers.pop_due(now) {
                match t {
                    Timer::StartTimeout => {
                        error!("no configuration from the parent after {START_TIMEOUT:?}; exiting");
                        return Ok(EXIT_PROGRAM_ERROR);
                    }
                    Timer::IpvsRetry => self.reconcile(None),
                }
            }
            self.reap_scripts();
        }
    }

    fn on_signals(&mut self) -> Flow {
        for sig in self.signals.pending() {
            if sig == nix::libc::SIGTERM {
                info!("SIGTERM: stopping");
                return self.stop();
            }
            if sig == nix::libc::SIGXCPU {
                warn!("SIGXCPU: the realtime CPU limit (checker_rlimit_rttime) is being exceeded");
                continue;
            }
            debug!("signal {sig} ignored: the parent drives this process");
        }
        Flow::Continue
    }

    /// Takes a configuration: new checkers (states from `restore` where the names match,
    /// else the configured start state), the IPVS table reconciled, health reported, Ready.
    fn install(
        &mut self,
        config: VersionedConfig,
        restore: &[RealServerHealth],
        reloads: u64,
    ) -> Flow {
        let generation = config.generation;
        let cfg = config.config;
        let helo = cfg.global.smtp_helo_name.clone().unwrap_or_else(host_name);
        let users = crate::misc_user::ScriptUsers::of(&cfg);
        let mut plan = Plan::with_scripts(&cfg.check, &helo, &cfg.vrrp.track_files, &users);
        for e in &plan.skipped {
            warn!("checker not run: {e}");
        }
        if cfg.global.checker_log_all_failures {
            for s in &mut plan.specs {
                s.log_all_failures = true;
            }
        }
        let by_name: HashMap<(&str, &str), &RealServerHealth> = restore
            .iter()
            .map(|h| ((h.virtual_server.as_str(), h.real_server.as_str()), h))
            .collect();
        // Per (vs, rs): the restored state, if any.
        let mut restored_rs: BTreeMap<(usize, usize), (bool, u32)> = BTreeMap::new();
        for (v, vs) in cfg.check.virtual_servers.iter().enumerate() {
            let vname = vs.display_name();
            for (r, rs) in vs.real_servers.iter().enumerate() {
                let rname = real_server_name(vs, rs);
                if let Some(h) = by_name.get(&(vname.as_str(), rname.as_str())) {
                    let w = u32::try_from(h.weight).unwrap_or(0);
                    restored_rs.insert((v, r), (h.alive, w));
                }
            }
        }
        let specs = std::mem::take(&mut plan.specs);
        let mut runner = match Runner::new(specs) {
            Ok(r) => r,
            Err(e) => {
                // The cause (e.g. which SSL key file is bad) is in the source chain.
                let mut why = e.to_string();
                let mut src = std::error::Error::source(&e);
                while let Some(s) = src {
                    why.push_str(&format!(": {s}"));
                    src = s.source();
                }
                error!("setting up the checkers: {why}");
                return self.send(&CheckToParent::ReloadFailed {
                    generation,
                    errors: vec![why],
                });
            }
        };
        for (i, o) in plan.owners.iter().enumerate() {
            if let Some(&(alive, _)) = restored_rs.get(&(o.vs, o.rs)) {
                plan.health[o.vs][o.rs].set(o.slot, alive);
                runner.set_up(i, alive);
            }
        }
        for (&(v, r), &(alive, w)) in &restored_rs {
            let h = &mut plan.health[v][r];
            if alive && w != h.weight() {
                h.set_dynamic_weight(w);
            }
        }
        // Quorum from the starting health (keepalived starts it met).
        let nvs = cfg.check.virtual_servers.len();
        let summary = keepalived_ipc::ConfigSummary::of(&cfg).to_json();
        let mut active = Active {
            generation,
            config: cfg,
            plan,
            quorum_up: vec![true; nvs],
            restored: restored_rs.len(),
            reloads,
            summary,
        };
        active.update_quorum();
        info!(
            "running configuration generation {generation}: {} virtual servers, {} checkers, {} real servers restored",
            nvs,
            runner.len(),
            active.restored
        );
        if let Some(old) = self.runner.take() {
            let _ = self.poller.deregister(&RawSource(old.poll_fd()));
        }
        if let Err(e) =
            self.poller
                .register(&RawSource(runner.poll_fd()), RUNNER, Interest::READABLE)
        {
            error!("watching the checkers: {e}");
        }
        runner.start(Instant::now());
        self.runner = Some(runner);
        self.watch_vips(&active);
        // `lvs_flush`: a clean table on a first start only; after a restart (health handed
        // back) or on reload the table is ours already and flushing it would drop traffic.
        let flush = active.config.global.lvs_flush && reloads == 0 && restore.is_empty();
        let timeouts = crate::lvs::timeouts(&active.config.global);
        if self.fifos.is_none() {
            self.fifos = Some(NotifyFifos::open(&active.config.global));
        }
        if reloads > 0 {
            // The old configuration is still active: what the new one drops is owed its
            // notifications (keepalived's clear_diff_services).
            self.omega_notifies(Some(&active.config.check));
        }
        self.active = Some(active);
        self.apply_suspend();
        if let Some(t) = timeouts {
            if let Some(ipvs) = self.ipvs() {
                match ipvs.set_timeouts(&t) {
                    Ok(()) => info!(
                        "lvs_timeouts: tcp {} tcpfin {} udp {}",
                        t.tcp, t.tcp_fin, t.udp
                    ),
                    Err(e) => warn!("lvs_timeouts: {e}"),
                }
            }
        }
        if flush {
            if let Some(ipvs) = self.ipvs() {
                match ipvs.flush() {
                    Ok(()) => info!("lvs_flush: IPVS table flushed"),
                    Err(e) => warn!("lvs_flush: {e}"),
                }
            }
        }
        self.reconcile(None);
        let reports = self
            .active
            .as_ref()
            .map(Active::health_reports)
            .unwrap_or_default();
        for h in reports {
            if let Flow::Exit(c) = self.send(&CheckToParent::HealthReport(h)) {
                return Flow::Exit(c);
            }
        }
        // Decoding the config and building the checkers peaked well above what stays in
        // use (10,000 real servers: 100 MB resident, 22 MB live): give it back.
        keepalived_sys::mem::trim_heap();
        self.send(&CheckToParent::Ready { generation })
    }

    fn on_check_event(&mut self, ev: &CheckEvent) -> Flow {
        let Some(active) = self.active.as_mut() else {
            return Flow::Continue;
        };
        if let Some(t) = &ev.transition {
            let name = self
                .runner
                .as_ref()
                .map(|r| r.spec(ev.check).name.clone())
                .unwrap_or_default();
            // The runner logs the transition itself; this is the daemon's view of it.
            match t {
                Transition::Down { reason, retries } => {
                    debug!("{name}: failed after {retries} retries: {reason}")
                }
                Transition::Up { .. } => debug!("{name}: succeeded"),
                Transition::Weight(w) => debug!("{name}: weight now {w}"),
            }
        }
        let Some(change) = active.plan.apply(ev) else {
            return Flow::Continue;
        };
        let vs = &active.config.check.virtual_servers[change.vs];
        let rs = &vs.real_servers[change.rs];
        let (vname, rname) = (vs.display_name(), real_server_name(vs, rs));
        let inhibit = rs.inhibit_on_failure.unwrap_or(vs.inhibit_on_failure);
        let mut scripts: Vec<(&'static str, Script)> = Vec::new();
        if change.up {
            info!(
                "Adding service {rname} to VS {vname} (weight {})",
                change.weight
            );
            if let Some(s) = &rs.notify_up {
                scripts.push(("notify_up", s.clone()));
            }
        } else {
            if inhibit {
                info!("Disabling service {rname} from VS {vname} (inhibit_on_failure)");
            } else {
                info!("Removing service {rname} from VS {vname}");
            }
            if let Some(s) = &rs.notify_down {
                scripts.push(("notify_down", s.clone()));
            }
        }
        if let Some(f) = self.fifos.as_mut() {
            f.rs(&rname, &vname, change.up);
        }
        let report = active.report(change.vs, change.rs, vs, rs);
        for (v, up) in active.update_quorum() {
            let vs = &active.config.check.virtual_servers[v];
            if let Some(f) = self.fifos.as_mut() {
                f.vs(&vs.display_name(), up);
            }
            if up {
                info!(
                    "Gained quorum {} for VS {}",
                    vs.effective_quorum(),
                    vs.display_name()
                );
                if let Some(s) = &vs.quorum_up {
                    scripts.push(("quorum_up", s.clone()));
                }
            } else {
                info!(
                    "Lost quorum {} for VS {}",
                    vs.effective_quorum(),
                    vs.display_name()
                );
                if let Some(s) = &vs.quorum_down {
                    scripts.push(("quorum_down", s.clone()));
                }
            }
        }
        self.reconcile(Some(change.vs));
        for (what, s) in scripts {
            self.spawn_script(what, &s);
        }
        self.send(&CheckToParent::HealthReport(report))
    }

    /// Replaces the vrrp<->checker link with the one the parent just sent (the VRRP child
    /// or we restarted).
    fn new_peer(&mut self, fds: Vec<OwnedFd>) {
        let Some(fd) = fds.into_iter().next() else {
            warn!("PeerLink without a descriptor ignored");
            return;
        };
        if let Some(old) = self.peer.chan.take() {
            let _ = self.poller.deregister(&old);
        }
        let chan = match Channel::from_fd(fd) {
            Ok(c) => c,
            Err(e) => {
                warn!("opening the link to the VRRP child: {e}");
                return;
            }
        };
        if let Err(e) = self
            .poller
            .register(&chan, PEER, Interest::READABLE | Interest::WRITABLE)
        {
            warn!("watching the link to the VRRP child: {e}");
        }
        self.peer.chan = Some(chan);
        self.peer.links += 1;
        debug!("vrrp<->checker link {} open", self.peer.links);
    }

    fn on_peer(&mut self, writable: bool) {
        let Some(chan) = self.peer.chan.as_mut() else {
            return;
        };
        let res = loop {
            if writable {
                if let Err(e) = chan.flush() {
                    break Err(e);
                }
            }
            match chan.recv() {
                Ok(Some(VrrpToCheck::StateReport(s))) => {
                    self.peer.received += 1;
                    self.peer.instances.insert(s.name.clone(), s);
                }
                Ok(None) => break Ok(()),
                Err(e) => break Err(e),
            }
        };
        if let Err(e) = res {
            // The VRRP child died or misbehaved; the parent sends a new link once it is back.
            info!("link to the VRRP child closed: {e}");
            if let Some(old) = self.peer.chan.take() {
                let _ = self.poller.deregister(&old);
            }
        }
    }

    fn spawn_script(&mut self, what: &str, s: &Script) {
        let Some((prog, args)) = s.args.split_first() else {
            return;
        };
        match std::process::Command::new(prog)
            .args(args)
            .stdin(std::process::Stdio::null())
            .spawn()
        {
            Ok(c) => self.scripts.push(c),
            Err(e) => warn!("running {what} script {}: {e}", s.cmd),
        }
    }

    fn reap_scripts(&mut self) {
        // A script the runner's reaper collected first shows as an error: gone too.
        self.scripts
            .retain_mut(|c| matches!(c.try_wait(), Ok(None)));
    }

    /// Opens IPVS if needed; on failure logs once and arms the retry timer.
    fn ipvs(&mut self) -> Option<&mut Ipvs> {
        if self.ipvs.is_none() {
            match Ipvs::connect() {
                Ok(i) => {
                    if self.ipvs_down_logged {
                        info!("IPVS is available again");
                    }
                    self.ipvs_down_logged = false;
                    self.ipvs = Some(i);
                }
                Err(e) => {
                    self.ipvs_failed(&e);
                    return None;
                }
            }
        }
        self.ipvs.as_mut()
    }

    fn ipvs_failed(&mut self, e: &IpvsError) {
        if !self.ipvs_down_logged {
            error!(
                "IPVS unavailable: {e}; the checkers keep running, retrying every {IPVS_RETRY:?}"
            );
            self.ipvs_down_logged = true;
        } else {
            debug!("IPVS still unavailable: {e}");
        }
        self.ipvs = None;
        self.timers
            .set(Timer::IpvsRetry, Instant::now() + IPVS_RETRY);
    }

    /// Makes the kernel's table what the configuration and health ask for, touching only
    /// what differs. `scope`: only the services of that virtual server (a real server's
    /// change reads and plans just those); `None`: the whole table, dropping the services
    /// a reload removed.
    fn reconcile(&mut self, scope: Option<usize>) {
        let Some(active) = self.active.as_ref() else {
            return;
        };
        let (desired, errors) = active.desired();
        if scope.is_none() {
            for e in errors {
                warn!("{e}");
            }
        }
        let desired: Vec<VirtualService> = desired
            .into_iter()
            .filter(|(v, _)| scope.is_none_or(|s| s == *v))
            .map(|(_, vs)| vs)
            .collect();
        let wanted: BTreeSet<ServiceKey> = desired.iter().map(|v| v.service.key).collect();
        let dropped: Vec<ServiceKey> = if scope.is_none() {
            self.ours.difference(&wanted).copied().collect()
        } else {
            Vec::new()
        };
        if self.ipvs().is_none() {
            return;
        }
        let Some(mut ipvs) = self.ipvs.take() else {
            return;
        };
        let current = match scope {
            None => ipvs.table(),
            Some(_) => read_services(&mut ipvs, &wanted),
        };
        let current = match current {
            Ok(t) => t,
            Err(e) => {
                self.ipvs_failed(&e);
                return;
            }
        };
        let present: BTreeSet<ServiceKey> = current.iter().map(|v| v.service.key).collect();
        let mut ops: Vec<Op> = dropped
            .iter()
            .filter(|k| present.contains(k))
            .map(|k| Op::DelService(*k))
            .collect();
        ops.extend(plan(&desired, &current, Others::Keep));
        let mut failed = None;
        for op in &ops {
            debug!("IPVS: {op:?}");
            self.ipvs_ops += 1;
            if let Err(e) = ipvs.apply(op) {
                self.ipvs_errors += 1;
                warn!("IPVS {op:?}: {e}");
                if e.errno().is_none() {
                    failed = Some(e);
                    break;
                }
            }
        }
        if !ops.is_empty() {
            info!("IPVS: {} changes applied", ops.len());
        }
        if let Some(e) = failed {
            self.ipvs_failed(&e);
            return;
        }
        self.ipvs = Some(ipvs);
        if scope.is_none() {
            self.ours = wanted;
        } else {
            self.ours.extend(wanted);
        }
    }

    /// Removes our services unless `-I`, then exits.
    fn stop(&mut self) -> Flow {
        let flush_all = self
            .active
            .as_ref()
            .and_then(|a| a.config.global.lvs_flush_on_stop.as_deref())
            == Some("ALL");
        if self.opts.dont_release_ipvs {
            info!("-I: leaving {} IPVS services in place", self.ours.len());
        } else if flush_all {
            if let Some(ipvs) = self.ipvs() {
                match ipvs.flush() {
                    Ok(()) => info!("lvs_flush_on_stop: IPVS table flushed"),
                    Err(e) => warn!("lvs_flush_on_stop: {e}"),
                }
            }
        } else if !self.ours.is_empty() {
            let ours: Vec<ServiceKey> = self.ours.iter().copied().collect();
            if let Some(ipvs) = self.ipvs() {
                for k in &ours {
                    match ipvs.del_service(k) {
                        Ok(()) => info!("Removing Virtual Server {}", key_name(k)),
                        Err(e) => warn!("removing virtual server {}: {e}", key_name(k)),
                    }
                }
            }
            self.omega_notifies(None);
        }
        for c in &mut self.scripts {
            let _ = c.try_wait();
        }
        if let Some(f) = self.fifos.as_mut() {
            f.close();
        }
        let _ = self.chan.flush();
        info!("checker child exiting");
        Flow::Exit(EXIT_OK)
    }

    /// Opens (or closes) `ha_suspend`'s address monitor for the configuration `a`.
    fn watch_vips(&mut self, a: &Active) {
        if !crate::suspend::wanted(a.check()) {
            if let Some(w) = self.vips.take() {
                let _ = self.poller.deregister(&RawSource(w.as_raw_fd()));
            }
            return;
        }
        if self.vips.is_none() {
            match crate::suspend::VipWatch::open() {
                Ok(w) => {
                    if let Err(e) =
                        self.poller
                            .register(&RawSource(w.as_raw_fd()), VIPS, Interest::READABLE)
                    {
                        warn!("ha_suspend: watching addresses: {e}");
                    }
                    self.vips = Some(w);
                }
                // Without the monitor nothing is suspended (checks go on as without it).
                Err(e) => warn!("ha_suspend: {e}; checkers not suspended"),
            }
        }
    }

    /// Suspends the checkers of the `ha_suspend` virtual servers whose address is absent.
    fn apply_suspend(&mut self) {
        let (Some(a), Some(w), Some(r)) = (
            self.active.as_ref(),
            self.vips.as_ref(),
            self.runner.as_mut(),
        ) else {
            return;
        };
        let off = crate::suspend::suspended(a.check(), &w.addrs);
        for (i, o) in a.plan.owners.iter().enumerate() {
            let s = off.get(o.vs).copied().unwrap_or(false);
            if r.set_suspended(i, s) {
                let name = &r.spec(i).name;
                if s {
                    info!("Suspending healthchecker for service {name}");
                } else {
                    info!("Activating healthchecker for service {name}");
                }
            }
        }
    }

    /// `omega`: the down notifications keepalived runs while it removes the real servers
    /// at stop (crate::omega decides which).
    /// On a reload (`new` is the incoming configuration), the real servers it drops.
    fn omega_notifies(&mut self, new: Option<&CheckConfig>) {
        let Some(a) = self.active.as_ref() else {
            return;
        };
        let mut scripts: Vec<(&'static str, Script)> = Vec::new();
        let check = &a.config.check;
        let notes = match new {
            None => crate::omega::stop_notifies(check, &a.plan.health, &a.quorum_up),
            Some(n) => crate::omega::reload_notifies(check, &a.plan.health, &a.quorum_up, n),
        };
        for n in notes {
            match n {
                crate::omega::StopNotify::RsDown { vs, rs } => {
                    let (v, r) = (
                        &check.virtual_servers[vs],
                        &check.virtual_servers[vs].real_servers[rs],
                    );
                    if let Some(f) = self.fifos.as_mut() {
                        f.rs(&real_server_name(v, r), &v.display_name(), false);
                    }
                    if let Some(s) = &r.notify_down {
                        scripts.push(("notify_down", s.clone()));
                    }
                }
                crate::omega::StopNotify::QuorumDown { vs } => {
                    let v = &check.virtual_servers[vs];
                    info!(
                        "Lost quorum {} for VS {} (removing its real servers)",
                        v.effective_quorum(),
                        v.display_name()
                    );
                    if let Some(f) = self.fifos.as_mut() {
                        f.vs(&v.display_name(), false);
                    }
                    if let Some(s) = &v.quorum_down {
                        scripts.push(("quorum_down", s.clone()));
                    }
                }
            }
        }
        for (what, s) in scripts {
            self.spawn_script(what, &s);
        }
    }

    fn dump_body(&self, kind: DumpKind) -> String {
        let pid = std::process::id();
        let up = self.started.elapsed().as_secs();
        let Some(a) = &self.active else {
            return match kind {
                DumpKind::Json => {
                    json!({"role": "checker", "pid": pid, "generation": null}).to_string()
                }
                _ => format!(" Role = checker\n Pid = {pid}\n (no configuration yet)\n"),
            };
        };
        let stats = self.runner.as_ref().map(Runner::stats).unwrap_or_default();
        match kind {
            DumpKind::Json => {
                let vss: Vec<_> = a
                    .check()
                    .virtual_servers
                    .iter()
                    .enumerate()
                    .map(|(v, vs)| {
                        let rss: Vec<_> = vs
                            .real_servers
                            .iter()
                            .enumerate()
                            .map(|(r, rs)| {
                                let h = &a.plan.health[v][r];
                                json!({
                                    "name": real_server_name(vs, rs),
                                    "alive": h.is_up(),
                                    "weight": h.weight(),
                                    "failed_checkers": h.failed(),
                                })
                            })
                            .collect();
                        json!({
                            "name": vs.display_name(),
                            "quorum_up": a.quorum_up[v],
                            "alive_weight": a.alive_weight(v),
                            "real_servers": rss,
                        })
                    })
                    .collect();
                json!({
                    "role": "checker",
                    "pid": pid,
                    "generation": a.generation,
                    "reloads": a.reloads,
                    "uptime_secs": up,
                    "config": a.summary,
                    "restored": {"real_servers": a.restored},
                    "peer": {
                        "links": self.peer.links,
                        "connected": self.peer.chan.is_some(),
                        "received": self.peer.received,
                        "sent": self.peer.sent,
                        "instances": self.peer.instances.values().map(|s| json!({"name": s.name, "vrid": s.vrid, "state": format!("{:?}", s.state).to_uppercase()})).collect::<Vec<_>>(),
                    },
                    "ipvs": {"available": self.ipvs.is_some(), "ops": self.ipvs_ops, "errors": self.ipvs_errors, "services": self.ours.len()},
                    "checks": {"attempts": stats.attempts},
                    "virtual_servers": vss,
                })
                .to_string()
            }
            DumpKind::Stats | DumpKind::StatsClear => format!(
                " Role = checker\n Pid = {pid}\n Uptime = {up} s\n Reloads = {}\n Check attempts = {}\n IPVS available = {}\n IPVS operations = {}, errors = {}\n",
                a.reloads,
                stats.attempts,
                self.ipvs.is_some(),
                self.ipvs_ops,
                self.ipvs_errors
            ),
            DumpKind::Data => {
                let mut s = format!(
                    " Role = checker\n Pid = {pid}\n Configuration generation = {}\n Restored from parent = {} real servers\n",
                    a.generation, a.restored
                );
                for (v, vs) in a.check().virtual_servers.iter().enumerate() {
                    s.push_str(&format!(
                        " Virtual Server = {}, quorum {} ({}), alive weight {}\n",
                        vs.display_name(),
                        vs.effective_quorum(),
                        if a.quorum_up[v] { "up" } else { "down" },
                        a.alive_weight(v)
                    ));
                    for (r, rs) in vs.real_servers.iter().enumerate() {
                        let h = &a.plan.health[v][r];
                        s.push_str(&format!(
                            "   Real Server = {}, alive = {}, weight = {}, failed checkers = {}\n",
                            real_server_name(vs, rs),
                            h.is_up(),
                            h.weight(),
                            h.failed()
                        ));
                    }
                }
                s
            }
        }
    }
}

impl ParentLink for Daemon {
    type Out = CheckToParent;
    type In = ParentToCheck;

    fn parent_chan(&mut self) -> &mut Channel<CheckToParent, ParentToCheck> {
        &mut self.chan
    }

    fn on_msg(&mut self, m: ParentToCheck, fds: Vec<OwnedFd>) -> Flow {
        match m {
            ParentToCheck::Start { config, restore } => {
                if self.active.is_some() {
                    warn!("a second Start from the parent ignored");
                    return Flow::Continue;
                }
                self.timers.cancel(&Timer::StartTimeout);
                self.install(config, &restore, 0)
            }
            ParentToCheck::Reload { config } => {
                let Some(old) = self.active.as_ref() else {
                    warn!("Reload before Start ignored");
                    return Flow::Continue;
                };
                // What we know carries over, by name, to the new configuration.
                let keep = old.health_reports();
                let reloads = old.reloads + 1;
                self.install(config, &keep, reloads)
            }
            ParentToCheck::Dump(kind) => {
                let body = self.dump_body(kind);
                self.send(&CheckToParent::Dump { kind, body })
            }
            ParentToCheck::PeerLink => {
                self.new_peer(fds);
                Flow::Continue
            }
            ParentToCheck::Shutdown => {
                info!("shutdown requested by the parent");
                self.stop()
            }
        }
    }
}
