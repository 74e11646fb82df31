//! rtnetlink for keepalived-rs on neli 0.7: a synchronous request socket ([`Rtnl`]: list
//! links and addresses, add/delete VIPs, routes and rules idempotently, create and delete
//! VMAC macvlans) and a non-blocking monitor socket
//! ([`Monitor`]) for link and address events. Called by the VRRP child (VIPs, FAULT on
//! link down, restoring a VIP deleted by hand) and by tests.
//!
//! We use neli's low-level `NlSocket` (no `NlRouter`: it starts a thread, and the
//! supervisor forks) and neli's message types to build requests and parse payloads. The
//! netlink header walk is ours so that a short or odd reply is an error value, never a panic.

use std::io::{self, Cursor};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::os::fd::{AsRawFd, RawFd};

use neli::attr::Attribute;
use neli::consts::nl::NlmF;
use neli::consts::rtnl::{Arphrd, Ifa, IfaF, Ifla, RtAddrFamily, RtScope, Rtm};
use neli::consts::socket::{Msg, NlFamily};
use neli::nl::{NlPayload, Nlmsghdr, NlmsghdrBuilder};
use neli::rtnl::{Ifaddrmsg, IfaddrmsgBuilder, Ifinfomsg, IfinfomsgBuilder, Rtattr, RtattrBuilder};
use neli::socket::NlSocket;
use neli::types::{Buffer, RtBuffer};
use neli::utils::Groups;
use neli::{FromBytesWithInput, Size, ToBytes};

pub mod link;
mod msg;
pub mod route;

pub use link::{MacvlanSpec, MACVLAN_MODE_PRIVATE};
pub use route::{fr_act, rtn, NextHopSpec, RouteSpec, RuleSpec, RTPROT_KEEPALIVED, RT_TABLE_MAIN};

/// `IFA_PROTO` (Linux 5.18); neli 0.7 has no name for it.
pub const IFA_PROTO: u16 = 11;
/// `IFA_F_NODAD`.
pub const IFA_F_NODAD: u32 = libc::IFA_F_NODAD;
/// Lifetime meaning "forever" in `ifa_cacheinfo`.
pub const INFINITY_LIFE_TIME: u32 = u32::MAX;

const NLMSG_HDRLEN: usize = 16;
const NLMSG_NOOP: u16 = 1;
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
const NLMSG_OVERRUN: u16 = 4;
const RECV_BUF: usize = 64 * 1024;
/// A request socket waits this long for the kernel's answer: a child must never hang on a
/// silent kernel (the supervisor would only see a stuck process).
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// An rtnetlink failure; every variant names the operation that failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A system call on the netlink socket failed.
    #[error("netlink {op}: {source}")]
    Io {
        /// The operation, e.g. "add address 192.0.2.1/24 on ifindex 3".
        op: String,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// The kernel answered the request with an error.
    #[error("netlink {op}: kernel refused: {source}")]
    Kernel {
        /// The operation.
        op: String,
        /// The errno from the kernel as an io::Error.
        #[source]
        source: io::Error,
    },
    /// A reply could not be parsed or a request not built.
    #[error("netlink {op}: {detail}")]
    Malformed {
        /// The operation.
        op: String,
        /// What was wrong.
        detail: String,
    },
}

impl Error {
    /// The kernel errno, when the kernel refused the request.
    pub fn errno(&self) -> Option<i32> {
        match self {
            Error::Kernel { source, .. } => source.raw_os_error(),
            _ => None,
        }
    }
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;

fn malformed(op: &str, detail: impl std::fmt::Display) -> Error {
    Error::Malformed {
        op: op.to_string(),
        detail: detail.to_string(),
    }
}

/// A network interface as rtnetlink reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Interface index.
    pub ifindex: u32,
    /// Interface name (`IFLA_IFNAME`), empty if the kernel sent none.
    pub name: String,
    /// Raw `ifi_flags` (IFF_*).
    pub flags: u32,
    /// Hardware address (`IFLA_ADDRESS`), empty if none.
    pub mac: Vec<u8>,
    /// MTU, if reported.
    pub mtu: Option<u32>,
    /// `ARPHRD_*` type.
    pub link_type: u16,
}

impl Link {
    /// Administratively up (`IFF_UP`).
    pub fn is_up(&self) -> bool {
        self.flags & libc::IFF_UP as u32 != 0
    }
    /// Operationally running (`IFF_RUNNING`).
    pub fn is_running(&self) -> bool {
        self.flags & libc::IFF_RUNNING as u32 != 0
    }
    /// Up and running: what keepalived treats as the interface being usable.
    pub fn is_usable(&self) -> bool {
        self.is_up() && self.is_running()
    }
}

/// An address on an interface: as rtnetlink reports it ([`parse_addr`], [`Rtnl::addresses`],
/// the [`Monitor`]'s events), and as [`Rtnl::add_address`]/[`Rtnl::del_address`] send it, with
/// keepalived's `virtual_ipaddress` attributes. Build one to send with [`IfAddr::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IfAddr {
    /// Interface index.
    pub ifindex: u32,
    /// The local address (`IFA_LOCAL`; when read, `IFA_ADDRESS` if there is no `IFA_LOCAL`).
    pub addr: IpAddr,
    /// Prefix length (32/128 for a bare VIP).
    pub prefix_len: u8,
    /// `peer` (`IFA_ADDRESS`; when read, only if it differs from `IFA_LOCAL`).
    pub peer: Option<IpAddr>,
    /// `brd` (`IFA_BROADCAST`, IPv4 only).
    pub broadcast: Option<Ipv4Addr>,
    /// `label` (`IFA_LABEL`, IPv4 only).
    pub label: Option<String>,
    /// `scope` (`RT_SCOPE_*`; 0 = global).
    pub scope: u8,
    /// `IFA_F_*` flags. Read: `IFA_FLAGS` when present, else the header's 8-bit flags. Sent:
    /// the extra flags to set ([`IfAddr::new`] sets `IFA_F_NODAD` for IPv6).
    pub flags: u32,
    /// `preferred_lft` to send (seconds; 0 deprecates the address); None = forever. Not read
    /// back from the kernel (`IFA_CACHEINFO` is ignored), so always None when read.
    pub preferred_lft: Option<u32>,
    /// `IFA_PROTO`: read when the kernel reports it, sent only when set (kernels before 5.18
    /// do not know it).
    pub proto: Option<u8>,
}

impl IfAddr {
    /// A bare address with keepalived's defaults: global scope, `IFA_F_NODAD` for IPv6.
    pub fn new(ifindex: u32, addr: IpAddr, prefix_len: u8) -> Self {
        IfAddr {
            ifindex,
            addr,
            prefix_len,
            peer: None,
            broadcast: None,
            label: None,
            scope: libc::RT_SCOPE_UNIVERSE,
            flags: if addr.is_ipv6() { IFA_F_NODAD } else { 0 },
            preferred_lft: None,
            proto: None,
        }
    }

    fn describe(&self) -> String {
        format!(
            "{}/{} on ifindex {}",
            self.addr, self.prefix_len, self.ifindex
        )
    }
}

/// Whether a request changed anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The kernel applied it.
    Done,
    /// It was already so (EEXIST on add, EADDRNOTAVAIL/ENOENT on delete).
    AlreadySo,
}

/// An event from the [`Monitor`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// RTM_NEWLINK: a link appeared or changed (check [`Link::is_usable`]).
    Link(Link),
    /// RTM_DELLINK: a link was removed.
    LinkRemoved(Link),
    /// RTM_NEWADDR.
    AddrAdded(IfAddr),
    /// RTM_DELADDR.
    AddrRemoved(IfAddr),
    /// RTM_DELROUTE (only after [`Monitor::watch_routes`]).
    RouteRemoved(Removed),
    /// RTM_DELRULE (only after [`Monitor::watch_routes`]).
    RuleRemoved(Removed),
    /// The kernel dropped events (ENOBUFS): the caller must re-read the full state.
    Overrun,
}

/// A deleted route or rule: enough to tell whether it was one of ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    /// `AF_INET` or `AF_INET6`.
    pub family: u8,
    /// `RTPROT_*` (`rtm_protocol`, or a rule's `FRA_PROTOCOL`; 0 when absent).
    pub protocol: u8,
}

/// Parses the header of an RTM_DELROUTE payload (`struct rtmsg`).
pub fn parse_route_removed(payload: &[u8]) -> Result<Removed> {
    match payload {
        [family, _, _, _, _, protocol, _, _, _, _, _, _, ..] => Ok(Removed {
            family: *family,
            protocol: *protocol,
        }),
        _ => Err(malformed("parse route message", "short rtmsg")),
    }
}

/// Parses an RTM_DELRULE payload (`struct fib_rule_hdr` and `FRA_PROTOCOL`).
pub fn parse_rule_removed(payload: &[u8]) -> Result<Removed> {
    const FRA_PROTOCOL: u16 = 21;
    let op = "parse rule message";
    let family = *payload.first().ok_or_else(|| malformed(op, "empty"))?;
    let mut attrs = payload
        .get(12..)
        .ok_or_else(|| malformed(op, "short fib_rule_hdr"))?;
    let mut protocol = 0;
    while let [l0, l1, t0, t1, ..] = *attrs {
        let len = usize::from(u16::from_ne_bytes([l0, l1]));
        let ty = u16::from_ne_bytes([t0, t1]) & 0x3fff;
        let Some(body) = attrs.get(4..len.max(4)) else {
            return Err(malformed(op, format!("attribute length {len}")));
        };
        if ty == FRA_PROTOCOL {
            protocol = body.first().copied().unwrap_or(0);
        }
        if len < 4 {
            return Err(malformed(op, format!("attribute length {len}")));
        }
        attrs = attrs.get((len + 3) & !3..).unwrap_or(&[]);
    }
    Ok(Removed { family, protocol })
}

/// One raw netlink message: type, flags, seq and payload bytes.
struct RawMsg<'a> {
    ty: u16,
    seq: u32,
    payload: &'a [u8],
}

/// Walks the netlink messages in `buf`; stops with an error on a bad length.
fn split_msgs<'a>(op: &str, mut buf: &'a [u8]) -> Result<Vec<RawMsg<'a>>> {
    let mut out = Vec::new();
    while buf.len() >= NLMSG_HDRLEN {
        let len = u32::from_ne_bytes([buf[0], buf[1], buf[2], buf[3]]) as usize;
        if len < NLMSG_HDRLEN || len > buf.len() {
            return Err(malformed(
                op,
                format!("bad nlmsg_len {len} in {} bytes", buf.len()),
            ));
        }
        let ty = u16::from_ne_bytes([buf[4], buf[5]]);
        let seq = u32::from_ne_bytes([buf[8], buf[9], buf[10], buf[11]]);
        out.push(RawMsg {
            ty,
            seq,
            payload: &buf[NLMSG_HDRLEN..len],
        });
        let aligned = (len + 3) & !3;
        buf = &buf[aligned.min(buf.len())..];
    }
    Ok(out)
}

fn ip_from_bytes(family: u8, b: &[u8]) -> Option<IpAddr> {
    match (family as i32, b.len()) {
        (libc::AF_INET, 4) => Some(IpAddr::V4(Ipv4Addr::new(b[0], b[1], b[2], b[3]))),
        (libc::AF_INET6, 16) => {
            let mut a = [0u8; 16];
            a.copy_from_slice(b);
            Some(IpAddr::V6(Ipv6Addr::from(a)))
        }
        _ => None,
    }
}

fn ip_bytes(a: &IpAddr) -> Vec<u8> {
    match a {
        IpAddr::V4(v) => v.octets().to_vec(),
        IpAddr::V6(v) => v.octets().to_vec(),
    }
}

fn cstr(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

/// Parses an RTM_NEWLINK/RTM_DELLINK payload; unknown attributes are ignored.
pub fn parse_link(payload: &[u8]) -> Result<Link> {
    let op = "parse link message";
    let msg = Ifinfomsg::from_bytes_with_input(&mut Cursor::new(payload), payload.len())
        .map_err(|e| malformed(op, e))?;
    let mut link = Link {
        ifindex: u32::try_from(*msg.ifi_index()).map_err(|_| malformed(op, "negative ifindex"))?,
        name: String::new(),
        flags: (*msg.ifi_flags()).into(),
        mac: Vec::new(),
        mtu: None,
        link_type: (*msg.ifi_type()).into(),
    };
    for a in msg.rtattrs().iter() {
        let p = a.payload().as_ref();
        match *a.rta_type() {
            Ifla::Ifname => link.name = cstr(p),
            Ifla::Address => link.mac = p.to_vec(),
            Ifla::Mtu if p.len() == 4 => {
                link.mtu = Some(u32::from_ne_bytes([p[0], p[1], p[2], p[3]]))
            }
            _ => {}
        }
    }
    Ok(link)
}

/// Parses an RTM_NEWADDR/RTM_DELADDR payload; unknown attributes are ignored.
pub fn parse_addr(payload: &[u8]) -> Result<IfAddr> {
    let op = "parse address message";
    let msg = Ifaddrmsg::from_bytes_with_input(&mut Cursor::new(payload), payload.len())
        .map_err(|e| malformed(op, e))?;
    let family: u8 = (*msg.ifa_family()).into();
    let (mut local, mut address, mut broadcast, mut label, mut flags, mut proto) =
        (None, None, None, None, None, None);
    for a in msg.rtattrs().iter() {
        let p = a.payload().as_ref();
        match *a.rta_type() {
            Ifa::Local => local = ip_from_bytes(family, p),
            Ifa::Address => address = ip_from_bytes(family, p),
            Ifa::Broadcast => {
                if let Some(IpAddr::V4(b)) = ip_from_bytes(family, p) {
                    broadcast = Some(b)
                }
            }
            Ifa::Label => label = Some(cstr(p)),
            Ifa::Flags if p.len() == 4 => {
                flags = Some(u32::from_ne_bytes([p[0], p[1], p[2], p[3]]))
            }
            Ifa::UnrecognizedConst(IFA_PROTO) if p.len() == 1 => proto = Some(p[0]),
            _ => {}
        }
    }
    let addr = local
        .or(address)
        .ok_or_else(|| malformed(op, "no IFA_LOCAL or IFA_ADDRESS"))?;
    let peer = match (local, address) {
        (Some(l), Some(a)) if l != a => Some(a),
        _ => None,
    };
    let hdr_flags: u8 = (*msg.ifa_flags()).bits();
    Ok(IfAddr {
        ifindex: *msg.ifa_index(),
        addr,
        prefix_len: *msg.ifa_prefixlen(),
        peer,
        broadcast,
        label,
        scope: (*msg.ifa_scope()).into(),
        flags: flags.unwrap_or(hdr_flags as u32),
        preferred_lft: None,
        proto,
    })
}

fn attr(op: &str, ty: Ifa, payload: Vec<u8>) -> Result<Rtattr<Ifa, Buffer>> {
    RtattrBuilder::default()
        .rta_type(ty)
        .rta_payload(Buffer::from(payload))
        .build()
        .map_err(|e| malformed(op, e))
}

fn family_of(a: &IpAddr) -> RtAddrFamily {
    if a.is_ipv4() {
        RtAddrFamily::Inet
    } else {
        RtAddrFamily::Inet6
    }
}

fn serialize<P: Size + ToBytes + std::fmt::Debug>(
    op: &str,
    msg: &Nlmsghdr<Rtm, P>,
) -> Result<Vec<u8>> {
    let mut c = Cursor::new(vec![0u8; msg.padded_size()]);
    msg.to_bytes(&mut c).map_err(|e| malformed(op, e))?;
    Ok(c.into_inner())
}

/// A synchronous rtnetlink request socket (blocking; one request at a time).
pub struct Rtnl {
    sock: NlSocket,
    seq: u32,
    buf: Vec<u8>,
}

impl std::fmt::Debug for Rtnl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rtnl")
            .field("sock", &NlSocketDbg(&self.sock))
            .field("seq", &self.seq)
            .finish()
    }
}

impl Rtnl {
    /// Opens a NETLINK_ROUTE socket in the caller's network namespace.
    pub fn open() -> Result<Self> {
        let sock =
            NlSocket::connect(NlFamily::Route, None, Groups::empty()).map_err(|e| Error::Io {
                op: "open rtnetlink socket".into(),
                source: e,
            })?;
        sock.block().map_err(|e| Error::Io {
            op: "set rtnetlink socket blocking".into(),
            source: e,
        })?;
        keepalived_sys::net::set_recv_timeout_raw(sock.as_raw_fd(), REQUEST_TIMEOUT).map_err(
            |e| Error::Io {
                op: "set rtnetlink socket receive timeout".into(),
                source: e,
            },
        )?;
        Ok(Rtnl {
            sock,
            seq: 0,
            buf: vec![0; RECV_BUF],
        })
    }

    fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.wrapping_add(1);
        self.seq
    }

    fn send(&self, op: &str, bytes: &[u8]) -> Result<()> {
        self.sock.send(bytes, Msg::empty()).map_err(|e| Error::Io {
            op: op.to_string(),
            source: e,
        })?;
        Ok(())
    }

    fn recv(&mut self, op: &str) -> Result<usize> {
        loop {
            match self.sock.recv(&mut self.buf[..], Msg::empty()) {
                Ok((n, _)) => return Ok(n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(Error::Io {
                        op: op.to_string(),
                        source: e,
                    })
                }
            }
        }
    }

    /// Sends a dump request and hands every matching message's (type, payload) to `f`.
    fn dump(
        &mut self,
        op: &str,
        bytes: Vec<u8>,
        seq: u32,
        mut f: impl FnMut(u16, &[u8]) -> Result<()>,
    ) -> Result<()> {
        self.send(op, &bytes)?;
        loop {
            let n = self.recv(op)?;
            let buf = std::mem::take(&mut self.buf);
            let res = (|| {
                for m in split_msgs(op, &buf[..n])? {
                    if m.seq != seq {
                        continue;
                    }
                    match m.ty {
                        NLMSG_DONE => return Ok(true),
                        NLMSG_NOOP => {}
                        NLMSG_ERROR => {
                            let errno = errno_of(op, m.payload)?;
                            if errno != 0 {
                                return Err(Error::Kernel {
                                    op: op.to_string(),
                                    source: io::Error::from_raw_os_error(errno),
                                });
                            }
                            return Ok(true);
                        }
                        NLMSG_OVERRUN => return Err(malformed(op, "NLMSG_OVERRUN")),
                        ty => f(ty, m.payload)?,
                    }
                }
                Ok(false)
            })();
            self.buf = buf;
            if res? {
                return Ok(());
            }
        }
    }

    /// Sends a request with NLM_F_ACK and waits for its ack; returns the errno (0 = ok).
    fn request(&mut self, op: &str, bytes: Vec<u8>, seq: u32) -> Result<i32> {
        self.send(op, &bytes)?;
        loop {
            let n = self.recv(op)?;
            for m in split_msgs(op, &self.buf[..n])? {
                if m.seq == seq && m.ty == NLMSG_ERROR {
                    return errno_of(op, m.payload);
                }
            }
        }
    }

    /// All links (RTM_GETLINK dump).
    pub fn links(&mut self) -> Result<Vec<Link>> {
        let op = "list links";
        let seq = self.next_seq();
        let ifi = IfinfomsgBuilder::default()
            .ifi_family(RtAddrFamily::Unspecified)
            .ifi_type(Arphrd::from(0))
            .build()
            .map_err(|e| malformed(op, e))?;
        let msg = NlmsghdrBuilder::default()
            .nl_type(Rtm::Getlink)
            .nl_flags(NlmF::REQUEST | NlmF::DUMP)
            .nl_seq(seq)
            .nl_payload(NlPayload::Payload(ifi))
            .build()
            .map_err(|e| malformed(op, e))?;
        let bytes = serialize(op, &msg)?;
        let mut out = Vec::new();
        self.dump(op, bytes, seq, |ty, p| {
            if ty == u16::from(Rtm::Newlink) {
                out.push(parse_link(p)?);
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// The link called `name`, if any.
    pub fn link_by_name(&mut self, name: &str) -> Result<Option<Link>> {
        Ok(self.links()?.into_iter().find(|l| l.name == name))
    }

    /// All addresses of both families (RTM_GETADDR dump).
    pub fn addresses(&mut self) -> Result<Vec<IfAddr>> {
        let op = "list addresses";
        let seq = self.next_seq();
        let ifa = IfaddrmsgBuilder::default()
            .ifa_family(RtAddrFamily::Unspecified)
            .ifa_prefixlen(0)
            .ifa_scope(RtScope::Universe)
            .ifa_index(0)
            .build()
            .map_err(|e| malformed(op, e))?;
        let msg = NlmsghdrBuilder::default()
            .nl_type(Rtm::Getaddr)
            .nl_flags(NlmF::REQUEST | NlmF::DUMP)
            .nl_seq(seq)
            .nl_payload(NlPayload::Payload(ifa))
            .build()
            .map_err(|e| malformed(op, e))?;
        let bytes = serialize(op, &msg)?;
        let mut out = Vec::new();
        self.dump(op, bytes, seq, |ty, p| {
            if ty == u16::from(Rtm::Newaddr) {
                out.push(parse_addr(p)?);
            }
            Ok(())
        })?;
        Ok(out)
    }

    fn addr_msg(
        &mut self,
        op: &str,
        spec: &IfAddr,
        ty: Rtm,
        flags: NlmF,
    ) -> Result<(Vec<u8>, u32)> {
        let mut attrs = RtBuffer::new();
        attrs.push(attr(op, Ifa::Local, ip_bytes(&spec.addr))?);
        attrs.push(attr(
            op,
            Ifa::Address,
            ip_bytes(spec.peer.as_ref().unwrap_or(&spec.addr)),
        )?);
        if let Some(b) = spec.broadcast {
            attrs.push(attr(op, Ifa::Broadcast, b.octets().to_vec())?);
        }
        if let Some(l) = &spec.label {
            let mut v = l.as_bytes().to_vec();
            v.push(0);
            attrs.push(attr(op, Ifa::Label, v)?);
        }
        if spec.flags != 0 {
            attrs.push(attr(op, Ifa::Flags, spec.flags.to_ne_bytes().to_vec())?);
        }
        if ty == Rtm::Newaddr {
            if let Some(pref) = spec.preferred_lft {
                // struct ifa_cacheinfo { ifa_prefered, ifa_valid, cstamp, tstamp }
                let mut v = Vec::with_capacity(16);
                v.extend_from_slice(&pref.to_ne_bytes());
                v.extend_from_slice(&INFINITY_LIFE_TIME.to_ne_bytes());
                v.extend_from_slice(&[0u8; 8]);
                attrs.push(attr(op, Ifa::Cacheinfo, v)?);
            }
            if let Some(p) = spec.proto {
                attrs.push(attr(op, Ifa::UnrecognizedConst(IFA_PROTO), vec![p])?);
            }
        }
        let ifa = IfaddrmsgBuilder::default()
            .ifa_family(family_of(&spec.addr))
            .ifa_prefixlen(spec.prefix_len)
            .ifa_flags(IfaF::from_bits_truncate(spec.flags as u8))
            .ifa_scope(RtScope::from(spec.scope))
            .ifa_index(spec.ifindex)
            .rtattrs(attrs)
            .build()
            .map_err(|e| malformed(op, e))?;
        let seq = self.next_seq();
        let msg = NlmsghdrBuilder::default()
            .nl_type(ty)
            .nl_flags(NlmF::REQUEST | NlmF::ACK | flags)
            .nl_seq(seq)
            .nl_payload(NlPayload::Payload(ifa))
            .build()
            .map_err(|e| malformed(op, e))?;
        Ok((serialize(op, &msg)?, seq))
    }

    /// Sends a request with NLM_F_ACK; errno 0 is [`Change::Done`], one of `already` is
    /// [`Change::AlreadySo`], any other is an error naming `op`.
    fn change(&mut self, op: String, bytes: Vec<u8>, seq: u32, already: &[i32]) -> Result<Change> {
        match self.request(&op, bytes, seq)? {
            0 => Ok(Change::Done),
            e if already.contains(&e) => Ok(Change::AlreadySo),
            e => Err(Error::Kernel {
                op,
                source: io::Error::from_raw_os_error(e),
            }),
        }
    }

    /// Adds an address (RTM_NEWADDR, NLM_F_CREATE|NLM_F_EXCL); EEXIST is [`Change::AlreadySo`].
    pub fn add_address(&mut self, spec: &IfAddr) -> Result<Change> {
        let op = format!("add address {}", spec.describe());
        let (bytes, seq) = self.addr_msg(&op, spec, Rtm::Newaddr, NlmF::CREATE | NlmF::EXCL)?;
        self.change(op, bytes, seq, &[libc::EEXIST])
    }

    /// Deletes an address (RTM_DELADDR); EADDRNOTAVAIL/ENOENT is [`Change::AlreadySo`].
    pub fn del_address(&mut self, spec: &IfAddr) -> Result<Change> {
        let op = format!("delete address {}", spec.describe());
        let (bytes, seq) = self.addr_msg(&op, spec, Rtm::Deladdr, NlmF::empty())?;
        self.change(
            op,
            bytes,
            seq,
            &[libc::EADDRNOTAVAIL, libc::ENOENT, libc::ENODEV],
        )
    }

    /// Adds a route (NLM_F_CREATE|NLM_F_EXCL); EEXIST is [`Change::AlreadySo`].
    pub fn add_route(&mut self, spec: &RouteSpec) -> Result<Change> {
        let seq = self.next_seq();
        let op = format!("add route {}", spec.describe());
        self.change(op, route::route_msg(spec, false, seq), seq, &[libc::EEXIST])
    }

    /// Deletes a route; ESRCH/ENOENT (no such route) is [`Change::AlreadySo`].
    pub fn del_route(&mut self, spec: &RouteSpec) -> Result<Change> {
        let seq = self.next_seq();
        let op = format!("delete route {}", spec.describe());
        let gone = [libc::ESRCH, libc::ENOENT, libc::ENODEV];
        self.change(op, route::route_msg(spec, true, seq), seq, &gone)
    }

    /// Adds a policy rule (NLM_F_CREATE|NLM_F_EXCL); EEXIST is [`Change::AlreadySo`].
    pub fn add_rule(&mut self, spec: &RuleSpec) -> Result<Change> {
        let seq = self.next_seq();
        let op = format!("add rule {}", spec.describe());
        self.change(op, route::rule_msg(spec, false, seq), seq, &[libc::EEXIST])
    }

    /// Deletes a policy rule; ENOENT is [`Change::AlreadySo`].
    pub fn del_rule(&mut self, spec: &RuleSpec) -> Result<Change> {
        let seq = self.next_seq();
        let op = format!("delete rule {}", spec.describe());
        let gone = [libc::ENOENT, libc::ESRCH];
        self.change(op, route::rule_msg(spec, true, seq), seq, &gone)
    }

    /// Creates a macvlan, down; EEXIST (a link of that name exists) is [`Change::AlreadySo`].
    pub fn add_macvlan(&mut self, spec: &MacvlanSpec) -> Result<Change> {
        let seq = self.next_seq();
        let op = format!(
            "create macvlan {} on ifindex {}",
            spec.name, spec.base_ifindex
        );
        self.change(op, link::macvlan_msg(spec, seq), seq, &[libc::EEXIST])
    }

    /// Sets a link administratively up or down.
    pub fn set_link_up(&mut self, ifindex: u32, up: bool) -> Result<Change> {
        let seq = self.next_seq();
        let op = format!("set ifindex {ifindex} {}", if up { "up" } else { "down" });
        self.change(op, link::set_up_msg(ifindex, up, seq), seq, &[])
    }

    /// Deletes a link; ENODEV (already gone) is [`Change::AlreadySo`].
    pub fn del_link(&mut self, ifindex: u32) -> Result<Change> {
        let seq = self.next_seq();
        let op = format!("delete ifindex {ifindex}");
        self.change(op, link::del_link_msg(ifindex, seq), seq, &[libc::ENODEV])
    }
}

impl AsRawFd for Rtnl {
    fn as_raw_fd(&self) -> RawFd {
        self.sock.as_raw_fd()
    }
}

fn errno_of(op: &str, payload: &[u8]) -> Result<i32> {
    if payload.len() < 4 {
        return Err(malformed(op, "short NLMSG_ERROR"));
    }
    let e = i32::from_ne_bytes([payload[0], payload[1], payload[2], payload[3]]);
    Ok(e.checked_neg().unwrap_or(i32::MAX))
}

/// A non-blocking rtnetlink socket subscribed to link and IPv4/IPv6 address events;
/// register [`AsRawFd::as_raw_fd`] with mio (`SourceFd`) and call [`Monitor::read_events`]
/// when readable.
pub struct Monitor {
    sock: NlSocket,
    buf: Vec<u8>,
}

impl std::fmt::Debug for Monitor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Monitor")
            .field("sock", &NlSocketDbg(&self.sock))
            .finish()
    }
}

impl Monitor {
    /// Opens the monitor in the caller's network namespace (RTNLGRP_LINK,
    /// RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR), non-blocking.
    pub fn open() -> Result<Self> {
        let groups = Groups::new_groups(&[
            libc::RTNLGRP_LINK,
            libc::RTNLGRP_IPV4_IFADDR,
            libc::RTNLGRP_IPV6_IFADDR,
        ]);
        let sock = NlSocket::connect(NlFamily::Route, None, groups).map_err(|e| Error::Io {
            op: "open rtnetlink monitor".into(),
            source: e,
        })?;
        sock.nonblock().map_err(|e| Error::Io {
            op: "set rtnetlink monitor non-blocking".into(),
            source: e,
        })?;
        Ok(Monitor {
            sock,
            buf: vec![0; RECV_BUF],
        })
    }

    /// Sets the socket receive buffer (SO_RCVBUF; the kernel doubles it, capped by
    /// rmem_max). keepalived enlarges it so that bursts of events are not lost.
    pub fn set_recv_buffer_size(&self, bytes: usize) -> Result<()> {
        self.sock
            .set_recv_buffer_size(bytes)
            .map_err(|e| Error::Io {
                op: format!("set rtnetlink monitor receive buffer to {bytes}"),
                source: e,
            })
    }

    /// Also reports deleted routes and rules (IPv4 and IPv6), for callers that put theirs
    /// back. Idempotent.
    pub fn watch_routes(&self) -> Result<()> {
        let groups = Groups::new_groups(&[
            libc::RTNLGRP_IPV4_ROUTE,
            libc::RTNLGRP_IPV6_ROUTE,
            libc::RTNLGRP_IPV4_RULE,
            libc::RTNLGRP_IPV6_RULE,
        ]);
        self.sock
            .add_mcast_membership(groups)
            .map_err(|e| Error::Io {
                op: "watch routes and rules on the rtnetlink monitor".into(),
                source: io::Error::other(e.to_string()),
            })
    }

    /// Reads every pending event until the socket would block. Messages that fail to
    /// parse are logged and skipped; ENOBUFS yields [`Event::Overrun`].
    pub fn read_events(&mut self) -> Result<Vec<Event>> {
        let op = "read rtnetlink monitor";
        let mut out = Vec::new();
        loop {
            let n = match self.sock.recv(&mut self.buf[..], Msg::empty()) {
                Ok((0, _)) => return Ok(out),
                Ok((n, _)) => n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(out),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => {
                    out.push(Event::Overrun);
                    continue;
                }
                Err(e) => {
                    return Err(Error::Io {
                        op: op.into(),
                        source: e,
                    })
                }
            };
            let msgs = match split_msgs(op, &self.buf[..n]) {
                Ok(m) => m,
                Err(e) => {
                    log::warn!("{e}");
                    continue;
                }
            };
            for m in msgs {
                let ev = match m.ty {
                    t if t == u16::from(Rtm::Newlink) => parse_link(m.payload).map(Event::Link),
                    t if t == u16::from(Rtm::Dellink) => {
                        parse_link(m.payload).map(Event::LinkRemoved)
                    }
                    t if t == u16::from(Rtm::Newaddr) => {
                        parse_addr(m.payload).map(Event::AddrAdded)
                    }
                    t if t == u16::from(Rtm::Deladdr) => {
                        parse_addr(m.payload).map(Event::AddrRemoved)
                    }
                    route::RTM_DELROUTE => parse_route_removed(m.payload).map(Event::RouteRemoved),
                    route::RTM_DELRULE => parse_rule_removed(m.payload).map(Event::RuleRemoved),
                    _ => continue,
                };
                match ev {
                    Ok(ev) => out.push(ev),
                    Err(e) => log::warn!("{e}"),
                }
            }
        }
    }
}

impl AsRawFd for Monitor {
    fn as_raw_fd(&self) -> RawFd {
        self.sock.as_raw_fd()
    }
}

struct NlSocketDbg<'a>(&'a NlSocket);

impl std::fmt::Debug for NlSocketDbg<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NlSocket(fd {})", self.0.as_raw_fd())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_rejects_bad_lengths_without_panic() {
        let mut b = vec![0u8; 20];
        b[0] = 200; // nlmsg_len beyond the buffer
        assert!(split_msgs("t", &b).is_err());
        b[0] = 3; // shorter than a header
        assert!(split_msgs("t", &b).is_err());
        assert!(split_msgs("t", &[1, 2, 3]).unwrap().is_empty());
    }

    #[test]
    fn random_payloads_never_panic() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..20_000 {
            let len = (next() % 96) as usize;
            let mut b: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            // make some attribute headers plausible so parsing goes deeper
            if len > 12 {
                b[8] = (next() % 24) as u8;
                b[9] = 0;
            }
            let _ = parse_addr(&b);
            let _ = parse_link(&b);
            let _ = parse_route_removed(&b);
            let _ = parse_rule_removed(&b);
            let _ = split_msgs("fuzz", &b);
        }
    }

    #[test]
    fn removed_routes_and_rules_tell_their_protocol() {
        let mut r = RouteSpec::new("198.51.100.0".parse().unwrap(), 24);
        r.gateway = Some("192.0.2.1".parse().unwrap());
        let msg = route::route_msg(&r, true, 1);
        assert_eq!(
            parse_route_removed(&msg[16..]).unwrap(),
            Removed {
                family: libc::AF_INET as u8,
                protocol: RTPROT_KEEPALIVED
            }
        );
        let mut rule = RuleSpec::new(libc::AF_INET6 as u8);
        rule.iif = Some("eth0".into());
        let msg = route::rule_msg(&rule, true, 1);
        assert_eq!(
            parse_rule_removed(&msg[16..]).unwrap(),
            Removed {
                family: libc::AF_INET6 as u8,
                protocol: RTPROT_KEEPALIVED
            }
        );
        rule.protocol = 0;
        let msg = route::rule_msg(&rule, true, 1);
        assert_eq!(parse_rule_removed(&msg[16..]).unwrap().protocol, 0);
        for cut in 0..msg.len() - 16 {
            let _ = parse_rule_removed(&msg[16..16 + cut]);
        }
        assert!(parse_route_removed(&[2, 24]).is_err());
    }

    #[test]
    fn parse_addr_ignores_unknown_attributes_and_short_payloads() {
        // ifaddrmsg: family AF_INET, prefix 24, flags 0, scope 0, index 7
        let mut p = vec![libc::AF_INET as u8, 24, 0, 0, 7, 0, 0, 0];
        // unknown attribute type 200, 4 bytes payload
        p.extend_from_slice(&8u16.to_ne_bytes());
        p.extend_from_slice(&200u16.to_ne_bytes());
        p.extend_from_slice(&[1, 2, 3, 4]);
        // IFA_LOCAL 192.0.2.5
        p.extend_from_slice(&8u16.to_ne_bytes());
        p.extend_from_slice(&libc::IFA_LOCAL.to_ne_bytes());
        p.extend_from_slice(&[192, 0, 2, 5]);
        let a = parse_addr(&p).unwrap();
        assert_eq!(a.addr, "192.0.2.5".parse::<IpAddr>().unwrap());
        assert_eq!(a.prefix_len, 24);
        assert_eq!(a.ifindex, 7);
        for cut in 0..p.len() {
            let _ = parse_addr(&p[..cut]);
            let _ = parse_link(&p[..cut]);
        }
    }
}
