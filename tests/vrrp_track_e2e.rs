//! End-to-end tests of VRRP tracking (issue 5: vrrp_script/track_script, track_interface,
//! track_file) with the real keepalived-rs binary on the namespace lab of `scripts/lab`
//! (two nodes and an observer), and Debian's keepalived 2.2.7 running the same track_file
//! config as the reference for the priorities on the wire. Needs root; fails (never
//! skips) without it. Run: `cargo test -p keepalived-tests --test vrrp_track_e2e`.
//!
//! Helpers: tests/vrrp_lab. Labs are torn down in Drop, daemons SIGKILLed with their
//! process group in Drop.

mod vrrp_lab;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use keepalived_rs_tests::require_root;
use nix::sys::signal::Signal;
use nix::unistd::Pid;
use vrrp_lab::{advert_times, epoch_now, serial, spawn_in, start, tcpdump, Impl, Lab, Proc, VIP};

const N1: &str = "192.0.2.11";

/// tcpdump on the observer (IPv4 VRRP, `-tt` epoch timestamps) into `obs-TAG.txt`.
fn observe(lab: &Lab, tag: &str) -> Proc {
    tcpdump(lab, &format!("obs-{tag}.txt"), &["-tt"], "ip proto 112")
}

/// tcpdump on n1's own link, outgoing VRRP only, into `tap-TAG.txt`. The kernel stamps an
/// outgoing frame as the sending syscall hands it to the device, so these times are when
/// the daemon sent each advert, free of the bridge's and the observer's scheduling.
fn tap_n1(lab: &Lab, tag: &str) -> Proc {
    let p = spawn_in(
        lab,
        "n1",
        &[
            "tcpdump",
            "-i",
            "eth0",
            "-n",
            "-l",
            "-U",
            "-Q",
            "out",
            "-tt",
            "ip proto 112",
        ],
        &format!("tap-{tag}.txt"),
    );
    std::thread::sleep(Duration::from_millis(300));
    p
}

/// Waits until the last advert from `src` has priority `prio`; returns when it was first
/// seen (wall time of the capture) or `None`.
fn wait_prio(obs: &Proc, src: &str, prio: u8, after: f64, timeout: Duration) -> Option<f64> {
    let t0 = Instant::now();
    while t0.elapsed() < timeout {
        let a: Vec<_> = advert_times(obs)
            .into_iter()
            .filter(|(t, s, _)| *t >= after && s == src)
            .collect();
        if a.last().is_some_and(|l| l.2 == prio) {
            return a.iter().find(|x| x.2 == prio).map(|x| x.0);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

fn instance(prio: u8, adv: &str, extra: &str) -> String {
    format!(
        "vrrp_instance VI_1 {{\n    interface eth0\n    virtual_router_id 51\n    priority {prio}\n    version 3\n    advert_int {adv}\n{extra}    virtual_ipaddress {{\n        {VIP}/24\n    }}\n}}\n"
    )
}

fn backup(lab: &Lab) -> Proc {
    start(lab, "n2", Impl::Rs, &instance(100, "0.1", ""), "b")
}

#[test]
fn failing_script_with_negative_weight_moves_the_vip_and_rise_fall_are_counted() {
    require_root();
    let _g = serial();
    let lab = Lab::learning("ktr", 2);
    let obs = observe(&lab, "a");
    let flag = lab.path("flag");
    let conf = format!(
        "vrrp_script chk {{\n    script \"/usr/bin/test ! -e {}\"\n    interval 1\n    weight -150\n    rise 3\n    fall 2\n}}\n{}",
        flag.display(),
        instance(200, "0.1", "    track_script {\n        chk\n    }\n")
    );
    let n1 = start(&lab, "n1", Impl::Rs, &conf, "a");
    let n2 = backup(&lab);
    lab.expect_master("n1", Duration::from_secs(8), &[&n1, &n2]);
    assert!(wait_prio(&obs, N1, 200, 0.0, Duration::from_secs(3)).is_some());
    std::thread::sleep(Duration::from_millis(500));

    // fall 2 at 1 s: the second failing run (1..2 s after the flag) drops to 50.
    let t_fail = epoch_now();
    fs::write(&flag, "").expect("flag");
    let seen = wait_prio(&obs, N1, 50, t_fail, Duration::from_secs(5))
        .unwrap_or_else(|| panic!("priority never 50\n{}", n1.log()));
    let took = seen - t_fail;
    let fall_took = took;
    assert!(
        (0.9..2.6).contains(&took),
        "fall 2 at 1 s took {took:.3} s\n{}",
        n1.log()
    );
    lab.expect_holder(
        "n2",
        Duration::from_secs(3),
        "n2 did not take over",
        &[&n1, &n2],
    );

    // rise 3: the third passing run (2..3 s after removal) gives 200 back; n1 preempts.
    let t_ok = epoch_now();
    fs::remove_file(&flag).expect("unflag");
    let seen = wait_prio(&obs, N1, 200, t_ok, Duration::from_secs(6))
        .unwrap_or_else(|| panic!("priority never back to 200\n{}", n1.log()));
    let took = seen - t_ok;
    assert!(
        (1.9..3.6).contains(&took),
        "rise 3 at 1 s took {took:.3} s\n{}",
        n1.log()
    );
    lab.expect_holder(
        "n1",
        Duration::from_secs(3),
        "n1 did not preempt back",
        &[&n1, &n2],
    );
    let log = n1.log();
    assert!(log.contains("VRRP_Script(chk) failed"), "{log}");
    assert!(log.contains("VRRP_Script(chk) succeeded"), "{log}");
    eprintln!("script at 1 s: fall 2 seen after {fall_took:.3} s, rise 3 after {took:.3} s");
}

#[test]
fn weight_zero_script_failure_is_fault() {
    require_root();
    let _g = serial();
    let lab = Lab::learning("ktr", 2);
    let flag = lab.path("flag");
    let conf = format!(
        "vrrp_script chk {{\n    script \"/usr/bin/test ! -e {}\"\n    interval 1\n}}\n{}",
        flag.display(),
        instance(200, "0.1", "    track_script {\n        chk\n    }\n")
    );
    let n1 = start(&lab, "n1", Impl::Rs, &conf, "a");
    let n2 = backup(&lab);
    lab.expect_master("n1", Duration::from_secs(8), &[&n1, &n2]);
    // Waiting for the script's first result is not announced as FAULT (keepalived's
    // num_script_init): no FAULT before the script fails.
    assert!(!n1.log().contains("Entering FAULT"), "{}", n1.log());
    fs::write(&flag, "").expect("flag");
    lab.expect_holder(
        "n2",
        Duration::from_secs(4),
        "n2 did not take over",
        &[&n1, &n2],
    );
    assert!(
        n1.log().contains("(VI_1) Entering FAULT STATE"),
        "{}",
        n1.log()
    );
    // The USR1 data dump shows the tracked script and its state.
    let data = lab.path("keepalived.data");
    let _ = fs::remove_file(&data);
    nix::sys::signal::kill(Pid::from_raw(n1.child.id() as i32), Signal::SIGUSR1).expect("USR1");
    let t0 = Instant::now();
    let mut dump = String::new();
    while t0.elapsed() < Duration::from_secs(5) && !dump.contains("VRRP Script = chk") {
        std::thread::sleep(Duration::from_millis(50));
        dump = fs::read_to_string(&data).unwrap_or_default();
    }
    assert!(dump.contains("State = FAULT"), "{dump}");
    assert!(
        dump.contains("   Tracked scripts :\n     chk weight 0 status BAD"),
        "{dump}"
    );
    assert!(dump.contains(" VRRP Script = chk\n"), "{dump}");
    fs::remove_file(&flag).expect("unflag");
    lab.expect_holder(
        "n1",
        Duration::from_secs(5),
        "n1 did not come back",
        &[&n1, &n2],
    );
}

/// A script that never ends: the 10 ms adverts keep their rhythm, the script is killed at
/// its timeout and a run is never started while the previous one is alive.
#[test]
fn hung_script_does_not_delay_adverts_and_is_killed_at_its_timeout() {
    require_root();
    let _g = serial();
    let lab = Lab::learning("ktr", 1);
    let pids = lab.path("pids");
    let script = lab.path("hang.sh");
    fs::write(
        &script,
        format!(
            "#!/bin/sh\necho $$ $(date +%s.%N) >> {}\nexec sleep 1000\n",
            pids.display()
        ),
    )
    .expect("script");
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).expect("chmod");
    // 10 ms adverts need a realtime VRRP child on a busy host, as in production.
    let rt = "global_defs {\n    vrrp_rt_priority 10\n}\n";
    let conf = format!(
        "{rt}vrrp_script hang {{\n    script \"{}\"\n    interval 1\n    timeout 1\n    weight -10\n}}\n{}",
        script.display(),
        instance(200, "0.01", "    track_script {\n        hang\n    }\n")
    );
    // Baseline: the same instance without the script, on the same machine.
    let obs = observe(&lab, "base");
    let tap = tap_n1(&lab, "base");
    let base_conf = format!("{rt}{}", instance(200, "0.01", ""));
    let base = start(&lab, "n1", Impl::Rs, &base_conf, "base");
    assert!(
        wait_prio(&obs, N1, 200, 0.0, Duration::from_secs(5)).is_some(),
        "baseline never advertised\n{}",
        base.log()
    );
    let (b, b_tap) = lateness(&obs, &tap, Duration::from_secs(4));
    drop(base);
    drop((obs, tap));
    std::thread::sleep(Duration::from_millis(500));

    let obs = observe(&lab, "h");
    let tap = tap_n1(&lab, "h");
    let n1 = start(&lab, "n1", Impl::Rs, &conf, "a");
    // Master after 3 × 10 ms + skew; the first run times out at 1 s (priority 190).
    assert!(
        wait_prio(&obs, N1, 190, 0.0, Duration::from_secs(5)).is_some(),
        "never saw priority 190\n{}",
        n1.log()
    );
    // Five seconds: two more runs start, hang and are killed at their timeout. This
    // kernel is PREEMPT_NONE: on a busy host a realtime wake-up can wait for another task's
    // system call, so a window over the bound is measured again, up to three windows; a
    // loop that waits for a script would be late in every window (each holds two starts
    // and two kills), and the adverts next to each start and kill are checked in all of
    // them below.
    let run_started = Instant::now();
    let mut windows = Vec::new();
    for _ in 0..3 {
        let (h, h_tap) = lateness(&obs, &tap, Duration::from_secs(5));
        eprintln!(
            "10 ms adverts, lateness of each interval (ms), p50/p99/max/over 2 ms:\n  \
             baseline: sent (n1's link) n={} {:.3}/{:.3}/{:.3}/{}, observer n={} {:.3}/{:.3}/{:.3}/{}\n  \
             hung script: sent (n1's link) n={} {:.3}/{:.3}/{:.3}/{}, observer n={} {:.3}/{:.3}/{:.3}/{}",
            b_tap.n, b_tap.p50, b_tap.p99, b_tap.max, b_tap.over2,
            b.n, b.p50, b.p99, b.max, b.over2,
            h_tap.n, h_tap.p50, h_tap.p99, h_tap.max, h_tap.over2,
            h.n, h.p50, h.p99, h.max, h.over2
        );
        assert!(
            b.n > 250 && h.n > 300 && b_tap.n > 250 && h_tap.n > 300,
            "too few adverts: {} / {} (observer), {} / {} (n1's link)",
            b.n,
            h.n,
            b_tap.n,
            h_tap.n
        );
        // No advert ever waits for a script (a blocking wait would show as a ~1 s gap at
        // each timeout).
        assert!(h.max < 50.0, "observer: an advert was {:.3} ms late", h.max);
        let within = h_tap.max <= 2.0 && h.max <= 2.0;
        windows.push((h, h_tap));
        if within {
            break;
        }
    }
    let Some((h, h_tap)) = windows.last() else {
        unreachable!("at least one window was measured")
    };
    // The issue's bound, on when the adverts were sent (n1's link) and as the observer saw
    // them: while the script hangs and is killed, no interval is more than 2 ms late.
    assert!(
        h_tap.max <= 2.0 && h.max <= 2.0,
        "an advert was {:.3} ms late as sent and {:.3} ms as observed, in each of {} windows \
         ({} / {} intervals over 2 ms in the last; baseline max {:.3} / {:.3} ms)",
        h_tap.max,
        h.max,
        windows.len(),
        h_tap.over2,
        h.over2,
        b_tap.max,
        b.max
    );

    // Every run but the newest was killed (timeout 1 s, SIGTERM); a run is never started
    // while the previous one lives, so the runs are ~2 s apart.
    let text = fs::read_to_string(&pids).expect("pids");
    let runs: Vec<(i32, f64)> = text
        .lines()
        .filter_map(|l| {
            let (pid, at) = l.trim().split_once(' ')?;
            Some((pid.parse().ok()?, at.parse().ok()?))
        })
        .collect();
    let pids: Vec<i32> = runs.iter().map(|r| r.0).collect();
    // Around each start of the script and each kill at its timeout (1 s later), in every
    // window measured: no advert more than 2 ms late. The start is stamped by the script
    // itself, a little after the fork; ±30 ms covers that.
    let sent: Vec<f64> = advert_times(&tap)
        .into_iter()
        .filter(|(_, s, _)| s == N1)
        .map(|(t, _, _)| t)
        .collect();
    let mut checked = 0;
    for &(_, start) in &runs {
        for event in [start, start + 1.0] {
            for w in sent.windows(2) {
                if (w[1] - event).abs() <= 0.030 {
                    checked += 1;
                    let late = (w[1] - w[0]) * 1000.0 - 10.0;
                    assert!(
                        late <= 2.0,
                        "an advert {:.1} ms from a script start/kill was {late:.3} ms late",
                        (w[1] - event) * 1000.0
                    );
                }
            }
        }
    }
    assert!(checked >= 10, "only {checked} adverts near script events");
    assert!(pids.len() >= 2, "runs: {pids:?}\n{}", n1.log());
    // One run every ~2 s (1 s hung + the next 1 s interval), plus the first.
    let most = run_started.elapsed().as_secs() as usize / 2 + 2;
    assert!(
        pids.len() <= most,
        "too many runs in {:?}: {pids:?}",
        run_started.elapsed()
    );
    std::thread::sleep(Duration::from_millis(300));
    for p in &pids[..pids.len() - 1] {
        assert!(
            !std::path::Path::new(&format!("/proc/{p}")).exists(),
            "script pid {p} still exists"
        );
    }
    let log = n1.log();
    assert!(log.contains("timed out"), "{log}");
    assert!(
        log.contains("already running, expect idle - skipping run"),
        "{log}"
    );
}

#[test]
fn track_interface_down_faults_or_lowers_priority() {
    require_root();
    let _g = serial();
    let lab = Lab::learning("ktr", 2);
    let obs = observe(&lab, "i");
    // A veth pair inside n1 (no dummy module here): trk0 is usable while both ends are up.
    lab.ip(
        "n1",
        &[
            "link", "add", "trk0", "type", "veth", "peer", "name", "trk1",
        ],
    );
    lab.ip("n1", &["link", "set", "trk1", "up"]);
    lab.ip("n1", &["link", "set", "trk0", "up"]);
    let n2 = backup(&lab);

    // weight 0: down means FAULT.
    let conf = instance(200, "0.1", "    track_interface {\n        trk0\n    }\n");
    let n1 = start(&lab, "n1", Impl::Rs, &conf, "a");
    assert!(
        lab.wait_holder("n1", Duration::from_secs(5)).is_some(),
        "{}",
        n1.log()
    );
    lab.ip("n1", &["link", "set", "trk0", "down"]);
    lab.expect_holder("n2", Duration::from_secs(3), "n2 did not take over", &[&n1]);
    assert!(
        n1.log().contains("(VI_1) Entering FAULT STATE"),
        "{}",
        n1.log()
    );
    lab.ip("n1", &["link", "set", "trk0", "up"]);
    lab.expect_holder("n1", Duration::from_secs(5), "n1 did not recover", &[&n1]);
    // SIGKILL leaves the VIP behind (as keepalived's would): clear it, let n2 take over.
    drop(n1);
    lab.ip("n1", &["addr", "del", &format!("{VIP}/24"), "dev", "eth0"]);
    assert!(lab.wait_holder("n2", Duration::from_secs(3)).is_some());

    // weight -150: down means priority 50, still advertising (BACKUP, not FAULT).
    let conf = instance(
        200,
        "0.1",
        "    track_interface {\n        trk0 weight -150\n    }\n",
    );
    let t = epoch_now();
    let n1 = start(&lab, "n1", Impl::Rs, &conf, "b");
    assert!(
        lab.wait_holder("n1", Duration::from_secs(5)).is_some(),
        "{}",
        n1.log()
    );
    assert!(
        wait_prio(&obs, N1, 200, t, Duration::from_secs(3)).is_some(),
        "{}\n{}",
        n1.log(),
        obs.log()
            .lines()
            .rev()
            .take(5)
            .collect::<Vec<_>>()
            .join("\n")
    );
    let t = epoch_now();
    lab.ip("n1", &["link", "set", "trk0", "down"]);
    assert!(
        wait_prio(&obs, N1, 50, t, Duration::from_secs(3)).is_some(),
        "never saw priority 50\n{}",
        n1.log()
    );
    assert!(
        lab.wait_holder("n2", Duration::from_secs(3)).is_some(),
        "{}",
        n1.log()
    );
    assert!(!n1.log().contains("Entering FAULT"), "{}", n1.log());
    lab.ip("n1", &["link", "set", "trk0", "up"]);
    assert!(
        lab.wait_holder("n1", Duration::from_secs(5)).is_some(),
        "{}",
        n1.log()
    );
    drop(n2);
}

/// The same track_file config on keepalived-rs and on Debian's keepalived: the priorities
/// in the adverts must be the same for each value written.
#[test]
fn track_file_values_move_priority_like_keepalived() {
    require_root();
    let _g = serial();
    let lab = Lab::learning("ktr", 1);
    let mut seen: Vec<(Impl, Vec<Option<u8>>)> = Vec::new();
    for which in [Impl::Rs, Impl::Keepalived] {
        let file = lab.path(&format!("val-{which:?}"));
        let conf = format!(
            "track_file tf {{\n    file \"{}\"\n    weight -10\n    init_file 3\n}}\n{}",
            file.display(),
            instance(200, "0.1", "    track_file {\n        tf\n    }\n")
        );
        let obs = observe(&lab, &format!("{which:?}"));
        let n1 = start(&lab, "n1", which, &conf, &format!("{which:?}"));
        let mut prios = Vec::new();
        // init_file 3 -> 200 - 30.
        prios.push(wait_prio(&obs, N1, 170, 0.0, Duration::from_secs(5)).map(|_| 170));
        for (value, expect) in [
            ("5", 150u8),
            ("-4", 240),
            ("25", 1),
            ("0x2", 180),
            ("0", 200),
        ] {
            let t = epoch_now();
            fs::write(&file, format!("{value}\n")).expect("write value");
            prios.push(wait_prio(&obs, N1, expect, t, Duration::from_secs(3)).map(|_| expect));
        }
        // 26 × -10 = -260 <= -254: FAULT (priority 0 on the way out, then silence).
        let t = epoch_now();
        fs::write(&file, "26\n").expect("write value");
        prios.push(wait_prio(&obs, N1, 0, t, Duration::from_secs(3)).map(|_| 0));
        let faulted = n1.log().contains("Entering FAULT STATE");
        assert!(faulted, "{which:?} did not enter FAULT\n{}", n1.log());
        seen.push((which, prios));
        drop(n1);
        drop(obs);
    }
    eprintln!("track_file priorities: {seen:?}");
    let expect: Vec<Option<u8>> = [170, 150, 240, 1, 180, 200, 0]
        .into_iter()
        .map(Some)
        .collect();
    for (which, p) in &seen {
        assert_eq!(p, &expect, "{which:?}");
    }
}

struct Late {
    n: usize,
    p50: f64,
    p99: f64,
    max: f64,
    over2: usize,
}

/// Captures `for_` of N1's adverts on the observer and on n1's link; returns how late each
/// interval was beyond 10 ms in each capture.
fn lateness(obs: &Proc, tap: &Proc, for_: Duration) -> (Late, Late) {
    let t_start = epoch_now();
    std::thread::sleep(for_);
    let t_end = epoch_now();
    let late = |p: &Proc| {
        let times: Vec<f64> = advert_times(p)
            .into_iter()
            .filter(|(t, s, _)| *t >= t_start && *t <= t_end && s == N1)
            .map(|(t, _, _)| t)
            .collect();
        late_of(&times)
    };
    (late(obs), late(tap))
}

fn late_of(times: &[f64]) -> Late {
    let mut late: Vec<f64> = times
        .windows(2)
        .map(|w| (w[1] - w[0]) * 1000.0 - 10.0)
        .collect();
    late.sort_by(f64::total_cmp);
    let at = |q: usize| late.get(late.len() * q / 100).copied().unwrap_or(f64::NAN);
    Late {
        n: late.len(),
        p50: at(50),
        p99: at(99),
        max: late.last().copied().unwrap_or(f64::NAN),
        over2: late.iter().filter(|l| **l > 2.0).count(),
    }
}

/// A hitless restart of the VRRP child of a MASTER with a weight-0 script: the new child
/// must not go through FAULT while its script has not run yet (that would drop the VIP).
#[test]
fn hitless_restart_with_a_weight_zero_script_keeps_the_vip() {
    require_root();
    let _g = serial();
    let lab = Lab::learning("ktr", 2);
    let conf = format!(
        "vrrp_script chk {{\n    script \"/bin/true\"\n    interval 1\n}}\n{}",
        instance(200, "0.1", "    track_script {\n        chk\n    }\n")
    );
    let n1 = start(&lab, "n1", Impl::Rs, &conf, "a");
    let n2 = backup(&lab);
    lab.expect_master("n1", Duration::from_secs(8), &[&n1, &n2]);
    std::thread::sleep(Duration::from_millis(1500));
    let vpid_file = lab.path("n1-a-vpid");
    let old: i32 = fs::read_to_string(&vpid_file)
        .expect("vrrp pid file")
        .trim()
        .parse()
        .expect("pid");
    let faults = n1.log().matches("Entering FAULT").count();
    nix::sys::signal::kill(Pid::from_raw(old), Signal::SIGKILL).expect("kill -9 the VRRP child");
    let t0 = Instant::now();
    while t0.elapsed() < Duration::from_secs(3) {
        assert!(
            lab.holds_vip("n1") && !lab.holds_vip("n2"),
            "the VIP moved during the restart\n{}\n{}",
            n1.log(),
            n2.log()
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    let log = n1.log();
    assert!(log.contains("resumed in MASTER STATE"), "{log}");
    assert_eq!(log.matches("Entering FAULT").count(), faults, "{log}");
    // The new child runs the script again.
    assert!(
        log.matches("VRRP_Script(chk) succeeded").count() >= 2,
        "{log}"
    );
}

/// A reload (SIGHUP) keeps the state of a failing script: the instance stays at its
/// lowered priority instead of starting over from "not run yet" and preempting.
#[test]
fn reload_keeps_script_state() {
    require_root();
    let _g = serial();
    let lab = Lab::learning("ktr", 2);
    let obs = observe(&lab, "r");
    let flag = lab.path("flag");
    fs::write(&flag, "").expect("flag");
    // A slow script (0.8 s, longer than the 0.36 s down timer): state that restarted from
    // "not run yet" would give priority 200 for 0.8 s and n1 would preempt.
    let script = lab.path("slow.sh");
    fs::write(
        &script,
        format!("#!/bin/sh\nsleep 0.8\ntest ! -e {}\n", flag.display()),
    )
    .expect("script");
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).expect("chmod");
    let conf = format!(
        "vrrp_script chk {{\n    script \"{}\"\n    interval 2\n    weight -150\n}}\n{}",
        script.display(),
        instance(200, "0.1", "    track_script {\n        chk\n    }\n")
    );
    let n2 = backup(&lab);
    assert!(
        lab.wait_holder("n2", Duration::from_secs(5)).is_some(),
        "{}",
        n2.log()
    );
    let n1 = start(&lab, "n1", Impl::Rs, &conf, "a");
    assert!(
        wait_prio(&obs, N1, 50, 0.0, Duration::from_secs(5)).is_some()
            || n1.log().contains("VRRP_Script(chk) failed"),
        "{}",
        n1.log()
    );
    std::thread::sleep(Duration::from_millis(2500));
    assert!(
        lab.wait_holder("n2", Duration::from_secs(1)).is_some(),
        "{}",
        n1.log()
    );
    nix::sys::signal::kill(Pid::from_raw(n1.child.id() as i32), Signal::SIGHUP).expect("HUP");
    let t0 = Instant::now();
    while t0.elapsed() < Duration::from_secs(3) {
        assert!(
            lab.holds_vip("n2") && !lab.holds_vip("n1"),
            "the reload made n1 preempt\n{}\n{}",
            n1.log(),
            n2.log()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(n1.log().contains("reload"), "{}", n1.log());
    // And the carried-over script still recovers.
    fs::remove_file(&flag).expect("unflag");
    assert!(
        lab.wait_holder("n1", Duration::from_secs(5)).is_some(),
        "{}",
        n1.log()
    );
}

/// Scripts with positive/negative/reverse weights and a weighted tracked interface: the
/// priority on the wire is the same from keepalived-rs and from Debian's keepalived.
#[test]
fn script_and_interface_weights_match_keepalived() {
    require_root();
    let _g = serial();
    let lab = Lab::learning("ktr", 1);
    let conf = format!(
        "vrrp_script ok_rev {{\n    script \"/bin/true\"\n    interval 1\n    weight 20 reverse\n}}\n\
         vrrp_script bad {{\n    script \"/bin/false\"\n    interval 1\n    weight -30\n}}\n\
         vrrp_script ok_plus {{\n    script \"/bin/true\"\n    interval 1\n    weight 4\n}}\n{}",
        instance(
            100,
            "0.1",
            "    track_script {\n        ok_rev\n        bad\n        ok_plus weight 9\n    }\n    track_interface {\n        eth0 weight 7\n        trk0 weight 11\n        trk1 weight -13\n    }\n"
        )
    );
    // eth0 is the instance's own interface: keepalived ignores it ("since own interface").
    lab.ip(
        "n1",
        &[
            "link", "add", "trk0", "type", "veth", "peer", "name", "trk1",
        ],
    );
    lab.ip("n1", &["link", "set", "trk0", "up"]);
    // trk0 is up but not running (its peer is down): both count as down.
    // 100 - 20 (reverse, OK) - 30 (failing) + 9 (instance weight overrides 4) - 13 = 46.
    let mut seen = Vec::new();
    for which in [Impl::Rs, Impl::Keepalived] {
        let obs = observe(&lab, &format!("w{which:?}"));
        let n1 = start(&lab, "n1", which, &conf, &format!("w{which:?}"));
        let got = wait_prio(&obs, N1, 46, 0.0, Duration::from_secs(6)).map(|_| 46);
        let last = advert_times(&obs).last().map(|a| a.2);
        seen.push((which, got, last));
        drop(n1);
        drop(obs);
        lab.ip(
            "n1",
            &["addr", "flush", "dev", "eth0", "to", &format!("{VIP}/32")],
        );
    }
    eprintln!("weights: {seen:?}");
    for (which, got, last) in &seen {
        assert_eq!(*got, Some(46), "{which:?} last priority {last:?}");
    }
}
