//! The I/O adapter of the checkers: one mio loop (keepalived-event's `Poller` and
//! `TimerQueue`) that runs every checker's attempts with non-blocking sockets and child
//! processes, feeds the sans-IO dialogs (`proto`) and the timing core (`schedule`), and
//! returns what happened as [`CheckEvent`]s. The checker child's loop owns one; tests
//! drive it directly.
//!
//! Nothing here blocks: connects are non-blocking (`EINPROGRESS`, then writable readiness
//! and `SO_ERROR`); reads drain to `WouldBlock` in fixed 16 KiB chunks, at most
//! [`READS_PER_TURN`] per socket per turn (a fast sender is revisited on the next turn
//! instead of starving the others); MISC_CHECK scripts are reaped with `WNOHANG` on
//! SIGCHLD. Each attempt has a deadline: `connect_timeout` of inactivity (renewed by each
//! read, as keepalived's per-read timeout), and at most `connect_timeout + delay_loop`
//! in total, so a server that trickles bytes forever still fails.

use std::io::{self, ErrorKind, Read, Write};
use std::net::SocketAddr;
use std::time::Instant;

use keepalived_event::{
    ChildWatcher, EventError, ExitKind, Interest, Poller, Signals, TimerQueue, Token,
};
use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;
use rustls::ClientConnection;
use socket2::{Domain, Protocol, SockAddr, Socket, Type};

use crate::proto::dns::DnsDialog;
use crate::proto::http::HttpDialog;
use crate::proto::icmp::PingDialog;
use crate::proto::smtp::SmtpDialog;
use crate::proto::{ConnectOnly, DatagramDialog, Step, StreamDialog};
use crate::schedule::{Schedule, Transition, Verdict};
use crate::spec::{CheckSpec, Kind};
use crate::tls::TlsClient;

/// The loop's SIGCHLD pipe. Checker sockets use their index as token.
pub const SIGCHLD_TOKEN: Token = Token(usize::MAX - 2);
/// Bytes read per `read` call.
pub const READ_CHUNK: usize = 16 * 1024;
/// Reads per socket per turn before yielding to the other checkers.
pub const READS_PER_TURN: usize = 64;
/// The receive buffer for datagrams (the largest UDP payload).
const DGRAM_BUF: usize = 65536;

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("create the checker loop")]
    Loop(#[source] EventError),
    #[error("wait for checker events")]
    Wait(#[source] EventError),
    #[error("build the TLS client")]
    Tls(#[source] rustls::Error),
}

/// The end of one attempt of one checker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckEvent {
    /// Index of the checker in the list given to [`Runner::new`].
    pub check: usize,
    pub started: Instant,
    pub ended: Instant,
    pub verdict: Verdict,
    pub transition: Option<Transition>,
    /// When the next attempt starts.
    pub next: Instant,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Timer {
    Start(usize),
    Deadline(usize),
    /// A timed-out MISC_CHECK script's group did not go on SIGTERM: SIGKILL it.
    Kill(i32),
}

/// How long a timed-out script's group gets between SIGTERM and SIGKILL.
pub const MISC_KILL_GRACE: std::time::Duration = std::time::Duration::from_millis(500);

struct StreamIo {
    sock: Socket,
    connected: bool,
    tls: Option<Box<ClientConnection>>,
    dialog: Box<dyn StreamDialog>,
    /// Plain bytes still to write (TCP) or to hand to rustls.
    out: Vec<u8>,
}

enum Io {
    Stream(StreamIo),
    Dgram {
        sock: Socket,
        dialog: Box<dyn DatagramDialog>,
    },
    Misc {
        pid: Pid,
        dynamic: bool,
    },
}

struct Attempt {
    started: Instant,
    io: Io,
}

struct Check {
    spec: CheckSpec,
    sched: Schedule,
    attempt: Option<Attempt>,
    /// Which `url` of HTTP_GET/SSL_GET the attempt is at.
    url: usize,
    round_started: Option<Instant>,
    seq: u16,
    /// `ha_suspend` with the VIP absent: rounds are skipped, the state is kept.
    suspended: bool,
}

/// Counters for status output and the bounded-memory tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub attempts: u64,
    /// The most bytes any dialog or write queue held at once.
    pub peak_buffered: usize,
    /// Bytes read from stream sockets in total.
    pub bytes_read: u64,
    /// Times a socket was put back for the next turn after [`READS_PER_TURN`] reads.
    pub yielded: u64,
    /// PING_CHECK sockets opened as unprivileged ICMP datagram sockets / as raw sockets.
    pub icmp_dgram: u64,
    pub icmp_raw: u64,
}

pub struct Runner {
    poller: Poller,
    timers: TimerQueue<Timer>,
    checks: Vec<Check>,
    sigchld: Signals,
    children: ChildWatcher,
    tls: Option<TlsClient>,
    /// Sockets with data left after [`READS_PER_TURN`] reads (edge-triggered: no new event).
    again: Vec<usize>,
    buf: Box<[u8]>,
    rng: u64,
    stats: Stats,
    events: Vec<CheckEvent>,
    /// Process groups of timed-out scripts waiting for their SIGKILL.
    dying: std::collections::BTreeSet<i32>,
}

impl Drop for Runner {
    /// No script outlives its checker loop.
    fn drop(&mut self) {
        for c in &self.checks {
            if let Some(Attempt {
                io: Io::Misc { pid, .. },
                ..
            }) = &c.attempt
            {
                let _ = killpg(*pid, Signal::SIGKILL);
            }
        }
        for pid in &self.dying {
            let _ = killpg(Pid::from_raw(*pid), Signal::SIGKILL);
        }
        // Reap what has already gone; anything slower is left to the process's reaper.
        self.children.reap();
    }
}

impl std::fmt::Debug for Runner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runner")
            .field("checks", &self.checks.len())
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

impl Runner {
    pub fn new(specs: Vec<CheckSpec>) -> Result<Runner, RunError> {
        let poller = Poller::new().map_err(RunError::Loop)?;
        let mut sigchld = Signals::new(&[libc_sigchld()]).map_err(RunError::Loop)?;
        sigchld
            .register(poller.registry(), SIGCHLD_TOKEN)
            .map_err(RunError::Loop)?;
        let needs_tls = specs
            .iter()
            .any(|s| matches!(&s.kind, Kind::Http { tls: Some(_), .. }));
        // The client certificate is global (the `SSL {}` block): any SSL_GET carries it.
        let client_cert = specs.iter().find_map(|s| match &s.kind {
            Kind::Http { tls: Some(t), .. } => t.client_cert.clone(),
            _ => None,
        });
        let tls = if needs_tls {
            Some(TlsClient::with_client_cert(client_cert.as_ref()).map_err(RunError::Tls)?)
        } else {
            None
        };
        let seed = Instant::now().elapsed().as_nanos() as u64
            ^ u64::from(std::process::id()).rotate_left(32)
            ^ std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
        let checks = specs
            .into_iter()
            .map(|spec| Check {
                sched: Schedule::new(spec.timing).with_log_all_failures(spec.log_all_failures),
                spec,
                attempt: None,
                url: 0,
                round_started: None,
                seq: 0,
                suspended: false,
            })
            .collect();
        Ok(Runner {
            poller,
            timers: TimerQueue::new(),
            checks,
            sigchld,
            children: ChildWatcher::new(),
            tls,
            again: Vec::new(),
            buf: vec![0u8; DGRAM_BUF.max(READ_CHUNK)].into_boxed_slice(),
            rng: seed | 1,
            stats: Stats::default(),
            events: Vec::new(),
            dying: Default::default(),
        })
    }

    pub fn stats(&self) -> Stats {
        self.stats
    }

    pub fn is_up(&self, check: usize) -> bool {
        self.checks[check].sched.is_up()
    }

    pub fn weight(&self, check: usize) -> Option<u32> {
        self.checks[check].sched.weight()
    }

    pub fn len(&self) -> usize {
        self.checks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.checks.is_empty()
    }

    /// The runner's epoll descriptor, for an outer loop that nests it (the checker child
    /// waits on its parent channel and on this; when it is readable, call [`Runner::turn`]
    /// with a limit of now).
    pub fn poll_fd(&self) -> std::os::fd::RawFd {
        std::os::fd::AsRawFd::as_raw_fd(self.poller.registry())
    }

    /// When the runner next needs a turn even without readiness: its next timer, or now if
    /// sockets were put back for another read or its epoll still holds events a turn did
    /// not take (an outer loop nesting it edge-triggered would not be woken for those).
    pub fn next_deadline(&self) -> Option<Instant> {
        if !self.again.is_empty() || self.epoll_pending() {
            Some(Instant::now())
        } else {
            self.timers.next_deadline()
        }
    }

    fn epoll_pending(&self) -> bool {
        use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
        use std::os::fd::AsFd;
        let mut fds = [PollFd::new(
            self.poller.registry().as_fd(),
            PollFlags::POLLIN,
        )];
        matches!(poll(&mut fds, PollTimeout::ZERO), Ok(n) if n > 0)
    }

    /// Sets checker `check`'s state before [`Runner::start`] (the health the parent handed
    /// back after a restart), so that the next verdict is judged against it.
    pub fn set_up(&mut self, check: usize, up: bool) {
        if let Some(c) = self.checks.get_mut(check) {
            c.sched.set_up(up);
        }
    }

    /// Suspends or resumes checker `check` (`ha_suspend`); an attempt under way ends
    /// normally. Returns whether that changed anything.
    pub fn set_suspended(&mut self, check: usize, suspended: bool) -> bool {
        match self.checks.get_mut(check) {
            Some(c) if c.suspended != suspended => {
                c.suspended = suspended;
                true
            }
            _ => false,
        }
    }

    pub fn is_suspended(&self, check: usize) -> bool {
        self.checks.get(check).is_some_and(|c| c.suspended)
    }

    fn random(&mut self) -> u64 {
        // xorshift64: jitter and DNS ids need spread, not secrecy.
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        self.rng
    }

    /// Schedules every checker's first attempt (after its random warmup).
    pub fn start(&mut self, now: Instant) {
        for i in 0..self.checks.len() {
            let jitter = (self.random() % 1_000_001) as f64 / 1_000_000.0;
            let at = self.checks[i].sched.first(now, jitter);
            self.timers.set(Timer::Start(i), at);
        }
    }

    /// One loop iteration: waits for readiness or the next deadline (at most until
    /// `limit`), runs what is due, and returns the attempts that ended.
    pub fn turn(&mut self, limit: Option<Instant>) -> Result<Vec<CheckEvent>, RunError> {
        let mut deadline = match (self.timers.next_deadline(), limit) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if !self.again.is_empty() {
            deadline = Some(Instant::now());
        }
        let ready: Vec<_> = self.poller.wait(deadline).map_err(RunError::Wait)?.to_vec();
        let again = std::mem::take(&mut self.again);
        for i in again {
            self.on_ready(i, Instant::now());
        }
        for r in ready {
            if r.token == SIGCHLD_TOKEN {
                self.sigchld.pending();
                continue;
            }
            self.on_ready(r.token.0, Instant::now());
        }
        if !self.children.is_empty() {
            self.reap(Instant::now());
        }
        let now = Instant::now();
        while let Some((t, _)) = self.timers.pop_due(now) {
            match t {
                Timer::Start(i) if self.checks[i].suspended => {
                    // keepalived's disabled checker: no attempt, look again a delay_loop later.
                    let next = now + self.checks[i].spec.timing.delay_loop;
                    self.timers.set(Timer::Start(i), next);
                }
                Timer::Start(i) => {
                    self.checks[i].url = 0;
                    self.checks[i].round_started = Some(now);
                    self.begin(i, now);
                }
                Timer::Deadline(i) => self.on_deadline(i, now),
                Timer::Kill(pid) => {
                    self.dying.remove(&pid);
                    let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
                }
            }
        }
        Ok(std::mem::take(&mut self.events))
    }

    /// Runs turns until `until`, or until `stop` returns true for an event; returns every
    /// event seen.
    pub fn run_until(
        &mut self,
        until: Instant,
        mut stop: impl FnMut(&CheckEvent) -> bool,
    ) -> Result<Vec<CheckEvent>, RunError> {
        let mut all = Vec::new();
        while Instant::now() < until {
            let evs = self.turn(Some(until))?;
            let done = evs.iter().any(&mut stop);
            all.extend(evs);
            if done {
                break;
            }
        }
        Ok(all)
    }

    fn begin(&mut self, i: usize, now: Instant) {
        self.stats.attempts += 1;
        let spec = &self.checks[i].spec;
        let timeout = spec.timing.connect_timeout;
        let io = match &spec.kind {
            // A file read: no socket, the verdict is known at once.
            Kind::File {
                path,
                weight,
                reverse,
                base_weight,
            } => {
                let v = crate::file::evaluate(path, *weight, *reverse, *base_weight);
                return self.finish(i, now, v);
            }
            Kind::Tcp | Kind::Http { .. } | Kind::Smtp { .. } => {
                let (dialog, tls): (Box<dyn StreamDialog>, _) = match &spec.kind {
                    Kind::Http { urls, tls } => {
                        let Some(url) = urls.get(self.checks[i].url) else {
                            return self.finish(i, now, Verdict::fail("HTTP check without url"));
                        };
                        let tls = match (tls, &self.tls) {
                            (Some(t), Some(client)) => {
                                match client.connect(spec.target.ip(), t.sni.as_deref()) {
                                    Ok(c) => Some(Box::new(c)),
                                    Err(e) => {
                                        return self.finish(
                                            i,
                                            now,
                                            Verdict::fail(format!("start TLS session: {e}")),
                                        )
                                    }
                                }
                            }
                            _ => None,
                        };
                        (Box::new(HttpDialog::new(url.clone())), tls)
                    }
                    Kind::Smtp { helo_name } => {
                        (Box::new(SmtpDialog::new(helo_name.clone())), None)
                    }
                    _ => (Box::new(ConnectOnly), None),
                };
                match open(spec, Type::STREAM, Some(Protocol::TCP)) {
                    Ok(sock) => Io::Stream(StreamIo {
                        sock,
                        connected: false,
                        tls,
                        dialog,
                        out: Vec::new(),
                    }),
                    Err(e) => {
                        return self.finish(
                            i,
                            now,
                            Verdict::fail(format!("connect to {}: {e}", spec.target)),
                        )
                    }
                }
            }
            Kind::Udp { .. } | Kind::Dns { .. } | Kind::Ping => {
                let id = self.random();
                let check = &mut self.checks[i];
                check.seq = check.seq.wrapping_add(1);
                let spec = &check.spec;
                let opened = match &spec.kind {
                    Kind::Ping => open_ping(spec).map(|(sock, raw, raw_v4)| {
                        if raw {
                            self.stats.icmp_raw += 1;
                        } else {
                            self.stats.icmp_dgram += 1;
                        }
                        let d: Box<dyn DatagramDialog> = Box::new(PingDialog::new(
                            spec.target.is_ipv6(),
                            raw_v4,
                            (std::process::id() as u16) ^ (i as u16),
                            check.seq,
                        ));
                        (sock, d)
                    }),
                    Kind::Dns { qtype, name } => {
                        open(spec, Type::DGRAM, Some(Protocol::UDP)).map(|s| {
                            let d: Box<dyn DatagramDialog> = Box::new(DnsDialog {
                                id: id as u16,
                                qtype: *qtype,
                                name: name.clone(),
                            });
                            (s, d)
                        })
                    }
                    _ => open(spec, Type::DGRAM, Some(Protocol::UDP)).map(|s| {
                        let d: Box<dyn DatagramDialog> =
                            Box::new(spec.kind.udp_dialog().unwrap_or_default());
                        (s, d)
                    }),
                };
                let target = spec.target;
                let (sock, mut dialog) = match opened {
                    Ok(x) => x,
                    Err(e) => {
                        return self.finish(
                            i,
                            now,
                            Verdict::fail(format!("open socket to {target}: {e}")),
                        )
                    }
                };
                let request = dialog.request();
                if request.is_empty() && !matches!(spec.kind, Kind::Udp { .. }) {
                    return self.finish(i, now, Verdict::fail("cannot encode the request"));
                }
                if let Err(e) = sock.send(&request) {
                    return self.finish(i, now, Verdict::fail(format!("send to {target}: {e}")));
                }
                Io::Dgram { sock, dialog }
            }
            Kind::Misc {
                args,
                timeout: misc_timeout,
                dynamic,
                user,
            } => {
                let dynamic = *dynamic;
                let misc_timeout = *misc_timeout;
                match spawn(args, *user) {
                    Ok(pid) => {
                        self.children.watch(pid);
                        self.timers.set(Timer::Deadline(i), now + misc_timeout);
                        self.checks[i].attempt = Some(Attempt {
                            started: now,
                            io: Io::Misc { pid, dynamic },
                        });
                        // An exit before the watch was set is caught here.
                        self.reap(now);
                        return;
                    }
                    Err(e) => {
                        return self.finish(
                            i,
                            now,
                            Verdict::fail(format!("run MISC_CHECK {args:?}: {e}")),
                        )
                    }
                }
            }
        };
        let interest = match io {
            Io::Stream(_) => Interest::READABLE | Interest::WRITABLE,
            _ => Interest::READABLE,
        };
        let fd = match &io {
            Io::Stream(s) => Some(&s.sock),
            Io::Dgram { sock, .. } => Some(sock),
            Io::Misc { .. } => None,
        };
        if let Some(fd) = fd {
            if let Err(e) = self.poller.register(fd, Token(i), interest) {
                return self.finish(i, now, Verdict::fail(format!("register socket: {e}")));
            }
        }
        self.checks[i].attempt = Some(Attempt { started: now, io });
        self.timers.set(Timer::Deadline(i), now + timeout);
    }

    /// Ends the current attempt (if any) with `verdict`, moves to the next URL or feeds
    /// the timing core and schedules the next attempt.
    fn finish(&mut self, i: usize, now: Instant, verdict: Verdict) {
        self.timers.cancel(&Timer::Deadline(i));
        let check = &mut self.checks[i];
        if let Some(a) = check.attempt.take() {
            match &a.io {
                Io::Stream(s) => {
                    let _ = self.poller.deregister(&s.sock);
                }
                Io::Dgram { sock, .. } => {
                    let _ = self.poller.deregister(sock);
                }
                Io::Misc { pid, .. } => {
                    // Still running (timeout): like keepalived, SIGTERM to its whole group,
                    // then SIGKILL to the group when the script exits or after a grace
                    // period. The watcher goes on watching the pid to reap it.
                    let _ = killpg(*pid, Signal::SIGTERM);
                    self.timers
                        .set(Timer::Kill(pid.as_raw()), now + MISC_KILL_GRACE);
                    self.dying.insert(pid.as_raw());
                }
            }
        }
        self.again.retain(|&x| x != i);
        if verdict.is_ok() {
            if let Kind::Http { urls, .. } = &check.spec.kind {
                if check.url + 1 < urls.len() {
                    check.url += 1;
                    return self.begin(i, now);
                }
            }
        }
        let started = check.round_started.take().unwrap_or(now);
        let mut outcome = check.sched.on_verdict(now, &verdict);
        if matches!(check.spec.kind, Kind::Misc { .. }) {
            // keepalived times the next script run from when the last one started
            // (`last_ran`), not from its exit: a slow script does not stretch the period.
            outcome.next = (started + (outcome.next - now)).max(now);
        }
        match &outcome.transition {
            Some(Transition::Down { reason, retries }) => {
                log::info!(
                    "{}: down after {retries} retries: {reason}",
                    check.spec.name
                )
            }
            Some(Transition::Up { .. }) => log::info!("{}: up", check.spec.name),
            _ => {}
        }
        if let Verdict::Fail(why) = &verdict {
            if outcome.log_failure {
                log::info!("{}: attempt failed: {why}", check.spec.name);
            } else {
                log::debug!("{}: attempt failed: {why}", check.spec.name);
            }
        }
        self.timers.set(Timer::Start(i), outcome.next);
        self.events.push(CheckEvent {
            check: i,
            started,
            ended: now,
            verdict,
            transition: outcome.transition,
            next: outcome.next,
        });
    }

    fn on_deadline(&mut self, i: usize, now: Instant) {
        let v = match self.checks[i].attempt.as_ref().map(|a| &a.io) {
            None => return,
            Some(Io::Dgram { dialog, .. }) => dialog.on_timeout(),
            Some(Io::Stream(s)) if !s.connected => Verdict::fail(format!(
                "connect to {} timed out",
                self.checks[i].spec.target
            )),
            Some(Io::Stream(_)) => Verdict::fail("timed out waiting for the server"),
            Some(Io::Misc { .. }) => Verdict::fail("MISC_CHECK timed out"),
        };
        self.finish(i, now, v);
    }

    fn reap(&mut self, now: Instant) {
        for exit in self.children.reap() {
            let found = self.checks.iter().position(|c| {
                matches!(c.attempt.as_ref().map(|a| &a.io), Some(Io::Misc { pid, .. }) if *pid == exit.pid)
            });
            let Some(i) = found else {
                // A timed-out script ended: make sure nothing it started lives on.
                if self.dying.remove(&exit.pid.as_raw()) {
                    self.timers.cancel(&Timer::Kill(exit.pid.as_raw()));
                    let _ = killpg(exit.pid, Signal::SIGKILL);
                }
                continue;
            };
            let dynamic = matches!(
                self.checks[i].attempt.as_ref().map(|a| &a.io),
                Some(Io::Misc { dynamic: true, .. })
            );
            // The script is gone: taking the attempt keeps `finish` from signalling its
            // (possibly reused) process group.
            self.checks[i].attempt = None;
            self.finish(i, now, misc_verdict(exit.how, dynamic));
        }
    }

    fn on_ready(&mut self, i: usize, now: Instant) {
        let Some(check) = self.checks.get_mut(i) else {
            return;
        };
        let Some(attempt) = check.attempt.as_mut() else {
            return;
        };
        let started = attempt.started;
        let result = match &mut attempt.io {
            Io::Stream(s) => stream_ready(s, &mut self.buf, &mut self.stats),
            Io::Dgram { sock, dialog } => {
                Ready::Done(dgram_ready(sock, dialog.as_mut(), &mut self.buf))
            }
            Io::Misc { .. } => Ready::Idle,
        };
        match result {
            Ready::Done(Some(v)) => self.finish(i, now, v),
            Ready::Done(None) | Ready::Idle => {}
            Ready::Progress { more } => {
                let t = self.checks[i].spec.timing;
                let cap = started + t.connect_timeout + t.delay_loop;
                self.timers
                    .set(Timer::Deadline(i), (now + t.connect_timeout).min(cap));
                if more {
                    self.stats.yielded += 1;
                    self.again.push(i);
                }
            }
        }
    }
}

enum Ready {
    /// Nothing happened.
    Idle,
    /// Bytes moved; `more` if the read budget ran out before `WouldBlock`.
    Progress {
        more: bool,
    },
    Done(Option<Verdict>),
}

fn libc_sigchld() -> i32 {
    Signal::SIGCHLD as i32
}

/// A non-blocking socket to `spec.target` with the checker's bind options, connect started.
fn open(spec: &CheckSpec, ty: Type, proto: Option<Protocol>) -> io::Result<Socket> {
    let sock = Socket::new(Domain::for_address(spec.target), ty, proto)?;
    prepare(&sock, spec)?;
    connect(&sock, spec.target)?;
    Ok(sock)
}

fn prepare(sock: &Socket, spec: &CheckSpec) -> io::Result<()> {
    sock.set_nonblocking(true)?;
    if let Some(dev) = &spec.bind_if {
        sock.bind_device(Some(dev.as_bytes()))?;
    }
    if let Some(mark) = spec.fwmark {
        sock.set_mark(mark)?;
    }
    if spec.bindto.is_some() || spec.bind_port.is_some() {
        let ip = spec.bindto.unwrap_or(match spec.target {
            SocketAddr::V4(_) => std::net::Ipv4Addr::UNSPECIFIED.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::UNSPECIFIED.into(),
        });
        sock.bind(&SockAddr::from(SocketAddr::new(
            ip,
            spec.bind_port.unwrap_or(0),
        )))?;
    }
    Ok(())
}

fn connect(sock: &Socket, to: SocketAddr) -> io::Result<()> {
    match sock.connect(&SockAddr::from(to)) {
        Ok(()) => Ok(()),
        Err(e) if e.raw_os_error() == Some(nix::libc::EINPROGRESS) => Ok(()),
        Err(e) => Err(e),
    }
}

/// An ICMP socket: unprivileged datagram (`net.ipv4.ping_group_range`) when allowed,
/// else raw. Returns the socket, whether it is raw, and whether it is raw IPv4 (replies
/// then carry the IP header).
fn open_ping(spec: &CheckSpec) -> io::Result<(Socket, bool, bool)> {
    let (domain, proto) = if spec.target.is_ipv6() {
        (Domain::IPV6, Protocol::ICMPV6)
    } else {
        (Domain::IPV4, Protocol::ICMPV4)
    };
    let (sock, raw) = match Socket::new(domain, Type::DGRAM, Some(proto)) {
        Ok(s) => (s, false),
        Err(_) => (Socket::new(domain, Type::RAW, Some(proto))?, true),
    };
    prepare(&sock, spec)?;
    connect(&sock, SocketAddr::new(spec.target.ip(), 0))?;
    Ok((sock, raw, raw && !spec.target.is_ipv6()))
}

/// Starts a MISC_CHECK in its own process group (a timeout kills whatever it started too),
/// stdio on /dev/null, without waiting for its exec (a failed exec is exit status 127);
/// `ChildWatcher` reaps it by pid.
fn spawn(args: &[String], user: Option<(u32, u32)>) -> io::Result<Pid> {
    if args.is_empty() {
        return Err(io::Error::new(ErrorKind::InvalidInput, "empty misc_path"));
    }
    keepalived_sys::spawn::spawn_detached(&keepalived_sys::spawn::SpawnSpec {
        args,
        uid: user.map(|u| u.0),
        gid: user.map(|u| u.1),
        die_with_parent: None,
    })
}

/// keepalived's MISC_CHECK exit rules: 0 up, 1 down; with `misc_dynamic` 2..=255 up with
/// weight `status - 2`; without it any non-zero status is down.
pub fn misc_verdict(how: ExitKind, dynamic: bool) -> Verdict {
    match how {
        ExitKind::Exited(0) => Verdict::ok(),
        ExitKind::Exited(s) if dynamic && (2..=255).contains(&s) => Verdict::Ok {
            weight: Some((s - 2) as u32),
        },
        ExitKind::Exited(s) => Verdict::fail(format!("MISC_CHECK exited with status {s}")),
        ExitKind::Signaled { signal, .. } => {
            Verdict::fail(format!("MISC_CHECK killed by {signal}"))
        }
        ExitKind::Lost => Verdict::fail("MISC_CHECK exit status lost"),
    }
}

fn dgram_ready(sock: &Socket, dialog: &mut dyn DatagramDialog, buf: &mut [u8]) -> Option<Verdict> {
    loop {
        match (&*sock).read(buf) {
            Ok(n) => {
                if let Some(v) = dialog.on_datagram(&buf[..n]) {
                    return Some(v);
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => return None,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if e.kind() == ErrorKind::ConnectionRefused => {
                return Some(Verdict::fail("port unreachable (ICMP error)"))
            }
            Err(e) => return Some(Verdict::fail(format!("receive: {e}"))),
        }
    }
}

fn stream_ready(s: &mut StreamIo, buf: &mut [u8], stats: &mut Stats) -> Ready {
    if !s.connected {
        match s.sock.take_error() {
            Ok(Some(e)) | Err(e) => {
                return Ready::Done(Some(Verdict::fail(format!("connect: {e}"))))
            }
            Ok(None) => {}
        }
        match s.sock.peer_addr() {
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::NotConnected => return Ready::Idle,
            Err(e) => return Ready::Done(Some(Verdict::fail(format!("connect: {e}")))),
        }
        s.connected = true;
        if let Step::Done(v) = s.dialog.on_connected(&mut s.out) {
            return Ready::Done(Some(v));
        }
    }
    let mut done: Option<Verdict> = None;
    let mut more = false;
    let mut moved = false;
    'reads: for n in 0.. {
        if let Err(v) = flush(s) {
            return Ready::Done(Some(v));
        }
        if n == READS_PER_TURN {
            more = true;
            break;
        }
        let read = match s.tls.as_mut() {
            Some(tls) => tls.read_tls(&mut ReadSock(&s.sock)),
            None => (&s.sock).read(&mut buf[..READ_CHUNK]),
        };
        let got = match read {
            Ok(0) => {
                // Plain EOF; with TLS, hand rustls the EOF and take what it still holds.
                if s.tls.is_none() {
                    done = Some(s.dialog.on_eof());
                    break;
                }
                0
            }
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::WouldBlock => break,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => {
                done = Some(Verdict::fail(format!("read: {e}")));
                break;
            }
        };
        moved = true;
        stats.bytes_read += got as u64;
        let Some(tls) = s.tls.as_mut() else {
            let step = s.dialog.on_data(&buf[..got], &mut s.out);
            stats.peak_buffered = stats.peak_buffered.max(s.dialog.buffered() + s.out.len());
            if let Step::Done(v) = step {
                let _ = flush(s);
                done = Some(v);
                break;
            }
            continue;
        };
        if let Err(e) = tls.process_new_packets() {
            done = Some(Verdict::fail(format!("TLS: {e}")));
            break;
        }
        loop {
            match tls.reader().read(&mut buf[..READ_CHUNK]) {
                Ok(0) => {
                    done = Some(s.dialog.on_eof());
                    break 'reads;
                }
                Ok(n) => {
                    let step = s.dialog.on_data(&buf[..n], &mut s.out);
                    stats.peak_buffered =
                        stats.peak_buffered.max(s.dialog.buffered() + s.out.len());
                    if let Step::Done(v) = step {
                        let _ = flush(s);
                        done = Some(v);
                        break 'reads;
                    }
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) => {
                    // UnexpectedEof: the server closed without close_notify, which many
                    // do after an HTTP/1.0 response; the body ends there.
                    done = Some(if e.kind() == ErrorKind::UnexpectedEof {
                        s.dialog.on_eof()
                    } else {
                        Verdict::fail(format!("TLS read: {e}"))
                    });
                    break 'reads;
                }
            }
        }
        if got == 0 {
            done = Some(s.dialog.on_eof());
            break;
        }
    }
    match done {
        Some(v) => Ready::Done(Some(v)),
        None if moved || more => Ready::Progress { more },
        None => Ready::Idle,
    }
}

/// Writes what is queued (through rustls when there is TLS) until `WouldBlock`.
fn flush(s: &mut StreamIo) -> Result<(), Verdict> {
    if let Some(tls) = s.tls.as_mut() {
        if !s.out.is_empty() {
            tls.writer()
                .write_all(&s.out)
                .map_err(|e| Verdict::fail(format!("TLS write: {e}")))?;
            s.out.clear();
        }
        while tls.wants_write() {
            match tls.write_tls(&mut WriteSock(&s.sock)) {
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(Verdict::fail(format!("write: {e}"))),
            }
        }
        return Ok(());
    }
    while !s.out.is_empty() {
        match (&s.sock).write(&s.out) {
            Ok(n) => {
                s.out.drain(..n);
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => break,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(Verdict::fail(format!("write: {e}"))),
        }
    }
    Ok(())
}

struct ReadSock<'a>(&'a Socket);
impl Read for ReadSock<'_> {
    fn read(&mut self, b: &mut [u8]) -> io::Result<usize> {
        (&*self.0).read(b)
    }
}
struct WriteSock<'a>(&'a Socket);
impl Write for WriteSock<'_> {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        (&*self.0).write(b)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Runner {
    pub fn spec(&self, check: usize) -> &CheckSpec {
        &self.checks[check].spec
    }

    /// Checks with an attempt in flight (for tests: nothing is left behind).
    pub fn in_flight(&self) -> usize {
        self.checks.iter().filter(|c| c.attempt.is_some()).count()
    }

    /// Timers pending: one Start per idle checker, Start or Deadline per busy one.
    pub fn timers(&self) -> usize {
        self.timers.len()
    }
}
