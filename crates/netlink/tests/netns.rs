//! Root-only tests of keepalived-netlink in network namespaces the test creates (and
//! deletes in Drop): add/delete IPv4 and IPv6 VIPs checked with `ip -j addr`, and the
//! monitor seeing a link go down and an address deleted by hand.

use std::net::IpAddr;
use std::process::Command;
use std::time::{Duration, Instant};

use keepalived_netlink::{Change, Event, IfAddr, Monitor, Rtnl, IFA_F_NODAD};

struct Netns(String);

impl Netns {
    fn new(tag: &str) -> Netns {
        assert!(
            nix::unistd::geteuid().is_root(),
            "this test needs root (network namespaces); run it as root"
        );
        let name = format!("knl-{tag}-{}", std::process::id());
        let _ = Command::new("ip").args(["netns", "del", &name]).status();
        sh(&["ip", "netns", "add", &name]);
        let ns = Netns(name);
        ns.ip(&["link", "add", "d0", "type", "veth", "peer", "name", "d1"]);
        ns.ip(&["link", "set", "d1", "up"]);
        ns.ip(&["link", "set", "d0", "up"]);
        ns
    }
    fn ip(&self, args: &[&str]) -> String {
        let mut v = vec!["ip", "-n", &self.0];
        v.extend_from_slice(args);
        sh(&v)
    }
    /// Runs `f` on a thread that has entered this namespace.
    fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> T {
        let path = format!("/run/netns/{}", self.0);
        std::thread::spawn(move || {
            let fd = std::fs::File::open(&path).expect("open netns");
            nix::sched::setns(&fd, nix::sched::CloneFlags::CLONE_NEWNET).expect("setns");
            f()
        })
        .join()
        .expect("namespace thread panicked")
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip").args(["netns", "del", &self.0]).status();
    }
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

/// (local, prefixlen, label, flags) of each address on d0, from `ip -j addr`.
fn addrs(ns: &Netns) -> Vec<serde_json::Value> {
    let j: serde_json::Value =
        serde_json::from_str(&ns.ip(&["-j", "addr", "show", "dev", "d0"])).unwrap();
    j[0]["addr_info"].as_array().cloned().unwrap_or_default()
}

fn find<'a>(v: &'a [serde_json::Value], local: &str) -> Option<&'a serde_json::Value> {
    v.iter().find(|a| a["local"] == local)
}

#[test]
fn links_and_vips_add_delete_idempotent() {
    let ns = Netns::new("vip");
    let (links, ifindex) = ns.run(|| {
        let mut r = Rtnl::open().unwrap();
        let links = r.links().unwrap();
        let d0 = r.link_by_name("d0").unwrap().expect("d0 listed");
        (links, d0.ifindex)
    });
    let d0 = links.iter().find(|l| l.name == "d0").unwrap();
    assert!(d0.is_up(), "d0 should be up: {d0:?}");
    assert_eq!(d0.mac.len(), 6);
    assert!(links.iter().any(|l| l.name == "lo"));

    let mut v4 = IfAddr::new(ifindex, "192.0.2.10".parse().unwrap(), 24);
    v4.label = Some("d0:vip".into());
    v4.broadcast = Some("192.0.2.255".parse().unwrap());
    let v4b = IfAddr::new(ifindex, "198.51.100.1".parse().unwrap(), 32);
    let mut v6 = IfAddr::new(ifindex, "2001:db8::10".parse().unwrap(), 64);
    v6.preferred_lft = Some(0);
    assert_eq!(v6.flags & IFA_F_NODAD, IFA_F_NODAD);

    let (s1, s2, s3, s4, listed) = {
        let (v4, v4b, v6) = (v4.clone(), v4b.clone(), v6.clone());
        ns.run(move || {
            let mut r = Rtnl::open().unwrap();
            let s1 = r.add_address(&v4).unwrap();
            let s2 = r.add_address(&v4).unwrap();
            r.add_address(&v4b).unwrap();
            let s3 = r.add_address(&v6).unwrap();
            let s4 = r.add_address(&v6).unwrap();
            (s1, s2, s3, s4, r.addresses().unwrap())
        })
    };
    assert_eq!(
        (s1, s2, s3, s4),
        (
            Change::Done,
            Change::AlreadySo,
            Change::Done,
            Change::AlreadySo
        )
    );
    let a = addrs(&ns);
    let a4 = find(&a, "192.0.2.10").expect("v4 VIP present");
    assert_eq!(a4["prefixlen"], 24);
    assert_eq!(a4["label"], "d0:vip");
    assert_eq!(a4["broadcast"], "192.0.2.255");
    assert!(find(&a, "198.51.100.1").is_some());
    let a6 = find(&a, "2001:db8::10").expect("v6 VIP present");
    assert_eq!(a6["prefixlen"], 64);
    assert_eq!(a6["nodad"], true, "{a6}");
    assert_eq!(a6["preferred_life_time"], 0, "{a6}");
    // our own listing agrees
    let l6 = listed
        .iter()
        .find(|x| x.addr == "2001:db8::10".parse::<IpAddr>().unwrap())
        .unwrap();
    assert_eq!(l6.ifindex, ifindex);
    assert_ne!(l6.flags & IFA_F_NODAD, 0);
    let l4 = listed
        .iter()
        .find(|x| x.addr == "192.0.2.10".parse::<IpAddr>().unwrap())
        .unwrap();
    assert_eq!(l4.label.as_deref(), Some("d0:vip"));

    let (d1, d2, d3, d4) = ns.run(move || {
        let mut r = Rtnl::open().unwrap();
        let d1 = r.del_address(&v4).unwrap();
        let d2 = r.del_address(&v4).unwrap();
        let d3 = r.del_address(&v6).unwrap();
        let d4 = r.del_address(&v6).unwrap();
        (d1, d2, d3, d4)
    });
    assert_eq!(
        (d1, d2, d3, d4),
        (
            Change::Done,
            Change::AlreadySo,
            Change::Done,
            Change::AlreadySo
        )
    );
    let a = addrs(&ns);
    assert!(find(&a, "192.0.2.10").is_none());
    assert!(find(&a, "2001:db8::10").is_none());
    assert!(
        find(&a, "198.51.100.1").is_some(),
        "other address untouched"
    );
}

#[test]
fn peer_scope_and_proto_are_sent() {
    let ns = Netns::new("peer");
    let ifindex = ns.run(|| {
        Rtnl::open()
            .unwrap()
            .link_by_name("d0")
            .unwrap()
            .unwrap()
            .ifindex
    });
    let mut p = IfAddr::new(ifindex, "192.0.2.30".parse().unwrap(), 32);
    p.peer = Some("198.51.100.30".parse().unwrap());
    p.scope = libc::RT_SCOPE_LINK;
    p.proto = Some(18);
    let listed = {
        let p = p.clone();
        ns.run(move || {
            let mut r = Rtnl::open().unwrap();
            assert_eq!(r.add_address(&p).unwrap(), Change::Done);
            r.addresses().unwrap()
        })
    };
    let a = addrs(&ns);
    let j = find(&a, "192.0.2.30").expect("peer address present");
    assert_eq!(j["address"], "198.51.100.30", "{j}");
    assert_eq!(j["scope"], "link", "{j}");
    let ours = listed
        .iter()
        .find(|x| x.addr == "192.0.2.30".parse::<IpAddr>().unwrap())
        .unwrap();
    assert_eq!(ours.peer, Some("198.51.100.30".parse().unwrap()));
    assert_eq!(ours.scope, libc::RT_SCOPE_LINK);
    assert_eq!(ours.proto, Some(18), "IFA_PROTO round trip: {ours:?}");
    let d = ns.run(move || Rtnl::open().unwrap().del_address(&p).unwrap());
    assert_eq!(d, Change::Done);
    assert!(find(&addrs(&ns), "192.0.2.30").is_none());
}

#[test]
fn kernel_error_names_operation() {
    let ns = Netns::new("err");
    let err = ns.run(|| {
        let mut r = Rtnl::open().unwrap();
        r.add_address(&IfAddr::new(999_999, "192.0.2.1".parse().unwrap(), 24))
            .unwrap_err()
            .to_string()
    });
    assert!(
        err.contains("add address 192.0.2.1/24 on ifindex 999999"),
        "{err}"
    );
}

#[test]
fn monitor_sees_link_down_and_address_deleted() {
    let ns = Netns::new("mon");
    ns.ip(&["addr", "add", "192.0.2.20/24", "dev", "d0"]);
    let mon = ns.run(|| Monitor::open().unwrap());
    let mut mon = mon;
    assert!(mon.read_events().unwrap().is_empty(), "nothing pending yet");
    mon.set_recv_buffer_size(1 << 20).unwrap();
    // carrier loss (peer down): d0 stays UP but stops RUNNING
    ns.ip(&["link", "set", "d1", "down"]);
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut seen = Vec::new();
    loop {
        seen.extend(mon.read_events().unwrap());
        if seen
            .iter()
            .any(|e| matches!(e, Event::Link(l) if l.name == "d0" && l.is_up() && !l.is_running()))
        {
            break;
        }
        assert!(Instant::now() < deadline, "no carrier-loss event: {seen:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
    ns.ip(&["addr", "add", "2001:db8::20/64", "dev", "d0", "nodad"]);
    ns.ip(&["addr", "del", "2001:db8::20/64", "dev", "d0"]);
    ns.ip(&["link", "set", "d0", "down"]);
    ns.ip(&["addr", "add", "192.0.2.21/24", "dev", "d0"]);
    ns.ip(&["addr", "del", "192.0.2.20/24", "dev", "d0"]);
    let mut events = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        events.extend(mon.read_events().unwrap());
        let down = events
            .iter()
            .any(|e| matches!(e, Event::Link(l) if l.name == "d0" && !l.is_up()));
        let del = events.iter().any(|e| {
            matches!(e, Event::AddrRemoved(a) if a.addr == "192.0.2.20".parse::<IpAddr>().unwrap())
        });
        let v6 = "2001:db8::20".parse::<IpAddr>().unwrap();
        let v6_added = events
            .iter()
            .any(|e| matches!(e, Event::AddrAdded(a) if a.addr == v6 && a.prefix_len == 64));
        let v6_removed = events
            .iter()
            .any(|e| matches!(e, Event::AddrRemoved(a) if a.addr == v6));
        if down && del && v6_added && v6_removed {
            assert!(events.iter().any(|e| {
                matches!(e, Event::AddrAdded(a) if a.addr == "192.0.2.21".parse::<IpAddr>().unwrap() && a.prefix_len == 24)
            }));
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("monitor did not report link down, IPv4 removal and IPv6 add/remove: {events:?}");
}

#[test]
fn monitor_is_mio_registrable() {
    use mio::unix::SourceFd;
    use mio::{Events, Interest, Poll, Token};
    use std::os::fd::AsRawFd;
    let ns = Netns::new("mio");
    let mut mon = ns.run(|| Monitor::open().unwrap());
    let mut poll = Poll::new().unwrap();
    let fd = mon.as_raw_fd();
    poll.registry()
        .register(&mut SourceFd(&fd), Token(1), Interest::READABLE)
        .unwrap();
    let mut events = Events::with_capacity(4);
    // The namespace setup (link up, IPv6 link-locals) still produces events: drain them.
    std::thread::sleep(Duration::from_millis(100));
    let _ = mon.read_events().unwrap();
    ns.ip(&["addr", "add", "192.0.2.40/24", "dev", "d0"]);
    poll.poll(&mut events, Some(Duration::from_secs(3)))
        .unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.token() == Token(1) && e.is_readable()),
        "mio did not wake"
    );
    let evs = mon.read_events().unwrap();
    assert!(
        evs.iter().any(|e| matches!(e, Event::AddrAdded(a) if a.addr == "192.0.2.40".parse::<IpAddr>().unwrap())),
        "{evs:?}"
    );
}

#[test]
fn routes_rules_and_macvlan_round_trip_through_the_kernel() {
    use keepalived_netlink::{
        rtn, MacvlanSpec, NextHopSpec, RouteSpec, RuleSpec, MACVLAN_MODE_PRIVATE,
    };
    let ns = Netns::new("rt");
    ns.ip(&["addr", "add", "192.0.2.11/24", "dev", "d0"]);
    ns.ip(&["addr", "add", "2001:db8::11/64", "dev", "d0", "nodad"]);
    let ifindex = ns.run(|| {
        Rtnl::open()
            .unwrap()
            .link_by_name("d0")
            .unwrap()
            .unwrap()
            .ifindex
    });
    let mut via = RouteSpec::new("198.51.100.0".parse().unwrap(), 24);
    via.gateway = Some("192.0.2.1".parse().unwrap());
    via.oif = ifindex;
    via.metric = Some(5);
    let mut bh = RouteSpec::new("203.0.113.0".parse().unwrap(), 24);
    bh.kind = rtn::BLACKHOLE;
    bh.table = 100;
    let mut mp = RouteSpec::new("203.0.113.128".parse().unwrap(), 25);
    mp.nexthops = [1u16, 2]
        .iter()
        .map(|h| NextHopSpec {
            gateway: Some(format!("192.0.2.{h}").parse().unwrap()),
            ifindex,
            weight: *h,
            onlink: false,
        })
        .collect();
    let mut v6 = RouteSpec::new("2001:db8:1::".parse().unwrap(), 48);
    v6.gateway = Some("2001:db8::1".parse().unwrap());
    v6.oif = ifindex;
    let mut rule = RuleSpec::new(libc::AF_INET as u8);
    rule.src = Some(("192.0.2.99".parse().unwrap(), 32));
    rule.table = 100;
    rule.priority = Some(100);
    rule.fwmark = Some((7, None));
    let routes = vec![via, bh, mp, v6];
    let (adds, again, rule_adds) = {
        let (routes, rule) = (routes.clone(), rule.clone());
        ns.run(move || {
            let mut r = Rtnl::open().unwrap();
            let adds: Vec<Change> = routes.iter().map(|s| r.add_route(s).unwrap()).collect();
            let again: Vec<Change> = routes.iter().map(|s| r.add_route(s).unwrap()).collect();
            let rule_adds = (r.add_rule(&rule).unwrap(), r.add_rule(&rule).unwrap());
            (adds, again, rule_adds)
        })
    };
    assert!(adds.iter().all(|c| *c == Change::Done), "{adds:?}");
    assert!(again.iter().all(|c| *c == Change::AlreadySo), "{again:?}");
    assert_eq!(rule_adds, (Change::Done, Change::AlreadySo));
    let shown = ns.ip(&["route", "show", "table", "all"]);
    assert!(
        shown.contains("198.51.100.0/24 via 192.0.2.1 dev d0 proto keepalived metric 5"),
        "{shown}"
    );
    assert!(
        shown.contains("blackhole 203.0.113.0/24 table 100 proto keepalived"),
        "{shown}"
    );
    assert!(
        shown.contains("nexthop via 192.0.2.2 dev d0 weight 2"),
        "{shown}"
    );
    assert!(
        shown.contains("2001:db8:1::/48 via 2001:db8::1 dev d0 proto keepalived"),
        "{shown}"
    );
    let rules = ns.ip(&["rule"]);
    assert!(
        rules.contains("100:\tfrom 192.0.2.99 fwmark 0x7 lookup 100 proto keepalived"),
        "{rules}"
    );

    let dels = {
        let (routes, rule) = (routes.clone(), rule.clone());
        ns.run(move || {
            let mut r = Rtnl::open().unwrap();
            let mut v: Vec<Change> = routes.iter().map(|s| r.del_route(s).unwrap()).collect();
            v.extend(routes.iter().map(|s| r.del_route(s).unwrap()));
            v.push(r.del_rule(&rule).unwrap());
            v.push(r.del_rule(&rule).unwrap());
            v
        })
    };
    assert_eq!(&dels[..4], &[Change::Done; 4]);
    assert_eq!(&dels[4..8], &[Change::AlreadySo; 4]);
    assert_eq!(&dels[8..], &[Change::Done, Change::AlreadySo]);
    let shown = ns.ip(&["route", "show", "table", "all"]);
    assert!(!shown.contains("keepalived"), "{shown}");
    assert!(!ns.ip(&["rule"]).contains("keepalived"));

    let spec = MacvlanSpec {
        name: "vrrp.51".into(),
        base_ifindex: ifindex,
        mac: [0, 0, 0x5e, 0, 1, 51],
        mode: MACVLAN_MODE_PRIVATE,
    };
    let (c1, c2, vm) = ns.run(move || {
        let mut r = Rtnl::open().unwrap();
        let c1 = r.add_macvlan(&spec).unwrap();
        let c2 = r.add_macvlan(&spec).unwrap();
        let vm = r.link_by_name("vrrp.51").unwrap().unwrap();
        r.set_link_up(vm.ifindex, true).unwrap();
        (c1, c2, vm)
    });
    assert_eq!((c1, c2), (Change::Done, Change::AlreadySo));
    assert_eq!(vm.mac, vec![0, 0, 0x5e, 0, 1, 51]);
    let d = ns.ip(&["-d", "link", "show", "vrrp.51"]);
    assert!(
        d.contains("macvlan mode private") && d.contains(",UP"),
        "{d}"
    );
    let gone = ns.run(move || {
        let mut r = Rtnl::open().unwrap();
        (
            r.del_link(vm.ifindex).unwrap(),
            r.del_link(vm.ifindex).unwrap(),
        )
    });
    assert_eq!(gone, (Change::Done, Change::AlreadySo));
}
