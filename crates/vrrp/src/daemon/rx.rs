//! The VRRP child's receive path: batched socket reads and each advert's checks before its
//! instance sees it; a child module of [`crate::daemon`], called from the event loop.

use std::net::{IpAddr, Ipv6Addr};
use std::time::Instant;

use keepalived_sys::mmsg::InMeta;
use log::info;

use crate::events::{Input, RxAdvert};
use crate::network::Family;
use crate::packet::{self, Advert, DecodeError, Endpoints, RxMeta, VirtualAddrs};

use super::{Daemon, RX_BATCH};

impl Daemon {
    /// Reads every queued packet of socket `sidx`, `RX_BATCH` per `recvmmsg`, and feeds
    /// each to its instance.
    pub(super) fn on_socket(&mut self, sidx: usize) {
        let Some(mut rxb) = self.rxb.take() else {
            return;
        };
        loop {
            let now = Instant::now();
            let Some(sock) = self.running.as_ref().and_then(|r| r.socks.get(sidx)) else {
                break;
            };
            let n = match sock.recv_batch(&mut rxb) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => {
                    self.rx_errors
                        .record("recv_err", now, || format!("VRRP receive: {e}"));
                    break;
                }
            };
            for (bytes, m) in rxb.iter() {
                self.on_packet(sidx, now, bytes, m);
            }
            // Fewer than asked for: the queue was empty (a later packet raises a new edge).
            if n < RX_BATCH {
                break;
            }
        }
        self.rxb = Some(rxb);
    }

    /// One packet read from socket `sidx`: demultiplexed by VRID, decoded and fed.
    pub(super) fn on_packet(&mut self, sidx: usize, now: Instant, bytes: &[u8], m: &InMeta) {
        let Some(run) = self.running.as_ref() else {
            return;
        };
        let Some(sock) = run.socks.get(sidx) else {
            return;
        };
        let meta = sock.meta_of(bytes, m);
        let family = sock.config().family;
        // Demultiplex by VRID before decoding with the instance's configuration.
        let payload_off = match family {
            Family::V4 => {
                if bytes.len() < 20 {
                    None
                } else {
                    Some(usize::from(bytes[0] & 0x0f) * 4)
                }
            }
            Family::V6 => Some(0),
        };
        // Shorter than the fixed VRRP header: keepalived drops it before looking for
        // an instance, so it counts for the whole child only.
        let vrid = payload_off
            .filter(|o| bytes.len() >= o + 8)
            .and_then(|o| bytes.get(o + 1).copied());
        let Some(vrid) = vrid else {
            self.rx_errors.record("packet_len_err", now, || {
                format!(
                    "VRRP packet of {} bytes from {}: truncated",
                    meta.len, meta.src
                )
            });
            return;
        };
        let Some(&ii) = run.demux.get(&(sidx, vrid)) else {
            if run.log_unknown_vrids {
                // keepalived's line for every one; still counted.
                info!(
                    "{}",
                    crate::rxlog::unknown_vrid(vrid, &sock.config().ifname)
                );
                *self.rx_errors.counts.entry("unknown_vrid").or_default() += 1;
                return;
            }
            self.rx_errors.record("unknown_vrid", now, || {
                format!(
                    "VRRP advert from {} for VRID {vrid}: no such instance",
                    meta.src
                )
            });
            return;
        };
        let inst = &run.insts[ii];
        let decoded: Result<(IpAddr, Option<u8>, Advert), DecodeError> = match family {
            Family::V4 => {
                let (r, switched) = inst.csum.decode_ipv4(bytes, &inst.rx);
                if switched {
                    let name = &inst.core.params().name;
                    info!("({name}) Setting unicast VRRPv3 checksum to old version");
                }
                r.map(|(h, a)| (IpAddr::V4(h.src), Some(h.ttl), a))
            }
            Family::V6 => {
                let (src, dst) = match (meta.src, meta.dst) {
                    (IpAddr::V6(s), Some(IpAddr::V6(d))) => (s, d),
                    (IpAddr::V6(s), _) => (s, Ipv6Addr::UNSPECIFIED),
                    _ => (Ipv6Addr::UNSPECIFIED, Ipv6Addr::UNSPECIFIED),
                };
                let m = RxMeta {
                    endpoints: Endpoints::V6 { src, dst },
                    ttl: meta.ttl.unwrap_or(0),
                };
                packet::decode(bytes, &m, &inst.rx).map(|a| (IpAddr::V6(src), meta.ttl, a))
            }
        };
        match decoded {
            Ok((src, ttl, adv)) => {
                if inst.check_src {
                    if let Err(why) = crate::unicast::accept(&inst.cfg.unicast_peers, src, ttl) {
                        let name = inst.cfg.name.clone();
                        let (stat, ttl_err) = match why {
                            crate::unicast::PeerReject::NotPeer(_) => ("unicast_src_err", false),
                            crate::unicast::PeerReject::Ttl { .. } => ("ip_ttl_err", true),
                        };
                        self.rx_errors
                            .record(stat, now, || format!("({name}) {why}"));
                        if ttl_err {
                            if let Some(i) = self.running.as_mut().and_then(|r| r.insts.get_mut(ii))
                            {
                                i.core.count_rejected(packet::DecodeErrorKind::BadTtl);
                            }
                        }
                        return;
                    }
                }
                let vips_match = same_vips(&adv.addrs, &inst.addrs);
                let rx = RxAdvert {
                    src,
                    priority: adv.priority,
                    adver_int: adv.interval(),
                    addr_count: u8::try_from(adv.addrs.len()).unwrap_or(u8::MAX),
                    vips_match,
                };
                self.feed(ii, now, Input::Advert(rx));
            }
            Err(e) => {
                let name = inst.cfg.name.clone();
                let src = meta.src;
                self.rx_errors.record(e.kind().stat_name(), now, || {
                    format!("({name}) advert from {src}: {e}")
                });
                if let Some(i) = self.running.as_mut().and_then(|r| r.insts.get_mut(ii)) {
                    i.core.count_rejected(e.kind());
                }
            }
        }
    }
}

/// keepalived's address-list check: as many addresses as ours, each of ours among them.
pub(super) fn same_vips(theirs: &VirtualAddrs, ours: &VirtualAddrs) -> bool {
    match (theirs, ours) {
        (VirtualAddrs::V4(t), VirtualAddrs::V4(o)) => {
            t.len() == o.len() && o.iter().all(|a| t.contains(a))
        }
        (VirtualAddrs::V6(t), VirtualAddrs::V6(o)) => {
            t.len() == o.len() && o.iter().all(|a| t.contains(a))
        }
        _ => false,
    }
}
