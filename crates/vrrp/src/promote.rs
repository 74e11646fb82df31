//! `promote_secondaries`: keepalived sets `net.ipv4.conf.IF.promote_secondaries` to 1 on
//! the interface of each instance that asks for it (so deleting a VIP that is the primary
//! address of its subnet promotes the next one instead of deleting them all), and puts the
//! original value back when it stops. Called by the VRRP child (`daemon/load.rs` `load`,
//! `daemon/parent.rs` `stop`).
//! The originals live in a file named after the supervisor, like the VMAC sysctls
//! (crate::vmac::Sysctls), so a restarted child restores the real originals.

use std::collections::BTreeSet;

use log::warn;

use crate::vmac::Sysctls;

/// The sysctl file of `ifname`.
pub fn path(ifname: &str) -> String {
    format!("/proc/sys/net/ipv4/conf/{ifname}/promote_secondaries")
}

/// The interfaces whose promote_secondaries we set, and their original values.
#[derive(Debug)]
pub struct PromoteSecondaries {
    sysctls: Sysctls,
    set: BTreeSet<String>,
}

impl PromoteSecondaries {
    /// For the VRRP child: originals kept across its restarts.
    pub fn for_child() -> Self {
        let file = std::env::temp_dir().join(format!(
            "keepalived-rs-promote-sysctls.{}",
            std::os::unix::process::parent_id()
        ));
        PromoteSecondaries {
            sysctls: Sysctls::persistent(file),
            set: BTreeSet::new(),
        }
    }

    /// The (re)loaded configuration wants it on `wanted`: an interface dropped from the
    /// set gets its original back; the others are set to 1.
    pub fn apply(&mut self, wanted: BTreeSet<String>) {
        if !self.set.is_subset(&wanted) {
            self.sysctls.restore();
            self.set.clear();
        }
        for ifname in &wanted {
            if let Err(e) = self.sysctls.set(&path(ifname), "1") {
                warn!("promote_secondaries on {ifname}: {e}");
            }
        }
        self.set = wanted;
    }

    /// Stop: every original value back.
    pub fn restore(&mut self) {
        self.sysctls.restore();
        self.set.clear();
    }
}

/// The interfaces of the instances with `promote_secondaries` (keepalived ignores it for
/// VMAC instances).
pub fn wanted(instances: &[keepalived_config::model::vrrp::VrrpInstance]) -> BTreeSet<String> {
    instances
        .iter()
        .filter(|i| i.promote_secondaries && i.vmac.is_none())
        .filter_map(|i| i.interface.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use keepalived_config::diag::Diagnostics;

    #[test]
    fn only_instances_asking_for_it_without_a_vmac() {
        let text = "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n promote_secondaries\n virtual_ipaddress {\n  192.0.2.100/24\n }\n}\n\
                    vrrp_instance B {\n interface eth1\n virtual_router_id 2\n virtual_ipaddress {\n  192.0.2.101/24\n }\n}\n\
                    vrrp_instance C {\n interface eth2\n virtual_router_id 3\n use_vmac\n promote_secondaries\n virtual_ipaddress {\n  192.0.2.102/24\n }\n}\n";
        let mut d = Diagnostics::default();
        let cfg = keepalived_config::load_str(
            "t.conf",
            text,
            &keepalived_config::ReadOptions::default(),
            &mut d,
        );
        assert_eq!(
            wanted(&cfg.vrrp.instances).into_iter().collect::<Vec<_>>(),
            ["eth0"]
        );
        assert_eq!(
            path("eth0"),
            "/proc/sys/net/ipv4/conf/eth0/promote_secondaries"
        );
    }
}
