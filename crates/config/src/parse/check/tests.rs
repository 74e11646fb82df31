//! Unit tests of the checker-side parser (`parse::check` and its checker blocks).

use super::*;
use crate::diag::Loc;
use crate::{load_str, ReadOptions};
use std::net::IpAddr;
use std::time::Duration;

fn load(text: &str) -> (CheckConfig, Diagnostics) {
    let mut d = Diagnostics::new();
    let cfg = load_str("t.conf", text, &ReadOptions::default(), &mut d);
    (cfg.check, d)
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
}

/// A virtual server with one real server; `extra` goes in the VS, `rs` in the RS.
fn vs(extra: &str, rs: &str) -> String {
    format!(
        "virtual_server 10.0.0.1 80 {{\n lb_algo rr\n lb_kind NAT\n protocol TCP\n{extra}\n real_server 10.0.0.2 80 {{\n{rs}\n }}\n}}\n"
    )
}

fn first_rs(c: &CheckConfig) -> &RealServer {
    &c.virtual_servers[0].real_servers[0]
}

fn msgs(d: &Diagnostics) -> Vec<String> {
    d.errors().map(|x| x.msg.clone()).collect()
}

#[test]
fn virtual_server_forms() {
    let (c, d) = load("virtual_server 10.0.0.1 80 {\n}\nvirtual_server fwmark 7 {\n}\nvirtual_server group G {\n}\nvirtual_server fe80::1 {\n}\nvirtual_server 10.0.0.1 0 {\n}\n");
    assert!(d.items.is_empty(), "{:?}", msgs(&d));
    let t: Vec<_> = c.virtual_servers.iter().map(|v| v.target.clone()).collect();
    assert_eq!(
        t,
        vec![
            VsTarget::Addr {
                ip: ip("10.0.0.1"),
                port: Some(80)
            },
            VsTarget::Fwmark(7),
            VsTarget::Group("G".into()),
            VsTarget::Addr {
                ip: ip("fe80::1"),
                port: None
            },
            VsTarget::Addr {
                ip: ip("10.0.0.1"),
                port: None
            },
        ]
    );
    assert!(c.has_config());
    assert!(!CheckConfig::default().has_config());
}

#[test]
fn bad_virtual_server_heads_skip_the_block() {
    let (c, d) = load("virtual_server 10.0.0.300 80 {\n real_server 1.1.1.1 80 {\n }\n}\nvirtual_server 10.0.0.1 70000 {\n}\nvirtual_server fwmark abc {\n}\n");
    assert!(c.virtual_servers.is_empty());
    let m = msgs(&d);
    assert!(m[0].contains("Invalid virtual server IP address/port 10.0.0.300/80 - skipping"));
    assert!(m
        .iter()
        .any(|x| x.contains("number '70000' outside range [1, 65535]")));
    assert!(m
        .iter()
        .any(|x| x.contains("virtual server fwmark 'abc' must be in")));
    assert_eq!(d.items[0].loc, Some(Loc::new("t.conf", 1)));
}

#[test]
fn vs_defaults_and_values() {
    let (c, d) = load(&vs(
        "persistence_timeout\n delay_loop 6\n quorum 1\n alpha\n omega\n flag-1\n weight 3\n virtualhost www.x\n quorum_up \"/bin/up arg\"",
        "",
    ));
    assert!(d.items.is_empty(), "{:?}", msgs(&d));
    let v = &c.virtual_servers[0];
    assert_eq!(v.persistence_timeout, Some(360));
    assert_eq!(v.timing.delay_loop, Some(Duration::from_secs(6)));
    assert_eq!(v.effective_scheduler(), "rr");
    assert!(v.alpha && v.omega && v.sched_flags.flag1);
    assert_eq!(v.weight, Some(3));
    assert_eq!(
        v.quorum_up.as_ref().map(|s| s.args.clone()),
        Some(vec!["/bin/up".to_string(), "arg".to_string()])
    );
    assert_eq!(v.protocol, Some(Protocol::Tcp));
    let dflt = VirtualServer::default();
    assert_eq!(dflt.effective_scheduler(), "wlc");
    assert_eq!(dflt.effective_delay_loop(), Duration::from_secs(60));
    assert_eq!(dflt.effective_quorum(), 1);
}

#[test]
fn vs_value_errors() {
    for (line, want) in [
        ("lb_algo foo", "Invalid lvs_scheduler 'foo' - ignoring"),
        (
            "lb_kind FOO",
            "PARSER : unknown [FOO] routing method for virtual server.",
        ),
        (
            "persistence_timeout 0",
            "number '0' outside range [1, 2678400]",
        ),
        ("retry 0", "number '0' outside range [1, 4294967295]"),
        ("delay_loop 0", "outside range"),
        ("protocol FOO", "Unknown protocol FOO - ignoring"),
        ("lb_kind TUN type gue", "gue tunnels require port"),
        (
            "lb_kind DR csum",
            "ipip tunnels do not support checksum option.",
        ),
        ("sh-port", "sh-port only applies to sh scheduler - ignoring"),
        ("hashed", "hashed only applies to sh scheduler - ignoring"),
        ("mh-port", "mh-port only applies to mh scheduler - ignoring"),
        (
            "sorry_server_inhibit",
            "Ignoring sorry_server inhibit used before or without sorry_server",
        ),
        (
            "ip_family inet6",
            "Virtual server specified family inet6 conflicts with server family",
        ),
        ("weight 0", "number '0' outside range [1, 2147483647]"),
        ("quorum 0", "number '0' outside range [1, 4294967295]"),
        (
            "smtp_alert foo",
            "Invalid virtual_server smtp_alert parameter foo",
        ),
        ("foo_kw 1", "Unknown keyword 'foo_kw'"),
        ("delay_loop 1e3", "delay_loop: invalid number '1e3'"),
        ("warmup inf", "warmup: invalid number 'inf'"),
        (
            "persistence_granularity ::",
            "Invalid IPv4 persistence_granularity specified - ::",
        ),
    ] {
        let (_, d) = load(&vs(line, ""));
        let m = msgs(&d);
        assert!(m.iter().any(|x| x.contains(want)), "{line}: {m:?}");
        assert_eq!(d.exit_code(), 5, "{line}");
        assert!(
            d.items.iter().all(|x| x.loc == Some(Loc::new("t.conf", 5))),
            "{line}"
        );
    }
}

#[test]
fn forwarding_with_tunnel_options() {
    let (c, d) = load(&vs("", "lvs_method TUN type gue port 5555 csum"));
    assert!(d.items.is_empty(), "{:?}", msgs(&d));
    assert_eq!(
        first_rs(&c).forwarding,
        Some(Forwarding {
            method: LvsMethod::Tun,
            tun_type: Some(TunType::Gue),
            tun_port: Some(5555),
            tun_csum: Some(TunCsum::Csum),
        })
    );
    let (_, d) = load(&vs("", "lvs_method TUN type gre remcsum"));
    assert!(msgs(&d)[0].contains("gre tunnels do not support remote checksum option."));
    let (c, d) = load(&vs("sh-fallback", ""));
    assert!(d.items.len() == 1);
    assert!(!c.virtual_servers[0].sched_flags.flag1);
    let (c, d) = load("virtual_server 10.0.0.1 80 {\n lvs_sched sh\n sh-port\n}\n");
    assert!(d.items.is_empty());
    assert!(c.virtual_servers[0].sched_flags.flag2);
}

#[test]
fn real_server_keywords() {
    let (c, d) = load(&vs(
        "",
        "weight 0\n uthreshold 10\n lthreshold 2\n inhibit_on_failure\n notify_up /bin/up\n notify_down \"/bin/down x\" nobody\n alpha\n retry 2\n delay_before_retry 1.5\n smtp_alert no",
    ));
    assert!(d.items.is_empty(), "{:?}", msgs(&d));
    let r = first_rs(&c);
    assert_eq!(r.weight, Some(0));
    assert_eq!((r.uthreshold, r.lthreshold), (Some(10), Some(2)));
    assert_eq!(r.inhibit_on_failure, Some(true));
    assert_eq!(r.smtp_alert, Some(false));
    assert_eq!(r.timing.retry, Some(2));
    assert_eq!(
        r.timing.delay_before_retry,
        Some(Duration::from_millis(1500))
    );
    assert_eq!(
        r.notify_down.as_ref().and_then(|s| s.user.clone()),
        Some("nobody".into())
    );
    let mut scripts = Vec::new();
    c.scripts(&mut scripts);
    let kinds: Vec<_> = scripts.iter().map(|s| s.0).collect();
    assert_eq!(kinds, ["notify_up", "notify_down"]);
}

#[test]
fn real_server_errors() {
    for (line, want) in [
        (
            "weight -1",
            "Real server weight -1 is outside range 0-2147483647",
        ),
        ("weight abc", "Real server weight abc is outside range"),
        (
            "uthreshold -1",
            "Invalid real_server uthreshold '-1' - ignoring",
        ),
        ("retry 0", "outside range [1, 4294967295]"),
        ("lb_kind NAT", "Unknown keyword 'lb_kind'"),
        (
            "notify_up /bin/a\nnotify_up /bin/b",
            "notify_up script already specified - ignoring /bin/b",
        ),
    ] {
        let (_, d) = load(&vs("", line));
        let m = msgs(&d);
        assert!(m.iter().any(|x| x.contains(want)), "{line}: {m:?}");
        // The report is on the offending (last) line of the snippet.
        let at = 7 + u32::try_from(line.matches('\n').count()).unwrap_or(0);
        assert_eq!(d.items[0].loc, Some(Loc::new("t.conf", at)), "{line}");
    }
    let (c, d) = load("virtual_server 10.0.0.1 80 {\n real_server 10.0.0.300 80 {\n }\n real_server ::1 80 {\n }\n real_server 10.0.0.4 80 {\n }\n}\n");
    let m = msgs(&d);
    assert!(m[0].contains("Invalid real server ip address/port 10.0.0.300/80 - skipping"));
    assert!(m[1].contains("Address family of virtual server and real server ::1 don't match"));
    assert_eq!(c.virtual_servers[0].real_servers.len(), 1);
}

#[test]
fn tcp_check_common_keywords() {
    let (c, d) = load(&vs(
        "",
        "TCP_CHECK {\n connect_ip 10.1.1.1\n connect_port 8080\n bindto 10.0.0.9\n bind_port 999\n bind_if eth0\n connect_timeout 3\n fwmark 5\n retry 0\n delay_before_retry 2\n warmup 1\n delay_loop 4\n alpha\n log_all_failures off\n }",
    ));
    assert!(d.items.is_empty(), "{:?}", msgs(&d));
    let k = &first_rs(&c).checkers[0];
    assert_eq!(k.kind, CheckerKind::Tcp);
    assert_eq!(k.common.connect_ip, Some(ip("10.1.1.1")));
    assert_eq!(k.common.connect_port, Some(8080));
    assert_eq!(k.common.bind_port, Some(999));
    assert_eq!(k.common.bind_if.as_deref(), Some("eth0"));
    assert_eq!(k.common.fwmark, Some(5));
    assert_eq!(k.common.timing.retry, Some(0));
    assert_eq!(k.common.log_all_failures, Some(false));
}

#[test]
fn checker_errors() {
    for (block, want) in [
        (
            "TCP_CHECK {\n connect_port 0\n }",
            "Invalid checker connect_port '0'",
        ),
        (
            "TCP_CHECK {\n connect_ip 1.2.3\n }",
            "Invalid connect_ip address 1.2.3 - ignoring",
        ),
        (
            "TCP_CHECK {\n bindto fe80::1\n }",
            "does not match address family of connect_ip",
        ),
        (
            "TCP_CHECK {\n connect_ip fe80::1\n }",
            "Checker link local address fe80::1 requires a bind_if",
        ),
        (
            "TCP_CHECK {\n log_all_failures foo\n }",
            "Invalid log_all_failures parameter foo",
        ),
        ("TCP_CHECK {\n foo 1\n }", "Unknown keyword 'foo'"),
        (
            "HTTP_GET {\n }",
            "HTTP/SSL_GET checker has no urls specified - ignoring",
        ),
        (
            "HTTP_GET {\n url {\n digest ff20ad2481f97b1754ef3e12ecd3a9cc\n }\n }",
            "checker url has no path - ignoring",
        ),
        (
            "HTTP_GET {\n url {\n path /\n status_code 600\n }\n }",
            "Invalid HTTP_GET status code '600'",
        ),
        (
            "HTTP_GET {\n url {\n path /\n digest xyz\n }\n }",
            "digest 'xyz' character length should be 32 rather than 3",
        ),
        (
            "HTTP_GET {\n http_protocol 2.0\n url {\n path /\n }\n }",
            "Invalid http_protocol version 2.0",
        ),
        (
            "HTTP_GET {\n tls_compliant\n url {\n path /\n }\n }",
            "Unknown keyword 'tls_compliant'",
        ),
        (
            "MISC_CHECK {\n }",
            "No script path has been specified for MISC_CHECKER - skipping",
        ),
        (
            "MISC_CHECK {\n misc_path /bin/true\n connect_port 80\n }",
            "Unknown keyword 'connect_port'",
        ),
        (
            "DNS_CHECK {\n type XX\n }",
            "Unknown DNS check type XX - ignoring",
        ),
        (
            "UDP_CHECK {\n payload zz\n }",
            "Invalid hex string for UDP_CHECK payload",
        ),
        (
            "UDP_CHECK {\n min_reply_length 10\n max_reply_length 5\n }",
            "UDP_CHECK min_reply length 10 > max_reply_length 5",
        ),
        (
            "FILE_CHECK {\n }",
            "FILE_CHECK has no track_file specified - ignoring",
        ),
        ("FOO_CHECK {\n }", "Unknown keyword 'FOO_CHECK'"),
        // Not in keepalived 2.2.7 (added later), so unknown there.
        (
            "SSL_GET {\n sni_name x\n url {\n path /\n }\n }",
            "Unknown keyword 'sni_name'",
        ),
        (
            "SSL_GET {\n url {\n path /\n tls_compliant\n }\n }",
            "Unknown keyword 'tls_compliant'",
        ),
        (
            "UDP_CHECK {\n payload 0x0102\n }",
            "Invalid hex string for UDP_CHECK payload",
        ),
        (
            "UDP_CHECK {\n require_reply zz\n }",
            "Invalid hex string for UDP_CHECK reply",
        ),
        (
            "SMTP_CHECK {\n host {\n connect_ip fe80::1\n }\n }",
            "Checker link local address fe80::1 requires a bind_if",
        ),
        (
            "HTTP_GET {\n url {\n path /\n digest 640205b7b0fc66c1ea91c463fac6334d\n digest 640205b7b0fc66c1ea91c463fac6334e\n }\n }",
            "Digest '640205b7b0fc66c1ea91c463fac6334e' is a duplicate",
        ),
        (
            "DNS_CHECK {\n name a.b.\n }",
            "DNS_CHECK name 'a.b.' has empty label - ignoring",
        ),
        (
            "UDP_CHECK {\n max_reply_length 70000\n }",
            "number '70000' outside range [0, 65535]",
        ),
        (
            "BFD_CHECK {\n }",
            "No name has been specified for BFD_CHECKER - skipping",
        ),
    ] {
        let (_, d) = load(&vs("", block));
        let m = msgs(&d);
        assert!(m.iter().any(|x| x.contains(want)), "{block}: {m:?}");
        assert_eq!(d.exit_code(), 5, "{block}");
        assert!(
            d.items
                .iter()
                .all(|x| x.loc.as_ref().is_some_and(|l| l.line >= 7)),
            "{block}"
        );
    }
    // nb_get_retry is deprecated but still sets retry.
    let (c, d) = load(&vs(
        "",
        "HTTP_GET {\n nb_get_retry 4\n url {\n path /\n }\n }",
    ));
    assert_eq!(d.worst(), Some(ErrorClass::Deprecated));
    assert!(msgs(&d)[0].contains("nb_get_retry is deprecated - please use 'retry'"));
    assert_eq!(first_rs(&c).checkers[0].common.timing.retry, Some(4));
}

#[test]
fn http_and_ssl_get() {
    let (c, d) = load(&vs(
        "",
        "SSL_GET {\n virtualhost h\n http_protocol 1.1\n enable_sni\n fast_recovery\n url {\n path /a\n digest FF20AD2481F97B1754EF3E12ECD3A9CC\n status_code 200-299 400-499 503\n virtualhost v\n regex ^ok\n regex_no_match\n regex_min_offset 2\n regex_max_offset 9\n regex_stack 0\n }\n url {\n path /b\n }\n }",
    ));
    assert!(d.items.is_empty(), "{:?}", msgs(&d));
    let k = &first_rs(&c).checkers[0];
    let CheckerKind::Ssl(h) = &k.kind else {
        panic!("not SSL_GET: {:?}", k.kind)
    };
    assert_eq!(h.http_protocol, HttpProtocol::Http11);
    assert!(h.enable_sni && h.fast_recovery);
    assert_eq!(h.urls.len(), 2);
    let u = &h.urls[0];
    assert_eq!(
        u.digest.as_deref(),
        Some("ff20ad2481f97b1754ef3e12ecd3a9cc")
    );
    assert_eq!(u.status_codes.len(), 3);
    assert!(u.status_ok(404) && u.status_ok(503) && !u.status_ok(502));
    // Default status codes are 200-299.
    assert!(h.urls[1].status_ok(204) && !h.urls[1].status_ok(301));
    assert_eq!(u.regex_max_offset, Some(9));
    assert_eq!(u.regex_stack, Some(0));
    // HTTP/SSL retry defaults.
    let v = &c.virtual_servers[0];
    let r = first_rs(&c);
    assert_eq!(checker_delay_before_retry(v, r, k), Duration::from_secs(3));
    assert_eq!(checker_retry(v, r, k), 1);
    assert_eq!(checker_connect_timeout(v, r, k), Duration::from_secs(5));
    assert_eq!(checker_warmup(v, r, k), Duration::from_secs(60));
}

#[test]
fn misc_smtp_dns_udp_ping_file_bfd() {
    let (c, d) = load(&vs(
        "delay_loop 10",
        "MISC_CHECK {\n misc_path \"/bin/chk a b\"\n misc_timeout 5\n misc_dynamic\n user nobody nogroup\n retry 2\n }\n SMTP_CHECK {\n helo_name foo\n host {\n connect_ip 1.2.3.4\n connect_port 25\n }\n }\n DNS_CHECK {\n type aaaa\n name example.com\n }\n DNS_CHECK {\n }\n UDP_CHECK {\n payload 0a0B\n require_reply 01\n min_reply_length 1\n max_reply_length 5\n }\n PING_CHECK {\n }\n FILE_CHECK {\n track_file f1\n weight -10 reverse\n }\n BFD_CHECK {\n name b1\n alpha\n }",
    ));
    assert!(d.errors().next().is_none(), "{:?}", msgs(&d));
    let v = &c.virtual_servers[0];
    let r = first_rs(&c);
    let ks: Vec<_> = r.checkers.iter().map(|k| k.name()).collect();
    assert_eq!(
        ks,
        [
            "MISC_CHECK",
            "SMTP_CHECK",
            "DNS_CHECK",
            "DNS_CHECK",
            "UDP_CHECK",
            "PING_CHECK",
            "FILE_CHECK",
            "BFD_CHECK"
        ]
    );
    let CheckerKind::Misc(m) = &r.checkers[0].kind else {
        panic!()
    };
    assert!(m.dynamic);
    assert_eq!(m.path.as_ref().map(|p| p.args.len()), Some(3));
    assert_eq!(
        m.path.as_ref().and_then(|p| p.user.clone()),
        Some("nobody".into())
    );
    let CheckerKind::Smtp(s) = &r.checkers[1].kind else {
        panic!()
    };
    assert_eq!(s.hosts.len(), 1);
    assert_eq!(s.hosts[0].connect_port, Some(25));
    let CheckerKind::Dns(dn) = &r.checkers[2].kind else {
        panic!()
    };
    assert_eq!((dn.qtype, dn.name.as_str()), (DnsType::Aaaa, "example.com"));
    assert_eq!(
        r.checkers[3].kind,
        CheckerKind::Dns(DnsCheck {
            qtype: DnsType::Soa,
            name: ".".into()
        })
    );
    // DNS: retry 3, delay_before_retry = delay_loop (here the VS's 10 s).
    assert_eq!(checker_retry(v, r, &r.checkers[3]), 3);
    assert_eq!(
        checker_delay_before_retry(v, r, &r.checkers[3]),
        Duration::from_secs(10)
    );
    // MISC: its own retry 2, default would be 0.
    assert_eq!(checker_retry(v, r, &r.checkers[0]), 2);
    let CheckerKind::Udp(u) = &r.checkers[4].kind else {
        panic!()
    };
    assert_eq!(u.payload, Some(vec![0x0a, 0x0b]));
    assert_eq!(u.reply_data, Some(vec![1]));
    assert!(u.require_reply);
    assert_eq!(
        checker_delay_before_retry(v, r, &r.checkers[4]),
        Duration::from_secs(1)
    );
    let CheckerKind::File(f) = &r.checkers[6].kind else {
        panic!()
    };
    assert_eq!((f.weight, f.reverse), (Some(-10), true));
    let mut scripts = Vec::new();
    c.scripts(&mut scripts);
    assert_eq!(scripts.len(), 1);
    assert_eq!(scripts[0].0, "MISC_CHECK");
}

#[test]
fn ssl_block() {
    let (c, d) = load("SSL {\n password x\n ca /c\n certificate /cert\n key /k\n foo\n}\n");
    assert_eq!(msgs(&d), ["Unknown keyword 'foo'"]);
    assert_eq!(d.items[0].loc, Some(Loc::new("t.conf", 6)));
    let s = c.ssl.clone().unwrap_or_default();
    assert_eq!(s.password.as_deref(), Some("x"));
    assert_eq!(s.key.as_deref(), Some("/k"));
    assert!(!c.has_config());
}

#[test]
fn virtual_server_groups() {
    let (c, d) = load("virtual_server_group G {\n 10.0.0.1 8080\n 192.168.200.3-10 80\n 10.0.0.8/30\n fwmark 1\n fwmark 2 inet\n}\n");
    assert!(d.items.is_empty(), "{:?}", msgs(&d));
    let g = c.group("G").map(|g| g.entries.clone()).unwrap_or_default();
    assert_eq!(g.len(), 5);
    assert!(
        matches!(&g[1], VsgEntry::Range { first, last, port: Some(80), .. } if *first == ip("192.168.200.3") && *last == ip("192.168.200.10"))
    );
    assert!(
        matches!(&g[2], VsgEntry::Range { first, last, port: None, .. } if *first == ip("10.0.0.8") && *last == ip("10.0.0.11"))
    );
    assert!(matches!(
        &g[4],
        VsgEntry::Fwmark {
            mark: 2,
            family: Some(Family::Inet),
            ..
        }
    ));

    let (c, d) = load("virtual_server_group V6 {\n ae00::2-9 80\n ae00::1 80\n}\n");
    assert!(d.items.is_empty(), "{:?}", msgs(&d));
    let g = c.group("V6").map(|g| g.entries.clone()).unwrap_or_default();
    assert!(matches!(&g[0], VsgEntry::Range { last, .. } if *last == ip("ae00::9")));
    // An IPv6 granularity is a prefix length (when the family is not known yet).
    let (_, d) = load("virtual_server fwmark 1 {\n persistence_granularity 200\n}\n");
    assert!(msgs(&d)[0].contains("number '200' outside range [1, 128]"));

    let (c, d) = load("virtual_server_group G {\n 10.0.0.9/30 80\n 10.0.0.300 80\n 10.0.0.5-5 80\n fwmark 6 foo\n}\nvirtual_server_group E {\n}\n");
    let m = msgs(&d);
    assert!(m[0].contains("Address mask bits not empty - 10.0.0.9/30 - skipping"));
    assert!(m[1].contains("Invalid virtual server group IP address 10.0.0.300 /port/80 - skipping"));
    assert!(m[2].contains("Address range end is not greater than address range start - 10.0.0.5-5"));
    assert!(m[3].contains("(G): fwmark '6' family foo unknown - ignoring"));
    assert!(m[4].contains("virtual server group G has no entries - removing"));
    assert!(m[5].contains("virtual server group E has no entries - removing"));
    assert!(c.groups.is_empty());

    let (c, d) = load("virtual_server_group G {\n 10.0.0.1 80\n ::1 80\n fwmark 1\n}\n");
    assert!(msgs(&d)[0].contains("cannot have IPv4, IPv6 and fwmark without family"));
    assert!(c.groups.is_empty());
}

#[test]
fn keywords_table_is_consistent() {
    let mut seen = std::collections::BTreeSet::new();
    for (path, kw, _) in KEYWORDS {
        assert!(seen.insert((*path, *kw)), "duplicate {path}/{kw}");
        assert!(!kw.is_empty());
    }
    assert!(KEYWORDS
        .iter()
        .any(|r| (r.0, r.1) == ("virtual_server/real_server/HTTP_GET/url", "status_code")));
}

#[test]
fn never_panics_on_odd_input() {
    for text in [
        "virtual_server\n",
        "virtual_server {\n}\n",
        "virtual_server 1.1.1.1 80\n",
        "virtual_server [ae00::1] 80 {\n}\n",
        "virtual_server group {\n}\n",
        "virtual_server_group {\n}\n",
        "virtual_server 1.1.1.1 80 {\n real_server\n real_server {\n }\n lb_kind TUN type\n lb_kind TUN port\n sorry_server\n}\n",
        "virtual_server_group G {\n ::/0\n 1.2.3.4/99\n 1.2.3.4-\n -\n fwmark\n}\n",
        "virtual_server 1.1.1.1 80 {\n real_server 1.1.1.2 {\n UDP_CHECK {\n payload 0\n require_reply x\n }\n HTTP_GET {\n url\n url {\n status_code -\n }\n }\n }\n}\n",
    ] {
        let (_, d) = load(text);
        assert!(d.exit_code() != 0, "{text}");
    }
}

#[test]
fn hex_tunnels_sorry_server_and_ssl_twice() {
    assert_eq!(checkers::parse_hex("012"), Some(vec![0, 0x12]));
    assert_eq!(checkers::parse_hex("0x01"), None);
    assert_eq!(checkers::parse_hex(""), None);
    // Payload words are joined.
    let (c, d) = load(&vs("", "UDP_CHECK {\n payload 01 02\n }"));
    assert!(d.items.is_empty(), "{:?}", msgs(&d));
    assert!(
        matches!(&first_rs(&c).checkers[0].kind, CheckerKind::Udp(u) if u.payload == Some(vec![1, 2]))
    );
    // nocsum is fine with ipip.
    let (_, d) = load(&vs("lb_kind TUN nocsum", ""));
    assert!(d.items.is_empty(), "{:?}", msgs(&d));
    // hashed with sh is accepted.
    let (_, d) = load("virtual_server 10.0.0.1 80 {\n lb_algo sh\n hashed\n}\n");
    assert!(d.items.is_empty(), "{:?}", msgs(&d));
    // Sorry server of the other family is dropped, unless tunnelled.
    let (c, d) = load(&vs("sorry_server ::1 80", ""));
    assert!(
        msgs(&d)[0].contains("Address family of virtual server and sorry server ::1 don't match")
    );
    assert!(c.virtual_servers[0].sorry_server.is_none());
    let (c, d) = load(&vs("sorry_server ::1 80\n sorry_server_lvs_method TUN", ""));
    assert!(d.items.is_empty(), "{:?}", msgs(&d));
    assert!(c.virtual_servers[0].sorry_server.is_some());
    // A second SSL block replaces the first, which keepalived reports as a config error.
    let (c, d) = load("SSL {\n password x\n}\nSSL {\n ca y\n}\n");
    assert_eq!(d.exit_code(), 5);
    assert_eq!(d.items[0].loc, Some(Loc::new("t.conf", 4)));
    assert_eq!(
        c.ssl.map(|s| (s.password, s.ca)),
        Some((None, Some("y".into())))
    );
}

/// Every keyword in KEYWORDS is accepted by the parser at its path (no "Unknown keyword").
#[test]
fn every_listed_keyword_is_parsed() {
    fn arg_for(kw: &str) -> &'static str {
        match kw {
            "connect_ip" | "bindto" | "sorry_server" => "10.0.0.5",
            "bind_if" => "eth0",
            "lb_algo" | "lvs_sched" => "rr",
            "lb_kind" | "lvs_method" | "sorry_server_lvs_method" => "NAT",
            "protocol" => "TCP",
            "ip_family" => "inet",
            "http_protocol" => "1.1",
            "type" => "A",
            "name" | "helo_name" | "track_file" | "virtualhost" | "user" | "persistence_engine" => {
                "x"
            }
            "path" | "misc_path" | "quorum_up" | "quorum_down" | "notify_up" | "notify_down" => {
                "/bin/x"
            }
            "digest" => "640205b7b0fc66c1ea91c463fac6334d",
            "status_code" => "200",
            "payload" | "require_reply" => "0102",
            "persistence_granularity" => "255.255.255.0",
            "password" | "ca" | "certificate" | "key" | "regex" | "regex_options" => "x",
            "smtp_alert" | "log_all_failures" | "alpha" | "inhibit_on_failure" => "yes",
            _ => "1",
        }
    }
    fn open(component: &str) -> String {
        match component {
            "virtual_server" => "virtual_server 10.0.0.1 80 {\n lb_algo sh\n".into(),
            "real_server" => "real_server 10.0.0.2 80 {\n".into(),
            "virtual_server_group" => "virtual_server_group G {\n".into(),
            "url" => "url {\n path /\n".into(),
            c => format!("{c} {{\n"),
        }
    }
    for (path, kw, _) in KEYWORDS {
        let comps: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
        let mut text = String::new();
        for c in &comps {
            text.push_str(&open(c));
        }
        let is_block = matches!(
            *kw,
            "SSL" | "virtual_server_group" | "virtual_server" | "real_server" | "url" | "host"
        ) || checkers::is_checker(kw);
        if is_block {
            text.push_str(&open(kw));
            text.push_str("}\n");
        } else if comps.last() == Some(&"virtual_server_group") {
            text.push_str(&format!("{kw} 1\n"));
        } else {
            text.push_str(&format!("{kw} {}\n", arg_for(kw)));
        }
        for _ in &comps {
            text.push_str("}\n");
        }
        let (_, d) = load(&text);
        let unknown: Vec<_> = d
            .items
            .iter()
            .filter(|x| x.class == Some(ErrorClass::UnknownKeyword))
            .map(|x| x.msg.clone())
            .collect();
        assert!(unknown.is_empty(), "{path} {kw}: {unknown:?}\n{text}");
    }
}
