//! keepalived's respawn rate limit (`calc_restart_delay` in `lib/scheduler.c`); used by
//! [`crate::ChildSupervisor`] on every child exit.
//!
//! A child that dies quickly is restarted after 0, 1, 2, 4, 8, 16, 32, then 60, 60, ...
//! seconds; one that ran for at least [`RESET_AFTER`] is restarted at once and the schedule
//! starts over. There is no give-up limit.
//!
//! [`Backoff::with_unit`] scales the whole schedule (delays and the reset threshold) for
//! tests that cannot wait minutes; the daemon uses one second.

use std::time::Duration;

/// A child that ran this long is considered healthy: its next restart is immediate.
pub const RESET_AFTER: Duration = Duration::from_secs(60);
/// The delay stops doubling here.
pub const MAX_RESTART_DELAY: Duration = Duration::from_secs(60);

/// keepalived's schedule is in seconds.
const UNIT: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backoff {
    next: Duration,
    /// What "one second" of the schedule is.
    unit: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            next: Duration::ZERO,
            unit: UNIT,
        }
    }
}

impl Backoff {
    pub fn new() -> Self {
        Self::default()
    }

    /// The same schedule with every second replaced by `unit` (delays 0, u, 2u, ... 60u,
    /// reset after 60u). For tests only; a zero unit is taken as one nanosecond.
    pub fn with_unit(unit: Duration) -> Self {
        Backoff {
            next: Duration::ZERO,
            unit: unit.max(Duration::from_nanos(1)),
        }
    }

    /// The delay before restarting a child that exited after running for `ran_for`, and
    /// advances the schedule.
    pub fn on_exit(&mut self, ran_for: Duration) -> Duration {
        let cap = self.unit * 60;
        if ran_for >= cap {
            self.next = Duration::ZERO;
        }
        let delay = self.next;
        self.next = if delay.is_zero() {
            self.unit
        } else {
            (delay * 2).min(cap)
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
    fn scaled_schedule_keeps_its_shape() {
        let ms = Duration::from_millis;
        let mut b = Backoff::with_unit(ms(10));
        let got: Vec<Duration> = (0..9).map(|_| b.on_exit(ms(1))).collect();
        let want: Vec<Duration> = [0, 10, 20, 40, 80, 160, 320, 600, 600]
            .into_iter()
            .map(ms)
            .collect();
        assert_eq!(got, want);
        // 60 units alive resets it.
        assert_eq!(b.on_exit(ms(600)), Duration::ZERO);
        assert_eq!(b.on_exit(ms(599)), ms(10));
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
