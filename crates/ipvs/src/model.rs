//! The IPVS table as typed values: services, their identity, destinations (real servers),
//! timeouts and module info. Built by the checker from the config, decoded by `codec` from
//! kernel replies, compared by `plan`.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::uapi;

/// Address family of a service or destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Family {
    V4,
    V6,
}

impl Family {
    pub fn of(addr: &IpAddr) -> Self {
        match addr {
            IpAddr::V4(_) => Family::V4,
            IpAddr::V6(_) => Family::V6,
        }
    }

    pub(crate) fn to_af(self) -> u16 {
        match self {
            Family::V4 => uapi::AF_INET,
            Family::V6 => uapi::AF_INET6,
        }
    }

    pub(crate) fn from_af(af: u16) -> Option<Self> {
        match af {
            uapi::AF_INET => Some(Family::V4),
            uapi::AF_INET6 => Some(Family::V6),
            _ => None,
        }
    }
}

/// Transport protocol of an address/port service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Protocol {
    Tcp,
    Udp,
    Sctp,
}

impl Protocol {
    pub(crate) fn to_ipproto(self) -> u16 {
        match self {
            Protocol::Tcp => uapi::IPPROTO_TCP,
            Protocol::Udp => uapi::IPPROTO_UDP,
            Protocol::Sctp => uapi::IPPROTO_SCTP,
        }
    }

    pub(crate) fn from_ipproto(p: u16) -> Option<Self> {
        match p {
            uapi::IPPROTO_TCP => Some(Protocol::Tcp),
            uapi::IPPROTO_UDP => Some(Protocol::Udp),
            uapi::IPPROTO_SCTP => Some(Protocol::Sctp),
            _ => None,
        }
    }
}

/// What identifies a service in the kernel's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ServiceKey {
    Addr {
        protocol: Protocol,
        addr: IpAddr,
        port: u16,
    },
    Fwmark {
        family: Family,
        mark: u32,
    },
}

impl ServiceKey {
    pub fn family(&self) -> Family {
        match self {
            ServiceKey::Addr { addr, .. } => Family::of(addr),
            ServiceKey::Fwmark { family, .. } => *family,
        }
    }
}

/// A virtual service with its settings (`lb_algo`, persistence, flags).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub key: ServiceKey,
    /// Scheduler name (`rr`, `wlc`, ...), at most 15 bytes.
    pub scheduler: String,
    /// `IP_VS_SVC_F_*` flags; `HASHED` is the kernel's and is never kept here.
    pub flags: u32,
    /// Persistence timeout in seconds (meaningful with `PERSISTENT`).
    pub timeout: u32,
    /// Persistence granularity: an IPv4 mask as a host-order integer (`0xffff_ff00`), or
    /// an IPv6 prefix length.
    pub netmask: u32,
    /// Persistence engine (`sip`), if any.
    pub pe_name: Option<String>,
}

impl Service {
    /// A service with keepalived's defaults: the given scheduler, no flags, no
    /// persistence, full netmask.
    pub fn new(key: ServiceKey, scheduler: &str) -> Self {
        let netmask = match key.family() {
            Family::V4 => u32::MAX,
            Family::V6 => 128,
        };
        Service {
            key,
            scheduler: scheduler.to_owned(),
            flags: 0,
            timeout: 0,
            netmask,
            pe_name: None,
        }
    }
}

/// Tunnel encapsulation of a TUN destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TunnelType {
    Ipip,
    Gue,
    Gre,
}

/// Forwarding method of a destination (`lb_kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Forward {
    /// NAT (`IP_VS_CONN_F_MASQ`).
    Masq,
    /// Direct routing.
    DirectRoute,
    /// Tunnelling; `port` is used by GUE, `flags` are `IP_VS_TUNNEL_ENCAP_FLAG_*`.
    Tunnel {
        kind: TunnelType,
        port: u16,
        flags: u16,
    },
    /// Local node (the kernel picks it for local addresses).
    LocalNode,
    /// Bypass.
    Bypass,
}

/// What identifies a destination within its service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DestKey {
    pub addr: IpAddr,
    pub port: u16,
}

/// A destination (real server) with its settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dest {
    pub addr: IpAddr,
    pub port: u16,
    pub forward: Forward,
    pub weight: u32,
    pub u_threshold: u32,
    pub l_threshold: u32,
}

impl Dest {
    pub fn new(addr: IpAddr, port: u16, forward: Forward, weight: u32) -> Self {
        Dest {
            addr,
            port,
            forward,
            weight,
            u_threshold: 0,
            l_threshold: 0,
        }
    }

    pub fn key(&self) -> DestKey {
        DestKey {
            addr: self.addr,
            port: self.port,
        }
    }
}

/// Connection counters the kernel reports with each destination.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conns {
    pub active: u32,
    pub inactive: u32,
    pub persistent: u32,
}

/// A destination as listed by the kernel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DestEntry {
    pub dest: Dest,
    pub conns: Conns,
}

/// `lvs_timeouts`: seconds; 0 means "leave unchanged" when setting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeouts {
    pub tcp: u32,
    pub tcp_fin: u32,
    pub udp: u32,
}

/// What `GET_INFO` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Info {
    /// `(major << 16) | (minor << 8) | patch`.
    pub version: u32,
    pub conn_tab_size: u32,
}

impl Info {
    /// "1.2.1" like ipvsadm prints it.
    pub fn version_string(&self) -> String {
        format!(
            "{}.{}.{}",
            self.version >> 16,
            (self.version >> 8) & 0xff,
            self.version & 0xff
        )
    }
}

/// A service and its destinations: one entry of the desired or the current table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VirtualService {
    pub service: Service,
    pub dests: Vec<Dest>,
}
