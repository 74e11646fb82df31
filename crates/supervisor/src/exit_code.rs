//! keepalived's process exit codes (`lib/scheduler.h`); the supervisor reads them from
//! reaped children, and `main` returns them.

pub const OK: i32 = 0;
/// Permanent: the daemon stops rather than respawning a child that exits with it.
pub const FATAL: i32 = 1;
/// Permanent.
pub const CONFIG: i32 = 2;
/// Permanent.
pub const MISSING_PERMISSION: i32 = 4;
pub const NO_CONFIG: i32 = 6;
/// A child whose event loop failed repeatedly; respawned.
pub const PROGRAM_ERROR: i32 = 70;
pub const NO_MEMORY: i32 = 204;

/// Whether keepalived treats a child exiting with `code` as permanent and brings the whole
/// daemon down instead of respawning (`report_child_status`).
pub fn is_permanent(code: i32) -> bool {
    matches!(code, FATAL | CONFIG | MISSING_PERMISSION)
}
