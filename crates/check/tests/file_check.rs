//! FILE_CHECK end to end inside the checker (run by `cargo test -p keepalived-check`): a
//! config with a global `track_file` block and two real servers, planned with
//! `Plan::with_track_files` and run by the `Runner`; writing the file moves the real
//! servers down, up and to new weights within the poll period.

use std::time::{Duration, Instant};

use keepalived_check::server::{Plan, RsChange};
use keepalived_check::Runner;
use keepalived_config::{load_str, Diagnostics, ReadOptions};

fn config(file: &str) -> String {
    format!(
        "track_file tf {{\n file {file}\n weight 0\n}}\n\
         virtual_server 192.0.2.10 80 {{\n delay_loop 10\n lb_algo rr\n lb_kind DR\n protocol TCP\n\
          real_server 192.0.2.1 80 {{\n weight 5\n FILE_CHECK {{\n track_file tf\n }}\n }}\n\
          real_server 192.0.2.2 80 {{\n weight 5\n FILE_CHECK {{\n track_file tf\n weight 2 reverse\n }}\n }}\n}}\n"
    )
}

/// Runs the plan until `want` is the state of real server `rs` (or 4 s pass); returns the
/// time it took.
fn wait(r: &mut Runner, plan: &mut Plan, rs: usize, want: (bool, u32)) -> Duration {
    let t0 = Instant::now();
    let until = t0 + Duration::from_secs(4);
    loop {
        let h = &plan.health[0][rs];
        if (h.is_up(), h.weight()) == want {
            return t0.elapsed();
        }
        assert!(
            Instant::now() < until,
            "rs {rs}: want {want:?}, have {:?}",
            (h.is_up(), h.weight())
        );
        for ev in r.turn(Some(until)).expect("turn") {
            let _: Option<RsChange> = plan.apply(&ev);
        }
    }
}

#[test]
fn file_check_follows_the_tracked_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("state");
    std::fs::write(&path, "0\n").expect("write");
    let mut d = Diagnostics::default();
    let cfg = load_str(
        "t.conf",
        &config(&path.to_string_lossy()),
        &ReadOptions::default(),
        &mut d,
    );
    assert!(d.errors().next().is_none(), "{d:?}");
    let mut plan = Plan::with_track_files(&cfg.check, "lb", &cfg.vrrp.track_files);
    assert!(plan.skipped.is_empty(), "{:?}", plan.skipped);
    assert_eq!(plan.specs.len(), 2);
    let mut r = Runner::new(plan.specs.clone()).expect("runner");
    r.start(Instant::now());
    // 0: rs1 (weight 0 in the block) up; rs2 weighted: 5 + 0.
    wait(&mut r, &mut plan, 0, (true, 5));
    wait(&mut r, &mut plan, 1, (true, 5));
    // 3: rs1 fails (a non-zero value with weight 0); rs2: 5 - 3 x 2 clamps to 0.
    std::fs::write(&path, "3\n").expect("write");
    let took = wait(&mut r, &mut plan, 0, (false, 5));
    assert!(took < Duration::from_millis(1600), "seen after {took:?}");
    wait(&mut r, &mut plan, 1, (true, 0));
    // -1: rs1 still down (non-zero); rs2: 5 + 2 = 7.
    std::fs::write(&path, "-1\n").expect("write");
    wait(&mut r, &mut plan, 1, (true, 7));
    assert!(!plan.health[0][0].is_up());
    // Back to 0: both up at their configured weight.
    std::fs::write(&path, "0\n").expect("write");
    wait(&mut r, &mut plan, 0, (true, 5));
    wait(&mut r, &mut plan, 1, (true, 5));
    // A file that disappears reads as 0 (keepalived's strtol of nothing).
    std::fs::remove_file(&path).expect("remove");
    wait(&mut r, &mut plan, 0, (true, 5));
}
