//! `virtual_routes`, `virtual_rules` and the static blocks (`static_ipaddress`,
//! `static_routes`, `static_rules`) for the VRRP child: maps keepalived's `ip route` /
//! `ip rule` syntax (already parsed by keepalived-config) onto rtnetlink specs and keeps
//! track of what is installed. Called by `daemon.rs`: [`Installed::master`] with the VIPs
//! on becoming MASTER, [`Installed::leave`] with their removal, [`Installed::sync_statics`]
//! at every (re)load and [`Installed::remove_statics`] on stop, as keepalived does.

use std::net::IpAddr;

use keepalived_config::model::vrrp::{Family, IpAddress, Route, Rule, VrrpConfig};
use keepalived_netlink::{
    fr_act, rtn, Change, IfAddr, NextHopSpec, RouteSpec, Rtnl, RuleSpec, RT_TABLE_MAIN,
};
use log::{debug, error, info, warn};
use std::collections::HashMap;
use std::hash::Hash;

/// Where iproute2 keeps names of tables and protocols (the distribution's, then the admin's).
const IPROUTE2_DIRS: &[&str] = &["/etc/iproute2", "/usr/share/iproute2", "/usr/lib/iproute2"];

/// A number or a name from iproute2's `file` (`rt_tables`, `rt_protos`), with `builtin`
/// names first.
fn named_id(s: &str, builtin: &[(&str, u32)], file: &str) -> Option<u32> {
    if let Some(n) = parse_u32(s) {
        return Some(n);
    }
    if let Some((_, v)) = builtin.iter().find(|(n, _)| *n == s) {
        return Some(*v);
    }
    for dir in IPROUTE2_DIRS {
        let Ok(text) = std::fs::read_to_string(format!("{dir}/{file}")) else {
            continue;
        };
        for line in text.lines() {
            let mut w = line.split_whitespace();
            if let (Some(id), Some(name)) = (w.next(), w.next()) {
                if name == s && !id.starts_with('#') {
                    if let Some(n) = parse_u32(id) {
                        return Some(n);
                    }
                }
            }
        }
    }
    None
}

/// Decimal or `0x` hexadecimal, as iproute2 reads numbers.
fn parse_u32(s: &str) -> Option<u32> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => u32::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    }
}

/// A routing table name or number (`main`, `local`, `default`, `unspec`, `rt_tables`).
pub fn table_id(s: &str) -> Option<u32> {
    named_id(
        s,
        &[
            ("main", 254),
            ("local", 255),
            ("default", 253),
            ("unspec", 0),
        ],
        "rt_tables",
    )
}

/// A route scope name or number.
pub fn scope_id(s: &str) -> Option<u8> {
    let v = named_id(
        s,
        &[
            ("global", 0),
            ("universe", 0),
            ("site", 200),
            ("link", 253),
            ("host", 254),
            ("nowhere", 255),
        ],
        "rt_scopes",
    )?;
    u8::try_from(v).ok()
}

/// A route protocol name or number.
pub fn protocol_id(s: &str) -> Option<u8> {
    let v = named_id(
        s,
        &[
            ("redirect", 1),
            ("kernel", 2),
            ("boot", 3),
            ("static", 4),
            ("gated", 8),
            ("ra", 9),
            ("mrt", 10),
            ("zebra", 11),
            ("bird", 12),
            ("dnrouted", 13),
            ("xorp", 14),
            ("ntk", 15),
            ("dhcp", 16),
            ("keepalived", 18),
            ("babel", 42),
            ("bgp", 186),
            ("isis", 187),
            ("ospf", 188),
            ("rip", 189),
            ("eigrp", 192),
        ],
        "rt_protos",
    )?;
    u8::try_from(v).ok()
}

fn route_type(s: &str) -> Option<u8> {
    Some(match s {
        "unicast" => rtn::UNICAST,
        "local" => rtn::LOCAL,
        "broadcast" => rtn::BROADCAST,
        "anycast" => rtn::ANYCAST,
        "multicast" => rtn::MULTICAST,
        "blackhole" => rtn::BLACKHOLE,
        "unreachable" => rtn::UNREACHABLE,
        "prohibit" => rtn::PROHIBIT,
        "throw" => rtn::THROW,
        "nat" => rtn::NAT,
        _ => return None,
    })
}

/// `RTAX_*` of the route metrics we send (`ip route ... mtu 1400 advmss 1360`).
fn metric_id(s: &str) -> Option<u16> {
    Some(match s {
        "mtu" => 2,
        "window" => 3,
        "ssthresh" => 6,
        "cwnd" => 7,
        "advmss" => 8,
        "reordering" => 9,
        "hoplimit" => 10,
        "initcwnd" => 11,
        "initrwnd" => 14,
        "quickack" => 15,
        _ => return None,
    })
}

/// Maps one `virtual_routes`/`static_routes` line onto a route request. `ifindex_of`
/// resolves interface names. Options we do not send are named in the warnings returned
/// with the spec.
pub fn route_spec(
    r: &Route,
    ifindex_of: &dyn Fn(&str) -> Option<u32>,
) -> Result<(RouteSpec, Vec<String>), String> {
    let dev = |d: &str| ifindex_of(d).ok_or_else(|| format!("interface {d} not found"));
    let mut s = RouteSpec::new(r.dst, r.dst_len);
    let mut warnings = Vec::new();
    s.kind = route_type(&r.kind).ok_or_else(|| format!("unknown route type {}", r.kind))?;
    s.prefsrc = r.src;
    s.gateway = r.via;
    if let Some(d) = &r.dev {
        s.oif = dev(d)?;
    }
    if let Some(t) = &r.table {
        s.table = table_id(t).ok_or_else(|| format!("routing table {t} not found"))?;
    }
    s.metric = r.metric;
    // keepalived 2.2.7 accepts `protocol` but installs every route as proto keepalived
    // (checked against it in tests/vrrp_routes_e2e.rs); so do we, and our restoring of
    // deleted routes relies on it.
    if let Some(p) = &r.protocol {
        protocol_id(p).ok_or_else(|| format!("unknown protocol {p}"))?;
    }
    for nh in &r.nexthops {
        s.nexthops.push(NextHopSpec {
            gateway: nh.via,
            ifindex: match &nh.dev {
                Some(d) => dev(d)?,
                None => s.oif,
            },
            weight: nh.weight.and_then(|w| u16::try_from(w).ok()).unwrap_or(1),
            onlink: nh.onlink,
        });
    }
    // `or` (deprecated) gives nexthops without a first gateway: the `via` is hop one.
    if !s.nexthops.is_empty() {
        if let Some(g) = s.gateway.take() {
            s.nexthops.insert(
                0,
                NextHopSpec {
                    gateway: Some(g),
                    ifindex: s.oif,
                    weight: 1,
                    onlink: false,
                },
            );
        }
    }
    for opt in &r.options {
        let mut w = opt.split_whitespace();
        let key = w.next().unwrap_or_default();
        let val: Vec<&str> = w.filter(|v| *v != "lock").collect();
        let num = val.first().and_then(|v| parse_u32(v));
        match (key, num) {
            ("onlink", _) => s.onlink = true,
            ("tos" | "dsfield", Some(n)) => s.tos = u8::try_from(n).unwrap_or(0),
            (k, Some(n)) if metric_id(k).is_some() => {
                if let Some(id) = metric_id(k) {
                    s.metrics.push((id, n));
                }
            }
            _ => warnings.push(format!("route option '{opt}' is not applied")),
        }
    }
    s.scope = match &r.scope {
        Some(sc) => scope_id(sc).ok_or_else(|| format!("unknown scope {sc}"))?,
        None => s.default_scope(),
    };
    Ok((s, warnings))
}

/// Maps one `virtual_rules`/`static_rules` line onto a rule request.
pub fn rule_spec(r: &Rule) -> Result<(RuleSpec, Vec<String>), String> {
    let fam = match r.family {
        Some(Family::Inet6) => libc::AF_INET6,
        _ => libc::AF_INET,
    };
    let mut s = RuleSpec::new(fam as u8);
    let mut warnings = Vec::new();
    s.invert = r.invert;
    s.src = r.from;
    s.dst = r.to;
    s.priority = Some(r.preference);
    s.table = RT_TABLE_MAIN;
    match r.action.as_deref() {
        None => {}
        Some("blackhole") => s.action = fr_act::BLACKHOLE,
        Some("unreachable") => s.action = fr_act::UNREACHABLE,
        Some("prohibit") => s.action = fr_act::PROHIBIT,
        Some(a) => match a.strip_prefix("goto ").and_then(parse_u32) {
            Some(n) => {
                s.action = fr_act::GOTO;
                s.goto = Some(n);
            }
            None => return Err(format!("unknown rule action {a}")),
        },
    }
    if let Some(t) = &r.table {
        s.table = table_id(t).ok_or_else(|| format!("routing table {t} not found"))?;
        s.action = fr_act::TO_TBL;
    }
    if let Some(m) = &r.fwmark {
        let (mark, mask) = match m.split_once('/') {
            Some((a, b)) => (parse_u32(a), Some(parse_u32(b))),
            None => (parse_u32(m), None),
        };
        let mark = mark.ok_or_else(|| format!("invalid fwmark {m}"))?;
        let mask = match mask {
            Some(Some(k)) => Some(k),
            Some(None) => return Err(format!("invalid fwmark mask {m}")),
            None => None,
        };
        s.fwmark = Some((mark, mask));
    }
    s.iif = r.iif.clone();
    s.oif = r.oif.clone();
    for opt in &r.options {
        let mut w = opt.split_whitespace();
        let key = w.next().unwrap_or_default();
        match (key, w.next().and_then(parse_u32)) {
            ("tos" | "dsfield", Some(n)) => s.tos = u8::try_from(n).unwrap_or(0),
            ("suppress_prefixlength", Some(n)) => s.suppress_prefixlen = Some(n),
            _ => warnings.push(format!("rule option '{opt}' is not applied")),
        }
    }
    Ok((s, warnings))
}

/// The routes and rules of one instance (or of the static blocks), resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RouteSet {
    /// Routes, in configuration order.
    pub routes: Vec<RouteSpec>,
    /// Rules, in configuration order.
    pub rules: Vec<RuleSpec>,
}

impl RouteSet {
    /// Resolves `routes` and `rules`; lines that cannot be mapped are logged for `who`
    /// and left out (keepalived skips them too).
    pub fn resolve(
        who: &str,
        routes: &[Route],
        rules: &[Rule],
        ifindex_of: &dyn Fn(&str) -> Option<u32>,
    ) -> RouteSet {
        let mut set = RouteSet::default();
        for r in routes {
            match route_spec(r, ifindex_of) {
                Ok((s, warns)) => {
                    for w in warns {
                        warn!("{who} route {}/{}: {w}", r.dst, r.dst_len);
                    }
                    set.routes.push(s);
                }
                Err(e) => error!("{who} route {}/{}: {e}; skipped", r.dst, r.dst_len),
            }
        }
        for r in rules {
            match rule_spec(r) {
                Ok((s, warns)) => {
                    for w in warns {
                        warn!("{who} rule {}: {w}", r.preference);
                    }
                    set.rules.push(s);
                }
                Err(e) => error!("{who} rule {}: {e}; skipped", r.preference),
            }
        }
        set
    }

    fn is_empty(&self) -> bool {
        self.routes.is_empty() && self.rules.is_empty()
    }

    /// Routes first (a rule may point at their table), then rules. `restoring`: what
    /// had to be added again was removed behind our back, which is worth a warning.
    fn install(&self, rtnl: &mut Rtnl, who: &str, restoring: bool) {
        let report = |what: &str, c: Change| match (c, restoring) {
            (Change::Done, true) => warn!("{who} {what} was removed; restored"),
            _ => debug!("{who} {what}: {c:?}"),
        };
        for r in &self.routes {
            match rtnl.add_route(r) {
                Ok(c) => report(&format!("route {}", r.describe()), c),
                Err(e) => error!("{who} {e}"),
            }
        }
        for r in &self.rules {
            match rtnl.add_rule(r) {
                Ok(c) => report(&format!("rule {}", r.describe()), c),
                Err(e) => error!("{who} {e}"),
            }
        }
    }

    /// Rules first, then routes: the reverse of [`RouteSet::install`].
    fn remove(&self, rtnl: &mut Rtnl, who: &str) {
        for r in &self.rules {
            if let Err(e) = rtnl.del_rule(r) {
                error!("{who} {e}");
            }
        }
        for r in &self.routes {
            if let Err(e) = rtnl.del_route(r) {
                error!("{who} {e}");
            }
        }
    }

    /// What `self` has that `other` lacks.
    fn minus(&self, other: &RouteSet) -> RouteSet {
        RouteSet {
            routes: self
                .routes
                .iter()
                .filter(|r| !other.routes.contains(r))
                .cloned()
                .collect(),
            rules: self
                .rules
                .iter()
                .filter(|r| !other.rules.contains(r))
                .cloned()
                .collect(),
        }
    }
}

/// The static blocks, resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Statics {
    /// `static_ipaddress`.
    pub addrs: Vec<IfAddr>,
    /// `static_routes` and `static_rules`.
    pub set: RouteSet,
}

impl Statics {
    /// Resolves `static_ipaddress`, `static_routes` and `static_rules`; `addr` maps an
    /// address line onto its request for an ifindex. Addresses need a `dev`.
    pub fn resolve(
        cfg: &VrrpConfig,
        ifindex_of: &dyn Fn(&str) -> Option<u32>,
        addr: impl Fn(&IpAddress, u32) -> IfAddr,
    ) -> Statics {
        let mut addrs = Vec::new();
        for a in &cfg.static_addresses {
            match a.dev.as_deref().map(|d| (d, ifindex_of(d))) {
                Some((_, Some(ifx))) => addrs.push(addr(a, ifx)),
                Some((d, None)) => {
                    error!(
                        "static address {}: interface {d} not found; skipped",
                        a.addr
                    )
                }
                None => error!("static address {}: no dev given; skipped", a.addr),
            }
        }
        Statics {
            addrs,
            set: RouteSet::resolve("static", &cfg.static_routes, &cfg.static_rules, ifindex_of),
        }
    }
}

/// What this child installed: virtual routes and rules per instance key (the key a reload
/// matches instances by), and the static entries.
#[derive(Debug)]
pub struct Installed<K> {
    /// Per instance key: its name (for logs) and what it installed.
    virt: HashMap<K, (String, RouteSet)>,
    statics: Statics,
}

impl<K> Default for Installed<K> {
    fn default() -> Self {
        Installed {
            virt: HashMap::new(),
            statics: Statics::default(),
        }
    }
}

impl<K: Hash + Eq> Installed<K> {
    /// The instance `key` is MASTER with `set`: installs it and removes what an earlier
    /// configuration of the same instance installed and `set` no longer has (a reload).
    pub fn master(&mut self, rtnl: &mut Rtnl, key: K, name: &str, set: &RouteSet) {
        let who = format!("({name})");
        if let Some((_, old)) = self.virt.get(&key) {
            old.minus(set).remove(rtnl, &who);
        }
        if !set.is_empty() {
            info!("{who} setting Virtual Routes and Rules");
            set.install(rtnl, &who, false);
        }
        // Only non-empty sets are remembered: an empty one has nothing to remove or
        // restore, and most instances have none.
        if set.is_empty() {
            self.virt.remove(&key);
        } else {
            self.virt.insert(key, (name.to_string(), set.clone()));
        }
    }

    /// The instance `key` left MASTER (or is starting): removes what it installed and its
    /// configured `set` (a restarted child did not install, but finds them present).
    pub fn leave(&mut self, rtnl: &mut Rtnl, key: &K, name: &str, set: &RouteSet) {
        let who = format!("({name})");
        if let Some((_, old)) = self.virt.remove(key) {
            old.minus(set).remove(rtnl, &who);
        }
        if !set.is_empty() {
            debug!("{who} removing Virtual Routes and Rules");
            set.remove(rtnl, &who);
        }
    }

    /// Installs the static entries of a (re)loaded configuration and removes those a
    /// previous configuration had and this one lacks. Present entries are left alone, so
    /// a restarted child does not disturb them.
    pub fn sync_statics(&mut self, rtnl: &mut Rtnl, new: Statics) {
        let who = "static";
        let old = std::mem::take(&mut self.statics);
        old.set.minus(&new.set).remove(rtnl, who);
        for a in old.addrs.iter().filter(|a| !new.addrs.contains(a)) {
            if let Err(e) = rtnl.del_address(a) {
                error!("{who} {e}");
            }
        }
        for a in &new.addrs {
            match rtnl.add_address(a) {
                Ok(Change::Done) => info!("static address {}/{} added", a.addr, a.prefix_len),
                Ok(Change::AlreadySo) => {}
                Err(e) => error!("{who} {e}"),
            }
        }
        new.set.install(rtnl, who, false);
        self.statics = new;
    }

    /// Whether there is anything whose deletion we must watch for.
    pub fn watches(&self) -> bool {
        !self.statics.addrs.is_empty()
            || !self.statics.set.is_empty()
            || self.virt.values().any(|(_, s)| !s.is_empty())
    }

    /// Whether `addr` on `ifindex` is a static address.
    pub fn is_static_addr(&self, ifindex: u32, addr: IpAddr) -> bool {
        self.statics
            .addrs
            .iter()
            .any(|a| a.ifindex == ifindex && a.addr == addr)
    }

    /// Something of ours was deleted behind our back: puts back the static entries and
    /// the routes and rules of MASTER instances, as keepalived does. Entries still present
    /// answer "already there".
    pub fn restore(&mut self, rtnl: &mut Rtnl) {
        for a in &self.statics.addrs {
            match rtnl.add_address(a) {
                Ok(Change::Done) => warn!(
                    "static address {}/{} was removed; restored",
                    a.addr, a.prefix_len
                ),
                Ok(Change::AlreadySo) => {}
                Err(e) => error!("static {e}"),
            }
        }
        self.statics.set.install(rtnl, "static", true);
        for (name, set) in self.virt.values() {
            set.install(rtnl, &format!("({name})"), true);
        }
    }

    /// Removes the static entries (keepalived does on stop): rules, routes, addresses.
    pub fn remove_statics(&mut self, rtnl: &mut Rtnl) {
        let st = std::mem::take(&mut self.statics);
        st.set.remove(rtnl, "static");
        for a in &st.addrs {
            if let Err(e) = rtnl.del_address(a) {
                error!("static {e}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keepalived_config::diag::Loc;
    use keepalived_config::model::vrrp::NextHop;

    fn route(dst: &str, len: u8) -> Route {
        Route::unicast(dst.parse().unwrap(), len, Loc::new("t", 1))
    }

    fn rule() -> Rule {
        Rule {
            preference: 100,
            ..Rule::new(Loc::new("t", 1))
        }
    }

    fn eth0(n: &str) -> Option<u32> {
        (n == "eth0").then_some(3)
    }

    #[test]
    fn route_via_dev_table_metric_scope_and_options() {
        let mut r = route("198.51.100.0", 24);
        r.via = Some("192.0.2.1".parse().unwrap());
        r.dev = Some("eth0".into());
        r.table = Some("100".into());
        r.metric = Some(5);
        r.src = Some("192.0.2.11".parse().unwrap());
        r.options = vec!["mtu 1400".into(), "onlink".into(), "realms 3".into()];
        let (s, warns) = route_spec(&r, &eth0).unwrap();
        assert_eq!(s.gateway, r.via);
        assert_eq!((s.oif, s.table, s.metric), (3, 100, Some(5)));
        assert_eq!(s.prefsrc, r.src);
        assert_eq!(s.scope, libc::RT_SCOPE_UNIVERSE);
        assert_eq!(s.protocol, 18);
        assert_eq!(s.metrics, vec![(2, 1400)]);
        assert!(s.onlink);
        assert_eq!(warns.len(), 1, "{warns:?}");
        assert!(warns[0].contains("realms"));
    }

    #[test]
    fn route_types_scopes_and_names() {
        let mut r = route("203.0.113.0", 24);
        r.kind = "blackhole".into();
        r.table = Some("main".into());
        let (s, _) = route_spec(&r, &eth0).unwrap();
        assert_eq!((s.kind, s.table, s.scope), (rtn::BLACKHOLE, 254, 0));
        let mut r = route("192.0.2.0", 24);
        r.dev = Some("eth0".into());
        let (s, _) = route_spec(&r, &eth0).unwrap();
        assert_eq!(
            s.scope,
            libc::RT_SCOPE_LINK,
            "no gateway: link scope as ip route"
        );
        r.scope = Some("host".into());
        r.protocol = Some("static".into());
        let (s, _) = route_spec(&r, &eth0).unwrap();
        assert_eq!(
            (s.scope, s.protocol),
            (254, 18),
            "protocol: as keepalived 2.2.7"
        );
        assert_eq!(protocol_id("static"), Some(4));
        r.dev = Some("nope0".into());
        assert!(route_spec(&r, &eth0).unwrap_err().contains("nope0"));
        assert_eq!(table_id("0x10"), Some(16));
        assert_eq!(table_id("no-such-table-name"), None);
    }

    #[test]
    fn nexthops_and_deprecated_or() {
        let mut r = route("203.0.113.0", 24);
        r.dev = Some("eth0".into());
        r.via = Some("192.0.2.1".parse().unwrap());
        r.nexthops = vec![NextHop {
            via: Some("192.0.2.2".parse().unwrap()),
            dev: None,
            weight: Some(256),
            onlink: true,
        }];
        let (s, _) = route_spec(&r, &eth0).unwrap();
        assert_eq!(s.gateway, None);
        assert_eq!(s.nexthops.len(), 2);
        assert_eq!(s.nexthops[0].gateway, Some("192.0.2.1".parse().unwrap()));
        assert_eq!((s.nexthops[1].ifindex, s.nexthops[1].weight), (3, 256));
        assert!(s.nexthops[1].onlink);
    }

    #[test]
    fn rules_map_table_actions_fwmark_and_family() {
        let mut r = rule();
        r.from = Some(("2001:db8::".parse().unwrap(), 32));
        r.family = Some(Family::Inet6);
        r.table = Some("local".into());
        r.fwmark = Some("0x10/0xff".into());
        r.invert = true;
        r.options = vec!["suppress_prefixlength 0".into(), "uidrange 1-2".into()];
        let (s, warns) = rule_spec(&r).unwrap();
        assert_eq!(s.family, libc::AF_INET6 as u8);
        assert_eq!(
            (s.action, s.table, s.priority),
            (fr_act::TO_TBL, 255, Some(100))
        );
        assert_eq!(s.fwmark, Some((16, Some(255))));
        assert_eq!(s.suppress_prefixlen, Some(0));
        assert!(s.invert);
        assert_eq!(warns.len(), 1);
        let mut r = rule();
        r.action = Some("goto 200".into());
        let (s, _) = rule_spec(&r).unwrap();
        assert_eq!(
            (s.action, s.goto, s.family),
            (fr_act::GOTO, Some(200), libc::AF_INET as u8)
        );
        r.action = Some("prohibit".into());
        assert_eq!(rule_spec(&r).unwrap().0.action, fr_act::PROHIBIT);
        r.fwmark = Some("x".into());
        assert!(rule_spec(&r).is_err());
    }

    #[test]
    fn minus_keeps_what_the_other_set_lacks() {
        let a = RouteSet::resolve(
            "t",
            &[route("192.0.2.0", 24), route("198.51.100.0", 24)],
            &[rule()],
            &eth0,
        );
        let b = RouteSet::resolve("t", &[route("192.0.2.0", 24)], &[], &eth0);
        let d = a.minus(&b);
        assert_eq!(d.routes.len(), 1);
        assert_eq!(d.routes[0].dst, "198.51.100.0".parse::<IpAddr>().unwrap());
        assert_eq!(d.rules.len(), 1);
        assert!(b.minus(&a).is_empty());
    }
}
