//! VRRP socket adapters: raw IP protocol 112 sockets per interface and family
//! ([`VrrpSocket`]) and the gratuitous ARP / unsolicited NA sender ([`Announcer`]).
//! Called by the VRRP child's event loop; they move raw byte buffers plus addresses and
//! metadata, and leave encoding/decoding to [`crate::packet`] and decisions to
//! [`crate::instance`]. All sockets are non-blocking and expose their fd for mio
//! (`mio::unix::SourceFd`).

mod announce;
pub mod pace;
mod vrrp_socket;

pub use announce::{garp_frame, unsolicited_na_frame, Announcer};
pub use vrrp_socket::{Family, RecvMeta, SocketConfig, VrrpSocket};

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// IP protocol number of VRRP (RFC 5798 §5.1.1.4).
pub const IPPROTO_VRRP: i32 = 112;
/// VRRP IPv4 multicast group (RFC 5798 §5.1.1.2).
pub const VRRP_MCAST_V4: Ipv4Addr = Ipv4Addr::new(224, 0, 0, 18);
/// VRRP IPv6 multicast group (RFC 5798 §5.1.2.2).
pub const VRRP_MCAST_V6: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 0x12);
/// TOS / traffic class keepalived sends adverts with (internetwork control).
pub const VRRP_TOS: u8 = 0xc0;
/// TTL / hop limit of VRRP adverts (RFC 5798 §5.1.1.3, §5.1.2.3).
pub const VRRP_TTL: u8 = 255;

/// A socket operation that failed, naming what was being done and keeping the cause.
#[derive(Debug, thiserror::Error)]
#[error("{op}: {source}")]
pub struct NetError {
    /// What was being done, e.g. "join 224.0.0.18 on eth0 (ifindex 2)".
    pub op: String,
    /// The cause.
    #[source]
    pub source: io::Error,
}

impl NetError {
    fn new(op: impl Into<String>, source: io::Error) -> Self {
        NetError {
            op: op.into(),
            source,
        }
    }

    /// True when the operation would block (nothing to read / send buffer full).
    pub fn would_block(&self) -> bool {
        self.source.kind() == io::ErrorKind::WouldBlock
    }
}

/// Result alias for the network adapters.
pub type NetResult<T> = Result<T, NetError>;

/// The default multicast group for a family.
pub fn default_group(family: Family) -> IpAddr {
    match family {
        Family::V4 => IpAddr::V4(VRRP_MCAST_V4),
        Family::V6 => IpAddr::V6(VRRP_MCAST_V6),
    }
}
