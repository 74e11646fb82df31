//! Shared helpers for end-to-end tests on the `scripts/lab` namespace lab: a [`Lab`] torn
//! down in Drop, daemons ([`Proc`]) in their own process group killed in Drop, `ip` in a
//! node's namespace. Included with `#[path]` by tests/vrrp_routes_e2e.rs.

#![allow(dead_code)]

use std::fs;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use keepalived_rs_tests::{binary, keepalived, workspace_root};
use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;

/// A `scripts/lab` instance with a unique prefix; `down` on drop.
pub struct Lab {
    pub prefix: String,
    pub dir: tempfile::TempDir,
}

impl Lab {
    /// `nodes` nodes n1..nN and the observer, prefix `<tag><pid>x<n>`.
    pub fn up(tag: &str, nodes: u32) -> Lab {
        static N: AtomicU32 = AtomicU32::new(0);
        let prefix = format!(
            "{tag}{}x{}",
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

    pub fn ns(&self, node: &str) -> String {
        format!("{}-{node}", self.prefix)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `ip -n NODE ARGS...`'s standard output (empty on failure).
    pub fn ip(&self, node: &str, args: &[&str]) -> String {
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
        self.ip(node, &["addr"]).contains(&format!(" {addr}/"))
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
}

impl Drop for Lab {
    fn drop(&mut self) {
        let _ = self.script(&["down"]);
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Impl {
    Rs,
    Keepalived,
}

/// A daemon in a lab namespace, in its own process group; SIGKILLed in Drop.
pub struct Proc {
    pub child: Child,
    pub log: PathBuf,
    /// Pid files: parent, VRRP child.
    pub pid: PathBuf,
    pub vpid: PathBuf,
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

/// Starts `which` with `conf` in NODE (`-n -l -D`), files tagged `tag`.
pub fn start(lab: &Lab, node: &str, which: Impl, conf: &str, tag: &str) -> Proc {
    start_args(lab, node, which, conf, tag, &[])
}

/// [`start`] with extra command-line arguments.
pub fn start_args(
    lab: &Lab,
    node: &str,
    which: Impl,
    conf: &str,
    tag: &str,
    extra: &[&str],
) -> Proc {
    let f = |n: &str| lab.path(&format!("{node}-{tag}-{n}"));
    fs::write(f("conf"), conf).expect("write config");
    let log = f("log");
    let logf = fs::File::create(&log).expect("log file");
    let mut cmd = Command::new("ip");
    cmd.args(["netns", "exec", &lab.ns(node)]);
    match which {
        Impl::Rs => cmd.arg(binary()),
        Impl::Keepalived => cmd.arg(keepalived()),
    };
    cmd.args(["-n", "-l", "-D"])
        .args(extra)
        .arg("-f")
        .arg(f("conf"))
        .arg("-p")
        .arg(f("pid"))
        .arg("-r")
        .arg(f("vpid"))
        .arg("-c")
        .arg(f("cpid"))
        .env("TMPDIR", lab.dir.path())
        .env_remove("NOTIFY_SOCKET")
        .stdin(Stdio::null())
        .stdout(logf.try_clone().expect("dup log"))
        .stderr(logf)
        .process_group(0);
    let child = cmd.spawn().expect("spawn daemon");
    Proc {
        child,
        log,
        pid: f("pid"),
        vpid: f("vpid"),
    }
}

/// A background command in NODE's namespace (tcpdump), in its own process group.
pub fn spawn_in(lab: &Lab, node: &str, args: &[&str], out: &str) -> Proc {
    let log = lab.path(out);
    let logf = fs::File::create(&log).expect("output file");
    let child = Command::new("ip")
        .args(["netns", "exec", &lab.ns(node)])
        .args(args)
        .stdin(Stdio::null())
        .stdout(logf)
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("spawn");
    Proc {
        child,
        log: log.clone(),
        pid: log.clone(),
        vpid: log,
    }
}
