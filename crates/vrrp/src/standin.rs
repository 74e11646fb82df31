//! The VRRP child's side of stand-in adverts (hitless restart, see the supervisor's
//! `standin.rs`): tells the parent the exact datagrams of each MASTER instance's advert and
//! hands it (once, SCM_RIGHTS) the socket they go out on, so the parent can keep sending
//! them while this process is dead and its successor starts. Called by `daemon.rs` when an
//! instance sends an advert, leaves MASTER, and when the configuration is (re)loaded.
//!
//! Cheap on the hot path: a described instance is described again only when its advert
//! priority changes (or after a reload), so a steady MASTER costs one map lookup per advert.

use std::collections::HashMap;
use std::net::IpAddr;
use std::os::fd::{AsFd, OwnedFd};
use std::time::Duration;

use keepalived_ipc::{StandIn, StandInPacket, VrrpToParent};
use log::debug;

use crate::network::VrrpSocket;

/// What to tell the parent: a message and the descriptors that go with it.
pub type ToParent = (VrrpToParent, Vec<OwnedFd>);

#[derive(Debug, Default)]
pub struct StandInTx {
    next_id: u32,
    /// Index of a socket in the running set -> the id the parent knows it by.
    socket_ids: HashMap<usize, u32>,
    /// Index of an instance -> its name and the priority last described.
    described: HashMap<usize, (String, u8)>,
}

impl StandInTx {
    /// Whether an advert at `priority` by instance `i` must be described (again). Priority
    /// 0 is a stopping master's: that withdraws it instead ([`StandInTx::withdraw`]).
    pub fn wants(&self, i: usize, priority: u8) -> bool {
        priority != 0 && self.described.get(&i).map(|d| d.1) != Some(priority)
    }

    /// After instance `i` sent an advert at `priority` (`sent`: what went out, empty unless
    /// [`StandInTx::wants`] said so) on `sock`: what to tell the parent, if anything.
    pub fn on_advert(
        &mut self,
        inst: (usize, &str),
        priority: u8,
        interval: Duration,
        sock: Option<(usize, &VrrpSocket)>,
        sent: Vec<(IpAddr, Vec<u8>)>,
    ) -> Vec<ToParent> {
        match sock {
            _ if priority == 0 => self
                .withdraw(inst.0)
                .map(|m| (m, Vec::new()))
                .into_iter()
                .collect(),
            Some(sock) if !sent.is_empty() => self.describe(inst, priority, interval, sock, sent),
            _ => Vec::new(),
        }
    }

    /// Describes instance `i`'s advert: the datagrams just sent (`sent`: destination and
    /// bytes), every `interval`, on `sock` (its number in the running set and the socket).
    /// The socket goes with the first description that uses it.
    fn describe(
        &mut self,
        (i, name): (usize, &str),
        priority: u8,
        interval: Duration,
        (sock_idx, sock): (usize, &VrrpSocket),
        sent: Vec<(IpAddr, Vec<u8>)>,
    ) -> Vec<ToParent> {
        let mut out = Vec::new();
        let id = match self.socket_ids.get(&sock_idx) {
            Some(&id) => id,
            None => {
                let fd = match sock.as_fd().try_clone_to_owned() {
                    Ok(fd) => fd,
                    Err(e) => {
                        debug!("({name}) duplicating the VRRP socket for the parent: {e}");
                        return out;
                    }
                };
                let id = self.next_id;
                self.next_id = self.next_id.wrapping_add(1);
                self.socket_ids.insert(sock_idx, id);
                out.push((VrrpToParent::StandInSocket { id }, vec![fd]));
                id
            }
        };
        let packets: Vec<StandInPacket> = sent
            .into_iter()
            .map(|(dst, bytes)| {
                let (dst, pktinfo_v6) = sock.send_params(dst);
                StandInPacket {
                    dst,
                    pktinfo_v6,
                    bytes,
                }
            })
            .collect();
        if packets.is_empty() {
            return out;
        }
        self.described.insert(i, (name.to_string(), priority));
        out.push((
            VrrpToParent::StandIn(StandIn {
                instance: name.to_string(),
                socket: id,
                interval_us: u64::try_from(interval.as_micros()).unwrap_or(u64::MAX),
                packets,
            }),
            Vec::new(),
        ));
        out
    }

    /// Instance `i` no longer sends adverts (it left MASTER, or is stopping).
    pub fn withdraw(&mut self, i: usize) -> Option<VrrpToParent> {
        let (name, _) = self.described.remove(&i)?;
        Some(withdrawal(name))
    }

    /// A (re)load renumbers instances and opens new sockets: the parent forgets what it was
    /// told (and closes its copies of the old sockets); the MASTER instances describe
    /// themselves again with their next advert. `None` when nothing was described.
    pub fn reset(&mut self) -> Option<VrrpToParent> {
        if self.socket_ids.is_empty() && self.described.is_empty() {
            return None;
        }
        self.socket_ids.clear();
        self.described.clear();
        Some(VrrpToParent::StandInReset)
    }
}

fn withdrawal(instance: String) -> VrrpToParent {
    VrrpToParent::StandIn(StandIn {
        instance,
        socket: 0,
        interval_us: 0,
        packets: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_on_change_and_withdraws() {
        let mut t = StandInTx::default();
        assert!(t.wants(0, 200));
        assert!(!t.wants(0, 0), "priority 0 withdraws");
        t.described.insert(0, ("VI_1".into(), 200));
        assert!(!t.wants(0, 200), "a steady master is described once");
        assert!(t.wants(0, 150), "a new priority is described again");
        match t.withdraw(0) {
            Some(VrrpToParent::StandIn(s)) => {
                assert_eq!(s.instance, "VI_1");
                assert!(s.packets.is_empty());
            }
            other => panic!("{other:?}"),
        }
        assert!(t.withdraw(0).is_none());
        t.described.insert(3, ("VI_3".into(), 100));
        t.socket_ids.insert(0, 9);
        assert_eq!(t.reset(), Some(VrrpToParent::StandInReset));
        assert!(t.socket_ids.is_empty() && t.wants(3, 100));
        assert_eq!(t.reset(), None);
    }
}
