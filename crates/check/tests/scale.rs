//! Many checkers in one loop: 2,000 TCP_CHECKs with warmup spreading against one local
//! listener. Every checker keeps its delay_loop and the loop's CPU stays small (figures
//! printed with --nocapture).

mod support;

use std::net::TcpListener;
use std::time::{Duration, Instant};

use keepalived_check::{Kind, Runner};
use support::*;

fn cpu_time() -> Duration {
    let ru = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_SELF).unwrap();
    let us = |t: nix::sys::time::TimeVal| t.tv_sec() as u64 * 1_000_000 + t.tv_usec() as u64;
    Duration::from_micros(us(ru.user_time()) + us(ru.system_time()))
}

#[test]
fn two_thousand_tcp_checks_in_one_loop() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.set_nonblocking(true).unwrap();
    let addr = l.local_addr().unwrap();
    let n = 2000;
    let mut t = timing(1, 100, 500, 1000);
    t.warmup = Duration::from_millis(500);
    let specs = (0..n).map(|_| spec(Kind::Tcp, addr, t)).collect();
    let mut r = Runner::new(specs).unwrap();
    let t0 = Instant::now();
    let cpu0 = cpu_time();
    r.start(t0);
    let mut per = vec![0u32; n];
    let mut fails = 0;
    let mut next: Vec<Option<Instant>> = vec![None; n];
    let mut lateness = Vec::new();
    let until = t0 + Duration::from_secs(3);
    while Instant::now() < until {
        for e in r.turn(Some(until)).unwrap() {
            per[e.check] += 1;
            if let Some(due) = next[e.check] {
                lateness.push(e.started.saturating_duration_since(due));
            }
            next[e.check] = Some(e.next);
            if !e.verdict.is_ok() {
                fails += 1;
            }
        }
        // Drain the accept queue so the backlog never fills.
        while l.accept().is_ok() {}
    }
    let cpu = cpu_time() - cpu0;
    let (min, max) = (per.iter().min().unwrap(), per.iter().max().unwrap());
    lateness.sort();
    let p99 = lateness[lateness.len() * 99 / 100];
    let worst = *lateness.last().unwrap();
    eprintln!(
        "{n} TCP checks, delay_loop 500 ms, 3 s: attempts per checker {min}..={max}, \
         {} attempts, {fails} failures, process CPU {cpu:?}, start lateness p99 {p99:?} max {worst:?}",
        per.iter().sum::<u32>()
    );
    assert_eq!(fails, 0);
    // First attempt within the 500 ms warmup, then every 500 ms: 5 or 6 in 3 s.
    assert!(*min >= 5 && *max <= 6, "attempts per checker {min}..={max}");
    // Loose on purpose: this 2-core machine is shared with other builds, and being
    // descheduled shows up here; the figure printed above is the real result.
    assert!(
        p99 < Duration::from_millis(250),
        "p99 start lateness {p99:?}"
    );
}
