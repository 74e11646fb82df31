//! The parent's end of a child's channel, whichever child it is; the parent loop sends
//! through it and reads the child's messages as one [`Report`] type.
//!
//! The two links stay typed underneath (`Channel<ParentToVrrp, VrrpToParent>` and
//! `Channel<ParentToCheck, CheckToParent>`), so nothing here can put a checker message on
//! the VRRP link; this only spares the loop from writing everything twice.

use std::os::fd::{AsRawFd, OwnedFd, RawFd};

use keepalived_ipc::{
    Channel, ChannelError, CheckToParent, DumpKind, InstanceState, ParentToCheck, ParentToVrrp,
    RealServerHealth, StandIn, VersionedConfig, VrrpToParent,
};

use crate::child::Role;
use crate::state::StateStore;

/// What a child said, in one type for both children.
#[derive(Debug)]
pub enum Report {
    Ready(u64),
    ReloadFailed {
        generation: u64,
        errors: Vec<String>,
    },
    Instance(InstanceState),
    Health(RealServerHealth),
    Dump {
        kind: DumpKind,
        body: String,
    },
    /// VRRP only: a send socket for stand-in adverts (`None` if the descriptor was lost).
    StandInSocket {
        id: u32,
        fd: Option<OwnedFd>,
    },
    /// VRRP only: a MASTER instance's adverts for the parent to send during a restart.
    StandIn(StandIn),
    /// VRRP only: forget the child's stand-in sockets and adverts.
    StandInReset,
}

#[derive(Debug)]
pub enum Link {
    Vrrp(Channel<ParentToVrrp, VrrpToParent>),
    Check(Channel<ParentToCheck, CheckToParent>),
}

impl Link {
    /// Wraps the parent's end of a fresh socketpair for `role` (queues the hello).
    pub fn new(role: Role, fd: OwnedFd) -> Result<Self, ChannelError> {
        Ok(match role {
            Role::Vrrp => Link::Vrrp(Channel::from_fd(fd)?),
            Role::Checker => Link::Check(Channel::from_fd(fd)?),
        })
    }

    /// The first message: the config and what the previous incarnation last reported.
    pub fn start(
        &mut self,
        config: VersionedConfig,
        store: &StateStore,
    ) -> Result<(), ChannelError> {
        match self {
            Link::Vrrp(c) => c.send(&ParentToVrrp::Start {
                config,
                restore: store.vrrp_restore(),
            }),
            Link::Check(c) => c.send(&ParentToCheck::Start {
                config,
                restore: store.check_restore(),
            }),
        }
    }

    pub fn reload(&mut self, config: VersionedConfig) -> Result<(), ChannelError> {
        match self {
            Link::Vrrp(c) => c.send(&ParentToVrrp::Reload { config }),
            Link::Check(c) => c.send(&ParentToCheck::Reload { config }),
        }
    }

    pub fn dump(&mut self, kind: DumpKind) -> Result<(), ChannelError> {
        match self {
            Link::Vrrp(c) => c.send(&ParentToVrrp::Dump(kind)),
            Link::Check(c) => c.send(&ParentToCheck::Dump(kind)),
        }
    }

    /// Hands over this child's end of a fresh vrrp<->checker socketpair (SCM_RIGHTS).
    pub fn peer_link(&mut self, fd: OwnedFd) -> Result<(), ChannelError> {
        match self {
            Link::Vrrp(c) => c.send_with_fds(&ParentToVrrp::PeerLink, vec![fd]),
            Link::Check(c) => c.send_with_fds(&ParentToCheck::PeerLink, vec![fd]),
        }
    }

    pub fn shutdown(&mut self) -> Result<(), ChannelError> {
        match self {
            Link::Vrrp(c) => c.send(&ParentToVrrp::Shutdown),
            Link::Check(c) => c.send(&ParentToCheck::Shutdown),
        }
    }

    pub fn flush(&mut self) -> Result<bool, ChannelError> {
        match self {
            Link::Vrrp(c) => c.flush(),
            Link::Check(c) => c.flush(),
        }
    }

    pub fn is_closed(&self) -> bool {
        match self {
            Link::Vrrp(c) => c.is_closed(),
            Link::Check(c) => c.is_closed(),
        }
    }

    /// The next report, `Ok(None)` when drained. Descriptors are expected only with the
    /// VRRP child's `StandInSocket`; any others are closed.
    pub fn recv(&mut self) -> Result<Option<Report>, ChannelError> {
        Ok(match self {
            Link::Vrrp(c) => c.recv_with_fds()?.map(|(m, fds)| match m {
                VrrpToParent::StandInSocket { id } => Report::StandInSocket {
                    id,
                    fd: fds.into_iter().next(),
                },
                VrrpToParent::StandIn(s) => Report::StandIn(s),
                VrrpToParent::StandInReset => Report::StandInReset,
                VrrpToParent::Ready { generation } => Report::Ready(generation),
                VrrpToParent::StateReport(s) => Report::Instance(s),
                VrrpToParent::ReloadFailed { generation, errors } => {
                    Report::ReloadFailed { generation, errors }
                }
                VrrpToParent::Dump { kind, body } => Report::Dump { kind, body },
            }),
            Link::Check(c) => c.recv()?.map(|m| match m {
                CheckToParent::Ready { generation } => Report::Ready(generation),
                CheckToParent::HealthReport(h) => Report::Health(h),
                CheckToParent::ReloadFailed { generation, errors } => {
                    Report::ReloadFailed { generation, errors }
                }
                CheckToParent::Dump { kind, body } => Report::Dump { kind, body },
            }),
        })
    }
}

impl AsRawFd for Link {
    fn as_raw_fd(&self) -> RawFd {
        match self {
            Link::Vrrp(c) => c.as_raw_fd(),
            Link::Check(c) => c.as_raw_fd(),
        }
    }
}
