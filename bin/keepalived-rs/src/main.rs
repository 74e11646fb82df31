//! keepalived-rs: the one binary. Parses the command line and dispatches by role.

// ---- BEGIN h-super hook: process model dispatch (merge with the CLI parser) ----
// 1. The hidden child role must be dispatched before any other parsing: the parent runs
//    `/proc/self/exe --child vrrp|checker --ipc-fd N --parent-pid P [-D]... [-V] [-I] [-X]`.
// 2. Otherwise (not -t, --dump-conf, -v, -h, --signum) build DaemonOptions from the parsed
//    flags and call run_parent with a loader that re-reads the file on every call (HUP).
// `interim_options` below only stands in for the CLI parser and goes away in the merge.
use keepalived_supervisor::DaemonOptions;

fn interim_options(args: &[String]) -> DaemonOptions {
    let mut o = DaemonOptions::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (flag, attached) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ if a.len() > 2 && a.starts_with('-') && !a.starts_with("--") => {
                (&a[..2], Some(a[2..].to_string()))
            }
            _ => (a.as_str(), None),
        };
        let mut value = || {
            attached
                .clone()
                .or_else(|| it.next().cloned())
                .unwrap_or_default()
        };
        match flag {
            "-f" | "--use-file" => o.config_file = value().into(),
            "-p" | "--pid" => o.pid_file = value().into(),
            "-r" | "--vrrp_pid" => o.vrrp_pid_file = value().into(),
            "-c" | "--checkers_pid" => o.checkers_pid_file = value().into(),
            "-i" | "--config-id" => o.config_id = Some(value()),
            "-n" | "--dont-fork" => o.dont_fork = true,
            "-R" | "--dont-respawn" => o.dont_respawn = true,
            "-P" | "--vrrp" | "--vrrp-only" => o.vrrp_only = true,
            "-C" | "--check" | "--check-only" => o.check_only = true,
            "--all" => o.all = true,
            "-l" | "--log-console" => o.log_console = true,
            "-D" | "--log-detail" => o.log_detail += 1,
            "-V" | "--dont-release-vrrp" => o.dont_release_vrrp = true,
            "-I" | "--dont-release-ipvs" => o.dont_release_ipvs = true,
            "-X" | "--release-vips" => o.release_vips = true,
            other => eprintln!("keepalived-rs: option {other} ignored by the interim parser"),
        }
    }
    o
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if keepalived_supervisor::is_child_invocation(&args) {
        std::process::exit(keepalived_supervisor::child_main(&args));
    }
    let mut opts = interim_options(&args);
    opts.absolutize();
    let ropts = keepalived_config::ReadOptions {
        config_id: opts.config_id.clone().unwrap_or_default(),
        all_config: false,
    };
    let load = || {
        keepalived_supervisor::load_config(
            &opts.config_file,
            &ropts,
            &keepalived_config::Env::default(),
        )
    };
    std::process::exit(keepalived_supervisor::run_parent(&opts, &load));
}
// ---- END h-super hook ----
