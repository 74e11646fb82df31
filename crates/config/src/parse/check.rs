//! Parser for the checker root blocks (SSL, virtual_server_group, virtual_server).

use crate::diag::Diagnostics;
use crate::model::check::CheckConfig;
use crate::tree::Node;

/// Is `k` a root keyword owned by this module?
pub fn is_root(k: &str) -> bool {
    k == "virtual_server"
}

pub fn parse_root(_node: &Node, _cfg: &mut CheckConfig, _d: &mut Diagnostics) {}
