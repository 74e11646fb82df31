//! Malformed-input and check-order tests for [`super`] (the golden tests on captured bytes
//! live in tests/golden.rs). Run by `cargo test -p keepalived-vrrp`.

use super::*;

const A: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 1);
const B: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 2);

fn ll(n: u16) -> Ipv6Addr {
    Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, n)
}

fn mcast4() -> Endpoints {
    Endpoints::V4 {
        src: A,
        dst: VRRP_MCAST_V4,
    }
}

fn mcast6() -> Endpoints {
    Endpoints::V6 {
        src: ll(0xa),
        dst: VRRP_MCAST_V6,
    }
}

fn meta(endpoints: Endpoints, ttl: u8) -> RxMeta {
    RxMeta { endpoints, ttl }
}

fn cfg(version: Version, auth: V2Auth, adver_int: Duration, vips: usize) -> RxConfig {
    RxConfig {
        version,
        auth,
        adver_int,
        unicast: false,
        v3_checksum_as_v2: false,
        verify_ipv6_checksum: true,
        vip_count: Some(vips),
    }
}

fn v2_cfg() -> RxConfig {
    cfg(
        Version::V2,
        V2Auth::pass("secret"),
        Duration::from_secs(1),
        3,
    )
}

fn v4_addrs(n: u8) -> VirtualAddrs {
    VirtualAddrs::V4((0..n).map(|i| Ipv4Addr::new(192, 0, 2, 100 + i)).collect())
}

fn v2_advert() -> Advert {
    Advert {
        version: Version::V2,
        vrid: 51,
        priority: 100,
        adver_int: 1,
        auth: V2Auth::pass("secret"),
        addrs: v4_addrs(3),
        checksum: 0,
    }
}

fn v3_advert(addrs: VirtualAddrs) -> Advert {
    Advert {
        version: Version::V3,
        vrid: 52,
        priority: 100,
        adver_int: 100,
        auth: V2Auth::None,
        addrs,
        checksum: 0,
    }
}

fn enc(advert: &Advert, endpoints: Endpoints) -> Vec<u8> {
    encode(
        advert,
        &TxChecksum {
            endpoints,
            v3_checksum_as_v2: false,
        },
    )
}

fn v2_bytes() -> Vec<u8> {
    enc(&v2_advert(), mcast4())
}

fn v3_v4_cfg(vips: usize) -> RxConfig {
    cfg(Version::V3, V2Auth::None, Duration::from_secs(1), vips)
}

fn v6_addrs() -> VirtualAddrs {
    VirtualAddrs::V6(vec![
        "2001:db8::1".parse().unwrap(),
        "2001:db8::2".parse().unwrap(),
    ])
}

/// Recomputes the checksum of a v2 (message-only) advert after a test edits it, so that the
/// edit, not the checksum, is what the decoder sees.
fn fix_v2_checksum(b: &mut [u8]) {
    b[6] = 0;
    b[7] = 0;
    let sum = checksum::finish(checksum::add(0, b));
    b[6..8].copy_from_slice(&sum.to_be_bytes());
}

#[test]
fn good_packets_decode() {
    let a = decode(&v2_bytes(), &meta(mcast4(), 255), &v2_cfg()).unwrap();
    assert_eq!(Advert { checksum: 0, ..a }, v2_advert());
    let v3 = v3_advert(v4_addrs(2));
    let b = decode(&enc(&v3, mcast4()), &meta(mcast4(), 255), &v3_v4_cfg(2)).unwrap();
    assert_eq!(Advert { checksum: 0, ..b }, v3);
    let v6 = v3_advert(v6_addrs());
    let c = decode(&enc(&v6, mcast6()), &meta(mcast6(), 255), &v3_v4_cfg(2)).unwrap();
    assert_eq!(Advert { checksum: 0, ..c }, v6);
}

#[test]
fn truncated() {
    let full = v2_bytes();
    for n in 0..full.len() {
        let err = decode(&full[..n], &meta(mcast4(), 255), &v2_cfg()).unwrap_err();
        assert_eq!(err.kind(), DecodeErrorKind::Truncated, "{n} bytes: {err}");
    }
    let v6 = enc(&v3_advert(v6_addrs()), mcast6());
    for n in 0..v6.len() {
        let err = decode(&v6[..n], &meta(mcast6(), 255), &v3_v4_cfg(2)).unwrap_err();
        assert_eq!(err.kind(), DecodeErrorKind::Truncated, "{n} bytes: {err}");
    }
    // An IPv4 packet shorter than its Total Length, or than a header.
    let pkt = encode_ipv4_packet(&v2_advert(), A, VRRP_MCAST_V4, 255, 1, false);
    for n in [0, 19, 20, pkt.len() - 1] {
        let err = decode_ipv4_packet(&pkt[..n], &v2_cfg()).unwrap_err();
        assert_eq!(err.kind(), DecodeErrorKind::Truncated, "{n} bytes: {err}");
    }
}

#[test]
fn address_count_against_the_payload() {
    // Count says 4 but 3 addresses are there: the last "address" would be the auth data.
    let mut b = v2_bytes();
    b[3] = 4;
    fix_v2_checksum(&mut b);
    assert_eq!(
        decode(&b, &meta(mcast4(), 255), &v2_cfg()),
        Err(DecodeError::Truncated { len: 28, need: 32 })
    );
    // Count says 1 but 2 IPv6 addresses follow: trailing bytes, not padding.
    let mut v6 = enc(&v3_advert(v6_addrs()), mcast6());
    v6[3] = 1;
    assert_eq!(
        decode(&v6, &meta(mcast6(), 255), &v3_v4_cfg(1)),
        Err(DecodeError::BadLength {
            len: 40,
            expected: 24
        })
    );
}

#[test]
fn address_count_against_the_configuration() {
    let b = v2_bytes();
    let mut c = v2_cfg();
    c.vip_count = Some(2);
    assert_eq!(
        decode(&b, &meta(mcast4(), 255), &c),
        Err(DecodeError::AddrCountMismatch {
            received: 3,
            expected: 2
        })
    );
    c.vip_count = None;
    assert!(decode(&b, &meta(mcast4(), 255), &c).is_ok());
}

#[test]
fn ethernet_padding_accepted() {
    // v3, one VIP: 12 bytes, 32 with the IP header, so Ethernet pads it to 46 (+4 VLAN).
    let v3 = v3_advert(v4_addrs(1));
    let b = enc(&v3, mcast4());
    assert_eq!(b.len(), 12);
    for pad in [1, 14, 18] {
        let mut p = b.clone();
        p.resize(12 + pad, 0);
        let a = decode(&p, &meta(mcast4(), 255), &v3_v4_cfg(1)).expect("padding accepted");
        assert_eq!(a.addrs, v4_addrs(1));
    }
    let mut p = b.clone();
    p.resize(12 + 19, 0);
    assert_eq!(
        decode(&p, &meta(mcast4(), 255), &v3_v4_cfg(1)),
        Err(DecodeError::BadLength {
            len: 31,
            expected: 12
        })
    );
    // Padding inside Total Length (a device that pads and fixes up the IP header) ...
    let mut pkt = encode_ipv4_packet(&v3, A, VRRP_MCAST_V4, 255, 7, false);
    pkt.resize(46, 0);
    pkt[2..4].copy_from_slice(&46u16.to_be_bytes());
    assert!(decode_ipv4_packet(&pkt, &v3_v4_cfg(1)).is_ok());
    // ... and after it (the frame's own padding) are both fine.
    let mut pkt = encode_ipv4_packet(&v3, A, VRRP_MCAST_V4, 255, 7, false);
    pkt.resize(46, 0);
    let (ip, _) = decode_ipv4_packet(&pkt, &v3_v4_cfg(1)).unwrap();
    assert_eq!(ip.total_len, 32);
    // A packet long enough never to be padded gets no slack, even under 30 bytes.
    let mut long = v2_bytes();
    long.push(0);
    assert_eq!(
        decode(&long, &meta(mcast4(), 255), &v2_cfg()),
        Err(DecodeError::BadLength {
            len: 29,
            expected: 28
        })
    );
}

#[test]
fn wrong_ttl() {
    let b = v2_bytes();
    for ttl in [0, 1, 64, 254] {
        assert_eq!(
            decode(&b, &meta(mcast4(), ttl), &v2_cfg()),
            Err(DecodeError::BadTtl(ttl))
        );
    }
    let v6 = enc(&v3_advert(v6_addrs()), mcast6());
    assert_eq!(
        decode(&v6, &meta(mcast6(), 1), &v3_v4_cfg(2)),
        Err(DecodeError::BadTtl(1))
    );
    // Unicast: no TTL-255 rule here (keepalived checks the peer's min/max TTL instead).
    let mut c = v2_cfg();
    c.unicast = true;
    assert!(decode(&b, &meta(Endpoints::V4 { src: A, dst: B }, 64), &c).is_ok());
    // Through the IPv4 parser the TTL comes from the header.
    let pkt = encode_ipv4_packet(&v2_advert(), A, VRRP_MCAST_V4, 254, 1, false);
    assert_eq!(
        decode_ipv4_packet(&pkt, &v2_cfg()).unwrap_err(),
        DecodeError::BadTtl(254)
    );
}

#[test]
fn bad_checksum() {
    let mut b = v2_bytes();
    let good = u16::from_be_bytes([b[6], b[7]]);
    b[7] ^= 0x01;
    assert_eq!(
        decode(&b, &meta(mcast4(), 255), &v2_cfg()),
        Err(DecodeError::BadChecksum {
            received: good ^ 1,
            expected: good
        })
    );
    // A flipped address bit, checksum untouched.
    let mut b = v2_bytes();
    b[10] ^= 0x80;
    assert_eq!(
        decode(&b, &meta(mcast4(), 255), &v2_cfg())
            .unwrap_err()
            .kind(),
        DecodeErrorKind::BadChecksum
    );

    // v3 IPv4: the pseudo-header binds the addresses. keepalived before 1.3.6 put the
    // multicast group in it for unicast adverts; that is a checksum error now.
    let v3 = v3_advert(v4_addrs(2));
    let unicast = Endpoints::V4 { src: A, dst: B };
    let old_style = enc(
        &v3,
        Endpoints::V4 {
            src: A,
            dst: VRRP_MCAST_V4,
        },
    );
    let mut c = v3_v4_cfg(2);
    c.unicast = true;
    assert_eq!(
        decode(&old_style, &meta(unicast, 255), &c)
            .unwrap_err()
            .kind(),
        DecodeErrorKind::BadChecksum
    );
    assert!(decode(&enc(&v3, unicast), &meta(unicast, 255), &c).is_ok());
    // Another source address: same.
    let spoofed = Endpoints::V4 {
        src: B,
        dst: VRRP_MCAST_V4,
    };
    let b = enc(&v3, mcast4());
    assert_eq!(
        decode(&b, &meta(spoofed, 255), &v3_v4_cfg(2))
            .unwrap_err()
            .kind(),
        DecodeErrorKind::BadChecksum
    );

    // v3 IPv4 message-only (v3_checksum_as_v2 on the sender): rejected by default,
    // accepted with v3_checksum_as_v2.
    let msg_only = encode(
        &v3,
        &TxChecksum {
            endpoints: mcast4(),
            v3_checksum_as_v2: true,
        },
    );
    assert_ne!(msg_only, b);
    assert_eq!(
        decode(&msg_only, &meta(mcast4(), 255), &v3_v4_cfg(2))
            .unwrap_err()
            .kind(),
        DecodeErrorKind::BadChecksum
    );
    c = v3_v4_cfg(2);
    c.v3_checksum_as_v2 = true;
    assert!(decode(&msg_only, &meta(mcast4(), 255), &c).is_ok());
    let mut broken = msg_only.clone();
    broken[6] ^= 0xff;
    assert_eq!(
        decode(&broken, &meta(mcast4(), 255), &c)
            .unwrap_err()
            .kind(),
        DecodeErrorKind::BadChecksum
    );

    // IPv6: verified when asked (the kernel does it on a real socket).
    let mut v6 = enc(&v3_advert(v6_addrs()), mcast6());
    v6[7] ^= 0x10;
    assert_eq!(
        decode(&v6, &meta(mcast6(), 255), &v3_v4_cfg(2))
            .unwrap_err()
            .kind(),
        DecodeErrorKind::BadChecksum
    );
    c = v3_v4_cfg(2);
    c.verify_ipv6_checksum = false;
    assert!(decode(&v6, &meta(mcast6(), 255), &c).is_ok());
}

#[test]
fn wrong_auth() {
    let other = |pass: &str| {
        let a = Advert {
            auth: V2Auth::pass(pass),
            ..v2_advert()
        };
        decode(&enc(&a, mcast4()), &meta(mcast4(), 255), &v2_cfg())
    };
    assert_eq!(other("secreT"), Err(DecodeError::AuthMismatch));
    assert_eq!(other("secret\0x"), Err(DecodeError::AuthMismatch));
    assert_eq!(other("secret-and-more"), Err(DecodeError::AuthMismatch));
    // Only 8 bytes count, as in keepalived: a longer configured password is truncated.
    let mut c = v2_cfg();
    c.auth = V2Auth::pass("secret\0\0ignored");
    assert!(decode(&v2_bytes(), &meta(mcast4(), 255), &c).is_ok());

    let none = Advert {
        auth: V2Auth::None,
        ..v2_advert()
    };
    assert_eq!(
        decode(&enc(&none, mcast4()), &meta(mcast4(), 255), &v2_cfg()),
        Err(DecodeError::AuthTypeMismatch {
            received: 0,
            expected: 1
        })
    );
    let mut c = v2_cfg();
    c.auth = V2Auth::None;
    assert_eq!(
        decode(&v2_bytes(), &meta(mcast4(), 255), &c),
        Err(DecodeError::AuthTypeMismatch {
            received: 1,
            expected: 0
        })
    );
    let mut b = v2_bytes();
    b[4] = 2; // AH on protocol 112: we are not configured for it.
    assert_eq!(
        decode(&b, &meta(mcast4(), 255), &v2_cfg()),
        Err(DecodeError::AuthTypeMismatch {
            received: 2,
            expected: 1
        })
    );
    b[4] = 7;
    assert_eq!(
        decode(&b, &meta(mcast4(), 255), &v2_cfg()),
        Err(DecodeError::BadAuthType(7))
    );
}

#[test]
fn wrong_version() {
    let v3 = enc(&v3_advert(v4_addrs(3)), mcast4());
    assert_eq!(
        decode(&v3, &meta(mcast4(), 255), &v2_cfg()),
        Err(DecodeError::BadVersion {
            received: 3,
            expected: 2
        })
    );
    assert_eq!(
        decode(&v2_bytes(), &meta(mcast4(), 255), &v3_v4_cfg(3)),
        Err(DecodeError::BadVersion {
            received: 2,
            expected: 3
        })
    );
    for nibble in [0u8, 1, 4, 15] {
        let mut b = v2_bytes();
        b[0] = (nibble << 4) | 1;
        assert_eq!(
            decode(&b, &meta(mcast4(), 255), &v2_cfg()),
            Err(DecodeError::BadVersion {
                received: nibble,
                expected: 2
            })
        );
    }
}

#[test]
fn wrong_type() {
    for t in [0u8, 2, 15] {
        let mut b = v2_bytes();
        b[0] = 0x20 | t;
        fix_v2_checksum(&mut b);
        assert_eq!(
            decode(&b, &meta(mcast4(), 255), &v2_cfg()),
            Err(DecodeError::BadType(t))
        );
    }
}

#[test]
fn interval_mismatch_v2_only() {
    let mut c = v2_cfg();
    c.adver_int = Duration::from_secs(2);
    assert_eq!(
        decode(&v2_bytes(), &meta(mcast4(), 255), &c),
        Err(DecodeError::IntervalMismatch {
            received: 1,
            expected: Duration::from_secs(2)
        })
    );
    c.adver_int = Duration::from_millis(1500);
    assert_eq!(
        decode(&v2_bytes(), &meta(mcast4(), 255), &c)
            .unwrap_err()
            .kind(),
        DecodeErrorKind::IntervalMismatch
    );
    // v3: a different interval is accepted (the backup learns it, RFC 5798 §6.4.2).
    let v3 = Advert {
        adver_int: 7,
        ..v3_advert(v4_addrs(2))
    };
    let mut c = v3_v4_cfg(2);
    c.adver_int = Duration::from_secs(3);
    let a = decode(&enc(&v3, mcast4()), &meta(mcast4(), 255), &c).unwrap();
    assert_eq!(a.interval(), Duration::from_millis(70));
}

#[test]
fn v3_interval_is_twelve_bits_of_centiseconds() {
    let max = Advert {
        adver_int: 4095,
        ..v3_advert(v4_addrs(1))
    };
    let mut b = enc(&max, mcast4());
    assert_eq!(&b[4..6], &[0x0f, 0xff]);
    assert_eq!(
        decode(&b, &meta(mcast4(), 255), &v3_v4_cfg(1))
            .unwrap()
            .interval(),
        Duration::from_millis(40_950)
    );
    // Reserved bits set by a peer are ignored (the checksum covers them, so fix it up).
    b[4] |= 0xf0;
    b[6] = 0;
    b[7] = 0;
    let sum = checksum::finish(checksum::add(
        checksum::pseudo_v4(A, VRRP_MCAST_V4, IPPROTO_VRRP, 12),
        &b,
    ));
    b[6..8].copy_from_slice(&sum.to_be_bytes());
    assert_eq!(
        decode(&b, &meta(mcast4(), 255), &v3_v4_cfg(1))
            .unwrap()
            .adver_int,
        4095
    );
    // Encoding masks an out-of-range value rather than spilling into the reserved bits.
    let over = Advert {
        adver_int: 0x1001,
        ..v3_advert(v4_addrs(1))
    };
    assert_eq!(&enc(&over, mcast4())[4..6], &[0x00, 0x01]);
}

#[test]
fn checks_run_in_keepalived_order() {
    // Everything wrong at once: each fix reveals the next check.
    let mut b = v3_advert(v4_addrs(2));
    b.version = Version::V3;
    let mut bytes = enc(&b, mcast4());
    bytes[0] = 0x42; // version 4, type 2
    bytes[7] ^= 1; // bad checksum
    let mut c = v3_v4_cfg(3); // count mismatch
    let m = |ttl| meta(mcast4(), ttl);
    assert_eq!(
        decode(&bytes[..10], &m(1), &c).unwrap_err().kind(),
        DecodeErrorKind::Truncated
    );
    assert_eq!(
        decode(&bytes, &m(1), &c).unwrap_err().kind(),
        DecodeErrorKind::BadTtl
    );
    assert_eq!(
        decode(&bytes, &m(255), &c).unwrap_err().kind(),
        DecodeErrorKind::BadVersion
    );
    bytes[0] = 0x32;
    assert_eq!(
        decode(&bytes, &m(255), &c).unwrap_err().kind(),
        DecodeErrorKind::BadType
    );
    bytes[0] = 0x31;
    assert_eq!(
        decode(&bytes, &m(255), &c).unwrap_err().kind(),
        DecodeErrorKind::BadChecksum
    );
    bytes[7] ^= 1;
    assert_eq!(
        decode(&bytes, &m(255), &c).unwrap_err().kind(),
        DecodeErrorKind::AddrCountMismatch
    );
    c.vip_count = Some(2);
    assert!(decode(&bytes, &m(255), &c).is_ok());

    // v2: auth before interval before type before checksum.
    let mut b = v2_bytes();
    b[0] = 0x22;
    b[5] = 9;
    b[20] ^= 1;
    b[7] ^= 1;
    let c = v2_cfg();
    assert_eq!(
        decode(&b, &m(255), &c).unwrap_err().kind(),
        DecodeErrorKind::AuthMismatch
    );
    b[20] ^= 1;
    assert_eq!(
        decode(&b, &m(255), &c).unwrap_err().kind(),
        DecodeErrorKind::IntervalMismatch
    );
    b[5] = 1;
    assert_eq!(
        decode(&b, &m(255), &c).unwrap_err().kind(),
        DecodeErrorKind::BadType
    );
    b[0] = 0x21;
    assert_eq!(
        decode(&b, &m(255), &c).unwrap_err().kind(),
        DecodeErrorKind::BadChecksum
    );
}

#[test]
fn ipv4_header_problems() {
    let pkt = encode_ipv4_packet(&v2_advert(), A, VRRP_MCAST_V4, 255, 1, false);
    let mut p = pkt.clone();
    p[0] = 0x65;
    assert_eq!(
        decode_ipv4_packet(&p, &v2_cfg()).unwrap_err().kind(),
        DecodeErrorKind::BadIpHeader
    );
    let mut p = pkt.clone();
    p[0] = 0x44;
    assert_eq!(
        decode_ipv4_packet(&p, &v2_cfg()).unwrap_err().kind(),
        DecodeErrorKind::BadIpHeader
    );
    let mut p = pkt.clone();
    p[2..4].copy_from_slice(&19u16.to_be_bytes());
    assert_eq!(
        decode_ipv4_packet(&p, &v2_cfg()).unwrap_err().kind(),
        DecodeErrorKind::BadIpHeader
    );
    let mut p = pkt.clone();
    p[9] = 51;
    assert_eq!(
        decode_ipv4_packet(&p, &v2_cfg()),
        Err(DecodeError::BadProtocol(51))
    );
    // IHL 6: a 4-byte option before the advert.
    let mut p = pkt[..20].to_vec();
    p[0] = 0x46;
    p.extend_from_slice(&[1, 1, 1, 0]);
    p.extend_from_slice(&pkt[20..]);
    let len = p.len() as u16;
    p[2..4].copy_from_slice(&len.to_be_bytes());
    let (ip, a) = decode_ipv4_packet(&p, &v2_cfg()).unwrap();
    assert_eq!(ip.header_len, 24);
    assert_eq!(a.vrid, 51);
}

#[test]
fn ipv4_header_as_keepalived_builds_it() {
    let h = Ipv4Header::for_advert(A, VRRP_MCAST_V4, 255, 0x1234, 28).encode();
    assert_eq!(h[0], 0x45);
    assert_eq!(h[1], 0xc0);
    assert_eq!(u16::from_be_bytes([h[2], h[3]]), 48);
    assert_eq!(u16::from_be_bytes([h[4], h[5]]), 0x1234);
    assert_eq!(&h[6..8], &[0, 0], "no DF");
    assert_eq!(h[8], 255);
    assert_eq!(h[9], 112);
    assert_eq!(
        checksum::finish(checksum::add(0, &h)),
        0,
        "header checksum verifies"
    );
    let (parsed, rest) = Ipv4Header::parse(&[&h[..], &[0u8; 28][..]].concat())
        .map(|(h, r)| (h, r.len()))
        .unwrap();
    assert_eq!(rest, 28);
    assert_eq!(parsed.checksum, u16::from_be_bytes([h[10], h[11]]));
}

#[test]
fn ipv6_header_problems() {
    let mut p = vec![0x60, 0, 0, 0, 0, 0, IPPROTO_VRRP, 255];
    p.extend_from_slice(&ll(0xa).octets());
    p.extend_from_slice(&VRRP_MCAST_V6.octets());
    let payload = enc(&v3_advert(v6_addrs()), mcast6());
    p[4..6].copy_from_slice(&(payload.len() as u16).to_be_bytes());
    p.extend_from_slice(&payload);
    assert!(decode_ipv6_packet(&p, &v3_v4_cfg(2)).is_ok());
    assert_eq!(
        decode_ipv6_packet(&p[..p.len() - 1], &v3_v4_cfg(2))
            .unwrap_err()
            .kind(),
        DecodeErrorKind::Truncated
    );
    let mut q = p.clone();
    q[6] = 58;
    assert_eq!(
        decode_ipv6_packet(&q, &v3_v4_cfg(2)),
        Err(DecodeError::BadProtocol(58))
    );
    let mut q = p.clone();
    q[0] = 0x40;
    assert_eq!(
        decode_ipv6_packet(&q, &v3_v4_cfg(2)).unwrap_err().kind(),
        DecodeErrorKind::BadIpHeader
    );
}

#[test]
fn errors_have_kinds_and_say_what_failed() {
    let e = DecodeError::BadTtl(3);
    assert_eq!(e.kind(), DecodeErrorKind::BadTtl);
    assert_eq!(e.kind().stat_name(), "ip_ttl_err");
    assert!(e.to_string().starts_with("decode advert: "), "{e}");
    assert_eq!(DecodeErrorKind::ALL.len(), 13);
    let mut names: Vec<_> = DecodeErrorKind::ALL.iter().map(|k| k.stat_name()).collect();
    names.dedup();
    assert_eq!(
        names.len(),
        12,
        "only the two length errors share keepalived's packet_len_err"
    );
}

#[test]
fn pass_is_truncated_and_zero_padded() {
    assert_eq!(V2Auth::pass("ab"), V2Auth::Pass(*b"ab\0\0\0\0\0\0"));
    assert_eq!(V2Auth::pass("0123456789"), V2Auth::Pass(*b"01234567"));
}

#[test]
fn ip_id_counts_from_one_and_skips_zero() {
    assert_eq!(next_ip_id(0), 1, "the first advert has id 1, as captured");
    assert_eq!(next_ip_id(1), 2);
    assert_eq!(next_ip_id(u16::MAX), 1);
}
