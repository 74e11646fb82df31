//! The one `mio::Poll` of a process, with a timerfd for sub-millisecond deadlines and
//! `EINTR` retry; each process's main loop owns exactly one.
//!
//! `epoll_wait` takes milliseconds (mio rounds sub-millisecond timeouts up), which is too
//! coarse for VRRP at 10 ms adverts. So the next deadline arms a `CLOCK_MONOTONIC` timerfd
//! (nanoseconds) registered under [`TIMER_TOKEN`], and the poll itself waits without a
//! timeout. `Instant` is `CLOCK_MONOTONIC` on Linux, so both use the same clock.

use std::fmt;
use std::io::ErrorKind;
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::time::{Duration, Instant};

use mio::unix::SourceFd;
use mio::{Events, Interest, Poll, Registry, Token};
use nix::errno::Errno;
use nix::sys::time::TimeSpec;
use nix::sys::timerfd::{ClockId, Expiration, TimerFd, TimerFlags, TimerSetTimeFlags};

use crate::error::EventError;

/// Reserved for the poller's timerfd; never reported to the caller. Loops number their
/// own tokens from 0 (fixed ones as constants, a slab for the rest).
pub const TIMER_TOKEN: Token = Token(usize::MAX - 1);

/// Readiness of one registered source, copied out of mio's event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ready {
    pub token: Token,
    pub readable: bool,
    pub writable: bool,
    /// The peer closed (read or write side): drain what is left, then treat it as gone.
    pub hangup: bool,
    pub error: bool,
}

pub struct Poller {
    poll: Poll,
    events: Events,
    timerfd: TimerFd,
    /// The deadline the timerfd is armed for, to skip needless `timerfd_settime` calls.
    armed: Option<Instant>,
    ready: Vec<Ready>,
    interrupted: u64,
    lazy: bool,
}

impl fmt::Debug for Poller {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Poller")
            .field("armed", &self.armed)
            .field("interrupted", &self.interrupted)
            .finish_non_exhaustive()
    }
}

impl Poller {
    pub fn new() -> Result<Self, EventError> {
        let poll = Poll::new().map_err(EventError::CreatePoll)?;
        let timerfd = TimerFd::new(
            ClockId::CLOCK_MONOTONIC,
            TimerFlags::TFD_NONBLOCK | TimerFlags::TFD_CLOEXEC,
        )
        .map_err(EventError::CreateTimerFd)?;
        let raw = timerfd.as_fd().as_raw_fd();
        poll.registry()
            .register(&mut SourceFd(&raw), TIMER_TOKEN, Interest::READABLE)
            .map_err(|source| EventError::Register { fd: raw, source })?;
        Ok(Poller {
            poll,
            events: Events::with_capacity(256),
            timerfd,
            armed: None,
            ready: Vec::with_capacity(256),
            interrupted: 0,
            lazy: false,
        })
    }

    /// For sources that implement `mio::event::Source` themselves (mio sockets).
    pub fn registry(&self) -> &Registry {
        self.poll.registry()
    }

    /// Registers any fd (a `Channel`, a raw socket, a pipe) edge-triggered under `token`.
    pub fn register(
        &self,
        fd: &impl AsRawFd,
        token: Token,
        interest: Interest,
    ) -> Result<(), EventError> {
        let raw: RawFd = fd.as_raw_fd();
        self.registry()
            .register(&mut SourceFd(&raw), token, interest)
            .map_err(|source| EventError::Register { fd: raw, source })
    }

    /// Changes the interest of a registered fd (e.g. add WRITABLE while a queue is pending).
    pub fn reregister(
        &self,
        fd: &impl AsRawFd,
        token: Token,
        interest: Interest,
    ) -> Result<(), EventError> {
        let raw: RawFd = fd.as_raw_fd();
        self.registry()
            .reregister(&mut SourceFd(&raw), token, interest)
            .map_err(|source| EventError::Register { fd: raw, source })
    }

    /// Deregisters before the fd is closed (a closed fd leaves epoll by itself only when no
    /// duplicate of it is open anywhere, e.g. in a child process).
    pub fn deregister(&self, fd: &impl AsRawFd) -> Result<(), EventError> {
        let raw: RawFd = fd.as_raw_fd();
        self.registry()
            .deregister(&mut SourceFd(&raw))
            .map_err(|source| EventError::Deregister { fd: raw, source })
    }

    /// Waits until a registered source is ready or `deadline` passes, and returns the ready
    /// sources (empty when only the deadline was reached). `EINTR` is retried: signals are
    /// seen through their pipe, which is a ready source like any other.
    pub fn wait(&mut self, deadline: Option<Instant>) -> Result<&[Ready], EventError> {
        self.ready.clear();
        loop {
            let timeout = self.arm(deadline)?;
            match self.poll.poll(&mut self.events, timeout) {
                Ok(()) => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => {
                    self.interrupted += 1;
                    continue;
                }
                Err(e) => return Err(EventError::Poll(e)),
            }
        }
        let mut fired = false;
        for ev in self.events.iter() {
            if ev.token() == TIMER_TOKEN {
                fired |= drain_timerfd(&self.timerfd);
                continue;
            }
            self.ready.push(Ready {
                token: ev.token(),
                readable: ev.is_readable(),
                writable: ev.is_writable(),
                hangup: ev.is_read_closed() || ev.is_write_closed(),
                error: ev.is_error(),
            });
        }
        if fired {
            self.armed = None;
        }
        Ok(&self.ready)
    }

    /// Lazy re-arming: when the timerfd is already armed for a deadline earlier than the
    /// one asked for, leave it (one `timerfd_settime` less per wait) at the cost of an early
    /// return with nothing ready. For loops that re-check their timers on every return and
    /// whose next deadline mostly moves later (a VRRP backup pushes its Master_Down timer on
    /// every advert received).
    pub fn set_lazy_rearm(&mut self, on: bool) {
        self.lazy = on;
    }

    /// How many times a wait was interrupted by a signal and resumed.
    pub fn interrupted(&self) -> u64 {
        self.interrupted
    }

    /// Arms the timerfd for `deadline` and returns the timeout to give epoll: zero if the
    /// deadline has passed, otherwise none (the timerfd wakes us).
    fn arm(&mut self, deadline: Option<Instant>) -> Result<Option<Duration>, EventError> {
        let Some(at) = deadline else {
            if self.armed.take().is_some() {
                self.timerfd.unset().map_err(EventError::ArmTimerFd)?;
            }
            return Ok(None);
        };
        let now = Instant::now();
        if at <= now {
            return Ok(Some(Duration::ZERO));
        }
        let keep = match self.armed {
            Some(armed) => armed == at || (self.lazy && armed < at),
            None => false,
        };
        if !keep {
            // Relative one-shot: `at - now` is non-zero here, and a zero value would disarm.
            let spec = TimeSpec::from_duration(at - now);
            self.timerfd
                .set(Expiration::OneShot(spec), TimerSetTimeFlags::empty())
                .map_err(EventError::ArmTimerFd)?;
            self.armed = Some(at);
        }
        Ok(None)
    }
}

/// Consumes the expiration count; false if there was none (a stale edge from before a
/// re-arm, which reset the count).
fn drain_timerfd(timerfd: &TimerFd) -> bool {
    let mut buf = [0u8; 8];
    loop {
        match nix::unistd::read(timerfd.as_fd(), &mut buf) {
            Err(Errno::EINTR) => continue,
            Ok(_) => return true,
            Err(_) => return false,
        }
    }
}

#[cfg(test)]
mod tests;
