//! Errors of the loop kit, each naming the operation that failed; returned by every
//! fallible function of keepalived-event.

use std::io;

use nix::errno::Errno;

#[derive(Debug, thiserror::Error)]
pub enum EventError {
    #[error("creating the epoll instance: {0}")]
    CreatePoll(#[source] io::Error),
    #[error("waiting for events: {0}")]
    Poll(#[source] io::Error),
    #[error("registering fd {fd} with the poller: {source}")]
    Register { fd: i32, source: io::Error },
    #[error("deregistering fd {fd} from the poller: {source}")]
    Deregister { fd: i32, source: io::Error },
    #[error("creating the timerfd: {0}")]
    CreateTimerFd(#[source] Errno),
    #[error("arming the timerfd: {0}")]
    ArmTimerFd(#[source] Errno),
    #[error("creating the signal pipe: {0}")]
    CreateSignalPipe(#[source] io::Error),
    #[error("installing the handler for signal {signal}: {source}")]
    RegisterSignal { signal: i32, source: io::Error },
}
