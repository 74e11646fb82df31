//! keepalived-supervisor: the keepalived-rs process model. The binary calls
//! [`run_parent`] for the daemon and [`child_main`] for the hidden `--child ROLE` command
//! line of the VRRP and checker processes.
//!
//! Sans-IO cores (no clock, socket or process in them, table-tested):
//! - [`Backoff`]: keepalived's respawn schedule;
//! - [`ChildSupervisor`]: one child's life, `handle(now, event) -> action`;
//! - [`StateStore`]: the last state each child reported, handed back on restart;
//! - [`Readiness`]: systemd notifications and HUPs queued during a reload;
//! - [`StandIns`]: the adverts the parent sends for a restarting VRRP child (hitless
//!   restart).
//!
//! The processes around them:
//! - [`parent`]: pid files, daemonizing, the parent's loop (signals, reaping, restarts,
//!   reload, dumps, shutdown); [`spawn`]: fork/exec of a child; [`link`]: the parent's end
//!   of a child's channel;
//! - [`worker`]: the children's entry point (process name, parent-death signal, channel),
//!   handing over to the VRRP or checker loop; [`sched`]: a child's real-time priority,
//!   nice value, memory lock and CPU affinity from `global_defs`;
//! - [`stored`]: the parent's encoded copy of the running configuration;
//! - [`pidfile`], [`notify`] (sd_notify), [`dump`] (state dump files), [`logging`],
//!   [`options`].

pub mod backoff;
pub mod child;
pub mod dump;
pub mod exit_code;
pub mod link;
pub mod logging;
pub mod notify;
pub mod options;
pub mod parent;
pub mod pidfile;
pub mod readiness;
pub mod sched;
pub mod spawn;
pub mod standin;
pub mod state;
pub mod stored;
pub mod worker;

pub use backoff::{Backoff, MAX_RESTART_DELAY, RESET_AFTER};
pub use child::{Action, ChildStatus, ChildSupervisor, Event, ExitReason, Respawn, Role, State};
pub use options::DaemonOptions;
pub use parent::{load_config, roles_for, run_parent, LoadResult, Loaded};
pub use readiness::{Notify, Progress, Readiness, Reload};
pub use standin::StandIns;
pub use state::StateStore;
pub use worker::{child_main, is_child_invocation};
