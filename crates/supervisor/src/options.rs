//! What the command line tells the daemon ([`DaemonOptions`]); built by the binary from its
//! parsed flags and read by [`crate::run_parent`] and, through the child's hidden command
//! line, by [`crate::child_main`].

use std::path::PathBuf;
use std::time::Duration;

/// keepalived's default pid files (`keepalived/include/pidfile.h`, `RUNSTATEDIR=/run`).
pub const DEFAULT_PID_FILE: &str = "/run/keepalived.pid";
pub const DEFAULT_VRRP_PID_FILE: &str = "/run/vrrp.pid";
pub const DEFAULT_CHECKERS_PID_FILE: &str = "/run/checkers.pid";

/// Hidden, test-only: the length in microseconds of one "second" of the restart schedule
/// (see [`crate::Backoff::with_unit`]), so the end-to-end tests can run hundreds of
/// kill/restart cycles without waiting 60 s per cycle. Never set it in production.
pub const TEST_BACKOFF_UNIT_ENV: &str = "KEEPALIVED_RS_TEST_BACKOFF_UNIT_US";

/// Hidden, test-only: the base path of token files. A child asked for a dump while
/// `BASE.vrrp` (or `BASE.checker`) exists deletes it and writes raw garbage on its channel
/// instead of answering, so a test can watch the parent treat it as dead and restart it.
pub const TEST_GARBAGE_ENV: &str = "KEEPALIVED_RS_TEST_GARBAGE";

/// Hidden, test-only: a child sleeps this many milliseconds before it takes its channel and
/// starts, as a slow fork/exec and setup on a loaded machine would make it, so a test can
/// show the parent's stand-in adverts covering a restart longer than the peers'
/// Master_Down_Interval. Never set it in production.
pub const TEST_SLOW_START_ENV: &str = "KEEPALIVED_RS_TEST_SLOW_START_MS";

/// The daemon's view of the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DaemonOptions {
    /// `-f/--use-file`.
    pub config_file: PathBuf,
    /// `-P/--vrrp`, `--vrrp-only`: no checker child.
    pub vrrp_only: bool,
    /// `-C/--check`, `--check-only`: no VRRP child.
    pub check_only: bool,
    /// `--all`: start the children even without configuration for them.
    pub all: bool,
    /// `-n/--dont-fork`.
    pub dont_fork: bool,
    /// `-R/--dont-respawn`: a dying child stops the daemon.
    pub dont_respawn: bool,
    /// `-p/--pid`.
    pub pid_file: PathBuf,
    /// `-r/--vrrp_pid`.
    pub vrrp_pid_file: PathBuf,
    /// `-c/--checkers_pid`.
    pub checkers_pid_file: PathBuf,
    /// `-l/--log-console`: keep logging to stderr after daemonizing.
    pub log_console: bool,
    /// `-D/--log-detail`, counted: 1 debug, 2 or more trace.
    pub log_detail: u32,
    /// `-V/--dont-release-vrrp`.
    pub dont_release_vrrp: bool,
    /// `-I/--dont-release-ipvs`.
    pub dont_release_ipvs: bool,
    /// `-X/--release-vips`.
    pub release_vips: bool,
    /// `-i/--config-id`; `None` means the short host name.
    pub config_id: Option<String>,
    /// How long children get to exit at shutdown when the configuration does not say
    /// (`child_wait_time`, keepalived's `CHILD_WAIT_SECS`).
    pub child_wait_time: Duration,
}

impl DaemonOptions {
    /// Makes the config and pid file paths absolute against the current directory: the
    /// daemon moves to `/` when it forks into the background, and reloads read the file
    /// again long after.
    pub fn absolutize(&mut self) {
        for p in [
            &mut self.config_file,
            &mut self.pid_file,
            &mut self.vrrp_pid_file,
            &mut self.checkers_pid_file,
        ] {
            if let Ok(abs) = std::path::absolute(&*p) {
                *p = abs;
            }
        }
    }
}

impl Default for DaemonOptions {
    fn default() -> Self {
        DaemonOptions {
            config_file: PathBuf::from("/etc/keepalived/keepalived.conf"),
            vrrp_only: false,
            check_only: false,
            all: false,
            dont_fork: false,
            dont_respawn: false,
            pid_file: PathBuf::from(DEFAULT_PID_FILE),
            vrrp_pid_file: PathBuf::from(DEFAULT_VRRP_PID_FILE),
            checkers_pid_file: PathBuf::from(DEFAULT_CHECKERS_PID_FILE),
            log_console: false,
            log_detail: 0,
            dont_release_vrrp: false,
            dont_release_ipvs: false,
            release_vips: false,
            config_id: None,
            child_wait_time: Duration::from_secs(5),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolutize_anchors_relative_paths_only() {
        let mut o = DaemonOptions {
            config_file: "k.conf".into(),
            ..DaemonOptions::default()
        };
        o.absolutize();
        assert_eq!(
            o.config_file,
            std::env::current_dir().unwrap().join("k.conf")
        );
        assert_eq!(o.pid_file, PathBuf::from(DEFAULT_PID_FILE));
    }
}
