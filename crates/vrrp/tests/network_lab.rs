//! Root-only test of `scripts/lab`: brings a 3-node lab up (twice, to prove it is
//! idempotent), checks that VRRP multicast (IPv4 224.0.0.18 and IPv6 ff02::12) sent from
//! node 1 through the bridge reaches nodes 2 and 3 and the observer, and tears it down.

use std::net::IpAddr;
use std::process::Command;
use std::time::{Duration, Instant};

use keepalived_netlink::Rtnl;
use keepalived_vrrp::network::{Family, SocketConfig, VrrpSocket, VRRP_MCAST_V4, VRRP_MCAST_V6};

struct Lab(String);

fn lab(args: &[&str]) -> String {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/lab");
    let out = Command::new("bash")
        .arg(script)
        .args(args)
        .output()
        .expect("run scripts/lab");
    assert!(
        out.status.success(),
        "scripts/lab {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

impl Lab {
    fn up(n: u32) -> Lab {
        assert!(
            nix::unistd::geteuid().is_root(),
            "this test needs root (scripts/lab); run it as root"
        );
        let l = Lab(format!("klt{}", std::process::id()));
        lab(&["up", &n.to_string(), "--prefix", &l.0]);
        l
    }
    fn ns(&self, node: &str) -> String {
        format!("{}-{node}", self.0)
    }
    fn socket(&self, node: &str, family: Family) -> VrrpSocket {
        let path = format!("/run/netns/{}", self.ns(node));
        std::thread::spawn(move || {
            let fd = std::fs::File::open(&path).expect("open netns");
            nix::sched::setns(&fd, nix::sched::CloneFlags::CLONE_NEWNET).expect("setns");
            let ifindex = Rtnl::open()
                .unwrap()
                .link_by_name("eth0")
                .unwrap()
                .expect("eth0")
                .ifindex;
            VrrpSocket::open(&SocketConfig::multicast("eth0", ifindex, family))
                .expect("open socket")
        })
        .join()
        .unwrap()
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/lab");
        let _ = Command::new("bash")
            .arg(script)
            .args(["down", "--prefix", &self.0])
            .status();
    }
}

fn check_multicast(l: &Lab, family: Family, group: IpAddr, src_prefix: &str) {
    let tx = l.socket("n1", family);
    let rxs: Vec<(&str, VrrpSocket)> = ["n2", "n3", "obs"]
        .into_iter()
        .map(|n| (n, l.socket(n, family)))
        .collect();
    let msg = [0x31u8, 7, 100, 0, 0, 100, 0, 0];
    let mut got = [false; 3];
    let mut buf = [0u8; 1500];
    let deadline = Instant::now() + Duration::from_secs(5);
    while !got.iter().all(|g| *g) {
        assert!(
            Instant::now() < deadline,
            "{family:?} multicast reached only {got:?} of n2, n3, obs"
        );
        tx.send_to(&msg, group).expect("send");
        std::thread::sleep(Duration::from_millis(100));
        for (i, (name, rx)) in rxs.iter().enumerate() {
            while let Some(m) = rx.recv(&mut buf).expect("recv") {
                assert_eq!(m.ttl, Some(255), "{name}");
                assert!(
                    m.src.to_string().starts_with(src_prefix),
                    "{name}: from {}",
                    m.src
                );
                got[i] = true;
            }
        }
    }
}

#[test]
fn lab_three_nodes_multicast_reaches_all() {
    let l = Lab::up(3);
    lab(&["up", "3", "--prefix", &l.0]); // idempotent re-run
    let st = lab(&["status", "--prefix", &l.0]);
    assert!(st.contains("multicast_snooping=0"), "{st}");
    for (node, addr) in [
        ("n1", "192.0.2.11/24"),
        ("n2", "192.0.2.12/24"),
        ("n3", "192.0.2.13/24"),
        ("obs", "192.0.2.250/24"),
    ] {
        let line = st
            .lines()
            .find(|x| x.starts_with(&format!("{}:", l.ns(node))))
            .unwrap_or_else(|| panic!("{node} missing: {st}"));
        assert!(line.contains(addr) && line.contains("UP"), "{line}");
    }
    check_multicast(&l, Family::V4, IpAddr::V4(VRRP_MCAST_V4), "192.0.2.11");
    check_multicast(&l, Family::V6, IpAddr::V6(VRRP_MCAST_V6), "fe80:");
    let name = l.0.clone();
    drop(l);
    let left = String::from_utf8_lossy(
        &Command::new("ip")
            .args(["netns", "list"])
            .output()
            .unwrap()
            .stdout,
    )
    .into_owned();
    assert!(!left.contains(&name), "lab namespaces left behind: {left}");
}
