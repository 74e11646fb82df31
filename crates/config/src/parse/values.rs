//! Readers for keyword arguments with keepalived's rules and messages: numbers with ranges
//! (`number 'X' outside range [MIN, MAX]`), `<BOOL>` (on/off/true/false/yes/no), `<TIMER>`
//! (decimal seconds, microsecond resolution) and IP addresses. Used by every block parser.

use crate::diag::{Diagnostics, ErrorClass};
use crate::tree::Node;
use std::fmt::Display;
use std::net::IpAddr;
use std::time::Duration;

/// The argument at `idx` (0 = first after the keyword). When it is missing, keepalived's
/// handlers stop the whole parse (exit 2, [`ErrorClass::Abort`]); keywords whose handler
/// only warns (e.g. `router_id`) check `node.arg()` themselves instead of calling this.
pub fn arg<'n>(d: &mut Diagnostics, node: &'n Node, idx: usize) -> Option<&'n str> {
    let a = node.arg(idx);
    if a.is_none() {
        d.at(
            ErrorClass::Abort,
            &node.loc,
            format!(
                "Configuration line starting `{}` is missing a parameter after keyword `{}` at word position {}",
                node.words.join(" "),
                node.words.last().map(String::as_str).unwrap_or(""),
                idx + 2
            ),
        );
    }
    a
}

/// Parse an integer in `[min, max]` (decimal; keepalived's `read_int`/`read_unsigned`).
pub fn int_in(d: &mut Diagnostics, node: &Node, idx: usize, min: i64, max: i64) -> Option<i64> {
    let s = arg(d, node, idx)?;
    parse_int_in(d, node, s, min, max)
}

/// keepalived's "number 'X' outside range [MIN, MAX]" error.
fn out_of_range(d: &mut Diagnostics, node: &Node, s: &str, min: impl Display, max: impl Display) {
    d.at(
        ErrorClass::InvalidNumber,
        &node.loc,
        format!(
            "{}: number '{s}' outside range [{min}, {max}]",
            node.keyword()
        ),
    );
}

/// Like [`int_in`] for a string that is not a plain argument (e.g. `weight -20`).
pub fn parse_int_in(d: &mut Diagnostics, node: &Node, s: &str, min: i64, max: i64) -> Option<i64> {
    match s.parse::<i64>() {
        Ok(v) if v >= min && v <= max => Some(v),
        Ok(_) => {
            out_of_range(d, node, s, min, max);
            None
        }
        Err(_) => {
            d.at(
                ErrorClass::InvalidNumber,
                &node.loc,
                format!("{}: invalid number '{s}'", node.keyword()),
            );
            None
        }
    }
}

/// `true`/`false` for keepalived's `<BOOL>` words, `None` otherwise.
pub fn bool_word(s: &str) -> Option<bool> {
    match s.to_ascii_lowercase().as_str() {
        "on" | "true" | "yes" => Some(true),
        "off" | "false" | "no" => Some(false),
        _ => None,
    }
}

/// A flag keyword with an optional `<BOOL>` argument: `keyword` alone means `true`.
pub fn flag(d: &mut Diagnostics, node: &Node) -> bool {
    match node.arg(0) {
        None => true,
        Some(s) => match bool_word(s) {
            Some(b) => b,
            None => {
                d.at(
                    ErrorClass::GeneralError,
                    &node.loc,
                    format!(
                        "{}: invalid boolean '{s}' (on/off/true/false/yes/no)",
                        node.keyword()
                    ),
                );
                true
            }
        },
    }
}

/// `<TIMER>`: seconds as a decimal with microsecond resolution, in `[min, max]` seconds.
pub fn timer(d: &mut Diagnostics, node: &Node, idx: usize, min: f64, max: f64) -> Option<Duration> {
    let s = arg(d, node, idx)?;
    parse_timer(d, node, s, min, max)
}

/// Parse a `<TIMER>` string (see [`timer`]).
pub fn parse_timer(
    d: &mut Diagnostics,
    node: &Node,
    s: &str,
    min: f64,
    max: f64,
) -> Option<Duration> {
    let v: f64 = match s.parse() {
        Ok(v) if f64::is_finite(v) => v,
        _ => {
            d.at(
                ErrorClass::InvalidNumber,
                &node.loc,
                format!("{}: invalid timer '{s}'", node.keyword()),
            );
            return None;
        }
    };
    if v < min || v > max {
        out_of_range(d, node, s, min, max);
        return None;
    }
    Some(Duration::from_micros((v * 1_000_000.0).round() as u64))
}

/// An IPv4 or IPv6 address (no prefix).
pub fn ip(d: &mut Diagnostics, node: &Node, idx: usize) -> Option<IpAddr> {
    let s = arg(d, node, idx)?;
    parse_ip(d, node, s)
}

/// Parse an address string, reporting a GeneralError naming the keyword on failure.
pub fn parse_ip(d: &mut Diagnostics, node: &Node, s: &str) -> Option<IpAddr> {
    match s.parse::<IpAddr>() {
        Ok(a) => Some(a),
        Err(_) => {
            d.at(
                ErrorClass::GeneralError,
                &node.loc,
                format!("{}: invalid address '{s}'", node.keyword()),
            );
            None
        }
    }
}

/// Report a keyword this block does not know (keepalived: non-fatal, line ignored).
pub fn unknown(d: &mut Diagnostics, node: &Node) {
    d.at(
        ErrorClass::UnknownKeyword,
        &node.loc,
        format!("Unknown keyword '{}'", node.keyword()),
    );
}

/// Report a deprecated keyword and the one to use instead.
pub fn deprecated(d: &mut Diagnostics, node: &Node, instead: &str) {
    d.at(
        ErrorClass::Deprecated,
        &node.loc,
        format!("{} is deprecated - please use '{instead}'", node.keyword()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Loc;

    fn node(words: &[&str]) -> Node {
        Node {
            loc: Loc::new("t.conf", 7),
            words: words.iter().map(|s| s.to_string()).collect(),
            block: None,
        }
    }

    #[test]
    fn numbers_and_ranges() {
        let mut d = Diagnostics::new();
        assert_eq!(
            int_in(&mut d, &node(&["priority", "100"]), 0, 1, 255),
            Some(100)
        );
        assert_eq!(int_in(&mut d, &node(&["priority", "300"]), 0, 1, 255), None);
        assert!(d.items[0]
            .msg
            .contains("number '300' outside range [1, 255]"));
        assert_eq!(d.items[0].class, Some(ErrorClass::InvalidNumber));
        assert_eq!(int_in(&mut d, &node(&["priority"]), 0, 1, 255), None);
        assert_eq!(d.items[1].class, Some(ErrorClass::Abort));
        assert_eq!(d.exit_code(), 2);
    }

    #[test]
    fn timers_have_microsecond_resolution() {
        let mut d = Diagnostics::new();
        let t = timer(&mut d, &node(&["advert_int", "0.01"]), 0, 0.0, 40.95);
        assert_eq!(t, Some(Duration::from_micros(10_000)));
        assert_eq!(
            timer(&mut d, &node(&["advert_int", "x"]), 0, 0.0, 1.0),
            None
        );
        assert_eq!(d.exit_code(), 5);
    }

    #[test]
    fn flags_and_bools() {
        let mut d = Diagnostics::new();
        assert!(flag(&mut d, &node(&["nopreempt"])));
        assert!(!flag(&mut d, &node(&["strict_mode", "off"])));
        assert!(flag(&mut d, &node(&["strict_mode", "YES"])));
        assert!(d.items.is_empty());
    }
}
