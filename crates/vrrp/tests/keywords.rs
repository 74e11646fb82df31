//! Sans-IO tests of the instance keywords resolved into [`Params`] (docs/keywords.md):
//! each parses a keepalived.conf, builds the instance's parameters as the VRRP child does
//! and checks what the state machine then does.

use keepalived_config::diag::Diagnostics;
use keepalived_vrrp::events::mono::at_us;
use keepalived_vrrp::events::{Input, LogEvent, Output, RxAdvert, RxError, State, TimerKind};
use keepalived_vrrp::instance::{Instance, Params};
use std::time::Duration;

/// Parameters of instance `VI_1` in `text` (a whole keepalived.conf).
fn params(text: &str) -> Params {
    let mut d = Diagnostics::default();
    let cfg = keepalived_config::load_str(
        "t.conf",
        text,
        &keepalived_config::ReadOptions::default(),
        &mut d,
    );
    let inst = cfg.vrrp.instance("VI_1").expect("VI_1 parsed");
    Params::from_config(inst, &cfg.global)
}

/// A v3 instance VI_1 on eth0 with `extra` instance lines.
fn conf(global: &str, extra: &str) -> String {
    format!(
        "global_defs {{\n{global}}}\nvrrp_instance VI_1 {{\n interface eth0\n virtual_router_id 51\n priority 100\n version 3\n advert_int 1\n{extra} virtual_ipaddress {{\n  192.0.2.100/24\n }}\n}}\n"
    )
}

fn states(out: &[Output]) -> Vec<State> {
    out.iter()
        .filter_map(|o| match o {
            Output::StateChanged { to, .. } => Some(*to),
            _ => None,
        })
        .collect()
}

#[test]
fn unicast_fault_no_peer_holds_a_peerless_unicast_instance_in_fault() {
    let p = params(&conf(
        "",
        " unicast_src_ip 192.0.2.11\n unicast_fault_no_peer\n",
    ));
    assert!(p.unicast_no_peer_fault);
    let mut i = Instance::new(p, at_us(0));
    let out = i.handle(at_us(0), Input::Start);
    assert_eq!(states(&out), [State::Fault], "{out:?}");
    assert!(out.contains(&Output::Log(LogEvent::EnteringFault)));
    assert!(!out.iter().any(|o| matches!(o, Output::SetTimer { .. })));
    // Nothing brings it out: link events, trackers, adverts.
    let mut out = i.handle(at_us(10), Input::LinkDown);
    out.extend(i.handle(at_us(20), Input::LinkUp));
    out.extend(i.handle(at_us(30), Input::TrackFault(false)));
    assert!(states(&out).is_empty(), "{out:?}");
    assert_eq!(i.state(), State::Fault);
    // A restarted child that was MASTER gives it up.
    let p = params(&conf(
        "",
        " unicast_src_ip 192.0.2.11\n unicast_fault_no_peer\n",
    ));
    let mut i = Instance::new(p, at_us(0));
    let out = i.handle(at_us(0), Input::RestoreState(State::Master));
    assert_eq!(i.state(), State::Fault, "{out:?}");
    assert!(out.contains(&Output::RemoveVips));
}

#[test]
fn unicast_fault_no_peer_is_inert_with_peers_or_without_the_keyword() {
    let with_peer = params(&conf(
        "",
        " unicast_src_ip 192.0.2.11\n unicast_fault_no_peer\n unicast_peer {\n  192.0.2.12\n }\n",
    ));
    assert!(!with_peer.unicast_no_peer_fault);
    // The deprecated fallback: a unicast keyword without peers runs as multicast.
    let fallback = params(&conf("", " unicast_src_ip 192.0.2.11\n"));
    assert!(!fallback.unicast_no_peer_fault);
    let mut i = Instance::new(fallback, at_us(0));
    let out = i.handle(at_us(0), Input::Start);
    assert_eq!(states(&out), [State::Backup]);
}

#[test]
fn the_multicast_group_is_mcast_dst_ip_else_the_global_group_of_the_family() {
    use keepalived_vrrp::instance::multicast_group;
    let group = |global: &str, extra: &str, vip: &str| {
        let text = format!(
            "global_defs {{\n{global}}}\nvrrp_instance VI_1 {{\n interface eth0\n virtual_router_id 51\n version 3\n{extra} virtual_ipaddress {{\n  {vip}\n }}\n}}\n"
        );
        let mut d = Diagnostics::default();
        let cfg = keepalived_config::load_str(
            "t.conf",
            &text,
            &keepalived_config::ReadOptions::default(),
            &mut d,
        );
        let inst = cfg.vrrp.instance("VI_1").expect("VI_1 parsed");
        multicast_group(inst, &cfg.global).to_string()
    };
    let v4 = "192.0.2.100/24";
    let v6 = "2001:db8::100/64";
    assert_eq!(group("", "", v4), "224.0.0.18");
    assert_eq!(group("", "", v6), "ff02::12");
    let g = " vrrp_mcast_group4 224.0.0.19\n vrrp_mcast_group6 ff02::13\n";
    assert_eq!(group(g, "", v4), "224.0.0.19");
    assert_eq!(group(g, "", v6), "ff02::13");
    assert_eq!(group(g, " mcast_dst_ip 224.0.0.20\n", v4), "224.0.0.20");
    assert_eq!(group(g, " mcast_dst_ip ff02::14\n", v6), "ff02::14");
}

/// An owner that became MASTER at start (1 µs down timer).
fn owner_master(extra: &str, global: &str) -> Instance {
    let text = conf(global, extra).replace("priority 100", "priority 255");
    let mut i = Instance::new(params(&text), at_us(0));
    i.set_primary_addr(Some("192.0.2.11".parse().unwrap()), false);
    i.handle(at_us(0), Input::Start);
    i.handle(at_us(1), Input::TimerExpired(TimerKind::MasterDown));
    assert_eq!(i.state(), State::Master);
    i
}

fn advert(src: &str, priority: u8) -> Input {
    Input::Advert(RxAdvert {
        src: src.parse().unwrap(),
        priority,
        adver_int: Duration::from_secs(1),
        addr_count: 1,
        vips_match: true,
    })
}

#[test]
fn owner_ignore_adverts_drops_every_advert_at_the_owner() {
    for (extra, global) in [
        (" owner_ignore_adverts\n", ""),
        ("", " vrrp_owner_ignore_adverts\n"),
    ] {
        let mut i = owner_master(extra, global);
        assert!(i.params().owner_ignore_adverts);
        // Priority 0 (normally answered at once) and another owner (normally: both
        // owners, ours drops to 254): neither is acted on; logged once.
        let out = i.handle(at_us(1000), advert("192.0.2.12", 0));
        let dropped = Output::Log(LogEvent::RxError(RxError::OwnerIgnoresAdverts {
            src: "192.0.2.12".parse().unwrap(),
        }));
        assert!(out.contains(&dropped), "{out:?}");
        assert!(
            !out.iter().any(|o| matches!(o, Output::SendAdvert { .. })),
            "{out:?}"
        );
        let out = i.handle(at_us(2000), advert("192.0.2.13", 255));
        assert!(
            !out.iter().any(|o| matches!(o, Output::Log(_))),
            "logged twice: {out:?}"
        );
        assert_eq!(i.effective_priority(), 255);
        assert_eq!(i.params().priority, 255);
        assert_eq!(i.state(), State::Master);
        assert_eq!(i.stats().advert_rcvd, 2);
        assert_eq!(i.stats().addr_list_err, 0);
    }
    // Control: without it the owner answers priority 0 and yields its 255 to another owner.
    let mut i = owner_master("", "");
    assert!(!i.params().owner_ignore_adverts);
    let out = i.handle(at_us(1000), advert("192.0.2.12", 0));
    assert!(
        out.contains(&Output::SendAdvert { priority: 255 }),
        "{out:?}"
    );
    i.handle(at_us(2000), advert("192.0.2.13", 255));
    assert_eq!(i.effective_priority(), 254);
}

#[test]
fn owner_ignore_adverts_needs_priority_255() {
    let p = params(&conf("", " owner_ignore_adverts\n"));
    assert!(!p.owner_ignore_adverts, "priority 100 is not the owner");
}

#[test]
fn no_virtual_ipaddress_runs_an_instance_without_vips() {
    let text = "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n priority 100\n no_virtual_ipaddress\n}\n";
    let mut d = Diagnostics::default();
    let cfg = keepalived_config::load_str(
        "t.conf",
        text,
        &keepalived_config::ReadOptions::default(),
        &mut d,
    );
    // No "No VIP specified" warning; only the notice that 2.2.7 does not know the keyword.
    assert!(
        d.items.iter().all(|i| i.msg.contains("newer keyword")),
        "{:?}",
        d.items
    );
    let p = Params::from_config(cfg.vrrp.instance("VI_1").unwrap(), &cfg.global);
    assert_eq!(p.vip_count, 0);
    let mut i = Instance::new(p, at_us(0));
    i.handle(at_us(0), Input::Start);
    // A master advertising no address is followed (the address check passes).
    let mut a = advert("192.0.2.12", 200);
    if let Input::Advert(x) = &mut a {
        x.addr_count = 0;
    }
    let out = i.handle(at_us(1000), a);
    assert!(
        out.iter().any(|o| matches!(
            o,
            Output::SetTimer {
                kind: TimerKind::MasterDown,
                ..
            }
        )),
        "{out:?}"
    );
    assert_eq!(i.stats().addr_list_err, 0);
    assert_eq!(i.state(), State::Backup);
}

#[test]
fn vrrp_startup_delay_adds_to_the_first_down_timer() {
    let p = params(&conf(" vrrp_startup_delay 2.5\n", ""));
    assert_eq!(p.startup_delay, Duration::from_millis(2500));
    let down = {
        let i = Instance::new(p.clone(), at_us(0));
        i.master_down_interval()
    };
    let mut i = Instance::new(p, at_us(0));
    let out = i.handle(at_us(0), Input::Start);
    // BACKUP at once (as keepalived logs it), the timeout only after the delay.
    assert_eq!(states(&out), [State::Backup]);
    let at = out.iter().find_map(|o| match o {
        Output::SetTimer {
            kind: TimerKind::MasterDown,
            at,
        } => Some(*at),
        _ => None,
    });
    assert_eq!(at, Some(at_us(0) + Duration::from_millis(2500) + down));
    // Later down timers are the plain interval.
    let out = i.handle(at_us(3_000_000), advert("192.0.2.12", 200));
    assert!(out.contains(&Output::SetTimer {
        kind: TimerKind::MasterDown,
        at: at_us(3_000_000) + down,
    }));
    // An owner waits the delay too.
    let text = conf(" vrrp_startup_delay 1\n", "").replace("priority 100", "priority 255");
    let mut o = Instance::new(params(&text), at_us(0));
    let out = o.handle(at_us(0), Input::Start);
    assert!(
        out.contains(&Output::SetTimer {
            kind: TimerKind::MasterDown,
            at: at_us(1_000_001),
        }),
        "{out:?}"
    );
}
