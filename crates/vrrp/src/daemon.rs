//! The VRRP child's event loop: [`run`] is called by the supervisor's `child_main` for the
//! hidden `--child vrrp` command line. It speaks the parent protocol (hello, `Start`,
//! `Ready`, `StateReport`, `Dump`, `Reload`, `Shutdown`), runs one sans-IO
//! [`Instance`] per `vrrp_instance` and is the thin adapter between them and the world:
//! raw VRRP sockets shared per (interface, family, unicast source, group) and
//! demultiplexed by VRID, VIPs through rtnetlink, GARP/NA through `AF_PACKET`, link events
//! from the rtnetlink monitor, deadlines in a [`TimerQueue`].
//!
//! The parent-channel pump (draining, `send`, `parent_gone`) is [`keepalived_ipc::ParentLink`],
//! shared with the checker child; `daemon/parent.rs` implements its message dispatch.
//!
//! This file holds the shared state, the start-up and the event loop; the rest is in child
//! modules (`impl Daemon` blocks): `parent` (the parent channel and the checker link), `load`
//! (instances and sockets from a configuration, reload), `tracking` (tracker hooks), `rx`
//! (socket reads, advert checks), `tx` (advert sending and batching, GARP/NA pacing),
//! `monitor` (rtnetlink link/address events), `exec` (`feed`/`execute`: outputs to the world),
//! `dump` (the parent's dumps and stats).
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
use std::net::{IpAddr, Ipv4Addr};
use std::os::fd::OwnedFd;
use std::time::{Duration, Instant};

use keepalived_config::model::vrrp::{Broadcast, IpAddress, UnicastPeer};
use keepalived_event::{Interest, Poller, Signals, TimerQueue, Token};
use keepalived_ipc::{
    Channel, CheckToVrrp, Flow, InstanceState, ParentLink, ParentToVrrp, VersionedConfig,
    VrrpState, VrrpToCheck, VrrpToParent, EXIT_PROGRAM_ERROR,
};
use keepalived_netlink::{IfAddr, Monitor, Rtnl};
use keepalived_sys::mmsg::RecvBatch;
use log::{error, info, warn};

use crate::events::{Input, Output, State, TimerKind};
use crate::instance::Instance;
use crate::network::pace::Pacer;
use crate::network::{Announcer, Family, VrrpSocket};
use crate::notify::glue::Notifier;
use crate::packet::{RxConfig, V2Auth, Version, VirtualAddrs};
use crate::sync::SyncGroup;

mod dump;
mod exec;
mod load;
mod monitor;
mod notify_sync;
mod parent;
mod rx;
mod tracking;
mod tx;

use crate::routes::{Installed, RouteSet};
use crate::standin::StandInTx;
use crate::tracker::Tracker;
use crate::vmac::Vmacs;

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
