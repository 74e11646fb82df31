//! How long a realtime (SCHED_RR, reset-on-fork) thread is held by a script spawn:
//! `std::process::Command::spawn` (waits for the exec) against
//! `keepalived_sys::spawn::spawn_detached` (does not). Run as root, ideally with the host
//! busy: `cargo run --release -p keepalived-sys --example spawn_latency [runs]`.

use std::time::{Duration, Instant};

use keepalived_sys::spawn::{spawn_detached, SpawnSpec};
use nix::sys::wait::waitpid;

fn stats(name: &str, mut d: Vec<Duration>) {
    d.sort();
    let at = |q: f64| d[((d.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e3;
    println!(
        "{name}: n={} p50 {:.3} ms p99 {:.3} ms max {:.3} ms",
        d.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    );
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    if let Err(e) = keepalived_sys::sched::set_round_robin(10) {
        eprintln!("SCHED_RR: {e} (run as root)");
        std::process::exit(1);
    }
    let args = vec!["true".to_string()];
    let (mut std_t, mut ours) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let t0 = Instant::now();
        let mut child = std::process::Command::new("true").spawn().expect("spawn");
        std_t.push(t0.elapsed());
        let _ = child.wait();

        let t0 = Instant::now();
        let pid = spawn_detached(&SpawnSpec {
            args: &args,
            uid: None,
            gid: None,
            die_with_parent: None,
        })
        .expect("spawn_detached");
        ours.push(t0.elapsed());
        let _ = waitpid(pid, None);
        std::thread::sleep(Duration::from_millis(5));
    }
    stats("std::process::Command::spawn", std_t);
    stats("spawn_detached", ours);
}
