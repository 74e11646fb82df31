//! Every message that crosses a process boundary, one enum per direction; the supervisor and
//! the two children build and match on these, `Channel` moves them.
//!
//! bincode is not self-describing, so both ends must be the same build: the parent execs
//! `/proc/self/exe` for its children, and [`PROTOCOL_VERSION`] in the hello catches the rest
//! (e.g. a binary replaced on disk while an old parent still runs).
//!
//! The config travels as the typed model of `keepalived-config` (what the parent parsed and
//! validated); state reports carry only what the parent needs to hand back to a restarted
//! child.

use std::fmt::Debug;
use std::net::{Ipv6Addr, SocketAddr};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub use keepalived_config::Config;

/// Bump whenever any type in this module changes its encoding.
pub const PROTOCOL_VERSION: u32 = 3;

/// A type that may travel on a channel. `LINK` names the direction; it is exchanged in the
/// hello so that two ends wired to the wrong sockets refuse each other.
pub trait Message: Serialize + DeserializeOwned + Debug {
    /// Name of the direction, e.g. `"parent->vrrp"`.
    const LINK: &'static str;
}

/// The first message each way on every channel, sent by `Channel` itself.
///
/// `version` must stay the first field forever: a peer decodes it on its own before
/// anything else, so a version mismatch is reported as such and not as garbage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    pub version: u32,
    /// The sender's `Message::LINK` for what it will send.
    pub link: String,
}

impl Hello {
    /// The hello a sender of `T` introduces itself with.
    pub fn for_sender<T: Message>() -> Self {
        Hello {
            version: PROTOCOL_VERSION,
            link: T::LINK.to_owned(),
        }
    }
}

/// The configuration as the parent parsed and validated it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionedConfig {
    /// Increases with every successful (re)load, so acknowledgements can be matched.
    pub generation: u64,
    /// Boxed: the model is large and most messages are not configs.
    pub config: Box<Config>,
}

impl VersionedConfig {
    pub fn new(generation: u64, config: Config) -> Self {
        VersionedConfig {
            generation,
            config: Box::new(config),
        }
    }
}

/// RFC 5798 §6.4 states plus keepalived's FAULT and STOP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VrrpState {
    Init,
    Backup,
    Master,
    Fault,
    Stop,
}

/// One VRRP instance's state as the VRRP child reports it and gets it back after a restart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceState {
    pub name: String,
    pub vrid: u8,
    pub state: VrrpState,
}

/// One real server's health as the checker child reports it and gets it back after a restart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RealServerHealth {
    /// The virtual server as keepalived names it in logs, e.g. `[10.0.0.1]:tcp:80`.
    pub virtual_server: String,
    /// The real server, e.g. `[192.168.1.10]:tcp:80`.
    pub real_server: String,
    pub alive: bool,
    pub weight: i32,
}

/// Which dump a signal asked for (keepalived §1.3: USR1, USR2, STATS_CLEAR, JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DumpKind {
    Data,
    Stats,
    StatsClear,
    Json,
}

/// Parent to VRRP child.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ParentToVrrp {
    /// The first message after the hello: the config to run and the states the previous
    /// incarnation last reported (empty on first start), so a MASTER keeps its VIPs.
    Start {
        config: VersionedConfig,
        restore: Vec<InstanceState>,
    },
    /// A validated new config (SIGHUP); apply the difference.
    Reload {
        config: VersionedConfig,
    },
    Dump(DumpKind),
    /// A fresh vrrp<->checker socket travels with this message (SCM_RIGHTS).
    PeerLink,
    /// Release what you hold and exit.
    Shutdown,
}

/// VRRP child to parent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum VrrpToParent {
    /// The config of this generation is running (drives systemd `READY=1`).
    Ready { generation: u64 },
    /// An instance changed state; the parent keeps the latest per instance.
    StateReport(InstanceState),
    /// A reload could not be applied; the child keeps running the previous generation.
    ReloadFailed {
        generation: u64,
        errors: Vec<String>,
    },
    /// The answer to `Dump(kind)`: this child's part of the dump file (text, or a JSON
    /// document for `DumpKind::Json`).
    Dump { kind: DumpKind, body: String },
    /// A send socket for [`StandIn`] adverts travels with this message (SCM_RIGHTS): the
    /// parent keeps it under `id` (unique for this child's life) while the child runs, and
    /// sends through it while the child is dead and being restarted.
    StandInSocket { id: u32 },
    /// What to keep sending for an instance while this child is restarted (hitless restart):
    /// an empty `packets` withdraws it (the instance is no longer MASTER).
    StandIn(StandIn),
    /// Forget every socket and advert this child described (it reloaded: its sockets are
    /// new); the MASTER instances describe themselves again with their next advert.
    StandInReset,
}

/// One MASTER instance's adverts, as the VRRP child encoded them, for the parent to send
/// every `interval_us` between the child's death and its successor's `Ready`. The parent
/// knows nothing of VRRP: these are datagrams for a socket the child handed over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandIn {
    pub instance: String,
    /// A socket sent earlier with `StandInSocket { id }`.
    pub socket: u32,
    pub interval_us: u64,
    pub packets: Vec<StandInPacket>,
}

/// One datagram: `bytes` to `dst` (port 0; with the scope id for link-local IPv6), with an
/// IPV6_PKTINFO source and interface when the child sends one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandInPacket {
    pub dst: SocketAddr,
    pub pktinfo_v6: Option<(Ipv6Addr, u32)>,
    pub bytes: Vec<u8>,
}

/// Parent to checker child.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ParentToCheck {
    /// The first message after the hello: config plus the health last reported.
    Start {
        config: VersionedConfig,
        restore: Vec<RealServerHealth>,
    },
    Reload {
        config: VersionedConfig,
    },
    Dump(DumpKind),
    /// A fresh vrrp<->checker socket travels with this message (SCM_RIGHTS).
    PeerLink,
    Shutdown,
}

/// Checker child to parent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckToParent {
    Ready {
        generation: u64,
    },
    HealthReport(RealServerHealth),
    ReloadFailed {
        generation: u64,
        errors: Vec<String>,
    },
    /// The answer to `Dump(kind)`, as for the VRRP child.
    Dump {
        kind: DumpKind,
        body: String,
    },
}

/// VRRP child to checker child: instance states, for `ha_suspend` and the LVS sync daemon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum VrrpToCheck {
    StateReport(InstanceState),
}

/// Checker child to VRRP child: virtual-server health, for VRRP tracking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckToVrrp {
    VirtualServerHealth { virtual_server: String, up: bool },
}

impl Message for ParentToVrrp {
    const LINK: &'static str = "parent->vrrp";
}
impl Message for VrrpToParent {
    const LINK: &'static str = "vrrp->parent";
}
impl Message for ParentToCheck {
    const LINK: &'static str = "parent->check";
}
impl Message for CheckToParent {
    const LINK: &'static str = "check->parent";
}
impl Message for VrrpToCheck {
    const LINK: &'static str = "vrrp->check";
}
impl Message for CheckToVrrp {
    const LINK: &'static str = "check->vrrp";
}
