//! Non-blocking script runner for every loop that runs scripts (the VRRP child's
//! `vrrp_script`s, notify scripts and notify FIFO readers): each script is a child process in its own process
//! group, watched by pid through [`ChildWatcher`] on SIGCHLD, with a timeout that sends
//! SIGTERM to the group and SIGKILL after a grace period. Nothing here ever waits.
//!
//! The host loop must have SIGCHLD in its [`crate::Signals`] *before* the first
//! [`ScriptRunner::spawn`], call [`ScriptRunner::reap`] when SIGCHLD arrives, bound its
//! poll by [`ScriptRunner::next_deadline`] and call [`ScriptRunner::on_timer`] when that
//! deadline passes. Whatever scripts are still running when the runner is dropped get
//! SIGKILL (their group), so none outlives the loop.

use std::collections::BTreeMap;
use std::io;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;

pub use keepalived_sys::spawn::EXEC_FAILED;
use keepalived_sys::spawn::{spawn_detached, SpawnSpec};

use crate::child::{ChildWatcher, ExitKind};

/// How long a timed-out script's group gets between SIGTERM and SIGKILL (keepalived: 2 s).
pub const DEFAULT_KILL_GRACE: Duration = Duration::from_secs(2);

/// What to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptSpec {
    /// Program then arguments (no shell).
    pub args: Vec<String>,
    /// Run as this uid/gid (`None`: as we are).
    pub uid: Option<u32>,
    pub gid: Option<u32>,
    /// SIGTERM to the group after this long; `None`: never.
    pub timeout: Option<Duration>,
    /// The script gets this signal when the thread that started it ends (our process
    /// dying, even by SIGKILL): keepalived's notifies die with the VRRP child.
    pub die_with_parent: Option<Signal>,
}

impl ScriptSpec {
    pub fn new(args: Vec<String>) -> Self {
        ScriptSpec {
            args,
            uid: None,
            gid: None,
            timeout: None,
            die_with_parent: None,
        }
    }
}

/// Identifies one run of one script (never reused within a runner).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ScriptId(pub u64);

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScriptEnd {
    /// Exited by itself with this status.
    Exited(i32),
    /// Killed by a signal we did not send (or sent for another reason).
    Signaled(Signal),
    /// Killed by our timeout (SIGTERM, or SIGKILL after the grace).
    TimedOut(Signal),
    /// Exited with a status after our SIGTERM (it handled the signal): still a timeout.
    TimedOutExited(i32),
    /// The exit status was taken by someone else.
    Lost,
}

impl ScriptEnd {
    pub fn success(&self) -> bool {
        matches!(self, ScriptEnd::Exited(0))
    }

    pub fn timed_out(&self) -> bool {
        matches!(self, ScriptEnd::TimedOut(_) | ScriptEnd::TimedOutExited(_))
    }
}

impl std::fmt::Display for ScriptEnd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScriptEnd::Exited(s) => write!(f, "exited with status {s}"),
            ScriptEnd::Signaled(s) => write!(f, "killed by {s}"),
            ScriptEnd::TimedOut(s) => write!(f, "timed out (killed by {s})"),
            ScriptEnd::TimedOutExited(s) => write!(f, "timed out (exited {s} on SIGTERM)"),
            ScriptEnd::Lost => write!(f, "exit status lost"),
        }
    }
}

/// One finished run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScriptDone {
    pub id: ScriptId,
    pub pid: Pid,
    pub started: Instant,
    pub ended: Instant,
    pub end: ScriptEnd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Running,
    /// SIGTERM sent; SIGKILL at the deadline.
    Terminating,
    /// SIGKILL sent.
    Killed,
}

#[derive(Debug)]
struct Run {
    pid: Pid,
    started: Instant,
    phase: Phase,
    /// Next action (SIGTERM, then SIGKILL); `None`: no timeout.
    deadline: Option<Instant>,
}

/// The runner: spawn, time out, reap.
#[derive(Debug)]
pub struct ScriptRunner {
    runs: BTreeMap<ScriptId, Run>,
    watcher: ChildWatcher,
    next_id: u64,
    grace: Duration,
}

impl Default for ScriptRunner {
    fn default() -> Self {
        Self::new()
    }
}

impl ScriptRunner {
    pub fn new() -> Self {
        ScriptRunner {
            runs: BTreeMap::new(),
            watcher: ChildWatcher::new(),
            next_id: 1,
            grace: DEFAULT_KILL_GRACE,
        }
    }

    /// Changes the SIGTERM -> SIGKILL grace (tests; MISC_CHECK uses its own).
    pub fn with_kill_grace(mut self, grace: Duration) -> Self {
        self.grace = grace;
        self
    }

    /// Starts `spec` in its own process group with stdio on /dev/null. The caller decides
    /// whether a run may overlap another of the same script (see [`Self::is_running`]).
    ///
    /// Returns as soon as the child is forked, without waiting for its exec (a realtime
    /// loop must not wait for a normal-priority child to be scheduled): a missing or
    /// non-executable program is still an error here, but an exec that fails later ends
    /// the run with exit status 127 ([`EXEC_FAILED`]), as in keepalived.
    pub fn spawn(&mut self, spec: &ScriptSpec, now: Instant) -> io::Result<(ScriptId, Pid)> {
        let pid = spawn_detached(&SpawnSpec {
            args: &spec.args,
            uid: spec.uid,
            gid: spec.gid,
            die_with_parent: spec.die_with_parent,
        })?;
        self.watcher.watch(pid);
        let id = ScriptId(self.next_id);
        self.next_id += 1;
        self.runs.insert(
            id,
            Run {
                pid,
                started: now,
                phase: Phase::Running,
                deadline: spec.timeout.map(|t| now + t),
            },
        );
        Ok((id, pid))
    }

    pub fn is_running(&self, id: ScriptId) -> bool {
        self.runs.contains_key(&id)
    }

    pub fn pid(&self, id: ScriptId) -> Option<Pid> {
        self.runs.get(&id).map(|r| r.pid)
    }

    /// Runs not yet reaped.
    pub fn len(&self) -> usize {
        self.runs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// When [`Self::on_timer`] has something to do.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.runs.values().filter_map(|r| r.deadline).min()
    }

    /// Sends the due SIGTERMs (and SIGKILLs after the grace). Returns the runs signalled,
    /// with the signal, for the caller's log.
    pub fn on_timer(&mut self, now: Instant) -> Vec<(ScriptId, Pid, Signal)> {
        let mut out = Vec::new();
        for (id, r) in self.runs.iter_mut() {
            let Some(at) = r.deadline else { continue };
            if at > now {
                continue;
            }
            let (sig, next, phase) = match r.phase {
                Phase::Running => (Signal::SIGTERM, Some(now + self.grace), Phase::Terminating),
                // A group that ignores SIGKILL cannot exist; retry rarely in case the
                // signal failed (EPERM after a setuid).
                Phase::Terminating | Phase::Killed => {
                    (Signal::SIGKILL, Some(now + self.grace * 5), Phase::Killed)
                }
            };
            match killpg(r.pid, sig) {
                Ok(()) | Err(Errno::ESRCH) => {}
                Err(e) => log::warn!("kill -{sig} of script group {}: {e}", r.pid),
            }
            r.phase = phase;
            r.deadline = next;
            out.push((*id, r.pid, sig));
        }
        out
    }

    /// Reaps every run that ended (call on SIGCHLD); never blocks. A group leader that
    /// died of our SIGTERM takes its group down with SIGKILL, so no grandchild lingers.
    pub fn reap(&mut self, now: Instant) -> Vec<ScriptDone> {
        let exits = self.watcher.reap();
        let mut out = Vec::new();
        for exit in exits {
            let Some((&id, _)) = self.runs.iter().find(|(_, r)| r.pid == exit.pid) else {
                continue;
            };
            let Some(r) = self.runs.remove(&id) else {
                continue;
            };
            let ours = r.phase != Phase::Running;
            if ours {
                let _ = killpg(r.pid, Signal::SIGKILL);
            }
            let end = match exit.how {
                ExitKind::Exited(s) if ours => ScriptEnd::TimedOutExited(s),
                ExitKind::Exited(s) => ScriptEnd::Exited(s),
                ExitKind::Signaled { signal, .. }
                    if ours && matches!(signal, Signal::SIGTERM | Signal::SIGKILL) =>
                {
                    ScriptEnd::TimedOut(signal)
                }
                ExitKind::Signaled { signal, .. } => ScriptEnd::Signaled(signal),
                ExitKind::Lost => ScriptEnd::Lost,
            };
            out.push(ScriptDone {
                id,
                pid: r.pid,
                started: r.started,
                ended: now,
                end,
            });
        }
        out
    }

    /// Sends `sig` to every running script's group (their timeouts stay as they are).
    pub fn signal_all(&self, sig: Signal) {
        for r in self.runs.values() {
            match killpg(r.pid, sig) {
                Ok(()) | Err(Errno::ESRCH) => {}
                Err(e) => log::warn!("kill -{sig} of script group {}: {e}", r.pid),
            }
        }
    }

    /// Forgets every run without signalling it, so dropping the runner kills nothing: for
    /// a loop that is exiting and leaves its last scripts to [`ScriptSpec::die_with_parent`].
    pub fn detach_all(&mut self) {
        self.runs.clear();
    }

    /// SIGKILLs every running script's group (reaped later by [`Self::reap`], or by
    /// nobody if the process is exiting).
    pub fn kill_all(&mut self) {
        for r in self.runs.values_mut() {
            let _ = killpg(r.pid, Signal::SIGKILL);
            r.phase = Phase::Killed;
        }
    }
}

impl Drop for ScriptRunner {
    fn drop(&mut self) {
        self.kill_all();
    }
}

/// uid and primary gid of `user` (and `group`'s gid when given), for [`ScriptSpec`].
pub fn resolve_user(user: &str, group: Option<&str>) -> io::Result<(u32, u32)> {
    let u = nix::unistd::User::from_name(user)
        .map_err(io::Error::from)?
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("no user {user}")))?;
    let gid = match group {
        None => u.gid.as_raw(),
        Some(g) => nix::unistd::Group::from_name(g)
            .map_err(io::Error::from)?
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("no group {g}")))?
            .gid
            .as_raw(),
    };
    Ok((u.uid.as_raw(), gid))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Signals;

    fn sh(cmd: &str) -> ScriptSpec {
        ScriptSpec::new(vec!["/bin/sh".into(), "-c".into(), cmd.into()])
    }

    /// Reaps until `n` runs ended or `limit` passed, driving timeouts; polls every 5 ms
    /// (the test has no poller; the daemon's loop waits on the SIGCHLD pipe instead).
    fn drive(r: &mut ScriptRunner, n: usize, limit: Duration) -> Vec<ScriptDone> {
        let end = Instant::now() + limit;
        let mut done = Vec::new();
        while done.len() < n && Instant::now() < end {
            let now = Instant::now();
            r.on_timer(now);
            done.extend(r.reap(now));
            std::thread::sleep(Duration::from_millis(5));
        }
        done
    }

    #[test]
    fn exit_status_is_reported() {
        let _sig = Signals::new(&[libc_sigchld()]).expect("signals");
        let mut r = ScriptRunner::new();
        let (a, _) = r.spawn(&sh("exit 0"), Instant::now()).expect("spawn");
        let (b, _) = r.spawn(&sh("exit 3"), Instant::now()).expect("spawn");
        let done = drive(&mut r, 2, Duration::from_secs(10));
        assert_eq!(done.len(), 2);
        let get = |id| done.iter().find(|d| d.id == id).map(|d| d.end);
        assert_eq!(get(a), Some(ScriptEnd::Exited(0)));
        assert_eq!(get(b), Some(ScriptEnd::Exited(3)));
        assert!(get(a).is_some_and(|e| e.success()));
        assert!(r.is_empty());
    }

    #[test]
    fn a_hung_script_and_its_children_are_killed_at_the_timeout() {
        let _sig = Signals::new(&[libc_sigchld()]).expect("signals");
        let dir = tempfile::tempdir().expect("tempdir");
        let pidfile = dir.path().join("grandchild");
        // The script ignores SIGTERM and leaves a grandchild: SIGKILL after the grace
        // must take both.
        let cmd = format!(
            "trap '' TERM; sleep 1000 & echo $! > {}; while :; do sleep 1; done",
            pidfile.display()
        );
        let mut spec = sh(&cmd);
        spec.timeout = Some(Duration::from_millis(200));
        let mut r = ScriptRunner::new().with_kill_grace(Duration::from_millis(200));
        let t0 = Instant::now();
        let (id, _) = r.spawn(&spec, t0).expect("spawn");
        let done = drive(&mut r, 1, Duration::from_secs(10));
        assert_eq!(done.len(), 1, "the script was not killed");
        assert_eq!(done[0].id, id);
        assert_eq!(done[0].end, ScriptEnd::TimedOut(Signal::SIGKILL));
        let took = done[0].ended - t0;
        assert!(
            took >= Duration::from_millis(400),
            "killed too early: {took:?}"
        );
        let gc: i32 = std::fs::read_to_string(&pidfile)
            .expect("grandchild pid")
            .trim()
            .parse()
            .expect("pid");
        // The grandchild is reparented (to init or a subreaper) and reaped there; give it
        // a moment, then it must be gone or a zombie.
        std::thread::sleep(Duration::from_millis(200));
        let stat = std::fs::read_to_string(format!("/proc/{gc}/stat")).unwrap_or_default();
        assert!(
            stat.is_empty() || stat.contains(") Z"),
            "grandchild {gc} survived: {stat}"
        );
    }

    #[test]
    fn sigterm_is_enough_for_a_polite_script() {
        let _sig = Signals::new(&[libc_sigchld()]).expect("signals");
        let mut spec = sh("exec sleep 1000");
        spec.timeout = Some(Duration::from_millis(100));
        let mut r = ScriptRunner::new();
        r.spawn(&spec, Instant::now()).expect("spawn");
        let done = drive(&mut r, 1, Duration::from_secs(5));
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].end, ScriptEnd::TimedOut(Signal::SIGTERM));
        assert!(done[0].end.timed_out());
    }

    #[test]
    fn drop_kills_running_scripts() {
        let _sig = Signals::new(&[libc_sigchld()]).expect("signals");
        let mut r = ScriptRunner::new();
        let (_, pid) = r
            .spawn(&sh("exec sleep 1000"), Instant::now())
            .expect("spawn");
        drop(r);
        // Reap it ourselves (the runner is gone).
        let st = nix::sys::wait::waitpid(pid, None).expect("waitpid");
        assert!(matches!(
            st,
            nix::sys::wait::WaitStatus::Signaled(_, Signal::SIGKILL, _)
        ));
    }

    #[test]
    fn arguments_are_passed_verbatim_without_a_shell() {
        let _sig = Signals::new(&[libc_sigchld()]).expect("signals");
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("o");
        let spec = ScriptSpec::new(vec![
            "/bin/sh".into(),
            "-c".into(),
            "echo \"$@\" > \"$0\"".into(),
            out.display().to_string(),
            "a b".into(),
            "*".into(),
        ]);
        let mut r = ScriptRunner::new();
        r.spawn(&spec, Instant::now()).expect("spawn");
        let done = drive(&mut r, 1, Duration::from_secs(10));
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].end, ScriptEnd::Exited(0));
        assert_eq!(std::fs::read_to_string(&out).expect("out"), "a b *\n");
    }

    /// The death signal follows the thread that spawned (as the VRRP child's loop): when
    /// it ends, a detached script gets SIGTERM; one spawned without it keeps running.
    #[test]
    fn die_with_parent_signals_the_script_when_its_spawning_thread_ends() {
        let spawn = |die: Option<Signal>| {
            std::thread::spawn(move || {
                let mut spec = sh("exec sleep 1000");
                spec.die_with_parent = die;
                let mut r = ScriptRunner::new();
                let (_, pid) = r.spawn(&spec, Instant::now()).expect("spawn");
                r.detach_all();
                // The spawn does not wait for the exec; the death signal is asked for
                // before it, so the thread must live until then.
                let me = std::env::current_exe().expect("current_exe");
                let t0 = Instant::now();
                while std::fs::read_link(format!("/proc/{pid}/exe")).ok() == Some(me.clone())
                    && t0.elapsed() < Duration::from_secs(20)
                {
                    std::thread::sleep(Duration::from_millis(2));
                }
                pid
            })
            .join()
            .expect("thread")
        };
        use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
        let dies = spawn(Some(Signal::SIGTERM));
        let lives = spawn(None);
        // Never blocks: a script that did not die must fail the test, not hang it.
        let t0 = Instant::now();
        let mut st = WaitStatus::StillAlive;
        while st == WaitStatus::StillAlive && t0.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(10));
            st = waitpid(dies, Some(WaitPidFlag::WNOHANG)).expect("waitpid");
        }
        let _ = killpg(dies, Signal::SIGKILL);
        let alive = waitpid(lives, Some(WaitPidFlag::WNOHANG)).expect("waitpid");
        let _ = killpg(lives, Signal::SIGKILL);
        let _ = waitpid(lives, None);
        assert!(
            matches!(st, WaitStatus::Signaled(_, Signal::SIGTERM, _)),
            "{st:?}"
        );
        assert_eq!(alive, WaitStatus::StillAlive);
    }

    #[test]
    fn empty_command_is_an_error() {
        let mut r = ScriptRunner::new();
        assert!(r.spawn(&ScriptSpec::new(vec![]), Instant::now()).is_err());
        assert!(r
            .spawn(
                &ScriptSpec::new(vec!["/nonexistent/x".into()]),
                Instant::now()
            )
            .is_err());
    }

    /// A program that passes the check but cannot be exec'd (its interpreter is missing)
    /// ends with status 127, as keepalived reports a script it could not run.
    #[test]
    fn exec_failure_ends_with_status_127() {
        use std::os::unix::fs::PermissionsExt;
        let _sig = Signals::new(&[libc_sigchld()]).expect("signals");
        let dir = tempfile::tempdir().expect("tempdir");
        let bad = dir.path().join("bad");
        std::fs::write(&bad, "#!/nonexistent/interpreter\n").expect("write");
        std::fs::set_permissions(&bad, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let mut r = ScriptRunner::new();
        r.spawn(
            &ScriptSpec::new(vec![bad.display().to_string()]),
            Instant::now(),
        )
        .expect("spawn");
        let done = drive(&mut r, 1, Duration::from_secs(10));
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].end, ScriptEnd::Exited(EXEC_FAILED));
        assert!(!done[0].end.success());
    }

    fn libc_sigchld() -> i32 {
        Signal::SIGCHLD as i32
    }
}
