//! Which keywords keepalived-rs parses and which of those it acts on. The block parsers
//! list their keywords in `parse::{global,vrrp,check}::KEYWORDS`; this module joins them,
//! finds the keywords of a config that are parsed but not acted on (`keepalived-rs -t`
//! prints one summary line, the daemon one line per keyword), and renders the coverage
//! table `docs/keywords.md`.

use crate::diag::Loc;
use crate::parse;
use crate::tree::Node;
use std::collections::BTreeSet;

/// How far a keyword is supported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Support {
    /// Parsed into the model and validated, not acted on by the daemon yet.
    Parsed,
    /// Parsed and acted on.
    Acted,
}

impl Support {
    pub fn as_str(self) -> &'static str {
        match self {
            Support::Parsed => "parsed, not acted on yet",
            Support::Acted => "acted on",
        }
    }
}

/// Keywords the daemon acts on, as (block path, keyword). Each subsystem adds its keywords
/// here when it starts honouring them.
pub const ACTED: &[(&str, &str)] = &[
    // VRRP child (crates/vrrp/src/daemon.rs)
    ("", "global_defs"),
    ("", "vrrp_instance"),
    ("vrrp_instance", "state"),
    ("vrrp_instance", "interface"),
    ("vrrp_instance", "dont_track_primary"),
    ("vrrp_instance", "virtual_router_id"),
    ("vrrp_instance", "priority"),
    ("vrrp_instance", "advert_int"),
    ("vrrp_instance", "version"),
    ("vrrp_instance", "mcast_src_ip"),
    ("vrrp_instance", "unicast_src_ip"),
    ("vrrp_instance", "mcast_dst_ip"),
    ("vrrp_instance", "unicast_peer"),
    ("vrrp_instance", "unicast_ttl"),
    ("vrrp_instance", "v3_checksum_as_v2"),
    ("vrrp_instance", "virtual_ipaddress"),
    ("vrrp_instance", "virtual_ipaddress_excluded"),
    ("vrrp_instance", "strict_mode"),
    ("vrrp_instance", "preempt"),
    ("vrrp_instance", "nopreempt"),
    ("vrrp_instance", "preempt_delay"),
    ("vrrp_instance", "garp_master_delay"),
    ("vrrp_instance", "garp_master_refresh"),
    ("vrrp_instance", "garp_master_repeat"),
    ("vrrp_instance", "garp_master_refresh_repeat"),
    ("vrrp_instance", "garp_lower_prio_delay"),
    ("vrrp_instance", "garp_lower_prio_repeat"),
    ("vrrp_instance", "down_timer_adverts"),
    ("vrrp_instance", "lower_prio_no_advert"),
    ("vrrp_instance", "higher_prio_send_advert"),
    ("vrrp_instance", "authentication"),
    ("vrrp_instance/authentication", "auth_type"),
    ("vrrp_instance/authentication", "auth_pass"),
    ("global_defs", "v3_checksum_as_v2"),
    ("global_defs", "vrrp_garp_master_delay"),
    ("global_defs", "vrrp_garp_master_repeat"),
    ("global_defs", "vrrp_garp_master_refresh"),
    ("global_defs", "vrrp_garp_master_refresh_repeat"),
    ("global_defs", "vrrp_garp_lower_prio_delay"),
    ("global_defs", "vrrp_garp_lower_prio_repeat"),
    ("global_defs", "vrrp_down_timer_adverts"),
    ("global_defs", "vrrp_min_garp"),
    ("global_defs", "vrrp_lower_prio_no_advert"),
    ("global_defs", "vrrp_higher_prio_send_advert"),
    ("global_defs", "vrrp_version"),
    ("global_defs", "vrrp_strict"),
];

/// Every keyword the parsers know, as (block path, keyword), sorted and without duplicates.
pub fn keywords() -> Vec<(&'static str, &'static str)> {
    let set: BTreeSet<(&'static str, &'static str)> = parse::global::KEYWORDS
        .iter()
        .chain(parse::vrrp::KEYWORDS)
        .chain(parse::check::KEYWORDS)
        .copied()
        .collect();
    set.into_iter().collect()
}

/// The support level of `keyword` in block `path`, `None` when it is not parsed at all.
pub fn status(path: &str, keyword: &str) -> Option<Support> {
    let known = |t: &[(&str, &str)]| t.iter().any(|&(p, k)| p == path && k == keyword);
    if known(ACTED) {
        Some(Support::Acted)
    } else if known(parse::global::KEYWORDS)
        || known(parse::vrrp::KEYWORDS)
        || known(parse::check::KEYWORDS)
    {
        Some(Support::Parsed)
    } else {
        None
    }
}

/// One keyword of a config that is parsed but not acted on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotActed {
    pub loc: Loc,
    /// Block path as in the keyword tables ("" for the root).
    pub block: String,
    pub keyword: String,
}

/// Every use of a parsed-but-not-acted-on keyword in `tree`, in file order.
pub fn not_acted(tree: &[Node]) -> Vec<NotActed> {
    let all = keywords();
    let mut out = Vec::new();
    walk(tree, "", &all, &mut out);
    out
}

fn walk(nodes: &[Node], path: &str, all: &[(&str, &str)], out: &mut Vec<NotActed>) {
    for node in nodes {
        let k = node.keyword();
        let listed = |t: &[(&str, &str)]| t.iter().any(|&(p, kw)| p == path && kw == k);
        if listed(all) && !listed(ACTED) {
            out.push(NotActed {
                loc: node.loc.clone(),
                block: path.to_string(),
                keyword: k.to_string(),
            });
        }
        if node.block.is_some() {
            let sub = if path.is_empty() {
                k.to_string()
            } else {
                format!("{path}/{k}")
            };
            // Only real blocks are walked: a value block's lines are data, not keywords.
            if all.iter().any(|&(p, _)| p == sub) {
                walk(node.children(), &sub, all, out);
            }
        }
    }
}

/// The one-line notice of `-t`: how many keyword uses are parsed but not acted on, and
/// which keywords. `None` when there are none.
pub fn summary(tree: &[Node]) -> Option<String> {
    let list = not_acted(tree);
    if list.is_empty() {
        return None;
    }
    let names: BTreeSet<&str> = list.iter().map(|n| n.keyword.as_str()).collect();
    let names: Vec<&str> = names.into_iter().collect();
    Some(format!(
        "{} keyword uses ({} distinct) are parsed and validated but not acted on yet: {}",
        list.len(),
        names.len(),
        names.join(", ")
    ))
}

/// The coverage table, `docs/keywords.md`.
pub fn keywords_md() -> String {
    let all = keywords();
    let mut s = String::from(
        "# keepalived.conf keyword coverage\n\n\
         Generated from the parsers' keyword tables (`crates/config/src/parse/*.rs`, \
         `KEYWORDS`) by `crates/config/src/support.rs`; do not edit by hand. Regenerate with \
         `UPDATE_DOCS=1 cargo test -p keepalived-config support`.\n\n\
         Status: *parsed* means read into the typed model and validated as `keepalived -t` \
         does; *acted on* means the daemon honours it. A keyword not listed is reported as \
         unknown (a warning, as keepalived does).\n\n",
    );
    let acted = all
        .iter()
        .filter(|(p, k)| status(p, k) == Some(Support::Acted))
        .count();
    s.push_str(&format!(
        "{} keywords parsed, {} acted on.\n\n",
        all.len(),
        acted
    ));
    s.push_str("| block | keyword | status |\n|---|---|---|\n");
    for (p, k) in &all {
        let block = if p.is_empty() { "(root)" } else { p };
        let st = status(p, k).map_or("", Support::as_str);
        s.push_str(&format!("| {block} | `{k}` | {st} |\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(line: u32, words: &[&str], block: Option<Vec<Node>>) -> Node {
        Node {
            loc: Loc::new("k.conf", line),
            words: words.iter().map(|w| w.to_string()).collect(),
            block,
        }
    }

    #[test]
    fn walk_follows_block_paths_and_skips_value_blocks() {
        // Block and keyword names that are in no real table (so ACTED does not hide them).
        let table = [
            ("", "xblock"),
            ("xblock", "priority"),
            ("xblock", "virtual_ipaddress"),
            ("xblock", "track_script"),
            ("xblock/track_script", "weight"),
        ];
        let tree = vec![
            node(1, &["bogus"], None),
            node(
                2,
                &["xblock", "VI_1"],
                Some(vec![
                    node(3, &["priority", "100"], None),
                    // value block: its line "priority" is data, not a keyword
                    node(
                        4,
                        &["virtual_ipaddress"],
                        Some(vec![node(5, &["priority"], None)]),
                    ),
                    node(6, &["unknown_kw"], None),
                ]),
            ),
        ];
        let mut out = Vec::new();
        walk(&tree, "", &table, &mut out);
        let got: Vec<(u32, &str, &str)> = out
            .iter()
            .map(|n| (n.loc.line, n.block.as_str(), n.keyword.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (2, "", "xblock"),
                (3, "xblock", "priority"),
                (4, "xblock", "virtual_ipaddress"),
            ]
        );
        // with the real tables, an unknown keyword is never "not acted on"
        assert!(not_acted(&[node(1, &["no_such_keyword_xyz"], None)]).is_empty());
        assert_eq!(summary(&[node(1, &["no_such_keyword_xyz"], None)]), None);
    }

    #[test]
    fn unknown_keywords_have_no_status() {
        assert_eq!(status("", "no_such_keyword_xyz"), None);
        assert!(keywords_md().contains("| block | keyword | status |"));
    }

    /// docs/keywords.md must match the tables; `UPDATE_DOCS=1` rewrites it.
    #[test]
    fn keywords_doc_is_up_to_date() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/keywords.md");
        let want = keywords_md();
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(&path, &want).expect("write docs/keywords.md");
            return;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "docs/keywords.md is out of date: run `UPDATE_DOCS=1 cargo test -p keepalived-config support`"
        );
    }
}
