//! Global LVS settings the checker child acts on besides the table itself: `lvs_timeouts`
//! (read from the validated `global_defs` words, set with IPVS SET_CONFIG) and the notify
//! FIFOs (`lvs_notify_fifo` and the global `notify_fifo`, with `lvs_notify_fifo_script`)
//! carrying keepalived's `VS ... UP|DOWN` and `RS ... UP|DOWN` lines. Called by `daemon`.

use std::fs::File;
use std::io::{ErrorKind, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use keepalived_config::model::global::{Fifo, GlobalDefs};
use keepalived_ipvs::model::Timeouts;
use log::{info, warn};
use nix::fcntl::OFlag;
use nix::sys::stat::Mode;

/// `lvs_timeouts tcp N tcpfin N udp N` (any subset); `None` when not configured. The
/// parser has validated the words; anything else is ignored here.
pub fn timeouts(g: &GlobalDefs) -> Option<Timeouts> {
    let words = g.other.get("lvs_timeouts")?;
    let mut t = Timeouts::default();
    for pair in words.chunks(2) {
        let [k, v] = pair else { continue };
        let Ok(n) = v.parse::<u32>() else { continue };
        match k.as_str() {
            "tcp" => t.tcp = n,
            "tcpfin" => t.tcp_fin = n,
            "udp" => t.udp = n,
            _ => {}
        }
    }
    Some(t)
}

/// keepalived's FIFO line for a virtual server's quorum state.
pub fn vs_line(vs: &str, up: bool) -> String {
    format!("VS {vs} {}\n", if up { "UP" } else { "DOWN" })
}

/// keepalived's FIFO line for a real server's state.
pub fn rs_line(rs: &str, vs: &str, up: bool) -> String {
    format!("RS {rs} {vs} {}\n", if up { "UP" } else { "DOWN" })
}

#[derive(Debug)]
struct Open {
    path: String,
    file: File,
    /// We made the FIFO: removed again when we stop.
    created: bool,
}

/// The FIFOs the checker writes to, and the `lvs_notify_fifo_script` reading ours.
#[derive(Debug, Default)]
pub struct NotifyFifos {
    open: Vec<Open>,
    script: Option<Child>,
    /// Lines lost because a FIFO was full (nobody reading) or failed.
    pub dropped: u64,
}

impl NotifyFifos {
    /// Opens the global `notify_fifo` and `lvs_notify_fifo` as keepalived does: created
    /// (mode 0644) when missing, the script started with the FIFO's path as its last
    /// argument, then opened read-write and non-blocking so that writing never waits for
    /// a reader. Failures are logged; that FIFO is then not used. The global FIFO's script
    /// belongs to whichever process runs it for the VRRP side: only ours is started here.
    pub fn open(g: &GlobalDefs) -> NotifyFifos {
        let mut me = NotifyFifos::default();
        for (fifo, kind, run_script) in [
            (&g.notify_fifo, "", false),
            (&g.lvs_notify_fifo, "lvs_", true),
        ] {
            let Some(path) = fifo.path.clone() else {
                continue;
            };
            if me.open.iter().any(|o| o.path == path) {
                continue;
            }
            match open_fifo(&path) {
                Ok((file, created)) => {
                    if run_script {
                        me.script = start_script(fifo, &path);
                    }
                    info!("{kind}notify fifo {path} open");
                    me.open.push(Open {
                        path,
                        file,
                        created,
                    });
                }
                Err(e) => warn!("Unable to open {kind}notify fifo {path}: {e}"),
            }
        }
        me
    }

    pub fn is_empty(&self) -> bool {
        self.open.is_empty()
    }

    pub fn vs(&mut self, vs: &str, up: bool) {
        self.write(&vs_line(vs, up));
    }

    pub fn rs(&mut self, rs: &str, vs: &str, up: bool) {
        self.write(&rs_line(rs, vs, up));
    }

    fn write(&mut self, line: &str) {
        for o in &mut self.open {
            match o.file.write(line.as_bytes()) {
                Ok(n) if n == line.len() => {}
                Ok(_) => self.dropped += 1,
                Err(e) if e.kind() == ErrorKind::WouldBlock => self.dropped += 1,
                Err(e) => {
                    self.dropped += 1;
                    warn!("writing to notify fifo {}: {e}", o.path);
                }
            }
        }
    }

    /// Stops the script and removes the FIFOs we created (keepalived's notify_fifo_close).
    pub fn close(&mut self) {
        if let Some(mut c) = self.script.take() {
            if let Ok(pid) = i32::try_from(c.id()) {
                let _ = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(pid),
                    nix::sys::signal::Signal::SIGTERM,
                );
            }
            let _ = c.try_wait();
        }
        for o in self.open.drain(..) {
            if o.created {
                let _ = std::fs::remove_file(&o.path);
            }
        }
    }
}

fn open_fifo(path: &str) -> std::io::Result<(File, bool)> {
    let created = match nix::unistd::mkfifo(
        Path::new(path),
        Mode::S_IRUSR | Mode::S_IWUSR | Mode::S_IRGRP | Mode::S_IROTH,
    ) {
        Ok(()) => true,
        Err(nix::errno::Errno::EEXIST) => false,
        Err(e) => return Err(e.into()),
    };
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags((OFlag::O_NONBLOCK | OFlag::O_NOFOLLOW).bits())
        .open(path);
    match file {
        Ok(f) => Ok((f, created)),
        Err(e) => {
            if created {
                let _ = std::fs::remove_file(path);
            }
            Err(e)
        }
    }
}

fn start_script(fifo: &Fifo, path: &str) -> Option<Child> {
    let s = fifo.script.as_ref()?;
    let (prog, args) = s.args.split_first()?;
    match Command::new(prog)
        .args(args)
        .arg(path)
        .stdin(Stdio::null())
        .spawn()
    {
        Ok(c) => Some(c),
        Err(e) => {
            warn!("running lvs_notify_fifo_script {}: {e}", s.cmd);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn lines_like_keepalived() {
        assert_eq!(
            vs_line("[192.0.2.10]:tcp:80", true),
            "VS [192.0.2.10]:tcp:80 UP\n"
        );
        assert_eq!(
            rs_line("[198.51.100.2]:tcp:80", "[192.0.2.10]:tcp:80", false),
            "RS [198.51.100.2]:tcp:80 [192.0.2.10]:tcp:80 DOWN\n"
        );
    }

    #[test]
    fn timeouts_from_the_validated_words() {
        let mut g = GlobalDefs::default();
        assert_eq!(timeouts(&g), None);
        g.other.insert(
            "lvs_timeouts".into(),
            ["tcp", "900", "udp", "30"].map(String::from).to_vec(),
        );
        assert_eq!(
            timeouts(&g),
            Some(Timeouts {
                tcp: 900,
                tcp_fin: 0,
                udp: 30
            })
        );
        g.other.insert(
            "lvs_timeouts".into(),
            ["tcpfin", "120"].map(String::from).to_vec(),
        );
        assert_eq!(
            timeouts(&g),
            Some(Timeouts {
                tcp: 0,
                tcp_fin: 120,
                udp: 0
            })
        );
    }

    #[test]
    fn fifo_is_created_written_without_a_reader_and_removed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("lvs.fifo").to_string_lossy().to_string();
        let mut g = GlobalDefs::default();
        g.lvs_notify_fifo.path = Some(path.clone());
        let mut f = NotifyFifos::open(&g);
        assert!(!f.is_empty());
        // Read end opened after the writer: nothing blocks, the lines are there.
        let mut r = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(OFlag::O_NONBLOCK.bits())
            .open(&path)
            .expect("open the read end");
        f.rs("[198.51.100.2]:tcp:80", "[192.0.2.10]:tcp:80", true);
        f.vs("[192.0.2.10]:tcp:80", false);
        let mut buf = [0u8; 512];
        let n = r.read(&mut buf).expect("read the lines");
        let got = String::from_utf8_lossy(&buf[..n]);
        assert_eq!(
            got,
            "RS [198.51.100.2]:tcp:80 [192.0.2.10]:tcp:80 UP\nVS [192.0.2.10]:tcp:80 DOWN\n"
        );
        f.close();
        assert!(!Path::new(&path).exists(), "the FIFO we created is removed");
    }

    #[test]
    fn fifo_script_gets_the_fifo_path_and_reads_the_lines() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("lvs.fifo").to_string_lossy().to_string();
        let out = dir.path().join("seen");
        // The script records its last argument, then copies one line from the FIFO.
        let script = format!(
            "for a; do last=$a; done; echo \"$last\" > {o}.arg; head -n 1 \"$last\" > {o}",
            o = out.display()
        );
        let mut g = GlobalDefs::default();
        g.lvs_notify_fifo.path = Some(path.clone());
        g.lvs_notify_fifo.script = Some(keepalived_config::model::Script {
            cmd: "sh -c ...".into(),
            args: vec!["/bin/sh".into(), "-c".into(), script, "sh".into()],
            user: None,
            group: None,
            loc: None,
        });
        let mut f = NotifyFifos::open(&g);
        f.rs("[198.51.100.2]:tcp:80", "[192.0.2.10]:tcp:80", false);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while std::fs::read_to_string(&out).map_or(true, |s| s.is_empty())
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let arg = std::fs::read_to_string(format!("{}.arg", out.display())).unwrap_or_default();
        assert_eq!(arg.trim(), path);
        assert_eq!(
            std::fs::read_to_string(&out).unwrap_or_default(),
            "RS [198.51.100.2]:tcp:80 [192.0.2.10]:tcp:80 DOWN\n"
        );
        f.close();
    }
}
