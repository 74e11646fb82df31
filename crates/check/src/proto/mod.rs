//! Sans-IO dialogs of the checkers: each turns the bytes a server sends into a
//! [`Verdict`](crate::schedule::Verdict) and says what to send back. The `runner` moves
//! the bytes; tests feed them directly.

pub mod body_regex;
pub mod dns;
pub mod http;
pub mod icmp;
pub mod smtp;
pub mod udp;

use crate::schedule::Verdict;

/// What a stream dialog wants after an input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Keep reading (after writing whatever was appended to `out`).
    Continue,
    /// The attempt is over (write what was appended to `out` first, best effort).
    Done(Verdict),
}

/// A dialog over a connected stream (TCP, or TLS on top of it).
pub trait StreamDialog: std::fmt::Debug {
    /// The connection is established; append the first bytes to send to `out`.
    fn on_connected(&mut self, out: &mut Vec<u8>) -> Step;
    /// The server sent `data`.
    fn on_data(&mut self, data: &[u8], out: &mut Vec<u8>) -> Step;
    /// The server closed its side.
    fn on_eof(&mut self) -> Verdict;
    /// Bytes held by the dialog (for the bounded-memory guarantee and its tests).
    fn buffered(&self) -> usize;
}

/// TCP_CHECK: a completed connect is the whole check.
#[derive(Debug, Default)]
pub struct ConnectOnly;

impl StreamDialog for ConnectOnly {
    fn on_connected(&mut self, _out: &mut Vec<u8>) -> Step {
        Step::Done(Verdict::ok())
    }
    fn on_data(&mut self, _data: &[u8], _out: &mut Vec<u8>) -> Step {
        Step::Done(Verdict::ok())
    }
    fn on_eof(&mut self) -> Verdict {
        Verdict::ok()
    }
    fn buffered(&self) -> usize {
        0
    }
}

/// A dialog over a connected datagram socket (UDP_CHECK, DNS_CHECK, PING_CHECK).
pub trait DatagramDialog: std::fmt::Debug {
    /// The datagram to send.
    fn request(&mut self) -> Vec<u8>;
    /// A datagram arrived; `None` means "not ours, keep waiting".
    fn on_datagram(&mut self, data: &[u8]) -> Option<Verdict>;
    /// Nothing conclusive arrived before the timeout.
    fn on_timeout(&self) -> Verdict;
}
