//! Root-only tests of the VRRP socket adapters in a pair of network namespaces joined by
//! a veth (created here, deleted in Drop): adverts over IPv4 multicast, IP_HDRINCL,
//! unicast and IPv6 multicast arrive with the right source/TTL/destination (also batched:
//! sendmmsg/recvmmsg), and a gratuitous ARP and an unsolicited NA leave with the right
//! fields (seen by AF_PACKET).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::os::fd::AsRawFd;
use std::process::Command;
use std::time::{Duration, Instant};

use keepalived_netlink::Rtnl;
use keepalived_vrrp::network::{
    garp_frame, Announcer, Family, RecvMeta, SocketConfig, VrrpSocket, VRRP_MCAST_V4, VRRP_MCAST_V6,
};
use socket2::{Domain, Protocol, Socket, Type};

struct Pair {
    a: String,
    b: String,
}

fn sh(args: &[&str]) -> String {
    let out = Command::new(args[0])
        .args(&args[1..])
        .output()
        .expect("spawn");
    assert!(
        out.status.success(),
        "{:?} failed: {}",
        args,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

impl Pair {
    fn new(tag: &str) -> Pair {
        assert!(
            nix::unistd::geteuid().is_root(),
            "this test needs root (network namespaces); run it as root"
        );
        let pid = std::process::id();
        let p = Pair {
            a: format!("kvn-{tag}-a-{pid}"),
            b: format!("kvn-{tag}-b-{pid}"),
        };
        for ns in [&p.a, &p.b] {
            let _ = Command::new("ip").args(["netns", "del", ns]).status();
            sh(&["ip", "netns", "add", ns]);
            // no DAD: addresses usable at once (sysctl may be absent: write /proc)
            let dad =
                "for k in all default; do echo 0 > /proc/sys/net/ipv6/conf/$k/accept_dad; done";
            sh(&["ip", "netns", "exec", ns, "sh", "-c", dad]);
        }
        sh(&[
            "ip", "-n", &p.a, "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns",
            &p.b,
        ]);
        for (ns, dev, n) in [(&p.a, "va", 1), (&p.b, "vb", 2)] {
            sh(&[
                "ip",
                "-n",
                ns,
                "addr",
                "add",
                &format!("192.0.2.{n}/24"),
                "dev",
                dev,
            ]);
            sh(&[
                "ip",
                "-n",
                ns,
                "addr",
                "add",
                &format!("2001:db8::{n}/64"),
                "dev",
                dev,
                "nodad",
            ]);
            sh(&["ip", "-n", ns, "link", "set", dev, "up"]);
            sh(&["ip", "-n", ns, "link", "set", "lo", "up"]);
        }
        p
    }

    fn run<T: Send + 'static>(ns: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
        let path = format!("/run/netns/{ns}");
        std::thread::spawn(move || {
            let fd = std::fs::File::open(&path).expect("open netns");
            nix::sched::setns(&fd, nix::sched::CloneFlags::CLONE_NEWNET).expect("setns");
            f()
        })
        .join()
        .expect("namespace thread panicked")
    }

    /// (ifindex, mac) of `dev` in `ns`, through keepalived-netlink.
    fn link(ns: &str, dev: &'static str) -> (u32, [u8; 6]) {
        Pair::run(ns, move || {
            let l = Rtnl::open()
                .unwrap()
                .link_by_name(dev)
                .unwrap()
                .expect("link");
            let mut mac = [0u8; 6];
            mac.copy_from_slice(&l.mac);
            (l.ifindex, mac)
        })
    }

    fn socket(ns: &str, cfg: SocketConfig) -> VrrpSocket {
        Pair::run(ns, move || {
            VrrpSocket::open(&cfg).expect("open VRRP socket")
        })
    }
}

impl Drop for Pair {
    fn drop(&mut self) {
        for ns in [&self.a, &self.b] {
            let _ = Command::new("ip").args(["netns", "del", ns]).status();
        }
    }
}

/// Sends `pkt` every 100 ms (as a master would) until `rx` receives something.
fn send_until_received(
    tx: &VrrpSocket,
    pkt: &[u8],
    dst: IpAddr,
    rx: &VrrpSocket,
    buf: &mut [u8],
) -> RecvMeta {
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        tx.send_to(pkt, dst).expect("send");
        for _ in 0..20 {
            std::thread::sleep(Duration::from_millis(5));
            if let Some(m) = rx.recv(buf).expect("recv") {
                return m;
            }
        }
        assert!(Instant::now() < deadline, "nothing received within 3 s");
    }
}

/// An advert-shaped VRRPv3 message: version 3, type 1, VRID 51, prio 100, 1 address.
fn advert_v4() -> Vec<u8> {
    vec![0x31, 51, 100, 1, 0x00, 100, 0, 0, 192, 0, 2, 100]
}

#[test]
fn ipv4_multicast_advert_arrives_with_ttl_255_and_tos() {
    let p = Pair::new("m4");
    let (ia, _) = Pair::link(&p.a, "va");
    let (ib, _) = Pair::link(&p.b, "vb");
    let tx = Pair::socket(&p.a, SocketConfig::multicast("va", ia, Family::V4));
    let rx = Pair::socket(&p.b, SocketConfig::multicast("vb", ib, Family::V4));
    let mut buf = [0u8; 2048];
    assert!(
        rx.recv(&mut buf).unwrap().is_none(),
        "non-blocking and empty"
    );
    let msg = advert_v4();
    let m = send_until_received(&tx, &msg, IpAddr::V4(VRRP_MCAST_V4), &rx, &mut buf);
    assert_eq!(m.src, "192.0.2.1".parse::<IpAddr>().unwrap());
    assert_eq!(m.dst, Some(IpAddr::V4(VRRP_MCAST_V4)));
    assert_eq!(m.ttl, Some(255));
    assert_eq!(m.ifindex, ib);
    let ihl = usize::from(buf[0] & 0x0f) * 4;
    assert_eq!(buf[1], 0xc0, "TOS as keepalived");
    assert_eq!(buf[9], 112, "protocol VRRP");
    assert_eq!(&buf[ihl..m.len], &msg[..]);
    // loop is off: the sender does not hear itself
    std::thread::sleep(Duration::from_millis(50));
    assert!(tx.recv(&mut buf).unwrap().is_none());
}

#[test]
fn ipv4_hdrincl_sends_caller_header() {
    let p = Pair::new("hi");
    let (ia, _) = Pair::link(&p.a, "va");
    let (ib, _) = Pair::link(&p.b, "vb");
    let mut cfg = SocketConfig::multicast("va", ia, Family::V4);
    cfg.hdrincl = true;
    let tx = Pair::socket(&p.a, cfg);
    let rx = Pair::socket(&p.b, SocketConfig::multicast("vb", ib, Family::V4));
    let msg = advert_v4();
    let mut pkt = vec![
        0x45, 0xc0, 0, 0, 0, 0, 0, 0, 255, 112, 0, 0, 192, 0, 2, 77, 224, 0, 0, 18,
    ];
    let total = (pkt.len() + msg.len()) as u16;
    pkt[2..4].copy_from_slice(&total.to_be_bytes());
    pkt.extend_from_slice(&msg);
    let mut buf = [0u8; 2048];
    let m = send_until_received(&tx, &pkt, IpAddr::V4(VRRP_MCAST_V4), &rx, &mut buf);
    assert_eq!(
        m.src,
        "192.0.2.77".parse::<IpAddr>().unwrap(),
        "source from our header"
    );
    assert_eq!(m.ttl, Some(255));
    assert_eq!(&buf[20..m.len], &msg[..]);
}

#[test]
fn ipv4_unicast_from_src_to_peer() {
    let p = Pair::new("u4");
    let (ia, _) = Pair::link(&p.a, "va");
    let (ib, _) = Pair::link(&p.b, "vb");
    let mut cfg = SocketConfig::unicast("va", ia, "192.0.2.1".parse().unwrap());
    cfg.unicast_ttl = 64;
    let tx = Pair::socket(&p.a, cfg);
    let rx = Pair::socket(
        &p.b,
        SocketConfig::unicast("vb", ib, "192.0.2.2".parse().unwrap()),
    );
    let mut buf = [0u8; 2048];
    let m = send_until_received(
        &tx,
        &advert_v4(),
        "192.0.2.2".parse().unwrap(),
        &rx,
        &mut buf,
    );
    assert_eq!(m.src, "192.0.2.1".parse::<IpAddr>().unwrap());
    assert_eq!(m.dst, Some("192.0.2.2".parse().unwrap()));
    assert_eq!(m.ttl, Some(64), "unicast_ttl honoured");
}

/// RFC 5798 §5.2.8 checksum over the IPv6 pseudo-header (next header 112).
fn v6_sum(src: Ipv6Addr, dst: Ipv6Addr, msg: &[u8]) -> u16 {
    let mut data = Vec::new();
    data.extend_from_slice(&src.octets());
    data.extend_from_slice(&dst.octets());
    data.extend_from_slice(&(msg.len() as u32).to_be_bytes());
    data.extend_from_slice(&[0, 0, 0, 112]);
    data.extend_from_slice(msg);
    let mut sum: u32 = 0;
    for c in data.chunks(2) {
        sum += u32::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]));
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

#[test]
fn ipv6_multicast_advert_kernel_checksum_hoplimit_pktinfo() {
    let p = Pair::new("m6");
    let (ia, _) = Pair::link(&p.a, "va");
    let (ib, _) = Pair::link(&p.b, "vb");
    let tx = Pair::socket(&p.a, SocketConfig::multicast("va", ia, Family::V6));
    let rx = Pair::socket(&p.b, SocketConfig::multicast("vb", ib, Family::V6));
    let mut msg = vec![0x31, 51, 100, 1, 0x00, 100, 0, 0];
    msg.extend_from_slice(&"2001:db8::100".parse::<Ipv6Addr>().unwrap().octets());
    // Wait until both ends have a usable link-local (addrconf runs asynchronously after
    // link up), then send like a master would: every 100 ms until the peer hears one.
    for (ns, dev) in [(&p.a, "va"), (&p.b, "vb")] {
        let deadline = Instant::now() + Duration::from_secs(5);
        while !sh(&[
            "ip", "-n", ns, "-6", "addr", "show", "dev", dev, "scope", "link",
        ])
        .contains("fe80")
            || sh(&[
                "ip",
                "-n",
                ns,
                "-6",
                "addr",
                "show",
                "dev",
                dev,
                "tentative",
            ])
            .contains("fe80")
        {
            assert!(Instant::now() < deadline, "no link-local on {dev}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    let mut buf = [0u8; 2048];
    let m = send_until_received(&tx, &msg, IpAddr::V6(VRRP_MCAST_V6), &rx, &mut buf);
    let IpAddr::V6(src) = m.src else {
        panic!("v4 src")
    };
    assert_eq!(src.segments()[0], 0xfe80, "sent from the link-local: {src}");
    assert_eq!(m.dst, Some(IpAddr::V6(VRRP_MCAST_V6)));
    assert_eq!(m.ttl, Some(255), "hop limit");
    assert_eq!(m.ifindex, ib);
    assert_eq!(m.len, msg.len());
    assert_eq!(&buf[..6], &msg[..6]);
    assert_eq!(&buf[8..m.len], &msg[8..]);
    assert_ne!(&buf[6..8], &[0, 0], "kernel filled the checksum");
    assert_eq!(
        v6_sum(src, VRRP_MCAST_V6, &buf[..m.len]),
        0,
        "checksum verifies"
    );
}

fn packet_rx(ns: &str, ethertype: u16) -> Socket {
    Pair::run(ns, move || {
        let s = Socket::new(
            Domain::PACKET,
            Type::RAW,
            Some(Protocol::from(i32::from(ethertype.to_be()))),
        )
        .unwrap();
        s.set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        s
    })
}

fn read_frames_until(s: &Socket, mut pred: impl FnMut(&[u8]) -> bool) -> Vec<u8> {
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut buf = [0u8; 2048];
    while Instant::now() < deadline {
        if let Ok(n) =
            nix::sys::socket::recv(s.as_raw_fd(), &mut buf, nix::sys::socket::MsgFlags::empty())
        {
            if pred(&buf[..n]) {
                return buf[..n].to_vec();
            }
        }
    }
    panic!("expected frame not seen within 3 s");
}

#[test]
fn gratuitous_arp_seen_on_the_wire() {
    let p = Pair::new("ga");
    let (ia, mac) = Pair::link(&p.a, "va");
    let rx = packet_rx(&p.b, 0x0806);
    let ann = Pair::run(&p.a, || Announcer::open().unwrap());
    let vip = Ipv4Addr::new(192, 0, 2, 100);
    ann.send_garp(ia, mac, vip).unwrap();
    let f = read_frames_until(&rx, |f| f.len() >= 42 && f[28..32] == vip.octets());
    assert_eq!(&f[..42], &garp_frame(mac, vip)[..]);
    assert_eq!(&f[0..6], &[0xff; 6], "broadcast");
    assert_eq!(&f[6..12], &mac, "from the interface MAC");
    assert_eq!(&f[20..22], &[0, 1], "ARP request");
    assert_eq!(&f[38..42], &vip.octets(), "target IP = VIP");
}

#[test]
fn unsolicited_na_seen_on_the_wire() {
    let p = Pair::new("na");
    let (ia, mac) = Pair::link(&p.a, "va");
    let rx = packet_rx(&p.b, 0x86dd);
    let ann = Pair::run(&p.a, || Announcer::open().unwrap());
    let vip: Ipv6Addr = "2001:db8::100".parse().unwrap();
    ann.send_unsolicited_na(ia, mac, vip, false).unwrap();
    let f = read_frames_until(&rx, |f| {
        f.len() >= 86 && f[20] == 58 && f[54] == 136 && f[62..78] == vip.octets()
    });
    assert_eq!(&f[0..6], &[0x33, 0x33, 0, 0, 0, 1]);
    assert_eq!(&f[6..12], &mac);
    assert_eq!(f[21], 255, "hop limit");
    assert_eq!(&f[22..38], &vip.octets(), "source = VIP");
    assert_eq!(&f[38..54], &"ff02::1".parse::<Ipv6Addr>().unwrap().octets());
    assert_eq!(f[58] & 0x20, 0x20, "Override");
    assert_eq!(f[58] & 0x80, 0, "not Router");
    assert_eq!(&f[78..80], &[2, 1], "target link-layer option");
    assert_eq!(&f[80..86], &mac);
}

#[test]
fn ipv6_unicast_from_src_to_peer() {
    let p = Pair::new("u6");
    let (ia, _) = Pair::link(&p.a, "va");
    let (ib, _) = Pair::link(&p.b, "vb");
    let mut cfg = SocketConfig::unicast("va", ia, "2001:db8::1".parse().unwrap());
    cfg.unicast_ttl = 77;
    let tx = Pair::socket(&p.a, cfg);
    let rx = Pair::socket(
        &p.b,
        SocketConfig::unicast("vb", ib, "2001:db8::2".parse().unwrap()),
    );
    let mut msg = vec![0x31, 51, 100, 1, 0x00, 100, 0, 0];
    msg.extend_from_slice(&"2001:db8::100".parse::<Ipv6Addr>().unwrap().octets());
    let mut buf = [0u8; 2048];
    let m = send_until_received(&tx, &msg, "2001:db8::2".parse().unwrap(), &rx, &mut buf);
    assert_eq!(m.src, "2001:db8::1".parse::<IpAddr>().unwrap());
    assert_eq!(m.dst, Some("2001:db8::2".parse().unwrap()));
    assert_eq!(m.ttl, Some(77), "unicast_ttl as hop limit");
    assert_eq!(m.ifindex, ib);
    assert_eq!(
        v6_sum(
            "2001:db8::1".parse().unwrap(),
            "2001:db8::2".parse().unwrap(),
            &buf[..m.len]
        ),
        0
    );
}

#[test]
fn sockets_are_mio_registrable() {
    use mio::unix::SourceFd;
    use mio::{Events, Interest, Poll, Token};
    let p = Pair::new("mio");
    let (ia, _) = Pair::link(&p.a, "va");
    let (ib, _) = Pair::link(&p.b, "vb");
    let tx = Pair::socket(&p.a, SocketConfig::multicast("va", ia, Family::V4));
    let rx = Pair::socket(&p.b, SocketConfig::multicast("vb", ib, Family::V4));
    let mut poll = Poll::new().unwrap();
    let fd = rx.as_raw_fd();
    poll.registry()
        .register(&mut SourceFd(&fd), Token(7), Interest::READABLE)
        .unwrap();
    let mut events = Events::with_capacity(4);
    poll.poll(&mut events, Some(Duration::from_millis(50)))
        .unwrap();
    assert!(events.is_empty(), "nothing readable before a send");
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        tx.send_to(&advert_v4(), IpAddr::V4(VRRP_MCAST_V4)).unwrap();
        poll.poll(&mut events, Some(Duration::from_millis(100)))
            .unwrap();
        if events
            .iter()
            .any(|e| e.token() == Token(7) && e.is_readable())
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "mio never reported the socket readable"
        );
    }
    let mut buf = [0u8; 2048];
    assert!(rx.recv(&mut buf).unwrap().is_some());
}

/// Reads one `recv_batch` after the datagrams had time to arrive; metas as `meta_of` gives.
fn recv_batch_until(rx: &VrrpSocket, want: usize) -> Vec<(Vec<u8>, RecvMeta)> {
    let mut batch = keepalived_sys::mmsg::RecvBatch::new(8, 2048);
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut got = Vec::new();
    while got.len() < want {
        assert!(
            Instant::now() < deadline,
            "only {} of {want} received",
            got.len()
        );
        std::thread::sleep(Duration::from_millis(10));
        if rx.recv_batch(&mut batch).expect("recvmmsg") > 0 {
            for (d, m) in batch.iter() {
                got.push((d.to_vec(), rx.meta_of(d, m)));
            }
        }
    }
    got
}

#[test]
fn batched_send_and_receive_carry_what_single_calls_do() {
    let p = Pair::new("bt");
    let (ia, _) = Pair::link(&p.a, "va");
    let (ib, _) = Pair::link(&p.b, "vb");
    // IPv4: three adverts in one sendmmsg, read with one recvmmsg
    let tx = Pair::socket(&p.a, SocketConfig::multicast("va", ia, Family::V4));
    let rx = Pair::socket(&p.b, SocketConfig::multicast("vb", ib, Family::V4));
    let msgs: Vec<Vec<u8>> = (1..=3u8)
        .map(|v| {
            let mut m = advert_v4();
            m[1] = v;
            m
        })
        .collect();
    let dst = IpAddr::V4(VRRP_MCAST_V4);
    // the first reaches the peer only once IGMP state settled: send singly until one arrives
    let mut buf = [0u8; 2048];
    send_until_received(&tx, &msgs[0], dst, &rx, &mut buf);
    while rx.recv(&mut buf).unwrap().is_some() {}
    let batch: Vec<(&[u8], IpAddr, Option<IpAddr>)> =
        msgs.iter().map(|m| (&m[..], dst, None)).collect();
    assert!(tx.send_batch(&batch).is_empty(), "all sent");
    let got = recv_batch_until(&rx, 3);
    for ((bytes, m), sent) in got.iter().zip(&msgs) {
        assert_eq!(m.src, "192.0.2.1".parse::<IpAddr>().unwrap());
        assert_eq!(m.dst, Some(dst));
        assert_eq!(m.ttl, Some(255));
        assert_eq!(m.ifindex, ib);
        assert_eq!(m.len, bytes.len());
        let ihl = usize::from(bytes[0] & 0x0f) * 4;
        assert_eq!(&bytes[ihl..], &sent[..], "same bytes, in order");
    }
    // a datagram of the wrong family is reported with its index, the others still go
    let bad: Vec<(&[u8], IpAddr, Option<IpAddr>)> = vec![
        (&msgs[0][..], dst, None),
        (&msgs[1][..], IpAddr::V6(VRRP_MCAST_V6), None),
        (&msgs[2][..], dst, None),
    ];
    let errs = tx.send_batch(&bad);
    assert_eq!(errs.iter().map(|(k, _)| *k).collect::<Vec<_>>(), vec![1]);
    assert_eq!(recv_batch_until(&rx, 2).len(), 2);

    // IPv6: the source in IPV6_PKTINFO per datagram, hop limit and destination back
    let tx6 = Pair::socket(&p.a, SocketConfig::multicast("va", ia, Family::V6));
    let rx6 = Pair::socket(&p.b, SocketConfig::multicast("vb", ib, Family::V6));
    let deadline = Instant::now() + Duration::from_secs(5);
    let lladdr = loop {
        let out = sh(&[
            "ip", "-n", &p.a, "-6", "-o", "addr", "show", "dev", "va", "scope", "link",
        ]);
        let tentative = sh(&[
            "ip",
            "-n",
            &p.a,
            "-6",
            "addr",
            "show",
            "dev",
            "va",
            "tentative",
        ]);
        let b_tentative = sh(&[
            "ip",
            "-n",
            &p.b,
            "-6",
            "addr",
            "show",
            "dev",
            "vb",
            "tentative",
        ]);
        let b_ll = sh(&[
            "ip", "-n", &p.b, "-6", "addr", "show", "dev", "vb", "scope", "link",
        ]);
        let ll = out
            .split_whitespace()
            .skip_while(|w| *w != "inet6")
            .nth(1)
            .and_then(|a| a.split('/').next())
            .and_then(|a| a.parse::<Ipv6Addr>().ok());
        if let Some(ll) = ll {
            if !tentative.contains("fe80") && !b_tentative.contains("fe80") && b_ll.contains("fe80")
            {
                break ll;
            }
        }
        assert!(Instant::now() < deadline, "no link-local on va/vb");
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut m6 = vec![0x31, 7, 100, 1, 0x00, 100, 0, 0];
    m6.extend_from_slice(&"2001:db8::100".parse::<Ipv6Addr>().unwrap().octets());
    let dst6 = IpAddr::V6(VRRP_MCAST_V6);
    send_until_received(&tx6, &m6, dst6, &rx6, &mut buf);
    while rx6.recv(&mut buf).unwrap().is_some() {}
    let batch6: Vec<(&[u8], IpAddr, Option<IpAddr>)> =
        vec![(&m6[..], dst6, Some(IpAddr::V6(lladdr))); 2];
    assert!(tx6.send_batch(&batch6).is_empty(), "all sent");
    for (bytes, m) in recv_batch_until(&rx6, 2) {
        assert_eq!(m.src, IpAddr::V6(lladdr));
        assert_eq!(m.dst, Some(dst6));
        assert_eq!(m.ttl, Some(255), "hop limit");
        assert_eq!(m.ifindex, ib);
        assert_eq!(&bytes[8..], &m6[8..]);
        assert_eq!(v6_sum(lladdr, VRRP_MCAST_V6, &bytes), 0, "kernel checksum");
    }
}
