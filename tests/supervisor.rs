//! End-to-end tests of the process model (issue 3): the real keepalived-rs binary run with
//! `-n`, temporary pid files and config, inside a network namespace each test creates (the
//! config's vrrp_instance needs a non-loopback interface). Children do stub protocol work;
//! the supervision is real. Needs root (namespaces); skipped otherwise.
//!
//! Tests run one at a time (a lock): several measure restart latency, which other daemons
//! restarting in parallel on a small machine would distort. Every daemon is killed with its
//! process group in `Drop`, so a failing assertion leaves nothing running.

use std::fs;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::net::UnixDatagram;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use keepalived_ipc::{Channel, Config, ParentToVrrp, VersionedConfig, VrrpToParent};
use keepalived_rs_tests::binary;
use nix::sys::signal::{kill, killpg, Signal};
use nix::unistd::Pid;

// ---------------------------------------------------------------- helpers

fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|p| p.into_inner())
}

/// [`serial`], in a test that needs root (network namespaces).
fn serial_as_root() -> MutexGuard<'static, ()> {
    let g = serial();
    assert!(
        is_root(),
        "this test needs root (network namespaces); run it as root"
    );
    g
}

fn is_root() -> bool {
    if nix::unistd::geteuid().is_root() {
        return true;
    }
    eprintln!("skipped: needs root for network namespaces");
    false
}

/// A network namespace with `eth0` (one end of a veth pair) up; deleted on drop.
struct Netns(String);

impl Netns {
    fn new() -> Netns {
        static N: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "ksup-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let ns = Netns(name.clone());
        for args in [
            vec!["netns", "add", &name],
            vec![
                "-n", &name, "link", "add", "eth0", "type", "veth", "peer", "name", "p0",
            ],
            vec!["-n", &name, "link", "set", "eth0", "up"],
            vec!["-n", &name, "link", "set", "lo", "up"],
        ] {
            let st = Command::new("ip").args(&args).status().expect("run ip");
            assert!(st.success(), "ip {args:?} failed");
        }
        ns
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "del", &self.0])
            .stderr(Stdio::null())
            .status();
    }
}

const CONFIG: &str = "\
global_defs {
  router_id supervisor_test
}
vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority 100
  advert_int 1
  virtual_ipaddress {
    192.0.2.10/32
  }
}
virtual_server 192.0.2.10 80 {
  delay_loop 6
  lb_algo rr
  lb_kind NAT
  protocol TCP
  real_server 127.0.0.1 8080 {
    weight 1
    TCP_CHECK {
      connect_timeout 3
    }
  }
}
";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Proc {
    Parent,
    Vrrp,
    Checker,
}

/// One daemon under test, with its own directory (config, pid files, log, dumps).
struct Daemon {
    child: Option<Child>,
    dir: tempfile::TempDir,
    // Dropped after `Daemon::drop` has killed everything.
    ns: Netns,
}

impl Daemon {
    fn start(extra: &[&str], env: &[(&str, &str)]) -> Daemon {
        Daemon::start_with(CONFIG, extra, env)
    }

    fn start_with(config: &str, extra: &[&str], env: &[(&str, &str)]) -> Daemon {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join("keepalived.conf"), config).expect("write config");
        let mut d = Daemon {
            child: None,
            dir,
            ns: Netns::new(),
        };
        d.child = Some(d.spawn(extra, env));
        d
    }

    /// Runs the binary in this daemon's namespace with its files; `-n` unless `extra`
    /// says otherwise.
    fn spawn(&self, extra: &[&str], env: &[(&str, &str)]) -> Child {
        let p = |n: &str| self.path(n).display().to_string();
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.path("log"))
            .expect("open log");
        let mut cmd = Command::new("ip");
        cmd.args(["netns", "exec", &self.ns.0])
            .arg(binary())
            .args(["-f", &p("keepalived.conf")])
            .args(["-p", &p("keepalived.pid")])
            .args(["-r", &p("vrrp.pid")])
            .args(["-c", &p("checkers.pid")]);
        if !extra.contains(&"--fork") {
            cmd.arg("-n");
        }
        cmd.args(extra.iter().filter(|a| **a != "--fork"))
            .env("TMPDIR", self.dir.path())
            .env_remove("NOTIFY_SOCKET")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            // Its own process group, so Drop can kill the parent and children together.
            .process_group(0);
        cmd.spawn().expect("spawn keepalived-rs")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn pid_file(&self, p: Proc) -> PathBuf {
        self.path(match p {
            Proc::Parent => "keepalived.pid",
            Proc::Vrrp => "vrrp.pid",
            Proc::Checker => "checkers.pid",
        })
    }

    fn pid(&self, p: Proc) -> Option<i32> {
        fs::read_to_string(self.pid_file(p))
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    fn log(&self) -> String {
        fs::read_to_string(self.path("log")).unwrap_or_default()
    }

    fn wait_log(&self, needle: &str, timeout: Duration) -> bool {
        wait_until(timeout, || self.log().contains(needle)).is_some()
    }

    fn write_config(&self, text: &str) {
        let tmp = self.path("keepalived.conf.new");
        fs::write(&tmp, text).expect("write config");
        fs::rename(&tmp, self.path("keepalived.conf")).expect("replace config");
    }

    /// Starts, waits for "Startup complete", returns (parent, vrrp, checker) pids.
    fn started(extra: &[&str], env: &[(&str, &str)]) -> (Daemon, i32, i32, i32) {
        let d = Daemon::start(extra, env);
        assert!(
            d.wait_log("Startup complete", Duration::from_secs(10)),
            "daemon did not start:\n{}",
            d.log()
        );
        let (p, v, c) = (
            d.pid(Proc::Parent).expect("parent pid file"),
            d.pid(Proc::Vrrp).expect("vrrp pid file"),
            d.pid(Proc::Checker).expect("checkers pid file"),
        );
        (d, p, v, c)
    }

    /// Kills `which` (SIGKILL) and waits until a new one has reported ready; returns its
    /// pid and how long that took from just before the kill (an upper bound: it includes
    /// up to a millisecond of polling).
    fn kill_and_wait_back(&self, which: Proc, timeout: Duration) -> (i32, Duration) {
        let old = self.pid(which).expect("pid before kill");
        let name = match which {
            Proc::Vrrp => "VRRP",
            Proc::Checker => "Healthcheck",
            Proc::Parent => unreachable!("the parent is not restarted"),
        };
        let t0 = Instant::now();
        kill(Pid::from_raw(old), Signal::SIGKILL).expect("kill -9");
        let mut new = 0;
        let took = wait_until(timeout, || match self.pid(which) {
            Some(p) if p != old => {
                new = p;
                self.log()
                    .contains(&format!("{name} child (pid {p}) ready"))
            }
            _ => false,
        });
        match took {
            // Measured from before the kill: the test thread may be preempted right after
            // it, and the restart can complete before the polling starts.
            Some(_) => (new, t0.elapsed()),
            None => panic!(
                "{name} child not back within {timeout:?} after kill -9 of {old}:\n{}",
                self.log()
            ),
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Some(c) = self.child.as_mut() {
            // The whole group: the parent and children started with -n.
            let _ = killpg(Pid::from_raw(c.id() as i32), Signal::SIGKILL);
        }
        // A daemon that forked has its own session: find it through the pid files.
        for p in [Proc::Parent, Proc::Vrrp, Proc::Checker] {
            if let Some(pid) = self.pid(p) {
                if is_ours(pid) {
                    let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
                }
            }
        }
        if let Some(mut c) = self.child.take() {
            let _ = c.wait();
        }
    }
}

/// Whether `pid` is a live keepalived-rs process (not a zombie, not a reused pid).
fn is_ours(pid: i32) -> bool {
    let cmdline = fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let cmd = String::from_utf8_lossy(&cmdline);
    (cmd.contains("keepalived-rs")) && proc_state(pid).is_some_and(|s| s != 'Z')
}

fn alive(pid: i32) -> bool {
    proc_state(pid).is_some_and(|s| s != 'Z' && s != 'X')
}

/// The state letter of `/proc/PID/stat`, `None` if the process is gone.
fn proc_state(pid: i32) -> Option<char> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

fn ppid_of(pid: i32) -> Option<i32> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Children of `parent` that are zombies.
fn zombies_of(parent: i32) -> Vec<i32> {
    let mut out = Vec::new();
    for e in fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        if ppid_of(pid) == Some(parent) && proc_state(pid) == Some('Z') {
            out.push(pid);
        }
    }
    out
}

fn fd_count(pid: i32) -> usize {
    fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|d| d.count())
        .unwrap_or(0)
}

fn rss_kib(pid: i32) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Polls `f` every millisecond; `Some(elapsed)` once it holds, `None` at `timeout`.
fn wait_until(timeout: Duration, mut f: impl FnMut() -> bool) -> Option<Duration> {
    let t0 = Instant::now();
    loop {
        if f() {
            return Some(t0.elapsed());
        }
        if t0.elapsed() > timeout {
            return None;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Milliseconds since midnight of a log line's timestamp (`2026-11-21T22:33:04.262Z ...`).
fn log_ms(line: &str) -> Option<i64> {
    let t = line.split_whitespace().next()?.split_once('T')?.1;
    let t = t.strip_suffix('Z')?;
    let (hms, ms) = t.split_once('.')?;
    let mut it = hms.split(':').map(|x| x.parse::<i64>());
    let (h, m, s) = (it.next()?.ok()?, it.next()?.ok()?, it.next()?.ok()?);
    Some(((h * 60 + m) * 60 + s) * 1000 + ms.parse::<i64>().ok()?)
}

fn no_panic(d: &Daemon) {
    let log = d.log();
    assert!(!log.contains("panicked"), "a process panicked:\n{log}");
}

/// The parent's and children's pid files: content and modification time (None if absent).
fn pid_files(d: &Daemon) -> Vec<(Option<String>, Option<std::time::SystemTime>)> {
    [Proc::Parent, Proc::Vrrp, Proc::Checker]
        .iter()
        .map(|&p| {
            let f = d.pid_file(p);
            (
                fs::read_to_string(&f).ok(),
                fs::metadata(&f).and_then(|m| m.modified()).ok(),
            )
        })
        .collect()
}

fn json_dump(d: &Daemon, parent: i32) -> serde_json::Value {
    let path = d.path("keepalived.json");
    let _ = fs::remove_file(&path);
    // keepalived's JSON signal is SIGRTMIN+2, which nix's `Signal` cannot name: kill(1).
    let st = Command::new("kill")
        .arg(format!("-{}", nix::libc::SIGRTMIN() + 2))
        .arg(parent.to_string())
        .status()
        .expect("run kill");
    assert!(st.success());
    assert!(
        wait_until(Duration::from_secs(5), || path.exists()).is_some(),
        "no JSON dump:\n{}",
        d.log()
    );
    serde_json::from_str(&fs::read_to_string(&path).expect("read dump")).expect("dump is JSON")
}

// ---------------------------------------------------------------- tests

/// kill -9 of each child: back at once the first time, nothing else touched; then the
/// restart delays follow keepalived's schedule (immediately, 1 s, 2 s).
#[test]
fn killed_children_come_back_at_once_then_with_backoff() {
    let _g = serial_as_root();
    let (d, parent, vrrp, checker) = Daemon::started(&[], &[]);

    let (vrrp2, t) = d.kill_and_wait_back(Proc::Vrrp, Duration::from_secs(2));
    eprintln!("VRRP child back (ready) {t:?} after kill -9");
    assert!(t < Duration::from_millis(100), "VRRP restart took {t:?}");
    assert_ne!(vrrp2, vrrp);
    assert_eq!(d.pid(Proc::Parent), Some(parent));
    assert_eq!(d.pid(Proc::Checker), Some(checker));
    assert!(alive(parent) && alive(checker));

    let (checker2, t) = d.kill_and_wait_back(Proc::Checker, Duration::from_secs(2));
    eprintln!("checker child back (ready) {t:?} after kill -9");
    assert!(t < Duration::from_millis(100), "checker restart took {t:?}");
    assert_ne!(checker2, checker);
    assert_eq!(d.pid(Proc::Vrrp), Some(vrrp2));
    assert!(alive(parent) && alive(vrrp2));

    // The VRRP child died young again: 1 s, then 2 s.
    for want in [1u64, 2] {
        let (_, t) = d.kill_and_wait_back(Proc::Vrrp, Duration::from_secs(want + 3));
        eprintln!("VRRP child back {t:?} after kill -9 (schedule says {want} s)");
        let want = Duration::from_secs(want);
        assert!(
            t >= want && t < want + Duration::from_millis(500),
            "{t:?} vs {want:?}"
        );
        assert!(d.log().contains(&format!(
            "Restart of VRRP process delayed {} seconds to limit respawn rate",
            want.as_secs()
        )));
    }
    // The same delays from the parent's own timestamps: death to restart.
    let log = d.log();
    let lines: Vec<&str> = log.lines().collect();
    let mut gaps = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.contains("VRRP child process(") && l.contains("died") {
            let died = log_ms(l).expect("timestamp");
            let started = lines[i..]
                .iter()
                .find(|s| s.contains("Starting VRRP child process"))
                .and_then(|s| log_ms(s))
                .expect("restart line");
            gaps.push(started - died);
        }
    }
    eprintln!("VRRP death -> restart gaps from the log (ms): {gaps:?}");
    assert_eq!(gaps.len(), 3, "{log}");
    assert!(gaps[0] < 100, "{gaps:?}");
    assert!((1000..1200).contains(&gaps[1]), "{gaps:?}");
    assert!((2000..2200).contains(&gaps[2]), "{gaps:?}");
    assert_eq!(d.pid(Proc::Parent), Some(parent));
    no_panic(&d);
}

/// 200 kill/restart cycles (the schedule scaled down by the hidden test knob, 1 "second"
/// = 100 µs, so the 60 s cap is 6 ms): no zombies, no fd leak, RSS growth under 1 MiB.
#[test]
fn two_hundred_restarts_leak_nothing() {
    let _g = serial_as_root();
    let (d, parent, _, _) = Daemon::started(&[], &[("KEEPALIVED_RS_TEST_BACKOFF_UNIT_US", "100")]);
    let fds_before = fd_count(parent);
    let rss_before = rss_kib(parent);
    let t0 = Instant::now();
    for i in 0..200 {
        let which = if i % 2 == 0 {
            Proc::Vrrp
        } else {
            Proc::Checker
        };
        d.kill_and_wait_back(which, Duration::from_secs(5));
    }
    let took = t0.elapsed();
    // Let the last exits be reaped.
    std::thread::sleep(Duration::from_millis(100));
    let (fds_after, rss_after) = (fd_count(parent), rss_kib(parent));
    eprintln!(
        "200 cycles in {took:?}; parent fds {fds_before} -> {fds_after}, RSS {rss_before} -> {rss_after} KiB"
    );
    assert_eq!(zombies_of(parent), Vec::<i32>::new());
    assert_eq!(fds_after, fds_before, "parent fd count changed");
    assert!(
        rss_after < rss_before + 1024,
        "RSS grew from {rss_before} to {rss_after} KiB"
    );
    assert!(alive(parent));
    assert!(d.log().matches("Starting VRRP child process").count() >= 101);
    no_panic(&d);
}

/// HUP with a broken config: logged with file:line, nothing restarted, the old config
/// runs. HUP with a good one: the children run it (JSON and data dumps), with systemd
/// told RELOADING=1 then READY=1.
#[test]
fn reload_keeps_running_on_errors_and_delivers_a_valid_config() {
    let _g = serial_as_root();
    let dir = tempfile::tempdir().expect("tempdir");
    let sock_path = dir.path().join("notify");
    let sock = UnixDatagram::bind(&sock_path).expect("bind notify socket");
    sock.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let notify = sock_path.display().to_string();
    let (d, parent, vrrp, checker) = Daemon::started(&[], &[("NOTIFY_SOCKET", &notify)]);
    let recv = || {
        let mut buf = [0u8; 256];
        let n = sock.recv(&mut buf).expect("a notification");
        String::from_utf8_lossy(&buf[..n]).into_owned()
    };
    assert!(recv().starts_with("READY=1"));

    let v = json_dump(&d, parent);
    assert_eq!(v["vrrp"]["generation"], 1);
    assert_eq!(v["vrrp"]["config"]["instances"][0]["name"], "VI_1");
    assert_eq!(v["checker"]["config"]["counts"]["check.virtual_servers"], 1);

    // Broken: two stray braces after the 25 lines of CONFIG, on lines 26 and 28.
    let pid_files_before = pid_files(&d);
    d.write_config(&format!("{CONFIG}}}\n# comment\n}}\n"));
    let conf = d.path("keepalived.conf").display().to_string();
    kill(Pid::from_raw(parent), Signal::SIGHUP).expect("HUP");
    assert!(
        d.wait_log("Reload failed", Duration::from_secs(5)),
        "{}",
        d.log()
    );
    let log = d.log();
    assert!(log.contains(&format!("{conf}:26:")), "{log}");
    assert!(log.contains(&format!("{conf}:28:")), "{log}");
    std::thread::sleep(Duration::from_millis(200));
    assert!(alive(parent) && alive(vrrp) && alive(checker));
    let pid_files_after = pid_files(&d);
    assert_eq!(pid_files_after, pid_files_before, "pid files changed");
    assert_eq!(d.child.as_ref().map(|c| c.id() as i32), Some(parent));
    let v = json_dump(&d, parent);
    assert_eq!(v["parent"]["generation"], 1);
    assert_eq!(v["vrrp"]["generation"], 1);

    // Valid: the instance renamed and renumbered.
    d.write_config(
        &CONFIG
            .replace("VI_1", "VI_2")
            .replace("virtual_router_id 51", "virtual_router_id 52"),
    );
    kill(Pid::from_raw(parent), Signal::SIGHUP).expect("HUP");
    assert!(recv().starts_with("RELOADING=1"));
    assert!(recv().starts_with("READY=1"));
    let v = json_dump(&d, parent);
    assert_eq!(v["parent"]["generation"], 2);
    for role in ["vrrp", "checker"] {
        assert_eq!(v[role]["generation"], 2, "{role}: {v}");
        assert_eq!(v[role]["config"]["instances"][0]["name"], "VI_2", "{v}");
        assert_eq!(v[role]["config"]["instances"][0]["vrid"], 52, "{v}");
    }
    assert_eq!(v["vrrp"]["pid"], vrrp);
    assert_eq!(v["checker"]["pid"], checker);
    // USR1: the text dump says the same.
    let data = d.path("keepalived.data");
    kill(Pid::from_raw(parent), Signal::SIGUSR1).expect("USR1");
    assert!(
        wait_until(Duration::from_secs(5), || fs::read_to_string(&data)
            .is_ok_and(|s| s.contains("VRRP Instance = VI_2 (vrid 52)")))
        .is_some()
    );
    // USR2: stats.
    kill(Pid::from_raw(parent), Signal::SIGUSR2).expect("USR2");
    assert!(wait_until(Duration::from_secs(5), || fs::read_to_string(
        d.path("keepalived.stats")
    )
    .is_ok_and(|s| s.contains("Reloads = 1")))
    .is_some());

    kill(Pid::from_raw(parent), Signal::SIGTERM).expect("TERM");
    assert!(recv().starts_with("STOPPING=1"));
    no_panic(&d);
}

/// A second start is refused while one runs; TERM stops every process within
/// child_wait_time and removes the pid files.
#[test]
fn second_start_refused_and_term_stops_everything() {
    let _g = serial_as_root();
    let (mut d, parent, vrrp, checker) = Daemon::started(&[], &[]);
    let second = d.spawn(&[], &[]).wait_with_output().expect("second start");
    assert_eq!(second.status.code(), Some(1));
    let log = d.log();
    assert!(
        log.contains(&format!("daemon is already running (pid {parent} holds")),
        "{log}"
    );
    assert_eq!(d.pid(Proc::Parent), Some(parent), "pid file untouched");

    let t0 = Instant::now();
    kill(Pid::from_raw(parent), Signal::SIGTERM).expect("TERM");
    let status = d.child.take().expect("daemon").wait().expect("wait");
    let gone = wait_until(Duration::from_secs(5), || {
        !alive(vrrp) && !alive(checker) && !alive(parent)
    });
    eprintln!("TERM: every process gone after {:?}", t0.elapsed());
    assert!(gone.is_some(), "processes left after TERM");
    assert!(
        t0.elapsed() < Duration::from_secs(5),
        "child_wait_time exceeded"
    );
    assert_eq!(status.code(), Some(0));
    for p in [Proc::Parent, Proc::Vrrp, Proc::Checker] {
        assert!(!d.pid_file(p).exists(), "{p:?} pid file left");
    }
    no_panic(&d);
}

/// Without -n the daemon forks into the background: the started process exits 0 and the
/// daemon (another pid) writes the pid file and runs both children.
#[test]
fn daemonizes_without_dont_fork() {
    let _g = serial_as_root();
    let mut d = Daemon::start(&["--fork", "-l"], &[]);
    let first = d.child.as_mut().expect("child").wait().expect("wait");
    assert_eq!(first.code(), Some(0));
    assert!(
        d.wait_log("Startup complete", Duration::from_secs(10)),
        "{}",
        d.log()
    );
    let daemon = d.pid(Proc::Parent).expect("pid file");
    assert_ne!(Some(daemon), d.child.as_ref().map(|c| c.id() as i32));
    assert!(alive(daemon));
    let (v, c) = (
        d.pid(Proc::Vrrp).expect("vrrp"),
        d.pid(Proc::Checker).expect("checker"),
    );
    assert_eq!((ppid_of(v), ppid_of(c)), (Some(daemon), Some(daemon)));
    // The children carry recognisable names.
    let cmdline = fs::read_to_string(format!("/proc/{v}/cmdline")).unwrap_or_default();
    assert!(
        cmdline.starts_with("keepalived-rs: vrrp\0--child"),
        "{cmdline:?}"
    );
    let comm = fs::read_to_string(format!("/proc/{c}/comm")).unwrap_or_default();
    assert_eq!(comm.trim_end(), "ka-rs: checker");
    kill(Pid::from_raw(daemon), Signal::SIGTERM).expect("TERM");
    assert!(wait_until(Duration::from_secs(5), || !d
        .pid_file(Proc::Parent)
        .exists())
    .is_some());
    assert!(wait_until(Duration::from_secs(1), || !alive(daemon)).is_some());
}

/// kill -9 of the parent: both children exit within 1 s (parent-death signal and hang-up).
#[test]
fn children_die_with_the_parent() {
    let _g = serial_as_root();
    let (d, parent, vrrp, checker) = Daemon::started(&[], &[]);
    kill(Pid::from_raw(parent), Signal::SIGKILL).expect("kill -9 parent");
    let t = wait_until(Duration::from_secs(1), || !alive(vrrp) && !alive(checker));
    eprintln!("children gone {t:?} after kill -9 of the parent");
    assert!(
        t.is_some(),
        "children outlived the parent by 1 s:\n{}",
        d.log()
    );
    no_panic(&d);
}

/// -R: a dying child stops the daemon instead of being restarted.
#[test]
fn dont_respawn_stops_the_daemon() {
    let _g = serial_as_root();
    let (mut d, parent, vrrp, checker) = Daemon::started(&["-R"], &[]);
    kill(Pid::from_raw(vrrp), Signal::SIGKILL).expect("kill -9");
    let status = d.child.take().expect("daemon").wait().expect("wait");
    assert_eq!(status.code(), Some(0));
    assert!(
        d.log().contains("VRRP child process died: Exiting"),
        "{}",
        d.log()
    );
    assert!(wait_until(Duration::from_secs(1), || !alive(checker) && !alive(parent)).is_some());
    for p in [Proc::Parent, Proc::Vrrp, Proc::Checker] {
        assert!(!d.pid_file(p).exists(), "{p:?} pid file left");
    }
}

/// Garbage from a child (the hidden test hook): the parent treats the child as dead,
/// restarts it and goes on (the dump is still written, the other child untouched).
#[test]
fn garbage_from_a_child_is_its_death() {
    let _g = serial_as_root();
    let dir = tempfile::tempdir().expect("tempdir");
    let base = dir.path().join("garbage").display().to_string();
    let (d, parent, vrrp, checker) = Daemon::started(&[], &[("KEEPALIVED_RS_TEST_GARBAGE", &base)]);
    fs::write(format!("{base}.vrrp"), "").expect("token");
    kill(Pid::from_raw(parent), Signal::SIGUSR1).expect("USR1");
    assert!(
        d.wait_log("treating the child as dead", Duration::from_secs(5)),
        "{}",
        d.log()
    );
    assert!(
        wait_until(Duration::from_secs(2), || d.pid(Proc::Vrrp).is_some_and(
            |p| p != vrrp && d.log().contains(&format!("VRRP child (pid {p}) ready"))
        ))
        .is_some(),
        "VRRP child not restarted:\n{}",
        d.log()
    );
    assert!(d.wait_log("Data dump written", Duration::from_secs(5)));
    assert!(alive(parent) && alive(checker));
    assert_eq!(d.pid(Proc::Checker), Some(checker));
    assert!(!alive(vrrp));
    // The restarted child got the state its predecessor reported.
    let v = json_dump(&d, parent);
    assert_eq!(v["vrrp"]["restored"]["instances"], 1, "{v}");
    no_panic(&d);
}

/// Garbage from the parent, driven by hand: the test plays the parent of a child started
/// in its hidden role. Bytes instead of a hello, and a bad message after a good Start,
/// both make the child leave cleanly (status 70, no panic).
#[test]
fn garbage_from_the_parent_is_its_death() {
    let _g = serial();
    let hand_started = |garbage_after_start: bool| {
        use nix::fcntl::{fcntl, FcntlArg, FdFlag};
        use nix::sys::socket::{send, socketpair, AddressFamily, MsgFlags, SockFlag, SockType};
        let (ours, theirs): (OwnedFd, OwnedFd) = socketpair(
            AddressFamily::Unix,
            SockType::SeqPacket,
            None,
            SockFlag::SOCK_CLOEXEC,
        )
        .expect("socketpair");
        fcntl(&theirs, FcntlArg::F_SETFD(FdFlag::empty())).expect("inheritable");
        let child = Command::new(binary())
            .args(["--child", "vrrp", "--ipc-fd"])
            .arg(theirs.as_raw_fd().to_string())
            .arg("--parent-pid")
            .arg(std::process::id().to_string())
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn child");
        drop(theirs);
        if garbage_after_start {
            let mut ch = Channel::<ParentToVrrp, VrrpToParent>::from_fd(ours).expect("channel");
            ch.send(&ParentToVrrp::Start {
                config: VersionedConfig::new(1, Config::default()),
                restore: vec![],
            })
            .expect("send Start");
            let mut got = None;
            wait_until(Duration::from_secs(5), || {
                got = ch.recv().ok().flatten();
                got.is_some()
            });
            assert_eq!(got, Some(VrrpToParent::Ready { generation: 1 }));
            send(ch.as_raw_fd(), &[0xff; 16], MsgFlags::MSG_NOSIGNAL).expect("garbage");
            let out = child.wait_with_output().expect("wait");
            drop(ch);
            out
        } else {
            send(
                ours.as_raw_fd(),
                b"\xde\xad\xbe\xef",
                MsgFlags::MSG_NOSIGNAL,
            )
            .expect("garbage");
            let out = child.wait_with_output().expect("wait");
            drop(ours);
            out
        }
    };
    for after_start in [false, true] {
        let out = hand_started(after_start);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(70), "{err}");
        assert!(err.contains("treating the parent as dead"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// The vrrp<->checker link: the parent hands both children a fresh socketpair whenever
/// either restarts, and the VRRP child's instance states reach the checker over it.
#[test]
fn sibling_link_is_renewed_when_either_child_restarts() {
    let _g = serial_as_root();
    let (d, parent, _, checker) = Daemon::started(&[], &[]);
    let peer_ok = |v: &serde_json::Value, role: &str, links: u64| {
        let p = &v[role]["peer"];
        p["links"] == links && p["connected"] == true
    };
    // The link is handed over right after the second child starts: wait for it.
    let mut v = serde_json::Value::Null;
    assert!(
        wait_until(Duration::from_secs(5), || {
            v = json_dump(&d, parent);
            peer_ok(&v, "vrrp", 1) && v["checker"]["peer"]["received"] == 1
        })
        .is_some(),
        "{v}"
    );
    assert!(peer_ok(&v, "checker", 1), "{v}");

    d.kill_and_wait_back(Proc::Vrrp, Duration::from_secs(2));
    assert!(
        wait_until(Duration::from_secs(5), || {
            v = json_dump(&d, parent);
            // The surviving checker got a second link and the new VRRP child's state.
            peer_ok(&v, "checker", 2) && v["checker"]["peer"]["received"] == 2
        })
        .is_some(),
        "{v}"
    );
    assert_eq!(v["checker"]["pid"], checker);
    assert!(peer_ok(&v, "vrrp", 1), "{v}");

    d.kill_and_wait_back(Proc::Checker, Duration::from_secs(2));
    assert!(
        wait_until(Duration::from_secs(5), || {
            v = json_dump(&d, parent);
            peer_ok(&v, "vrrp", 2)
                && peer_ok(&v, "checker", 1)
                && v["checker"]["peer"]["received"] == 1
        })
        .is_some(),
        "{v}"
    );
    no_panic(&d);
}

/// keepalived runs a config whose errors only skip lines (`-t` exit 5: here `priority 300`
/// falls back to 100) and so do we, logging each error with file:line; it cannot run one
/// whose parser stops (a keyword missing its value, exit 2) and neither do we. Startup
/// also names every keyword that is parsed but not acted on yet, with file:line.
#[test]
fn start_runs_what_keepalived_runs_and_refuses_the_rest() {
    let _g = serial_as_root();
    let bad_value = CONFIG.replace("priority 100", "priority 300");
    let (d, parent, _vrrp, _checker) = {
        let d = Daemon::start_with(&bad_value, &[], &[]);
        assert!(
            d.wait_log("Startup complete", Duration::from_secs(10)),
            "a config with a bad value did not start:\n{}",
            d.log()
        );
        let p = d.pid(Proc::Parent).expect("parent pid file");
        let v = d.pid(Proc::Vrrp).expect("vrrp pid file");
        let c = d.pid(Proc::Checker).expect("checkers pid file");
        (d, p, v, c)
    };
    let conf = d.path("keepalived.conf").display().to_string();
    let log = d.log();
    assert!(log.contains(&format!("{conf}:8:")), "{log}");
    assert!(log.contains("outside range"), "{log}");
    assert!(
        log.contains(&format!(
            "{conf}:2: 'global_defs/router_id' is parsed but not acted on yet"
        )),
        "{log}"
    );
    // The VRRP child acts on its instance keywords (issue 4): not reported.
    assert!(
        !log.contains(&format!("{conf}:8: 'vrrp_instance/priority'")),
        "{log}"
    );
    // Nor the checker child's (issue 6): lb_algo (line 17), the TCP_CHECK block (line 22).
    assert!(!log.contains("'virtual_server/lb_algo'"), "{log}");
    assert!(
        !log.contains("'virtual_server/real_server/TCP_CHECK'"),
        "{log}"
    );
    assert!(alive(parent));
    drop(d);

    let missing_value = CONFIG.replace("priority 100", "priority");
    let mut d = Daemon::start_with(&missing_value, &[], &[]);
    let mut child = d.child.take().expect("spawned");
    let status = wait_until(Duration::from_secs(10), || {
        matches!(child.try_wait(), Ok(Some(_)))
    });
    assert!(
        status.is_some(),
        "a config keepalived cannot run was started:\n{}",
        d.log()
    );
    let code = child.wait().expect("exit status").code();
    assert_eq!(code, Some(2), "{}", d.log());
    let log = d.log();
    assert!(
        log.contains(&format!("{}:8:", d.path("keepalived.conf").display())),
        "{log}"
    );
    assert!(log.contains("not starting"), "{log}");
    assert!(
        d.pid(Proc::Parent).is_none(),
        "no pid file for a refused start"
    );
    no_panic(&d);
}
