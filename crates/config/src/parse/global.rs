//! Parser for root-level options (`net_namespace`, `instance`, `child_wait_time`, ...) and
//! `global_defs`, with keepalived's ranges and messages (keepalived/core/global_parser.c).
//! Called by the `parse` dispatcher for each root keyword that [`is_root`] claims.

use super::{script, values};
use crate::diag::{Diagnostics, ErrorClass};
use crate::model::global::{Fifo, GlobalDefs, LvsSyncDaemon};
use crate::model::Config;
use crate::support::{ActedBy as By, Keyword};
use crate::tree::Node;
use std::net::IpAddr;
use std::time::Duration;

const ROOTS: &[&str] = &[
    "global_defs",
    "net_namespace",
    "net_namespace_ipvs",
    "namespace_with_ipsets",
    "use_pid_dir",
    "instance",
    "child_wait_time",
    "linkbeat_use_polling",
];

/// Is `k` a root keyword owned by this module?
pub fn is_root(k: &str) -> bool {
    ROOTS.contains(&k)
}

/// Parse one root keyword into `cfg`.
pub fn parse_root(node: &Node, cfg: &mut Config, d: &mut Diagnostics) {
    let r = &mut cfg.root;
    match node.keyword() {
        "global_defs" => match &node.block {
            Some(body) => {
                cfg.global.loc = Some(node.loc.clone());
                for n in body {
                    parse_global(n, &mut cfg.global, d);
                }
            }
            None => d.at(
                ErrorClass::MissingBob,
                &node.loc,
                "Missing '{' at beginning of configuration block global_defs",
            ),
        },
        "net_namespace" => {
            if let Some(ns) = required(d, node, "net_namespace name missing - ignoring") {
                if r.net_namespace.is_some() {
                    // keepalived 2.2.7 logs this without counting it as an error.
                    d.notice(
                        Some(&node.loc),
                        format!("Duplicate net_namespace definition {ns} - ignoring"),
                    );
                } else {
                    r.net_namespace = Some(ns.to_string());
                }
            }
        }
        "net_namespace_ipvs" => r.net_namespace_ipvs = node.arg(0).map(str::to_string),
        "namespace_with_ipsets" => r.namespace_with_ipsets = true,
        "use_pid_dir" => r.use_pid_dir = true,
        "instance" => match node.arg(0) {
            Some(i) => r.instance = Some(i.to_string()),
            None => d.at(
                ErrorClass::GeneralError,
                &node.loc,
                "instance name missing - ignoring",
            ),
        },
        "child_wait_time" => match values::int_in(d, node, 0, 0, i64::from(u32::MAX)) {
            Some(v) => r.child_wait_time = Duration::from_secs(v as u64),
            None => {
                if let Some(a) = node.arg(0) {
                    d.at(
                        ErrorClass::GeneralError,
                        &node.loc,
                        format!("Invalid child_wait_time {a}"),
                    );
                }
            }
        },
        "linkbeat_use_polling" => r.linkbeat_use_polling = true,
        _ => values::unknown(d, node),
    }
}

/// How a keyword kept in [`GlobalDefs::other`] is checked.
#[derive(Clone, Copy, Debug)]
enum Kind {
    /// No argument, or an optional `<BOOL>`.
    Flag,
    /// Exactly one argument required.
    Str,
    /// Any number of arguments.
    Words,
    /// One integer in a range.
    Int(i64, i64),
    /// One `<TIMER>` in a range of seconds.
    Timer(f64, f64),
    /// Accepted and ignored (handled elsewhere, e.g. by the preprocessor).
    Ignored,
}

/// Keywords stored as written in `other`, with how they are checked.
const OTHER: &[(&str, Kind)] = &[
    ("process_names", Kind::Flag),
    ("process_name", Kind::Words),
    ("vrrp_process_name", Kind::Words),
    ("checker_process_name", Kind::Words),
    ("lvs_process_name", Kind::Words),
    ("bfd_process_name", Kind::Words),
    ("use_symlink_paths", Kind::Flag),
    ("set_supplementary_groups", Kind::Flag),
    ("max_auto_priority", Kind::Int(-1, 99)),
    ("min_auto_priority_delay", Kind::Int(1, 1_000_000_000)),
    ("vrrp_priority", Kind::Int(-20, 19)),
    ("checker_priority", Kind::Int(-20, 19)),
    ("bfd_priority", Kind::Int(-20, 19)),
    ("vrrp_no_swap", Kind::Flag),
    ("checker_no_swap", Kind::Flag),
    ("bfd_no_swap", Kind::Flag),
    ("vrrp_rt_priority", Kind::Int(1, 99)),
    ("checker_rt_priority", Kind::Int(1, 99)),
    ("bfd_rt_priority", Kind::Int(1, 99)),
    ("vrrp_cpu_affinity", Kind::Words),
    ("checker_cpu_affinity", Kind::Words),
    ("bfd_cpu_affinity", Kind::Words),
    ("vrrp_rlimit_rttime", Kind::Int(1, 4_294_967_295)),
    ("checker_rlimit_rttime", Kind::Int(1, 4_294_967_295)),
    ("bfd_rlimit_rttime", Kind::Int(1, 4_294_967_295)),
    ("vrrp_rlimit_rtime", Kind::Int(1, 4_294_967_295)),
    ("checker_rlimit_rtime", Kind::Int(1, 4_294_967_295)),
    ("bfd_rlimit_rtime", Kind::Int(1, 4_294_967_295)),
    ("vmac_prefix", Kind::Str),
    ("vmac_addr_prefix", Kind::Str),
    ("vrrp_garp_extra_if", Kind::Words),
    ("vrrp_vmac_garp_intvl", Kind::Words),
    ("vrrp_rx_bufs_policy", Kind::Words),
    ("vrrp_rx_bufs_multiplier", Kind::Int(1, 4_294_967_295)),
    ("vrrp_delay_after_boot", Kind::Timer(0.0, 4294.967295)),
    ("nftables", Kind::Words),
    (
        "nftables_priority",
        Kind::Int(-2_147_483_648, 2_147_483_647),
    ),
    ("nftables_ifindex", Kind::Flag),
    ("nftables_counters", Kind::Flag),
    ("nftables_ipvs", Kind::Words),
    (
        "nftables_ipvs_priority",
        Kind::Int(-2_147_483_648, 2_147_483_647),
    ),
    ("nftables_ipvs_start_fwmark", Kind::Int(1, 4_294_967_295)),
    ("lvs_timeouts", Kind::Words),
    ("rs_init_notifies", Kind::Flag),
    ("fifo_write_vrrp_states_on_reload", Kind::Flag),
    (
        "snmp_vs_stats_update_interval",
        Kind::Timer(0.0, 4294.967295),
    ),
    (
        "snmp_rs_stats_update_interval",
        Kind::Timer(0.0, 4294.967295),
    ),
    ("dbus_service_name", Kind::Str),
    ("dbus_no_interface_name", Kind::Flag),
    ("vrrp_netlink_cmd_rcv_bufs", Kind::Int(0, 4_294_967_295)),
    ("vrrp_netlink_cmd_rcv_bufs_force", Kind::Flag),
    ("vrrp_netlink_monitor_rcv_bufs", Kind::Int(0, 4_294_967_295)),
    ("vrrp_netlink_monitor_rcv_bufs_force", Kind::Flag),
    ("lvs_netlink_cmd_rcv_bufs", Kind::Int(0, 4_294_967_295)),
    ("lvs_netlink_cmd_rcv_bufs_force", Kind::Flag),
    ("lvs_netlink_monitor_rcv_bufs", Kind::Int(0, 4_294_967_295)),
    ("lvs_netlink_monitor_rcv_bufs_force", Kind::Flag),
    ("process_monitor_rcv_bufs", Kind::Int(0, 4_294_967_295)),
    ("process_monitor_rcv_bufs_force", Kind::Flag),
    ("reload_check_config", Kind::Words),
    ("reload_time_file", Kind::Str),
    ("reload_repeat", Kind::Flag),
    ("reload_file", Kind::Words),
    ("include_check", Kind::Ignored),
    ("config_save_dir", Kind::Str),
    ("tmp_config_directory", Kind::Str),
    ("random_seed", Kind::Int(0, 4_294_967_295)),
    ("data_use_instance", Kind::Flag),
    ("json_version", Kind::Int(1, 2)),
    ("state_dump_file", Kind::Str),
    ("stats_dump_file", Kind::Str),
    ("json_dump_file", Kind::Str),
    ("iproute_usr_dir", Kind::Str),
    ("iproute_etc_dir", Kind::Str),
    ("no_checker_emails", Kind::Flag),
    ("umask", Kind::Str),
];

fn parse_other(n: &Node, kind: Kind, g: &mut GlobalDefs, d: &mut Diagnostics) {
    let ok = match kind {
        // keepalived 2.2.7 does not look at the arguments of these simple flags.
        Kind::Flag => true,
        Kind::Str => values::arg(d, n, 0).is_some(),
        Kind::Words | Kind::Ignored => true,
        // `max_auto_priority` alone means the highest realtime priority.
        Kind::Int(..) if n.arg(0).is_none() && n.keyword() == "max_auto_priority" => true,
        Kind::Int(min, max) => values::int_in(d, n, 0, min, max).is_some(),
        Kind::Timer(min, max) => values::timer(d, n, 0, min, max).is_some(),
    };
    if !words_valid(d, n) {
        return;
    }
    if n.keyword() == "umask" {
        let valid = n.arg(0).is_some_and(|s| {
            let s = s.strip_prefix("0x").unwrap_or(s);
            u32::from_str_radix(s, 8).is_ok_and(|v| v <= 0o777)
        });
        if !valid {
            d.at(
                ErrorClass::GeneralError,
                &n.loc,
                format!("invalid umask value {}", n.arg(0).unwrap_or("")),
            );
            return;
        }
    }
    if ok && !matches!(kind, Kind::Ignored) {
        g.other.insert(n.keyword().to_string(), n.args().to_vec());
    }
}

/// Checks of free-form keywords whose words keepalived validates.
fn words_valid(d: &mut Diagnostics, n: &Node) -> bool {
    let bad = |d: &mut Diagnostics, msg: String| {
        d.at(ErrorClass::GeneralError, &n.loc, msg);
        false
    };
    let k = n.keyword();
    match k {
        "vrrp_cpu_affinity" | "checker_cpu_affinity" | "bfd_cpu_affinity" => {
            if n.args().is_empty() {
                let who = k.trim_end_matches("_cpu_affinity");
                return bad(d, format!("No {who} cpu_id set specified"));
            }
            for w in n.args() {
                if w.parse::<u16>().is_err() {
                    d.at(
                        ErrorClass::InvalidNumber,
                        &n.loc,
                        format!("invalid number '{w}'"),
                    );
                    return bad(d, format!("Invalid cpu_id specified for {k}"));
                }
            }
            true
        }
        "vrrp_rx_bufs_policy" => {
            let a = n.args();
            if a.is_empty() {
                return true;
            }
            for w in a {
                if !(w == "MTU" || w == "ADVERT" || w.parse::<u32>().is_ok()) {
                    d.at(
                        ErrorClass::InvalidNumber,
                        &n.loc,
                        format!("invalid number '{w}'"),
                    );
                    return bad(d, format!("Invalid vrrp_rx_bufs_policy {w}"));
                }
            }
            true
        }
        "lvs_timeouts" => {
            let a = n.args();
            let mut i = 0;
            while i < a.len() {
                let (w, v) = (&a[i], a.get(i + 1));
                if !matches!(w.as_str(), "tcp" | "tcpfin" | "udp") {
                    return bad(d, format!("Unknown option {w} specified for lvs_timeouts"));
                }
                if v.is_none_or(|v| v.parse::<u32>().is_err()) {
                    let v = v.map(String::as_str).unwrap_or("");
                    return bad(d, format!("Invalid lvs_timeout {w} ({v}) - ignoring"));
                }
                i += 2;
            }
            true
        }
        "vrrp_vmac_garp_intvl" => {
            d.at(
                ErrorClass::Deprecated,
                &n.loc,
                "Keyword \"vrrp_vmac_garp_intvl\" is deprecated - please use \"vrrp_garp_extra_if\"",
            );
            true
        }
        _ => true,
    }
}

/// The first argument, or keepalived's own message for a missing one (a general error,
/// unlike the generic missing-parameter abort).
fn required<'n>(d: &mut Diagnostics, n: &'n Node, msg: &str) -> Option<&'n str> {
    let a = n.arg(0);
    if a.is_none() {
        d.at(ErrorClass::GeneralError, &n.loc, msg);
    }
    a
}

fn script_timeout(d: &mut Diagnostics, n: &Node) -> Option<u32> {
    let v = values::int_in(d, n, 0, 1, 1000).map(|v| v as u32);
    if v.is_none() {
        if let Some(a) = n.arg(0) {
            d.at(
                ErrorClass::InvalidNumber,
                &n.loc,
                format!("{} '{a}' must be in [1, 1000] - ignoring", n.keyword()),
            );
        }
    }
    v
}

fn secs(d: &mut Diagnostics, n: &Node) -> Option<Duration> {
    values::int_in(d, n, 0, 0, i64::from(u32::MAX) / 1_000_000)
        .map(|v| Duration::from_secs(v as u64))
}

fn u32_arg(d: &mut Diagnostics, n: &Node, min: i64) -> Option<u32> {
    values::int_in(d, n, 0, min, i64::from(u32::MAX)).map(|v| v as u32)
}

fn fifo(d: &mut Diagnostics, n: &Node, f: &mut Fifo) {
    if let Some(p) = required(d, n, &format!("{} name missing - ignoring", n.keyword())) {
        f.path = Some(p.to_string());
        f.owner = n.args().get(1..).unwrap_or(&[]).to_vec();
    }
}

fn mcast(d: &mut Diagnostics, n: &Node, v6: bool) -> Option<IpAddr> {
    let a = values::ip(d, n, 0)?;
    if a.is_multicast() && a.is_ipv6() == v6 {
        Some(a)
    } else {
        d.at(
            ErrorClass::GeneralError,
            &n.loc,
            format!("{} [{a}] is not multicast. Skipping", n.keyword()),
        );
        None
    }
}

fn garp_timer(d: &mut Diagnostics, n: &Node) -> Option<Duration> {
    let t = values::timer(d, n, 0, 0.000001, 4294.967295);
    if t.is_none() {
        if let Some(a) = n.arg(0) {
            d.at(
                ErrorClass::InvalidNumber,
                &n.loc,
                format!("{} '{a}' is invalid", n.keyword()),
            );
        }
    }
    t
}

/// Old spellings keepalived 2.2.7 still accepts without complaint: a notice only, so the
/// verdict stays keepalived's.
const QUIET_ALIASES: &[(&str, &str)] = &[
    ("lvs_flush_onstop", "lvs_flush_on_stop"),
    ("enable_snmp_keepalived", "enable_snmp_vrrp"),
    ("lvs_process_name", "checker_process_name"),
    ("vrrp_rlimit_rtime", "vrrp_rlimit_rttime"),
    ("checker_rlimit_rtime", "checker_rlimit_rttime"),
    ("bfd_rlimit_rtime", "bfd_rlimit_rttime"),
];

/// global_defs keywords from later upstream releases that keepalived 2.2.7 (our reference
/// for verdicts) reports as unknown. We accept them; the notice tells the operator that
/// an older keepalived would reject the file.
pub const NEWER_THAN_2_2_7: &[&str] = &[
    "v3_checksum_as_v2",
    "vrrp_owner_ignore_adverts",
    "use_symlink_paths",
    "set_supplementary_groups",
    "vrrp_delay_after_boot",
    "snmp_vs_stats_update_interval",
    "snmp_rs_stats_update_interval",
    "dbus_no_interface_name",
    "json_version",
    "state_dump_file",
    "stats_dump_file",
    "json_dump_file",
    "iproute_usr_dir",
    "iproute_etc_dir",
];

fn parse_global(n: &Node, g: &mut GlobalDefs, d: &mut Diagnostics) {
    let k = n.keyword();
    if NEWER_THAN_2_2_7.contains(&k) {
        d.notice(
            Some(&n.loc),
            format!("{k} is not known to keepalived 2.2.7 (newer keyword)"),
        );
    }
    if let Some((_, new)) = QUIET_ALIASES.iter().find(|(old, _)| *old == k) {
        d.notice(
            Some(&n.loc),
            format!("{k} is deprecated - please use '{new}'"),
        );
    }
    match k {
        "router_id" => match n.arg(0) {
            Some(r) => g.router_id = Some(r.to_string()),
            None => d.at(
                ErrorClass::GeneralError,
                &n.loc,
                "routerid name missing - ignoring",
            ),
        },
        "notification_email" => match &n.block {
            Some(b) => g
                .notification_email
                .extend(b.iter().flat_map(|l| l.words.clone())),
            None => d.at(
                ErrorClass::MissingBob,
                &n.loc,
                "Missing '{' at beginning of configuration block notification_email",
            ),
        },
        "notification_email_from" => match n.arg(0) {
            Some(f) => g.notification_email_from = Some(f.to_string()),
            None => d.at(
                ErrorClass::GeneralError,
                &n.loc,
                "emailfrom missing - ignoring",
            ),
        },
        "smtp_server" => {
            if let Some(h) = values::arg(d, n, 0) {
                let port = match n.arg(1) {
                    Some(_) => match values::int_in(d, n, 1, 1, 65535) {
                        Some(p) => p as u16,
                        None => return,
                    },
                    None => 25,
                };
                g.smtp_server = Some((h.to_string(), port));
                g.smtp_server_loc = Some(n.loc.clone());
            }
        }
        // keepalived 2.2.7 ignores a bare smtp_helo_name.
        "smtp_helo_name" => g.smtp_helo_name = n.arg(0).map(str::to_string),
        "smtp_connect_timeout" => {
            if let Some(v) = values::int_in(d, n, 0, 0, i64::from(u32::MAX) / 1_000_000) {
                if v == 0 {
                    d.at(
                        ErrorClass::GeneralError,
                        &n.loc,
                        "smtp_conect_timeout must be greater than 0, setting to 1",
                    );
                    g.smtp_connect_timeout = Duration::from_secs(1);
                } else {
                    g.smtp_connect_timeout = Duration::from_secs(v as u64);
                }
            }
        }
        "smtp_alert" => g.smtp_alert = Some(values::flag(d, n)),
        "smtp_alert_vrrp" => g.smtp_alert_vrrp = Some(values::flag(d, n)),
        "smtp_alert_checker" => g.smtp_alert_checker = Some(values::flag(d, n)),
        "no_email_faults" => g.no_email_faults = true,
        "checker_log_all_failures" => g.checker_log_all_failures = values::flag(d, n),
        "script_user" => {
            if let Some(u) = required(d, n, "No script username specified") {
                g.script_user = Some((u.to_string(), n.arg(1).map(str::to_string)));
                g.script_user_loc = Some(n.loc.clone());
            }
        }
        "enable_script_security" => g.enable_script_security = true,
        "startup_script" | "shutdown_script" if n.arg(0).is_none() => {
            d.at(
                ErrorClass::GeneralError,
                &n.loc,
                format!("No {k} specified"),
            );
        }
        "startup_script" => g.startup_script = script::parse(d, n, 0),
        "startup_script_timeout" => g.startup_script_timeout = script_timeout(d, n),
        "shutdown_script" => g.shutdown_script = script::parse(d, n, 0),
        "shutdown_script_timeout" => g.shutdown_script_timeout = script_timeout(d, n),
        "notify_fifo" => fifo(d, n, &mut g.notify_fifo),
        "notify_fifo_script" | "vrrp_notify_fifo_script" | "lvs_notify_fifo_script"
            if n.arg(0).is_none() =>
        {
            d.at(
                ErrorClass::GeneralError,
                &n.loc,
                format!("No {k} specified"),
            );
        }
        "notify_fifo_script" => g.notify_fifo.script = script::parse(d, n, 0),
        "vrrp_notify_fifo" => fifo(d, n, &mut g.vrrp_notify_fifo),
        "vrrp_notify_fifo_script" => g.vrrp_notify_fifo.script = script::parse(d, n, 0),
        "lvs_notify_fifo" => fifo(d, n, &mut g.lvs_notify_fifo),
        "lvs_notify_fifo_script" => g.lvs_notify_fifo.script = script::parse(d, n, 0),
        "dynamic_interfaces" => match n.arg(0) {
            None | Some("allow_if_changes") => g.dynamic_interfaces = true,
            Some(o) => d.at(
                ErrorClass::GeneralError,
                &n.loc,
                format!("Unknown dynamic_interfaces option '{o}'"),
            ),
        },
        "default_interface" => {
            g.default_interface =
                required(d, n, "default_interface requires interface name").map(str::to_string)
        }
        "disable_local_igmp" => g.disable_local_igmp = true,
        "v3_checksum_as_v2" => g.v3_checksum_as_v2 = values::flag(d, n),
        "vrrp_mcast_group4" => {
            if let Some(a) = mcast(d, n, false) {
                g.vrrp_mcast_group4 = a;
            }
        }
        "vrrp_mcast_group6" => {
            if let Some(a) = mcast(d, n, true) {
                g.vrrp_mcast_group6 = a;
            }
        }
        "vrrp_garp_master_delay" => {
            if let Some(t) = secs(d, n) {
                g.vrrp_garp_master_delay = t;
            }
        }
        "vrrp_garp_master_repeat" => {
            if let Some(v) = u32_arg(d, n, 0) {
                if v == 0 {
                    d.at(
                        ErrorClass::GeneralError,
                        &n.loc,
                        "vrrp_garp_master_repeat must be greater than 0, setting to 1",
                    );
                }
                g.vrrp_garp_master_repeat = v.max(1);
            }
        }
        "vrrp_garp_master_refresh" => g.vrrp_garp_master_refresh = secs(d, n),
        "vrrp_garp_master_refresh_repeat" => {
            if let Some(v) = u32_arg(d, n, 0) {
                if v == 0 {
                    d.at(
                        ErrorClass::GeneralError,
                        &n.loc,
                        "vrrp_garp_master_refresh_repeat must be greater than 0, setting to 1",
                    );
                }
                g.vrrp_garp_master_refresh_repeat = v.max(1);
            }
        }
        "vrrp_garp_lower_prio_delay" => g.vrrp_garp_lower_prio_delay = secs(d, n),
        "vrrp_garp_lower_prio_repeat" => g.vrrp_garp_lower_prio_repeat = u32_arg(d, n, 0),
        "vrrp_down_timer_adverts" => {
            if let Some(v) = values::int_in(d, n, 0, 1, 100) {
                g.vrrp_down_timer_adverts = v as u32;
            }
        }
        "vrrp_garp_interval" => {
            if let Some(t) = garp_timer(d, n) {
                g.vrrp_garp_interval = t;
            }
        }
        "vrrp_gna_interval" => {
            if let Some(t) = garp_timer(d, n) {
                g.vrrp_gna_interval = t;
            }
        }
        "vrrp_min_garp" => g.vrrp_min_garp = values::flag(d, n),
        "vrrp_lower_prio_no_advert" => g.vrrp_lower_prio_no_advert = values::flag(d, n),
        "vrrp_higher_prio_send_advert" => g.vrrp_higher_prio_send_advert = values::flag(d, n),
        "vrrp_version" => match values::int_in(d, n, 0, 2, 3) {
            Some(v) => g.vrrp_version = v as u8,
            None => d.at(
                ErrorClass::GeneralError,
                &n.loc,
                "VRRP Error: Version must be either 2 or 3",
            ),
        },
        "vrrp_check_unicast_src" => g.vrrp_check_unicast_src = true,
        // keepalived 2.2.7 ignores anything after this flag.
        "vrrp_skip_check_adv_addr" => g.vrrp_skip_check_adv_addr = true,
        "vrrp_strict" => g.vrrp_strict = true,
        "vrrp_notify_priority_changes" => g.vrrp_notify_priority_changes = values::flag(d, n),
        "vrrp_startup_delay" => g.vrrp_startup_delay = values::timer(d, n, 0, 0.0, 3600.0),
        "vrrp_owner_ignore_adverts" => g.vrrp_owner_ignore_adverts = true,
        "log_unknown_vrids" => g.log_unknown_vrids = true,
        "lvs_sync_daemon" => g.lvs_sync_daemon = parse_lvs_syncd(d, n),
        "lvs_flush" => g.lvs_flush = true,
        "lvs_flush_on_stop" | "lvs_flush_onstop" => {
            // keepalived 2.2.7 accepts the old spelling silently.
            match n.arg(0) {
                None | Some("VS") | Some("ALL") => {
                    g.lvs_flush_on_stop = Some(n.arg(0).unwrap_or("ALL").to_string())
                }
                Some(o) => d.at(
                    ErrorClass::GeneralError,
                    &n.loc,
                    format!("Unknown lvs_flush_on_stop type {o}"),
                ),
            }
        }
        "enable_snmp_vrrp" | "enable_snmp_keepalived" => g.enable_snmp_vrrp = true,
        "enable_snmp_checker" => g.enable_snmp_checker = true,
        "enable_snmp_rfc" => {
            g.enable_snmp_rfcv2 = true;
            g.enable_snmp_rfcv3 = true;
        }
        "enable_snmp_rfcv2" => g.enable_snmp_rfcv2 = true,
        "enable_snmp_rfcv3" => g.enable_snmp_rfcv3 = true,
        "enable_traps" => g.enable_traps = true,
        "snmp_socket" => {
            g.snmp_socket = required(d, n, "No SNMP socket specified").map(str::to_string)
        }
        "enable_dbus" => g.enable_dbus = true,
        "vrrp_iptables" | "vrrp_ipsets" => {
            // Debian's 2.2.7 is built without iptables support and says so.
            d.at(
                ErrorClass::GeneralError,
                &n.loc,
                "iptables not supported, using nftables instead. Please replace 'vrrp_iptables and 'vrrp_ipsets' with 'nftables' config option",
            );
        }
        _ => match OTHER.iter().find(|(name, _)| *name == k) {
            Some((_, kind)) => parse_other(n, *kind, g, d),
            None => values::unknown(d, n),
        },
    }
}

fn parse_lvs_syncd(d: &mut Diagnostics, n: &Node) -> Option<LvsSyncDaemon> {
    let interface =
        required(d, n, "lvs_sync_daemon requires interface, VRRP instance")?.to_string();
    let mut s = LvsSyncDaemon {
        interface,
        loc: Some(n.loc.clone()),
        ..LvsSyncDaemon::default()
    };
    let a = n.args();
    let mut i = 1;
    while i < a.len() {
        let w = a[i].as_str();
        let v = a.get(i + 1).map(String::as_str);
        match (w, v) {
            ("id", Some(v)) => s.sync_id = values::parse_int_in(d, n, v, 0, 255).map(|x| x as u8),
            ("maxlen", Some(v)) => {
                s.maxlen = values::parse_int_in(d, n, v, 1, 65507).map(|x| x as u16)
            }
            ("port", Some(v)) => s.port = values::parse_int_in(d, n, v, 1, 65535).map(|x| x as u16),
            ("ttl", Some(v)) => s.ttl = values::parse_int_in(d, n, v, 1, 255).map(|x| x as u8),
            ("group", Some(v)) => {
                s.group = values::parse_ip(d, n, v).filter(|a| {
                    let ok = a.is_multicast();
                    if !ok {
                        d.at(
                            ErrorClass::GeneralError,
                            &n.loc,
                            format!(
                                "lvs_sync_daemon group address {a} is not multicast - ignoring"
                            ),
                        );
                    }
                    ok
                })
            }
            _ if i == 1 => {
                s.instance = w.to_string();
                i += 1;
                continue;
            }
            _ => {
                d.at(
                    ErrorClass::GeneralError,
                    &n.loc,
                    format!("Unknown option {w} specified for lvs_sync_daemon"),
                );
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    Some(s)
}

/// Keywords this module parses, as (block path, keyword). The block path is "" for root
/// keywords, else the chain of block keywords from the root joined with '/', e.g.
/// "vrrp_instance", "virtual_server/real_server/HTTP_GET/url". Value blocks (whose lines
/// are data, like `virtual_ipaddress`) are listed as keywords; their lines are not.
/// The third field says which process acts on the keyword (`By::Nobody`: parsed and
/// validated only); `support` derives from it the "parsed but not acted on" report and the
/// coverage table, so a keyword is marked acted on here, where it is parsed.
pub const KEYWORDS: &[Keyword] = &[
    ("", "global_defs", By::Both),
    ("", "net_namespace", By::Nobody),
    ("", "net_namespace_ipvs", By::Nobody),
    ("", "namespace_with_ipsets", By::Nobody),
    ("", "use_pid_dir", By::Nobody),
    ("", "instance", By::Nobody),
    ("", "child_wait_time", By::Nobody),
    ("", "linkbeat_use_polling", By::Nobody),
    ("global_defs", "router_id", By::Nobody),
    ("global_defs", "notification_email", By::Nobody),
    ("global_defs", "notification_email_from", By::Nobody),
    ("global_defs", "smtp_server", By::Nobody),
    ("global_defs", "smtp_helo_name", By::Nobody),
    ("global_defs", "smtp_connect_timeout", By::Nobody),
    ("global_defs", "smtp_alert", By::Nobody),
    ("global_defs", "smtp_alert_vrrp", By::Nobody),
    ("global_defs", "smtp_alert_checker", By::Nobody),
    ("global_defs", "no_email_faults", By::Nobody),
    ("global_defs", "checker_log_all_failures", By::Checker),
    ("global_defs", "script_user", By::Both),
    ("global_defs", "enable_script_security", By::Both),
    ("global_defs", "startup_script", By::Nobody),
    ("global_defs", "startup_script_timeout", By::Nobody),
    ("global_defs", "shutdown_script", By::Nobody),
    ("global_defs", "shutdown_script_timeout", By::Nobody),
    ("global_defs", "notify_fifo", By::Both),
    ("global_defs", "notify_fifo_script", By::Vrrp),
    ("global_defs", "vrrp_notify_fifo", By::Vrrp),
    ("global_defs", "vrrp_notify_fifo_script", By::Vrrp),
    ("global_defs", "lvs_notify_fifo", By::Checker),
    ("global_defs", "lvs_notify_fifo_script", By::Checker),
    ("global_defs", "dynamic_interfaces", By::Nobody),
    ("global_defs", "default_interface", By::Nobody),
    ("global_defs", "disable_local_igmp", By::Nobody),
    ("global_defs", "v3_checksum_as_v2", By::Vrrp),
    ("global_defs", "vrrp_mcast_group4", By::Vrrp),
    ("global_defs", "vrrp_mcast_group6", By::Vrrp),
    ("global_defs", "vrrp_garp_master_delay", By::Vrrp),
    ("global_defs", "vrrp_garp_master_repeat", By::Vrrp),
    ("global_defs", "vrrp_garp_master_refresh", By::Vrrp),
    ("global_defs", "vrrp_garp_master_refresh_repeat", By::Vrrp),
    ("global_defs", "vrrp_garp_lower_prio_delay", By::Vrrp),
    ("global_defs", "vrrp_garp_lower_prio_repeat", By::Vrrp),
    ("global_defs", "vrrp_down_timer_adverts", By::Vrrp),
    ("global_defs", "vrrp_garp_interval", By::Vrrp),
    ("global_defs", "vrrp_gna_interval", By::Vrrp),
    ("global_defs", "vrrp_min_garp", By::Vrrp),
    ("global_defs", "vrrp_lower_prio_no_advert", By::Vrrp),
    ("global_defs", "vrrp_higher_prio_send_advert", By::Vrrp),
    ("global_defs", "vrrp_version", By::Vrrp),
    ("global_defs", "vrrp_check_unicast_src", By::Vrrp),
    ("global_defs", "vrrp_skip_check_adv_addr", By::Vrrp),
    ("global_defs", "vrrp_strict", By::Vrrp),
    ("global_defs", "vrrp_notify_priority_changes", By::Vrrp),
    ("global_defs", "vrrp_startup_delay", By::Vrrp),
    ("global_defs", "vrrp_owner_ignore_adverts", By::Vrrp),
    ("global_defs", "log_unknown_vrids", By::Vrrp),
    ("global_defs", "lvs_sync_daemon", By::Nobody),
    ("global_defs", "lvs_flush", By::Checker),
    ("global_defs", "lvs_flush_on_stop", By::Checker),
    ("global_defs", "lvs_flush_onstop", By::Nobody),
    ("global_defs", "enable_snmp_vrrp", By::Nobody),
    ("global_defs", "enable_snmp_keepalived", By::Nobody),
    ("global_defs", "enable_snmp_checker", By::Nobody),
    ("global_defs", "enable_snmp_rfc", By::Nobody),
    ("global_defs", "enable_snmp_rfcv2", By::Nobody),
    ("global_defs", "enable_snmp_rfcv3", By::Nobody),
    ("global_defs", "enable_traps", By::Nobody),
    ("global_defs", "snmp_socket", By::Nobody),
    ("global_defs", "enable_dbus", By::Nobody),
    ("global_defs", "vrrp_iptables", By::Nobody),
    ("global_defs", "vrrp_ipsets", By::Nobody),
    ("global_defs", "process_names", By::Nobody),
    ("global_defs", "process_name", By::Nobody),
    ("global_defs", "vrrp_process_name", By::Nobody),
    ("global_defs", "checker_process_name", By::Nobody),
    ("global_defs", "lvs_process_name", By::Nobody),
    ("global_defs", "bfd_process_name", By::Nobody),
    ("global_defs", "use_symlink_paths", By::Nobody),
    ("global_defs", "set_supplementary_groups", By::Nobody),
    ("global_defs", "max_auto_priority", By::Nobody),
    ("global_defs", "min_auto_priority_delay", By::Nobody),
    ("global_defs", "vrrp_priority", By::Parent),
    ("global_defs", "checker_priority", By::Parent),
    ("global_defs", "bfd_priority", By::Nobody),
    ("global_defs", "vrrp_no_swap", By::Parent),
    ("global_defs", "checker_no_swap", By::Parent),
    ("global_defs", "bfd_no_swap", By::Nobody),
    ("global_defs", "vrrp_rt_priority", By::Parent),
    ("global_defs", "checker_rt_priority", By::Parent),
    ("global_defs", "bfd_rt_priority", By::Nobody),
    ("global_defs", "vrrp_cpu_affinity", By::Parent),
    ("global_defs", "checker_cpu_affinity", By::Parent),
    ("global_defs", "bfd_cpu_affinity", By::Nobody),
    ("global_defs", "vrrp_rlimit_rttime", By::Parent),
    ("global_defs", "checker_rlimit_rttime", By::Parent),
    ("global_defs", "bfd_rlimit_rttime", By::Nobody),
    ("global_defs", "vrrp_rlimit_rtime", By::Parent),
    ("global_defs", "checker_rlimit_rtime", By::Parent),
    ("global_defs", "bfd_rlimit_rtime", By::Nobody),
    ("global_defs", "vmac_prefix", By::Vrrp),
    ("global_defs", "vmac_addr_prefix", By::Nobody),
    ("global_defs", "vrrp_garp_extra_if", By::Nobody),
    ("global_defs", "vrrp_vmac_garp_intvl", By::Nobody),
    ("global_defs", "vrrp_rx_bufs_policy", By::Nobody),
    ("global_defs", "vrrp_rx_bufs_multiplier", By::Nobody),
    ("global_defs", "vrrp_delay_after_boot", By::Nobody),
    ("global_defs", "nftables", By::Nobody),
    ("global_defs", "nftables_priority", By::Nobody),
    ("global_defs", "nftables_ifindex", By::Nobody),
    ("global_defs", "nftables_counters", By::Nobody),
    ("global_defs", "nftables_ipvs", By::Nobody),
    ("global_defs", "nftables_ipvs_priority", By::Nobody),
    ("global_defs", "nftables_ipvs_start_fwmark", By::Nobody),
    ("global_defs", "lvs_timeouts", By::Checker),
    ("global_defs", "rs_init_notifies", By::Nobody),
    (
        "global_defs",
        "fifo_write_vrrp_states_on_reload",
        By::Nobody,
    ),
    ("global_defs", "snmp_vs_stats_update_interval", By::Nobody),
    ("global_defs", "snmp_rs_stats_update_interval", By::Nobody),
    ("global_defs", "dbus_service_name", By::Nobody),
    ("global_defs", "dbus_no_interface_name", By::Nobody),
    ("global_defs", "vrrp_netlink_cmd_rcv_bufs", By::Nobody),
    ("global_defs", "vrrp_netlink_cmd_rcv_bufs_force", By::Nobody),
    ("global_defs", "vrrp_netlink_monitor_rcv_bufs", By::Nobody),
    (
        "global_defs",
        "vrrp_netlink_monitor_rcv_bufs_force",
        By::Nobody,
    ),
    ("global_defs", "lvs_netlink_cmd_rcv_bufs", By::Nobody),
    ("global_defs", "lvs_netlink_cmd_rcv_bufs_force", By::Nobody),
    ("global_defs", "lvs_netlink_monitor_rcv_bufs", By::Nobody),
    (
        "global_defs",
        "lvs_netlink_monitor_rcv_bufs_force",
        By::Nobody,
    ),
    ("global_defs", "process_monitor_rcv_bufs", By::Nobody),
    ("global_defs", "process_monitor_rcv_bufs_force", By::Nobody),
    ("global_defs", "reload_check_config", By::Nobody),
    ("global_defs", "reload_time_file", By::Nobody),
    ("global_defs", "reload_repeat", By::Nobody),
    ("global_defs", "reload_file", By::Nobody),
    ("global_defs", "include_check", By::Nobody),
    ("global_defs", "config_save_dir", By::Nobody),
    ("global_defs", "tmp_config_directory", By::Nobody),
    ("global_defs", "random_seed", By::Nobody),
    ("global_defs", "data_use_instance", By::Nobody),
    ("global_defs", "json_version", By::Nobody),
    ("global_defs", "state_dump_file", By::Nobody),
    ("global_defs", "stats_dump_file", By::Nobody),
    ("global_defs", "json_dump_file", By::Nobody),
    ("global_defs", "iproute_usr_dir", By::Nobody),
    ("global_defs", "iproute_etc_dir", By::Nobody),
    ("global_defs", "no_checker_emails", By::Nobody),
    ("global_defs", "umask", By::Nobody),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ReadOptions;

    fn load(text: &str) -> (Config, Diagnostics) {
        let mut d = Diagnostics::new();
        let c = crate::load_str("g.conf", text, &ReadOptions::default(), &mut d);
        (c, d)
    }

    #[test]
    fn root_keywords_and_defaults() {
        let (c, d) = load("instance foo\nuse_pid_dir\nnet_namespace blue\nnamespace_with_ipsets\n");
        assert!(d.items.is_empty(), "{:?}", d.items);
        assert_eq!(c.root.instance.as_deref(), Some("foo"));
        assert_eq!(c.root.net_namespace.as_deref(), Some("blue"));
        assert!(c.root.use_pid_dir && c.root.namespace_with_ipsets);
        assert_eq!(c.root.child_wait_time, Duration::from_secs(5));
        let (c, _) = load("child_wait_time 9\n");
        assert_eq!(c.root.child_wait_time, Duration::from_secs(9));
    }

    #[test]
    fn global_defaults() {
        let g = GlobalDefs::default();
        assert_eq!(g.vrrp_version, 2);
        assert_eq!(g.vrrp_mcast_group4.to_string(), "224.0.0.18");
        assert_eq!(g.vrrp_mcast_group6.to_string(), "ff02::12");
        assert_eq!(g.vrrp_garp_master_delay, Duration::from_secs(5));
        assert_eq!(g.vrrp_down_timer_adverts, 3);
        assert_eq!(g.smtp_connect_timeout, Duration::from_secs(30));
    }

    #[test]
    fn global_keywords() {
        let (c, d) = load(concat!(
            "global_defs {\n router_id LVS_DEVEL\n notification_email {\n  a@b\n  c@d\n }\n",
            " smtp_server 10.0.0.1 2525\n smtp_connect_timeout 20\n vrrp_strict\n vrrp_version 3\n",
            " vrrp_garp_interval 0.001\n script_user nobody nogroup\n enable_script_security\n",
            " vrrp_notify_fifo /run/f\n vrrp_notify_fifo_script /bin/f\n startup_script /bin/s\n",
            " lvs_sync_daemon eth0 VI_1 id 5\n max_auto_priority 10\n include_check read\n",
            " vrrp_mcast_group4 224.0.0.19\n}\n"
        ));
        assert!(d.items.is_empty(), "{:?}", d.items);
        let g = &c.global;
        assert_eq!(g.router_id.as_deref(), Some("LVS_DEVEL"));
        assert_eq!(g.notification_email, vec!["a@b", "c@d"]);
        assert_eq!(g.smtp_server, Some(("10.0.0.1".to_string(), 2525)));
        assert!(g.vrrp_strict);
        assert_eq!(g.vrrp_version, 3);
        assert_eq!(g.vrrp_garp_interval, Duration::from_millis(1));
        assert_eq!(
            g.script_user,
            Some(("nobody".into(), Some("nogroup".into())))
        );
        let ls = g.lvs_sync_daemon.as_ref();
        assert_eq!(ls.map(|l| l.instance.as_str()), Some("VI_1"));
        assert_eq!(ls.and_then(|l| l.sync_id), Some(5));
        assert_eq!(
            g.other.get("max_auto_priority"),
            Some(&vec!["10".to_string()])
        );
        assert!(!g.other.contains_key("include_check"));
        let mut s = Vec::new();
        g.scripts(&mut s);
        assert_eq!(
            s.iter().map(|x| x.0).collect::<Vec<_>>(),
            vec!["startup_script", "vrrp_notify_fifo_script"]
        );
    }

    #[test]
    fn global_errors_match_keepalived() {
        let (c, d) = load(
            "global_defs {\n vrrp_garp_interval 0\n vrrp_gna_interval 0\n vrrp_version 4\n router_id\n smtp_connect_timeout 0\n vrrp_mcast_group4 1.2.3.4\n max_auto_priority 200\n bogus_kw\n}\n",
        );
        let lines: Vec<u32> = d
            .items
            .iter()
            .filter_map(|x| x.loc.as_ref().map(|l| l.line))
            .collect();
        assert!(lines.contains(&2) && lines.contains(&3) && lines.contains(&9));
        assert!(d.items[0]
            .msg
            .contains("number '0' outside range [0.000001, 4294.967295]"));
        assert!(d.items[1].msg.contains("vrrp_garp_interval '0' is invalid"));
        assert!(d.has(ErrorClass::UnknownKeyword));
        assert_eq!(c.global.vrrp_version, 2);
        assert_eq!(c.global.smtp_connect_timeout, Duration::from_secs(1));
        assert_eq!(c.global.vrrp_mcast_group4.to_string(), "224.0.0.18");
        assert_eq!(d.exit_code(), 5);
    }

    #[test]
    fn free_form_keywords_checked() {
        let (_, d) = load(
            "global_defs {\n vrrp_cpu_affinity abc\n lvs_timeouts tcp abc\n vrrp_rx_bufs_policy FOO\n dynamic_interfaces foo\n lvs_flush_on_stop foo\n vrrp_vmac_garp_intvl 10\n}\n",
        );
        let lines: Vec<u32> = d
            .errors()
            .filter_map(|x| x.loc.as_ref().map(|l| l.line))
            .collect();
        for l in 2..=7 {
            assert!(lines.contains(&l), "line {l}: {:?}", d.items);
        }
        assert!(d.has(ErrorClass::Deprecated));
        let (c, d) = load(
            "global_defs {\n vrrp_cpu_affinity 0 1\n lvs_timeouts tcp 100 udp 50\n vrrp_rx_bufs_policy MTU\n dynamic_interfaces allow_if_changes\n lvs_flush_on_stop VS\n}\n",
        );
        assert!(d.items.is_empty(), "{:?}", d.items);
        assert!(c.global.dynamic_interfaces);
        assert_eq!(c.global.lvs_flush_on_stop.as_deref(), Some("VS"));
    }

    #[test]
    fn every_listed_keyword_is_known() {
        for (path, kw, _) in KEYWORDS {
            let text = match *path {
                "" => format!("{kw}\n"),
                p => format!("{p} {{\n {kw}\n}}\n"),
            };
            let (_, d) = load(&text);
            assert!(
                !d.has(ErrorClass::UnknownKeyword),
                "{path}/{kw}: {:?}",
                d.items
            );
        }
    }

    #[test]
    fn quiet_aliases_are_notices() {
        let (c, d) = load("global_defs {\n lvs_flush_onstop\n enable_snmp_keepalived\n}\n");
        assert_eq!(d.exit_code(), 0);
        assert_eq!(d.items.len(), 2);
        assert!(c.global.enable_snmp_vrrp);
        assert!(c.global.lvs_flush_on_stop.is_some());
    }

    #[test]
    fn keywords_table_covers_dispatch() {
        for (kw, _) in OTHER {
            assert!(
                KEYWORDS.iter().any(|r| (r.0, r.1) == ("global_defs", *kw)),
                "{kw}"
            );
        }
        for kw in ROOTS {
            assert!(KEYWORDS.iter().any(|r| (r.0, r.1) == ("", *kw)), "{kw}");
        }
    }
}
