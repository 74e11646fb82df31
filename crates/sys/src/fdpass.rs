//! Receiving a message together with SCM_RIGHTS file descriptors; called by
//! keepalived-ipc's `Channel` for every receive.
//!
//! nix hands received descriptors back as bare `RawFd`s; turning them into `OwnedFd` is the
//! unsafe step, and it belongs right next to the `recvmsg` that created them.

use std::io::IoSliceMut;
use std::os::fd::{BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::io::AsRawFd;

use nix::errno::Errno;
use nix::sys::socket::{recvmsg, ControlMessageOwned, MsgFlags};

/// Most descriptors one message may carry in our protocol; more is a violation the caller
/// detects from `Received::fds`.
pub const MAX_FDS: usize = 4;

/// Linux's own per-message limit (`SCM_MAX_FD`). The control buffer has room for this many,
/// so the kernel never truncates it and every descriptor a peer sends ends up owned (and
/// closed) here instead of leaking when the message is refused.
const SCM_MAX_FD: usize = 253;

/// What one `recvmsg` returned.
#[derive(Debug)]
pub struct Received {
    /// Bytes written into the caller's buffer (0 means end of stream on SOCK_SEQPACKET).
    pub len: usize,
    /// The message was longer than the buffer (`MSG_TRUNC`); the tail is lost.
    pub truncated: bool,
    /// Descriptors that came with the message, already owned (and close-on-exec).
    pub fds: Vec<OwnedFd>,
}

/// One non-blocking `recvmsg` that takes every descriptor sent with the message.
///
/// Received descriptors get `O_CLOEXEC` atomically (`MSG_CMSG_CLOEXEC`). `EINTR` is retried
/// here; `EAGAIN` and every other error are returned to the caller. If the control data was
/// truncated anyway this returns `ENOBUFS`.
pub fn recv_with_fds(fd: BorrowedFd<'_>, buf: &mut [u8]) -> Result<Received, Errno> {
    loop {
        let mut cmsg = nix::cmsg_space!([RawFd; SCM_MAX_FD]);
        let mut iov = [IoSliceMut::new(buf)];
        let msg = match recvmsg::<()>(
            fd.as_raw_fd(),
            &mut iov,
            Some(&mut cmsg),
            MsgFlags::MSG_CMSG_CLOEXEC | MsgFlags::MSG_DONTWAIT,
        ) {
            Ok(msg) => msg,
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e),
        };
        let mut fds = Vec::new();
        for c in msg.cmsgs()? {
            if let ControlMessageOwned::ScmRights(raw) = c {
                for r in raw {
                    // SAFETY: the kernel installed `r` in our descriptor table during this
                    // recvmsg call (SCM_RIGHTS); nothing else in the process knows the number
                    // yet, so wrapping it makes this `OwnedFd` its sole owner.
                    fds.push(unsafe { OwnedFd::from_raw_fd(r) });
                }
            }
        }
        return Ok(Received {
            len: msg.bytes,
            truncated: msg.flags.contains(MsgFlags::MSG_TRUNC),
            fds,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nix::sys::socket::{
        sendmsg, socketpair, AddressFamily, ControlMessage, SockFlag, SockType,
    };
    use std::io::IoSlice;
    use std::os::fd::AsFd;

    #[test]
    fn passes_a_descriptor() {
        let (a, b) = socketpair(
            AddressFamily::Unix,
            SockType::SeqPacket,
            None,
            SockFlag::SOCK_CLOEXEC | SockFlag::SOCK_NONBLOCK,
        )
        .unwrap();
        let (x, _y) = socketpair(
            AddressFamily::Unix,
            SockType::SeqPacket,
            None,
            SockFlag::SOCK_CLOEXEC,
        )
        .unwrap();
        let fds = [x.as_raw_fd()];
        sendmsg::<()>(
            a.as_raw_fd(),
            &[IoSlice::new(b"hi")],
            &[ControlMessage::ScmRights(&fds)],
            MsgFlags::empty(),
            None,
        )
        .unwrap();
        let mut buf = [0u8; 8];
        let r = recv_with_fds(b.as_fd(), &mut buf).unwrap();
        assert_eq!(r.len, 2);
        assert!(!r.truncated);
        assert_eq!(r.fds.len(), 1);
        assert_ne!(r.fds[0].as_raw_fd(), x.as_raw_fd());
        assert_eq!(
            recv_with_fds(b.as_fd(), &mut buf).unwrap_err(),
            Errno::EAGAIN
        );
    }

    #[test]
    fn reports_truncation() {
        let (a, b) = socketpair(
            AddressFamily::Unix,
            SockType::SeqPacket,
            None,
            SockFlag::SOCK_NONBLOCK,
        )
        .unwrap();
        nix::sys::socket::send(a.as_raw_fd(), b"0123456789", MsgFlags::empty()).unwrap();
        let mut buf = [0u8; 4];
        let r = recv_with_fds(b.as_fd(), &mut buf).unwrap();
        assert!(r.truncated);
    }
}
