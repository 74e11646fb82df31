//! Table tests of the sans-IO VRRP instance: timestamped inputs, exact outputs and exact
//! timer deadlines in microseconds (RFC 3768/5798 §6 as keepalived implements them).

use keepalived_vrrp::events::mono::at_us;
use keepalived_vrrp::events::{
    GarpBurst, Input, LogEvent, Output, RxAdvert, RxError, State, TimerKind,
};
use keepalived_vrrp::instance::{master_down_interval, skew_time, Instance, Params};
use std::net::IpAddr;
use std::time::Duration;

use GarpBurst::*;
use Output::*;
use TimerKind::*;

const S: u64 = 1_000_000;

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn adv(src: &str, priority: u8, adver_int_us: u64) -> Input {
    Input::Advert(RxAdvert {
        src: ip(src),
        priority,
        adver_int: Duration::from_micros(adver_int_us),
        addr_count: 1,
        vips_match: true,
    })
}

fn timer(kind: TimerKind, us: u64) -> Output {
    SetTimer {
        kind,
        at: at_us(us),
    }
}

fn changed(from: State, to: State) -> Output {
    StateChanged { from, to }
}

fn log(e: LogEvent) -> Output {
    Log(e)
}

/// An instance already started at t=0.
fn started(p: Params) -> Instance {
    let mut i = Instance::new(p, at_us(0));
    i.handle(at_us(0), Input::Start);
    i
}

/// Outputs of becoming MASTER at `t` with default GARP settings and `prio`.
fn become_master(t: u64, prio: u8, adv_us: u64) -> Vec<Output> {
    vec![
        SendAdvert { priority: prio },
        log(LogEvent::EnteringMaster),
        AddVips,
        SendGarp {
            burst: Master,
            repeat: 5,
        },
        changed(State::Backup, State::Master),
        timer(GarpDelayed, t + 5 * S),
        timer(Advert, t + adv_us),
    ]
}

/// A started instance driven to MASTER by its down timer; returns the time it happened.
fn master(p: Params) -> (Instance, u64) {
    let mut i = started(p);
    let t = i.timer(MasterDown).unwrap();
    let us = u64::try_from(t.duration_since(at_us(0)).as_micros()).unwrap();
    i.handle(t, Input::TimerExpired(MasterDown));
    assert_eq!(i.state(), State::Master);
    (i, us)
}

#[test]
fn skew_and_down_interval_v2_and_v3_in_microseconds() {
    let s1 = Duration::from_secs(1);
    let cs1 = Duration::from_millis(10);
    let us = |d: Duration| d.as_micros() as u64;
    // v2: (256 - prio) / 256 s, independent of the interval.
    assert_eq!(us(skew_time(2, 100, s1)), 609_375);
    assert_eq!(us(master_down_interval(2, 100, s1, 3)), 3_609_375);
    assert_eq!(us(master_down_interval(2, 200, s1, 3)), 3_218_750);
    assert_eq!(us(master_down_interval(2, 254, s1, 3)), 3_007_812);
    assert_eq!(us(master_down_interval(2, 1, s1, 3)), 3_996_093);
    assert_eq!(us(skew_time(2, 100, Duration::from_secs(5))), 609_375);
    // v3: (256 - prio) x Master_Adver_Interval / 256, no centisecond truncation.
    assert_eq!(us(master_down_interval(3, 100, s1, 3)), 3_609_375);
    assert_eq!(us(master_down_interval(3, 200, s1, 3)), 3_218_750);
    assert_eq!(us(master_down_interval(3, 254, cs1, 3)), 30_078);
    assert_eq!(us(master_down_interval(3, 100, cs1, 3)), 36_093);
    assert_eq!(us(master_down_interval(3, 1, cs1, 3)), 39_960);
    // Owner: 255 in the formula.
    assert_eq!(us(skew_time(2, 255, s1)), 3_906);
    assert_eq!(us(skew_time(3, 255, cs1)), 39);
    // down_timer_adverts.
    assert_eq!(us(master_down_interval(3, 100, cs1, 1)), 16_093);
    assert_eq!(us(master_down_interval(2, 100, s1, 5)), 5_609_375);
}

#[test]
fn start_as_backup_then_master_down_election() {
    let mut i = Instance::new(Params::new("VI_1", 2, 1, 100), at_us(0));
    assert_eq!(
        i.handle(at_us(0), Input::Start),
        vec![
            RemoveVips,
            changed(State::Init, State::Backup),
            log(LogEvent::EnteringBackup),
            timer(MasterDown, 3_609_375),
        ]
    );
    // Not yet (early delivery keeps the deadline).
    assert_eq!(
        i.handle(at_us(3_609_374), Input::TimerExpired(MasterDown)),
        vec![timer(MasterDown, 3_609_375)]
    );
    assert_eq!(
        i.handle(at_us(3_609_375), Input::TimerExpired(MasterDown)),
        become_master(3_609_375, 100, S)
    );
    // Advert timer: one advert per interval.
    let t = 4_609_375;
    assert_eq!(
        i.handle(at_us(t), Input::TimerExpired(Advert)),
        vec![SendAdvert { priority: 100 }, timer(Advert, t + S)]
    );
    // The second GARP burst 5 s after the transition.
    assert_eq!(
        i.handle(at_us(8_609_375), Input::TimerExpired(GarpDelayed)),
        vec![SendGarp {
            burst: MasterDelayed,
            repeat: 5
        }]
    );
    assert_eq!(i.stats().become_master, 1);
    assert_eq!(i.stats().advert_sent, 2);
}

#[test]
fn backup_accepts_higher_priority_and_resets_down_timer() {
    let mut i = started(Params::new("VI_1", 2, 1, 100));
    assert_eq!(
        i.handle(at_us(S), adv("192.0.2.2", 200, S)),
        vec![timer(MasterDown, S + 3_609_375)]
    );
    // Equal priority is accepted by a backup (the tie-break is for masters only).
    assert_eq!(
        i.handle(at_us(2 * S), adv("192.0.2.1", 100, S)),
        vec![timer(MasterDown, 2 * S + 3_609_375)]
    );
    assert_eq!(i.master(), (Some(ip("192.0.2.1")), 100));
    assert_eq!(i.state(), State::Backup);
}

#[test]
fn preemption_lower_priority_discarded_timer_runs_out() {
    let mut i = started(Params::new("VI_1", 2, 1, 200));
    assert_eq!(i.timer(MasterDown), Some(at_us(3_218_750)));
    for t in [S, 2 * S, 3 * S] {
        assert_eq!(
            i.handle(at_us(t), adv("192.0.2.2", 100, S)),
            vec![log(LogEvent::LowerPriorityDiscarded {
                src: ip("192.0.2.2"),
                priority: 100
            })]
        );
    }
    assert_eq!(
        i.handle(at_us(3_218_750), Input::TimerExpired(MasterDown)),
        become_master(3_218_750, 200, S)
    );
}

#[test]
fn master_receiving_higher_priority_goes_backup() {
    let (mut i, t0) = master(Params::new("VI_1", 2, 1, 100));
    let t = t0 + 500_000;
    assert_eq!(
        i.handle(at_us(t), adv("192.0.2.9", 200, S)),
        vec![
            log(LogEvent::MasterReceivedHigher {
                src: ip("192.0.2.9"),
                priority: 200,
                ours: 100
            }),
            CancelTimer { kind: Advert },
            CancelTimer { kind: GarpDelayed },
            RemoveVips,
            changed(State::Master, State::Backup),
            log(LogEvent::EnteringBackup),
            timer(MasterDown, t + 3_609_375),
        ]
    );
    // The cancelled advert timer, if it still fires, does nothing.
    assert_eq!(i.handle(at_us(t0 + S), Input::TimerExpired(Advert)), vec![]);
}

#[test]
fn higher_prio_send_advert_sends_one_more_advert_first() {
    let mut p = Params::new("VI_1", 2, 1, 100);
    p.higher_prio_send_advert = true;
    let (mut i, t0) = master(p);
    let out = i.handle(at_us(t0 + 1), adv("192.0.2.9", 200, S));
    assert_eq!(out[0], SendAdvert { priority: 100 });
    assert_eq!(out[5], changed(State::Master, State::Backup));
}

#[test]
fn nopreempt_accepts_lower_priority() {
    let mut p = Params::new("VI_1", 2, 1, 200);
    p.nopreempt = true;
    let mut i = started(p);
    assert_eq!(
        i.handle(at_us(S), adv("192.0.2.2", 100, S)),
        vec![timer(MasterDown, S + 3_218_750)]
    );
    assert_eq!(i.state(), State::Backup);
}

#[test]
fn preempt_delay_starts_at_first_lower_advert_and_clears_on_higher() {
    let mut p = Params::new("VI_1", 2, 1, 200);
    p.preempt_delay = Duration::from_secs(10);
    let mut i = started(p);
    // First lower advert: accepted, delay starts (until 11 s).
    assert_eq!(
        i.handle(at_us(S), adv("192.0.2.2", 100, S)),
        vec![
            timer(MasterDown, S + 3_218_750),
            log(LogEvent::PreemptDelayStarted { until_us: 11 * S }),
        ]
    );
    // Accepted while the delay runs.
    for t in 2..=10 {
        assert_eq!(
            i.handle(at_us(t * S), adv("192.0.2.2", 100, S)),
            vec![timer(MasterDown, t * S + 3_218_750)]
        );
    }
    // From 11 s on: discarded; the timer set at 10 s runs out.
    assert_eq!(
        i.handle(at_us(11 * S), adv("192.0.2.2", 100, S)),
        vec![log(LogEvent::LowerPriorityDiscarded {
            src: ip("192.0.2.2"),
            priority: 100
        })]
    );
    assert_eq!(i.timer(MasterDown), Some(at_us(10 * S + 3_218_750)));

    // A higher-priority advert clears a running delay.
    let mut p = Params::new("VI_1", 2, 1, 200);
    p.preempt_delay = Duration::from_secs(10);
    let mut i = started(p);
    i.handle(at_us(S), adv("192.0.2.2", 100, S));
    assert_eq!(
        i.handle(at_us(2 * S), adv("192.0.2.3", 250, S)),
        vec![
            timer(MasterDown, 2 * S + 3_218_750),
            log(LogEvent::PreemptDelayStopped)
        ]
    );
    // ... and the next lower advert starts it again.
    assert_eq!(
        i.handle(at_us(3 * S), adv("192.0.2.2", 100, S)),
        vec![
            timer(MasterDown, 3 * S + 3_218_750),
            log(LogEvent::PreemptDelayStarted { until_us: 13 * S }),
        ]
    );
}

#[test]
fn equal_priority_tie_break_on_primary_address() {
    let mut p = Params::new("VI_1", 2, 1, 100);
    p.primary_addr = Some(ip("192.0.2.5"));
    let (mut i, t0) = master(p.clone());
    // Lower address: we stay master and answer (RFC 9568 §6.4.3), with GARPs.
    let t = t0 + 100;
    assert_eq!(
        i.handle(at_us(t), adv("192.0.2.4", 100, S)),
        vec![
            log(LogEvent::MasterReceivedLower {
                src: ip("192.0.2.4"),
                priority: 100,
                ours: 100,
                forcing_election: true
            }),
            SendAdvert { priority: 100 },
            SendGarp {
                burst: LowerPrio,
                repeat: 5
            },
            timer(GarpLowerPrioDelayed, t + 5 * S),
            MasterRxLowerPriority {
                src: ip("192.0.2.4")
            },
            // keepalived restarts the advert timer after an advert it answered.
            timer(Advert, t + S),
        ]
    );
    // Higher address wins.
    let out = i.handle(at_us(t + 1), adv("192.0.2.6", 100, S));
    assert_eq!(
        out[0],
        log(LogEvent::MasterReceivedEqualHigherIp {
            src: ip("192.0.2.6"),
            priority: 100
        })
    );
    assert!(out.contains(&changed(State::Master, State::Backup)));
    assert!(out.contains(&CancelTimer {
        kind: GarpLowerPrioDelayed
    }));
    assert_eq!(i.state(), State::Backup);
}

#[test]
fn lower_prio_no_advert_suppresses_the_answer() {
    let mut p = Params::new("VI_1", 2, 1, 100);
    p.lower_prio_no_advert = true;
    p.garp.lower_prio_repeat = 0;
    let (mut i, t0) = master(p);
    assert_eq!(
        i.handle(at_us(t0 + 1), adv("192.0.2.4", 50, S)),
        vec![
            log(LogEvent::MasterReceivedLower {
                src: ip("192.0.2.4"),
                priority: 50,
                ours: 100,
                forcing_election: false
            }),
            MasterRxLowerPriority {
                src: ip("192.0.2.4")
            },
        ]
    );
}

#[test]
fn owner_takes_over_after_one_microsecond() {
    let mut i = Instance::new(Params::new("VI_1", 2, 1, 255), at_us(0));
    assert_eq!(i.handle(at_us(0), Input::Start), vec![timer(MasterDown, 1)]);
    let mut want = become_master(1, 255, S);
    want[4] = changed(State::Init, State::Master);
    assert_eq!(i.handle(at_us(1), Input::TimerExpired(MasterDown)), want);
}

#[test]
fn state_master_below_255_is_only_a_preference() {
    let mut p = Params::new("VI_1", 2, 1, 150);
    p.want_master = true;
    let mut i = Instance::new(p, at_us(0));
    let out = i.handle(at_us(0), Input::Start);
    assert_eq!(out[1], changed(State::Init, State::Backup));
    // 3 x 1 s + 106/256 s.
    assert_eq!(out[3], timer(MasterDown, 3_414_062));
}

#[test]
fn two_owners_local_reduces_to_254_and_backs_down() {
    let mut p = Params::new("VI_1", 2, 1, 255);
    p.primary_addr = Some(ip("192.0.2.5"));
    let (mut i, t0) = master(p);
    let out = i.handle(at_us(t0 + 10), adv("192.0.2.9", 255, S));
    assert_eq!(
        out[0],
        log(LogEvent::BothAddressOwners {
            src: ip("192.0.2.9")
        })
    );
    assert_eq!(i.effective_priority(), 254);
    assert_eq!(i.state(), State::Backup);
}

#[test]
fn priority_zero_handover() {
    // Backup: down timer becomes Skew_Time.
    let mut i = started(Params::new("VI_1", 2, 1, 100));
    i.handle(at_us(S), adv("192.0.2.2", 200, S));
    assert_eq!(
        i.handle(at_us(2 * S), adv("192.0.2.2", 0, S)),
        vec![
            log(LogEvent::BackupReceivedPriorityZero),
            timer(MasterDown, 2 * S + 609_375)
        ]
    );
    assert_eq!(
        i.handle(at_us(2 * S + 609_375), Input::TimerExpired(MasterDown)),
        become_master(2 * S + 609_375, 100, S)
    );
    // v3 at 10 ms, priority 100: skew 6093 µs.
    let mut p = Params::new("VI_1", 3, 1, 100);
    p.advert_int = Duration::from_millis(10);
    let mut i = started(p);
    assert_eq!(
        i.handle(at_us(1000), adv("192.0.2.2", 0, 10_000)),
        vec![
            log(LogEvent::BackupReceivedPriorityZero),
            timer(MasterDown, 1000 + 6_093)
        ]
    );
    // Master: answers priority 0 at once, stays master.
    let (mut m, t0) = master(Params::new("VI_1", 2, 1, 100));
    assert_eq!(
        m.handle(at_us(t0 + 7), adv("192.0.2.2", 0, S)),
        vec![
            SendAdvert { priority: 100 },
            log(LogEvent::MasterReceivedPriorityZero),
            timer(Advert, t0 + 7 + S),
        ]
    );
    assert_eq!(m.state(), State::Master);
    assert_eq!(m.stats().pri_zero_rcvd, 1);
}

#[test]
fn link_down_fault_and_recovery() {
    let (mut i, t0) = master(Params::new("VI_1", 2, 1, 100));
    let t = t0 + 10;
    assert_eq!(
        i.handle(at_us(t), Input::LinkDown),
        vec![
            SendAdvert { priority: 0 },
            log(LogEvent::SentPriorityZero),
            CancelTimer { kind: Advert },
            CancelTimer { kind: GarpDelayed },
            RemoveVips,
            changed(State::Master, State::Fault),
            log(LogEvent::EnteringFault),
        ]
    );
    // FAULT: no adverts, no election.
    assert_eq!(i.handle(at_us(t + 1), adv("192.0.2.2", 50, S)), vec![]);
    assert_eq!(i.handle(at_us(t + 2), Input::TimerExpired(Advert)), vec![]);
    // Recovery: BACKUP with a fresh down timer.
    assert_eq!(
        i.handle(at_us(t + 3), Input::LinkUp),
        vec![
            changed(State::Fault, State::Backup),
            log(LogEvent::EnteringBackup),
            timer(MasterDown, t + 3 + 3_609_375),
        ]
    );
    // Backup -> FAULT cancels the down timer.
    assert_eq!(
        i.handle(at_us(t + 4), Input::LinkDown),
        vec![
            CancelTimer { kind: MasterDown },
            changed(State::Backup, State::Fault),
            log(LogEvent::EnteringFault),
        ]
    );
}

#[test]
fn link_down_before_start_starts_in_fault_and_dont_track_primary_ignores_it() {
    let mut i = Instance::new(Params::new("VI_1", 2, 1, 100), at_us(0));
    i.handle(at_us(0), Input::LinkDown);
    assert_eq!(
        i.handle(at_us(0), Input::Start),
        vec![
            RemoveVips,
            changed(State::Init, State::Fault),
            log(LogEvent::EnteringFault)
        ]
    );
    let mut p = Params::new("VI_1", 2, 1, 100);
    p.dont_track_primary = true;
    let (mut i, t0) = master(p);
    assert_eq!(i.handle(at_us(t0 + 1), Input::LinkDown), vec![]);
    assert_eq!(i.state(), State::Master);
}

#[test]
fn v3_backup_learns_the_masters_interval() {
    let p = Params::new("VI_1", 3, 1, 100); // 1 s adverts
    let mut i = started(p);
    assert_eq!(
        i.handle(at_us(S), adv("192.0.2.2", 200, 10_000)),
        vec![
            log(LogEvent::AdvertIntervalUpdated {
                from: Duration::from_secs(1),
                to: Duration::from_millis(10)
            }),
            // 3 x 10 ms + 156 x 1 x 625 / 16 µs.
            timer(MasterDown, S + 36_093),
        ]
    );
    assert_eq!(i.master_adver_int(), Duration::from_millis(10));
    // Becoming master goes back to our own interval.
    let out = i.handle(at_us(S + 36_093), Input::TimerExpired(MasterDown));
    assert_eq!(
        out[0],
        log(LogEvent::AdvertIntervalUpdated {
            from: Duration::from_millis(10),
            to: Duration::from_secs(1)
        })
    );
    assert_eq!(out[1], SendAdvert { priority: 100 });
    assert!(out.contains(&timer(Advert, S + 36_093 + S)));
    assert_eq!(i.master_adver_int(), Duration::from_secs(1));
}

#[test]
fn v2_interval_mismatch_is_dropped_and_logged_once_per_state() {
    let mut i = started(Params::new("VI_1", 2, 1, 100));
    let e = log(LogEvent::RxError(RxError::IntervalMismatch {
        ours: Duration::from_secs(1),
        received: Duration::from_secs(2),
    }));
    assert_eq!(i.handle(at_us(S), adv("192.0.2.2", 200, 2 * S)), vec![e]);
    assert_eq!(i.handle(at_us(2 * S), adv("192.0.2.2", 200, 2 * S)), vec![]);
    assert_eq!(i.timer(MasterDown), Some(at_us(3_609_375)));
    assert_eq!(i.stats().advert_interval_err, 2);
}

#[test]
fn address_list_mismatch_is_dropped_and_logged_once_per_state() {
    let mut i = started(Params::new("VI_1", 2, 1, 100));
    let a = Input::Advert(RxAdvert {
        src: ip("192.0.2.2"),
        priority: 200,
        adver_int: Duration::from_secs(1),
        addr_count: 2,
        vips_match: false,
    });
    assert_eq!(
        i.handle(at_us(S), a.clone()),
        vec![log(LogEvent::RxError(RxError::AddressListMismatch {
            received: 2,
            expected: 1
        })),]
    );
    assert_eq!(i.handle(at_us(2 * S), a), vec![]);
    // The down timer still runs from the start: the adverts did not count.
    assert_eq!(i.timer(MasterDown), Some(at_us(3_609_375)));
    // A wrong count is not a received advert (keepalived checks it first).
    assert_eq!((i.stats().advert_rcvd, i.stats().addr_list_err), (0, 2));
}

#[test]
fn skip_check_adv_addr_spares_the_current_master_only() {
    let mut p = Params::new("VI_1", 2, 1, 100);
    p.skip_check_adv_addr = true;
    let mut i = started(p);
    let wrong = |src: &str| {
        Input::Advert(RxAdvert {
            src: ip(src),
            priority: 200,
            adver_int: Duration::from_secs(1),
            addr_count: 1,
            vips_match: false,
        })
    };
    // No master yet: checked and dropped.
    i.handle(at_us(S), wrong("192.0.2.2"));
    assert_eq!(i.timer(MasterDown), Some(at_us(3_609_375)));
    // Once 192.0.2.2 is the master we follow, its adverts are not checked...
    i.handle(at_us(2 * S), adv("192.0.2.2", 200, S));
    i.handle(at_us(3 * S), wrong("192.0.2.2"));
    assert_eq!(i.timer(MasterDown), Some(at_us(3 * S + 3_609_375)));
    // ...but another sender's are.
    i.handle(at_us(4 * S), wrong("192.0.2.3"));
    assert_eq!(i.timer(MasterDown), Some(at_us(3 * S + 3_609_375)));
    assert_eq!(i.stats().addr_list_err, 2);
}

#[test]
fn restart_restore_as_master_keeps_vips_and_advertises_in_time() {
    let mut p = Params::new("VI_1", 3, 1, 200);
    p.advert_int = Duration::from_millis(10);
    let mut i = Instance::new(p, at_us(0));
    let out = i.handle(at_us(500), Input::RestoreState(State::Master));
    assert_eq!(
        out,
        vec![
            log(LogEvent::Restored(State::Master)),
            SendAdvert { priority: 200 },
            timer(Advert, 10_500),
        ]
    );
    assert!(!out.contains(&AddVips) && !out.contains(&RemoveVips));
    assert_eq!(i.state(), State::Master);
    assert!(i.vips_set());
    assert_eq!(
        i.handle(at_us(10_500), Input::TimerExpired(Advert)),
        vec![SendAdvert { priority: 200 }, timer(Advert, 20_500)]
    );
    // Shutdown after a restore still releases the VIPs it kept.
    let out = i.handle(at_us(12_000), Input::Shutdown);
    assert!(out.contains(&RemoveVips));
}

#[test]
fn restore_as_backup_does_not_touch_vips() {
    let mut i = Instance::new(Params::new("VI_1", 2, 1, 100), at_us(0));
    assert_eq!(
        i.handle(at_us(0), Input::RestoreState(State::Backup)),
        vec![
            log(LogEvent::Restored(State::Backup)),
            timer(MasterDown, 3_609_375)
        ]
    );
}

#[test]
fn shutdown_master_sends_priority_zero_then_removes_vips() {
    let (mut i, t0) = master(Params::new("VI_1", 2, 1, 100));
    assert_eq!(
        i.handle(at_us(t0 + 1), Input::Shutdown),
        vec![
            SendAdvert { priority: 0 },
            log(LogEvent::SentPriorityZero),
            CancelTimer { kind: Advert },
            CancelTimer { kind: GarpDelayed },
            RemoveVips,
            changed(State::Master, State::Stop),
            log(LogEvent::Stopped),
        ]
    );
    assert_eq!(i.stats().pri_zero_sent, 1);
    // Backup: no advert, no VIP change.
    let mut b = started(Params::new("VI_1", 2, 1, 100));
    assert_eq!(
        b.handle(at_us(1), Input::Shutdown),
        vec![
            CancelTimer { kind: MasterDown },
            changed(State::Backup, State::Stop),
            log(LogEvent::Stopped),
        ]
    );
    // Nothing after stop.
    assert_eq!(b.handle(at_us(2), adv("192.0.2.2", 0, S)), vec![]);
}

#[test]
fn garp_refresh_rides_on_advert_ticks() {
    let mut p = Params::new("VI_1", 2, 1, 100);
    p.garp.master_refresh = Some(Duration::from_millis(2500));
    p.garp.master_refresh_repeat = 2;
    let (mut i, t0) = master(p);
    let tick = |i: &mut Instance, t: u64| i.handle(at_us(t), Input::TimerExpired(Advert));
    assert_eq!(tick(&mut i, t0 + S).len(), 2);
    assert_eq!(tick(&mut i, t0 + 2 * S).len(), 2);
    assert_eq!(
        tick(&mut i, t0 + 3 * S),
        vec![
            SendAdvert { priority: 100 },
            SendGarp {
                burst: Refresh,
                repeat: 2
            },
            timer(Advert, t0 + 4 * S)
        ]
    );
}

#[test]
fn priority_changes_clamp_and_owner_ignores_them() {
    let mut i = started(Params::new("VI_1", 2, 1, 100));
    // The running down timer moves by the skew difference: 3.609375 s -> 3.007812 s.
    assert_eq!(
        i.handle(at_us(1), Input::PriorityChanged(300)),
        vec![
            log(LogEvent::PriorityChanged { from: 100, to: 254 }),
            timer(MasterDown, 3_007_812)
        ]
    );
    assert_eq!(
        i.handle(at_us(2), Input::PriorityChanged(-5)),
        vec![
            log(LogEvent::PriorityChanged { from: 254, to: 1 }),
            timer(MasterDown, 3_996_093)
        ]
    );
    assert_eq!(i.effective_priority(), 1);
    // The next accepted advert uses the new skew: 3 s + 255/256 s.
    assert_eq!(
        i.handle(at_us(S), adv("192.0.2.2", 100, S)),
        vec![timer(MasterDown, S + 3_996_093)]
    );
    let mut o = started(Params::new("VI_1", 2, 1, 255));
    assert_eq!(o.handle(at_us(1), Input::PriorityChanged(10)), vec![]);
    assert_eq!(o.effective_priority(), 255);
}

#[test]
fn params_from_config_apply_keepalived_defaults_and_strict_mode() {
    use keepalived_config::diag::Diagnostics;
    let text = r#"
global_defs {
    vrrp_garp_master_repeat 3
    vrrp_lower_prio_no_advert
}
vrrp_instance A {
    interface eth0
    virtual_router_id 7
    priority 150
    advert_int 1.4
    preempt_delay 5
    virtual_ipaddress {
        192.0.2.100/24
    }
}
vrrp_instance B {
    interface eth0
    state MASTER
    strict_mode
    virtual_router_id 8
    priority 100
    version 3
    advert_int 0.013
    higher_prio_send_advert
    virtual_ipaddress {
        192.0.2.101/24
        192.0.2.102/24
    }
}
"#;
    let mut d = Diagnostics::default();
    let cfg = keepalived_config::load_str(
        "t.conf",
        text,
        &keepalived_config::ReadOptions::default(),
        &mut d,
    );
    let a = Params::from_config(cfg.vrrp.instance("A").unwrap(), &cfg.global);
    assert_eq!(a.version, 2);
    assert_eq!(a.vrid, 7);
    assert_eq!(a.advert_int, Duration::from_secs(1));
    assert_eq!(a.preempt_delay, Duration::from_secs(5));
    assert!(a.lower_prio_no_advert);
    assert_eq!(a.garp.master_repeat, 3);
    assert_eq!(a.garp.lower_prio_repeat, 3);
    assert_eq!(a.garp.master_delay, Duration::from_secs(5));
    assert!(!a.want_master);
    let b = Params::from_config(cfg.vrrp.instance("B").unwrap(), &cfg.global);
    assert_eq!(b.version, 3);
    assert_eq!(b.advert_int, Duration::from_millis(10));
    assert!(b.strict);
    // Strict: state MASTER must match owning the address.
    assert!(!b.want_master);
    assert!(b.lower_prio_no_advert);
    assert!(!b.higher_prio_send_advert);
    assert_eq!(b.garp.lower_prio_repeat, 0);
    assert_eq!(b.vip_count, 2);
}

#[test]
fn master_restarts_advert_timer_after_any_advert_unless_lower_prio_no_advert() {
    // Even a dropped advert (v2 interval mismatch) restarts it, as keepalived's
    // dispatcher does.
    let (mut i, t0) = master(Params::new("VI_1", 2, 1, 100));
    let out = i.handle(at_us(t0 + 300), adv("192.0.2.2", 200, 3 * S));
    assert_eq!(out.last(), Some(&timer(Advert, t0 + 300 + S)));
    assert_eq!(i.state(), State::Master);
    // With lower_prio_no_advert the rhythm is never disturbed.
    let mut p = Params::new("VI_1", 2, 1, 100);
    p.lower_prio_no_advert = true;
    let (mut i, t0) = master(p);
    let out = i.handle(at_us(t0 + 300), adv("192.0.2.2", 0, S));
    assert_eq!(
        out,
        vec![
            SendAdvert { priority: 100 },
            log(LogEvent::MasterReceivedPriorityZero)
        ]
    );
    assert_eq!(i.timer(Advert), Some(at_us(t0 + S)));
}

#[test]
fn owner_leaving_fault_becomes_master_at_once() {
    let mut i = Instance::new(Params::new("VI_1", 2, 1, 255), at_us(0));
    i.handle(at_us(0), Input::LinkDown);
    assert_eq!(
        i.handle(at_us(0), Input::Start),
        vec![
            RemoveVips,
            changed(State::Init, State::Fault),
            log(LogEvent::EnteringFault)
        ]
    );
    let mut want = become_master(2 * S, 255, S);
    want[4] = changed(State::Fault, State::Master);
    assert_eq!(i.handle(at_us(2 * S), Input::LinkUp), want);
}

#[test]
fn early_and_stale_timer_deliveries_are_harmless() {
    let mut i = started(Params::new("VI_1", 2, 1, 100));
    // A timer never armed.
    assert_eq!(i.handle(at_us(5), Input::TimerExpired(Advert)), vec![]);
    // Replaced deadline: the old one arrives first.
    i.handle(at_us(S), adv("192.0.2.2", 200, S));
    assert_eq!(
        i.handle(at_us(3_609_375), Input::TimerExpired(MasterDown)),
        vec![timer(MasterDown, S + 3_609_375)]
    );
    assert_eq!(i.state(), State::Backup);
}

#[test]
fn params_from_config_ipv6_owner_and_rounding() {
    use keepalived_config::diag::Diagnostics;
    let text = r#"
vrrp_instance O {
    interface eth0
    virtual_router_id 9
    priority 255
    nopreempt
    advert_int 0.014
    virtual_ipaddress {
        fe80::1/64
        2001:db8::1/64
    }
}
"#;
    let mut d = Diagnostics::default();
    let cfg = keepalived_config::load_str(
        "t.conf",
        text,
        &keepalived_config::ReadOptions::default(),
        &mut d,
    );
    let o = Params::from_config(cfg.vrrp.instance("O").unwrap(), &cfg.global);
    assert_eq!(o.version, 3);
    assert!(o.is_owner() && o.want_master);
    assert!(!o.nopreempt, "nopreempt is reset for an owner");
    assert_eq!(o.advert_int, Duration::from_millis(10));
    use keepalived_vrrp::instance::round_advert_int;
    assert_eq!(
        round_advert_int(Duration::from_millis(1499), 2),
        Duration::from_secs(1)
    );
    assert_eq!(
        round_advert_int(Duration::from_millis(1500), 2),
        Duration::from_secs(2)
    );
    assert_eq!(
        round_advert_int(Duration::from_secs(300), 2),
        Duration::from_secs(255)
    );
    assert_eq!(
        round_advert_int(Duration::from_millis(15), 3),
        Duration::from_millis(20)
    );
    assert_eq!(
        round_advert_int(Duration::from_secs(60), 3),
        Duration::from_millis(40_950)
    );
}

/// Deterministic pseudo-random input sequences: no panic, and the invariants hold
/// after every step (MASTER <=> VIPs installed <=> advert timer; BACKUP <=> down timer).
#[test]
fn random_inputs_keep_invariants() {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut seen = std::collections::BTreeMap::new();
    for case in 0..300 {
        let version = if case % 2 == 0 { 2 } else { 3 };
        let prio = [1u8, 100, 200, 254, 255][case % 5];
        let mut p = Params::new("VI_1", version, 1, prio);
        p.primary_addr = Some(ip("192.0.2.5"));
        p.nopreempt = case % 7 == 0 && prio != 255;
        p.preempt_delay = if case % 3 == 0 {
            Duration::from_secs(2)
        } else {
            Duration::ZERO
        };
        p.lower_prio_no_advert = case % 4 == 0;
        p.higher_prio_send_advert = case % 6 == 0;
        p.garp.master_refresh = (case % 5 == 1).then(|| Duration::from_secs(3));
        let mut i = Instance::new(p, at_us(0));
        let mut now = 0u64;
        let first = if case % 10 == 9 {
            Input::RestoreState(State::Master)
        } else {
            Input::Start
        };
        i.handle(at_us(now), first);
        for _ in 0..200 {
            now += next() % 1_500_000;
            let r = next();
            let input = match r % 12 {
                0..=4 => {
                    let src = ["192.0.2.4", "192.0.2.5", "192.0.2.6", "2001:db8::1"]
                        [(r >> 8) as usize % 4];
                    let prio = [0u8, 1, 100, 200, 254, 255][(r >> 16) as usize % 6];
                    let int = if version == 2 {
                        [S, 2 * S][(r >> 24) as usize % 2]
                    } else {
                        [0, 10_000, S][(r >> 24) as usize % 3]
                    };
                    Input::Advert(RxAdvert {
                        src: ip(src),
                        priority: prio,
                        adver_int: Duration::from_micros(int),
                        addr_count: (r >> 32) as u8 % 3,
                        vips_match: r & (1 << 40) == 0,
                    })
                }
                5..=8 => {
                    // Fire the earliest armed timer at its deadline (or a stale kind).
                    let kinds = [MasterDown, Advert, GarpDelayed, GarpLowerPrioDelayed];
                    let armed = kinds
                        .iter()
                        .filter_map(|k| i.timer(*k).map(|t| (t, *k)))
                        .min();
                    match armed {
                        Some((t, k)) if r & 1 == 0 => {
                            now = now.max(
                                u64::try_from(t.duration_since(at_us(0)).as_micros()).unwrap(),
                            );
                            Input::TimerExpired(k)
                        }
                        _ => Input::TimerExpired(kinds[(r >> 8) as usize % 4]),
                    }
                }
                9 => Input::LinkDown,
                10 => Input::LinkUp,
                _ => Input::PriorityChanged((r >> 8) as i32 % 400 - 100),
            };
            let out = i.handle(at_us(now), input.clone());
            for o in &out {
                if let SetTimer { at, .. } = o {
                    assert!(*at >= at_us(now), "timer in the past after {input:?}");
                }
            }
            let st = i.state();
            *seen.entry(format!("{st:?}")).or_insert(0u32) += 1;
            assert_eq!(st == State::Master, i.vips_set(), "case {case} {input:?}");
            assert_eq!(
                st == State::Master,
                i.timer(Advert).is_some(),
                "case {case}"
            );
            // (An owner starting up is silently BACKUP for 1 µs: still INIT outside.)
            let down = i.timer(MasterDown).is_some();
            assert!(st != State::Backup || down, "case {case} {input:?}");
            assert!(
                !down || matches!(st, State::Backup | State::Init),
                "case {case}"
            );
        }
        let out = i.handle(at_us(now + 1), Input::Shutdown);
        assert_eq!(i.state(), State::Stop);
        assert!(!i.vips_set());
        if out.contains(&RemoveVips) {
            assert_eq!(out[0], SendAdvert { priority: 0 });
        }
    }
    // The walk reaches every state often enough to mean something.
    for st in ["Backup", "Master", "Fault"] {
        assert!(seen.get(st).copied().unwrap_or(0) > 1000, "{st}: {seen:?}");
    }
}

#[test]
fn v3_master_learns_the_new_masters_interval_when_backing_down() {
    let mut p = Params::new("VI_1", 3, 1, 100); // 1 s adverts
    p.primary_addr = Some(ip("192.0.2.5"));
    let (mut i, t0) = master(p);
    let t = t0 + 1000;
    let out = i.handle(at_us(t), adv("192.0.2.9", 150, 10_000));
    assert_eq!(
        out[1],
        log(LogEvent::AdvertIntervalUpdated {
            from: Duration::from_secs(1),
            to: Duration::from_millis(10)
        })
    );
    // 3 x 10 ms + 156 x 1 x 625 / 16 µs, timed from the advert.
    assert_eq!(out.last(), Some(&timer(MasterDown, t + 36_093)));
    assert_eq!(i.state(), State::Backup);
}

#[test]
fn tie_break_uses_the_primary_address_set_at_run_time() {
    let (mut i, t0) = master(Params::new("VI_1", 2, 1, 100));
    // Unknown primary address: an equal-priority advert is "from our address".
    let out = i.handle(at_us(t0 + 1), adv("192.0.2.6", 100, S));
    assert_eq!(
        out[0],
        log(LogEvent::EqualPriorityFromOurAddress {
            src: ip("192.0.2.6")
        })
    );
    assert_eq!(i.state(), State::Master);
    i.set_primary_addr(Some(ip("192.0.2.5")), false);
    i.handle(at_us(t0 + 2), adv("192.0.2.6", 100, S));
    assert_eq!(i.state(), State::Backup);
}
