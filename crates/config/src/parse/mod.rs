//! From the block tree to the typed model. Root keywords are dispatched to the owner of
//! their block: [`global`], [`vrrp`], [`check`]. Unknown root keywords are warnings and
//! parsing goes on, as keepalived does.

pub mod check;
pub mod global;
pub mod ipaddr;
pub mod script;
pub mod values;
pub mod vrrp;

use crate::diag::{Diagnostics, ErrorClass};
use crate::model::Config;
use crate::tree::Node;

/// Keywords that open a block of keywords (walked by [`unexpected_blocks`]).
const KEYWORD_BLOCKS: &[&str] = &[
    "global_defs",
    "vrrp_instance",
    "vrrp_sync_group",
    "vrrp_script",
    "vrrp_track_process",
    "track_file",
    "vrrp_track_file",
    "track_group",
    "garp_group",
    "authentication",
    "auth_hmac",
    "bfd_instance",
    "SSL",
    "virtual_server",
    "real_server",
    "TCP_CHECK",
    "HTTP_GET",
    "SSL_GET",
    "MISC_CHECK",
    "SMTP_CHECK",
    "DNS_CHECK",
    "UDP_CHECK",
    "PING_CHECK",
    "FILE_CHECK",
    "BFD_CHECK",
    "url",
    "host",
];

/// Keywords whose block holds data lines (addresses, names, routes), not keywords.
const VALUE_BLOCKS: &[&str] = &[
    "virtual_ipaddress",
    "virtual_ipaddress_excluded",
    "virtual_routes",
    "virtual_rules",
    "static_ipaddress",
    "static_routes",
    "static_rules",
    "track_interface",
    "track_script",
    "track_file",
    "track_process",
    "track_bfd",
    "unicast_peer",
    "group",
    "notification_email",
    "interfaces",
    "linkbeat_interfaces",
    "interface_up_down_delays",
    "virtual_server_group",
    "vrrp_track_file",
];

/// A `{` after a keyword that takes no block: keepalived reports "Unexpected '{' -
/// ignoring" (and then loses track of its blocks, so every later line of the enclosing
/// block becomes an unknown keyword). We report it once, on the keyword's line, and ignore
/// that block's lines, keeping the structure intact. Unknown keywords are left to the
/// block parsers (one "Unknown keyword" message, as keepalived).
fn unexpected_blocks(nodes: &[Node], d: &mut Diagnostics) {
    for node in nodes {
        let Some(body) = &node.block else { continue };
        let k = node.keyword();
        if KEYWORD_BLOCKS.contains(&k) {
            unexpected_blocks(body, d);
        } else if VALUE_BLOCKS.contains(&k) || !known_keyword(k) {
            continue;
        } else {
            let last = body.last().map_or(node.loc.line, |n| n.loc.line);
            d.at(
                ErrorClass::UnexpectedBob,
                &node.loc,
                format!(
                    "Unexpected '{{' after '{k}' - ignoring (and the block's lines {}-{})",
                    node.loc.line, last
                ),
            );
        }
    }
}

/// Is `k` a keyword of any block (from the parsers' keyword tables)?
fn known_keyword(k: &str) -> bool {
    use std::collections::HashSet;
    use std::sync::OnceLock;
    static ALL: OnceLock<HashSet<&'static str>> = OnceLock::new();
    ALL.get_or_init(|| {
        global::KEYWORDS
            .iter()
            .chain(vrrp::KEYWORDS)
            .chain(check::KEYWORDS)
            .map(|(_, kw, _)| *kw)
            .collect()
    })
    .contains(k)
}

/// Build the model from the tree. Every problem goes to `d`; the result is always usable.
pub fn parse(source: &str, tree: &[Node], d: &mut Diagnostics) -> Config {
    unexpected_blocks(tree, d);
    let mut cfg = Config {
        source: source.to_string(),
        ..Config::default()
    };
    let mut vrrp_seen = vrrp::Seen::default();
    for node in tree {
        let k = node.keyword();
        if global::is_root(k) {
            global::parse_root(node, &mut cfg, d);
        } else if vrrp::is_root(k) {
            vrrp::parse_root_seen(node, &mut cfg.vrrp, &mut vrrp_seen, d);
        } else if check::is_root(k) {
            check::parse_root(node, &mut cfg.check, d);
        } else {
            values::unknown(d, node);
        }
    }
    cfg
}

#[cfg(test)]
mod tests {
    use crate::{load_str, ErrorClass, ReadOptions};

    #[test]
    fn a_brace_after_a_plain_keyword_is_unexpected() {
        let mut d = crate::Diagnostics::new();
        load_str(
            "u.conf",
            "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 5\n priority 100 {\n }\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n",
            &ReadOptions::default(),
            &mut d,
        );
        let e: Vec<_> = d.errors().collect();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].class, Some(ErrorClass::UnexpectedBob));
        assert_eq!(e[0].loc.as_ref().map(|l| l.line), Some(4));
        assert_eq!(d.exit_code(), 5);
    }

    #[test]
    fn value_and_keyword_blocks_are_not_unexpected() {
        let mut d = crate::Diagnostics::new();
        load_str(
            "v.conf",
            "global_defs {\n notification_email {\n  a@b\n }\n}\nvirtual_server 10.0.0.1 80 {\n lb_algo rr\n lb_kind NAT\n protocol TCP\n real_server 10.0.0.2 80 {\n  HTTP_GET {\n   url {\n    path /\n   }\n  }\n }\n}\n",
            &ReadOptions::default(),
            &mut d,
        );
        assert!(!d.has(ErrorClass::UnexpectedBob), "{:?}", d.items);
    }
}
