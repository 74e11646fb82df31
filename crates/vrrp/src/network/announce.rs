//! Gratuitous ARP (RFC 5227 §3 announcement form, as keepalived sends it) and unsolicited
//! Neighbor Advertisement (RFC 4861 §4.4, §7.2.6) frames and their `AF_PACKET` sender.
//! Called by the VRRP child when an instance becomes MASTER and on GARP refresh.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};

use socket2::{Domain, Protocol, Socket, Type};

use super::{NetError, NetResult};

const ETH_P_ARP: u16 = 0x0806;
const ETH_P_IPV6: u16 = 0x86dd;
const BROADCAST: [u8; 6] = [0xff; 6];
/// 33:33:00:00:00:01, the Ethernet mapping of ff02::1 (RFC 2464 §7).
const ALL_NODES_MAC: [u8; 6] = [0x33, 0x33, 0, 0, 0, 1];
/// Length of a gratuitous ARP frame (Ethernet header + ARP for IPv4 over Ethernet).
pub const GARP_LEN: usize = 42;
/// Length of an unsolicited NA frame (Ethernet + IPv6 + NA + target link-layer option).
pub const NA_LEN: usize = 86;

/// A gratuitous ARP as keepalived sends it: broadcast ARP request with sender IP =
/// target IP = `vip`, sender MAC = `mac`, target MAC ff:ff:ff:ff:ff:ff.
pub fn garp_frame(mac: [u8; 6], vip: Ipv4Addr) -> [u8; GARP_LEN] {
    let mut f = [0u8; GARP_LEN];
    f[0..6].copy_from_slice(&BROADCAST);
    f[6..12].copy_from_slice(&mac);
    f[12..14].copy_from_slice(&ETH_P_ARP.to_be_bytes());
    f[14..16].copy_from_slice(&1u16.to_be_bytes()); // ARPHRD_ETHER
    f[16..18].copy_from_slice(&0x0800u16.to_be_bytes()); // ETHERTYPE_IP
    f[18] = 6;
    f[19] = 4;
    f[20..22].copy_from_slice(&1u16.to_be_bytes()); // ARPOP_REQUEST
    f[22..28].copy_from_slice(&mac);
    f[28..32].copy_from_slice(&vip.octets());
    f[32..38].copy_from_slice(&BROADCAST);
    f[38..42].copy_from_slice(&vip.octets());
    f
}

/// An unsolicited NA as keepalived sends it: from `vip` to ff02::1, hop limit 255,
/// Override set, Router set when `router` (IPv6 forwarding on), target = `vip`, target
/// link-layer address option = `mac`; ICMPv6 checksum over the pseudo-header (RFC 4443 §2.3).
pub fn unsolicited_na_frame(mac: [u8; 6], vip: Ipv6Addr, router: bool) -> [u8; NA_LEN] {
    let mut f = [0u8; NA_LEN];
    let all_nodes = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 1);
    f[0..6].copy_from_slice(&ALL_NODES_MAC);
    f[6..12].copy_from_slice(&mac);
    f[12..14].copy_from_slice(&ETH_P_IPV6.to_be_bytes());
    let ip = 14;
    f[ip] = 0x60;
    f[ip + 4..ip + 6].copy_from_slice(&32u16.to_be_bytes()); // payload length
    f[ip + 6] = 58; // ICMPv6
    f[ip + 7] = 255; // hop limit (RFC 4861 §7.1.2)
    f[ip + 8..ip + 24].copy_from_slice(&vip.octets());
    f[ip + 24..ip + 40].copy_from_slice(&all_nodes.octets());
    let icmp = ip + 40;
    f[icmp] = 136; // Neighbor Advertisement
    f[icmp + 4] = 0x20 | if router { 0x80 } else { 0 }; // Override (+ Router)
    f[icmp + 8..icmp + 24].copy_from_slice(&vip.octets());
    f[icmp + 24] = 2; // target link-layer address option
    f[icmp + 25] = 1; // length in units of 8 octets
    f[icmp + 26..icmp + 32].copy_from_slice(&mac);
    let sum = icmpv6_checksum(&vip, &all_nodes, &f[icmp..]);
    f[icmp + 2..icmp + 4].copy_from_slice(&sum.to_be_bytes());
    f
}

/// ICMPv6 checksum (RFC 4443 §2.3) of `msg` (checksum field zero) between `src` and `dst`.
pub fn icmpv6_checksum(src: &Ipv6Addr, dst: &Ipv6Addr, msg: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    let mut add = |b: &[u8]| {
        for c in b.chunks(2) {
            let w = if c.len() == 2 {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from(c[0]) << 8
            };
            sum += u32::from(w);
        }
    };
    add(&src.octets());
    add(&dst.octets());
    add(&(msg.len() as u32).to_be_bytes());
    add(&[0, 0, 0, 58]);
    add(msg);
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// A send-only `AF_PACKET` socket (protocol 0, so it queues nothing on receive) for
/// gratuitous ARPs and unsolicited NAs on any interface.
#[derive(Debug)]
pub struct Announcer {
    sock: Socket,
}

impl Announcer {
    /// Opens the socket (non-blocking, close-on-exec).
    pub fn open() -> NetResult<Self> {
        let sock = Socket::new(Domain::PACKET, Type::RAW, Some(Protocol::from(0)))
            .map_err(|e| NetError::new("open AF_PACKET socket for GARP/NA", e))?;
        sock.set_nonblocking(true)
            .map_err(|e| NetError::new("set AF_PACKET socket non-blocking", e))?;
        Ok(Announcer { sock })
    }

    /// Sends a gratuitous ARP for `vip` out of `ifindex` with source MAC `mac`.
    pub fn send_garp(&self, ifindex: u32, mac: [u8; 6], vip: Ipv4Addr) -> NetResult<()> {
        let frame = garp_frame(mac, vip);
        keepalived_sys::net::packet_send_to(
            self.sock.as_fd(),
            &frame,
            ifindex,
            ETH_P_ARP,
            BROADCAST,
        )
        .map_err(|e| {
            NetError::new(
                format!("send gratuitous ARP for {vip} on ifindex {ifindex}"),
                e,
            )
        })?;
        Ok(())
    }

    /// Sends an unsolicited NA for `vip` out of `ifindex` with source MAC `mac`.
    pub fn send_unsolicited_na(
        &self,
        ifindex: u32,
        mac: [u8; 6],
        vip: Ipv6Addr,
        router: bool,
    ) -> NetResult<()> {
        let frame = unsolicited_na_frame(mac, vip, router);
        keepalived_sys::net::packet_send_to(
            self.sock.as_fd(),
            &frame,
            ifindex,
            ETH_P_IPV6,
            ALL_NODES_MAC,
        )
        .map_err(|e| {
            NetError::new(
                format!("send unsolicited NA for {vip} on ifindex {ifindex}"),
                e,
            )
        })?;
        Ok(())
    }
}

impl AsRawFd for Announcer {
    fn as_raw_fd(&self) -> RawFd {
        self.sock.as_raw_fd()
    }
}

impl AsFd for Announcer {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.sock.as_fd()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garp_layout() {
        let mac = [2, 0, 0, 0, 0, 1];
        let f = garp_frame(mac, Ipv4Addr::new(192, 0, 2, 100));
        assert_eq!(&f[..6], &[0xff; 6]);
        assert_eq!(&f[12..14], &[0x08, 0x06]);
        assert_eq!(&f[20..22], &[0, 1]);
        assert_eq!(&f[22..28], &mac);
        assert_eq!(&f[28..32], &[192, 0, 2, 100]);
        assert_eq!(&f[38..42], &[192, 0, 2, 100]);
    }

    #[test]
    fn na_checksum_verifies() {
        let vip: Ipv6Addr = "2001:db8::100".parse().unwrap();
        let f = unsolicited_na_frame([2, 0, 0, 0, 0, 1], vip, false);
        let all = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 1);
        // Checksumming a message that includes its checksum yields 0.
        assert_eq!(icmpv6_checksum(&vip, &all, &f[54..]), 0);
        assert_eq!(f[54], 136);
        assert_eq!(f[58], 0x20);
        assert_eq!(f[21], 255);
    }
}
