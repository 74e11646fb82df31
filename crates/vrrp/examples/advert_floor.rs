//! The cheapest program that sends or receives the adverts of the VRRP load benchmark: the
//! floor under any implementation's CPU figure in the same namespace lab. Run by
//! `scripts/bench/vrrp-floor` inside the lab's namespaces (needs CAP_NET_RAW).
//!
//! ```text
//! advert_floor send DEV SRC N INTERVAL_US sendto|sendmmsg|sendmmsg-kernel-header
//!     N VRRPv3 IPv4 adverts (VRIDs 1..N, one VIP each, built once, byte-identical to the
//!     daemon's) to 224.0.0.18 every INTERVAL_US, all due at once, on a raw IP_HDRINCL
//!     socket; one sendto each, or one sendmmsg for all; or without IP_HDRINCL (the kernel
//!     writes the IP header), with one sendmmsg.
//! advert_floor recv DEV recv|recvmmsg [GAP_US]
//!     joins 224.0.0.18 on DEV and reads every advert: poll, then drain with one recvfrom
//!     each or recvmmsg batches of 64; with GAP_US, sleeps that long after each drain (fewer
//!     wake-ups, more adverts per wake-up).
//! ```
//! Both run until killed; the receiver prints nothing (the benchmark counts packets on the
//! interfaces and CPU from /proc).

use std::net::{IpAddr, Ipv4Addr, SocketAddr, SocketAddrV4};
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use keepalived_sys::mmsg::{send_batch, OutDatagram, RecvBatch};
use keepalived_vrrp::network::{Family, SocketConfig, VrrpSocket, VRRP_MCAST_V4, VRRP_TTL};
use keepalived_vrrp::packet::{encode_ipv4_packet, Advert, V2Auth, Version, VirtualAddrs};

fn ifindex(dev: &str) -> u32 {
    nix::net::if_::if_nametoindex(dev).unwrap_or_else(|e| {
        eprintln!("advert_floor: no interface {dev}: {e}");
        std::process::exit(2)
    })
}

fn open(dev: &str, hdrincl: bool) -> VrrpSocket {
    let mut cfg = SocketConfig::multicast(dev, ifindex(dev), Family::V4);
    cfg.hdrincl = hdrincl;
    VrrpSocket::open(&cfg).unwrap_or_else(|e| {
        eprintln!("advert_floor: {e}");
        std::process::exit(2)
    })
}

fn send(dev: &str, src: Ipv4Addr, n: u8, interval: Duration, mmsg: bool, hdrincl: bool) {
    let sock = open(dev, hdrincl);
    // Without IP_HDRINCL the socket takes the VRRP message only.
    let skip = if hdrincl { 0 } else { 20 };
    let packets: Vec<Vec<u8>> = (1..=n)
        .map(|vrid| {
            let advert = Advert {
                version: Version::V3,
                vrid,
                priority: 200,
                adver_int: u16::try_from(interval.as_millis() / 10).unwrap_or(0x0fff),
                auth: V2Auth::None,
                addrs: VirtualAddrs::V4(vec![Ipv4Addr::new(198, 51, 100, vrid)]),
                checksum: 0,
            };
            let p = encode_ipv4_packet(&advert, src, VRRP_MCAST_V4, VRRP_TTL, 1, false);
            p.get(skip..).unwrap_or_default().to_vec()
        })
        .collect();
    let dst = SocketAddr::V4(SocketAddrV4::new(VRRP_MCAST_V4, 0));
    let batch: Vec<OutDatagram<'_>> = packets
        .iter()
        .map(|p| OutDatagram {
            buf: p,
            dst,
            pktinfo: None,
        })
        .collect();
    let mut next = Instant::now();
    loop {
        if mmsg {
            if let Err(e) = send_batch(sock.as_fd(), &batch) {
                eprintln!("advert_floor: sendmmsg: {e}");
            }
        } else {
            for p in &packets {
                if let Err(e) = sock.send_to(p, IpAddr::V4(VRRP_MCAST_V4)) {
                    eprintln!("advert_floor: {e}");
                }
            }
        }
        next += interval;
        let now = Instant::now();
        if next > now {
            std::thread::sleep(next - now);
        } else {
            next = now;
        }
    }
}

fn recv(dev: &str, mmsg: bool, gap: Option<Duration>) {
    let sock = open(dev, false);
    let mut buf = vec![0u8; 2048];
    let mut batch = RecvBatch::new(64, 2048);
    loop {
        let mut fds = [nix::poll::PollFd::new(
            sock.as_fd(),
            nix::poll::PollFlags::POLLIN,
        )];
        if let Err(e) = nix::poll::poll(&mut fds, nix::poll::PollTimeout::NONE) {
            if e != nix::errno::Errno::EINTR {
                eprintln!("advert_floor: poll: {e}");
                std::process::exit(1);
            }
        }
        if mmsg {
            while batch.recv(sock.as_fd()).is_ok_and(|k| k == 64) {}
        } else {
            while let Ok(Some(_)) = sock.recv(&mut buf) {}
        }
        if let Some(g) = gap {
            std::thread::sleep(g);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    match a.as_slice() {
        ["send", dev, src, n, us, how] => {
            let (Ok(src), Ok(n), Ok(us)) = (src.parse(), n.parse(), us.parse()) else {
                eprintln!("advert_floor: bad send arguments");
                std::process::exit(2)
            };
            let hdrincl = *how != "sendmmsg-kernel-header";
            let mmsg = how.starts_with("sendmmsg");
            send(dev, src, n, Duration::from_micros(us), mmsg, hdrincl);
        }
        ["recv", dev, how, rest @ ..] => {
            let gap = rest
                .first()
                .and_then(|g| g.parse().ok())
                .map(Duration::from_micros);
            recv(dev, *how == "recvmmsg", gap);
        }
        _ => {
            eprintln!("usage: see the top of crates/vrrp/examples/advert_floor.rs");
            std::process::exit(2);
        }
    }
}
