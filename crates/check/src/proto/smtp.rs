//! SMTP_CHECK dialog: read the `220` greeting, send `HELO helo_name`, expect `250`, send
//! `QUIT` (RFC 5321 §4.2 replies, §4.1.1.1 HELO, §4.1.1.10 QUIT). Used by `runner`.
//!
//! Reply lines are held in a bounded buffer (RFC 5321 §4.5.3.1.5: 512 octets per reply
//! line); anything longer is a failed check, not a growing buffer.

use super::{Step, StreamDialog};
use crate::schedule::Verdict;

pub const MAX_LINE: usize = 512;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Greeting,
    Helo,
    Done,
}

#[derive(Debug)]
pub struct SmtpDialog {
    helo_name: String,
    phase: Phase,
    line: Vec<u8>,
}

impl SmtpDialog {
    pub fn new(helo_name: impl Into<String>) -> SmtpDialog {
        SmtpDialog {
            helo_name: helo_name.into(),
            phase: Phase::Greeting,
            line: Vec::new(),
        }
    }

    /// One complete reply line: `Some` when the reply (possibly multi-line) is final.
    fn on_line(&mut self, line: &[u8], out: &mut Vec<u8>) -> Option<Step> {
        let text = String::from_utf8_lossy(line);
        let code: Option<u16> = text.get(..3).and_then(|c| c.parse().ok());
        let Some(code) = code else {
            return Some(Step::Done(Verdict::fail(format!(
                "not an SMTP reply: {:?}",
                text.chars().take(64).collect::<String>()
            ))));
        };
        // "250-..." continues a multi-line reply; "250 ..." or "250" ends it.
        if text.as_bytes().get(3) == Some(&b'-') {
            return None;
        }
        match (self.phase, code) {
            (Phase::Greeting, 220) => {
                out.extend_from_slice(format!("HELO {}\r\n", self.helo_name).as_bytes());
                self.phase = Phase::Helo;
                Some(Step::Continue)
            }
            (Phase::Helo, 250) => {
                out.extend_from_slice(b"QUIT\r\n");
                self.phase = Phase::Done;
                Some(Step::Done(Verdict::ok()))
            }
            (Phase::Greeting, c) => Some(Step::Done(Verdict::fail(format!(
                "SMTP greeting {c}, want 220"
            )))),
            (_, c) => Some(Step::Done(Verdict::fail(format!(
                "SMTP HELO reply {c}, want 250"
            )))),
        }
    }
}

impl StreamDialog for SmtpDialog {
    fn on_connected(&mut self, _out: &mut Vec<u8>) -> Step {
        Step::Continue
    }

    fn on_data(&mut self, data: &[u8], out: &mut Vec<u8>) -> Step {
        for &b in data {
            if self.phase == Phase::Done {
                return Step::Continue;
            }
            if b == b'\n' {
                let mut line = std::mem::take(&mut self.line);
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                match self.on_line(&line, out) {
                    Some(Step::Done(v)) => return Step::Done(v),
                    Some(Step::Continue) | None => {}
                }
                continue;
            }
            if self.line.len() >= MAX_LINE {
                self.phase = Phase::Done;
                return Step::Done(Verdict::fail(format!(
                    "SMTP reply line longer than {MAX_LINE} bytes"
                )));
            }
            self.line.push(b);
        }
        Step::Continue
    }

    fn on_eof(&mut self) -> Verdict {
        Verdict::fail(match self.phase {
            Phase::Greeting => "SMTP server closed before its greeting",
            _ => "SMTP server closed before answering HELO",
        })
    }

    fn buffered(&self) -> usize {
        self.line.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greeting_helo_quit() {
        let mut d = SmtpDialog::new("lb.example");
        let mut out = Vec::new();
        assert_eq!(
            d.on_data(b"220-first\r\n220 mx ESMTP\r", &mut out),
            Step::Continue
        );
        assert!(out.is_empty());
        assert_eq!(d.on_data(b"\n", &mut out), Step::Continue);
        assert_eq!(out, b"HELO lb.example\r\n");
        out.clear();
        assert_eq!(
            d.on_data(b"250 hi\r\n", &mut out),
            Step::Done(Verdict::ok())
        );
        assert_eq!(out, b"QUIT\r\n");
    }

    #[test]
    fn wrong_codes_garbage_and_long_lines_fail() {
        let mut out = Vec::new();
        let mut d = SmtpDialog::new("x");
        assert!(matches!(
            d.on_data(b"554 go away\r\n", &mut out),
            Step::Done(Verdict::Fail(_))
        ));
        let mut d = SmtpDialog::new("x");
        assert!(matches!(
            d.on_data(b"HTTP/1.1 400\r\n", &mut out),
            Step::Done(Verdict::Fail(_))
        ));
        let mut d = SmtpDialog::new("x");
        let junk = vec![b'2'; 4096];
        assert!(matches!(
            d.on_data(&junk, &mut out),
            Step::Done(Verdict::Fail(_))
        ));
        assert!(d.buffered() <= 2 * MAX_LINE);
    }
}
