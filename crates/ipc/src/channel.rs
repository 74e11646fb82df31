//! One end of a `SOCK_SEQPACKET` socketpair, typed by what it sends (`Tx`) and receives
//! (`Rx`); the supervisor holds one per child, each child holds one to the parent and one
//! to its sibling.
//!
//! SEQPACKET keeps message boundaries and is reliable, so one `sendmsg` is one message and
//! there is no framing code; a send is all-or-nothing, so the outgoing queue holds whole
//! messages. The socket is non-blocking: `recv` returns `Ok(None)` at `EAGAIN` and callers
//! drain it until then (edge-triggered polling); `send` queues what the kernel refuses and
//! `flush` retries when the socket is writable again.
//!
//! Any receive-side fault (hang-up, oversize, undecodable bytes, a bad hello) is the peer's
//! death: the channel shuts the socket down, drops its queue, returns the cause once and
//! `Closed` afterwards. Bytes from the peer never cause a panic.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt;
use std::io::IoSlice;
use std::marker::PhantomData;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};

use nix::errno::Errno;
use nix::fcntl::{fcntl, FcntlArg, FdFlag, OFlag};
use nix::sys::socket::{
    sendmsg, setsockopt, shutdown, socketpair, sockopt, AddressFamily, ControlMessage, MsgFlags,
    Shutdown, SockFlag, SockType,
};

use keepalived_sys::fdpass::{recv_with_fds, MAX_FDS};

use crate::codec::{self, CodecError, MAX_MESSAGE_SIZE};
use crate::messages::{Hello, Message, PROTOCOL_VERSION};

/// How many encoded bytes may wait in the outgoing queue before `send` refuses more. A peer
/// that stops reading for this long is stuck; the caller decides what to do with it.
pub const DEFAULT_MAX_QUEUED_BYTES: usize = 4 * MAX_MESSAGE_SIZE;

#[derive(Debug, thiserror::Error)]
pub enum ChannelError {
    #[error("creating the socketpair: {0}")]
    CreateSocketPair(#[source] Errno),
    #[error("setting socket flags on the channel: {0}")]
    SetFlags(#[source] Errno),
    #[error("sending on the channel: {0}")]
    Send(#[source] Errno),
    #[error("receiving on the channel: {0}")]
    Receive(#[source] Errno),
    #[error("encoding an outgoing message: {0}")]
    Encode(#[source] CodecError),
    #[error("the peer sent undecodable bytes: {0}")]
    Decode(#[source] CodecError),
    #[error("message of {len} bytes exceeds the channel limit of {limit}")]
    Oversize { len: usize, limit: usize },
    #[error("peer sent more than {MAX_FDS} descriptors with one message")]
    TooManyFds,
    #[error("outgoing queue full ({queued} bytes waiting); the peer is not reading")]
    QueueFull { queued: usize },
    #[error("peer speaks protocol version {theirs}, we speak {ours}")]
    VersionMismatch { ours: u32, theirs: u32 },
    #[error(
        "peer sends {theirs:?}, this end expects {expected:?}: sockets wired to the wrong process"
    )]
    WrongLink {
        expected: &'static str,
        theirs: String,
    },
    #[error("peer hung up")]
    PeerHungUp,
    #[error("channel is closed")]
    Closed,
}

impl ChannelError {
    /// Whether this error closed the channel (the peer is to be treated as dead). The
    /// others refused one outgoing message and left the channel usable.
    pub fn is_fatal(&self) -> bool {
        !matches!(
            self,
            ChannelError::Encode(_)
                | ChannelError::Oversize { .. }
                | ChannelError::QueueFull { .. }
                // The socket buffer could not take that one message whole; it was dropped.
                | ChannelError::Send(Errno::EMSGSIZE)
        )
    }
}

/// A fresh non-blocking, close-on-exec `SOCK_SEQPACKET` socketpair, for handing to
/// processes that wrap the ends with [`Channel::from_fd`] (e.g. the vrrp<->checker link,
/// passed over SCM_RIGHTS).
pub fn socket_pair() -> Result<(OwnedFd, OwnedFd), ChannelError> {
    socketpair(
        AddressFamily::Unix,
        SockType::SeqPacket,
        None,
        SockFlag::SOCK_CLOEXEC | SockFlag::SOCK_NONBLOCK,
    )
    .map_err(ChannelError::CreateSocketPair)
}

struct Outgoing {
    bytes: Vec<u8>,
    /// Closed here once the kernel has duplicated them into the message.
    fds: Vec<OwnedFd>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    AwaitingHello,
    Open,
    Closed,
}

/// Both ends of one link: this end sends `Tx`, the other sends `Rx`.
pub type ChannelPair<Tx, Rx> = (Channel<Tx, Rx>, Channel<Rx, Tx>);

/// One end of a typed link. `Tx` is what this end sends, `Rx` what it receives.
pub struct Channel<Tx, Rx> {
    fd: OwnedFd,
    limit: usize,
    max_queued: usize,
    queue: VecDeque<Outgoing>,
    queued_bytes: usize,
    state: State,
    _link: PhantomData<fn(Tx) -> Rx>,
}

impl<Tx, Rx> fmt::Debug for Channel<Tx, Rx>
where
    Tx: Message,
    Rx: Message,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Channel")
            .field("fd", &self.fd.as_raw_fd())
            .field("sends", &Tx::LINK)
            .field("receives", &Rx::LINK)
            .field("state", &self.state)
            .field("queued", &self.queue.len())
            .finish()
    }
}

impl<Tx: Message, Rx: Message> Channel<Tx, Rx> {
    /// Both ends of a new link with the default size limit.
    pub fn pair() -> Result<ChannelPair<Tx, Rx>, ChannelError> {
        Self::pair_with_limit(MAX_MESSAGE_SIZE)
    }

    /// Both ends of a new link; messages larger than `limit` bytes (encoded) are refused
    /// on send and kill the link on receive. `limit` is capped at [`MAX_MESSAGE_SIZE`].
    pub fn pair_with_limit(limit: usize) -> Result<ChannelPair<Tx, Rx>, ChannelError> {
        let (a, b) = socket_pair()?;
        Ok((
            Channel::with_limit(a, limit)?,
            Channel::with_limit(b, limit)?,
        ))
    }

    /// Wraps a socket received from elsewhere (an inherited fd after exec, or one that
    /// came over SCM_RIGHTS). Sets non-blocking and close-on-exec and queues the hello.
    pub fn from_fd(fd: OwnedFd) -> Result<Self, ChannelError> {
        Self::with_limit(fd, MAX_MESSAGE_SIZE)
    }

    /// [`Channel::from_fd`] with a message size limit.
    pub fn with_limit(fd: OwnedFd, limit: usize) -> Result<Self, ChannelError> {
        let limit = limit.min(MAX_MESSAGE_SIZE);
        let fl = fcntl(&fd, FcntlArg::F_GETFL).map_err(ChannelError::SetFlags)?;
        fcntl(
            &fd,
            FcntlArg::F_SETFL(OFlag::from_bits_retain(fl) | OFlag::O_NONBLOCK),
        )
        .map_err(ChannelError::SetFlags)?;
        fcntl(&fd, FcntlArg::F_SETFD(FdFlag::FD_CLOEXEC)).map_err(ChannelError::SetFlags)?;
        // A SEQPACKET message must fit the sender's buffer whole (else EMSGSIZE). Ask for
        // room for the largest message; as root SNDBUFFORCE passes net.core.wmem_max,
        // otherwise the kernel caps it and larger sends fail with `Send(EMSGSIZE)`.
        let want = limit + 4096;
        if setsockopt(&fd, sockopt::SndBufForce, &want).is_err() {
            let _ = setsockopt(&fd, sockopt::SndBuf, &want);
        }
        let mut ch = Channel {
            fd,
            limit,
            max_queued: DEFAULT_MAX_QUEUED_BYTES,
            queue: VecDeque::new(),
            queued_bytes: 0,
            state: State::AwaitingHello,
            _link: PhantomData,
        };
        let hello = codec::encode(&Hello::for_sender::<Tx>()).map_err(ChannelError::Encode)?;
        ch.enqueue(hello, Vec::new())?;
        ch.flush()?;
        Ok(ch)
    }

    /// Caps the outgoing queue (default [`DEFAULT_MAX_QUEUED_BYTES`]).
    pub fn set_max_queued_bytes(&mut self, max: usize) {
        self.max_queued = max;
    }

    /// Queues `msg` and sends as much of the queue as the socket takes now.
    pub fn send(&mut self, msg: &Tx) -> Result<(), ChannelError> {
        self.send_with_fds(msg, Vec::new())
    }

    /// [`Channel::send`] with descriptors attached (SCM_RIGHTS); at most `MAX_FDS`.
    /// The descriptors are closed in this process once sent.
    pub fn send_with_fds(&mut self, msg: &Tx, fds: Vec<OwnedFd>) -> Result<(), ChannelError> {
        if self.state == State::Closed {
            return Err(ChannelError::Closed);
        }
        if fds.len() > MAX_FDS {
            return Err(ChannelError::TooManyFds);
        }
        let bytes = codec::encode(msg).map_err(|e| match e {
            CodecError::TooLarge { len, .. } => ChannelError::Oversize {
                len,
                limit: self.limit,
            },
            e => ChannelError::Encode(e),
        })?;
        if bytes.len() > self.limit {
            return Err(ChannelError::Oversize {
                len: bytes.len(),
                limit: self.limit,
            });
        }
        self.enqueue(bytes, fds)?;
        self.flush()?;
        Ok(())
    }

    fn enqueue(&mut self, bytes: Vec<u8>, fds: Vec<OwnedFd>) -> Result<(), ChannelError> {
        if self.queued_bytes + bytes.len() > self.max_queued {
            return Err(ChannelError::QueueFull {
                queued: self.queued_bytes,
            });
        }
        self.queued_bytes += bytes.len();
        self.queue.push_back(Outgoing { bytes, fds });
        Ok(())
    }

    /// Sends queued messages until the queue is empty (`Ok(true)`) or the socket is full
    /// (`Ok(false)`: call again when it polls writable).
    pub fn flush(&mut self) -> Result<bool, ChannelError> {
        if self.state == State::Closed {
            return Err(ChannelError::Closed);
        }
        while let Some(out) = self.queue.front() {
            let raw: Vec<RawFd> = out.fds.iter().map(|f| f.as_raw_fd()).collect();
            let cmsgs: &[ControlMessage] = if raw.is_empty() {
                &[]
            } else {
                &[ControlMessage::ScmRights(&raw)]
            };
            let res = sendmsg::<()>(
                self.fd.as_raw_fd(),
                &[IoSlice::new(&out.bytes)],
                cmsgs,
                MsgFlags::MSG_NOSIGNAL | MsgFlags::MSG_DONTWAIT,
                None,
            );
            match res {
                Ok(_) => {
                    let out = self.queue.pop_front().map(|o| o.bytes.len()).unwrap_or(0);
                    self.queued_bytes -= out;
                }
                Err(Errno::EINTR) => continue,
                Err(Errno::EAGAIN) => return Ok(false),
                Err(Errno::EPIPE | Errno::ECONNRESET | Errno::ENOTCONN) => {
                    return Err(self.die(ChannelError::PeerHungUp))
                }
                Err(Errno::EMSGSIZE) => {
                    // The kernel would not take it in one piece (socket buffer capped below
                    // the limit). Drop that message only; the link is still sound.
                    let len = self.queue.pop_front().map(|o| o.bytes.len()).unwrap_or(0);
                    self.queued_bytes -= len;
                    return Err(ChannelError::Send(Errno::EMSGSIZE));
                }
                Err(e) => return Err(self.die(ChannelError::Send(e))),
            }
        }
        Ok(true)
    }

    /// Whether messages wait in the queue (register for writable readiness while true).
    pub fn wants_write(&self) -> bool {
        !self.queue.is_empty()
    }

    /// Whether the link is dead (peer gone, misbehaved, or this end shut down).
    pub fn is_closed(&self) -> bool {
        self.state == State::Closed
    }

    /// The next message, or `Ok(None)` when nothing more is waiting. Descriptors that
    /// arrived with it are closed; use [`Channel::recv_with_fds`] on links that pass them.
    pub fn recv(&mut self) -> Result<Option<Rx>, ChannelError> {
        Ok(self.recv_with_fds()?.map(|(m, _fds)| m))
    }

    /// The next message and the descriptors that came with it.
    pub fn recv_with_fds(&mut self) -> Result<Option<(Rx, Vec<OwnedFd>)>, ChannelError> {
        loop {
            if self.state == State::Closed {
                return Err(ChannelError::Closed);
            }
            let step = with_rbuf(|rbuf| self.recv_one(rbuf));
            match step {
                Step::Nothing => return Ok(None),
                Step::Hello => self.state = State::Open,
                Step::Message(msg, fds) => return Ok(Some((msg, fds))),
                Step::Fatal(e) => return Err(self.die(e)),
            }
        }
    }

    /// One `recvmsg` into `rbuf` and what it amounts to.
    fn recv_one(&self, rbuf: &mut [u8]) -> Step<Rx> {
        let got = match recv_with_fds(self.fd.as_fd(), rbuf) {
            Ok(got) => got,
            Err(Errno::EAGAIN) => return Step::Nothing,
            Err(Errno::ECONNRESET) => return Step::Fatal(ChannelError::PeerHungUp),
            Err(Errno::ENOBUFS) => return Step::Fatal(ChannelError::TooManyFds),
            Err(e) => return Step::Fatal(ChannelError::Receive(e)),
        };
        // Our messages are never empty, so a zero-length read is the end of the stream
        // (or a peer sending empty datagrams, which is as good as dead).
        if got.fds.len() > MAX_FDS {
            return Step::Fatal(ChannelError::TooManyFds);
        }
        if got.len == 0 {
            return Step::Fatal(ChannelError::PeerHungUp);
        }
        if got.truncated || got.len > self.limit {
            return Step::Fatal(ChannelError::Oversize {
                len: got.len,
                limit: self.limit,
            });
        }
        let bytes = &rbuf[..got.len];
        let step = match self.state {
            State::AwaitingHello => match check_hello::<Rx>(bytes, got.fds.len()) {
                Ok(()) => Step::Hello,
                Err(e) => Step::Fatal(e),
            },
            _ => match codec::decode::<Rx>(bytes) {
                Ok(msg) => Step::Message(msg, got.fds),
                Err(e) => Step::Fatal(ChannelError::Decode(e)),
            },
        };
        // A configuration of 1,000 instances is megabytes: once decoded, hand the pages it
        // touched back rather than keep them resident for the life of the process.
        if got.len > DISCARD_ABOVE {
            let _ = keepalived_sys::mem::discard_pages(&mut rbuf[..got.len]);
        }
        step
    }

    /// Shuts the link down (the peer sees a hang-up) and drops the outgoing queue.
    pub fn close(&mut self) {
        let _ = self.die(ChannelError::Closed);
    }

    fn die(&mut self, why: ChannelError) -> ChannelError {
        self.state = State::Closed;
        self.queue.clear();
        self.queued_bytes = 0;
        // Keep the fd (the owner may still have it registered with its poller) but make
        // sure the peer notices at once.
        let _ = shutdown(self.fd.as_raw_fd(), Shutdown::Both);
        why
    }
}

/// What one receive amounted to.
enum Step<Rx> {
    Nothing,
    Hello,
    Message(Rx, Vec<OwnedFd>),
    Fatal(ChannelError),
}

/// Messages larger than this leave the receive buffer's pages given back (see `recv_one`):
/// a configuration of 1,000 VRRP instances can be 200 KB, which stayed resident below the
/// former 256 KB. Small enough for any configuration, large enough that the everyday
/// messages (states, dumps) pay no system call.
const DISCARD_ABOVE: usize = 64 * 1024;

thread_local! {
    /// The receive buffer, one per thread for every channel: a message must be read whole
    /// (SEQPACKET truncates), so it holds the largest one. A buffer per channel meant a
    /// 4 MiB allocation per child restart, which glibc serves from the heap once its mmap
    /// threshold has adapted, zeroing (touching) all of it: the parent's RSS grew by
    /// megabytes over a few hundred restarts.
    static RBUF: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` on the thread's receive buffer (one byte more than [`MAX_MESSAGE_SIZE`], so an
/// oversize message is seen as such), allocating it zeroed on first use.
fn with_rbuf<R>(f: impl FnOnce(&mut [u8]) -> R) -> R {
    RBUF.with(|cell| {
        let mut buf = cell.borrow_mut();
        if buf.len() <= MAX_MESSAGE_SIZE {
            // calloc'd: pages the kernel never writes to stay shared zero pages.
            *buf = vec![0; MAX_MESSAGE_SIZE + 1];
        }
        f(&mut buf)
    })
}

/// Checks the version first, on its own, so a peer of another version is reported as a
/// version mismatch even if its hello has another shape.
fn check_hello<Rx: Message>(bytes: &[u8], nfds: usize) -> Result<(), ChannelError> {
    let (theirs, _) = codec::decode_prefix::<u32>(bytes).map_err(ChannelError::Decode)?;
    if theirs != PROTOCOL_VERSION {
        return Err(ChannelError::VersionMismatch {
            ours: PROTOCOL_VERSION,
            theirs,
        });
    }
    let hello: Hello = codec::decode(bytes).map_err(ChannelError::Decode)?;
    if hello.link != Rx::LINK {
        return Err(ChannelError::WrongLink {
            expected: Rx::LINK,
            theirs: hello.link,
        });
    }
    // Descriptors only travel with messages that announce them, never with the hello.
    if nfds > 0 {
        return Err(ChannelError::TooManyFds);
    }
    Ok(())
}

impl<Tx, Rx> AsFd for Channel<Tx, Rx> {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl<Tx, Rx> AsRawFd for Channel<Tx, Rx> {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

#[cfg(test)]
mod tests;
