//! HTTP_GET / SSL_GET dialog for one `url { }`: builds keepalived's request, parses the
//! status line and headers in a bounded buffer, and streams the body into MD5 when a
//! `digest` is required (the body itself is never kept). Used by `runner` over TCP or TLS.
//!
//! RFC 9112 §4 (status line), §6.3 (message body length: Content-Length, else until the
//! server closes). `Transfer-Encoding: chunked` is not decoded: such a body is hashed as
//! received, framing included (servers do not chunk for the default HTTP/1.0 request;
//! whether keepalived decodes chunks for `http_protocol 1.1` is still to be compared).

use md5::{Digest, Md5};

use super::{Step, StreamDialog};
use crate::schedule::Verdict;
use keepalived_config::model::check::{HttpProtocol, StatusRange};

use super::body_regex::BodyRegex;

/// The most header bytes we hold; a server sending more without the blank line fails.
pub const MAX_HEAD: usize = 16 * 1024;

/// What one URL check requires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlSpec {
    pub path: String,
    /// Lower-case hex MD5 of the body, if required.
    pub digest: Option<String>,
    /// Empty = 200-299.
    pub status_codes: Vec<StatusRange>,
    /// The `Host:` value (virtualhost, else the address), with `:port` already appended
    /// where it is not the scheme's default.
    pub host: String,
    pub protocol: HttpProtocol,
    /// `regex` and its settings (crate::proto::body_regex), if any.
    pub regex: Option<BodyRegex>,
}

impl UrlSpec {
    pub fn status_ok(&self, code: u16) -> bool {
        if self.status_codes.is_empty() {
            return (200..=299).contains(&code);
        }
        self.status_codes
            .iter()
            .any(|r| (r.first..=r.last).contains(&code))
    }

    /// keepalived's request (`check_http.c`, REQUEST_TEMPLATE and its 1.1 variant).
    pub fn request(&self) -> Vec<u8> {
        let path = if self.path.is_empty() {
            "/"
        } else {
            &self.path
        };
        let (ver, close) = match self.protocol {
            HttpProtocol::Http10 => ("1.0", false),
            HttpProtocol::Http10C => ("1.0", true),
            HttpProtocol::Http11 => ("1.1", true),
        };
        let mut r = format!(
            "GET {path} HTTP/{ver}\r\nUser-Agent: KeepAliveClient\r\nHost: {}\r\n",
            self.host
        );
        if close {
            r.push_str("Connection: close\r\n");
        }
        r.push_str("\r\n");
        r.into_bytes()
    }
}

#[derive(Debug)]
enum State {
    Head(Vec<u8>),
    Body {
        md5: Md5,
        /// Content-Length, if the server sent one.
        length: Option<u64>,
        received: u64,
    },
    Done,
}

#[derive(Debug)]
pub struct HttpDialog {
    url: UrlSpec,
    state: State,
    status: Option<u16>,
    /// Hash the body even without a required digest (genhash).
    always_hash: bool,
    computed: Option<String>,
    body_len: u64,
    /// The body's first bytes, kept for `regex`.
    kept: Vec<u8>,
}

impl HttpDialog {
    pub fn new(url: UrlSpec) -> HttpDialog {
        HttpDialog {
            url,
            state: State::Head(Vec::new()),
            status: None,
            always_hash: false,
            computed: None,
            body_len: 0,
            kept: Vec::new(),
        }
    }

    /// A dialog that reads and hashes the whole body whatever the status (genhash).
    pub fn hashing(mut url: UrlSpec) -> HttpDialog {
        url.digest = None;
        url.status_codes = vec![StatusRange {
            first: 100,
            last: 999,
        }];
        HttpDialog {
            always_hash: true,
            ..HttpDialog::new(url)
        }
    }

    /// The MD5 hex of the body, once the body has ended.
    pub fn computed_digest(&self) -> Option<&str> {
        self.computed.as_deref()
    }

    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// Body bytes seen so far (0 before the headers end).
    pub fn body_received(&self) -> u64 {
        match &self.state {
            State::Body { received, .. } => *received,
            _ => self.body_len,
        }
    }

    fn finish_body(&mut self) -> Verdict {
        let state = std::mem::replace(&mut self.state, State::Done);
        let State::Body {
            md5,
            length,
            received,
        } = state
        else {
            return Verdict::fail("HTTP response ended before its headers");
        };
        if let Some(len) = length {
            if received < len {
                return Verdict::fail(format!(
                    "HTTP body shorter than Content-Length ({received} < {len})"
                ));
            }
        }
        let got = hex(&md5.finalize());
        self.computed = Some(got.clone());
        self.body_len = received;
        if let Some(want) = &self.url.digest {
            if !want.eq_ignore_ascii_case(&got) {
                return Verdict::fail(format!(
                    "MD5 digest mismatch for {}: got {got}, want {want}",
                    self.url.path
                ));
            }
        }
        if let Some(re) = &self.url.regex {
            if let Err(why) = re.judge(&self.kept) {
                return Verdict::fail(format!("{why} for {}", self.url.path));
            }
        }
        Verdict::ok()
    }

    /// Parses the head once complete; returns the verdict if the check ends here, and
    /// the body bytes that followed the head.
    fn parse_head(&mut self, head: &[u8]) -> Result<Option<u64>, Verdict> {
        let text = String::from_utf8_lossy(head);
        let mut lines = text.split("\r\n");
        let status_line = lines.next().unwrap_or("");
        let mut parts = status_line.splitn(3, ' ');
        let version = parts.next().unwrap_or("");
        if !version.starts_with("HTTP/") {
            return Err(Verdict::fail(format!(
                "not an HTTP status line: {:?}",
                truncate(status_line, 64)
            )));
        }
        let code: u16 = match parts.next().and_then(|c| c.trim().parse().ok()) {
            Some(c) if (100..=999).contains(&c) => c,
            _ => {
                return Err(Verdict::fail(format!(
                    "bad HTTP status line: {:?}",
                    truncate(status_line, 64)
                )))
            }
        };
        self.status = Some(code);
        if !self.url.status_ok(code) {
            return Err(Verdict::fail(format!(
                "HTTP status code {code} for {}",
                self.url.path
            )));
        }
        let mut length = None;
        for line in lines {
            if let Some((name, value)) = line.split_once(':') {
                if name.trim().eq_ignore_ascii_case("content-length") {
                    match value.trim().parse::<u64>() {
                        Ok(n) => length = Some(n),
                        Err(_) => return Err(Verdict::fail("bad Content-Length")),
                    }
                }
            }
        }
        Ok(length)
    }

    fn feed_body(&mut self, data: &[u8]) -> Step {
        if let State::Body {
            md5,
            length,
            received,
        } = &mut self.state
        {
            let take = match length {
                Some(len) => (*len - *received).min(data.len() as u64) as usize,
                None => data.len(),
            };
            md5.update(&data[..take]);
            *received += take as u64;
            if let Some(re) = &self.url.regex {
                let room = re.cap().saturating_sub(self.kept.len());
                self.kept.extend_from_slice(&data[..take.min(room)]);
            }
            if length.is_some_and(|len| *received >= len) {
                return Step::Done(self.finish_body());
            }
        }
        Step::Continue
    }
}

impl StreamDialog for HttpDialog {
    fn on_connected(&mut self, out: &mut Vec<u8>) -> Step {
        out.extend_from_slice(&self.url.request());
        Step::Continue
    }

    fn on_data(&mut self, data: &[u8], _out: &mut Vec<u8>) -> Step {
        match &mut self.state {
            State::Done => Step::Continue,
            State::Body { .. } => self.feed_body(data),
            State::Head(buf) => {
                // Only the bytes that can still belong to the head are copied; the rest
                // is body and goes straight to MD5.
                let room = MAX_HEAD.saturating_sub(buf.len());
                let take = data.len().min(room);
                let scan_from = buf.len().saturating_sub(3);
                buf.extend_from_slice(&data[..take]);
                let Some(end) = find(&buf[scan_from..], b"\r\n\r\n").map(|i| scan_from + i + 4)
                else {
                    if buf.len() >= MAX_HEAD {
                        self.state = State::Done;
                        return Step::Done(Verdict::fail(format!(
                            "HTTP headers longer than {MAX_HEAD} bytes"
                        )));
                    }
                    return Step::Continue;
                };
                let head = std::mem::take(buf);
                // Bytes of `data` past the head: those already copied past `end`, then
                // the uncopied tail.
                let copied_body = head.len() - end;
                let tail_start = take - copied_body;
                match self.parse_head(&head[..end]) {
                    Err(v) => {
                        self.state = State::Done;
                        Step::Done(v)
                    }
                    Ok(_)
                        if self.url.digest.is_none()
                            && self.url.regex.is_none()
                            && !self.always_hash =>
                    {
                        // Status is all that is required: no need to read the body.
                        self.state = State::Done;
                        Step::Done(Verdict::ok())
                    }
                    Ok(length) => {
                        self.state = State::Body {
                            md5: Md5::new(),
                            length,
                            received: 0,
                        };
                        if length == Some(0) {
                            return Step::Done(self.finish_body());
                        }
                        self.feed_body(&data[tail_start..])
                    }
                }
            }
        }
    }

    fn on_eof(&mut self) -> Verdict {
        match &self.state {
            State::Head(b) if b.is_empty() => Verdict::fail("connection closed without a response"),
            State::Head(_) => Verdict::fail("HTTP response ended before its headers"),
            State::Body { .. } => self.finish_body(),
            State::Done => Verdict::fail("HTTP response already judged"),
        }
    }

    fn buffered(&self) -> usize {
        let head = match &self.state {
            State::Head(b) => b.capacity(),
            _ => 0,
        };
        head + self.kept.capacity()
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn truncate(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// MD5 hex of `data` (for tests and genhash).
pub fn md5_hex(data: &[u8]) -> String {
    hex(&Md5::digest(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(digest: Option<&str>) -> UrlSpec {
        UrlSpec {
            path: "/x".into(),
            digest: digest.map(str::to_string),
            status_codes: vec![],
            host: "h:8080".into(),
            protocol: HttpProtocol::Http11,
            regex: None,
        }
    }

    fn run(d: &mut HttpDialog, chunks: &[&[u8]]) -> Option<Verdict> {
        let mut out = Vec::new();
        for c in chunks {
            if let Step::Done(v) = d.on_data(c, &mut out) {
                return Some(v);
            }
        }
        None
    }

    #[test]
    fn request_matches_keepalived() {
        let r = String::from_utf8(url(None).request()).unwrap();
        assert_eq!(
            r,
            "GET /x HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\nHost: h:8080\r\nConnection: close\r\n\r\n"
        );
    }

    #[test]
    fn status_only_ends_at_the_head_split_anywhere() {
        let resp = b"HTTP/1.0 200 OK\r\nServer: x\r\n\r\nbody";
        for split in 0..resp.len() {
            let mut d = HttpDialog::new(url(None));
            let v = run(&mut d, &[&resp[..split], &resp[split..]]);
            assert_eq!(v, Some(Verdict::ok()), "split {split}");
        }
        let mut d = HttpDialog::new(url(None));
        let v = run(&mut d, &[b"HTTP/1.1 404 Not Found\r\n\r\n"]).unwrap();
        assert!(!v.is_ok());
    }

    #[test]
    fn digest_with_length_and_until_eof_split_anywhere() {
        let body = b"hello world";
        let want = md5_hex(body);
        let resp = b"HTTP/1.0 200 OK\r\nContent-Length: 11\r\n\r\nhello worldTRAILING";
        for split in 0..resp.len() {
            let mut d = HttpDialog::new(url(Some(&want)));
            assert_eq!(
                run(&mut d, &[&resp[..split], &resp[split..]]),
                Some(Verdict::ok())
            );
        }
        let mut d = HttpDialog::new(url(Some(&want)));
        assert_eq!(
            run(&mut d, &[b"HTTP/1.0 200 OK\r\n\r\nhello ", b"world"]),
            None
        );
        assert_eq!(d.on_eof(), Verdict::ok());
        let mut d = HttpDialog::new(url(Some(&want)));
        assert_eq!(run(&mut d, &[b"HTTP/1.0 200 OK\r\n\r\nhello"]), None);
        assert!(!d.on_eof().is_ok());
    }

    #[test]
    fn garbage_and_endless_headers_fail_with_bounded_buffer() {
        let mut d = HttpDialog::new(url(None));
        let v = run(&mut d, &[b"SSH-2.0-OpenSSH\r\n\r\n"]).unwrap();
        assert!(!v.is_ok());
        let mut d = HttpDialog::new(url(None));
        let junk = vec![b'a'; 4096];
        let mut v = None;
        for _ in 0..100 {
            assert!(d.buffered() <= MAX_HEAD);
            if let Step::Done(x) = d.on_data(&junk, &mut Vec::new()) {
                v = Some(x);
                break;
            }
        }
        assert!(matches!(v, Some(Verdict::Fail(_))));
    }
}
