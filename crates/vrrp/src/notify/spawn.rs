//! The small process spawner of the notify glue ([`crate::daemon`]): starts a notify or
//! FIFO-reader script as a child in its own process group (SIGTERM when the VRRP child
//! dies, as keepalived), never waits for it (the VRRP
//! loop reaps on SIGCHLD with [`Spawner::reap`]), and enforces an optional timeout with
//! SIGTERM to the group then SIGKILL after a grace period ([`Spawner::on_timer`]).
//!
//! Deliberately narrow (argv in, pid and end out) so it can be replaced by the shared
//! script runner of `keepalived-event` (`ScriptRunner`) when both land.

use std::collections::BTreeMap;
use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use keepalived_event::{ChildWatcher, ExitKind};
use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;

/// SIGTERM to SIGKILL (keepalived: 2 s for scripts).
pub const KILL_GRACE: Duration = Duration::from_secs(2);

#[derive(Debug)]
struct Run {
    deadline: Option<Instant>,
    /// SIGTERM sent; SIGKILL at this time.
    kill_at: Option<Instant>,
}

/// How one child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ended {
    pub pid: Pid,
    pub how: ExitKind,
    /// We signalled it for its timeout.
    pub timed_out: bool,
}

/// Children started and not yet reaped.
#[derive(Debug, Default)]
pub struct Spawner {
    runs: BTreeMap<Pid, Run>,
    watcher: ChildWatcher,
}

impl Spawner {
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts `argv` (no shell; stdio on /dev/null; its own process group), as `user`
    /// (uid, gid) when given. `timeout`: SIGTERM to its group after this long.
    pub fn spawn(
        &mut self,
        argv: &[String],
        user: Option<(u32, u32)>,
        timeout: Option<Duration>,
        now: Instant,
    ) -> io::Result<Pid> {
        let Some((prog, args)) = argv.split_first() else {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "empty command"));
        };
        let mut cmd = Command::new(prog);
        cmd.args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0);
        // As keepalived: if the VRRP child dies, its scripts get SIGTERM.
        keepalived_sys::process::command_die_with_parent(&mut cmd, Signal::SIGTERM);
        if let Some((uid, gid)) = user {
            if uid != 0 || gid != 0 {
                // std drops the supplementary groups when root sets a uid.
                cmd.uid(uid).gid(gid);
            }
        }
        let child = cmd.spawn()?;
        let pid = Pid::from_raw(i32::try_from(child.id()).unwrap_or(i32::MAX));
        // The Child handle is dropped without waiting: the loop reaps by pid.
        drop(child);
        self.watcher.watch(pid);
        self.runs.insert(
            pid,
            Run {
                deadline: timeout.map(|t| now + t),
                kill_at: None,
            },
        );
        Ok(pid)
    }

    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    pub fn len(&self) -> usize {
        self.runs.len()
    }

    /// Reaps every child that has ended (never blocks).
    pub fn reap(&mut self) -> Vec<Ended> {
        let mut out = Vec::new();
        for e in self.watcher.reap() {
            let timed_out = self
                .runs
                .remove(&e.pid)
                .is_some_and(|r| r.kill_at.is_some());
            out.push(Ended {
                pid: e.pid,
                how: e.how,
                timed_out,
            });
        }
        out
    }

    /// The next timeout or SIGKILL due.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.runs
            .values()
            .filter_map(|r| r.kill_at.or(r.deadline))
            .min()
    }

    /// Signals the groups whose time is up; returns what was sent to whom.
    pub fn on_timer(&mut self, now: Instant) -> Vec<(Pid, Signal)> {
        let mut sent = Vec::new();
        for (&pid, r) in self.runs.iter_mut() {
            match (r.kill_at, r.deadline) {
                (Some(k), _) if k <= now => {
                    let _ = killpg(pid, Signal::SIGKILL);
                    // Once is enough; the reap follows.
                    r.kill_at = Some(now + Duration::from_secs(3600));
                    sent.push((pid, Signal::SIGKILL));
                }
                (None, Some(d)) if d <= now => {
                    let _ = killpg(pid, Signal::SIGTERM);
                    r.kill_at = Some(now + KILL_GRACE);
                    sent.push((pid, Signal::SIGTERM));
                }
                _ => {}
            }
        }
        sent
    }

    /// Sends `sig` to the group of every child still running.
    pub fn signal_all(&mut self, sig: Signal) {
        for &pid in self.runs.keys() {
            let _ = killpg(pid, sig);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn reap_until(s: &mut Spawner, pid: Pid, limit: Duration) -> Option<Ended> {
        let t0 = Instant::now();
        while t0.elapsed() < limit {
            s.on_timer(Instant::now());
            if let Some(e) = s.reap().into_iter().find(|e| e.pid == pid) {
                return Some(e);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        None
    }

    #[test]
    fn runs_without_a_shell_and_reports_the_exit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("o");
        let mut s = Spawner::new();
        let pid = s
            .spawn(
                &argv(&[
                    "/bin/sh",
                    "-c",
                    "echo \"$@\" > \"$0\"; exit 3",
                    out.to_str().expect("utf8"),
                    "a b",
                    "*",
                ]),
                None,
                None,
                Instant::now(),
            )
            .expect("spawn");
        let e = reap_until(&mut s, pid, Duration::from_secs(5)).expect("ended");
        assert_eq!(e.how, ExitKind::Exited(3));
        assert!(!e.timed_out);
        assert_eq!(
            std::fs::read_to_string(&out).expect("out"),
            "a b *\n",
            "arguments passed verbatim"
        );
        assert!(s.is_empty());
    }

    #[test]
    fn a_hung_script_gets_sigterm_then_its_group_sigkill() {
        let mut s = Spawner::new();
        let t0 = Instant::now();
        // Ignores SIGTERM; its child (same group) sleeps too.
        let pid = s
            .spawn(
                &argv(&["/bin/sh", "-c", "trap '' TERM; sleep 60 & sleep 60"]),
                None,
                Some(Duration::from_millis(100)),
                t0,
            )
            .expect("spawn");
        assert!(s.next_deadline().is_some());
        let e = reap_until(&mut s, pid, Duration::from_secs(10)).expect("killed");
        assert!(e.timed_out);
        assert!(matches!(
            e.how,
            ExitKind::Signaled {
                signal: Signal::SIGKILL,
                ..
            }
        ));
        let took = t0.elapsed();
        assert!(took >= KILL_GRACE, "{took:?}");
        // The group is gone too (its orphaned member is reaped by init soon after).
        let t1 = Instant::now();
        while killpg(pid, None).is_ok() && t1.elapsed() < Duration::from_secs(2) {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(killpg(pid, None).is_err(), "a member of the group survived");
    }

    #[test]
    fn a_missing_program_is_an_error_not_a_child() {
        let mut s = Spawner::new();
        assert!(s
            .spawn(&argv(&["/nonexistent/x"]), None, None, Instant::now())
            .is_err());
        assert!(s.spawn(&[], None, None, Instant::now()).is_err());
        assert!(s.is_empty());
    }
}
