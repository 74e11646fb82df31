//! End-to-end tests of `virtual_routes`, `virtual_rules`, the static blocks and `use_vmac`
//! (issue 5 items 5 and 6) with the real binary on the `scripts/lab` namespace lab, checked
//! with `ip route`/`ip rule`/`ip link`, sysctls, the observer's ARP and VRRP capture and
//! the bridge's forwarding table; and the kernel state compared with Debian's keepalived
//! running the same configuration. Needs root and tcpdump; fails (never skips) without.

use std::collections::BTreeSet;
use std::time::Duration;

use keepalived_rs_tests::require_root;
use nix::sys::signal::Signal;

mod vrrp_lab;
use vrrp_lab::{launch, serial, spawn_in, vrrp_frames, vrrp_pid, Impl, Lab, Netns, Proc, VIP};

const VMAC: &str = "00:00:5e:00:01:33";

/// Starts `which` with `conf` in NODE (`-n -l -D`, both children), files tagged `tag`.
fn start(lab: &impl Netns, node: &str, which: Impl, conf: &str, tag: &str) -> Proc {
    start_args(lab, node, which, conf, tag, &[])
}

/// [`start`] with extra command-line arguments.
fn start_args(
    lab: &impl Netns,
    node: &str,
    which: Impl,
    conf: &str,
    tag: &str,
    extra: &[&str],
) -> Proc {
    let mut flags = vec!["-D"];
    flags.extend_from_slice(extra);
    launch(lab, node, which, conf, tag, &flags, &[])
}

/// Node `n`'s configuration: static entries (the address differs per node), one instance
/// at 100 ms with virtual routes (IPv4, IPv6, a typed route in another table) and a rule.
fn routes_config(n: u8, prio: u8, state: &str) -> String {
    format!(
        "global_defs {{\n  router_id n{n}\n}}\n\
static_ipaddress {{\n  198.51.100.1{n}/32 dev eth0\n}}\n\
static_routes {{\n  203.0.113.128/25 via 192.0.2.1 dev eth0\n  blackhole 198.51.100.128/25 table 100\n}}\n\
static_rules {{\n  from 198.51.100.0/24 table 100 priority 100\n}}\n\
vrrp_instance VI_1 {{\n  state {state}\n  interface eth0\n  virtual_router_id 51\n  priority {prio}\n  advert_int 0.1\n  version 3\n\
  virtual_ipaddress {{\n    {VIP}/24\n  }}\n\
  virtual_routes {{\n    203.0.113.0/25 via 192.0.2.1 dev eth0 metric 5\n    2001:db8:5::/48 via 2001:db8::1 dev eth0\n    unreachable 203.0.113.200/32 table 101\n  }}\n\
  virtual_rules {{\n    to 203.0.113.7 table 101 priority 200\n  }}\n}}\n"
    )
}

/// Routes and rules with `proto keepalived` in NODE, one per line, sorted.
fn kept(lab: &Lab, node: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for args in [
        &["-4", "route", "show", "table", "all"][..],
        &["-6", "route", "show", "table", "all"],
        &["-4", "rule"],
    ] {
        for l in lab.ip_out(node, args).lines() {
            if l.contains("proto keepalived") {
                out.insert(l.trim().to_string());
            }
        }
    }
    out
}

const VIRTUAL: &[&str] = &[
    "203.0.113.0/25 via 192.0.2.1 dev eth0 proto keepalived metric 5",
    "2001:db8:5::/48 via 2001:db8::1 dev eth0 proto keepalived metric 1024 pref medium",
    "unreachable 203.0.113.200 table 101 proto keepalived",
    "200:\tfrom all to 203.0.113.7 lookup 101 proto keepalived",
];
const STATIC: &[&str] = &[
    "203.0.113.128/25 via 192.0.2.1 dev eth0 proto keepalived",
    "blackhole 198.51.100.128/25 table 100 proto keepalived",
    "100:\tfrom 198.51.100.0/24 lookup 100 proto keepalived",
];

fn set(lines: &[&[&str]]) -> BTreeSet<String> {
    lines
        .iter()
        .flat_map(|l| l.iter())
        .map(|s| s.to_string())
        .collect()
}

fn logs(p: &[&Proc]) -> String {
    p.iter()
        .map(|p| p.log())
        .collect::<Vec<_>>()
        .join("\n----\n")
}

#[test]
fn virtual_routes_follow_mastership_statics_live_with_the_daemon_and_survive_a_child_restart() {
    require_root();
    let _g = serial();
    let lab = Lab::learning("krt", 2);
    let mut n1 = start(&lab, "n1", Impl::Rs, &routes_config(1, 200, "BACKUP"), "a");
    let mut n2 = start(&lab, "n2", Impl::Rs, &routes_config(2, 100, "BACKUP"), "a");
    let master = set(&[VIRTUAL, STATIC]);
    let backup = set(&[STATIC]);
    assert!(
        lab.wait(Duration::from_secs(5), || kept(&lab, "n1") == master
            && kept(&lab, "n2") == backup),
        "n1 (MASTER) should have virtual and static entries, n2 (BACKUP) only static\nn1: {:#?}\nn2: {:#?}\n{}",
        kept(&lab, "n1"),
        kept(&lab, "n2"),
        logs(&[&n1, &n2])
    );
    assert!(lab.has_addr("n1", "198.51.100.11") && lab.has_addr("n2", "198.51.100.12"));
    assert!(lab.has_addr("n1", VIP) && !lab.has_addr("n2", VIP));

    // n1 stops: its virtual and static entries go, n2 becomes MASTER and adds its own.
    n1.term();
    assert!(n1.wait_exit(Duration::from_secs(5)), "n1 did not stop");
    assert!(
        lab.wait(Duration::from_secs(3), || kept(&lab, "n2") == master),
        "n2 did not install the virtual routes on becoming MASTER: {:#?}\n{}",
        kept(&lab, "n2"),
        logs(&[&n1, &n2])
    );
    assert!(
        kept(&lab, "n1").is_empty() && !lab.has_addr("n1", "198.51.100.11"),
        "a stopped daemon leaves nothing behind: {:#?}",
        kept(&lab, "n1")
    );

    // Hitless restart: the VRRP child dies; the restarted one finds everything in place and
    // nothing is removed in between.
    let _ = nix::sys::signal::kill(vrrp_pid(&lab, "n2", "a"), Signal::SIGKILL);
    for _ in 0..40 {
        assert_eq!(
            kept(&lab, "n2"),
            master,
            "entries changed during the child restart"
        );
        assert!(lab.has_addr("n2", "198.51.100.12") && lab.has_addr("n2", VIP));
        std::thread::sleep(Duration::from_millis(25));
    }
    assert!(
        lab.wait(Duration::from_secs(3), || n2
            .log()
            .contains("resumed in MASTER STATE")),
        "the VRRP child was not restarted\n{}",
        n2.log()
    );
    assert_eq!(kept(&lab, "n2"), master);
    // The restarted child knows its routes: one deleted by hand comes back.
    lab.ip_out("n2", &["route", "del", "203.0.113.0/25"]);
    assert!(
        lab.wait(Duration::from_secs(2), || kept(&lab, "n2") == master),
        "a virtual route deleted by hand was not restored: {:#?}\n{}",
        kept(&lab, "n2"),
        n2.log()
    );

    // n1 back with a higher priority: it preempts; n2's virtual entries go, statics stay.
    let n1b = start(&lab, "n1", Impl::Rs, &routes_config(1, 200, "BACKUP"), "b");
    assert!(
        lab.wait(Duration::from_secs(5), || kept(&lab, "n1") == master
            && kept(&lab, "n2") == backup),
        "after preemption\nn1: {:#?}\nn2: {:#?}\n{}",
        kept(&lab, "n1"),
        kept(&lab, "n2"),
        logs(&[&n1b, &n2])
    );
    n2.term();
    assert!(n2.wait_exit(Duration::from_secs(5)));
    assert!(kept(&lab, "n2").is_empty(), "{:#?}", kept(&lab, "n2"));
}

#[test]
fn routes_rules_and_static_address_match_debian_keepalived() {
    require_root();
    let _g = serial();
    let lab = Lab::learning("krt", 1);
    let conf = routes_config(1, 200, "MASTER");
    let mut seen = Vec::new();
    for which in [Impl::Keepalived, Impl::Rs] {
        let mut p = start(&lab, "n1", which, &conf, &format!("{which:?}"));
        let want = set(&[VIRTUAL, STATIC]);
        let ok = lab.wait(Duration::from_secs(8), || {
            kept(&lab, "n1").len() == want.len() && lab.has_addr("n1", VIP)
        });
        let got = kept(&lab, "n1");
        assert!(ok, "{which:?}: {got:#?}\n{}", p.log());
        assert!(lab.has_addr("n1", "198.51.100.11"), "{which:?}");
        seen.push(got);
        p.term();
        assert!(
            p.wait_exit(Duration::from_secs(5)),
            "{which:?} did not stop"
        );
        assert!(
            kept(&lab, "n1").is_empty() && !lab.has_addr("n1", "198.51.100.11"),
            "{which:?} left entries behind on stop: {:#?}",
            kept(&lab, "n1")
        );
    }
    assert_eq!(
        seen[0], seen[1],
        "keepalived (left) and keepalived-rs (right) differ"
    );
    assert_eq!(seen[1], set(&[VIRTUAL, STATIC]));
}

fn vmac_config(prio: u8) -> String {
    format!(
        "global_defs {{\n  router_id vmac{prio}\n}}\n\
vrrp_instance VI_1 {{\n  interface eth0\n  virtual_router_id 51\n  priority {prio}\n  advert_int 0.1\n  version 3\n  use_vmac\n\
  virtual_ipaddress {{\n    {VIP}/24\n  }}\n}}\n"
    )
}

const BASE_SYSCTLS: &[&str] = &[
    "net/ipv4/conf/eth0/arp_ignore",
    "net/ipv4/conf/eth0/arp_filter",
    "net/ipv4/conf/all/rp_filter",
];

/// ARP replies the observer saw for `ip` while connecting to it: the MACs they gave.
fn arp_answer(lab: &Lab, ip: &str, tag: &str) -> Vec<String> {
    lab.ip_out("obs", &["neigh", "flush", "all"]);
    let mut cap = spawn_in(
        lab,
        "obs",
        &["tcpdump", "-e", "-n", "-l", "-U", "-i", "eth0", "arp"],
        &format!("arp-{tag}.txt"),
    );
    std::thread::sleep(Duration::from_millis(400));
    // A TCP connect makes the observer resolve `ip`; the refusal does not matter.
    lab.exec(
        "obs",
        &[
            "timeout",
            "1",
            "bash",
            "-c",
            &format!("echo > /dev/tcp/{ip}/9"),
        ],
    );
    std::thread::sleep(Duration::from_millis(300));
    cap.kill(Signal::SIGTERM);
    let _ = cap.wait_exit(Duration::from_secs(2));
    let needle = format!("Reply {ip} is-at ");
    cap.log()
        .lines()
        .filter_map(|l| l.split_once(&needle))
        .map(|(_, r)| r.split([',', ' ']).next().unwrap_or("").to_string())
        .collect()
}

fn mac_of(lab: &Lab, node: &str, dev: &str) -> String {
    let out = lab.ip_out(node, &["-br", "link", "show", "dev", dev]);
    out.split_whitespace().nth(2).unwrap_or("").to_string()
}

/// The bridge port that the bridge has learnt `mac` on.
fn fdb_port(lab: &Lab, mac: &str) -> Option<String> {
    let out = std::process::Command::new("bridge")
        .args(["-n", &lab.ns("br"), "fdb", "show"])
        .output()
        .expect("bridge fdb");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find(|l| l.starts_with(mac) && l.contains("master br0"))
        .and_then(|l| l.split_whitespace().nth(2).map(str::to_string))
}

#[test]
fn vmac_answers_arp_with_the_virtual_mac_moves_on_failover_and_is_removed_on_stop() {
    require_root();
    let _g = serial();
    let lab = Lab::learning("krt", 2);
    let before: Vec<Option<String>> = BASE_SYSCTLS.iter().map(|k| lab.sysctl("n1", k)).collect();
    let mut n1 = start(&lab, "n1", Impl::Rs, &vmac_config(200), "a");
    let mut n2 = start(&lab, "n2", Impl::Rs, &vmac_config(100), "a");
    assert!(
        lab.wait(Duration::from_secs(5), || lab.has_addr("n1", VIP)),
        "n1 never MASTER\n{}",
        logs(&[&n1, &n2])
    );
    // The VMAC: a private macvlan with the virtual router MAC, the VIP on it, on both nodes.
    for node in ["n1", "n2"] {
        let d = lab.ip_out(node, &["-d", "link", "show", "vrrp.51"]);
        assert!(
            d.contains(&format!("link/ether {VMAC}")) && d.contains("macvlan mode private"),
            "{node}: {d}"
        );
    }
    let on_vmac = lab.ip_out("n1", &["-4", "addr", "show", "dev", "vrrp.51"]);
    assert!(on_vmac.contains(&format!("inet {VIP}/24")), "{on_vmac}");
    for (k, v) in [
        ("net/ipv4/conf/eth0/arp_ignore", "1"),
        ("net/ipv4/conf/eth0/arp_filter", "1"),
        ("net/ipv4/conf/vrrp.51/arp_ignore", "1"),
        ("net/ipv4/conf/vrrp.51/accept_local", "1"),
        ("net/ipv4/conf/vrrp.51/rp_filter", "0"),
    ] {
        assert_eq!(lab.sysctl("n1", k).as_deref(), Some(v), "{k}");
    }
    // Adverts leave from the VMAC: their Ethernet source is the virtual MAC.
    let adverts = vrrp_frames(&lab, "ip proto 112", "vrrp.txt");
    assert!(adverts.len() >= 3, "{adverts:?}");
    assert!(
        adverts
            .iter()
            .all(|l| l.contains(&format!("{VMAC} > 01:00:5e:00:00:12"))
                && l.contains("192.0.2.11 > 224.0.0.18")),
        "{adverts:#?}"
    );
    // The VIP answers with the virtual MAC only; the host's own address with its own MAC.
    let eth0 = mac_of(&lab, "n1", "eth0");
    assert_eq!(arp_answer(&lab, VIP, "vip1"), vec![VMAC.to_string()]);
    assert_eq!(arp_answer(&lab, "192.0.2.11", "own1"), vec![eth0.clone()]);
    assert_eq!(fdb_port(&lab, VMAC).as_deref(), Some("n1"));

    // A restarted VRRP child keeps the VMAC and still restores the original sysctls on
    // stop (it takes them over from its predecessor).
    let _ = nix::sys::signal::kill(vrrp_pid(&lab, "n1", "a"), Signal::SIGKILL);
    assert!(
        lab.wait(Duration::from_secs(3), || n1
            .log()
            .contains("resumed in MASTER STATE")),
        "the VRRP child was not restarted\n{}",
        n1.log()
    );
    assert!(lab
        .ip_out("n1", &["-4", "addr", "show", "dev", "vrrp.51"])
        .contains(VIP));
    assert_eq!(arp_answer(&lab, VIP, "vip1b"), vec![VMAC.to_string()]);

    // Failover: n2 answers for the VIP with the same virtual MAC; the switch moves it.
    n1.term();
    assert!(n1.wait_exit(Duration::from_secs(5)), "n1 did not stop");
    assert!(
        lab.wait(Duration::from_secs(3), || lab.has_addr("n2", VIP)),
        "n2 did not take over\n{}",
        logs(&[&n1, &n2])
    );
    assert!(
        lab.wait(Duration::from_secs(2), || fdb_port(&lab, VMAC).as_deref()
            == Some("n2")),
        "the bridge still sends {VMAC} to {:?}",
        fdb_port(&lab, VMAC)
    );
    assert_eq!(arp_answer(&lab, VIP, "vip2"), vec![VMAC.to_string()]);
    assert_eq!(
        arp_answer(&lab, "192.0.2.12", "own2"),
        vec![mac_of(&lab, "n2", "eth0")]
    );
    // n1 stopped: its macvlan is gone and the sysctls are back.
    assert!(
        lab.ip_out("n1", &["link", "show", "vrrp.51"]).is_empty(),
        "vrrp.51 left on n1"
    );
    let after: Vec<Option<String>> = BASE_SYSCTLS.iter().map(|k| lab.sysctl("n1", k)).collect();
    assert_eq!(before, after, "sysctls not restored on stop\n{}", n1.log());
    assert!(n1.log().contains("Success removing VMAC interface vrrp.51"));
    n2.term();
    assert!(n2.wait_exit(Duration::from_secs(5)));
    assert!(lab.ip_out("n2", &["link", "show", "vrrp.51"]).is_empty());
}

fn vmac6_config(prio: u8) -> String {
    format!(
        "global_defs {{\n  router_id v6vmac{prio}\n}}\n\
vrrp_instance VI_6 {{\n  interface eth0\n  virtual_router_id 52\n  priority {prio}\n  advert_int 0.1\n  use_vmac\n\
  virtual_ipaddress {{\n    2001:db8::100/64\n  }}\n}}\n"
    )
}

/// The IPv6 link-local of NODE's DEV.
fn link_local(lab: &Lab, node: &str, dev: &str) -> String {
    lab.ip_out(node, &["-6", "-br", "addr", "show", "dev", dev])
        .split_whitespace()
        .find(|w| w.starts_with("fe80:"))
        .unwrap_or("")
        .to_string()
}

#[test]
fn ipv6_vmac_with_debian_keepalived_as_backup() {
    require_root();
    let _g = serial();
    let lab = Lab::learning("krt", 2);
    let mut n1 = start(&lab, "n1", Impl::Rs, &vmac6_config(200), "a");
    let n2 = start(&lab, "n2", Impl::Keepalived, &vmac6_config(100), "a");
    assert!(
        lab.wait(Duration::from_secs(6), || lab
            .has_addr("n1", "2001:db8::100")),
        "n1 never MASTER\n{}",
        logs(&[&n1, &n2])
    );
    // Like keepalived 2.2.7: the VMAC carries the base interface's link-local, so the
    // adverts' source does not change; their Ethernet source is 00:00:5e:00:02:VRID.
    let ll = link_local(&lab, "n1", "eth0");
    assert!(!ll.is_empty());
    assert_eq!(link_local(&lab, "n1", "vrrp.52"), ll);
    assert!(
        !lab.ip_out("n2", &["link", "show", "vrrp.52"]).is_empty(),
        "keepalived names its (only) IPv6 VMAC otherwise: {}",
        lab.ip_out("n2", &["-br", "link"])
    );
    let d = lab.ip_out("n1", &["-d", "link", "show", "vrrp.52"]);
    assert!(
        d.contains("link/ether 00:00:5e:00:02:34") && d.contains("addrgenmode none"),
        "{d}"
    );
    let adverts = vrrp_frames(&lab, "ip6 proto 112", "vrrp6.txt");
    let ll_addr = ll.split('/').next().unwrap_or("");
    assert!(
        adverts.len() >= 3
            && adverts.iter().all(|l| after_time(l)
                .starts_with("00:00:5e:00:02:34 > 33:33:00:00:00:12")
                && l.contains(&format!("{ll_addr} > ff02::12"))
                && l.contains("prio 200")),
        "{adverts:#?}"
    );
    assert!(
        !lab.has_addr("n2", "2001:db8::100"),
        "keepalived took the VIP from a valid master\n{}",
        n2.log()
    );
    n1.term();
    assert!(n1.wait_exit(Duration::from_secs(5)));
    assert!(
        lab.wait(Duration::from_secs(3), || lab
            .has_addr("n2", "2001:db8::100")),
        "keepalived did not take over\n{}",
        n2.log()
    );
    assert!(lab.ip_out("n1", &["link", "show", "vrrp.52"]).is_empty());
}

/// A tcpdump line without its leading timestamp.
fn after_time(l: &str) -> &str {
    l.split_once(' ').map_or("", |(_, r)| r)
}

#[test]
fn dont_release_keeps_vmac_vip_and_virtual_routes_but_not_statics_like_keepalived() {
    require_root();
    let _g = serial();
    let lab = Lab::learning("krt", 1);
    let conf =
        routes_config(1, 200, "MASTER").replace("  version 3\n", "  version 3\n  use_vmac\n");
    let mut seen = Vec::new();
    for which in [Impl::Keepalived, Impl::Rs] {
        let mut p = start_args(&lab, "n1", which, &conf, &format!("V{which:?}"), &["-V"]);
        let ok = lab.wait(Duration::from_secs(8), || {
            kept(&lab, "n1").len() == VIRTUAL.len() + STATIC.len() && lab.has_addr("n1", VIP)
        });
        assert!(ok, "{which:?}: {:#?}\n{}", kept(&lab, "n1"), p.log());
        p.term();
        assert!(
            p.wait_exit(Duration::from_secs(5)),
            "{which:?} did not stop"
        );
        let vmac = lab.ip_out("n1", &["-br", "link", "show", "vrrp.51"]);
        let state = (
            kept(&lab, "n1"),
            lab.ip_out("n1", &["-4", "addr", "show", "dev", "vrrp.51"])
                .contains(VIP),
            !vmac.is_empty(),
            lab.has_addr("n1", "198.51.100.11"),
        );
        seen.push(state);
        // Clean up for the next run: what -V left behind.
        lab.ip_out("n1", &["link", "del", "vrrp.51"]);
        for r in ["203.0.113.0/25", "2001:db8:5::/48"] {
            lab.ip_out("n1", &["route", "del", r]);
        }
        lab.ip_out(
            "n1",
            &[
                "route",
                "del",
                "unreachable",
                "203.0.113.200",
                "table",
                "101",
            ],
        );
        lab.ip_out("n1", &["rule", "del", "priority", "200"]);
        assert!(kept(&lab, "n1").is_empty(), "{:#?}", kept(&lab, "n1"));
    }
    assert_eq!(
        seen[0], seen[1],
        "keepalived (left) and keepalived-rs (right) differ"
    );
    assert_eq!(seen[1], (set(&[VIRTUAL]), true, true, false));
}

#[test]
fn reload_swaps_changed_virtual_and_static_routes_of_a_master() {
    require_root();
    let _g = serial();
    let lab = Lab::learning("krt", 1);
    let conf = routes_config(1, 200, "MASTER");
    let p = start(&lab, "n1", Impl::Rs, &conf, "a");
    assert!(
        lab.wait(Duration::from_secs(5), || kept(&lab, "n1")
            == set(&[VIRTUAL, STATIC])),
        "{:#?}\n{}",
        kept(&lab, "n1"),
        p.log()
    );
    let new_conf = conf
        .replace("dev eth0 metric 5", "dev eth0 metric 7")
        .replace("203.0.113.128/25 via", "198.51.100.64/26 via");
    assert_ne!(new_conf, conf);
    std::fs::write(lab.path("n1-a-conf"), &new_conf).expect("rewrite config");
    let _ = nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(p.child.id() as i32),
        Signal::SIGHUP,
    );
    let swap = |l: &str| {
        l.replace("metric 5", "metric 7")
            .replace("203.0.113.128/25 via", "198.51.100.64/26 via")
    };
    let want: BTreeSet<String> = set(&[VIRTUAL, STATIC]).iter().map(|l| swap(l)).collect();
    assert!(
        lab.wait(Duration::from_secs(5), || kept(&lab, "n1") == want),
        "after reload: {:#?}\nwanted {want:#?}\n{}",
        kept(&lab, "n1"),
        p.log()
    );
    assert!(lab.has_addr("n1", VIP) && lab.has_addr("n1", "198.51.100.11"));

    // Deleted by hand, as keepalived does they come back: virtual and static routes,
    // rules, the static address.
    lab.ip_out("n1", &["route", "del", "203.0.113.0/25"]);
    lab.ip_out("n1", &["route", "del", "198.51.100.64/26"]);
    lab.ip_out("n1", &["rule", "del", "priority", "200"]);
    lab.ip_out("n1", &["rule", "del", "priority", "100"]);
    lab.ip_out("n1", &["addr", "del", "198.51.100.11/32", "dev", "eth0"]);
    assert!(
        lab.wait(Duration::from_secs(2), || kept(&lab, "n1") == want
            && lab.has_addr("n1", "198.51.100.11")),
        "not restored: {:#?}\n{}",
        kept(&lab, "n1"),
        p.log()
    );
    assert!(p.log().contains("was removed; restored"), "{}", p.log());
}

#[test]
fn vmac_xmit_base_sends_adverts_from_the_base_interface() {
    require_root();
    let _g = serial();
    let lab = Lab::learning("krt", 1);
    let conf = vmac_config(200).replace("  use_vmac\n", "  use_vmac\n  vmac_xmit_base\n");
    let p = start(&lab, "n1", Impl::Rs, &conf, "a");
    assert!(
        lab.wait(Duration::from_secs(5), || lab
            .ip_out("n1", &["-4", "addr", "show", "dev", "vrrp.51"])
            .contains(VIP)),
        "the VIP is not on the VMAC\n{}",
        p.log()
    );
    let eth0 = mac_of(&lab, "n1", "eth0");
    let adverts = vrrp_frames(&lab, "ip proto 112", "xmit.txt");
    assert!(
        adverts.len() >= 3
            && adverts
                .iter()
                .all(|l| after_time(l).starts_with(&format!("{eth0} > 01:00:5e:00:00:12"))),
        "{adverts:#?}"
    );
    assert_eq!(arp_answer(&lab, VIP, "xmit"), vec![VMAC.to_string()]);
}

#[test]
fn a_vmac_deleted_by_hand_is_re_created_with_the_vip() {
    require_root();
    let _g = serial();
    let lab = Lab::learning("krt", 1);
    let p = start(&lab, "n1", Impl::Rs, &vmac_config(200), "a");
    let on_vmac = || {
        lab.ip_out("n1", &["-4", "addr", "show", "dev", "vrrp.51"])
            .contains(&format!("inet {VIP}/24"))
    };
    assert!(
        lab.wait(Duration::from_secs(5), on_vmac),
        "never MASTER\n{}",
        p.log()
    );
    lab.ip_out("n1", &["link", "del", "vrrp.51"]);
    assert!(
        lab.wait(Duration::from_secs(3), on_vmac),
        "VMAC not re-created with the VIP\n{}",
        p.log()
    );
    assert_ne!(lab.ip_out("n1", &["-br", "link", "show", "vrrp.51"]), "");
    assert!(p
        .log()
        .contains("VMAC interface vrrp.51 was deleted; re-creating it"));
    // It stayed MASTER: the only BACKUP was the one at start.
    assert_eq!(
        p.log().matches("(VI_1) Entering BACKUP STATE").count(),
        1,
        "{}",
        p.log()
    );
    assert_eq!(arp_answer(&lab, VIP, "recreated"), vec![VMAC.to_string()]);
}

/// Multipath, `src`/`mtu`/`advmss`/`protocol`, scopes, typed routes in both families, a
/// default route in another table; rules with `to`, `fwmark/mask`, `iif`, `not`, actions,
/// `goto`, IPv6.
const RICH: &str = "vrrp_instance VI_1 {
  state MASTER
  interface eth0
  virtual_router_id 51
  priority 200
  advert_int 0.1
  version 3
  virtual_ipaddress {
    192.0.2.100/24
  }
  virtual_routes {
    203.0.113.64/26 nexthop via 192.0.2.1 weight 1 nexthop via 192.0.2.2 dev eth0 weight 3
    198.51.100.0/25 via 192.0.2.1 src 192.0.2.100 mtu 1400 advmss 1360 protocol static
    198.51.100.128/25 dev eth0 scope link table 102
    prohibit 203.0.113.9/32 metric 10
    throw 203.0.113.10/32 table 103
    2001:db8:7::/48 via 2001:db8::1 metric 100
    blackhole 2001:db8:8::/48
    default via 192.0.2.254 table 104
  }
  virtual_rules {
    from 192.0.2.0/24 to 203.0.113.0/24 table 102 priority 300
    fwmark 0x10/0xff lookup 103 priority 301
    iif eth0 table 104 priority 302
    not from 198.51.100.0/24 prohibit priority 303
    from 2001:db8::/64 table 102 priority 304
    from all goto 32766 priority 305
  }
}
";

/// Every route (one line each, `ip -o`) and rule of NODE, both families.
fn snapshot(lab: &Lab, node: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for args in [
        &["-o", "-4", "route", "show", "table", "all"][..],
        &["-o", "-6", "route", "show", "table", "all"],
        &["-4", "rule"],
        &["-6", "rule"],
    ] {
        out.extend(lab.ip_out(node, args).lines().map(|l| l.trim().to_string()));
    }
    out
}

#[test]
fn rich_routes_and_rules_match_debian_keepalived() {
    require_root();
    let _g = serial();
    let lab = Lab::learning("krt", 1);
    let base = snapshot(&lab, "n1");
    let mut seen = Vec::new();
    for which in [Impl::Keepalived, Impl::Rs] {
        let mut p = start(&lab, "n1", which, RICH, &format!("rich{which:?}"));
        let ok = lab.wait(Duration::from_secs(8), || {
            lab.has_addr("n1", VIP) && lab.ip_out("n1", &["rule"]).contains("305:")
        });
        assert!(ok, "{which:?} never installed\n{}", p.log());
        std::thread::sleep(Duration::from_millis(300));
        let added: BTreeSet<String> = snapshot(&lab, "n1").difference(&base).cloned().collect();
        p.term();
        assert!(
            p.wait_exit(Duration::from_secs(5)),
            "{which:?} did not stop"
        );
        assert_eq!(
            snapshot(&lab, "n1"),
            base,
            "{which:?} left something behind"
        );
        seen.push(added);
    }
    assert_eq!(
        seen[0], seen[1],
        "keepalived (left) and keepalived-rs (right) differ"
    );
    let ours = seen[1].iter().cloned().collect::<Vec<_>>().join("\n");
    for want in [
        "nexthop via 192.0.2.2 dev eth0 weight 3",
        // keepalived 2.2.7 ignores `protocol static`
        "198.51.100.0/25 via 192.0.2.1 dev eth0 proto keepalived src 192.0.2.100",
        "mtu 1400 advmss 1360",
        "301:\tfrom all fwmark 0x10/0xff lookup 103 proto keepalived",
        "303:\tnot from 198.51.100.0/24 prohibit proto keepalived",
    ] {
        assert!(ours.contains(want), "{want:?} missing from\n{ours}");
    }
}

#[test]
fn ipv4_and_ipv6_vmacs_of_one_vrid_are_named_as_keepalived_names_them() {
    require_root();
    let _g = serial();
    let lab = Lab::learning("krt", 1);
    let conf = format!(
        "vrrp_instance VI_4 {{\n  interface eth0\n  virtual_router_id 51\n  priority 200\n  advert_int 0.1\n  version 3\n  use_vmac\n  virtual_ipaddress {{\n    {VIP}/24\n  }}\n}}\n\
vrrp_instance VI_6 {{\n  interface eth0\n  virtual_router_id 51\n  priority 200\n  advert_int 0.1\n  use_vmac\n  virtual_ipaddress {{\n    2001:db8::100/64\n  }}\n}}\n"
    );
    let mut seen = Vec::new();
    for which in [Impl::Keepalived, Impl::Rs] {
        let mut p = start(&lab, "n1", which, &conf, &format!("dual{which:?}"));
        let ok = lab.wait(Duration::from_secs(8), || {
            lab.has_addr("n1", VIP) && lab.has_addr("n1", "2001:db8::100")
        });
        assert!(ok, "{which:?} never MASTER of both\n{}", p.log());
        let links: BTreeSet<(String, String)> = lab
            .ip_out("n1", &["-br", "link"])
            .lines()
            .filter_map(|l| {
                let mut w = l.split_whitespace();
                let name = w.next()?.split('@').next()?.to_string();
                let mac = w.nth(1)?.to_string();
                name.starts_with("vrrp").then_some((name, mac))
            })
            .collect();
        let v4 = lab.ip_out("n1", &["-4", "-br", "addr", "show", "dev", "vrrp.51"]);
        let v6 = lab.ip_out("n1", &["-6", "-br", "addr", "show", "dev", "vrrp6.51"]);
        seen.push((links, v4.contains(VIP), v6.contains("2001:db8::100")));
        p.term();
        assert!(
            p.wait_exit(Duration::from_secs(5)),
            "{which:?} did not stop"
        );
        assert!(lab
            .ip_out("n1", &["-br", "link"])
            .lines()
            .all(|l| !l.starts_with("vrrp")));
    }
    assert_eq!(
        seen[0], seen[1],
        "keepalived (left) and keepalived-rs (right) differ"
    );
    assert_eq!(seen[1].0.len(), 2, "{:?}", seen[1]);
    assert!(seen[1].1 && seen[1].2, "{:?}", seen[1]);
}
