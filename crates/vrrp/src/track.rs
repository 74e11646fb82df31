//! Tracking arithmetic, sans IO: `vrrp_script` rise/fall counting, what a tracked script,
//! interface or file does to an instance (a weight, or FAULT), and the total priority fed
//! to [`crate::instance::Instance`] as `Input::PriorityChanged`. Called by the VRRP
//! child's tracker adapter (`tracker.rs`); unit tests pin keepalived's formulas.
//!
//! keepalived (`vrrp_track.c`, `track_file.c`, `vrrp_scheduler.c`) keeps a running
//! `total_priority` and adds or subtracts on each change; the contribution of each
//! tracker is a function of its state alone, so here it is computed from the state:
//! - weight 0: the tracker failing (or, with `reverse`, succeeding) means FAULT; a script
//!   that has not reported yet also holds the instance in FAULT (`num_script_init`);
//! - weight > 0: `weight` added while OK; weight < 0: `weight` added while failing;
//!   `reverse` negates the contribution; a script not run yet contributes nothing;
//! - track_file: weight 0: a non-zero value means FAULT (a zero one with `reverse`);
//!   otherwise `value × weight` (negated by `reverse`) clamped to [-254, 253], where
//!   -254 means FAULT.
//!
//! The effective priority is the total clamped to [1, 254] and an owner's never changes;
//! the instance does that (`priority_changed`).

use serde::Serialize;

/// Where a tracked object stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Status {
    /// A script that has not finished a run yet.
    Init,
    Up,
    Down,
}

/// What one tracker does to one instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Effect {
    Fault,
    Weight(i32),
}

/// Script and interface weights are -253..=253 (keepalived coerces ±254 to ±253).
pub fn clamp_weight(w: i32) -> i32 {
    w.clamp(-253, 253)
}

/// The effect of a script or interface (or a process quorum) in `status`.
pub fn effect(weight: i32, reverse: bool, status: Status) -> Effect {
    if weight == 0 {
        return match (status, reverse) {
            (Status::Init, _) => Effect::Fault,
            (Status::Up, false) | (Status::Down, true) => Effect::Weight(0),
            (Status::Up, true) | (Status::Down, false) => Effect::Fault,
        };
    }
    let m = if reverse { -1 } else { 1 };
    let w = match status {
        Status::Init => 0,
        Status::Up if weight > 0 => weight,
        Status::Down if weight < 0 => weight,
        Status::Up | Status::Down => 0,
    };
    Effect::Weight(w * m)
}

/// The effect of a track_file whose value is `value`.
pub fn file_effect(value: i64, weight: i32, reverse: bool) -> Effect {
    if weight == 0 {
        return if (value != 0) != reverse {
            Effect::Fault
        } else {
            Effect::Weight(0)
        };
    }
    let m: i64 = if reverse { -1 } else { 1 };
    let s = value
        .saturating_mul(i64::from(weight))
        .saturating_mul(m)
        .clamp(-254, 253);
    if s == -254 {
        Effect::Fault
    } else {
        Effect::Weight(i32::try_from(s).unwrap_or(0))
    }
}

/// Total priority (base + weights) and whether any tracker faults the instance.
pub fn combine(base: u8, effects: impl IntoIterator<Item = Effect>) -> (i32, bool) {
    let mut total = i32::from(base);
    let mut fault = false;
    for e in effects {
        match e {
            Effect::Fault => fault = true,
            Effect::Weight(w) => total += w,
        }
    }
    (total, fault)
}

/// keepalived's reading of a track file: `strtol(buf, NULL, 0)` of its first 127 bytes
/// (leading blanks, sign, `0x` hex, `0` octal; no digits = 0). `None`: out of range,
/// which keepalived logs and ignores (the previous value stays).
pub fn parse_file_value(text: &[u8]) -> Option<i64> {
    let text = &text[..text.len().min(127)];
    let mut i = 0;
    while i < text.len() && matches!(text[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
        i += 1;
    }
    let mut neg = false;
    if i < text.len() && (text[i] == b'+' || text[i] == b'-') {
        neg = text[i] == b'-';
        i += 1;
    }
    let rest = &text[i..];
    let (radix, digits) = if rest.len() > 2
        && rest[0] == b'0'
        && (rest[1] | 0x20) == b'x'
        && (rest[2] as char).is_ascii_hexdigit()
    {
        (16, &rest[2..])
    } else if rest.first() == Some(&b'0') {
        (8, rest)
    } else {
        (10, rest)
    };
    let mut v: i64 = 0;
    for &c in digits {
        let Some(d) = (c as char).to_digit(radix) else {
            break;
        };
        v = v.checked_mul(i64::from(radix))?.checked_add(i64::from(d))?;
    }
    let v = if neg { -v } else { v };
    // keepalived keeps values that fit an int.
    (i64::from(i32::MIN)..=i64::from(i32::MAX))
        .contains(&v)
        .then_some(v)
}

/// `vrrp_script` rise/fall counting as keepalived's `vrrp_script_child_thread`: a counter
/// in 0..rise+fall; OK at `rise` and above. Before the first result the status is
/// [`Status::Init`] and one result decides it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScriptCounter {
    rise: u32,
    fall: u32,
    result: u32,
    init: bool,
}

impl ScriptCounter {
    /// `init_fail` starts failed (keepalived's `SCRIPT_INIT_STATE_FAILED`).
    pub fn new(rise: u32, fall: u32, init_fail: bool) -> Self {
        let rise = rise.max(1);
        let fall = fall.max(1);
        ScriptCounter {
            rise,
            fall,
            result: if init_fail { 0 } else { rise - 1 },
            init: !init_fail,
        }
    }

    pub fn status(&self) -> Status {
        if self.init {
            Status::Init
        } else if self.result >= self.rise {
            Status::Up
        } else {
            Status::Down
        }
    }

    pub fn rise(&self) -> u32 {
        self.rise
    }

    pub fn fall(&self) -> u32 {
        self.fall
    }

    /// The counter (keepalived's `result`), for the dumps.
    pub fn result(&self) -> u32 {
        self.result
    }

    /// Records one run; returns the new status when it changed (keepalived logs
    /// "VRRP_Script(NAME) succeeded/failed" exactly then).
    pub fn record(&mut self, success: bool) -> Option<Status> {
        let before = self.status();
        let top = self.rise + self.fall - 1;
        if success {
            if self.result < self.rise - 1 {
                self.result += 1;
            } else if self.result != top {
                self.result = top;
            }
        } else if self.result > self.rise {
            self.result -= 1;
        } else {
            self.result = 0;
        }
        self.init = false;
        let after = self.status();
        (after != before).then_some(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weight_zero_faults_on_failure_and_reverse_on_success() {
        assert_eq!(effect(0, false, Status::Up), Effect::Weight(0));
        assert_eq!(effect(0, false, Status::Down), Effect::Fault);
        assert_eq!(effect(0, true, Status::Up), Effect::Fault);
        assert_eq!(effect(0, true, Status::Down), Effect::Weight(0));
        // A weight-0 script not run yet holds the instance (keepalived's num_script_init).
        assert_eq!(effect(0, false, Status::Init), Effect::Fault);
    }

    #[test]
    fn positive_weight_adds_while_ok_negative_subtracts_while_failing() {
        assert_eq!(effect(20, false, Status::Up), Effect::Weight(20));
        assert_eq!(effect(20, false, Status::Down), Effect::Weight(0));
        assert_eq!(effect(-20, false, Status::Up), Effect::Weight(0));
        assert_eq!(effect(-20, false, Status::Down), Effect::Weight(-20));
        // reverse negates (keepalived's weight_multiplier -1).
        assert_eq!(effect(20, true, Status::Up), Effect::Weight(-20));
        assert_eq!(effect(-20, true, Status::Down), Effect::Weight(20));
        assert_eq!(effect(-20, true, Status::Up), Effect::Weight(0));
        assert_eq!(effect(20, false, Status::Init), Effect::Weight(0));
        assert_eq!(effect(-20, false, Status::Init), Effect::Weight(0));
    }

    /// keepalived's incremental bookkeeping (`process_script_update_priority`): the init
    /// transition adds only the adjusting state, later ones add/remove |weight| × m.
    /// Replaying transitions through it must give the stateless [`effect`] every time.
    #[test]
    fn stateless_effect_equals_keepalived_incremental_bookkeeping() {
        for w in [-253, -20, -1, 1, 7, 253] {
            for reverse in [false, true] {
                let m = if reverse { -1 } else { 1 };
                for seq in 0u32..64 {
                    let mut total = 0i32;
                    let mut init = true;
                    let mut last: Option<bool> = None;
                    for bit in 0..6 {
                        let ok = seq & (1 << bit) != 0;
                        if last == Some(ok) {
                            continue;
                        }
                        if init {
                            if ok && w > 0 || !ok && w < 0 {
                                total += w * m;
                            }
                            init = false;
                        } else if ok {
                            total += w.abs() * m;
                        } else {
                            total -= w.abs() * m;
                        }
                        last = Some(ok);
                        let st = if ok { Status::Up } else { Status::Down };
                        assert_eq!(
                            effect(w, reverse, st),
                            Effect::Weight(total),
                            "w={w} r={reverse} seq={seq:b}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn file_value_times_weight_with_fault_at_minus_254() {
        assert_eq!(file_effect(0, 10, false), Effect::Weight(0));
        assert_eq!(file_effect(3, 10, false), Effect::Weight(30));
        assert_eq!(file_effect(-3, 10, false), Effect::Weight(-30));
        assert_eq!(file_effect(3, 10, true), Effect::Weight(-30));
        assert_eq!(file_effect(100, 10, false), Effect::Weight(253));
        assert_eq!(file_effect(-25, 10, false), Effect::Weight(-250));
        assert_eq!(file_effect(-26, 10, false), Effect::Fault);
        assert_eq!(file_effect(-254, 1, false), Effect::Fault);
        assert_eq!(file_effect(-253, 1, false), Effect::Weight(-253));
        // weight 0: non-zero is FAULT; reverse: zero is FAULT.
        assert_eq!(file_effect(5, 0, false), Effect::Fault);
        assert_eq!(file_effect(0, 0, false), Effect::Weight(0));
        assert_eq!(file_effect(0, 0, true), Effect::Fault);
        assert_eq!(file_effect(5, 0, true), Effect::Weight(0));
        assert_eq!(
            file_effect(i64::from(i32::MAX), 254, false),
            Effect::Weight(253)
        );
    }

    #[test]
    fn file_values_parse_like_strtol_base_0() {
        assert_eq!(parse_file_value(b"12\n"), Some(12));
        assert_eq!(parse_file_value(b"  -7 junk"), Some(-7));
        assert_eq!(parse_file_value(b"+3"), Some(3));
        assert_eq!(parse_file_value(b"0x1f"), Some(31));
        assert_eq!(parse_file_value(b"010"), Some(8));
        assert_eq!(parse_file_value(b"09"), Some(0));
        assert_eq!(parse_file_value(b""), Some(0));
        assert_eq!(parse_file_value(b"abc"), Some(0));
        assert_eq!(parse_file_value(b"0x"), Some(0));
        assert_eq!(parse_file_value(b"99999999999"), None);
        assert_eq!(parse_file_value(b"-2147483648"), Some(-2147483648));
        assert_eq!(parse_file_value(&[0xff, b'1']), Some(0));
    }

    #[test]
    fn combine_sums_weights_and_any_fault_wins() {
        assert_eq!(
            combine(100, [Effect::Weight(-20), Effect::Weight(5)]),
            (85, false)
        );
        assert_eq!(
            combine(100, [Effect::Weight(-20), Effect::Fault]),
            (80, true)
        );
        assert_eq!(combine(200, []), (200, false));
    }

    #[test]
    fn rise_and_fall_count_consecutive_results() {
        // rise 2, fall 3: starts Init; the first result decides at once.
        let mut c = ScriptCounter::new(2, 3, false);
        assert_eq!(c.status(), Status::Init);
        assert_eq!(c.record(true), Some(Status::Up));
        // Two failures are not enough, the third is.
        assert_eq!(c.record(false), None);
        assert_eq!(c.record(false), None);
        assert_eq!(c.record(false), Some(Status::Down));
        // A success resets nothing until `rise` in a row.
        assert_eq!(c.record(true), None);
        assert_eq!(c.record(false), None);
        assert_eq!(c.record(true), None);
        assert_eq!(c.record(true), Some(Status::Up));
        // One failure between successes restarts the fall count.
        assert_eq!(c.record(false), None);
        assert_eq!(c.record(false), None);
        assert_eq!(c.record(true), None);
        assert_eq!(c.record(false), None);
        assert_eq!(c.record(false), None);
        assert_eq!(c.record(false), Some(Status::Down));
    }

    #[test]
    fn first_failure_decides_init_and_init_fail_starts_down() {
        let mut c = ScriptCounter::new(3, 3, false);
        assert_eq!(c.record(false), Some(Status::Down));
        let mut c = ScriptCounter::new(2, 2, true);
        assert_eq!(c.status(), Status::Down);
        assert_eq!(c.record(false), None);
        assert_eq!(c.record(true), None);
        assert_eq!(c.record(true), Some(Status::Up));
        let mut c = ScriptCounter::new(1, 1, true);
        assert_eq!(c.record(true), Some(Status::Up));
        assert_eq!(c.record(false), Some(Status::Down));
    }

    mod fsm {
        use crate::events::{Input, Output, State, TimerKind};
        use crate::instance::{Instance, Params};
        use std::time::{Duration, Instant};

        fn states(out: &[Output]) -> Vec<State> {
            out.iter()
                .filter_map(|o| match o {
                    Output::StateChanged { to, .. } => Some(*to),
                    _ => None,
                })
                .collect()
        }

        fn master(prio: u8) -> (Instance, Instant) {
            let t0 = Instant::now();
            let mut i = Instance::new(Params::new("VI_1", 2, 1, prio), t0);
            i.handle(t0, Input::Start);
            i.handle(
                t0 + Duration::from_secs(5),
                Input::TimerExpired(TimerKind::MasterDown),
            );
            assert_eq!(i.state(), State::Master);
            (i, t0 + Duration::from_secs(5))
        }

        #[test]
        fn track_fault_takes_a_master_to_fault_with_priority_zero_and_back_to_backup() {
            let (mut i, t) = master(100);
            let out = i.handle(t, Input::TrackFault(true));
            assert_eq!(states(&out), vec![State::Fault]);
            assert!(out.contains(&Output::SendAdvert { priority: 0 }));
            assert!(out.contains(&Output::RemoveVips));
            // The link coming back does not end a tracker's FAULT.
            assert!(states(&i.handle(t, Input::LinkUp)).is_empty());
            assert_eq!(i.state(), State::Fault);
            let out = i.handle(t, Input::TrackFault(false));
            assert_eq!(states(&out), vec![State::Backup]);
        }

        #[test]
        fn link_down_and_track_fault_both_must_clear() {
            let (mut i, t) = master(100);
            i.handle(t, Input::LinkDown);
            i.handle(t, Input::TrackFault(true));
            assert!(states(&i.handle(t, Input::LinkUp)).is_empty());
            assert_eq!(
                states(&i.handle(t, Input::TrackFault(false))),
                vec![State::Backup]
            );
        }

        #[test]
        fn a_tracker_fault_at_start_starts_in_fault() {
            let t0 = Instant::now();
            let mut i = Instance::new(Params::new("VI_1", 2, 1, 100), t0);
            i.handle(t0, Input::TrackFault(true));
            let out = i.handle(t0, Input::Start);
            assert_eq!(states(&out), vec![State::Fault]);
        }

        #[test]
        fn an_owner_keeps_255_but_still_faults() {
            let (mut i, t) = master(255);
            i.handle(t, Input::PriorityChanged(255 - 50));
            assert_eq!(i.effective_priority(), 255);
            assert_eq!(
                states(&i.handle(t, Input::TrackFault(true))),
                vec![State::Fault]
            );
            // An owner leaving FAULT goes straight to MASTER.
            assert_eq!(
                states(&i.handle(t, Input::TrackFault(false))),
                vec![State::Master]
            );
        }

        #[test]
        fn priority_is_clamped_to_1_254() {
            let (mut i, t) = master(100);
            i.handle(t, Input::PriorityChanged(-500));
            assert_eq!(i.effective_priority(), 1);
            i.handle(t, Input::PriorityChanged(400));
            assert_eq!(i.effective_priority(), 254);
        }
    }
}
