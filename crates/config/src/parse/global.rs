//! Parser for root-level options and `global_defs`.

use crate::diag::Diagnostics;
use crate::model::Config;
use crate::tree::Node;

/// Is `k` a root keyword owned by this module?
pub fn is_root(k: &str) -> bool {
    k == "global_defs"
}

pub fn parse_root(_node: &Node, _cfg: &mut Config, _d: &mut Diagnostics) {}
