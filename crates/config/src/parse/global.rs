//! Parser for root-level options and `global_defs`.

use crate::diag::Diagnostics;
use crate::model::Config;
use crate::tree::Node;

/// Is `k` a root keyword owned by this module?
pub fn is_root(k: &str) -> bool {
    k == "global_defs"
}

pub fn parse_root(_node: &Node, _cfg: &mut Config, _d: &mut Diagnostics) {}

/// Keywords this module parses, as (block path, keyword). The block path is "" for root
/// keywords, else the chain of block keywords from the root joined with '/', e.g.
/// "vrrp_instance", "virtual_server/real_server/HTTP_GET/url". Value blocks (whose lines
/// are data, like `virtual_ipaddress`) are listed as keywords; their lines are not.
/// Used by `support` for the "parsed but not acted on" report and the coverage table.
pub const KEYWORDS: &[(&str, &str)] = &[];
