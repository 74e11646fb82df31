//! The VRRP child's answers to the parent's `Dump` requests (data, stats, JSON); a child module
//! of [`crate::daemon`], called from the parent-channel handler.

use keepalived_ipc::DumpKind;
use serde_json::json;

use super::{state_word, Daemon};

impl Daemon {
    pub(super) fn dump_body(&mut self, kind: DumpKind) -> String {
        let pid = std::process::id();
        let up = self.started.elapsed().as_secs();
        let Some(run) = &self.running else {
            return match kind {
                DumpKind::Json => {
                    json!({"role": "vrrp", "pid": pid, "generation": null}).to_string()
                }
                _ => format!(" Role = vrrp\n Pid = {pid}\n (no configuration yet)\n"),
            };
        };
        match kind {
            DumpKind::Json => {
                let instances: Vec<_> = run
                    .insts
                    .iter()
                    .enumerate()
                    .map(|(idx, i)| {
                        let (msrc, mprio) = i.core.master();
                        json!({
                            "iname": i.cfg.name,
                            "name": i.cfg.name,
                            "vrid": i.core.params().vrid,
                            "state": state_word(i.core.state()),
                            "ifp_ifname": i.ifname,
                            "priority": i.core.params().priority,
                            "effective_priority": i.core.effective_priority(),
                            "master_saddr": msrc.map(|a| a.to_string()),
                            "master_priority": mprio,
                            "vipset": i.core.vips_set(),
                            "stats": i.core.stats(),
                            "tracking": self.tracker.as_ref().map(|t| t.json_instance(idx)),
                        })
                    })
                    .collect();
                let configured: Vec<_> = run
                    .configured
                    .iter()
                    .map(|(n, v)| json!({"name": n, "vrid": v}))
                    .collect();
                json!({
                    "role": "vrrp",
                    "pid": pid,
                    "generation": run.generation,
                    "reloads": run.reloads,
                    "uptime_secs": up,
                    "config": {"source": run.source, "instances": configured},
                    "instances": instances,
                    "restored": {"instances": self.restored, "real_servers": 0},
                    "peer": {
                        "links": self.peer_stats.links,
                        "connected": self.peer_stats.connected,
                        "received": self.peer_stats.received,
                        "sent": self.peer_stats.sent,
                    },
                    "rx_errors": self.rx_errors.counts,
                    "notify": self.notifier.stats(),
                })
                .to_string()
            }
            DumpKind::Stats | DumpKind::StatsClear => {
                let mut s = format!(
                    " Role = vrrp\n Pid = {pid}\n Uptime = {up} s\n Messages from parent = {}\n Reloads = {}\n Sibling links = {} ({}), messages received = {}, sent = {}\n",
                    self.received,
                    run.reloads,
                    self.peer_stats.links,
                    if self.peer_stats.connected { "connected" } else { "down" },
                    self.peer_stats.received,
                    self.peer_stats.sent
                );
                for i in &run.insts {
                    let st = i.core.stats();
                    // keepalived's layout (vrrp_print.c), field for field.
                    s.push_str(&format!(
                        "VRRP Instance: {}\n  Advertisements:\n    Received: {}\n    Sent: {}\n  Became master: {}\n  Released master: {}\n  Packet Errors:\n    Length: {}\n    TTL: {}\n    Invalid Type: {}\n    Advertisement Interval: {}\n    Address List: {}\n  Authentication Errors:\n    Invalid Type: {}\n    Type Mismatch: {}\n    Failure: {}\n  Priority Zero:\n    Received: {}\n    Sent: {}\n",
                        i.cfg.name,
                        st.advert_rcvd,
                        st.advert_sent,
                        st.become_master,
                        st.release_master,
                        st.packet_len_err,
                        st.ip_ttl_err,
                        st.invalid_type_rcvd,
                        st.advert_interval_err,
                        st.addr_list_err,
                        st.invalid_authtype,
                        st.authtype_mismatch,
                        st.auth_failure,
                        st.pri_zero_rcvd,
                        st.pri_zero_sent
                    ));
                }
                let n = self.notifier.stats();
                s.push_str(&format!(
                    " Notify scripts: started {}, failed {}, timed out {}, superseded {}, spawn errors {}\n Notify FIFO lines: written {}, dropped {}\n",
                    n.started, n.failed, n.timed_out, n.superseded, n.spawn_errors, n.fifo_lines, n.fifo_dropped
                ));
                s.push_str(" Receive errors (all instances):\n");
                for (k, v) in &self.rx_errors.counts {
                    s.push_str(&format!("    {k}: {v}\n"));
                }
                if kind == DumpKind::StatsClear {
                    self.rx_errors.counts.clear();
                    if let Some(r) = self.running.as_mut() {
                        r.insts.iter_mut().for_each(|i| i.core.clear_stats());
                    }
                }
                s
            }
            DumpKind::Data => {
                let mut s = format!(
                    " Role = vrrp\n Pid = {pid}\n Configuration generation = {}\n",
                    run.generation
                );
                for (idx, i) in run.insts.iter().enumerate() {
                    let (msrc, mprio) = i.core.master();
                    s.push_str(&format!(
                        " VRRP Instance = {} (vrid {}) State = {}\n   Interface = {}\n   Priority = {}\n   Effective priority = {}\n   Advert interval = {:?}\n   Master router = {}\n   Master priority = {}\n   Virtual IP = {}\n",
                        i.cfg.name,
                        i.core.params().vrid,
                        state_word(i.core.state()),
                        i.ifname,
                        i.core.params().priority,
                        i.core.effective_priority(),
                        i.core.params().advert_int,
                        msrc.map(|a| a.to_string()).unwrap_or_default(),
                        mprio,
                        i.vips.len()
                    ));
                    if let Some(t) = &self.tracker {
                        s.push_str(&t.dump_instance(idx));
                    }
                }
                if let Some(t) = &self.tracker {
                    s.push_str(&t.dump_global());
                }
                s
            }
        }
    }
}

/// The supervisor's test hook (`KEEPALIVED_RS_TEST_GARBAGE`, see its `options.rs`): when
/// the token file `<base>.vrrp` exists, it is removed and the dump answer is garbage.
pub(super) fn test_garbage_hook() -> bool {
    let Some(base) = std::env::var_os("KEEPALIVED_RS_TEST_GARBAGE") else {
        return false;
    };
    let mut token = base;
    token.push(".vrrp");
    std::fs::remove_file(&token).is_ok()
}
