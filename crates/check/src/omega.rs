//! `omega`: which down notifications a virtual server's removal at stop owes, as
//! keepalived's `clear_service_rs` decides them. Sans-IO; the checker child's `stop` runs
//! the scripts (and writes the `lvs_notify_fifo` lines) this returns.
//!
//! keepalived removes each alive real server of each virtual server in config order when
//! it stops (unless `-I` or `lvs_flush_on_stop ALL`). Without `omega` that is silent. With
//! `omega`, every removed real server's `notify_down` runs, and once the live weight that
//! is left falls below the quorum (`0`, or `< quorum - hysteresis`) while the quorum was
//! met, the virtual server's `quorum_down` runs, once; no sorry server is swapped in.
//! A reload removes what the new configuration dropped the same way ([`reload_notifies`]).

use keepalived_config::model::check::CheckConfig;

use crate::daemon::real_server_name;
use crate::server::RealServerHealth;

/// One notification owed at stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopNotify {
    /// Real server `rs` of virtual server `vs` was removed: its `notify_down`.
    RsDown { vs: usize, rs: usize },
    /// Virtual server `vs` lost its quorum on the way down: its `quorum_down`.
    QuorumDown { vs: usize },
}

/// The notifications, in keepalived's order, for removing everything in `cfg` given the
/// real servers' `health[vs][rs]` and each virtual server's `quorum_up`.
pub fn stop_notifies(
    cfg: &CheckConfig,
    health: &[Vec<RealServerHealth>],
    quorum_up: &[bool],
) -> Vec<StopNotify> {
    let mut out = Vec::new();
    for (v, vs) in cfg.virtual_servers.iter().enumerate() {
        if vs.omega {
            drain(cfg, v, health, quorum_up, |_| true, &mut out);
        }
    }
    out
}

/// The notifications a reload from `old` to `new` owes (keepalived's
/// `clear_diff_services`): a virtual server that is gone is removed as at stop (so only
/// with `omega`); the real servers dropped from a virtual server that stays are removed
/// with their notifications whatever `omega` says. Indices are `old`'s.
pub fn reload_notifies(
    old: &CheckConfig,
    health: &[Vec<RealServerHealth>],
    quorum_up: &[bool],
    new: &CheckConfig,
) -> Vec<StopNotify> {
    let mut out = Vec::new();
    for (v, vs) in old.virtual_servers.iter().enumerate() {
        let name = vs.display_name();
        match new
            .virtual_servers
            .iter()
            .find(|n| n.display_name() == name)
        {
            None if vs.omega => drain(old, v, health, quorum_up, |_| true, &mut out),
            None => {}
            Some(nvs) => {
                let kept: Vec<String> = nvs
                    .real_servers
                    .iter()
                    .map(|r| real_server_name(nvs, r))
                    .collect();
                let gone = |r: usize| {
                    vs.real_servers
                        .get(r)
                        .is_some_and(|rs| !kept.contains(&real_server_name(vs, rs)))
                };
                drain(old, v, health, quorum_up, gone, &mut out);
            }
        }
    }
    out
}

/// Removes the alive real servers of virtual server `v` that `pick` selects, in order,
/// with their `notify_down`, and the quorum loss once it happens.
fn drain(
    cfg: &CheckConfig,
    v: usize,
    health: &[Vec<RealServerHealth>],
    quorum_up: &[bool],
    pick: impl Fn(usize) -> bool,
    out: &mut Vec<StopNotify>,
) {
    let (Some(vs), Some(rows)) = (cfg.virtual_servers.get(v), health.get(v)) else {
        return;
    };
    let q = u64::from(vs.effective_quorum());
    let h = u64::from(vs.hysteresis.unwrap_or(0));
    let mut live: u64 = rows
        .iter()
        .filter(|r| r.is_up())
        .map(|r| u64::from(r.weight()))
        .sum();
    let mut up = quorum_up.get(v).copied().unwrap_or(false);
    for (r, row) in rows.iter().enumerate() {
        if !row.is_up() || !pick(r) {
            continue;
        }
        out.push(StopNotify::RsDown { vs: v, rs: r });
        live = live.saturating_sub(u64::from(row.weight()));
        if up && (live == 0 || live + h < q) {
            up = false;
            out.push(StopNotify::QuorumDown { vs: v });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keepalived_config::{load_str, Diagnostics, ReadOptions};

    fn cfg(omega: bool) -> CheckConfig {
        let o = if omega { " omega\n" } else { "" };
        let text = format!(
            "virtual_server 192.0.2.10 80 {{\n lb_kind DR\n protocol TCP\n{o} quorum 3\n hysteresis 1\n\
             quorum_down /bin/true\n\
             real_server 192.0.2.1 80 {{\n weight 2\n notify_down /bin/true\n }}\n\
             real_server 192.0.2.2 80 {{\n weight 1\n }}\n\
             real_server 192.0.2.3 80 {{\n weight 5\n }}\n}}\n"
        );
        let mut d = Diagnostics::default();
        load_str("t.conf", &text, &ReadOptions::default(), &mut d).check
    }

    #[test]
    fn omega_notifies_each_removed_server_and_the_quorum_loss_once() {
        let health = vec![vec![
            RealServerHealth::new(2, [true]),
            RealServerHealth::new(1, [false]),
            RealServerHealth::new(5, [true]),
        ]];
        // Live weight 7, quorum 3, hysteresis 1: removing .1 leaves 5 (still >= 2),
        // removing .3 leaves 0: quorum lost there. .2 is down: nothing for it.
        assert_eq!(
            stop_notifies(&cfg(true), &health, &[true]),
            [
                StopNotify::RsDown { vs: 0, rs: 0 },
                StopNotify::RsDown { vs: 0, rs: 2 },
                StopNotify::QuorumDown { vs: 0 },
            ]
        );
        // The quorum already lost: no second quorum_down.
        assert_eq!(
            stop_notifies(&cfg(true), &health, &[false]),
            [
                StopNotify::RsDown { vs: 0, rs: 0 },
                StopNotify::RsDown { vs: 0, rs: 2 },
            ]
        );
        // Without omega the removal is silent.
        assert!(stop_notifies(&cfg(false), &health, &[true]).is_empty());
    }

    #[test]
    fn reload_notifies_dropped_servers_always_and_dropped_services_with_omega() {
        let health = vec![vec![
            RealServerHealth::new(2, [true]),
            RealServerHealth::new(1, [false]),
            RealServerHealth::new(5, [true]),
        ]];
        // .3 (weight 5) dropped from a service that stays: notified even without omega;
        // 2 left >= 3 - 1, the quorum holds.
        let mut new = cfg(false);
        new.virtual_servers[0].real_servers.pop();
        assert_eq!(
            reload_notifies(&cfg(false), &health, &[true], &new),
            [StopNotify::RsDown { vs: 0, rs: 2 }]
        );
        // Unchanged: nothing.
        assert!(reload_notifies(&cfg(false), &health, &[true], &cfg(false)).is_empty());
        // The whole service gone: as at stop, so only with omega.
        let mut none = cfg(false);
        none.virtual_servers.clear();
        assert!(reload_notifies(&cfg(false), &health, &[true], &none).is_empty());
        assert_eq!(
            reload_notifies(&cfg(true), &health, &[true], &none),
            stop_notifies(&cfg(true), &health, &[true])
        );
    }
}
