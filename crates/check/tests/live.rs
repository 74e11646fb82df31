//! Live checker tests: every checker type against a real server on loopback (nginx,
//! dnsmasq, aiosmtpd, a UDP responder, the kernel's ICMP), up and down, with retry and
//! delay_before_retry timing taken from the runner's timestamps.

mod support;

use std::net::{SocketAddr, TcpListener};
use std::time::{Duration, Instant};

use keepalived_check::proto::http::{md5_hex, UrlSpec};
use keepalived_check::{Kind, Runner, TlsSpec, Transition, Verdict};
use keepalived_config::model::check::{DnsType, HttpProtocol, StatusRange};
use support::*;

fn url(path: &str, digest: Option<String>, codes: &[(u16, u16)]) -> UrlSpec {
    UrlSpec {
        path: path.into(),
        digest,
        status_codes: codes
            .iter()
            .map(|&(first, last)| StatusRange { first, last })
            .collect(),
        host: "rs.example".into(),
        protocol: HttpProtocol::Http11,
        regex: None,
    }
}

fn ok_count(evs: &[keepalived_check::CheckEvent]) -> usize {
    evs.iter().filter(|e| e.verdict.is_ok()).count()
}

#[test]
fn tcp_check_retry_timing_down_then_up() {
    let port = free_tcp_port();
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let s = spec(Kind::Tcp, addr, timing(2, 100, 300, 500));
    let mut r = Runner::new(vec![s]).unwrap();
    r.start(Instant::now());
    let mut evs = Vec::new();
    let limit = Instant::now() + Duration::from_secs(5);
    while evs.len() < 4 && Instant::now() < limit {
        evs.extend(r.turn(Some(limit)).unwrap());
    }
    assert_eq!(evs.len(), 4, "{evs:?}");
    assert!(evs.iter().all(|e| !e.verdict.is_ok()));
    // Two retries 100 ms apart, Down on the third failure, then delay_loop.
    assert_eq!(evs[0].transition, None);
    assert_eq!(evs[1].transition, None);
    assert!(matches!(
        evs[2].transition,
        Some(Transition::Down { retries: 2, .. })
    ));
    assert_eq!(evs[3].transition, None);
    assert_near(gap(&evs[0], &evs[1]), 100, "first retry");
    assert_near(gap(&evs[1], &evs[2]), 100, "second retry");
    assert_near(gap(&evs[2], &evs[3]), 300, "delay_loop after Down");
    assert!(!r.is_up(0));
    // The server comes up: the next round sees it.
    let _l = TcpListener::bind(addr).unwrap();
    let up = r
        .run_until(Instant::now() + Duration::from_secs(2), |e| {
            e.verdict.is_ok()
        })
        .unwrap();
    let last = up.last().unwrap();
    assert_eq!(last.transition, Some(Transition::Up { weight: None }));
    assert!(r.is_up(0));
    assert_eq!(r.in_flight(), 0);
}

#[test]
fn tcp_check_connect_timeout_to_a_blackhole_listener() {
    // A listener whose backlog is full never completes a handshake for a new SYN on
    // loopback, so connect stays in progress until connect_timeout.
    let l = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    l.bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
        .unwrap();
    l.listen(0).unwrap();
    let addr = l.local_addr().unwrap().as_socket().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..4 {
        let s = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
        s.set_nonblocking(true).unwrap();
        let _ = s.connect(&addr.into());
        fillers.push(s);
    }
    std::thread::sleep(Duration::from_millis(100));
    let (evs, _) = attempts(
        spec(Kind::Tcp, addr, timing(0, 100, 1000, 300)),
        1,
        Duration::from_secs(3),
    );
    let e = &evs[0];
    assert!(!e.verdict.is_ok(), "{e:?}");
    let took = e.ended - e.started;
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_millis(400),
        "connect_timeout 300 ms took {took:?}: {:?}",
        e.verdict
    );
}

#[test]
fn http_get_against_nginx_status_digest_and_down() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("www");
    std::fs::create_dir(&root).unwrap();
    let body = b"hello from nginx for keepalived-rs\n".repeat(1000);
    std::fs::write(root.join("index.html"), &body).unwrap();
    let good = md5_hex(&body);
    let srv = nginx(dir.path(), &root, false);
    let addr = srv.addr;
    let t = timing(1, 100, 200, 1000);
    let http = |urls| Kind::Http { urls, tls: None };
    // Digest and default status range, two urls, custom status range: up.
    let kind = http(vec![
        url("/index.html", Some(good.clone()), &[]),
        url("/teapot", None, &[(418, 418)]),
    ]);
    let (evs, r) = attempts(spec(kind, addr, t), 2, Duration::from_secs(5));
    assert_eq!(ok_count(&evs), 2, "{evs:?}");
    assert!(r.stats().peak_buffered <= 16 * 1024 + 1024);
    // Wrong digest, 404, teapot without its status: each fails.
    for u in [
        url("/index.html", Some(md5_hex(b"other")), &[]),
        url("/missing", None, &[]),
        url("/teapot", None, &[]),
    ] {
        let (evs, _) = attempts(
            spec(http(vec![u.clone()]), addr, t),
            1,
            Duration::from_secs(5),
        );
        assert!(!evs[0].verdict.is_ok(), "{u:?} passed: {evs:?}");
    }
    // nginx stops: fails, retried once after delay_before_retry, then Down.
    drop(srv);
    let kind = http(vec![url("/index.html", Some(good), &[])]);
    let (evs, _) = attempts(spec(kind, addr, t), 2, Duration::from_secs(5));
    assert!(
        matches!(&evs[0].verdict, Verdict::Fail(w) if w.contains("refused")),
        "{evs:?}"
    );
    assert_eq!(evs[0].transition, None);
    assert!(matches!(evs[1].transition, Some(Transition::Down { .. })));
    assert_near(gap(&evs[0], &evs[1]), 100, "retry");
}

#[test]
fn ssl_get_against_nginx_tls_with_digest_sni_and_status() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("www");
    std::fs::create_dir(&root).unwrap();
    let body = b"tls body\n".repeat(5000);
    std::fs::write(root.join("index.html"), &body).unwrap();
    let srv = nginx(dir.path(), &root, true);
    let t = timing(0, 100, 200, 2000);
    for sni in [None, Some("rs.example".to_string())] {
        let kind = Kind::Http {
            urls: vec![
                url("/index.html", Some(md5_hex(&body)), &[]),
                url("/teapot", None, &[(418, 418)]),
            ],
            tls: Some(TlsSpec {
                sni,
                client_cert: None,
            }),
        };
        let (evs, _) = attempts(spec(kind, srv.addr, t), 2, Duration::from_secs(5));
        assert_eq!(ok_count(&evs), 2, "{evs:?}");
    }
    let kind = Kind::Http {
        urls: vec![url("/index.html", Some(md5_hex(b"nope")), &[])],
        tls: Some(TlsSpec {
            sni: None,
            client_cert: None,
        }),
    };
    let (evs, _) = attempts(spec(kind, srv.addr, t), 1, Duration::from_secs(5));
    assert!(
        matches!(&evs[0].verdict, Verdict::Fail(w) if w.contains("digest")),
        "{evs:?}"
    );
    // TLS to a plain HTTP server fails cleanly.
    let plain_dir = tempfile::tempdir().unwrap();
    let plain = nginx(plain_dir.path(), &root, false);
    let kind = Kind::Http {
        urls: vec![url("/index.html", None, &[])],
        tls: Some(TlsSpec {
            sni: None,
            client_cert: None,
        }),
    };
    let (evs, _) = attempts(spec(kind, plain.addr, t), 1, Duration::from_secs(5));
    assert!(
        matches!(&evs[0].verdict, Verdict::Fail(w) if w.contains("TLS")),
        "{evs:?}"
    );
}

#[test]
fn smtp_check_against_aiosmtpd_a_rejecting_server_and_nothing() {
    let srv = aiosmtpd();
    let t = timing(1, 100, 200, 2000);
    let kind = || Kind::Smtp {
        helo_name: "lb.example".into(),
    };
    let (evs, _) = attempts(spec(kind(), srv.addr, t), 2, Duration::from_secs(5));
    assert_eq!(ok_count(&evs), 2, "{evs:?}");
    let dir = tempfile::tempdir().unwrap();
    let bad = bad_server(dir.path(), "smtp-reject");
    let (evs, _) = attempts(spec(kind(), bad.addr, t), 2, Duration::from_secs(5));
    assert!(
        matches!(&evs[0].verdict, Verdict::Fail(w) if w.contains("554")),
        "{evs:?}"
    );
    assert!(matches!(evs[1].transition, Some(Transition::Down { .. })));
    assert_near(gap(&evs[0], &evs[1]), 100, "smtp retry");
    let addr = srv.addr;
    drop(srv);
    let (evs, _) = attempts(spec(kind(), addr, t), 1, Duration::from_secs(5));
    assert!(!evs[0].verdict.is_ok());
}

#[test]
fn dns_check_against_dnsmasq_and_bad_responders() {
    let srv = dnsmasq();
    let t = timing(2, 100, 200, 300);
    let a = |name: &str| Kind::Dns {
        qtype: DnsType::A,
        name: name.into(),
    };
    let (evs, _) = attempts(
        spec(a("check.test"), srv.addr, t),
        2,
        Duration::from_secs(5),
    );
    assert_eq!(ok_count(&evs), 2, "{evs:?}");
    let addr = srv.addr;
    drop(srv);
    // No server: ICMP port unreachable on the connected socket, three failures 100 ms apart.
    let (evs, _) = attempts(spec(a("check.test"), addr, t), 3, Duration::from_secs(5));
    assert!(
        matches!(&evs[0].verdict, Verdict::Fail(w) if w.contains("unreachable")),
        "{evs:?}"
    );
    assert!(matches!(
        evs[2].transition,
        Some(Transition::Down { retries: 2, .. })
    ));
    assert_near(gap(&evs[0], &evs[1]), 100, "dns retry");
    // SERVFAIL: fails at once. Wrong id, or silence: ignored until the timeout.
    let servfail = UdpResponder::start(|q| {
        let mut r = q.to_vec();
        r[2] |= 0x80;
        r[3] = (r[3] & 0xf0) | 2;
        Some(r)
    });
    let (evs, _) = attempts(spec(a("x"), servfail.addr, t), 1, Duration::from_secs(5));
    assert!(
        matches!(&evs[0].verdict, Verdict::Fail(w) if w.contains("RCODE 2")),
        "{evs:?}"
    );
    let wrong_id = UdpResponder::start(|q| {
        let mut r = q.to_vec();
        r[0] ^= 0xff;
        r[2] |= 0x80;
        Some(r)
    });
    let (evs, _) = attempts(spec(a("x"), wrong_id.addr, t), 1, Duration::from_secs(5));
    let took = evs[0].ended - evs[0].started;
    assert!(!evs[0].verdict.is_ok());
    assert!(took >= Duration::from_millis(300), "{took:?}");
}

#[test]
fn udp_check_echo_lengths_silence_and_refused() {
    let echo = UdpResponder::start(|q| Some(q.to_vec()));
    let silent = UdpResponder::start(|_| None);
    let t = timing(0, 100, 200, 300);
    let udp = |require_reply: bool, min: Option<u32>, max: Option<u32>| Kind::Udp {
        payload: b"hello".to_vec(),
        require_reply,
        reply_data: Some(b"hel".to_vec()),
        min_len: min,
        max_len: max,
    };
    let run1 = |k: Kind, a: SocketAddr| {
        attempts(spec(k, a, t), 1, Duration::from_secs(5))
            .0
            .remove(0)
    };
    assert!(run1(udp(true, Some(5), Some(5)), echo.addr).verdict.is_ok());
    assert!(!run1(udp(true, Some(6), None), echo.addr).verdict.is_ok());
    assert!(!run1(udp(true, None, Some(4)), echo.addr).verdict.is_ok());
    let e = run1(udp(true, None, None), silent.addr);
    assert!(!e.verdict.is_ok());
    assert!(e.ended - e.started >= Duration::from_millis(300));
    assert!(run1(udp(false, None, None), silent.addr).verdict.is_ok());
    let closed = SocketAddr::from(([127, 0, 0, 1], free_udp_port()));
    let e = run1(udp(false, None, None), closed);
    assert!(
        matches!(&e.verdict, Verdict::Fail(w) if w.contains("unreachable")),
        "{e:?}"
    );
}

#[test]
fn ping_check_v4_v6_up_and_down_in_a_fresh_netns() {
    need_root();
    let t = timing(1, 100, 200, 500);
    for ip in ["127.0.0.1", "::1"] {
        let addr = SocketAddr::new(ip.parse().unwrap(), 0);
        let (evs, _) = attempts(spec(Kind::Ping, addr, t), 2, Duration::from_secs(5));
        assert_eq!(ok_count(&evs), 2, "{ip}: {evs:?}");
    }
    // Down: a thread in its own network namespace, where loopback is down. The
    // namespace belongs to this thread only and goes away with it.
    let h = std::thread::spawn(move || {
        nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET).expect("unshare(CLONE_NEWNET)");
        let addr = SocketAddr::new("127.0.0.1".parse().unwrap(), 0);
        attempts(spec(Kind::Ping, addr, t), 2, Duration::from_secs(5)).0
    });
    let evs = h.join().unwrap();
    assert!(evs.iter().all(|e| !e.verdict.is_ok()), "{evs:?}");
    assert!(matches!(
        evs[1].transition,
        Some(Transition::Down { retries: 1, .. })
    ));
    assert_near(gap(&evs[0], &evs[1]), 100, "ping retry");
}

#[test]
fn misc_check_exit_codes_dynamic_weight_and_timeout_kills_the_group() {
    let t = timing(0, 100, 200, 1000);
    let misc = |script: &str, dynamic: bool, timeout_ms: u64| Kind::Misc {
        args: vec!["/bin/sh".into(), "-c".into(), script.into()],
        timeout: Duration::from_millis(timeout_ms),
        dynamic,
        user: None,
    };
    let none = SocketAddr::from(([127, 0, 0, 1], 0));
    let run1 = |k: Kind| {
        attempts(spec(k, none, t), 1, Duration::from_secs(5))
            .0
            .remove(0)
    };
    assert!(run1(misc("exit 0", false, 1000)).verdict.is_ok());
    assert!(!run1(misc("exit 1", false, 1000)).verdict.is_ok());
    assert!(!run1(misc("exit 7", false, 1000)).verdict.is_ok());
    assert_eq!(
        run1(misc("exit 7", true, 1000)).verdict,
        Verdict::Ok { weight: Some(5) }
    );
    assert!(!run1(misc("exit 1", true, 1000)).verdict.is_ok());
    // A script that hangs, with a child of its own: both die at misc_timeout.
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("pids");
    let script = format!(
        "sleep 30 & echo $! > {0}; echo $$ >> {0}; wait",
        pidfile.display()
    );
    let e = run1(misc(&script, false, 300));
    let took = e.ended - e.started;
    assert!(
        matches!(&e.verdict, Verdict::Fail(w) if w.contains("timed out")),
        "{e:?}"
    );
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_millis(450),
        "{took:?}"
    );
    std::thread::sleep(Duration::from_millis(100));
    let gone = |pidfile: &std::path::Path| {
        for pid in std::fs::read_to_string(pidfile).unwrap().split_whitespace() {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            // Gone, or a zombie waiting for its reaper (the sleep's parent died too).
            assert!(
                stat.is_empty() || stat.contains(") Z "),
                "pid {pid} still runs: {stat}"
            );
        }
    };
    gone(&pidfile);
    // A script that ignores SIGTERM, as does its child: its group gets SIGKILL after the
    // grace period (earlier rounds) or when the runner is dropped (the last round).
    let pidfile2 = dir.path().join("pids2");
    let script = format!(
        "trap '' TERM; sleep 30 & echo $! > {0}; echo $$ >> {0}; wait; wait",
        pidfile2.display()
    );
    let (evs, _) = attempts(
        spec(misc(&script, false, 300), none, t),
        3,
        Duration::from_secs(5),
    );
    assert!(evs.iter().all(|e| !e.verdict.is_ok()));
    std::thread::sleep(Duration::from_millis(100));
    gone(&pidfile2);
}

#[test]
fn misc_check_retries_delay_before_retry_after_the_script_started() {
    // retry 2, delay_before_retry 400 ms, delay_loop 1.5 s; the script fails after 200 ms.
    // keepalived times the next run from the last run's start (`last_ran`): starts are
    // 400 ms apart during retries, then delay_loop after the failure that makes it Down.
    let t = timing(2, 400, 1500, 2000);
    let k = Kind::Misc {
        args: vec!["/bin/sh".into(), "-c".into(), "sleep 0.2; exit 1".into()],
        timeout: Duration::from_secs(2),
        dynamic: false,
        user: None,
    };
    let none = SocketAddr::from(([127, 0, 0, 1], 0));
    let (evs, _) = attempts(spec(k, none, t), 4, Duration::from_secs(8));
    assert!(evs.iter().all(|e| !e.verdict.is_ok()), "{evs:?}");
    assert!(matches!(
        evs[2].transition,
        Some(Transition::Down { retries: 2, .. })
    ));
    let starts = |a: &keepalived_check::CheckEvent, b: &keepalived_check::CheckEvent| {
        (b.started - a.started).as_millis() as i64
    };
    assert_near_ms(starts(&evs[0], &evs[1]), 400, "first retry");
    assert_near_ms(starts(&evs[1], &evs[2]), 400, "second retry");
    assert_near_ms(starts(&evs[2], &evs[3]), 1500, "delay_loop after Down");
}

#[test]
fn misc_check_user_runs_the_script_as_that_user_and_group() {
    use keepalived_check::misc_user::ScriptUsers;
    use keepalived_check::server::Plan;
    use std::os::unix::fs::PermissionsExt;
    need_root();
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = dir.path().join("ids");
    std::fs::write(&out, "").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o666)).unwrap();
    let script = dir.path().join("ids.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho $(id -u) $(id -g) >> {}\n", out.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let conf = format!(
        "global_defs {{\n script_user root\n}}\n\
         virtual_server 192.0.2.10 80 {{\n lb_kind DR\n protocol TCP\n delay_loop 1\n warmup 0\n\
         real_server 192.0.2.1 80 {{\n\
         MISC_CHECK {{\n misc_path {0}\n user nobody nogroup\n }}\n\
         MISC_CHECK {{\n misc_path {0}\n }}\n }}\n}}\n",
        script.display()
    );
    let mut d = keepalived_config::Diagnostics::default();
    let cfg = keepalived_config::load_str(
        "t.conf",
        &conf,
        &keepalived_config::ReadOptions::default(),
        &mut d,
    );
    let plan = Plan::with_scripts(&cfg.check, "lb", &[], &ScriptUsers::of(&cfg));
    assert!(plan.skipped.is_empty(), "{:?}", plan.skipped);
    let mut r = Runner::new(plan.specs).unwrap();
    r.start(Instant::now());
    let mut n = 0;
    r.run_until(Instant::now() + Duration::from_secs(5), |_| {
        n += 1;
        n >= 2
    })
    .unwrap();
    let mut lines: Vec<String> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    lines.sort();
    // `user nobody nogroup` runs as 65534:65534; the other takes the global script_user.
    assert_eq!(lines, ["0 0", "65534 65534"]);
}

#[test]
fn a_suspended_checker_skips_its_rounds_and_resumes() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    let mut r = Runner::new(vec![spec(Kind::Tcp, addr, timing(0, 50, 100, 500))]).unwrap();
    assert!(r.set_suspended(0, true));
    assert!(!r.set_suspended(0, true), "no change");
    r.start(Instant::now());
    let evs = r
        .run_until(Instant::now() + Duration::from_millis(500), |_| false)
        .unwrap();
    assert!(evs.is_empty(), "suspended, yet attempted: {evs:?}");
    assert!(r.is_up(0), "the state is kept");
    assert!(r.set_suspended(0, false));
    let evs = r
        .run_until(Instant::now() + Duration::from_secs(2), |_| true)
        .unwrap();
    assert_eq!(ok_count(&evs), 1, "{evs:?}");
}

#[test]
fn ha_suspend_watch_sees_the_vip_come_and_go_in_a_fresh_netns() {
    use keepalived_check::suspend::VipWatch;
    need_root();
    // A thread in its own network namespace: gone with the thread.
    let h = std::thread::spawn(|| {
        nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET).expect("unshare(CLONE_NEWNET)");
        let ip = |args: &str| {
            let st = std::process::Command::new("ip")
                .args(args.split_whitespace())
                .status()
                .unwrap();
            assert!(st.success(), "ip {args}");
        };
        ip("link set lo up");
        let vip: std::net::IpAddr = "192.0.2.10".parse().unwrap();
        let mut w = VipWatch::open().unwrap();
        assert!(!w.addrs.has(&vip));
        let wait = |w: &mut VipWatch, present: bool| {
            let until = Instant::now() + Duration::from_secs(3);
            while w.addrs.has(&vip) != present && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(20));
                w.read().unwrap();
            }
            w.addrs.has(&vip)
        };
        ip("addr add 192.0.2.10/32 dev lo");
        assert!(wait(&mut w, true), "VIP added, not seen");
        ip("addr del 192.0.2.10/32 dev lo");
        assert!(!wait(&mut w, false), "VIP removed, still seen");
        // Present before the watch opens: the initial dump has it.
        ip("addr add 192.0.2.10/32 dev lo");
        assert!(VipWatch::open().unwrap().addrs.has(&vip));
    });
    h.join().unwrap();
}

fn assert_near_ms(got: i64, want: i64, what: &str) {
    // The script's own 200 ms must not be added; load can only delay.
    assert!(
        got >= want - 5 && got < want + 150,
        "{what}: {got} ms, want {want} ms"
    );
}

#[test]
fn the_loop_keeps_checking_others_while_one_server_hangs() {
    let dir = tempfile::tempdir().unwrap();
    let silent = bad_server(dir.path(), "silent");
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let good = l.local_addr().unwrap();
    let hang = spec(
        Kind::Http {
            urls: vec![url("/", None, &[])],
            tls: None,
        },
        silent.addr,
        timing(0, 100, 5000, 1000),
    );
    let fast = spec(Kind::Tcp, good, timing(0, 100, 50, 1000));
    let mut r = Runner::new(vec![hang, fast]).unwrap();
    r.start(Instant::now());
    let t0 = Instant::now();
    let evs = r
        .run_until(t0 + Duration::from_secs(3), |e| e.check == 0)
        .unwrap();
    let fast_done = evs
        .iter()
        .filter(|e| e.check == 1 && e.verdict.is_ok())
        .count();
    let hung = evs.iter().find(|e| e.check == 0).unwrap();
    assert!(!hung.verdict.is_ok());
    // ~1 s of hanging HTTP; the TCP check ran every ~50 ms meanwhile.
    assert!(
        fast_done >= 10,
        "only {fast_done} TCP checks during the hang"
    );
}

#[test]
fn bindto_bind_port_bind_if_and_fwmark_are_applied() {
    need_root();
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.set_nonblocking(true).unwrap();
    let bind_port = free_tcp_port();
    let mut s = spec(
        Kind::Tcp,
        l.local_addr().unwrap(),
        timing(0, 100, 1000, 1000),
    );
    s.bindto = Some("127.0.0.2".parse().unwrap());
    s.bind_port = Some(bind_port);
    s.bind_if = Some("lo".into());
    s.fwmark = Some(7);
    let (evs, _) = attempts(s, 1, Duration::from_secs(3));
    assert!(evs[0].verdict.is_ok(), "{evs:?}");
    let (_, peer) = l
        .accept()
        .expect("the check's connection is in the backlog");
    assert_eq!(peer, SocketAddr::from(([127, 0, 0, 2], bind_port)));
    // A device that does not exist fails the attempt, it does not panic.
    let mut s = spec(
        Kind::Tcp,
        l.local_addr().unwrap(),
        timing(0, 100, 1000, 1000),
    );
    s.bind_if = Some("nosuchdev0".into());
    let (evs, _) = attempts(s, 1, Duration::from_secs(3));
    assert!(
        matches!(&evs[0].verdict, Verdict::Fail(w) if w.contains("connect to")),
        "{evs:?}"
    );
}

#[test]
fn genhash_prints_the_digest_nginx_serves_over_http_and_https() {
    use keepalived_check::genhash::genhash;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("www");
    std::fs::create_dir(&root).unwrap();
    let body = b"genhash body\n".repeat(3000);
    std::fs::write(root.join("g.html"), &body).unwrap();
    let plain = nginx(dir.path(), &root, false);
    let tls_dir = tempfile::tempdir().unwrap();
    let tls = nginx(tls_dir.path(), &root, true);
    for (addr, is_tls) in [(plain.addr, false), (tls.addr, true)] {
        let g = genhash(
            addr,
            is_tls,
            None,
            url("/g.html", None, &[]),
            Duration::from_secs(5),
        )
        .unwrap();
        assert_eq!(g.status, 200);
        assert_eq!(g.digest, md5_hex(&body));
        assert_eq!(g.body_len, body.len() as u64);
    }
    let g = genhash(
        plain.addr,
        false,
        None,
        url("/missing", None, &[]),
        Duration::from_secs(5),
    )
    .unwrap();
    assert_eq!(g.status, 404);
}

#[test]
fn ping_check_on_unprivileged_icmp_sockets_in_a_fresh_netns() {
    need_root();
    let ip = need("ip", "iproute2");
    let range = "/proc/sys/net/ipv4/ping_group_range";
    let host_before = std::fs::read_to_string(range).unwrap();
    // A thread in its own network namespace (gone with the thread): loopback up, and
    // ping_group_range (per namespace) opened so ICMP datagram sockets are allowed.
    let h = std::thread::spawn(move || {
        nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET).expect("unshare(CLONE_NEWNET)");
        let st = std::process::Command::new(ip)
            .args(["link", "set", "lo", "up"])
            .status()
            .unwrap();
        assert!(st.success(), "ip link set lo up");
        // /proc/sys/net follows the namespace of the thread that opens it.
        std::fs::write("/proc/sys/net/ipv4/ping_group_range", "0 0")
            .expect("open ping_group_range in the namespace");
        let t = timing(0, 100, 200, 500);
        let mut out = Vec::new();
        for addr in ["127.0.0.1", "::1"] {
            let a = SocketAddr::new(addr.parse().unwrap(), 0);
            let (evs, r) = attempts(spec(Kind::Ping, a, t), 2, Duration::from_secs(5));
            out.push((addr, ok_count(&evs), r.stats()));
        }
        out
    });
    for (addr, ok, stats) in h.join().unwrap() {
        assert_eq!(ok, 2, "{addr}");
        assert_eq!(
            (stats.icmp_dgram, stats.icmp_raw),
            (2, 0),
            "{addr}: {stats:?}"
        );
    }
    // The host's own setting was not touched.
    assert_eq!(std::fs::read_to_string(range).unwrap(), host_before);
}

#[test]
fn http_get_regex_against_nginx() {
    use keepalived_check::proto::body_regex::BodyRegex;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("www");
    std::fs::create_dir(&root).unwrap();
    // The word sits 200 kB into the body: the regex must see past the first reads.
    let mut body = b"padding line\n".repeat(200_000 / 13);
    body.extend_from_slice(b"<p>Status: ALL GOOD</p>\n");
    std::fs::write(root.join("status.html"), &body).unwrap();
    let srv = nginx(dir.path(), &root, false);
    let t = timing(0, 100, 200, 1000);
    let with = |p: &str, opts: &[&str], no_match: bool, max: Option<u32>| {
        let opts: Vec<String> = opts.iter().map(|s| s.to_string()).collect();
        let mut u = url("/status.html", None, &[]);
        u.regex = Some(BodyRegex::new(p, &opts, no_match, None, max).unwrap());
        Kind::Http {
            urls: vec![u],
            tls: None,
        }
    };
    use keepalived_check::proto::body_regex::MATCH_TAIL;
    // Capacity, so up to twice what is kept, plus the head buffer.
    let whole = 2 * body.len() + 2 * 16 * 1024;
    let capped = 2 * (1000 + MATCH_TAIL) + 2 * 16 * 1024;
    assert!(capped < body.len(), "the capped case must be able to fail");
    for (kind, want_ok, bound) in [
        (with("Status: ALL GOOD", &[], false, None), true, whole),
        (
            with("status: all good", &["caseless"], false, None),
            true,
            whole,
        ),
        (with("status: all good", &[], false, None), false, whole),
        (with("ERROR|FATAL", &[], true, None), true, whole),
        (with("ALL GOOD", &[], true, None), false, whole),
        // The match starts past regex_max_offset: no match, and only the first
        // regex_max_offset + MATCH_TAIL bytes are kept.
        (with("ALL GOOD", &[], false, Some(1000)), false, capped),
    ] {
        let (evs, r) = attempts(spec(kind.clone(), srv.addr, t), 1, Duration::from_secs(5));
        assert_eq!(evs[0].verdict.is_ok(), want_ok, "{kind:?}: {evs:?}");
        let peak = r.stats().peak_buffered;
        assert!(peak <= bound, "kept {peak} bytes, bound {bound}");
    }
}

#[test]
fn ssl_get_presents_the_global_client_certificate() {
    use keepalived_check::server::Plan;
    use keepalived_config::{load_str, Diagnostics, ReadOptions};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("www");
    std::fs::create_dir(&root).unwrap();
    std::fs::write(root.join("index.html"), b"client cert ok\n").unwrap();
    // A self-signed client certificate that nginx also takes as the CA it requires.
    let (cert, key) = (dir.path().join("client.pem"), dir.path().join("client.key"));
    self_signed("/CN=keepalived-rs client", &key, &cert);
    let extra = format!(
        "ssl_verify_client on; ssl_client_certificate {};",
        cert.display()
    );
    let srv = nginx_with(dir.path(), &root, true, &extra);
    let conf = |ssl: &str| {
        format!(
            "{ssl}\nvirtual_server 127.0.0.1 {port} {{\n delay_loop 1\n lb_algo rr\n lb_kind NAT\n protocol TCP\n\
             real_server 127.0.0.1 {port} {{\n SSL_GET {{\n url {{\n path /index.html\n status_code 200\n }}\n\
             connect_timeout 2\n retry 0\n }}\n }}\n}}\n",
            port = srv.addr.port()
        )
    };
    let run = |text: String| {
        let mut d = Diagnostics::default();
        let cfg = load_str("t.conf", &text, &ReadOptions::default(), &mut d);
        let plan = Plan::new(&cfg.check, "lb");
        assert_eq!(plan.specs.len(), 1, "{:?}", plan.skipped);
        let (evs, _) = attempts(plan.specs[0].clone(), 1, Duration::from_secs(5));
        evs[0].verdict.clone()
    };
    // Without the SSL block nginx answers 400 (no required certificate): the check fails.
    let v = run(conf(""));
    assert!(matches!(&v, Verdict::Fail(w) if w.contains("400")), "{v:?}");
    // With it the certificate is presented and the check passes.
    let ssl = format!(
        "SSL {{\n certificate {}\n key {}\n}}",
        cert.display(),
        key.display()
    );
    assert!(run(conf(&ssl)).is_ok());
    // A key file that is not a key: the runner refuses to start, naming the file.
    std::fs::write(dir.path().join("bad.key"), b"not a key\n").unwrap();
    let bad = format!(
        "SSL {{\n certificate {}\n key {}/bad.key\n}}",
        cert.display(),
        dir.path().display()
    );
    let mut d = Diagnostics::default();
    let cfg = load_str("t.conf", &conf(&bad), &ReadOptions::default(), &mut d);
    let plan = Plan::new(&cfg.check, "lb");
    let Err(err) = Runner::new(plan.specs) else {
        panic!("a bad key must be refused");
    };
    let cause = std::error::Error::source(&err)
        .map(|s| s.to_string())
        .unwrap_or_default();
    assert!(cause.contains("bad.key"), "{err}: {cause}");
}
