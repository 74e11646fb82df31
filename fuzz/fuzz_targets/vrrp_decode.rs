//! Fuzz target for the VRRP advert decoders (`keepalived_vrrp::packet`), run by
//! `scripts/fuzz vrrp_decode`. Input: 3 bytes choosing the receiving configuration, then the
//! packet, which goes to every decoder (whole IPv4 packet, whole IPv6 packet, bare payload
//! with IPv4 and with IPv6 endpoints). Beyond "never panics", every advert that decodes must
//! re-encode into bytes that decode to the same advert.
#![no_main]

use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use keepalived_vrrp::packet::{
    decode, decode_ipv4_packet, decode_ipv6_packet, encode, encode_ipv4_packet, Advert, Endpoints,
    RxConfig, RxMeta, TxChecksum, V2Auth, Version,
};
use libfuzzer_sys::fuzz_target;

/// Byte 0 flags, byte 1 VIP count, byte 2 v2 interval in seconds.
fn config(head: [u8; 3]) -> RxConfig {
    let flags = head[0];
    RxConfig {
        version: if flags & 0x01 != 0 {
            Version::V3
        } else {
            Version::V2
        },
        auth: if flags & 0x02 != 0 {
            V2Auth::pass("ha-pw1")
        } else {
            V2Auth::None
        },
        adver_int: Duration::from_secs(u64::from(head[2])),
        unicast: flags & 0x04 != 0,
        v3_checksum_as_v2: flags & 0x08 != 0,
        verify_ipv6_checksum: flags & 0x10 != 0,
        vip_count: (flags & 0x80 != 0).then_some(usize::from(head[1])),
    }
}

fn same(a: &Advert, b: &Advert) -> bool {
    Advert {
        checksum: 0,
        ..a.clone()
    } == Advert {
        checksum: 0,
        ..b.clone()
    }
}

/// Encode what decoded, decode it again under the same configuration: must be equal.
fn roundtrip(advert: &Advert, meta: RxMeta, cfg: &RxConfig) {
    let tx = TxChecksum {
        endpoints: meta.endpoints,
        v3_checksum_as_v2: cfg.v3_checksum_as_v2,
    };
    let bytes = encode(advert, &tx);
    assert_eq!(bytes.len(), advert.wire_len());
    let back = decode(&bytes, &meta, cfg).expect("a re-encoded advert decodes");
    assert!(same(advert, &back), "{advert:?} != {back:?}");
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let cfg = config([data[0], data[1], data[2]]);
    let pkt = &data[3..];

    if let Ok((ip, advert)) = decode_ipv4_packet(pkt, &cfg) {
        let again = encode_ipv4_packet(
            &advert,
            ip.src,
            ip.dst,
            ip.ttl,
            ip.id,
            cfg.v3_checksum_as_v2,
        );
        let (ip2, back) =
            decode_ipv4_packet(&again, &cfg).expect("a re-encoded IPv4 packet decodes");
        assert_eq!(
            (ip2.src, ip2.dst, ip2.ttl, ip2.id),
            (ip.src, ip.dst, ip.ttl, ip.id)
        );
        assert!(same(&advert, &back));
    }
    if let Ok((ip, advert)) = decode_ipv6_packet(pkt, &cfg) {
        let meta = RxMeta {
            endpoints: Endpoints::V6 {
                src: ip.src,
                dst: ip.dst,
            },
            ttl: ip.hop_limit,
        };
        roundtrip(&advert, meta, &cfg);
    }
    let v4 = RxMeta {
        endpoints: Endpoints::V4 {
            src: Ipv4Addr::new(192, 0, 2, 1),
            dst: Ipv4Addr::new(224, 0, 0, 18),
        },
        ttl: 255,
    };
    if let Ok(advert) = decode(pkt, &v4, &cfg) {
        roundtrip(&advert, v4, &cfg);
    }
    let v6 = RxMeta {
        endpoints: Endpoints::V6 {
            src: Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0xa),
            dst: Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 0x12),
        },
        ttl: 255,
    };
    if let Ok(advert) = decode(pkt, &v6, &cfg) {
        roundtrip(&advert, v6, &cfg);
    }
});
