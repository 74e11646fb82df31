//! Parser for the VRRP root blocks (static_*, vrrp_script, track_file, vrrp_track_process,
//! vrrp_sync_group, vrrp_instance, ...).

use crate::diag::Diagnostics;
use crate::model::vrrp::VrrpConfig;
use crate::tree::Node;

/// Is `k` a root keyword owned by this module?
pub fn is_root(k: &str) -> bool {
    k == "vrrp_instance"
}

pub fn parse_root(_node: &Node, _cfg: &mut VrrpConfig, _d: &mut Diagnostics) {}
