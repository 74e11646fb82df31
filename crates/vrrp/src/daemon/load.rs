//! Building the VRRP child's instances and sockets from a configuration, and reloading it;
//! a child module of [`crate::daemon`], called from the parent-channel handlers (`Start`,
//! `Reload`).

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::{Duration, Instant};

use keepalived_config::model::vrrp::AuthType;
use keepalived_event::{Interest, TimerQueue, Token};
use keepalived_ipc::{InstanceState, ParentLink, VersionedConfig, VrrpToParent};
use keepalived_netlink::IfAddr;
use log::{error, info, warn};

use crate::events::{Input, State};
use crate::instance::{Instance, Params};
use crate::network::{Family, SocketConfig, VrrpSocket};
use crate::packet::{RxConfig, V2Auth, Version, VirtualAddrs};
use crate::routes::{RouteSet, Statics};
use crate::vmac::VmacRequest;

use super::{addr_spec, report, Daemon, Inst, InstCfg, MatchKey, Running, SockKey, SOCKET_BASE};

impl Daemon {
    /// Builds instances and sockets for `config`. `restore` gives the state an instance
    /// starts in (hitless restart, or a reload keeping a matched instance's state);
    /// instances without one start from INIT.
    pub(super) fn load(
        &mut self,
        config: &VersionedConfig,
        restore: &HashMap<String, State>,
        old_socks: Vec<VrrpSocket>,
    ) {
        let reload = !old_socks.is_empty();
        if let Some(m) = self.standin.reset() {
            let _ = self.send(&m);
        }
        // Kept only to rebuild a VMAC deleted under us: each instance holds its own part
        // of the configuration, and a second copy of a large one costs megabytes.
        self.config = config
            .config
            .vrrp
            .instances
            .iter()
            .any(|i| i.vmac.is_some())
            .then(|| config.clone());
        for s in old_socks {
            let _ = self.poller.deregister(&s);
        }
        let links = match self.rtnl.links() {
            Ok(l) => l,
            Err(e) => {
                error!("listing interfaces: {e}");
                Vec::new()
            }
        };
        let addrs = match self.rtnl.addresses() {
            Ok(a) => a,
            Err(e) => {
                error!("listing addresses: {e}");
                Vec::new()
            }
        };
        for l in &links {
            self.links.insert(l.ifindex, l.is_usable());
        }
        let by_name: HashMap<&str, &keepalived_netlink::Link> =
            links.iter().map(|l| (l.name.as_str(), l)).collect();
        let global = config.config.global.clone();
        let mut run = Running {
            generation: config.generation,
            insts: Vec::new(),
            socks: Vec::new(),
            demux: HashMap::new(),
            reloads: 0,
            groups: Vec::new(),
            group_of: HashMap::new(),
            log_unknown_vrids: global.log_unknown_vrids,
            source: config.config.source.clone(),
            configured: config
                .config
                .vrrp
                .instances
                .iter()
                .map(|i| (i.name.clone(), i.vrid))
                .collect(),
        };
        let mut sock_keys: HashMap<SockKey, usize> = HashMap::new();
        let ifindex_of = |n: &str| by_name.get(n).map(|l| l.ifindex);
        let statics = Statics::resolve(&config.config.vrrp, &ifindex_of, addr_spec);
        self.installed.sync_statics(&mut self.rtnl, statics);
        let routes_used = self.installed.watches()
            || config
                .config
                .vrrp
                .instances
                .iter()
                .any(|i| !i.routes.is_empty() || !i.rules.is_empty());
        if let Some(m) = self.monitor.as_ref().filter(|_| routes_used) {
            if let Err(e) = m.watch_routes() {
                warn!("{e}; routes and rules deleted by hand are not put back");
            }
        }
        if let Some(d) = global.vrrp_startup_delay.filter(|_| !reload) {
            info!("Delaying startup for {} seconds", d.as_secs_f64());
        }
        self.vmacs.begin_load();
        self.promote
            .apply(crate::promote::wanted(&config.config.vrrp.instances));
        let mut rx_bufs = Vec::new();
        for (conf_idx, icfg) in config.config.vrrp.instances.iter().enumerate() {
            let name = &icfg.name;
            let Some(ifname) = icfg.interface.clone() else {
                error!("({name}) no interface: instance not started");
                continue;
            };
            let Some(link) = by_name.get(ifname.as_str()) else {
                error!("({name}) interface {ifname} not found: instance not started");
                continue;
            };
            let mut params = Params::from_config(icfg, &global);
            if reload {
                params.startup_delay = Duration::ZERO;
            }
            if params.unicast_no_peer_fault {
                error!("({name}) Cannot use unicast without any peers - going to fault state");
            }
            let family = match icfg.family() {
                keepalived_config::model::vrrp::Family::Inet => Family::V4,
                keepalived_config::model::vrrp::Family::Inet6 => Family::V6,
            };
            let vip_set: Vec<IpAddr> = icfg.vips.iter().map(|v| v.addr).collect();
            let primary = addrs
                .iter()
                .filter(|a| a.ifindex == link.ifindex && !vip_set.contains(&a.addr))
                .map(|a| a.addr)
                .find(|a| match (family, a) {
                    (Family::V4, IpAddr::V4(_)) => true,
                    (Family::V6, IpAddr::V6(v6)) => (v6.segments()[0] & 0xffc0) == 0xfe80,
                    _ => false,
                });
            let src = params.primary_addr.or(primary).unwrap_or(match family {
                Family::V4 => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
                Family::V6 => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
            });
            if params.primary_addr.is_none() {
                params.primary_addr = primary;
            }
            let unicast = !icfg.unicast_peers.is_empty();
            let vmac = match &icfg.vmac {
                Some(vc) => {
                    let req = VmacRequest {
                        inst: name,
                        cfg: vc,
                        base: link,
                        base_link_local: match primary {
                            Some(IpAddr::V6(a)) => Some(a),
                            _ => None,
                        },
                        vrid: params.vrid,
                        v6: family == Family::V6,
                        prefix: crate::vmac::vmac_prefix(&global),
                    };
                    match self.vmacs.ensure(&mut self.rtnl, &req) {
                        Ok(v) => Some(v),
                        Err(e) => {
                            error!("({name}) VMAC: {e}: instance not started");
                            continue;
                        }
                    }
                }
                None => None,
            };
            // Adverts leave from the VMAC (its MAC is the router's) unless vmac_xmit_base;
            // unicast needs the base interface, where the unicast source lives.
            let xmit_vmac = vmac.as_ref().filter(|_| !icfg.vmac_xmit_base && !unicast);
            // The base's name stays the instance's (reloads match instances by it).
            let (sock_ifname, sock_ifindex) = match xmit_vmac {
                Some(v) => (v.name.clone(), v.ifindex),
                None => (ifname.clone(), link.ifindex),
            };
            // IPv6 adverts from the VMAC carry its link-local as source.
            let src = match xmit_vmac.and_then(|v| v.link_local) {
                Some(ll) if icfg.mcast_src_ip.is_none() => {
                    params.primary_addr = Some(IpAddr::V6(ll));
                    IpAddr::V6(ll)
                }
                _ => src,
            };
            let vip_ifindex = vmac.as_ref().map_or(link.ifindex, |v| v.ifindex);
            let group = crate::instance::multicast_group(icfg, &global);
            let key = SockKey {
                ifindex: sock_ifindex,
                v6: family == Family::V6,
                unicast_src: unicast.then_some(src),
                group: (!unicast).then_some(group),
            };
            let sock = match sock_keys.get(&key) {
                Some(&s) => s,
                None => {
                    let mut sc = if unicast {
                        SocketConfig::unicast(&sock_ifname, sock_ifindex, src)
                    } else {
                        let mut sc = SocketConfig::multicast(&sock_ifname, sock_ifindex, family);
                        sc.mcast_group = Some(group);
                        sc.src = icfg.mcast_src_ip;
                        sc
                    };
                    sc.hdrincl = family == Family::V4;
                    sc.unicast_ttl = icfg.unicast_ttl.unwrap_or(255);
                    match VrrpSocket::open(&sc) {
                        Ok(s) => {
                            let idx = run.socks.len();
                            if let Err(e) = self.poller.register(
                                &s,
                                Token(SOCKET_BASE + idx),
                                Interest::READABLE,
                            ) {
                                error!("({name}) watching the VRRP socket: {e}");
                            }
                            run.socks.push(s);
                            sock_keys.insert(key, idx);
                            idx
                        }
                        Err(e) => {
                            error!("({name}) {e}: instance not started");
                            continue;
                        }
                    }
                }
            };
            rx_bufs.push((sock, icfg.kernel_rx_buf_size));
            let vrid = params.vrid;
            let version = if params.version == 2 {
                Version::V2
            } else {
                Version::V3
            };
            let auth = match (version, icfg.auth_type, &icfg.auth_pass) {
                (Version::V2, AuthType::Pass, Some(p)) => V2Auth::pass(p),
                _ => V2Auth::None,
            };
            let v3cs = icfg.v3_checksum_as_v2.unwrap_or(global.v3_checksum_as_v2);
            let rx = RxConfig {
                version,
                auth,
                adver_int: params.advert_int,
                unicast,
                v3_checksum_as_v2: v3cs,
                verify_ipv6_checksum: false,
                vip_count: None,
            };
            let addrs_list = match family {
                Family::V4 => VirtualAddrs::V4(
                    icfg.vips
                        .iter()
                        .filter_map(|v| match v.addr {
                            IpAddr::V4(a) => Some(a),
                            IpAddr::V6(_) => None,
                        })
                        .collect(),
                ),
                Family::V6 => VirtualAddrs::V6(
                    icfg.vips
                        .iter()
                        .filter_map(|v| match v.addr {
                            IpAddr::V6(a) => Some(a),
                            IpAddr::V4(_) => None,
                        })
                        .collect(),
                ),
            };
            let vips: Vec<IfAddr> = icfg
                .vips
                .iter()
                .chain(icfg.evips.iter())
                .filter_map(|v| {
                    let ifx = match &v.dev {
                        Some(d) => by_name.get(d.as_str()).map(|l| l.ifindex),
                        None => Some(vip_ifindex),
                    };
                    match ifx {
                        Some(ifx) => Some(addr_spec(v, ifx)),
                        None => {
                            error!("({name}) VIP {}: device not found; skipped", v.addr);
                            None
                        }
                    }
                })
                .collect();
            let mut mac = [0u8; 6];
            if link.mac.len() == 6 {
                mac.copy_from_slice(&link.mac);
            }
            if let Some(v) = &vmac {
                mac = v.mac;
            }
            let routes =
                RouteSet::resolve(&format!("({name})"), &icfg.routes, &icfg.rules, &ifindex_of);
            let ipv6_router =
                std::fs::read_to_string(format!("/proc/sys/net/ipv6/conf/{ifname}/forwarding"))
                    .map(|s| s.trim() == "1")
                    .unwrap_or(false);
            let dsts = if unicast {
                icfg.unicast_peers.iter().map(|p| p.addr).collect()
            } else {
                vec![group]
            };
            let idx = run.insts.len();
            if run.demux.insert((sock, vrid), idx).is_some() {
                error!("({name}) VRID {vrid} used twice on {ifname}; the later instance receives");
            }
            let core = Instance::new(params, Instant::now());
            let check_src = crate::unicast::check_enabled(
                &icfg.unicast_peers,
                config.config.global.vrrp_check_unicast_src,
                icfg.check_unicast_src,
            );
            run.insts.push(Inst {
                core,
                cfg: InstCfg {
                    name: name.clone(),
                    unicast_peers: if check_src {
                        icfg.unicast_peers.clone()
                    } else {
                        Vec::new()
                    },
                },
                conf_idx,
                ifname,
                ifindex: link.ifindex,
                mac,
                family,
                sock,
                rx,
                version,
                auth,
                addrs: addrs_list,
                dsts,
                src,
                ttl: if unicast {
                    icfg.unicast_ttl.unwrap_or(255)
                } else {
                    255
                },
                v3_checksum_as_v2: v3cs,
                ip_id: 0,
                vips,
                ipv6_router,
                routes,
                check_src,
                csum: crate::oldcsum::CsumCompat::new(
                    crate::oldcsum::Mode::from_config(icfg.old_unicast_checksum),
                    match global.vrrp_mcast_group4 {
                        IpAddr::V4(g) => g,
                        IpAddr::V6(_) => Ipv4Addr::new(224, 0, 0, 18),
                    },
                    unicast && version == Version::V3 && family == Family::V4 && !v3cs,
                ),
            });
        }
        for (s, bytes) in crate::rxbuf::socket_sizes(&rx_bufs) {
            if let Some(Err(e)) = run.socks.get(s).map(|k| crate::rxbuf::apply(k, bytes)) {
                warn!("kernel_rx_buf_size {bytes}: setting the VRRP socket's buffer: {e}");
            }
        }
        self.vmacs.end_load(&mut self.rtnl);
        if !self.vmacs.is_empty() {
            // Creating a VMAC queues its down/up link events; read them now, while no
            // instance runs, so they are not taken for a link change later.
            self.on_monitor();
        }
        run.insts.shrink_to_fit();
        run.socks.shrink_to_fit();
        run.demux.shrink_to_fit();
        let n = run.insts.len();
        let starts: Vec<(bool, Option<State>)> = run
            .insts
            .iter()
            .map(|i| {
                (
                    self.links.get(&i.ifindex).copied().unwrap_or(true),
                    restore.get(&i.cfg.name).copied(),
                )
            })
            .collect();
        self.running = Some(run);
        self.notifier.configure(&config.config, Instant::now());
        self.setup_sync(&config.config.vrrp.sync_groups);

        self.set_garp_gaps(config, &links);
        let track_init = self.start_tracking(config, &links, reload, restore);
        let now = Instant::now();
        for (i, (usable, st)) in starts.into_iter().enumerate().take(n) {
            if let Some(&(total, fault)) = track_init.get(&i) {
                self.feed(i, now, Input::PriorityChanged(total));
                self.feed(i, now, Input::TrackFault(fault));
            }
            if !usable {
                self.feed(i, now, Input::LinkDown);
            }
            match st {
                Some(s) => {
                    self.feed(i, now, Input::RestoreState(s));
                    if s == State::Master && !reload {
                        // A restarted child: its MASTERs' routes are in place; record them.
                        self.add_missing_routes(i);
                    }
                    if reload && s == State::Master {
                        // A matched MASTER keeps its VIPs; the ones the new config adds are
                        // added (the kept ones answer "already there": no flap).
                        self.add_missing_vips(i);
                    }
                }
                None => {
                    // Held while a weight-0 script has not reported (keepalived neither
                    // starts nor announces FAULT then); `apply_tracking` starts it.
                    if !self.tracker.as_mut().is_some_and(|t| t.hold_start(i)) {
                        self.feed(i, now, Input::Start);
                    }
                }
            }
        }
        self.adopt_sync_states();
        // Report every state, as the stub did, so the parent has one per instance.
        let reports: Vec<InstanceState> = self
            .running
            .as_ref()
            .map(|r| r.insts.iter().map(report).collect())
            .unwrap_or_default();
        for s in reports {
            self.send_peer(&s);
            let _ = self.send(&VrrpToParent::StateReport(s));
        }
    }

    pub(super) fn add_missing_routes(&mut self, i: usize) {
        if let Some(inst) = self.running.as_ref().and_then(|r| r.insts.get(i)) {
            let key = inst.match_key();
            self.installed
                .master(&mut self.rtnl, key, &inst.cfg.name, &inst.routes);
        }
    }

    pub(super) fn add_missing_vips(&mut self, i: usize) {
        self.add_missing_routes(i);
        let Some(inst) = self.running.as_ref().and_then(|r| r.insts.get(i)) else {
            return;
        };
        for v in &inst.vips {
            match self.rtnl.add_address(v) {
                Ok(keepalived_netlink::Change::Done) => {
                    info!("({}) reload: added VIP {}", inst.cfg.name, v.addr)
                }
                Ok(keepalived_netlink::Change::AlreadySo) => {}
                Err(e) => error!("({}) reload: adding VIP {}: {e}", inst.cfg.name, v.addr),
            }
        }
    }

    /// Reload: instances matched by VRID, family and interface keep their state (a MASTER
    /// keeps its VIPs; VIPs no longer configured are removed); the others are stopped
    /// (priority 0, VIPs removed) or started fresh. Sockets are reopened.
    pub(super) fn reload(&mut self, config: &VersionedConfig) {
        let Some(old) = self.running.take() else {
            return;
        };
        let reloads = old.reloads + 1;
        let mut restore = HashMap::new();
        let new_keys: Vec<(String, MatchKey, Vec<IpAddr>)> = config
            .config
            .vrrp
            .instances
            .iter()
            .map(|c| {
                let g = &config.config.global;
                let p = Params::from_config(c, g);
                let fam = match c.family() {
                    keepalived_config::model::vrrp::Family::Inet => Family::V4,
                    keepalived_config::model::vrrp::Family::Inet6 => Family::V6,
                };
                (
                    c.name.clone(),
                    (p.vrid, fam, c.interface.clone().unwrap_or_default()),
                    c.vips
                        .iter()
                        .chain(c.evips.iter())
                        .map(|v| v.addr)
                        .collect(),
                )
            })
            .collect();
        let now = Instant::now();
        // Put the old instances back to run their shutdown outputs on the old sockets.
        let mut stop = Vec::new();
        let mut drop_vips: Vec<IfAddr> = Vec::new();
        for (i, inst) in old.insts.iter().enumerate() {
            let k = inst.match_key();
            match new_keys.iter().find(|(_, nk, _)| *nk == k) {
                Some((name, _, new_vips)) => {
                    restore.insert(name.clone(), inst.core.state());
                    if inst.core.vips_set() {
                        drop_vips.extend(
                            inst.vips
                                .iter()
                                .filter(|v| !new_vips.contains(&v.addr))
                                .cloned(),
                        );
                    }
                }
                None => stop.push(i),
            }
        }
        self.running = Some(old);
        for i in stop {
            info!(
                "({}) removed by the reload; stopping it",
                self.running
                    .as_ref()
                    .map_or("?", |r| r.insts[i].cfg.name.as_str())
            );
            if let Some(inst) = self.running.as_ref().and_then(|r| r.insts.get(i)) {
                self.notifier.deleting(&inst.core.params().name);
            }
            self.feed(i, now, Input::Shutdown);
        }
        for v in &drop_vips {
            if let Err(e) = self.rtnl.del_address(v) {
                warn!("removing VIP {} dropped by the reload: {e}", v.addr);
            }
        }
        let old = self.running.take().map(|r| r.socks).unwrap_or_default();
        // New sockets may reuse the old token numbers; clear all timers of old instances.
        self.timers = TimerQueue::new();
        info!(
            "reload: generation {}, {} instances keep their state",
            config.generation,
            restore.len()
        );
        self.load(config, &restore, old);
        if let Some(r) = self.running.as_mut() {
            r.reloads = reloads;
        }
    }
}
