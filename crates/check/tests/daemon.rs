//! The checker child's loop driven in-process (`cargo test -p keepalived-check`): the test
//! plays the parent over a socketpair, as the supervisor does, with real servers on
//! loopback. Covers the protocol (hello, Start, HealthReport, Ready, Dump, Shutdown), the
//! restored health after a restart, and a kernel without IPVS (the checkers keep running
//! and reporting; this host has none, the VM test covers the IPVS side).

use std::net::TcpListener;
use std::os::fd::OwnedFd;
use std::time::{Duration, Instant};

use keepalived_check::daemon::{run, ChildOpts};
use keepalived_config::{load_str, Diagnostics, ReadOptions};
use keepalived_ipc::{
    socket_pair, Channel, CheckToParent, DumpKind, ParentToCheck, RealServerHealth, VersionedConfig,
};

struct Parent {
    chan: Channel<ParentToCheck, CheckToParent>,
    child: Option<std::thread::JoinHandle<i32>>,
}

impl Parent {
    fn start() -> Parent {
        let (ours, theirs): (OwnedFd, OwnedFd) = socket_pair().expect("socketpair");
        let child = std::thread::spawn(move || run(theirs, ChildOpts::default()));
        Parent {
            chan: Channel::from_fd(ours).expect("channel"),
            child: Some(child),
        }
    }

    fn send(&mut self, m: &ParentToCheck) {
        self.chan.send(m).expect("send");
        let _ = self.chan.flush();
    }

    /// Receives until `want` matches a message or `within` passes; returns every message.
    fn until(
        &mut self,
        within: Duration,
        mut want: impl FnMut(&CheckToParent) -> bool,
    ) -> (bool, Vec<CheckToParent>) {
        let end = Instant::now() + within;
        let mut got = Vec::new();
        while Instant::now() < end {
            let _ = self.chan.flush();
            match self.chan.recv() {
                Ok(Some(m)) => {
                    let hit = want(&m);
                    got.push(m);
                    if hit {
                        return (true, got);
                    }
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                Err(e) => panic!("channel from the checker: {e}; got {got:?}"),
            }
        }
        (false, got)
    }

    fn stop(mut self) -> i32 {
        self.send(&ParentToCheck::Shutdown);
        let child = self.child.take().expect("child");
        let end = Instant::now() + Duration::from_secs(5);
        while !child.is_finished() {
            assert!(Instant::now() < end, "the checker did not stop on Shutdown");
            std::thread::sleep(Duration::from_millis(10));
        }
        child.join().expect("checker thread")
    }
}

fn config(up: u16, down: u16) -> VersionedConfig {
    let text = format!(
        "virtual_server 192.0.2.10 80 {{\n delay_loop 1\n lb_algo rr\n lb_kind NAT\n protocol TCP\n\
         real_server 127.0.0.1 {up} {{\n TCP_CHECK {{\n connect_timeout 1\n retry 0\n }}\n }}\n\
         real_server 127.0.0.1 {down} {{\n TCP_CHECK {{\n connect_timeout 1\n retry 0\n }}\n }}\n}}\n"
    );
    let mut d = Diagnostics::default();
    let cfg = load_str("t.conf", &text, &ReadOptions::default(), &mut d);
    let errs: Vec<String> = d.errors().map(|x| x.msg.clone()).collect();
    assert!(errs.is_empty(), "{errs:?}");
    VersionedConfig::new(1, cfg)
}

fn health<'a>(msgs: &'a [CheckToParent], rs: &str) -> Vec<&'a RealServerHealth> {
    msgs.iter()
        .filter_map(|m| match m {
            CheckToParent::HealthReport(h) if h.real_server == rs => Some(h),
            _ => None,
        })
        .collect()
}

fn ports() -> (TcpListener, u16, u16) {
    let up = TcpListener::bind("127.0.0.1:0").expect("listener");
    let closed = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let down = closed.local_addr().expect("addr").port();
    drop(closed);
    let port = up.local_addr().expect("addr").port();
    (up, port, down)
}

#[test]
fn reports_health_ready_and_a_down_server_then_stops() {
    let (_listener, up, down) = ports();
    let mut p = Parent::start();
    p.send(&ParentToCheck::Start {
        config: config(up, down),
        restore: vec![],
    });
    let (ready, msgs) = p.until(Duration::from_secs(5), |m| {
        matches!(m, CheckToParent::Ready { generation: 1 })
    });
    assert!(ready, "no Ready: {msgs:?}");
    let (up_name, down_name) = (
        format!("[127.0.0.1]:tcp:{up}"),
        format!("[127.0.0.1]:tcp:{down}"),
    );
    // Before Ready: every real server, up as configured (no alpha).
    let first = health(&msgs, &up_name);
    assert_eq!(first.len(), 1, "{msgs:?}");
    assert!(first[0].alive && first[0].weight == 1);
    assert_eq!(first[0].virtual_server, "[192.0.2.10]:tcp:80");
    assert!(health(&msgs, &down_name)[0].alive);

    // The closed port fails its first check (retry 0) within delay_loop.
    let t = Instant::now();
    let (seen, msgs) = p.until(
        Duration::from_secs(4),
        |m| matches!(m, CheckToParent::HealthReport(h) if h.real_server == down_name && !h.alive),
    );
    assert!(seen, "no down report for {down_name}: {msgs:?}");
    eprintln!("down reported {:?} after Ready", t.elapsed());
    assert!(health(&msgs, &up_name).is_empty(), "{msgs:?}");

    p.send(&ParentToCheck::Dump(DumpKind::Json));
    let (got, msgs) = p.until(Duration::from_secs(2), |m| {
        matches!(m, CheckToParent::Dump { .. })
    });
    assert!(got, "{msgs:?}");
    let Some(CheckToParent::Dump { body, .. }) = msgs.last() else {
        unreachable!()
    };
    let v: serde_json::Value = serde_json::from_str(body).expect("JSON dump");
    assert_eq!(v["generation"], 1);
    let rss = &v["virtual_servers"][0]["real_servers"];
    assert_eq!(rss[0]["alive"], true, "{v}");
    assert_eq!(rss[1]["alive"], false, "{v}");
    if !std::path::Path::new("/proc/net/ip_vs").exists() {
        // No IPVS here: the loop kept checking and says IPVS is unavailable.
        assert_eq!(v["ipvs"]["available"], false, "{v}");
    }
    assert!(v["checks"]["attempts"].as_u64().unwrap_or(0) >= 1, "{v}");
    assert_eq!(p.stop(), 0);
}

#[test]
fn restored_health_wins_over_the_start_state() {
    let (_listener, up, down) = ports();
    let down_name = format!("[127.0.0.1]:tcp:{down}");
    let mut p = Parent::start();
    p.send(&ParentToCheck::Start {
        config: config(up, down),
        restore: vec![RealServerHealth {
            virtual_server: "[192.0.2.10]:tcp:80".into(),
            real_server: down_name.clone(),
            alive: false,
            weight: 1,
        }],
    });
    let (ready, msgs) = p.until(Duration::from_secs(5), |m| {
        matches!(m, CheckToParent::Ready { generation: 1 })
    });
    assert!(ready, "{msgs:?}");
    let h = health(&msgs, &down_name);
    assert_eq!(h.len(), 1, "{msgs:?}");
    assert!(
        !h[0].alive,
        "the restored state is reported as is: {msgs:?}"
    );
    // Still down after its checks ran: no flap up and down again.
    let (flapped, msgs) = p.until(Duration::from_millis(2500), |m| {
        matches!(m, CheckToParent::HealthReport(_))
    });
    assert!(!flapped, "{msgs:?}");
    assert_eq!(p.stop(), 0);
}

fn load(text: &str, generation: u64) -> VersionedConfig {
    let mut d = Diagnostics::default();
    let cfg = load_str("t.conf", text, &ReadOptions::default(), &mut d);
    let errs: Vec<String> = d.errors().map(|x| x.msg.clone()).collect();
    assert!(errs.is_empty(), "{errs:?}");
    VersionedConfig::new(generation, cfg)
}

/// `alpha`: a real server starts down and comes up on its first success; a `misc_dynamic`
/// MISC_CHECK's exit status sets the weight (exit - 2).
#[test]
fn alpha_starts_down_and_misc_dynamic_sets_the_weight() {
    let (_listener, up, _) = ports();
    let text = format!(
        "virtual_server 192.0.2.10 80 {{\n delay_loop 1\n lb_algo rr\n lb_kind NAT\n protocol TCP\n alpha\n\
         real_server 127.0.0.1 {up} {{\n weight 3\n TCP_CHECK {{\n connect_timeout 1\n }}\n }}\n\
         real_server 127.0.0.2 80 {{\n MISC_CHECK {{\n misc_path \"/bin/sh -c 'exit 9'\"\n misc_dynamic\n }}\n }}\n}}\n"
    );
    let mut p = Parent::start();
    p.send(&ParentToCheck::Start {
        config: load(&text, 1),
        restore: vec![],
    });
    let (ready, msgs) = p.until(Duration::from_secs(5), |m| {
        matches!(m, CheckToParent::Ready { generation: 1 })
    });
    assert!(ready, "{msgs:?}");
    let tcp = format!("[127.0.0.1]:tcp:{up}");
    let misc = "[127.0.0.2]:tcp:80".to_string();
    assert!(!health(&msgs, &tcp)[0].alive, "alpha starts down: {msgs:?}");
    assert!(
        !health(&msgs, &misc)[0].alive,
        "alpha starts down: {msgs:?}"
    );
    let mut all = Vec::new();
    let (_, msgs) = p.until(Duration::from_secs(4), |m| {
        all.push(m.clone());
        let up = |n: &str| {
            all.iter().any(
                |m| matches!(m, CheckToParent::HealthReport(h) if h.real_server == n && h.alive),
            )
        };
        up(&tcp) && up(&misc)
    });
    let t = health(&msgs, &tcp);
    assert!(t.iter().any(|h| h.alive && h.weight == 3), "{msgs:?}");
    let m = health(&msgs, &misc);
    assert!(
        m.iter().any(|h| h.alive && h.weight == 7),
        "exit 9 - 2: {msgs:?}"
    );
    assert_eq!(p.stop(), 0);
}

/// A reload keeps what is known of the real servers that stay (by name), drops the others
/// and acknowledges the new generation.
#[test]
fn reload_carries_health_over_by_name() {
    let (_listener, up, down) = ports();
    let mut p = Parent::start();
    p.send(&ParentToCheck::Start {
        config: config(up, down),
        restore: vec![],
    });
    let down_name = format!("[127.0.0.1]:tcp:{down}");
    let (seen, msgs) = p.until(
        Duration::from_secs(5),
        |m| matches!(m, CheckToParent::HealthReport(h) if h.real_server == down_name && !h.alive),
    );
    assert!(seen, "{msgs:?}");
    let mut next = config(up, down);
    next.generation = 2;
    next.config.check.virtual_servers[0].real_servers.remove(0);
    p.send(&ParentToCheck::Reload { config: next });
    let (ready, msgs) = p.until(Duration::from_secs(5), |m| {
        matches!(m, CheckToParent::Ready { generation: 2 })
    });
    assert!(ready, "{msgs:?}");
    let reports: Vec<_> = msgs
        .iter()
        .filter_map(|m| match m {
            CheckToParent::HealthReport(h) => Some(h),
            _ => None,
        })
        .collect();
    assert_eq!(reports.len(), 1, "only the remaining server: {msgs:?}");
    assert_eq!(reports[0].real_server, down_name);
    assert!(!reports[0].alive, "its state carried over: {msgs:?}");
    assert_eq!(p.stop(), 0);
}

/// `ha_suspend`: a virtual server's checkers wait while its address is not on this host
/// and start once it is (the whole checker child runs in a fresh network namespace).
#[test]
fn ha_suspend_holds_the_checkers_until_the_vip_is_here() {
    if !nix::unistd::geteuid().is_root() {
        panic!("this test needs root (a network namespace): run it as root");
    }
    let h = std::thread::spawn(|| {
        nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET).expect("unshare(CLONE_NEWNET)");
        let ip = |args: &str| {
            let st = std::process::Command::new("ip")
                .args(args.split_whitespace())
                .status()
                .expect("ip");
            assert!(st.success(), "ip {args}");
        };
        ip("link set lo up");
        let (_listener, _, down) = ports();
        let text = format!(
            "virtual_server 192.0.2.10 80 {{\n delay_loop 1\n lb_algo rr\n lb_kind NAT\n protocol TCP\n ha_suspend\n\
             real_server 127.0.0.1 {down} {{\n TCP_CHECK {{\n connect_timeout 1\n retry 0\n warmup 0\n }}\n }}\n}}\n"
        );
        // The child's thread is created here, so it shares this namespace.
        let mut p = Parent::start();
        p.send(&ParentToCheck::Start {
            config: load(&text, 1),
            restore: vec![],
        });
        let name = format!("[127.0.0.1]:tcp:{down}");
        let is_down = |m: &CheckToParent| matches!(m, CheckToParent::HealthReport(h) if h.real_server == name && !h.alive);
        let (seen, msgs) = p.until(Duration::from_millis(2500), is_down);
        assert!(!seen, "checked while the VIP is absent: {msgs:?}");
        ip("addr add 192.0.2.10/32 dev lo");
        let (seen, msgs) = p.until(Duration::from_secs(4), is_down);
        assert!(seen, "not checked once the VIP is here: {msgs:?}");
        assert_eq!(p.stop(), 0);
    });
    h.join().expect("test thread");
}

/// A reload that drops an alive real server runs its `notify_down` (keepalived's
/// `clear_diff_services`, omega or not); one that stays is not notified.
#[test]
fn reload_notifies_the_real_servers_it_drops() {
    let a = TcpListener::bind("127.0.0.1:0").expect("listener");
    let b = TcpListener::bind("127.0.0.1:0").expect("listener");
    let (pa, pb) = (
        a.local_addr().expect("addr").port(),
        b.local_addr().expect("addr").port(),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().display();
    let text = |both: bool| {
        let first = if both {
            format!(
                "real_server 127.0.0.1 {pa} {{\n notify_down \"/bin/touch {d}/a\"\n TCP_CHECK {{\n connect_timeout 1\n }}\n }}\n"
            )
        } else {
            String::new()
        };
        format!(
            "virtual_server 192.0.2.10 80 {{\n delay_loop 1\n lb_algo rr\n lb_kind NAT\n protocol TCP\n{first}\
             real_server 127.0.0.1 {pb} {{\n notify_down \"/bin/touch {d}/b\"\n TCP_CHECK {{\n connect_timeout 1\n }}\n }}\n}}\n"
        )
    };
    let mut p = Parent::start();
    p.send(&ParentToCheck::Start {
        config: load(&text(true), 1),
        restore: vec![],
    });
    let (ready, msgs) = p.until(Duration::from_secs(5), |m| {
        matches!(m, CheckToParent::Ready { generation: 1 })
    });
    assert!(ready, "{msgs:?}");
    p.send(&ParentToCheck::Reload {
        config: load(&text(false), 2),
    });
    let (ready, msgs) = p.until(Duration::from_secs(5), |m| {
        matches!(m, CheckToParent::Ready { generation: 2 })
    });
    assert!(ready, "{msgs:?}");
    let until = Instant::now() + Duration::from_secs(3);
    while !dir.path().join("a").exists() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        dir.path().join("a").exists(),
        "no notify_down for the dropped server"
    );
    assert!(
        !dir.path().join("b").exists(),
        "notify_down for a server that stays"
    );
    assert_eq!(p.stop(), 0);
}
