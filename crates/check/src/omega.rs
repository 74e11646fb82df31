//! `omega`: which down notifications a virtual server's removal at stop owes, as
//! keepalived's `clear_service_rs` decides them. Sans-IO; the checker child's `stop` runs
//! the scripts (and writes the `lvs_notify_fifo` lines) this returns.
//!
//! keepalived removes each alive real server of each virtual server in config order when
//! it stops (unless `-I` or `lvs_flush_on_stop ALL`). Without `omega` that is silent. With
//! `omega`, every removed real server's `notify_down` runs, and once the live weight that
//! is left falls below the quorum (`0`, or `< quorum - hysteresis`) while the quorum was
//! met, the virtual server's `quorum_down` runs, once; no sorry server is swapped in.

use keepalived_config::model::check::CheckConfig;

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
        if !vs.omega {
            continue;
        }
        let Some(rows) = health.get(v) else { continue };
        let q = u64::from(vs.effective_quorum());
        let h = u64::from(vs.hysteresis.unwrap_or(0));
        let mut live: u64 = rows
            .iter()
            .filter(|r| r.is_up())
            .map(|r| u64::from(r.weight()))
            .sum();
        let mut up = quorum_up.get(v).copied().unwrap_or(false);
        for (r, row) in rows.iter().enumerate() {
            if !row.is_up() {
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
    out
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
}
