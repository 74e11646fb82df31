//! Gratuitous ARP pacing end to end (issue 4: `vrrp_garp_interval`): a new master's GARP
//! burst for three VIPs goes out one frame per interval on the interface, as keepalived
//! 2.2.7 paces it (run as the reference in the same test), and all of them go. Needs root;
//! fails (never skips) without it.
//! Run: `cargo test -p keepalived-rs-tests --test vrrp_garp_e2e`.
//!
//! Helpers: tests/vrrp_lab. Labs are torn down in Drop, daemons SIGKILLed in Drop.

mod vrrp_lab;

use std::time::Duration;

use keepalived_rs_tests::require_root;
use vrrp_lab::{config_v3, serial, start, tcpdump, Impl, Lab, Proc};

const VIPS: [&str; 3] = ["192.0.2.100", "192.0.2.101", "192.0.2.102"];

/// Epoch times and VIPs of the ARP frames the observer saw for our VIPs.
fn arps(obs: &Proc) -> Vec<(f64, &'static str)> {
    obs.log()
        .lines()
        .filter(|l| l.contains("ARP"))
        .filter_map(|l| {
            let v = VIPS.iter().find(|v| l.contains(&format!("{v} ")))?;
            Some((l.split_whitespace().next()?.parse::<f64>().ok()?, *v))
        })
        .collect()
}

/// (number of frames, smallest gap between consecutive frames in ms).
fn burst(which: Impl, interval: Option<&str>) -> (Vec<&'static str>, f64) {
    let lab = Lab::up(1);
    let obs = tcpdump(&lab, "arp.txt", &["-tt"], "arp");
    let global = interval
        .map(|i| format!("global_defs {{\n    vrrp_garp_interval {i}\n}}\n"))
        .unwrap_or_default();
    let vips = VIPS.map(|v| format!("{v}/24")).join("\n        ");
    let conf = format!(
        "{global}{}",
        config_v3(
            200,
            &vips,
            "    garp_master_repeat 3\n    garp_master_delay 30\n"
        )
    );
    let n1 = start(&lab, "n1", which, &conf, "a");
    lab.expect_holder(
        "n1",
        Duration::from_secs(5),
        &format!("{which:?} never master"),
        &[&n1],
    );
    // 3 VIPs x 3 repeats at 50 ms: 0.45 s; give it room.
    std::thread::sleep(Duration::from_millis(1500));
    let a = arps(&obs);
    let min_gap = a
        .windows(2)
        .map(|w| (w[1].0 - w[0].0) * 1e3)
        .fold(f64::INFINITY, f64::min);
    let order: Vec<&str> = a.iter().map(|x| x.1).collect();
    eprintln!(
        "{which:?} interval {interval:?}: {} ARP frames {order:?}, smallest gap {min_gap:.1} ms",
        a.len()
    );
    (order, min_gap)
}

#[test]
fn vrrp_garp_interval_spaces_the_burst_like_keepalived() {
    require_root();
    let _g = serial();
    let mut seen = Vec::new();
    for which in [Impl::Keepalived, Impl::Rs] {
        let (order, gap) = burst(which, Some("0.05"));
        // Capture timestamps jitter by a little on a loaded machine.
        assert!(
            gap >= 40.0,
            "{which:?}: frames {gap:.1} ms apart with a 50 ms interval"
        );
        for v in VIPS {
            assert!(
                order.contains(&v),
                "{which:?} never announced {v}: {order:?}"
            );
        }
        seen.push(order);
    }
    // The same frames in the same order as keepalived: a paced burst announces each
    // address once more after the first, in configuration order (a repeat of a waiting
    // address is not queued again).
    assert_eq!(seen[1], seen[0], "frames: ours vs keepalived's");
    // Control: without the interval, 3 VIPs x garp_master_repeat 3 back to back.
    let (order, gap) = burst(Impl::Rs, None);
    assert_eq!(order.len(), 9, "{order:?}");
    assert!(gap < 20.0, "unpaced burst spread out ({gap:.1} ms)");
}
