//! keepalived-rs: the one binary. Parses the command line ([`cli`]) and dispatches:
//! the hidden child roles (`--child vrrp|checker`, started by the parent), `--help`,
//! `--version`, `--signum`, `-t` ([`check`]), `--dump-conf`, and otherwise the daemon's
//! parent ([`keepalived_supervisor::run_parent`]).

mod check;
mod cli;
mod genhash;

use cli::{Early, Options, Parsed};
use keepalived_supervisor::DaemonOptions;
use std::process::ExitCode;

fn version() -> String {
    format!(
        "keepalived-rs v{} (reads keepalived 2.2.7 configurations)\n\n\
         A drop-in replacement for keepalived written in Rust.\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// The parent of the daemon: the CLI's options mapped onto the supervisor's, and a loader
/// that re-reads and validates the file on every call (start and each HUP).
fn run_daemon(opts: &Options) -> i32 {
    let mut d = DaemonOptions {
        config_file: opts
            .use_file
            .as_deref()
            .unwrap_or(cli::DEFAULT_CONFIG)
            .into(),
        vrrp_only: !opts.children.check,
        check_only: !opts.children.vrrp,
        all: opts.children.all,
        dont_fork: opts.dont_fork,
        dont_respawn: opts.dont_respawn,
        log_console: opts.log_console,
        log_detail: opts.log_detail,
        dont_release_vrrp: opts.dont_release_vrrp,
        dont_release_ipvs: opts.dont_release_ipvs,
        release_vips: opts.release_vips,
        config_id: Some(check::config_id(opts)),
        ..DaemonOptions::default()
    };
    if let Some(p) = &opts.pid_file {
        d.pid_file = p.into();
    }
    if let Some(p) = &opts.vrrp_pid_file {
        d.vrrp_pid_file = p.into();
    }
    if let Some(p) = &opts.checkers_pid_file {
        d.checkers_pid_file = p.into();
    }
    d.absolutize();
    let ropts = keepalived_config::ReadOptions {
        config_id: check::config_id(opts),
        all_config: opts.all_config,
    };
    let load =
        || keepalived_supervisor::load_config(&d.config_file, &ropts, &check::env_from_system());
    keepalived_supervisor::run_parent(&d, &load)
}

fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    if keepalived_supervisor::is_child_invocation(&raw) {
        return ExitCode::from(u8::try_from(keepalived_supervisor::child_main(&raw)).unwrap_or(1));
    }
    let mut argv = std::env::args();
    let prog = argv.next().unwrap_or_else(|| "keepalived-rs".into());
    let prog = prog
        .rsplit('/')
        .next()
        .unwrap_or("keepalived-rs")
        .to_string();
    match cli::parse(argv) {
        Parsed::Early(early, errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            match early {
                // keepalived prints help and version on stderr and exits 0.
                Early::Help => eprint!("{}", cli::usage(&prog)),
                Early::Version => eprint!("{}", version()),
                Early::Signum(Ok(n)) => println!("{n}"),
                Early::Genhash(args) => return ExitCode::from(genhash::run(&args, &prog)),
                Early::Signum(Err(name)) => {
                    eprintln!("Unknown sigfunc {name}");
                    return ExitCode::from(1);
                }
            }
            ExitCode::SUCCESS
        }
        Parsed::Failed(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            ExitCode::from(1)
        }
        Parsed::Run(opts) => {
            if !opts.unexpected.is_empty() {
                // keepalived reports stray arguments on stdout and carries on.
                let mut line = String::from("Unexpected argument(s): ");
                for a in &opts.unexpected {
                    line.push_str(a);
                    line.push(' ');
                }
                println!("{line}");
            }
            for w in &opts.warnings {
                eprintln!("{w}");
            }
            let code = if let Some(log) = &opts.config_test {
                check::config_test(&opts, log.as_deref())
            } else if let Some(fmt) = opts.dump_conf {
                check::dump_conf(&opts, fmt)
            } else {
                for e in &opts.config_errors {
                    eprintln!("{e}");
                }
                run_daemon(&opts)
            };
            ExitCode::from(u8::try_from(code).unwrap_or(1))
        }
    }
}
