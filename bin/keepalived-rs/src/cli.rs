//! The command line: keepalived's flags, parsed the way glibc's `getopt_long` does (bundled
//! short flags, `-fFILE`/`-f FILE`, `--opt=V`/`--opt V` for required arguments, optional
//! arguments only attached, unique prefixes of long names, `--` ends options). Called by
//! `main`; the result is an [`Options`] for `-t`, `--dump-conf` and (later) the supervisor.

use std::fmt;

/// The default configuration file, as in Debian's keepalived.
pub const DEFAULT_CONFIG: &str = "/etc/keepalived/keepalived.conf";

/// Which children to run (`-P`, `-C`, `-B`, `--all`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Children {
    pub vrrp: bool,
    pub check: bool,
    pub bfd: bool,
    /// `--all`: start every child even without configuration for it.
    pub all: bool,
}

impl Default for Children {
    fn default() -> Self {
        Children {
            vrrp: true,
            check: true,
            bfd: true,
            all: false,
        }
    }
}

/// `--dump-conf` output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DumpFormat {
    Text,
    Json,
}

/// What the command line asks for. Daemon options are kept for the supervisor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// `-f/--use-file`; `None` means [`DEFAULT_CONFIG`].
    pub use_file: Option<String>,
    pub children: Children,
    pub log_console: bool,
    /// `-D` count: 1 detailed, 2 extra detail.
    pub log_detail: u32,
    /// `-S`: 0-7 for local0-7, or the facility name (`user`, `daemon`).
    pub log_facility: Option<String>,
    /// `-g/--log-file[=FILE]`: `Some(None)` means the default file.
    pub log_file: Option<Option<String>>,
    pub flush_log_file: bool,
    pub no_syslog: bool,
    pub umask: Option<u32>,
    pub release_vips: bool,
    pub dont_release_vrrp: bool,
    pub dont_release_ipvs: bool,
    pub dont_respawn: bool,
    pub dont_fork: bool,
    pub dump_conf: Option<DumpFormat>,
    pub pid_file: Option<String>,
    pub vrrp_pid_file: Option<String>,
    pub checkers_pid_file: Option<String>,
    pub bfd_pid_file: Option<String>,
    pub address_monitoring: bool,
    pub snmp: bool,
    pub snmp_agent_socket: Option<String>,
    pub namespace: Option<String>,
    pub core_dump: bool,
    /// `-M/--core-dump-pattern[=PATN]`: `Some(None)` means keepalived's default `core`.
    pub core_dump_pattern: Option<Option<String>>,
    pub all_config: bool,
    pub config_id: Option<String>,
    /// `-t/--config-test[=LOGFILE]`: `Some(None)` writes to stderr.
    pub config_test: Option<Option<String>>,
    pub config_fd: Option<String>,
    pub ignore_sigint: bool,
    /// Non-option arguments (keepalived reports and ignores them).
    pub unexpected: Vec<String>,
    /// Bad values that keepalived reports as configuration errors (`-S`), for `-t`.
    pub config_errors: Vec<String>,
    /// Bad values keepalived only warns about (`-u`).
    pub warnings: Vec<String>,
}

/// An action that ends parsing at once, as keepalived does on reaching the option.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Early {
    Help,
    Version,
    /// `--signum=NAME`: the number to print, or the unknown name.
    Signum(Result<i32, String>),
    /// `-T`/`--genhash`: genhash mode with the arguments after it.
    Genhash(Vec<String>),
}

/// Why the command line is refused (exit 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CliError {
    /// "Unknown option X" (keepalived goes on parsing and exits 1 at the end).
    Unknown(String),
    /// "Missing parameter for option X" (keepalived exits at once).
    MissingParameter(String),
    /// A keepalived option this build does not provide.
    NotSupported(String, &'static str),
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Unknown(o) => write!(f, "Unknown option {o}"),
            CliError::MissingParameter(o) => write!(f, "Missing parameter for option {o}"),
            CliError::NotSupported(o, why) => write!(f, "{o}: {why}"),
        }
    }
}

/// The outcome of parsing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed {
    /// Print help/version/signal number and exit 0 (or 1 for an unknown signal name);
    /// unknown options seen before it are reported first.
    Early(Early, Vec<CliError>),
    /// Parsing ended with errors: report them and exit 1.
    Failed(Vec<CliError>),
    Run(Box<Options>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Arg {
    No,
    Required,
    /// Only attached: `--opt=V`, `-oV`.
    Optional,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Key {
    UseFile,
    Vrrp,
    Check,
    NoBfd,
    All,
    LogConsole,
    LogDetail,
    LogFacility,
    LogFile,
    FlushLogFile,
    NoSyslog,
    Umask,
    ReleaseVips,
    DontReleaseVrrp,
    DontReleaseIpvs,
    DontRespawn,
    DontFork,
    DumpConf,
    Pid,
    VrrpPid,
    CheckersPid,
    BfdPid,
    Genhash,
    AddressMonitoring,
    Snmp,
    SnmpSocket,
    Namespace,
    CoreDump,
    CoreDumpPattern,
    AllConfig,
    ConfigId,
    Signum,
    ConfigTest,
    ConfigFd,
    IgnoreSigint,
    Version,
    Help,
}

struct Spec {
    short: Option<char>,
    long: &'static str,
    arg: Arg,
    id: Key,
}

const fn s(short: Option<char>, long: &'static str, arg: Arg, id: Key) -> Spec {
    Spec {
        short,
        long,
        arg,
        id,
    }
}

/// keepalived 2.2.7's options (`keepalived --help`), plus `--vrrp-only`/`--check-only`.
/// `-d` takes no argument; `--dump-conf` takes an optional one (`=json`).
const SPECS: &[Spec] = &[
    s(Some('f'), "use-file", Arg::Required, Key::UseFile),
    s(Some('P'), "vrrp", Arg::No, Key::Vrrp),
    s(None, "vrrp-only", Arg::No, Key::Vrrp),
    s(Some('C'), "check", Arg::No, Key::Check),
    s(None, "check-only", Arg::No, Key::Check),
    s(Some('B'), "no_bfd", Arg::No, Key::NoBfd),
    s(None, "all", Arg::No, Key::All),
    s(Some('l'), "log-console", Arg::No, Key::LogConsole),
    s(Some('D'), "log-detail", Arg::No, Key::LogDetail),
    s(Some('S'), "log-facility", Arg::Required, Key::LogFacility),
    s(Some('g'), "log-file", Arg::Optional, Key::LogFile),
    s(None, "flush-log-file", Arg::No, Key::FlushLogFile),
    s(Some('G'), "no-syslog", Arg::No, Key::NoSyslog),
    s(Some('u'), "umask", Arg::Required, Key::Umask),
    s(Some('X'), "release-vips", Arg::No, Key::ReleaseVips),
    s(
        Some('V'),
        "dont-release-vrrp",
        Arg::No,
        Key::DontReleaseVrrp,
    ),
    s(
        Some('I'),
        "dont-release-ipvs",
        Arg::No,
        Key::DontReleaseIpvs,
    ),
    s(Some('R'), "dont-respawn", Arg::No, Key::DontRespawn),
    s(Some('n'), "dont-fork", Arg::No, Key::DontFork),
    s(Some('d'), "dump-conf", Arg::Optional, Key::DumpConf),
    s(Some('p'), "pid", Arg::Required, Key::Pid),
    s(Some('r'), "vrrp_pid", Arg::Required, Key::VrrpPid),
    s(Some('T'), "genhash", Arg::No, Key::Genhash),
    s(Some('c'), "checkers_pid", Arg::Required, Key::CheckersPid),
    s(
        Some('a'),
        "address-monitoring",
        Arg::No,
        Key::AddressMonitoring,
    ),
    s(Some('b'), "bfd_pid", Arg::Required, Key::BfdPid),
    s(Some('x'), "snmp", Arg::No, Key::Snmp),
    s(
        Some('A'),
        "snmp-agent-socket",
        Arg::Required,
        Key::SnmpSocket,
    ),
    s(Some('s'), "namespace", Arg::Required, Key::Namespace),
    s(Some('m'), "core-dump", Arg::No, Key::CoreDump),
    s(
        Some('M'),
        "core-dump-pattern",
        Arg::Optional,
        Key::CoreDumpPattern,
    ),
    s(Some('e'), "all-config", Arg::No, Key::AllConfig),
    s(Some('i'), "config-id", Arg::Required, Key::ConfigId),
    s(None, "signum", Arg::Required, Key::Signum),
    s(Some('t'), "config-test", Arg::Optional, Key::ConfigTest),
    s(None, "config-fd", Arg::Required, Key::ConfigFd),
    s(None, "ignore-sigint", Arg::No, Key::IgnoreSigint),
    s(Some('v'), "version", Arg::No, Key::Version),
    s(Some('h'), "help", Arg::No, Key::Help),
];

/// `--signum` names and their numbers (SIGRTMIN/SIGRTMAX come from libc at run time).
pub fn signum(name: &str) -> Option<i32> {
    match name {
        "STOP" => Some(libc::SIGTERM),
        "RELOAD" => Some(libc::SIGHUP),
        "DATA" => Some(libc::SIGUSR1),
        "STATS" => Some(libc::SIGUSR2),
        "STATS_CLEAR" => Some(libc::SIGRTMAX() - 1),
        "JSON" => Some(libc::SIGRTMIN() + 2),
        _ => None,
    }
}

/// A number the way C's `strtoul(s, NULL, 0)` reads it: `0x` hex, leading `0` octal.
fn c_number(s: &str) -> Option<u32> {
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        u32::from_str_radix(h, 16).ok()
    } else if s.len() > 1 && s.starts_with('0') {
        u32::from_str_radix(&s[1..], 8).ok()
    } else {
        s.parse().ok()
    }
}

fn valid_facility(f: &str) -> bool {
    matches!(f, "user" | "daemon")
        || matches!(f.parse::<u32>(), Ok(0..=7))
        || f.strip_prefix("local")
            .is_some_and(|n| matches!(n.parse::<u32>(), Ok(0..=7)) && n.len() == 1)
}

/// Parse `args` (without the program name).
pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Parsed {
    let args: Vec<String> = args.into_iter().collect();
    // keepalived switches to genhash mode on `-T`/`--genhash`; what follows is genhash's.
    if let Some(at) = args.iter().position(|a| a == "-T" || a == "--genhash") {
        let rest = args
            .get(at + 1..)
            .map(<[String]>::to_vec)
            .unwrap_or_default();
        return Parsed::Early(Early::Genhash(rest), Vec::new());
    }
    let mut o = Options::default();
    let mut errors = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            o.unexpected.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, attached) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            // Exact name first, then a unique prefix (getopt_long).
            let spec = SPECS.iter().find(|s| s.long == name).or_else(|| {
                let m: Vec<&Spec> = SPECS.iter().filter(|s| s.long.starts_with(name)).collect();
                match m.as_slice() {
                    [one] => Some(*one),
                    // `--vrrp` and `--vrrp-only` are the same option: not ambiguous.
                    [first, rest @ ..] if rest.iter().all(|s| s.id == first.id) => Some(*first),
                    _ => None,
                }
            });
            let Some(spec) = spec.filter(|_| !name.is_empty()) else {
                errors.push(CliError::Unknown(a.clone()));
                continue;
            };
            let value = match (spec.arg, attached) {
                (Arg::No, Some(_)) => {
                    errors.push(CliError::Unknown(a.clone()));
                    continue;
                }
                (Arg::No, None) => None,
                (Arg::Optional, v) => v,
                (Arg::Required, Some(v)) => Some(v),
                (Arg::Required, None) => match args.get(i) {
                    Some(v) => {
                        i += 1;
                        Some(v.clone())
                    }
                    None => {
                        errors.push(CliError::MissingParameter(format!("--{}", spec.long)));
                        return Parsed::Failed(errors);
                    }
                },
            };
            if let Some(done) = apply(&mut o, spec, value, &mut errors) {
                return done;
            }
            continue;
        }
        if let Some(cluster) = a.strip_prefix('-').filter(|c| !c.is_empty()) {
            let chars: Vec<char> = cluster.chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                j += 1;
                let Some(spec) = SPECS.iter().find(|s| s.short == Some(c)) else {
                    errors.push(CliError::Unknown(format!("-{c}")));
                    continue;
                };
                let rest: String = chars[j..].iter().collect();
                let value = match spec.arg {
                    Arg::No => None,
                    Arg::Optional => {
                        j = chars.len();
                        (!rest.is_empty()).then_some(rest)
                    }
                    Arg::Required => {
                        j = chars.len();
                        if !rest.is_empty() {
                            Some(rest)
                        } else if let Some(v) = args.get(i) {
                            i += 1;
                            Some(v.clone())
                        } else {
                            errors.push(CliError::MissingParameter(format!("-{c}")));
                            return Parsed::Failed(errors);
                        }
                    }
                };
                if let Some(done) = apply(&mut o, spec, value, &mut errors) {
                    return done;
                }
            }
            continue;
        }
        o.unexpected.push(a.clone());
    }
    if errors.is_empty() {
        Parsed::Run(Box::new(o))
    } else {
        Parsed::Failed(errors)
    }
}

/// Record one option; `Some` ends parsing (help, version, signum, genhash).
fn apply(
    o: &mut Options,
    spec: &Spec,
    v: Option<String>,
    errors: &mut Vec<CliError>,
) -> Option<Parsed> {
    let req = |v: Option<String>| v.unwrap_or_default();
    match spec.id {
        Key::UseFile => o.use_file = Some(req(v)),
        Key::Vrrp => {
            o.children.vrrp = true;
            o.children.check = false;
        }
        Key::Check => {
            o.children.check = true;
            o.children.vrrp = false;
        }
        Key::NoBfd => o.children.bfd = false,
        Key::All => o.children.all = true,
        Key::LogConsole => o.log_console = true,
        Key::LogDetail => o.log_detail += 1,
        Key::LogFacility => {
            let f = req(v);
            if valid_facility(&f) {
                o.log_facility = Some(f);
            } else {
                o.config_errors.push(format!("Invalid log facility '{f}'"));
            }
        }
        Key::LogFile => o.log_file = Some(v),
        Key::FlushLogFile => o.flush_log_file = true,
        Key::NoSyslog => o.no_syslog = true,
        Key::Umask => {
            let m = req(v);
            match c_number(&m).filter(|n| *n <= 0o777) {
                Some(n) => o.umask = Some(n),
                None => o.warnings.push(format!("Invalid --umask option {m}")),
            }
        }
        Key::ReleaseVips => o.release_vips = true,
        Key::DontReleaseVrrp => o.dont_release_vrrp = true,
        Key::DontReleaseIpvs => o.dont_release_ipvs = true,
        Key::DontRespawn => o.dont_respawn = true,
        Key::DontFork => o.dont_fork = true,
        Key::DumpConf => match v.as_deref() {
            None | Some("text") => o.dump_conf = Some(DumpFormat::Text),
            Some("json") => o.dump_conf = Some(DumpFormat::Json),
            Some(other) => errors.push(CliError::Unknown(format!("--dump-conf={other}"))),
        },
        Key::Pid => o.pid_file = Some(req(v)),
        Key::VrrpPid => o.vrrp_pid_file = Some(req(v)),
        Key::CheckersPid => o.checkers_pid_file = Some(req(v)),
        Key::BfdPid => o.bfd_pid_file = Some(req(v)),
        Key::Genhash => {
            errors.push(CliError::NotSupported(
                "-T/--genhash".into(),
                "genhash mode takes -T/--genhash as a separate argument",
            ));
            return Some(Parsed::Failed(std::mem::take(errors)));
        }
        Key::AddressMonitoring => o.address_monitoring = true,
        Key::Snmp => o.snmp = true,
        Key::SnmpSocket => o.snmp_agent_socket = Some(req(v)),
        Key::Namespace => o.namespace = Some(req(v)),
        Key::CoreDump => o.core_dump = true,
        Key::CoreDumpPattern => {
            o.core_dump = true;
            o.core_dump_pattern = Some(v);
        }
        Key::AllConfig => o.all_config = true,
        Key::ConfigId => o.config_id = Some(req(v)),
        Key::Signum => {
            let name = req(v);
            let r = signum(&name).ok_or(name);
            return Some(Parsed::Early(Early::Signum(r), std::mem::take(errors)));
        }
        Key::ConfigTest => o.config_test = Some(v),
        Key::ConfigFd => o.config_fd = Some(req(v)),
        Key::IgnoreSigint => o.ignore_sigint = true,
        Key::Version => return Some(Parsed::Early(Early::Version, std::mem::take(errors))),
        Key::Help => return Some(Parsed::Early(Early::Help, std::mem::take(errors))),
    }
    None
}

/// `--help`, laid out like keepalived's.
pub fn usage(prog: &str) -> String {
    format!(
        "Usage: {prog} [OPTION...]
  -f, --use-file=FILE          Use the specified configuration file
                                default '{DEFAULT_CONFIG}'
  -P, --vrrp, --vrrp-only      Only run with VRRP subsystem
  -C, --check, --check-only    Only run with Health-checker subsystem
  -B, --no_bfd                 Don't run BFD subsystem
      --all                    Force all child processes to run, even if have no configuration
  -l, --log-console            Log messages to local console
  -D, --log-detail             Detailed log messages (twice: extra detail)
  -S, --log-facility=([0-7]|local[0-7]|user|daemon)
                               Set syslog facility to LOG_LOCAL[0-7], user or daemon (default)
  -g, --log-file[=FILE]        Also log to FILE (default /tmp/keepalived.log)
      --flush-log-file         Flush log file on write
  -G, --no-syslog              Don't log via syslog
  -u, --umask=MASK             umask for file creation (in numeric form)
  -X, --release-vips           Drop VIP on transition from signal.
  -V, --dont-release-vrrp      Don't remove VRRP VIPs and VROUTEs on daemon stop
  -I, --dont-release-ipvs      Don't remove IPVS topology on daemon stop
  -R, --dont-respawn           Don't respawn child processes
  -n, --dont-fork              Don't fork the daemon process
  -d, --dump-conf[=json]       Dump the configuration data (--dump-conf=json: as JSON)
  -p, --pid=FILE               Use specified pidfile for parent process
  -r, --vrrp_pid=FILE          Use specified pidfile for VRRP child process
  -c, --checkers_pid=FILE      Use specified pidfile for checkers child process
  -a, --address-monitoring     Report all address additions/deletions notified via netlink
  -b, --bfd_pid=FILE           Use specified pidfile for BFD child process
  -x, --snmp                   Accepted for compatibility; SNMP is not provided
  -A, --snmp-agent-socket=FILE Accepted for compatibility; SNMP is not provided
  -s, --namespace=NAME         Run in network namespace NAME (overrides config)
  -m, --core-dump              Produce core dump if terminate abnormally
  -M, --core-dump-pattern[=PATN] Also set /proc/sys/kernel/core_pattern to PATN (default 'core')
  -e, --all-config             Error if any configuration file missing (same as includet)
  -i, --config-id id           Skip any configuration lines beginning '@' that don't match id
                                or any lines beginning @^ that do match.
                                The config-id defaults to the node name if option not used
      --signum=SIGFUNC         Return signal number for STOP, RELOAD, DATA, STATS, STATS_CLEAR, JSON
  -t, --config-test[=LOG_FILE] Check the configuration for obvious errors, output to
                                stderr by default
      --config-fd=FD           Internal: read the configuration from an inherited fd
      --ignore-sigint          Ignore SIGINT (for debugging)
  -v, --version                Display the version number
  -h, --help                   Display this help message
"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Options {
        match parse(args.iter().map(|s| s.to_string())) {
            Parsed::Run(o) => *o,
            other => panic!("{args:?}: {other:?}"),
        }
    }

    fn fails(args: &[&str]) -> Vec<CliError> {
        match parse(args.iter().map(|s| s.to_string())) {
            Parsed::Failed(e) => e,
            other => panic!("{args:?}: {other:?}"),
        }
    }

    #[test]
    fn bundled_and_attached_short_options() {
        let o = run(&["-nDlD", "-fa.conf", "-p", "/run/k.pid"]);
        assert!(o.dont_fork && o.log_console);
        assert_eq!(o.log_detail, 2);
        assert_eq!(o.use_file.as_deref(), Some("a.conf"));
        assert_eq!(o.pid_file.as_deref(), Some("/run/k.pid"));
        // -f takes the rest of the cluster, as getopt does
        let o = run(&["-nfx.conf"]);
        assert_eq!(o.use_file.as_deref(), Some("x.conf"));
    }

    #[test]
    fn long_options_with_values_and_prefixes() {
        let o = run(&[
            "--use-file=a",
            "--config-id",
            "n1",
            "--vrrp-only",
            "--dump-conf=json",
        ]);
        assert_eq!(o.use_file.as_deref(), Some("a"));
        assert_eq!(o.config_id.as_deref(), Some("n1"));
        assert!(o.children.vrrp && !o.children.check);
        assert_eq!(o.dump_conf, Some(DumpFormat::Json));
        let o = run(&["--use", "b", "--check-only"]);
        assert_eq!(o.use_file.as_deref(), Some("b"));
        assert!(o.children.check && !o.children.vrrp);
        // ambiguous prefix: --d matches dump-conf and dont-*
        assert_eq!(fails(&["--d"]), [CliError::Unknown("--d".into())]);
    }

    #[test]
    fn optional_arguments_only_attached() {
        let o = run(&["-t"]);
        assert_eq!(o.config_test, Some(None));
        let o = run(&["-t/tmp/x.log"]);
        assert_eq!(o.config_test, Some(Some("/tmp/x.log".into())));
        let o = run(&["--config-test=/tmp/y"]);
        assert_eq!(o.config_test, Some(Some("/tmp/y".into())));
        // a separate word is not the optional argument (keepalived: unexpected argument)
        let o = run(&["-t", "/tmp/x"]);
        assert_eq!(o.config_test, Some(None));
        assert_eq!(o.unexpected, ["/tmp/x"]);
        // -tf: "f" is the log file, like getopt
        let o = run(&["-tf"]);
        assert_eq!(o.config_test, Some(Some("f".into())));
    }

    #[test]
    fn errors_like_keepalived() {
        assert_eq!(fails(&["-Z", "-n"]), [CliError::Unknown("-Z".into())]);
        assert_eq!(fails(&["--help=x"]), [CliError::Unknown("--help=x".into())]);
        assert_eq!(fails(&["-f"]), [CliError::MissingParameter("-f".into())]);
        assert_eq!(
            fails(&["--use-file"]),
            [CliError::MissingParameter("--use-file".into())]
        );
        // `--` ends the options
        let o = run(&["-n", "--", "-Z"]);
        assert_eq!(o.unexpected, ["-Z"]);
    }

    #[test]
    fn early_exits_stop_parsing() {
        let p = parse(["-Z", "-v", "-Q"].map(String::from));
        assert_eq!(
            p,
            Parsed::Early(Early::Version, vec![CliError::Unknown("-Z".into())])
        );
        let p = parse(["--signum=RELOAD"].map(String::from));
        assert_eq!(p, Parsed::Early(Early::Signum(Ok(1)), vec![]));
        let p = parse(["--signum", "nope"].map(String::from));
        assert_eq!(p, Parsed::Early(Early::Signum(Err("nope".into())), vec![]));
        let p = parse(["-T", "-s", "192.0.2.1", "-u", "/"].map(String::from));
        assert_eq!(
            p,
            Parsed::Early(
                Early::Genhash(["-s", "192.0.2.1", "-u", "/"].map(String::from).to_vec()),
                vec![]
            )
        );
        let p = parse(["--genhash"].map(String::from));
        assert_eq!(p, Parsed::Early(Early::Genhash(vec![]), vec![]));
    }

    #[test]
    fn signal_numbers() {
        assert_eq!(signum("STOP"), Some(15));
        assert_eq!(signum("DATA"), Some(10));
        assert_eq!(signum("STATS"), Some(12));
        // glibc: SIGRTMIN 34, SIGRTMAX 64 (keepalived on Debian prints 63 and 36)
        assert_eq!(signum("STATS_CLEAR"), Some(63));
        assert_eq!(signum("JSON"), Some(36));
        assert_eq!(signum("stop"), None);
    }

    #[test]
    fn values_checked_like_keepalived() {
        let o = run(&["-S", "local3", "-u", "022"]);
        assert_eq!(o.log_facility.as_deref(), Some("local3"));
        assert_eq!(o.umask, Some(0o22));
        let o = run(&["-S", "9", "-u", "abc"]);
        assert_eq!(o.config_errors, ["Invalid log facility '9'"]);
        assert_eq!(o.warnings, ["Invalid --umask option abc"]);
        assert!(valid_facility("daemon") && valid_facility("7") && !valid_facility("local8"));
    }
}
