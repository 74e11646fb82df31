//! The negative (and a few positive) config fixtures of tests/configs/: each one is run under
//! Debian's keepalived and keepalived-rs (`-t`, in a private network namespace) and must give
//! the exit code in its header; our stderr must also name the header's `FILE:LINE`.
//! Run by `cargo test -p keepalived-rs-tests` (as root).

use keepalived_rs_tests::{
    fixtures, indent, names_location, parse_expectation, tests_dir, Expectation, Netns,
};
use std::path::{Path, PathBuf};

fn dir(kind: &str) -> PathBuf {
    tests_dir().join("configs").join(kind)
}

fn load(path: &Path) -> Expectation {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    parse_expectation(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[test]
fn there_are_at_least_40_negative_configs_with_expectations() {
    let all = fixtures(&dir("negative"));
    assert!(all.len() >= 40, "only {} negative configs", all.len());
    for path in &all {
        let exp = load(path);
        assert!(
            !exp.lines.is_empty(),
            "{} has no '# expect-line:'",
            path.display()
        );
    }
}

/// The fixtures themselves: keepalived must agree with every header (this is what makes the
/// expectations ground truth rather than our guess).
#[test]
fn keepalived_gives_the_expected_exit_codes() {
    let ns = Netns::new();
    let mut failures = String::new();
    for kind in ["negative", "positive"] {
        for path in fixtures(&dir(kind)) {
            let exp = load(&path);
            let want = exp.exit.unwrap_or(-1);
            let out = ns.keepalived_t(&path, &exp.args);
            if out.exit() != want {
                failures.push_str(&format!(
                    "{}: keepalived exit {} (expected {want})\n{}",
                    name(&path),
                    out.exit(),
                    indent(&out.stderr)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "keepalived disagrees with fixtures:\n{failures}"
    );
}

#[test]
fn keepalived_rs_gives_the_expected_exit_codes_and_lines() {
    let ns = Netns::new();
    let mut failures = String::new();
    let all = fixtures(&dir("negative"));
    for path in &all {
        let exp = load(path);
        let want = exp.exit.unwrap_or(-1);
        let out = ns.ours_t(path, &exp.args);
        let mut problems = Vec::new();
        if out.timed_out {
            problems.push("timed out".to_string());
        }
        if out.exit() != want {
            problems.push(format!("exit {} (expected {want})", out.exit()));
        }
        for alts in &exp.lines {
            if !alts
                .iter()
                .any(|spec| names_location(&out.stderr, path, spec))
            {
                let wanted: Vec<String> = alts
                    .iter()
                    .map(|s| match &s.file {
                        Some(f) => format!("{f}:{}", s.line),
                        None => format!("{}:{}", name(path), s.line),
                    })
                    .collect();
                problems.push(format!("stderr does not name {}", wanted.join(" or ")));
            }
        }
        if !problems.is_empty() {
            failures.push_str(&format!(
                "{}: {}\n{}",
                name(path),
                problems.join("; "),
                indent(&out.stderr)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "keepalived-rs differs on {} of {} negative configs:\n{failures}",
        failures.lines().filter(|l| !l.starts_with("    ")).count(),
        all.len()
    );
}

#[test]
fn positive_configs_pass_under_both() {
    let ns = Netns::new();
    let mut failures = String::new();
    let all = fixtures(&dir("positive"));
    assert!(all.len() >= 5, "only {} positive configs", all.len());
    for path in &all {
        let exp = load(path);
        assert_eq!(
            exp.exit,
            Some(0),
            "{}: a positive config must expect exit 0",
            name(path)
        );
        let args = exp.args;
        let theirs = ns.keepalived_t(path, &args);
        let ours = ns.ours_t(path, &args);
        if theirs.exit() != 0 || ours.exit() != 0 {
            failures.push_str(&format!(
                "{}: keepalived exit {}, keepalived-rs exit {}\n  keepalived:\n{}  keepalived-rs:\n{}",
                name(path),
                theirs.exit(),
                ours.exit(),
                indent(&theirs.stderr),
                indent(&ours.stderr)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "positive configs rejected:\n{failures}"
    );
}
