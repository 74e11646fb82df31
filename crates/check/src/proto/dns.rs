//! DNS_CHECK dialog: one query for `name`/`type` with RD set (RFC 1035 §4.1.1 header,
//! §4.1.2 question); a reply counts when its ID matches and QR is set, and succeeds when
//! RCODE is NOERROR (keepalived `check_dns.c` checks nothing more: no ANCOUNT test).
//! Replies that are too short, carry another ID or are queries are ignored, as keepalived
//! does, and the timeout decides. Used by `runner`.

use super::DatagramDialog;
use crate::schedule::Verdict;
use keepalived_config::model::check::DnsType;

pub fn qtype_code(t: DnsType) -> u16 {
    match t {
        DnsType::A => 1,
        DnsType::Ns => 2,
        DnsType::Cname => 5,
        DnsType::Soa => 6,
        DnsType::Mx => 15,
        DnsType::Txt => 16,
        DnsType::Aaaa => 28,
    }
}

#[derive(Clone, Debug)]
pub struct DnsDialog {
    pub id: u16,
    pub qtype: DnsType,
    pub name: String,
}

impl DnsDialog {
    /// The query bytes; `None` if `name` has a label over 63 octets or is over 255
    /// (RFC 1035 §2.3.4), which config validation should already have refused.
    pub fn encode(&self) -> Option<Vec<u8>> {
        let mut q = Vec::with_capacity(12 + self.name.len() + 6);
        q.extend_from_slice(&self.id.to_be_bytes());
        q.extend_from_slice(&0x0100u16.to_be_bytes()); // RD
        q.extend_from_slice(&[0, 1, 0, 0, 0, 0, 0, 0]); // QD=1, AN=NS=AR=0
        for label in self.name.split('.').filter(|l| !l.is_empty()) {
            if label.len() > 63 {
                return None;
            }
            q.push(label.len() as u8);
            q.extend_from_slice(label.as_bytes());
        }
        q.push(0);
        if q.len() - 12 > 255 {
            return None;
        }
        q.extend_from_slice(&qtype_code(self.qtype).to_be_bytes());
        q.extend_from_slice(&1u16.to_be_bytes()); // IN
        Some(q)
    }
}

impl DatagramDialog for DnsDialog {
    fn request(&mut self) -> Vec<u8> {
        self.encode().unwrap_or_default()
    }

    fn on_datagram(&mut self, data: &[u8]) -> Option<Verdict> {
        if data.len() < 12 {
            return None;
        }
        let id = u16::from_be_bytes([data[0], data[1]]);
        let flags = u16::from_be_bytes([data[2], data[3]]);
        if id != self.id || flags & 0x8000 == 0 {
            return None;
        }
        match flags & 0x000f {
            0 => Some(Verdict::ok()),
            rcode => Some(Verdict::fail(format!("DNS reply RCODE {rcode}"))),
        }
    }

    fn on_timeout(&self) -> Verdict {
        Verdict::fail("no DNS reply before the timeout")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_layout_and_reply_rules() {
        let mut d = DnsDialog {
            id: 0x1234,
            qtype: DnsType::A,
            name: "www.example.".into(),
        };
        let q = d.request();
        assert_eq!(
            q,
            [
                &[0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0][..],
                b"\x03www\x07example\x00",
                &[0, 1, 0, 1]
            ]
            .concat()
        );
        let root = DnsDialog {
            id: 1,
            qtype: DnsType::Soa,
            name: ".".into(),
        };
        assert_eq!(&root.encode().unwrap()[12..], &[0, 0, 6, 0, 1]);
        let mut reply = q.clone();
        reply[2] |= 0x80;
        assert_eq!(d.on_datagram(&reply), Some(Verdict::ok()));
        assert_eq!(d.on_datagram(&q), None, "a query is not a reply");
        assert_eq!(d.on_datagram(&reply[..5]), None);
        let mut other = reply.clone();
        other[1] ^= 1;
        assert_eq!(d.on_datagram(&other), None);
        reply[3] |= 3; // NXDOMAIN
        assert!(!d.on_datagram(&reply).unwrap().is_ok());
        let long = DnsDialog {
            id: 1,
            qtype: DnsType::A,
            name: "a".repeat(64),
        };
        assert!(long.encode().is_none());
    }
}
