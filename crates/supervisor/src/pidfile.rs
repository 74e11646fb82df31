//! Pid files (keepalived §1.5): the parent refuses to start while a live process holds one,
//! writes its own and each child's, and removes them on stop; used by [`crate::run_parent`].
//!
//! Files are replaced atomically (write a temporary file, rename), so a reader never sees
//! an empty or half-written pid.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use nix::errno::Errno;
use nix::sys::signal::kill;
use nix::unistd::Pid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PidFile {
    path: PathBuf,
}

impl PidFile {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        PidFile { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The pid written in the file, if it holds one.
    pub fn read(&self) -> Option<Pid> {
        let text = std::fs::read_to_string(&self.path).ok()?;
        let pid: i32 = text.trim().parse().ok()?;
        (pid > 0).then(|| Pid::from_raw(pid))
    }

    /// The live process named by the file, other than this one (keepalived's
    /// `process_running`: `kill(pid, 0)`; EPERM means it exists under another user).
    pub fn holder(&self) -> Option<Pid> {
        let pid = self.read()?;
        if pid == nix::unistd::getpid() {
            return None;
        }
        match kill(pid, None) {
            Ok(()) | Err(Errno::EPERM) => Some(pid),
            Err(_) => None,
        }
    }

    /// Writes `pid` followed by a newline, replacing the file atomically.
    pub fn write(&self, pid: Pid) -> io::Result<()> {
        let mut tmp = self.path.clone().into_os_string();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        let mut f = std::fs::File::create(&tmp)?;
        writeln!(f, "{pid}")?;
        drop(f);
        std::fs::rename(&tmp, &self.path).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    }

    /// Removes the file if it still names `pid` (a newer daemon may have taken it over).
    pub fn remove_if(&self, pid: Pid) {
        if self.read() == Some(pid) {
            let _ = std::fs::remove_file(&self.path);
        }
    }

    /// Removes the file whatever it holds.
    pub fn remove(&self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_read_remove() {
        let dir = tempfile::tempdir().unwrap();
        let f = PidFile::new(dir.path().join("k.pid"));
        assert_eq!(f.read(), None);
        f.write(Pid::from_raw(4242)).unwrap();
        assert_eq!(
            std::fs::read_to_string(f.path()).unwrap(),
            "4242\n",
            "keepalived's format"
        );
        assert_eq!(f.read(), Some(Pid::from_raw(4242)));
        f.remove_if(Pid::from_raw(1));
        assert!(f.path().exists(), "not ours: kept");
        f.remove_if(Pid::from_raw(4242));
        assert!(!f.path().exists());
    }

    #[test]
    fn holder_is_a_live_other_process() {
        let dir = tempfile::tempdir().unwrap();
        let f = PidFile::new(dir.path().join("k.pid"));
        // Our own pid is not "another daemon".
        f.write(nix::unistd::getpid()).unwrap();
        assert_eq!(f.holder(), None);
        // A live process (our parent, the test runner's parent) is.
        let parent = nix::unistd::getppid();
        f.write(parent).unwrap();
        assert_eq!(f.holder(), Some(parent));
        // A reaped child is not.
        let mut c = std::process::Command::new("true").spawn().unwrap();
        let pid = Pid::from_raw(i32::try_from(c.id()).unwrap());
        c.wait().unwrap();
        f.write(pid).unwrap();
        assert_eq!(f.holder(), None);
        std::fs::write(f.path(), "garbage\n").unwrap();
        assert_eq!(f.holder(), None);
        std::fs::write(f.path(), "-1\n").unwrap();
        assert_eq!(f.holder(), None);
    }
}
