//! From keepalived's configuration (`keepalived_config::model::check`) to IPVS values: the
//! services of a `virtual_server` (with `virtual_server_group` expansion: address ranges
//! and fwmarks) and the destination of each `real_server`/`sorry_server`. Applies
//! keepalived's defaults the validator only warns about (protocol UDP when unset, wlc,
//! NAT, weight 1, persistence 360 s for a zero port or a bare granularity). Called by the
//! checker to build its desired table.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use keepalived_config::model::check::{
    self as cfg, CheckConfig, Forwarding, LvsMethod, RealServer, TunCsum, TunType, VirtualServer,
    VsTarget, VsgEntry, DEFAULT_PERSISTENCE_TIMEOUT,
};

use crate::model::{Dest, Family, Forward, Protocol, Service, ServiceKey, TunnelType};
use crate::uapi::svc_flags;

/// Largest number of services one group range may expand to.
pub const MAX_RANGE: u128 = 65_536;

/// A virtual server that cannot be turned into IPVS services.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("virtual server {vs}: {reason}")]
pub struct ConfigError {
    pub vs: String,
    pub reason: String,
}

fn family(f: cfg::Family) -> Family {
    match f {
        cfg::Family::Inet => Family::V4,
        cfg::Family::Inet6 => Family::V6,
    }
}

fn forwarding_of<'a>(vs: &'a VirtualServer, own: Option<&'a Forwarding>) -> Option<&'a Forwarding> {
    own.or(vs.forwarding.as_ref())
}

/// The family of a fwmark service: `ip_family`, else that of the first real server that is
/// not tunnelled, else the sorry server's, else the first real server's, else IPv4.
fn fwmark_family(vs: &VirtualServer) -> Family {
    if let Some(f) = vs.ip_family {
        return family(f);
    }
    let tunnelled = |own: Option<&Forwarding>| {
        forwarding_of(vs, own).is_some_and(|f| f.method == LvsMethod::Tun)
    };
    vs.real_servers
        .iter()
        .find(|rs| !tunnelled(rs.forwarding.as_ref()))
        .map(|rs| Family::of(&rs.ip))
        .or_else(|| vs.sorry_server.as_ref().map(|s| Family::of(&s.ip)))
        .or_else(|| vs.real_servers.first().map(|rs| Family::of(&rs.ip)))
        .unwrap_or(Family::V4)
}

/// Every address of `first..=last`, at most `MAX_RANGE` of them.
fn expand_range(first: IpAddr, last: IpAddr) -> Result<Vec<IpAddr>, String> {
    match (first, last) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            let (a, b) = (u32::from(a), u32::from(b));
            if a > b || u128::from(b - a) >= MAX_RANGE {
                return Err(format!("bad address range {first}-{last}"));
            }
            Ok((a..=b).map(|x| IpAddr::V4(Ipv4Addr::from(x))).collect())
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => {
            let (a, b) = (u128::from(a), u128::from(b));
            if a > b || b - a >= MAX_RANGE {
                return Err(format!("bad address range {first}-{last}"));
            }
            Ok((a..=b).map(|x| IpAddr::V6(Ipv6Addr::from(x))).collect())
        }
        _ => Err(format!("address range {first}-{last} mixes families")),
    }
}

/// The settings every service of `vs` shares, applied to `key`.
fn service(vs: &VirtualServer, key: ServiceKey) -> Result<Service, String> {
    let mut s = Service::new(key, vs.effective_scheduler());
    let by_addr = match key {
        ServiceKey::Addr { .. } => true,
        ServiceKey::Fwmark { .. } => false,
    };
    let f = &vs.sched_flags;
    // HASHED is the kernel's own flag: accepted in the config, never sent.
    if f.ops
        && (!by_addr
            || matches!(
                key,
                ServiceKey::Addr {
                    protocol: Protocol::Udp,
                    ..
                }
            ))
    {
        s.flags |= svc_flags::ONEPACKET;
    }
    for (on, bit) in [
        (f.flag1, svc_flags::SCHED1),
        (f.flag2, svc_flags::SCHED2),
        (f.flag3, svc_flags::SCHED3),
    ] {
        if on {
            s.flags |= bit;
        }
    }
    let mut timeout = vs.persistence_timeout;
    if let Some(g) = &vs.persistence_granularity {
        s.netmask = match key.family() {
            Family::V4 => {
                let m: Ipv4Addr = g
                    .parse()
                    .map_err(|_| format!("persistence_granularity {g} is not an IPv4 netmask"))?;
                let bits = u32::from(m);
                if bits.leading_ones() + bits.trailing_zeros() != 32 {
                    return Err(format!(
                        "persistence_granularity {g} is not a solid netmask"
                    ));
                }
                bits
            }
            Family::V6 => match g.parse::<u32>() {
                Ok(p) if (1..=128).contains(&p) => p,
                _ => {
                    return Err(format!(
                        "persistence_granularity {g} is not an IPv6 prefix length"
                    ))
                }
            },
        };
        timeout = timeout.or(Some(DEFAULT_PERSISTENCE_TIMEOUT));
    }
    if let ServiceKey::Addr { port: 0, .. } = key {
        timeout = timeout.or(Some(DEFAULT_PERSISTENCE_TIMEOUT));
    }
    if let Some(t) = timeout {
        s.flags |= svc_flags::PERSISTENT;
        s.timeout = t;
    }
    s.pe_name = vs.persistence_engine.clone();
    Ok(s)
}

fn protocol(vs: &VirtualServer) -> Protocol {
    match vs.protocol {
        Some(cfg::Protocol::Tcp) => Protocol::Tcp,
        Some(cfg::Protocol::Sctp) => Protocol::Sctp,
        // keepalived: "no protocol set - defaulting to UDP".
        Some(cfg::Protocol::Udp) | None => Protocol::Udp,
    }
}

/// The IPVS services of one virtual server; a group expands to one service per address
/// and per fwmark. A group that does not exist gives no service (keepalived sets none up).
pub fn services(check: &CheckConfig, vs: &VirtualServer) -> Result<Vec<Service>, ConfigError> {
    let fail = |reason: String| ConfigError {
        vs: vs.display_name(),
        reason,
    };
    let mut keys = Vec::new();
    match &vs.target {
        VsTarget::Addr { ip, port } => keys.push(ServiceKey::Addr {
            protocol: protocol(vs),
            addr: *ip,
            port: port.unwrap_or(0),
        }),
        VsTarget::Fwmark(mark) => keys.push(ServiceKey::Fwmark {
            family: fwmark_family(vs),
            mark: *mark,
        }),
        VsTarget::Group(name) => {
            let Some(g) = check.groups.iter().find(|g| &g.name == name) else {
                return Ok(Vec::new());
            };
            for e in &g.entries {
                match e {
                    VsgEntry::Range {
                        first, last, port, ..
                    } => {
                        for addr in expand_range(*first, *last).map_err(fail)? {
                            keys.push(ServiceKey::Addr {
                                protocol: protocol(vs),
                                addr,
                                port: port.unwrap_or(0),
                            });
                        }
                    }
                    VsgEntry::Fwmark {
                        mark, family: f, ..
                    } => keys.push(ServiceKey::Fwmark {
                        family: f.map(family).unwrap_or_else(|| fwmark_family(vs)),
                        mark: *mark,
                    }),
                }
            }
        }
    }
    keys.into_iter()
        .map(|k| service(vs, k).map_err(fail))
        .collect()
}

fn forward(f: Option<&Forwarding>) -> Forward {
    let Some(f) = f else {
        return Forward::Masq;
    };
    match f.method {
        LvsMethod::Nat => Forward::Masq,
        LvsMethod::Dr => Forward::DirectRoute,
        LvsMethod::Tun => Forward::Tunnel {
            kind: match f.tun_type {
                None | Some(TunType::Ipip) => TunnelType::Ipip,
                Some(TunType::Gue) => TunnelType::Gue,
                Some(TunType::Gre) => TunnelType::Gre,
            },
            port: f.tun_port.unwrap_or(0),
            flags: match f.tun_csum {
                None | Some(TunCsum::NoCsum) => 0,
                Some(TunCsum::Csum) => 1,
                Some(TunCsum::RemCsum) => 2,
            },
        },
    }
}

/// The port keepalived gives a real or sorry server (`validate_check_config`): outside
/// groups, a DR/TUN server takes the service's port (0 for fwmark), and a NAT real server
/// without a port takes the service's port. Groups keep what was configured.
fn server_port(vs: &VirtualServer, configured: Option<u16>, fwd: Forward, sorry: bool) -> u16 {
    let port = configured.unwrap_or(0);
    let nat = fwd == Forward::Masq;
    match &vs.target {
        VsTarget::Group(_) => port,
        VsTarget::Fwmark(_) if nat => port,
        VsTarget::Fwmark(_) => 0,
        VsTarget::Addr { port: vs_port, .. } if nat => {
            if port == 0 && !sorry {
                vs_port.unwrap_or(0)
            } else {
                port
            }
        }
        VsTarget::Addr { port: vs_port, .. } => vs_port.unwrap_or(0),
    }
}

/// A real server's destination at its configured weight (`weight`, else the virtual
/// server's, else 1); the checker lowers it to 0 for `inhibit_on_failure`.
pub fn real_server_dest(vs: &VirtualServer, rs: &RealServer) -> Dest {
    let fwd = forward(forwarding_of(vs, rs.forwarding.as_ref()));
    Dest {
        addr: rs.ip,
        port: server_port(vs, rs.port, fwd, false),
        forward: fwd,
        weight: rs.weight.or(vs.weight).unwrap_or(1),
        u_threshold: rs.uthreshold.unwrap_or(0),
        l_threshold: rs.lthreshold.unwrap_or(0),
    }
}

/// The sorry server's destination (weight 1; 0 is `sorry_server_inhibit` while unused).
pub fn sorry_server_dest(vs: &VirtualServer) -> Option<Dest> {
    vs.sorry_server.as_ref().map(|s| {
        let fwd = forward(forwarding_of(vs, s.forwarding.as_ref()));
        Dest::new(s.ip, server_port(vs, s.port, fwd, true), fwd, 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use keepalived_config::{Diagnostics, ReadOptions};

    fn check(text: &str) -> CheckConfig {
        let mut d = Diagnostics::default();
        keepalived_config::load_str("t.conf", text, &ReadOptions::default(), &mut d).check
    }

    /// A config keepalived -t accepts without a word (each was checked with it).
    fn clean(text: &str) -> CheckConfig {
        let mut d = Diagnostics::default();
        let c = keepalived_config::load_str("t.conf", text, &ReadOptions::default(), &mut d);
        let errs: Vec<String> = d.errors().map(|x| x.msg.clone()).collect();
        assert!(errs.is_empty(), "{errs:?}");
        c.check
    }

    #[test]
    fn address_service_with_defaults_and_real_servers() {
        let c = clean(
            "virtual_server 192.0.2.10 80 {\n lb_algo rr\n lb_kind DR\n protocol TCP\n persistence_timeout 600\n persistence_granularity 255.255.255.0\n real_server 198.51.100.2 80 {\n weight 3\n uthreshold 100\n }\n real_server 198.51.100.3 8080 {\n lvs_method NAT\n }\n}\n",
        );
        let vs = &c.virtual_servers[0];
        let s = services(&c, vs).unwrap();
        let mut want = Service::new(
            ServiceKey::Addr {
                protocol: Protocol::Tcp,
                addr: "192.0.2.10".parse().unwrap(),
                port: 80,
            },
            "rr",
        );
        want.flags = svc_flags::PERSISTENT;
        want.timeout = 600;
        want.netmask = 0xffff_ff00;
        assert_eq!(s, vec![want]);
        let d1 = real_server_dest(vs, &vs.real_servers[0]);
        assert_eq!(d1.forward, Forward::DirectRoute);
        assert_eq!((d1.weight, d1.u_threshold), (3, 100));
        let d2 = real_server_dest(vs, &vs.real_servers[1]);
        assert_eq!((d2.port, d2.weight), (8080, 1));
    }

    #[test]
    fn keepalived_defaults_udp_wlc_nat_and_zero_port_persistence() {
        let c = check("virtual_server 192.0.2.10 {\n real_server 198.51.100.2 {\n }\n}\n");
        let vs = &c.virtual_servers[0];
        let s = &services(&c, vs).unwrap()[0];
        assert_eq!(
            s.key,
            ServiceKey::Addr {
                protocol: Protocol::Udp,
                addr: "192.0.2.10".parse().unwrap(),
                port: 0
            }
        );
        assert_eq!(s.scheduler, "wlc");
        assert_eq!((s.flags, s.timeout), (svc_flags::PERSISTENT, 360));
        let d = real_server_dest(vs, &vs.real_servers[0]);
        assert_eq!((d.forward, d.port, d.weight), (Forward::Masq, 0, 1));
    }

    #[test]
    fn group_expands_ranges_and_fwmarks() {
        let c = check(
            "virtual_server_group G {\n 192.0.2.1-3 80\n fwmark 7 inet6\n 2001:db8::1 443\n}\nvirtual_server group G {\n protocol TCP\n lb_algo sh\n real_server 2001:db8::10 443 {\n lvs_method TUN\n }\n}\n",
        );
        let vs = &c.virtual_servers[0];
        let keys: Vec<ServiceKey> = services(&c, vs)
            .unwrap()
            .into_iter()
            .map(|s| s.key)
            .collect();
        let addr = |a: &str, port| ServiceKey::Addr {
            protocol: Protocol::Tcp,
            addr: a.parse().unwrap(),
            port,
        };
        assert_eq!(
            keys,
            vec![
                addr("192.0.2.1", 80),
                addr("192.0.2.2", 80),
                addr("192.0.2.3", 80),
                ServiceKey::Fwmark {
                    family: Family::V6,
                    mark: 7
                },
                addr("2001:db8::1", 443),
            ]
        );
    }

    #[test]
    fn fwmark_family_and_tunnel_options() {
        let c = clean(
            "virtual_server fwmark 9 {\n lb_algo wrr\n lb_kind TUN\n real_server 198.51.100.2 0 {\n lvs_method TUN type gue port 6080 csum\n }\n}\n",
        );
        let vs = &c.virtual_servers[0];
        let s = services(&c, vs).unwrap();
        assert_eq!(
            s[0].key,
            ServiceKey::Fwmark {
                family: Family::V4,
                mark: 9
            }
        );
        assert_eq!(
            real_server_dest(vs, &vs.real_servers[0]).forward,
            Forward::Tunnel {
                kind: TunnelType::Gue,
                port: 6080,
                flags: 1
            }
        );
    }

    #[test]
    fn sorry_server_takes_the_virtual_server_method_and_port() {
        let c = clean(
            "virtual_server 192.0.2.10 80 {\n protocol TCP\n lb_kind DR\n sorry_server 198.51.100.9 8080\n real_server 198.51.100.2 80 {\n }\n}\n",
        );
        let vs = &c.virtual_servers[0];
        assert_eq!(
            sorry_server_dest(vs),
            Some(Dest::new(
                "198.51.100.9".parse().unwrap(),
                80,
                Forward::DirectRoute,
                1
            ))
        );
    }

    /// The FWD_METHOD attribute of the NEW_DEST request for `d`.
    fn fwd_method_attr(d: &Dest) -> u32 {
        use neli::{Size, ToBytes};
        let a = crate::codec::dest_attr(d).unwrap();
        let mut buf = std::io::Cursor::new(vec![0u8; a.padded_size()]);
        a.to_bytes(&mut buf).unwrap();
        let b = buf.into_inner();
        // Nested attributes after the 4-byte header: len u16, type u16, payload, pad.
        let mut i = 4;
        while i + 4 <= b.len() {
            let len = u16::from_ne_bytes([b[i], b[i + 1]]) as usize;
            let ty = u16::from_ne_bytes([b[i + 2], b[i + 3]]);
            if ty == crate::uapi::dest_attr::FWD_METHOD {
                return u32::from_ne_bytes(b[i + 4..i + 8].try_into().unwrap());
            }
            i += (len + 3) & !3;
        }
        panic!("no FWD_METHOD in {b:?}");
    }

    #[test]
    fn sorry_server_lvs_method_overrides_the_virtual_server_method() {
        let c = clean(
            "virtual_server 192.0.2.10 80 {\n protocol TCP\n lb_kind DR\n sorry_server 198.51.100.9 8080\n sorry_server_lvs_method NAT\n real_server 198.51.100.2 80 {\n }\n}\n\
             virtual_server 192.0.2.11 80 {\n protocol TCP\n lb_kind NAT\n sorry_server 198.51.100.9 0\n sorry_server_lvs_method TUN type gue port 6080\n real_server 198.51.100.2 80 {\n }\n}\n\
             virtual_server 192.0.2.12 80 {\n protocol TCP\n lb_kind TUN type gue port 6081\n sorry_server 198.51.100.9 0\n real_server 198.51.100.2 80 {\n }\n}\n",
        );
        // NAT on a DR service: masqueraded to the sorry server's own port.
        let nat = sorry_server_dest(&c.virtual_servers[0]).unwrap();
        assert_eq!(
            nat,
            Dest::new("198.51.100.9".parse().unwrap(), 8080, Forward::Masq, 1)
        );
        assert_eq!(fwd_method_attr(&nat), crate::uapi::fwd::MASQ);
        // TUN with its own tunnel settings on a NAT service: the service's port.
        let tun = sorry_server_dest(&c.virtual_servers[1]).unwrap();
        assert_eq!(
            (tun.port, tun.forward),
            (
                80,
                Forward::Tunnel {
                    kind: TunnelType::Gue,
                    port: 6080,
                    flags: 0
                }
            )
        );
        assert_eq!(fwd_method_attr(&tun), crate::uapi::fwd::TUNNEL);
        // Unset: the virtual server's method, tunnel settings included (alloc_ssvr).
        let inherited = sorry_server_dest(&c.virtual_servers[2]).unwrap();
        assert_eq!(
            inherited.forward,
            Forward::Tunnel {
                kind: TunnelType::Gue,
                port: 6081,
                flags: 0
            }
        );
        let dr = sorry_server_dest(&clean(
            "virtual_server 192.0.2.10 80 {\n protocol TCP\n lb_kind DR\n sorry_server 198.51.100.9 8080\n real_server 198.51.100.2 80 {\n }\n}\n",
        ).virtual_servers[0])
        .unwrap();
        assert_eq!(fwd_method_attr(&dr), crate::uapi::fwd::DROUTE);
    }

    #[test]
    fn bad_ranges_and_granularity_are_errors() {
        assert!(expand_range("192.0.2.9".parse().unwrap(), "192.0.2.1".parse().unwrap()).is_err());
        assert!(
            expand_range("192.0.2.1".parse().unwrap(), "2001:db8::1".parse().unwrap()).is_err()
        );
        assert!(expand_range(
            "10.0.0.0".parse().unwrap(),
            "10.255.255.255".parse().unwrap()
        )
        .is_err());
        let c = check(
            "virtual_server 192.0.2.10 80 {\n protocol TCP\n persistence_granularity 255.0.255.0\n real_server 198.51.100.2 80 {\n }\n}\n",
        );
        let e = services(&c, &c.virtual_servers[0]).unwrap_err();
        assert!(e.to_string().contains("not a solid netmask"), "{e}");
    }
}
