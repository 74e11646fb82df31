//! Health checkers and real-server logic for the checker child: sans-IO dialogs
//! (`proto`), the timing core (`schedule`), config resolution (`spec`), the TLS client
//! (`tls`), the non-blocking mio adapter that runs them (`runner`) and the real-server
//! aggregation (`server`). The checker child's loop (`daemon`) owns a `Runner` and turns
//! its events into IPVS changes.

pub mod daemon;
pub mod file;
pub mod genhash;
pub mod lvs;
pub mod misc_user;
pub mod omega;
pub mod proto;
pub mod runner;
pub mod schedule;
pub mod server;
pub mod spec;
pub mod suspend;
pub mod tls;

pub use runner::{CheckEvent, RunError, Runner, Stats};
pub use schedule::{Schedule, Timing, Transition, Verdict};
pub use spec::{CheckSpec, Kind, SpecError, TlsSpec};
