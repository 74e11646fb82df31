//! Batched datagram I/O: `sendmmsg` and `recvmmsg` with the addresses and the IPv6 packet
//! info a raw VRRP socket needs, one system call for many packets. Called by keepalived-vrrp's
//! VRRP socket (adverts due in the same wake-up go out together; a backup reads every queued
//! advert in one call) and by its `advert_floor` example.

use std::io;
use std::net::{Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::fd::{AsRawFd, BorrowedFd};

/// Room for one `IPV6_PKTINFO` and one `IPV6_HOPLIMIT` control message.
const CMSG_ROOM: usize = 64;

/// One datagram for [`send_batch`].
#[derive(Debug, Clone, Copy)]
pub struct OutDatagram<'a> {
    /// The payload (the whole IP packet on an `IP_HDRINCL` socket).
    pub buf: &'a [u8],
    /// Destination (port 0 for raw sockets; scope id for link-scope IPv6).
    pub dst: SocketAddr,
    /// IPv6 only: source address and interface sent as `IPV6_PKTINFO`.
    pub pktinfo: Option<(Ipv6Addr, u32)>,
}

/// A `sockaddr_in`/`sockaddr_in6` of `a` in a `sockaddr_storage`, and its length.
fn sockaddr_of(a: &SocketAddr) -> (libc::sockaddr_storage, libc::socklen_t) {
    // SAFETY: sockaddr_storage is plain old data; all-zero is a valid value.
    let mut ss: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let len = match a {
        SocketAddr::V4(v4) => {
            let sin = libc::sockaddr_in {
                sin_family: libc::AF_INET as libc::sa_family_t,
                sin_port: v4.port().to_be(),
                sin_addr: libc::in_addr {
                    s_addr: u32::from_ne_bytes(v4.ip().octets()),
                },
                sin_zero: [0; 8],
            };
            // SAFETY: sockaddr_storage is larger than and aligned for sockaddr_in; we write
            // one fully initialised value at its start.
            unsafe { std::ptr::write((&mut ss as *mut libc::sockaddr_storage).cast(), sin) };
            std::mem::size_of::<libc::sockaddr_in>()
        }
        SocketAddr::V6(v6) => {
            let sin6 = libc::sockaddr_in6 {
                sin6_family: libc::AF_INET6 as libc::sa_family_t,
                sin6_port: v6.port().to_be(),
                sin6_flowinfo: v6.flowinfo(),
                sin6_addr: libc::in6_addr {
                    s6_addr: v6.ip().octets(),
                },
                sin6_scope_id: v6.scope_id(),
            };
            // SAFETY: as above, for sockaddr_in6.
            unsafe { std::ptr::write((&mut ss as *mut libc::sockaddr_storage).cast(), sin6) };
            std::mem::size_of::<libc::sockaddr_in6>()
        }
    };
    (ss, len as libc::socklen_t)
}

/// The address in a `sockaddr_storage` the kernel filled, if it is IPv4 or IPv6.
fn sockaddr_to(ss: &libc::sockaddr_storage, len: libc::socklen_t) -> Option<SocketAddr> {
    let len = len as usize;
    match libc::c_int::from(ss.ss_family) {
        libc::AF_INET if len >= std::mem::size_of::<libc::sockaddr_in>() => {
            // SAFETY: the family says the storage holds a sockaddr_in, and it is large
            // enough and aligned for one.
            let sin: libc::sockaddr_in =
                unsafe { std::ptr::read((ss as *const libc::sockaddr_storage).cast()) };
            Some(SocketAddr::V4(SocketAddrV4::new(
                sin.sin_addr.s_addr.to_ne_bytes().into(),
                u16::from_be(sin.sin_port),
            )))
        }
        libc::AF_INET6 if len >= std::mem::size_of::<libc::sockaddr_in6>() => {
            // SAFETY: as above, for sockaddr_in6.
            let sin6: libc::sockaddr_in6 =
                unsafe { std::ptr::read((ss as *const libc::sockaddr_storage).cast()) };
            Some(SocketAddr::V6(SocketAddrV6::new(
                sin6.sin6_addr.s6_addr.into(),
                u16::from_be(sin6.sin6_port),
                sin6.sin6_flowinfo,
                sin6.sin6_scope_id,
            )))
        }
        _ => None,
    }
}

/// Control-message buffer, aligned for `cmsghdr`.
#[derive(Clone, Copy)]
#[repr(C, align(8))]
struct CmsgBuf([u8; CMSG_ROOM]);

/// Sends `msgs` with `sendmmsg` (in chunks the kernel accepts, UIO_MAXIOV). Returns how
/// many were sent: fewer than `msgs.len()` only when the kernel stopped early, in which case
/// the error of the first datagram not sent is returned if nothing at all was sent.
pub fn send_batch(fd: BorrowedFd<'_>, msgs: &[OutDatagram<'_>]) -> io::Result<usize> {
    const CHUNK: usize = 1024;
    let mut sent = 0;
    while sent < msgs.len() {
        let end = msgs.len().min(sent + CHUNK);
        let chunk = &msgs[sent..end];
        let n = match send_chunk(fd, chunk) {
            Ok(n) => n,
            Err(e) if sent == 0 => return Err(e),
            Err(_) => return Ok(sent),
        };
        sent += n;
        if n < chunk.len() {
            break;
        }
    }
    Ok(sent)
}

fn send_chunk(fd: BorrowedFd<'_>, msgs: &[OutDatagram<'_>]) -> io::Result<usize> {
    let n = msgs.len();
    let mut names = Vec::with_capacity(n);
    let mut iovs = Vec::with_capacity(n);
    let mut cmsgs = vec![CmsgBuf([0; CMSG_ROOM]); n];
    for m in msgs {
        names.push(sockaddr_of(&m.dst));
        iovs.push(libc::iovec {
            iov_base: m.buf.as_ptr() as *mut libc::c_void,
            iov_len: m.buf.len(),
        });
    }
    // SAFETY: mmsghdr is plain old data; all-zero is a valid value (no name, no iovec, no
    // control data) that the loop below fills in.
    let mut hdrs: Vec<libc::mmsghdr> = vec![unsafe { std::mem::zeroed() }; n];
    for (k, m) in msgs.iter().enumerate() {
        let h = &mut hdrs[k].msg_hdr;
        h.msg_name = (&mut names[k].0 as *mut libc::sockaddr_storage).cast();
        h.msg_namelen = names[k].1;
        h.msg_iov = &mut iovs[k];
        h.msg_iovlen = 1;
        if let Some((src, ifindex)) = m.pktinfo {
            let pi = libc::in6_pktinfo {
                ipi6_addr: libc::in6_addr {
                    s6_addr: src.octets(),
                },
                ipi6_ifindex: ifindex,
            };
            let data_len = std::mem::size_of::<libc::in6_pktinfo>() as libc::c_uint;
            // SAFETY: CMSG_SPACE only computes a size.
            let space = unsafe { libc::CMSG_SPACE(data_len) } as usize;
            h.msg_control = cmsgs[k].0.as_mut_ptr().cast();
            h.msg_controllen = space;
            // SAFETY: msg_control points at CMSG_ROOM (>= space) aligned bytes that live
            // until the call returns; CMSG_FIRSTHDR of a header whose controllen covers one
            // cmsghdr is non-null, and CMSG_DATA of it has room for data_len bytes.
            unsafe {
                let c = libc::CMSG_FIRSTHDR(h);
                (*c).cmsg_level = libc::IPPROTO_IPV6;
                (*c).cmsg_type = libc::IPV6_PKTINFO;
                (*c).cmsg_len = libc::CMSG_LEN(data_len) as usize;
                std::ptr::write_unaligned(libc::CMSG_DATA(c).cast::<libc::in6_pktinfo>(), pi);
            }
        }
    }
    // SAFETY: fd is a valid socket for the borrow; hdrs holds n headers whose names,
    // iovecs (pointing into the caller's live buffers, only read) and control buffers all
    // live until the call returns.
    let rc = unsafe { libc::sendmmsg(fd.as_raw_fd(), hdrs.as_mut_ptr(), n as libc::c_uint, 0) };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(rc as usize)
}

/// What came with one datagram of a [`RecvBatch`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InMeta {
    /// Bytes kept in the slot (at most the slot size).
    pub len: usize,
    /// The datagram was longer than the slot (`MSG_TRUNC`).
    pub truncated: bool,
    /// Source address, if the kernel gave an IPv4 or IPv6 one.
    pub src: Option<SocketAddr>,
    /// `IPV6_PKTINFO`: destination address and receiving interface.
    pub pktinfo: Option<(Ipv6Addr, u32)>,
    /// `IPV6_HOPLIMIT`.
    pub hoplimit: Option<i32>,
}

/// Buffers for `recvmmsg`: `slots` datagrams of up to `slot_len` bytes each, with their
/// source addresses and control data (for `IPV6_PKTINFO` and `IPV6_HOPLIMIT`).
pub struct RecvBatch {
    slot_len: usize,
    data: Vec<u8>,
    names: Vec<libc::sockaddr_storage>,
    cmsgs: Vec<CmsgBuf>,
    hdrs: Vec<libc::mmsghdr>,
    iovs: Vec<libc::iovec>,
    metas: Vec<InMeta>,
}

impl std::fmt::Debug for RecvBatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecvBatch")
            .field("slots", &self.names.len())
            .field("slot_len", &self.slot_len)
            .field("filled", &self.metas.len())
            .finish()
    }
}

impl RecvBatch {
    /// Room for `slots` datagrams of `slot_len` bytes (both at least 1).
    pub fn new(slots: usize, slot_len: usize) -> Self {
        let (slots, slot_len) = (slots.max(1), slot_len.max(1));
        // SAFETY: sockaddr_storage and mmsghdr are plain old data; all-zero is valid.
        let zero_ss: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
        // SAFETY: as above.
        let zero_h: libc::mmsghdr = unsafe { std::mem::zeroed() };
        RecvBatch {
            slot_len,
            data: vec![0; slots * slot_len],
            names: vec![zero_ss; slots],
            cmsgs: vec![CmsgBuf([0; CMSG_ROOM]); slots],
            hdrs: vec![zero_h; slots],
            iovs: vec![
                libc::iovec {
                    iov_base: std::ptr::null_mut(),
                    iov_len: 0,
                };
                slots
            ],
            metas: Vec::with_capacity(slots),
        }
    }

    /// Reads as many queued datagrams as there are slots without blocking
    /// (`MSG_DONTWAIT`). Returns how many; `Err` with `WouldBlock` when none is queued.
    pub fn recv(&mut self, fd: BorrowedFd<'_>) -> io::Result<usize> {
        let n = self.names.len();
        self.metas.clear();
        for k in 0..n {
            self.iovs[k] = libc::iovec {
                iov_base: self.data[k * self.slot_len..].as_mut_ptr().cast(),
                iov_len: self.slot_len,
            };
            let h = &mut self.hdrs[k];
            h.msg_len = 0;
            h.msg_hdr.msg_name = (&mut self.names[k] as *mut libc::sockaddr_storage).cast();
            h.msg_hdr.msg_namelen =
                std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
            h.msg_hdr.msg_iov = &mut self.iovs[k];
            h.msg_hdr.msg_iovlen = 1;
            h.msg_hdr.msg_control = self.cmsgs[k].0.as_mut_ptr().cast();
            h.msg_hdr.msg_controllen = CMSG_ROOM;
            h.msg_hdr.msg_flags = 0;
        }
        // SAFETY: fd is a valid socket for the borrow; every header points at its own name
        // storage, one iovec over its own slot of `data`, and its own control buffer, all
        // owned by self and untouched until the call returns; the lengths given are theirs.
        let rc = unsafe {
            libc::recvmmsg(
                fd.as_raw_fd(),
                self.hdrs.as_mut_ptr(),
                n as libc::c_uint,
                libc::MSG_DONTWAIT,
                std::ptr::null_mut(),
            )
        };
        if rc < 0 {
            return Err(io::Error::last_os_error());
        }
        let got = (rc as usize).min(n);
        for k in 0..got {
            let h = &self.hdrs[k];
            let mut meta = InMeta {
                len: (h.msg_len as usize).min(self.slot_len),
                truncated: h.msg_hdr.msg_flags & libc::MSG_TRUNC != 0,
                src: sockaddr_to(&self.names[k], h.msg_hdr.msg_namelen),
                pktinfo: None,
                hoplimit: None,
            };
            // SAFETY: the kernel set msg_controllen to the control data it wrote into our
            // buffer (at most CMSG_ROOM); CMSG_FIRSTHDR/NXTHDR stay within it and return
            // null at its end; each data read is bounded by the cmsg's own length.
            unsafe {
                let mut c = libc::CMSG_FIRSTHDR(&h.msg_hdr);
                while !c.is_null() {
                    let level = (*c).cmsg_level;
                    let ty = (*c).cmsg_type;
                    let dlen = (*c).cmsg_len.saturating_sub(libc::CMSG_LEN(0) as usize);
                    if level == libc::IPPROTO_IPV6
                        && ty == libc::IPV6_PKTINFO
                        && dlen >= std::mem::size_of::<libc::in6_pktinfo>()
                    {
                        let pi: libc::in6_pktinfo =
                            std::ptr::read_unaligned(libc::CMSG_DATA(c).cast());
                        meta.pktinfo = Some((pi.ipi6_addr.s6_addr.into(), pi.ipi6_ifindex));
                    } else if level == libc::IPPROTO_IPV6
                        && ty == libc::IPV6_HOPLIMIT
                        && dlen >= std::mem::size_of::<libc::c_int>()
                    {
                        meta.hoplimit = Some(std::ptr::read_unaligned(
                            libc::CMSG_DATA(c).cast::<libc::c_int>(),
                        ));
                    }
                    c = libc::CMSG_NXTHDR(&h.msg_hdr, c);
                }
            }
            self.metas.push(meta);
        }
        Ok(got)
    }

    /// The datagrams of the last [`RecvBatch::recv`]: bytes and what came with them.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &InMeta)> {
        self.metas.iter().enumerate().map(move |(k, m)| {
            let start = k * self.slot_len;
            (&self.data[start..start + m.len], m)
        })
    }

    /// Number of datagrams read by the last [`RecvBatch::recv`].
    pub fn len(&self) -> usize {
        self.metas.len()
    }

    /// No datagram from the last [`RecvBatch::recv`].
    pub fn is_empty(&self) -> bool {
        self.metas.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, UdpSocket};
    use std::os::fd::AsFd;

    #[test]
    fn batch_round_trip_over_loopback_udp() {
        let rx = UdpSocket::bind("127.0.0.1:0").unwrap();
        let tx = UdpSocket::bind("127.0.0.1:0").unwrap();
        let dst = rx.local_addr().unwrap();
        let payloads: Vec<Vec<u8>> = (0..5u8).map(|i| vec![i; 10 + usize::from(i)]).collect();
        let msgs: Vec<OutDatagram<'_>> = payloads
            .iter()
            .map(|p| OutDatagram {
                buf: p,
                dst,
                pktinfo: None,
            })
            .collect();
        assert_eq!(send_batch(tx.as_fd(), &msgs).unwrap(), 5);
        // slots of 12 bytes: the last two datagrams (13, 14 bytes) are cut
        let mut b = RecvBatch::new(8, 12);
        assert_eq!(b.recv(rx.as_fd()).unwrap(), 5);
        let got: Vec<_> = b.iter().map(|(d, m)| (d.to_vec(), *m)).collect();
        for (i, (d, m)) in got.iter().enumerate() {
            let want = &payloads[i];
            assert_eq!(d[..], want[..want.len().min(12)]);
            assert_eq!(m.truncated, want.len() > 12);
            assert_eq!(m.src, Some(tx.local_addr().unwrap()));
        }
        let e = b.recv(rx.as_fd()).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::WouldBlock);
        assert!(b.is_empty());
    }

    #[test]
    fn ipv6_pktinfo_and_hoplimit_come_back() {
        let Ok(rx) = UdpSocket::bind("[::1]:0") else {
            return; // no IPv6 loopback in this environment: nothing to check
        };
        let tx = UdpSocket::bind("[::1]:0").unwrap();
        nix::sys::socket::setsockopt(&rx, nix::sys::socket::sockopt::Ipv6RecvPacketInfo, &true)
            .unwrap();
        nix::sys::socket::setsockopt(&rx, nix::sys::socket::sockopt::Ipv6RecvHopLimit, &true)
            .unwrap();
        let p = [7u8; 20];
        let msgs = [OutDatagram {
            buf: &p,
            dst: rx.local_addr().unwrap(),
            pktinfo: Some((Ipv6Addr::LOCALHOST, 0)),
        }];
        assert_eq!(send_batch(tx.as_fd(), &msgs).unwrap(), 1);
        let mut b = RecvBatch::new(4, 64);
        assert_eq!(b.recv(rx.as_fd()).unwrap(), 1);
        let (d, m) = b.iter().next().unwrap();
        assert_eq!(d, &p[..]);
        assert_eq!(m.pktinfo.map(|(a, _)| a), Some(Ipv6Addr::LOCALHOST));
        assert!(m.hoplimit.is_some());
        // an IPv4 destination on an IPv6 socket is refused, as an error value
        let bad = [OutDatagram {
            buf: &p,
            dst: SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 9)),
            pktinfo: None,
        }];
        assert!(send_batch(tx.as_fd(), &bad).is_err());
    }
}
