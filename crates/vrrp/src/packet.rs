//! VRRP advertisements on the wire: VRRPv2 (RFC 3768 §5) and VRRPv3 (RFC 5798 / RFC 9568
//! §5) for IPv4 and IPv6, plus the IPv4 header keepalived writes itself (`IP_HDRINCL`).
//! Called by the VRRP socket adapter ([`crate::network`]) on every received and sent advert,
//! and by the golden tests and the `vrrp_decode` fuzz target.
//!
//! [`decode`] runs keepalived's receive checks (`vrrp_check_packet`) in keepalived's order and
//! returns a [`DecodeError`] whose [`kind`](DecodeError::kind) callers count; it never
//! panics, whatever the bytes. [`encode`] writes the checksum last.

mod checksum;
#[cfg(test)]
mod tests;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

/// IP protocol number / IPv6 Next Header of VRRP (RFC 3768 §5.2.4, RFC 5798 §5.1.1.4).
pub const IPPROTO_VRRP: u8 = 112;
/// TTL / hop limit a VRRP router sends and, for multicast, requires (RFC 5798 §5.1.1.3).
pub const VRRP_TTL: u8 = 255;
/// IPv4 multicast group (RFC 5798 §5.1.1.2).
pub const VRRP_MCAST_V4: Ipv4Addr = Ipv4Addr::new(224, 0, 0, 18);
/// IPv6 multicast group (RFC 5798 §5.1.2.2).
pub const VRRP_MCAST_V6: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 0x12);
/// TOS / traffic class keepalived sends: internetwork control (CS6), `vrrp_build_ip4`.
pub const VRRP_TOS: u8 = 0xc0;
/// The fixed part of every advert: version/type to checksum (RFC 5798 §5.1).
pub const HEADER_LEN: usize = 8;
/// VRRPv2 authentication data (RFC 3768 §5.3.10), present for IPv4 only (keepalived sends no
/// auth data in its v2-over-IPv6 adverts, `vrrp_pkt_len`).
pub const V2_AUTH_LEN: usize = 8;
/// Packet type ADVERTISEMENT (RFC 5798 §5.2.2): the only one defined.
pub const TYPE_ADVERT: u8 = 1;
/// Length of the IPv4 header keepalived builds (no options).
pub const IPV4_HEADER_LEN: usize = 20;
/// Length of the fixed IPv6 header.
pub const IPV6_HEADER_LEN: usize = 40;
/// Ethernet pads frames to 60 bytes: an IPv4 advert whose announced length is below this
/// (60 - 14 Ethernet header - 20 IP header) may arrive with padding after it...
pub const MIN_UNPADDED_V4_PAYLOAD: usize = 60 - 14 - IPV4_HEADER_LEN;
/// ...up to this length (4 more for a VLAN tag stripped after padding). IPv6 adverts are
/// never short enough to be padded.
pub const MAX_PADDED_V4_PAYLOAD: usize = MIN_UNPADDED_V4_PAYLOAD + 4;

/// The protocol version (first nibble of the VRRP header).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    /// RFC 3768: interval in seconds, authentication fields, message-only checksum.
    V2,
    /// RFC 5798 / RFC 9568: 12-bit interval in centiseconds, no authentication.
    V3,
}

impl Version {
    /// The version number on the wire.
    pub fn number(self) -> u8 {
        match self {
            Version::V2 => 2,
            Version::V3 => 3,
        }
    }

    fn from_number(n: u8) -> Option<Self> {
        match n {
            2 => Some(Version::V2),
            3 => Some(Version::V3),
            _ => None,
        }
    }
}

/// VRRPv2 authentication (RFC 3768 §5.3.6; keepalived `vrrp.h`: NONE 0, PASS 1, AH 2).
/// IPsec AH (type 2) is carried in an AH header (IP protocol 51), which this module does not
/// decode: a type-2 advert on protocol 112 is an [`DecodeError::AuthTypeMismatch`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum V2Auth {
    /// Type 0: the 8 data bytes are sent as zero and not checked.
    #[default]
    None,
    /// Type 1: a clear-text password, 8 bytes, zero-padded.
    Pass([u8; V2_AUTH_LEN]),
}

impl V2Auth {
    /// `auth_pass` as keepalived uses it: truncated to 8 bytes, zero-padded.
    pub fn pass(password: &str) -> Self {
        let mut data = [0u8; V2_AUTH_LEN];
        let bytes = password.as_bytes();
        let n = bytes.len().min(V2_AUTH_LEN);
        data[..n].copy_from_slice(&bytes[..n]);
        V2Auth::Pass(data)
    }

    /// The Auth Type byte.
    pub fn type_number(&self) -> u8 {
        match self {
            V2Auth::None => 0,
            V2Auth::Pass(_) => 1,
        }
    }

    fn data(&self) -> [u8; V2_AUTH_LEN] {
        match self {
            V2Auth::None => [0; V2_AUTH_LEN],
            V2Auth::Pass(d) => *d,
        }
    }
}

/// The addresses carried by an advert; the family is the advert's family.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum VirtualAddrs {
    /// IPv4 addresses, 4 bytes each.
    V4(Vec<Ipv4Addr>),
    /// IPv6 addresses, 16 bytes each.
    V6(Vec<Ipv6Addr>),
}

impl VirtualAddrs {
    /// How many addresses (the Count IPvX Addr field).
    pub fn len(&self) -> usize {
        match self {
            VirtualAddrs::V4(a) => a.len(),
            VirtualAddrs::V6(a) => a.len(),
        }
    }

    /// No addresses at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn is_v4(&self) -> bool {
        matches!(self, VirtualAddrs::V4(_))
    }
}

/// A VRRP advertisement, either version.
///
/// VRRPv2, RFC 3768 §5.1:
/// ```text
///     0                   1                   2                   3
///     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |Version| Type  | Virtual Rtr ID|   Priority    | Count IP Addrs|
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |   Auth Type   |   Adver Int   |          Checksum             |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |                         IP Address (1)                        |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |                            .                                  |
///    |                            .                                  |
///    |                            .                                  |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |                         IP Address (n)                        |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |                     Authentication Data (1)                   |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |                     Authentication Data (2)                   |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
///
/// VRRPv3, RFC 5798 §5.1 (RFC 9568 §5.1 renames the fields, same layout):
/// ```text
///     0                   1                   2                   3
///     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |                    IPv4 Fields or IPv6 Fields                 |
///   ...                                                             ...
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |Version| Type  | Virtual Rtr ID|   Priority    |Count IPvX Addr|
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |(rsvd) |     Max Adver Int     |          Checksum             |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |                                                               |
///    +                                                               +
///    |                       IPvX Address(es)                        |
///    +                                                               +
///    +                                                               +
///    +                                                               +
///    +                                                               +
///    |                                                               |
///    +                                                               +
///    |                                                               |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Advert {
    /// Version nibble (the Type nibble is always ADVERTISEMENT).
    pub version: Version,
    /// Virtual Rtr ID (RFC 5798 §5.2.3).
    pub vrid: u8,
    /// Priority (§5.2.4): 255 owner, 0 "stop being master".
    pub priority: u8,
    /// v2: Adver Int in seconds (8 bits, RFC 3768 §5.3.7). v3: Max Adver Int in centiseconds
    /// (12 bits, RFC 5798 §5.2.7; the 4 reserved bits are sent as zero and ignored).
    pub adver_int: u16,
    /// v2 over IPv4 only; [`V2Auth::None`] otherwise.
    pub auth: V2Auth,
    /// IPvX Address(es) (§5.2.9).
    pub addrs: VirtualAddrs,
    /// The Checksum field as received; [`encode`] ignores it and computes its own.
    pub checksum: u16,
}

impl Advert {
    /// The advertised interval: seconds for v2, centiseconds for v3.
    pub fn interval(&self) -> Duration {
        match self.version {
            Version::V2 => Duration::from_secs(u64::from(self.adver_int)),
            Version::V3 => Duration::from_millis(10 * u64::from(self.adver_int & 0x0fff)),
        }
    }

    /// Bytes the advert takes on the wire (the IP payload).
    pub fn wire_len(&self) -> usize {
        let (alen, auth) = if self.addrs.is_v4() {
            (
                4,
                if self.version == Version::V2 {
                    V2_AUTH_LEN
                } else {
                    0
                },
            )
        } else {
            (16, 0)
        };
        HEADER_LEN + alen * self.addrs.len() + auth
    }
}

/// The IP-level source and destination of an advert, which the v3 checksum covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoints {
    /// IPv4 source and destination.
    V4 {
        /// Source address.
        src: Ipv4Addr,
        /// Destination: 224.0.0.18, `mcast_dst_ip` or a unicast peer.
        dst: Ipv4Addr,
    },
    /// IPv6 source and destination.
    V6 {
        /// Source address (link-local for multicast).
        src: Ipv6Addr,
        /// Destination: ff02::12, `mcast_dst_ip` or a unicast peer.
        dst: Ipv6Addr,
    },
}

impl Endpoints {
    /// Source address.
    pub fn src(&self) -> IpAddr {
        match *self {
            Endpoints::V4 { src, .. } => src.into(),
            Endpoints::V6 { src, .. } => src.into(),
        }
    }

    /// Destination address.
    pub fn dst(&self) -> IpAddr {
        match *self {
            Endpoints::V4 { dst, .. } => dst.into(),
            Endpoints::V6 { dst, .. } => dst.into(),
        }
    }

    fn is_v4(&self) -> bool {
        matches!(self, Endpoints::V4 { .. })
    }
}

/// What the socket told us about one received advert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RxMeta {
    /// Addresses from the IPv4 header or the IPv6 `recvmsg` source and `IPV6_PKTINFO`.
    pub endpoints: Endpoints,
    /// IPv4 TTL, or the IPv6 hop limit (`IPV6_RECVHOPLIMIT`).
    pub ttl: u8,
}

/// What the receiving instance is configured to accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RxConfig {
    /// `version` (or `vrrp_version`).
    pub version: Version,
    /// v2 `authentication`; must be [`V2Auth::None`] for v3.
    pub auth: V2Auth,
    /// `advert_int`: a v2 advert must carry exactly this (RFC 3768 §7.1).
    pub adver_int: Duration,
    /// The instance has `unicast_peer`s: the TTL-255 check is skipped (keepalived checks
    /// `min_ttl`/`max_ttl` per peer instead, which the instance does).
    pub unicast: bool,
    /// `v3_checksum_as_v2`: a v3 IPv4 advert may carry the message-only checksum (RFC 9568
    /// §5.2.8). keepalived then skips the check; we accept either form but not garbage.
    pub v3_checksum_as_v2: bool,
    /// Verify the IPv6 pseudo-header checksum. The kernel already verifies it on a socket
    /// with `IPV6_CHECKSUM` (as keepalived sets), so the socket adapter leaves this off.
    pub verify_ipv6_checksum: bool,
    /// The number of VIPs configured; `None` skips the count check.
    pub vip_count: Option<usize>,
}

/// Why a received advert was dropped. Callers count these by [`kind`](Self::kind).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Shorter than the header, or than the header plus the addresses (and v2 auth data)
    /// its address count announces.
    Truncated {
        /// Bytes received.
        len: usize,
        /// Bytes needed.
        need: usize,
    },
    /// Longer than the address count announces, by more than Ethernet padding explains.
    BadLength {
        /// Bytes received.
        len: usize,
        /// Bytes the header announces.
        expected: usize,
    },
    /// IPv4 header unusable: not version 4, IHL below 5, total length out of range.
    BadIpHeader(&'static str),
    /// The IP protocol / next header is not 112.
    BadProtocol(u8),
    /// Multicast advert with a TTL / hop limit other than 255 (RFC 5798 §7.1).
    BadTtl(u8),
    /// Version nibble differs from the configured version.
    BadVersion {
        /// Received nibble.
        received: u8,
        /// Configured version.
        expected: u8,
    },
    /// Type nibble is not ADVERTISEMENT (1).
    BadType(u8),
    /// v2 Auth Type is none of 0, 1, 2.
    BadAuthType(u8),
    /// v2 Auth Type valid but not ours.
    AuthTypeMismatch {
        /// Received Auth Type.
        received: u8,
        /// Configured Auth Type.
        expected: u8,
    },
    /// v2 PASS: the 8 bytes differ.
    AuthMismatch,
    /// v2 Adver Int differs from ours (RFC 3768 §7.1 MUST discard).
    IntervalMismatch {
        /// Received interval in seconds.
        received: u16,
        /// Configured interval.
        expected: Duration,
    },
    /// Checksum does not verify.
    BadChecksum {
        /// The Checksum field received.
        received: u16,
        /// The value it should have had.
        expected: u16,
    },
    /// Address count differs from the configured VIP count.
    AddrCountMismatch {
        /// Count IPvX Addr received.
        received: u8,
        /// VIPs configured.
        expected: usize,
    },
}

/// The kinds of [`DecodeError`], for per-kind counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DecodeErrorKind {
    /// [`DecodeError::Truncated`]
    Truncated,
    /// [`DecodeError::BadLength`]
    BadLength,
    /// [`DecodeError::BadIpHeader`]
    BadIpHeader,
    /// [`DecodeError::BadProtocol`]
    BadProtocol,
    /// [`DecodeError::BadTtl`]
    BadTtl,
    /// [`DecodeError::BadVersion`]
    BadVersion,
    /// [`DecodeError::BadType`]
    BadType,
    /// [`DecodeError::BadAuthType`]
    BadAuthType,
    /// [`DecodeError::AuthTypeMismatch`]
    AuthTypeMismatch,
    /// [`DecodeError::AuthMismatch`]
    AuthMismatch,
    /// [`DecodeError::IntervalMismatch`]
    IntervalMismatch,
    /// [`DecodeError::BadChecksum`]
    BadChecksum,
    /// [`DecodeError::AddrCountMismatch`]
    AddrCountMismatch,
}

impl DecodeErrorKind {
    /// Every kind, in check order.
    pub const ALL: [DecodeErrorKind; 13] = [
        DecodeErrorKind::Truncated,
        DecodeErrorKind::BadLength,
        DecodeErrorKind::BadIpHeader,
        DecodeErrorKind::BadProtocol,
        DecodeErrorKind::BadTtl,
        DecodeErrorKind::BadVersion,
        DecodeErrorKind::BadType,
        DecodeErrorKind::BadAuthType,
        DecodeErrorKind::AuthTypeMismatch,
        DecodeErrorKind::AuthMismatch,
        DecodeErrorKind::IntervalMismatch,
        DecodeErrorKind::BadChecksum,
        DecodeErrorKind::AddrCountMismatch,
    ];

    /// keepalived's counter for this kind (`vrrp_stats` in `vrrp.h`, the USR2 dump), where
    /// it has one; ours otherwise.
    pub fn stat_name(self) -> &'static str {
        match self {
            DecodeErrorKind::Truncated | DecodeErrorKind::BadLength => "packet_len_err",
            DecodeErrorKind::BadIpHeader => "ip_header_err",
            DecodeErrorKind::BadProtocol => "ip_proto_err",
            DecodeErrorKind::BadTtl => "ip_ttl_err",
            DecodeErrorKind::BadVersion => "vers_err",
            DecodeErrorKind::BadType => "invalid_type_rcvd",
            DecodeErrorKind::BadAuthType => "invalid_authtype",
            DecodeErrorKind::AuthTypeMismatch => "authtype_mismatch",
            DecodeErrorKind::AuthMismatch => "auth_failure",
            DecodeErrorKind::IntervalMismatch => "advert_interval_err",
            DecodeErrorKind::BadChecksum => "chk_err",
            DecodeErrorKind::AddrCountMismatch => "addr_list_err",
        }
    }
}

impl DecodeError {
    /// The kind, for counting.
    pub fn kind(&self) -> DecodeErrorKind {
        match self {
            DecodeError::Truncated { .. } => DecodeErrorKind::Truncated,
            DecodeError::BadLength { .. } => DecodeErrorKind::BadLength,
            DecodeError::BadIpHeader(_) => DecodeErrorKind::BadIpHeader,
            DecodeError::BadProtocol(_) => DecodeErrorKind::BadProtocol,
            DecodeError::BadTtl(_) => DecodeErrorKind::BadTtl,
            DecodeError::BadVersion { .. } => DecodeErrorKind::BadVersion,
            DecodeError::BadType(_) => DecodeErrorKind::BadType,
            DecodeError::BadAuthType(_) => DecodeErrorKind::BadAuthType,
            DecodeError::AuthTypeMismatch { .. } => DecodeErrorKind::AuthTypeMismatch,
            DecodeError::AuthMismatch => DecodeErrorKind::AuthMismatch,
            DecodeError::IntervalMismatch { .. } => DecodeErrorKind::IntervalMismatch,
            DecodeError::BadChecksum { .. } => DecodeErrorKind::BadChecksum,
            DecodeError::AddrCountMismatch { .. } => DecodeErrorKind::AddrCountMismatch,
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Truncated { len, need } => {
                write!(f, "decode advert: truncated, {len} bytes, need {need}")
            }
            DecodeError::BadLength { len, expected } => write!(
                f,
                "decode advert: length {len} does not match the {expected} bytes announced"
            ),
            DecodeError::BadIpHeader(what) => write!(f, "decode IPv4 header: {what}"),
            DecodeError::BadProtocol(p) => write!(f, "decode IP packet: protocol {p}, not 112"),
            DecodeError::BadTtl(t) => write!(f, "decode advert: invalid ttl {t}, expect 255"),
            DecodeError::BadVersion { received, expected } => write!(
                f,
                "decode advert: invalid version {received}, expect {expected}"
            ),
            DecodeError::BadType(t) => {
                write!(f, "decode advert: invalid packet type {t}, expect 1")
            }
            DecodeError::BadAuthType(t) => write!(f, "decode advert: invalid auth type {t}"),
            DecodeError::AuthTypeMismatch { received, expected } => write!(
                f,
                "decode advert: received auth type {received}, expecting {expected}"
            ),
            DecodeError::AuthMismatch => write!(f, "decode advert: invalid password"),
            DecodeError::IntervalMismatch { received, expected } => write!(
                f,
                "decode advert: advertisement interval mismatch, received {received} s, mine {} s",
                expected.as_secs_f64()
            ),
            DecodeError::BadChecksum { received, expected } => write!(
                f,
                "decode advert: invalid checksum {received:#06x}, expect {expected:#06x}"
            ),
            DecodeError::AddrCountMismatch { received, expected } => write!(
                f,
                "decode advert: invalid address count {received}, expected {expected}"
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Decodes and checks one advert: `bytes` is the VRRP payload (after the IPv4 header, or what
/// an IPv6 raw socket returns). The checks run in keepalived's order (`vrrp_check_packet`,
/// reference §4.1): length, TTL, version, v2 authentication, v2 interval, type, checksum,
/// address count. The length check uses the received version when it is 2 or 3 (so a v3
/// advert reaching a v2 instance is a version error rather than a length error).
pub fn decode(bytes: &[u8], meta: &RxMeta, cfg: &RxConfig) -> Result<Advert, DecodeError> {
    // 1. Length (RFC 5798 §7.1 "MUST verify that the received packet contains the complete
    //    VRRP packet"), tolerating Ethernet minimum-frame padding.
    if bytes.len() < HEADER_LEN {
        return Err(DecodeError::Truncated {
            len: bytes.len(),
            need: HEADER_LEN,
        });
    }
    let v4 = meta.endpoints.is_v4();
    let wire_version = Version::from_number(bytes[0] >> 4).unwrap_or(cfg.version);
    let auth_len = if v4 && wire_version == Version::V2 {
        V2_AUTH_LEN
    } else {
        0
    };
    let alen = if v4 { 4 } else { 16 };
    let naddr = bytes[3];
    let need = HEADER_LEN + usize::from(naddr) * alen + auth_len;
    if bytes.len() < need {
        return Err(DecodeError::Truncated {
            len: bytes.len(),
            need,
        });
    }
    let padded = v4 && need < MIN_UNPADDED_V4_PAYLOAD && bytes.len() <= MAX_PADDED_V4_PAYLOAD;
    if bytes.len() > need && !padded {
        return Err(DecodeError::BadLength {
            len: bytes.len(),
            expected: need,
        });
    }
    let msg = &bytes[..need];

    // 2. TTL / hop limit (RFC 5798 §7.1 "MUST verify that the IPvX TTL/Hop Limit is 255"),
    //    multicast only: keepalived checks unicast peers' min/max TTL elsewhere.
    if !cfg.unicast && meta.ttl != VRRP_TTL {
        return Err(DecodeError::BadTtl(meta.ttl));
    }

    // 3. Version.
    let received_version = msg[0] >> 4;
    if received_version != cfg.version.number() {
        return Err(DecodeError::BadVersion {
            received: received_version,
            expected: cfg.version.number(),
        });
    }

    // 4-5. v2: authentication (RFC 3768 §7.1, §5.3.6) and interval (§7.1 MUST discard).
    let mut auth = V2Auth::None;
    if cfg.version == Version::V2 {
        let auth_type = msg[4];
        if auth_type > 2 {
            return Err(DecodeError::BadAuthType(auth_type));
        }
        if auth_type != cfg.auth.type_number() {
            return Err(DecodeError::AuthTypeMismatch {
                received: auth_type,
                expected: cfg.auth.type_number(),
            });
        }
        if let V2Auth::Pass(ours) = &cfg.auth {
            // keepalived's v2 over IPv6 carries no authentication data to compare.
            let mut theirs = [0u8; V2_AUTH_LEN];
            if v4 {
                theirs.copy_from_slice(&msg[need - V2_AUTH_LEN..]);
                if !constant_time_eq(ours, &theirs) {
                    return Err(DecodeError::AuthMismatch);
                }
            }
            auth = V2Auth::Pass(theirs);
        }
        let received = u16::from(msg[5]);
        if Duration::from_secs(u64::from(received)) != cfg.adver_int {
            return Err(DecodeError::IntervalMismatch {
                received,
                expected: cfg.adver_int,
            });
        }
    }

    // 6. Type.
    let ptype = msg[0] & 0x0f;
    if ptype != TYPE_ADVERT {
        return Err(DecodeError::BadType(ptype));
    }

    // 7. Checksum (RFC 3768 §5.3.8, RFC 5798 §5.2.8).
    let received_sum = u16::from_be_bytes([msg[6], msg[7]]);
    let check = |acc: u32| {
        if checksum::finish(checksum::add(acc, msg)) == 0 {
            Ok(())
        } else {
            Err(DecodeError::BadChecksum {
                received: received_sum,
                expected: checksum_with(acc, msg),
            })
        }
    };
    match (cfg.version, meta.endpoints) {
        (Version::V2, Endpoints::V4 { .. }) => check(0)?,
        (Version::V3, Endpoints::V4 { src, dst }) => {
            let pseudo = checksum::pseudo_v4(src, dst, IPPROTO_VRRP, need as u16);
            let with_pseudo = check(pseudo);
            if cfg.v3_checksum_as_v2 {
                with_pseudo.or_else(|_| check(0))?;
            } else {
                with_pseudo?;
            }
        }
        (_, Endpoints::V6 { src, dst }) => {
            if cfg.verify_ipv6_checksum {
                check(checksum::pseudo_v6(src, dst, IPPROTO_VRRP, need as u32))?;
            }
        }
    }

    // 8. Address count against our VIPs (keepalived `addr_list_err`).
    if let Some(expected) = cfg.vip_count {
        if usize::from(naddr) != expected {
            return Err(DecodeError::AddrCountMismatch {
                received: naddr,
                expected,
            });
        }
    }

    let body = &msg[HEADER_LEN..HEADER_LEN + usize::from(naddr) * alen];
    let addrs = if v4 {
        VirtualAddrs::V4(
            body.chunks_exact(4)
                .map(|c| Ipv4Addr::new(c[0], c[1], c[2], c[3]))
                .collect(),
        )
    } else {
        VirtualAddrs::V6(
            body.chunks_exact(16)
                .map(|c| {
                    let mut o = [0u8; 16];
                    o.copy_from_slice(c);
                    Ipv6Addr::from(o)
                })
                .collect(),
        )
    };
    let adver_int = match cfg.version {
        Version::V2 => u16::from(msg[5]),
        Version::V3 => u16::from_be_bytes([msg[4], msg[5]]) & 0x0fff,
    };
    Ok(Advert {
        version: cfg.version,
        vrid: msg[1],
        priority: msg[2],
        adver_int,
        auth,
        addrs,
        checksum: received_sum,
    })
}

/// The checksum field value that would make `msg` verify, given the pseudo-header sum `acc`.
fn checksum_with(acc: u32, msg: &[u8]) -> u16 {
    let mut zeroed = [0u8; HEADER_LEN];
    zeroed.copy_from_slice(&msg[..HEADER_LEN]);
    zeroed[6] = 0;
    zeroed[7] = 0;
    checksum::finish(checksum::add(
        checksum::add(acc, &zeroed),
        &msg[HEADER_LEN..],
    ))
}

/// Compares two passwords in time independent of where they differ.
fn constant_time_eq(a: &[u8; V2_AUTH_LEN], b: &[u8; V2_AUTH_LEN]) -> bool {
    let diff = a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// How the checksum of an advert we send is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TxChecksum {
    /// Source and destination for the v3 / IPv6 pseudo-header.
    pub endpoints: Endpoints,
    /// `v3_checksum_as_v2`: v3 IPv4 without the pseudo-header (RFC 9568 §5.2.8).
    pub v3_checksum_as_v2: bool,
}

/// Encodes an advert (the IP payload), computing the checksum last. For IPv6 the kernel
/// overwrites the checksum (`IPV6_CHECKSUM`) with the same value. A v3 interval is masked to
/// its 12 bits; the address family is the advert's (`endpoints` only feed the checksum).
pub fn encode(advert: &Advert, tx: &TxChecksum) -> Vec<u8> {
    let mut out = Vec::with_capacity(advert.wire_len());
    encode_into(advert, tx, &mut out);
    out
}

/// [`encode`] appending to `out` (so a caller can put the IPv4 header first).
pub fn encode_into(advert: &Advert, tx: &TxChecksum, out: &mut Vec<u8>) {
    let start = out.len();
    let naddr = advert.addrs.len().min(255);
    out.push((advert.version.number() << 4) | TYPE_ADVERT);
    out.push(advert.vrid);
    out.push(advert.priority);
    out.push(naddr as u8);
    match advert.version {
        Version::V2 => {
            out.push(advert.auth.type_number());
            out.push(advert.adver_int.min(255) as u8);
        }
        Version::V3 => out.extend_from_slice(&(advert.adver_int & 0x0fff).to_be_bytes()),
    }
    out.extend_from_slice(&[0, 0]);
    match &advert.addrs {
        VirtualAddrs::V4(a) => a
            .iter()
            .take(naddr)
            .for_each(|a| out.extend_from_slice(&a.octets())),
        VirtualAddrs::V6(a) => a
            .iter()
            .take(naddr)
            .for_each(|a| out.extend_from_slice(&a.octets())),
    }
    if advert.version == Version::V2 && advert.addrs.is_v4() {
        out.extend_from_slice(&advert.auth.data());
    }
    let msg = &out[start..];
    let acc = match (advert.version, tx.endpoints) {
        (Version::V2, Endpoints::V4 { .. }) => 0,
        (Version::V3, Endpoints::V4 { .. }) if tx.v3_checksum_as_v2 => 0,
        (Version::V3, Endpoints::V4 { src, dst }) => {
            checksum::pseudo_v4(src, dst, IPPROTO_VRRP, msg.len() as u16)
        }
        (_, Endpoints::V6 { src, dst }) => {
            checksum::pseudo_v6(src, dst, IPPROTO_VRRP, msg.len() as u32)
        }
    };
    let sum = checksum::finish(checksum::add(acc, msg));
    out[start + 6..start + 8].copy_from_slice(&sum.to_be_bytes());
}

/// An IPv4 header (RFC 791 §3.1), as keepalived builds it for `IP_HDRINCL` or as received.
/// ```text
///     0                   1                   2                   3
///     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |Version|  IHL  |Type of Service|          Total Length         |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |         Identification        |Flags|      Fragment Offset    |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |  Time to Live |    Protocol   |         Header Checksum       |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |                       Source Address                          |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |                    Destination Address                        |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |                    Options                    |    Padding    |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ipv4Header {
    /// Header length in bytes (IHL × 4); [`Ipv4Header::encode`] writes 20 (no options).
    pub header_len: usize,
    /// Type of Service; keepalived sends [`VRRP_TOS`].
    pub tos: u8,
    /// Total Length of header and payload.
    pub total_len: u16,
    /// Identification: keepalived counts up from 1 per instance, skipping 0 (the kernel
    /// would fill a 0 in itself).
    pub id: u16,
    /// Flags and Fragment Offset; keepalived sends 0 (no DF).
    pub flags_fragment: u16,
    /// TTL: 255, or `unicast_ttl`.
    pub ttl: u8,
    /// Protocol: 112 (51 with AH).
    pub protocol: u8,
    /// Header Checksum as received (the kernel fills it in on send; encode computes it).
    pub checksum: u16,
    /// Source Address.
    pub src: Ipv4Addr,
    /// Destination Address.
    pub dst: Ipv4Addr,
}

impl Ipv4Header {
    /// The header keepalived writes (`vrrp_build_ip4`): TOS 0xc0, no DF, protocol 112.
    pub fn for_advert(src: Ipv4Addr, dst: Ipv4Addr, ttl: u8, id: u16, vrrp_len: usize) -> Self {
        Ipv4Header {
            header_len: IPV4_HEADER_LEN,
            tos: VRRP_TOS,
            total_len: (IPV4_HEADER_LEN + vrrp_len).min(usize::from(u16::MAX)) as u16,
            id,
            flags_fragment: 0,
            ttl,
            protocol: IPPROTO_VRRP,
            checksum: 0,
            src,
            dst,
        }
    }

    /// The 20 header bytes with the header checksum computed (options are not written).
    pub fn encode(&self) -> [u8; IPV4_HEADER_LEN] {
        let mut h = [0u8; IPV4_HEADER_LEN];
        h[0] = 0x45;
        h[1] = self.tos;
        h[2..4].copy_from_slice(&self.total_len.to_be_bytes());
        h[4..6].copy_from_slice(&self.id.to_be_bytes());
        h[6..8].copy_from_slice(&self.flags_fragment.to_be_bytes());
        h[8] = self.ttl;
        h[9] = self.protocol;
        h[12..16].copy_from_slice(&self.src.octets());
        h[16..20].copy_from_slice(&self.dst.octets());
        let sum = checksum::finish(checksum::add(0, &h));
        h[10..12].copy_from_slice(&sum.to_be_bytes());
        h
    }

    /// Parses an IPv4 header and returns it with its payload, cut at Total Length (bytes
    /// after it are link padding). The header checksum is not verified: the kernel drops
    /// bad ones before a raw socket sees them.
    pub fn parse(bytes: &[u8]) -> Result<(Self, &[u8]), DecodeError> {
        if bytes.len() < IPV4_HEADER_LEN {
            return Err(DecodeError::Truncated {
                len: bytes.len(),
                need: IPV4_HEADER_LEN,
            });
        }
        if bytes[0] >> 4 != 4 {
            return Err(DecodeError::BadIpHeader("version is not 4"));
        }
        let header_len = usize::from(bytes[0] & 0x0f) * 4;
        if header_len < IPV4_HEADER_LEN {
            return Err(DecodeError::BadIpHeader("IHL below 5"));
        }
        let total_len = u16::from_be_bytes([bytes[2], bytes[3]]);
        if usize::from(total_len) < header_len {
            return Err(DecodeError::BadIpHeader(
                "total length shorter than the header",
            ));
        }
        if bytes.len() < usize::from(total_len) {
            return Err(DecodeError::Truncated {
                len: bytes.len(),
                need: usize::from(total_len),
            });
        }
        let octets = |o: usize| Ipv4Addr::new(bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]);
        let header = Ipv4Header {
            header_len,
            tos: bytes[1],
            total_len,
            id: u16::from_be_bytes([bytes[4], bytes[5]]),
            flags_fragment: u16::from_be_bytes([bytes[6], bytes[7]]),
            ttl: bytes[8],
            protocol: bytes[9],
            checksum: u16::from_be_bytes([bytes[10], bytes[11]]),
            src: octets(12),
            dst: octets(16),
        };
        Ok((header, &bytes[header_len..usize::from(total_len)]))
    }
}

/// Decodes what an IPv4 raw socket returns: the IP header, then the advert. The TTL and
/// addresses come from the header.
pub fn decode_ipv4_packet(
    bytes: &[u8],
    cfg: &RxConfig,
) -> Result<(Ipv4Header, Advert), DecodeError> {
    let (header, payload) = Ipv4Header::parse(bytes)?;
    if header.protocol != IPPROTO_VRRP {
        return Err(DecodeError::BadProtocol(header.protocol));
    }
    let meta = RxMeta {
        endpoints: Endpoints::V4 {
            src: header.src,
            dst: header.dst,
        },
        ttl: header.ttl,
    };
    let advert = decode(payload, &meta, cfg)?;
    Ok((header, advert))
}

/// The IP id of the next advert after `prev`: keepalived counts up from 1 per instance and
/// skips 0, which would make the kernel choose an id itself (`vrrp_update_pkt`).
pub fn next_ip_id(prev: u16) -> u16 {
    match prev.wrapping_add(1) {
        0 => 1,
        id => id,
    }
}

/// Encodes a whole IPv4 packet as keepalived sends it with `IP_HDRINCL`: [`Ipv4Header`]
/// ([`Ipv4Header::for_advert`]) then the advert, whose v3 checksum covers `src`/`dst`.
pub fn encode_ipv4_packet(
    advert: &Advert,
    src: Ipv4Addr,
    dst: Ipv4Addr,
    ttl: u8,
    id: u16,
    v3_checksum_as_v2: bool,
) -> Vec<u8> {
    let header = Ipv4Header::for_advert(src, dst, ttl, id, advert.wire_len());
    let mut out = Vec::with_capacity(IPV4_HEADER_LEN + advert.wire_len());
    out.extend_from_slice(&header.encode());
    let tx = TxChecksum {
        endpoints: Endpoints::V4 { src, dst },
        v3_checksum_as_v2,
    };
    encode_into(advert, &tx, &mut out);
    out
}

/// The fixed IPv6 header (RFC 8200 §3), for observers and tests that see whole IPv6 packets
/// (an IPv6 raw socket returns only the payload).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ipv6Header {
    /// Traffic Class; keepalived sends [`VRRP_TOS`].
    pub traffic_class: u8,
    /// Flow Label (chosen by the kernel).
    pub flow_label: u32,
    /// Payload Length.
    pub payload_len: u16,
    /// Next Header.
    pub next_header: u8,
    /// Hop Limit.
    pub hop_limit: u8,
    /// Source Address.
    pub src: Ipv6Addr,
    /// Destination Address.
    pub dst: Ipv6Addr,
}

impl Ipv6Header {
    /// Parses the fixed header and returns it with its payload cut at Payload Length.
    /// Extension headers are not walked: VRRP packets carry none.
    pub fn parse(bytes: &[u8]) -> Result<(Self, &[u8]), DecodeError> {
        if bytes.len() < IPV6_HEADER_LEN {
            return Err(DecodeError::Truncated {
                len: bytes.len(),
                need: IPV6_HEADER_LEN,
            });
        }
        if bytes[0] >> 4 != 6 {
            return Err(DecodeError::BadIpHeader("version is not 6"));
        }
        let payload_len = u16::from_be_bytes([bytes[4], bytes[5]]);
        let end = IPV6_HEADER_LEN + usize::from(payload_len);
        if bytes.len() < end {
            return Err(DecodeError::Truncated {
                len: bytes.len(),
                need: end,
            });
        }
        let addr = |o: usize| {
            let mut a = [0u8; 16];
            a.copy_from_slice(&bytes[o..o + 16]);
            Ipv6Addr::from(a)
        };
        let word = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        let header = Ipv6Header {
            traffic_class: (word >> 20) as u8,
            flow_label: word & 0x000f_ffff,
            payload_len,
            next_header: bytes[6],
            hop_limit: bytes[7],
            src: addr(8),
            dst: addr(24),
        };
        Ok((header, &bytes[IPV6_HEADER_LEN..end]))
    }
}

/// Decodes a whole IPv6 packet (fixed header, then the advert), as a capture shows it.
pub fn decode_ipv6_packet(
    bytes: &[u8],
    cfg: &RxConfig,
) -> Result<(Ipv6Header, Advert), DecodeError> {
    let (header, payload) = Ipv6Header::parse(bytes)?;
    if header.next_header != IPPROTO_VRRP {
        return Err(DecodeError::BadProtocol(header.next_header));
    }
    let meta = RxMeta {
        endpoints: Endpoints::V6 {
            src: header.src,
            dst: header.dst,
        },
        ttl: header.hop_limit,
    };
    let advert = decode(payload, &meta, cfg)?;
    Ok((header, advert))
}
