//! End-to-end tests of tracking at `vrrp_sync_group` level (issue 5, item 3): a group-level
//! `track_script` (weight 0) or `track_interface` failing on one node puts both members of
//! its group in FAULT, so the peer takes both VIPs; recovery brings them back; a weighted
//! group tracker lowers both members' priority so the peer preempts both. Runs the
//! real keepalived-rs binary, and Debian's keepalived 2.2.7 as the peer or as the node under
//! test, in namespaces this file creates (`kst<pid>x<n>-*`, veth pairs, documentation
//! addresses only). Uses `Proc`/`Impl` of tests/vrrp_lab. Needs root; fails (never skips)
//! without it. Run: `cargo test -p keepalived-rs-tests --test vrrp_synctrack_e2e`.

mod vrrp_lab;

use std::fs;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use keepalived_rs_tests::{binary, keepalived, require_root};
use vrrp_lab::{delete_netns, wait_for, Impl, Netns, Proc};

const VIP1: &str = "192.0.2.100";
const VIP2: &str = "198.51.100.100";

fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|p| p.into_inner())
}

/// Two nodes joined by two veth links (eth0: 192.0.2.0/24, eth1: 198.51.100.0/24); n1 also
/// has `trk`, a veth pair of its own to track. Namespaces are deleted on drop after
/// SIGKILL to whatever runs in them.
struct Pair {
    prefix: String,
    dir: tempfile::TempDir,
}

impl Pair {
    fn new() -> Pair {
        require_root();
        static N: AtomicU32 = AtomicU32::new(0);
        let p = Pair {
            prefix: format!(
                "kst{}x{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ),
            dir: tempfile::tempdir().expect("tempdir"),
        };
        for n in ["n1", "n2"] {
            run(&["ip", "netns", "add", &p.ns(n)]);
            p.ip(n, &["link", "set", "lo", "up"]);
        }
        for (link, net) in [(0, "192.0.2"), (1, "198.51.100")] {
            let ifname = format!("eth{link}");
            run(&[
                "ip",
                "-n",
                &p.ns("n1"),
                "link",
                "add",
                &ifname,
                "type",
                "veth",
                "peer",
                "name",
                &ifname,
                "netns",
                &p.ns("n2"),
            ]);
            for (node, host) in [("n1", 1), ("n2", 2)] {
                p.ip(
                    node,
                    &["addr", "add", &format!("{net}.{host}/24"), "dev", &ifname],
                );
                p.ip(node, &["link", "set", &ifname, "up"]);
            }
        }
        p.ip(
            "n1",
            &["link", "add", "trk", "type", "veth", "peer", "name", "trkp"],
        );
        p.ip("n1", &["link", "set", "trkp", "up"]);
        p.ip("n1", &["link", "set", "trk", "up"]);
        p
    }

    fn ns(&self, node: &str) -> String {
        format!("{}-{node}", self.prefix)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn ip(&self, node: &str, args: &[&str]) {
        let st = Command::new("ip")
            .args(["-n", &self.ns(node)])
            .args(args)
            .status()
            .expect("ip");
        assert!(st.success(), "ip -n {node} {args:?} failed");
    }

    fn both(&self, node: &str) -> bool {
        self.holds_on(node, "eth0", VIP1) && self.holds_on(node, "eth1", VIP2)
    }

    fn none(&self, node: &str) -> bool {
        !self.holds_on(node, "eth0", VIP1) && !self.holds_on(node, "eth1", VIP2)
    }

    /// `node` holds both VIPs and the other node neither.
    fn owner_is(&self, node: &str) -> bool {
        let other = if node == "n1" { "n2" } else { "n1" };
        self.both(node) && self.none(other)
    }

    fn start(&self, node: &str, which: Impl, conf: &str) -> Proc {
        let f = |n: &str| self.path(&format!("{node}-{n}")).display().to_string();
        fs::write(f("conf"), conf).expect("write config");
        let log = self.path(&format!("{node}-log"));
        let logf = fs::File::create(&log).expect("log file");
        let bin = match which {
            Impl::Rs => binary(),
            Impl::Keepalived => keepalived(),
        };
        let child = Command::new("ip")
            .args(["netns", "exec", &self.ns(node)])
            .arg(bin)
            .args(["-n", "-l", "-D", "-P", "-f", &f("conf"), "-p", &f("pid")])
            .args(["-r", &f("vpid"), "-c", &f("cpid")])
            .env("TMPDIR", self.dir.path())
            .env_remove("NOTIFY_SOCKET")
            .stdin(Stdio::null())
            .stdout(logf.try_clone().expect("dup log"))
            .stderr(logf)
            .process_group(0)
            .spawn()
            .expect("spawn daemon");
        Proc { child, log }
    }
}

impl Netns for Pair {
    fn ns(&self, node: &str) -> String {
        Pair::ns(self, node)
    }

    fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Pair {
    fn drop(&mut self) {
        delete_netns(&[self.ns("n1"), self.ns("n2")]);
    }
}

fn run(args: &[&str]) {
    let st = Command::new(args[0])
        .args(&args[1..])
        .status()
        .expect("run command");
    assert!(st.success(), "{args:?} failed");
}

/// Both instances in one group; `group_extra` goes inside the `vrrp_sync_group` block.
fn conf(prio: u8, scripts: &str, group_extra: &str) -> String {
    format!(
        "{scripts}vrrp_sync_group G1 {{\n group {{\n  VI_1\n  VI_2\n }}\n{group_extra}}}\n\
         vrrp_instance VI_1 {{\n interface eth0\n virtual_router_id 51\n priority {prio}\n version 3\n advert_int 0.1\n virtual_ipaddress {{\n  {VIP1}/24\n }}\n}}\n\
         vrrp_instance VI_2 {{\n interface eth1\n virtual_router_id 52\n priority {prio}\n version 3\n advert_int 0.1\n virtual_ipaddress {{\n  {VIP2}/24\n }}\n}}\n"
    )
}

/// n1 (`a`, priority 200) tracks a script (failing while a flag file exists) and `trk`
/// at group level, weight 0; n2 (`b`, 100) tracks nothing. Each failure puts both of
/// n1's instances in FAULT and n2 takes both VIPs; each recovery gives them back (n1
/// preempts).
fn group_tracking(a: Impl, b: Impl) {
    let p = Pair::new();
    let flag = p.path("fail-flag");
    let scripts = format!(
        "vrrp_script chk {{\n script \"/usr/bin/test ! -e {}\"\n interval 1\n fall 1\n rise 1\n}}\n",
        flag.display()
    );
    let n1 = p.start(
        "n1",
        a,
        &conf(
            200,
            &scripts,
            " track_script {\n  chk\n }\n track_interface {\n  trk\n }\n",
        ),
    );
    let n2 = p.start("n2", b, &conf(100, "", ""));
    let procs = [&n1, &n2];
    wait_for(
        "n1 MASTER of both",
        Duration::from_secs(15),
        || p.owner_is("n1"),
        &procs,
    );

    // The group's script fails: both of n1's instances go to FAULT (VI_2's link is fine,
    // so only the group-level tracker can move it).
    fs::write(&flag, "").expect("flag");
    let t0 = Instant::now();
    wait_for(
        "n2 MASTER of both after n1's group script failed",
        Duration::from_secs(10),
        || p.owner_is("n2"),
        &procs,
    );
    let script_took = t0.elapsed();
    std::thread::sleep(Duration::from_millis(500));
    assert!(p.owner_is("n2"), "{}\n{}", n1.log(), n2.log());
    fs::remove_file(&flag).expect("unflag");
    wait_for(
        "n1 MASTER of both after its script recovered",
        Duration::from_secs(10),
        || p.owner_is("n1"),
        &procs,
    );

    // The group's interface goes down: same story.
    std::thread::sleep(Duration::from_millis(300));
    let t0 = Instant::now();
    p.ip("n1", &["link", "set", "trk", "down"]);
    wait_for(
        "n2 MASTER of both after n1's tracked interface went down",
        Duration::from_secs(5),
        || p.owner_is("n2"),
        &procs,
    );
    let link_took = t0.elapsed();
    std::thread::sleep(Duration::from_millis(500));
    assert!(p.owner_is("n2"), "{}\n{}", n1.log(), n2.log());
    p.ip("n1", &["link", "set", "trk", "up"]);
    wait_for(
        "n1 MASTER of both after its tracked interface came back",
        Duration::from_secs(10),
        || p.owner_is("n1"),
        &procs,
    );
    if a == Impl::Rs {
        let log = n1.log();
        assert!(log.contains("VRRP_Script(chk) failed"), "{log}");
    }
    eprintln!(
        "group tracking {a:?}/{b:?}: both VIPs on the peer {script_took:?} after the flag (1 s script interval), {link_took:?} after link down"
    );
}

#[test]
fn group_track_script_and_interface_fault_both_members() {
    let _g = serial();
    group_tracking(Impl::Rs, Impl::Rs);
}

#[test]
fn group_tracking_interop_with_keepalived_as_the_peer() {
    let _g = serial();
    group_tracking(Impl::Rs, Impl::Keepalived);
}

/// The reference: Debian's keepalived as the node under test, keepalived-rs as the peer,
/// must behave the same on the same configuration.
#[test]
fn keepalived_as_the_tracking_node_does_the_same() {
    let _g = serial();
    group_tracking(Impl::Keepalived, Impl::Rs);
}

/// A weighted group tracker moves every member's priority: n1 (`a`, 200) tracks `trk`
/// with weight -150 at group level, so its link going down leaves both members at 50 and
/// n2 (`b`, 100) preempts both VIPs (BACKUP, not FAULT); back up, n1 preempts again.
/// keepalived 2.2.7 honours a group tracker's weight without `sync_group_tracking_weight`.
fn group_weight(a: Impl, b: Impl) {
    let p = Pair::new();
    let n1 = p.start(
        "n1",
        a,
        &conf(200, "", " track_interface {\n  trk weight -150\n }\n"),
    );
    let n2 = p.start("n2", b, &conf(100, "", ""));
    let procs = [&n1, &n2];
    wait_for(
        "n1 MASTER of both",
        Duration::from_secs(15),
        || p.owner_is("n1"),
        &procs,
    );
    std::thread::sleep(Duration::from_millis(300));
    p.ip("n1", &["link", "set", "trk", "down"]);
    wait_for(
        "n2 MASTER of both once n1's members dropped to priority 50",
        Duration::from_secs(5),
        || p.owner_is("n2"),
        &procs,
    );
    std::thread::sleep(Duration::from_millis(500));
    assert!(p.owner_is("n2"), "{}\n{}", n1.log(), n2.log());
    if a == Impl::Rs {
        let log = n1.log();
        assert!(!log.contains("(VI_2) Entering FAULT"), "{log}");
    }
    p.ip("n1", &["link", "set", "trk", "up"]);
    wait_for(
        "n1 MASTER of both at priority 200 again",
        Duration::from_secs(10),
        || p.owner_is("n1"),
        &procs,
    );
}

#[test]
fn a_weighted_group_tracker_moves_both_members() {
    let _g = serial();
    group_weight(Impl::Rs, Impl::Rs);
}

#[test]
fn keepalived_moves_both_members_on_a_weighted_group_tracker_too() {
    let _g = serial();
    group_weight(Impl::Keepalived, Impl::Rs);
}
