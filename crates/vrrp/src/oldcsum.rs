//! `old_unicast_checksum [never]`: keepalived before 1.3.6 put the multicast group
//! (`vrrp_mcast_group4`), not the peer's address, in the pseudo-header of its unicast
//! VRRPv3 IPv4 checksums. keepalived 2.2.7 (`unicast_chksum_compat`) sends and checks
//! that way with `old_unicast_checksum`, never with `old_unicast_checksum never`, and by
//! default switches to it for good when an advert fails the normal check but passes the
//! old one ("Setting unicast VRRPv3 checksum to old version"). Called by the VRRP child's
//! receive and send paths (`daemon/rx.rs` `on_socket`, `daemon/tx.rs` `send_advert`) for v3
//! IPv4 unicast instances; sans-IO.

use std::cell::Cell;
use std::net::Ipv4Addr;

use crate::packet::{
    self, Advert, DecodeError, Endpoints, Ipv4Header, RxConfig, RxMeta, Version, IPPROTO_VRRP,
};

/// keepalived's `chksum_compatibility_t`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Default: new checksums, switch to old ones on the first old-style advert.
    Detect,
    /// `old_unicast_checksum never`: new checksums only.
    Never,
    /// `old_unicast_checksum`: old checksums only.
    Configured,
    /// Switched by an old-style advert: old checksums only from then on.
    Detected,
}

impl Mode {
    /// From the parsed keyword: absent, `never`, or bare.
    pub fn from_config(old_unicast_checksum: Option<bool>) -> Mode {
        match old_unicast_checksum {
            None => Mode::Detect,
            Some(false) => Mode::Never,
            Some(true) => Mode::Configured,
        }
    }

    /// Old-style checksums are sent and expected.
    pub fn old(self) -> bool {
        matches!(self, Mode::Configured | Mode::Detected)
    }
}

/// One instance's checksum mode; it changes on receive (hence the Cell: the receive path
/// holds the instance shared).
#[derive(Debug)]
pub struct CsumCompat {
    mode: Cell<Mode>,
    /// `vrrp_mcast_group4`: what the old pseudo-header carries.
    group: Ipv4Addr,
    /// A v3 IPv4 unicast instance without `v3_checksum_as_v2` (the only kind concerned).
    applies: bool,
}

impl CsumCompat {
    pub fn new(mode: Mode, group: Ipv4Addr, v3_ipv4_unicast: bool) -> CsumCompat {
        CsumCompat {
            mode: Cell::new(mode),
            group,
            applies: v3_ipv4_unicast,
        }
    }

    pub fn mode(&self) -> Mode {
        self.mode.get()
    }

    /// [`packet::decode_ipv4_packet`] with the pseudo-header keepalived would use, and its
    /// auto-detection. The flag says this advert switched the instance to old checksums
    /// (the caller logs keepalived's line).
    pub fn decode_ipv4(
        &self,
        bytes: &[u8],
        cfg: &RxConfig,
    ) -> (Result<(Ipv4Header, Advert), DecodeError>, bool) {
        if !self.applies {
            return (packet::decode_ipv4_packet(bytes, cfg), false);
        }
        let (header, payload) = match Ipv4Header::parse(bytes) {
            Ok(x) => x,
            Err(e) => return (Err(e), false),
        };
        if header.protocol != IPPROTO_VRRP {
            return (Err(DecodeError::BadProtocol(header.protocol)), false);
        }
        let with_dst = |dst: Ipv4Addr| {
            let meta = RxMeta {
                endpoints: Endpoints::V4 {
                    src: header.src,
                    dst,
                },
                ttl: header.ttl,
            };
            packet::decode(payload, &meta, cfg).map(|a| (header, a))
        };
        let mode = self.mode.get();
        if mode.old() {
            return (with_dst(self.group), false);
        }
        match with_dst(header.dst) {
            Err(e @ DecodeError::BadChecksum { .. }) if mode == Mode::Detect => {
                match with_dst(self.group) {
                    Ok(x) => {
                        self.mode.set(Mode::Detected);
                        (Ok(x), true)
                    }
                    Err(_) => (Err(e), false),
                }
            }
            r => (r, false),
        }
    }

    /// [`packet::encode_ipv4_packet`] to `dst`, its v3 checksum over the group instead of
    /// `dst` when old checksums are in use.
    pub fn encode_ipv4(
        &self,
        advert: &Advert,
        src: Ipv4Addr,
        dst: Ipv4Addr,
        ttl: u8,
        id: u16,
        v3_checksum_as_v2: bool,
    ) -> Vec<u8> {
        if !(self.applies && self.mode.get().old() && advert.version == Version::V3) {
            return packet::encode_ipv4_packet(advert, src, dst, ttl, id, v3_checksum_as_v2);
        }
        let mut out =
            packet::encode_ipv4_packet(advert, src, self.group, ttl, id, v3_checksum_as_v2);
        let header = Ipv4Header::for_advert(src, dst, ttl, id, advert.wire_len()).encode();
        if let Some(h) = out.get_mut(..header.len()) {
            h.copy_from_slice(&header);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::{V2Auth, VirtualAddrs};
    use std::time::Duration;

    /// Debian's keepalived 2.2.7 (192.0.2.11, VRID 51, priority 150, v3 1 s, VIP
    /// 192.0.2.100) to its unicast peer 192.0.2.12, captured with tcpdump: with
    /// `old_unicast_checksum` (pseudo-header over 224.0.0.18) and without.
    const OLD: [u8; 32] = [
        0x45, 0xc0, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0x36, 0x95, 0xc0, 0x00, 0x02,
        0x0b, 0xc0, 0x00, 0x02, 0x0c, 0x31, 0x33, 0x96, 0x01, 0x00, 0x64, 0xd3, 0x67, 0xc0, 0x00,
        0x02, 0x64,
    ];
    const NEW: [u8; 32] = [
        0x45, 0xc0, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0x36, 0x95, 0xc0, 0x00, 0x02,
        0x0b, 0xc0, 0x00, 0x02, 0x0c, 0x31, 0x33, 0x96, 0x01, 0x00, 0x64, 0xf1, 0x6d, 0xc0, 0x00,
        0x02, 0x64,
    ];
    const GROUP: Ipv4Addr = Ipv4Addr::new(224, 0, 0, 18);

    fn rx() -> RxConfig {
        RxConfig {
            version: Version::V3,
            auth: V2Auth::None,
            adver_int: Duration::from_secs(1),
            unicast: true,
            v3_checksum_as_v2: false,
            verify_ipv6_checksum: false,
            vip_count: Some(1),
        }
    }

    fn advert() -> Advert {
        Advert {
            version: Version::V3,
            vrid: 51,
            priority: 150,
            adver_int: 100,
            auth: V2Auth::None,
            addrs: VirtualAddrs::V4(vec![Ipv4Addr::new(192, 0, 2, 100)]),
            checksum: 0,
        }
    }

    fn accepts(c: &CsumCompat, bytes: &[u8]) -> bool {
        c.decode_ipv4(bytes, &rx()).0.is_ok()
    }

    #[test]
    fn detect_switches_for_good_on_an_old_style_advert() {
        let c = CsumCompat::new(Mode::Detect, GROUP, true);
        assert!(accepts(&c, &NEW));
        assert_eq!(c.mode(), Mode::Detect);
        let (r, switched) = c.decode_ipv4(&OLD, &rx());
        assert_eq!(r.map(|(_, a)| a.priority), Ok(150));
        assert!(switched);
        assert_eq!(c.mode(), Mode::Detected);
        // From now on old style only, as keepalived.
        assert!(accepts(&c, &OLD));
        assert!(!accepts(&c, &NEW));
        let sent = c.encode_ipv4(
            &advert(),
            Ipv4Addr::new(192, 0, 2, 11),
            Ipv4Addr::new(192, 0, 2, 12),
            255,
            1,
            false,
        );
        assert_eq!(sent, OLD);
    }

    #[test]
    fn never_and_configured_do_not_switch() {
        let never = CsumCompat::new(Mode::from_config(Some(false)), GROUP, true);
        assert!(accepts(&never, &NEW));
        let (r, switched) = never.decode_ipv4(&OLD, &rx());
        assert!(matches!(r, Err(DecodeError::BadChecksum { .. })), "{r:?}");
        assert!(!switched);
        assert_eq!(never.mode(), Mode::Never);

        let old = CsumCompat::new(Mode::from_config(Some(true)), GROUP, true);
        assert!(accepts(&old, &OLD));
        assert!(!accepts(&old, &NEW));
        assert_eq!(old.mode(), Mode::Configured);
    }

    #[test]
    fn sends_exactly_what_keepalived_sends() {
        let (s, d) = (Ipv4Addr::new(192, 0, 2, 11), Ipv4Addr::new(192, 0, 2, 12));
        for (mode, golden) in [
            (Mode::Configured, OLD),
            (Mode::Detect, NEW),
            (Mode::Never, NEW),
        ] {
            let c = CsumCompat::new(mode, GROUP, true);
            assert_eq!(
                c.encode_ipv4(&advert(), s, d, 255, 1, false),
                golden,
                "{mode:?}"
            );
        }
        // Not a v3 IPv4 unicast instance: never concerned.
        let c = CsumCompat::new(Mode::Configured, GROUP, false);
        assert_eq!(c.encode_ipv4(&advert(), s, d, 255, 1, false), NEW);
        assert!(accepts(&c, &NEW) && !accepts(&c, &OLD));
    }
}
