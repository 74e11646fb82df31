//! The VRRP child's rtnetlink monitor handling: link up/down and removed addresses fed to the
//! instances; a child module of [`crate::daemon`], called from the event loop.

use std::net::IpAddr;
use std::time::Instant;

use keepalived_netlink::{Event as NlEvent, IfAddr};
use log::{error, info, warn};

use crate::events::{Input, State};

use super::Daemon;

impl Daemon {
    pub(super) fn on_monitor(&mut self) {
        let Some(m) = self.monitor.as_mut() else {
            return;
        };
        let events = match m.read_events() {
            Ok(e) => e,
            Err(e) => {
                warn!("{e}");
                return;
            }
        };
        let now = Instant::now();
        let mut restore = false;
        let mut rebuild = false;
        for ev in events {
            match ev {
                NlEvent::Link(l) => self.link_changed(l.ifindex, l.is_usable(), &l.name, now),
                NlEvent::LinkRemoved(l) => {
                    if let Some(n) = self.vmacs.name_of(l.ifindex) {
                        warn!("VMAC interface {n} was deleted; re-creating it");
                        rebuild = true;
                    }
                    self.link_changed(l.ifindex, false, &l.name, now)
                }
                NlEvent::AddrRemoved(a) => {
                    restore |= self.installed.is_static_addr(a.ifindex, a.addr);
                    self.addr_removed(a.ifindex, a.addr)
                }
                NlEvent::RouteRemoved(r) | NlEvent::RuleRemoved(r) => {
                    restore |= r.protocol == keepalived_netlink::RTPROT_KEEPALIVED;
                }
                NlEvent::AddrAdded(_) => {}
                NlEvent::Overrun => {
                    warn!("rtnetlink monitor overrun; re-reading links");
                    if let Ok(links) = self.rtnl.links() {
                        for l in links {
                            self.link_changed(l.ifindex, l.is_usable(), &l.name, now);
                        }
                    }
                    restore = true;
                }
            }
        }
        if restore {
            self.installed.restore(&mut self.rtnl);
        }
        if let Some(c) = self.config.clone().filter(|_| rebuild) {
            // A reload to the same configuration re-creates the VMAC, reopens its socket
            // and puts a MASTER's VIPs back, keeping every instance's state.
            self.reload(&c);
        }
    }

    pub(super) fn link_changed(&mut self, ifindex: u32, usable: bool, name: &str, now: Instant) {
        if let Some(t) = self.tracker.as_mut() {
            t.link_changed(name, usable);
        }
        self.apply_tracking(now);
        let was = self.links.insert(ifindex, usable).unwrap_or(true);
        if was == usable {
            return;
        }
        info!(
            "Netlink reports {name} {}",
            if usable { "up" } else { "down" }
        );
        let targets: Vec<usize> = self
            .running
            .as_ref()
            .map(|r| {
                r.insts
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| i.ifindex == ifindex)
                    .map(|(n, _)| n)
                    .collect()
            })
            .unwrap_or_default();
        for i in targets {
            let input = if usable {
                Input::LinkUp
            } else {
                Input::LinkDown
            };
            self.feed_own_fault(i, now, input);
        }
    }

    /// A VIP deleted by hand while MASTER is put back (keepalived does the same).
    pub(super) fn addr_removed(&mut self, ifindex: u32, addr: IpAddr) {
        let Some(run) = self.running.as_ref() else {
            return;
        };
        let specs: Vec<(String, IfAddr)> = run
            .insts
            .iter()
            .filter(|i| i.core.state() == State::Master && i.core.vips_set())
            .flat_map(|i| {
                i.vips
                    .iter()
                    .filter(|v| v.ifindex == ifindex && v.addr == addr)
                    .map(|v| (i.cfg.name.clone(), v.clone()))
            })
            .collect();
        for (name, spec) in specs {
            warn!("({name}) VIP {addr} was removed while MASTER; restoring it");
            if let Err(e) = self.rtnl.add_address(&spec) {
                error!("({name}) restoring VIP {addr}: {e}");
            }
        }
    }
}
