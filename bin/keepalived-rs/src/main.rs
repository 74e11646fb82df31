//! keepalived-rs: the one binary. Parses the command line ([`cli`]) and dispatches:
//! `--help`, `--version`, `--signum`, `-t` ([`check`]), `--dump-conf`; the daemon itself
//! (supervisor and children) is not built yet and says so.

mod check;
mod cli;

use cli::{Early, Parsed};
use std::process::ExitCode;

fn version() -> String {
    format!(
        "keepalived-rs v{} (reads keepalived 2.2.7 configurations)\n\n\
         A drop-in replacement for keepalived written in Rust.\n",
        env!("CARGO_PKG_VERSION")
    )
}

fn main() -> ExitCode {
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
                eprintln!(
                    "{prog}: the daemon (VRRP, health checkers, IPVS) is not built yet; \
                     only -t/--config-test, --dump-conf, --signum, -v and -h work. \
                     Nothing was started."
                );
                1
            };
            ExitCode::from(u8::try_from(code).unwrap_or(1))
        }
    }
}
