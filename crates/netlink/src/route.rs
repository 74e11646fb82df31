//! Routes (`RTM_NEWROUTE`/`RTM_DELROUTE`) and policy rules (`RTM_NEWRULE`/`RTM_DELRULE`):
//! the numeric request specs and their byte encoding. [`crate::Rtnl`] sends them; the VRRP
//! child's `routes.rs` maps keepalived's `ip route`/`ip rule` syntax onto these specs.

use std::net::IpAddr;

use crate::msg::MsgBuilder;

/// `RTM_NEWROUTE`.
pub const RTM_NEWROUTE: u16 = 24;
/// `RTM_DELROUTE`.
pub const RTM_DELROUTE: u16 = 25;
/// `RTM_NEWRULE`.
pub const RTM_NEWRULE: u16 = 32;
/// `RTM_DELRULE`.
pub const RTM_DELRULE: u16 = 33;

/// `RTPROT_KEEPALIVED`: keepalived marks its routes and rules `proto keepalived`.
pub const RTPROT_KEEPALIVED: u8 = 18;
/// `RT_TABLE_MAIN`.
pub const RT_TABLE_MAIN: u32 = 254;

/// Route types (`RTN_*`).
pub mod rtn {
    /// `RTN_UNICAST`.
    pub const UNICAST: u8 = 1;
    /// `RTN_LOCAL`.
    pub const LOCAL: u8 = 2;
    /// `RTN_BROADCAST`.
    pub const BROADCAST: u8 = 3;
    /// `RTN_ANYCAST`.
    pub const ANYCAST: u8 = 4;
    /// `RTN_MULTICAST`.
    pub const MULTICAST: u8 = 5;
    /// `RTN_BLACKHOLE`.
    pub const BLACKHOLE: u8 = 6;
    /// `RTN_UNREACHABLE`.
    pub const UNREACHABLE: u8 = 7;
    /// `RTN_PROHIBIT`.
    pub const PROHIBIT: u8 = 8;
    /// `RTN_THROW`.
    pub const THROW: u8 = 9;
    /// `RTN_NAT`.
    pub const NAT: u8 = 10;
}

/// Rule actions (`FR_ACT_*`).
pub mod fr_act {
    /// `FR_ACT_TO_TBL`: look up a table.
    pub const TO_TBL: u8 = 1;
    /// `FR_ACT_GOTO`.
    pub const GOTO: u8 = 2;
    /// `FR_ACT_NOP`.
    pub const NOP: u8 = 3;
    /// `FR_ACT_BLACKHOLE`.
    pub const BLACKHOLE: u8 = 6;
    /// `FR_ACT_UNREACHABLE`.
    pub const UNREACHABLE: u8 = 7;
    /// `FR_ACT_PROHIBIT`.
    pub const PROHIBIT: u8 = 8;
}

const RTA_DST: u16 = 1;
const RTA_OIF: u16 = 4;
const RTA_GATEWAY: u16 = 5;
const RTA_PRIORITY: u16 = 6;
const RTA_PREFSRC: u16 = 7;
const RTA_METRICS: u16 = 8;
const RTA_MULTIPATH: u16 = 9;
const RTA_TABLE: u16 = 15;
const RTA_VIA: u16 = 18;
const RTNH_F_ONLINK: u8 = 4;
const RT_SCOPE_NOWHERE: u8 = 255;

const FRA_DST: u16 = 1;
const FRA_SRC: u16 = 2;
const FRA_IIFNAME: u16 = 3;
const FRA_GOTO: u16 = 4;
const FRA_PRIORITY: u16 = 6;
const FRA_FWMARK: u16 = 10;
const FRA_TABLE: u16 = 15;
const FRA_FWMASK: u16 = 16;
const FRA_OIFNAME: u16 = 17;
const FRA_SUPPRESS_PREFIXLEN: u16 = 14;
const FRA_PROTOCOL: u16 = 21;
const FIB_RULE_INVERT: u32 = 2;

pub(crate) const NLM_F_REQUEST: u16 = 1;
pub(crate) const NLM_F_ACK: u16 = 4;
pub(crate) const NLM_F_EXCL: u16 = 0x200;
pub(crate) const NLM_F_CREATE: u16 = 0x400;

fn family(a: &IpAddr) -> u8 {
    if a.is_ipv4() {
        libc::AF_INET as u8
    } else {
        libc::AF_INET6 as u8
    }
}

fn octets(a: &IpAddr) -> Vec<u8> {
    match a {
        IpAddr::V4(v) => v.octets().to_vec(),
        IpAddr::V6(v) => v.octets().to_vec(),
    }
}

/// One hop of a multipath route (`nexthop via A dev D weight W onlink`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextHopSpec {
    /// Gateway.
    pub gateway: Option<IpAddr>,
    /// Output interface index (0 = none).
    pub ifindex: u32,
    /// `weight` 1..=256 (sent as `rtnh_hops = weight - 1`).
    pub weight: u16,
    /// `onlink`.
    pub onlink: bool,
}

/// A route to add or delete, numerically (see `ip route`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteSpec {
    /// Destination prefix (0.0.0.0/0 or ::/0 for `default`).
    pub dst: IpAddr,
    /// Destination prefix length.
    pub dst_len: u8,
    /// `src` (`RTA_PREFSRC`).
    pub prefsrc: Option<IpAddr>,
    /// `via`: `RTA_GATEWAY` in the same family, `RTA_VIA` across families.
    pub gateway: Option<IpAddr>,
    /// `dev` (0 = none).
    pub oif: u32,
    /// Table id (254 = main).
    pub table: u32,
    /// `metric` (`RTA_PRIORITY`).
    pub metric: Option<u32>,
    /// `RT_SCOPE_*`.
    pub scope: u8,
    /// `RTPROT_*`.
    pub protocol: u8,
    /// `RTN_*`.
    pub kind: u8,
    /// `onlink` (`RTNH_F_ONLINK` in `rtm_flags`).
    pub onlink: bool,
    /// `tos`.
    pub tos: u8,
    /// `RTA_METRICS` entries (`RTAX_*`, value), e.g. (2, 1400) for `mtu 1400`.
    pub metrics: Vec<(u16, u32)>,
    /// `nexthop` entries (multipath).
    pub nexthops: Vec<NextHopSpec>,
}

impl RouteSpec {
    /// A unicast route in the main table with keepalived's protocol; scope as
    /// [`RouteSpec::default_scope`] gives.
    pub fn new(dst: IpAddr, dst_len: u8) -> Self {
        RouteSpec {
            dst,
            dst_len,
            prefsrc: None,
            gateway: None,
            oif: 0,
            table: RT_TABLE_MAIN,
            metric: None,
            scope: libc::RT_SCOPE_UNIVERSE,
            protocol: RTPROT_KEEPALIVED,
            kind: rtn::UNICAST,
            onlink: false,
            tos: 0,
            metrics: Vec::new(),
            nexthops: Vec::new(),
        }
    }

    /// The scope `ip route` gives a route of this type when none is written: host for
    /// local/nat, link for broadcast/multicast/anycast and for unicast without gateway,
    /// else global.
    pub fn default_scope(&self) -> u8 {
        match self.kind {
            rtn::LOCAL | rtn::NAT => libc::RT_SCOPE_HOST,
            rtn::BROADCAST | rtn::MULTICAST | rtn::ANYCAST => libc::RT_SCOPE_LINK,
            rtn::UNICAST if self.gateway.is_none() && self.nexthops.is_empty() => {
                libc::RT_SCOPE_LINK
            }
            _ => libc::RT_SCOPE_UNIVERSE,
        }
    }

    /// What it is, for error messages and logs.
    pub fn describe(&self) -> String {
        let mut s = format!("{}/{}", self.dst, self.dst_len);
        if let Some(g) = self.gateway {
            s.push_str(&format!(" via {g}"));
        }
        if self.oif != 0 {
            s.push_str(&format!(" ifindex {}", self.oif));
        }
        if self.table != RT_TABLE_MAIN {
            s.push_str(&format!(" table {}", self.table));
        }
        s
    }
}

/// Encodes a route request. `del` makes it an `RTM_DELROUTE` that matches any scope, as
/// `ip route del` does (the kernel compares only the fields that are set).
pub fn route_msg(spec: &RouteSpec, del: bool, seq: u32) -> Vec<u8> {
    let (ty, flags) = if del {
        (RTM_DELROUTE, NLM_F_REQUEST | NLM_F_ACK)
    } else {
        (
            RTM_NEWROUTE,
            NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
        )
    };
    let mut b = MsgBuilder::new(ty, flags, seq);
    let fam = family(&spec.dst);
    let rtm_table = u8::try_from(spec.table).unwrap_or(0);
    let scope = if del { RT_SCOPE_NOWHERE } else { spec.scope };
    let rtm_flags: u32 = if spec.onlink {
        u32::from(RTNH_F_ONLINK)
    } else {
        0
    };
    let mut hdr = vec![
        fam,
        spec.dst_len,
        0,
        spec.tos,
        rtm_table,
        spec.protocol,
        scope,
        spec.kind,
    ];
    hdr.extend_from_slice(&rtm_flags.to_ne_bytes());
    b.fixed(&hdr);
    b.attr_u32(RTA_TABLE, spec.table);
    b.attr(RTA_DST, &octets(&spec.dst));
    if let Some(s) = &spec.prefsrc {
        b.attr(RTA_PREFSRC, &octets(s));
    }
    if let Some(g) = &spec.gateway {
        gateway_attr(&mut b, fam, g);
    }
    if spec.oif != 0 {
        b.attr_u32(RTA_OIF, spec.oif);
    }
    if let Some(m) = spec.metric {
        b.attr_u32(RTA_PRIORITY, m);
    }
    if !spec.metrics.is_empty() {
        b.begin_nest(RTA_METRICS);
        for (k, v) in &spec.metrics {
            b.attr_u32(*k, *v);
        }
        b.end_nest();
    }
    if !spec.nexthops.is_empty() {
        b.begin_nest(RTA_MULTIPATH);
        for nh in &spec.nexthops {
            // struct rtnexthop { len u16, flags u8, hops u8, ifindex i32 } + attributes
            let start = b.len();
            let mut rtnh = Vec::with_capacity(8);
            rtnh.extend_from_slice(&0u16.to_ne_bytes());
            rtnh.push(if nh.onlink { RTNH_F_ONLINK } else { 0 });
            rtnh.push(u8::try_from(nh.weight.saturating_sub(1)).unwrap_or(u8::MAX));
            rtnh.extend_from_slice(&nh.ifindex.to_ne_bytes());
            b.raw(&rtnh);
            if let Some(g) = &nh.gateway {
                gateway_attr(&mut b, fam, g);
            }
            let len = u16::try_from(b.len() - start).unwrap_or(u16::MAX);
            b.patch_u16(start, len);
        }
        b.end_nest();
    }
    b.finish()
}

fn gateway_attr(b: &mut MsgBuilder, fam: u8, g: &IpAddr) {
    if family(g) == fam {
        b.attr(RTA_GATEWAY, &octets(g));
    } else {
        // struct rtvia { family u16, addr }: an IPv4 route via an IPv6 gateway
        let mut v = u16::from(family(g)).to_ne_bytes().to_vec();
        v.extend_from_slice(&octets(g));
        b.attr(RTA_VIA, &v);
    }
}

/// A policy rule to add or delete, numerically (see `ip rule`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSpec {
    /// `AF_INET` or `AF_INET6`.
    pub family: u8,
    /// `not`.
    pub invert: bool,
    /// `from PREFIX`.
    pub src: Option<(IpAddr, u8)>,
    /// `to PREFIX`.
    pub dst: Option<(IpAddr, u8)>,
    /// `priority`.
    pub priority: Option<u32>,
    /// Table for `FR_ACT_TO_TBL`.
    pub table: u32,
    /// `FR_ACT_*`.
    pub action: u8,
    /// `goto` target priority.
    pub goto: Option<u32>,
    /// `fwmark MARK[/MASK]`.
    pub fwmark: Option<(u32, Option<u32>)>,
    /// `iif`.
    pub iif: Option<String>,
    /// `oif`.
    pub oif: Option<String>,
    /// `tos`.
    pub tos: u8,
    /// `suppress_prefixlength`.
    pub suppress_prefixlen: Option<u32>,
    /// `RTPROT_*` (`FRA_PROTOCOL`).
    pub protocol: u8,
}

impl RuleSpec {
    /// A `lookup main` rule of `family` with keepalived's protocol.
    pub fn new(family: u8) -> Self {
        RuleSpec {
            family,
            invert: false,
            src: None,
            dst: None,
            priority: None,
            table: RT_TABLE_MAIN,
            action: fr_act::TO_TBL,
            goto: None,
            fwmark: None,
            iif: None,
            oif: None,
            tos: 0,
            suppress_prefixlen: None,
            protocol: RTPROT_KEEPALIVED,
        }
    }

    /// What it is, for error messages and logs.
    pub fn describe(&self) -> String {
        let mut s = String::new();
        if let Some(p) = self.priority {
            s.push_str(&format!("{p}: "));
        }
        match &self.src {
            Some((a, l)) => s.push_str(&format!("from {a}/{l}")),
            None => s.push_str("from all"),
        }
        if let Some((a, l)) = &self.dst {
            s.push_str(&format!(" to {a}/{l}"));
        }
        if self.action == fr_act::TO_TBL {
            s.push_str(&format!(" lookup {}", self.table));
        } else {
            s.push_str(&format!(" action {}", self.action));
        }
        s
    }
}

/// Encodes a rule request (`del`: `RTM_DELRULE`).
pub fn rule_msg(spec: &RuleSpec, del: bool, seq: u32) -> Vec<u8> {
    let (ty, flags) = if del {
        (RTM_DELRULE, NLM_F_REQUEST | NLM_F_ACK)
    } else {
        (
            RTM_NEWRULE,
            NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
        )
    };
    let mut b = MsgBuilder::new(ty, flags, seq);
    // struct fib_rule_hdr { family, dst_len, src_len, tos, table, res1, res2, action, flags u32 }
    let table_u8 = if spec.action == fr_act::TO_TBL {
        u8::try_from(spec.table).unwrap_or(0)
    } else {
        0
    };
    let mut hdr = vec![
        spec.family,
        spec.dst.map_or(0, |d| d.1),
        spec.src.map_or(0, |s| s.1),
        spec.tos,
        table_u8,
        0,
        0,
        spec.action,
    ];
    let flags32 = if spec.invert { FIB_RULE_INVERT } else { 0 };
    hdr.extend_from_slice(&flags32.to_ne_bytes());
    b.fixed(&hdr);
    if let Some(p) = spec.priority {
        b.attr_u32(FRA_PRIORITY, p);
    }
    if let Some((a, _)) = &spec.src {
        b.attr(FRA_SRC, &octets(a));
    }
    if let Some((a, _)) = &spec.dst {
        b.attr(FRA_DST, &octets(a));
    }
    if spec.action == fr_act::TO_TBL {
        b.attr_u32(FRA_TABLE, spec.table);
    }
    if let Some(g) = spec.goto {
        b.attr_u32(FRA_GOTO, g);
    }
    if let Some((mark, mask)) = spec.fwmark {
        b.attr_u32(FRA_FWMARK, mark);
        if let Some(m) = mask {
            b.attr_u32(FRA_FWMASK, m);
        }
    }
    if let Some(i) = &spec.iif {
        b.attr_str(FRA_IIFNAME, i);
    }
    if let Some(o) = &spec.oif {
        b.attr_str(FRA_OIFNAME, o);
    }
    if let Some(s) = spec.suppress_prefixlen {
        b.attr_u32(FRA_SUPPRESS_PREFIXLEN, s);
    }
    b.attr(FRA_PROTOCOL, &[spec.protocol]);
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hdr(len: u32, ty: u16, flags: u16, seq: u32) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&len.to_ne_bytes());
        v.extend_from_slice(&ty.to_ne_bytes());
        v.extend_from_slice(&flags.to_ne_bytes());
        v.extend_from_slice(&seq.to_ne_bytes());
        v.extend_from_slice(&0u32.to_ne_bytes());
        v
    }

    fn a(v: &mut Vec<u8>, ty: u16, p: &[u8]) {
        v.extend_from_slice(&(4 + p.len() as u16).to_ne_bytes());
        v.extend_from_slice(&ty.to_ne_bytes());
        v.extend_from_slice(p);
        while !v.len().is_multiple_of(4) {
            v.push(0);
        }
    }

    #[test]
    fn ipv4_route_via_dev_metric_bytes() {
        let mut r = RouteSpec::new("198.51.100.0".parse().unwrap(), 24);
        r.gateway = Some("192.0.2.1".parse().unwrap());
        r.oif = 3;
        r.metric = Some(5);
        let got = route_msg(&r, false, 9);
        let mut want = Vec::new();
        // rtmsg: AF_INET, /24, src 0, tos 0, table main, proto keepalived, universe, unicast
        let mut body = vec![2, 24, 0, 0, 254, 18, 0, 1, 0, 0, 0, 0];
        a(&mut body, RTA_TABLE, &254u32.to_ne_bytes());
        a(&mut body, RTA_DST, &[198, 51, 100, 0]);
        a(&mut body, RTA_GATEWAY, &[192, 0, 2, 1]);
        a(&mut body, RTA_OIF, &3u32.to_ne_bytes());
        a(&mut body, RTA_PRIORITY, &5u32.to_ne_bytes());
        want.extend(hdr(16 + body.len() as u32, 24, 0x605, 9));
        want.extend(body);
        assert_eq!(got, want);
    }

    #[test]
    fn route_delete_matches_any_scope_and_big_tables_use_rta_table() {
        let mut r = RouteSpec::new("2001:db8:1::".parse().unwrap(), 48);
        r.kind = rtn::BLACKHOLE;
        r.table = 1000;
        let got = route_msg(&r, true, 1);
        assert_eq!(u16::from_ne_bytes([got[4], got[5]]), RTM_DELROUTE);
        assert_eq!(
            u16::from_ne_bytes([got[6], got[7]]),
            NLM_F_REQUEST | NLM_F_ACK
        );
        // family AF_INET6, /48, rtm_table 0 (id > 255), scope NOWHERE, blackhole
        assert_eq!(&got[16..24], &[10, 48, 0, 0, 0, 18, 255, 6]);
        assert_eq!(&got[28..36], &[8, 0, 15, 0, 0xe8, 3, 0, 0][..]);
        assert_eq!(
            u32::from_ne_bytes([got[0], got[1], got[2], got[3]]) as usize,
            got.len()
        );
    }

    #[test]
    fn multipath_nexthops_bytes() {
        let mut r = RouteSpec::new("203.0.113.0".parse().unwrap(), 24);
        r.nexthops = vec![
            NextHopSpec {
                gateway: Some("192.0.2.1".parse().unwrap()),
                ifindex: 2,
                weight: 1,
                onlink: false,
            },
            NextHopSpec {
                gateway: Some("192.0.2.2".parse().unwrap()),
                ifindex: 2,
                weight: 3,
                onlink: true,
            },
        ];
        let got = route_msg(&r, false, 1);
        let mut mp = Vec::new();
        for (gw, hops, fl) in [([192, 0, 2, 1], 0u8, 0u8), ([192, 0, 2, 2], 2, 4)] {
            mp.extend_from_slice(&16u16.to_ne_bytes());
            mp.push(fl);
            mp.push(hops);
            mp.extend_from_slice(&2u32.to_ne_bytes());
            a(&mut mp, RTA_GATEWAY, &gw);
        }
        let mut tail = Vec::new();
        a(&mut tail, RTA_MULTIPATH, &mp);
        assert!(got.ends_with(&tail), "{got:?}");
        assert_eq!(r.default_scope(), libc::RT_SCOPE_UNIVERSE);
    }

    #[test]
    fn default_scopes_follow_ip_route() {
        let mut r = RouteSpec::new("192.0.2.0".parse().unwrap(), 24);
        assert_eq!(r.default_scope(), libc::RT_SCOPE_LINK);
        r.gateway = Some("192.0.2.1".parse().unwrap());
        assert_eq!(r.default_scope(), libc::RT_SCOPE_UNIVERSE);
        r.kind = rtn::LOCAL;
        assert_eq!(r.default_scope(), libc::RT_SCOPE_HOST);
        r.kind = rtn::BLACKHOLE;
        assert_eq!(r.default_scope(), libc::RT_SCOPE_UNIVERSE);
    }

    #[test]
    fn rule_bytes() {
        let mut r = RuleSpec::new(libc::AF_INET as u8);
        r.src = Some(("192.0.2.99".parse().unwrap(), 32));
        r.table = 100;
        r.priority = Some(100);
        r.fwmark = Some((7, Some(0xff)));
        r.iif = Some("eth0".into());
        r.invert = true;
        let got = rule_msg(&r, false, 4);
        let mut body = vec![2, 0, 32, 0, 100, 0, 0, 1];
        body.extend_from_slice(&FIB_RULE_INVERT.to_ne_bytes());
        a(&mut body, FRA_PRIORITY, &100u32.to_ne_bytes());
        a(&mut body, FRA_SRC, &[192, 0, 2, 99]);
        a(&mut body, FRA_TABLE, &100u32.to_ne_bytes());
        a(&mut body, FRA_FWMARK, &7u32.to_ne_bytes());
        a(&mut body, FRA_FWMASK, &0xffu32.to_ne_bytes());
        a(&mut body, FRA_IIFNAME, b"eth0\0");
        a(&mut body, FRA_PROTOCOL, &[18]);
        let mut want = hdr(16 + body.len() as u32, RTM_NEWRULE, 0x605, 4);
        want.extend(body);
        assert_eq!(got, want);
    }

    #[test]
    fn blackhole_rule_has_no_table() {
        let mut r = RuleSpec::new(libc::AF_INET6 as u8);
        r.action = fr_act::BLACKHOLE;
        r.priority = Some(5);
        let got = rule_msg(&r, true, 2);
        assert_eq!(u16::from_ne_bytes([got[4], got[5]]), RTM_DELRULE);
        assert_eq!(&got[16..24], &[10, 0, 0, 0, 0, 0, 0, 6]);
        assert!(!got.windows(4).any(|w| w == [8, 0, FRA_TABLE as u8, 0]));
    }
}
