//! Validation of virtual servers, real servers and checkers: what keepalived 2.2.7's
//! `validate_check_config` (check_data.c) reports under `-t`. Called by `validate::validate`.
//! keepalived reports these without a line number (they run after parsing); we attach the
//! virtual/real server's line so operators can find them.

use super::Env;
use crate::diag::{Diagnostics, ErrorClass, Loc};
use crate::model::check::*;
use crate::model::Config;
use std::collections::HashSet;

pub fn validate(cfg: &Config, env: &Env, d: &mut Diagnostics) {
    for vs in &cfg.check.virtual_servers {
        validate_vs(&cfg.check, vs, env, d);
    }
}

/// What a virtual server balances once its group is resolved.
struct Shape<'a> {
    group: Option<&'a VsGroup>,
    has_addrs: bool,
    has_fwmarks: bool,
}

fn shape<'a>(check: &'a CheckConfig, vs: &VirtualServer) -> Shape<'a> {
    match &vs.target {
        VsTarget::Addr { .. } => Shape {
            group: None,
            has_addrs: true,
            has_fwmarks: false,
        },
        VsTarget::Fwmark(_) => Shape {
            group: None,
            has_addrs: false,
            has_fwmarks: true,
        },
        VsTarget::Group(name) => {
            let g = check.group(name);
            // keepalived silently ignores group entries of the other address family.
            let af = vs_family(vs);
            let fits = |e: &&VsgEntry| match (e, af) {
                (_, None) => true,
                (VsgEntry::Range { first, .. }, Some(a)) => Family::of(first) == a,
                (VsgEntry::Fwmark { family, .. }, Some(a)) => family.is_none_or(|f| f == a),
            };
            let entries: Vec<&VsgEntry> = g
                .map(|g| g.entries.iter().filter(fits).collect())
                .unwrap_or_default();
            Shape {
                group: g,
                has_addrs: entries.iter().any(|e| matches!(e, VsgEntry::Range { .. })),
                has_fwmarks: entries.iter().any(|e| matches!(e, VsgEntry::Fwmark { .. })),
            }
        }
    }
}

/// The family keepalived settles on for a virtual server without an address of its own:
/// `ip_family`, else the first real server that is not tunnelled.
fn vs_family(vs: &VirtualServer) -> Option<Family> {
    if let VsTarget::Addr { ip, .. } = &vs.target {
        return Some(Family::of(ip));
    }
    vs.ip_family.or_else(|| {
        vs.real_servers
            .iter()
            .find(|rs| {
                !rs.forwarding
                    .as_ref()
                    .or(vs.forwarding.as_ref())
                    .is_some_and(|f| f.method == LvsMethod::Tun)
            })
            .map(|rs| Family::of(&rs.ip))
    })
}

fn validate_vs(check: &CheckConfig, vs: &VirtualServer, env: &Env, d: &mut Diagnostics) {
    let loc = vs.loc.clone().unwrap_or_else(|| Loc::new("", 0));
    let name = vs.display_name();
    let err = |d: &mut Diagnostics, at: &Loc, msg: String| d.at(ErrorClass::GeneralError, at, msg);

    if let VsTarget::Group(g) = &vs.target {
        if check.group(g).is_none() {
            // keepalived 2.2.7 accepts this under -t (the service is simply never set up).
            d.notice(
                Some(&loc),
                format!("virtual_server group {g} is not defined - the virtual server is ignored"),
            );
            return;
        }
    }
    if vs.real_servers.is_empty() {
        err(
            d,
            &loc,
            format!("Virtual server {name} has no real servers - ignoring"),
        );
        return;
    }
    let sh = shape(check, vs);
    let is_fwmark_vs = matches!(vs.target, VsTarget::Fwmark(_));
    if vs.ha_suspend && sh.has_fwmarks {
        err(
            d,
            &loc,
            format!(
                "Virtual server {name}: cannot use ha_suspend with fwmarks - clearing ha_suspend"
            ),
        );
    }
    let mut protocol = vs.protocol;
    let mut persistence = vs.persistence_timeout;
    let by_addr = sh.has_addrs || (sh.group.is_none() && !is_fwmark_vs);
    if by_addr {
        if protocol.is_none() {
            err(
                d,
                &loc,
                format!("Virtual server {name}: no protocol set - defaulting to UDP"),
            );
            protocol = Some(Protocol::Udp);
        }
        if vs.sched_flags.ops && protocol != Some(Protocol::Udp) {
            err(
                d,
                &loc,
                format!("Virtual server {name}: one packet scheduling requires UDP - resetting"),
            );
        }
        if persistence.is_none() {
            if let VsTarget::Addr { port: None, .. } = vs.target {
                err(
                    d,
                    &loc,
                    format!(
                        "Virtual server {name}: zero port only valid for persistent services - setting"
                    ),
                );
                persistence = Some(DEFAULT_PERSISTENCE_TIMEOUT);
            }
        }
    }
    let af = vs_family(vs);
    if persistence.is_none() {
        if let Some(g) = sh.group {
            let portless = |e: &VsgEntry| match e {
                VsgEntry::Range {
                    port: None, first, ..
                } => af.is_none_or(|a| a == Family::of(first)),
                _ => false,
            };
            if g.entries.iter().any(portless) {
                err(
                    d,
                    &loc,
                    format!(
                        "Virtual server {name}: zero port only valid for persistent services - setting"
                    ),
                );
            }
        }
    }
    let fwmark_only = (sh.group.is_some() && !sh.has_addrs && sh.has_fwmarks) || is_fwmark_vs;
    if protocol.is_some() && fwmark_only {
        err(
            d,
            &loc,
            format!("Warning: Virtual server {name}: protocol specified for fwmark - protocol will be ignored"),
        );
    }
    if vs.scheduler.is_none() {
        err(
            d,
            &loc,
            format!(
                "Virtual server {name}: no scheduler set, setting default '{DEFAULT_SCHEDULER}'"
            ),
        );
    }

    // Real servers: duplicates, forwarding defaults, weights.
    let mut vs_forwarding = vs.forwarding.clone();
    let mut weight_sum: u64 = 0;
    let mut kept: Vec<(&RealServer, Forwarding)> = Vec::new();
    // Addresses of `kept`, so a virtual server with many real servers is checked in
    // linear time.
    let mut kept_addrs: HashSet<(std::net::IpAddr, Option<u16>)> = HashSet::new();
    let vs_inhibit = vs.inhibit_on_failure;
    for rs in &vs.real_servers {
        if !kept_addrs.insert((rs.ip, rs.port)) {
            err(
                d,
                &rs.loc,
                format!(
                    "VS {name}: real server {} is duplicated - removing second rs",
                    rs_name(rs, protocol)
                ),
            );
            continue;
        }
        let fwd = match &rs.forwarding {
            Some(f) => f.clone(),
            None => {
                if vs_forwarding.is_none() {
                    err(
                        d,
                        &loc,
                        format!(
                            "Virtual server {name}: no forwarding method set, setting default NAT"
                        ),
                    );
                    vs_forwarding = Some(Forwarding::default());
                }
                vs_forwarding.clone().unwrap_or_default()
            }
        };
        weight_sum += u64::from(rs.weight.or(vs.weight).unwrap_or(1));
        if let Some(s) = &vs.sorry_server {
            let rs_inhibit = rs.inhibit_on_failure.unwrap_or(vs_inhibit);
            if s.ip == rs.ip && s.port == rs.port && s.inhibit != rs_inhibit {
                err(
                    d,
                    &rs.loc,
                    format!(
                        "Virtual server {name}: real server {} matches sorry server, but inhibit setting differs, {}ing on sorry server",
                        rs_name(rs, protocol),
                        if rs_inhibit { "sett" } else { "clear" }
                    ),
                );
            }
        }
        validate_checkers(vs, rs, env, d);
        kept.push((rs, fwd));
    }
    let sorry_fwd = vs.sorry_server.as_ref().map(|s| match &s.forwarding {
        Some(f) => f.clone(),
        None => {
            if vs_forwarding.is_none() {
                err(
                    d,
                    &loc,
                    format!("Virtual server {name}: no forwarding method set, setting default NAT"),
                );
                vs_forwarding = Some(Forwarding::default());
            }
            vs_forwarding.clone().unwrap_or_default()
        }
    });

    // Quorum against the weights that can come up.
    let weight_sum = u32::try_from(weight_sum).unwrap_or(u32::MAX);
    let mut quorum = vs.effective_quorum();
    if quorum > weight_sum {
        err(
            d,
            &loc,
            format!(
                "Warning - quorum {quorum} for {name} exceeds total weight of real servers {weight_sum}, reducing quorum to {weight_sum}"
            ),
        );
        quorum = weight_sum;
    }
    let hysteresis = vs.hysteresis.unwrap_or(0);
    if hysteresis >= quorum {
        err(
            d,
            &loc,
            format!(
                "Virtual server {name}: hysteresis {hysteresis} >= quorum {quorum}; setting hysteresis to {}",
                quorum.wrapping_sub(1)
            ),
        );
    }

    // Ports: except with NAT, a real server must use the virtual server's port.
    match (&vs.target, sh.group) {
        (VsTarget::Group(_), Some(g)) => {
            if sh.has_fwmarks {
                for (rs, f) in &kept {
                    if f.method != LvsMethod::Nat && rs.port.is_some() {
                        err(
                            d,
                            &rs.loc,
                            format!(
                                "WARNING - fwmark virtual server {name}, real server {} has port specified - port will be ignored",
                                rs_name(rs, protocol)
                            ),
                        );
                    }
                }
                if let (Some(s), Some(f)) = (&vs.sorry_server, &sorry_fwd) {
                    if f.method != LvsMethod::Nat && s.port.is_some() {
                        err(
                            d,
                            &s.loc,
                            format!("WARNING - fwmark virtual server {name}, sorry server has port specified - port will be ignored"),
                        );
                    }
                }
            }
            for e in &g.entries {
                let VsgEntry::Range { port: gport, .. } = e else {
                    continue;
                };
                for (rs, f) in &kept {
                    if f.method != LvsMethod::Nat && rs.port.is_some() && rs.port != *gport {
                        err(
                            d,
                            &rs.loc,
                            format!(
                                "virtual server {name} and real server {} ports don't match",
                                rs_name(rs, protocol)
                            ),
                        );
                    }
                }
                if let (Some(s), Some(f)) = (&vs.sorry_server, &sorry_fwd) {
                    if f.method != LvsMethod::Nat && s.port.is_some() && s.port != *gport {
                        err(
                            d,
                            &s.loc,
                            format!("WARNING - virtual server {name}, sorry server has port specified - port will be ignored"),
                        );
                    }
                }
            }
        }
        (VsTarget::Group(_), None) => {}
        (target, _) => {
            let vport = match target {
                VsTarget::Addr { port, .. } => *port,
                _ => None,
            };
            for (rs, f) in &kept {
                if f.method == LvsMethod::Nat {
                    continue;
                }
                if is_fwmark_vs {
                    if rs.port.is_some() {
                        err(
                            d,
                            &rs.loc,
                            format!(
                                "WARNING - fwmark virtual server {name}, real server {} has port specified - clearing",
                                rs_name(rs, protocol)
                            ),
                        );
                    }
                } else if rs.port.is_some() && rs.port != vport {
                    err(
                        d,
                        &rs.loc,
                        format!(
                            "WARNING - virtual server {name} and real server {} ports don't match - resetting",
                            rs_name(rs, protocol)
                        ),
                    );
                }
            }
            if let (Some(s), Some(f)) = (&vs.sorry_server, &sorry_fwd) {
                if f.method != LvsMethod::Nat {
                    if is_fwmark_vs && s.port.is_some() {
                        err(
                            d,
                            &s.loc,
                            format!("WARNING - virtual server {name}, sorry server has port specified - clearing"),
                        );
                    } else if !is_fwmark_vs && s.port.is_some() && s.port != vport {
                        err(
                            d,
                            &s.loc,
                            format!("WARNING - virtual server {name} and sorry server ports don't match - resetting"),
                        );
                    }
                }
            }
        }
    }
}

/// keepalived's `FMT_RS`: `[IP]:proto:PORT`.
fn rs_name(rs: &RealServer, protocol: Option<Protocol>) -> String {
    format!(
        "[{}]:{}:{}",
        rs.ip,
        protocol.map_or("none", Protocol::name),
        rs.port.unwrap_or(0)
    )
}

/// Checker checks that keepalived does not make but that help operators; they are notices
/// so the verdict stays keepalived's.
fn validate_checkers(vs: &VirtualServer, rs: &RealServer, env: &Env, d: &mut Diagnostics) {
    for c in &rs.checkers {
        if let (Some(ifs), Some(i)) = (&env.interfaces, &c.common.bind_if) {
            if !ifs.contains(i) {
                d.notice(
                    Some(&c.loc),
                    format!("{}: bind_if interface {i} does not exist", c.name()),
                );
            }
        }
        let connects = matches!(
            c.kind,
            CheckerKind::Tcp
                | CheckerKind::Http(_)
                | CheckerKind::Ssl(_)
                | CheckerKind::Smtp(_)
                | CheckerKind::Dns(_)
                | CheckerKind::Udp(_)
        );
        let vs_port = match vs.target {
            VsTarget::Addr { port, .. } => port,
            _ => None,
        };
        if connects && c.common.connect_port.is_none() && rs.port.is_none() && vs_port.is_none() {
            d.notice(
                Some(&c.loc),
                format!(
                    "{}: no connect_port and the real server has no port - the checker will connect to port 0",
                    c.name()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{load_str, ReadOptions};

    fn run(text: &str) -> Diagnostics {
        let mut d = Diagnostics::new();
        let cfg = load_str("t.conf", text, &ReadOptions::default(), &mut d);
        validate(&cfg, &Env::default(), &mut d);
        d
    }

    fn vs(extra: &str, rs: &str) -> String {
        format!(
            "virtual_server 10.0.0.1 80 {{\n lb_algo rr\n lb_kind NAT\n protocol TCP\n{extra}\n real_server 10.0.0.2 80 {{\n{rs}\n }}\n}}\n"
        )
    }

    fn msgs(d: &Diagnostics) -> Vec<String> {
        d.errors().map(|x| x.msg.clone()).collect()
    }

    #[test]
    fn complete_vs_is_clean() {
        let d = run(&vs("", "weight 1"));
        assert_eq!(d.exit_code(), 0, "{:?}", msgs(&d));
    }

    #[test]
    fn missing_scheduler_method_protocol_are_errors() {
        let d = run("virtual_server 10.0.0.1 80 {\n real_server 10.0.0.2 80 {\n }\n}\n");
        let m = msgs(&d);
        assert!(m
            .iter()
            .any(|x| x.contains("no protocol set - defaulting to UDP")));
        assert!(m
            .iter()
            .any(|x| x.contains("no scheduler set, setting default 'wlc'")));
        assert!(m.iter().any(|x| x.contains("no forwarding method set")));
        assert_eq!(d.exit_code(), 5);
    }

    #[test]
    fn no_real_servers() {
        let d = run("virtual_server 10.0.0.1 80 {\n protocol TCP\n}\n");
        assert!(msgs(&d)[0].contains("[10.0.0.1]:tcp:80 has no real servers"));
        assert_eq!(d.items[0].loc, Some(Loc::new("t.conf", 1)));
    }

    #[test]
    fn quorum_and_hysteresis() {
        let d = run(&vs("quorum 5", "weight 1"));
        assert!(msgs(&d)[0]
            .contains("quorum 5 for [10.0.0.1]:tcp:80 exceeds total weight of real servers 1"));
        let d = run(&vs("hysteresis 2", "weight 1"));
        assert!(msgs(&d)[0].contains("hysteresis 2 >= quorum 1; setting hysteresis to 0"));
        let d = run(&vs("quorum 3\nhysteresis 2", "weight 3"));
        assert_eq!(d.exit_code(), 0);
    }

    #[test]
    fn fwmark_with_protocol_warns() {
        let d = run("virtual_server fwmark 1 {\n lb_algo rr\n lb_kind NAT\n protocol TCP\n real_server 10.0.0.2 {\n }\n}\n");
        assert_eq!(
            msgs(&d),
            ["Warning: Virtual server FWM 1: protocol specified for fwmark - protocol will be ignored"]
        );
    }

    #[test]
    fn duplicate_rs_and_dr_port_mismatch() {
        let d = run("virtual_server 10.0.0.1 80 {\n lb_algo rr\n lb_kind DR\n protocol TCP\n real_server 10.0.0.2 80 {\n }\n real_server 10.0.0.2 80 {\n }\n real_server 10.0.0.3 81 {\n }\n}\n");
        let m = msgs(&d);
        assert!(m[0].contains("real server [10.0.0.2]:tcp:80 is duplicated"));
        assert_eq!(d.items[0].loc, Some(Loc::new("t.conf", 7)));
        assert!(m[1].contains("and real server [10.0.0.3]:tcp:81 ports don't match"));
        assert_eq!(m.len(), 2);
    }

    #[test]
    fn zero_port_needs_persistence() {
        let d = run("virtual_server 10.0.0.1 {\n lb_algo rr\n lb_kind NAT\n protocol TCP\n real_server 10.0.0.2 80 {\n }\n}\n");
        assert!(msgs(&d)[0].contains("zero port only valid for persistent services"));
        let d = run("virtual_server 10.0.0.1 {\n lb_algo rr\n lb_kind NAT\n protocol TCP\n persistence_timeout\n real_server 10.0.0.2 80 {\n }\n}\n");
        assert_eq!(d.exit_code(), 0);
    }

    #[test]
    fn ha_suspend_with_fwmark_and_ops() {
        let d = run("virtual_server fwmark 3 {\n lb_algo rr\n lb_kind NAT\n ha_suspend\n real_server 10.0.0.2 {\n }\n}\n");
        assert!(msgs(&d)[0].contains("FWM 3: cannot use ha_suspend with fwmarks"));
        let d = run(&vs("ops", ""));
        assert!(msgs(&d)[0].contains("one packet scheduling requires UDP"));
    }

    #[test]
    fn group_entries_of_the_other_family_are_ignored() {
        // keepalived 2.2.7: no "no protocol set" here, the IPv6 entry is dropped silently.
        let d = run("virtual_server_group G {\n ae00::1 80\n}\nvirtual_server group G {\n lb_algo rr\n lb_kind NAT\n real_server 10.0.0.2 80 {\n }\n}\n");
        assert_eq!(d.exit_code(), 0, "{:?}", msgs(&d));
        let d = run("virtual_server_group G {\n ae00::1 80\n}\nvirtual_server group G {\n lb_algo rr\n lb_kind NAT\n real_server ae00::2 80 {\n }\n}\n");
        assert!(msgs(&d)[0].contains("[G]:0: no protocol set"));
    }

    #[test]
    fn group_rules() {
        // An undefined group is accepted by keepalived -t: a notice only.
        let d = run("virtual_server group NOPE {\n lb_algo rr\n lb_kind NAT\n real_server 10.0.0.2 80 {\n }\n}\n");
        assert_eq!(d.exit_code(), 0);
        assert!(d
            .items
            .iter()
            .any(|x| x.class.is_none() && x.msg.contains("NOPE")));
        let d = run("virtual_server_group G {\n fwmark 1\n}\nvirtual_server group G {\n lb_algo rr\n lb_kind NAT\n protocol TCP\n real_server 10.0.0.2 {\n }\n}\n");
        assert!(msgs(&d)[0].contains("protocol specified for fwmark"));
        let d = run("virtual_server_group G {\n 10.0.0.1 80\n 10.0.0.2\n}\nvirtual_server group G {\n lb_algo rr\n lb_kind NAT\n protocol TCP\n real_server 10.0.0.2 {\n }\n}\n");
        assert!(msgs(&d)[0].contains("[G]:0: zero port only valid"));
    }

    #[test]
    fn sorry_server_inhibit_mismatch() {
        let d = run(&vs("sorry_server 10.0.0.2 80", "inhibit_on_failure"));
        assert!(msgs(&d)[0].contains("matches sorry server, but inhibit setting differs, setting"));
    }

    #[test]
    fn bind_if_missing_is_a_notice() {
        let mut ifs = std::collections::BTreeSet::new();
        ifs.insert("eth0".to_string());
        let env = Env {
            interfaces: Some(ifs),
            ..Env::default()
        };
        let mut d = Diagnostics::new();
        let cfg = load_str(
            "t.conf",
            &vs("", "TCP_CHECK {\n bind_if eth9\n }"),
            &ReadOptions::default(),
            &mut d,
        );
        validate(&cfg, &env, &mut d);
        assert_eq!(d.exit_code(), 0);
        assert!(d
            .items
            .iter()
            .any(|x| x.msg.contains("bind_if interface eth9")));
    }
}
