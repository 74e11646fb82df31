//! keepalived's `genhash` (`keepalived -T`): fetch one URL over HTTP or HTTPS and print
//! the MD5 digest of its body, for writing `digest` lines of HTTP_GET/SSL_GET. Called by
//! the binary's `--genhash` mode.
//!
//! This is a one-shot command-line tool, not part of the checker loop, so it uses
//! blocking sockets with read/write timeouts; it shares the request format, the response
//! parser and the TLS client (no certificate verification, as SSL_GET) with the checkers.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::proto::http::{HttpDialog, UrlSpec};
use crate::proto::{Step, StreamDialog};
use crate::tls::TlsClient;
use crate::Verdict;

/// What genhash prints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenHash {
    pub status: u16,
    pub digest: String,
    pub body_len: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum GenHashError {
    #[error("connect to {addr}")]
    Connect {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("exchange with {addr}")]
    Io {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("TLS with {addr}")]
    Tls {
        addr: SocketAddr,
        #[source]
        source: rustls::Error,
    },
    #[error("response from {addr}: {why}")]
    Response { addr: SocketAddr, why: String },
}

/// Fetches `url` from `addr` (over TLS with `tls`, sending `sni` if given) and returns
/// the status and the body's MD5.
pub fn genhash(
    addr: SocketAddr,
    tls: bool,
    sni: Option<&str>,
    url: UrlSpec,
    timeout: Duration,
) -> Result<GenHash, GenHashError> {
    let io = |source| GenHashError::Io { addr, source };
    let sock = TcpStream::connect_timeout(&addr, timeout)
        .map_err(|source| GenHashError::Connect { addr, source })?;
    sock.set_read_timeout(Some(timeout)).map_err(io)?;
    sock.set_write_timeout(Some(timeout)).map_err(io)?;
    let mut dialog = HttpDialog::hashing(url);
    let mut stream: Box<dyn ReadWrite> = if tls {
        let client = TlsClient::new().map_err(|source| GenHashError::Tls { addr, source })?;
        let conn = client
            .connect(addr.ip(), sni)
            .map_err(|source| GenHashError::Tls { addr, source })?;
        Box::new(rustls::StreamOwned::new(conn, sock))
    } else {
        Box::new(sock)
    };
    let mut out = Vec::new();
    dialog.on_connected(&mut out);
    stream.write_all(&out).map_err(io)?;
    let mut buf = vec![0u8; 16 * 1024];
    let verdict = loop {
        match stream.read(&mut buf) {
            Ok(0) => break dialog.on_eof(),
            Ok(n) => {
                if let Step::Done(v) = dialog.on_data(&buf[..n], &mut Vec::new()) {
                    break v;
                }
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            // A TLS server that closes without close_notify ends the body too.
            Err(e) if e.kind() == ErrorKind::UnexpectedEof => break dialog.on_eof(),
            Err(e) => return Err(io(e)),
        }
    };
    let body_len = dialog.body_received();
    match (verdict, dialog.status(), dialog.computed_digest()) {
        (Verdict::Ok { .. }, Some(status), Some(d)) => Ok(GenHash {
            status,
            digest: d.to_string(),
            body_len,
        }),
        (Verdict::Fail(why), _, _) => Err(GenHashError::Response { addr, why }),
        _ => Err(GenHashError::Response {
            addr,
            why: "no body".into(),
        }),
    }
}

trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}
