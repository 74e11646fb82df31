//! keepalived-ipc: the typed links between the parent, the VRRP child and the checker
//! child; used by the supervisor (parent side) and by both children.
//!
//! - [`messages`]: one enum per direction, so a message on the wrong link does not compile.
//! - [`codec`]: bincode 2 behind one module, with a size limit; decode errors are values.
//! - [`channel`]: a non-blocking `SOCK_SEQPACKET` socketpair end, typed by what it sends and
//!   receives, with a versioned hello, an outgoing queue and SCM_RIGHTS fd passing.
//! - [`summary`]: the configuration summary children put in their dump parts.
//! - [`child`]: the child side of the parent channel ([`ParentLink`]), shared by both children.

pub mod channel;
pub mod child;
pub mod codec;
pub mod messages;
pub mod summary;

pub use channel::{socket_pair, Channel, ChannelError, ChannelPair, DEFAULT_MAX_QUEUED_BYTES};
pub use child::{Flow, ParentLink, EXIT_OK, EXIT_PROGRAM_ERROR};
pub use codec::{decode, encode, CodecError, MAX_MESSAGE_SIZE};
pub use messages::{
    CheckToParent, CheckToVrrp, Config, DumpKind, Hello, InstanceState, Message, ParentToCheck,
    ParentToVrrp, RealServerHealth, StandIn, StandInPacket, VersionedConfig, VrrpState,
    VrrpToCheck, VrrpToParent, PROTOCOL_VERSION,
};
pub use summary::ConfigSummary;
