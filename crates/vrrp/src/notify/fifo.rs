//! A notify FIFO (`notify_fifo`, `vrrp_notify_fifo`) as keepalived opens it: created with
//! mode 0644 if missing (and removed again on close only if we created it), opened
//! read-write and non-blocking, so a missing reader never blocks or fails a write, and a
//! stalled reader costs a dropped line (counted), never a stalled VRRP loop. Opened by the
//! VRRP child's notify glue ([`crate::daemon`]).

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use nix::sys::stat::Mode;
use nix::unistd::{chown, mkfifo, Group, User};

/// One open FIFO.
#[derive(Debug)]
pub struct NotifyFifo {
    path: PathBuf,
    file: Option<File>,
    created: bool,
    /// Lines written whole.
    pub written: u64,
    /// Lines dropped because the FIFO was full (the reader is slow or stalled).
    pub dropped: u64,
}

/// Opening failed; the message names the step.
#[derive(Debug, thiserror::Error)]
pub enum FifoError {
    #[error("creating notify FIFO {path}: {source}")]
    Create { path: String, source: nix::Error },
    #[error("{path} exists and is not a FIFO")]
    NotFifo { path: String },
    #[error("opening notify FIFO {path}: {source}")]
    Open { path: String, source: io::Error },
}

impl NotifyFifo {
    /// Creates `path` if missing (owned by `owner` = `[user [group]]` when given), then
    /// opens it.
    pub fn open(path: &Path, owner: &[String]) -> Result<NotifyFifo, FifoError> {
        let shown = path.display().to_string();
        let mut created = false;
        match mkfifo(path, Mode::from_bits_truncate(0o644)) {
            Ok(()) => {
                created = true;
                set_owner(path, owner);
            }
            Err(nix::Error::EEXIST) => {
                let is_fifo = std::fs::symlink_metadata(path)
                    .map(|m| m.file_type().is_fifo())
                    .unwrap_or(false);
                if !is_fifo {
                    return Err(FifoError::NotFifo { path: shown });
                }
            }
            Err(e) => {
                return Err(FifoError::Create {
                    path: shown,
                    source: e,
                })
            }
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
            .open(path)
            .map_err(|e| {
                if created {
                    let _ = std::fs::remove_file(path);
                }
                FifoError::Open {
                    path: shown,
                    source: e,
                }
            })?;
        Ok(NotifyFifo {
            path: path.to_path_buf(),
            file: Some(file),
            created,
            written: 0,
            dropped: 0,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes one line (shorter than PIPE_BUF, so all or nothing). Returns whether it was
    /// written; a full FIFO drops the line.
    pub fn write_line(&mut self, line: &str) -> bool {
        let Some(f) = self.file.as_mut() else {
            return false;
        };
        loop {
            match f.write(line.as_bytes()) {
                Ok(n) if n == line.len() => {
                    self.written += 1;
                    return true;
                }
                // A partial write only happens past PIPE_BUF; the rest is lost.
                Ok(_) => {
                    self.dropped += 1;
                    return false;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => {
                    self.dropped += 1;
                    return false;
                }
            }
        }
    }

    /// Closes the write end (a reader sees end of file once it has read what is
    /// buffered) and removes the FIFO if we created it.
    pub fn close(&mut self) {
        if self.created {
            // Unlinked first, so a reader that reopens in a loop cannot find it again.
            let _ = std::fs::remove_file(&self.path);
            self.created = false;
        }
        self.file = None;
    }
}

impl Drop for NotifyFifo {
    fn drop(&mut self) {
        self.close();
    }
}

fn set_owner(path: &Path, owner: &[String]) {
    let Some(user) = owner.first() else {
        return;
    };
    let uid = User::from_name(user).ok().flatten().map(|u| (u.uid, u.gid));
    let gid = owner
        .get(1)
        .and_then(|g| Group::from_name(g).ok().flatten())
        .map(|g| g.gid);
    match uid {
        Some((u, primary)) => {
            if let Err(e) = chown(path, Some(u), Some(gid.unwrap_or(primary))) {
                log::warn!("setting the owner of notify FIFO {}: {e}", path.display());
            }
        }
        None => log::warn!(
            "notify FIFO {}: unknown user {user}; left owned by root",
            path.display()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn creates_writes_and_removes_what_it_created() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("f");
        let mut f = NotifyFifo::open(&p, &[]).expect("open");
        assert!(std::fs::symlink_metadata(&p)
            .expect("stat")
            .file_type()
            .is_fifo());
        let mut r = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(&p)
            .expect("reader");
        assert!(f.write_line("INSTANCE \"VI_1\" MASTER 100\n"));
        let mut buf = [0u8; 64];
        let n = r.read(&mut buf).expect("read");
        assert_eq!(&buf[..n], b"INSTANCE \"VI_1\" MASTER 100\n");
        f.close();
        assert!(!p.exists(), "a FIFO we created is removed on close");
    }

    #[test]
    fn an_existing_fifo_is_kept_and_a_regular_file_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("f");
        mkfifo(&p, Mode::from_bits_truncate(0o600)).expect("mkfifo");
        drop(NotifyFifo::open(&p, &[]).expect("open"));
        assert!(p.exists(), "someone else's FIFO stays");
        let q = dir.path().join("plain");
        std::fs::write(&q, "x").expect("write");
        assert!(matches!(
            NotifyFifo::open(&q, &[]),
            Err(FifoError::NotFifo { .. })
        ));
    }

    #[test]
    fn a_stalled_reader_drops_lines_without_blocking() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("f");
        let mut f = NotifyFifo::open(&p, &[]).expect("open");
        let line = "INSTANCE \"VI_1\" MASTER 100\n";
        let t0 = std::time::Instant::now();
        // Nobody reads: the pipe buffer (64 KiB by default) fills, then lines drop.
        for _ in 0..10_000 {
            f.write_line(line);
        }
        assert!(t0.elapsed() < std::time::Duration::from_secs(2));
        assert!(f.dropped > 0, "{} written", f.written);
        assert_eq!(f.written + f.dropped, 10_000);
    }
}
