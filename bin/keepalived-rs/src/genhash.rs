//! `keepalived-rs --genhash` (keepalived's `-T`, the old `genhash` tool): parses genhash's
//! options, fetches one URL with `keepalived_check::genhash` and prints the MD5 digest of
//! the body, for writing `digest` lines of HTTP_GET/SSL_GET. Called by `main` when the
//! command line starts with `-T`/`--genhash`.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use keepalived_check::genhash::genhash;
use keepalived_check::proto::http::UrlSpec;
use keepalived_config::model::check::HttpProtocol;

/// What one genhash invocation asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub ssl: bool,
    pub sni: bool,
    pub server: IpAddr,
    pub port: u16,
    pub url: String,
    pub virtualhost: Option<String>,
    pub verbose: bool,
    pub protocol: HttpProtocol,
    pub timeout: Duration,
}

/// The outcome of parsing genhash's options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed {
    Help,
    Run(Request),
    Error(String),
}

/// genhash's options (`keepalived -T --help`): short or long, value as the next argument
/// or attached (`-p80`, `--port=80`).
pub fn parse(args: &[String]) -> Parsed {
    let mut ssl = false;
    let mut sni = false;
    let mut verbose = false;
    let mut server = None;
    let mut port = None;
    let mut url = None;
    let mut virtualhost = None;
    let mut protocol = HttpProtocol::Http10;
    let mut timeout = Duration::from_secs(5);
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        i += 1;
        let (name, attached) = if let Some(long) = a.strip_prefix("--") {
            match long.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (long.to_string(), None),
            }
        } else if let Some(short) = a.strip_prefix('-').filter(|s| !s.is_empty()) {
            let mut chars = short.chars();
            let c = chars.next().map(String::from).unwrap_or_default();
            let rest: String = chars.collect();
            (c, (!rest.is_empty()).then_some(rest))
        } else {
            return Parsed::Error(format!("Unexpected argument {a}"));
        };
        let flag = |v: &Option<String>| v.is_none();
        let mut value = |attached: Option<String>| -> Result<String, String> {
            if let Some(v) = attached {
                return Ok(v);
            }
            let v = args
                .get(i)
                .cloned()
                .ok_or(format!("Missing parameter for option {a}"))?;
            i += 1;
            Ok(v)
        };
        match name.as_str() {
            "S" | "use-ssl" if flag(&attached) => ssl = true,
            "I" | "use-sni" if flag(&attached) => sni = true,
            "v" | "verbose" if flag(&attached) => verbose = true,
            "h" | "help" if flag(&attached) => return Parsed::Help,
            "s" | "server" => match value(attached) {
                Ok(v) => match v.parse::<IpAddr>() {
                    Ok(ip) => server = Some(ip),
                    Err(_) => return Parsed::Error(format!("server should be an IP, not {v}")),
                },
                Err(e) => return Parsed::Error(e),
            },
            "p" | "port" => match value(attached) {
                Ok(v) => match v.parse::<u16>() {
                    Ok(p) if p > 0 => port = Some(p),
                    _ => return Parsed::Error(format!("invalid port number '{v}'")),
                },
                Err(e) => return Parsed::Error(e),
            },
            "u" | "url" => match value(attached) {
                Ok(v) => url = Some(v),
                Err(e) => return Parsed::Error(e),
            },
            "V" | "use-virtualhost" => match value(attached) {
                Ok(v) => virtualhost = Some(v),
                Err(e) => return Parsed::Error(e),
            },
            "m" | "fwmark" => {
                if let Err(e) = value(attached) {
                    return Parsed::Error(e);
                }
                return Parsed::Error(
                    "--fwmark is not supported by keepalived-rs --genhash".into(),
                );
            }
            "P" | "protocol" => match value(attached).as_deref() {
                Ok("1.0") => protocol = HttpProtocol::Http10,
                Ok("1.0c") | Ok("1.0C") => protocol = HttpProtocol::Http10C,
                Ok("1.1") => protocol = HttpProtocol::Http11,
                Ok(v) => return Parsed::Error(format!("invalid HTTP protocol version '{v}'")),
                Err(e) => return Parsed::Error(e.clone()),
            },
            "t" | "timeout" => match value(attached) {
                Ok(v) => match v.parse::<u64>() {
                    Ok(s) if s > 0 => timeout = Duration::from_secs(s),
                    _ => return Parsed::Error(format!("invalid timeout '{v}'")),
                },
                Err(e) => return Parsed::Error(e),
            },
            _ => return Parsed::Error(format!("Unknown option {a}")),
        }
    }
    let Some(server) = server else {
        return Parsed::Error("genhash: a server address is needed (-s)".into());
    };
    let Some(url) = url else {
        return Parsed::Error("genhash: a url is needed (-u)".into());
    };
    let port = port.unwrap_or(if ssl { 443 } else { 80 });
    Parsed::Run(Request {
        ssl,
        sni,
        server,
        port,
        url,
        virtualhost,
        verbose,
        protocol,
        timeout,
    })
}

pub fn usage(prog: &str) -> String {
    format!(
        "Usage: {prog} --genhash COMMAND [OPTIONS]\n\
         Commands:\n   -s server-address -p port -u url\n   -S -s server-address -p port -u url\n   -h\n\n\
         Options:\n\
         \x20  --use-ssl         -S       Use SSL connection to remote server.\n\
         \x20  --use-sni         -I       Use SNI during SSL handshake (uses virtualhost setting; see -V).\n\
         \x20  --server          -s       Use the specified remote server address.\n\
         \x20  --port            -p       Use the specified remote server port.\n\
         \x20  --url             -u       Use the specified remote server url.\n\
         \x20  --use-virtualhost -V       Use the specified virtualhost in GET query.\n\
         \x20  --verbose         -v       Use verbose mode output.\n\
         \x20  --help            -h       Display this short inlined help screen.\n\
         \x20  --protocol        -P       Use the specified HTTP protocol - '1.0', 1.0c', '1.1'.\n\
         \x20                               1.0c means 1.0 with 'Connection: close'\n\
         \x20  --timeout         -t       Timeout in seconds\n"
    )
}

/// Runs genhash: the digest on stdout (keepalived's non-verbose output); the exit status.
pub fn run(args: &[String], prog: &str) -> u8 {
    let r = match parse(args) {
        Parsed::Help => {
            eprint!("{}", usage(prog));
            return 0;
        }
        Parsed::Error(e) => {
            eprintln!("{e}");
            eprint!("{}", usage(prog));
            return 1;
        }
        Parsed::Run(r) => r,
    };
    let addr = SocketAddr::new(r.server, r.port);
    let default_port = if r.ssl { 443 } else { 80 };
    // The Host header as the checkers send it: the virtualhost, else the address, with the
    // port where it is not the scheme's default.
    let host_name = r.virtualhost.clone().unwrap_or_else(|| match r.server {
        IpAddr::V4(a) => a.to_string(),
        IpAddr::V6(a) => format!("[{a}]"),
    });
    let host = if r.port == default_port {
        host_name
    } else {
        format!("{host_name}:{}", r.port)
    };
    let url = UrlSpec {
        path: r.url.clone(),
        digest: None,
        status_codes: Vec::new(),
        host,
        protocol: r.protocol,
        regex: None,
    };
    let sni = if r.sni {
        r.virtualhost.as_deref()
    } else {
        None
    };
    match genhash(addr, r.ssl, sni, url, r.timeout) {
        Ok(g) => {
            if r.verbose {
                println!("HTTP status code: {}", g.status);
                println!("Body length: {}", g.body_len);
                println!("MD5SUM = {}", g.digest);
            } else {
                println!("{}", g.digest);
            }
            0
        }
        Err(e) => {
            let mut msg = e.to_string();
            let mut src = std::error::Error::source(&e);
            while let Some(s) = src {
                msg.push_str(&format!(": {s}"));
                src = s.source();
            }
            eprintln!("genhash: {msg}");
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(a: &[&str]) -> Parsed {
        parse(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn options_like_genhash() {
        let Parsed::Run(r) = p(&[
            "-S",
            "-s",
            "192.0.2.1",
            "-p8443",
            "--url=/x",
            "-V",
            "example.org",
            "-I",
            "-P",
            "1.1",
            "-t",
            "3",
        ]) else {
            panic!("should parse");
        };
        assert!(r.ssl && r.sni && !r.verbose);
        assert_eq!(r.server, "192.0.2.1".parse::<IpAddr>().unwrap());
        assert_eq!((r.port, r.url.as_str()), (8443, "/x"));
        assert_eq!(r.virtualhost.as_deref(), Some("example.org"));
        assert_eq!(r.protocol, HttpProtocol::Http11);
        assert_eq!(r.timeout, Duration::from_secs(3));
        let Parsed::Run(r) = p(&["-s", "2001:db8::1", "-u", "/"]) else {
            panic!("should parse")
        };
        assert_eq!((r.port, r.ssl), (80, false));
        let Parsed::Run(r) = p(&["-S", "-s", "2001:db8::1", "-u", "/"]) else {
            panic!("should parse")
        };
        assert_eq!(r.port, 443);
    }

    #[test]
    fn errors_name_the_option() {
        assert_eq!(p(&["-h"]), Parsed::Help);
        assert!(matches!(p(&["-s", "192.0.2.1"]), Parsed::Error(e) if e.contains("url")));
        assert!(matches!(p(&["-u", "/"]), Parsed::Error(e) if e.contains("server")));
        assert!(matches!(p(&["-s"]), Parsed::Error(e) if e.contains("Missing parameter")));
        assert!(matches!(p(&["-s", "x", "-u", "/"]), Parsed::Error(e) if e.contains("IP")));
        assert!(
            matches!(p(&["-s", "192.0.2.1", "-u", "/", "-p", "0"]), Parsed::Error(e) if e.contains("port"))
        );
        assert!(matches!(p(&["-x"]), Parsed::Error(e) if e.contains("Unknown option -x")));
        assert!(
            matches!(p(&["-s", "192.0.2.1", "-u", "/", "-P", "2"]), Parsed::Error(e) if e.contains("protocol"))
        );
    }
}
