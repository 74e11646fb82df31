//! Unit tests of `codec`: request layouts byte by byte, and kernel replies built by hand
//! (as `ip_vs_genl_fill_service`/`_dest` lay them out) decoded without a kernel.

use super::*;
use crate::model::VirtualService;
use crate::uapi::cmd;

const FAMILY: u16 = 0x1c;

fn nla(t: u16, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&((4 + payload.len()) as u16).to_ne_bytes());
    v.extend_from_slice(&t.to_ne_bytes());
    v.extend_from_slice(payload);
    while v.len() % 4 != 0 {
        v.push(0);
    }
    v
}

fn nest(t: u16, children: &[Vec<u8>]) -> Vec<u8> {
    nla(t | 0x8000, &children.concat())
}

fn nlmsg(nl_type: u16, flags: u16, seq: u32, body: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&((16 + body.len()) as u32).to_ne_bytes());
    v.extend_from_slice(&nl_type.to_ne_bytes());
    v.extend_from_slice(&flags.to_ne_bytes());
    v.extend_from_slice(&seq.to_ne_bytes());
    v.extend_from_slice(&4242u32.to_ne_bytes());
    v.extend_from_slice(body);
    v
}

fn genl(cmd: u8, attrs: &[Vec<u8>]) -> Vec<u8> {
    let mut v = vec![cmd, 1, 0, 0];
    v.extend_from_slice(&attrs.concat());
    v
}

fn addr16(a: [u8; 4]) -> Vec<u8> {
    let mut v = a.to_vec();
    v.resize(16, 0);
    v
}

/// A service as the kernel dumps it, with stats and an attribute from the future.
fn kernel_service(port: u16, sched: &str, flags: u32) -> Vec<u8> {
    let mut sched_z = sched.as_bytes().to_vec();
    sched_z.push(0);
    let mut fl = flags.to_ne_bytes().to_vec();
    fl.extend_from_slice(&u32::MAX.to_ne_bytes());
    nest(
        cmd_attr::SERVICE,
        &[
            nla(svc_attr::AF, &2u16.to_ne_bytes()),
            nla(svc_attr::PROTOCOL, &6u16.to_ne_bytes()),
            nla(svc_attr::ADDR, &addr16([192, 0, 2, 10])),
            nla(svc_attr::PORT, &port.to_be_bytes()),
            nla(svc_attr::SCHED_NAME, &sched_z),
            nla(svc_attr::FLAGS, &fl),
            nla(svc_attr::TIMEOUT, &0u32.to_ne_bytes()),
            nla(svc_attr::NETMASK, &u32::MAX.to_be_bytes()),
            nest(
                svc_attr::STATS,
                &[nla(1, &7u32.to_ne_bytes()), nla(2, &[0; 8])],
            ),
            nla(99, b"unknown future attribute"),
        ],
    )
}

fn dump_datagram() -> Vec<u8> {
    let mut d = nlmsg(
        FAMILY,
        2,
        5,
        &genl(cmd::NEW_SERVICE, &[kernel_service(80, "wlc", 0x2)]),
    );
    d.extend(nlmsg(
        FAMILY,
        2,
        5,
        &genl(cmd::NEW_SERVICE, &[kernel_service(443, "rr", 0x3)]),
    ));
    d.extend(nlmsg(NLMSG_DONE, 2, 5, &0i32.to_ne_bytes()));
    d
}

fn tcp80() -> ServiceKey {
    ServiceKey::Addr {
        protocol: Protocol::Tcp,
        addr: "192.0.2.10".parse().unwrap(),
        port: 80,
    }
}

#[test]
fn service_key_attribute_layout() {
    let a = service_key_attr(&tcp80()).unwrap();
    let mut buf = Cursor::new(vec![0u8; a.padded_size()]);
    a.to_bytes(&mut buf).unwrap();
    let expected = nest(
        cmd_attr::SERVICE,
        &[
            nla(svc_attr::AF, &2u16.to_ne_bytes()),
            nla(svc_attr::PROTOCOL, &6u16.to_ne_bytes()),
            nla(svc_attr::ADDR, &addr16([192, 0, 2, 10])),
            nla(svc_attr::PORT, &[0, 80]),
        ],
    );
    assert_eq!(buf.into_inner(), expected);
}

#[test]
fn new_service_request_layout() {
    let mut s = Service::new(tcp80(), "wlc");
    s.flags = svc_flags::PERSISTENT;
    s.timeout = 360;
    s.netmask = 0xffff_ff00;
    let req = encode_request(
        FAMILY,
        cmd::NEW_SERVICE,
        uapi::GENL_VERSION,
        NlmF::REQUEST | NlmF::ACK,
        9,
        vec![service_attr(&s).unwrap()],
    )
    .unwrap();
    // nlmsghdr
    assert_eq!(u32_at(&req, 0) as usize, req.len());
    assert_eq!(u16_at(&req, 4), FAMILY);
    assert_eq!(u16_at(&req, 6), 0x1 | 0x4);
    assert_eq!(u32_at(&req, 8), 9);
    // genlmsghdr
    assert_eq!(&req[16..20], &[cmd::NEW_SERVICE, 1, 0, 0]);
    let mut sched = b"wlc".to_vec();
    sched.push(0);
    let mut flags = 1u32.to_ne_bytes().to_vec();
    flags.extend_from_slice(&(!svc_flags::HASHED).to_ne_bytes());
    let expected = nest(
        cmd_attr::SERVICE,
        &[
            nla(svc_attr::AF, &2u16.to_ne_bytes()),
            nla(svc_attr::PROTOCOL, &6u16.to_ne_bytes()),
            nla(svc_attr::ADDR, &addr16([192, 0, 2, 10])),
            nla(svc_attr::PORT, &[0, 80]),
            nla(svc_attr::SCHED_NAME, &sched),
            nla(svc_attr::FLAGS, &flags),
            nla(svc_attr::TIMEOUT, &360u32.to_ne_bytes()),
            nla(svc_attr::NETMASK, &[255, 255, 255, 0]),
        ],
    );
    assert_eq!(&req[20..], &expected[..]);
}

#[test]
fn dest_request_layout_with_tunnel() {
    let d = Dest {
        addr: "198.51.100.7".parse().unwrap(),
        port: 8080,
        forward: Forward::Tunnel {
            kind: TunnelType::Gue,
            port: 6080,
            flags: 1,
        },
        weight: 3,
        u_threshold: 100,
        l_threshold: 10,
    };
    let a = dest_attr(&d).unwrap();
    let mut buf = Cursor::new(vec![0u8; a.padded_size()]);
    a.to_bytes(&mut buf).unwrap();
    let expected = nest(
        cmd_attr::DEST,
        &[
            nla(dest_attr::ADDR, &addr16([198, 51, 100, 7])),
            nla(dest_attr::PORT, &8080u16.to_be_bytes()),
            nla(dest_attr::ADDR_FAMILY, &2u16.to_ne_bytes()),
            nla(dest_attr::FWD_METHOD, &2u32.to_ne_bytes()),
            nla(dest_attr::WEIGHT, &3u32.to_ne_bytes()),
            nla(dest_attr::U_THRESH, &100u32.to_ne_bytes()),
            nla(dest_attr::L_THRESH, &10u32.to_ne_bytes()),
            nla(dest_attr::TUN_TYPE, &[1]),
            nla(dest_attr::TUN_PORT, &6080u16.to_be_bytes()),
            nla(dest_attr::TUN_FLAGS, &1u16.to_ne_bytes()),
        ],
    );
    assert_eq!(buf.into_inner(), expected);
}

#[test]
fn dump_reply_parsed_from_bytes() {
    let replies = parse_datagram(&dump_datagram(), FAMILY).unwrap();
    assert_eq!(replies.len(), 3);
    let services: Vec<Service> = replies
        .iter()
        .filter_map(|r| match r {
            Reply::Msg { attrs, seq: 5, .. } => Some(decode_service(attrs).unwrap()),
            _ => None,
        })
        .collect();
    assert!(matches!(replies[2], Reply::Done { seq: 5 }));
    assert_eq!(services[0], Service::new(tcp80(), "wlc"), "HASHED dropped");
    assert_eq!(services[1].scheduler, "rr");
    assert_eq!(services[1].flags, svc_flags::PERSISTENT);
    assert_eq!(
        services[1].key,
        ServiceKey::Addr {
            protocol: Protocol::Tcp,
            addr: "192.0.2.10".parse().unwrap(),
            port: 443
        }
    );
}

#[test]
fn request_round_trips_through_the_decoder() {
    let key6 = ServiceKey::Fwmark {
        family: Family::V6,
        mark: 0x42,
    };
    let mut s = Service::new(key6, "sh");
    s.flags = svc_flags::SCHED1 | svc_flags::SCHED2;
    s.pe_name = Some("sip".into());
    s.netmask = 64;
    let req = encode_request(
        FAMILY,
        cmd::NEW_SERVICE,
        1,
        NlmF::REQUEST,
        1,
        vec![service_attr(&s).unwrap()],
    )
    .unwrap();
    let r = parse_datagram(&req, FAMILY).unwrap();
    let Reply::Msg { attrs, cmd: c, .. } = &r[0] else {
        panic!("not a message: {r:?}")
    };
    assert_eq!(*c, cmd::NEW_SERVICE);
    assert_eq!(decode_service(attrs).unwrap(), s);

    let d = Dest::new("2001:db8::5".parse().unwrap(), 443, Forward::DirectRoute, 7);
    let req = encode_request(
        FAMILY,
        cmd::NEW_DEST,
        1,
        NlmF::REQUEST,
        2,
        vec![service_key_attr(&key6).unwrap(), dest_attr(&d).unwrap()],
    )
    .unwrap();
    let r = parse_datagram(&req, FAMILY).unwrap();
    let Reply::Msg { attrs, .. } = &r[0] else {
        panic!("not a message")
    };
    assert_eq!(decode_dest(attrs, Family::V6).unwrap().dest, d);
}

#[test]
fn dest_dump_with_counters_and_unknown_attributes() {
    let body = genl(
        cmd::NEW_DEST,
        &[nest(
            cmd_attr::DEST,
            &[
                nla(dest_attr::ADDR, &addr16([198, 51, 100, 2])),
                nla(dest_attr::PORT, &80u16.to_be_bytes()),
                nla(dest_attr::FWD_METHOD, &(0x100u32 | 3).to_ne_bytes()),
                nla(dest_attr::WEIGHT, &5u32.to_ne_bytes()),
                nla(dest_attr::U_THRESH, &0u32.to_ne_bytes()),
                nla(dest_attr::L_THRESH, &0u32.to_ne_bytes()),
                nla(dest_attr::ACTIVE_CONNS, &12u32.to_ne_bytes()),
                nla(dest_attr::INACT_CONNS, &3u32.to_ne_bytes()),
                nla(dest_attr::PERSIST_CONNS, &1u32.to_ne_bytes()),
                nest(dest_attr::STATS64, &[nla(1, &9u64.to_ne_bytes())]),
                nla(dest_attr::ADDR_FAMILY, &2u16.to_ne_bytes()),
                nla(200, &[1, 2, 3]),
            ],
        )],
    );
    let r = parse_datagram(&nlmsg(FAMILY, 2, 1, &body), FAMILY).unwrap();
    let Reply::Msg { attrs, .. } = &r[0] else {
        panic!("not a message")
    };
    let e = decode_dest(attrs, Family::V4).unwrap();
    assert_eq!(
        e.dest,
        Dest::new("198.51.100.2".parse().unwrap(), 80, Forward::DirectRoute, 5)
    );
    assert_eq!(
        e.conns,
        Conns {
            active: 12,
            inactive: 3,
            persistent: 1
        }
    );
}

#[test]
fn errors_acks_info_and_timeouts() {
    let mut d = nlmsg(NLMSG_ERROR, 0, 3, &(-17i32).to_ne_bytes());
    d.extend(nlmsg(NLMSG_ERROR, 0, 4, &[0u8; 20]));
    let r = parse_datagram(&d, FAMILY).unwrap();
    assert!(matches!(r[0], Reply::Error { seq: 3, errno: 17 }));
    assert!(matches!(r[1], Reply::Ack { seq: 4 }));

    let info = genl(
        cmd::SET_INFO,
        &[
            nla(info_attr::VERSION, &0x010201u32.to_ne_bytes()),
            nla(info_attr::CONN_TAB_SIZE, &4096u32.to_ne_bytes()),
        ],
    );
    let r = parse_datagram(&nlmsg(FAMILY, 0, 1, &info), FAMILY).unwrap();
    let Reply::Msg { attrs, .. } = &r[0] else {
        panic!()
    };
    let i = decode_info(attrs).unwrap();
    assert_eq!(i.version_string(), "1.2.1");
    assert_eq!(i.conn_tab_size, 4096);

    let t = Timeouts {
        tcp: 900,
        tcp_fin: 120,
        udp: 300,
    };
    let req = encode_request(
        FAMILY,
        cmd::SET_CONFIG,
        1,
        NlmF::REQUEST,
        1,
        timeout_attrs(&t).unwrap(),
    )
    .unwrap();
    let r = parse_datagram(&req, FAMILY).unwrap();
    let Reply::Msg { attrs, .. } = &r[0] else {
        panic!()
    };
    assert_eq!(decode_timeouts(attrs).unwrap(), t);
}

#[test]
fn truncated_input_is_an_error_never_a_panic() {
    let full = dump_datagram();
    let first_len = u32_at(&full, 0) as usize;
    for cut in 0..full.len() {
        // Cuts on a message boundary are a shorter, valid datagram; others are errors.
        if let Ok(msgs) = parse_datagram(&full[..cut], FAMILY) {
            assert!(
                cut == 0 || cut == first_len || cut == 2 * first_len,
                "cut {cut}"
            );
            for m in msgs {
                if let Reply::Msg { attrs, .. } = m {
                    decode_service(&attrs).unwrap();
                }
            }
        }
    }
    // A message that claims to be shorter than its header, and one claiming more bytes
    // than the datagram has.
    let mut bad = dump_datagram();
    bad[0..4].copy_from_slice(&8u32.to_ne_bytes());
    assert!(parse_datagram(&bad, FAMILY).is_err());
    let mut bad = dump_datagram();
    bad[0..4].copy_from_slice(&100_000u32.to_ne_bytes());
    assert!(parse_datagram(&bad, FAMILY).is_err());
}

#[test]
fn malformed_attributes_are_errors() {
    // An attribute whose length runs past its nest.
    let mut svc = kernel_service(80, "wlc", 0);
    svc[4..6].copy_from_slice(&200u16.to_ne_bytes());
    let body = genl(cmd::NEW_SERVICE, &[svc]);
    let r = parse_datagram(&nlmsg(FAMILY, 2, 1, &body), FAMILY);
    match r {
        Err(_) => {}
        Ok(msgs) => {
            let Reply::Msg { attrs, .. } = &msgs[0] else {
                panic!()
            };
            assert!(decode_service(attrs).is_err());
        }
    }
    // A port of the wrong size.
    let body = genl(
        cmd::NEW_SERVICE,
        &[nest(
            cmd_attr::SERVICE,
            &[
                nla(svc_attr::AF, &2u16.to_ne_bytes()),
                nla(svc_attr::PROTOCOL, &6u16.to_ne_bytes()),
                nla(svc_attr::ADDR, &addr16([192, 0, 2, 1])),
                nla(svc_attr::PORT, &[0, 0, 80]),
            ],
        )],
    );
    let r = parse_datagram(&nlmsg(FAMILY, 2, 1, &body), FAMILY).unwrap();
    let Reply::Msg { attrs, .. } = &r[0] else {
        panic!()
    };
    assert!(matches!(
        decode_service(attrs),
        Err(DecodeError::AttrLen {
            attr: svc_attr::PORT,
            ..
        })
    ));
    // An unknown address family and a missing nest.
    let body = genl(
        cmd::NEW_SERVICE,
        &[nest(
            cmd_attr::SERVICE,
            &[nla(svc_attr::AF, &99u16.to_ne_bytes())],
        )],
    );
    let r = parse_datagram(&nlmsg(FAMILY, 2, 1, &body), FAMILY).unwrap();
    let Reply::Msg { attrs, .. } = &r[0] else {
        panic!()
    };
    assert!(matches!(
        decode_service(attrs),
        Err(DecodeError::Value { .. })
    ));
    let r = parse_datagram(&nlmsg(FAMILY, 2, 1, &genl(1, &[])), FAMILY).unwrap();
    let Reply::Msg { attrs, .. } = &r[0] else {
        panic!()
    };
    assert!(matches!(
        decode_service(attrs),
        Err(DecodeError::Missing { .. })
    ));
}

#[test]
fn names_too_long_are_refused() {
    let s = Service::new(tcp80(), "a-scheduler-name-too-long");
    assert!(matches!(service_attr(&s), Err(EncodeError::Name { .. })));
    let _ = VirtualService {
        service: s,
        dests: vec![],
    };
}

/// Mutated and random datagrams: decoding returns values or errors, never panics.
#[test]
fn mutated_datagrams_never_panic() {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let base = dump_datagram();
    let mut decoded = 0u32;
    for round in 0..20_000u32 {
        let mut d = if round % 10 == 0 {
            (0..(next() % 200))
                .map(|_| next() as u8)
                .collect::<Vec<u8>>()
        } else {
            base.clone()
        };
        for _ in 0..(1 + next() % 4) {
            if d.is_empty() {
                break;
            }
            let i = (next() as usize) % d.len();
            d[i] = next() as u8;
        }
        if next() % 4 == 0 {
            let cut = (next() as usize) % (d.len() + 1);
            d.truncate(cut);
        }
        if let Ok(msgs) = parse_datagram(&d, FAMILY) {
            for m in msgs {
                if let Reply::Msg { attrs, .. } = m {
                    let _ = decode_service(&attrs);
                    let _ = decode_dest(&attrs, Family::V4);
                    let _ = decode_info(&attrs);
                    let _ = decode_timeouts(&attrs);
                    decoded += 1;
                }
            }
        }
    }
    assert!(
        decoded > 1000,
        "mutations should leave many messages decodable: {decoded}"
    );
}
