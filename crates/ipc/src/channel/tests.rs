//! Unit tests of `Channel` over real socketpairs in this process; run by `cargo test`.

use super::*;
use crate::messages::*;
use nix::sys::socket::send;

type ParentEnd = Channel<ParentToVrrp, VrrpToParent>;

/// A config whose encoding is a little over `n` bytes.
fn blob(n: usize) -> VersionedConfig {
    VersionedConfig::new(
        1,
        Config {
            source: "x".repeat(n),
            ..Config::default()
        },
    )
}

/// A parent end whose peer is a bare socket the test writes raw bytes into.
fn parent_with_raw_peer() -> (ParentEnd, OwnedFd) {
    let (a, b) = socket_pair().unwrap();
    (ParentEnd::from_fd(a).unwrap(), b)
}

fn raw_send(fd: &OwnedFd, bytes: &[u8]) {
    send(fd.as_raw_fd(), bytes, MsgFlags::MSG_NOSIGNAL).unwrap();
}

fn vrrp_hello() -> Vec<u8> {
    codec::encode(&Hello::for_sender::<VrrpToParent>()).unwrap()
}

#[test]
fn roundtrip_both_ways() {
    let (mut p, mut v) = ParentEnd::pair().unwrap();
    assert!(p.recv().unwrap().is_none(), "only the hello is waiting");
    let start = ParentToVrrp::Start {
        config: blob(100),
        restore: vec![],
    };
    p.send(&start).unwrap();
    p.send(&ParentToVrrp::Shutdown).unwrap();
    assert_eq!(v.recv().unwrap(), Some(start));
    assert_eq!(v.recv().unwrap(), Some(ParentToVrrp::Shutdown));
    assert_eq!(v.recv().unwrap(), None);
    v.send(&VrrpToParent::Ready { generation: 1 }).unwrap();
    assert_eq!(
        p.recv().unwrap(),
        Some(VrrpToParent::Ready { generation: 1 })
    );
    assert!(!p.is_closed() && !v.is_closed());
}

#[test]
fn version_mismatch_is_a_clean_error() {
    let (mut p, raw) = parent_with_raw_peer();
    let hello = Hello {
        version: PROTOCOL_VERSION + 1,
        link: VrrpToParent::LINK.into(),
    };
    raw_send(&raw, &codec::encode(&hello).unwrap());
    match p.recv() {
        Err(ChannelError::VersionMismatch { ours, theirs }) => {
            assert_eq!((ours, theirs), (PROTOCOL_VERSION, PROTOCOL_VERSION + 1))
        }
        other => panic!("expected a version mismatch, got {other:?}"),
    }
    assert!(p.is_closed());
    assert!(matches!(p.recv(), Err(ChannelError::Closed)));
    assert!(matches!(
        p.send(&ParentToVrrp::Shutdown),
        Err(ChannelError::Closed)
    ));
}

#[test]
fn a_future_hello_shape_is_still_a_version_mismatch() {
    let (mut p, raw) = parent_with_raw_peer();
    // The next version followed by bytes that are no `Hello` of ours (a varint below 251
    // is one byte).
    let next = u8::try_from(PROTOCOL_VERSION + 1).unwrap();
    raw_send(&raw, &[next, 0xff, 0xff, 0xff]);
    assert!(matches!(
        p.recv(),
        Err(ChannelError::VersionMismatch { theirs, .. }) if theirs == PROTOCOL_VERSION + 1
    ));
}

#[test]
fn wrong_link_is_refused() {
    let (a, b) = socket_pair().unwrap();
    let mut p = ParentEnd::from_fd(a).unwrap();
    let mut c = Channel::<CheckToParent, ParentToCheck>::from_fd(b).unwrap();
    assert!(matches!(
        p.recv(),
        Err(ChannelError::WrongLink {
            expected: "vrrp->parent",
            ..
        })
    ));
    // p shut the socket down after reading c's hello; c sees either the mismatch or the hang-up.
    assert!(c.recv().unwrap_err().is_fatal());
}

#[test]
fn garbage_instead_of_hello_kills_the_link() {
    let (mut p, raw) = parent_with_raw_peer();
    raw_send(&raw, &[0xff; 7]);
    assert!(matches!(p.recv(), Err(ChannelError::Decode(_))));
    assert!(p.is_closed());
}

#[test]
fn garbage_after_hello_kills_the_link_and_the_peer_sees_a_hangup() {
    let (mut p, raw) = parent_with_raw_peer();
    raw_send(&raw, &vrrp_hello());
    raw_send(
        &raw,
        &codec::encode(&VrrpToParent::Ready { generation: 3 }).unwrap(),
    );
    raw_send(&raw, &[0x07, 0xde, 0xad, 0xbe, 0xef]);
    raw_send(
        &raw,
        &codec::encode(&VrrpToParent::Ready { generation: 4 }).unwrap(),
    );
    assert_eq!(
        p.recv().unwrap(),
        Some(VrrpToParent::Ready { generation: 3 })
    );
    assert!(matches!(p.recv(), Err(ChannelError::Decode(_))));
    assert!(
        matches!(p.recv(), Err(ChannelError::Closed)),
        "nothing after garbage is trusted"
    );
    // The injector reads our hello, then end-of-stream.
    let mut buf = [0u8; 64];
    let r = keepalived_sys::recv_with_fds(raw.as_fd(), &mut buf).unwrap();
    assert!(r.len > 0);
    let r = keepalived_sys::recv_with_fds(raw.as_fd(), &mut buf).unwrap();
    assert_eq!(r.len, 0);
}

#[test]
fn empty_datagram_is_treated_as_death() {
    let (mut p, raw) = parent_with_raw_peer();
    raw_send(&raw, &vrrp_hello());
    raw_send(&raw, &[]);
    assert!(matches!(p.recv(), Err(ChannelError::PeerHungUp)));
}

#[test]
fn oversize_is_refused_on_send_and_fatal_on_receive() {
    let (mut p, mut v) = ParentEnd::pair_with_limit(1024).unwrap();
    let big = ParentToVrrp::Reload { config: blob(2000) };
    let err = p.send(&big).unwrap_err();
    assert!(matches!(err, ChannelError::Oversize { limit: 1024, .. }));
    assert!(!err.is_fatal());
    assert!(!p.is_closed());
    p.send(&ParentToVrrp::Shutdown).unwrap();
    assert_eq!(v.recv().unwrap(), Some(ParentToVrrp::Shutdown));

    let (a, raw) = socket_pair().unwrap();
    let mut p = ParentEnd::with_limit(a, 1024).unwrap();
    raw_send(&raw, &vrrp_hello());
    raw_send(&raw, &[0u8; 1025]);
    assert!(matches!(
        p.recv(),
        Err(ChannelError::Oversize {
            len: 1025,
            limit: 1024
        })
    ));
    assert!(p.is_closed());
}

#[test]
fn peer_hangup_is_seen_on_receive_and_send() {
    let (mut p, v) = ParentEnd::pair().unwrap();
    drop(v);
    // The hello v sent before it died is still delivered, then the end of the stream.
    assert!(matches!(p.recv(), Err(ChannelError::PeerHungUp)));
    assert!(p.is_closed());

    let (mut p, v) = ParentEnd::pair().unwrap();
    drop(v);
    // No SIGPIPE (MSG_NOSIGNAL): the test process would die otherwise.
    assert!(matches!(
        p.send(&ParentToVrrp::Shutdown),
        Err(ChannelError::PeerHungUp)
    ));
}

#[test]
fn would_block_queues_and_flush_delivers_in_order() {
    let (mut p, mut v) = ParentEnd::pair().unwrap();
    let mut sent = 0u64;
    while !v.wants_write() {
        v.send(&VrrpToParent::ReloadFailed {
            generation: sent,
            errors: vec!["x".repeat(512)],
        })
        .unwrap();
        sent += 1;
        assert!(sent < 1_000_000, "socket never filled up");
    }
    // Some more while blocked: they must queue behind, not jump ahead.
    for _ in 0..10 {
        v.send(&VrrpToParent::ReloadFailed {
            generation: sent,
            errors: vec![],
        })
        .unwrap();
        sent += 1;
    }
    assert!(!v.flush().unwrap(), "still full: nobody read");
    let mut next = 0u64;
    loop {
        while let Some(m) = p.recv().unwrap() {
            match m {
                VrrpToParent::ReloadFailed { generation, .. } => assert_eq!(generation, next),
                other => panic!("unexpected {other:?}"),
            }
            next += 1;
        }
        if v.flush().unwrap() && next == sent {
            break;
        }
    }
    assert!(!v.wants_write());
}

#[test]
fn queue_limit_refuses_without_closing() {
    let (_p, mut v) = ParentEnd::pair().unwrap();
    v.set_max_queued_bytes(64 * 1024);
    let msg = VrrpToParent::ReloadFailed {
        generation: 0,
        errors: vec!["y".repeat(4096)],
    };
    let err = loop {
        if let Err(e) = v.send(&msg) {
            break e;
        }
    };
    assert!(matches!(err, ChannelError::QueueFull { .. }));
    assert!(!err.is_fatal() && !v.is_closed());
}

#[test]
fn passes_a_fresh_sibling_link() {
    let (mut p, mut v) = ParentEnd::pair().unwrap();
    let (for_vrrp, for_check) = socket_pair().unwrap();
    p.send_with_fds(&ParentToVrrp::PeerLink, vec![for_vrrp])
        .unwrap();
    let (msg, mut fds) = v.recv_with_fds().unwrap().unwrap();
    assert_eq!(msg, ParentToVrrp::PeerLink);
    assert_eq!(fds.len(), 1);
    let mut to_check = Channel::<VrrpToCheck, CheckToVrrp>::from_fd(fds.pop().unwrap()).unwrap();
    let mut to_vrrp = Channel::<CheckToVrrp, VrrpToCheck>::from_fd(for_check).unwrap();
    let s = VrrpToCheck::StateReport(InstanceState {
        name: "VI_1".into(),
        vrid: 1,
        state: VrrpState::Master,
    });
    to_check.send(&s).unwrap();
    assert_eq!(to_vrrp.recv().unwrap(), Some(s));
    let h = CheckToVrrp::VirtualServerHealth {
        virtual_server: "vs".into(),
        up: false,
    };
    to_vrrp.send(&h).unwrap();
    assert_eq!(to_check.recv().unwrap(), Some(h));
}

#[test]
fn too_many_fds_are_refused_on_send() {
    let (mut p, _v) = ParentEnd::pair().unwrap();
    let fds: Vec<OwnedFd> = (0..=MAX_FDS).map(|_| socket_pair().unwrap().0).collect();
    assert!(matches!(
        p.send_with_fds(&ParentToVrrp::PeerLink, fds),
        Err(ChannelError::TooManyFds)
    ));
}

#[test]
fn channels_are_nonblocking_and_cloexec() {
    let (p, _v) = ParentEnd::pair().unwrap();
    let fl = OFlag::from_bits_retain(fcntl(&p, FcntlArg::F_GETFL).unwrap());
    assert!(fl.contains(OFlag::O_NONBLOCK));
    let fd = FdFlag::from_bits_retain(fcntl(&p, FcntlArg::F_GETFD).unwrap());
    assert!(fd.contains(FdFlag::FD_CLOEXEC));
}

#[test]
fn too_many_fds_on_receive_kill_the_link() {
    use nix::sys::socket::{sendmsg, ControlMessage};
    let (mut p, raw) = parent_with_raw_peer();
    raw_send(&raw, &vrrp_hello());
    let extra: Vec<OwnedFd> = (0..=MAX_FDS).map(|_| socket_pair().unwrap().0).collect();
    let fds: Vec<RawFd> = extra.iter().map(|f| f.as_raw_fd()).collect();
    let msg = codec::encode(&VrrpToParent::Ready { generation: 1 }).unwrap();
    sendmsg::<()>(
        raw.as_raw_fd(),
        &[IoSlice::new(&msg)],
        &[ControlMessage::ScmRights(&fds)],
        MsgFlags::empty(),
        None,
    )
    .unwrap();
    assert!(matches!(p.recv(), Err(ChannelError::TooManyFds)));
    assert!(p.is_closed());
}

/// The way a process loop drives a channel: edge-triggered readiness from the real poller,
/// receive to `None`, flush on writable. Proves a full SEQPACKET socket reports a writable
/// edge once the peer drains it.
#[test]
fn driven_by_the_event_loop() {
    use keepalived_event::{Interest, Poller, Token};
    use std::time::{Duration, Instant};
    const PARENT: Token = Token(1);
    const VRRP: Token = Token(2);
    let mut poller = Poller::new().unwrap();
    let (mut p, mut v) = ParentEnd::pair().unwrap();
    poller
        .register(&p, PARENT, Interest::READABLE | Interest::WRITABLE)
        .unwrap();
    poller
        .register(&v, VRRP, Interest::READABLE | Interest::WRITABLE)
        .unwrap();
    let total = 12_000u64;
    for i in 0..total {
        v.send(&VrrpToParent::ReloadFailed {
            generation: i,
            errors: vec!["z".repeat(1000)],
        })
        .unwrap();
    }
    assert!(v.wants_write(), "12 MB must not fit the socket at once");
    let mut next = 0;
    let end = Instant::now() + Duration::from_secs(20);
    while next < total {
        assert!(
            Instant::now() < end,
            "stalled at {next} with the queue pending: {}",
            v.wants_write()
        );
        for r in poller.wait(Some(end)).unwrap().to_vec() {
            if r.token == PARENT && r.readable {
                while let Some(m) = p.recv().unwrap() {
                    assert_eq!(
                        m,
                        VrrpToParent::ReloadFailed {
                            generation: next,
                            errors: vec!["z".repeat(1000)]
                        }
                    );
                    next += 1;
                }
            }
            if r.token == VRRP && r.writable {
                v.flush().unwrap();
            }
        }
    }
    assert!(!v.wants_write());
}
