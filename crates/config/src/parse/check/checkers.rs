//! Parser for the checker blocks inside `real_server` (TCP_CHECK, HTTP_GET, SSL_GET,
//! MISC_CHECK, SMTP_CHECK, DNS_CHECK, UDP_CHECK, PING_CHECK, FILE_CHECK, BFD_CHECK).
//! Called by `parse::check` for each checker keyword of a real server.

use super::{parse_addr, parse_timing, script};
use crate::diag::{Diagnostics, ErrorClass, Loc};
use crate::model::check::*;
use crate::parse::values::{self, bool_word};
use crate::tree::Node;
use std::net::IpAddr;

/// Is `k` a checker block keyword?
pub fn is_checker(k: &str) -> bool {
    matches!(
        k,
        "TCP_CHECK"
            | "HTTP_GET"
            | "SSL_GET"
            | "MISC_CHECK"
            | "SMTP_CHECK"
            | "DNS_CHECK"
            | "UDP_CHECK"
            | "PING_CHECK"
            | "FILE_CHECK"
            | "BFD_CHECK"
    )
}

fn gen(d: &mut Diagnostics, loc: &Loc, msg: impl Into<String>) {
    d.at(ErrorClass::GeneralError, loc, msg);
}

/// Where a checker block's end is reported: its last line (keepalived reports end-of-block
/// problems at the closing brace, which the tree does not keep).
fn end_loc(node: &Node) -> &Loc {
    node.children().last().map_or(&node.loc, |n| &n.loc)
}

/// Parse one checker block of real server `rs`; `None` when keepalived would drop it.
pub fn parse(node: &Node, rs: &RealServer, d: &mut Diagnostics) -> Option<Checker> {
    let k = node.keyword();
    let mut common = CheckerCommon::default();
    let kind = match k {
        "TCP_CHECK" | "PING_CHECK" => {
            for n in node.children() {
                if !parse_common(n, &mut common, rs, d) {
                    values::unknown(d, n);
                }
            }
            if k == "TCP_CHECK" {
                CheckerKind::Tcp
            } else {
                CheckerKind::Ping
            }
        }
        "HTTP_GET" | "SSL_GET" => {
            let h = parse_http(node, &mut common, rs, d)?;
            if k == "SSL_GET" {
                CheckerKind::Ssl(h)
            } else {
                CheckerKind::Http(h)
            }
        }
        "MISC_CHECK" => CheckerKind::Misc(parse_misc(node, &mut common, d)?),
        "SMTP_CHECK" => {
            let mut s = SmtpCheck::default();
            for n in node.children() {
                match n.keyword() {
                    "helo_name" => {
                        if let Some(v) = values::arg(d, n, 0) {
                            s.helo_name = Some(v.to_string());
                        }
                    }
                    // Deprecated in keepalived's docs, but 2.2.7 accepts it silently.
                    "host" => {
                        let mut h = CheckerCommon::default();
                        for c in n.children() {
                            if !parse_common(c, &mut h, rs, d) {
                                values::unknown(d, c);
                            }
                        }
                        d.notice(
                            Some(&n.loc),
                            "SMTP_CHECK host is deprecated - use a separate SMTP_CHECK per host",
                        );
                        let dst = h.connect_ip.unwrap_or(rs.ip);
                        if is_link_local(&dst) && h.bind_if.is_none() {
                            gen(
                                d,
                                end_loc(n),
                                format!("Checker link local address {dst} requires a bind_if"),
                            );
                        }
                        s.hosts.push(h);
                    }
                    _ => {
                        if !parse_common(n, &mut common, rs, d) {
                            values::unknown(d, n);
                        }
                    }
                }
            }
            CheckerKind::Smtp(s)
        }
        "DNS_CHECK" => {
            let mut s = DnsCheck::default();
            for n in node.children() {
                match n.keyword() {
                    "type" => {
                        let Some(t) = values::arg(d, n, 0) else {
                            continue;
                        };
                        s.qtype = match t.to_ascii_uppercase().as_str() {
                            "A" => DnsType::A,
                            "NS" => DnsType::Ns,
                            "CNAME" => DnsType::Cname,
                            "SOA" => DnsType::Soa,
                            "MX" => DnsType::Mx,
                            "TXT" => DnsType::Txt,
                            "AAAA" => DnsType::Aaaa,
                            _ => {
                                gen(d, &n.loc, format!("Unknown DNS check type {t} - ignoring"));
                                continue;
                            }
                        };
                    }
                    "name" => {
                        let Some(v) = values::arg(d, n, 0) else {
                            continue;
                        };
                        if v != "." && v.split('.').any(str::is_empty) {
                            gen(
                                d,
                                &n.loc,
                                format!("DNS_CHECK name '{v}' has empty label - ignoring"),
                            );
                            continue;
                        }
                        s.name = v.to_string();
                    }
                    _ => {
                        if !parse_common(n, &mut common, rs, d) {
                            values::unknown(d, n);
                        }
                    }
                }
            }
            CheckerKind::Dns(s)
        }
        "UDP_CHECK" => CheckerKind::Udp(parse_udp(node, &mut common, rs, d)),
        "FILE_CHECK" => {
            let mut f = FileCheck::default();
            for n in node.children() {
                match n.keyword() {
                    "track_file" => {
                        if let Some(v) = values::arg(d, n, 0) {
                            f.track_file = Some(v.to_string());
                        }
                    }
                    "weight" => {
                        let Some(w) = values::int_in(d, n, 0, -254, 254) else {
                            continue;
                        };
                        f.weight = i32::try_from(w).ok();
                        match n.arg(1) {
                            None | Some("noreverse") => f.reverse = false,
                            Some("reverse") => f.reverse = true,
                            Some(o) => gen(
                                d,
                                &n.loc,
                                format!("unknown track file weight option {o} - ignoring"),
                            ),
                        }
                    }
                    _ => values::unknown(d, n),
                }
            }
            if f.track_file.is_none() {
                gen(
                    d,
                    end_loc(node),
                    "FILE_CHECK has no track_file specified - ignoring",
                );
                return None;
            }
            CheckerKind::File(f)
        }
        "BFD_CHECK" => {
            let mut b = BfdCheck::default();
            for n in node.children() {
                match n.keyword() {
                    "name" => {
                        if let Some(v) = values::arg(d, n, 0) {
                            b.name = Some(v.to_string());
                        }
                    }
                    "alpha" => common.alpha = Some(n.arg(0).and_then(bool_word).unwrap_or(true)),
                    _ => values::unknown(d, n),
                }
            }
            if b.name.is_none() {
                gen(
                    d,
                    &node.loc,
                    format!(
                        "([{}]:{}) No name has been specified for BFD_CHECKER - skipping",
                        rs.ip,
                        rs.port.unwrap_or(0)
                    ),
                );
                return None;
            }
            CheckerKind::Bfd(b)
        }
        _ => {
            values::unknown(d, node);
            return None;
        }
    };
    let c = Checker {
        loc: node.loc.clone(),
        common,
        kind,
    };
    finish_connection(node, &c, rs, d);
    Some(c)
}

/// End-of-block checks on the connection a checker will make.
fn finish_connection(node: &Node, c: &Checker, rs: &RealServer, d: &mut Diagnostics) {
    if !matches!(
        c.kind,
        CheckerKind::Tcp
            | CheckerKind::Http(_)
            | CheckerKind::Ssl(_)
            | CheckerKind::Smtp(_)
            | CheckerKind::Dns(_)
            | CheckerKind::Udp(_)
            | CheckerKind::Ping
    ) {
        return;
    }
    let dst = c.common.connect_ip.unwrap_or(rs.ip);
    if is_link_local(&dst) && c.common.bind_if.is_none() {
        gen(
            d,
            end_loc(node),
            format!("Checker link local address {dst} requires a bind_if"),
        );
    }
}

fn is_link_local(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V6(a) => (a.segments()[0] & 0xffc0) == 0xfe80,
        IpAddr::V4(_) => false,
    }
}

/// The connection keywords shared by most checkers (`install_checker_common_keywords`).
/// Returns false when `n` is not one of them.
fn parse_common(n: &Node, c: &mut CheckerCommon, rs: &RealServer, d: &mut Diagnostics) -> bool {
    match n.keyword() {
        "connect_ip" => {
            let Some(s) = values::arg(d, n, 0) else {
                return true;
            };
            match parse_addr(s) {
                Some(ip) => c.connect_ip = Some(ip),
                None => gen(
                    d,
                    &n.loc,
                    format!("Invalid connect_ip address {s} - ignoring"),
                ),
            }
        }
        k @ ("connect_port" | "bind_port") => {
            let Some(s) = values::arg(d, n, 0) else {
                return true;
            };
            match values::parse_int_in(d, n, s, 1, 65535) {
                Some(p) => {
                    let p = u16::try_from(p).ok();
                    if k == "connect_port" {
                        c.connect_port = p;
                    } else {
                        c.bind_port = p;
                    }
                }
                None => gen(d, &n.loc, format!("Invalid checker {k} '{s}'")),
            }
        }
        "bindto" => {
            let Some(s) = values::arg(d, n, 0) else {
                return true;
            };
            let Some(ip) = parse_addr(s) else {
                gen(d, &n.loc, format!("Invalid bindto address {s} - ignoring"));
                return true;
            };
            let dst = c.connect_ip.unwrap_or(rs.ip);
            if dst.is_ipv4() != ip.is_ipv4() {
                gen(
                    d,
                    &n.loc,
                    format!(
                        "bindto address {s} does not match address family of connect_ip - skipping"
                    ),
                );
                return true;
            }
            c.bindto = Some(ip);
        }
        "bind_if" => {
            if let Some(s) = values::arg(d, n, 0) {
                c.bind_if = Some(s.to_string());
            }
        }
        "fwmark" => {
            if let Some(v) = values::int_in(d, n, 0, 0, u32::MAX.into()) {
                c.fwmark = u32::try_from(v).ok();
            }
        }
        "alpha" => c.alpha = Some(n.arg(0).and_then(bool_word).unwrap_or(true)),
        "log_all_failures" => match n.arg(0) {
            None => c.log_all_failures = Some(true),
            Some(s) => match bool_word(s) {
                Some(b) => c.log_all_failures = Some(b),
                None => gen(d, &n.loc, format!("Invalid log_all_failures parameter {s}")),
            },
        },
        "connect_timeout" | "retry" | "delay_before_retry" | "warmup" | "delay_loop" => {
            parse_timing(n, &mut c.timing, 0, d)
        }
        _ => return false,
    }
    true
}

/// The subset of common keywords MISC_CHECK accepts (no connection, no connect_timeout).
fn parse_timing_only(n: &Node, c: &mut CheckerCommon, d: &mut Diagnostics) -> bool {
    match n.keyword() {
        "retry" | "delay_before_retry" | "warmup" | "delay_loop" => {
            parse_timing(n, &mut c.timing, 0, d)
        }
        "alpha" => c.alpha = Some(n.arg(0).and_then(bool_word).unwrap_or(true)),
        "log_all_failures" => {
            c.log_all_failures = Some(n.arg(0).and_then(bool_word).unwrap_or(true))
        }
        _ => return false,
    }
    true
}

fn parse_http(
    node: &Node,
    common: &mut CheckerCommon,
    rs: &RealServer,
    d: &mut Diagnostics,
) -> Option<HttpCheck> {
    let mut h = HttpCheck::default();
    for n in node.children() {
        match n.keyword() {
            "nb_get_retry" => {
                values::deprecated(d, n, "retry");
                if let Some(v) = values::int_in(d, n, 0, 0, u32::MAX.into()) {
                    common.timing.retry = u32::try_from(v).ok();
                }
            }
            "virtualhost" => {
                if let Some(v) = values::arg(d, n, 0) {
                    h.virtualhost = Some(v.to_string());
                }
            }
            "http_protocol" => {
                let Some(v) = values::arg(d, n, 0) else {
                    continue;
                };
                h.http_protocol = match v {
                    "1.0" => HttpProtocol::Http10,
                    "1.0C" | "1.0c" => HttpProtocol::Http10C,
                    "1.1" => HttpProtocol::Http11,
                    _ => {
                        gen(d, &n.loc, format!("Invalid http_protocol version {v}"));
                        continue;
                    }
                };
            }
            "enable_sni" => h.enable_sni = n.arg(0).and_then(bool_word).unwrap_or(true),
            "fast_recovery" => h.fast_recovery = n.arg(0).and_then(bool_word).unwrap_or(true),
            "url" => {
                if n.block.is_none() {
                    d.at(ErrorClass::MissingBob, &n.loc, "url requires a '{' block");
                    continue;
                }
                if let Some(u) = parse_url(n, d) {
                    h.urls.push(u);
                }
            }
            _ => {
                if !parse_common(n, common, rs, d) {
                    values::unknown(d, n);
                }
            }
        }
    }
    if h.urls.is_empty() {
        // keepalived 2.2.7 crashes on this (exit 139); we report it as it intends.
        gen(
            d,
            end_loc(node),
            "HTTP/SSL_GET checker has no urls specified - ignoring",
        );
        return None;
    }
    Some(h)
}

fn parse_url(node: &Node, d: &mut Diagnostics) -> Option<Url> {
    let mut u = Url {
        loc: Some(node.loc.clone()),
        ..Url::default()
    };
    for n in node.children() {
        match n.keyword() {
            "path" => {
                if let Some(v) = values::arg(d, n, 0) {
                    u.path = Some(v.to_string());
                }
            }
            "digest" => {
                let Some(v) = values::arg(d, n, 0) else {
                    continue;
                };
                if u.digest.is_some() {
                    gen(d, &n.loc, format!("Digest '{v}' is a duplicate"));
                } else if v.len() != 32 {
                    gen(
                        d,
                        &n.loc,
                        format!(
                            "digest '{v}' character length should be 32 rather than {}",
                            v.len()
                        ),
                    );
                } else if !v.bytes().all(|b| b.is_ascii_hexdigit()) {
                    gen(d, &n.loc, format!("digest '{v}' is not a valid hex string"));
                } else {
                    u.digest = Some(v.to_ascii_lowercase());
                }
            }
            "status_code" => {
                for s in n.args() {
                    match parse_status(s) {
                        Some(r) => u.status_codes.push(r),
                        None => gen(d, &n.loc, format!("Invalid HTTP_GET status code '{s}'")),
                    }
                }
            }
            "virtualhost" => {
                if let Some(v) = values::arg(d, n, 0) {
                    u.virtualhost = Some(v.to_string());
                }
            }
            "regex" => {
                if let Some(v) = values::arg(d, n, 0) {
                    u.regex = Some(v.to_string());
                }
            }
            "regex_no_match" => u.regex_no_match = true,
            "regex_options" => u.regex_options = n.args().to_vec(),
            "regex_stack" => {
                if let Some(v) = values::int_in(d, n, 0, 0, u32::MAX.into()) {
                    u.regex_stack = u32::try_from(v).ok();
                }
            }
            k @ ("regex_min_offset" | "regex_max_offset") => {
                if let Some(v) = values::int_in(d, n, 0, 0, u32::MAX.into()) {
                    let v = u32::try_from(v).ok();
                    if k == "regex_min_offset" {
                        u.regex_min_offset = v;
                    } else {
                        u.regex_max_offset = v;
                    }
                }
            }
            _ => values::unknown(d, n),
        }
    }
    if u.path.is_none() {
        gen(
            d,
            node.children().last().map_or(&node.loc, |n| &n.loc),
            "HTTP/SSL_GET checker url has no path - ignoring",
        );
        return None;
    }
    Some(u)
}

/// `NNN` or `NNN-MMM` with 100 <= NNN <= MMM <= 599.
fn parse_status(s: &str) -> Option<StatusRange> {
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let first: u16 = a.parse().ok()?;
    let last: u16 = b.parse().ok()?;
    ((100..=599).contains(&first) && (100..=599).contains(&last) && first <= last)
        .then_some(StatusRange { first, last })
}

fn parse_misc(node: &Node, common: &mut CheckerCommon, d: &mut Diagnostics) -> Option<MiscCheck> {
    let mut m = MiscCheck::default();
    for n in node.children() {
        match n.keyword() {
            "misc_path" => {
                if m.path.is_some() {
                    d.notice(
                        Some(&n.loc),
                        "MISC_CHECK misc_path already specified - replacing",
                    );
                }
                m.path = script::parse(d, n, 0);
            }
            "misc_timeout" => {
                if super::bad_decimal(n, d) {
                    continue;
                }
                if let Some(v) = values::timer(d, n, 0, 0.0, 4_294.967_295) {
                    m.timeout = Some(v);
                }
            }
            "misc_dynamic" => m.dynamic = n.arg(0).and_then(bool_word).unwrap_or(true),
            "user" => {
                if let Some(u) = values::arg(d, n, 0) {
                    m.user = Some(u.to_string());
                    m.group = n.arg(1).map(str::to_string);
                }
            }
            _ => {
                if !parse_timing_only(n, common, d) {
                    values::unknown(d, n);
                }
            }
        }
    }
    if m.path.is_none() {
        gen(
            d,
            end_loc(node),
            "No script path has been specified for MISC_CHECKER - skipping",
        );
        return None;
    }
    // The script runs as `user` when given (keepalived stores it with the script).
    if let (Some(p), Some(u)) = (m.path.as_mut(), m.user.as_ref()) {
        p.user = Some(u.clone());
        p.group.clone_from(&m.group);
    }
    Some(m)
}

/// Hex bytes as UDP_CHECK takes them (`payload`, `require_reply`).
/// keepalived 2.2.7 accepts an odd number of digits (the first byte then has one digit)
/// and no `0x` prefix.
pub(crate) fn parse_hex(s: &str) -> Option<Vec<u8>> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let padded;
    let s = if s.len().is_multiple_of(2) {
        s
    } else {
        padded = format!("0{s}");
        padded.as_str()
    };
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
        .collect()
}

fn parse_udp(
    node: &Node,
    common: &mut CheckerCommon,
    rs: &RealServer,
    d: &mut Diagnostics,
) -> UdpCheck {
    let mut u = UdpCheck::default();
    for n in node.children() {
        match n.keyword() {
            "payload" => {
                if values::arg(d, n, 0).is_none() {
                    continue;
                }
                // keepalived joins the words of the payload line.
                match parse_hex(&n.args().concat()) {
                    Some(b) => u.payload = Some(b),
                    None => gen(d, &n.loc, "Invalid hex string for UDP_CHECK payload"),
                }
            }
            "require_reply" => {
                u.require_reply = true;
                if n.arg(0).is_some() {
                    match parse_hex(&n.args().concat()) {
                        Some(b) => u.reply_data = Some(b),
                        None => gen(d, &n.loc, "Invalid hex string for UDP_CHECK reply"),
                    }
                }
            }
            k @ ("min_reply_length" | "max_reply_length") => {
                if let Some(v) = values::int_in(d, n, 0, 0, 65535) {
                    let v = u32::try_from(v).ok();
                    if k == "min_reply_length" {
                        u.min_reply_length = v;
                    } else {
                        u.max_reply_length = v;
                    }
                }
            }
            _ => {
                if !parse_common(n, common, rs, d) {
                    values::unknown(d, n);
                }
            }
        }
    }
    if let (Some(min), Some(max)) = (u.min_reply_length, u.max_reply_length) {
        if min > max {
            gen(
                d,
                end_loc(node),
                format!(
                    "UDP_CHECK min_reply length {min} > max_reply_length {max} - will always fail"
                ),
            );
        }
    }
    u
}
