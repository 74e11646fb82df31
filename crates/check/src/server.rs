//! Real-server health from its checkers' states: a real server is up only while every
//! one of its checkers is up (keepalived's `num_failed_checkers == 0`), and its weight is
//! the configured one unless a `misc_dynamic` MISC_CHECK reported another. Used by the
//! checker child to decide what to change in IPVS. [`Plan`] flattens a config's checkers
//! for the `Runner` and maps its events back to real-server changes.

use crate::misc_user::ScriptUsers;
use crate::runner::CheckEvent;
use crate::schedule::Transition;
use crate::spec::{CheckSpec, Kind, SpecError};
use crate::tls::ClientCert;
use keepalived_config::model::check::{CheckConfig, CheckerKind};
use keepalived_config::model::vrrp::TrackFile;

/// The aggregated state of one real server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RealServerHealth {
    /// Per-checker up/down, in config order.
    up: Vec<bool>,
    /// Configured weight.
    weight: u32,
    /// Last weight a misc_dynamic checker reported.
    dynamic_weight: Option<u32>,
}

impl RealServerHealth {
    /// `checker_up` gives each checker's starting state (Down for `alpha`).
    pub fn new(weight: u32, checker_up: impl IntoIterator<Item = bool>) -> RealServerHealth {
        RealServerHealth {
            up: checker_up.into_iter().collect(),
            weight,
            dynamic_weight: None,
        }
    }

    /// Records checker `idx`'s state; returns true if the server's up/down changed.
    pub fn set(&mut self, idx: usize, up: bool) -> bool {
        let before = self.is_up();
        if let Some(s) = self.up.get_mut(idx) {
            *s = up;
        }
        before != self.is_up()
    }

    pub fn set_dynamic_weight(&mut self, w: u32) {
        self.dynamic_weight = Some(w);
    }

    /// Up when every checker is up (a server without checkers is always up).
    pub fn is_up(&self) -> bool {
        self.up.iter().all(|&u| u)
    }

    pub fn failed(&self) -> usize {
        self.up.iter().filter(|&&u| !u).count()
    }

    pub fn weight(&self) -> u32 {
        self.dynamic_weight.unwrap_or(self.weight)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_checkers_must_pass() {
        let mut rs = RealServerHealth::new(3, [true, true]);
        assert!(rs.is_up());
        assert!(rs.set(1, false));
        assert!(!rs.set(0, false));
        assert_eq!(rs.failed(), 2);
        assert!(!rs.set(1, true));
        assert!(rs.set(0, true));
        assert_eq!(rs.weight(), 3);
        rs.set_dynamic_weight(7);
        assert_eq!(rs.weight(), 7);
        assert!(RealServerHealth::new(1, []).is_up());
    }
}

/// Where a checker of the runner's list belongs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Owner {
    /// Index into `CheckConfig::virtual_servers`.
    pub vs: usize,
    /// Index into that virtual server's `real_servers`.
    pub rs: usize,
    /// Index among that real server's checkers that run.
    pub slot: usize,
}

/// A real server's health changed (what the IPVS side acts on).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RsChange {
    pub vs: usize,
    pub rs: usize,
    pub up: bool,
    pub weight: u32,
}

/// Every checker of a config, flattened for a [`Runner`](crate::Runner), with the
/// real-server health they feed.
#[derive(Debug)]
pub struct Plan {
    pub specs: Vec<CheckSpec>,
    pub owners: Vec<Owner>,
    /// `health[vs][rs]`.
    pub health: Vec<Vec<RealServerHealth>>,
    /// Checkers that cannot run (e.g. BFD_CHECK, not implemented), with the reason.
    pub skipped: Vec<SpecError>,
}

impl Plan {
    pub fn new(cfg: &CheckConfig, helo_default: &str) -> Plan {
        Plan::with_track_files(cfg, helo_default, &[])
    }

    /// As `new`, resolving FILE_CHECKs against the global `track_file` blocks.
    pub fn with_track_files(
        cfg: &CheckConfig,
        helo_default: &str,
        track_files: &[TrackFile],
    ) -> Plan {
        Plan::with_scripts(cfg, helo_default, track_files, &ScriptUsers::default())
    }

    /// As `with_track_files`, running MISC_CHECK scripts as `users` decides (a script
    /// that may not run is left out like keepalived removes its checker).
    pub fn with_scripts(
        cfg: &CheckConfig,
        helo_default: &str,
        track_files: &[TrackFile],
        users: &ScriptUsers,
    ) -> Plan {
        let mut plan = Plan {
            specs: Vec::new(),
            owners: Vec::new(),
            health: Vec::new(),
            skipped: Vec::new(),
        };
        for (v, vs) in cfg.virtual_servers.iter().enumerate() {
            let mut row = Vec::new();
            for (r, rs) in vs.real_servers.iter().enumerate() {
                let mut states = Vec::new();
                for c in &rs.checkers {
                    let spec = if matches!(c.kind, CheckerKind::File(_)) {
                        crate::file::file_spec(vs, rs, c, track_files)
                    } else {
                        CheckSpec::from_config(vs, rs, c, helo_default)
                    };
                    let spec = spec.map(|mut s| {
                        if let (Kind::Http { tls: Some(t), .. }, Some(ssl)) =
                            (&mut s.kind, &cfg.ssl)
                        {
                            if let (Some(c), Some(k)) = (&ssl.certificate, &ssl.key) {
                                t.client_cert = Some(ClientCert {
                                    certificate: c.into(),
                                    key: k.into(),
                                });
                            }
                        }
                        s
                    });
                    let spec = spec.and_then(|mut s| {
                        if let (Kind::Misc { user, .. }, CheckerKind::Misc(m)) =
                            (&mut s.kind, &c.kind)
                        {
                            if let Some(path) = &m.path {
                                *user = users
                                    .resolve(path, m.user.as_deref(), m.group.as_deref())
                                    .map_err(|why| SpecError::MiscScript {
                                        rs: s.target.ip().to_string(),
                                        script: path.cmd.clone(),
                                        why,
                                    })?;
                            }
                        }
                        Ok(s)
                    });
                    match spec {
                        Ok(spec) => {
                            plan.owners.push(Owner {
                                vs: v,
                                rs: r,
                                slot: states.len(),
                            });
                            states.push(!spec.timing.alpha);
                            plan.specs.push(spec);
                        }
                        Err(e) => plan.skipped.push(e),
                    }
                }
                let weight = rs.weight.or(vs.weight).unwrap_or(1);
                row.push(RealServerHealth::new(weight, states));
            }
            plan.health.push(row);
        }
        plan
    }

    /// Feeds one runner event; returns the real server's new state if it changed.
    pub fn apply(&mut self, ev: &CheckEvent) -> Option<RsChange> {
        let o = *self.owners.get(ev.check)?;
        let h = self.health.get_mut(o.vs)?.get_mut(o.rs)?;
        let before = (h.is_up(), h.weight());
        match &ev.transition {
            Some(Transition::Up { weight }) => {
                if let Some(w) = weight {
                    h.set_dynamic_weight(*w);
                }
                h.set(o.slot, true);
            }
            Some(Transition::Down { .. }) => {
                h.set(o.slot, false);
            }
            Some(Transition::Weight(w)) => h.set_dynamic_weight(*w),
            None => {}
        }
        let after = (h.is_up(), h.weight());
        (before != after).then_some(RsChange {
            vs: o.vs,
            rs: o.rs,
            up: after.0,
            weight: after.1,
        })
    }
}

#[cfg(test)]
mod plan_tests {
    use super::*;
    use crate::schedule::Verdict;
    use keepalived_config::{load_str, Diagnostics, ReadOptions};
    use std::time::Instant;

    #[test]
    fn a_real_server_goes_down_with_any_checker_and_up_with_all() {
        let conf = "virtual_server 192.0.2.10 80 {\n lb_algo rr\n lb_kind DR\n protocol TCP\n weight 3\n\
            real_server 192.0.2.1 80 {\n TCP_CHECK {\n }\n MISC_CHECK {\n misc_path /bin/true\n misc_dynamic\n }\n FILE_CHECK {\n track_file f\n }\n }\n}\n";
        let mut d = Diagnostics::default();
        let cfg = load_str("t.conf", conf, &ReadOptions::default(), &mut d);
        let mut plan = Plan::new(&cfg.check, "lb");
        assert_eq!(plan.specs.len(), 2);
        assert_eq!(
            plan.skipped.len(),
            1,
            "FILE_CHECK without its track_file block"
        );
        let now = Instant::now();
        let ev = |check, transition| CheckEvent {
            check,
            started: now,
            ended: now,
            verdict: Verdict::ok(),
            transition,
            next: now,
        };
        let down = || {
            Some(Transition::Down {
                reason: "x".into(),
                retries: 0,
            })
        };
        let change = |up, weight| {
            Some(RsChange {
                vs: 0,
                rs: 0,
                up,
                weight,
            })
        };
        assert_eq!(plan.apply(&ev(0, down())), change(false, 3));
        assert_eq!(plan.apply(&ev(1, down())), None, "already down");
        assert_eq!(
            plan.apply(&ev(0, Some(Transition::Up { weight: None }))),
            None
        );
        assert_eq!(
            plan.apply(&ev(1, Some(Transition::Up { weight: Some(9) }))),
            change(true, 9)
        );
        assert_eq!(
            plan.apply(&ev(1, Some(Transition::Weight(4)))),
            change(true, 4)
        );
    }
}
