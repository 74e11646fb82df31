//! keepalived-event: the loop kit used by the parent, the VRRP child and the checker child
//! to build their hand-rolled mio loops.
//!
//! A loop iteration is: [`Poller::wait`] until the next [`TimerQueue`] deadline; drain every
//! ready fd to `WouldBlock` (mio is edge-triggered, see [`drain`]); take [`Signals::pending`]
//! when the signal token is ready and [`ChildWatcher::reap`] on SIGCHLD; fire
//! [`TimerQueue::pop_due`]; feed the protocol cores; flush the IPC queues.

pub mod child;
pub mod drain;
pub mod error;
pub mod poller;
pub mod script;
pub mod signals;
pub mod timer;

pub use child::{ChildExit, ChildWatcher, ExitKind};
pub use drain::{drain_read, retry_eintr, Drained};
pub use error::EventError;
pub use poller::{Poller, Ready, TIMER_TOKEN};
pub use script::{ScriptDone, ScriptEnd, ScriptId, ScriptRunner, ScriptSpec};
pub use signals::Signals;
pub use timer::TimerQueue;

pub use mio::{Interest, Token};
