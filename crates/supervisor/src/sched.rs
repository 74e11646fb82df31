//! A child's scheduling settings from `global_defs` (`vrrp_rt_priority`,
//! `vrrp_rlimit_rttime`, `vrrp_priority`, `vrrp_no_swap`, `vrrp_cpu_affinity` and the
//! `checker_*` twins): the parent reads them from the configuration when it spawns a child
//! ([`crate::spawn`] puts them on the hidden command line as `--sched SPEC`), and the
//! child applies them in [`crate::worker`] before its event loop starts, as keepalived
//! applies them before its child reads the configuration.
//!
//! keepalived's rules: a real-time priority gives `SCHED_RR` (reset on fork, so scripts
//! run normally) and an `RLIMIT_RTTIME` of `*_rlimit_rttime` µs (10000 by default) as the
//! hard limit, half of it as the soft one (SIGXCPU, logged by the child); the nice value
//! is only applied when no real-time priority is; the settings are those of the child's
//! start (a reload does not change a running child; a restarted one takes the new ones).
//!
//! Beyond keepalived: the parent takes the VRRP child's real-time priority while it sends
//! the child's adverts during a restart ([`raise_for_stand_in`]), and drops it after.

use keepalived_config::model::global::GlobalDefs;
use log::{info, warn};

use crate::child::Role;

/// keepalived's `RT_RLIMIT_DEFAULT`: the real-time CPU budget without blocking, in µs.
pub const RLIMIT_RTTIME_DEFAULT: u64 = 10_000;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChildSched {
    /// `SCHED_RR` priority, 1..=99.
    pub rt_priority: Option<i32>,
    /// `RLIMIT_RTTIME` hard limit in µs (only with `rt_priority`).
    pub rlimit_rttime: Option<u64>,
    /// Nice value, -20..=19 (only without `rt_priority`).
    pub nice: Option<i32>,
    pub no_swap: bool,
    pub cpus: Vec<usize>,
}

impl ChildSched {
    /// The settings of `role` in `g` (the keywords are range-checked by the parser; a
    /// value that does not parse here is left out rather than guessed).
    pub fn from_config(g: &GlobalDefs, role: Role) -> Self {
        let prefix = match role {
            Role::Vrrp => "vrrp",
            Role::Checker => "checker",
        };
        let word = |k: &str| {
            g.other
                .get(&format!("{prefix}_{k}"))
                .and_then(|a| a.first())
                .map(String::as_str)
        };
        let rt_priority = word("rt_priority")
            .and_then(|w| w.parse::<i32>().ok())
            .filter(|p| (1..=99).contains(p));
        // `*_rlimit_rtime` is keepalived's older spelling.
        let rlimit = word("rlimit_rttime")
            .or_else(|| word("rlimit_rtime"))
            .and_then(|w| w.parse::<u64>().ok())
            .filter(|&v| v > 0);
        ChildSched {
            rt_priority,
            rlimit_rttime: rt_priority.map(|_| rlimit.unwrap_or(RLIMIT_RTTIME_DEFAULT)),
            nice: word("priority")
                .and_then(|w| w.parse::<i32>().ok())
                .filter(|&n| n != 0 && (-20..=19).contains(&n)),
            no_swap: g.other.get(&format!("{prefix}_no_swap")).is_some_and(|a| {
                // `Kind::Flag`: no word, or a boolean word.
                a.first().is_none_or(|w| {
                    matches!(w.to_ascii_lowercase().as_str(), "true" | "on" | "yes")
                })
            }),
            cpus: g
                .other
                .get(&format!("{prefix}_cpu_affinity"))
                .map(|ws| ws.iter().filter_map(|w| w.parse().ok()).collect())
                .unwrap_or_default(),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == ChildSched::default()
    }

    /// The `--sched` word: `rt=50,rttime=10000,nice=-5,noswap,cpus=0:1`.
    pub fn to_arg(&self) -> String {
        let mut parts = Vec::new();
        if let Some(p) = self.rt_priority {
            parts.push(format!("rt={p}"));
        }
        if let Some(r) = self.rlimit_rttime {
            parts.push(format!("rttime={r}"));
        }
        if let Some(n) = self.nice {
            parts.push(format!("nice={n}"));
        }
        if self.no_swap {
            parts.push("noswap".into());
        }
        if !self.cpus.is_empty() {
            let c: Vec<String> = self.cpus.iter().map(usize::to_string).collect();
            parts.push(format!("cpus={}", c.join(":")));
        }
        parts.join(",")
    }

    pub fn parse_arg(s: &str) -> Result<Self, String> {
        let mut out = ChildSched::default();
        for part in s.split(',').filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            let num = |v: &str| {
                v.parse::<i64>()
                    .map_err(|_| format!("bad --sched {part:?}"))
            };
            match k {
                "rt" => out.rt_priority = Some(i32::try_from(num(v)?).map_err(|e| e.to_string())?),
                "rttime" => {
                    out.rlimit_rttime = Some(u64::try_from(num(v)?).map_err(|e| e.to_string())?)
                }
                "nice" => out.nice = Some(i32::try_from(num(v)?).map_err(|e| e.to_string())?),
                "noswap" => out.no_swap = true,
                "cpus" => {
                    out.cpus = v
                        .split(':')
                        .map(|c| c.parse().map_err(|_| format!("bad --sched {part:?}")))
                        .collect::<Result<_, _>>()?;
                }
                _ => return Err(format!("unknown --sched part {part:?}")),
            }
        }
        Ok(out)
    }

    /// Applies the settings to the calling (single-threaded) child. Failures are logged
    /// and the child runs on, as keepalived's does.
    pub fn apply(&self, role: Role) {
        use keepalived_sys::sched;
        if !self.cpus.is_empty() {
            match sched::set_affinity(&self.cpus) {
                Ok(()) => info!("{role} child: CPU affinity {:?}", self.cpus),
                Err(e) => warn!("unable to set cpu affinity to {role} process: {e}"),
            }
        }
        if let Some(p) = self.rt_priority {
            if let Err(e) = sched::ignore_sigxcpu() {
                warn!("{role} child: ignoring SIGXCPU: {e}");
            }
            match sched::set_round_robin(p) {
                Ok(()) => {
                    info!("{role} child: realtime priority {p} (SCHED_RR)");
                    if let Some(hard) = self.rlimit_rttime {
                        if let Err(e) = sched::set_rttime_limit(hard / 2, hard) {
                            warn!("{role} child: cannot set realtime rlimit ({hard} us): {e}");
                        }
                    }
                }
                Err(e) => warn!("{role} child: cannot raise priority to {p} (SCHED_RR): {e}"),
            }
        } else if let Some(n) = self.nice {
            if let Err(e) = sched::set_nice(n) {
                warn!("{role} child: unable to set process priority to {n}: {e}");
            }
        }
        if self.no_swap {
            if let Err(e) = sched::lock_memory() {
                warn!("{role} child: unable to lock process in memory: {e}");
            }
        }
    }
}

/// The parent sends the VRRP child's adverts while the child restarts (crate::standin):
/// with `vrrp_rt_priority` set those adverts are as time-critical as the child's, so the
/// parent takes the same priority for that while. Returns whether it did.
pub fn raise_for_stand_in(vrrp: &ChildSched) -> bool {
    let Some(p) = vrrp.rt_priority else {
        return false;
    };
    // Inherited by the VRRP child started meanwhile (`spawn` waits for its exec, which a
    // normal-priority child on a busy host may reach only milliseconds later: the parent's
    // adverts would wait too); that child applies its own scheduling at once.
    match keepalived_sys::sched::set_round_robin_inherited(p) {
        Ok(()) => true,
        Err(e) => {
            warn!("standing in for the VRRP child: cannot raise priority to {p} (SCHED_RR): {e}");
            false
        }
    }
}

/// Back to the normal policy after [`raise_for_stand_in`].
pub fn lower_after_stand_in() {
    if let Err(e) = keepalived_sys::sched::set_normal() {
        warn!("stand-in over: cannot go back to normal scheduling: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defs(words: &[(&str, &[&str])]) -> GlobalDefs {
        let mut g = GlobalDefs::default();
        for (k, a) in words {
            g.other
                .insert((*k).into(), a.iter().map(|s| (*s).to_string()).collect());
        }
        g
    }

    #[test]
    fn keepalived_defaults_and_roles() {
        let g = defs(&[
            ("vrrp_rt_priority", &["50"]),
            ("vrrp_priority", &["-5"]),
            ("vrrp_cpu_affinity", &["0", "1"]),
            ("checker_priority", &["4"]),
            ("checker_no_swap", &[]),
            ("checker_rlimit_rttime", &["20000"]),
        ]);
        let v = ChildSched::from_config(&g, Role::Vrrp);
        assert_eq!(
            v,
            ChildSched {
                rt_priority: Some(50),
                rlimit_rttime: Some(RLIMIT_RTTIME_DEFAULT),
                nice: Some(-5),
                no_swap: false,
                cpus: vec![0, 1],
            }
        );
        let c = ChildSched::from_config(&g, Role::Checker);
        // No real-time priority: the rttime limit has nothing to bind.
        assert_eq!(
            c,
            ChildSched {
                rt_priority: None,
                rlimit_rttime: None,
                nice: Some(4),
                no_swap: true,
                cpus: vec![],
            }
        );
        assert!(ChildSched::from_config(&defs(&[]), Role::Vrrp).is_empty());
        let old = defs(&[
            ("vrrp_rt_priority", &["1"]),
            ("vrrp_rlimit_rtime", &["300"]),
        ]);
        assert_eq!(
            ChildSched::from_config(&old, Role::Vrrp).rlimit_rttime,
            Some(300)
        );
        let off = defs(&[("vrrp_no_swap", &["false"])]);
        assert!(!ChildSched::from_config(&off, Role::Vrrp).no_swap);
    }

    #[test]
    fn arg_round_trips_and_refuses_nonsense() {
        let s = ChildSched {
            rt_priority: Some(50),
            rlimit_rttime: Some(10_000),
            nice: Some(-5),
            no_swap: true,
            cpus: vec![0, 3],
        };
        assert_eq!(s.to_arg(), "rt=50,rttime=10000,nice=-5,noswap,cpus=0:3");
        assert_eq!(ChildSched::parse_arg(&s.to_arg()).unwrap(), s);
        assert_eq!(ChildSched::parse_arg("").unwrap(), ChildSched::default());
        for bad in ["rt=x", "bogus", "cpus=0:a", "rttime=-1"] {
            assert!(ChildSched::parse_arg(bad).is_err(), "{bad}");
        }
    }
}
