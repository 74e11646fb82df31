//! keepalived-sys: the one crate of keepalived-rs that may hold `unsafe`; called by
//! keepalived-ipc (fd passing), by the supervisor (daemonizing fork, prctl) and by
//! keepalived-vrrp's socket adapters (IPV6_CHECKSUM, AF_PACKET sendto), and to give memory
//! back (malloc_trim, MADV_DONTNEED); and by the supervisor's worker for a child's scheduling
//! (SCHED_RR, RLIMIT_RTTIME, nice, mlockall, CPU affinity); and by keepalived-event's script
//! runner to start scripts without waiting for their exec (`spawn`).
//!
//! Every other crate keeps the workspace lint `unsafe_code = "deny"`. Each unsafe block
//! here carries a `// SAFETY:` comment (clippy `undocumented_unsafe_blocks` is denied).
#![allow(unsafe_code)]

pub mod fdpass;
pub mod mem;
pub mod mmsg;
pub mod net;
pub mod process;
pub mod sched;
pub mod spawn;

pub use fdpass::{recv_with_fds, Received};
