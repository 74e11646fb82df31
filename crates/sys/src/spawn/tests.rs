//! Tests of [`super::spawn_detached`]: what the exec'd program gets (argv, environment,
//! group, stdio, signals, uid), errors before the fork, 127 after it, and that the parent
//! does not wait for the exec.

use super::*;
use nix::sys::signal::killpg;
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use std::time::{Duration, Instant};

fn args(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn spec(a: &[String]) -> SpawnSpec<'_> {
    SpawnSpec {
        args: a,
        uid: None,
        gid: None,
        die_with_parent: None,
    }
}

/// Waits (never forever) for `pid` to end; a child that does not end fails the test.
fn wait_end(pid: Pid, limit: Duration) -> WaitStatus {
    let t0 = Instant::now();
    loop {
        let st = waitpid(pid, Some(WaitPidFlag::WNOHANG)).expect("waitpid");
        if st != WaitStatus::StillAlive {
            return st;
        }
        if t0.elapsed() > limit {
            let _ = killpg(pid, Signal::SIGKILL);
            let _ = waitpid(pid, None);
            panic!("child {pid} did not end in {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Waits (at most 20 s) until `pid` runs another program than this test.
fn wait_exec(pid: Pid) {
    let me = std::env::current_exe().expect("current_exe");
    let t0 = Instant::now();
    while std::fs::read_link(format!("/proc/{pid}/exe")).ok().as_ref() == Some(&me)
        && t0.elapsed() < Duration::from_secs(20)
    {
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Runs a shell snippet that writes into `$0` (a file in a temp dir); returns the exit
/// status and what it wrote.
fn run_sh(script: &str, extra: &[&str]) -> (WaitStatus, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let mut a = args(&["sh", "-c", script, &out.display().to_string()]);
    a.extend(extra.iter().map(|s| s.to_string()));
    let pid = spawn_detached(&spec(&a)).expect("spawn");
    let st = wait_end(pid, Duration::from_secs(20));
    (st, std::fs::read_to_string(&out).unwrap_or_default())
}

#[test]
fn arguments_are_passed_verbatim_and_path_is_searched() {
    let (st, out) = run_sh("printf '%s|' \"$@\" > \"$0\"", &["a b", "*", ""]);
    assert!(matches!(st, WaitStatus::Exited(_, 0)), "{st:?}");
    assert_eq!(out, "a b|*||");
}

#[test]
fn environment_is_inherited() {
    let (st, out) = run_sh("printf '%s' \"$PATH\" > \"$0\"", &[]);
    assert!(matches!(st, WaitStatus::Exited(_, 0)), "{st:?}");
    assert_eq!(out, std::env::var("PATH").unwrap_or_default());
}

/// Own group, stdio on /dev/null, no signal ignored or blocked (the test harness ignores
/// SIGPIPE, as every Rust program does, and this thread blocks SIGUSR1 for the test).
#[test]
fn own_group_null_stdio_and_default_signals() {
    use nix::sys::signal::{SigSet, SigmaskHow};
    let mut block = SigSet::empty();
    block.add(Signal::SIGUSR1);
    let mut old = SigSet::empty();
    nix::sys::signal::pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&block), Some(&mut old))
        .expect("sigmask");
    let script = r#"
        read -r _ _ _ _ pgid _ < /proc/$$/stat
        echo "pgid_is_pid $([ "$pgid" = $$ ] && echo yes || echo "no $pgid $$")" > "$0"
        for f in 0 1 2; do echo "fd$f $(readlink /proc/$$/fd/$f)" >> "$0"; done
        while read -r k v; do
            case $k in SigBlk:|SigIgn:) echo "$k $v" >> "$0";; esac
        done < /proc/$$/status
    "#;
    let (st, out) = run_sh(script, &[]);
    nix::sys::signal::pthread_sigmask(SigmaskHow::SIG_SETMASK, Some(&old), None).expect("sigmask");
    assert!(matches!(st, WaitStatus::Exited(_, 0)), "{st:?}");
    assert_eq!(
        out,
        "pgid_is_pid yes\nfd0 /dev/null\nfd1 /dev/null\nfd2 /dev/null\n\
         SigBlk: 0000000000000000\nSigIgn: 0000000000000000\n"
    );
}

#[test]
fn missing_or_not_executable_is_an_error_before_the_fork() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope").display().to_string();
    let e = spawn_detached(&spec(&[missing])).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::NotFound, "{e}");
    let plain = dir.path().join("plain");
    std::fs::write(&plain, "#!/bin/sh\n").expect("write");
    let e = spawn_detached(&spec(&[plain.display().to_string()])).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::PermissionDenied, "{e}");
    let e = spawn_detached(&spec(&[dir.path().display().to_string()])).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::PermissionDenied, "{e}");
    let e = spawn_detached(&spec(&args(&["no-such-program-ksp"]))).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::NotFound, "{e}");
    let e = spawn_detached(&spec(&[])).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{e}");
}

/// An executable the kernel cannot run (a script whose interpreter is missing) passes the
/// check and fails at execve: exit status 127.
#[test]
fn exec_failure_is_exit_127() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad");
    std::fs::write(&bad, "#!/nonexistent/interpreter\n").expect("write");
    std::fs::set_permissions(&bad, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let pid = spawn_detached(&spec(&[bad.display().to_string()])).expect("spawn");
    let st = wait_end(pid, Duration::from_secs(20));
    assert_eq!(st, WaitStatus::Exited(pid, EXEC_FAILED));
}

#[test]
fn uid_and_gid_are_dropped_when_root() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("skipped: needs root to change uid");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let out = dir.path().join("out");
    let a = args(&[
        "sh",
        "-c",
        "echo $(id -u) $(id -g) $(id -G) > \"$0\"",
        &out.display().to_string(),
    ]);
    let mut s = spec(&a);
    s.uid = Some(65534);
    s.gid = Some(65533);
    let pid = spawn_detached(&s).expect("spawn");
    let st = wait_end(pid, Duration::from_secs(20));
    assert!(matches!(st, WaitStatus::Exited(_, 0)), "{st:?}");
    assert_eq!(
        std::fs::read_to_string(&out).expect("out"),
        "65534 65533 65533\n"
    );
}

/// The death signal follows the spawning thread: when it ends, the child gets SIGTERM.
#[test]
fn die_with_parent_follows_the_spawning_thread() {
    let pid = std::thread::spawn(|| {
        let a = args(&["sleep", "1000"]);
        let mut s = spec(&a);
        s.die_with_parent = Some(Signal::SIGTERM);
        let pid = spawn_detached(&s).expect("spawn");
        // The thread must outlive the child's prctl (done before its exec).
        wait_exec(pid);
        pid
    })
    .join()
    .expect("thread");
    let st = wait_end(pid, Duration::from_secs(20));
    assert_eq!(st, WaitStatus::Signaled(pid, Signal::SIGTERM, false));
}

/// The point of this module: a realtime spawner pinned to one CPU returns while its
/// normal-priority child, on that same CPU, has not run at all, so it cannot have exec'd
/// (std's spawn would have waited for the exec). Needs CAP_SYS_NICE (root).
#[test]
fn a_realtime_spawner_returns_before_the_child_execs() {
    let (pid, exe_then, took) = std::thread::spawn(|| {
        let cpu = crate::sched::affinity().ok()?.first().copied()?;
        crate::sched::set_affinity(&[cpu]).ok()?;
        if crate::sched::set_round_robin(1).is_err() {
            return None;
        }
        let a = args(&["true"]);
        let t0 = Instant::now();
        let pid = spawn_detached(&spec(&a));
        let took = t0.elapsed();
        // Still realtime: the child cannot have run on this CPU yet.
        let exe = pid
            .as_ref()
            .ok()
            .and_then(|p| std::fs::read_link(format!("/proc/{p}/exe")).ok());
        let _ = crate::sched::set_normal();
        Some((pid, exe, took))
    })
    .join()
    .expect("thread")
    .unwrap_or_else(|| {
        eprintln!("skipped: cannot set SCHED_RR (needs root)");
        (Err(io::Error::other("skipped")), None, Duration::ZERO)
    });
    let Ok(pid) = pid else { return };
    let st = wait_end(pid, Duration::from_secs(20));
    assert!(matches!(st, WaitStatus::Exited(_, 0)), "{st:?}");
    let me = std::env::current_exe().expect("current_exe");
    assert_eq!(
        exe_then,
        Some(me),
        "the child had exec'd before spawn returned"
    );
    eprintln!("spawn_detached returned in {took:?}");
}
