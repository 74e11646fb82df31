//! FILE_CHECK: a real server's health (and weight) read from a file named by a global
//! `track_file` block, as keepalived's `check_file.c`/`track_file.c` do. `server::Plan`
//! resolves the checker with [`file_spec`]; the runner calls [`evaluate`] on each attempt.
//!
//! keepalived's rules: the file holds an integer (unreadable or not a number reads as 0).
//! With weight 0 (the FILE_CHECK's `weight`, else the `track_file` block's), a non-zero
//! value is a failure (`reverse`: a zero value is). With a weight, `value x weight`
//! (negated with `reverse`) is added to the real server's weight, and a result at or below
//! IPVS_WEIGHT_FAULT (-65536) is a failure. keepalived watches the file with inotify; we
//! read it every [`FILE_POLL`], which bounds how late a change is seen.

use std::net::SocketAddr;
use std::time::Duration;

use keepalived_config::model::check::{Checker, CheckerKind, RealServer, VirtualServer};
use keepalived_config::model::vrrp::TrackFile;

use crate::schedule::{Timing, Verdict};
use crate::spec::{CheckSpec, Kind, SpecError};

/// How often a tracked file is read.
pub const FILE_POLL: Duration = Duration::from_secs(1);
/// keepalived's IPVS_WEIGHT_FAULT: a weighted status at or below it is a failure.
const WEIGHT_FAULT: i64 = -65536;
const WEIGHT_MAX: i64 = 65535;

/// The checker of `FILE_CHECK { track_file NAME [weight N [reverse]] }` on `rs`.
pub fn file_spec(
    vs: &VirtualServer,
    rs: &RealServer,
    c: &Checker,
    track_files: &[TrackFile],
) -> Result<CheckSpec, SpecError> {
    let rs_name = match rs.port {
        Some(p) => SocketAddr::new(rs.ip, p).to_string(),
        None => rs.ip.to_string(),
    };
    let CheckerKind::File(f) = &c.kind else {
        return Err(SpecError::Unsupported {
            checker: c.name(),
            rs: rs_name,
        });
    };
    let name = f.track_file.as_deref().unwrap_or_default();
    let tf = track_files
        .iter()
        .find(|t| t.name == name)
        .ok_or_else(|| SpecError::NoTrackFile {
            name: name.to_string(),
            rs: rs_name.clone(),
        })?;
    let path = tf.file.clone().ok_or_else(|| SpecError::NoTrackFile {
        name: name.to_string(),
        rs: rs_name.clone(),
    })?;
    // The FILE_CHECK's own weight wins unless it is 0 (keepalived's file_end_handler).
    let (weight, reverse) = match f.weight {
        Some(w) if w != 0 => (w, f.reverse),
        _ => (tf.weight, tf.weight_reverse),
    };
    let base_weight = rs.weight.or(vs.weight).unwrap_or(1);
    let timing = Timing {
        retry: 0,
        delay_before_retry: FILE_POLL,
        delay_loop: FILE_POLL,
        connect_timeout: FILE_POLL,
        warmup: Duration::ZERO,
        // keepalived knows the file's state at once: no alpha.
        alpha: false,
    };
    let target = SocketAddr::new(rs.ip, rs.port.unwrap_or(0));
    let mut spec = CheckSpec::simple(
        Kind::File {
            path: path.clone(),
            weight,
            reverse,
            base_weight,
        },
        target,
        timing,
    );
    spec.name = format!("FILE_CHECK {name} ({path}) for {rs_name}");
    Ok(spec)
}

/// The value in a tracked file: its first token as an integer (decimal, 0x hex or 0
/// octal, like strtol base 0); 0 when unreadable, empty or not a number.
pub fn read_value(path: &str) -> i64 {
    let Ok(text) = std::fs::read_to_string(path) else {
        return 0;
    };
    parse_value(&text)
}

fn parse_value(text: &str) -> i64 {
    let tok = text.split_whitespace().next().unwrap_or("");
    let (neg, digits) = match tok.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, tok.strip_prefix('+').unwrap_or(tok)),
    };
    let parsed = if let Some(h) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        i64::from_str_radix(h, 16)
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(&digits[1..], 8)
    } else {
        digits.parse()
    };
    match parsed {
        Ok(v) if neg => -v,
        Ok(v) => v,
        Err(_) => 0,
    }
}

/// The verdict for a file holding `value`.
pub fn verdict(value: i64, weight: i32, reverse: bool, base_weight: u32) -> Verdict {
    if weight == 0 {
        let fault = (value != 0) != reverse;
        return if fault {
            Verdict::fail(format!("tracked file value {value}"))
        } else {
            Verdict::ok()
        };
    }
    let status = value
        .saturating_mul(i64::from(weight))
        .saturating_mul(if reverse { -1 } else { 1 });
    if status <= WEIGHT_FAULT {
        return Verdict::fail(format!(
            "tracked file value {value} x weight {weight}: fault"
        ));
    }
    let w = (i64::from(base_weight) + status).clamp(0, WEIGHT_MAX);
    Verdict::Ok {
        weight: u32::try_from(w).ok(),
    }
}

/// One attempt of a FILE_CHECK: read and judge the file.
pub fn evaluate(path: &str, weight: i32, reverse: bool, base_weight: u32) -> Verdict {
    verdict(read_value(path), weight, reverse, base_weight)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_like_strtol() {
        assert_eq!(parse_value("5\n"), 5);
        assert_eq!(parse_value("  -12 trailing"), -12);
        assert_eq!(parse_value("0x10"), 16);
        assert_eq!(parse_value("010"), 8);
        assert_eq!(parse_value(""), 0);
        assert_eq!(parse_value("abc"), 0);
        assert_eq!(read_value("/nonexistent/kck-file"), 0);
    }

    #[test]
    fn weight_zero_fails_on_non_zero_and_reverse_on_zero() {
        assert!(verdict(0, 0, false, 1).is_ok());
        assert!(!verdict(3, 0, false, 1).is_ok());
        assert!(!verdict(-1, 0, false, 1).is_ok());
        assert!(!verdict(0, 0, true, 1).is_ok());
        assert!(verdict(1, 0, true, 1).is_ok());
    }

    #[test]
    fn weights_add_to_the_real_server_weight() {
        assert_eq!(verdict(0, 2, false, 5), Verdict::Ok { weight: Some(5) });
        assert_eq!(verdict(3, 2, false, 5), Verdict::Ok { weight: Some(11) });
        assert_eq!(verdict(2, 2, true, 5), Verdict::Ok { weight: Some(1) });
        // Below 0 clamps to 0 (drained) until the fault threshold.
        assert_eq!(verdict(-10, 2, false, 5), Verdict::Ok { weight: Some(0) });
        assert_eq!(
            verdict(100_000, 1, false, 5),
            Verdict::Ok {
                weight: Some(65535)
            }
        );
        assert!(!verdict(-65536, 1, false, 5).is_ok());
        assert!(!verdict(65536, 1, true, 5).is_ok());
    }
}
