//! The IPVS generic-netlink family on neli: typed services and destinations (`model`), pure
//! encode/decode (`codec`), a synchronous client (`client`) and the reconcile planner
//! (`plan`). Used by the checker child; tested without a kernel, and in a VM by tests/vm.rs.

pub mod client;
pub mod codec;
pub mod config;
pub mod model;
pub mod plan;
pub mod uapi;

pub use client::{Ipvs, IpvsError};
pub use codec::{DecodeError, EncodeError};
pub use model::*;
pub use plan::{plan, Op, Others};
