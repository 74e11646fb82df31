//! Logging of every keepalived-rs process: `log` records through env_logger to stderr, each
//! line tagged with the process role and pid; set up by [`crate::run_parent`] and
//! [`crate::child_main`].
//!
//! Line format: `2026-11-21T22:40:01.123Z INFO  vrrp[1234]: message`. The level is info,
//! debug with `-D`, trace with `-DD`; `KEEPALIVED_RS_LOG` (env_logger filter syntax)
//! overrides it. The pid is read for every line, so the daemonized parent logs its new pid.

use std::io::Write;
use std::sync::OnceLock;

/// The env_logger filter variable.
pub const LOG_ENV: &str = "KEEPALIVED_RS_LOG";

static ROLE: OnceLock<&'static str> = OnceLock::new();

/// Installs the logger for this process; `role` is `parent`, `vrrp` or `checker`. A second
/// call changes nothing.
pub fn init(role: &'static str, detail: u32) {
    let _ = ROLE.set(role);
    let level = match detail {
        0 => log::LevelFilter::Info,
        1 => log::LevelFilter::Debug,
        _ => log::LevelFilter::Trace,
    };
    let mut b = env_logger::Builder::new();
    b.filter_level(level)
        .parse_env(env_logger::Env::new().filter(LOG_ENV))
        .target(env_logger::Target::Stderr)
        .format(|buf, rec| {
            writeln!(
                buf,
                "{} {:<5} {}[{}]: {}",
                buf.timestamp_millis(),
                rec.level(),
                ROLE.get().copied().unwrap_or("keepalived-rs"),
                std::process::id(),
                rec.args()
            )
        });
    let _ = b.try_init();
}
