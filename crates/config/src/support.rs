//! Which keywords keepalived-rs parses and which of those it acts on. The block parsers
//! list their keywords in `parse::{global,vrrp,check}::KEYWORDS`; this module joins them,
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

/// Keywords the daemon acts on, as (block path, keyword). Listed per child, conservatively:
/// a keyword is here only when that child's tests show it honoured. Each subsystem adds its keywords
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
    ("vrrp_instance", "skip_check_adv_addr"),
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
    ("global_defs", "vrrp_skip_check_adv_addr"),
    // GARP/NA pacing (crates/vrrp/src/network/pace.rs; tests/vrrp_garp_e2e.rs)
    ("global_defs", "vrrp_garp_interval"),
    ("global_defs", "vrrp_gna_interval"),
    ("", "garp_group"),
    ("garp_group", "garp_interval"),
    ("garp_group", "gna_interval"),
    ("garp_group", "interface"),
    ("garp_group", "interfaces"),
    // unicast receive policy (crates/vrrp/src/unicast.rs; tests/vrrp_unicast_e2e.rs)
    ("global_defs", "vrrp_check_unicast_src"),
    ("vrrp_instance", "check_unicast_src"),
    ("global_defs", "vrrp_version"),
    ("global_defs", "vrrp_strict"),
    // VRRP child: notifies and sync groups (crates/vrrp/src/notify*, sync.rs)
    ("", "vrrp_sync_group"),
    ("vrrp_sync_group", "group"),
    ("vrrp_sync_group", "notify_master"),
    ("vrrp_sync_group", "notify_backup"),
    ("vrrp_sync_group", "notify_fault"),
    ("vrrp_sync_group", "notify_stop"),
    ("vrrp_sync_group", "notify"),
    // Sync-group level tracking (crates/vrrp/src/synctrack.rs; tests/vrrp_synctrack_e2e.rs)
    ("vrrp_sync_group", "track_interface"),
    ("vrrp_sync_group", "track_script"),
    ("vrrp_sync_group", "track_file"),
    ("vrrp_sync_group", "track_process"),
    ("vrrp_sync_group", "sync_group_tracking_weight"),
    ("vrrp_sync_group", "global_tracking"),
    ("vrrp_instance", "notify_master"),
    ("vrrp_instance", "notify_backup"),
    ("vrrp_instance", "notify_fault"),
    ("vrrp_instance", "notify_stop"),
    ("vrrp_instance", "notify"),
    ("vrrp_instance", "notify_master_rx_lower_pri"),
    ("vrrp_instance", "notify_priority_changes"),
    ("global_defs", "notify_fifo"),
    ("global_defs", "notify_fifo_script"),
    ("global_defs", "vrrp_notify_fifo"),
    ("global_defs", "vrrp_notify_fifo_script"),
    ("global_defs", "vrrp_notify_priority_changes"),
    // VRRP tracking (crates/vrrp/src/track.rs, tracker.rs; tests/vrrp_track_e2e.rs)
    ("", "vrrp_script"),
    ("vrrp_script", "script"),
    ("vrrp_script", "interval"),
    ("vrrp_script", "timeout"),
    ("vrrp_script", "weight"),
    ("vrrp_script", "rise"),
    ("vrrp_script", "fall"),
    ("vrrp_script", "user"),
    ("vrrp_script", "init_fail"),
    ("", "track_file"),
    ("track_file", "file"),
    ("track_file", "weight"),
    ("track_file", "init_file"),
    ("", "vrrp_track_file"),
    ("vrrp_track_file", "file"),
    ("vrrp_track_file", "weight"),
    ("vrrp_track_file", "init_file"),
    ("vrrp_instance", "track_interface"),
    ("vrrp_instance", "track_script"),
    ("vrrp_instance", "track_file"),
    ("", "vrrp_track_process"),
    ("vrrp_track_process", "process"),
    ("vrrp_track_process", "param_match"),
    ("vrrp_track_process", "weight"),
    ("vrrp_track_process", "quorum"),
    ("vrrp_track_process", "quorum_max"),
    ("vrrp_track_process", "delay"),
    ("vrrp_track_process", "terminate_delay"),
    ("vrrp_track_process", "fork_delay"),
    ("vrrp_track_process", "full_command"),
    ("vrrp_instance", "track_process"),
    ("global_defs", "script_user"),
    ("global_defs", "enable_script_security"),
    // VRRP child: routes, rules, static entries (crates/vrrp/src/routes.rs), VMAC (vmac.rs)
    ("", "static_ipaddress"),
    ("", "static_routes"),
    ("", "static_rules"),
    ("vrrp_instance", "virtual_routes"),
    ("vrrp_instance", "virtual_rules"),
    ("vrrp_instance", "use_vmac"),
    ("vrrp_instance", "vmac_xmit_base"),
    // Both children's scheduling, applied at their start (crates/supervisor/src/sched.rs)
    ("global_defs", "vrrp_rt_priority"),
    ("global_defs", "vrrp_rlimit_rttime"),
    ("global_defs", "vrrp_rlimit_rtime"),
    ("global_defs", "vrrp_priority"),
    ("global_defs", "vrrp_no_swap"),
    ("global_defs", "vrrp_cpu_affinity"),
    ("global_defs", "checker_rt_priority"),
    ("global_defs", "checker_rlimit_rttime"),
    ("global_defs", "checker_rlimit_rtime"),
    ("global_defs", "checker_priority"),
    ("global_defs", "checker_no_swap"),
    ("global_defs", "checker_cpu_affinity"),
    // Checker child (crates/check/src/daemon.rs, crates/ipvs): what it honours. Not yet:
    // SSL ca/password, url regex_stack, smtp_alert,
    // BFD_CHECK, SMTP host {}, nb_get_retry, fast_recovery.
    ("", "virtual_server_group"),
    ("", "virtual_server"),
    ("virtual_server_group", "fwmark"),
    ("virtual_server", "delay_loop"),
    ("virtual_server", "delay_before_retry"),
    ("virtual_server", "retry"),
    ("virtual_server", "warmup"),
    ("virtual_server", "connect_timeout"),
    ("virtual_server", "lb_algo"),
    ("virtual_server", "lvs_sched"),
    ("virtual_server", "hashed"),
    ("virtual_server", "ops"),
    ("virtual_server", "flag-1"),
    ("virtual_server", "flag-2"),
    ("virtual_server", "flag-3"),
    ("virtual_server", "sh-port"),
    ("virtual_server", "sh-fallback"),
    ("virtual_server", "mh-port"),
    ("virtual_server", "mh-fallback"),
    ("virtual_server", "lb_kind"),
    ("virtual_server", "lvs_method"),
    ("virtual_server", "persistence_engine"),
    ("virtual_server", "persistence_timeout"),
    ("virtual_server", "persistence_granularity"),
    ("virtual_server", "protocol"),
    ("virtual_server", "virtualhost"),
    ("virtual_server", "inhibit_on_failure"),
    ("virtual_server", "alpha"),
    ("virtual_server", "omega"),
    ("virtual_server", "ha_suspend"),
    ("virtual_server", "quorum"),
    ("virtual_server", "hysteresis"),
    ("virtual_server", "quorum_up"),
    ("virtual_server", "quorum_down"),
    ("virtual_server", "sorry_server"),
    ("virtual_server", "sorry_server_inhibit"),
    ("virtual_server", "sorry_server_lvs_method"),
    ("virtual_server", "real_server"),
    ("virtual_server/real_server", "weight"),
    ("virtual_server/real_server", "lvs_method"),
    ("virtual_server/real_server", "uthreshold"),
    ("virtual_server/real_server", "lthreshold"),
    ("virtual_server/real_server", "inhibit_on_failure"),
    ("virtual_server/real_server", "notify_up"),
    ("virtual_server/real_server", "notify_down"),
    ("virtual_server/real_server", "alpha"),
    ("virtual_server/real_server", "retry"),
    ("virtual_server/real_server", "delay_before_retry"),
    ("virtual_server/real_server", "warmup"),
    ("virtual_server/real_server", "connect_timeout"),
    ("virtual_server/real_server", "delay_loop"),
    ("virtual_server/real_server", "virtualhost"),
    ("virtual_server/real_server", "TCP_CHECK"),
    ("virtual_server/real_server", "HTTP_GET"),
    ("virtual_server/real_server", "SSL_GET"),
    ("virtual_server/real_server", "MISC_CHECK"),
    ("virtual_server/real_server", "SMTP_CHECK"),
    ("virtual_server/real_server", "DNS_CHECK"),
    ("virtual_server/real_server", "UDP_CHECK"),
    ("virtual_server/real_server", "PING_CHECK"),
    ("virtual_server/real_server/TCP_CHECK", "connect_ip"),
    ("virtual_server/real_server/TCP_CHECK", "connect_port"),
    ("virtual_server/real_server/TCP_CHECK", "bindto"),
    ("virtual_server/real_server/TCP_CHECK", "bind_port"),
    ("virtual_server/real_server/TCP_CHECK", "bind_if"),
    ("virtual_server/real_server/TCP_CHECK", "connect_timeout"),
    ("virtual_server/real_server/TCP_CHECK", "fwmark"),
    ("virtual_server/real_server/TCP_CHECK", "retry"),
    ("virtual_server/real_server/TCP_CHECK", "delay_before_retry"),
    ("virtual_server/real_server/TCP_CHECK", "warmup"),
    ("virtual_server/real_server/TCP_CHECK", "delay_loop"),
    ("virtual_server/real_server/TCP_CHECK", "alpha"),
    ("virtual_server/real_server/HTTP_GET", "connect_ip"),
    ("virtual_server/real_server/HTTP_GET", "connect_port"),
    ("virtual_server/real_server/HTTP_GET", "bindto"),
    ("virtual_server/real_server/HTTP_GET", "bind_port"),
    ("virtual_server/real_server/HTTP_GET", "bind_if"),
    ("virtual_server/real_server/HTTP_GET", "connect_timeout"),
    ("virtual_server/real_server/HTTP_GET", "fwmark"),
    ("virtual_server/real_server/HTTP_GET", "retry"),
    ("virtual_server/real_server/HTTP_GET", "delay_before_retry"),
    ("virtual_server/real_server/HTTP_GET", "warmup"),
    ("virtual_server/real_server/HTTP_GET", "delay_loop"),
    ("virtual_server/real_server/HTTP_GET", "alpha"),
    ("virtual_server/real_server/HTTP_GET", "virtualhost"),
    ("virtual_server/real_server/HTTP_GET", "http_protocol"),
    ("virtual_server/real_server/HTTP_GET", "enable_sni"),
    ("virtual_server/real_server/HTTP_GET", "url"),
    ("virtual_server/real_server/SSL_GET", "connect_ip"),
    ("virtual_server/real_server/SSL_GET", "connect_port"),
    ("virtual_server/real_server/SSL_GET", "bindto"),
    ("virtual_server/real_server/SSL_GET", "bind_port"),
    ("virtual_server/real_server/SSL_GET", "bind_if"),
    ("virtual_server/real_server/SSL_GET", "connect_timeout"),
    ("virtual_server/real_server/SSL_GET", "fwmark"),
    ("virtual_server/real_server/SSL_GET", "retry"),
    ("virtual_server/real_server/SSL_GET", "delay_before_retry"),
    ("virtual_server/real_server/SSL_GET", "warmup"),
    ("virtual_server/real_server/SSL_GET", "delay_loop"),
    ("virtual_server/real_server/SSL_GET", "alpha"),
    ("virtual_server/real_server/SSL_GET", "virtualhost"),
    ("virtual_server/real_server/SSL_GET", "http_protocol"),
    ("virtual_server/real_server/SSL_GET", "enable_sni"),
    ("virtual_server/real_server/SSL_GET", "url"),
    ("virtual_server/real_server/HTTP_GET/url", "path"),
    ("virtual_server/real_server/HTTP_GET/url", "digest"),
    ("virtual_server/real_server/HTTP_GET/url", "status_code"),
    ("virtual_server/real_server/HTTP_GET/url", "virtualhost"),
    ("virtual_server/real_server/SSL_GET/url", "path"),
    ("virtual_server/real_server/SSL_GET/url", "digest"),
    ("virtual_server/real_server/SSL_GET/url", "status_code"),
    ("virtual_server/real_server/SSL_GET/url", "virtualhost"),
    ("virtual_server/real_server/MISC_CHECK", "retry"),
    (
        "virtual_server/real_server/MISC_CHECK",
        "delay_before_retry",
    ),
    ("virtual_server/real_server/MISC_CHECK", "warmup"),
    ("virtual_server/real_server/MISC_CHECK", "delay_loop"),
    ("virtual_server/real_server/MISC_CHECK", "alpha"),
    ("virtual_server/real_server/MISC_CHECK", "misc_path"),
    ("virtual_server/real_server/MISC_CHECK", "misc_timeout"),
    ("virtual_server/real_server/MISC_CHECK", "misc_dynamic"),
    ("virtual_server/real_server/MISC_CHECK", "user"),
    ("virtual_server/real_server/SMTP_CHECK", "connect_ip"),
    ("virtual_server/real_server/SMTP_CHECK", "connect_port"),
    ("virtual_server/real_server/SMTP_CHECK", "bindto"),
    ("virtual_server/real_server/SMTP_CHECK", "bind_port"),
    ("virtual_server/real_server/SMTP_CHECK", "bind_if"),
    ("virtual_server/real_server/SMTP_CHECK", "connect_timeout"),
    ("virtual_server/real_server/SMTP_CHECK", "fwmark"),
    ("virtual_server/real_server/SMTP_CHECK", "retry"),
    (
        "virtual_server/real_server/SMTP_CHECK",
        "delay_before_retry",
    ),
    ("virtual_server/real_server/SMTP_CHECK", "warmup"),
    ("virtual_server/real_server/SMTP_CHECK", "delay_loop"),
    ("virtual_server/real_server/SMTP_CHECK", "alpha"),
    ("virtual_server/real_server/SMTP_CHECK", "helo_name"),
    ("virtual_server/real_server/DNS_CHECK", "connect_ip"),
    ("virtual_server/real_server/DNS_CHECK", "connect_port"),
    ("virtual_server/real_server/DNS_CHECK", "bindto"),
    ("virtual_server/real_server/DNS_CHECK", "bind_port"),
    ("virtual_server/real_server/DNS_CHECK", "bind_if"),
    ("virtual_server/real_server/DNS_CHECK", "connect_timeout"),
    ("virtual_server/real_server/DNS_CHECK", "fwmark"),
    ("virtual_server/real_server/DNS_CHECK", "retry"),
    ("virtual_server/real_server/DNS_CHECK", "delay_before_retry"),
    ("virtual_server/real_server/DNS_CHECK", "warmup"),
    ("virtual_server/real_server/DNS_CHECK", "delay_loop"),
    ("virtual_server/real_server/DNS_CHECK", "alpha"),
    ("virtual_server/real_server/DNS_CHECK", "type"),
    ("virtual_server/real_server/DNS_CHECK", "name"),
    ("virtual_server/real_server/UDP_CHECK", "connect_ip"),
    ("virtual_server/real_server/UDP_CHECK", "connect_port"),
    ("virtual_server/real_server/UDP_CHECK", "bindto"),
    ("virtual_server/real_server/UDP_CHECK", "bind_port"),
    ("virtual_server/real_server/UDP_CHECK", "bind_if"),
    ("virtual_server/real_server/UDP_CHECK", "connect_timeout"),
    ("virtual_server/real_server/UDP_CHECK", "fwmark"),
    ("virtual_server/real_server/UDP_CHECK", "retry"),
    ("virtual_server/real_server/UDP_CHECK", "delay_before_retry"),
    ("virtual_server/real_server/UDP_CHECK", "warmup"),
    ("virtual_server/real_server/UDP_CHECK", "delay_loop"),
    ("virtual_server/real_server/UDP_CHECK", "alpha"),
    ("virtual_server/real_server/UDP_CHECK", "payload"),
    ("virtual_server/real_server/UDP_CHECK", "require_reply"),
    ("virtual_server/real_server/UDP_CHECK", "min_reply_length"),
    ("virtual_server/real_server/UDP_CHECK", "max_reply_length"),
    ("virtual_server/real_server/PING_CHECK", "connect_ip"),
    ("virtual_server/real_server/PING_CHECK", "connect_port"),
    ("virtual_server/real_server/PING_CHECK", "bindto"),
    ("virtual_server/real_server/PING_CHECK", "bind_port"),
    ("virtual_server/real_server/PING_CHECK", "bind_if"),
    ("virtual_server/real_server/PING_CHECK", "connect_timeout"),
    ("virtual_server/real_server/PING_CHECK", "fwmark"),
    ("virtual_server/real_server/PING_CHECK", "retry"),
    (
        "virtual_server/real_server/PING_CHECK",
        "delay_before_retry",
    ),
    ("virtual_server/real_server/PING_CHECK", "warmup"),
    ("virtual_server/real_server/PING_CHECK", "delay_loop"),
    ("virtual_server/real_server/PING_CHECK", "alpha"),
    // Checker child: FILE_CHECK (crates/check/src/file.rs), LVS globals (crates/check/src/lvs.rs).
    ("virtual_server/real_server", "FILE_CHECK"),
    ("virtual_server/real_server/FILE_CHECK", "track_file"),
    ("virtual_server/real_server/FILE_CHECK", "weight"),
    ("global_defs", "lvs_timeouts"),
    ("global_defs", "lvs_notify_fifo"),
    ("global_defs", "lvs_notify_fifo_script"),
    ("global_defs", "lvs_flush"),
    ("global_defs", "lvs_flush_on_stop"),
    // The global SSL block's client certificate (crates/check/src/tls.rs); `ca` and
    // `password` (encrypted keys) are not used.
    ("", "SSL"),
    ("SSL", "certificate"),
    ("SSL", "key"),
    // HTTP_GET/SSL_GET url regex (crates/check/src/proto/body_regex.rs); regex_stack has no
    // counterpart in the regex crate.
    ("virtual_server/real_server/HTTP_GET/url", "regex"),
    ("virtual_server/real_server/HTTP_GET/url", "regex_no_match"),
    ("virtual_server/real_server/HTTP_GET/url", "regex_options"),
    (
        "virtual_server/real_server/HTTP_GET/url",
        "regex_min_offset",
    ),
    (
        "virtual_server/real_server/HTTP_GET/url",
        "regex_max_offset",
    ),
    ("virtual_server/real_server/SSL_GET/url", "regex"),
    ("virtual_server/real_server/SSL_GET/url", "regex_no_match"),
    ("virtual_server/real_server/SSL_GET/url", "regex_options"),
    ("virtual_server/real_server/SSL_GET/url", "regex_min_offset"),
    ("virtual_server/real_server/SSL_GET/url", "regex_max_offset"),
    // log_all_failures (crates/check/src/schedule.rs decides, runner.rs logs).
    ("global_defs", "checker_log_all_failures"),
    ("virtual_server/real_server/TCP_CHECK", "log_all_failures"),
    ("virtual_server/real_server/HTTP_GET", "log_all_failures"),
    ("virtual_server/real_server/SSL_GET", "log_all_failures"),
    ("virtual_server/real_server/MISC_CHECK", "log_all_failures"),
    ("virtual_server/real_server/SMTP_CHECK", "log_all_failures"),
    ("virtual_server/real_server/DNS_CHECK", "log_all_failures"),
    ("virtual_server/real_server/UDP_CHECK", "log_all_failures"),
    ("virtual_server/real_server/PING_CHECK", "log_all_failures"),
    // keywords resolved into the instance's Params (crates/vrrp/src/instance/params.rs;
    // crates/vrrp/tests/keywords.rs, tests/vrrp_keywords_e2e.rs)
    ("vrrp_instance", "unicast_fault_no_peer"),
    ("global_defs", "vrrp_mcast_group4"),
    ("global_defs", "vrrp_mcast_group6"),
    ("vrrp_instance", "owner_ignore_adverts"),
    ("global_defs", "vrrp_owner_ignore_adverts"),
    ("global_defs", "log_unknown_vrids"),
    ("vrrp_instance", "kernel_rx_buf_size"),
    ("vrrp_instance", "promote_secondaries"),
    ("vrrp_instance", "no_virtual_ipaddress"),
    ("vrrp_instance", "old_unicast_checksum"),
    ("global_defs", "vrrp_startup_delay"),
    ("vrrp_instance", "notify_deleted"),
    ("global_defs", "vmac_prefix"),
];

/// The parsers' tables joined, in one slice, for the lookups below.
fn all_tables() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    parse::global::KEYWORDS
        .iter()
        .chain(parse::vrrp::KEYWORDS)
        .chain(parse::check::KEYWORDS)
}

/// Every keyword the parsers know, as (block path, keyword), sorted and without duplicates.
pub fn keywords() -> Vec<(&'static str, &'static str)> {
    let set: BTreeSet<(&'static str, &'static str)> = all_tables().copied().collect();
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
    /// Listed in [`ACTED`].
    acted: bool,
    /// The block this keyword opens, when its lines are keywords (not a value block).
    sub: Option<usize>,
}

const ROOT: usize = 0;

impl Index {
    fn new(
        parsed: impl Iterator<Item = &'static (&'static str, &'static str)>,
        acted: &'static [(&'static str, &'static str)],
    ) -> Index {
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
        let parsed: Vec<&(&str, &str)> = parsed.collect();
        for &&(path, kw) in &parsed {
            let b = block_of(&mut index, path);
            if let Some(block) = index.blocks.get_mut(b) {
                block.keywords.entry(kw).or_default().parsed = true;
            }
        }
        // A path in the tables is a block whose lines are keywords: link it to the keyword
        // that opens it in its parent block.
        for &&(path, _) in &parsed {
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
        for &(path, kw) in acted {
            let b = block_of(&mut index, path);
            if let Some(block) = index.blocks.get_mut(b) {
                block.keywords.entry(kw).or_default().acted = true;
            }
        }
        index
    }

    /// The index of the real tables.
    fn get() -> &'static Index {
        static INDEX: OnceLock<Index> = OnceLock::new();
        INDEX.get_or_init(|| Index::new(all_tables(), ACTED))
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

    static TABLE: &[(&str, &str)] = &[
        ("", "vrrp_instance"),
        ("vrrp_instance", "priority"),
        ("vrrp_instance", "virtual_ipaddress"),
        ("vrrp_instance", "track_script"),
        ("vrrp_instance/track_script", "weight"),
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
        let index = Index::new(TABLE.iter(), &[]);
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
        static ACTED_HERE: &[(&str, &str)] =
            &[("", "vrrp_instance"), ("vrrp_instance", "track_script")];
        let index = Index::new(TABLE.iter(), ACTED_HERE);
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
        // The VRRP child acts on the instance keywords (ACTED); router_id is only parsed.
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
