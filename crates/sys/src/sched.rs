//! Scheduling and memory-residency settings of a child process (keepalived's
//! `vrrp_rt_priority`, `vrrp_rlimit_rttime`, `vrrp_priority`, `vrrp_no_swap`,
//! `vrrp_cpu_affinity` and their `checker_*` twins); called by keepalived-supervisor's
//! worker when a child starts, and by tests that read the settings back.
//!
//! Linux keeps the policy, the nice value and the affinity per thread: each call here
//! changes the calling thread (and the threads it creates later), which in a child at
//! startup is the whole process.

use nix::errno::Errno;

/// The scheduling of the calling thread, as `chrt -p` and `/proc/PID/sched` show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Current {
    /// `SCHED_OTHER` (0), `SCHED_FIFO` (1), `SCHED_RR` (2), ... without the reset-on-fork bit.
    pub policy: i32,
    /// The real-time priority (0 for the normal policies).
    pub rt_priority: i32,
    pub nice: i32,
}

/// Round-robin real-time scheduling at `priority` (1..=99) for the calling thread, with
/// reset-on-fork as keepalived does it: the scripts the child starts run at the normal
/// policy and a nice of 0 or more, not in real time.
pub fn set_round_robin(priority: i32) -> Result<(), Errno> {
    let param = libc::sched_param {
        sched_priority: priority,
    };
    // SAFETY: `param` is a valid sched_param that lives across the call; pid 0 names the
    // calling thread; the call only reads `param`.
    let r =
        unsafe { libc::sched_setscheduler(0, libc::SCHED_RR | libc::SCHED_RESET_ON_FORK, &param) };
    Errno::result(r).map(drop)
}

/// Round-robin real-time scheduling at `priority` for the calling thread, inherited by
/// the processes it starts (no reset-on-fork): for the supervisor's parent while it stands
/// in for the VRRP child, so the child it starts then is not starved before it applies its
/// own scheduling.
pub fn set_round_robin_inherited(priority: i32) -> Result<(), Errno> {
    let param = libc::sched_param {
        sched_priority: priority,
    };
    // SAFETY: as in `set_round_robin`: a valid param, pid 0, read only.
    let r = unsafe { libc::sched_setscheduler(0, libc::SCHED_RR, &param) };
    Errno::result(r).map(drop)
}

/// Back to the normal policy (`SCHED_OTHER`): for tests that raised their own thread.
pub fn set_normal() -> Result<(), Errno> {
    let param = libc::sched_param { sched_priority: 0 };
    // SAFETY: as in `set_round_robin`: a valid param, pid 0, read only.
    let r = unsafe { libc::sched_setscheduler(0, libc::SCHED_OTHER, &param) };
    Errno::result(r).map(drop)
}

/// `RLIMIT_RTTIME`: how much CPU (µs) a real-time thread may use without blocking. Past
/// `soft_us` the kernel sends SIGXCPU (once a second), past `hard_us` SIGKILL: a real-time
/// child stuck in a loop cannot starve the host.
pub fn set_rttime_limit(soft_us: u64, hard_us: u64) -> Result<(), Errno> {
    let lim = libc::rlimit {
        rlim_cur: soft_us,
        rlim_max: hard_us,
    };
    // SAFETY: `lim` is a valid rlimit that lives across the call, which only reads it.
    let r = unsafe { libc::setrlimit(libc::RLIMIT_RTTIME, &lim) };
    Errno::result(r).map(drop)
}

/// The current `RLIMIT_RTTIME` as (soft, hard) µs (`RLIM_INFINITY` when unlimited).
pub fn rttime_limit() -> Result<(u64, u64), Errno> {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `lim` is a valid, writable rlimit that lives across the call.
    let r = unsafe { libc::getrlimit(libc::RLIMIT_RTTIME, &mut lim) };
    Errno::result(r).map(|_| (lim.rlim_cur, lim.rlim_max))
}

/// Ignores SIGXCPU (the soft `RLIMIT_RTTIME` warning, whose default action is to dump
/// core) until the child's event loop installs its own handler and logs it.
pub fn ignore_sigxcpu() -> Result<(), Errno> {
    use nix::sys::signal::{signal, SigHandler, Signal};
    // SAFETY: SIG_IGN runs no code of ours in signal context, so nothing here can break
    // async-signal safety; replacing a handler someone else installed is intended (the
    // child installs its own later).
    unsafe { signal(Signal::SIGXCPU, SigHandler::SigIgn) }.map(drop)
}

/// The nice value (-20..=19) of the calling thread.
pub fn set_nice(nice: i32) -> Result<(), Errno> {
    // SAFETY: setpriority takes plain integers and touches no memory of ours; `who` 0
    // names the calling thread.
    let r = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, nice) };
    Errno::result(r).map(drop)
}

/// Locks the process's pages in memory as they are touched (`MCL_ONFAULT`: mappings not
/// yet used, such as unread parts of the binary, are not pulled in), now and for future
/// mappings: no advert waits for a page to come back from swap.
pub fn lock_memory() -> Result<(), Errno> {
    // SAFETY: mlockall takes flags only and changes no memory contents.
    let r = unsafe { libc::mlockall(libc::MCL_CURRENT | libc::MCL_FUTURE | libc::MCL_ONFAULT) };
    Errno::result(r).map(drop)
}

/// Undoes [`lock_memory`] (for tests).
pub fn unlock_memory() -> Result<(), Errno> {
    // SAFETY: munlockall takes no arguments and changes no memory contents.
    let r = unsafe { libc::munlockall() };
    Errno::result(r).map(drop)
}

/// Pins the calling thread to `cpus` (ids as the kernel numbers them).
pub fn set_affinity(cpus: &[usize]) -> Result<(), Errno> {
    let mut set = nix::sched::CpuSet::new();
    for &c in cpus {
        set.set(c)?;
    }
    nix::sched::sched_setaffinity(nix::unistd::Pid::from_raw(0), &set)
}

/// The CPUs the calling thread may run on.
pub fn affinity() -> Result<Vec<usize>, Errno> {
    let set = nix::sched::sched_getaffinity(nix::unistd::Pid::from_raw(0))?;
    Ok((0..nix::sched::CpuSet::count())
        .filter(|&c| set.is_set(c).unwrap_or(false))
        .collect())
}

/// The calling thread's policy, real-time priority and nice value.
pub fn current() -> Result<Current, Errno> {
    // SAFETY: pid 0 names the calling thread; no memory is passed.
    let policy = Errno::result(unsafe { libc::sched_getscheduler(0) })?;
    let mut param = libc::sched_param { sched_priority: 0 };
    // SAFETY: `param` is a valid, writable sched_param that lives across the call.
    Errno::result(unsafe { libc::sched_getparam(0, &mut param) })?;
    Errno::clear();
    // SAFETY: plain integers; -1 is a valid nice value, so errno tells failure apart.
    let nice = unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
    if nice == -1 && Errno::last_raw() != 0 {
        return Err(Errno::last());
    }
    Ok(Current {
        policy: policy & !libc::SCHED_RESET_ON_FORK,
        rt_priority: param.sched_priority,
        nice,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Each test runs on its own thread, and these settings are per thread (the rlimit is
    // per process but only binds real-time threads): the harness is not affected.

    #[test]
    fn nice_and_affinity_are_set_and_read_back() {
        set_nice(7).unwrap();
        assert_eq!(current().unwrap().nice, 7);
        let cpus = affinity().unwrap();
        let first = *cpus.first().unwrap();
        set_affinity(&[first]).unwrap();
        assert_eq!(affinity().unwrap(), vec![first]);
        set_affinity(&cpus).unwrap();
        assert!(set_affinity(&[]).is_err(), "an empty CPU set is refused");
    }

    #[test]
    fn round_robin_is_set_and_reset() {
        let before = current().unwrap();
        match set_round_robin(10) {
            // Not root / no CAP_SYS_NICE (a container without it): nothing to check.
            Err(Errno::EPERM) => return,
            r => r.unwrap(),
        }
        let c = current().unwrap();
        assert_eq!((c.policy, c.rt_priority), (libc::SCHED_RR, 10));
        set_round_robin_inherited(11).unwrap();
        let c = current().unwrap();
        assert_eq!((c.policy, c.rt_priority), (libc::SCHED_RR, 11));
        set_normal().unwrap();
        assert_eq!(current().unwrap().policy, before.policy);
    }

    #[test]
    fn rttime_limit_is_set_and_read_back() {
        let orig = rttime_limit().unwrap();
        if set_rttime_limit(5_000, 10_000) == Err(Errno::EPERM) {
            return;
        }
        assert_eq!(rttime_limit().unwrap(), (5_000, 10_000));
        // Raising the hard limit back needs CAP_SYS_RESOURCE; without it, it stays lower.
        let _ = set_rttime_limit(orig.0, orig.1);
    }

    #[test]
    fn memory_locks_on_fault() {
        match lock_memory() {
            Err(Errno::EPERM | Errno::ENOMEM) => return,
            r => r.unwrap(),
        }
        let locked_kb = || {
            let status = std::fs::read_to_string("/proc/self/status").unwrap();
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmLck:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                .unwrap()
        };
        // The pages already touched (this stack, the heap) are locked at once.
        let locked = locked_kb();
        unlock_memory().unwrap();
        assert!(locked > 0, "nothing locked");
        assert_eq!(locked_kb(), 0);
    }
}
