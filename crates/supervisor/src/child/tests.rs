//! Table-driven tests of `ChildSupervisor`: timestamps and events in, actions out.

use super::*;

const KILLED: ChildStatus = ChildStatus::Signaled(9);
const SEGV: ChildStatus = ChildStatus::Signaled(11);

/// Milliseconds since the start of the table.
type Row = (u64, Event, Expect);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    None,
    Spawn,
    /// Delay in milliseconds; `at` must be `now + delay`.
    SpawnAfter(u64),
    Kill,
    Terminate,
    Exit(ExitReason),
    Gone,
}

fn run(sup: &mut ChildSupervisor, rows: &[Row]) {
    let t0 = Instant::now();
    for (i, &(ms, ev, want)) in rows.iter().enumerate() {
        let now = t0 + Duration::from_millis(ms);
        let got = sup.handle(now, ev);
        let got = match got {
            Action::None => Expect::None,
            Action::Spawn => Expect::Spawn,
            Action::SpawnAt { at, delay } => {
                assert_eq!(at, now + delay, "row {i}");
                Expect::SpawnAfter(delay.as_millis() as u64)
            }
            Action::Kill => Expect::Kill,
            Action::Terminate => Expect::Terminate,
            Action::Exit(r) => Expect::Exit(r),
            Action::Gone => Expect::Gone,
        };
        assert_eq!(
            got,
            want,
            "row {i}: {ev:?} at {ms} ms (state now {:?})",
            sup.state()
        );
    }
}

fn vrrp() -> ChildSupervisor {
    ChildSupervisor::new(Role::Vrrp, Respawn::Always)
}

#[test]
fn crash_loop_follows_keepalived_schedule() {
    use Event::*;
    use Expect::*;
    let mut rows: Vec<Row> = vec![(0, Spawned, None)];
    let mut t = 0;
    // Each incarnation dies 100 ms after it starts.
    for want in [0u64, 1, 2, 4, 8, 16, 32, 60, 60, 60] {
        t += 100;
        if want == 0 {
            rows.push((t, Exited(KILLED), Spawn));
        } else {
            rows.push((t, Exited(KILLED), SpawnAfter(want * 1000)));
            t += want * 1000;
            rows.push((t, RestartDue, Spawn));
        }
        rows.push((t, Spawned, None));
    }
    let mut sup = vrrp();
    run(&mut sup, &rows);
    assert_eq!(sup.restarts(), 10);
}

#[test]
fn a_minute_of_health_resets_the_schedule() {
    use Event::*;
    use Expect::*;
    run(
        &mut vrrp(),
        &[
            (0, Spawned, None),
            (10, Exited(SEGV), Spawn),
            (10, Spawned, None),
            (20, Exited(SEGV), SpawnAfter(1000)),
            (1020, RestartDue, Spawn),
            (1020, Spawned, None),
            (1030, Exited(SEGV), SpawnAfter(2000)),
            (3030, RestartDue, Spawn),
            (3030, Spawned, None),
            // Ran exactly 60 s: healthy.
            (63_030, Exited(KILLED), Spawn),
            (63_030, Spawned, None),
            (63_040, Exited(KILLED), SpawnAfter(1000)),
            (64_040, RestartDue, Spawn),
            (64_040, Spawned, None),
            // 59.999 s is not enough.
            (124_039, Exited(KILLED), SpawnAfter(2000)),
        ],
    );
}

#[test]
fn early_or_stale_timers_do_not_spawn() {
    use Event::*;
    use Expect::*;
    run(
        &mut vrrp(),
        &[
            (0, RestartDue, None),
            (0, Spawned, None),
            (5, RestartDue, None),
            (5, Exited(KILLED), Spawn),
            (5, Spawned, None),
            (6, Exited(KILLED), SpawnAfter(1000)),
            // The timer fired 1 ms early: same deadline again.
            (1005, RestartDue, SpawnAfter(1)),
            (1006, RestartDue, Spawn),
            (1006, RestartDue, None),
        ],
    );
}

#[test]
fn channel_hangup_kills_and_restart_waits_for_the_reap() {
    use Event::*;
    use Expect::*;
    run(
        &mut vrrp(),
        &[
            (0, Spawned, None),
            (50, ChannelClosed, Kill),
            (50, ChannelClosed, None),
            (52, Exited(KILLED), Spawn),
            (52, Spawned, None),
            // Reaped first, hang-up noticed after: nothing more to do for the old one.
            (60, Exited(SEGV), SpawnAfter(1000)),
            (60, ChannelClosed, None),
        ],
    );
}

#[test]
fn dont_respawn_exits() {
    use Event::*;
    use Expect::*;
    let mut sup = ChildSupervisor::new(Role::Checker, Respawn::Never);
    run(
        &mut sup,
        &[
            (0, Spawned, None),
            (
                100,
                Exited(KILLED),
                Exit(ExitReason::DontRespawn {
                    role: Role::Checker,
                    status: KILLED,
                }),
            ),
            (200, RestartDue, None),
            (300, Shutdown, Gone),
        ],
    );
    assert_eq!(sup.restarts(), 0);
}

#[test]
fn permanent_exit_codes_stop_the_daemon() {
    use Event::*;
    use Expect::*;
    for code in [
        exit_code::FATAL,
        exit_code::CONFIG,
        exit_code::MISSING_PERMISSION,
    ] {
        run(
            &mut vrrp(),
            &[
                (0, Spawned, None),
                (
                    1,
                    Exited(ChildStatus::Exited(code)),
                    Exit(ExitReason::Permanent {
                        role: Role::Vrrp,
                        code,
                    }),
                ),
            ],
        );
    }
    for code in [
        exit_code::OK,
        exit_code::PROGRAM_ERROR,
        exit_code::NO_MEMORY,
    ] {
        run(
            &mut vrrp(),
            &[
                (0, Spawned, None),
                (1, Exited(ChildStatus::Exited(code)), Spawn),
            ],
        );
    }
}

#[test]
fn spawn_failures_back_off_too() {
    use Event::*;
    use Expect::*;
    run(
        &mut vrrp(),
        &[
            (0, SpawnFailed, Spawn),
            (0, SpawnFailed, SpawnAfter(1000)),
            (1000, RestartDue, Spawn),
            (1000, SpawnFailed, SpawnAfter(2000)),
            (3000, RestartDue, Spawn),
            (3000, Spawned, None),
        ],
    );
}

#[test]
fn shutdown_terminates_then_kills_after_child_wait_time() {
    use Event::*;
    use Expect::*;
    let mut sup = vrrp();
    run(
        &mut sup,
        &[
            (0, Spawned, None),
            (10, Shutdown, Terminate),
            (10, ChannelClosed, None),
            (5010, ShutdownTimeout, Kill),
            (5011, Exited(KILLED), Gone),
            (5012, RestartDue, None),
        ],
    );
    assert_eq!(sup.state(), State::Gone);
}

#[test]
fn shutdown_in_every_other_state() {
    use Event::*;
    use Expect::*;
    // While a restart is pending: no process to stop, the timer becomes stale.
    run(
        &mut vrrp(),
        &[
            (0, Spawned, None),
            (1, Exited(KILLED), Spawn),
            (1, Spawned, None),
            (2, Exited(KILLED), SpawnAfter(1000)),
            (3, Shutdown, Gone),
            (1002, RestartDue, None),
        ],
    );
    // While being killed after a hang-up: its exit is on the way.
    run(
        &mut vrrp(),
        &[
            (0, Spawned, None),
            (1, ChannelClosed, Kill),
            (2, Shutdown, None),
            (3, Exited(KILLED), Gone),
        ],
    );
    // Before the first spawn completed; a spawn that raced with it is stopped.
    run(
        &mut vrrp(),
        &[
            (0, Shutdown, Gone),
            (1, Spawned, Terminate),
            (2, Exited(KILLED), Gone),
        ],
    );
    // During shutdown, exits are final whatever the code.
    run(
        &mut vrrp(),
        &[
            (0, Spawned, None),
            (1, Shutdown, Terminate),
            (2, Exited(ChildStatus::Exited(exit_code::FATAL)), Gone),
        ],
    );
}

#[test]
fn role_names_match_keepalived_logs() {
    assert_eq!(Role::Vrrp.to_string(), "VRRP");
    assert_eq!(Role::Checker.to_string(), "Healthcheck");
}
