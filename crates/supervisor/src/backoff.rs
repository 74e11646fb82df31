//! keepalived's respawn rate limit (`calc_restart_delay` in `lib/scheduler.c`); used by
//! [`crate::ChildSupervisor`] on every child exit.
//!
//! A child that dies quickly is restarted after 0, 1, 2, 4, 8, 16, 32, then 60, 60, ...
//! seconds; one that ran for at least [`RESET_AFTER`] is restarted at once and the schedule
//! starts over. There is no give-up limit.

use std::time::Duration;

/// A child that ran this long is considered healthy: its next restart is immediate.
pub const RESET_AFTER: Duration = Duration::from_secs(60);
/// The delay stops doubling here.
pub const MAX_RESTART_DELAY: Duration = Duration::from_secs(60);

const FIRST_DELAY: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Backoff {
    next: Duration,
}

impl Backoff {
    pub fn new() -> Self {
        Self::default()
    }

    /// The delay before restarting a child that exited after running for `ran_for`, and
    /// advances the schedule.
    pub fn on_exit(&mut self, ran_for: Duration) -> Duration {
        if ran_for >= RESET_AFTER {
            self.next = Duration::ZERO;
        }
        let delay = self.next;
        self.next = if delay.is_zero() {
            FIRST_DELAY
        } else {
            (delay * 2).min(MAX_RESTART_DELAY)
        };
        delay
    }

    /// The delay the next quick exit would get.
    pub fn peek(&self) -> Duration {
        self.next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    #[test]
    fn schedule_table() {
        // (how long the child ran before dying, expected delay before its restart)
        let table: &[(Duration, u64)] = &[
            (Duration::from_millis(100), 0),
            (Duration::from_millis(100), 1),
            (s(1), 2),
            (s(3), 4),
            (s(0), 8),
            (s(10), 16),
            (s(59), 32),
            (s(1), 60),
            (s(1), 60),
            (s(2), 60),
            // Ran a full minute: healthy, immediate, and the doubling starts over.
            (s(60), 0),
            (s(5), 1),
            (s(5), 2),
            (Duration::from_millis(59_999), 4),
            (s(3600), 0),
            (Duration::ZERO, 1),
        ];
        let mut b = Backoff::new();
        for (i, &(ran, want)) in table.iter().enumerate() {
            assert_eq!(b.on_exit(ran), s(want), "row {i}: ran {ran:?}");
        }
    }

    #[test]
    fn never_gives_up() {
        let mut b = Backoff::new();
        for _ in 0..10_000 {
            assert!(b.on_exit(Duration::ZERO) <= MAX_RESTART_DELAY);
        }
        assert_eq!(b.on_exit(Duration::ZERO), MAX_RESTART_DELAY);
    }
}
