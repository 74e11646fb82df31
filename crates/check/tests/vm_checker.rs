//! The checker child in a VM (run by `cargo test -p keepalived-check`): boots Debian's
//! kernel (which has IPVS) under qemu TCG through scripts/vm/run with the keepalived-rs
//! binary, tests/vm/checker.sh and tests/vm/checker.conf, and asserts the markers the VM
//! prints. Needs root (to read /boot/vmlinuz-*) and qemu; fails with a clear message
//! without them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Builds keepalived-rs (a no-op when up to date) and returns a stripped copy in `dir`
/// (the debug binary is large; the initramfs is rebuilt for every run).
fn daemon(dir: &Path) -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "-q", "-p", "keepalived-rs"])
        .current_dir(root())
        .status()
        .expect("run cargo build -p keepalived-rs");
    assert!(status.success(), "cargo build -p keepalived-rs failed");
    // target/<profile>/deps/vm_checker-HASH -> target/<profile>/keepalived-rs
    let exe = std::env::current_exe().expect("current_exe");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("test binary under target/<profile>/deps");
    let bin = profile_dir.join("keepalived-rs");
    assert!(bin.exists(), "no binary at {}", bin.display());
    let copy = dir.join("keepalived-rs");
    std::fs::copy(&bin, &copy).expect("copy the binary");
    // Best effort: without strip the VM just boots a larger initramfs.
    let _ = Command::new("strip").arg(&copy).status();
    copy
}

struct TempDir(PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn checker_keeps_ipvs_true_to_health_across_kill_9_and_stop() {
    assert!(
        is_root(),
        "this test needs root: it reads /boot/vmlinuz-* to boot Debian's kernel (which has IPVS) under qemu"
    );
    let qemu = Command::new("qemu-system-x86_64").arg("--version").output();
    assert!(
        qemu.map(|o| o.status.success()).unwrap_or(false),
        "this test needs qemu-system-x86_64 (scripts/setup-debian installs qemu-system-x86)"
    );
    let dir = TempDir(std::env::temp_dir().join(format!("krs-vmcheck-{}", std::process::id())));
    std::fs::create_dir_all(&dir.0).expect("temp dir");
    let bin = daemon(&dir.0);
    let started = Instant::now();
    let out = Command::new(root().join("scripts/vm/run"))
        .arg(&bin)
        .arg(root().join("crates/check/tests/vm/checker.sh"))
        .env("VM_TIMEOUT", "100")
        .env(
            "VM_FILES",
            format!(
                "/usr/sbin/keepalived:/usr/sbin/keepalived {}:/test/checker.conf",
                root().join("crates/check/tests/vm/checker.conf").display()
            ),
        )
        .output()
        .expect("run scripts/vm/run");
    let took = started.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let log = format!("--- VM console\n{stdout}\n--- stderr\n{stderr}");
    eprintln!("VM run took {took:?}");
    for l in stdout.lines().filter(|l| l.starts_with("KRS-FIGURE")) {
        eprintln!("{l}");
    }

    assert_eq!(out.status.code(), Some(0), "the VM test failed\n{log}");
    assert!(
        stdout.contains("KRS-VM-END status=0"),
        "no end marker\n{log}"
    );
    assert!(!stdout.contains(": FAIL"), "a check failed\n{log}");
    for check in [
        "netns-setup",
        "table-matches-config",
        "rs1-leaves-table",
        "traffic-reaches-rs1-and-rs2",
        "rs1-left-within-bound",
        "traffic-only-rs2",
        "rs2-inhibited-to-weight-0",
        "rs2-inhibited-within-bound",
        "kill-9-checker",
        "table-untouched-across-kill-9",
        "checker-restarted",
        "restarted-checker-got-health",
        "restarted-checker-changed-nothing",
        "table-still-same-after-restart",
        "rs1-rs2-return",
        "notify-down-ran",
        "notify-up-ran",
        "lvs-timeouts-set",
        "lvs-notify-fifo-created",
        "fifo-rs-down-line",
        "fifo-rs-up-line",
        "fifo-vs-quorum-lines",
        "quorum-lost-sorry-server-in",
        "quorum-back-sorry-server-out",
        "sigterm-exit-0",
        "sigterm-removes-services",
        "foreign-service-added",
        "foreign-service-untouched",
        "table-again-with-I",
        "sigterm-I-exit-0",
        "dont-release-ipvs-keeps-services",
        "flush-table-up",
        "lvs-flush-removed-foreign",
        "flush-sigterm-exit-0",
        "lvs-flush-on-stop-empties-table",
        "same-table-as-keepalived",
        "fifo-line-same-as-keepalived",
        "omega-notifies-at-stop",
        "omega-same-as-keepalived",
        "ha-suspend-waits-for-the-vip",
        "ha-suspend-same-as-keepalived",
        "reload-drop-notifies",
        "reload-drop-same-as-keepalived",
    ] {
        assert!(
            stdout.contains(&format!("KRS-CHECK {check}: ok")),
            "check {check} did not pass\n{log}"
        );
    }
    // About 110 s on the shared 2-core host, with keepalived's own runs included.
    assert!(took.as_secs() < 180, "the VM test took {took:?}");
}

fn is_root() -> bool {
    // /proc/self/status has "Uid: real effective ...".
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|e| e == "0"))
        })
        .unwrap_or(false)
}
