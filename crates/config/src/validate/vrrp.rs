//! VRRP checks keepalived makes before running (`vrrp_complete_init` and
//! `vrrp_complete_instance`, reference §6): required VRID, interfaces that must exist,
//! authentication and strict-mode rules, trackers that must be defined, sync groups and
//! duplicate VRIDs. Called by `validate::validate`; messages and classes follow
//! keepalived 2.2.7 so `-t` gives the same exit code.

use super::Env;
use crate::diag::{Diagnostics, ErrorClass, Loc};
use crate::model::vrrp::{AuthType, Family, InitialState, Route, VrrpConfig, VrrpInstance};
use crate::model::Config;
use std::collections::BTreeMap;
use std::time::Duration;

/// Collects "interface does not exist" findings; keepalived then adds one summary line.
struct Ifs<'a> {
    env: &'a Env,
    missing: bool,
}

impl Ifs<'_> {
    /// Whether `name` exists; unknown when the environment gives no interface list.
    fn exists(&self, name: &str) -> bool {
        self.env
            .interfaces
            .as_ref()
            .is_none_or(|s| s.contains(name))
    }

    fn check(&mut self, d: &mut Diagnostics, name: &str, loc: &Loc, msg: impl FnOnce() -> String) {
        if !self.exists(name) {
            d.at(ErrorClass::Warning, loc, msg());
            self.missing = true;
        }
    }
}

/// Check the VRRP side of `cfg` against the machine described by `env`.
pub fn validate(cfg: &Config, env: &Env, d: &mut Diagnostics) {
    let v = &cfg.vrrp;
    let mut ifs = Ifs {
        env,
        missing: false,
    };

    // keepalived removes these at the end of their block, so instances that track them
    // find nothing (see `parse::vrrp::resolve_trackers`).
    for s in &v.scripts {
        if s.script.is_none() {
            d.at(
                ErrorClass::GeneralError,
                &s.loc,
                format!("No script set for vrrp_script {} - removing", s.name),
            );
        }
    }
    for p in &v.track_processes {
        if p.process.is_empty() {
            d.at(
                ErrorClass::GeneralError,
                &p.loc,
                format!("track process '{}' process name not specified", p.name),
            );
        }
    }

    static_items(v, &mut ifs, d);

    for (idx, g) in v.garp_groups.iter().enumerate() {
        if g.garp_interval.is_none() && g.gna_interval.is_none() {
            d.at(
                ErrorClass::GeneralError,
                &g.loc,
                format!(
                    "garp group {} does not have any delay set - removing",
                    idx + 1
                ),
            );
        }
        for i in &g.interfaces {
            ifs.check(d, i, &g.loc, || {
                format!("WARNING - interface {i} specified for garp_group doesn't exist")
            });
        }
    }

    for inst in &v.instances {
        instance(cfg, inst, &mut ifs, d);
    }

    tracking_weights(v, d);
    duplicate_vrids(cfg, d);
    sync_groups(v, d);
    for g in &v.sync_groups {
        for t in &g.track_interface {
            ifs.check(d, &t.name, &t.loc, || {
                format!("({}) tracked interface {} doesn't exist", g.name, t.name)
            });
        }
    }
    track_groups(v, d);

    if ifs.missing {
        d.report(
            ErrorClass::BadIf,
            None,
            "Non-existent interface specified in configuration",
        );
    }
}

fn static_items(v: &VrrpConfig, ifs: &mut Ifs<'_>, d: &mut Diagnostics) {
    for a in &v.static_addresses {
        if let Some(dev) = &a.dev {
            ifs.check(d, dev, &a.loc, || {
                format!(
                    "WARNING - interface {dev} for ip address {} doesn't exist",
                    a.addr
                )
            });
        }
    }
    for r in &v.static_routes {
        route(r, ifs, d);
    }
    // keepalived 2.2.7 reports these as bad interfaces only (exit 4 on their own).
    for l in &v.linkbeat_interfaces {
        if !ifs.exists(&l.name) {
            d.at(
                ErrorClass::BadIf,
                &l.loc,
                format!(
                    "unknown interface {} specified for linkbeat interface",
                    l.name
                ),
            );
        }
    }
    for u in &v.interface_up_down_delays {
        if !ifs.exists(&u.name) {
            d.at(
                ErrorClass::BadIf,
                &u.loc,
                format!("unknown interface {} specified for up/down delay", u.name),
            );
        }
    }
    for r in &v.static_rules {
        rule_ifs(r, ifs, d);
    }
}

fn route(r: &Route, ifs: &mut Ifs<'_>, d: &mut Diagnostics) {
    // keepalived only tracks a route through its own `dev`, even when every nexthop has one.
    let has_if = r.dev.is_some();
    if let Some(dev) = &r.dev {
        ifs.check(d, dev, &r.loc, || {
            format!("WARNING - interface {dev} for VROUTE nexthop doesn't exist")
        });
    }
    for nh in &r.nexthops {
        if let Some(dev) = &nh.dev {
            ifs.check(d, dev, &r.loc, || {
                format!("WARNING - interface {dev} for VROUTE nexthop doesn't exist")
            });
        }
    }
    if !has_if && !r.no_track {
        d.at(
            ErrorClass::Warning,
            &r.loc,
            format!(
                "Warning - cannot track route {}/{} with no interface specified, not tracking",
                r.dst, r.dst_len
            ),
        );
    }
}

fn rule_ifs(r: &crate::model::vrrp::Rule, ifs: &mut Ifs<'_>, d: &mut Diagnostics) {
    for dev in [&r.iif, &r.oif].into_iter().flatten() {
        ifs.check(d, dev, &r.loc, || {
            format!("WARNING - interface {dev} for rule doesn't exist")
        });
    }
}

/// The effective VRRP version of an instance.
pub fn version_of(cfg: &Config, inst: &VrrpInstance) -> u8 {
    if inst.family() == Family::Inet6 {
        return 3;
    }
    inst.version.unwrap_or(cfg.global.vrrp_version)
}

fn base_priority(inst: &VrrpInstance) -> u8 {
    inst.effective_priority()
}

fn strict(cfg: &Config, inst: &VrrpInstance) -> bool {
    inst.strict_mode.unwrap_or(cfg.global.vrrp_strict)
}

fn instance(cfg: &Config, inst: &VrrpInstance, ifs: &mut Ifs<'_>, d: &mut Diagnostics) {
    let name = &inst.name;
    let iloc = inst.interface_loc.as_ref().unwrap_or(&inst.loc);
    let err = |d: &mut Diagnostics, msg: String| d.at(ErrorClass::GeneralError, &inst.loc, msg);

    // keepalived 2.2.7 does not fall back to default_interface here under -t.
    match inst.interface.as_deref() {
        Some("lo") => {
            d.at(
                ErrorClass::GeneralError,
                iloc,
                format!("({name}) cannot use a loopback interface (lo) for vrrp - ignoring"),
            );
            err(d, format!("({name}) Unknown interface!"));
        }
        Some(i) => ifs.check(d, i, iloc, || {
            format!("WARNING - interface {i} for vrrp_instance {name} doesn't exist")
        }),
        None => err(d, format!("({name}) Unknown interface!")),
    }

    if inst.vrf.is_some() && inst.interface.is_some() {
        err(
            d,
            format!("({name}) Cannot specify VRF interface and interface - ignoring"),
        );
    }

    if inst.vrid.is_none() {
        err(d, format!("({name}) the virtual router id must be set"));
    }

    if inst.promote_secondaries && inst.vmac.is_some() {
        err(
            d,
            format!("({name}) promote_secondaries is automatically set for vmacs - ignoring"),
        );
    }

    if inst.vmac_xmit_base && inst.vmac.is_none() {
        err(
            d,
            format!("({name}) vmac_xmit_base is only valid with a vmac"),
        );
    }

    if let Some(ip) = &inst.ipvlan {
        let has_v4_addr = ip
            .addr
            .as_deref()
            .and_then(crate::parse::ipaddr::parse_prefix)
            .is_some_and(|(a, _)| a.is_ipv4());
        if inst.family() == Family::Inet && !has_v4_addr {
            err(
                d,
                format!("({name}) IPv4 ipvlan requires a source ip address to be configured. setting instance to fault state"),
            );
        }
    }

    if let Some(vm) = &inst.vmac {
        if let (Some(vn), Some(loc)) = (&vm.name, &vm.name_loc) {
            // Under -t the name must not be taken by an interface we did not create.
            if ifs.env.interfaces.as_ref().is_some_and(|s| s.contains(vn)) {
                d.at(
                    ErrorClass::GeneralError,
                    loc,
                    format!("({name}) interface {vn} already exists and is not a private macvlan; ignoring vmac if_name"),
                );
            }
        }
        if !inst.unicast_peers.is_empty() && !inst.vmac_xmit_base {
            err(
                d,
                format!("({name}) unicast with use_vmac requires vmac_xmit_base - setting"),
            );
        }
    }

    if inst.unicast_peers.is_empty() {
        // With unicast_fault_no_peer the instance goes to FAULT instead (logged then).
        if !inst.unicast_fault_no_peer
            && (inst.unicast_src_given
                || inst.unicast_peer_block
                || inst.check_unicast_src
                || inst.old_unicast_checksum.is_some())
        {
            err(
                d,
                format!("({name}) A unicast keyword has been specified without any unicast peers. Defaulting to multicast. This usage is deprecated - please update your configuration."),
            );
        }
        if inst.unicast_ttl.is_some() {
            err(
                d,
                format!("({name}): Cannot use unicast_ttl without unicast peers - resetting"),
            );
        }
    }

    for t in &inst.track_interface {
        ifs.check(d, &t.name, &t.loc, || {
            format!("({name}) tracked interface {} doesn't exist", t.name)
        });
    }
    for a in inst.vips.iter().chain(inst.evips.iter()) {
        if let Some(dev) = &a.dev {
            ifs.check(d, dev, &a.loc, || {
                format!(
                    "WARNING - interface {dev} for ip address {} doesn't exist",
                    a.addr
                )
            });
        }
    }
    for r in &inst.routes {
        route(r, ifs, d);
    }
    for r in &inst.rules {
        rule_ifs(r, ifs, d);
    }

    let strict = strict(cfg, inst);
    let version = version_of(cfg, inst);
    let family = inst.family();
    if strict && family == Family::Inet6 && inst.version == Some(2) {
        err(
            d,
            format!("({name}) cannot use IPv6 with VRRP version 2; setting version 3"),
        );
    }

    if inst.vips.is_empty() && !inst.no_virtual_ipaddress {
        let what = if version == 3 || family == Family::Inet6 || strict {
            "required"
        } else {
            "sensible"
        };
        err(
            d,
            format!("({name}) No VIP specified; at least one is {what}"),
        );
    }

    // The advert must fit in one packet; keepalived assumes the interface MTU (1500 here,
    // as the environment does not give MTUs) and caps the count field at 255.
    let max_addr = if family == Family::Inet6 {
        (1500 - (14 + 40 + 8)) / 16
    } else {
        255
    };
    if inst.vips.len() > max_addr {
        err(
            d,
            format!(
                "({name}) Number of VIPs ({}) exceeds maximum/space available in packet (max {max_addr} addresses) - excess moved to eVIPs",
                inst.vips.len()
            ),
        );
    }

    let prio = base_priority(inst);
    let want_master = match inst.state {
        InitialState::Master => true,
        InitialState::Backup => false,
        InitialState::Unset => prio == 255,
    };

    // Authentication (VRRPv2 only).
    if inst.auth_type != AuthType::None {
        if strict {
            err(
                d,
                format!("({name}) Strict mode does not support authentication. Ignoring."),
            );
        } else if version == 3 {
            err(
                d,
                format!("({name}) VRRP version 3 does not support authentication. Ignoring."),
            );
        } else if inst.auth_pass.as_deref().unwrap_or("").is_empty() {
            err(
                d,
                format!("({name}) Authentication specified but no password given. Ignoring"),
            );
        } else if family == Family::Inet6 && inst.auth_type == AuthType::Ah {
            err(
                d,
                format!("({name}) Cannot use AH authentication with IPv6 - ignoring"),
            );
        } else if inst.auth_type == AuthType::Ah && want_master && prio != 255 {
            err(
                d,
                format!(
                    "({name}) Initial state master is incompatible with AH authentication - clearing"
                ),
            );
        }
    }

    // Initial state against priority.
    let mut want_master = want_master;
    if strict
        && inst.state != InitialState::Unset
        && inst.priority.is_some()
        && want_master != (prio == 255)
    {
        err(
            d,
            format!("({name}) State MASTER must match being address owner"),
        );
        want_master = prio == 255;
    }
    let mut nopreempt = inst.nopreempt;
    if prio == 255 && nopreempt {
        err(
            d,
            format!("({name}) nopreempt is incompatible with priority 255. resetting nopreempt"),
        );
        nopreempt = false;
    }
    let mut preempt_delay = inst.preempt_delay > Duration::ZERO;
    if want_master {
        if nopreempt {
            err(
                d,
                format!("({name}) Warning - nopreempt will not work with initial state MASTER - clearing"),
            );
            nopreempt = false;
        }
        if preempt_delay {
            err(
                d,
                format!("({name}) Warning - preempt delay will not work with initial state MASTER - clearing"),
            );
            preempt_delay = false;
        }
    }
    if preempt_delay && strict {
        err(
            d,
            format!("({name}) preempt_delay is incompatible with strict mode - resetting"),
        );
    } else if preempt_delay && nopreempt {
        err(
            d,
            format!("({name}) preempt_delay is incompatible with nopreempt mode - resetting"),
        );
    }

    if strict {
        // RFC 5798 wants a link-local first address; keepalived enforces it in strict mode.
        if family == Family::Inet6 && inst.unicast_peers.is_empty() {
            let first_ll = inst.vips.first().is_some_and(|v| match v.addr {
                std::net::IpAddr::V6(a) => {
                    a.segments().first().is_some_and(|s| s & 0xffc0 == 0xfe80)
                }
                std::net::IpAddr::V4(_) => false,
            });
            if !inst.vips.is_empty() && !first_ll {
                err(
                    d,
                    format!("({name}) the first IPv6 VIP address must be link local"),
                );
            }
        }
        if inst.down_timer_adverts.is_some_and(|n| n != 3) {
            err(
                d,
                format!("({name}) down_timer_adverts is incompatible with strict mode - resetting"),
            );
        }
        if inst.accept == Some(true) && prio != 255 && version == 2 {
            err(
                d,
                format!("({name}) warning - accept mode for VRRP version 2 does not comply with RFC3768 - resetting"),
            );
        }
        if inst.garp_lower_prio_repeat.is_some_and(|r| r > 0) {
            err(
                d,
                format!("({name}) Strict mode requires no repeat garps. resetting"),
            );
        }
        if inst
            .garp_lower_prio_delay
            .is_some_and(|r| r > Duration::ZERO)
        {
            err(
                d,
                format!("({name}) Strict mode requires no repeat garp delay. resetting"),
            );
        }
        if inst.lower_prio_no_advert == Some(false) {
            err(
                d,
                format!("({name}) Strict mode requires no lower priority advert. resetting"),
            );
        }
        if inst.higher_prio_send_advert == Some(true) {
            err(
                d,
                format!(
                    "({name}) strict mode requires higher_prio_send_advert to be clear - resetting"
                ),
            );
        }
    }

    // Advertisement interval.
    let micros = inst.advert_int.as_micros();
    if version == 2 && !micros.is_multiple_of(1_000_000) {
        err(
            d,
            format!(
                "({name}) VRRPv2 advertisement interval {:.6}s must be an integer. rounding",
                inst.advert_int.as_secs_f64()
            ),
        );
    } else if version == 3 && micros >= 40_960_000 {
        err(
            d,
            format!(
                "({name}) VRRPv3 advertisement interval {:.2}s is out of range. Must be less than 40.96s. Setting to 40.95s",
                inst.advert_int.as_secs_f64()
            ),
        );
    }
}

/// Weighted tracking that keepalived ignores: on an address owner (priority 255) and on
/// members of a sync group without `sync_group_tracking_weight`.
fn tracking_weights(v: &VrrpConfig, d: &mut Diagnostics) {
    for inst in &v.instances {
        let name = &inst.name;
        let owner = base_priority(inst) == 255;
        let in_sync = v
            .sync_groups
            .iter()
            .any(|g| !g.sync_group_tracking_weight && g.group.iter().any(|(m, _)| m == name));
        if !owner && !in_sync {
            continue;
        }
        let why = if owner { "address_owner" } else { "SYNC group" };
        for t in &inst.track_script {
            let Some(s) = v
                .scripts
                .iter()
                .find(|s| s.name == t.name && s.script.is_some())
            else {
                continue;
            };
            if t.weight.unwrap_or(s.weight) != 0 {
                d.at(
                    ErrorClass::GeneralError,
                    &t.loc,
                    format!(
                        "({name}) ignoring tracked script {} with weights due to {why}",
                        t.name
                    ),
                );
            }
        }
        for t in &inst.track_file {
            let Some(f) = v
                .track_files
                .iter()
                .find(|f| f.name == t.name && f.file.is_some())
            else {
                continue;
            };
            let w = t.weight.unwrap_or(f.weight);
            if w != 0 {
                let msg = if owner {
                    format!("({name}) ignoring weight from tracked file {} due to address_owner. specify weight 0", t.name)
                } else {
                    format!(
                        "({name}) ignoring tracked file {} with weight {w} due to SYNC group",
                        t.name
                    )
                };
                d.at(ErrorClass::GeneralError, &t.loc, msg);
            }
        }
        for t in &inst.track_interface {
            if t.weight.is_some_and(|w| w != 0) {
                let msg = if owner {
                    format!(
                        "({name}) ignoring {} tracked interface due to address owner",
                        t.name
                    )
                } else {
                    format!(
                        "({name}) ignoring {} tracked interface weight due to SYNC group",
                        t.name
                    )
                };
                d.at(ErrorClass::GeneralError, &t.loc, msg);
            }
        }
    }
}

/// Two multicast instances on one interface and family, sending to the same group with
/// the same VRID, clash. keepalived 2.2.7 does not compare unicast instances.
fn duplicate_vrids(cfg: &Config, d: &mut Diagnostics) {
    type Key = (String, bool, u8, Option<std::net::IpAddr>);
    let mut seen: BTreeMap<Key, &str> = BTreeMap::new();
    for inst in &cfg.vrrp.instances {
        let (Some(vrid), Some(ifname)) = (inst.vrid, inst.interface.as_ref()) else {
            continue;
        };
        if !inst.unicast_peers.is_empty() {
            continue;
        }
        let v6 = inst.family() == Family::Inet6;
        let key = (ifname.clone(), v6, vrid, inst.mcast_dst_ip);
        if let Some(first) = seen.get(&key) {
            d.at(
                ErrorClass::GeneralError,
                &inst.loc,
                format!(
                    "{first} and {} both use VRID {vrid} with {} on interface {ifname}",
                    inst.name,
                    if v6 { "IPv6" } else { "IPv4" }
                ),
            );
        } else {
            seen.insert(key, &inst.name);
        }
    }
}

fn sync_groups(v: &VrrpConfig, d: &mut Diagnostics) {
    let mut member_of: BTreeMap<&str, &str> = BTreeMap::new();
    for g in &v.sync_groups {
        if g.group.is_empty() {
            d.at(
                ErrorClass::GeneralError,
                &g.loc,
                format!("Sync group {} has no virtual router(s). removing", g.name),
            );
            continue;
        }
        let mut found = 0;
        for (m, loc) in &g.group {
            if v.instance(m).is_none() {
                d.at(
                    ErrorClass::GeneralError,
                    loc,
                    format!(
                        "Virtual router {m} specified in sync group {} doesn't exist - ignoring",
                        g.name
                    ),
                );
                continue;
            }
            if let Some(other) = member_of.insert(m, &g.name) {
                d.at(
                    ErrorClass::GeneralError,
                    loc,
                    format!("VRRP instance {m} is already in sync group {other}"),
                );
                continue;
            }
            found += 1;
        }
        match found {
            0 => d.at(
                ErrorClass::GeneralError,
                &g.loc,
                format!(
                    "Sync group {}, no matching virtual router found in group declaration - removing",
                    g.name
                ),
            ),
            1 => d.at(
                ErrorClass::GeneralError,
                &g.loc,
                format!(
                    "Sync group {} has only 1 virtual router(s) - this probably isn't what you want",
                    g.name
                ),
            ),
            _ => {}
        }
    }
}

fn track_groups(v: &VrrpConfig, d: &mut Diagnostics) {
    for g in &v.track_groups {
        let mut found = 0;
        for m in &g.instances {
            if v.instance(m).is_some() {
                found += 1;
            } else {
                // keepalived 2.2.7 logs these without counting them as config errors.
                d.notice(
                    Some(&g.loc),
                    format!(
                        "vrrp instance {m} specified in track group {} doesn't exist - ignoring",
                        g.name
                    ),
                );
            }
        }
        if found == 0 {
            d.notice(
                Some(&g.loc),
                format!("Static track group {} has no virtual router(s)", g.name),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ReadOptions;

    fn env() -> Env {
        Env::with_interfaces(&["lo", "eth0", "eth1", "eth2", "eth3"])
    }

    fn check(text: &str) -> Diagnostics {
        let mut d = Diagnostics::new();
        let c = crate::load_str("v.conf", text, &ReadOptions::default(), &mut d);
        validate(&c, &env(), &mut d);
        d
    }

    fn inst(extra: &str, vip: &str) -> String {
        format!(
            "vrrp_instance VI_1 {{\n interface eth0\n virtual_router_id 51\n{extra}\n virtual_ipaddress {{\n  {vip}\n }}\n}}\n"
        )
    }

    fn msgs(d: &Diagnostics) -> Vec<String> {
        d.items.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn clean_instance_passes() {
        let d = check(&inst("", "10.0.0.1"));
        assert!(d.items.is_empty(), "{:?}", msgs(&d));
        let d = check(&inst("", "fe80::1"));
        assert!(d.items.is_empty(), "{:?}", msgs(&d));
    }

    #[test]
    fn missing_interfaces() {
        let d = check(&inst("interface eth9", "10.0.0.1 dev eth8"));
        let m = msgs(&d);
        assert!(
            m.contains(
                &"v.conf:4: warning: WARNING - interface eth9 for vrrp_instance VI_1 doesn't exist"
                    .to_string()
            ),
            "{m:?}"
        );
        assert!(m
            .iter()
            .any(|x| x.contains("interface eth8 for ip address 10.0.0.1")));
        assert!(d.has(ErrorClass::BadIf));
        // A warning outranks BadIf: keepalived 2.2.7 exits 5 here.
        assert_eq!(d.exit_code(), 5);
        let d = check(&inst("interface lo", "10.0.0.1"));
        assert!(msgs(&d)[0].contains("cannot use a loopback interface (lo)"));
    }

    #[test]
    fn vrid_required_and_duplicates() {
        let d = check(
            "vrrp_instance VI_1 {\n interface eth0\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n",
        );
        assert!(msgs(&d)[0].contains("(VI_1) the virtual router id must be set"));
        let two = format!(
            "{}{}",
            inst("", "10.0.0.1"),
            inst("", "10.0.0.2").replace("VI_1", "VI_2")
        );
        let d = check(&two);
        assert!(msgs(&d)
            .iter()
            .any(|m| m.contains("VI_1 and VI_2 both use VRID 51 with IPv4 on interface eth0")));
        // Different family, multicast group or unicast: no clash.
        let two = format!(
            "{}{}",
            inst(" mcast_dst_ip 224.0.0.20", "10.0.0.1"),
            inst("", "10.0.0.2").replace("VI_1", "VI_2")
        );
        assert!(check(&two).items.is_empty());
        let peer = " unicast_peer {\n  10.0.0.9\n }";
        let two = format!(
            "{}{}",
            inst(peer, "10.0.0.1"),
            inst(peer, "10.0.0.2").replace("VI_1", "VI_2")
        );
        assert!(check(&two).items.is_empty());
        let two = format!(
            "{}{}",
            inst("", "10.0.0.1"),
            inst("", "fe80::2").replace("VI_1", "VI_2")
        );
        assert!(check(&two).items.is_empty());
    }

    #[test]
    fn auth_rules() {
        let ah =
            " state MASTER\n priority 100\n authentication {\n  auth_type AH\n  auth_pass 1111\n }";
        let d = check(&inst(ah, "10.0.0.1"));
        assert!(msgs(&d)[0].contains("Initial state master is incompatible with AH authentication"));
        // Without a priority, state MASTER makes the instance the owner: no complaint.
        let ah_owner = " state MASTER\n authentication {\n  auth_type AH\n  auth_pass 1111\n }";
        assert!(check(&inst(ah_owner, "10.0.0.1")).items.is_empty());
        let v3 = " version 3\n authentication {\n  auth_type PASS\n  auth_pass 1111\n }";
        assert!(msgs(&check(&inst(v3, "10.0.0.1")))[0]
            .contains("VRRP version 3 does not support authentication"));
    }

    #[test]
    fn strict_mode_rules() {
        let text = format!(
            "global_defs {{\n vrrp_strict\n}}\n{}",
            inst(" state MASTER\n priority 100\n authentication {\n  auth_type PASS\n  auth_pass 1111\n }", "10.0.0.1")
        );
        let m = msgs(&check(&text));
        assert!(m
            .iter()
            .any(|x| x.contains("(VI_1) Strict mode does not support authentication. Ignoring.")));
        assert!(m
            .iter()
            .any(|x| x.contains("(VI_1) State MASTER must match being address owner")));
    }

    #[test]
    fn trackers_must_exist() {
        let text = format!(
            "vrrp_script chk {{\n interval 1\n}}\n{}",
            inst(" track_script {\n  chk\n }\n track_file {\n  nf\n }\n track_interface {\n  eth7\n }", "10.0.0.1")
        );
        let m = msgs(&check(&text));
        assert!(
            m.contains(
                &"v.conf:1: error: No script set for vrrp_script chk - removing".to_string()
            ),
            "{m:?}"
        );
        assert!(
            m.contains(
                &"v.conf:8: error: (VI_1) track script chk not found, ignoring...".to_string()
            ),
            "{m:?}"
        );
        assert!(m
            .iter()
            .any(|x| x.contains("(VI_1) track file nf not found")));
        assert!(m
            .iter()
            .any(|x| x.contains("(VI_1) tracked interface eth7 doesn't exist")));
    }

    #[test]
    fn sync_groups_checked() {
        let d = check(&format!(
            "vrrp_sync_group VG1 {{\n VI_2\n}}\n{}",
            inst("", "10.0.0.1")
        ));
        let m = msgs(&d);
        assert!(m
            .iter()
            .any(|x| x.contains("Sync group VG1 has no virtual router(s). removing")));
        let d = check(&format!(
            "vrrp_sync_group G {{\n group {{\n  VI_1\n  VI_9\n }}\n}}\n{}",
            inst("", "10.0.0.1")
        ));
        let m = msgs(&d);
        assert!(m
            .iter()
            .any(|x| x.contains("Virtual router VI_9 specified in sync group G doesn't exist")));
        assert!(m.iter().any(|x| x.contains("has only 1 virtual router(s)")));
    }

    #[test]
    fn routes_without_interface_warn() {
        let d = check(&inst(
            " virtual_routes {\n  10.1.0.0/16 via 10.0.0.254\n  10.2.0.0/16 dev eth1\n }",
            "10.0.0.1",
        ));
        let m = msgs(&d);
        assert_eq!(m, vec!["v.conf:5: warning: Warning - cannot track route 10.1.0.0/16 with no interface specified, not tracking"]);
    }

    #[test]
    fn timers_and_preempt() {
        let m = msgs(&check(&inst(" advert_int 0.5", "10.0.0.1")));
        assert!(m[0].contains("VRRPv2 advertisement interval 0.500000s must be an integer"));
        assert!(check(&inst(" advert_int 0.5\n version 3", "10.0.0.1"))
            .items
            .is_empty());
        let m = msgs(&check(&inst(
            " nopreempt\n state MASTER\n priority 100",
            "10.0.0.1",
        )));
        assert!(m[0].contains("nopreempt will not work with initial state MASTER"));
        let m = msgs(&check(&inst(" nopreempt\n priority 255", "10.0.0.1")));
        assert!(m[0].contains("nopreempt is incompatible with priority 255"));
    }

    #[test]
    fn ignored_tracking_weights() {
        let text = format!(
            "vrrp_script x {{\n script /bin/true\n weight 10\n}}\ntrack_file f {{\n file /tmp/f\n}}\n{}",
            inst(" priority 255\n track_script {\n  x\n }\n track_file {\n  f weight 0\n }\n track_interface {\n  eth1 weight 5\n }", "10.0.0.1")
        );
        let m = msgs(&check(&text));
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(m[0].contains("(VI_1) ignoring tracked script x with weights due to address_owner"));
        assert!(m[1].contains("(VI_1) ignoring eth1 tracked interface due to address owner"));
    }

    #[test]
    fn promote_secondaries_is_ignored_with_a_vmac() {
        let m = msgs(&check(&inst(" use_vmac\n promote_secondaries", "10.0.0.1")));
        assert!(
            m.iter().any(|m| m
                .contains("(VI_1) promote_secondaries is automatically set for vmacs - ignoring")),
            "{m:?}"
        );
        let plain = msgs(&check(&inst(" promote_secondaries", "10.0.0.1")));
        assert!(plain.is_empty(), "{plain:?}");
    }

    #[test]
    fn unicast_keywords_need_peers() {
        let m = msgs(&check(&inst(
            " unicast_src_ip 10.0.0.5\n unicast_ttl 5",
            "10.0.0.1",
        )));
        assert!(m[0].contains("A unicast keyword has been specified without any unicast peers"));
        assert!(m[1].contains("Cannot use unicast_ttl without unicast peers"));
        let ok = inst(
            " unicast_src_ip 10.0.0.5\n unicast_peer {\n  10.0.0.6\n }",
            "10.0.0.1",
        );
        assert!(check(&ok).items.is_empty());
        // unicast_fault_no_peer: FAULT at run time instead of the deprecation warning.
        let fault = inst(
            " unicast_src_ip 10.0.0.5\n unicast_fault_no_peer",
            "10.0.0.1",
        );
        assert!(check(&fault).items.is_empty(), "{:?}", msgs(&check(&fault)));
    }

    #[test]
    fn static_blocks_and_groups() {
        let text = format!(
            "static_routes {{\n 10.4.0.0/16 dev eth0 track_group X\n 10.5.0.0/16 via 10.0.0.1\n}}\ngarp_group {{\n interface eth9\n}}\ntrack_group T {{\n group {{\n  VI_9\n }}\n}}\n{}",
            inst("", "10.0.0.1")
        );
        let d = check(&text);
        let m = msgs(&d);
        assert!(
            m.contains(&"v.conf:2: error: track_group X not found".to_string()),
            "{m:?}"
        );
        assert!(m
            .iter()
            .any(|x| x.starts_with("v.conf:3: warning: Warning - cannot track route 10.5.0.0/16")));
        assert!(m
            .iter()
            .any(|x| x.contains("garp group 1 does not have any delay set - removing")));
        assert!(m
            .iter()
            .any(|x| x.contains("interface eth9 specified for garp_group doesn't exist")));
        // keepalived 2.2.7 only logs a track group naming an unknown instance.
        let tg: Vec<_> = d
            .items
            .iter()
            .filter(|x| x.msg.contains("track group T"))
            .collect();
        assert!(!tg.is_empty() && tg.iter().all(|x| x.class.is_none()));
    }

    #[test]
    fn linkbeat_and_delay_interfaces_are_bad_if() {
        let d = check(
            "linkbeat_interfaces {\n eth9\n}\ninterface_up_down_delays {\n eth8 1 2\n eth0 1\n}\n",
        );
        let m = msgs(&d);
        assert_eq!(
            m,
            vec![
                "v.conf:2: error: unknown interface eth9 specified for linkbeat interface",
                "v.conf:5: error: unknown interface eth8 specified for up/down delay",
            ]
        );
        // keepalived 2.2.7 exits 4 for these alone.
        assert_eq!(d.exit_code(), 4);
    }

    #[test]
    fn no_vip() {
        let d = check("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 5\n}\n");
        assert!(msgs(&d)[0].contains("No VIP specified; at least one is sensible"));
        assert_eq!(d.exit_code(), 5);
    }
}
