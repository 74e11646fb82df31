//! Helpers shared by the end-to-end tests: locating the workspace, the keepalived-rs binary,
//! keepalived and the shared reference folder; network namespaces that clean up after
//! themselves; running keepalived and keepalived-rs side by side; reading the expectation
//! headers of the config fixtures. Used by tests/corpus.rs, tests/negative.rs (and cli.rs).

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How long one `-t` run may take before we kill it and call it a hang.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(60);

/// The workspace root (the folder holding the root `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .find(|dir| {
            std::fs::read_to_string(dir.join("Cargo.toml"))
                .map(|text| text.contains("[workspace]"))
                .unwrap_or(false)
        })
        .unwrap_or(manifest)
        .to_path_buf()
}

/// The folder of this crate (tests/), where the config fixtures live.
pub fn tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared reference folder. It sits beside the project root (`<root>/../shared`); from a
/// git worktree nested deeper we keep walking up. `KEEPALIVED_RS_SHARED` overrides.
pub fn shared_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("KEEPALIVED_RS_SHARED") {
        return PathBuf::from(dir);
    }
    let root = workspace_root();
    for dir in root.ancestors().skip(1) {
        let candidate = dir.join("shared");
        if candidate.join("reference").is_dir() {
            return candidate;
        }
    }
    panic!(
        "cannot find the shared folder (../shared/reference) above {}; set KEEPALIVED_RS_SHARED",
        root.display()
    );
}

/// keepalived's sample configs: every regular file in samples/ and samples/extra/, sorted.
pub fn samples() -> Vec<PathBuf> {
    let base = shared_dir().join("reference").join("samples");
    let mut out = Vec::new();
    for dir in [base.clone(), base.join("extra")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_file() {
                out.push(path);
            }
        }
    }
    out.sort();
    assert!(!out.is_empty(), "no samples found under {}", base.display());
    out
}

/// The keepalived-rs binary under test. `KEEPALIVED_RS_BIN` overrides; otherwise
/// `<target>/debug/keepalived-rs`, built once per test process with `cargo build` (this crate
/// does not depend on the binary crate, so `cargo test` alone would not rebuild it).
pub fn binary() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(bin) = std::env::var_os("KEEPALIVED_RS_BIN") {
            return PathBuf::from(bin);
        }
        let root = workspace_root();
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("target"));
        let bin = target.join("debug").join("keepalived-rs");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "-p", "keepalived-rs"])
            .current_dir(&root)
            .status();
        match status {
            Ok(s) if s.success() => {}
            other if bin.is_file() => {
                eprintln!("warning: `cargo build -p keepalived-rs` failed ({other:?}); testing the existing {}", bin.display());
            }
            other => panic!("`cargo build -p keepalived-rs` failed ({other:?}) and {} does not exist", bin.display()),
        }
        assert!(bin.is_file(), "{} missing after cargo build", bin.display());
        bin
    })
    .clone()
}

/// Debian's keepalived, the ground truth. `KEEPALIVED` overrides the path.
pub fn keepalived() -> PathBuf {
    let path = std::env::var_os("KEEPALIVED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/sbin/keepalived"));
    assert!(
        path.is_file(),
        "{} not found: these tests compare against Debian's keepalived (apt-get install keepalived)",
        path.display()
    );
    path
}

/// The effective uid, read from /proc so the crate needs no unsafe libc call.
fn euid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}

/// Fail (never skip) when not root: namespaces and keepalived need it, and a test that
/// silently passes without running would hide regressions.
pub fn require_root() {
    if euid() != Some(0) {
        panic!(
            "this test needs root (it creates network namespaces and runs keepalived -t); \
             run it as root, e.g. `sudo -E cargo test -p keepalived-rs-tests`"
        );
    }
}

/// What one command printed and how it ended.
#[derive(Clone, Debug)]
pub struct RunOutput {
    /// The exit status; `None` when killed by a signal or by our timeout.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub timed_out: bool,
}

impl RunOutput {
    /// Exit code, or -1 for a signal / timeout (so comparisons still report something).
    pub fn exit(&self) -> i32 {
        self.code.unwrap_or(-1)
    }
}

/// Run a command, capturing its output, killing it after `timeout`.
pub fn run_command(mut cmd: Command, timeout: Duration) -> RunOutput {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => panic!("cannot run {cmd:?}: {e}"),
    };
    // Drain both pipes on threads so a chatty child cannot block on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() > timeout => {
                timed_out = true;
                let _ = child.kill();
                break child.wait().ok();
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(_) => break None,
        }
    };
    RunOutput {
        code: if timed_out {
            None
        } else {
            status.and_then(|s| s.code())
        },
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
        timed_out,
    }
}

/// A throw-away network namespace with `lo` up and veth pairs whose both ends live inside
/// it, renamed eth0..eth3 (the `dummy` driver is not available on every kernel). Deleted on
/// drop, including when the test panics.
#[derive(Debug)]
pub struct Netns {
    name: String,
}

/// How many interfaces a namespace gets (the samples name eth0..eth3).
pub const NETNS_IFACES: usize = 4;

fn ip(args: &[&str]) -> RunOutput {
    let mut cmd = Command::new("ip");
    cmd.args(args);
    run_command(cmd, RUN_TIMEOUT)
}

impl Netns {
    /// Create a namespace named `kart-<pid>-<n>` with eth0..eth3 and lo up.
    pub fn new() -> Netns {
        require_root();
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let name = format!("kart-{}-{}", std::process::id(), n);
        let created = ip(&["netns", "add", &name]);
        assert_eq!(
            created.code,
            Some(0),
            "ip netns add {name} failed: {}",
            created.stderr
        );
        // From here on Drop deletes the namespace, whatever fails next.
        let ns = Netns { name };
        ns.ip_ok(&["link", "set", "lo", "up"]);
        for i in 0..NETNS_IFACES {
            let eth = format!("eth{i}");
            let peer = format!("p{i}");
            ns.ip_ok(&["link", "add", &eth, "type", "veth", "peer", "name", &peer]);
            ns.ip_ok(&["link", "set", &eth, "up"]);
            ns.ip_ok(&["link", "set", &peer, "up"]);
        }
        ns
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    fn ip_ok(&self, args: &[&str]) {
        let mut full = vec!["-n", self.name.as_str()];
        full.extend_from_slice(args);
        let out = ip(&full);
        assert_eq!(
            out.code,
            Some(0),
            "ip {} failed: {}",
            full.join(" "),
            out.stderr
        );
    }

    /// Run `program args` inside the namespace (cwd `/`, so nothing depends on where cargo runs).
    pub fn run<S: AsRef<OsStr>>(&self, program: &Path, args: &[S]) -> RunOutput {
        let mut cmd = Command::new("ip");
        cmd.args(["netns", "exec", &self.name])
            .arg(program)
            .args(args)
            .current_dir("/");
        run_command(cmd, RUN_TIMEOUT)
    }

    /// `keepalived -t -f FILE -i vm EXTRA...` inside the namespace.
    pub fn keepalived_t(&self, file: &Path, extra: &[String]) -> RunOutput {
        self.run(&keepalived(), &config_test_args(file, extra))
    }

    /// `keepalived-rs -t -f FILE -i vm EXTRA...` inside the namespace.
    pub fn ours_t(&self, file: &Path, extra: &[String]) -> RunOutput {
        self.run(&binary(), &config_test_args(file, extra))
    }
}

impl Default for Netns {
    fn default() -> Self {
        Netns::new()
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let out = ip(&["netns", "delete", &self.name]);
        if out.code != Some(0) {
            eprintln!(
                "warning: ip netns delete {} failed: {}",
                self.name, out.stderr
            );
        }
    }
}

/// The config id every comparison uses (the machine the reference outputs came from is `vm`).
pub const CONFIG_ID: &str = "vm";

fn config_test_args(file: &Path, extra: &[String]) -> Vec<String> {
    let mut args = vec![
        "-t".to_string(),
        "-f".to_string(),
        file.display().to_string(),
        "-i".to_string(),
        CONFIG_ID.to_string(),
    ];
    args.extend(extra.iter().cloned());
    args
}

/// The line numbers keepalived names: `(FILE: Line N) msg` or `(Line N) msg`.
pub fn keepalived_lines(stderr: &str) -> BTreeSet<u32> {
    let mut lines = BTreeSet::new();
    for text in stderr.lines() {
        let Some(rest) = text.strip_prefix('(') else {
            continue;
        };
        let Some(close) = rest.find(')') else {
            continue;
        };
        let inside = &rest[..close];
        let Some(pos) = inside.rfind("Line ") else {
            continue;
        };
        if let Ok(n) = inside[pos + 5..].trim().parse() {
            lines.insert(n);
        }
    }
    lines
}

/// The locations keepalived-rs names: `FILE:LINE: kind: msg` -> (FILE, LINE).
pub fn our_locations(stderr: &str) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    for text in stderr.lines() {
        // The first `:DIGITS:` on the line ends the location (file names may hold colons).
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some(off) = text[i..].find(':') {
            let colon = i + off;
            let digits_end = bytes[colon + 1..]
                .iter()
                .position(|b| !b.is_ascii_digit())
                .map_or(bytes.len(), |p| colon + 1 + p);
            if digits_end > colon + 1 && bytes.get(digits_end) == Some(&b':') {
                if let Ok(n) = text[colon + 1..digits_end].parse() {
                    out.push((text[..colon].to_string(), n));
                }
                break;
            }
            i = colon + 1;
        }
    }
    out
}

/// The line numbers keepalived-rs names, whatever the file.
pub fn our_lines(stderr: &str) -> BTreeSet<u32> {
    our_locations(stderr).into_iter().map(|(_, n)| n).collect()
}

/// One place a message must name: `LINE` in the config itself or `RELPATH:LINE` in an
/// included file (relative to the config's folder).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocSpec {
    pub file: Option<String>,
    pub line: u32,
}

/// The expectation header of a fixture:
/// `# args: -e`, `# expect-exit: 5`, `# expect-line: 7 12|13 inc/x.conf:4`
/// (every space-separated item must be named; `|` separates acceptable alternatives).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expectation {
    pub args: Vec<String>,
    pub exit: Option<i32>,
    pub lines: Vec<Vec<LocSpec>>,
}

/// Read the leading `#` comment block of a fixture.
pub fn parse_expectation(text: &str) -> Result<Expectation, String> {
    let mut exp = Expectation::default();
    for line in text.lines() {
        let Some(comment) = line.strip_prefix('#') else {
            break;
        };
        let comment = comment.trim();
        if let Some(v) = comment.strip_prefix("args:") {
            exp.args = v.split_whitespace().map(str::to_string).collect();
        } else if let Some(v) = comment.strip_prefix("expect-exit:") {
            exp.exit = Some(
                v.trim()
                    .parse()
                    .map_err(|_| format!("bad expect-exit '{}'", v.trim()))?,
            );
        } else if let Some(v) = comment.strip_prefix("expect-line:") {
            for item in v.split_whitespace() {
                let mut alts = Vec::new();
                for alt in item.split('|') {
                    let (file, n) = match alt.rsplit_once(':') {
                        Some((f, n)) => (Some(f.to_string()), n),
                        None => (None, alt),
                    };
                    let line = n
                        .parse()
                        .map_err(|_| format!("bad expect-line item '{alt}'"))?;
                    alts.push(LocSpec { file, line });
                }
                exp.lines.push(alts);
            }
        }
    }
    if exp.exit.is_none() {
        return Err("missing '# expect-exit: N' header".into());
    }
    Ok(exp)
}

/// Whether our stderr names `spec` for the config at `config`: it must contain
/// `NAME:LINE:` where NAME is the config's file name (or the include's relative path).
pub fn names_location(stderr: &str, config: &Path, spec: &LocSpec) -> bool {
    let name = match &spec.file {
        Some(rel) => rel.clone(),
        None => config
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    stderr.contains(&format!("{name}:{}:", spec.line))
}

/// The `*.conf` files directly in `dir`, sorted (sub-folders hold included files).
pub fn fixtures(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension() == Some(OsStr::new("conf")))
        .collect();
    out.sort();
    out
}

/// Indent a command's output for a failure report.
pub fn indent(text: &str) -> String {
    if text.trim().is_empty() {
        return "    (nothing)\n".into();
    }
    text.lines().map(|l| format!("    {l}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keepalived_lines_reads_both_forms() {
        let err = "(/a/b.conf: Line 12) number '0' outside range\n(Line 7) Unknown keyword 'x'\n\
                   SECURITY VIOLATION - scripts\n(VI_1) no line here\n";
        assert_eq!(keepalived_lines(err), BTreeSet::from([7, 12]));
    }

    #[test]
    fn our_locations_parse_file_line() {
        let err = "/x/y.conf:10: error: number '0' outside range [1, 255]\n\
                   warning: no location\nC:\\odd:name.conf:3: warning: Unknown keyword 'a:1:'\n";
        assert_eq!(
            our_locations(err),
            vec![
                ("/x/y.conf".to_string(), 10),
                ("C:\\odd:name.conf".to_string(), 3)
            ]
        );
    }

    #[test]
    fn expectation_header() {
        let text = "# 01-x: what\n# args: -e\n# expect-exit: 6\n# expect-line: 7 9|10 inc/a.conf:4\nvrrp_instance\n# expect-exit: 1\n";
        let exp = parse_expectation(text).unwrap_or_default();
        assert_eq!(exp.args, vec!["-e".to_string()]);
        assert_eq!(exp.exit, Some(6));
        assert_eq!(exp.lines.len(), 3);
        assert_eq!(exp.lines[1].len(), 2);
        assert_eq!(
            exp.lines[2][0],
            LocSpec {
                file: Some("inc/a.conf".into()),
                line: 4
            }
        );
        assert!(parse_expectation("# nothing\n").is_err());
    }

    #[test]
    fn names_location_needs_the_trailing_colon() {
        let cfg = Path::new("/t/01-a.conf");
        let spec = LocSpec {
            file: None,
            line: 1,
        };
        assert!(names_location("/t/01-a.conf:1: error: x", cfg, &spec));
        assert!(!names_location("/t/01-a.conf:10: error: x", cfg, &spec));
    }
}
