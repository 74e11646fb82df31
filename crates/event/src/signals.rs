//! Signals as loop events: signal-hook writes a byte to a self-pipe registered in the
//! [`crate::Poller`], and per-signal flags say which signals came; each process's loop
//! owns one `Signals` for everything it handles (HUP, TERM, INT, USR1, USR2, CHLD, ...).
//!
//! The pipe alone says "some signal arrived"; one flag per signal says which. The flag is
//! registered before the pipe write, so when the loop sees the byte the flag is already
//! set. Several deliveries of one signal before the loop runs collapse into one, as with
//! any Unix signal.

use std::fmt;
use std::io;
use std::os::unix::net::UnixStream as StdUnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use mio::net::UnixStream;
use mio::{Interest, Registry, Token};
use signal_hook::SigId;

use crate::drain::drain_read;
use crate::error::EventError;

pub struct Signals {
    rx: UnixStream,
    flags: Vec<(i32, Arc<AtomicBool>)>,
    ids: Vec<SigId>,
}

impl fmt::Debug for Signals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sigs: Vec<i32> = self.flags.iter().map(|(s, _)| *s).collect();
        f.debug_struct("Signals")
            .field("signals", &sigs)
            .finish_non_exhaustive()
    }
}

impl Signals {
    /// Installs handlers for `signals` (e.g. `libc`/`nix` `SIGHUP as i32`). The default
    /// action of each (terminate, ignore) no longer happens while this lives.
    pub fn new(signals: &[i32]) -> Result<Self, EventError> {
        let (tx, rx) = StdUnixStream::pair().map_err(EventError::CreateSignalPipe)?;
        tx.set_nonblocking(true)
            .map_err(EventError::CreateSignalPipe)?;
        rx.set_nonblocking(true)
            .map_err(EventError::CreateSignalPipe)?;
        let mut me = Signals {
            rx: UnixStream::from_std(rx),
            flags: Vec::new(),
            ids: Vec::new(),
        };
        for &signal in signals {
            let flag = Arc::new(AtomicBool::new(false));
            let reg = |r: io::Result<SigId>| {
                r.map_err(|source| EventError::RegisterSignal { signal, source })
            };
            me.ids
                .push(reg(signal_hook::flag::register(signal, Arc::clone(&flag)))?);
            let pipe = tx.try_clone().map_err(EventError::CreateSignalPipe)?;
            me.ids
                .push(reg(signal_hook::low_level::pipe::register(signal, pipe))?);
            me.flags.push((signal, flag));
        }
        Ok(me)
    }

    /// Registers the read end of the pipe in the loop.
    pub fn register(&mut self, registry: &Registry, token: Token) -> Result<(), EventError> {
        registry
            .register(&mut self.rx, token, Interest::READABLE)
            .map_err(|source| EventError::Register {
                fd: std::os::fd::AsRawFd::as_raw_fd(&self.rx),
                source,
            })
    }

    /// Empties the pipe and returns the signals that arrived since the last call, in the
    /// order they were given to [`Signals::new`]. Call whenever the token is ready.
    pub fn pending(&mut self) -> Vec<i32> {
        let mut buf = [0u8; 64];
        // Errors other than WouldBlock cannot happen on our own socketpair; the flags are
        // the truth either way.
        let _ = drain_read(&mut self.rx, &mut buf, |_| ());
        self.flags
            .iter()
            .filter(|(_, flag)| flag.swap(false, Ordering::AcqRel))
            .map(|(signal, _)| *signal)
            .collect()
    }
}

impl Drop for Signals {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}
