//! Socket calls that neither nix nor socket2 wraps safely: `IPV6_CHECKSUM` on a raw socket
//! and `sendto` with a `sockaddr_ll` on an `AF_PACKET` socket. Called by keepalived-vrrp's
//! network adapters (VRRP over IPv6, gratuitous ARP, unsolicited NA).

use std::io;
use std::os::fd::{AsRawFd, BorrowedFd};

/// Sets `IPV6_CHECKSUM` (RFC 3542 §3.1) so the kernel computes the checksum of outgoing
/// packets at byte `offset` of the payload and verifies incoming ones; -1 disables.
pub fn set_ipv6_checksum(fd: BorrowedFd<'_>, offset: i32) -> io::Result<()> {
    let val: libc::c_int = offset;
    // SAFETY: fd is a valid open socket for the borrow's lifetime; we pass a pointer to a
    // c_int that lives across the call and its exact size.
    let rc = unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            libc::IPPROTO_IPV6,
            libc::IPV6_CHECKSUM,
            (&val as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Sends a complete link-layer frame on an `AF_PACKET`/`SOCK_RAW` socket out of
/// interface `ifindex`. `protocol` is the ethertype in host order (0 = the socket's);
/// `dst` is the link-layer destination written into `sockaddr_ll`.
pub fn packet_send_to(
    fd: BorrowedFd<'_>,
    frame: &[u8],
    ifindex: u32,
    protocol: u16,
    dst: [u8; 6],
) -> io::Result<usize> {
    let ifindex = libc::c_int::try_from(ifindex)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "ifindex out of range"))?;
    // SAFETY: sockaddr_ll is plain old data; all-zero is a valid value.
    let mut sll: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
    sll.sll_family = libc::AF_PACKET as libc::c_ushort;
    sll.sll_protocol = protocol.to_be();
    sll.sll_ifindex = ifindex;
    sll.sll_halen = 6;
    sll.sll_addr[..6].copy_from_slice(&dst);
    // SAFETY: fd is a valid socket; frame is a live slice whose pointer and length we pass;
    // sll is a fully initialised sockaddr_ll and we pass its exact size.
    let rc = unsafe {
        libc::sendto(
            fd.as_raw_fd(),
            frame.as_ptr().cast(),
            frame.len(),
            0,
            (&sll as *const libc::sockaddr_ll).cast(),
            std::mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t,
        )
    };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(rc as usize)
}

/// Sets `IP_MULTICAST_IF` by interface index (`struct ip_mreqn`), which socket2 only
/// offers by address: multicast leaves through `ifindex` whatever its addresses.
pub fn set_multicast_if_v4_index(fd: BorrowedFd<'_>, ifindex: u32) -> io::Result<()> {
    let ifindex = libc::c_int::try_from(ifindex)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "ifindex out of range"))?;
    let mreqn = libc::ip_mreqn {
        imr_multiaddr: libc::in_addr { s_addr: 0 },
        imr_address: libc::in_addr { s_addr: 0 },
        imr_ifindex: ifindex,
    };
    // SAFETY: fd is a valid open socket for the borrow's lifetime; we pass a pointer to a
    // fully initialised ip_mreqn that lives across the call and its exact size.
    let rc = unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            libc::IPPROTO_IP,
            libc::IP_MULTICAST_IF,
            (&mreqn as *const libc::ip_mreqn).cast(),
            std::mem::size_of::<libc::ip_mreqn>() as libc::socklen_t,
        )
    };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Sets `SO_RCVTIMEO` on a socket known only by its raw descriptor (neli's `NlSocket`
/// offers no `AsFd`): a blocking receive then fails with `EAGAIN` after `timeout` instead
/// of waiting forever. A zero timeout is raised to 1 µs (zero would mean "no timeout").
pub fn set_recv_timeout_raw(
    fd: std::os::fd::RawFd,
    timeout: std::time::Duration,
) -> io::Result<()> {
    let usec = timeout.subsec_micros().max(u32::from(timeout.is_zero()));
    let tv = libc::timeval {
        tv_sec: libc::time_t::try_from(timeout.as_secs()).unwrap_or(libc::time_t::MAX),
        tv_usec: libc::suseconds_t::from(usec),
    };
    // SAFETY: setsockopt only reads `size_of::<timeval>()` bytes from a fully initialised
    // timeval that lives across the call; an fd that is not an open socket makes the call
    // fail with EBADF/ENOTSOCK, it cannot corrupt memory.
    let rc = unsafe {
        libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_RCVTIMEO,
            (&tv as *const libc::timeval).cast(),
            std::mem::size_of::<libc::timeval>() as libc::socklen_t,
        )
    };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}
