//! keepalived-supervisor: the parent process's supervision of its VRRP and checker children.
//!
//! For now only the sans-IO core: [`Backoff`] (keepalived's respawn schedule) and
//! [`ChildSupervisor`] (one child's life: `handle(now, event) -> action`). The parent's loop
//! feeds it spawns, reaped exits, channel hang-ups and timer expiries, and executes the
//! actions (fork/exec, kill, timers, daemon exit); nothing here touches a clock or a process.

pub mod backoff;
pub mod child;
pub mod exit_code;

pub use backoff::{Backoff, MAX_RESTART_DELAY, RESET_AFTER};
pub use child::{Action, ChildStatus, ChildSupervisor, Event, ExitReason, Respawn, Role, State};
