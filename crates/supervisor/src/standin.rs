//! Stand-in adverts for a restarting VRRP child (hitless restart); the parent's loop feeds
//! it the child's `StandInSocket`/`StandIn` reports, its death, its successor's `Ready`,
//! and asks it what to send when.
//!
//! While the VRRP child runs it tells the parent, for each MASTER instance, the exact
//! datagrams of its advert and hands over (SCM_RIGHTS) the raw socket it sends them on.
//! When the child dies, the parent keeps sending them at the instance's advert interval
//! until the new child is `Ready` (it has sent its own first adverts by then), so at 10 ms
//! adverts the backups see no gap even when fork/exec and the new child's setup take longer
//! than their Master_Down_Interval. The parent needs no VRRP logic and no privileges: the
//! bytes and the configured socket come from the child.
//!
//! Stand-in adverts are bounded: only for a restart that is immediate (the caller calls
//! [`StandIns::stop`] when the restart is delayed by the respawn backoff, i.e. for a
//! crash-looping child, so the backups then take over as they should), and at most
//! [`COVER_LIMIT`] in any case.
//!
//! Sans-IO apart from the descriptors it holds: the caller passes the clock and the send
//! function ([`send_packet`] in the daemon).

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::time::{Duration, Instant};

use keepalived_ipc::{StandIn, StandInPacket};

/// The longest the parent stands in for a child that does not become ready.
pub const COVER_LIMIT: Duration = Duration::from_secs(5);
/// The shortest interval honoured (a corrupt report must not make the parent spin).
const MIN_INTERVAL: Duration = Duration::from_millis(1);

/// What one child incarnation reported.
#[derive(Debug, Default)]
struct Table {
    sockets: HashMap<u32, OwnedFd>,
    adverts: BTreeMap<String, StandIn>,
}

#[derive(Debug)]
struct Cover {
    table: Table,
    next: BTreeMap<String, Instant>,
    since: Instant,
    stats: CoverStats,
}

/// How one stand-in period went (for the log).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CoverStats {
    /// Instances stood in for.
    pub instances: usize,
    /// Datagrams sent.
    pub sent: u64,
    /// Datagrams the kernel refused (or whose socket was never handed over).
    pub errors: u64,
    /// How long it lasted.
    pub lasted: Duration,
}

#[derive(Debug, Default)]
pub struct StandIns {
    current: Table,
    cover: Option<Cover>,
}

impl StandIns {
    pub fn new() -> Self {
        Self::default()
    }

    /// The running child handed over a send socket.
    pub fn socket(&mut self, id: u32, fd: OwnedFd) {
        self.current.sockets.insert(id, fd);
    }

    /// The running child's adverts for one instance; no packets withdraws it.
    pub fn advert(&mut self, a: StandIn) {
        if a.packets.is_empty() {
            self.current.adverts.remove(&a.instance);
        } else {
            self.current.adverts.insert(a.instance.clone(), a);
        }
    }

    /// The running child reloaded: its sockets and descriptions are void (the old sockets
    /// close here).
    pub fn reset(&mut self) {
        self.current = Table::default();
    }

    /// How many instances would be stood in for if the child died now.
    pub fn instances(&self) -> usize {
        self.current.adverts.len()
    }

    pub fn covering(&self) -> bool {
        self.cover.is_some()
    }

    /// The child died: what it reported becomes the cover, due at once. Returns whether a
    /// cover started (false when there is nothing to send, or one is already running: a
    /// successor that dies before `Ready` adds nothing and its partial reports are dropped).
    pub fn child_died(&mut self, now: Instant) -> bool {
        let table = std::mem::take(&mut self.current);
        if self.cover.is_some() || table.adverts.is_empty() {
            return false;
        }
        let next = table.adverts.keys().map(|k| (k.clone(), now)).collect();
        self.cover = Some(Cover {
            stats: CoverStats {
                instances: table.adverts.len(),
                ..CoverStats::default()
            },
            table,
            next,
            since: now,
        });
        true
    }

    /// Ends the cover (the successor is ready, the restart is delayed, the daemon stops);
    /// closes the dead child's sockets. `None` when there was none.
    pub fn stop(&mut self, now: Instant) -> Option<CoverStats> {
        let c = self.cover.take()?;
        Some(CoverStats {
            lasted: now.saturating_duration_since(c.since),
            ..c.stats
        })
    }

    /// Sends what is due at `now` with `send`; returns when to call again (`None`: no
    /// cover). A cover older than [`COVER_LIMIT`] ends here: check [`StandIns::covering`].
    pub fn poll(
        &mut self,
        now: Instant,
        mut send: impl FnMut(BorrowedFd<'_>, &StandInPacket) -> io::Result<()>,
    ) -> Option<Instant> {
        let c = self.cover.as_mut()?;
        if now.saturating_duration_since(c.since) >= COVER_LIMIT {
            self.cover = None;
            return None;
        }
        let mut earliest: Option<Instant> = None;
        for (name, next) in c.next.iter_mut() {
            let Some(a) = c.table.adverts.get(name) else {
                continue;
            };
            let interval = Duration::from_micros(a.interval_us).max(MIN_INTERVAL);
            if *next <= now {
                let fd = c.table.sockets.get(&a.socket);
                for p in &a.packets {
                    let r = match fd {
                        Some(fd) => send(fd.as_fd(), p),
                        None => Err(io::Error::new(
                            io::ErrorKind::NotFound,
                            "socket never handed over",
                        )),
                    };
                    match r {
                        Ok(()) => c.stats.sent += 1,
                        Err(_) => c.stats.errors += 1,
                    }
                }
                // Keep the cadence; after a stall, send once and restart it (no burst).
                *next += interval;
                if *next <= now {
                    *next = now + interval;
                }
            }
            earliest = Some(earliest.map_or(*next, |e: Instant| e.min(*next)));
        }
        earliest
    }
}

/// Sends one stand-in datagram on a raw socket the VRRP child configured (non-blocking).
pub fn send_packet(fd: BorrowedFd<'_>, p: &StandInPacket) -> io::Result<()> {
    use nix::sys::socket::{sendmsg, ControlMessage, MsgFlags, SockaddrIn, SockaddrIn6};
    let iov = [io::IoSlice::new(&p.bytes)];
    let flags = MsgFlags::MSG_DONTWAIT | MsgFlags::MSG_NOSIGNAL;
    let r = match p.dst {
        SocketAddr::V4(d) => sendmsg(fd.as_raw_fd(), &iov, &[], flags, Some(&SockaddrIn::from(d))),
        SocketAddr::V6(d) => {
            let sa = SockaddrIn6::from(d);
            match p.pktinfo_v6 {
                Some((src, ifindex)) => {
                    let pi = libc::in6_pktinfo {
                        ipi6_addr: libc::in6_addr {
                            s6_addr: src.octets(),
                        },
                        ipi6_ifindex: ifindex,
                    };
                    sendmsg(
                        fd.as_raw_fd(),
                        &iov,
                        &[ControlMessage::Ipv6PacketInfo(&pi)],
                        flags,
                        Some(&sa),
                    )
                }
                None => sendmsg(fd.as_raw_fd(), &iov, &[], flags, Some(&sa)),
            }
        }
    };
    r.map(|_| ()).map_err(io::Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, SocketAddrV4};

    fn fd() -> OwnedFd {
        std::fs::File::open("/dev/null").unwrap().into()
    }

    fn adv(name: &str, socket: u32, interval_ms: u64, n: usize) -> StandIn {
        StandIn {
            instance: name.into(),
            socket,
            interval_us: interval_ms * 1000,
            packets: (0..n)
                .map(|i| StandInPacket {
                    dst: SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::new(224, 0, 0, 18), 0)),
                    pktinfo_v6: None,
                    bytes: vec![i as u8; 4],
                })
                .collect(),
        }
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// Polls at `at` and returns (packets sent, next deadline).
    fn poll(s: &mut StandIns, at: Instant) -> (usize, Option<Instant>) {
        let mut n = 0;
        let next = s.poll(at, |_, _| {
            n += 1;
            Ok(())
        });
        (n, next)
    }

    #[test]
    fn nothing_to_cover_without_master_instances() {
        let mut s = StandIns::new();
        let t = Instant::now();
        assert!(!s.child_died(t));
        s.socket(1, fd());
        s.advert(adv("VI_1", 1, 10, 1));
        s.advert(adv("VI_1", 1, 10, 0)); // withdrawn: no longer MASTER
        assert_eq!(s.instances(), 0);
        s.advert(adv("VI_2", 1, 10, 1));
        s.reset(); // reloaded
        assert_eq!((s.instances(), s.current.sockets.len()), (0, 0));
        assert!(!s.child_died(t));
        assert_eq!(poll(&mut s, t), (0, None));
    }

    #[test]
    fn sends_at_once_then_at_each_interval_until_stopped() {
        let mut s = StandIns::new();
        let t = Instant::now();
        s.socket(7, fd());
        s.advert(adv("VI_1", 7, 10, 2)); // two unicast peers
        s.advert(adv("VI_2", 7, 25, 1));
        assert!(s.child_died(t));
        assert!(s.covering());
        // Both due at once: 2 + 1 datagrams; next is VI_1's at +10 ms.
        assert_eq!(poll(&mut s, t), (3, Some(t + ms(10))));
        assert_eq!(poll(&mut s, t + ms(5)), (0, Some(t + ms(10))));
        assert_eq!(poll(&mut s, t + ms(10)), (2, Some(t + ms(20))));
        assert_eq!(poll(&mut s, t + ms(20)), (2, Some(t + ms(25))));
        assert_eq!(poll(&mut s, t + ms(25)), (1, Some(t + ms(30))));
        // A stall of 100 ms: one advert each, then the cadence restarts (no burst).
        assert_eq!(poll(&mut s, t + ms(130)), (3, Some(t + ms(140))));
        let st = s.stop(t + ms(131)).expect("cover stats");
        assert_eq!(
            st,
            CoverStats {
                instances: 2,
                sent: 11,
                errors: 0,
                lasted: ms(131)
            }
        );
        assert!(!s.covering());
        assert_eq!(poll(&mut s, t + ms(140)), (0, None));
        assert_eq!(s.stop(t), None);
    }

    #[test]
    fn the_successor_reports_into_a_fresh_table_and_a_second_death_adds_nothing() {
        let mut s = StandIns::new();
        let t = Instant::now();
        s.socket(1, fd());
        s.advert(adv("VI_1", 1, 10, 1));
        assert!(s.child_died(t));
        // The new child reports before it is ready: that is the next table, not the cover.
        s.socket(1, fd());
        s.advert(adv("VI_9", 1, 10, 1));
        assert_eq!(s.instances(), 1);
        // It dies too before Ready: the cover goes on as it was (cadence from its start), its
        // reports are dropped.
        assert!(!s.child_died(t + ms(3)));
        assert_eq!(s.instances(), 0);
        assert_eq!(poll(&mut s, t + ms(3)), (1, Some(t + ms(10))));
        assert_eq!(s.stop(t + ms(4)).map(|c| c.instances), Some(1));
        // The next incarnation's reports are kept for its own death.
        s.socket(2, fd());
        s.advert(adv("VI_1", 2, 10, 1));
        assert!(s.child_died(t + ms(50)));
    }

    #[test]
    fn ends_by_itself_after_the_limit_and_counts_missing_sockets() {
        let mut s = StandIns::new();
        let t = Instant::now();
        s.advert(adv("VI_1", 3, 1000, 1)); // socket 3 never came
        assert!(s.child_died(t));
        let mut errs = 0;
        let next = s.poll(t, |_, _| {
            errs += 1;
            Ok(())
        });
        assert_eq!((errs, next), (0, Some(t + ms(1000))));
        assert!(s.covering());
        let mut other = StandIns::new();
        other.advert(adv("VI_1", 3, 10, 2));
        assert!(other.child_died(t));
        assert_eq!(poll(&mut other, t).0, 0);
        assert_eq!(other.stop(t).map(|c| (c.sent, c.errors)), Some((0, 2)));
        assert_eq!(poll(&mut s, t + COVER_LIMIT), (0, None));
        assert!(!s.covering());
    }

    #[test]
    fn a_zero_interval_does_not_spin() {
        let mut s = StandIns::new();
        let t = Instant::now();
        s.socket(1, fd());
        s.advert(adv("VI_1", 1, 0, 1));
        assert!(s.child_died(t));
        assert_eq!(poll(&mut s, t), (1, Some(t + MIN_INTERVAL)));
    }

    #[test]
    fn send_packet_reaches_a_socket() {
        // A UDP socket stands in for the raw one: the same sendmsg path.
        let rx = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        let tx = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        let p = StandInPacket {
            dst: rx.local_addr().unwrap(),
            pktinfo_v6: None,
            bytes: b"advert".to_vec(),
        };
        send_packet(tx.as_fd(), &p).unwrap();
        let mut buf = [0u8; 16];
        rx.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
        let n = rx.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"advert");
    }
}
