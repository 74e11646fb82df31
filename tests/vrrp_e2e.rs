//! End-to-end VRRP tests (issue 4): the real keepalived-rs binary (and Debian's keepalived
//! 2.2.7 as a peer) on the namespace lab of `scripts/lab`: two nodes and an observer on a
//! bridge. Each test asserts which node holds the VIP (`ip -n NODE addr`) and what the
//! observer saw on the wire (tcpdump in the observer namespace). Needs root; fails (never
//! skips) without it.
//!
//! Tests run one at a time (a lock) because they measure failover times. Every lab is torn
//! down by `scripts/lab down` in Drop (which kills what runs in its namespaces), every
//! daemon is SIGKILLed with its process group in Drop.

use std::fs;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use keepalived_rs_tests::{binary, keepalived, require_root, workspace_root};
use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;

const VIP: &str = "192.0.2.100";

fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|p| p.into_inner())
}

/// A `scripts/lab` instance with a unique prefix; `down` on drop.
struct Lab {
    prefix: String,
    dir: tempfile::TempDir,
}

impl Lab {
    fn up(nodes: u32) -> Lab {
        static N: AtomicU32 = AtomicU32::new(0);
        let prefix = format!(
            "ve{}x{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let lab = Lab {
            prefix,
            dir: tempfile::tempdir().expect("tempdir"),
        };
        let out = lab.script(&["up", &nodes.to_string()]);
        assert!(out.status.success(), "lab up failed: {out:?}");
        lab
    }

    fn script(&self, args: &[&str]) -> std::process::Output {
        Command::new(workspace_root().join("scripts/lab"))
            .args(args)
            .args(["--prefix", &self.prefix])
            .output()
            .expect("run scripts/lab")
    }

    fn ns(&self, node: &str) -> String {
        format!("{}-{node}", self.prefix)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn holds_vip(&self, node: &str) -> bool {
        let out = Command::new("ip")
            .args(["-n", &self.ns(node), "-4", "addr", "show", "dev", "eth0"])
            .output()
            .expect("ip addr");
        String::from_utf8_lossy(&out.stdout).contains(&format!("inet {VIP}/"))
    }

    /// Waits until exactly `node` of n1/n2 holds the VIP; returns how long it took.
    fn wait_holder(&self, node: &str, timeout: Duration) -> Option<Duration> {
        let other = if node == "n1" { "n2" } else { "n1" };
        let t0 = Instant::now();
        while t0.elapsed() < timeout {
            if self.holds_vip(node) && !self.holds_vip(other) {
                return Some(t0.elapsed());
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        None
    }

    /// Waits until `node` holds the VIP (whether or not the other still does).
    fn wait_vip(&self, node: &str, timeout: Duration) -> Option<Duration> {
        let t0 = Instant::now();
        while t0.elapsed() < timeout {
            if self.holds_vip(node) {
                return Some(t0.elapsed());
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        None
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let _ = self.script(&["down"]);
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Impl {
    Rs,
    Keepalived,
}

/// A daemon (or tcpdump) in a lab namespace, in its own process group.
struct Proc {
    child: Child,
    log: PathBuf,
}

impl Proc {
    fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn kill(&mut self, sig: Signal) {
        let _ = killpg(Pid::from_raw(self.child.id() as i32), sig);
    }

    fn wait_exit(&mut self, timeout: Duration) -> bool {
        let t0 = Instant::now();
        while t0.elapsed() < timeout {
            if let Ok(Some(_)) = self.child.try_wait() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        false
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.kill(Signal::SIGKILL);
        let _ = self.child.wait();
    }
}

struct Inst<'a> {
    version: u8,
    advert_int: &'a str,
    auth_pass: Option<&'a str>,
}

fn config(router_id: &str, prio: u8, i: &Inst) -> String {
    let auth = match i.auth_pass {
        Some(p) => format!(
            "    authentication {{\n        auth_type PASS\n        auth_pass {p}\n    }}\n"
        ),
        None => String::new(),
    };
    format!(
        "global_defs {{\n    router_id {router_id}\n    vrrp_version {v}\n}}\n\
         vrrp_instance VI_1 {{\n    interface eth0\n    virtual_router_id 51\n    priority {prio}\n    advert_int {adv}\n{auth}    virtual_ipaddress {{\n        {VIP}/24\n    }}\n}}\n",
        v = i.version,
        adv = i.advert_int,
    )
}

fn start(lab: &Lab, node: &str, which: Impl, conf: &str, tag: &str) -> Proc {
    start_args(lab, node, which, conf, tag, &[])
}

fn start_args(lab: &Lab, node: &str, which: Impl, conf: &str, tag: &str, extra: &[&str]) -> Proc {
    start_wrapped(lab, node, which, conf, tag, extra, &[])
}

/// As [`start_args`], the daemon run through `wrapper` (e.g. `chrt -r 10`).
fn start_wrapped(
    lab: &Lab,
    node: &str,
    which: Impl,
    conf: &str,
    tag: &str,
    extra: &[&str],
    wrapper: &[&str],
) -> Proc {
    let f = |n: &str| lab.path(&format!("{node}-{tag}-{n}")).display().to_string();
    fs::write(f("conf"), conf).expect("write config");
    let log = lab.path(&format!("{node}-{tag}-log"));
    let logf = fs::File::create(&log).expect("log file");
    let mut cmd = Command::new("ip");
    cmd.args(["netns", "exec", &lab.ns(node)]);
    cmd.args(wrapper);
    match which {
        Impl::Rs => {
            cmd.arg(binary()).args(["-n", "-l", "-P"]);
        }
        Impl::Keepalived => {
            cmd.arg(keepalived()).args(["-n", "-l", "-P"]);
        }
    }
    cmd.args(extra);
    cmd.args([
        "-f",
        &f("conf"),
        "-p",
        &f("pid"),
        "-r",
        &f("vpid"),
        "-c",
        &f("cpid"),
    ])
    .env("TMPDIR", lab.dir.path())
    .env_remove("NOTIFY_SOCKET")
    .stdin(Stdio::null())
    .stdout(logf.try_clone().expect("dup log"))
    .stderr(logf)
    .process_group(0);
    let child = cmd.spawn().expect("spawn daemon");
    Proc { child, log }
}

/// tcpdump on the observer: VRRP packets, one line each.
fn observe(lab: &Lab) -> Proc {
    observe_with(lab, &[])
}

/// As [`observe`], with more tcpdump options (e.g. `-tt` for epoch timestamps).
fn observe_with(lab: &Lab, extra: &[&str]) -> Proc {
    let log = lab.path("obs.txt");
    let logf = fs::File::create(&log).expect("obs file");
    let child = Command::new("ip")
        .args(["netns", "exec", &lab.ns("obs")])
        .args(["tcpdump", "-i", "eth0", "-n", "-l", "-U", "-v"])
        .args(extra)
        .arg("ip proto 112")
        .stdin(Stdio::null())
        .stdout(logf)
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("spawn tcpdump (apt-get install -y tcpdump)");
    std::thread::sleep(Duration::from_millis(300));
    Proc { child, log }
}

/// Adverts the observer saw: (source, vrid, priority, ttl, version).
fn adverts(obs: &Proc) -> Vec<(String, u8, u8, u8, u8)> {
    // tcpdump -v prints "IP (tos 0xc0, ttl 255, ...)" then "    SRC > DST: vrrp SRC > DST:
    // VRRPv3, Advertisement, vrid 51, prio 200, intvl 10cs, length 12" (or one line).
    let text = obs.log();
    let mut out = Vec::new();
    let mut ttl = 0u8;
    for line in text.lines() {
        if let Some(t) = field(line, "ttl ") {
            ttl = t;
        }
        if let (Some(pos), Some(vrid), Some(prio)) = (
            line.find("VRRPv"),
            field(line, "vrid "),
            field(line, "prio "),
        ) {
            let version = line[pos + 5..].chars().next().and_then(|c| c.to_digit(10));
            let src = line[..pos]
                .split_whitespace()
                .rev()
                .find(|w| w.starts_with("192.0.2."))
                .unwrap_or("")
                .to_string();
            out.push((src, vrid, prio, ttl, version.unwrap_or(0) as u8));
        }
    }
    out
}

fn field(line: &str, key: &str) -> Option<u8> {
    let i = line.find(key)? + key.len();
    let digits: String = line[i..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

fn saw(obs: &Proc, src: &str, prio: u8, version: u8) -> bool {
    adverts(obs).iter().any(|(s, v, p, ttl, ver)| {
        s == src && *v == 51 && *p == prio && *ttl == 255 && *ver == version
    })
}

fn wait_saw(obs: &Proc, src: &str, prio: u8, version: u8, timeout: Duration) -> bool {
    let t0 = Instant::now();
    while t0.elapsed() < timeout {
        if saw(obs, src, prio, version) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// Master_Down_Interval for the backup (priority 100): 3 × interval + skew.
fn master_down(version: u8, advert: Duration) -> Duration {
    let skew = if version == 2 {
        Duration::from_micros(156 * 1_000_000 / 256)
    } else {
        advert * 156 / 256
    };
    advert * 3 + skew
}

/// Node n1 (priority 200, `a`) and n2 (priority 100, `b`): n1 is master; SIGKILL of n1's
/// whole daemon moves the VIP to n2 within Master_Down_Interval + margin; n1 back
/// preempts. The observer sees adverts from the master's address with its priority.
/// Returns the failover time.
fn failover_scenario(a: Impl, b: Impl, inst: &Inst) -> Duration {
    let lab = Lab::up(2);
    let obs = observe(&lab);
    let advert = if inst.version == 2 {
        Duration::from_secs(inst.advert_int.parse().expect("v2 interval in seconds"))
    } else {
        Duration::from_secs_f64(inst.advert_int.parse().expect("interval"))
    };
    let settle = master_down(inst.version, advert) * 3 + Duration::from_secs(2);
    let mut n1 = start(&lab, "n1", a, &config("n1", 200, inst), "a");
    let n2 = start(&lab, "n2", b, &config("n2", 100, inst), "a");
    let logs = |n1: &Proc, n2: &Proc| {
        format!(
            "--- n1 ({a:?})\n{}\n--- n2 ({b:?})\n{}\n--- observer\n{}",
            n1.log(),
            n2.log(),
            obs.log()
        )
    };
    assert!(
        lab.wait_holder("n1", settle).is_some(),
        "n1 (priority 200) never held the VIP alone\n{}",
        logs(&n1, &n2)
    );
    assert!(
        wait_saw(
            &obs,
            "192.0.2.11",
            200,
            inst.version,
            advert * 3 + Duration::from_secs(1)
        ),
        "observer saw no advert from n1 with priority 200\n{}",
        logs(&n1, &n2)
    );
    // Let the backup see a few adverts so its timer runs from a recent one.
    std::thread::sleep(advert * 3);
    let t0 = Instant::now();
    n1.kill(Signal::SIGKILL);
    let took = lab.wait_vip("n2", settle);
    let took = took.map(|_| t0.elapsed());
    let bound = master_down(inst.version, advert) + advert / 2 + Duration::from_millis(150);
    let Some(took) = took else {
        panic!(
            "n2 never took the VIP after n1 was killed\n{}",
            logs(&n1, &n2)
        );
    };
    eprintln!(
        "{a:?}->{b:?} v{} advert {advert:?}: failover after SIGKILL in {took:?} (Master_Down_Interval {:?})",
        inst.version,
        master_down(inst.version, advert)
    );
    assert!(
        took <= bound,
        "failover took {took:?}, more than {bound:?}\n{}",
        logs(&n1, &n2)
    );
    assert!(
        wait_saw(
            &obs,
            "192.0.2.12",
            100,
            inst.version,
            advert * 3 + Duration::from_secs(1)
        ),
        "observer saw no advert from n2 with priority 100 after the failover\n{}",
        logs(&n1, &n2)
    );
    drop(n1);
    // n1 comes back (a kill -9 leaves its VIP behind: a fresh start removes it) and
    // preempts.
    let n1 = start(&lab, "n1", a, &config("n1", 200, inst), "b");
    assert!(
        lab.wait_holder("n1", settle).is_some(),
        "n1 did not preempt after coming back\n{}",
        logs(&n1, &n2)
    );
    took
}

#[test]
fn rs_pair_v3_failover_and_preempt() {
    require_root();
    let _g = serial();
    failover_scenario(
        Impl::Rs,
        Impl::Rs,
        &Inst {
            version: 3,
            advert_int: "0.1",
            auth_pass: None,
        },
    );
}

#[test]
fn rs_pair_v3_sigterm_hands_over_with_priority_zero() {
    require_root();
    let _g = serial();
    let lab = Lab::up(2);
    let obs = observe(&lab);
    let inst = Inst {
        version: 3,
        advert_int: "0.1",
        auth_pass: None,
    };
    let mut n1 = start(&lab, "n1", Impl::Rs, &config("n1", 200, &inst), "a");
    let n2 = start(&lab, "n2", Impl::Rs, &config("n2", 100, &inst), "a");
    assert!(
        lab.wait_holder("n1", Duration::from_secs(5)).is_some(),
        "n1 never master\n{}\n{}",
        n1.log(),
        n2.log()
    );
    std::thread::sleep(Duration::from_millis(300));
    let t0 = Instant::now();
    n1.kill(Signal::SIGTERM);
    let took = lab
        .wait_holder("n2", Duration::from_secs(3))
        .map(|_| t0.elapsed());
    assert!(
        n1.wait_exit(Duration::from_secs(5)),
        "n1 did not exit on SIGTERM"
    );
    let Some(took) = took else {
        panic!("n2 did not take over alone\n{}\n{}", n1.log(), n2.log());
    };
    eprintln!("SIGTERM handover in {took:?} (skew time of priority 100 at 100 ms: 60.9 ms)");
    assert!(took < Duration::from_millis(300), "handover took {took:?}");
    assert!(
        wait_saw(&obs, "192.0.2.11", 0, 3, Duration::from_secs(1)),
        "observer saw no priority-0 advert from n1\n{}",
        obs.log()
    );
    assert!(
        n1.log().contains("(VI_1) Entering MASTER STATE"),
        "{}",
        n1.log()
    );
    assert!(
        n2.log().contains("(VI_1) Entering MASTER STATE"),
        "{}",
        n2.log()
    );
}

#[test]
fn interop_v3_keepalived_master_rs_backup() {
    require_root();
    let _g = serial();
    failover_scenario(
        Impl::Keepalived,
        Impl::Rs,
        &Inst {
            version: 3,
            advert_int: "0.1",
            auth_pass: None,
        },
    );
}

#[test]
fn interop_v3_rs_master_keepalived_backup() {
    require_root();
    let _g = serial();
    failover_scenario(
        Impl::Rs,
        Impl::Keepalived,
        &Inst {
            version: 3,
            advert_int: "0.1",
            auth_pass: None,
        },
    );
}

#[test]
fn interop_v2_pass_auth_both_ways() {
    require_root();
    let _g = serial();
    let inst = Inst {
        version: 2,
        advert_int: "1",
        auth_pass: Some("secret1"),
    };
    failover_scenario(Impl::Keepalived, Impl::Rs, &inst);
    failover_scenario(Impl::Rs, Impl::Keepalived, &inst);
}

/// VRRP adverts the observer saw with `-tt`: (epoch seconds, source, priority).
fn advert_times(obs: &Proc) -> Vec<(f64, String, u8)> {
    let mut out = Vec::new();
    let mut ts = 0.0;
    for line in obs.log().lines() {
        if let Some(t) = line
            .split_whitespace()
            .next()
            .filter(|w| w.contains('.'))
            .and_then(|w| w.parse::<f64>().ok())
        {
            ts = t;
        }
        if let (Some(pos), Some(prio)) = (line.find("VRRPv"), field(line, "prio ")) {
            let src = line[..pos]
                .split_whitespace()
                .rev()
                .find(|w| w.starts_with("192.0.2."))
                .unwrap_or("")
                .to_string();
            out.push((ts, src, prio));
        }
    }
    out
}

fn epoch_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// Hitless restart (issue 4 item 6): `kill -9` of the master's VRRP child only. The parent
/// sends the child's last adverts for it while it restarts (stand-in adverts, see
/// docs/lifecycle.md) and the new child comes back MASTER with the last reported state:
/// it keeps the VIP (no delete, no re-add: watched with `ip monitor address`), the
/// observer sees no gap in n1's adverts as long as the backup's Master_Down_Interval and
/// nothing from the backup, and the backup never takes the VIP. `wrappers` run the
/// daemons of n1 and n2 (e.g. under `chrt`). Returns the parent's stand-in log line.
fn hitless_restart(advert_int: &str, wrappers: [&[&str]; 2]) -> String {
    let lab = Lab::up(2);
    let obs = observe_with(&lab, &["-tt"]);
    let inst = Inst {
        version: 3,
        advert_int,
        auth_pass: None,
    };
    let advert = Duration::from_secs_f64(advert_int.parse().expect("interval"));
    let down = master_down(3, advert);
    let [w1, w2] = wrappers;
    let n1 = start_wrapped(
        &lab,
        "n1",
        Impl::Rs,
        &config("n1", 200, &inst),
        "a",
        &[],
        w1,
    );
    let n2 = start_wrapped(
        &lab,
        "n2",
        Impl::Rs,
        &config("n2", 100, &inst),
        "a",
        &[],
        w2,
    );
    assert!(
        lab.wait_holder("n1", Duration::from_secs(5)).is_some(),
        "n1 never master\n{}\n{}",
        n1.log(),
        n2.log()
    );
    std::thread::sleep(Duration::from_millis(500));
    let mon_log = lab.path("n1-monitor");
    let mut mon = Proc {
        child: Command::new("ip")
            .args(["-n", &lab.ns("n1"), "monitor", "address"])
            .stdin(Stdio::null())
            .stdout(fs::File::create(&mon_log).expect("monitor log"))
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("ip monitor"),
        log: mon_log,
    };
    std::thread::sleep(Duration::from_millis(200));
    let vpid_file = lab.path("n1-a-vpid");
    let old: i32 = fs::read_to_string(&vpid_file)
        .expect("vrrp pid file")
        .trim()
        .parse()
        .expect("pid");
    // (At 10 ms both may have been master for a moment at startup: count from here.)
    let n2_masters = n2.log().matches("Entering MASTER STATE").count();
    let t0 = Instant::now();
    let killed_at = epoch_now();
    nix::sys::signal::kill(Pid::from_raw(old), Signal::SIGKILL).expect("kill -9 the VRRP child");
    // Watch both nodes for a while: n2 must never hold the VIP, n1 always.
    let mut back = None;
    while t0.elapsed() < Duration::from_secs(3) {
        assert!(
            !lab.holds_vip("n2"),
            "the backup took the VIP during the restart\n{}\n{}",
            n1.log(),
            n2.log()
        );
        if back.is_none() {
            if let Ok(p) = fs::read_to_string(&vpid_file) {
                if p.trim().parse::<i32>().is_ok_and(|p| p != old)
                    && n1.log().contains("resumed in MASTER STATE")
                {
                    back = Some(t0.elapsed());
                }
            }
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let Some(back) = back else {
        panic!("the VRRP child did not come back restored\n{}", n1.log());
    };
    assert!(lab.holds_vip("n1"), "n1 lost the VIP\n{}", n1.log());
    mon.kill(Signal::SIGKILL);
    let _ = mon.child.wait();
    let events = mon.log();
    assert!(
        !events.contains(VIP),
        "the VIP was touched during the restart:\n{events}"
    );
    assert_eq!(
        n2.log().matches("Entering MASTER STATE").count(),
        n2_masters,
        "the backup became master:\n{}",
        n2.log()
    );
    let log1 = n1.log();
    let stand_in = log1
        .lines()
        .find(|l| l.contains("stand-in adverts stopped (the new VRRP child is ready)"))
        .unwrap_or_else(|| panic!("the parent did not stand in for the VRRP child\n{log1}"));
    // On the wire: n1's adverts without a gap the backup would act on, none from n2.
    let seen = advert_times(&obs);
    let from_n2: Vec<_> = seen
        .iter()
        .filter(|(t, src, _)| *t >= killed_at && src == "192.0.2.12")
        .collect();
    assert!(
        from_n2.is_empty(),
        "the observer saw the backup advertise after the kill: {from_n2:?}\n{}",
        obs.log()
    );
    let n1_times: Vec<f64> = seen
        .iter()
        .filter(|(t, src, prio)| *t >= killed_at - 0.2 && src == "192.0.2.11" && *prio == 200)
        .map(|(t, _, _)| *t)
        .collect();
    assert!(
        n1_times.last().is_some_and(|t| *t > killed_at + 2.0),
        "n1's adverts did not go on after the restart\n{}",
        obs.log()
    );
    let (gap, at) = n1_times
        .windows(2)
        .map(|w| (w[1] - w[0], w[0] - killed_at))
        .fold((0.0, 0.0), |m, g| if g.0 > m.0 { g } else { m });
    eprintln!(
        "advert {advert_int}s: VRRP child restored MASTER within {back:?}; max gap in n1's adverts {:.1} ms (from kill{:+.1} ms), Master_Down_Interval {down:?}; parent: {}",
        gap * 1e3,
        at * 1e3,
        stand_in.split("]: ").nth(1).unwrap_or(stand_in)
    );
    assert!(
        gap < down.as_secs_f64(),
        "a gap of {:.1} ms in n1's adverts (Master_Down_Interval {down:?})\n{}",
        gap * 1e3,
        obs.log()
    );
    stand_in.to_string()
}

#[test]
fn hitless_restart_of_the_vrrp_child_100ms() {
    require_root();
    let _g = serial();
    hitless_restart("0.1", [&[], &[]]);
}

/// At 10 ms adverts both daemons run with a realtime priority (`chrt -r 10`), as 10 ms
/// adverts need in production (keepalived's `vrrp_rt_priority`): on a loaded machine a
/// normal-priority process is descheduled for longer than the 36 ms Master_Down_Interval
/// now and then, restart or not (measured here with the machine's load at 11 on 2 CPUs:
/// 5 spurious takeovers by an untouched backup in 30 s, and gaps of 38 ms in an untouched
/// master's adverts a second after a restart). The restart itself is what this test is
/// about: the parent's stand-in adverts cover it.
#[test]
fn hitless_restart_of_the_vrrp_child_10ms() {
    require_root();
    let _g = serial();
    let rt: &[&str] = &["chrt", "-r", "10"];
    hitless_restart("0.01", [rt, rt]);
}

/// As above with n1's children starting 150 ms late (a test knob), four times the backup's
/// Master_Down_Interval: the parent's stand-in adverts alone keep the backup quiet.
#[test]
fn hitless_restart_of_a_slow_vrrp_child_10ms() {
    require_root();
    let _g = serial();
    let rt: &[&str] = &["chrt", "-r", "10"];
    let slow: &[&str] = &[
        "env",
        "KEEPALIVED_RS_TEST_SLOW_START_MS=150",
        "chrt",
        "-r",
        "10",
    ];
    let line = hitless_restart("0.01", [slow, rt]);
    // "... after 153.2 ms: 16 sent, 0 failed, 1 instance(s)"
    let num = |key: &str| -> f64 {
        let i = line.find(key).map_or(0, |i| i + key.len());
        line[i..]
            .split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0.0)
    };
    let (lasted, sent) = (num("after "), num("ms: "));
    assert!(
        lasted >= 150.0 && sent >= 10.0,
        "the parent should have stood in for the whole slow restart: {line}"
    );
}

/// The stand-in adverts cover an immediate restart only: a VRRP child that dies again soon
/// after its restart is restarted after the respawn backoff (1 s), the parent stops
/// advertising for it at once, and the backup takes over as it should; the third child
/// then comes back MASTER with the last state and n1 (priority 200) holds the VIP alone.
#[test]
fn crash_looping_vrrp_child_backs_off_and_the_backup_takes_over() {
    require_root();
    let _g = serial();
    let lab = Lab::up(2);
    let inst = Inst {
        version: 3,
        advert_int: "0.1",
        auth_pass: None,
    };
    let n1 = start(&lab, "n1", Impl::Rs, &config("n1", 200, &inst), "a");
    let n2 = start(&lab, "n2", Impl::Rs, &config("n2", 100, &inst), "a");
    let logs = |n1: &Proc, n2: &Proc| format!("--- n1\n{}\n--- n2\n{}", n1.log(), n2.log());
    assert!(
        lab.wait_holder("n1", Duration::from_secs(5)).is_some(),
        "n1 never master\n{}",
        logs(&n1, &n2)
    );
    let vpid_file = lab.path("n1-a-vpid");
    let vpid = || -> i32 {
        fs::read_to_string(&vpid_file)
            .ok()
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or(0)
    };
    let first = vpid();
    nix::sys::signal::kill(Pid::from_raw(first), Signal::SIGKILL).expect("kill -9");
    let t0 = Instant::now();
    while !(vpid() != first
        && n1
            .log()
            .contains("stand-in adverts stopped (the new VRRP child is ready)"))
    {
        assert!(
            t0.elapsed() < Duration::from_secs(5),
            "no immediate restart\n{}",
            logs(&n1, &n2)
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let second = vpid();
    let n2_masters = n2.log().matches("Entering MASTER STATE").count();
    nix::sys::signal::kill(Pid::from_raw(second), Signal::SIGKILL).expect("kill -9 again");
    let took = lab.wait_vip("n2", Duration::from_secs(1));
    assert!(
        took.is_some(),
        "the backup did not take over while the crashed child's restart was delayed\n{}",
        logs(&n1, &n2)
    );
    let log1 = n1.log();
    assert!(
        log1.contains("Restart of VRRP process delayed 1 seconds")
            && log1.contains("stand-in adverts stopped (the restart is delayed"),
        "{log1}"
    );
    assert!(n2.log().matches("Entering MASTER STATE").count() > n2_masters);
    // The third child restores MASTER; n2 (priority 100) yields.
    assert!(
        lab.wait_holder("n1", Duration::from_secs(5)).is_some(),
        "n1 did not come back as the only master\n{}",
        logs(&n1, &n2)
    );
}

// ---- more scenarios: unicast, IPv6, link down, VIP deleted by hand, reload

impl Lab {
    fn holds(&self, node: &str, vip: &str) -> bool {
        let out = Command::new("ip")
            .args(["-n", &self.ns(node), "addr", "show", "dev", "eth0"])
            .output()
            .expect("ip addr");
        String::from_utf8_lossy(&out.stdout).contains(&format!(" {vip}/"))
    }

    fn wait_alone(&self, node: &str, vip: &str, timeout: Duration) -> Option<Duration> {
        let other = if node == "n1" { "n2" } else { "n1" };
        let t0 = Instant::now();
        while t0.elapsed() < timeout {
            if self.holds(node, vip) && !self.holds(other, vip) {
                return Some(t0.elapsed());
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        None
    }

    fn ip(&self, node: &str, args: &[&str]) {
        let st = Command::new("ip")
            .args(["-n", &self.ns(node)])
            .args(args)
            .status()
            .expect("ip");
        assert!(st.success(), "ip -n {node} {args:?} failed");
    }
}

/// A v3 instance at 100 ms with `vip_line` and extra instance lines.
fn config_v3(prio: u8, vip_line: &str, extra: &str) -> String {
    format!(
        "vrrp_instance VI_1 {{\n    interface eth0\n    virtual_router_id 51\n    priority {prio}\n    version 3\n    advert_int 0.1\n{extra}    virtual_ipaddress {{\n        {vip_line}\n    }}\n}}\n"
    )
}

/// Master election, SIGKILL failover and preemption for an arbitrary pair of configs.
fn election_failover_preempt(lab: &Lab, c1: &str, c2: &str, vip: &str) -> Duration {
    election_failover_preempt_with(lab, (Impl::Rs, c1), (Impl::Rs, c2), vip)
}

fn election_failover_preempt_with(
    lab: &Lab,
    (i1, c1): (Impl, &str),
    (i2, c2): (Impl, &str),
    vip: &str,
) -> Duration {
    let mut n1 = start(lab, "n1", i1, c1, "a");
    let n2 = start(lab, "n2", i2, c2, "a");
    assert!(
        lab.wait_alone("n1", vip, Duration::from_secs(5)).is_some(),
        "n1 never held {vip} alone\n{}\n{}",
        n1.log(),
        n2.log()
    );
    std::thread::sleep(Duration::from_millis(300));
    let t0 = Instant::now();
    n1.kill(Signal::SIGKILL);
    while !lab.holds("n2", vip) && t0.elapsed() < Duration::from_secs(3) {
        std::thread::sleep(Duration::from_millis(1));
    }
    let took = t0.elapsed();
    assert!(
        lab.holds("n2", vip) && took < Duration::from_millis(600),
        "n2 did not take {vip} in time ({took:?})\n{}\n{}",
        n1.log(),
        n2.log()
    );
    drop(n1);
    let n1 = start(lab, "n1", i1, c1, "b");
    assert!(
        lab.wait_alone("n1", vip, Duration::from_secs(5)).is_some(),
        "n1 did not preempt\n{}\n{}",
        n1.log(),
        n2.log()
    );
    took
}

#[test]
fn rs_pair_v3_unicast() {
    require_root();
    let _g = serial();
    let lab = Lab::up(2);
    let took = election_failover_preempt(
        &lab,
        &config_v3(200, "192.0.2.100/24", &uni("192.0.2.11", "192.0.2.12")),
        &config_v3(100, "192.0.2.100/24", &uni("192.0.2.12", "192.0.2.11")),
        VIP,
    );
    eprintln!("unicast v3 100 ms: failover in {took:?}");
}

#[test]
fn rs_pair_v3_ipv6() {
    require_root();
    let _g = serial();
    let lab = Lab::up(2);
    let vip = "2001:db8::100";
    let took = election_failover_preempt(
        &lab,
        &config_v3(200, "2001:db8::100/64", ""),
        &config_v3(100, "2001:db8::100/64", ""),
        vip,
    );
    eprintln!("IPv6 v3 100 ms: failover in {took:?}");
}

#[test]
fn link_down_faults_the_master_and_recovery_preempts() {
    require_root();
    let _g = serial();
    let lab = Lab::up(2);
    let n1 = start(
        &lab,
        "n1",
        Impl::Rs,
        &config_v3(200, "192.0.2.100/24", ""),
        "a",
    );
    let n2 = start(
        &lab,
        "n2",
        Impl::Rs,
        &config_v3(100, "192.0.2.100/24", ""),
        "a",
    );
    assert!(
        lab.wait_alone("n1", VIP, Duration::from_secs(5)).is_some(),
        "n1 never master\n{}\n{}",
        n1.log(),
        n2.log()
    );
    lab.ip("n1", &["link", "set", "eth0", "down"]);
    assert!(
        lab.wait_alone("n2", VIP, Duration::from_secs(3)).is_some(),
        "n2 did not take over when n1's link went down\n{}\n{}",
        n1.log(),
        n2.log()
    );
    assert!(
        n1.log().contains("(VI_1) Entering FAULT STATE"),
        "{}",
        n1.log()
    );
    lab.ip("n1", &["link", "set", "eth0", "up"]);
    assert!(
        lab.wait_alone("n1", VIP, Duration::from_secs(5)).is_some(),
        "n1 did not come back as master after link up\n{}\n{}",
        n1.log(),
        n2.log()
    );
}

#[test]
fn vip_deleted_by_hand_is_restored_and_reload_keeps_master() {
    require_root();
    let _g = serial();
    let lab = Lab::up(2);
    let n1 = start(
        &lab,
        "n1",
        Impl::Rs,
        &config_v3(200, "192.0.2.100/24", ""),
        "a",
    );
    let n2 = start(
        &lab,
        "n2",
        Impl::Rs,
        &config_v3(100, "192.0.2.100/24", ""),
        "a",
    );
    assert!(
        lab.wait_alone("n1", VIP, Duration::from_secs(5)).is_some(),
        "n1 never master\n{}\n{}",
        n1.log(),
        n2.log()
    );
    lab.ip("n1", &["addr", "del", "192.0.2.100/24", "dev", "eth0"]);
    let back = Instant::now();
    while !lab.holds("n1", VIP) && back.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(
        lab.holds("n1", VIP),
        "the VIP deleted by hand was not restored\n{}",
        n1.log()
    );
    // Reload n1 with a second VIP: it stays MASTER (no BACKUP in between), keeps the first
    // VIP and adds the second; n2 never takes over.
    let conf = lab.path("n1-a-conf");
    fs::write(
        &conf,
        config_v3(200, "192.0.2.100/24\n        192.0.2.101/24", ""),
    )
    .expect("rewrite config");
    let parent: i32 = fs::read_to_string(lab.path("n1-a-pid"))
        .expect("pid file")
        .trim()
        .parse()
        .expect("pid");
    nix::sys::signal::kill(Pid::from_raw(parent), Signal::SIGHUP).expect("HUP");
    let t0 = Instant::now();
    while !lab.holds("n1", "192.0.2.101") && t0.elapsed() < Duration::from_secs(3) {
        assert!(!lab.holds("n2", VIP), "n2 took over during the reload");
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(
        lab.holds("n1", "192.0.2.101") && lab.holds("n1", VIP),
        "reload did not apply the new VIP\n{}",
        n1.log()
    );
    assert!(
        n1.log().contains("1 instances keep their state"),
        "{}",
        n1.log()
    );
    assert_eq!(
        n1.log().matches("Entering BACKUP STATE").count(),
        1,
        "n1 went through BACKUP again on reload\n{}",
        n1.log()
    );
    assert!(!lab.holds("n2", VIP), "n2 holds the VIP\n{}", n2.log());
    // Reload back to one VIP: the dropped one is removed, the kept one stays.
    fs::write(&conf, config_v3(200, "192.0.2.100/24", "")).expect("rewrite config");
    nix::sys::signal::kill(Pid::from_raw(parent), Signal::SIGHUP).expect("HUP");
    let t0 = Instant::now();
    while lab.holds("n1", "192.0.2.101") && t0.elapsed() < Duration::from_secs(3) {
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(
        !lab.holds("n1", "192.0.2.101") && lab.holds("n1", VIP),
        "reload did not drop the removed VIP only\n{}",
        n1.log()
    );
    assert!(!lab.holds("n2", VIP), "n2 holds the VIP\n{}", n2.log());
}

fn uni(me: &str, peer: &str) -> String {
    format!("    unicast_src_ip {me}\n    unicast_peer {{\n        {peer}\n    }}\n")
}

/// Stand-in adverts for IPv6 unicast (the parent sends with the child's IPV6_PKTINFO source
/// and the kernel's checksum on the child's socket): n1's VRRP child restarts 500 ms late
/// (a test knob; Master_Down_Interval 180 ms at 50 ms adverts) and the backup still never
/// becomes master nor takes the VIP.
#[test]
fn hitless_restart_ipv6_unicast_slow_child() {
    require_root();
    let _g = serial();
    let lab = Lab::up(2);
    let vip = "2001:db8::100";
    let conf = |prio: u8, me: &str, peer: &str| {
        config_v3(prio, "2001:db8::100/64", &uni(me, peer))
            .replace("advert_int 0.1", "advert_int 0.05")
    };
    let n1 = start_wrapped(
        &lab,
        "n1",
        Impl::Rs,
        &conf(200, "2001:db8::11", "2001:db8::12"),
        "a",
        &[],
        &["env", "KEEPALIVED_RS_TEST_SLOW_START_MS=500"],
    );
    let n2 = start(
        &lab,
        "n2",
        Impl::Rs,
        &conf(100, "2001:db8::12", "2001:db8::11"),
        "a",
    );
    let logs = |n1: &Proc, n2: &Proc| format!("--- n1\n{}\n--- n2\n{}", n1.log(), n2.log());
    assert!(
        lab.wait_alone("n1", vip, Duration::from_secs(5)).is_some(),
        "n1 never master alone\n{}",
        logs(&n1, &n2)
    );
    std::thread::sleep(Duration::from_millis(300));
    let n2_masters = n2.log().matches("Entering MASTER STATE").count();
    let old: i32 = fs::read_to_string(lab.path("n1-a-vpid"))
        .expect("vrrp pid file")
        .trim()
        .parse()
        .expect("pid");
    nix::sys::signal::kill(Pid::from_raw(old), Signal::SIGKILL).expect("kill -9 the VRRP child");
    let t0 = Instant::now();
    let mut line = None;
    while t0.elapsed() < Duration::from_secs(3) {
        assert!(
            !lab.holds("n2", vip),
            "the backup took the VIP\n{}",
            logs(&n1, &n2)
        );
        line = n1
            .log()
            .lines()
            .find(|l| l.contains("stand-in adverts stopped (the new VRRP child is ready)"))
            .map(String::from);
        if line.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let line = line.unwrap_or_else(|| panic!("no stand-in\n{}", logs(&n1, &n2)));
    eprintln!("IPv6 unicast, 500 ms restart: {line}");
    assert!(line.contains(" 0 failed"), "{line}");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        n2.log().matches("Entering MASTER STATE").count(),
        n2_masters,
        "the backup became master\n{}",
        logs(&n1, &n2)
    );
    assert!(
        lab.holds("n1", vip) && !lab.holds("n2", vip),
        "{}",
        logs(&n1, &n2)
    );
}

/// Interop with keepalived 2.2.7, both ways round: v3 unicast and v3 IPv6.
#[test]
fn interop_v3_unicast_and_ipv6_both_ways() {
    require_root();
    let _g = serial();
    for (a, b) in [(Impl::Keepalived, Impl::Rs), (Impl::Rs, Impl::Keepalived)] {
        let lab = Lab::up(2);
        let took = election_failover_preempt_with(
            &lab,
            (
                a,
                &config_v3(200, "192.0.2.100/24", &uni("192.0.2.11", "192.0.2.12")),
            ),
            (
                b,
                &config_v3(100, "192.0.2.100/24", &uni("192.0.2.12", "192.0.2.11")),
            ),
            VIP,
        );
        eprintln!("{a:?}->{b:?} unicast v3 100 ms: failover in {took:?}");
        drop(lab);
        let lab = Lab::up(2);
        let took = election_failover_preempt_with(
            &lab,
            (a, &config_v3(200, "2001:db8::100/64", "")),
            (b, &config_v3(100, "2001:db8::100/64", "")),
            "2001:db8::100",
        );
        eprintln!("{a:?}->{b:?} IPv6 v3 100 ms: failover in {took:?}");
    }
}

/// Sends malformed adverts from the observer (a Python raw socket): truncated, bad
/// checksum, TTL 1, version 2 to a v3 instance, unknown VRID, garbage; each 30 times and
/// all with priority 250 (higher than the master's, so any one accepted would show).
const BAD_PACKETS: &str = r#"
import socket, struct, sys
def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff
src, dst = socket.inet_aton("192.0.2.250"), socket.inet_aton("224.0.0.18")
def v3(vrid, prio, ver=3, good=True):
    body = struct.pack("!BBBBH", (ver << 4) | 1, vrid, prio, 1, 10) + b"\0\0" + socket.inet_aton("192.0.2.100")
    c = csum(src + dst + struct.pack("!BBH", 0, 112, len(body)) + body)
    if not good: c ^= 0x5a5a
    return body[:6] + struct.pack("!H", c) + body[8:]
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, src)
def send(p, ttl=255):
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, ttl)
    s.sendto(p, ("224.0.0.18", 0))
for _ in range(30):
    send(v3(51, 250)[:5])
    send(v3(51, 250, good=False))
    send(v3(51, 250), ttl=1)
    send(v3(51, 250, ver=2) + bytes(8))
    send(v3(99, 250))
    send(bytes([0x31, 51]) + bytes(range(7, 107)))
"#;

#[test]
fn malformed_adverts_are_dropped_counted_and_logged_at_a_rate_limit() {
    require_root();
    let _g = serial();
    let lab = Lab::up(2);
    let n1 = start(
        &lab,
        "n1",
        Impl::Rs,
        &config_v3(200, "192.0.2.100/24", ""),
        "a",
    );
    let n2 = start(
        &lab,
        "n2",
        Impl::Rs,
        &config_v3(100, "192.0.2.100/24", ""),
        "a",
    );
    assert!(
        lab.wait_alone("n1", VIP, Duration::from_secs(5)).is_some(),
        "n1 never master\n{}\n{}",
        n1.log(),
        n2.log()
    );
    let vpid = fs::read_to_string(lab.path("n1-a-vpid")).expect("vrrp pid");
    let st = Command::new("ip")
        .args([
            "netns",
            "exec",
            &lab.ns("obs"),
            "python3",
            "-c",
            BAD_PACKETS,
        ])
        .status()
        .expect("python3");
    assert!(st.success(), "sending the bad packets failed");
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        lab.wait_alone("n1", VIP, Duration::from_secs(1)).is_some(),
        "a malformed advert moved the VIP\n{}",
        n1.log()
    );
    assert_eq!(
        fs::read_to_string(lab.path("n1-a-vpid")).expect("vrrp pid"),
        vpid,
        "the VRRP child restarted\n{}",
        n1.log()
    );
    assert_eq!(
        n1.log().matches("Entering BACKUP STATE").count(),
        1,
        "{}",
        n1.log()
    );
    // The JSON dump counts each kind.
    let json_sig = Command::new(binary())
        .arg("--signum=JSON")
        .output()
        .expect("--signum");
    let sig = String::from_utf8_lossy(&json_sig.stdout).trim().to_string();
    let parent = fs::read_to_string(lab.path("n1-a-pid")).expect("pid");
    let st = Command::new("kill")
        .args([&format!("-{sig}"), parent.trim()])
        .status()
        .expect("kill");
    assert!(st.success());
    let dump = lab.path("keepalived.json");
    let t0 = Instant::now();
    while !dump.exists() && t0.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let text = fs::read_to_string(&dump).expect("keepalived.json written");
    let v: serde_json::Value = serde_json::from_str(&text).expect("JSON dump");
    let errs = &v["vrrp"]["rx_errors"];
    for kind in [
        "packet_len_err",
        "chk_err",
        "ip_ttl_err",
        "vers_err",
        "unknown_vrid",
    ] {
        assert!(
            errs[kind].as_u64().unwrap_or(0) >= 30,
            "{kind} not counted: {errs}"
        );
    }
    // Rate limit: one log line per kind per 10 s, not 30.
    let logged = n1.log().matches("(dropped;").count();
    assert!(
        (5..=8).contains(&logged),
        "expected one line per kind, got {logged}\n{}",
        n1.log()
    );
}

/// `-V`: on SIGTERM the MASTER still sends priority 0 (the backup takes over at once) but
/// leaves its VIP in place.
#[test]
fn dont_release_vrrp_keeps_the_vip_on_stop() {
    require_root();
    let _g = serial();
    let lab = Lab::up(2);
    let conf = config_v3(200, "192.0.2.100/24", "");
    let mut n1 = start_args(&lab, "n1", Impl::Rs, &conf, "a", &["-V"]);
    let n2 = start(
        &lab,
        "n2",
        Impl::Rs,
        &config_v3(100, "192.0.2.100/24", ""),
        "a",
    );
    assert!(
        lab.wait_alone("n1", VIP, Duration::from_secs(5)).is_some(),
        "n1 never master\n{}\n{}",
        n1.log(),
        n2.log()
    );
    n1.kill(Signal::SIGTERM);
    assert!(n1.wait_exit(Duration::from_secs(5)), "n1 did not exit");
    assert!(
        lab.wait_vip("n2", Duration::from_secs(1)).is_some(),
        "n2 did not take over\n{}",
        n2.log()
    );
    assert!(lab.holds_vip("n1"), "-V: n1 removed its VIP\n{}", n1.log());
    assert!(
        n1.log().contains("-V: leaving the VIPs in place"),
        "{}",
        n1.log()
    );
}
