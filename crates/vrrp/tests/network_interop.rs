//! Root-only interop test of the socket adapters against Debian's keepalived 2.2.7 in a
//! `scripts/lab` lab: keepalived (node 1) becomes MASTER of an IPv4 and an IPv6 VRRPv3
//! instance; our [`VrrpSocket`]s on node 2 receive its adverts with the right source,
//! destination and TTL/hop limit, and the observer sees keepalived's gratuitous ARP and
//! unsolicited NA byte for byte equal to the frames our [`garp_frame`] and
//! [`unsolicited_na_frame`] build. And the reverse: hand-built priority-200 adverts sent
//! through our sockets (IPv4 and IPv6, the IPv6 checksum left to the kernel) keep
//! keepalived BACKUP; when they stop, it takes the VIPs.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::os::fd::AsRawFd;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use keepalived_netlink::Rtnl;
use keepalived_vrrp::network::{
    garp_frame, unsolicited_na_frame, Family, SocketConfig, VrrpSocket, VRRP_MCAST_V4,
    VRRP_MCAST_V6,
};
use socket2::{Domain, Protocol, Socket, Type};

const LAB: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/lab");
const KEEPALIVED: &str = "/usr/sbin/keepalived";

struct Lab(String);

impl Lab {
    fn up(tag: &str) -> Lab {
        let l = Lab(format!("kio{tag}{}", std::process::id()));
        let st = Command::new("bash")
            .arg(LAB)
            .args(["up", "2", "--prefix", &l.0])
            .status()
            .unwrap();
        assert!(st.success(), "scripts/lab up failed");
        l
    }
    fn in_ns<T: Send + 'static>(&self, node: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
        let path = format!("/run/netns/{}-{node}", self.0);
        std::thread::spawn(move || {
            let fd = std::fs::File::open(&path).expect("open netns");
            nix::sched::setns(&fd, nix::sched::CloneFlags::CLONE_NEWNET).expect("setns");
            f()
        })
        .join()
        .unwrap()
    }
    fn eth0(&self, node: &str) -> (u32, [u8; 6]) {
        self.in_ns(node, || {
            let l = Rtnl::open()
                .unwrap()
                .link_by_name("eth0")
                .unwrap()
                .expect("eth0");
            let mut mac = [0u8; 6];
            mac.copy_from_slice(&l.mac);
            (l.ifindex, mac)
        })
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(LAB)
            .args(["down", "--prefix", &self.0])
            .status();
    }
}

/// keepalived running in the lab; stopped with SIGTERM (then SIGKILL) by pid in Drop.
struct Keepalived(Child);

impl Drop for Keepalived {
    fn drop(&mut self) {
        use nix::sys::signal::{kill, Signal};
        let pid = nix::unistd::Pid::from_raw(self.0.id() as i32);
        let _ = kill(pid, Signal::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts keepalived on n1 with a v3 IPv4 instance (VRID 51, 192.0.2.100/24) and a v3
/// IPv6 instance (VRID 52, 2001:db8::100/64), priority 100, adverts every 100 ms.
fn start_keepalived(l: &Lab, dir: &tempfile::TempDir) -> Keepalived {
    assert!(
        std::path::Path::new(KEEPALIVED).exists(),
        "{KEEPALIVED} missing: run scripts/setup-debian (installs Debian's keepalived)"
    );
    let conf = dir.path().join("keepalived.conf");
    std::fs::write(
        &conf,
        "global_defs {\n  vrrp_version 3\n}\n\
         vrrp_instance V4 {\n  interface eth0\n  virtual_router_id 51\n  priority 100\n  advert_int 0.1\n  virtual_ipaddress {\n    192.0.2.100/24\n  }\n}\n\
         vrrp_instance V6 {\n  interface eth0\n  virtual_router_id 52\n  priority 100\n  advert_int 0.1\n  virtual_ipaddress {\n    2001:db8::100/64\n  }\n}\n",
    )
    .unwrap();
    let p = |n: &str| dir.path().join(n).to_string_lossy().into_owned();
    let child = Command::new("ip")
        .args([
            "netns",
            "exec",
            &format!("{}-n1", l.0),
            KEEPALIVED,
            "-n",
            "-l",
            "-D",
            "--vrrp",
        ])
        .args([
            "-f",
            &conf.to_string_lossy(),
            "-p",
            &p("k.pid"),
            "-r",
            &p("v.pid"),
            "-c",
            &p("c.pid"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start keepalived");
    Keepalived(child)
}

fn packet_rx(l: &Lab, node: &str, ethertype: u16) -> Socket {
    l.in_ns(node, move || {
        let s = Socket::new(
            Domain::PACKET,
            Type::RAW,
            Some(Protocol::from(i32::from(ethertype.to_be()))),
        )
        .unwrap();
        s.set_nonblocking(true).unwrap();
        s
    })
}

fn drain(s: &Socket, out: &mut Vec<Vec<u8>>) {
    let mut buf = [0u8; 2048];
    while let Ok(n) =
        nix::sys::socket::recv(s.as_raw_fd(), &mut buf, nix::sys::socket::MsgFlags::empty())
    {
        out.push(buf[..n].to_vec());
    }
}

#[test]
fn keepalived_adverts_garp_and_na_match_ours() {
    assert!(
        nix::unistd::geteuid().is_root(),
        "this test needs root (namespaces); run it as root"
    );
    let l = Lab::up("a");
    let (_, mac1) = l.eth0("n1");
    let (if2, _) = l.eth0("n2");
    let rx4 = l.in_ns("n2", move || {
        VrrpSocket::open(&SocketConfig::multicast("eth0", if2, Family::V4)).unwrap()
    });
    let rx6 = l.in_ns("n2", move || {
        VrrpSocket::open(&SocketConfig::multicast("eth0", if2, Family::V6)).unwrap()
    });
    let arp = packet_rx(&l, "obs", 0x0806);
    let ip6 = packet_rx(&l, "obs", 0x86dd);

    let dir = tempfile::tempdir().unwrap();
    let _k = start_keepalived(&l, &dir);

    let vip4 = Ipv4Addr::new(192, 0, 2, 100);
    let vip6: Ipv6Addr = "2001:db8::100".parse().unwrap();
    let want_garp = garp_frame(mac1, vip4);
    let want_na = unsolicited_na_frame(mac1, vip6, false);
    let (mut got4, mut got6, mut got_garp, mut got_na) = (false, false, false, false);
    let mut frames = Vec::new();
    let mut buf = [0u8; 2048];
    let deadline = Instant::now() + Duration::from_secs(10);
    while !(got4 && got6 && got_garp && got_na) {
        assert!(
            Instant::now() < deadline,
            "within 10 s: advert v4 {got4}, v6 {got6}, GARP {got_garp}, NA {got_na}"
        );
        std::thread::sleep(Duration::from_millis(20));
        while let Some(m) = rx4.recv(&mut buf).unwrap() {
            let ihl = usize::from(buf[0] & 0x0f) * 4;
            if m.len >= ihl + 8 && buf[ihl + 1] == 51 {
                assert_eq!(m.src, "192.0.2.11".parse::<IpAddr>().unwrap());
                assert_eq!(m.dst, Some(IpAddr::V4(VRRP_MCAST_V4)));
                assert_eq!(m.ttl, Some(255));
                assert_eq!(buf[ihl], 0x31, "VRRPv3 advertisement");
                assert_eq!(buf[1], 0xc0, "keepalived's TOS, which we send too");
                got4 = true;
            }
        }
        while let Some(m) = rx6.recv(&mut buf).unwrap() {
            if m.len >= 8 && buf[1] == 52 {
                let IpAddr::V6(src) = m.src else {
                    panic!("v4 source on v6 socket")
                };
                assert_eq!(src.segments()[0], 0xfe80, "from n1's link-local");
                assert_eq!(m.dst, Some(IpAddr::V6(VRRP_MCAST_V6)));
                assert_eq!(m.ttl, Some(255));
                assert_eq!(buf[0], 0x31);
                got6 = true;
            }
        }
        drain(&arp, &mut frames);
        drain(&ip6, &mut frames);
        for f in frames.drain(..) {
            if f.len() >= 42 && f[12..14] == [0x08, 0x06] && f[28..32] == vip4.octets() {
                assert_eq!(&f[..42], &want_garp[..], "keepalived's GARP equals ours");
                got_garp = true;
            }
            if f.len() >= 86 && f[20] == 58 && f[54] == 136 && f[62..78] == vip6.octets() {
                assert_eq!(
                    &f[..86],
                    &want_na[..],
                    "keepalived's unsolicited NA equals ours"
                );
                got_na = true;
            }
        }
    }
}

/// RFC 1071 checksum over `parts`.
fn inet_sum(parts: &[&[u8]]) -> u16 {
    let mut data = Vec::new();
    for p in parts {
        data.extend_from_slice(p);
    }
    let mut sum: u32 = 0;
    for c in data.chunks(2) {
        sum += u32::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]));
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// A VRRPv3 advert (RFC 5798 §5.1): priority 200, max advert interval 10 cs, one address.
fn advert(vrid: u8, addr: &[u8]) -> Vec<u8> {
    let mut m = vec![0x31, vrid, 200, 1, 0x00, 10, 0, 0];
    m.extend_from_slice(addr);
    m
}

/// (IPv4, IPv6) VIP present on n1's eth0.
fn vips_on_n1(l: &Lab) -> (bool, bool) {
    let out = Command::new("ip")
        .args(["-n", &format!("{}-n1", l.0), "addr", "show", "dev", "eth0"])
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    (s.contains("192.0.2.100/24"), s.contains("2001:db8::100/64"))
}

#[test]
fn our_adverts_keep_keepalived_backup() {
    assert!(
        nix::unistd::geteuid().is_root(),
        "this test needs root (namespaces); run it as root"
    );
    let l = Lab::up("b");
    let (if2, _) = l.eth0("n2");
    let tx4 = l.in_ns("n2", move || {
        VrrpSocket::open(&SocketConfig::multicast("eth0", if2, Family::V4)).unwrap()
    });
    let tx6 = l.in_ns("n2", move || {
        VrrpSocket::open(&SocketConfig::multicast("eth0", if2, Family::V6)).unwrap()
    });
    let vip4 = Ipv4Addr::new(192, 0, 2, 100);
    let vip6: Ipv6Addr = "2001:db8::100".parse().unwrap();
    // IPv4: RFC 5798 §5.2.8 checksum with the pseudo-header (n2 sends from 192.0.2.12).
    let mut a4 = advert(51, &vip4.octets());
    let pseudo = [
        &[192u8, 0, 2, 12][..],
        &VRRP_MCAST_V4.octets(),
        &[0, 112, 0, a4.len() as u8],
    ];
    let sum = inet_sum(&[pseudo[0], pseudo[1], pseudo[2], &a4]);
    a4[6..8].copy_from_slice(&sum.to_be_bytes());
    // IPv6: the kernel fills the checksum (IPV6_CHECKSUM 6).
    let a6 = advert(52, &vip6.octets());

    let send = || {
        tx4.send_to(&a4, IpAddr::V4(VRRP_MCAST_V4))
            .expect("send v4");
        // the link-local may still be coming up: a failed early v6 send is retried next tick
        let _ = tx6.send_to(&a6, IpAddr::V6(VRRP_MCAST_V6));
    };
    for _ in 0..5 {
        send();
        std::thread::sleep(Duration::from_millis(100));
    }
    let dir = tempfile::tempdir().unwrap();
    let _k = start_keepalived(&l, &dir);
    // 2 s is more than five Master_Down_Intervals (3 x 0.1 s + skew) of keepalived.
    let until = Instant::now() + Duration::from_secs(2);
    while Instant::now() < until {
        send();
        assert_eq!(
            vips_on_n1(&l),
            (false, false),
            "keepalived took a VIP while we advertised priority 200"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // Silence: keepalived must now become MASTER of both instances.
    let deadline = Instant::now() + Duration::from_secs(5);
    while vips_on_n1(&l) != (true, true) {
        assert!(
            Instant::now() < deadline,
            "keepalived did not take over after we stopped: {:?}",
            vips_on_n1(&l)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
