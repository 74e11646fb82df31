//! Which keywords keepalived-rs parses and which of those it acts on. The block parsers
//! list their keywords in `parse::{global,vrrp,check}::KEYWORDS`, each row marked with the
//! process that acts on it ([`ActedBy`]); this module joins them,
//! finds the keywords of a config that are parsed but not acted on (`keepalived-rs -t`
//! prints one summary line, the daemon one line per keyword), and renders the coverage
//! table `docs/keywords.md`.

use crate::diag::Loc;
use crate::parse;
use crate::tree::Node;
use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

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

/// Which process acts on a keyword, as recorded in the parsers' keyword tables. Marked
/// conservatively: a keyword is acted on only when that process's tests show it honoured.
/// Each subsystem marks its keywords in the table row where they are parsed when it starts
/// honouring them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ActedBy {
    /// Parsed into the model and validated, not acted on yet.
    Nobody,
    /// The VRRP child (crates/vrrp).
    Vrrp,
    /// The checker child (crates/check, crates/ipvs).
    Checker,
    /// Both children, each for its own scripts or FIFO.
    Both,
    /// The supervisor, for a child at its start (crates/supervisor/src/sched.rs).
    Parent,
}

/// One row of a parser's keyword table: (block path, keyword, who acts on it).
pub type Keyword = (&'static str, &'static str, ActedBy);

/// Keywords the daemon acts on, as (block path, keyword), sorted: the table rows not marked
/// [`ActedBy::Nobody`].
pub fn acted() -> Vec<(&'static str, &'static str)> {
    let set: BTreeSet<(&'static str, &'static str)> = all_tables()
        .filter(|(_, _, by)| *by != ActedBy::Nobody)
        .map(|&(path, kw, _)| (path, kw))
        .collect();
    set.into_iter().collect()
}

/// The parsers' tables joined, in one slice, for the lookups below.
fn all_tables() -> impl Iterator<Item = &'static Keyword> {
    parse::global::KEYWORDS
        .iter()
        .chain(parse::vrrp::KEYWORDS)
        .chain(parse::check::KEYWORDS)
}

/// Every keyword the parsers know, as (block path, keyword), sorted and without duplicates.
pub fn keywords() -> Vec<(&'static str, &'static str)> {
    let set: BTreeSet<(&'static str, &'static str)> =
        all_tables().map(|&(path, kw, _)| (path, kw)).collect();
    set.into_iter().collect()
}

/// The keyword tables as one tree of hash maps, built once: the config walk costs one hash
/// lookup per statement instead of a scan of ~900 table rows, and needs no path strings.
#[derive(Debug)]
struct Index {
    /// One entry per block path; `ROOT` is the root level.
    blocks: Vec<Block>,
}

#[derive(Debug, Default)]
struct Block {
    /// The block's path as in the tables ("" for the root).
    path: &'static str,
    keywords: HashMap<&'static str, Entry>,
}

#[derive(Clone, Copy, Debug, Default)]
struct Entry {
    /// Listed in the parsers' tables at this path.
    parsed: bool,
    /// Marked acted on (not [`ActedBy::Nobody`]) in a table row at this path.
    acted: bool,
    /// The block this keyword opens, when its lines are keywords (not a value block).
    sub: Option<usize>,
}

const ROOT: usize = 0;

impl Index {
    fn new(rows: impl Iterator<Item = &'static Keyword>) -> Index {
        let mut index = Index {
            blocks: vec![Block::default()],
        };
        let mut by_path: HashMap<&'static str, usize> = HashMap::from([("", ROOT)]);
        let mut block_of = |index: &mut Index, path: &'static str| -> usize {
            *by_path.entry(path).or_insert_with(|| {
                index.blocks.push(Block {
                    path,
                    keywords: HashMap::new(),
                });
                index.blocks.len() - 1
            })
        };
        let rows: Vec<&Keyword> = rows.collect();
        for &&(path, kw, by) in &rows {
            let b = block_of(&mut index, path);
            if let Some(block) = index.blocks.get_mut(b) {
                let e = block.keywords.entry(kw).or_default();
                e.parsed = true;
                e.acted |= by != ActedBy::Nobody;
            }
        }
        // A path in the tables is a block whose lines are keywords: link it to the keyword
        // that opens it in its parent block.
        for &&(path, _, _) in &rows {
            if path.is_empty() {
                continue;
            }
            let (parent, kw) = path.rsplit_once('/').unwrap_or(("", path));
            let child = block_of(&mut index, path);
            let parent = block_of(&mut index, parent);
            if let Some(block) = index.blocks.get_mut(parent) {
                block.keywords.entry(kw).or_default().sub = Some(child);
            }
        }
        index
    }

    /// The index of the real tables.
    fn get() -> &'static Index {
        static INDEX: OnceLock<Index> = OnceLock::new();
        INDEX.get_or_init(|| Index::new(all_tables()))
    }

    fn entry(&self, block: usize, keyword: &str) -> Option<&Entry> {
        self.blocks.get(block)?.keywords.get(keyword)
    }

    fn path(&self, block: usize) -> &'static str {
        self.blocks.get(block).map_or("", |b| b.path)
    }

    /// Call `f(node, block path, table keyword)` for every statement of `nodes` whose
    /// keyword is parsed but not acted on, in file order. Only blocks of keywords are
    /// entered: a value block's lines are data, not keywords.
    fn walk<'n>(
        &self,
        nodes: &'n [Node],
        block: usize,
        f: &mut impl FnMut(&'n Node, &'static str, &'static str),
    ) {
        let Some(b) = self.blocks.get(block) else {
            return;
        };
        for node in nodes {
            let Some((&kw, e)) = b.keywords.get_key_value(node.keyword()) else {
                continue;
            };
            if e.parsed && !e.acted {
                f(node, b.path, kw);
            }
            if let (Some(sub), Some(children)) = (e.sub, &node.block) {
                self.walk(children, sub, f);
            }
        }
    }
}

/// The support level of `keyword` in block `path`, `None` when it is not parsed at all.
pub fn status(path: &str, keyword: &str) -> Option<Support> {
    let index = Index::get();
    // Paths are few (a few dozen); finding one by scan keeps the index a plain tree.
    let block = (0..index.blocks.len()).find(|&b| index.path(b) == path)?;
    let e = index.entry(block, keyword)?;
    if e.acted {
        Some(Support::Acted)
    } else if e.parsed {
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
    pub block: &'static str,
    pub keyword: &'static str,
}

/// Every use of a parsed-but-not-acted-on keyword in `tree`, in file order.
pub fn not_acted(tree: &[Node]) -> Vec<NotActed> {
    let mut out = Vec::new();
    Index::get().walk(tree, ROOT, &mut |node, block, keyword| {
        out.push(NotActed {
            loc: node.loc.clone(),
            block,
            keyword,
        })
    });
    out
}

/// The one-line notice of `-t`: how many keyword uses are parsed but not acted on, and
/// which keywords. `None` when there are none.
pub fn summary(tree: &[Node]) -> Option<String> {
    // Counted during the walk: `-t` needs no list of every use.
    let mut uses = 0usize;
    let mut names: BTreeSet<&'static str> = BTreeSet::new();
    Index::get().walk(tree, ROOT, &mut |_, _, keyword| {
        uses += 1;
        names.insert(keyword);
    });
    if uses == 0 {
        return None;
    }
    let names: Vec<&str> = names.into_iter().collect();
    Some(format!(
        "{} keyword uses ({} distinct) are parsed and validated but not acted on yet: {}",
        uses,
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

    static TABLE: &[Keyword] = &[
        ("", "vrrp_instance", ActedBy::Nobody),
        ("vrrp_instance", "priority", ActedBy::Nobody),
        ("vrrp_instance", "virtual_ipaddress", ActedBy::Nobody),
        ("vrrp_instance", "track_script", ActedBy::Nobody),
        ("vrrp_instance/track_script", "weight", ActedBy::Nobody),
    ];

    fn sample_tree() -> Vec<Node> {
        vec![
            node(1, &["bogus"], None),
            node(
                2,
                &["vrrp_instance", "VI_1"],
                Some(vec![
                    node(3, &["priority", "100"], None),
                    // value block: its line "priority" is data, not a keyword
                    node(
                        4,
                        &["virtual_ipaddress"],
                        Some(vec![node(5, &["priority"], None)]),
                    ),
                    node(6, &["unknown_kw"], None),
                    node(
                        7,
                        &["track_script"],
                        Some(vec![node(8, &["weight", "2"], None)]),
                    ),
                ]),
            ),
        ]
    }

    fn uses(index: &Index, tree: &[Node]) -> Vec<(u32, &'static str, &'static str)> {
        let mut got = Vec::new();
        index.walk(tree, ROOT, &mut |n, b, k| got.push((n.loc.line, b, k)));
        got
    }

    #[test]
    fn walk_follows_block_paths_and_skips_value_blocks() {
        let index = Index::new(TABLE.iter());
        assert_eq!(
            uses(&index, &sample_tree()),
            [
                (2, "", "vrrp_instance"),
                (3, "vrrp_instance", "priority"),
                (4, "vrrp_instance", "virtual_ipaddress"),
                (7, "vrrp_instance", "track_script"),
                (8, "vrrp_instance/track_script", "weight"),
            ]
        );
        // with the real tables, an unknown keyword is never "not acted on"
        assert!(not_acted(&[node(1, &["no_such_keyword_xyz"], None)]).is_empty());
        assert_eq!(summary(&[node(1, &["no_such_keyword_xyz"], None)]), None);
    }

    #[test]
    fn acted_keywords_are_left_out_but_their_blocks_walked() {
        static ACTED_HERE: &[Keyword] = &[
            ("", "vrrp_instance", ActedBy::Vrrp),
            ("vrrp_instance", "priority", ActedBy::Nobody),
            ("vrrp_instance", "virtual_ipaddress", ActedBy::Nobody),
            ("vrrp_instance", "track_script", ActedBy::Vrrp),
            ("vrrp_instance/track_script", "weight", ActedBy::Nobody),
        ];
        let index = Index::new(ACTED_HERE.iter());
        assert_eq!(
            uses(&index, &sample_tree()),
            [
                (3, "vrrp_instance", "priority"),
                (4, "vrrp_instance", "virtual_ipaddress"),
                (8, "vrrp_instance/track_script", "weight"),
            ]
        );
    }

    #[test]
    fn summary_counts_what_not_acted_lists() {
        let mut d = crate::Diagnostics::new();
        let text = "global_defs {\n router_id a\n}\nvrrp_instance VI_1 {\n interface eth0\n \
                    virtual_router_id 1\n priority 100\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n";
        let lines =
            crate::preprocess::read_str("s.conf", text, &crate::ReadOptions::default(), &mut d);
        let tree = crate::tree::build_owned(lines, &mut d);
        let list = not_acted(&tree);
        let got: Vec<(u32, &str, &str)> = list
            .iter()
            .map(|n| (n.loc.line, n.block, n.keyword))
            .collect();
        // The VRRP child acts on the instance keywords (ActedBy::Vrrp); router_id is only parsed.
        assert_eq!(got, [(2, "global_defs", "router_id")]);
        assert_eq!(
            summary(&tree).as_deref(),
            Some("1 keyword uses (1 distinct) are parsed and validated but not acted on yet: router_id")
        );
    }

    #[test]
    fn unknown_keywords_have_no_status() {
        assert_eq!(status("", "no_such_keyword_xyz"), None);
        assert_eq!(status("", "vrrp_instance"), Some(Support::Acted));
        assert_eq!(status("vrrp_instance", "priority"), Some(Support::Acted));
        assert_eq!(
            status("vrrp_instance", "track_src_ip"),
            Some(Support::Parsed)
        );
        assert_eq!(status("vrrp_instance", "vrrp_instance"), None);
        assert_eq!(status("no/such/block", "priority"), None);
        assert!(keywords_md().contains("| block | keyword | status |"));
    }

    #[test]
    fn acted_comes_from_the_table_marks() {
        let acted = acted();
        assert!(acted.contains(&("vrrp_instance", "priority")));
        assert!(acted.contains(&("virtual_server/real_server", "TCP_CHECK")));
        assert!(!acted.contains(&("vrrp_instance", "track_src_ip")));
        let marked = all_tables().filter(|r| r.2 != ActedBy::Nobody).count();
        // no row is listed twice, so every marked row is one acted keyword
        assert_eq!(acted.len(), marked);
        assert_eq!(keywords().len(), all_tables().count());
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
