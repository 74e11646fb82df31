//! Parser for the checker root blocks: `SSL`, `virtual_server_group`, `virtual_server`
//! (with `real_server` and the checker blocks). Called by `parse::parse` for these root
//! keywords; the per-checker keywords live in [`checkers`].
//!
//! Behaviour and messages follow keepalived 2.2.7 (`check_parser.c`, `check_*.c`): a bad
//! value is reported and ignored, a bad virtual/real server head skips its whole block.

mod checkers;

use super::script;
use super::values::{self, bool_word};
use crate::diag::{Diagnostics, ErrorClass};
use crate::model::check::*;
use crate::model::Script;
use crate::support::{ActedBy as By, Keyword};
use crate::tree::Node;
use std::net::IpAddr;

/// Is `k` a root keyword owned by this module?
pub fn is_root(k: &str) -> bool {
    matches!(k, "SSL" | "virtual_server_group" | "virtual_server")
}

/// Parse one root block into `cfg`.
pub fn parse_root(node: &Node, cfg: &mut CheckConfig, d: &mut Diagnostics) {
    if node.block.is_none() {
        d.at(
            ErrorClass::MissingBob,
            &node.loc,
            format!("{} requires a '{{' block", node.keyword()),
        );
        return;
    }
    match node.keyword() {
        "SSL" => parse_ssl(node, cfg, d),
        "virtual_server_group" => {
            if let Some(g) = parse_vsg(node, d) {
                cfg.groups.push(g);
            }
        }
        "virtual_server" => {
            if let Some(vs) = parse_vs(node, d) {
                cfg.virtual_servers.push(vs);
            }
        }
        _ => values::unknown(d, node),
    }
}

/// Keywords this module parses, as (block path, keyword). The block path is "" for root
/// keywords, else the chain of block keywords from the root joined with '/', e.g.
/// "vrrp_instance", "virtual_server/real_server/HTTP_GET/url". Value blocks (whose lines
/// are data, like `virtual_ipaddress`) are listed as keywords; their lines are not.
/// The third field says which process acts on the keyword (`By::Nobody`: parsed and
/// validated only); `support` derives from it the "parsed but not acted on" report and the
/// coverage table, so a keyword is marked acted on here, where it is parsed.
pub const KEYWORDS: &[Keyword] = &[
    ("", "SSL", By::Checker),
    ("", "virtual_server_group", By::Checker),
    ("", "virtual_server", By::Checker),
    ("SSL", "password", By::Nobody),
    ("SSL", "ca", By::Nobody),
    ("SSL", "certificate", By::Checker),
    ("SSL", "key", By::Checker),
    ("virtual_server_group", "fwmark", By::Checker),
    ("virtual_server", "ip_family", By::Nobody),
    ("virtual_server", "delay_loop", By::Checker),
    ("virtual_server", "delay_before_retry", By::Checker),
    ("virtual_server", "retry", By::Checker),
    ("virtual_server", "warmup", By::Checker),
    ("virtual_server", "connect_timeout", By::Checker),
    ("virtual_server", "lb_algo", By::Checker),
    ("virtual_server", "lvs_sched", By::Checker),
    ("virtual_server", "hashed", By::Checker),
    ("virtual_server", "ops", By::Checker),
    ("virtual_server", "flag-1", By::Checker),
    ("virtual_server", "flag-2", By::Checker),
    ("virtual_server", "flag-3", By::Checker),
    ("virtual_server", "sh-port", By::Checker),
    ("virtual_server", "sh-fallback", By::Checker),
    ("virtual_server", "mh-port", By::Checker),
    ("virtual_server", "mh-fallback", By::Checker),
    ("virtual_server", "lb_kind", By::Checker),
    ("virtual_server", "lvs_method", By::Checker),
    ("virtual_server", "persistence_engine", By::Checker),
    ("virtual_server", "persistence_timeout", By::Checker),
    ("virtual_server", "persistence_granularity", By::Checker),
    ("virtual_server", "protocol", By::Checker),
    ("virtual_server", "ha_suspend", By::Checker),
    ("virtual_server", "smtp_alert", By::Nobody),
    ("virtual_server", "virtualhost", By::Checker),
    ("virtual_server", "inhibit_on_failure", By::Checker),
    ("virtual_server", "alpha", By::Checker),
    ("virtual_server", "omega", By::Checker),
    ("virtual_server", "quorum", By::Checker),
    ("virtual_server", "hysteresis", By::Checker),
    ("virtual_server", "quorum_up", By::Checker),
    ("virtual_server", "quorum_down", By::Checker),
    ("virtual_server", "weight", By::Nobody),
    ("virtual_server", "sorry_server", By::Checker),
    ("virtual_server", "sorry_server_inhibit", By::Checker),
    ("virtual_server", "sorry_server_lvs_method", By::Checker),
    ("virtual_server", "real_server", By::Checker),
    ("virtual_server/real_server", "weight", By::Checker),
    ("virtual_server/real_server", "lvs_method", By::Checker),
    ("virtual_server/real_server", "uthreshold", By::Checker),
    ("virtual_server/real_server", "lthreshold", By::Checker),
    (
        "virtual_server/real_server",
        "inhibit_on_failure",
        By::Checker,
    ),
    ("virtual_server/real_server", "notify_up", By::Checker),
    ("virtual_server/real_server", "notify_down", By::Checker),
    ("virtual_server/real_server", "alpha", By::Checker),
    ("virtual_server/real_server", "retry", By::Checker),
    (
        "virtual_server/real_server",
        "delay_before_retry",
        By::Checker,
    ),
    ("virtual_server/real_server", "warmup", By::Checker),
    ("virtual_server/real_server", "connect_timeout", By::Checker),
    ("virtual_server/real_server", "delay_loop", By::Checker),
    ("virtual_server/real_server", "smtp_alert", By::Nobody),
    ("virtual_server/real_server", "virtualhost", By::Checker),
    ("virtual_server/real_server", "TCP_CHECK", By::Checker),
    ("virtual_server/real_server", "HTTP_GET", By::Checker),
    ("virtual_server/real_server", "SSL_GET", By::Checker),
    ("virtual_server/real_server", "MISC_CHECK", By::Checker),
    ("virtual_server/real_server", "SMTP_CHECK", By::Checker),
    ("virtual_server/real_server", "DNS_CHECK", By::Checker),
    ("virtual_server/real_server", "UDP_CHECK", By::Checker),
    ("virtual_server/real_server", "PING_CHECK", By::Checker),
    ("virtual_server/real_server", "FILE_CHECK", By::Checker),
    ("virtual_server/real_server", "BFD_CHECK", By::Nobody),
    (
        "virtual_server/real_server/TCP_CHECK",
        "connect_ip",
        By::Checker,
    ),
    (
        "virtual_server/real_server/TCP_CHECK",
        "connect_port",
        By::Checker,
    ),
    (
        "virtual_server/real_server/TCP_CHECK",
        "bindto",
        By::Checker,
    ),
    (
        "virtual_server/real_server/TCP_CHECK",
        "bind_port",
        By::Checker,
    ),
    (
        "virtual_server/real_server/TCP_CHECK",
        "bind_if",
        By::Checker,
    ),
    (
        "virtual_server/real_server/TCP_CHECK",
        "connect_timeout",
        By::Checker,
    ),
    (
        "virtual_server/real_server/TCP_CHECK",
        "fwmark",
        By::Checker,
    ),
    ("virtual_server/real_server/TCP_CHECK", "retry", By::Checker),
    (
        "virtual_server/real_server/TCP_CHECK",
        "delay_before_retry",
        By::Checker,
    ),
    (
        "virtual_server/real_server/TCP_CHECK",
        "warmup",
        By::Checker,
    ),
    (
        "virtual_server/real_server/TCP_CHECK",
        "delay_loop",
        By::Checker,
    ),
    ("virtual_server/real_server/TCP_CHECK", "alpha", By::Checker),
    (
        "virtual_server/real_server/TCP_CHECK",
        "log_all_failures",
        By::Checker,
    ),
    (
        "virtual_server/real_server/HTTP_GET",
        "connect_ip",
        By::Checker,
    ),
    (
        "virtual_server/real_server/HTTP_GET",
        "connect_port",
        By::Checker,
    ),
    ("virtual_server/real_server/HTTP_GET", "bindto", By::Checker),
    (
        "virtual_server/real_server/HTTP_GET",
        "bind_port",
        By::Checker,
    ),
    (
        "virtual_server/real_server/HTTP_GET",
        "bind_if",
        By::Checker,
    ),
    (
        "virtual_server/real_server/HTTP_GET",
        "connect_timeout",
        By::Checker,
    ),
    ("virtual_server/real_server/HTTP_GET", "fwmark", By::Checker),
    ("virtual_server/real_server/HTTP_GET", "retry", By::Checker),
    (
        "virtual_server/real_server/HTTP_GET",
        "delay_before_retry",
        By::Checker,
    ),
    ("virtual_server/real_server/HTTP_GET", "warmup", By::Checker),
    (
        "virtual_server/real_server/HTTP_GET",
        "delay_loop",
        By::Checker,
    ),
    ("virtual_server/real_server/HTTP_GET", "alpha", By::Checker),
    (
        "virtual_server/real_server/HTTP_GET",
        "log_all_failures",
        By::Checker,
    ),
    (
        "virtual_server/real_server/HTTP_GET",
        "nb_get_retry",
        By::Nobody,
    ),
    (
        "virtual_server/real_server/HTTP_GET",
        "virtualhost",
        By::Checker,
    ),
    (
        "virtual_server/real_server/HTTP_GET",
        "http_protocol",
        By::Checker,
    ),
    (
        "virtual_server/real_server/HTTP_GET",
        "enable_sni",
        By::Checker,
    ),
    (
        "virtual_server/real_server/HTTP_GET",
        "fast_recovery",
        By::Nobody,
    ),
    ("virtual_server/real_server/HTTP_GET", "url", By::Checker),
    (
        "virtual_server/real_server/HTTP_GET/url",
        "path",
        By::Checker,
    ),
    (
        "virtual_server/real_server/HTTP_GET/url",
        "digest",
        By::Checker,
    ),
    (
        "virtual_server/real_server/HTTP_GET/url",
        "status_code",
        By::Checker,
    ),
    (
        "virtual_server/real_server/HTTP_GET/url",
        "virtualhost",
        By::Checker,
    ),
    (
        "virtual_server/real_server/HTTP_GET/url",
        "regex",
        By::Checker,
    ),
    (
        "virtual_server/real_server/HTTP_GET/url",
        "regex_no_match",
        By::Checker,
    ),
    (
        "virtual_server/real_server/HTTP_GET/url",
        "regex_options",
        By::Checker,
    ),
    (
        "virtual_server/real_server/HTTP_GET/url",
        "regex_min_offset",
        By::Checker,
    ),
    (
        "virtual_server/real_server/HTTP_GET/url",
        "regex_max_offset",
        By::Checker,
    ),
    (
        "virtual_server/real_server/HTTP_GET/url",
        "regex_stack",
        By::Nobody,
    ),
    (
        "virtual_server/real_server/SSL_GET",
        "connect_ip",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SSL_GET",
        "connect_port",
        By::Checker,
    ),
    ("virtual_server/real_server/SSL_GET", "bindto", By::Checker),
    (
        "virtual_server/real_server/SSL_GET",
        "bind_port",
        By::Checker,
    ),
    ("virtual_server/real_server/SSL_GET", "bind_if", By::Checker),
    (
        "virtual_server/real_server/SSL_GET",
        "connect_timeout",
        By::Checker,
    ),
    ("virtual_server/real_server/SSL_GET", "fwmark", By::Checker),
    ("virtual_server/real_server/SSL_GET", "retry", By::Checker),
    (
        "virtual_server/real_server/SSL_GET",
        "delay_before_retry",
        By::Checker,
    ),
    ("virtual_server/real_server/SSL_GET", "warmup", By::Checker),
    (
        "virtual_server/real_server/SSL_GET",
        "delay_loop",
        By::Checker,
    ),
    ("virtual_server/real_server/SSL_GET", "alpha", By::Checker),
    (
        "virtual_server/real_server/SSL_GET",
        "log_all_failures",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SSL_GET",
        "nb_get_retry",
        By::Nobody,
    ),
    (
        "virtual_server/real_server/SSL_GET",
        "virtualhost",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SSL_GET",
        "http_protocol",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SSL_GET",
        "enable_sni",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SSL_GET",
        "fast_recovery",
        By::Nobody,
    ),
    ("virtual_server/real_server/SSL_GET", "url", By::Checker),
    (
        "virtual_server/real_server/SSL_GET/url",
        "path",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SSL_GET/url",
        "digest",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SSL_GET/url",
        "status_code",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SSL_GET/url",
        "virtualhost",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SSL_GET/url",
        "regex",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SSL_GET/url",
        "regex_no_match",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SSL_GET/url",
        "regex_options",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SSL_GET/url",
        "regex_min_offset",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SSL_GET/url",
        "regex_max_offset",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SSL_GET/url",
        "regex_stack",
        By::Nobody,
    ),
    (
        "virtual_server/real_server/MISC_CHECK",
        "retry",
        By::Checker,
    ),
    (
        "virtual_server/real_server/MISC_CHECK",
        "delay_before_retry",
        By::Checker,
    ),
    (
        "virtual_server/real_server/MISC_CHECK",
        "warmup",
        By::Checker,
    ),
    (
        "virtual_server/real_server/MISC_CHECK",
        "delay_loop",
        By::Checker,
    ),
    (
        "virtual_server/real_server/MISC_CHECK",
        "alpha",
        By::Checker,
    ),
    (
        "virtual_server/real_server/MISC_CHECK",
        "log_all_failures",
        By::Checker,
    ),
    (
        "virtual_server/real_server/MISC_CHECK",
        "misc_path",
        By::Checker,
    ),
    (
        "virtual_server/real_server/MISC_CHECK",
        "misc_timeout",
        By::Checker,
    ),
    (
        "virtual_server/real_server/MISC_CHECK",
        "misc_dynamic",
        By::Checker,
    ),
    ("virtual_server/real_server/MISC_CHECK", "user", By::Checker),
    (
        "virtual_server/real_server/SMTP_CHECK",
        "connect_ip",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK",
        "connect_port",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK",
        "bindto",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK",
        "bind_port",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK",
        "bind_if",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK",
        "connect_timeout",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK",
        "fwmark",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK",
        "retry",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK",
        "delay_before_retry",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK",
        "warmup",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK",
        "delay_loop",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK",
        "alpha",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK",
        "log_all_failures",
        By::Checker,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK",
        "helo_name",
        By::Checker,
    ),
    ("virtual_server/real_server/SMTP_CHECK", "host", By::Nobody),
    (
        "virtual_server/real_server/SMTP_CHECK/host",
        "connect_ip",
        By::Nobody,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK/host",
        "connect_port",
        By::Nobody,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK/host",
        "bindto",
        By::Nobody,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK/host",
        "bind_port",
        By::Nobody,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK/host",
        "bind_if",
        By::Nobody,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK/host",
        "connect_timeout",
        By::Nobody,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK/host",
        "fwmark",
        By::Nobody,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK/host",
        "retry",
        By::Nobody,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK/host",
        "delay_before_retry",
        By::Nobody,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK/host",
        "warmup",
        By::Nobody,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK/host",
        "delay_loop",
        By::Nobody,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK/host",
        "alpha",
        By::Nobody,
    ),
    (
        "virtual_server/real_server/SMTP_CHECK/host",
        "log_all_failures",
        By::Nobody,
    ),
    (
        "virtual_server/real_server/DNS_CHECK",
        "connect_ip",
        By::Checker,
    ),
    (
        "virtual_server/real_server/DNS_CHECK",
        "connect_port",
        By::Checker,
    ),
    (
        "virtual_server/real_server/DNS_CHECK",
        "bindto",
        By::Checker,
    ),
    (
        "virtual_server/real_server/DNS_CHECK",
        "bind_port",
        By::Checker,
    ),
    (
        "virtual_server/real_server/DNS_CHECK",
        "bind_if",
        By::Checker,
    ),
    (
        "virtual_server/real_server/DNS_CHECK",
        "connect_timeout",
        By::Checker,
    ),
    (
        "virtual_server/real_server/DNS_CHECK",
        "fwmark",
        By::Checker,
    ),
    ("virtual_server/real_server/DNS_CHECK", "retry", By::Checker),
    (
        "virtual_server/real_server/DNS_CHECK",
        "delay_before_retry",
        By::Checker,
    ),
    (
        "virtual_server/real_server/DNS_CHECK",
        "warmup",
        By::Checker,
    ),
    (
        "virtual_server/real_server/DNS_CHECK",
        "delay_loop",
        By::Checker,
    ),
    ("virtual_server/real_server/DNS_CHECK", "alpha", By::Checker),
    (
        "virtual_server/real_server/DNS_CHECK",
        "log_all_failures",
        By::Checker,
    ),
    ("virtual_server/real_server/DNS_CHECK", "type", By::Checker),
    ("virtual_server/real_server/DNS_CHECK", "name", By::Checker),
    (
        "virtual_server/real_server/UDP_CHECK",
        "connect_ip",
        By::Checker,
    ),
    (
        "virtual_server/real_server/UDP_CHECK",
        "connect_port",
        By::Checker,
    ),
    (
        "virtual_server/real_server/UDP_CHECK",
        "bindto",
        By::Checker,
    ),
    (
        "virtual_server/real_server/UDP_CHECK",
        "bind_port",
        By::Checker,
    ),
    (
        "virtual_server/real_server/UDP_CHECK",
        "bind_if",
        By::Checker,
    ),
    (
        "virtual_server/real_server/UDP_CHECK",
        "connect_timeout",
        By::Checker,
    ),
    (
        "virtual_server/real_server/UDP_CHECK",
        "fwmark",
        By::Checker,
    ),
    ("virtual_server/real_server/UDP_CHECK", "retry", By::Checker),
    (
        "virtual_server/real_server/UDP_CHECK",
        "delay_before_retry",
        By::Checker,
    ),
    (
        "virtual_server/real_server/UDP_CHECK",
        "warmup",
        By::Checker,
    ),
    (
        "virtual_server/real_server/UDP_CHECK",
        "delay_loop",
        By::Checker,
    ),
    ("virtual_server/real_server/UDP_CHECK", "alpha", By::Checker),
    (
        "virtual_server/real_server/UDP_CHECK",
        "log_all_failures",
        By::Checker,
    ),
    (
        "virtual_server/real_server/UDP_CHECK",
        "payload",
        By::Checker,
    ),
    (
        "virtual_server/real_server/UDP_CHECK",
        "require_reply",
        By::Checker,
    ),
    (
        "virtual_server/real_server/UDP_CHECK",
        "min_reply_length",
        By::Checker,
    ),
    (
        "virtual_server/real_server/UDP_CHECK",
        "max_reply_length",
        By::Checker,
    ),
    (
        "virtual_server/real_server/PING_CHECK",
        "connect_ip",
        By::Checker,
    ),
    (
        "virtual_server/real_server/PING_CHECK",
        "connect_port",
        By::Checker,
    ),
    (
        "virtual_server/real_server/PING_CHECK",
        "bindto",
        By::Checker,
    ),
    (
        "virtual_server/real_server/PING_CHECK",
        "bind_port",
        By::Checker,
    ),
    (
        "virtual_server/real_server/PING_CHECK",
        "bind_if",
        By::Checker,
    ),
    (
        "virtual_server/real_server/PING_CHECK",
        "connect_timeout",
        By::Checker,
    ),
    (
        "virtual_server/real_server/PING_CHECK",
        "fwmark",
        By::Checker,
    ),
    (
        "virtual_server/real_server/PING_CHECK",
        "retry",
        By::Checker,
    ),
    (
        "virtual_server/real_server/PING_CHECK",
        "delay_before_retry",
        By::Checker,
    ),
    (
        "virtual_server/real_server/PING_CHECK",
        "warmup",
        By::Checker,
    ),
    (
        "virtual_server/real_server/PING_CHECK",
        "delay_loop",
        By::Checker,
    ),
    (
        "virtual_server/real_server/PING_CHECK",
        "alpha",
        By::Checker,
    ),
    (
        "virtual_server/real_server/PING_CHECK",
        "log_all_failures",
        By::Checker,
    ),
    (
        "virtual_server/real_server/FILE_CHECK",
        "track_file",
        By::Checker,
    ),
    (
        "virtual_server/real_server/FILE_CHECK",
        "weight",
        By::Checker,
    ),
    ("virtual_server/real_server/BFD_CHECK", "name", By::Nobody),
    ("virtual_server/real_server/BFD_CHECK", "alpha", By::Nobody),
];

fn parse_ssl(node: &Node, cfg: &mut CheckConfig, d: &mut Diagnostics) {
    if cfg.ssl.is_some() {
        d.at(
            ErrorClass::GeneralError,
            &node.loc,
            "SSL context already specified - replacing",
        );
    }
    let mut ssl = Ssl {
        loc: Some(node.loc.clone()),
        ..Ssl::default()
    };
    for n in node.children() {
        let slot = match n.keyword() {
            "password" => &mut ssl.password,
            "ca" => &mut ssl.ca,
            "certificate" => &mut ssl.certificate,
            "key" => &mut ssl.key,
            _ => {
                values::unknown(d, n);
                continue;
            }
        };
        if let Some(v) = values::arg(d, n, 0) {
            *slot = Some(v.to_string());
        }
    }
    cfg.ssl = Some(ssl);
}

/// A port argument: "0" (or all zeros) means no port, as keepalived's `inet_stosockaddr`.
/// `Err(())` when out of range or not a number (already reported).
pub(crate) fn port_arg(d: &mut Diagnostics, node: &Node, s: &str) -> Result<Option<u16>, ()> {
    if !s.is_empty() && s.bytes().all(|b| b == b'0') {
        return Ok(None);
    }
    match values::parse_int_in(d, node, s, 1, 65535) {
        Some(p) => Ok(u16::try_from(p).ok()),
        None => Err(()),
    }
}

/// An IP address as keepalived 2.2.7 accepts it for servers (no `[...]` around IPv6).
pub(crate) fn parse_addr(s: &str) -> Option<IpAddr> {
    s.parse().ok()
}

fn parse_vsg(node: &Node, d: &mut Diagnostics) -> Option<VsGroup> {
    let name = values::arg(d, node, 0)?.to_string();
    let mut g = VsGroup {
        loc: Some(node.loc.clone()),
        name,
        entries: Vec::new(),
    };
    for n in node.children() {
        if n.keyword() == "fwmark" {
            let Some(s) = values::arg(d, n, 0) else {
                continue;
            };
            let Some(mark) = values::parse_int_in(d, n, s, 0, u32::MAX.into()) else {
                continue;
            };
            let family = match n.arg(1) {
                None => None,
                Some("inet") => Some(Family::Inet),
                Some("inet6") => Some(Family::Inet6),
                Some(f) => {
                    d.at(
                        ErrorClass::GeneralError,
                        &n.loc,
                        format!(
                            "({}): fwmark '{mark}' family {f} unknown - ignoring",
                            g.name
                        ),
                    );
                    continue;
                }
            };
            g.entries.push(VsgEntry::Fwmark {
                loc: n.loc.clone(),
                mark: u32::try_from(mark).unwrap_or(0),
                family,
            });
            continue;
        }
        if let Some(e) = parse_vsg_range(n, d) {
            g.entries.push(e);
        }
    }
    let v4 = g.entries.iter().any(|e| match e {
        VsgEntry::Range { first, .. } => first.is_ipv4(),
        VsgEntry::Fwmark { family, .. } => *family == Some(Family::Inet),
    });
    let v6 = g.entries.iter().any(|e| match e {
        VsgEntry::Range { first, .. } => first.is_ipv6(),
        VsgEntry::Fwmark { family, .. } => *family == Some(Family::Inet6),
    });
    let bare_fwmark = g
        .entries
        .iter()
        .any(|e| matches!(e, VsgEntry::Fwmark { family: None, .. }));
    let end = node.loc.clone();
    if g.entries.is_empty() {
        d.at(
            ErrorClass::GeneralError,
            &end,
            format!("virtual server group {} has no entries - removing", g.name),
        );
        return None;
    }
    if v4 && v6 && bare_fwmark {
        d.at(
            ErrorClass::GeneralError,
            &end,
            format!(
                "virtual server group {} cannot have IPv4, IPv6 and fwmark without family - removing",
                g.name
            ),
        );
        return None;
    }
    Some(g)
}

/// `IP[-LAST|/nn] [PORT]` inside a virtual server group.
fn parse_vsg_range(n: &Node, d: &mut Diagnostics) -> Option<VsgEntry> {
    let spec = n.keyword();
    let port = match n.arg(0) {
        None => None,
        Some(p) => port_arg(d, n, p).ok()?,
    };
    let invalid = |d: &mut Diagnostics| {
        d.at(
            ErrorClass::GeneralError,
            &n.loc,
            format!(
                "Invalid virtual server group IP address {spec} /port/{} - skipping",
                n.arg(0).unwrap_or("")
            ),
        );
    };
    let (first, last) = if let Some((a, bits)) = spec.split_once('/') {
        let Some(ip) = parse_addr(a) else {
            invalid(d);
            return None;
        };
        let max = if ip.is_ipv4() { 32 } else { 128 };
        let Some(bits) = bits.parse::<u32>().ok().filter(|b| *b <= max) else {
            invalid(d);
            return None;
        };
        let (v, width) = ip_bits(&ip);
        let host = if bits >= width {
            0
        } else {
            u128::MAX >> (128 - (width - bits))
        };
        if v & host != 0 {
            d.at(
                ErrorClass::GeneralError,
                &n.loc,
                format!("Address mask bits not empty - {spec} - skipping"),
            );
            return None;
        }
        (ip, ip_from_bits(&ip, v | host))
    } else if let Some((a, end)) = spec.split_once('-') {
        let Some(ip) = parse_addr(a) else {
            invalid(d);
            return None;
        };
        // The range end replaces the last byte (IPv4, decimal) or group (IPv6, hex).
        let (v, _) = ip_bits(&ip);
        let (end_val, mask) = if ip.is_ipv4() {
            (end.parse::<u8>().ok().map(u128::from), 0xffu128)
        } else {
            (
                u16::from_str_radix(end, 16).ok().map(u128::from),
                0xffffu128,
            )
        };
        let Some(end_val) = end_val else {
            invalid(d);
            return None;
        };
        if end_val <= v & mask {
            d.at(
                ErrorClass::GeneralError,
                &n.loc,
                format!(
                    "Address range end is not greater than address range start - {spec} - skipping"
                ),
            );
            return None;
        }
        (ip, ip_from_bits(&ip, (v & !mask) | end_val))
    } else {
        let Some(ip) = parse_addr(spec) else {
            invalid(d);
            return None;
        };
        (ip, ip)
    };
    Some(VsgEntry::Range {
        loc: n.loc.clone(),
        first,
        last,
        port,
    })
}

fn ip_bits(ip: &IpAddr) -> (u128, u32) {
    match ip {
        IpAddr::V4(a) => (u128::from(u32::from(*a)), 32),
        IpAddr::V6(a) => (u128::from(*a), 128),
    }
}

fn ip_from_bits(like: &IpAddr, v: u128) -> IpAddr {
    match like {
        IpAddr::V4(_) => IpAddr::V4(u32::try_from(v).unwrap_or(u32::MAX).into()),
        IpAddr::V6(_) => IpAddr::V6(v.into()),
    }
}

fn parse_vs(node: &Node, d: &mut Diagnostics) -> Option<VirtualServer> {
    let first = values::arg(d, node, 0)?;
    let target = match first {
        "group" => VsTarget::Group(values::arg(d, node, 1)?.to_string()),
        "fwmark" => {
            let s = values::arg(d, node, 1)?;
            match s.parse::<u32>() {
                Ok(m) => VsTarget::Fwmark(m),
                Err(_) => {
                    d.at(
                        ErrorClass::GeneralError,
                        &node.loc,
                        format!(
                            "virtual server fwmark '{s}' must be in [0, {}] - ignoring",
                            u32::MAX
                        ),
                    );
                    return None;
                }
            }
        }
        ip => {
            let bad = |d: &mut Diagnostics| match node.arg(1) {
                Some(p) => d.at(
                    ErrorClass::GeneralError,
                    &node.loc,
                    format!("Invalid virtual server IP address/port {ip}/{p} - skipping"),
                ),
                None => d.at(
                    ErrorClass::GeneralError,
                    &node.loc,
                    format!("Invalid virtual server IP address {ip} - skipping"),
                ),
            };
            let Some(addr) = parse_addr(ip) else {
                bad(d);
                return None;
            };
            let port = match node.arg(1) {
                None => None,
                Some(p) => match port_arg(d, node, p) {
                    Ok(p) => p,
                    Err(()) => {
                        bad(d);
                        return None;
                    }
                },
            };
            VsTarget::Addr { ip: addr, port }
        }
    };
    let mut vs = VirtualServer {
        loc: Some(node.loc.clone()),
        target,
        ..VirtualServer::default()
    };
    // The address family as keepalived tracks it while parsing (VS address, ip_family,
    // then the first non-tunnelled real server).
    let mut af: Option<Family> = match &vs.target {
        VsTarget::Addr { ip, .. } => Some(Family::of(ip)),
        _ => None,
    };
    for n in node.children() {
        parse_vs_keyword(n, &mut vs, &mut af, d);
    }
    // A sorry server must match the virtual server's family unless it is tunnelled.
    let sorry_mismatch = vs.sorry_server.as_ref().filter(|s| {
        let fwd = s.forwarding.as_ref().or(vs.forwarding.as_ref());
        !fwd.is_some_and(|f| f.method == LvsMethod::Tun)
            && af.is_some_and(|a| a != Family::of(&s.ip))
    });
    if let Some(s) = sorry_mismatch {
        let end = node.children().last().map_or(&node.loc, |n| &n.loc);
        d.at(
            ErrorClass::GeneralError,
            end,
            format!(
                "Address family of virtual server and sorry server {} don't match - skipping sorry server.",
                s.ip
            ),
        );
        vs.sorry_server = None;
    }
    Some(vs)
}

fn parse_vs_keyword(
    n: &Node,
    vs: &mut VirtualServer,
    af: &mut Option<Family>,
    d: &mut Diagnostics,
) {
    let gen = |d: &mut Diagnostics, msg: String| d.at(ErrorClass::GeneralError, &n.loc, msg);
    match n.keyword() {
        "ip_family" => {
            let Some(f) = values::arg(d, n, 0) else {
                return;
            };
            let fam = match f {
                "inet" => Family::Inet,
                "inet6" => Family::Inet6,
                _ => return gen(d, format!("unknown address family {f}")),
            };
            if af.is_some_and(|a| a != fam) {
                return gen(
                    d,
                    format!("Virtual server specified family {f} conflicts with server family"),
                );
            }
            *af = Some(fam);
            vs.ip_family = Some(fam);
        }
        "delay_loop" | "delay_before_retry" | "retry" | "warmup" | "connect_timeout" => {
            parse_timing(n, &mut vs.timing, 1, d)
        }
        "lb_algo" | "lvs_sched" => {
            let Some(s) = values::arg(d, n, 0) else {
                return;
            };
            if SCHEDULERS.contains(&s) {
                vs.scheduler = Some(s.to_string());
            } else {
                gen(d, format!("Invalid lvs_scheduler '{s}' - ignoring"));
            }
        }
        // keepalived 2.2.7 accepts `hashed` only with the sh scheduler.
        "hashed" => {
            if vs.scheduler.as_deref() != Some("sh") {
                return gen(d, "hashed only applies to sh scheduler - ignoring".into());
            }
            vs.sched_flags.hashed = true;
        }
        "ops" => vs.sched_flags.ops = true,
        "flag-1" => vs.sched_flags.flag1 = true,
        "flag-2" => vs.sched_flags.flag2 = true,
        "flag-3" => vs.sched_flags.flag3 = true,
        // These are scheduler-specific names for flag-1 / flag-2 (keepalived checks the
        // scheduler set so far).
        k @ ("sh-port" | "sh-fallback" | "mh-port" | "mh-fallback") => {
            let want = if k.starts_with("sh") { "sh" } else { "mh" };
            if vs.scheduler.as_deref() != Some(want) {
                return gen(
                    d,
                    format!("{k} only applies to {want} scheduler - ignoring"),
                );
            }
            if k.ends_with("port") {
                vs.sched_flags.flag2 = true;
            } else {
                vs.sched_flags.flag1 = true;
            }
        }
        "lb_kind" | "lvs_method" => {
            if let Some(f) = parse_forwarding(n, "virtual server", d) {
                vs.forwarding = Some(f);
            }
        }
        "persistence_engine" => {
            if let Some(s) = values::arg(d, n, 0) {
                vs.persistence_engine = Some(s.to_string());
            }
        }
        "persistence_timeout" => match n.arg(0) {
            None => vs.persistence_timeout = Some(DEFAULT_PERSISTENCE_TIMEOUT),
            Some(s) => {
                if let Some(v) = values::parse_int_in(d, n, s, 1, 2_678_400) {
                    vs.persistence_timeout = u32::try_from(v).ok();
                }
            }
        },
        "persistence_granularity" => {
            let Some(s) = values::arg(d, n, 0) else {
                return;
            };
            let fam = af.unwrap_or(if s.contains('.') {
                Family::Inet
            } else {
                Family::Inet6
            });
            if fam == Family::Inet6 && values::parse_int_in(d, n, s, 1, 128).is_none() {
                return;
            }
            // keepalived 2.2.7 only checks that an IPv4 granularity is an address.
            if fam == Family::Inet && s.parse::<std::net::Ipv4Addr>().is_err() {
                return gen(
                    d,
                    format!("Invalid IPv4 persistence_granularity specified - {s}"),
                );
            }
            vs.persistence_granularity = Some(s.to_string());
            if af.is_none() {
                *af = Some(fam);
            }
            if vs.persistence_timeout.is_none() {
                vs.persistence_timeout = Some(DEFAULT_PERSISTENCE_TIMEOUT);
            }
        }
        "protocol" => {
            let Some(s) = values::arg(d, n, 0) else {
                return;
            };
            vs.protocol = match s.to_ascii_uppercase().as_str() {
                "TCP" => Some(Protocol::Tcp),
                "UDP" => Some(Protocol::Udp),
                "SCTP" => Some(Protocol::Sctp),
                _ => return gen(d, format!("Unknown protocol {s} - ignoring")),
            };
        }
        "ha_suspend" => vs.ha_suspend = true,
        "smtp_alert" => {
            if let Some(b) = opt_bool(n, d, "Invalid virtual_server smtp_alert parameter") {
                vs.smtp_alert = Some(b);
            }
        }
        "virtualhost" => {
            if let Some(s) = values::arg(d, n, 0) {
                vs.virtualhost = Some(s.to_string());
            }
        }
        "inhibit_on_failure" => vs.inhibit_on_failure = lenient_flag(n),
        "alpha" => vs.alpha = lenient_flag(n),
        "omega" => vs.omega = lenient_flag(n),
        "quorum" => {
            let Some(s) = values::arg(d, n, 0) else {
                return;
            };
            match values::parse_int_in(d, n, s, 1, u32::MAX.into()) {
                Some(q) => vs.quorum = u32::try_from(q).ok(),
                None => vs.quorum = Some(1),
            }
        }
        "hysteresis" => {
            let Some(s) = values::arg(d, n, 0) else {
                return;
            };
            if let Some(h) = values::parse_int_in(d, n, s, 0, u32::MAX.into()) {
                vs.hysteresis = u32::try_from(h).ok();
            }
        }
        k @ ("quorum_up" | "quorum_down") => {
            let slot = if k == "quorum_up" {
                &mut vs.quorum_up
            } else {
                &mut vs.quorum_down
            };
            set_script_once(slot, n, d);
        }
        "weight" => {
            let Some(s) = values::arg(d, n, 0) else {
                return;
            };
            if let Some(w) = values::parse_int_in(d, n, s, 1, i32::MAX.into()) {
                vs.weight = u32::try_from(w).ok();
            }
        }
        "sorry_server" => {
            let Some(ip) = values::arg(d, n, 0) else {
                return;
            };
            let addr = parse_addr(ip);
            let port = match n.arg(1) {
                None => Ok(None),
                Some(p) => port_arg(d, n, p),
            };
            match (addr, port) {
                (Some(ip), Ok(port)) => {
                    vs.sorry_server = Some(SorryServer {
                        loc: n.loc.clone(),
                        ip,
                        port,
                        inhibit: false,
                        forwarding: None,
                    })
                }
                _ => gen(
                    d,
                    format!("Invalid sorry server IP address {ip} - skipping"),
                ),
            }
        }
        "sorry_server_inhibit" => match vs.sorry_server.as_mut() {
            Some(s) => s.inhibit = lenient_flag(n),
            None => gen(
                d,
                "Ignoring sorry_server inhibit used before or without sorry_server".into(),
            ),
        },
        "sorry_server_lvs_method" => {
            if vs.sorry_server.is_none() {
                return gen(
                    d,
                    "sorry_server forwarding used without sorry_server".into(),
                );
            }
            let f = parse_forwarding(n, "real server", d);
            if let (Some(s), Some(f)) = (vs.sorry_server.as_mut(), f) {
                s.forwarding = Some(f);
            }
        }
        "real_server" => {
            if n.block.is_none() {
                d.at(
                    ErrorClass::MissingBob,
                    &n.loc,
                    "real_server requires a '{' block",
                );
                return;
            }
            let Some(rs) = parse_rs(n, d) else { return };
            // keepalived drops a real server whose family differs from the virtual
            // server's, unless it is tunnelled.
            let tunnelled = rs
                .forwarding
                .as_ref()
                .or(vs.forwarding.as_ref())
                .is_some_and(|f| f.method == LvsMethod::Tun);
            if !tunnelled {
                let fam = Family::of(&rs.ip);
                match af {
                    None => *af = Some(fam),
                    Some(a) if *a != fam => {
                        return gen(
                            d,
                            format!(
                                "Address family of virtual server and real server {} don't match - skipping real server.",
                                rs.ip
                            ),
                        );
                    }
                    _ => {}
                }
            }
            vs.real_servers.push(rs);
        }
        _ => values::unknown(d, n),
    }
}

/// A script keyword that may be given once; keepalived keeps the first and reports the
/// repeat as a config error.
fn set_script_once(slot: &mut Option<Script>, n: &Node, d: &mut Diagnostics) {
    if slot.is_some() {
        d.at(
            ErrorClass::GeneralError,
            &n.loc,
            format!(
                "{} script already specified - ignoring {}",
                n.keyword(),
                n.arg(0).unwrap_or("")
            ),
        );
        return;
    }
    *slot = script::parse(d, n, 0);
}

/// A flag keyword whose argument keepalived ignores.
fn lenient_flag(n: &Node) -> bool {
    n.arg(0).and_then(bool_word).unwrap_or(true)
}

/// `keyword [BOOL]` where an invalid word is a GeneralError with keepalived's message.
fn opt_bool(n: &Node, d: &mut Diagnostics, msg: &str) -> Option<bool> {
    match n.arg(0) {
        None => Some(true),
        Some(s) => match bool_word(s) {
            Some(b) => Some(b),
            None => {
                d.at(ErrorClass::GeneralError, &n.loc, format!("{msg} {s}"));
                None
            }
        },
    }
}

/// The maximum `<TIMER>` keepalived accepts for delays (ULONG_MAX µs).
const TIMER_MAX: f64 = u64::MAX as f64 / 1_000_000.0;
/// The maximum `connect_timeout` (UINT_MAX µs).
const CONNECT_TIMEOUT_MAX: f64 = 4_294.967_295;

/// `retry`, `delay_before_retry`, `warmup`, `connect_timeout`, `delay_loop` at any level;
/// `min_retry` is 1 for virtual/real servers and 0 for checkers.
pub(crate) fn parse_timing(n: &Node, t: &mut Timing, min_retry: i64, d: &mut Diagnostics) {
    if n.keyword() != "retry" && bad_decimal(n, d) {
        return;
    }
    match n.keyword() {
        "retry" => {
            if let Some(v) = values::int_in(d, n, 0, min_retry, u32::MAX.into()) {
                t.retry = u32::try_from(v).ok();
            }
        }
        "delay_loop" => {
            if let Some(v) = values::timer(d, n, 0, 0.000_001, TIMER_MAX) {
                t.delay_loop = Some(v);
            }
        }
        "connect_timeout" => {
            if let Some(v) = values::timer(d, n, 0, 0.000_001, CONNECT_TIMEOUT_MAX) {
                t.connect_timeout = Some(v);
            }
        }
        "delay_before_retry" => {
            if let Some(v) = values::timer(d, n, 0, 0.0, TIMER_MAX) {
                t.delay_before_retry = Some(v);
            }
        }
        "warmup" => {
            if let Some(v) = values::timer(d, n, 0, 0.0, TIMER_MAX) {
                t.warmup = Some(v);
            }
        }
        _ => values::unknown(d, n),
    }
}

/// Report (and return true) when the first argument is not keepalived `<TIMER>` syntax.
pub(crate) fn bad_decimal(n: &Node, d: &mut Diagnostics) -> bool {
    match n.arg(0).filter(|s| !is_decimal(s)) {
        Some(s) => {
            d.at(
                ErrorClass::InvalidNumber,
                &n.loc,
                format!("{}: invalid number '{s}'", n.keyword()),
            );
            true
        }
        None => false,
    }
}

/// keepalived's `<TIMER>` syntax: digits with an optional fraction (no exponent, no
/// `inf`/`nan`, which Rust's float parser would take). A leading `-` is let through so
/// the range check reports it.
pub(crate) fn is_decimal(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    !(int.is_empty() && frac.is_empty())
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// `NAT|DR|TUN [type ipip|gue|gre] [port N] [nocsum|csum|remcsum]`; `what` names the
/// server kind in keepalived's message.
fn parse_forwarding(n: &Node, what: &str, d: &mut Diagnostics) -> Option<Forwarding> {
    let m = values::arg(d, n, 0)?;
    let method = match m {
        "NAT" => LvsMethod::Nat,
        "DR" => LvsMethod::Dr,
        "TUN" => LvsMethod::Tun,
        _ => {
            d.at(
                ErrorClass::GeneralError,
                &n.loc,
                format!("PARSER : unknown [{m}] routing method for {what}."),
            );
            return None;
        }
    };
    let mut f = Forwarding {
        method,
        ..Forwarding::default()
    };
    let args = n.args();
    let mut i = 1;
    let gen = |d: &mut Diagnostics, msg: &str| {
        d.at(ErrorClass::GeneralError, &n.loc, msg.to_string());
    };
    while let Some(a) = args.get(i) {
        match a.as_str() {
            "type" => {
                i += 1;
                f.tun_type = match args.get(i).map(String::as_str) {
                    Some("ipip") => Some(TunType::Ipip),
                    Some("gue") => Some(TunType::Gue),
                    Some("gre") => Some(TunType::Gre),
                    Some(t) => {
                        gen(d, &format!("unknown tunnel type {t}"));
                        return None;
                    }
                    None => {
                        gen(d, "missing tunnel type");
                        return None;
                    }
                };
            }
            "port" => {
                i += 1;
                let p = args.get(i).map(String::as_str).unwrap_or("");
                match values::parse_int_in(d, n, p, 1, 65535) {
                    Some(p) => f.tun_port = u16::try_from(p).ok(),
                    None => return None,
                }
            }
            "nocsum" => f.tun_csum = Some(TunCsum::NoCsum),
            "csum" => f.tun_csum = Some(TunCsum::Csum),
            "remcsum" => f.tun_csum = Some(TunCsum::RemCsum),
            other => {
                gen(d, &format!("Unknown {what} forwarding option {other}"));
                return None;
            }
        }
        i += 1;
    }
    let ty = f.tun_type.unwrap_or(TunType::Ipip);
    if (ty == TunType::Gue) != f.tun_port.is_some() {
        gen(d, "gue tunnels require port, otherwise cannot have port.");
        return None;
    }
    match (ty, f.tun_csum) {
        (TunType::Ipip, Some(TunCsum::Csum | TunCsum::RemCsum)) => {
            gen(d, "ipip tunnels do not support checksum option.");
            return None;
        }
        (TunType::Gre, Some(TunCsum::RemCsum)) => {
            gen(d, "gre tunnels do not support remote checksum option.");
            return None;
        }
        _ => {}
    }
    Some(f)
}

fn parse_rs(node: &Node, d: &mut Diagnostics) -> Option<RealServer> {
    let ip_s = values::arg(d, node, 0)?;
    let bad = |d: &mut Diagnostics| {
        d.at(
            ErrorClass::GeneralError,
            &node.loc,
            format!(
                "Invalid real server ip address/port {ip_s}/{} - skipping",
                node.arg(1).unwrap_or("")
            ),
        );
    };
    let Some(ip) = parse_addr(ip_s) else {
        bad(d);
        return None;
    };
    let port = match node.arg(1) {
        None => None,
        Some(p) => match port_arg(d, node, p) {
            Ok(p) => p,
            Err(()) => {
                bad(d);
                return None;
            }
        },
    };
    let mut rs = RealServer {
        loc: node.loc.clone(),
        ip,
        port,
        weight: None,
        forwarding: None,
        uthreshold: None,
        lthreshold: None,
        inhibit_on_failure: None,
        notify_up: None,
        notify_down: None,
        alpha: None,
        timing: Timing::default(),
        smtp_alert: None,
        virtualhost: None,
        checkers: Vec::new(),
    };
    for n in node.children() {
        parse_rs_keyword(n, &mut rs, d);
    }
    Some(rs)
}

fn parse_rs_keyword(n: &Node, rs: &mut RealServer, d: &mut Diagnostics) {
    let gen = |d: &mut Diagnostics, msg: String| d.at(ErrorClass::GeneralError, &n.loc, msg);
    match n.keyword() {
        "weight" => {
            let Some(s) = values::arg(d, n, 0) else {
                return;
            };
            match s.parse::<i64>() {
                Ok(w) if (0..=i64::from(i32::MAX)).contains(&w) => {
                    rs.weight = u32::try_from(w).ok()
                }
                _ => gen(
                    d,
                    format!("Real server weight {s} is outside range 0-{}", i32::MAX),
                ),
            }
        }
        "lvs_method" => {
            if let Some(f) = parse_forwarding(n, "real server", d) {
                rs.forwarding = Some(f);
            }
        }
        k @ ("uthreshold" | "lthreshold") => {
            let Some(s) = values::arg(d, n, 0) else {
                return;
            };
            match s.parse::<u32>() {
                Ok(v) if k == "uthreshold" => rs.uthreshold = Some(v),
                Ok(v) => rs.lthreshold = Some(v),
                Err(_) => gen(d, format!("Invalid real_server {k} '{s}' - ignoring")),
            }
        }
        "inhibit_on_failure" => {
            if let Some(b) = opt_bool(n, d, "Invalid inhibit_on_failure parameter") {
                rs.inhibit_on_failure = Some(b);
            }
        }
        k @ ("notify_up" | "notify_down") => {
            let slot = if k == "notify_up" {
                &mut rs.notify_up
            } else {
                &mut rs.notify_down
            };
            set_script_once(slot, n, d);
        }
        "alpha" => {
            if let Some(b) = opt_bool(n, d, "Invalid alpha parameter") {
                rs.alpha = Some(b);
            }
        }
        "delay_loop" | "delay_before_retry" | "retry" | "warmup" | "connect_timeout" => {
            parse_timing(n, &mut rs.timing, 1, d)
        }
        "smtp_alert" => {
            if let Some(b) = opt_bool(n, d, "Invalid real_server smtp_alert parameter") {
                rs.smtp_alert = Some(b);
            }
        }
        "virtualhost" => {
            if let Some(s) = values::arg(d, n, 0) {
                rs.virtualhost = Some(s.to_string());
            }
        }
        k if checkers::is_checker(k) => {
            if n.block.is_none() {
                d.at(
                    ErrorClass::MissingBob,
                    &n.loc,
                    format!("{k} requires a '{{' block"),
                );
                return;
            }
            if let Some(c) = checkers::parse(n, rs, d) {
                rs.checkers.push(c);
            }
        }
        _ => values::unknown(d, n),
    }
}

#[cfg(test)]
mod tests;
