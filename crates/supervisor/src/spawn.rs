//! Starting a child: a fresh socketpair, then fork + exec of `/proc/self/exe` in the hidden
//! child role; called by the parent loop for every (re)start.
//!
//! The exec goes through `std::process::Command`, which does the fork/exec itself (with
//! the async-signal-safe discipline between them and a pipe that reports a failed exec as
//! an error here), so the supervisor needs no `unsafe`. Every descriptor of the parent is
//! close-on-exec; the child's end of the socketpair alone has that flag cleared, just for
//! this spawn: the parent is single-threaded, so no other exec can happen while it is
//! inheritable, and the parent closes its copy as soon as the child runs.
//!
//! The child is told its role, the descriptor number, and the parent's pid (to check its
//! parent-death signal was armed in time). Its `argv[0]` is `keepalived-rs: vrrp` (what
//! `ps` and `/proc/PID/cmdline` show); the child also sets its 15-byte kernel name.

use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

use nix::fcntl::{fcntl, FcntlArg, FdFlag};
use nix::unistd::Pid;

use crate::child::Role;
use crate::notify::NOTIFY_SOCKET_ENV;
use crate::options::DaemonOptions;
use crate::sched::ChildSched;

/// The hidden first argument that selects the child role.
pub const CHILD_FLAG: &str = "--child";

/// The name of a role on the child's hidden command line and in its log tag.
pub fn role_arg(role: Role) -> &'static str {
    match role {
        Role::Vrrp => "vrrp",
        Role::Checker => "checker",
    }
}

pub fn role_from_arg(arg: &str) -> Option<Role> {
    match arg {
        "vrrp" => Some(Role::Vrrp),
        "checker" | "check" => Some(Role::Checker),
        _ => None,
    }
}

/// `argv[0]` of a child, as `ps` shows it.
pub fn process_title(role: Role) -> String {
    format!("keepalived-rs: {}", role_arg(role))
}

/// The kernel name (`/proc/PID/comm`, 15 bytes at most) of a child.
pub fn comm_name(role: Role) -> &'static str {
    match role {
        Role::Vrrp => "ka-rs: vrrp",
        Role::Checker => "ka-rs: checker",
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SpawnError {
    #[error("creating the child's socketpair: {0}")]
    SocketPair(#[source] keepalived_ipc::ChannelError),
    #[error("making the child's channel inheritable: {0}")]
    Inheritable(#[source] nix::errno::Errno),
    #[error("executing /proc/self/exe: {0}")]
    Exec(#[source] std::io::Error),
    #[error("child pid {0} out of range")]
    Pid(u32),
}

/// A started child: its pid and the parent's end of its channel.
#[derive(Debug)]
pub struct Spawned {
    pub pid: Pid,
    pub fd: OwnedFd,
}

pub fn spawn_child(
    role: Role,
    opts: &DaemonOptions,
    sched: &ChildSched,
) -> Result<Spawned, SpawnError> {
    let (ours, theirs) = keepalived_ipc::socket_pair().map_err(SpawnError::SocketPair)?;
    fcntl(&theirs, FcntlArg::F_SETFD(FdFlag::empty())).map_err(SpawnError::Inheritable)?;
    let mut cmd = Command::new("/proc/self/exe");
    cmd.arg0(process_title(role))
        .arg(CHILD_FLAG)
        .arg(role_arg(role))
        .arg("--ipc-fd")
        .arg(theirs.as_raw_fd().to_string())
        .arg("--parent-pid")
        .arg(std::process::id().to_string());
    for _ in 0..opts.log_detail.min(3) {
        cmd.arg("-D");
    }
    if opts.dont_release_vrrp {
        cmd.arg("-V");
    }
    if opts.dont_release_ipvs {
        cmd.arg("-I");
    }
    if opts.release_vips {
        cmd.arg("-X");
    }
    if !sched.is_empty() {
        cmd.arg("--sched").arg(sched.to_arg());
    }
    cmd.stdin(Stdio::null()).env_remove(NOTIFY_SOCKET_ENV);
    let child = cmd.spawn().map_err(SpawnError::Exec)?;
    // Our copy of the child's end closes here; from now on a hang-up means the child.
    drop(theirs);
    let pid = i32::try_from(child.id()).map_err(|_| SpawnError::Pid(child.id()))?;
    // Dropping `Child` neither waits nor kills: the parent reaps with waitpid(-1).
    drop(child);
    Ok(Spawned {
        pid: Pid::from_raw(pid),
        fd: ours,
    })
}

/// The child's view of its hidden command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildArgs {
    pub role: Role,
    pub ipc_fd: i32,
    pub parent_pid: Pid,
    pub log_detail: u32,
    pub dont_release_vrrp: bool,
    pub dont_release_ipvs: bool,
    pub release_vips: bool,
    pub sched: ChildSched,
}

impl ChildArgs {
    /// Parses `--child ROLE --ipc-fd N --parent-pid P [-D]... [-V] [-I] [-X] [--sched SPEC]` (the words
    /// after the program name).
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut it = args.iter();
        if it.next().map(String::as_str) != Some(CHILD_FLAG) {
            return Err(format!("expected {CHILD_FLAG}"));
        }
        let role = it
            .next()
            .and_then(|r| role_from_arg(r))
            .ok_or("unknown child role")?;
        let mut out = ChildArgs {
            role,
            ipc_fd: -1,
            parent_pid: Pid::from_raw(0),
            log_detail: 0,
            dont_release_vrrp: false,
            dont_release_ipvs: false,
            release_vips: false,
            sched: ChildSched::default(),
        };
        while let Some(a) = it.next() {
            match a.as_str() {
                "--ipc-fd" => {
                    out.ipc_fd = it
                        .next()
                        .and_then(|v| v.parse().ok())
                        .ok_or("--ipc-fd needs a number")?;
                }
                "--parent-pid" => {
                    out.parent_pid = Pid::from_raw(
                        it.next()
                            .and_then(|v| v.parse().ok())
                            .ok_or("--parent-pid needs a number")?,
                    );
                }
                "-D" => out.log_detail += 1,
                "-V" => out.dont_release_vrrp = true,
                "-I" => out.dont_release_ipvs = true,
                "-X" => out.release_vips = true,
                "--sched" => {
                    out.sched = ChildSched::parse_arg(it.next().ok_or("--sched needs a value")?)?;
                }
                other => return Err(format!("unexpected child argument {other:?}")),
            }
        }
        if out.ipc_fd < 0 || out.parent_pid.as_raw() <= 0 {
            return Err("--ipc-fd and --parent-pid are required".into());
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn child_args_round_trip() {
        let a =
            ChildArgs::parse(&words("--child vrrp --ipc-fd 7 --parent-pid 42 -D -D -V")).unwrap();
        assert_eq!(a.role, Role::Vrrp);
        assert_eq!(a.ipc_fd, 7);
        assert_eq!(a.parent_pid, Pid::from_raw(42));
        assert_eq!(a.log_detail, 2);
        assert!(a.dont_release_vrrp && !a.dont_release_ipvs && !a.release_vips);
        let a =
            ChildArgs::parse(&words("--child checker --parent-pid 1 --ipc-fd 3 -I -X")).unwrap();
        assert_eq!(a.role, Role::Checker);
        assert!(a.dont_release_ipvs && a.release_vips);
        assert!(a.sched.is_empty());
        let a = ChildArgs::parse(&words(
            "--child vrrp --ipc-fd 3 --parent-pid 1 --sched rt=20,rttime=10000",
        ))
        .unwrap();
        assert_eq!(a.sched.rt_priority, Some(20));
    }

    #[test]
    fn child_args_refuse_nonsense() {
        for bad in [
            "",
            "--child",
            "--child bfd --ipc-fd 3 --parent-pid 1",
            "--child vrrp --ipc-fd x --parent-pid 1",
            "--child vrrp --ipc-fd 3",
            "--child vrrp --ipc-fd 3 --parent-pid 1 --bogus",
            "--child vrrp --ipc-fd 3 --parent-pid 1 --sched",
            "--child vrrp --ipc-fd 3 --parent-pid 1 --sched rt=x",
            "vrrp --ipc-fd 3 --parent-pid 1",
        ] {
            assert!(ChildArgs::parse(&words(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names_fit_the_kernel() {
        for r in [Role::Vrrp, Role::Checker] {
            assert!(comm_name(r).len() <= 15);
            assert_eq!(role_from_arg(role_arg(r)), Some(r));
            assert!(process_title(r).starts_with("keepalived-rs: "));
        }
    }
}
