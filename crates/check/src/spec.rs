//! One checker resolved from the config model into what the `runner` needs: target,
//! socket options, timing (keepalived's inheritance and defaults) and the dialog's
//! settings. Built by the checker child from `keepalived_config::model::check`.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use keepalived_config::model::check::{
    checker_connect_timeout, checker_delay_before_retry, checker_delay_loop, checker_retry,
    checker_warmup, Checker, CheckerKind, DnsType, RealServer, VirtualServer,
};

use crate::proto::body_regex::BodyRegex;
use crate::proto::http::UrlSpec;
use crate::proto::udp::UdpDialog;
use crate::schedule::Timing;
use crate::tls::ClientCert;

/// Why a checker cannot run.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SpecError {
    #[error("{checker} for {rs}: no port (set connect_port or the real server's port)")]
    NoPort { checker: &'static str, rs: String },
    #[error("{checker} for {rs}: not implemented yet")]
    Unsupported { checker: &'static str, rs: String },
    #[error("MISC_CHECK for {rs}: no misc_path")]
    NoMiscPath { rs: String },
    #[error("MISC_CHECK for {rs}: script {script}: {why}; not run")]
    MiscScript {
        rs: String,
        script: String,
        why: String,
    },
    #[error("HTTP_GET/SSL_GET for {rs}: {why}")]
    BadRegex { rs: String, why: String },
    #[error("FILE_CHECK for {rs}: no track_file '{name}' with a file")]
    NoTrackFile { name: String, rs: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Tcp,
    /// HTTP_GET, or SSL_GET when `tls` is set.
    Http {
        urls: Vec<UrlSpec>,
        tls: Option<TlsSpec>,
    },
    Misc {
        args: Vec<String>,
        timeout: Duration,
        dynamic: bool,
        /// uid/gid to run the script as (`None`: as the checker child); set by
        /// `server::Plan` through `misc_user` (keepalived's user rules).
        user: Option<(u32, u32)>,
    },
    Smtp {
        helo_name: String,
    },
    Dns {
        qtype: DnsType,
        name: String,
    },
    Udp {
        payload: Vec<u8>,
        require_reply: bool,
        reply_data: Option<Vec<u8>>,
        min_len: Option<u32>,
        max_len: Option<u32>,
    },
    Ping,
    /// FILE_CHECK (crate::file): the tracked file's path and the weight rules.
    File {
        path: String,
        weight: i32,
        reverse: bool,
        base_weight: u32,
    },
}

impl Kind {
    pub fn udp_dialog(&self) -> Option<UdpDialog> {
        match self {
            Kind::Udp {
                payload,
                require_reply,
                reply_data,
                min_len,
                max_len,
            } => Some(UdpDialog {
                payload: payload.clone(),
                require_reply: *require_reply,
                reply_data: reply_data.clone(),
                min_len: *min_len,
                max_len: *max_len,
            }),
            _ => None,
        }
    }
}

/// SSL_GET's TLS settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsSpec {
    /// The SNI name sent, if any (`enable_sni` with a virtualhost).
    pub sni: Option<String>,
    /// The global `SSL { certificate key }`, set by `server::Plan`.
    pub client_cert: Option<ClientCert>,
}

/// Everything one checker needs to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckSpec {
    /// For logs: `TCP_CHECK [192.0.2.1]:80`.
    pub name: String,
    pub kind: Kind,
    /// Port 0 for PING_CHECK and MISC_CHECK.
    pub target: SocketAddr,
    pub bindto: Option<IpAddr>,
    pub bind_port: Option<u16>,
    pub bind_if: Option<String>,
    pub fwmark: Option<u32>,
    pub timing: Timing,
    /// `log_all_failures` (or the global `checker_log_all_failures`, set by the daemon).
    pub log_all_failures: bool,
}

impl CheckSpec {
    /// A spec with keepalived's defaults for `kind` against `target` (tests, genhash).
    pub fn simple(kind: Kind, target: SocketAddr, timing: Timing) -> CheckSpec {
        CheckSpec {
            name: format!("check {target}"),
            kind,
            target,
            bindto: None,
            bind_port: None,
            bind_if: None,
            fwmark: None,
            timing,
            log_all_failures: false,
        }
    }

    /// Resolves checker `c` of real server `rs` in virtual server `vs`. `helo_default` is
    /// the global `smtp_helo_name` (or the host name) for SMTP_CHECK without `helo_name`.
    pub fn from_config(
        vs: &VirtualServer,
        rs: &RealServer,
        c: &Checker,
        helo_default: &str,
    ) -> Result<CheckSpec, SpecError> {
        let ip = c.common.connect_ip.unwrap_or(rs.ip);
        let port = c.common.connect_port.or(rs.port);
        let rs_name = match rs.port {
            Some(p) => format!("{}", SocketAddr::new(rs.ip, p)),
            None => rs.ip.to_string(),
        };
        let need_port = || {
            port.ok_or(SpecError::NoPort {
                checker: c.name(),
                rs: rs_name.clone(),
            })
        };
        let delay_loop = checker_delay_loop(vs, rs, c);
        let alpha = c.common.alpha.or(rs.alpha).unwrap_or(vs.alpha);
        let timing = Timing {
            retry: checker_retry(vs, rs, c),
            delay_before_retry: checker_delay_before_retry(vs, rs, c),
            delay_loop,
            connect_timeout: checker_connect_timeout(vs, rs, c),
            warmup: checker_warmup(vs, rs, c),
            alpha,
        };
        let (kind, port) = match &c.kind {
            CheckerKind::Tcp => (Kind::Tcp, need_port()?),
            CheckerKind::Http(h) | CheckerKind::Ssl(h) => {
                let is_ssl = matches!(c.kind, CheckerKind::Ssl(_));
                let port = need_port()?;
                let default_port = if is_ssl { 443 } else { 80 };
                let check_vhost = h
                    .virtualhost
                    .clone()
                    .or_else(|| rs.virtualhost.clone())
                    .or_else(|| vs.virtualhost.clone());
                let urls = h
                    .urls
                    .iter()
                    .map(|u| -> Result<UrlSpec, SpecError> {
                        let name = u.virtualhost.clone().or_else(|| check_vhost.clone());
                        let mut host = match (&name, ip) {
                            (Some(n), _) => n.clone(),
                            (None, IpAddr::V6(a)) => format!("[{a}]"),
                            (None, IpAddr::V4(a)) => a.to_string(),
                        };
                        if port != default_port {
                            host.push_str(&format!(":{port}"));
                        }
                        let regex = match &u.regex {
                            Some(p) => Some(
                                BodyRegex::new(
                                    p,
                                    &u.regex_options,
                                    u.regex_no_match,
                                    u.regex_min_offset,
                                    u.regex_max_offset,
                                )
                                .map_err(|why| {
                                    SpecError::BadRegex {
                                        rs: rs_name.clone(),
                                        why,
                                    }
                                })?,
                            ),
                            None => None,
                        };
                        Ok(UrlSpec {
                            path: u.path.clone().unwrap_or_else(|| "/".into()),
                            digest: u.digest.clone(),
                            status_codes: u.status_codes.clone(),
                            host,
                            protocol: h.http_protocol,
                            regex,
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let tls = is_ssl.then(|| TlsSpec {
                    client_cert: None,
                    sni: if h.enable_sni {
                        check_vhost.clone()
                    } else {
                        None
                    },
                });
                (Kind::Http { urls, tls }, port)
            }
            CheckerKind::Misc(m) => {
                let path = m.path.as_ref().ok_or_else(|| SpecError::NoMiscPath {
                    rs: rs_name.clone(),
                })?;
                (
                    Kind::Misc {
                        args: path.args.clone(),
                        timeout: m.timeout.unwrap_or(delay_loop),
                        dynamic: m.dynamic,
                        user: None,
                    },
                    0,
                )
            }
            CheckerKind::Smtp(s) => (
                Kind::Smtp {
                    helo_name: s.helo_name.clone().unwrap_or_else(|| helo_default.into()),
                },
                port.unwrap_or(25),
            ),
            CheckerKind::Dns(d) => (
                Kind::Dns {
                    qtype: d.qtype,
                    name: d.name.clone(),
                },
                port.unwrap_or(53),
            ),
            CheckerKind::Udp(u) => (
                Kind::Udp {
                    payload: u.payload.clone().unwrap_or_default(),
                    require_reply: u.require_reply,
                    reply_data: u.reply_data.clone(),
                    min_len: u.min_reply_length,
                    max_len: u.max_reply_length,
                },
                need_port()?,
            ),
            CheckerKind::Ping => (Kind::Ping, 0),
            CheckerKind::File(_) | CheckerKind::Bfd(_) => {
                return Err(SpecError::Unsupported {
                    checker: c.name(),
                    rs: rs_name,
                })
            }
        };
        let target = SocketAddr::new(ip, port);
        Ok(CheckSpec {
            name: format!("{} {}", c.name(), target),
            kind,
            target,
            bindto: c.common.bindto,
            bind_port: c.common.bind_port,
            bind_if: c.common.bind_if.clone(),
            fwmark: c.common.fwmark,
            timing,
            log_all_failures: c.common.log_all_failures.unwrap_or(false),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keepalived_config::{load_str, Diagnostics, ReadOptions};

    const CONF: &str = r#"
virtual_server 192.0.2.10 8080 {
    delay_loop 7
    lb_algo rr
    lb_kind NAT
    protocol TCP
    virtualhost vs.example
    real_server 192.0.2.1 8080 {
        retry 4
        HTTP_GET {
            url {
                path /health
                digest 0123456789abcdef0123456789abcdef
                status_code 200-204
            }
            url {
                path /other
                virtualhost u.example
            }
        }
        SSL_GET {
            connect_port 443
            enable_sni
            url {
                path /
            }
        }
        TCP_CHECK {
            connect_timeout 2
            delay_before_retry 0.5
            alpha
            log_all_failures
        }
        MISC_CHECK {
            misc_path "/bin/true --x"
            misc_dynamic
        }
        DNS_CHECK {
            type A
            name example.org
        }
        SMTP_CHECK { }
        PING_CHECK { }
        UDP_CHECK {
            require_reply
            min_reply_length 3
        }
    }
}
"#;

    fn specs() -> Vec<Result<CheckSpec, SpecError>> {
        let mut d = Diagnostics::default();
        let cfg = load_str("t.conf", CONF, &ReadOptions::default(), &mut d);
        let vs = &cfg.check.virtual_servers[0];
        let rs = &vs.real_servers[0];
        rs.checkers
            .iter()
            .map(|c| CheckSpec::from_config(vs, rs, c, "lb.local"))
            .collect()
    }

    #[test]
    fn misc_ping_smtp_take_delay_before_retry_from_config_or_the_1s_default() {
        let conf = "virtual_server 192.0.2.10 25 {\n delay_loop 9\n lb_kind NAT\n protocol TCP\n\
            real_server 192.0.2.1 25 {\n\
            MISC_CHECK {\n misc_path /bin/true\n delay_before_retry 2\n }\n\
            PING_CHECK {\n delay_before_retry 3\n }\n\
            SMTP_CHECK {\n delay_before_retry 4\n }\n\
            MISC_CHECK {\n misc_path /bin/true\n }\n PING_CHECK { }\n SMTP_CHECK { }\n }\n}\n";
        let mut d = Diagnostics::default();
        let cfg = load_str("t.conf", conf, &ReadOptions::default(), &mut d);
        let vs = &cfg.check.virtual_servers[0];
        let rs = &vs.real_servers[0];
        let dbr: Vec<u64> = rs
            .checkers
            .iter()
            .map(|c| {
                let s = CheckSpec::from_config(vs, rs, c, "lb").unwrap();
                s.timing.delay_before_retry.as_secs()
            })
            .collect();
        assert_eq!(dbr, [2, 3, 4, 1, 1, 1]);
    }

    #[test]
    fn config_resolves_with_keepalived_defaults_and_inheritance() {
        let s: Vec<CheckSpec> = specs().into_iter().map(|r| r.unwrap()).collect();
        assert_eq!(s.len(), 8, "{s:#?}");
        let Kind::Http { urls, tls: None } = &s[0].kind else {
            panic!("{:?}", s[0])
        };
        assert_eq!(urls[0].host, "vs.example:8080");
        assert_eq!(urls[0].path, "/health");
        assert!(urls[0].status_ok(204) && !urls[0].status_ok(205));
        assert_eq!(urls[1].host, "u.example:8080");
        // HTTP defaults: delay_before_retry 3 s; retry from the real server; delay_loop
        // from the virtual server; connect_timeout 5 s.
        assert_eq!(s[0].timing.delay_before_retry, Duration::from_secs(3));
        assert_eq!(s[0].timing.retry, 4);
        assert_eq!(s[0].timing.delay_loop, Duration::from_secs(7));
        assert_eq!(s[0].timing.connect_timeout, Duration::from_secs(5));
        let Kind::Http {
            urls,
            tls: Some(tls),
        } = &s[1].kind
        else {
            panic!("{:?}", s[1])
        };
        assert_eq!(urls[0].host, "vs.example");
        assert_eq!(tls.sni.as_deref(), Some("vs.example"));
        assert_eq!(s[1].target.port(), 443);
        assert_eq!(s[2].kind, Kind::Tcp);
        assert_eq!(s[2].timing.connect_timeout, Duration::from_secs(2));
        assert_eq!(s[2].timing.delay_before_retry, Duration::from_millis(500));
        assert!(s[2].timing.alpha);
        assert!(s[2].log_all_failures && !s[0].log_all_failures);
        let Kind::Misc {
            args,
            timeout,
            dynamic,
            ..
        } = &s[3].kind
        else {
            panic!()
        };
        assert_eq!(args, &["/bin/true", "--x"]);
        assert_eq!(
            *timeout,
            Duration::from_secs(7),
            "misc_timeout defaults to delay_loop"
        );
        assert!(dynamic);
        assert_eq!(
            s[4].kind,
            Kind::Dns {
                qtype: DnsType::A,
                name: "example.org".into()
            }
        );
        assert_eq!(s[4].timing.retry, 4);
        assert_eq!(
            s[5].kind,
            Kind::Smtp {
                helo_name: "lb.local".into()
            }
        );
        assert_eq!(s[6].kind, Kind::Ping);
        assert_eq!(s[6].target.port(), 0);
        assert!(matches!(
            &s[7].kind,
            Kind::Udp {
                require_reply: true,
                min_len: Some(3),
                ..
            }
        ));
    }
}
