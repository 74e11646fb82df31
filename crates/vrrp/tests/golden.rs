//! Golden tests for `keepalived_vrrp::packet`: adverts captured from Debian's keepalived
//! 2.2.7 on the wire (tests/vectors/, made by scripts/capture-vectors) are decoded with every
//! field asserted, then re-encoded byte for byte. Run by `cargo test -p keepalived-vrrp`.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use keepalived_vrrp::packet::{
    decode, decode_ipv4_packet, decode_ipv6_packet, encode, encode_ipv4_packet, next_ip_id, Advert,
    DecodeError, Endpoints, RxConfig, RxMeta, TxChecksum, V2Auth, Version, VirtualAddrs,
    IPPROTO_VRRP, VRRP_MCAST_V4, VRRP_MCAST_V6, VRRP_TOS, VRRP_TTL,
};

/// One captured packet: seconds since the first packet of its file, and the IP packet.
struct Captured {
    at: f64,
    bytes: Vec<u8>,
}

fn load(text: &str) -> Vec<Captured> {
    let packets: Vec<Captured> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (at, hex) = l.split_once(' ').expect("vector line: '<seconds> <hex>'");
            let bytes = (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
                .collect();
            Captured {
                at: at.parse().expect("seconds"),
                bytes,
            }
        })
        .collect();
    assert!(packets.len() >= 6, "a vector file holds a whole run");
    packets
}

fn config(
    version: Version,
    auth: V2Auth,
    adver_int: Duration,
    unicast: bool,
    vips: usize,
) -> RxConfig {
    RxConfig {
        version,
        auth,
        adver_int,
        unicast,
        v3_checksum_as_v2: false,
        verify_ipv6_checksum: true,
        vip_count: Some(vips),
    }
}

/// Per source: the priorities in order and the capture times of the non-zero ones.
#[derive(Default)]
struct Node {
    priorities: Vec<u8>,
    times: Vec<f64>,
}

/// The run as capture-vectors makes it: A (priority 200) is master, stops (one priority-0
/// advert), B (100) takes over and stops too; adverts spaced by the interval.
fn assert_run(nodes: &BTreeMap<String, Node>, a: &str, b: &str, interval: f64) {
    assert_eq!(
        nodes.len(),
        2,
        "adverts from exactly the two nodes: {:?}",
        nodes.keys()
    );
    for (src, prio) in [(a, 200u8), (b, 100u8)] {
        let node = &nodes[src];
        let (last, rest) = node.priorities.split_last().expect("adverts from {src}");
        assert_eq!(*last, 0, "{src} ends with a priority-0 advert when stopped");
        assert!(rest.len() >= 2, "{src} sent adverts as master");
        assert!(
            rest.iter().all(|p| *p == prio),
            "{src} advertises priority {prio}: {rest:?}"
        );
        for w in node.times.windows(2) {
            let gap = w[1] - w[0];
            assert!(
                (gap - interval).abs() < interval * 0.2,
                "{src}: adverts {gap:.3} s apart, interval {interval} s"
            );
        }
    }
}

/// IPv4 checks common to the three IPv4 files; returns the adverts by source.
fn check_ipv4(
    text: &str,
    cfg: &RxConfig,
    expect: impl Fn(&Advert),
    dst_for: impl Fn(Ipv4Addr) -> Ipv4Addr,
) -> BTreeMap<String, Node> {
    let mut nodes: BTreeMap<String, Node> = BTreeMap::new();
    let mut last_id: BTreeMap<Ipv4Addr, u16> = BTreeMap::new();
    for p in load(text) {
        let (ip, advert) = decode_ipv4_packet(&p.bytes, cfg).expect("captured advert decodes");
        assert_eq!(ip.header_len, 20);
        assert_eq!(ip.tos, VRRP_TOS, "TOS 0xc0");
        assert_eq!(usize::from(ip.total_len), p.bytes.len());
        assert_eq!(ip.flags_fragment, 0, "keepalived sets no DF");
        assert_eq!(ip.ttl, VRRP_TTL);
        assert_eq!(ip.protocol, IPPROTO_VRRP);
        assert!(ip.src == Ipv4Addr::new(192, 0, 2, 1) || ip.src == Ipv4Addr::new(192, 0, 2, 2));
        assert_eq!(ip.dst, dst_for(ip.src));
        // keepalived's IP id counts up from 1, per instance.
        let prev = last_id.insert(ip.src, ip.id).unwrap_or(0);
        assert_eq!(ip.id, next_ip_id(prev), "IP id sequence from {}", ip.src);
        expect(&advert);
        assert_eq!(usize::from(ip.total_len), 20 + advert.wire_len());

        // Re-encode: the IP id is the one varying field, so it is passed in.
        let again = encode_ipv4_packet(
            &advert,
            ip.src,
            ip.dst,
            VRRP_TTL,
            ip.id,
            cfg.v3_checksum_as_v2,
        );
        assert_eq!(again, p.bytes, "re-encoded bytes differ from keepalived's");

        let node = nodes.entry(ip.src.to_string()).or_default();
        node.priorities.push(advert.priority);
        if advert.priority != 0 {
            node.times.push(p.at);
        }
    }
    nodes
}

#[test]
fn v2_multicast_pass_auth() {
    let cfg = config(
        Version::V2,
        V2Auth::pass("ha-pw1"),
        Duration::from_secs(1),
        false,
        3,
    );
    let nodes = check_ipv4(
        include_str!("vectors/v2_mcast_pass.hex"),
        &cfg,
        |a| {
            assert_eq!(a.version, Version::V2);
            assert_eq!(a.vrid, 51);
            assert_eq!(a.adver_int, 1);
            assert_eq!(a.interval(), Duration::from_secs(1));
            assert_eq!(a.auth, V2Auth::Pass(*b"ha-pw1\0\0"));
            assert_eq!(
                a.addrs,
                VirtualAddrs::V4(vec![
                    Ipv4Addr::new(192, 0, 2, 100),
                    Ipv4Addr::new(192, 0, 2, 101),
                    Ipv4Addr::new(192, 0, 2, 102),
                ])
            );
        },
        |_| VRRP_MCAST_V4,
    );
    assert_run(&nodes, "192.0.2.1", "192.0.2.2", 1.0);
}

#[test]
fn v2_pinned_bytes() {
    // The first advert of the capture, field by field (RFC 3768 §5.1).
    let p = &load(include_str!("vectors/v2_mcast_pass.hex"))[0];
    let vrrp = &p.bytes[20..];
    assert_eq!(vrrp[0], 0x21, "version 2, type 1");
    assert_eq!(vrrp[1], 51);
    assert_eq!(vrrp[2], 200);
    assert_eq!(vrrp[3], 3);
    assert_eq!(vrrp[4], 1, "auth type PASS");
    assert_eq!(vrrp[5], 1, "adver int 1 s");
    assert_eq!(&vrrp[20..28], b"ha-pw1\0\0");
}

#[test]
fn v3_ipv4_multicast() {
    let cfg = config(
        Version::V3,
        V2Auth::None,
        Duration::from_millis(500),
        false,
        2,
    );
    let nodes = check_ipv4(
        include_str!("vectors/v3_mcast_v4.hex"),
        &cfg,
        |a| {
            assert_eq!(a.version, Version::V3);
            assert_eq!(a.vrid, 52);
            assert_eq!(a.adver_int, 50, "centiseconds");
            assert_eq!(a.interval(), Duration::from_millis(500));
            assert_eq!(a.auth, V2Auth::None);
            assert_eq!(
                a.addrs,
                VirtualAddrs::V4(vec![
                    Ipv4Addr::new(192, 0, 2, 110),
                    Ipv4Addr::new(192, 0, 2, 111)
                ])
            );
        },
        |_| VRRP_MCAST_V4,
    );
    assert_run(&nodes, "192.0.2.1", "192.0.2.2", 0.5);
}

#[test]
fn v3_ipv4_unicast() {
    let cfg = config(
        Version::V3,
        V2Auth::None,
        Duration::from_millis(500),
        true,
        1,
    );
    let nodes = check_ipv4(
        include_str!("vectors/v3_ucast_v4.hex"),
        &cfg,
        |a| {
            assert_eq!(a.version, Version::V3);
            assert_eq!(a.vrid, 53);
            assert_eq!(a.adver_int, 50);
            assert_eq!(
                a.addrs,
                VirtualAddrs::V4(vec![Ipv4Addr::new(192, 0, 2, 120)])
            );
        },
        |src| {
            if src == Ipv4Addr::new(192, 0, 2, 1) {
                Ipv4Addr::new(192, 0, 2, 2)
            } else {
                Ipv4Addr::new(192, 0, 2, 1)
            }
        },
    );
    assert_run(&nodes, "192.0.2.1", "192.0.2.2", 0.5);
}

#[test]
fn v3_ipv4_checksum_is_keepalived_pseudo_header_form() {
    // keepalived 2.2.7 sends the pseudo-header form. Our message-only mode
    // (v3_checksum_as_v2) accepts it too; the message-only form fails the default mode.
    let p = &load(include_str!("vectors/v3_mcast_v4.hex"))[0];
    let mut cfg = config(
        Version::V3,
        V2Auth::None,
        Duration::from_millis(500),
        false,
        2,
    );
    let (ip, advert) = decode_ipv4_packet(&p.bytes, &cfg).unwrap();
    cfg.v3_checksum_as_v2 = true;
    assert_eq!(decode_ipv4_packet(&p.bytes, &cfg).unwrap().1, advert);

    let msg_only = encode_ipv4_packet(&advert, ip.src, ip.dst, 255, ip.id, true);
    assert_ne!(msg_only, p.bytes);
    assert_eq!(
        &msg_only[..20],
        &p.bytes[..20],
        "the IP header does not depend on the mode"
    );
    let (_, back) =
        decode_ipv4_packet(&msg_only, &cfg).expect("message-only accepted with v3_checksum_as_v2");
    assert_eq!(back.vrid, advert.vrid);
    // The message-only checksum is the v2 one: the sum over the message alone verifies.
    let sum = msg_only[20..].chunks(2).fold(0u32, |acc, w| {
        let acc = acc + u32::from(u16::from_be_bytes([w[0], *w.get(1).unwrap_or(&0)]));
        (acc & 0xffff) + (acc >> 16)
    });
    assert_eq!(sum, 0xffff);
    cfg.v3_checksum_as_v2 = false;
    assert!(matches!(
        decode_ipv4_packet(&msg_only, &cfg),
        Err(DecodeError::BadChecksum { .. })
    ));
}

#[test]
fn v3_ipv6_multicast() {
    let cfg = config(
        Version::V3,
        V2Auth::None,
        Duration::from_millis(500),
        false,
        2,
    );
    let a_ll: Ipv6Addr = "fe80::a".parse().unwrap();
    let b_ll: Ipv6Addr = "fe80::b".parse().unwrap();
    let mut nodes: BTreeMap<String, Node> = BTreeMap::new();
    for p in load(include_str!("vectors/v3_mcast_v6.hex")) {
        let (ip, advert) = decode_ipv6_packet(&p.bytes, &cfg).expect("captured advert decodes");
        assert_eq!(ip.traffic_class, VRRP_TOS, "traffic class 0xc0");
        assert_eq!(ip.hop_limit, VRRP_TTL);
        assert_eq!(ip.next_header, IPPROTO_VRRP);
        assert!(
            ip.src == a_ll || ip.src == b_ll,
            "sent from the link-local address"
        );
        assert_eq!(ip.dst, VRRP_MCAST_V6);
        assert_eq!(advert.version, Version::V3);
        assert_eq!(advert.vrid, 54);
        assert_eq!(advert.adver_int, 50);
        assert_eq!(advert.auth, V2Auth::None);
        assert_eq!(
            advert.addrs,
            VirtualAddrs::V6(vec![
                "2001:db8::54:1".parse().unwrap(),
                "2001:db8::54:2".parse().unwrap()
            ])
        );
        assert_eq!(usize::from(ip.payload_len), advert.wire_len());
        assert_eq!(advert.wire_len(), 8 + 2 * 16);

        // The payload is what an IPv6 raw socket returns; re-encode it with our checksum.
        let payload = &p.bytes[40..];
        let endpoints = Endpoints::V6 {
            src: ip.src,
            dst: ip.dst,
        };
        let meta = RxMeta {
            endpoints,
            ttl: ip.hop_limit,
        };
        assert_eq!(decode(payload, &meta, &cfg).unwrap(), advert);
        let tx = TxChecksum {
            endpoints,
            v3_checksum_as_v2: false,
        };
        assert_eq!(
            encode(&advert, &tx),
            payload,
            "RFC 8200 pseudo-header checksum as the kernel computed it"
        );

        let node = nodes.entry(ip.src.to_string()).or_default();
        node.priorities.push(advert.priority);
        if advert.priority != 0 {
            node.times.push(p.at);
        }
    }
    assert_run(&nodes, "fe80::a", "fe80::b", 0.5);
}

#[test]
fn captured_short_advert_with_ethernet_padding() {
    // The unicast advert is a 32-byte IP packet: on real Ethernet it travels in a 60-byte
    // frame with 14 bytes of padding, which a peer must accept (keepalived does).
    let cfg = config(
        Version::V3,
        V2Auth::None,
        Duration::from_millis(500),
        true,
        1,
    );
    let p = &load(include_str!("vectors/v3_ucast_v4.hex"))[0];
    assert_eq!(p.bytes.len(), 32);
    let (_, want) = decode_ipv4_packet(&p.bytes, &cfg).unwrap();
    let mut framed = p.bytes.clone();
    framed.resize(46, 0);
    assert_eq!(
        decode_ipv4_packet(&framed, &cfg).unwrap().1,
        want,
        "padding after Total Length"
    );
    framed[2..4].copy_from_slice(&46u16.to_be_bytes());
    assert_eq!(
        decode_ipv4_packet(&framed, &cfg).unwrap().1,
        want,
        "padding inside Total Length"
    );
}
