//! From the block tree to the typed model. Root keywords are dispatched to the owner of
//! their block: [`global`], [`vrrp`], [`check`]. Unknown root keywords are warnings and
//! parsing goes on, as keepalived does.

pub mod check;
pub mod global;
pub mod ipaddr;
pub mod script;
pub mod values;
pub mod vrrp;

use crate::diag::Diagnostics;
use crate::model::Config;
use crate::tree::Node;

/// Build the model from the tree. Every problem goes to `d`; the result is always usable.
pub fn parse(source: &str, tree: &[Node], d: &mut Diagnostics) -> Config {
    let mut cfg = Config {
        source: source.to_string(),
        ..Config::default()
    };
    for node in tree {
        let k = node.keyword();
        if global::is_root(k) {
            global::parse_root(node, &mut cfg, d);
        } else if vrrp::is_root(k) {
            vrrp::parse_root(node, &mut cfg.vrrp, d);
        } else if check::is_root(k) {
            check::parse_root(node, &mut cfg.check, d);
        } else {
            values::unknown(d, node);
        }
    }
    cfg
}
