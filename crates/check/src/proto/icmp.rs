//! PING_CHECK dialog: one ICMP echo request (RFC 792 for IPv4, RFC 4443 §4.1 for IPv6)
//! and the matching echo reply. Used by `runner`, which sends it on an unprivileged
//! ICMP datagram socket where the kernel allows it, else on a raw socket.
//!
//! On a datagram socket the kernel owns the identifier (it rewrites it to the socket's
//! "port") and computes the ICMPv6 checksum; on a raw IPv4 socket replies arrive with
//! their IP header. The reply is matched by sequence number and payload.

use super::DatagramDialog;
use crate::schedule::Verdict;

#[derive(Clone, Debug)]
pub struct PingDialog {
    pub v6: bool,
    /// The socket is raw and IPv4: received datagrams start with the IP header.
    pub raw_v4: bool,
    pub ident: u16,
    pub seq: u16,
    pub payload: Vec<u8>,
}

impl PingDialog {
    pub fn new(v6: bool, raw_v4: bool, ident: u16, seq: u16) -> PingDialog {
        let mut payload = b"keepalived-rs ".to_vec();
        payload.extend_from_slice(&seq.to_be_bytes());
        payload.extend_from_slice(&ident.to_be_bytes());
        PingDialog {
            v6,
            raw_v4,
            ident,
            seq,
            payload,
        }
    }
}

/// RFC 1071 Internet checksum.
pub fn checksum(data: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    for c in data.chunks(2) {
        let w = if c.len() == 2 {
            u16::from_be_bytes([c[0], c[1]])
        } else {
            u16::from(c[0]) << 8
        };
        sum += u32::from(w);
    }
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

impl DatagramDialog for PingDialog {
    fn request(&mut self) -> Vec<u8> {
        let kind = if self.v6 { 128 } else { 8 };
        let mut p = vec![kind, 0, 0, 0];
        p.extend_from_slice(&self.ident.to_be_bytes());
        p.extend_from_slice(&self.seq.to_be_bytes());
        p.extend_from_slice(&self.payload);
        if !self.v6 {
            // ICMPv6 checksums cover a pseudo-header; the kernel fills them in.
            let c = checksum(&p);
            p[2..4].copy_from_slice(&c.to_be_bytes());
        }
        p
    }

    fn on_datagram(&mut self, data: &[u8]) -> Option<Verdict> {
        let icmp = if self.raw_v4 {
            let ihl = usize::from(data.first()? & 0x0f) * 4;
            data.get(ihl..)?
        } else {
            data
        };
        if icmp.len() < 8 {
            return None;
        }
        let want = if self.v6 { 129 } else { 0 };
        if icmp[0] != want {
            return None;
        }
        let seq = u16::from_be_bytes([icmp[6], icmp[7]]);
        if seq != self.seq || icmp[8..] != self.payload[..] {
            return None;
        }
        Some(Verdict::ok())
    }

    fn on_timeout(&self) -> Verdict {
        Verdict::fail("no ICMP echo reply before the timeout")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_request_checksum_and_reply_match() {
        let mut d = PingDialog::new(false, false, 7, 9);
        let req = d.request();
        assert_eq!(checksum(&req), 0, "a correct checksum sums to zero");
        let mut reply = req.clone();
        reply[0] = 0;
        assert_eq!(d.on_datagram(&reply), Some(Verdict::ok()));
        assert_eq!(d.on_datagram(&req), None, "our own request is not a reply");
        reply[7] ^= 1;
        assert_eq!(d.on_datagram(&reply), None);
        let mut raw = PingDialog::new(false, true, 7, 9);
        let mut r = vec![0x45; 20];
        let mut icmp = raw.request();
        icmp[0] = 0;
        r.extend_from_slice(&icmp);
        assert_eq!(raw.on_datagram(&r), Some(Verdict::ok()));
        assert_eq!(raw.on_datagram(&[0x4f]), None);
    }
}
