//! The VRRP and checker child processes: entry point [`child_main`] (the binary calls it for
//! the hidden `--child ROLE` command line), one event loop each.
//!
//! The protocol work is a stub until the VRRP and checker issues land; the process model is
//! real: name the process, arm the parent-death signal, take the inherited channel, hello,
//! wait for `Start`, report `Ready`, then serve `Reload`, `Dump` and `Shutdown`, and exit
//! when the parent hangs up, sends garbage or dies. The stub VRRP child reports one state
//! per configured instance (keeping what the parent handed back after a restart), so the
//! state handoff can be seen in the dumps, and sends the same states to the checker over
//! the vrrp<->checker link, which the parent replaces whenever either child restarts.

use std::collections::BTreeMap;
use std::os::fd::{AsRawFd, OwnedFd};
use std::time::{Duration, Instant};

use keepalived_event::{Interest, Poller, Signals, TimerQueue, Token};
use keepalived_ipc::{
    Channel, ChannelError, CheckToParent, CheckToVrrp, DumpKind, InstanceState, Message,
    ParentToCheck, ParentToVrrp, RealServerHealth, VersionedConfig, VrrpState, VrrpToCheck,
    VrrpToParent,
};
use log::{debug, error, info, warn};
use nix::sys::signal::Signal;
use serde_json::json;

use crate::child::Role;
use crate::dump::ConfigSummary;
use crate::exit_code;
use crate::options::TEST_GARBAGE_ENV;
use crate::spawn::{comm_name, role_arg, ChildArgs};

const CHANNEL: Token = Token(0);
const SIGNALS: Token = Token(1);
const PEER: Token = Token(2);

/// A child that got no `Start` this long after exec gives up (the parent is wedged).
const START_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Timer {
    StartTimeout,
}

/// Whether `args` (without the program name) is a child's hidden command line.
pub fn is_child_invocation(args: &[String]) -> bool {
    args.first().map(String::as_str) == Some(crate::spawn::CHILD_FLAG)
}

/// Runs a child to completion and returns its exit status. `args` are the words after the
/// program name, starting with `--child`.
pub fn child_main(args: &[String]) -> i32 {
    let a = match ChildArgs::parse(args) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("keepalived-rs: bad child command line: {e}");
            return exit_code::FATAL;
        }
    };
    crate::logging::init(role_arg(a.role), a.log_detail);
    if let Err(e) = keepalived_sys::process::set_comm(comm_name(a.role)) {
        debug!("setting the process name: {e}");
    }
    // keepalived's children get SIGTERM when the parent dies, and stop in order.
    match keepalived_sys::process::die_with_parent(Signal::SIGTERM, a.parent_pid) {
        Ok(true) => {}
        Ok(false) => {
            info!("parent {} is already gone; exiting", a.parent_pid);
            return exit_code::OK;
        }
        Err(e) => warn!("arming the parent-death signal: {e}"),
    }
    let fd = match keepalived_sys::process::take_inherited_fd(a.ipc_fd) {
        Ok(fd) => fd,
        Err(e) => {
            error!("taking the channel fd {}: {e}", a.ipc_fd);
            return exit_code::FATAL;
        }
    };
    let res = match a.role {
        Role::Vrrp => Worker::<ParentToVrrp, VrrpToParent>::new(a, fd).and_then(|w| w.run()),
        Role::Checker => Ok(keepalived_check::daemon::run(
            fd,
            keepalived_check::daemon::ChildOpts {
                dont_release_ipvs: a.dont_release_ipvs,
            },
        )),
    };
    match res {
        Ok(code) => code,
        Err(e) => {
            error!("{e}");
            exit_code::PROGRAM_ERROR
        }
    }
}

/// A parent message, whichever child receives it.
enum Cmd {
    Start {
        config: VersionedConfig,
        instances: Vec<InstanceState>,
        health: Vec<RealServerHealth>,
    },
    Reload(VersionedConfig),
    Dump(DumpKind),
    /// A fresh vrrp<->checker socket (the descriptors that came with the message).
    PeerLink(Vec<OwnedFd>),
    Shutdown,
}

trait FromParent: Message {
    fn cmd(self, fds: Vec<OwnedFd>) -> Cmd;
}

impl FromParent for ParentToVrrp {
    fn cmd(self, fds: Vec<OwnedFd>) -> Cmd {
        match self {
            ParentToVrrp::Start { config, restore } => Cmd::Start {
                config,
                instances: restore,
                health: Vec::new(),
            },
            ParentToVrrp::Reload { config } => Cmd::Reload(config),
            ParentToVrrp::Dump(k) => Cmd::Dump(k),
            ParentToVrrp::PeerLink => Cmd::PeerLink(fds),
            ParentToVrrp::Shutdown => Cmd::Shutdown,
        }
    }
}

impl FromParent for ParentToCheck {
    fn cmd(self, fds: Vec<OwnedFd>) -> Cmd {
        match self {
            ParentToCheck::Start { config, restore } => Cmd::Start {
                config,
                instances: Vec::new(),
                health: restore,
            },
            ParentToCheck::Reload { config } => Cmd::Reload(config),
            ParentToCheck::Dump(k) => Cmd::Dump(k),
            ParentToCheck::PeerLink => Cmd::PeerLink(fds),
            ParentToCheck::Shutdown => Cmd::Shutdown,
        }
    }
}

trait ToParent: Message + Sized {
    fn ready(generation: u64) -> Self;
    fn dump(kind: DumpKind, body: String) -> Self;
    fn instance(state: InstanceState) -> Option<Self>;
}

impl ToParent for VrrpToParent {
    fn ready(generation: u64) -> Self {
        VrrpToParent::Ready { generation }
    }
    fn dump(kind: DumpKind, body: String) -> Self {
        VrrpToParent::Dump { kind, body }
    }
    fn instance(state: InstanceState) -> Option<Self> {
        Some(VrrpToParent::StateReport(state))
    }
}

impl ToParent for CheckToParent {
    fn ready(generation: u64) -> Self {
        CheckToParent::Ready { generation }
    }
    fn dump(kind: DumpKind, body: String) -> Self {
        CheckToParent::Dump { kind, body }
    }
    fn instance(_: InstanceState) -> Option<Self> {
        None
    }
}

struct Running {
    generation: u64,
    summary: ConfigSummary,
    /// The stub's instance states, by name.
    instances: BTreeMap<String, InstanceState>,
    restored_instances: usize,
    restored_health: usize,
    reloads: u64,
}

/// This child's end of the vrrp<->checker link, typed by role.
#[derive(Debug)]
enum Peer {
    Vrrp(Channel<VrrpToCheck, CheckToVrrp>),
    Check(Channel<CheckToVrrp, VrrpToCheck>),
}

impl Peer {
    fn raw(&self) -> std::os::fd::RawFd {
        match self {
            Peer::Vrrp(c) => c.as_raw_fd(),
            Peer::Check(c) => c.as_raw_fd(),
        }
    }
}

/// What the stub knows of its sibling, for the dumps.
#[derive(Debug, Default)]
struct PeerStats {
    /// Links received from the parent (one more each time either child restarts).
    links: u64,
    connected: bool,
    /// Messages received from the sibling over all links.
    received: u64,
    sent: u64,
}

struct Worker<Rx: FromParent, Tx: ToParent> {
    args: ChildArgs,
    chan: Channel<Tx, Rx>,
    peer: Option<Peer>,
    peer_stats: PeerStats,
    poller: Poller,
    signals: Signals,
    timers: TimerQueue<Timer>,
    running: Option<Running>,
    started: Instant,
    received: u64,
}

#[derive(Debug, thiserror::Error)]
enum WorkerError {
    #[error("setting up the event loop: {0}")]
    Event(#[from] keepalived_event::EventError),
    #[error("opening the channel to the parent: {0}")]
    Channel(#[source] ChannelError),
}

/// What the loop does next.
enum Flow {
    Continue,
    Exit(i32),
}

impl<Rx: FromParent, Tx: ToParent> Worker<Rx, Tx> {
    fn new(args: ChildArgs, fd: OwnedFd) -> Result<Self, WorkerError> {
        let poller = Poller::new()?;
        // HUP, USR1, USR2 and INT are the parent's business: a child receives them only
        // when someone signals the whole group (Ctrl-C on `-n`) and must not die of them.
        let json = libc::SIGRTMIN() + 2;
        let mut signals = Signals::new(&[
            libc::SIGTERM,
            libc::SIGINT,
            libc::SIGHUP,
            libc::SIGUSR1,
            libc::SIGUSR2,
            json,
        ])?;
        signals.register(poller.registry(), SIGNALS)?;
        let chan = Channel::from_fd(fd).map_err(WorkerError::Channel)?;
        poller.register(&chan, CHANNEL, Interest::READABLE | Interest::WRITABLE)?;
        let mut timers = TimerQueue::new();
        timers.set(Timer::StartTimeout, Instant::now() + START_TIMEOUT);
        Ok(Worker {
            args,
            chan,
            peer: None,
            peer_stats: PeerStats::default(),
            poller,
            signals,
            timers,
            running: None,
            started: Instant::now(),
            received: 0,
        })
    }

    fn role(&self) -> Role {
        self.args.role
    }

    fn run(mut self) -> Result<i32, WorkerError> {
        info!("{} child started", self.role());
        loop {
            let ready = self.poller.wait(self.timers.next_deadline())?.to_vec();
            for r in ready {
                let flow = match r.token {
                    SIGNALS => self.on_signals(),
                    CHANNEL => self.on_channel(r.writable),
                    PEER => {
                        self.on_peer(r.writable);
                        Flow::Continue
                    }
                    _ => Flow::Continue,
                };
                if let Flow::Exit(code) = flow {
                    return Ok(code);
                }
            }
            let now = Instant::now();
            if let Some((Timer::StartTimeout, _)) = self.timers.pop_due(now) {
                error!("no configuration from the parent after {START_TIMEOUT:?}; exiting");
                return Ok(exit_code::PROGRAM_ERROR);
            }
        }
    }

    fn on_signals(&mut self) -> Flow {
        for sig in self.signals.pending() {
            if sig == libc::SIGTERM {
                info!("SIGTERM: stopping");
                return self.stop();
            }
            debug!("signal {sig} ignored: the parent drives this process");
        }
        Flow::Continue
    }

    fn on_channel(&mut self, writable: bool) -> Flow {
        if writable {
            if let Err(e) = self.chan.flush() {
                return self.parent_gone(&e);
            }
        }
        loop {
            match self.chan.recv_with_fds() {
                Ok(Some((m, fds))) => {
                    self.received += 1;
                    if let Flow::Exit(code) = self.on_cmd(m.cmd(fds)) {
                        return Flow::Exit(code);
                    }
                }
                Ok(None) => return Flow::Continue,
                Err(e) => return self.parent_gone(&e),
            }
        }
    }

    fn parent_gone(&mut self, e: &ChannelError) -> Flow {
        match e {
            ChannelError::PeerHungUp | ChannelError::Closed => {
                info!("the parent hung up; exiting");
                Flow::Exit(exit_code::OK)
            }
            e => {
                // Garbage or a protocol violation: the link is dead (the channel shut it
                // down) and the parent will restart us; leave with a status it respawns.
                error!("channel to the parent failed: {e}; treating the parent as dead");
                Flow::Exit(exit_code::PROGRAM_ERROR)
            }
        }
    }

    fn send(&mut self, m: &Tx) -> Flow {
        match self.chan.send(m) {
            Ok(()) => Flow::Continue,
            Err(e) if e.is_fatal() => self.parent_gone(&e),
            Err(e) => {
                warn!("a message to the parent was dropped: {e}");
                Flow::Continue
            }
        }
    }

    fn on_cmd(&mut self, cmd: Cmd) -> Flow {
        match cmd {
            Cmd::Start {
                config,
                instances,
                health,
            } => {
                if self.running.is_some() {
                    warn!("a second Start from the parent ignored");
                    return Flow::Continue;
                }
                self.timers.cancel(&Timer::StartTimeout);
                let summary = ConfigSummary::of(&config.config);
                info!(
                    "running configuration generation {} ({}, {} restored states)",
                    config.generation,
                    summary.source,
                    instances.len() + health.len()
                );
                self.running = Some(Running {
                    generation: config.generation,
                    summary,
                    instances: instances
                        .iter()
                        .map(|s| (s.name.clone(), s.clone()))
                        .collect(),
                    restored_instances: instances.len(),
                    restored_health: health.len(),
                    reloads: 0,
                });
                self.apply()
            }
            Cmd::Reload(config) => {
                let Some(run) = self.running.as_mut() else {
                    warn!("Reload before Start ignored");
                    return Flow::Continue;
                };
                run.generation = config.generation;
                run.summary = ConfigSummary::of(&config.config);
                run.reloads += 1;
                info!(
                    "reloaded: configuration generation {} ({})",
                    run.generation, run.summary.digest
                );
                self.apply()
            }
            Cmd::Dump(kind) => self.dump(kind),
            Cmd::PeerLink(fds) => {
                self.new_peer(fds);
                Flow::Continue
            }
            Cmd::Shutdown => {
                info!("shutdown requested by the parent");
                self.stop()
            }
        }
    }

    /// Replaces the sibling link with the one the parent just sent (the old one is dead or
    /// about to be: the sibling restarted).
    fn new_peer(&mut self, fds: Vec<OwnedFd>) {
        let Some(fd) = fds.into_iter().next() else {
            warn!("PeerLink without a descriptor ignored");
            return;
        };
        if let Some(old) = self.peer.take() {
            let _ = self.poller.deregister(&old.raw());
        }
        let peer = match self.args.role {
            Role::Vrrp => Channel::from_fd(fd).map(Peer::Vrrp),
            Role::Checker => Channel::from_fd(fd).map(Peer::Check),
        };
        let peer = match peer {
            Ok(p) => p,
            Err(e) => {
                warn!("opening the link to the sibling: {e}");
                self.peer_stats.connected = false;
                return;
            }
        };
        if let Err(e) =
            self.poller
                .register(&peer.raw(), PEER, Interest::READABLE | Interest::WRITABLE)
        {
            warn!("watching the link to the sibling: {e}");
        }
        self.peer = Some(peer);
        self.peer_stats.links += 1;
        self.peer_stats.connected = true;
        debug!("vrrp<->checker link {} open", self.peer_stats.links);
        self.send_states_to_peer();
    }

    /// The VRRP stub tells the checker every instance state (what `ha_suspend` and the LVS
    /// sync daemon will need), on every new link and after every (re)load.
    fn send_states_to_peer(&mut self) {
        let (Some(Peer::Vrrp(c)), Some(run)) = (self.peer.as_mut(), self.running.as_ref()) else {
            return;
        };
        for s in run.instances.values() {
            match c.send(&VrrpToCheck::StateReport(s.clone())) {
                Ok(()) => self.peer_stats.sent += 1,
                Err(e) => {
                    debug!("link to the checker: {e}");
                    break;
                }
            }
        }
    }

    fn on_peer(&mut self, writable: bool) {
        let Some(peer) = self.peer.as_mut() else {
            return;
        };
        let mut received = 0;
        let res = loop {
            let r = match peer {
                Peer::Vrrp(c) => {
                    if writable {
                        if let Err(e) = c.flush() {
                            break Err(e);
                        }
                    }
                    c.recv().map(|m| m.map(|_| ()))
                }
                Peer::Check(c) => {
                    if writable {
                        if let Err(e) = c.flush() {
                            break Err(e);
                        }
                    }
                    c.recv().map(|m| m.map(|_| ()))
                }
            };
            match r {
                Ok(Some(())) => received += 1,
                Ok(None) => break Ok(()),
                Err(e) => break Err(e),
            }
        };
        self.peer_stats.received += received;
        if let Err(e) = res {
            // The sibling died (or misbehaved); the parent sends a new link once it is back.
            info!("link to the sibling closed: {e}");
            if let Some(old) = self.peer.take() {
                let _ = self.poller.deregister(&old.raw());
            }
            self.peer_stats.connected = false;
        }
    }

    /// The stub's "protocol work": keep one state per configured instance (what the parent
    /// handed back wins over the BACKUP default), report them, then report Ready.
    fn apply(&mut self) -> Flow {
        let Some(run) = self.running.as_mut() else {
            return Flow::Continue;
        };
        let mut reports = Vec::new();
        if self.args.role == Role::Vrrp {
            let mut next = BTreeMap::new();
            for (name, vrid) in &run.summary.instances {
                let state = run
                    .instances
                    .get(name)
                    .map(|s| s.state)
                    .unwrap_or(VrrpState::Backup);
                let s = InstanceState {
                    name: name.clone(),
                    vrid: vrid.unwrap_or(0),
                    state,
                };
                reports.push(s.clone());
                next.insert(name.clone(), s);
            }
            run.instances = next;
        }
        let generation = run.generation;
        self.send_states_to_peer();
        for s in reports {
            if let Some(m) = Tx::instance(s) {
                if let Flow::Exit(c) = self.send(&m) {
                    return Flow::Exit(c);
                }
            }
        }
        self.send(&Tx::ready(generation))
    }

    fn dump(&mut self, kind: DumpKind) -> Flow {
        if let Some(base) = std::env::var_os(TEST_GARBAGE_ENV) {
            let mut token = base;
            token.push(format!(".{}", role_arg(self.role())));
            if std::fs::remove_file(&token).is_ok() {
                warn!("test hook: writing garbage on the channel instead of a dump");
                let _ = nix::sys::socket::send(
                    self.chan.as_raw_fd(),
                    &[0xff; 16],
                    nix::sys::socket::MsgFlags::MSG_NOSIGNAL,
                );
                return Flow::Continue;
            }
        }
        let body = self.dump_body(kind);
        self.send(&Tx::dump(kind, body))
    }

    fn dump_body(&self, kind: DumpKind) -> String {
        let pid = std::process::id();
        let role = role_arg(self.role());
        let up = self.started.elapsed().as_secs();
        let Some(run) = &self.running else {
            return match kind {
                DumpKind::Json => json!({"role": role, "pid": pid, "generation": null}).to_string(),
                _ => format!(" Role = {role}\n Pid = {pid}\n (no configuration yet)\n"),
            };
        };
        let instances: Vec<_> = run
            .instances
            .values()
            .map(|s| json!({"name": s.name, "vrid": s.vrid, "state": format!("{:?}", s.state).to_uppercase()}))
            .collect();
        match kind {
            DumpKind::Json => json!({
                "role": role,
                "pid": pid,
                "generation": run.generation,
                "reloads": run.reloads,
                "uptime_secs": up,
                "config": run.summary.to_json(),
                "instances": instances,
                "restored": {"instances": run.restored_instances, "real_servers": run.restored_health},
                "peer": {
                    "links": self.peer_stats.links,
                    "connected": self.peer_stats.connected,
                    "received": self.peer_stats.received,
                    "sent": self.peer_stats.sent,
                },
            })
            .to_string(),
            DumpKind::Stats | DumpKind::StatsClear => format!(
                " Role = {role}\n Pid = {pid}\n Uptime = {up} s\n Messages from parent = {}\n Reloads = {}\n Sibling links = {} ({}), messages received = {}, sent = {}\n",
                self.received,
                run.reloads,
                self.peer_stats.links,
                if self.peer_stats.connected { "connected" } else { "down" },
                self.peer_stats.received,
                self.peer_stats.sent
            ),
            DumpKind::Data => {
                let mut s = format!(
                    " Role = {role}\n Pid = {pid}\n Configuration generation = {}\n Configuration file = {}\n Configuration digest = {}\n Restored from parent = {} instance states, {} real servers\n",
                    run.generation,
                    run.summary.source,
                    run.summary.digest,
                    run.restored_instances,
                    run.restored_health
                );
                for (k, v) in &run.summary.counts {
                    if *v > 0 {
                        s.push_str(&format!(" {k} = {v}\n"));
                    }
                }
                for i in run.instances.values() {
                    s.push_str(&format!(
                        " VRRP Instance = {} (vrid {}) State = {:?}\n",
                        i.name, i.vrid, i.state
                    ));
                }
                s
            }
        }
    }

    /// Releases what the child holds (nothing yet: the stub owns no VIPs or IPVS
    /// services) and exits.
    fn stop(&mut self) -> Flow {
        if self.args.dont_release_vrrp || self.args.dont_release_ipvs {
            debug!("-V/-I: nothing to keep, the stub holds nothing");
        }
        let _ = self.chan.flush();
        info!("{} child exiting", self.role());
        Flow::Exit(exit_code::OK)
    }
}
