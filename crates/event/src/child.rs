//! Reaping child processes without ever blocking: on SIGCHLD the loop calls
//! [`ChildWatcher::reap`] (scripts, checkers' MISC_CHECK) or [`ChildWatcher::reap_any`]
//! (the parent, which is also a subreaper), and gets each pid with how it ended.
//!
//! `reap` waits only for pids it was told about, so it never steals the exit status of a
//! child someone else in the process waits for. SIGCHLD coalesces, so each call loops over
//! every watched pid with `WNOHANG` rather than assuming one signal per child.

use std::collections::BTreeSet;

use nix::errno::Errno;
use nix::sys::signal::Signal;
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::Pid;

/// How a child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitKind {
    Exited(i32),
    Signaled {
        signal: Signal,
        core_dumped: bool,
    },
    /// The pid was no child of ours any more (`ECHILD`): someone else reaped it.
    Lost,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildExit {
    pub pid: Pid,
    pub how: ExitKind,
}

#[derive(Debug, Default)]
pub struct ChildWatcher {
    watched: BTreeSet<Pid>,
}

impl ChildWatcher {
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts watching `pid`. Install the SIGCHLD handler before spawning, or call
    /// [`ChildWatcher::reap`] once after `watch`, so an early exit is not missed.
    pub fn watch(&mut self, pid: Pid) {
        self.watched.insert(pid);
    }

    /// Stops watching `pid` (its exit will then go unreaped by `reap`).
    pub fn forget(&mut self, pid: Pid) -> bool {
        self.watched.remove(&pid)
    }

    pub fn is_watched(&self, pid: Pid) -> bool {
        self.watched.contains(&pid)
    }

    pub fn len(&self) -> usize {
        self.watched.len()
    }

    pub fn is_empty(&self) -> bool {
        self.watched.is_empty()
    }

    /// Reaps every watched child that has ended; never blocks.
    pub fn reap(&mut self) -> Vec<ChildExit> {
        let mut out = Vec::new();
        self.watched.retain(|&pid| match wait_one(pid) {
            Some(how) => {
                out.push(ChildExit { pid, how });
                false
            }
            None => true,
        });
        out
    }

    /// Reaps every ended child of the process, watched or not (`waitpid(-1, WNOHANG)`), as
    /// the parent must: it is a subreaper, so orphaned grandchildren land on it too.
    pub fn reap_any(&mut self) -> Vec<ChildExit> {
        let mut out = Vec::new();
        loop {
            match waitpid(None, Some(WaitPidFlag::WNOHANG)) {
                Err(Errno::EINTR) => continue,
                Ok(status) => match classify(status) {
                    Some((pid, how)) => {
                        self.watched.remove(&pid);
                        out.push(ChildExit { pid, how });
                    }
                    None if status == WaitStatus::StillAlive => break,
                    None => continue,
                },
                // ECHILD: no children at all.
                Err(_) => break,
            }
        }
        out
    }
}

fn wait_one(pid: Pid) -> Option<ExitKind> {
    loop {
        match waitpid(pid, Some(WaitPidFlag::WNOHANG)) {
            Err(Errno::EINTR) => continue,
            Err(_) => return Some(ExitKind::Lost),
            Ok(status) => return classify(status).map(|(_, how)| how),
        }
    }
}

fn classify(status: WaitStatus) -> Option<(Pid, ExitKind)> {
    match status {
        WaitStatus::Exited(pid, code) => Some((pid, ExitKind::Exited(code))),
        WaitStatus::Signaled(pid, signal, core_dumped) => Some((
            pid,
            ExitKind::Signaled {
                signal,
                core_dumped,
            },
        )),
        // Stops and continues (only with WUNTRACED/WCONTINUED, which we do not ask for).
        _ => None,
    }
}
