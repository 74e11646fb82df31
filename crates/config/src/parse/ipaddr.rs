//! Parsers for the lines of address, route and rule value blocks (`virtual_ipaddress`,
//! `static_ipaddress`, `virtual_routes`, `static_routes`, `virtual_rules`, `static_rules`),
//! following keepalived's `vrrp_ipaddress.c`, `vrrp_iproute.c` and `vrrp_iprule.c`.
//! Called by `parse::vrrp` for instances and the static blocks.

use crate::diag::{Diagnostics, ErrorClass};
use crate::model::vrrp::{Broadcast, Family, IpAddress, NextHop, Route, Rule};
use crate::tree::Node;
use std::net::IpAddr;

/// Parse `ADDR[/LEN]` with keepalived's rules; `None` when invalid.
pub fn parse_prefix(s: &str) -> Option<(IpAddr, u8)> {
    let (a, len) = match s.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (s, None),
    };
    let addr: IpAddr = a.parse().ok()?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let len = match len {
        Some(l) => {
            let v: u8 = l.parse().ok()?;
            if v > max {
                return None;
            }
            v
        }
        None => max,
    };
    Some((addr, len))
}

fn invalid_ip(d: &mut Diagnostics, node: &Node, s: &str) {
    d.at(
        ErrorClass::GeneralError,
        &node.loc,
        format!("VRRP parsed invalid IP {s}. skipping IP..."),
    );
}

/// One address line (keepalived 2.2.7 has no address ranges here: `10.0.0.1-5` is invalid,
/// so the result has at most one address). `allow_vmac` is true
/// for VIPs (where `use_vmac` is accepted), `allow_track_group` for static addresses.
pub fn parse_address(
    d: &mut Diagnostics,
    node: &Node,
    allow_vmac: bool,
    allow_track_group: bool,
) -> Vec<IpAddress> {
    let first = node.keyword();
    let addrs: Vec<(IpAddr, u8)> = match parse_prefix(first) {
        Some(p) => vec![p],
        None => {
            invalid_ip(d, node, first);
            return Vec::new();
        }
    };
    let Some(&(a0, p0)) = addrs.first() else {
        return Vec::new();
    };
    let mut ip = IpAddress {
        addr: a0,
        prefix: p0,
        dev: None,
        scope: None,
        broadcast: None,
        label: None,
        peer: None,
        home: false,
        nodad: false,
        mngtmpaddr: false,
        noprefixroute: false,
        autojoin: false,
        no_track: false,
        preferred_lft: None,
        use_vmac: false,
        track_group: None,
        loc: node.loc.clone(),
    };
    let words = node.args();
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        let next = words.get(i + 1).map(String::as_str);
        // keepalived drops the whole address when an option lacks its value.
        if next.is_none()
            && matches!(
                w,
                "dev" | "scope" | "broadcast" | "brd" | "label" | "peer" | "preferred_lft"
            )
            || (w == "track_group" && allow_track_group && next.is_none())
        {
            d.at(
                ErrorClass::GeneralError,
                &node.loc,
                format!("No {w} parameter specified for {first}"),
            );
            return Vec::new();
        }
        let need = |_d: &mut Diagnostics| -> Option<String> { next.map(str::to_string) };
        match w {
            "dev" => {
                ip.dev = need(d);
                i += 1;
            }
            "scope" => {
                if let Some(v) = need(d) {
                    if !is_scope(&v) {
                        d.at(
                            ErrorClass::GeneralError,
                            &node.loc,
                            format!(
                                "Invalid scope '{v}' specified for {first} - setting to global"
                            ),
                        );
                    } else {
                        ip.scope = Some(v);
                    }
                }
                i += 1;
            }
            "broadcast" | "brd" => {
                if let Some(v) = need(d) {
                    ip.broadcast = match v.as_str() {
                        "+" => Some(Broadcast::Plus),
                        "-" => Some(Broadcast::Minus),
                        s => match s.parse::<IpAddr>() {
                            Ok(b) if b.is_ipv4() && a0.is_ipv4() => Some(Broadcast::Addr(b)),
                            _ => {
                                d.at(
                                    ErrorClass::GeneralError,
                                    &node.loc,
                                    format!("Invalid broadcast address {s} for {first} - ignoring"),
                                );
                                None
                            }
                        },
                    };
                }
                i += 1;
            }
            "label" => {
                if let Some(v) = need(d) {
                    if v.len() >= 16 {
                        d.at(
                            ErrorClass::GeneralError,
                            &node.loc,
                            format!("Label {v} for {first} is too long - ignoring"),
                        );
                    } else {
                        ip.label = Some(v);
                    }
                }
                i += 1;
            }
            "peer" => {
                if let Some(v) = need(d) {
                    // Only a bare address: keepalived rejects `peer A/LEN`.
                    match v.parse::<IpAddr>() {
                        Ok(p) if Family::of(&p) == Family::of(&a0) => {
                            let len = if p.is_ipv4() { 32 } else { 128 };
                            ip.peer = Some((p, len));
                        }
                        _ => {
                            invalid_ip(d, node, &v);
                            d.at(
                                ErrorClass::GeneralError,
                                &node.loc,
                                format!("Invalid peer address {v}"),
                            );
                        }
                    }
                }
                i += 1;
            }
            "home" => ip.home = true,
            "-nodad" => ip.nodad = true,
            "mngtmpaddr" => ip.mngtmpaddr = true,
            "noprefixroute" => ip.noprefixroute = true,
            "autojoin" => ip.autojoin = true,
            "no_track" => ip.no_track = true,
            "preferred_lft" => {
                if let Some(v) = need(d) {
                    if v == "forever" {
                        ip.preferred_lft = None;
                    } else {
                        match v.parse::<u32>() {
                            Ok(n) => ip.preferred_lft = Some(n),
                            Err(_) => d.at(
                                ErrorClass::InvalidNumber,
                                &node.loc,
                                format!("Invalid preferred_lft value '{v}' for {first}"),
                            ),
                        }
                    }
                }
                i += 1;
            }
            "use_vmac" if allow_vmac => ip.use_vmac = true,
            "track_group" if allow_track_group => {
                ip.track_group = need(d);
                i += 1;
            }
            _ => d.at(
                ErrorClass::GeneralError,
                &node.loc,
                format!("Unknown configuration entry '{w}' for ip address - ignoring"),
            ),
        }
        i += 1;
    }
    addrs
        .into_iter()
        .map(|(a, p)| IpAddress {
            addr: a,
            prefix: p,
            ..ip.clone()
        })
        .collect()
}

/// Table names known without reading `/etc/iproute2/rt_tables`, or a number.
fn is_table(s: &str) -> bool {
    matches!(s, "main" | "local" | "default" | "unspec") || s.parse::<u32>().is_ok()
}

/// Whether the route's destination (first address-like word) is IPv6.
fn v6_dst(words: &[String]) -> bool {
    words
        .iter()
        .find_map(|w| parse_prefix(w))
        .is_some_and(|(a, _)| a.is_ipv6())
}

fn is_scope(s: &str) -> bool {
    matches!(s, "global" | "site" | "link" | "host" | "nowhere") || s.parse::<u8>().is_ok()
}

const ROUTE_TYPES: &[&str] = &[
    "unicast",
    "blackhole",
    "unreachable",
    "prohibit",
    "throw",
    "local",
    "broadcast",
    "anycast",
    "multicast",
    "nat",
];

/// `ip route` options that take one value and that we keep as written.
const ROUTE_OPTS_1: &[&str] = &[
    "tos",
    "dsfield",
    "realms",
    "advmss",
    "rtt",
    "rttvar",
    "reordering",
    "window",
    "cwnd",
    "ssthresh",
    "initcwnd",
    "initrwnd",
    "features",
    "quickack",
    "congctl",
    "rto_min",
    "pref",
    "fastopen_no_cookie",
    "ttl-propagate",
    "hoplimit",
    "expires",
    "encap",
];
const ROUTE_FLAGS: &[&str] = &["onlink", "pervasive", "inet", "inet6"];

/// The value after word `i` of a route or rule line (`what`: "Route" or "Rule"); a missing
/// value aborts the line with keepalived's message.
fn keyword_value(d: &mut Diagnostics, node: &Node, what: &str, i: usize) -> Option<String> {
    let words = &node.words;
    match words.get(i + 1) {
        Some(v) => Some(v.clone()),
        None => {
            d.at(
                ErrorClass::Abort,
                &node.loc,
                format!(
                    "{what} keyword '{}' requires a value",
                    words.get(i).map_or("", String::as_str)
                ),
            );
            None
        }
    }
}

/// The gateway after `via` at word `*i` (an `inet`/`inet6` family word is skipped);
/// advances `*i` to the address. `None` (logged) when missing or invalid.
fn gateway_value(d: &mut Diagnostics, node: &Node, i: &mut usize) -> Option<IpAddr> {
    let mut v = keyword_value(d, node, "Route", *i)?;
    if v == "inet" || v == "inet6" {
        *i += 1;
        v = keyword_value(d, node, "Route", *i)?;
    }
    match v.parse::<IpAddr>() {
        Ok(a) => {
            *i += 1;
            Some(a)
        }
        Err(_) => {
            invalid_ip(d, node, &v);
            None
        }
    }
}

/// One `virtual_routes`/`static_routes` line. Deprecated `gw`/`or` are accepted with
/// keepalived's messages.
pub fn parse_route(d: &mut Diagnostics, node: &Node, allow_track_group: bool) -> Option<Route> {
    let words = &node.words;
    let mut r = Route::unicast(IpAddr::from([0u8, 0, 0, 0]), 0, node.loc.clone());
    let mut have_dst = false;
    let mut i = 0;
    let val = |d: &mut Diagnostics, i: usize| keyword_value(d, node, "Route", i);
    while i < words.len() {
        let w = words[i].as_str();
        match w {
            "src" | "from" => {
                let v = val(d, i)?;
                match v.parse::<IpAddr>() {
                    Ok(a) => r.src = Some(a),
                    Err(_) => {
                        invalid_ip(d, node, &v);
                        return None;
                    }
                }
                i += 1;
            }
            "via" | "gw" => {
                if w == "gw" {
                    d.at(
                        ErrorClass::Deprecated,
                        &node.loc,
                        "\"gw\" for routes is deprecated. Please use \"via\"",
                    );
                }
                r.via = Some(gateway_value(d, node, &mut i)?);
            }
            "or" => {
                d.at(
                    ErrorClass::Deprecated,
                    &node.loc,
                    "\"or\" for routes is deprecated. Please use \"nexthop\"",
                );
                let v = val(d, i)?;
                match v.parse::<IpAddr>() {
                    Ok(a) => r.nexthops.push(NextHop {
                        via: Some(a),
                        ..NextHop::default()
                    }),
                    Err(_) => {
                        invalid_ip(d, node, &v);
                        return None;
                    }
                }
                i += 1;
            }
            "dev" | "oif" => {
                r.dev = Some(val(d, i)?);
                i += 1;
            }
            "table" => {
                let t = val(d, i)?;
                if !is_table(&t) {
                    d.at(
                        ErrorClass::GeneralError,
                        &node.loc,
                        format!("Routing table {t} not found for route"),
                    );
                    return None;
                }
                r.table = Some(t);
                i += 1;
            }
            "metric" | "priority" | "preference" => {
                let v = val(d, i)?;
                match v.parse::<u32>() {
                    Ok(n) => r.metric = Some(n),
                    Err(_) => {
                        d.at(
                            ErrorClass::InvalidNumber,
                            &node.loc,
                            format!("Invalid metric {v}"),
                        );
                        return None;
                    }
                }
                i += 1;
            }
            "scope" => {
                let v = val(d, i)?;
                if !is_scope(&v) {
                    d.at(
                        ErrorClass::GeneralError,
                        &node.loc,
                        format!("Invalid route scope {v}"),
                    );
                    return None;
                }
                r.scope = Some(v);
                i += 1;
            }
            "protocol" => {
                r.protocol = Some(val(d, i)?);
                i += 1;
            }
            "nexthop" => {
                let mut nh = NextHop::default();
                i += 1;
                while i < words.len() {
                    match words[i].as_str() {
                        "via" => {
                            nh.via = Some(gateway_value(d, node, &mut i)?);
                        }
                        "dev" => {
                            nh.dev = Some(val(d, i)?);
                            i += 1;
                        }
                        "weight" => {
                            let v = val(d, i)?;
                            match v.parse::<u32>() {
                                Ok(n) if (1..=256).contains(&n) => nh.weight = Some(n),
                                _ => {
                                    d.at(
                                        ErrorClass::InvalidNumber,
                                        &node.loc,
                                        format!("Invalid nexthop weight {v}"),
                                    );
                                    return None;
                                }
                            }
                            i += 1;
                        }
                        "onlink" => nh.onlink = true,
                        "realms" | "encap" => i += 1,
                        _ => break,
                    }
                    i += 1;
                }
                r.nexthops.push(nh);
                continue;
            }
            "no_track" => r.no_track = true,
            "track_group" if allow_track_group => {
                r.track_group = Some(val(d, i)?);
                i += 1;
            }
            "mtu" => {
                let mut v = val(d, i)?;
                if v == "lock" {
                    i += 1;
                    v = val(d, i)?;
                }
                r.options.push(format!("mtu {v}"));
                i += 1;
            }
            "expires" | "pref" if !v6_dst(words) => {
                d.at(
                    ErrorClass::GeneralError,
                    &node.loc,
                    format!("{w} is only valid for IPv6"),
                );
                return None;
            }
            _ if ROUTE_OPTS_1.contains(&w) => {
                let mut v = val(d, i)?;
                if v == "lock" {
                    i += 1;
                    v = format!("lock {}", val(d, i)?);
                }
                r.options.push(format!("{w} {v}"));
                i += 1;
            }
            _ if ROUTE_FLAGS.contains(&w) => r.options.push(w.to_string()),
            _ if !have_dst && ROUTE_TYPES.contains(&w) && i + 1 < words.len() => {
                r.kind = w.to_string();
            }
            _ if !have_dst => {
                let target = if w == "to" {
                    i += 1;
                    val(d, i - 1)?
                } else {
                    w.to_string()
                };
                let p = if target == "default" {
                    Some((IpAddr::from([0u8, 0, 0, 0]), 0))
                } else {
                    parse_prefix(&target)
                };
                match p {
                    Some((a, l)) => {
                        r.dst = a;
                        r.dst_len = l;
                        have_dst = true;
                    }
                    None => {
                        invalid_ip(d, node, &target);
                        return None;
                    }
                }
            }
            _ => {
                d.at(
                    ErrorClass::GeneralError,
                    &node.loc,
                    format!("Unknown route keyword {w} - ignoring"),
                );
            }
        }
        i += 1;
    }
    if !have_dst {
        d.at(
            ErrorClass::GeneralError,
            &node.loc,
            "Route has no destination - ignoring",
        );
        return None;
    }
    Some(r)
}

/// Preferences keepalived assigns to rules that have none: 16384 downwards.
#[derive(Debug)]
pub struct RulePrefs {
    next: u32,
}

impl RulePrefs {
    /// The counter after `n` rules have been given a preference.
    pub fn after(n: usize) -> Self {
        RulePrefs {
            next: 16384u32.saturating_sub(u32::try_from(n).unwrap_or(u32::MAX)),
        }
    }
}

impl Default for RulePrefs {
    fn default() -> Self {
        RulePrefs { next: 16384 }
    }
}

const RULE_ACTIONS: &[&str] = &["blackhole", "unreachable", "prohibit"];
const RULE_OPTS_1: &[&str] = &[
    "tos",
    "dsfield",
    "realms",
    "suppress_prefixlength",
    "suppress_ifgroup",
    "uidrange",
    "ipproto",
    "tun_id",
];

/// One `virtual_rules`/`static_rules` line.
pub fn parse_rule(
    d: &mut Diagnostics,
    node: &Node,
    prefs: &mut RulePrefs,
    allow_track_group: bool,
) -> Option<Rule> {
    let words = &node.words;
    let mut r = Rule::new(node.loc.clone());
    let mut have_pref = false;
    let mut l3mdev = false;
    let val = |d: &mut Diagnostics, i: usize| keyword_value(d, node, "Rule", i);
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        match w {
            "inet" => r.family = Some(Family::Inet),
            "inet6" => r.family = Some(Family::Inet6),
            "not" => r.invert = true,
            "from" | "to" => {
                let v = val(d, i)?;
                let p = if v == "all" {
                    None
                } else {
                    match parse_prefix(&v) {
                        Some(p) => Some(p),
                        None => {
                            invalid_ip(d, node, &v);
                            d.at(
                                ErrorClass::GeneralError,
                                &node.loc,
                                format!("Invalid rule {w} address {v}"),
                            );
                            return None;
                        }
                    }
                };
                if let Some(p) = p {
                    let fam = Family::of(&p.0);
                    if r.family.is_some_and(|f| f != fam) {
                        d.at(
                            ErrorClass::GeneralError,
                            &node.loc,
                            format!("Rule address {v} has a different family - ignoring rule"),
                        );
                        return None;
                    }
                    r.family = Some(fam);
                }
                if w == "from" {
                    r.from = p;
                } else {
                    r.to = p;
                }
                i += 1;
            }
            "priority" | "preference" | "order" => {
                let v = val(d, i)?;
                match v.parse::<u32>() {
                    Ok(n) => {
                        r.preference = n;
                        have_pref = true;
                    }
                    Err(_) => {
                        d.at(
                            ErrorClass::InvalidNumber,
                            &node.loc,
                            format!("Invalid rule preference {v}"),
                        );
                        return None;
                    }
                }
                i += 1;
            }
            "table" | "lookup" => {
                r.table = Some(val(d, i)?);
                i += 1;
            }
            "goto" => {
                r.action = Some(format!("goto {}", val(d, i)?));
                i += 1;
            }
            "fwmark" => {
                r.fwmark = Some(val(d, i)?);
                i += 1;
            }
            "iif" | "dev" => {
                r.iif = Some(val(d, i)?);
                i += 1;
            }
            "oif" => {
                r.oif = Some(val(d, i)?);
                i += 1;
            }
            "l3mdev" => {
                r.options.push(w.to_string());
                l3mdev = true;
            }
            "sport" | "dport" => {
                let v = val(d, i)?;
                let ok = v
                    .split_once('-')
                    .is_some_and(|(a, b)| a.parse::<u16>().is_ok() && b.parse::<u16>().is_ok());
                if !ok {
                    d.at(
                        ErrorClass::GeneralError,
                        &node.loc,
                        format!("invalid {w} range {v}"),
                    );
                    return None;
                }
                r.options.push(format!("{w} {v}"));
                i += 1;
            }
            "protocol" => {
                let v = val(d, i)?;
                if v.parse::<u8>().is_err() {
                    d.at(
                        ErrorClass::InvalidNumber,
                        &node.loc,
                        format!("invalid number '{v}'"),
                    );
                    d.at(
                        ErrorClass::GeneralError,
                        &node.loc,
                        format!("Invalid protocol {v}"),
                    );
                    return None;
                }
                r.options.push(format!("{w} {v}"));
                i += 1;
            }
            "no_track" => r.no_track = true,
            "track_group" if allow_track_group => {
                r.track_group = Some(val(d, i)?);
                i += 1;
            }
            "nat" => {
                // Linux dropped rule NAT; keepalived rejects it.
                d.at(
                    ErrorClass::GeneralError,
                    &node.loc,
                    "Invalid rule action nat",
                );
                return None;
            }
            _ if RULE_ACTIONS.contains(&w) => r.action = Some(w.to_string()),
            _ if RULE_OPTS_1.contains(&w) => {
                let v = val(d, i)?;
                r.options.push(format!("{w} {v}"));
                i += 1;
            }
            _ => {
                d.at(
                    ErrorClass::GeneralError,
                    &node.loc,
                    format!("Unknown rule option {w} - ignoring rule"),
                );
                return None;
            }
        }
        i += 1;
    }
    let has_action = r.table.is_some() || r.action.is_some();
    if l3mdev && has_action {
        d.at(
            ErrorClass::GeneralError,
            &node.loc,
            "Cannot specify l3mdev with other action",
        );
        return None;
    }
    if !l3mdev && !has_action {
        d.at(
            ErrorClass::GeneralError,
            &node.loc,
            "No action specified for rule - ignoring",
        );
        return None;
    }
    if !have_pref {
        r.preference = prefs.next;
        r.preference_assigned = true;
        d.at(
            ErrorClass::Warning,
            &node.loc,
            format!(
                "Rule has no preference specified - setting to {}. This is probably not what you want.",
                prefs.next
            ),
        );
        prefs.next = prefs.next.saturating_sub(1);
    }
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Loc;

    fn node(line: &str) -> Node {
        Node {
            loc: Loc::new("t.conf", 4),
            words: line.split_whitespace().map(str::to_string).collect(),
            block: None,
        }
    }

    #[test]
    fn address_with_options() {
        let mut d = Diagnostics::new();
        let v = parse_address(
            &mut d,
            &node("192.168.1.10/24 dev eth1 scope link brd + label eth1:1 -nodad no_track"),
            true,
            false,
        );
        assert!(d.items.is_empty(), "{:?}", d.items);
        assert_eq!(v.len(), 1);
        let a = &v[0];
        assert_eq!(a.addr.to_string(), "192.168.1.10");
        assert_eq!(a.prefix, 24);
        assert_eq!(a.dev.as_deref(), Some("eth1"));
        assert_eq!(a.scope.as_deref(), Some("link"));
        assert_eq!(a.broadcast, Some(Broadcast::Plus));
        assert_eq!(a.label.as_deref(), Some("eth1:1"));
        assert!(a.nodad && a.no_track);
    }

    #[test]
    fn address_range_and_invalid() {
        let mut d = Diagnostics::new();
        assert!(parse_address(&mut d, &node("10.0.0.300"), true, false).is_empty());
        assert_eq!(
            d.items[0].to_string(),
            "t.conf:4: error: VRRP parsed invalid IP 10.0.0.300. skipping IP..."
        );
        // keepalived 2.2.7 has no VIP ranges.
        assert!(parse_address(&mut d, &node("10.0.0.1-3"), true, false).is_empty());
        assert_eq!(d.items.len(), 2);
        // use_vmac is for VIPs only
        parse_address(&mut d, &node("10.0.0.1 use_vmac"), false, false);
        assert_eq!(d.items.len(), 3);
        // peer takes a bare address
        parse_address(&mut d, &node("10.0.0.1 peer 10.0.0.2/32"), true, false);
        assert!(d.items[4].msg.contains("Invalid peer address 10.0.0.2/32"));
    }

    #[test]
    fn routes() {
        let mut d = Diagnostics::new();
        let r = parse_route(
            &mut d,
            &node("src 192.168.100.1 192.168.109.0/24 via 192.168.200.254 dev eth1"),
            false,
        )
        .unwrap_or_else(|| panic!("{:?}", d.items));
        assert_eq!(r.dst_len, 24);
        assert_eq!(r.dev.as_deref(), Some("eth1"));
        assert_eq!(
            r.src.map(|a| a.to_string()).as_deref(),
            Some("192.168.100.1")
        );
        let r = parse_route(&mut d, &node("blackhole 192.168.113.1/32"), false);
        assert_eq!(r.map(|r| r.kind), Some("blackhole".to_string()));
        assert!(d.items.is_empty());
        let r = parse_route(&mut d, &node("0.0.0.0/0 gw 192.168.0.1 table 100"), false);
        assert_eq!(r.and_then(|r| r.table), Some("100".to_string()));
        assert_eq!(d.items[0].class, Some(ErrorClass::Deprecated));
        let r = parse_route(&mut d, &node("10.0.0.0/8 via 10.1.1.1 or 10.1.1.2"), false);
        assert_eq!(r.map(|r| r.nexthops.len()), Some(1));
        assert!(parse_route(&mut d, &node("10.0.0./8 dev eth0"), false).is_none());
        let n = d.items.len();
        assert!(parse_route(&mut d, &node("10.1.0.0/16 dev eth0 table foo"), false).is_none());
        assert!(d.items[n].msg.contains("Routing table foo not found"));
        assert!(parse_route(&mut d, &node("10.1.0.0/16 dev eth0 pref high"), false).is_none());
        assert!(parse_route(&mut d, &node("2001:db8::/32 dev eth0 pref high"), false).is_some());
        let r = parse_route(
            &mut d,
            &node("10.1.0.0/16 dev eth0 congctl lock cubic"),
            false,
        );
        assert_eq!(
            r.map(|r| r.options),
            Some(vec!["congctl lock cubic".to_string()])
        );
    }

    #[test]
    fn truncated_lines_do_not_panic() {
        let mut d = Diagnostics::new();
        let mut p = RulePrefs::default();
        for line in [
            "",
            "to",
            "via",
            "gw",
            "or",
            "nexthop",
            "nexthop via",
            "10.0.0.0/8 nexthop via inet",
            "10.0.0.0/8 mtu",
            "10.0.0.0/8 mtu lock",
            "10.0.0.0/8 congctl lock",
            "blackhole",
            "10.0.0.0/8 dev",
            "from",
            "not",
            "10.0.0.1 dev",
            "10.0.0.1 peer",
            "10.0.0.1 brd",
            "fe80::1 preferred_lft",
            "from all table",
            "from all sport",
            "10.0.0.0/8 table",
        ] {
            let n = node(line);
            let _ = parse_address(&mut d, &n, true, true);
            let _ = parse_route(&mut d, &n, true);
            let _ = parse_rule(&mut d, &n, &mut p, true);
        }
        assert!(d.exit_code() != 0);
    }

    #[test]
    fn rules_preference_counts_down() {
        let mut d = Diagnostics::new();
        let mut p = RulePrefs::default();
        let r = parse_rule(
            &mut d,
            &node("from 192.168.100.0/24 table 1"),
            &mut p,
            false,
        );
        assert_eq!(r.map(|r| r.preference), Some(16384));
        let r = parse_rule(&mut d, &node("to 10.0.0.0/8 lookup 2"), &mut p, false);
        assert_eq!(r.map(|r| r.preference), Some(16383));
        assert_eq!(d.items.len(), 2);
        assert_eq!(d.items[0].class, Some(ErrorClass::Warning));
        let r = parse_rule(
            &mut d,
            &node("from all preference 100 table 3"),
            &mut p,
            false,
        );
        assert_eq!(r.map(|r| r.preference), Some(100));
        assert_eq!(d.items.len(), 2);
        assert!(parse_rule(&mut d, &node("to 192.168.100./24 table 1"), &mut p, false).is_none());
        let n = d.items.len();
        assert!(parse_rule(&mut d, &node("from 10.0.0.0/8 priority 12"), &mut p, false).is_none());
        assert!(d.items[n].msg.contains("No action specified for rule"));
        let r = parse_rule(&mut d, &node("from all priority 12 l3mdev"), &mut p, false);
        assert!(r.is_some());
        let r = parse_rule(
            &mut d,
            &node("from all priority 12 table 3 sport 80"),
            &mut p,
            false,
        );
        assert!(r.is_none());
        assert!(d.items[3]
            .msg
            .contains("Invalid rule to address 192.168.100./24"));
    }
}
