//! UDP_CHECK dialog: send `payload`; with `require_reply` a reply must arrive, be within
//! `min_reply_length`..=`max_reply_length` and start with `reply_data` if given; without
//! it, silence until the timeout is success (only an ICMP error, seen by `runner` as a
//! refused receive, fails). Used by `runner`.

use super::DatagramDialog;
use crate::schedule::Verdict;

#[derive(Clone, Debug, Default)]
pub struct UdpDialog {
    pub payload: Vec<u8>,
    pub require_reply: bool,
    pub reply_data: Option<Vec<u8>>,
    pub min_len: Option<u32>,
    pub max_len: Option<u32>,
}

impl DatagramDialog for UdpDialog {
    fn request(&mut self) -> Vec<u8> {
        self.payload.clone()
    }

    fn on_datagram(&mut self, data: &[u8]) -> Option<Verdict> {
        if !self.require_reply {
            return Some(Verdict::ok());
        }
        let n = data.len() as u64;
        if let Some(min) = self.min_len {
            if n < u64::from(min) {
                return Some(Verdict::fail(format!("UDP reply of {n} bytes, min {min}")));
            }
        }
        if let Some(max) = self.max_len {
            if n > u64::from(max) {
                return Some(Verdict::fail(format!("UDP reply of {n} bytes, max {max}")));
            }
        }
        if let Some(want) = &self.reply_data {
            if !data.starts_with(want) {
                return Some(Verdict::fail("UDP reply does not match reply_data"));
            }
        }
        Some(Verdict::ok())
    }

    fn on_timeout(&self) -> Verdict {
        if self.require_reply {
            Verdict::fail("no UDP reply before the timeout")
        } else {
            Verdict::ok()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_and_prefix() {
        let mut d = UdpDialog {
            payload: b"ping".to_vec(),
            require_reply: true,
            reply_data: Some(b"po".to_vec()),
            min_len: Some(3),
            max_len: Some(5),
        };
        assert_eq!(d.on_datagram(b"pong"), Some(Verdict::ok()));
        assert!(!d.on_datagram(b"po").unwrap().is_ok());
        assert!(!d.on_datagram(b"pongpong").unwrap().is_ok());
        assert!(!d.on_datagram(b"xxxx").unwrap().is_ok());
        assert!(!d.on_timeout().is_ok());
        d.require_reply = false;
        assert!(d.on_timeout().is_ok());
    }
}
