//! The sans-IO timing core of one checker: when to start the next attempt and when an
//! attempt's verdict changes the checker's Up/Down state. Driven by `runner` (and tests)
//! with `(now, verdict)`; it never touches a socket or a clock.
//!
//! keepalived's rules (`tcp_epilog` and its siblings in `check_*.c`):
//! - success: state becomes Up, the retry count resets, next attempt after `delay_loop`;
//! - failure while Up: retried `retry` times, `delay_before_retry` apart; the failure
//!   after the last retry (so `retry + 1` consecutive failures) makes the checker Down,
//!   then the next attempt is after `delay_loop`;
//! - failure while Down: nothing to retry, next attempt after `delay_loop`; except in
//!   the first round (keepalived's `!has_run`), which retries like an Up checker;
//! - `alpha`: the checker starts Down (the real server is only added after a first
//!   success); without it the checker starts Up;
//! - `warmup`: the first attempt starts after a random delay in `[0, warmup]`.
//! - `log_all_failures` (or the global `checker_log_all_failures`): every failed attempt
//!   of a checker that is Up (or in its first round) is logged, not only the one that
//!   makes it Down (keepalived's `checker->is_up && (... log_all_failures)` in each
//!   checker's failure path); a Down checker's failures are never logged again.

use std::time::{Duration, Instant};

/// The result of one attempt, as the protocol dialogs report it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The service answered as required. `weight` is set by MISC_CHECK with
    /// `misc_dynamic` (exit status - 2).
    Ok { weight: Option<u32> },
    /// The attempt failed; the text says why (logged, and kept for status output).
    Fail(String),
}

impl Verdict {
    pub fn ok() -> Verdict {
        Verdict::Ok { weight: None }
    }

    pub fn fail(why: impl Into<String>) -> Verdict {
        Verdict::Fail(why.into())
    }

    pub fn is_ok(&self) -> bool {
        matches!(self, Verdict::Ok { .. })
    }
}

/// Timing settings of one checker, already resolved with keepalived's inheritance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
    pub retry: u32,
    pub delay_before_retry: Duration,
    pub delay_loop: Duration,
    pub connect_timeout: Duration,
    pub warmup: Duration,
    pub alpha: bool,
}

/// A change of the checker's state, for the real server's aggregation and the logs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Transition {
    Up {
        weight: Option<u32>,
    },
    Down {
        reason: String,
        retries: u32,
    },
    /// Still Up, but `misc_dynamic` changed the weight.
    Weight(u32),
}

/// What the adapter must do after feeding a verdict: start the next attempt at `next`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub next: Instant,
    pub transition: Option<Transition>,
    /// True when `next` is a retry (spaced by `delay_before_retry`).
    pub retrying: bool,
    /// The failed attempt must be logged at info level (`log_all_failures`).
    pub log_failure: bool,
}

#[derive(Clone, Debug)]
pub struct Schedule {
    timing: Timing,
    up: bool,
    weight: Option<u32>,
    /// Retries done in the current failure streak (keepalived's `retry_it`).
    retry_it: u32,
    /// A round has ended (keepalived's `has_run`).
    has_run: bool,
    attempts: u64,
    failures: u64,
    log_all_failures: bool,
}

impl Schedule {
    pub fn new(timing: Timing) -> Schedule {
        Schedule {
            timing,
            up: !timing.alpha,
            weight: None,
            retry_it: 0,
            has_run: false,
            attempts: 0,
            failures: 0,
            log_all_failures: false,
        }
    }

    /// `log_all_failures`: log every failed attempt while Up, not just the transition.
    pub fn with_log_all_failures(mut self, on: bool) -> Schedule {
        self.log_all_failures = on;
        self
    }

    pub fn timing(&self) -> &Timing {
        &self.timing
    }

    pub fn is_up(&self) -> bool {
        self.up
    }

    /// The `misc_dynamic` weight of the last success, if any.
    pub fn weight(&self) -> Option<u32> {
        self.weight
    }

    /// Overrides the current state (a restored state after a restart); `alpha`'s first
    /// round retries are kept only while the state is Down as configured.
    pub fn set_up(&mut self, up: bool) {
        self.up = up;
    }

    pub fn attempts(&self) -> u64 {
        self.attempts
    }

    pub fn failures(&self) -> u64 {
        self.failures
    }

    /// When the first attempt starts. `jitter` in `[0, 1]` comes from the adapter's random
    /// source so this stays deterministic under test.
    pub fn first(&self, now: Instant, jitter: f64) -> Instant {
        let j = jitter.clamp(0.0, 1.0);
        now + self.timing.warmup.mul_f64(j)
    }

    /// Feeds the verdict of the attempt that just ended.
    pub fn on_verdict(&mut self, now: Instant, verdict: &Verdict) -> Outcome {
        self.attempts += 1;
        match verdict {
            Verdict::Ok { weight } => {
                self.retry_it = 0;
                self.has_run = true;
                let transition = if !self.up {
                    self.up = true;
                    self.weight = *weight;
                    Some(Transition::Up { weight: *weight })
                } else if *weight != self.weight {
                    self.weight = *weight;
                    weight.map(Transition::Weight)
                } else {
                    None
                };
                Outcome {
                    next: now + self.timing.delay_loop,
                    transition,
                    retrying: false,
                    log_failure: false,
                }
            }
            Verdict::Fail(reason) => {
                self.failures += 1;
                let log_failure = self.log_all_failures && (self.up || !self.has_run);
                if (self.up || !self.has_run) && self.retry_it < self.timing.retry {
                    self.retry_it += 1;
                    self.has_run = true;
                    return Outcome {
                        next: now + self.timing.delay_before_retry,
                        transition: None,
                        retrying: true,
                        log_failure,
                    };
                }
                let retries = self.retry_it;
                self.retry_it = 0;
                self.has_run = true;
                let transition = if self.up {
                    self.up = false;
                    Some(Transition::Down {
                        reason: reason.clone(),
                        retries,
                    })
                } else {
                    None
                };
                Outcome {
                    next: now + self.timing.delay_loop,
                    transition,
                    retrying: false,
                    log_failure,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timing(retry: u32, alpha: bool) -> Timing {
        Timing {
            retry,
            delay_before_retry: Duration::from_millis(100),
            delay_loop: Duration::from_secs(1),
            connect_timeout: Duration::from_secs(1),
            warmup: Duration::ZERO,
            alpha,
        }
    }

    #[test]
    fn down_after_retry_plus_one_failures_spaced_by_delay_before_retry() {
        let t0 = Instant::now();
        let mut s = Schedule::new(timing(2, false));
        assert!(s.is_up());
        let o = s.on_verdict(t0, &Verdict::fail("x"));
        assert_eq!(
            (o.next - t0, o.transition, o.retrying),
            (Duration::from_millis(100), None, true)
        );
        let o = s.on_verdict(t0, &Verdict::fail("x"));
        assert_eq!(o.next - t0, Duration::from_millis(100));
        assert!(o.transition.is_none());
        let o = s.on_verdict(t0, &Verdict::fail("x"));
        assert_eq!(o.next - t0, Duration::from_secs(1));
        assert_eq!(
            o.transition,
            Some(Transition::Down {
                reason: "x".into(),
                retries: 2
            })
        );
        // Down: no retries, delay_loop between attempts.
        let o = s.on_verdict(t0, &Verdict::fail("x"));
        assert_eq!((o.next - t0, o.transition), (Duration::from_secs(1), None));
        let o = s.on_verdict(t0, &Verdict::ok());
        assert_eq!(o.transition, Some(Transition::Up { weight: None }));
    }

    #[test]
    fn success_resets_the_retry_count() {
        let t0 = Instant::now();
        let mut s = Schedule::new(timing(1, false));
        assert!(s.on_verdict(t0, &Verdict::fail("a")).retrying);
        assert_eq!(s.on_verdict(t0, &Verdict::ok()).transition, None);
        assert!(s.on_verdict(t0, &Verdict::fail("a")).retrying);
        assert!(s.on_verdict(t0, &Verdict::fail("a")).transition.is_some());
    }

    #[test]
    fn alpha_retries_in_its_first_round_only() {
        let t0 = Instant::now();
        let mut s = Schedule::new(timing(1, true));
        let o = s.on_verdict(t0, &Verdict::fail("a"));
        assert!(o.retrying, "first round retries even while Down");
        let o = s.on_verdict(t0, &Verdict::fail("a"));
        assert!(!o.retrying && o.transition.is_none());
        let o = s.on_verdict(t0, &Verdict::fail("a"));
        assert!(!o.retrying, "later rounds of a Down checker do not retry");
    }

    #[test]
    fn alpha_starts_down_and_retry_zero_fails_at_once() {
        let t0 = Instant::now();
        let mut s = Schedule::new(timing(0, true));
        assert!(!s.is_up());
        assert_eq!(s.on_verdict(t0, &Verdict::fail("a")).transition, None);
        let up = s.on_verdict(t0, &Verdict::Ok { weight: Some(3) });
        assert_eq!(up.transition, Some(Transition::Up { weight: Some(3) }));
        let w = s.on_verdict(t0, &Verdict::Ok { weight: Some(5) });
        assert_eq!(w.transition, Some(Transition::Weight(5)));
        let d = s.on_verdict(t0, &Verdict::fail("b"));
        assert!(matches!(d.transition, Some(Transition::Down { .. })));
    }

    #[test]
    fn log_all_failures_logs_each_failure_while_up_only() {
        let t0 = Instant::now();
        let logs = |log_all: bool| -> Vec<bool> {
            let mut s = Schedule::new(timing(2, false)).with_log_all_failures(log_all);
            // Up: two retries then Down; Down: two more failures; Up again; one failure.
            let mut v: Vec<bool> = (0..5)
                .map(|_| s.on_verdict(t0, &Verdict::fail("x")).log_failure)
                .collect();
            assert!(!s.on_verdict(t0, &Verdict::ok()).log_failure);
            v.push(s.on_verdict(t0, &Verdict::fail("x")).log_failure);
            v
        };
        assert_eq!(logs(false), [false; 6]);
        assert_eq!(logs(true), [true, true, true, false, false, true]);
        // alpha: Down from the start, but its first round is logged like keepalived's
        // `!has_run`.
        let mut s = Schedule::new(timing(1, true)).with_log_all_failures(true);
        assert!(s.on_verdict(t0, &Verdict::fail("x")).log_failure);
        assert!(!s.on_verdict(t0, &Verdict::fail("x")).log_failure);
    }

    #[test]
    fn warmup_jitter_bounds_the_first_attempt() {
        let t0 = Instant::now();
        let mut t = timing(0, false);
        t.warmup = Duration::from_secs(10);
        let s = Schedule::new(t);
        assert_eq!(s.first(t0, 0.0), t0);
        assert_eq!(s.first(t0, 0.5), t0 + Duration::from_secs(5));
        assert_eq!(s.first(t0, 7.0), t0 + Duration::from_secs(10));
    }
}
