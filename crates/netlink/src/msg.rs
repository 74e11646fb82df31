//! A small byte-level builder for rtnetlink requests whose payloads neli 0.7 does not model
//! (`fib_rule_hdr`, nested `IFLA_LINKINFO`, `RTA_MULTIPATH`). Used by `route.rs` and
//! `link.rs` of this crate; its output is pinned byte for byte by their unit tests.

/// `struct nlmsghdr` length.
const HDR: usize = 16;
/// `struct nlattr`/`struct rtattr` header length.
const ATTR_HDR: usize = 4;

fn align4(n: usize) -> usize {
    (n + 3) & !3
}

/// One netlink request under construction: header, fixed part, attributes.
#[derive(Debug)]
pub(crate) struct MsgBuilder {
    buf: Vec<u8>,
    /// Offsets of the open nested attributes (their length is written on close).
    nests: Vec<usize>,
}

impl MsgBuilder {
    /// Starts a message of `ty` with `flags` and `seq` (port id 0: the kernel's).
    pub(crate) fn new(ty: u16, flags: u16, seq: u32) -> Self {
        let mut buf = Vec::with_capacity(128);
        buf.extend_from_slice(&0u32.to_ne_bytes());
        buf.extend_from_slice(&ty.to_ne_bytes());
        buf.extend_from_slice(&flags.to_ne_bytes());
        buf.extend_from_slice(&seq.to_ne_bytes());
        buf.extend_from_slice(&0u32.to_ne_bytes());
        MsgBuilder {
            buf,
            nests: Vec::new(),
        }
    }

    /// Appends the fixed family header (`rtmsg`, `fib_rule_hdr`, `ifinfomsg`), padded.
    pub(crate) fn fixed(&mut self, bytes: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(bytes);
        self.pad();
        self
    }

    fn pad(&mut self) {
        let n = align4(self.buf.len());
        self.buf.resize(n, 0);
    }

    /// Appends attribute `ty` with `payload`, padded to 4 bytes.
    pub(crate) fn attr(&mut self, ty: u16, payload: &[u8]) -> &mut Self {
        let len = u16::try_from(ATTR_HDR + payload.len()).unwrap_or(u16::MAX);
        self.buf.extend_from_slice(&len.to_ne_bytes());
        self.buf.extend_from_slice(&ty.to_ne_bytes());
        self.buf.extend_from_slice(payload);
        self.pad();
        self
    }

    pub(crate) fn attr_u32(&mut self, ty: u16, v: u32) -> &mut Self {
        self.attr(ty, &v.to_ne_bytes())
    }

    /// A NUL-terminated string attribute (interface names, `IFLA_INFO_KIND`).
    pub(crate) fn attr_str(&mut self, ty: u16, s: &str) -> &mut Self {
        let mut v = Vec::with_capacity(s.len() + 1);
        v.extend_from_slice(s.as_bytes());
        v.push(0);
        self.attr(ty, &v)
    }

    /// Opens a nested attribute; close it with [`MsgBuilder::end_nest`].
    pub(crate) fn begin_nest(&mut self, ty: u16) -> &mut Self {
        self.nests.push(self.buf.len());
        self.buf.extend_from_slice(&0u16.to_ne_bytes());
        self.buf.extend_from_slice(&ty.to_ne_bytes());
        self
    }

    pub(crate) fn end_nest(&mut self) -> &mut Self {
        if let Some(start) = self.nests.pop() {
            let len = u16::try_from(self.buf.len() - start).unwrap_or(u16::MAX);
            self.buf[start..start + 2].copy_from_slice(&len.to_ne_bytes());
        }
        self
    }

    /// Appends raw bytes inside the current nest (e.g. an `rtnexthop`); returns their offset.
    pub(crate) fn raw(&mut self, bytes: &[u8]) -> usize {
        let at = self.buf.len();
        self.buf.extend_from_slice(bytes);
        at
    }

    /// Overwrites a native-endian u16 at `at` (the length of an `rtnexthop`).
    pub(crate) fn patch_u16(&mut self, at: usize, v: u16) {
        if let Some(s) = self.buf.get_mut(at..at + 2) {
            s.copy_from_slice(&v.to_ne_bytes());
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.buf.len()
    }

    /// Closes open nests, writes `nlmsg_len` and returns the bytes.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        while !self.nests.is_empty() {
            self.end_nest();
        }
        let len = u32::try_from(self.buf.len()).unwrap_or(u32::MAX);
        self.buf[0..4].copy_from_slice(&len.to_ne_bytes());
        debug_assert!(self.buf.len() >= HDR);
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_attrs_padding_and_nests() {
        let mut b = MsgBuilder::new(24, 0x0405, 7);
        b.fixed(&[1, 2, 3]);
        b.attr(5, &[9]);
        b.begin_nest(18);
        b.attr_str(1, "ab");
        b.end_nest();
        let v = b.finish();
        let mut want = Vec::new();
        want.extend_from_slice(&40u32.to_ne_bytes());
        want.extend_from_slice(&24u16.to_ne_bytes());
        want.extend_from_slice(&0x0405u16.to_ne_bytes());
        want.extend_from_slice(&7u32.to_ne_bytes());
        want.extend_from_slice(&0u32.to_ne_bytes());
        want.extend_from_slice(&[1, 2, 3, 0]);
        want.extend_from_slice(&5u16.to_ne_bytes());
        want.extend_from_slice(&5u16.to_ne_bytes());
        want.extend_from_slice(&[9, 0, 0, 0]);
        want.extend_from_slice(&12u16.to_ne_bytes());
        want.extend_from_slice(&18u16.to_ne_bytes());
        want.extend_from_slice(&7u16.to_ne_bytes());
        want.extend_from_slice(&1u16.to_ne_bytes());
        want.extend_from_slice(&[b'a', b'b', 0, 0]);
        assert_eq!(v, want);
    }
}
