//! Process-level system calls of the supervisor: daemonizing (the one `fork`), and the
//! `prctl`s for process names, the parent-death signal and the child subreaper; called by
//! keepalived-supervisor (parent and children).
//!
//! Children are not forked here: the parent starts them with `std::process::Command`
//! (fork/exec inside std, which reports a failed exec through its own pipe); the only
//! other raw `fork` is the script spawn of [`crate::spawn`].

use std::ffi::CString;
use std::fs::File;
use std::io;
use std::os::fd::{FromRawFd, OwnedFd, RawFd};
use std::sync::Mutex;

use nix::errno::Errno;
use nix::sys::signal::Signal;
use nix::unistd::{ForkResult, Pid};

#[derive(Debug)]
pub enum DaemonizeError {
    /// `fork` after threads exist would leave the child with locks held by threads that
    /// do not exist in it; we refuse rather than risk it.
    Threaded(usize),
    CountThreads(io::Error),
    Fork(Errno),
    Setsid(Errno),
    Chdir(Errno),
    OpenDevNull(io::Error),
    Redirect(Errno),
}

impl std::fmt::Display for DaemonizeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DaemonizeError::Threaded(n) => {
                write!(f, "refusing to fork a process with {n} threads")
            }
            DaemonizeError::CountThreads(e) => write!(f, "counting threads: {e}"),
            DaemonizeError::Fork(e) => write!(f, "fork: {e}"),
            DaemonizeError::Setsid(e) => write!(f, "setsid: {e}"),
            DaemonizeError::Chdir(e) => write!(f, "chdir /: {e}"),
            DaemonizeError::OpenDevNull(e) => write!(f, "opening /dev/null: {e}"),
            DaemonizeError::Redirect(e) => write!(f, "redirecting stdio to /dev/null: {e}"),
        }
    }
}

impl std::error::Error for DaemonizeError {}

/// How many threads this process has (`/proc/self/task`).
pub fn thread_count() -> io::Result<usize> {
    Ok(std::fs::read_dir("/proc/self/task")?.count())
}

/// keepalived's `xdaemon`: fork, the original process exits 0, the daemon starts a new
/// session, moves to `/` and points stdin/stdout (and stderr unless `keep_stderr`) at
/// `/dev/null`. Returns in the daemon only.
pub fn daemonize(keep_stderr: bool) -> Result<(), DaemonizeError> {
    let threads = thread_count().map_err(DaemonizeError::CountThreads)?;
    if threads != 1 {
        return Err(DaemonizeError::Threaded(threads));
    }
    // SAFETY: the process has exactly one thread (checked just above), so no lock can be
    // held by a thread that would be missing in the child; the child goes on running
    // ordinary Rust code, which is sound after fork in a single-threaded process.
    match unsafe { nix::unistd::fork() }.map_err(DaemonizeError::Fork)? {
        ForkResult::Parent { .. } => std::process::exit(0),
        ForkResult::Child => {}
    }
    nix::unistd::setsid().map_err(DaemonizeError::Setsid)?;
    nix::unistd::chdir("/").map_err(DaemonizeError::Chdir)?;
    let null = File::options()
        .read(true)
        .write(true)
        .open("/dev/null")
        .map_err(DaemonizeError::OpenDevNull)?;
    nix::unistd::dup2_stdin(&null).map_err(DaemonizeError::Redirect)?;
    nix::unistd::dup2_stdout(&null).map_err(DaemonizeError::Redirect)?;
    if !keep_stderr {
        nix::unistd::dup2_stderr(&null).map_err(DaemonizeError::Redirect)?;
    }
    Ok(())
}

/// Sets the kernel's name of the calling thread (`/proc/PID/comm`, what `top` and `ps -o
/// comm` show). The kernel keeps 15 bytes; longer names are cut there.
pub fn set_comm(name: &str) -> Result<(), Errno> {
    let short: String = name.chars().filter(|&c| c != '\0').take(15).collect();
    let c = CString::new(short).map_err(|_| Errno::EINVAL)?;
    nix::sys::prctl::set_name(&c)
}

/// Asks the kernel to send `signal` to this process when its parent dies, then checks
/// the parent is still `expected_parent`: if it died before the request, no signal will
/// come, and `Ok(false)` tells the caller to exit on its own.
pub fn die_with_parent(signal: Signal, expected_parent: Pid) -> Result<bool, Errno> {
    nix::sys::prctl::set_pdeathsig(signal)?;
    Ok(nix::unistd::getppid() == expected_parent)
}

/// Makes this process the reaper of orphaned descendants (scripts of a child that died),
/// so their exits reach our `waitpid` instead of init's.
pub fn become_subreaper() -> Result<(), Errno> {
    nix::sys::prctl::set_child_subreaper(true)
}

/// Descriptors already claimed by [`take_inherited_fd`], so none gets two owners.
static TAKEN: Mutex<Vec<RawFd>> = Mutex::new(Vec::new());

/// Takes ownership of a socket this process inherited across `exec` under the number `fd`
/// (a child's channel to the parent, named on its command line). Fails with `EBADF` if
/// nothing is open there, `ENOTSOCK` if it is no socket, `EINVAL` for the standard streams,
/// and `EBUSY` if it was already taken.
pub fn take_inherited_fd(fd: RawFd) -> Result<OwnedFd, Errno> {
    if fd <= 2 {
        return Err(Errno::EINVAL);
    }
    let mut taken = TAKEN.lock().unwrap_or_else(|p| p.into_inner());
    if taken.contains(&fd) {
        return Err(Errno::EBUSY);
    }
    let st = nix::sys::stat::fstat(
        // fstat on a number that may not be open: a bad number is reported as EBADF, and
        // nothing is taken yet.
        fd_ref(fd),
    )?;
    if st.st_mode & libc::S_IFMT != libc::S_IFSOCK {
        return Err(Errno::ENOTSOCK);
    }
    taken.push(fd);
    // SAFETY: `fd` is open (fstat succeeded) and is a socket; it was inherited across exec
    // for this purpose, nothing in this fresh process has wrapped it (std opens no sockets
    // at startup), and TAKEN guarantees this function hands it out at most once.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// A borrowed view of a raw number for `fstat`, which must not close it.
fn fd_ref(fd: RawFd) -> std::os::fd::BorrowedFd<'static> {
    // SAFETY: the borrow is used for a single fstat call inside `take_inherited_fd` and never
    // outlives it; an fd number that is not open only makes that call fail with EBADF.
    unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comm_is_set_and_cut_at_15_bytes() {
        // Test threads are separate threads: naming this one does not rename the harness.
        set_comm("keepalived-rs: checker").unwrap();
        let me = std::fs::read_to_string("/proc/thread-self/comm").unwrap();
        assert_eq!(me.trim_end_matches('\n'), "keepalived-rs: ");
    }

    #[test]
    fn pdeathsig_reports_the_current_parent() {
        let parent = nix::unistd::getppid();
        assert!(die_with_parent(Signal::SIGTERM, parent).unwrap());
        assert!(!die_with_parent(Signal::SIGTERM, Pid::from_raw(parent.as_raw() + 1)).unwrap());
        nix::sys::prctl::set_pdeathsig(None).unwrap();
    }

    #[test]
    fn inherited_fd_is_taken_once_and_checked() {
        use nix::sys::socket::{socketpair, AddressFamily, SockFlag, SockType};
        use std::os::fd::{AsRawFd, IntoRawFd};
        let (a, _b) = socketpair(
            AddressFamily::Unix,
            SockType::SeqPacket,
            None,
            SockFlag::SOCK_CLOEXEC,
        )
        .unwrap();
        let raw = a.into_raw_fd();
        let owned = take_inherited_fd(raw).unwrap();
        assert_eq!(owned.as_raw_fd(), raw);
        assert_eq!(take_inherited_fd(raw).unwrap_err(), Errno::EBUSY);
        assert_eq!(take_inherited_fd(1).unwrap_err(), Errno::EINVAL);
        let file = File::open("/proc/self/status").unwrap();
        assert_eq!(
            take_inherited_fd(file.as_raw_fd()).unwrap_err(),
            Errno::ENOTSOCK
        );
        assert_eq!(take_inherited_fd(100_000).unwrap_err(), Errno::EBADF);
    }

    #[test]
    fn thread_count_sees_this_thread() {
        assert!(thread_count().unwrap() >= 1);
    }
}
