//! The per-instance counters of the USR2 stats dump (keepalived's `vrrp_stats` names):
//! rejected adverts counted by kind with [`Instance::count_rejected`], and counters
//! stored by an older build (without the newer fields) still load.

use keepalived_vrrp::events::mono::at_us;
use keepalived_vrrp::instance::{Instance, Params, Stats};
use keepalived_vrrp::packet::DecodeErrorKind;

#[test]
fn rejected_adverts_count_under_keepalived_names() {
    let mut i = Instance::new(Params::new("VI_1", 2, 1, 100), at_us(0));
    use DecodeErrorKind::*;
    for k in [
        Truncated,
        BadLength,
        BadTtl,
        BadTtl,
        BadType,
        BadAuthType,
        AuthTypeMismatch,
        AuthMismatch,
        AuthMismatch,
        AuthMismatch,
        IntervalMismatch,
        AddrCountMismatch,
        BadChecksum,
        BadVersion,
    ] {
        i.count_rejected(k);
    }
    let s = i.stats();
    assert_eq!(
        (s.packet_len_err, s.ip_ttl_err, s.invalid_type_rcvd),
        (2, 2, 1)
    );
    assert_eq!(
        (s.invalid_authtype, s.authtype_mismatch, s.auth_failure),
        (1, 1, 3)
    );
    assert_eq!((s.advert_interval_err, s.addr_list_err), (1, 1));
    assert_eq!((s.chk_err, s.vers_err), (1, 1));
    // keepalived counts an advert as received once length, TTL, type, version, address
    // count, checksum and auth are good: only the interval error comes after that.
    assert_eq!(s.advert_rcvd, 1);
    assert_eq!(s.advert_sent, 0);
    i.clear_stats();
    assert_eq!(i.stats(), &Stats::default());
}

#[test]
fn stats_without_the_newer_fields_still_load() {
    let old = r#"{"advert_rcvd":5,"advert_sent":7,"become_master":1,"release_master":0,
        "pri_zero_rcvd":0,"pri_zero_sent":0,"advert_interval_err":0,"addr_list_err":2}"#;
    let s: Stats = serde_json::from_str(old).expect("old counters load");
    assert_eq!((s.advert_rcvd, s.addr_list_err, s.ip_ttl_err), (5, 2, 0));
}
