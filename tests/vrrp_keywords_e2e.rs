//! VRRP instance keywords end to end (docs/keywords.md; crates/vrrp/tests/keywords.rs has
//! the sans-IO side): each test runs keepalived-rs and Debian's keepalived 2.2.7 on the
//! same config in the namespace lab and asserts the same behaviour on the wire and in the
//! kernel. Needs root; fails (never skips) without it.
//! Run: `cargo test -p keepalived-rs-tests --test vrrp_keywords_e2e`.
//!
//! Helpers: tests/vrrp_lab. Labs are torn down in Drop, daemons SIGKILLed in Drop.

mod vrrp_lab;

use std::time::Duration;

use keepalived_rs_tests::require_root;
use vrrp_lab::{adverts, config_v3, observe, serial, start, Impl, Lab, Netns, VIP};

/// A unicast instance with `unicast_fault_no_peer` and no peers stays in FAULT: no VIP,
/// no advert, keepalived's log line; both implementations alike. Control: without the
/// keyword the same instance falls back to multicast and becomes master.
#[test]
fn unicast_fault_no_peer_goes_to_fault_instead_of_multicast() {
    require_root();
    let _g = serial();
    let lab = Lab::up(2);
    let obs = observe(&lab);
    let vip = format!("{VIP}/24");
    let fault = |me: &str| format!("    unicast_src_ip {me}\n    unicast_fault_no_peer\n");
    let n1 = start(
        &lab,
        "n1",
        Impl::Rs,
        &config_v3(100, &vip, &fault("192.0.2.11")),
        "a",
    );
    let n2 = start(
        &lab,
        "n2",
        Impl::Keepalived,
        &config_v3(100, &vip, &fault("192.0.2.12")),
        "a",
    );
    // 3 × 100 ms + skew would have made either master long before.
    std::thread::sleep(Duration::from_millis(1500));
    for (node, p) in [("n1", &n1), ("n2", &n2)] {
        let log = p.log();
        assert!(!lab.holds(node, VIP), "{node} took the VIP\n{log}");
        assert!(
            log.contains("(VI_1) Cannot use unicast without any peers - going to fault state"),
            "{node}: no fault logged\n{log}"
        );
        assert!(!log.contains("Entering MASTER STATE"), "{node}\n{log}");
    }
    let seen = adverts(&obs);
    assert!(seen.is_empty(), "adverts from FAULT instances: {seen:?}");
    drop(n1);
    drop(n2);

    // Control: the deprecated fallback to multicast.
    let fallback = config_v3(100, &vip, "    unicast_src_ip 192.0.2.11\n");
    let n1 = start(&lab, "n1", Impl::Rs, &fallback, "b");
    assert!(
        lab.wait_holder("n1", Duration::from_secs(5)).is_some(),
        "control: the multicast fallback never became master\n{}",
        n1.log()
    );
    std::thread::sleep(vrrp_lab::CAPTURE_LAG);
    assert!(
        adverts(&obs).iter().any(|s| s.src == "192.0.2.11"),
        "control: no multicast advert seen"
    );
}

/// `vrrp_mcast_group4 224.0.0.19` on both nodes: keepalived (priority 200) and
/// keepalived-rs (100) advertise to 224.0.0.19 and hear each other there: the rs node stays
/// BACKUP while keepalived is master, and takes over when it is killed.
#[test]
fn vrrp_mcast_group4_moves_adverts_to_another_group() {
    require_root();
    let _g = serial();
    let lab = Lab::up(2);
    let obs = observe(&lab);
    let vip = format!("{VIP}/24");
    let conf = |prio| {
        format!(
            "global_defs {{\n    vrrp_mcast_group4 224.0.0.19\n}}\n{}",
            config_v3(prio, &vip, "")
        )
    };
    let mut n1 = start(&lab, "n1", Impl::Keepalived, &conf(200), "a");
    assert!(
        lab.wait_holder("n1", Duration::from_secs(5)).is_some(),
        "keepalived never master\n{}",
        n1.log()
    );
    let n2 = start(&lab, "n2", Impl::Rs, &conf(100), "a");
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        lab.holds("n1", VIP) && !lab.holds("n2", VIP),
        "keepalived-rs did not follow keepalived's adverts on 224.0.0.19\n{}",
        n2.log()
    );
    n1.kill(nix::sys::signal::Signal::SIGKILL);
    // A killed keepalived leaves its VIP behind: wait for n2 to add it too.
    assert!(
        lab.wait_vip("n2", Duration::from_secs(5)).is_some(),
        "keepalived-rs never took over\n{}",
        n2.log()
    );
    std::thread::sleep(vrrp_lab::CAPTURE_LAG);
    let cap = obs.log();
    for src in ["192.0.2.11", "192.0.2.12"] {
        assert!(
            cap.contains(&format!("{src} > 224.0.0.19")),
            "no advert from {src} to 224.0.0.19\n{cap}"
        );
        assert!(
            !cap.contains(&format!("{src} > 224.0.0.18")),
            "{src} still advertised to 224.0.0.18\n{cap}"
        );
    }
}

/// Two address owners (priority 255): keepalived on n2, keepalived-rs on n1. With
/// `owner_ignore_adverts` n1 drops n2's adverts (logged once) and stays MASTER at 255
/// while keepalived lowers itself to 254 and yields. Control without it: n1 lowers itself
/// to 254 and yields to n2, which ends as the only master. (keepalived 2.2.7 does not know
/// the keyword, so it runs on n1 only.)
#[test]
fn owner_ignore_adverts_keeps_the_owner_master() {
    require_root();
    let _g = serial();
    for ignore in [true, false] {
        let lab = Lab::up(2);
        let obs = observe(&lab);
        let vip = format!("{VIP}/24");
        let extra = if ignore {
            "    owner_ignore_adverts\n"
        } else {
            ""
        };
        let n1 = start(&lab, "n1", Impl::Rs, &config_v3(255, &vip, extra), "a");
        assert!(
            lab.wait_holder("n1", Duration::from_secs(5)).is_some(),
            "n1 never master\n{}",
            n1.log()
        );
        let n2 = start(&lab, "n2", Impl::Keepalived, &config_v3(255, &vip, ""), "a");
        std::thread::sleep(Duration::from_millis(2000));
        let log = n1.log();
        let seen = adverts(&obs);
        if ignore {
            assert_eq!(
                lab.holders(VIP),
                ["n1"],
                "n1 lost the VIP\n{log}\n--- n2\n{}",
                n2.log()
            );
            assert!(
                log.contains(
                    "(VI_1) Dropping packet(s) from 192.0.2.12 since we are address owner"
                ),
                "{log}"
            );
            assert!(
                seen.iter()
                    .filter(|s| s.src == "192.0.2.11")
                    .all(|s| s.prio == 255),
                "n1 lowered its priority: {seen:?}"
            );
        } else {
            assert!(
                lab.wait_holder("n2", Duration::from_secs(3)).is_some(),
                "control: n2 should end as the only master\n{log}\n--- n2\n{}",
                n2.log()
            );
            assert!(
                !log.contains("Dropping packet(s)"),
                "control: n1 dropped adverts\n{log}"
            );
        }
    }
}

/// `log_unknown_vrids`: n1 (VRID 51) hears n2's adverts for VRID 52 and logs keepalived's
/// line for them; keepalived-rs and keepalived alike. Control: keepalived-rs without the
/// keyword does not log that line.
#[test]
fn log_unknown_vrids_logs_adverts_for_other_vrids() {
    require_root();
    let _g = serial();
    let lab = Lab::up(2);
    let vip = format!("{VIP}/24");
    let other = config_v3(100, "192.0.2.101/24", "").replace("router_id 51", "router_id 52");
    let _n2 = start(&lab, "n2", Impl::Rs, &other, "a");
    let line = "Unknown VRID(52) received on interface(eth0). ignoring...";
    for (which, flag) in [
        (Impl::Rs, true),
        (Impl::Keepalived, true),
        (Impl::Rs, false),
    ] {
        let global = if flag {
            "global_defs {\n    log_unknown_vrids\n}\n"
        } else {
            ""
        };
        let conf = format!("{global}{}", config_v3(100, &vip, ""));
        let n1 = start(&lab, "n1", which, &conf, &format!("{which:?}{flag}"));
        std::thread::sleep(Duration::from_millis(1500));
        let log = n1.log();
        assert_eq!(
            log.matches(line).count() >= 5,
            flag,
            "{which:?} log_unknown_vrids={flag}: 100 ms adverts for VRID 52 for 1.5 s\n{log}"
        );
    }
}

/// `kernel_rx_buf_size 100000`: the VRRP receive socket gets SO_RCVBUF 100000, as
/// keepalived sets it (seen with strace: `ss` shows no buffer sizes for raw IP sockets).
/// Control: without it keepalived-rs never sets 100000.
#[test]
fn kernel_rx_buf_size_sets_the_socket_receive_buffer() {
    require_root();
    let _g = serial();
    let lab = Lab::up(1);
    let vip = format!("{VIP}/24");
    for (which, set) in [
        (Impl::Rs, true),
        (Impl::Keepalived, true),
        (Impl::Rs, false),
    ] {
        let extra = if set {
            "    kernel_rx_buf_size 100000\n"
        } else {
            ""
        };
        let tag = format!("{which:?}{set}");
        let trace = lab.dir().join(format!("strace-{tag}"));
        let trace_s = trace.to_string_lossy().into_owned();
        let strace = ["strace", "-f", "-e", "trace=setsockopt", "-o", &trace_s];
        let n1 = vrrp_lab::start_wrapped(
            &lab,
            "n1",
            which,
            &config_v3(100, &vip, extra),
            &tag,
            &[],
            &strace,
        );
        assert!(
            lab.wait_holder("n1", Duration::from_secs(10)).is_some(),
            "{tag}: never master\n{}",
            n1.log()
        );
        let calls = std::fs::read_to_string(&trace).unwrap_or_default();
        assert_eq!(
            calls.contains("SO_RCVBUF, [100000]"),
            set,
            "{tag}\n{calls}\n{}",
            n1.log()
        );
        drop(n1);
        lab.clear_stale_vip("n1", &vip);
    }
}

/// `promote_secondaries`: net.ipv4.conf.eth0.promote_secondaries is 1 while the daemon
/// runs (from its start, in BACKUP too) and back to its original 0 once it stopped, for
/// keepalived-rs as for keepalived. Control: without the keyword keepalived-rs leaves it 0.
#[test]
fn promote_secondaries_sets_the_sysctl_while_running() {
    require_root();
    let _g = serial();
    let lab = Lab::up(1);
    let vip = format!("{VIP}/24");
    let key = "net/ipv4/conf/eth0/promote_secondaries";
    for (which, set) in [
        (Impl::Rs, true),
        (Impl::Keepalived, true),
        (Impl::Rs, false),
    ] {
        lab.exec(
            "n1",
            &["sysctl", "-qw", "net.ipv4.conf.eth0.promote_secondaries=0"],
        );
        assert_eq!(lab.sysctl("n1", key).as_deref(), Some("0"));
        let extra = if set { "    promote_secondaries\n" } else { "" };
        let tag = format!("{which:?}{set}");
        let mut n1 = start(&lab, "n1", which, &config_v3(100, &vip, extra), &tag);
        let on = lab.wait(Duration::from_secs(3), || {
            lab.sysctl("n1", key).as_deref() == Some("1")
        });
        assert_eq!(on, set, "{tag}: while running\n{}", n1.log());
        assert!(
            n1.term_and_wait(Duration::from_secs(10)),
            "{tag}: did not stop\n{}",
            n1.log()
        );
        assert_eq!(
            lab.sysctl("n1", key).as_deref(),
            Some("0"),
            "{tag}: not restored\n{}",
            n1.log()
        );
    }
}

/// `old_unicast_checksum`: a node sending pre-1.3.6 unicast v3 checksums (pseudo-header
/// over 224.0.0.18) and a node left to auto-detect them, both ways round between
/// keepalived and keepalived-rs: the detecting node logs keepalived's line, then follows
/// the master's adverts and stays BACKUP. Control: with `old_unicast_checksum never`
/// keepalived-rs refuses them (checksum errors) and becomes master too.
#[test]
fn old_unicast_checksum_is_sent_and_detected() {
    require_root();
    let _g = serial();
    let vip = format!("{VIP}/24");
    let switched = "(VI_1) Setting unicast VRRPv3 checksum to old version";
    let cases = [
        (Impl::Rs, Impl::Keepalived, ""),
        (Impl::Keepalived, Impl::Rs, ""),
        (
            Impl::Keepalived,
            Impl::Rs,
            "    old_unicast_checksum never\n",
        ),
    ];
    for (old, detect, n2_extra) in cases {
        let lab = Lab::up(2);
        let n1_extra = format!(
            "{}    old_unicast_checksum\n",
            vrrp_lab::uni("192.0.2.11", "192.0.2.12")
        );
        let n1 = start(&lab, "n1", old, &config_v3(200, &vip, &n1_extra), "a");
        assert!(
            lab.wait_holder("n1", Duration::from_secs(5)).is_some(),
            "{old:?} never master\n{}",
            n1.log()
        );
        let n2_conf = format!("{}{n2_extra}", vrrp_lab::uni("192.0.2.12", "192.0.2.11"));
        let n2 = start(&lab, "n2", detect, &config_v3(100, &vip, &n2_conf), "a");
        std::thread::sleep(Duration::from_millis(1500));
        let log = n2.log();
        let case = format!("old {old:?} -> {detect:?} [{}]", n2_extra.trim());
        if n2_extra.is_empty() {
            assert!(log.contains(switched), "{case}: no switch logged\n{log}");
            assert_eq!(
                lab.holders(VIP),
                ["n1"],
                "{case}: the detecting node did not follow\n{log}"
            );
        } else {
            assert!(!log.contains(switched), "{case}\n{log}");
            assert!(
                lab.holds("n2", VIP),
                "{case}: control should refuse the adverts and become master\n{log}"
            );
        }
    }
}

/// `vrrp_startup_delay 1`: a lone node (100 ms adverts, Master_Down_Interval about
/// 0.36 s) takes the VIP only after the delay plus the down interval (keepalived enters
/// BACKUP at once and times out late), for keepalived-rs as for keepalived. Control:
/// without it keepalived-rs takes it within the down interval.
#[test]
fn vrrp_startup_delay_postpones_the_first_timeout() {
    require_root();
    let _g = serial();
    let lab = Lab::up(1);
    let vip = format!("{VIP}/24");
    // Built before the clock starts.
    keepalived_rs_tests::binary();
    for (which, delay) in [
        (Impl::Rs, true),
        (Impl::Keepalived, true),
        (Impl::Rs, false),
    ] {
        let global = if delay {
            "global_defs {\n    vrrp_startup_delay 1\n}\n"
        } else {
            ""
        };
        let tag = format!("{which:?}{delay}");
        let t0 = std::time::Instant::now();
        let n1 = start(
            &lab,
            "n1",
            which,
            &format!("{global}{}", config_v3(100, &vip, "")),
            &tag,
        );
        assert!(
            lab.wait_vip("n1", Duration::from_secs(10)).is_some(),
            "{tag}: never master\n{}",
            n1.log()
        );
        let took = t0.elapsed();
        eprintln!("{tag}: VIP after {took:?}");
        let log = n1.log();
        if delay {
            assert!(
                took >= Duration::from_millis(1300) && took < Duration::from_secs(3),
                "{tag}: VIP after {took:?}, expected about 1.36 s\n{log}"
            );
            assert!(
                log.contains("Delaying startup for 1 seconds"),
                "{tag}\n{log}"
            );
        } else {
            assert!(
                took < Duration::from_millis(1000),
                "{tag}: VIP after {took:?}\n{log}"
            );
        }
        drop(n1);
        lab.clear_stale_vip("n1", &vip);
    }
}

/// `notify_deleted`: a reload that removes VI_2 (MASTER) notifies it as keepalived 2.2.7
/// does: the generic `notify` script gets DELETED with the keyword and FAULT without it;
/// notify_fault and notify_stop do not run. Both implementations, same lines.
#[test]
fn notify_deleted_reports_a_removed_instance() {
    require_root();
    let _g = serial();
    let lab = Lab::up(1);
    let out = lab.dir().join("notify.out");
    let script = lab.dir().join("notify.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho \"$@\" >> {}\n", out.display()),
    )
    .expect("write script");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    let s = script.display();
    let vi1 = config_v3(100, &format!("{VIP}/24"), "");
    for flag in [true, false] {
        let mut seen = Vec::new();
        for which in [Impl::Keepalived, Impl::Rs] {
            let _ = std::fs::remove_file(&out);
            let nd = if flag { "    notify_deleted\n" } else { "" };
            let vi2 = config_v3(
                100,
                "192.0.2.101/24",
                &format!("    notify {s}\n    notify_fault \"{s} fault\"\n    notify_stop \"{s} stop\"\n{nd}"),
            )
            .replace("VI_1", "VI_2")
            .replace("router_id 51", "router_id 52");
            let tag = format!("{which:?}{flag}");
            let n1 = start(&lab, "n1", which, &format!("{vi1}{vi2}"), &tag);
            assert!(
                lab.wait(Duration::from_secs(5), || lab.holds("n1", "192.0.2.101")),
                "{tag}: VI_2 never master\n{}",
                n1.log()
            );
            std::fs::write(lab.path(&format!("n1-{tag}-conf")), &vi1).expect("rewrite config");
            nix::sys::signal::kill(
                vrrp_lab::parent_pid(&lab, "n1", &tag),
                nix::sys::signal::Signal::SIGHUP,
            )
            .expect("HUP");
            let done = |t: &str| {
                std::fs::read_to_string(&out)
                    .unwrap_or_default()
                    .lines()
                    .any(|l| l.contains(t))
            };
            let last = if flag { "VI_2 DELETED" } else { "VI_2 FAULT" };
            lab.wait(Duration::from_secs(5), || done(last));
            std::thread::sleep(Duration::from_millis(500));
            let lines = std::fs::read_to_string(&out).unwrap_or_default();
            seen.push((tag, lines, n1.log()));
            drop(n1);
            lab.clear_stale_vip("n1", &format!("{VIP}/24"));
            lab.clear_stale_vip("n1", "192.0.2.101/24");
        }
        let want = if flag {
            "INSTANCE VI_2 BACKUP 100\nINSTANCE VI_2 MASTER 100\nINSTANCE VI_2 DELETED 100\n"
        } else {
            "INSTANCE VI_2 BACKUP 100\nINSTANCE VI_2 MASTER 100\nINSTANCE VI_2 FAULT 100\n"
        };
        for (tag, lines, log) in &seen {
            assert_eq!(lines, want, "{tag}\n{log}");
        }
    }
}

/// `vmac_prefix kv`: the VMACs of an IPv4 and an IPv6 instance of VRID 51 are named kv.51
/// and kv6.51, by keepalived-rs as by keepalived, and removed on stop.
#[test]
fn vmac_prefix_names_the_vmacs() {
    require_root();
    let _g = serial();
    let lab = Lab::up(1);
    let v4 = config_v3(100, &format!("{VIP}/24"), "    use_vmac\n");
    let v6 = config_v3(100, "2001:db8::100/64", "    use_vmac\n").replace("VI_1", "VI_6");
    let conf = format!("global_defs {{\n    vmac_prefix kv\n}}\n{v4}{v6}");
    for which in [Impl::Keepalived, Impl::Rs] {
        let tag = format!("{which:?}");
        let mut n1 = start(&lab, "n1", which, &conf, &tag);
        let links = || lab.ip_out("n1", &["-br", "link"]);
        let up = lab.wait(Duration::from_secs(5), || {
            let l = links();
            l.contains("kv.51@eth0") && l.contains("kv6.51@eth0")
        });
        assert!(up, "{tag}: VMAC names\n{}\n{}", links(), n1.log());
        assert!(
            n1.term_and_wait(Duration::from_secs(10)),
            "{tag}: did not stop"
        );
        assert!(!links().contains("kv"), "{tag}: VMACs left\n{}", links());
    }
}
