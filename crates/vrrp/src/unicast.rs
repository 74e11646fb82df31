//! Unicast receive policy (keepalived's `check_unicast_src` and per-peer `min_ttl`/`max_ttl`):
//! which unicast adverts an instance accepts. Called by the VRRP child's receive path after
//! a packet decoded; sans-IO.

use std::fmt;
use std::net::IpAddr;

use keepalived_config::model::vrrp::UnicastPeer;

/// Why a decoded unicast advert is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerReject {
    /// The source is not one of the instance's `unicast_peer` addresses.
    NotPeer(IpAddr),
    /// The TTL / hop limit is outside the matching peer's `min_ttl`..=`max_ttl`.
    Ttl { ttl: u8, min: u8, max: u8 },
}

impl fmt::Display for PeerReject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // keepalived's wording, so operators' log filters keep working.
        match self {
            PeerReject::NotPeer(a) => write!(f, "unicast source address {a} not a unicast peer"),
            PeerReject::Ttl { ttl, min, max } => {
                write!(f, "TTL/HL {ttl} not in range {min} - {max}")
            }
        }
    }
}

/// Whether the source check applies: unicast peers exist and it is asked for globally
/// (`vrrp_check_unicast_src`), per instance (`check_unicast_src`), or implied by a peer's
/// `min_ttl`/`max_ttl` (keepalived turns the check on when either is written).
pub fn check_enabled(peers: &[UnicastPeer], global: bool, instance: bool) -> bool {
    !peers.is_empty() && (global || instance || peers.iter().any(|p| p.ttl_given))
}

/// keepalived's order: the source must be a peer, then the TTL (when the kernel told us
/// it) must lie in that peer's range.
pub fn accept(peers: &[UnicastPeer], src: IpAddr, ttl: Option<u8>) -> Result<(), PeerReject> {
    let Some(p) = peers.iter().find(|p| p.addr == src) else {
        return Err(PeerReject::NotPeer(src));
    };
    match ttl {
        Some(t) if t < p.min_ttl || t > p.max_ttl => Err(PeerReject::Ttl {
            ttl: t,
            min: p.min_ttl,
            max: p.max_ttl,
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keepalived_config::diag::Loc;

    fn peer(a: &str, min: u8, max: u8, given: bool) -> UnicastPeer {
        UnicastPeer {
            addr: a.parse().unwrap(),
            min_ttl: min,
            max_ttl: max,
            ttl_given: given,
            loc: Loc::new("t.conf", 1),
        }
    }

    #[test]
    fn only_peers_are_accepted_and_their_ttl_range_applies() {
        let peers = [
            peer("192.0.2.11", 0, 255, false),
            peer("192.0.2.12", 250, 254, true),
        ];
        let a = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(accept(&peers, a("192.0.2.11"), Some(1)), Ok(()));
        assert_eq!(
            accept(&peers, a("192.0.2.13"), Some(255)),
            Err(PeerReject::NotPeer(a("192.0.2.13")))
        );
        assert_eq!(
            accept(&peers, a("192.0.2.12"), Some(255)),
            Err(PeerReject::Ttl {
                ttl: 255,
                min: 250,
                max: 254
            })
        );
        assert_eq!(
            accept(&peers, a("192.0.2.12"), Some(249)),
            Err(PeerReject::Ttl {
                ttl: 249,
                min: 250,
                max: 254
            })
        );
        assert_eq!(accept(&peers, a("192.0.2.12"), Some(250)), Ok(()));
        // No TTL from the kernel: only the source is checked, as keepalived does.
        assert_eq!(accept(&peers, a("192.0.2.12"), None), Ok(()));
        assert_eq!(
            PeerReject::Ttl {
                ttl: 255,
                min: 250,
                max: 254
            }
            .to_string(),
            "TTL/HL 255 not in range 250 - 254"
        );
    }

    #[test]
    fn the_check_is_on_when_asked_for_or_implied_by_a_ttl_range() {
        let plain = [peer("192.0.2.11", 0, 255, false)];
        let ranged = [peer("192.0.2.11", 0, 255, true)];
        assert!(!check_enabled(&plain, false, false));
        assert!(check_enabled(&plain, true, false));
        assert!(check_enabled(&plain, false, true));
        assert!(check_enabled(&ranged, false, false));
        assert!(
            !check_enabled(&[], true, true),
            "multicast: nothing to check"
        );
    }
}
