//! `ha_suspend`: a virtual server's checkers are suspended while its address is not on
//! this host (keepalived's `update_checker_activity`, fed by its netlink reflector). The
//! checker child owns a [`VipWatch`] when any virtual server asks for it, and applies
//! [`suspended`] to its `Runner` after each address change.
//!
//! As in keepalived, only virtual servers given by address are concerned (fwmark and
//! group services have no single address to look for), and a suspended checker keeps its
//! state: it just skips its rounds until the address comes back.

use std::collections::HashMap;
use std::net::IpAddr;
use std::os::fd::{AsRawFd, RawFd};

use keepalived_config::model::check::{CheckConfig, VsTarget};
use keepalived_netlink::{Event, IfAddr, Monitor, Rtnl};

/// The addresses on this host's interfaces, counted (one address may be on several).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LocalAddrs {
    counts: HashMap<IpAddr, u32>,
}

impl LocalAddrs {
    pub fn from_list<'a>(addrs: impl IntoIterator<Item = &'a IfAddr>) -> LocalAddrs {
        let mut l = LocalAddrs::default();
        for a in addrs {
            *l.counts.entry(a.addr).or_default() += 1;
        }
        l
    }

    /// Applies an address event; other events are ignored.
    pub fn apply(&mut self, ev: &Event) {
        match ev {
            Event::AddrAdded(a) => *self.counts.entry(a.addr).or_default() += 1,
            Event::AddrRemoved(a) => {
                if let Some(n) = self.counts.get_mut(&a.addr) {
                    *n = n.saturating_sub(1);
                    if *n == 0 {
                        self.counts.remove(&a.addr);
                    }
                }
            }
            _ => {}
        }
    }

    pub fn has(&self, ip: &IpAddr) -> bool {
        self.counts.contains_key(ip)
    }
}

/// Does any virtual server of `cfg` use `ha_suspend` (on an address)?
pub fn wanted(cfg: &CheckConfig) -> bool {
    cfg.virtual_servers
        .iter()
        .any(|vs| vs.ha_suspend && matches!(vs.target, VsTarget::Addr { .. }))
}

/// Per virtual server: whether its checkers are suspended now.
pub fn suspended(cfg: &CheckConfig, addrs: &LocalAddrs) -> Vec<bool> {
    cfg.virtual_servers
        .iter()
        .map(|vs| match &vs.target {
            VsTarget::Addr { ip, .. } if vs.ha_suspend => !addrs.has(ip),
            _ => false,
        })
        .collect()
}

/// The rtnetlink address monitor and the addresses it has seen.
#[derive(Debug)]
pub struct VipWatch {
    monitor: Monitor,
    pub addrs: LocalAddrs,
}

impl VipWatch {
    /// Subscribes first, then dumps the addresses, so no change falls in between.
    pub fn open() -> Result<VipWatch, keepalived_netlink::Error> {
        let monitor = Monitor::open()?;
        let addrs = LocalAddrs::from_list(&Rtnl::open()?.addresses()?);
        Ok(VipWatch { monitor, addrs })
    }

    /// Reads the pending events; after an overrun the addresses are dumped again.
    pub fn read(&mut self) -> Result<(), keepalived_netlink::Error> {
        for ev in self.monitor.read_events()? {
            if ev == Event::Overrun {
                self.addrs = LocalAddrs::from_list(&Rtnl::open()?.addresses()?);
            } else {
                self.addrs.apply(&ev);
            }
        }
        Ok(())
    }
}

impl AsRawFd for VipWatch {
    fn as_raw_fd(&self) -> RawFd {
        self.monitor.as_raw_fd()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keepalived_config::{load_str, Diagnostics, ReadOptions};

    fn addr(ip: &str) -> IfAddr {
        IfAddr {
            flags: 0,
            ..IfAddr::new(2, ip.parse().unwrap(), 24)
        }
    }

    #[test]
    fn only_ha_suspend_address_services_follow_their_vip() {
        let conf = "virtual_server 192.0.2.10 80 {\n ha_suspend\n lb_kind DR\n protocol TCP\n real_server 198.51.100.1 80 {\n TCP_CHECK { }\n }\n}\n\
            virtual_server 192.0.2.11 80 {\n lb_kind DR\n protocol TCP\n real_server 198.51.100.1 80 {\n TCP_CHECK { }\n }\n}\n\
            virtual_server fwmark 5 {\n ha_suspend\n lb_kind DR\n real_server 198.51.100.1 80 {\n TCP_CHECK { }\n }\n}\n";
        let mut d = Diagnostics::default();
        let cfg = load_str("t.conf", conf, &ReadOptions::default(), &mut d).check;
        assert!(wanted(&cfg));
        let mut l = LocalAddrs::from_list(&[addr("203.0.113.1")]);
        assert_eq!(suspended(&cfg, &l), [true, false, false]);
        // The VIP arrives on two interfaces, leaves one: still here; leaves both: gone.
        l.apply(&Event::AddrAdded(addr("192.0.2.10")));
        l.apply(&Event::AddrAdded(addr("192.0.2.10")));
        assert_eq!(suspended(&cfg, &l), [false, false, false]);
        l.apply(&Event::AddrRemoved(addr("192.0.2.10")));
        assert_eq!(suspended(&cfg, &l), [false, false, false]);
        l.apply(&Event::AddrRemoved(addr("192.0.2.10")));
        assert_eq!(suspended(&cfg, &l), [true, false, false]);
        // A removal never seen does not underflow.
        l.apply(&Event::AddrRemoved(addr("192.0.2.99")));
        assert!(!l.has(&"192.0.2.99".parse().unwrap()));
    }
}
