//! The parser corpus: keepalived's sample configs (../shared/reference/samples and extra/).
//! Each sample is checked with `keepalived -t` and `keepalived-rs -t` in a namespace that has
//! eth0..eth3; the exit codes must agree, and where keepalived names lines our messages must
//! name at least one of them. Every mismatch is reported at once.
//! Run by `cargo test -p keepalived-rs-tests` (as root).

use keepalived_rs_tests::{indent, keepalived_lines, our_lines, samples, Netns};

#[test]
fn samples_get_the_same_verdict_as_keepalived() {
    let ns = Netns::new();
    let all = samples();
    let mut failures = Vec::new();
    for path in &all {
        let theirs = ns.keepalived_t(path, &[]);
        let ours = ns.ours_t(path, &[]);
        let mut problems = Vec::new();
        if ours.timed_out {
            problems.push("keepalived-rs timed out".to_string());
        }
        if theirs.exit() != ours.exit() {
            problems.push(format!(
                "exit code: keepalived {}, keepalived-rs {}",
                theirs.exit(),
                ours.exit()
            ));
        }
        if theirs.exit() != 0 {
            let want = keepalived_lines(&theirs.stderr);
            let got = our_lines(&ours.stderr);
            if !want.is_empty() && want.is_disjoint(&got) {
                problems.push(format!(
                    "keepalived names lines {want:?}, keepalived-rs names {got:?}"
                ));
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n  keepalived:\n{}  keepalived-rs:\n{}",
                path.display(),
                problems.join("; "),
                indent(&theirs.stderr),
                indent(&ours.stderr)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} samples differ:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}
