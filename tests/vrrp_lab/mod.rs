//! Helpers shared by the VRRP end-to-end tests (tests/vrrp_e2e.rs, vrrp_election.rs,
//! vrrp_track_e2e.rs, vrrp_notify_e2e.rs, vrrp_routes_e2e.rs, each `mod vrrp_lab;`): a
//! `scripts/lab` namespace lab of N nodes and an observer, daemons (keepalived-rs or
//! Debian's keepalived) started in it (or in any [`Netns`] a test builds itself), and the
//! observer's tcpdump capture parsed into adverts, so each test can assert which node holds
//! the VIP and what went over the wire.
//!
//! Node `nI` has 192.0.2.(10+I) and 2001:db8::(10+I); the observer 192.0.2.250. A lab from
//! [`Lab::up`] has a bridge that learns no addresses (learning off on every port, its table
//! flushed), so it floods every frame and the observer sees unicast adverts too.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::fs;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use keepalived_rs_tests::{binary, keepalived, workspace_root};
use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;

pub const VIP: &str = "192.0.2.100";

/// Tests of one binary run one at a time: they measure failover times.
pub fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|p| p.into_inner())
}

/// Where daemons run: names a node's namespace and holds the test's files.
pub trait Netns {
    /// The namespace of `node`.
    fn ns(&self, node: &str) -> String;
    /// The directory for configs, logs and pid files (the daemons' TMPDIR).
    fn dir(&self) -> &Path;

    /// Whether `node` has `vip` on `ifname` now.
    fn holds_on(&self, node: &str, ifname: &str, vip: &str) -> bool {
        let out = Command::new("ip")
            .args(["-n", &self.ns(node), "addr", "show", "dev", ifname])
            .output()
            .expect("ip addr");
        String::from_utf8_lossy(&out.stdout).contains(&format!(" {vip}/"))
    }
}

/// A `scripts/lab` instance with a unique prefix; `down` on drop.
pub struct Lab {
    pub prefix: String,
    pub dir: tempfile::TempDir,
    nodes: u32,
}

impl Netns for Lab {
    fn ns(&self, node: &str) -> String {
        Lab::ns(self, node)
    }

    fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Lab {
    /// `nodes` nodes and the observer (prefix `kvl<pid>x<n>`) on a bridge that floods.
    pub fn up(nodes: u32) -> Lab {
        Lab::up_tagged("kvl", nodes)
    }

    /// As [`Lab::up`], prefix `<tag><pid>x<n>`.
    pub fn up_tagged(tag: &str, nodes: u32) -> Lab {
        let lab = Lab::learning(tag, nodes);
        // A bridge that learns nothing floods every frame: the observer is a tap that
        // sees unicast adverts as well as multicast ones.
        let mut ports: Vec<String> = (1..=nodes).map(|i| format!("n{i}")).collect();
        ports.push("obs".into());
        for port in &ports {
            lab.bridge_port(port, "learning", "off");
        }
        // Forget what it learnt while the lab came up (entries would live for 300 s).
        lab.ip(
            "br",
            &["link", "set", "dev", "br0", "type", "bridge", "fdb_flush"],
        );
        lab
    }

    /// `scripts/lab up` as it is (the bridge learns), prefix `<tag><pid>x<n>`: for tests
    /// that look at the bridge's forwarding table.
    pub fn learning(tag: &str, nodes: u32) -> Lab {
        static N: AtomicU32 = AtomicU32::new(0);
        let prefix = format!(
            "{tag}{}x{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let lab = Lab {
            prefix,
            dir: tempfile::tempdir().expect("tempdir"),
            nodes,
        };
        let out = lab.script(&["up", &nodes.to_string()]);
        assert!(out.status.success(), "lab up failed: {out:?}");
        lab
    }

    pub fn script(&self, args: &[&str]) -> std::process::Output {
        Command::new(workspace_root().join("scripts/lab"))
            .args(args)
            .args(["--prefix", &self.prefix])
            .output()
            .expect("run scripts/lab")
    }

    pub fn ns(&self, node: &str) -> String {
        format!("{}-{node}", self.prefix)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// n1..nN.
    pub fn node_names(&self) -> Vec<String> {
        (1..=self.nodes).map(|i| format!("n{i}")).collect()
    }

    /// `nI`'s IPv4 address, 192.0.2.(10+I).
    pub fn addr4(node: &str) -> String {
        let i: u32 = node
            .strip_prefix('n')
            .and_then(|n| n.parse().ok())
            .expect("node name nI");
        format!("192.0.2.{}", 10 + i)
    }

    /// The node's IPv6 link-local address (the source of its IPv6 adverts).
    pub fn link_local(&self, node: &str) -> String {
        let out = Command::new("ip")
            .args([
                "-n",
                &self.ns(node),
                "-6",
                "-o",
                "addr",
                "show",
                "dev",
                "eth0",
            ])
            .args(["scope", "link"])
            .output()
            .expect("ip addr");
        let text = String::from_utf8_lossy(&out.stdout);
        text.split_whitespace()
            .skip_while(|w| *w != "inet6")
            .nth(1)
            .and_then(|a| a.split('/').next())
            .unwrap_or_else(|| panic!("no link-local address on {node}: {text}"))
            .to_string()
    }

    pub fn holds_vip(&self, node: &str) -> bool {
        self.holds(node, VIP)
    }

    pub fn holds(&self, node: &str, vip: &str) -> bool {
        self.holds_on(node, "eth0", vip)
    }

    /// The nodes holding `vip` now.
    pub fn holders(&self, vip: &str) -> Vec<String> {
        self.node_names()
            .into_iter()
            .filter(|n| self.holds(n, vip))
            .collect()
    }

    /// Waits until exactly `node` of the lab's nodes holds [`VIP`]; returns how long it took.
    pub fn wait_holder(&self, node: &str, timeout: Duration) -> Option<Duration> {
        self.wait_alone(node, VIP, timeout)
    }

    /// Waits until `node` holds `vip` and no other node does.
    pub fn wait_alone(&self, node: &str, vip: &str, timeout: Duration) -> Option<Duration> {
        let t0 = Instant::now();
        while t0.elapsed() < timeout {
            if self.holders(vip) == [node] {
                return Some(t0.elapsed());
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        None
    }

    /// Asserts that `node` comes to hold `vip` alone within `timeout` (as [`Lab::wait_alone`]);
    /// else panics with `what` and the logs of `procs`, one a line. Returns how long it took.
    pub fn expect_alone(
        &self,
        node: &str,
        vip: &str,
        timeout: Duration,
        what: &str,
        procs: &[&Proc],
    ) -> Duration {
        match self.wait_alone(node, vip, timeout) {
            Some(took) => took,
            None => {
                let logs: Vec<String> = procs.iter().map(|p| p.log()).collect();
                panic!("{what}\n{}", logs.join("\n"))
            }
        }
    }

    /// [`Lab::expect_alone`] for [`VIP`].
    pub fn expect_holder(
        &self,
        node: &str,
        timeout: Duration,
        what: &str,
        procs: &[&Proc],
    ) -> Duration {
        self.expect_alone(node, VIP, timeout, what, procs)
    }

    /// [`Lab::expect_holder`] with the message "NODE never master".
    pub fn expect_master(&self, node: &str, timeout: Duration, procs: &[&Proc]) -> Duration {
        self.expect_holder(node, timeout, &format!("{node} never master"), procs)
    }

    /// Waits until `node` holds the VIP (whether or not another still does).
    pub fn wait_vip(&self, node: &str, timeout: Duration) -> Option<Duration> {
        let t0 = Instant::now();
        while t0.elapsed() < timeout {
            if self.holds_vip(node) {
                return Some(t0.elapsed());
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        None
    }

    /// Sets the lab bridge's port `port` (a node's name) `key value` (`bridge_slave` options).
    pub fn bridge_port(&self, port: &str, key: &str, value: &str) {
        self.ip(
            "br",
            &[
                "link",
                "set",
                "dev",
                port,
                "type",
                "bridge_slave",
                key,
                value,
            ],
        );
    }

    /// `ip -n NODE ARGS...`, which must succeed.
    pub fn ip(&self, node: &str, args: &[&str]) {
        let st = Command::new("ip")
            .args(["-n", &self.ns(node)])
            .args(args)
            .status()
            .expect("ip");
        assert!(st.success(), "ip -n {node} {args:?} failed");
    }

    /// `ip -n NODE ARGS...`'s standard output (empty on failure, which is not checked).
    pub fn ip_out(&self, node: &str, args: &[&str]) -> String {
        let out = Command::new("ip")
            .args(["-n", &self.ns(node)])
            .args(args)
            .output()
            .expect("ip");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A command in NODE's namespace; its standard output.
    pub fn exec(&self, node: &str, args: &[&str]) -> String {
        let out = Command::new("ip")
            .args(["netns", "exec", &self.ns(node)])
            .args(args)
            .output()
            .expect("ip netns exec");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Whether NODE has address `addr` (on any interface).
    pub fn has_addr(&self, node: &str, addr: &str) -> bool {
        self.ip_out(node, &["addr"]).contains(&format!(" {addr}/"))
    }

    /// A sysctl of NODE, e.g. `net/ipv4/conf/eth0/arp_ignore`; None if missing.
    pub fn sysctl(&self, node: &str, key: &str) -> Option<String> {
        let v = self.exec(node, &["cat", &format!("/proc/sys/{key}")]);
        let v = v.trim();
        (!v.is_empty()).then(|| v.to_string())
    }

    /// Polls `f` every 10 ms until it holds or `timeout` passes.
    pub fn wait(&self, timeout: Duration, mut f: impl FnMut() -> bool) -> bool {
        let t0 = Instant::now();
        loop {
            if f() {
                return true;
            }
            if t0.elapsed() > timeout {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// After a SIGKILL the dead node's VIP stays in its namespace; remove it as a dead
    /// host's would vanish, so "who holds the VIP" means the live nodes.
    pub fn clear_stale_vip(&self, node: &str, vip_cidr: &str) {
        let _ = Command::new("ip")
            .args(["-n", &self.ns(node), "addr", "del", vip_cidr, "dev", "eth0"])
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let _ = self.script(&["down"]);
    }
}

/// Deletes the namespaces `names` after SIGKILL to whatever runs in them (for a test's
/// own namespaces, in its `Drop`; errors are ignored: the namespace may be gone already).
pub fn delete_netns(names: &[String]) {
    for ns in names {
        if let Ok(out) = Command::new("ip").args(["netns", "pids", ns]).output() {
            for pid in String::from_utf8_lossy(&out.stdout).split_whitespace() {
                if let Ok(p) = pid.parse::<i32>() {
                    let _ = nix::sys::signal::kill(Pid::from_raw(p), Signal::SIGKILL);
                }
            }
        }
    }
    std::thread::sleep(Duration::from_millis(50));
    for ns in names {
        let _ = Command::new("ip").args(["netns", "del", ns]).status();
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Impl {
    Rs,
    Keepalived,
}

/// A daemon (or tcpdump) in a lab namespace, in its own process group.
pub struct Proc {
    pub child: Child,
    pub log: PathBuf,
}

impl Proc {
    pub fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn kill(&mut self, sig: Signal) {
        let _ = killpg(Pid::from_raw(self.child.id() as i32), sig);
    }

    /// SIGTERM to the daemon itself (`ip netns exec` execs it), not to its group: its
    /// children must be stopped by it.
    pub fn term(&mut self) {
        let _ = nix::sys::signal::kill(Pid::from_raw(self.child.id() as i32), Signal::SIGTERM);
    }

    /// [`Proc::term`], then waits for the exit.
    pub fn term_and_wait(&mut self, timeout: Duration) -> bool {
        self.term();
        self.wait_exit(timeout)
    }

    pub fn wait_exit(&mut self, timeout: Duration) -> bool {
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

pub struct Inst<'a> {
    pub version: u8,
    pub advert_int: &'a str,
    pub auth_pass: Option<&'a str>,
}

impl<'a> Inst<'a> {
    /// VRRPv3 advertising every `advert_int` seconds, no authentication.
    pub fn v3(advert_int: &'a str) -> Inst<'a> {
        Inst {
            version: 3,
            advert_int,
            auth_pass: None,
        }
    }
}

pub fn config(router_id: &str, prio: u8, i: &Inst) -> String {
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

/// A v3 instance at 100 ms with `vip_line` and extra instance lines.
pub fn config_v3(prio: u8, vip_line: &str, extra: &str) -> String {
    config_v3_at(prio, "0.1", vip_line, extra)
}

/// A v3 instance (VRID 51 on eth0) advertising every `advert_int` seconds.
pub fn config_v3_at(prio: u8, advert_int: &str, vip_line: &str, extra: &str) -> String {
    format!(
        "vrrp_instance VI_1 {{\n    interface eth0\n    virtual_router_id 51\n    priority {prio}\n    version 3\n    advert_int {advert_int}\n{extra}    virtual_ipaddress {{\n        {vip_line}\n    }}\n}}\n"
    )
}

/// keepalived-rs in n1 (priority 200) and n2 (priority 100), both [`config_v3`] with
/// `vip_line`, tag "a".
pub fn rs_pair_v3(lab: &Lab, vip_line: &str) -> (Proc, Proc) {
    let n1 = start(lab, "n1", Impl::Rs, &config_v3(200, vip_line, ""), "a");
    let n2 = start(lab, "n2", Impl::Rs, &config_v3(100, vip_line, ""), "a");
    (n1, n2)
}

/// `unicast_src_ip` and one `unicast_peer`.
pub fn uni(me: &str, peer: &str) -> String {
    format!("    unicast_src_ip {me}\n    unicast_peer {{\n        {peer}\n    }}\n")
}

pub fn start(lab: &impl Netns, node: &str, which: Impl, conf: &str, tag: &str) -> Proc {
    start_args(lab, node, which, conf, tag, &[])
}

pub fn start_args(
    lab: &impl Netns,
    node: &str,
    which: Impl,
    conf: &str,
    tag: &str,
    extra: &[&str],
) -> Proc {
    start_wrapped(lab, node, which, conf, tag, extra, &[])
}

/// As [`start_args`], the daemon run through `wrapper` (e.g. `chrt -r 10`).
pub fn start_wrapped(
    lab: &impl Netns,
    node: &str,
    which: Impl,
    conf: &str,
    tag: &str,
    extra: &[&str],
    wrapper: &[&str],
) -> Proc {
    let mut flags = vec!["-P"];
    flags.extend_from_slice(extra);
    launch(lab, node, which, conf, tag, &flags, wrapper)
}

/// Starts `which` in NODE as `WRAPPER... BINARY -n -l FLAGS... -f CONF -p PID -r VPID -c CPID`,
/// its files `NODE-TAG-{conf,log,pid,vpid,cpid}` in the test's directory (also its TMPDIR).
pub fn launch(
    lab: &impl Netns,
    node: &str,
    which: Impl,
    conf: &str,
    tag: &str,
    flags: &[&str],
    wrapper: &[&str],
) -> Proc {
    let f = |n: &str| lab.dir().join(format!("{node}-{tag}-{n}"));
    fs::write(f("conf"), conf).expect("write config");
    let log = f("log");
    let logf = fs::File::create(&log).expect("log file");
    let mut cmd = Command::new("ip");
    cmd.args(["netns", "exec", &lab.ns(node)]);
    cmd.args(wrapper);
    match which {
        Impl::Rs => cmd.arg(binary()),
        Impl::Keepalived => cmd.arg(keepalived()),
    };
    cmd.args(["-n", "-l"])
        .args(flags)
        .arg("-f")
        .arg(f("conf"))
        .arg("-p")
        .arg(f("pid"))
        .arg("-r")
        .arg(f("vpid"))
        .arg("-c")
        .arg(f("cpid"))
        .env("TMPDIR", lab.dir())
        .env_remove("NOTIFY_SOCKET")
        .stdin(Stdio::null())
        .stdout(logf.try_clone().expect("dup log"))
        .stderr(logf)
        .process_group(0);
    let child = cmd.spawn().expect("spawn daemon");
    Proc { child, log }
}

/// A background command in NODE's namespace (tcpdump), in its own process group, its
/// standard output in the test's file `out`.
pub fn spawn_in(lab: &impl Netns, node: &str, args: &[&str], out: &str) -> Proc {
    let log = lab.dir().join(out);
    let logf = fs::File::create(&log).expect("output file");
    let child = Command::new("ip")
        .args(["netns", "exec", &lab.ns(node)])
        .args(args)
        .stdin(Stdio::null())
        .stdout(logf)
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("spawn (tcpdump: apt-get install -y tcpdump)");
    Proc { child, log }
}

/// A reader of the FIFO `fifo` (made with mode 0600) that copies its lines to `out`, started
/// before the daemon opens the FIFO; killed on drop (its [`Proc::log`] is `log`).
pub fn fifo_reader(fifo: &Path, out: &Path, log: PathBuf) -> Proc {
    nix::unistd::mkfifo(fifo, nix::sys::stat::Mode::from_bits_truncate(0o600)).expect("mkfifo");
    let child = Command::new("sh")
        .arg("-c")
        .arg(format!("exec cat {} > {}", fifo.display(), out.display()))
        .process_group(0)
        .spawn()
        .expect("cat");
    Proc { child, log }
}

/// tcpdump on the observer's eth0 into the file `out`: `opts` then `filter`; returns once
/// it had time to start capturing.
pub fn tcpdump(lab: &Lab, out: &str, opts: &[&str], filter: &str) -> Proc {
    let mut args = vec!["tcpdump", "-i", "eth0", "-n", "-l", "-U"];
    args.extend_from_slice(opts);
    args.push(filter);
    let p = spawn_in(lab, "obs", &args, out);
    std::thread::sleep(Duration::from_millis(300));
    p
}

/// The VRRP lines, with their Ethernet headers (`tcpdump -e`), the observer captures in
/// 800 ms: `filter` is tcpdump's, `out` the capture file.
pub fn vrrp_frames(lab: &Lab, filter: &str, out: &str) -> Vec<String> {
    let mut cap = spawn_in(
        lab,
        "obs",
        &["tcpdump", "-e", "-n", "-l", "-U", "-i", "eth0", filter],
        out,
    );
    std::thread::sleep(Duration::from_millis(800));
    cap.kill(Signal::SIGTERM);
    let _ = cap.wait_exit(Duration::from_secs(2));
    cap.log()
        .lines()
        .filter(|l| l.contains("VRRP"))
        .map(str::to_string)
        .collect()
}

/// tcpdump on the observer: VRRP packets over IPv4 and IPv6, one advert a line.
pub fn observe(lab: &Lab) -> Proc {
    observe_with(lab, &[])
}

/// As [`observe`], with more tcpdump options (e.g. `-tt` for epoch timestamps).
pub fn observe_with(lab: &Lab, extra: &[&str]) -> Proc {
    let mut opts = vec!["-v"];
    opts.extend_from_slice(extra);
    tcpdump(lab, "obs.txt", &opts, "ip proto 112 or ip6 proto 112")
}

/// VRRP adverts a capture with `-tt` saw: (epoch seconds, source, priority); the source is
/// an address in 192.0.2.0/24, or empty (IPv6).
pub fn advert_times(obs: &Proc) -> Vec<(f64, String, u8)> {
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

/// The wall clock in epoch seconds (what `-tt` captures are stamped with).
pub fn epoch_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// Polls `cond` every 20 ms; panics with `what` and the logs of `procs` after `timeout`.
pub fn wait_for(what: &str, timeout: Duration, mut cond: impl FnMut() -> bool, procs: &[&Proc]) {
    let t0 = Instant::now();
    while t0.elapsed() < timeout {
        if cond() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let l: Vec<String> = procs.iter().map(|p| p.log()).collect();
    panic!("timed out waiting for {what}\n{}", l.join("\n----\n"));
}

/// One advert the observer saw.
#[derive(Clone, Debug, PartialEq)]
pub struct Seen {
    pub src: String,
    pub vrid: u8,
    pub prio: u8,
    /// TTL (IPv4) or hop limit (IPv6).
    pub ttl: u8,
    pub version: u8,
    /// Capture time, seconds since midnight (tcpdump's clock).
    pub at: f64,
}

/// Adverts the observer saw, in order.
pub fn adverts(obs: &Proc) -> Vec<Seen> {
    // tcpdump -v prints "IP (tos 0xc0, ttl 255, ...)" then "    SRC > DST: vrrp SRC > DST:
    // VRRPv3, Advertisement, vrid 51, prio 200, intvl 10cs, length 12" (or one line);
    // IPv6: "IP6 (class 0xc0, hlim 255, ...) SRC > DST: VRRPv3, ...".
    let text = obs.log();
    let mut out = Vec::new();
    let mut ttl = 0u8;
    let mut at = 0f64;
    for line in text.lines() {
        if let Some(t) = field(line, "ttl ").or_else(|| field(line, "hlim ")) {
            ttl = t;
        }
        if let Some(t) = line.split_whitespace().next().and_then(timestamp) {
            at = t;
        }
        if let (Some(pos), Some(vrid), Some(prio)) = (
            line.find("VRRPv"),
            field(line, "vrid "),
            field(line, "prio "),
        ) {
            let version = line[pos + 5..].chars().next().and_then(|c| c.to_digit(10));
            let words: Vec<&str> = line[..pos].split_whitespace().collect();
            let src = words
                .iter()
                .rposition(|w| *w == ">")
                .and_then(|i| i.checked_sub(1))
                .and_then(|i| words.get(i))
                .unwrap_or(&"")
                .to_string();
            out.push(Seen {
                src,
                vrid,
                prio,
                ttl,
                version: version.unwrap_or(0) as u8,
                at,
            });
        }
    }
    out
}

/// tcpdump's "HH:MM:SS.micros" as seconds since midnight.
fn timestamp(word: &str) -> Option<f64> {
    let mut parts = word.split(':');
    let (h, m, s) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !s.contains('.') {
        return None;
    }
    let h: f64 = h.parse().ok()?;
    let m: f64 = m.parse().ok()?;
    let s: f64 = s.parse().ok()?;
    Some(h * 3600.0 + m * 60.0 + s)
}

/// The longest silence between consecutive adverts of `src` (`None` with fewer than two).
pub fn longest_gap(seen: &[Seen], src: &str) -> Option<Duration> {
    let times: Vec<f64> = seen.iter().filter(|a| a.src == src).map(|a| a.at).collect();
    times
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(None, |m: Option<f64>, g| Some(m.map_or(g, |m| m.max(g))))
        .map(|g| Duration::from_secs_f64(g.max(0.0)))
}

pub fn field(line: &str, key: &str) -> Option<u8> {
    let i = line.find(key)? + key.len();
    let digits: String = line[i..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

pub fn saw(obs: &Proc, src: &str, prio: u8, version: u8) -> bool {
    adverts(obs).iter().any(|a| {
        a.src == src && a.vrid == 51 && a.prio == prio && a.ttl == 255 && a.version == version
    })
}

pub fn wait_saw(obs: &Proc, src: &str, prio: u8, version: u8, timeout: Duration) -> bool {
    let t0 = Instant::now();
    while t0.elapsed() < timeout {
        if saw(obs, src, prio, version) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// How long tcpdump may take, on a loaded machine, to write a packet it captured.
pub const CAPTURE_LAG: Duration = Duration::from_millis(250);

/// How many adverts the observer has seen so far: pass it to [`adverts_since`].
pub fn mark(obs: &Proc) -> usize {
    adverts(obs).len()
}

pub fn adverts_since(obs: &Proc, mark: usize) -> Vec<Seen> {
    adverts(obs).into_iter().skip(mark).collect()
}

/// Asserts that the observer saw adverts since `mark`, all from `src` at priority `prio`;
/// else panics with `what` and the adverts seen.
pub fn only_adverts_since(obs: &Proc, mark: usize, src: &str, prio: u8, what: &str) {
    let seen = adverts_since(obs, mark);
    assert!(
        !seen.is_empty() && seen.iter().all(|a| a.src == src && a.prio == prio),
        "{what}: {seen:?}"
    );
}

/// Watches the wire for `window`: every VRID 51 advert in it must come from `src` with
/// `prio` (TTL 255), and at least `window / advert_int - 2` of them (a master that
/// advertises in rhythm). The window opens [`CAPTURE_LAG`] after the call, so what was
/// sent before it (and is still on its way through tcpdump) stays out.
pub fn wire_only(
    obs: &Proc,
    src: &str,
    prio: u8,
    advert_int: Duration,
    window: Duration,
) -> Result<usize, String> {
    std::thread::sleep(CAPTURE_LAG);
    let m = mark(obs);
    std::thread::sleep(window);
    let seen = adverts_since(obs, m);
    let ours: Vec<&Seen> = seen.iter().filter(|a| a.vrid == 51).collect();
    if let Some(bad) = ours
        .iter()
        .find(|a| a.src != src || a.prio != prio || a.ttl != 255)
    {
        return Err(format!(
            "expected only adverts from {src} with priority {prio}, saw {bad:?} among {} adverts",
            ours.len()
        ));
    }
    let want = (window.as_millis() / advert_int.as_millis().max(1)).saturating_sub(2);
    if (ours.len() as u128) < want.max(1) {
        return Err(format!(
            "expected at least {} adverts from {src} in {window:?}, saw {}",
            want.max(1),
            ours.len()
        ));
    }
    Ok(ours.len())
}

/// Master_Down_Interval for the backup (priority 100): 3 × interval + skew.
pub fn master_down(version: u8, advert: Duration) -> Duration {
    master_down_prio(version, 100, advert)
}

/// Master_Down_Interval = 3 × interval + Skew_Time for `prio`.
pub fn master_down_prio(version: u8, prio: u8, advert: Duration) -> Duration {
    let n = 256 - u32::from(prio);
    let skew = if version == 2 {
        Duration::from_micros(u64::from(n) * 1_000_000 / 256)
    } else {
        advert * n / 256
    };
    advert * 3 + skew
}

/// The parent's pid from the daemon's `-p` file (`NODE-TAG-pid`).
pub fn parent_pid(lab: &Lab, node: &str, tag: &str) -> Pid {
    let text = fs::read_to_string(lab.path(&format!("{node}-{tag}-pid"))).expect("pid file");
    Pid::from_raw(text.trim().parse().expect("pid"))
}

/// The VRRP child's pid from the daemon's `-r` file (`NODE-TAG-vpid`).
pub fn vrrp_pid(lab: &Lab, node: &str, tag: &str) -> Pid {
    let text = fs::read_to_string(lab.path(&format!("{node}-{tag}-vpid"))).expect("vrrp pid file");
    Pid::from_raw(text.trim().parse().expect("vrrp pid"))
}
