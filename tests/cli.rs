//! End-to-end tests of the keepalived-rs command line: the real binary
//! (`target/debug/keepalived-rs`, built here when absent; `scripts/test` builds it first)
//! run with keepalived's flags, checking exit codes and messages against keepalived 2.2.7's
//! observed behaviour. Tests that need network namespaces run only as root.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Once;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn bin() -> PathBuf {
    static BUILD: Once = Once::new();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"));
    let exe = target.join("debug").join("keepalived-rs");
    BUILD.call_once(|| {
        if !exe.exists() {
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
            let st = Command::new(cargo)
                .args(["build", "-p", "keepalived-rs"])
                .current_dir(workspace())
                .status()
                .expect("run cargo build");
            assert!(st.success(), "cargo build -p keepalived-rs failed");
        }
    });
    exe
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn out(o: Output) -> Run {
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn run(args: &[&str]) -> Run {
    out(Command::new(bin())
        .args(args)
        .output()
        .expect("run keepalived-rs"))
}

/// Run the reference keepalived when it is installed (`-h`, `-v`, unknown options and
/// `--signum` exit before it does anything).
fn keepalived(args: &[&str]) -> Option<Run> {
    Command::new("keepalived").args(args).output().ok().map(out)
}

fn conf(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new()
        .suffix(".conf")
        .tempfile()
        .expect("temp file");
    std::io::Write::write_all(&mut f, text.as_bytes()).expect("write config");
    f
}

fn path(f: &tempfile::NamedTempFile) -> String {
    f.path().display().to_string()
}

#[test]
fn help_and_version_go_to_stderr_and_exit_0() {
    for flag in ["-h", "--help", "--he"] {
        let r = run(&[flag]);
        assert_eq!(r.code, 0, "{flag}");
        assert!(
            r.stderr.starts_with("Usage: keepalived-rs [OPTION...]"),
            "{}",
            r.stderr
        );
        for opt in [
            "--use-file=FILE",
            "--config-test[=LOG_FILE]",
            "--signum=SIGFUNC",
            "--vrrp-only",
            "--check-only",
        ] {
            assert!(r.stderr.contains(opt), "help lacks {opt}");
        }
    }
    let r = run(&["-v"]);
    assert_eq!(r.code, 0);
    assert!(r.stderr.starts_with("keepalived-rs v"), "{}", r.stderr);
    // like keepalived, -v ends parsing: later options are not looked at
    assert_eq!(run(&["--version", "-Z"]).code, 0);
}

#[test]
fn signum_prints_signal_numbers() {
    let want = [
        ("STOP", "15"),
        ("RELOAD", "1"),
        ("DATA", "10"),
        ("STATS", "12"),
        ("STATS_CLEAR", "63"),
        ("JSON", "36"),
    ];
    for (name, num) in want {
        let r = run(&[&format!("--signum={name}")]);
        assert_eq!((r.code, r.stdout.trim()), (0, num), "{name}");
        if let Some(k) = keepalived(&[&format!("--signum={name}")]) {
            assert_eq!(k.stdout.trim(), num, "keepalived --signum={name}");
        }
    }
    let r = run(&["--signum", "RELOAD"]);
    assert_eq!(r.stdout.trim(), "1");
    let r = run(&["--signum=stop"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("Unknown sigfunc stop"));
}

#[test]
fn unknown_options_and_missing_arguments_exit_1() {
    for args in [
        &["-Z"][..],
        &["--bogus"],
        &["--help=x"],
        &["--d"],
        &["-f"],
        &["--use-file"],
        &["-nZ"],
    ] {
        let r = run(args);
        assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
        if let Some(k) = keepalived(args) {
            assert_eq!(k.code, r.code, "keepalived {args:?} exits differently");
        }
    }
    assert!(run(&["-Z"]).stderr.contains("Unknown option -Z"));
    assert!(run(&["-f"])
        .stderr
        .contains("Missing parameter for option -f"));
    assert!(run(&["--use-file"])
        .stderr
        .contains("Missing parameter for option --use-file"));
}

#[test]
fn config_test_exit_codes_and_file_line() {
    let ok = conf("# nothing but a comment\n");
    let r = run(&["-t", "-f", &path(&ok)]);
    assert_eq!(r.code, 0, "{}", r.stderr);

    let bad = conf("\n\nno_such_root_keyword 1\n");
    let r = run(&["-t", "-f", &path(&bad)]);
    assert_eq!(r.code, 5);
    let want = format!(
        "{}:3: warning: Unknown keyword 'no_such_root_keyword'",
        path(&bad)
    );
    assert!(r.stderr.contains(&want), "{}", r.stderr);

    // missing main file: 4 (keepalived 2.2.7 exits 0 here; a deliberate difference)
    let r = run(&["-t", "-f", "/nonexistent/keepalived.conf"]);
    assert_eq!(r.code, 4);
    assert!(r.stderr.contains("/nonexistent/keepalived.conf"));

    // a bad log facility is a configuration error, as in keepalived
    let r = run(&["-S", "9", "-t", "-f", &path(&ok)]);
    assert_eq!(r.code, 5);
    assert!(r.stderr.contains("Invalid log facility '9'"));
}

#[test]
fn option_spellings_are_equivalent() {
    let bad = conf("bogus_keyword\n");
    let p = path(&bad);
    let attached = format!("-f{p}");
    let long_eq = format!("--use-file={p}");
    let spellings: [Vec<&str>; 6] = [
        vec!["-t", "-f", &p],
        vec!["-t", &attached],
        vec!["--config-test", &long_eq],
        vec!["--config-test", "--use-file", &p],
        vec!["-nDlt", "-f", &p],
        vec!["--config-t", "--use", &p],
    ];
    for args in &spellings {
        let r = run(args);
        assert_eq!(r.code, 5, "{args:?}: {}", r.stderr);
        assert!(r
            .stderr
            .contains(":1: warning: Unknown keyword 'bogus_keyword'"));
    }
    // -- ends the options: what follows is an unexpected argument, reported and ignored
    let r = run(&["-t", "-f", &p, "--", "-Z"]);
    assert_eq!(r.code, 5);
    assert!(r.stdout.contains("Unexpected argument(s): -Z"));
}

#[test]
fn config_test_log_file() {
    let bad = conf("bogus_keyword\n");
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("t.log");
    let r = run(&[
        &format!("--config-test={}", log.display()),
        "-f",
        &path(&bad),
    ]);
    assert_eq!(r.code, 5);
    assert!(
        !r.stderr.contains("bogus_keyword"),
        "went to stderr: {}",
        r.stderr
    );
    let text = std::fs::read_to_string(&log).expect("log written");
    assert!(
        text.contains(":1: warning: Unknown keyword 'bogus_keyword'"),
        "{text}"
    );

    let log2 = dir.path().join("u.log");
    let r = run(&[&format!("-t{}", log2.display()), "-f", &path(&bad)]);
    assert_eq!(r.code, 5);
    assert!(std::fs::read_to_string(&log2)
        .expect("log")
        .contains("bogus_keyword"));
}

#[test]
fn dump_conf_json_is_valid_json() {
    let ok = conf("# empty\n");
    let r = run(&["--dump-conf=json", "-f", &path(&ok)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("valid JSON");
    assert_eq!(v["source"], serde_json::Value::String(path(&ok)));
    for key in ["global", "vrrp", "check"] {
        assert!(v.get(key).is_some(), "no {key} in {v}");
    }
    let r = run(&["-d", "-f", &path(&ok)]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("Config {"), "{}", r.stdout);
    assert_eq!(run(&["--dump-conf=yaml", "-f", &path(&ok)]).code, 1);
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A network namespace with eth0 and eth1 (veth), deleted on drop.
struct Netns(String);

impl Netns {
    fn new(tag: &str) -> Option<Netns> {
        if !is_root() {
            return None;
        }
        let name = format!("krs-cli-{tag}-{}", std::process::id());
        let ok = |args: &[&str]| {
            Command::new("ip")
                .args(args)
                .status()
                .map(|s| s.success())
                .unwrap_or(false)
        };
        if !ok(&["netns", "add", &name]) {
            return None;
        }
        let ns = Netns(name);
        for i in 0..2 {
            let (a, b) = (format!("eth{i}"), format!("peer{i}"));
            if !ok(&[
                "-n", &ns.0, "link", "add", &a, "type", "veth", "peer", "name", &b,
            ]) {
                return None;
            }
        }
        Some(ns)
    }

    fn run(&self, prog: &Path, args: &[&str]) -> Run {
        out(Command::new("ip")
            .args(["netns", "exec", &self.0])
            .arg(prog)
            .args(args)
            .output()
            .expect("ip netns exec"))
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip").args(["netns", "del", &self.0]).status();
    }
}

/// The example configs pass `keepalived-rs -t` (and keepalived's own `-t`, when installed)
/// in a namespace that has the interfaces they name.
#[test]
fn example_configs_pass_config_test() {
    let Some(ns) = Netns::new("conf") else {
        eprintln!("skipped: needs root and ip netns");
        return;
    };
    let examples: [(&str, &[&str]); 4] = [
        ("conf/lvs-director-pair.conf", &["-i", "lb1"]),
        ("conf/lvs-director-pair.conf", &["-i", "lb2"]),
        ("conf/router-pair.conf", &["-P"]),
        ("conf/check-only.conf", &["-C"]),
    ];
    let have_keepalived = Command::new("keepalived").arg("-v").output().is_ok();
    for (file, extra) in examples {
        let f = workspace().join(file).display().to_string();
        let mut args = vec!["-t", "-f", &f];
        args.extend_from_slice(extra);
        let r = ns.run(&bin(), &args);
        assert_eq!(r.code, 0, "keepalived-rs {args:?}: {}", r.stderr);
        if have_keepalived {
            let k = ns.run(Path::new("keepalived"), &args);
            assert_eq!(k.code, 0, "keepalived {args:?}: {}", k.stderr);
        }
    }
}
