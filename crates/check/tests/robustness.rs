//! Misbehaving servers: one that accepts and never answers, one that answers garbage,
//! one that resets, one that sends 100 MiB, one that never stops sending. Each check
//! ends on time, the loop never blocks, and the checker's buffers stay bounded.

mod support;

use std::time::{Duration, Instant};

use keepalived_check::proto::http::{md5_hex, UrlSpec, MAX_HEAD};
use keepalived_check::runner::READ_CHUNK;
use keepalived_check::{CheckEvent, Kind, Runner, TlsSpec, Verdict};
use keepalived_config::model::check::HttpProtocol;
use md5::{Digest, Md5};
use support::*;

/// The python helper's 100 MiB body: `bytes(range(256)) * 4096`, 100 times.
fn big_digest() -> String {
    let chunk: Vec<u8> = (0..=255u8).cycle().take(1 << 20).collect();
    let mut h = Md5::new();
    for _ in 0..100 {
        h.update(&chunk);
    }
    keepalived_check::proto::http::hex(&h.finalize())
}

fn http(digest: Option<String>) -> Kind {
    Kind::Http {
        urls: vec![UrlSpec {
            path: "/".into(),
            digest,
            status_codes: vec![],
            host: "rs".into(),
            protocol: HttpProtocol::Http10,
            regex: None,
        }],
        tls: None,
    }
}

fn one(
    kind: Kind,
    mode: &str,
    connect_timeout_ms: u64,
    delay_loop_ms: u64,
) -> (CheckEvent, Runner, Duration) {
    let dir = tempfile::tempdir().unwrap();
    let srv = bad_server(dir.path(), mode);
    let s = spec(
        kind,
        srv.addr,
        timing(0, 100, delay_loop_ms, connect_timeout_ms),
    );
    let t0 = Instant::now();
    let (mut evs, r) = attempts(s, 1, Duration::from_secs(30));
    let e = evs.remove(0);
    let took = e.ended - e.started;
    let _ = t0;
    assert_eq!(r.in_flight(), 0);
    (e, r, took)
}

fn bounded(r: &Runner) {
    let peak = r.stats().peak_buffered;
    assert!(peak <= MAX_HEAD + READ_CHUNK, "peak buffered {peak} bytes");
}

#[test]
fn accepts_then_never_answers_fails_at_connect_timeout() {
    for kind in [
        http(None),
        Kind::Smtp {
            helo_name: "x".into(),
        },
        Kind::Http {
            urls: vec![UrlSpec {
                path: "/".into(),
                digest: None,
                status_codes: vec![],
                host: "rs".into(),
                protocol: HttpProtocol::Http10,
                regex: None,
            }],
            tls: Some(TlsSpec {
                sni: None,
                client_cert: None,
            }),
        },
    ] {
        let (e, r, took) = one(kind.clone(), "silent", 400, 5000);
        assert!(
            matches!(&e.verdict, Verdict::Fail(w) if w.contains("timed out")),
            "{e:?}"
        );
        assert!(
            took >= Duration::from_millis(400) && took < Duration::from_millis(500),
            "{kind:?}: {took:?}"
        );
        bounded(&r);
    }
}

#[test]
fn garbage_fails_fast() {
    for kind in [
        http(None),
        Kind::Smtp {
            helo_name: "x".into(),
        },
    ] {
        let (e, r, took) = one(kind, "garbage", 2000, 5000);
        assert!(!e.verdict.is_ok(), "{e:?}");
        assert!(took < Duration::from_millis(500), "{took:?}");
        bounded(&r);
    }
    let tls = Kind::Http {
        urls: vec![UrlSpec {
            path: "/".into(),
            digest: None,
            status_codes: vec![],
            host: "rs".into(),
            protocol: HttpProtocol::Http10,
            regex: None,
        }],
        tls: Some(TlsSpec {
            sni: None,
            client_cert: None,
        }),
    };
    let (e, _, took) = one(tls, "garbage", 2000, 5000);
    assert!(
        matches!(&e.verdict, Verdict::Fail(w) if w.contains("TLS")),
        "{e:?}"
    );
    assert!(took < Duration::from_millis(500), "{took:?}");
}

#[test]
fn reset_fails_fast() {
    for kind in [
        http(None),
        Kind::Smtp {
            helo_name: "x".into(),
        },
    ] {
        let (e, _, took) = one(kind, "reset", 2000, 5000);
        assert!(!e.verdict.is_ok(), "{e:?}");
        assert!(took < Duration::from_millis(500), "{took:?}");
    }
}

#[test]
fn hundred_mib_with_matching_digest_completes_with_bounded_memory() {
    let want = big_digest();
    let hwm_before = vm_hwm_kib();
    let (e, r, took) = one(http(Some(want)), "big", 5000, 30_000);
    assert_eq!(e.verdict, Verdict::ok(), "after {took:?}");
    let st = r.stats();
    assert!(st.bytes_read >= 100 << 20, "{st:?}");
    bounded(&r);
    let grown = vm_hwm_kib().saturating_sub(hwm_before);
    assert!(grown < 32 * 1024, "peak RSS grew by {grown} KiB");
    eprintln!("100 MiB digest: {took:?}, {st:?}, peak RSS growth {grown} KiB");
}

#[test]
fn hundred_mib_with_a_wrong_digest_fails_and_without_digest_stops_at_the_head() {
    let (e, r, _) = one(http(Some(md5_hex(b"other"))), "big", 5000, 30_000);
    assert!(
        matches!(&e.verdict, Verdict::Fail(w) if w.contains("digest")),
        "{e:?}"
    );
    bounded(&r);
    let (e, r, took) = one(http(None), "big", 5000, 30_000);
    assert!(e.verdict.is_ok());
    assert!(took < Duration::from_millis(500), "{took:?}");
    assert!(
        r.stats().bytes_read < 8 << 20,
        "read {} bytes",
        r.stats().bytes_read
    );
}

#[test]
fn a_body_that_never_ends_fails_at_the_attempt_cap() {
    // Data keeps coming, so the inactivity timeout (300 ms) never fires; the attempt cap
    // (connect_timeout + delay_loop = 800 ms) does.
    let (e, r, took) = one(http(Some(md5_hex(b"x"))), "endless", 300, 500);
    assert!(
        matches!(&e.verdict, Verdict::Fail(w) if w.contains("timed out")),
        "{e:?}"
    );
    assert!(
        took >= Duration::from_millis(800) && took < Duration::from_millis(950),
        "{took:?}"
    );
    bounded(&r);
}

#[test]
fn headers_that_never_end_fail_with_a_bounded_buffer() {
    let (e, r, took) = one(http(None), "endless-head", 2000, 5000);
    assert!(
        matches!(&e.verdict, Verdict::Fail(w) if w.contains("headers longer")),
        "{e:?}"
    );
    assert!(took < Duration::from_millis(500), "{took:?}");
    bounded(&r);
}
