//! Inputs and outputs of the sans-IO VRRP instance ([`crate::instance::Instance::handle`]):
//! plain serde enums so tests can record and replay them. The VRRP child's adapters turn
//! sockets, netlink and timers into [`Input`]s and execute the [`Output`]s.

use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// Instance states (keepalived `vrrp.h`: INIT 0, BACKUP 1, MASTER 2, FAULT 3, STOP 98).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum State {
    Init,
    Backup,
    Master,
    Fault,
    /// Left after `Shutdown` (keepalived's STOP, reported to `notify_stop`).
    Stop,
}

/// A received advertisement after the packet layer checked length, version, type,
/// TTL/hop limit, checksum, authentication and VRID: the facts the state machine needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RxAdvert {
    /// IP source of the packet (the sender's primary address).
    pub src: IpAddr,
    pub priority: u8,
    /// v2: Adver Int (seconds); v3: Max Adver Int (centiseconds), converted.
    pub adver_int: Duration,
    /// Count IP Addrs of the packet.
    pub addr_count: u8,
    /// The packet's address list matches ours: the same count, each of ours present (in
    /// any order, as keepalived's `vrrp_in_chk_vips`).
    pub vips_match: bool,
}

/// The timers an instance owns; at most one deadline each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TimerKind {
    /// BACKUP: Master_Down_Timer.
    MasterDown,
    /// MASTER: Adver_Timer.
    Advert,
    /// MASTER: the second GARP/NA burst `garp_master_delay` after becoming master.
    GarpDelayed,
    /// MASTER: the burst `garp_lower_prio_delay` after a lower-priority advert.
    GarpLowerPrioDelayed,
}

/// What the instance is told.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Input {
    /// Begin running (keepalived's `vrrp_init_state`).
    Start,
    Advert(RxAdvert),
    /// A deadline set by [`Output::SetTimer`] was reached.
    TimerExpired(TimerKind),
    /// The instance's interface went down / came back (netlink monitor).
    LinkDown,
    LinkUp,
    /// The total priority from tracking (base + weights); clamped to 1..=254, ignored
    /// for an address owner.
    PriorityChanged(i32),
    /// A weight-0 tracker (script, interface, file) is failing (`true`) or none is any
    /// more (`false`): keepalived's FAULT for trackers, independent of the link.
    TrackFault(bool),
    /// Stop the instance (SIGTERM, deletion on reload).
    Shutdown,
    /// Hitless restart: begin in the state the previous VRRP child reported, keeping
    /// the VIPs of a MASTER where they are.
    RestoreState(State),
    /// Sync group ([`crate::sync`]): every member wants MASTER, or another member became
    /// MASTER: become MASTER now (from BACKUP only).
    SyncMaster,
    /// Sync group: another member left MASTER for BACKUP, or the group leaves FAULT.
    SyncBackup,
    /// Sync group: another member is in FAULT; stay in FAULT until [`Input::SyncBackup`].
    SyncFault,
}

/// Which GARP/unsolicited-NA burst is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum GarpBurst {
    /// On becoming MASTER (`garp_master_repeat`).
    Master,
    /// `garp_master_delay` after becoming MASTER.
    MasterDelayed,
    /// Every `garp_master_refresh` (`garp_master_refresh_repeat`).
    Refresh,
    /// On a lower-priority advert (`garp_lower_prio_repeat`).
    LowerPrio,
    /// `garp_lower_prio_delay` after it.
    LowerPrioDelayed,
}

/// Log lines of the state machine, one variant per message so logs are uniform.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LogEvent {
    EnteringBackup,
    EnteringMaster,
    EnteringFault,
    Stopped,
    Restored(State),
    BackupReceivedPriorityZero,
    MasterReceivedPriorityZero,
    SentPriorityZero,
    LowerPriorityDiscarded {
        src: IpAddr,
        priority: u8,
    },
    MasterReceivedLower {
        src: IpAddr,
        priority: u8,
        ours: u8,
        forcing_election: bool,
    },
    MasterReceivedHigher {
        src: IpAddr,
        priority: u8,
        ours: u8,
    },
    MasterReceivedEqualHigherIp {
        src: IpAddr,
        priority: u8,
    },
    EqualPriorityFromOurAddress {
        src: IpAddr,
    },
    BothAddressOwners {
        src: IpAddr,
    },
    AdvertIntervalUpdated {
        from: Duration,
        to: Duration,
    },
    PreemptDelayStarted {
        until_us: u64,
    },
    PreemptDelayStopped,
    PriorityChanged {
        from: u8,
        to: u8,
    },
    /// Rate-limited (once per kind until the state changes).
    RxError(RxError),
}

/// Receive problems found by the state machine (the packet layer reports its own).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RxError {
    /// v2: Adver Int differs from ours; the advert is dropped (RFC 3768 §7.1).
    IntervalMismatch { ours: Duration, received: Duration },
    /// v3: Max Adver Int 0; dropped (RFC 9568 erratum 8301).
    ZeroInterval,
    /// Count IP Addrs or the addresses differ from ours: dropped and logged (as keepalived),
    /// unless `skip_check_adv_addr` spares the current master's adverts.
    AddressListMismatch { received: u8, expected: u8 },
    /// An address owner with `owner_ignore_adverts` drops every advert.
    OwnerIgnoresAdverts { src: IpAddr },
}

impl std::fmt::Display for RxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // keepalived's wording, so operators' log filters keep working.
        match self {
            RxError::IntervalMismatch { ours, received } => write!(
                f,
                "advertisement interval mismatch mine={} sec rcved={} sec",
                ours.as_secs(),
                received.as_secs()
            ),
            RxError::ZeroInterval => write!(f, "advertisement interval 0 - dropping"),
            RxError::AddressListMismatch { received, expected } => write!(
                f,
                "received an invalid ip number count {received}, expected {expected}!"
            ),
            RxError::OwnerIgnoresAdverts { src } => write!(
                f,
                "Dropping packet(s) from {src} since we are address owner"
            ),
        }
    }
}

impl RxError {
    /// Rate-limit key.
    pub fn kind(&self) -> u8 {
        match self {
            RxError::IntervalMismatch { .. } => 0,
            RxError::ZeroInterval => 1,
            RxError::AddressListMismatch { .. } => 2,
            RxError::OwnerIgnoresAdverts { .. } => 3,
        }
    }
}

/// What the adapters must do, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Output {
    SendAdvert {
        priority: u8,
    },
    /// Add VIPs, eVIPs, virtual routes and rules.
    AddVips,
    /// Remove them.
    RemoveVips,
    SendGarp {
        burst: GarpBurst,
        repeat: u32,
    },
    SetTimer {
        kind: TimerKind,
        #[serde(with = "mono")]
        at: Instant,
    },
    CancelTimer {
        kind: TimerKind,
    },
    StateChanged {
        from: State,
        to: State,
    },
    /// A sync-group member's Master_Down_Timer expired: it goes MASTER only when its
    /// group says so ([`Input::SyncMaster`]).
    WantMaster,
    /// MASTER saw a lower-priority advert (`notify_master_rx_lower_pri`).
    MasterRxLowerPriority {
        src: IpAddr,
    },
    Log(LogEvent),
}

/// Serialises an [`Instant`] as whole microseconds since a process-wide epoch
/// ([`mono::epoch`]), so recorded outputs are stable when the inputs' times are taken
/// relative to the same epoch (replay tests do this).
pub mod mono {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::sync::OnceLock;
    use std::time::{Duration, Instant};

    static EPOCH: OnceLock<Instant> = OnceLock::new();

    /// The reference instant (fixed on first use).
    pub fn epoch() -> Instant {
        *EPOCH.get_or_init(Instant::now)
    }

    /// `epoch() + us` microseconds.
    pub fn at_us(us: u64) -> Instant {
        epoch() + Duration::from_micros(us)
    }

    /// Microseconds since `epoch()` (0 for earlier instants).
    pub fn us_since_epoch(t: Instant) -> u64 {
        u64::try_from(t.saturating_duration_since(epoch()).as_micros()).unwrap_or(u64::MAX)
    }

    pub fn serialize<S: Serializer>(t: &Instant, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(us_since_epoch(*t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Instant, D::Error> {
        Ok(at_us(u64::deserialize(d)?))
    }
}
