//! `vrrp_track_process`: counts the processes matching each tracked process spec, kept
//! current by the kernel's proc connector (`NETLINK_CONNECTOR`, `PROC_CN_MCAST_LISTEN`:
//! exec, comm change and exit events) after one scan of `/proc`, never by polling. Owned
//! by the VRRP child's tracker (`tracker.rs`); the matching and the event decoding are
//! pure functions with unit tests.
//!
//! The proc connector only exists in the initial network namespace: a VRRP child started
//! in another one logs that and keeps the counts of the start-up scan (keepalived 2.2.7
//! cannot track processes there either).

use std::collections::BTreeSet;
use std::io;
use std::os::fd::{AsRawFd, RawFd};

use keepalived_config::model::vrrp::TrackProcess;
use log::{info, warn};
use nix::errno::Errno;
use nix::sys::socket::{bind, recv, send, MsgFlags, NetlinkAddr};
use socket2::{Domain, Protocol, Socket, Type};

const NETLINK_CONNECTOR: i32 = 11;
const CN_IDX_PROC: u32 = 1;
const CN_VAL_PROC: u32 = 1;
const PROC_CN_MCAST_LISTEN: u32 = 1;
const NLMSG_HDRLEN: usize = 16;
const CN_MSG_LEN: usize = 20;
/// Offset of `event_data` in `struct proc_event` (what, cpu, timestamp_ns).
const EVENT_DATA: usize = 16;

const PROC_EVENT_EXEC: u32 = 0x2;
const PROC_EVENT_COMM: u32 = 0x200;
const PROC_EVENT_EXIT: u32 = 0x8000_0000;

/// What a proc connector message says, reduced to what the counts need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProcEvent {
    /// The process (thread-group leader) may now match: re-read it.
    Changed(i32),
    Exited(i32),
}

/// Decodes one datagram of the proc connector (one or more netlink messages). Anything
/// short or foreign is skipped.
pub fn parse_events(buf: &[u8]) -> Vec<ProcEvent> {
    let u32_at = |b: &[u8], at: usize| -> Option<u32> {
        b.get(at..at + 4)
            .and_then(|s| s.try_into().ok())
            .map(u32::from_ne_bytes)
    };
    let mut out = Vec::new();
    let mut off = 0;
    while let Some(len) = u32_at(buf, off) {
        let len = len as usize;
        if len < NLMSG_HDRLEN || off + len > buf.len() {
            break;
        }
        let msg = &buf[off..off + len];
        off += (len + 3) & !3;
        let cn = &msg[NLMSG_HDRLEN..];
        if u32_at(cn, 0) != Some(CN_IDX_PROC) || u32_at(cn, 4) != Some(CN_VAL_PROC) {
            continue;
        }
        let ev = match cn.get(CN_MSG_LEN..) {
            Some(e) => e,
            None => continue,
        };
        let (Some(what), Some(pid), Some(tgid)) = (
            u32_at(ev, 0),
            u32_at(ev, EVENT_DATA),
            u32_at(ev, EVENT_DATA + 4),
        ) else {
            continue;
        };
        // Threads come and go inside a process; only thread-group leaders count.
        if pid != tgid {
            continue;
        }
        let Ok(pid) = i32::try_from(pid) else {
            continue;
        };
        match what {
            PROC_EVENT_EXEC | PROC_EVENT_COMM => out.push(ProcEvent::Changed(pid)),
            PROC_EVENT_EXIT => out.push(ProcEvent::Exited(pid)),
            _ => {}
        }
    }
    out
}

/// How a process looks from `/proc`: `comm`, and `cmdline` split at NULs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProcView {
    pub comm: String,
    pub cmdline: Vec<Vec<u8>>,
}

impl ProcView {
    pub fn read(pid: i32) -> Option<ProcView> {
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).ok()?;
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
        // Zombies and kernel threads have an empty cmdline: they run nothing.
        if cmdline.is_empty() {
            return None;
        }
        let mut args: Vec<Vec<u8>> = cmdline.split(|b| *b == 0).map(<[u8]>::to_vec).collect();
        if cmdline.last() == Some(&0) {
            args.pop();
        }
        Some(ProcView {
            comm: comm.trim_end_matches('\n').to_string(),
            cmdline: args,
        })
    }
}

/// keepalived's matching (`track_process.c`): the name against `comm` (15 characters), or
/// with `full_command` (implied by parameters or `param_match`) against argv[0]; the
/// parameters, NUL-joined, equal (exact), a prefix made of whole parameters (`partial`),
/// or a prefix where the last one may be cut short (`initial`).
pub fn matches(spec: &TrackProcess, p: &ProcView) -> bool {
    let Some((name, params)) = spec.process.split_first() else {
        return false;
    };
    let full = spec.full_command || !params.is_empty() || spec.param_match.is_some();
    if !full {
        let want: String = name.chars().take(15).collect();
        return p.comm == want;
    }
    if p.cmdline.first().map(Vec::as_slice) != Some(name.as_bytes()) {
        return false;
    }
    let joined = |v: &mut dyn Iterator<Item = &[u8]>| -> Vec<u8> {
        let mut out = Vec::new();
        for a in v {
            out.extend_from_slice(a);
            out.push(0);
        }
        out
    };
    let have = joined(&mut p.cmdline.iter().skip(1).map(Vec::as_slice));
    let want = joined(&mut params.iter().map(|s| s.as_bytes()));
    match spec.param_match.as_deref() {
        None | Some("exact") | Some("") => have == want,
        _ if want.is_empty() => true,
        Some("partial") => have.starts_with(&want),
        // initial: the last configured parameter may be a prefix of the real one.
        _ => have.starts_with(&want[..want.len() - 1]),
    }
}

/// The counts of every tracked process, kept by the proc connector.
pub struct ProcWatcher {
    sock: Option<Socket>,
    specs: Vec<TrackProcess>,
    pids: Vec<BTreeSet<i32>>,
    buf: Vec<u8>,
}

impl std::fmt::Debug for ProcWatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProcWatcher")
            .field("connector", &self.sock.is_some())
            .field("specs", &self.specs.len())
            .finish_non_exhaustive()
    }
}

impl ProcWatcher {
    /// Subscribes to the proc connector first (so nothing between the scan and the
    /// subscription is missed), then scans `/proc`.
    pub fn open(specs: Vec<TrackProcess>) -> ProcWatcher {
        let sock = match connector() {
            Ok(s) => Some(s),
            Err(e) => {
                warn!(
                    "vrrp_track_process: the proc connector is unavailable ({e}; it exists only \
                     in the initial network namespace): process counts are not updated"
                );
                None
            }
        };
        let n = specs.len();
        let mut w = ProcWatcher {
            sock,
            specs,
            pids: vec![BTreeSet::new(); n],
            buf: vec![0; 16384],
        };
        w.rescan();
        w
    }

    pub fn fd(&self) -> Option<RawFd> {
        self.sock.as_ref().map(AsRawFd::as_raw_fd)
    }

    pub fn specs(&self) -> &[TrackProcess] {
        &self.specs
    }

    pub fn count(&self, i: usize) -> usize {
        self.pids.get(i).map_or(0, BTreeSet::len)
    }

    /// keepalived's quorum: `quorum <= count <= quorum_max`.
    pub fn have_quorum(&self, i: usize) -> bool {
        let Some(s) = self.specs.get(i) else {
            return false;
        };
        let n = self.count(i);
        n >= s.quorum as usize && s.quorum_max.is_none_or(|m| n <= m as usize)
    }

    /// Recounts from `/proc` (start, and after an overrun of the connector's buffer).
    pub fn rescan(&mut self) {
        for set in &mut self.pids {
            set.clear();
        }
        let Ok(dir) = std::fs::read_dir("/proc") else {
            return;
        };
        for e in dir.flatten() {
            if let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) {
                self.update(pid);
            }
        }
    }

    fn update(&mut self, pid: i32) {
        let view = ProcView::read(pid);
        for (i, spec) in self.specs.iter().enumerate() {
            let hit = view.as_ref().is_some_and(|v| matches(spec, v));
            if hit {
                self.pids[i].insert(pid);
            } else {
                self.pids[i].remove(&pid);
            }
        }
    }

    /// Drains the connector; returns whether any count changed.
    pub fn on_readable(&mut self) -> bool {
        let Some(fd) = self.fd() else { return false };
        let before: Vec<usize> = self.pids.iter().map(BTreeSet::len).collect();
        loop {
            match recv(fd, &mut self.buf, MsgFlags::MSG_DONTWAIT) {
                Ok(0) => break,
                Ok(n) => {
                    let evs = parse_events(self.buf.get(..n).unwrap_or(&[]));
                    for ev in evs {
                        match ev {
                            ProcEvent::Changed(pid) => self.update(pid),
                            ProcEvent::Exited(pid) => {
                                for set in &mut self.pids {
                                    set.remove(&pid);
                                }
                            }
                        }
                    }
                }
                Err(Errno::EAGAIN) => break,
                Err(Errno::EINTR) => continue,
                Err(Errno::ENOBUFS) => {
                    info!("proc connector overrun: rescanning /proc");
                    self.rescan();
                }
                Err(e) => {
                    warn!("reading the proc connector: {e}");
                    break;
                }
            }
        }
        let after: Vec<usize> = self.pids.iter().map(BTreeSet::len).collect();
        before != after
    }
}

fn connector() -> io::Result<Socket> {
    let sock = Socket::new(
        Domain::from(libc::AF_NETLINK),
        Type::DGRAM.cloexec(),
        Some(Protocol::from(NETLINK_CONNECTOR)),
    )?;
    sock.set_nonblocking(true)?;
    let _ = sock.set_recv_buffer_size(1 << 20);
    bind(sock.as_raw_fd(), &NetlinkAddr::new(0, CN_IDX_PROC)).map_err(io::Error::from)?;
    let mut msg = Vec::with_capacity(NLMSG_HDRLEN + CN_MSG_LEN + 4);
    let total = (NLMSG_HDRLEN + CN_MSG_LEN + 4) as u32;
    msg.extend_from_slice(&total.to_ne_bytes());
    msg.extend_from_slice(&3u16.to_ne_bytes()); // NLMSG_DONE
    msg.extend_from_slice(&0u16.to_ne_bytes());
    msg.extend_from_slice(&0u32.to_ne_bytes());
    msg.extend_from_slice(&std::process::id().to_ne_bytes());
    msg.extend_from_slice(&CN_IDX_PROC.to_ne_bytes());
    msg.extend_from_slice(&CN_VAL_PROC.to_ne_bytes());
    msg.extend_from_slice(&0u32.to_ne_bytes()); // seq
    msg.extend_from_slice(&0u32.to_ne_bytes()); // ack
    msg.extend_from_slice(&4u16.to_ne_bytes()); // len
    msg.extend_from_slice(&0u16.to_ne_bytes()); // flags
    msg.extend_from_slice(&PROC_CN_MCAST_LISTEN.to_ne_bytes());
    send(sock.as_raw_fd(), &msg, MsgFlags::empty()).map_err(io::Error::from)?;
    Ok(sock)
}

#[cfg(test)]
mod tests {
    use super::*;
    use keepalived_config::diag::Loc;

    fn spec(words: &[&str], param_match: Option<&str>, full: bool) -> TrackProcess {
        TrackProcess {
            process: words.iter().map(|s| s.to_string()).collect(),
            param_match: param_match.map(str::to_string),
            full_command: full,
            ..TrackProcess::new("p", Loc::new("t", 1))
        }
    }

    fn view(comm: &str, argv: &[&str]) -> ProcView {
        ProcView {
            comm: comm.into(),
            cmdline: argv.iter().map(|a| a.as_bytes().to_vec()).collect(),
        }
    }

    #[test]
    fn names_match_comm_or_argv0_with_full_command() {
        let nginx = view("nginx", &["/usr/sbin/nginx", "-g", "daemon off;"]);
        assert!(matches(&spec(&["nginx"], None, false), &nginx));
        assert!(!matches(&spec(&["ngin"], None, false), &nginx));
        assert!(!matches(&spec(&["nginx"], None, true), &nginx));
        assert!(matches(
            &spec(&["/usr/sbin/nginx"], None, true),
            &view("nginx", &["/usr/sbin/nginx"])
        ));
        // comm is 15 characters at most.
        let long = view("a_very_long_nam", &["x"]);
        assert!(matches(
            &spec(&["a_very_long_name_indeed"], None, false),
            &long
        ));
    }

    #[test]
    fn parameters_exact_partial_initial() {
        let p = view("sleep", &["/bin/sleep", "1000", "extra"]);
        assert!(!matches(&spec(&["/bin/sleep", "1000"], None, false), &p));
        assert!(matches(
            &spec(&["/bin/sleep", "1000", "extra"], None, false),
            &p
        ));
        assert!(matches(
            &spec(&["/bin/sleep", "1000"], Some("partial"), false),
            &p
        ));
        assert!(!matches(
            &spec(&["/bin/sleep", "10"], Some("partial"), false),
            &p
        ));
        assert!(matches(
            &spec(&["/bin/sleep", "10"], Some("initial"), false),
            &p
        ));
        assert!(matches(&spec(&["/bin/sleep"], Some("initial"), false), &p));
        assert!(!matches(
            &spec(&["/bin/sleep", "2"], Some("initial"), false),
            &p
        ));
    }

    fn msg(what: u32, pid: u32, tgid: u32) -> Vec<u8> {
        let mut m = Vec::new();
        let total = (NLMSG_HDRLEN + CN_MSG_LEN + EVENT_DATA + 8) as u32;
        m.extend_from_slice(&total.to_ne_bytes());
        m.extend_from_slice(&[0; 12]);
        m.extend_from_slice(&CN_IDX_PROC.to_ne_bytes());
        m.extend_from_slice(&CN_VAL_PROC.to_ne_bytes());
        m.extend_from_slice(&[0; 12]);
        m.extend_from_slice(&what.to_ne_bytes());
        m.extend_from_slice(&[0; 12]);
        m.extend_from_slice(&pid.to_ne_bytes());
        m.extend_from_slice(&tgid.to_ne_bytes());
        m
    }

    #[test]
    fn events_decode_and_threads_and_garbage_are_skipped() {
        let mut two = msg(PROC_EVENT_EXEC, 42, 42);
        two.extend(msg(PROC_EVENT_EXIT, 43, 43));
        assert_eq!(
            parse_events(&two),
            vec![ProcEvent::Changed(42), ProcEvent::Exited(43)]
        );
        assert!(parse_events(&msg(PROC_EVENT_EXIT, 44, 42)).is_empty());
        assert!(parse_events(&msg(1, 44, 44)).is_empty());
        let m = msg(PROC_EVENT_COMM, 7, 7);
        for cut in 0..m.len() {
            let _ = parse_events(&m[..cut]);
        }
        assert!(parse_events(&[0xff; 64]).is_empty());
    }

    /// The real connector (initial network namespace, root): a uniquely named process is
    /// counted when it starts and uncounted when it exits, without rescanning.
    #[test]
    fn connector_counts_a_process_start_and_exit() {
        if !nix::unistd::geteuid().is_root() {
            eprintln!("not root: the proc connector needs CAP_NET_ADMIN; skipped");
            return;
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let name = format!("ktrp{}", std::process::id());
        let exe = dir.path().join(&name);
        std::fs::copy("/bin/sleep", &exe).expect("copy sleep");
        let mut w = ProcWatcher::open(vec![spec(&[&name], None, false)]);
        if w.fd().is_none() {
            eprintln!("no proc connector in this namespace; skipped");
            return;
        }
        assert_eq!(w.count(0), 0);
        assert!(!w.have_quorum(0));
        let mut child = std::process::Command::new(&exe)
            .arg("1000")
            .spawn()
            .expect("spawn");
        let wait = |w: &mut ProcWatcher, n: usize| {
            let t0 = std::time::Instant::now();
            while t0.elapsed() < std::time::Duration::from_secs(5) {
                w.on_readable();
                if w.count(0) == n {
                    return true;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            false
        };
        assert!(wait(&mut w, 1), "start not seen");
        assert!(w.have_quorum(0));
        let _ = child.kill();
        let _ = child.wait();
        assert!(wait(&mut w, 0), "exit not seen");
    }
}
