//! The VRRP child's send path: advert encoding and the batched send queue, and GARP/NA pacing;
//! a child module of [`crate::daemon`], called from the event loop and `execute`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use keepalived_ipc::VersionedConfig;
use log::{debug, warn};

use crate::network::pace::Frame;
use crate::network::{Announcer, VrrpSocket};
use crate::packet::{self, Advert, Endpoints, TxChecksum, Version};

use super::{Daemon, Inst, QueuedAdvert};

impl Daemon {
    /// Sends the queued adverts: one `sendmmsg` per socket, in the order they were decided.
    pub(super) fn flush_adverts(&mut self) {
        let q = &mut self.txq;
        if q.is_empty() {
            return;
        }
        let Some(run) = self.running.as_ref() else {
            q.clear();
            return;
        };
        let mut batch: Vec<(&[u8], IpAddr, Option<IpAddr>)> = Vec::with_capacity(q.len());
        let mut start = 0;
        while start < q.len() {
            let sidx = q[start].sock;
            let mut end = start;
            batch.clear();
            while end < q.len() && q[end].sock == sidx {
                batch.push((&q[end].bytes, q[end].dst, Some(q[end].src)));
                end += 1;
            }
            if let Some(sock) = run.socks.get(sidx) {
                for (k, e) in sock.send_batch(&batch) {
                    let inst = q.get(start + k).and_then(|a| run.insts.get(a.inst));
                    let name = inst.map_or("?", |i| i.cfg.name.as_str());
                    debug!("({name}) {e}");
                }
            }
            start = end;
        }
        q.clear();
    }

    /// keepalived's GARP/NA spacing per interface: the global `vrrp_garp_interval` /
    /// `vrrp_gna_interval`, overridden for the interfaces of a `garp_group`.
    pub(super) fn set_garp_gaps(
        &mut self,
        config: &VersionedConfig,
        links: &[keepalived_netlink::Link],
    ) {
        let g = &config.config.global;
        self.garp_default = (g.vrrp_garp_interval, g.vrrp_gna_interval);
        self.garp_gaps.clear();
        for grp in &config.config.vrrp.garp_groups {
            for name in &grp.interfaces {
                if let Some(l) = links.iter().find(|l| &l.name == name) {
                    self.garp_gaps.insert(
                        l.ifindex,
                        (
                            grp.garp_interval.unwrap_or(self.garp_default.0),
                            grp.gna_interval.unwrap_or(self.garp_default.1),
                        ),
                    );
                }
            }
        }
    }

    /// Sends the paced GARPs/NAs whose turn has come.
    pub(super) fn send_paced(&mut self, now: Instant) {
        if self.pacer.next_deadline().is_none_or(|d| d > now) {
            return;
        }
        let (gaps, dflt) = (&self.garp_gaps, self.garp_default);
        let due = self.pacer.due(now, |ifindex, v6| {
            let g = gap_of(gaps, dflt, ifindex);
            if v6 {
                g.1
            } else {
                g.0
            }
        });
        if let Some(a) = self.announcer.as_ref() {
            for f in due {
                if let Err(e) = announce(a, &f) {
                    debug!("paced GARP/NA: {e}");
                }
            }
        }
    }
}

pub(super) fn gap_of(
    gaps: &HashMap<u32, (Duration, Duration)>,
    dflt: (Duration, Duration),
    ifindex: u32,
) -> (Duration, Duration) {
    gaps.get(&ifindex).copied().unwrap_or(dflt)
}

pub(super) fn announce(a: &Announcer, f: &Frame) -> Result<(), String> {
    match *f {
        Frame::Arp { ifindex, mac, ip } => a.send_garp(ifindex, mac, ip).map_err(|e| e.to_string()),
        Frame::Na {
            ifindex,
            mac,
            ip,
            router,
        } => a
            .send_unsolicited_na(ifindex, mac, ip, router)
            .map_err(|e| e.to_string()),
    }
}

/// Encodes and sends one advert to the group or each unicast peer; with `keep`, returns
/// what it sent (for the stand-in adverts).
pub(super) fn send_advert(
    inst: &mut Inst,
    socks: &[VrrpSocket],
    priority: u8,
    keep: bool,
    queue: Option<&mut Vec<QueuedAdvert>>,
    idx: usize,
) -> Vec<(IpAddr, Vec<u8>)> {
    let mut queue = queue;
    let mut sent = Vec::new();
    let Some(sock) = socks.get(inst.sock) else {
        return sent;
    };
    let p = inst.core.params();
    let adver_int = match inst.version {
        Version::V2 => u16::try_from(p.advert_int.as_secs()).unwrap_or(255),
        Version::V3 => u16::try_from(p.advert_int.as_millis() / 10).unwrap_or(0x0fff),
    };
    let advert = Advert {
        version: inst.version,
        vrid: p.vrid,
        priority,
        adver_int,
        auth: inst.auth,
        addrs: inst.addrs.clone(),
        checksum: 0,
    };
    for dst in inst.dsts.clone() {
        let bytes = match (inst.src, dst) {
            (IpAddr::V4(s), IpAddr::V4(d)) => {
                inst.ip_id = packet::next_ip_id(inst.ip_id);
                inst.csum
                    .encode_ipv4(&advert, s, d, inst.ttl, inst.ip_id, inst.v3_checksum_as_v2)
            }
            (IpAddr::V6(s), IpAddr::V6(d)) => packet::encode(
                &advert,
                &TxChecksum {
                    endpoints: Endpoints::V6 { src: s, dst: d },
                    v3_checksum_as_v2: false,
                },
            ),
            _ => {
                warn!(
                    "({}) advert to {dst}: family differs from the source {}",
                    inst.cfg.name, inst.src
                );
                continue;
            }
        };
        if keep {
            sent.push((dst, bytes.clone()));
        }
        if let Some(q) = queue.as_mut() {
            q.push(QueuedAdvert {
                sock: inst.sock,
                dst,
                src: inst.src,
                bytes,
                inst: idx,
            });
        } else if let Err(e) = sock.send_from(&bytes, dst, Some(inst.src)) {
            debug!("({}) {e}", inst.cfg.name);
        }
    }
    sent
}
