//! The VRRP and checker child processes: entry point [`child_main`] (the binary calls it for
//! the hidden `--child ROLE` command line). It names the process, arms the parent-death
//! signal, applies its scheduling settings (crate::sched), takes the inherited channel and hands over to the role's own event loop:
//! `keepalived_vrrp::daemon::run` or `keepalived_check::daemon::run`.

use std::os::fd::AsRawFd;

use log::{debug, error, info, warn};
use nix::sys::signal::Signal;

use crate::child::Role;
use crate::exit_code;
use crate::spawn::{comm_name, role_arg, ChildArgs};

/// Whether `args` (without the program name) is a child's hidden command line.
pub fn is_child_invocation(args: &[String]) -> bool {
    args.first().map(String::as_str) == Some(crate::spawn::CHILD_FLAG)
}

/// Runs a child to completion and returns its exit status. `args` are the words after the
/// program name, starting with `--child`.
pub fn child_main(args: &[String]) -> i32 {
    let a = match ChildArgs::parse(args) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("keepalived-rs: bad child command line: {e}");
            return exit_code::FATAL;
        }
    };
    crate::logging::init(role_arg(a.role), a.log_detail);
    if let Err(e) = keepalived_sys::process::set_comm(comm_name(a.role)) {
        debug!("setting the process name: {e}");
    }
    // keepalived's children get SIGTERM when the parent dies, and stop in order.
    match keepalived_sys::process::die_with_parent(Signal::SIGTERM, a.parent_pid) {
        Ok(true) => {}
        Ok(false) => {
            info!("parent {} is already gone; exiting", a.parent_pid);
            return exit_code::OK;
        }
        Err(e) => warn!("arming the parent-death signal: {e}"),
    }
    if let Some(ms) = std::env::var(crate::options::TEST_SLOW_START_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        warn!(
            "test knob {}: starting {ms} ms late",
            crate::options::TEST_SLOW_START_ENV
        );
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
    // Before the configuration is read, as keepalived does (`vrrp_rt_priority` & co.).
    a.sched.apply(a.role);
    let fd = match keepalived_sys::process::take_inherited_fd(a.ipc_fd) {
        Ok(fd) => fd,
        Err(e) => {
            error!("taking the channel fd {}: {e}", a.ipc_fd);
            return exit_code::FATAL;
        }
    };
    // The channel moves to the lowest free descriptor (3): a dying process's files are
    // closed in descriptor order, so the parent sees the hang-up (and starts its stand-in
    // adverts for a VRRP child) before the slow part of the teardown: the raw, packet and
    // netlink sockets opened later (closing a packet socket waits for an RCU grace period).
    let fd = match fd.try_clone() {
        Ok(low) if low.as_raw_fd() < fd.as_raw_fd() => low,
        _ => fd,
    };
    // Each child runs its protocol engine's own loop (crates/vrrp, crates/check), which
    // speaks the parent protocol described in docs/lifecycle.md.
    match a.role {
        Role::Vrrp => keepalived_vrrp::daemon::run(
            fd,
            keepalived_vrrp::daemon::ChildOpts {
                dont_release_vrrp: a.dont_release_vrrp,
            },
        ),
        Role::Checker => keepalived_check::daemon::run(
            fd,
            keepalived_check::daemon::ChildOpts {
                dont_release_ipvs: a.dont_release_ipvs,
            },
        ),
    }
}
