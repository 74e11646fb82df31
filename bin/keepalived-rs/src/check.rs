//! `-t/--config-test[=LOGFILE]` and `--dump-conf[=json]`: read, parse and validate the
//! configuration against this machine (the interfaces of the current network namespace,
//! the `keepalived_script` user) and report like `keepalived -t`. Called by `main`.

use crate::cli::{DumpFormat, Options, DEFAULT_CONFIG};
use keepalived_config::{
    parse, read_tree, support, validate, Diagnostics, Env, ErrorClass, ReadOptions,
};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

/// The config id for `@id` lines: `-i`, else the host name up to its first dot.
pub fn config_id(opts: &Options) -> String {
    if let Some(id) = &opts.config_id {
        return id.clone();
    }
    nix::unistd::gethostname()
        .ok()
        .and_then(|h| h.into_string().ok())
        .map(|h| h.split('.').next().unwrap_or("").to_string())
        .unwrap_or_default()
}

/// What validation needs from the kernel and the user database.
pub fn env_from_system() -> Env {
    // if_nameindex asks the kernel through a socket of the current network namespace, so
    // `ip netns exec NS keepalived-rs -t` sees NS's interfaces.
    let interfaces = nix::net::if_::if_nameindex().ok().map(|list| {
        list.iter()
            .filter_map(|i| i.name().to_str().ok().map(str::to_string))
            .collect::<BTreeSet<String>>()
    });
    let keepalived_script_user_exists = matches!(
        nix::unistd::User::from_name("keepalived_script"),
        Ok(Some(_))
    );
    Env {
        interfaces,
        keepalived_script_user_exists,
        resolve_host: Some(resolves),
    }
}

/// Does `host` resolve (getaddrinfo, as keepalived does for `smtp_server`)?
fn resolves(host: &str) -> bool {
    use std::net::ToSocketAddrs;
    (host, 25)
        .to_socket_addrs()
        .is_ok_and(|mut a| a.next().is_some())
}

/// Read, parse and (for `-t`) validate; returns the model, the diagnostics and the
/// support notice.
fn run(
    opts: &Options,
    do_validate: bool,
) -> (keepalived_config::Config, Diagnostics, Option<String>) {
    let mut d = Diagnostics::new();
    for e in &opts.config_errors {
        d.report(ErrorClass::GeneralError, None, e.clone());
    }
    let file = opts.use_file.as_deref().unwrap_or(DEFAULT_CONFIG);
    let path = Path::new(file);
    // keepalived 2.2.7 exits 0 for a missing main file ("Config files missing"); the issue
    // asks for exit 4 (file not found), a deliberate difference.
    if std::fs::metadata(path).is_err() {
        d.report(
            ErrorClass::FileNotFound,
            None,
            format!("Configuration file '{file}' not found"),
        );
        return (keepalived_config::Config::default(), d, None);
    }
    let ropts = ReadOptions {
        config_id: config_id(opts),
        all_config: opts.all_config,
    };
    let tree = read_tree(path, &ropts, &mut d);
    let cfg = parse::parse(file, &tree, &mut d);
    if do_validate {
        validate::validate(&cfg, &env_from_system(), &mut d);
    }
    let notice = support::summary(&tree);
    // The process exits right after `-t`/`--dump-conf`: freeing a large tree node by node
    // is wasted work (about 5% of `-t` on a 80,000-line config), so it is left to exit.
    std::mem::forget(tree);
    (cfg, d, notice)
}

/// `-t`: print every diagnostic, then the support notice; exit with keepalived's code.
pub fn config_test(opts: &Options, log: Option<&str>) -> i32 {
    let (cfg, d, notice) = run(opts, true);
    // Not needed any more and the process exits next: see `run`.
    std::mem::forget(cfg);
    let mut text = String::new();
    for item in &d.items {
        text.push_str(&item.to_string());
        text.push('\n');
    }
    if let Some(n) = notice {
        text.push_str("note: ");
        text.push_str(&n);
        text.push('\n');
    }
    let written = log.map(|f| {
        std::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(true)
            .open(f)
            .and_then(|mut fh| fh.write_all(text.as_bytes()))
    });
    match written {
        Some(Ok(())) => {}
        Some(Err(e)) => {
            eprintln!(
                "Unable to write config test log '{}': {e}",
                log.unwrap_or("")
            );
            eprint!("{text}");
        }
        None => eprint!("{text}"),
    }
    d.exit_code()
}

/// `--dump-conf`: the parsed model on stdout (readable or JSON), diagnostics on stderr.
/// Exit status as for `-t` (without the machine checks).
pub fn dump_conf(opts: &Options, fmt: DumpFormat) -> i32 {
    let (cfg, d, _) = run(opts, false);
    for item in &d.items {
        eprintln!("{item}");
    }
    if d.has(ErrorClass::FileNotFound) {
        return d.exit_code();
    }
    match fmt {
        DumpFormat::Text => println!("{cfg:#?}"),
        DumpFormat::Json => match serde_json::to_string_pretty(&cfg) {
            Ok(j) => println!("{j}"),
            Err(e) => {
                eprintln!("Unable to encode the configuration as JSON: {e}");
                return 1;
            }
        },
    }
    d.exit_code()
}
