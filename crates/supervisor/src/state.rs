//! The last state each child reported, kept by the parent and handed back to a restarted
//! child in its `Start` message; the parent's loop records every `StateReport` and
//! `HealthReport` here.
//!
//! This is what lets a VRRP child that crashed as MASTER come back as MASTER with its VIPs
//! in place (keepalived's new child removes them and the backup takes over), and a
//! restarted checker adopt the IPVS table as it stands.

use std::collections::BTreeMap;

use keepalived_ipc::{InstanceState, RealServerHealth};

#[derive(Debug, Clone, Default)]
pub struct StateStore {
    instances: BTreeMap<String, InstanceState>,
    /// Keyed by (virtual server, real server).
    health: BTreeMap<(String, String), RealServerHealth>,
}

impl StateStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a VRRP instance's latest state; returns whether it changed anything.
    pub fn record_instance(&mut self, s: InstanceState) -> bool {
        if self.instances.get(&s.name) == Some(&s) {
            return false;
        }
        self.instances.insert(s.name.clone(), s);
        true
    }

    /// Records a real server's latest health; returns whether it changed anything.
    pub fn record_health(&mut self, h: RealServerHealth) -> bool {
        let key = (h.virtual_server.clone(), h.real_server.clone());
        if self.health.get(&key) == Some(&h) {
            return false;
        }
        self.health.insert(key, h);
        true
    }

    /// What a restarted VRRP child gets back, in a stable (name) order.
    pub fn vrrp_restore(&self) -> Vec<InstanceState> {
        self.instances.values().cloned().collect()
    }

    /// What a restarted checker child gets back, in a stable order.
    pub fn check_restore(&self) -> Vec<RealServerHealth> {
        self.health.values().cloned().collect()
    }

    /// After a reload: forgets instances the new config no longer has.
    pub fn retain_instances(&mut self, mut keep: impl FnMut(&InstanceState) -> bool) {
        self.instances.retain(|_, s| keep(s));
    }

    /// After a reload: forgets real servers the new config no longer has.
    pub fn retain_health(&mut self, mut keep: impl FnMut(&RealServerHealth) -> bool) {
        self.health.retain(|_, h| keep(h));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keepalived_ipc::VrrpState;

    fn inst(name: &str, state: VrrpState) -> InstanceState {
        InstanceState {
            name: name.into(),
            vrid: 51,
            state,
        }
    }

    fn rs(rs: &str, alive: bool) -> RealServerHealth {
        RealServerHealth {
            virtual_server: "[10.0.0.1]:tcp:80".into(),
            real_server: rs.into(),
            alive,
            weight: 1,
        }
    }

    #[test]
    fn keeps_the_latest_report_per_instance() {
        let mut s = StateStore::new();
        assert!(s.vrrp_restore().is_empty());
        assert!(s.record_instance(inst("VI_2", VrrpState::Backup)));
        assert!(s.record_instance(inst("VI_1", VrrpState::Backup)));
        assert!(s.record_instance(inst("VI_1", VrrpState::Master)));
        assert!(
            !s.record_instance(inst("VI_1", VrrpState::Master)),
            "no change"
        );
        assert_eq!(
            s.vrrp_restore(),
            [
                inst("VI_1", VrrpState::Master),
                inst("VI_2", VrrpState::Backup)
            ]
        );
        s.retain_instances(|i| i.name != "VI_2");
        assert_eq!(s.vrrp_restore(), [inst("VI_1", VrrpState::Master)]);
    }

    #[test]
    fn keeps_the_latest_health_per_real_server() {
        let mut s = StateStore::new();
        assert!(s.record_health(rs("a", true)));
        assert!(s.record_health(rs("b", true)));
        assert!(s.record_health(rs("a", false)));
        assert!(!s.record_health(rs("a", false)));
        assert_eq!(s.check_restore(), [rs("a", false), rs("b", true)]);
        s.retain_health(|h| h.real_server == "b");
        assert_eq!(s.check_restore(), [rs("b", true)]);
    }
}
