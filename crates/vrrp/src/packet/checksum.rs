//! The Internet checksum (RFC 1071) and the pseudo-headers VRRP uses; called by [`super`]
//! (advert encode/decode and the IPv4 header builder).

use std::net::{Ipv4Addr, Ipv6Addr};

/// Adds `data` to the running one's-complement sum `acc` as big-endian 16-bit words
/// (RFC 1071 §4.1); an odd last byte is padded with zero.
pub(crate) fn add(mut acc: u32, data: &[u8]) -> u32 {
    let mut words = data.chunks_exact(2);
    for w in &mut words {
        acc = fold32(acc + u32::from(u16::from_be_bytes([w[0], w[1]])));
    }
    if let [last] = words.remainder() {
        acc = fold32(acc + (u32::from(*last) << 8));
    }
    acc
}

/// Keeps the accumulator below 2^17 so that `add` never overflows, whatever the length.
fn fold32(acc: u32) -> u32 {
    (acc & 0xffff) + (acc >> 16)
}

/// The checksum field value: the one's complement of the folded sum.
pub(crate) fn finish(acc: u32) -> u16 {
    let mut acc = acc;
    while acc > 0xffff {
        acc = fold32(acc);
    }
    !(acc as u16)
}

/// Sum of the IPv4 pseudo-header (RFC 768 layout: source, destination, zero, protocol,
/// length) that keepalived puts in front of a VRRPv3 message (RFC 5798 §5.2.8).
pub(crate) fn pseudo_v4(src: Ipv4Addr, dst: Ipv4Addr, proto: u8, len: u16) -> u32 {
    let mut acc = add(0, &src.octets());
    acc = add(acc, &dst.octets());
    acc = add(acc, &[0, proto]);
    add(acc, &len.to_be_bytes())
}

/// Sum of the IPv6 pseudo-header (RFC 8200 §8.1: source, destination, 32-bit upper-layer
/// length, three zero bytes, next header).
pub(crate) fn pseudo_v6(src: Ipv6Addr, dst: Ipv6Addr, proto: u8, len: u32) -> u32 {
    let mut acc = add(0, &src.octets());
    acc = add(acc, &dst.octets());
    acc = add(acc, &len.to_be_bytes());
    add(acc, &[0, 0, 0, proto])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc1071_example() {
        // RFC 1071 §3: the sum of 0001 f203 f4f5 f6f7 is ddf2 (folded), checksum 220d.
        let data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(finish(add(0, &data)), !0xddf2);
    }

    #[test]
    fn odd_length_pads_with_zero() {
        assert_eq!(
            finish(add(0, &[0x12, 0x34, 0x56])),
            finish(add(0, &[0x12, 0x34, 0x56, 0]))
        );
    }

    #[test]
    fn long_input_does_not_overflow() {
        let data = vec![0xffu8; 1 << 20];
        assert_eq!(finish(add(0, &data)), 0);
    }
}
