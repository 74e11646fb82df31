//! Raw IP protocol 112 socket for one interface and family, used by the VRRP child to
//! receive and send adverts (multicast 224.0.0.18 / ff02::12 or `mcast_dst_ip`, or
//! unicast from `unicast_src_ip` to each `unicast_peer`), RFC 5798 §5.1.

use std::io::{IoSlice, IoSliceMut};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};

use nix::errno::Errno;
use nix::sys::socket::{
    recvmsg, sendmsg, setsockopt, sockopt, ControlMessage, ControlMessageOwned, MsgFlags,
    SockaddrIn, SockaddrIn6,
};
use socket2::{Domain, InterfaceIndexOrAddress, Protocol, SockAddr, Socket, Type};

use keepalived_sys::mmsg::{send_batch, InMeta, OutDatagram, RecvBatch};

use super::{default_group, NetError, NetResult, IPPROTO_VRRP, VRRP_TOS, VRRP_TTL};

/// Address family of a VRRP socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// IPv4 (VRRPv2 or v3).
    V4,
    /// IPv6 (VRRPv3).
    V6,
}

/// How to open a [`VrrpSocket`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SocketConfig {
    /// Interface name (SO_BINDTODEVICE).
    pub ifname: String,
    /// Interface index (multicast membership and output interface).
    pub ifindex: u32,
    /// Address family.
    pub family: Family,
    /// Multicast group to join (default 224.0.0.18 / ff02::12; `mcast_dst_ip`); None for
    /// unicast-only sockets.
    pub mcast_group: Option<IpAddr>,
    /// `unicast_src_ip`: for unicast sockets the socket is bound to it (so only packets to
    /// it are received) and it is the source of sent packets; for IPv6 multicast it is
    /// sent as IPV6_PKTINFO source; for IPv4 multicast it selects IP_MULTICAST_IF (by
    /// address; without it IP_MULTICAST_IF is set by ifindex).
    pub src: Option<IpAddr>,
    /// IPv4 only: the caller supplies the whole IP header on send (IP_HDRINCL).
    pub hdrincl: bool,
    /// TTL / hop limit for unicast sends (`unicast_ttl`; multicast is always 255).
    pub unicast_ttl: u8,
}

impl SocketConfig {
    /// Multicast on the default group, no source binding, TTL 255, no IP_HDRINCL.
    pub fn multicast(ifname: &str, ifindex: u32, family: Family) -> Self {
        SocketConfig {
            ifname: ifname.to_string(),
            ifindex,
            family,
            mcast_group: Some(default_group(family)),
            src: None,
            hdrincl: false,
            unicast_ttl: VRRP_TTL,
        }
    }

    /// Unicast from `src` (`unicast_src_ip`).
    pub fn unicast(ifname: &str, ifindex: u32, src: IpAddr) -> Self {
        let family = if src.is_ipv4() {
            Family::V4
        } else {
            Family::V6
        };
        SocketConfig {
            ifname: ifname.to_string(),
            ifindex,
            family,
            mcast_group: None,
            src: Some(src),
            hdrincl: false,
            unicast_ttl: VRRP_TTL,
        }
    }
}

/// What came with a received packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecvMeta {
    /// Bytes received into the buffer. IPv4: the whole IP packet (header included);
    /// IPv6: the VRRP message only (the kernel strips the IPv6 header).
    pub len: usize,
    /// Source address.
    pub src: IpAddr,
    /// Destination address (IPv4: from the header; IPv6: IPV6_PKTINFO), if known.
    pub dst: Option<IpAddr>,
    /// TTL (IPv4 header) or hop limit (IPV6_HOPLIMIT), if known.
    pub ttl: Option<u8>,
    /// Receiving interface index (IPV6_PKTINFO, else the bound interface).
    pub ifindex: u32,
}

/// Receive buffer asked for each VRRP socket (see [`VrrpSocket::open`]).
const RX_BUF_BYTES: usize = 2 << 20;

/// A non-blocking raw VRRP socket bound to one interface.
#[derive(Debug)]
pub struct VrrpSocket {
    sock: Socket,
    cfg: SocketConfig,
}

fn op_err(op: impl FnOnce() -> String) -> impl FnOnce(std::io::Error) -> NetError {
    move |e| NetError::new(op(), e)
}

impl VrrpSocket {
    /// Opens and configures the socket as keepalived does (see the module doc).
    pub fn open(cfg: &SocketConfig) -> NetResult<Self> {
        let on = format!("on {} (ifindex {})", cfg.ifname, cfg.ifindex);
        let domain = match cfg.family {
            Family::V4 => Domain::IPV4,
            Family::V6 => Domain::IPV6,
        };
        let sock = Socket::new(domain, Type::RAW, Some(Protocol::from(IPPROTO_VRRP)))
            .map_err(op_err(|| format!("open raw VRRP socket {on}")))?;
        sock.bind_device(Some(cfg.ifname.as_bytes()))
            .map_err(op_err(|| format!("SO_BINDTODEVICE {on}")))?;
        sock.set_nonblocking(true)
            .map_err(op_err(|| format!("set non-blocking {on}")))?;
        // One socket carries the adverts of every instance on the interface: at 200
        // instances x 10 ms that is 20,000 packets/s, and the default buffer (~200 KiB)
        // holds ~15 ms of them, so a daemon descheduled that long on a busy host drops
        // adverts and its instances flap. Best effort: the kernel doubles the value and
        // caps SO_RCVBUF at rmem_max, which SO_RCVBUFFORCE (CAP_NET_ADMIN) bypasses.
        if setsockopt(&sock, sockopt::RcvBufForce, &RX_BUF_BYTES).is_err() {
            let _ = sock.set_recv_buffer_size(RX_BUF_BYTES);
        }
        match cfg.family {
            Family::V4 => Self::setup_v4(&sock, cfg, &on)?,
            Family::V6 => Self::setup_v6(&sock, cfg, &on)?,
        }
        if cfg.mcast_group.is_none() {
            if let Some(src) = cfg.src {
                let sa = match src {
                    IpAddr::V4(a) => SocketAddr::V4(SocketAddrV4::new(a, 0)),
                    IpAddr::V6(a) => {
                        SocketAddr::V6(SocketAddrV6::new(a, 0, 0, scope_for(&a, cfg.ifindex)))
                    }
                };
                sock.bind(&SockAddr::from(sa))
                    .map_err(op_err(|| format!("bind to unicast_src_ip {src} {on}")))?;
            }
        }
        Ok(VrrpSocket {
            sock,
            cfg: cfg.clone(),
        })
    }

    fn setup_v4(sock: &Socket, cfg: &SocketConfig, on: &str) -> NetResult<()> {
        sock.set_multicast_all_v4(false)
            .map_err(op_err(|| format!("IP_MULTICAST_ALL 0 {on}")))?;
        sock.set_tos_v4(VRRP_TOS as u32)
            .map_err(op_err(|| format!("IP_TOS {on}")))?;
        sock.set_ttl_v4(cfg.unicast_ttl as u32)
            .map_err(op_err(|| format!("IP_TTL {on}")))?;
        sock.set_multicast_ttl_v4(VRRP_TTL as u32)
            .map_err(op_err(|| format!("IP_MULTICAST_TTL {on}")))?;
        sock.set_multicast_loop_v4(false)
            .map_err(op_err(|| format!("IP_MULTICAST_LOOP 0 {on}")))?;
        if cfg.hdrincl {
            sock.set_header_included_v4(true)
                .map_err(op_err(|| format!("IP_HDRINCL {on}")))?;
        }
        if cfg.mcast_group.is_some() {
            match cfg.src {
                Some(IpAddr::V4(src)) => sock
                    .set_multicast_if_v4(&src)
                    .map_err(op_err(|| format!("IP_MULTICAST_IF {src} {on}")))?,
                _ => keepalived_sys::net::set_multicast_if_v4_index(sock.as_fd(), cfg.ifindex)
                    .map_err(op_err(|| format!("IP_MULTICAST_IF {on}")))?,
            }
        }
        match cfg.mcast_group {
            Some(IpAddr::V4(g)) => sock
                .join_multicast_v4_n(&g, &InterfaceIndexOrAddress::Index(cfg.ifindex))
                .map_err(op_err(|| format!("IP_ADD_MEMBERSHIP {g} {on}")))?,
            Some(IpAddr::V6(g)) => {
                return Err(NetError::new(
                    format!("join {g} {on}"),
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidInput,
                        "IPv6 group on an IPv4 socket",
                    ),
                ))
            }
            None => {}
        }
        Ok(())
    }

    fn setup_v6(sock: &Socket, cfg: &SocketConfig, on: &str) -> NetResult<()> {
        // RFC 5798 §5.2.8: the checksum covers the pseudo-header; offset 6 in the VRRP
        // message. The kernel fills it on send and drops bad ones on receive.
        keepalived_sys::net::set_ipv6_checksum(sock.as_fd(), 6)
            .map_err(op_err(|| format!("IPV6_CHECKSUM 6 {on}")))?;
        sock.set_multicast_all_v6(false)
            .map_err(op_err(|| format!("IPV6_MULTICAST_ALL 0 {on}")))?;
        sock.set_multicast_hops_v6(VRRP_TTL as u32)
            .map_err(op_err(|| format!("IPV6_MULTICAST_HOPS {on}")))?;
        sock.set_unicast_hops_v6(cfg.unicast_ttl as u32)
            .map_err(op_err(|| format!("IPV6_UNICAST_HOPS {on}")))?;
        sock.set_multicast_loop_v6(false)
            .map_err(op_err(|| format!("IPV6_MULTICAST_LOOP 0 {on}")))?;
        sock.set_multicast_if_v6(cfg.ifindex)
            .map_err(op_err(|| format!("IPV6_MULTICAST_IF {on}")))?;
        sock.set_recv_hoplimit_v6(true)
            .map_err(op_err(|| format!("IPV6_RECVHOPLIMIT {on}")))?;
        setsockopt(sock, sockopt::Ipv6RecvPacketInfo, &true)
            .map_err(|e| NetError::new(format!("IPV6_RECVPKTINFO {on}"), e.into()))?;
        setsockopt(sock, sockopt::Ipv6TClass, &(VRRP_TOS as i32))
            .map_err(|e| NetError::new(format!("IPV6_TCLASS {on}"), e.into()))?;
        match cfg.mcast_group {
            Some(IpAddr::V6(g)) => sock
                .join_multicast_v6(&g, cfg.ifindex)
                .map_err(op_err(|| format!("IPV6_ADD_MEMBERSHIP {g} {on}")))?,
            Some(IpAddr::V4(g)) => {
                return Err(NetError::new(
                    format!("join {g} {on}"),
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidInput,
                        "IPv4 group on an IPv6 socket",
                    ),
                ))
            }
            None => {}
        }
        Ok(())
    }

    /// The configuration the socket was opened with.
    pub fn config(&self) -> &SocketConfig {
        &self.cfg
    }

    /// Receives one packet into `buf`. `Ok(None)` when nothing is pending.
    /// Truncated packets are reported with `len` = bytes kept (the decoder rejects them).
    pub fn recv(&self, buf: &mut [u8]) -> NetResult<Option<RecvMeta>> {
        loop {
            let r = match self.cfg.family {
                Family::V4 => self.recv_v4(buf),
                Family::V6 => self.recv_v6(buf),
            };
            // The error is named only when it is one: every drain ends with EAGAIN, and
            // formatting a message for it cost more than the receive at 20k adverts/s.
            return match r {
                Ok(m) => Ok(Some(m)),
                Err(Errno::EAGAIN) => Ok(None),
                // mio is edge-triggered: retry rather than leave a readable socket unread
                Err(Errno::EINTR) => continue,
                Err(e) => Err(NetError::new(
                    format!("receive VRRP on {}", self.cfg.ifname),
                    e.into(),
                )),
            };
        }
    }

    /// Reads the queued packets into `batch` with one `recvmmsg` (as many as it has slots).
    /// `Ok(0)` when nothing is pending. Each packet's [`RecvMeta`] is [`VrrpSocket::meta_of`].
    pub fn recv_batch(&self, batch: &mut RecvBatch) -> NetResult<usize> {
        loop {
            return match batch.recv(self.sock.as_fd()) {
                Ok(n) => Ok(n),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => Ok(0),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => Err(NetError::new(
                    format!("receive VRRP on {}", self.cfg.ifname),
                    e,
                )),
            };
        }
    }

    /// What [`VrrpSocket::recv`] would report for a packet of a [`RecvBatch`].
    pub fn meta_of(&self, bytes: &[u8], m: &InMeta) -> RecvMeta {
        match self.cfg.family {
            Family::V4 => {
                let src = match m.src {
                    Some(SocketAddr::V4(a)) => IpAddr::V4(*a.ip()),
                    _ => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
                };
                let (dst, ttl) = match bytes {
                    [b0, _, _, _, _, _, _, _, ttl, _, _, _, _, _, _, _, d0, d1, d2, d3, ..]
                        if b0 >> 4 == 4 =>
                    {
                        (
                            Some(IpAddr::V4(Ipv4Addr::new(*d0, *d1, *d2, *d3))),
                            Some(*ttl),
                        )
                    }
                    _ => (None, None),
                };
                RecvMeta {
                    len: m.len,
                    src,
                    dst,
                    ttl,
                    ifindex: self.cfg.ifindex,
                }
            }
            Family::V6 => RecvMeta {
                len: m.len,
                src: match m.src {
                    Some(SocketAddr::V6(a)) => IpAddr::V6(*a.ip()),
                    _ => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
                },
                dst: m.pktinfo.map(|(a, _)| IpAddr::V6(a)),
                ttl: m.hoplimit.and_then(|h| u8::try_from(h).ok()),
                ifindex: m.pktinfo.map_or(self.cfg.ifindex, |(_, i)| i),
            },
        }
    }

    /// Sends each `(bytes, dst, src)` as [`VrrpSocket::send_from`] would, with one
    /// `sendmmsg` for all. Returns the errors with the index of their datagram in `msgs`,
    /// one per datagram not sent (an IPv6 source refused by the kernel is retried with its
    /// choice, as `send_from` does).
    pub fn send_batch(&self, msgs: &[(&[u8], IpAddr, Option<IpAddr>)]) -> Vec<(usize, NetError)> {
        let mut errs = Vec::new();
        let mut out = Vec::with_capacity(msgs.len());
        let mut index = Vec::with_capacity(msgs.len());
        for (k, &(buf, dst, src)) in msgs.iter().enumerate() {
            let ok = matches!(
                (dst, self.cfg.family),
                (IpAddr::V4(_), Family::V4) | (IpAddr::V6(_), Family::V6)
            );
            if !ok {
                let e = self.send_from(buf, dst, src).err().unwrap_or_else(|| {
                    NetError::new(
                        format!("send VRRP to {dst} on {}", self.cfg.ifname),
                        std::io::Error::other("family mismatch"),
                    )
                });
                errs.push((k, e));
                continue;
            }
            let (sa, _) = self.send_params(dst);
            let pktinfo = match src {
                Some(IpAddr::V6(s)) if !s.is_unspecified() => Some((s, self.cfg.ifindex)),
                _ => None,
            };
            out.push(OutDatagram {
                buf,
                dst: sa,
                pktinfo,
            });
            index.push(k);
        }
        let mut done = 0;
        while done < out.len() {
            match send_batch(self.sock.as_fd(), &out[done..]) {
                Ok(n) if n > 0 => done += n,
                // The first datagram left failed: send it alone for its own error (and the
                // fallback without IPV6_PKTINFO), then batch the rest.
                _ => {
                    let d = out[done];
                    let dst = match d.dst {
                        SocketAddr::V4(a) => IpAddr::V4(*a.ip()),
                        SocketAddr::V6(a) => IpAddr::V6(*a.ip()),
                    };
                    let src = msgs.get(index[done]).and_then(|m| m.2);
                    if let Err(e) = self.send_from(d.buf, dst, src) {
                        errs.push((index[done], e));
                    }
                    done += 1;
                }
            }
        }
        errs
    }

    fn recv_v4(&self, buf: &mut [u8]) -> nix::Result<RecvMeta> {
        let (n, from) = nix::sys::socket::recvfrom::<SockaddrIn>(self.sock.as_raw_fd(), buf)?;
        let src = IpAddr::V4(from.map(|a| a.ip()).unwrap_or(Ipv4Addr::UNSPECIFIED));
        let (dst, ttl) = if n >= 20 && buf[0] >> 4 == 4 {
            (
                Some(IpAddr::V4(Ipv4Addr::new(
                    buf[16], buf[17], buf[18], buf[19],
                ))),
                Some(buf[8]),
            )
        } else {
            (None, None)
        };
        Ok(RecvMeta {
            len: n.min(buf.len()),
            src,
            dst,
            ttl,
            ifindex: self.cfg.ifindex,
        })
    }

    fn recv_v6(&self, buf: &mut [u8]) -> nix::Result<RecvMeta> {
        let mut cmsg = nix::cmsg_space!(libc::in6_pktinfo, libc::c_int);
        let mut iov = [IoSliceMut::new(buf)];
        let msg = recvmsg::<SockaddrIn6>(
            self.sock.as_raw_fd(),
            &mut iov,
            Some(&mut cmsg),
            MsgFlags::MSG_DONTWAIT,
        )?;
        let mut meta = RecvMeta {
            len: msg.bytes,
            src: IpAddr::V6(msg.address.map(|a| a.ip()).unwrap_or(Ipv6Addr::UNSPECIFIED)),
            dst: None,
            ttl: None,
            ifindex: self.cfg.ifindex,
        };
        if let Ok(cmsgs) = msg.cmsgs() {
            for c in cmsgs {
                match c {
                    ControlMessageOwned::Ipv6PacketInfo(pi) => {
                        meta.dst = Some(IpAddr::V6(Ipv6Addr::from(pi.ipi6_addr.s6_addr)));
                        meta.ifindex = pi.ipi6_ifindex;
                    }
                    ControlMessageOwned::Ipv6HopLimit(h) => meta.ttl = u8::try_from(h).ok(),
                    _ => {}
                }
            }
        }
        Ok(meta)
    }

    /// Sends `buf` to `dst` (the group, or one unicast peer). IPv4 with IP_HDRINCL: `buf` is
    /// the whole IP packet; otherwise the VRRP message (IPv6: checksum left to the kernel).
    pub fn send_to(&self, buf: &[u8], dst: IpAddr) -> NetResult<usize> {
        self.send_from(buf, dst, self.cfg.src)
    }

    /// As [`VrrpSocket::send_to`], from `src` (the instance's address). IPv6: the source
    /// goes in IPV6_PKTINFO, so the kernel skips source address selection, which scores
    /// every address of the interface on each send: with hundreds of VIPs on it that was
    /// 25 µs per advert. If the kernel refuses the address (gone from the interface), the
    /// advert goes out with the kernel's choice.
    pub fn send_from(&self, buf: &[u8], dst: IpAddr, src: Option<IpAddr>) -> NetResult<usize> {
        let op = || format!("send VRRP to {dst} on {}", self.cfg.ifname);
        match (dst, self.cfg.family) {
            (IpAddr::V4(d), Family::V4) => self
                .sock
                .send_to(buf, &SockAddr::from(SocketAddrV4::new(d, 0)))
                .map_err(op_err(op)),
            (IpAddr::V6(d), Family::V6) => {
                let sa =
                    SockaddrIn6::from(SocketAddrV6::new(d, 0, 0, scope_for(&d, self.cfg.ifindex)));
                let iov = [IoSlice::new(buf)];
                let plain = || {
                    sendmsg(
                        self.sock.as_raw_fd(),
                        &iov,
                        &[],
                        MsgFlags::empty(),
                        Some(&sa),
                    )
                };
                let r = match src {
                    Some(IpAddr::V6(s)) if !s.is_unspecified() => {
                        let pi = libc::in6_pktinfo {
                            ipi6_addr: libc::in6_addr {
                                s6_addr: s.octets(),
                            },
                            ipi6_ifindex: self.cfg.ifindex,
                        };
                        match sendmsg(
                            self.sock.as_raw_fd(),
                            &iov,
                            &[ControlMessage::Ipv6PacketInfo(&pi)],
                            MsgFlags::empty(),
                            Some(&sa),
                        ) {
                            Err(Errno::EADDRNOTAVAIL | Errno::EINVAL) if self.cfg.src.is_none() => {
                                plain()
                            }
                            r => r,
                        }
                    }
                    _ => plain(),
                };
                r.map_err(|e| NetError::new(op(), e.into()))
            }
            _ => Err(NetError::new(
                op(),
                std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "address family does not match the socket",
                ),
            )),
        }
    }
}

impl VrrpSocket {
    /// Where [`VrrpSocket::send_to`] sends a datagram for `dst`: the socket address (port 0,
    /// scope id for link-scope IPv6) and the IPV6_PKTINFO source and interface, if any. For
    /// another process sending on a duplicate of this socket (stand-in adverts).
    pub fn send_params(&self, dst: IpAddr) -> (SocketAddr, Option<(Ipv6Addr, u32)>) {
        match dst {
            IpAddr::V4(d) => (SocketAddr::V4(SocketAddrV4::new(d, 0)), None),
            IpAddr::V6(d) => (
                SocketAddr::V6(SocketAddrV6::new(d, 0, 0, scope_for(&d, self.cfg.ifindex))),
                match self.cfg.src {
                    Some(IpAddr::V6(s)) => Some((s, self.cfg.ifindex)),
                    _ => None,
                },
            ),
        }
    }
}

/// Link-local and multicast link-scope IPv6 addresses need the interface as scope id.
fn scope_for(a: &Ipv6Addr, ifindex: u32) -> u32 {
    let s = a.segments()[0];
    if (s & 0xffc0) == 0xfe80 || (s & 0xff0f) == 0xff02 {
        ifindex
    } else {
        0
    }
}

impl AsRawFd for VrrpSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.sock.as_raw_fd()
    }
}

impl AsFd for VrrpSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.sock.as_fd()
    }
}
