//! A process spawn that does not wait for the child's `exec`; called by keepalived-event's
//! `ScriptRunner` (vrrp_script, notify and FIFO reader scripts of the VRRP child).
//!
//! `std::process::Command::spawn` (and `posix_spawn`) return only once the child has
//! exec'd. The VRRP child runs at `SCHED_RR` and starts its scripts with
//! `SCHED_RESET_ON_FORK`, so on a busy host the normal-priority child may not run for
//! several milliseconds, and the realtime loop waits all that time: 10 ms adverts were
//! measured 12 ms late at script runs. Here everything that allocates or can fail in an
//! interesting way is done before `fork`; the child makes only async-signal-safe system
//! calls and `execve`s, and the parent returns the pid at once. A failed `exec` shows as
//! exit status [`EXEC_FAILED`] (127, keepalived's and the shell's "not found / not
//! executable"), which is why the program is checked before the fork so that the usual
//! case (missing or non-executable script) is still an error from [`spawn_detached`].

use std::ffi::{CString, OsStr};
use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use nix::sys::signal::Signal;
use nix::unistd::Pid;

/// Exit status of a child whose `execve` failed.
pub const EXEC_FAILED: i32 = 127;
/// Exit status of a child that could not set itself up before `exec` (dropping
/// privileges, stdio, or its spawner already gone when the death signal was asked for):
/// it never runs the program, least of all with the privileges it should have dropped.
pub const SETUP_FAILED: i32 = 126;

/// Linux's signal numbers are 1..=64 (`_NSIG`) on the architectures we build for.
const KERNEL_NSIG: libc::c_long = 64;

/// What [`spawn_detached`] starts.
#[derive(Debug, Clone, Copy)]
pub struct SpawnSpec<'a> {
    /// Program then arguments (no shell). A program without `/` is looked up in `PATH`.
    pub args: &'a [String],
    /// Run as this uid (supplementary groups dropped) / gid; `None`: as we are.
    pub uid: Option<u32>,
    pub gid: Option<u32>,
    /// The kernel sends this signal to the child when the thread that spawned it ends.
    /// The child asks for it after the fork: if the spawning *process* is gone by then,
    /// the child exits ([`SETUP_FAILED`]); if only the spawning *thread* ended in that
    /// window, no signal comes (our loops spawn from a thread that lives as long as its
    /// process, so only tests see this).
    pub die_with_parent: Option<Signal>,
}

/// Starts `spec` in its own process group, stdio on `/dev/null`, every signal at its
/// default action and none blocked, the environment inherited; returns its pid without
/// waiting for its `exec`. The caller reaps it (by pid).
///
/// Errors: empty command, a program that is missing or not executable (checked before
/// the fork), or a failed `fork`. Anything that fails later in the child is its exit
/// status ([`EXEC_FAILED`], [`SETUP_FAILED`]).
///
/// Sound in a multi-threaded process too: the child runs no code that could need a lock
/// another thread held at the fork (no allocation, no stdio, no Rust runtime), only the
/// system calls POSIX lists as async-signal-safe.
pub fn spawn_detached(spec: &SpawnSpec<'_>) -> io::Result<Pid> {
    let prog = spec
        .args
        .first()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "empty command"))?;
    let path = resolve(prog)?;
    let cstr = |s: &OsStr, what: &str| {
        CString::new(s.as_bytes()).map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{what} of `{prog}` holds a NUL byte"),
            )
        })
    };
    let c_path = cstr(path.as_os_str(), "the path")?;
    let c_args = spec
        .args
        .iter()
        .map(|a| cstr(OsStr::new(a), "an argument"))
        .collect::<io::Result<Vec<_>>>()?;
    // A variable that cannot be a C string cannot be in our environ either; skip it.
    let c_env: Vec<CString> = std::env::vars_os()
        .filter_map(|(k, v)| {
            let mut kv = k;
            kv.push("=");
            kv.push(v);
            CString::new(kv.as_bytes()).ok()
        })
        .collect();
    let argv = nul_terminated(&c_args);
    let envp = nul_terminated(&c_env);
    let null = File::options()
        .read(true)
        .write(true)
        .open("/dev/null")
        .map_err(|e| io::Error::new(e.kind(), format!("opening /dev/null: {e}")))?;
    let null_fd = null.as_raw_fd();
    let parent = nix::unistd::getpid().as_raw();
    // std's Command also drops the supplementary groups, when it may, before a setuid.
    let drop_groups = spec.uid.is_some() && nix::unistd::geteuid().is_root();
    let death = spec.die_with_parent.map(|s| s as libc::c_ulong);
    let uid = spec.uid;
    let gid = spec.gid;
    // SAFETY: an all-zero sigset_t / sigaction is a valid value to initialise.
    let mut empty: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: `empty` is a valid, writable sigset_t.
    unsafe { libc::sigemptyset(&mut empty) };
    // The kernel's struct sigaction all zero: SIG_DFL, no flags, empty mask (whatever
    // the architecture's field order). glibc's sigaction refuses the signals it reserves
    // (32, 33), which can still be ignored by whoever started us; the raw call does not.
    let dfl = [0u64; 4];

    // SAFETY: fork itself is sound in any process. What makes the child sound although
    // other threads may exist (whose locks it inherits held) is that, until execve or
    // _exit, it only reads memory prepared above (never freed in the child: it has its own
    // copy, and leaves by execve or _exit without running destructors) and makes
    // async-signal-safe system calls through libc; it never allocates, unwinds or returns.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(io::Error::new(
            io::Error::last_os_error().kind(),
            format!("fork for `{prog}`: {}", io::Error::last_os_error()),
        ));
    }
    if pid == 0 {
        // SAFETY: see the fork above: only async-signal-safe calls on memory prepared
        // before the fork; every path ends in execve or _exit.
        unsafe {
            child(ChildPlan {
                path: c_path.as_ptr(),
                argv: argv.as_ptr(),
                envp: envp.as_ptr(),
                null_fd,
                parent,
                death,
                drop_groups,
                uid,
                gid,
                empty: &empty,
                dfl: &dfl,
            })
        }
    }
    let pid = Pid::from_raw(pid);
    // The child makes its own group, but maybe not before the caller signals the group
    // (a timeout, a shutdown): make it here too, as shells do. Once the child has exec'd
    // this fails with EACCES, and by then the child has done it itself.
    let _ = nix::unistd::setpgid(pid, pid);
    Ok(pid)
}

/// Everything the child needs, prepared before the fork.
struct ChildPlan<'a> {
    path: *const libc::c_char,
    argv: *const *const libc::c_char,
    envp: *const *const libc::c_char,
    null_fd: libc::c_int,
    parent: libc::pid_t,
    death: Option<libc::c_ulong>,
    drop_groups: bool,
    uid: Option<u32>,
    gid: Option<u32>,
    empty: &'a libc::sigset_t,
    dfl: &'a [u64; 4],
}

/// The forked child: set up, then exec; never returns.
///
/// # Safety
/// Must only be called in the child of a fork, with pointers into memory that was valid
/// at the fork (argv/envp NULL-terminated arrays of C strings).
unsafe fn child(p: ChildPlan<'_>) -> ! {
    // Its own group, so a timeout's killpg also takes whatever the script started.
    if libc::setpgid(0, 0) != 0 {
        libc::_exit(SETUP_FAILED);
    }
    if let Some(sig) = p.death {
        // If the spawner died before the request, the signal will never come: give up.
        if libc::prctl(libc::PR_SET_PDEATHSIG, sig, 0, 0, 0) != 0 || libc::getppid() != p.parent {
            libc::_exit(SETUP_FAILED);
        }
    }
    if p.drop_groups && libc::setgroups(0, std::ptr::null()) != 0 {
        libc::_exit(SETUP_FAILED);
    }
    if let Some(gid) = p.gid {
        if libc::setgid(gid) != 0 {
            libc::_exit(SETUP_FAILED);
        }
    }
    if let Some(uid) = p.uid {
        if libc::setuid(uid) != 0 {
            libc::_exit(SETUP_FAILED);
        }
    }
    for target in 0..=2 {
        let r = if p.null_fd == target {
            // Already there (our stdio was closed): only the close-on-exec flag must go.
            libc::fcntl(target, libc::F_SETFD, 0)
        } else {
            libc::dup2(p.null_fd, target)
        };
        if r < 0 {
            libc::_exit(SETUP_FAILED);
        }
    }
    // Handlers are reset by exec, but ignored signals (SIGPIPE by the Rust runtime,
    // SIGXCPU by a realtime child) and the mask would be inherited: reset both, as
    // keepalived does for its scripts. SIGKILL and SIGSTOP refuse; fine.
    for sig in 1..=KERNEL_NSIG {
        libc::syscall(
            libc::SYS_rt_sigaction,
            sig,
            p.dfl.as_ptr(),
            std::ptr::null_mut::<u64>(),
            8usize,
        );
    }
    libc::sigprocmask(libc::SIG_SETMASK, p.empty, std::ptr::null_mut());
    libc::execve(p.path, p.argv, p.envp);
    libc::_exit(EXEC_FAILED)
}

/// The pointer array `execve` wants: one per string, then NULL.
fn nul_terminated(v: &[CString]) -> Vec<*const libc::c_char> {
    v.iter()
        .map(|c| c.as_ptr())
        .chain(std::iter::once(std::ptr::null()))
        .collect()
}

/// The file `prog` names: as given when it has a `/`, else the first executable match
/// in `PATH` (as execvp would find it). Missing or not executable is an error here, so the
/// caller hears of it now and not as an exit status.
fn resolve(prog: &str) -> io::Result<PathBuf> {
    if prog.contains('/') {
        let p = PathBuf::from(prog);
        check_executable(&p)?;
        return Ok(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_else(|| "/usr/local/bin:/usr/bin:/bin".into());
    for dir in std::env::split_paths(&path) {
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        let cand = dir.join(prog);
        if check_executable(&cand).is_ok() {
            return Ok(cand);
        }
    }
    Err(io::Error::new(
        io::ErrorKind::NotFound,
        format!("`{prog}`: not found in PATH"),
    ))
}

fn check_executable(p: &Path) -> io::Result<()> {
    let meta = std::fs::metadata(p)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", p.display())))?;
    let denied = |why: &str| {
        io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("{}: {why}", p.display()),
        )
    };
    if !meta.is_file() {
        return Err(denied("not a regular file"));
    }
    // For root, access(X_OK) asks for at least one x bit, as execve does.
    nix::unistd::access(p, nix::unistd::AccessFlags::X_OK)
        .map_err(|e| denied(&format!("not executable: {e}")))
}

#[cfg(test)]
mod tests;
