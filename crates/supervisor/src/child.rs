//! One supervised child's life as a sans-IO state machine; the parent's loop keeps one per
//! child (VRRP, checker), feeds it [`Event`]s with the current time and performs the
//! returned [`Action`].
//!
//! Death is seen two ways: the reaped exit (SIGCHLD + `waitpid`) and a hang-up or garbage
//! on the child's channel. A hang-up alone leaves a possibly wedged process, so it is
//! killed; the restart itself always waits for the reaped exit, so there is never a
//! second copy of a child while the first still holds sockets or VIPs.

use std::fmt;
use std::time::{Duration, Instant};

use crate::backoff::Backoff;
use crate::exit_code;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Vrrp,
    Checker,
}

impl fmt::Display for Role {
    /// The names keepalived uses in its "... child process" log lines.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Vrrp => "VRRP",
            Role::Checker => "Healthcheck",
        })
    }
}

/// How a reaped child ended; plain numbers so this crate needs no system crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildStatus {
    Exited(i32),
    Signaled(i32),
}

/// `-R/--dont-respawn` is `Never`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Respawn {
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// fork/exec of the child succeeded.
    Spawned,
    /// fork/exec failed; retried on the same schedule as a crash.
    SpawnFailed,
    /// The child was reaped.
    Exited(ChildStatus),
    /// Its channel hung up or delivered something undecodable.
    ChannelClosed,
    /// The timer requested by [`Action::SpawnAt`] fired.
    RestartDue,
    /// The daemon is stopping (TERM/INT).
    Shutdown,
    /// `child_wait_time` passed since [`Action::Terminate`].
    ShutdownTimeout,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitReason {
    /// `--dont-respawn` and the child died ("... child process(PID) died: Exiting").
    DontRespawn { role: Role, status: ChildStatus },
    /// The child exited with FATAL, CONFIG or MISSING_PERMISSION, which keepalived treats
    /// as permanent ("... exited with permanent error ... Terminating").
    Permanent { role: Role, code: i32 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    None,
    /// fork/exec the child now, then feed `Spawned` or `SpawnFailed`.
    Spawn,
    /// Set a timer for `at` and feed `RestartDue` when it fires; log "Restart of ...
    /// process delayed {delay} seconds to limit respawn rate".
    SpawnAt {
        at: Instant,
        delay: Duration,
    },
    /// SIGKILL the child; its exit will be reaped and fed back.
    Kill,
    /// SIGTERM the child and start `child_wait_time`, then feed `ShutdownTimeout`.
    Terminate,
    /// Stop the whole daemon (orderly, as on SIGTERM).
    Exit(ExitReason),
    /// The child is gone for good (shutdown); nothing more will happen to it.
    Gone,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Not started yet, or [`Action::Spawn`] was returned and `Spawned` is awaited.
    Spawning,
    Running {
        since: Instant,
    },
    /// Killed after its channel closed; awaiting the reaped exit.
    Killing {
        since: Instant,
    },
    RestartPending {
        at: Instant,
    },
    /// Shutting down: terminated, awaiting its exit.
    Stopping,
    Gone,
    /// Dead and not to be restarted; the daemon is exiting.
    Failed,
}

#[derive(Debug, Clone)]
pub struct ChildSupervisor {
    role: Role,
    respawn: Respawn,
    backoff: Backoff,
    state: State,
    restarts: u64,
}

impl ChildSupervisor {
    /// A child about to be started for the first time: the caller spawns it and feeds
    /// `Spawned` or `SpawnFailed`.
    pub fn new(role: Role, respawn: Respawn) -> Self {
        Self::with_backoff(role, respawn, Backoff::new())
    }

    /// As [`ChildSupervisor::new`] with another restart schedule (a scaled one in tests).
    pub fn with_backoff(role: Role, respawn: Respawn, backoff: Backoff) -> Self {
        ChildSupervisor {
            role,
            respawn,
            backoff,
            state: State::Spawning,
            restarts: 0,
        }
    }

    pub fn role(&self) -> Role {
        self.role
    }

    pub fn state(&self) -> State {
        self.state
    }

    /// How many times the child was restarted (for the stats dump and the tests).
    pub fn restarts(&self) -> u64 {
        self.restarts
    }

    pub fn handle(&mut self, now: Instant, event: Event) -> Action {
        use State::*;
        match (self.state, event) {
            (Spawning, Event::Spawned) => {
                self.state = Running { since: now };
                Action::None
            }
            (Spawning, Event::SpawnFailed) => self.schedule(now, Duration::ZERO),
            (Running { since } | Killing { since }, Event::Exited(status)) => {
                self.died(now, now.saturating_duration_since(since), status)
            }
            (Running { since }, Event::ChannelClosed) => {
                self.state = Killing { since };
                Action::Kill
            }
            (RestartPending { at }, Event::RestartDue) => {
                if now < at {
                    // Woken early: ask again for the same deadline.
                    return Action::SpawnAt {
                        at,
                        delay: at - now,
                    };
                }
                self.state = Spawning;
                self.restarts += 1;
                Action::Spawn
            }
            (Running { .. }, Event::Shutdown) => {
                self.state = Stopping;
                Action::Terminate
            }
            // Already SIGKILLed; its exit is on the way.
            (Killing { .. }, Event::Shutdown) => {
                self.state = Stopping;
                Action::None
            }
            (Spawning | RestartPending { .. } | Failed, Event::Shutdown) => {
                self.state = Gone;
                Action::Gone
            }
            // A spawn that raced with the shutdown: stop what was started.
            (Gone, Event::Spawned) => {
                self.state = Stopping;
                Action::Terminate
            }
            (Stopping, Event::ShutdownTimeout) => Action::Kill,
            (Stopping, Event::Exited(_)) => {
                self.state = Gone;
                Action::Gone
            }
            // Everything else is stale (a timer or hang-up that lost a race) or redundant.
            _ => Action::None,
        }
    }

    fn died(&mut self, now: Instant, ran_for: Duration, status: ChildStatus) -> Action {
        if let ChildStatus::Exited(code) = status {
            if exit_code::is_permanent(code) {
                self.state = State::Failed;
                return Action::Exit(ExitReason::Permanent {
                    role: self.role,
                    code,
                });
            }
        }
        if self.respawn == Respawn::Never {
            self.state = State::Failed;
            return Action::Exit(ExitReason::DontRespawn {
                role: self.role,
                status,
            });
        }
        self.schedule(now, ran_for)
    }

    fn schedule(&mut self, now: Instant, ran_for: Duration) -> Action {
        let delay = self.backoff.on_exit(ran_for);
        if delay.is_zero() {
            self.state = State::Spawning;
            self.restarts += 1;
            Action::Spawn
        } else {
            let at = now + delay;
            self.state = State::RestartPending { at };
            Action::SpawnAt { at, delay }
        }
    }
}

#[cfg(test)]
mod tests;
