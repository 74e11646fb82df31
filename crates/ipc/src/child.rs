//! The child side of the parent channel, shared by the VRRP child
//! (`crates/vrrp/src/daemon/parent.rs`) and the checker child (`crates/check/src/daemon.rs`):
//! draining and dispatching the parent's messages, sending to it, and what a broken channel
//! means (exit, as keepalived's children do).

use std::os::fd::OwnedFd;

use log::{error, info, warn};

use crate::channel::{Channel, ChannelError};
use crate::messages::Message;

/// keepalived's exit codes (`lib/scheduler.h`), as the supervisor's `exit_code` has them.
pub const EXIT_OK: i32 = 0;
/// The exit code of a child whose parent channel failed (or that cannot run at all).
pub const EXIT_PROGRAM_ERROR: i32 = 70;

/// What a child's event loop does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Exit(i32),
}

/// A child process's end of its parent channel. The child supplies the channel, the
/// dispatch of one message and what it releases when the parent hangs up; the pumping,
/// sending and error handling are the same for every child.
pub trait ParentLink {
    /// What the child sends to the parent.
    type Out: Message;
    /// What the parent sends to the child.
    type In: Message;

    /// The channel to the parent.
    fn parent_chan(&mut self) -> &mut Channel<Self::Out, Self::In>;

    /// Handles one message from the parent (with the descriptors it carried).
    fn on_msg(&mut self, m: Self::In, fds: Vec<OwnedFd>) -> Flow;

    /// Called when the parent hung up, before the child exits with [`EXIT_OK`].
    fn on_parent_hangup(&mut self) {}

    /// Flushes the outgoing queue when the channel is `writable`, then handles every queued
    /// message; stops at the first that asks to exit.
    fn on_channel(&mut self, writable: bool) -> Flow {
        if writable {
            if let Err(e) = self.parent_chan().flush() {
                return self.parent_gone(&e);
            }
        }
        loop {
            match self.parent_chan().recv_with_fds() {
                Ok(Some((m, fds))) => {
                    if let Flow::Exit(c) = self.on_msg(m, fds) {
                        return Flow::Exit(c);
                    }
                }
                Ok(None) => return Flow::Continue,
                Err(e) => return self.parent_gone(&e),
            }
        }
    }

    /// The channel failed: a hang-up is an orderly exit, anything else means the parent is
    /// treated as dead.
    fn parent_gone(&mut self, e: &ChannelError) -> Flow {
        match e {
            ChannelError::PeerHungUp | ChannelError::Closed => {
                info!("the parent hung up; exiting");
                self.on_parent_hangup();
                Flow::Exit(EXIT_OK)
            }
            e => {
                error!("channel to the parent failed: {e}; treating the parent as dead");
                Flow::Exit(EXIT_PROGRAM_ERROR)
            }
        }
    }

    /// Queues `m` for the parent; a full queue drops it (logged), a broken channel exits.
    fn send(&mut self, m: &Self::Out) -> Flow {
        match self.parent_chan().send(m) {
            Ok(()) => Flow::Continue,
            Err(e) if e.is_fatal() => self.parent_gone(&e),
            Err(e) => {
                warn!("a message to the parent was dropped: {e}");
                Flow::Continue
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::{DumpKind, ParentToVrrp, VrrpToParent};

    /// A child that answers every `Dump` and exits (code 3) on `Shutdown`.
    struct Child {
        chan: Channel<VrrpToParent, ParentToVrrp>,
        seen: Vec<ParentToVrrp>,
        hangups: u32,
    }

    impl ParentLink for Child {
        type Out = VrrpToParent;
        type In = ParentToVrrp;
        fn parent_chan(&mut self) -> &mut Channel<VrrpToParent, ParentToVrrp> {
            &mut self.chan
        }
        fn on_msg(&mut self, m: ParentToVrrp, _fds: Vec<OwnedFd>) -> Flow {
            self.seen.push(m.clone());
            match m {
                ParentToVrrp::Dump(kind) => self.send(&VrrpToParent::Dump {
                    kind,
                    body: "x".into(),
                }),
                ParentToVrrp::Shutdown => Flow::Exit(3),
                _ => Flow::Continue,
            }
        }
        fn on_parent_hangup(&mut self) {
            self.hangups += 1;
        }
    }

    fn child() -> (Child, Channel<ParentToVrrp, VrrpToParent>) {
        let (c, p) = Channel::<VrrpToParent, ParentToVrrp>::pair().expect("socketpair");
        let child = Child {
            chan: c,
            seen: Vec::new(),
            hangups: 0,
        };
        (child, p)
    }

    #[test]
    fn dispatches_every_queued_message_and_stops_at_an_exit() {
        let (mut c, mut p) = child();
        p.send(&ParentToVrrp::Dump(DumpKind::Stats)).expect("send");
        p.send(&ParentToVrrp::Shutdown).expect("send");
        p.send(&ParentToVrrp::Dump(DumpKind::Data)).expect("send");
        assert_eq!(c.on_channel(false), Flow::Exit(3));
        assert_eq!(
            c.seen,
            vec![ParentToVrrp::Dump(DumpKind::Stats), ParentToVrrp::Shutdown]
        );
        assert_eq!(
            p.recv().expect("recv"),
            Some(VrrpToParent::Dump {
                kind: DumpKind::Stats,
                body: "x".into()
            })
        );
        // The message after the exit stays queued for whoever reads next.
        assert_eq!(c.on_channel(false), Flow::Continue);
        assert_eq!(c.seen.len(), 3);
    }

    #[test]
    fn a_hang_up_exits_ok_after_the_hook() {
        let (mut c, p) = child();
        drop(p);
        assert_eq!(c.on_channel(true), Flow::Exit(EXIT_OK));
        assert_eq!(c.hangups, 1);
    }
}
