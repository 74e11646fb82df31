//! Edge-triggered discipline helpers: read until `WouldBlock`, retry `EINTR`; used by
//! [`crate::Signals`] and by every loop that reads a stream fd.

use std::io::{self, ErrorKind, Read};

/// Why [`drain_read`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drained {
    /// Nothing more to read for now; mio will report the next edge.
    WouldBlock,
    /// End of stream: the writer is gone.
    Closed,
}

/// Runs `op` again for as long as it fails with `EINTR`.
pub fn retry_eintr<T>(mut op: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    loop {
        match op() {
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// Reads `r` until it would block or ends, handing every chunk to `on_data`. With
/// edge-triggered readiness, stopping before `WouldBlock` loses the rest until the next
/// edge, which may never come.
pub fn drain_read<R: Read + ?Sized>(
    r: &mut R,
    buf: &mut [u8],
    mut on_data: impl FnMut(&[u8]),
) -> io::Result<Drained> {
    loop {
        match retry_eintr(|| r.read(buf)) {
            Ok(0) => return Ok(Drained::Closed),
            Ok(n) => on_data(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(Drained::WouldBlock),
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::os::unix::net::UnixStream;

    #[test]
    fn drains_everything_then_reports_would_block_then_closed() {
        let (mut a, mut b) = UnixStream::pair().unwrap();
        b.set_nonblocking(true).unwrap();
        a.write_all(&[7u8; 10_000]).unwrap();
        let mut total = 0;
        let mut buf = [0u8; 512];
        assert_eq!(
            drain_read(&mut b, &mut buf, |d| total += d.len()).unwrap(),
            Drained::WouldBlock
        );
        assert_eq!(total, 10_000);
        // shutdown, not drop: another test in this process may fork while `a` is open,
        // and the child's inherited copy would keep the stream from ending.
        a.shutdown(std::net::Shutdown::Write).unwrap();
        assert_eq!(
            drain_read(&mut b, &mut buf, |_| ()).unwrap(),
            Drained::Closed
        );
    }

    #[test]
    fn retries_interrupted() {
        let mut n = 0;
        let r = retry_eintr(|| {
            n += 1;
            if n < 3 {
                Err(io::Error::from(ErrorKind::Interrupted))
            } else {
                Ok(n)
            }
        });
        assert_eq!(r.unwrap(), 3);
    }
}
