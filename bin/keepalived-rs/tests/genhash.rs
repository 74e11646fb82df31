//! `keepalived-rs --genhash` against a real HTTP server (python3's http.server on
//! loopback, run by `cargo test -p keepalived-rs`): the digest printed is the MD5 of the
//! served body, the same as Debian's `keepalived -T` prints, and failures exit non-zero.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

struct Server {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// python3's http.server on 127.0.0.1, an ephemeral port, serving a fresh directory.
fn server() -> Server {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("index.html"),
        b"hello from the genhash test\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("big.bin"), vec![b'x'; 300_000]).expect("write");
    let script = "import http.server, functools, sys\n\
        h = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])\n\
        s = http.server.HTTPServer(('127.0.0.1', 0), h)\n\
        print(s.server_address[1], flush=True)\n\
        s.serve_forever()\n";
    let mut child = Command::new("python3")
        .args(["-c", script])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 is needed for this test (apt-get install python3)");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read the port");
    let port = line.trim().parse().expect("python printed its port");
    Server { child, port, dir }
}

fn md5_hex(data: &[u8]) -> String {
    let out = Command::new("md5sum")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().expect("stdin").write_all(data)?;
            c.wait_with_output()
        })
        .expect("run md5sum");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}

fn ours(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_keepalived-rs"))
        .args(args)
        .output()
        .expect("run keepalived-rs")
}

#[test]
fn genhash_prints_the_body_digest_like_keepalived() {
    let s = server();
    let port = s.port.to_string();
    for (url, file) in [("/index.html", "index.html"), ("/big.bin", "big.bin")] {
        let want = md5_hex(&std::fs::read(s.dir.path().join(file)).expect("read"));
        let out = ours(&["-T", "-s", "127.0.0.1", "-p", &port, "-u", url]);
        assert!(out.status.success(), "genhash {url}: {out:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!("{want}\n"),
            "{url}"
        );
        // HTTP/1.1 and the long options give the same digest.
        let out = ours(&[
            "--genhash",
            "--server",
            "127.0.0.1",
            "--port",
            &port,
            "--url",
            url,
            "-P",
            "1.1",
        ]);
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!("{want}\n"),
            "{url} 1.1"
        );
    }
    // Differential: Debian's keepalived -T prints the same line (it sometimes says
    // "Connection failed" against this server, so it gets a few tries).
    if std::path::Path::new("/usr/sbin/keepalived").exists() {
        let mut theirs = String::new();
        for _ in 0..5 {
            let o = Command::new("/usr/sbin/keepalived")
                .args(["-T", "-s", "127.0.0.1", "-p", &port, "-u", "/index.html"])
                .output()
                .expect("run keepalived -T");
            theirs = String::from_utf8_lossy(&o.stdout).to_string();
            if !theirs.contains("failed") {
                break;
            }
        }
        let out = ours(&["-T", "-s", "127.0.0.1", "-p", &port, "-u", "/index.html"]);
        assert_eq!(String::from_utf8_lossy(&out.stdout), theirs);
    }
    // A 404 still has a body: its digest is printed, as keepalived does.
    let out = ours(&["-T", "-s", "127.0.0.1", "-p", &port, "-u", "/missing"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim().len(), 32);
}

#[test]
fn genhash_fails_cleanly() {
    // Nothing listens on port 1 of loopback: connection refused, exit 1, the cause named.
    let out = ours(&["-T", "-s", "127.0.0.1", "-p", "1", "-u", "/", "-t", "2"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("connect to 127.0.0.1:1"), "{err}");
    // A missing -u is a usage error.
    let out = ours(&["-T", "-s", "127.0.0.1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("url"));
    let out = ours(&["-T", "-h"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--use-ssl"));
}
