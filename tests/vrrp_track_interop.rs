//! Interop of VRRP tracking (issue 5): a keepalived-rs node and a Debian keepalived 2.2.7
//! node in one group, both with the same tracking config (a `vrrp_script` with a negative
//! weight and a `track_file`), both ways round. Each step asserts who holds the VIP and
//! the priorities the observer saw on the wire. Needs root; fails (never skips) without it.
//! Run: `cargo test -p keepalived-rs-tests --test vrrp_track_interop`.
//!
//! Helpers: tests/vrrp_lab. Labs are torn down in Drop, daemons SIGKILLed in Drop.

mod vrrp_lab;

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use keepalived_rs_tests::require_root;
use vrrp_lab::{advert_times, epoch_now, serial, start, tcpdump, Impl, Lab, Proc, VIP};

const N1: &str = "192.0.2.11";
const N2: &str = "192.0.2.12";

/// The same tracking on both nodes: the script fails while `flag` exists (weight -150,
/// fall 1, rise 1), and `value` × -10 comes off the priority.
fn config(prio: u8, flag: &Path, value: &Path) -> String {
    format!(
        "vrrp_script chk {{\n    script \"/usr/bin/test ! -e {flag}\"\n    interval 1\n    weight -150\n    fall 1\n    rise 1\n}}\n\
         track_file tf {{\n    file \"{value}\"\n    weight -10\n    init_file 0 overwrite\n}}\n\
         vrrp_instance VI_1 {{\n    interface eth0\n    virtual_router_id 51\n    priority {prio}\n    version 3\n    advert_int 0.1\n\
         \x20   track_script {{\n        chk\n    }}\n    track_file {{\n        tf\n    }}\n\
         \x20   virtual_ipaddress {{\n        {VIP}/24\n    }}\n}}\n",
        flag = flag.display(),
        value = value.display(),
    )
}

/// Waits until the newest advert from `src` after `after` carries `prio`.
fn wait_prio(obs: &Proc, src: &str, prio: u8, after: f64, timeout: Duration) -> bool {
    let t0 = Instant::now();
    while t0.elapsed() < timeout {
        let last = advert_times(obs)
            .into_iter()
            .rfind(|(t, s, _)| *t >= after && s == src);
        if last.is_some_and(|l| l.2 == prio) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// The priorities `src` advertised after `after` (in order, repeats removed).
fn prios(obs: &Proc, src: &str, after: f64) -> Vec<u8> {
    let mut v: Vec<u8> = advert_times(obs)
        .into_iter()
        .filter(|(t, s, _)| *t >= after && s == src)
        .map(|a| a.2)
        .collect();
    v.dedup();
    v
}

fn scenario(n1_impl: Impl, n2_impl: Impl) {
    let lab = Lab::learning("kti", 2);
    let obs = tcpdump(&lab, "obs.txt", &["-tt"], "ip proto 112");
    let (flag1, val1) = (lab.path("flag1"), lab.path("val1"));
    let (flag2, val2) = (lab.path("flag2"), lab.path("val2"));
    let n1 = start(&lab, "n1", n1_impl, &config(200, &flag1, &val1), "a");
    let n2 = start(&lab, "n2", n2_impl, &config(100, &flag2, &val2), "a");
    let logs = |n1: &Proc, n2: &Proc| format!("--- n1\n{}\n--- n2\n{}", n1.log(), n2.log());
    let who = format!("n1 {n1_impl:?}, n2 {n2_impl:?}");

    // 1. Both healthy: n1 (200) is master.
    assert!(
        lab.wait_holder("n1", Duration::from_secs(8)).is_some(),
        "{who}: n1 never master alone\n{}",
        logs(&n1, &n2)
    );
    assert!(
        wait_prio(&obs, N1, 200, 0.0, Duration::from_secs(3)),
        "{who}: n1 not at 200 on the wire"
    );
    std::thread::sleep(Duration::from_millis(300));

    // 2. n1's script fails: 200 - 150 = 50 < 100, so n2 takes over.
    let t = epoch_now();
    fs::write(&flag1, "").expect("flag n1");
    assert!(
        lab.wait_holder("n2", Duration::from_secs(5)).is_some(),
        "{who}: n2 did not take over when n1's script failed\n{}",
        logs(&n1, &n2)
    );
    assert!(
        wait_prio(&obs, N2, 100, t, Duration::from_secs(3)),
        "{who}: n2 not advertising 100 as master"
    );
    let p1 = prios(&obs, N1, t);
    assert!(
        p1.contains(&50) && p1.last() == Some(&50),
        "{who}: n1 advertised {p1:?} after its script failed (200 then 50 expected)"
    );

    // 3. n2's track_file drops it to 100 - 60 = 40 < 50: n1 preempts back at priority 50.
    let t = epoch_now();
    fs::write(&val2, "6\n").expect("value n2");
    assert!(
        lab.wait_holder("n1", Duration::from_secs(5)).is_some(),
        "{who}: n1 (50) did not preempt n2 (40)\n{}",
        logs(&n1, &n2)
    );
    assert!(
        wait_prio(&obs, N1, 50, t, Duration::from_secs(3)),
        "{who}: n1 not advertising 50 as master: {:?}",
        prios(&obs, N1, t)
    );
    let p2 = prios(&obs, N2, t);
    assert!(
        p2.contains(&40) && p2.last() == Some(&40),
        "{who}: n2 advertised {p2:?} after its track_file changed (100 then 40 expected)"
    );

    // 4. Both recover: n1 back at 200, n2 at 100 as backup (silent).
    let t = epoch_now();
    fs::remove_file(&flag1).expect("unflag n1");
    fs::write(&val2, "0\n").expect("value n2");
    assert!(
        wait_prio(&obs, N1, 200, t, Duration::from_secs(5)),
        "{who}: n1 not back at 200: {:?}\n{}",
        prios(&obs, N1, t),
        logs(&n1, &n2)
    );
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        lab.holds_vip("n1") && !lab.holds_vip("n2"),
        "{who}: after recovery\n{}",
        logs(&n1, &n2)
    );
    let late = epoch_now() - 0.3;
    assert!(
        prios(&obs, N2, late).is_empty(),
        "{who}: n2 still advertising after recovery"
    );
}

#[test]
fn tracking_in_a_mixed_group_rs_master_keepalived_backup() {
    require_root();
    let _g = serial();
    scenario(Impl::Rs, Impl::Keepalived);
}

#[test]
fn tracking_in_a_mixed_group_keepalived_master_rs_backup() {
    require_root();
    let _g = serial();
    scenario(Impl::Keepalived, Impl::Rs);
}
