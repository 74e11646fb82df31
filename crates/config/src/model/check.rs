//! The checker side of the model: `SSL`, `virtual_server_group`, `virtual_server`,
//! `real_server` and the checker blocks. Built by `parse::check`, checked by
//! `validate::check`, run later by the checker child (IPVS + health checks).
//!
//! Values the config did not set stay `None`, so validation can tell "unset" from "set to
//! the default" (keepalived complains about a missing `lb_algo`, `lb_kind` or `protocol`);
//! the `effective_*` helpers give the value keepalived would use.

use super::Script;
use crate::diag::Loc;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use std::time::Duration;

/// `delay_loop` when nothing sets it (`check_data.h`).
pub const DEFAULT_DELAY_LOOP: Duration = Duration::from_secs(60);
/// Checker `connect_timeout` when nothing sets it.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Bare `persistence_timeout` (`libipvs.h:IPVS_SVC_PERSISTENT_TIMEOUT`).
pub const DEFAULT_PERSISTENCE_TIMEOUT: u32 = 360;
/// The scheduler used when `lb_algo` is missing (`ipvswrapper.h:IPVS_DEF_SCHED`).
pub const DEFAULT_SCHEDULER: &str = "wlc";
/// The IPVS schedulers keepalived accepts for `lb_algo` / `lvs_sched`.
pub const SCHEDULERS: &[&str] = &[
    "rr", "wrr", "lc", "wlc", "lblc", "sh", "mh", "dh", "fo", "ovf", "lblcr", "sed", "nq", "twos",
];

/// Everything the checker child needs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckConfig {
    /// The root `SSL { }` block (client context for SSL_GET).
    pub ssl: Option<Ssl>,
    pub groups: Vec<VsGroup>,
    pub virtual_servers: Vec<VirtualServer>,
}

impl CheckConfig {
    /// keepalived's `have_checker_config`: the checker child runs when a virtual server
    /// is configured.
    pub fn has_config(&self) -> bool {
        !self.virtual_servers.is_empty()
    }

    /// Every script of the checker side with what it is for.
    pub fn scripts<'a>(&'a self, out: &mut Vec<(&'static str, &'a Script)>) {
        for vs in &self.virtual_servers {
            if let Some(s) = &vs.quorum_up {
                out.push(("quorum_up", s));
            }
            if let Some(s) = &vs.quorum_down {
                out.push(("quorum_down", s));
            }
            for rs in &vs.real_servers {
                if let Some(s) = &rs.notify_up {
                    out.push(("notify_up", s));
                }
                if let Some(s) = &rs.notify_down {
                    out.push(("notify_down", s));
                }
                for c in &rs.checkers {
                    if let CheckerKind::Misc(m) = &c.kind {
                        if let Some(s) = &m.path {
                            out.push(("MISC_CHECK", s));
                        }
                    }
                }
            }
        }
    }

    pub fn group(&self, name: &str) -> Option<&VsGroup> {
        self.groups.iter().find(|g| g.name == name)
    }
}

/// `SSL { password ca certificate key }`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Ssl {
    pub loc: Option<Loc>,
    pub password: Option<String>,
    pub ca: Option<String>,
    pub certificate: Option<String>,
    pub key: Option<String>,
}

/// Address family (`ip_family`, `fwmark N inet|inet6`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Family {
    Inet,
    Inet6,
}

impl Family {
    pub fn of(ip: &IpAddr) -> Family {
        if ip.is_ipv4() {
            Family::Inet
        } else {
            Family::Inet6
        }
    }
}

/// `virtual_server_group NAME { ... }`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VsGroup {
    pub loc: Option<Loc>,
    pub name: String,
    pub entries: Vec<VsgEntry>,
}

/// One line of a virtual server group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum VsgEntry {
    /// `IP[-LAST|/nn] [PORT]`: addresses `first..=last` (a single address has first == last).
    Range {
        loc: Loc,
        first: IpAddr,
        last: IpAddr,
        port: Option<u16>,
    },
    /// `fwmark N [inet|inet6]`.
    Fwmark {
        loc: Loc,
        mark: u32,
        family: Option<Family>,
    },
}

/// What a virtual server balances: `IP [PORT]`, `fwmark N` or `group NAME`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum VsTarget {
    Addr { ip: IpAddr, port: Option<u16> },
    Fwmark(u32),
    Group(String),
}

impl Default for VsTarget {
    fn default() -> Self {
        VsTarget::Fwmark(0)
    }
}

/// IPVS forwarding method (`lb_kind` / `lvs_method`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum LvsMethod {
    #[default]
    Nat,
    Dr,
    Tun,
}

/// Tunnel encapsulation for `TUN` (`type ipip|gue|gre`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TunType {
    Ipip,
    Gue,
    Gre,
}

/// Tunnel checksum option.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TunCsum {
    NoCsum,
    Csum,
    RemCsum,
}

/// `lvs_method NAT|DR|TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Forwarding {
    pub method: LvsMethod,
    pub tun_type: Option<TunType>,
    pub tun_port: Option<u16>,
    pub tun_csum: Option<TunCsum>,
}

/// `protocol TCP|UDP|SCTP`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Protocol {
    Tcp,
    Udp,
    Sctp,
}

impl Protocol {
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Sctp => "sctp",
        }
    }
}

/// Scheduler flags (`hashed ops flag-1..3 sh-port sh-fallback mh-port mh-fallback`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchedFlags {
    pub hashed: bool,
    pub ops: bool,
    pub flag1: bool,
    pub flag2: bool,
    pub flag3: bool,
}

/// Checker timing shared by virtual server, real server and checker levels; each level
/// inherits what it does not set from the one above (`validate_check_config`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    pub retry: Option<u32>,
    pub delay_before_retry: Option<Duration>,
    pub warmup: Option<Duration>,
    pub connect_timeout: Option<Duration>,
    pub delay_loop: Option<Duration>,
}

/// `virtual_server ... { }`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VirtualServer {
    pub loc: Option<Loc>,
    pub target: VsTarget,
    /// `lb_algo` / `lvs_sched`; `None` = unset (keepalived then uses wlc and complains).
    pub scheduler: Option<String>,
    pub sched_flags: SchedFlags,
    /// `None` = unset (keepalived then uses NAT and complains).
    pub forwarding: Option<Forwarding>,
    pub persistence_timeout: Option<u32>,
    pub persistence_granularity: Option<String>,
    pub persistence_engine: Option<String>,
    pub protocol: Option<Protocol>,
    pub ip_family: Option<Family>,
    pub timing: Timing,
    pub inhibit_on_failure: bool,
    pub ha_suspend: bool,
    pub smtp_alert: Option<bool>,
    pub virtualhost: Option<String>,
    pub alpha: bool,
    pub omega: bool,
    /// Default 1.
    pub quorum: Option<u32>,
    /// Default 0.
    pub hysteresis: Option<u32>,
    pub quorum_up: Option<Script>,
    pub quorum_down: Option<Script>,
    /// The default weight of this VS's real servers (default 1).
    pub weight: Option<u32>,
    pub sorry_server: Option<SorryServer>,
    pub real_servers: Vec<RealServer>,
}

impl VirtualServer {
    pub fn effective_scheduler(&self) -> &str {
        self.scheduler.as_deref().unwrap_or(DEFAULT_SCHEDULER)
    }

    pub fn effective_quorum(&self) -> u32 {
        self.quorum.unwrap_or(1)
    }

    pub fn effective_delay_loop(&self) -> Duration {
        self.timing.delay_loop.unwrap_or(DEFAULT_DELAY_LOOP)
    }

    /// keepalived's `FMT_VS`: `[IP]:proto:PORT`, `FWM N` or `[GROUP]:PORT`.
    pub fn display_name(&self) -> String {
        match &self.target {
            VsTarget::Fwmark(m) => format!("FWM {m}"),
            VsTarget::Group(g) => format!("[{g}]:0"),
            VsTarget::Addr { ip, port } => format!(
                "[{ip}]:{}:{}",
                self.protocol.map_or("none", Protocol::name),
                port.unwrap_or(0)
            ),
        }
    }
}

/// `sorry_server IP [PORT]` with `sorry_server_inhibit` and `sorry_server_lvs_method`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SorryServer {
    pub loc: Loc,
    pub ip: IpAddr,
    pub port: Option<u16>,
    pub inhibit: bool,
    pub forwarding: Option<Forwarding>,
}

/// `real_server IP [PORT] { }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RealServer {
    pub loc: Loc,
    pub ip: IpAddr,
    pub port: Option<u16>,
    /// Default: the virtual server's `weight` (itself default 1).
    pub weight: Option<u32>,
    pub forwarding: Option<Forwarding>,
    pub uthreshold: Option<u32>,
    pub lthreshold: Option<u32>,
    pub inhibit_on_failure: Option<bool>,
    pub notify_up: Option<Script>,
    pub notify_down: Option<Script>,
    pub alpha: Option<bool>,
    pub timing: Timing,
    pub smtp_alert: Option<bool>,
    pub virtualhost: Option<String>,
    pub checkers: Vec<Checker>,
}

/// One checker block inside a real server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Checker {
    pub loc: Loc,
    pub common: CheckerCommon,
    pub kind: CheckerKind,
}

impl Checker {
    /// The block keyword (`TCP_CHECK`, `HTTP_GET`, ...).
    pub fn name(&self) -> &'static str {
        self.kind.name()
    }

    /// `retry` when neither the checker nor its real server / virtual server sets it.
    pub fn default_retry(&self) -> u32 {
        match self.kind {
            CheckerKind::Dns(_) => 3,
            CheckerKind::Misc(_) => 0,
            _ => 1,
        }
    }

    /// `delay_before_retry` default; `None` means "the checker's delay_loop" (DNS).
    pub fn default_delay_before_retry(&self) -> Option<Duration> {
        match self.kind {
            CheckerKind::Http(_) | CheckerKind::Ssl(_) => Some(Duration::from_secs(3)),
            CheckerKind::Dns(_) => None,
            _ => Some(Duration::from_secs(1)),
        }
    }
}

/// Keywords shared by the connection-based checkers (`install_checker_common_keywords`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckerCommon {
    pub connect_ip: Option<IpAddr>,
    pub connect_port: Option<u16>,
    pub bindto: Option<IpAddr>,
    pub bind_port: Option<u16>,
    pub bind_if: Option<String>,
    /// SO_MARK for the checker's socket.
    pub fwmark: Option<u32>,
    pub timing: Timing,
    pub alpha: Option<bool>,
    pub log_all_failures: Option<bool>,
}

/// The checker types and their own settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CheckerKind {
    Tcp,
    Http(HttpCheck),
    Ssl(HttpCheck),
    Misc(MiscCheck),
    Smtp(SmtpCheck),
    Dns(DnsCheck),
    Udp(UdpCheck),
    Ping,
    File(FileCheck),
    Bfd(BfdCheck),
}

impl CheckerKind {
    pub fn name(&self) -> &'static str {
        match self {
            CheckerKind::Tcp => "TCP_CHECK",
            CheckerKind::Http(_) => "HTTP_GET",
            CheckerKind::Ssl(_) => "SSL_GET",
            CheckerKind::Misc(_) => "MISC_CHECK",
            CheckerKind::Smtp(_) => "SMTP_CHECK",
            CheckerKind::Dns(_) => "DNS_CHECK",
            CheckerKind::Udp(_) => "UDP_CHECK",
            CheckerKind::Ping => "PING_CHECK",
            CheckerKind::File(_) => "FILE_CHECK",
            CheckerKind::Bfd(_) => "BFD_CHECK",
        }
    }
}

/// `http_protocol 1.0|1.0C|1.1` (default 1.0).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum HttpProtocol {
    #[default]
    Http10,
    /// 1.0 with `Connection: close`.
    Http10C,
    Http11,
}

/// HTTP_GET / SSL_GET settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HttpCheck {
    pub virtualhost: Option<String>,
    pub http_protocol: HttpProtocol,
    pub enable_sni: bool,
    pub fast_recovery: bool,
    pub urls: Vec<Url>,
}

/// An inclusive range of HTTP status codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusRange {
    pub first: u16,
    pub last: u16,
}

/// `url { }` inside HTTP_GET / SSL_GET.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Url {
    pub loc: Option<Loc>,
    pub path: Option<String>,
    /// Lower-case hex MD5 (32 characters).
    pub digest: Option<String>,
    /// Empty = keepalived's default 200-299.
    pub status_codes: Vec<StatusRange>,
    pub virtualhost: Option<String>,
    pub regex: Option<String>,
    pub regex_no_match: bool,
    pub regex_options: Vec<String>,
    pub regex_min_offset: Option<u32>,
    pub regex_max_offset: Option<u32>,
    /// PCRE2 match stack size.
    pub regex_stack: Option<u32>,
}

impl Url {
    /// Does status `code` count as success?
    pub fn status_ok(&self, code: u16) -> bool {
        if self.status_codes.is_empty() {
            return (200..=299).contains(&code);
        }
        self.status_codes
            .iter()
            .any(|r| (r.first..=r.last).contains(&code))
    }
}

/// MISC_CHECK settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MiscCheck {
    pub path: Option<Script>,
    /// Default: the checker's delay_loop.
    pub timeout: Option<Duration>,
    pub dynamic: bool,
    /// `user USER [GROUP]` for the script.
    pub user: Option<String>,
    pub group: Option<String>,
}

/// SMTP_CHECK settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SmtpCheck {
    /// Default: keepalived's `smtp_helo_name` / local host name.
    pub helo_name: Option<String>,
    /// Deprecated `host { }` sub-blocks (each an extra connection to check).
    pub hosts: Vec<CheckerCommon>,
}

/// DNS query types of DNS_CHECK.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DnsType {
    A,
    Ns,
    Cname,
    #[default]
    Soa,
    Mx,
    Txt,
    Aaaa,
}

/// DNS_CHECK settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DnsCheck {
    pub qtype: DnsType,
    pub name: String,
}

impl Default for DnsCheck {
    fn default() -> Self {
        DnsCheck {
            qtype: DnsType::Soa,
            name: ".".to_string(),
        }
    }
}

/// UDP_CHECK settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UdpCheck {
    pub payload: Option<Vec<u8>>,
    pub require_reply: bool,
    /// The bytes the reply must start with, if given.
    pub reply_data: Option<Vec<u8>>,
    pub min_reply_length: Option<u32>,
    pub max_reply_length: Option<u32>,
}

/// FILE_CHECK settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FileCheck {
    pub track_file: Option<String>,
    pub weight: Option<i32>,
    pub reverse: bool,
}

/// BFD_CHECK settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BfdCheck {
    pub name: Option<String>,
}

/// A checker's timing value: the checker's own setting, else the real server's, else the
/// virtual server's (keepalived's `validate_check_config` inheritance).
pub fn inherit<T: Copy>(c: Option<T>, rs: Option<T>, vs: Option<T>) -> Option<T> {
    c.or(rs).or(vs)
}

/// Effective `delay_loop` of a checker (keepalived's inheritance, default 60 s).
pub fn checker_delay_loop(vs: &VirtualServer, rs: &RealServer, c: &Checker) -> Duration {
    inherit(
        c.common.timing.delay_loop,
        rs.timing.delay_loop,
        vs.timing.delay_loop,
    )
    .unwrap_or(DEFAULT_DELAY_LOOP)
}

/// Effective `retry` of a checker.
pub fn checker_retry(vs: &VirtualServer, rs: &RealServer, c: &Checker) -> u32 {
    inherit(c.common.timing.retry, rs.timing.retry, vs.timing.retry)
        .unwrap_or_else(|| c.default_retry())
}

/// Effective `delay_before_retry` of a checker.
pub fn checker_delay_before_retry(vs: &VirtualServer, rs: &RealServer, c: &Checker) -> Duration {
    inherit(
        c.common.timing.delay_before_retry,
        rs.timing.delay_before_retry,
        vs.timing.delay_before_retry,
    )
    .or_else(|| c.default_delay_before_retry())
    .unwrap_or_else(|| checker_delay_loop(vs, rs, c))
}

/// Effective `connect_timeout` of a checker.
pub fn checker_connect_timeout(vs: &VirtualServer, rs: &RealServer, c: &Checker) -> Duration {
    inherit(
        c.common.timing.connect_timeout,
        rs.timing.connect_timeout,
        vs.timing.connect_timeout,
    )
    .unwrap_or(DEFAULT_CONNECT_TIMEOUT)
}

/// Effective `warmup` of a checker: its own, the real server's (itself defaulting to the
/// virtual server's), else the checker's delay_loop (the upper bound of the random delay).
pub fn checker_warmup(vs: &VirtualServer, rs: &RealServer, c: &Checker) -> Duration {
    inherit(c.common.timing.warmup, rs.timing.warmup, vs.timing.warmup)
        .unwrap_or_else(|| checker_delay_loop(vs, rs, c))
}
