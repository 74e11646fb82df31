//! Test servers for the live checker tests: real daemons from Debian's packages (nginx,
//! dnsmasq, python3-aiosmtpd) and a small python "bad server" for the robustness cases,
//! each on a free loopback port and killed in `Drop`, even when a test panics.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use keepalived_check::{CheckEvent, CheckSpec, Kind, Runner, Timing};

/// A server process killed (and reaped) on drop.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
    pub name: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn stop(self) {}
}

pub fn need(tool: &str, package: &str) -> PathBuf {
    for dir in ["/usr/sbin", "/usr/bin", "/sbin", "/bin"] {
        let p = Path::new(dir).join(tool);
        if p.exists() {
            return p;
        }
    }
    panic!("{tool} is missing: install it with `apt-get install -y {package}`");
}

pub fn need_root() {
    if !nix::unistd::geteuid().is_root() {
        panic!("this test needs root (raw ICMP sockets, network namespaces): run it as root");
    }
}

pub fn free_tcp_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn free_udp_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits until something accepts TCP connections on `addr`.
pub fn wait_tcp(addr: SocketAddr, child: &mut Child, what: &str) {
    let until = Instant::now() + Duration::from_secs(10);
    while Instant::now() < until {
        if std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(100)).is_ok() {
            return;
        }
        if let Ok(Some(st)) = child.try_wait() {
            panic!("{what} exited early: {st}");
        }
        thread::sleep(Duration::from_millis(20));
    }
    panic!("{what} did not listen on {addr}");
}

pub fn timing(retry: u32, dbr_ms: u64, loop_ms: u64, timeout_ms: u64) -> Timing {
    Timing {
        retry,
        delay_before_retry: Duration::from_millis(dbr_ms),
        delay_loop: Duration::from_millis(loop_ms),
        connect_timeout: Duration::from_millis(timeout_ms),
        warmup: Duration::ZERO,
        alpha: false,
    }
}

/// Runs one checker until `n` attempts ended (or `limit`), and returns their events.
pub fn attempts(spec: CheckSpec, n: usize, limit: Duration) -> (Vec<CheckEvent>, Runner) {
    let mut r = Runner::new(vec![spec]).unwrap();
    r.start(Instant::now());
    let mut seen = 0;
    let evs = r
        .run_until(Instant::now() + limit, |_| {
            seen += 1;
            seen >= n
        })
        .unwrap();
    assert!(
        evs.len() >= n,
        "only {} of {n} attempts ended within {limit:?}: {evs:?}",
        evs.len()
    );
    (evs, r)
}

pub fn spec(kind: Kind, addr: SocketAddr, t: Timing) -> CheckSpec {
    CheckSpec::simple(kind, addr, t)
}

/// The python helper for misbehaving servers (modes documented inside).
pub const BAD_SERVER: &str = r#"
import socket, struct, sys, time
mode = sys.argv[1]
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(64)
print(s.getsockname()[1], flush=True)
chunk = bytes(range(256)) * 4096  # 1 MiB
held = []
while True:
    c, _ = s.accept()
    if mode == "silent":      # accept, read the request, never answer
        held.append(c)
        continue
    try:
        # Read the request if the client speaks first (HTTP); SMTP clients wait for us.
        c.settimeout(0.1)
        try:
            c.recv(4096)
        except socket.timeout:
            pass
        c.settimeout(None)
        if mode == "garbage":
            c.sendall(b"\x16\x03\x01garbage\x00\xff" * 50 + b"\r\n\r\n")
        elif mode == "reset":
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif mode == "big":   # 100 MiB body with Content-Length
            c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n" % (100 * len(chunk)))
            for _ in range(100):
                c.sendall(chunk)
        elif mode == "endless":  # a body that never ends, trickled
            c.sendall(b"HTTP/1.0 200 OK\r\n\r\n")
            while True:
                c.sendall(chunk[:1024])
                time.sleep(0.01)
        elif mode == "endless-head":  # headers that never end
            c.sendall(b"HTTP/1.0 200 OK\r\n")
            while True:
                c.sendall(b"X-Filler: " + b"a" * 1000 + b"\r\n")
        elif mode == "smtp-reject":
            c.sendall(b"554 no service\r\n")
            time.sleep(0.2)
    except OSError:
        pass
    c.close()
"#;

pub fn bad_server(dir: &Path, mode: &str) -> Server {
    let script = dir.join("bad_server.py");
    std::fs::write(&script, BAD_SERVER).unwrap();
    let mut child = Command::new("python3")
        .arg(&script)
        .arg(mode)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run python3");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line.trim().parse().expect("bad server port");
    Server {
        child,
        addr: SocketAddr::from(([127, 0, 0, 1], port)),
        name: format!("bad server ({mode})"),
    }
}

/// nginx on a free port serving `root`; with `tls`, a self-signed certificate made now.
pub fn nginx(dir: &Path, root: &Path, tls: bool) -> Server {
    nginx_with(dir, root, tls, "")
}

/// A self-signed EC certificate for `subject`, valid one day, written to `cert` with its
/// unencrypted key in `key` (`openssl req -x509`).
pub fn self_signed(subject: &str, key: &Path, cert: &Path) {
    let st = Command::new(need("openssl", "openssl"))
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
        ])
        .args(["-nodes", "-days", "1", "-subj", subject])
        .arg("-keyout")
        .arg(key)
        .arg("-out")
        .arg(cert)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(st.success(), "openssl req failed");
}

/// As `nginx`, with `extra` directives in the server block.
pub fn nginx_with(dir: &Path, root: &Path, tls: bool, extra: &str) -> Server {
    let nginx = need("nginx", "nginx-light");
    let port = free_tcp_port();
    let listen = if tls {
        self_signed(
            "/CN=rs.example",
            &dir.join("key.pem"),
            &dir.join("cert.pem"),
        );
        format!(
            "listen 127.0.0.1:{port} ssl; ssl_certificate {0}/cert.pem; ssl_certificate_key {0}/key.pem;",
            dir.display()
        )
    } else {
        format!("listen 127.0.0.1:{port};")
    };
    let d = dir.display();
    let conf = format!(
        "daemon off; master_process off; pid {d}/nginx.pid; error_log {d}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {d}/cb; proxy_temp_path {d}/px; fastcgi_temp_path {d}/fc;
  uwsgi_temp_path {d}/uw; scgi_temp_path {d}/sc;
  server {{ {listen} {extra} server_name _; root {root}; location /teapot {{ return 418; }} }}
}}
",
        root = root.display()
    );
    let conf_path = dir.join("nginx.conf");
    std::fs::write(&conf_path, conf).unwrap();
    let mut child = Command::new(nginx)
        .arg("-c")
        .arg(&conf_path)
        .arg("-p")
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run nginx");
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    wait_tcp(addr, &mut child, "nginx");
    Server {
        child,
        addr,
        name: "nginx".into(),
    }
}

/// dnsmasq answering `check.test` with 192.0.2.7 and nothing else (no upstream).
pub fn dnsmasq() -> Server {
    let bin = need("dnsmasq", "dnsmasq-base");
    let port = free_udp_port();
    let child = Command::new(bin)
        .args(["-k", "--conf-file=/dev/null", "--no-resolv", "--no-hosts"])
        .args([
            "--listen-address=127.0.0.1",
            "--bind-interfaces",
            "--pid-file=",
        ])
        .arg(format!("--port={port}"))
        .arg("--address=/check.test/192.0.2.7")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run dnsmasq");
    // dnsmasq binds before it answers; probe until it does.
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let server = Server {
        child,
        addr,
        name: "dnsmasq".into(),
    };
    let probe = UdpSocket::bind("127.0.0.1:0").unwrap();
    probe
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let q =
        b"\x00\x01\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x05check\x04test\x00\x00\x01\x00\x01";
    let until = Instant::now() + Duration::from_secs(10);
    let mut buf = [0u8; 512];
    while Instant::now() < until {
        let _ = probe.send_to(q, addr);
        if probe.recv_from(&mut buf).is_ok() {
            return server;
        }
    }
    panic!("dnsmasq did not answer on {addr}");
}

/// python3-aiosmtpd's SMTP server (`python3 -m aiosmtpd`).
pub fn aiosmtpd() -> Server {
    let py = "/usr/bin/python3";
    let ok = Command::new(py)
        .args(["-c", "import aiosmtpd"])
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(
        ok,
        "aiosmtpd is missing: install it with `apt-get install -y python3-aiosmtpd`"
    );
    let port = free_tcp_port();
    let mut child = Command::new(py)
        .args(["-m", "aiosmtpd", "-n", "-l"])
        .arg(format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run aiosmtpd");
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    wait_tcp(addr, &mut child, "aiosmtpd");
    Server {
        child,
        addr,
        name: "aiosmtpd".into(),
    }
}

/// A UDP responder thread: `reply(request)` decides what to send back (None = silent).
pub struct UdpResponder {
    pub addr: SocketAddr,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    handle: Option<thread::JoinHandle<()>>,
}

impl UdpResponder {
    pub fn start(reply: impl Fn(&[u8]) -> Option<Vec<u8>> + Send + 'static) -> UdpResponder {
        let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
        sock.set_read_timeout(Some(Duration::from_millis(50)))
            .unwrap();
        let addr = sock.local_addr().unwrap();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let handle = thread::spawn(move || {
            let mut buf = [0u8; 2048];
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                if let Ok((n, from)) = sock.recv_from(&mut buf) {
                    if let Some(r) = reply(&buf[..n]) {
                        let _ = sock.send_to(&r, from);
                    }
                }
            }
        });
        UdpResponder {
            addr,
            stop,
            handle: Some(handle),
        }
    }
}

impl Drop for UdpResponder {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// The gap between the end of attempt `a` and the start of attempt `b`.
pub fn gap(a: &CheckEvent, b: &CheckEvent) -> Duration {
    b.started.saturating_duration_since(a.ended)
}

pub fn assert_near(d: Duration, want_ms: u64, what: &str) {
    let want = Duration::from_millis(want_ms);
    // Timers fire on a sub-ms timerfd; allow scheduling noise on a shared 2-core box.
    assert!(
        d >= want && d <= want + Duration::from_millis(60),
        "{what}: {d:?}, want {want:?} (+60 ms)"
    );
}

/// Peak resident set of this process, in KiB.
pub fn vm_hwm_kib() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    s.lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
