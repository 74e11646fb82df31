//! Unicast receive policy end to end (issue 4: `check_unicast_src`, per-peer
//! `min_ttl`/`max_ttl`): a node only follows adverts from its `unicast_peer`s, within each
//! peer's TTL range; each case has a control run without the check showing the same
//! traffic does move the node. Needs root; fails (never skips) without it.
//! Run: `cargo test -p keepalived-rs-tests --test vrrp_unicast_e2e`.
//!
//! Helpers: tests/vrrp_lab. Labs are torn down in Drop, daemons SIGKILLed in Drop.

mod vrrp_lab;

use std::time::Duration;

use keepalived_rs_tests::require_root;
use vrrp_lab::{config_v3, serial, start, Impl, Lab, VIP};

fn unicast(me: &str, peer_line: &str, extra: &str) -> String {
    format!("    unicast_src_ip {me}\n    unicast_peer {{\n        {peer_line}\n    }}\n{extra}")
}

/// n2 (priority 100) is master alone; n3 (priority 250, not n2's peer) sends it unicast
/// adverts. With `check_unicast_src` n2 stays MASTER and logs keepalived's line; without
/// it, n2 yields to n3.
#[test]
fn check_unicast_src_ignores_adverts_from_a_non_peer() {
    require_root();
    let _g = serial();
    for check in [true, false] {
        let lab = Lab::up(3);
        let vip = format!("{VIP}/24");
        let extra = if check { "    check_unicast_src\n" } else { "" };
        let n2 = start(
            &lab,
            "n2",
            Impl::Rs,
            &config_v3(100, &vip, &unicast("192.0.2.12", "192.0.2.11", extra)),
            "a",
        );
        lab.expect_holder(
            "n2",
            Duration::from_secs(5),
            "n2 alone never became master",
            &[&n2],
        );
        let n3 = start(
            &lab,
            "n3",
            Impl::Rs,
            &config_v3(250, &vip, &unicast("192.0.2.13", "192.0.2.12", "")),
            "a",
        );
        std::thread::sleep(Duration::from_millis(1500));
        let log = n2.log();
        // What n2 did after it became master (it starts in BACKUP).
        let after = log
            .split_once("Entering MASTER STATE")
            .map_or("", |(_, a)| a);
        if check {
            assert!(
                lab.holds("n2", VIP),
                "check_unicast_src: n2 gave up the VIP to a non-peer\n{log}\n--- n3\n{}",
                n3.log()
            );
            assert!(
                log.contains("unicast source address 192.0.2.13 not a unicast peer"),
                "no rejection logged\n{log}"
            );
            assert!(!after.contains("Entering BACKUP STATE"), "{log}");
        } else {
            assert!(
                !lab.holds("n2", VIP) && after.contains("Entering BACKUP STATE"),
                "control: without the check n2 should follow n3's priority 250\n{log}"
            );
        }
    }
}

/// n1 (priority 200) sends with `unicast_ttl 254`; n2 (priority 100) wants n1's adverts
/// with `min_ttl 255`: it drops them (counted as TTL errors) and becomes master too. With
/// `min_ttl 254` the same adverts are accepted and n2 stays BACKUP.
#[test]
fn a_peer_ttl_range_drops_adverts_outside_it() {
    require_root();
    let _g = serial();
    for min in [255u8, 254] {
        let lab = Lab::up(2);
        let vip = format!("{VIP}/24");
        let n1 = start(
            &lab,
            "n1",
            Impl::Rs,
            &config_v3(
                200,
                &vip,
                &unicast("192.0.2.11", "192.0.2.12", "    unicast_ttl 254\n"),
            ),
            "a",
        );
        lab.expect_master("n1", Duration::from_secs(5), &[&n1]);
        let n2 = start(
            &lab,
            "n2",
            Impl::Rs,
            &config_v3(
                100,
                &vip,
                &unicast("192.0.2.12", &format!("192.0.2.11 min_ttl {min}"), ""),
            ),
            "a",
        );
        std::thread::sleep(Duration::from_millis(1500));
        let log = n2.log();
        if min == 255 {
            assert!(
                lab.holds("n2", VIP),
                "n2 followed adverts outside its peer's TTL range\n{log}"
            );
            assert!(
                log.contains("TTL/HL 254 not in range 255 - 255"),
                "no TTL rejection logged\n{log}"
            );
        } else {
            assert!(
                !lab.holds("n2", VIP) && lab.holds("n1", VIP),
                "control (min_ttl 254): n2 should stay BACKUP\n{log}"
            );
            assert!(!log.contains("not in range"), "{log}");
        }
    }
}
