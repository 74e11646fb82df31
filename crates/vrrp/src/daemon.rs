//! The VRRP child's event loop: [`run`] is called by the supervisor's `child_main` for the
//! hidden `--child vrrp` command line. It speaks the parent protocol (hello, `Start`,
//! `Ready`, `StateReport`, `Dump`, `Reload`, `Shutdown`), runs one sans-IO
//! [`Instance`] per `vrrp_instance` and is the thin adapter between them and the world:
//! raw VRRP sockets shared per (interface, family, unicast source, group) and
//! demultiplexed by VRID, VIPs through rtnetlink, GARP/NA through `AF_PACKET`, link events
//! from the rtnetlink monitor, deadlines in a [`TimerQueue`].
//!
//! The protocol glue (message dispatch, `parent_gone`, the start timeout) is a small copy
//! of the stub `Worker` in `crates/supervisor/src/worker.rs`: this crate cannot depend on
//! the supervisor, which depends on it.
//!
//! Notifies, notify FIFOs and sync groups: the child module `notify_sync` (docs/notify.md).
//! Tracking (vrrp_script, track_*) is `tracker.rs`, fed here as inputs. VMACs are made
//! by `vmac.rs`, virtual and static routes/rules/addresses by `routes.rs`.
//!
//! Unicast adverts pass `unicast.rs`'s source/TTL policy before the instance sees them.
//!
//! Not yet here: `garp_master_refresh` timers beyond what the instance asks,
//! the vrrp<->checker link (received links are kept open and ignored).

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::os::fd::{AsRawFd, OwnedFd};
use std::time::{Duration, Instant};

use keepalived_config::model::vrrp::{AuthType, Broadcast, IpAddress, UnicastPeer, VrrpInstance};
use keepalived_event::{Interest, Poller, Signals, TimerQueue, Token};
use keepalived_ipc::{
    Channel, ChannelError, CheckToVrrp, DumpKind, InstanceState, ParentToVrrp, VersionedConfig,
    VrrpState, VrrpToCheck, VrrpToParent,
};
use keepalived_netlink::{Event as NlEvent, IfAddr, Monitor, Rtnl};
use keepalived_sys::mmsg::{InMeta, RecvBatch};
use log::{debug, error, info, warn};
use serde_json::json;

use crate::events::{Input, LogEvent, Output, RxAdvert, State, TimerKind};
use crate::instance::{Instance, Params};
use crate::network::pace::{Frame, Pacer};
use crate::network::{Announcer, Family, SocketConfig, VrrpSocket};
use crate::notify::glue::{Notifier, SHUTDOWN_GRACE};
use crate::notify::Event as NotifyEvent;
use crate::packet::{
    self, Advert, DecodeError, Endpoints, RxConfig, RxMeta, TxChecksum, V2Auth, Version,
    VirtualAddrs,
};
use crate::sync::SyncGroup;

mod notify_sync;

use crate::routes::{Installed, RouteSet, Statics};
use crate::standin::StandInTx;
use crate::tracker::Tracker;
use crate::vmac::{VmacRequest, Vmacs};

const CHANNEL: Token = Token(0);
const SIGNALS: Token = Token(1);
const MONITOR: Token = Token(2);
const PEER: Token = Token(3);
/// The track_file inotify fd.
const INOTIFY: Token = Token(4);
/// The vrrp_track_process proc connector.
const PROC_CN: Token = Token(5);
const SOCKET_BASE: usize = 100;

/// A child that got no `Start` this long after exec gives up (the parent is wedged).
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// One log line per receive error kind at most this often.
const RX_ERROR_LOG_EVERY: Duration = Duration::from_secs(10);

// keepalived's exit codes (`lib/scheduler.h`), as the supervisor's `exit_code` has them.
const EXIT_OK: i32 = 0;
const EXIT_PROGRAM_ERROR: i32 = 70;

/// What the VRRP child takes from its command line.
#[derive(Debug, Clone, Default)]
pub struct ChildOpts {
    /// `-V`: leave the VIPs in place on stop.
    pub dont_release_vrrp: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Timer {
    StartTimeout,
    Inst(usize, TimerKind),
}

/// A shared socket: which interface/family/source/group it serves.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct SockKey {
    ifindex: u32,
    v6: bool,
    unicast_src: Option<IpAddr>,
    group: Option<IpAddr>,
}

/// One running instance and what its adapters need.
#[derive(Debug)]
struct Inst {
    core: Instance,
    /// What runtime code reads of the instance's configuration; the typed
    /// `VrrpInstance` (1.7 KB plus its strings and source locations) is dropped after load.
    cfg: InstCfg,
    /// Its index in the configuration it was loaded from (tracking is built from there).
    conf_idx: usize,
    ifname: String,
    ifindex: u32,
    mac: [u8; 6],
    family: Family,
    sock: usize,
    rx: RxConfig,
    version: Version,
    auth: V2Auth,
    addrs: VirtualAddrs,
    /// Where adverts go: the group, or each unicast peer.
    dsts: Vec<IpAddr>,
    /// Our source address (IPv4: written in the header; IPv6: for the checksum only).
    src: IpAddr,
    ttl: u8,
    v3_checksum_as_v2: bool,
    ip_id: u16,
    vips: Vec<IfAddr>,
    ipv6_router: bool,
    /// `virtual_routes` and `virtual_rules`, resolved.
    routes: RouteSet,
    /// Unicast adverts are accepted from `unicast_peer`s only, within their TTL range.
    check_src: bool,
    /// `old_unicast_checksum` (crate::oldcsum).
    csum: crate::oldcsum::CsumCompat,
}

/// The part of an instance's configuration kept while it runs.
#[derive(Debug)]
struct InstCfg {
    name: String,
    /// Only when unicast sources are checked (`check_src`); empty otherwise.
    unicast_peers: Vec<UnicastPeer>,
}

impl Inst {
    /// keepalived matches instances across a reload by VRID, family and interface.
    fn match_key(&self) -> MatchKey {
        (self.core.params().vrid, self.family, self.ifname.clone())
    }
}

/// VRID, family and interface name: how a reload matches old and new instances.
type MatchKey = (u8, Family, String);

/// Receive errors, counted by kind and logged at a rate limit.
#[derive(Debug, Default)]
struct RxErrors {
    counts: BTreeMap<&'static str, u64>,
    last_log: HashMap<&'static str, Instant>,
}

impl RxErrors {
    /// Counts one error of `kind`; logs it when none of that kind was logged for
    /// [`RX_ERROR_LOG_EVERY`]. Returns whether it logged.
    fn record(&mut self, kind: &'static str, now: Instant, what: impl FnOnce() -> String) -> bool {
        *self.counts.entry(kind).or_default() += 1;
        let due = self
            .last_log
            .get(kind)
            .is_none_or(|t| now.duration_since(*t) >= RX_ERROR_LOG_EVERY);
        if due {
            self.last_log.insert(kind, now);
            warn!(
                "{} (dropped; {} so far of this kind)",
                what(),
                self.counts[kind]
            );
        }
        due
    }
}

#[derive(Debug)]
struct Running {
    generation: u64,
    insts: Vec<Inst>,
    socks: Vec<VrrpSocket>,
    /// (socket, VRID) -> instance.
    demux: HashMap<(usize, u8), usize>,
    reloads: u64,
    /// The configuration file and its instances (name, VRID), running or not.
    source: String,
    configured: Vec<(String, Option<u8>)>,
    /// Sync groups with their members (instance indices), and each member's group and
    /// position.
    groups: Vec<(SyncGroup, Vec<usize>)>,
    group_of: HashMap<usize, (usize, usize)>,
    /// `log_unknown_vrids`.
    log_unknown_vrids: bool,
}

/// The sibling link, for the dumps (same fields as the stub Worker's).
#[derive(Debug, Default)]
struct PeerStats {
    links: u64,
    connected: bool,
    received: u64,
    sent: u64,
}

/// What the loop does next.
enum Flow {
    Continue,
    Exit(i32),
}

struct Daemon {
    opts: ChildOpts,
    chan: Channel<VrrpToParent, ParentToVrrp>,
    poller: Poller,
    signals: Signals,
    timers: TimerQueue<Timer>,
    rtnl: Rtnl,
    monitor: Option<Monitor>,
    announcer: Option<Announcer>,
    /// GARP/NA pacing (`vrrp_garp_interval`, `vrrp_gna_interval`, `garp_group`).
    pacer: Pacer,
    /// Per interface: (ARP interval, NA interval); `garp_default` for the others.
    garp_gaps: HashMap<u32, (Duration, Duration)>,
    garp_default: (Duration, Duration),
    /// Usable (up and running) per ifindex, as last seen.
    links: HashMap<u32, bool>,
    running: Option<Running>,
    rx_errors: RxErrors,
    started: Instant,
    /// The vrrp<->checker link: instance states go to the checker; what it sends is
    /// drained and counted (VRRP tracking of virtual servers is not wired yet).
    peer: Option<Channel<VrrpToCheck, CheckToVrrp>>,
    peer_stats: PeerStats,
    /// States handed back by the parent at Start (for the dumps).
    restored: usize,
    /// Messages received from the parent.
    received: u64,
    /// Notify scripts and FIFOs (crate::notify).
    notifier: Notifier,

    /// vrrp_script / track_interface / track_file state of the running configuration.
    tracker: Option<Tracker>,
    /// What the parent sends for our MASTER instances while we restart (hitless restart).
    standin: StandInTx,
    /// Virtual routes/rules per instance and the static entries we installed.
    installed: Installed<MatchKey>,
    vmacs: Vmacs,
    /// `promote_secondaries` sysctls we set (crate::promote).
    promote: crate::promote::PromoteSecondaries,
    /// The running configuration, to rebuild from when a VMAC is deleted under us.
    config: Option<VersionedConfig>,

    outs: Vec<Output>,
    /// Receive slots for `recvmmsg` (taken while a socket is read).
    rxb: Option<RecvBatch>,
    /// While timers are run (`queuing`): adverts waiting to go out with one `sendmmsg` per
    /// socket.
    txq: Vec<QueuedAdvert>,
    queuing: bool,
    /// When the sockets were last read, and the read pause of the running configuration,
    /// cached per (generation, reloads); see `Daemon::pause_reads`.
    last_read: Option<Instant>,
    read_gap: Option<(u64, u64, Duration)>,
}

/// An advert encoded while timers run, sent when they are done (see `Daemon::flush_adverts`).
#[derive(Debug)]
struct QueuedAdvert {
    sock: usize,
    dst: IpAddr,
    src: IpAddr,
    bytes: Vec<u8>,
    inst: usize,
}

/// Adverts read per `recvmmsg`: at 200 instances x 10 ms a backup finds a few to a few
/// dozen queued per wake-up.
const RX_BATCH: usize = 32;
/// Largest VRRP packet read whole: IP header with options, 8 + 255 x 16 bytes of VRRP.
const RX_SLOT: usize = 4200;
/// The longest read pause (`Daemon::pause_reads`), whatever the advert intervals.
const MAX_READ_GAP: Duration = Duration::from_millis(10);

/// Runs the VRRP child to completion on the inherited channel and returns its exit status.
/// Logging, the process name and the parent-death signal are the caller's.
pub fn run(channel_fd: OwnedFd, opts: ChildOpts) -> i32 {
    match Daemon::new(channel_fd, opts) {
        Ok(d) => d.run(),
        Err(e) => {
            error!("VRRP child: {e}");
            EXIT_PROGRAM_ERROR
        }
    }
}

impl Daemon {
    fn new(fd: OwnedFd, opts: ChildOpts) -> Result<Self, String> {
        let poller = Poller::new().map_err(|e| format!("setting up the event loop: {e}"))?;
        // HUP, USR1, USR2 and INT are the parent's business (see the stub Worker).
        let json_sig = libc::SIGRTMIN() + 2;
        let mut signals = Signals::new(&[
            libc::SIGTERM,
            libc::SIGINT,
            libc::SIGHUP,
            libc::SIGUSR1,
            libc::SIGUSR2,
            // vrrp_script children are reaped on SIGCHLD (the tracker's ScriptRunner).
            libc::SIGCHLD,
            json_sig,
            // RLIMIT_RTTIME's soft limit under vrrp_rt_priority (logged, as keepalived).
            libc::SIGXCPU,
        ])
        .map_err(|e| format!("setting up signals: {e}"))?;
        signals
            .register(poller.registry(), SIGNALS)
            .map_err(|e| format!("watching signals: {e}"))?;
        let chan = Channel::from_fd(fd).map_err(|e| format!("opening the channel: {e}"))?;
        poller
            .register(&chan, CHANNEL, Interest::READABLE | Interest::WRITABLE)
            .map_err(|e| format!("watching the channel: {e}"))?;
        let rtnl = Rtnl::open().map_err(|e| format!("opening rtnetlink: {e}"))?;
        let monitor = match Monitor::open() {
            Ok(m) => {
                let _ = m.set_recv_buffer_size(1 << 20);
                match poller.register(&m, MONITOR, Interest::READABLE) {
                    Ok(()) => Some(m),
                    Err(e) => {
                        warn!("watching the rtnetlink monitor: {e}; link events are not seen");
                        None
                    }
                }
            }
            Err(e) => {
                warn!("{e}; link events are not seen");
                None
            }
        };
        let announcer = match Announcer::open() {
            Ok(a) => Some(a),
            Err(e) => {
                warn!("{e}; no gratuitous ARP / NA will be sent");
                None
            }
        };
        let mut timers = TimerQueue::new();
        timers.set(Timer::StartTimeout, Instant::now() + START_TIMEOUT);
        let mut poller = poller;
        poller.set_lazy_rearm(true);
        Ok(Daemon {
            opts,
            chan,
            poller,
            signals,
            timers,
            rtnl,
            monitor,
            announcer,
            pacer: Pacer::default(),
            garp_gaps: HashMap::new(),
            garp_default: (Duration::ZERO, Duration::ZERO),
            links: HashMap::new(),
            running: None,
            rx_errors: RxErrors::default(),
            started: Instant::now(),
            peer: None,
            peer_stats: PeerStats::default(),
            restored: 0,
            received: 0,
            notifier: Notifier::new(),

            tracker: None,
            standin: StandInTx::default(),
            installed: Installed::default(),
            vmacs: Vmacs::for_child(),
            promote: crate::promote::PromoteSecondaries::for_child(),
            config: None,

            outs: Vec::new(),
            rxb: Some(RecvBatch::new(RX_BATCH, RX_SLOT)),
            txq: Vec::new(),
            queuing: false,
            last_read: None,
            read_gap: None,
        })
    }

    fn run(mut self) -> i32 {
        info!("VRRP child started");
        loop {
            let deadline = [
                self.timers.next_deadline(),
                self.notifier.next_deadline(),
                self.tracker.as_ref().and_then(Tracker::next_deadline),
                self.pacer.next_deadline(),
            ]
            .into_iter()
            .flatten()
            .min();
            let ready = match self.poller.wait(deadline) {
                Ok(r) => r.to_vec(),
                Err(e) => {
                    error!("event loop: {e}");
                    return EXIT_PROGRAM_ERROR;
                }
            };
            let mut read = false;
            for r in ready {
                let flow = match r.token {
                    SIGNALS => self.on_signals(),
                    CHANNEL => self.on_channel(r.writable),
                    MONITOR => {
                        self.on_monitor();
                        Flow::Continue
                    }
                    PEER => {
                        self.on_peer(r.writable);
                        Flow::Continue
                    }
                    INOTIFY | PROC_CN => {
                        if let Some(t) = self.tracker.as_mut() {
                            if r.token == INOTIFY {
                                t.on_inotify();
                            } else {
                                t.on_proc(Instant::now());
                            }
                        }
                        self.apply_tracking(Instant::now());
                        Flow::Continue
                    }
                    Token(t) if t >= SOCKET_BASE => {
                        self.on_socket(t - SOCKET_BASE);
                        read = true;
                        Flow::Continue
                    }
                    _ => Flow::Continue,
                };
                if let Flow::Exit(code) = flow {
                    return code;
                }
            }
            let mut drained = false;
            // Adverts due in this pass go out together, one sendmmsg per socket.
            self.queuing = true;
            loop {
                let now = Instant::now();
                // Before a backup declares its master down, read what arrived since the
                // sockets were last drained: a daemon descheduled between that drain and
                // this pass (a busy host) would otherwise fire on adverts sitting unread.
                if !drained && self.master_down_due(now) {
                    drained = true;
                    let n = self.running.as_ref().map_or(0, |r| r.socks.len());
                    for sidx in 0..n {
                        self.on_socket(sidx);
                    }
                    continue;
                }
                let Some((t, at)) = self
                    .timers
                    .pop_due(now)
                    .or_else(|| self.pop_early_advert(now))
                else {
                    break;
                };
                match t {
                    Timer::StartTimeout => {
                        error!("no configuration from the parent after {START_TIMEOUT:?}; exiting");
                        return EXIT_PROGRAM_ERROR;
                    }
                    // An advert sent early is fed its own deadline, so the instance's
                    // schedule stays on the exact interval.
                    Timer::Inst(i, kind) => self.feed(i, now.max(at), Input::TimerExpired(kind)),
                }
            }
            self.flush_adverts();
            self.queuing = false;
            self.notifier.on_timer(Instant::now());
            self.send_paced(Instant::now());

            let now = Instant::now();
            if let Some(t) = self.tracker.as_mut() {
                if t.next_deadline().is_some_and(|d| d <= now) {
                    t.on_timer(now);
                    self.apply_tracking(now);
                }
            }
            if let Flow::Exit(c) = self.flush_chan() {
                return c;
            }
            if read {
                self.pause_reads();
            }
        }
    }

    /// Called after a wake-up that read VRRP sockets. When adverts come in faster than the
    /// read pause (1/32 of the shortest advert interval, at most `MAX_READ_GAP`: 0.31 ms at
    /// 10 ms adverts), sleeps for it (never past the next timer), so that the next wake-up
    /// reads all that arrived meanwhile with one `recvmmsg` instead of waking for each: a
    /// backup of 200 instances at 10 ms spent most of its CPU in wake-ups. An advert is
    /// acted on at most one pause late, far inside the skew time and Master_Down_Interval
    /// (and sockets are read before a Master_Down timer fires anyway). Sparse adverts (more
    /// than two pauses apart) are read at once, as before.
    fn pause_reads(&mut self) {
        let now = Instant::now();
        let previous = self.last_read.replace(now);
        let Some(gap) = self.read_gap() else {
            return;
        };
        if previous.is_none_or(|p| now.saturating_duration_since(p) > 2 * gap) {
            return;
        }
        let mut until = now + gap;
        for d in [
            self.timers.next_deadline(),
            self.notifier.next_deadline(),
            self.tracker.as_ref().and_then(Tracker::next_deadline),
            self.pacer.next_deadline(),
        ]
        .into_iter()
        .flatten()
        {
            until = until.min(d);
        }
        if until > now {
            std::thread::sleep(until - now);
        }
    }

    /// 1/32 of the shortest advert interval of the running instances, at most
    /// `MAX_READ_GAP`; None without instances.
    fn read_gap(&mut self) -> Option<Duration> {
        let run = self.running.as_ref()?;
        match self.read_gap {
            Some((g, r, gap)) if g == run.generation && r == run.reloads => Some(gap),
            _ => {
                let shortest = run.insts.iter().map(|i| i.core.params().advert_int).min()?;
                let gap = (shortest / 32).min(MAX_READ_GAP);
                self.read_gap = Some((run.generation, run.reloads, gap));
                Some(gap)
            }
        }
    }

    /// Sends the queued adverts: one `sendmmsg` per socket, in the order they were decided.
    fn flush_adverts(&mut self) {
        let q = &mut self.txq;
        if q.is_empty() {
            return;
        }
        let Some(run) = self.running.as_ref() else {
            q.clear();
            return;
        };
        let mut batch: Vec<(&[u8], IpAddr, Option<IpAddr>)> = Vec::with_capacity(q.len());
        let mut start = 0;
        while start < q.len() {
            let sidx = q[start].sock;
            let mut end = start;
            batch.clear();
            while end < q.len() && q[end].sock == sidx {
                batch.push((&q[end].bytes, q[end].dst, Some(q[end].src)));
                end += 1;
            }
            if let Some(sock) = run.socks.get(sidx) {
                for (k, e) in sock.send_batch(&batch) {
                    let inst = q.get(start + k).and_then(|a| run.insts.get(a.inst));
                    let name = inst.map_or("?", |i| i.cfg.name.as_str());
                    debug!("({name}) {e}");
                }
            }
            start = end;
        }
        q.clear();
    }

    fn master_down_due(&self, now: Instant) -> bool {
        matches!(self.timers.peek(), Some((Timer::Inst(_, TimerKind::MasterDown), at)) if at <= now)
    }

    /// The next timer if it is an advert due within 1/16 of its instance's interval: sent
    /// with the adverts due now, in the same wake-up (a master of 200 instances at 10 ms
    /// would otherwise wake 20,000 times a second). Early by at most 1/16 of the interval
    /// is far inside the backups' Master_Down_Interval of three intervals plus skew.
    fn pop_early_advert(&mut self, now: Instant) -> Option<(Timer, Instant)> {
        let (&t, at) = self.timers.peek()?;
        let Timer::Inst(i, TimerKind::Advert) = t else {
            return None;
        };
        let interval = self
            .running
            .as_ref()?
            .insts
            .get(i)?
            .core
            .params()
            .advert_int;
        if at > now + interval / 16 {
            return None;
        }
        self.timers.cancel(&t);
        Some((t, at))
    }

    fn flush_chan(&mut self) -> Flow {
        match self.chan.flush() {
            Ok(_) => Flow::Continue,
            Err(e) => self.parent_gone(&e),
        }
    }

    fn on_signals(&mut self) -> Flow {
        for sig in self.signals.pending() {
            if sig == libc::SIGTERM {
                info!("SIGTERM: stopping");
                return self.stop();
            }
            if sig == libc::SIGCHLD {
                self.notifier.reap(Instant::now());

                let now = Instant::now();
                if let Some(t) = self.tracker.as_mut() {
                    t.on_sigchld(now);
                }
                self.apply_tracking(now);
                continue;
            }
            if sig == libc::SIGXCPU {
                warn!("SIGXCPU: the realtime CPU limit (vrrp_rlimit_rttime) is being exceeded");
                continue;
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
                    if let Flow::Exit(c) = self.on_msg(m, fds) {
                        return Flow::Exit(c);
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
                info!("the parent hung up; stopping");
                self.release();
                Flow::Exit(EXIT_OK)
            }
            e => {
                error!("channel to the parent failed: {e}; treating the parent as dead");
                Flow::Exit(EXIT_PROGRAM_ERROR)
            }
        }
    }

    fn send(&mut self, m: &VrrpToParent) -> Flow {
        match self.chan.send(m) {
            Ok(()) => Flow::Continue,
            Err(e) if e.is_fatal() => self.parent_gone(&e),
            Err(e) => {
                warn!("a message to the parent was dropped: {e}");
                Flow::Continue
            }
        }
    }

    fn on_msg(&mut self, m: ParentToVrrp, fds: Vec<OwnedFd>) -> Flow {
        match m {
            ParentToVrrp::Start { config, restore } => {
                if self.running.is_some() {
                    warn!("a second Start from the parent ignored");
                    return Flow::Continue;
                }
                self.timers.cancel(&Timer::StartTimeout);
                info!(
                    "running configuration generation {} ({}, {} restored states)",
                    config.generation,
                    config.config.source,
                    restore.len()
                );
                self.restored = restore.len();
                let restore: HashMap<String, State> = restore
                    .into_iter()
                    .map(|s| (s.name, from_ipc(s.state)))
                    .collect();
                self.load(&config, &restore, Vec::new());
                let generation = config.generation;
                drop(config);
                // Decoding the configuration left its freed pages in the heap.
                keepalived_sys::mem::trim_heap();
                self.send(&VrrpToParent::Ready { generation })
            }
            ParentToVrrp::Reload { config } => {
                if self.running.is_none() {
                    warn!("Reload before Start ignored");
                    return Flow::Continue;
                }
                self.reload(&config);
                let generation = config.generation;
                drop(config);
                keepalived_sys::mem::trim_heap();
                self.send(&VrrpToParent::Ready { generation })
            }
            ParentToVrrp::Dump(kind) => {
                if test_garbage_hook() {
                    warn!("test hook: writing garbage on the channel instead of a dump");
                    let _ = nix::sys::socket::send(
                        self.chan.as_raw_fd(),
                        &[0xff; 16],
                        nix::sys::socket::MsgFlags::MSG_NOSIGNAL,
                    );
                    return Flow::Continue;
                }
                let body = self.dump_body(kind);
                self.send(&VrrpToParent::Dump { kind, body })
            }
            ParentToVrrp::PeerLink => {
                self.new_peer(fds);
                Flow::Continue
            }
            ParentToVrrp::Shutdown => {
                info!("shutdown requested by the parent");
                self.stop()
            }
        }
    }

    /// Priority-0 adverts and VIP removal for MASTER instances (VIPs kept with `-V`).
    fn release(&mut self) {
        let n = self.running.as_ref().map_or(0, |r| r.insts.len());
        let now = Instant::now();
        self.notifier.hold_groups();
        for i in 0..n {
            self.feed(i, now, Input::Shutdown);
        }
        self.notifier.release_groups(now);
        self.notifier.shutdown(SHUTDOWN_GRACE);
    }

    fn stop(&mut self) -> Flow {
        if let Some(t) = self.tracker.as_mut() {
            t.stop();
        }
        self.release();
        // keepalived 2.2.7 removes the static entries on stop, even with -V; the VMACs
        // (which hold the VIPs) only without -V.
        self.installed.remove_statics(&mut self.rtnl);
        self.promote.restore();
        if !self.opts.dont_release_vrrp {
            self.vmacs.teardown(&mut self.rtnl);
        }
        let _ = self.chan.flush();
        info!("VRRP child exiting");
        Flow::Exit(EXIT_OK)
    }

    // ---- configuration -------------------------------------------------------------

    /// Builds instances and sockets for `config`. `restore` gives the state an instance
    /// starts in (hitless restart, or a reload keeping a matched instance's state);
    /// instances without one start from INIT.
    fn load(
        &mut self,
        config: &VersionedConfig,
        restore: &HashMap<String, State>,
        old_socks: Vec<VrrpSocket>,
    ) {
        let reload = !old_socks.is_empty();
        if let Some(m) = self.standin.reset() {
            let _ = self.send(&m);
        }
        // Kept only to rebuild a VMAC deleted under us: each instance holds its own part
        // of the configuration, and a second copy of a large one costs megabytes.
        self.config = config
            .config
            .vrrp
            .instances
            .iter()
            .any(|i| i.vmac.is_some())
            .then(|| config.clone());
        for s in old_socks {
            let _ = self.poller.deregister(&s);
        }
        let links = match self.rtnl.links() {
            Ok(l) => l,
            Err(e) => {
                error!("listing interfaces: {e}");
                Vec::new()
            }
        };
        let addrs = match self.rtnl.addresses() {
            Ok(a) => a,
            Err(e) => {
                error!("listing addresses: {e}");
                Vec::new()
            }
        };
        for l in &links {
            self.links.insert(l.ifindex, l.is_usable());
        }
        let by_name: HashMap<&str, &keepalived_netlink::Link> =
            links.iter().map(|l| (l.name.as_str(), l)).collect();
        let global = config.config.global.clone();
        let mut run = Running {
            generation: config.generation,
            insts: Vec::new(),
            socks: Vec::new(),
            demux: HashMap::new(),
            reloads: 0,
            groups: Vec::new(),
            group_of: HashMap::new(),
            log_unknown_vrids: global.log_unknown_vrids,
            source: config.config.source.clone(),
            configured: config
                .config
                .vrrp
                .instances
                .iter()
                .map(|i| (i.name.clone(), i.vrid))
                .collect(),
        };
        let mut sock_keys: HashMap<SockKey, usize> = HashMap::new();
        let ifindex_of = |n: &str| by_name.get(n).map(|l| l.ifindex);
        let statics = Statics::resolve(&config.config.vrrp, &ifindex_of, addr_spec);
        self.installed.sync_statics(&mut self.rtnl, statics);
        let routes_used = self.installed.watches()
            || config
                .config
                .vrrp
                .instances
                .iter()
                .any(|i| !i.routes.is_empty() || !i.rules.is_empty());
        if let Some(m) = self.monitor.as_ref().filter(|_| routes_used) {
            if let Err(e) = m.watch_routes() {
                warn!("{e}; routes and rules deleted by hand are not put back");
            }
        }
        if let Some(d) = global.vrrp_startup_delay.filter(|_| !reload) {
            info!("Delaying startup for {} seconds", d.as_secs_f64());
        }
        self.vmacs.begin_load();
        self.promote
            .apply(crate::promote::wanted(&config.config.vrrp.instances));
        let mut rx_bufs = Vec::new();
        for (conf_idx, icfg) in config.config.vrrp.instances.iter().enumerate() {
            let name = &icfg.name;
            let Some(ifname) = icfg.interface.clone() else {
                error!("({name}) no interface: instance not started");
                continue;
            };
            let Some(link) = by_name.get(ifname.as_str()) else {
                error!("({name}) interface {ifname} not found: instance not started");
                continue;
            };
            let mut params = Params::from_config(icfg, &global);
            if reload {
                params.startup_delay = Duration::ZERO;
            }
            if params.unicast_no_peer_fault {
                error!("({name}) Cannot use unicast without any peers - going to fault state");
            }
            let family = match icfg.family() {
                keepalived_config::model::vrrp::Family::Inet => Family::V4,
                keepalived_config::model::vrrp::Family::Inet6 => Family::V6,
            };
            let vip_set: Vec<IpAddr> = icfg.vips.iter().map(|v| v.addr).collect();
            let primary = addrs
                .iter()
                .filter(|a| a.ifindex == link.ifindex && !vip_set.contains(&a.addr))
                .map(|a| a.addr)
                .find(|a| match (family, a) {
                    (Family::V4, IpAddr::V4(_)) => true,
                    (Family::V6, IpAddr::V6(v6)) => (v6.segments()[0] & 0xffc0) == 0xfe80,
                    _ => false,
                });
            let src = params.primary_addr.or(primary).unwrap_or(match family {
                Family::V4 => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
                Family::V6 => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
            });
            if params.primary_addr.is_none() {
                params.primary_addr = primary;
            }
            let unicast = !icfg.unicast_peers.is_empty();
            let vmac = match &icfg.vmac {
                Some(vc) => {
                    let req = VmacRequest {
                        inst: name,
                        cfg: vc,
                        base: link,
                        base_link_local: match primary {
                            Some(IpAddr::V6(a)) => Some(a),
                            _ => None,
                        },
                        vrid: params.vrid,
                        v6: family == Family::V6,
                        prefix: crate::vmac::vmac_prefix(&global),
                    };
                    match self.vmacs.ensure(&mut self.rtnl, &req) {
                        Ok(v) => Some(v),
                        Err(e) => {
                            error!("({name}) VMAC: {e}: instance not started");
                            continue;
                        }
                    }
                }
                None => None,
            };
            // Adverts leave from the VMAC (its MAC is the router's) unless vmac_xmit_base;
            // unicast needs the base interface, where the unicast source lives.
            let xmit_vmac = vmac.as_ref().filter(|_| !icfg.vmac_xmit_base && !unicast);
            // The base's name stays the instance's (reloads match instances by it).
            let (sock_ifname, sock_ifindex) = match xmit_vmac {
                Some(v) => (v.name.clone(), v.ifindex),
                None => (ifname.clone(), link.ifindex),
            };
            // IPv6 adverts from the VMAC carry its link-local as source.
            let src = match xmit_vmac.and_then(|v| v.link_local) {
                Some(ll) if icfg.mcast_src_ip.is_none() => {
                    params.primary_addr = Some(IpAddr::V6(ll));
                    IpAddr::V6(ll)
                }
                _ => src,
            };
            let vip_ifindex = vmac.as_ref().map_or(link.ifindex, |v| v.ifindex);
            let group = crate::instance::multicast_group(icfg, &global);
            let key = SockKey {
                ifindex: sock_ifindex,
                v6: family == Family::V6,
                unicast_src: unicast.then_some(src),
                group: (!unicast).then_some(group),
            };
            let sock = match sock_keys.get(&key) {
                Some(&s) => s,
                None => {
                    let mut sc = if unicast {
                        SocketConfig::unicast(&sock_ifname, sock_ifindex, src)
                    } else {
                        let mut sc = SocketConfig::multicast(&sock_ifname, sock_ifindex, family);
                        sc.mcast_group = Some(group);
                        sc.src = icfg.mcast_src_ip;
                        sc
                    };
                    sc.hdrincl = family == Family::V4;
                    sc.unicast_ttl = icfg.unicast_ttl.unwrap_or(255);
                    match VrrpSocket::open(&sc) {
                        Ok(s) => {
                            let idx = run.socks.len();
                            if let Err(e) = self.poller.register(
                                &s,
                                Token(SOCKET_BASE + idx),
                                Interest::READABLE,
                            ) {
                                error!("({name}) watching the VRRP socket: {e}");
                            }
                            run.socks.push(s);
                            sock_keys.insert(key, idx);
                            idx
                        }
                        Err(e) => {
                            error!("({name}) {e}: instance not started");
                            continue;
                        }
                    }
                }
            };
            rx_bufs.push((sock, icfg.kernel_rx_buf_size));
            let vrid = params.vrid;
            let version = if params.version == 2 {
                Version::V2
            } else {
                Version::V3
            };
            let auth = match (version, icfg.auth_type, &icfg.auth_pass) {
                (Version::V2, AuthType::Pass, Some(p)) => V2Auth::pass(p),
                _ => V2Auth::None,
            };
            let v3cs = icfg.v3_checksum_as_v2.unwrap_or(global.v3_checksum_as_v2);
            let rx = RxConfig {
                version,
                auth,
                adver_int: params.advert_int,
                unicast,
                v3_checksum_as_v2: v3cs,
                verify_ipv6_checksum: false,
                vip_count: None,
            };
            let addrs_list = match family {
                Family::V4 => VirtualAddrs::V4(
                    icfg.vips
                        .iter()
                        .filter_map(|v| match v.addr {
                            IpAddr::V4(a) => Some(a),
                            IpAddr::V6(_) => None,
                        })
                        .collect(),
                ),
                Family::V6 => VirtualAddrs::V6(
                    icfg.vips
                        .iter()
                        .filter_map(|v| match v.addr {
                            IpAddr::V6(a) => Some(a),
                            IpAddr::V4(_) => None,
                        })
                        .collect(),
                ),
            };
            let vips: Vec<IfAddr> = icfg
                .vips
                .iter()
                .chain(icfg.evips.iter())
                .filter_map(|v| {
                    let ifx = match &v.dev {
                        Some(d) => by_name.get(d.as_str()).map(|l| l.ifindex),
                        None => Some(vip_ifindex),
                    };
                    match ifx {
                        Some(ifx) => Some(addr_spec(v, ifx)),
                        None => {
                            error!("({name}) VIP {}: device not found; skipped", v.addr);
                            None
                        }
                    }
                })
                .collect();
            let mut mac = [0u8; 6];
            if link.mac.len() == 6 {
                mac.copy_from_slice(&link.mac);
            }
            if let Some(v) = &vmac {
                mac = v.mac;
            }
            let routes =
                RouteSet::resolve(&format!("({name})"), &icfg.routes, &icfg.rules, &ifindex_of);
            let ipv6_router =
                std::fs::read_to_string(format!("/proc/sys/net/ipv6/conf/{ifname}/forwarding"))
                    .map(|s| s.trim() == "1")
                    .unwrap_or(false);
            let dsts = if unicast {
                icfg.unicast_peers.iter().map(|p| p.addr).collect()
            } else {
                vec![group]
            };
            let idx = run.insts.len();
            if run.demux.insert((sock, vrid), idx).is_some() {
                error!("({name}) VRID {vrid} used twice on {ifname}; the later instance receives");
            }
            let core = Instance::new(params, Instant::now());
            let check_src = crate::unicast::check_enabled(
                &icfg.unicast_peers,
                config.config.global.vrrp_check_unicast_src,
                icfg.check_unicast_src,
            );
            run.insts.push(Inst {
                core,
                cfg: InstCfg {
                    name: name.clone(),
                    unicast_peers: if check_src {
                        icfg.unicast_peers.clone()
                    } else {
                        Vec::new()
                    },
                },
                conf_idx,
                ifname,
                ifindex: link.ifindex,
                mac,
                family,
                sock,
                rx,
                version,
                auth,
                addrs: addrs_list,
                dsts,
                src,
                ttl: if unicast {
                    icfg.unicast_ttl.unwrap_or(255)
                } else {
                    255
                },
                v3_checksum_as_v2: v3cs,
                ip_id: 0,
                vips,
                ipv6_router,
                routes,
                check_src,
                csum: crate::oldcsum::CsumCompat::new(
                    crate::oldcsum::Mode::from_config(icfg.old_unicast_checksum),
                    match global.vrrp_mcast_group4 {
                        IpAddr::V4(g) => g,
                        IpAddr::V6(_) => Ipv4Addr::new(224, 0, 0, 18),
                    },
                    unicast && version == Version::V3 && family == Family::V4 && !v3cs,
                ),
            });
        }
        for (s, bytes) in crate::rxbuf::socket_sizes(&rx_bufs) {
            if let Some(Err(e)) = run.socks.get(s).map(|k| crate::rxbuf::apply(k, bytes)) {
                warn!("kernel_rx_buf_size {bytes}: setting the VRRP socket's buffer: {e}");
            }
        }
        self.vmacs.end_load(&mut self.rtnl);
        if !self.vmacs.is_empty() {
            // Creating a VMAC queues its down/up link events; read them now, while no
            // instance runs, so they are not taken for a link change later.
            self.on_monitor();
        }
        run.insts.shrink_to_fit();
        run.socks.shrink_to_fit();
        run.demux.shrink_to_fit();
        let n = run.insts.len();
        let starts: Vec<(bool, Option<State>)> = run
            .insts
            .iter()
            .map(|i| {
                (
                    self.links.get(&i.ifindex).copied().unwrap_or(true),
                    restore.get(&i.cfg.name).copied(),
                )
            })
            .collect();
        self.running = Some(run);
        self.notifier.configure(&config.config, Instant::now());
        self.setup_sync(&config.config.vrrp.sync_groups);

        self.set_garp_gaps(config, &links);
        let track_init = self.start_tracking(config, &links, reload, restore);
        let now = Instant::now();
        for (i, (usable, st)) in starts.into_iter().enumerate().take(n) {
            if let Some(&(total, fault)) = track_init.get(&i) {
                self.feed(i, now, Input::PriorityChanged(total));
                self.feed(i, now, Input::TrackFault(fault));
            }
            if !usable {
                self.feed(i, now, Input::LinkDown);
            }
            match st {
                Some(s) => {
                    self.feed(i, now, Input::RestoreState(s));
                    if s == State::Master && !reload {
                        // A restarted child: its MASTERs' routes are in place; record them.
                        self.add_missing_routes(i);
                    }
                    if reload && s == State::Master {
                        // A matched MASTER keeps its VIPs; the ones the new config adds are
                        // added (the kept ones answer "already there": no flap).
                        self.add_missing_vips(i);
                    }
                }
                None => {
                    // Held while a weight-0 script has not reported (keepalived neither
                    // starts nor announces FAULT then); `apply_tracking` starts it.
                    if !self.tracker.as_mut().is_some_and(|t| t.hold_start(i)) {
                        self.feed(i, now, Input::Start);
                    }
                }
            }
        }
        self.adopt_sync_states();
        // Report every state, as the stub did, so the parent has one per instance.
        let reports: Vec<InstanceState> = self
            .running
            .as_ref()
            .map(|r| r.insts.iter().map(report).collect())
            .unwrap_or_default();
        for s in reports {
            self.send_peer(&s);
            let _ = self.send(&VrrpToParent::StateReport(s));
        }
    }

    /// Builds the tracker for the instances just loaded (carrying script states over a
    /// reload) and returns each instance's initial (total priority, tracker FAULT).
    fn start_tracking(
        &mut self,
        config: &VersionedConfig,
        links: &[keepalived_netlink::Link],
        reload: bool,
        restore: &HashMap<String, State>,
    ) -> HashMap<usize, (i32, bool)> {
        let old = self.tracker.take();
        if let Some(fd) = old.as_ref().and_then(Tracker::inotify_fd) {
            let _ = self.poller.deregister(&fd);
        }
        if let Some(fd) = old.as_ref().and_then(Tracker::proc_fd) {
            let _ = self.poller.deregister(&fd);
        }
        let all = &config.config.vrrp.instances;
        let cfgs: Vec<(&VrrpInstance, bool)> = self
            .running
            .as_ref()
            .map(|r| {
                r.insts
                    .iter()
                    .filter_map(|i| {
                        let c = all.get(i.conf_idx)?;
                        Some((c, restore.contains_key(&i.cfg.name)))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let link_state = links
            .iter()
            .map(|l| (l.name.clone(), l.is_usable()))
            .collect();
        let mut t = Tracker::new(
            &config.config,
            &cfgs,
            link_state,
            old,
            reload,
            Instant::now(),
        );
        if let Some(fd) = t.inotify_fd() {
            if let Err(e) = self.poller.register(&fd, INOTIFY, Interest::READABLE) {
                warn!("watching track files: {e}; their changes are not seen");
            }
        }
        if let Some(fd) = t.proc_fd() {
            if let Err(e) = self.poller.register(&fd, PROC_CN, Interest::READABLE) {
                warn!("watching the proc connector: {e}; process changes are not seen");
            }
        }
        let init = t
            .changes()
            .into_iter()
            .map(|(i, a, b)| (i, (a, b)))
            .collect();
        self.tracker = Some(t);
        init
    }

    /// Feeds the instances whose tracking result changed.
    fn apply_tracking(&mut self, now: Instant) {
        let changes = self
            .tracker
            .as_mut()
            .map(Tracker::changes)
            .unwrap_or_default();
        for (i, total, fault) in changes {
            self.feed(i, now, Input::PriorityChanged(total));
            self.feed_own_fault(i, now, Input::TrackFault(fault));
        }
        let ready = self
            .tracker
            .as_mut()
            .map(Tracker::ready_starts)
            .unwrap_or_default();
        for i in ready {
            self.feed(i, now, Input::Start);
        }
    }

    fn add_missing_routes(&mut self, i: usize) {
        if let Some(inst) = self.running.as_ref().and_then(|r| r.insts.get(i)) {
            let key = inst.match_key();
            self.installed
                .master(&mut self.rtnl, key, &inst.cfg.name, &inst.routes);
        }
    }

    fn add_missing_vips(&mut self, i: usize) {
        self.add_missing_routes(i);
        let Some(inst) = self.running.as_ref().and_then(|r| r.insts.get(i)) else {
            return;
        };
        for v in &inst.vips {
            match self.rtnl.add_address(v) {
                Ok(keepalived_netlink::Change::Done) => {
                    info!("({}) reload: added VIP {}", inst.cfg.name, v.addr)
                }
                Ok(keepalived_netlink::Change::AlreadySo) => {}
                Err(e) => error!("({}) reload: adding VIP {}: {e}", inst.cfg.name, v.addr),
            }
        }
    }

    // ---- the vrrp<->checker link (glue copied from the stub Worker) ----------------

    fn new_peer(&mut self, fds: Vec<OwnedFd>) {
        let Some(fd) = fds.into_iter().next() else {
            warn!("PeerLink without a descriptor ignored");
            return;
        };
        if let Some(old) = self.peer.take() {
            let _ = self.poller.deregister(&old.as_raw_fd());
        }
        let peer = match Channel::from_fd(fd) {
            Ok(p) => p,
            Err(e) => {
                warn!("opening the link to the checker: {e}");
                self.peer_stats.connected = false;
                return;
            }
        };
        if let Err(e) = self
            .poller
            .register(&peer, PEER, Interest::READABLE | Interest::WRITABLE)
        {
            warn!("watching the link to the checker: {e}");
        }
        self.peer = Some(peer);
        self.peer_stats.links += 1;
        self.peer_stats.connected = true;
        let states: Vec<InstanceState> = self
            .running
            .as_ref()
            .map(|r| r.insts.iter().map(report).collect())
            .unwrap_or_default();
        for s in states {
            self.send_peer(&s);
        }
    }

    fn send_peer(&mut self, s: &InstanceState) {
        let Some(c) = self.peer.as_mut() else {
            return;
        };
        match c.send(&VrrpToCheck::StateReport(s.clone())) {
            Ok(()) => self.peer_stats.sent += 1,
            Err(e) => debug!("link to the checker: {e}"),
        }
    }

    fn on_peer(&mut self, writable: bool) {
        let Some(c) = self.peer.as_mut() else {
            return;
        };
        let res = loop {
            if writable {
                if let Err(e) = c.flush() {
                    break Err(e);
                }
            }
            match c.recv() {
                Ok(Some(_)) => self.peer_stats.received += 1,
                Ok(None) => break Ok(()),
                Err(e) => break Err(e),
            }
        };
        if let Err(e) = res {
            info!("link to the checker closed: {e}");
            if let Some(old) = self.peer.take() {
                let _ = self.poller.deregister(&old.as_raw_fd());
            }
            self.peer_stats.connected = false;
        }
    }

    /// Reload: instances matched by VRID, family and interface keep their state (a MASTER
    /// keeps its VIPs; VIPs no longer configured are removed); the others are stopped
    /// (priority 0, VIPs removed) or started fresh. Sockets are reopened.
    fn reload(&mut self, config: &VersionedConfig) {
        let Some(old) = self.running.take() else {
            return;
        };
        let reloads = old.reloads + 1;
        let mut restore = HashMap::new();
        let new_keys: Vec<(String, MatchKey, Vec<IpAddr>)> = config
            .config
            .vrrp
            .instances
            .iter()
            .map(|c| {
                let g = &config.config.global;
                let p = Params::from_config(c, g);
                let fam = match c.family() {
                    keepalived_config::model::vrrp::Family::Inet => Family::V4,
                    keepalived_config::model::vrrp::Family::Inet6 => Family::V6,
                };
                (
                    c.name.clone(),
                    (p.vrid, fam, c.interface.clone().unwrap_or_default()),
                    c.vips
                        .iter()
                        .chain(c.evips.iter())
                        .map(|v| v.addr)
                        .collect(),
                )
            })
            .collect();
        let now = Instant::now();
        // Put the old instances back to run their shutdown outputs on the old sockets.
        let mut stop = Vec::new();
        let mut drop_vips: Vec<IfAddr> = Vec::new();
        for (i, inst) in old.insts.iter().enumerate() {
            let k = inst.match_key();
            match new_keys.iter().find(|(_, nk, _)| *nk == k) {
                Some((name, _, new_vips)) => {
                    restore.insert(name.clone(), inst.core.state());
                    if inst.core.vips_set() {
                        drop_vips.extend(
                            inst.vips
                                .iter()
                                .filter(|v| !new_vips.contains(&v.addr))
                                .cloned(),
                        );
                    }
                }
                None => stop.push(i),
            }
        }
        self.running = Some(old);
        for i in stop {
            info!(
                "({}) removed by the reload; stopping it",
                self.running
                    .as_ref()
                    .map_or("?", |r| r.insts[i].cfg.name.as_str())
            );
            if let Some(inst) = self.running.as_ref().and_then(|r| r.insts.get(i)) {
                self.notifier.deleting(&inst.core.params().name);
            }
            self.feed(i, now, Input::Shutdown);
        }
        for v in &drop_vips {
            if let Err(e) = self.rtnl.del_address(v) {
                warn!("removing VIP {} dropped by the reload: {e}", v.addr);
            }
        }
        let old = self.running.take().map(|r| r.socks).unwrap_or_default();
        // New sockets may reuse the old token numbers; clear all timers of old instances.
        self.timers = TimerQueue::new();
        info!(
            "reload: generation {}, {} instances keep their state",
            config.generation,
            restore.len()
        );
        self.load(config, &restore, old);
        if let Some(r) = self.running.as_mut() {
            r.reloads = reloads;
        }
    }

    // ---- inputs --------------------------------------------------------------------

    /// Reads every queued packet of socket `sidx`, `RX_BATCH` per `recvmmsg`, and feeds
    /// each to its instance.
    fn on_socket(&mut self, sidx: usize) {
        let Some(mut rxb) = self.rxb.take() else {
            return;
        };
        loop {
            let now = Instant::now();
            let Some(sock) = self.running.as_ref().and_then(|r| r.socks.get(sidx)) else {
                break;
            };
            let n = match sock.recv_batch(&mut rxb) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => {
                    self.rx_errors
                        .record("recv_err", now, || format!("VRRP receive: {e}"));
                    break;
                }
            };
            for (bytes, m) in rxb.iter() {
                self.on_packet(sidx, now, bytes, m);
            }
            // Fewer than asked for: the queue was empty (a later packet raises a new edge).
            if n < RX_BATCH {
                break;
            }
        }
        self.rxb = Some(rxb);
    }

    /// One packet read from socket `sidx`: demultiplexed by VRID, decoded and fed.
    fn on_packet(&mut self, sidx: usize, now: Instant, bytes: &[u8], m: &InMeta) {
        let Some(run) = self.running.as_ref() else {
            return;
        };
        let Some(sock) = run.socks.get(sidx) else {
            return;
        };
        let meta = sock.meta_of(bytes, m);
        let family = sock.config().family;
        // Demultiplex by VRID before decoding with the instance's configuration.
        let payload_off = match family {
            Family::V4 => {
                if bytes.len() < 20 {
                    None
                } else {
                    Some(usize::from(bytes[0] & 0x0f) * 4)
                }
            }
            Family::V6 => Some(0),
        };
        // Shorter than the fixed VRRP header: keepalived drops it before looking for
        // an instance, so it counts for the whole child only.
        let vrid = payload_off
            .filter(|o| bytes.len() >= o + 8)
            .and_then(|o| bytes.get(o + 1).copied());
        let Some(vrid) = vrid else {
            self.rx_errors.record("packet_len_err", now, || {
                format!(
                    "VRRP packet of {} bytes from {}: truncated",
                    meta.len, meta.src
                )
            });
            return;
        };
        let Some(&ii) = run.demux.get(&(sidx, vrid)) else {
            if run.log_unknown_vrids {
                // keepalived's line for every one; still counted.
                info!(
                    "{}",
                    crate::rxlog::unknown_vrid(vrid, &sock.config().ifname)
                );
                *self.rx_errors.counts.entry("unknown_vrid").or_default() += 1;
                return;
            }
            self.rx_errors.record("unknown_vrid", now, || {
                format!(
                    "VRRP advert from {} for VRID {vrid}: no such instance",
                    meta.src
                )
            });
            return;
        };
        let inst = &run.insts[ii];
        let decoded: Result<(IpAddr, Option<u8>, Advert), DecodeError> = match family {
            Family::V4 => {
                let (r, switched) = inst.csum.decode_ipv4(bytes, &inst.rx);
                if switched {
                    let name = &inst.core.params().name;
                    info!("({name}) Setting unicast VRRPv3 checksum to old version");
                }
                r.map(|(h, a)| (IpAddr::V4(h.src), Some(h.ttl), a))
            }
            Family::V6 => {
                let (src, dst) = match (meta.src, meta.dst) {
                    (IpAddr::V6(s), Some(IpAddr::V6(d))) => (s, d),
                    (IpAddr::V6(s), _) => (s, Ipv6Addr::UNSPECIFIED),
                    _ => (Ipv6Addr::UNSPECIFIED, Ipv6Addr::UNSPECIFIED),
                };
                let m = RxMeta {
                    endpoints: Endpoints::V6 { src, dst },
                    ttl: meta.ttl.unwrap_or(0),
                };
                packet::decode(bytes, &m, &inst.rx).map(|a| (IpAddr::V6(src), meta.ttl, a))
            }
        };
        match decoded {
            Ok((src, ttl, adv)) => {
                if inst.check_src {
                    if let Err(why) = crate::unicast::accept(&inst.cfg.unicast_peers, src, ttl) {
                        let name = inst.cfg.name.clone();
                        let (stat, ttl_err) = match why {
                            crate::unicast::PeerReject::NotPeer(_) => ("unicast_src_err", false),
                            crate::unicast::PeerReject::Ttl { .. } => ("ip_ttl_err", true),
                        };
                        self.rx_errors
                            .record(stat, now, || format!("({name}) {why}"));
                        if ttl_err {
                            if let Some(i) = self.running.as_mut().and_then(|r| r.insts.get_mut(ii))
                            {
                                i.core.count_rejected(packet::DecodeErrorKind::BadTtl);
                            }
                        }
                        return;
                    }
                }
                let vips_match = same_vips(&adv.addrs, &inst.addrs);
                let rx = RxAdvert {
                    src,
                    priority: adv.priority,
                    adver_int: adv.interval(),
                    addr_count: u8::try_from(adv.addrs.len()).unwrap_or(u8::MAX),
                    vips_match,
                };
                self.feed(ii, now, Input::Advert(rx));
            }
            Err(e) => {
                let name = inst.cfg.name.clone();
                let src = meta.src;
                self.rx_errors.record(e.kind().stat_name(), now, || {
                    format!("({name}) advert from {src}: {e}")
                });
                if let Some(i) = self.running.as_mut().and_then(|r| r.insts.get_mut(ii)) {
                    i.core.count_rejected(e.kind());
                }
            }
        }
    }

    fn on_monitor(&mut self) {
        let Some(m) = self.monitor.as_mut() else {
            return;
        };
        let events = match m.read_events() {
            Ok(e) => e,
            Err(e) => {
                warn!("{e}");
                return;
            }
        };
        let now = Instant::now();
        let mut restore = false;
        let mut rebuild = false;
        for ev in events {
            match ev {
                NlEvent::Link(l) => self.link_changed(l.ifindex, l.is_usable(), &l.name, now),
                NlEvent::LinkRemoved(l) => {
                    if let Some(n) = self.vmacs.name_of(l.ifindex) {
                        warn!("VMAC interface {n} was deleted; re-creating it");
                        rebuild = true;
                    }
                    self.link_changed(l.ifindex, false, &l.name, now)
                }
                NlEvent::AddrRemoved(a) => {
                    restore |= self.installed.is_static_addr(a.ifindex, a.addr);
                    self.addr_removed(a.ifindex, a.addr)
                }
                NlEvent::RouteRemoved(r) | NlEvent::RuleRemoved(r) => {
                    restore |= r.protocol == keepalived_netlink::RTPROT_KEEPALIVED;
                }
                NlEvent::AddrAdded(_) => {}
                NlEvent::Overrun => {
                    warn!("rtnetlink monitor overrun; re-reading links");
                    if let Ok(links) = self.rtnl.links() {
                        for l in links {
                            self.link_changed(l.ifindex, l.is_usable(), &l.name, now);
                        }
                    }
                    restore = true;
                }
            }
        }
        if restore {
            self.installed.restore(&mut self.rtnl);
        }
        if let Some(c) = self.config.clone().filter(|_| rebuild) {
            // A reload to the same configuration re-creates the VMAC, reopens its socket
            // and puts a MASTER's VIPs back, keeping every instance's state.
            self.reload(&c);
        }
    }

    fn link_changed(&mut self, ifindex: u32, usable: bool, name: &str, now: Instant) {
        if let Some(t) = self.tracker.as_mut() {
            t.link_changed(name, usable);
        }
        self.apply_tracking(now);
        let was = self.links.insert(ifindex, usable).unwrap_or(true);
        if was == usable {
            return;
        }
        info!(
            "Netlink reports {name} {}",
            if usable { "up" } else { "down" }
        );
        let targets: Vec<usize> = self
            .running
            .as_ref()
            .map(|r| {
                r.insts
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| i.ifindex == ifindex)
                    .map(|(n, _)| n)
                    .collect()
            })
            .unwrap_or_default();
        for i in targets {
            let input = if usable {
                Input::LinkUp
            } else {
                Input::LinkDown
            };
            self.feed_own_fault(i, now, input);
        }
    }

    /// A VIP deleted by hand while MASTER is put back (keepalived does the same).
    fn addr_removed(&mut self, ifindex: u32, addr: IpAddr) {
        let Some(run) = self.running.as_ref() else {
            return;
        };
        let specs: Vec<(String, IfAddr)> = run
            .insts
            .iter()
            .filter(|i| i.core.state() == State::Master && i.core.vips_set())
            .flat_map(|i| {
                i.vips
                    .iter()
                    .filter(|v| v.ifindex == ifindex && v.addr == addr)
                    .map(|v| (i.cfg.name.clone(), v.clone()))
            })
            .collect();
        for (name, spec) in specs {
            warn!("({name}) VIP {addr} was removed while MASTER; restoring it");
            if let Err(e) = self.rtnl.add_address(&spec) {
                error!("({name}) restoring VIP {addr}: {e}");
            }
        }
    }

    // ---- outputs -------------------------------------------------------------------

    /// Feeds one input to instance `i` and executes what it asks.
    /// keepalived's GARP/NA spacing per interface: the global `vrrp_garp_interval` /
    /// `vrrp_gna_interval`, overridden for the interfaces of a `garp_group`.
    fn set_garp_gaps(&mut self, config: &VersionedConfig, links: &[keepalived_netlink::Link]) {
        let g = &config.config.global;
        self.garp_default = (g.vrrp_garp_interval, g.vrrp_gna_interval);
        self.garp_gaps.clear();
        for grp in &config.config.vrrp.garp_groups {
            for name in &grp.interfaces {
                if let Some(l) = links.iter().find(|l| &l.name == name) {
                    self.garp_gaps.insert(
                        l.ifindex,
                        (
                            grp.garp_interval.unwrap_or(self.garp_default.0),
                            grp.gna_interval.unwrap_or(self.garp_default.1),
                        ),
                    );
                }
            }
        }
    }

    /// Sends the paced GARPs/NAs whose turn has come.
    fn send_paced(&mut self, now: Instant) {
        if self.pacer.next_deadline().is_none_or(|d| d > now) {
            return;
        }
        let (gaps, dflt) = (&self.garp_gaps, self.garp_default);
        let due = self.pacer.due(now, |ifindex, v6| {
            let g = gap_of(gaps, dflt, ifindex);
            if v6 {
                g.1
            } else {
                g.0
            }
        });
        if let Some(a) = self.announcer.as_ref() {
            for f in due {
                if let Err(e) = announce(a, &f) {
                    debug!("paced GARP/NA: {e}");
                }
            }
        }
    }

    fn feed(&mut self, i: usize, now: Instant, input: Input) {
        let Some(run) = self.running.as_mut() else {
            return;
        };
        let Some(inst) = run.insts.get_mut(i) else {
            return;
        };
        // One buffer for every input (taken, so `execute` may feed again).
        let mut outs = std::mem::take(&mut self.outs);
        inst.core.handle_into(now, input, &mut outs);
        for o in outs.drain(..) {
            self.execute(i, o);
        }
        self.outs = outs;
    }

    fn execute(&mut self, i: usize, o: Output) {
        let dont_release = self.opts.dont_release_vrrp;
        let Some(run) = self.running.as_mut() else {
            return;
        };
        let Running { insts, socks, .. } = run;
        let Some(inst) = insts.get_mut(i) else {
            return;
        };
        let name = inst.cfg.name.clone();
        if !matches!(o, Output::SendAdvert { .. }) && !self.txq.is_empty() {
            // Whatever else an instance does goes after the adverts decided before it.
            self.flush_adverts();
            return self.execute(i, o);
        }
        match o {
            Output::SendAdvert { priority } => {
                let keep = self.standin.wants(i, priority);
                let sent = send_advert(
                    inst,
                    socks,
                    priority,
                    keep,
                    self.queuing.then_some(&mut self.txq),
                    i,
                );
                let interval = inst.core.params().advert_int;
                let sock = socks.get(inst.sock).map(|s| (inst.sock, s));
                let msgs = self
                    .standin
                    .on_advert((i, &name), priority, interval, sock, sent);
                for (m, fds) in msgs {
                    if let Err(e) = self.chan.send_with_fds(&m, fds) {
                        debug!("({name}) stand-in adverts for the parent: {e}");
                    }
                }
            }
            Output::AddVips => {
                for v in &inst.vips {
                    match self.rtnl.add_address(v) {
                        Ok(_) => debug!("({name}) added VIP {}/{}", v.addr, v.prefix_len),
                        Err(e) => error!("({name}) adding VIP {}: {e}", v.addr),
                    }
                }
                self.installed
                    .master(&mut self.rtnl, inst.match_key(), &name, &inst.routes);
            }
            Output::RemoveVips => {
                let stopping = inst.core.state() == State::Stop;
                if stopping && dont_release {
                    info!("({name}) -V: leaving the VIPs in place");
                    return;
                }
                self.installed
                    .leave(&mut self.rtnl, &inst.match_key(), &name, &inst.routes);
                for v in &inst.vips {
                    match self.rtnl.del_address(v) {
                        Ok(_) => debug!("({name}) removed VIP {}/{}", v.addr, v.prefix_len),
                        Err(e) => error!("({name}) removing VIP {}: {e}", v.addr),
                    }
                }
            }
            Output::SendGarp { burst, repeat } => {
                let Some(a) = self.announcer.as_ref() else {
                    return;
                };
                debug!("({name}) GARP/NA burst {burst:?} x{repeat}");
                let now = Instant::now();
                for _ in 0..repeat {
                    for (k, v) in inst.vips.iter().enumerate() {
                        let (f, gap) = match v.addr {
                            IpAddr::V4(ip) => (
                                Frame::Arp {
                                    ifindex: v.ifindex,
                                    mac: inst.mac,
                                    ip,
                                },
                                gap_of(&self.garp_gaps, self.garp_default, v.ifindex).0,
                            ),
                            IpAddr::V6(ip) => (
                                Frame::Na {
                                    ifindex: v.ifindex,
                                    mac: inst.mac,
                                    ip,
                                    router: inst.ipv6_router,
                                },
                                gap_of(&self.garp_gaps, self.garp_default, v.ifindex).1,
                            ),
                        };
                        let rank = ((i as u64) << 32) | k as u64;
                        if let Some(f) = self.pacer.push(now, f, rank, gap) {
                            if let Err(e) = announce(a, &f) {
                                debug!("({name}) {e}");
                            }
                        }
                    }
                }
            }
            Output::SetTimer { kind, at } => {
                self.timers.set(Timer::Inst(i, kind), at);
            }
            Output::CancelTimer { kind } => {
                self.timers.cancel(&Timer::Inst(i, kind));
            }
            Output::StateChanged { from, to } => {
                if from == to {
                    return;
                }
                info!("({name}) Entering {} STATE", state_word(to));
                if to != State::Master {
                    if let Some(m) = self.standin.withdraw(i) {
                        let _ = self.chan.send(&m);
                    }
                    // keepalived drops the delayed GARPs of an instance leaving MASTER.
                    let mac = inst.mac;
                    let ours: Vec<IpAddr> = inst.vips.iter().map(|v| v.addr).collect();
                    self.pacer.forget(|f| match *f {
                        Frame::Arp { mac: m, ip, .. } => {
                            m != mac || !ours.contains(&IpAddr::V4(ip))
                        }
                        Frame::Na { mac: m, ip, .. } => m != mac || !ours.contains(&IpAddr::V6(ip)),
                    });
                }
                let r = report(inst);
                let priority = inst.core.effective_priority();
                self.send_peer(&r);
                let _ = self.send(&VrrpToParent::StateReport(r));
                let ev = NotifyEvent::Instance {
                    name,
                    state: to,
                    priority,
                };
                self.state_changed(i, ev);
            }
            Output::WantMaster => {
                debug!("({name}) down timer expired; asking its sync group");
                for a in self.sync_evaluate(i) {
                    self.sync_action(i, a);
                }
            }
            Output::MasterRxLowerPriority { src } => {
                debug!("({name}) MASTER received lower priority advert from {src}");
                let priority = inst.core.effective_priority();
                let ev = NotifyEvent::MasterRxLowerPri { name, priority };
                self.notifier.event(&ev, Instant::now());
            }
            Output::Log(ev) => {
                log_event(&name, &ev);
                if let LogEvent::PriorityChanged { to, .. } = ev {
                    let state = inst.core.state();
                    let ev = NotifyEvent::PriorityChanged {
                        name,
                        state,
                        priority: to,
                    };
                    self.notifier.event(&ev, Instant::now());
                }
            }
        }
    }

    // ---- dumps ---------------------------------------------------------------------

    fn dump_body(&mut self, kind: DumpKind) -> String {
        let pid = std::process::id();
        let up = self.started.elapsed().as_secs();
        let Some(run) = &self.running else {
            return match kind {
                DumpKind::Json => {
                    json!({"role": "vrrp", "pid": pid, "generation": null}).to_string()
                }
                _ => format!(" Role = vrrp\n Pid = {pid}\n (no configuration yet)\n"),
            };
        };
        match kind {
            DumpKind::Json => {
                let instances: Vec<_> = run
                    .insts
                    .iter()
                    .enumerate()
                    .map(|(idx, i)| {
                        let (msrc, mprio) = i.core.master();
                        json!({
                            "iname": i.cfg.name,
                            "name": i.cfg.name,
                            "vrid": i.core.params().vrid,
                            "state": state_word(i.core.state()),
                            "ifp_ifname": i.ifname,
                            "priority": i.core.params().priority,
                            "effective_priority": i.core.effective_priority(),
                            "master_saddr": msrc.map(|a| a.to_string()),
                            "master_priority": mprio,
                            "vipset": i.core.vips_set(),
                            "stats": i.core.stats(),
                            "tracking": self.tracker.as_ref().map(|t| t.json_instance(idx)),
                        })
                    })
                    .collect();
                let configured: Vec<_> = run
                    .configured
                    .iter()
                    .map(|(n, v)| json!({"name": n, "vrid": v}))
                    .collect();
                json!({
                    "role": "vrrp",
                    "pid": pid,
                    "generation": run.generation,
                    "reloads": run.reloads,
                    "uptime_secs": up,
                    "config": {"source": run.source, "instances": configured},
                    "instances": instances,
                    "restored": {"instances": self.restored, "real_servers": 0},
                    "peer": {
                        "links": self.peer_stats.links,
                        "connected": self.peer_stats.connected,
                        "received": self.peer_stats.received,
                        "sent": self.peer_stats.sent,
                    },
                    "rx_errors": self.rx_errors.counts,
                    "notify": self.notifier.stats(),
                })
                .to_string()
            }
            DumpKind::Stats | DumpKind::StatsClear => {
                let mut s = format!(
                    " Role = vrrp\n Pid = {pid}\n Uptime = {up} s\n Messages from parent = {}\n Reloads = {}\n Sibling links = {} ({}), messages received = {}, sent = {}\n",
                    self.received,
                    run.reloads,
                    self.peer_stats.links,
                    if self.peer_stats.connected { "connected" } else { "down" },
                    self.peer_stats.received,
                    self.peer_stats.sent
                );
                for i in &run.insts {
                    let st = i.core.stats();
                    // keepalived's layout (vrrp_print.c), field for field.
                    s.push_str(&format!(
                        "VRRP Instance: {}\n  Advertisements:\n    Received: {}\n    Sent: {}\n  Became master: {}\n  Released master: {}\n  Packet Errors:\n    Length: {}\n    TTL: {}\n    Invalid Type: {}\n    Advertisement Interval: {}\n    Address List: {}\n  Authentication Errors:\n    Invalid Type: {}\n    Type Mismatch: {}\n    Failure: {}\n  Priority Zero:\n    Received: {}\n    Sent: {}\n",
                        i.cfg.name,
                        st.advert_rcvd,
                        st.advert_sent,
                        st.become_master,
                        st.release_master,
                        st.packet_len_err,
                        st.ip_ttl_err,
                        st.invalid_type_rcvd,
                        st.advert_interval_err,
                        st.addr_list_err,
                        st.invalid_authtype,
                        st.authtype_mismatch,
                        st.auth_failure,
                        st.pri_zero_rcvd,
                        st.pri_zero_sent
                    ));
                }
                let n = self.notifier.stats();
                s.push_str(&format!(
                    " Notify scripts: started {}, failed {}, timed out {}, superseded {}, spawn errors {}\n Notify FIFO lines: written {}, dropped {}\n",
                    n.started, n.failed, n.timed_out, n.superseded, n.spawn_errors, n.fifo_lines, n.fifo_dropped
                ));
                s.push_str(" Receive errors (all instances):\n");
                for (k, v) in &self.rx_errors.counts {
                    s.push_str(&format!("    {k}: {v}\n"));
                }
                if kind == DumpKind::StatsClear {
                    self.rx_errors.counts.clear();
                    if let Some(r) = self.running.as_mut() {
                        r.insts.iter_mut().for_each(|i| i.core.clear_stats());
                    }
                }
                s
            }
            DumpKind::Data => {
                let mut s = format!(
                    " Role = vrrp\n Pid = {pid}\n Configuration generation = {}\n",
                    run.generation
                );
                for (idx, i) in run.insts.iter().enumerate() {
                    let (msrc, mprio) = i.core.master();
                    s.push_str(&format!(
                        " VRRP Instance = {} (vrid {}) State = {}\n   Interface = {}\n   Priority = {}\n   Effective priority = {}\n   Advert interval = {:?}\n   Master router = {}\n   Master priority = {}\n   Virtual IP = {}\n",
                        i.cfg.name,
                        i.core.params().vrid,
                        state_word(i.core.state()),
                        i.ifname,
                        i.core.params().priority,
                        i.core.effective_priority(),
                        i.core.params().advert_int,
                        msrc.map(|a| a.to_string()).unwrap_or_default(),
                        mprio,
                        i.vips.len()
                    ));
                    if let Some(t) = &self.tracker {
                        s.push_str(&t.dump_instance(idx));
                    }
                }
                if let Some(t) = &self.tracker {
                    s.push_str(&t.dump_global());
                }
                s
            }
        }
    }
}

fn gap_of(
    gaps: &HashMap<u32, (Duration, Duration)>,
    dflt: (Duration, Duration),
    ifindex: u32,
) -> (Duration, Duration) {
    gaps.get(&ifindex).copied().unwrap_or(dflt)
}

fn announce(a: &Announcer, f: &Frame) -> Result<(), String> {
    match *f {
        Frame::Arp { ifindex, mac, ip } => a.send_garp(ifindex, mac, ip).map_err(|e| e.to_string()),
        Frame::Na {
            ifindex,
            mac,
            ip,
            router,
        } => a
            .send_unsolicited_na(ifindex, mac, ip, router)
            .map_err(|e| e.to_string()),
    }
}

/// keepalived's address-list check: as many addresses as ours, each of ours among them.
fn same_vips(theirs: &VirtualAddrs, ours: &VirtualAddrs) -> bool {
    match (theirs, ours) {
        (VirtualAddrs::V4(t), VirtualAddrs::V4(o)) => {
            t.len() == o.len() && o.iter().all(|a| t.contains(a))
        }
        (VirtualAddrs::V6(t), VirtualAddrs::V6(o)) => {
            t.len() == o.len() && o.iter().all(|a| t.contains(a))
        }
        _ => false,
    }
}

/// Encodes and sends one advert to the group or each unicast peer; with `keep`, returns
/// what it sent (for the stand-in adverts).
fn send_advert(
    inst: &mut Inst,
    socks: &[VrrpSocket],
    priority: u8,
    keep: bool,
    queue: Option<&mut Vec<QueuedAdvert>>,
    idx: usize,
) -> Vec<(IpAddr, Vec<u8>)> {
    let mut queue = queue;
    let mut sent = Vec::new();
    let Some(sock) = socks.get(inst.sock) else {
        return sent;
    };
    let p = inst.core.params();
    let adver_int = match inst.version {
        Version::V2 => u16::try_from(p.advert_int.as_secs()).unwrap_or(255),
        Version::V3 => u16::try_from(p.advert_int.as_millis() / 10).unwrap_or(0x0fff),
    };
    let advert = Advert {
        version: inst.version,
        vrid: p.vrid,
        priority,
        adver_int,
        auth: inst.auth,
        addrs: inst.addrs.clone(),
        checksum: 0,
    };
    for dst in inst.dsts.clone() {
        let bytes = match (inst.src, dst) {
            (IpAddr::V4(s), IpAddr::V4(d)) => {
                inst.ip_id = packet::next_ip_id(inst.ip_id);
                inst.csum
                    .encode_ipv4(&advert, s, d, inst.ttl, inst.ip_id, inst.v3_checksum_as_v2)
            }
            (IpAddr::V6(s), IpAddr::V6(d)) => packet::encode(
                &advert,
                &TxChecksum {
                    endpoints: Endpoints::V6 { src: s, dst: d },
                    v3_checksum_as_v2: false,
                },
            ),
            _ => {
                warn!(
                    "({}) advert to {dst}: family differs from the source {}",
                    inst.cfg.name, inst.src
                );
                continue;
            }
        };
        if keep {
            sent.push((dst, bytes.clone()));
        }
        if let Some(q) = queue.as_mut() {
            q.push(QueuedAdvert {
                sock: inst.sock,
                dst,
                src: inst.src,
                bytes,
                inst: idx,
            });
        } else if let Err(e) = sock.send_from(&bytes, dst, Some(inst.src)) {
            debug!("({}) {e}", inst.cfg.name);
        }
    }
    sent
}

/// The supervisor's test hook (`KEEPALIVED_RS_TEST_GARBAGE`, see its `options.rs`): when
/// the token file `<base>.vrrp` exists, it is removed and the dump answer is garbage.
fn test_garbage_hook() -> bool {
    let Some(base) = std::env::var_os("KEEPALIVED_RS_TEST_GARBAGE") else {
        return false;
    };
    let mut token = base;
    token.push(".vrrp");
    std::fs::remove_file(&token).is_ok()
}

pub(crate) fn addr_spec(v: &IpAddress, ifindex: u32) -> IfAddr {
    let mut s = IfAddr::new(ifindex, v.addr, v.prefix);
    if let Some(sc) = &v.scope {
        s.scope = scope_number(sc);
    }
    if let IpAddr::V4(a) = v.addr {
        s.label = v.label.clone();
        let mask = if v.prefix >= 32 {
            u32::MAX
        } else {
            !(u32::MAX >> v.prefix)
        };
        s.broadcast = match &v.broadcast {
            Some(Broadcast::Addr(IpAddr::V4(b))) => Some(*b),
            Some(Broadcast::Plus) => Some(Ipv4Addr::from(u32::from(a) | !mask)),
            Some(Broadcast::Minus) => Some(Ipv4Addr::from(u32::from(a) & mask)),
            _ => None,
        };
    }
    if let Some((peer, _)) = v.peer {
        s.peer = Some(peer);
    }
    if v.nodad && v.addr.is_ipv6() {
        s.flags |= 0x02; // IFA_F_NODAD (IfAddr::new sets it for IPv6 already)
    }
    s.preferred_lft = v.preferred_lft;
    s
}

fn scope_number(s: &str) -> u8 {
    match s {
        "global" | "universe" => libc::RT_SCOPE_UNIVERSE,
        "site" => libc::RT_SCOPE_SITE,
        "link" => libc::RT_SCOPE_LINK,
        "host" => libc::RT_SCOPE_HOST,
        "nowhere" => libc::RT_SCOPE_NOWHERE,
        n => n.parse().unwrap_or(libc::RT_SCOPE_UNIVERSE),
    }
}

fn state_word(s: State) -> &'static str {
    match s {
        State::Init => "INIT",
        State::Backup => "BACKUP",
        State::Master => "MASTER",
        State::Fault => "FAULT",
        State::Stop => "STOP",
    }
}

fn to_ipc(s: State) -> VrrpState {
    match s {
        State::Init => VrrpState::Init,
        State::Backup => VrrpState::Backup,
        State::Master => VrrpState::Master,
        State::Fault => VrrpState::Fault,
        State::Stop => VrrpState::Stop,
    }
}

fn from_ipc(s: VrrpState) -> State {
    match s {
        VrrpState::Init => State::Init,
        VrrpState::Backup => State::Backup,
        VrrpState::Master => State::Master,
        VrrpState::Fault => State::Fault,
        VrrpState::Stop => State::Stop,
    }
}

fn report(i: &Inst) -> InstanceState {
    InstanceState {
        name: i.cfg.name.clone(),
        vrid: i.core.params().vrid,
        state: to_ipc(i.core.state()),
    }
}

/// keepalived-like log lines for the state machine's events (state entries are logged
/// from `StateChanged`).
fn log_event(name: &str, ev: &LogEvent) {
    match ev {
        LogEvent::EnteringBackup | LogEvent::EnteringMaster | LogEvent::EnteringFault => {}
        LogEvent::Stopped => info!("({name}) Stopped"),
        LogEvent::Restored(s) => info!(
            "({name}) resumed in {} STATE (restart or reload)",
            state_word(*s)
        ),
        LogEvent::BackupReceivedPriorityZero => {
            info!("({name}) Backup received priority 0 advertisement")
        }
        LogEvent::MasterReceivedPriorityZero => {
            info!("({name}) Master received priority 0 advertisement")
        }
        LogEvent::SentPriorityZero => info!("({name}) sent 0 priority"),
        LogEvent::MasterReceivedHigher { src, priority, ours } => info!(
            "({name}) Master received advert from {src} with higher priority {priority}, ours {ours}"
        ),
        LogEvent::MasterReceivedLower {
            src,
            priority,
            ours,
            ..
        } => info!(
            "({name}) Master received advert from {src} with lower priority {priority}, ours {ours}"
        ),
        LogEvent::RxError(e) => warn!("({name}) {e}"),
        other => debug!("({name}) {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keepalived_config::diag::Loc;

    fn vip(text: &str, prefix: u8) -> IpAddress {
        IpAddress {
            addr: text.parse().expect("address"),
            prefix,
            dev: None,
            scope: None,
            broadcast: None,
            label: None,
            peer: None,
            home: false,
            nodad: false,
            mngtmpaddr: false,
            noprefixroute: false,
            autojoin: false,
            no_track: false,
            preferred_lft: None,
            use_vmac: false,
            track_group: None,
            loc: Loc::new("test.conf", 1),
        }
    }

    #[test]
    fn addr_spec_maps_brd_scope_label_peer() {
        let mut v = vip("192.0.2.100", 24);
        v.broadcast = Some(Broadcast::Plus);
        v.scope = Some("link".into());
        v.label = Some("eth0:vip".into());
        let s = addr_spec(&v, 7);
        assert_eq!(s.ifindex, 7);
        assert_eq!(s.prefix_len, 24);
        assert_eq!(s.broadcast, Some(Ipv4Addr::new(192, 0, 2, 255)));
        assert_eq!(s.scope, libc::RT_SCOPE_LINK);
        assert_eq!(s.label.as_deref(), Some("eth0:vip"));
        v.broadcast = Some(Broadcast::Minus);
        assert_eq!(
            addr_spec(&v, 7).broadcast,
            Some(Ipv4Addr::new(192, 0, 2, 0))
        );
        let mut v6 = vip("2001:db8::100", 64);
        v6.label = Some("ignored".into());
        v6.peer = Some(("2001:db8::1".parse().expect("peer"), 128));
        let s6 = addr_spec(&v6, 3);
        assert_eq!(s6.label, None, "labels are IPv4 only");
        assert_eq!(s6.peer, Some("2001:db8::1".parse().expect("peer")));
        assert_ne!(s6.flags & 0x02, 0, "IPv6 VIPs are added without DAD");
    }

    #[test]
    fn scope_names_and_numbers() {
        assert_eq!(scope_number("host"), libc::RT_SCOPE_HOST);
        assert_eq!(scope_number("global"), libc::RT_SCOPE_UNIVERSE);
        assert_eq!(scope_number("253"), 253);
        assert_eq!(scope_number("bogus"), libc::RT_SCOPE_UNIVERSE);
    }

    #[test]
    fn rx_errors_count_every_packet_and_log_once_per_period() {
        let mut e = RxErrors::default();
        let t = Instant::now();
        let logged = (0..100u64)
            .filter(|i| e.record("chk_err", t + Duration::from_millis(*i), String::new))
            .count();
        assert_eq!(e.counts["chk_err"], 100);
        assert_eq!(logged, 1);
        assert!(e.record("chk_err", t + RX_ERROR_LOG_EVERY, String::new));
        assert!(
            e.record("bad_ttl", t, String::new),
            "kinds are limited separately"
        );
    }
}
