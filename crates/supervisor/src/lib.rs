//! keepalived-supervisor: the parent process's supervision of its VRRP and checker children.
//!
//! For now only the sans-IO core:
//! - [`Backoff`]: keepalived's respawn schedule;
//! - [`ChildSupervisor`]: one child's life, `handle(now, event) -> action`;
//! - [`StateStore`]: the last state each child reported, handed back on restart;
//! - [`Readiness`]: systemd notifications and HUPs queued during a reload.
//!
//! The parent's loop feeds them spawns, reaped exits, channel hang-ups, reports, signals and
//! timer expiries, and executes the actions (fork/exec, kill, timers, sd_notify, daemon
//! exit); nothing here touches a clock, a socket or a process.

pub mod backoff;
pub mod child;
pub mod exit_code;
pub mod readiness;
pub mod state;

pub use backoff::{Backoff, MAX_RESTART_DELAY, RESET_AFTER};
pub use child::{Action, ChildStatus, ChildSupervisor, Event, ExitReason, Respawn, Role, State};
pub use readiness::{Notify, Progress, Readiness, Reload};
pub use state::StateStore;
